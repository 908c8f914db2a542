//! The Dutch day at night, through the real Records and Queries APIs: a federation whose clocks
//! read 00:20 Dutch time (still the previous day in UTC), in winter and in summer time, must show
//! the Dutch day's picture: an agreement effective "today" is active and covers its pair, days
//! left and "expiring soon" count Dutch days, an action due "yesterday" is overdue, and "today"
//! is accepted as the day a board was informed.
use std::time::Duration;

use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::{AgreementCoverageRequest, GetAgreementRequest, InControlRequest};
use regiosync_records::pb::{ImprovementAction, Validity};
use regiosync_records::time;
use regiosync_replication::{Clock, EngineConfig};
use regiosync_testkit::records::{agreement, evaluation, propose, sign, submit};
use regiosync_testkit::{eventually, fast_engine, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

const WAIT: Duration = Duration::from_secs(30);

/// One night: the instant, and the dates as a Dutch reader has them then. The instant must lie
/// ahead of the day the test runs: node certificates are valid from a day before they are
/// issued, and a receiver refuses an entry created before its origin's key was valid (the
/// winter night of 2026-12-01 stopped working on 2026-12-03 for that reason).
struct Night {
    /// The instant the federation's clocks read at the start (UTC).
    at: &'static str,
    /// The Dutch date at that instant (the UTC date is one earlier).
    today: &'static str,
    yesterday: &'static str,
    /// The day an evaluated exercise took place, some weeks earlier.
    event: &'static str,
    /// 60 Dutch days after `today`: an agreement valid until then is expiring soon.
    in_60_days: &'static str,
    /// A later last day, and the Dutch days left until it.
    later: &'static str,
    later_days_left: i64,
}

async fn the_picture_is_the_dutch_days(night: Night) {
    let at = time::parse_moment("at", night.at).unwrap();
    let engine = EngineConfig {
        clock: Clock::starting_at(at),
        ..fast_engine()
    };
    let t = TestFed::start_with(&[vr(1), vr(2), vr(3)], &[], engine).await;
    let mut c1 = t.operator(vr(1), "a").await;
    let mut c2 = t.operator(vr(2), "b").await;
    let mut c3 = t.operator(vr(3), "c").await;
    let validity = |from: &str, until: &str| Validity {
        effective_from: from.into(),
        valid_until: until.into(),
        notice_days: 30,
    };

    // VR01–VR02 from the Dutch today; VR01–VR03 in force since last month, last day in 60 days.
    let mut tonight = agreement("VR01-VR02-vannacht", &[vr(1), vr(2)]);
    tonight.validity = Some(validity(night.today, night.later));
    propose(&mut c1, tonight).await;
    sign(&mut c1, "VR01-VR02-vannacht").await;
    sign(&mut c2, "VR01-VR02-vannacht").await;
    let mut ending = agreement("VR01-VR03-loopt-af", &[vr(1), vr(3)]);
    ending.validity = Some(validity(night.event, night.in_60_days));
    propose(&mut c1, ending).await;
    sign(&mut c1, "VR01-VR03-loopt-af").await;
    sign(&mut c3, "VR01-VR03-loopt-af").await;

    // An evaluation reported to the board today, one action due yesterday, one due today.
    let mut e = evaluation(0, "S");
    e.event.as_mut().unwrap().date = night.event.into();
    e.reported_to_board = night.today.into();
    let due = |id: &str, date: &str| ImprovementAction {
        action_id: id.into(),
        due: date.into(),
        ..e.actions[0].clone()
    };
    e.actions = vec![due("A1", night.yesterday), due("A2", night.today)];
    submit(&mut c1, e, Status::Actual).await;

    // 2 agreements, 4 signatures and the evaluation.
    eventually("NL holds every record", WAIT, || async {
        t.fed.node(NodeId::NL).engine.status().await.unwrap().entries_held >= 7
    })
    .await;
    let coordinator = t.person_channel(NodeId::NL, Identity::coordinator("nacht")).await;
    let mut records = regiosync_node::pb::records_client::RecordsClient::new(coordinator.clone());
    let mut queries = QueriesClient::new(coordinator);
    let view = |id: &str| GetAgreementRequest {
        agreement_id: id.into(),
    };

    let v = records
        .get_agreement(view("VR01-VR02-vannacht"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.days_left, v.expiring_soon),
        ("active", 1, night.later_days_left, false),
        "effective from {} (the Dutch today) at {}",
        night.today,
        night.at
    );
    let v = records
        .get_agreement(view("VR01-VR03-loopt-af"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (v.state.as_str(), v.days_left, v.expiring_soon),
        ("active", 60, true),
        "valid until {} at {}",
        night.in_60_days,
        night.at
    );

    let cov = queries
        .agreement_coverage(AgreementCoverageRequest::default())
        .await
        .unwrap()
        .into_inner();
    let pair = |p: &regiosync_node::pb::CoveragePair| (p.a.clone(), p.b.clone());
    let pairs: Vec<_> = cov.pairs.iter().map(pair).collect();
    let uncovered: Vec<_> = cov.uncovered_neighbours.iter().map(pair).collect();
    let two = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert!(pairs.contains(&two("VR01", "VR02")), "pairs {pairs:?} at {}", night.at);
    assert!(!uncovered.contains(&two("VR01", "VR02")), "uncovered {uncovered:?}");
    assert!(uncovered.contains(&two("VR02", "VR03")), "uncovered {uncovered:?}");
    let expiring: Vec<_> = cov
        .expiring
        .iter()
        .map(|v| (v.agreement_id.as_str(), v.days_left))
        .collect();
    assert_eq!(expiring, [("VR01-VR03-loopt-af", 60)]);

    let card = queries
        .in_control(InControlRequest { region: "VR01".into() })
        .await
        .unwrap()
        .into_inner();
    let open: Vec<_> = card
        .open_actions
        .iter()
        .map(|a| (a.action.as_ref().unwrap().action_id.as_str(), a.overdue))
        .collect();
    assert_eq!(open, [("A1", true), ("A2", false)], "at {}", night.at);
    assert_eq!(card.overdue, 1);
    assert_eq!(
        (card.board_last_informed.as_str(), card.board_days_ago),
        (night.today, 0)
    );

    // The region's own node answers the same.
    let own = t.person_channel(vr(1), Identity::operator(vr(1), "a")).await;
    let card = QueriesClient::new(own)
        .in_control(InControlRequest { region: "VR01".into() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(card.overdue, 1, "at VR01's node");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_twenty_past_midnight_in_winter_the_picture_is_of_the_dutch_day() {
    the_picture_is_the_dutch_days(Night {
        at: "2027-12-01T23:20:00Z",
        today: "2027-12-02",
        yesterday: "2027-12-01",
        event: "2027-11-10",
        in_60_days: "2028-01-31",
        later: "2028-12-01",
        // 2028 has a 29 February.
        later_days_left: 365,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_twenty_past_midnight_in_summer_time_the_picture_is_of_the_dutch_day() {
    the_picture_is_the_dutch_days(Night {
        at: "2027-03-28T22:20:00Z",
        today: "2027-03-29",
        yesterday: "2027-03-28",
        event: "2027-03-01",
        in_60_days: "2027-05-28",
        later: "2028-03-28",
        later_days_left: 365,
    })
    .await;
}
