//! Asking the six questions at NL over gRPC as a national coordinator: `warmup` then `calls`
//! sequential calls per question (regions VR01..VR25 in turn where a question names one), each
//! timed from request to decoded answer; every answer is checked for plausibility outside the
//! timing, so the bench fails loudly when the aggregates are empty or wrong.
use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use prost::Message;
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_records::pb as rpb;
use regiosync_replication::Engine;
use regiosync_types::NodeId;
use tonic::transport::Channel;

use crate::measure::percentile;
use crate::mix::STALE;
use crate::ours::vr;
use crate::queries::{QueriesOptions, Question, RESOURCE};
use crate::query_parts::{self, Parts};

/// Region asked about in call `i`: VR01..VR25 in turn.
fn region_of(i: usize) -> NodeId {
    vr((i % 25) as u8 + 1)
}

pub async fn ask_all(
    client: &QueriesClient<Channel>,
    nl: &Arc<Engine>,
    opts: &QueriesOptions,
    window: i64,
) -> Result<Vec<Question>> {
    let c = client.clone();
    let mut out = Vec::new();
    let q = timed(
        opts,
        |_| {
            let mut c = c.clone();
            async move { c.national_capacity(rpb::NationalCapacityRequest {}).await }
        },
        check_capacity,
    )
    .await?;
    out.push(q.named(
        "NationalCapacity",
        query_parts::national_capacity(nl, opts, window).await?,
    ));

    let partners = Cell::new(0usize);
    let q = timed(
        opts,
        |i| {
            let mut c = c.clone();
            let req = rpb::ResourceByRegionRequest {
                resource_type: RESOURCE.into(),
                region: region_of(i).to_string(),
            };
            async move { c.resource_by_region(req).await }
        },
        |a: &rpb::ResourceByRegion| {
            ensure!(a.regions.len() == 25, "{} regions, expected 25", a.regions.len());
            let reported = a.regions.iter().filter(|r| !r.unreported).count();
            ensure!(
                reported >= 23,
                "{reported} regions report {RESOURCE}, expected 25 (2 stale)"
            );
            partners.set(partners.get() + a.partners.len());
            Ok(format!("{} regions, {} partners", a.regions.len(), a.partners.len()))
        },
    )
    .await?;
    ensure!(
        partners.get() > 0,
        "ResourceByRegion: no region has a partner for {RESOURCE}"
    );
    out.push(q.named(
        "ResourceByRegion",
        query_parts::resource_by_region(nl, opts, window).await?,
    ));

    let q = timed(
        opts,
        |_| {
            let mut c = c.clone();
            async move { c.agreement_coverage(rpb::AgreementCoverageRequest::default()).await }
        },
        |a: &rpb::AgreementCoverage| {
            let active = a.by_state.get("active").copied().unwrap_or(0);
            ensure!(
                !a.pairs.is_empty() && active > 0,
                "no covered pairs ({active} active agreements)"
            );
            ensure!(!a.awaiting.is_empty(), "no agreement awaits signatures");
            Ok(format!(
                "{} pairs, {} uncovered, {active} active, {} expiring, {} awaiting",
                a.pairs.len(),
                a.uncovered_neighbours.len(),
                a.expiring.len(),
                a.awaiting.len()
            ))
        },
    )
    .await?;
    out.push(q.named(
        "AgreementCoverage",
        query_parts::agreement_coverage(nl, opts, window).await?,
    ));

    let q = timed(
        opts,
        |i| {
            let mut c = c.clone();
            let req = rpb::EvaluationBenchmarkRequest {
                region: region_of(i).to_string(),
                year: 0,
            };
            async move { c.evaluation_benchmark(req).await }
        },
        |a: &rpb::EvaluationBenchmark| {
            ensure!(a.evaluations > 0 && !a.areas.is_empty(), "no evaluations counted");
            ensure!(
                a.areas.iter().any(|d| d.region.is_some()),
                "no ratings for the region asked"
            );
            Ok(format!("{} evaluations, {} area rows", a.evaluations, a.areas.len()))
        },
    )
    .await?;
    out.push(q.named(
        "EvaluationBenchmark",
        query_parts::evaluation_benchmark(nl, opts, window).await?,
    ));

    let q = timed(
        opts,
        |i| {
            let mut c = c.clone();
            let req = rpb::InControlRequest {
                region: region_of(i).to_string(),
            };
            async move { c.in_control(req).await }
        },
        |a: &rpb::InControlCard| {
            ensure!(
                a.evaluations > 0 && a.areas.len() == 8,
                "{}: {} evaluations, {} areas",
                a.region,
                a.evaluations,
                a.areas.len()
            );
            ensure!(!a.capacity_as_of.is_empty(), "{}: no capacity", a.region);
            Ok(format!(
                "{} evaluations, {} open actions",
                a.evaluations,
                a.open_actions.len()
            ))
        },
    )
    .await?;
    out.push(q.named("InControl", query_parts::in_control(nl, opts, window).await?));

    let q = timed(
        opts,
        |_| {
            let mut c = c.clone();
            async move { c.data_quality(rpb::DataQualityRequest {}).await }
        },
        |a: &rpb::DataQuality| {
            ensure!(a.regions.len() == 25, "{} regions, expected 25", a.regions.len());
            if let Some(r) = a.regions.iter().find(|r| r.capacity_reports == 0 || r.evaluations == 0) {
                bail!(
                    "{}: {} capacity reports, {} evaluations",
                    r.region,
                    r.capacity_reports,
                    r.evaluations
                );
            }
            let stale = a.regions.iter().filter(|r| r.capacity_stale).count();
            ensure!(stale == STALE.len(), "{stale} regions stale, expected {}", STALE.len());
            Ok(format!("25 regions, {stale} stale"))
        },
    )
    .await?;
    out.push(q.named("DataQuality", query_parts::data_quality(nl, opts, window).await?));
    Ok(out)
}

fn check_capacity(a: &rpb::NationalCapacity) -> Result<String> {
    let (reporting, stale) = (a.reporting.len(), a.stale.len());
    ensure!(
        reporting + stale == 25 && stale == STALE.len() && a.missing.is_empty(),
        "{reporting} regions reporting, {stale} stale, {} missing; expected 23, 2, 0",
        a.missing.len()
    );
    let ts = a.totals.iter().find(|t| t.resource_type == RESOURCE);
    ensure!(
        ts.is_some_and(|t| t.regions as usize == reporting && t.baseline > 0),
        "{RESOURCE} totals missing or not over {reporting} regions"
    );
    Ok(format!(
        "{reporting} reporting, {stale} stale, {} types",
        a.totals.len()
    ))
}

/// Latencies of one question, before its name and parts are known.
struct Timing {
    samples: Vec<f64>,
    answer_bytes: usize,
    checked: String,
}

impl Timing {
    fn named(mut self, name: &str, parts: Parts) -> Question {
        let max_ms = self.samples.iter().copied().fold(0.0, f64::max);
        Question {
            name: name.into(),
            p50_ms: percentile(&mut self.samples, 50.0),
            p99_ms: percentile(&mut self.samples, 99.0),
            max_ms,
            answer_bytes: self.answer_bytes,
            parts,
            checked: self.checked,
        }
    }
}

/// `warmup` then `calls` sequential calls; each answer checked (outside the timing).
async fn timed<T, F, Fut>(opts: &QueriesOptions, call: F, check: impl Fn(&T) -> Result<String>) -> Result<Timing>
where
    T: Message,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<tonic::Response<T>, tonic::Status>>,
{
    let mut timing = Timing {
        samples: Vec::with_capacity(opts.calls),
        answer_bytes: 0,
        checked: String::new(),
    };
    for i in 0..opts.warmup + opts.calls {
        let fut = call(i);
        let t = Instant::now();
        let answer = fut
            .await
            .map_err(|s| anyhow::anyhow!("{:?}: {}", s.code(), s.message()))?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let answer = answer.into_inner();
        timing.checked = check(&answer).context("implausible answer")?;
        timing.answer_bytes = answer.encoded_len();
        if i >= opts.warmup {
            timing.samples.push(ms);
        }
    }
    Ok(timing)
}
