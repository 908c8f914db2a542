//! Tests of questions 1 and 2: totals over current actual reports only, stale, missing and
//! exercise-only regions named; one type per region and a region's partners under active
//! agreements only.
use regiosync_types::pb::Status;
use regiosync_types::Error;

use super::test_support::{at, capacity, node, nodes, Logs};
use super::{national_capacity, resource_by_region};
use crate::agreement::derive_all;
use crate::pb;

const NOW: &str = "2026-11-29T12:00:00Z";
const FRESH: (&str, &str) = ("2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z");

/// VR01 and VR02 current; VR03's actual report stale (valid until exactly now) beside a fresh
/// exercise report; VR04 exercise only; VR05 nothing; VR09 current but not asked about.
fn held() -> Vec<pb::CapacityLatest> {
    let a = Status::Actual;
    vec![
        capacity(
            "VR01",
            7,
            a,
            FRESH.0,
            FRESH.1,
            3,
            &[("TS", 10, 6, 2, 2, Some(2), Some(4)), ("WO", 2, 1, 1, 0, None, None)],
        ),
        capacity(
            "VR02",
            4,
            a,
            FRESH.0,
            FRESH.1,
            1,
            &[("TS", 8, 5, 1, 2, Some(1), None), ("AL", 2, 2, 0, 0, None, None)],
        ),
        capacity(
            "VR03",
            2,
            a,
            "2026-11-28T12:00:00Z",
            NOW,
            2,
            &[("TS", 20, 20, 0, 0, None, None)],
        ),
        capacity(
            "VR03",
            3,
            Status::Exercise,
            FRESH.0,
            FRESH.1,
            1,
            &[("TS", 100, 100, 0, 0, None, None)],
        ),
        capacity(
            "VR04",
            1,
            Status::Test,
            FRESH.0,
            FRESH.1,
            1,
            &[("TS", 50, 50, 0, 0, None, None)],
        ),
        capacity("VR09", 1, a, FRESH.0, FRESH.1, 1, &[("TS", 99, 99, 0, 0, None, None)]),
    ]
}

fn asked() -> Vec<regiosync_types::NodeId> {
    nodes(&["VR05", "VR04", "VR03", "VR02", "VR01", "VR01"])
}

fn total(t: &pb::CapacityTotal) -> (&str, &str, u32, [u64; 6]) {
    let n = [
        t.baseline,
        t.available,
        t.committed,
        t.out_of_service,
        t.surge_24h,
        t.surge_72h,
    ];
    (t.resource_type.as_str(), t.name.as_str(), t.regions, n)
}

fn reports(r: &[pb::RegionReport]) -> Vec<(&str, &str, &str, &str)> {
    r.iter()
        .map(|r| {
            (
                r.region.as_str(),
                r.as_of.as_str(),
                r.valid_until.as_str(),
                r.record_id.as_str(),
            )
        })
        .collect()
}

#[test]
fn national_totals_count_current_actual_reports_only() {
    let answer = national_capacity(&held(), &asked(), at(NOW));
    let totals: Vec<_> = answer.totals.iter().map(total).collect();
    assert_eq!(
        totals,
        vec![
            ("AL", "Autoladder", 1, [2, 2, 0, 0, 0, 0]),
            ("TS", "Tankautospuit", 2, [18, 11, 3, 4, 3, 4]),
            ("WO", "Waterongevallenvoertuig", 1, [2, 1, 1, 0, 0, 0]),
        ]
    );
    assert_eq!(
        reports(&answer.reporting),
        vec![
            ("VR01", FRESH.0, FRESH.1, "VR01-7"),
            ("VR02", FRESH.0, FRESH.1, "VR02-4")
        ]
    );
    assert_eq!(
        reports(&answer.stale),
        vec![("VR03", "2026-11-28T12:00:00Z", NOW, "VR03-2")]
    );
    assert_eq!(answer.missing, ["VR04", "VR05"]);
    assert_eq!(answer.exercise_only, ["VR04"]);
    assert_eq!(answer.now_unix_ms, at(NOW));
}

#[test]
fn one_millisecond_earlier_the_stale_report_still_counts() {
    let answer = national_capacity(&held(), &asked(), at(NOW) - 1);
    let ts = answer.totals.iter().find(|t| t.resource_type == "TS").unwrap();
    assert_eq!((ts.regions, ts.baseline, ts.available), (3, 38, 31));
    assert_eq!(answer.reporting.len(), 3);
    assert!(answer.stale.is_empty());
}

#[test]
fn nothing_held_means_every_region_missing() {
    let answer = national_capacity(&[], &nodes(&["VR02", "VR01"]), at(NOW));
    assert!(answer.totals.is_empty() && answer.reporting.is_empty() && answer.exercise_only.is_empty());
    assert_eq!(answer.missing, ["VR01", "VR02"]);
}

/// (region, baseline, available, committed, out of service, stale, unreported, as_of)
fn rows(r: &pb::ResourceByRegion) -> Vec<(&str, [u32; 4], bool, bool, &str)> {
    r.regions
        .iter()
        .map(|r| {
            let n = [r.baseline, r.available, r.committed, r.out_of_service];
            (r.region.as_str(), n, r.stale, r.unreported, r.as_of.as_str())
        })
        .collect()
}

#[test]
fn one_type_per_region_shows_stale_numbers_and_flags_unreported() {
    let answer = resource_by_region("TS", None, &held(), &[], &asked(), at(NOW)).unwrap();
    assert_eq!(
        (answer.resource_type.as_str(), answer.name.as_str()),
        ("TS", "Tankautospuit")
    );
    assert_eq!(
        rows(&answer),
        vec![
            ("VR01", [10, 6, 2, 2], false, false, FRESH.0),
            ("VR02", [8, 5, 1, 2], false, false, FRESH.0),
            ("VR03", [20, 20, 0, 0], true, false, "2026-11-28T12:00:00Z"),
            ("VR04", [0, 0, 0, 0], false, true, ""),
            ("VR05", [0, 0, 0, 0], false, true, ""),
        ]
    );
    assert!(answer.partners.is_empty());
    // VR02 reported, but not this type: unreported, with the moment of its report.
    let wo = resource_by_region("WO", None, &held(), &[], &asked(), at(NOW)).unwrap();
    assert_eq!(rows(&wo)[0], ("VR01", [2, 1, 1, 0], false, false, FRESH.0));
    assert_eq!(rows(&wo)[1], ("VR02", [0, 0, 0, 0], false, true, FRESH.0));
}

#[test]
fn unknown_types_and_the_national_node_are_refused() {
    let e = resource_by_region("XX", None, &held(), &[], &asked(), at(NOW)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "resource_type: 'XX' is not in code list resource_types version 3"
    );
    let e = resource_by_region("", None, &held(), &[], &asked(), at(NOW)).unwrap_err();
    assert_eq!(e, Error::Missing("resource_type".into()));
    let e = resource_by_region("TS", Some(node("NL")), &held(), &[], &asked(), at(NOW)).unwrap_err();
    assert_eq!(e.to_string(), "region: NL is not a region of this federation");
}

/// Agreements about VR01 (and others), derived at `NOW`.
fn agreements() -> Vec<pb::AgreementView> {
    let mut logs = Logs::default();
    let year = ("2026-01-01", "2027-12-31");
    let signed = at("2026-01-05T09:00:00Z");
    logs.active("VR01-VR02-ts", &["VR01", "VR02"], &[("TS", 4), ("AL", 1)], year, signed);
    // An amendment raising the limit, awaiting VR02's signature: version 1 stays in force.
    let v2 = logs.propose(
        "VR01-VR02-ts",
        2,
        &["VR01", "VR02"],
        &[("TS", 8)],
        year,
        at("2026-11-01T09:00:00Z"),
    );
    logs.sign("VR01", &v2, at("2026-11-01T09:00:00Z"));
    logs.active("VR01-VR03-VR04", &["VR01", "VR03", "VR04"], &[("TS", 6)], year, signed);
    logs.active("VR01-VR02-wo", &["VR01", "VR02"], &[("WO", 2)], year, signed);
    logs.active("VR02-VR05", &["VR02", "VR05"], &[("TS", 3)], year, signed);
    let past = ("2025-01-01", "2025-12-31");
    logs.active(
        "VR01-VR05-2025",
        &["VR05", "VR01"],
        &[("TS", 9)],
        past,
        at("2025-01-02T09:00:00Z"),
    );
    logs.status = Status::Exercise;
    let ex = logs.propose("VR01-VR05-oefening", 1, &["VR01", "VR05"], &[("TS", 2)], year, signed);
    logs.sign("VR01", &ex, signed);
    logs.sign("VR05", &ex, signed);
    derive_all(&logs.records, at(NOW), 60)
}

#[test]
fn partners_come_from_active_actual_agreements_covering_the_type() {
    let views = agreements();
    let states: Vec<(&str, &str, &str)> = views
        .iter()
        .map(|v| (v.agreement_id.as_str(), v.state.as_str(), v.status.as_str()))
        .collect();
    assert!(states.contains(&("VR01-VR05-2025", "expired", "actual")), "{states:?}");
    assert!(
        states.contains(&("VR01-VR05-oefening", "active", "exercise")),
        "{states:?}"
    );
    let answer = resource_by_region("TS", Some(node("VR01")), &held(), &views, &asked(), at(NOW)).unwrap();
    let partners: Vec<_> = answer
        .partners
        .iter()
        .map(|p| {
            (
                p.region.as_str(),
                p.agreement_id.as_str(),
                p.version,
                p.max_quantity,
                p.available,
                p.stale,
                p.unreported,
            )
        })
        .collect();
    assert_eq!(
        partners,
        vec![
            ("VR02", "VR01-VR02-ts", 1, 4, 5, false, false),
            ("VR03", "VR01-VR03-VR04", 1, 6, 0, true, false),
            ("VR04", "VR01-VR03-VR04", 1, 6, 0, false, true),
        ]
    );
    assert_eq!(answer.regions.len(), 5);
}

#[test]
fn partners_are_sorted_by_availability_then_region() {
    let views = agreements();
    // From VR02's side: VR01 (6 available, two agreements but one covers TS) and VR05 (none held).
    let answer = resource_by_region("TS", Some(node("VR02")), &held(), &views, &asked(), at(NOW)).unwrap();
    let partners: Vec<_> = answer
        .partners
        .iter()
        .map(|p| (p.region.as_str(), p.available, p.unreported))
        .collect();
    assert_eq!(partners, vec![("VR01", 6, false), ("VR05", 0, true)]);
    // A region bound by no agreement for the type has no partners.
    let answer = resource_by_region("AL", Some(node("VR03")), &held(), &views, &asked(), at(NOW)).unwrap();
    assert!(answer.partners.is_empty());
}
