//! The steps of an assistance request as this node's member: the request read, the request
//! as this node holds it, the rules of [`regiosync_records::acts::assistance`] (whom a request
//! asks, who may answer, commit, report and close, within what was offered and asked), and the
//! record published here with its audience: a request to the members it asks, every later
//! step (offers and declines too) to the requester and every member asked, so every involved
//! node holds the same records and derives the same state (the national nodes receive every
//! entry). Every step takes the request's status.
use std::collections::BTreeMap;

use prost::Message;
use regiosync_records::acts::assistance as rules;
use regiosync_records::{kinds, pb as rpb};
use tonic::Status;

use crate::access::{may_read, may_route};
use crate::error::assist_refused;
use crate::listener::PeerInfo;
use crate::pb;
use crate::records_service::{author_empty, latest_codes, RecordsService};

/// The request as this node holds it, or `NotFound`.
async fn held(svc: &RecordsService, request_id: &str) -> Result<rpb::AssistanceView, Status> {
    if request_id.is_empty() {
        return Err(Status::invalid_argument("request_id: required"));
    }
    svc.reader().assistance(request_id).await?.ok_or_else(|| {
        Status::not_found(format!(
            "request_id: request {request_id} is not held at {}",
            svc.engine.me()
        ))
    })
}

/// The status every step of the request takes: the request's own.
fn status_of(view: &rpb::AssistanceView) -> i32 {
    let name = view.record.as_ref().map_or("", |m| m.status.as_str());
    regiosync_records::record::status_named(name) as i32
}

pub(crate) async fn request(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::RequestAssistanceRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut q = r.request.ok_or_else(|| Status::invalid_argument("request: required"))?;
    author_empty("request.author", &q.author)?;
    if !q.addressed.is_empty() {
        return Err(Status::invalid_argument(
            "request.addressed: set by the node from addressing; leave it empty",
        ));
    }
    let addressing = q
        .addressing
        .as_ref()
        .ok_or_else(|| Status::invalid_argument("request.addressing: required"))?;
    let agreements = match addressing.agreements.is_empty() {
        true => Vec::new(),
        false => svc.reader().agreements().await?,
    };
    q.addressed = rules::addressees(me, addressing, svc.engine.members(), &agreements)
        .map_err(|e| assist_refused(within("request", e)))?;
    q.author = author;
    latest_codes(&mut q.code_list_version);
    let audience = q.addressed.clone();
    svc.publish(kinds::ASSISTANCE_REQUEST, q.encode_to_vec(), r.status, audience, 0)
        .await
}

/// A refusal's field under the request message's field (`offer.lines[0].quantity`).
fn within(message: &str, mut e: rules::AssistRefused) -> rules::AssistRefused {
    e.field = format!("{message}.{}", e.field);
    e
}

pub(crate) async fn answer(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::AnswerAssistanceRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut offer = r.offer.ok_or_else(|| Status::invalid_argument("offer: required"))?;
    author_empty("offer.author", &offer.author)?;
    if let Some(i) = offer
        .lines
        .iter()
        .position(|l| l.reported_available.is_some() || l.exceeds_available)
    {
        return Err(Status::invalid_argument(format!(
            "offer.lines[{i}]: reported_available and exceeds_available are set by the node from your own capacity report; leave them empty"
        )));
    }
    let view = held(svc, &offer.request_id).await?;
    // What this member's own newest actual report shows available now (a stale report counts
    // as none: an offer above it is flagged).
    let available: BTreeMap<String, u32> = svc
        .reader()
        .capacity(Some(me), false)
        .await?
        .into_iter()
        .filter(|v| !v.stale)
        .flat_map(|v| v.report.map(|r| r.entries).unwrap_or_default())
        .map(|e| (e.resource_type, e.available))
        .collect();
    offer.author = author;
    latest_codes(&mut offer.code_list_version);
    let offer = rules::offer(&view, me, offer, &available).map_err(|e| assist_refused(within("offer", e)))?;
    step(svc, &view, kinds::ASSISTANCE_OFFER, offer.encode_to_vec()).await
}

/// Publish a step after the request: its status and audience are the request's.
async fn step(
    svc: &RecordsService,
    view: &rpb::AssistanceView,
    kind: &str,
    payload: Vec<u8>,
) -> Result<pb::RecordRef, Status> {
    svc.publish(kind, payload, status_of(view), rules::audience(view), 0)
        .await
}

pub(crate) async fn accept(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::AcceptAssistanceRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut a = r
        .acceptance
        .ok_or_else(|| Status::invalid_argument("acceptance: required"))?;
    author_empty("acceptance.author", &a.author)?;
    let view = held(svc, &a.request_id).await?;
    rules::acceptance(&view, me, &a.commitments, svc.engine.now_ms())
        .map_err(|e| assist_refused(within("acceptance", e)))?;
    a.author = author;
    step(svc, &view, kinds::ASSISTANCE_ACCEPTANCE, a.encode_to_vec()).await
}

pub(crate) async fn report(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::ReportDeploymentRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut d = r
        .deployment
        .ok_or_else(|| Status::invalid_argument("deployment: required"))?;
    author_empty("deployment.author", &d.author)?;
    let view = held(svc, &d.request_id).await?;
    rules::deployment(&view, me, &d).map_err(|e| assist_refused(within("deployment", e)))?;
    d.author = author;
    latest_codes(&mut d.code_list_version);
    step(svc, &view, kinds::ASSISTANCE_DEPLOYMENT, d.encode_to_vec()).await
}

pub(crate) async fn close(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::CloseAssistanceRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut c = r.close.ok_or_else(|| Status::invalid_argument("close: required"))?;
    author_empty("close.author", &c.author)?;
    let view = held(svc, &c.request_id).await?;
    rules::close(&view, me).map_err(|e| assist_refused(within("close", e)))?;
    c.author = author;
    latest_codes(&mut c.code_list_version);
    step(svc, &view, kinds::ASSISTANCE_CLOSE, c.encode_to_vec()).await
}

/// The national level passes a request that asked it on to members: a national coordinator
/// at a national node. The routing carries the request as this node holds it and goes to the
/// request's audience and the members routed to.
pub(crate) async fn route(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::RouteAssistanceRequest,
) -> Result<pb::RecordRef, Status> {
    let author = may_route(&info.identity, svc.engine.me(), svc.engine.members())?;
    let mut g = r.routing.ok_or_else(|| Status::invalid_argument("routing: required"))?;
    author_empty("routing.author", &g.author)?;
    if g.request.is_some() || g.requested_unix_ms != 0 {
        return Err(Status::invalid_argument(
            "routing.request: set by the node from the request it holds; leave request and requested_unix_ms empty",
        ));
    }
    let view = held(svc, &g.request_id).await?;
    let audience =
        rules::routing(&view, &g.members, svc.engine.members()).map_err(|e| assist_refused(within("routing", e)))?;
    g.request = view.request.clone();
    g.requested_unix_ms = view.requested_unix_ms;
    g.author = author;
    svc.publish(
        kinds::ASSISTANCE_ROUTING,
        g.encode_to_vec(),
        status_of(&view),
        audience,
        0,
    )
    .await
}

pub(crate) async fn get(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::GetAssistanceRequest,
) -> Result<rpb::AssistanceView, Status> {
    may_read(&info.identity, svc.engine.me())?;
    held(svc, &r.request_id).await
}

pub(crate) async fn list(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::ListAssistanceRequest,
) -> Result<pb::AssistanceList, Status> {
    may_read(&info.identity, svc.engine.me())?;
    if !r.state.is_empty() && !regiosync_records::assistance::state::ALL.contains(&r.state.as_str()) {
        return Err(Status::invalid_argument(format!(
            "state: '{}' is not a request state ({})",
            r.state,
            regiosync_records::assistance::state::ALL.join(", ")
        )));
    }
    let member = match r.member.as_str() {
        "" => None,
        m => Some(
            svc.engine
                .members()
                .member_field("member", m)
                .map_err(|e| Status::invalid_argument(e.to_string()))?
                .to_string(),
        ),
    };
    let mut requests = svc.reader().assistances().await?;
    requests.retain(|v| {
        let ended = matches!(v.state.as_str(), "closed" | "cancelled");
        let involves = |m: &String| {
            v.record.as_ref().is_some_and(|x| &x.origin == m) || v.addressees.iter().any(|a| &a.member == m)
        };
        (r.state.is_empty() || v.state == r.state) && !(r.open_only && ended) && member.as_ref().is_none_or(involves)
    });
    requests.sort_by_key(|v| std::cmp::Reverse(v.requested_unix_ms));
    Ok(pb::AssistanceList { requests })
}
