//! An agreement's lifecycle, derived from the set of records about it: its versions and the
//! signatures, rejections, withdrawals and revocations of its parties. Pure and deterministic:
//! the same records (in any order, with duplicates) and the same `now` give the same view.
//!
//! The rules, in the order they apply (records are assumed to have passed validation):
//!
//! - **Versions.** Every `Agreement` record proposed by one of its own parties is a version,
//!   known by its content hash. A second record with the same content is ignored. Versions are
//!   ordered by (version, created, origin, seq); the last in that order is the *newest*.
//! - **Signatures and rejections** count for the version whose content hash they name, when
//!   that version has the number they name, the signing party is the record's origin and a
//!   party to that version, and the record has the version's status (a test or exercise record
//!   never acts on an actual agreement). A party's earliest signature (and earliest rejection)
//!   counts. A party that signed and rejected has rejected — unless the rejection was made once
//!   the version had already become active: then it is ignored (an active version is left by
//!   withdrawal or revocation, and a rejection must not erase a period in force).
//! - **Active from.** A version that every party signed and nobody rejected becomes active at
//!   `max(start of the Dutch day effective_from, the last counted signature)`. Every date is a
//!   Dutch calendar date; a day starts at 00:00 Dutch time ([`crate::calendar`]).
//! - **In force.** At a moment `t`, the version in force is the last (in version order) whose
//!   active-from is at or before `t`: a newer version supersedes the older ones from the moment
//!   it becomes active; a newer version not yet active does not displace the one in force. Once
//!   the agreement has ended (withdrawal effective or revocation), no later version comes into
//!   force.
//! - **Withdrawal.** A party of the version in force *when it withdraws* ends the agreement
//!   `notice_days` Dutch calendar days of that version after its withdrawal record, at the same
//!   Dutch clock time. A withdrawal made while no version
//!   was in force ends it at once (any party of a held version may make it). Of several, the one
//!   that takes effect first counts.
//! - **Revocation.** A party of any held version ends the agreement at once, from the moment of
//!   its record; the earliest counts. Revoked overrides every other state.
//! - **Expiry.** The version in force expires at the end of the Dutch day `valid_until`, unless
//!   a withdrawal took effect before that.
//!
//! Lower versions than the one in force are `superseded` (unless rejected); when the agreement
//! was revoked or withdrawn while no version was in force, the newest version carries that state.
//! The overall state is the state of the version in force, or else of the newest version.
use std::cmp::Ordering;
use std::collections::BTreeMap;

use prost::Message;

use crate::calendar;
use crate::pb;
use crate::record::{status_name, Payload, Record};

mod held;

use held::Sorted;

/// Default window for "expiring soon".
pub const EXPIRING_WINDOW_DAYS: i64 = 60;

/// The state of an agreement or one of its versions. Views carry it as its name
/// ([`State::as_str`]); code that decides by state compares this, never strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    Proposed,
    PartiallySigned,
    Signed,
    Active,
    Superseded,
    Expired,
    Withdrawn,
    Revoked,
    Rejected,
}

impl State {
    /// The states an agreement as a whole can be in, in lifecycle order (`superseded` is a
    /// version's state only).
    pub const OVERALL: [State; 8] = [
        State::Proposed,
        State::PartiallySigned,
        State::Signed,
        State::Active,
        State::Expired,
        State::Withdrawn,
        State::Revoked,
        State::Rejected,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            State::Proposed => "proposed",
            State::PartiallySigned => "partially_signed",
            State::Signed => "signed",
            State::Active => "active",
            State::Superseded => "superseded",
            State::Expired => "expired",
            State::Withdrawn => "withdrawn",
            State::Revoked => "revoked",
            State::Rejected => "rejected",
        }
    }

    /// The state a view names (`None`: not a state name).
    pub fn parse(name: &str) -> Option<State> {
        [State::Superseded]
            .into_iter()
            .chain(State::OVERALL)
            .find(|s| s.as_str() == name)
    }
}

/// The state names of agreements and their versions, as the views carry them.
pub mod state {
    use super::State;
    pub const PROPOSED: &str = State::Proposed.as_str();
    pub const PARTIALLY_SIGNED: &str = State::PartiallySigned.as_str();
    pub const SIGNED: &str = State::Signed.as_str();
    pub const ACTIVE: &str = State::Active.as_str();
    pub const SUPERSEDED: &str = State::Superseded.as_str();
    pub const EXPIRED: &str = State::Expired.as_str();
    pub const WITHDRAWN: &str = State::Withdrawn.as_str();
    pub const REVOKED: &str = State::Revoked.as_str();
    pub const REJECTED: &str = State::Rejected.as_str();
}

/// The state of one agreement, from every record about it that a node holds (records about
/// other agreements are ignored). `None` when no version of it is held (or none that counts:
/// every held version was proposed by a region that is not among its parties).
pub fn derive(
    agreement_id: &str,
    records: &[Record],
    now_ms: i64,
    expiring_window_days: i64,
) -> Option<pb::AgreementView> {
    let about = distinct(records.iter().filter(|r| r.agreement_id() == Some(agreement_id)));
    derive_distinct(agreement_id, &about, now_ms, expiring_window_days)
}

/// Every agreement among `records`, sorted by agreement id.
pub fn derive_all(records: &[Record], now_ms: i64, expiring_window_days: i64) -> Vec<pb::AgreementView> {
    let mut by_id: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in distinct(records) {
        if let Some(id) = r.agreement_id() {
            by_id.entry(id).or_default().push(r);
        }
    }
    by_id
        .into_iter()
        .filter_map(|(id, held)| derive_distinct(id, &held, now_ms, expiring_window_days))
        .collect()
}

/// The first moment after `now` at which a view derived at `now` can change without a new
/// record: the start of the next Dutch day (days left, expiring soon, effective and last days),
/// a withdrawal taking effect, a version becoming active, or a revocation dated later (clock
/// skew). Views derived at `now` hold until then.
pub fn next_change(views: &[pb::AgreementView], now: i64) -> i64 {
    let mut next = calendar::next_day_start(now);
    let mut consider = |t: i64| {
        if t > now {
            next = next.min(t);
        }
    };
    for v in views {
        if let Some(w) = &v.withdrawal {
            consider(w.effective_unix_ms);
        }
        if let Some(r) = &v.revocation {
            consider(r.at_unix_ms);
        }
        for version in &v.versions {
            consider(version.active_from_unix_ms);
        }
    }
    next
}

/// Each record once, sorted by (origin, seq): the same entry delivered twice is one record.
/// Should two different records claim one (origin, seq) — impossible for entries sealed by
/// their origin — the same one is kept whatever the order they came in.
pub(crate) fn distinct<'a>(records: impl IntoIterator<Item = &'a Record>) -> Vec<&'a Record> {
    let mut all: Vec<&Record> = records.into_iter().collect();
    all.sort_by(|a, b| {
        (a.origin, a.seq)
            .cmp(&(b.origin, b.seq))
            .then_with(|| conflict_order(a, b))
    });
    all.dedup_by_key(|r| (r.origin, r.seq));
    all
}

fn conflict_order(a: &Record, b: &Record) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    (&a.id, a.created_unix_ms, a.status as i32)
        .cmp(&(&b.id, b.created_unix_ms, b.status as i32))
        .then_with(|| payload_bytes(&a.payload).cmp(&payload_bytes(&b.payload)))
}

fn payload_bytes(p: &Payload) -> Vec<u8> {
    match p {
        Payload::Agreement(a, _) => a.encode_to_vec(),
        Payload::Signature(s) => s.encode_to_vec(),
        Payload::Rejection(r) => r.encode_to_vec(),
        Payload::Withdrawal(w) => w.encode_to_vec(),
        Payload::Revocation(r) => r.encode_to_vec(),
        Payload::Capacity(c) => c.encode_to_vec(),
        Payload::Evaluation(e) => e.encode_to_vec(),
        Payload::EvaluationWithdrawal(w) => w.encode_to_vec(),
        Payload::AssistanceRequest(r) => r.encode_to_vec(),
        Payload::AssistanceOffer(o) => o.encode_to_vec(),
        Payload::AssistanceAcceptance(a) => a.encode_to_vec(),
        Payload::AssistanceDeployment(d) => d.encode_to_vec(),
        Payload::AssistanceClose(c) => c.encode_to_vec(),
        Payload::AssistanceRouting(g) => g.encode_to_vec(),
        Payload::AuditAnchor(a) => a.encode_to_vec(),
    }
}

fn derive_distinct(
    agreement_id: &str,
    records: &[&Record],
    now_ms: i64,
    window_days: i64,
) -> Option<pb::AgreementView> {
    let held = Sorted::sort(records);
    if held.versions.is_empty() {
        return None;
    }
    Some(view(held, agreement_id, now_ms, window_days))
}

/// The view at `now` of what counts.
fn view(mut held: Sorted, agreement_id: &str, now: i64, window_days: i64) -> pb::AgreementView {
    let revoked = held.revocation.map(|a| a.effective).filter(|&t| t <= now);
    let withdrawn = held.withdrawal.map(|a| a.effective).filter(|&t| t <= now);
    let ended = revoked.into_iter().chain(withdrawn).min().unwrap_or(i64::MAX);
    let in_force = held.in_force(now, ended);
    let newest = held.versions.len() - 1;
    let mut states: Vec<&str> = (0..held.versions.len())
        .map(|i| {
            let v = &held.versions[i];
            match in_force {
                _ if !v.rejected.is_empty() => state::REJECTED,
                Some(f) if i < f => state::SUPERSEDED,
                Some(f) if i == f => match (revoked, withdrawn) {
                    (Some(_), _) => state::REVOKED,
                    (None, Some(w)) if w < v.expires_ms() => state::WITHDRAWN,
                    _ if now >= v.expires_ms() => state::EXPIRED,
                    _ => state::ACTIVE,
                },
                _ if v.active_from.is_some() => state::SIGNED,
                _ if v.signed.is_empty() => state::PROPOSED,
                _ => state::PARTIALLY_SIGNED,
            }
        })
        .collect();
    if in_force.is_none() {
        if revoked.is_some() {
            states[newest] = state::REVOKED;
        } else if withdrawn.is_some() {
            states[newest] = state::WITHDRAWN;
        }
    }
    let shown = in_force.unwrap_or(newest);
    let overall = states[shown];
    let days_left = in_force.map_or(0, |f| held.versions[f].valid_until_day - calendar::day_of(now));
    held.ignored.sort_by_key(|(r, _)| (r.origin, r.seq));
    pb::AgreementView {
        agreement_id: agreement_id.into(),
        state: overall.into(),
        version_in_force: in_force.map_or(0, |f| held.versions[f].number()),
        newest_version: held.versions[newest].number(),
        expiring_soon: overall == state::ACTIVE && days_left <= window_days,
        days_left,
        versions: held.versions.iter().zip(&states).map(|(v, s)| v.view(s)).collect(),
        withdrawal: held.withdrawal.map(|a| pb::Withdrawal {
            party: a.party.into(),
            reason: a.reason.into(),
            at_unix_ms: a.record.created_unix_ms,
            effective_unix_ms: a.effective,
            record_id: a.record.id.clone(),
        }),
        revocation: held.revocation.map(|a| pb::Revocation {
            party: a.party.into(),
            reason: a.reason.into(),
            at_unix_ms: a.record.created_unix_ms,
            record_id: a.record.id.clone(),
        }),
        ignored: held
            .ignored
            .iter()
            .map(|(r, why)| pb::IgnoredRecord {
                record_id: r.id.clone(),
                reason: why.clone(),
            })
            .collect(),
        status: status_name(held.versions[shown].record.status).into(),
    }
}
