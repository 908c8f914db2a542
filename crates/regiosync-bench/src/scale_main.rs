//! `regiosync-bench-scale`: a federation of 1,000 members in one process (see
//! `regiosync_bench::scale`), run by `regiosync-bench scale`. A binary of its own because it
//! installs the allocator that charges each allocation to the thread that made it, which the
//! other benchmarks must not pay for.
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use regiosync_bench::scale::{self, heap, ScaleOptions};

#[global_allocator]
static HEAP: heap::Tagged = heap::Tagged;

#[derive(Parser)]
#[command(
    name = "regiosync-bench scale",
    version,
    about = "A federation of 1,000 members in one process"
)]
struct ScaleArgs {
    /// 40 members, 5 records: checks the harness works (seconds).
    #[arg(long)]
    smoke: bool,
    /// Members in all, national nodes included (default 1000).
    #[arg(long)]
    members: Option<usize>,
    /// Records awaited at every member (default 50).
    #[arg(long)]
    trials: Option<usize>,
    /// Seconds the idle federation is watched (default 30).
    #[arg(long)]
    idle_secs: Option<u64>,
    /// Folder for the stores (default: a new one in /dev/shm, else the temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Also write the JSON summary to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn main() {
    if let Err(e) = start() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn start() -> Result<()> {
    let args = ScaleArgs::parse();
    regiosync_bench::init_logging();
    regiosync_node::tls::install_crypto_provider();
    let mut opts = if args.smoke {
        ScaleOptions::smoke()
    } else {
        ScaleOptions::full()
    };
    if let Some(n) = args.members {
        opts.members = n;
    }
    if let Some(n) = args.trials {
        opts.trials = n;
    }
    if let Some(s) = args.idle_secs {
        opts.idle = Duration::from_secs(s);
    }
    let shm = std::path::Path::new("/dev/shm");
    let parent = args
        .dir
        .unwrap_or_else(|| if shm.is_dir() { shm.into() } else { std::env::temp_dir() });
    let dir = tempfile::Builder::new()
        .prefix("regiosync-scale-")
        .tempdir_in(&parent)
        .with_context(|| format!("a folder for the stores in {}", parent.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("driver")
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = runtime.block_on(scale::run(dir.path(), &opts))?;
    runtime.shutdown_background();
    regiosync_bench::report::emit(
        &report,
        args.out.as_deref(),
        args.json,
        regiosync_bench::report::render_scale,
    )
}
