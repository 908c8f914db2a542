//! Evaluation summaries with the state of their improvement actions: overdue (not done, and the
//! Dutch day of `now` is after the due date) and what later evaluations of the same region found.
//!
//! A verification counts only when it comes from a later evaluation (a later entry in the log)
//! of the same region, with the same status (a test or exercise record never verifies an actual
//! action), and names the evaluation's record id and the action. Of several, the newest (by
//! event date, then creation, then seq) gives the result. Pure and deterministic: the same
//! records in any order, with duplicates, and the same `now` give the same views.
use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::agreement::distinct;
use crate::calendar;
use crate::pb;
use crate::record::{Payload, Record};
use crate::time;

/// Views of the evaluations among `records`, newest event first (then the latest created,
/// then by record id).
pub fn views(records: &[Record], now_ms: i64) -> Vec<pb::EvaluationView> {
    let mut held: Vec<Filed> = distinct(records)
        .into_iter()
        .filter_map(|r| match &r.payload {
            Payload::Evaluation(summary) => Some(Filed { record: r, summary }),
            _ => None,
        })
        .collect();
    held.sort_by_key(|h| {
        let r = h.record;
        (
            Reverse(h.event_day()),
            Reverse(r.created_unix_ms),
            &r.id,
            r.origin,
            r.seq,
        )
    });
    // (evaluation id, action id) -> the evaluations that say they verified it, and the result.
    let mut verifications: BTreeMap<(&str, &str), Vec<(&Filed, &str)>> = BTreeMap::new();
    for h in &held {
        for v in &h.summary.verifies {
            let key = (v.evaluation_id.as_str(), v.action_id.as_str());
            verifications.entry(key).or_default().push((h, v.result.as_str()));
        }
    }
    held.iter().map(|h| h.view(&verifications, now_ms)).collect()
}

type Verifications<'a> = BTreeMap<(&'a str, &'a str), Vec<(&'a Filed<'a>, &'a str)>>;

/// One evaluation summary as filed, with the record it came in.
struct Filed<'a> {
    record: &'a Record,
    summary: &'a pb::EvaluationSummary,
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

    fn view(&self, verifications: &Verifications, now_ms: i64) -> pb::EvaluationView {
        let today = calendar::day_of(now_ms);
        let actions = self.summary.actions.iter().map(|a| {
            let due = time::parse_date("due", &a.due).ok();
            let (verified, verified_by) = match self.verification(verifications, &a.action_id) {
                Some((result, by)) => (result.to_string(), by.to_string()),
                None => Default::default(),
            };
            pb::ActionView {
                action: Some(a.clone()),
                overdue: a.status != "done" && due.is_some_and(|d| today > d),
                verified,
                verified_by,
                evaluation_id: self.record.id.clone(),
                event_date: self.summary.event.as_ref().map(|e| e.date.clone()).unwrap_or_default(),
            }
        });
        pb::EvaluationView {
            record: Some(self.record.meta()),
            summary: Some(self.summary.clone()),
            actions: actions.collect(),
        }
    }

    /// The result and record id of the newest later evaluation of the same region (and the
    /// same status) that verified `action_id` of this one.
    fn verification<'b>(&self, verifications: &'b Verifications, action_id: &str) -> Option<(&'b str, &'b str)> {
        let me = self.record;
        verifications
            .get(&(me.id.as_str(), action_id))?
            .iter()
            .filter(|(h, _)| h.record.origin == me.origin && h.record.seq > me.seq && h.record.status == me.status)
            .max_by_key(|(h, _)| h.newness())
            .map(|(h, result)| (*result, h.record.id.as_str()))
    }
}
