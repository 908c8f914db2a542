//! `regiosync capacity ...`: publish your region's capacity from a report file or a spreadsheet
//! export (`--as-of` and `--valid-until` as moments, "now" or relative), and read the current
//! reports (printed by `regiosync_client::render::records::capacity`).
use anyhow::Result;
use regiosync_client::render::records::capacity::{print_list, published, show};
use regiosync_client::render::time::now_ms;
use regiosync_client::render::{answer, more_line, page, page_json, print_json, Out};
use regiosync_client::said::Text;
use regiosync_client::{capacity_csv, files, rpc_error, Conn};
use regiosync_node::pb;
use regiosync_records::pb::CapacityReport;
use serde_json::json;

use super::{write_status, CapacityCmd};
use crate::args::moment;
use crate::args::region_arg;

pub async fn run(conn: &Conn, out: Out, cmd: CapacityCmd) -> Result<()> {
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
                        return Err(Text::new("cmd-capacity-csv-times").into());
                    }
                    let (report, lines) = capacity_csv::report(&f)?;
                    (report, lines, f)
                }
                (None, None) => return Err(Text::new("cmd-capacity-no-input").into()),
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
            // Accepted (it may be written down afterwards), but it counts as stale at once.
            if let Ok(until) = regiosync_records::time::parse_moment("valid_until", &report.valid_until) {
                if until <= now {
                    let at = regiosync_i18n::moment(out.lang, until);
                    let args = regiosync_i18n::Args::new().text("at", at);
                    eprintln!(
                        "{}",
                        regiosync_i18n::Catalog::of(out.lang).t("cli-cap-warn-passed", &args)
                    );
                }
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
            published(out, &r, types, &as_of, &until, &audience)
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
            answer(out, &v, show)
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
            if out.json {
                let mut page = page_json("reports", json!(reports), &next);
                page["missing"] = json!(l.missing);
                return print_json(&page);
            }
            print_list(out.lang, &reports, &l.missing);
            more_line(out.lang, &next);
            Ok(())
        }
    }
}
