//! Only the replication throughput measurement, for profiling:
//! `cargo run --release -p regiosync-bench --example throughput -- 300000 [ed25519|ecdsa-p384]`
//! (e.g. under `perf record -e cpu-clock -g`). Afterwards it opens NL's store again and times
//! the check a node runs at start-up (`KvStore::verify`) over what the run left.
use std::time::Instant;

use regiosync_store::{KvStore, SledStore};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    regiosync_node::tls::install_crypto_provider();
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(300_000);
    let key_type: regiosync_trust::KeyType = match std::env::args().nth(2) {
        Some(k) => k.parse()?,
        None => regiosync_trust::KeyType::default(),
    };
    let dir = tempfile::tempdir()?;
    let rate = regiosync_bench::ours::replication_with_keys(dir.path(), n, 300, 1000, key_type).await?;
    println!(
        "{} records in {:.2} s: {:.0} records/s ({key_type:?} keys)",
        rate.records, rate.seconds, rate.records_per_sec
    );
    let db = dir.path().join("nl").join("db");
    let t0 = Instant::now();
    let store = SledStore::open(&db, regiosync_bench::ours::CACHE_BYTES)?;
    let opened = t0.elapsed();
    let verified = store.verify()?;
    println!(
        "start-up check of NL's store: open {:.2} s, verify {:.2} s ({} values, {} segment records read, {} damaged, {} MiB on disk)",
        opened.as_secs_f64(),
        (t0.elapsed() - opened).as_secs_f64(),
        verified.values,
        verified.records_read,
        verified.damaged.len(),
        store.size_on_disk()? / (1024 * 1024)
    );
    Ok(())
}
