//! Certificate revocation lists in force at a node (`tls.crl`): read at start (a file that
//! cannot be read or parsed stops the start, naming it), then looked at every
//! `tls.crl_check_secs`, read again when it changed, and read at once on SIGHUP
//! (`NodeHandle::reload`). A changed file that
//! fails to parse keeps the CRLs in force and logs an ERROR. The CRLs apply to every TLS
//! handshake (people and nodes) and to seals (`regiosync_trust::Verifier`).
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use regiosync_trust::{Revocations, Verifier};
use tokio::task::JoinHandle;

use crate::error::{Error, Result};
use crate::tls::Handshakes;

/// Where a node reads its CRLs, and how often it looks for a new file.
#[derive(Clone, Debug)]
pub struct CrlSource {
    pub path: PathBuf,
    pub check: Duration,
}

/// Default for `tls.crl_check_secs`.
pub const DEFAULT_CRL_CHECK: Duration = Duration::from_secs(10);

/// Read and parse the CRL file.
pub fn load(path: &Path) -> Result<Revocations> {
    let bytes = std::fs::read(path).map_err(|e| Error::Config(format!("tls.crl: {}: {e}", path.display())))?;
    Revocations::parse(&bytes, &path.display().to_string()).map_err(|e| Error::Config(format!("tls.crl: {e}")))
}

/// Put `revocations` in force for seals and handshakes; logs what it revokes.
pub fn apply(path: &Path, bytes: &[u8], verifier: &Verifier, handshakes: &Handshakes) -> Result<()> {
    let what = path.display().to_string();
    let for_tls = Revocations::parse(bytes, &what).map_err(|e| Error::Config(format!("tls.crl: {e}")))?;
    handshakes.set_revocations(&for_tls)?;
    let for_seals = Revocations::parse(bytes, &what).map_err(|e| Error::Config(format!("tls.crl: {e}")))?;
    let crls = for_seals.len();
    for (node, key_id, at) in verifier.set_revocations(for_seals) {
        tracing::warn!(%node, %key_id, revoked_at_unix_ms = at, "a node key is revoked: its seals from then on are refused");
    }
    tracing::info!(file = %what, crls, "certificate revocation lists in force");
    Ok(())
}

/// Look at the file every `source.check`, read it again when it changed, and at once when
/// `now` is triggered.
pub fn watch(
    source: CrlSource,
    verifier: Arc<Verifier>,
    handshakes: Arc<Handshakes>,
    now: crate::watch::Trigger,
) -> JoinHandle<()> {
    crate::watch::files(vec![source.path.clone()], source.check, now, move || {
        let (path, verifier, handshakes) = (source.path.clone(), verifier.clone(), handshakes.clone());
        async move {
            let read = {
                let path = path.clone();
                tokio::task::spawn_blocking(move || std::fs::read(&path)).await
            };
            match read {
                Ok(Ok(bytes)) => {
                    if let Err(e) = apply(&path, &bytes, &verifier, &handshakes) {
                        tracing::error!(file = %path.display(), error = %e, "the changed CRL file was not taken: the CRLs in force stay");
                    }
                }
                Ok(Err(e)) => {
                    tracing::error!(file = %path.display(), error = %e, "the CRL file cannot be read: the CRLs in force stay")
                }
                Err(e) => tracing::error!(error = %e, "reading the CRL file failed"),
            }
        }
    })
}
