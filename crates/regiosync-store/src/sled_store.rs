//! [`KvStore`] on sled 0.34: one database per node, one tree, atomic `apply_batch`; values
//! larger than [`INLINE_MAX`] live in append-only segment files beside it (`segments.rs`).
//!
//! Every value sled holds is `tag (1 byte) | CRC32C of key, tag and rest (u32 BE) | rest`, where
//! rest is the value itself or a pointer into a segment file (which checks the value again).
//! The checksum covers the key, so a value that turns up under another key fails too.
use std::path::Path;
use std::sync::Mutex;

use crate::checksum::crc;
use crate::segments::{self, Pointer, SegmentError, Segments};
use crate::space::{self, Reserve, Space};
use crate::{show_key, Error, KvStore, Op, Result, Verified, WriteBatch};

/// Values up to this size are kept in sled itself; larger ones go to the segment files.
pub const INLINE_MAX: usize = 1024;

/// First byte of every value sled holds: the value follows, or a pointer into a segment.
const INLINE: u8 = 2;
const IN_SEGMENT: u8 = 3;
/// Tags of the format before checksums (0 and 1): refused at open.
const OLD_TAGS: [u8; 2] = [0, 1];

/// The tree holding the store's own facts (its format), apart from the caller's keys.
const META_TREE: &str = "regiosync.meta";
const FORMAT_KEY: &[u8] = b"format";
const FORMAT: &[u8] = b"2: crc32c on every value and segment record";

/// The folder (in the store's) of the values kept beside the tree.
pub const BESIDE: &str = "beside";

/// Segment records read back in full per segment file at [`KvStore::verify`]: the newest ones,
/// where a torn or failed write would be.
const TAIL_RECORDS: usize = 64;

/// A segment file's size, and the pointers (with their keys) of its newest records.
type SegmentTail = (u64, Vec<(Vec<u8>, Pointer)>);

pub struct SledStore {
    db: sled::Db,
    dir: std::path::PathBuf,
    beside: Mutex<std::collections::HashMap<String, u64>>,
    segments: Segments,
    space: Space,
    /// Serialises writes, so segment appends and the batches pointing at them stay in order.
    write: Mutex<()>,
}

impl SledStore {
    /// Open (or create) the database in `dir`. `cache_bytes` bounds sled's page cache.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<SledStore> {
        Self::open_with(dir, cache_bytes, Reserve::Default)
    }

    /// As [`SledStore::open`], keeping `reserve` free on the filesystem (see [`Reserve`]).
    pub fn open_with(dir: &Path, cache_bytes: u64, reserve: Reserve) -> Result<SledStore> {
        Self::open_inner(dir, cache_bytes, reserve, Some(1000))
    }

    /// Without sled's background flush, so only [`KvStore::flush`] writes the tree to disk (the
    /// crash tests copy the folder between writes).
    #[cfg(test)]
    pub(crate) fn open_quiet(dir: &Path, cache_bytes: u64, reserve: Reserve) -> Result<SledStore> {
        Self::open_inner(dir, cache_bytes, reserve, None)
    }

    fn open_inner(dir: &Path, cache_bytes: u64, reserve: Reserve, flush_every_ms: Option<u64>) -> Result<SledStore> {
        let path = || dir.display().to_string();
        let config = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .flush_every_ms(flush_every_ms);
        // A store closed a moment ago in this process can still hold the folder's lock while
        // sled's flusher thread winds down: wait for it (briefly), as a restart would.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let db = loop {
            match config.open() {
                Err(sled::Error::Io(e))
                    if e.to_string().contains("could not acquire lock") && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                r => break r.map_err(|source| Error::Open { path: path(), source })?,
            }
        };
        check_format(&db, dir)?;
        let seg_dir = dir.join("segments");
        let segments = Segments::open(&seg_dir).map_err(seg_error)?;
        Ok(SledStore {
            db,
            dir: dir.to_path_buf(),
            beside: Mutex::new(Default::default()),
            segments,
            space: Space::new(dir, reserve),
            write: Mutex::new(()),
        })
    }

    fn resolve(&self, key: &[u8], stored: &[u8]) -> Result<Vec<u8>> {
        match open_value(key, stored)? {
            Stored::Inline(v) => Ok(v.to_vec()),
            Stored::Segment(p) => self.segments.read(p).map_err(|e| match seg_error(e) {
                Error::Corrupt { at, what } => Error::Corrupt {
                    at: format!("{at} (value of key {})", show_key(key)),
                    what,
                },
                e => e,
            }),
        }
    }

    /// Copy every tree (key by key, so an I/O error is an error, not a panic), the segment files
    /// and the values beside the tree into the new folder `to`. Returns the bytes copied.
    fn copy_into(&self, to: &Path) -> Result<u64> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source: std::io::Error| Error::Segments { path, source }
        };
        let copy = sled::Config::new()
            .path(to)
            .flush_every_ms(None)
            .open()
            .map_err(|source| Error::Open {
                path: to.display().to_string(),
                source,
            })?;
        for name in self.db.tree_names() {
            let (from, into) = (self.db.open_tree(&name)?, copy.open_tree(&name)?);
            let mut batch = sled::Batch::default();
            for (n, item) in from.iter().enumerate() {
                let (k, v) = item?;
                batch.insert(k, v);
                if n % 10_000 == 9_999 {
                    into.apply_batch(std::mem::take(&mut batch))?;
                }
            }
            into.apply_batch(batch)?;
        }
        copy.flush()?;
        drop(copy);
        let seg_to = to.join("segments");
        std::fs::create_dir_all(&seg_to).map_err(io(&seg_to))?;
        let mut bytes = 0;
        for n in Segments::numbers(self.segments.dir()).map_err(seg_error)? {
            let from = segments::name(self.segments.dir(), n);
            let target = segments::name(&seg_to, n);
            bytes += std::fs::copy(&from, &target).map_err(io(&from))?;
            std::fs::File::open(&target)
                .and_then(|f| f.sync_all())
                .map_err(io(&target))?;
        }
        let beside = self.dir.join(BESIDE);
        if beside.is_dir() {
            let beside_to = to.join(BESIDE);
            std::fs::create_dir_all(&beside_to).map_err(io(&beside_to))?;
            for entry in std::fs::read_dir(&beside).map_err(io(&beside))? {
                let entry = entry.map_err(io(&beside))?;
                bytes += std::fs::copy(entry.path(), beside_to.join(entry.file_name())).map_err(io(&entry.path()))?;
            }
        }
        let tree = std::fs::metadata(to.join("db")).map(|m| m.len()).unwrap_or(0);
        Ok(bytes + tree)
    }

    fn full(&self, detail: String) -> Error {
        Error::DiskFull {
            path: self.space.dir().display().to_string(),
            detail,
        }
    }

    #[cfg(test)]
    pub(crate) fn segments(&self) -> &Segments {
        &self.segments
    }
}

/// A new database gets the current format; one written before checksums is refused, with what
/// to do.
fn check_format(db: &sled::Db, dir: &Path) -> Result<()> {
    let meta = db.open_tree(META_TREE)?;
    if let Some(format) = meta.get(FORMAT_KEY)? {
        if format.as_ref() == FORMAT {
            return Ok(());
        }
        return Err(Error::Format {
            path: dir.display().to_string(),
            what: format!(
                "store format '{}' is not this version's ('{}')",
                String::from_utf8_lossy(&format),
                String::from_utf8_lossy(FORMAT)
            ),
        });
    }
    if let Some(first) = db.iter().next() {
        let (_, v) = first?;
        if v.first().is_some_and(|t| OLD_TAGS.contains(t)) {
            return Err(Error::Format {
                path: dir.display().to_string(),
                what: "written by an earlier regiosync without checksums; move the folder aside and \
                       start the node on an empty one: it fetches its own and its peers' entries \
                       back from its peers"
                    .into(),
            });
        }
    }
    meta.insert(FORMAT_KEY, FORMAT)?;
    meta.flush()?;
    Ok(())
}

#[derive(Debug)]
enum Stored<'a> {
    Inline(&'a [u8]),
    Segment(Pointer),
}

/// Check a value as sled holds it and say where the bytes are.
fn open_value<'a>(key: &[u8], stored: &'a [u8]) -> Result<Stored<'a>> {
    let corrupt = |what: &str| Error::Corrupt {
        at: format!("key {}", show_key(key)),
        what: what.into(),
    };
    if stored.len() < 5 {
        return Err(corrupt("value shorter than its header"));
    }
    let (tag, check, rest) = (stored[0], &stored[1..5], &stored[5..]);
    let want = u32::from_be_bytes(check.try_into().expect("4 bytes"));
    if crc(&[key, &[tag], rest]) != want {
        return Err(corrupt("checksum mismatch"));
    }
    match tag {
        INLINE => Ok(Stored::Inline(rest)),
        IN_SEGMENT => Pointer::decode(rest)
            .map(Stored::Segment)
            .ok_or_else(|| corrupt("segment pointer of the wrong length")),
        _ => Err(corrupt("unknown value tag")),
    }
}

fn seal_value(key: &[u8], tag: u8, rest: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(5 + rest.len());
    v.push(tag);
    v.extend_from_slice(&crc(&[key, &[tag], rest]).to_be_bytes());
    v.extend_from_slice(rest);
    v
}

fn seg_error(e: SegmentError) -> Error {
    match e {
        SegmentError::Io { file, source } if space::is_full(&source) => Error::DiskFull {
            path: file.display().to_string(),
            detail: source.to_string(),
        },
        SegmentError::Io { file, source } => Error::Segments {
            path: file.display().to_string(),
            source,
        },
        SegmentError::Corrupt { file, offset, what } => Error::Corrupt {
            at: format!("{} offset {offset}", file.display()),
            what,
        },
    }
}

impl KvStore for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.db.get(key)?.map(|v| self.resolve(key, &v)).transpose()
    }

    fn scan(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in self.db.range(start..end).take(limit) {
            let (k, v) = item?;
            let v = self.resolve(&k, &v)?;
            out.push((k.to_vec(), v));
        }
        Ok(out)
    }

    fn keys(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        for item in self.db.range(start..end).keys().take(limit) {
            out.push(item?.to_vec());
        }
        Ok(out)
    }

    fn last_in(&self, start: &[u8], end: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.db.range(start..end).next_back() {
            Some(item) => {
                let (k, v) = item?;
                let v = self.resolve(&k, &v)?;
                Ok(Some((k.to_vec(), v)))
            }
            None => Ok(None),
        }
    }

    /// Refused as [`Error::DiskFull`] while the filesystem is within the reserve. Large values
    /// are appended to a segment and made durable first; only then do the pointers to them go
    /// into sled, in one atomic batch with everything else.
    fn write(&self, batch: WriteBatch) -> Result<()> {
        let ops = batch.into_ops();
        let incoming: usize = ops
            .iter()
            .map(|op| match op {
                Op::Put(k, v) => k.len() + v.len(),
                Op::Delete(k) => k.len(),
            })
            .sum();
        let _serial = self.write.lock().unwrap();
        self.space.check(incoming as u64).map_err(|d| self.full(d))?;
        let large: Vec<&[u8]> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Put(_, v) if v.len() > INLINE_MAX => Some(v.as_slice()),
                _ => None,
            })
            .collect();
        let mut pointers = if large.is_empty() {
            Vec::new()
        } else {
            self.segments.append(&large).map_err(seg_error)?
        }
        .into_iter();
        let mut b = sled::Batch::default();
        for op in ops {
            match op {
                Op::Put(k, v) if v.len() > INLINE_MAX => {
                    let mut p = Vec::with_capacity(Pointer::ENCODED_LEN);
                    pointers.next().expect("one pointer per large value").encode(&mut p);
                    let stored = seal_value(&k, IN_SEGMENT, &p);
                    b.insert(k, stored)
                }
                Op::Put(k, v) => {
                    let stored = seal_value(&k, INLINE, &v);
                    b.insert(k, stored)
                }
                Op::Delete(k) => b.remove(k),
            }
        }
        self.db.apply_batch(b)?;
        Ok(())
    }

    fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn size_on_disk(&self) -> Result<u64> {
        let segments = self.segments.size_on_disk().map_err(seg_error)?;
        Ok(self.db.size_on_disk()? + segments)
    }

    fn put_beside(&self, name: &str, value: &[u8]) -> Result<()> {
        let dir = self.dir.join(BESIDE);
        std::fs::create_dir_all(&dir).map_err(|source| Error::Segments {
            path: dir.display().to_string(),
            source,
        })?;
        let path = dir.join(name);
        let mut counters = self.beside.lock().unwrap();
        let counter = match counters.get(name) {
            Some(c) => c + 1,
            None => crate::beside::counter(&path)?.map_or(1, |c| c + 1),
        };
        crate::beside::write(&path, counter, value).map_err(|source| match space::is_full(&source) {
            true => Error::DiskFull {
                path: path.display().to_string(),
                detail: source.to_string(),
            },
            false => Error::Segments {
                path: path.display().to_string(),
                source,
            },
        })?;
        counters.insert(name.to_string(), counter);
        Ok(())
    }

    fn get_beside(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(crate::beside::read(&self.dir.join(BESIDE).join(name))?.map(|(_, v)| v))
    }

    fn snapshot(&self, to: &Path) -> Result<u64> {
        if to.exists() {
            return Err(Error::Format {
                path: to.display().to_string(),
                what: "a snapshot goes into a new folder, and this one exists".into(),
            });
        }
        // No write gets between the tree's copy and the segment files' copy.
        let _serial = self.write.lock().unwrap();
        // The copy is about as large as the store; it must not eat the reserve the live store
        // keeps (backups usually go to the same filesystem).
        let need = self.db.size_on_disk()? + self.segments.size_on_disk().map_err(seg_error)?;
        self.space.check(need).map_err(|d| self.full(d))?;
        self.db.flush()?;
        // Built under another name and renamed when complete, so a failed snapshot never looks
        // like a backup.
        let partial = to.with_extension("partial");
        let _ = std::fs::remove_dir_all(&partial);
        let made = self.copy_into(&partial);
        let bytes = match made.and_then(|bytes| {
            std::fs::rename(&partial, to).map_err(|source| Error::Segments {
                path: to.display().to_string(),
                source,
            })?;
            Ok(bytes)
        }) {
            Ok(bytes) => bytes,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&partial);
                return Err(e);
            }
        };
        Ok(bytes)
    }

    fn verify(&self) -> Result<Verified> {
        let mut found = Verified::default();
        // Per segment: its size, and the pointers of its newest records.
        let mut tails: std::collections::BTreeMap<u32, SegmentTail> = Default::default();
        for item in self.db.iter() {
            let (k, v) = item?;
            found.values += 1;
            let p = match open_value(&k, &v) {
                Ok(Stored::Inline(_)) => continue,
                Ok(Stored::Segment(p)) => p,
                Err(e) => {
                    found.damaged.push((k.to_vec(), e.to_string()));
                    continue;
                }
            };
            let (size, newest) = tails
                .entry(p.segment)
                .or_insert_with(|| (self.segments.file_len(p.segment), Vec::new()));
            if p.end() > *size {
                let file = segments::name(self.segments.dir(), p.segment);
                found.damaged.push((
                    k.to_vec(),
                    format!(
                        "points at {}..{} of {} ({} bytes): truncated",
                        p.offset,
                        p.end(),
                        file.display(),
                        size
                    ),
                ));
                continue;
            }
            newest.push((k.to_vec(), p));
            if newest.len() > 4 * TAIL_RECORDS {
                newest.sort_by_key(|(_, p)| std::cmp::Reverse(p.offset));
                newest.truncate(TAIL_RECORDS);
            }
        }
        for (segment, (size, mut newest)) in tails {
            newest.sort_by_key(|(_, p)| std::cmp::Reverse(p.offset));
            let end = newest.first().map_or(0, |(_, p)| p.end());
            if segment
                == *Segments::numbers(self.segments.dir())
                    .map_err(seg_error)?
                    .last()
                    .unwrap_or(&0)
            {
                found.unreferenced_tail_bytes += size.saturating_sub(end);
            }
            for (k, p) in newest.into_iter().take(TAIL_RECORDS) {
                found.records_read += 1;
                if let Err(e) = self.segments.read(p) {
                    found.damaged.push((k, seg_error(e).to_string()));
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_scans_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = SledStore::open(dir.path(), 1 << 20).unwrap();
            let mut b = WriteBatch::new();
            for i in 0u8..10 {
                // Every other value is large enough to live in a segment file.
                b.put(vec![b'k', i], vec![i; if i % 2 == 0 { 1 } else { INLINE_MAX + 1 }]);
            }
            b.delete(vec![b'k', 3]);
            store.write(b).unwrap();
            store.flush().unwrap();
        }
        let store = SledStore::open(dir.path(), 1 << 20).unwrap();
        let got = store.scan(&[b'k', 2], &[b'k', 6], 10).unwrap();
        let keys: Vec<u8> = got.iter().map(|(k, _)| k[1]).collect();
        assert_eq!(keys, vec![2, 4, 5]);
        assert_eq!(got[2].1, vec![5; INLINE_MAX + 1]);
        assert_eq!(store.last_in(b"k", b"l").unwrap().unwrap().1, vec![9; INLINE_MAX + 1]);
        assert_eq!(store.get(&[b'k', 8]).unwrap(), Some(vec![8]));
        assert_eq!(store.get(&[b'k', 3]).unwrap(), None);
        assert_eq!(store.scan(b"k", b"l", 2).unwrap().len(), 2);
        let v = store.verify().unwrap();
        assert_eq!((v.values, v.records_read, v.damaged.len()), (9, 4, 0), "{v:?}");
    }

    #[test]
    fn a_snapshot_opens_as_the_same_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(&dir.path().join("live"), 1 << 20).unwrap();
        let mut b = WriteBatch::new();
        for i in 0u8..20 {
            b.put(vec![b'k', i], vec![i; if i % 3 == 0 { INLINE_MAX + 100 } else { 10 }]);
        }
        store.write(b).unwrap();
        store.put_beside("head", b"\x00\x07").unwrap();
        let to = dir.path().join("snap");
        let bytes = store.snapshot(&to).unwrap();
        assert!(bytes > 7 * (INLINE_MAX as u64 + 100), "{bytes}");
        assert!(store.snapshot(&to).unwrap_err().to_string().contains("new folder"));
        let copy = SledStore::open(&to, 1 << 20).unwrap();
        assert_eq!(
            copy.scan(b"", b"\xff", usize::MAX).unwrap(),
            store.scan(b"", b"\xff", usize::MAX).unwrap()
        );
        // A copy does not vouch for what was true of the store it was copied from.
        assert_eq!(copy.get_beside("head").unwrap(), None);
        assert_eq!(store.get_beside("head").unwrap(), Some(b"\x00\x07".to_vec()));
        assert!(copy.verify().unwrap().damaged.is_empty());
    }

    #[test]
    fn a_value_under_another_key_or_with_a_flipped_bit_is_corrupt() {
        let stored = seal_value(b"k1", INLINE, b"value");
        assert!(matches!(open_value(b"k1", &stored), Ok(Stored::Inline(b"value"))));
        let e = open_value(b"k2", &stored).err().unwrap();
        assert_eq!(e.to_string(), "storage is corrupt at key k2: checksum mismatch");
        let mut flipped = stored.clone();
        flipped[7] ^= 1;
        assert!(open_value(b"k1", &flipped).unwrap_err().is_corrupt());
        assert!(open_value(b"\x01k", &[INLINE])
            .unwrap_err()
            .to_string()
            .contains("key \\x01k"));
    }

    #[test]
    fn the_reserve_refuses_writes_as_disk_full_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open_with(dir.path(), 1 << 20, Reserve::Bytes(u64::MAX / 2)).unwrap();
        let mut b = WriteBatch::new();
        b.put(b"k".to_vec(), vec![7; 4096]);
        let e = store.write(b).unwrap_err();
        assert!(e.is_disk_full(), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("disk full at {}", dir.path().display())),
            "{e}"
        );
        assert_eq!(store.get(b"k").unwrap(), None);
        assert_eq!(store.segments().file_len(1), 0);
    }

    #[test]
    fn a_store_written_before_checksums_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        {
            // No background flusher: its thread would hold the folder's lock a moment after drop.
            let db = sled::Config::new()
                .path(dir.path())
                .flush_every_ms(None)
                .open()
                .unwrap();
            db.insert(b"C\x01", &[0u8, 0, 0, 0, 0, 0, 0, 0, 5][..]).unwrap();
            db.flush().unwrap();
        }
        let e = SledStore::open(dir.path(), 1 << 20).err().unwrap();
        assert!(e.to_string().contains("without checksums"), "{e}");
    }
}
