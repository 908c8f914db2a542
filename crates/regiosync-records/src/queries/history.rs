//! Question 10: one resource type's capacity per Dutch day over a period, national and per
//! region, from the per-day aggregate (`cd` keys, [`crate::aggregate`]).
//!
//! On day D a region counts with its newest actual report whose as_of is on or before D
//! (the newest day value at or before D) and which is still valid during D: its valid_until is
//! after D starts. That is the rule of the national totals (a current report counts, a stale
//! one does not) applied to each day; exercise and test reports are never folded into the
//! history. A region that reports but not this type does not count for it.
use std::collections::BTreeMap;

use regiosync_types::NodeId;

use super::code_name;
use crate::calendar;
use crate::codes::list;
use crate::pb;
use crate::time;

/// The longest period one question may span.
pub const MAX_DAYS: i64 = 731;

/// Each region's day values: (Dutch day, figures), in day order.
pub type Days = BTreeMap<NodeId, Vec<(i64, pb::CapacityDay)>>;

/// The period asked: `from` and `to` as "YYYY-MM-DD" (both empty: the 90 days up to
/// `today`), as Dutch days; refused when one is missing, either does not read, the first is
/// after the last or it spans more than [`MAX_DAYS`].
pub fn period(from: &str, to: &str, today: i64) -> Result<(i64, i64), String> {
    let (from, to) = match (from.trim(), to.trim()) {
        ("", "") => (today - 89, today),
        ("", _) | (_, "") => return Err("from and to: give both days, or neither for the last 90 days".into()),
        (f, t) => (
            time::parse_date("from", f).map_err(|e| e.to_string())?,
            time::parse_date("to", t).map_err(|e| e.to_string())?,
        ),
    };
    if to < from || to - from >= MAX_DAYS {
        return Err(format!(
            "from {} to {}: a period of 1 to {MAX_DAYS} days, the first day not after the last",
            time::format_date(from),
            time::format_date(to)
        ));
    }
    Ok((from, to))
}

/// The history of `resource_type` from day `from` to day `to` (both Dutch days, inclusive,
/// checked by [`period`]) over `regions`; also the own lines of the regions in `lines`.
pub fn capacity_history(
    days: &Days,
    regions: &[NodeId],
    resource_type: &str,
    (from, to): (i64, i64),
    lines: &[NodeId],
) -> pb::CapacityHistory {
    let mut answer = pb::CapacityHistory {
        resource_type: resource_type.to_string(),
        name: code_name(list::RESOURCE_TYPES, resource_type),
        from: time::format_date(from),
        to: time::format_date(to),
        ..Default::default()
    };
    let mut own: BTreeMap<NodeId, Vec<pb::CapacityOnDay>> = BTreeMap::new();
    for day in from..=to {
        let start = calendar::day_start(day);
        let mut total = pb::CapacityOnDay {
            date: time::format_date(day),
            ..Default::default()
        };
        for &region in regions {
            let mut mine = pb::CapacityOnDay {
                date: total.date.clone(),
                ..Default::default()
            };
            let held = days.get(&region).map(Vec::as_slice).unwrap_or_default();
            // The newest day value at or before `day`, if still valid during it.
            let at = held.partition_point(|(d, _)| *d <= day);
            let entry = at
                .checked_sub(1)
                .map(|i| &held[i].1)
                .filter(|v| v.valid_until_unix_ms > start)
                .and_then(|v| v.entries.iter().find(|e| e.resource_type == resource_type));
            if let Some(e) = entry {
                mine.regions = 1;
                mine.baseline = u64::from(e.baseline);
                mine.available = u64::from(e.available);
                mine.committed = u64::from(e.committed);
                mine.out_of_service = u64::from(e.out_of_service);
                total.regions += 1;
                total.baseline += mine.baseline;
                total.available += mine.available;
                total.committed += mine.committed;
                total.out_of_service += mine.out_of_service;
            }
            if lines.contains(&region) {
                own.entry(region).or_default().push(mine);
            }
        }
        answer.days.push(total);
    }
    answer.regions = own
        .into_iter()
        .map(|(region, days)| pb::RegionCapacityHistory {
            region: region.to_string(),
            days,
        })
        .collect();
    answer
}
