//! `regiosync node --check`: everything a node would refuse at start, and what would make its
//! peers refuse it, found without starting it, every problem at once. The configuration as
//! [`NodeConfig::read`] reads it (every key, every file it names, the federation file), then the
//! node's own certificate as its peers and clients will see it: it matches the key, names this
//! node, is valid now, chains to the configured CA (through the configured intermediates only), is
//! allowed by the member's pin and is not revoked by the configured CRLs (the very verifiers the
//! node's handshakes use, `tls.rs`); each CRL issued by a configured CA, signed by it and not past
//! its next update; and the data folder writable. The store itself is not opened, so a node
//! running on the folder (holding sled's lock) is not disturbed.
use std::path::Path;
use std::sync::Arc;

use regiosync_trust::{Revocations, Signer, Verifier};
use rustls::client::danger::ServerCertVerifier;
use rustls::server::danger::ClientCertVerifier;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use crate::config::{NodeConfig, Problem, TlsMaterial};

/// What the check found: every problem, and what it checked and found in order.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub passed: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check the configuration file at `path` and everything it names, at `now_unix` (seconds).
pub fn check(path: &Path, now_unix: i64) -> Report {
    let parts = NodeConfig::parts(path);
    let mut report = Report {
        problems: parts.problems,
        passed: Vec::new(),
    };
    let Some(src_text) = std::fs::read_to_string(path).ok() else {
        return report;
    };
    let src = crate::config::Source::new(path, &src_text);
    let mut problem = |key: &str, msg: String| report.problems.push(src.problem(key, msg));
    let mut passed = Vec::new();
    if let (Some(node), Some(members), Some(listen)) = (parts.node, &parts.members, parts.listen) {
        passed.push(format!(
            "{}: node {node} of a federation of {} members, listening on {listen}, {} peers",
            path.display(),
            members.ids().count(),
            parts.peers.len()
        ));
    }

    // The CAs and intermediates.
    let verifier = parts.ca_pem.as_deref().and_then(|ca| {
        let v = Verifier::from_ca_pem(ca)
            .map_err(|e| problem("tls.ca", e.to_string()))
            .ok()?;
        let v = match parts.members.clone() {
            Some(m) => v.with_members(m),
            None => v,
        };
        match parts.intermediates_pem.as_deref() {
            Some(pem) if !pem.trim().is_empty() => v
                .with_intermediates(pem)
                .map_err(|e| problem("tls.intermediates", e.to_string()))
                .ok(),
            _ => Some(v),
        }
    });

    // The CRLs: each one's issuer, signature and freshness (against CAs that were read).
    let mut revocations = Revocations::default();
    if let (Some((crl_path, Some(bytes))), Some(ca), true) = (&parts.crl, &parts.ca_pem, verifier.is_some()) {
        let what = crl_path.display().to_string();
        let intermediates = parts.intermediates_pem.as_deref().unwrap_or("");
        match regiosync_trust::revocation::crl_problems(bytes, &what, ca, intermediates, now_unix) {
            Ok(found) if found.is_empty() => {
                if let Ok(r) = Revocations::parse(bytes, &what) {
                    passed.push(format!(
                        "{what}: {} CRLs, each issued and signed by a configured CA and current",
                        r.len()
                    ));
                    revocations = r;
                }
            }
            Ok(found) => {
                for p in found {
                    problem("tls.crl", p);
                }
                revocations = Revocations::parse(bytes, &what).unwrap_or_default();
            }
            Err(e) => problem("tls.crl", e.to_string()),
        }
    }

    // The node's own certificate and key.
    if let (Some(cert_pem), Some(key_pem)) = (&parts.cert_pem, &parts.key_pem) {
        match Signer::from_pem(cert_pem, key_pem) {
            Err(regiosync_trust::Error::Key(e)) => problem("tls.key", e),
            Err(e) => problem("tls.cert", e.to_string()),
            Ok(signer) => {
                let mut ok = true;
                if let Some(node) = parts.node.filter(|n| *n != signer.node()) {
                    problem(
                        "tls.cert",
                        format!(
                            "the certificate is for {} but this node is configured as {node}",
                            signer.node()
                        ),
                    );
                    ok = false;
                }
                if let (Some(verifier), Some(ca_pem)) = (verifier, &parts.ca_pem) {
                    let material = TlsMaterial {
                        ca_pem: ca_pem.clone(),
                        intermediates_pem: parts.intermediates_pem.clone().unwrap_or_default(),
                        cert_pem: cert_pem.clone(),
                        key_pem: key_pem.clone(),
                        crl: None,
                        files: None,
                    };
                    if let Err(why) = as_peers_see_it(&material, &revocations, Arc::new(verifier), &signer, now_unix) {
                        problem("tls.cert", why);
                        ok = false;
                    }
                } else {
                    // No CAs to check it against (a problem with tls.ca is listed already).
                    ok = false;
                }
                if ok {
                    passed.push(format!(
                        "{}: the certificate of {} matches its key, is valid now, chains to the CA, is allowed by the federation file and is not revoked",
                        parts.cert_path.as_deref().unwrap_or(Path::new("tls.cert")).display(),
                        signer.node(),
                    ));
                }
            }
        }
    }

    // The data folder.
    if let Some(dir) = &parts.data_dir {
        match writable(dir) {
            Ok(()) => passed.push(format!("{}: the data folder is writable", dir.display())),
            Err(e) => problem("data_dir", e),
        }
    }
    report.passed = passed;
    report
}

/// Why the node's peers and clients would refuse its certificate now, if they would: the
/// handshake verifiers a node runs with (`tls::server_config`), as a client certificate and as
/// the server certificate of `<id>.regiosync`.
fn as_peers_see_it(
    material: &TlsMaterial,
    revocations: &Revocations,
    verifier: Arc<Verifier>,
    signer: &Signer,
    now_unix: i64,
) -> std::result::Result<(), String> {
    let (_, handshakes, _) = crate::tls::server_config(material, revocations, verifier).map_err(|e| e.to_string())?;
    let leaf = CertificateDer::from(signer.cert_der().to_vec());
    let now = UnixTime::since_unix_epoch(std::time::Duration::from_secs(now_unix.max(0) as u64));
    handshakes
        .clients
        .verify_client_cert(&leaf, &[], now)
        .map_err(|e| format!("peers would refuse it: {e}{}", hint(&e)))?;
    let name = signer.node().dns_name();
    let server_name = ServerName::try_from(name.clone()).map_err(|e| format!("{name}: {e}"))?;
    handshakes
        .servers
        .verify_server_cert(&leaf, &[], &server_name, &[], now)
        .map_err(|e| format!("peers would refuse it as the server certificate of {name}: {e}"))?;
    Ok(())
}

/// What a verifier's error means for the node's own certificate.
fn hint(e: &rustls::Error) -> &'static str {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => {
            " (it does not chain to a CA in tls.ca, directly or through tls.intermediates)"
        }
        rustls::Error::InvalidCertificate(C::Revoked) => {
            " (a CRL in tls.crl revokes it: the node needs a new certificate)"
        }
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            " (the node needs a new certificate)"
        }
        rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => " (check the clock)",
        _ => "",
    }
}

/// Whether the node could write in `dir` (or create it): a file is created in it and removed
/// again. The store is not opened.
fn writable(dir: &Path) -> std::result::Result<(), String> {
    let mut existing = dir;
    while !existing.exists() {
        existing = match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
    }
    if !existing.is_dir() {
        return Err(format!("{}: not a folder", existing.display()));
    }
    let probe = existing.join(format!(".regiosync-check-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| match existing == dir {
            true => format!("{}: cannot write in it: {e}", dir.display()),
            false => format!(
                "{} does not exist and cannot be created in {}: {e}",
                dir.display(),
                existing.display()
            ),
        })?;
    std::fs::remove_file(&probe).map_err(|e| format!("{}: {e}", probe.display()))
}
