//! Who may publish which record kind (`kinds::WRITERS`), in a federation with a partner and a
//! second national node: each cell of the table that differs by member kind.
use regiosync_types::{Federation, Member, MemberKind};

use crate::kinds;
use crate::validate_tests::{agreement, capacity, validate_in, Env};

fn federation() -> Federation {
    let member = |id: &str, kind| Member {
        id: id.parse().unwrap(),
        kind,
        name: id.into(),
        neighbours: vec![],
        issuers: vec![],
    };
    Federation::shipped()
        .with(vec![
            member("NL-B", MemberKind::National),
            member("POL-ON", MemberKind::Partner),
        ])
        .unwrap()
}

fn as_member(origin: &'static str) -> Env {
    let mut env = Env::new(&["NL", "VR01", "VR02"]);
    env.origin = origin;
    env.audience.push(origin);
    env
}

#[test]
fn a_partner_reports_its_own_capacity() {
    let mut c = capacity();
    c.region = "POL-ON".into();
    c.author = "operator:POL-ON:de-boer".into();
    validate_in(kinds::CAPACITY_REPORT, &c, &as_member("POL-ON"), &federation()).unwrap();

    c.region = "VR01".into();
    let err = validate_in(kinds::CAPACITY_REPORT, &c, &as_member("POL-ON"), &federation()).unwrap_err();
    assert!(
        err.to_string().starts_with("region: VR01 is not the origin POL-ON"),
        "{err}"
    );
}

#[test]
fn a_partner_proposes_no_agreement_and_a_national_node_reports_no_capacity() {
    let mut a = agreement();
    a.author = "operator:POL-ON:de-boer".into();
    let err = validate_in(kinds::AGREEMENT, &a, &as_member("POL-ON"), &federation()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "origin: POL-ON is a partner member, which may not publish agreement"
    );
    let mut c = capacity();
    c.region = "NL-B".into();
    let err = validate_in(kinds::CAPACITY_REPORT, &c, &as_member("NL-B"), &federation()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "origin: NL-B is a national member, which may not publish capacity_report"
    );
}

#[test]
fn a_partner_is_no_party_to_an_agreement() {
    let mut a = agreement();
    a.parties[1].region = "POL-ON".into();
    let mut env = Env::new(&["NL", "VR01", "POL-ON"]);
    env.origin = "VR01";
    let err = validate_in(kinds::AGREEMENT, &a, &env, &federation()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "parties[1].region: POL-ON is a partner member, not a region"
    );
}

#[test]
fn every_kind_has_one_row_and_opaque_kinds_are_open_to_all() {
    for kind in kinds::ALL {
        assert_eq!(kinds::WRITERS.iter().filter(|(k, _)| *k == kind).count(), 1, "{kind}");
    }
    assert_eq!(kinds::writers("x.bench"), Some(kinds::Writers::ALL));
    assert_eq!(kinds::writers("no_such_kind"), None);
}
