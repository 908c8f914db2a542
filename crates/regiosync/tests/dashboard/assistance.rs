//! The assistance requests the dashboard test writes through the `Records` API, each step as
//! the member that takes it, and the wait until NL derives them:
//!
//! - VR01 asks VR02 (under agreement `VR01-VR02-water`) and VR03 for 6 TS (at least 4) and 1
//!   GPT. VR02 offers 2 TS and the GPT,
//!   VR03 declines ("own_incident"), VR01 commits VR02's 2 TS, VR02 reports them on scene:
//!   partially covered;
//! - VR02 asks VR01 for 1 WO and cancels it: in the closed and cancelled list.
use regiosync_node::pb::CloseAssistanceRequest;
use regiosync_records::{pb, testsuite};
use regiosync_testkit::assist::{accept, answer, ask, offer, report, request, until};
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;

/// The ids of the two requests: the one still open and the cancelled one.
pub struct Requests {
    pub open: String,
    pub cancelled: String,
}

/// Write the requests above and wait until NL derives both.
pub async fn write(t: &TestFed) -> Requests {
    let (mut c1, mut c2, mut c3) = (
        t.operator(vr(1), "operator").await,
        t.operator(vr(2), "operator").await,
        t.operator(vr(3), "operator").await,
    );
    let mut q = request(&[vr(2), vr(3)], &[("TS", 6, 4), ("GPT", 1, 0)]);
    q.addressing.as_mut().expect("addressing").agreements = vec![regiosync_testkit::known::AGREEMENT.into()];
    let q = ask(&mut c1, q).await.expect("VR01 asks");
    until(&c2, &q.id, "VR02 holds VR01's request", |_| true).await;
    until(&c3, &q.id, "VR03 holds VR01's request", |_| true).await;
    let o = answer(&mut c2, offer(&q.id, &[("TS", 2), ("GPT", 1)]))
        .await
        .expect("VR02 offers");
    let decline = pb::AssistanceOffer {
        request_id: q.id.clone(),
        decline_reason: "own_incident".into(),
        author: String::new(),
        ..testsuite::assistance_decline()
    };
    answer(&mut c3, decline).await.expect("VR03 declines");
    until(&c1, &q.id, "VR01 holds both answers", |v| v.offers.len() == 2).await;
    accept(&mut c1, &q.id, &[(&o.id, "TS", 2)]).await.expect("VR01 commits");
    until(&c2, &q.id, "VR02 holds the commitment", |v| {
        v.state == "partially_covered"
    })
    .await;
    report(&mut c2, &q.id, &o.id, "TS", "on_scene")
        .await
        .expect("VR02 reports on scene");

    let w = ask(&mut c2, request(&[vr(1)], &[("WO", 1, 0)]))
        .await
        .expect("VR02 asks");
    let cancel = pb::AssistanceClose {
        request_id: w.id.clone(),
        cancelled: true,
        note: "Eigen eenheden weer beschikbaar".into(),
        ..Default::default()
    };
    c2.close_assistance(CloseAssistanceRequest { close: Some(cancel) })
        .await
        .expect("VR02 cancels");

    let nl = t.records_client(NodeId::NL, Identity::coordinator("test-waiter")).await;
    until(&nl, &q.id, "NL holds every step of VR01's request", |v| {
        v.deployments.iter().any(|d| d.state == "on_scene") && v.offers.len() == 2
    })
    .await;
    until(&nl, &w.id, "NL holds VR02's cancelled request", |v| {
        v.state == "cancelled"
    })
    .await;
    Requests {
        open: q.id,
        cancelled: w.id,
    }
}
