//! Moments as people type them: in UTC (`2026-12-01T13:00:00Z`), with an offset
//! (`2026-12-01T14:00+01:00`), or as Dutch wall-clock time without one (`2026-12-01 14:00`, read
//! in Europe/Amsterdam). Never silently misread: a local time the clocks skip or repeat is
//! refused with what to write instead.
use regiosync_records::calendar::from_dutch_wall_clock;

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// The instant `s` names, or why it names none.
pub fn parse_moment(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let bad = || {
        format!("'{s}' is not a moment: write 2026-12-01 14:00 (Dutch time), 2026-12-01T14:00+01:00 or 2026-12-01T13:00:00Z")
    };
    if s.len() < 16 || !s.is_char_boundary(10) || !s.is_char_boundary(11) {
        return Err(bad());
    }
    let (date, sep, rest) = (&s[..10], &s[10..11], &s[11..]);
    if sep != "T" && sep != " " {
        return Err(bad());
    }
    let d: Vec<&str> = date.split('-').collect();
    let [y, mo, da] = d[..] else { return Err(bad()) };
    let (y, mo, da): (i16, i8, i8) = (
        num(y).ok_or_else(bad)?,
        num(mo).ok_or_else(bad)?,
        num(da).ok_or_else(bad)?,
    );
    // The clock time, then the zone: nothing (Dutch time), Z, or +HH:MM / -HH:MM.
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let c: Vec<&str> = clock.trim().split(':').collect();
    let (h, mi, sec): (i8, i8, i8) = match c[..] {
        [h, m] => (num(h).ok_or_else(bad)?, num(m).ok_or_else(bad)?, 0),
        [h, m, s] => (
            num(h).ok_or_else(bad)?,
            num(m).ok_or_else(bad)?,
            num(s).ok_or_else(bad)?,
        ),
        _ => return Err(bad()),
    };
    let wall_utc = || {
        from_dutch_wall_clock(y, mo, da, h, mi, sec).map(|dutch| (dutch, regiosync_records::calendar::offset_ms(dutch)))
    };
    let offset_ms: i64 = match zone {
        "" => return wall_utc().map(|(ms, _)| ms),
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z[1..].split_once(':').ok_or_else(bad)?;
            let (oh, om): (i64, i64) = (num(oh).ok_or_else(bad)?, num(om).ok_or_else(bad)?);
            if oh > 14 || om > 59 {
                return Err(bad());
            }
            sign * (oh * 3_600_000 + om * 60_000)
        }
    };
    // The wall clock read as UTC, then moved by the offset given.
    let as_utc =
        regiosync_records::time::parse_moment("moment", &format!("{y:04}-{mo:02}-{da:02}T{h:02}:{mi:02}:{sec:02}Z"))
            .map_err(|_| bad())?;
    Ok(as_utc - offset_ms)
}
