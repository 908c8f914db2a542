//! Every command's `--json` output, checked for the same conventions: one JSON object at the
//! top, every moment given as `<name>_unix_ms` also as `<name>` in RFC 3339 UTC beside it, and
//! no moment anywhere in another form. Runs each command of the binary against a small
//! federation with a record of every kind written through it.
use std::time::Duration;

use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use serde_json::Value;

use crate::{json_of, ok, Person};

/// Where the shipped example records are.
pub(crate) fn example(name: &str) -> String {
    format!("{}/../../config/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// What is wrong with `v` (at `path`) by the conventions; empty when nothing is.
fn problems(path: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let at = format!("{path}.{k}");
                if let Some(name) = k.strip_suffix("_unix_ms") {
                    match (x.as_i64(), map.get(name)) {
                        (Some(0), Some(Value::Null)) => {}
                        (Some(ms), Some(Value::String(s))) if ms != 0 => {
                            if !is_rfc3339(s) {
                                out.push(format!("{path}.{name}: {s:?} is not RFC 3339 UTC"));
                            }
                        }
                        other => out.push(format!("{at}: no RFC 3339 `{name}` beside it ({other:?})")),
                    }
                }
                problems(&at, x, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                problems(&format!("{path}[{i}]"), x, out);
            }
        }
        // A moment in any other form: "2026-12-01 05:49:15Z" and the like.
        Value::String(s) if looks_like_a_moment(s) && !is_rfc3339(s) => {
            out.push(format!("{path}: {s:?} is a moment not in RFC 3339 UTC"))
        }
        _ => {}
    }
}

fn looks_like_a_moment(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16
        && b[..10].iter().filter(|c| c.is_ascii_digit()).count() == 8
        && b[4] == b'-'
        && b[7] == b'-'
        && b[13] == b':'
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
fn is_rfc3339(s: &str) -> bool {
    let digits = |r: std::ops::Range<usize>| s.get(r).is_some_and(|p| p.bytes().all(|c| c.is_ascii_digit()));
    let b = s.as_bytes();
    let base = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    base && (&s[19..] == "Z" || (b[19] == b'.' && s.ends_with('Z') && digits(20..s.len() - 1) && s.len() > 21))
}

#[test]
fn the_checker_itself() {
    assert!(is_rfc3339("2026-12-01T05:49:15Z"));
    assert!(is_rfc3339("2026-12-01T05:49:15.120Z"));
    assert!(!is_rfc3339("2026-12-01 05:49:15Z"));
    assert!(!is_rfc3339("2026-12-01T05:49:15+01:00"));
    let mut out = Vec::new();
    problems(
        "",
        &serde_json::json!({"last_contact": "2026-12-01 05:49:15Z", "created_unix_ms": 5, "x": [{"at_unix_ms": 0, "at": null}]}),
        &mut out,
    );
    assert_eq!(out.len(), 2, "{out:?}");
}

/// Runs `args` with `--json` as `person` at `node`: succeeds, one object, by the conventions.
pub(crate) async fn check(person: &Person, node: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let o = person.run(node, &all).await;
    let what = args.join(" ");
    ok(&o, &what);
    let v = json_of(&o);
    assert!(v.is_object(), "{what}: the top is not an object: {v}");
    let mut bad = Vec::new();
    problems("", &v, &mut bad);
    assert!(bad.is_empty(), "{what}:\n{}\n--- output ---\n{v:#}", bad.join("\n"));
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_commands_json_output_has_the_same_shape() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let (n1, n2, nl) = (
        t.fed.node(vr(1)).url(),
        t.fed.node(vr(2)).url(),
        t.fed.node(regiosync_types::NodeId::NL).url(),
    );
    let op1 = Person::of(&t, Identity::operator(vr(1), "alice"));
    let op2 = Person::of(&t, Identity::operator(vr(2), "bob"));
    let coord = Person::of(&t, Identity::coordinator("lcms"));

    // Writes, each answered as an object.
    let p = check(
        &op1,
        &n1,
        &[
            "publish",
            "--kind",
            "x.note",
            "--status",
            "test",
            "--payload",
            "hallo",
            "--valid-hours",
            "2",
        ],
    )
    .await;
    let id = p["id"].as_str().unwrap().to_string();
    let proposed = check(
        &op1,
        &n1,
        &[
            "agreement",
            "propose",
            &example("agreement.toml"),
            "--status",
            "exercise",
        ],
    )
    .await;
    let hash = proposed["content_sha256"].as_str().unwrap().to_string();
    let agreement = "VR01-VR02-gevaarlijke-stoffen";
    check(&op1, &n1, &["agreement", "sign", agreement, "--hash", &hash]).await;
    check(
        &op1,
        &n1,
        &[
            "capacity",
            "publish",
            &example("capacity.toml"),
            "--as-of",
            "now",
            "--valid-until",
            "+24h",
            "--status",
            "actual",
            "--audience",
            "VR02",
        ],
    )
    .await;
    let ev = check(
        &op1,
        &n1,
        &[
            "evaluation",
            "submit",
            &example("evaluation.toml"),
            "--status",
            "actual",
        ],
    )
    .await;
    let ev_id = ev["id"].as_str().unwrap().to_string();

    // Reads at the region's node.
    let list = check(&op1, &n1, &["list"]).await;
    assert_eq!(list["more"], false, "{list}");
    assert_eq!(list["next_cursor"], Value::Null, "{list}");
    let shown = check(&op1, &n1, &["show", &id]).await;
    assert!(shown["created"].is_string() && shown["expires"].is_string(), "{shown}");
    let status = check(&op1, &n1, &["status"]).await;
    assert!(
        status["peers"][0]["last_contact"].is_string() || status["peers"][0]["last_contact"].is_null(),
        "{status}"
    );
    check(&op1, &n1, &["backup"]).await;
    check(&op1, &n1, &["agreement", "show", agreement]).await;
    let agreements = check(&op1, &n1, &["agreement", "list"]).await;
    assert_eq!(
        agreements["agreements"].as_array().map(Vec::len),
        Some(1),
        "{agreements}"
    );
    check(&op1, &n1, &["capacity", "show", "VR01"]).await;
    let cap = check(&op1, &n1, &["capacity", "list"]).await;
    assert!(
        cap["reports"].is_array() && cap["missing"].is_array() && cap["more"] == false,
        "{cap}"
    );
    check(&op1, &n1, &["evaluation", "show", &ev_id]).await;
    let evs = check(&op1, &n1, &["evaluation", "list"]).await;
    assert_eq!(evs["evaluations"].as_array().map(Vec::len), Some(1), "{evs}");
    // VR02 signs at its own node once the proposal reached it.
    eventually("the proposal reaches VR02", Duration::from_secs(20), || async {
        op2.run(&n2, &["agreement", "show", agreement]).await.status.success()
    })
    .await;
    check(&op2, &n2, &["agreement", "sign", agreement, "--hash", &hash]).await;

    // The questions at NL, once NL holds the records.
    eventually("NL holds VR01's evaluation", Duration::from_secs(20), || async {
        coord.run(&nl, &["evaluation", "show", &ev_id]).await.status.success()
    })
    .await;
    check(&coord, &nl, &["query", "national-capacity"]).await;
    check(&coord, &nl, &["query", "resource", "TS", "--region", "VR01"]).await;
    check(&coord, &nl, &["query", "coverage", "--days", "90"]).await;
    check(&coord, &nl, &["query", "benchmark", "--region", "VR01"]).await;
    check(&coord, &nl, &["query", "in-control", "VR01"]).await;
    let quality = check(&coord, &nl, &["query", "data-quality"]).await;
    assert!(quality["regions"][0]["last_contact"].is_string(), "{quality}");
    t.shutdown().await;
}
