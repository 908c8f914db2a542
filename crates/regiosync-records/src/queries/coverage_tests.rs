//! Tests of question 3: only active actual agreements cover a pair; expired, withdrawn,
//! proposed and exercise agreements do not; an amendment awaiting signatures is listed while
//! the older version keeps covering.
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use super::agreement_coverage;
use super::test_support::{at, node, Logs};
use crate::agreement::derive_all;
use crate::pb;

const NOW: &str = "2026-11-29T12:00:00Z";

fn agreements() -> Vec<pb::AgreementView> {
    let mut logs = Logs::default();
    let signed = at("2026-01-05T09:00:00Z");
    let ts = [("TS", 4)];
    logs.active(
        "VR01-VR02",
        &["VR01", "VR02"],
        &ts,
        ("2026-01-01", "2027-12-31"),
        signed,
    );
    let v2 = logs.propose(
        "VR01-VR02",
        2,
        &["VR01", "VR02"],
        &ts,
        ("2026-01-01", "2028-12-31"),
        at("2026-11-19T12:00:00Z"),
    );
    logs.sign("VR01", &v2, at("2026-11-20T08:00:00Z"));
    logs.active(
        "VR01-VR03-VR04",
        &["VR04", "VR03", "VR01"],
        &ts,
        ("2026-01-01", "2026-12-31"),
        signed,
    );
    logs.active(
        "VR02-VR03",
        &["VR02", "VR03"],
        &ts,
        ("2026-01-01", "2027-06-30"),
        signed,
    );
    logs.active(
        "VR01-VR05-2025",
        &["VR01", "VR05"],
        &ts,
        ("2025-01-01", "2025-12-31"),
        at("2025-01-02T09:00:00Z"),
    );
    logs.active(
        "VR04-VR05",
        &["VR04", "VR05"],
        &ts,
        ("2026-01-01", "2027-12-31"),
        signed,
    );
    // 30 days' notice from 1 September: withdrawn since 1 October.
    logs.withdraw("VR05", "VR04-VR05", at("2026-09-01T09:00:00Z"));
    logs.propose(
        "VR01-VR05",
        1,
        &["VR01", "VR05"],
        &ts,
        ("2027-01-01", "2027-12-31"),
        at("2026-11-27T18:00:00Z"),
    );
    logs.status = Status::Exercise;
    let ex = logs.propose(
        "VR01-VR05-oefening",
        1,
        &["VR01", "VR05"],
        &ts,
        ("2026-01-01", "2027-12-31"),
        signed,
    );
    logs.sign("VR01", &ex, signed);
    logs.sign("VR05", &ex, signed);
    logs.status = Status::Test;
    let ex2 = logs.propose(
        "VR02-VR04-oefening",
        1,
        &["VR02", "VR04"],
        &ts,
        ("2026-01-01", "2027-12-31"),
        signed,
    );
    logs.sign("VR02", &ex2, signed);
    derive_all(&logs.records, at(NOW), 60)
}

fn neighbours() -> Vec<(NodeId, NodeId)> {
    let pairs = [
        ("VR01", "VR02"),
        ("VR02", "VR01"),
        ("VR01", "VR03"),
        ("VR03", "VR04"),
        ("VR05", "VR04"),
        ("VR01", "VR05"),
        ("VR02", "VR03"),
    ];
    pairs.iter().map(|(a, b)| (node(a), node(b))).collect()
}

fn pairs(p: &[pb::CoveragePair]) -> Vec<(&str, &str, Vec<&str>)> {
    p.iter()
        .map(|p| {
            (
                p.a.as_str(),
                p.b.as_str(),
                p.agreements.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn pairs_and_gaps_count_active_actual_agreements_only() {
    let answer = agreement_coverage(&agreements(), &neighbours(), 60, at(NOW));
    assert_eq!(
        pairs(&answer.pairs),
        vec![
            ("VR01", "VR02", vec!["VR01-VR02"]),
            ("VR01", "VR03", vec!["VR01-VR03-VR04"]),
            ("VR01", "VR04", vec!["VR01-VR03-VR04"]),
            ("VR02", "VR03", vec!["VR02-VR03"]),
            ("VR03", "VR04", vec!["VR01-VR03-VR04"]),
        ]
    );
    // Expired (VR01-VR05-2025), withdrawn (VR04-VR05), proposed (VR01-VR05) and exercise
    // agreements leave these neighbours uncovered.
    assert_eq!(
        pairs(&answer.uncovered_neighbours),
        vec![("VR01", "VR05", vec![]), ("VR04", "VR05", vec![])]
    );
    let mut by_state: Vec<(&str, u32)> = answer.by_state.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    by_state.sort();
    assert_eq!(
        by_state,
        vec![("active", 3), ("expired", 1), ("proposed", 1), ("withdrawn", 1)]
    );
}

#[test]
fn two_agreements_binding_one_pair_are_both_listed() {
    let mut logs = Logs::default();
    let signed = at("2026-01-05T09:00:00Z");
    let year = ("2026-01-01", "2027-12-31");
    logs.active("VR02-VR01-wo", &["VR02", "VR01"], &[("WO", 1)], year, signed);
    logs.active("VR01-VR02-ts", &["VR01", "VR02"], &[("TS", 2)], year, signed);
    let answer = agreement_coverage(&derive_all(&logs.records, at(NOW), 60), &[], 60, at(NOW));
    assert_eq!(
        pairs(&answer.pairs),
        vec![("VR01", "VR02", vec!["VR01-VR02-ts", "VR02-VR01-wo"])]
    );
    assert!(answer.uncovered_neighbours.is_empty());
}

#[test]
fn expiring_uses_the_window_asked_for() {
    let views = agreements();
    let expiring = |window: i64| -> Vec<(String, i64)> {
        agreement_coverage(&views, &neighbours(), window, at(NOW))
            .expiring
            .into_iter()
            .map(|v| (v.agreement_id, v.days_left))
            .collect()
    };
    assert_eq!(expiring(60), vec![("VR01-VR03-VR04".to_string(), 32)]);
    assert_eq!(expiring(32), vec![("VR01-VR03-VR04".to_string(), 32)]);
    assert!(expiring(31).is_empty());
    assert_eq!(agreement_coverage(&views, &[], 31, at(NOW)).window_days, 31);
    assert_eq!(
        expiring(397),
        vec![
            ("VR01-VR03-VR04".to_string(), 32),
            ("VR02-VR03".to_string(), 213),
            ("VR01-VR02".to_string(), 397),
        ]
    );
}

#[test]
fn amendments_and_new_proposals_await_signatures() {
    let answer = agreement_coverage(&agreements(), &neighbours(), 60, at(NOW));
    let awaiting: Vec<_> = answer
        .awaiting
        .iter()
        .map(|a| {
            let unsigned: Vec<&str> = a.unsigned.iter().map(String::as_str).collect();
            (
                a.agreement_id.as_str(),
                a.version,
                a.state.as_str(),
                unsigned,
                a.proposed_unix_ms,
                a.waiting_days,
            )
        })
        .collect();
    assert_eq!(
        awaiting,
        vec![
            // Version 1 stays in force (and covers VR01-VR02) while version 2 waits for VR02.
            (
                "VR01-VR02",
                2,
                "partially_signed",
                vec!["VR02"],
                at("2026-11-19T12:00:00Z"),
                10
            ),
            // Proposed on 27 November (19:00 Dutch time), seen on 29 November: two Dutch days,
            // though only 1 day and 18 hours passed.
            (
                "VR01-VR05",
                1,
                "proposed",
                vec!["VR01", "VR05"],
                at("2026-11-27T18:00:00Z"),
                2
            ),
        ]
    );
}

#[test]
fn no_agreements_leave_every_neighbour_uncovered() {
    let answer = agreement_coverage(&[], &neighbours(), 60, at(NOW));
    assert!(answer.pairs.is_empty() && answer.expiring.is_empty() && answer.awaiting.is_empty());
    assert_eq!(answer.uncovered_neighbours.len(), 6);
    assert!(answer.by_state.is_empty());
}
