//! Errors of the replication engine. The node crate maps them to gRPC status codes.
use regiosync_types::NodeId;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// The entry or request breaks an envelope rule (field path and rule in the message).
    #[error(transparent)]
    Invalid(#[from] regiosync_types::Error),
    /// Signature, certificate or identity problems.
    #[error(transparent)]
    Trust(#[from] regiosync_trust::Error),
    /// A record that breaks a rule of its kind (from `Payloads::admit`).
    #[error("record {id} ({kind}): {error}")]
    Refused {
        id: String,
        kind: String,
        error: regiosync_types::Error,
    },
    /// The sender may not pass this entry to us.
    #[error("{0}")]
    NotAllowed(String),
    /// The same (origin, seq) arrived with different content: the origin equivocated.
    #[error("conflicting content for {origin} seq {seq}: refused (origin equivocation)")]
    Conflict { origin: NodeId, seq: u64 },
    /// A record id that is already taken.
    #[error("id '{0}' already exists")]
    DuplicateId(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] regiosync_store::Error),
    #[error("stored entry is corrupt: {0}")]
    Corrupt(String),
    /// A stored chunk failed its check when read (`first` names it).
    #[error("the stored chunk of {origin} from seq {first} is damaged: {what}")]
    Damaged { origin: NodeId, first: u64, what: String },
    #[error("the node is shutting down")]
    Shutdown,
    /// The node cannot take this now (for example: it is fetching its own log back).
    #[error("{0}")]
    Unavailable(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
