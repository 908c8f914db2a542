//! Key transitions: a node that seals with a new key first writes a key transition into its own
//! log; every node then refuses chunks its old key seals after it, however they are dated (a
//! stolen old key cannot add entries), while the entries the old key genuinely sealed still
//! replicate. A key once replaced never seals again.
use std::time::Duration;

use regiosync_replication::{Draft, SyncItem};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Signer;
use regiosync_types::chunk::Entry;
use regiosync_types::pb::{EntryBody, Status};
use regiosync_types::{Envelope, KeyTransition, NodeId, KEY_TRANSITION};

const WAIT: Duration = Duration::from_secs(20);

fn draft(payload: &[u8]) -> Draft {
    Draft {
        kind: "x.test".into(),
        audience: vec!["VR02".into()],
        payload: payload.to_vec(),
        ..Draft::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_key_is_announced_and_the_old_key_cannot_add_entries() {
    let mut t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    t.fed.node(vr(1)).engine.publish(draft(b"one")).await.unwrap();
    t.fed.node(vr(1)).engine.publish(draft(b"two")).await.unwrap();

    // VR01 gets a renewed certificate and key, and starts again with them.
    let renewed = t.fed.ca().issue_node(vr(1)).unwrap();
    let (old_cert, old_key) = t
        .fed
        .set_node_key(vr(1), renewed.cert_pem.clone(), renewed.key_pem.clone());
    let old = Signer::from_pem(&old_cert, &old_key).unwrap();
    let new = Signer::from_pem(&renewed.cert_pem, &renewed.key_pem).unwrap();
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.unwrap();
    let vr01 = t.fed.node(vr(1)).engine.clone();
    let three = vr01.publish(draft(b"three")).await.unwrap();
    assert_eq!(three.seq, 4, "the key transition took seq 3");

    // The transition is in VR01's log, sealed by the new key, naming the old one and seq 2.
    let held = vr01.list(Some(vr(1)), None, 2, 1, None).await.unwrap();
    assert_eq!(held[0].envelope.kind, KEY_TRANSITION);
    assert_eq!(held[0].key_id, new.key_id().0.to_vec());
    let t3 = KeyTransition::decode(&held[0].envelope.payload).unwrap();
    assert_eq!((t3.previous_key_id, t3.previous_last_seq), (old.key_id().0, 2));

    // NL and VR02 hold all four: the old key's genuine entries and the new ones.
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds VR01/4"), WAIT, || async {
            t.holds(node, vr(1), 4).await
        })
        .await;
        let spans = t.fed.node(node).engine.key_spans(vr(1));
        assert_eq!(
            spans.into_iter().collect::<Vec<_>>(),
            [(1, old.key_id().0), (3, new.key_id().0)],
            "{node}"
        );
    }

    // The stolen old key seals seq 5, dated inside its validity, and a relay hands it to NL.
    let nl = t.fed.node(NodeId::NL).engine.clone();
    let created = nl.now_ms() - 60_000;
    let body = EntryBody {
        id: "VR01-5".into(),
        origin: "VR01".into(),
        seq: 5,
        kind: "x.test".into(),
        created_unix_ms: created,
        status: Status::Test as i32,
        audience: vec!["VR01".into(), "NL".into(), "VR02".into()],
        payload: b"forged with the old key".to_vec(),
        ..Default::default()
    };
    let forged = old.seal_all(created, vec![Entry::from_envelope(Envelope::check(body).unwrap())]);
    let err = nl
        .receive(vr(1), SyncItem::Batch(forged.iter().map(|c| c.to_pb()).collect()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("since seq 3 VR01 seals with key"), "{err}");
    assert!(!t.holds(NodeId::NL, vr(1), 5).await, "NL stored the forged entry");

    // Putting the old key back: the node refuses to seal with it again.
    drop((vr01, nl));
    t.fed.set_node_key(vr(1), old_cert, old_key);
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.unwrap();
    let err = t
        .fed
        .node(vr(1))
        .engine
        .publish(draft(b"four"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("was replaced since; it never seals again"), "{err}");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_publishes_a_key_transition_by_hand() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let mut d = draft(b"");
    d.kind = KEY_TRANSITION.into();
    let err = t.fed.node(vr(1)).engine.publish(d).await.unwrap_err().to_string();
    assert!(err.contains("is the engine's own kind"), "{err}");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rotated_while_running_keeps_streams_and_old_seals() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let first = t.fed.node(vr(1)).engine.publish(draft(b"old key")).await.unwrap();
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds VR01/1"), WAIT, || async {
            t.holds(node, vr(1), first.seq).await
        })
        .await;
    }
    let renewed = t.fed.ca().issue_node(vr(1)).unwrap();
    assert!(t
        .fed
        .node(vr(1))
        .rotate(&renewed.cert_pem, &renewed.key_pem)
        .await
        .unwrap());
    assert!(
        !t.fed
            .node(vr(1))
            .rotate(&renewed.cert_pem, &renewed.key_pem)
            .await
            .unwrap(),
        "the same pair again changes nothing"
    );
    // Another node's certificate, or a key that does not belong to the certificate, changes
    // nothing either.
    let other = t.fed.ca().issue_node(vr(2)).unwrap();
    assert!(t.fed.node(vr(1)).rotate(&other.cert_pem, &other.key_pem).await.is_err());
    assert!(t
        .fed
        .node(vr(1))
        .rotate(&renewed.cert_pem, &other.key_pem)
        .await
        .is_err());

    let second = t.fed.node(vr(1)).engine.publish(draft(b"new key")).await.unwrap();
    assert_eq!(second.seq, 3, "a key transition at seq 2");
    for node in [NodeId::NL, vr(2)] {
        eventually(
            &format!("{node} holds VR01/3 over the running stream"),
            WAIT,
            || async { t.holds(node, vr(1), second.seq).await },
        )
        .await;
    }
    let new_key = Signer::from_pem(&renewed.cert_pem, &renewed.key_pem)
        .unwrap()
        .key_id()
        .0;
    let at_nl = t
        .fed
        .node(NodeId::NL)
        .engine
        .list(Some(vr(1)), None, 0, 10, None)
        .await
        .unwrap();
    assert_eq!(at_nl.len(), 3);
    assert_ne!(at_nl[0].key_id, new_key.to_vec(), "the old seal stays as it was");
    assert!(at_nl[1..].iter().all(|e| e.key_id == new_key.to_vec()));
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_restored_from_before_its_key_changed_seals_with_the_new_key_and_reuses_no_seq() {
    use regiosync_node::pb::BackupRequest;
    use regiosync_trust::Identity;
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    t.fed.node(vr(1)).engine.publish(draft(b"one")).await.unwrap();
    let mut c = t.person_client(vr(1), Identity::operator(vr(1), "beheer")).await;
    let backup = c.backup(BackupRequest {}).await.expect("backup").into_inner();
    drop(c);

    // The key changes after the backup: a transition and one more entry reach NL.
    let renewed = t.fed.ca().issue_node(vr(1)).unwrap();
    let new_key = Signer::from_pem(&renewed.cert_pem, &renewed.key_pem)
        .unwrap()
        .key_id()
        .0;
    t.fed.set_node_key(vr(1), renewed.cert_pem, renewed.key_pem);
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.unwrap();
    let two = t.fed.node(vr(1)).engine.publish(draft(b"two")).await.unwrap();
    assert_eq!(two.seq, 3);
    eventually("NL holds VR01/3", WAIT, || async {
        t.holds(NodeId::NL, vr(1), 3).await
    })
    .await;

    // VR01's folder is restored from the backup, which knows only the old key and seq 1.
    t.fed.stop(vr(1)).await;
    let config = t.fed.config(vr(1)).clone();
    regiosync_node::restore::restore(&config, std::path::Path::new(&backup.path), true, 0).expect("restore");
    t.fed.restart(vr(1)).await.unwrap();
    let three = t
        .fed
        .node(vr(1))
        .engine
        .publish(draft(b"three"))
        .await
        .expect("publish after the restore");
    assert_eq!(
        three.seq, 4,
        "its own log came back first (transition included): no seq reused"
    );
    eventually("NL holds VR01/4", WAIT, || async {
        t.holds(NodeId::NL, vr(1), 4).await
    })
    .await;
    let at_nl = t
        .fed
        .node(NodeId::NL)
        .engine
        .list(Some(vr(1)), None, 0, 10, None)
        .await
        .unwrap();
    let kinds: Vec<&str> = at_nl.iter().map(|e| e.envelope.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["x.test", KEY_TRANSITION, "x.test", "x.test"],
        "one transition, not a second"
    );
    assert_eq!(at_nl[3].key_id, new_key.to_vec(), "sealed with the new key");
    t.shutdown().await;
}
