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
        ("keyCertSign", vec![rcgen::KeyUsagePurpose::DigitalSignature, rcgen::KeyUsagePurpose::KeyCertSign]),
        ("cRLSign", vec![rcgen::KeyUsagePurpose::DigitalSignature, rcgen::KeyUsagePurpose::CrlSign]),
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
    assert!(err.message().contains("VR02 is not a configured peer of VR01"), "{err:?}");
    let err = sync.digest(pb::DigestRequest { have: None }).await.unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");

    // The control: NL, a configured peer, is served.
    let nl = t.fed.config(NodeId::NL);
    let channel = t.channel_as(vr(1), &nl.tls.cert_pem, &nl.tls.key_pem).await.unwrap();
    SyncClient::new(channel)
        .digest(pb::DigestRequest { have: None })
        .await
        .expect("NL is VR01's peer");
    t.shutdown().await;
}
