//! `regiosync query ...`: the six national questions of the `Queries` service, asked of one
//! node over mutual TLS as the person in the client certificate. National coordinators may ask
//! any node (NL answers for the country); a region's operator asks their own node. Readable
//! tables with Dutch names by default, the answer message as JSON with `--json`.
//!
//! Layout: this file holds the command line, the dispatch and the helpers the answers share;
//! `capacity` prints national capacity and one resource type per region, `coverage` the
//! agreement coverage, `evaluations` the benchmark and a region's "in control" card, `quality`
//! the data quality per region.
mod capacity;
mod coverage;
mod evaluations;
mod quality;

use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::table::Table;
use regiosync_client::render::{ago, code_name};
use regiosync_client::{out, Conn};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_records::codes::list;
use regiosync_records::{calendar, time, CodeLists};
use tonic::transport::Channel;

/// A capacity report past its valid_until: shown, never counted.
pub const STALE: &str = "VEROUDERD (stale)";
/// No actual capacity report held.
pub const MISSING: &str = "ONTBREEKT (missing)";
/// A region whose current report does not list the resource type.
pub const UNREPORTED: &str = "NIET GEMELD (not reported)";

/// The national questions; ask NL as a national coordinator, or your own region's node.
#[derive(Subcommand)]
pub enum QueryCmd {
    /// National capacity per resource type from current actual reports; stale, missing and
    /// exercise-only regions listed, never counted.
    NationalCapacity,
    /// One resource type per region; with --region, the partners with an active agreement
    /// covering it and what they have available now.
    Resource {
        /// The resource type: a code (TS, WO, OvD-B) or its Dutch name (tankautospuit).
        resource_type: String,
        /// A region in trouble, e.g. VR01: list its partners for this type.
        #[arg(long)]
        region: Option<String>,
    },
    /// Agreement coverage: a 25×25 grid of active agreements, neighbouring regions without
    /// one, agreements expiring soon and those awaiting signatures.
    Coverage {
        /// "Expiring" window in days (default: the node's configured window).
        #[arg(long)]
        days: Option<u32>,
    },
    /// Ratings per area (P/S/M/U/NO) per year, incidents and exercises apart; with --region,
    /// the region's own counts beside the national ones.
    Benchmark {
        /// Compare this region, e.g. VR09, with the national counts.
        #[arg(long)]
        region: Option<String>,
        /// Only this year (default: every year held).
        #[arg(long)]
        year: Option<u32>,
    },
    /// A region's "in control" card: latest rating per area with the previous one and the
    /// trend, open and overdue improvement actions, board last informed, data freshness.
    InControl {
        /// The region, e.g. VR01.
        region: String,
    },
    /// Data quality per region: capacity as of (stale, missing), reports, evaluations not
    /// reported to the board, refused records and replication lag.
    DataQuality,
}

pub async fn run(conn: &Conn, json: bool, cmd: QueryCmd) -> Result<()> {
    let mut client = conn.queries().await?;
    match cmd {
        QueryCmd::NationalCapacity => capacity::national(&mut client, json).await,
        QueryCmd::Resource { resource_type, region } => {
            capacity::resource(&mut client, json, &resource_type, region.as_deref()).await
        }
        QueryCmd::Coverage { days } => coverage::run(&mut client, json, days.unwrap_or(0)).await,
        QueryCmd::Benchmark { region, year } => {
            evaluations::benchmark(&mut client, json, region.as_deref(), year.unwrap_or(0)).await
        }
        QueryCmd::InControl { region } => evaluations::in_control(&mut client, json, &region).await,
        QueryCmd::DataQuality => quality::run(&mut client, json).await,
    }
}

type Client = QueriesClient<Channel>;

/// A region given on the command line, as the node spells it (the node names a wrong one).
fn region_arg(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// A resource type given as its code in any case or its Dutch name; unknown text is passed on
/// unchanged so the node can say what is wrong with it.
fn resource_arg(s: &str) -> String {
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

    #[test]
    fn resource_types_by_code_or_dutch_name() {
        assert_eq!(resource_arg("TS"), "TS");
        assert_eq!(resource_arg("ts"), "TS");
        assert_eq!(resource_arg(" Tankautospuit "), "TS");
        assert_eq!(resource_arg("wo"), "WO");
        assert_eq!(resource_arg("nope"), "nope");
    }

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
