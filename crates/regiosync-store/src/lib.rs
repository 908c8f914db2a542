//! Storage behind the project's own trait, so the engine can be swapped without touching
//! replication: an ordered key-value map with atomic batches and an explicit durability point.
//!
//! [`KvStore`] is all the rest of regiosync knows; [`SledStore`] implements it with sled 0.34,
//! keeping large values in append-only segment files beside the tree.
//! Every call here may block on disk: async callers run them on blocking threads.
//!
//! Nothing read is trusted unchecked: every value carries a CRC32C over its key and its exact
//! bytes, every segment record one over its length and bytes, and a mismatch is
//! [`Error::Corrupt`] naming the key or the file and offset, never a different value. A write
//! that fails (a full disk, an I/O error) leaves nothing a later read could mistake for data,
//! and writing resumes once the cause is gone.

mod beside;
mod checksum;
mod segments;
mod sled_store;
mod space;
#[cfg(test)]
mod store_prop_tests;

pub use sled_store::{SledStore, BESIDE, INLINE_MAX};
pub use space::{Reserve, Space};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("storage at {path}: {source}")]
    Open { path: String, source: sled::Error },
    #[error("storage: {0}")]
    Io(#[from] sled::Error),
    #[error("storage segments at {path}: {source}")]
    Segments { path: String, source: std::io::Error },
    /// The disk (or the space this store may use) is full: the write was refused and left
    /// nothing behind; reads go on, and writes succeed again once space is free.
    #[error("disk full at {path}: {detail}")]
    DiskFull { path: String, detail: String },
    /// Stored bytes that fail their check: `at` names the key, or the file and offset.
    #[error("storage is corrupt at {at}: {what}")]
    Corrupt { at: String, what: String },
    /// The folder holds a store this version cannot read safely.
    #[error("storage at {path}: {what}")]
    Format { path: String, what: String },
}

impl Error {
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Error::DiskFull { .. })
    }

    pub fn is_corrupt(&self) -> bool {
        matches!(self, Error::Corrupt { .. })
    }
}

/// What [`KvStore::verify`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verified {
    /// Values checked (their checksums, and for values in segment files that the pointer is
    /// within the file).
    pub values: u64,
    /// Segment records read back and checked in full (the newest of each segment file).
    pub records_read: u64,
    /// Keys whose value failed a check, with what was wrong.
    pub damaged: Vec<(Vec<u8>, String)>,
    /// Bytes at the end of segment files that no value points at (left by writes that failed
    /// or never reached the tree); appends go after them.
    pub unreferenced_tail_bytes: u64,
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

    /// Up to `limit` keys with `start <= key < end`, ascending, without reading their values.
    fn keys(&self, start: &[u8], end: &[u8], limit: usize) -> Result<Vec<Vec<u8>>>;

    /// The greatest pair with `start <= key < end`.
    fn last_in(&self, start: &[u8], end: &[u8]) -> Result<Option<(Vec<u8>, Vec<u8>)>>;

    /// Apply every op atomically: after a crash either all of them are there or none.
    fn write(&self, batch: WriteBatch) -> Result<()>;

    /// Make every completed write durable. Returns once it is on disk.
    fn flush(&self) -> Result<()>;

    /// Bytes the store occupies on disk.
    fn size_on_disk(&self) -> Result<u64>;

    /// Keep a small value (at most 32 bytes) beside the tree, in a file of its own, durable when
    /// this returns: a fact that must outlive damage to the tree, such as how far the node's own
    /// log reached. Two checked slots are written in turn, so a torn write loses only the
    /// newest value, never both.
    fn put_beside(&self, name: &str, value: &[u8]) -> Result<()>;

    /// The newest intact value [`KvStore::put_beside`] kept under `name`, if any.
    fn get_beside(&self, name: &str) -> Result<Option<Vec<u8>>>;

    /// Write a consistent copy of the whole store into the new folder `to` (which must not
    /// exist), as [`SledStore::open`] opens it; writes wait meanwhile. Returns the bytes copied.
    fn snapshot(&self, to: &std::path::Path) -> Result<u64>;

    /// Check every value's checksum (and, for the newest records of each segment file, the
    /// bytes themselves) without changing anything; damaged keys are listed, not repaired.
    fn verify(&self) -> Result<Verified>;
}

/// A key for messages: printable ASCII as it is, other bytes as `\xNN`.
pub fn show_key(key: &[u8]) -> String {
    key.iter()
        .map(|&b| match b {
            b' '..=b'~' if b != b'\\' => (b as char).to_string(),
            _ => format!("\\x{b:02x}"),
        })
        .collect()
}
