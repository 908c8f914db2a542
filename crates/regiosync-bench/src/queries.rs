//! `regiosync-bench queries`: the six national questions (`proto/regiosync/v1/queries.proto`)
//! asked at NL over mutual-TLS gRPC by a national coordinator, after NL has stored N valid
//! records of the 25 regions through the replication path.
//!
//! Per size: a one-node federation (NL) on loopback with a throwaway PKI; each region's node
//! certificate from the same CA; the records of [`crate::mix`] sealed by each region's signer
//! and handed to NL's engine as a peer would (`receive`: certificate, then batches of up to
//! 2,048 entries: seals verified, record rules, aggregates, one atomic write and flush). Then
//! each question `calls` times after `warmup` calls: p50, p99, max, answer size; every answer is
//! checked for plausibility (the bench fails when the aggregates are empty). Where the time
//! goes is measured in-process by [`crate::query_parts`]; the calls are [`crate::query_calls`].
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context, Result};
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_replication::{now_ms, Engine, SyncItem};
use regiosync_trust::{Identity, Signer};
use regiosync_types::chunk::Entry;
use regiosync_types::pb::EntryBody;
use regiosync_types::{Envelope, NodeId, Sealed};
use serde::Serialize;

use crate::measure::memory_mib;
use crate::mix::{Mix, Plan, Planned};
use crate::ours::{engine_config, Rate};
use crate::query_calls::ask_all;
use crate::query_parts::Parts;
use crate::report::Machine;

/// A deployed node's default sled cache (`[storage] cache_mib = 16`).
const NODE_CACHE_BYTES: u64 = 16 * 1024 * 1024;
/// Entries per `receive` batch, as replication streams them.
const BATCH: usize = 2048;
/// The brief's target for any aggregate question at 1,000,000 records.
pub const TARGET_P99_MS: f64 = 5.0;
/// The resource type asked about in question 2.
pub const RESOURCE: &str = "TS";

#[derive(Debug, Clone)]
pub struct QueriesOptions {
    pub sizes: Vec<u64>,
    pub calls: usize,
    pub warmup: usize,
}

impl QueriesOptions {
    pub fn full() -> QueriesOptions {
        QueriesOptions {
            sizes: vec![10_000, 1_000_000],
            calls: 200,
            warmup: 20,
        }
    }

    /// 2,000 records, few calls: keeps the harness working (seconds, also unoptimised).
    pub fn smoke() -> QueriesOptions {
        QueriesOptions {
            sizes: vec![2_000],
            calls: 20,
            warmup: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QueriesReport {
    pub machine: Machine,
    pub calls: usize,
    pub warmup: usize,
    pub target_p99_ms: f64,
    pub sizes: Vec<SizeRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeRun {
    pub records: u64,
    pub mix: Mix,
    /// Time spent in NL's `receive` only (generating and sealing not counted).
    pub ingest: Rate,
    /// Generating, encoding and sealing the records (the regions' side, not timed above).
    pub prepare_seconds: f64,
    pub disk_mib: f64,
    /// Resident memory of the whole bench process (NL, the gRPC client, the generator's
    /// freed buffers) after ingest and after the questions; peak over the process so far.
    pub rss_after_ingest_mib: f64,
    pub rss_after_queries_mib: f64,
    pub peak_rss_mib: f64,
    /// The machine's 1-minute load average after the questions (the machine is shared).
    pub load_average: f64,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub name: String,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Encoded size of the last answer.
    pub answer_bytes: usize,
    /// The same answer computed in-process: aggregate reads, then decoding and deriving.
    pub parts: Parts,
    /// What the plausibility check saw in the last answer.
    pub checked: String,
}

pub async fn run(opts: &QueriesOptions) -> Result<QueriesReport> {
    let mut sizes = Vec::new();
    for &n in &opts.sizes {
        let work = tempfile::Builder::new()
            .prefix("regiosync-bench-queries-")
            .tempdir()
            .context("temporary folder")?;
        eprintln!("bench queries: {n} records");
        sizes.push(run_size(work.path(), n, opts).await?);
        work.close().context("removing the temporary folder")?;
    }
    Ok(QueriesReport {
        machine: Machine::read(),
        calls: opts.calls,
        warmup: opts.warmup,
        target_p99_ms: TARGET_P99_MS,
        sizes,
    })
}

async fn run_size(root: &Path, n: u64, opts: &QueriesOptions) -> Result<SizeRun> {
    let fed = LocalFederation::start(
        root,
        &[NodeId::NL],
        &Topology::default(),
        engine_config(),
        NODE_CACHE_BYTES,
    )
    .await
    .context("starting NL")?;
    let nl = fed.node(NodeId::NL).engine.clone();
    let (mix, ingest, prepare_seconds) = ingest(&fed, &nl, n).await?;
    eprintln!(
        "bench queries: {n} records stored at {:.0} records/s; asking",
        ingest.records_per_sec
    );
    let rss_after_ingest_mib = memory_mib("self").0;
    let issued = fed.ca().issue_person(Identity::coordinator("bench"))?;
    let channel = regiosync_node::client::channel(
        &fed.node(NodeId::NL).url(),
        fed.ca().cert_pem(),
        &issued.cert_pem,
        &issued.key_pem,
        None,
    )
    .await?;
    let client = QueriesClient::new(channel).max_decoding_message_size(64 * 1024 * 1024);
    let window = i64::from(fed.config(NodeId::NL).expiring_soon_days);
    let questions = ask_all(&client, &nl, opts, window).await?;
    let (rss_after_queries_mib, peak_rss_mib) = memory_mib("self");
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN);
    let disk_mib = nl.size_on_disk()? as f64 / 1024.0 / 1024.0;
    drop(client);
    fed.shutdown().await;
    Ok(SizeRun {
        records: n,
        mix,
        ingest,
        prepare_seconds,
        disk_mib,
        rss_after_ingest_mib,
        rss_after_queries_mib,
        peak_rss_mib,
        load_average,
        questions,
    })
}

/// Seal every region's records and hand them to NL's engine as a peer would.
async fn ingest(fed: &LocalFederation, nl: &Engine, n: u64) -> Result<(Mix, Rate, f64)> {
    let now = now_ms();
    let mut plan = Plan::new(n, now)?;
    let (mut timed, mut prepare) = (Duration::ZERO, Duration::ZERO);
    for region in regiosync_types::Federation::shipped().regions() {
        let t = Instant::now();
        let issued = fed.ca().issue_node(region)?;
        let signer = Signer::from_pem(&issued.cert_pem, &issued.key_pem)?;
        let records = plan.take_region(region);
        let count = records.len() as u64;
        prepare += t.elapsed();
        let t = Instant::now();
        nl.receive(region, SyncItem::Certificate(signer.cert_der().to_vec()))
            .await
            .with_context(|| format!("NL refused {region}'s certificate"))?;
        timed += t.elapsed();
        let mut records = records.into_iter().enumerate().peekable();
        while records.peek().is_some() {
            let t = Instant::now();
            let entries = records
                .by_ref()
                .take(BATCH)
                .map(|(i, p)| entry(region, i as u64 + 1, p))
                .collect::<Result<Vec<_>>>()?;
            let first = entries[0].envelope.seq;
            let chunks = signer.seal_all(now, entries).into_iter().map(Sealed::into_pb).collect();
            prepare += t.elapsed();
            let t = Instant::now();
            nl.receive(region, SyncItem::Batch(chunks))
                .await
                .with_context(|| format!("NL refused {region}'s batch from seq {first}"))?;
            timed += t.elapsed();
        }
        ensure!(
            nl.durable(region) == count,
            "NL holds {region} up to {} durably, expected {count}",
            nl.durable(region)
        );
    }
    let rate = Rate {
        records: n,
        seconds: timed.as_secs_f64(),
        records_per_sec: n as f64 / timed.as_secs_f64(),
    };
    Ok((plan.mix, rate, prepare.as_secs_f64()))
}

fn entry(origin: NodeId, seq: u64, p: Planned) -> Result<Entry> {
    let body = EntryBody {
        id: Envelope::generated_id(origin, seq),
        origin: origin.to_string(),
        seq,
        kind: p.kind.into(),
        created_unix_ms: p.created_ms,
        status: p.status as i32,
        audience: p.audience,
        payload: p.payload,
        ..Default::default()
    };
    Ok(Entry::from_envelope(Envelope::check(body)?))
}
