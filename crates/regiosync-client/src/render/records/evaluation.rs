//! How evaluations are printed: one evaluation with its ratings per area, findings and the
//! state of its improvement actions (overdue, verified) and its history (versions, withdrawal),
//! the list of evaluations, and the confirmation of a submitted, corrected or withdrawn one.
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::RecordRef;
use regiosync_records::codes::list;
use regiosync_records::pb::{EvaluationView, Event};

use super::ref_json;
use crate::render::table::{Table, ACTION_COLUMNS};
use crate::render::{
    code, code_name, field, moment_str, num, or_dash, print_json, region, status_line, status_marker, when, Out,
};

/// The evaluation of `event` submitted as record `r` (correcting `corrects`, when set), shared
/// with NL or, `federation_wide`, with every region; or the record that already held it.
pub fn submitted(out: Out, r: &RecordRef, event: &Event, corrects: &str, federation_wide: bool) -> Result<()> {
    if out.json {
        return print_json(&ref_json(r));
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let args = Args::new()
        .text("event", &event.name)
        .text("date", moment_str(lang, &event.date))
        .text("region", region(&r.origin))
        .text("record", &r.id)
        .text("corrects", corrects);
    if r.already_filed {
        out!("{}", c.t("cli-ev-already-filed", &args));
        out!("{}", c.t("cli-ev-already-filed-hint", &args));
        return Ok(());
    }
    let said = if corrects.is_empty() {
        "cli-ev-submitted"
    } else {
        "cli-ev-corrected"
    };
    out!("{}", c.t(said, &args));
    let to = c.s(if federation_wide {
        "cli-ev-every-region"
    } else if corrects.is_empty() {
        "cli-ev-nl"
    } else {
        "cli-ev-as-corrected"
    });
    out!("{}", c.t("cli-shared-with", &Args::new().text("list", to)));
    Ok(())
}

/// The withdrawal of evaluation `id`, written as record `r`.
pub fn withdrawn(out: Out, r: &RecordRef, id: &str) -> Result<()> {
    if out.json {
        return print_json(&ref_json(r));
    }
    let c = Catalog::of(out.lang);
    let args = Args::new()
        .text("id", id)
        .text("region", region(&r.origin))
        .text("record", &r.id);
    out!("{}", c.t("cli-ev-withdrew", &args));
    Ok(())
}

/// What became of an evaluation: its state, its versions, records that do not count.
fn history(lang: Lang, v: &EvaluationView) {
    let c = Catalog::of(lang);
    let label = c.s("cli-ev-state");
    match v.state.as_str() {
        "superseded" => field(
            &label,
            c.t("cli-ev-state-superseded", &Args::new().text("by", &v.superseded_by)),
        ),
        "withdrawn" => {
            let w = v.withdrawal.clone().unwrap_or_default();
            let args = Args::new()
                .text("at", when(lang, w.at_unix_ms))
                .text("author", or_dash(&w.author))
                .text("record", &w.record_id)
                .text("reason", &w.reason);
            field(&label, c.t("cli-ev-state-withdrawn", &args));
        }
        _ => field(&label, c.s("cli-ev-state-current")),
    }
    if v.versions.len() > 1 {
        let ids: Vec<&str> = v.versions.iter().map(|m| m.id.as_str()).collect();
        let args = Args::new().text("list", ids.join(" -> "));
        field(&c.s("cli-ev-versions"), c.t("cli-ev-versions-value", &args));
    }
    for i in &v.ignored {
        field(&c.s("cli-ev-not-counted"), format!("{}: {}", i.record_id, i.reason));
    }
}

/// One evaluation: ratings per area, findings, actions.
pub fn show(lang: Lang, v: &EvaluationView) {
    let c = Catalog::of(lang);
    let meta = v.record.clone().unwrap_or_default();
    let s = v.summary.clone().unwrap_or_default();
    let cl = s.code_list_version;
    let ev = s.event.clone().unwrap_or_default();
    let args = Args::new()
        .text("record", &meta.id)
        .text("region", region(&s.region))
        .text("event", &ev.name);
    out!("{}", c.t("cli-ev-title", &args));
    out!();
    let args = Args::new()
        .text("kind", code_name(lang, cl, list::EVENT_KINDS, &ev.kind))
        .text("date", moment_str(lang, &ev.date));
    field(&c.s("cli-ev-event"), c.t("cli-ev-event-value", &args));
    field(&c.s("cli-ev-hazard"), code(lang, cl, list::HAZARDS, &ev.hazard));
    field(
        &c.s("cli-ev-escalation"),
        code(lang, cl, list::ESCALATION_LEVELS, &ev.highest_escalation),
    );
    field(
        &c.s("cli-ev-evaluator"),
        format!(
            "{} ({})",
            s.evaluator,
            code_name(lang, cl, list::EVALUATION_METHODS, &s.method)
        ),
    );
    field(&c.s("cli-label-status"), status_line(lang, &meta.status));
    let args = Args::new()
        .text("at", when(lang, meta.created_unix_ms))
        .text("author", or_dash(&s.author));
    field(&c.s("cli-ev-submitted-label"), c.t("cli-ev-submitted-value", &args));
    if s.reported_to_board.is_empty() {
        field(&c.s("cli-ev-board"), c.s("cli-ev-board-not-yet"));
    } else {
        field(&c.s("cli-ev-board"), moment_str(lang, &s.reported_to_board));
    }
    history(lang, v);
    out!();
    let mut t = Table::of(lang, &["cli-col-area", "cli-col-rating", "cli-col-note"]);
    for r in &s.ratings {
        t.row(vec![
            code_name(lang, cl, list::RATED_AREAS, &r.area),
            format!("{} {}", r.rating, code_name(lang, cl, list::RATINGS, &r.rating)),
            r.note.clone(),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    bullets(&c.s("cli-ev-strengths"), &s.strengths);
    bullets(&c.s("cli-ev-improve"), &s.areas_for_improvement);
    out!();
    if v.actions.is_empty() {
        out!("{}", c.s("cli-ev-actions-none"));
    } else {
        out!("{}", c.s("cli-ev-actions"));
        let columns = [&ACTION_COLUMNS[..], &["cli-col-overdue", "cli-col-verified"]].concat();
        let mut t = Table::of(lang, &columns);
        for a in &v.actions {
            let act = a.action.clone().unwrap_or_default();
            let verified = match a.verified.as_str() {
                "" => "-".to_string(),
                res => c.t(
                    "cli-ev-verified-by",
                    &Args::new()
                        .text("result", code_name(lang, cl, list::VERIFICATION_RESULTS, res))
                        .text("by", &a.verified_by),
                ),
            };
            t.row(vec![
                act.action_id,
                code_name(lang, cl, list::RATED_AREAS, &act.area),
                act.description,
                act.owner,
                moment_str(lang, &act.due),
                code_name(lang, cl, list::ACTION_STATUS, &act.status),
                if a.overdue {
                    c.s("cli-marker-overdue")
                } else {
                    String::new()
                },
                verified,
            ]);
        }
        out!("{}", t.render().trim_end_matches('\n'));
    }
    if !s.verifies.is_empty() {
        out!();
        out!("{}", c.s("cli-ev-checked-earlier"));
        for x in &s.verifies {
            let args = Args::new()
                .text("evaluation", &x.evaluation_id)
                .text("action", &x.action_id)
                .text("result", code_name(lang, cl, list::VERIFICATION_RESULTS, &x.result));
            let note = match x.note.as_str() {
                "" => String::new(),
                n => format!(" ({n})"),
            };
            out!("  {}{note}", c.t("cli-ev-checked-line", &args));
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
pub fn print_list(lang: Lang, all: &[EvaluationView]) {
    let c = Catalog::of(lang);
    let mut t = Table::of(
        lang,
        &[
            "cli-col-id",
            "cli-col-region",
            "cli-col-date",
            "cli-col-event",
            "cli-col-kind",
            "cli-col-escalation",
            "cli-col-ratings",
            "cli-col-actions",
            "cli-col-overdue",
            "cli-col-board",
            "cli-col-marker",
        ],
    )
    .right(&[7, 8]);
    for v in all {
        let meta = v.record.clone().unwrap_or_default();
        let s = v.summary.clone().unwrap_or_default();
        let ev = s.event.clone().unwrap_or_default();
        let count = |r: &str| num(lang, s.ratings.iter().filter(|x| x.rating == r).count());
        let open = v
            .actions
            .iter()
            .filter(|a| a.action.as_ref().is_some_and(|x| x.status != "done"))
            .count();
        let overdue = v.actions.iter().filter(|a| a.overdue).count();
        let actions = Args::new()
            .text("open", num(lang, open))
            .text("all", num(lang, v.actions.len()));
        t.row(vec![
            meta.id.clone(),
            region(&s.region),
            moment_str(lang, &ev.date),
            ev.name.clone(),
            code_name(lang, 0, list::EVENT_KINDS, &ev.kind).to_lowercase(),
            ev.highest_escalation.clone(),
            ["P", "S", "M", "U", "NO"].map(count).join("/"),
            c.t("cli-ev-open-of", &actions),
            if overdue > 0 {
                format!("{} {}", num(lang, overdue), c.s("cli-marker-overdue"))
            } else {
                "0".into()
            },
            if s.reported_to_board.is_empty() {
                c.s("cli-ev-not-yet")
            } else {
                moment_str(lang, &s.reported_to_board)
            },
            match v.state.as_str() {
                "withdrawn" => format!(
                    "{} {}",
                    c.s("cli-ev-marker-withdrawn"),
                    status_marker(lang, &meta.status)
                )
                .trim_end()
                .to_string(),
                _ => status_marker(lang, &meta.status),
            },
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    let n = Args::new().count(lang, "n", all.len() as i64);
    out!("{}", c.t("cli-ev-count", &n));
}
