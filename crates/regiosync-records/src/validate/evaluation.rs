//! The rules of evaluation summaries: the event, ratings, findings, actions and their
//! verification, the version a correction corrects; and of withdrawals. Whether the version
//! named is held, current and not withdrawn spans records: `acts::evaluation` checks it where
//! the region acts, and derivation (`evaluation`) ignores a record that breaks it.
use super::*;

pub(super) fn evaluation(e: &pb::EvaluationSummary, env: &Envelope, codes: &CodeLists) -> Result<()> {
    own_region(
        "region",
        &e.region,
        env.origin,
        "a region files only its own evaluations",
    )?;
    let lists = codes.version("code_list_version", e.code_list_version)?;
    let created_day = calendar::day_of(env.created_unix_ms);
    let ev = e.event.as_ref().ok_or_else(|| Error::Missing("event".into()))?;
    let event_day = event(ev, created_day, lists).map_err(under(|| "event".into()))?;
    required_text("evaluator", &e.evaluator, MAX_SHORT_TEXT)?;
    lists.check("method", list::EVALUATION_METHODS, &e.method)?;
    ratings(&e.ratings, lists)?;
    findings("strengths", &e.strengths)?;
    findings("areas_for_improvement", &e.areas_for_improvement)?;
    let mut seen = BTreeSet::new();
    for (i, a) in e.actions.iter().enumerate() {
        action(a, &mut seen, event_day, lists).map_err(under(|| format!("actions[{i}]")))?;
    }
    if !e.reported_to_board.is_empty() {
        let day = parse_date("reported_to_board", &e.reported_to_board)?;
        not_before_event("reported_to_board", &e.reported_to_board, day, event_day)?;
        not_after_creation("reported_to_board", &e.reported_to_board, day, created_day)?;
    }
    let mut verified = BTreeSet::new();
    for (i, v) in e.verifies.iter().enumerate() {
        let at = || format!("verifies[{i}]");
        verification(v, env, lists).map_err(under(at))?;
        if !verified.insert((v.evaluation_id.as_str(), v.action_id.as_str())) {
            return broken(
                at(),
                format!("action {} of {} is verified twice", v.action_id, v.evaluation_id),
            );
        }
    }
    author(&e.author, env.origin)?;
    if !e.corrects.is_empty() {
        earlier_own("corrects", &e.corrects, env)?;
    }
    Ok(())
}

/// A region withdraws only its own evaluations, saying why.
pub(super) fn evaluation_withdrawal(w: &pb::EvaluationWithdrawal, env: &Envelope) -> Result<()> {
    own_region(
        "region",
        &w.region,
        env.origin,
        "a region withdraws only its own evaluations",
    )?;
    earlier_own("evaluation_id", &w.evaluation_id, env)?;
    required_text("reason", &w.reason, MAX_LONG_TEXT)?;
    author(&w.author, env.origin)
}

/// The id of an earlier record of the entry's own origin: `<origin>-<seq>` with a seq before
/// the entry's (a correction or withdrawal names a version already in the region's log).
fn earlier_own(field: &str, id: &str, env: &Envelope) -> Result<()> {
    match Envelope::parse_generated_id(id) {
        None => broken(
            field,
            format!(
                "'{id}' is not a record id of the form <region>-<seq>, e.g. {}-12",
                env.origin
            ),
        ),
        Some((origin, _)) if origin != env.origin => broken(
            field,
            format!(
                "{id} is a record of {origin}, not of {}; a region changes only its own evaluations",
                env.origin
            ),
        ),
        Some((_, seq)) if seq >= env.seq => broken(
            field,
            format!(
                "{id} is not an earlier record of {} (this record is {})",
                env.origin, env.id
            ),
        ),
        Some(_) => Ok(()),
    }
}

/// The event's day (days since the epoch).
fn event(ev: &pb::Event, created_day: i64, lists: &CodeList) -> Result<i64> {
    required_text("name", &ev.name, MAX_SHORT_TEXT)?;
    lists.check("kind", list::EVENT_KINDS, &ev.kind)?;
    let day = parse_date("date", &ev.date)?;
    not_after_creation("date", &ev.date, day, created_day)?;
    lists.check("hazard", list::HAZARDS, &ev.hazard)?;
    lists.check("highest_escalation", list::ESCALATION_LEVELS, &ev.highest_escalation)?;
    Ok(day)
}

/// Every rated area of the version exactly once, each with a rating.
fn ratings(ratings: &[pb::AreaRating], lists: &CodeList) -> Result<()> {
    let mut rated = BTreeSet::new();
    for (i, r) in ratings.iter().enumerate() {
        let at = || format!("ratings[{i}]");
        lists.check("area", list::RATED_AREAS, &r.area).map_err(under(at))?;
        if !rated.insert(r.area.as_str()) {
            return broken(format!("{}.area", at()), format!("{} is rated twice", r.area));
        }
        lists.check("rating", list::RATINGS, &r.rating).map_err(under(at))?;
        optional_text("note", &r.note, MAX_TEXT).map_err(under(at))?;
    }
    match lists
        .codes(list::RATED_AREAS)
        .into_iter()
        .find(|(area, _)| !rated.contains(area))
    {
        Some((area, _)) => broken("ratings", format!("area {area} is not rated")),
        None => Ok(()),
    }
}

/// Strengths or areas for improvement: at most 50, each 1 to 1,000 characters.
fn findings(field: &str, items: &[String]) -> Result<()> {
    if items.len() > MAX_FINDINGS {
        return broken(
            field,
            format!("{} items exceeds the limit of {MAX_FINDINGS}", items.len()),
        );
    }
    for (i, item) in items.iter().enumerate() {
        required_text(&format!("{field}[{i}]"), item, MAX_TEXT)?;
    }
    Ok(())
}

fn action<'a>(
    a: &'a pb::ImprovementAction,
    seen: &mut BTreeSet<&'a str>,
    event_day: i64,
    lists: &CodeList,
) -> Result<()> {
    action_id("action_id", &a.action_id)?;
    if !seen.insert(&a.action_id) {
        return broken("action_id", format!("{} is listed twice", a.action_id));
    }
    lists.check("area", list::RATED_AREAS, &a.area)?;
    required_text("description", &a.description, MAX_TEXT)?;
    required_text("owner", &a.owner, MAX_SHORT_TEXT)?;
    let due = parse_date("due", &a.due)?;
    not_before_event("due", &a.due, due, event_day)?;
    lists.check("status", list::ACTION_STATUS, &a.status)
}

/// A finding on an action of an earlier evaluation of the same region.
fn verification(v: &pb::ActionVerification, env: &Envelope, lists: &CodeList) -> Result<()> {
    let id = &v.evaluation_id;
    token(
        "evaluation_id",
        id,
        1,
        regiosync_types::Limits::MAX_ID,
        |c| c.is_ascii_alphanumeric() || c == '-',
        "letters, digits and '-'",
    )?;
    if let Some((origin, _)) = Envelope::parse_generated_id(id).filter(|(o, _)| *o != env.origin) {
        return broken(
            "evaluation_id",
            format!("{id} is a record of {origin}, not of {}", env.origin),
        );
    }
    if *id == env.id {
        return broken("evaluation_id", format!("{id} is this evaluation itself"));
    }
    action_id("action_id", &v.action_id)?;
    lists.check("result", list::VERIFICATION_RESULTS, &v.result)?;
    optional_text("note", &v.note, MAX_TEXT)
}

/// "1 to 32 letters, digits, '-' or '.'".
fn action_id(field: &str, v: &str) -> Result<()> {
    token(
        field,
        v,
        1,
        32,
        |c| c.is_ascii_alphanumeric() || c == '-' || c == '.',
        "letters, digits, '-' and '.'",
    )
}

fn not_before_event(field: &str, text: &str, day: i64, event_day: i64) -> Result<()> {
    if day < event_day {
        return broken(
            field,
            format!("{text} is before the event ({})", format_date(event_day)),
        );
    }
    Ok(())
}

fn not_after_creation(field: &str, text: &str, day: i64, created_day: i64) -> Result<()> {
    if day > created_day {
        return broken(
            field,
            format!(
                "{text} is after the day the record was created ({})",
                format_date(created_day)
            ),
        );
    }
    Ok(())
}
