//! [`KvStore`] on sled 0.34: one database per node, one tree, atomic `apply_batch`; values
//! larger than [`INLINE_MAX`] live in append-only segment files beside it (`segments.rs`).
use std::path::Path;

use crate::segments::{Pointer, Segments};
use crate::{Error, KvStore, Op, Result, WriteBatch};

/// Values up to this size are kept in sled itself; larger ones go to the segment files.
pub const INLINE_MAX: usize = 1024;

/// First byte of every value sled holds: the value follows, or a pointer into a segment.
const INLINE: u8 = 0;
const IN_SEGMENT: u8 = 1;

pub struct SledStore {
    db: sled::Db,
    segments: Segments,
}

impl SledStore {
    /// Open (or create) the database in `dir`. `cache_bytes` bounds sled's page cache.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<SledStore> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .flush_every_ms(Some(1000))
            .open()
            .map_err(|source| Error::Open {
                path: dir.display().to_string(),
                source,
            })?;
        let segments = Segments::open(&dir.join("segments")).map_err(|source| Error::Segments {
            path: dir.join("segments").display().to_string(),
            source,
        })?;
        Ok(SledStore { db, segments })
    }

    fn resolve(&self, stored: &[u8]) -> Result<Vec<u8>> {
        match stored.split_first() {
            Some((&INLINE, v)) => Ok(v.to_vec()),
            Some((&IN_SEGMENT, p)) => {
                let p = Pointer::decode(p).ok_or_else(|| Error::Corrupt("segment pointer".into()))?;
                self.segments.read(p).map_err(|source| Error::Segments {
                    path: format!("segment {}", p.segment),
                    source,
                })
            }
            _ => Err(Error::Corrupt("value without a tag".into())),
        }
    }
}

impl KvStore for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.db.get(key)?.map(|v| self.resolve(&v)).transpose()
    }

    fn scan(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in self.db.range(start..end).take(limit) {
            let (k, v) = item?;
            out.push((k.to_vec(), self.resolve(&v)?));
        }
        Ok(out)
    }

    fn last_in(&self, start: &[u8], end: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.db.range(start..end).next_back() {
            Some(item) => {
                let (k, v) = item?;
                Ok(Some((k.to_vec(), self.resolve(&v)?)))
            }
            None => Ok(None),
        }
    }

    /// Large values are appended to a segment and made durable first; only then do the
    /// pointers to them go into sled, in one atomic batch with everything else.
    fn write(&self, batch: WriteBatch) -> Result<()> {
        let ops = batch.into_ops();
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
            self.segments.append(&large).map_err(|source| Error::Segments {
                path: "append".into(),
                source,
            })?
        }
        .into_iter();
        let mut b = sled::Batch::default();
        for op in ops {
            match op {
                Op::Put(k, v) if v.len() > INLINE_MAX => {
                    let mut stored = Vec::with_capacity(1 + Pointer::ENCODED_LEN);
                    stored.push(IN_SEGMENT);
                    pointers
                        .next()
                        .expect("one pointer per large value")
                        .encode(&mut stored);
                    b.insert(k, stored)
                }
                Op::Put(k, v) => {
                    let mut stored = Vec::with_capacity(1 + v.len());
                    stored.push(INLINE);
                    stored.extend_from_slice(&v);
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
        let segments = self.segments.size_on_disk().map_err(|source| Error::Segments {
            path: "size".into(),
            source,
        })?;
        Ok(self.db.size_on_disk()? + segments)
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
    }
}
