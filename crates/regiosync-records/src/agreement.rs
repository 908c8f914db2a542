//! An agreement's lifecycle, derived from the set of records about it: its versions and the
//! signatures, rejections, withdrawals and revocations of its parties. Pure and deterministic:
//! the same records (in any order, with duplicates) and the same `now` give the same view.
use crate::pb;
use crate::record::Record;

/// Default window for "expiring soon".
pub const EXPIRING_WINDOW_DAYS: i64 = 60;

/// The state of one agreement, from every record about it that a node holds (records about
/// other agreements are ignored). `None` when no version of it is held.
pub fn derive(agreement_id: &str, records: &[Record], now_ms: i64, expiring_window_days: i64) -> Option<pb::AgreementView> {
    let _ = (agreement_id, records, now_ms, expiring_window_days);
    todo!()
}

/// Every agreement among `records`, sorted by agreement id.
pub fn derive_all(records: &[Record], now_ms: i64, expiring_window_days: i64) -> Vec<pb::AgreementView> {
    let _ = (records, now_ms, expiring_window_days);
    todo!()
}
