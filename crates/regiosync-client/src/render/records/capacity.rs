//! How capacity reports are printed: a region's current report line by line, and the current
//! report of every region with stale, exercise and test reports marked and the regions
//! without one; and the confirmation of a published report.
use anyhow::Result;
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::CapacityView;
use regiosync_records::{time, CodeLists};

use super::ref_json;
use crate::render::table::Table;
use crate::render::{self, ago, field, print_json, region, status_line, status_marker, when, STALE};

/// A capacity report published as record `r`: its `types` resource types, the moments it
/// describes and who it is shared with besides NL.
pub fn published(json: bool, r: &RecordRef, types: usize, as_of: &str, until: &str, audience: &[String]) -> Result<()> {
    if json {
        return print_json(&ref_json(r));
    }
    out!(
        "published the capacity of {} as record {}: {types} resource types, as of {as_of}, valid until {until}",
        region(&r.origin),
        r.id
    );
    let mut to = vec!["NL".to_string()];
    to.extend(audience.iter().cloned());
    out!("shared with {}", to.join(", "));
    Ok(())
}

/// "VEROUDERD (stale), expired 2 d ago", "OEFENING (exercise)", both, or nothing.
fn marker(v: &CapacityView) -> String {
    let status = v.record.as_ref().map_or("", |m| m.status.as_str());
    let mut m: Vec<String> = Vec::new();
    if v.stale {
        let until = v
            .report
            .as_ref()
            .and_then(|r| time::parse_moment("", &r.valid_until).ok());
        m.push(match until {
            Some(ms) => format!("{STALE}, expired {}", ago(ms)),
            None => STALE.to_string(),
        });
    }
    if !status_marker(status).is_empty() {
        m.push(status_marker(status).to_string());
    }
    m.join("; ")
}

/// A region's current report, line by line.
pub fn show(v: &CapacityView) {
    let meta = v.record.clone().unwrap_or_default();
    let r = v.report.clone().unwrap_or_default();
    let cl = r.code_list_version;
    out!("Capacity of {}", region(&v.region));
    out!();
    field(
        "record",
        format!("{} by {}, {}", meta.id, r.author, when(meta.created_unix_ms)),
    );
    field("status", status_line(&meta.status));
    field(
        "as of",
        format!("{} ({})", r.as_of, ago(time::parse_moment("", &r.as_of).unwrap_or(0))),
    );
    let until = time::parse_moment("", &r.valid_until).unwrap_or(0);
    if v.stale {
        field(
            "valid until",
            format!("{}   << {STALE}: {}, not counted >>", r.valid_until, ago(until)),
        );
    } else {
        field("valid until", format!("{} ({})", r.valid_until, ago(until)));
    }
    field("counts in totals", if v.counts { "yes" } else { "no" });
    if v.superseded > 0 {
        field("older reports", format!("{} superseded by this one", v.superseded));
    }
    if !r.remarks.is_empty() {
        field("remarks", &r.remarks);
    }
    out!();
    let mut t = Table::new(&[
        "resource type",
        "group",
        "baseline",
        "available",
        "committed",
        "out of service",
        "+24h",
        "+72h",
        "status",
        "remarks",
    ])
    .right(&[2, 3, 4, 5, 6, 7]);
    let opt = |n: Option<u32>| n.map_or("-".into(), |n| n.to_string());
    for e in &r.entries {
        let group = CodeLists::shipped()
            .version("", cl)
            .ok()
            .and_then(|l| l.get(list::RESOURCE_TYPES, &e.resource_type))
            .and_then(|c| c.group.clone())
            .unwrap_or_default();
        let status = match e.status.as_str() {
            "normal" => "normal".to_string(),
            s => format!(
                "{} ({})",
                s.to_uppercase(),
                render::code_name(cl, list::RESOURCE_STATUS, s)
            ),
        };
        t.row(vec![
            render::resource(cl, &e.resource_type),
            group,
            e.baseline.to_string(),
            e.available.to_string(),
            e.committed.to_string(),
            e.out_of_service.to_string(),
            opt(e.surge_24h),
            opt(e.surge_72h),
            status,
            e.remarks.clone(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
}

/// The current report of every region, and the regions without an actual one.
pub fn print_list(reports: &[CapacityView], missing: &[String]) {
    let mut t = Table::new(&[
        "region",
        "status",
        "as of",
        "valid until",
        "types",
        "not normal",
        "record",
        "marker",
    ])
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
            n => format!("{} (+{} more)", not_normal[..3].join(", "), n - 3),
        };
        t.row(vec![
            region(&v.region),
            meta.status.clone(),
            r.as_of.clone(),
            r.valid_until.clone(),
            r.entries.len().to_string(),
            not_normal,
            meta.id.clone(),
            marker(v),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    let stale = reports.iter().filter(|v| v.stale).count();
    let counted = reports.iter().filter(|v| v.counts).count();
    out!(
        "{} reports: {counted} current and counted, {stale} stale",
        reports.len()
    );
    if missing.is_empty() {
        out!("every region has an actual report");
    } else {
        out!("without an actual report ({}):", missing.len());
        for m in missing {
            out!("  {}", region(m));
        }
    }
}
