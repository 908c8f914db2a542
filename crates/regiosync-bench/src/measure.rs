//! Small measuring helpers: percentiles, process memory and CPU from /proc, waiting on a node.
use std::time::Duration;

use anyhow::{bail, Result};
use regiosync_replication::Engine;
use regiosync_types::NodeId;

/// p-th percentile (0..=100) of `samples` in ms, nearest rank.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let rank = ((p / 100.0) * samples.len() as f64).ceil().max(1.0) as usize;
    samples[rank.min(samples.len()) - 1]
}

/// (resident, peak resident) in MiB of process `pid` ("self" for this one).
pub fn memory_mib(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kib| kib / 1024.0)
            .unwrap_or(f64::NAN)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU seconds (user + system) used so far by process `pid`.
pub fn cpu_seconds(pid: &str) -> f64 {
    stat_cpu_seconds(&std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default())
}

/// CPU seconds of this process's threads named `name`, to the nanosecond (the first field of
/// each thread's `schedstat`: time spent running).
pub fn thread_cpu_seconds(name: &str) -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let ns: u64 = tasks
        .flatten()
        .map(|t| t.path())
        .filter(|p| std::fs::read_to_string(p.join("comm")).unwrap_or_default().trim_end() == name)
        .filter_map(|p| {
            let stat = std::fs::read_to_string(p.join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum();
    ns as f64 / 1e9
}

/// utime + stime of a `/proc/.../stat` line, in seconds.
fn stat_cpu_seconds(stat: &str) -> f64 {
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of /proc/pid/stat; `rest` starts at field 3.
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    100.0
}

/// Wait until `engine` holds `origin` up to `seq`, woken by its change signal.
pub async fn wait_held(engine: &Engine, origin: NodeId, seq: u64, timeout: Duration) -> Result<()> {
    wait_for(engine, origin, seq, timeout, "hold", Engine::held).await
}

/// Like [`wait_held`], until `engine` holds `origin` up to `seq` flushed to disk.
pub async fn wait_durable(engine: &Engine, origin: NodeId, seq: u64, timeout: Duration) -> Result<()> {
    wait_for(engine, origin, seq, timeout, "durably hold", Engine::durable).await
}

/// Until `engine` takes writes: a node on a fresh store first asks a national node how far its
/// own log reached (`heal.rs`), which is start-up, not throughput.
pub async fn wait_writable(engine: &Engine, timeout: Duration) -> Result<()> {
    let mut changes = engine.changes();
    let deadline = tokio::time::Instant::now() + timeout;
    while let Some(why) = engine.healing() {
        match tokio::time::timeout_at(deadline, changes.changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => bail!("{} stopped while waiting to take writes", engine.me()),
            Err(_) => bail!("{} takes no writes after {timeout:?}: {why}", engine.me()),
        }
    }
    Ok(())
}

async fn wait_for(
    engine: &Engine,
    origin: NodeId,
    seq: u64,
    timeout: Duration,
    what: &str,
    at: fn(&Engine, NodeId) -> u64,
) -> Result<()> {
    let mut changes = engine.changes();
    let deadline = tokio::time::Instant::now() + timeout;
    while at(engine, origin) < seq {
        match tokio::time::timeout_at(deadline, changes.changed()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => bail!("{} stopped while waiting for {origin}/{seq}", engine.me()),
            Err(_) => bail!(
                "{} did not {what} {origin}/{seq} within {timeout:?} (at {})",
                engine.me(),
                at(engine, origin)
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(super::percentile(&mut v, 50.0), 50.0);
        assert_eq!(super::percentile(&mut v, 99.0), 99.0);
        assert_eq!(super::percentile(&mut [3.0], 99.0), 3.0);
    }

    #[test]
    fn reads_own_process() {
        let (rss, peak) = super::memory_mib("self");
        assert!(rss > 0.0 && peak >= rss);
        assert!(super::cpu_seconds("self") >= 0.0);
    }
}
