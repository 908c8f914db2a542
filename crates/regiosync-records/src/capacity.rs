//! Which capacity report of each region is current: a newer report (later `as_of`) supersedes
//! an older one; a report past its `valid_until` is stale and never counted as current;
//! exercise and test reports never count in totals.
//!
//! Pure and deterministic: the same reports (in any order, with duplicates) and the same `now`
//! give the same views. Reports are assumed to have passed validation; should a time still not
//! parse, an unreadable `as_of` ranks below every readable one and an unreadable `valid_until`
//! makes the report stale (it cannot be relied on).
use std::collections::BTreeMap;

use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use crate::agreement::distinct;
use crate::pb;
use crate::record::{status_name, Payload, Record};
use crate::time;

/// The newest actual report of each region among `records`, sorted by region. With
/// `include_non_actual`, also the newest exercise and the newest test report of each region
/// (never counted), each after the region's actual report.
pub fn current(records: &[Record], now_ms: i64, include_non_actual: bool) -> Vec<pb::CapacityView> {
    // (region, status order) -> that region's reports of that status.
    let mut groups: BTreeMap<(NodeId, u8), Vec<(&Record, &pb::CapacityReport)>> = BTreeMap::new();
    for r in distinct(records) {
        let Payload::Capacity(report) = &r.payload else {
            continue;
        };
        if r.status == Status::Unspecified || (!r.is_actual() && !include_non_actual) {
            continue;
        }
        groups
            .entry((r.origin, status_rank(r.status)))
            .or_default()
            .push((r, report));
    }
    groups
        .into_values()
        .filter_map(|reports| {
            let superseded = u32::try_from(reports.len() - 1).unwrap_or(u32::MAX);
            let (r, report) = reports.into_iter().max_by_key(|(r, rep)| newness(r, rep))?;
            let stale = time::parse_moment("valid_until", &report.valid_until).map_or(true, |until| now_ms >= until);
            Some(pb::CapacityView {
                region: r.origin.to_string(),
                record: Some(r.meta()),
                report: Some(report.clone()),
                stale,
                counts: r.is_actual() && !stale,
                superseded,
            })
        })
        .collect()
}

fn status_rank(s: Status) -> u8 {
    match s {
        Status::Actual => 0,
        Status::Exercise => 1,
        Status::Test => 2,
        Status::Unspecified => 3,
    }
}

/// Which of two reports of a region is newer: later `as_of`, then later creation, then the
/// later entry of the region's log.
fn newness(r: &Record, report: &pb::CapacityReport) -> (Option<i64>, i64, u64) {
    let as_of = time::parse_moment("as_of", &report.as_of).ok();
    (as_of, r.created_unix_ms, r.seq)
}

/// National totals of one resource type, over the views that count (actual and not stale).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Total {
    /// Code from the `resource_types` list.
    pub resource_type: String,
    /// How many regions reported this type.
    pub regions: u64,
    pub baseline: u64,
    pub available: u64,
    pub committed: u64,
    pub out_of_service: u64,
    /// Sum of the surges the regions gave (a region that gave none adds 0).
    pub surge_24h: u64,
    pub surge_72h: u64,
}

/// Totals per resource type, sorted by code, summing only the views with `counts` set: stale,
/// exercise and test reports are never summed.
pub fn totals(views: &[pb::CapacityView]) -> Vec<Total> {
    let mut by_type: BTreeMap<&str, Total> = BTreeMap::new();
    let counted = views.iter().filter(|v| v.counts && !v.stale);
    for e in counted.filter_map(|v| v.report.as_ref()).flat_map(|r| &r.entries) {
        let t = by_type.entry(&e.resource_type).or_insert_with(|| Total {
            resource_type: e.resource_type.clone(),
            ..Total::default()
        });
        t.regions += 1;
        t.baseline += u64::from(e.baseline);
        t.available += u64::from(e.available);
        t.committed += u64::from(e.committed);
        t.out_of_service += u64::from(e.out_of_service);
        t.surge_24h += u64::from(e.surge_24h.unwrap_or(0));
        t.surge_72h += u64::from(e.surge_72h.unwrap_or(0));
    }
    by_type.into_values().collect()
}

/// The regions among `regions` with no actual report among `views` (sorted, each once). A
/// region whose actual report is stale is not missing: its view shows it as stale.
pub fn missing(views: &[pb::CapacityView], regions: impl IntoIterator<Item = NodeId>) -> Vec<NodeId> {
    let actual = |region: NodeId| {
        let name = region.to_string();
        views.iter().any(|v| {
            v.region == name
                && v.record
                    .as_ref()
                    .is_some_and(|m| m.status == status_name(Status::Actual))
        })
    };
    let mut out: Vec<NodeId> = regions.into_iter().filter(|&r| !actual(r)).collect();
    out.sort();
    out.dedup();
    out
}
