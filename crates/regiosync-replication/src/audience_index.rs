//! The audience index (`A peer origin first` rows, `keys.rs`): which chunks a peer that does not
//! see everything may see something of. Only a node that serves an origin's chunks to such a
//! peer reads it: a national node serves every origin to every member, any other node serves
//! only its own origin (`Engine::vouches`, `Engine::may_relay`). So a national node keeps rows for
//! every chunk, any other node only for its own chunks. Before, every node kept a row per member
//! of the audience for every chunk: with a federation-wide audience every member wrote one row
//! per member for each record, which made the federation's cost of one record grow with the
//! square of its members.
//!
//! A node that kept only its own rows marks its store so (`Maudience-own`). If the federation
//! file later makes it national, it writes the rows of every chunk it holds when it opens, before
//! it serves anyone, and only then drops the mark.
use std::collections::BTreeSet;

use regiosync_store::WriteBatch;
use regiosync_types::{Envelope, Federation, NodeId, Sealed};

use crate::error::Result;
use crate::keys;
use crate::log::{decode, Log};

/// Set while the store holds audience rows of this node's own chunks only (value: the node id).
pub const META_AUDIENCE_OWN: &[u8] = b"Maudience-own";

/// Which chunks' audience rows a log keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Index {
    /// Every chunk's: a national node (and a log opened without a node, such as a benchmark's).
    All,
    /// Only the chunks this node is the origin of.
    Own(NodeId),
}

impl Index {
    /// The index `me` keeps under `members`.
    pub fn of(me: NodeId, members: &Federation) -> Index {
        match members.is_national(me) {
            true => Index::All,
            false => Index::Own(me),
        }
    }

    /// Whether rows are kept for chunks of `origin`.
    pub fn covers(&self, origin: NodeId) -> bool {
        match self {
            Index::All => true,
            Index::Own(me) => *me == origin,
        }
    }
}

/// The peers (not national, not the origin) that may see at least one entry of `chunk`: one
/// audience row each. Every member may see a key transition: each must learn of it.
pub(crate) fn peers_of(members: &Federation, chunk: &Sealed) -> BTreeSet<NodeId> {
    let origin = chunk.origin;
    let mut peers = BTreeSet::new();
    for e in chunk.entries() {
        let env: &Envelope = &e.envelope;
        if env.kind == regiosync_types::KEY_TRANSITION {
            peers.extend(members.ids().filter(|p| !members.is_national(*p) && *p != origin));
        }
        peers.extend(
            env.audience
                .iter()
                .filter(|p| !members.is_national(**p) && **p != origin),
        );
    }
    peers
}

/// Put the audience rows of `chunk` into `batch`.
pub(crate) fn put_rows(batch: &mut WriteBatch, members: &Federation, chunk: &Sealed) {
    let last = chunk.last_seq().to_be_bytes();
    for peer in peers_of(members, chunk) {
        batch.put(keys::audience(peer, chunk.origin, chunk.first_seq), last.to_vec());
    }
}

/// Chunks read per write while rows are written again.
const REBUILD_PAGE: usize = 64;

impl Log {
    /// Make the stored index what this log keeps ([`Log::index`]): a national node whose store
    /// holds its own rows only writes every chunk's now. Returns the chunks indexed again. A
    /// chunk whose stored value fails its check is skipped: its rows are written when a peer's
    /// copy repairs it (`apply.rs`).
    pub fn prepare_index(&self) -> Result<usize> {
        if self.index() != Index::All || self.kv().get(META_AUDIENCE_OWN)?.is_none() {
            return Ok(0);
        }
        let _guard = self.write_guard();
        let end = vec![keys::ENTRY + 1];
        let mut from = vec![keys::ENTRY];
        let mut indexed = 0;
        loop {
            let page = self.kv().keys(&from, &end, REBUILD_PAGE)?;
            let mut batch = WriteBatch::new();
            for key in &page {
                let chunk = match self.kv().get(key) {
                    Ok(Some(v)) => decode(&v),
                    Ok(None) => continue,
                    Err(e) if e.is_corrupt() => continue,
                    Err(e) => return Err(e.into()),
                };
                match chunk {
                    Ok(chunk) => {
                        put_rows(&mut batch, self.members(), &chunk);
                        indexed += 1;
                    }
                    Err(e) => {
                        tracing::warn!(key = %regiosync_store::show_key(key), error = %e, "chunk not indexed: it fails its check")
                    }
                }
            }
            let done = page.len() < REBUILD_PAGE;
            if done {
                batch.delete(META_AUDIENCE_OWN.to_vec());
            }
            if !batch.is_empty() {
                self.kv().write(batch)?;
            }
            if done {
                tracing::info!(
                    chunks = indexed,
                    "audience index written for every chunk (this node is national now)"
                );
                return Ok(indexed);
            }
            let mut next = page.last().expect("a full page").clone();
            next.push(0);
            from = next;
        }
    }
}
