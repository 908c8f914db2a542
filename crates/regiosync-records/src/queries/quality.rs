//! Question 6: data quality per region — how fresh its capacity is, whether its evaluations
//! reach its board, what this node refused from it and how far replication lags.
use std::collections::BTreeMap;

use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use super::{actual_evaluations, latest_by_region, sorted};
use crate::pb;
use crate::record::Record;
use crate::time;

/// One row per region of `regions`:
/// - capacity: its newest actual report (as_of, stale), missing when it has none, and how many
///   actual reports it made;
/// - evaluations: its actual evaluations held (from `evaluations`), how many have no
///   `reported_to_board` date, and the newest event evaluated;
/// - `rejected`: entries from it this node refused (0 when absent);
/// - `replication`: (how far behind its log, last direct contact in unix ms), (0, 0) when absent.
pub fn data_quality(
    capacity: &[pb::CapacityLatest],
    evaluations: &BTreeMap<NodeId, Vec<Record>>,
    rejected: &BTreeMap<NodeId, u64>,
    replication: &BTreeMap<NodeId, (u64, i64)>,
    regions: &[NodeId],
    now_ms: i64,
) -> pb::DataQuality {
    let latest = latest_by_region(capacity);
    let regions = sorted(regions)
        .into_iter()
        .map(|region| {
            let mut q = pb::RegionQuality {
                region: region.to_string(),
                capacity_missing: true,
                rejected: rejected.get(&region).copied().unwrap_or(0),
                ..Default::default()
            };
            if let Some(l) = latest.get(&(region, Status::Actual)) {
                q.capacity_as_of = l.report.as_of.clone();
                q.capacity_stale = l.stale(now_ms);
                q.capacity_missing = false;
                q.capacity_reports = l.reports;
            }
            let held = evaluations.get(&region).map_or(&[][..], Vec::as_slice);
            let mine = actual_evaluations(region, held);
            q.evaluations = u32::try_from(mine.len()).unwrap_or(u32::MAX);
            let unreported = mine.iter().filter(|(_, s)| s.reported_to_board.is_empty()).count();
            q.not_reported_to_board = u32::try_from(unreported).unwrap_or(u32::MAX);
            q.latest_evaluation = mine
                .iter()
                .filter_map(|(_, s)| s.event.as_ref())
                .map(|e| e.date.as_str())
                .filter(|d| time::parse_date("event.date", d).is_ok())
                .max()
                .unwrap_or_default()
                .to_string();
            (q.behind, q.last_contact_unix_ms) = replication.get(&region).copied().unwrap_or((0, 0));
            q
        })
        .collect();
    pb::DataQuality {
        regions,
        answered_by: String::new(),
    }
}
