//! Writing what arrives (or is published) into the log: chunks, cursor advances, holes and
//! settled ranges, all in one atomic batch with the aggregates, indexes and counters they move,
//! so a crash never loses or doubles an entry.
use std::collections::{BTreeMap, BTreeSet, HashSet};

use prost::Message;
use regiosync_store::{KvStore, WriteBatch};
use regiosync_types::{Envelope, NodeId, Sealed};

use crate::audience_index::{self, Index};
use crate::error::{Error, Result};
use crate::gaps;
use crate::keys;
use crate::log::{decode, id_location, Log, Written};
use crate::payloads::Aggregates;
use crate::transport::SeqRange;

/// What an apply did, in entries.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    pub stored: usize,
    pub duplicates: usize,
    /// Entries of quarantined chunks written again intact.
    pub repaired: usize,
    /// The cursors this write moved, as they are now.
    pub cursors: Vec<(NodeId, u64)>,
    /// Ranges newly recorded missing (from holes).
    pub missing: Vec<SeqRange>,
    /// Seqs recorded missing earlier that are held or settled now.
    pub filled: u64,
    /// LoggedEntry chunks found damaged under an arriving one and set aside.
    pub set_aside: usize,
}

/// What a peer vouched for besides chunks.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Cursor advances (watermarks).
    pub cursors: Vec<(NodeId, u64)>,
    /// Ranges the sender vouches past but could not send.
    pub holes: Vec<SeqRange>,
    /// Ranges the sender holds intact and sent everything of that this node may see.
    pub settled: Vec<SeqRange>,
}

impl Log {
    /// Store chunks (each already verified) and raise cursors, atomically (see
    /// [`Log::apply_with`]).
    pub fn apply(&self, chunks: Vec<Sealed>, cursors: &[(NodeId, u64)], source: Option<NodeId>) -> Result<Applied> {
        let marks = Marks {
            cursors: cursors.to_vec(),
            ..Marks::default()
        };
        self.apply_with(chunks, &marks, source)
    }

    /// Store chunks (each already verified) and what a peer vouched for, atomically. A chunk
    /// already held under the same seal is skipped; a chunk that overlaps a held one under a
    /// different seal is a conflict (the origin equivocated) and nothing of the batch is
    /// written. A hole past the cursor is recorded missing and the cursor moves past it; a chunk
    /// or settled range over missing seqs closes them. With a `source`, that peer's own cursors
    /// move too.
    pub fn apply_with(&self, chunks: Vec<Sealed>, marks: &Marks, source: Option<NodeId>) -> Result<Applied> {
        let mut guard = self.write_guard();
        if guard.is_none() {
            *guard = Some(Written {
                vv: self.version_vector()?,
                sources: self.source_vectors()?,
                held: self.entries_held()?,
                quarantined: self
                    .quarantined()?
                    .into_iter()
                    .map(|q| ((q.origin, q.first), q))
                    .collect(),
                missing: self.missing_map()?,
                own_index_marked: self.kv().get(crate::audience_index::META_AUDIENCE_OWN)?.is_some(),
            });
        }
        let written = guard.as_mut().expect("loaded above");
        let mut batch = WriteBatch::new();
        let mut applied = Applied::default();
        // What this write raises, over the cursors as last written (not a copy of them: at a
        // thousand origins copying them on every write cost more than the write).
        let mut vv = Raised::over(Some(&written.vv));
        let mut missing = written.missing.clone();
        let mut theirs = source.map(|src| Raised::over(written.sources.get(&src)));
        if let (Some(src), Some(theirs)) = (source, theirs.as_mut()) {
            let raises = chunks
                .iter()
                .map(|c| (c.origin, c.last_seq()))
                .chain(marks.cursors.iter().copied())
                .chain(marks.holes.iter().map(|h| (h.origin, h.last)));
            let mut moved = BTreeSet::new();
            for (origin, seq) in raises {
                if theirs.advance(origin, seq) {
                    moved.insert(origin);
                }
            }
            for origin in moved {
                batch.put(keys::source(src, origin), theirs.get(origin).to_be_bytes().to_vec());
            }
        }
        let mut aggregates = Overlay {
            kv: self.kv(),
            changes: BTreeMap::new(),
            failed: None,
        };
        let mut moved = BTreeSet::new();
        // (origin, first) -> (last, signature) of the chunks taken in this batch.
        let mut taken: BTreeMap<(NodeId, u64), (u64, Vec<u8>)> = BTreeMap::new();
        let mut ids = HashSet::new();
        let mut repaired = BTreeSet::new();
        let mut marked = false;
        for c in chunks {
            let (origin, first, last) = (c.origin, c.first_seq, c.last_seq());
            let conflict = || Error::Conflict { origin, seq: first };
            // A held chunk this one overlaps whose stored value fails its check is set aside
            // now, not a reason to refuse the batch: when it is this chunk, the copy arriving
            // repairs it.
            let held = match self.overlapping(origin, first, last) {
                Err(Error::Damaged {
                    origin: o,
                    first: f,
                    what,
                }) => {
                    tracing::error!(origin = %o, first = f, %what, "stored chunk failed its check while a peer's copy arrived");
                    let q = self.quarantine_unguarded(o, f)?;
                    written.quarantined.insert((o, f), q);
                    applied.set_aside += 1;
                    None
                }
                r => r?,
            };
            if let Some(q) = written.quarantined.get(&(origin, first)) {
                // The chunk set aside, back intact: write it again, count nothing twice.
                if last <= q.last && !repaired.contains(&(origin, first)) {
                    repaired.insert((origin, first));
                    applied.repaired += c.entries().count();
                    batch.delete(keys::quarantine(origin, first));
                    // Its audience rows too: a node that became national may have skipped
                    // them while the chunk was damaged (`audience_index.rs`).
                    if self.index().covers(origin) {
                        audience_index::put_rows(&mut batch, self.members(), &c);
                    }
                    batch.put(keys::chunk(origin, first), chunk_value(c));
                    // A store from before gaps held the cursor back at a damaged chunk.
                    let others_left = written
                        .quarantined
                        .keys()
                        .any(|&(o, f)| o == origin && !repaired.contains(&(o, f)));
                    let upto = if others_left { last } else { q.cursor_before.max(last) };
                    if vv.advance(origin, upto) {
                        moved.insert(origin);
                    }
                }
                continue;
            }
            let in_batch = taken.range(..=(origin, last)).next_back();
            if let Some((&(o, f), (l, sig))) = in_batch {
                if o == origin && *l >= first {
                    if (f, *l, sig) == (first, last, &c.signature) {
                        applied.duplicates += c.entries().count();
                        continue;
                    }
                    return Err(conflict());
                }
            }
            if let Some(held) = held {
                if held.first_seq == first && held.last_seq() == last && held.signature == c.signature {
                    applied.duplicates += c.entries().count();
                    continue;
                }
                return Err(conflict());
            }
            if let Some((s, k)) = crate::key_spans::started_by(&c) {
                batch.put(keys::key_span(origin, s), k.to_vec());
            }
            for e in c.entries() {
                let env = &e.envelope;
                if Envelope::parse_generated_id(&env.id).is_none() {
                    let taken_elsewhere = match self.kv().get(&keys::id(&env.id))? {
                        Some(loc) => loc != id_location(origin, env.seq),
                        None => false,
                    };
                    if taken_elsewhere || !ids.insert(env.id.clone()) {
                        return Err(Error::DuplicateId(env.id.clone()));
                    }
                    batch.put(keys::id(&env.id), id_location(origin, env.seq));
                }
                // A key transition is the engine's own entry (`key_spans.rs`), not a record.
                if env.kind != regiosync_types::KEY_TRANSITION {
                    self.payloads().admit(env).map_err(|error| Error::Refused {
                        id: env.id.clone(),
                        kind: env.kind.clone(),
                        error,
                    })?;
                    self.payloads()
                        .aggregate(env, &mut aggregates)
                        .map_err(|e| Error::Corrupt(format!("the aggregate entry {} counts in: {e}", env.id)))?;
                }
                applied.stored += 1;
            }
            match self.index() {
                index if index.covers(origin) => audience_index::put_rows(&mut batch, self.members(), &c),
                // Rows of another origin's chunks are not kept here: mark the store so, in
                // the same write as the first chunk they are skipped for.
                Index::Own(me) if !written.own_index_marked && !marked => {
                    batch.put(audience_index::META_AUDIENCE_OWN.to_vec(), me.to_string().into_bytes());
                    marked = true;
                }
                _ => {}
            }
            taken.insert((origin, first), (last, c.signature.clone()));
            batch.put(keys::chunk(origin, first), chunk_value(c));
            applied.filled += gaps::close(&mut missing, &mut batch, origin, first, last);
            if vv.advance(origin, last) {
                moved.insert(origin);
            }
        }
        for (origin, seq) in &marks.cursors {
            if vv.advance(*origin, *seq) {
                moved.insert(*origin);
            }
        }
        for hole in &marks.holes {
            // Only what lies past the cursor is new: below it this node holds the seqs, or has
            // them recorded as a gap already.
            let at = vv.get(hole.origin);
            if hole.last > at {
                let first = at + 1;
                missing.insert((hole.origin, first), hole.last);
                batch.put(keys::missing(hole.origin, first), hole.last.to_be_bytes().to_vec());
                applied.missing.push(SeqRange { first, ..*hole });
                vv.advance(hole.origin, hole.last);
                moved.insert(hole.origin);
            }
        }
        for r in &marks.settled {
            applied.filled += gaps::close(&mut missing, &mut batch, r.origin, r.first, r.last);
        }
        if let Some(e) = aggregates.failed {
            return Err(e.into());
        }
        for (key, value) in aggregates.changes {
            batch.put(keys::aggregate(&key), value);
        }
        if applied.stored == 0 && moved.is_empty() && batch.is_empty() {
            return Ok(applied);
        }
        for origin in moved {
            batch.put(keys::cursor(origin), vv.get(origin).to_be_bytes().to_vec());
            applied.cursors.push((origin, vv.get(origin)));
        }
        if applied.stored > 0 {
            let held = written.held + applied.stored as u64;
            batch.put(keys::META_HELD.to_vec(), held.to_be_bytes().to_vec());
        }
        self.kv().write(batch)?;
        let (raised, theirs) = (vv.into_raised(), theirs.map(Raised::into_raised));
        for (origin, seq) in raised {
            written.vv.set(origin, seq);
        }
        written.held += applied.stored as u64;
        written.missing = missing;
        written.own_index_marked |= marked;
        for key in &repaired {
            if let Some(q) = written.quarantined.remove(key) {
                tracing::info!(origin = %q.origin, seqs = %format!("{}..={}", q.first, q.last), "damaged chunk repaired from a peer");
            }
        }
        if let (Some(src), Some(theirs)) = (source, theirs) {
            let held = written.sources.entry(src).or_default();
            for (origin, seq) in theirs {
                held.set(origin, seq);
            }
        }
        Ok(applied)
    }

    /// The held chunk of `origin` that shares a seq with `first..=last`, if any.
    fn overlapping(&self, origin: NodeId, first: u64, last: u64) -> Result<Option<Sealed>> {
        let prefix = keys::chunk_prefix(origin);
        let upto = keys::with_seq(&prefix, last.saturating_add(1));
        match self.last_chunk_in(&prefix, &upto)? {
            Some((_, v)) if keys::u64_value(&v) >= first => Ok(Some(decode(&v)?)),
            _ => Ok(None),
        }
    }
}

/// Cursors one write raises, over `base` (the cursors as last written).
struct Raised<'a> {
    base: Option<&'a regiosync_types::VersionVector>,
    raised: BTreeMap<NodeId, u64>,
}

impl<'a> Raised<'a> {
    fn over(base: Option<&'a regiosync_types::VersionVector>) -> Raised<'a> {
        Raised {
            base,
            raised: BTreeMap::new(),
        }
    }

    fn get(&self, origin: NodeId) -> u64 {
        match self.raised.get(&origin) {
            Some(seq) => *seq,
            None => self.base.map_or(0, |b| b.get(origin)),
        }
    }

    /// Raise `origin` to `seq`; whether it moved.
    fn advance(&mut self, origin: NodeId, seq: u64) -> bool {
        let moved = seq > self.get(origin);
        if moved {
            self.raised.insert(origin, seq);
        }
        moved
    }

    fn into_raised(self) -> BTreeMap<NodeId, u64> {
        self.raised
    }
}

/// A chunk as stored: its last seq, then the encoded chunk.
fn chunk_value(c: Sealed) -> Vec<u8> {
    let last = c.last_seq();
    let chunk = c.into_pb();
    let mut value = Vec::with_capacity(8 + chunk.encoded_len());
    value.extend_from_slice(&last.to_be_bytes());
    chunk.encode(&mut value).expect("a Vec grows");
    value
}

/// The aggregates as one write changes them: reads fall through to the store.
struct Overlay<'a> {
    kv: &'a dyn KvStore,
    changes: BTreeMap<Vec<u8>, Vec<u8>>,
    failed: Option<regiosync_store::Error>,
}

impl Aggregates for Overlay<'_> {
    fn get(&mut self, key: &[u8]) -> Option<Vec<u8>> {
        if let Some(v) = self.changes.get(key) {
            return Some(v.clone());
        }
        match self.kv.get(&keys::aggregate(key)) {
            Ok(v) => v,
            Err(e) => {
                self.failed.get_or_insert(e);
                None
            }
        }
    }

    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.changes.insert(key, value);
    }
}
