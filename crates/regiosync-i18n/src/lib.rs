//! What people read, in their language. Dutch first, English with a setting
//! (`--lang en`, `REGIOSYNC_LANG`, a browser's `Accept-Language`).
//!
//! - **Texts** come from message catalogues in Project Fluent's format
//!   (`locales/<lang>/*.ftl`, embedded in the binary): a translator edits those files, never
//!   the code. Every message exists in every language (a test checks it); an unknown id shows
//!   as `{id}` rather than failing.
//! - **Numbers, dates and times** are formatted here, the one place: `28.469` and `1 dec. 2026`
//!   in Dutch, `28,469` and `1 Dec 2026` in English; every moment in Dutch time
//!   (Europe/Amsterdam, daylight saving from the bundled zone rules of
//!   `regiosync_records::calendar`) and labelled with its zone (`CET`, `CEST`).
//!
//! Pure: no I/O, no clock (callers pass the instant).
mod catalog;
mod export;
mod format;
mod input;
mod text;

pub use catalog::{Args, Catalog};
pub use export::messages_json;
pub use format::{date, date_str, decimal, int, minutes, moment, month_names, percent, separators, zone_label};
pub use input::parse_moment;
pub use text::Text;

/// A language people can choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 tag: `nl`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// `nl`, `nl-NL`, `NL`, `en`, `en-GB`, ... (the primary tag decides); `None` for any other.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language a browser's `Accept-Language` header prefers among ours (by its q-values,
    /// then its order); Dutch when it names neither.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.split(';');
            let Some(lang) = bits.next().and_then(Lang::parse) else {
                continue;
            };
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map_or(Lang::Nl, |(_, _, l)| l)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::parse(s).ok_or_else(|| format!("'{s}' is not a language of regiosync: nl (Nederlands) or en (English)"))
    }
}

#[cfg(test)]
mod tests;
