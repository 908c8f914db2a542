//! Putting a backup back into a stopped node's data folder (`regiosync restore`).
//!
//! The copy goes to `<data_dir>/db`; a store already there is moved aside (with `replace`) to
//! `db.replaced-<UTC time>`, never deleted. The restored store forgets how far the node's own
//! log reached (`beside/own-head`), so the node asks a national node before it takes a write and
//! fetches back what it wrote after the backup: a restore never forks the node's log.
use std::path::{Path, PathBuf};

use regiosync_store::{KvStore, SledStore, BESIDE};

use crate::config::NodeConfig;
use crate::error::Result;

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub db: PathBuf,
    /// Where the store that was there went, if there was one.
    pub moved_aside: Option<PathBuf>,
    pub values: u64,
}

/// Why a restore was refused before anything was changed (or, `Damaged`, after the copy).
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("config: restore from {from}: not a backup of a regiosync store (no sled `db` and `conf` files)")]
    NotABackup { from: PathBuf },
    #[error("config: restore from {from}: {db} already holds a store; pass --replace to move it aside (it is kept)")]
    StoreThere { from: PathBuf, db: PathBuf },
    #[error("config: restore from {from}: {why} (is the node still running? stop it first)")]
    InUse { from: PathBuf, why: String },
    #[error("config: restore from {from}: the copy has {count} damaged values, e.g. {example}")]
    Damaged {
        from: PathBuf,
        count: usize,
        example: String,
    },
}

pub fn restore(config: &NodeConfig, from: &Path, replace: bool, now_ms: i64) -> Result<Restored> {
    let from_path = || from.to_path_buf();
    if !from.join("db").is_file() || !from.join("conf").is_file() {
        return Err(Refused::NotABackup { from: from_path() }.into());
    }
    let db = config.data_dir.join("db");
    let mut moved_aside = None;
    if db.exists() && std::fs::read_dir(&db)?.next().is_some() {
        if !replace {
            return Err(Refused::StoreThere { from: from_path(), db }.into());
        }
        // Refuses while the node runs: sled holds the folder's lock.
        drop(SledStore::open(&db, 1 << 20).map_err(|e| Refused::InUse {
            from: from_path(),
            why: e.to_string(),
        })?);
        let stamp = regiosync_records::time::format_moment(now_ms).replace(':', "");
        // Two restores in the same second: the second store aside gets a number, never the
        // first one's place.
        let mut aside = config.data_dir.join(format!("db.replaced-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            n += 1;
            aside = config.data_dir.join(format!("db.replaced-{stamp}-{n}"));
        }
        std::fs::rename(&db, &aside)?;
        moved_aside = Some(aside);
    }
    copy_dir(from, &db)?;
    let head = db.join(BESIDE).join(regiosync_replication::heal::OWN_HEAD);
    if head.exists() {
        std::fs::remove_file(&head)?;
    }
    let store = SledStore::open(&db, 1 << 20)?;
    let verified = store.verify()?;
    if !verified.damaged.is_empty() {
        return Err(Refused::Damaged {
            from: from_path(),
            count: verified.damaged.len(),
            example: verified.damaged[0].1.to_string(),
        }
        .into());
    }
    Ok(Restored {
        db,
        moved_aside,
        values: verified.values,
    })
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            std::fs::File::open(&target)?.sync_all()?;
        }
    }
    std::fs::File::open(to)?.sync_all()
}
