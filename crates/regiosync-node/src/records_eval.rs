//! Evaluations as this node's region: file one, correct one (`summary.corrects`: through the
//! same `SubmitEvaluation`), withdraw one, and read one version. The rules of
//! [`regiosync_records::acts::evaluation`] over the region's evaluations as this node holds
//! them: the same content filed again is answered with the record that holds it
//! (`already_filed`, nothing stored); only the current version of the region's own evaluation
//! is corrected or withdrawn, never a withdrawn one; a correction keeps its status. A
//! correction goes at least to everyone the version it corrects went to (and names it in the
//! envelope's `supersedes`), a withdrawal to everyone the current version went to, so every
//! node that counted the evaluation hears of the change.
use prost::Message;
use regiosync_records::acts::{self, evaluation as rules};
use regiosync_records::{kinds, pb as rpb};
use regiosync_replication::Draft;
use regiosync_types::NodeId;
use tonic::Status;

use crate::access::may_read;
use crate::error::{evaluation_refused, to_status, verify_refused};
use crate::listener::PeerInfo;
use crate::pb;
use crate::records_service::{author_empty, latest_codes, RecordsService};

/// The audience of the held entry `id` (empty when it is not held: the node adds NL and itself).
async fn audience_of(svc: &RecordsService, id: &str) -> Result<Vec<String>, Status> {
    let entry = svc.engine.get(id.to_string()).await.map_err(to_status)?;
    Ok(entry.map_or_else(Vec::new, |e| {
        e.envelope.audience.iter().map(|n| n.to_string()).collect()
    }))
}

/// The view of `id` among `me`'s evaluations, which `me` may correct or withdraw.
async fn changeable(
    svc: &RecordsService,
    field: &'static str,
    id: &str,
    me: NodeId,
) -> Result<rpb::EvaluationView, Status> {
    let held = svc.reader().evaluation(me, id).await?;
    rules::changeable(field, id, me, held.as_ref()).map_err(evaluation_refused)?;
    held.ok_or_else(|| Status::internal("a changeable evaluation without a view"))
}

pub(crate) async fn submit(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::SubmitEvaluationRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let mut summary = r.summary.ok_or_else(|| Status::invalid_argument("summary: required"))?;
    author_empty("author", &summary.author)?;
    summary.author = author;
    latest_codes(&mut summary.code_list_version);
    if summary.region.is_empty() {
        summary.region = me.to_string();
    }
    let reader = svc.reader();
    // A correction takes the status of the version it corrects.
    let corrected = match summary.corrects.as_str() {
        "" => None,
        id => reader.evaluation(me, id).await?,
    };
    let status = match &corrected {
        Some(held) => rules::correction_status(held, r.status).map_err(evaluation_refused)?,
        None => r.status,
    };
    // Filed before with the same content: the record that holds it, nothing new.
    let records = reader.evaluation_records(me).await?;
    if let Some(held) = rules::already_filed(&summary, status, me, &records) {
        return Ok(pb::RecordRef {
            id: held.id.clone(),
            origin: held.origin.to_string(),
            seq: held.seq,
            kind: kinds::EVALUATION_SUMMARY.into(),
            already_filed: true,
        });
    }
    let mut audience = Vec::new();
    let mut supersedes = Vec::new();
    if !summary.corrects.is_empty() {
        rules::changeable("summary.corrects", &summary.corrects, me, corrected.as_ref()).map_err(evaluation_refused)?;
        audience = audience_of(svc, &summary.corrects).await?;
        supersedes.push(summary.corrects.clone());
    }
    // An action can only be verified if this region holds the evaluation that set it.
    if !summary.verifies.is_empty() {
        let earlier = reader.evaluations(Some(me)).await?;
        acts::verifies(&summary, me, &earlier).map_err(verify_refused)?;
    }
    if r.federation_wide {
        audience.extend(svc.engine.members().regions().map(|n| n.to_string()));
    }
    audience.sort();
    audience.dedup();
    svc.publish_draft(Draft {
        kind: kinds::EVALUATION_SUMMARY.into(),
        status,
        audience,
        supersedes,
        payload: summary.encode_to_vec(),
        ..Draft::default()
    })
    .await
}

pub(crate) async fn withdraw(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::WithdrawEvaluationRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    if r.evaluation_id.is_empty() {
        return Err(Status::invalid_argument("evaluation_id: required"));
    }
    let held = changeable(svc, "evaluation_id", &r.evaluation_id, me).await?;
    let w = rules::withdrawal(&held, me, author, &r.reason).map_err(evaluation_refused)?;
    let status = rules::correction_status(&held, 0).map_err(evaluation_refused)?;
    let audience = audience_of(svc, &r.evaluation_id).await?;
    svc.publish(kinds::EVALUATION_WITHDRAWAL, w.encode_to_vec(), status, audience, 0)
        .await
}

/// The version `id` names (any version, a resubmission of one, or the withdrawal), as held.
pub(crate) async fn get(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::GetEvaluationRequest,
) -> Result<rpb::EvaluationView, Status> {
    let id = r.id;
    may_read(&info.identity, svc.engine.me())?;
    let not_found = || Status::not_found(format!("no evaluation '{id}' held at {}", svc.engine.me()));
    let entry = svc
        .engine
        .get(id.clone())
        .await
        .map_err(to_status)?
        .ok_or_else(not_found)?;
    let kind = entry.envelope.kind.as_str();
    if kind != kinds::EVALUATION_SUMMARY && kind != kinds::EVALUATION_WITHDRAWAL {
        return Err(not_found());
    }
    svc.reader()
        .evaluation(entry.envelope.origin, &id)
        .await?
        .ok_or_else(not_found)
}
