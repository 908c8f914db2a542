//! How `query national-capacity` and `query resource` are printed: capacity per resource type from
//! the current actual reports, and one type per region with the partners a region in trouble can
//! call on. Stale, missing and exercise-only regions are shown and marked, never summed.
use std::collections::BTreeMap;

use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::codes::list;
use regiosync_records::pb::{NationalCapacity, Partner, RegionReport, ResourceByRegion};
use regiosync_records::{time, CodeLists};

use super::{label, markers, print_table};
use crate::render::table::{Table, CAPACITY_COLUMNS};
use crate::render::{ago, missing, moment_str, num, region, stale, unreported, when};

/// The name of a resource type's group: "Gevaarlijke stoffen" ("Hazardous substances").
fn group(lang: Lang, code: &str) -> String {
    let g = CodeLists::shipped()
        .latest()
        .get(list::RESOURCE_TYPES, code)
        .and_then(|c| c.group.clone())
        .unwrap_or_default();
    crate::render::state(lang, "group", &g)
}

/// National capacity per resource type, and the regions not counted with every reason.
pub fn print_national(lang: Lang, a: &NationalCapacity) {
    let c = Catalog::of(lang);
    let args = Args::new()
        .text("at", when(lang, a.now_unix_ms))
        .count(lang, "n", a.reporting.len() as i64);
    out!("{}", c.t("cli-nc-title", &args));
    out!();
    let columns = [
        &["cli-col-resource-type", "cli-col-group", "cli-col-regions"][..],
        &CAPACITY_COLUMNS,
    ]
    .concat();
    let mut t = Table::of(lang, &columns).right(&[2, 3, 4, 5, 6, 7, 8]);
    // In the code list's order (fire service first, then water, hazmat, officials, medical...).
    let lists = CodeLists::shipped().latest();
    let mut totals: Vec<_> = a.totals.iter().collect();
    totals.sort_by_key(|c| {
        (
            lists.rank(list::RESOURCE_TYPES, &c.resource_type).unwrap_or(usize::MAX),
            &c.resource_type,
        )
    });
    for x in totals {
        t.row(vec![
            label(lang, list::RESOURCE_TYPES, &x.resource_type, &x.name),
            group(lang, &x.resource_type),
            num(lang, x.regions),
            num(lang, x.baseline),
            num(lang, x.available),
            num(lang, x.committed),
            num(lang, x.out_of_service),
            num(lang, x.surge_24h),
            num(lang, x.surge_72h),
        ]);
    }
    print_table(&t);
    if let (Some(first), Some(last)) = (
        a.reporting.iter().map(|r| r.as_of.as_str()).min(),
        a.reporting.iter().map(|r| r.as_of.as_str()).max(),
    ) {
        let args = Args::new()
            .text("first", moment_str(lang, first))
            .text("last", moment_str(lang, last));
        out!(
            "{}",
            c.t(
                if first == last {
                    "cli-nc-as-of-one"
                } else {
                    "cli-nc-as-of-range"
                },
                &args
            )
        );
    }
    print_not_counted(lang, a);
}

/// One row per region not (or not only) counted, with every reason.
fn print_not_counted(lang: Lang, a: &NationalCapacity) {
    let c = Catalog::of(lang);
    let mut rows: BTreeMap<&str, (Option<&RegionReport>, Vec<String>)> = BTreeMap::new();
    for s in &a.stale {
        let until = time::parse_moment("", &s.valid_until).unwrap_or(0);
        let row = rows.entry(&s.region).or_default();
        row.0 = Some(s);
        let args = Args::new().text("marker", stale(lang)).text("ago", ago(lang, until));
        row.1.push(c.t("cli-nc-why-stale", &args));
    }
    for m in &a.missing {
        let args = Args::new().text("marker", missing(lang));
        rows.entry(m).or_default().1.push(c.t("cli-nc-why-missing", &args));
    }
    for e in &a.exercise_only {
        rows.entry(e).or_default().1.push(c.s("cli-nc-why-exercise"));
    }
    out!();
    if rows.is_empty() {
        out!("{}", c.s("cli-nc-all-counted"));
        return;
    }
    out!(
        "{}",
        c.t("cli-nc-not-counted", &Args::new().count(lang, "n", rows.len() as i64))
    );
    let mut t = Table::of(
        lang,
        &[
            "cli-col-region",
            "cli-col-as-of",
            "cli-col-valid-until",
            "cli-col-record",
            "cli-col-why",
        ],
    );
    for (r, (report, why)) in &rows {
        t.row(vec![
            region(r),
            report.map_or("-".into(), |x| moment_str(lang, &x.as_of)),
            report.map_or("-".into(), |x| moment_str(lang, &x.valid_until)),
            report.map_or("-".into(), |x| x.record_id.clone()),
            why.join("; "),
        ]);
    }
    print_table(&t);
}

/// One resource type per region; with `asking` (the region in trouble), its partners.
pub fn print_resource(lang: Lang, a: &ResourceByRegion, asking: &str) {
    let c = Catalog::of(lang);
    let what = label(lang, list::RESOURCE_TYPES, &a.resource_type, &a.name);
    out!("{}", c.t("cli-rr-title", &Args::new().text("what", what.as_str())));
    out!();
    let mut t = Table::of(
        lang,
        &[
            "cli-col-region",
            "cli-col-baseline",
            "cli-col-available",
            "cli-col-committed",
            "cli-col-out-of-service",
            "cli-col-as-of",
            "cli-col-marker",
        ],
    )
    .right(&[1, 2, 3, 4]);
    let (mut counted, mut available, mut baseline) = (0, 0u64, 0u64);
    let (s, u, asking_marker) = (stale(lang), unreported(lang), c.s("cli-rr-asking"));
    for r in &a.regions {
        let n = |v: u32| if r.unreported { "-".into() } else { num(lang, v) };
        if !r.stale && !r.unreported {
            counted += 1;
            available += u64::from(r.available);
            baseline += u64::from(r.baseline);
        }
        t.row(vec![
            region(&r.region),
            n(r.baseline),
            n(r.available),
            n(r.committed),
            n(r.out_of_service),
            moment_str(lang, &r.as_of),
            markers(&[(r.stale, &s), (r.unreported, &u), (r.region == asking, &asking_marker)]),
        ]);
    }
    print_table(&t);
    let args = Args::new()
        .count(lang, "counted", counted)
        .text("available", num(lang, available))
        .text("baseline", num(lang, baseline))
        .count(lang, "stale", a.regions.iter().filter(|r| r.stale).count() as i64)
        .count(
            lang,
            "unreported",
            a.regions.iter().filter(|r| r.unreported).count() as i64,
        );
    out!("{}", c.t("cli-rr-summary", &args));
    if !asking.is_empty() {
        out!();
        print_partners(lang, &a.partners, asking, &what);
    }
}

fn print_partners(lang: Lang, partners: &[Partner], asking: &str, what: &str) {
    let c = Catalog::of(lang);
    let args = Args::new().text("region", region(asking)).text("what", what);
    if partners.is_empty() {
        out!("{}", c.t("cli-rr-no-partners", &args));
        return;
    }
    out!("{}", c.t("cli-rr-partners", &args));
    let mut t = Table::of(
        lang,
        &[
            "cli-col-partner",
            "cli-col-agreement",
            "cli-col-version",
            "cli-col-max-per-request",
            "cli-col-available-now",
            "cli-col-marker",
        ],
    )
    .right(&[2, 3, 4]);
    let (s, u) = (stale(lang), unreported(lang));
    for p in partners {
        t.row(vec![
            region(&p.region),
            p.agreement_id.clone(),
            p.version.to_string(),
            if p.max_quantity == 0 {
                "-".into()
            } else {
                num(lang, p.max_quantity)
            },
            if p.stale || p.unreported {
                "-".into()
            } else {
                num(lang, p.available)
            },
            markers(&[(p.stale, &s), (p.unreported, &u)]),
        ]);
    }
    print_table(&t);
    match callable(partners) {
        (_, 0) => out!("{}", c.s("cli-rr-callable-none")),
        (units, from) => {
            let args = Args::new()
                .count(lang, "units", units as i64)
                .count(lang, "from", from as i64);
            out!("{}", c.t("cli-rr-callable", &args));
        }
    }
}

/// Units a region can ask for now, and from how many partners: per partner region the larger
/// of its agreements' maxima (0 = no maximum), capped by what it has available; stale and
/// unreported partners count for nothing.
fn callable(partners: &[Partner]) -> (u64, usize) {
    let mut per: BTreeMap<&str, u64> = BTreeMap::new();
    for p in partners.iter().filter(|p| !p.stale && !p.unreported && p.available > 0) {
        let cap = match p.max_quantity {
            0 => p.available,
            m => m.min(p.available),
        };
        let e = per.entry(&p.region).or_default();
        *e = (*e).max(u64::from(cap));
    }
    (per.values().sum(), per.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(region: &str, max: u32, available: u32, stale: bool) -> Partner {
        Partner {
            region: region.into(),
            max_quantity: max,
            available,
            stale,
            ..Partner::default()
        }
    }

    #[test]
    fn callable_units_are_capped_and_skip_stale_partners() {
        let p = [
            partner("VR02", 4, 12, false),
            partner("VR02", 6, 12, false),
            partner("VR03", 4, 2, false),
            partner("VR04", 0, 5, false),
            partner("VR05", 4, 9, true),
        ];
        assert_eq!(callable(&p), (6 + 2 + 5, 3));
        assert_eq!(callable(&[]), (0, 0));
    }
}
