//! Capacity lines from a spreadsheet export (`capacity publish --csv`): the columns, in English
//! or Dutch, mapped onto `CapacityEntry`, with errors that name the file, line and column.
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use regiosync_records::codes::{list, CodeList};
use regiosync_records::pb::{CapacityEntry, CapacityReport};
use regiosync_records::CodeLists;

use crate::csv;
use crate::said::{Tell, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    ResourceType,
    Baseline,
    Available,
    Committed,
    OutOfService,
    Surge24h,
    Surge72h,
    Status,
    Remarks,
}

/// Accepted header names (after lower-casing and turning spaces and '-' into '_'), the first
/// English, the second the Dutch name shown in messages.
const COLUMNS: &[(Col, &[&str])] = &[
    (
        Col::ResourceType,
        &["resource_type", "eenheid", "type", "eenheid_type", "eenheid/type"],
    ),
    (Col::Baseline, &["baseline", "basis"]),
    (Col::Available, &["available", "beschikbaar"]),
    (Col::Committed, &["committed", "ingezet"]),
    (Col::OutOfService, &["out_of_service", "buiten_dienst"]),
    (Col::Surge24h, &["surge_24h", "opschaling_24u", "opschaling_24h"]),
    (Col::Surge72h, &["surge_72h", "opschaling_72u", "opschaling_72h"]),
    (Col::Status, &["status"]),
    (Col::Remarks, &["remarks", "opmerking", "opmerkingen"]),
];

const REQUIRED: [Col; 5] = [
    Col::ResourceType,
    Col::Baseline,
    Col::Available,
    Col::Committed,
    Col::OutOfService,
];

/// "available (beschikbaar)": the English and the Dutch name of a column.
fn shown(col: Col) -> String {
    let names: &[&str] = COLUMNS.iter().find(|(c, _)| *c == col).map_or(&[], |(_, n)| n);
    match names {
        [en, nl, ..] => format!("{en} ({nl})"),
        [en] => en.to_string(),
        [] => String::new(),
    }
}

fn column_of(header: &str) -> Option<Col> {
    let key = header.trim().to_lowercase().replace([' ', '-'], "_");
    COLUMNS.iter().find(|(_, n)| n.contains(&key.as_str())).map(|(c, _)| *c)
}

/// One line of the file, with the line it came from (to place errors the node reports about
/// `entries[i]`).
pub struct Line {
    pub line: usize,
    pub entry: CapacityEntry,
}

/// Read capacity lines from `text`; `name` names the file in errors. Codes are checked against
/// `codes` (resource types may be given as code in any case or as their Dutch name; statuses as
/// code or Dutch name; an absent or empty status is "normal"). Every problem of the file is
/// reported at once, each with its line and column: one alone as it is, several under a line
/// that counts them.
pub fn entries(name: &str, text: &str, codes: &CodeList) -> Result<Vec<Line>> {
    let csv = csv::parse(name, text)?;
    let mut problems: Vec<Text> = Vec::new();
    let at_column = |line: usize, column: &dyn std::fmt::Display| {
        Text::new("err-at-column")
            .arg("name", name)
            .arg("line", line)
            .arg("column", column)
    };
    // Column index -> what it holds; a column with no name and no values is left out (a
    // trailing separator in a spreadsheet export).
    let mut cols: BTreeMap<usize, Col> = BTreeMap::new();
    for (i, h) in csv.header.iter().enumerate() {
        if h.trim().is_empty() {
            if let Some(r) = csv.rows.iter().find(|r| !r.cells[i].is_empty()) {
                problems.push(Text::new("err-cap-unnamed-column").nested("at", at_column(r.line, &(i + 1))));
            }
            continue;
        }
        let Some(col) = column_of(h) else {
            let known: Vec<String> = COLUMNS.iter().map(|(c, _)| shown(*c)).collect();
            problems.push(
                Text::new("err-cap-unknown-column")
                    .nested("at", at_column(1, h))
                    .arg("known", known.join(", ")),
            );
            continue;
        };
        if let Some((j, _)) = cols.iter().find(|(_, c)| **c == col) {
            problems.push(
                Text::new("err-cap-same-column")
                    .nested("at", at_column(1, h))
                    .arg("other", j + 1)
                    .arg("other_name", &csv.header[*j]),
            );
            continue;
        }
        cols.insert(i, col);
    }
    for col in REQUIRED {
        if !cols.values().any(|c| *c == col) {
            problems.push(
                Text::new("err-cap-missing-column")
                    .nested("at", csv::at_line(name, 1))
                    .arg("column", shown(col))
                    .arg("separator", csv.separator),
            );
        }
    }
    if csv.rows.is_empty() {
        problems.push(Text::new("err-cap-no-lines").arg("name", name));
    }
    let mut out: Vec<Line> = Vec::with_capacity(csv.rows.len());
    for row in &csv.rows {
        let mut e = CapacityEntry {
            status: "normal".into(),
            ..CapacityEntry::default()
        };
        let before = problems.len();
        for (&i, &col) in &cols {
            let value = row.cells[i].as_str();
            let at = || at_column(row.line, &csv.header[i].trim());
            let number = || -> Result<Option<u32>> {
                if value.is_empty() {
                    return Ok(None);
                }
                match value.parse::<u32>() {
                    Ok(n) => Ok(Some(n)),
                    Err(_) => Err(Text::new("err-cap-not-number")
                        .nested("at", at())
                        .arg("value", value)
                        .into()),
                }
            };
            let required = || -> Result<u32> {
                number()?.ok_or_else(|| Text::new("err-cap-empty-number").nested("at", at()).into())
            };
            let cell: Result<()> = (|| {
                match col {
                    Col::ResourceType => {
                        e.resource_type = code(codes, list::RESOURCE_TYPES, value, "err-cap-what-type", &at)?
                    }
                    Col::Baseline => e.baseline = required()?,
                    Col::Available => e.available = required()?,
                    Col::Committed => e.committed = required()?,
                    Col::OutOfService => e.out_of_service = required()?,
                    Col::Surge24h => e.surge_24h = number()?,
                    Col::Surge72h => e.surge_72h = number()?,
                    Col::Status if value.is_empty() => {}
                    Col::Status => e.status = code(codes, list::RESOURCE_STATUS, value, "err-cap-what-status", &at)?,
                    Col::Remarks => e.remarks = value.to_string(),
                }
                Ok(())
            })();
            if let Err(x) = cell {
                match x.downcast::<Text>() {
                    Ok(t) => problems.push(t),
                    Err(x) => problems.push(Text::new("err-plain").arg("text", x)),
                }
            }
        }
        if problems.len() > before {
            continue;
        }
        let line = row.line;
        if let Some(earlier) = out.iter().find(|l| l.entry.resource_type == e.resource_type) {
            problems.push(
                Text::new("err-cap-twice")
                    .nested("at", csv::at_line(name, line))
                    .arg("type", &e.resource_type)
                    .arg("earlier", earlier.line),
            );
            continue;
        }
        let used = u64::from(e.available) + u64::from(e.committed) + u64::from(e.out_of_service);
        if used > u64::from(e.baseline) {
            problems.push(
                Text::new("err-cap-over-baseline")
                    .nested("at", csv::at_line(name, line))
                    .arg("type", &e.resource_type)
                    .arg("available", e.available)
                    .arg("committed", e.committed)
                    .arg("out", e.out_of_service)
                    .arg("used", used)
                    .arg("baseline", e.baseline),
            );
        }
        if let (Some(s24), Some(s72)) = (e.surge_24h, e.surge_72h) {
            if s72 < s24 {
                problems.push(
                    Text::new("err-cap-surge")
                        .nested("at", csv::at_line(name, line))
                        .arg("type", &e.resource_type)
                        .arg("s72", s72)
                        .arg("s24", s24),
                );
            }
        }
        out.push(Line { line, entry: e });
    }
    match problems.len() {
        0 => Ok(out),
        1 => Err(problems.remove(0).into()),
        n => Err(Text::new("err-cap-problems")
            .arg("name", name)
            .count("n", n)
            .lines("problems", problems)
            .into()),
    }
}

/// A report without times (as_of, valid_until) from the spreadsheet export at `path`, in the
/// newest code lists, with the file's line of each entry.
pub fn report(path: &Path) -> Result<(CapacityReport, Vec<usize>)> {
    let bytes = std::fs::read(path).told_with(|| Text::new("err-reading").arg("path", path.display()))?;
    let lists = CodeLists::shipped().latest();
    let name = path.display().to_string();
    let (text, _encoding) = csv::decode(&name, &bytes)?;
    let lines: Vec<Line> = entries(&name, &text, lists)?;
    let report = CapacityReport {
        code_list_version: lists.version,
        entries: lines.iter().map(|l| l.entry.clone()).collect(),
        ..CapacityReport::default()
    };
    Ok((report, lines.iter().map(|l| l.line).collect()))
}

/// The node names a line as `entries[i]`; from a CSV file, say which line of the file that is.
pub fn at_line(e: anyhow::Error, source: &Path, lines: &[usize]) -> anyhow::Error {
    let msg = e.to_string();
    let line = msg
        .find("entries[")
        .and_then(|at| msg[at + 8..].split(']').next()?.parse::<usize>().ok())
        .and_then(|i| lines.get(i));
    match line {
        Some(&l) => {
            let told = |text| {
                Text::new("err-cap-node-line")
                    .nested("error", text)
                    .arg("path", source.display())
                    .arg("line", l)
            };
            match e.downcast::<crate::Failure>() {
                Ok(f) => anyhow::Error::new(crate::Failure::new(f.code, told(f.text))),
                Err(e) => anyhow::Error::new(told(Text::new("err-plain").arg("text", e))),
            }
        }
        None => e,
    }
}

/// A code of `list`: the code itself, the code in another case, or its Dutch name.
fn code(codes: &CodeList, list: &str, value: &str, what: &'static str, at: &dyn Fn() -> Text) -> Result<String> {
    if value.is_empty() {
        return Err(Text::new("err-cap-empty-code")
            .nested("at", at())
            .nested("what", Text::new(what))
            .into());
    }
    let all = codes.codes(list);
    let lower = value.to_lowercase();
    if let Some((c, _)) = all.iter().find(|(c, _)| *c == value) {
        return Ok(c.to_string());
    }
    if let Some((c, _)) = all
        .iter()
        .find(|(c, n)| c.to_lowercase() == lower || n.name.to_lowercase() == lower)
    {
        return Ok(c.to_string());
    }
    let hint = if all.len() <= 8 {
        let listed: Vec<String> = all.iter().map(|(c, n)| format!("{c} ({})", n.name)).collect();
        Text::new("err-plain").arg("text", listed.join(", "))
    } else {
        Text::new("err-cap-see-codelist").arg("version", codes.version)
    };
    Err(Text::new("err-cap-not-code")
        .nested("at", at())
        .arg("value", value)
        .nested("what", Text::new(what))
        .arg("version", codes.version)
        .nested("hint", hint)
        .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<CapacityEntry>> {
        let lists = CodeLists::shipped().latest();
        Ok(entries("capaciteit.csv", text, lists)?
            .into_iter()
            .map(|l| l.entry)
            .collect())
    }

    fn err(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn dutch_excel_export() {
        let text = "\u{feff}Eenheid;Basis;Beschikbaar;Ingezet;Buiten dienst;Opschaling 24u;Opschaling 72u;Status;Opmerking\r\n\
                    TS;24;18;4;2;3;6;normaal;\r\n\
                    Autoladder;3;1;1;1;;;Beperkt;\"een in onderhoud; terug op 3 december\"\r\n";
        let e = read(text).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].resource_type.as_str(), e[0].baseline, e[0].available),
            ("TS", 24, 18)
        );
        assert_eq!(
            (e[0].surge_24h, e[0].surge_72h, e[0].status.as_str()),
            (Some(3), Some(6), "normal")
        );
        assert_eq!(
            (e[1].resource_type.as_str(), e[1].surge_24h, e[1].status.as_str()),
            ("AL", None, "reduced")
        );
        assert_eq!(e[1].remarks, "een in onderhoud; terug op 3 december");
    }

    #[test]
    fn english_columns_without_status_default_to_normal() {
        let e = read("resource_type,baseline,available,committed,out_of_service\namb,30,22,6,2\n").unwrap();
        assert_eq!((e[0].resource_type.as_str(), e[0].status.as_str()), ("AMB", "normal"));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let head = "eenheid;basis;beschikbaar;ingezet;buiten_dienst\n";
        assert_eq!(
            err(&format!("{head}TS;12;9;2;1\nHV;3;2;0;0\nAL;2;x;0;0\n")),
            "capaciteit.csv line 4, column beschikbaar: 'x' is not a whole number"
        );
        assert_eq!(
            err(&format!("{head}TS;12;-1;2;1\n")),
            "capaciteit.csv line 2, column beschikbaar: '-1' is not a whole number"
        );
        assert_eq!(
            err(&format!("{head}TS;;9;2;1\n")),
            "capaciteit.csv line 2, column basis: empty; give a whole number (0 if none)"
        );
        assert!(err(&format!("{head}Brandweerauto;12;9;2;1\n")).starts_with(
            "capaciteit.csv line 2, column eenheid: 'Brandweerauto' is not a resource type in code list version 3"
        ));
        assert!(err("eenheid;basis;beschikbaar;ingezet;buiten_dienst;status\nTS;1;1;0;0;prima\n")
            .starts_with("capaciteit.csv line 2, column status: 'prima' is not a resource status in code list version 3 (normal (Normaal), "));
        assert_eq!(
            err(&format!("{head}TS;12;9;2;1\nts;1;1;0;0\n")),
            "capaciteit.csv line 3: TS is already given on line 2"
        );
        assert_eq!(
            err(&format!("{head}TS;12;9;3;1\n")),
            "capaciteit.csv line 2: TS: available 9 + committed 3 + out of service 1 = 13 exceeds baseline 12"
        );
    }

    #[test]
    fn every_problem_of_the_file_at_once() {
        let text = "eenheid;basis;beschikbaar;ingezet;buiten_dienst;aantal\n\
                    TS;12;x;2;1;\n\
                    HV;3;2;0;0;\n\
                    Brandweerauto;;1;0;0;\n\
                    HV;1;1;0;0;\n";
        assert_eq!(
            err(text),
            "capaciteit.csv: 5 problems\n\
             capaciteit.csv line 1, column aantal: unknown column; the columns are resource_type (eenheid), baseline (basis), available (beschikbaar), committed (ingezet), out_of_service (buiten_dienst), surge_24h (opschaling_24u), surge_72h (opschaling_72u), status, remarks (opmerking)\n\
             capaciteit.csv line 2, column beschikbaar: 'x' is not a whole number\n\
             capaciteit.csv line 4, column eenheid: 'Brandweerauto' is not a resource type in code list version 3 (see config/codelists/v3.toml, e.g. TS, AMB, OvD-B)\n\
             capaciteit.csv line 4, column basis: empty; give a whole number (0 if none)\n\
             capaciteit.csv line 5: HV is already given on line 3"
        );
    }

    #[test]
    fn a_windows_1252_file_with_a_sep_line_as_dutch_excel_saves_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capaciteit.csv");
        std::fs::write(
            &path,
            b"sep=;\r\nEenheid;Basis;Beschikbaar;Ingezet;Buiten dienst;Opmerking\r\nTS;24;18;4;2;co\xf6rdinatie via \x93ROT\x94\r\n",
        )
        .unwrap();
        let (report, lines) = report(&path).unwrap();
        assert_eq!(lines, [3]);
        assert_eq!(report.entries[0].remarks, "coördinatie via “ROT”");
    }

    #[test]
    fn header_errors() {
        assert!(
            err("eenheid;basis;beschikbaar;ingezet;buiten_dienst;aantal\nTS;1;1;0;0;4\n").starts_with(
                "capaciteit.csv line 1, column aantal: unknown column; the columns are resource_type (eenheid), "
            )
        );
        assert_eq!(
            err("eenheid;basis;ingezet;buiten_dienst\nTS;1;0;0\n"),
            "capaciteit.csv line 1: column available (beschikbaar) is missing (separator ';')"
        );
        assert!(
            err("eenheid;type;basis\n").contains("\ncapaciteit.csv line 1, column type: the same column as column 1")
        );
        assert_eq!(
            err("eenheid;basis;beschikbaar;ingezet;buiten_dienst\n"),
            "capaciteit.csv: no lines after the header; give at least one resource type"
        );
    }

    #[test]
    fn node_errors_point_at_the_csv_line() {
        let e = at_line(
            anyhow::anyhow!("InvalidArgument: entries[1].status: 'x' is not in code list"),
            Path::new("cap.csv"),
            &[2, 5],
        );
        assert_eq!(
            e.to_string(),
            "InvalidArgument: entries[1].status: 'x' is not in code list (cap.csv line 5)"
        );
    }

    #[test]
    fn a_trailing_separator_is_not_an_unknown_column() {
        let e = read("eenheid;basis;beschikbaar;ingezet;buiten_dienst;\nTS;1;1;0;0;\n").unwrap();
        assert_eq!(e.len(), 1);
    }
}
