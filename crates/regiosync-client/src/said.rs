//! Errors for people in their language: a [`Text`] as an error (`Err(Text::new(..))?`), or as
//! the context of another error ([`Tell::told`]), which the command line shows in the language
//! chosen ([`crate::error_text`]) and `--json` in English. Context added with anyhow's own
//! `.context("...")` stays as written.
use std::error::Error as StdError;

pub use regiosync_i18n::Text;

/// `text`, caused by `source`: one part of an error's chain.
#[derive(Debug)]
pub struct Told {
    pub text: Text,
    source: anyhow::Error,
}

impl std::fmt::Display for Told {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.text, f)
    }
}

impl StdError for Told {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.source.as_ref())
    }
}

/// `.told(text)` on a failed result: the error with `text` before it, as `.context` does.
pub trait Tell<T> {
    fn told(self, text: Text) -> anyhow::Result<T>;
    fn told_with(self, text: impl FnOnce() -> Text) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> Tell<T> for Result<T, E> {
    fn told(self, text: Text) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::Error::new(Told { text, source: e.into() }))
    }

    fn told_with(self, text: impl FnOnce() -> Text) -> anyhow::Result<T> {
        self.map_err(|e| {
            anyhow::Error::new(Told {
                text: text(),
                source: e.into(),
            })
        })
    }
}

/// `.told(text)` on an absent value: `text` is the error.
impl<T> Tell<T> for Option<T> {
    fn told(self, text: Text) -> anyhow::Result<T> {
        self.ok_or_else(|| anyhow::Error::new(text))
    }

    fn told_with(self, text: impl FnOnce() -> Text) -> anyhow::Result<T> {
        self.ok_or_else(|| anyhow::Error::new(text()))
    }
}
