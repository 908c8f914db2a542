//! Revoking a person's certificate on a running federation, as an operator would, with real
//! processes: `regiosync pki revoke` writes the dev CA's CRL again, SIGHUP makes VR01 read it
//! at once (its own check interval is an hour here), and from then on that certificate is
//! refused at VR01's handshake while others still get in, and VR01 keeps running.
use std::time::Duration;

use regiosync_testkit::{eventually, vr};
use regiosync_types::NodeId;

use crate::nodes::Nodes;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pki_revoke_and_sighup_shut_a_certificate_out_of_a_running_node() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = Nodes::start_with(dir.path(), &[NodeId::NL, vr(1)], &[]).await;
    let status = |nodes: &Nodes, who: &str| {
        let url = nodes.url(vr(1));
        nodes
            .cli(&["status", "--node", &url, "--pki", "pki", "--as", who])
            .status
            .success()
    };
    assert!(
        status(&nodes, "operator-vr01"),
        "VR01's operator reads its status before"
    );

    let out = nodes.cli(&[
        "pki",
        "revoke",
        "--dir",
        "pki",
        "--cert",
        "pki/people/operator-vr01.pem",
    ]);
    assert!(
        out.status.success(),
        "pki revoke: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("lists 1 certificate"), "{said}");
    let again = nodes.cli(&[
        "pki",
        "revoke",
        "--dir",
        "pki",
        "--cert",
        "pki/people/operator-vr01.pem",
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already revoked"));

    // SIGHUP: read the CRL now. It does not stop the node.
    nodes.hangup(vr(1));
    eventually("VR01 refuses the revoked certificate", Duration::from_secs(10), || {
        let refused = !status(&nodes, "operator-vr01");
        async move { refused }
    })
    .await;
    assert!(
        nodes.alive(vr(1)),
        "SIGHUP stopped the node:\n{}",
        nodes.log_tail(vr(1), 20)
    );
    assert!(status(&nodes, "coordinator"), "a certificate not revoked still gets in");
    let log = nodes.log(vr(1));
    assert!(
        log.contains("certificate revocation lists in force"),
        "{}",
        nodes.log_tail(vr(1), 20)
    );
    let audit = std::fs::read_to_string(dir.path().join("data/vr01/audit.log")).unwrap();
    assert!(
        audit.contains("invalid peer certificate: Revoked"),
        "the refusal is audited"
    );
}
