//! The node's configuration file (TOML), validated once at start-up into [`NodeConfig`].
//! Errors name the file, the key and the line and column where it is written ([`Problem`]);
//! [`NodeConfig::read`] finds every problem, not just the first. Relative paths are relative to
//! the file's folder.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regiosync_replication::EngineConfig;
use regiosync_trust::Revocations;
use regiosync_types::{Federation, NodeId};
use serde::Deserialize;

use crate::error::{Error, Result};

mod problems;
pub(crate) use problems::Source;
pub use problems::{Position, Problem};

/// The configuration format version this build reads.
pub const CONFIG_VERSION: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    /// This node's member id, e.g. VR07, NL or POL-ON (must match the certificate and be a
    /// member of the federation).
    node: String,
    /// The federation file: who the members are (default: the one shipped with the build,
    /// `config/federation.toml`).
    federation: Option<PathBuf>,
    /// Address to listen on for gRPC over mutual TLS, e.g. "0.0.0.0:7101".
    listen: String,
    /// Folder for the sled database and the audit log.
    data_dir: PathBuf,
    tls: TlsFile,
    #[serde(default)]
    peers: Vec<PeerFile>,
    #[serde(default)]
    replication: ReplicationFile,
    #[serde(default)]
    storage: StorageFile,
    #[serde(default)]
    records: RecordsFile,
    #[serde(default)]
    connections: ConnectionsFile,
    #[serde(default)]
    metrics: MetricsFile,
    #[serde(default)]
    audit: AuditFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricsFile {
    /// Serve `/metrics` (Prometheus text format) and `/health` in plaintext HTTP on this
    /// address, which must be a loopback one, e.g. "127.0.0.1:9464". Absent: no listener.
    listen: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct AuditFile {
    /// How often the head of the audit chain is anchored in the node's own signed log (only
    /// when lines were written since the last anchor; also once when the node stops). 0: never
    /// (then nothing shows a cut-off tail; for test federations that count every entry).
    anchor_secs: u64,
}

impl Default for AuditFile {
    fn default() -> Self {
        AuditFile {
            anchor_secs: AuditSettings::default().anchor_every.map_or(0, |d| d.as_secs()),
        }
    }
}

/// The audit trail's settings (`[audit]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditSettings {
    /// None: no anchors at all (in-process test federations, which count every entry).
    pub anchor_every: Option<Duration>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            anchor_every: Some(Duration::from_secs(300)),
        }
    }
}

impl AuditSettings {
    /// No anchors.
    pub const NO_ANCHORS: AuditSettings = AuditSettings { anchor_every: None };
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ConnectionsFile {
    /// A connection that sends nothing for this long is closed; keepalive pings go out every
    /// third of it, so a live peer or client always answers in time.
    idle_secs: u64,
    /// Connections open at once, handshakes included.
    max_total: usize,
    /// Connections open at once for one identity (one person, one node).
    max_per_identity: usize,
}

impl Default for ConnectionsFile {
    fn default() -> Self {
        let d = ConnectionLimits::default();
        ConnectionsFile {
            idle_secs: d.idle.as_secs(),
            max_total: d.max_total,
            max_per_identity: d.max_per_identity,
        }
    }
}

/// The connections a node keeps open (`[connections]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Closed after this long without a byte from the other side (a handshake that completed
    /// and then nothing, a peer that died without closing).
    pub idle: Duration,
    pub max_total: usize,
    pub max_per_identity: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            idle: Duration::from_secs(90),
            max_total: 4096,
            max_per_identity: 64,
        }
    }
}

impl ConnectionLimits {
    /// How often HTTP/2 keepalive pings go out, and how long an answer may take: a third of
    /// the idle time each, so a live connection is never idle.
    pub fn keepalive(&self) -> Duration {
        (self.idle / 3).max(Duration::from_millis(100))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RecordsFile {
    /// An active agreement is "expiring soon" this many days before its last day.
    expiring_soon_days: u32,
}

impl Default for RecordsFile {
    fn default() -> Self {
        RecordsFile {
            expiring_soon_days: DEFAULT_EXPIRING_SOON_DAYS,
        }
    }
}

/// Default "expiring soon" window for agreements.
pub const DEFAULT_EXPIRING_SOON_DAYS: u32 = 60;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsFile {
    /// Federation CA bundle (PEM).
    ca: PathBuf,
    /// This node's certificate (PEM), followed by the CAs between it and the federation CA
    /// when it was issued by an intermediate (the usual full-chain file).
    cert: PathBuf,
    /// Intermediate CAs (PEM bundle) that chains may pass through, e.g. a government PKI's
    /// domain and issuing CAs. Without it only certificates the CA bundle issued directly are
    /// trusted; intermediates a peer sends are never used.
    intermediates: Option<PathBuf>,
    /// This node's private key (PEM: PKCS#8 ECDSA P-256/P-384, RSA or Ed25519; PKCS#1 RSA).
    key: PathBuf,
    /// Certificate revocation lists in force (PEM or DER, as the PKI publishes them); read
    /// again when the file changes and on SIGHUP.
    crl: Option<PathBuf>,
    /// How often to look whether the CRL file, the certificate or the key changed (default 10).
    crl_check_secs: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerFile {
    id: String,
    /// "https://host:port"; the peer's certificate must carry the DNS name `<id>.regiosync`.
    address: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ReplicationFile {
    anti_entropy_secs: u64,
    batch_entries: usize,
    backoff_max_secs: u64,
}

impl Default for ReplicationFile {
    fn default() -> Self {
        let d = EngineConfig::default();
        ReplicationFile {
            anti_entropy_secs: d.anti_entropy.as_secs(),
            batch_entries: d.batch_entries,
            backoff_max_secs: d.backoff_max.as_secs(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct StorageFile {
    cache_mib: u64,
    /// Free space kept on the data folder's filesystem: writes are refused (ResourceExhausted,
    /// "disk full") while less is left. Absent: 5% of the filesystem, at least 4 and at most
    /// 256 MiB.
    reserve_mib: Option<u64>,
}

impl Default for StorageFile {
    fn default() -> Self {
        StorageFile {
            cache_mib: 16,
            reserve_mib: None,
        }
    }
}

/// A peer this node pulls from.
#[derive(Clone, Debug)]
pub struct Peer {
    pub id: NodeId,
    pub address: String,
}

/// The PEM material a node runs with.
#[derive(Clone, Debug)]
pub struct TlsMaterial {
    pub ca_pem: String,
    /// Configured intermediate CAs (PEM bundle; empty: none).
    pub intermediates_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
    /// The CRLs in force, when configured.
    pub crl: Option<crate::revocation::CrlSource>,
    /// Where `cert_pem` and `key_pem` were read from, to read them again (SIGHUP, a change).
    pub files: Option<crate::rotation::KeyFiles>,
}

/// A validated node configuration.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    pub node: NodeId,
    /// The federation's members (the federation file).
    pub members: Federation,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub tls: TlsMaterial,
    pub peers: Vec<Peer>,
    pub engine: EngineConfig,
    pub cache_bytes: u64,
    /// Free space the store keeps in reserve.
    pub reserve: regiosync_store::Reserve,
    /// An active agreement is "expiring soon" this many days before its last day.
    pub expiring_soon_days: u32,
    pub connections: ConnectionLimits,
    /// The loopback address of the metrics listener (`[metrics] listen`), if any.
    pub metrics: Option<SocketAddr>,
    pub audit: AuditSettings,
}

/// What the configuration file holds, as far as it is valid, and every problem found: what
/// [`NodeConfig::read`] and the config check (`crate::check`) share.
pub(crate) struct Parts {
    pub node: Option<NodeId>,
    pub members: Option<Federation>,
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub ca_pem: Option<String>,
    /// `Some("")` when no intermediates are configured.
    pub intermediates_pem: Option<String>,
    pub cert_pem: Option<String>,
    /// Where the certificate is read from.
    pub cert_path: Option<PathBuf>,
    pub key_pem: Option<String>,
    /// Absent when no CRL is configured; `Some((path, None))` when it cannot be read.
    pub crl: Option<(PathBuf, Option<Vec<u8>>)>,
    pub peers: Vec<Peer>,
    pub problems: Vec<Problem>,
    config: Option<NodeConfig>,
}

/// What is wrong with a peer's address (already known to start with `https://`), if anything:
/// it must name a host and a port (the connection is made to exactly that authority).
fn address_problem(uri: &tonic::codegen::http::Uri) -> Option<&'static str> {
    let Some(a) = uri.authority().filter(|a| !a.host().is_empty()) else {
        return Some("has no host");
    };
    let host_port = a.as_str().rsplit('@').next().unwrap_or_default();
    let after_host = host_port.strip_prefix(a.host()).unwrap_or_default();
    match after_host.strip_prefix(':').map(str::parse::<u16>) {
        Some(Ok(port)) if port > 0 => None,
        Some(_) => Some("has no valid port (1-65535)"),
        None => Some("names no port, as in https://host:7100"),
    }
}

impl NodeConfig {
    /// Read and validate the configuration file. The error lists every problem found, each
    /// naming the file, the key and its line.
    pub fn load(path: &Path) -> Result<NodeConfig> {
        Self::read(path).map_err(|problems| {
            let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
            Error::Config(lines.join("\n"))
        })
    }

    /// As [`NodeConfig::load`], with the problems as values.
    pub fn read(path: &Path) -> std::result::Result<NodeConfig, Vec<Problem>> {
        let parts = Self::parts(path);
        match parts.config {
            Some(config) if parts.problems.is_empty() => Ok(config),
            _ => Err(parts.problems),
        }
    }

    /// Everything `read` checks, going on past each problem as far as the file allows.
    pub(crate) fn parts(path: &Path) -> Parts {
        let mut parts = Parts {
            node: None,
            members: None,
            listen: None,
            data_dir: None,
            ca_pem: None,
            intermediates_pem: None,
            cert_pem: None,
            cert_path: None,
            key_pem: None,
            crl: None,
            peers: Vec::new(),
            problems: Vec::new(),
            config: None,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                parts.problems.push(Source::new(path, "").problem("", e));
                return parts;
            }
        };
        let src = Source::new(path, &text);
        let file = match src.parse::<File>() {
            Ok(file) => file,
            Err(p) => {
                parts.problems.push(p);
                return parts;
            }
        };
        let problems = &mut parts.problems;
        let mut at = |key: &str, msg: String| problems.push(src.problem(key, msg));
        if file.version != CONFIG_VERSION {
            at(
                "version",
                format!("{} is not supported (this build reads {CONFIG_VERSION})", file.version),
            );
        }
        let node = file.node.parse::<NodeId>().map_err(|e| at("node", e.to_string())).ok();
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
        let members = match &file.federation {
            None => Some(Federation::shipped()),
            Some(p) => {
                let p = resolve(p);
                std::fs::read_to_string(&p)
                    .map_err(|e| format!("{}: {e}", p.display()))
                    .and_then(|text| Federation::parse(&text, &p.display().to_string()).map_err(|e| e.to_string()))
                    .map_err(|e| at("federation", e))
                    .ok()
            }
        };
        let not_member = |id: NodeId| format!("{id} is not a member of the federation (add it to the federation file)");
        if let (Some(node), Some(members)) = (node, &members) {
            if !members.is_member(node) {
                at("node", not_member(node));
            }
        }
        let listen = file
            .listen
            .parse()
            .map_err(|e| at("listen", format!("'{}': {e}", file.listen)))
            .ok();
        let mut read = |key: &str, p: &Path| {
            std::fs::read_to_string(resolve(p))
                .map_err(|e| at(key, format!("{}: {e}", resolve(p).display())))
                .ok()
        };
        let ca_pem = read("tls.ca", &file.tls.ca);
        let intermediates_pem = match &file.tls.intermediates {
            Some(p) => read("tls.intermediates", p),
            None => Some(String::new()),
        };
        let cert_pem = read("tls.cert", &file.tls.cert);
        let key_pem = read("tls.key", &file.tls.key);
        let check_every = match file.tls.crl_check_secs {
            Some(s) if s > 0 => Duration::from_secs(s),
            _ => crate::revocation::DEFAULT_CRL_CHECK,
        };
        let files = crate::rotation::KeyFiles {
            cert: resolve(&file.tls.cert),
            key: resolve(&file.tls.key),
            check: check_every,
        };
        let crl = match &file.tls.crl {
            Some(p) => {
                let path = resolve(p);
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))
                    .and_then(|bytes| match Revocations::parse(&bytes, &path.display().to_string()) {
                        Ok(_) => Ok(bytes),
                        Err(e) => Err(e.to_string()),
                    })
                    .map_err(|e| at("tls.crl", e))
                    .ok();
                if file.tls.crl_check_secs == Some(0) {
                    at("tls.crl_check_secs", "must be > 0".into());
                }
                Some((path, bytes))
            }
            None => {
                if file.tls.crl_check_secs.is_some() {
                    at("tls.crl_check_secs", "set without tls.crl".into());
                }
                None
            }
        };
        let mut peers = Vec::new();
        for (i, p) in file.peers.iter().enumerate() {
            let key = format!("peers[{i}].id");
            match p.id.parse::<NodeId>() {
                Err(e) => at(&key, e.to_string()),
                Ok(id) if members.as_ref().is_some_and(|m| !m.is_member(id)) => at(&key, not_member(id)),
                Ok(id) if Some(id) == node => at(&key, format!("{id} is this node itself")),
                Ok(id) if peers.iter().any(|q: &Peer| q.id == id) => at(&key, format!("{id} listed twice")),
                Ok(id) => peers.push(Peer {
                    id,
                    address: p.address.clone(),
                }),
            }
            let uri = p.address.parse::<tonic::codegen::http::Uri>();
            if !p.address.starts_with("https://") {
                at(
                    &format!("peers[{i}].address"),
                    format!("'{}' must start with https://", p.address),
                );
            } else if let Err(e) = &uri {
                at(&format!("peers[{i}].address"), format!("'{}': {e}", p.address));
            } else if let Some(why) = uri.as_ref().ok().and_then(|u| address_problem(u)) {
                at(&format!("peers[{i}].address"), format!("'{}' {why}", p.address));
            }
        }
        let r = &file.replication;
        if r.anti_entropy_secs == 0 || r.batch_entries == 0 || r.batch_entries > 4096 {
            at(
                "replication",
                "anti_entropy_secs must be > 0 and batch_entries within 1..=4096".into(),
            );
        }
        if file.records.expiring_soon_days > 3650 {
            at(
                "records.expiring_soon_days",
                format!("{} exceeds 3650", file.records.expiring_soon_days),
            );
        }
        let c = &file.connections;
        if c.idle_secs < 3 || c.max_total == 0 || c.max_per_identity == 0 || c.max_per_identity > c.max_total {
            at(
                "connections",
                "idle_secs must be >= 3, max_total > 0 and max_per_identity within 1..=max_total".into(),
            );
        }
        let metrics = match &file.metrics.listen {
            None => Some(None),
            Some(text) => metrics_listen(text).map(Some).map_err(|e| at("metrics.listen", e)).ok(),
        };
        let data_dir = resolve(&file.data_dir);
        if let (
            Some(node),
            Some(members),
            Some(listen),
            Some(ca_pem),
            Some(intermediates_pem),
            Some(cert_pem),
            Some(key_pem),
            Some(metrics),
        ) = (
            node,
            members.clone(),
            listen,
            ca_pem.clone(),
            intermediates_pem.clone(),
            cert_pem.clone(),
            key_pem.clone(),
            metrics,
        ) {
            parts.config = Some(NodeConfig {
                node,
                members,
                listen,
                data_dir: data_dir.clone(),
                tls: TlsMaterial {
                    files: Some(files),
                    ca_pem,
                    intermediates_pem,
                    cert_pem,
                    key_pem,
                    crl: crl.as_ref().map(|(path, _)| crate::revocation::CrlSource {
                        path: path.clone(),
                        check: check_every,
                    }),
                },
                peers: peers.clone(),
                engine: EngineConfig {
                    anti_entropy: Duration::from_secs(r.anti_entropy_secs),
                    batch_entries: r.batch_entries,
                    backoff_max: Duration::from_secs(r.backoff_max_secs.max(1)),
                    ..EngineConfig::default()
                },
                cache_bytes: file.storage.cache_mib.max(1) * 1024 * 1024,
                reserve: match file.storage.reserve_mib {
                    Some(mib) => regiosync_store::Reserve::Bytes(mib.saturating_mul(1024 * 1024)),
                    None => regiosync_store::Reserve::Default,
                },
                expiring_soon_days: file.records.expiring_soon_days,
                connections: ConnectionLimits {
                    idle: Duration::from_secs(c.idle_secs),
                    max_total: c.max_total,
                    max_per_identity: c.max_per_identity,
                },
                metrics,
                audit: AuditSettings {
                    anchor_every: (file.audit.anchor_secs > 0).then(|| Duration::from_secs(file.audit.anchor_secs)),
                },
            });
        }
        Parts {
            node,
            members,
            listen,
            data_dir: Some(data_dir),
            ca_pem,
            intermediates_pem,
            cert_pem,
            cert_path: Some(resolve(&file.tls.cert)),
            key_pem,
            crl,
            peers,
            ..parts
        }
    }
}

/// `[metrics] listen`: a socket address on loopback (metrics are served in plaintext).
fn metrics_listen(text: &str) -> std::result::Result<SocketAddr, String> {
    let addr: SocketAddr = text.parse().map_err(|e| format!("'{text}': {e}"))?;
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{addr} is not a loopback address: metrics are served in plaintext, on 127.0.0.1 or ::1 only"
        ));
    }
    Ok(addr)
}

#[cfg(test)]
mod tests;
