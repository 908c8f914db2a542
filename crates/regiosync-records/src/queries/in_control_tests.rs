//! Tests of question 5: trends over the last two actual evaluations, weak twice, open actions
//! (verified effective ones closed, overdue counted), the board date and capacity freshness.
use regiosync_types::pb::Status;

use super::in_control;
use super::test_evaluations::{action, verifies, Eval};
use super::test_support::{at, capacity, node};
use crate::pb;
use crate::record::Record;

const NOW: &str = "2026-11-29T12:00:00Z";

fn evaluations() -> Vec<Record> {
    let mut e1 = Eval::new(
        "VR01",
        1,
        "incident",
        "2025-03-01",
        ["P", "S", "M", "U", "NO", "P", "M", "S"],
    );
    e1.board = "2025-04-01";
    e1.actions = vec![
        action("A1", "2025-06-01", "open"),
        action("A2", "2025-06-01", "in_progress"),
        action("A3", "2025-06-01", "done"),
    ];
    let mut e2 = Eval::new(
        "VR01",
        2,
        "exercise",
        "2025-10-01",
        ["S", "S", "U", "M", "P", "NO", "M", "S"],
    );
    e2.board = "2026-01-15";
    e2.actions = vec![action("B1", "2027-01-01", "open")];
    let mut e3 = Eval::new(
        "VR01",
        3,
        "incident",
        "2026-09-01",
        ["P", "M", "M", "P", "S", "S", "U", "S"],
    );
    e3.actions = vec![action("C1", "2026-10-01", "open")];
    e3.verifies = vec![
        verifies("VR01-1", "A1", "effective"),
        verifies("VR01-1", "A2", "partly_effective"),
    ];
    // An exercise-status evaluation: newer, reported to the board, verifying B1 — none of it
    // counts.
    let mut e4 = Eval::new("VR01", 4, "exercise", "2026-11-01", ["U"; 8]);
    e4.status = Status::Exercise;
    e4.board = "2026-11-20";
    e4.verifies = vec![verifies("VR01-2", "B1", "effective")];
    // Another region's evaluation handed in by mistake.
    let other = Eval::new("VR02", 9, "incident", "2026-11-10", ["U"; 8]);
    // In an arbitrary order, one twice.
    [&e3, &e1, &other, &e4, &e2, &e3].iter().map(|e| e.record()).collect()
}

fn trends(card: &pb::InControlCard) -> Vec<(&str, &str, &str, &str, bool)> {
    card.areas
        .iter()
        .map(|a| {
            (
                a.area.as_str(),
                a.latest.as_str(),
                a.previous.as_str(),
                a.trend.as_str(),
                a.weak_twice,
            )
        })
        .collect()
}

#[test]
fn trends_compare_the_two_newest_actual_evaluations() {
    let card = in_control(node("VR01"), &evaluations(), None, at(NOW));
    assert_eq!(card.region, "VR01");
    assert_eq!(
        trends(&card),
        vec![
            ("melding_alarmering", "P", "S", "better", false),
            ("leiding_coordinatie", "M", "S", "worse", false),
            ("informatiemanagement", "M", "U", "better", true),
            ("crisiscommunicatie", "P", "M", "better", false),
            ("overdracht_nafase", "S", "P", "worse", false),
            ("vakbekwaamheid", "S", "NO", "", false),
            ("kwaliteitszorg", "U", "M", "worse", true),
            ("samenwerking", "S", "S", "same", false),
        ]
    );
    assert_eq!(card.areas[2].name, "Informatiemanagement");
    assert_eq!(card.evaluations, 3);
    assert_eq!(card.latest_event_date, "2026-09-01");
    // The newest board date, from an older evaluation: the newest one was never reported.
    assert_eq!(card.board_last_informed, "2026-01-15");
}

#[test]
fn open_actions_leave_out_done_and_verified_effective_ones() {
    let card = in_control(node("VR01"), &evaluations(), None, at(NOW));
    let open: Vec<(&str, bool, &str, &str)> = card.open_actions.iter().map(crate::testsuite::action_row).collect();
    assert_eq!(
        open,
        vec![
            ("C1", true, "", ""),
            // B1's "effective" came from an exercise-status evaluation: it does not count.
            ("B1", false, "", ""),
            ("A2", true, "partly_effective", "VR01-3"),
        ]
    );
    assert_eq!(card.overdue, 2);
    let from: Vec<(&str, &str)> = card
        .open_actions
        .iter()
        .map(|a| (a.evaluation_id.as_str(), a.event_date.as_str()))
        .collect();
    assert_eq!(
        from,
        [
            ("VR01-3", "2026-09-01"),
            ("VR01-2", "2025-10-01"),
            ("VR01-1", "2025-03-01")
        ]
    );
    // On its due day (the Dutch day: 1 October ends at 22:00 UTC) an action is not yet overdue.
    let card = in_control(node("VR01"), &evaluations(), None, at("2026-10-01T21:59:59Z"));
    assert_eq!(card.overdue, 1);
}

#[test]
fn one_evaluation_has_no_trend_and_none_an_empty_card() {
    let only = vec![Eval::new(
        "VR05",
        1,
        "incident",
        "2026-02-01",
        ["M", "U", "NO", "P", "S", "S", "S", "S"],
    )
    .record()];
    let card = in_control(node("VR05"), &only, None, at(NOW));
    let first = &trends(&card)[..3];
    assert_eq!(
        first,
        [
            ("melding_alarmering", "M", "", "", false),
            ("leiding_coordinatie", "U", "", "", false),
            ("informatiemanagement", "NO", "", "", false),
        ]
    );
    assert_eq!((card.evaluations, card.board_last_informed.as_str()), (1, ""));
    let card = in_control(node("VR06"), &[], None, at(NOW));
    assert_eq!(card.areas.len(), 8);
    assert!(card.areas.iter().all(|a| a.latest.is_empty() && a.trend.is_empty()));
    assert_eq!(
        (card.evaluations, card.latest_event_date.as_str(), card.overdue),
        (0, "", 0)
    );
    assert_eq!((card.capacity_as_of.as_str(), card.capacity_stale), ("", false));
}

#[test]
fn capacity_freshness_comes_from_the_actual_report() {
    let lines = [("TS", 10, 6, 2, 2, None, None)];
    let fresh = capacity(
        "VR01",
        5,
        Status::Actual,
        "2026-11-29T08:00:00Z",
        "2026-11-30T08:00:00Z",
        4,
        &lines,
    );
    let card = in_control(node("VR01"), &[], Some(&fresh), at(NOW));
    assert_eq!(
        (card.capacity_as_of.as_str(), card.capacity_stale),
        ("2026-11-29T08:00:00Z", false)
    );
    let card = in_control(node("VR01"), &[], Some(&fresh), at("2026-11-30T08:00:00Z"));
    assert_eq!(
        (card.capacity_as_of.as_str(), card.capacity_stale),
        ("2026-11-29T08:00:00Z", true)
    );
    let exercise = capacity(
        "VR01",
        6,
        Status::Exercise,
        "2026-11-29T09:00:00Z",
        "2026-11-30T09:00:00Z",
        1,
        &lines,
    );
    let card = in_control(node("VR01"), &[], Some(&exercise), at(NOW));
    assert_eq!((card.capacity_as_of.as_str(), card.capacity_stale), ("", false));
}
