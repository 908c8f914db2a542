//! Valid sample records for tests (agreement, capacity report, evaluation summary), dated
//! relative to today, and a `Records` client for a person. Tests break one field at a time.
use std::time::Duration;

use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    AgreementAction, AgreementActionRequest, GetAgreementRequest, ProposeAgreementRequest, PublishCapacityRequest,
    SubmitEvaluationRequest,
};
use regiosync_records::pb;
use regiosync_records::{calendar, time};
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

/// A valid first version between `parties` (the first may request, all may assist), in force
/// from 30 days ago for a year, 30 days' notice.
pub fn agreement(id: &str, parties: &[NodeId]) -> pb::Agreement {
    pb::Agreement {
        agreement_id: id.into(),
        version: 1,
        code_list_version: 2,
        title: format!("Bijstand waterongevallen {id}"),
        purpose: "Wederzijdse bijstand bij waterongevallen in het grensgebied".into(),
        parties: parties
            .iter()
            .map(|p| pb::Party {
                region: p.to_string(),
                role: "both".into(),
            })
            .collect(),
        scope: Some(pb::Scope {
            hazards: vec!["water_rescue".into(), "flood".into()],
            resources: vec![
                pb::ResourceLimit {
                    resource_type: "WO".into(),
                    max_quantity: 2,
                },
                pb::ResourceLimit {
                    resource_type: "DT".into(),
                    max_quantity: 1,
                },
            ],
            area: "grensgebied van de partijen".into(),
        }),
        activation: Some(pb::Activation {
            may_request: vec!["OL".into(), "CvD".into()],
            min_escalation: "GRIP1".into(),
            target_response_minutes: 30,
            procedure: "Via de meldkamer van de assisterende regio, bevestigd door de CvD".into(),
        }),
        cost_reimbursement: "Volgens de landelijke kostenverdeling bijstand".into(),
        command_and_liability: "Eenheden vallen onder de operationele leiding van de ontvangende regio".into(),
        validity: Some(pb::Validity {
            effective_from: date(-30),
            valid_until: date(335),
            notice_days: 30,
        }),
        author: String::new(),
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
            .map(
                |(t, baseline, available, committed, out_of_service)| pb::CapacityEntry {
                    resource_type: (*t).into(),
                    baseline: *baseline,
                    available: *available,
                    committed: *committed,
                    out_of_service: *out_of_service,
                    status: "normal".into(),
                    ..Default::default()
                },
            )
            .collect(),
        ..Default::default()
    }
}

/// A valid evaluation of an incident `days_ago`, every area rated `rating`, one open action.
pub fn evaluation(days_ago: i64, rating: &str) -> pb::EvaluationSummary {
    let areas = [
        "melding_alarmering",
        "leiding_coordinatie",
        "informatiemanagement",
        "crisiscommunicatie",
        "overdracht_nafase",
        "vakbekwaamheid",
        "kwaliteitszorg",
        "samenwerking",
    ];
    pb::EvaluationSummary {
        region: String::new(),
        code_list_version: 2,
        event: Some(pb::Event {
            name: "Grote brand bedrijventerrein".into(),
            kind: "incident".into(),
            date: date(-days_ago),
            hazard: "fire_industrial".into(),
            highest_escalation: "GRIP2".into(),
        }),
        evaluator: "Lectoraat Crisisbeheersing IFV".into(),
        method: "after_action_review".into(),
        ratings: areas
            .iter()
            .map(|a| pb::AreaRating {
                area: (*a).into(),
                rating: rating.into(),
                note: String::new(),
            })
            .collect(),
        strengths: vec!["Snelle alarmering van de CoPI".into()],
        areas_for_improvement: vec!["Beeldvorming tussen CoPI en ROT".into()],
        actions: vec![pb::ImprovementAction {
            action_id: "A1".into(),
            area: "informatiemanagement".into(),
            description: "LCMS-training voor alle informatiemanagers".into(),
            owner: "Hoofd informatiemanagement".into(),
            due: date(-days_ago + 90),
            status: "open".into(),
        }],
        reported_to_board: String::new(),
        verifies: Vec::new(),
        author: String::new(),
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
