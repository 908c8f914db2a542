//! Shared vocabulary of regiosync: node identities, the entry envelope, sealed chunks, version
//! vectors.
//!
//! This crate does no I/O. `pb` holds the protobuf messages generated from
//! `proto/regiosync/v1/entry.proto`; `envelope` checks a decoded body against the federation's
//! envelope rules; `chunk` checks the layout of a sealed run of entries; `node_id` and `version_vector` are the small value types everything else uses;
//! `federation` is the member list (the federation file), the one place member kinds come from.

pub mod chunk;
pub mod envelope;
pub mod error;
pub mod federation;
pub mod node_id;
pub mod rng;
pub mod transition;
pub mod version_vector;

/// Protobuf messages of package `regiosync.v1` that describe entries.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/regiosync.v1.rs"));
}

pub use chunk::Sealed;
pub use envelope::{Envelope, Limits};
pub use error::{Error, Result};
pub use federation::{Federation, Member, MemberKind};
pub use node_id::NodeId;
pub use transition::{KeyTransition, KEY_TRANSITION};
pub use version_vector::VersionVector;

/// The system clock, milliseconds since the Unix epoch: the one place the workspace reads it
/// (nodes read their time through `regiosync_replication::Clock`, which starts from this).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
