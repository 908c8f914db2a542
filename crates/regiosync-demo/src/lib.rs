//! The demo (`regiosync demo`): NL and VR01..VR25 in this process on loopback with a throwaway
//! PKI. Each region's operator writes realistic sample data through the `Records` API of their
//! own node over mutual TLS (capacity, agreements in every lifecycle state, two years of
//! evaluations; see `data`); the demo waits until every record reached every node in its
//! audience, then prints how long that took and the national picture a national coordinator
//! gets at NL. With `--keep-running` or `--dashboard` the federation then stays up (the
//! dashboard from `regiosync_dashboard`, as the national coordinator).
//!
//! The crate owns the demo's data and script: the people, what each writes, the picture and how
//! it is printed (tables and times from `regiosync_client::render`). It writes only through the
//! `Records` API, as each region's operator with that operator's own certificate; the picture
//! it prints is what the national coordinator reads through the same API at NL (only waiting
//! for convergence looks at the nodes' engines directly).
mod data;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use regiosync_client::render::time::now_ms;
use regiosync_client::said::{Tell, Text};
use regiosync_i18n::Lang;
use regiosync_node::local::{LocalFederation, Topology};
use regiosync_node::pb::RecordRef;
use regiosync_replication::EngineConfig;
use regiosync_types::NodeId;
use serde_json::json;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::data::people::People;
use crate::data::{agreements, capacity, evaluations, incident, neighbours, picture, render, script};

/// How long people wait for a record to reach their node before the demo gives up.
const PATIENCE: Duration = Duration::from_secs(40);

pub struct DemoOpts {
    pub json: bool,
    /// The language of what the demo says and of the tables it prints from the client's render
    /// layer (the national picture's tables, `data::render`, are English).
    pub lang: Lang,
    pub keep_running: bool,
    /// Serve the dashboard at this loopback address (as the national coordinator, at NL)
    /// while the federation stays up.
    pub dashboard: Option<std::net::SocketAddr>,
}

pub async fn run(opts: DemoOpts) -> Result<()> {
    let members = regiosync_types::Federation::shipped();
    let edges = members.neighbour_edges().to_vec();
    let names: std::collections::BTreeMap<NodeId, String> = members.members().map(|m| (m.id, m.name.clone())).collect();
    let dir = tempfile::Builder::new()
        .prefix("regiosync-demo-")
        .tempdir()
        .told(Text::new("cmd-demo-temp-folder"))?;
    let ids: Vec<NodeId> = regiosync_types::Federation::shipped().ids().collect();
    let engine = EngineConfig {
        anti_entropy: Duration::from_secs(10),
        ..EngineConfig::default()
    };
    let started = Instant::now();
    let fed = LocalFederation::start(
        dir.path(),
        &ids,
        &Topology {
            mesh: edges.clone(),
            members: None,
        },
        engine,
        4 * 1024 * 1024,
    )
    .await
    .told(Text::new("cmd-demo-starting"))?;
    let startup = started.elapsed();
    let people = Arc::new(People::connect(&fed).await?);
    let connected = started.elapsed() - startup;
    let say = |text: Text| println!("{}", text.render(opts.lang));
    if !opts.json {
        say(Text::new("cmd-demo-started")
            .count("nodes", ids.len())
            .count("ms", startup.as_millis())
            .count("links", edges.len()));
        say(Text::new("cmd-demo-connected").count("ms", connected.as_millis()));
    }

    // Everyone writes at once: each region its capacity and evaluations, the parties of each
    // agreement their proposals and acts (each at their own node, once it has arrived there).
    let now = now_ms();
    let t0 = Instant::now();
    let deadline = t0 + PATIENCE;
    let mut writing = JoinSet::new();
    for region in regiosync_types::Federation::shipped().regions() {
        let around = neighbours(region, &edges);
        let audience = around.iter().map(|n| n.to_string()).collect();
        let reports = capacity::reports(region, now);
        let filings = evaluations::filings(region, now, &names, &around);
        writing.spawn(script::region(people.clone(), region, reports, audience, filings));
    }
    let plans = agreements::plans(now);
    let intended: Vec<(&str, &str)> = plans.iter().map(|p| (p.id, p.life.state())).collect();
    for plan in plans {
        writing.spawn(script::agreement(people.clone(), plan, deadline));
    }
    let mut written: Vec<RecordRef> = Vec::new();
    while let Some(done) = writing.join_next().await {
        written.extend(done.context("writing task")??);
    }
    let wrote = t0.elapsed();
    let deliveries = converge(&fed, &written, deadline).await?;
    let converged = t0.elapsed();

    // Then the incident: VR17 asks its partners for assistance, step by step to the close.
    let t1 = Instant::now();
    let (steps, assistance) = incident::play(&people, t1 + PATIENCE).await?;
    let incident_ms = t1.elapsed().as_millis() as u64;
    let kpis = incident::kpis(&people, assistance.requested_unix_ms).await?;
    written.extend(steps.iter().cloned());

    let picture = picture::fetch(&people.coordinator).await?;
    for (id, state) in intended {
        let got = picture.agreements.states.get(id).map_or("absent", |s| s.as_str());
        if got != state {
            let warning = Text::new("cmd-demo-agreement-state")
                .arg("id", id)
                .arg("got", regiosync_client::render::agreement_state(opts.lang, got))
                .arg("state", regiosync_client::render::agreement_state(opts.lang, state));
            eprintln!("{}", warning.render(opts.lang));
        }
    }
    let mem = memory();
    let counts = count_kinds(&written);
    if opts.json {
        let mut out = json!({
            "nodes": ids.len(),
            "startup_ms": startup.as_millis() as u64,
            "records_written": counts,
            "records_total": written.len(),
            "deliveries": deliveries,
            "written_ms": wrote.as_millis() as u64,
            "convergence_ms": converged.as_millis() as u64,
            "incident_ms": incident_ms,
            "assistance": assistance,
            "assistance_by_region": kpis.0,
            "assistance_by_agreement": kpis.1,
        });
        if let (Some(out), serde_json::Value::Object(parts)) = (out.as_object_mut(), render::json(&picture, &names)) {
            out.extend(parts);
            out.insert("rss_mib".into(), json!(mem.0));
            out.insert("peak_rss_mib".into(), json!(mem.1));
        }
        regiosync_client::render::print_json(&out)?;
    } else {
        let count = |id: &'static str, kind: &str| Text::new(id).count("n", counts.get(kind).copied().unwrap_or(0));
        say(Text::new("cmd-demo-written")
            .count("ms", wrote.as_millis())
            .nested("capacity", count("cmd-demo-n-capacity", "capacity_report"))
            .nested("versions", count("cmd-demo-n-versions", "agreement"))
            .count("agreements", picture.agreements.total)
            .nested("signatures", count("cmd-demo-n-signatures", "agreement_signature"))
            .nested("rejections", count("cmd-demo-n-rejections", "agreement_rejection"))
            .nested("withdrawals", count("cmd-demo-n-withdrawals", "agreement_withdrawal"))
            .nested("revocations", count("cmd-demo-n-revocations", "agreement_revocation"))
            .nested("evaluations", count("cmd-demo-n-evaluations", "evaluation_summary")));
        say(Text::new("cmd-demo-delivered")
            .count("deliveries", deliveries)
            .count("records", written.len())
            .count("ms", converged.as_millis()));
        print!("{}", render::text(&picture, &names, opts.lang));
        println!();
        say(Text::new("cmd-demo-incident")
            .count("steps", steps.len())
            .count("ms", incident_ms));
        println!();
        regiosync_client::render::records::assistance::show(opts.lang, &assistance);
        println!();
        say(Text::new("cmd-demo-assistance-questions"));
        regiosync_client::render::query::assistance::print_by_region(opts.lang, &kpis.0);
        regiosync_client::render::query::assistance::print_by_agreement(opts.lang, &kpis.1);
        say(Text::new("cmd-demo-memory")
            .arg("now", regiosync_i18n::decimal(opts.lang, mem.0, 1))
            .arg("peak", regiosync_i18n::decimal(opts.lang, mem.1, 1)));
    }

    if opts.keep_running || opts.dashboard.is_some() {
        keep_running(&fed, &people, dir.path(), opts.dashboard, opts.lang).await?;
    }
    drop(people);
    fed.shutdown().await;
    Ok(())
}

/// Wait until every node in each record's audience holds it; the number of deliveries.
async fn converge(fed: &LocalFederation, written: &[RecordRef], deadline: Instant) -> Result<usize> {
    let mut expected: Vec<(NodeId, NodeId, u64)> = Vec::new();
    for r in written {
        let origin: NodeId = r.origin.parse().context("record origin")?;
        let entry = fed
            .node(origin)
            .engine
            .get(r.id.clone())
            .await?
            .with_context(|| format!("{} is not held at its origin", r.id))?;
        for member in entry.envelope.audience.iter().filter(|m| **m != origin) {
            expected.push((*member, origin, r.seq));
        }
    }
    loop {
        let missing = expected
            .iter()
            .filter(|(node, origin, seq)| fed.node(*node).engine.held(*origin) < *seq)
            .count();
        if missing == 0 {
            return Ok(expected.len());
        }
        if Instant::now() > deadline {
            return Err(Text::new("cmd-demo-not-converged")
                .arg("secs", PATIENCE.as_secs())
                .count("missing", missing)
                .into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn count_kinds(written: &[RecordRef]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in written {
        *counts.entry(r.kind.clone()).or_default() += 1;
    }
    counts
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

async fn keep_running(
    fed: &LocalFederation,
    people: &People,
    root: &Path,
    dashboard: Option<std::net::SocketAddr>,
    lang: Lang,
) -> Result<()> {
    let pki = root.join("pki");
    std::fs::create_dir_all(pki.join("people"))?;
    std::fs::write(pki.join("ca.pem"), fed.ca().cert_pem())?;
    for (file, issued) in &people.issued {
        std::fs::write(pki.join("people").join(format!("{file}.pem")), &issued.cert_pem)?;
        std::fs::write(pki.join("people").join(format!("{file}.key")), &issued.key_pem)?;
    }
    println!();
    println!("{}", Text::new("cmd-demo-stays-up").render(lang));
    for h in fed.running() {
        println!("  {:<5} {}", h.node.to_string(), h.url());
    }
    let nl = fed.node(NodeId::NL).url();
    let vr01 = fed.node(NodeId::region(1).context("VR01")?).url();
    let pki = pki.display();
    println!("{}", Text::new("cmd-demo-try").arg("pki", &pki).render(lang));
    println!("  regiosync status --node {nl} --pki {pki} --as coordinator");
    println!("  regiosync capacity list --node {nl} --pki {pki} --as coordinator");
    println!("  regiosync agreement list --node {vr01} --pki {pki} --as operator-vr01");
    println!("  regiosync evaluation list --node {nl} --pki {pki} --as coordinator");
    if let Some(listen) = dashboard {
        let me = people
            .issued
            .iter()
            .find(|(file, _)| file == "coordinator")
            .map(|(_, c)| c);
        let me = me.context("the coordinator's certificate")?;
        let who = format!("national coordinator {}", crate::data::people::COORDINATOR);
        let pems = (fed.ca().cert_pem(), me.cert_pem.as_str(), me.key_pem.as_str());
        return regiosync_dashboard::run_with(listen, &nl, pems, &who, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    }
    tokio::signal::ctrl_c().await?;
    Ok(())
}
