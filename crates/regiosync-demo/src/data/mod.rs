//! The sample data `regiosync demo` writes, and how it writes it: each region's operator works
//! through the `Records` API of their own node over mutual TLS, as a person would.
//!
//! Everything is generated deterministically from the region numbers (a small SplitMix64
//! generator, no extra crates), so two runs write the same data except for what depends on
//! "now" (as-of times, validity windows relative to today).
//!
//! - [`capacity`]: one capacity report per region, scaled by region size, plus the special
//!   cases (a superseded report, a stale one, an exercise report, a region that reports none);
//! - [`agreements`] (data in [`agreement_specs`]): supra-regional agreements between
//!   neighbours, one script per lifecycle state;
//! - [`evaluations`] (texts in [`eval_texts`]): two years of evaluation summaries;
//! - [`incident`]: a GRIP 3 fire in VR17 asking VR15, VR16 and VR18 for assistance under their
//!   agreement, step by step from request to close;
//! - [`people`]: the operators' and coordinator's connections and the polling helper;
//! - [`script`]: runs the agreement scripts, act by act, at each party's own node;
//! - [`picture`]: what NL derives afterwards (capacity totals, agreement states, ratings);
//!   [`render`] prints it as text or JSON.
pub mod agreement_specs;
pub mod agreements;
pub mod capacity;
pub mod eval_texts;
pub mod evaluations;
pub mod incident;
pub mod people;
pub mod picture;
pub mod render;
pub mod script;

use regiosync_records::{calendar, time};
use regiosync_types::NodeId;

/// Inhabitants per region in units of 100,000 (rounded), to scale the sample numbers.
const SIZE: [f64; 25] = [
    5.9, 6.5, 5.0, 5.3, 6.3, 8.3, 6.9, 5.6, 13.9, 6.7, 3.4, 5.5, 10.8, 2.6, 11.3, 8.2, 13.1, 4.6, 3.9, 11.4, 6.6, 7.9,
    5.2, 6.0, 4.4,
];

/// The region that publishes no capacity report at all (shows as missing at NL).
pub const NO_CAPACITY: u8 = 14;
/// The region that publishes a report and then a newer one that supersedes it.
pub const SUPERSEDES: u8 = 17;
/// The region whose only report is stale (valid_until already past).
pub const STALE: u8 = 19;
/// The region that also publishes an exercise report (never counted).
pub const EXERCISE: u8 = 5;
/// The region that has filed no evaluation summary.
pub const NO_EVALUATION: u8 = 12;

/// Region `n` (1..=25); panics on a number outside that range (the data tables are static).
pub fn vr(n: u8) -> NodeId {
    NodeId::region(n).unwrap_or_else(|| panic!("no region {n}"))
}

/// The region's number, 1..=25.
pub fn number(region: NodeId) -> u8 {
    region.region_number().unwrap_or(1)
}

/// Inhabitants of a region in units of 100,000.
pub fn size(region: NodeId) -> f64 {
    SIZE[usize::from(number(region)) - 1]
}

/// The region's neighbours in the shipped neighbour map.
pub fn neighbours(region: NodeId, edges: &[(NodeId, NodeId)]) -> Vec<NodeId> {
    edges
        .iter()
        .filter_map(|&(a, b)| match (a == region, b == region) {
            (true, _) => Some(b),
            (_, true) => Some(a),
            _ => None,
        })
        .collect()
}

/// The operator of each region who writes the demo data: a person's name as certificates
/// carry it (letters, digits, '-', '_', '.').
pub fn operator_name(region: NodeId) -> &'static str {
    const NAMES: [&str; 25] = [
        "m.dijkstra",
        "s.dehaan",
        "r.bakker",
        "j.vandam",
        "a.kuipers",
        "l.wolters",
        "h.verbeek",
        "n.peters",
        "e.vanleeuwen",
        "b.visser",
        "k.groot",
        "t.mulder",
        "y.elamrani",
        "p.hoekstra",
        "d.vanderlinden",
        "f.devries",
        "i.jansen",
        "g.smit",
        "w.koster",
        "c.vermeulen",
        "o.vandenberg",
        "j.hendriks",
        "m.janssen",
        "r.hermans",
        "s.bos",
    ];
    NAMES[usize::from(number(region)) - 1]
}

/// The demo's deterministic generator (the workspace's SplitMix64): the same seed gives the
/// same data.
pub struct Rng(regiosync_types::rng::Rng);

impl Rng {
    /// A generator for one region and one purpose (`salt`), independent of every other.
    pub fn new(region: u8, salt: u64) -> Rng {
        Rng(regiosync_types::rng::Rng(
            u64::from(region).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03),
        ))
    }

    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A whole number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next() % span) as i64
    }

    /// True with the given probability in percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A factor in `[1 - spread, 1 + spread)`.
    pub fn factor(&mut self, spread: f64) -> f64 {
        1.0 - spread + 2.0 * spread * self.unit()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Today in the Netherlands, in days since the epoch.
pub fn today(now_ms: i64) -> i64 {
    calendar::day_of(now_ms)
}

/// A date `days` from today, "YYYY-MM-DD".
pub fn date_from_today(now_ms: i64, days: i64) -> String {
    time::format_date(today(now_ms) + days)
}

/// Days since the epoch of a fixed date (the tables use valid literals).
pub fn day(date: &str) -> i64 {
    time::parse_date("date", date).unwrap_or_else(|e| panic!("sample date {date}: {e}"))
}

/// The calendar year of a day (days since the epoch).
pub fn year_of(day: i64) -> i64 {
    time::format_date(day)[..4].parse().unwrap_or(1970)
}
