//! The replication engine: every node's signed, append-only logs and the delta sync between them.
//!
//! It knows entries, origins, audiences and version vectors; it does not know record kinds
//! (payloads are opaque bytes) and it does not know tonic: the network is a [`Transport`] the
//! node crate implements.
//!
//! - `keys`: the storage layout (entries, audience index, cursors, certificates, id index);
//! - `audience_index`: which chunks a peer may see, kept by a national node for all, by others for their own;
//! - `log`: reading that layout through `regiosync_store::KvStore`;
//! - `apply`: writing it: chunks, cursors, holes and settled ranges in one atomic batch;
//! - `gaps`: seqs a cursor passed that are not held intact (damaged or missing), and how they close;
//! - `heal`: no writes while the node's own log is incomplete, until its peers sent it back;
//! - `quarantine`: chunks whose stored bytes failed their check, set aside until a peer resends them;
//! - `payloads`: the record layer's say over what is stored and indexed;
//! - `engine`: a node's replication state, what to vouch for, applying what arrives;
//! - `publish`: sealing and storing the node's own entries; `reads`: lists, entries, status, backup;
//! - `opened`: stored chunks opened once for every subscriber they are served to;
//! - `moved`: which origins moved since a generation, so a serve pass touches only those;
//! - `vouched`: what a node vouches for towards a peer, and what of it moved since that peer last heard;
//! - `serve`: streaming what a subscribing peer is missing, then live entries as they arrive;
//! - `peer`: pulling from each configured peer, verifying, applying, anti-entropy and backoff;
//! - `transport`: the messages and the trait the network layer implements.

pub mod apply;
pub mod audience_index;
pub mod engine;
pub mod error;
pub mod gaps;
pub mod heal;
pub mod key_spans;
pub mod keys;
pub mod log;
mod moved;
mod opened;
pub mod payloads;
pub mod peer;
mod peer_health;
mod publish;
pub mod quarantine;
mod reads;
pub mod serve;
pub mod transport;
pub mod vouched;

#[cfg(test)]
mod audience_index_tests;
#[cfg(test)]
mod convergence_tests;
#[cfg(test)]
mod log_tests;

pub use apply::{Applied, Marks};
pub use engine::{now_ms, Clock, Draft, Engine, EngineConfig, NodeStatus, PeerStatus, Published, StoredEntry};
pub use error::{Error, Result};
pub use gaps::{Gap, GapKind};
pub use payloads::{Aggregates, Opaque, Payloads};
pub use transport::{SeqRange, SyncItem, Transport, TransportError};
