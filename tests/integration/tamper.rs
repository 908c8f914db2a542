//! Tampering: a malicious relay posing as NL cannot make a region store an entry whose bytes
//! were altered after sealing, one forged in another origin's name, a genuine one outside the
//! region's audience, hide an entry behind a false "withheld" hash, or pass on a genuinely sealed
//! record that breaks a rule of its kind; the same relay sending a
//! genuine chunk for the region is accepted.
use std::time::Duration;

use prost::Message;
use regiosync_node::config::{NodeConfig, Peer, TlsMaterial};
use regiosync_replication::SyncItem;
use regiosync_testkit::fake_peer::FakePeer;
use regiosync_testkit::{eventually, fast_engine, vr};
use regiosync_trust::{DevCa, Identity, Signer};
use regiosync_types::chunk::{self, Entry, Item};
use regiosync_types::pb::{chunk_item, Chunk, EntryBody, Status};
use regiosync_types::{Envelope, NodeId, Sealed};

const WAIT: Duration = Duration::from_secs(20);

fn material(ca: &DevCa, node: NodeId) -> TlsMaterial {
    let issued = ca.issue_node(node).expect("issue node certificate");
    TlsMaterial {
        ca_pem: ca.cert_pem().into(),
        intermediates_pem: String::new(),
        cert_pem: issued.cert_pem,
        key_pem: issued.key_pem,
        crl: None,
        files: None,
    }
}

use regiosync_types::now_ms;

fn body(seq: u64, payload: &[u8]) -> EntryBody {
    body_for(seq, payload, &["NL", "VR01", "VR03"])
}

fn body_for(seq: u64, payload: &[u8], audience: &[&str]) -> EntryBody {
    EntryBody {
        id: format!("vr01-entry-{seq}"),
        origin: "VR01".into(),
        seq,
        kind: "x.test".into(),
        created_unix_ms: now_ms(),
        status: Status::Test as i32,
        audience: audience.iter().map(|a| a.to_string()).collect(),
        payload: payload.to_vec(),
        ..Default::default()
    }
}

/// One chunk of VR01's bodies, sealed by `signer` under `key_id` (honest when both are VR01's).
fn seal(signer: &Signer, key_id: [u8; 16], bodies: Vec<EntryBody>) -> Chunk {
    let entries = bodies
        .into_iter()
        .map(|b| Entry::from_envelope(Envelope::check(b).unwrap()))
        .collect();
    let mut sealed = Sealed {
        origin: vr(1),
        first_seq: 1,
        key_id,
        sealed_unix_ms: now_ms(),
        signature: Vec::new(),
        items: chunk::runs(entries).remove(0).into_iter().map(Item::Entry).collect(),
    };
    sealed.first_seq = match &sealed.items[0] {
        Item::Entry(e) => e.envelope.seq,
        Item::Withheld(_) => unreachable!(),
    };
    sealed.signature = signer.sign_bytes(&sealed.seal_message());
    sealed.to_pb()
}

/// `chunk` with item `i`'s payload changed after sealing (seal untouched).
fn alter_payload(chunk: &Chunk, i: usize) -> Chunk {
    let mut altered = chunk.clone();
    let Some(chunk_item::Item::Body(bytes)) = &mut altered.items[i].item else {
        panic!("item {i} is not a body")
    };
    let mut b = EntryBody::decode(bytes.as_slice()).unwrap();
    b.payload[0] ^= 0x01;
    let before = bytes.len();
    *bytes = b.encode_to_vec();
    assert_eq!(bytes.len(), before);
    assert_ne!(altered, *chunk);
    altered
}

/// VR03 (in `dir`) with one peer, `peer`, played by `fake`.
async fn start_vr03(ca: &DevCa, dir: &std::path::Path, peer: NodeId, fake: &FakePeer) -> regiosync_node::NodeHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = NodeConfig {
        connections: Default::default(),
        metrics: None,
        audit: Default::default(),
        node: vr(3),
        members: regiosync_types::Federation::shipped(),
        listen: listener.local_addr().unwrap(),
        data_dir: dir.join("vr03"),
        tls: material(ca, vr(3)),
        peers: vec![Peer {
            id: peer,
            address: fake.url(),
        }],
        engine: fast_engine(),
        cache_bytes: 4 * 1024 * 1024,
        reserve: Default::default(),
        expiring_soon_days: regiosync_node::config::DEFAULT_EXPIRING_SOON_DAYS,
    };
    regiosync_node::start_with_listener(config, listener)
        .await
        .expect("start VR03")
}

/// A peer's watermark (or hole) for its own origin moves VR03's cursor only as far as the
/// origin's seal it carries: 10^12 without a seal (as the wire allowed before), or with VR01's
/// genuine seal of seq 1, is refused as a protocol error; the cursor stays at what was sealed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peers_watermark_beyond_what_its_origin_sealed_is_refused() {
    use regiosync_node::pb::{sync_message::Msg, Hole, SyncMessage, Watermark};
    regiosync_testkit::init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let ca = DevCa::generate("watermark test").unwrap();
    let vr01 = material(&ca, vr(1));
    let vr01_signer = Signer::from_pem(&vr01.cert_pem, &vr01.key_pem).unwrap();
    let mut fake = FakePeer::start(&vr01).await;
    let node = start_vr03(&ca, dir.path(), vr(1), &fake).await;
    let engine = node.engine.clone();
    let genuine = seal(&vr01_signer, vr01_signer.key_id().0, vec![body(1, b"one")]);
    let seal_of_1 = Sealed::open(genuine.clone()).unwrap().seal_only();
    const FAR: u64 = 1_000_000_000_000;
    let lies: Vec<(&str, SyncMessage)> = vec![
        (
            "a watermark of 10^12 without a seal",
            SyncMessage {
                msg: Some(Msg::Watermark(Watermark {
                    origin: "VR01".into(),
                    seq: FAR,
                    seal: None,
                })),
            },
        ),
        (
            "a watermark of 10^12 with the seal of seq 1",
            SyncMessage {
                msg: Some(Msg::Watermark(Watermark {
                    origin: "VR01".into(),
                    seq: FAR,
                    seal: Some(seal_of_1.clone()),
                })),
            },
        ),
        (
            "a hole up to 10^12 with the seal of seq 1",
            SyncMessage {
                msg: Some(Msg::Hole(Hole {
                    origin: "VR01".into(),
                    first: 2,
                    last: FAR,
                    seal: Some(seal_of_1),
                })),
            },
        ),
    ];
    let first = fake.next_subscription(WAIT).await;
    first.send(SyncItem::Certificate(vr01_signer.cert_der().to_vec())).await;
    first.send(SyncItem::Batch(vec![genuine])).await;
    eventually("VR03 stores VR01's entry 1", WAIT, || async {
        engine.version_vector().get(vr(1)) == 1
    })
    .await;
    drop(first);
    for (what, lie) in lies {
        let sub = fake.next_subscription(WAIT).await;
        assert_eq!(sub.have.get(vr(1)), 1, "{what}: VR03 asks from what was sealed");
        sub.send_message(lie).await;
        tokio::time::timeout(WAIT, sub.closed())
            .await
            .unwrap_or_else(|_| panic!("{what}: VR03 kept the stream"));
        assert_eq!(engine.version_vector().get(vr(1)), 1, "{what}: the cursor moved");
        let status = engine.status().await.unwrap();
        let held = status.held.get(vr(1));
        assert_eq!(held, 1, "{what}: status shows VR01 held up to {held}");
    }
    assert!(engine.status().await.unwrap().missing.is_empty(), "no hole recorded");
    node.shutdown().await;
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn region_refuses_tampered_and_forged_entries_from_a_malicious_relay() {
    regiosync_testkit::init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let ca = DevCa::generate("tamper test").unwrap();
    let vr01 = material(&ca, vr(1));
    let nl = material(&ca, NodeId::NL);
    let vr01_signer = Signer::from_pem(&vr01.cert_pem, &vr01.key_pem).unwrap();
    let nl_signer = Signer::from_pem(&nl.cert_pem, &nl.key_pem).unwrap();

    // The relay presents NL's genuine certificate, so VR03 takes it for NL.
    let mut relay = FakePeer::start(&nl).await;
    let node = start_vr03(&ca, dir.path(), NodeId::NL, &relay).await;
    let engine = node.engine.clone();
    let empty_digest = engine.digest(vr(1), None).await.unwrap();
    assert_eq!(empty_digest.0, 0);

    let vr01_key = vr01_signer.key_id().0;
    let genuine = seal(&vr01_signer, vr01_key, vec![body(1, b"capacity: 4 TS available")]);
    let vr01_cert = SyncItem::Certificate(vr01_signer.cert_der().to_vec());
    let nl_cert = SyncItem::Certificate(nl_signer.cert_der().to_vec());

    // A forgery in VR01's name sealed with NL's key, once honestly labelled with NL's key id and
    // once claiming VR01's key id.
    let forged = seal(
        &nl_signer,
        nl_signer.key_id().0,
        vec![body(1, b"capacity: 0 TS available")],
    );
    let forged_as_vr01 = seal(&nl_signer, vr01_key, vec![body(1, b"capacity: 0 TS available")]);
    // A genuine two-entry chunk whose second entry (for VR03) the relay replaces by a made-up
    // "withheld" hash, to hide it while still advancing VR03's cursor past it.
    let mut hidden = seal(
        &vr01_signer,
        vr01_key,
        vec![body(1, b"capacity: 4 TS available"), body(2, b"second")],
    );
    hidden.items[1].item = Some(chunk_item::Item::WithheldSha256(vec![0x42; 32]));
    // Genuinely sealed by VR01, but the record breaks a rule of its kind (more available than
    // the baseline): every receiving node checks the rules again, whoever sealed it.
    let mut report = regiosync_testkit::records::capacity(&[("TS", 2, 3, 0, 0)]);
    report.region = "VR01".into();
    report.author = "operator:VR01:jansen".into();
    let mut invalid = body(1, &report.encode_to_vec());
    invalid.kind = regiosync_records::kinds::CAPACITY_REPORT.into();
    let invalid = seal(&vr01_signer, vr01_key, vec![invalid]);
    let attacks: Vec<(&str, Vec<SyncItem>)> = vec![
        (
            "payload altered after sealing",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![alter_payload(&genuine, 0)])],
        ),
        (
            "forged: VR01 body sealed by NL",
            vec![nl_cert.clone(), SyncItem::Batch(vec![forged])],
        ),
        (
            "forged: NL seal under VR01's key id",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![forged_as_vr01])],
        ),
        (
            "genuine VR01 chunk whose audience excludes VR03",
            vec![
                vr01_cert.clone(),
                SyncItem::Batch(vec![seal(
                    &vr01_signer,
                    vr01_key,
                    vec![body_for(1, b"for VR02 only", &["NL", "VR01", "VR02"])],
                )]),
            ],
        ),
        (
            "an entry for VR03 hidden behind a false withheld hash",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![hidden])],
        ),
        (
            "a genuinely sealed capacity report that breaks a rule",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![invalid])],
        ),
    ];

    for (i, (what, items)) in attacks.into_iter().enumerate() {
        let sub = relay.next_subscription(WAIT).await;
        assert_eq!(sub.caller, Identity::node(vr(3)));
        assert_eq!(sub.have.get(vr(1)), 0, "{what}: VR03 still asks from the start");
        for item in items {
            sub.send(item).await;
        }
        // VR03 refuses the batch and drops the subscription.
        tokio::time::timeout(WAIT, sub.closed())
            .await
            .unwrap_or_else(|_| panic!("{what}: VR03 kept the stream"));
        eventually(what, WAIT, || async { engine.entries_rejected() > i as u64 }).await;
        assert_eq!(engine.entries_rejected(), i as u64 + 1, "{what}");
        assert!(
            engine.list(None, None, 0, 10, None).await.unwrap().is_empty(),
            "{what}: VR03 stored an entry"
        );
        assert_eq!(engine.digest(vr(1), None).await.unwrap(), empty_digest, "{what}");
        assert_eq!(engine.version_vector().get(vr(1)), 0, "{what}: VR01's cursor moved");
        assert!(engine.get("vr01-entry-1".into()).await.unwrap().is_none(), "{what}");
        assert_eq!(engine.status().await.unwrap().entries_held, 0, "{what}");
    }

    // The control, and one bad chunk holding up nothing before it: the unaltered entry, batched
    // before an altered one, is stored; the altered one is refused and the stream dropped.
    let sub = relay.next_subscription(WAIT).await;
    sub.send(vr01_cert).await;
    let altered = alter_payload(&seal(&vr01_signer, vr01_key, vec![body(2, b"second")]), 0);
    sub.send(SyncItem::Batch(vec![genuine.clone(), altered])).await;
    tokio::time::timeout(WAIT, sub.closed())
        .await
        .unwrap_or_else(|_| panic!("VR03 kept the stream after an altered chunk"));
    eventually("VR03 stores the genuine entry", WAIT, || async {
        engine.version_vector().get(vr(1)) == 1
    })
    .await;
    let held = engine.list(Some(vr(1)), None, 0, 10, None).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].envelope.payload, b"capacity: 4 TS available");
    assert_eq!(engine.digest(vr(1), None).await.unwrap().0, 1);
    assert_eq!(
        engine.entries_rejected(),
        7,
        "six attacks and the altered chunk, not the genuine one"
    );
    assert!(
        engine.get("vr01-entry-2".into()).await.unwrap().is_none(),
        "the altered entry is not stored"
    );
    assert_eq!(engine.version_vector().get(vr(1)), 1, "nor vouched for");

    drop(sub);
    node.shutdown().await;
    relay.shutdown().await;
}
