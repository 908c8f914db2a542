//! `regiosync capacity ...`: publish your region's capacity from a report file or a spreadsheet
//! export, and read the current reports with stale, exercise and test reports marked.
use anyhow::{bail, Context, Result};
use regiosync_client::render::table::Table;
use regiosync_client::render::time::now_ms;
use regiosync_client::render::{self, ago, field, print_json, region, status_line, status_marker, when};
use regiosync_client::{capacity_csv, files, out, rpc_error, Conn};
use regiosync_node::pb;
use regiosync_records::codes::list;
use regiosync_records::pb::{CapacityReport, CapacityView};
use regiosync_records::{time, CodeLists};
use serde_json::json;

use super::{ref_json, region_arg, write_status, CapacityCmd};

pub const STALE: &str = "VEROUDERD (stale)";

pub async fn run(conn: &Conn, json: bool, cmd: CapacityCmd) -> Result<()> {
    match cmd {
        CapacityCmd::Publish {
            file,
            csv,
            as_of,
            valid_until,
            status,
            audience,
            remarks,
        } => {
            let now = now_ms();
            let (mut report, lines, source) = match (file, csv) {
                (Some(f), _) => {
                    let r: CapacityReport = files::load(&f)?;
                    files::author_left_out(&f, "", &r.author)?;
                    (r, Vec::new(), f)
                }
                (None, Some(f)) => {
                    if as_of.is_none() || valid_until.is_none() {
                        bail!("--csv needs --as-of and --valid-until, e.g. --as-of now --valid-until +24h");
                    }
                    let (report, lines) = capacity_csv::report(&f)?;
                    (report, lines, f)
                }
                (None, None) => bail!("give a report file (.toml or .json) or --csv FILE"),
            };
            if let Some(m) = as_of {
                report.as_of = moment("--as-of", &m, now)?;
            }
            if let Some(m) = valid_until {
                report.valid_until = moment("--valid-until", &m, now)?;
            }
            if let Some(r) = remarks {
                report.remarks = r;
            }
            let status = write_status(status.as_deref())?;
            let audience: Vec<String> = audience
                .iter()
                .map(|a| region_arg(a))
                .filter(|a| !a.is_empty())
                .collect();
            let types = report.entries.len();
            let (as_of, until) = (report.as_of.clone(), report.valid_until.clone());
            let req = pb::PublishCapacityRequest {
                report: Some(report),
                status,
                audience: audience.clone(),
            };
            let r = conn
                .records()
                .await?
                .publish_capacity(req)
                .await
                .map_err(|s| capacity_csv::at_line(rpc_error(s), &source, &lines))?
                .into_inner();
            if json {
                return print_json(&ref_json(&r));
            }
            out!(
                "published the capacity of {} as record {}: {types} resource types, as of {as_of}, valid until {until}",
                region(&r.origin),
                r.id
            );
            let mut to = vec!["NL".to_string()];
            to.extend(audience);
            out!("shared with {}", to.join(", "));
            Ok(())
        }
        CapacityCmd::Show { region: r } => {
            let req = pb::GetCapacityRequest { region: region_arg(&r) };
            let v = conn
                .records()
                .await?
                .get_capacity(req)
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                return print_json(&v);
            }
            show(&v);
            Ok(())
        }
        CapacityCmd::List { all } => {
            let req = pb::ListCapacityRequest {
                include_non_actual: all,
            };
            let l = conn
                .records()
                .await?
                .list_capacity(req)
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                return print_json(&json!({"reports": l.reports, "missing": l.missing}));
            }
            print_list(&l.reports, &l.missing);
            Ok(())
        }
    }
}

/// A moment: RFC 3339 in UTC, "now", or now plus or minus hours or days ("+24h", "-2h", "+7d").
fn moment(flag: &str, s: &str, now: i64) -> Result<String> {
    let s = s.trim();
    let ms = if s.eq_ignore_ascii_case("now") {
        now
    } else if let Some(rel) = s
        .strip_prefix('+')
        .map(|r| (1, r))
        .or(s.strip_prefix('-').map(|r| (-1, r)))
    {
        let (sign, rest) = rel;
        let (n, unit) = rest.split_at(rest.len().saturating_sub(1));
        let n: i64 = n.parse().ok().filter(|_| !n.is_empty()).with_context(|| bad(flag, s))?;
        let unit_ms = match unit {
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => bail!(bad(flag, s)),
        };
        now + sign * n * unit_ms
    } else {
        time::parse_moment(flag, s).map_err(|_| anyhow::anyhow!(bad(flag, s)))?
    };
    // Whole seconds: what the record format writes.
    Ok(time::format_moment(ms - ms.rem_euclid(1000)))
}

fn bad(flag: &str, s: &str) -> String {
    format!("{flag}: '{s}' is not a moment (YYYY-MM-DDTHH:MM:SSZ in UTC, now, or relative: +24h, -2h, +7d)")
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

fn show(v: &CapacityView) {
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

fn print_list(reports: &[CapacityView], missing: &[String]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments() {
        let now = time::parse_moment("", "2026-11-29T17:00:00Z").unwrap() + 123;
        assert_eq!(moment("--as-of", "now", now).unwrap(), "2026-11-29T17:00:00Z");
        assert_eq!(moment("--as-of", "-2h", now).unwrap(), "2026-11-29T15:00:00Z");
        assert_eq!(moment("--valid-until", "+24h", now).unwrap(), "2026-11-30T17:00:00Z");
        assert_eq!(moment("--valid-until", "+7d", now).unwrap(), "2026-12-06T17:00:00Z");
        assert_eq!(
            moment("--as-of", "2026-11-28T08:00:00Z", now).unwrap(),
            "2026-11-28T08:00:00Z"
        );
        let e = moment("--valid-until", "morgen", now).unwrap_err().to_string();
        assert!(e.starts_with("--valid-until: 'morgen' is not a moment"), "{e}");
        assert!(moment("--valid-until", "+h", now).is_err());
        assert!(moment("--valid-until", "+3w", now).is_err());
    }
}
