//! How assistance requests are printed: one request with its lines filling up (requested,
//! offered, committed, on scene, released), who was asked and who answered, the offers, the
//! committed units' deployment and the timeline; the list of requests; and the confirmation
//! of each step written.
use anyhow::Result;
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::AssistanceView;

use super::ref_json;
use crate::render::table::Table;
use crate::render::{code, code_name, field, or_dash, print_json, region, regions, resource, status_line, when};

/// The step `what` written as record `r` about request `request_id`.
pub fn written(json: bool, r: &RecordRef, what: &str, request_id: &str) -> Result<()> {
    if json {
        return print_json(&ref_json(r));
    }
    match request_id {
        "" => out!("{what} as record {} of {}", r.id, region(&r.origin)),
        id => out!("{what} on request {id} as record {} of {}", r.id, region(&r.origin)),
    }
    Ok(())
}

/// The request's state in words.
fn state_name(state: &str) -> &str {
    match state {
        "open" => "open (nothing committed yet)",
        "partially_covered" => "partially covered",
        "covered" => "covered (every line committed)",
        "closed" => "closed",
        "cancelled" => "cancelled",
        other => other,
    }
}

/// The time from `from` to `to`: "40 s" under a minute, else "12 min" (or "-" when either is
/// unset).
fn minutes(from: i64, to: i64) -> String {
    match (from, to) {
        (0, _) | (_, 0) => "-".into(),
        _ if to - from < 60_000 => format!("{} s", (to - from).max(0) / 1000),
        _ => format!("{} min", (to - from) / 60_000),
    }
}

/// One request: what was asked, of whom, what is offered, committed and deployed, and when.
pub fn show(v: &AssistanceView) {
    let meta = v.record.clone().unwrap_or_default();
    let q = v.request.clone().unwrap_or_default();
    let cl = q.code_list_version;
    let incident = q.incident.clone().unwrap_or_default();
    let location = q.location.clone().unwrap_or_default();
    out!(
        "Assistance request {} of {}: {}",
        meta.id,
        region(&meta.origin),
        state_name(&v.state)
    );
    out!();
    field(
        "incident",
        format!("{} ({})", incident.reference, code(cl, list::HAZARDS, &incident.hazard)),
    );
    field("escalation", code(cl, list::ESCALATION_LEVELS, &incident.escalation));
    field("what happened", &incident.description);
    let place = [location.municipality.as_str(), location.description.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let coordinates = match (location.latitude, location.longitude) {
        (Some(lat), Some(lon)) => format!(" ({lat:.5}, {lon:.5})"),
        _ => String::new(),
    };
    field("where", format!("{place}{coordinates}"));
    field("needed by", &q.needed_by);
    field("status", status_line(&meta.status));
    field(
        "requested",
        format!("{} by {}", when(meta.created_unix_ms), or_dash(&q.author)),
    );
    let addressing = q.addressing.clone().unwrap_or_default();
    let mut how = Vec::new();
    if !addressing.agreements.is_empty() {
        how.push(format!("agreements {}", addressing.agreements.join(", ")));
    }
    if !addressing.members.is_empty() {
        how.push(format!("members {}", addressing.members.join(", ")));
    }
    if addressing.neighbours {
        how.push("the neighbours".into());
    }
    if addressing.national {
        how.push("the national level (LOCC) to route it".into());
    }
    let asked = if q.addressed.is_empty() {
        "nobody directly".to_string()
    } else {
        regions(&q.addressed)
    };
    field("asked", format!("{asked} (by {})", how.join("; ")));
    for g in &v.routings {
        let note = if g.note.is_empty() {
            String::new()
        } else {
            format!(": {}", g.note)
        };
        field(
            "routed",
            format!("to {} by {} {}{note}", regions(&g.members), g.by, when(g.at_unix_ms)),
        );
    }
    field("first offer after", minutes(v.requested_unix_ms, v.first_offer_unix_ms));
    field(
        "committed after",
        minutes(v.requested_unix_ms, v.first_commitment_unix_ms),
    );
    if v.covered_unix_ms != 0 {
        field("covered after", minutes(v.requested_unix_ms, v.covered_unix_ms));
    }
    if let Some(c) = &v.close {
        let what = if c.cancelled { "cancelled" } else { "closed" };
        field(what, format!("{} {}", when(v.closed_unix_ms), c.note));
        if let Some(e) = &c.evaluation {
            field(
                "cooperation",
                format!(
                    "{} {}",
                    e.cooperation,
                    code_name(c.code_list_version, list::RATINGS, &e.cooperation)
                ),
            );
            for l in &e.lessons {
                field("lesson", l);
            }
        }
    }
    out!();
    let mut t = Table::new(&[
        "line",
        "requested",
        "minimum",
        "offered",
        "committed",
        "on scene",
        "released",
    ])
    .right(&[1, 2, 3, 4, 5, 6]);
    for l in &v.lines {
        t.row(vec![
            resource(cl, &l.resource_type),
            l.requested.to_string(),
            l.minimum.to_string(),
            l.offered.to_string(),
            l.committed.to_string(),
            l.on_scene.to_string(),
            l.released.to_string(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    out!();
    let mut t = Table::new(&["asked", "answer", "after"]);
    for a in &v.addressees {
        let answer = match a.answer.as_str() {
            "no_answer" => "NO ANSWER YET".to_string(),
            other => other.to_string(),
        };
        t.row(vec![
            region(&a.member),
            answer,
            minutes(v.requested_unix_ms, a.first_answer_unix_ms),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    if !v.offers.is_empty() {
        out!();
        out!("Answers:");
        let mut t = Table::new(&["record", "by", "state", "offers", "eta", "valid until", "remarks"]);
        for o in &v.offers {
            let m = o.record.clone().unwrap_or_default();
            let offer = o.offer.clone().unwrap_or_default();
            let units = offer
                .lines
                .iter()
                .map(|l| {
                    let flag = match (l.exceeds_available, l.reported_available) {
                        (true, Some(a)) => format!(" (above the {a} its report shows available)"),
                        (true, None) => " (no current capacity report)".to_string(),
                        _ => String::new(),
                    };
                    format!("{} {}{flag}", l.quantity, l.resource_type)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let remarks = match offer.decline_reason.as_str() {
                "" => offer.conditions.clone(),
                r => {
                    let reason = code_name(offer.code_list_version, list::DECLINE_REASONS, r);
                    match offer.note.as_str() {
                        "" => reason,
                        note => format!("{reason}: {note}"),
                    }
                }
            };
            t.row(vec![
                m.id,
                region(&m.origin),
                o.state.clone(),
                if units.is_empty() { "-".into() } else { units },
                or_dash(&offer.eta).to_string(),
                or_dash(&offer.valid_until).to_string(),
                remarks,
            ]);
        }
        out!("{}", t.render().trim_end_matches('\n'));
    }
    if !v.deployments.is_empty() {
        out!();
        out!("Committed units:");
        let mut t = Table::new(&["offer", "by", "line", "units", "state", "since", "until"]).right(&[3]);
        for d in &v.deployments {
            t.row(vec![
                d.offer_id.clone(),
                region(&d.offerer),
                d.resource_type.clone(),
                d.committed.to_string(),
                d.state.clone(),
                if d.since_unix_ms == 0 {
                    "-".into()
                } else {
                    when(d.since_unix_ms)
                },
                or_dash(&d.until).to_string(),
            ]);
        }
        out!("{}", t.render().trim_end_matches('\n'));
    }
    out!();
    out!("Timeline:");
    let mut t = Table::new(&["when", "record", "by", "step", "what"]);
    for e in &v.timeline {
        t.row(vec![
            when(e.at_unix_ms),
            e.record_id.clone(),
            e.member.clone(),
            e.step.clone(),
            e.summary.clone(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    if !v.ignored.is_empty() {
        out!();
        out!("Records that do not count:");
        for i in &v.ignored {
            out!("  {}: {}", i.record_id, i.reason);
        }
    }
}

/// The requests, newest first: state, requester, what is covered, who has not answered.
pub fn print_list(requests: &[AssistanceView]) {
    if requests.is_empty() {
        out!("no assistance requests held here");
        return;
    }
    let mut t = Table::new(&[
        "request",
        "by",
        "state",
        "incident",
        "lines (committed/requested)",
        "asked",
        "no answer yet",
        "requested",
    ]);
    for v in requests {
        let meta = v.record.clone().unwrap_or_default();
        let q = v.request.clone().unwrap_or_default();
        let lines = v
            .lines
            .iter()
            .map(|l| format!("{} {}/{}", l.resource_type, l.committed, l.requested))
            .collect::<Vec<_>>()
            .join(", ");
        let silent: Vec<String> = v
            .addressees
            .iter()
            .filter(|a| a.answer == "no_answer")
            .map(|a| a.member.clone())
            .collect();
        t.row(vec![
            meta.id,
            meta.origin,
            v.state.clone(),
            q.incident.map(|i| i.reference).unwrap_or_default(),
            lines,
            q.addressed.join(","),
            if silent.is_empty() {
                "-".into()
            } else {
                silent.join(",")
            },
            when(meta.created_unix_ms),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
}

/// The EDXL-RM files written for a request: (record id, message type, file) per step.
pub fn exported(
    json: bool,
    request_id: &str,
    out: &std::path::Path,
    files: &[(String, &str, std::path::PathBuf)],
) -> Result<()> {
    if json {
        let files: Vec<_> = files
            .iter()
            .map(|(id, kind, path)| serde_json::json!({"record_id": id, "message_type": kind, "file": path.display().to_string()}))
            .collect();
        return print_json(&serde_json::json!({"request_id": request_id, "files": files}));
    }
    let mut t = Table::new(&["record", "EDXL-RM message", "file"]);
    for (id, kind, path) in files {
        t.row(vec![id.clone(), kind.to_string(), path.display().to_string()]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    out!(
        "{} EDXL-RM 1.0 messages of request {request_id} in {}",
        files.len(),
        out.display()
    );
    Ok(())
}
