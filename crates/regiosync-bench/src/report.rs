//! The results as a table (with each target and whether it is met) and as JSON.
use serde::Serialize;

use crate::queries::QueriesReport;
use crate::Report;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kib| kib / 1024.0 / 1024.0)
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string();
        Machine {
            cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            cpu_model,
            memory_gib,
            kernel,
        }
    }
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "n/a",
    }
}

/// A plain-text table: measurement, value, target, verdict.
pub fn render(r: &Report) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut row =
        |a: &str, b: String, c: &str, ok: Option<bool>| rows.push([a.into(), b, c.into(), verdict(ok).into()]);
    let ratio = r
        .postgres
        .as_ref()
        .map(|pg| r.replication.records_per_sec / pg.records_per_sec);
    row(
        "replication VR01 -> NL (records/s)",
        format!("{:.0}", r.replication.records_per_sec),
        ">= 1.5 x PostgreSQL",
        ratio.map(|x| x >= 1.5),
    );
    if let Some(pg) = &r.postgres {
        row(
            "PostgreSQL 15 logical replication (records/s)",
            format!("{:.0}", pg.records_per_sec),
            "reference",
            None,
        );
        row(
            "ratio ours / PostgreSQL",
            format!("{:.2}", ratio.unwrap_or(0.0)),
            ">= 1.5",
            ratio.map(|x| x >= 1.5),
        );
        row(
            "PostgreSQL one-hop latency p50 / p99 (ms)",
            format!("{:.2} / {:.2}", pg.latency_p50_ms, pg.latency_p99_ms),
            "reference",
            None,
        );
    }
    row(
        "store ceiling, project layout (records/s)",
        format!("{:.0}", r.ceilings.project_layout.records_per_sec),
        "reference",
        None,
    );
    row(
        "store ceiling, sled key per record (records/s)",
        format!("{:.0}", r.ceilings.sled_key_per_record.records_per_sec),
        "reference",
        None,
    );
    row(
        "one hop idle latency p50 / p99 (ms)",
        format!("{:.2} / {:.2}", r.latency_one_hop.p50_ms, r.latency_one_hop.p99_ms),
        "p50 <= 1 ms",
        Some(r.latency_one_hop.p50_ms <= 1.0),
    );
    row(
        "26 nodes through the hub p50 / p99 (ms)",
        format!("{:.2} / {:.2}", r.latency_26_nodes.p50_ms, r.latency_26_nodes.p99_ms),
        "p99 <= 100 ms",
        Some(r.latency_26_nodes.p99_ms <= 100.0),
    );
    let max_round = r.sync.idle_rounds.iter().map(|x| x.bytes).max().unwrap_or(0);
    let min_round = r.sync.idle_rounds.iter().map(|x| x.bytes).min().unwrap_or(0);
    for round in &r.sync.idle_rounds {
        row(
            &format!("idle anti-entropy round at {} entries (bytes)", round.entries),
            round.bytes.to_string(),
            "<= 1 KB, flat",
            Some(round.bytes <= 1024 && max_round - min_round <= 64),
        );
    }
    let rep = &r.sync.repair;
    row(
        &format!(
            "repair 1% divergence ({} entries): wire / missing bytes",
            rep.missing_entries
        ),
        format!(
            "{} / {} ({:.2}x)",
            rep.wire_bytes,
            rep.missing_bytes,
            rep.wire_bytes as f64 / rep.missing_bytes.max(1) as f64
        ),
        "reference",
        None,
    );
    if let Some(c) = &r.sync.catch_up {
        row(
            &format!("fresh node catch-up of {} entries (records/s)", c.entries),
            format!("{:.0}", c.records_per_sec),
            "reference",
            None,
        );
        row(
            "catch-up node peak resident (MiB)",
            format!("{:.1}", c.peak_rss_mib),
            "reference",
            None,
        );
        row(
            "one idle node resident (MiB)",
            format!("{:.1}", c.idle_rss_mib),
            "<= 32 MiB",
            Some(c.idle_rss_mib <= 32.0),
        );
        row(
            "one idle node CPU (%)",
            format!("{:.2}", c.idle_cpu_percent),
            "reference",
            None,
        );
    }
    if let Some(f) = &r.footprint {
        row(
            "26-node demo resident / peak (MiB)",
            format!("{:.1} / {:.1}", f.demo_rss_mib, f.demo_peak_rss_mib),
            "<= 512 MiB",
            Some(f.demo_peak_rss_mib <= 512.0),
        );
        row(
            &format!("26-node demo idle CPU over {} s (%)", f.idle_secs),
            format!("{:.2}", f.demo_idle_cpu_percent),
            "reference",
            None,
        );
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0).max(12))
        .collect();
    let mut out = format!(
        "machine: {} cpus ({}), {:.1} GiB, kernel {}; {} records of {} bytes\n",
        r.machine.cpus, r.machine.cpu_model, r.machine.memory_gib, r.machine.kernel, r.records, r.record_bytes
    );
    for (i, h) in ["measurement", "value", "target", "verdict"].iter().enumerate() {
        out.push_str(&format!("{:<w$}  ", h, w = widths[i]));
    }
    out.push('\n');
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            out.push_str(&format!("{:<w$}  ", c, w = widths[i]));
        }
        out.push('\n');
    }
    out
}

/// The query benchmark: one block per size (mix, ingest, memory), then one row per question.
pub fn render_queries(r: &QueriesReport) -> String {
    let mut out = format!(
        "machine: {} cpus ({}), {:.1} GiB, kernel {}\n\
         questions at NL over mTLS gRPC as a national coordinator, {} calls each after {} warm-up \
         calls; target p99 <= {} ms at 1,000,000 records\n\
         read / derive: the service's aggregate reads, and its decoding and deriving, timed \
         in-process; rest: p50 - read p50 - derive p50 (TLS, HTTP/2, encoding; an estimate)\n",
        r.machine.cpus, r.machine.cpu_model, r.machine.memory_gib, r.machine.kernel, r.calls, r.warmup, r.target_p99_ms
    );
    for s in &r.sizes {
        let m = &s.mix;
        out.push_str(&format!(
            "\n{} records: {} capacity reports (+{} exercise/test), {} evaluations, {} agreements \
             ({} versions, {} signatures/rejections/withdrawals/revocations)\n\
             ingest at NL: {:.0} records/s ({:.1} s in receive; sealing {:.1} s not counted); \
             disk {:.0} MiB; resident after ingest {:.1} MiB, after questions {:.1} MiB, peak {:.1} MiB; \
             load average {:.2}\n",
            s.records,
            m.capacity_actual,
            m.capacity_exercise_or_test,
            m.evaluations,
            m.agreements,
            m.agreement_versions,
            m.agreement_acts,
            s.ingest.records_per_sec,
            s.ingest.seconds,
            s.prepare_seconds,
            s.disk_mib,
            s.rss_after_ingest_mib,
            s.rss_after_queries_mib,
            s.peak_rss_mib,
            s.load_average,
        ));
        let rows: Vec<Vec<String>> = s
            .questions
            .iter()
            .map(|q| {
                let judged = s.records >= 1_000_000;
                vec![
                    q.name.clone(),
                    format!("{:.2}", q.p50_ms),
                    format!("{:.2}", q.p99_ms),
                    format!("{:.2}", q.max_ms),
                    format!("{:.2} / {:.2}", q.parts.read_p50_ms, q.parts.derive_p50_ms),
                    format!("{:.2}", q.p50_ms - q.parts.read_p50_ms - q.parts.derive_p50_ms),
                    q.answer_bytes.to_string(),
                    verdict(judged.then_some(q.p99_ms <= r.target_p99_ms)).into(),
                    q.checked.clone(),
                ]
            })
            .collect();
        out.push_str(&columns(
            &[
                "question",
                "p50 ms",
                "p99 ms",
                "max ms",
                "read / derive p50",
                "rest p50",
                "answer B",
                "p99 <= 5",
                "answer checked",
            ],
            &rows,
        ));
    }
    out
}

/// Rows under a header, each column as wide as its widest cell.
fn columns<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.as_ref()[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        for (i, c) in cells.iter().enumerate() {
            out.push_str(&format!("{:<w$}  ", c, w = widths[i]));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.as_ref().iter().map(String::as_str).collect());
    }
    out
}

/// The assistance benchmark: a request's reach beside one hop, in one run.
pub fn render_assist(r: &crate::assist::AssistReport) -> String {
    let verdict = if r.request_p99_ms <= r.target_p99_ms {
        "met"
    } else {
        "MISSED"
    };
    format!(
        "machine: {} cpus ({}), {:.1} GiB, kernel {}\n\
         {} nodes (the shipped federation and NL-B), hub and neighbour mesh; {} trials after 5 warm-up\n\
         request at VR17 through RequestAssistance until held at {}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms \
         (target p99 <= {} ms: {verdict})\n\
         reference, same run: one entry VR17 -> NL: p50 {:.2} ms, p99 {:.2} ms; request / one hop at p50: {:.1}x\n",
        r.machine.cpus,
        r.machine.cpu_model,
        r.machine.memory_gib,
        r.machine.kernel,
        r.nodes,
        r.trials,
        r.reached.join(", "),
        r.request_p50_ms,
        r.request_p99_ms,
        r.request_max_ms,
        r.target_p99_ms,
        r.one_hop_p50_ms,
        r.one_hop_p99_ms,
        r.request_p50_ms / r.one_hop_p50_ms.max(1e-9),
    )
}

/// The targets of a federation of 1,000 members (issue 16, target 1).
pub const SCALE_BYTES_PER_IDLE_ROUND: f64 = 1024.0;
pub const SCALE_NATIONAL_HEAP_MIB: f64 = 256.0;
pub const SCALE_DELIVERY_P99_MS: f64 = 1000.0;

pub fn render_scale(r: &crate::scale::ScaleReport) -> String {
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let mut out = format!(
        "machine: {} cpus ({}), {:.1} GiB, kernel {}\n\
         {} members in one process ({} national, {} regions, {} partners), real engine, record rules and \
         sled stores on tmpfs, in-process transport; anti-entropy every {:.0} s, idle window {:.0} s\n\
         opened in {:.1} s, converged in {:.1} s; process resident {:.0} MiB ({:.0} KiB per member)\n\n\
         {:<8} {:>12} {:>14} {:>12} {:>12} {:>16}\n",
        r.machine.cpus,
        r.machine.cpu_model,
        r.machine.memory_gib,
        r.machine.kernel,
        r.members,
        r.nationals,
        r.regions,
        r.partners,
        r.anti_entropy_secs,
        r.idle_secs,
        r.open_secs,
        r.converge_secs,
        r.process_rss_mib,
        r.process_rss_per_member_kib,
        "national",
        "heap MiB",
        "KiB/member",
        "idle rounds",
        "CPU us/round",
        "bytes/round/peer",
    );
    for n in &r.national {
        out.push_str(&format!(
            "{:<8} {:>12.1} {:>14.1} {:>12} {:>12.1} {:>16.1}{}\n",
            n.node,
            n.heap_mib,
            n.heap_per_member_kib,
            n.idle_rounds,
            n.cpu_us_per_idle_round,
            n.bytes_per_idle_round,
            if n.busy_rounds > 0 {
                format!("  ({} rounds not idle)", n.busy_rounds)
            } else {
                String::new()
            },
        ));
    }
    let worst = |f: fn(&crate::scale::NationalFigures) -> f64| r.national.iter().map(f).fold(0.0, f64::max);
    let (bytes, heap) = (worst(|n| n.bytes_per_idle_round), worst(|n| n.heap_mib));
    let d = &r.delivery;
    out.push_str(&format!(
        "\nidle round per peer: {bytes:.0} bytes (target <= {SCALE_BYTES_PER_IDLE_ROUND:.0}: {})\n\
         national node heap: {heap:.1} MiB (target <= {SCALE_NATIONAL_HEAP_MIB:.0} MiB resident: {})\n\
         federation-wide delivery, {} records: every member p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms \
         (target p99 <= {SCALE_DELIVERY_P99_MS:.0} ms: {}); one member p50 {:.0} ms, p99 {:.0} ms\n\
         the senders' part (until the last member's copy was handed to the wire, receivers' applying \
         left out): p50 {:.0} ms, p99 {:.0} ms\n\
         CPU per record: {:.1} ms at the busiest national node (its apply and fan-out to every subscriber), \
         {:.2} ms at each other member (its apply)\n",
        verdict(bytes <= SCALE_BYTES_PER_IDLE_ROUND),
        verdict(heap <= SCALE_NATIONAL_HEAP_MIB),
        d.trials,
        d.all_p50_ms,
        d.all_p99_ms,
        d.all_max_ms,
        verdict(d.all_p99_ms <= SCALE_DELIVERY_P99_MS),
        d.member_p50_ms,
        d.member_p99_ms,
        d.sent_all_p50_ms,
        d.sent_all_p99_ms,
        d.national_cpu_ms_per_record,
        d.member_cpu_ms_per_record,
    ));
    out
}

/// Write the JSON summary of `report` to `out` when given, and print it: alone with `--json`,
/// else after the table `table` makes of it.
pub fn emit<R: serde::Serialize>(
    report: &R,
    out: Option<&std::path::Path>,
    json: bool,
    table: impl FnOnce(&R) -> String,
) -> anyhow::Result<()> {
    let summary = serde_json::to_string_pretty(report)?;
    if let Some(path) = out {
        std::fs::write(path, &summary).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    if json {
        println!("{summary}");
    } else {
        print!("{}", table(report));
        println!("\n{summary}");
    }
    Ok(())
}
