//! A message for people made before anyone knows their language: its catalogue id and its
//! arguments, put into words by [`Text::render`] when it is shown. Errors carry one
//! (`anyhow::Error::new(text)`): the command line shows it in the language chosen, `--json`
//! and the logs in English ([`Display`](std::fmt::Display) is the English text).
use crate::{Args, Catalog, Lang};

/// One message: an id of the catalogues and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
    /// Shown as it is (a path, a code, a name, text from elsewhere).
    Plain(String),
    /// A count: chooses the plural and is shown formatted for the language.
    Count(i64),
    /// Other messages, one per line.
    Lines(Vec<Text>),
    /// Another message, in the same language.
    Nested(Box<Text>),
}

impl Text {
    pub fn new(id: &'static str) -> Text {
        Text { id, args: Vec::new() }
    }

    /// `$name` shown as it is.
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Text {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// `$name` a count (`$name` chooses the plural, `$name_shown` is formatted).
    pub fn count(mut self, name: &'static str, n: impl TryInto<i64>) -> Text {
        self.args.push((name, Arg::Count(n.try_into().unwrap_or(i64::MAX))));
        self
    }

    /// `$name` the messages `lines`, each on its own line.
    pub fn lines(mut self, name: &'static str, lines: Vec<Text>) -> Text {
        self.args.push((name, Arg::Lines(lines)));
        self
    }

    /// `$name` another message.
    pub fn nested(mut self, name: &'static str, text: Text) -> Text {
        self.args.push((name, Arg::Nested(Box::new(text))));
        self
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut args = Args::new();
        for (name, value) in &self.args {
            args = match value {
                Arg::Plain(s) => args.text(name, s.clone()),
                Arg::Count(n) => args.count(lang, name, *n),
                Arg::Lines(lines) => args.text(
                    name,
                    lines.iter().map(|t| t.render(lang)).collect::<Vec<_>>().join("\n"),
                ),
                Arg::Nested(t) => args.text(name, t.render(lang)),
            };
        }
        Catalog::of(lang).t(self.id, &args)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Text {}
