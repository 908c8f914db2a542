//! Where a question's time goes: the `Queries` service's work done in-process, split in two.
//! *Read* is the engine's aggregate reads (a sled range scan or get behind `spawn_blocking`,
//! values as bytes); *derive* is everything after (protobuf decoding of the values, decoding
//! the held records, deriving agreement states, the pure answer function of
//! `regiosync_records::queries`). What a gRPC call costs beyond these two is TLS, HTTP/2,
//! protobuf encoding of the answer and the audit line.
//!
//! Mirrors `regiosync-node/src/queries_service.rs` step by step, with the same arguments the
//! bench sends; keep the two in step.
use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{anyhow, Result};
use regiosync_records::aggregate::{self, AGREEMENTS, CAPACITY, EVALUATIONS, RATING_COUNTS};
use regiosync_records::{agreement, pb as rpb, queries, Record};
use regiosync_replication::{now_ms, Engine};
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use serde::Serialize;

use crate::measure::percentile;
use crate::queries::{QueriesOptions, RESOURCE};

type Values = Vec<(Vec<u8>, Vec<u8>)>;

/// Median and p99 of the two parts, in ms.
#[derive(Debug, Clone, Serialize)]
pub struct Parts {
    pub read_p50_ms: f64,
    pub read_p99_ms: f64,
    pub derive_p50_ms: f64,
    pub derive_p99_ms: f64,
}

/// Time `read` then `derive` (fed what `read` returned) `warmup + calls` times.
async fn measure<R, Fut>(
    opts: &QueriesOptions,
    read: impl Fn(usize) -> Fut,
    derive: impl Fn(usize, R) -> Result<()>,
) -> Result<Parts>
where
    Fut: std::future::Future<Output = Result<R>>,
{
    let (mut reads, mut derives) = (Vec::new(), Vec::new());
    for i in 0..opts.warmup + opts.calls {
        let t = Instant::now();
        let values = read(i).await?;
        let t1 = Instant::now();
        derive(i, values)?;
        let t2 = Instant::now();
        if i >= opts.warmup {
            reads.push((t1 - t).as_secs_f64() * 1000.0);
            derives.push((t2 - t1).as_secs_f64() * 1000.0);
        }
    }
    Ok(Parts {
        read_p50_ms: percentile(&mut reads, 50.0),
        read_p99_ms: percentile(&mut reads, 99.0),
        derive_p50_ms: percentile(&mut derives, 50.0),
        derive_p99_ms: percentile(&mut derives, 99.0),
    })
}

async fn values(nl: &Engine, prefix: &[u8]) -> Result<Values> {
    Ok(nl.aggregates(prefix.to_vec()).await?)
}

fn regions() -> Vec<NodeId> {
    regiosync_types::Federation::shipped().regions().collect()
}

fn region_of(i: usize) -> NodeId {
    NodeId::region((i % 25) as u8 + 1).expect("a region")
}

fn capacity(values: Values) -> Result<Vec<rpb::CapacityLatest>> {
    values.into_iter().map(|(_, v)| stored(Some(v))).collect()
}

/// A stored aggregate value, decoded (one that does not decode fails the measurement).
fn stored<M: prost::Message + Default>(v: Option<Vec<u8>>) -> Result<M> {
    aggregate::decode(v).map_err(|e| anyhow!("{e}"))
}

fn agreements(values: Values, now: i64, window: i64) -> Result<Vec<rpb::AgreementView>> {
    let mut out = Vec::new();
    for (key, v) in values {
        let id = String::from_utf8_lossy(&key[AGREEMENTS.len()..]).into_owned();
        let held: rpb::AgreementRecords = stored(Some(v))?;
        out.extend(agreement::derive(&id, &aggregate::records(&held.records), now, window));
    }
    Ok(out)
}

fn evaluations(values: Values) -> Result<BTreeMap<NodeId, Vec<Record>>> {
    let mut out = BTreeMap::new();
    for (key, v) in values {
        if let Some((region, _)) = key.get(EVALUATIONS.len()..).and_then(NodeId::from_key) {
            let held: rpb::RegionEvaluations = stored(Some(v))?;
            out.insert(region, aggregate::records(&held.records));
        }
    }
    Ok(out)
}

pub async fn national_capacity(nl: &Engine, opts: &QueriesOptions) -> Result<Parts> {
    measure(
        opts,
        |_| values(nl, CAPACITY),
        |_, v| {
            queries::national_capacity(&capacity(v)?, &regions(), now_ms());
            Ok(())
        },
    )
    .await
}

pub async fn resource_by_region(nl: &Engine, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(
        opts,
        |_| async { Ok((values(nl, AGREEMENTS).await?, values(nl, CAPACITY).await?)) },
        |i, (ag, cap)| {
            let now = now_ms();
            let views = agreements(ag, now, window)?;
            queries::resource_by_region(RESOURCE, Some(region_of(i)), &capacity(cap)?, &views, &regions(), now)
                .map_err(|e| anyhow!("{e}"))?;
            Ok(())
        },
    )
    .await
}

pub async fn agreement_coverage(nl: &Engine, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(
        opts,
        |_| values(nl, AGREEMENTS),
        |_, v| {
            let now = now_ms();
            let members = regiosync_types::Federation::shipped();
            queries::agreement_coverage(&agreements(v, now, window)?, members.neighbour_edges(), window, now);
            Ok(())
        },
    )
    .await
}

pub async fn evaluation_benchmark(nl: &Engine, opts: &QueriesOptions) -> Result<Parts> {
    measure(
        opts,
        |_| async { Ok((values(nl, RATING_COUNTS).await?, values(nl, EVALUATIONS).await?)) },
        |i, (counts, evals)| {
            let counts: Vec<_> = counts
                .into_iter()
                .filter_map(|(k, v)| Some((aggregate::parse_rating_key(&k)?, aggregate::u64_of(&v))))
                .collect();
            let region = region_of(i);
            let mut all = evaluations(evals)?;
            let mine = all.remove(&region).unwrap_or_default();
            queries::evaluation_benchmark(&counts, Some((region, &mine)), 0);
            Ok(())
        },
    )
    .await
}

pub async fn in_control(nl: &Engine, opts: &QueriesOptions) -> Result<Parts> {
    measure(
        opts,
        |i| async move {
            let region = region_of(i);
            let evals = nl.aggregate(aggregate::evaluations_key(region)).await?;
            let cap = nl.aggregate(aggregate::capacity_key(region, Status::Actual)).await?;
            Ok((evals, cap))
        },
        |i, (evals, cap)| {
            let held: rpb::RegionEvaluations = stored(evals)?;
            let cap = cap.map(|v| stored::<rpb::CapacityLatest>(Some(v))).transpose()?;
            queries::in_control(region_of(i), &aggregate::records(&held.records), cap.as_ref(), now_ms());
            Ok(())
        },
    )
    .await
}

pub async fn data_quality(nl: &Engine, opts: &QueriesOptions) -> Result<Parts> {
    measure(
        opts,
        |_| async {
            let status = nl.status().await?;
            Ok((status, values(nl, CAPACITY).await?, values(nl, EVALUATIONS).await?))
        },
        |_, (status, cap, evals)| {
            let mut replication: BTreeMap<NodeId, (u64, i64)> = BTreeMap::new();
            for p in &status.peers {
                for (origin, behind) in &p.behind {
                    let e = replication.entry(*origin).or_default();
                    e.0 = e.0.max(*behind);
                }
                if let Some(peer) = p.peer {
                    replication.entry(peer).or_default().1 = p.last_contact_unix_ms;
                }
            }
            queries::data_quality(
                &capacity(cap)?,
                &evaluations(evals)?,
                &nl.rejected_by_origin(),
                &replication,
                &regions(),
                now_ms(),
            );
            Ok(())
        },
    )
    .await
}
