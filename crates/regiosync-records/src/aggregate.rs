//! The aggregates a node keeps up to date as records are stored, so the national questions
//! read a handful of keys instead of every record:
//!
//! | key                                   | value                                   |
//! |---------------------------------------|-----------------------------------------|
//! | `ag` agreement id                     | `AgreementRecords`: every record about it |
//! | `cl` region id 0x00 status (1 byte)   | `CapacityLatest`: newest report, count  |
//! | `cd` region id 0x00 day (4 bytes BE)  | `CapacityDay`: that day's newest actual report's figures |
//! | `ev` region id 0x00                   | `RegionEvaluations`: every evaluation record (summaries, withdrawals) |
//! | `en` year(4) kind(1) area 0x00 rating | count of actual ratings of the evaluations that count (u64 BE) |
//! | `as` request id                       | `AssistanceRecords`: every record about one assistance request |
//!
//! [`fold`] adds one newly stored entry; the storage layer writes the changes in the same
//! atomic batch as the entry and calls it once per entry, so each record counts once. The
//! rating counters follow what the region's evaluations that count rate
//! ([`crate::evaluation::counted`]): a correction, withdrawal or resubmission changes them in
//! the write that stores it, by the difference it makes, so they are the same in any order of
//! arrival.
//! [`crate::read`] is the inverse: stored values back into the inputs of the questions.
use std::collections::{BTreeMap, BTreeSet};

use prost::Message;
use regiosync_types::pb::Status;
use regiosync_types::{Envelope, Error, NodeId};

use crate::evaluation;
use crate::pb;
use crate::record::{Payload, Record};
use crate::time;

/// Read and write access to the aggregates during one write.
pub trait State {
    fn get(&mut self, key: &[u8]) -> Option<Vec<u8>>;
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>);
}

pub const AGREEMENTS: &[u8] = b"ag";
pub const CAPACITY: &[u8] = b"cl";
pub const CAPACITY_DAYS: &[u8] = b"cd";
pub const EVALUATIONS: &[u8] = b"ev";
pub const RATING_COUNTS: &[u8] = b"en";
pub const ASSISTANCE: &[u8] = b"as";

pub fn assistance_key(request_id: &str) -> Vec<u8> {
    [ASSISTANCE, request_id.as_bytes()].concat()
}

pub fn agreement_key(agreement_id: &str) -> Vec<u8> {
    [AGREEMENTS, agreement_id.as_bytes()].concat()
}

pub fn capacity_key(region: NodeId, status: Status) -> Vec<u8> {
    [CAPACITY, region.key(), &[status as u8]].concat()
}

/// `day`: the Dutch day (days since 1970-01-01) of the report's as_of.
pub fn capacity_day_key(region: NodeId, day: i64) -> Vec<u8> {
    let day = u32::try_from(day.max(0)).unwrap_or(u32::MAX);
    [CAPACITY_DAYS, region.key(), &day.to_be_bytes()].concat()
}

pub fn evaluations_key(region: NodeId) -> Vec<u8> {
    [EVALUATIONS, region.key()].concat()
}

/// `kind` is "incident" or "exercise" (first letter kept).
pub fn rating_key(year: u32, event_kind: &str, area: &str, rating: &str) -> Vec<u8> {
    let mut k = RATING_COUNTS.to_vec();
    k.extend_from_slice(format!("{year:04}").as_bytes());
    k.push(event_kind.bytes().next().unwrap_or(b'?'));
    k.extend_from_slice(area.as_bytes());
    k.push(0);
    k.extend_from_slice(rating.as_bytes());
    k
}

/// (year, event kind initial, area, rating) of a rating counter key.
pub fn parse_rating_key(key: &[u8]) -> Option<(u32, u8, String, String)> {
    let rest = key.strip_prefix(RATING_COUNTS)?;
    let year = std::str::from_utf8(rest.get(..4)?).ok()?.parse().ok()?;
    let kind = *rest.get(4)?;
    let tail = std::str::from_utf8(rest.get(5..)?).ok()?;
    let (area, rating) = tail.split_once('\0')?;
    Some((year, kind, area.to_string(), rating.to_string()))
}

/// Fold one newly stored entry into the aggregates. Entries of opaque kinds and entries that do
/// not decode (they were refused before being stored) change nothing. A stored aggregate value
/// that does not decode is an error: the entry is not stored (its batch is refused).
pub fn fold(env: &Envelope, state: &mut dyn State) -> Result<(), Error> {
    let Ok(Some(record)) = Record::decode(env) else {
        return Ok(());
    };
    let held = Record::held(env);
    match &record.payload {
        Payload::Capacity(report) => {
            let key = capacity_key(record.origin, record.status);
            let mut latest: pb::CapacityLatest = decode(&key, state.get(&key))?;
            let newer = match latest.record.as_ref().map(Record::from_held) {
                Some(Ok(Some(Record {
                    payload: Payload::Capacity(old),
                    created_unix_ms,
                    seq,
                    ..
                }))) => {
                    capacity_order(report, record.created_unix_ms, record.seq)
                        > capacity_order(&old, created_unix_ms, seq)
                }
                _ => true,
            };
            latest.reports += 1;
            if newer {
                latest.record = Some(held);
            }
            state.put(key, latest.encode_to_vec());
            if record.status == Status::Actual {
                fold_capacity_day(&record, report, state)?;
            }
        }
        Payload::Evaluation(_) | Payload::EvaluationWithdrawal(_) => {
            let key = evaluations_key(record.origin);
            let mut all: pb::RegionEvaluations = decode(&key, state.get(&key))?;
            let mut held_records = records(&all.records);
            let before = rating_counts(&held_records);
            held_records.push(record.clone());
            let after = rating_counts(&held_records);
            all.records.push(held);
            state.put(key, all.encode_to_vec());
            // What the region's evaluations that count rate, before and after: a first filing
            // adds its ratings, a correction replaces its version's, a withdrawal takes them
            // away, a resubmission changes nothing.
            let keys: BTreeSet<&Vec<u8>> = before.keys().chain(after.keys()).collect();
            for key in keys {
                let (was, is) = (before.get(key).copied(), after.get(key).copied());
                if was == is {
                    continue;
                }
                let n = counter(key, state.get(key))?;
                let n = (n + is.unwrap_or(0)).saturating_sub(was.unwrap_or(0));
                state.put(key.clone(), n.to_be_bytes().to_vec());
            }
        }
        _ if record.request_id().is_some() => {
            let key = assistance_key(record.request_id().unwrap_or_default());
            let mut all: pb::AssistanceRecords = decode(&key, state.get(&key))?;
            all.records.push(held);
            state.put(key, all.encode_to_vec());
        }
        _ => {
            let Some(id) = record.agreement_id() else { return Ok(()) };
            let key = agreement_key(id);
            let mut all: pb::AgreementRecords = decode(&key, state.get(&key))?;
            all.records.push(held);
            state.put(key, all.encode_to_vec());
        }
    }
    Ok(())
}

/// The history: the report's figures under its region and Dutch day, when it is that day's
/// newest (by as_of, then created, then seq). A report whose as_of does not read changes nothing.
fn fold_capacity_day(record: &Record, report: &pb::CapacityReport, state: &mut dyn State) -> Result<(), Error> {
    let Ok(as_of) = time::parse_moment("as_of", &report.as_of) else {
        return Ok(());
    };
    let key = capacity_day_key(record.origin, crate::calendar::day_of(as_of));
    let held: pb::CapacityDay = decode(&key, state.get(&key))?;
    let order = (as_of, record.created_unix_ms, record.seq);
    if !held.record_id.is_empty() && order <= (held.as_of_unix_ms, held.created_unix_ms, held.seq) {
        return Ok(());
    }
    let day = pb::CapacityDay {
        as_of_unix_ms: as_of,
        valid_until_unix_ms: time::parse_moment("valid_until", &report.valid_until).unwrap_or(as_of),
        created_unix_ms: record.created_unix_ms,
        seq: record.seq,
        record_id: record.id.clone(),
        entries: report
            .entries
            .iter()
            .map(|e| pb::CapacityDayEntry {
                resource_type: e.resource_type.clone(),
                baseline: e.baseline,
                available: e.available,
                committed: e.committed,
                out_of_service: e.out_of_service,
            })
            .collect(),
    };
    state.put(key, day.encode_to_vec());
    Ok(())
}

/// The rating counters one region's evaluations add: over the actual evaluations that count
/// ([`evaluation::counted`]: each once, its current version, none withdrawn), per counter key.
fn rating_counts(records: &[Record]) -> BTreeMap<Vec<u8>, u64> {
    let mut out: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for (r, summary) in evaluation::counted(records) {
        let Some(event) = summary.event.as_ref().filter(|_| r.status == Status::Actual) else {
            continue;
        };
        let year = event.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        for rating in &summary.ratings {
            *out.entry(rating_key(year, &event.kind, &rating.area, &rating.rating))
                .or_default() += 1;
        }
    }
    out
}

/// Which of two reports of a region is newer: later as_of, then later created, then higher seq.
fn capacity_order(r: &pb::CapacityReport, created: i64, seq: u64) -> (i64, i64, u64) {
    let as_of = time::parse_moment("as_of", &r.as_of).unwrap_or(i64::MIN);
    (as_of, created, seq)
}

/// Decode the aggregate value stored under `key` (absent = empty). A stored value that does not
/// decode is an error naming the key, never an empty default: the next fold would write the
/// default back and lose what it held, and an answer over it would look complete and be wrong.
pub fn decode<M: Message + Default>(key: &[u8], v: Option<Vec<u8>>) -> Result<M, Error> {
    match v {
        None => Ok(M::default()),
        Some(b) => M::decode(b.as_slice()).map_err(|e| damaged(key, e.to_string())),
    }
}

/// A rating counter stored under `key` (absent = 0); anything but 8 bytes is an error.
pub fn counter(key: &[u8], v: Option<Vec<u8>>) -> Result<u64, Error> {
    match v {
        None => Ok(0),
        Some(b) => <[u8; 8]>::try_from(b.as_slice())
            .map(u64::from_be_bytes)
            .map_err(|_| damaged(key, format!("a counter of {} bytes, not 8", b.len()))),
    }
}

/// The error for a stored aggregate key or value that does not decode.
pub(crate) fn damaged(key: &[u8], detail: impl Into<String>) -> Error {
    Error::Malformed {
        what: format!("stored aggregate {}", show_key(key)),
        detail: detail.into(),
    }
}

/// A key for an error message: printable bytes as they are, others as `\xNN`.
fn show_key(key: &[u8]) -> String {
    key.iter()
        .map(|&b| match b {
            b' '..=b'~' => (b as char).to_string(),
            _ => format!("\\x{b:02x}"),
        })
        .collect()
}

/// The records of an aggregate value, decoded (records that no longer decode are left out).
pub fn records(held: &[pb::HeldRecord]) -> Vec<Record> {
    held.iter()
        .filter_map(|h| Record::from_held(h).ok().flatten())
        .collect()
}
