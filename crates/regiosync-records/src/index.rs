//! The index keys a node keeps for each record, so that queries read only the records they
//! need. The storage layer appends the entry's location (origin, seq) to each key and writes it
//! in the same atomic batch as the entry.
use regiosync_types::NodeId;

use crate::record::{Payload, Record};

const AGREEMENTS: u8 = b'a';
const CAPACITY: u8 = b'c';
const EVALUATIONS: u8 = b'e';

/// The index key of a record (before the location is appended).
pub fn key(record: &Record) -> Vec<u8> {
    match &record.payload {
        Payload::Capacity(_) => capacity_of(record.origin),
        Payload::Evaluation(e) => {
            let mut k = evaluations_of(record.origin);
            k.extend_from_slice(e.event.as_ref().map_or("", |ev| ev.date.as_str()).as_bytes());
            k
        }
        _ => agreement(record.agreement_id().unwrap_or_default()),
    }
}

/// Every agreement record, grouped by agreement id.
pub fn agreements() -> Vec<u8> {
    vec![AGREEMENTS]
}

/// Every record about one agreement (its versions and the acts on them).
pub fn agreement(agreement_id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(2 + agreement_id.len());
    k.push(AGREEMENTS);
    k.extend_from_slice(agreement_id.as_bytes());
    k.push(0);
    k
}

/// Every capacity report, by region.
pub fn capacity() -> Vec<u8> {
    vec![CAPACITY]
}

pub fn capacity_of(region: NodeId) -> Vec<u8> {
    vec![CAPACITY, region.key()]
}

/// Every evaluation summary, by region, then event date.
pub fn evaluations() -> Vec<u8> {
    vec![EVALUATIONS]
}

pub fn evaluations_of(region: NodeId) -> Vec<u8> {
    vec![EVALUATIONS, region.key()]
}
