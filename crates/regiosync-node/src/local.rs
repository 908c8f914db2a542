//! A whole federation in one process on loopback, with a throwaway PKI: what `regiosync demo`
//! runs and what the integration tests start. Every node is a real node: its own sled
//! database, its own mTLS port on `127.0.0.1`, real gRPC between them.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regiosync_replication::EngineConfig;
use regiosync_trust::{DevCa, KeyType};
use regiosync_types::{Federation, NodeId};
use tokio::net::TcpListener;

use crate::config::{NodeConfig, Peer, TlsMaterial};
use crate::error::{Error, Result};
use crate::node::{start_with_listener, NodeHandle};
use crate::revocation::CrlSource;

/// How a local federation is wired: every national node peers with every other node, every
/// other node with each national node, plus `mesh` edges (each edge makes both regions pull
/// from each other).
#[derive(Clone, Debug, Default)]
pub struct Topology {
    pub mesh: Vec<(NodeId, NodeId)>,
    /// The members (default: the shipped federation).
    pub members: Option<Federation>,
}

pub struct LocalFederation {
    root: PathBuf,
    ca: DevCa,
    configs: BTreeMap<NodeId, NodeConfig>,
    nodes: BTreeMap<NodeId, NodeHandle>,
    /// Serials revoked so far, with when: every node reads the federation's CRL (`crl.pem`).
    revoked: std::sync::Mutex<Vec<(Vec<u8>, time::OffsetDateTime)>>,
}

/// The federation's CRL, under the root; every node looks at it this often.
const CRL_FILE: &str = "crl.pem";
const CRL_CHECK: Duration = Duration::from_millis(200);

/// Write the CRL listing `revoked` (whole, then renamed into place: a node never reads half).
fn write_crl(ca: &DevCa, root: &Path, revoked: &[(Vec<u8>, time::OffsetDateTime)]) -> Result<()> {
    let pem = ca.crl(revoked, time::OffsetDateTime::now_utc())?;
    let tmp = root.join(format!("{CRL_FILE}.tmp"));
    std::fs::write(&tmp, pem)?;
    std::fs::rename(&tmp, root.join(CRL_FILE))?;
    Ok(())
}

impl LocalFederation {
    /// Start `ids` under `root` (one folder per node).
    pub async fn start(
        root: &Path,
        ids: &[NodeId],
        topology: &Topology,
        engine: EngineConfig,
        cache_bytes: u64,
    ) -> Result<LocalFederation> {
        Self::start_with_keys(root, ids, topology, engine, cache_bytes, KeyType::default()).await
    }

    /// As [`LocalFederation::start`], with every key of `key_type` (the benchmarks compare them).
    pub async fn start_with_keys(
        root: &Path,
        ids: &[NodeId],
        topology: &Topology,
        engine: EngineConfig,
        cache_bytes: u64,
        key_type: KeyType,
    ) -> Result<LocalFederation> {
        crate::tls::install_crypto_provider();
        let ca = DevCa::generate_with("regiosync local federation", key_type)?;
        let mut listeners = BTreeMap::new();
        for id in ids {
            let l = TcpListener::bind("127.0.0.1:0").await?;
            listeners.insert(*id, l);
        }
        let addrs: BTreeMap<NodeId, SocketAddr> = listeners
            .iter()
            .map(|(id, l)| Ok((*id, l.local_addr()?)))
            .collect::<Result<_>>()?;
        std::fs::create_dir_all(root)?;
        write_crl(&ca, root, &[])?;
        let members = topology.members.clone().unwrap_or_else(Federation::shipped);
        let mut configs = BTreeMap::new();
        for id in ids {
            let issued = ca.issue_node(*id)?;
            let mut peer_ids: Vec<NodeId> = ids
                .iter()
                .copied()
                .filter(|p| p != id && (members.is_national(*id) || members.is_national(*p)))
                .collect();
            for (a, b) in &topology.mesh {
                if a == id && ids.contains(b) {
                    peer_ids.push(*b);
                } else if b == id && ids.contains(a) {
                    peer_ids.push(*a);
                }
            }
            peer_ids.sort();
            peer_ids.dedup();
            let config = NodeConfig {
                connections: Default::default(),
                // No anchors: tests count every entry of each log (those about the audit trail
                // turn them on).
                audit: crate::config::AuditSettings::NO_ANCHORS,
                metrics: None,
                node: *id,
                members: members.clone(),
                listen: addrs[id],
                data_dir: root.join(id.to_string().to_lowercase()),
                tls: TlsMaterial {
                    ca_pem: ca.cert_pem().into(),
                    intermediates_pem: String::new(),
                    cert_pem: issued.cert_pem,
                    key_pem: issued.key_pem,
                    crl: Some(CrlSource {
                        path: root.join(CRL_FILE),
                        check: CRL_CHECK,
                    }),
                    files: None,
                },
                peers: peer_ids
                    .into_iter()
                    .map(|p| Peer {
                        id: p,
                        address: format!("https://{}", addrs[&p]),
                    })
                    .collect(),
                engine: engine.clone(),
                cache_bytes,
                reserve: regiosync_store::Reserve::Default,
                expiring_soon_days: crate::config::DEFAULT_EXPIRING_SOON_DAYS,
            };
            configs.insert(*id, config);
        }
        let mut fed = LocalFederation {
            root: root.to_path_buf(),
            ca,
            configs,
            nodes: BTreeMap::new(),
            revoked: Default::default(),
        };
        for (id, listener) in listeners {
            let handle = start_with_listener(fed.configs[&id].clone(), listener).await?;
            fed.nodes.insert(id, handle);
        }
        Ok(fed)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ca(&self) -> &DevCa {
        &self.ca
    }

    pub fn ids(&self) -> Vec<NodeId> {
        self.configs.keys().copied().collect()
    }

    pub fn config(&self, id: NodeId) -> &NodeConfig {
        &self.configs[&id]
    }

    /// A node's configuration, to change before it is (re)started.
    pub fn config_mut(&mut self, id: NodeId) -> &mut NodeConfig {
        self.configs.get_mut(&id).expect("a node of this federation")
    }

    /// A running node. Panics if it is not running.
    pub fn node(&self, id: NodeId) -> &NodeHandle {
        self.nodes.get(&id).unwrap_or_else(|| panic!("{id} is not running"))
    }

    pub fn running(&self) -> impl Iterator<Item = &NodeHandle> {
        self.nodes.values()
    }

    pub fn is_running(&self, id: NodeId) -> bool {
        self.nodes.contains_key(&id)
    }

    /// Stop one node; its data stays.
    pub async fn stop(&mut self, id: NodeId) {
        if let Some(h) = self.nodes.remove(&id) {
            h.shutdown().await;
        }
    }

    /// Start a stopped node again on the same address and data folder.
    pub async fn restart(&mut self, id: NodeId) -> Result<()> {
        let config = self.configs[&id].clone();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            // The port and the store's lock are released asynchronously after a stop.
            let attempt = match TcpListener::bind(config.listen).await {
                Ok(l) => start_with_listener(config.clone(), l).await,
                Err(e) => Err(Error::Io(e)),
            };
            match attempt {
                Ok(h) => {
                    self.nodes.insert(id, h);
                    return Ok(());
                }
                Err(e) if tokio::time::Instant::now() >= deadline => return Err(e),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Make `peer` a configured peer of `at` (a node outside this federation's processes, such
    /// as one started as its own process): `at` restarts with it in its peer list, so it
    /// replicates with it.
    pub async fn add_peer(&mut self, at: NodeId, peer: Peer) -> Result<()> {
        let config = self.configs.get_mut(&at).expect("a node of this federation");
        config.peers.retain(|p| p.id != peer.id);
        config.peers.push(peer);
        self.stop(at).await;
        self.restart(at).await
    }

    /// Give node `id` a certificate and key (PEM) from its next start on (a renewal, or putting
    /// an old one back); returns the ones it had.
    pub fn set_node_key(&mut self, id: NodeId, cert_pem: String, key_pem: String) -> (String, String) {
        let tls = &mut self.configs.get_mut(&id).expect("a node of this federation").tls;
        (
            std::mem::replace(&mut tls.cert_pem, cert_pem),
            std::mem::replace(&mut tls.key_pem, key_pem),
        )
    }

    /// Revoke a certificate (PEM) as of `at`: the federation's CRL is written again, and every
    /// node takes it within a moment.
    pub fn revoke(&self, cert_pem: &str, at: time::OffsetDateTime) -> Result<()> {
        let serial = regiosync_trust::revocation::serial_of(cert_pem.as_bytes())?;
        let mut revoked = self.revoked.lock().unwrap();
        revoked.push((serial, at));
        write_crl(&self.ca, &self.root, &revoked)
    }

    pub async fn shutdown(mut self) {
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for id in ids {
            self.stop(id).await;
        }
    }
}
