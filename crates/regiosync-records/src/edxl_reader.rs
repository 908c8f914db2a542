//! A strict little XML reader for the EDXL-RM tests (no XML crate is available offline):
//! elements, attributes, text and entities, refusing anything not well formed, enough to check
//! every exported document and read its values back.

#[derive(Debug, Default)]
pub(crate) struct El {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<El>,
    pub(crate) text: String,
}

impl El {
    /// Every element at `path` ("A/B/C") below this one.
    pub(crate) fn all(&self, path: &str) -> Vec<&El> {
        let mut at = vec![self];
        for step in path.split('/') {
            at = at
                .into_iter()
                .flat_map(|e| e.children.iter().filter(|c| c.name == step))
                .collect();
        }
        at
    }

    pub(crate) fn texts(&self, path: &str) -> Vec<String> {
        self.all(path).into_iter().map(|e| e.text.clone()).collect()
    }

    /// The one text at `path`; panics when there is not exactly one.
    pub(crate) fn one(&self, path: &str) -> String {
        let t = self.texts(path);
        assert_eq!(t.len(), 1, "{path}: {t:?}");
        t.into_iter().next().unwrap_or_default()
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

struct Reader<'a> {
    s: &'a str,
    i: usize,
}

/// Parse a whole document: the declaration, one root element, nothing after it but space.
/// Panics (failing the test) on anything that is not well-formed.
pub(crate) fn parse(doc: &str) -> El {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    assert!(doc.starts_with(decl), "no XML declaration: {doc}");
    let mut r = Reader { s: doc, i: decl.len() };
    r.space();
    let root = r.element();
    r.space();
    assert_eq!(r.i, doc.len(), "content after the root element");
    root
}

impl Reader<'_> {
    pub(crate) fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    pub(crate) fn space(&mut self) {
        while self.rest().starts_with([' ', '\n', '\t', '\r']) {
            self.i += 1;
        }
    }

    pub(crate) fn name(&mut self) -> String {
        let n = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || c == ':' || c == '_' || c == '-' || c == '.'))
            .unwrap_or(0);
        assert!(n > 0, "a name expected at {}", self.i);
        let name = self.rest()[..n].to_string();
        self.i += n;
        name
    }

    pub(crate) fn expect(&mut self, lit: &str) {
        assert!(
            self.rest().starts_with(lit),
            "'{lit}' expected at {}: {}",
            self.i,
            self.rest()
        );
        self.i += lit.len();
    }

    pub(crate) fn element(&mut self) -> El {
        self.expect("<");
        let mut el = El {
            name: self.name(),
            ..El::default()
        };
        loop {
            self.space();
            if self.rest().starts_with("/>") {
                self.i += 2;
                return el;
            }
            if self.rest().starts_with('>') {
                self.i += 1;
                break;
            }
            let k = self.name();
            self.expect("=\"");
            let end = self.rest().find('"').expect("attribute value ends");
            let raw = self.rest()[..end].to_string();
            assert!(!raw.contains('<'), "'<' in an attribute value");
            self.i += end + 1;
            assert!(el.attr(&k).is_none(), "attribute {k} twice");
            el.attrs.push((k, unescape(&raw)));
        }
        let mut text = String::new();
        loop {
            if self.rest().starts_with("</") {
                self.i += 2;
                let closing = self.name();
                assert_eq!(closing, el.name, "mismatched end tag");
                self.expect(">");
                break;
            }
            if self.rest().starts_with('<') {
                let child = self.element();
                el.children.push(child);
                continue;
            }
            let end = self.rest().find('<').expect("the element ends");
            text.push_str(&self.rest()[..end]);
            self.i += end;
        }
        el.text = if el.children.is_empty() {
            unescape(&text)
        } else {
            assert!(text.trim().is_empty(), "mixed content in {}", el.name);
            String::new()
        };
        el
    }
}

/// Character data back into text; panics on a bare `&`, an unknown entity or a
/// character XML 1.0 does not allow.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("entity ends with ';'") + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") => char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap(),
            e if e.starts_with('#') => char::from_u32(e[1..].parse().unwrap()).unwrap(),
            e => panic!("unknown entity &{e};"),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    for c in out.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}');
        assert!(ok, "character {c:?} is not allowed in XML 1.0");
    }
    out
}

#[test]
fn the_reader_refuses_what_is_not_well_formed() {
    for bad in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b></a></b>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x & y</a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\u{1}</a>",
        "<a></a>",
    ] {
        assert!(std::panic::catch_unwind(|| parse(bad)).is_err(), "{bad}");
    }
}
