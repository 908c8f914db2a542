//! `--limit` and `--cursor` on every list: pages that follow each other without a gap or a
//! repeat, a "more: --cursor X" line under a table, `more`/`next_cursor` in JSON; and
//! `Records.ListEvaluations` bounded by the node itself.
use std::collections::BTreeSet;
use std::time::Duration;

use regiosync_testkit::records::{evaluation, submit};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use crate::{json_of, ok, Person};

/// Every page of `args` at `node`, `limit` at a time, by following `next_cursor`: the item ids
/// (by `id`) of each page.
async fn pages(
    person: &Person,
    node: &str,
    args: &[&str],
    key: &str,
    limit: u32,
    id: fn(&serde_json::Value) -> String,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let limit = limit.to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--json", "--limit", &limit]);
        if let Some(c) = &cursor {
            all.extend(["--cursor", c]);
        }
        let v = json_of(&person.run(node, &all).await);
        let items: Vec<String> = v[key]
            .as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(id)
            .collect();
        assert_eq!(v["more"], v["next_cursor"].is_string(), "{v}");
        out.push(items);
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
        assert!(out.len() < 100, "pages without end");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_come_in_pages_that_follow_each_other() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    // Entries of three origins at NL: 5 of VR01, 3 of VR02, 4 of NL.
    for (at, n) in [(vr(1), 5), (vr(2), 3), (NodeId::NL, 4)] {
        for i in 0..n {
            t.publish(at, &[], format!("{at} {i}").as_bytes()).await;
        }
    }
    eventually("NL holds every entry", Duration::from_secs(20), || async {
        t.holds(NodeId::NL, vr(1), 5).await && t.holds(NodeId::NL, vr(2), 3).await
    })
    .await;
    let nl = t.fed.node(NodeId::NL).url();
    let coord = Person::of(&t, Identity::coordinator("lcms"));
    let entry = |e: &serde_json::Value| format!("{}:{}", e["origin"].as_str().unwrap(), e["seq"]);
    let paged = pages(&coord, &nl, &["list"], "entries", 5, entry).await;
    assert_eq!(paged.iter().map(Vec::len).collect::<Vec<_>>(), [5, 5, 2], "{paged:?}");
    let flat: Vec<String> = paged.concat();
    let whole = pages(&coord, &nl, &["list"], "entries", 1000, entry).await;
    assert_eq!(whole.len(), 1);
    assert_eq!(flat, whole[0], "pages of 5 differ from the whole list");
    assert_eq!(flat.iter().collect::<BTreeSet<_>>().len(), 12, "{flat:?}");
    // Of one origin too.
    let of_vr01 = pages(&coord, &nl, &["list", "--origin", "VR01"], "entries", 2, entry).await;
    assert_eq!(of_vr01.concat(), ["VR01:1", "VR01:2", "VR01:3", "VR01:4", "VR01:5"]);

    // The table says how to go on, and only when there is more.
    let text = ok(&coord.run(&nl, &["list", "--limit", "5"]).await, "list --limit 5");
    let last = text.lines().last().unwrap();
    assert_eq!(last, format!("more: --cursor {}", paged[0][4]), "{text}");
    let end = ok(
        &coord
            .run(&nl, &["list", "--limit", "5", "--cursor", &paged[1][4]])
            .await,
        "the last page",
    );
    assert!(!end.contains("more:"), "{end}");

    // Evaluations: paged by the node.
    let mut c = t.operator(vr(1), "alice").await;
    for d in 0..7 {
        submit(&mut c, evaluation(10 + d, "S"), Status::Actual).await;
    }
    let op1 = Person::of(&t, Identity::operator(vr(1), "alice"));
    let n1 = t.fed.node(vr(1)).url();
    let record = |e: &serde_json::Value| e["record"]["id"].as_str().unwrap().to_string();
    let paged = pages(&op1, &n1, &["evaluation", "list"], "evaluations", 3, record).await;
    assert_eq!(paged.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1], "{paged:?}");
    let whole = pages(&op1, &n1, &["evaluation", "list"], "evaluations", 500, record).await;
    assert_eq!(paged.concat(), whole[0]);
    let text = ok(
        &op1.run(&n1, &["evaluation", "list", "--limit", "3"]).await,
        "evaluation list",
    );
    assert!(
        text.trim_end().ends_with(&format!("more: --cursor {}", paged[0][2])),
        "{text}"
    );

    // Agreements and capacity reports, paged by the client over the node's answer.
    let mut c2 = t.operator(vr(1), "alice").await;
    for name in ["a-een", "b-twee", "c-drie"] {
        let id = format!("VR01-VR02-{name}");
        regiosync_testkit::records::propose(&mut c2, regiosync_testkit::records::agreement(&id, &[vr(1), vr(2)])).await;
    }
    let agreement = |a: &serde_json::Value| a["agreement_id"].as_str().unwrap().to_string();
    let paged = pages(&op1, &n1, &["agreement", "list"], "agreements", 2, agreement).await;
    assert_eq!(
        paged.concat(),
        ["VR01-VR02-a-een", "VR01-VR02-b-twee", "VR01-VR02-c-drie"],
        "{paged:?}"
    );
    assert_eq!(paged.len(), 2);
    let bad = op1.run(&n1, &["agreement", "list", "--cursor", "nope", "--json"]).await;
    assert_eq!(json_of(&bad)["error"]["code"], "client_error");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_evaluations_is_bounded_by_the_node() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let mut c = t.operator(vr(1), "alice").await;
    for d in 0..120 {
        submit(&mut c, evaluation(10 + d, "S"), Status::Actual).await;
    }
    let ask = |page_size: u32, page_token: String| regiosync_node::pb::ListEvaluationsRequest {
        page_size,
        page_token,
        ..Default::default()
    };
    // No page size: the default page, and a token for the rest.
    let first = c.list_evaluations(ask(0, String::new())).await.unwrap().into_inner();
    assert_eq!(first.evaluations.len(), 100);
    assert!(!first.next_page_token.is_empty());
    let rest = c
        .list_evaluations(ask(0, first.next_page_token.clone()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.evaluations.len(), 20);
    assert!(rest.next_page_token.is_empty());
    // Larger than the largest page: the largest.
    let all = c
        .list_evaluations(ask(100_000, String::new()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.evaluations.len(), 120);
    // A token the node never gave out.
    let e = c.list_evaluations(ask(10, "VR09-1".into())).await.unwrap_err();
    assert_eq!(e.code(), tonic::Code::InvalidArgument, "{e:?}");
    t.shutdown().await;
}
