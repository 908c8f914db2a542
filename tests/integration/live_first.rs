//! A live entry does not wait behind another origin's catch-up: a subscription is served one
//! batch of each origin in turn, so while NL streams VR01's long history to a region that is
//! far behind, VR02's new entry goes out after at most a batch or two.
use std::time::Duration;

use futures::StreamExt;
use regiosync_replication::{Draft, EngineConfig, SyncItem};
use regiosync_testkit::{eventually, fast_engine, vr, TestFed};
use regiosync_types::{NodeId, VersionVector};

const HISTORY: u64 = 20_000;
const BATCH: usize = 256;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_entry_goes_out_ahead_of_another_origins_catch_up() {
    let engine = EngineConfig {
        batch_entries: BATCH,
        stream_queue: 2,
        ..fast_engine()
    };
    let t = TestFed::start_with(&[vr(1), vr(2), vr(3)], &[], engine).await;
    // VR01's history, for VR03 too.
    let vr01 = &t.fed.node(vr(1)).engine;
    for first in (1..=HISTORY).step_by(5_000) {
        let drafts = (first..first + 5_000)
            .map(|s| Draft {
                kind: "x.test".into(),
                status: regiosync_types::pb::Status::Test as i32,
                audience: vec![vr(3).to_string()],
                payload: format!("history {s}").into_bytes(),
                ..Draft::default()
            })
            .collect();
        vr01.publish_many(drafts).await.expect("publish_many");
    }
    let nl = &t.fed.node(NodeId::NL).engine;
    eventually("NL holds VR01's history", Duration::from_secs(120), || async {
        nl.version_vector().get(vr(1)) >= HISTORY
    })
    .await;

    // VR03 as if it had nothing yet: NL streams all of VR01's history to it.
    let mut stream = nl.serve(vr(3), VersionVector::new(), Vec::new());
    let vr01_batches = |item: &SyncItem| matches!(item, SyncItem::Batch(_)) && item.origin() == Some(vr(1));
    loop {
        let item = stream.next().await.expect("the stream goes on");
        if vr01_batches(&item) {
            break;
        }
    }
    // Now VR02 writes one entry for VR03; NL holds it at once.
    let live = t.publish(vr(2), &[vr(3)], b"live").await;
    eventually("NL holds VR02's entry", Duration::from_secs(30), || async {
        nl.version_vector().get(vr(2)) >= live.seq
    })
    .await;
    let mut before_live = 0;
    let mut vr01_done = false;
    loop {
        let item = tokio::time::timeout(Duration::from_secs(60), stream.next())
            .await
            .expect("an item in time")
            .expect("the stream goes on");
        if let SyncItem::Batch(chunks) = &item {
            match item.origin() {
                Some(o) if o == vr(2) => break,
                Some(o) if o == vr(1) => {
                    before_live += 1;
                    vr01_done |= chunks
                        .last()
                        .is_some_and(|c| c.first_seq + c.items.len() as u64 > HISTORY);
                }
                _ => {}
            }
        }
    }
    println!("VR01 batches sent after VR02's entry was held and before it: {before_live}");
    assert!(!vr01_done, "VR02's entry waited for the whole of VR01's history");
    // What was queued (2) and the batch being read when it arrived, a batch or two more.
    assert!(
        before_live <= 6,
        "{before_live} batches of VR01 went first (of {} in all)",
        HISTORY / BATCH as u64
    );
    t.shutdown().await;
}
