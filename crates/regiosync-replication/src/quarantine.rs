//! Damaged chunks: found by the store's check when the node opens (or met when read), set
//! aside until a peer sends them again.
//!
//! A chunk whose stored value fails its check is *quarantined*: a `Q origin first` key records
//! its seq range and the cursor the origin had, and the origin's cursor (and every source cursor
//! for it) goes back to just before it. The node then serves and vouches for that origin only up
//! to there, and its next subscriptions ask its peers for the origin from there again: chunks it
//! still holds intact come back as duplicates and are skipped; the damaged one is written again
//! (repaired) without being counted a second time, since its aggregates, index rows and the held
//! counter were written when it first arrived. Once no quarantined chunk of the origin is left,
//! its cursor returns to where it was. A damaged entry is never served: reading it is an error.
use regiosync_store::WriteBatch;
use regiosync_types::NodeId;

use crate::error::{Error, Result};
use crate::keys;
use crate::log::Log;

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
    fn value(&self) -> Vec<u8> {
        let mut v = self.last.to_be_bytes().to_vec();
        v.extend_from_slice(&self.cursor_before.to_be_bytes());
        v
    }

    fn from_row(key: &[u8], value: &[u8]) -> Option<Quarantined> {
        Some(Quarantined {
            origin: NodeId::from_key(*key.get(1)?)?,
            first: keys::seq_from_tail(key)?,
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
    pub fn quarantine_damaged(
        &self,
        damaged: &[(Vec<u8>, String)],
    ) -> Result<(Vec<Quarantined>, Vec<(Vec<u8>, String)>)> {
        let mut set_aside = Vec::new();
        let mut other = Vec::new();
        for (key, why) in damaged {
            let chunk = (key.len() == 10 && key[0] == keys::ENTRY)
                .then(|| Some((NodeId::from_key(key[1])?, keys::seq_from_tail(key)?)))
                .flatten();
            match chunk {
                Some((origin, first)) => set_aside.push(self.quarantine(origin, first)?),
                None => other.push((key.clone(), why.clone())),
            }
        }
        Ok((set_aside, other))
    }

    /// Set aside the chunk of `origin` that starts at `first`: the origin's cursors go back to
    /// just before it, so it is fetched again. Idempotent.
    pub fn quarantine(&self, origin: NodeId, first: u64) -> Result<Quarantined> {
        let mut guard = self.write_guard();
        let key = keys::quarantine(origin, first);
        if let Some(v) = self.kv().get(&key)? {
            return Quarantined::from_row(&key, &v).ok_or_else(|| Error::Corrupt(format!("quarantine row {key:?}")));
        }
        // An earlier chunk of the origin set aside has lowered the cursor already: what it was
        // before is the highest `cursor_before` of those.
        let earlier = self
            .quarantined()?
            .into_iter()
            .filter(|q| q.origin == origin)
            .map(|q| q.cursor_before);
        let current = self.version_vector()?.get(origin);
        let cursor = current.max(earlier.max().unwrap_or(0));
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
        let back = first - 1;
        let mut batch = WriteBatch::new();
        batch.put(key, q.value());
        if current > back {
            batch.put(keys::cursor(origin), back.to_be_bytes().to_vec());
        }
        for (source, vv) in self.source_vectors()? {
            if vv.get(origin) > back {
                batch.put(keys::source(source, origin), back.to_be_bytes().to_vec());
            }
        }
        self.kv().write(batch)?;
        self.kv().flush()?;
        // Cursors changed underneath the writer's cache: reload it on the next write.
        *guard = None;
        tracing::error!(
            %origin,
            seqs = %format!("{first}..={last}"),
            cursor_was = cursor,
            "stored chunk failed its check: set aside, and fetched again from peers from seq {first}"
        );
        Ok(q)
    }
}
