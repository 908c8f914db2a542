//! The chunk store's own rules, without a network: duplicates are skipped, an overlapping chunk
//! under another seal is refused whole, ids people chose are unique, lookups find entries inside
//! chunks, and a peer is served only what it may see.
use std::sync::Arc;

use regiosync_store::SledStore;
use regiosync_trust::{DevCa, Signer};
use regiosync_types::chunk::Entry;
use regiosync_types::pb::{EntryBody, Status};
use regiosync_types::{Envelope, NodeId, Sealed};

use crate::error::Error;
use crate::log::Log;

pub(crate) fn vr(n: u8) -> NodeId {
    NodeId::region(n).unwrap()
}

pub(crate) fn signer(ca: &DevCa, node: NodeId) -> Signer {
    let issued = ca.issue_node(node).unwrap();
    Signer::from_pem(&issued.cert_pem, &issued.key_pem).unwrap()
}

fn entry(seq: u64, id: Option<&str>, audience: &[NodeId], payload: &str) -> Entry {
    let mut aud: Vec<String> = vec!["NL".into(), "VR01".into()];
    aud.extend(audience.iter().map(|a| a.to_string()));
    Entry::from_envelope(
        Envelope::check(EntryBody {
            id: id
                .map(str::to_string)
                .unwrap_or_else(|| Envelope::generated_id(vr(1), seq)),
            origin: "VR01".into(),
            seq,
            kind: "test_record".into(),
            created_unix_ms: 1_700_000_000_000,
            status: Status::Test as i32,
            audience: aud,
            payload: payload.as_bytes().to_vec(),
            ..Default::default()
        })
        .unwrap(),
    )
}

/// One chunk of VR01 holding seqs `first..=last`, VR02 in the audience of the even ones.
pub(crate) fn chunk(s: &Signer, first: u64, last: u64, tag: &str) -> Sealed {
    let entries = (first..=last)
        .map(|q| {
            let audience = if q % 2 == 0 { vec![vr(2)] } else { vec![] };
            entry(q, None, &audience, &format!("{tag} {q}"))
        })
        .collect();
    let mut chunks = s.seal_all(1_700_000_000_000, entries);
    assert_eq!(chunks.len(), 1);
    chunks.remove(0)
}

fn log() -> (tempfile::TempDir, Log) {
    let dir = tempfile::tempdir().unwrap();
    let log = Log::new(
        Arc::new(SledStore::open(dir.path(), 1 << 20).unwrap()),
        Arc::new(crate::Opaque),
        regiosync_types::Federation::shipped(),
    );
    (dir, log)
}

#[test]
fn duplicates_are_skipped_and_overlaps_under_another_seal_refused() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    let a = chunk(&s, 1, 4, "a");
    let b = chunk(&s, 5, 8, "b");
    let applied = log.apply(vec![a.clone(), b.clone(), a.clone()], &[], None).unwrap();
    assert_eq!((applied.stored, applied.duplicates), (8, 4));
    assert_eq!(log.apply(vec![b.clone()], &[], None).unwrap().duplicates, 4);

    // Same seqs, other content: the origin equivocated. Nothing of the batch is written.
    let fresh = chunk(&s, 9, 10, "c");
    for rogue in [chunk(&s, 5, 8, "other"), chunk(&s, 3, 6, "other"), chunk(&s, 8, 9, "x")] {
        let err = log.apply(vec![fresh.clone(), rogue], &[], None).unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
    }
    assert_eq!(log.entries_held().unwrap(), 8);
    assert_eq!(log.version_vector().unwrap().get(vr(1)), 8);
    assert!(log.get(vr(1), 9).unwrap().is_none());
}

#[test]
fn lookups_find_entries_inside_chunks() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    log.apply(vec![chunk(&s, 1, 3, "a"), chunk(&s, 4, 9, "b")], &[], None)
        .unwrap();
    for seq in 1..=9 {
        let held = log.get(vr(1), seq).unwrap().unwrap();
        assert_eq!(held.entry.envelope.seq, seq);
        let by_id = log.get_by_id(&format!("VR01-{seq}")).unwrap().unwrap();
        assert_eq!(by_id.entry, held.entry);
    }
    assert!(log.get(vr(1), 10).unwrap().is_none());
    assert!(log.get_by_id("VR01-10").unwrap().is_none());
    let page = log.entries(vr(1), 2, 3).unwrap();
    assert_eq!(
        page.iter().map(|h| h.entry.envelope.seq).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    // From the middle of a chunk, the whole chunk is served.
    let chunks = log.chunks(vr(1), 5, 100, usize::MAX).unwrap();
    assert_eq!(chunks.iter().map(|c| c.first_seq).collect::<Vec<_>>(), vec![4]);
}

#[test]
fn ids_people_chose_are_unique() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    let first = s.seal_all(1_700_000_000_000, vec![entry(1, Some("agreement-7"), &[], "v1")]);
    log.apply(first, &[], None).unwrap();
    assert_eq!(log.get_by_id("agreement-7").unwrap().unwrap().entry.envelope.seq, 1);
    let again = s.seal_all(1_700_000_000_000, vec![entry(2, Some("agreement-7"), &[], "v2")]);
    let err = log.apply(again, &[], None).unwrap_err();
    assert!(
        matches!(err, Error::DuplicateId(ref id) if id == "agreement-7"),
        "{err}"
    );
    assert_eq!(log.entries_held().unwrap(), 1);
}

#[test]
fn a_region_is_served_only_what_it_may_see() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    // seqs 1..=4 (VR02 sees 2 and 4), 5 alone (VR02 sees nothing), 6..=7 (VR02 sees 6).
    log.apply(
        vec![chunk(&s, 1, 4, "a"), chunk(&s, 5, 5, "b"), chunk(&s, 6, 7, "c")],
        &[],
        None,
    )
    .unwrap();
    let out = log.chunks_for(vr(2), vr(1), 0, u64::MAX, 100, usize::MAX).unwrap();
    assert_eq!(out.iter().map(|o| o.last_seq).collect::<Vec<_>>(), vec![4, 7]);
    for o in out {
        let c = Sealed::open(o.chunk.unwrap()).unwrap();
        assert!(c.entries().all(|e| e.envelope.audience.contains(&vr(2))));
        assert_eq!(c.entries().count() + c.withheld(), c.items.len());
        assert_eq!(c.withheld(), c.items.len() / 2);
    }
    assert!(log
        .chunks_for(vr(3), vr(1), 0, u64::MAX, 100, usize::MAX)
        .unwrap()
        .is_empty());
    assert_eq!(
        log.chunks_for(NodeId::NL, vr(1), 4, u64::MAX, 100, usize::MAX)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        log.chunks_for(vr(2), vr(1), 4, u64::MAX, 100, usize::MAX)
            .unwrap()
            .len(),
        1
    );
}

fn range(first: u64, last: u64) -> crate::transport::SeqRange {
    crate::transport::SeqRange {
        origin: vr(1),
        first,
        last,
    }
}

#[test]
fn a_hole_moves_the_cursor_and_is_closed_by_chunks_and_settled_ranges() {
    use crate::apply::Marks;
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    log.apply(vec![chunk(&s, 1, 4, "a")], &[], None).unwrap();
    // A hole over 3..=12: only what lies past the cursor is new.
    let hole = Marks {
        holes: vec![range(3, 12)],
        ..Marks::default()
    };
    let applied = log.apply_with(Vec::new(), &hole, Some(NodeId::NL)).unwrap();
    assert_eq!(applied.missing, [range(5, 12)]);
    assert_eq!(log.version_vector().unwrap().get(vr(1)), 12);
    assert_eq!(log.source_vectors().unwrap()[&NodeId::NL].get(vr(1)), 12);
    // A chunk inside it is stored and counted, and cuts it in two.
    let applied = log.apply(vec![chunk(&s, 7, 8, "b")], &[], None).unwrap();
    assert_eq!((applied.stored, applied.filled), (2, 2));
    assert_eq!(log.missing().unwrap(), [range(5, 6), range(9, 12)]);
    assert_eq!(log.entries_held().unwrap(), 6);
    // A peer that holds 9..=20 intact settles what it had nothing visible of.
    let settled = Marks {
        settled: vec![range(9, 20)],
        ..Marks::default()
    };
    assert_eq!(log.apply_with(Vec::new(), &settled, Some(vr(1))).unwrap().filled, 4);
    assert_eq!(log.missing().unwrap(), [range(5, 6)]);
    // The cursor never went back, and nothing below it is a hole again.
    assert_eq!(log.apply_with(Vec::new(), &hole, Some(NodeId::NL)).unwrap().missing, []);
    assert_eq!(log.version_vector().unwrap().get(vr(1)), 12);
}

#[test]
fn a_quarantined_chunk_keeps_the_cursor_is_never_read_and_is_repaired_once() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, log) = log();
    let b = chunk(&s, 5, 8, "b");
    log.apply(vec![chunk(&s, 1, 4, "a"), b.clone(), chunk(&s, 9, 9, "c")], &[], None)
        .unwrap();
    let q = log.quarantine(vr(1), 5).unwrap();
    assert_eq!((q.first, q.last), (5, 8));
    assert_eq!(log.version_vector().unwrap().get(vr(1)), 9, "the cursor stays");
    assert!(log.get(vr(1), 6).unwrap().is_none(), "the damaged value is gone");
    let served = log.chunks_for(NodeId::NL, vr(1), 0, 9, 100, usize::MAX).unwrap();
    assert_eq!(served.iter().map(|o| o.last_seq).collect::<Vec<_>>(), vec![4, 9]);
    // VR02's index still names it: reading it says it is set aside, not "missing chunk".
    let err = log
        .chunks_for(vr(2), vr(1), 4, 9, 100, usize::MAX)
        .err()
        .expect("set aside");
    assert!(matches!(err, Error::Damaged { first: 5, .. }), "{err}");
    // It comes back: written again, counted once.
    let applied = log.apply(vec![b], &[], None).unwrap();
    assert_eq!((applied.repaired, applied.stored), (4, 0));
    assert_eq!(log.entries_held().unwrap(), 9);
    assert!(log.quarantined().unwrap().is_empty());
    assert_eq!(log.get(vr(1), 6).unwrap().unwrap().entry.envelope.seq, 6);
}

/// A store whose values under chosen keys fail their check when read, as damaged bytes on disk
/// would (until they are written again).
struct Damaging {
    inner: SledStore,
    bad: std::sync::Mutex<std::collections::HashSet<Vec<u8>>>,
}

impl Damaging {
    fn check(&self, key: &[u8]) -> regiosync_store::Result<()> {
        match self.bad.lock().unwrap().contains(key) {
            true => Err(regiosync_store::Error::Corrupt {
                at: regiosync_store::show_key(key),
                what: "checksum mismatch (test)".into(),
            }),
            false => Ok(()),
        }
    }
}

impl regiosync_store::KvStore for Damaging {
    fn get(&self, key: &[u8]) -> regiosync_store::Result<Option<Vec<u8>>> {
        let v = self.inner.get(key)?;
        if v.is_some() {
            self.check(key)?;
        }
        Ok(v)
    }
    fn scan(&self, start: &[u8], end: &[u8], limit: usize) -> regiosync_store::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let rows = self.inner.scan(start, end, limit)?;
        rows.iter().try_for_each(|(k, _)| self.check(k))?;
        Ok(rows)
    }
    fn keys(&self, start: &[u8], end: &[u8], limit: usize) -> regiosync_store::Result<Vec<Vec<u8>>> {
        self.inner.keys(start, end, limit)
    }
    fn last_in(&self, start: &[u8], end: &[u8]) -> regiosync_store::Result<Option<(Vec<u8>, Vec<u8>)>> {
        let row = self.inner.last_in(start, end)?;
        if let Some((k, _)) = &row {
            self.check(k)?;
        }
        Ok(row)
    }
    fn write(&self, batch: regiosync_store::WriteBatch) -> regiosync_store::Result<()> {
        // Written again (or removed): no longer damaged.
        let touched: Vec<Vec<u8>> = batch
            .ops()
            .iter()
            .map(|op| match op {
                regiosync_store::Op::Put(k, _) | regiosync_store::Op::Delete(k) => k.clone(),
            })
            .collect();
        self.bad.lock().unwrap().retain(|k| !touched.contains(k));
        self.inner.write(batch)
    }
    fn flush(&self) -> regiosync_store::Result<()> {
        self.inner.flush()
    }
    fn size_on_disk(&self) -> regiosync_store::Result<u64> {
        self.inner.size_on_disk()
    }
    fn put_beside(&self, name: &str, value: &[u8]) -> regiosync_store::Result<()> {
        self.inner.put_beside(name, value)
    }
    fn get_beside(&self, name: &str) -> regiosync_store::Result<Option<Vec<u8>>> {
        self.inner.get_beside(name)
    }
    fn snapshot(&self, to: &std::path::Path) -> regiosync_store::Result<u64> {
        self.inner.snapshot(to)
    }
    fn verify(&self) -> regiosync_store::Result<regiosync_store::Verified> {
        self.inner.verify()
    }
}

fn damaging_log() -> (tempfile::TempDir, Arc<Damaging>, Log) {
    let dir = tempfile::tempdir().unwrap();
    let kv = Arc::new(Damaging {
        inner: SledStore::open(dir.path(), 1 << 20).unwrap(),
        bad: Default::default(),
    });
    let log = Log::new(
        kv.clone(),
        Arc::new(crate::Opaque),
        regiosync_types::Federation::shipped(),
    );
    (dir, kv, log)
}

#[test]
fn a_damaged_chunk_met_on_a_read_names_itself_and_a_peers_copy_repairs_it() {
    let ca = DevCa::generate("log CA").unwrap();
    let s = signer(&ca, vr(1));
    let (_dir, kv, log) = damaging_log();
    let b = chunk(&s, 5, 8, "b");
    log.apply(vec![chunk(&s, 1, 4, "a"), b.clone(), chunk(&s, 9, 9, "c")], &[], None)
        .unwrap();
    kv.bad.lock().unwrap().insert(crate::keys::chunk(vr(1), 5));
    // Reads name the damaged chunk (the engine sets it aside and reads again).
    let err = log.get(vr(1), 6).unwrap_err();
    assert!(matches!(err, Error::Damaged { first: 5, .. }), "{err}");
    let err = log.entries(vr(1), 0, 100).unwrap_err();
    assert!(matches!(err, Error::Damaged { first: 5, .. }), "{err}");
    // The same chunk arriving from a peer is not refused: the damaged copy is set aside and
    // repaired by it, counted once.
    let applied = log.apply(vec![b], &[], Some(NodeId::NL)).unwrap();
    assert_eq!((applied.repaired, applied.stored), (4, 0));
    assert!(log.quarantined().unwrap().is_empty());
    assert_eq!(log.entries_held().unwrap(), 9);
    assert_eq!(log.entries(vr(1), 0, 100).unwrap().len(), 9);
}
