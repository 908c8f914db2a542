//! The rules checked where a person takes a step of an assistance request: each refusal names
//! its field and rule.
use std::collections::BTreeMap;

use regiosync_types::Federation;

use super::assistance::{acceptance, addressees, audience, close, deployment, offer, AssistRefused, Refusal};
use crate::assistance::derive;
use crate::assistance_tests::{fire, Flow};
use crate::pb;
use crate::testsuite::*;

fn view(f: &Flow, q: &str, minute: &str) -> pb::AssistanceView {
    derive(q, &f.records, at(&format!("2026-11-29T{minute}:00Z"))).unwrap()
}

/// The first `n` records of a flow.
fn prefix(f: &Flow, n: usize) -> Flow {
    let mut p = Flow::new();
    p.records = f.records[..n].to_vec();
    p
}

fn refused<T: std::fmt::Debug>(r: Result<T, AssistRefused>) -> (Refusal, String) {
    let e = r.unwrap_err();
    (e.refusal, e.to_string())
}

/// An agreement view in `state` with `parties` in the version in force.
fn agreement_view(id: &str, state: &str, parties: &[&str]) -> pb::AgreementView {
    pb::AgreementView {
        agreement_id: id.into(),
        state: state.into(),
        version_in_force: 1,
        versions: vec![pb::VersionView {
            version: 1,
            agreement: Some(pb::Agreement {
                parties: parties.iter().map(|p| party(p, "both")).collect(),
                ..agreement()
            }),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn a_request_asks_the_partners_of_active_agreements_named_members_and_neighbours() {
    let members = Federation::shipped();
    let me = node("VR17");
    let agreements = [
        agreement_view("VR15-VR17-brand", "active", &["VR15", "VR17"]),
        agreement_view("VR16-VR17-VR18-gs", "active", &["VR16", "VR17", "VR18"]),
        agreement_view("VR17-VR20-oud", "expired", &["VR17", "VR20"]),
        agreement_view("VR01-VR02-water", "active", &["VR01", "VR02"]),
    ];
    let by = |agreements_named: &[&str], named: &[&str], neighbours: bool| {
        let a = pb::Addressing {
            agreements: strings(agreements_named),
            members: strings(named),
            neighbours,
            national: false,
        };
        addressees(me, &a, &members, &agreements)
    };
    assert_eq!(
        by(&["VR15-VR17-brand", "VR16-VR17-VR18-gs"], &["VR25"], false).unwrap(),
        ["VR15", "VR16", "VR18", "VR25"]
    );
    let neighbours: Vec<String> = members
        .member(me)
        .unwrap()
        .neighbours
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert!(!neighbours.is_empty());
    assert_eq!(by(&[], &[], true).unwrap(), neighbours);
    assert_eq!(
        refused(by(&["VR17-VR20-oud"], &[], false)),
        (
            Refusal::Closed,
            "addressing.agreements[0]: agreement VR17-VR20-oud is expired; only an active agreement can be invoked"
                .into()
        )
    );
    assert_eq!(
        refused(by(&["VR01-VR02-water"], &[], false)),
        (
            Refusal::NotAllowed,
            "addressing.agreements[0]: VR17 is not a party to agreement VR01-VR02-water".into()
        )
    );
    assert_eq!(
        refused(by(&["nergens"], &[], false)).1,
        "addressing.agreements[0]: agreement nergens is not held at VR17"
    );
    assert_eq!(
        refused(by(&[], &["NL"], false)).1,
        "addressing.members[0]: NL is a national node; ask the national level with addressing.national"
    );
    assert_eq!(
        refused(by(&[], &["VR17"], false)).1,
        "addressing.members[0]: VR17 is the requester"
    );
    assert_eq!(
        refused(by(&[], &[], false)).1,
        "addressing: asks nobody: name agreements, members, neighbours or the national level"
    );
}

#[test]
fn only_an_addressed_member_answers_an_open_request_with_lines_it_asks() {
    let (f, q) = fire();
    let v = view(&prefix(&f, 6), &q, "10:30");
    let mut o = assistance_offer();
    o.request_id = q.clone();
    o.lines = vec![offer_line("TS", 3, None)];
    let available = BTreeMap::from([("TS".to_string(), 2)]);
    assert_eq!(
        refused(offer(&v, node("VR19"), o.clone(), &available)),
        (
            Refusal::NotAllowed,
            "request_id: VR19 was not asked by request VR17-1 (asked: VR15, VR16, VR18)".into()
        )
    );
    // The offering node fills in what its own report shows, and flags more than that.
    let filled = offer(&v, node("VR18"), o.clone(), &available).unwrap();
    assert_eq!(
        (filled.lines[0].reported_available, filled.lines[0].exceeds_available),
        (Some(2), true)
    );
    let mut within = o.clone();
    within.lines[0].quantity = 2;
    let filled = offer(&v, node("VR18"), within, &available).unwrap();
    assert!(!filled.lines[0].exceeds_available);
    let filled = offer(&v, node("VR18"), o.clone(), &BTreeMap::new()).unwrap();
    assert_eq!(
        (filled.lines[0].reported_available, filled.lines[0].exceeds_available),
        (None, true)
    );

    let mut wrong = o.clone();
    wrong.lines = vec![offer_line("AL", 1, None)];
    assert_eq!(
        refused(offer(&v, node("VR18"), wrong, &available)).1,
        "lines[0].resource_type: AL is not asked by request VR17-1 (asked: TS, GPT)"
    );
    let mut too_many = o.clone();
    too_many.lines = vec![offer_line("TS", 7, None)];
    assert_eq!(
        refused(offer(&v, node("VR18"), too_many, &available)).1,
        "lines[0].quantity: 7 exceeds the 6 TS asked"
    );
    let mut cited = o.clone();
    cited.agreement_id = s("VR17-VR18-brand");
    assert_eq!(
        refused(offer(&v, node("VR18"), cited, &available)).1,
        "agreement_id: request VR17-1 does not cite agreement VR17-VR18-brand"
    );
    let closed = view(&f, &q, "23:00");
    assert_eq!(
        refused(offer(&closed, node("VR18"), o, &available)),
        (Refusal::Closed, "request_id: request VR17-1 is closed".into())
    );
}

#[test]
fn only_the_requester_commits_and_only_what_is_offered_and_asked() {
    let (f, q) = fire();
    // After the first acceptance: VR15's 2 TS and VR16's GPT committed; VR16's 2 TS open.
    let v = view(&prefix(&f, 5), &q, "10:16");
    let now = at("2026-11-29T10:16:00Z");
    let c = |o: &str, t: &str, n: u32| vec![commitment(o, t, n)];
    assert_eq!(
        refused(acceptance(&v, node("VR16"), &c("VR16-1", "TS", 1), now)),
        (
            Refusal::NotAllowed,
            "request_id: VR16 is not the requester of VR17-1; only VR17 accepts offers".into()
        )
    );
    acceptance(&v, node("VR17"), &c("VR16-1", "TS", 2), now).unwrap();
    assert_eq!(
        refused(acceptance(&v, node("VR17"), &c("VR16-1", "TS", 3), now)),
        (
            Refusal::Invalid,
            "commitments[0].quantity: 3 exceeds the 2 TS of VR16-1 not yet committed".into()
        )
    );
    assert_eq!(
        refused(acceptance(&v, node("VR17"), &c("VR15-1", "TS", 1), now)).1,
        "commitments[0].quantity: 1 exceeds the 0 TS of VR15-1 not yet committed"
    );
    assert_eq!(
        refused(acceptance(&v, node("VR17"), &c("VR18-1", "TS", 1), now)),
        (
            Refusal::NotFound,
            "commitments[0].offer_id: VR18-1 is not an offer to request VR17-1 held here".into()
        )
    );
    assert_eq!(
        refused(acceptance(&v, node("VR17"), &c("VR15-1", "AL", 1), now)).1,
        "commitments[0].resource_type: VR15-1 offers no AL"
    );
    let late = at("2026-11-29T14:00:00Z");
    assert_eq!(
        refused(acceptance(&v, node("VR17"), &c("VR16-1", "TS", 1), late)),
        (
            Refusal::Closed,
            "commitments[0].offer_id: VR16-1 lapsed at 2026-11-29T14:00:00Z".into()
        )
    );
    // The line's quantity bounds what all offers together can be committed for.
    let mut small = Flow::new();
    let q2 = small.request("10:00", &[("TS", 3, 0)]);
    let a = small.offer("VR15", "10:01", &q2, &[("TS", 2)], "14:00");
    let b = small.offer("VR16", "10:02", &q2, &[("TS", 2)], "14:00");
    let v2 = view(&small, &q2, "10:05");
    let both = vec![commitment(&a, "TS", 2), commitment(&b, "TS", 2)];
    assert_eq!(
        refused(acceptance(&v2, node("VR17"), &both, now)).1,
        "commitments[1].quantity: 4 TS committed in all (0 before) exceeds the 3 asked"
    );
}

#[test]
fn only_committed_units_are_reported_on_or_released_and_never_backwards() {
    let (f, q) = fire();
    let v = view(&f, &q, "23:00");
    let d = |offer: &str, t: &str, st: &str| pb::AssistanceDeployment {
        request_id: q.clone(),
        offer_id: offer.into(),
        resource_type: t.into(),
        state: st.into(),
        ..assistance_deployment()
    };
    assert_eq!(
        refused(deployment(&v, node("VR17"), &d("", "AL", "released"))),
        (
            Refusal::Closed,
            "resource_type: no unit of AL is committed to request VR17-1".into()
        )
    );
    assert_eq!(
        refused(deployment(&v, node("VR18"), &d("VR16-1", "TS", "on_scene"))).1,
        "offer_id: nothing of TS in VR16-1 is committed to request VR17-1"
    );
    assert_eq!(
        refused(deployment(&v, node("VR15"), &d("VR15-1", "TS", "on_scene"))).1,
        "state: the TS of VR15-1 are returned already; on_scene comes before that"
    );
    deployment(&v, node("VR16"), &d("VR16-1", "GPT", "returned")).unwrap();
    deployment(&v, node("VR16"), &d("VR16-1", "GPT", "extended")).unwrap();
}

#[test]
fn a_request_is_closed_once_by_its_requester_and_its_steps_reach_everyone_asked() {
    let (f, q) = fire();
    let open = view(&f, &q, "21:00");
    let open_view = view(&prefix(&f, 13), &q, "21:00");
    assert_eq!(open.state, "closed");
    assert_eq!(
        refused(close(&open_view, node("VR16"))).1,
        "request_id: VR16 is not the requester of VR17-1; only VR17 closes or cancels it"
    );
    close(&open_view, node("VR17")).unwrap();
    assert_eq!(
        refused(close(&open, node("VR17"))).1,
        "request_id: request VR17-1 is closed"
    );
    assert_eq!(audience(&open), ["VR17", "VR15", "VR16", "VR18"]);
}
