//! Which evaluation each evaluation record belongs to: a first filing starts an evaluation, a
//! correction (`corrects`) adds its next version, a withdrawal ends it, and a resubmission of
//! content already filed counts as the record it repeats.
//!
//! All records about one evaluation are its own region's (the record rules require it), so a
//! region's log orders them: they are read in seq order, and a record counts only if it is
//! right at that point of the log:
//! - a correction names the current version (a version is corrected at most once: of two
//!   corrections of one version the first counts) with the evaluation's status, and nothing
//!   follows a withdrawal;
//! - a withdrawal names the current version with the evaluation's status, once;
//! - a summary whose [`identity`] (and status) equals that of a version already read is a
//!   resubmission of it, never a second evaluation;
//! - a correction of a version not held here (not in this node's audience) stands on its own;
//!   anything naming a record that does not count does not count either.
//!
//! Records that do not count are listed, with why, on the evaluation they name. The same
//! records in any order, with duplicates, give the same evaluations.
use std::collections::BTreeMap;

use prost::Message;
use regiosync_types::NodeId;
use sha2::{Digest, Sha256};

use crate::agreement::distinct;
use crate::pb;
use crate::record::{status_name, Payload, Record};

/// One evaluation summary as filed, with the record it came in.
pub(crate) struct Filed<'a> {
    pub record: &'a Record,
    pub summary: &'a pb::EvaluationSummary,
}

/// One evaluation: its versions and what became of it.
pub(crate) struct Evaluation<'a> {
    /// Oldest first, never empty: the first filing, then each correction.
    pub versions: Vec<Filed<'a>>,
    pub withdrawal: Option<(&'a Record, &'a pb::EvaluationWithdrawal)>,
    /// Resubmissions: the record and the version (index) it repeats.
    pub repeats: Vec<(&'a Record, usize)>,
    pub ignored: Vec<pb::IgnoredRecord>,
}

impl<'a> Evaluation<'a> {
    /// The current version (the one withdrawn, when withdrawn).
    pub fn head(&self) -> &Filed<'a> {
        self.versions.last().expect("an evaluation has a version")
    }

    /// Current and not withdrawn: its head counts.
    pub fn counts(&self) -> bool {
        self.withdrawal.is_none()
    }

    /// Why `r`, naming version `v`, cannot change this evaluation (`None`: it can).
    fn refuses(&self, v: usize, r: &Record) -> Option<String> {
        let named = &self.versions[v].record.id;
        if let Some((w, _)) = self.withdrawal {
            return Some(format!(
                "{named} was withdrawn by {}; nothing changes a withdrawn evaluation",
                w.id
            ));
        }
        let head = self.head().record;
        if let Some(next) = self.versions.get(v + 1) {
            return Some(format!(
                "{named} was already corrected by {}; only the current version {} can be corrected or withdrawn",
                next.record.id, head.id
            ));
        }
        if r.status != head.status {
            return Some(format!(
                "{named} is {}, this record {}; a correction or withdrawal keeps the evaluation's status",
                status_name(head.status),
                status_name(r.status)
            ));
        }
        None
    }

    fn ignore(&mut self, r: &Record, reason: String) {
        self.ignored.push(pb::IgnoredRecord {
            record_id: r.id.clone(),
            reason,
        });
    }
}

/// Where a record id was placed: a version (or a resubmission of one), or a record of an
/// evaluation that does not count.
#[derive(Clone, Copy)]
enum Place {
    Version(usize, usize),
    Ignored(usize),
}

/// The evaluations among `records`, in the order their first version was read (by region,
/// then seq).
pub(crate) fn evaluations(records: &[Record]) -> Vec<Evaluation<'_>> {
    let mut out: Vec<Evaluation> = Vec::new();
    let mut ids: BTreeMap<(NodeId, &str), Place> = BTreeMap::new();
    let mut contents: BTreeMap<(NodeId, i32, [u8; 32]), (usize, usize)> = BTreeMap::new();
    for r in distinct(records) {
        match &r.payload {
            Payload::Evaluation(summary) => {
                let content = (r.origin, r.status as i32, identity(summary));
                if let Some(&(e, v)) = contents.get(&content) {
                    let of = out[e].versions[v].record.id.clone();
                    out[e].ignore(
                        r,
                        format!("files the same content as {of} again: counted once, as {of}"),
                    );
                    out[e].repeats.push((r, v));
                    ids.insert((r.origin, &r.id), Place::Version(e, v));
                    continue;
                }
                let named = match summary.corrects.as_str() {
                    "" => None,
                    id => ids.get(&(r.origin, id)).copied(),
                };
                let place = match named {
                    None => {
                        out.push(Evaluation {
                            versions: vec![Filed { record: r, summary }],
                            withdrawal: None,
                            repeats: Vec::new(),
                            ignored: Vec::new(),
                        });
                        (out.len() - 1, 0)
                    }
                    Some(Place::Ignored(e)) => {
                        let why = format!("corrects {}, which does not count", summary.corrects);
                        out[e].ignore(r, why);
                        ids.insert((r.origin, &r.id), Place::Ignored(e));
                        continue;
                    }
                    Some(Place::Version(e, v)) => match out[e].refuses(v, r) {
                        Some(why) => {
                            out[e].ignore(r, why);
                            ids.insert((r.origin, &r.id), Place::Ignored(e));
                            continue;
                        }
                        None => {
                            out[e].versions.push(Filed { record: r, summary });
                            (e, out[e].versions.len() - 1)
                        }
                    },
                };
                ids.insert((r.origin, &r.id), Place::Version(place.0, place.1));
                contents.insert(content, place);
            }
            Payload::EvaluationWithdrawal(w) => match ids.get(&(r.origin, w.evaluation_id.as_str())).copied() {
                None => {}
                Some(Place::Ignored(e)) => {
                    let why = format!("withdraws {}, which does not count", w.evaluation_id);
                    out[e].ignore(r, why);
                }
                Some(Place::Version(e, v)) => match out[e].refuses(v, r) {
                    Some(why) => out[e].ignore(r, why),
                    None => out[e].withdrawal = Some((r, w)),
                },
            },
            _ => {}
        }
    }
    out
}

/// What makes two filings the same evaluation: the SHA-256 of the summary as encoded with
/// `author` left out and the ratings in area order (every field else, `corrects` included,
/// as filed). Two records are the same evaluation when they are of one region, with one
/// status, and their identities are equal.
pub fn identity(summary: &pb::EvaluationSummary) -> [u8; 32] {
    let mut s = summary.clone();
    s.author.clear();
    s.ratings.sort_by(|a, b| a.area.cmp(&b.area));
    Sha256::digest(s.encode_to_vec()).into()
}
