//! Append-only segment files for large values, so sled's tree holds only small ones.
//!
//! sled rewrites whole leaf pages as they change; with values of tens of KiB (sealed chunks)
//! that rewriting dominated the cost of storing and most of a node's memory. Large values are
//! therefore appended to `segments/NNNNNN.seg` and sled keeps a pointer to them.
//!
//! A record is `length (u32 BE) | CRC32C of length and bytes (u32 BE) | bytes`, and a pointer
//! names the segment, the record's offset, its length and its checksum: a read checks all of
//! them and reports a mismatch as corruption at that file and offset.
//!
//! Crash and fault safety: [`Segments::append`] writes at the position it knows to be the end
//! of what it wrote before (never "wherever the file ends", which a failed write can move),
//! makes the bytes durable (`fdatasync`) before it returns, and the caller writes the pointers
//! to sled only afterwards, so a pointer that reached disk always points at durable bytes. A
//! write that fails is cut off again (the file is truncated to where it started), and if even
//! that fails the next append overwrites it; after a crash, bytes no pointer names are left
//! where they are and appends continue after them. Values are never deleted in place
//! (replicated logs are append-only).
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use crate::checksum::crc;

/// A segment is closed once it passes this size and the next one is started.
pub const SEGMENT_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Bytes before a record's value: its length and checksum.
pub const RECORD_HEADER: u64 = 8;

/// Where a value lives: segment number, the record's offset, the value's length and checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pointer {
    pub segment: u32,
    pub offset: u64,
    pub len: u32,
    pub crc: u32,
}

impl Pointer {
    pub const ENCODED_LEN: usize = 20;

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.segment.to_be_bytes());
        out.extend_from_slice(&self.offset.to_be_bytes());
        out.extend_from_slice(&self.len.to_be_bytes());
        out.extend_from_slice(&self.crc.to_be_bytes());
    }

    pub fn decode(b: &[u8]) -> Option<Pointer> {
        if b.len() != Self::ENCODED_LEN {
            return None;
        }
        Some(Pointer {
            segment: u32::from_be_bytes(b[0..4].try_into().ok()?),
            offset: u64::from_be_bytes(b[4..12].try_into().ok()?),
            len: u32::from_be_bytes(b[12..16].try_into().ok()?),
            crc: u32::from_be_bytes(b[16..20].try_into().ok()?),
        })
    }

    /// The offset just after the record.
    pub fn end(&self) -> u64 {
        self.offset + RECORD_HEADER + u64::from(self.len)
    }
}

/// Why a segment operation failed.
#[derive(Debug)]
pub enum SegmentError {
    Io { file: PathBuf, source: io::Error },
    Corrupt { file: PathBuf, offset: u64, what: String },
}

type SegResult<T> = Result<T, SegmentError>;

struct Writer {
    segment: u32,
    file: File,
    /// End of the last record appended successfully: where the next one goes.
    len: u64,
}

/// Faults a test can make the next append meet.
#[cfg(test)]
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Write this many bytes of the append, then fail as a full disk would.
    FullAfter(usize),
    /// Write everything, then fail the sync.
    SyncFails,
}

pub struct Segments {
    dir: PathBuf,
    writer: Mutex<Writer>,
    readers: RwLock<HashMap<u32, Arc<File>>>,
    #[cfg(test)]
    pub fault: Mutex<Option<Fault>>,
}

pub fn name(dir: &Path, segment: u32) -> PathBuf {
    dir.join(format!("{segment:06}.seg"))
}

fn io_at(file: &Path) -> impl FnOnce(io::Error) -> SegmentError + '_ {
    move |source| SegmentError::Io {
        file: file.to_path_buf(),
        source,
    }
}

fn open_writer(dir: &Path, segment: u32) -> SegResult<Writer> {
    let path = name(dir, segment);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io_at(&path))?;
    let len = file.metadata().map_err(io_at(&path))?.len();
    Ok(Writer { segment, file, len })
}

/// One record as written: header, then the value.
fn frame(value: &[u8], out: &mut Vec<u8>) -> io::Result<(u32, u32)> {
    let len = u32::try_from(value.len()).map_err(|_| io::Error::other("value larger than 4 GiB"))?;
    let len_be = len.to_be_bytes();
    let check = crc(&[&len_be, value]);
    out.extend_from_slice(&len_be);
    out.extend_from_slice(&check.to_be_bytes());
    out.extend_from_slice(value);
    Ok((len, check))
}

impl Segments {
    /// Open (or create) the segment folder `dir`; appends continue at the end of the newest
    /// segment.
    pub fn open(dir: &Path) -> SegResult<Segments> {
        std::fs::create_dir_all(dir).map_err(io_at(dir))?;
        let writer = open_writer(dir, Self::numbers(dir)?.last().copied().unwrap_or(1))?;
        Ok(Segments {
            dir: dir.to_path_buf(),
            writer: Mutex::new(writer),
            readers: RwLock::new(HashMap::new()),
            #[cfg(test)]
            fault: Mutex::new(None),
        })
    }

    /// The segment numbers present, ascending.
    pub fn numbers(dir: &Path) -> SegResult<Vec<u32>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_at(dir))? {
            let file_name = entry.map_err(io_at(dir))?.file_name();
            let Some(stem) = file_name.to_str().and_then(|n| n.strip_suffix(".seg")) else {
                continue;
            };
            if let Ok(n) = stem.parse::<u32>() {
                out.push(n);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Append `values` and make them durable; returns where each one is. On failure nothing
    /// that was written stays reachable and the next append starts where this one did.
    pub fn append(&self, values: &[&[u8]]) -> SegResult<Vec<Pointer>> {
        let mut w = self.writer.lock().unwrap();
        if w.len >= SEGMENT_FILE_BYTES {
            let path = name(&self.dir, w.segment);
            w.file.sync_data().map_err(io_at(&path))?;
            *w = open_writer(&self.dir, w.segment + 1)?;
        }
        let path = name(&self.dir, w.segment);
        let total: usize = values.iter().map(|v| v.len() + RECORD_HEADER as usize).sum();
        let mut buf = Vec::with_capacity(total);
        let mut pointers = Vec::with_capacity(values.len());
        for v in values {
            let offset = w.len + buf.len() as u64;
            let (len, crc) = frame(v, &mut buf).map_err(io_at(&path))?;
            pointers.push(Pointer {
                segment: w.segment,
                offset,
                len,
                crc,
            });
        }
        let start = w.len;
        if let Err(e) = self.write_durably(&w.file, &buf, start) {
            // Cut off what part of it reached the file; should that fail too, the next append
            // overwrites it, since it starts at `start` again.
            let _ = w.file.set_len(start);
            return Err(io_at(&path)(e));
        }
        w.len = start + buf.len() as u64;
        Ok(pointers)
    }

    fn write_durably(&self, file: &File, buf: &[u8], at: u64) -> io::Result<()> {
        #[cfg(test)]
        match self.fault.lock().unwrap().take() {
            Some(Fault::FullAfter(n)) => {
                file.write_all_at(&buf[..n.min(buf.len())], at)?;
                return Err(io::Error::from_raw_os_error(libc::ENOSPC));
            }
            Some(Fault::SyncFails) => {
                file.write_all_at(buf, at)?;
                return Err(io::Error::from_raw_os_error(libc::EIO));
            }
            None => {}
        }
        file.write_all_at(buf, at)?;
        file.sync_data()
    }

    /// The value `p` points at, after checking the record's length and checksum.
    pub fn read(&self, p: Pointer) -> SegResult<Vec<u8>> {
        let path = name(&self.dir, p.segment);
        let file = self.reader(p.segment)?;
        let mut buf = vec![0u8; RECORD_HEADER as usize + p.len as usize];
        let corrupt = |what: String| SegmentError::Corrupt {
            file: path.clone(),
            offset: p.offset,
            what,
        };
        if let Err(e) = file.read_exact_at(&mut buf, p.offset) {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                return Err(corrupt(format!(
                    "record of {} bytes runs past the end of the file ({size} bytes): truncated",
                    buf.len()
                )));
            }
            return Err(io_at(&path)(e));
        }
        let len = u32::from_be_bytes(buf[0..4].try_into().expect("4 bytes"));
        let stored = u32::from_be_bytes(buf[4..8].try_into().expect("4 bytes"));
        if len != p.len {
            return Err(corrupt(format!("record length {len}, expected {}", p.len)));
        }
        let actual = crc(&[&buf[0..4], &buf[8..]]);
        if actual != stored || actual != p.crc {
            return Err(corrupt(format!(
                "checksum {actual:08x} does not match the record's {stored:08x} (pointer {:08x})",
                p.crc
            )));
        }
        buf.drain(..RECORD_HEADER as usize);
        Ok(buf)
    }

    /// The size of segment file `segment` (0 when it does not exist).
    pub fn file_len(&self, segment: u32) -> u64 {
        std::fs::metadata(name(&self.dir, segment)).map_or(0, |m| m.len())
    }

    fn reader(&self, segment: u32) -> SegResult<Arc<File>> {
        if let Some(f) = self.readers.read().unwrap().get(&segment) {
            return Ok(f.clone());
        }
        let path = name(&self.dir, segment);
        let f = Arc::new(File::open(&path).map_err(io_at(&path))?);
        self.readers.write().unwrap().insert(segment, f.clone());
        Ok(f)
    }

    /// Bytes in all segment files.
    pub fn size_on_disk(&self) -> SegResult<u64> {
        let mut total = 0;
        for entry in std::fs::read_dir(&self.dir).map_err(io_at(&self.dir))? {
            total += entry.and_then(|e| e.metadata()).map_err(io_at(&self.dir))?.len();
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
        assert_eq!(
            more[0].offset,
            5 + 12 + 5 + 3 * RECORD_HEADER,
            "appends continue at the end"
        );
        for (p, want) in ptrs.iter().zip([&b"first"[..], b"second value", b"third"]) {
            assert_eq!(s.read(*p).unwrap(), want);
            let mut enc = Vec::new();
            p.encode(&mut enc);
            assert_eq!(Pointer::decode(&enc), Some(*p));
        }
    }

    #[test]
    fn a_failed_append_leaves_nothing_and_the_next_one_starts_where_it_did() {
        let dir = tempfile::tempdir().unwrap();
        let s = Segments::open(dir.path()).unwrap();
        let a = s.append(&[b"kept"]).unwrap();
        for fault in [Fault::FullAfter(5), Fault::SyncFails] {
            *s.fault.lock().unwrap() = Some(fault);
            assert!(s.append(&[b"never acknowledged"]).is_err());
            assert_eq!(s.file_len(1), a[0].end(), "cut off after {fault:?}");
        }
        let b = s.append(&[b"next"]).unwrap();
        assert_eq!(b[0].offset, a[0].end());
        assert_eq!(s.read(b[0]).unwrap(), b"next");
        assert_eq!(s.read(a[0]).unwrap(), b"kept");
    }

    #[test]
    fn flipped_and_truncated_bytes_are_corruption_at_file_and_offset() {
        let dir = tempfile::tempdir().unwrap();
        let s = Segments::open(dir.path()).unwrap();
        let p = s.append(&[b"one", b"two"]).unwrap();
        let path = name(dir.path(), 1);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[p[1].offset as usize + RECORD_HEADER as usize] ^= 0x04;
        std::fs::write(&path, &bytes).unwrap();
        let s = Segments::open(dir.path()).unwrap();
        assert_eq!(s.read(p[0]).unwrap(), b"one");
        match s.read(p[1]) {
            Err(SegmentError::Corrupt { file, offset, what }) => {
                assert_eq!((file, offset), (path.clone(), p[1].offset));
                assert!(what.contains("checksum"), "{what}");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let s = Segments::open(dir.path()).unwrap();
        match s.read(p[1]) {
            Err(SegmentError::Corrupt { what, .. }) => assert!(what.contains("truncated"), "{what}"),
            other => panic!("{other:?}"),
        }
    }
}
