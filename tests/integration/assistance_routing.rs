//! A request that asks the national level (`addressing.national`) on a real federation: it
//! reaches no region until a national coordinator at NL routes it; then the members routed to
//! hold the request (from the routing's copy: the request itself was never in their audience),
//! answer it, and every involved node derives the same view. Each rule of routing refuses with
//! its field and stores nothing; a member not routed to never holds any of it.
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{AssistanceRouting, RecordRef, RouteAssistanceRequest};
use regiosync_records::pb;
use regiosync_testkit::assist::{accept, answer, ask, get, offer, request, until};
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use tonic::transport::Channel;
use tonic::Code;

use crate::assistance::{own_head, refusal};

async fn route(c: &mut RecordsClient<Channel>, id: &str, members: &[NodeId]) -> Result<RecordRef, tonic::Status> {
    let routing = AssistanceRouting {
        request_id: id.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
        note: "VR19 heeft een gaspakkenteam vrij".into(),
        ..Default::default()
    };
    c.route_assistance(RouteAssistanceRequest { routing: Some(routing) })
        .await
        .map(|r| r.into_inner())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_level_routes_a_request_and_the_members_routed_to_answer_it() {
    let (r16, r17, r19, r20) = (vr(16), vr(17), vr(19), vr(20));
    let t = TestFed::start(&[r16, r17, r19, r20], &[]).await;
    let mut c17 = t.operator(r17, "bakker").await;
    let mut c19 = t.operator(r19, "visser").await;
    let c20 = t.operator(r20, "smit").await;
    let mut locc = t.records_client(NodeId::NL, Identity::coordinator("locc")).await;

    // VR17 asks VR16 and the national level.
    let mut q = request(&[r16], &[("GPT", 1, 0), ("TS", 2, 0)]);
    q.addressing.as_mut().unwrap().national = true;
    let q = ask(&mut c17, q).await.unwrap();
    until(&locc, &q.id, "NL holds the request", |_| true).await;

    // Who may route, and what.
    let nl_head = own_head(&t, NodeId::NL);
    assert_eq!(
        refusal(route(&mut c17, &q.id, &[r19]).await),
        (
            Code::PermissionDenied,
            "bakker (operator, VR17) may not route assistance requests: national coordinators at a national node do"
                .into()
        )
    );
    let mut at_17 = t.records_client(r17, Identity::coordinator("locc")).await;
    let (code, message) = refusal(route(&mut at_17, &q.id, &[r19]).await);
    assert_eq!(code, Code::PermissionDenied);
    assert!(
        message.ends_with("routes requests only at a national node; this node is VR17"),
        "{message}"
    );
    assert_eq!(
        refusal(route(&mut locc, &q.id, &[r17]).await),
        (
            Code::InvalidArgument,
            "routing.members[0]: VR17 is the requester".into()
        )
    );
    assert_eq!(
        refusal(route(&mut locc, &q.id, &[r19, r16]).await),
        (
            Code::InvalidArgument,
            "routing.members[1]: VR16 is asked already (asked: VR16)".into()
        )
    );
    assert_eq!(
        refusal(route(&mut locc, &q.id, &[NodeId::NL]).await),
        (
            Code::InvalidArgument,
            "routing.members[0]: NL is a national node; route to regions or partners".into()
        )
    );
    let plain = ask(&mut c17, request(&[r16], &[("TS", 1, 0)])).await.unwrap();
    until(&locc, &plain.id, "NL holds the second request", |_| true).await;
    assert_eq!(
        refusal(route(&mut locc, &plain.id, &[r19]).await),
        (
            Code::PermissionDenied,
            format!(
                "routing.request_id: request {} did not ask the national level to route it",
                plain.id
            )
        )
    );
    assert_eq!(own_head(&t, NodeId::NL), nl_head, "the refusals stored nothing at NL");
    let not_asked = get(&c19, &q.id).await.expect_err("VR19 was not asked yet");
    assert_eq!(not_asked.code(), Code::NotFound);

    // NL routes it to VR19: VR19 holds the request from the routing and answers.
    let g = route(&mut locc, &q.id, &[r19]).await.unwrap();
    assert_eq!(g.origin, "NL");
    until(&c19, &q.id, "VR19 holds the routed request", |v| {
        v.addressees.iter().any(|a| a.member == "VR19")
    })
    .await;
    let o = answer(&mut c19, offer(&q.id, &[("GPT", 1)])).await.unwrap();
    until(&c17, &q.id, "VR17 holds VR19's offer", |v| v.offers.len() == 1).await;
    accept(&mut c17, &q.id, &[(&o.id, "GPT", 1)]).await.unwrap();

    let done = |v: &pb::AssistanceView| v.state == "partially_covered" && v.lines[0].committed == 1;
    until(&c19, &q.id, "VR19 sees its offer committed", done).await;
    until(&locc, &q.id, "NL holds every step", done).await;
    let (v17, v19, vnl) = (
        get(&c17, &q.id).await.unwrap(),
        get(&c19, &q.id).await.unwrap(),
        get(&locc, &q.id).await.unwrap(),
    );
    assert_eq!(v17, vnl, "VR17 and NL derive the same view");
    assert_eq!(
        v19, v17,
        "VR19, which holds only the routing's copy, derives the same view"
    );
    let asked: Vec<(&str, &str)> = v17
        .addressees
        .iter()
        .map(|a| (a.member.as_str(), a.answer.as_str()))
        .collect();
    assert_eq!(asked, [("VR16", "no_answer"), ("VR19", "offered")]);
    assert_eq!(
        (
            v17.routings.len(),
            v17.routings[0].record_id.as_str(),
            v17.routings[0].by.as_str()
        ),
        (1, g.id.as_str(), "NL")
    );
    let steps: Vec<&str> = v17.timeline.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(steps, ["request", "routing", "offer", "acceptance"]);
    assert!(v17.ignored.is_empty(), "{:?}", v17.ignored);
    // The request entry itself never reached VR19 (only the routing's copy did); VR20 was
    // never asked and holds none of VR17's records.
    let seq = |id: &str| id.rsplit_once('-').unwrap().1.parse::<u64>().unwrap();
    assert!(!t.holds(r19, r17, seq(&q.id)).await, "VR19 holds {}", q.id);
    for s in 1..=own_head(&t, r17) {
        assert!(!t.holds(r20, r17, s).await, "VR20 holds VR17-{s}");
    }
    assert!(!t.holds(r20, NodeId::NL, seq(&g.id)).await, "VR20 holds the routing");
    let at_20 = get(&c20, &q.id).await.expect_err("VR20 holds nothing of it");
    assert_eq!(at_20.code(), Code::NotFound);
    t.shutdown().await;
}
