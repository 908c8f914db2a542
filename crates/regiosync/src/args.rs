//! Values people give on the command line, as the node spells them: a region in any case, a
//! resource type as its code in any case or its Dutch name. What is still wrong after that is
//! passed on unchanged, so the node can say what is wrong with it.
use anyhow::Result;
use regiosync_client::said::{Tell, Text};
use regiosync_records::codes::list;
use regiosync_records::{time, CodeLists};

/// A region given on the command line, as the node spells it ("vr2" stays wrong: the node says so).
pub fn region_arg(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// A resource type given as its code in any case or its Dutch name; unknown text is passed on
/// unchanged so the node can say what is wrong with it.
pub fn resource_arg(s: &str) -> String {
    let s = s.trim();
    let codes = CodeLists::shipped().latest().codes(list::RESOURCE_TYPES);
    if codes.iter().any(|(c, _)| *c == s) {
        return s.to_string();
    }
    codes
        .iter()
        .find(|(c, code)| c.eq_ignore_ascii_case(s) || code.name.eq_ignore_ascii_case(s))
        .map_or_else(|| s.to_string(), |(c, _)| c.to_string())
}

/// A moment: "now", now plus or minus minutes, hours or days ("+45m", "+24h", "-2h", "+7d"), or
/// a date and time in UTC (`...Z`), with an offset (`+01:00`) or in Dutch time without one
/// (`2026-12-01 14:00`; an hour the clocks skip or repeat is refused, never guessed), in whole
/// seconds.
pub fn moment(flag: &str, s: &str, now: i64) -> Result<String> {
    let s = s.trim();
    let ms = if s.eq_ignore_ascii_case("now") {
        now
    } else if let Some(rel) = s
        .strip_prefix('+')
        .map(|r| (1, r))
        .or(s.strip_prefix('-').map(|r| (-1, r)))
    {
        let (sign, rest) = rel;
        let (n, unit) = rest.split_at(rest.len().saturating_sub(1));
        let n: i64 = n.parse().ok().filter(|_| !n.is_empty()).told_with(|| bad(flag, s))?;
        let unit_ms = match unit {
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(bad(flag, s).into()),
        };
        now + sign * n * unit_ms
    } else {
        regiosync_i18n::parse_moment(s).map_err(|e| anyhow::anyhow!("{flag}: {e}"))?
    };
    // Whole seconds: what the record format writes.
    Ok(time::format_moment(ms - ms.rem_euclid(1000)))
}

fn bad(flag: &str, s: &str) -> Text {
    Text::new("cmd-not-a-moment").arg("flag", flag).arg("value", s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments() {
        let now = time::parse_moment("", "2026-11-29T17:00:00Z").unwrap() + 123;
        assert_eq!(moment("--as-of", "now", now).unwrap(), "2026-11-29T17:00:00Z");
        assert_eq!(moment("--as-of", "-2h", now).unwrap(), "2026-11-29T15:00:00Z");
        assert_eq!(moment("--eta", "+45m", now).unwrap(), "2026-11-29T17:45:00Z");
        assert_eq!(moment("--valid-until", "+24h", now).unwrap(), "2026-11-30T17:00:00Z");
        assert_eq!(moment("--valid-until", "+7d", now).unwrap(), "2026-12-06T17:00:00Z");
        assert_eq!(
            moment("--as-of", "2026-11-28T08:00:00Z", now).unwrap(),
            "2026-11-28T08:00:00Z"
        );
        let e = moment("--valid-until", "morgen", now).unwrap_err().to_string();
        assert!(e.starts_with("--valid-until: 'morgen' is not a moment"), "{e}");
        // Dutch time without an offset; the repeated autumn hour needs one.
        assert_eq!(
            moment("--as-of", "2026-11-28 09:00", now).unwrap(),
            "2026-11-28T08:00:00Z"
        );
        assert_eq!(
            moment("--as-of", "2026-06-28T09:00+02:00", now).unwrap(),
            "2026-06-28T07:00:00Z"
        );
        let e = moment("--as-of", "2026-10-25 02:15", now).unwrap_err().to_string();
        assert!(
            e.starts_with("--as-of: 2026-10-25 02:15 happens twice in Dutch time"),
            "{e}"
        );
        assert!(moment("--valid-until", "+h", now).is_err());
        assert!(moment("--valid-until", "+3w", now).is_err());
    }

    #[test]
    fn resource_types_by_code_or_dutch_name() {
        assert_eq!(resource_arg("TS"), "TS");
        assert_eq!(resource_arg("ts"), "TS");
        assert_eq!(resource_arg(" Tankautospuit "), "TS");
        assert_eq!(resource_arg("wo"), "WO");
        assert_eq!(resource_arg("nope"), "nope");
    }
}
