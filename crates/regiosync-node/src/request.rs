//! The one request wrapper every handler goes through: who calls (from the certificate the
//! listener recorded, never from the request), the handler's own check and work, and what the
//! request's audit line says beyond its outcome: the ids read or written and a detail. The
//! line itself is written by `audit_layer.rs` when the response ends, with the status the node
//! sent, so every request has exactly one line (also those that never reach a handler). Errors
//! are mapped to statuses in `error.rs`, before they get here.
use std::future::Future;

use regiosync_records::pb as rpb;
use tonic::{Request, Response, Status};

use crate::audit_layer::Note;
use crate::listener::PeerInfo;
use crate::pb;

/// The caller of a request, as its client certificate says (set by the listener).
pub(crate) fn peer_info<T>(req: &Request<T>) -> Result<PeerInfo, Status> {
    req.extensions()
        .get::<PeerInfo>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("no client certificate"))
}

/// What the audit line of a request says of it before the work: ids it asks for, a detail.
#[derive(Default)]
pub(crate) struct Described {
    pub ids: Vec<String>,
    pub detail: Option<String>,
}

impl Described {
    /// The request names these ids.
    pub(crate) fn ids(ids: impl IntoIterator<Item = String>) -> Described {
        Described {
            ids: ids.into_iter().collect(),
            detail: None,
        }
    }

    /// The request is described as `detail`.
    pub(crate) fn detail(detail: String) -> Described {
        Described {
            ids: Vec::new(),
            detail: Some(detail),
        }
    }
}

/// Tell the audit line of `req` what the handler knows of it (streams, which do not go through
/// [`answer`]).
pub(crate) fn note<T>(req: &Request<T>, described: Described) {
    if let Some(note) = req.extensions().get::<Note>() {
        note.add(described.ids, described.detail);
    }
}

/// Answer `req` with `work` (given the caller and the request's message); the ids of the
/// answer go into the request's audit line.
pub(crate) async fn answer<T, R, Fut>(
    req: Request<T>,
    work: impl FnOnce(PeerInfo, T) -> Fut,
) -> Result<Response<R>, Status>
where
    Fut: Future<Output = Result<R, Status>>,
    R: AuditIds,
{
    answer_described(req, |_| Described::default(), work).await
}

/// As [`answer`], with what `describe` says of the request (the ids it names, e.g. the entry
/// a `GetEntry` asks for, also when it is refused; the kind it publishes).
pub(crate) async fn answer_described<T, R, Fut>(
    req: Request<T>,
    describe: impl FnOnce(&T) -> Described,
    work: impl FnOnce(PeerInfo, T) -> Fut,
) -> Result<Response<R>, Status>
where
    Fut: Future<Output = Result<R, Status>>,
    R: AuditIds,
{
    let info = peer_info(&req)?;
    let note = req.extensions().get::<Note>().cloned().unwrap_or_default();
    let message = req.into_inner();
    let described = describe(&message);
    note.add(described.ids, described.detail);
    let answer = work(info, message).await?;
    note.add(answer.audit_ids(), None);
    Ok(Response::new(answer))
}

/// The entry or record ids an answer holds (read or written), for its audit line.
pub(crate) trait AuditIds {
    fn audit_ids(&self) -> Vec<String>;
}

macro_rules! no_ids {
    ($($t:ty),* $(,)?) => {
        $(impl AuditIds for $t {
            fn audit_ids(&self) -> Vec<String> {
                Vec::new()
            }
        })*
    };
}

// Aggregated answers: counts and states over many records, no record read as such.
no_ids!(
    pb::BackupResponse,
    pb::StatusResponse,
    rpb::NationalCapacity,
    rpb::ResourceByRegion,
    rpb::AgreementCoverage,
    rpb::EvaluationBenchmark,
    rpb::InControlCard,
    rpb::DataQuality,
    rpb::AssistanceByRegion,
    rpb::AssistanceByAgreement,
    rpb::CapacityHistory,
);

/// The open requests are listed one by one: their ids.
impl AuditIds for rpb::OpenAssistance {
    fn audit_ids(&self) -> Vec<String> {
        self.requests.iter().map(|r| r.request_id.clone()).collect()
    }
}

fn meta_id(m: &Option<rpb::RecordMeta>) -> Vec<String> {
    m.iter().map(|m| m.id.clone()).collect()
}

impl AuditIds for pb::PublishResponse {
    fn audit_ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl AuditIds for pb::EntryView {
    fn audit_ids(&self) -> Vec<String> {
        self.body.iter().map(|b| b.id.clone()).collect()
    }
}

impl AuditIds for pb::ListResponse {
    fn audit_ids(&self) -> Vec<String> {
        self.entries.iter().flat_map(AuditIds::audit_ids).collect()
    }
}

impl AuditIds for pb::RecordRef {
    fn audit_ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl AuditIds for rpb::AgreementView {
    fn audit_ids(&self) -> Vec<String> {
        vec![self.agreement_id.clone()]
    }
}

impl AuditIds for pb::AgreementList {
    fn audit_ids(&self) -> Vec<String> {
        self.agreements.iter().map(|a| a.agreement_id.clone()).collect()
    }
}

impl AuditIds for rpb::AssistanceView {
    fn audit_ids(&self) -> Vec<String> {
        meta_id(&self.record)
    }
}

impl AuditIds for pb::AssistanceList {
    fn audit_ids(&self) -> Vec<String> {
        self.requests.iter().flat_map(AuditIds::audit_ids).collect()
    }
}

impl AuditIds for rpb::CapacityView {
    fn audit_ids(&self) -> Vec<String> {
        meta_id(&self.record)
    }
}

impl AuditIds for pb::CapacityList {
    fn audit_ids(&self) -> Vec<String> {
        self.reports.iter().flat_map(AuditIds::audit_ids).collect()
    }
}

impl AuditIds for rpb::EvaluationView {
    fn audit_ids(&self) -> Vec<String> {
        meta_id(&self.record)
    }
}

impl AuditIds for pb::EvaluationList {
    fn audit_ids(&self) -> Vec<String> {
        self.evaluations.iter().flat_map(AuditIds::audit_ids).collect()
    }
}
