//! Small values kept beside the tree, each in a file of its own with two slots written in turn:
//! `counter (u64 BE) | inode (u64 BE) | length (u8) | value (32 bytes, zero-padded) | CRC32C of
//! the rest (u32 BE)`, 53 bytes a slot. The slot with the higher counter whose checksum holds is
//! the value; a write torn by a crash spoils only the slot it was writing.
//!
//! A slot also records the inode of its file when it was written. A file that is a copy (a data
//! folder restored from a backup with `cp`, `rsync` or `tar` has new inodes) reads as no value:
//! what it says was true of the folder it was copied from, not necessarily of this one.
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

use crate::checksum::crc;
use crate::{Error, Result};

const MAX: usize = 32;

const SLOT: usize = 8 + 8 + 1 + MAX + 4;

pub fn write(path: &Path, counter: u64, value: &[u8]) -> io::Result<()> {
    if value.len() > MAX {
        return Err(io::Error::other(format!("at most {MAX} bytes beside the tree")));
    }
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(path)?;
    let mut slot = Vec::with_capacity(SLOT);
    slot.extend_from_slice(&counter.to_be_bytes());
    slot.extend_from_slice(&file.metadata()?.ino().to_be_bytes());
    slot.push(value.len() as u8);
    slot.extend_from_slice(value);
    slot.resize(SLOT - 4, 0);
    let check = crc(&[&slot]);
    slot.extend_from_slice(&check.to_be_bytes());
    file.write_all_at(&slot, (counter % 2) * SLOT as u64)?;
    file.sync_data()
}

/// (counter, value) of the newest intact slot; `None` when the file does not exist or is a copy
/// (see the module docs). A file whose slots are both damaged is corruption.
pub fn read(path: &Path) -> Result<Option<(u64, Vec<u8>)>> {
    Ok(read_slot(path)?.and_then(|(counter, ino, value)| {
        let here = std::fs::metadata(path).map(|m| m.ino()).ok()?;
        (ino == here).then_some((counter, value))
    }))
}

/// The counter of the newest intact slot, copy or not (to go on counting from it).
pub fn counter(path: &Path) -> Result<Option<u64>> {
    Ok(read_slot(path)?.map(|(c, _, _)| c))
}

fn read_slot(path: &Path) -> Result<Option<(u64, u64, Vec<u8>)>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Segments {
                path: path.display().to_string(),
                source,
            })
        }
    };
    let newest = bytes
        .chunks(SLOT)
        .filter(|s| s.len() == SLOT)
        .filter(|s| crc(&[&s[..SLOT - 4]]).to_be_bytes() == s[SLOT - 4..])
        .filter_map(|s| {
            let counter = u64::from_be_bytes(s[..8].try_into().ok()?);
            let ino = u64::from_be_bytes(s[8..16].try_into().ok()?);
            let len = usize::from(s[16]).min(MAX);
            Some((counter, ino, s[17..17 + len].to_vec()))
        })
        .max_by_key(|(c, _, _)| *c);
    match newest {
        Some(v) => Ok(Some(v)),
        None => Err(Error::Corrupt {
            at: path.display().to_string(),
            what: "no intact slot".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_intact_slot_wins_and_a_torn_one_loses_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("own-head");
        assert_eq!(read(&path).unwrap(), None);
        write(&path, 1, b"one").unwrap();
        write(&path, 2, b"two").unwrap();
        assert_eq!(read(&path).unwrap(), Some((2, b"two".to_vec())));
        write(&path, 3, b"three").unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[SLOT + 10] ^= 1; // slot 1 holds counter 3: torn
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path).unwrap(), Some((2, b"two".to_vec())));
        bytes[10] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(read(&path).unwrap_err().is_corrupt());
    }

    #[test]
    fn a_copied_file_reads_as_no_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("own-head");
        write(&path, 7, b"seven").unwrap();
        let copy = dir.path().join("copy");
        std::fs::copy(&path, &copy).unwrap();
        assert_eq!(read(&copy).unwrap(), None);
        assert_eq!(counter(&copy).unwrap(), Some(7));
        write(&copy, 8, b"eight").unwrap();
        assert_eq!(read(&copy).unwrap(), Some((8, b"eight".to_vec())));
        assert_eq!(read(&path).unwrap(), Some((7, b"seven".to_vec())));
    }
}
