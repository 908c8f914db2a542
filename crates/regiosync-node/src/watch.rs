//! Files a running node reads again: the CRLs (`revocation.rs`) and its own certificate and key
//! (`rotation.rs`). Each is looked at every `check`, read again when it changed, and read at
//! once when the node is told to (`NodeHandle::reload`, which the binary calls on SIGHUP).
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::task::JoinHandle;

/// Tells every watcher to read its files now.
pub type Trigger = tokio::sync::watch::Receiver<()>;

/// Call `changed` whenever one of `paths` changed (modification time or length, looked at every
/// `check`) and whenever `now` is triggered.
pub fn files<F, Fut>(paths: Vec<PathBuf>, check: Duration, mut now: Trigger, mut changed: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let stamps = |paths: &[PathBuf]| paths.iter().map(|p| stamp(p)).collect::<Vec<_>>();
        let mut seen = stamps(&paths);
        loop {
            let forced = tokio::select! {
                _ = tokio::time::sleep(check) => false,
                Ok(()) = now.changed() => true,
            };
            let now = stamps(&paths);
            if !forced && now == seen {
                continue;
            }
            seen = now;
            changed().await;
        }
    })
}

/// What says a file changed: its modification time and length.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}
