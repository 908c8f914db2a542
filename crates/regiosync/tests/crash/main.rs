//! Crash test with real `regiosync node` processes: NL, VR01 and VR02 (each pulling from the
//! other two) on loopback with a fresh dev PKI, writers publishing opaque records at VR01, and
//! SIGKILL at random moments: VR01 under load, VR02 while it catches up, NL now and then. In
//! the end every acknowledged record is at every node that may see it exactly once with its
//! exact payload, no sequence number of VR01 carries two bodies, VR01's log has no gaps and
//! the three version vectors agree.
//!
//! `REGIOSYNC_CRASH_SEED` picks the fault schedule (printed first, so a failing run can be
//! repeated); `REGIOSYNC_CRASH_KILLS` sets how many kills (default 20).
mod check;
mod interop;
mod nodes;
mod peer_logs;
mod revoke;
mod rotate;
mod sighup;
mod workload;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use regiosync_testkit::{eventually, vr};
use regiosync_types::NodeId;

use nodes::Nodes;
use workload::{Ledger, Person};

/// Concurrent writers at VR01.
const WRITERS: usize = 3;
/// How long VR01 may take to acknowledge publishes again after a restart.
const ACK_PATIENCE: Duration = Duration::from_secs(30);

/// The workspace's seeded generator, so a seed names one fault schedule.
pub use regiosync_types::rng::Rng;

/// A pause of `lo..hi` milliseconds.
fn millis(rng: &mut Rng, lo: u64, hi: u64) -> Duration {
    Duration::from_millis(rng.range(lo, hi))
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(v.parse().unwrap_or_else(|_| panic!("{name}={v}: not a number")))
}

/// One step of the fault schedule.
#[derive(Clone, Copy)]
enum Fault {
    /// Kill VR01 while the writers publish at it.
    Vr01,
    /// Kill VR02, publish a gap at VR01, restart VR02 and kill it again while it catches up.
    Vr02CatchingUp,
    /// Kill NL.
    Nl,
}

const SCHEDULE: [Fault; 5] = [Fault::Vr01, Fault::Vr02CatchingUp, Fault::Vr01, Fault::Nl, Fault::Vr01];

fn fail(seed: u64, what: &str, bad: Vec<String>) -> ! {
    panic!(
        "REGIOSYNC_CRASH_SEED={seed}: {} {what}:\n{}",
        bad.len(),
        bad.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    )
}

fn per_node<T: std::fmt::Display>(m: &BTreeMap<NodeId, T>) -> String {
    m.iter()
        .map(|(id, n)| format!("{id} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn acked(ledger: &Mutex<Ledger>) -> usize {
    ledger.lock().unwrap().acked.len()
}

/// Poll until VR01 has acknowledged `more` publishes beyond the `from`th.
async fn until_acked(ledger: &Arc<Mutex<Ledger>>, from: usize, more: usize) {
    eventually("VR01 acknowledges publishes", ACK_PATIENCE, || {
        let ledger = ledger.clone();
        async move { acked(&ledger) >= from + more }
    })
    .await;
}

/// How far `node` is behind VR01's own log, as their version vectors say (None: no answer).
async fn behind(coordinator: &Person, nodes: &Nodes, node: NodeId) -> Option<u64> {
    let mut held = BTreeMap::new();
    for id in [vr(1), node] {
        let mut c = coordinator.connect(&nodes.url(id)).await.ok()?;
        held.insert(id, check::held(&mut c, vr(1)).await.ok()?);
    }
    Some(held[&vr(1)].saturating_sub(held[&node]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_never_loses_doubles_or_reuses_an_acknowledged_record() {
    let started = Instant::now();
    let seed = env_u64("REGIOSYNC_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let kills_wanted = env_u64("REGIOSYNC_CRASH_KILLS").unwrap_or(20);
    println!("crash: REGIOSYNC_CRASH_SEED={seed} REGIOSYNC_CRASH_KILLS={kills_wanted}");
    regiosync_node::tls::install_crypto_provider();
    let (nl, vr01, vr02) = (NodeId::NL, vr(1), vr(2));

    // Declared before the nodes, so the nodes are killed before their folder is removed.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut nodes = Nodes::start(dir.path()).await;
    let coordinator = Person::load(&nodes.pki(), "coordinator");
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers = workload::spawn_writers(
        WRITERS,
        nodes.url(vr01),
        Person::load(&nodes.pki(), "operator-vr01"),
        ledger.clone(),
        stop.clone(),
        seed,
    );

    let mut rng = Rng(seed);
    let mut kills: BTreeMap<NodeId, u64> = BTreeMap::new();
    let mut behind_at_kill = Vec::new();
    let mut step = rng.below(SCHEDULE.len() as u64) as usize;
    while kills.values().sum::<u64>() < kills_wanted {
        match SCHEDULE[step % SCHEDULE.len()] {
            Fault::Vr01 => {
                // Only once the writers publish again, so the kill lands under load.
                until_acked(&ledger, acked(&ledger), 1).await;
                tokio::time::sleep(millis(&mut rng, 2, 300)).await;
                nodes.kill(vr01);
                tokio::time::sleep(millis(&mut rng, 0, 50)).await;
                nodes.start_node(vr01).await;
                *kills.entry(vr01).or_default() += 1;
            }
            Fault::Vr02CatchingUp => {
                nodes.kill(vr02);
                let gap = rng.range(300, 1500) as usize;
                until_acked(&ledger, acked(&ledger), gap).await;
                nodes.start_node(vr02).await;
                let at_start = behind(&coordinator, &nodes, vr02).await;
                tokio::time::sleep(millis(&mut rng, 2, 150)).await;
                behind_at_kill.push((at_start, behind(&coordinator, &nodes, vr02).await));
                nodes.kill(vr02);
                nodes.start_node(vr02).await;
                *kills.entry(vr02).or_default() += 2;
            }
            Fault::Nl => {
                tokio::time::sleep(millis(&mut rng, 2, 300)).await;
                nodes.kill(nl);
                tokio::time::sleep(millis(&mut rng, 0, 200)).await;
                nodes.start_node(nl).await;
                *kills.entry(nl).or_default() += 1;
            }
        }
        step += 1;
    }
    // A last stretch with every node up, then stop writing.
    until_acked(&ledger, acked(&ledger), 20).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("a writer failed");
    }
    let faults_done = started.elapsed();

    let mut clients = BTreeMap::new();
    for id in Nodes::ids() {
        let c = coordinator
            .connect(&nodes.url(id))
            .await
            .expect("connecting as the coordinator");
        clients.insert(id, c);
    }
    let (head, gaps) = check::converged(&clients).await;
    let mut held = BTreeMap::new();
    for (id, c) in clients.iter_mut() {
        held.insert(*id, check::list_all(c, vr01).await);
    }
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    let counts = check::verify(&ledger, &held, head, &gaps).unwrap_or_else(|bad| fail(seed, "violations", bad));
    let by_id = check::verify_ids(&ledger, &clients, &held)
        .await
        .unwrap_or_else(|bad| fail(seed, "id lookups failed", bad));

    println!(
        "crash: seed {seed}: {} kills ({}); {} publishes tried, {} acknowledged, {} claimed on retry, \
         {} stored unacknowledged, failed {:?}",
        kills.values().sum::<u64>(),
        per_node(&kills),
        ledger.attempts.len(),
        ledger.acked.len(),
        ledger.claimed.len(),
        counts.stored_unacked,
        ledger.failed,
    );
    let lag = |n: Option<u64>| n.map_or("?".into(), |n| n.to_string());
    let catch_up: Vec<String> = behind_at_kill
        .iter()
        .map(|(a, b)| format!("{} -> {}", lag(*a), lag(*b)))
        .collect();
    println!(
        "crash: VR02 entries behind VR01 after a restart -> when killed again: {}",
        catch_up.join(", ")
    );
    println!(
        "crash: VR01 head {}; {} seqs unused at every node (publishes cut short); entries checked per node: {}; {by_id} id lookups; faults {:.1} s, total {:.1} s",
        counts.head,
        gaps.len(),
        per_node(&counts.checked),
        faults_done.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
