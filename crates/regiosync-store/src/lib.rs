//! Storage behind the project's own trait, so the engine can be swapped without touching
//! replication: an ordered key-value map with atomic batches and an explicit durability point.
//!
//! [`KvStore`] is all the rest of regiosync knows; [`SledStore`] implements it with sled 0.34,
//! keeping large values in append-only segment files beside the tree.
//! Every call here may block on disk: async callers run them on blocking threads.

mod segments;
mod sled_store;

pub use sled_store::{SledStore, INLINE_MAX};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("storage at {path}: {source}")]
    Open { path: String, source: sled::Error },
    #[error("storage: {0}")]
    Io(#[from] sled::Error),
    #[error("storage segments at {path}: {source}")]
    Segments { path: String, source: std::io::Error },
    #[error("storage is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One write in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Put(Vec<u8>, Vec<u8>),
    Delete(Vec<u8>),
}

/// Writes applied all together or not at all.
#[derive(Clone, Debug, Default)]
pub struct WriteBatch {
    ops: Vec<Op>,
}

impl WriteBatch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn put(&mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.ops.push(Op::Put(key.into(), value.into()));
    }

    pub fn delete(&mut self, key: impl Into<Vec<u8>>) {
        self.ops.push(Op::Delete(key.into()));
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }
}

/// An ordered key-value store.
pub trait KvStore: Send + Sync + 'static {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Up to `limit` pairs with `start <= key < end`, ascending.
    fn scan(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>>;

    /// The greatest pair with `start <= key < end`.
    fn last_in(&self, start: &[u8], end: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>>;

    /// Apply every op atomically: after a crash either all of them are there or none.
    fn write(&self, batch: WriteBatch) -> Result<()>;

    /// Make every completed write durable. Returns once it is on disk.
    fn flush(&self) -> Result<()>;

    /// Bytes the store occupies on disk.
    fn size_on_disk(&self) -> Result<u64>;
}
