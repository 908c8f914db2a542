//! Where a configuration file says what: a key's line and column ([`Position`]), one thing
//! wrong with the file ([`Problem`]), and the file's text to find keys in ([`Source`]).
use std::path::{Path, PathBuf};

/// Where in a configuration file: line and column, both from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (the column counts characters).
    pub fn of(text: &str, offset: usize) -> Position {
        let before = &text[..offset.min(text.len())];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// One thing wrong with a configuration: the file, the key (`tls.cert`, `peers[1].id`; none
/// for the file as a whole), where that key is written, and what is wrong. Shown as
/// `file:line:column: key: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub key: Option<String>,
    pub at: Option<Position>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(at) = self.at {
            write!(f, ":{}:{}", at.line, at.column)?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A configuration file's text, to say where a key is written.
pub(crate) struct Source<'a> {
    path: &'a Path,
    text: &'a str,
    root: Option<toml::Spanned<toml::de::DeTable<'a>>>,
}

impl<'a> Source<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str) -> Source<'a> {
        Source {
            path,
            text,
            root: toml::de::DeTable::parse(text).ok(),
        }
    }

    /// Where the key `key` (`a.b`, `peers[1].id`) is written, if it is.
    fn position(&self, key: &str) -> Option<Position> {
        use toml::de::DeValue;
        let mut table = self.root.as_ref()?.get_ref();
        let mut span = None;
        let segments: Vec<&str> = key.split('.').filter(|s| !s.is_empty()).collect();
        for (n, segment) in segments.iter().enumerate() {
            let (name, indices) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (*segment, ""),
            };
            let (k, mut value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == name)?;
            span = Some(k.span());
            for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
                let DeValue::Array(items) = value.get_ref() else {
                    return None;
                };
                value = items.get(index.parse::<usize>().ok()?)?;
                span = Some(value.span());
            }
            match value.get_ref() {
                DeValue::Table(t) => table = t,
                _ if n + 1 < segments.len() => return None,
                _ => {}
            }
        }
        span.map(|s| Position::of(self.text, s.start))
    }

    /// A problem with the key `key` (empty: the file as a whole).
    pub(crate) fn problem(&self, key: &str, message: impl std::fmt::Display) -> Problem {
        Problem {
            file: self.path.to_path_buf(),
            key: (!key.is_empty()).then(|| key.to_string()),
            at: (!key.is_empty()).then(|| self.position(key)).flatten(),
            message: message.to_string(),
        }
    }

    /// The file read into `T` (the file's layout); a syntax or type error names the key (its
    /// path in the file, as `serde_path_to_error` tracked it) and the line of the offending value.
    pub(super) fn parse<T: serde::de::DeserializeOwned>(&self) -> std::result::Result<T, Problem> {
        let de = toml::de::Deserializer::parse(self.text).map_err(|e| self.toml_problem("", &e))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            let key = if key == "." { String::new() } else { key };
            self.toml_problem(&key, e.inner())
        })
    }

    fn toml_problem(&self, key: &str, e: &toml::de::Error) -> Problem {
        let at = e.span().map(|s| Position::of(self.text, s.start));
        Problem {
            at: at.or_else(|| self.position(key)),
            ..self.problem(key, e.message().trim())
        }
    }
}
