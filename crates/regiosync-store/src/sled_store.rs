//! [`KvStore`] on sled 0.34: one database per node, one tree, atomic `apply_batch`.
use std::path::Path;

use crate::{Error, KvStore, Op, Result, WriteBatch};

/// sled's log segment size (a storage parameter fixed when a database is created). sled
/// writes any page larger than a quarter of a segment to a file of its own; with the default
/// 512 KiB, leaves full of chunk values (up to ~50 KiB each) became such files, one create and
/// unlink per page rewrite. 2 MiB keeps them in the log (BENCHMARKS.md, "storage layout").
pub const SEGMENT_BYTES: usize = 2 * 1024 * 1024;

pub struct SledStore {
    db: sled::Db,
}

impl SledStore {
    /// Open (or create) the database in `dir`. `cache_bytes` bounds sled's page cache.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<SledStore> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .flush_every_ms(Some(1000))
            .segment_size(SEGMENT_BYTES)
            .open()
            .map_err(|source| Error::Open {
                path: dir.display().to_string(),
                source,
            })?;
        Ok(SledStore { db })
    }
}

impl KvStore for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.db.get(key)?.map(|v| v.to_vec()))
    }

    fn scan(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in self.db.range(start..end).take(limit) {
            let (k, v) = item?;
            out.push((k.to_vec(), v.to_vec()));
        }
        Ok(out)
    }

    fn last_in(&self, start: &[u8], end: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.db.range(start..end).next_back() {
            Some(item) => {
                let (k, v) = item?;
                Ok(Some((k.to_vec(), v.to_vec())))
            }
            None => Ok(None),
        }
    }

    fn write(&self, batch: WriteBatch) -> Result<()> {
        let mut b = sled::Batch::default();
        for op in batch.into_ops() {
            match op {
                Op::Put(k, v) => b.insert(k, v),
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
        Ok(self.db.size_on_disk()?)
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
                b.put(vec![b'k', i], vec![i]);
            }
            b.delete(vec![b'k', 3]);
            store.write(b).unwrap();
            store.flush().unwrap();
        }
        let store = SledStore::open(dir.path(), 1 << 20).unwrap();
        let got = store.scan(&[b'k', 2], &[b'k', 6], 10).unwrap();
        let keys: Vec<u8> = got.iter().map(|(k, _)| k[1]).collect();
        assert_eq!(keys, vec![2, 4, 5]);
        assert_eq!(store.last_in(b"k", b"l").unwrap().unwrap().1, vec![9]);
        assert_eq!(store.get(&[b'k', 3]).unwrap(), None);
        assert_eq!(store.scan(b"k", b"l", 2).unwrap().len(), 2);
    }
}
