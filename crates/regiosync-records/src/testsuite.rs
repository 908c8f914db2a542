//! Sample records for tests, one builder of each thing: a valid example of every record kind
//! (each valid on its own, so a test changes one field and names the one error), capacity lines,
//! records as a node's aggregates hold them, entries as they are stored, and the moments and
//! member ids tests write. Compiled for this crate's tests and, through the `testsuite` feature,
//! for the tests above it (`regiosync-testkit`); the shipped binary does not enable it.
use prost::Message;
use regiosync_types::pb::{EntryBody, Status};
use regiosync_types::{Envelope, NodeId};

use crate::pb;
use crate::record::Record;
use crate::time::parse_moment;

/// A moment ("YYYY-MM-DDTHH:MM:SSZ") as unix ms.
pub fn at(moment: &str) -> i64 {
    parse_moment("test", moment).unwrap()
}

/// A member id.
pub fn node(s: &str) -> NodeId {
    s.parse().unwrap()
}

pub fn nodes(list: &[&str]) -> Vec<NodeId> {
    list.iter().map(|s| node(s)).collect()
}

/// A record as an aggregate holds it: its payload encoded in a `HeldRecord`.
pub fn held(
    origin: &str,
    seq: u64,
    created: i64,
    status: Status,
    kind: &str,
    payload: &impl Message,
) -> pb::HeldRecord {
    pb::HeldRecord {
        id: format!("{origin}-{seq}"),
        origin: origin.into(),
        seq,
        created_unix_ms: created,
        status: status as i32,
        kind: kind.into(),
        payload: payload.encode_to_vec(),
    }
}

/// A held record decoded the way a node decodes it.
pub fn decode(h: &pb::HeldRecord) -> Record {
    Record::from_held(h).unwrap().unwrap()
}

/// An entry of `origin` (audience NL and itself) as it is stored, created at `created`.
pub fn entry(origin: NodeId, seq: u64, kind: &str, status: Status, created: i64, payload: Vec<u8>) -> Envelope {
    Envelope::check(EntryBody {
        id: Envelope::generated_id(origin, seq),
        origin: origin.to_string(),
        seq,
        kind: kind.into(),
        created_unix_ms: created,
        status: status as i32,
        audience: vec!["NL".into(), origin.to_string()],
        payload,
        ..Default::default()
    })
    .unwrap()
}

/// A capacity line: (resource type, baseline, available, committed, out of service, surge 24h,
/// surge 72h).
pub type Line = (&'static str, u32, u32, u32, u32, Option<u32>, Option<u32>);

/// The capacity entries of `lines`, status "normal".
pub fn lines(lines: &[Line]) -> Vec<pb::CapacityEntry> {
    lines
        .iter()
        .map(
            |&(t, baseline, available, committed, out_of_service, surge_24h, surge_72h)| pb::CapacityEntry {
                surge_24h,
                surge_72h,
                ..line(t, baseline, available, committed, out_of_service)
            },
        )
        .collect()
}

pub fn s(text: &str) -> String {
    text.into()
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

pub fn party(region: &str, role: &str) -> pb::Party {
    pb::Party {
        region: s(region),
        role: s(role),
    }
}

pub fn limit(resource_type: &str, max_quantity: u32) -> pb::ResourceLimit {
    pb::ResourceLimit {
        resource_type: s(resource_type),
        max_quantity,
    }
}

pub fn agreement() -> pb::Agreement {
    pb::Agreement {
        agreement_id: s("VR01-VR02-waterongevallen"),
        version: 1,
        code_list_version: 2,
        title: s("Bijstand waterongevallen Groningen-Fryslân"),
        purpose: s("Wederzijdse bijstand bij waterongevallen in het grensgebied."),
        parties: vec![party("VR01", "both"), party("VR02", "assisting")],
        scope: Some(pb::Scope {
            hazards: strings(&["water_rescue", "flood"]),
            resources: vec![limit("WO", 2), limit("DT", 1)],
            area: s("grensgebied Lauwersmeer en Waddenzee"),
        }),
        activation: Some(pb::Activation {
            may_request: strings(&["OL", "CvD"]),
            min_escalation: s("GRIP1"),
            target_response_minutes: 30,
            procedure: s("Via de meldkamer van de assisterende regio, bevestigd door de CvD"),
        }),
        cost_reimbursement: s("Kosten volgens de landelijke kostenverdeling bijstand, binnen 60 dagen"),
        command_and_liability: s("Eenheden vallen onder de operationele leiding van de ontvangende regio"),
        validity: Some(pb::Validity {
            effective_from: s("2027-01-01"),
            valid_until: s("2031-12-31"),
            notice_days: 90,
        }),
        author: s("operator:VR01:jansen"),
    }
}

pub fn signature() -> pb::AgreementSignature {
    pb::AgreementSignature {
        agreement_id: s("VR01-VR02-waterongevallen"),
        version: 1,
        content_sha256: vec![7; 32],
        party: s("VR01"),
        author: s("operator:VR01:jansen"),
    }
}

pub fn rejection() -> pb::AgreementRejection {
    pb::AgreementRejection {
        agreement_id: s("VR01-VR02-waterongevallen"),
        version: 1,
        content_sha256: vec![7; 32],
        party: s("VR01"),
        reason: s("De opkomsttijd is voor ons niet haalbaar"),
        author: s("operator:VR01:jansen"),
    }
}

pub fn withdrawal() -> pb::AgreementWithdrawal {
    pb::AgreementWithdrawal {
        agreement_id: s("VR01-VR02-waterongevallen"),
        party: s("VR01"),
        reason: s("Opgenomen in het landelijke bijstandsconvenant"),
        author: s("operator:VR01:jansen"),
    }
}

pub fn revocation() -> pb::AgreementRevocation {
    pb::AgreementRevocation {
        agreement_id: s("VR01-VR02-waterongevallen"),
        party: s("VR01"),
        reason: s("Afspraak in strijd met de gewijzigde Wet veiligheidsregio's"),
        author: s("operator:VR01:jansen"),
    }
}

pub fn line(
    resource_type: &str,
    baseline: u32,
    available: u32,
    committed: u32,
    out_of_service: u32,
) -> pb::CapacityEntry {
    pb::CapacityEntry {
        resource_type: s(resource_type),
        baseline,
        available,
        committed,
        out_of_service,
        status: s("normal"),
        ..Default::default()
    }
}

pub fn capacity() -> pb::CapacityReport {
    pb::CapacityReport {
        region: s("VR01"),
        as_of: s("2026-11-29T09:30:00Z"),
        valid_until: s("2026-11-30T09:30:00Z"),
        code_list_version: 2,
        entries: vec![
            pb::CapacityEntry {
                surge_24h: Some(2),
                surge_72h: Some(4),
                remarks: s("twee voertuigen in onderhoud"),
                ..line("TS", 24, 18, 3, 2)
            },
            line("AL", 4, 3, 1, 0),
            line("OL", 3, 1, 2, 0),
            line("WO", 12, 8, 1, 1),
        ],
        remarks: s("Stand na de ochtendwissel"),
        author: s("operator:VR01:jansen"),
    }
}

pub fn rating(area: &str, rating: &str) -> pb::AreaRating {
    pb::AreaRating {
        area: s(area),
        rating: s(rating),
        note: s(""),
    }
}

pub fn improvement(action_id: &str, area: &str, due: &str) -> pb::ImprovementAction {
    pb::ImprovementAction {
        action_id: s(action_id),
        area: s(area),
        description: s("Beeldvorming in het ROT met één landelijk crisismanagementsysteem"),
        owner: s("Hoofd informatiemanagement"),
        due: s(due),
        status: s("open"),
    }
}

pub fn verification(evaluation_id: &str, action_id: &str) -> pb::ActionVerification {
    pb::ActionVerification {
        evaluation_id: s(evaluation_id),
        action_id: s(action_id),
        result: s("effective"),
        note: s("Alarmering binnen de norm bij drie oefeningen"),
    }
}

pub fn evaluation() -> pb::EvaluationSummary {
    pb::EvaluationSummary {
        region: s("VR01"),
        code_list_version: 2,
        event: Some(pb::Event {
            name: s("Grote brand Chemiepark Delfzijl"),
            kind: s("incident"),
            date: s("2026-11-01"),
            hazard: s("fire_industrial"),
            highest_escalation: s("GRIP2"),
        }),
        evaluator: s("Lectoraat Crisisbeheersing IFV"),
        method: s("external_review"),
        ratings: vec![
            rating("melding_alarmering", "P"),
            rating("leiding_coordinatie", "S"),
            rating("informatiemanagement", "M"),
            rating("crisiscommunicatie", "S"),
            rating("overdracht_nafase", "NO"),
            rating("vakbekwaamheid", "P"),
            rating("kwaliteitszorg", "S"),
            rating("samenwerking", "U"),
        ],
        strengths: strings(&["Snelle alarmering van de buurregio"]),
        areas_for_improvement: strings(&["Gedeeld beeld tussen CoPI en ROT"]),
        actions: vec![
            improvement("A1", "informatiemanagement", "2027-03-01"),
            improvement("A2", "samenwerking", "2026-11-01"),
        ],
        reported_to_board: s("2026-11-20"),
        verifies: vec![verification("VR01-7", "A3")],
        author: s("operator:VR01:jansen"),
        corrects: String::new(),
    }
}

/// VR01's withdrawal of its evaluation `evaluation_id`.
pub fn evaluation_withdrawal(evaluation_id: &str) -> pb::EvaluationWithdrawal {
    pb::EvaluationWithdrawal {
        region: s("VR01"),
        evaluation_id: s(evaluation_id),
        reason: s("Ingediend voor de verkeerde oefening"),
        author: s("operator:VR01:jansen"),
    }
}

/// Parties of an agreement, each in `role`.
pub fn parties(regions: &[&str], role: &str) -> Vec<pb::Party> {
    regions.iter().map(|r| party(r, role)).collect()
}

/// An improvement action on information management, due on `due`, with `status`.
pub fn action(action_id: &str, due: &str, status: &str) -> pb::ImprovementAction {
    pb::ImprovementAction {
        description: s("Oefenen met het landelijk crisismanagementsysteem"),
        status: s(status),
        ..improvement(action_id, "informatiemanagement", due)
    }
}

/// (action id, overdue, verified, verified by) of an action as a view shows it.
pub fn action_row(a: &pb::ActionView) -> (&str, bool, &str, &str) {
    (
        a.action.as_ref().unwrap().action_id.as_str(),
        a.overdue,
        a.verified.as_str(),
        a.verified_by.as_str(),
    )
}

// ---------------------------------------------------------------------------------------------
// Assistance requests: each valid as a record of VR01 made at 2026-11-29T10:00:00Z, seq 1
// ---------------------------------------------------------------------------------------------

/// A request line: resource type, quantity, minimum.
pub fn request_line(resource_type: &str, quantity: u32, minimum: u32) -> pb::RequestLine {
    pb::RequestLine {
        resource_type: s(resource_type),
        quantity,
        minimum,
        remarks: String::new(),
    }
}

/// VR01 asks VR02 and VR03 (its neighbours) for 4 TS (at least 2) and 1 GPT; its id is VR01-1.
pub fn assistance_request() -> pb::AssistanceRequest {
    pb::AssistanceRequest {
        code_list_version: 3,
        incident: Some(pb::AssistanceIncident {
            reference: s("VR01-2026-0042"),
            description: s("Grote brand in een opslag van gevaarlijke stoffen; inzet loopt meer dan 12 uur."),
            escalation: s("GRIP3"),
            hazard: s("fire_industrial"),
        }),
        location: Some(pb::AssistanceLocation {
            municipality: s("Delfzijl"),
            description: s("Chemiepark Delfzijl, Oosterhorn"),
            latitude: Some(53.31),
            longitude: Some(6.96),
        }),
        needed_by: s("2026-11-29T12:00:00Z"),
        lines: vec![request_line("TS", 4, 2), request_line("GPT", 1, 0)],
        addressing: Some(pb::Addressing {
            neighbours: true,
            ..Default::default()
        }),
        addressed: strings(&["VR02", "VR03"]),
        author: s("operator:VR01:jansen"),
    }
}

/// An offer line: resource type, quantity, and the available units the offerer's report showed.
pub fn offer_line(resource_type: &str, quantity: u32, reported_available: Option<u32>) -> pb::OfferLine {
    pb::OfferLine {
        resource_type: s(resource_type),
        quantity,
        reported_available,
        exceeds_available: reported_available.is_none_or(|a| quantity > a),
    }
}

/// VR01 offers 2 TS to VR02's request VR02-7, on scene at 11:30, standing until 14:00.
pub fn assistance_offer() -> pb::AssistanceOffer {
    pb::AssistanceOffer {
        request_id: s("VR02-7"),
        code_list_version: 3,
        lines: vec![offer_line("TS", 2, Some(5))],
        eta: s("2026-11-29T11:30:00Z"),
        conditions: s("Aflossing na 8 uur door de vragende regio"),
        valid_until: s("2026-11-29T14:00:00Z"),
        author: s("operator:VR01:jansen"),
        ..Default::default()
    }
}

/// VR01 declines VR02's request VR02-7: no capacity.
pub fn assistance_decline() -> pb::AssistanceOffer {
    pb::AssistanceOffer {
        request_id: s("VR02-7"),
        code_list_version: 3,
        decline_reason: s("no_capacity"),
        note: s("Alle TS'en staan bij een eigen incident"),
        author: s("operator:VR01:jansen"),
        ..Default::default()
    }
}

/// NL routes VR02's request VR02-7 (which asked the national level and VR03) to VR04.
pub fn assistance_routing() -> pb::AssistanceRouting {
    let mut copy = assistance_request();
    copy.addressing = Some(pb::Addressing {
        members: strings(&["VR03"]),
        national: true,
        ..Default::default()
    });
    copy.addressed = strings(&["VR03"]);
    copy.author = s("operator:VR02:devries");
    pb::AssistanceRouting {
        request_id: s("VR02-7"),
        members: strings(&["VR04"]),
        note: s("VR04 heeft een gaspakkenteam vrij"),
        request: Some(copy),
        requested_unix_ms: at("2026-11-29T09:50:00Z"),
        author: s("coordinator:locc"),
    }
}

pub fn commitment(offer_id: &str, resource_type: &str, quantity: u32) -> pb::Commitment {
    pb::Commitment {
        offer_id: s(offer_id),
        resource_type: s(resource_type),
        quantity,
    }
}

/// VR01 commits 2 TS of VR02's offer VR02-3 to its request VR01-1.
pub fn assistance_acceptance() -> pb::AssistanceAcceptance {
    pb::AssistanceAcceptance {
        request_id: s("VR01-1"),
        commitments: vec![commitment("VR02-3", "TS", 2)],
        note: String::new(),
        author: s("operator:VR01:jansen"),
    }
}

/// VR01's units of its offer VR01-3 to VR02's request VR02-7 are on scene.
pub fn assistance_deployment() -> pb::AssistanceDeployment {
    pb::AssistanceDeployment {
        request_id: s("VR02-7"),
        offer_id: s("VR01-3"),
        resource_type: s("TS"),
        state: s("on_scene"),
        until: String::new(),
        note: String::new(),
        author: s("operator:VR01:jansen"),
        code_list_version: 3,
    }
}

/// VR01 closes its request VR01-1, cooperation rated S.
pub fn assistance_close() -> pb::AssistanceClose {
    pb::AssistanceClose {
        request_id: s("VR01-1"),
        cancelled: false,
        note: s("Brand meester, eenheden terug"),
        evaluation: Some(pb::AssistanceEvaluation {
            cooperation: s("S"),
            lessons: strings(&["Aanrijroute via de N33 eerder doorgeven"]),
        }),
        author: s("operator:VR01:jansen"),
        code_list_version: 3,
    }
}
