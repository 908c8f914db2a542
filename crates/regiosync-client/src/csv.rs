//! A small CSV reader for spreadsheet exports as people have them: a header row; `;`, `,` or tab
//! as separator (named by Excel's `sep=;` first line, else taken from the header line; Dutch
//! Excel writes `;`); quoted fields with `""` for a quote (and line breaks inside quotes); CRLF
//! or LF; UTF-8 with or without a byte-order mark, or Windows-1252 (Dutch Excel's default when
//! it saves "CSV"), told apart by whether the bytes are valid UTF-8.
use anyhow::Result;

use crate::said::Text;

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

/// Windows-1252's characters for the bytes 0x80 to 0x9F (the rest is Latin-1); `None` for the
/// five bytes it leaves undefined.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The file's text: UTF-8 (a byte-order mark dropped) when its bytes are valid UTF-8, else
/// Windows-1252; and which it was. A byte Windows-1252 leaves undefined is an error naming it.
pub fn decode(name: &str, bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        let bom = s.starts_with('\u{feff}');
        let text = s.strip_prefix('\u{feff}').unwrap_or(s).to_string();
        return Ok((text, if bom { "UTF-8 with BOM" } else { "UTF-8" }));
    }
    let mut out = String::with_capacity(bytes.len());
    let mut line = 1;
    for &b in bytes {
        let c = match b {
            0x80..=0x9f => match CP1252_HIGH[usize::from(b - 0x80)] {
                Some(c) => c,
                None => {
                    return Err(Text::new("err-csv-byte")
                        .nested("at", at_line(name, line))
                        .arg("byte", format!("0x{b:02X}"))
                        .into())
                }
            },
            b => char::from(b),
        };
        if c == '\n' {
            line += 1;
        }
        out.push(c);
    }
    Ok((out, "Windows-1252"))
}

/// "capaciteit.csv line 4" ("regel 4"): where a problem is.
pub fn at_line(name: &str, line: usize) -> Text {
    Text::new("err-at-line").arg("name", name).arg("line", line)
}

/// Excel's `sep=;` first line: the separator it names.
fn sep_line(line: &str) -> Option<char> {
    let l = line.trim_end_matches('\r').trim_matches('"');
    if !l.get(..4)?.eq_ignore_ascii_case("sep=") {
        return None;
    }
    let mut chars = l[4..].chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c == ';' || c == ',' || c == '\t' || c == '|' => Some(c),
        _ => None,
    }
}

/// Parse `text`; `name` names the file in errors (`capaciteit.csv line 4: ...`).
pub fn parse(name: &str, text: &str) -> Result<Csv> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    // With Excel's `sep=` line the header is the next line; line numbers still count it.
    let (separator, body, skipped) = match sep_line(first) {
        Some(sep) => (sep, text.split_once('\n').map_or("", |(_, rest)| rest), 1),
        None => (detect_separator(first), text, 0),
    };
    let mut records = records(name, body, separator)?.into_iter().map(|mut r| {
        r.line += skipped;
        r
    });
    let Some(header) = records.next() else {
        return Err(Text::new("err-csv-empty").arg("name", name).into());
    };
    let header = header.cells;
    let mut rows = Vec::new();
    for mut r in records {
        if r.cells.len() > header.len() {
            if let Some(extra) = r.cells[header.len()..].iter().position(|c| !c.is_empty()) {
                return Err(Text::new("err-csv-fields")
                    .nested("at", at_line(name, r.line))
                    .count("fields", r.cells.len())
                    .count("header", header.len())
                    .count("field", header.len() + extra + 1)
                    .arg("value", &r.cells[header.len() + extra])
                    .into());
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

/// The separator the header line uses most (outside quotes): `;`, tab or `,` (in that order
/// when as many).
fn detect_separator(line: &str) -> char {
    let (mut semicolons, mut tabs, mut commas, mut quoted) = (0, 0, 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semicolons >= tabs && semicolons > commas {
        ';'
    } else if tabs > commas {
        '\t'
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
                return Err(Text::new("err-csv-after-quote")
                    .nested("at", at_line(name, line))
                    .arg("char", c)
                    .into())
            }
            '"' => {
                return Err(Text::new("err-csv-stray-quote")
                    .nested("at", at_line(name, line))
                    .into())
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(Text::new("err-csv-open-quote")
            .nested("at", at_line(name, quote_line))
            .into());
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
    fn excel_sep_line_and_tabs() {
        let csv = parse("c.csv", "sep=;\r\neenheid;basis\r\nTS;12\r\n").unwrap();
        assert_eq!(csv.separator, ';');
        assert_eq!(csv.header, ["eenheid", "basis"]);
        assert_eq!(cells(&csv), [(3, vec!["TS", "12"])], "line numbers count the sep= line");
        let csv = parse("c.csv", "\"sep=,\"\na;b,c\n1;2,3\n").unwrap();
        assert_eq!(
            (csv.separator, csv.header.clone()),
            (',', vec!["a;b".to_string(), "c".to_string()])
        );
        let csv = parse("c.tsv", "eenheid\tbasis\tbeschikbaar\nTS\t12\t9\n").unwrap();
        assert_eq!(csv.separator, '\t');
        assert_eq!(cells(&csv), [(2, vec!["TS", "12", "9"])]);
    }

    #[test]
    fn utf8_with_or_without_bom_or_windows_1252() {
        assert_eq!(
            decode("c.csv", "\u{feff}coördinatie;€".as_bytes()).unwrap(),
            ("coördinatie;€".into(), "UTF-8 with BOM")
        );
        assert_eq!(
            decode("c.csv", "coördinatie".as_bytes()).unwrap(),
            ("coördinatie".into(), "UTF-8")
        );
        // "coördinatie;€ 5" as Dutch Excel saves it: ö = 0xF6, € = 0x80.
        let cp1252 = b"co\xf6rdinatie;\x80 5\r\nBrandweer \x93Noord\x94";
        assert_eq!(
            decode("c.csv", cp1252).unwrap(),
            ("coördinatie;€ 5\r\nBrandweer “Noord”".into(), "Windows-1252")
        );
        let e = decode("c.csv", b"a;b\nx\x81y").unwrap_err().to_string();
        assert_eq!(
            e,
            "c.csv line 2: byte 0x81 is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8"
        );
    }

    #[test]
    fn no_trailing_newline() {
        let csv = parse("c.csv", "a,b\n1,2").unwrap();
        assert_eq!(cells(&csv), [(2, vec!["1", "2"])]);
    }
}
