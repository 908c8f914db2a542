//! Publishing a scenario's records in an order chosen by a seed, the way the property tests of
//! derived states need it: in random concurrent groups, with one member stopped from a random
//! point to a later one (what it would write waits for its restart, in its order), so records
//! arrive in any order, over several paths, and across a restart.
use std::collections::BTreeMap;

use regiosync_replication::Draft;
use regiosync_types::rng::Rng;
use regiosync_types::NodeId;

use crate::TestFed;

/// Publish every `(origin, draft)` of `writes` at its origin's engine, in this order, in
/// concurrent groups of 1 to `max_group`, with `down` stopped for part of the run. Each
/// origin's writes keep their order, so a test can know the record ids they get.
pub async fn publish_in_random_groups(
    t: &mut TestFed,
    writes: Vec<(NodeId, Draft)>,
    down: NodeId,
    max_group: usize,
    rng: &mut Rng,
) {
    let (stop_at, restart_at) = {
        let (a, b) = (rng.index(writes.len()), rng.index(writes.len()));
        (a.min(b), a.max(b))
    };
    let mut deferred: Vec<&(NodeId, Draft)> = Vec::new();
    let mut i = 0;
    while i < writes.len() {
        if i == stop_at {
            t.fed.stop(down).await;
        }
        if i == restart_at && !t.fed.is_running(down) {
            t.fed.restart(down).await.expect("restart");
            for w in deferred.drain(..) {
                publish(t, w).await;
            }
        }
        let group = (1 + rng.index(max_group)).min(writes.len() - i);
        // Concurrent across origins; one origin's writes in their order, so each gets the seq
        // its place in `writes` gives it.
        let mut by_origin: BTreeMap<NodeId, Vec<&(NodeId, Draft)>> = BTreeMap::new();
        for w in &writes[i..i + group] {
            if t.fed.is_running(w.0) {
                by_origin.entry(w.0).or_default().push(w);
            } else {
                deferred.push(w);
            }
        }
        let t_ref: &TestFed = t;
        futures::future::join_all(by_origin.into_values().map(|ws| async move {
            for w in ws {
                publish(t_ref, w).await;
            }
        }))
        .await;
        i += group;
    }
    if !t.fed.is_running(down) {
        t.fed.restart(down).await.expect("restart");
    }
    for w in deferred.drain(..) {
        publish(t, w).await;
    }
}

async fn publish(t: &TestFed, (origin, draft): &(NodeId, Draft)) {
    t.fed
        .node(*origin)
        .engine
        .publish(draft.clone())
        .await
        .expect("publish a valid record");
}

/// The seeds of a property test's cases: `default_cases` from now, or as many as
/// `REGIOSYNC_PROP_CASES` says from `REGIOSYNC_PROP_SEED` (to replay a failed case); each
/// printed, so a failure names its seed.
pub fn seeds(default_cases: u64) -> Vec<u64> {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = var("REGIOSYNC_PROP_CASES").unwrap_or(default_cases);
    let base = var("REGIOSYNC_PROP_SEED").unwrap_or_else(|| regiosync_types::now_ms() as u64);
    (0..cases)
        .map(|case| {
            let seed = base.wrapping_add(case);
            println!("case {case}: seed {seed}");
            seed
        })
        .collect()
}
