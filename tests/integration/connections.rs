//! Connections a node keeps open are bounded: one that completes the TLS handshake and then
//! sends nothing is closed after the idle time, one identity holds at most so many at once,
//! and so does the node in all (handshakes included). Each refusal is in the audit log.
use std::time::Duration;

use regiosync_node::config::ConnectionLimits;
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::StatusRequest;
use regiosync_node::tls::{peer_client_config, FederationServers};
use regiosync_node::TlsMaterial;
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use rustls_pki_types::ServerName;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

const WAIT: Duration = Duration::from_secs(15);

fn audit_log(t: &TestFed, node: NodeId) -> String {
    std::fs::read_to_string(t.fed.config(node).data_dir.join("audit.log")).unwrap_or_default()
}

/// Read until the node closes the stream (end of file or an error), or `within` passes.
async fn closed_within<S: tokio::io::AsyncRead + Unpin>(s: &mut S, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_closed_and_open_ones_are_bounded() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    t.fed.stop(vr(1)).await;
    t.fed.config_mut(vr(1)).connections = ConnectionLimits {
        idle: Duration::from_secs(1),
        max_total: 8,
        max_per_identity: 3,
    };
    t.fed.restart(vr(1)).await.unwrap();
    let addr = t.fed.config(vr(1)).listen;

    // A person completes the handshake and then sends nothing: closed after the idle second.
    let person = t.fed.ca().issue_person(Identity::operator(vr(1), "stil")).unwrap();
    let material = TlsMaterial {
        ca_pem: t.fed.ca().cert_pem().into(),
        intermediates_pem: String::new(),
        cert_pem: person.cert_pem.clone(),
        key_pem: person.key_pem.clone(),
        crl: None,
        files: None,
    };
    let servers = FederationServers::for_material(&material).unwrap();
    let connector = TlsConnector::from(peer_client_config(&material, servers).unwrap());
    let name = ServerName::try_from("VR01.regiosync").unwrap();
    let tcp = TcpStream::connect(addr).await.unwrap();
    let mut silent = connector.connect(name.clone(), tcp).await.expect("handshake");
    assert!(
        closed_within(&mut silent, Duration::from_secs(10)).await,
        "a silent connection was still open after 10 s"
    );
    eventually("the idle close is audited", WAIT, || async {
        audit_log(&t, vr(1)).contains("idle: nothing received for 1 s")
    })
    .await;

    // Live connections of one identity answer keepalive pings and stay open past the idle
    // time; a fourth is refused after its handshake.
    let ops = t.fed.ca().issue_person(Identity::operator(vr(1), "drie")).unwrap();
    let mut open = Vec::new();
    for _ in 0..3 {
        let c = t.channel_as(vr(1), &ops.cert_pem, &ops.key_pem).await.expect("connect");
        NodeApiClient::new(c.clone())
            .status(StatusRequest {})
            .await
            .expect("status");
        open.push(c);
    }
    tokio::time::sleep(Duration::from_millis(2500)).await; // past the idle time, on purpose
    for c in &open {
        NodeApiClient::new(c.clone())
            .status(StatusRequest {})
            .await
            .expect("a live connection outlives the idle time");
    }
    let fourth = match t.channel_as(vr(1), &ops.cert_pem, &ops.key_pem).await {
        Ok(c) => NodeApiClient::new(c).status(StatusRequest {}).await.is_ok(),
        Err(_) => false,
    };
    assert!(!fourth, "a fourth connection of one identity was served");
    assert!(
        audit_log(&t, vr(1)).contains("connection limit: 3 open for "),
        "audited"
    );
    // Another identity is not held up by it.
    let other = t.person_channel(vr(1), Identity::coordinator("ander")).await;
    NodeApiClient::new(other)
        .status(StatusRequest {})
        .await
        .expect("another identity");

    // In all: plain TCP connections count from the accept; past eight the next is closed at
    // once, before any handshake.
    let mut raw = Vec::new();
    let mut refused = false;
    for _ in 0..9 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        if closed_within(&mut s, Duration::from_millis(300)).await {
            refused = true;
            break;
        }
        raw.push(s);
    }
    assert!(refused, "nine connections open at a node that allows eight");
    assert!(audit_log(&t, vr(1)).contains("connection limit: 8 open"), "audited");
    drop((raw, open, silent));
    t.shutdown().await;
}
