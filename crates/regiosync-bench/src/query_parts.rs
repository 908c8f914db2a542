//! Where a question's time goes: the node's read path (`regiosync_node::answers`, through the
//! `benchmarking` feature) run in-process, its two steps timed apart. *Read* is
//! [`Question::read`]: the engine's aggregate reads (a sled range scan or get behind
//! `spawn_blocking`, values as bytes); *derive* is [`Question::derive`]: decoding the values
//! (`regiosync_records::read`), the views the node keeps while their bytes are the same, and
//! the pure answer function of `regiosync_records::queries`. What a gRPC call costs beyond
//! these two is TLS, HTTP/2, protobuf encoding of the answer and the audit line.
//!
//! This is the code the `Queries` service runs, not a copy of it: the same questions with the
//! same arguments the bench sends over gRPC.
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use regiosync_node::answers::{self, Answers, Question};
use regiosync_replication::{now_ms, Engine};
use regiosync_types::NodeId;
use serde::Serialize;

use crate::measure::percentile;
use crate::queries::{QueriesOptions, RESOURCE};

/// Median and p99 of the two parts, in ms.
#[derive(Debug, Clone, Serialize)]
pub struct Parts {
    pub read_p50_ms: f64,
    pub read_p99_ms: f64,
    pub derive_p50_ms: f64,
    pub derive_p99_ms: f64,
}

/// Time `read` then `derive` (fed what `read` returned) of the question `ask(i)`,
/// `warmup + calls` times.
async fn measure<Q: Question + Sync>(
    nl: &Arc<Engine>,
    opts: &QueriesOptions,
    window: i64,
    ask: impl Fn(usize) -> Q,
) -> Result<Parts> {
    let answers = Answers::new(nl.clone(), window);
    let (mut reads, mut derives) = (Vec::new(), Vec::new());
    for i in 0..opts.warmup + opts.calls {
        let q = ask(i);
        let t = Instant::now();
        let values = q.read(&answers).await?;
        let t1 = Instant::now();
        q.derive(&answers, values, now_ms())?;
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

/// Region asked about in call `i`: VR01..VR25 in turn, as over gRPC.
fn region_of(i: usize) -> NodeId {
    NodeId::region((i % 25) as u8 + 1).expect("a region")
}

pub async fn national_capacity(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |_| answers::NationalCapacity).await
}

pub async fn resource_by_region(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |i| answers::ResourceByRegion {
        resource_type: RESOURCE.into(),
        region: Some(region_of(i)),
    })
    .await
}

pub async fn agreement_coverage(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |_| answers::AgreementCoverage {
        expiring_within_days: 0,
    })
    .await
}

pub async fn evaluation_benchmark(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |i| answers::EvaluationBenchmark {
        region: Some(region_of(i)),
        year: 0,
    })
    .await
}

pub async fn in_control(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |i| answers::InControl { region: region_of(i) }).await
}

pub async fn data_quality(nl: &Arc<Engine>, opts: &QueriesOptions, window: i64) -> Result<Parts> {
    measure(nl, opts, window, |_| answers::DataQuality).await
}
