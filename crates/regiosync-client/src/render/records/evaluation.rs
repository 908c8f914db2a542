//! How evaluations are printed: one evaluation with its ratings per area, findings and the
//! state of its improvement actions (overdue, verified) and its history (versions, withdrawal),
//! the list of evaluations, and the confirmation of a submitted, corrected or withdrawn one.
use anyhow::Result;
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::{EvaluationView, Event};

use super::ref_json;
use crate::render::table::Table;
use crate::render::{code, code_name, field, or_dash, print_json, region, status_line, status_marker, when};

/// The evaluation of `event` submitted as record `r` (correcting `corrects`, when set), shared
/// with NL or, `federation_wide`, with every region; or the record that already held it.
pub fn submitted(json: bool, r: &RecordRef, event: &Event, corrects: &str, federation_wide: bool) -> Result<()> {
    if json {
        return print_json(&ref_json(r));
    }
    if r.already_filed {
        out!(
            "already filed: the evaluation of '{}' ({}) with this content is record {}; nothing new was stored",
            event.name,
            event.date,
            r.id
        );
        out!(
            "to change it, correct it: regiosync evaluation correct {} --file ...",
            r.id
        );
        return Ok(());
    }
    if corrects.is_empty() {
        out!(
            "submitted the evaluation of '{}' ({}) for {} as record {}",
            event.name,
            event.date,
            region(&r.origin),
            r.id
        );
    } else {
        out!(
            "corrected evaluation {corrects} of '{}' ({}) for {}: the current version is now record {}",
            event.name,
            event.date,
            region(&r.origin),
            r.id
        );
    }
    out!(
        "shared with {}",
        if federation_wide {
            "every region and NL"
        } else if corrects.is_empty() {
            "NL"
        } else {
            "everyone the corrected version went to"
        }
    );
    Ok(())
}

/// The withdrawal of evaluation `id`, written as record `r`.
pub fn withdrawn(json: bool, r: &RecordRef, id: &str) -> Result<()> {
    if json {
        return print_json(&ref_json(r));
    }
    out!(
        "withdrew evaluation {id} of {} as record {}: it is shown as withdrawn and counts nowhere",
        region(&r.origin),
        r.id
    );
    Ok(())
}

/// What became of an evaluation: its state, its versions, records that do not count.
fn history(v: &EvaluationView) {
    match v.state.as_str() {
        "superseded" => field(
            "state",
            format!("SUPERSEDED by {} (this is an older version)", v.superseded_by),
        ),
        "withdrawn" => {
            let w = v.withdrawal.clone().unwrap_or_default();
            field(
                "state",
                format!(
                    "WITHDRAWN on {} by {} (record {}): {}",
                    when(w.at_unix_ms),
                    or_dash(&w.author),
                    w.record_id,
                    w.reason
                ),
            );
        }
        _ => field("state", "current"),
    }
    if v.versions.len() > 1 {
        let ids: Vec<&str> = v.versions.iter().map(|m| m.id.as_str()).collect();
        field("versions", format!("{} (oldest first)", ids.join(" -> ")));
    }
    for i in &v.ignored {
        field("not counted", format!("{}: {}", i.record_id, i.reason));
    }
}

/// One evaluation: ratings per area, findings, actions.
pub fn show(v: &EvaluationView) {
    let meta = v.record.clone().unwrap_or_default();
    let s = v.summary.clone().unwrap_or_default();
    let cl = s.code_list_version;
    let ev = s.event.clone().unwrap_or_default();
    out!("Evaluation {} of {}: {}", meta.id, region(&s.region), ev.name);
    out!();
    field(
        "event",
        format!("{} on {}", code_name(cl, list::EVENT_KINDS, &ev.kind), ev.date),
    );
    field("hazard", code(cl, list::HAZARDS, &ev.hazard));
    field(
        "highest escalation",
        code(cl, list::ESCALATION_LEVELS, &ev.highest_escalation),
    );
    field(
        "evaluator",
        format!(
            "{} ({})",
            s.evaluator,
            code_name(cl, list::EVALUATION_METHODS, &s.method)
        ),
    );
    field("status", status_line(&meta.status));
    history(v);
    field(
        "submitted",
        format!("{} by {}", when(meta.created_unix_ms), or_dash(&s.author)),
    );
    if s.reported_to_board.is_empty() {
        field("reported to board", "NOT YET   << no \"in control\" evidence >>");
    } else {
        field("reported to board", &s.reported_to_board);
    }
    out!();
    let mut t = Table::new(&["area", "rating", "note"]);
    for r in &s.ratings {
        t.row(vec![
            code_name(cl, list::RATED_AREAS, &r.area),
            format!("{} {}", r.rating, code_name(cl, list::RATINGS, &r.rating)),
            r.note.clone(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    bullets("Strengths", &s.strengths);
    bullets("Areas for improvement", &s.areas_for_improvement);
    out!();
    if v.actions.is_empty() {
        out!("Improvement actions: none");
    } else {
        out!("Improvement actions:");
        let mut t = Table::new(&[
            "id",
            "area",
            "description",
            "owner",
            "due",
            "status",
            "overdue",
            "verified",
        ]);
        for a in &v.actions {
            let act = a.action.clone().unwrap_or_default();
            let verified = match a.verified.as_str() {
                "" => "-".to_string(),
                res => format!(
                    "{} (by {})",
                    code_name(cl, list::VERIFICATION_RESULTS, res),
                    a.verified_by
                ),
            };
            t.row(vec![
                act.action_id,
                code_name(cl, list::RATED_AREAS, &act.area),
                act.description,
                act.owner,
                act.due,
                code_name(cl, list::ACTION_STATUS, &act.status),
                if a.overdue { "OVERDUE".into() } else { String::new() },
                verified,
            ]);
        }
        out!("{}", t.render().trim_end_matches('\n'));
    }
    if !s.verifies.is_empty() {
        out!();
        out!("This evaluation checked earlier actions:");
        for c in &s.verifies {
            out!(
                "  {} action {}: {}{}",
                c.evaluation_id,
                c.action_id,
                code_name(cl, list::VERIFICATION_RESULTS, &c.result),
                if c.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.note)
                }
            );
        }
    }
}

fn bullets(title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out!();
    out!("{title}:");
    for i in items {
        out!("  - {i}");
    }
}

/// The evaluations, one line each.
pub fn print_list(all: &[EvaluationView]) {
    let mut t = Table::new(&[
        "id",
        "region",
        "date",
        "event",
        "kind",
        "escalation",
        "P/S/M/U/NO",
        "actions",
        "overdue",
        "board",
        "marker",
    ])
    .right(&[7, 8]);
    for v in all {
        let meta = v.record.clone().unwrap_or_default();
        let s = v.summary.clone().unwrap_or_default();
        let ev = s.event.clone().unwrap_or_default();
        let count = |r: &str| s.ratings.iter().filter(|x| x.rating == r).count().to_string();
        let open = v
            .actions
            .iter()
            .filter(|a| a.action.as_ref().is_some_and(|x| x.status != "done"))
            .count();
        let overdue = v.actions.iter().filter(|a| a.overdue).count();
        t.row(vec![
            meta.id.clone(),
            region(&s.region),
            ev.date.clone(),
            ev.name.clone(),
            ev.kind.clone(),
            ev.highest_escalation.clone(),
            ["P", "S", "M", "U", "NO"].map(count).join("/"),
            format!("{open} open of {}", v.actions.len()),
            if overdue > 0 {
                format!("{overdue} OVERDUE")
            } else {
                "0".into()
            },
            if s.reported_to_board.is_empty() {
                "NOT YET".into()
            } else {
                s.reported_to_board.clone()
            },
            match v.state.as_str() {
                "withdrawn" => format!("WITHDRAWN {}", status_marker(&meta.status))
                    .trim_end()
                    .to_string(),
                _ => status_marker(&meta.status).to_string(),
            },
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    out!("{} evaluations", all.len());
}
