//! Damage that no peer can repair at once must block nothing else: a chunk of VR01 damaged in
//! its store while nobody else holds it is sent as a hole, so its peers get every other entry
//! and VR01 goes on writing; a peer that holds it intact fills the hole later; a lost tail that
//! no national node holds is recorded missing and its seqs are never given out again.
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_types::NodeId;

use crate::storage_faults::{digest, draft, federation, offset_of, payload, segment_file, ENTRIES, WAIT};

/// Flip one bit inside entry `i`'s payload in VR01's segment file, in place (VR01 may run).
fn flip_in_segment(t: &TestFed, i: u64) {
    let path = segment_file(t, vr(1));
    let bytes = std::fs::read(&path).unwrap();
    let at = offset_of(&bytes, i) + 700;
    let flipped = [bytes[at] ^ 0x10];
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|f| std::os::unix::fs::FileExt::write_all_at(&f, &flipped, at as u64))
        .unwrap();
}

async fn missing(t: &TestFed, node: NodeId) -> Vec<String> {
    let s = t.fed.node(node).engine.status().await.unwrap();
    s.missing.iter().map(|r| r.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_entry_nobody_else_holds_blocks_nothing() {
    // NL and VR02 lose their folders; VR01's entry 199 is damaged in its store. They must get
    // the other 249, see 199 as missing, refuse nothing, and VR01 must take writes at once.
    let mut t = federation().await;
    for node in [NodeId::NL, vr(2), vr(1)] {
        t.fed.stop(node).await;
    }
    for node in [NodeId::NL, vr(2)] {
        std::fs::remove_dir_all(&t.fed.config(node).data_dir).unwrap();
    }
    flip_in_segment(&t, 199);
    t.fed.restart(vr(1)).await.unwrap();
    let vr01 = t.fed.node(vr(1)).engine.clone();
    let p = vr01.publish(draft(ENTRIES + 1)).await.expect("VR01 writes at once");
    assert_eq!(p.seq, ENTRIES + 1);
    t.fed.restart(NodeId::NL).await.unwrap();
    t.fed.restart(vr(2)).await.unwrap();
    for node in [NodeId::NL, vr(2)] {
        let engine = t.fed.node(node).engine.clone();
        eventually(&format!("{node} holds VR01 past the damaged entry"), WAIT, || async {
            engine.held(vr(1)) > ENTRIES
        })
        .await;
        assert_eq!(missing(&t, node).await, ["VR01 199..=199"], "{node}");
        assert_eq!(
            digest(&t, node).await.0,
            ENTRIES,
            "{node}: 249 old entries and the new one"
        );
        assert_eq!(engine.entries_rejected(), 0, "{node} refused nothing");
        let err = engine.get("VR01-199".into()).await.unwrap_err();
        assert!(err.to_string().contains("has not reached this node"), "{node}: {err}");
        let next = engine
            .get("VR01-200".into())
            .await
            .unwrap()
            .expect("the entry after it");
        assert_eq!(next.envelope.payload, payload(200));
    }
    let dq = t.fed.node(NodeId::NL).engine.status().await.unwrap();
    assert_eq!(dq.damaged, []);
    assert_eq!(
        vr01.status().await.unwrap().damaged.len(),
        1,
        "VR01's own copy stays set aside"
    );
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damage_met_while_serving_is_sent_as_a_hole_and_never_vouched_for() {
    // NL loses everything; VR01's stored chunk 199 is damaged while VR01 runs. NL fetches VR01's
    // log again: it gets every entry but 199, nothing damaged, no refused batch, and 199 as a
    // hole, not as held.
    let mut t = federation().await;
    t.fed.stop(NodeId::NL).await;
    // VR02, a direct peer, would give VR01 its damaged chunk back before it is looked at.
    t.fed.stop(vr(2)).await;
    std::fs::remove_dir_all(&t.fed.config(NodeId::NL).data_dir).unwrap();
    flip_in_segment(&t, 199);
    t.fed.restart(NodeId::NL).await.unwrap();
    let nl = t.fed.node(NodeId::NL).engine.clone();
    eventually("NL holds VR01's log up to its head", WAIT, || async {
        nl.held(vr(1)) >= ENTRIES
    })
    .await;
    assert_eq!(missing(&t, NodeId::NL).await, ["VR01 199..=199"]);
    assert_eq!(nl.entries_rejected(), 0, "nothing damaged was sent");
    assert_eq!(digest(&t, NodeId::NL).await.0, ENTRIES - 1);
    let vr01 = t.fed.node(vr(1)).engine.clone();
    let status = vr01.status().await.unwrap();
    assert!(status.damaged.iter().any(|q| q.first == 199), "{status:?}");
    assert_eq!(status.writes_paused, None);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hole_is_filled_by_a_peer_that_holds_the_entry() {
    // VR02 loses its folder and comes back while NL is down; VR01's copy of 199 is damaged, so
    // VR02 gets it as a hole. Once NL is back, NL fills it for VR02 and repairs VR01's copy.
    let mut t = federation().await;
    let before = digest(&t, NodeId::NL).await;
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(2)).await;
    std::fs::remove_dir_all(&t.fed.config(vr(2)).data_dir).unwrap();
    flip_in_segment(&t, 199);
    t.fed.restart(vr(2)).await.unwrap();
    let vr02 = t.fed.node(vr(2)).engine.clone();
    eventually("VR02 holds VR01's log but 199", WAIT, || async {
        vr02.held(vr(1)) >= ENTRIES
    })
    .await;
    assert_eq!(missing(&t, vr(2)).await, ["VR01 199..=199"]);
    t.fed.restart(NodeId::NL).await.unwrap();
    let vr01 = t.fed.node(vr(1)).engine.clone();
    eventually("NL fills VR02's hole and repairs VR01", WAIT, || async {
        missing(&t, vr(2)).await.is_empty() && vr01.status().await.unwrap().damaged.is_empty()
    })
    .await;
    for node in [vr(1), vr(2)] {
        assert_eq!(digest(&t, node).await, before, "{node} holds the log it had");
        let e = t
            .fed
            .node(node)
            .engine
            .get("VR01-199".into())
            .await
            .unwrap()
            .expect("199");
        assert_eq!(e.envelope.payload, payload(199), "{node}");
    }
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_tail_no_national_node_holds_is_never_written_again_and_comes_back_from_a_neighbour() {
    // VR01 writes 10 entries while NL is down; VR02 gets them directly. Then VR01's tree loses
    // its tail. NL never held 251..=260: VR01 must record them missing and go on at 261, never
    // give 251 a second body that would fork VR02's copy, and get them back from VR02.
    let mut t = federation().await;
    t.fed.stop(NodeId::NL).await;
    for i in 1..=10 {
        let p = t.fed.node(vr(1)).engine.publish(draft(ENTRIES + i)).await.unwrap();
        assert_eq!(p.seq, ENTRIES + i);
    }
    eventually("VR02 holds the 10", WAIT, || async {
        t.fed.node(vr(2)).engine.held(vr(1)) >= ENTRIES + 10
    })
    .await;
    // VR02 is down while VR01 comes back, so what VR01 lost is still lost when looked at (VR02
    // would give it back at once); it returns after VR01's first write.
    t.fed.stop(vr(2)).await;
    t.fed.stop(vr(1)).await;
    let db = t.fed.config(vr(1)).data_dir.join("db/db");
    let len = std::fs::metadata(&db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .and_then(|f| f.set_len(len * 2 / 3))
        .unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    let vr01 = t.fed.node(vr(1)).engine.clone();
    assert!(
        vr01.held(vr(1)) < ENTRIES + 1,
        "the tree lost the tail: {}",
        vr01.held(vr(1))
    );
    assert!(vr01.status().await.unwrap().writes_paused.is_some());
    t.fed.restart(NodeId::NL).await.unwrap();
    let p = vr01
        .publish(draft(9000))
        .await
        .expect("writes resume once NL has answered");
    assert_eq!(p.seq, ENTRIES + 11, "251..=260 are never given out again");
    t.fed.restart(vr(2)).await.unwrap();
    let vr02 = t.fed.node(vr(2)).engine.clone();
    eventually("VR02 holds the new entry", WAIT, || async {
        vr02.held(vr(1)) > ENTRIES + 10
    })
    .await;
    assert_eq!(vr02.entries_rejected(), 0, "no second body for any seq");
    // VR02 gives VR01 back the ten it lost (a node's own entries come back from any peer that
    // holds them whole), and NL, which VR01 had to tell they were missing, gets them from VR01.
    for node in [vr(1), NodeId::NL] {
        eventually(&format!("{node} has 251..=260 back"), WAIT, || async {
            missing(&t, node).await.is_empty() && t.fed.node(node).engine.held(vr(1)) > ENTRIES + 10
        })
        .await;
    }
    let all = digest(&t, vr(2)).await;
    assert_eq!(all.0, ENTRIES + 11, "VR02 kept 251..=260 and got 261");
    assert_eq!(digest(&t, vr(1)).await, all);
    assert_eq!(digest(&t, NodeId::NL).await, all);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_entry_met_by_a_read_is_set_aside_and_fetched_back_while_running() {
    // VR01's copy of 199 is damaged while it runs; a person asks for it. The read says it is
    // damaged (never other bytes), the chunk is set aside, and the running node asks NL for it
    // on its next round and holds its original bytes again, without a restart.
    let t = federation().await;
    flip_in_segment(&t, 199);
    let vr01 = t.fed.node(vr(1)).engine.clone();
    let err = vr01.get("VR01-199".into()).await.unwrap_err();
    assert!(err.to_string().contains("damaged in this node's store"), "{err}");
    eventually("VR01 fetches 199 back from NL", WAIT, || async {
        vr01.status().await.unwrap().damaged.is_empty() && vr01.get("VR01-199".into()).await.is_ok_and(|e| e.is_some())
    })
    .await;
    let e = vr01.get("VR01-199".into()).await.unwrap().unwrap();
    assert_eq!(e.envelope.payload, payload(199));
    assert_eq!(digest(&t, vr(1)).await, digest(&t, NodeId::NL).await);
    t.shutdown().await;
}
