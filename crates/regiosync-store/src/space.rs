//! Free space: a write is refused as [`Error::DiskFull`](crate::Error::DiskFull) while the
//! filesystem holding the store has less than a reserve left, so sled itself (which stops
//! writing for good once it meets ENOSPC, until it is opened again) is never the one to find
//! the disk full, and writes resume by themselves once space is freed.
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// How much free space a store keeps in reserve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reserve {
    /// 5% of the filesystem, at least 4 MiB and at most 256 MiB.
    #[default]
    Default,
    /// Exactly this many bytes (0: write until the filesystem itself refuses).
    Bytes(u64),
}

impl Reserve {
    pub fn bytes(self, filesystem_bytes: u64) -> u64 {
        match self {
            Reserve::Default => (filesystem_bytes / 20).clamp(4 << 20, 256 << 20),
            Reserve::Bytes(n) => n,
        }
    }
}

/// The filesystem under `dir`: (bytes available to this user, total bytes). The one unsafe
/// call of the shipped code (`statvfs`; std has no portable way to ask).
#[allow(unsafe_code)]
pub fn available(dir: &Path) -> std::io::Result<(u64, u64)> {
    let c = CString::new(dir.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statvfs.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let block = st.f_frsize as u64;
    Ok((st.f_bavail as u64 * block, st.f_blocks as u64 * block))
}

/// Whether an I/O error means the disk (or a quota) is full.
pub fn is_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

/// Checks free space before writes.
#[derive(Clone, Debug)]
pub struct Space {
    dir: PathBuf,
    reserve: Reserve,
}

impl Space {
    pub fn new(dir: &Path, reserve: Reserve) -> Space {
        Space {
            dir: dir.to_path_buf(),
            reserve,
        }
    }

    /// `Err(detail)` when writing `incoming` bytes would leave less than the reserve.
    pub fn check(&self, incoming: u64) -> Result<(), String> {
        let Ok((free, total)) = available(&self.dir) else {
            return Ok(()); // Cannot tell: let the write itself find out.
        };
        let reserve = self.reserve.bytes(total);
        if free < reserve.saturating_add(incoming) {
            return Err(format!(
                "{} free, {} kept in reserve, {} to write",
                mib(free),
                mib(reserve),
                mib(incoming)
            ));
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// (bytes available, bytes kept in reserve) now; `None` when the filesystem cannot say.
    pub fn free_and_reserve(&self) -> Option<(u64, u64)> {
        let (free, total) = available(&self.dir).ok()?;
        Some((free, self.reserve.bytes(total)))
    }
}

fn mib(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0)),
    }
}
