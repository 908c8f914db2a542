//! Idle anti-entropy is cheap and does not grow with the log: one Digest round between NL and a
//! caught-up region costs well under 1 KiB on the wire, the same at 1,000 and 100,000 entries.
use std::time::Duration;

use regiosync_node::listener::WireCounter;
use regiosync_node::transport::GrpcTransport;
use regiosync_node::Peer;
use regiosync_replication::{Draft, EngineConfig, Transport};
use regiosync_testkit::{eventually, fast_engine, vr, TestFed};
use regiosync_types::NodeId;

const CHUNK: u64 = 5_000;

async fn publish_up_to(t: &TestFed, region: NodeId, total: u64) {
    let engine = &t.fed.node(region).engine;
    while engine.version_vector().get(region) < total {
        let next = engine.version_vector().get(region) + 1;
        let n = CHUNK.min(total - next + 1);
        let drafts = (next..next + n)
            .map(|s| Draft {
                kind: "x.test".into(),
                status: regiosync_types::pb::Status::Test as i32,
                payload: format!("report {s}").into_bytes(),
                ..Draft::default()
            })
            .collect();
        engine.publish_many(drafts).await.expect("publish_many");
    }
}

/// The counter once it has stopped moving (trailing frames such as window updates included).
async fn settled(wire: &WireCounter) -> u64 {
    let mut last = wire.total();
    let mut stable = 0;
    for _ in 0..500 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = wire.total();
        stable = if now == last { stable + 1 } else { 0 };
        last = now;
        if stable >= 5 {
            return now;
        }
    }
    panic!("wire counter never settled");
}

/// Bytes at `server` for one `transport.digest(server_id, have)` call. The smallest of a few
/// rounds, so an unrelated HTTP/2 keep-alive ping on another connection cannot inflate it.
async fn idle_round_bytes(
    transport: &GrpcTransport,
    server_id: NodeId,
    server: &WireCounter,
    t: &TestFed,
    caller: NodeId,
) -> u64 {
    let mut best = u64::MAX;
    for _ in 0..3 {
        let have = t.fed.node(caller).engine.version_vector();
        let before = settled(server).await;
        let theirs = transport.digest(server_id, have.clone()).await.expect("digest");
        let after = settled(server).await;
        assert!(
            have.behind(&theirs).is_empty(),
            "{caller} is behind {server_id}: {theirs:?}"
        );
        best = best.min(after - before);
    }
    best
}

/// Bytes of an idle round in each direction with `n` entries of VR01 held at both ends.
async fn measure(t: &TestFed, n: u64) -> (u64, u64) {
    publish_up_to(t, vr(1), n).await;
    eventually(
        &format!("NL holds VR01's {n} entries"),
        Duration::from_secs(120),
        || async { t.fed.node(NodeId::NL).engine.version_vector().get(vr(1)) == n },
    )
    .await;
    assert_eq!(t.fed.node(NodeId::NL).engine.digest(vr(1), None).await.unwrap().0, n);

    // Region → NL, as VR01's peer loop does it: over its own, already warm connection.
    let region = t.fed.config(vr(1));
    let nl = t.fed.node(NodeId::NL);
    let to_nl = GrpcTransport::new(
        &region.tls,
        &[Peer {
            id: NodeId::NL,
            address: nl.url(),
        }],
        regiosync_node::tls::FederationServers::for_material(&region.tls).unwrap(),
    )
    .unwrap();
    to_nl
        .digest(NodeId::NL, t.fed.node(vr(1)).engine.version_vector())
        .await
        .expect("warm-up");
    let up = idle_round_bytes(&to_nl, NodeId::NL, &nl.wire, t, vr(1)).await;

    // NL → region: here the answer carries VR01's own head, so both messages hold `n`.
    let national = t.fed.config(NodeId::NL);
    let vr01 = t.fed.node(vr(1));
    let to_vr01 = GrpcTransport::new(
        &national.tls,
        &[Peer {
            id: vr(1),
            address: vr01.url(),
        }],
        regiosync_node::tls::FederationServers::for_material(&national.tls).unwrap(),
    )
    .unwrap();
    let theirs = to_vr01
        .digest(vr(1), t.fed.node(NodeId::NL).engine.version_vector())
        .await
        .expect("warm-up");
    assert_eq!(theirs.get(vr(1)), n, "VR01 vouches for its own head");
    let down = idle_round_bytes(&to_vr01, vr(1), &vr01.wire, t, NodeId::NL).await;
    (up, down)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_digest_round_is_small_and_independent_of_log_size() {
    // No periodic rounds of the nodes' own: only the measured calls exchange digests.
    let engine = EngineConfig {
        anti_entropy: Duration::from_secs(3600),
        ..fast_engine()
    };
    let t = TestFed::start_with(&[vr(1)], &[], engine).await;

    let (up_1k, down_1k) = measure(&t, 1_000).await;
    let (up_100k, down_100k) = measure(&t, 100_000).await;
    println!(
        "idle anti-entropy round, VR01 -> NL (bytes at NL): {up_1k} at 1,000 entries, {up_100k} at 100,000 entries"
    );
    println!("idle anti-entropy round, NL -> VR01 (bytes at VR01): {down_1k} at 1,000 entries, {down_100k} at 100,000 entries");
    for (what, small, large) in [("VR01 -> NL", up_1k, up_100k), ("NL -> VR01", down_1k, down_100k)] {
        assert!(small < 1024 && large < 1024, "{what}: {small} / {large} bytes");
        assert!(small > 0, "{what}: nothing measured");
        assert!(
            large.abs_diff(small) <= 64,
            "{what}: grows with the log: {small} -> {large} bytes"
        );
    }
    t.shutdown().await;
}

/// An idle round costs two hashes whatever the number of members: the caller names the vector it
/// last got by its digest and the responder answers `unchanged`; when something changed, only
/// the origins that moved come (with the whole vector's digest), or the whole vector when the
/// caller does not name where the responder's journal stood. Against the old exchange (the
/// whole vector every round) over the same warm connection, in the same run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_round_is_two_hashes_whatever_the_number_of_members() {
    let engine = EngineConfig {
        anti_entropy: Duration::from_secs(3600),
        ..fast_engine()
    };
    let regions: Vec<NodeId> = (1..=12).map(vr).collect();
    let t = TestFed::start_with(&regions, &[], engine).await;
    // Every region's record is for everyone: NL vouches for 12 origins towards VR01.
    let others = |r: NodeId| -> Vec<NodeId> { regions.iter().copied().filter(|&o| o != r).collect() };
    for &r in &regions {
        t.publish(r, &others(r), b"for everyone").await;
    }
    eventually("NL holds every region's record", Duration::from_secs(60), || async {
        let vv = t.fed.node(NodeId::NL).engine.version_vector();
        regions.iter().all(|&r| vv.get(r) >= 1)
    })
    .await;

    let vr01 = t.fed.config(vr(1));
    let nl = t.fed.node(NodeId::NL);
    let channel = t
        .channel_as(NodeId::NL, &vr01.tls.cert_pem, &vr01.tls.key_pem)
        .await
        .unwrap();
    let mut sync = regiosync_node::pb::sync_client::SyncClient::new(channel);
    let ask_at = |known: Vec<u8>, at: Option<(u64, u64)>| regiosync_node::pb::DigestRequest {
        have: None,
        known,
        known_epoch: at.map_or(0, |a| a.0),
        known_generation: at.map_or(0, |a| a.1),
    };
    let ask = |known: Vec<u8>| ask_at(known, None);

    // First: no vector known, the whole vector comes.
    let first = sync.digest(ask(Vec::new())).await.unwrap().into_inner();
    assert!(!first.unchanged);
    let vv = regiosync_node::convert::vv_from_pb(first.have.clone(), "have").unwrap();
    assert_eq!(vv.iter().filter(|(o, _)| regions.contains(o)).count(), 12, "{vv:?}");
    // Then: its digest named, nothing changed: `unchanged` and no vector.
    let known = vv.digest().to_vec();
    let idle = sync.digest(ask(known.clone())).await.unwrap().into_inner();
    assert!(idle.unchanged && idle.have.is_none(), "{idle:?}");

    // On the wire at NL: an idle round against the old one, over the same connection.
    let bytes = |known: Vec<u8>| {
        let mut sync = sync.clone();
        async move {
            let mut best = u64::MAX;
            for _ in 0..3 {
                let before = settled(&nl.wire).await;
                sync.digest(ask(known.clone())).await.unwrap();
                best = best.min(settled(&nl.wire).await - before);
            }
            best
        }
    };
    let new_round = bytes(known.clone()).await;
    let old_round = bytes(Vec::new()).await;
    println!("idle round VR01 -> NL with 12 origins: {new_round} bytes naming the digest, {old_round} bytes with the whole vector");
    assert!(new_round < old_round, "{new_round} >= {old_round}");

    // Something changed: VR03 wrote again; the old digest no longer matches.
    t.publish(vr(3), &others(vr(3)), b"again").await;
    eventually("NL holds VR03's second record", Duration::from_secs(30), || async {
        t.fed.node(NodeId::NL).engine.version_vector().get(vr(3)) >= 2
    })
    .await;
    let changed = sync.digest(ask(known.clone())).await.unwrap().into_inner();
    assert!(!changed.unchanged && !changed.delta, "{changed:?}");
    let now = regiosync_node::convert::vv_from_pb(changed.have, "have").unwrap();
    assert_eq!(now.get(vr(3)), vv.get(vr(3)) + 1, "{now:?}");
    // Naming where NL's journal stood at the first answer: only what moved since comes, and the
    // first vector patched with it has the digest NL sent (NL's own log may move too).
    let at = Some((first.epoch, first.generation));
    let delta = sync.digest(ask_at(known.clone(), at)).await.unwrap().into_inner();
    assert!(delta.delta && !delta.unchanged, "{delta:?}");
    let moved = regiosync_node::convert::vv_from_pb(delta.have, "have").unwrap();
    assert_eq!(moved.get(vr(3)), now.get(vr(3)), "{moved:?}");
    assert!(
        moved.iter().all(|(o, _)| !regions.contains(&o) || o == vr(3)),
        "{moved:?}"
    );
    let mut patched = vv.clone();
    for (o, s) in moved.iter() {
        patched.set(o, s);
    }
    assert_eq!(patched.digest().to_vec(), delta.digest);
    // Another start of NL than the one named: the whole vector.
    let other = Some((first.epoch ^ 1, first.generation));
    let whole = sync.digest(ask_at(known, other)).await.unwrap().into_inner();
    assert!(!whole.delta && !whole.unchanged, "{whole:?}");
    let whole = regiosync_node::convert::vv_from_pb(whole.have, "have").unwrap();
    assert!(regions.iter().all(|r| whole.get(*r) >= 1), "{whole:?}");

    // The node's own transport does this by itself: its second round names the first answer.
    let to_nl = GrpcTransport::new(
        &vr01.tls,
        &[Peer {
            id: NodeId::NL,
            address: nl.url(),
        }],
        regiosync_node::tls::FederationServers::for_material(&vr01.tls).unwrap(),
    )
    .unwrap();
    let a = to_nl.digest(NodeId::NL, Default::default()).await.unwrap();
    let b = to_nl.digest(NodeId::NL, Default::default()).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(b, now);
    // And after a change, patches what it knows with what moved (checked against NL's digest).
    t.publish(vr(4), &others(vr(4)), b"again").await;
    eventually("NL holds VR04's second record", Duration::from_secs(30), || async {
        t.fed.node(NodeId::NL).engine.version_vector().get(vr(4)) >= 2
    })
    .await;
    let c = to_nl.digest(NodeId::NL, Default::default()).await.unwrap();
    assert_eq!(c.get(vr(4)), 2, "{c:?}");
    assert!(regions.iter().all(|r| c.get(*r) >= now.get(*r)), "{c:?}");
    t.shutdown().await;
}
