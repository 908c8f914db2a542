//! The on-disk logs of one node: its own and every origin's it may see, read and written
//! through [`KvStore`]. Every write that adds entries also moves their cursor and counters in
//! the same atomic batch, so a crash never loses or doubles an entry.
//!
//! All methods block on storage; async callers use `spawn_blocking`.
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use prost::Message;
use regiosync_store::{KvStore, WriteBatch};
use regiosync_types::pb::SignedEntry;
use regiosync_types::{Envelope, NodeId, VersionVector};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::keys;

/// An entry that passed every check and may be stored.
#[derive(Clone, Debug)]
pub struct Checked {
    pub envelope: Envelope,
    pub signed: SignedEntry,
}

pub struct Log {
    kv: Arc<dyn KvStore>,
    /// Serialises writers: reads-before-write (duplicates, counters) stay consistent.
    write: Mutex<()>,
}

/// What an apply did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub stored: usize,
    pub duplicates: usize,
}

impl Log {
    pub fn new(kv: Arc<dyn KvStore>) -> Log {
        Log {
            kv,
            write: Mutex::new(()),
        }
    }

    pub fn version_vector(&self) -> Result<VersionVector> {
        let rows = self.kv.scan(&[keys::CURSOR], &[keys::CURSOR + 1], 256)?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, v)| Some((NodeId::from_key(*k.get(1)?)?, keys::u64_value(&v))))
            .collect())
    }

    pub fn entries_held(&self) -> Result<u64> {
        Ok(self.kv.get(keys::META_HELD)?.map(|v| keys::u64_value(&v)).unwrap_or(0))
    }

    /// Per-source cursors: for each peer, how far its stream is complete per origin.
    pub fn source_vectors(&self) -> Result<BTreeMap<NodeId, VersionVector>> {
        let rows = self.kv.scan(&[keys::SOURCE], &[keys::SOURCE + 1], 26 * 26)?;
        let mut out: BTreeMap<NodeId, VersionVector> = BTreeMap::new();
        for (k, v) in rows {
            if let (Some(src), Some(origin)) = (
                k.get(1).and_then(|b| NodeId::from_key(*b)),
                k.get(2).and_then(|b| NodeId::from_key(*b)),
            ) {
                out.entry(src).or_default().advance(origin, keys::u64_value(&v));
            }
        }
        Ok(out)
    }

    /// Store entries (each already verified) and raise cursors, atomically. Entries already held
    /// with identical bytes are skipped; different bytes for a held (origin, seq) is a conflict
    /// and nothing of the batch is written. With a `source`, that peer's own cursors move too.
    pub fn apply(&self, entries: &[Checked], cursors: &[(NodeId, u64)], source: Option<NodeId>) -> Result<Applied> {
        let _guard = self.write.lock().unwrap();
        let mut batch = WriteBatch::new();
        let mut applied = Applied::default();
        let mut vv = self.version_vector()?;
        if let Some(src) = source {
            let mut theirs = self.source_vectors()?.remove(&src).unwrap_or_default();
            let raises = entries
                .iter()
                .map(|c| (c.envelope.origin, c.envelope.seq))
                .chain(cursors.iter().copied());
            let mut moved = std::collections::BTreeSet::new();
            for (origin, seq) in raises {
                if theirs.advance(origin, seq) {
                    moved.insert(origin);
                }
            }
            for origin in moved {
                batch.put(keys::source(src, origin), theirs.get(origin).to_be_bytes().to_vec());
            }
        }
        let mut moved = Vec::new();
        let mut seen_in_batch = std::collections::HashSet::new();
        for c in entries {
            let env = &c.envelope;
            let bytes = c.signed.encode_to_vec();
            let key = keys::entry(env.origin, env.seq);
            if !seen_in_batch.insert((env.origin, env.seq)) {
                applied.duplicates += 1;
                continue;
            }
            match self.kv.get(&key)? {
                Some(existing) if existing == bytes => {
                    applied.duplicates += 1;
                    continue;
                }
                Some(_) => {
                    return Err(Error::Conflict {
                        origin: env.origin,
                        seq: env.seq,
                    })
                }
                None => {}
            }
            let id_key = keys::id(&env.id);
            if let Some(owner) = self.kv.get(&id_key)? {
                if owner != key[1..] {
                    return Err(Error::DuplicateId(env.id.clone()));
                }
            }
            batch.put(key.clone(), bytes);
            batch.put(id_key, key[1..].to_vec());
            for peer in &env.audience {
                if !peer.is_national() && *peer != env.origin {
                    batch.put(keys::audience(*peer, env.origin, env.seq), Vec::new());
                }
            }
            applied.stored += 1;
            if vv.advance(env.origin, env.seq) {
                moved.push(env.origin);
            }
        }
        for (origin, seq) in cursors {
            if vv.advance(*origin, *seq) {
                moved.push(*origin);
            }
        }
        if applied.stored == 0 && moved.is_empty() && batch.is_empty() {
            return Ok(applied);
        }
        moved.sort();
        moved.dedup();
        for origin in moved {
            batch.put(keys::cursor(origin), vv.get(origin).to_be_bytes().to_vec());
        }
        if applied.stored > 0 {
            let held = self.entries_held()? + applied.stored as u64;
            batch.put(keys::META_HELD.to_vec(), held.to_be_bytes().to_vec());
        }
        self.kv.write(batch)?;
        Ok(applied)
    }

    pub fn flush(&self) -> Result<()> {
        Ok(self.kv.flush()?)
    }

    /// Up to `limit` entries of `origin` with seq > `after` that `peer` may see, ascending.
    pub fn entries_for(&self, peer: NodeId, origin: NodeId, after: u64, limit: usize) -> Result<Vec<SignedEntry>> {
        if peer.is_national() || peer == origin {
            let (start, end) = keys::entry_range(origin, after);
            return self
                .kv
                .scan(&start, &end, limit)?
                .into_iter()
                .map(|(_, v)| decode(&v))
                .collect();
        }
        let (start, end) = keys::audience_range(peer, origin, after);
        let mut out = Vec::new();
        for (k, _) in self.kv.scan(&start, &end, limit)? {
            let (o, seq) = keys::origin_seq_from_tail(&k).ok_or_else(|| Error::Corrupt("audience key".into()))?;
            let v = self
                .kv
                .get(&keys::entry(o, seq))?
                .ok_or_else(|| Error::Corrupt(format!("index names missing entry {o}/{seq}")))?;
            out.push(decode(&v)?);
        }
        Ok(out)
    }

    /// Entries of one origin (or all), in key order, after `after` (only with an origin).
    pub fn scan(&self, origin: Option<NodeId>, after: u64, limit: usize) -> Result<Vec<SignedEntry>> {
        let (start, end) = match origin {
            Some(o) => keys::entry_range(o, after),
            None => (vec![keys::ENTRY], vec![keys::ENTRY + 1]),
        };
        self.kv
            .scan(&start, &end, limit)?
            .into_iter()
            .map(|(_, v)| decode(&v))
            .collect()
    }

    pub fn get(&self, origin: NodeId, seq: u64) -> Result<Option<SignedEntry>> {
        self.kv.get(&keys::entry(origin, seq))?.map(|v| decode(&v)).transpose()
    }

    pub fn get_by_id(&self, id: &str) -> Result<Option<SignedEntry>> {
        let Some(loc) = self.kv.get(&keys::id(id))? else {
            return Ok(None);
        };
        let mut key = vec![keys::ENTRY];
        key.extend_from_slice(&loc);
        self.kv.get(&key)?.map(|v| decode(&v)).transpose()
    }

    pub fn id_exists(&self, id: &str) -> Result<bool> {
        Ok(self.kv.get(&keys::id(id))?.is_some())
    }

    pub fn put_cert(&self, key_id: &[u8], der: &[u8]) -> Result<()> {
        let mut b = WriteBatch::new();
        b.put(keys::cert(key_id), der.to_vec());
        Ok(self.kv.write(b)?)
    }

    pub fn certs(&self) -> Result<Vec<Vec<u8>>> {
        Ok(self
            .kv
            .scan(&[keys::CERT], &[keys::CERT + 1], usize::MAX)?
            .into_iter()
            .map(|(_, v)| v)
            .collect())
    }

    /// Count and SHA-256 over (seq, entry bytes) of every entry of `origin` that `visible_to`
    /// may see (all when `None`): two nodes holding the same set compute the same digest.
    pub fn digest(&self, origin: NodeId, visible_to: Option<NodeId>) -> Result<(u64, [u8; 32])> {
        let mut hasher = Sha256::new();
        let mut count = 0;
        let mut after = 0;
        loop {
            let page = self.scan(Some(origin), after, 4096)?;
            let Some(last) = page.last() else { break };
            after = Envelope::from_signed(last)?.seq;
            for e in &page {
                let env = Envelope::from_signed(e)?;
                if visible_to.is_none_or(|n| env.visible_to(n)) {
                    hasher.update(env.seq.to_be_bytes());
                    hasher.update(e.encode_to_vec());
                    count += 1;
                }
            }
        }
        Ok((count, hasher.finalize().into()))
    }

    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.kv.size_on_disk()?)
    }
}

fn decode(v: &[u8]) -> Result<SignedEntry> {
    SignedEntry::decode(v).map_err(|e| Error::Corrupt(e.to_string()))
}
