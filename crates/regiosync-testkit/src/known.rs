//! Known records for the tests that read the national picture back (the dashboard in a
//! browser, the board report), written through the `Records` API as each region's operator at
//! their own node, and the wait until NL holds and answers with all of them.
//!
//! - capacity: VR01 TS 12/8/3/1 and VR02 TS 10/7/2/1 (national TS: baseline 22, available 15);
//!   VR03's only report is stale (valid until yesterday); VR04..VR25 report nothing;
//! - agreement `VR01-VR02-water` between VR01 and VR02, signed by both: active. VR01–VR03 and
//!   VR02–VR03 are neighbours without one;
//! - evaluations: VR01 rated M on every area twice (200 and 40 days ago; the older one's action
//!   is overdue), VR02 rated P once.
use std::time::Duration;

use crate::records::{agreement, capacity, date, evaluation, moment};
use crate::{eventually, eventually_ok, vr, TestFed};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::{
    AgreementAction, AgreementActionRequest, AgreementCoverageRequest, GetAgreementRequest, InControlRequest,
    NationalCapacityRequest, ProposeAgreementRequest, PublishCapacityRequest, SubmitEvaluationRequest,
};
use regiosync_records::pb::{CapacityReport, EvaluationSummary};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

const WAIT: Duration = Duration::from_secs(30);
const DAY: i64 = 86_400_000;
pub const AGREEMENT: &str = "VR01-VR02-water";

async fn publish(t: &TestFed, region: NodeId, report: CapacityReport) {
    t.operator(region, "operator")
        .await
        .publish_capacity(PublishCapacityRequest {
            report: Some(report),
            status: Status::Actual as i32,
            audience: Vec::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("{region} publishes capacity: {}", e.message()));
}

async fn submit(t: &TestFed, region: NodeId, summary: EvaluationSummary) {
    t.operator(region, "operator")
        .await
        .submit_evaluation(SubmitEvaluationRequest {
            summary: Some(summary),
            status: Status::Actual as i32,
            federation_wide: false,
        })
        .await
        .unwrap_or_else(|e| panic!("{region} submits an evaluation: {}", e.message()));
}

async fn sign(t: &TestFed, region: NodeId) {
    let mut c = t.operator(region, "operator").await;
    let get = GetAgreementRequest {
        agreement_id: AGREEMENT.into(),
    };
    eventually(&format!("{region} holds {AGREEMENT}"), WAIT, || {
        let (mut c, get) = (c.clone(), get.clone());
        async move { c.get_agreement(get).await.is_ok() }
    })
    .await;
    // Sign exactly what was reviewed: the content hash the node shows.
    let view = c.get_agreement(get).await.expect("the agreement").into_inner();
    c.act_on_agreement(AgreementActionRequest {
        action: AgreementAction::Sign as i32,
        agreement_id: AGREEMENT.into(),
        version: 1,
        content_sha256: view.versions[0].content_sha256.clone(),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| panic!("{region} signs: {}", e.message()));
}

/// Write the records above.
pub async fn write(t: &TestFed) {
    publish(t, vr(1), capacity(&[("TS", 12, 8, 3, 1), ("WO", 2, 2, 0, 0)])).await;
    publish(t, vr(2), capacity(&[("TS", 10, 7, 2, 1)])).await;
    let mut stale = capacity(&[("TS", 9, 9, 0, 0)]);
    stale.as_of = moment(-3 * DAY);
    stale.valid_until = moment(-DAY);
    publish(t, vr(3), stale).await;

    t.operator(vr(1), "operator")
        .await
        .propose_agreement(ProposeAgreementRequest {
            agreement: Some(agreement(AGREEMENT, &[vr(1), vr(2)])),
            status: Status::Actual as i32,
        })
        .await
        .unwrap_or_else(|e| panic!("VR01 proposes: {}", e.message()));
    sign(t, vr(2)).await;
    sign(t, vr(1)).await;

    submit(t, vr(1), evaluation(200, "M")).await;
    let mut newer = evaluation(40, "M");
    newer.reported_to_board = date(-10);
    submit(t, vr(1), newer).await;
    submit(t, vr(2), evaluation(30, "P")).await;
}

/// Wait until NL answers the national questions with every record above.
pub async fn until_nl_has_them(t: &TestFed) {
    let channel = t.person_channel(NodeId::NL, Identity::coordinator("test-waiter")).await;
    let q = QueriesClient::new(channel);
    eventually_ok("NL answers with every record written", WAIT, || {
        let mut q = q.clone();
        async move {
            let nc = q
                .national_capacity(NationalCapacityRequest {})
                .await
                .map_err(|e| e.to_string())?
                .into_inner();
            if nc.reporting.len() != 2 || nc.stale.len() != 1 {
                return Err(format!(
                    "capacity: {} reporting, {} stale",
                    nc.reporting.len(),
                    nc.stale.len()
                ));
            }
            let cov = q
                .agreement_coverage(AgreementCoverageRequest::default())
                .await
                .map_err(|e| e.to_string())?
                .into_inner();
            if cov.pairs.is_empty() {
                return Err(format!("coverage: no active pair yet ({:?})", cov.by_state));
            }
            for (region, n) in [("VR01", 2), ("VR02", 1)] {
                let card = q
                    .in_control(InControlRequest { region: region.into() })
                    .await
                    .map_err(|e| e.to_string())?
                    .into_inner();
                if card.evaluations != n {
                    return Err(format!("{region}: {} evaluations", card.evaluations));
                }
            }
            Ok(())
        }
    })
    .await;
}
