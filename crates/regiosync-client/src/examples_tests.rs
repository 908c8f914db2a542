//! The documented examples in `config/examples/` parse and pass the record rules, as a node
//! would apply them to a record from VR01's operator created now: an example can never rot.
use prost::Message;
use regiosync_records::pb::{Agreement, AssistanceRequest, CapacityReport, EvaluationSummary};
use regiosync_records::{kinds, validate, CodeLists, Record};
use regiosync_types::pb::{EntryBody, Status};
use regiosync_types::Envelope;

use crate::capacity_csv;
use crate::files::{parse, Format};
use crate::render::time::now_ms;

const AGREEMENT_TOML: &str = include_str!("../../../config/examples/agreement.toml");
const AGREEMENT_JSON: &str = include_str!("../../../config/examples/agreement.json");
const CAPACITY_TOML: &str = include_str!("../../../config/examples/capacity.toml");
const CAPACITY_CSV: &str = include_str!("../../../config/examples/capacity.csv");
const EVALUATION_TOML: &str = include_str!("../../../config/examples/evaluation.toml");
const ASSISTANCE_TOML: &str = include_str!("../../../config/examples/assistance_request.toml");

/// Check `payload` as a record of `kind` from `origin`, with the parties (or nobody else) in
/// the audience, created now.
fn check(origin: &str, kind: &str, audience: Vec<String>, payload: Vec<u8>) {
    let body = EntryBody {
        id: format!("{origin}-7"),
        origin: origin.into(),
        seq: 7,
        kind: kind.into(),
        created_unix_ms: now_ms(),
        expires_unix_ms: 0,
        status: Status::Exercise as i32,
        supersedes: Vec::new(),
        audience,
        confidentiality: 0,
        payload,
    };
    let env = Envelope::check(body).unwrap_or_else(|e| panic!("{kind} envelope: {e}"));
    let record = Record::decode(&env)
        .unwrap_or_else(|e| panic!("{kind}: {e}"))
        .expect("a record kind");
    validate::check(
        &record,
        &env,
        CodeLists::shipped(),
        &regiosync_types::Federation::shipped(),
    )
    .unwrap_or_else(|e| panic!("{kind} example: {e}"));
}

/// What the node fills in: the author from the certificate, the newest code lists for 0.
fn as_the_node(author: &mut String, code_list_version: &mut u32, origin: &str) {
    assert!(author.is_empty(), "examples leave author out");
    *author = format!("operator:{origin}:test");
    if *code_list_version == 0 {
        *code_list_version = CodeLists::shipped().latest().version;
    }
}

fn agreement(name: &str, format: Format, text: &str) {
    let mut a: Agreement = parse(name, format, text).unwrap();
    let origin = a.parties[0].region.clone();
    as_the_node(&mut a.author, &mut a.code_list_version, &origin);
    let mut audience: Vec<String> = a.parties.iter().map(|p| p.region.clone()).collect();
    audience.push("NL".into());
    check(&origin, kinds::AGREEMENT, audience, a.encode_to_vec());
}

#[test]
fn agreement_examples_are_valid() {
    agreement("agreement.toml", Format::Toml, AGREEMENT_TOML);
    agreement("agreement.json", Format::Json, AGREEMENT_JSON);
}

#[test]
fn capacity_example_is_valid() {
    let mut c: CapacityReport = parse("capacity.toml", Format::Toml, CAPACITY_TOML).unwrap();
    assert!(c.region.is_empty(), "the example leaves region to the node");
    c.region = "VR03".into();
    as_the_node(&mut c.author, &mut c.code_list_version, "VR03");
    check(
        "VR03",
        kinds::CAPACITY_REPORT,
        vec!["NL".into(), "VR03".into()],
        c.encode_to_vec(),
    );
}

#[test]
fn capacity_csv_example_is_valid_and_matches_the_toml() {
    let lists = CodeLists::shipped().latest();
    let lines = capacity_csv::entries("capacity.csv", CAPACITY_CSV, lists).unwrap();
    let toml: CapacityReport = parse("capacity.toml", Format::Toml, CAPACITY_TOML).unwrap();
    let types =
        |e: &[regiosync_records::pb::CapacityEntry]| e.iter().map(|x| x.resource_type.clone()).collect::<Vec<_>>();
    let entries: Vec<_> = lines.into_iter().map(|l| l.entry).collect();
    assert_eq!(types(&entries), types(&toml.entries));
    let now = now_ms();
    let mut c = CapacityReport {
        region: "VR03".into(),
        as_of: regiosync_records::time::format_moment(now - 3_600_000),
        valid_until: regiosync_records::time::format_moment(now + 86_400_000),
        code_list_version: lists.version,
        entries,
        ..CapacityReport::default()
    };
    as_the_node(&mut c.author, &mut c.code_list_version, "VR03");
    check(
        "VR03",
        kinds::CAPACITY_REPORT,
        vec!["NL".into(), "VR03".into()],
        c.encode_to_vec(),
    );
}

#[test]
fn evaluation_example_is_valid() {
    let mut e: EvaluationSummary = parse("evaluation.toml", Format::Toml, EVALUATION_TOML).unwrap();
    assert!(e.region.is_empty(), "the example leaves region to the node");
    e.region = "VR01".into();
    as_the_node(&mut e.author, &mut e.code_list_version, "VR01");
    check(
        "VR01",
        kinds::EVALUATION_SUMMARY,
        vec!["NL".into(), "VR01".into()],
        e.encode_to_vec(),
    );
}

#[test]
fn assistance_request_example_is_valid() {
    let mut q: AssistanceRequest = parse("assistance_request.toml", Format::Toml, ASSISTANCE_TOML).unwrap();
    assert!(q.addressed.is_empty(), "the example leaves addressed to the node");
    assert!(
        q.needed_by.is_empty(),
        "the example leaves needed_by to the command line"
    );
    as_the_node(&mut q.author, &mut q.code_list_version, "VR17");
    q.addressed = q.addressing.as_ref().unwrap().members.clone();
    q.needed_by = regiosync_records::time::format_moment(now_ms() / 1000 * 1000 + 2 * 3_600_000);
    let mut audience = q.addressed.clone();
    audience.extend(["NL".to_string(), "VR17".to_string()]);
    check("VR17", kinds::ASSISTANCE_REQUEST, audience, q.encode_to_vec());
}
