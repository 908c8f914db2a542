//! Tests of the shipped code lists and the record rules: a valid example of each kind passes,
//! then each test breaks exactly one thing and names the exact error.
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
// Code lists
// ---------------------------------------------------------------------------------------------

const V1: &str = include_str!("../../../config/codelists/v1.toml");

fn parse_error(text: &str) -> String {
    CodeList::parse("v1.toml", Some(1), text).unwrap_err().to_string()
}

#[test]
fn every_shipped_list_parses() {
    let lists = CodeLists::shipped();
    let versions: Vec<u32> = lists.all().iter().map(|v| v.version).collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(lists.latest().version, 2);
    for v in lists.all() {
        parse_date("published", &v.published).unwrap();
        for name in list::ALL {
            assert!(!v.codes(name).is_empty(), "version {} list {name}", v.version);
        }
        assert!(v.codes(list::RESOURCE_TYPES).len() >= 30, "version {}", v.version);
        assert_eq!(v.codes(list::RATED_AREAS).len(), 8);
        for (code, c) in v.codes(list::RESOURCE_TYPES) {
            assert!(c.group.is_some(), "{code} has no group");
        }
    }
}

#[test]
fn codes_keep_their_shipped_order_and_labels() {
    let v1 = CodeLists::shipped().version("v", 1).unwrap();
    let ratings: Vec<&str> = v1.codes(list::RATINGS).into_iter().map(|(c, _)| c).collect();
    assert_eq!(ratings, ["P", "S", "M", "U", "NO"]);
    assert_eq!(v1.codes(list::RESOURCE_TYPES)[0].0, "TS");
    let ts = v1.get(list::RESOURCE_TYPES, "TS").unwrap();
    assert_eq!(
        (ts.name.as_str(), ts.group.as_deref()),
        ("Tankautospuit", Some("brandweer"))
    );
    assert_eq!(v1.get(list::RESOURCE_TYPES, "ts"), None, "codes are case-sensitive");
    assert_eq!(v1.get("no_such_list", "TS"), None);
    assert!(v1.codes("no_such_list").is_empty());
}

#[test]
fn version_two_keeps_every_code_of_version_one_but_grip_rijk() {
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    for name in list::ALL {
        for (code, _) in v1.codes(name) {
            let kept = v2.contains(name, code);
            assert_eq!(kept, code != "GRIP_RIJK", "{name} {code}");
        }
    }
    assert!(v2.contains(list::RESOURCE_TYPES, "DRONE") && !v1.contains(list::RESOURCE_TYPES, "DRONE"));
}

#[test]
fn unknown_versions_are_named() {
    let lists = CodeLists::shipped();
    assert_eq!(
        lists.version("code_list_version", 9).unwrap_err().to_string(),
        "code_list_version: version 9 is not known here (known: 1, 2)"
    );
    assert_eq!(
        lists.version("code_list_version", 0).unwrap_err().to_string(),
        "code_list_version: required"
    );
}

#[test]
fn check_names_field_code_list_and_version() {
    let v1 = CodeLists::shipped().version("v", 1).unwrap();
    v1.check("x", list::RESOURCE_TYPES, "TS").unwrap();
    assert_eq!(
        v1.check("entries[3].resource_type", list::RESOURCE_TYPES, "XX")
            .unwrap_err()
            .to_string(),
        "entries[3].resource_type: 'XX' is not in code list resource_types version 1"
    );
    assert_eq!(
        v1.check("entries[3].resource_type", list::RESOURCE_TYPES, "")
            .unwrap_err()
            .to_string(),
        "entries[3].resource_type: required"
    );
}

#[test]
fn grip_rijk_exists_in_version_one_only() {
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    v1.check("level", list::ESCALATION_LEVELS, "GRIP_RIJK").unwrap();
    assert_eq!(
        v2.check("level", list::ESCALATION_LEVELS, "GRIP_RIJK")
            .unwrap_err()
            .to_string(),
        "level: 'GRIP_RIJK' is not in code list escalation_levels version 2"
    );
    v2.check("level", list::ESCALATION_LEVELS, "REGIONAAL").unwrap();
    assert_eq!(
        v1.check("level", list::ESCALATION_LEVELS, "REGIONAAL")
            .unwrap_err()
            .to_string(),
        "level: 'REGIONAAL' is not in code list escalation_levels version 1"
    );
}

#[test]
fn escalation_levels_are_ranked() {
    use std::cmp::Ordering::*;
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    let ranks: Vec<Option<usize>> = ["GRIP0", "GRIP1", "GRIP2", "GRIP3", "GRIP4", "GRIP5", "GRIP_RIJK"]
        .iter()
        .map(|c| v1.rank(list::ESCALATION_LEVELS, c))
        .collect();
    assert_eq!(ranks, (0..7).map(Some).collect::<Vec<_>>());
    assert_eq!(v2.compare(list::ESCALATION_LEVELS, "REGIONAAL", "GRIP4"), Some(Equal));
    assert_eq!(v2.compare(list::ESCALATION_LEVELS, "REGIONAAL", "GRIP3"), Some(Greater));
    assert_eq!(
        v2.compare(list::ESCALATION_LEVELS, "OPERATIONEEL", "BOVENREGIONAAL"),
        Some(Less)
    );
    assert_eq!(v2.rank(list::ESCALATION_LEVELS, "GRIP_RIJK"), None);
    // Lists without ranks are ordered as shipped.
    assert_eq!(v1.rank(list::RATINGS, "M"), Some(2));
}

#[test]
fn a_file_must_declare_its_own_version() {
    let text = V1.replacen("version = 1", "version = 2", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: version: 2 does not match the file, which holds version 1"
    );
}

#[test]
fn a_code_is_listed_once() {
    let text = V1.replacen("code = \"HV\"", "code = \"TS\"", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[1].code: 'TS' is listed twice"
    );
}

#[test]
fn every_list_must_be_present() {
    let text = V1.replace("[[hazards]]", "[[other_hazards]]");
    assert!(
        parse_error(&text).starts_with("v1.toml: not a code-list file at line "),
        "{}",
        parse_error(&text)
    );
    let cut = V1.find("# What an evaluation is about.").unwrap();
    let text = format!(
        "{}{}",
        &V1[..cut],
        &V1[V1.find("# How an evaluation was made.").unwrap()..]
    );
    let err = parse_error(&text);
    assert!(err.contains("missing field `event_kinds`"), "{err}");
}

#[test]
fn unknown_fields_are_refused() {
    let text = V1.replacen(
        "name = \"Tankautospuit\"",
        "name = \"Tankautospuit\"\ncolour = \"red\"",
        1,
    );
    let err = parse_error(&text);
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn there_are_exactly_eight_rated_areas() {
    let text = V1.replacen(
        "[[rated_areas]]\ncode = \"samenwerking\"",
        "[[ratings]]\ncode = \"X\"",
        1,
    );
    assert_eq!(
        parse_error(&text),
        "v1.toml: rated_areas: 7 areas; there must be exactly 8"
    );
}

#[test]
fn only_escalation_levels_have_ranks() {
    let text = V1.replacen("name = \"Tankautospuit\"", "name = \"Tankautospuit\"\nrank = 1", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[0].rank: only escalation_levels have a rank"
    );
    let text = V1.replacen("rank = 3\n", "", 1);
    assert_eq!(parse_error(&text), "v1.toml: escalation_levels[3].rank: required");
}

#[test]
fn codes_are_short_tokens() {
    let text = V1.replacen("code = \"TS\"", "code = \"T S\"", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[0].code: character ' ' not allowed in 'T S' (letters, digits, '_' and '-' only)"
    );
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

// ---------------------------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------------------------

cases! {
    agreement_id_required: agreement_outcome(a, e) { a.agreement_id.clear() } => "agreement_id: required";
    agreement_id_too_short: agreement_outcome(a, e) { a.agreement_id = s("ab") }
        => "agreement_id: must be 3 to 64 characters, not 2";
    agreement_id_too_long: agreement_outcome(a, e) { a.agreement_id = "a".repeat(65) }
        => "agreement_id: must be 3 to 64 characters, not 65";
    agreement_id_characters: agreement_outcome(a, e) { a.agreement_id = s("VR01 VR02") }
        => "agreement_id: character ' ' not allowed (letters, digits and '-' only)";
    agreement_version_at_least_one: agreement_outcome(a, e) { a.version = 0 } => "version: must be at least 1";
    agreement_code_list_version_required: agreement_outcome(a, e) { a.code_list_version = 0 }
        => "code_list_version: required";
    agreement_code_list_version_known: agreement_outcome(a, e) { a.code_list_version = 9 }
        => "code_list_version: version 9 is not known here (known: 1, 2)";
    title_required: agreement_outcome(a, e) { a.title.clear() } => "title: required";
    title_at_most_200: agreement_outcome(a, e) { a.title = "x".repeat(201) }
        => "title: 201 characters exceeds the limit of 200";
    purpose_optional: agreement_outcome(a, e) { a.purpose.clear() } => "accepted";
    purpose_at_most_4000: agreement_outcome(a, e) { a.purpose = "x".repeat(4001) }
        => "purpose: 4001 characters exceeds the limit of 4000";
    at_least_two_parties: agreement_outcome(a, e) { a.parties.truncate(1) } => "parties: at least 2 required, got 1";
    party_region_required: agreement_outcome(a, e) { a.parties[1].region.clear() } => "parties[1].region: required";
    party_region_known: agreement_outcome(a, e) { a.parties[1].region = s("VR30") }
        => "parties[1].region: VR30 is not a member of this federation";
    party_is_never_the_national_node: agreement_outcome(a, e) { a.parties[1].region = s("NL") }
        => "parties[1].region: NL is a national member, not a region";
    party_region_canonical: agreement_outcome(a, e) { a.parties[1].region = s("vr02") }
        => "parties[1].region: 'vr02' must be written VR02";
    party_once: agreement_outcome(a, e) { a.parties[1] = party("VR01", "assisting") }
        => "parties[1].region: VR01 is listed twice";
    party_role_required: agreement_outcome(a, e) { a.parties[1].role.clear() } => "parties[1].role: required";
    party_role_from_list: agreement_outcome(a, e) { a.parties[1].role = s("helper") }
        => "parties[1].role: 'helper' is not in code list party_roles version 2";
    origin_is_a_party: agreement_outcome(a, e) {
        e.origin = "VR03";
        e.audience.push("VR03");
        a.author = s("operator:VR03:de-vries");
    } => "parties: VR03, the origin, is not a party";
    a_party_can_assist: agreement_outcome(a, e) {
        a.parties[0].role = s("requesting");
        a.parties[1].role = s("requesting");
    }
        => "parties: no party can assist (role assisting or both)";
    a_party_can_request: agreement_outcome(a, e) { a.parties[0].role = s("assisting") }
        => "parties: no party can request (role requesting or both)";
    audience_holds_every_party: agreement_outcome(a, e) { e.audience = vec!["NL", "VR01"] }
        => "audience: VR02, a party, is missing";
    three_parties: agreement_outcome(a, e) { a.parties.push(party("VR03", "requesting")); e.audience.push("VR03") }
        => "accepted";
    scope_required: agreement_outcome(a, e) { a.scope = None } => "scope: required";
    hazards_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards.clear() }
        => "scope.hazards: required";
    hazards_from_list: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards[1] = s("meteor") }
        => "scope.hazards[1]: 'meteor' is not in code list hazards version 2";
    hazards_once: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards[1] = s("water_rescue") }
        => "scope.hazards[1]: water_rescue is listed twice";
    hazards_of_version_two_only: agreement_outcome(a, e) {
        a.code_list_version = 1;
        a.scope.as_mut().unwrap().hazards[1] = s("cyber_disruption");
    } => "scope.hazards[1]: 'cyber_disruption' is not in code list hazards version 1";
    resources_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources.clear() }
        => "scope.resources: required";
    resource_type_from_list: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[0].resource_type = s("XX") }
        => "scope.resources[0].resource_type: 'XX' is not in code list resource_types version 2";
    resource_type_once: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[1] = limit("WO", 5) }
        => "scope.resources[1].resource_type: WO is listed twice";
    max_quantity_at_least_one: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[0].max_quantity = 0 }
        => "scope.resources[0].max_quantity: 0 is outside the range 1 to 10000";
    max_quantity_at_most_10000: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[1].max_quantity = 10_001 }
        => "scope.resources[1].max_quantity: 10001 is outside the range 1 to 10000";
    area_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().area.clear() } => "scope.area: required";
    area_at_most_1000: agreement_outcome(a, e) { a.scope.as_mut().unwrap().area = "x".repeat(1001) }
        => "scope.area: 1001 characters exceeds the limit of 1000";
    activation_required: agreement_outcome(a, e) { a.activation = None } => "activation: required";
    may_request_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().may_request.clear() }
        => "activation.may_request: required";
    may_request_from_crisis_functions: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().may_request[0] = s("brandweerman");
    }
        => "activation.may_request[0]: 'brandweerman' is not in code list crisis_functions version 2";
    may_request_once: agreement_outcome(a, e) { a.activation.as_mut().unwrap().may_request[1] = s("OL") }
        => "activation.may_request[1]: OL is listed twice";
    min_escalation_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().min_escalation.clear() }
        => "activation.min_escalation: required";
    min_escalation_grip_rijk_in_version_one: agreement_outcome(a, e) {
        a.code_list_version = 1;
        a.activation.as_mut().unwrap().min_escalation = s("GRIP_RIJK");
    } => "accepted";
    min_escalation_grip_rijk_not_in_version_two: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().min_escalation = s("GRIP_RIJK");
    } => "activation.min_escalation: 'GRIP_RIJK' is not in code list escalation_levels version 2";
    target_response_at_least_one_minute: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().target_response_minutes = 0;
    }
        => "activation.target_response_minutes: 0 is outside the range 1 to 1440";
    target_response_at_most_a_day: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().target_response_minutes = 1441;
    }
        => "activation.target_response_minutes: 1441 is outside the range 1 to 1440";
    procedure_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().procedure.clear() }
        => "activation.procedure: required";
    cost_reimbursement_required: agreement_outcome(a, e) { a.cost_reimbursement.clear() }
        => "cost_reimbursement: required";
    cost_reimbursement_at_most_4000: agreement_outcome(a, e) { a.cost_reimbursement = "x".repeat(4001) }
        => "cost_reimbursement: 4001 characters exceeds the limit of 4000";
    command_and_liability_required: agreement_outcome(a, e) { a.command_and_liability.clear() }
        => "command_and_liability: required";
    validity_required: agreement_outcome(a, e) { a.validity = None } => "validity: required";
    effective_from_required: agreement_outcome(a, e) { a.validity.as_mut().unwrap().effective_from.clear() }
        => "validity.effective_from: required";
    effective_from_a_date: agreement_outcome(a, e) { a.validity.as_mut().unwrap().effective_from = s("2027-02-30") }
        => "validity.effective_from: '2027-02-30' is not a date (expected YYYY-MM-DD)";
    valid_until_a_date: agreement_outcome(a, e) { a.validity.as_mut().unwrap().valid_until = s("31-12-2031") }
        => "validity.valid_until: '31-12-2031' is not a date (expected YYYY-MM-DD)";
    valid_until_after_effective_from: agreement_outcome(a, e) {
        a.validity.as_mut().unwrap().valid_until = s("2027-01-01");
    }
        => "validity.valid_until: 2027-01-01 is not after effective_from 2027-01-01";
    notice_days_at_most_730: agreement_outcome(a, e) { a.validity.as_mut().unwrap().notice_days = 731 }
        => "validity.notice_days: 731 exceeds the limit of 730";
    notice_days_may_be_zero: agreement_outcome(a, e) { a.validity.as_mut().unwrap().notice_days = 0 } => "accepted";
}

// ---------------------------------------------------------------------------------------------
// Signature, rejection, withdrawal, revocation
// ---------------------------------------------------------------------------------------------

cases! {
    signature_agreement_id: signature_outcome(r, e) { r.agreement_id = s("x") }
        => "agreement_id: must be 3 to 64 characters, not 1";
    signature_version_at_least_one: signature_outcome(r, e) { r.version = 0 } => "version: must be at least 1";
    signature_hash_required: signature_outcome(r, e) { r.content_sha256.clear() } => "content_sha256: required";
    signature_hash_is_32_bytes: signature_outcome(r, e) { r.content_sha256.pop(); }
        => "content_sha256: must be 32 bytes, not 31";
    signature_party_required: signature_outcome(r, e) { r.party.clear() } => "party: required";
    signature_party_is_the_origin: signature_outcome(r, e) { r.party = s("VR03") }
        => "party: VR03 is not the origin VR01; a region signs only for itself";
    signature_party_is_a_region: signature_outcome(r, e) { r.party = s("NL") }
        => "party: NL is not the origin VR01; a region signs only for itself";
    signature_only_by_regions: signature_outcome(r, e) { e.origin = "NL"; r.party = s("NL") }
        => "origin: NL is a national member, which may not publish agreement_signature";
    signature_author: signature_outcome(r, e) { r.author = s("operator:VR02:x") }
        => "author: 'operator:VR02:x' is not a person of VR01, the origin";
    rejection_hash_is_32_bytes: rejection_outcome(r, e) { r.content_sha256 = vec![1; 33] }
        => "content_sha256: must be 32 bytes, not 33";
    rejection_party_is_the_origin: rejection_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region rejects only for itself";
    rejection_reason_required: rejection_outcome(r, e) { r.reason.clear() } => "reason: required";
    rejection_reason_at_most_4000: rejection_outcome(r, e) { r.reason = "x".repeat(4001) }
        => "reason: 4001 characters exceeds the limit of 4000";
    withdrawal_agreement_id: withdrawal_outcome(r, e) { r.agreement_id = s("VR01_VR02") }
        => "agreement_id: character '_' not allowed (letters, digits and '-' only)";
    withdrawal_party_is_the_origin: withdrawal_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region withdraws only for itself";
    withdrawal_reason_required: withdrawal_outcome(r, e) { r.reason.clear() } => "reason: required";
    withdrawal_author_required: withdrawal_outcome(r, e) { r.author.clear() } => "author: required";
    revocation_party_is_the_origin: revocation_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region revokes only for itself";
    revocation_reason_required: revocation_outcome(r, e) { r.reason = s(" ") } => "reason: required";
}

// ---------------------------------------------------------------------------------------------
// Capacity report
// ---------------------------------------------------------------------------------------------

cases! {
    capacity_region_required: capacity_outcome(c, e) { c.region.clear() } => "region: required";
    capacity_region_is_the_origin: capacity_outcome(c, e) { c.region = s("VR02") }
        => "region: VR02 is not the origin VR01; a region reports only its own capacity";
    capacity_region_is_not_national: capacity_outcome(c, e) { e.origin = "NL"; c.region = s("NL") }
        => "origin: NL is a national member, which may not publish capacity_report";
    capacity_origin_is_a_member: capacity_outcome(c, e) {
        e.origin = "POL-XX";
        e.audience = vec!["NL", "POL-XX"];
        c.region = s("POL-XX")
    }
        => "origin: POL-XX is not a member of this federation";
    as_of_required: capacity_outcome(c, e) { c.as_of.clear() } => "as_of: required";
    as_of_a_moment_in_utc: capacity_outcome(c, e) { c.as_of = s("2026-11-29T10:30:00+01:00") }
        => "as_of: '2026-11-29T10:30:00+01:00' is not a moment in UTC (expected YYYY-MM-DDTHH:MM:SSZ)";
    as_of_up_to_an_hour_after_creation: capacity_outcome(c, e) { c.as_of = s("2026-11-29T11:00:00Z") } => "accepted";
    as_of_not_later: capacity_outcome(c, e) { c.as_of = s("2026-11-29T11:00:01Z") }
        => "as_of: 2026-11-29T11:00:01Z is more than one hour after the record was created (2026-11-29T10:00:00Z)";
    valid_until_required: capacity_outcome(c, e) { c.valid_until.clear() } => "valid_until: required";
    valid_until_after_as_of: capacity_outcome(c, e) { c.valid_until = s("2026-11-29T09:30:00Z") }
        => "valid_until: 2026-11-29T09:30:00Z is not after as_of 2026-11-29T09:30:00Z";
    valid_until_up_to_31_days: capacity_outcome(c, e) { c.valid_until = s("2026-12-30T09:30:00Z") } => "accepted";
    valid_until_not_later: capacity_outcome(c, e) { c.valid_until = s("2026-12-30T09:30:01Z") }
        => "valid_until: 2026-12-30T09:30:01Z is more than 31 days after as_of 2026-11-29T09:30:00Z";
    stale_reports_are_valid_records: capacity_outcome(c, e) {
        c.as_of = s("2026-10-01T08:00:00Z");
        c.valid_until = s("2026-10-02T08:00:00Z");
    } => "accepted";
    capacity_code_list_version_known: capacity_outcome(c, e) { c.code_list_version = 3 }
        => "code_list_version: version 3 is not known here (known: 1, 2)";
    entries_required: capacity_outcome(c, e) { c.entries.clear() } => "entries: required";
    entry_resource_type_required: capacity_outcome(c, e) { c.entries[0].resource_type.clear() }
        => "entries[0].resource_type: required";
    entry_resource_type_from_the_named_version: capacity_outcome(c, e) {
        c.code_list_version = 1;
        c.entries[3].resource_type = s("XX");
    } => "entries[3].resource_type: 'XX' is not in code list resource_types version 1";
    drone_team_in_version_two: capacity_outcome(c, e) { c.entries[3].resource_type = s("DRONE") } => "accepted";
    drone_team_not_in_version_one: capacity_outcome(c, e) {
        c.code_list_version = 1;
        c.entries[3].resource_type = s("DRONE");
    } => "entries[3].resource_type: 'DRONE' is not in code list resource_types version 1";
    entry_resource_type_once: capacity_outcome(c, e) { c.entries[2].resource_type = s("TS") }
        => "entries[2].resource_type: TS is listed twice";
    baseline_at_most_100000: capacity_outcome(c, e) { c.entries[1].baseline = 100_001 }
        => "entries[1].baseline: 100001 exceeds the limit of 100000";
    available_at_most_baseline: capacity_outcome(c, e) { c.entries[3].available = 14 }
        => "entries[3].available: 14 exceeds baseline 12";
    units_add_up_to_at_most_baseline: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 8, 3, 2) }
        => "entries[3]: available 8 + committed 3 + out of service 2 = 13 exceeds baseline 12";
    units_may_add_up_to_baseline: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 8, 3, 1) } => "accepted";
    units_do_not_overflow: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 1, u32::MAX, u32::MAX) } => concat!(
        "entries[3]: available 1 + committed 4294967295 + out of service 4294967295 = 8589934591 ",
        "exceeds baseline 12"
    );
    surge_72h_not_less_than_surge_24h: capacity_outcome(c, e) { c.entries[0].surge_72h = Some(1) }
        => "entries[0].surge_72h: 1 is less than surge_24h 2";
    surge_72h_alone: capacity_outcome(c, e) { c.entries[0].surge_24h = None; c.entries[0].surge_72h = Some(1) }
        => "accepted";
    surge_bounded: capacity_outcome(c, e) { c.entries[0].surge_24h = Some(100_001) }
        => "entries[0].surge_24h: 100001 exceeds the limit of 100000";
    entry_status_required: capacity_outcome(c, e) { c.entries[1].status.clear() } => "entries[1].status: required";
    entry_status_from_list: capacity_outcome(c, e) { c.entries[1].status = s("ok") }
        => "entries[1].status: 'ok' is not in code list resource_status version 2";
    entry_remarks_at_most_1000: capacity_outcome(c, e) { c.entries[0].remarks = "x".repeat(1001) }
        => "entries[0].remarks: 1001 characters exceeds the limit of 1000";
    capacity_remarks_at_most_4000: capacity_outcome(c, e) { c.remarks = "x".repeat(4001) }
        => "remarks: 4001 characters exceeds the limit of 4000";
}

// ---------------------------------------------------------------------------------------------
// Evaluation summary
// ---------------------------------------------------------------------------------------------

cases! {
    evaluation_region_is_the_origin: evaluation_outcome(v, e) { v.region = s("VR02") }
        => "region: VR02 is not the origin VR01; a region files only its own evaluations";
    evaluation_code_list_version_required: evaluation_outcome(v, e) { v.code_list_version = 0 }
        => "code_list_version: required";
    event_required: evaluation_outcome(v, e) { v.event = None } => "event: required";
    event_name_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().name.clear() } => "event.name: required";
    event_name_at_most_200: evaluation_outcome(v, e) { v.event.as_mut().unwrap().name = "x".repeat(201) }
        => "event.name: 201 characters exceeds the limit of 200";
    event_kind_from_list: evaluation_outcome(v, e) { v.event.as_mut().unwrap().kind = s("drill") }
        => "event.kind: 'drill' is not in code list event_kinds version 2";
    event_date_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().date.clear() } => "event.date: required";
    event_date_on_the_day_of_creation: evaluation_outcome(v, e) {
        v.event.as_mut().unwrap().date = s("2026-11-29");
        v.actions.clear();
        v.reported_to_board.clear();
    } => "accepted";
    event_date_not_after_creation: evaluation_outcome(v, e) { v.event.as_mut().unwrap().date = s("2026-11-30") }
        => "event.date: 2026-11-30 is after the day the record was created (2026-11-29)";
    event_date_is_a_dutch_date: evaluation_outcome(v, e) {
        // 23:30 UTC on 29 November is 00:30 on 30 November in the Netherlands.
        e.created_ms = ms("2026-11-29T23:30:00Z");
        v.event.as_mut().unwrap().date = s("2026-11-30");
        v.actions.clear();
        v.reported_to_board.clear();
    } => "accepted";
    event_hazard_from_list: evaluation_outcome(v, e) { v.event.as_mut().unwrap().hazard = s("fire") }
        => "event.hazard: 'fire' is not in code list hazards version 2";
    event_escalation_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().highest_escalation.clear() }
        => "event.highest_escalation: required";
    grip_rijk_was_valid_in_version_one: evaluation_outcome(v, e) {
        v.code_list_version = 1;
        v.event.as_mut().unwrap().highest_escalation = s("GRIP_RIJK");
    } => "accepted";
    grip_rijk_is_invalid_in_version_two: evaluation_outcome(v, e) {
        v.event.as_mut().unwrap().highest_escalation = s("GRIP_RIJK");
    } => "event.highest_escalation: 'GRIP_RIJK' is not in code list escalation_levels version 2";
    coordination_levels_are_new_in_version_two: evaluation_outcome(v, e) {
        v.code_list_version = 1;
        v.event.as_mut().unwrap().highest_escalation = s("BOVENREGIONAAL");
    } => "event.highest_escalation: 'BOVENREGIONAAL' is not in code list escalation_levels version 1";
    evaluator_required: evaluation_outcome(v, e) { v.evaluator.clear() } => "evaluator: required";
    evaluator_at_most_200: evaluation_outcome(v, e) { v.evaluator = "x".repeat(201) }
        => "evaluator: 201 characters exceeds the limit of 200";
    method_required: evaluation_outcome(v, e) { v.method.clear() } => "method: required";
    method_from_list: evaluation_outcome(v, e) { v.method = s("gut_feeling") }
        => "method: 'gut_feeling' is not in code list evaluation_methods version 2";
    every_area_rated: evaluation_outcome(v, e) { v.ratings.pop(); } => "ratings: area samenwerking is not rated";
    ratings_required: evaluation_outcome(v, e) { v.ratings.clear() } => "ratings: area melding_alarmering is not rated";
    every_area_rated_once: evaluation_outcome(v, e) { v.ratings[4].area = s("melding_alarmering") }
        => "ratings[4].area: melding_alarmering is rated twice";
    rated_area_from_list: evaluation_outcome(v, e) { v.ratings[0].area = s("logistiek") }
        => "ratings[0].area: 'logistiek' is not in code list rated_areas version 2";
    rating_required: evaluation_outcome(v, e) { v.ratings[2].rating.clear() } => "ratings[2].rating: required";
    rating_from_list: evaluation_outcome(v, e) { v.ratings[2].rating = s("X") }
        => "ratings[2].rating: 'X' is not in code list ratings version 2";
    rating_note_at_most_1000: evaluation_outcome(v, e) { v.ratings[7].note = "x".repeat(1001) }
        => "ratings[7].note: 1001 characters exceeds the limit of 1000";
    ratings_in_any_order: evaluation_outcome(v, e) { v.ratings.reverse() } => "accepted";
    strengths_at_most_50: evaluation_outcome(v, e) { v.strengths = vec![s("goed"); 51] }
        => "strengths: 51 items exceeds the limit of 50";
    strengths_not_empty: evaluation_outcome(v, e) { v.strengths.push(s("")) } => "strengths[1]: required";
    areas_for_improvement_at_most_1000_characters: evaluation_outcome(v, e) {
        v.areas_for_improvement[0] = "x".repeat(1001);
    }
        => "areas_for_improvement[0]: 1001 characters exceeds the limit of 1000";
    action_id_required: evaluation_outcome(v, e) { v.actions[0].action_id.clear() } => "actions[0].action_id: required";
    action_id_characters: evaluation_outcome(v, e) { v.actions[0].action_id = s("A 1") }
        => "actions[0].action_id: character ' ' not allowed (letters, digits, '-' and '.' only)";
    action_id_at_most_32: evaluation_outcome(v, e) { v.actions[0].action_id = "A".repeat(33) }
        => "actions[0].action_id: must be 1 to 32 characters, not 33";
    action_id_with_dots: evaluation_outcome(v, e) { v.actions[0].action_id = s("IM-1.2") } => "accepted";
    action_id_once: evaluation_outcome(v, e) { v.actions[1].action_id = s("A1") }
        => "actions[1].action_id: A1 is listed twice";
    action_area_from_list: evaluation_outcome(v, e) { v.actions[0].area = s("it") }
        => "actions[0].area: 'it' is not in code list rated_areas version 2";
    action_description_required: evaluation_outcome(v, e) { v.actions[0].description.clear() }
        => "actions[0].description: required";
    action_owner_required: evaluation_outcome(v, e) { v.actions[1].owner.clear() } => "actions[1].owner: required";
    action_owner_at_most_200: evaluation_outcome(v, e) { v.actions[1].owner = "x".repeat(201) }
        => "actions[1].owner: 201 characters exceeds the limit of 200";
    action_due_required: evaluation_outcome(v, e) { v.actions[0].due.clear() } => "actions[0].due: required";
    action_due_not_before_the_event: evaluation_outcome(v, e) { v.actions[0].due = s("2026-10-31") }
        => "actions[0].due: 2026-10-31 is before the event (2026-11-01)";
    action_status_from_list: evaluation_outcome(v, e) { v.actions[0].status = s("closed") }
        => "actions[0].status: 'closed' is not in code list action_status version 2";
    reported_to_board_optional: evaluation_outcome(v, e) { v.reported_to_board.clear() } => "accepted";
    reported_to_board_a_date: evaluation_outcome(v, e) { v.reported_to_board = s("20-11-2026") }
        => "reported_to_board: '20-11-2026' is not a date (expected YYYY-MM-DD)";
    reported_to_board_not_before_the_event: evaluation_outcome(v, e) { v.reported_to_board = s("2026-10-31") }
        => "reported_to_board: 2026-10-31 is before the event (2026-11-01)";
    reported_to_board_not_after_creation: evaluation_outcome(v, e) { v.reported_to_board = s("2026-11-30") }
        => "reported_to_board: 2026-11-30 is after the day the record was created (2026-11-29)";
    verified_evaluation_required: evaluation_outcome(v, e) { v.verifies[0].evaluation_id.clear() }
        => "verifies[0].evaluation_id: required";
    verified_evaluation_of_the_same_region: evaluation_outcome(v, e) { v.verifies[0].evaluation_id = s("VR02-3") }
        => "verifies[0].evaluation_id: VR02-3 is a record of VR02, not of VR01";
    verified_evaluation_with_a_chosen_id: evaluation_outcome(v, e) {
        v.verifies[0].evaluation_id = s("eval-2025-delfzijl");
    }
        => "accepted";
    verified_evaluation_is_not_this_one: evaluation_outcome(v, e) { v.verifies[0].evaluation_id = s("VR01-1") }
        => "verifies[0].evaluation_id: VR01-1 is this evaluation itself";
    verified_action_required: evaluation_outcome(v, e) { v.verifies[0].action_id.clear() }
        => "verifies[0].action_id: required";
    verification_result_required: evaluation_outcome(v, e) { v.verifies[0].result.clear() }
        => "verifies[0].result: required";
    verification_result_from_list: evaluation_outcome(v, e) { v.verifies[0].result = s("fine") }
        => "verifies[0].result: 'fine' is not in code list verification_results version 2";
    verification_once: evaluation_outcome(v, e) { v.verifies.push(verification("VR01-7", "A3")) }
        => "verifies[1]: action A3 of VR01-7 is verified twice";
}
