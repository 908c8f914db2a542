//! Append-only segment files for large values, so sled's tree holds only small ones.
//!
//! sled rewrites whole leaf pages as they change; with values of tens of KiB (sealed chunks)
//! that rewriting dominated the cost of storing and most of a node's memory. Large values are
//! therefore appended to `segments/NNNNNN.seg` and sled keeps a 17-byte pointer to them.
//!
//! Crash safety: [`Segments::append`] makes the bytes durable (`fdatasync`) before it returns,
//! and the caller writes the pointers to sled only afterwards, so a pointer that reached disk
//! always points at durable bytes. Bytes appended by a batch that never reached sled are
//! unreferenced garbage after a crash, never a torn record. Values are never deleted in place
//! (replicated logs are append-only); a deleted or overwritten large value leaves its bytes
//! behind, which is fine for this workload and documented in ARCHITECTURE.md.
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, IoSlice, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// A segment is closed once it passes this size and the next one is started.
pub const SEGMENT_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Where a value lives: segment number, offset, length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pointer {
    pub segment: u32,
    pub offset: u64,
    pub len: u32,
}

impl Pointer {
    pub const ENCODED_LEN: usize = 16;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.segment.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        out.extend_from_slice(&self.len.to_be_bytes());
    }

    pub fn decode(b: &[u8]) -> Option<Pointer> {
        if b.len() != Self::ENCODED_LEN {
            return None;
        }
        Some(Pointer {
            segment: u32::from_be_bytes(b[0..4].try_into().ok()?),
            offset: u64::from_be_bytes(b[4..12].try_into().ok()?),
            len: u32::from_be_bytes(b[12..16].try_into().ok()?),
        })
    }
}

struct Writer {
    segment: u32,
    file: File,
    len: u64,
}

pub struct Segments {
    dir: PathBuf,
    writer: Mutex<Writer>,
    readers: RwLock<HashMap<u32, Arc<File>>>,
}

fn name(dir: &Path, segment: u32) -> PathBuf {
    dir.join(format!("{segment:06}.seg"))
}

fn open_append(dir: &Path, segment: u32) -> io::Result<Writer> {
    let file = OpenOptions::new().create(true).append(true).open(name(dir, segment))?;
    let len = file.metadata()?.len();
    Ok(Writer { segment, file, len })
}

impl Segments {
    /// Open (or create) the segment folder `dir`; appends continue at the end of the newest
    /// segment.
    pub fn open(dir: &Path) -> io::Result<Segments> {
        std::fs::create_dir_all(dir)?;
        let mut newest = 0u32;
        for entry in std::fs::read_dir(dir)? {
            let file_name = entry?.file_name();
            let Some(stem) = file_name.to_str().and_then(|n| n.strip_suffix(".seg")) else {
                continue;
            };
            if let Ok(n) = stem.parse::<u32>() {
                newest = newest.max(n);
            }
        }
        let writer = open_append(dir, newest.max(1))?;
        Ok(Segments {
            dir: dir.to_path_buf(),
            writer: Mutex::new(writer),
            readers: RwLock::new(HashMap::new()),
        })
    }

    /// Append `values` and make them durable; returns where each one is.
    pub fn append(&self, values: &[&[u8]]) -> io::Result<Vec<Pointer>> {
        let mut w = self.writer.lock().unwrap();
        if w.len >= SEGMENT_FILE_BYTES {
            w.file.sync_data()?;
            *w = open_append(&self.dir, w.segment + 1)?;
        }
        let mut pointers = Vec::with_capacity(values.len());
        let mut offset = w.len;
        for v in values {
            let len = u32::try_from(v.len()).map_err(|_| io::Error::other("value larger than 4 GiB"))?;
            pointers.push(Pointer {
                segment: w.segment,
                offset,
                len,
            });
            offset += v.len() as u64;
        }
        let mut slices: Vec<IoSlice> = values.iter().map(|v| IoSlice::new(v)).collect();
        let mut rest = &mut slices[..];
        while !rest.is_empty() {
            let n = w.file.write_vectored(rest)?;
            if n == 0 {
                return Err(io::Error::new(io::ErrorKind::WriteZero, "segment write"));
            }
            IoSlice::advance_slices(&mut rest, n);
        }
        w.file.sync_data()?;
        w.len = offset;
        Ok(pointers)
    }

    pub fn read(&self, p: Pointer) -> io::Result<Vec<u8>> {
        let file = self.reader(p.segment)?;
        let mut out = vec![0u8; p.len as usize];
        file.read_exact_at(&mut out, p.offset)?;
        Ok(out)
    }

    fn reader(&self, segment: u32) -> io::Result<Arc<File>> {
        if let Some(f) = self.readers.read().unwrap().get(&segment) {
            return Ok(f.clone());
        }
        let f = Arc::new(File::open(name(&self.dir, segment))?);
        self.readers.write().unwrap().insert(segment, f.clone());
        Ok(f)
    }

    /// Bytes in all segment files.
    pub fn size_on_disk(&self) -> io::Result<u64> {
        let mut total = 0;
        for entry in std::fs::read_dir(&self.dir)? {
            total += entry?.metadata()?.len();
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_read_back_and_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let ptrs = {
            let s = Segments::open(dir.path()).unwrap();
            let a = s.append(&[b"first", b"second value"]).unwrap();
            let b = s.append(&[b"third"]).unwrap();
            assert_eq!(s.read(a[1]).unwrap(), b"second value");
            [a, b].concat()
        };
        let s = Segments::open(dir.path()).unwrap();
        let more = s.append(&[b"fourth"]).unwrap();
        assert_eq!(more[0].offset, 5 + 12 + 5, "appends continue at the end");
        for (p, want) in ptrs.iter().zip([&b"first"[..], b"second value", b"third"]) {
            assert_eq!(s.read(*p).unwrap(), want);
            let mut enc = Vec::new();
            p.encode(&mut enc);
            assert_eq!(Pointer::decode(&enc), Some(*p));
        }
    }
}
