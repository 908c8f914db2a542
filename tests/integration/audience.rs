//! Audience scoping: an entry reaches exactly the nodes in its audience, by every path.
use std::time::Duration;

use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_types::NodeId;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_audience_is_respected_with_a_direct_peer() {
    // VR03 peers directly with VR01 too, and NL relays: VR03 must still never get it.
    let t = TestFed::start(&[vr(1), vr(2), vr(3)], &[(vr(1), vr(3))]).await;
    let p = t.publish(vr(1), &[NodeId::NL, vr(2)], b"for NL and VR02 only").await;
    let open = t.publish(vr(1), &[NodeId::NL, vr(2), vr(3)], b"for all three").await;
    eventually("NL and VR02 hold the scoped entry", Duration::from_secs(20), || async {
        t.holds(NodeId::NL, vr(1), p.seq).await && t.holds(vr(2), vr(1), p.seq).await
    })
    .await;
    eventually("VR03 holds the open entry", Duration::from_secs(20), || async { t.holds(vr(3), vr(1), open.seq).await }).await;
    assert!(!t.holds(vr(3), vr(1), p.seq).await, "VR03 must never hold an entry outside its audience");
    // VR03's cursor still moved past the scoped entry (watermarks), so it is not behind.
    eventually("VR03 caught up on VR01", Duration::from_secs(20), || async {
        t.fed.node(vr(3)).engine.version_vector().get(vr(1)) >= open.seq
    })
    .await;
    t.shutdown().await;
}
