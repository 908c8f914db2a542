//! Plain-text tables for terminal output: columns padded to their widest cell.
/// The columns of an improvement action (the catalogue's ids), as evaluations and the
/// in-control card list them.
pub const ACTION_COLUMNS: [&str; 6] = [
    "cli-col-id",
    "cli-col-area",
    "cli-col-description",
    "cli-col-owner",
    "cli-col-due",
    "cli-col-status",
];

/// The figures of a capacity line (the catalogue's ids), as a report and the national
/// capacity show them.
pub const CAPACITY_COLUMNS: [&str; 6] = [
    "cli-col-baseline",
    "cli-col-available",
    "cli-col-committed",
    "cli-col-out-of-service",
    "cli-col-surge-24h",
    "cli-col-surge-72h",
];

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            right: vec![false; header.len()],
        }
    }

    /// A table whose header cells are the catalogue's messages `ids` in `lang`.
    pub fn of(lang: regiosync_i18n::Lang, ids: &[&str]) -> Table {
        let c = regiosync_i18n::Catalog::of(lang);
        let header: Vec<String> = ids.iter().map(|id| c.s(id)).collect();
        Table::new(&header.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Right-align these columns (numbers).
    pub fn right(mut self, cols: &[usize]) -> Table {
        for c in cols {
            self.right[*c] = true;
        }
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = widths[i] - c.chars().count();
                if i > 0 {
                    s.push_str("  ");
                }
                if self.right[i] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if i + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
            }
            s.push('\n');
            s
        };
        let mut out = line(&self.header);
        out.push_str(&line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}
