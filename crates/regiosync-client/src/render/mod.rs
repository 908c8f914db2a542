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

use anyhow::{Context, Result};
use regiosync_records::codes::list;
use regiosync_records::CodeLists;
use serde::Serialize;

use self::time::{now_ms, utc};

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

/// The Dutch name of a code in `list` of code-list `version` (0 or unknown = the newest), or
/// empty when the code is not in it.
pub fn code_name(version: u32, list: &str, code: &str) -> String {
    let lists = CodeLists::shipped();
    let v = lists.version("", version).unwrap_or_else(|_| lists.latest());
    v.get(list, code).map(|c| c.name.clone()).unwrap_or_default()
}

/// "TS Tankautospuit"; the code alone when it is not in the list.
pub fn code(version: u32, list: &str, code: &str) -> String {
    match code_name(version, list, code).as_str() {
        "" => code.to_string(),
        name => format!("{code} {name}"),
    }
}

/// A resource type with its Dutch name.
pub fn resource(version: u32, rt: &str) -> String {
    code(version, list::RESOURCE_TYPES, rt)
}

/// A moment for people: "2026-11-28 12:34:56Z"; "-" for 0.
pub fn when(ms: i64) -> String {
    utc(ms)
}

/// How long ago (or how far ahead) a moment is, roughly: "3 d ago", "in 5 h".
pub fn ago(ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    let d = now_ms() - ms;
    let span = span(d.abs());
    if d >= 0 {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
}

fn span(ms: i64) -> String {
    let min = ms / 60_000;
    match min {
        0 => "<1 min".into(),
        1..=119 => format!("{min} min"),
        120..=2879 => format!("{} h", min / 60),
        _ => format!("{} d", min / 1440),
    }
}

/// A capacity report past its valid_until: shown, never counted.
pub const STALE: &str = "VEROUDERD (stale)";
/// No actual capacity report held.
pub const MISSING: &str = "ONTBREEKT (missing)";
/// A region whose current report does not list the resource type.
pub const UNREPORTED: &str = "NIET GEMELD (not reported)";

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

/// Exercise and test data never count: a visible marker; empty for actual data.
pub fn status_marker(status: &str) -> &'static str {
    match status {
        "actual" | "" => "",
        "exercise" => "OEFENING (exercise)",
        "test" => "TEST",
        _ => "?",
    }
}

/// A status with its marker: "actual", "exercise  << OEFENING (exercise) >>".
pub fn status_line(status: &str) -> String {
    match status_marker(status) {
        "" => status.to_string(),
        m => format!("{status}   << {m}: never counted >>"),
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

/// Under a table: "more: --cursor X" when another page follows.
pub fn more_line(next_cursor: &str) {
    if !next_cursor.is_empty() {
        out!("more: --cursor {next_cursor}");
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
                .with_context(|| format!("--cursor: '{c}' is not in this list (start again without --cursor)"))?
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

/// An answer of the node: as JSON with `--json`, else as `text` prints it.
pub fn answer<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T)) -> Result<()> {
    if json {
        return print_json(value);
    }
    text(value);
    Ok(())
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

/// A label and its value, aligned.
pub fn field(label: &str, value: impl std::fmt::Display) {
    out!("{label:<22}{value}");
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
    fn labels_in_dutch() {
        assert_eq!(region("VR01"), "VR01 Groningen");
        assert_eq!(region("VR06"), "VR06 Noord- en Oost-Gelderland");
        assert_eq!(region("NL"), "NL Landelijk (national node)");
        assert_eq!(region("XX"), "XX");
        assert_eq!(resource(2, "TS"), "TS Tankautospuit");
        assert_eq!(resource(0, "WO"), "WO Waterongevallenvoertuig");
        assert_eq!(resource(2, "NOPE"), "NOPE");
        assert_eq!(span(90 * 60_000), "90 min");
        assert_eq!(span(3 * 86_400_000), "3 d");
    }
}
