//! Rendering for every command, in one place: `out!` (a `println!` that stays quiet when stdout
//! is a closed pipe), region and code labels in Dutch, moments and ages, the markers for
//! exercise, test, stale and missing data, JSON output, tables (`table`) and times (`time`), and
//! how each answer of the node is printed: the record views (`records`: agreements, capacity,
//! evaluations), the national questions (`query`) and the generic entries and node status
//! (`node_api`).

/// `println!` for the commands, quiet when stdout is a closed pipe.
#[macro_export]
macro_rules! out {
    () => {
        $crate::render::write_line(format_args!(""))
    };
    ($($t:tt)*) => {
        $crate::render::write_line(format_args!($($t)*))
    };
}

pub mod node_api;
pub mod query;
pub mod records;
pub mod table;
pub mod time;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use anyhow::Result;

use crate::said::Tell as _;
use regiosync_records::codes::list;
use regiosync_records::CodeLists;
use serde::Serialize;

use regiosync_i18n::{Args, Catalog, Lang};

use self::time::now_ms;

/// "VR01 Groningen"; the code alone when it is not a known region.
pub fn region(code: &str) -> String {
    static NAMES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        regiosync_types::Federation::shipped()
            .members()
            .map(|m| (m.id.to_string(), m.name.clone()))
            .collect()
    });
    match names.get(code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

/// Several regions, comma separated, with their names.
pub fn regions<'a>(codes: impl IntoIterator<Item = &'a String>) -> String {
    let all: Vec<String> = codes.into_iter().map(|c| region(c)).collect();
    if all.is_empty() {
        "-".into()
    } else {
        all.join(", ")
    }
}

/// The name of a code in `list` of code-list `version` (0 or unknown = the newest) in `lang`
/// (Dutch from the code list itself), or empty when the code is not in it.
pub fn code_name(lang: Lang, version: u32, list: &str, code: &str) -> String {
    let lists = CodeLists::shipped();
    let v = lists.version("", version).unwrap_or_else(|_| lists.latest());
    match v.get(list, code) {
        Some(c) => Catalog::of(lang).code_name(list, code, Some(&c.name)),
        None => String::new(),
    }
}

/// "TS Tankautospuit" ("TS Fire engine" in English); the code alone when it is not in the list.
pub fn code(lang: Lang, version: u32, list: &str, code: &str) -> String {
    match code_name(lang, version, list, code).as_str() {
        "" => code.to_string(),
        name => format!("{code} {name}"),
    }
}

/// A resource type with its name.
pub fn resource(lang: Lang, version: u32, rt: &str) -> String {
    code(lang, version, list::RESOURCE_TYPES, rt)
}

/// A state's name from the catalogue (`<prefix>-<state>`), the state itself when it has none.
pub fn state(lang: Lang, prefix: &str, state: &str) -> String {
    let c = Catalog::of(lang);
    let id = format!("{prefix}-{state}");
    if c.has(&id) {
        c.s(&id)
    } else {
        state.to_string()
    }
}

/// An agreement's (or a version's) derived state in words: "deels ondertekend".
pub fn agreement_state(lang: Lang, s: &str) -> String {
    state(lang, "agreement-state", s)
}

/// A moment for people, in Dutch time with its zone: "28 nov. 2026 13:34 CET"; "–" for 0.
pub fn when(lang: Lang, ms: i64) -> String {
    regiosync_i18n::moment(lang, ms)
}

/// A moment or a date as the records hold it (`2026-11-28T12:34:56Z`, `2026-12-01`) for
/// people: "28 nov. 2026 13:34 CET", "1 dec. 2026"; "-" when empty, the text itself when it
/// is neither.
pub fn moment_str(lang: Lang, s: &str) -> String {
    if s.trim().is_empty() {
        return "-".into();
    }
    match regiosync_records::time::parse_moment("", s) {
        Ok(ms) => when(lang, ms),
        Err(_) => regiosync_i18n::date_str(lang, s),
    }
}

/// A whole number for people: `28.469` (nl), `28,469` (en).
pub fn num<T: TryInto<i64>>(lang: Lang, n: T) -> String {
    regiosync_i18n::int(lang, n.try_into().unwrap_or(i64::MAX))
}

/// How long ago (or how far ahead) a moment is, roughly: "3 dagen geleden", "over 5 uur"
/// ("3 days ago", "in 5 h"); empty for 0.
pub fn ago(lang: Lang, ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    let d = now_ms() - ms;
    let span = span(lang, d.abs());
    let id = if d >= 0 { "cli-ago" } else { "cli-ahead" };
    Catalog::of(lang).t(id, &Args::new().text("span", span))
}

fn span(lang: Lang, ms: i64) -> String {
    let min = ms / 60_000;
    let (id, n) = match min {
        0 => return Catalog::of(lang).s("cli-span-now"),
        1..=119 => ("cli-span-min", min),
        120..=2879 => ("cli-span-hours", min / 60),
        _ => ("cli-span-days", min / 1440),
    };
    Catalog::of(lang).t(id, &Args::new().count(lang, "n", n))
}

/// A capacity report past its valid_until: shown, never counted ("VEROUDERD").
pub fn stale(lang: Lang) -> String {
    Catalog::of(lang).s("cli-marker-stale")
}

/// No actual capacity report held ("ONTBREEKT").
pub fn missing(lang: Lang) -> String {
    Catalog::of(lang).s("cli-marker-missing")
}

/// A region whose current report does not list the resource type ("NIET GEMELD").
pub fn unreported(lang: Lang) -> String {
    Catalog::of(lang).s("cli-marker-unreported")
}

/// An agreement's derived states in lifecycle order: how counts are listed, and the states
/// `agreement list --state` takes.
pub const AGREEMENT_STATES: [&str; 8] = {
    use regiosync_records::agreement::State;
    let mut names = [""; 8];
    let mut i = 0;
    while i < names.len() {
        names[i] = State::OVERALL[i].as_str();
        i += 1;
    }
    names
};

/// Exercise and test data never count: a visible marker ("OEFENING", "TEST"); empty for
/// actual data.
pub fn status_marker(lang: Lang, status: &str) -> String {
    match status {
        "actual" | "" => String::new(),
        "exercise" | "test" => Catalog::of(lang).s(&format!("cli-marker-{status}")),
        _ => "?".into(),
    }
}

/// A record status's name: "werkelijk", "oefening" ("actual", "exercise").
pub fn status_name(lang: Lang, status: &str) -> String {
    match code_name(lang, 0, list::RECORD_STATUS, status) {
        n if n.is_empty() => status.to_string(),
        n => n.to_lowercase(),
    }
}

/// A status with its marker: "Werkelijk", "Oefening   << OEFENING: telt nooit mee >>".
pub fn status_line(lang: Lang, status: &str) -> String {
    let name = status_name(lang, status);
    match status_marker(lang, status).as_str() {
        "" => name,
        m => Catalog::of(lang).t(
            "cli-status-never-counted",
            &Args::new().text("status", name).text("marker", m),
        ),
    }
}

/// Every `--json` output goes through here: an object at the top, and beside every moment
/// given as `<name>_unix_ms` the same moment as `<name>` in RFC 3339 UTC
/// (`"created": "2026-12-01T05:49:15Z"`, null for 0) unless the object already has `<name>`.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut value = serde_json::to_value(value)?;
    anyhow::ensure!(value.is_object(), "JSON output must be an object at the top: {value}");
    with_moments(&mut value);
    out!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

/// Adds `<name>` (RFC 3339 UTC) beside every `<name>_unix_ms`, at every depth.
pub fn with_moments(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let moments: Vec<(String, Value)> = map
                .iter()
                .filter_map(|(k, v)| {
                    let name = k.strip_suffix("_unix_ms")?;
                    let ms = v.as_i64()?;
                    let moment = match ms {
                        0 => Value::Null,
                        ms => Value::String(time::rfc3339(ms)),
                    };
                    Some((name.to_string(), moment))
                })
                .collect();
            for (name, moment) in moments {
                map.entry(name).or_insert(moment);
            }
            map.values_mut().for_each(with_moments);
        }
        Value::Array(items) => items.iter_mut().for_each(with_moments),
        _ => {}
    }
}

/// A page of a list as `--json` prints it: `{<key>: [...], "more": bool, "next_cursor": "..."
/// or null}`.
pub fn page_json(key: &str, items: serde_json::Value, next_cursor: &str) -> serde_json::Value {
    serde_json::json!({
        key: items,
        "more": !next_cursor.is_empty(),
        "next_cursor": (!next_cursor.is_empty()).then_some(next_cursor),
    })
}

/// Under a table: "meer: --cursor X" ("more: --cursor X") when another page follows.
pub fn more_line(lang: Lang, next_cursor: &str) {
    if !next_cursor.is_empty() {
        out!(
            "{}",
            Catalog::of(lang).t("cli-more", &Args::new().text("cursor", next_cursor))
        );
    }
}

/// One page of a list the node answers whole: the items after the one `cursor` names (by
/// `key`), at most `limit`, and the cursor of the next page (empty when this is the last).
pub fn page<T>(all: Vec<T>, key: impl Fn(&T) -> String, limit: u32, cursor: Option<&str>) -> Result<(Vec<T>, String)> {
    let start = match cursor {
        None | Some("") => 0,
        Some(c) => {
            all.iter()
                .position(|t| key(t) == c)
                .told_with(|| crate::said::Text::new("err-cursor").arg("cursor", c))?
                + 1
        }
    };
    let limit = limit.max(1) as usize;
    let mut items: Vec<T> = all.into_iter().skip(start).take(limit + 1).collect();
    let next = match items.len() > limit {
        true => {
            items.truncate(limit);
            items.last().map(&key).unwrap_or_default()
        }
        false => String::new(),
    };
    Ok((items, next))
}

/// An answer of the node: as JSON with `--json`, else as `text` prints it in `lang`.
pub fn answer<T: Serialize>(out: Out, value: &T, text: impl FnOnce(Lang, &T)) -> Result<()> {
    if out.json {
        return print_json(value);
    }
    text(out.lang, value);
    Ok(())
}

/// How a command prints: as JSON for scripts (`--json`: English keys, RFC 3339 UTC, never
/// translated) or as text for people in `lang`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Out {
    pub json: bool,
    pub lang: Lang,
}

/// Write one line to stdout. A closed pipe (`... | head`) ends the program quietly instead of
/// panicking as `println!` does.
pub fn write_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to stdout: {e}");
        std::process::exit(1);
    }
}

/// A label and its value, aligned (a longer label keeps a space before its value).
pub fn field(label: &str, value: impl std::fmt::Display) {
    out!("{label:<21} {value}");
}

/// A value or "-" when empty.
pub fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "-"
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_beside_unix_ms_at_every_depth() {
        let mut v = serde_json::json!({
            "created_unix_ms": 1_795_869_296_000i64,
            "expires_unix_ms": 0,
            "at": "kept",
            "at_unix_ms": 1,
            "peers": [{"last_contact_unix_ms": 951_782_400_123i64}],
        });
        with_moments(&mut v);
        assert_eq!(v["created"], "2026-11-28T12:34:56Z");
        assert_eq!(v["expires"], serde_json::Value::Null);
        assert_eq!(v["at"], "kept");
        assert_eq!(v["peers"][0]["last_contact"], "2000-02-29T00:00:00.123Z");
        assert_eq!(v["peers"][0]["last_contact_unix_ms"], 951_782_400_123i64);
    }

    #[test]
    fn pages_of_a_whole_answer() {
        let all = || vec!["a", "b", "c"];
        let key = |s: &&str| s.to_string();
        assert_eq!(page(all(), key, 2, None).unwrap(), (vec!["a", "b"], "b".to_string()));
        assert_eq!(page(all(), key, 2, Some("b")).unwrap(), (vec!["c"], String::new()));
        assert_eq!(page(all(), key, 3, None).unwrap(), (all(), String::new()));
        let e = page(all(), key, 2, Some("x")).unwrap_err().to_string();
        assert!(e.starts_with("--cursor: 'x' is not in this list"), "{e}");
        assert_eq!(
            page_json("entries", serde_json::json!([]), ""),
            serde_json::json!({"entries": [], "more": false, "next_cursor": null})
        );
        assert_eq!(
            page_json("entries", serde_json::json!([1]), "VR01:3")["next_cursor"],
            "VR01:3"
        );
    }

    #[test]
    fn labels_in_dutch_and_in_english() {
        assert_eq!(region("VR01"), "VR01 Groningen");
        assert_eq!(region("VR06"), "VR06 Noord- en Oost-Gelderland");
        assert_eq!(region("XX"), "XX");
        assert_eq!(resource(Lang::Nl, 2, "TS"), "TS Tankautospuit");
        assert_eq!(resource(Lang::En, 2, "TS"), "TS Fire engine");
        assert_eq!(resource(Lang::Nl, 0, "WO"), "WO Waterongevallenvoertuig");
        assert_eq!(resource(Lang::Nl, 2, "NOPE"), "NOPE");
        assert_eq!(span(Lang::Nl, 90 * 60_000), "90 min");
        assert_eq!(span(Lang::Nl, 3 * 86_400_000), "3 dagen");
        assert_eq!(span(Lang::En, 2 * 86_400_000), "2 days");
        assert_eq!(span(Lang::En, 86_400_000), "24 h");
        assert_eq!(span(Lang::Nl, 5 * 3_600_000), "5 uur");
        assert_eq!(agreement_state(Lang::Nl, "partially_signed"), "deels ondertekend");
        assert_eq!(agreement_state(Lang::En, "partially_signed"), "partially signed");
        assert_eq!(agreement_state(Lang::Nl, "nieuw"), "nieuw");
        assert_eq!(status_marker(Lang::Nl, "exercise"), "OEFENING");
        assert_eq!(status_marker(Lang::En, "exercise"), "EXERCISE");
        assert_eq!(status_marker(Lang::Nl, "actual"), "");
        assert_eq!(num(Lang::Nl, 28_469u64), "28.469");
        assert_eq!(num(Lang::En, 28_469u32), "28,469");
    }

    #[test]
    fn moments_in_dutch_time_with_their_zone() {
        // 28 November: winter time (UTC+1); 1 July: summer time (UTC+2).
        assert_eq!(moment_str(Lang::Nl, "2026-11-28T12:34:56Z"), "28 nov. 2026 13:34 CET");
        assert_eq!(moment_str(Lang::Nl, "2026-07-01T12:00:00Z"), "1 jul. 2026 14:00 CEST");
        assert_eq!(moment_str(Lang::En, "2026-07-01T12:00:00Z"), "1 Jul 2026 14:00 CEST");
        assert_eq!(moment_str(Lang::Nl, "2026-12-01"), "1 dec. 2026");
        assert_eq!(moment_str(Lang::Nl, ""), "-");
        assert_eq!(moment_str(Lang::Nl, "gisteren"), "gisteren");
    }
}
