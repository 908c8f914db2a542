//! Records written as files: TOML or JSON (by extension) with exactly the field names of
//! `records.proto`. Errors name the file, the line and the key or value at fault.
use std::path::Path;

use anyhow::Result;

use crate::said::{Tell, Text};
use serde::de::DeserializeOwned;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

/// The format of a file, from its extension.
pub fn format_of(path: &Path) -> Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => Ok(Format::Toml),
        Some("json") => Ok(Format::Json),
        _ => Err(Text::new("err-file-format").arg("path", path.display()).into()),
    }
}

/// Read and parse one record file.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let format = format_of(path)?;
    let text = std::fs::read_to_string(path).told_with(|| Text::new("err-reading").arg("path", path.display()))?;
    parse(&path.display().to_string(), format, &text)
}

/// Parse `text` as `format`; `name` names the file in errors.
pub fn parse<T: DeserializeOwned>(name: &str, format: Format, text: &str) -> Result<T> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| position(text, s.start)).unwrap_or((1, 1));
            located(name, text, at, e.message())
        }),
        Format::Json => serde_json::from_str(text).map_err(|e| {
            // serde_json appends " at line L column C" to its message; we say it up front.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            located(name, text, (e.line().max(1), e.column().max(1)), &msg)
        }),
    }
}

/// 1-based line and column of byte offset `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn located(name: &str, text: &str, (line, column): (usize, usize), message: &str) -> anyhow::Error {
    let source = text.lines().nth(line - 1).map(str::trim).unwrap_or("");
    let message = message.trim().replace('\n', " ");
    let at = Text::new("err-at-column")
        .arg("name", name)
        .arg("line", line)
        .arg("column", column);
    let text = match source.is_empty() {
        true => Text::new("err-file-problem").nested("at", at),
        false => Text::new("err-file-problem-source")
            .nested("at", at)
            .arg("source", source),
    };
    anyhow::Error::new(text.arg("message", message))
}

/// `author` is filled in by the node from the client certificate; a file must leave it out.
pub fn author_left_out(name: &Path, what: &str, author: &str) -> Result<()> {
    if author.is_empty() {
        Ok(())
    } else {
        Err(Text::new("err-file-author")
            .arg("path", name.display())
            .arg("what", what)
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regiosync_records::pb::{Agreement, CapacityReport};

    #[test]
    fn extension_decides() {
        assert_eq!(format_of(Path::new("a.TOML")).unwrap(), Format::Toml);
        assert_eq!(format_of(Path::new("dir/a.json")).unwrap(), Format::Json);
        let e = format_of(Path::new("akkoord.yaml")).unwrap_err().to_string();
        assert_eq!(
            e,
            "akkoord.yaml: records are read from .toml or .json files (see config/examples/)"
        );
    }

    #[test]
    fn toml_errors_name_file_line_and_key() {
        let e = parse::<Agreement>("a.toml", Format::Toml, "agreement_id = \"x-1\"\ntitel = \"Bijstand\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.toml line 2, column 1 (`titel = \"Bijstand\"`): unknown field `titel`"),
            "{e}"
        );
        let e = parse::<Agreement>("a.toml", Format::Toml, "version = \"een\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("a.toml line 1, column 11 (`version = \"een\"`): invalid type"),
            "{e}"
        );
        let e = parse::<CapacityReport>(
            "c.toml",
            Format::Toml,
            "[[entries]]\nresource_type = \"TS\"\nbasis = 3\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("c.toml line 3, column 1 (`basis = 3`): unknown field `basis`"),
            "{e}"
        );
    }

    #[test]
    fn json_errors_name_file_line_and_key() {
        let e = parse::<CapacityReport>(
            "c.json",
            Format::Json,
            "{\n  \"region\": \"VR01\",\n  \"asof\": \"x\"\n}",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("c.json line 3, column 8 (`\"asof\": \"x\"`): unknown field `asof`"),
            "{e}"
        );
    }
}
