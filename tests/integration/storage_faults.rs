//! Damaged bytes in a stopped node's folder: a flipped bit inside a segment file, a segment file
//! cut short. The node must notice at start-up, never serve a damaged entry as genuine, take no
//! writes while its own log is incomplete (no sequence number used twice), fetch the damaged
//! entries back from NL, and end with exactly the log it had.
use std::path::PathBuf;
use std::time::Duration;

use regiosync_replication::{Draft, EngineConfig};
use regiosync_testkit::{eventually, eventually_ok, fast_engine, vr, TestFed};
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

const WAIT: Duration = Duration::from_secs(30);
const ENTRIES: u64 = 250;

/// A 2 KiB payload (so it lives in a segment file) that names its entry.
fn payload(i: u64) -> Vec<u8> {
    let mut p = format!("entry-{i:04}|").into_bytes();
    p.resize(2048, b'a' + (i % 26) as u8);
    p
}

fn draft(i: u64) -> Draft {
    Draft {
        kind: "x.test".into(),
        status: Status::Test as i32,
        audience: vec!["VR02".into()],
        payload: payload(i),
        ..Draft::default()
    }
}

fn segment_file(t: &TestFed, node: NodeId) -> PathBuf {
    t.fed.config(node).data_dir.join("db/segments/000001.seg")
}

/// Where entry `i`'s payload starts in the segment file.
fn offset_of(bytes: &[u8], i: u64) -> usize {
    let needle = format!("entry-{i:04}|");
    bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle} not in the segment file"))
}

/// NL, VR01 and VR02 holding VR01's `ENTRIES` entries.
async fn federation() -> TestFed {
    let t = TestFed::start_with(&[vr(1), vr(2)], &[(vr(1), vr(2))], EngineConfig { ..fast_engine() }).await;
    let engine = &t.fed.node(vr(1)).engine;
    for i in 1..=ENTRIES {
        engine.publish(draft(i)).await.expect("publish");
    }
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds VR01's log"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) >= ENTRIES
        })
        .await;
    }
    t
}

async fn digest(t: &TestFed, node: NodeId) -> (u64, [u8; 32]) {
    t.fed.node(node).engine.digest(vr(1), None).await.expect("digest")
}

/// Damage VR01's folder with `damage` while NL and VR01 are down; check what VR01 says and
/// does, then let it heal from NL.
async fn damaged_then_healed(damage: impl FnOnce(&mut Vec<u8>), damaged_seqs: &str) {
    let mut t = federation().await;
    let before = digest(&t, vr(1)).await;
    assert_eq!(before, digest(&t, NodeId::NL).await);
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(2)).await;
    t.fed.stop(vr(1)).await;
    let path = segment_file(&t, vr(1));
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    t.fed.restart(vr(1)).await.expect("VR01 starts on a damaged folder");

    // It noticed, says so, and takes no writes: its own log is incomplete.
    let engine = t.fed.node(vr(1)).engine.clone();
    let status = engine.status().await.unwrap();
    assert_eq!(status.damaged.len(), 1, "{:?}", status.damaged);
    let q = status.damaged[0];
    assert_eq!(format!("{} {}..={}", q.origin, q.first, q.last), damaged_seqs);
    let paused = status.writes_paused.expect("writes paused");
    assert!(
        paused.contains("damaged") && paused.contains("fetched back"),
        "{paused}"
    );
    let refused = engine.publish(draft(9999)).await.unwrap_err();
    assert!(refused.to_string().contains("fetched back"), "{refused}");
    // A damaged entry is never served as genuine.
    let id = format!("VR01-{}", q.first);
    match engine.get(id.clone()).await {
        Ok(Some(e)) => panic!("{id} served from damaged bytes: {:?}", e.envelope.id),
        Ok(None) => {}
        Err(e) => assert!(e.to_string().contains("corrupt"), "{e}"),
    }

    // NL comes back: VR01 fetches its entries, takes writes again, and holds exactly its log.
    t.fed.restart(NodeId::NL).await.unwrap();
    t.fed.restart(vr(2)).await.unwrap();
    eventually_ok("VR01 healed from NL", WAIT, || {
        let engine = engine.clone();
        async move {
            let s = engine.status().await.map_err(|e| e.to_string())?;
            match (s.damaged.is_empty(), s.writes_paused) {
                (true, None) => Ok(()),
                (_, paused) => Err(format!("damaged {:?}, paused {paused:?}", s.damaged)),
            }
        }
    })
    .await;
    assert_eq!(digest(&t, vr(1)).await, before, "VR01 holds exactly the log it had");
    let got = engine.get(id.clone()).await.unwrap().expect("healed entry");
    assert_eq!(got.envelope.payload, payload(q.first), "{id} has its original bytes");

    // New writes continue after the highest seq: nothing reused, and everyone gets them.
    for i in 1..=5 {
        let p = engine.publish(draft(ENTRIES + i)).await.expect("publish after healing");
        assert_eq!(p.seq, ENTRIES + i);
    }
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds the new entries"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) >= ENTRIES + 5
        })
        .await;
    }
    let after = digest(&t, vr(1)).await;
    assert_eq!(after.0, ENTRIES + 5);
    assert_eq!(digest(&t, NodeId::NL).await, after);
    assert_eq!(digest(&t, vr(2)).await, after);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_bit_in_a_segment_is_set_aside_and_fetched_back() {
    damaged_then_healed(
        |bytes| {
            let at = offset_of(bytes, 199) + 700;
            bytes[at] ^= 0x10;
        },
        "VR01 199..=199",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_cut_short_is_set_aside_and_fetched_back() {
    damaged_then_healed(
        |bytes| {
            // Cut inside entry 250's record: the newest record of the file is incomplete.
            let cut = offset_of(bytes, ENTRIES) + 100;
            bytes.truncate(cut);
        },
        "VR01 250..=250",
    )
    .await;
}
