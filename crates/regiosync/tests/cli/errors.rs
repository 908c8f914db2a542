//! A failed connection says why in one line, naming the node and what to do, and under `--json`
//! is `{"error": {"code", "message"}}` on stdout with a stable code; the exit code is 1 either
//! way. Each cause against a real node: down, a CA we do not trust, a certificate for another
//! name, and our own certificate refused for an unknown CA, expiry, revocation or an identity
//! the node does not accept.
use std::time::Duration;

use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::{DevCa, Identity};
use regiosync_types::NodeId;

use crate::{json_of, stderr, stdout, Person};

/// `regiosync status` fails with `code`, and its message (text and JSON alike) contains each of
/// `says`, in one line.
async fn fails_with(person: &Person, node: &str, extra: &[&str], code: &str, says: &[&str]) {
    let mut args = vec!["status"];
    args.extend_from_slice(extra);
    let text = person.run(node, &args).await;
    assert_eq!(text.status.code(), Some(1), "{code}: {text:?}");
    let err = stderr(&text);
    assert_eq!(err.trim_end().lines().count(), 1, "{code}: more than one line:\n{err}");
    assert!(err.starts_with("error: "), "{code}: {err}");
    for s in says {
        assert!(err.contains(s), "{code}: the message lacks {s:?}:\n{err}");
    }
    for noise in ["transport error", "tcp connect error", "operation was canceled"] {
        assert!(!err.contains(noise), "{code}: {err}");
    }
    assert!(stdout(&text).is_empty(), "{code}: {text:?}");

    args.push("--json");
    let json = person.run(node, &args).await;
    assert_eq!(json.status.code(), Some(1), "{code} --json: {json:?}");
    let v = json_of(&json);
    assert_eq!(v["error"]["code"], code, "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    for s in says {
        assert!(message.contains(s), "{code} --json: {message}");
    }
    assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_is_down_or_does_not_resolve() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let person = Person::of(&t, Identity::operator(vr(1), "alice"));
    t.shutdown().await;
    fails_with(
        &person,
        &url,
        &[],
        "node_unreachable",
        &[
            &format!("cannot reach the node at {url}: connection refused"),
            "is the node running",
        ],
    )
    .await;
    fails_with(
        &person,
        "https://no-such-node.invalid:7101",
        &[],
        "node_unreachable",
        &["does not resolve"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nodes_certificate_from_another_ca_or_for_another_name() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let ours = t.fed.ca().issue_person(Identity::operator(vr(1), "alice")).unwrap();

    // Our CA bundle is another federation's.
    let other = DevCa::generate("another federation").unwrap();
    let wrong_bundle = Person::with(other.cert_pem(), &ours);
    fails_with(
        &wrong_bundle,
        &url,
        &[],
        "node_untrusted",
        &["a CA your CA bundle does not trust", "--ca"],
    )
    .await;

    // The node is VR01, we asked for VR02.
    let person = Person::with(t.fed.ca().cert_pem(), &ours);
    fails_with(
        &person,
        &url,
        &["--server-name", "vr02.regiosync"],
        "node_name_mismatch",
        &["is VR01's, not one for 'vr02.regiosync'", "--server-name"],
    )
    .await;

    // The control: the same person and bundle get their answer.
    let good = person.run(&url, &["status", "--json"]).await;
    assert!(good.status.success(), "{good:?}");
    assert_eq!(json_of(&good)["node"], "VR01");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_certificate_refused_says_why() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let ca = t.fed.ca().cert_pem().to_string();

    let other = DevCa::generate("another federation").unwrap();
    let stranger = other.issue_person(Identity::operator(vr(1), "mallory")).unwrap();
    fails_with(
        &Person::with(&ca, &stranger),
        &url,
        &[],
        "certificate_unknown_ca",
        &["refused your certificate", "not issued by a CA it trusts"],
    )
    .await;

    let expired = t
        .fed
        .ca()
        .issue_person_with(Identity::operator(vr(1), "old"), |p| {
            p.not_before = rcgen::date_time_ymd(2020, 1, 1);
            p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        })
        .unwrap();
    fails_with(
        &Person::with(&ca, &expired),
        &url,
        &[],
        "certificate_expired",
        &["refused your certificate", "has expired", "pki issue"],
    )
    .await;

    // A person of a member that is not in the federation.
    let outsider = t
        .fed
        .ca()
        .issue_person(Identity::operator(NodeId::parse_field("id", "ZZ99").unwrap(), "bob"))
        .unwrap();
    fails_with(
        &Person::with(&ca, &outsider),
        &url,
        &[],
        "certificate_refused",
        &["refused your certificate", "no regiosync identity it accepts"],
    )
    .await;

    // A certificate of the federation's CA that carries no regiosync identity at all.
    let anonymous = t
        .fed
        .ca()
        .issue_person_with(Identity::operator(vr(1), "nobody"), |p| p.subject_alt_names.clear())
        .unwrap();
    fails_with(
        &Person::with(&ca, &anonymous),
        &url,
        &[],
        "certificate_refused",
        &["refused your certificate", "no regiosync identity it accepts"],
    )
    .await;

    let revoked = t.fed.ca().issue_person(Identity::operator(vr(1), "gone")).unwrap();
    let person = Person::with(&ca, &revoked);
    assert!(person.run(&url, &["status"]).await.status.success());
    t.fed
        .revoke(
            &revoked.cert_pem,
            time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
        )
        .unwrap();
    eventually(
        "VR01 refuses the revoked certificate",
        Duration::from_secs(10),
        || async { !person.run(&url, &["status"]).await.status.success() },
    )
    .await;
    fails_with(
        &person,
        &url,
        &[],
        "certificate_revoked",
        &["refused your certificate", "has been revoked"],
    )
    .await;
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_by_a_service_and_local_mistakes_have_codes_too() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let vr02 = Person::of(&t, Identity::operator(vr(2), "x"));
    let o = vr02.run(&url, &["list", "--json"]).await;
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert_eq!(json_of(&o)["error"]["code"], "permission_denied");
    assert!(stderr(&o).is_empty(), "{o:?}");
    let o = vr02.run(&url, &["capacity", "list", "--json"]).await;
    assert_eq!(json_of(&o)["error"]["code"], "permission_denied");

    let o = vr02
        .run(
            &url,
            &[
                "publish",
                "--kind",
                "x.note",
                "--status",
                "maybe",
                "--payload",
                "p",
                "--json",
            ],
        )
        .await;
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v = json_of(&o);
    assert_eq!(v["error"]["code"], "client_error", "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("--status"), "{v}");

    // A command line clap refuses.
    let o = crate::regiosync(
        vec!["list".into(), "--limit".into(), "many".into(), "--json".into()],
        None,
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert_eq!(json_of(&o)["error"]["code"], "usage");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nodes_certificate_expired() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    // VR01 restarted with a certificate of its own CA that expired last year.
    let expired = t
        .fed
        .ca()
        .issue_person_with(Identity::node(vr(1)), |p| {
            p.subject_alt_names
                .push(rcgen::SanType::DnsName("vr01.regiosync".try_into().unwrap()));
            p.subject_alt_names
                .push(rcgen::SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
            p.extended_key_usages = vec![
                rcgen::ExtendedKeyUsagePurpose::ServerAuth,
                rcgen::ExtendedKeyUsagePurpose::ClientAuth,
            ];
            p.not_before = rcgen::date_time_ymd(2024, 1, 1);
            p.not_after = rcgen::date_time_ymd(2025, 1, 1);
        })
        .unwrap();
    t.fed.set_node_key(vr(1), expired.cert_pem, expired.key_pem);
    t.fed.stop(vr(1)).await;
    t.fed
        .restart(vr(1))
        .await
        .expect("VR01 starts with the expired certificate");
    let url = t.fed.node(vr(1)).url();
    let person = Person::of(&t, Identity::operator(vr(1), "alice"));
    fails_with(
        &person,
        &url,
        &[],
        "node_certificate_expired",
        &["presented an expired certificate", "pki renew"],
    )
    .await;
    t.shutdown().await;
}
