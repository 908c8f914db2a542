//! Every table of a report as a CSV file, as Dutch spreadsheets open them: UTF-8 with a byte
//! order mark, `;` between fields, CRLF line ends, a field quoted when it holds `;`, `"` or a
//! line end. The first line is the column heads in the report's language; values are the
//! cells' raw values (dates as `2026-12-01`, numbers without separators).
use super::doc::{Block, Doc, Table};

fn field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| field(&c)).collect();
    out.push_str(&cells.join(";"));
    out.push_str("\r\n");
}

/// One table as CSV text (with the byte order mark).
pub fn table(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    line(&mut out, t.head.iter().cloned());
    for row in &t.rows {
        line(&mut out, row.iter().map(|c| c.raw.clone()));
    }
    out
}

/// `(file name, CSV text)` for every table and key-figure block, numbered in the report's
/// order: `01-summary.csv`, `02-ratings.csv`, ...
pub fn files(doc: &Doc) -> Vec<(String, String)> {
    doc.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Facts(t) | Block::Table(t) => Some(t),
            Block::Note(_) => None,
        })
        .enumerate()
        .map(|(i, t)| (format!("{:02}-{}.csv", i + 1, t.id), table(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::doc::{Cell, Table};

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut t = Table::new("t", vec!["Naam".into(), "Aantal".into()]);
        t.row(vec![Cell::text("Brand; groot"), Cell::shown("28.469", "28469")]);
        t.row(vec![Cell::text("zegt \"ja\"\nen nee"), Cell::text("1")]);
        assert_eq!(
            super::table(&t),
            "\u{feff}Naam;Aantal\r\n\"Brand; groot\";28469\r\n\"zegt \"\"ja\"\"\nen nee\";1\r\n"
        );
    }
}
