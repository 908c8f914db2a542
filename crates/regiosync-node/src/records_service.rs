//! The `Records` service: people propose and act on agreements, publish capacity and file,
//! correct and withdraw evaluations (`records_eval.rs`) through their own region's node, and read the states derived from what the node
//! holds. Who writes comes from the client certificate: the node fills in every `author` field
//! and the record's origin is always this node's region.
use std::sync::Arc;

use prost::Message;
use regiosync_records::{acts, evaluation, kinds, pb as rpb, CodeLists};
use regiosync_replication::{Draft, Engine};
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::NodeId;
use tonic::{Request, Response, Status};

use crate::access::{may_read, may_write_records};
use crate::answers::{Answers, Reads};
use crate::error::{to_status, version_refused};
use crate::listener::PeerInfo;
use crate::pb;
use crate::records_acts::act;
use crate::records_assist;
use crate::records_eval;
use crate::request::{answer, answer_described, Described};

pub struct RecordsService {
    pub engine: Arc<Engine>,
    /// The read path the `Queries` service uses too (`answers.rs`).
    pub answers: Arc<Answers>,
}

impl RecordsService {
    /// Reads at the engine's now.
    pub(crate) fn reader(&self) -> Reads<'_> {
        self.answers.reads(self.engine.now_ms())
    }

    /// The region this caller writes as (this node's), and the author name records carry.
    pub(crate) fn writer(&self, info: &PeerInfo) -> Result<(NodeId, String), Status> {
        may_write_records(&info.identity, self.engine.me(), self.engine.members())
    }

    /// Store one record as this node's region.
    pub(crate) async fn publish(
        &self,
        kind: &str,
        payload: Vec<u8>,
        status: i32,
        audience: Vec<String>,
        expires_unix_ms: i64,
    ) -> Result<pb::RecordRef, Status> {
        self.publish_draft(Draft {
            kind: kind.into(),
            status,
            audience,
            expires_unix_ms,
            payload,
            ..Draft::default()
        })
        .await
    }

    /// Store one record as this node's region, with every envelope field of `draft`.
    pub(crate) async fn publish_draft(&self, draft: Draft) -> Result<pb::RecordRef, Status> {
        status_required(draft.status)?;
        let kind = draft.kind.clone();
        let p = self.engine.publish(draft).await.map_err(to_status)?;
        Ok(pb::RecordRef {
            id: p.id,
            origin: p.origin.to_string(),
            seq: p.seq,
            kind,
            already_filed: false,
        })
    }
}

fn status_required(status: i32) -> Result<(), Status> {
    match RecordStatus::try_from(status) {
        Ok(RecordStatus::Actual | RecordStatus::Exercise | RecordStatus::Test) => Ok(()),
        _ => Err(Status::invalid_argument("status: required (actual, exercise or test)")),
    }
}

/// `author` is the node's to fill in; a request that sets it is refused rather than overruled.
pub(crate) fn author_empty(field: &str, value: &str) -> Result<(), Status> {
    if value.is_empty() {
        Ok(())
    } else {
        Err(Status::invalid_argument(format!(
            "{field}: set by the node from your client certificate; leave it empty"
        )))
    }
}

pub(crate) fn latest_codes(v: &mut u32) {
    if *v == 0 {
        *v = CodeLists::shipped().latest().version;
    }
}

fn region_field(field: &str, value: &str) -> Result<NodeId, Status> {
    NodeId::parse_field(field, value).map_err(|e| Status::invalid_argument(e.to_string()))
}

#[tonic::async_trait]
impl pb::records_server::Records for RecordsService {
    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn propose_agreement(
        &self,
        req: Request<pb::ProposeAgreementRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe =
            |r: &pb::ProposeAgreementRequest| Described::ids(r.agreement.iter().map(|a| a.agreement_id.clone()));
        answer_described(req, describe, |info, r| async move {
            let (_, author) = self.writer(&info)?;
            let mut a = r
                .agreement
                .ok_or_else(|| Status::invalid_argument("agreement: required"))?;
            author_empty("author", &a.author)?;
            a.author = author;
            latest_codes(&mut a.code_list_version);
            // Versions are numbered in order: the first is 1, an amendment the next number.
            let held = self.reader().agreement(&a.agreement_id).await?;
            acts::proposed_version(&a.agreement_id, a.version, held.as_ref()).map_err(version_refused)?;
            let audience = a.parties.iter().map(|p| p.region.clone()).collect();
            self.publish(kinds::AGREEMENT, a.encode_to_vec(), r.status, audience, 0)
                .await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn act_on_agreement(
        &self,
        req: Request<pb::AgreementActionRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe = |r: &pb::AgreementActionRequest| Described {
            ids: vec![r.agreement_id.clone()],
            detail: Some(format!("action={} version={}", r.action().as_str_name(), r.version)),
        };
        answer_described(req, describe, |info, r| async move { act(self, &info, r).await }).await
    }

    async fn get_agreement(
        &self,
        req: Request<pb::GetAgreementRequest>,
    ) -> Result<Response<rpb::AgreementView>, Status> {
        let describe = |r: &pb::GetAgreementRequest| Described::ids([r.agreement_id.clone()]);
        answer_described(req, describe, |info, r| async move {
            let id = r.agreement_id;
            may_read(&info.identity, self.engine.me())?;
            self.reader()
                .agreement(&id)
                .await?
                .ok_or_else(|| Status::not_found(format!("no agreement '{id}' visible to {}", info.identity)))
        })
        .await
    }

    async fn list_agreements(
        &self,
        req: Request<pb::ListAgreementsRequest>,
    ) -> Result<Response<pb::AgreementList>, Status> {
        answer(req, |info, r| async move {
            let party = match r.party.as_str() {
                "" => None,
                p => Some(region_field("party", p)?.to_string()),
            };
            may_read(&info.identity, self.engine.me())?;
            let mut agreements = self.reader().agreements().await?;
            agreements.retain(|a| {
                let is_party = |p: &String| {
                    a.versions.iter().any(|v| {
                        v.agreement
                            .as_ref()
                            .is_some_and(|ag| ag.parties.iter().any(|x| &x.region == p))
                    })
                };
                party.as_ref().is_none_or(is_party) && (r.state.is_empty() || a.state == r.state)
            });
            Ok(pb::AgreementList { agreements })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn publish_capacity(
        &self,
        req: Request<pb::PublishCapacityRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        answer(req, |info, r| async move {
            let (me, author) = self.writer(&info)?;
            let mut report = r.report.ok_or_else(|| Status::invalid_argument("report: required"))?;
            author_empty("author", &report.author)?;
            report.author = author;
            latest_codes(&mut report.code_list_version);
            if report.region.is_empty() {
                report.region = me.to_string();
            }
            // No envelope expiry: a report past its valid_until is still held and shown, as stale.
            self.publish(kinds::CAPACITY_REPORT, report.encode_to_vec(), r.status, r.audience, 0)
                .await
        })
        .await
    }

    async fn get_capacity(&self, req: Request<pb::GetCapacityRequest>) -> Result<Response<rpb::CapacityView>, Status> {
        answer(req, |info, r| async move {
            let region = region_field("region", &r.region)?;
            may_read(&info.identity, self.engine.me())?;
            let views = self.reader().capacity(Some(region), true).await?;
            // The actual report when there is one, else the newest exercise or test report.
            views.into_iter().next().ok_or_else(|| {
                Status::not_found(format!("no capacity report of {region} visible to {}", info.identity))
            })
        })
        .await
    }

    async fn list_capacity(&self, req: Request<pb::ListCapacityRequest>) -> Result<Response<pb::CapacityList>, Status> {
        answer(req, |info, r| async move {
            may_read(&info.identity, self.engine.me())?;
            let reports = self.reader().capacity(None, r.include_non_actual).await?;
            let missing = self
                .engine
                .members()
                .regions()
                .filter(|n| {
                    !reports
                        .iter()
                        .any(|v| v.region == n.to_string() && v.record.as_ref().is_some_and(|m| m.status == "actual"))
                })
                .map(|n| n.to_string())
                .collect();
            Ok(pb::CapacityList { reports, missing })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn submit_evaluation(
        &self,
        req: Request<pb::SubmitEvaluationRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe = |r: &pb::SubmitEvaluationRequest| {
            Described::ids(
                r.summary
                    .iter()
                    .filter(|s| !s.corrects.is_empty())
                    .map(|s| s.corrects.clone()),
            )
        };
        answer_described(req, describe, |info, r| async move {
            records_eval::submit(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn withdraw_evaluation(
        &self,
        req: Request<pb::WithdrawEvaluationRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe = |r: &pb::WithdrawEvaluationRequest| Described::ids([r.evaluation_id.clone()]);
        answer_described(req, describe, |info, r| async move {
            records_eval::withdraw(self, &info, r).await
        })
        .await
    }

    async fn get_evaluation(
        &self,
        req: Request<pb::GetEvaluationRequest>,
    ) -> Result<Response<rpb::EvaluationView>, Status> {
        let describe = |r: &pb::GetEvaluationRequest| Described::ids([r.id.clone()]);
        answer_described(req, describe, |info, r| async move {
            records_eval::get(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn request_assistance(
        &self,
        req: Request<pb::RequestAssistanceRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        answer(
            req,
            |info, r| async move { records_assist::request(self, &info, r).await },
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn answer_assistance(
        &self,
        req: Request<pb::AnswerAssistanceRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe = |r: &pb::AnswerAssistanceRequest| Described::ids(r.offer.iter().map(|o| o.request_id.clone()));
        answer_described(req, describe, |info, r| async move {
            records_assist::answer(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn accept_assistance(
        &self,
        req: Request<pb::AcceptAssistanceRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe =
            |r: &pb::AcceptAssistanceRequest| Described::ids(r.acceptance.iter().map(|a| a.request_id.clone()));
        answer_described(req, describe, |info, r| async move {
            records_assist::accept(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn report_deployment(
        &self,
        req: Request<pb::ReportDeploymentRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe =
            |r: &pb::ReportDeploymentRequest| Described::ids(r.deployment.iter().map(|d| d.request_id.clone()));
        answer_described(req, describe, |info, r| async move {
            records_assist::report(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn close_assistance(
        &self,
        req: Request<pb::CloseAssistanceRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe = |r: &pb::CloseAssistanceRequest| Described::ids(r.close.iter().map(|c| c.request_id.clone()));
        answer_described(req, describe, |info, r| async move {
            records_assist::close(self, &info, r).await
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn route_assistance(
        &self,
        req: Request<pb::RouteAssistanceRequest>,
    ) -> Result<Response<pb::RecordRef>, Status> {
        let describe =
            |r: &pb::RouteAssistanceRequest| Described::ids(r.routing.as_ref().map(|g| g.request_id.clone()));
        answer_described(req, describe, |info, r| async move {
            records_assist::route(self, &info, r).await
        })
        .await
    }

    async fn get_assistance(
        &self,
        req: Request<pb::GetAssistanceRequest>,
    ) -> Result<Response<rpb::AssistanceView>, Status> {
        let describe = |r: &pb::GetAssistanceRequest| Described::ids([r.request_id.clone()]);
        answer_described(req, describe, |info, r| async move {
            records_assist::get(self, &info, r).await
        })
        .await
    }

    async fn list_assistance(
        &self,
        req: Request<pb::ListAssistanceRequest>,
    ) -> Result<Response<pb::AssistanceList>, Status> {
        answer(req, |info, r| async move { records_assist::list(self, &info, r).await }).await
    }

    async fn list_evaluations(
        &self,
        req: Request<pb::ListEvaluationsRequest>,
    ) -> Result<Response<pb::EvaluationList>, Status> {
        answer(req, |info, r| async move {
            let region = match r.region.as_str() {
                "" => None,
                v => Some(region_field("region", v)?),
            };
            may_read(&info.identity, self.engine.me())?;
            let evaluations = self.reader().evaluations(region).await?;
            let year = format!("{:04}-", r.year);
            let in_year = |e: &&pb::EvaluationView| {
                r.year == 0
                    || e.summary
                        .as_ref()
                        .and_then(|s| s.event.as_ref())
                        .is_some_and(|ev| ev.date.starts_with(&year))
            };
            // Each evaluation once, as its current version; withdrawn ones only when asked for.
            let shown = |e: &&pb::EvaluationView| r.include_withdrawn || e.state != evaluation::WITHDRAWN;
            evaluation_page(
                evaluations.iter().filter(shown).filter(in_year),
                r.page_size,
                &r.page_token,
            )
        })
        .await
    }
}

/// Page size of `ListEvaluations` when the caller sets none, and the largest it gets.
pub const EVALUATION_PAGE: (usize, usize) = (100, 500);

/// One page of `all` (in the list's order): after the evaluation `token` names (the record id
/// of the last one of the previous page), at most `size` (0: the default; capped at the
/// largest), and the token of the next page when more follow.
fn evaluation_page<'a>(
    all: impl Iterator<Item = &'a pb::EvaluationView>,
    size: u32,
    token: &str,
) -> Result<pb::EvaluationList, Status> {
    let (default, max) = EVALUATION_PAGE;
    let size = match size as usize {
        0 => default,
        n => n.min(max),
    };
    let id = |v: &pb::EvaluationView| v.record.as_ref().map_or(String::new(), |m| m.id.clone());
    let mut all = all;
    // Past the token's evaluation; only ids are compared, nothing is copied before the page.
    if !token.is_empty() && !all.any(|v| v.record.as_ref().is_some_and(|m| m.id == token)) {
        return Err(Status::invalid_argument(format!(
            "page_token: no evaluation '{token}' in this list: start again without a page token"
        )));
    }
    let mut evaluations: Vec<pb::EvaluationView> = all.take(size + 1).cloned().collect();
    let next_page_token = match evaluations.len() > size {
        true => {
            evaluations.truncate(size);
            evaluations.last().map(id).unwrap_or_default()
        }
        false => String::new(),
    };
    Ok(pb::EvaluationList {
        evaluations,
        next_page_token,
    })
}

#[cfg(test)]
mod page_tests {
    use super::*;

    fn views(n: usize) -> Vec<pb::EvaluationView> {
        (0..n)
            .map(|i| pb::EvaluationView {
                record: Some(regiosync_records::pb::RecordMeta {
                    id: format!("VR01-{i}"),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect()
    }

    fn ids(l: &pb::EvaluationList) -> Vec<String> {
        l.evaluations
            .iter()
            .map(|v| v.record.as_ref().unwrap().id.clone())
            .collect()
    }

    #[test]
    fn pages_follow_each_other_and_are_bounded() {
        let p1 = evaluation_page(views(5).iter(), 2, "").unwrap();
        assert_eq!(ids(&p1), ["VR01-0", "VR01-1"]);
        assert_eq!(p1.next_page_token, "VR01-1");
        let p2 = evaluation_page(views(5).iter(), 2, &p1.next_page_token).unwrap();
        assert_eq!(ids(&p2), ["VR01-2", "VR01-3"]);
        let p3 = evaluation_page(views(5).iter(), 2, &p2.next_page_token).unwrap();
        assert_eq!(
            (ids(&p3), p3.next_page_token.as_str()),
            (vec!["VR01-4".to_string()], "")
        );
        // Exactly a page: no next page.
        assert_eq!(evaluation_page(views(2).iter(), 2, "").unwrap().next_page_token, "");
        // The default and the largest page.
        assert_eq!(
            evaluation_page(views(150).iter(), 0, "").unwrap().evaluations.len(),
            100
        );
        assert_eq!(
            evaluation_page(views(900).iter(), 10_000, "")
                .unwrap()
                .evaluations
                .len(),
            500
        );
        let e = evaluation_page(views(3).iter(), 2, "VR09-1").unwrap_err();
        assert_eq!(e.code(), tonic::Code::InvalidArgument);
        assert!(e.message().contains("VR09-1"), "{e:?}");
    }
}
