//! The federation's own trust rules, beyond what a chain to the CA says: only a leaf issued
//! directly by the federation CA speaks for anyone (a certificate the CA issued with `CA:TRUE`
//! mints nothing), and a node replicates only with the peers it is configured with.
use regiosync_node::pb::sync_client::SyncClient;
use regiosync_node::pb::{self, queries_client::QueriesClient};
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use tonic::transport::{Certificate, ClientTlsConfig};
use tonic::Code;

use crate::tls::assert_refused_at_handshake;

fn presenting(t: &TestFed, chain_pem: &str, key_pem: &str) -> ClientTlsConfig {
    regiosync_node::tls::install_crypto_provider();
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(t.fed.ca().cert_pem()))
        .identity(tonic::transport::Identity::from_pem(chain_pem, key_pem))
        .domain_name("127.0.0.1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_the_ca_issued_as_a_ca_mints_no_identities() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    // The CA once issued a CA:TRUE certificate (its own pathlen:0 says it must not): whoever
    // holds it mints a national coordinator and presents the chain.
    let rogue = t.fed.ca().issue_sub_ca("rogue intermediate").unwrap();
    let evil = rogue.issue_person(Identity::coordinator("evil")).unwrap();
    let chain = format!("{}{}", evil.cert_pem, rogue.cert_pem());
    assert_refused_at_handshake(
        &t,
        presenting(&t, &chain, &evil.key_pem),
        "a leaf under a CA:TRUE certificate the CA issued",
        "tls handshake: invalid peer certificate: UnknownIssuer",
    )
    .await;

    // A certificate that may itself sign certificates is never an identity either.
    for (what, usages) in [
        (
            "keyCertSign",
            vec![
                rcgen::KeyUsagePurpose::DigitalSignature,
                rcgen::KeyUsagePurpose::KeyCertSign,
            ],
        ),
        (
            "cRLSign",
            vec![
                rcgen::KeyUsagePurpose::DigitalSignature,
                rcgen::KeyUsagePurpose::CrlSign,
            ],
        ),
    ] {
        let signer = t
            .fed
            .ca()
            .issue_person_with(Identity::coordinator("signer"), |p| p.key_usages = usages)
            .unwrap();
        assert_refused_at_handshake(
            &t,
            presenting(&t, &signer.cert_pem, &signer.key_pem),
            what,
            "is never an identity",
        )
        .await;
    }

    // The control: a coordinator certificate the CA issued directly is answered.
    let coordinator = t.fed.ca().issue_person(Identity::coordinator("lcms")).unwrap();
    let channel = t
        .channel_as(vr(1), &coordinator.cert_pem, &coordinator.key_pem)
        .await
        .unwrap();
    QueriesClient::new(channel)
        .data_quality(pb::DataQualityRequest {})
        .await
        .expect("a coordinator certificate from the CA itself");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replication_is_served_only_to_configured_peers() {
    // VR01 peers with NL only. VR02's genuine node certificate gets nothing from VR01.
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    t.publish(vr(1), &[vr(2)], b"for VR02, through NL").await;
    let vr02 = t.fed.config(vr(2));
    let channel = t
        .channel_as(vr(1), &vr02.tls.cert_pem, &vr02.tls.key_pem)
        .await
        .unwrap();
    let mut sync = SyncClient::new(channel);
    let err = sync
        .subscribe(pb::SubscribeRequest {
            have: Some(pb::VersionVector::default()),
            lacks: Vec::new(),
        })
        .await
        .expect_err("VR02 subscribed at VR01");
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    assert!(
        err.message().contains("VR02 is not a configured peer of VR01"),
        "{err:?}"
    );
    let err = sync.digest(pb::DigestRequest::default()).await.unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");

    // The control: NL, a configured peer, is served.
    let nl = t.fed.config(NodeId::NL);
    let channel = t.channel_as(vr(1), &nl.tls.cert_pem, &nl.tls.key_pem).await.unwrap();
    SyncClient::new(channel)
        .digest(pb::DigestRequest::default())
        .await
        .expect("NL is VR01's peer");
    t.shutdown().await;
}

/// The next whole second after now: a CRL carries revocation times in seconds, so a test that
/// needs everything sealed so far to be older than the revocation revokes as of this.
fn next_second() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap() + time::Duration::seconds(1)
}

async fn until_past(at: time::OffsetDateTime) {
    regiosync_testkit::eventually(
        "the clock passes the revocation time",
        std::time::Duration::from_secs(5),
        || async { time::OffsetDateTime::now_utc() > at },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_person_certificate_is_refused_at_the_handshake() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let alice = t.fed.ca().issue_person(Identity::operator(vr(1), "alice")).unwrap();
    let bob = t.fed.ca().issue_person(Identity::operator(vr(1), "bob")).unwrap();
    let status = |cert: String, key: String| {
        let t = &t;
        async move {
            let channel = t.channel_as(vr(1), &cert, &key).await.map_err(|e| e.to_string())?;
            regiosync_node::pb::node_api_client::NodeApiClient::new(channel)
                .status(pb::StatusRequest {})
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    };
    status(alice.cert_pem.clone(), alice.key_pem.clone())
        .await
        .expect("alice before");
    t.fed.revoke(&alice.cert_pem, time::OffsetDateTime::now_utc()).unwrap();
    regiosync_testkit::eventually("VR01 takes the new CRL", std::time::Duration::from_secs(10), || {
        let refused = status(alice.cert_pem.clone(), alice.key_pem.clone());
        async move { refused.await.is_err() }
    })
    .await;
    assert_refused_at_handshake(
        &t,
        presenting(&t, &alice.cert_pem, &alice.key_pem),
        "a revoked operator certificate",
        "tls handshake: invalid peer certificate: Revoked",
    )
    .await;
    status(bob.cert_pem.clone(), bob.key_pem.clone())
        .await
        .expect("bob is not revoked");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_node_key_seals_nothing_new_and_its_older_entries_still_replicate() {
    let mut t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    for i in 1..=3 {
        t.publish(vr(2), &[vr(1)], format!("before {i}").as_bytes()).await;
    }
    let nl = t.fed.node(NodeId::NL).engine.clone();
    regiosync_testkit::eventually("NL holds VR02's 3", std::time::Duration::from_secs(30), || async {
        nl.held(vr(2)) >= 3
    })
    .await;
    let at = next_second();
    until_past(at).await;
    let vr02_cert = t.fed.config(vr(2)).tls.cert_pem.clone();
    t.fed.revoke(&vr02_cert, at).unwrap();
    // NL has taken the CRL once VR02's certificate no longer gets through its handshake.
    let vr02_key = t.fed.config(vr(2)).tls.key_pem.clone();
    regiosync_testkit::eventually("NL takes the new CRL", std::time::Duration::from_secs(10), || async {
        match t.channel_as(NodeId::NL, &vr02_cert, &vr02_key).await {
            Err(_) => true,
            Ok(channel) => SyncClient::new(channel)
                .digest(pb::DigestRequest::default())
                .await
                .is_err(),
        }
    })
    .await;
    // VR02's key seals on (its node does not know), but nothing it seals from now on counts.
    let refused_before = nl.entries_rejected();
    t.publish(vr(2), &[vr(1)], b"after the revocation").await;
    regiosync_testkit::eventually(
        "NL refuses VR02's new seal",
        std::time::Duration::from_secs(30),
        || async { nl.entries_rejected() > refused_before },
    )
    .await;
    assert_eq!(nl.held(vr(2)), 3, "nothing sealed after the revocation is stored");
    assert_eq!(t.fed.node(vr(1)).engine.held(vr(2)), 3, "nor reaches VR01 through NL");

    // A fresh node still gets VR02's genuine older entries, through NL (VR02 itself is shut
    // out both ways now: no node connects to its revoked certificate either).
    t.fed.stop(vr(1)).await;
    std::fs::remove_dir_all(&t.fed.config(vr(1)).data_dir).unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    let fresh = t.fed.node(vr(1)).engine.clone();
    regiosync_testkit::eventually(
        "a fresh VR01 holds VR02's older entries",
        std::time::Duration::from_secs(30),
        || async { fresh.held(vr(2)) >= 3 },
    )
    .await;
    assert_eq!(fresh.digest(vr(2), None).await.unwrap().0, 3);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_does_not_connect_to_a_peer_whose_certificate_is_revoked() {
    use regiosync_node::config::{NodeConfig, Peer, TlsMaterial};
    use regiosync_node::revocation::CrlSource;
    regiosync_testkit::init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let ca = regiosync_trust::DevCa::generate("client-side revocation").unwrap();
    let material = |id: NodeId, crl: Option<CrlSource>| {
        let issued = ca.issue_node(id).unwrap();
        TlsMaterial {
            ca_pem: ca.cert_pem().into(),
            intermediates_pem: String::new(),
            cert_pem: issued.cert_pem,
            key_pem: issued.key_pem,
            crl,
            files: None,
        }
    };
    // A peer presenting NL's genuine certificate, which the CRL VR03 reads has revoked.
    let nl = material(NodeId::NL, None);
    let serial = regiosync_trust::revocation::serial_of(nl.cert_pem.as_bytes()).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let crl = dir.path().join("crl.pem");
    std::fs::write(
        &crl,
        ca.crl(&[(serial, now - time::Duration::minutes(1))], now).unwrap(),
    )
    .unwrap();
    let relay = regiosync_testkit::fake_peer::FakePeer::start(&nl).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let source = CrlSource {
        path: crl,
        check: std::time::Duration::from_secs(3600),
    };
    let config = NodeConfig {
        connections: Default::default(),
        audit: Default::default(),
        metrics: None,
        node: vr(3),
        members: regiosync_types::Federation::shipped(),
        listen: listener.local_addr().unwrap(),
        data_dir: dir.path().join("vr03"),
        tls: material(vr(3), Some(source)),
        peers: vec![Peer {
            id: NodeId::NL,
            address: relay.url(),
        }],
        engine: regiosync_testkit::fast_engine(),
        cache_bytes: 4 * 1024 * 1024,
        reserve: Default::default(),
        expiring_soon_days: regiosync_node::config::DEFAULT_EXPIRING_SOON_DAYS,
    };
    let node = regiosync_node::start_with_listener(config, listener).await.unwrap();
    regiosync_testkit::eventually(
        "VR03 refuses the peer's revoked certificate",
        std::time::Duration::from_secs(20),
        || async {
            let s = node.engine.status().await.unwrap();
            s.peers
                .iter()
                .any(|p| p.last_error.as_deref().is_some_and(|e| e.contains("Revoked")))
        },
    )
    .await;
    node.shutdown().await;
    relay.shutdown().await;
}
