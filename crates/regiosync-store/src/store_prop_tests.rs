//! Property: random sequences of writes, failed writes (a full disk or a failing sync part-way
//! through a segment append), crashes at every write boundary and reopenings never lose an
//! acknowledged (flushed) value and never return a wrong one. A crash is simulated by copying
//! the store's folder between two writes and opening the copy, which is what a process killed
//! at that moment leaves on disk. Bytes flipped in a copy read as corruption, never as a value.
use std::collections::BTreeMap;
use std::path::Path;

use crate::segments::Fault;
use crate::sled_store::SledStore;
use crate::{KvStore, Reserve, WriteBatch, INLINE_MAX};

type Model = BTreeMap<Vec<u8>, Vec<u8>>;

use regiosync_types::rng::Rng;

fn open(dir: &Path) -> SledStore {
    SledStore::open_quiet(dir, 1 << 20, Reserve::Bytes(0)).expect("open store")
}

fn contents(store: &SledStore) -> Model {
    store
        .scan(b"", b"\xff", usize::MAX)
        .expect("scan")
        .into_iter()
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A value whose bytes say which key and write made it, inline or large.
fn value(rng: &mut Rng, key: &[u8], n: u64) -> Vec<u8> {
    let len = match rng.below(3) {
        0 => 1 + rng.below(64) as usize,
        1 => INLINE_MAX + 1 + rng.below(4096) as usize,
        _ => INLINE_MAX - 2 + rng.below(6) as usize,
    };
    let mut v = format!("{}:{n}:", String::from_utf8_lossy(key)).into_bytes();
    v.resize(len, (n % 251) as u8);
    v
}

fn run(seed: u64) {
    let mut rng = Rng(seed | 1);
    let root = tempfile::tempdir().unwrap();
    let live = root.path().join("live");
    let mut store = open(&live);
    let mut model = Model::new();
    // States the store may recover to after a crash now: every batch boundary since the last
    // flush (sled recovers a prefix of the batches applied).
    let mut since_flush: Vec<Model> = vec![Model::new()];
    let mut crashes = 0;
    for n in 0..120u64 {
        match rng.below(10) {
            0..=5 => {
                let mut batch = WriteBatch::new();
                let mut next = model.clone();
                for _ in 0..1 + rng.below(6) {
                    let key = format!("k{:02}", rng.below(24)).into_bytes();
                    if rng.below(5) == 0 {
                        batch.delete(key.clone());
                        next.remove(&key);
                    } else {
                        let v = value(&mut rng, &key, n);
                        batch.put(key.clone(), v.clone());
                        next.insert(key, v);
                    }
                }
                let has_large = batch
                    .ops()
                    .iter()
                    .any(|op| matches!(op, crate::Op::Put(_, v) if v.len() > INLINE_MAX));
                if has_large && rng.below(4) == 0 {
                    let fault = if rng.below(2) == 0 {
                        Fault::FullAfter(rng.below(3000) as usize)
                    } else {
                        Fault::SyncFails
                    };
                    *store.segments().fault.lock().unwrap() = Some(fault);
                    assert!(
                        store.write(batch).is_err(),
                        "seed {seed}: {fault:?} must fail the write"
                    );
                } else {
                    store.write(batch).expect("write");
                    model = next;
                    since_flush.push(model.clone());
                }
            }
            6 => {
                store.flush().expect("flush");
                since_flush = vec![model.clone()];
            }
            7 => {
                // Crash now: the copy is what a killed process leaves.
                crashes += 1;
                let copy = root.path().join(format!("crash-{n}"));
                copy_dir(&live, &copy);
                let recovered = contents(&open(&copy));
                assert!(
                    since_flush.contains(&recovered),
                    "seed {seed} op {n}: after a crash the store holds neither the flushed state nor a later batch boundary"
                );
                std::fs::remove_dir_all(&copy).unwrap();
            }
            8 => {
                store.flush().expect("flush");
                drop(store);
                store = open(&live);
                since_flush = vec![model.clone()];
            }
            _ => {
                // A flipped byte in a copy: every read is the value or a corruption error.
                store.flush().expect("flush");
                since_flush = vec![model.clone()];
                let copy = root.path().join(format!("flip-{n}"));
                copy_dir(&live, &copy);
                let seg = copy.join("segments/000001.seg");
                let mut bytes = std::fs::read(&seg).unwrap_or_default();
                if !bytes.is_empty() {
                    let at = rng.below(bytes.len() as u64) as usize;
                    bytes[at] ^= 1 << rng.below(8);
                    std::fs::write(&seg, &bytes).unwrap();
                }
                let damaged = open(&copy);
                for (k, want) in &model {
                    match damaged.get(k) {
                        Ok(Some(v)) => assert_eq!(&v, want, "seed {seed}: a flipped bit returned a wrong value"),
                        Ok(None) => panic!("seed {seed}: a flipped bit lost key {k:?}"),
                        Err(e) => assert!(e.is_corrupt(), "seed {seed}: {e}"),
                    }
                }
                drop(damaged);
                std::fs::remove_dir_all(&copy).unwrap();
            }
        }
        assert_eq!(contents(&store), model, "seed {seed} op {n}: live store differs");
    }
    assert!(crashes > 0 || !seed.is_multiple_of(7));
    let v = store.verify().unwrap();
    assert!(v.damaged.is_empty(), "seed {seed}: {v:?}");
}

#[test]
fn writes_failures_crashes_and_reopens_never_lose_or_alter_a_value() {
    let cases: u64 = std::env::var("REGIOSYNC_PROP_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let base: u64 = std::env::var("REGIOSYNC_PROP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_0001);
    for i in 0..cases {
        run(base.wrapping_add(i.wrapping_mul(0x9E37_79B9)));
    }
}
