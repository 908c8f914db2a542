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
    eventually("VR03 holds the open entry", Duration::from_secs(20), || async {
        t.holds(vr(3), vr(1), open.seq).await
    })
    .await;
    assert!(
        !t.holds(vr(3), vr(1), p.seq).await,
        "VR03 must never hold an entry outside its audience"
    );
    // VR03's cursor still moved past the scoped entry (watermarks), so it is not behind.
    eventually("VR03 caught up on VR01", Duration::from_secs(20), || async {
        t.fed.node(vr(3)).engine.version_vector().get(vr(1)) >= open.seq
    })
    .await;
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_federation_scoped_record_reaches_only_its_audience() {
    // NL + VR01..VR25, hub plus the direct edge VR01–VR03.
    let regions: Vec<NodeId> = regiosync_types::Federation::shipped().regions().collect();
    let t = TestFed::start(&regions, &[(vr(1), vr(3))]).await;
    assert_eq!(t.fed.ids().len(), 26);

    let scoped = t.publish(vr(1), &[NodeId::NL, vr(2)], b"for NL and VR02 only").await;
    let everyone: Vec<NodeId> = regiosync_types::Federation::shipped().ids().collect();
    let open = t.publish(vr(1), &everyone, b"for every node").await;
    assert!(open.seq > scoped.seq);

    eventually(
        "NL and VR02 hold the scoped record",
        Duration::from_secs(60),
        || async { t.holds(NodeId::NL, vr(1), scoped.seq).await && t.holds(vr(2), vr(1), scoped.seq).await },
    )
    .await;
    // Every region holds the later open record and its cursor for VR01 moved past the scoped
    // one: they are caught up, so "does not hold it" below is final, not "not yet".
    eventually(
        "every region holds the open record",
        Duration::from_secs(60),
        || async {
            for r in regiosync_types::Federation::shipped().regions() {
                if !t.holds(r, vr(1), open.seq).await || t.fed.node(r).engine.version_vector().get(vr(1)) < open.seq {
                    return false;
                }
            }
            true
        },
    )
    .await;

    assert!(
        !t.holds(vr(3), vr(1), scoped.seq).await,
        "VR03 (direct peer of VR01) must never hold the scoped record"
    );
    for r in regiosync_types::Federation::shipped()
        .regions()
        .filter(|r| *r != vr(1) && *r != vr(2))
    {
        assert!(
            !t.holds(r, vr(1), scoped.seq).await,
            "{r} holds a record outside its audience"
        );
        let (count, _) = t.fed.node(r).engine.digest(vr(1), None).await.unwrap();
        assert_eq!(count, 1, "{r} should hold exactly VR01's open record");
        assert!(
            t.fed.node(r).engine.get(scoped.id.clone()).await.unwrap().is_none(),
            "{r} finds the scoped record by id"
        );
    }
    for n in [NodeId::NL, vr(1), vr(2)] {
        let (count, _) = t.fed.node(n).engine.digest(vr(1), None).await.unwrap();
        assert_eq!(count, 2, "{n} should hold both of VR01's records");
    }
    t.shutdown().await;
}
