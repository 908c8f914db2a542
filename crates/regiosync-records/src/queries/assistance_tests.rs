//! Tests of questions 7 to 9 over known requests (VR17 asks VR15, VR16 and VR18 on
//! 29 November 2026), every number computed by hand:
//! - A, 10:00 (the `fire` scenario): TS 6 + GPT 1; VR15 offers at 10:06, VR16 at 10:09, VR18
//!   declines (own_incident) at 10:12; 3 TS and the GPT committed from 10:15; closed at 22:00;
//! - B, 12:00: TS 4; VR16 offers 2 TS at 12:10, VR15 declines (no_capacity) at 12:30, VR18
//!   does not answer; nothing committed;
//! - C, 13:00, an exercise: TS 3, VR15 offers 3 — never counted;
//! - D, 14:00: GPT 2; VR18 offers 2 at 14:40, VR17 commits 1 at 14:45; VR15 and VR16 silent.
//!
//! The agreements cited and offered under are set on the derived views (the Flow's requests
//! address by member list), which is what the questions read.
use regiosync_types::pb::Status;

use super::test_support::{at, node, nodes, Logs};
use super::{assistance_by_agreement, assistance_by_region, card_assistance, coverage_assistance, open_assistance};
use crate::agreement;
use crate::assistance::derive_all;
use crate::assistance_tests::{fire, Flow};
use crate::pb;

const NOW: &str = "2026-11-29T15:00:00Z";
const MIN: i64 = 60_000;

struct Ids {
    a: String,
    b: String,
    c: String,
    d: String,
}

fn flow() -> (Flow, Ids) {
    let (mut f, a) = fire();
    let b = f.request("12:00", &[("TS", 4, 0)]);
    f.offer("VR16", "12:10", &b, &[("TS", 2)], "16:00");
    f.decline("VR15", "12:30", &b, "no_capacity");
    f.status = Status::Exercise;
    let c = f.request("13:00", &[("TS", 3, 0)]);
    f.offer("VR15", "13:05", &c, &[("TS", 3)], "16:00");
    f.status = Status::Actual;
    let d = f.request("14:00", &[("GPT", 2, 0)]);
    let o18 = f.offer("VR18", "14:40", &d, &[("GPT", 2)], "16:00");
    f.accept("14:45", &d, &[(&o18, "GPT", 1)]);
    (f, Ids { a, b, c, d })
}

fn views() -> (Vec<pb::AssistanceView>, Ids) {
    let (f, ids) = flow();
    (derive_all(&f.records, at(NOW)), ids)
}

fn view<'a>(views: &'a mut [pb::AssistanceView], id: &str) -> &'a mut pb::AssistanceView {
    views.iter_mut().find(|v| v.record.as_ref().unwrap().id == id).unwrap()
}

fn cite(v: &mut pb::AssistanceView, agreements: &[&str]) {
    let addressing = v
        .request
        .as_mut()
        .unwrap()
        .addressing
        .get_or_insert_with(Default::default);
    addressing.agreements = agreements.iter().map(|s| s.to_string()).collect();
}

/// Every offer of `by` in `v` is made under `agreement`.
fn offered_under(v: &mut pb::AssistanceView, by: &str, agreement: &str) {
    for o in v.offers.iter_mut().filter(|o| o.record.as_ref().unwrap().origin == by) {
        o.offer.as_mut().unwrap().agreement_id = agreement.into();
    }
}

fn whole_day() -> (i64, i64) {
    (at("2026-11-29T00:00:00Z"), at("2026-11-30T00:00:00Z"))
}

fn stats(count: u32, without: u32, mean_ms: i64, median_ms: i64) -> Option<pb::DurationStats> {
    Some(pb::DurationStats {
        count,
        without,
        mean_ms,
        median_ms,
    })
}

fn region<'a>(answer: &'a pb::AssistanceByRegion, r: &str) -> &'a pb::RegionAssistance {
    answer.regions.iter().find(|x| x.region == r).unwrap()
}

#[test]
fn the_open_requests_are_the_actual_ones_not_closed_oldest_first() {
    let (views, ids) = views();
    assert_eq!(views.len(), 4, "C is derived too, as an exercise");
    let open = open_assistance(&views, at(NOW));
    let got: Vec<&str> = open.requests.iter().map(|r| r.request_id.as_str()).collect();
    assert_eq!(got, [ids.b.as_str(), ids.d.as_str()], "A is closed, C an exercise");
    let b = &open.requests[0];
    assert_eq!(b.requester, "VR17");
    assert_eq!(b.state, "open");
    assert_eq!(b.open_minutes, 180);
    assert_eq!(b.asked, ["VR15", "VR16", "VR18"]);
    assert_eq!(b.not_answered, ["VR18"]);
    assert_eq!(b.needed_by, "2026-11-29T12:00:00Z");
    let lines: Vec<(&str, u32, u32)> = b
        .lines
        .iter()
        .map(|l| (l.resource_type.as_str(), l.requested, l.committed))
        .collect();
    assert_eq!(lines, [("TS", 4, 0)]);
    let d = &open.requests[1];
    assert_eq!(d.state, "partially_covered");
    assert_eq!(d.open_minutes, 60);
    assert_eq!(d.not_answered, ["VR15", "VR16"]);
    assert_eq!((d.lines[0].requested, d.lines[0].committed), (2, 1));
    assert!(!d.lines[0].name.is_empty());
}

#[test]
fn open_minutes_are_whole_minutes_rounded_down() {
    let (views, _) = views();
    let open = open_assistance(&views, at("2026-11-29T15:00:59Z"));
    assert_eq!(open.requests[1].open_minutes, 60);
    let open = open_assistance(&views, at("2026-11-29T15:01:00Z"));
    assert_eq!(open.requests[1].open_minutes, 61);
}

#[test]
fn the_requester_made_three_actual_requests_with_a_fill_rate_of_5_of_13() {
    let (views, _) = views();
    let (from, to) = whole_day();
    let answer = assistance_by_region(&views, &nodes(&["VR18", "VR15", "VR16", "VR17", "VR15"]), from, to);
    let got: Vec<&str> = answer.regions.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(got, ["VR15", "VR16", "VR17", "VR18"], "sorted, each once");
    let r = region(&answer, "VR17");
    assert_eq!(r.requests_made, 3, "A, B, D; not the exercise C");
    assert_eq!(
        (r.units_committed, r.units_requested),
        (5, 13),
        "4 of 7, 0 of 4, 1 of 2"
    );
    assert_eq!(r.fill_rate, 5.0 / 13.0);
    assert_eq!(
        r.first_offer,
        stats(3, 0, 56 * MIN / 3, 10 * MIN),
        "6, 10 and 40 minutes"
    );
    assert_eq!(r.first_commitment, stats(2, 1, 30 * MIN, 30 * MIN), "15 and 45; B none");
    assert_eq!(r.requests_received, 0);
    assert_eq!(r.offers_made, 0);
}

#[test]
fn the_members_asked_received_answered_offered_and_declined() {
    let (views, _) = views();
    let (from, to) = whole_day();
    let answer = assistance_by_region(&views, &nodes(&["VR15", "VR16", "VR17", "VR18"]), from, to);
    let vr15 = region(&answer, "VR15");
    assert_eq!(
        (vr15.requests_received, vr15.answered),
        (3, 2),
        "A offered, B declined, D silent"
    );
    assert_eq!((vr15.units_provided, vr15.units_asked), (2, 13));
    assert_eq!(vr15.received_fill_rate, 2.0 / 13.0);
    assert_eq!(vr15.first_answer, stats(2, 1, 18 * MIN, 18 * MIN), "6 and 30 minutes");
    assert_eq!(
        (vr15.offers_made, vr15.units_offered),
        (1, 2),
        "the exercise offer not counted"
    );
    let declines: Vec<(&str, u32)> = vr15.declines.iter().map(|d| (d.reason.as_str(), d.count)).collect();
    assert_eq!(declines, [("no_capacity", 1)]);
    assert_ne!(vr15.declines[0].name, "no_capacity", "named from the code list");

    let vr16 = region(&answer, "VR16");
    assert_eq!((vr16.requests_received, vr16.answered), (3, 2));
    assert_eq!(
        (vr16.units_provided, vr16.units_asked),
        (2, 13),
        "1 TS and the GPT of A"
    );
    assert_eq!(
        vr16.first_answer,
        stats(2, 1, 9 * MIN + MIN / 2, 9 * MIN + MIN / 2),
        "9 and 10"
    );
    assert_eq!((vr16.offers_made, vr16.units_offered), (2, 5), "TS 2 + GPT 1, TS 2");
    assert!(vr16.declines.is_empty());

    let vr18 = region(&answer, "VR18");
    assert_eq!((vr18.requests_received, vr18.answered), (3, 2), "A declined, D offered");
    assert_eq!(vr18.units_provided, 1);
    assert_eq!(vr18.first_answer, stats(2, 1, 26 * MIN, 26 * MIN), "12 and 40");
    assert_eq!((vr18.offers_made, vr18.units_offered), (1, 2));
    let declines: Vec<(&str, u32)> = vr18.declines.iter().map(|d| (d.reason.as_str(), d.count)).collect();
    assert_eq!(declines, [("own_incident", 1)]);
    assert_eq!(vr18.declines[0].name, "Eenheden nodig voor een eigen incident");
}

#[test]
fn a_request_is_in_the_period_from_its_start_and_not_at_its_end() {
    let (views, _) = views();
    let answer = assistance_by_region(
        &views,
        &nodes(&["VR15", "VR17"]),
        at("2026-11-29T12:00:00Z"),
        at("2026-11-29T14:00:00Z"),
    );
    let r = region(&answer, "VR17");
    assert_eq!(r.requests_made, 1, "B at 12:00 in; A at 10:00 before; D at 14:00 out");
    assert_eq!((r.units_committed, r.units_requested), (0, 4));
    assert_eq!(r.fill_rate, 0.0);
    assert_eq!(r.first_offer, stats(1, 0, 10 * MIN, 10 * MIN));
    assert_eq!(r.first_commitment, stats(0, 1, 0, 0));
    let vr15 = region(&answer, "VR15");
    assert_eq!(
        (vr15.requests_received, vr15.offers_made, vr15.declines.len()),
        (1, 0, 1)
    );
    let just_before = assistance_by_region(
        &views,
        &[node("VR17")],
        at("2026-11-29T12:00:00Z"),
        at("2026-11-29T14:00:00Z") + 1,
    );
    assert_eq!(
        region(&just_before, "VR17").requests_made,
        2,
        "D at the last ms before the end"
    );
}

#[test]
fn exercise_requests_count_nowhere() {
    let (f, ids) = flow();
    let exercise: Vec<_> = f.records.into_iter().filter(|r| r.status == Status::Exercise).collect();
    let views = derive_all(&exercise, at(NOW));
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].record.as_ref().unwrap().id, ids.c);
    let (from, to) = whole_day();
    assert!(open_assistance(&views, at(NOW)).requests.is_empty());
    let answer = assistance_by_region(&views, &nodes(&["VR15", "VR17"]), from, to);
    assert_eq!(answer.regions.len(), 2);
    for r in &answer.regions {
        assert_eq!(
            (r.requests_made, r.requests_received, r.offers_made),
            (0, 0, 0),
            "{}",
            r.region
        );
    }
    let mut views = views;
    cite(&mut views[0], &["AGR-1"]);
    let used = assistance_by_agreement(&views, &[], from, to);
    assert!(used.used.is_empty() && used.agreements.is_empty());
}

fn agreements() -> Vec<pb::AgreementView> {
    let mut logs = Logs::default();
    let signed = at("2026-01-05T09:00:00Z");
    let ts = [("TS", 4)];
    let year = ("2026-01-01", "2027-12-31");
    logs.active("AGR-1", &["VR16", "VR17"], &ts, year, signed);
    logs.active("AGR-2", &["VR15", "VR17"], &ts, year, signed);
    logs.active("AGR-3", &["VR17", "VR18"], &ts, year, signed);
    logs.active(
        "AGR-5",
        &["VR17", "VR18"],
        &ts,
        ("2025-01-01", "2025-12-31"),
        at("2025-01-02T09:00:00Z"),
    );
    logs.status = Status::Exercise;
    logs.active("AGR-4", &["VR17", "VR18"], &ts, year, signed);
    agreement::derive_all(&logs.records, at(NOW), 60)
}

#[test]
fn agreements_cited_offered_under_and_never_used() {
    let (mut views, ids) = views();
    let a = view(&mut views, &ids.a);
    cite(a, &["AGR-2", "AGR-1"]);
    offered_under(a, "VR16", "AGR-1");
    let b = view(&mut views, &ids.b);
    cite(b, &["AGR-1"]);
    offered_under(b, "VR16", "AGR-1");
    cite(view(&mut views, &ids.c), &["AGR-3"]);
    let agreements = agreements();
    let states: Vec<(&str, &str)> = agreements
        .iter()
        .map(|a| (a.agreement_id.as_str(), a.state.as_str()))
        .collect();
    assert!(states.contains(&("AGR-5", "expired")) && states.contains(&("AGR-4", "active")));
    let (from, to) = whole_day();
    let answer = assistance_by_agreement(&views, &agreements, from, to);
    assert_eq!(answer.used, ["AGR-1", "AGR-2"]);
    assert_eq!(
        answer.never_used,
        ["AGR-3"],
        "the exercise C does not use it; AGR-4 is an exercise, AGR-5 expired"
    );
    let listed: Vec<&str> = answer.agreements.iter().map(|a| a.agreement_id.as_str()).collect();
    assert_eq!(listed, ["AGR-1", "AGR-2", "AGR-3"]);

    let agr1 = &answer.agreements[0];
    assert_eq!(agr1.state, "active");
    assert_eq!(agr1.requests, 2, "A and B");
    assert_eq!(
        (agr1.units_committed, agr1.units_requested),
        (2, 11),
        "VR16's TS and GPT of A"
    );
    assert_eq!(agr1.fill_rate, 2.0 / 11.0);
    assert_eq!((agr1.offers, agr1.units_offered), (2, 5));
    assert_eq!(
        agr1.first_offer,
        stats(2, 0, 9 * MIN + MIN / 2, 9 * MIN + MIN / 2),
        "VR16: 9, 10"
    );

    let agr2 = &answer.agreements[1];
    assert_eq!(agr2.requests, 1);
    assert_eq!(
        (agr2.units_committed, agr2.units_requested),
        (0, 7),
        "nothing offered under it"
    );
    assert_eq!((agr2.offers, agr2.units_offered), (0, 0));
    assert_eq!(
        agr2.first_offer,
        stats(1, 0, 6 * MIN, 6 * MIN),
        "its partner VR15 offered at 10:06"
    );

    let agr3 = &answer.agreements[2];
    assert_eq!((agr3.requests, agr3.offers), (0, 0));
    assert_eq!(agr3.first_offer, stats(0, 0, 0, 0));
}

#[test]
fn an_agreement_is_used_only_by_requests_in_the_period() {
    let (mut views, ids) = views();
    cite(view(&mut views, &ids.a), &["AGR-3"]);
    cite(view(&mut views, &ids.d), &["AGR-1"]);
    let answer = assistance_by_agreement(
        &views,
        &agreements(),
        at("2026-11-29T10:00:00Z"),
        at("2026-11-29T14:00:00Z"),
    );
    assert_eq!(answer.used, ["AGR-3"], "A at 10:00 in, D at 14:00 out");
    assert_eq!(answer.never_used, ["AGR-1", "AGR-2"]);
    let agr3 = answer.agreements.iter().find(|a| a.agreement_id == "AGR-3").unwrap();
    assert_eq!(agr3.first_offer, stats(0, 1, 0, 0), "VR18 only declined");
}

#[test]
fn the_card_shows_the_region_record_over_the_last_365_days_and_today() {
    let (views, _) = views();
    let mut card = pb::InControlCard {
        region: "VR15".into(),
        ..Default::default()
    };
    card_assistance(&mut card, &views, at(NOW));
    assert_eq!(
        (card.assistance_from.as_str(), card.assistance_to.as_str()),
        ("2025-11-29", "2026-11-30")
    );
    let r = card.assistance.as_ref().unwrap();
    assert_eq!(r.region, "VR15");
    assert_eq!((r.requests_received, r.answered), (3, 2));
    assert_eq!(r.first_answer.as_ref().unwrap().median_ms, 18 * MIN);
    assert_eq!(r.requests_made, 0);

    let mut card = pb::InControlCard {
        region: "VR17".into(),
        ..Default::default()
    };
    card_assistance(&mut card, &views, at("2027-11-29T12:00:00Z"));
    let r = card.assistance.as_ref().unwrap();
    assert_eq!(
        (r.requests_made, r.units_committed, r.units_requested),
        (3, 5, 13),
        "a year later: still in"
    );
    card_assistance(&mut card, &views, at("2027-11-30T12:00:00Z"));
    assert_eq!(card.assistance_from, "2026-11-30");
    assert_eq!(card.assistance.as_ref().unwrap().requests_made, 0, "a day more: out");
}

#[test]
fn coverage_shows_how_often_each_agreement_was_cited_and_how_fast_its_partners_answered() {
    let (mut views, ids) = views();
    cite(view(&mut views, &ids.a), &["AGR-1", "AGR-2", "AGR-3"]);
    cite(view(&mut views, &ids.b), &["AGR-1"]);
    cite(view(&mut views, &ids.c), &["AGR-3"]);
    cite(view(&mut views, &ids.d), &["AGR-3"]);
    let mut answer = pb::AgreementCoverage::default();
    coverage_assistance(&mut answer, &agreements(), &views);
    let got: Vec<(&str, u32)> = answer
        .assistance_use
        .iter()
        .map(|u| (u.agreement_id.as_str(), u.used))
        .collect();
    assert_eq!(
        got,
        [("AGR-1", 2), ("AGR-2", 1), ("AGR-3", 2), ("AGR-5", 0)],
        "AGR-4 is an exercise; the exercise C does not count"
    );
    let first = |i: usize| answer.assistance_use[i].partners_first_answer;
    assert_eq!(
        first(0),
        stats(2, 0, 9 * MIN + MIN / 2, 9 * MIN + MIN / 2),
        "VR16: 9 and 10"
    );
    assert_eq!(first(1), stats(1, 0, 6 * MIN, 6 * MIN), "VR15: 6");
    assert_eq!(
        first(2),
        stats(2, 0, 26 * MIN, 26 * MIN),
        "VR18's decline at 12 counts, and 40"
    );
    assert_eq!(first(3), stats(0, 0, 0, 0));
}
