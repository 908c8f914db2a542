//! What a node vouches for towards a peer, and what of it moved since a peer last heard: the
//! answering side of anti-entropy (the node crate puts it on the wire).
//!
//! A busy anti-entropy round (the vectors differ) used to carry the whole vector: at a national
//! node with a thousand members, each of a thousand peers got a thousand origins every round
//! while records arrived. Now a caller names the vector it last got by its digest and by where
//! the answering node's journal (`moved.rs`) stood when that vector was taken; the answer lists
//! only the origins that moved since, with the new digest, and the caller checks that digest on
//! the vector it patched. Anything that does not fit (another start of the node, a patch whose
//! digest differs) falls back to the whole vector.
use std::sync::Arc;

use regiosync_types::{NodeId, VersionVector};

use crate::engine::Engine;

/// What a node vouches for towards a peer, taken at one moment.
#[derive(Clone, Debug)]
pub struct Vouched {
    /// The engine's start ([`Engine::epoch`]).
    pub epoch: u64,
    /// The journal's generation, read before the vector: every origin that moved after it
    /// is listed by [`Engine::moved_in`] for it.
    pub generation: u64,
    pub vector: Arc<VersionVector>,
    pub digest: [u8; 32],
}

/// A start's epoch: nanoseconds since the Unix epoch.
pub(crate) fn epoch_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        .max(1)
}

impl Engine {
    /// What this node vouches for towards `peer`: every origin when national (the peer's own
    /// too, so a node that lost part of its own log gets it back), else only its own.
    pub fn vouched_for(&self, peer: NodeId) -> VersionVector {
        let vv = self.vv.read().unwrap();
        vv.iter().filter(|(o, _)| self.vouches(peer, *o)).collect()
    }

    /// Whether this node vouches for `origin` towards `peer` (the rule of [`Engine::vouched_for`]).
    pub(crate) fn vouches(&self, peer: NodeId, origin: NodeId) -> bool {
        self.members.is_national(self.me) || (origin == self.me && origin != peer)
    }

    /// The generation of the moved-origins journal now, and the origins whose visible cursor
    /// moved after generation `after` (`moved.rs`).
    pub(crate) fn moved_since(&self, after: u64) -> (u64, Vec<NodeId>) {
        self.moved.lock().unwrap().since(after)
    }

    /// This engine's start: a generation of its journal means something only within it.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// [`Engine::vouched_for`] `peer`, with its digest and the journal generation before it. A
    /// national node vouches for the same to every peer, so it keeps one until its vector next
    /// changes: an idle round there costs a lookup, not deriving and hashing a thousand origins.
    pub fn vouched(&self, peer: NodeId) -> Vouched {
        let national = self.members.is_national(self.me);
        // Read before the vector: every write of the vector is followed by a change, so what is
        // kept under this count is of the vector as it was then or later.
        let now = *self.changed.borrow();
        if national {
            if let Some((at, kept)) = self.vouched.lock().unwrap().as_ref() {
                if *at == now {
                    return kept.clone();
                }
            }
        }
        // The journal before the vector: a raise writes the vector, then notes the origins, so
        // whatever this generation counts is in the vector read after it.
        let (generation, _) = self.moved.lock().unwrap().since(u64::MAX);
        let vector = self.vouched_for(peer);
        let v = Vouched {
            epoch: self.epoch,
            generation,
            digest: vector.digest(),
            vector: Arc::new(vector),
        };
        if national {
            *self.vouched.lock().unwrap() = Some((now, v.clone()));
        }
        v
    }

    /// The digest of [`Engine::vouched_for`] `peer` (see [`Engine::vouched`]).
    pub fn vouched_digest(&self, peer: NodeId) -> [u8; 32] {
        self.vouched(peer).digest
    }

    /// The entries of `v` (taken for `peer`) of every origin that moved after generation `after`
    /// of start `epoch`: what a caller that got this node's vector at that generation patches
    /// it with to get `v`. `None` when `epoch` is not this start (the caller knew an earlier
    /// one): it needs the whole vector.
    pub fn moved_in(&self, peer: NodeId, v: &Vouched, epoch: u64, after: u64) -> Option<VersionVector> {
        if epoch != self.epoch || after > v.generation {
            return None;
        }
        let (_, moved) = self.moved_since(after);
        Some(
            moved
                .into_iter()
                .filter(|o| self.vouches(peer, *o))
                .map(|o| (o, v.vector.get(o)))
                .filter(|(_, seq)| *seq > 0)
                .collect(),
        )
    }
}
