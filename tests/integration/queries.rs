//! The six national questions through the real `Queries` API, on a federation with known
//! records: exact numbers, including stale, exercise, superseded, expired and test cases; and a
//! region's answers never include records outside its audience.
use std::time::Duration;

use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::{
    AgreementCoverageRequest, DataQualityRequest, EvaluationBenchmarkRequest, InControlRequest,
    NationalCapacityRequest, ResourceByRegionRequest,
};
use regiosync_records::pb::{Agreement, EvaluationSummary, ResourceLimit};
use regiosync_testkit::records::{agreement, capacity, date, evaluation, moment, propose, publish, sign, submit};
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

const WAIT: Duration = Duration::from_secs(30);
const DAY: i64 = 86_400_000;

fn with_ts(mut a: Agreement) -> Agreement {
    a.scope.as_mut().unwrap().resources.push(ResourceLimit {
        resource_type: "TS".into(),
        max_quantity: 3,
    });
    a
}

fn eval_of(days_ago: i64, kind: &str, rating: &str) -> EvaluationSummary {
    let mut e = evaluation(days_ago, rating);
    e.event.as_mut().unwrap().kind = kind.into();
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_question_answers_exactly_from_known_records() {
    let t = TestFed::start(&[vr(1), vr(2), vr(3), vr(4)], &[]).await;
    let mut c1 = t.operator(vr(1), "a").await;
    let mut c2 = t.operator(vr(2), "b").await;
    let mut c3 = t.operator(vr(3), "c").await;
    let mut c4 = t.operator(vr(4), "d").await;

    // Capacity: VR01 current (its earlier report superseded), VR02 current, VR03 stale, VR04
    // exercise only; nobody else reports.
    let mut old = capacity(&[("TS", 10, 2, 7, 1)]);
    old.as_of = moment(-5 * 3_600_000);
    publish(&mut c1, old, Status::Actual).await;
    publish(&mut c1, capacity(&[("TS", 10, 6, 3, 1)]), Status::Actual).await;
    publish(
        &mut c2,
        capacity(&[("TS", 8, 8, 0, 0), ("AMB", 5, 4, 1, 0)]),
        Status::Actual,
    )
    .await;
    let mut stale = capacity(&[("TS", 4, 4, 0, 0)]);
    stale.as_of = moment(-3 * DAY);
    stale.valid_until = moment(-DAY);
    publish(&mut c3, stale, Status::Actual).await;
    publish(&mut c4, capacity(&[("TS", 20, 20, 0, 0)]), Status::Exercise).await;

    // Agreements: VR01–VR02 active and covering TS; VR01–VR03 expired; VR02–VR03 proposed.
    propose(&mut c1, with_ts(agreement("VR01-VR02-actief", &[vr(1), vr(2)]))).await;
    sign(&mut c1, "VR01-VR02-actief").await;
    sign(&mut c2, "VR01-VR02-actief").await;
    let mut expired = agreement("VR01-VR03-verlopen", &[vr(1), vr(3)]);
    let v = expired.validity.as_mut().unwrap();
    v.effective_from = date(-400);
    v.valid_until = date(-35);
    propose(&mut c1, expired).await;
    sign(&mut c1, "VR01-VR03-verlopen").await;
    sign(&mut c3, "VR01-VR03-verlopen").await;
    propose(&mut c2, agreement("VR02-VR03-nieuw", &[vr(2), vr(3)])).await;

    // Evaluations: VR01 M then U (worse, weak twice); VR02 P; VR03 a test evaluation only.
    submit(&mut c1, eval_of(400, "incident", "M"), Status::Actual).await;
    submit(&mut c1, eval_of(40, "exercise", "U"), Status::Actual).await;
    submit(&mut c2, eval_of(30, "incident", "P"), Status::Actual).await;
    submit(&mut c3, eval_of(20, "incident", "S"), Status::Test).await;

    // Wait until NL holds everything: 13 records from the regions, 5 signatures included.
    let total: u64 = 5 + 3 + 3 + 4;
    eventually("NL holds every record", WAIT, || async {
        t.fed.node(NodeId::NL).engine.status().await.unwrap().entries_held >= total
    })
    .await;

    let mut nl = QueriesClient::new(t.person_channel(NodeId::NL, Identity::coordinator("test")).await);

    // 1. National capacity.
    let n = nl
        .national_capacity(NationalCapacityRequest {})
        .await
        .unwrap()
        .into_inner();
    let ts = n.totals.iter().find(|x| x.resource_type == "TS").unwrap();
    assert_eq!(
        (ts.regions, ts.baseline, ts.available, ts.committed, ts.out_of_service),
        (2, 18, 14, 3, 1),
        "TS: VR01's newer report and VR02; not stale VR03, not exercise VR04"
    );
    let amb = n.totals.iter().find(|x| x.resource_type == "AMB").unwrap();
    assert_eq!((amb.regions, amb.available), (1, 4));
    let names = |v: &[regiosync_records::pb::RegionReport]| v.iter().map(|r| r.region.clone()).collect::<Vec<_>>();
    assert_eq!(names(&n.reporting), ["VR01", "VR02"]);
    assert_eq!(names(&n.stale), ["VR03"]);
    assert_eq!(n.exercise_only, ["VR04"]);
    assert_eq!(n.missing.len(), 22, "VR04..VR25 have no actual report: {:?}", n.missing);
    assert!(n.missing.contains(&"VR04".to_string()) && !n.missing.contains(&"VR03".to_string()));

    // 2. One type per region, and VR01's partners for TS.
    let r = nl
        .resource_by_region(ResourceByRegionRequest {
            resource_type: "TS".into(),
            region: "VR01".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let row = |id: &str| r.regions.iter().find(|x| x.region == id).unwrap();
    assert_eq!((row("VR01").available, row("VR01").stale), (6, false));
    assert!(row("VR03").stale);
    assert!(row("VR04").unreported && row("VR05").unreported);
    assert_eq!(
        r.partners.len(),
        1,
        "only the active agreement counts: {:?}",
        r.partners
    );
    let p = &r.partners[0];
    assert_eq!(
        (p.region.as_str(), p.agreement_id.as_str(), p.max_quantity, p.available),
        ("VR02", "VR01-VR02-actief", 3, 8)
    );
    let bad = nl
        .resource_by_region(ResourceByRegionRequest {
            resource_type: "XX".into(),
            region: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), tonic::Code::InvalidArgument, "{}", bad.message());

    // 3. Coverage.
    let cov = nl
        .agreement_coverage(AgreementCoverageRequest {
            expiring_within_days: 400,
        })
        .await
        .unwrap()
        .into_inner();
    let pairs: Vec<(String, String)> = cov.pairs.iter().map(|p| (p.a.clone(), p.b.clone())).collect();
    assert_eq!(
        pairs,
        [("VR01".to_string(), "VR02".to_string())],
        "expired and proposed agreements cover nothing"
    );
    let edges = regiosync_types::Federation::shipped().neighbour_edges().len();
    assert_eq!(cov.uncovered_neighbours.len(), edges - 1);
    assert_eq!(
        cov.expiring.iter().map(|a| a.agreement_id.as_str()).collect::<Vec<_>>(),
        ["VR01-VR02-actief"]
    );
    assert_eq!(cov.awaiting.len(), 1);
    assert_eq!(cov.awaiting[0].agreement_id, "VR02-VR03-nieuw");
    assert_eq!(cov.awaiting[0].unsigned, ["VR02", "VR03"]);
    assert_eq!(cov.by_state.get("active"), Some(&1));
    assert_eq!(cov.by_state.get("expired"), Some(&1));
    assert_eq!(cov.by_state.get("proposed"), Some(&1));
    let soon = nl
        .agreement_coverage(AgreementCoverageRequest {
            expiring_within_days: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        soon.expiring.is_empty(),
        "the default window is 60 days; VR01-VR02 runs for 335"
    );

    // 4. Benchmark: three actual evaluations; the test one never counts.
    let b = nl
        .evaluation_benchmark(EvaluationBenchmarkRequest {
            region: "VR01".into(),
            year: 0,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(b.evaluations, 3);
    let area = |kind: &str| {
        b.areas
            .iter()
            .filter(|a| a.area == "informatiemanagement" && a.event_kind == kind)
            .map(|a| {
                let n = a.national.unwrap_or_default();
                let r = a.region.unwrap_or_default();
                (n.p, n.s, n.m, n.u, r.m, r.u)
            })
            .fold((0, 0, 0, 0, 0, 0), |x, y| {
                (x.0 + y.0, x.1 + y.1, x.2 + y.2, x.3 + y.3, x.4 + y.4, x.5 + y.5)
            })
    };
    assert_eq!(area("incident"), (1, 0, 1, 0, 1, 0), "incidents: VR02 P, VR01 M");
    assert_eq!(area("exercise"), (0, 0, 0, 1, 0, 1), "exercises: VR01 U");

    // 5. VR01's card.
    let card = nl
        .in_control(InControlRequest { region: "VR01".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(card.evaluations, 2);
    let im = card.areas.iter().find(|a| a.area == "informatiemanagement").unwrap();
    assert_eq!(
        (
            im.latest.as_str(),
            im.previous.as_str(),
            im.trend.as_str(),
            im.weak_twice
        ),
        ("U", "M", "worse", true)
    );
    assert_eq!(card.open_actions.len(), 2);
    assert_eq!(card.overdue, 1, "the action of 400 days ago was due after 90");
    assert_eq!(card.board_last_informed, "");
    assert!(!card.capacity_stale && !card.capacity_as_of.is_empty());

    // 6. Data quality.
    let q = nl.data_quality(DataQualityRequest {}).await.unwrap().into_inner();
    let reg = |id: &str| q.regions.iter().find(|x| x.region == id).unwrap();
    assert_eq!(
        (
            reg("VR01").capacity_reports,
            reg("VR01").evaluations,
            reg("VR01").not_reported_to_board
        ),
        (2, 2, 2)
    );
    assert!(reg("VR03").capacity_stale && reg("VR05").capacity_missing);
    assert_eq!(q.regions.len(), 25);

    // A region asks its own node, which holds only what it may see: VR03 does not see VR01's
    // and VR02's capacity or their agreement.
    let mut at_vr03 = QueriesClient::new(t.person_channel(vr(3), Identity::operator(vr(3), "c")).await);
    let n3 = at_vr03
        .national_capacity(NationalCapacityRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(
        n3.reporting.is_empty(),
        "VR03 sees no other region's capacity: {:?}",
        n3.reporting
    );
    assert_eq!(names(&n3.stale), ["VR03"]);
    let cov3 = at_vr03
        .agreement_coverage(AgreementCoverageRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(
        cov3.pairs.is_empty(),
        "VR01–VR02's agreement is outside VR03's audience"
    );
    let mut vr03_at_nl = QueriesClient::new(t.person_channel(NodeId::NL, Identity::operator(vr(3), "c")).await);
    let refused = vr03_at_nl
        .national_capacity(NationalCapacityRequest {})
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::PermissionDenied, "{}", refused.message());
    t.shutdown().await;
}
