//! Question 4: the distribution of ratings per area across regions, per year, incidents and
//! exercises apart — and, for one region, its own distribution beside it.
use std::collections::BTreeMap;

use regiosync_types::NodeId;

use super::{actual_evaluations, code_name, code_rank};
use crate::codes::{list, CodeLists};
use crate::pb;
use crate::record::Record;

/// (year, event kind initial, area): one slice of the distribution.
type Slice = (u32, u8, String);

/// One national rating counter as a node reads it back: (year, event kind initial, area,
/// rating) and how many actual evaluations gave that rating.
pub type RatingCount = ((u32, u8, String, String), u64);

/// The benchmark from the national rating counters (`counts`: (year, event-kind initial,
/// area, rating) → how many actual evaluations gave that rating, see
/// [`crate::aggregate::parse_rating_key`]), restricted to `year` unless it is 0.
///
/// One [`pb::AreaDistribution`] per (year, event kind, area) held, ordered by area (the order
/// of the newest `rated_areas` list), then year, then event kind (`event_kinds` order). With a
/// region, its own counts over its actual evaluations (from `region`'s records) in each slice;
/// a slice only the region has is shown with national counts of zero. `evaluations` is how
/// many actual evaluations the national counters hold in the slices shown: every evaluation
/// rates every area once, so per (year, kind) it is the largest count over the areas.
pub fn evaluation_benchmark(
    counts: &[RatingCount],
    region: Option<(NodeId, &[Record])>,
    year: u32,
) -> pb::EvaluationBenchmark {
    let wanted = |y: u32| year == 0 || y == year;
    let mut national: BTreeMap<Slice, pb::RatingCounts> = BTreeMap::new();
    for ((y, kind, area, rating), n) in counts {
        if wanted(*y) {
            let c = national.entry((*y, *kind, area.clone())).or_default();
            add(c, rating, u32::try_from(*n).unwrap_or(u32::MAX));
        }
    }
    let mut evaluations: BTreeMap<(u32, u8), u32> = BTreeMap::new();
    for ((y, kind, _), c) in &national {
        let e = evaluations.entry((*y, *kind)).or_default();
        *e = (*e).max(total(c));
    }
    let mine = region.map(|(r, records)| region_counts(r, records, &wanted));
    let mut slices: Vec<&Slice> = national.keys().collect();
    if let Some(mine) = &mine {
        slices.extend(mine.keys().filter(|s| !national.contains_key(*s)));
    }
    slices.sort_by_key(|(y, kind, area)| {
        (
            code_rank(list::RATED_AREAS, area),
            area.as_str(),
            *y,
            kind_rank(*kind),
            *kind,
        )
    });
    let areas = slices
        .into_iter()
        .map(|slice| {
            let (y, kind, area) = slice;
            pb::AreaDistribution {
                area: area.clone(),
                name: code_name(list::RATED_AREAS, area),
                year: *y,
                event_kind: kind_name(*kind),
                national: Some(national.get(slice).cloned().unwrap_or_default()),
                region: mine.as_ref().map(|m| m.get(slice).cloned().unwrap_or_default()),
            }
        })
        .collect();
    pb::EvaluationBenchmark {
        areas,
        evaluations: evaluations.values().fold(0u32, |a, &b| a.saturating_add(b)),
        answered_by: String::new(),
    }
}

/// One region's counts per slice over its actual evaluations in the years wanted (the same
/// keys the national counters use, see [`crate::aggregate::fold`]).
fn region_counts(
    region: NodeId,
    records: &[Record],
    wanted: &dyn Fn(u32) -> bool,
) -> BTreeMap<Slice, pb::RatingCounts> {
    let mut out: BTreeMap<Slice, pb::RatingCounts> = BTreeMap::new();
    for (_, summary) in actual_evaluations(region, records) {
        let Some(event) = &summary.event else {
            continue;
        };
        let y: u32 = event.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        if !wanted(y) {
            continue;
        }
        let kind = event.kind.bytes().next().unwrap_or(b'?');
        for r in &summary.ratings {
            add(out.entry((y, kind, r.area.clone())).or_default(), &r.rating, 1);
        }
    }
    out
}

fn add(c: &mut pb::RatingCounts, rating: &str, n: u32) {
    let field = match rating {
        "P" => &mut c.p,
        "S" => &mut c.s,
        "M" => &mut c.m,
        "U" => &mut c.u,
        "NO" => &mut c.not_observed,
        _ => return,
    };
    *field = field.saturating_add(n);
}

fn total(c: &pb::RatingCounts) -> u32 {
    [c.p, c.s, c.m, c.u, c.not_observed]
        .into_iter()
        .fold(0u32, u32::saturating_add)
}

/// The event kind whose code starts with `initial` ("incident", "exercise").
fn kind_code(initial: u8) -> Option<&'static str> {
    CodeLists::shipped()
        .latest()
        .codes(list::EVENT_KINDS)
        .into_iter()
        .map(|(code, _)| code)
        .find(|code| code.bytes().next() == Some(initial))
}

fn kind_name(initial: u8) -> String {
    kind_code(initial).map_or_else(|| char::from(initial).to_string(), String::from)
}

fn kind_rank(initial: u8) -> usize {
    kind_code(initial).map_or(usize::MAX, |code| code_rank(list::EVENT_KINDS, code))
}
