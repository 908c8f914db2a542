//! How assistance requests are printed: one request with its lines filling up (requested,
//! offered, committed, on scene, released), who was asked and who answered, the offers, the
//! committed units' deployment and the timeline; the list of requests; and the confirmation
//! of each step written.
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::{AssistanceView, TimelineEvent};

use super::ref_json;
use crate::render::table::Table;
use crate::render::{
    code, code_name, field, moment_str, num, or_dash, print_json, region, regions, resource, state, status_line, when,
    Out,
};

/// The step `what` (`asked`, `offered`, `declined`, `committed`, `reported`, `released`,
/// `closed`, `cancelled`, `routed`: the catalogue's `cli-as-did-<what>`) written as record `r`
/// about request `request_id`.
pub fn written(out: Out, r: &RecordRef, what: &str, request_id: &str) -> Result<()> {
    if out.json {
        return print_json(&ref_json(r));
    }
    let c = Catalog::of(out.lang);
    let args = Args::new()
        .text("what", c.s(&format!("cli-as-did-{what}")))
        .text("request", request_id)
        .text("record", &r.id)
        .text("region", region(&r.origin));
    let id = if request_id.is_empty() {
        "cli-as-written"
    } else {
        "cli-as-written-on"
    };
    out!("{}", c.t(id, &args));
    Ok(())
}

/// The time from `from` to `to`: "40 s" under a minute, else "12 min" (or "-" when either is
/// unset).
fn minutes(lang: Lang, from: i64, to: i64) -> String {
    match (from, to) {
        (0, _) | (_, 0) => "-".into(),
        _ if to - from < 60_000 => format!("{} s", (to - from).max(0) / 1000),
        _ => format!("{} min", num(lang, (to - from) / 60_000)),
    }
}

/// One request: what was asked, of whom, what is offered, committed and deployed, and when.
pub fn show(lang: Lang, v: &AssistanceView) {
    let c = Catalog::of(lang);
    let meta = v.record.clone().unwrap_or_default();
    let q = v.request.clone().unwrap_or_default();
    let cl = q.code_list_version;
    let incident = q.incident.clone().unwrap_or_default();
    let location = q.location.clone().unwrap_or_default();
    let args = Args::new()
        .text("record", &meta.id)
        .text("region", region(&meta.origin))
        .text("state", state(lang, "as-state", &v.state));
    out!("{}", c.t("cli-as-title", &args));
    out!();
    field(
        &c.s("cli-as-incident"),
        format!(
            "{} ({})",
            incident.reference,
            code(lang, cl, list::HAZARDS, &incident.hazard)
        ),
    );
    field(
        &c.s("cli-as-escalation"),
        code(lang, cl, list::ESCALATION_LEVELS, &incident.escalation),
    );
    field(&c.s("cli-as-what-happened"), &incident.description);
    let place = [location.municipality.as_str(), location.description.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let coordinates = match (location.latitude, location.longitude) {
        (Some(lat), Some(lon)) => format!(" ({lat:.5}, {lon:.5})"),
        _ => String::new(),
    };
    field(&c.s("cli-as-where"), format!("{place}{coordinates}"));
    field(&c.s("cli-as-needed-by"), moment_str(lang, &q.needed_by));
    field(&c.s("cli-label-status"), status_line(lang, &meta.status));
    let args = Args::new()
        .text("at", when(lang, meta.created_unix_ms))
        .text("author", or_dash(&q.author));
    field(&c.s("cli-as-requested"), c.t("cli-as-requested-value", &args));
    let addressing = q.addressing.clone().unwrap_or_default();
    let mut how = Vec::new();
    let listed = |id: &str, l: &[String]| c.t(id, &Args::new().text("list", l.join(", ")));
    if !addressing.agreements.is_empty() {
        how.push(listed("cli-as-by-agreements", &addressing.agreements));
    }
    if !addressing.members.is_empty() {
        how.push(listed("cli-as-by-members", &addressing.members));
    }
    if addressing.neighbours {
        how.push(c.s("cli-as-by-neighbours"));
    }
    if addressing.national {
        how.push(c.s("cli-as-by-national"));
    }
    let asked = if q.addressed.is_empty() {
        c.s("cli-as-nobody")
    } else {
        regions(&q.addressed)
    };
    let args = Args::new().text("asked", asked).text("how", how.join("; "));
    field(&c.s("cli-as-asked"), c.t("cli-as-asked-value", &args));
    for g in &v.routings {
        let note = if g.note.is_empty() {
            String::new()
        } else {
            format!(": {}", g.note)
        };
        let args = Args::new()
            .text("list", regions(&g.members))
            .text("by", &g.by)
            .text("at", when(lang, g.at_unix_ms));
        field(
            &c.s("cli-as-routed"),
            format!("{}{note}", c.t("cli-as-routed-value", &args)),
        );
    }
    let after = |to: i64| minutes(lang, v.requested_unix_ms, to);
    field(&c.s("cli-as-first-offer-after"), after(v.first_offer_unix_ms));
    field(&c.s("cli-as-committed-after"), after(v.first_commitment_unix_ms));
    if v.covered_unix_ms != 0 {
        field(&c.s("cli-as-covered-after"), after(v.covered_unix_ms));
    }
    if let Some(x) = &v.close {
        let what = c.s(if x.cancelled {
            "as-state-cancelled"
        } else {
            "as-state-closed"
        });
        field(&what, format!("{} {}", when(lang, v.closed_unix_ms), x.note));
        if let Some(e) = &x.evaluation {
            field(
                &c.s("cli-as-cooperation"),
                format!(
                    "{} {}",
                    e.cooperation,
                    code_name(lang, x.code_list_version, list::RATINGS, &e.cooperation)
                ),
            );
            for l in &e.lessons {
                field(&c.s("cli-as-lesson"), l);
            }
        }
    }
    out!();
    let mut t = Table::of(
        lang,
        &[
            "cli-col-line",
            "cli-col-requested",
            "cli-col-minimum",
            "cli-col-offered",
            "cli-col-committed",
            "cli-col-on-scene",
            "cli-col-released",
        ],
    )
    .right(&[1, 2, 3, 4, 5, 6]);
    for l in &v.lines {
        t.row(vec![
            resource(lang, cl, &l.resource_type),
            num(lang, l.requested),
            num(lang, l.minimum),
            num(lang, l.offered),
            num(lang, l.committed),
            num(lang, l.on_scene),
            num(lang, l.released),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    out!();
    let mut t = Table::of(lang, &["cli-col-asked", "cli-col-answer", "cli-col-after"]);
    for a in &v.addressees {
        let answer = match a.answer.as_str() {
            "no_answer" => c.s("as-answer-no_answer").to_uppercase(),
            other => state(lang, "as-answer", other),
        };
        t.row(vec![region(&a.member), answer, after(a.first_answer_unix_ms)]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    if !v.offers.is_empty() {
        out!();
        out!("{}", c.s("cli-as-answers"));
        print_offers(lang, v);
    }
    if !v.deployments.is_empty() {
        out!();
        out!("{}", c.s("cli-as-units"));
        let mut t = Table::of(
            lang,
            &[
                "cli-col-offer",
                "cli-col-by",
                "cli-col-line",
                "cli-col-units",
                "cli-col-state",
                "cli-col-since",
                "cli-col-until",
            ],
        )
        .right(&[3]);
        for d in &v.deployments {
            let st = match code_name(lang, 0, list::DEPLOYMENT_STATES, &d.state) {
                n if n.is_empty() => state(lang, "cli-as-deployment", &d.state),
                n => n.to_lowercase(),
            };
            t.row(vec![
                d.offer_id.clone(),
                region(&d.offerer),
                d.resource_type.clone(),
                num(lang, d.committed),
                st,
                if d.since_unix_ms == 0 {
                    "-".into()
                } else {
                    when(lang, d.since_unix_ms)
                },
                moment_str(lang, &d.until),
            ]);
        }
        out!("{}", t.render().trim_end_matches('\n'));
    }
    out!();
    out!("{}", c.s("cli-as-timeline"));
    let mut t = Table::of(
        lang,
        &[
            "cli-col-when",
            "cli-col-record",
            "cli-col-by",
            "cli-col-step",
            "cli-col-what",
        ],
    );
    for e in &v.timeline {
        t.row(vec![
            when(lang, e.at_unix_ms),
            e.record_id.clone(),
            e.member.clone(),
            state(lang, "as-step", &e.step),
            step_line(lang, e),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    if !v.ignored.is_empty() {
        out!();
        out!("{}", c.s("cli-as-ignored"));
        for i in &v.ignored {
            out!("  {}: {}", i.record_id, i.reason);
        }
    }
}

/// The answers to a request: who offered what (flagged above its own capacity report), or
/// declined and why.
fn print_offers(lang: Lang, v: &AssistanceView) {
    let c = Catalog::of(lang);
    let mut t = Table::of(
        lang,
        &[
            "cli-col-record",
            "cli-col-by",
            "cli-col-state",
            "cli-col-offers",
            "cli-col-eta",
            "cli-col-valid-until",
            "cli-col-remarks",
        ],
    );
    for o in &v.offers {
        let m = o.record.clone().unwrap_or_default();
        let offer = o.offer.clone().unwrap_or_default();
        let units = offer
            .lines
            .iter()
            .map(|l| {
                let flag = match (l.exceeds_available, l.reported_available) {
                    (true, Some(a)) => c.t("cli-as-above-available", &Args::new().text("n", num(lang, a))),
                    (true, None) => c.s("cli-as-no-current-report"),
                    _ => String::new(),
                };
                format!("{} {}{flag}", num(lang, l.quantity), l.resource_type)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let remarks = match offer.decline_reason.as_str() {
            "" => offer.conditions.clone(),
            r => {
                let reason = code_name(lang, offer.code_list_version, list::DECLINE_REASONS, r);
                match offer.note.as_str() {
                    "" => reason,
                    note => format!("{reason}: {note}"),
                }
            }
        };
        t.row(vec![
            m.id,
            region(&m.origin),
            state(lang, "cli-as-offer", &o.state),
            if units.is_empty() { "-".into() } else { units },
            moment_str(lang, &offer.eta),
            moment_str(lang, &offer.valid_until),
            remarks,
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
}

/// The requests, newest first: state, requester, what is covered, who has not answered.
pub fn print_list(lang: Lang, requests: &[AssistanceView]) {
    let c = Catalog::of(lang);
    if requests.is_empty() {
        out!("{}", c.s("cli-as-none"));
        return;
    }
    let mut t = Table::of(
        lang,
        &[
            "cli-col-request",
            "cli-col-by",
            "cli-col-state",
            "cli-col-incident",
            "cli-col-lines",
            "cli-col-asked",
            "cli-col-no-answer",
            "cli-col-requested-at",
        ],
    );
    for v in requests {
        let meta = v.record.clone().unwrap_or_default();
        let q = v.request.clone().unwrap_or_default();
        let silent: Vec<String> = v
            .addressees
            .iter()
            .filter(|a| a.answer == "no_answer")
            .map(|a| a.member.clone())
            .collect();
        t.row(vec![
            meta.id,
            meta.origin,
            state(lang, "as-state", &v.state),
            q.incident.map(|i| i.reference).unwrap_or_default(),
            lines(
                lang,
                v.lines.iter().map(|l| (&l.resource_type, l.committed, l.requested)),
            ),
            q.addressed.join(","),
            if silent.is_empty() {
                "-".into()
            } else {
                silent.join(",")
            },
            when(lang, meta.created_unix_ms),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
}

/// "TS 2/6, WO 1/1": per line, committed of requested.
pub fn lines<'a>(lang: Lang, all: impl Iterator<Item = (&'a String, u32, u32)>) -> String {
    all.map(|(t, committed, requested)| format!("{t} {}/{}", num(lang, committed), num(lang, requested)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The EDXL-RM files written for a request: (record id, message type, file) per step.
pub fn exported(
    out: Out,
    request_id: &str,
    folder: &std::path::Path,
    files: &[(String, &str, std::path::PathBuf)],
) -> Result<()> {
    if out.json {
        let files: Vec<_> = files
            .iter()
            .map(|(id, kind, path)| serde_json::json!({"record_id": id, "message_type": kind, "file": path.display().to_string()}))
            .collect();
        return print_json(&serde_json::json!({"request_id": request_id, "files": files}));
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let mut t = Table::of(lang, &["cli-col-record", "cli-col-edxl-message", "cli-col-file"]);
    for (id, kind, path) in files {
        t.row(vec![id.clone(), kind.to_string(), path.display().to_string()]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    let args = Args::new()
        .count(lang, "n", files.len() as i64)
        .text("request", request_id)
        .text("folder", folder.display().to_string());
    out!("{}", c.t("cli-as-exported", &args));
    Ok(())
}

/// A timeline line in `lang` from the event's fields, as the dashboard writes it (the same
/// messages, `as-sum-*`); the node's English summary for a step it does not know.
fn step_line(lang: Lang, e: &TimelineEvent) -> String {
    let c = Catalog::of(lang);
    let units = e
        .units
        .iter()
        .map(|u| format!("{} {}", num(lang, u.quantity), u.resource_type))
        .collect::<Vec<_>>()
        .join(", ");
    let national = e.national.then(|| c.s("as-national-level"));
    let members = e
        .members
        .iter()
        .map(|m| region(m))
        .chain(national)
        .collect::<Vec<_>>()
        .join(", ");
    let each = |id: &str, f: &dyn Fn(Args) -> Args| {
        e.units
            .iter()
            .map(|u| {
                let args = Args::new()
                    .text("type", u.resource_type.clone())
                    .text("offer", u.offer_id.clone());
                c.t(id, &f(args.count(lang, "n", i64::from(u.quantity))))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e.step.as_str() {
        "request" => c.t(
            "as-sum-request",
            &Args::new().text("units", units).text("members", members),
        ),
        "routing" => c.t("as-sum-routing", &Args::new().text("members", members)),
        "offer" => c.t(
            "as-sum-offer",
            &Args::new().text("units", units).text("eta", moment_str(lang, &e.eta)),
        ),
        "acceptance" => each("as-sum-commit", &|a| a),
        "decline" => {
            let why = code_name(lang, 0, list::DECLINE_REASONS, &e.code);
            let why = if why.is_empty() { e.code.clone() } else { why };
            match e.note.as_str() {
                "" => why,
                note => format!("{why}: {note}"),
            }
        }
        "deployment" => {
            let state = code_name(lang, 0, list::DEPLOYMENT_STATES, &e.code);
            let id = if e.units.iter().any(|u| !u.offer_id.is_empty()) {
                "as-sum-deployed"
            } else {
                "as-sum-deployed-all"
            };
            let line = each(id, &|a| a.text("state", state.clone()));
            match e.until.as_str() {
                "" => line,
                until => format!(
                    "{line} {}",
                    c.t("as-until", &Args::new().text("at", moment_str(lang, until)))
                ),
            }
        }
        "close" | "cancel" if !e.note.is_empty() => e.note.clone(),
        _ => e.summary.clone(),
    }
}
