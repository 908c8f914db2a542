//! `regiosync-bench assist`: how long a request written at VR17 takes to be stored at every
//! member it asks and at both national nodes, on the shipped federation plus a second national
//! node (NL-B), 27 nodes with the hub and the neighbour mesh of the demo. Each trial is one
//! `RequestAssistance` call by VR17's operator over mutual TLS (the node resolves whom it asks,
//! checks and seals it) until VR15, VR16, VR18, NL and NL-B hold it; beside it, in the same run
//! and federation, the reference: one opaque entry of VR17 until NL holds it (one hop).
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::RequestAssistanceRequest;
use regiosync_records::pb;
use regiosync_records::time::format_moment;
use regiosync_replication::Draft;
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::{now_ms, Federation, NodeId};
use serde::Serialize;

use crate::measure::{percentile, wait_held, wait_writable};
use crate::ours::{engine_config, vr};
use crate::report::Machine;

/// The target of issue 14: p99 of a request reaching everyone it concerns.
pub const TARGET_P99_MS: f64 = 100.0;

#[derive(Debug, Clone, Serialize)]
pub struct AssistReport {
    pub machine: Machine,
    pub nodes: usize,
    pub trials: usize,
    /// Who must hold each request before a trial ends.
    pub reached: Vec<String>,
    pub request_p50_ms: f64,
    pub request_p99_ms: f64,
    pub request_max_ms: f64,
    /// The reference in the same run: one opaque entry of VR17 until NL holds it.
    pub one_hop_p50_ms: f64,
    pub one_hop_p99_ms: f64,
    pub target_p99_ms: f64,
}

/// The shipped federation with a second national node.
fn members() -> Result<Federation> {
    let text = format!(
        "{}\n[[member]]\nid = \"NL-B\"\nkind = \"national\"\nname = \"Landelijk (tweede rekencentrum)\"\n",
        regiosync_types::federation::SHIPPED
    );
    Ok(Federation::parse(&text, "federation.toml")?)
}

fn request() -> pb::AssistanceRequest {
    let now = now_ms() / 1000 * 1000;
    pb::AssistanceRequest {
        incident: Some(pb::AssistanceIncident {
            reference: "VR17-BENCH".into(),
            description: "Benchmark: grote brand, bijstand gevraagd".into(),
            escalation: "GRIP3".into(),
            hazard: "fire_industrial".into(),
        }),
        location: Some(pb::AssistanceLocation {
            municipality: "Rotterdam".into(),
            ..Default::default()
        }),
        needed_by: format_moment(now + 3_600_000),
        lines: vec![
            pb::RequestLine {
                resource_type: "TS".into(),
                quantity: 6,
                minimum: 4,
                remarks: String::new(),
            },
            pb::RequestLine {
                resource_type: "GPT".into(),
                quantity: 1,
                ..Default::default()
            },
        ],
        addressing: Some(pb::Addressing {
            members: vec!["VR15".into(), "VR16".into(), "VR18".into()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

pub async fn run(root: &Path, trials: usize) -> Result<AssistReport> {
    let members = members()?;
    let nl_b: NodeId = "NL-B".parse()?;
    let ids: Vec<NodeId> = members.ids().collect();
    let topology = Topology {
        mesh: members.neighbour_edges().to_vec(),
        members: Some(members.clone()),
    };
    let fed = LocalFederation::start(root, &ids, &topology, engine_config(), 4 * 1024 * 1024).await?;
    let origin = fed.node(vr(17)).engine.clone();
    wait_writable(&origin, Duration::from_secs(60)).await?;
    let reached_ids = [vr(15), vr(16), vr(18), NodeId::NL, nl_b];
    let reached: Vec<_> = reached_ids.iter().map(|n| fed.node(*n).engine.clone()).collect();
    let person = fed.ca().issue_person(Identity::operator(vr(17), "bench"))?;
    let channel = regiosync_node::client::channel(
        &fed.node(vr(17)).url(),
        fed.ca().cert_pem(),
        &person.cert_pem,
        &person.key_pem,
        None,
    )
    .await
    .context("connecting to VR17 as its operator")?;
    let records = RecordsClient::new(channel);
    let ask = || {
        let mut c = records.clone();
        async move {
            c.request_assistance(RequestAssistanceRequest {
                request: Some(request()),
                status: Status::Exercise as i32,
            })
            .await
            .context("RequestAssistance at VR17")
            .map(|r| r.into_inner())
        }
    };
    let mut samples = Vec::with_capacity(trials);
    for i in 0..(trials + 5) {
        let t = Instant::now();
        let r = ask().await?;
        for e in &reached {
            wait_held(e, vr(17), r.seq, Duration::from_secs(30)).await?;
        }
        if i >= 5 {
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(5)).await; // idle between trials
    }
    // The reference: one opaque entry of VR17 (audience NL only) until NL holds it.
    let nl = fed.node(NodeId::NL).engine.clone();
    let mut hop = Vec::with_capacity(trials);
    for i in 0..(trials + 5) {
        let t = Instant::now();
        let draft = Draft {
            kind: "x.bench".into(),
            status: Status::Test as i32,
            payload: vec![i as u8; 300],
            ..Draft::default()
        };
        let p = origin.publish(draft).await?;
        wait_held(&nl, vr(17), p.seq, Duration::from_secs(30)).await?;
        if i >= 5 {
            hop.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(records);
    fed.shutdown().await;
    let max = samples.iter().copied().fold(0.0, f64::max);
    Ok(AssistReport {
        machine: Machine::read(),
        nodes: ids.len(),
        trials,
        reached: reached_ids.iter().map(NodeId::to_string).collect(),
        request_p50_ms: percentile(&mut samples, 50.0),
        request_p99_ms: percentile(&mut samples, 99.0),
        request_max_ms: max,
        one_hop_p50_ms: percentile(&mut hop, 50.0),
        one_hop_p99_ms: percentile(&mut hop, 99.0),
        target_p99_ms: TARGET_P99_MS,
    })
}
