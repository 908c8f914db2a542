//! How `query national-capacity` and `query resource` are printed: capacity per resource type from
//! the current actual reports, and one type per region with the partners a region in trouble can
//! call on. Stale, missing and exercise-only regions are shown and marked, never summed.
use std::collections::BTreeMap;

use regiosync_records::codes::list;
use regiosync_records::pb::{NationalCapacity, Partner, RegionReport, ResourceByRegion};
use regiosync_records::{time, CodeLists};

use super::{label, markers, plural, print_table};
use crate::render::table::Table;
use crate::render::{ago, region, when, MISSING, STALE, UNREPORTED};

fn group(code: &str) -> String {
    CodeLists::shipped()
        .latest()
        .get(list::RESOURCE_TYPES, code)
        .and_then(|c| c.group.clone())
        .unwrap_or_default()
}

/// National capacity per resource type, and the regions not counted with every reason.
pub fn print_national(a: &NationalCapacity) {
    out!(
        "National capacity at {}, from the current actual reports of {} of 25 regions",
        when(a.now_unix_ms),
        a.reporting.len()
    );
    out!();
    let mut t = Table::new(&[
        "resource type",
        "group",
        "regions",
        "baseline",
        "available",
        "committed",
        "out of service",
        "+24h",
        "+72h",
    ])
    .right(&[2, 3, 4, 5, 6, 7, 8]);
    // In the code list's order (fire service first, then water, hazmat, officials, medical...).
    let lists = CodeLists::shipped().latest();
    let mut totals: Vec<_> = a.totals.iter().collect();
    totals.sort_by_key(|c| {
        (
            lists.rank(list::RESOURCE_TYPES, &c.resource_type).unwrap_or(usize::MAX),
            &c.resource_type,
        )
    });
    for c in totals {
        t.row(vec![
            label(list::RESOURCE_TYPES, &c.resource_type, &c.name),
            group(&c.resource_type),
            c.regions.to_string(),
            c.baseline.to_string(),
            c.available.to_string(),
            c.committed.to_string(),
            c.out_of_service.to_string(),
            c.surge_24h.to_string(),
            c.surge_72h.to_string(),
        ]);
    }
    print_table(&t);
    if let (Some(first), Some(last)) = (
        a.reporting.iter().map(|r| r.as_of.as_str()).min(),
        a.reporting.iter().map(|r| r.as_of.as_str()).max(),
    ) {
        if first == last {
            out!("every counted report is as of {first}");
        } else {
            out!("counted reports are as of {first} .. {last}");
        }
    }
    print_not_counted(a);
}

/// One row per region not (or not only) counted, with every reason.
fn print_not_counted(a: &NationalCapacity) {
    let mut rows: BTreeMap<&str, (Option<&RegionReport>, Vec<String>)> = BTreeMap::new();
    for s in &a.stale {
        let until = time::parse_moment("", &s.valid_until).unwrap_or(0);
        let row = rows.entry(&s.region).or_default();
        row.0 = Some(s);
        row.1.push(format!("{STALE}, expired {}: not counted", ago(until)));
    }
    for m in &a.missing {
        rows.entry(m)
            .or_default()
            .1
            .push(format!("{MISSING}: no actual report"));
    }
    for e in &a.exercise_only {
        rows.entry(e)
            .or_default()
            .1
            .push("OEFENING (exercise) / TEST reports only: never counted".into());
    }
    out!();
    if rows.is_empty() {
        out!("every region's current actual report is counted");
        return;
    }
    out!("Not counted ({} regions):", rows.len());
    let mut t = Table::new(&["region", "as of", "valid until", "record", "why"]);
    for (r, (report, why)) in &rows {
        t.row(vec![
            region(r),
            report.map_or("-".into(), |x| x.as_of.clone()),
            report.map_or("-".into(), |x| x.valid_until.clone()),
            report.map_or("-".into(), |x| x.record_id.clone()),
            why.join("; "),
        ]);
    }
    print_table(&t);
}

/// One resource type per region; with `asking` (the region in trouble), its partners.
pub fn print_resource(a: &ResourceByRegion, asking: &str) {
    let what = label(list::RESOURCE_TYPES, &a.resource_type, &a.name);
    out!("{what} per region");
    out!();
    let mut t = Table::new(&[
        "region",
        "baseline",
        "available",
        "committed",
        "out of service",
        "as of",
        "marker",
    ])
    .right(&[1, 2, 3, 4]);
    let (mut counted, mut available, mut baseline) = (0, 0u64, 0u64);
    for r in &a.regions {
        let n = |v: u32| if r.unreported { "-".into() } else { v.to_string() };
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
            if r.as_of.is_empty() {
                "-".into()
            } else {
                r.as_of.clone()
            },
            markers(&[
                (r.stale, STALE),
                (r.unreported, UNREPORTED),
                (r.region == asking, "<< asking region"),
            ]),
        ]);
    }
    print_table(&t);
    let stale = a.regions.iter().filter(|r| r.stale).count();
    let unreported = a.regions.iter().filter(|r| r.unreported).count();
    out!(
        "counted (current, actual): {counted} regions, {available} of {baseline} available; \
         not counted: {stale} stale, {unreported} not reported"
    );
    if !asking.is_empty() {
        out!();
        print_partners(&a.partners, asking, &what);
    }
}

fn print_partners(partners: &[Partner], asking: &str, what: &str) {
    if partners.is_empty() {
        out!("No active agreement of {} covers {what}.", region(asking));
        return;
    }
    out!(
        "Partners of {} for {what} (active agreements covering it):",
        region(asking)
    );
    let mut t = Table::new(&[
        "partner",
        "agreement",
        "version",
        "max per request",
        "available now",
        "marker",
    ])
    .right(&[2, 3, 4]);
    for p in partners {
        t.row(vec![
            region(&p.region),
            p.agreement_id.clone(),
            p.version.to_string(),
            if p.max_quantity == 0 {
                "-".into()
            } else {
                p.max_quantity.to_string()
            },
            if p.stale || p.unreported {
                "-".into()
            } else {
                p.available.to_string()
            },
            markers(&[(p.stale, STALE), (p.unreported, UNREPORTED)]),
        ]);
    }
    print_table(&t);
    match callable(partners) {
        (_, 0) => out!("callable now: nothing — no partner has current capacity of this type available"),
        (units, from) => out!(
            "callable now: up to {} from {} (each capped by its agreement's maximum)",
            plural(units as usize, "unit"),
            plural(from, "partner")
        ),
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
