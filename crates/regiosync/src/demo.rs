//! `regiosync demo`: NL and VR01..VR25 in this process on loopback with a throwaway PKI. Every
//! region publishes a capacity report for NL and its neighbours; the demo waits until every
//! node in each report's audience holds it, then prints how long that took and the national
//! picture as NL computes it.
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use prost::Message;
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_replication::{Draft, EngineConfig, Published};
use regiosync_trust::Identity;
use regiosync_records::pb::{CapacityEntry, CapacityReport};
use regiosync_records::time;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use serde_json::json;

use crate::shipped;
use crate::table::Table;
use crate::timefmt::now_ms;

pub const CAPACITY_KIND: &str = "capacity_report";

/// The small resource-type list the demo uses (the code lists come with the domain layer).
const RESOURCE_TYPES: &[(&str, &str, f64)] = &[
    ("TS", "tankautospuit", 5.2),
    ("HV", "hulpverleningsvoertuig", 0.9),
    ("AL", "autoladder / hoogwerker", 0.8),
    ("WO", "waterongevallenvoertuig", 0.6),
    ("GPT", "gaspakkenteam", 0.35),
    ("AMB", "ambulance", 2.8),
    ("OvD-B", "officier van dienst brandweer", 0.7),
];

/// Inhabitants per region in units of 100,000 (rounded), to scale the sample numbers.
const SIZE: [f64; 25] = [
    5.9, 6.5, 5.0, 5.3, 6.3, 8.3, 6.9, 5.6, 13.9, 6.7, 3.4, 5.5, 10.8, 2.6, 11.3, 8.2, 13.1, 4.6, 3.9, 11.4, 6.6, 7.9,
    5.2, 6.0, 4.4,
];

pub struct DemoOpts {
    pub json: bool,
    pub keep_running: bool,
}

pub async fn run(opts: DemoOpts) -> Result<()> {
    let names = shipped::region_names()?;
    let edges = shipped::neighbour_edges()?;
    let dir = tempfile::Builder::new()
        .prefix("regiosync-demo-")
        .tempdir()
        .context("creating a temporary folder")?;
    let ids: Vec<NodeId> = NodeId::all().collect();
    let engine = EngineConfig {
        anti_entropy: Duration::from_secs(10),
        ..EngineConfig::default()
    };
    let started = Instant::now();
    let fed = LocalFederation::start(
        dir.path(),
        &ids,
        &Topology { mesh: edges.clone() },
        engine,
        4 * 1024 * 1024,
    )
    .await
    .context("starting the demo federation")?;
    let startup = started.elapsed();
    if !opts.json {
        println!(
            "started {} nodes (NL + 25 regions) on 127.0.0.1 in {} ms: every region peers with NL and directly with its {} neighbour links",
            ids.len(),
            startup.as_millis(),
            edges.len()
        );
    }

    // Every region publishes its capacity report at once.
    let t0 = Instant::now();
    let mut publishing = Vec::new();
    for region in NodeId::regions() {
        let neighbours: Vec<String> = edges
            .iter()
            .filter_map(|(a, b)| {
                if *a == region {
                    Some(*b)
                } else if *b == region {
                    Some(*a)
                } else {
                    None
                }
            })
            .map(|n| n.to_string())
            .collect();
        let engine = fed.node(region).engine.clone();
        let report = sample_report(region);
        publishing.push(tokio::spawn(async move {
            let draft = Draft {
                kind: CAPACITY_KIND.into(),
                status: Status::Actual as i32,
                audience: neighbours,
                expires_unix_ms: now_ms() + 24 * 3_600_000,
                payload: report.encode_to_vec(),
                ..Draft::default()
            };
            engine.publish(draft).await
        }));
    }
    let mut published: Vec<Published> = Vec::new();
    for p in publishing {
        published.push(p.await.context("publishing task")??);
    }
    // Wait until every node in each entry's audience holds it.
    let mut expected: Vec<(NodeId, NodeId, u64)> = Vec::new();
    for p in &published {
        let entry = fed
            .node(p.origin)
            .engine
            .get(p.id.clone())
            .await?
            .context("own entry")?;
        for member in entry.envelope.audience.iter().filter(|m| **m != p.origin) {
            expected.push((*member, p.origin, p.seq));
        }
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let missing = expected
            .iter()
            .filter(|(node, origin, seq)| fed.node(*node).engine.version_vector().get(*origin) < *seq)
            .count();
        if missing == 0 {
            break;
        }
        if Instant::now() > deadline {
            anyhow::bail!("the federation did not converge within 60 s ({missing} deliveries missing)");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let converged = t0.elapsed();

    let picture = national_picture(&fed).await?;
    let mem = memory();
    if opts.json {
        let rows: Vec<_> = picture
            .rows
            .iter()
            .map(|r| {
                json!({"resource_type": r.code, "name": r.name, "baseline": r.baseline, "available": r.available,
                "committed": r.committed, "out_of_service": r.out_of_service, "regions_reporting": r.regions})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "nodes": ids.len(), "records_published": published.len(), "deliveries": expected.len(),
                "startup_ms": startup.as_millis() as u64, "convergence_ms": converged.as_secs_f64() * 1000.0,
                "rss_mib": mem.0, "peak_rss_mib": mem.1,
                "national_capacity": rows, "regions_reporting": picture.reporting.len(),
                "regions_missing": picture.missing.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            }))?
        );
    } else {
        println!(
            "25 capacity reports published; all {} deliveries (each report to NL and the reporting region's neighbours) done in {:.1} ms",
            expected.len(),
            converged.as_secs_f64() * 1000.0
        );
        println!();
        println!("National picture at NL: available capacity, current actual reports only");
        let mut t = Table::new(&[
            "type",
            "resource",
            "baseline",
            "available",
            "committed",
            "out of service",
            "regions",
        ])
        .right(&[2, 3, 4, 5, 6]);
        for r in &picture.rows {
            t.row(vec![
                r.code.clone(),
                r.name.clone(),
                r.baseline.to_string(),
                r.available.to_string(),
                r.committed.to_string(),
                r.out_of_service.to_string(),
                format!("{}/25", r.regions),
            ]);
        }
        print!("{}", t.render());
        if picture.missing.is_empty() {
            println!("all 25 regions reported; no stale reports");
        } else {
            let m: Vec<String> = picture
                .missing
                .iter()
                .map(|n| format!("{n} {}", names.get(n).cloned().unwrap_or_default()))
                .collect();
            println!("missing or stale: {}", m.join(", "));
        }
        println!(
            "memory: {:.1} MiB resident now, {:.1} MiB peak (whole process, 26 nodes)",
            mem.0, mem.1
        );
    }

    if opts.keep_running {
        keep_running(&fed, dir.path()).await?;
    }
    fed.shutdown().await;
    Ok(())
}

fn sample_report(region: NodeId) -> CapacityReport {
    let n = region.region_number().unwrap_or(1) as usize;
    let size = SIZE[n - 1];
    let now = now_ms();
    let entries = RESOURCE_TYPES
        .iter()
        .enumerate()
        .map(|(i, (code, _, per_100k))| {
            let baseline = ((size * per_100k).round() as u32).max(1);
            // Deterministic variation per region and type.
            let wobble = ((n * 7 + i * 13) % 10) as u32;
            let committed = baseline * wobble / 40;
            let out_of_service = baseline * ((n + i) % 4) as u32 / 30;
            CapacityEntry {
                resource_type: (*code).into(),
                baseline,
                available: baseline - committed - out_of_service,
                committed,
                out_of_service,
                status: "normal".into(),
                ..CapacityEntry::default()
            }
        })
        .collect();
    CapacityReport {
        region: region.to_string(),
        as_of: time::format_moment(now),
        valid_until: time::format_moment(now + 24 * 3_600_000),
        code_list_version: 1,
        entries,
        author: format!("operator:{region}:demo"),
        ..CapacityReport::default()
    }
}

struct Row {
    code: String,
    name: String,
    baseline: u64,
    available: u64,
    committed: u64,
    out_of_service: u64,
    regions: usize,
}

struct Picture {
    rows: Vec<Row>,
    reporting: Vec<NodeId>,
    missing: Vec<NodeId>,
}

/// Sum the latest current, actual capacity report of each region as NL holds them.
async fn national_picture(fed: &LocalFederation) -> Result<Picture> {
    let nl = &fed.node(NodeId::NL).engine;
    let now = now_ms();
    let mut latest: BTreeMap<NodeId, (u64, CapacityReport)> = BTreeMap::new();
    for e in nl.list(None, Some(CAPACITY_KIND.into()), 0, usize::MAX, None).await? {
        let env = e.envelope;
        if env.status != Status::Actual {
            continue;
        }
        let report = CapacityReport::decode(env.payload.as_slice())
            .with_context(|| format!("{} seq {}", env.origin, env.seq))?;
        let valid_until = time::parse_moment("valid_until", &report.valid_until).unwrap_or(0);
        if valid_until <= now || report.region != env.origin.to_string() {
            continue;
        }
        if latest.get(&env.origin).is_none_or(|(seq, _)| *seq < env.seq) {
            latest.insert(env.origin, (env.seq, report));
        }
    }
    let mut rows: Vec<Row> = RESOURCE_TYPES
        .iter()
        .map(|(code, name, _)| Row {
            code: (*code).into(),
            name: (*name).into(),
            baseline: 0,
            available: 0,
            committed: 0,
            out_of_service: 0,
            regions: 0,
        })
        .collect();
    for (_, report) in latest.values() {
        for line in &report.entries {
            if let Some(r) = rows.iter_mut().find(|r| r.code == line.resource_type) {
                r.baseline += u64::from(line.baseline);
                r.available += u64::from(line.available);
                r.committed += u64::from(line.committed);
                r.out_of_service += u64::from(line.out_of_service);
                r.regions += 1;
            }
        }
    }
    let reporting: Vec<NodeId> = latest.keys().copied().collect();
    let missing = NodeId::regions().filter(|r| !reporting.contains(r)).collect();
    Ok(Picture {
        rows,
        reporting,
        missing,
    })
}

/// Resident and peak resident memory of this process in MiB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kib| kib / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

async fn keep_running(fed: &LocalFederation, root: &Path) -> Result<()> {
    let pki = root.join("pki");
    std::fs::create_dir_all(pki.join("people"))?;
    std::fs::write(pki.join("ca.pem"), fed.ca().cert_pem())?;
    let mut people = vec![("coordinator".to_string(), Identity::coordinator("coordinator"))];
    people.extend(NodeId::regions().map(|r| {
        (
            format!("operator-{}", r.to_string().to_lowercase()),
            Identity::operator(r, "operator"),
        )
    }));
    for (file, identity) in people {
        let issued = fed.ca().issue_person(identity)?;
        std::fs::write(pki.join("people").join(format!("{file}.pem")), issued.cert_pem)?;
        std::fs::write(pki.join("people").join(format!("{file}.key")), issued.key_pem)?;
    }
    println!();
    println!("the federation stays up until Ctrl-C; nodes:");
    for h in fed.running() {
        println!("  {:<5} {}", h.node.to_string(), h.url());
    }
    println!("try:");
    println!(
        "  regiosync status --node {} --pki {} --as coordinator",
        fed.node(NodeId::NL).url(),
        pki.display()
    );
    println!(
        "  regiosync list --node {} --pki {} --as operator-vr01",
        fed.node(NodeId::region(1).unwrap()).url(),
        pki.display()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
