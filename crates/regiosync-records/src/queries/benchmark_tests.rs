//! Tests of question 4: national distributions from the rating counters the node folds (actual
//! evaluations only), per area, year and event kind; year filtering; a region beside them.
use regiosync_types::pb::Status;

use super::test_evaluations::{national_counts, Eval};
use super::test_support::node;
use super::{evaluation_benchmark, RatingCount};
use crate::pb;
use crate::record::Record;

fn evals() -> Vec<Eval<'static>> {
    let mut ex = Eval::new("VR01", 4, "exercise", "2026-05-01", ["P"; 8]);
    ex.status = Status::Exercise;
    let mut test = Eval::new("VR03", 1, "exercise", "2026-06-01", ["U"; 8]);
    test.status = Status::Test;
    vec![
        Eval::new(
            "VR01",
            1,
            "incident",
            "2025-03-01",
            ["P", "S", "M", "U", "NO", "P", "P", "P"],
        ),
        Eval::new("VR01", 2, "incident", "2026-02-01", ["S"; 8]),
        Eval::new("VR01", 3, "exercise", "2026-04-01", ["M"; 8]),
        ex,
        Eval::new("VR02", 1, "incident", "2026-01-10", ["P"; 8]),
        Eval::new("VR02", 2, "incident", "2026-03-10", ["U"; 8]),
        test,
    ]
}

fn counts() -> Vec<RatingCount> {
    national_counts(&evals().iter().map(Eval::held).collect::<Vec<_>>())
}

fn records(origin: &str) -> Vec<Record> {
    evals()
        .iter()
        .filter(|e| e.origin == origin)
        .map(Eval::record)
        .collect()
}

/// [p, s, m, u, not observed]
fn n(c: &Option<pb::RatingCounts>) -> [u32; 5] {
    let c = c.unwrap();
    [c.p, c.s, c.m, c.u, c.not_observed]
}

#[test]
fn every_year_every_area_in_code_list_order() {
    let answer = evaluation_benchmark(&counts(), None, 0);
    assert_eq!(answer.evaluations, 5);
    assert_eq!(answer.areas.len(), 24);
    let order: Vec<(&str, u32, &str)> = answer
        .areas
        .iter()
        .take(4)
        .map(|a| (a.area.as_str(), a.year, a.event_kind.as_str()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("melding_alarmering", 2025, "incident"),
            ("melding_alarmering", 2026, "incident"),
            ("melding_alarmering", 2026, "exercise"),
            ("leiding_coordinatie", 2025, "incident"),
        ]
    );
    let last = answer.areas.last().unwrap();
    assert_eq!(
        (last.area.as_str(), last.name.as_str()),
        ("samenwerking", "Samenwerking")
    );
    assert_eq!(answer.areas[0].name, "Melding en alarmering");
    // 2025: one incident rated P, S, M, U and not observed in the first five areas.
    let y2025: Vec<[u32; 5]> = answer
        .areas
        .iter()
        .filter(|a| a.year == 2025)
        .map(|a| n(&a.national))
        .collect();
    assert_eq!(
        y2025,
        vec![
            [1, 0, 0, 0, 0],
            [0, 1, 0, 0, 0],
            [0, 0, 1, 0, 0],
            [0, 0, 0, 1, 0],
            [0, 0, 0, 0, 1],
            [1, 0, 0, 0, 0],
            [1, 0, 0, 0, 0],
            [1, 0, 0, 0, 0],
        ]
    );
    assert!(answer.areas.iter().all(|a| a.region.is_none()));
}

#[test]
fn a_year_filters_and_exercise_or_test_evaluations_never_count() {
    let answer = evaluation_benchmark(&counts(), None, 2026);
    assert_eq!(answer.evaluations, 4);
    assert_eq!(answer.areas.len(), 16);
    assert!(answer.areas.iter().all(|a| a.year == 2026));
    let first: Vec<(&str, [u32; 5])> = answer.areas[..2]
        .iter()
        .map(|a| (a.event_kind.as_str(), n(&a.national)))
        .collect();
    // Incidents: VR01 S, VR02 P and U. Exercises: VR01's actual M only (its exercise-status
    // evaluation rated P, VR03's test evaluation rated U).
    assert_eq!(
        first,
        vec![("incident", [1, 1, 0, 1, 0]), ("exercise", [0, 0, 1, 0, 0])]
    );
    let none = evaluation_benchmark(&counts(), None, 2024);
    assert_eq!((none.evaluations, none.areas.len()), (0, 0));
}

#[test]
fn a_region_is_shown_beside_the_national_distribution() {
    let mine = records("VR01");
    let answer = evaluation_benchmark(&counts(), Some((node("VR01"), &mine)), 2026);
    let first: Vec<([u32; 5], [u32; 5])> = answer.areas[..2]
        .iter()
        .map(|a| (n(&a.national), n(&a.region)))
        .collect();
    assert_eq!(
        first,
        vec![([1, 1, 0, 1, 0], [0, 1, 0, 0, 0]), ([0, 0, 1, 0, 0], [0, 0, 1, 0, 0])]
    );
    let vr02 = records("VR02");
    let answer = evaluation_benchmark(&counts(), Some((node("VR02"), &vr02)), 0);
    let melding: Vec<(u32, &str, [u32; 5])> = answer
        .areas
        .iter()
        .filter(|a| a.area == crate::CodeLists::rated_areas()[0])
        .map(|a| (a.year, a.event_kind.as_str(), n(&a.region)))
        .collect();
    assert_eq!(
        melding,
        vec![
            (2025, "incident", [0; 5]),
            (2026, "incident", [1, 0, 0, 1, 0]),
            (2026, "exercise", [0; 5])
        ]
    );
}

#[test]
fn records_of_other_regions_are_not_the_regions_own() {
    // VR02's records passed as VR01's: none is VR01's own.
    let vr02 = records("VR02");
    let answer = evaluation_benchmark(&counts(), Some((node("VR01"), &vr02)), 2026);
    assert!(answer.areas.iter().all(|a| n(&a.region) == [0; 5]));
    // A slice only the region holds is shown, with national zeros.
    let mine = records("VR01");
    let answer = evaluation_benchmark(&[], Some((node("VR01"), &mine)), 2025);
    assert_eq!(answer.evaluations, 0);
    assert_eq!(answer.areas.len(), 8);
    assert_eq!(
        (n(&answer.areas[1].national), n(&answer.areas[1].region)),
        ([0; 5], [0, 1, 0, 0, 0])
    );
}
