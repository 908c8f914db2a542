//! SIGHUP on a running `regiosync node` process, as logrotate sends it: the node survives and
//! answers, `audit.log` moved away comes back as a new file with mode 0600 whose first line
//! continues the chain of the moved file, and `regiosync audit verify` passes over both.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use regiosync_node::audit::Line;
use regiosync_testkit::{eventually, vr};
use regiosync_types::NodeId;

use crate::nodes::Nodes;

fn lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reopens_the_audit_file_and_the_chain_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = Nodes::start_with(dir.path(), &[NodeId::NL, vr(1)], &[]).await;
    let url = nodes.url(vr(1));
    let me = ["--node", url.as_str(), "--pki", "pki", "--as", "operator-vr01"];
    let status = |nodes: &Nodes| {
        let out = nodes.cli(&[&["status"], &me[..]].concat());
        assert!(out.status.success(), "status: {}", String::from_utf8_lossy(&out.stderr));
    };
    status(&nodes);

    let data = dir.path().join("data/vr01");
    let (log, rotated) = (data.join("audit.log"), data.join("audit.log.1"));
    std::fs::rename(&log, &rotated).unwrap();
    nodes.hangup(vr(1));
    eventually("VR01 reopens audit.log", Duration::from_secs(10), || {
        let back = log.exists();
        async move { back }
    })
    .await;
    assert!(
        nodes.alive(vr(1)),
        "SIGHUP killed the node:\n{}",
        nodes.log_tail(vr(1), 20)
    );
    status(&nodes);
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the reopened audit.log");
    let old_last = lines(&rotated).pop().unwrap();
    let first = Line::parse(&lines(&log)[0]).unwrap();
    assert_eq!(first.event, "reopen");
    assert_eq!(first.prev, Line::hash(&old_last), "the new file continues the chain");
    assert_eq!(first.seq, Line::parse(&old_last).unwrap().seq + 1);

    // A second SIGHUP without a rotation: the same file goes on.
    nodes.hangup(vr(1));
    eventually("VR01 reopens audit.log again", Duration::from_secs(10), || {
        let reopened = lines(&log)
            .iter()
            .filter(|l| Line::parse(l).unwrap().event == "reopen")
            .count();
        async move { reopened == 2 }
    })
    .await;
    assert!(nodes.alive(vr(1)), "the second SIGHUP killed the node");
    status(&nodes);

    let files = [rotated.display().to_string(), log.display().to_string()];
    let out = nodes.cli(&[&["audit", "verify", &files[0], &files[1], "--json"], &me[..]].concat());
    assert!(
        out.status.success(),
        "audit verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["anchors"].is_object(), "the anchors were fetched: {report}");

    // An altered line in the old file fails the check, naming file and line.
    let mut old = lines(&rotated);
    let s = String::from_utf8(old[0].clone())
        .unwrap()
        .replace("\"ok\":true", "\"ok\":false");
    old[0] = s.into_bytes();
    let mut bytes = old.join(&b'\n');
    bytes.push(b'\n');
    std::fs::write(&rotated, bytes).unwrap();
    let out = nodes.cli(&["audit", "verify", &files[0], &files[1]]);
    assert!(!out.status.success(), "an altered line passed");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("{}:1 (seq 1): altered", files[0])), "{said}");
    let out = nodes.cli(&["audit", "verify", &files[0], &files[1], "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"][0]["line"], 1, "{report}");
}
