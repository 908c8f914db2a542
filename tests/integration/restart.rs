//! Restart: a region stopped while replication is under way catches up after a restart, and in
//! the end every node holds exactly the entries whose audience includes it, each exactly once.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use regiosync_replication::{Draft, Engine};
use regiosync_testkit::{eventually, eventually_ok, vr, TestFed};
use regiosync_types::NodeId;

const CHUNK: u64 = 50;

/// Audiences published per origin, in seq order (index = seq - 1).
type Ledger = BTreeMap<NodeId, Vec<BTreeSet<NodeId>>>;

/// The region part of entry `i`'s audience: a spread of subsets of VR01..VR04.
fn audience_of(origin: NodeId, i: u64) -> BTreeSet<NodeId> {
    let mut a: BTreeSet<NodeId> = (1..=4u8).filter(|k| (i >> (k - 1)) & 1 == 1).map(vr).collect();
    a.insert(NodeId::NL);
    a.insert(origin);
    a
}

/// Publish `n` entries at `engine` in one `publish_many`; returns their audiences in seq order.
async fn publish_chunk(engine: Arc<Engine>, n: u64) -> (NodeId, u64, Vec<BTreeSet<NodeId>>) {
    let origin = engine.me();
    let first = engine.version_vector().get(origin) + 1;
    let audiences: Vec<BTreeSet<NodeId>> = (first..first + n).map(|s| audience_of(origin, s)).collect();
    let drafts = audiences
        .iter()
        .zip(first..)
        .map(|(a, s)| Draft {
            kind: "x.test".into(),
            status: regiosync_types::pb::Status::Test as i32,
            audience: a.iter().map(|n| n.to_string()).collect(),
            payload: format!("{origin} entry {s}").into_bytes(),
            ..Draft::default()
        })
        .collect();
    let published = engine.publish_many(drafts).await.expect("publish_many");
    assert_eq!(
        published.first().map(|p| p.seq),
        Some(first),
        "{origin}: seqs continue without gaps"
    );
    (origin, first, audiences)
}

fn record(ledger: &mut Ledger, (origin, first, audiences): (NodeId, u64, Vec<BTreeSet<NodeId>>)) {
    let log = ledger.entry(origin).or_default();
    assert_eq!(log.len() as u64 + 1, first, "{origin}: chunks recorded in order");
    log.extend(audiences);
}

/// Every running node holds, per origin, exactly what NL (which holds everything) says it may see.
async fn check_converged(t: &TestFed, ledger: &Ledger) -> Result<(), String> {
    let nl = &t.fed.node(NodeId::NL).engine;
    for (origin, audiences) in ledger {
        let (count, _) = nl.digest(*origin, None).await.map_err(|e| e.to_string())?;
        if count != audiences.len() as u64 {
            return Err(format!("NL holds {count} of {origin}'s {} entries", audiences.len()));
        }
    }
    for node in t.fed.ids() {
        let engine = &t.fed.node(node).engine;
        let mut expected_held = 0;
        for (origin, audiences) in ledger {
            let expected = audiences.iter().filter(|a| a.contains(&node)).count() as u64;
            expected_held += expected;
            let (count, digest) = engine.digest(*origin, None).await.map_err(|e| e.to_string())?;
            if count != expected {
                return Err(format!("{node} holds {count} entries of {origin}, expected {expected}"));
            }
            let (nl_count, nl_digest) = nl.digest(*origin, Some(node)).await.map_err(|e| e.to_string())?;
            if (nl_count, nl_digest) != (count, digest) {
                return Err(format!("{node}'s entries of {origin} differ from what NL holds for it"));
            }
            let cursor = engine.version_vector().get(*origin);
            if cursor != audiences.len() as u64 {
                return Err(format!(
                    "{node}'s cursor for {origin} is {cursor}, expected {}",
                    audiences.len()
                ));
            }
        }
        let held = engine.status().await.map_err(|e| e.to_string())?.entries_held;
        if held != expected_held {
            return Err(format!(
                "{node} counts {held} entries held, expected {expected_held} (doubled or lost)"
            ));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_stopped_mid_stream_catches_up_exactly() {
    let regions = [vr(1), vr(2), vr(3), vr(4)];
    let mut t = TestFed::start(&regions, &[(vr(1), vr(3))]).await;
    let origins = [NodeId::NL, vr(1), vr(2), vr(3)];
    let mut ledger = Ledger::new();

    // Phase 1: every origin publishes; wait until VR02 is receiving.
    for o in origins {
        record(&mut ledger, publish_chunk(t.fed.node(o).engine.clone(), CHUNK).await);
    }
    eventually("VR02 receives from the others", Duration::from_secs(30), || async {
        let vv = t.fed.node(vr(2)).engine.version_vector();
        vv.get(vr(1)) > 0 || vv.get(vr(3)) > 0 || vv.get(NodeId::NL) > 0
    })
    .await;

    // Phase 2: the others keep publishing while VR02 is stopped underneath the streams.
    let writers: Vec<_> = [NodeId::NL, vr(1), vr(3)]
        .into_iter()
        .map(|o| {
            let engine = t.fed.node(o).engine.clone();
            tokio::spawn(async move {
                let mut chunks = Vec::new();
                for _ in 0..4 {
                    chunks.push(publish_chunk(engine.clone(), CHUNK).await);
                }
                chunks
            })
        })
        .collect();
    let vr02_before_stop = t.fed.node(vr(2)).engine.version_vector().get(vr(2));
    t.fed.stop(vr(2)).await;
    assert!(!t.fed.is_running(vr(2)));
    for w in writers {
        for chunk in w.await.expect("writer task") {
            record(&mut ledger, chunk);
        }
    }

    // Phase 3: more while VR02 is down; the others converge without it.
    for o in [NodeId::NL, vr(1), vr(3)] {
        record(&mut ledger, publish_chunk(t.fed.node(o).engine.clone(), CHUNK).await);
    }
    eventually("VR04 caught up while VR02 is down", Duration::from_secs(60), || async {
        let vv = t.fed.node(vr(4)).engine.version_vector();
        [NodeId::NL, vr(1), vr(3)]
            .iter()
            .all(|o| vv.get(*o) == ledger[o].len() as u64)
    })
    .await;

    // Phase 4: restart VR02; it continues its own log where it stopped and publishes again.
    t.fed.restart(vr(2)).await.expect("restart VR02");
    assert_eq!(
        t.fed.node(vr(2)).engine.version_vector().get(vr(2)),
        vr02_before_stop,
        "VR02's own log survived the stop"
    );
    record(
        &mut ledger,
        publish_chunk(t.fed.node(vr(2)).engine.clone(), CHUNK).await,
    );

    let total: usize = ledger.values().map(Vec::len).sum();
    assert_eq!(total as u64, 20 * CHUNK);
    eventually_ok(
        "every node holds exactly its share of every origin",
        Duration::from_secs(90),
        || check_converged(&t, &ledger),
    )
    .await;
    for node in t.fed.ids() {
        assert_eq!(
            t.fed.node(node).engine.entries_rejected(),
            0,
            "{node} refused entries from honest peers"
        );
    }
    t.shutdown().await;
}
