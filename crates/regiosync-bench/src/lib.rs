//! Benchmarks of the speed targets in BRIEF.md section 7, measured in one run on this machine,
//! with PostgreSQL 15 logical replication as the reference. `regiosync-bench` runs them and
//! prints a table plus a JSON summary; BENCHMARKS.md records method and results.
//!
//! - `ours`: replication throughput region -> NL, the store's ceilings, latency;
//! - `sync_cost`: idle anti-entropy bytes, 1% repair, a fresh node catching up (own process);
//! - `footprint`: the 26-node demo's memory and idle CPU (own process);
//! - `postgres`: PostgreSQL 15 logical replication over verified mTLS (the reference);
//! - `report`: the table and the JSON.
//!
//! `regiosync-bench queries` runs the query benchmark on its own ([`queries::run`]):
//! - `mix`: a realistic country of valid records (capacity, evaluations, agreements);
//! - `queries`: the six national questions at NL over gRPC at 10,000 and 1,000,000 records;
//! - `query_calls`: the calls, timed, and the checks of every answer;
//! - `query_parts`: where a question's time goes (aggregate reads, deriving, the rest).
//!
//! `regiosync-bench scale` runs `regiosync-bench-scale`, a federation of 1,000 members in one
//! process ([`scale::run`]).

pub mod assist;
pub mod footprint;
pub mod measure;
pub mod mix;
pub mod ours;
pub mod postgres;
pub mod queries;
pub mod query_calls;
pub mod query_parts;
pub mod records;
pub mod report;
pub mod scale;
pub mod sync_cost;

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Serialize;

/// What to run and how big.
#[derive(Debug, Clone)]
pub struct Options {
    /// Records for the throughput runs (ours, the store ceilings and PostgreSQL).
    pub records: u64,
    pub record_bytes: usize,
    pub latency_trials: usize,
    /// Entry counts for the idle anti-entropy rounds (ascending); the last one is also what the
    /// catch-up node fetches.
    pub sync_sizes: Vec<u64>,
    pub idle_secs: u64,
    pub postgres: bool,
    /// The regiosync binary, for the measurements that need their own process.
    pub exe: Option<PathBuf>,
}

impl Options {
    /// The full run the targets are judged by.
    pub fn full(exe: Option<PathBuf>) -> Options {
        Options {
            records: 500_000,
            record_bytes: 300,
            latency_trials: 200,
            sync_sizes: vec![1_000, 100_000, 1_000_000],
            idle_secs: 30,
            postgres: true,
            exe,
        }
    }

    /// A smoke run with tiny sizes that keeps the harness working (seconds, not minutes).
    pub fn smoke(exe: Option<PathBuf>) -> Options {
        Options {
            records: 2_000,
            record_bytes: 300,
            latency_trials: 10,
            sync_sizes: vec![100, 1_000],
            idle_secs: 1,
            postgres: false,
            exe,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub machine: report::Machine,
    pub records: u64,
    pub record_bytes: usize,
    pub replication: ours::Rate,
    pub ceilings: ours::Ceilings,
    pub latency_one_hop: ours::Latency,
    pub latency_26_nodes: ours::Latency,
    pub sync: sync_cost::SyncCost,
    pub footprint: Option<footprint::Footprint>,
    pub postgres: Option<PgSummary>,
}

/// The PostgreSQL reference as reported.
#[derive(Debug, Clone, Serialize)]
pub struct PgSummary {
    pub server_version: String,
    pub records: u64,
    pub seconds: f64,
    pub records_per_sec: f64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
}

impl From<postgres::PgResult> for PgSummary {
    fn from(r: postgres::PgResult) -> Self {
        PgSummary {
            server_version: r.server_version,
            records: r.records,
            seconds: r.seconds,
            records_per_sec: r.records_per_sec,
            latency_p50_ms: r.latency_p50_ms,
            latency_p99_ms: r.latency_p99_ms,
        }
    }
}

/// Run everything in `opts`, printing progress to stderr.
pub async fn run(opts: &Options) -> Result<Report> {
    let work = tempfile::Builder::new()
        .prefix("regiosync-bench-")
        .tempdir()
        .context("temporary folder")?;
    let step = |s: &str| eprintln!("bench: {s}");
    let postgres = if opts.postgres {
        step("PostgreSQL 15 logical replication (reference)");
        postgres::ensure_installed()?;
        let pg_opts = postgres::PgOptions {
            records: opts.records,
            record_bytes: opts.record_bytes,
            tx_rows: 1000,
            latency_trials: opts.latency_trials,
        };
        let dir = work.path().join("postgres");
        std::fs::create_dir_all(&dir)?;
        Some(PgSummary::from(
            tokio::task::spawn_blocking(move || postgres::run(&pg_opts, &dir)).await??,
        ))
    } else {
        None
    };
    step("replication throughput VR01 -> NL");
    let replication = ours::replication(&work.path().join("throughput"), opts.records, opts.record_bytes, 1000).await?;
    step("store ceilings");
    let ceilings = ours::ceilings(&work.path().join("ceilings"), opts.records, opts.record_bytes, 1000).await?;
    step("latency, one hop");
    let latency_one_hop =
        ours::latency(&work.path().join("lat1"), opts.latency_trials, opts.record_bytes, false).await?;
    step("latency, 26 nodes through the hub");
    let latency_26_nodes =
        ours::latency(&work.path().join("lat26"), opts.latency_trials, opts.record_bytes, true).await?;
    step("anti-entropy cost and catch-up");
    let sync = sync_cost::run(
        &work.path().join("sync"),
        &opts.sync_sizes,
        opts.record_bytes,
        opts.exe.clone(),
        opts.idle_secs,
    )
    .await?;
    let footprint = match &opts.exe {
        Some(exe) => {
            step("footprint of the 26-node demo");
            Some(footprint::demo(exe, opts.idle_secs).await?)
        }
        None => None,
    };
    Ok(Report {
        machine: report::Machine::read(),
        records: opts.records,
        record_bytes: opts.record_bytes,
        replication,
        ceilings,
        latency_one_hop,
        latency_26_nodes,
        sync,
        footprint,
        postgres,
    })
}

/// Log to stderr, at `warn` unless `RUST_LOG` says otherwise.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
