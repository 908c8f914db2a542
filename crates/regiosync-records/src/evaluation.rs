//! Evaluation summaries with the state of their improvement actions: overdue (not done, and the
//! Dutch day of `now` is after the due date) and what later evaluations of the same region found;
//! and the state of each evaluation: its versions (corrections), whether it was withdrawn, and
//! which records about it do not count (`chains`: resubmissions of the same content, a second
//! correction of one version, anything after the withdrawal).
//!
//! Each evaluation counts once, as its current version, and not at all once withdrawn
//! ([`counted`]: what every count and question reads). A verification counts only when it comes
//! from the current version of another evaluation of the same region that counts, later in the
//! log than the version it names (any version of the evaluation, or a resubmission of one), with
//! the same status (a test or exercise record never verifies an actual action), and names an
//! action of the version shown. Of several, the newest (by event date, then creation, then seq)
//! gives the result. Pure and deterministic: the same records in any order, with duplicates,
//! and the same `now` give the same views.
use std::cmp::Reverse;
use std::collections::BTreeMap;

use regiosync_types::NodeId;

use crate::calendar;
use crate::pb;
use crate::record::Record;
use crate::time;

mod chains;

pub use chains::identity;
use chains::{Evaluation, Filed};

/// The version that counts.
pub const CURRENT: &str = "current";
/// A later version corrects it.
pub const SUPERSEDED: &str = "superseded";
/// Its region withdrew the evaluation.
pub const WITHDRAWN: &str = "withdrawn";

/// One view per evaluation among `records` (its current version, or the version withdrawn),
/// newest event first (then the latest created, then by record id).
pub fn views(records: &[Record], now_ms: i64) -> Vec<pb::EvaluationView> {
    let all = chains::evaluations(records);
    let found = verifications(&all);
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| {
        let h = all[i].head();
        let r = h.record;
        (
            Reverse(h.event_day()),
            Reverse(r.created_unix_ms),
            &r.id,
            r.origin,
            r.seq,
        )
    });
    order
        .into_iter()
        .map(|i| view_of(&all, i, all[i].versions.len() - 1, &found, now_ms))
        .collect()
}

/// The view of the version `id` names among `records`: a version of an evaluation (superseded
/// ones too), a resubmission of one (its view is that version's), or a record about the
/// evaluation that withdrew it or does not count (the current version's).
pub fn view(records: &[Record], id: &str, now_ms: i64) -> Option<pb::EvaluationView> {
    let all = chains::evaluations(records);
    let (i, v) = all.iter().enumerate().find_map(|(i, e)| {
        let last = e.versions.len() - 1;
        e.versions
            .iter()
            .position(|f| f.record.id == id)
            .or_else(|| e.repeats.iter().find(|(r, _)| r.id == id).map(|(_, v)| *v))
            .or_else(|| e.withdrawal.filter(|(w, _)| w.id == id).map(|_| last))
            .or_else(|| e.ignored.iter().any(|g| g.record_id == id).then_some(last))
            .map(|v| (i, v))
    })?;
    Some(view_of(&all, i, v, &verifications(&all), now_ms))
}

/// The evaluations that count among `records`, each once: the current version of every
/// evaluation not withdrawn (any region, any status: callers keep what they count).
pub fn counted(records: &[Record]) -> Vec<(&Record, &pb::EvaluationSummary)> {
    chains::evaluations(records)
        .iter()
        .filter(|e| e.counts())
        .map(|e| (e.head().record, e.head().summary))
        .collect()
}

/// A verification by the current version of an evaluation that counts (`by`: its index).
struct Found<'a> {
    by: usize,
    filed: &'a Filed<'a>,
    result: &'a str,
}

/// (region, evaluation id named, action id) -> the verifications that name it.
type Verifications<'a> = BTreeMap<(NodeId, &'a str, &'a str), Vec<Found<'a>>>;

fn verifications<'a>(all: &'a [Evaluation<'a>]) -> Verifications<'a> {
    let mut found: Verifications = BTreeMap::new();
    for (by, e) in all.iter().enumerate().filter(|(_, e)| e.counts()) {
        let filed = e.head();
        for v in &filed.summary.verifies {
            let key = (filed.record.origin, v.evaluation_id.as_str(), v.action_id.as_str());
            found.entry(key).or_default().push(Found {
                by,
                filed,
                result: v.result.as_str(),
            });
        }
    }
    found
}

/// The view of version `v` of evaluation `i`.
fn view_of(all: &[Evaluation], i: usize, v: usize, found: &Verifications, now_ms: i64) -> pb::EvaluationView {
    let e = &all[i];
    let shown = &e.versions[v];
    let (state, superseded_by) = match e.versions.get(v + 1) {
        Some(next) => (SUPERSEDED, next.record.id.clone()),
        None if e.withdrawal.is_some() => (WITHDRAWN, String::new()),
        None => (CURRENT, String::new()),
    };
    // Every id of this evaluation a verification may name, with its seq.
    let named: Vec<&Record> = e
        .versions
        .iter()
        .map(|f| f.record)
        .chain(e.repeats.iter().map(|(r, _)| *r))
        .collect();
    let today = calendar::day_of(now_ms);
    let actions = shown.summary.actions.iter().map(|a| {
        let due = time::parse_date("due", &a.due).ok();
        let newest = named
            .iter()
            .filter_map(|n| {
                found
                    .get(&(n.origin, n.id.as_str(), a.action_id.as_str()))
                    .map(|f| (n, f))
            })
            .flat_map(|(n, f)| f.iter().map(move |f| (n, f)))
            .filter(|(n, f)| f.by != i && f.filed.record.seq > n.seq && f.filed.record.status == n.status)
            .max_by_key(|(_, f)| f.filed.newness());
        let (verified, verified_by) = match newest {
            Some((_, f)) => (f.result.to_string(), f.filed.record.id.clone()),
            None => Default::default(),
        };
        pb::ActionView {
            action: Some(a.clone()),
            overdue: a.status != "done" && due.is_some_and(|d| today > d),
            verified,
            verified_by,
            evaluation_id: shown.record.id.clone(),
            event_date: shown.summary.event.as_ref().map(|e| e.date.clone()).unwrap_or_default(),
        }
    });
    pb::EvaluationView {
        record: Some(shown.record.meta()),
        summary: Some(shown.summary.clone()),
        actions: actions.collect(),
        state: state.into(),
        superseded_by,
        versions: e.versions.iter().map(|f| f.record.meta()).collect(),
        withdrawal: e.withdrawal.map(|(r, w)| pb::PartyAct {
            party: w.region.clone(),
            author: w.author.clone(),
            at_unix_ms: r.created_unix_ms,
            reason: w.reason.clone(),
            record_id: r.id.clone(),
        }),
        ignored: e.ignored.clone(),
    }
}

impl Filed<'_> {
    /// The event's day; `None` (oldest) if it does not read as a date.
    fn event_day(&self) -> Option<i64> {
        let date = self.summary.event.as_ref().map_or("", |e| e.date.as_str());
        time::parse_date("event.date", date).ok()
    }

    fn newness(&self) -> (Option<i64>, i64, u64) {
        (self.event_day(), self.record.created_unix_ms, self.record.seq)
    }
}
