//! The audit trail: every request has exactly one line with its remote address (also those
//! that never reach a handler: malformed, oversized, unknown method) and so does a connection
//! that closes without a request; a read names its id. The chain and its anchors show a
//! deleted, altered, inserted, appended-while-stopped line and a cut-off tail, and an
//! untampered trail passes across a restart and a rotation (`NodeHandle::reload`).
use std::path::{Path, PathBuf};
use std::time::Duration;

use regiosync_node::audit::Line;
use regiosync_node::audit_verify::{verify, Anchor, Problem};
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::{self, GetRequest, ListRequest, PublishRequest, StatusRequest};
use regiosync_node::tls::{peer_client_config, FederationServers};
use regiosync_node::{TlsMaterial, MAX_API_REQUEST};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tonic::transport::Channel;

use crate::bad_input::call_raw;

const WAIT: Duration = Duration::from_secs(20);

fn log_path(t: &TestFed, node: NodeId) -> PathBuf {
    t.fed.config(node).data_dir.join("audit.log")
}

fn lines_of(path: &Path) -> Vec<Line> {
    let text = std::fs::read(path).unwrap_or_default();
    text.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| Line::parse(l).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(l))))
        .collect()
}

/// Request lines of `method` (its last path segment) that match `also`.
fn requests(t: &TestFed, method: &str, also: impl Fn(&Line) -> bool) -> Vec<Line> {
    lines_of(&log_path(t, vr(1)))
        .into_iter()
        .filter(|l| l.event == "request" && l.method.as_deref().is_some_and(|m| m.ends_with(method)) && also(l))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_and_a_request_less_connection_have_exactly_one_line() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let alice = Identity::operator(vr(1), "alice");
    let mut client: NodeApiClient<Channel> = t.person_client(vr(1), alice.clone()).await;
    let channel = t.person_channel(vr(1), alice.clone()).await;

    let published = client
        .publish(PublishRequest {
            kind: "x.test".into(),
            status: pb::Status::Test as i32,
            payload: b"audited".to_vec(),
            ..Default::default()
        })
        .await
        .expect("publish")
        .into_inner();
    client
        .get_entry(GetRequest {
            id: published.id.clone(),
        })
        .await
        .expect("get");
    let bad = |what: &str, r: Result<Vec<u8>, tonic::Status>| match r {
        Ok(_) => panic!("{what} was answered"),
        Err(s) => s,
    };
    let malformed = bad(
        "malformed",
        call_raw(&channel, "/regiosync.v1.NodeApi/GetEntry", vec![0xff; 7]).await,
    );
    let oversized = bad(
        "oversized",
        call_raw(
            &channel,
            "/regiosync.v1.NodeApi/ListEntries",
            vec![0x12; MAX_API_REQUEST + 1024],
        )
        .await,
    );
    let unknown = bad(
        "unknown method",
        call_raw(&channel, "/regiosync.v1.NodeApi/NoSuchMethod", Vec::new()).await,
    );
    assert_eq!(unknown.code(), tonic::Code::Unimplemented);

    // A person completes the handshake and closes without a request.
    let addr = t.fed.config(vr(1)).listen;
    let person = t.fed.ca().issue_person(Identity::operator(vr(1), "zwijgt")).unwrap();
    let material = TlsMaterial {
        ca_pem: t.fed.ca().cert_pem().into(),
        intermediates_pem: String::new(),
        cert_pem: person.cert_pem,
        key_pem: person.key_pem,
        crl: None,
        files: None,
    };
    let connector =
        TlsConnector::from(peer_client_config(&material, FederationServers::for_material(&material).unwrap()).unwrap());
    let tcp = TcpStream::connect(addr).await.unwrap();
    let local = tcp.local_addr().unwrap().to_string();
    let tls = connector
        .connect(ServerName::try_from("VR01.regiosync").unwrap(), tcp)
        .await
        .expect("handshake");
    drop(tls);

    let no_request = || {
        lines_of(&log_path(&t, vr(1)))
            .into_iter()
            .filter(|l| l.remote.as_deref() == Some(local.as_str()))
            .collect::<Vec<_>>()
    };
    eventually("the request-less connection is audited", WAIT, || {
        let n = no_request().len();
        async move { n > 0 }
    })
    .await;
    let quiet = no_request();
    assert_eq!(quiet.len(), 1, "{quiet:?}");
    assert_eq!(quiet[0].event, "no_request");
    assert!(quiet[0].identity.as_deref().is_some_and(|i| i.contains("zwijgt")));

    let failed_with = |method: &'static str, status: tonic::Status| {
        let code = format!("{:?}", status.code());
        let found = requests(&t, method, |l| !l.ok);
        assert_eq!(found.len(), 1, "{method}: {found:?}");
        let l = &found[0];
        assert_eq!(l.code.as_deref(), Some(code.as_str()), "{method}: {l:?}");
        assert_eq!(l.message, status.message(), "{method}");
        assert!(
            l.remote.as_deref().is_some_and(|r| r.starts_with("127.0.0.1:")),
            "{method}: {l:?}"
        );
        assert_eq!(l.identity.as_deref(), Some(alice.uri().as_str()), "{method}");
    };
    failed_with("GetEntry", malformed);
    failed_with("ListEntries", oversized);
    failed_with("NoSuchMethod", unknown);

    let got = requests(&t, "/GetEntry", |l| l.ok);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].ids, std::slice::from_ref(&published.id));
    let put = requests(&t, "/Publish", |_| true);
    assert_eq!(put.len(), 1, "{put:?}");
    assert_eq!(
        (put[0].ids.clone(), put[0].detail.as_deref()),
        (vec![published.id], Some("kind=x.test"))
    );

    let report = verify(&[log_path(&t, vr(1))], None).unwrap();
    assert!(report.ok, "{}", report.text());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(log_path(&t, vr(1))).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    t.shutdown().await;
}

/// Every anchor VR01 holds of its own chain.
async fn anchors(client: &mut NodeApiClient<Channel>) -> Vec<Anchor> {
    let entries = client
        .list_entries(ListRequest {
            origin: "VR01".into(),
            kind: "audit_anchor".into(),
            after_seq: 0,
            limit: 1000,
            ..Default::default()
        })
        .await
        .expect("list anchors")
        .into_inner()
        .entries;
    Anchor::from_entries(&entries).unwrap()
}

async fn some_requests(client: &mut NodeApiClient<Channel>, n: usize) {
    for _ in 0..n {
        client.status(StatusRequest {}).await.expect("status");
    }
}

/// `text`'s lines with `change` applied, written to `dir/name`.
fn tampered(dir: &Path, name: &str, from: &Path, change: impl FnOnce(&mut Vec<Vec<u8>>)) -> PathBuf {
    let bytes = std::fs::read(from).unwrap();
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    lines.pop(); // after the last newline
    change(&mut lines);
    let mut out = lines.join(&b'\n');
    out.push(b'\n');
    let path = dir.join(name);
    std::fs::write(&path, out).unwrap();
    path
}

/// A forged line that continues the chain after `prev` (its exact bytes) as seq `seq`.
fn forged_after(prev: &[u8], seq: u64) -> Vec<u8> {
    let l = Line::parse(prev).unwrap();
    let forged = Line {
        seq,
        prev: Line::hash(prev),
        event: "request".into(),
        identity: Some("urn:regiosync:coordinator:mallory".into()),
        method: Some("/regiosync.v1.NodeApi/Publish".into()),
        ok: true,
        ..l
    };
    forged.to_bytes()
}

fn expect_problem(problems: &[Problem], file: &Path, line: usize, says: &str) {
    let file = file.display().to_string();
    assert!(
        problems
            .iter()
            .any(|p| p.file == file && p.line == line && p.what.contains(says)),
        "no problem at {file}:{line} saying {says:?} in {problems:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_finds_each_kind_of_tampering_and_passes_an_intact_trail() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    t.fed.stop(vr(1)).await;
    t.fed.config_mut(vr(1)).audit.anchor_every = Some(Duration::from_millis(300));
    t.fed.restart(vr(1)).await.unwrap();
    let alice = Identity::operator(vr(1), "alice");
    let mut client = t.person_client(vr(1), alice.clone()).await;
    some_requests(&mut client, 5).await;
    eventually("VR01 anchors its chain", WAIT, || {
        let mut client = client.clone();
        async move { !anchors(&mut client).await.is_empty() }
    })
    .await;
    // Stopping anchors the head as the last line before the stop; the restart continues.
    drop(client);
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.unwrap();
    let mut client = t.person_client(vr(1), alice.clone()).await;
    some_requests(&mut client, 3).await;
    // Rotated as logrotate does: moved away, then the node told to reopen.
    let (log, rotated) = (log_path(&t, vr(1)), log_path(&t, vr(1)).with_extension("log.1"));
    std::fs::rename(&log, &rotated).unwrap();
    t.fed.node(vr(1)).reload();
    some_requests(&mut client, 3).await;
    let head = t.fed.node(vr(1)).audit().head();
    eventually("the head after the rotation is anchored", WAIT, || {
        let mut client = client.clone();
        let seq = head.seq;
        async move { anchors(&mut client).await.iter().any(|a| a.seq >= seq) }
    })
    .await;
    let held = anchors(&mut client).await;
    assert!(held.iter().any(|a| a.last), "the stop was anchored: {held:?}");

    let files = [rotated.clone(), log.clone()];
    let report = verify(&files, Some(&held)).unwrap();
    assert!(report.ok, "{}", report.text());
    let summary = report.anchors.as_ref().unwrap();
    assert_eq!(summary.matched, held.len(), "{}", report.text());
    let reopened = lines_of(&log);
    assert_eq!(reopened[0].event, "reopen");
    assert_eq!(reopened[0].prev, report_hash_of_last(&rotated));

    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // A deleted line (the old file's 3rd).
    let deleted = tampered(dir, "deleted", &rotated, |l| {
        l.remove(2);
    });
    let r = verify(&[deleted.clone(), log.clone()], None).unwrap();
    expect_problem(&r.problems, &deleted, 3, "1 line(s) deleted");
    // An altered line: a refusal made to look like success or back.
    let altered = tampered(dir, "altered", &rotated, |l| {
        let s = String::from_utf8(l[3].clone()).unwrap();
        let flipped = if s.contains("\"ok\":true") {
            s.replace("\"ok\":true", "\"ok\":false")
        } else {
            s.replace("\"ok\":false", "\"ok\":true")
        };
        assert_ne!(flipped, s);
        l[3] = flipped.into_bytes();
    });
    let r = verify(&[altered.clone(), log.clone()], None).unwrap();
    expect_problem(&r.problems, &altered, 4, "altered");
    // A forged line inserted after the 5th, chained to it.
    let inserted = tampered(dir, "inserted", &rotated, |l| {
        let seq = Line::parse(&l[4]).unwrap().seq + 1;
        let forged = forged_after(&l[4], seq);
        l.insert(5, forged);
    });
    let r = verify(&[inserted.clone(), log.clone()], None).unwrap();
    expect_problem(&r.problems, &inserted, 7, "not in the chain (inserted)");
    // The tail cut off: only the anchors show it.
    let newest = held.iter().map(|a| a.seq).max().unwrap();
    let cut = tampered(dir, "cut", &log, |l| {
        l.retain(|line| Line::parse(line).unwrap().seq < newest);
    });
    let r = verify(&[rotated.clone(), cut.clone()], None).unwrap();
    assert!(r.ok, "without anchors a cut tail shows nothing: {}", r.text());
    let r = verify(&[rotated.clone(), cut.clone()], Some(&held)).unwrap();
    expect_problem(&r.problems, &cut, 0, "the tail was cut off");

    // A forged line appended while the node is stopped, chained to the last line: the node
    // continues from it, but it follows the last anchor before the stop.
    drop(client);
    t.fed.stop(vr(1)).await;
    let bytes = std::fs::read(&log).unwrap();
    let last = bytes[..bytes.len() - 1]
        .rsplit(|b| *b == b'\n')
        .next()
        .unwrap()
        .to_vec();
    let forged = forged_after(&last, Line::parse(&last).unwrap().seq + 1);
    let forged_at = lines_of(&log).len() + 1;
    let mut appended = bytes.clone();
    appended.extend_from_slice(&forged);
    appended.push(b'\n');
    std::fs::write(&log, appended).unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    let mut client = t.person_client(vr(1), alice).await;
    let held = anchors(&mut client).await;
    let r = verify(&[rotated.clone(), log.clone()], Some(&held)).unwrap();
    expect_problem(&r.problems, &log, forged_at, "written while the node was stopped");
    assert!(!r.ok);
    t.shutdown().await;
}

fn report_hash_of_last(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Line::hash(bytes[..bytes.len() - 1].rsplit(|b| *b == b'\n').next().unwrap())
}

#[test]
fn a_damaged_last_line_starts_a_new_segment_that_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.log");
    // A file left world-readable by an older build is made private.
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let audit = regiosync_node::audit::Audit::open(dir.path(), vr(1)).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let remote = "192.0.2.7:4242".parse().unwrap();
    audit.refused(remote, None, "tls handshake: unknown CA");
    audit.refused(remote, None, "tls handshake: unknown CA");
    drop(audit);
    // A crash in the middle of a line.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"seq\":4,\"prev\":\"ab");
    std::fs::write(&path, bytes).unwrap();

    let audit = regiosync_node::audit::Audit::open(dir.path(), vr(1)).unwrap();
    audit.refused(remote, None, "connection limit: 8 open");
    let lines: Vec<Vec<u8>> = std::fs::read(&path)
        .unwrap()
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(
        lines.len(),
        6,
        "open, 2 refused, the damaged line, chain_break, refused"
    );
    let segment = Line::parse(&lines[4]).unwrap();
    assert_eq!(segment.event, "chain_break");
    assert!(!segment.ok);
    assert!(segment.message.contains("(line 4) is damaged"), "{}", segment.message);
    assert_eq!(
        segment.prev,
        Line::hash(&lines[3]),
        "the new segment names the damaged bytes"
    );
    assert_eq!(segment.seq, 4, "seqs go on after the last whole line (seq 3)");
    let r = verify(std::slice::from_ref(&path), None).unwrap();
    assert_eq!(r.problems.len(), 1, "{}", r.text());
    expect_problem(&r.problems, &path, 4, "not an audit line");
}
