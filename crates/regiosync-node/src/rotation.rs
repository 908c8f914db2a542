//! Renewing a node's certificate and key without a restart: `tls.cert` and `tls.key` are read
//! again on SIGHUP (`NodeHandle::reload`) and when they change (looked at every `tls.crl_check_secs`, default 10 s).
//! A pair that does not load (a key that does not belong to the certificate, say, while the two
//! files are being replaced one after the other) keeps the pair in use and logs an ERROR; the
//! next look takes the completed pair.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::node::NodeKeys;

/// Where the node's certificate and key are, and how often to look at them.
#[derive(Clone, Debug)]
pub struct KeyFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub check: Duration,
}

pub(crate) fn watch(files: KeyFiles, keys: Arc<NodeKeys>, now: crate::watch::Trigger) -> JoinHandle<()> {
    crate::watch::files(
        vec![files.cert.clone(), files.key.clone()],
        files.check,
        now,
        move || {
            let (files, keys) = (files.clone(), keys.clone());
            async move {
                let read = |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
                let pair = read(&files.cert).and_then(|c| Ok((c, read(&files.key)?)));
                let outcome = match pair {
                    Ok((cert, key)) => keys.rotate(&cert, &key).await.map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(true) => tracing::info!(cert = %files.cert.display(), "renewed certificate and key in use"),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(cert = %files.cert.display(), error = %e, "the changed certificate and key were not taken: the ones in use stay")
                    }
                }
            }
        },
    )
}
