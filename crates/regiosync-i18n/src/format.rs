//! Numbers, dates and times as a Dutch or English reader expects them. Every moment is shown in
//! Dutch time (Europe/Amsterdam) with its zone (`CET` in winter, `CEST` in summer), so the
//! repeated hour of the autumn change is never ambiguous.
use regiosync_records::calendar;
use regiosync_records::time::{civil_from_days, parse_date, MS_PER_DAY};

use crate::Lang;

const MONTHS_NL: [&str; 12] = [
    "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const HOUR: i64 = 3_600_000;

/// The short month names, January first: `jan.` ... in Dutch, `Jan` ... in English.
pub fn month_names(lang: Lang) -> [&'static str; 12] {
    match lang {
        Lang::Nl => MONTHS_NL,
        Lang::En => MONTHS_EN,
    }
}

/// The thousands separator and the decimal point: `.` and `,` in Dutch, `,` and `.` in English.
pub fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// The integer part with thousands separated: `28.469` (nl), `28,469` (en).
fn grouped(lang: Lang, digits: &str) -> String {
    let sep = separators(lang).0;
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A whole number: `28.469` in Dutch, `28,469` in English; `-1.234` below zero.
pub fn int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(lang, &digits))
}

/// A number with `places` decimals: `1.234,5` in Dutch, `1,234.5` in English.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", places, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    let point = separators(lang).1;
    match frac {
        "" => format!("{sign}{}", grouped(lang, whole)),
        f => format!("{sign}{}{point}{f}", grouped(lang, whole)),
    }
}

/// `part` of `whole` as a whole percentage (`29%`), or `None` when `whole` is 0.
pub fn percent(lang: Lang, part: u64, whole: u64) -> Option<String> {
    (whole > 0).then(|| format!("{}%", decimal(lang, 100.0 * part as f64 / whole as f64, 0)))
}

/// A calendar day (days since 1970-01-01): `1 dec. 2026` in Dutch, `1 Dec 2026` in English.
pub fn date(lang: Lang, day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    let month = month_names(lang)[(m - 1) as usize];
    format!("{d} {month} {y}")
}

/// A date as the records hold it (`2026-12-01`) formatted with [`date`]; `–` when empty, the
/// text itself when it is not a date.
pub fn date_str(lang: Lang, s: &str) -> String {
    if s.trim().is_empty() {
        return "–".into();
    }
    parse_date("date", s).map_or_else(|_| s.to_string(), |d| date(lang, d))
}

/// `CET` (UTC+1, winter) or `CEST` (UTC+2, summer): the Dutch zone at an instant.
pub fn zone_label(ms: i64) -> &'static str {
    match calendar::offset_ms(ms) {
        o if o == 2 * HOUR => "CEST",
        _ => "CET",
    }
}

/// An instant in Dutch time with its zone: `1 dec. 2026 14:05 CET`, `29 mrt. 2026 03:00 CEST`
/// (`1 Dec 2026 14:05 CET` in English); `–` for 0.
pub fn moment(lang: Lang, ms: i64) -> String {
    if ms <= 0 {
        return "–".into();
    }
    let local = ms + calendar::offset_ms(ms);
    let in_day = local.rem_euclid(MS_PER_DAY);
    format!(
        "{} {:02}:{:02} {}",
        date(lang, calendar::day_of(ms)),
        in_day / HOUR,
        in_day % HOUR / 60_000,
        zone_label(ms)
    )
}

/// A duration in whole minutes: `12 min`; from two hours on with hours: `3 u 5 min` (nl),
/// `3 h 5 min` (en).
pub fn minutes(lang: Lang, ms: i64) -> String {
    let total = (ms as f64 / 60_000.0).round() as i64;
    if total.abs() < 120 {
        return format!("{total} min");
    }
    let h = match lang {
        Lang::Nl => "u",
        Lang::En => "h",
    };
    format!("{} {h} {} min", int(lang, total / 60), (total % 60).abs())
}
