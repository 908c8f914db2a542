//! Capacity lines from a spreadsheet export (`capacity publish --csv`): the columns, in English
//! or Dutch, mapped onto `CapacityEntry`, with errors that name the file, line and column.
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use regiosync_records::codes::{list, CodeList};
use regiosync_records::pb::{CapacityEntry, CapacityReport};
use regiosync_records::CodeLists;

use crate::csv;

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
    let mut problems: Vec<String> = Vec::new();
    // Column index -> what it holds; a column with no name and no values is left out (a
    // trailing separator in a spreadsheet export).
    let mut cols: BTreeMap<usize, Col> = BTreeMap::new();
    for (i, h) in csv.header.iter().enumerate() {
        if h.trim().is_empty() {
            if let Some(r) = csv.rows.iter().find(|r| !r.cells[i].is_empty()) {
                problems.push(format!(
                    "{name} line {}, column {}: a value in a column without a name",
                    r.line,
                    i + 1
                ));
            }
            continue;
        }
        let Some(col) = column_of(h) else {
            let known: Vec<String> = COLUMNS.iter().map(|(c, _)| shown(*c)).collect();
            problems.push(format!(
                "{name} line 1, column {h}: unknown column; the columns are {}",
                known.join(", ")
            ));
            continue;
        };
        if let Some((j, _)) = cols.iter().find(|(_, c)| **c == col) {
            problems.push(format!(
                "{name} line 1, column {h}: the same column as column {} ('{}')",
                j + 1,
                csv.header[*j]
            ));
            continue;
        }
        cols.insert(i, col);
    }
    for col in REQUIRED {
        if !cols.values().any(|c| *c == col) {
            problems.push(format!(
                "{name} line 1: column {} is missing (separator '{}')",
                shown(col),
                csv.separator
            ));
        }
    }
    if csv.rows.is_empty() {
        problems.push(format!(
            "{name}: no lines after the header; give at least one resource type"
        ));
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
            let at = || format!("{name} line {}, column {}", row.line, csv.header[i].trim());
            let number = || -> Result<Option<u32>> {
                if value.is_empty() {
                    return Ok(None);
                }
                match value.parse::<u32>() {
                    Ok(n) => Ok(Some(n)),
                    Err(_) => bail!("{}: '{value}' is not a whole number", at()),
                }
            };
            let required = || -> Result<u32> {
                number()?.ok_or_else(|| anyhow::anyhow!("{}: empty; give a whole number (0 if none)", at()))
            };
            let cell: Result<()> = (|| {
                match col {
                    Col::ResourceType => {
                        e.resource_type = code(codes, list::RESOURCE_TYPES, value, "resource type", &at)?
                    }
                    Col::Baseline => e.baseline = required()?,
                    Col::Available => e.available = required()?,
                    Col::Committed => e.committed = required()?,
                    Col::OutOfService => e.out_of_service = required()?,
                    Col::Surge24h => e.surge_24h = number()?,
                    Col::Surge72h => e.surge_72h = number()?,
                    Col::Status if value.is_empty() => {}
                    Col::Status => e.status = code(codes, list::RESOURCE_STATUS, value, "resource status", &at)?,
                    Col::Remarks => e.remarks = value.to_string(),
                }
                Ok(())
            })();
            if let Err(x) = cell {
                problems.push(x.to_string());
            }
        }
        if problems.len() > before {
            continue;
        }
        let line = row.line;
        if let Some(earlier) = out.iter().find(|l| l.entry.resource_type == e.resource_type) {
            problems.push(format!(
                "{name} line {line}: {} is already given on line {}",
                e.resource_type, earlier.line
            ));
            continue;
        }
        let used = u64::from(e.available) + u64::from(e.committed) + u64::from(e.out_of_service);
        if used > u64::from(e.baseline) {
            problems.push(format!(
                "{name} line {line}: {}: available {} + committed {} + out of service {} = {used} exceeds baseline {}",
                e.resource_type, e.available, e.committed, e.out_of_service, e.baseline
            ));
        }
        if let (Some(s24), Some(s72)) = (e.surge_24h, e.surge_72h) {
            if s72 < s24 {
                problems.push(format!("{name} line {line}: {}: surge within 72h ({s72}) is less than within 24h ({s24}); the 72h figure includes the 24h one", e.resource_type));
            }
        }
        out.push(Line { line, entry: e });
    }
    match problems.len() {
        0 => Ok(out),
        1 => bail!("{}", problems[0]),
        n => bail!("{name}: {n} problems\n{}", problems.join("\n")),
    }
}

/// A report without times (as_of, valid_until) from the spreadsheet export at `path`, in the
/// newest code lists, with the file's line of each entry.
pub fn report(path: &Path) -> Result<(CapacityReport, Vec<usize>)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
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
        Some(l) => anyhow::anyhow!("{msg} ({} line {l})", source.display()),
        None => e,
    }
}

/// A code of `list`: the code itself, the code in another case, or its Dutch name.
fn code(codes: &CodeList, list: &str, value: &str, what: &str, at: &dyn Fn() -> String) -> Result<String> {
    if value.is_empty() {
        bail!("{}: empty; give a {what} code", at());
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
        all.iter()
            .map(|(c, n)| format!("{c} ({})", n.name))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        format!("see config/codelists/v{}.toml, e.g. TS, AMB, OvD-B", codes.version)
    };
    bail!(
        "{}: '{value}' is not a {what} in code list version {} ({hint})",
        at(),
        codes.version
    )
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
