//! Evaluation summaries with the state of their improvement actions: overdue (not done, past
//! due) and what later evaluations of the same region found.
use crate::pb;
use crate::record::Record;

/// Views of the evaluations among `records`, newest event first.
pub fn views(records: &[Record], now_ms: i64) -> Vec<pb::EvaluationView> {
    let _ = (records, now_ms);
    todo!()
}
