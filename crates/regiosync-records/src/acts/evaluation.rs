//! Correcting and withdrawing an evaluation, and filing one again, as the region's node holds
//! its evaluations: only the region's own evaluation, only its current version, never after it
//! was withdrawn; a correction keeps the evaluation's status; the same content filed again is
//! the record already held. Derivation (`crate::evaluation`) applies the same rules to what
//! arrives, so a record that slips past these (two at once) still counts at most once.
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::{Envelope, NodeId};
use thiserror::Error;

use crate::evaluation::{identity, SUPERSEDED};
use crate::pb::{self, EvaluationView};
use crate::record::{status_name, status_named, Payload, Record};

/// Why a correction or withdrawal is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EvaluationActError {
    #[error("{field}: {id} is a record of {origin}; {region} corrects and withdraws only its own evaluations")]
    NotOwn {
        field: &'static str,
        id: String,
        origin: NodeId,
        region: NodeId,
    },
    #[error("{field}: no evaluation '{id}' of {region} held here")]
    NotHeld {
        field: &'static str,
        id: String,
        region: NodeId,
    },
    #[error(
        "{field}: {id} is not a version of an evaluation (it repeats or names one); name its current version {current}"
    )]
    NotAVersion {
        field: &'static str,
        id: String,
        current: String,
    },
    #[error("{field}: evaluation {id} was corrected by {newer}; correct or withdraw its current version {current}")]
    Superseded {
        field: &'static str,
        id: String,
        newer: String,
        current: String,
    },
    #[error("{field}: evaluation {id} was withdrawn ({withdrawal}); nothing changes a withdrawn evaluation")]
    Withdrawn {
        field: &'static str,
        id: String,
        withdrawal: String,
    },
    #[error("status: {id} is {held}, not {asked}; a correction keeps the status of the version it corrects")]
    StatusDiffers { id: String, held: String, asked: String },
    #[error("reason: required")]
    ReasonRequired,
}

/// The evaluation version `id` (in `field`) may be corrected or withdrawn by `region`: a
/// version of its own evaluation held here (`held`: the view of `id`, [`crate::evaluation::view`]),
/// the current one, not withdrawn.
pub fn changeable(
    field: &'static str,
    id: &str,
    region: NodeId,
    held: Option<&EvaluationView>,
) -> Result<(), EvaluationActError> {
    if let Some((origin, _)) = Envelope::parse_generated_id(id).filter(|(o, _)| *o != region) {
        return Err(EvaluationActError::NotOwn {
            field,
            id: id.into(),
            origin,
            region,
        });
    }
    let not_held = || EvaluationActError::NotHeld {
        field,
        id: id.into(),
        region,
    };
    let view = held.ok_or_else(not_held)?;
    let current = view.versions.last().map(|m| m.id.clone()).unwrap_or_default();
    if !view.versions.iter().any(|m| m.id == id) {
        return Err(EvaluationActError::NotAVersion {
            field,
            id: id.into(),
            current,
        });
    }
    if let Some(w) = &view.withdrawal {
        return Err(EvaluationActError::Withdrawn {
            field,
            id: id.into(),
            withdrawal: w.record_id.clone(),
        });
    }
    if view.state == SUPERSEDED {
        return Err(EvaluationActError::Superseded {
            field,
            id: id.into(),
            newer: view.superseded_by.clone(),
            current,
        });
    }
    Ok(())
}

/// The status a correction of `held` takes: the version's own (`asked` unspecified, or that
/// same status).
pub fn correction_status(held: &EvaluationView, asked: i32) -> Result<i32, EvaluationActError> {
    let meta = held.record.clone().unwrap_or_default();
    let status = status_named(&meta.status) as i32;
    if asked == RecordStatus::Unspecified as i32 || asked == status {
        return Ok(status);
    }
    let asked = RecordStatus::try_from(asked).map_or("unspecified", status_name);
    Err(EvaluationActError::StatusDiffers {
        id: meta.id,
        held: meta.status,
        asked: asked.into(),
    })
}

/// The withdrawal `region` writes of its evaluation `held` (checked by [`changeable`]), by
/// `author`, saying why.
pub fn withdrawal(
    held: &EvaluationView,
    region: NodeId,
    author: String,
    reason: &str,
) -> Result<pb::EvaluationWithdrawal, EvaluationActError> {
    if reason.trim().is_empty() {
        return Err(EvaluationActError::ReasonRequired);
    }
    Ok(pb::EvaluationWithdrawal {
        region: region.to_string(),
        evaluation_id: held.record.as_ref().map(|m| m.id.clone()).unwrap_or_default(),
        reason: reason.into(),
        author,
    })
}

/// The record of `region`'s evaluations held here (`records`) that already holds `summary`
/// with `status`: the first of its region with the same [`identity`] and status.
pub fn already_filed<'a>(
    summary: &pb::EvaluationSummary,
    status: i32,
    region: NodeId,
    records: &'a [Record],
) -> Option<&'a Record> {
    let wanted = identity(summary);
    records
        .iter()
        .filter(|r| r.origin == region && r.status as i32 == status)
        .filter(|r| matches!(&r.payload, Payload::Evaluation(s) if identity(s) == wanted))
        .min_by_key(|r| r.seq)
}
