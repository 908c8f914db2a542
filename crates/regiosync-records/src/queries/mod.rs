//! The answers to the national questions (`proto/regiosync/v1/queries.proto`), computed
//! from the aggregates a node keeps (see [`crate::aggregate`]): pure functions, no I/O. The node
//! reads a handful of aggregate values and hands them here; every node that holds the same
//! values answers the same (for the same `now`).
//!
//! Common rules:
//! - exercise and test records never count: totals, coverage, benchmarks and cards are over
//!   actual records only (exercise and test capacity reports are only *named*, in
//!   `exercise_only`);
//! - a capacity report is stale from its `valid_until` on (`now >= valid_until`, an unreadable
//!   `valid_until` is stale): it is shown as stale, never summed;
//! - codes are named and ordered by the newest shipped code list (an older list names a code the
//!   newest no longer has; failing that, the code is its own name);
//! - regions are answered for in their order (VR01..VR25), each once.
//!
//! - `capacity`: 1. national capacity, 2. one resource type per region and a region's partners;
//! - `coverage`: 3. agreement coverage;
//! - `benchmark`: 4. ratings per area across regions;
//! - `in_control`: 5. one region's "in control" card;
//! - `quality`: 6. data quality per region;
//! - `assistance`: 7. open assistance requests, 8. assistance per region, 9. per agreement.
use std::collections::BTreeMap;

use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use crate::codes::CodeLists;
use crate::pb;
use crate::record::{status_name, Payload, Record};
use crate::time;

mod assistance;
mod benchmark;
mod capacity;
mod coverage;
mod history;
mod in_control;
mod quality;

pub use assistance::{
    assistance_by_agreement, assistance_by_region, card_assistance, coverage_assistance, open_assistance,
};
pub use benchmark::{evaluation_benchmark, RatingCount};
pub use capacity::{national_capacity, resource_by_region};
pub use coverage::agreement_coverage;
pub use history::{capacity_history, period as history_period, Days as CapacityDays, MAX_DAYS as HISTORY_MAX_DAYS};
pub use in_control::in_control;
pub use quality::data_quality;

#[cfg(test)]
mod assistance_tests;
#[cfg(test)]
mod benchmark_tests;
#[cfg(test)]
mod capacity_tests;
#[cfg(test)]
mod coverage_tests;
#[cfg(test)]
mod in_control_tests;
#[cfg(test)]
mod quality_tests;
#[cfg(test)]
pub(crate) mod test_evaluations;
#[cfg(test)]
mod test_support;

/// The regions asked about, sorted, each once.
fn sorted(regions: &[NodeId]) -> Vec<NodeId> {
    let mut out = regions.to_vec();
    out.sort();
    out.dedup();
    out
}

/// A region's newest capacity report of one status, as its aggregate holds it.
struct Latest {
    record: Record,
    report: pb::CapacityReport,
    /// How many reports of this status the region has.
    reports: u64,
}

impl Latest {
    fn stale(&self, now_ms: i64) -> bool {
        stale(&self.report, now_ms)
    }

    fn newness(&self) -> (Option<i64>, i64, u64) {
        let as_of = time::parse_moment("as_of", &self.report.as_of).ok();
        (as_of, self.record.created_unix_ms, self.record.seq)
    }
}

/// The capacity aggregates by (region, status). Values that do not decode as a capacity
/// report are left out; should two values name one region and status, the newer report (by
/// as_of, then created, then seq) is kept and the counts are added.
fn latest_by_region(capacity: &[pb::CapacityLatest]) -> BTreeMap<(NodeId, Status), Latest> {
    let mut out: BTreeMap<(NodeId, Status), Latest> = BTreeMap::new();
    for c in capacity {
        let Some(Ok(Some(record))) = c.record.as_ref().map(Record::from_held) else {
            continue;
        };
        let Payload::Capacity(report) = &record.payload else {
            continue;
        };
        let latest = Latest {
            report: report.clone(),
            reports: c.reports,
            record,
        };
        let key = (latest.record.origin, latest.record.status);
        match out.get_mut(&key) {
            Some(held) => {
                let reports = held.reports + latest.reports;
                if latest.newness() > held.newness() {
                    *held = latest;
                }
                held.reports = reports;
            }
            None => {
                out.insert(key, latest);
            }
        }
    }
    out
}

/// Stale from `valid_until` on; a `valid_until` that does not read cannot be relied on.
fn stale(report: &pb::CapacityReport, now_ms: i64) -> bool {
    time::parse_moment("valid_until", &report.valid_until).map_or(true, |until| now_ms >= until)
}

/// The Dutch label of a code: from the newest list that has it, else the code itself.
fn code_name(list: &str, code: &str) -> String {
    CodeLists::shipped()
        .all()
        .iter()
        .rev()
        .find_map(|v| v.get(list, code))
        .map_or_else(|| code.to_string(), |c| c.name.clone())
}

/// Where a code stands in the newest list; codes it does not have come after every code it
/// has.
fn code_rank(list: &str, code: &str) -> usize {
    CodeLists::shipped().latest().rank(list, code).unwrap_or(usize::MAX)
}

/// The evaluations among `records` that count: actual, made by `region` about itself, each
/// once (its current version; none withdrawn: [`crate::evaluation::counted`]).
fn actual_evaluations(region: NodeId, records: &[Record]) -> Vec<(&Record, &pb::EvaluationSummary)> {
    crate::evaluation::counted(records)
        .into_iter()
        .filter(|(r, _)| r.origin == region && r.is_actual())
        .collect()
}

/// The agreement text of the version in force (of two versions with its number, the one in
/// the agreement's state).
fn in_force(view: &pb::AgreementView) -> Option<&pb::Agreement> {
    if view.version_in_force == 0 {
        return None;
    }
    let numbered = || view.versions.iter().filter(|v| v.version == view.version_in_force);
    let v = numbered()
        .find(|v| v.state == view.state)
        .or_else(|| numbered().next_back())?;
    v.agreement.as_ref()
}

/// Agreements that count: actual ones (exercise and test agreements never do).
fn is_actual(view: &pb::AgreementView) -> bool {
    view.status == status_name(Status::Actual)
}
