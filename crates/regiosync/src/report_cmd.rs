//! `regiosync report region VR06 --period 2026` and `regiosync report national`: the reports of
//! `regiosync_client::report`, written as HTML, PDF or CSV, in Dutch or English.
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::Out;
use regiosync_client::report::{self, Format, Period};
use regiosync_client::Conn;
use serde_json::json;

use crate::args::region_arg;

#[derive(clap::Args)]
pub struct ReportOpts {
    /// The calendar year, e.g. 2026 (default: this year).
    #[arg(long)]
    period: Option<String>,
    /// html (print-ready, A4), pdf (printed by headless Chromium) or csv (one file per table).
    #[arg(long, value_enum, default_value = "html")]
    format: Format,
    /// The file to write (html, pdf) or the folder (csv); default: rapportage-VR06-2026.html
    /// and the like in the current folder.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum ReportCmd {
    /// A region's "in control" report for its general board: ratings and their trend, M or U
    /// twice in a row, improvement actions, when the board was informed, agreements,
    /// assistance given and received, the national comparison, how current the data is. Ask
    /// the region's own node as its operator, or a national node as a coordinator.
    Region {
        region: String,
        #[command(flatten)]
        opts: ReportOpts,
    },
    /// The national picture of the same shape, for the ministry and the inspectorate: per
    /// region, the national distribution of ratings, agreement coverage. Ask a national node as
    /// a coordinator.
    National {
        #[command(flatten)]
        opts: ReportOpts,
    },
}

fn period(opts: &ReportOpts) -> Result<Period> {
    match &opts.period {
        Some(p) => Period::parse(p),
        None => {
            let today = regiosync_records::calendar::day_of(regiosync_types::now_ms());
            let year = regiosync_records::time::format_date(today)[..4].parse()?;
            Ok(Period { year })
        }
    }
}

pub async fn run(conn: &Conn, out: Out, cmd: ReportCmd) -> Result<()> {
    let (doc, opts) = match cmd {
        ReportCmd::Region { region, opts } => {
            let region = region_arg(&region).parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let data = report::region::fetch(conn.channel().await?, region, period(&opts)?, conn.who()).await?;
            (report::region::doc(out.lang, &data), opts)
        }
        ReportCmd::National { opts } => {
            let data = report::national::fetch(conn.channel().await?, period(&opts)?, conn.who()).await?;
            (report::national::doc(out.lang, &data), opts)
        }
    };
    let (format, file) = (opts.format, opts.out.clone());
    let files = tokio::task::spawn_blocking(move || report::write(&doc, format, file.as_deref())).await??;
    if out.json {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        return regiosync_client::render::print_json(&json!({ "files": files }));
    }
    for f in &files {
        println!("{}", f.display());
    }
    Ok(())
}
