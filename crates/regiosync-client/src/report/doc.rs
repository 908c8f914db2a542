//! A report as a document: a title, the facts about where its figures come from, and sections
//! of key figures, tables and notes. Built once (`region`, `national`), rendered as print-ready
//! HTML (`html`), as PDF from that HTML (`pdf`) and as one CSV per table (`csv`).
use regiosync_i18n::Lang;

pub struct Doc {
    pub lang: Lang,
    /// The file name without extension, e.g. `rapportage-VR06-2026`.
    pub stem: String,
    pub title: String,
    pub subtitle: String,
    /// Under the title: period, node, data as of, asked by.
    pub meta: Vec<(String, String)>,
    /// On every printed page.
    pub footer: String,
    /// The last paragraph: how the figures were made.
    pub closing: String,
    pub sections: Vec<Section>,
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub intro: Option<String>,
    pub blocks: Vec<Block>,
}

pub enum Block {
    /// Label and value pairs (the key figures).
    Facts(Table),
    Table(Table),
    Note(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    Good,
    Warn,
    Bad,
}

impl Tone {
    pub fn class(self) -> Option<&'static str> {
        match self {
            Tone::Plain => None,
            Tone::Good => Some("good"),
            Tone::Warn => Some("warn"),
            Tone::Bad => Some("bad"),
        }
    }
}

/// One table: its id (the CSV file is named after it), the column heads and the rows.
pub struct Table {
    pub id: String,
    pub caption: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns aligned right (numbers).
    pub numeric: Vec<usize>,
}

impl Table {
    pub fn new(id: impl Into<String>, head: Vec<String>) -> Table {
        Table {
            id: id.into(),
            caption: None,
            head,
            rows: Vec::new(),
            numeric: Vec::new(),
        }
    }

    pub fn numeric(mut self, columns: &[usize]) -> Table {
        self.numeric = columns.to_vec();
        self
    }

    pub fn caption(mut self, caption: impl Into<String>) -> Table {
        self.caption = Some(caption.into());
        self
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }
}

/// A cell: the text a reader sees and the value its CSV carries (a date as `2026-12-01`, a
/// number without separators), with a tone for what needs attention.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub raw: String,
    pub tone: Tone,
}

impl Cell {
    /// Text that is its own value.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell {
            raw: text.clone(),
            text,
            tone: Tone::Plain,
        }
    }

    /// Shown as `text`, in CSV as `raw`.
    pub fn shown(text: impl Into<String>, raw: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            raw: raw.into(),
            tone: Tone::Plain,
        }
    }

    /// A whole number, formatted for `lang`.
    pub fn int(lang: Lang, n: i64) -> Cell {
        Cell::shown(regiosync_i18n::int(lang, n), n.to_string())
    }

    pub fn tone(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
}
