//! The rules checked where a person acts, against what the acting region's node holds: rules
//! that span records, which the record rules ([`crate::validate`]) cannot check because they
//! see one record only. Derivation ignores records that break them (listing them as ignored),
//! so a forged act can travel but never counts; these checks keep an honest person from
//! writing one.
//!
//! - [`agreement_act`]: sign, reject, withdraw or revoke an agreement as one of its parties: on
//!   a version that can still take that act, on the exact content the person reviewed;
//! - [`proposed_version`]: versions are numbered in order (the first is 1, an amendment the
//!   next number);
//! - [`verifies`]: an evaluation verifies only actions of this region's evaluations held here;
//! - [`evaluation`]: an evaluation is corrected or withdrawn only by its region, in its current
//!   version, never after a withdrawal; the same content filed again is the record held;
//! - [`assistance`]: the steps of an assistance request (whom it asks, who answers, commits,
//!   reports and closes, within what was offered and asked).
//!
//! Pure functions with typed errors; the node maps each error to a gRPC status in its one table.
use std::collections::BTreeSet;

use prost::Message;
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::NodeId;
use thiserror::Error;

pub mod assistance;
#[cfg(test)]
mod assistance_tests;
pub mod evaluation;

use crate::agreement::State;
use crate::kinds;
use crate::pb::{self, AgreementView, EvaluationView, VersionView};

/// What a party does to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Sign,
    Reject,
    Withdraw,
    Revoke,
}

/// A party's act as asked.
#[derive(Debug, Clone, Copy)]
pub struct ActRequest<'a> {
    pub act: Act,
    /// The version a sign or reject is about (0 = the newest).
    pub version: u32,
    /// The content hash (hex) of that version as the person reviewed it; required to sign.
    pub content_sha256: &'a str,
    /// Required to reject, withdraw and revoke.
    pub reason: &'a str,
}

/// The record an act writes: its kind, payload, status (that of the agreement: acts on an
/// exercise agreement are exercise records too) and audience (every party of every version).
#[derive(Debug, Clone, PartialEq)]
pub struct ActRecord {
    pub kind: &'static str,
    pub payload: Vec<u8>,
    pub status: RecordStatus,
    pub audience: Vec<String>,
}

/// Why an act is refused. The messages say what to do; a wrong hash is never repeated back as
/// the right one, so it cannot be copied from there unreviewed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActError {
    #[error("{party} is not a party to agreement {id}; only its parties ({parties}) can act on it")]
    NotAParty { party: NodeId, id: String, parties: String },
    #[error("agreement {id} is {}", state.as_str())]
    Ended { id: String, state: State },
    #[error("agreement {id} has no version {number}")]
    NoSuchVersion { id: String, number: u32 },
    #[error("content_sha256: required to sign: the hash of agreement {id} version {number} as you reviewed it (`regiosync agreement show {id}` prints it)")]
    HashRequired { id: String, number: u32 },
    #[error("agreement {id} has {count} different versions numbered {number}; give content_sha256 to say which")]
    AmbiguousVersion { id: String, number: u32, count: usize },
    #[error("content_sha256: {hash} is not the hash of agreement {id} version {number}; review the agreement again (`regiosync agreement show {id}`)")]
    WrongHash { id: String, number: u32, hash: String },
    #[error("{party} is not a party to agreement {id} version {number}; only a party can sign or reject it")]
    NotAPartyToVersion { party: NodeId, id: String, number: u32 },
    #[error("{party} already signed agreement {id} version {number}")]
    AlreadySigned { party: NodeId, id: String, number: u32 },
    #[error("{party} already rejected agreement {id} version {number}")]
    AlreadyRejected { party: NodeId, id: String, number: u32 },
    #[error("agreement {id} version {number} is {state}; only a proposed or partially signed version can be signed or rejected")]
    VersionClosed { id: String, number: u32, state: String },
    #[error("a withdrawal from agreement {id} is already pending")]
    WithdrawalPending { id: String },
    #[error("agreement {id} has expired")]
    Expired { id: String },
    #[error("reason: required")]
    ReasonRequired,
    /// A held view whose content hash is not hex: the node's own derivation is wrong.
    #[error("content hash of a held version")]
    HeldHash,
}

/// The record `party` writes to act on the agreement `view` (as its node holds it), with
/// `author` as the record's author, or why it may not.
pub fn agreement_act(
    view: &AgreementView,
    party: NodeId,
    author: String,
    req: ActRequest<'_>,
) -> Result<ActRecord, ActError> {
    let id = view.agreement_id.clone();
    let me = party.to_string();
    let parties: BTreeSet<String> = view.versions.iter().flat_map(parties_of).collect();
    if !parties.contains(&me) {
        return Err(ActError::NotAParty {
            party,
            id,
            parties: parties.iter().cloned().collect::<Vec<_>>().join(", "),
        });
    }
    if let Some(state @ (State::Revoked | State::Withdrawn)) = State::parse(&view.state) {
        return Err(ActError::Ended { id, state });
    }
    let reason = || {
        if req.reason.trim().is_empty() {
            Err(ActError::ReasonRequired)
        } else {
            Ok(req.reason.to_string())
        }
    };
    let (kind, payload) = match req.act {
        Act::Sign | Act::Reject => {
            let signing = req.act == Act::Sign;
            let v = pick_version(view, req.version, req.content_sha256, signing)?;
            let number = v.version;
            if !parties_of(v).any(|p| p == me) {
                return Err(ActError::NotAPartyToVersion { party, id, number });
            }
            if v.signed.iter().any(|a| a.party == me) {
                return Err(ActError::AlreadySigned { party, id, number });
            }
            if v.rejected.iter().any(|a| a.party == me) {
                return Err(ActError::AlreadyRejected { party, id, number });
            }
            if !matches!(State::parse(&v.state), Some(State::Proposed | State::PartiallySigned)) {
                return Err(ActError::VersionClosed {
                    id,
                    number,
                    state: v.state.clone(),
                });
            }
            let hash = hex::decode(&v.content_sha256).map_err(|_| ActError::HeldHash)?;
            if signing {
                let s = pb::AgreementSignature {
                    agreement_id: id,
                    version: number,
                    content_sha256: hash,
                    party: me,
                    author,
                };
                (kinds::AGREEMENT_SIGNATURE, s.encode_to_vec())
            } else {
                let s = pb::AgreementRejection {
                    agreement_id: id,
                    version: number,
                    content_sha256: hash,
                    party: me,
                    reason: reason()?,
                    author,
                };
                (kinds::AGREEMENT_REJECTION, s.encode_to_vec())
            }
        }
        Act::Withdraw => {
            if view.withdrawal.is_some() {
                return Err(ActError::WithdrawalPending { id });
            }
            if State::parse(&view.state) == Some(State::Expired) {
                return Err(ActError::Expired { id });
            }
            let w = pb::AgreementWithdrawal {
                agreement_id: id,
                party: me,
                reason: reason()?,
                author,
            };
            (kinds::AGREEMENT_WITHDRAWAL, w.encode_to_vec())
        }
        Act::Revoke => {
            let r = pb::AgreementRevocation {
                agreement_id: id,
                party: me,
                reason: reason()?,
                author,
            };
            (kinds::AGREEMENT_REVOCATION, r.encode_to_vec())
        }
    };
    let status = match view.status.as_str() {
        "exercise" => RecordStatus::Exercise,
        "test" => RecordStatus::Test,
        _ => RecordStatus::Actual,
    };
    Ok(ActRecord {
        kind,
        payload,
        status,
        audience: parties.into_iter().collect(),
    })
}

fn parties_of(v: &VersionView) -> impl Iterator<Item = String> + '_ {
    v.agreement
        .iter()
        .flat_map(|a| a.parties.iter().map(|p| p.region.clone()))
}

/// The version a sign or reject is about: `version` (0 = the newest). Signing needs the hash
/// the person reviewed, and it must be that version's: a party signs exact content, never
/// "whatever is newest".
fn pick_version<'a>(
    view: &'a AgreementView,
    version: u32,
    hash: &str,
    signing: bool,
) -> Result<&'a VersionView, ActError> {
    let number = if version == 0 { view.newest_version } else { version };
    let candidates: Vec<&VersionView> = view.versions.iter().filter(|v| v.version == number).collect();
    let id = view.agreement_id.clone();
    let Some(first) = candidates.first() else {
        return Err(ActError::NoSuchVersion { id, number });
    };
    if hash.is_empty() {
        if signing {
            return Err(ActError::HashRequired { id, number });
        }
        if candidates.len() > 1 {
            return Err(ActError::AmbiguousVersion {
                id,
                number,
                count: candidates.len(),
            });
        }
        return Ok(first);
    }
    let hash = hash.to_ascii_lowercase();
    match candidates.into_iter().find(|v| v.content_sha256 == hash) {
        Some(v) => Ok(v),
        None => Err(ActError::WrongHash { id, number, hash }),
    }
}

/// A proposal's version number against the agreement as held (`None`: nothing of it is held).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    #[error("version: {version} is not 1; agreement {id} is new here")]
    NotFirst { id: String, version: u32 },
    #[error(
        "version: {version} is not {next}; agreement {id} is at version {newest} (an amendment takes the next number)"
    )]
    NotNext {
        id: String,
        version: u32,
        next: u32,
        newest: u32,
    },
}

/// Versions are numbered in order: the first is 1, an amendment the next number. A proposal
/// without an id is left to the record rules (they name the missing field).
pub fn proposed_version(agreement_id: &str, version: u32, held: Option<&AgreementView>) -> Result<(), VersionError> {
    let next = held.map_or(1, |v| v.newest_version + 1);
    if agreement_id.is_empty() || version == next {
        return Ok(());
    }
    let id = agreement_id.to_string();
    Err(match held {
        None => VersionError::NotFirst { id, version },
        Some(v) => VersionError::NotNext {
            id,
            version,
            next,
            newest: v.newest_version,
        },
    })
}

/// An action a summary claims to verify that is not held.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    #[error("verifies[{index}].evaluation_id: no evaluation '{evaluation_id}' of {region} held here")]
    NoEvaluation {
        index: usize,
        evaluation_id: String,
        region: NodeId,
    },
    #[error("verifies[{index}].action_id: evaluation '{evaluation_id}' has no action '{action_id}'")]
    NoAction {
        index: usize,
        evaluation_id: String,
        action_id: String,
    },
}

/// Every action `summary` verifies must be an action of an evaluation of `region` among
/// `earlier` (that region's evaluations as its node holds them).
pub fn verifies(
    summary: &pb::EvaluationSummary,
    region: NodeId,
    earlier: &[EvaluationView],
) -> Result<(), VerifyError> {
    for (index, v) in summary.verifies.iter().enumerate() {
        // Any version of an evaluation names it; its actions are the current version's.
        let names = |e: &&EvaluationView| {
            e.record.as_ref().is_some_and(|m| m.id == v.evaluation_id)
                || e.versions.iter().any(|m| m.id == v.evaluation_id)
        };
        let Some(e) = earlier.iter().find(names) else {
            return Err(VerifyError::NoEvaluation {
                index,
                evaluation_id: v.evaluation_id.clone(),
                region,
            });
        };
        if !e
            .actions
            .iter()
            .any(|a| a.action.as_ref().is_some_and(|a| a.action_id == v.action_id))
        {
            return Err(VerifyError::NoAction {
                index,
                evaluation_id: v.evaluation_id.clone(),
                action_id: v.action_id.clone(),
            });
        }
    }
    Ok(())
}
