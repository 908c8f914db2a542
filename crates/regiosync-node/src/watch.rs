//! Files a running node reads again: the CRLs (`revocation.rs`) and its own certificate and key
//! (`rotation.rs`). Each is looked at every `check` and on SIGHUP, and read again when it changed.
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tokio::task::JoinHandle;

/// Call `changed` whenever one of `paths` changed (modification time or length, looked at every
/// `check`) and on every SIGHUP.
pub fn files<F, Fut>(paths: Vec<PathBuf>, check: Duration, mut changed: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let stamps = |paths: &[PathBuf]| paths.iter().map(|p| stamp(p)).collect::<Vec<_>>();
        let mut seen = stamps(&paths);
        let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        loop {
            let forced = tokio::select! {
                _ = tokio::time::sleep(check) => false,
                Some(_) = async { match hangup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => true,
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
