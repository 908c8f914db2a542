//! `regiosync-bench`: measure the speed targets on this machine, beside PostgreSQL 15 logical
//! replication, and print a table plus a JSON summary (see BENCHMARKS.md). `regiosync-bench
//! queries`: the six national questions at NL over gRPC at 10,000 and 1,000,000 records.
//! `regiosync-bench assist`: an assistance request's reach on 27 nodes beside one hop.
//!
//! A binary of its own, so the shipped `regiosync` binary contains no benchmark. The
//! measurements that need processes of their own (a fresh node catching up, the demo's
//! footprint) run the `regiosync` binary built beside this one: `cargo build --release -p
//! regiosync -p regiosync-bench`.
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "regiosync-bench",
    version,
    about = "Measure the speed targets beside PostgreSQL logical replication (see BENCHMARKS.md)"
)]
struct BenchArgs {
    #[command(subcommand)]
    what: Option<BenchWhat>,
    /// Tiny sizes, no PostgreSQL: checks the harness works (seconds).
    #[arg(long)]
    smoke: bool,
    /// Records for the throughput runs (default 500,000).
    #[arg(long)]
    records: Option<u64>,
    /// Skip the PostgreSQL reference (which installs postgresql-15 with apt when missing).
    #[arg(long)]
    no_postgres: bool,
    /// Entry counts for the idle anti-entropy rounds, comma separated (default 1000,100000,1000000).
    #[arg(long, value_delimiter = ',')]
    sync_sizes: Vec<u64>,
    /// Also write the JSON summary to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// The six national questions asked at NL over gRPC after it stored 10,000 and 1,000,000
    /// valid records: ingest rate, p50/p99/max per question, resident memory.
    Queries(QueriesArgs),
    /// An assistance request written at VR17 until every member it asks and both national
    /// nodes hold it, on 27 nodes (the shipped federation and NL-B): p50/p99 beside one hop.
    Assist(AssistArgs),
    /// A federation of 1,000 members in one process: a national node's heap, CPU and bytes
    /// per idle anti-entropy round, federation-wide delivery. Runs `regiosync-bench-scale`
    /// (beside this binary) with the arguments after `scale`; `scale --help` lists them.
    #[command(disable_help_flag = true)]
    Scale {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Args)]
struct AssistArgs {
    /// 20 trials: checks the harness works (seconds).
    #[arg(long)]
    smoke: bool,
    /// Timed trials (default 200, after 5 warm-up).
    #[arg(long)]
    trials: Option<usize>,
    /// Also write the JSON summary to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct QueriesArgs {
    /// 2,000 records and 20 calls per question: checks the harness works (seconds).
    #[arg(long)]
    smoke: bool,
    /// Record counts, comma separated (default 10000,1000000).
    #[arg(long, value_delimiter = ',')]
    records: Vec<u64>,
    /// Timed calls per question (default 200, after 20 warm-up calls).
    #[arg(long)]
    calls: Option<usize>,
    /// Also write the JSON summary to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() {
    if let Err(e) = start() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn start() -> Result<()> {
    let args = BenchArgs::parse();
    regiosync_bench::init_logging();
    regiosync_node::tls::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args))
}

async fn run(args: BenchArgs) -> Result<()> {
    let json = args.json;
    match args.what {
        Some(BenchWhat::Queries(q)) => return run_queries(q, json).await,
        Some(BenchWhat::Assist(a)) => return run_assist(a, json).await,
        Some(BenchWhat::Scale { args: rest }) => return run_scale(rest, json),
        None => {}
    }
    let exe = Some(regiosync_exe()?);
    let mut opts = if args.smoke {
        regiosync_bench::Options::smoke(exe)
    } else {
        regiosync_bench::Options::full(exe)
    };
    if let Some(n) = args.records {
        opts.records = n;
    }
    if args.no_postgres {
        opts.postgres = false;
    }
    if !args.sync_sizes.is_empty() {
        opts.sync_sizes = args.sync_sizes;
        opts.sync_sizes.sort();
    }
    let report = regiosync_bench::run(&opts).await?;
    regiosync_bench::report::emit(&report, args.out.as_deref(), json, regiosync_bench::report::render)
}

/// The `regiosync` binary beside this one (built with the same cargo profile), which the
/// catch-up and footprint measurements start as processes of their own.
fn regiosync_exe() -> Result<PathBuf> {
    beside(
        "regiosync",
        "the catch-up and footprint measurements run it as processes of their own: build both, \
         e.g. cargo build --release -p regiosync -p regiosync-bench",
    )
}

/// The binary `name` beside this one; `why` it is needed, when it is not there.
fn beside(name: &str, why: &str) -> Result<PathBuf> {
    let me = std::env::current_exe().context("where this binary is")?;
    let exe = me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        bail!("{}: no {name} binary beside this one; {why}", exe.display());
    }
    Ok(exe)
}

/// `regiosync-bench scale ARGS`: `regiosync-bench-scale ARGS`, its exit status passed on.
fn run_scale(mut args: Vec<String>, json: bool) -> Result<()> {
    let exe = beside(
        "regiosync-bench-scale",
        "it is built with this one: cargo build --release -p regiosync-bench",
    )?;
    if json {
        args.push("--json".into());
    }
    let status = std::process::Command::new(&exe)
        .args(&args)
        .status()
        .with_context(|| format!("running {}", exe.display()))?;
    if !status.success() {
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}

async fn run_assist(args: AssistArgs, json: bool) -> Result<()> {
    let trials = args.trials.unwrap_or(if args.smoke { 20 } else { 200 });
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let report = regiosync_bench::assist::run(dir.path(), trials).await?;
    regiosync_bench::report::emit(
        &report,
        args.out.as_deref(),
        json,
        regiosync_bench::report::render_assist,
    )
}

async fn run_queries(args: QueriesArgs, json: bool) -> Result<()> {
    use regiosync_bench::queries::{self, QueriesOptions};
    let mut opts = if args.smoke {
        QueriesOptions::smoke()
    } else {
        QueriesOptions::full()
    };
    if !args.records.is_empty() {
        opts.sizes = args.records;
    }
    if let Some(n) = args.calls {
        opts.calls = n;
    }
    let report = queries::run(&opts).await?;
    regiosync_bench::report::emit(
        &report,
        args.out.as_deref(),
        json,
        regiosync_bench::report::render_queries,
    )
}
