//! A small XML writer for the EDXL-RM export: elements opened and closed in order, text and
//! attribute values escaped, nothing else (no pretty printing beyond one element a line).
use std::fmt::Write;

/// An XML document being written; [`Xml::finish`] closes every open element.
pub(super) struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    /// A document with the XML declaration.
    pub(super) fn new() -> Xml {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
        }
    }

    /// Open an element with attributes (names are ours, values are escaped).
    pub(super) fn open_with(&mut self, name: &'static str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", escape(v));
        }
        self.out.push_str(">\n");
        self.open.push(name);
    }

    pub(super) fn open(&mut self, name: &'static str) {
        self.open_with(name, &[]);
    }

    /// Close the innermost open element.
    pub(super) fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            let _ = writeln!(self.out, "</{name}>");
        }
    }

    /// An element holding only text.
    pub(super) fn leaf(&mut self, name: &'static str, text: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(text));
    }

    /// A leaf only when the text is not empty.
    pub(super) fn leaf_some(&mut self, name: &'static str, text: &str) {
        if !text.is_empty() {
            self.leaf(name, text);
        }
    }

    pub(super) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }
}

/// Text as XML character data or an attribute value: `&`, `<`, `>`, `"` and `'` as entities,
/// carriage returns and tabs as character references (so they survive attribute-value and
/// line-end normalisation), and every character XML 1.0 cannot carry at all (the C0 controls
/// other than tab, line feed and carriage return, U+FFFE and U+FFFF) replaced by U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push('\n'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
