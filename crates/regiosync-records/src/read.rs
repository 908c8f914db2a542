//! Reading the aggregates back: the inverse of the key layout in [`crate::aggregate`]. Values
//! as the engine returns them (key and stored bytes) become the inputs of the national
//! questions ([`crate::queries`]) and of record reads. Every reader (a node's answers and record
//! reads, and the query benchmark through them) decodes here, so each key is read one way.
//!
//! A value or key that does not decode is an error naming its key, never an empty default: an
//! answer computed over a silently dropped aggregate would look complete and be wrong.
use std::collections::BTreeMap;

use regiosync_types::{Error, NodeId};

use crate::aggregate::{self, damaged, AGREEMENTS, ASSISTANCE, CAPACITY, EVALUATIONS};
use crate::queries::RatingCount;
use crate::record::Record;
use crate::{agreement, assistance, capacity, evaluation, pb};

/// Stored aggregate values under one prefix, in key order: (key, bytes).
pub type Values = Vec<(Vec<u8>, Vec<u8>)>;

/// One stored value as its message; an absent key is the message's empty value (nothing
/// stored yet), a value that does not decode an error naming the key.
pub fn value<M: prost::Message + Default>(key: &[u8], v: Option<Vec<u8>>) -> Result<M, Error> {
    aggregate::decode(key, v)
}

/// The region a key under `prefix` is about.
fn region_of(prefix: &[u8], key: &[u8]) -> Result<NodeId, Error> {
    key.get(prefix.len()..)
        .and_then(NodeId::from_key)
        .map(|(region, _)| region)
        .ok_or_else(|| damaged(key, "no member id after the prefix"))
}

/// Every region's newest capacity report per status (`cl` keys).
pub fn capacity(values: Values) -> Result<Vec<pb::CapacityLatest>, Error> {
    values.into_iter().map(|(k, v)| value(&k, Some(v))).collect()
}

/// The capacity history's day values (`cd` keys), per region in day order.
pub fn capacity_days(values: Values) -> Result<crate::queries::CapacityDays, Error> {
    let mut out = crate::queries::CapacityDays::new();
    for (k, v) in values {
        let region = region_of(aggregate::CAPACITY_DAYS, &k)?;
        let day = k
            .len()
            .checked_sub(4)
            .and_then(|at| <[u8; 4]>::try_from(&k[at..]).ok())
            .map(u32::from_be_bytes)
            .ok_or_else(|| damaged(&k, "no day after the region"))?;
        out.entry(region)
            .or_default()
            .push((i64::from(day), value(&k, Some(v))?));
    }
    for days in out.values_mut() {
        days.sort_by_key(|(d, _)| *d);
    }
    Ok(out)
}

/// One region's newest capacity report of one status, if it has one.
pub fn one_capacity(
    region: NodeId,
    status: regiosync_types::pb::Status,
    v: Option<Vec<u8>>,
) -> Result<Option<pb::CapacityLatest>, Error> {
    let key = aggregate::capacity_key(region, status);
    v.map(|v| value(&key, Some(v))).transpose()
}

/// The capacity views of stored reports: per region and status the newest, with how many older
/// reports it superseded; actual reports only unless `include_non_actual`.
pub fn capacity_views(values: Values, now_ms: i64, include_non_actual: bool) -> Result<Vec<pb::CapacityView>, Error> {
    let mut out = Vec::new();
    for latest in capacity(values)? {
        let records = aggregate::records(latest.record.as_slice());
        for mut view in capacity::current(&records, now_ms, include_non_actual) {
            view.superseded = u32::try_from(latest.reports.saturating_sub(1)).unwrap_or(u32::MAX);
            out.push(view);
        }
    }
    Ok(out)
}

/// Every record about one agreement (an absent key: none).
pub fn agreement(agreement_id: &str, v: Option<Vec<u8>>) -> Result<Vec<Record>, Error> {
    let held: pb::AgreementRecords = value(&aggregate::agreement_key(agreement_id), v)?;
    Ok(aggregate::records(&held.records))
}

/// Every agreement (`ag` keys): its id and every record about it.
pub fn agreements(values: Values) -> Result<Vec<(String, Vec<Record>)>, Error> {
    values
        .into_iter()
        .map(|(k, v)| {
            let id = std::str::from_utf8(&k[AGREEMENTS.len().min(k.len())..])
                .map_err(|_| damaged(&k, "the agreement id is not UTF-8"))?
                .to_string();
            let held: pb::AgreementRecords = value(&k, Some(v))?;
            Ok((id, aggregate::records(&held.records)))
        })
        .collect()
}

/// The derived view of every stored agreement at `now_ms`.
pub fn agreement_views(
    values: Values,
    now_ms: i64,
    expiring_window_days: i64,
) -> Result<Vec<pb::AgreementView>, Error> {
    Ok(agreements(values)?
        .iter()
        .filter_map(|(id, records)| agreement::derive(id, records, now_ms, expiring_window_days))
        .collect())
}

/// Every record about one assistance request (an absent key: none).
pub fn assistance(request_id: &str, v: Option<Vec<u8>>) -> Result<Vec<Record>, Error> {
    let held: pb::AssistanceRecords = value(&aggregate::assistance_key(request_id), v)?;
    Ok(aggregate::records(&held.records))
}

/// Every assistance request (`as` keys): the derived view of each at `now_ms`, by request id.
/// A key whose records hold no request (its offers arrived first) has no view yet.
pub fn assistance_views(values: Values, now_ms: i64) -> Result<Vec<pb::AssistanceView>, Error> {
    let mut out = Vec::new();
    for (k, v) in values {
        let id = std::str::from_utf8(&k[ASSISTANCE.len().min(k.len())..])
            .map_err(|_| damaged(&k, "the request id is not UTF-8"))?;
        let held: pb::AssistanceRecords = value(&k, Some(v))?;
        out.extend(assistance::derive(id, &aggregate::records(&held.records), now_ms));
    }
    Ok(out)
}

/// One region's evaluations (an absent key: none).
pub fn region_evaluations(region: NodeId, v: Option<Vec<u8>>) -> Result<Vec<Record>, Error> {
    let held: pb::RegionEvaluations = value(&aggregate::evaluations_key(region), v)?;
    Ok(aggregate::records(&held.records))
}

/// Every region's evaluations (`ev` keys).
pub fn evaluations(values: Values) -> Result<BTreeMap<NodeId, Vec<Record>>, Error> {
    values
        .into_iter()
        .map(|(k, v)| {
            let region = region_of(EVALUATIONS, &k)?;
            let held: pb::RegionEvaluations = value(&k, Some(v))?;
            Ok((region, aggregate::records(&held.records)))
        })
        .collect()
}

/// The evaluation views of every stored evaluation at `now_ms` (one per evaluation: its
/// current version, or the one withdrawn), newest event first.
pub fn evaluation_views(values: Values, now_ms: i64) -> Result<Vec<pb::EvaluationView>, Error> {
    let records: Vec<Record> = evaluations(values)?.into_values().flatten().collect();
    Ok(evaluation::views(&records, now_ms))
}

/// The view of the evaluation version `id` names, of one region's evaluations (`None`: not
/// held).
pub fn evaluation_view(
    region: NodeId,
    v: Option<Vec<u8>>,
    id: &str,
    now_ms: i64,
) -> Result<Option<pb::EvaluationView>, Error> {
    Ok(evaluation::view(&region_evaluations(region, v)?, id, now_ms))
}

/// The rating counters (`en` keys): (year, event kind initial, area, rating) and the count. A
/// counter at zero (what it counted was corrected or withdrawn) is left out, as if absent.
pub fn rating_counts(values: Values) -> Result<Vec<RatingCount>, Error> {
    let mut out = Vec::new();
    for (k, v) in values {
        let slice = aggregate::parse_rating_key(&k).ok_or_else(|| damaged(&k, "not a rating counter key"))?;
        match aggregate::counter(&k, Some(v))? {
            0 => {}
            n => out.push((slice, n)),
        }
    }
    Ok(out)
}

/// Keys under `CAPACITY` for one region (every status).
pub fn capacity_prefix(region: Option<NodeId>) -> Vec<u8> {
    match region {
        Some(r) => [CAPACITY, r.key()].concat(),
        None => CAPACITY.to_vec(),
    }
}

/// Keys under `EVALUATIONS` for one region, or for all.
pub fn evaluations_prefix(region: Option<NodeId>) -> Vec<u8> {
    match region {
        Some(r) => aggregate::evaluations_key(r),
        None => EVALUATIONS.to_vec(),
    }
}
