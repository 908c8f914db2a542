//! Putting a backup back into a stopped node's data folder (`regiosync restore`).
//!
//! The copy goes to `<data_dir>/db`; a store already there is moved aside (with `replace`) to
//! `db.replaced-<UTC time>`, never deleted. The restored store forgets how far the node's own
//! log reached (`beside/own-head`), so the node asks a national node before it takes a write and
//! fetches back what it wrote after the backup: a restore never forks the node's log.
use std::path::{Path, PathBuf};

use regiosync_store::{KvStore, SledStore, BESIDE};

use crate::config::NodeConfig;
use crate::error::{Error, Result};

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub db: PathBuf,
    /// Where the store that was there went, if there was one.
    pub moved_aside: Option<PathBuf>,
    pub values: u64,
}

pub fn restore(config: &NodeConfig, from: &Path, replace: bool, now_ms: i64) -> Result<Restored> {
    let bad = |what: String| Error::Config(format!("restore from {}: {what}", from.display()));
    if !from.join("db").is_file() || !from.join("conf").is_file() {
        return Err(bad(
            "not a backup of a regiosync store (no sled `db` and `conf` files)".into()
        ));
    }
    let db = config.data_dir.join("db");
    let mut moved_aside = None;
    if db.exists() && std::fs::read_dir(&db)?.next().is_some() {
        if !replace {
            return Err(bad(format!(
                "{} already holds a store; pass --replace to move it aside (it is kept)",
                db.display()
            )));
        }
        // Refuses while the node runs: sled holds the folder's lock.
        drop(
            SledStore::open(&db, 1 << 20)
                .map_err(|e| bad(format!("{e} (is the node still running? stop it first)")))?,
        );
        let stamp = regiosync_records::time::format_moment(now_ms).replace(':', "");
        let aside = config.data_dir.join(format!("db.replaced-{stamp}"));
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
        return Err(bad(format!(
            "the copy has {} damaged values, e.g. {}",
            verified.damaged.len(),
            verified.damaged[0].1
        )));
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
