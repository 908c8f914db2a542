//! Only the one-hop (or, with `all`, the 26-node) latency measurement, for profiling:
//! `cargo run --release -p regiosync-bench --example latency -- 200 [all]`.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    regiosync_node::tls::install_crypto_provider();
    let trials: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(200);
    let all = std::env::args().nth(2).as_deref() == Some("all");
    let dir = tempfile::tempdir()?;
    let l = regiosync_bench::ours::latency(dir.path(), trials, 300, all).await?;
    println!("{} trials: p50 {:.2} ms, p99 {:.2} ms", l.trials, l.p50_ms, l.p99_ms);
    Ok(())
}
