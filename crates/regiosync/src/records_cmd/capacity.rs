//! `regiosync capacity ...`: publish your region's capacity from a report file or a spreadsheet
//! export (`--as-of` and `--valid-until` as moments, "now" or relative), and read the current
//! reports (printed by `regiosync_client::render::records::capacity`).
use anyhow::{bail, Context, Result};
use regiosync_client::render::records::capacity::{print_list, published, show};
use regiosync_client::render::time::now_ms;
use regiosync_client::render::{answer, more_line, page, page_json, print_json};
use regiosync_client::{capacity_csv, files, rpc_error, Conn};
use regiosync_node::pb;
use regiosync_records::pb::CapacityReport;
use regiosync_records::time;
use serde_json::json;

use super::{write_status, CapacityCmd};
use crate::args::region_arg;

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
            published(json, &r, types, &as_of, &until, &audience)
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
            answer(json, &v, show)
        }
        CapacityCmd::List { all, limit, cursor } => {
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
            // One report per region and status: the cursor names the last one shown.
            let key = |r: &regiosync_records::pb::CapacityView| {
                format!("{}/{}", r.region, r.record.as_ref().map_or("", |m| m.status.as_str()))
            };
            let (reports, next) = page(l.reports, key, limit, cursor.as_deref())?;
            if json {
                let mut out = page_json("reports", json!(reports), &next);
                out["missing"] = json!(l.missing);
                return print_json(&out);
            }
            print_list(&reports, &l.missing);
            more_line(&next);
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
