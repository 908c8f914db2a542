//! Government-PKI chains: root → domain CA → issuing CA → leaf. Chains pass only through the
//! intermediates a node is configured with (never what a peer sends), path lengths are
//! enforced, and a member pinned to its issuing CA in the federation file is spoken for only by
//! certificates that CA issued: at the handshake and when admitting a node's signing key.
use std::time::Duration;

use regiosync_node::config::{NodeConfig, Peer, TlsMaterial};
use regiosync_testkit::{eventually, fast_engine, vr};
use regiosync_trust::{DevCa, Identity, Verifier};
use regiosync_types::{Federation, Member, NodeId};
use rustls_pki_types::UnixTime;
use sha2::{Digest, Sha256};

struct Pki {
    root: DevCa,
    domain: DevCa,
    issuing: DevCa,
}

fn pki() -> Pki {
    let root = DevCa::generate("Staat der Nederlanden Root").unwrap();
    let domain = root.issue_sub_ca_with("Domein Organisatie", Some(1)).unwrap();
    let issuing = domain
        .issue_sub_ca_with("Uitgevende CA Veiligheidsregio's", Some(0))
        .unwrap();
    Pki { root, domain, issuing }
}

impl Pki {
    fn intermediates(&self) -> String {
        format!("{}{}", self.domain.cert_pem(), self.issuing.cert_pem())
    }
}

fn der(pem: &str) -> Vec<u8> {
    regiosync_trust::certs_from_pem(pem).unwrap().remove(0)
}

fn fingerprint(pem: &str) -> [u8; 32] {
    Sha256::digest(der(pem)).into()
}

/// The shipped federation with VR01 pinned to `issuer`.
fn pinned(issuer: [u8; 32]) -> Federation {
    let fed = Federation::shipped();
    let mut vr01: Member = fed.member(vr(1)).unwrap().clone();
    vr01.issuers = vec![issuer];
    fed.with(vec![vr01]).unwrap()
}

fn now() -> UnixTime {
    UnixTime::now()
}

#[test]
fn a_chain_passes_only_through_configured_intermediates_within_their_path_lengths() {
    let p = pki();
    let leaf = p.issuing.issue_node(vr(1)).unwrap();
    let bare = Verifier::from_ca_pem(p.root.cert_pem()).unwrap();
    let err = bare.admit(&der(&leaf.cert_pem)).unwrap_err().to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
    let configured = Verifier::from_ca_pem(p.root.cert_pem())
        .unwrap()
        .with_intermediates(&p.intermediates())
        .unwrap();
    assert_eq!(configured.admit(&der(&leaf.cert_pem)).unwrap().1, vr(1));

    // The issuing CA may issue leaves only (pathlen 0): a CA under it mints nothing.
    let rogue = p.issuing.issue_sub_ca("rogue").unwrap();
    let minted = rogue.issue_node(vr(2)).unwrap();
    let with_rogue = Verifier::from_ca_pem(p.root.cert_pem())
        .unwrap()
        .with_intermediates(&format!("{}{}", p.intermediates(), rogue.cert_pem()))
        .unwrap();
    let err = with_rogue.admit(&der(&minted.cert_pem)).unwrap_err().to_string();
    assert!(err.contains("PathLenConstraintViolated"), "{err}");

    // A leaf is never an intermediate.
    let err = Verifier::from_ca_pem(p.root.cert_pem())
        .unwrap()
        .with_intermediates(&leaf.cert_pem)
        .err()
        .expect("a leaf refused as an intermediate")
        .to_string();
    assert!(err.contains("is not a CA certificate"), "{err}");
}

#[test]
fn a_pinned_member_is_spoken_for_only_by_its_issuing_ca() {
    let p = pki();
    let verifier = Verifier::from_ca_pem(p.root.cert_pem())
        .unwrap()
        .with_intermediates(&p.intermediates())
        .unwrap()
        .with_members(pinned(fingerprint(p.issuing.cert_pem())));
    let from_issuing = p.issuing.issue_node(vr(1)).unwrap();
    verifier.admit(&der(&from_issuing.cert_pem)).unwrap();
    verifier.check_pin(&der(&from_issuing.cert_pem), now()).unwrap();

    // The root itself is trusted, but not for VR01: the federation file pins VR01.
    let from_root = p.root.issue_node(vr(1)).unwrap();
    let err = verifier.admit(&der(&from_root.cert_pem)).unwrap_err().to_string();
    assert!(err.contains("does not list among VR01's issuers"), "{err}");
    let person = p.root.issue_person(Identity::operator(vr(1), "mallory")).unwrap();
    assert!(verifier.check_pin(&der(&person.cert_pem), now()).is_err());
    // Members without a pin keep every trusted issuer.
    let vr02 = p.root.issue_node(vr(2)).unwrap();
    verifier.admit(&der(&vr02.cert_pem)).unwrap();
}

fn material(cert: regiosync_trust::Issued, chain: &str, p: &Pki) -> TlsMaterial {
    TlsMaterial {
        ca_pem: p.root.cert_pem().into(),
        intermediates_pem: p.intermediates(),
        cert_pem: format!("{}{chain}", cert.cert_pem),
        key_pem: cert.key_pem,
        crl: None,
        files: None,
    }
}

fn config(
    node: NodeId,
    tls: TlsMaterial,
    members: Federation,
    dir: &std::path::Path,
    listen: std::net::SocketAddr,
    peers: Vec<Peer>,
) -> NodeConfig {
    NodeConfig {
        connections: Default::default(),
        audit: Default::default(),
        metrics: None,
        node,
        members,
        listen,
        data_dir: dir.join(node.to_string()),
        tls,
        peers,
        engine: fast_engine(),
        cache_bytes: 4 * 1024 * 1024,
        reserve: Default::default(),
        expiring_soon_days: regiosync_node::config::DEFAULT_EXPIRING_SOON_DAYS,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_with_government_chains_replicate_and_a_pin_refuses_the_wrong_issuer() {
    regiosync_testkit::init_tracing();
    let p = pki();
    let dir = tempfile::tempdir().unwrap();
    let members = pinned(fingerprint(p.issuing.cert_pem()));
    let chain = format!("{}{}", p.issuing.cert_pem(), p.domain.cert_pem());
    let (nl_l, vr01_l) = (
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
        tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
    );
    let (nl_addr, vr01_addr) = (nl_l.local_addr().unwrap(), vr01_l.local_addr().unwrap());
    let peer = |id, addr: std::net::SocketAddr| Peer {
        id,
        address: format!("https://{addr}"),
    };
    // NL's certificate comes from the root directly, VR01's from the issuing CA (full chain).
    let nl_tls = material(p.root.issue_node(NodeId::NL).unwrap(), "", &p);
    let vr01_tls = material(p.issuing.issue_node(vr(1)).unwrap(), &chain, &p);
    let nl = regiosync_node::start_with_listener(
        config(
            NodeId::NL,
            nl_tls,
            members.clone(),
            dir.path(),
            nl_addr,
            vec![peer(vr(1), vr01_addr)],
        ),
        nl_l,
    )
    .await
    .expect("start NL");
    let vr01 = regiosync_node::start_with_listener(
        config(
            vr(1),
            vr01_tls,
            members.clone(),
            dir.path(),
            vr01_addr,
            vec![peer(NodeId::NL, nl_addr)],
        ),
        vr01_l,
    )
    .await
    .expect("start VR01");
    let published = vr01
        .engine
        .publish(regiosync_replication::Draft {
            kind: "x.test".into(),
            payload: b"sealed with a key from the issuing CA".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap();
    eventually("NL holds VR01's entry", Duration::from_secs(20), || async {
        nl.engine.held(vr(1)) >= published.seq
    })
    .await;

    // A person of VR01 from the issuing CA is let in; one the root issued directly is not.
    let good = p.issuing.issue_person(Identity::operator(vr(1), "jansen")).unwrap();
    let bad = p.root.issue_person(Identity::operator(vr(1), "mallory")).unwrap();
    let status = |person: regiosync_trust::Issued, chain: String| {
        let url = format!("https://{nl_addr}");
        let ca = p.root.cert_pem().to_string();
        async move {
            let tls = regiosync_node::tls::client_tls(
                &ca,
                &format!("{}{chain}", person.cert_pem),
                &person.key_pem,
                NodeId::NL,
            );
            let channel = tonic::transport::Channel::from_shared(url)
                .unwrap()
                .tls_config(tls)
                .unwrap()
                .connect()
                .await?;
            // Past the handshake, NL answers: VR01's operator may not see NL's status (it is
            // not their node), and NL says so, which a refused handshake never gets to.
            match regiosync_node::pb::node_api_client::NodeApiClient::new(channel)
                .status(regiosync_node::pb::StatusRequest {})
                .await
            {
                Err(e) if e.code() == tonic::Code::PermissionDenied && e.message().contains("own node only") => Ok(()),
                Ok(_) => Err("NL showed its status to another region's operator".into()),
                Err(e) => Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
            }
        }
    };
    status(good, chain.clone())
        .await
        .expect("VR01's person from the issuing CA");
    assert!(
        status(bad, String::new()).await.is_err(),
        "a VR01 person from the root is refused"
    );
    vr01.shutdown().await;
    nl.shutdown().await;
}
