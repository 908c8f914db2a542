//! Errors of the node crate, and the one table that maps engine errors to gRPC status codes.
use regiosync_records::acts::assistance::{AssistRefused, Refusal};
use regiosync_records::acts::evaluation::EvaluationActError;
use regiosync_records::acts::{ActError, VerifyError, VersionError};
use regiosync_replication::Error as EngineError;
use thiserror::Error;
use tonic::Status;

#[derive(Debug, Error)]
pub enum Error {
    #[error("config: {0}")]
    Config(String),
    #[error("tls: {0}")]
    Tls(String),
    #[error(transparent)]
    Trust(#[from] regiosync_trust::Error),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] regiosync_store::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error(transparent)]
    Restore(#[from] crate::restore::Refused),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The only place engine errors become gRPC statuses. Storage details go to the log, not to the
/// caller.
pub fn to_status(e: EngineError) -> Status {
    match e {
        EngineError::Invalid(e) => Status::invalid_argument(e.to_string()),
        e @ EngineError::Refused { .. } => Status::invalid_argument(e.to_string()),
        EngineError::Trust(e) => Status::permission_denied(e.to_string()),
        EngineError::NotAllowed(m) => Status::permission_denied(m),
        e @ EngineError::Conflict { .. } => Status::aborted(e.to_string()),
        e @ EngineError::DuplicateId(_) => Status::already_exists(e.to_string()),
        EngineError::NotFound(m) => Status::not_found(m),
        EngineError::Shutdown => Status::unavailable("the node is shutting down"),
        EngineError::Unavailable(m) => Status::unavailable(m),
        EngineError::Store(e) if e.is_disk_full() => {
            tracing::error!(error = %e, "write refused: the disk is full");
            Status::resource_exhausted(e.to_string())
        }
        EngineError::Store(e) if e.is_corrupt() => {
            tracing::error!(error = %e, "damaged bytes in the store");
            Status::data_loss("damaged data in this node's store; see the node's log")
        }
        e @ EngineError::Damaged { .. } => {
            tracing::error!(error = %e, "damaged bytes in the store");
            Status::data_loss("damaged data in this node's store; see the node's log")
        }
        e @ (EngineError::Store(_) | EngineError::Corrupt(_)) => {
            tracing::error!(error = %e, "storage failure while serving a request");
            Status::internal("storage failure; see the node's log")
        }
    }
}

/// A stored aggregate key or value that does not decode (`regiosync_records::read`): `DataLoss`,
/// naming the key (never an empty answer).
pub fn damaged_aggregate(e: regiosync_types::Error) -> Status {
    tracing::error!(error = %e, "damaged aggregate value in the store");
    Status::data_loss(e.to_string())
}

/// An act on an agreement the rules refuse (`regiosync_records::acts`): who may not act is
/// `PermissionDenied`, an act already made `AlreadyExists`, a state that does not allow it
/// `FailedPrecondition`, a missing field `InvalidArgument`.
pub fn act_refused(e: ActError) -> Status {
    let m = e.to_string();
    match e {
        ActError::NotAParty { .. } | ActError::NotAPartyToVersion { .. } => Status::permission_denied(m),
        ActError::AlreadySigned { .. } | ActError::AlreadyRejected { .. } | ActError::WithdrawalPending { .. } => {
            Status::already_exists(m)
        }
        ActError::Ended { .. }
        | ActError::AmbiguousVersion { .. }
        | ActError::WrongHash { .. }
        | ActError::VersionClosed { .. }
        | ActError::Expired { .. } => Status::failed_precondition(m),
        ActError::NoSuchVersion { .. } => Status::not_found(m),
        ActError::HashRequired { .. } | ActError::ReasonRequired => Status::invalid_argument(m),
        ActError::HeldHash => Status::internal(m),
    }
}

/// A proposal whose version number is out of order: `InvalidArgument`.
pub fn version_refused(e: VersionError) -> Status {
    Status::invalid_argument(e.to_string())
}

/// A summary that verifies an action not held here: `InvalidArgument`.
pub fn verify_refused(e: VerifyError) -> Status {
    Status::invalid_argument(e.to_string())
}

/// A correction or withdrawal of an evaluation the rules refuse
/// (`regiosync_records::acts::evaluation`): another region's evaluation `PermissionDenied`, one
/// not held here `NotFound`, a version that is no longer current or a withdrawn evaluation
/// `FailedPrecondition`, a wrong status or missing reason `InvalidArgument`.
pub fn evaluation_refused(e: EvaluationActError) -> Status {
    let m = e.to_string();
    match e {
        EvaluationActError::NotOwn { .. } => Status::permission_denied(m),
        EvaluationActError::NotHeld { .. } => Status::not_found(m),
        EvaluationActError::NotAVersion { .. }
        | EvaluationActError::Superseded { .. }
        | EvaluationActError::Withdrawn { .. } => Status::failed_precondition(m),
        EvaluationActError::StatusDiffers { .. } | EvaluationActError::ReasonRequired => Status::invalid_argument(m),
    }
}

/// A step of an assistance request the rules refuse (`regiosync_records::acts::assistance`):
/// a request, offer or agreement not held here `NotFound`, a member that may not take the step
/// `PermissionDenied`, a request or offer that no longer takes it `FailedPrecondition`,
/// something the request or offer does not have `InvalidArgument`. The message is the field
/// and the rule.
pub fn assist_refused(e: AssistRefused) -> Status {
    let m = e.to_string();
    match e.refusal {
        Refusal::NotFound => Status::not_found(m),
        Refusal::NotAllowed => Status::permission_denied(m),
        Refusal::Closed => Status::failed_precondition(m),
        Refusal::Invalid => Status::invalid_argument(m),
    }
}
