//! Renewing a node's certificate and key on a running federation, as an operator would, with
//! real processes: `regiosync pki renew` replaces VR01's files, SIGHUP makes VR01 take them
//! without a restart, the next entry VR01 writes follows a key transition and is sealed by the
//! new key, NL holds both, and new handshakes see the renewed certificate.
use std::time::Duration;

use regiosync_testkit::{eventually, vr};
use regiosync_types::NodeId;

use crate::nodes::Nodes;

/// SHA-256 fingerprint of the first certificate in `pem`, as `openssl x509 -fingerprint` says it.
fn fingerprint(pem: &[u8]) -> String {
    let mut child = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl (tests/run.sh installs it)");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(pem).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl x509 read no certificate");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The certificate VR01 presents to a new handshake (openssl s_client as VR01's operator).
fn presented(nodes: &Nodes, dir: &std::path::Path) -> String {
    let port = nodes.url(vr(1)).rsplit(':').next().unwrap().to_string();
    let pki = dir.join("pki");
    let out = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-servername",
            "vr01.regiosync",
        ])
        .arg("-CAfile")
        .arg(pki.join("ca.pem"))
        .arg("-cert")
        .arg(pki.join("people/operator-vr01.pem"))
        .arg("-key")
        .arg(pki.join("people/operator-vr01.key"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("openssl s_client");
    fingerprint(&out.stdout)
}

fn list_vr01_at_nl(nodes: &Nodes) -> Vec<serde_json::Value> {
    let url = nodes.url(NodeId::NL);
    let out = nodes.cli(&[
        "list",
        "--node",
        &url,
        "--pki",
        "pki",
        "--as",
        "coordinator",
        "--json",
        "--origin",
        "VR01",
    ]);
    assert!(out.status.success(), "list: {}", String::from_utf8_lossy(&out.stderr));
    let page: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list --json prints JSON");
    assert_eq!(page["more"], false, "more than one page: {page}");
    page["entries"].as_array().expect("list --json has its entries").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pki_renew_and_sighup_rotate_a_running_nodes_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = Nodes::start_with(dir.path(), &[NodeId::NL, vr(1)], &[]).await;
    let publish = |nodes: &Nodes, text: &str| {
        let url = nodes.url(vr(1));
        let out = nodes.cli(&[
            "publish",
            "--node",
            &url,
            "--pki",
            "pki",
            "--as",
            "operator-vr01",
            "--kind",
            "x.note",
            "--status",
            "test",
            "--payload",
            text,
        ]);
        assert!(
            out.status.success(),
            "publish: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    publish(&nodes, "before the renewal");
    let old_cert = std::fs::read(dir.path().join("pki/nodes/vr01.pem")).unwrap();
    assert_eq!(presented(&nodes, dir.path()), fingerprint(&old_cert));

    let out = nodes.cli(&["pki", "renew", "--dir", "pki", "--node", "VR01"]);
    assert!(
        out.status.success(),
        "pki renew: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new_cert = std::fs::read(dir.path().join("pki/nodes/vr01.pem")).unwrap();
    assert_ne!(fingerprint(&new_cert), fingerprint(&old_cert));
    nodes.hangup(vr(1));
    eventually("VR01 takes the renewed certificate", Duration::from_secs(10), || {
        let taken = nodes.log(vr(1)).contains("renewed certificate and key in use");
        async move { taken }
    })
    .await;
    assert_eq!(
        presented(&nodes, dir.path()),
        fingerprint(&new_cert),
        "new handshakes see the renewed certificate"
    );

    publish(&nodes, "after the renewal");
    let mut entries = Vec::new();
    eventually("NL holds VR01's three entries", Duration::from_secs(20), || {
        entries = list_vr01_at_nl(&nodes);
        let n = entries.len();
        async move { n == 3 }
    })
    .await;
    let kinds: Vec<&str> = entries.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["x.note", "regiosync.key_transition", "x.note"]);
    assert_ne!(
        entries[0]["key_id"], entries[2]["key_id"],
        "the new entry is sealed by the new key"
    );
    assert_eq!(
        entries[1]["key_id"], entries[2]["key_id"],
        "the transition is sealed by the new key"
    );
    assert!(nodes.alive(vr(1)), "SIGHUP stopped the node");
}
