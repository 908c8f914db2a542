//! Capacity as NL derives it through the `Records` API: a newer report supersedes an older one,
//! a report past its valid-until is flagged stale and never counted, exercise reports never
//! count, and regions without a report are listed as missing.
use std::time::Duration;

use regiosync_node::pb::{ListCapacityRequest, PublishCapacityRequest};
use regiosync_records::capacity;
use regiosync_records::pb::CapacityReport;
use regiosync_testkit::records::{capacity as report, moment};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

const DAY: i64 = 86_400_000;

async fn publish(t: &TestFed, region: NodeId, r: CapacityReport, status: Status) {
    t.operator(region, "test")
        .await
        .publish_capacity(PublishCapacityRequest {
            report: Some(r),
            status: status as i32,
            audience: Vec::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("{region} publishes: {}", e.message()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_is_flagged_exercise_never_counts_newest_supersedes() {
    let t = TestFed::start(&[vr(1), vr(2), vr(3)], &[]).await;
    // VR01: valid until yesterday, so stale now.
    let mut stale = report(&[("TS", 10, 10, 0, 0)]);
    stale.as_of = moment(-3 * DAY);
    stale.valid_until = moment(-DAY);
    publish(&t, vr(1), stale, Status::Actual).await;
    // VR02: an exercise report only.
    publish(&t, vr(2), report(&[("TS", 20, 20, 0, 0)]), Status::Exercise).await;
    // VR03: a report, then a newer one that supersedes it (published in that order here; the
    // newer as_of wins whatever order they arrive in, see the records crate's tests).
    let mut newer = report(&[("TS", 6, 6, 0, 0), ("AMB", 4, 3, 1, 0)]);
    newer.as_of = moment(-60_000);
    publish(&t, vr(3), newer, Status::Actual).await;
    let mut older = report(&[("TS", 5, 4, 1, 0)]);
    older.as_of = moment(-2 * 3_600_000);
    publish(&t, vr(3), older, Status::Actual).await;

    let mut nl = t.records_client(NodeId::NL, Identity::coordinator("test")).await;
    let list = |all: bool| ListCapacityRequest {
        include_non_actual: all,
    };
    eventually("NL holds all four reports", Duration::from_secs(20), || {
        let mut nl = nl.clone();
        async move {
            let l = nl.list_capacity(list(true)).await.unwrap().into_inner();
            l.reports.len() == 3 && l.reports.iter().any(|r| r.superseded == 1)
        }
    })
    .await;

    let l = nl.list_capacity(list(false)).await.unwrap().into_inner();
    let regions: Vec<&str> = l.reports.iter().map(|r| r.region.as_str()).collect();
    assert_eq!(regions, ["VR01", "VR03"], "exercise reports are left out by default");
    let vr01 = &l.reports[0];
    assert!(
        vr01.stale && !vr01.counts,
        "VR01's report is stale and not counted: {vr01:?}"
    );
    let vr03 = &l.reports[1];
    assert!(!vr03.stale && vr03.counts);
    assert_eq!(vr03.superseded, 1);
    assert_eq!(
        vr03.report.as_ref().unwrap().entries[0].available,
        6,
        "the newer as_of is current"
    );
    assert!(l.missing.contains(&"VR02".to_string()), "VR02 has no actual report");
    assert!(
        !l.missing.contains(&"VR01".to_string()),
        "a stale report is shown, not missing"
    );

    let totals = capacity::totals(&l.reports);
    let ts = totals.iter().find(|t| t.resource_type == "TS").unwrap();
    assert_eq!(
        (ts.regions, ts.available, ts.baseline),
        (1, 6, 6),
        "only VR03's current report counts"
    );

    let all = nl.list_capacity(list(true)).await.unwrap().into_inner();
    let exercise = all
        .reports
        .iter()
        .find(|r| r.region == "VR02")
        .expect("listed on request");
    assert!(!exercise.counts);
    assert_eq!(exercise.record.as_ref().unwrap().status, "exercise");
    assert_eq!(
        capacity::totals(&all.reports),
        totals,
        "listing exercise reports changes no total"
    );
    t.shutdown().await;
}
