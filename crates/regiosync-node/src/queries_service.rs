//! The `Queries` service: the national questions as gRPC, over [`crate::answers`] (which
//! reads the aggregates and derives the answers). NL answers for the country; a region's node
//! answers for what it holds. A region's operator asks their own node only: NL's aggregates
//! include records outside the region's audience. This file is the glue: who may ask, the
//! request's arguments checked, the answer.
use std::sync::Arc;

use regiosync_records::pb as rpb;
use regiosync_types::{MemberKind, NodeId};
use tonic::{Request, Response, Status};

use crate::access::may_read;
use crate::answers::{self, Answers};
use crate::listener::PeerInfo;
use crate::pb;
use crate::request::answer;

pub struct QueriesService {
    pub answers: Arc<Answers>,
}

impl QueriesService {
    fn may_ask(&self, info: &PeerInfo) -> Result<(), Status> {
        may_read(&info.identity, self.answers.engine().me())
    }

    /// A request field that must name a region of this node's federation.
    fn region_arg(&self, field: &str, value: &str) -> Result<NodeId, Status> {
        let r = NodeId::parse_field(field, value).map_err(|e| Status::invalid_argument(e.to_string()))?;
        match self.answers.engine().members().kind(r) {
            Some(MemberKind::Region) => Ok(r),
            Some(kind) => Err(Status::invalid_argument(format!(
                "{field}: {r} is a {} member, not a region",
                kind.as_str()
            ))),
            None => Err(Status::invalid_argument(format!(
                "{field}: {r} is not a member of this federation"
            ))),
        }
    }

    /// An optional region argument: empty is none.
    fn optional_region(&self, field: &str, value: &str) -> Result<Option<NodeId>, Status> {
        match value {
            "" => Ok(None),
            v => self.region_arg(field, v).map(Some),
        }
    }
}

#[tonic::async_trait]
impl pb::queries_server::Queries for QueriesService {
    async fn national_capacity(
        &self,
        req: Request<pb::NationalCapacityRequest>,
    ) -> Result<Response<rpb::NationalCapacity>, Status> {
        answer(req, |info, _| async move {
            self.may_ask(&info)?;
            self.answers.ask(&answers::NationalCapacity).await
        })
        .await
    }

    async fn resource_by_region(
        &self,
        req: Request<pb::ResourceByRegionRequest>,
    ) -> Result<Response<rpb::ResourceByRegion>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::ResourceByRegion {
                region: self.optional_region("region", &r.region)?,
                resource_type: r.resource_type,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn agreement_coverage(
        &self,
        req: Request<pb::AgreementCoverageRequest>,
    ) -> Result<Response<rpb::AgreementCoverage>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::AgreementCoverage {
                expiring_within_days: r.expiring_within_days,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn evaluation_benchmark(
        &self,
        req: Request<pb::EvaluationBenchmarkRequest>,
    ) -> Result<Response<rpb::EvaluationBenchmark>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::EvaluationBenchmark {
                region: self.optional_region("region", &r.region)?,
                year: r.year,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn in_control(&self, req: Request<pb::InControlRequest>) -> Result<Response<rpb::InControlCard>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::InControl {
                region: self.region_arg("region", &r.region)?,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn data_quality(&self, req: Request<pb::DataQualityRequest>) -> Result<Response<rpb::DataQuality>, Status> {
        answer(req, |info, _| async move {
            self.may_ask(&info)?;
            self.answers.ask(&answers::DataQuality).await
        })
        .await
    }

    async fn open_assistance(
        &self,
        req: Request<pb::OpenAssistanceRequest>,
    ) -> Result<Response<rpb::OpenAssistance>, Status> {
        answer(req, |info, _| async move {
            self.may_ask(&info)?;
            self.answers.ask(&answers::OpenAssistance).await
        })
        .await
    }

    async fn assistance_by_region(
        &self,
        req: Request<pb::AssistanceByRegionRequest>,
    ) -> Result<Response<rpb::AssistanceByRegion>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::AssistanceByRegion {
                period: answers::Period::parse(&r.from, &r.to)?,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn capacity_history(
        &self,
        req: Request<pb::CapacityHistoryRequest>,
    ) -> Result<Response<rpb::CapacityHistory>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let codes = regiosync_records::CodeLists::shipped();
            if codes
                .latest()
                .get(regiosync_records::codes::list::RESOURCE_TYPES, &r.resource_type)
                .is_none()
            {
                return Err(Status::invalid_argument(format!(
                    "resource_type: '{}' is not a resource type of the code lists, e.g. TS",
                    r.resource_type
                )));
            }
            let today = regiosync_records::calendar::day_of(regiosync_types::now_ms());
            let period =
                regiosync_records::queries::history_period(&r.from, &r.to, today).map_err(Status::invalid_argument)?;
            let lines = match r.region.as_str() {
                "" => Vec::new(),
                "all" => self.answers.regions(),
                v => vec![self.region_arg("region", v)?],
            };
            let q = answers::CapacityHistory {
                resource_type: r.resource_type,
                period,
                lines,
            };
            self.answers.ask(&q).await
        })
        .await
    }

    async fn assistance_by_agreement(
        &self,
        req: Request<pb::AssistanceByAgreementRequest>,
    ) -> Result<Response<rpb::AssistanceByAgreement>, Status> {
        answer(req, |info, r| async move {
            self.may_ask(&info)?;
            let q = answers::AssistanceByAgreement {
                period: answers::Period::parse(&r.from, &r.to)?,
            };
            self.answers.ask(&q).await
        })
        .await
    }
}
