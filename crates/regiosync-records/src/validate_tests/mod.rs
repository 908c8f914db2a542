//! Tests of the shipped code lists and the record rules: a valid example of each kind passes,
//! then each test breaks exactly one thing and names the exact error. The builders and the
//! `cases!` macro are here; the cases of each kind in a file of their own.
use prost::Message;
use regiosync_types::pb::{Confidentiality, EntryBody, Status};
use regiosync_types::{Envelope, Result};

use crate::codes::{list, CodeList, CodeLists};
use crate::kinds;
use crate::pb;
use crate::record::Record;
use crate::time::{parse_date, parse_moment};
use crate::validate;

// ---------------------------------------------------------------------------------------------
// Building records and their envelopes
// ---------------------------------------------------------------------------------------------

/// The envelope fields a test may change.
pub(crate) struct Env {
    pub(crate) origin: &'static str,
    pub(crate) audience: Vec<&'static str>,
    pub(crate) created_ms: i64,
}

impl Env {
    pub(crate) fn new(audience: &[&'static str]) -> Env {
        Env {
            origin: "VR01",
            audience: audience.to_vec(),
            created_ms: ms("2026-11-29T10:00:00Z"),
        }
    }
}

fn ms(moment: &str) -> i64 {
    parse_moment("test", moment).unwrap()
}

/// Encode `msg` as the payload of an entry of `kind`, decode it as a record and validate it.
pub(crate) fn validate<M: Message>(kind: &str, msg: &M, env: &Env) -> Result<()> {
    validate_in(kind, msg, env, &regiosync_types::Federation::shipped())
}

/// As [`validate`], in the federation `members`.
pub(crate) fn validate_in<M: Message>(
    kind: &str,
    msg: &M,
    env: &Env,
    members: &regiosync_types::Federation,
) -> Result<()> {
    let body = EntryBody {
        id: format!("{}-1", env.origin),
        origin: env.origin.into(),
        seq: 1,
        kind: kind.into(),
        created_unix_ms: env.created_ms,
        status: Status::Actual as i32,
        audience: env.audience.iter().map(|a| a.to_string()).collect(),
        confidentiality: Confidentiality::Restricted as i32,
        payload: msg.encode_to_vec(),
        ..Default::default()
    };
    let envelope = Envelope::check(body).expect("a valid envelope");
    let record = Record::decode(&envelope).expect("decodes").expect("a record kind");
    validate::check(&record, &envelope, CodeLists::shipped(), members)
}

/// The error after `change`, or "accepted".
fn outcome<M: Message>(kind: &str, mut msg: M, mut env: Env, change: impl FnOnce(&mut M, &mut Env)) -> String {
    change(&mut msg, &mut env);
    match validate(kind, &msg, &env) {
        Ok(()) => "accepted".into(),
        Err(e) => e.to_string(),
    }
}

fn s(text: &str) -> String {
    text.into()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn party(region: &str, role: &str) -> pb::Party {
    pb::Party {
        region: s(region),
        role: s(role),
    }
}

fn limit(resource_type: &str, max_quantity: u32) -> pb::ResourceLimit {
    pb::ResourceLimit {
        resource_type: s(resource_type),
        max_quantity,
    }
}

pub(crate) fn agreement() -> pb::Agreement {
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

fn signature() -> pb::AgreementSignature {
    pb::AgreementSignature {
        agreement_id: s("VR01-VR02-waterongevallen"),
        version: 1,
        content_sha256: vec![7; 32],
        party: s("VR01"),
        author: s("operator:VR01:jansen"),
    }
}

fn rejection() -> pb::AgreementRejection {
    pb::AgreementRejection {
        agreement_id: s("VR01-VR02-waterongevallen"),
        version: 1,
        content_sha256: vec![7; 32],
        party: s("VR01"),
        reason: s("De opkomsttijd is voor ons niet haalbaar"),
        author: s("operator:VR01:jansen"),
    }
}

fn withdrawal() -> pb::AgreementWithdrawal {
    pb::AgreementWithdrawal {
        agreement_id: s("VR01-VR02-waterongevallen"),
        party: s("VR01"),
        reason: s("Opgenomen in het landelijke bijstandsconvenant"),
        author: s("operator:VR01:jansen"),
    }
}

fn revocation() -> pb::AgreementRevocation {
    pb::AgreementRevocation {
        agreement_id: s("VR01-VR02-waterongevallen"),
        party: s("VR01"),
        reason: s("Afspraak in strijd met de gewijzigde Wet veiligheidsregio's"),
        author: s("operator:VR01:jansen"),
    }
}

fn line(resource_type: &str, baseline: u32, available: u32, committed: u32, out_of_service: u32) -> pb::CapacityEntry {
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

pub(crate) fn capacity() -> pb::CapacityReport {
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

fn rating(area: &str, rating: &str) -> pb::AreaRating {
    pb::AreaRating {
        area: s(area),
        rating: s(rating),
        note: s(""),
    }
}

fn improvement(action_id: &str, area: &str, due: &str) -> pb::ImprovementAction {
    pb::ImprovementAction {
        action_id: s(action_id),
        area: s(area),
        description: s("Beeldvorming in het ROT met één landelijk crisismanagementsysteem"),
        owner: s("Hoofd informatiemanagement"),
        due: s(due),
        status: s("open"),
    }
}

fn verification(evaluation_id: &str, action_id: &str) -> pb::ActionVerification {
    pb::ActionVerification {
        evaluation_id: s(evaluation_id),
        action_id: s(action_id),
        result: s("effective"),
        note: s("Alarmering binnen de norm bij drie oefeningen"),
    }
}

pub(crate) fn evaluation() -> pb::EvaluationSummary {
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
    }
}

fn agreement_outcome(change: impl FnOnce(&mut pb::Agreement, &mut Env)) -> String {
    outcome(kinds::AGREEMENT, agreement(), Env::new(&["NL", "VR01", "VR02"]), change)
}

fn signature_outcome(change: impl FnOnce(&mut pb::AgreementSignature, &mut Env)) -> String {
    outcome(
        kinds::AGREEMENT_SIGNATURE,
        signature(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn rejection_outcome(change: impl FnOnce(&mut pb::AgreementRejection, &mut Env)) -> String {
    outcome(
        kinds::AGREEMENT_REJECTION,
        rejection(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn withdrawal_outcome(change: impl FnOnce(&mut pb::AgreementWithdrawal, &mut Env)) -> String {
    outcome(
        kinds::AGREEMENT_WITHDRAWAL,
        withdrawal(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn revocation_outcome(change: impl FnOnce(&mut pb::AgreementRevocation, &mut Env)) -> String {
    outcome(
        kinds::AGREEMENT_REVOCATION,
        revocation(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn capacity_outcome(change: impl FnOnce(&mut pb::CapacityReport, &mut Env)) -> String {
    outcome(kinds::CAPACITY_REPORT, capacity(), Env::new(&["NL", "VR01"]), change)
}

fn evaluation_outcome(change: impl FnOnce(&mut pb::EvaluationSummary, &mut Env)) -> String {
    outcome(
        kinds::EVALUATION_SUMMARY,
        evaluation(),
        Env::new(&["NL", "VR01"]),
        change,
    )
}

/// One test per case: `name: kind(record, env) { change } => "exact error" (or "accepted")`.
macro_rules! cases {
    ($($name:ident: $kind:ident($r:ident, $e:ident) $change:block => $want:expr;)*) => {
        $(
            #[test]
            #[allow(unused_variables)]
            fn $name() {
                assert_eq!($kind(|$r, $e| $change), $want);
            }
        )*
    };
}

// ---------------------------------------------------------------------------------------------
// Valid examples
// ---------------------------------------------------------------------------------------------

cases! {
    valid_agreement: agreement_outcome(a, e) {} => "accepted";
    valid_signature: signature_outcome(r, e) {} => "accepted";
    valid_rejection: rejection_outcome(r, e) {} => "accepted";
    valid_withdrawal: withdrawal_outcome(r, e) {} => "accepted";
    valid_revocation: revocation_outcome(r, e) {} => "accepted";
    valid_capacity_report: capacity_outcome(c, e) {} => "accepted";
    valid_evaluation_summary: evaluation_outcome(v, e) {} => "accepted";
    valid_agreement_on_code_list_version_1: agreement_outcome(a, e) { a.code_list_version = 1 } => "accepted";
}

// ---------------------------------------------------------------------------------------------
// Shared field rules (shown on one kind each)
// ---------------------------------------------------------------------------------------------

cases! {
    author_required: capacity_outcome(c, e) { c.author.clear() } => "author: required";
    author_of_the_operator_form: capacity_outcome(c, e) { c.author = s("jansen") }
        => "author: 'jansen' is not of the form operator:<region>:<name>";
    author_of_another_region: agreement_outcome(a, e) { a.author = s("operator:VR02:x") }
        => "author: 'operator:VR02:x' is not a person of VR01, the origin";
    author_names_a_person: evaluation_outcome(v, e) { v.author = s("operator:VR01:") }
        => "author: 'operator:VR01:' names no person";
    author_is_bounded: signature_outcome(r, e) { r.author = format!("operator:VR01:{}", "x".repeat(200)) }
        => "author: 214 characters exceeds the limit of 200";
    text_limits_count_characters_not_bytes: agreement_outcome(a, e) { a.title = "ë".repeat(200) } => "accepted";
    whitespace_is_not_text: agreement_outcome(a, e) { a.title = s("   ") } => "title: required";
    first_error_in_field_order: agreement_outcome(a, e) {
        a.author.clear();
        a.title.clear();
        a.scope = None;
    } => "title: required";
}

mod acts;
mod agreement;
mod capacity;
mod codes;
mod evaluation;
