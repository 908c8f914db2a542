//! The on-disk logs of one node: its own and every origin's it may see, stored as sealed chunks
//! and read through [`KvStore`]; writing them is `apply.rs`.
//!
//! All methods block on storage; async callers use `spawn_blocking`.
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use prost::Message;
use regiosync_store::{KvStore, WriteBatch};
use regiosync_types::chunk::Entry;
use regiosync_types::pb;
use regiosync_types::{Envelope, Federation, NodeId, Sealed, VersionVector};
use sha2::{Digest, Sha256};

use crate::audience_index::Index;
use crate::error::{Error, Result};
use crate::gaps::MissingMap;
use crate::keys;
use crate::payloads::Payloads;
use crate::quarantine::Quarantined;

pub struct Log {
    kv: Arc<dyn KvStore>,
    payloads: Arc<dyn Payloads>,
    members: Federation,
    /// Which chunks' audience rows are kept (`audience_index.rs`).
    index: Index,
    /// The chunks last opened to serve, by their stored bytes (`opened.rs`).
    opened: crate::opened::Opened,
    /// Serialises writers: reads-before-write (overlaps, ids, counters) stay consistent. Holds
    /// the cursors and counters as last written, loaded on the first write.
    write: Mutex<Option<Written>>,
}

/// Cursors and counters as the last successful write left them.
pub(crate) struct Written {
    pub(crate) vv: VersionVector,
    pub(crate) sources: BTreeMap<NodeId, VersionVector>,
    pub(crate) held: u64,
    /// Chunks set aside, by (origin, first seq).
    pub(crate) quarantined: BTreeMap<(NodeId, u64), Quarantined>,
    /// Seqs never received, by (origin, first seq).
    pub(crate) missing: MissingMap,
    /// Whether the store is marked as holding only this node's own audience rows.
    pub(crate) own_index_marked: bool,
}

/// One entry as this node's log holds it, with the key that sealed it.
#[derive(Clone, Debug)]
pub struct LoggedEntry {
    pub entry: Entry,
    pub key_id: [u8; 16],
}

impl Log {
    /// A log whose entries' payloads are admitted and indexed by `payloads`.
    /// `members` says who is national (sees every entry).
    pub fn new(kv: Arc<dyn KvStore>, payloads: Arc<dyn Payloads>, members: Federation) -> Log {
        Log {
            kv,
            payloads,
            members,
            index: Index::All,
            opened: Default::default(),
            write: Mutex::new(None),
        }
    }

    /// This log keeping the audience rows `index` says (every chunk's unless told).
    pub fn with_index(self, index: Index) -> Log {
        Log { index, ..self }
    }

    /// Which chunks' audience rows this log keeps.
    pub fn index(&self) -> Index {
        self.index
    }

    pub(crate) fn kv(&self) -> &dyn KvStore {
        self.kv.as_ref()
    }

    pub(crate) fn members(&self) -> &Federation {
        &self.members
    }

    pub(crate) fn payloads(&self) -> &dyn Payloads {
        self.payloads.as_ref()
    }

    /// The writers' lock, with the cursors as last written (`None`: reload them).
    pub(crate) fn write_guard(&self) -> std::sync::MutexGuard<'_, Option<Written>> {
        self.write.lock().unwrap()
    }

    pub fn version_vector(&self) -> Result<VersionVector> {
        let rows = self.kv.scan(&[keys::CURSOR], &[keys::CURSOR + 1], usize::MAX)?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, v)| Some((keys::first_id(&k)?.0, keys::u64_value(&v))))
            .collect())
    }

    pub fn entries_held(&self) -> Result<u64> {
        Ok(self.kv.get(keys::META_HELD)?.map(|v| keys::u64_value(&v)).unwrap_or(0))
    }

    /// Per-source cursors: for each peer, how far its stream is complete per origin.
    pub fn source_vectors(&self) -> Result<BTreeMap<NodeId, VersionVector>> {
        let rows = self.kv.scan(&[keys::SOURCE], &[keys::SOURCE + 1], usize::MAX)?;
        let mut out: BTreeMap<NodeId, VersionVector> = BTreeMap::new();
        for (k, v) in rows {
            if let Some((src, origin)) = keys::two_ids(&k) {
                out.entry(src).or_default().advance(origin, keys::u64_value(&v));
            }
        }
        Ok(out)
    }

    pub fn flush(&self) -> Result<()> {
        Ok(self.kv.flush()?)
    }

    /// Chunks of `origin` holding seqs after `after` that `peer` may see something of, as
    /// `peer` may receive them (the rest withheld), ascending, until they hold `max_entries`
    /// items or `max_bytes` (at least one). Stored chunks are sent as they are to NL and the
    /// origin, which see everything; only for other peers are they opened and filtered.
    /// Chunks that start after `through` (the cursor this node vouches for) are not read.
    #[allow(clippy::too_many_arguments)]
    pub fn chunks_for(
        &self,
        peer: NodeId,
        origin: NodeId,
        after: u64,
        through: u64,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<Vec<Outgoing>> {
        if self.members.is_national(peer) || peer == origin {
            return self
                .raw_chunks(origin, after, through, max_entries, max_bytes)?
                .into_iter()
                .map(|raw| {
                    let chunk = pb::Chunk::decode(&raw.value[8..]).map_err(|e| Error::Corrupt(e.to_string()))?;
                    Ok(Outgoing {
                        last_seq: raw.last,
                        key_id: chunk.key_id.as_slice().try_into().unwrap_or_default(),
                        chunk: Some(chunk),
                    })
                })
                .collect();
        }
        let firsts = self.firsts_after(&keys::audience_prefix(peer, origin), after, max_entries)?;
        let mut out = Vec::new();
        let (mut entries, mut bytes) = (0, 0);
        for first in firsts.into_iter().take_while(|&f| f <= through) {
            let v = match self.kv.get(&keys::chunk(origin, first)) {
                Err(e) if e.is_corrupt() && out.is_empty() => {
                    return Err(Error::Damaged {
                        origin,
                        first,
                        what: e.to_string(),
                    })
                }
                Err(e) if e.is_corrupt() => break,
                Ok(None) if out.is_empty() => {
                    // Set aside (its value removed) after the index row was read.
                    return Err(Error::Damaged {
                        origin,
                        first,
                        what: "the chunk is set aside".into(),
                    });
                }
                Ok(None) => break,
                Ok(Some(v)) => v,
                Err(e) => return Err(e.into()),
            };
            let c = self.opened.open(&v)?;
            entries += c.items.len();
            bytes += v.len();
            out.push(Outgoing {
                last_seq: c.last_seq(),
                key_id: c.key_id,
                chunk: c.for_peer(peer, &self.members),
            });
            if entries >= max_entries || bytes >= max_bytes {
                break;
            }
        }
        Ok(out)
    }

    /// The seal of the first held chunk of `origin` that reaches `seq` or beyond, every entry
    /// withheld: what a watermark or hole up to `seq` carries as proof that the origin sealed
    /// that far. `None` when this node holds no such chunk.
    pub fn seal_reaching(&self, origin: NodeId, seq: u64) -> Result<Option<pb::Chunk>> {
        self.raw_chunks(origin, seq.saturating_sub(1), u64::MAX, 1, 1)?
            .first()
            .map(|raw| self.opened.open(&raw.value).map(|c| c.seal_only()))
            .transpose()
    }

    /// Every chunk of `origin` holding seqs after `after`, ascending, within the same limits.
    pub fn chunks(&self, origin: NodeId, after: u64, max_entries: usize, max_bytes: usize) -> Result<Vec<Sealed>> {
        self.raw_chunks(origin, after, u64::MAX, max_entries, max_bytes)?
            .iter()
            .map(|raw| decode(&raw.value))
            .collect()
    }

    /// Stored values of the chunks of `origin` holding seqs after `after`, without decoding.
    fn raw_chunks(
        &self,
        origin: NodeId,
        after: u64,
        through: u64,
        max_entries: usize,
        max_bytes: usize,
    ) -> Result<Vec<RawChunk>> {
        let prefix = keys::chunk_prefix(origin);
        let mut out = Vec::new();
        let (mut entries, mut bytes) = (0usize, 0usize);
        let mut take = |first: u64, value: Vec<u8>, out: &mut Vec<RawChunk>| {
            let last = keys::u64_value(&value);
            entries += (last.saturating_sub(first) + 1) as usize;
            bytes += value.len();
            out.push(RawChunk { last, value });
            entries >= max_entries || bytes >= max_bytes
        };
        let mut from = keys::with_seq(&prefix, after.saturating_add(1));
        if let Some((k, v)) = self.last_chunk_in(&prefix, &from)? {
            // A chunk that starts at or before `after` but reaches past it.
            if keys::u64_value(&v) > after {
                let last = keys::u64_value(&v);
                if take(keys::seq_from_tail(&k).unwrap_or(0), v, &mut out) {
                    return Ok(out);
                }
                from = keys::with_seq(&prefix, last.saturating_add(1));
            }
        }
        let end = match through.checked_add(1) {
            Some(past) => keys::with_seq(&prefix, past),
            None => keys::prefix_end(&prefix),
        };
        loop {
            if from >= end {
                return Ok(out);
            }
            let page = self.checked_scan(origin, &from, &end, 64, out.is_empty())?;
            let n = page.len();
            for (k, v) in page {
                let first = keys::seq_from_tail(&k).unwrap_or(0);
                from = keys::with_seq(&prefix, keys::u64_value(&v).saturating_add(1));
                if take(first, v, &mut out) {
                    return Ok(out);
                }
            }
            if n < 64 {
                return Ok(out);
            }
        }
    }

    /// `scan` over `origin`'s chunks that, when a value fails its check, returns the intact ones
    /// before it (a short page, so the caller stops there), or, when the damaged one comes
    /// first and nothing is gathered yet (`first_page`), [`Error::Damaged`] naming it.
    fn checked_scan(
        &self,
        origin: NodeId,
        from: &[u8],
        end: &[u8],
        limit: usize,
        first_page: bool,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        match self.kv.scan(from, end, limit) {
            Err(e) if e.is_corrupt() => {}
            r => return Ok(r?),
        }
        let mut page = Vec::new();
        for k in self.kv.keys(from, end, limit)? {
            match self.kv.get(&k) {
                Ok(Some(v)) => page.push((k, v)),
                Ok(None) => {}
                Err(e) if e.is_corrupt() => {
                    if page.is_empty() && first_page {
                        return Err(Error::Damaged {
                            origin,
                            first: keys::seq_from_tail(&k).unwrap_or(0),
                            what: e.to_string(),
                        });
                    }
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(page)
    }

    /// The held chunk under `prefix` (an `E` origin prefix) that holds `seq`.
    fn containing(&self, prefix: &[u8], seq: u64) -> Result<Option<Sealed>> {
        let upto = keys::with_seq(prefix, seq.saturating_add(1));
        match self.last_chunk_in(prefix, &upto)? {
            Some((_, v)) if keys::u64_value(&v) >= seq => Ok(Some(decode(&v)?)),
            _ => Ok(None),
        }
    }

    /// The last chunk under `prefix` (an `E` origin prefix) before `upto`; one whose stored
    /// value fails its check is [`Error::Damaged`], naming it.
    pub(crate) fn last_chunk_in(&self, prefix: &[u8], upto: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.kv.last_in(prefix, upto) {
            Err(e) if e.is_corrupt() => {
                let key = self.kv.keys(prefix, upto, usize::MAX)?.pop();
                Err(Error::Damaged {
                    origin: keys::first_id(prefix)
                        .ok_or_else(|| Error::Corrupt("chunk prefix".into()))?
                        .0,
                    first: key.as_deref().and_then(keys::seq_from_tail).unwrap_or(0),
                    what: e.to_string(),
                })
            }
            r => Ok(r?),
        }
    }

    /// First seqs of the chunks indexed under an `A` prefix that hold seqs after `after`.
    fn firsts_after(&self, prefix: &[u8], after: u64, limit: usize) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        let from = keys::with_seq(prefix, after.saturating_add(1));
        if let Some((k, v)) = self.kv.last_in(prefix, &from)? {
            if keys::u64_value(&v) > after {
                out.extend(keys::seq_from_tail(&k));
            }
        }
        for (k, _) in self.kv.scan(&from, &keys::prefix_end(prefix), limit.max(1))? {
            out.extend(keys::seq_from_tail(&k));
        }
        Ok(out)
    }

    /// Entries of `origin` with seq > `after`, ascending, at most `limit` (withheld ones skipped).
    pub fn entries(&self, origin: NodeId, after: u64, limit: usize) -> Result<Vec<LoggedEntry>> {
        let mut out = Vec::new();
        let mut from = after;
        while out.len() < limit {
            let page = self.chunks(origin, from, limit.min(4096), usize::MAX)?;
            let Some(last) = page.last() else { break };
            from = last.last_seq();
            for c in page {
                let key_id = c.key_id;
                for item in c.items {
                    if let regiosync_types::chunk::Item::Entry(entry) = item {
                        if entry.envelope.seq > after && out.len() < limit {
                            out.push(LoggedEntry { entry, key_id });
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// The entry `origin`/`seq`, if held.
    pub fn get(&self, origin: NodeId, seq: u64) -> Result<Option<LoggedEntry>> {
        let Some(c) = self.containing(&keys::chunk_prefix(origin), seq)? else {
            return Ok(None);
        };
        let key_id = c.key_id;
        Ok(c.items
            .into_iter()
            .nth((seq - c.first_seq) as usize)
            .and_then(|item| match item {
                regiosync_types::chunk::Item::Entry(entry) => Some(LoggedEntry { entry, key_id }),
                regiosync_types::chunk::Item::Withheld(_) => None,
            }))
    }

    pub fn get_by_id(&self, id: &str) -> Result<Option<LoggedEntry>> {
        let Some((origin, seq)) = self.locate(id)? else {
            return Ok(None);
        };
        Ok(self.get(origin, seq)?.filter(|h| h.entry.envelope.id == id))
    }

    /// Where the entry with this id is (or would be): a generated id names it, a chosen one is
    /// looked up in the id index.
    pub fn locate(&self, id: &str) -> Result<Option<(NodeId, u64)>> {
        match Envelope::parse_generated_id(id) {
            Some(loc) => Ok(Some(loc)),
            None => match self.kv.get(&keys::id(id))? {
                Some(loc) => Ok(Some(
                    parse_id_location(&loc).ok_or_else(|| Error::Corrupt(format!("id index of {id}")))?,
                )),
                None => Ok(None),
            },
        }
    }

    /// The record layer's aggregate `key`.
    pub fn aggregate(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.kv.get(&keys::aggregate(key))?)
    }

    /// The record layer's aggregates whose keys start with `prefix` (prefix stripped of `G`).
    pub fn aggregates(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let start = keys::aggregate(prefix);
        let end = keys::prefix_end(&start);
        Ok(self
            .kv
            .scan(&start, &end, usize::MAX)?
            .into_iter()
            .map(|(k, v)| (k[1..].to_vec(), v))
            .collect())
    }

    /// Whether a record with this id is held (generated ids: whether that entry is held).
    pub fn id_exists(&self, id: &str) -> Result<bool> {
        Ok(self.get_by_id(id)?.is_some())
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

    /// Count and SHA-256 over (seq, body) of every entry of `origin` that `visible_to` may see
    /// (all held when `None`): two nodes holding the same set compute the same digest.
    pub fn digest(&self, origin: NodeId, visible_to: Option<NodeId>) -> Result<(u64, [u8; 32])> {
        let mut hasher = Sha256::new();
        let mut count = 0;
        let mut after = 0;
        loop {
            let page = self.chunks(origin, after, 4096, usize::MAX)?;
            let Some(last) = page.last() else { break };
            after = last.last_seq();
            for e in page.iter().flat_map(|c| c.entries()) {
                if visible_to.is_none_or(|n| self.members.may_see(n, &e.envelope)) {
                    hasher.update(e.envelope.seq.to_be_bytes());
                    hasher.update(&e.body);
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

/// A stored chunk value (last seq, then the encoded chunk), not yet decoded.
struct RawChunk {
    last: u64,
    value: Vec<u8>,
}

/// A chunk ready to stream to one peer.
pub struct Outgoing {
    pub last_seq: u64,
    pub key_id: [u8; 16],
    /// `None` when the peer may see none of its entries (it only moves the peer's cursor).
    pub chunk: Option<pb::Chunk>,
}

pub(crate) fn id_location(origin: NodeId, seq: u64) -> Vec<u8> {
    let mut v = origin.key().to_vec();
    v.extend_from_slice(&seq.to_be_bytes());
    v
}

fn parse_id_location(v: &[u8]) -> Option<(NodeId, u64)> {
    let (origin, rest) = NodeId::from_key(v)?;
    Some((origin, u64::from_be_bytes(rest.try_into().ok()?)))
}

/// A stored chunk value: last seq, then the encoded chunk.
pub(crate) fn decode(v: &[u8]) -> Result<Sealed> {
    let chunk = v
        .get(8..)
        .ok_or_else(|| Error::Corrupt("chunk value too short".into()))
        .and_then(|b| pb::Chunk::decode(b).map_err(|e| Error::Corrupt(e.to_string())))?;
    Sealed::open(chunk).map_err(|e| Error::Corrupt(e.to_string()))
}
