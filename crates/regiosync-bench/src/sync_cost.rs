//! Anti-entropy cost on the wire: bytes of one idle round at growing sizes, and bytes to repair
//! a 1% divergence against the size of the missing entries. Then a fresh node (a separate
//! process) catches up from the national node: records/s and its peak resident memory.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_node::transport::GrpcTransport;
use regiosync_node::{Peer, TlsMaterial};
use regiosync_replication::Transport;
use regiosync_types::NodeId;
use serde::Serialize;

use crate::measure::{memory_mib, wait_held};
use crate::ours::{engine_config, vr, CACHE_BYTES};
use crate::records;

#[derive(Debug, Clone, Serialize)]
pub struct IdleRound {
    pub entries: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Repair {
    pub missing_entries: u64,
    pub missing_bytes: u64,
    pub wire_bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatchUp {
    pub entries: u64,
    pub seconds: f64,
    pub records_per_sec: f64,
    pub peak_rss_mib: f64,
    pub idle_rss_mib: f64,
    pub idle_cpu_percent: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncCost {
    pub idle_rounds: Vec<IdleRound>,
    pub repair: Repair,
    pub catch_up: Option<CatchUp>,
}

/// `sizes` ascending, e.g. [1_000, 100_000, 1_000_000]. `exe` is the regiosync binary for the
/// catch-up process (none: skip catch-up).
pub async fn run(root: &Path, sizes: &[u64], bytes: usize, exe: Option<PathBuf>, idle_secs: u64) -> Result<SyncCost> {
    let fed = LocalFederation::start(
        root,
        &[NodeId::NL, vr(1)],
        &Topology::default(),
        engine_config(),
        CACHE_BYTES,
    )
    .await?;
    let mut fed = fed;
    let audience = vec![vr(2).to_string()];
    let mut held = 0u64;
    let mut idle_rounds = Vec::new();
    for &n in sizes {
        held = publish_up_to(&fed, held, n, bytes, &audience).await?;
        wait_held(&fed.node(NodeId::NL).engine, vr(1), n, Duration::from_secs(3600)).await?;
        idle_rounds.push(IdleRound {
            entries: n,
            bytes: idle_round_bytes(&fed).await?,
        });
    }

    // Repair a 1% divergence: NL misses 1% of what VR01 holds.
    let missing = (held / 100).max(1);
    fed.stop(NodeId::NL).await;
    let before = held;
    held = publish_up_to(&fed, held, held + missing, bytes, &audience).await?;
    let origin = fed.node(vr(1)).engine.clone();
    let mut missing_bytes = 0u64;
    let mut after = before;
    while after < held {
        let page = origin.list(Some(vr(1)), None, after, 1000, None).await?;
        for e in &page {
            missing_bytes += (e.size_bytes + 8) as u64;
            after = e.envelope.seq;
        }
    }
    let wire_before = fed.node(vr(1)).wire.total();
    fed.restart(NodeId::NL).await?;
    wait_held(&fed.node(NodeId::NL).engine, vr(1), held, Duration::from_secs(600)).await?;
    let repair = Repair {
        missing_entries: missing,
        missing_bytes,
        wire_bytes: fed.node(vr(1)).wire.total() - wire_before,
    };

    let catch_up = match exe {
        Some(exe) => Some(catch_up(&mut fed, root, &exe, held, idle_secs).await?),
        None => None,
    };
    fed.shutdown().await;
    Ok(SyncCost {
        idle_rounds,
        repair,
        catch_up,
    })
}

async fn publish_up_to(fed: &LocalFederation, from: u64, to: u64, bytes: usize, audience: &[String]) -> Result<u64> {
    let origin = fed.node(vr(1)).engine.clone();
    let mut at = from;
    while at < to {
        let k = 1000.min(to - at);
        origin.publish_many(records::drafts(at, k, bytes, audience)).await?;
        at += k;
    }
    Ok(at)
}

/// Bytes on NL's wire for one Digest from VR01 over a warm connection.
async fn idle_round_bytes(fed: &LocalFederation) -> Result<u64> {
    let c = fed.config(vr(1));
    let nl = fed.node(NodeId::NL);
    let transport = GrpcTransport::new(
        &c.tls,
        &[Peer {
            id: NodeId::NL,
            address: nl.url(),
        }],
        regiosync_node::tls::FederationServers::for_material(&c.tls)?,
    )?;
    let have = fed.node(vr(1)).engine.version_vector();
    transport
        .digest(NodeId::NL, have.clone())
        .await
        .map_err(|e| anyhow::anyhow!("warm-up digest: {e}"))?;
    let mut best = u64::MAX;
    for _ in 0..3 {
        let before = nl.wire.total();
        transport
            .digest(NodeId::NL, have.clone())
            .await
            .map_err(|e| anyhow::anyhow!("digest: {e}"))?;
        // Give the server's write of the response time to be counted.
        tokio::time::sleep(Duration::from_millis(20)).await;
        best = best.min(nl.wire.total() - before);
    }
    Ok(best)
}

/// A fresh VR02, as its own process, joins NL and catches up on `entries` entries.
async fn catch_up(fed: &mut LocalFederation, root: &Path, exe: &Path, entries: u64, idle_secs: u64) -> Result<CatchUp> {
    let dir = root.join("vr02-process");
    std::fs::create_dir_all(&dir)?;
    let issued = fed.ca().issue_node(vr(2))?;
    let person = fed.ca().issue_person(regiosync_trust::Identity::coordinator("bench"))?;
    std::fs::write(dir.join("ca.pem"), fed.ca().cert_pem())?;
    std::fs::write(dir.join("node.pem"), &issued.cert_pem)?;
    std::fs::write(dir.join("node.key"), &issued.key_pem)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    // NL replicates only with its configured peers: VR02 becomes one (NL restarts).
    fed.add_peer(
        NodeId::NL,
        regiosync_node::config::Peer {
            id: vr(2),
            address: format!("https://127.0.0.1:{port}"),
        },
    )
    .await?;
    let config = format!(
        "version = 1\nnode = \"VR02\"\nlisten = \"127.0.0.1:{port}\"\ndata_dir = \"data\"\n\
         [tls]\nca = \"ca.pem\"\ncert = \"node.pem\"\nkey = \"node.key\"\n\
         [[peers]]\nid = \"NL\"\naddress = \"{}\"\n[replication]\nanti_entropy_secs = 3600\n[storage]\ncache_mib = 16\n",
        fed.node(NodeId::NL).url()
    );
    std::fs::write(dir.join("vr02.toml"), config)?;
    let t0 = Instant::now();
    let child = Command::new(exe)
        .args(["node", "--config"])
        .arg(dir.join("vr02.toml"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting the catch-up node")?;
    let guard = Kill(child);
    let pid = guard.0.id().to_string();
    let url = format!("https://127.0.0.1:{port}");
    let material = TlsMaterial {
        ca_pem: fed.ca().cert_pem().into(),
        intermediates_pem: String::new(),
        cert_pem: person.cert_pem,
        key_pem: person.key_pem,
        crl: None,
        files: None,
    };
    let mut client = None;
    let seconds = loop {
        if t0.elapsed() > Duration::from_secs(1800) {
            bail!("VR02 did not catch up within 30 minutes");
        }
        if client.is_none() {
            client =
                regiosync_node::client::connect(&url, &material.ca_pem, &material.cert_pem, &material.key_pem, None)
                    .await
                    .ok();
        }
        if let Some(c) = client.as_mut() {
            if let Ok(s) = c.status(regiosync_node::pb::StatusRequest {}).await {
                let s = s.into_inner();
                if s.held.map(|h| h.origins.get("VR01").copied().unwrap_or(0)).unwrap_or(0) >= entries {
                    break t0.elapsed().as_secs_f64();
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let (_, peak) = memory_mib(&pid);
    drop(client);
    let cpu0 = crate::measure::cpu_seconds(&pid);
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let cpu = crate::measure::cpu_seconds(&pid) - cpu0;
    let (idle_rss, _) = memory_mib(&pid);
    drop(guard);
    Ok(CatchUp {
        entries,
        seconds,
        records_per_sec: entries as f64 / seconds,
        peak_rss_mib: peak,
        idle_rss_mib: idle_rss,
        idle_cpu_percent: 100.0 * cpu / idle_secs.max(1) as f64,
    })
}

/// Kills the child process when dropped.
pub struct Kill(pub Child);

impl Drop for Kill {
    fn drop(&mut self) {
        // SIGINT first so the process cleans up (flushes, removes its temporary folders).
        let _ = Command::new("kill").args(["-INT", &self.0.id().to_string()]).status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
