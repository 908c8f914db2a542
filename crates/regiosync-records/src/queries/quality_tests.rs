//! Tests of question 6: capacity freshness, evaluations not reported to the board, refused
//! entries and replication lag per region.
use std::collections::BTreeMap;

use regiosync_types::pb::Status;

use super::data_quality;
use super::test_evaluations::Eval;
use super::test_support::{at, capacity, node, nodes};
use crate::pb;

const NOW: &str = "2026-11-29T12:00:00Z";

type Row<'a> = (&'a str, &'a str, bool, bool, u64, u32, u32, &'a str, u64, u64, i64);

fn rows(q: &pb::DataQuality) -> Vec<Row<'_>> {
    q.regions
        .iter()
        .map(|r| {
            (
                r.region.as_str(),
                r.capacity_as_of.as_str(),
                r.capacity_stale,
                r.capacity_missing,
                r.capacity_reports,
                r.evaluations,
                r.not_reported_to_board,
                r.latest_evaluation.as_str(),
                r.rejected,
                r.behind,
                r.last_contact_unix_ms,
            )
        })
        .collect()
}

#[test]
fn one_row_per_region_with_exact_numbers() {
    let lines = [("TS", 10, 6, 2, 2, None, None)];
    let capacity = vec![
        capacity(
            "VR01",
            9,
            Status::Actual,
            "2026-11-29T08:00:00Z",
            "2026-11-30T08:00:00Z",
            12,
            &lines,
        ),
        capacity(
            "VR01",
            3,
            Status::Exercise,
            "2026-11-29T10:00:00Z",
            "2026-11-30T10:00:00Z",
            2,
            &lines,
        ),
        capacity(
            "VR02",
            4,
            Status::Actual,
            "2026-11-01T08:00:00Z",
            "2026-11-02T08:00:00Z",
            5,
            &lines,
        ),
        capacity(
            "VR03",
            1,
            Status::Test,
            "2026-11-29T08:00:00Z",
            "2026-11-30T08:00:00Z",
            1,
            &lines,
        ),
    ];
    let mut reported = Eval::new("VR01", 1, "incident", "2026-03-01", ["P"; 8]);
    reported.board = "2026-04-01";
    let unreported = Eval::new("VR01", 2, "exercise", "2026-10-05", ["S"; 8]);
    let older = Eval::new("VR01", 3, "incident", "2025-12-24", ["S"; 8]);
    let mut exercise = Eval::new("VR01", 4, "exercise", "2026-11-20", ["S"; 8]);
    exercise.status = Status::Exercise;
    let vr03 = Eval::new("VR03", 1, "incident", "2026-07-14", ["M"; 8]);
    let evaluations = BTreeMap::from([
        (
            node("VR01"),
            [&reported, &unreported, &older, &exercise, &older]
                .iter()
                .map(|e| e.record())
                .collect(),
        ),
        (node("VR03"), vec![vr03.record()]),
    ]);
    let rejected = BTreeMap::from([(node("VR02"), 7), (node("VR09"), 1)]);
    let replication = BTreeMap::from([(node("VR01"), (0, at("2026-11-29T11:59:00Z"))), (node("VR03"), (42, 0))]);
    let answer = data_quality(
        &capacity,
        &evaluations,
        &rejected,
        &replication,
        &nodes(&["VR04", "VR03", "VR02", "VR01"]),
        at(NOW),
    );
    assert_eq!(
        rows(&answer),
        vec![
            (
                "VR01",
                "2026-11-29T08:00:00Z",
                false,
                false,
                12,
                3,
                2,
                "2026-10-05",
                0,
                0,
                at("2026-11-29T11:59:00Z")
            ),
            ("VR02", "2026-11-01T08:00:00Z", true, false, 5, 0, 0, "", 7, 0, 0),
            ("VR03", "", false, true, 0, 1, 1, "2026-07-14", 0, 42, 0),
            ("VR04", "", false, true, 0, 0, 0, "", 0, 0, 0),
        ]
    );
}

#[test]
fn nothing_held_gives_empty_rows() {
    let answer = data_quality(
        &[],
        &BTreeMap::new(),
        &BTreeMap::new(),
        &BTreeMap::new(),
        &nodes(&["VR25"]),
        at(NOW),
    );
    assert_eq!(rows(&answer), vec![("VR25", "", false, true, 0, 0, 0, "", 0, 0, 0)]);
    let none = data_quality(&[], &BTreeMap::new(), &BTreeMap::new(), &BTreeMap::new(), &[], at(NOW));
    assert!(none.regions.is_empty());
}
