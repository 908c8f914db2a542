//! Valid sample records for tests (agreement, capacity report, evaluation summary), dated
//! relative to today, and a `Records` client for a person. Tests break one field at a time.
use std::time::Duration;

use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    AgreementAction, AgreementActionRequest, GetAgreementRequest, ProposeAgreementRequest, PublishCapacityRequest,
    SubmitEvaluationRequest,
};
use regiosync_records::pb;
use regiosync_records::{calendar, testsuite, time, CodeLists};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use tonic::transport::Channel;

use crate::{eventually, TestFed};

use regiosync_types::now_ms;

/// The date `offset` days from today (the Dutch day), "YYYY-MM-DD".
pub fn date(offset_days: i64) -> String {
    date_from(now_ms(), offset_days)
}

/// The date `offset` days from the Dutch day of `now_ms`, "YYYY-MM-DD".
pub fn date_from(now_ms: i64, offset_days: i64) -> String {
    time::format_date(calendar::day_of(now_ms) + offset_days)
}

/// The moment `offset_ms` from now, "YYYY-MM-DDTHH:MM:SSZ".
pub fn moment(offset_ms: i64) -> String {
    time::format_moment(now_ms() + offset_ms)
}

/// The sample agreement (`regiosync_records::testsuite`) as a first version between `parties`
/// (every party may request and assist), in force from 30 days ago for a year, 30 days'
/// notice, author left to the node.
pub fn agreement(id: &str, parties: &[NodeId]) -> pb::Agreement {
    pb::Agreement {
        agreement_id: id.into(),
        title: format!("Bijstand waterongevallen {id}"),
        parties: parties
            .iter()
            .map(|p| testsuite::party(&p.to_string(), "both"))
            .collect(),
        validity: Some(pb::Validity {
            effective_from: date(-30),
            valid_until: date(335),
            notice_days: 30,
        }),
        author: String::new(),
        ..testsuite::agreement()
    }
}

/// A valid capacity report (region left empty: the node fills in its own), as of an hour ago,
/// valid for a day; lines are (type, baseline, available, committed, out of service).
pub fn capacity(lines: &[(&str, u32, u32, u32, u32)]) -> pb::CapacityReport {
    pb::CapacityReport {
        region: String::new(),
        as_of: moment(-3_600_000),
        valid_until: moment(23 * 3_600_000),
        code_list_version: 2,
        entries: lines
            .iter()
            .map(|&(t, baseline, available, committed, out_of_service)| {
                testsuite::line(t, baseline, available, committed, out_of_service)
            })
            .collect(),
        ..Default::default()
    }
}

/// The sample evaluation as one of an incident `days_ago`, every rated area (from the code
/// lists) rated `rating`, one open action due 90 days after it, not yet reported to the board,
/// verifying nothing; region and author left to the node.
pub fn evaluation(days_ago: i64, rating: &str) -> pb::EvaluationSummary {
    let sample = testsuite::evaluation();
    pb::EvaluationSummary {
        region: String::new(),
        event: Some(pb::Event {
            date: date(-days_ago),
            ..sample.event.clone().expect("the sample has an event")
        }),
        ratings: CodeLists::rated_areas()
            .iter()
            .map(|area| testsuite::rating(area, rating))
            .collect(),
        actions: vec![pb::ImprovementAction {
            description: "LCMS-training voor alle informatiemanagers".into(),
            ..testsuite::improvement("A1", "informatiemanagement", &date(-days_ago + 90))
        }],
        reported_to_board: String::new(),
        verifies: Vec::new(),
        author: String::new(),
        ..sample
    }
}

impl TestFed {
    /// A `Records` client at `node` for a person with `identity`.
    pub async fn records_client(&self, node: NodeId, identity: Identity) -> RecordsClient<Channel> {
        RecordsClient::new(self.person_channel(node, identity).await)
    }

    /// A `Records` client at a region's own node for its operator `name`.
    pub async fn operator(&self, region: NodeId, name: &str) -> RecordsClient<Channel> {
        self.records_client(region, Identity::operator(region, name)).await
    }
}

/// Publish a capacity report through `c` (the caller's own region), or panic.
pub async fn publish(c: &mut RecordsClient<Channel>, r: pb::CapacityReport, status: Status) {
    c.publish_capacity(PublishCapacityRequest {
        report: Some(r),
        status: status as i32,
        audience: Vec::new(),
    })
    .await
    .expect("publish capacity");
}

/// Propose an actual agreement through `c`, or panic.
pub async fn propose(c: &mut RecordsClient<Channel>, a: pb::Agreement) {
    c.propose_agreement(ProposeAgreementRequest {
        agreement: Some(a),
        status: Status::Actual as i32,
    })
    .await
    .expect("propose");
}

/// Sign the newest version at `c`'s node once it has arrived there.
pub async fn sign(c: &mut RecordsClient<Channel>, id: &str) {
    let get = GetAgreementRequest {
        agreement_id: id.into(),
    };
    eventually(&format!("{id} arrives"), Duration::from_secs(30), || {
        let mut c = c.clone();
        let get = get.clone();
        async move { c.get_agreement(get).await.is_ok() }
    })
    .await;
    let view = c.get_agreement(get).await.unwrap().into_inner();
    let hash = view.versions.last().unwrap().content_sha256.clone();
    c.act_on_agreement(AgreementActionRequest {
        action: AgreementAction::Sign as i32,
        agreement_id: id.into(),
        content_sha256: hash,
        ..Default::default()
    })
    .await
    .expect("sign");
}

/// Submit an evaluation through `c`, or panic.
pub async fn submit(c: &mut RecordsClient<Channel>, e: pb::EvaluationSummary, status: Status) {
    c.submit_evaluation(SubmitEvaluationRequest {
        summary: Some(e),
        status: status as i32,
        federation_wide: false,
    })
    .await
    .expect("submit evaluation");
}
