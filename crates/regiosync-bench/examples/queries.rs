//! Only the query benchmark at one size, for profiling:
//! `cargo run --release -p regiosync-bench --example queries -- 1000000 [calls]`
//! (e.g. under `perf record -e cpu-clock -g`).
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    regiosync_node::tls::install_crypto_provider();
    let arg = |i: usize| std::env::args().nth(i);
    let mut opts = regiosync_bench::queries::QueriesOptions::full();
    if let Some(n) = arg(1) {
        opts.sizes = vec![n.parse()?];
    }
    if let Some(calls) = arg(2) {
        opts.calls = calls.parse()?;
    }
    let report = regiosync_bench::queries::run(&opts).await?;
    print!("{}", regiosync_bench::report::render_queries(&report));
    Ok(())
}
