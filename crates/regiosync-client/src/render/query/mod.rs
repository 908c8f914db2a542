//! How the answers to the national questions of the `Queries` service are printed: readable
//! tables with Dutch names, stale, missing and exercise-only data shown and marked, never
//! summed (the command line prints the answer message itself with `--json`).
//!
//! `capacity` prints national capacity and one resource type per region, `coverage` the
//! agreement coverage, `evaluations` the benchmark and a region's "in control" card, `quality`
//! the data quality per region; this file holds the helpers they share.
pub mod assistance;
pub mod capacity;
pub mod coverage;
pub mod evaluations;
pub mod quality;

use regiosync_records::{calendar, time};

use super::table::Table;
use super::{ago, code_name};

/// "TS Tankautospuit" from the newest code list, else the node's name, else the code.
fn label(list: &str, code: &str, node_name: &str) -> String {
    match (code_name(0, list, code).as_str(), node_name) {
        ("", "") => code.to_string(),
        ("", n) => format!("{code} {n}"),
        (n, _) => format!("{code} {n}"),
    }
}

/// "2026-11-28T08:00:00Z (3 h ago)" for a moment or a date; "-" when empty.
fn moment_ago(s: &str) -> String {
    let ms = time::parse_moment("", s)
        .or_else(|_| time::parse_date("", s).map(calendar::day_start))
        .unwrap_or(0);
    match (s, ms) {
        ("", _) => "-".into(),
        (_, 0) => s.to_string(),
        _ => format!("{s} ({})", ago(ms)),
    }
}

/// Print a table without its trailing newline.
fn print_table(t: &Table) {
    out!("{}", t.render().trim_end_matches('\n'));
}

/// "1 partner", "3 partners".
fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// At most `n` characters, with "…" when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut c: String = s.chars().take(n.saturating_sub(1)).collect();
    c.push('…');
    c
}

/// Several markers joined, or empty.
fn markers(m: &[(bool, &str)]) -> String {
    m.iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{MISSING, STALE};
    use regiosync_records::codes::list;

    #[test]
    fn labels_prefer_the_code_list() {
        assert_eq!(label(list::RESOURCE_TYPES, "TS", "whatever"), "TS Tankautospuit");
        assert_eq!(label(list::RESOURCE_TYPES, "XYZ", "Iets"), "XYZ Iets");
        assert_eq!(label(list::RESOURCE_TYPES, "XYZ", ""), "XYZ");
        assert_eq!(
            markers(&[(true, STALE), (false, MISSING), (true, "x")]),
            "VEROUDERD (stale); x"
        );
        assert_eq!(plural(1, "pair"), "1 pair");
        assert_eq!(plural(0, "pair"), "0 pairs");
        assert_eq!(clip("Bijstand", 20), "Bijstand");
        assert_eq!(clip("Bijstand waterongevallen", 10), "Bijstand …");
        assert_eq!(moment_ago(""), "-");
        assert_eq!(moment_ago("gisteren"), "gisteren");
        assert!(
            moment_ago("2020-01-01").starts_with("2020-01-01 ("),
            "{}",
            moment_ago("2020-01-01")
        );
    }
}
