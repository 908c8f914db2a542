//! A report as one self-contained HTML page (no script, no external file): readable on screen,
//! and print-ready on A4 with page breaks kept out of tables and key figures, table heads
//! repeated on every page, and the footer (region, period, node, time of the data, page
//! number) in the bottom margin of every printed page.
use super::doc::{Block, Doc, Table};

/// Text as HTML: the same escaping as the EDXL-RM export's XML (`&`, `<`, `>`, `"`, `'`).
pub use regiosync_records::edxl::escape;

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 15mm 20mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #1b1f24; line-height: 1.4; margin: 0 auto; max-width: 190mm; padding: 8mm 0 16mm; }
header.report { border-bottom: 2px solid #154273; padding-bottom: 4mm; margin-bottom: 6mm; }
header.report h1 { color: #154273; font-size: 18pt; margin: 0 0 1mm; }
header.report .sub { font-size: 11pt; margin: 0 0 3mm; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 5mm; margin: 0; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
h2 { color: #154273; font-size: 13pt; margin: 7mm 0 2mm; break-after: avoid; }
p.intro { margin: 0 0 2mm; color: #3b4250; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; }
table.facts { break-inside: avoid; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
caption { text-align: left; font-weight: bold; padding: 1mm 0; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.3mm solid #d5dae1; }
thead th { border-bottom: 0.5mm solid #154273; font-size: 9pt; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { width: 55%; font-weight: normal; }
table.facts td { font-weight: bold; }
.good { color: #1e6b3a; }
.warn { color: #8a5a00; background: #fff4dc; }
.bad { color: #a4161a; background: #fde5e3; font-weight: bold; }
p.closing { margin-top: 8mm; font-size: 8.5pt; color: #3b4250; }
@media print {
  body { padding: 0; max-width: none; }
}
"#;

/// A string as a CSS string literal (for the page margin boxes' `content`).
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            // Never `</style>` inside the style element.
            '<' => out.push_str("\\3c "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The footer on every printed page (CSS page margin boxes): the document's footer on the
/// left, the page number on the right.
fn page_footer(doc: &Doc) -> String {
    let page = match doc.lang {
        regiosync_i18n::Lang::Nl => "pagina ",
        regiosync_i18n::Lang::En => "page ",
    };
    format!(
        "@page {{ @bottom-left {{ content: {}; font-size: 7.5pt; color: #3b4250; }} @bottom-right {{ content: {} counter(page) \" / \" counter(pages); font-size: 7.5pt; color: #3b4250; }} }}",
        css_string(&doc.footer),
        css_string(page)
    )
}

fn table(out: &mut String, t: &Table, class: &str) {
    out.push_str(&format!("<table id=\"{}\" class=\"{class}\">", escape(&t.id)));
    if let Some(c) = &t.caption {
        out.push_str(&format!("<caption>{}</caption>", escape(c)));
    }
    let num = |i: usize| if t.numeric.contains(&i) { " class=\"num\"" } else { "" };
    if class != "facts" {
        out.push_str("<thead><tr>");
        for (i, h) in t.head.iter().enumerate() {
            out.push_str(&format!("<th scope=\"col\"{}>{}</th>", num(i), escape(h)));
        }
        out.push_str("</tr></thead>");
    }
    out.push_str("<tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let mut classes: Vec<&str> = Vec::new();
            if t.numeric.contains(&i) {
                classes.push("num");
            }
            if let Some(tone) = c.tone.class() {
                classes.push(tone);
            }
            let attr = match classes.is_empty() {
                true => String::new(),
                false => format!(" class=\"{}\"", classes.join(" ")),
            };
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            out.push_str(&format!("<{tag}{attr}>{}</{close}>", escape(&c.text)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The whole page.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}{}</style></head><body>",
        doc.lang.code(),
        escape(&doc.title),
        page_footer(doc)
    ));
    out.push_str(&format!(
        "<header class=\"report\"><h1>{}</h1><p class=\"sub\">{}</p><dl class=\"meta\">",
        escape(&doc.title),
        escape(&doc.subtitle)
    ));
    for (k, v) in &doc.meta {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v)));
    }
    out.push_str("</dl></header><main>");
    for s in &doc.sections {
        out.push_str(&format!("<section id=\"{}\"><h2>{}</h2>", s.id, escape(&s.title)));
        if let Some(intro) = &s.intro {
            out.push_str(&format!("<p class=\"intro\">{}</p>", escape(intro)));
        }
        for b in &s.blocks {
            match b {
                Block::Facts(t) => table(&mut out, t, "facts"),
                Block::Table(t) => table(&mut out, t, "data"),
                Block::Note(n) => out.push_str(&format!("<p>{}</p>", escape(n))),
            }
        }
        out.push_str("</section>");
    }
    out.push_str(&format!(
        "</main><p class=\"closing\">{}</p></body></html>\n",
        escape(&doc.closing)
    ));
    out
}
