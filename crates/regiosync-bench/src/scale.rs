//! A federation of 1,000 members in one process: the real engine, the real record rules and
//! aggregates, the real store (sled on tmpfs), over an in-process transport (`net`). What a
//! national node costs at that size: its live heap per member (`heap`), its CPU and bytes
//! per idle anti-entropy round, and how long a record with a federation-wide audience takes
//! to reach every member.
//!
//! The members: the shipped federation (25 regions, NL), a second national node NL-B, and
//! partners PA0001.. up to the number asked. Every region and partner peers with both
//! national nodes, regions also with their neighbours; each national node peers with every
//! other member. Each national node runs on a tokio runtime of its own (one worker, its own
//! blocking threads, named `nat0`, `nat1`), so its CPU is read from its threads and its heap
//! from their allocations; the other members share a runtime of two workers.
mod federation;
pub mod heap;
pub mod net;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use futures::StreamExt;
use regiosync_node::record_rules::RecordRules;
use regiosync_replication::{Engine, EngineConfig};
use regiosync_store::SledStore;
use regiosync_types::NodeId;
use serde::Serialize;

use crate::measure::{memory_mib, percentile};
use net::{Host, Net, SimTransport};

/// What to run and how big.
#[derive(Debug, Clone)]
pub struct ScaleOptions {
    /// Members in all, national nodes included (at least 28).
    pub members: usize,
    /// Records written at a region, each awaited at every member.
    pub trials: usize,
    /// How long the idle federation is watched.
    pub idle: Duration,
    /// Each node's anti-entropy interval (30 s in a shipped node).
    pub anti_entropy: Duration,
}

impl ScaleOptions {
    pub fn full() -> ScaleOptions {
        ScaleOptions {
            members: 1000,
            trials: 50,
            idle: Duration::from_secs(30),
            anti_entropy: Duration::from_secs(5),
        }
    }

    /// 40 members, a few trials: checks the harness works (seconds).
    pub fn smoke() -> ScaleOptions {
        ScaleOptions {
            members: 40,
            trials: 5,
            idle: Duration::from_secs(4),
            anti_entropy: Duration::from_secs(1),
        }
    }
}

/// One national node at this size.
#[derive(Debug, Clone, Serialize)]
pub struct NationalFigures {
    pub node: String,
    /// Live heap of its threads' allocations after the idle window.
    pub heap_mib: f64,
    pub heap_per_member_kib: f64,
    /// Idle rounds it took part in during the window (asked of its peers and answered).
    pub idle_rounds: u64,
    /// Rounds in the window that were not idle (should be none).
    pub busy_rounds: u64,
    /// CPU of its threads in the window, per idle round.
    pub cpu_us_per_idle_round: f64,
    /// Bytes of one idle round with one peer: both messages with their gRPC frames.
    pub bytes_per_idle_round: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub trials: usize,
    /// Per trial: from the publish call at the origin until the last member holds the record.
    pub all_p50_ms: f64,
    pub all_p99_ms: f64,
    pub all_max_ms: f64,
    /// Over every member of every trial: until that member holds it.
    pub member_p50_ms: f64,
    pub member_p99_ms: f64,
    /// Per trial: until the last member's first copy was handed to the wire by whoever sent it
    /// (a national node, or the origin itself): the senders' part, without the receivers
    /// applying, which here share two cores among all members and in a federation each have
    /// a machine of their own.
    pub sent_all_p50_ms: f64,
    pub sent_all_p99_ms: f64,
    /// CPU per record over the trials: of the busiest national node's threads (its apply and
    /// its fan-out to every subscriber), and of the rest of the process per member (each
    /// member's apply, with sled's threads).
    pub national_cpu_ms_per_record: f64,
    pub member_cpu_ms_per_record: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleReport {
    pub machine: crate::report::Machine,
    pub members: usize,
    pub nationals: usize,
    pub regions: usize,
    pub partners: usize,
    pub anti_entropy_secs: f64,
    pub idle_secs: f64,
    /// Opening every store and engine.
    pub open_secs: f64,
    /// From connecting every peer until every member held (or was vouched past) every origin.
    pub converge_secs: f64,
    pub national: Vec<NationalFigures>,
    pub delivery: Delivery,
    /// The whole process: every member's engine and store.
    pub process_rss_mib: f64,
    pub process_rss_per_member_kib: f64,
}

/// sled's page cache per store: a national node's as shipped, a member's kept small so a
/// thousand fit this machine.
const NATIONAL_CACHE: u64 = 16 * 1024 * 1024;
const MEMBER_CACHE: u64 = 1024 * 1024;

/// Run the simulation in `root` (best on tmpfs).
pub async fn run(root: &Path, opts: &ScaleOptions) -> Result<ScaleReport> {
    let fed = federation::build(opts.members)?;
    federation::raise_open_files(opts.members as u64 * 8 + 256)?;
    let runtimes = Runtimes::new(fed.members.nationals())?;
    // Shut down however the run ends: a runtime dropped in async code panics.
    let report = simulate(root, opts, &fed, &runtimes).await;
    runtimes.shutdown();
    report
}

async fn simulate(root: &Path, opts: &ScaleOptions, fed: &federation::Sim, runtimes: &Runtimes) -> Result<ScaleReport> {
    let ids: Vec<NodeId> = fed.members.ids().collect();
    let nationals: Vec<NodeId> = fed.members.nationals().to_vec();
    let net = Arc::new(Net::default());
    let config = EngineConfig {
        anti_entropy: opts.anti_entropy,
        ..EngineConfig::default()
    };

    let started = Instant::now();
    let mut hosts = HashMap::new();
    let mut opening = futures::stream::iter(ids.iter().copied().map(|id| {
        let runtime = runtimes.of(id);
        let dir = root.join(id.to_string());
        let cache = if nationals.contains(&id) {
            NATIONAL_CACHE
        } else {
            MEMBER_CACHE
        };
        let (signer, verifier) = (fed.signer(id), fed.verifier());
        let (members, config) = (fed.members.clone(), config.clone());
        let task = runtime.spawn(async move {
            let store = tokio::task::spawn_blocking(move || SledStore::open(&dir, cache)).await??;
            let rules = Arc::new(RecordRules::new(members));
            Ok::<_, anyhow::Error>(Engine::open(Arc::new(store), signer, verifier, config, rules).await?)
        });
        async move { (id, runtime, task.await) }
    }))
    .buffer_unordered(16);
    while let Some((id, runtime, opened)) = opening.next().await {
        let engine = opened
            .context("an opening task")?
            .with_context(|| format!("opening {id}"))?;
        hosts.insert(id, Host { engine, runtime });
    }
    drop(opening);
    let open_secs = started.elapsed().as_secs_f64();
    net.set(hosts.clone());

    // Every region and partner writes one capacity report for the national nodes, so every
    // version vector names every one of them.
    let origins: Vec<NodeId> = ids.iter().copied().filter(|id| !nationals.contains(id)).collect();
    let reports = federation::Reports::new()?;
    for id in &origins {
        let host = &hosts[id];
        let draft = reports.draft(*id, Vec::new());
        let engine = host.engine.clone();
        host.runtime.spawn(async move { engine.publish(draft).await }).await??;
    }

    let started = Instant::now();
    for id in &ids {
        let host = &hosts[id];
        let _on_host = host.runtime.enter();
        for peer in fed.peers_of(*id) {
            let transport = Arc::new(SimTransport::new(*id, net.clone()));
            host.engine.connect_peer(transport, peer, format!("sim:{peer}"));
        }
    }
    converged(&hosts, &net, &origins, Duration::from_secs(1800)).await?;
    let converge_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "converged in {converge_secs:.1} s; watching {:.0} s idle, then {} records",
        opts.idle.as_secs_f64(),
        opts.trials
    );

    // Two rounds after converging every pair knows the other's digest: from then on idle.
    tokio::time::sleep(opts.anti_entropy * 2 + Duration::from_millis(500)).await;
    let before: Vec<_> = nationals.iter().map(|n| Window::start(&net, *n, runtimes)).collect();
    tokio::time::sleep(opts.idle).await;
    let mut national = Vec::new();
    for (n, w) in nationals.iter().zip(before) {
        national.push(w.end(&net, *n, runtimes, ids.len()));
    }
    let (rss, _) = memory_mib("self");

    let delivery = deliver(&hosts, &net, runtimes, fed, &reports, opts.trials).await?;
    for host in hosts.values() {
        host.engine.shutdown().await;
    }
    drop(hosts);
    Ok(ScaleReport {
        machine: crate::report::Machine::read(),
        members: ids.len(),
        nationals: nationals.len(),
        regions: fed.members.regions().count(),
        partners: fed.partners,
        anti_entropy_secs: opts.anti_entropy.as_secs_f64(),
        idle_secs: opts.idle.as_secs_f64(),
        open_secs,
        converge_secs,
        national,
        delivery,
        process_rss_mib: rss,
        process_rss_per_member_kib: rss * 1024.0 / ids.len() as f64,
    })
}

/// Until every member holds, or was vouched past, one entry of every origin.
async fn converged(hosts: &HashMap<NodeId, Host>, net: &Net, origins: &[NodeId], timeout: Duration) -> Result<()> {
    let started = Instant::now();
    let deadline = started + timeout;
    let mut told = started;
    loop {
        let lacking: Vec<usize> = hosts
            .values()
            .map(|h| {
                let vv = h.engine.version_vector();
                origins.iter().filter(|o| vv.get(**o) == 0).count()
            })
            .collect();
        let behind = lacking.iter().filter(|n| **n > 0).count();
        if behind == 0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{behind} members still lack an origin after {timeout:?}");
        }
        if told.elapsed() >= Duration::from_secs(30) {
            told = Instant::now();
            let (subscriptions, items) = net.traffic();
            eprintln!(
                "converging for {:.0} s: {behind} of {} members lack {} (member, origin) pairs; \
                 {subscriptions} subscriptions opened, {items} messages received",
                started.elapsed().as_secs_f64(),
                hosts.len(),
                lacking.iter().sum::<usize>(),
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A national node's counters and CPU at the start of the idle window.
struct Window {
    at: Instant,
    cpu: f64,
    idle: u64,
    busy: u64,
    idle_bytes: u64,
}

impl Window {
    fn start(net: &Net, node: NodeId, runtimes: &Runtimes) -> Window {
        let c = net.counters(node);
        let idle = c.asked_idle.load(Ordering::Relaxed) + c.answered_idle.load(Ordering::Relaxed);
        let all = c.asked.load(Ordering::Relaxed) + c.answered.load(Ordering::Relaxed);
        Window {
            at: Instant::now(),
            cpu: crate::measure::thread_cpu_seconds(&runtimes.thread_name(node)),
            idle,
            busy: all - idle,
            idle_bytes: c.idle_bytes.load(Ordering::Relaxed),
        }
    }

    fn end(self, net: &Net, node: NodeId, runtimes: &Runtimes, members: usize) -> NationalFigures {
        let after = Window::start(net, node, runtimes);
        let idle = after.idle - self.idle;
        let heap = heap::live(runtimes.tag(node)).unwrap_or(0) as f64;
        tracing::info!(%node, window = ?after.at - self.at, idle, "idle window");
        NationalFigures {
            node: node.to_string(),
            heap_mib: heap / (1024.0 * 1024.0),
            heap_per_member_kib: heap / 1024.0 / members as f64,
            idle_rounds: idle,
            busy_rounds: after.busy - self.busy,
            cpu_us_per_idle_round: (after.cpu - self.cpu) * 1e6 / idle.max(1) as f64,
            bytes_per_idle_round: (after.idle_bytes - self.idle_bytes) as f64 / idle.max(1) as f64,
        }
    }
}

/// `trials` capacity reports, each by the next region with every other member in its
/// audience, each awaited at every member.
async fn deliver(
    hosts: &HashMap<NodeId, Host>,
    net: &Net,
    runtimes: &Runtimes,
    fed: &federation::Sim,
    reports: &federation::Reports,
    trials: usize,
) -> Result<Delivery> {
    let regions: Vec<NodeId> = fed.members.regions().collect();
    let (mut whole, mut each, mut sent) = (Vec::new(), Vec::new(), Vec::new());
    let nationals: Vec<String> = fed
        .members
        .nationals()
        .iter()
        .map(|n| runtimes.thread_name(*n))
        .collect();
    let national_cpu = || -> Vec<f64> {
        nationals
            .iter()
            .map(|n| crate::measure::thread_cpu_seconds(n))
            .collect()
    };
    let (cpu_before, process_before) = (national_cpu(), crate::measure::cpu_seconds("self"));
    for t in 0..trials {
        let origin = regions[t % regions.len()];
        let audience: Vec<String> = hosts
            .keys()
            .filter(|id| **id != origin && !fed.members.is_national(**id))
            .map(|id| id.to_string())
            .collect();
        let host = &hosts[&origin];
        let seq = host.engine.held(origin) + 1;
        let t0 = Instant::now();
        let waiters: Vec<_> = hosts
            .iter()
            .filter(|(id, _)| **id != origin)
            .map(|(_, h)| {
                let engine = h.engine.clone();
                tokio::spawn(async move {
                    crate::measure::wait_held(&engine, origin, seq, Duration::from_secs(120)).await?;
                    Ok::<_, anyhow::Error>(t0.elapsed().as_secs_f64() * 1000.0)
                })
            })
            .collect();
        let engine = host.engine.clone();
        let draft = reports.draft(origin, audience);
        net.follow(Some(net::Probe::new(origin, seq)));
        host.runtime.spawn(async move { engine.publish(draft).await }).await??;
        let mut last = 0.0f64;
        for w in waiters {
            let ms = w.await??;
            last = last.max(ms);
            each.push(ms);
        }
        whole.push(last);
        if let Some(probe) = net.follow(None) {
            let mut first: HashMap<NodeId, f64> = HashMap::new();
            for ((_, receiver), ms) in probe.sent {
                let at = first.entry(receiver).or_insert(ms);
                *at = at.min(ms);
            }
            if first.len() + 1 < hosts.len() {
                bail!(
                    "trial {t}: only {} of {} members were sent the record",
                    first.len(),
                    hosts.len() - 1
                );
            }
            sent.push(first.values().copied().fold(0.0, f64::max));
        }
    }
    let all_max_ms = whole.iter().copied().fold(0.0, f64::max);
    let spent: Vec<f64> = national_cpu().iter().zip(&cpu_before).map(|(a, b)| a - b).collect();
    let process = crate::measure::cpu_seconds("self") - process_before;
    let per_record = |secs: f64| secs * 1000.0 / trials.max(1) as f64;
    Ok(Delivery {
        trials,
        all_p50_ms: percentile(&mut whole, 50.0),
        all_p99_ms: percentile(&mut whole, 99.0),
        all_max_ms,
        member_p50_ms: percentile(&mut each, 50.0),
        member_p99_ms: percentile(&mut each, 99.0),
        sent_all_p50_ms: percentile(&mut sent, 50.0),
        sent_all_p99_ms: percentile(&mut sent, 99.0),
        national_cpu_ms_per_record: per_record(spent.iter().copied().fold(0.0, f64::max)),
        member_cpu_ms_per_record: per_record(process - spent.iter().sum::<f64>())
            / (hosts.len() - nationals.len()) as f64,
    })
}

/// A runtime per national node (heap tag 1, 2, ..) and one for every other member (tag 0).
struct Runtimes {
    nationals: Vec<(NodeId, tokio::runtime::Runtime)>,
    members: tokio::runtime::Runtime,
}

impl Runtimes {
    fn new(nationals: &[NodeId]) -> Result<Runtimes> {
        let mut out = Vec::new();
        for (i, n) in nationals.iter().enumerate() {
            let tag = i as u8 + 1;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name(format!("nat{i}"))
                .on_thread_start(move || heap::set_tag(tag))
                // Blocking threads stay for the run, so none takes its CPU time with it.
                .thread_keep_alive(Duration::from_secs(24 * 3600))
                .enable_all()
                .build()
                .context("a national node's runtime")?;
            out.push((*n, rt));
        }
        let members = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("members")
            .enable_all()
            .build()
            .context("the members' runtime")?;
        Ok(Runtimes {
            nationals: out,
            members,
        })
    }

    fn index(&self, id: NodeId) -> Option<usize> {
        self.nationals.iter().position(|(n, _)| *n == id)
    }

    fn of(&self, id: NodeId) -> tokio::runtime::Handle {
        match self.index(id) {
            Some(i) => self.nationals[i].1.handle().clone(),
            None => self.members.handle().clone(),
        }
    }

    fn tag(&self, id: NodeId) -> u8 {
        self.index(id).map_or(0, |i| i as u8 + 1)
    }

    fn thread_name(&self, id: NodeId) -> String {
        self.index(id).map_or("members".into(), |i| format!("nat{i}"))
    }

    fn shutdown(self) {
        for (_, rt) in self.nationals {
            rt.shutdown_background();
        }
        self.members.shutdown_background();
    }
}
