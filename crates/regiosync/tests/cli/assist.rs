//! `regiosync assist ...` as people run it: the whole flow of a request through the binary,
//! each step at its own member's node, the request shown as a table and as JSON, and a refused
//! step named by field and rule.
use std::time::Duration;

use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;

use crate::json::{check, example};
use crate::{ok, stderr, stdout, Person};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_from_ask_to_close_through_the_command_line() {
    let t = TestFed::start(&[vr(15), vr(16), vr(17), vr(18)], &[]).await;
    let url = |n: u8| t.fed.node(vr(n)).url();
    let op = |n: u8, name: &str| Person::of(&t, Identity::operator(vr(n), name));
    let (op15, op16, op17, op18) = (op(15, "jansen"), op(16, "smit"), op(17, "bakker"), op(18, "visser"));

    let asked = op17
        .run(
            &url(17),
            &[
                "assist",
                "request",
                &example("assistance_request.toml"),
                "--status",
                "exercise",
                "--needed-by",
                "+2h",
            ],
        )
        .await;
    assert_eq!(
        ok(&asked, "assist request").trim(),
        "asked for assistance as record VR17-1 of VR17 Rotterdam-Rijnmond"
    );
    for (p, n) in [(&op16, 16), (&op18, 18)] {
        eventually(&format!("VR{n} holds the request"), Duration::from_secs(30), || async {
            p.run(&url(n), &["assist", "show", "VR17-1"]).await.status.success()
        })
        .await;
    }
    let offered = op16
        .run(
            &url(16),
            &[
                "assist",
                "offer",
                "VR17-1",
                "--line",
                "TS=2",
                "--line",
                "gaspakkenteam=1",
                "--eta",
                "+45m",
                "--valid-until",
                "+4h",
            ],
        )
        .await;
    assert_eq!(
        ok(&offered, "assist offer").trim(),
        "offered on request VR17-1 as record VR16-1 of VR16 Hollands Midden"
    );
    ok(
        &op18
            .run(&url(18), &["assist", "decline", "VR17-1", "--reason", "own_incident"])
            .await,
        "decline",
    );
    eventually("VR17 holds the offer", Duration::from_secs(30), || async {
        stdout(&op17.run(&url(17), &["assist", "show", "VR17-1"]).await).contains("VR16-1")
    })
    .await;

    // Not the requester: refused, by field and rule, and the process says so.
    let refused = op15
        .run(&url(15), &["assist", "accept", "VR17-1", "--commit", "VR16-1:TS=2"])
        .await;
    assert!(!refused.status.success());
    assert!(
        stderr(&refused)
            .contains("acceptance.request_id: VR15 is not the requester of VR17-1; only VR17 accepts offers"),
        "{}",
        stderr(&refused)
    );
    ok(
        &op17
            .run(
                &url(17),
                &[
                    "assist",
                    "accept",
                    "VR17-1",
                    "--commit",
                    "VR16-1:TS=2",
                    "--commit",
                    "VR16-1:GPT=1",
                ],
            )
            .await,
        "accept",
    );
    eventually("VR16 sees its units committed", Duration::from_secs(30), || async {
        stdout(&op16.run(&url(16), &["assist", "show", "VR17-1"]).await).contains("partially covered")
    })
    .await;
    ok(
        &op16
            .run(
                &url(16),
                &[
                    "assist", "status", "VR17-1", "--offer", "VR16-1", "--type", "TS", "--state", "on_scene",
                ],
            )
            .await,
        "status",
    );
    ok(
        &op17
            .run(&url(17), &["assist", "release", "VR17-1", "--type", "TS"])
            .await,
        "release",
    );
    ok(
        &op17
            .run(
                &url(17),
                &[
                    "assist",
                    "close",
                    "VR17-1",
                    "--note",
                    "Brand meester",
                    "--cooperation",
                    "S",
                    "--lesson",
                    "Eerder aflossing regelen",
                ],
            )
            .await,
        "close",
    );

    let shown = ok(&op17.run(&url(17), &["assist", "show", "VR17-1"]).await, "show");
    for want in [
        "Assistance request VR17-1 of VR17",
        ": closed",
        "GPT Hazmat entry team (gas-tight suits)",
        "NO ANSWER YET",
        "Units needed for an incident of its own",
        "cooperation           S Performed with some challenges",
        "Eerder aflossing regelen",
    ] {
        assert!(shown.contains(want), "no '{want}' in:\n{shown}");
    }
    let ts = shown
        .lines()
        .find(|l| l.starts_with("TS "))
        .unwrap_or_else(|| panic!("no TS line in:\n{shown}"));
    let numbers: Vec<&str> = ts.split_whitespace().filter(|w| w.parse::<u32>().is_ok()).collect();
    assert_eq!(numbers, ["6", "4", "2", "2", "0", "2"], "{ts}");

    let v = check(&op17, &url(17), &["assist", "show", "VR17-1"]).await;
    assert_eq!(v["state"], "closed", "{v}");
    assert!(v["requested"].is_string() && v["closed"].is_string(), "{v}");
    let l = check(&op17, &url(17), &["assist", "list"]).await;
    assert_eq!(l["requests"].as_array().map(Vec::len), Some(1), "{l}");
    let open = ok(&op17.run(&url(17), &["assist", "list", "--open"]).await, "list --open");
    assert_eq!(open.trim(), "no assistance requests held here");

    // The in-control card shows the region's assistance record; an exercise request counts in
    // no total.
    let coordinator = Person::of(&t, Identity::coordinator("locc"));
    let nl = t.fed.node(regiosync_types::NodeId::NL).url();
    let card = ok(
        &coordinator.run(&nl, &["query", "in-control", "VR17"]).await,
        "query in-control",
    );
    let asked = card
        .lines()
        .find(|l| l.starts_with("assistance asked"))
        .unwrap_or_else(|| panic!("{card}"));
    assert!(asked.contains(" 0 requests from "), "{asked}");
    assert!(card.lines().any(|l| l.starts_with("assistance given")), "{card}");

    // Every counted step as an EDXL-RM message, in the order of the timeline.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    let e = check(&op17, &url(17), &["assist", "export", "VR17-1", "--out", &out]).await;
    let types: Vec<&str> = e["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "RequestResource",
            "ResponseToRequestResource",
            "ResponseToRequestResource",
            "RequisitionResource",
            "ReportResourceDeploymentStatus",
            "ReleaseResource",
            "ReleaseResource"
        ]
    );
    let first = std::fs::read_to_string(dir.path().join("01-VR17-1-RequestResource.xml")).unwrap();
    assert!(
        first.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{first}"
    );
    assert!(
        first.contains("VR17-1") && first.contains("urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"),
        "{first}"
    );
    t.shutdown().await;
}

/// A request that asks only the national level: a coordinator at NL routes it with
/// `assist route`, and the member routed to sees it, with the routing, and can export it (it
/// holds only the routing's copy of the request).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_level_routes_a_request_from_the_command_line() {
    let t = TestFed::start(&[vr(17), vr(19)], &[]).await;
    let url = |n: u8| t.fed.node(vr(n)).url();
    let nl = t.fed.node(regiosync_types::NodeId::NL).url();
    let op17 = Person::of(&t, Identity::operator(vr(17), "bakker"));
    let op19 = Person::of(&t, Identity::operator(vr(19), "visser"));
    let locc = Person::of(&t, Identity::coordinator("locc"));
    let asked = op17
        .run(
            &url(17),
            &[
                "assist",
                "request",
                "--incident",
                "VR17-2026-1124",
                "--description",
                "Lekkage van ammoniak bij een koelhuis",
                "--escalation",
                "GRIP2",
                "--hazard",
                "hazmat_release",
                "--municipality",
                "Rotterdam",
                "--needed-by",
                "+2h",
                "--line",
                "GPT=1",
                "--national",
                "--status",
                "exercise",
            ],
        )
        .await;
    ok(&asked, "assist request --national");
    eventually("NL holds the request", Duration::from_secs(30), || async {
        locc.run(&nl, &["assist", "show", "VR17-1"]).await.status.success()
    })
    .await;
    // An operator does not route; the coordinator at NL does.
    let refused = op17.run(&url(17), &["assist", "route", "VR17-1", "--to", "VR19"]).await;
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("may not route assistance requests"),
        "{}",
        stderr(&refused)
    );
    let routed = locc
        .run(
            &nl,
            &[
                "assist",
                "route",
                "VR17-1",
                "--to",
                "VR19",
                "--note",
                "VR19 heeft een GPT vrij",
            ],
        )
        .await;
    let said = ok(&routed, "assist route").trim().to_string();
    assert!(
        said.starts_with("routed on request VR17-1 as record NL-")
            && said.ends_with(" of NL Landelijk (national node)"),
        "{said}"
    );
    eventually("VR19 holds the routed request", Duration::from_secs(30), || async {
        op19.run(&url(19), &["assist", "show", "VR17-1"]).await.status.success()
    })
    .await;
    let shown = stdout(&op19.run(&url(19), &["assist", "show", "VR17-1"]).await);
    for want in [
        "nobody directly (by the national level (LOCC) to route it)",
        "to VR19",
        "by NL",
        "VR19 heeft een GPT vrij",
        "asks 1 GPT of the national level",
        "routed by the national level",
        // The timeline's line built from the step's fields, in the language asked.
        "passed on to VR19",
    ] {
        assert!(shown.contains(want), "assist show lacks {want:?}:\n{shown}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    let e = check(&op19, &url(19), &["assist", "export", "VR17-1", "--out", &out]).await;
    let files: Vec<&str> = e["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message_type"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["RequestResource", "RequestResource"]);
    t.shutdown().await;
}
