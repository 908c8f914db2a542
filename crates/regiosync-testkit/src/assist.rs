//! Assistance requests through the `Records` API in a few lines each: a request and an offer
//! with test defaults, each step written as the caller, and the wait until a node's view of a
//! request satisfies a condition. Used by the integration tests and the dashboard's browser test.
use std::time::Duration;

use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    AcceptAssistanceRequest, AnswerAssistanceRequest, GetAssistanceRequest, RecordRef, ReportDeploymentRequest,
    RequestAssistanceRequest,
};
use regiosync_records::{pb, testsuite};
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use tonic::transport::Channel;

use crate::eventually;
use crate::records::moment;

const WAIT: Duration = Duration::from_secs(30);
const HOUR: i64 = 3_600_000;

/// VR17's request for `lines`, addressed to `members`, needed in two hours.
pub fn request(members: &[NodeId], lines: &[(&str, u32, u32)]) -> pb::AssistanceRequest {
    pb::AssistanceRequest {
        needed_by: moment(2 * HOUR),
        lines: lines
            .iter()
            .map(|&(t, n, m)| testsuite::request_line(t, n, m))
            .collect(),
        addressing: Some(pb::Addressing {
            members: members.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }),
        addressed: Vec::new(),
        author: String::new(),
        ..testsuite::assistance_request()
    }
}

pub fn offer(request_id: &str, lines: &[(&str, u32)]) -> pb::AssistanceOffer {
    pb::AssistanceOffer {
        request_id: request_id.into(),
        lines: lines
            .iter()
            .map(|&(t, n)| pb::OfferLine {
                resource_type: t.into(),
                quantity: n,
                ..Default::default()
            })
            .collect(),
        eta: moment(HOUR),
        valid_until: moment(4 * HOUR),
        author: String::new(),
        ..testsuite::assistance_offer()
    }
}

pub async fn ask(c: &mut RecordsClient<Channel>, q: pb::AssistanceRequest) -> Result<RecordRef, tonic::Status> {
    c.request_assistance(RequestAssistanceRequest {
        request: Some(q),
        status: Status::Actual as i32,
    })
    .await
    .map(|r| r.into_inner())
}

pub async fn answer(c: &mut RecordsClient<Channel>, o: pb::AssistanceOffer) -> Result<RecordRef, tonic::Status> {
    c.answer_assistance(AnswerAssistanceRequest { offer: Some(o) })
        .await
        .map(|r| r.into_inner())
}

pub async fn accept(
    c: &mut RecordsClient<Channel>,
    id: &str,
    commits: &[(&str, &str, u32)],
) -> Result<RecordRef, tonic::Status> {
    let acceptance = pb::AssistanceAcceptance {
        request_id: id.into(),
        commitments: commits
            .iter()
            .map(|&(o, t, n)| testsuite::commitment(o, t, n))
            .collect(),
        ..Default::default()
    };
    c.accept_assistance(AcceptAssistanceRequest {
        acceptance: Some(acceptance),
    })
    .await
    .map(|r| r.into_inner())
}

pub async fn report(
    c: &mut RecordsClient<Channel>,
    id: &str,
    offer: &str,
    t: &str,
    state: &str,
) -> Result<RecordRef, tonic::Status> {
    let deployment = pb::AssistanceDeployment {
        request_id: id.into(),
        offer_id: offer.into(),
        resource_type: t.into(),
        state: state.into(),
        ..Default::default()
    };
    c.report_deployment(ReportDeploymentRequest {
        deployment: Some(deployment),
    })
    .await
    .map(|r| r.into_inner())
}

pub async fn get(c: &RecordsClient<Channel>, id: &str) -> Result<pb::AssistanceView, tonic::Status> {
    c.clone()
        .get_assistance(GetAssistanceRequest { request_id: id.into() })
        .await
        .map(|r| r.into_inner())
}

/// Wait until the view of `id` at `c` satisfies `ok`.
pub async fn until(c: &RecordsClient<Channel>, id: &str, what: &str, ok: impl Fn(&pb::AssistanceView) -> bool) {
    eventually(what, WAIT, || async { get(c, id).await.is_ok_and(|v| ok(&v)) }).await;
}
