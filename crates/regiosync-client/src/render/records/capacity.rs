//! How capacity reports are printed: a region's current report line by line, and the current
//! report of every region with stale, exercise and test reports marked and the regions
//! without one; and the confirmation of a published report.
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::CapacityView;
use regiosync_records::{time, CodeLists};

use super::ref_json;
use crate::render::table::{Table, CAPACITY_COLUMNS};
use crate::render::{
    self, ago, field, moment_str, num, print_json, region, stale, status_line, status_marker, status_name, when, Out,
};

/// A capacity report published as record `r`: its `types` resource types, the moments it
/// describes and who it is shared with besides NL.
pub fn published(out: Out, r: &RecordRef, types: usize, as_of: &str, until: &str, audience: &[String]) -> Result<()> {
    if out.json {
        return print_json(&ref_json(r));
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let args = Args::new()
        .text("region", region(&r.origin))
        .text("id", &r.id)
        .count(lang, "types", types as i64)
        .text("as_of", moment_str(lang, as_of))
        .text("until", moment_str(lang, until));
    out!("{}", c.t("cli-cap-published", &args));
    let mut to = vec!["NL".to_string()];
    to.extend(audience.iter().cloned());
    out!("{}", c.t("cli-shared-with", &Args::new().text("list", to.join(", "))));
    Ok(())
}

/// "VEROUDERD, verlopen 2 dagen geleden", "OEFENING", both, or nothing.
fn marker(lang: Lang, v: &CapacityView) -> String {
    let status = v.record.as_ref().map_or("", |m| m.status.as_str());
    let mut m: Vec<String> = Vec::new();
    if v.stale {
        let until = v
            .report
            .as_ref()
            .and_then(|r| time::parse_moment("", &r.valid_until).ok());
        m.push(match until {
            Some(ms) => Catalog::of(lang).t(
                "cli-cap-stale-expired",
                &Args::new().text("marker", stale(lang)).text("ago", ago(lang, ms)),
            ),
            None => stale(lang),
        });
    }
    if !status_marker(lang, status).is_empty() {
        m.push(status_marker(lang, status));
    }
    m.join("; ")
}

/// "1 dec. 2026 14:05 CET (3 uur geleden)".
fn moment_ago(lang: Lang, s: &str) -> String {
    let ms = time::parse_moment("", s).unwrap_or(0);
    format!("{} ({})", moment_str(lang, s), ago(lang, ms))
}

/// A region's current report, line by line.
pub fn show(lang: Lang, v: &CapacityView) {
    let c = Catalog::of(lang);
    let meta = v.record.clone().unwrap_or_default();
    let r = v.report.clone().unwrap_or_default();
    let cl = r.code_list_version;
    out!(
        "{}",
        c.t("cli-cap-title", &Args::new().text("region", region(&v.region)))
    );
    out!();
    let record = Args::new()
        .text("id", &meta.id)
        .text("author", &r.author)
        .text("at", when(lang, meta.created_unix_ms));
    field(&c.s("cli-label-record"), c.t("cli-record-by-at", &record));
    field(&c.s("cli-label-status"), status_line(lang, &meta.status));
    field(&c.s("cli-label-as-of"), moment_ago(lang, &r.as_of));
    if v.stale {
        let until = time::parse_moment("", &r.valid_until).unwrap_or(0);
        let args = Args::new()
            .text("until", moment_str(lang, &r.valid_until))
            .text("marker", stale(lang))
            .text("ago", ago(lang, until));
        field(&c.s("cli-label-valid-until"), c.t("cli-cap-until-stale", &args));
    } else {
        field(&c.s("cli-label-valid-until"), moment_ago(lang, &r.valid_until));
    }
    field(&c.s("cli-cap-counts"), c.s(if v.counts { "cli-yes" } else { "cli-no" }));
    if v.superseded > 0 {
        let n = Args::new().count(lang, "n", i64::from(v.superseded));
        field(&c.s("cli-cap-older"), c.t("cli-cap-superseded", &n));
    }
    if !r.remarks.is_empty() {
        field(&c.s("cli-label-remarks"), &r.remarks);
    }
    out!();
    let columns = [
        &["cli-col-resource-type", "cli-col-group"][..],
        &CAPACITY_COLUMNS,
        &["cli-col-status", "cli-col-remarks"],
    ]
    .concat();
    let mut t = Table::of(lang, &columns).right(&[2, 3, 4, 5, 6, 7]);
    let opt = |n: Option<u32>| n.map_or("-".into(), |n| num(lang, n));
    for e in &r.entries {
        let group = CodeLists::shipped()
            .version("", cl)
            .ok()
            .and_then(|l| l.get(list::RESOURCE_TYPES, &e.resource_type))
            .and_then(|c| c.group.clone())
            .map(|g| render::state(lang, "group", &g))
            .unwrap_or_default();
        let name = render::code_name(lang, cl, list::RESOURCE_STATUS, &e.status);
        let status = match e.status.as_str() {
            "normal" => name.to_lowercase(),
            s => format!("{} ({name})", s.to_uppercase()),
        };
        t.row(vec![
            render::resource(lang, cl, &e.resource_type),
            group,
            num(lang, e.baseline),
            num(lang, e.available),
            num(lang, e.committed),
            num(lang, e.out_of_service),
            opt(e.surge_24h),
            opt(e.surge_72h),
            status,
            e.remarks.clone(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
}

/// The current report of every region, and the regions without an actual one.
pub fn print_list(lang: Lang, reports: &[CapacityView], missing: &[String]) {
    let c = Catalog::of(lang);
    let mut t = Table::of(
        lang,
        &[
            "cli-col-region",
            "cli-col-status",
            "cli-col-as-of",
            "cli-col-valid-until",
            "cli-col-types",
            "cli-col-not-normal",
            "cli-col-record",
            "cli-col-marker",
        ],
    )
    .right(&[4]);
    for v in reports {
        let meta = v.record.clone().unwrap_or_default();
        let r = v.report.clone().unwrap_or_default();
        let not_normal: Vec<String> = r
            .entries
            .iter()
            .filter(|e| e.status != "normal")
            .map(|e| format!("{} {}", e.resource_type, e.status))
            .collect();
        let not_normal = match not_normal.len() {
            0..=3 => not_normal.join(", "),
            n => c.t(
                "cli-cap-more",
                &Args::new()
                    .text("list", not_normal[..3].join(", "))
                    .count(lang, "n", (n - 3) as i64),
            ),
        };
        t.row(vec![
            region(&v.region),
            status_name(lang, &meta.status),
            moment_str(lang, &r.as_of),
            moment_str(lang, &r.valid_until),
            num(lang, r.entries.len()),
            not_normal,
            meta.id.clone(),
            marker(lang, v),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    let stale = reports.iter().filter(|v| v.stale).count();
    let counted = reports.iter().filter(|v| v.counts).count();
    let args = Args::new()
        .count(lang, "n", reports.len() as i64)
        .count(lang, "counted", counted as i64)
        .count(lang, "stale", stale as i64);
    out!("{}", c.t("cli-cap-list-summary", &args));
    if missing.is_empty() {
        out!("{}", c.s("cli-cap-none-missing"));
    } else {
        let n = Args::new().count(lang, "n", missing.len() as i64);
        out!("{}", c.t("cli-cap-missing", &n));
        for m in missing {
            out!("  {}", region(m));
        }
    }
}
