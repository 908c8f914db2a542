//! How `query data-quality` is printed: per region, how far its data can be relied on — capacity as
//! of (stale or missing marked), reports held, evaluations and those never reported to the board,
//! entries this node refused, and how far this node is behind the region's log.
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::pb::{DataQuality, RegionQuality};

use super::{markers, moment_ago, print_table};
use crate::render::table::Table;
use crate::render::{ago, missing, num, region, stale};

/// The data-quality answer: one row per region and a line with what needs attention.
pub fn print(lang: Lang, a: &DataQuality) {
    out!("{}", Catalog::of(lang).s("cli-dq-title"));
    out!();
    let mut t = Table::of(
        lang,
        &[
            "cli-col-region",
            "cli-col-capacity-as-of",
            "cli-col-reports",
            "cli-col-evaluations",
            "cli-col-not-to-board",
            "cli-col-newest-evaluation",
            "cli-col-refused",
            "cli-col-behind",
            "cli-col-last-contact",
            "cli-col-marker",
        ],
    )
    .right(&[2, 3, 4, 6, 7]);
    for q in &a.regions {
        t.row(row(lang, q));
    }
    print_table(&t);
    out!("{}", summary(lang, &a.regions));
}

fn row(lang: Lang, q: &RegionQuality) -> Vec<String> {
    let c = Catalog::of(lang);
    let (s, m) = (stale(lang), missing(lang));
    let (none, forked, damaged, unsent) = (
        c.s("cli-dq-no-evaluations"),
        c.s("cli-dq-forked"),
        c.s("cli-dq-damaged"),
        c.s("cli-dq-unsent"),
    );
    vec![
        region(&q.region),
        moment_ago(lang, &q.capacity_as_of),
        num(lang, q.capacity_reports),
        num(lang, q.evaluations),
        num(lang, q.not_reported_to_board),
        moment_ago(lang, &q.latest_evaluation),
        num(lang, q.rejected),
        num(lang, q.behind),
        match ago(lang, q.last_contact_unix_ms).as_str() {
            "" => "-".into(),
            s => s.to_string(),
        },
        markers(&[
            (q.capacity_stale, &s),
            (q.capacity_missing, &m),
            (q.evaluations == 0, &none),
            (q.equivocations > 0, &forked),
            (q.damaged > 0, &damaged),
            (q.missing > 0, &unsent),
        ]),
    ]
}

/// One line with what needs attention, across regions.
fn summary(lang: Lang, all: &[RegionQuality]) -> String {
    let count = |f: &dyn Fn(&RegionQuality) -> bool| all.iter().filter(|q| f(q)).count() as i64;
    let stale = count(&|q| q.capacity_stale);
    let missing = count(&|q| q.capacity_missing);
    let current = all.len() as i64 - stale - missing;
    let unreported: u32 = all.iter().map(|q| q.not_reported_to_board).sum();
    let refused: u64 = all.iter().map(|q| q.rejected).sum();
    let args = Args::new()
        .count(lang, "current", current)
        .count(lang, "stale", stale)
        .count(lang, "missing", missing)
        .count(lang, "unreported", i64::from(unreported))
        .count(lang, "regions", count(&|q| q.not_reported_to_board > 0))
        .count(lang, "refused", refused as i64)
        .count(lang, "behind", count(&|q| q.behind > 0));
    Catalog::of(lang).t("cli-dq-summary", &args)
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
            summary(Lang::En, &all),
            "capacity: 1 current, 1 stale, 1 missing; evaluations not reported to the board: 3 in 2 regions; \
             refused entries: 3; regions this node is behind on: 1"
        );
        assert_eq!(
            summary(Lang::Nl, &all),
            "capaciteit: 1 actueel, 1 verouderd, 1 ontbreekt; evaluaties niet gemeld aan het bestuur: 3 in 2 regio's; \
             geweigerde vermeldingen: 3; regio's waarop deze node achterloopt: 1"
        );
        let r = row(Lang::Nl, &all[1]);
        assert_eq!(r[0], "VR02 Fryslân");
        assert_eq!(r[1], "-");
        assert_eq!(r[8], "-");
        assert_eq!(r[9], "VEROUDERD");
    }
}
