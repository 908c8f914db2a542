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

use regiosync_i18n::Lang;
use regiosync_records::{calendar, time};

use super::table::Table;
use super::{ago, code_name, moment_str};

/// "TS Tankautospuit" from the newest code list in `lang`, else the node's name, else the code.
fn label(lang: Lang, list: &str, code: &str, node_name: &str) -> String {
    match (code_name(lang, 0, list, code).as_str(), node_name) {
        ("", "") => code.to_string(),
        ("", n) => format!("{code} {n}"),
        (n, _) => format!("{code} {n}"),
    }
}

/// "28 nov. 2026 09:00 CET (3 uur geleden)" for a moment or a date; "-" when empty.
fn moment_ago(lang: Lang, s: &str) -> String {
    let ms = time::parse_moment("", s)
        .or_else(|_| time::parse_date("", s).map(calendar::day_start))
        .unwrap_or(0);
    match (s, ms) {
        ("", _) => "-".into(),
        (_, 0) => s.to_string(),
        _ => format!("{} ({})", moment_str(lang, s), ago(lang, ms)),
    }
}

/// Print a table without its trailing newline.
fn print_table(t: &Table) {
    out!("{}", t.render().trim_end_matches('\n'));
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
    use crate::render::{missing, stale};
    use regiosync_records::codes::list;

    #[test]
    fn labels_prefer_the_code_list() {
        assert_eq!(
            label(Lang::Nl, list::RESOURCE_TYPES, "TS", "whatever"),
            "TS Tankautospuit"
        );
        assert_eq!(
            label(Lang::En, list::RESOURCE_TYPES, "TS", "whatever"),
            "TS Fire engine"
        );
        assert_eq!(label(Lang::Nl, list::RESOURCE_TYPES, "XYZ", "Iets"), "XYZ Iets");
        assert_eq!(label(Lang::Nl, list::RESOURCE_TYPES, "XYZ", ""), "XYZ");
        let (s, m) = (stale(Lang::Nl), missing(Lang::Nl));
        assert_eq!(markers(&[(true, &s), (false, &m), (true, "x")]), "VEROUDERD; x");
        assert_eq!(clip("Bijstand", 20), "Bijstand");
        assert_eq!(clip("Bijstand waterongevallen", 10), "Bijstand …");
        assert_eq!(moment_ago(Lang::Nl, ""), "-");
        assert_eq!(moment_ago(Lang::Nl, "gisteren"), "gisteren");
        let m = moment_ago(Lang::Nl, "2020-01-01");
        assert!(m.starts_with("1 jan. 2020 (") && m.ends_with(" dagen geleden)"), "{m}");
        let m = moment_ago(Lang::En, "2020-07-01T10:00:00Z");
        assert!(
            m.starts_with("1 Jul 2020 12:00 CEST (") && m.ends_with(" days ago)"),
            "{m}"
        );
    }
}
