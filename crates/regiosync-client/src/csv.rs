//! A small CSV reader for spreadsheet exports: a header row, `;` or `,` as separator (taken from
//! the header line; Dutch Excel writes `;`), quoted fields with `""` for a quote (and line
//! breaks inside quotes), CRLF or LF, UTF-8 with an optional byte-order mark.
use anyhow::{bail, Result};

/// A parsed file: the header and every non-blank row, with the line each row starts on.
#[derive(Debug)]
pub struct Csv {
    pub separator: char,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    /// 1-based line of the file the row starts on (the header is line 1).
    pub line: usize,
    /// One cell per header column (missing trailing cells are empty).
    pub cells: Vec<String>,
}

/// Parse `text`; `name` names the file in errors (`capaciteit.csv line 4: ...`).
pub fn parse(name: &str, text: &str) -> Result<Csv> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = detect_separator(text.lines().next().unwrap_or(""));
    let mut records = records(name, text, separator)?.into_iter();
    let Some(header) = records.next() else {
        bail!("{name}: the file is empty; a header row is required");
    };
    let header = header.cells;
    let mut rows = Vec::new();
    for mut r in records {
        if r.cells.len() > header.len() {
            if let Some(extra) = r.cells[header.len()..].iter().position(|c| !c.is_empty()) {
                bail!(
                    "{name} line {}: {} fields, the header has only {} (field {} is '{}'); is a value missing quotes?",
                    r.line,
                    r.cells.len(),
                    header.len(),
                    header.len() + extra + 1,
                    r.cells[header.len() + extra]
                );
            }
            r.cells.truncate(header.len());
        }
        r.cells.resize(header.len(), String::new());
        rows.push(r);
    }
    Ok(Csv {
        separator,
        header,
        rows,
    })
}

/// `;` when the header line has more semicolons than commas (outside quotes), else `,`.
fn detect_separator(line: &str) -> char {
    let (mut semicolons, mut commas, mut quoted) = (0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        ';'
    } else {
        ','
    }
}

/// Every record of the file, blank lines left out.
fn records(name: &str, text: &str, sep: char) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut field = String::new();
    // Inside a quoted field; the field was quoted (and has closed); line of the opening quote.
    let (mut in_quotes, mut was_quoted, mut quote_line) = (false, false, 0);
    let (mut line, mut record_line) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let finish_field = |field: &mut String, was_quoted: &mut bool, cells: &mut Vec<String>| {
        let value = if *was_quoted {
            std::mem::take(field)
        } else {
            std::mem::take(field).trim().to_string()
        };
        cells.push(value);
        *was_quoted = false;
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if !was_quoted && field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                was_quoted = true;
                quote_line = line;
            }
            c if c == sep => finish_field(&mut field, &mut was_quoted, &mut cells),
            '\r' => {}
            '\n' => {
                finish_field(&mut field, &mut was_quoted, &mut cells);
                push_record(&mut out, std::mem::take(&mut cells), record_line);
                line += 1;
                record_line = line;
            }
            c if was_quoted && c.is_whitespace() => {}
            c if was_quoted => {
                bail!("{name} line {line}: text ('{c}') after the closing quote of a field; write a quote inside a quoted field as \"\"")
            }
            '"' => bail!(
                "{name} line {line}: a quote inside an unquoted field; put the whole field in quotes and write the quote as \"\""
            ),
            _ => field.push(c),
        }
    }
    if in_quotes {
        bail!("{name} line {quote_line}: the quote opened here is never closed");
    }
    if !field.is_empty() || was_quoted || !cells.is_empty() {
        finish_field(&mut field, &mut was_quoted, &mut cells);
        push_record(&mut out, cells, record_line);
    }
    Ok(out)
}

fn push_record(out: &mut Vec<Row>, cells: Vec<String>, line: usize) {
    let blank = cells.iter().all(|c| c.is_empty());
    if !blank {
        out.push(Row { line, cells });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(csv: &Csv) -> Vec<(usize, Vec<&str>)> {
        csv.rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn semicolons_bom_crlf_and_blank_lines() {
        let text = "\u{feff}eenheid;basis;beschikbaar\r\nTS;12;9\r\n\r\n ;;\r\nHV ; 3 ;2\r\n";
        let csv = parse("c.csv", text).unwrap();
        assert_eq!(csv.separator, ';');
        assert_eq!(csv.header, ["eenheid", "basis", "beschikbaar"]);
        assert_eq!(cells(&csv), [(2, vec!["TS", "12", "9"]), (5, vec!["HV", "3", "2"])]);
    }

    #[test]
    fn commas_and_quoted_fields() {
        let text = "resource_type,baseline,remarks\nTS,12,\"twee in onderhoud, een zonder bemanning\"\n\
                    AL,2,\"zegt \"\"nee\"\"\"\nWO,1,\"over\ntwee regels\"\nGPT,1,\"\"";
        let csv = parse("c.csv", text).unwrap();
        assert_eq!(csv.separator, ',');
        assert_eq!(
            cells(&csv),
            [
                (2, vec!["TS", "12", "twee in onderhoud, een zonder bemanning"]),
                (3, vec!["AL", "2", "zegt \"nee\""]),
                (4, vec!["WO", "1", "over\ntwee regels"]),
                (6, vec!["GPT", "1", ""]),
            ]
        );
    }

    #[test]
    fn a_quoted_semicolon_in_a_comma_file_does_not_decide_the_separator() {
        let csv = parse("c.csv", "\"a;b;c\",d\n1,2\n").unwrap();
        assert_eq!(csv.separator, ',');
        assert_eq!(csv.header, ["a;b;c", "d"]);
    }

    #[test]
    fn short_rows_are_padded_and_empty_trailing_cells_dropped() {
        let csv = parse("c.csv", "a;b;c\n1;2\n3;4;5;;\n").unwrap();
        assert_eq!(cells(&csv), [(2, vec!["1", "2", ""]), (3, vec!["3", "4", "5"])]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = |t: &str| parse("capaciteit.csv", t).unwrap_err().to_string();
        assert_eq!(err(""), "capaciteit.csv: the file is empty; a header row is required");
        assert!(err("a;b\n1;2;3\n").starts_with("capaciteit.csv line 2: 3 fields, the header has only 2"));
        assert!(err("a;b\n1;\"open\n\n").starts_with("capaciteit.csv line 2: the quote opened here is never closed"));
        assert!(err("a;b\n1;\"x\"y\n").starts_with("capaciteit.csv line 2: text ('y') after the closing quote"));
        assert!(err("a;b\n1;2\n3;x\"y\n").starts_with("capaciteit.csv line 3: a quote inside an unquoted field"));
    }

    #[test]
    fn no_trailing_newline() {
        let csv = parse("c.csv", "a,b\n1,2").unwrap();
        assert_eq!(cells(&csv), [(2, vec!["1", "2"])]);
    }
}
