//! The Dutch calendar against an oracle written independently of the time zone database (the
//! EU rule, in force since 1996: summer time from 01:00 UTC on the last Sunday of March to 01:00
//! UTC on the last Sunday of October), and every day-based derived value against the Dutch
//! date of the instant it is derived at: instants spread over 2024–2031, both daylight-saving
//! changes each year, and the hours just before and after midnight in UTC and in Dutch time.
use crate::agreement::{self, state, EXPIRING_WINDOW_DAYS};
use crate::agreement_prop_tests::Rng;
use crate::agreement_tests::{Logs, ID};
use crate::calendar;
use crate::evaluation;
use crate::kinds;
use crate::pb;
use crate::queries;
use crate::record::{Payload, Record};
use crate::time::{format_date, format_moment, parse_date, parse_moment, MS_PER_DAY};
use crate::validate_tests::{self, Env};
use regiosync_types::pb::Status;

const HOUR: i64 = 3_600_000;
const MINUTE: i64 = 60_000;

fn ms(moment: &str) -> i64 {
    parse_moment("t", moment).unwrap()
}

fn day(date: &str) -> i64 {
    parse_date("d", date).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/// 01:00 UTC on the last Sunday of `month` (03 or 10) of `year`: when the EU changes clocks.
fn eu_change(year: i64, month: &str) -> i64 {
    let last = day(&format!("{year:04}-{month}-31"));
    // 1970-01-01 was a Thursday: day d is a Sunday when (d + 4) % 7 == 0.
    let sunday = last - (last + 4).rem_euclid(7);
    sunday * MS_PER_DAY + HOUR
}

fn oracle_offset(t: i64) -> i64 {
    let year: i64 = format_date(t.div_euclid(MS_PER_DAY))[..4].parse().unwrap();
    if (eu_change(year, "03")..eu_change(year, "10")).contains(&t) {
        2 * HOUR
    } else {
        HOUR
    }
}

/// The Dutch calendar date of `t`, by the oracle.
fn oracle_day(t: i64) -> i64 {
    (t + oracle_offset(t)).div_euclid(MS_PER_DAY)
}

/// 00:00 Dutch time on day `d`, by the oracle: 23:00 or 22:00 UTC the evening before.
fn oracle_start(d: i64) -> i64 {
    let candidates = [d * MS_PER_DAY - HOUR, d * MS_PER_DAY - 2 * HOUR];
    *candidates
        .iter()
        .find(|&&s| oracle_day(s) == d && oracle_day(s - 1) == d - 1)
        .expect("one candidate starts the day")
}

/// The Dutch clock time of `t` in milliseconds after local midnight, by the oracle.
fn oracle_clock(t: i64) -> i64 {
    (t + oracle_offset(t)).rem_euclid(MS_PER_DAY)
}

/// Instants across 2024–2031: both clock changes each year and the minutes around them, UTC
/// and Dutch midnights with the three hours either side, and instants anywhere.
fn instants(seed: u64) -> Vec<i64> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for year in 2024..=2031 {
        for change in [eu_change(year, "03"), eu_change(year, "10")] {
            for d in [0, 1, MINUTE, 59 * MINUTE, HOUR, 2 * HOUR, 22 * HOUR, 23 * HOUR] {
                out.extend([change - d, change + d]);
            }
        }
    }
    let (first, last) = (day("2024-01-01"), day("2031-12-31"));
    let span = (last - first) as usize;
    for _ in 0..300 {
        let d = first + rng.index(span) as i64;
        let near = rng.below(6 * 60) as i64 * MINUTE - 3 * HOUR + rng.below(60_000) as i64;
        out.push(d * MS_PER_DAY + near);
        out.push(oracle_start(d) + near);
        out.push(oracle_start(d) - 1);
        out.push(oracle_start(d));
        out.push(d * MS_PER_DAY - 1);
        out.push(d * MS_PER_DAY);
        out.push(d * MS_PER_DAY + rng.below(MS_PER_DAY as u64) as i64);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The calendar itself
// ---------------------------------------------------------------------------------------------

#[test]
fn the_bundled_database_has_the_dutch_rules() {
    assert!(calendar::zone_rules_hold());
    let release = calendar::zone_rules_release();
    assert!(release.len() == 5 && release.starts_with("20"), "{release}");
}

#[test]
fn known_instants() {
    // Winter: UTC+1.
    assert_eq!(calendar::day_of(ms("2026-01-01T22:59:59Z")), day("2026-01-01"));
    assert_eq!(calendar::day_of(ms("2026-01-01T23:00:00Z")), day("2026-01-02"));
    // Summer time from 01:00 UTC on 29 March 2026.
    assert_eq!(calendar::day_of(ms("2026-03-28T22:30:00Z")), day("2026-03-28"));
    assert_eq!(calendar::day_of(ms("2026-03-29T22:30:00Z")), day("2026-03-30"));
    assert_eq!(calendar::day_of(ms("2026-07-01T22:00:00Z")), day("2026-07-02"));
    // ...to 01:00 UTC on 25 October 2026.
    assert_eq!(calendar::day_of(ms("2026-10-24T22:30:00Z")), day("2026-10-25"));
    assert_eq!(calendar::day_of(ms("2026-10-25T22:30:00Z")), day("2026-10-25"));
    // The instants of the issue: 00:20 Dutch time, the next Dutch day.
    assert_eq!(calendar::day_of(ms("2026-12-01T23:20:00Z")), day("2026-12-02"));
    assert_eq!(calendar::day_of(ms("2027-03-28T22:20:00Z")), day("2027-03-29"));
    // A day starts at 00:00 Dutch time; the day clocks change has 23 or 25 hours.
    assert_eq!(calendar::day_start(day("2026-12-02")), ms("2026-12-01T23:00:00Z"));
    assert_eq!(calendar::day_start(day("2026-07-01")), ms("2026-06-30T22:00:00Z"));
    assert_eq!(
        calendar::day_end(day("2026-03-29")) - calendar::day_start(day("2026-03-29")),
        23 * HOUR
    );
    assert_eq!(
        calendar::day_end(day("2026-10-25")) - calendar::day_start(day("2026-10-25")),
        25 * HOUR
    );
    // Days between two instants are Dutch dates apart, not multiples of 24 hours.
    assert_eq!(
        calendar::days_between(ms("2026-12-01T22:59:00Z"), ms("2026-12-01T23:01:00Z")),
        1
    );
    assert_eq!(
        calendar::days_between(ms("2026-12-01T23:01:00Z"), ms("2026-12-02T22:58:00Z")),
        0
    );
}

#[test]
fn adding_days_keeps_the_dutch_clock_time() {
    // 10:00 CET on 1 March plus 30 days is 10:00 CEST on 31 March.
    assert_eq!(
        calendar::add_days(ms("2026-03-01T09:00:00Z"), 30),
        ms("2026-03-31T08:00:00Z")
    );
    // 10:00 CEST on 1 October plus 30 days is 10:00 CET on 31 October.
    assert_eq!(
        calendar::add_days(ms("2026-10-01T08:00:00Z"), 30),
        ms("2026-10-31T09:00:00Z")
    );
    // 02:30 does not exist on 29 March 2026: it moves forward to 03:30 CEST.
    assert_eq!(
        calendar::add_days(ms("2026-03-28T01:30:00Z"), 1),
        ms("2026-03-29T01:30:00Z")
    );
    assert_eq!(
        calendar::add_days(ms("2026-05-05T12:00:00Z"), 0),
        ms("2026-05-05T12:00:00Z")
    );
}

#[test]
fn instants_far_outside_the_zone_rules_do_not_panic() {
    for t in [i64::MIN, i64::MIN / 2, -1, 0, i64::MAX / 2, i64::MAX] {
        let _ = calendar::day_of(t);
        let _ = calendar::next_day_start(t);
        let _ = calendar::add_days(t, 730);
    }
    for d in [i64::MIN / MS_PER_DAY, -5_000_000, 3_000_000, i64::MAX / MS_PER_DAY] {
        let _ = calendar::day_start(d);
    }
}

#[test]
fn the_calendar_matches_the_oracle_everywhere() {
    for t in instants(1) {
        let d = oracle_day(t);
        assert_eq!(
            calendar::offset_ms(t),
            oracle_offset(t),
            "offset at {}",
            format_moment(t)
        );
        assert_eq!(calendar::day_of(t), d, "Dutch day of {}", format_moment(t));
        assert_eq!(calendar::day_start(d), oracle_start(d), "start of {}", format_date(d));
        assert_eq!(calendar::day_end(d), oracle_start(d + 1), "end of {}", format_date(d));
        assert_eq!(calendar::next_day_start(t), oracle_start(d + 1));
        for n in [1, 30, 90, 183] {
            let later = calendar::add_days(t, n);
            assert_eq!(oracle_day(later), d + n, "{} plus {n} days", format_moment(t));
            if oracle_clock(later) != oracle_clock(t) {
                // Only a clock time that does not exist that day moves, by the hour skipped.
                assert_eq!(
                    oracle_clock(later),
                    oracle_clock(t) + HOUR,
                    "{} plus {n} days",
                    format_moment(t)
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every day-based derived value, against the oracle's Dutch date
// ---------------------------------------------------------------------------------------------

/// An agreement between VR01 and VR02 from `from` to `until` (Dutch days), both signatures
/// made long before `t`.
fn agreement_at(t: i64, from: i64, until: i64, notice_days: u32) -> Logs {
    let mut l = Logs::new(ID);
    let (from, until) = (format_date(from), format_date(until));
    let v1 = l.version(
        "VR01",
        t - 900 * MS_PER_DAY,
        1,
        &["VR01", "VR02"],
        (&from, &until, notice_days),
    );
    l.sign("VR01", t - 900 * MS_PER_DAY, &v1);
    l.sign("VR02", t - 899 * MS_PER_DAY, &v1);
    l
}

fn check_agreements(t: i64) {
    let d = oracle_day(t);
    let when = format_moment(t);
    let view = |from: i64, until: i64| agreement_at(t, from, until, 30).view(t);

    // Effective from today: active; from tomorrow: signed, nothing in force.
    let v = view(d, d + 100);
    assert_eq!((v.state.as_str(), v.version_in_force), (state::ACTIVE, 1), "at {when}");
    let v = view(d + 1, d + 100);
    assert_eq!((v.state.as_str(), v.version_in_force), (state::SIGNED, 0), "at {when}");
    assert_eq!(v.versions[0].active_from_unix_ms, oracle_start(d + 1), "at {when}");
    // The next moment a kept view can change is the next Dutch day.
    assert_eq!(agreement::next_change(&[v], t), oracle_start(d + 1), "at {when}");

    // Valid until today: active with 0 days left; until yesterday: expired.
    let v = view(d - 30, d);
    assert_eq!(
        (v.state.as_str(), v.days_left, v.expiring_soon),
        (state::ACTIVE, 0, true),
        "at {when}"
    );
    let v = view(d - 30, d - 1);
    assert_eq!(
        (v.state.as_str(), v.days_left, v.expiring_soon),
        (state::EXPIRED, -1, false),
        "at {when}"
    );

    // Days left and "expiring soon" count Dutch days to valid_until.
    for left in [1, 59, 60, 61, 365] {
        let v = view(d - 30, d + left);
        assert_eq!(v.days_left, left, "at {when}");
        assert_eq!(
            v.expiring_soon,
            left <= EXPIRING_WINDOW_DAYS,
            "{left} days left at {when}"
        );
    }

    // A withdrawal made now with 30 days' notice takes effect 30 Dutch days later at the same
    // Dutch clock time (moved by the hour skipped if that time does not exist then).
    let mut l = agreement_at(t, d - 30, d + 300, 30);
    l.withdraw("VR02", t);
    let w = l.view(t).withdrawal.expect("a withdrawal");
    let effective = w.effective_unix_ms;
    assert_eq!(oracle_day(effective), d + 30, "at {when}");
    assert!(
        oracle_clock(effective) == oracle_clock(t) || oracle_clock(effective) == oracle_clock(t) + HOUR,
        "at {when}"
    );
    assert_eq!(l.view(effective - 1).state, state::ACTIVE, "at {when}");
    assert_eq!(l.view(effective).state, state::WITHDRAWN, "at {when}");
}

fn check_coverage(t: i64, rng: &mut Rng) {
    let d = oracle_day(t);
    let proposed = t - rng.below(5 * MS_PER_DAY as u64) as i64;
    let mut l = Logs::new(ID);
    let (from, until) = (format_date(d + 10), format_date(d + 100));
    l.version("VR01", proposed, 1, &["VR01", "VR02"], (&from, &until, 30));
    let answer = queries::agreement_coverage(&[l.view(t)], &[], EXPIRING_WINDOW_DAYS, t);
    let waiting = answer.awaiting.first().expect("awaiting signatures").waiting_days;
    assert_eq!(
        i64::from(waiting),
        d - oracle_day(proposed),
        "proposed {} seen {}",
        format_moment(proposed),
        format_moment(t)
    );
}

fn action(id: &str, due: i64) -> pb::ImprovementAction {
    pb::ImprovementAction {
        action_id: id.into(),
        area: "informatiemanagement".into(),
        description: "Oefenen met het landelijk crisismanagementsysteem".into(),
        owner: "Hoofd informatiemanagement".into(),
        due: format_date(due),
        status: "open".into(),
    }
}

fn check_evaluations(t: i64) {
    let d = oracle_day(t);
    let when = format_moment(t);
    let mut summary = validate_tests::evaluation();
    summary.event.as_mut().unwrap().date = format_date(d - 40);
    summary.reported_to_board = format_date(d - 1);
    summary.actions = vec![action("A1", d - 1), action("A2", d)];
    summary.verifies.clear();
    let record = Record {
        id: "VR01-1".into(),
        origin: "VR01".parse().unwrap(),
        seq: 1,
        created_unix_ms: t - 40 * MS_PER_DAY,
        status: Status::Actual,
        payload: Payload::Evaluation(summary.clone()),
    };
    // An action is overdue from the Dutch day after its due date.
    let views = evaluation::views(std::slice::from_ref(&record), t);
    let overdue: Vec<bool> = views[0].actions.iter().map(|a| a.overdue).collect();
    assert_eq!(overdue, [true, false], "at {when}");
    // The in-control card counts the same and the Dutch days since the board was informed.
    let card = queries::in_control("VR01".parse().unwrap(), &[record], None, t);
    assert_eq!((card.overdue, card.board_days_ago), (1, 1), "at {when}");

    // A record created at `t` may carry the Dutch today, not tomorrow, as a date it has seen.
    let env = Env {
        created_ms: t,
        ..Env::new(&["NL", "VR01"])
    };
    let outcome = |change: &dyn Fn(&mut pb::EvaluationSummary)| {
        let mut s = summary.clone();
        change(&mut s);
        validate_tests::validate(kinds::EVALUATION_SUMMARY, &s, &env).map_err(|e| e.to_string())
    };
    let today = format_date(d);
    let tomorrow = format_date(d + 1);
    assert_eq!(outcome(&|s| s.reported_to_board = today.clone()), Ok(()), "at {when}");
    assert_eq!(
        outcome(&|s| s.reported_to_board = tomorrow.clone()),
        Err(format!(
            "reported_to_board: {tomorrow} is after the day the record was created ({today})"
        )),
        "at {when}"
    );
    let event = |date: &str| {
        let date = date.to_string();
        move |s: &mut pb::EvaluationSummary| {
            s.event.as_mut().unwrap().date = date.clone();
            s.reported_to_board.clear();
            for a in &mut s.actions {
                a.due = date.clone();
            }
        }
    };
    assert_eq!(outcome(&event(&today)), Ok(()), "at {when}");
    assert_eq!(
        outcome(&event(&tomorrow)),
        Err(format!(
            "event.date: {tomorrow} is after the day the record was created ({today})"
        )),
        "at {when}"
    );
}

#[test]
fn every_day_rule_reads_the_dutch_date_of_the_instant() {
    let seed = std::env::var("REGIOSYNC_PROP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00C0_FFEE);
    let mut rng = Rng(seed ^ 0x5EED);
    let all = instants(seed);
    for &t in &all {
        check_agreements(t);
        check_coverage(t, &mut rng);
        check_evaluations(t);
    }
    assert!(all.len() > 2000, "{} instants", all.len());
}
