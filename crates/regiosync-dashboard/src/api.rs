//! The dashboard's JSON endpoints: each asks the node's `Queries` service over mutual TLS and
//! returns the answer message as JSON (field names as in `proto/regiosync/v1/queries.proto`).
//! A refused question comes back as `{"error": {"code", "grpc_code", "message"}}` with the
//! gRPC status code and message and a matching HTTP status.
//!
//! | path                                   | question                                  |
//! |----------------------------------------|-------------------------------------------|
//! | `/api/meta?lang=nl`                    | names, neighbours, code lists, the texts  |
//! | `/api/national-capacity`               | `NationalCapacity`                        |
//! | `/api/resource?type=TS&region=`        | `ResourceByRegion`                        |
//! | `/api/coverage?expiring_within_days=`  | `AgreementCoverage`                       |
//! | `/api/benchmark?region=&year=`         | `EvaluationBenchmark`                     |
//! | `/api/in-control?region=VR01`          | `InControl`                               |
//! | `/api/ratings`                         | `InControl` for every region: `{cards}`   |
//! | `/api/data-quality`                    | `DataQuality`                             |
//! | `/api/assistance`                      | `ListAssistance` (Records): newest first  |
//! | `/api/assistance/<request id>`         | `GetAssistance` (Records)                 |
//! | `/api/capacity-history?type=TS&region=&from=&to=` | `CapacityHistory`              |
//! | `/api/evaluations?region=`             | `ListEvaluations` (Records), every page   |
//! | `/api/agreement/<agreement id>`        | `GetAgreement` (Records)                  |
//! | `/api/evaluation/<record id>`          | `GetEvaluation` (Records)                 |
//! | `/api/capacity/<region>`               | `GetCapacity` (Records)                   |
//!
//! The language of `/api/meta` (its texts and code names): `lang=`, else
//! `regiosync dashboard --lang`, else the browser's `Accept-Language`, else Dutch.
use hyper::StatusCode;
use regiosync_i18n::{Catalog, Lang};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    AgreementCoverageRequest, CapacityHistoryRequest, DataQualityRequest, EvaluationBenchmarkRequest,
    GetAgreementRequest, GetAssistanceRequest, GetCapacityRequest, GetEvaluationRequest, InControlRequest,
    ListAssistanceRequest, ListEvaluationsRequest, NationalCapacityRequest, ResourceByRegionRequest,
};
use regiosync_records::codes::{list, CodeLists};
use regiosync_types::NodeId;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::task::JoinSet;
use tonic::transport::Channel;

use super::http::Query;
use super::Settings;

/// Largest answer taken from the node.
const MAX_ANSWER: usize = 64 * 1024 * 1024;

/// A question the dashboard could not answer.
#[derive(Debug)]
pub struct ApiError {
    pub http: StatusCode,
    /// The gRPC code's name, e.g. "InvalidArgument".
    pub code: String,
    pub grpc_code: i32,
    pub message: String,
}

impl ApiError {
    pub fn new(http: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        let grpc_code = match code {
            "InvalidArgument" => tonic::Code::InvalidArgument,
            "NotFound" => tonic::Code::NotFound,
            "PermissionDenied" => tonic::Code::PermissionDenied,
            _ => tonic::Code::Internal,
        } as i32;
        ApiError {
            http,
            code: code.into(),
            grpc_code,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
    }

    pub fn to_json(&self) -> Value {
        json!({"error": {"code": self.code, "grpc_code": self.grpc_code, "message": self.message}})
    }
}

impl From<tonic::Status> for ApiError {
    fn from(s: tonic::Status) -> ApiError {
        use tonic::Code::*;
        let http = match s.code() {
            InvalidArgument | OutOfRange | FailedPrecondition => StatusCode::BAD_REQUEST,
            NotFound => StatusCode::NOT_FOUND,
            PermissionDenied => StatusCode::FORBIDDEN,
            Unauthenticated => StatusCode::UNAUTHORIZED,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
            Unimplemented => StatusCode::NOT_IMPLEMENTED,
            _ => StatusCode::BAD_GATEWAY,
        };
        ApiError {
            http,
            code: format!("{:?}", s.code()),
            grpc_code: s.code() as i32,
            message: s.message().to_string(),
        }
    }
}

type Answer = Result<Value, ApiError>;

fn to_json(answer: Result<tonic::Response<impl Serialize>, tonic::Status>) -> Answer {
    let answer = answer?.into_inner();
    serde_json::to_value(&answer).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal",
            format!("answer as JSON: {e}"),
        )
    })
}

/// The endpoints, over one channel to the node.
pub struct Api {
    client: QueriesClient<Channel>,
    records: RecordsClient<Channel>,
    pub(crate) channel: Channel,
    pub(crate) settings: Settings,
    /// The last answer to each question, shown while the node is away.
    pub(crate) last: crate::last::Last,
}

impl Api {
    pub fn new(channel: Channel, settings: Settings) -> Api {
        Api {
            client: QueriesClient::new(channel.clone()).max_decoding_message_size(MAX_ANSWER),
            records: RecordsClient::new(channel.clone()).max_decoding_message_size(MAX_ANSWER),
            channel,
            settings,
            last: Default::default(),
        }
    }

    /// Answer `path` (starting with `/api/`) with the parameters in `q`.
    pub async fn answer(&self, path: &str, q: &Query, accept_language: &str) -> Answer {
        let mut c = self.client.clone();
        if let Some((kind, id)) = path.strip_prefix("/api/").and_then(|p| p.split_once('/')) {
            q.only(&[])?;
            return self.record(kind, id).await;
        }
        match path {
            "/api/meta" => {
                q.only(&["lang"])?;
                self.meta(self.lang(q, accept_language)?)
            }
            "/api/national-capacity" => {
                q.only(&[])?;
                to_json(c.national_capacity(NationalCapacityRequest {}).await)
            }
            "/api/resource" => {
                q.only(&["type", "region"])?;
                let resource_type = q
                    .get("type")
                    .ok_or_else(|| ApiError::bad("type: required, e.g. type=TS"))?;
                let req = ResourceByRegionRequest {
                    resource_type: resource_type.into(),
                    region: q.get("region").unwrap_or_default().into(),
                };
                to_json(c.resource_by_region(req).await)
            }
            "/api/coverage" => {
                q.only(&["expiring_within_days"])?;
                let days = number(q, "expiring_within_days")?;
                to_json(
                    c.agreement_coverage(AgreementCoverageRequest {
                        expiring_within_days: days,
                    })
                    .await,
                )
            }
            "/api/benchmark" => {
                q.only(&["region", "year"])?;
                let req = EvaluationBenchmarkRequest {
                    region: q.get("region").unwrap_or_default().into(),
                    year: number(q, "year")?,
                };
                to_json(c.evaluation_benchmark(req).await)
            }
            "/api/in-control" => {
                q.only(&["region"])?;
                let region = q
                    .get("region")
                    .ok_or_else(|| ApiError::bad("region: required, e.g. region=VR01"))?;
                to_json(c.in_control(InControlRequest { region: region.into() }).await)
            }
            "/api/ratings" => {
                q.only(&[])?;
                self.all_cards().await
            }
            "/api/capacity-history" => {
                q.only(&["type", "region", "from", "to"])?;
                let req = CapacityHistoryRequest {
                    resource_type: q.get("type").unwrap_or_default().into(),
                    region: q.get("region").unwrap_or_default().into(),
                    from: q.get("from").unwrap_or_default().into(),
                    to: q.get("to").unwrap_or_default().into(),
                };
                to_json(c.capacity_history(req).await)
            }
            "/api/evaluations" => {
                q.only(&["region"])?;
                self.evaluations(q.get("region").unwrap_or_default()).await
            }
            "/api/data-quality" => {
                q.only(&[])?;
                to_json(c.data_quality(DataQualityRequest {}).await)
            }
            "/api/assistance" => {
                q.only(&["state", "open_only", "member"])?;
                let req = ListAssistanceRequest {
                    state: q.get("state").unwrap_or_default().into(),
                    open_only: flag(q, "open_only")?,
                    member: q.get("member").unwrap_or_default().into(),
                };
                // AssistanceList is a Records API envelope (no serde): its views are.
                let list = self.records.clone().list_assistance(req).await?.into_inner();
                to_json(Ok(tonic::Response::new(json!({ "requests": list.requests }))))
            }
            p => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("{p}: no such endpoint"),
            )),
        }
    }

    /// Every evaluation view of `region` (empty: all the caller may see), page after page.
    async fn evaluations(&self, region: &str) -> Answer {
        const MOST_PAGES: usize = 40;
        let mut all = Vec::new();
        let mut token = String::new();
        for _ in 0..MOST_PAGES {
            let req = ListEvaluationsRequest {
                region: region.into(),
                page_size: 500,
                page_token: token.clone(),
                ..Default::default()
            };
            let page = self.records.clone().list_evaluations(req).await?.into_inner();
            all.extend(page.evaluations);
            token = page.next_page_token;
            if token.is_empty() {
                break;
            }
        }
        // EvaluationList is a Records API envelope (no serde): its views are.
        to_json(Ok(tonic::Response::new(
            json!({ "evaluations": all, "complete": token.is_empty() }),
        )))
    }

    /// One record page's answer: `kind` is assistance, agreement, evaluation or capacity.
    async fn record(&self, kind: &str, id: &str) -> Answer {
        let mut r = self.records.clone();
        if id.is_empty() || id.contains('/') {
            return Err(ApiError::bad(format!("{id}: not an id, e.g. VR01-42")));
        }
        match kind {
            "assistance" => to_json(r.get_assistance(GetAssistanceRequest { request_id: id.into() }).await),
            "agreement" => to_json(
                r.get_agreement(GetAgreementRequest {
                    agreement_id: id.into(),
                })
                .await,
            ),
            "evaluation" => to_json(r.get_evaluation(GetEvaluationRequest { id: id.into() }).await),
            "capacity" => to_json(r.get_capacity(GetCapacityRequest { region: id.into() }).await),
            k => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("/api/{k}/: no such endpoint"),
            )),
        }
    }

    /// The language a page or report is in: `lang=` in `q`, else the dashboard's `--lang`,
    /// else the browser's `Accept-Language` (Dutch when it names neither).
    pub fn lang(&self, q: &Query, accept_language: &str) -> Result<Lang, ApiError> {
        match (q.get("lang"), self.settings.lang) {
            (Some(l), _) => l.parse::<Lang>().map_err(ApiError::bad),
            (None, Some(l)) => Ok(l),
            (None, None) => Ok(Lang::from_accept_language(accept_language)),
        }
    }

    /// Every region's "in control" card, asked concurrently, in region order.
    async fn all_cards(&self) -> Answer {
        let mut asking = JoinSet::new();
        for (i, region) in regiosync_types::Federation::shipped().regions().enumerate() {
            let mut c = self.client.clone();
            asking.spawn(async move {
                let card = c
                    .in_control(InControlRequest {
                        region: region.to_string(),
                    })
                    .await;
                (i, to_json(card))
            });
        }
        let mut cards = Vec::new();
        while let Some(done) = asking.join_next().await {
            let (i, card) =
                done.map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal", format!("asking: {e}")))?;
            cards.push((i, card?));
        }
        cards.sort_by_key(|(i, _)| *i);
        Ok(json!({"cards": cards.into_iter().map(|(_, c)| c).collect::<Vec<_>>()}))
    }

    /// What the page needs besides the answers: names, neighbours, code lists, where it asks.
    fn meta(&self, lang: Lang) -> Answer {
        let texts = regiosync_i18n::messages_json(lang, &["dashboard.ftl", "codes.ftl"])
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal", e))?;
        let catalog = Catalog::of(lang);
        let (group, point) = regiosync_i18n::separators(lang);
        let members = regiosync_types::Federation::shipped();
        let regions: Vec<Value> = members
            .regions()
            .map(|r| json!({"code": r.to_string(), "name": members.name(r)}))
            .collect();
        let neighbours: Vec<Value> = members
            .neighbour_edges()
            .iter()
            .map(|(a, b)| json!([a.to_string(), b.to_string()]))
            .collect();
        let codes = CodeLists::shipped().latest();
        let list_of = |name: &str| -> Vec<Value> {
            codes
                .codes(name)
                .into_iter()
                .map(|(code, c)| json!({"code": code, "name": catalog.code_name(name, code, Some(&c.name)), "group": c.group}))
                .collect()
        };
        Ok(json!({
            "node": self.settings.node,
            "who": self.settings.who,
            "refresh_secs": self.settings.refresh_secs,
            "national_name": members.name(NodeId::NL),
            "regions": regions,
            "neighbours": neighbours,
            "areas": list_of(list::RATED_AREAS),
            "ratings": list_of(list::RATINGS),
            "resource_types": list_of(list::RESOURCE_TYPES),
            "escalation_levels": list_of(list::ESCALATION_LEVELS),
            "decline_reasons": list_of(list::DECLINE_REASONS),
            "deployment_states": list_of(list::DEPLOYMENT_STATES),
            "action_status": list_of(list::ACTION_STATUS),
            "verification_results": list_of(list::VERIFICATION_RESULTS),
            "event_kinds": list_of(list::EVENT_KINDS),
            "hazards": list_of(list::HAZARDS),
            "evaluation_methods": list_of(list::EVALUATION_METHODS),
            "party_roles": list_of(list::PARTY_ROLES),
            "code_list_version": codes.version,
            "lang": lang.code(),
            "texts": texts,
            "format": {
                "months": regiosync_i18n::month_names(lang),
                "group": group.to_string(),
                "point": point.to_string(),
            },
        }))
    }
}

/// An optional yes/no parameter (absent = no).
fn flag(q: &Query, name: &str) -> Result<bool, ApiError> {
    match q.get(name) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") | Some("") => Ok(true),
        Some(v) => Err(ApiError::bad(format!("{name}: '{v}' is not true or false"))),
    }
}

/// An optional whole number parameter (absent = 0).
fn number(q: &Query, name: &str) -> Result<u32, ApiError> {
    match q.get(name) {
        None => Ok(0),
        Some(v) => v
            .parse()
            .map_err(|_| ApiError::bad(format!("{name}: '{v}' is not a whole number"))),
    }
}
