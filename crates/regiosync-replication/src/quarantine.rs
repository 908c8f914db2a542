//! Damaged chunks: found by the store's check when the node opens (or met when read), set
//! aside until a peer sends them again.
//!
//! A chunk whose stored value fails its check is *quarantined*: a `Q origin first` key records
//! its seq range (and the cursor the origin had), and the damaged value is removed, so no read
//! meets it again. The cursor stays where it is: the chunk is a gap (`gaps.rs`), served to
//! peers as a `Hole` (never vouched for as held) and asked for again in every subscription.
//! When a peer sends it, it is written again (repaired) without being counted a second time,
//! since its aggregates, index rows and the held counter were written when it first arrived.
//! A damaged entry is never served: asking for it says it is being fetched back.
use regiosync_store::WriteBatch;
use regiosync_types::NodeId;

use crate::error::{Error, Result};
use crate::keys;
use crate::log::Log;

/// Stored keys whose values failed their check, each with why.
pub type DamagedKeys = Vec<(Vec<u8>, String)>;

/// A chunk set aside because its stored value failed its check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quarantined {
    pub origin: NodeId,
    pub first: u64,
    pub last: u64,
    /// The origin's cursor when it was set aside, restored once it is repaired.
    pub cursor_before: u64,
}

impl Quarantined {
    /// The seqs it spans.
    pub fn range(&self) -> crate::transport::SeqRange {
        crate::transport::SeqRange {
            origin: self.origin,
            first: self.first,
            last: self.last,
        }
    }

    fn value(&self) -> Vec<u8> {
        let mut v = self.last.to_be_bytes().to_vec();
        v.extend_from_slice(&self.cursor_before.to_be_bytes());
        v
    }

    fn from_row(key: &[u8], value: &[u8]) -> Option<Quarantined> {
        let (origin, first) = keys::origin_and_seq(key)?;
        Some(Quarantined {
            origin,
            first,
            last: keys::u64_value(value),
            cursor_before: keys::u64_value(value.get(8..)?),
        })
    }
}

impl Log {
    /// Every chunk set aside and not yet repaired.
    pub fn quarantined(&self) -> Result<Vec<Quarantined>> {
        let rows = self
            .kv()
            .scan(&[keys::QUARANTINE], &[keys::QUARANTINE + 1], usize::MAX)?;
        Ok(rows.iter().filter_map(|(k, v)| Quarantined::from_row(k, v)).collect())
    }

    /// Set aside the chunks among `damaged` (keys the store's check refused, with why); other
    /// damaged keys are returned as they are, for the caller to report.
    pub fn quarantine_damaged(&self, damaged: &[(Vec<u8>, String)]) -> Result<(Vec<Quarantined>, DamagedKeys)> {
        let mut set_aside = Vec::new();
        let mut other = Vec::new();
        for (key, why) in damaged {
            let chunk = (key.first() == Some(&keys::ENTRY))
                .then(|| keys::origin_and_seq(key))
                .flatten();
            match chunk {
                Some((origin, first)) => set_aside.push(self.quarantine(origin, first)?),
                None => other.push((key.clone(), why.clone())),
            }
        }
        Ok((set_aside, other))
    }

    /// Set aside the chunk of `origin` that starts at `first`: record its range and remove the
    /// damaged value. Idempotent.
    pub fn quarantine(&self, origin: NodeId, first: u64) -> Result<Quarantined> {
        let mut guard = self.write_guard();
        let q = self.quarantine_unguarded(origin, first)?;
        // The gaps changed underneath the writer's cache: reload it on the next write.
        *guard = None;
        Ok(q)
    }

    /// [`Log::quarantine`] for a caller that holds the writers' lock (and updates its cache).
    pub(crate) fn quarantine_unguarded(&self, origin: NodeId, first: u64) -> Result<Quarantined> {
        let key = keys::quarantine(origin, first);
        let chunk_key = keys::chunk(origin, first);
        let still_there = !self
            .kv()
            .keys(&chunk_key, &keys::with_seq(&keys::chunk_prefix(origin), first + 1), 1)?
            .is_empty();
        if let Some(v) = self.kv().get(&key)? {
            let q = Quarantined::from_row(&key, &v).ok_or_else(|| Error::Corrupt(format!("quarantine row {key:?}")))?;
            if still_there {
                // Set aside by an earlier version, which kept the damaged value.
                let mut batch = WriteBatch::new();
                batch.delete(chunk_key);
                self.kv().write(batch)?;
                self.kv().flush()?;
            }
            return Ok(q);
        }
        let cursor = self.version_vector()?.get(origin);
        // The chunk's own value cannot be trusted for its last seq: the next chunk's start, or
        // the cursor, bounds it.
        let prefix = keys::chunk_prefix(origin);
        let next = self.kv().keys(
            &keys::with_seq(&prefix, first.saturating_add(1)),
            &keys::prefix_end(&prefix),
            1,
        )?;
        let last = match next.first().and_then(|k| keys::seq_from_tail(k)) {
            Some(next_first) => next_first - 1,
            None => cursor.max(first),
        };
        let q = Quarantined {
            origin,
            first,
            last,
            cursor_before: cursor,
        };
        let mut batch = WriteBatch::new();
        batch.put(key, q.value());
        batch.delete(chunk_key);
        self.kv().write(batch)?;
        self.kv().flush()?;
        tracing::error!(
            %origin,
            seqs = %format!("{first}..={last}"),
            "stored chunk failed its check: set aside (not served, not vouched for) and asked for again from peers"
        );
        Ok(q)
    }
}
