//! Only the replication throughput measurement, for profiling:
//! `cargo run --release -p regiosync-bench --example throughput -- 300000`
//! (e.g. under `perf record -e cpu-clock -g`).
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    regiosync_node::tls::install_crypto_provider();
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(300_000);
    let dir = tempfile::tempdir()?;
    let rate = regiosync_bench::ours::replication(dir.path(), n, 300, 1000).await?;
    println!(
        "{} records in {:.2} s: {:.0} records/s",
        rate.records, rate.seconds, rate.records_per_sec
    );
    Ok(())
}
