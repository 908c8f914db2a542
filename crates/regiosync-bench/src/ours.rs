//! Our side: replication throughput region -> NL, the store's own ceilings, and latency.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_replication::log::Log;
use regiosync_replication::{Draft, EngineConfig};
use regiosync_store::{KvStore, SledStore, WriteBatch};
use regiosync_trust::{DevCa, KeyType, Signer};
use regiosync_types::chunk::Entry;
use regiosync_types::{Envelope, NodeId};
use serde::Serialize;

use crate::measure::{percentile, wait_durable, wait_held, wait_writable};
use crate::records;

pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;

pub fn engine_config() -> EngineConfig {
    EngineConfig {
        anti_entropy: Duration::from_secs(3600),
        ..EngineConfig::default()
    }
}

pub fn vr(n: u8) -> NodeId {
    NodeId::region(n).expect("region")
}

#[derive(Debug, Clone, Serialize)]
pub struct Rate {
    pub records: u64,
    pub seconds: f64,
    pub records_per_sec: f64,
}

impl Rate {
    fn new(records: u64, seconds: f64) -> Rate {
        Rate {
            records,
            seconds,
            records_per_sec: records as f64 / seconds,
        }
    }
}

/// N records published at VR01 (group commits of `chunk`), replicated to NL over mTLS, durable
/// on both sides, every seal checked at NL: first write until the last is flushed at NL.
pub async fn replication(root: &Path, n: u64, bytes: usize, chunk: u64) -> Result<Rate> {
    replication_with_keys(root, n, bytes, chunk, KeyType::default()).await
}

/// [`replication`] with node keys of `key_type` (ECDSA P-256 by default).
pub async fn replication_with_keys(root: &Path, n: u64, bytes: usize, chunk: u64, key_type: KeyType) -> Result<Rate> {
    let fed = LocalFederation::start_with_keys(
        root,
        &[NodeId::NL, vr(1)],
        &Topology::default(),
        engine_config(),
        CACHE_BYTES,
        key_type,
    )
    .await
    .context("starting NL and VR01")?;
    let (origin, nl) = (fed.node(vr(1)).engine.clone(), fed.node(NodeId::NL).engine.clone());
    wait_writable(&origin, Duration::from_secs(60)).await?;
    let t0 = Instant::now();
    let publisher = tokio::spawn(async move {
        let mut from = 0;
        while from < n {
            let k = chunk.min(n - from);
            origin.publish_many(records::drafts(from, k, bytes, &[])).await?;
            from += k;
        }
        anyhow::Ok(())
    });
    wait_durable(&nl, vr(1), n, Duration::from_secs(3600)).await?;
    let seconds = t0.elapsed().as_secs_f64();
    publisher.await??;
    fed.shutdown().await;
    Ok(Rate::new(n, seconds))
}

#[derive(Debug, Clone, Serialize)]
pub struct Ceilings {
    /// Sealed entries written with the project's layout (`Log::apply`: chunks of up to 128
    /// entries under one key, batches of `chunk` entries, one flush each); sealing is done
    /// beforehand and not timed.
    pub project_layout: Rate,
    /// One sled key per record, `apply_batch` of `chunk` then `flush`.
    pub sled_key_per_record: Rate,
}

pub async fn ceilings(root: &Path, n: u64, bytes: usize, chunk: u64) -> Result<Ceilings> {
    let root = root.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let ca = DevCa::generate("bench CA")?;
        let issued = ca.issue_node(vr(1))?;
        let signer = Signer::from_pem(&issued.cert_pem, &issued.key_pem)?;
        let log = Log::new(
            Arc::new(SledStore::open(&root.join("layout"), CACHE_BYTES)?),
            Arc::new(regiosync_replication::Opaque),
            regiosync_types::Federation::shipped(),
        );
        let mut timed = Duration::ZERO;
        let created = now_ms();
        let mut seq = 0;
        while seq < n {
            let k = chunk.min(n - seq);
            let mut envelopes = Vec::with_capacity(k as usize);
            for _ in 0..k {
                seq += 1;
                let body = regiosync_types::pb::EntryBody {
                    id: Envelope::generated_id(vr(1), seq),
                    origin: "VR01".into(),
                    seq,
                    kind: records::KIND.into(),
                    created_unix_ms: created,
                    status: regiosync_types::pb::Status::Test as i32,
                    audience: vec!["NL".into(), "VR01".into()],
                    payload: records::payload(seq, bytes),
                    ..Default::default()
                };
                envelopes.push(Entry::from_envelope(Envelope::check(body)?));
            }
            let batch = signer.seal_all(created, envelopes);
            let t = Instant::now();
            log.apply(batch, &[], None)?;
            log.flush()?;
            timed += t.elapsed();
        }
        let project_layout = Rate::new(n, timed.as_secs_f64());

        let store = SledStore::open(&root.join("raw"), CACHE_BYTES)?;
        let t = Instant::now();
        let mut i = 0;
        while i < n {
            let k = chunk.min(n - i);
            let mut b = WriteBatch::new();
            for j in i..i + k {
                b.put(j.to_be_bytes().to_vec(), records::payload(j, bytes));
            }
            store.write(b)?;
            store.flush()?;
            i += k;
        }
        let sled_key_per_record = Rate::new(n, t.elapsed().as_secs_f64());
        Ok(Ceilings {
            project_layout,
            sled_key_per_record,
        })
    })
    .await?
}

#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub trials: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// One record written at an idle VR01 until visible at NL (`all_nodes` false), or until
/// visible at every node of a 26-node hub federation (`all_nodes` true).
pub async fn latency(root: &Path, trials: usize, bytes: usize, all_nodes: bool) -> Result<Latency> {
    let ids: Vec<NodeId> = if all_nodes {
        regiosync_types::Federation::shipped().ids().collect()
    } else {
        vec![NodeId::NL, vr(1)]
    };
    let fed = LocalFederation::start(root, &ids, &Topology::default(), engine_config(), 4 * 1024 * 1024).await?;
    let audience: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    let origin = fed.node(vr(1)).engine.clone();
    let others: Vec<_> = ids
        .iter()
        .filter(|i| **i != vr(1))
        .map(|i| fed.node(*i).engine.clone())
        .collect();
    // Warm up connections and caches.
    for i in 0..5 {
        let p = origin.publish(one(i, bytes, &audience)).await?;
        for e in &others {
            wait_held(e, vr(1), p.seq, Duration::from_secs(30)).await?;
        }
    }
    let mut samples = Vec::with_capacity(trials);
    for i in 0..trials as u64 {
        let t = Instant::now();
        let p = origin.publish(one(100 + i, bytes, &audience)).await?;
        let waits = others
            .iter()
            .map(|e| wait_held(e, vr(1), p.seq, Duration::from_secs(30)));
        for w in waits {
            w.await?;
        }
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(5)).await; // idle between trials
    }
    fed.shutdown().await;
    Ok(Latency {
        trials,
        p50_ms: percentile(&mut samples, 50.0),
        p99_ms: percentile(&mut samples, 99.0),
    })
}

fn one(i: u64, bytes: usize, audience: &[String]) -> Draft {
    records::drafts(i, 1, bytes, audience).remove(0)
}

use regiosync_types::now_ms;
