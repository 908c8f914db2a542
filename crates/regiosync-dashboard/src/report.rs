//! The reports of `regiosync report`, served by the dashboard with the same certificate:
//!
//! | path | answers |
//! |---|---|
//! | `/report/region/VR06?period=2026&lang=nl&format=html` | the board report, print-ready HTML |
//! | `...&format=pdf` | the same, printed to PDF by headless Chromium (a download) |
//! | `...&format=csv` | a page linking every table as CSV; `&table=<id>`: that table |
//! | `/report/national?...` | the national picture, with the same parameters |
//!
//! `period` defaults to this year, `lang` to `regiosync dashboard --lang`, else the browser's
//! `Accept-Language` (Dutch when it
//! names neither language).
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use regiosync_client::report::{self, csv, doc::Doc, html, Format, Period};
use regiosync_types::NodeId;

use crate::api::{Api, ApiError};
use crate::http::{base, Body, Query};

/// Reports carry their style inline and have no script.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn bad(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "InvalidArgument", m)
}

/// The report for `path` (starting with `/report/`).
pub async fn respond(api: &Api, path: &str, q: &Query, accept_language: &str) -> Result<Response<Body>, ApiError> {
    q.only(&["period", "lang", "format", "table"])?;
    let lang = api.lang(q, accept_language)?;
    let period = match q.get("period") {
        Some(p) => Period::parse(p).map_err(|e| bad(e.to_string()))?,
        None => {
            let today = regiosync_records::calendar::day_of(regiosync_types::now_ms());
            let year = regiosync_records::time::format_date(today)[..4].parse().unwrap_or(2026);
            Period { year }
        }
    };
    let format = match q.get("format").unwrap_or("html") {
        "html" => Format::Html,
        "pdf" => Format::Pdf,
        "csv" => Format::Csv,
        f => return Err(bad(format!("format: '{f}' is not html, pdf or csv"))),
    };
    let unreachable = |e: anyhow::Error| ApiError::new(StatusCode::BAD_GATEWAY, "Unavailable", format!("{e:#}"));
    let who = api.settings.who.clone();
    let doc = match path.strip_prefix("/report/") {
        Some("national") => {
            let data = report::national::fetch(api.channel.clone(), period, who)
                .await
                .map_err(unreachable)?;
            report::national::doc(lang, &data)
        }
        Some(rest) if rest.starts_with("region/") => {
            let region: NodeId = rest["region/".len()..]
                .to_ascii_uppercase()
                .parse()
                .map_err(|e| bad(format!("{e}")))?;
            let data = report::region::fetch(api.channel.clone(), region, period, who)
                .await
                .map_err(unreachable)?;
            report::region::doc(lang, &data)
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("{path}: no such report (/report/region/VR06 or /report/national)"),
            ))
        }
    };
    match format {
        Format::Html => Ok(page(html::render(&doc))),
        Format::Pdf => {
            let html = html::render(&doc);
            let pdf = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<u8>> {
                let dir = tempfile::tempdir()?;
                let out = dir.path().join("report.pdf");
                report::pdf::print(&html, &out)?;
                Ok(std::fs::read(&out)?)
            })
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal", e.to_string()))?
            .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Unavailable", format!("{e:#}")))?;
            Ok(download(pdf, "application/pdf", &format!("{}.pdf", doc.stem)))
        }
        Format::Csv => match q.get("table") {
            None => Ok(page(csv_index(&doc, path, q))),
            Some(id) => {
                let t = csv::files(&doc)
                    .into_iter()
                    .find(|(name, _)| name.ends_with(&format!("-{id}.csv")))
                    .ok_or_else(|| bad(format!("table: '{id}' is not a table of this report")))?;
                Ok(download(
                    t.1.into_bytes(),
                    "text/csv; charset=utf-8",
                    &format!("{}-{}", doc.stem, t.0),
                ))
            }
        },
    }
}

fn page(html: String) -> Response<Body> {
    let mut r = base(StatusCode::OK, "text/html; charset=utf-8", html);
    r.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response<Body> {
    let mut r = base(StatusCode::OK, content_type, bytes);
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A page that links each table of the report as CSV.
fn csv_index(doc: &Doc, path: &str, q: &Query) -> String {
    let keep: String = ["period", "lang"]
        .iter()
        .filter_map(|k| q.get(k).map(|v| format!("&{k}={}", html::escape(v))))
        .collect();
    let links: String = csv::files(doc)
        .iter()
        .map(|(name, _)| {
            let id = name
                .split_once('-')
                .map_or(name.as_str(), |(_, rest)| rest)
                .trim_end_matches(".csv");
            format!("<li><a href=\"{path}?format=csv&table={id}{keep}\">{name}</a></li>")
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} (CSV)</title></head><body><h1>{} (CSV)</h1><ul>{links}</ul></body></html>",
        doc.lang.code(),
        html::escape(&doc.title),
        html::escape(&doc.title)
    )
}
