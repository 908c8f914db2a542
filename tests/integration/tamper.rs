//! Tampering: a malicious relay posing as NL cannot make a region store an entry whose bytes
//! were altered after signing, one forged in another origin's name, or a genuine one outside the
//! region's audience; the same relay sending a genuine entry for the region is accepted.
use std::time::Duration;

use prost::Message;
use regiosync_node::config::{NodeConfig, Peer, TlsMaterial};
use regiosync_replication::SyncItem;
use regiosync_testkit::fake_peer::FakePeer;
use regiosync_testkit::{eventually, fast_engine, vr};
use regiosync_trust::{DevCa, Identity, Signer};
use regiosync_types::pb::{EntryBody, SignedEntry, Status};
use regiosync_types::NodeId;

const WAIT: Duration = Duration::from_secs(20);

fn material(ca: &DevCa, node: NodeId) -> TlsMaterial {
    let issued = ca.issue_node(node).expect("issue node certificate");
    TlsMaterial {
        ca_pem: ca.cert_pem().into(),
        cert_pem: issued.cert_pem,
        key_pem: issued.key_pem,
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn body(seq: u64, payload: &[u8]) -> EntryBody {
    body_for(seq, payload, &["NL", "VR01", "VR03"])
}

fn body_for(seq: u64, payload: &[u8], audience: &[&str]) -> EntryBody {
    EntryBody {
        id: format!("vr01-entry-{seq}"),
        origin: "VR01".into(),
        seq,
        kind: "test_record".into(),
        created_unix_ms: now_ms(),
        status: Status::Test as i32,
        audience: audience.iter().map(|a| a.to_string()).collect(),
        payload: payload.to_vec(),
        ..Default::default()
    }
}

/// `entry` with its payload changed after signing (signature and key id untouched).
fn alter_payload(entry: &SignedEntry) -> SignedEntry {
    let mut b = EntryBody::decode(entry.body.as_slice()).unwrap();
    b.payload[0] ^= 0x01;
    let altered = SignedEntry {
        body: b.encode_to_vec(),
        ..entry.clone()
    };
    assert_ne!(altered.body, entry.body);
    assert_eq!(altered.body.len(), entry.body.len());
    altered
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = NodeConfig {
        node: vr(3),
        listen: listener.local_addr().unwrap(),
        data_dir: dir.path().join("vr03"),
        tls: material(&ca, vr(3)),
        peers: vec![Peer {
            id: NodeId::NL,
            address: relay.url(),
        }],
        engine: fast_engine(),
        cache_bytes: 4 * 1024 * 1024,
    };
    let node = regiosync_node::start_with_listener(config, listener)
        .await
        .expect("start VR03");
    let engine = node.engine.clone();
    let empty_digest = engine.digest(vr(1), None).await.unwrap();
    assert_eq!(empty_digest.0, 0);

    let genuine = vr01_signer.sign(&body(1, b"capacity: 4 TS available"));
    let vr01_cert = SyncItem::Certificate(vr01_signer.cert_der().to_vec());
    let nl_cert = SyncItem::Certificate(nl_signer.cert_der().to_vec());

    // A forgery in VR01's name signed with NL's key, once honestly labelled with NL's key id and
    // once claiming VR01's key id.
    let forged = nl_signer.sign(&body(1, b"capacity: 0 TS available"));
    let forged_as_vr01 = SignedEntry {
        key_id: vr01_signer.key_id().0.to_vec(),
        ..forged.clone()
    };
    let attacks: Vec<(&str, Vec<SyncItem>)> = vec![
        (
            "payload altered after signing",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![alter_payload(&genuine)])],
        ),
        (
            "forged: VR01 body signed by NL",
            vec![nl_cert.clone(), SyncItem::Batch(vec![forged])],
        ),
        (
            "forged: NL signature under VR01's key id",
            vec![vr01_cert.clone(), SyncItem::Batch(vec![forged_as_vr01])],
        ),
        (
            "genuine VR01 entry whose audience excludes VR03",
            vec![
                vr01_cert.clone(),
                SyncItem::Batch(vec![vr01_signer.sign(&body_for(
                    1,
                    b"for VR02 only",
                    &["NL", "VR01", "VR02"],
                ))]),
            ],
        ),
        (
            "genuine entry batched with an altered one",
            vec![
                vr01_cert.clone(),
                SyncItem::Batch(vec![
                    genuine.clone(),
                    alter_payload(&vr01_signer.sign(&body(2, b"second"))),
                ]),
            ],
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

    // The control: the unaltered entry, sent the same way, is stored.
    let sub = relay.next_subscription(WAIT).await;
    sub.send(vr01_cert).await;
    sub.send(SyncItem::Batch(vec![genuine.clone()])).await;
    eventually("VR03 stores the genuine entry", WAIT, || async {
        engine.version_vector().get(vr(1)) == 1
    })
    .await;
    let held = engine.list(Some(vr(1)), None, 0, 10, None).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].envelope.payload, b"capacity: 4 TS available");
    assert_eq!(engine.digest(vr(1), None).await.unwrap().0, 1);
    assert_eq!(engine.entries_rejected(), 5, "the genuine entry was not refused");

    drop(sub);
    node.shutdown().await;
    relay.shutdown().await;
}
