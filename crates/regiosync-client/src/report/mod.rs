//! Reports a region can put before its general board, and the national picture for the
//! ministry (`regiosync report region VR06 --period 2026`, `regiosync report national`): in
//! Dutch by default, print-ready HTML, PDF through headless Chromium, and every table as CSV.
//! Each report says which node answered and how current each figure is.
//!
//! - `doc`: the document model every format renders;
//! - `region`, `national`: the questions asked and the document built from the answers;
//! - `html`, `pdf`, `csv`: the formats.
pub mod csv;
pub mod doc;
pub mod html;
pub mod national;
pub mod pdf;
pub mod region;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::said::{Tell, Text};
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{AssistanceByRegionRequest, ListEvaluationsRequest};
use regiosync_records::codes::{list, CodeList, CodeLists};
use regiosync_records::pb;
use regiosync_records::time::{parse_date, parse_moment};
use tonic::transport::Channel;

use doc::{Block, Cell, Doc, Section, Table, Tone};

/// A calendar year: `[1 January, 1 January of the next year)` in Dutch days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub year: u32,
}

impl Period {
    /// `2026`; years 2000 to 2999.
    pub fn parse(s: &str) -> Result<Period> {
        match s.trim().parse::<u32>() {
            Ok(year) if (2000..3000).contains(&year) => Ok(Period { year }),
            _ => Err(Text::new("err-report-period").arg("value", s).into()),
        }
    }

    /// The first day, `YYYY-01-01`.
    pub fn from(&self) -> String {
        format!("{:04}-01-01", self.year)
    }

    /// The day after the last, `YYYY+1-01-01` (the questions take `[from, to)`).
    pub fn to(&self) -> String {
        format!("{:04}-01-01", self.year + 1)
    }

    /// The last day, `YYYY-12-31`.
    pub fn last(&self) -> String {
        format!("{:04}-12-31", self.year)
    }

    /// Whether a date (`YYYY-MM-DD`) lies in it.
    pub fn holds(&self, date: &str) -> bool {
        parse_date("date", date).is_ok() && date.starts_with(&format!("{:04}-", self.year))
    }
}

/// What a report needs to turn codes and moments into text.
pub struct Texts {
    pub lang: Lang,
    codes: &'static CodeList,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts {
            lang,
            codes: CodeLists::shipped().latest(),
        }
    }

    /// A code's name in the report's language (Dutch from the code list).
    pub fn code(&self, list: &str, code: &str) -> String {
        if code.is_empty() {
            return "–".into();
        }
        let dutch = self.codes.get(list, code).map(|c| c.name.as_str());
        Catalog::of(self.lang).code_name(list, code, dutch)
    }

    pub fn agreement_state(&self, state: &str) -> String {
        let id = format!("agreement-state-{state}");
        let c = Catalog::of(self.lang);
        if c.has(&id) {
            c.s(&id)
        } else {
            state.to_string()
        }
    }

    /// An RFC 3339 moment as the records hold it, in Dutch time.
    pub fn moment_str(&self, s: &str) -> String {
        parse_moment("moment", s).map_or_else(|_| s.to_string(), |ms| regiosync_i18n::moment(self.lang, ms))
    }

    /// `2026`.
    pub fn period(&self, p: &Period) -> String {
        p.year.to_string()
    }

    /// `1 jan. 2026 tot en met 31 dec. 2026`.
    pub fn period_range(&self, p: &Period) -> String {
        Catalog::of(self.lang).t(
            "report-period-value",
            &Args::new()
                .text("from", regiosync_i18n::date_str(self.lang, &p.from()))
                .text("to", regiosync_i18n::date_str(self.lang, &p.last())),
        )
    }
}

/// Every evaluation the node holds of `region` (empty: every region) in `year` (0: every
/// year), page by page, newest event first: each once, as its current version, withdrawn
/// ones left out (what the report counts).
async fn all_evaluations(r: &mut RecordsClient<Channel>, region: &str, year: u32) -> Result<Vec<pb::EvaluationView>> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = r
            .list_evaluations(ListEvaluationsRequest {
                region: region.to_string(),
                year,
                page_size: 500,
                page_token: token.clone(),
                include_withdrawn: false,
            })
            .await
            .map_err(crate::rpc_error)
            .told(Text::new("err-report-evaluations"))?
            .into_inner();
        out.extend(page.evaluations);
        if page.next_page_token.is_empty() {
            return Ok(out);
        }
        token = page.next_page_token;
    }
}

/// Assistance per region over the period.
async fn assistance(q: &mut QueriesClient<Channel>, period: &Period) -> Result<pb::AssistanceByRegion> {
    Ok(q.assistance_by_region(AssistanceByRegionRequest {
        from: period.from(),
        to: period.to(),
    })
    .await
    .map_err(crate::rpc_error)
    .told(Text::new("err-report-assistance"))?
    .into_inner())
}

/// Under a report's title: the period, the node that answered, the time of the data, who asked.
fn meta(lang: Lang, period: &Period, node: &str, at: &str, asked_by: &str) -> Vec<(String, String)> {
    let c = Catalog::of(lang);
    vec![
        (c.s("report-period"), Texts::new(lang).period_range(period)),
        (
            c.s("report-node"),
            c.t("report-node-value", &Args::new().text("node", node.to_string())),
        ),
        (c.s("report-data-at"), at.to_string()),
        (c.s("report-asked-as"), asked_by.to_string()),
    ]
}

/// A report's last paragraph: how its figures were made.
fn closing(lang: Lang) -> String {
    Catalog::of(lang).t(
        "report-made-by",
        &Args::new().text("version", env!("CARGO_PKG_VERSION")),
    )
}

/// The rated areas, in the code list's order.
pub fn areas() -> Vec<String> {
    CodeLists::shipped()
        .latest()
        .codes(list::RATED_AREAS)
        .into_iter()
        .map(|(code, _)| code.to_string())
        .collect()
}

/// Days from one date to a later one (`None` when either is not a date).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(parse_date("date", to).ok()? - parse_date("date", from).ok()?)
}

/// "2 of 7 (29%)", or "–" when nothing was asked.
fn share(lang: Lang, part: u64, whole: u64) -> Cell {
    match regiosync_i18n::percent(lang, part, whole) {
        None => Cell::shown("–", ""),
        Some(pct) => Cell::shown(
            Catalog::of(lang).t(
                "value-of",
                &Args::new()
                    .text("part", regiosync_i18n::int(lang, part as i64))
                    .text("whole", regiosync_i18n::int(lang, whole as i64))
                    .text("pct", pct),
            ),
            format!("{part}/{whole}"),
        ),
    }
}

/// A median over requests: "12 min (mediaan over 3 verzoeken)"; "–" when none, with how many
/// had no such step yet.
fn median(lang: Lang, d: Option<&pb::DurationStats>) -> Cell {
    let c = Catalog::of(lang);
    let d = d.cloned().unwrap_or_default();
    let without = (d.without > 0).then(|| c.t("value-without", &Args::new().count(lang, "n", i64::from(d.without))));
    if d.count == 0 {
        let text = without.map_or("–".to_string(), |w| format!("– ({w})"));
        return Cell::shown(text, "");
    }
    let text = c.t(
        "value-median",
        &Args::new()
            .text("median", regiosync_i18n::minutes(lang, d.median_ms))
            .count(lang, "n", i64::from(d.count)),
    );
    let text = match without {
        Some(w) => format!("{text}; {w}"),
        None => text,
    };
    Cell::shown(text, iso_duration(d.median_ms))
}

/// A duration as ISO 8601 for CSV: `PT56S`, `PT3M56S`, `PT2H5M`.
pub fn iso_duration(ms: i64) -> String {
    let s = (ms.max(0) + 500) / 1000;
    let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// A region's assistance as requester and as a member asked, over the period.
pub(crate) fn assistance_section(lang: Lang, period: &Period, a: Option<&pb::RegionAssistance>) -> Section {
    let c = Catalog::of(lang);
    let tx = Texts::new(lang);
    let a = a.cloned().unwrap_or_default();
    let head = vec![c.s("col-figure"), c.s("col-value")];
    let mut asked = Table::new("bijstand-gevraagd", head.clone()).caption(c.s("assist-as-requester"));
    asked.row(vec![
        Cell::text(c.s("assist-made")),
        Cell::int(lang, i64::from(a.requests_made)),
    ]);
    asked.row(vec![
        Cell::text(c.s("assist-committed")),
        share(lang, a.units_committed, a.units_requested),
    ]);
    asked.row(vec![
        Cell::text(c.s("assist-first-offer")),
        median(lang, a.first_offer.as_ref()),
    ]);
    asked.row(vec![
        Cell::text(c.s("assist-first-commitment")),
        median(lang, a.first_commitment.as_ref()),
    ]);
    let mut given = Table::new("bijstand-gegeven", head).caption(c.s("assist-as-asked"));
    given.row(vec![
        Cell::text(c.s("assist-received")),
        Cell::int(lang, i64::from(a.requests_received)),
    ]);
    let unanswered = a.requests_received.saturating_sub(a.answered);
    given.row(vec![
        Cell::text(c.s("assist-answered")),
        Cell::int(lang, i64::from(a.answered)).tone(if unanswered > 0 { Tone::Warn } else { Tone::Plain }),
    ]);
    given.row(vec![
        Cell::text(c.s("assist-provided")),
        share(lang, a.units_provided, a.units_asked),
    ]);
    given.row(vec![
        Cell::text(c.s("assist-first-answer")),
        median(lang, a.first_answer.as_ref()),
    ]);
    let declines: Vec<String> = a
        .declines
        .iter()
        .map(|d| format!("{}: {}", tx.code(list::DECLINE_REASONS, &d.reason), d.count))
        .collect();
    let raw: Vec<String> = a.declines.iter().map(|d| format!("{}={}", d.reason, d.count)).collect();
    given.row(vec![
        Cell::text(c.s("assist-declines")),
        match declines.is_empty() {
            true => Cell::shown(c.s("value-none"), ""),
            false => Cell::shown(declines.join("; "), raw.join(",")),
        },
    ]);
    Section {
        id: "bijstand",
        title: c.s("sec-assistance"),
        intro: Some(
            c.t(
                "sec-assistance-intro",
                &Args::new()
                    .text("from", regiosync_i18n::date_str(lang, &period.from()))
                    .text("to", regiosync_i18n::date_str(lang, &period.last())),
            ),
        ),
        blocks: vec![Block::Facts(asked), Block::Facts(given)],
    }
}

/// The formats a report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Pdf,
    Csv,
}

/// Write `doc` as `format` to `out` (a file for html and pdf, a folder for csv; by default
/// `<stem>.html`, `<stem>.pdf` or the folder `<stem>` in the current folder). The files
/// written.
pub fn write(doc: &Doc, format: Format, out: Option<&Path>) -> Result<Vec<PathBuf>> {
    let default = |ext: &str| PathBuf::from(format!("{}{ext}", doc.stem));
    match format {
        Format::Html => {
            let path = out.map_or_else(|| default(".html"), Path::to_path_buf);
            std::fs::write(&path, html::render(doc))
                .told_with(|| Text::new("err-writing").arg("path", path.display()))?;
            Ok(vec![path])
        }
        Format::Pdf => {
            let path = out.map_or_else(|| default(".pdf"), Path::to_path_buf);
            pdf::print(&html::render(doc), &path)?;
            Ok(vec![path])
        }
        Format::Csv => {
            let dir = out.map_or_else(|| default(""), Path::to_path_buf);
            std::fs::create_dir_all(&dir).told_with(|| Text::new("err-creating").arg("path", dir.display()))?;
            let mut written = Vec::new();
            for (name, text) in csv::files(doc) {
                let path = dir.join(name);
                std::fs::write(&path, text).told_with(|| Text::new("err-writing").arg("path", path.display()))?;
                written.push(path);
            }
            Ok(written)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_for_spreadsheets() {
        assert_eq!(super::iso_duration(56_000), "PT56S");
        assert_eq!(super::iso_duration(236_400), "PT3M56S");
        assert_eq!(super::iso_duration(7_500_000), "PT2H5M");
        assert_eq!(super::iso_duration(0), "PT0S");
    }

    #[test]
    fn a_period_is_a_calendar_year() {
        let p = super::Period::parse("2026").unwrap();
        assert_eq!(
            (p.from(), p.to(), p.last()),
            ("2026-01-01".into(), "2027-01-01".into(), "2026-12-31".into())
        );
        assert!(p.holds("2026-12-31") && !p.holds("2027-01-01") && !p.holds("2026"));
        assert_eq!(
            super::Period::parse("26").unwrap_err().to_string(),
            "--period: '26' is not a year, e.g. 2026"
        );
    }
}
