//! The two time formats records use: calendar dates ("YYYY-MM-DD") and moments in UTC
//! ("YYYY-MM-DDTHH:MM:SSZ", RFC 3339). Strict: nothing else is accepted, so every node reads
//! the same value from the same text. Which day an instant falls on is a question for
//! [`crate::calendar`] (the Dutch day), never for this module.
use regiosync_types::{Error, Result};

pub const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a "YYYY-MM-DD" date.
pub fn parse_date(field: &str, s: &str) -> Result<i64> {
    if s.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    date_days(s).ok_or_else(|| Error::invalid(field, format!("'{s}' is not a date (expected YYYY-MM-DD)")))
}

/// Unix milliseconds of a "YYYY-MM-DDTHH:MM:SSZ" moment (fractions of a second allowed:
/// "...:SS.sssZ").
pub fn parse_moment(field: &str, s: &str) -> Result<i64> {
    if s.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    moment_ms(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!("'{s}' is not a moment in UTC (expected YYYY-MM-DDTHH:MM:SSZ)"),
        )
    })
}

/// A day number as "YYYY-MM-DD".
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A moment as "YYYY-MM-DDTHH:MM:SSZ" (UTC; milliseconds dropped).
pub fn format_moment(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let secs = ms.rem_euclid(MS_PER_DAY) / 1000;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(days),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn date_days(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn moment_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let days = date_days(&s[..10])?;
    let (h, mi, sec) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let frac = &b[19..b.len() - 1];
    let ms = match frac {
        [] => 0,
        [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => {
            let n = digits(rest)?;
            let scale = 10i64.pow(rest.len() as u32);
            n * 1000 / scale
        }
        _ => return None,
    };
    Some(days * MS_PER_DAY + (h * 3600 + mi * 60 + sec) * 1000 + ms)
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days_from_civil.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_moments_round_trip() {
        for s in ["1970-01-01", "2024-02-29", "2026-11-29", "2099-12-31"] {
            assert_eq!(format_date(parse_date("d", s).unwrap()), s);
        }
        let ms = parse_moment("m", "2026-11-29T08:15:30Z").unwrap();
        assert_eq!(format_moment(ms), "2026-11-29T08:15:30Z");
        assert_eq!(parse_moment("m", "2026-11-29T08:15:30.250Z").unwrap(), ms + 250);
        assert_eq!(parse_date("d", "1970-01-02").unwrap(), 1);
    }

    #[test]
    fn bad_text_is_refused_with_the_field() {
        for s in [
            "2026-02-30",
            "2026-13-01",
            "26-11-29",
            "2026-11-29T25:00:00Z",
            "2026-11-29 08:00:00Z",
        ] {
            assert!(parse_date("x", s).is_err() || parse_moment("x", s).is_err());
        }
        let e = parse_moment("report.as_of", "2026-11-29T08:00:00+01:00").unwrap_err();
        assert!(e.to_string().starts_with("report.as_of: "), "{e}");
        assert_eq!(parse_date("a.b", "").unwrap_err().to_string(), "a.b: required");
    }
}
