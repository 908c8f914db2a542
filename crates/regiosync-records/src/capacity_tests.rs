//! Tests of current capacity: newest report per region whatever the arrival order, stale
//! reports shown and never summed, exercise and test reports never summed.
use regiosync_types::pb::Status;

use crate::capacity::{current, missing, totals, Total};
use crate::pb;
use crate::record::{Payload, Record};

use crate::testsuite::{at, node, Line};

fn report(origin: &str, seq: u64, status: Status, as_of: &str, valid_until: &str, lines: &[Line]) -> Record {
    let entries = crate::testsuite::lines(lines);
    let r = pb::CapacityReport {
        region: origin.into(),
        as_of: as_of.into(),
        valid_until: valid_until.into(),
        code_list_version: 1,
        entries,
        ..Default::default()
    };
    Record {
        id: format!("{origin}-{seq}"),
        origin: node(origin),
        seq,
        created_unix_ms: at(as_of),
        status,
        payload: Payload::Capacity(r),
    }
}

fn actual(origin: &str, seq: u64, as_of: &str, valid_until: &str, lines: &[Line]) -> Record {
    report(origin, seq, Status::Actual, as_of, valid_until, lines)
}

const TS: Line = ("TS", 10, 6, 2, 2, Some(2), Some(4));

fn ids(views: &[pb::CapacityView]) -> Vec<(&str, &str, bool, bool, u32)> {
    views
        .iter()
        .map(|v| {
            let m = v.record.as_ref().unwrap();
            (v.region.as_str(), m.id.as_str(), v.stale, v.counts, v.superseded)
        })
        .collect()
}

#[test]
fn the_newest_as_of_is_current_whatever_the_arrival_order() {
    let now = at("2026-11-29T12:00:00Z");
    let mut records = vec![
        actual("VR01", 1, "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", &[TS]),
        // Made later, but about an earlier moment (a late correction of the night).
        actual("VR01", 3, "2026-11-29T06:00:00Z", "2026-11-30T06:00:00Z", &[TS]),
        actual("VR01", 2, "2026-11-29T10:00:00Z", "2026-11-30T10:00:00Z", &[TS]),
        actual("VR02", 1, "2026-11-29T09:00:00Z", "2026-11-30T09:00:00Z", &[TS]),
    ];
    let expected = [("VR01", "VR01-2", false, true, 2), ("VR02", "VR02-1", false, true, 0)];
    assert_eq!(ids(&current(&records, now, false)), expected);
    records.reverse();
    records.push(records[1].clone());
    assert_eq!(
        ids(&current(&records, now, false)),
        expected,
        "reversed, with a duplicate"
    );
}

#[test]
fn the_same_as_of_falls_back_to_creation_then_seq() {
    let now = at("2026-11-29T12:00:00Z");
    let mut a = actual("VR04", 1, "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", &[TS]);
    let mut b = actual("VR04", 2, "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", &[TS]);
    a.created_unix_ms += 1_000;
    assert_eq!(ids(&current(&[a.clone(), b.clone()], now, false))[0].1, "VR04-1");
    b.created_unix_ms = a.created_unix_ms;
    assert_eq!(ids(&current(&[b, a], now, false))[0].1, "VR04-2");
}

#[test]
fn a_stale_report_is_shown_and_never_summed() {
    let records = [
        actual("VR01", 1, "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", &[TS]),
        actual(
            "VR02",
            1,
            "2026-11-20T08:00:00Z",
            "2026-11-29T12:00:00Z",
            &[TS, ("AL", 3, 3, 0, 0, None, None)],
        ),
    ];
    let before = current(&records, at("2026-11-29T11:59:59Z"), false);
    assert_eq!(totals(&before)[1].available, 12);
    let views = current(&records, at("2026-11-29T12:00:00Z"), false);
    assert_eq!(
        ids(&views),
        [("VR01", "VR01-1", false, true, 0), ("VR02", "VR02-1", true, false, 0)]
    );
    let t = totals(&views);
    assert_eq!(t.len(), 1, "AL came only from the stale report: {t:?}");
    assert_eq!(
        (t[0].resource_type.as_str(), t[0].regions, t[0].available),
        ("TS", 1, 6)
    );
    // A view marked stale is never summed, even if someone set `counts` on it.
    let mut forged = views.clone();
    forged[1].counts = true;
    assert_eq!(totals(&forged), t);
    // Stale is not missing: the view says why it does not count.
    assert_eq!(
        missing(&views, regiosync_types::Federation::shipped().regions().take(3)),
        [node("VR03")]
    );
}

#[test]
fn exercise_and_test_reports_are_listed_on_request_and_never_summed() {
    let now = at("2026-11-29T12:00:00Z");
    let big = ("TS", 100, 100, 0, 0, None, None);
    let records = [
        actual("VR03", 1, "2026-11-29T08:00:00Z", "2026-11-30T08:00:00Z", &[TS]),
        report(
            "VR03",
            2,
            Status::Exercise,
            "2026-11-29T09:00:00Z",
            "2026-11-30T09:00:00Z",
            &[big],
        ),
        report(
            "VR03",
            3,
            Status::Exercise,
            "2026-11-29T10:00:00Z",
            "2026-11-30T10:00:00Z",
            &[big],
        ),
        report(
            "VR03",
            4,
            Status::Test,
            "2026-11-29T11:00:00Z",
            "2026-11-30T11:00:00Z",
            &[big],
        ),
        report(
            "VR05",
            1,
            Status::Test,
            "2026-11-29T11:00:00Z",
            "2026-11-30T11:00:00Z",
            &[big],
        ),
    ];
    let views = current(&records, now, false);
    assert_eq!(ids(&views), [("VR03", "VR03-1", false, true, 0)]);
    let all = current(&records, now, true);
    assert_eq!(
        ids(&all),
        [
            ("VR03", "VR03-1", false, true, 0),
            ("VR03", "VR03-3", false, false, 1),
            ("VR03", "VR03-4", false, false, 0),
            ("VR05", "VR05-1", false, false, 0),
        ]
    );
    let statuses: Vec<_> = all.iter().map(|v| v.record.as_ref().unwrap().status.as_str()).collect();
    assert_eq!(statuses, ["actual", "exercise", "test", "test"]);
    assert_eq!(totals(&all), totals(&views));
    assert_eq!(totals(&all)[0].available, 6);
    // VR05 has only a test report: for the national picture it reported nothing.
    assert_eq!(
        missing(&all, [node("VR05"), node("VR03"), node("VR05")]),
        [node("VR05")]
    );
}

#[test]
fn totals_sum_per_resource_type_sorted_by_code() {
    let now = at("2026-11-29T12:00:00Z");
    let until = "2026-11-30T12:00:00Z";
    let records = [
        actual(
            "VR01",
            1,
            "2026-11-29T08:00:00Z",
            until,
            &[TS, ("HV", 2, 1, 1, 0, None, Some(1))],
        ),
        actual(
            "VR02",
            1,
            "2026-11-29T08:00:00Z",
            until,
            &[("TS", 8, 5, 3, 0, None, None)],
        ),
        actual(
            "VR02",
            2,
            "2026-11-29T07:00:00Z",
            until,
            &[("TS", 80, 50, 30, 0, None, None)],
        ),
    ];
    let mut twice = records.to_vec();
    twice.extend(records.iter().cloned());
    let t = totals(&current(&twice, now, false));
    let expected = [
        Total {
            resource_type: "HV".into(),
            regions: 1,
            baseline: 2,
            available: 1,
            committed: 1,
            out_of_service: 0,
            surge_24h: 0,
            surge_72h: 1,
        },
        Total {
            resource_type: "TS".into(),
            regions: 2,
            baseline: 18,
            available: 11,
            committed: 5,
            out_of_service: 2,
            surge_24h: 2,
            surge_72h: 4,
        },
    ];
    assert_eq!(t, expected);
}
