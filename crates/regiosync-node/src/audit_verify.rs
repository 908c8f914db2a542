//! `regiosync audit verify`: checks audit files (one, or rotated ones oldest first) against
//! the chain rules, and optionally against the anchors the node published in its signed log.
//!
//! The chain: every line's `prev` is the SHA-256 of the line before it (across files), its
//! `seq` one more. So a deleted line shows as a jump in seq with a `prev` that does not match,
//! an altered line as the next line's `prev` not matching it, an inserted line as a `prev` that
//! skips it (or a seq repeated). The chain alone cannot show a tail cut off, or lines rewritten
//! from some point to the end with their hashes recomputed: the anchors do (each anchored seq
//! must be in the files with the anchored hash), and a line right after the node's last anchor
//! before it stopped must be the node's own `open` line at its next start.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use prost::Message;
use regiosync_records::pb as rpb;
use serde::Serialize;

use crate::audit::{event, Line, GENESIS};
use crate::pb;

/// An anchor as read from the node's log.
#[derive(Clone, Debug, Serialize)]
pub struct Anchor {
    /// The entry that carries it (e.g. `VR01-17`).
    pub entry: String,
    pub seq: u64,
    pub hash: String,
    pub last: bool,
}

impl Anchor {
    /// The anchors among `entries` (entries of kind `audit_anchor`).
    pub fn from_entries(entries: &[pb::EntryView]) -> Result<Vec<Anchor>, String> {
        let mut out = Vec::new();
        for body in entries.iter().filter_map(|e| e.body.as_ref()) {
            if body.kind != regiosync_records::kinds::AUDIT_ANCHOR {
                continue;
            }
            let a = rpb::AuditAnchor::decode(body.payload.as_slice())
                .map_err(|e| format!("anchor {}: payload does not decode: {e}", body.id))?;
            out.push(Anchor {
                entry: body.id.clone(),
                seq: a.seq,
                hash: a.hash,
                last: a.last,
            });
        }
        Ok(out)
    }
}

/// Something wrong, and where.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Problem {
    pub file: String,
    /// 1-based line number in `file` (0: not a line of the files, e.g. an anchor past them).
    pub line: usize,
    pub seq: Option<u64>,
    pub what: String,
}

/// One file checked.
#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub lines: usize,
    pub first_seq: Option<u64>,
    pub last_seq: Option<u64>,
}

/// What the anchors showed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AnchorSummary {
    /// Anchors read from the node.
    pub fetched: usize,
    /// Anchors whose line is in the files and matched.
    pub matched: usize,
    /// Anchors of lines before the first file given (not checked).
    pub before_files: usize,
}

/// The outcome of a check.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    pub files: Vec<FileSummary>,
    /// The last line of the last file: seq and hash.
    pub head_seq: Option<u64>,
    pub head_hash: Option<String>,
    pub anchors: Option<AnchorSummary>,
    pub problems: Vec<Problem>,
}

/// Where a seq is in the files.
struct At {
    file: usize,
    line: usize,
    hash: String,
    event: String,
}

/// Check `files` (oldest first) and, when given, the node's `anchors`. Read the anchors
/// before the files, so every anchor names a line the files had when they were read.
pub fn verify(files: &[PathBuf], anchors: Option<&[Anchor]>) -> std::io::Result<Report> {
    let mut problems = Vec::new();
    let mut summaries = Vec::new();
    let mut by_seq: HashMap<u64, At> = HashMap::new();
    // The line before (across files): its place, seq (None when it did not parse), hash, and
    // the hash of the line before that (to tell an inserted line).
    let mut before: Option<(usize, usize, Option<u64>, String)> = None;
    let mut before_that: Option<String> = None;
    let mut last_seq: Option<u64> = None;
    let name = |i: usize| files[i].display().to_string();
    for (fi, path) in files.iter().enumerate() {
        let bytes = read(path)?;
        let mut summary = FileSummary {
            file: name(fi),
            lines: 0,
            first_seq: None,
            last_seq: None,
        };
        let complete = bytes.is_empty() || bytes.ends_with(b"\n");
        let body = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let pieces: Vec<&[u8]> = if body.is_empty() {
            Vec::new()
        } else {
            body.split(|b| *b == b'\n').collect()
        };
        let count = pieces.len();
        for (li, raw) in pieces.into_iter().enumerate() {
            let line_no = li + 1;
            summary.lines += 1;
            let hash = Line::hash(raw);
            let mut problem = |seq: Option<u64>, what: String| {
                problems.push(Problem {
                    file: name(fi),
                    line: line_no,
                    seq,
                    what,
                })
            };
            if !complete && line_no == count {
                problem(None, "the file ends inside this line (no newline): cut off".into());
            }
            let line = match Line::parse(raw) {
                Ok(l) => l,
                Err(e) => {
                    problem(None, format!("not an audit line: {e}"));
                    before_that = before.as_ref().map(|b| b.3.clone());
                    before = Some((fi, line_no, None, hash));
                    continue;
                }
            };
            let seq = line.seq;
            let mut altered = None;
            summary.first_seq.get_or_insert(seq);
            summary.last_seq = Some(seq);
            match &before {
                None if seq == 1 && line.prev != GENESIS => {
                    problem(Some(seq), format!("the chain's first line must have prev {GENESIS}"))
                }
                None => {}
                Some((bf, bl, bseq, bhash)) => {
                    let place = format!("{}:{bl}", name(*bf));
                    if &line.prev != bhash {
                        let what = if before_that.as_ref() == Some(&line.prev) {
                            format!("prev skips the line before ({place}): that line is not in the chain (inserted)")
                        } else {
                            match bseq {
                                Some(b) if seq > b + 1 => format!(
                                    "seq jumps from {b} ({place}) to {seq} and prev does not match: {} line(s) deleted before this one",
                                    seq - b - 1
                                ),
                                Some(b) if seq <= *b => format!(
                                    "seq {seq} after seq {b} ({place}) and prev does not match: a line was inserted"
                                ),
                                Some(b) => {
                                    // Named where it is: the line whose bytes changed.
                                    altered = Some(Problem {
                                        file: name(*bf),
                                        line: *bl,
                                        seq: Some(*b),
                                        what: format!(
                                            "altered: its hash is not the prev of the next line ({}:{line_no}, seq {seq})",
                                            name(fi)
                                        ),
                                    });
                                    String::new()
                                }
                                None => format!("prev is not the hash of the damaged line before ({place})"),
                            }
                        };
                        if !what.is_empty() {
                            problem(Some(seq), what);
                        }
                    } else {
                        match bseq {
                            Some(b) if seq != b + 1 => problem(
                                Some(seq),
                                format!("seq {seq} follows seq {b} ({place}); expected {}", b + 1),
                            ),
                            // After a damaged line the seq must only move on.
                            None if last_seq.is_some_and(|l| seq <= l) => problem(
                                Some(seq),
                                format!(
                                    "seq {seq} after a damaged line does not move past seq {}",
                                    last_seq.unwrap_or(0)
                                ),
                            ),
                            _ => {}
                        }
                    }
                }
            }
            problems.extend(altered);
            if let Some(at) = by_seq.get(&seq) {
                problems.push(Problem {
                    file: name(fi),
                    line: line_no,
                    seq: Some(seq),
                    what: format!("seq {seq} is also at {}:{}", name(at.file), at.line),
                });
            } else {
                by_seq.insert(
                    seq,
                    At {
                        file: fi,
                        line: line_no,
                        hash: hash.clone(),
                        event: line.event.clone(),
                    },
                );
            }
            last_seq = Some(seq);
            before_that = before.as_ref().map(|b| b.3.clone());
            before = Some((fi, line_no, Some(seq), hash));
        }
        summaries.push(summary);
    }
    let first_seq = summaries.iter().find_map(|s| s.first_seq);
    let anchors = anchors.map(|anchors| {
        let mut summary = AnchorSummary {
            fetched: anchors.len(),
            ..Default::default()
        };
        for a in anchors {
            let place = |at: &At| (name(at.file), at.line);
            if first_seq.is_some_and(|f| a.seq < f) {
                summary.before_files += 1;
                continue;
            }
            match by_seq.get(&a.seq) {
                Some(at) if at.hash == a.hash => {
                    summary.matched += 1;
                    if a.last {
                        if let Some(next) = by_seq.get(&(a.seq + 1)) {
                            if next.event != event::OPEN && next.event != event::CHAIN_BREAK {
                                let (file, line) = place(next);
                                problems.push(Problem {
                                    file,
                                    line,
                                    seq: Some(a.seq + 1),
                                    what: format!(
                                        "follows the node's last line before it stopped (seq {}, anchor {}) but is not the node's open line: written while the node was stopped",
                                        a.seq, a.entry
                                    ),
                                });
                            }
                        }
                    }
                }
                Some(at) => {
                    let (file, line) = place(at);
                    problems.push(Problem {
                        file,
                        line,
                        seq: Some(a.seq),
                        what: format!(
                            "its hash differs from anchor {} ({}): the line was altered or replaced",
                            a.entry, a.hash
                        ),
                    });
                }
                None => {
                    let what = match last_seq {
                        Some(l) if a.seq > l => format!(
                            "anchor {} names seq {} but the files end at seq {l}: the tail was cut off or a later file is missing",
                            a.entry, a.seq
                        ),
                        _ => format!("anchor {} names seq {}, which is not in the files (deleted)", a.entry, a.seq),
                    };
                    problems.push(Problem {
                        file: files.last().map(|p| p.display().to_string()).unwrap_or_default(),
                        line: 0,
                        seq: Some(a.seq),
                        what,
                    });
                }
            }
        }
        summary
    });
    let head = before.filter(|b| b.2.is_some());
    Ok(Report {
        ok: problems.is_empty(),
        files: summaries,
        head_seq: head.as_ref().and_then(|h| h.2),
        head_hash: head.map(|h| h.3),
        anchors,
        problems,
    })
}

/// The node named by the first line of the first of `files` that has one.
pub fn node_of(files: &[PathBuf]) -> std::io::Result<Option<String>> {
    for path in files {
        let bytes = read(path)?;
        if let Some(line) = bytes.split(|b| *b == b'\n').find_map(|l| Line::parse(l).ok()) {
            return Ok(Some(line.node));
        }
    }
    Ok(None)
}

fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

impl Report {
    /// The report as people read it: one line per problem, then a summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            let seq = p.seq.map(|s| format!(" (seq {s})")).unwrap_or_default();
            if p.line == 0 {
                out.push_str(&format!("{}{seq}: {}\n", p.file, p.what));
            } else {
                out.push_str(&format!("{}:{}{seq}: {}\n", p.file, p.line, p.what));
            }
        }
        let lines: usize = self.files.iter().map(|f| f.lines).sum();
        let seqs = match (self.files.iter().find_map(|f| f.first_seq), self.head_seq) {
            (Some(a), Some(b)) => format!(", seq {a}..={b}"),
            _ => String::new(),
        };
        let anchors = match &self.anchors {
            Some(a) => format!(
                "; anchors: {} fetched, {} matched, {} before these files",
                a.fetched, a.matched, a.before_files
            ),
            None => "; anchors not checked (give --node to check them)".into(),
        };
        let verdict = if self.ok {
            "ok".to_string()
        } else {
            format!("{} problem(s)", self.problems.len())
        };
        out.push_str(&format!(
            "{verdict}: {} file(s), {lines} line(s){seqs}{anchors}\n",
            self.files.len()
        ));
        out
    }
}
