//! Access control at the edge: no client certificate or one from another CA is refused at the
//! TLS handshake; a person publishes only through their own region's node; nodes cannot
//! publish and people cannot replicate.
use std::time::Duration;

use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::sync_client::SyncClient;
use regiosync_node::pb::{self, PublishRequest};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::{DevCa, Identity};
use regiosync_types::NodeId;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic::Code;

fn publish_request(text: &str) -> PublishRequest {
    PublishRequest {
        kind: "x.test".into(),
        status: pb::Status::Test as i32,
        payload: text.as_bytes().to_vec(),
        ..Default::default()
    }
}

/// A node's own log and what it holds, to show a refused publish changed nothing. (Its cursors
/// for other origins may move meanwhile: replication goes on.)
async fn snapshot(t: &TestFed, node: NodeId) -> (u64, u64, (u64, [u8; 32])) {
    let engine = &t.fed.node(node).engine;
    (
        engine.version_vector().get(node),
        engine.status().await.unwrap().entries_held,
        engine.digest(node, None).await.unwrap(),
    )
}

fn audit_log(t: &TestFed, node: NodeId) -> String {
    std::fs::read_to_string(t.fed.config(node).data_dir.join("audit.log")).unwrap_or_default()
}

/// Connect and call `Status`: the handshake is refused, so either connecting or the first
/// request fails, and it fails in the transport (no service ever answered).
pub(crate) async fn assert_refused_at_handshake(t: &TestFed, tls: ClientTlsConfig, what: &str, audit_detail: &str) {
    let node = vr(1);
    let refusals_before = audit_log(t, node).matches(audit_detail).count();
    let connected = Endpoint::from_shared(t.fed.node(node).url())
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await;
    match connected {
        Err(e) => println!("{what}: connect failed: {e:?}"),
        Ok(channel) => {
            let status = NodeApiClient::new(channel)
                .status(pb::StatusRequest {})
                .await
                .expect_err(&format!("{what}: a request succeeded"));
            println!(
                "{what}: first request failed: {:?}: {}",
                status.code(),
                status.message()
            );
            // Refused by the transport (the code varies with the race between the server's
            // alert and the client's request: Unknown or Cancelled), never by a service.
            let from_transport = std::error::Error::source(&status)
                .is_some_and(|e| e.downcast_ref::<tonic::transport::Error>().is_some());
            assert!(from_transport, "{what}: expected a transport failure, got {status:?}");
            assert!(
                matches!(status.code(), Code::Unknown | Code::Cancelled | Code::Unavailable),
                "{what}: {status:?}"
            );
        }
    }
    eventually(
        &format!("{what}: the refusal is audited"),
        Duration::from_secs(10),
        || async { audit_log(t, node).matches(audit_detail).count() > refusals_before },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_refuses_clients_without_a_federation_certificate() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    regiosync_node::tls::install_crypto_provider();
    let ca = Certificate::from_pem(t.fed.ca().cert_pem());

    // No client certificate at all.
    let anonymous = ClientTlsConfig::new()
        .ca_certificate(ca.clone())
        .domain_name("127.0.0.1");
    assert_refused_at_handshake(
        &t,
        anonymous,
        "no client certificate",
        "tls handshake: peer sent no certificates",
    )
    .await;

    // A well-formed operator certificate of VR01, but from another CA.
    let other = DevCa::generate("another federation").unwrap();
    let stranger = other.issue_person(Identity::operator(vr(1), "mallory")).unwrap();
    let foreign = ClientTlsConfig::new()
        .ca_certificate(ca.clone())
        .identity(tonic::transport::Identity::from_pem(
            &stranger.cert_pem,
            &stranger.key_pem,
        ))
        .domain_name("127.0.0.1");
    assert_refused_at_handshake(
        &t,
        foreign,
        "certificate from another CA",
        "tls handshake: invalid peer certificate: UnknownIssuer",
    )
    .await;

    // A node certificate from another CA (same node name) fares no better.
    let impostor = other.issue_node(vr(2)).unwrap();
    let foreign_node = ClientTlsConfig::new()
        .ca_certificate(ca.clone())
        .identity(tonic::transport::Identity::from_pem(
            &impostor.cert_pem,
            &impostor.key_pem,
        ))
        .domain_name("127.0.0.1");
    assert_refused_at_handshake(
        &t,
        foreign_node,
        "node certificate from another CA",
        "tls handshake: invalid peer certificate: UnknownIssuer",
    )
    .await;

    // The control: the same client set-up with a certificate of this federation gets in.
    let insider = t.fed.ca().issue_person(Identity::operator(vr(1), "alice")).unwrap();
    let ok = ClientTlsConfig::new()
        .ca_certificate(ca)
        .identity(tonic::transport::Identity::from_pem(
            &insider.cert_pem,
            &insider.key_pem,
        ))
        .domain_name("127.0.0.1");
    let channel = Endpoint::from_shared(t.fed.node(vr(1)).url())
        .unwrap()
        .tls_config(ok)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let status = NodeApiClient::new(channel)
        .status(pb::StatusRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.node, "VR01");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_publish_only_through_their_own_node_and_nodes_never_publish() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;

    // An operator of VR02 at VR01's node: refused, nothing stored.
    let before = snapshot(&t, vr(1)).await;
    let mut at_vr01 = t.person_client(vr(1), Identity::operator(vr(2), "x")).await;
    let err = at_vr01
        .publish(publish_request("wrong node"))
        .await
        .expect_err("VR02's operator published at VR01");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    assert!(err.message().contains("VR02"), "{err:?}");
    assert_eq!(
        snapshot(&t, vr(1)).await,
        before,
        "VR01 changed after a refused publish"
    );

    // The same operator at VR02's own node: accepted.
    let mut at_vr02 = t.person_client(vr(2), Identity::operator(vr(2), "x")).await;
    let published = at_vr02
        .publish(publish_request("right node"))
        .await
        .expect("publish at own node")
        .into_inner();
    assert_eq!((published.origin.as_str(), published.seq), ("VR02", 1));
    assert!(t.holds(vr(2), vr(2), 1).await);

    // A national coordinator publishes through NL only.
    let mut coord_at_vr01 = t.person_client(vr(1), Identity::coordinator("lcms")).await;
    let err = coord_at_vr01
        .publish(publish_request("coordinator at a region"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let mut coord_at_nl = t.person_client(NodeId::NL, Identity::coordinator("lcms")).await;
    let p = coord_at_nl
        .publish(publish_request("coordinator at NL"))
        .await
        .expect("coordinator at NL")
        .into_inner();
    assert_eq!(p.origin, "NL");

    // A node certificate calling Publish (VR01's own, and a peer's): refused.
    for (caller, cfg) in [(vr(1), t.fed.config(vr(1))), (vr(2), t.fed.config(vr(2)))] {
        let channel = t.channel_as(vr(1), &cfg.tls.cert_pem, &cfg.tls.key_pem).await.unwrap();
        let err = NodeApiClient::new(channel)
            .publish(publish_request("node publishing"))
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Code::PermissionDenied,
            "{caller}'s node certificate: {err:?}"
        );
    }
    assert_eq!(
        snapshot(&t, vr(1)).await,
        before,
        "VR01 changed after refused publishes"
    );

    // A person calling the replication service: refused, whether subscribing or digesting.
    let channel = t.person_channel(vr(1), Identity::operator(vr(1), "alice")).await;
    let mut sync = SyncClient::new(channel);
    let err = sync
        .subscribe(pb::SubscribeRequest {
            have: Some(pb::VersionVector::default()),
            lacks: Vec::new(),
        })
        .await
        .expect_err("a person subscribed to Sync");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    assert!(err.message().contains("not a node"), "{err:?}");
    let err = sync.digest(pb::DigestRequest::default()).await.unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    t.shutdown().await;
}
