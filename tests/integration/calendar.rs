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

/// One night: the instant, and the dates as a Dutch reader has them then. The instant lies
/// ahead of the day the test runs, whatever that day is: node certificates are valid from a day
/// before they are issued, and a receiver refuses an entry created before its origin's key was
/// valid (a fixed winter night of 2026-12-01 stopped working on 2026-12-03 for that reason).
struct Night {
    /// The instant the federation's clocks read at the start (UTC).
    at: String,
    /// The Dutch date at that instant (the UTC date is one earlier).
    today: String,
    yesterday: String,
    /// The day an evaluated exercise took place, some weeks earlier.
    event: String,
    /// 60 Dutch days after `today`: an agreement valid until then is expiring soon.
    in_60_days: String,
    /// A later last day (a year after `yesterday`), and the Dutch days left until it.
    later: String,
    later_days_left: i64,
}

impl Night {
    /// 23:20 UTC on the first `day(year)` at least two days from now: 00:20 Dutch time (winter
    /// or summer time) on the day after. The dates are worked out with the `time` crate, not
    /// with the calendar under test.
    fn first_ahead(day: impl Fn(i32) -> ::time::Date, event: impl Fn(i32) -> ::time::Date) -> Night {
        let soon = ::time::OffsetDateTime::now_utc().date() + ::time::Duration::days(2);
        let year = [soon.year(), soon.year() + 1]
            .into_iter()
            .find(|y| day(*y) >= soon)
            .unwrap();
        let yesterday = day(year);
        let today = yesterday.next_day().unwrap();
        let later = yesterday.replace_year(year + 1).unwrap();
        Night {
            at: format!("{yesterday}T23:20:00Z"),
            today: today.to_string(),
            yesterday: yesterday.to_string(),
            event: event(year).to_string(),
            in_60_days: (today + ::time::Duration::days(60)).to_string(),
            later: later.to_string(),
            later_days_left: (later - today).whole_days(),
        }
    }
}

fn date(year: i32, month: ::time::Month, day: u8) -> ::time::Date {
    ::time::Date::from_calendar_date(year, month, day).unwrap()
}

async fn the_picture_is_the_dutch_days(night: Night) {
    let at = time::parse_moment("at", &night.at).unwrap();
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
    tonight.validity = Some(validity(&night.today, &night.later));
    propose(&mut c1, tonight).await;
    sign(&mut c1, "VR01-VR02-vannacht").await;
    sign(&mut c2, "VR01-VR02-vannacht").await;
    let mut ending = agreement("VR01-VR03-loopt-af", &[vr(1), vr(3)]);
    ending.validity = Some(validity(&night.event, &night.in_60_days));
    propose(&mut c1, ending).await;
    sign(&mut c1, "VR01-VR03-loopt-af").await;
    sign(&mut c3, "VR01-VR03-loopt-af").await;

    // An evaluation reported to the board today, one action due yesterday, one due today.
    let mut e = evaluation(0, "S");
    e.event.as_mut().unwrap().date = night.event.clone();
    e.reported_to_board = night.today.clone();
    let due = |id: &str, date: &str| ImprovementAction {
        action_id: id.into(),
        due: date.into(),
        ..e.actions[0].clone()
    };
    e.actions = vec![due("A1", &night.yesterday), due("A2", &night.today)];
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
        (night.today.as_str(), 0)
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
    use ::time::Month::{December, November};
    let night = Night::first_ahead(|y| date(y, December, 1), |y| date(y, November, 10));
    the_picture_is_the_dutch_days(night).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_twenty_past_midnight_in_summer_time_the_picture_is_of_the_dutch_day() {
    use ::time::Month::March;
    // The last Sunday of March: the first night of summer time.
    let last_sunday = |y| {
        let mut d = date(y, March, 31);
        while d.weekday() != ::time::Weekday::Sunday {
            d = d.previous_day().unwrap();
        }
        d
    };
    let night = Night::first_ahead(last_sunday, |y| date(y, March, 1));
    the_picture_is_the_dutch_days(night).await;
}
