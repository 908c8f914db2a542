//! Footprint of the whole 26-node demo federation, run as its own process: resident memory once
//! converged and its CPU use while idle.
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::measure::{cpu_seconds, memory_mib};
use crate::sync_cost::Kill;

#[derive(Debug, Clone, Serialize)]
pub struct Footprint {
    pub demo_rss_mib: f64,
    pub demo_peak_rss_mib: f64,
    pub demo_idle_cpu_percent: f64,
    pub idle_secs: u64,
}

pub async fn demo(exe: &Path, idle_secs: u64) -> Result<Footprint> {
    let mut child = Command::new(exe)
        .args(["demo", "--keep-running"])
        .env("RUST_LOG", "warn")
        // The line waited for below is the English one (the demo speaks Dutch by default).
        .env("REGIOSYNC_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting regiosync demo --keep-running")?;
    let stdout = child.stdout.take().context("demo stdout")?;
    let guard = Kill(child);
    let pid = guard.0.id().to_string();
    // Keep draining the demo's output after it is ready, so its later lines never hit a
    // closed pipe.
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("the federation stays up") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(());
                }
            }
        }
    });
    if !matches!(tokio::time::timeout(Duration::from_secs(120), rx).await, Ok(Ok(()))) {
        bail!("the demo did not come up within 120 s");
    }
    let cpu0 = cpu_seconds(&pid);
    tokio::time::sleep(Duration::from_secs(idle_secs)).await;
    let cpu = cpu_seconds(&pid) - cpu0;
    let (rss, peak) = memory_mib(&pid);
    drop(guard);
    Ok(Footprint {
        demo_rss_mib: rss,
        demo_peak_rss_mib: peak,
        demo_idle_cpu_percent: 100.0 * cpu / idle_secs.max(1) as f64,
        idle_secs,
    })
}
