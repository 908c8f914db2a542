//! Tests of evaluation views: order, overdue actions, and verification by later evaluations of
//! the same region only.
use regiosync_types::pb::Status;

use crate::evaluation::views;
use crate::pb;
use crate::record::{Payload, Record};

use crate::testsuite::{action, action_row, at};

fn verifies(evaluation_id: &str, action_id: &str, result: &str) -> pb::ActionVerification {
    pb::ActionVerification {
        evaluation_id: evaluation_id.into(),
        action_id: action_id.into(),
        result: result.into(),
        note: String::new(),
    }
}

fn evaluation(
    origin: &str,
    seq: u64,
    event_date: &str,
    actions: Vec<pb::ImprovementAction>,
    checked: Vec<pb::ActionVerification>,
) -> Record {
    let summary = pb::EvaluationSummary {
        region: origin.into(),
        code_list_version: 1,
        event: Some(pb::Event {
            name: format!("Oefening {event_date}"),
            kind: "exercise".into(),
            date: event_date.into(),
            hazard: "fire_industrial".into(),
            highest_escalation: "GRIP2".into(),
        }),
        evaluator: "Lectoraat Crisisbeheersing IFV".into(),
        method: "peer_review".into(),
        actions,
        verifies: checked,
        ..Default::default()
    };
    Record {
        id: format!("{origin}-{seq}"),
        origin: origin.parse().unwrap(),
        seq,
        created_unix_ms: at(&format!("{event_date}T16:00:00Z")) + 30 * 86_400_000,
        status: Status::Actual,
        payload: Payload::Evaluation(summary),
    }
}

fn order(v: &[pb::EvaluationView]) -> Vec<&str> {
    v.iter().map(|e| e.record.as_ref().unwrap().id.as_str()).collect()
}

/// (action id, overdue, verified, verified_by) of one evaluation's view.
fn actions<'a>(v: &'a [pb::EvaluationView], id: &str) -> Vec<(&'a str, bool, &'a str, &'a str)> {
    let e = v.iter().find(|e| e.record.as_ref().unwrap().id == id).unwrap();
    e.actions.iter().map(action_row).collect()
}

#[test]
fn overdue_once_the_due_day_has_passed_and_not_done() {
    let e = evaluation(
        "VR01",
        1,
        "2026-03-01",
        vec![
            action("A1", "2026-06-30", "open"),
            action("A2", "2026-06-30", "in_progress"),
            action("A3", "2026-06-30", "done"),
            action("A4", "2026-07-01", "open"),
        ],
        vec![],
    );
    // The Dutch day: 30 June ends at 22:00 UTC (summer time).
    let on_due_day = views(std::slice::from_ref(&e), at("2026-06-30T21:59:59Z"));
    assert!(actions(&on_due_day, "VR01-1").iter().all(|a| !a.1));
    let v = views(&[e], at("2026-06-30T22:00:00Z"));
    let overdue: Vec<_> = actions(&v, "VR01-1").iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(overdue, [("A1", true), ("A2", true), ("A3", false), ("A4", false)]);
}

#[test]
fn verified_by_the_newest_later_evaluation_of_the_same_region() {
    let now = at("2027-06-01T00:00:00Z");
    let first = evaluation(
        "VR01",
        1,
        "2026-03-01",
        vec![action("A1", "2026-06-30", "done"), action("A2", "2026-06-30", "open")],
        vec![],
    );
    let second = evaluation(
        "VR01",
        2,
        "2026-09-01",
        vec![],
        vec![verifies("VR01-1", "A1", "partly_effective")],
    );
    let third = evaluation(
        "VR01",
        3,
        "2026-12-01",
        vec![],
        vec![verifies("VR01-1", "A1", "effective")],
    );
    let records = [third.clone(), first.clone(), second.clone()];
    let v = views(&records, now);
    assert_eq!(order(&v), ["VR01-3", "VR01-2", "VR01-1"]);
    assert_eq!(
        actions(&v, "VR01-1"),
        [("A1", false, "effective", "VR01-3"), ("A2", true, "", "")]
    );
    // Without the third, the second's finding stands; order of arrival does not matter.
    let v = views(&[second.clone(), first.clone(), second], now);
    assert_eq!(actions(&v, "VR01-1")[0], ("A1", false, "partly_effective", "VR01-2"));
}

#[test]
fn verifications_by_another_region_an_earlier_record_or_a_test_are_ignored() {
    let now = at("2027-06-01T00:00:00Z");
    let first = evaluation(
        "VR01",
        2,
        "2026-03-01",
        vec![action("A1", "2026-06-30", "done")],
        vec![],
    );
    let other_region = evaluation(
        "VR02",
        5,
        "2026-09-01",
        vec![],
        vec![verifies("VR01-2", "A1", "effective")],
    );
    let earlier = evaluation(
        "VR01",
        1,
        "2026-10-01",
        vec![],
        vec![verifies("VR01-2", "A1", "effective")],
    );
    let mut test = evaluation(
        "VR01",
        3,
        "2026-11-01",
        vec![],
        vec![verifies("VR01-2", "A1", "not_effective")],
    );
    test.status = Status::Test;
    let wrong_action = evaluation(
        "VR01",
        4,
        "2026-12-01",
        vec![],
        vec![verifies("VR01-2", "A9", "effective")],
    );
    let v = views(&[first, other_region, earlier, test, wrong_action], now);
    assert_eq!(actions(&v, "VR01-2"), [("A1", false, "", "")]);
    assert_eq!(order(&v), ["VR01-4", "VR01-3", "VR01-1", "VR02-5", "VR01-2"]);
}

#[test]
fn newest_event_first_then_latest_created_then_id() {
    let mut a = evaluation("VR02", 1, "2026-05-01", vec![], vec![]);
    let mut b = evaluation("VR01", 1, "2026-05-01", vec![], vec![]);
    let c = evaluation("VR03", 1, "2026-04-01", vec![], vec![]);
    a.created_unix_ms = b.created_unix_ms;
    let v = views(&[c.clone(), a.clone(), b.clone()], at("2026-12-01T00:00:00Z"));
    assert_eq!(order(&v), ["VR01-1", "VR02-1", "VR03-1"]);
    b.created_unix_ms -= 1;
    let v = views(&[a, b, c], at("2026-12-01T00:00:00Z"));
    assert_eq!(order(&v), ["VR02-1", "VR01-1", "VR03-1"]);
}
