//! Property test of the replication rules, without a network: the same entries delivered to a
//! node along two paths (the origin itself and the national relay), split into batches at
//! random, interleaved at random, partly re-delivered (reconnects) and with the receiver
//! restarted at random moments, always leave the receiver with exactly the entries it may see,
//! each once, and cursors at the origins' heads.
use std::sync::Arc;

use regiosync_store::SledStore;
use regiosync_trust::{DevCa, Signer, Verifier};
use regiosync_types::pb::Status;
use regiosync_types::{NodeId, Sealed};

use crate::{Draft, Engine, EngineConfig, SeqRange, SyncItem};

/// Deterministic, so a failing seed can be replayed.
use regiosync_types::rng::Rng;

struct Pki {
    ca: DevCa,
}

impl Pki {
    fn signer(&self, id: NodeId) -> Arc<Signer> {
        let issued = self.ca.issue_node(id).unwrap();
        Arc::new(Signer::from_pem(&issued.cert_pem, &issued.key_pem).unwrap())
    }
    fn verifier(&self) -> Arc<Verifier> {
        Arc::new(Verifier::from_ca_pem(self.ca.cert_pem()).unwrap())
    }
}

async fn open(pki: &Pki, signer: Arc<Signer>, dir: &std::path::Path) -> Arc<Engine> {
    let mut last = None;
    // sled releases its lock asynchronously after the previous engine is dropped.
    for _ in 0..200 {
        match SledStore::open(dir, 1 << 20) {
            Ok(store) => {
                return Engine::open(
                    Arc::new(store),
                    signer,
                    pki.verifier(),
                    EngineConfig::default(),
                    Arc::new(crate::Opaque),
                )
                .await
                .unwrap()
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("reopen: {last:?}");
}

/// What `sender` would stream to `receiver` for `origin`: the chunks it may see something of
/// (the rest withheld), in random batch sizes, certificate first, then a watermark at the head.
fn stream(rng: &mut Rng, cert: &[u8], chunks: &[Sealed], receiver: NodeId, head: (NodeId, u64)) -> Vec<SyncItem> {
    let visible: Vec<_> = chunks
        .iter()
        .filter_map(|c| c.for_peer(receiver, &regiosync_types::Federation::shipped()))
        .collect();
    let mut out = vec![SyncItem::Certificate(cert.to_vec())];
    let mut i = 0;
    while i < visible.len() {
        let n = 1 + rng.below(3) as usize;
        out.push(SyncItem::Batch(visible[i..(i + n).min(visible.len())].to_vec()));
        i += n;
    }
    let seal = chunks.iter().find(|c| c.last_seq() >= head.1).unwrap().seal_only();
    out.push(SyncItem::Watermark(head.0, head.1, seal));
    out
}

/// A fresh CA, VR01..VR03 and a folder for their stores.
fn three_regions() -> (Pki, [NodeId; 3], tempfile::TempDir) {
    let pki = Pki {
        ca: DevCa::generate("property CA").unwrap(),
    };
    let ids = [1, 2, 3].map(|n| NodeId::region(n).unwrap());
    (pki, ids, tempfile::tempdir().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_interleaving_duplicates_and_restarts_converge() {
    let (pki, [vr1, vr2, vr3], work) = three_regions();

    // Two origins author entries with random audiences (some include VR03, some do not).
    let mut rng = Rng(0x5eed);
    let mut authored = Vec::new();
    for origin in [vr1, vr2] {
        let engine = open(&pki, pki.signer(origin), &work.path().join(origin.to_string())).await;
        // Published in groups of random size, so chunks differ in length.
        let mut i = 0;
        while i < 40 {
            let n = 1 + rng.below(9);
            let drafts: Vec<Draft> = (i..i + n)
                .map(|i| Draft {
                    kind: "prop".into(),
                    status: Status::Test as i32,
                    audience: if rng.below(3) == 0 {
                        vec![]
                    } else {
                        vec![vr3.to_string()]
                    },
                    // Some records large enough that their chunk lives in a segment file.
                    payload: format!("{origin} #{i} {}", "x".repeat(rng.below(400) as usize)).into_bytes(),
                    ..Draft::default()
                })
                .collect();
            engine.publish_many(drafts).await.unwrap();
            i += n;
        }
        let entries: Vec<Sealed> = engine.log.chunks(origin, 0, usize::MAX, usize::MAX).unwrap();
        let expected = engine.digest(origin, Some(vr3)).await.unwrap();
        let cert = engine.verifier.cert_der(&engine.key_id()).unwrap().to_vec();
        authored.push((origin, entries, expected, cert));
        engine.shutdown().await;
    }

    let receiver_signer = pki.signer(vr3);
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        // Four streams: each origin directly, and each origin relayed by NL.
        let mut streams: Vec<(NodeId, Vec<SyncItem>, usize)> = Vec::new();
        for (origin, entries, _, cert) in &authored {
            let head = (*origin, entries.last().unwrap().last_seq());
            for sender in [*origin, NodeId::NL] {
                streams.push((sender, stream(&mut rng, cert, entries, vr3, head), 0));
            }
        }
        let dir = work.path().join(format!("receiver-{seed}"));
        let mut engine = open(&pki, receiver_signer.clone(), &dir).await;
        while streams.iter().any(|(_, items, pos)| *pos < items.len()) {
            let k = rng.below(streams.len() as u64) as usize;
            let (sender, items, pos) = &mut streams[k];
            if *pos >= items.len() {
                continue;
            }
            engine.receive(*sender, items[*pos].clone()).await.unwrap();
            *pos += 1;
            match rng.below(20) {
                // A reconnect: the sender replays from an earlier point (duplicates).
                0 => *pos = rng.below(*pos as u64 + 1) as usize,
                // A restart of the receiver on the same store.
                1 => {
                    engine.shutdown().await;
                    drop(engine);
                    engine = open(&pki, receiver_signer.clone(), &dir).await;
                }
                _ => {}
            }
        }
        let mut total = 0;
        for (origin, entries, expected, _) in &authored {
            let got = engine.digest(*origin, None).await.unwrap();
            assert_eq!(
                got, *expected,
                "seed {seed}: {origin} entries at VR03 differ from what VR03 may see"
            );
            assert_eq!(
                engine.version_vector().get(*origin),
                entries.last().unwrap().last_seq(),
                "seed {seed}: cursor of {origin}"
            );
            total += expected.0;
        }
        assert_eq!(
            engine.status().await.unwrap().entries_held,
            total,
            "seed {seed}: nothing doubled"
        );
        let segment_bytes: u64 = std::fs::read_dir(dir.join("segments"))
            .unwrap()
            .map(|f| f.unwrap().metadata().unwrap().len())
            .sum();
        assert!(
            segment_bytes > 0,
            "seed {seed}: some chunks were large enough for a segment file"
        );
        engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_may_not_relay_another_origin_nor_send_outside_the_audience() {
    let (pki, [vr1, vr2, vr3], work) = three_regions();
    let origin = open(&pki, pki.signer(vr1), &work.path().join("o")).await;
    origin
        .publish(Draft {
            kind: "k".into(),
            audience: vec![vr2.to_string(), vr3.to_string()],
            ..Draft::default()
        })
        .await
        .unwrap();
    origin
        .publish(Draft {
            kind: "k".into(),
            audience: vec![vr2.to_string()],
            ..Draft::default()
        })
        .await
        .unwrap();
    let entries: Vec<_> = origin
        .log
        .chunks(vr1, 0, 10, usize::MAX)
        .unwrap()
        .iter()
        .map(|c| c.to_pb())
        .collect();
    assert_eq!(entries.len(), 2, "one chunk per publish");
    let cert = origin.verifier.cert_der(&origin.key_id()).unwrap().to_vec();
    let receiver = open(&pki, pki.signer(vr3), &work.path().join("r")).await;
    receiver.receive(vr1, SyncItem::Certificate(cert)).await.unwrap();
    let relayed = receiver
        .receive(vr2, SyncItem::Batch(vec![entries[0].clone()]))
        .await
        .unwrap_err();
    assert!(
        relayed.to_string().contains("VR02 may not relay entries of VR01"),
        "{relayed}"
    );
    let outside = receiver
        .receive(vr1, SyncItem::Batch(vec![entries[1].clone()]))
        .await
        .unwrap_err();
    assert!(
        outside.to_string().contains("VR03 is not in the audience of VR01/2"),
        "{outside}"
    );
    assert_eq!(receiver.status().await.unwrap().entries_held, 0);
    receiver
        .receive(vr1, SyncItem::Batch(vec![entries[0].clone()]))
        .await
        .unwrap();
    assert_eq!(receiver.status().await.unwrap().entries_held, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lying_relay_watermark_cannot_hide_entries_from_the_origins_own_stream() {
    use futures::StreamExt;
    let pki = Pki {
        ca: DevCa::generate("property CA").unwrap(),
    };
    let (vr1, vr3) = (NodeId::region(1).unwrap(), NodeId::region(3).unwrap());
    let work = tempfile::tempdir().unwrap();
    let origin = open(&pki, pki.signer(vr1), &work.path().join("o")).await;
    let drafts = (0..10).map(|_| Draft {
        kind: "k".into(),
        audience: vec![vr3.to_string()],
        ..Draft::default()
    });
    origin.publish_many(drafts.collect()).await.unwrap();
    let receiver = open(&pki, pki.signer(vr3), &work.path().join("r")).await;

    // A compromised hub claims VR03 has seen everything of VR01 up to 10 without sending it
    // (it holds VR01's chunks, so it has VR01's seal up to 10).
    let seal = origin.log.seal_reaching(vr1, 10).unwrap().unwrap();
    let cert = origin.verifier.cert_der(&origin.key_id()).unwrap().to_vec();
    receiver.receive(NodeId::NL, SyncItem::Certificate(cert)).await.unwrap();
    receiver
        .receive(NodeId::NL, SyncItem::Watermark(vr1, 10, seal))
        .await
        .unwrap();
    assert_eq!(receiver.version_vector().get(vr1), 10);
    assert_eq!(
        receiver.source_vector(vr1).get(vr1),
        0,
        "the origin's own stream is not fooled"
    );

    // VR03's direct subscription to VR01 starts from what VR01's stream delivered: nothing.
    let mut stream = origin.serve(vr3, receiver.source_vector(vr1), Vec::new());
    while receiver.source_vector(vr1).get(vr1) < 10 {
        let item = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
            .await
            .unwrap()
            .unwrap();
        receiver.receive(vr1, item).await.unwrap();
    }
    assert_eq!(
        receiver.digest(vr1, None).await.unwrap(),
        origin.digest(vr1, Some(vr3)).await.unwrap()
    );
    assert_eq!(receiver.status().await.unwrap().entries_held, 10);
}

/// A watermark or hole moves a cursor only as far as the origin's seal it carries reaches: a
/// hub that claims 10^12 (or sends a seal of another origin, or a forged one) is refused and
/// nothing moves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watermark_or_hole_past_what_the_origin_sealed_is_refused() {
    let (pki, [vr1, vr2, vr3], work) = three_regions();
    let origin = open(&pki, pki.signer(vr1), &work.path().join("o")).await;
    let other = open(&pki, pki.signer(vr2), &work.path().join("o2")).await;
    let draft = || Draft {
        kind: "k".into(),
        audience: vec![],
        ..Draft::default()
    };
    origin.publish_many((0..10).map(|_| draft()).collect()).await.unwrap();
    other.publish_many((0..20).map(|_| draft()).collect()).await.unwrap();
    let receiver = open(&pki, pki.signer(vr3), &work.path().join("r")).await;
    for e in [&origin, &other] {
        let cert = e.verifier.cert_der(&e.key_id()).unwrap().to_vec();
        receiver.receive(NodeId::NL, SyncItem::Certificate(cert)).await.unwrap();
    }
    let seal = origin.log.seal_reaching(vr1, 10).unwrap().unwrap();
    let refused = |r: crate::Result<()>, want: &str| {
        let e = r.expect_err("refused").to_string();
        assert!(e.contains(want), "{e}");
    };

    // 10^12 with VR01's genuine seal of 10.
    refused(
        receiver
            .receive(NodeId::NL, SyncItem::Watermark(vr1, 1_000_000_000_000, seal.clone()))
            .await,
        "not sealed that far",
    );
    // VR01 up to 20 with VR02's seal of 20.
    let other_seal = other.log.seal_reaching(vr2, 20).unwrap().unwrap();
    refused(
        receiver
            .receive(NodeId::NL, SyncItem::Watermark(vr1, 20, other_seal))
            .await,
        "not sealed that far",
    );
    // A seal whose signature does not verify (its last hash changed, so it claims other bodies).
    let mut forged = seal.clone();
    if let Some(regiosync_types::pb::chunk_item::Item::WithheldSha256(h)) =
        forged.items.last_mut().and_then(|i| i.item.as_mut())
    {
        h[0] ^= 1;
    }
    refused(
        receiver.receive(NodeId::NL, SyncItem::Watermark(vr1, 10, forged)).await,
        "watermark.seal",
    );
    // A hole past the seal.
    let hole = SeqRange {
        origin: vr1,
        first: 1,
        last: 1_000_000_000_000,
    };
    refused(
        receiver.receive(NodeId::NL, SyncItem::Hole(hole, seal.clone())).await,
        "not sealed that far",
    );
    assert_eq!(receiver.version_vector().get(vr1), 0, "no cursor moved");
    assert!(receiver.gaps().await.unwrap().is_empty(), "no hole recorded");

    // The genuine watermark is taken.
    receiver
        .receive(NodeId::NL, SyncItem::Watermark(vr1, 10, seal))
        .await
        .unwrap();
    assert_eq!(receiver.version_vector().get(vr1), 10);
}

/// A publish whose caller goes away midway (a client that hangs up, a request timeout) still
/// completes or leaves nothing: the next publish takes the next seq, never one already stored
/// (which this node would then refuse as its own equivocation).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_abandoned_midway_never_makes_the_next_one_reuse_a_seq() {
    let (pki, [vr1, _, _], work) = three_regions();
    let engine = open(&pki, pki.signer(vr1), &work.path().join("o")).await;
    let draft = |i: u64| Draft {
        kind: "k".into(),
        audience: vec![],
        payload: format!("entry {i}").into_bytes(),
        ..Draft::default()
    };
    for i in 0..200u64 {
        // Given up after a moment: sometimes before, sometimes during, sometimes after the write.
        let abandoned = engine.publish(draft(2 * i));
        let _ = tokio::time::timeout(std::time::Duration::from_micros(20 + (i % 7) * 40), abandoned).await;
        engine
            .publish(draft(2 * i + 1))
            .await
            .unwrap_or_else(|e| panic!("publish after an abandoned one (round {i}): {e}"));
    }
    assert_eq!(engine.equivocations_by_origin().get(&vr1), None);
}

/// A national node keeps the digest of what it vouches for (`Engine::vouched_digest`): it is
/// always the digest of the vector as it is now, before and after entries arrive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_national_nodes_kept_digest_follows_its_vector() {
    let (pki, [vr1, vr2, _], work) = three_regions();
    let origin = open(&pki, pki.signer(vr1), &work.path().join("o")).await;
    let nl = open(&pki, pki.signer(NodeId::NL), &work.path().join("nl")).await;
    let fresh = |e: &Engine| e.vouched_for(vr2).digest();
    assert_eq!(nl.vouched_digest(vr2), fresh(&nl), "empty");
    let cert = origin.verifier.cert_der(&origin.key_id()).unwrap().to_vec();
    nl.receive(vr1, SyncItem::Certificate(cert)).await.unwrap();
    for round in 0..3 {
        let before = nl.vouched_digest(vr2);
        let was = nl.vouched(vr2);
        let draft = Draft {
            kind: "k".into(),
            audience: vec![],
            ..Draft::default()
        };
        let published = origin.publish(draft).await.unwrap();
        let chunks = origin.log.chunks(vr1, published.seq - 1, 1, usize::MAX).unwrap();
        let batch = chunks.iter().map(|c| c.to_pb()).collect();
        nl.receive(vr1, SyncItem::Batch(batch)).await.unwrap();
        let after = nl.vouched_digest(vr2);
        assert_ne!(after, before, "round {round}: the kept digest moved with the vector");
        assert_eq!(after, fresh(&nl), "round {round}");
        assert_eq!(nl.vouched_digest(vr2), after, "round {round}: unchanged, the same");
        // What moved since the vector a caller got before: VR01 only, and patching that
        // vector with it gives the digest now.
        let now = nl.vouched(vr2);
        let moved = nl.moved_in(vr2, &now, was.epoch, was.generation).unwrap();
        assert_eq!(
            moved.iter().collect::<Vec<_>>(),
            vec![(vr1, published.seq)],
            "round {round}"
        );
        let mut patched = (*was.vector).clone();
        patched.set(vr1, published.seq);
        assert_eq!(patched.digest(), now.digest, "round {round}");
        assert_eq!(
            nl.moved_in(vr2, &now, was.epoch ^ 1, was.generation),
            None,
            "another start"
        );
    }
}
