//! `regiosync bench`: measure the speed targets on this machine, beside PostgreSQL 15 logical
//! replication, and print a table plus a JSON summary (see BENCHMARKS.md).
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

#[derive(Args)]
pub struct BenchArgs {
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
}

pub async fn run(args: BenchArgs, json: bool) -> Result<()> {
    let exe = std::env::current_exe().ok();
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
    let summary = serde_json::to_string_pretty(&report)?;
    if let Some(path) = &args.out {
        std::fs::write(path, &summary).with_context(|| format!("writing {}", path.display()))?;
    }
    if json {
        println!("{summary}");
    } else {
        print!("{}", regiosync_bench::report::render(&report));
        println!("\n{summary}");
    }
    Ok(())
}
