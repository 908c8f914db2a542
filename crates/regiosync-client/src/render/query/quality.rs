//! How `query data-quality` is printed: per region, how far its data can be relied on — capacity as
//! of (stale or missing marked), reports held, evaluations and those never reported to the board,
//! entries this node refused, and how far this node is behind the region's log.
use regiosync_records::pb::{DataQuality, RegionQuality};

use super::{markers, moment_ago, print_table};
use crate::render::table::Table;
use crate::render::{ago, region, MISSING, STALE};

/// The data-quality answer: one row per region and a line with what needs attention.
pub fn print(a: &DataQuality) {
    out!("Data quality per region, as this node holds it");
    out!();
    let mut t = Table::new(&[
        "region",
        "capacity as of",
        "reports",
        "evaluations",
        "not to board",
        "newest evaluation",
        "refused",
        "behind",
        "last contact",
        "marker",
    ])
    .right(&[2, 3, 4, 6, 7]);
    for q in &a.regions {
        t.row(row(q));
    }
    print_table(&t);
    out!("{}", summary(&a.regions));
}

fn row(q: &RegionQuality) -> Vec<String> {
    vec![
        region(&q.region),
        moment_ago(&q.capacity_as_of),
        q.capacity_reports.to_string(),
        q.evaluations.to_string(),
        q.not_reported_to_board.to_string(),
        moment_ago(&q.latest_evaluation),
        q.rejected.to_string(),
        q.behind.to_string(),
        match ago(q.last_contact_unix_ms).as_str() {
            "" => "-".into(),
            s => s.to_string(),
        },
        markers(&[
            (q.capacity_stale, STALE),
            (q.capacity_missing, MISSING),
            (q.evaluations == 0, "GEEN EVALUATIES (no evaluations)"),
            (q.equivocations > 0, "LOG GEVORKT (log forked)"),
            (q.damaged > 0, "BESCHADIGD (damaged entries awaiting a peer)"),
            (q.missing > 0, "ONTBREEKT (entries no peer could send yet)"),
        ]),
    ]
}

/// One line with what needs attention, across regions.
fn summary(all: &[RegionQuality]) -> String {
    let count = |f: &dyn Fn(&RegionQuality) -> bool| all.iter().filter(|q| f(q)).count();
    let stale = count(&|q| q.capacity_stale);
    let missing = count(&|q| q.capacity_missing);
    let current = all.len() - stale - missing;
    let unreported: u32 = all.iter().map(|q| q.not_reported_to_board).sum();
    let unreported_in = count(&|q| q.not_reported_to_board > 0);
    let refused: u64 = all.iter().map(|q| q.rejected).sum();
    let behind = count(&|q| q.behind > 0);
    format!(
        "capacity: {current} current, {stale} stale, {missing} missing; \
         evaluations not reported to the board: {unreported} in {unreported_in} regions; \
         refused entries: {refused}; regions this node is behind on: {behind}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_what_needs_attention() {
        let q = |r: &str, stale, missing, board, rejected, behind| RegionQuality {
            region: r.into(),
            capacity_stale: stale,
            capacity_missing: missing,
            not_reported_to_board: board,
            rejected,
            behind,
            evaluations: 1,
            ..Default::default()
        };
        let all = [
            q("VR01", false, false, 0, 0, 0),
            q("VR02", true, false, 2, 0, 0),
            q("VR03", false, true, 1, 3, 7),
        ];
        assert_eq!(
            summary(&all),
            "capacity: 1 current, 1 stale, 1 missing; evaluations not reported to the board: 3 in 2 regions; \
             refused entries: 3; regions this node is behind on: 1"
        );
        let r = row(&all[1]);
        assert_eq!(r[0], "VR02 Fryslân");
        assert_eq!(r[1], "-");
        assert_eq!(r[8], "-");
        assert_eq!(r[9], STALE);
    }
}
