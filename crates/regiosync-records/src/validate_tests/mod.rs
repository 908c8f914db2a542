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
use crate::time::parse_date;
use crate::validate;

pub(crate) use crate::testsuite::{
    agreement, assistance_acceptance, assistance_close, assistance_decline, assistance_deployment, assistance_offer,
    assistance_request, assistance_routing, capacity, commitment, evaluation, evaluation_withdrawal, limit, line,
    offer_line, party, rejection, request_line, revocation, s, signature, strings, verification, withdrawal,
};

// ---------------------------------------------------------------------------------------------
// Building records and their envelopes
// ---------------------------------------------------------------------------------------------

/// The envelope fields a test may change.
pub(crate) struct Env {
    pub(crate) origin: &'static str,
    pub(crate) audience: Vec<&'static str>,
    pub(crate) created_ms: i64,
    /// The entry's seq (its id is `<origin>-<seq>`).
    pub(crate) seq: u64,
}

impl Env {
    pub(crate) fn new(audience: &[&'static str]) -> Env {
        Env {
            origin: "VR01",
            audience: audience.to_vec(),
            created_ms: ms("2026-11-29T10:00:00Z"),
            seq: 1,
        }
    }
}

fn ms(moment: &str) -> i64 {
    crate::testsuite::at(moment)
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
        id: format!("{}-{}", env.origin, env.seq),
        origin: env.origin.into(),
        seq: env.seq,
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

fn evaluation_withdrawal_outcome(change: impl FnOnce(&mut pb::EvaluationWithdrawal, &mut Env)) -> String {
    let mut env = Env::new(&["NL", "VR01"]);
    env.seq = 9;
    outcome(
        kinds::EVALUATION_WITHDRAWAL,
        evaluation_withdrawal("VR01-3"),
        env,
        change,
    )
}

fn request_outcome(change: impl FnOnce(&mut pb::AssistanceRequest, &mut Env)) -> String {
    let env = Env::new(&["NL", "VR01", "VR02", "VR03"]);
    outcome(kinds::ASSISTANCE_REQUEST, assistance_request(), env, change)
}

fn offer_outcome(change: impl FnOnce(&mut pb::AssistanceOffer, &mut Env)) -> String {
    outcome(
        kinds::ASSISTANCE_OFFER,
        assistance_offer(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn decline_outcome(change: impl FnOnce(&mut pb::AssistanceOffer, &mut Env)) -> String {
    outcome(
        kinds::ASSISTANCE_OFFER,
        assistance_decline(),
        Env::new(&["NL", "VR01", "VR02"]),
        change,
    )
}

fn acceptance_outcome(change: impl FnOnce(&mut pb::AssistanceAcceptance, &mut Env)) -> String {
    let env = Env::new(&["NL", "VR01", "VR02", "VR03"]);
    outcome(kinds::ASSISTANCE_ACCEPTANCE, assistance_acceptance(), env, change)
}

fn deployment_outcome(change: impl FnOnce(&mut pb::AssistanceDeployment, &mut Env)) -> String {
    let env = Env::new(&["NL", "VR01", "VR02"]);
    outcome(kinds::ASSISTANCE_DEPLOYMENT, assistance_deployment(), env, change)
}

fn close_outcome(change: impl FnOnce(&mut pb::AssistanceClose, &mut Env)) -> String {
    let env = Env::new(&["NL", "VR01", "VR02", "VR03"]);
    outcome(kinds::ASSISTANCE_CLOSE, assistance_close(), env, change)
}

fn routing_outcome(change: impl FnOnce(&mut pb::AssistanceRouting, &mut Env)) -> String {
    let mut env = Env::new(&["NL", "VR02", "VR03", "VR04"]);
    env.origin = "NL";
    outcome(kinds::ASSISTANCE_ROUTING, assistance_routing(), env, change)
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
mod assistance;
mod audit_anchor;
mod capacity;
mod codes;
mod evaluation;
