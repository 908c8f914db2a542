//! Which capacity report of each region is current: a newer report (later `as_of`) supersedes
//! an older one; a report past its `valid_until` is stale and never counted as current;
//! exercise and test reports never count in totals.
use crate::pb;
use crate::record::Record;

/// The newest actual report of each region among `records`, sorted by region. With
/// `include_non_actual`, also the newest exercise and the newest test report of each region
/// (never counted).
pub fn current(records: &[Record], now_ms: i64, include_non_actual: bool) -> Vec<pb::CapacityView> {
    let _ = (records, now_ms, include_non_actual);
    todo!()
}
