//! The rules of each record kind. They run at the node that accepts a record from a person and
//! again at every node that receives it, on the record and its envelope alone (never on other
//! records, so every node decides the same whatever order records arrive in). Errors name the
//! field path and the rule, e.g. `entries[3].available: 14 exceeds baseline 12`.
//!
//! Fields are checked in the order of the schema (`records.proto`), and the first broken rule is
//! the error. Paths are relative to the payload; `audience` is the envelope's.
use std::collections::BTreeSet;

use regiosync_types::{Envelope, Error, Federation, MemberKind, NodeId, Result};

use crate::calendar;
use crate::codes::{list, CodeList, CodeLists};
use crate::kinds;
use crate::pb;
use crate::record::{Payload, Record};
use crate::time::{format_date, format_moment, parse_date, parse_moment, MS_PER_DAY};

/// Longest free text of the long kind (purpose, procedure, reasons, report remarks).
pub const MAX_LONG_TEXT: usize = 4_000;
/// Longest note, remark, strength, area, description.
pub const MAX_TEXT: usize = 1_000;
/// Longest title, name, evaluator, owner, author.
pub const MAX_SHORT_TEXT: usize = 200;
/// Most strengths and most areas for improvement in one evaluation.
pub const MAX_FINDINGS: usize = 50;
/// Largest baseline (and surge) of one capacity line.
pub const MAX_UNITS: u32 = 100_000;
/// A capacity report may be relied on for at most this many days after its `as_of`.
pub const MAX_VALIDITY_DAYS: i64 = 31;
/// A capacity report's `as_of` may lie at most this far after the record was created.
pub const MAX_AS_OF_AHEAD_MS: i64 = 3_600_000;

/// Check a decoded record against the rules of its kind, its envelope and the federation: the
/// origin must be a member whose kind may publish this kind ([`kinds::WRITERS`]).
pub fn check(record: &Record, env: &Envelope, codes: &CodeLists, members: &Federation) -> Result<()> {
    may_write(env, members)?;
    match &record.payload {
        Payload::Agreement(a, _) => agreement(a, env, codes, members),
        Payload::Signature(s) => {
            agreement_id(&s.agreement_id)?;
            at_least_one("version", s.version)?;
            sha256("content_sha256", &s.content_sha256)?;
            own_region("party", &s.party, env.origin, "a region signs only for itself")?;
            author(&s.author, env.origin)
        }
        Payload::Rejection(r) => {
            agreement_id(&r.agreement_id)?;
            at_least_one("version", r.version)?;
            sha256("content_sha256", &r.content_sha256)?;
            own_region("party", &r.party, env.origin, "a region rejects only for itself")?;
            required_text("reason", &r.reason, MAX_LONG_TEXT)?;
            author(&r.author, env.origin)
        }
        Payload::Withdrawal(w) => {
            agreement_id(&w.agreement_id)?;
            own_region("party", &w.party, env.origin, "a region withdraws only for itself")?;
            required_text("reason", &w.reason, MAX_LONG_TEXT)?;
            author(&w.author, env.origin)
        }
        Payload::Revocation(r) => {
            agreement_id(&r.agreement_id)?;
            own_region("party", &r.party, env.origin, "a region revokes only for itself")?;
            required_text("reason", &r.reason, MAX_LONG_TEXT)?;
            author(&r.author, env.origin)
        }
        Payload::Capacity(c) => capacity(c, env, codes),
        Payload::Evaluation(e) => evaluation(e, env, codes),
    }
}

// ---------------------------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------------------------

/// The origin is a member, and its kind may publish the entry's kind.
pub fn may_write(env: &Envelope, members: &Federation) -> Result<()> {
    let Some(member) = members.kind(env.origin) else {
        return broken("origin", format!("{} is not a member of this federation", env.origin));
    };
    match kinds::writers(&env.kind) {
        Some(w) if w.allows(member) => Ok(()),
        _ => broken(
            "origin",
            format!(
                "{} is a {} member, which may not publish {}",
                env.origin,
                member.as_str(),
                env.kind
            ),
        ),
    }
}

fn agreement(a: &pb::Agreement, env: &Envelope, codes: &CodeLists, members: &Federation) -> Result<()> {
    agreement_id(&a.agreement_id)?;
    at_least_one("version", a.version)?;
    let lists = codes.version("code_list_version", a.code_list_version)?;
    required_text("title", &a.title, MAX_SHORT_TEXT)?;
    optional_text("purpose", &a.purpose, MAX_LONG_TEXT)?;
    parties(&a.parties, env, lists, members)?;
    let scope = a.scope.as_ref().ok_or_else(|| Error::Missing("scope".into()))?;
    self::scope(scope, lists).map_err(under(|| "scope".into()))?;
    let activation = a
        .activation
        .as_ref()
        .ok_or_else(|| Error::Missing("activation".into()))?;
    self::activation(activation, lists).map_err(under(|| "activation".into()))?;
    required_text("cost_reimbursement", &a.cost_reimbursement, MAX_LONG_TEXT)?;
    required_text("command_and_liability", &a.command_and_liability, MAX_LONG_TEXT)?;
    let validity = a.validity.as_ref().ok_or_else(|| Error::Missing("validity".into()))?;
    self::validity(validity).map_err(under(|| "validity".into()))?;
    author(&a.author, env.origin)
}

/// At least two distinct regions with roles; the origin among them; someone who can assist and
/// someone who can request; every party in the envelope's audience.
fn parties(parties: &[pb::Party], env: &Envelope, lists: &CodeList, members: &Federation) -> Result<()> {
    if parties.len() < 2 {
        return broken("parties", format!("at least 2 required, got {}", parties.len()));
    }
    let mut seen = BTreeSet::new();
    let (mut can_request, mut can_assist) = (false, false);
    for (i, p) in parties.iter().enumerate() {
        let at = || format!("parties[{i}]");
        let id = region("region", &p.region, members).map_err(under(at))?;
        if !seen.insert(id) {
            return broken(format!("{}.region", at()), format!("{id} is listed twice"));
        }
        lists.check("role", list::PARTY_ROLES, &p.role).map_err(under(at))?;
        can_request |= matches!(p.role.as_str(), "requesting" | "both");
        can_assist |= matches!(p.role.as_str(), "assisting" | "both");
    }
    if !seen.contains(&env.origin) {
        return broken("parties", format!("{}, the origin, is not a party", env.origin));
    }
    if !can_assist {
        return broken("parties", "no party can assist (role assisting or both)");
    }
    if !can_request {
        return broken("parties", "no party can request (role requesting or both)");
    }
    if let Some(missing) = parties
        .iter()
        .filter_map(|p| p.region.parse::<NodeId>().ok())
        .find(|id| !members.may_see(*id, env))
    {
        return broken("audience", format!("{missing}, a party, is missing"));
    }
    Ok(())
}

fn scope(s: &pb::Scope, lists: &CodeList) -> Result<()> {
    codes_once("hazards", &s.hazards, list::HAZARDS, lists)?;
    if s.resources.is_empty() {
        return Err(Error::Missing("resources".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, r) in s.resources.iter().enumerate() {
        let at = || format!("resources[{i}]");
        lists
            .check("resource_type", list::RESOURCE_TYPES, &r.resource_type)
            .map_err(under(at))?;
        if !seen.insert(r.resource_type.as_str()) {
            return broken(
                format!("{}.resource_type", at()),
                format!("{} is listed twice", r.resource_type),
            );
        }
        range("max_quantity", r.max_quantity, 1, 10_000).map_err(under(at))?;
    }
    required_text("area", &s.area, MAX_TEXT)
}

fn activation(a: &pb::Activation, lists: &CodeList) -> Result<()> {
    codes_once("may_request", &a.may_request, list::CRISIS_FUNCTIONS, lists)?;
    lists.check("min_escalation", list::ESCALATION_LEVELS, &a.min_escalation)?;
    range("target_response_minutes", a.target_response_minutes, 1, 1_440)?;
    required_text("procedure", &a.procedure, MAX_LONG_TEXT)
}

fn validity(v: &pb::Validity) -> Result<()> {
    let from = parse_date("effective_from", &v.effective_from)?;
    let until = parse_date("valid_until", &v.valid_until)?;
    if until <= from {
        return broken(
            "valid_until",
            format!("{} is not after effective_from {}", v.valid_until, v.effective_from),
        );
    }
    at_most("notice_days", v.notice_days, 730)
}

/// "3 to 64 characters, letters, digits and '-'".
fn agreement_id(v: &str) -> Result<()> {
    token(
        "agreement_id",
        v,
        3,
        64,
        |c| c.is_ascii_alphanumeric() || c == '-',
        "letters, digits and '-'",
    )
}

// ---------------------------------------------------------------------------------------------
// Capacity
// ---------------------------------------------------------------------------------------------

fn capacity(c: &pb::CapacityReport, env: &Envelope, codes: &CodeLists) -> Result<()> {
    own_region(
        "region",
        &c.region,
        env.origin,
        "a region reports only its own capacity",
    )?;
    let as_of = parse_moment("as_of", &c.as_of)?;
    if as_of > env.created_unix_ms.saturating_add(MAX_AS_OF_AHEAD_MS) {
        return broken(
            "as_of",
            format!(
                "{} is more than one hour after the record was created ({})",
                c.as_of,
                format_moment(env.created_unix_ms)
            ),
        );
    }
    let until = parse_moment("valid_until", &c.valid_until)?;
    if until <= as_of {
        return broken(
            "valid_until",
            format!("{} is not after as_of {}", c.valid_until, c.as_of),
        );
    }
    if until - as_of > MAX_VALIDITY_DAYS * MS_PER_DAY {
        return broken(
            "valid_until",
            format!(
                "{} is more than {MAX_VALIDITY_DAYS} days after as_of {}",
                c.valid_until, c.as_of
            ),
        );
    }
    let lists = codes.version("code_list_version", c.code_list_version)?;
    if c.entries.is_empty() {
        return Err(Error::Missing("entries".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, e) in c.entries.iter().enumerate() {
        capacity_entry(e, &mut seen, lists).map_err(under(|| format!("entries[{i}]")))?;
    }
    optional_text("remarks", &c.remarks, MAX_LONG_TEXT)?;
    author(&c.author, env.origin)
}

fn capacity_entry<'a>(e: &'a pb::CapacityEntry, seen: &mut BTreeSet<&'a str>, lists: &CodeList) -> Result<()> {
    lists.check("resource_type", list::RESOURCE_TYPES, &e.resource_type)?;
    if !seen.insert(&e.resource_type) {
        return broken("resource_type", format!("{} is listed twice", e.resource_type));
    }
    at_most("baseline", e.baseline, MAX_UNITS)?;
    if e.available > e.baseline {
        return broken("available", format!("{} exceeds baseline {}", e.available, e.baseline));
    }
    let total = u64::from(e.available) + u64::from(e.committed) + u64::from(e.out_of_service);
    if total > u64::from(e.baseline) {
        // The whole line is wrong, not one field: the error names the entry itself.
        return broken(
            "",
            format!(
                "available {} + committed {} + out of service {} = {total} exceeds baseline {}",
                e.available, e.committed, e.out_of_service, e.baseline
            ),
        );
    }
    if let Some(s24) = e.surge_24h {
        at_most("surge_24h", s24, MAX_UNITS)?;
    }
    if let Some(s72) = e.surge_72h {
        at_most("surge_72h", s72, MAX_UNITS)?;
        if let Some(s24) = e.surge_24h.filter(|s24| s72 < *s24) {
            return broken("surge_72h", format!("{s72} is less than surge_24h {s24}"));
        }
    }
    lists.check("status", list::RESOURCE_STATUS, &e.status)?;
    optional_text("remarks", &e.remarks, MAX_TEXT)
}

// ---------------------------------------------------------------------------------------------
// Evaluations
// ---------------------------------------------------------------------------------------------

fn evaluation(e: &pb::EvaluationSummary, env: &Envelope, codes: &CodeLists) -> Result<()> {
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
    author(&e.author, env.origin)
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

// ---------------------------------------------------------------------------------------------
// Field rules shared by the kinds
// ---------------------------------------------------------------------------------------------

/// Place an item's error under its path (`entries[3]`); an error with an empty field is about
/// the item itself.
fn under(prefix: impl FnOnce() -> String) -> impl FnOnce(Error) -> Error {
    move |e| match e {
        Error::Invalid { field, rule } if field.is_empty() => Error::invalid(prefix(), rule),
        e => e.within(&prefix()),
    }
}

/// A region of the federation (never a national node or partner), written as its id.
fn region(field: &str, value: &str, members: &Federation) -> Result<NodeId> {
    let id = member(field, value)?;
    match members.kind(id) {
        Some(MemberKind::Region) => Ok(id),
        Some(kind) => broken(field, format!("{id} is a {} member, not a region", kind.as_str())),
        None => broken(field, format!("{id} is not a member of this federation")),
    }
}

/// A member id written canonically.
fn member(field: &str, value: &str) -> Result<NodeId> {
    if value.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    let id = NodeId::parse_field(field, value)?;
    if value != id.to_string() {
        return broken(field, format!("'{value}' must be written {id}"));
    }
    Ok(id)
}

/// The entry's own origin, written as its id (which kinds of member may publish the entry is
/// checked first, by [`may_write`]); `why` completes the message.
fn own_region(field: &str, value: &str, origin: NodeId, why: &str) -> Result<()> {
    let id = member(field, value)?;
    if id != origin {
        return broken(field, format!("{id} is not the origin {origin}; {why}"));
    }
    Ok(())
}

/// `operator:<origin>:<name>`, set by the accepting node from the person's certificate.
fn author(value: &str, origin: NodeId) -> Result<()> {
    const FIELD: &str = "author";
    if value.is_empty() {
        return Err(Error::Missing(FIELD.into()));
    }
    optional_text(FIELD, value, MAX_SHORT_TEXT)?;
    let Some((node, name)) = value.strip_prefix("operator:").and_then(|rest| rest.split_once(':')) else {
        return broken(FIELD, format!("'{value}' is not of the form operator:<region>:<name>"));
    };
    if node != origin.to_string() {
        return broken(FIELD, format!("'{value}' is not a person of {origin}, the origin"));
    }
    if name.trim().is_empty() {
        return broken(FIELD, format!("'{value}' names no person"));
    }
    Ok(())
}

/// At least one code of `list`, each once.
fn codes_once(field: &str, values: &[String], list: &str, lists: &CodeList) -> Result<()> {
    if values.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    let mut seen = BTreeSet::new();
    for (i, v) in values.iter().enumerate() {
        let at = format!("{field}[{i}]");
        lists.check(&at, list, v)?;
        if !seen.insert(v.as_str()) {
            return broken(at, format!("{v} is listed twice"));
        }
    }
    Ok(())
}

fn required_text(field: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Missing(field.into()));
    }
    optional_text(field, value, max)
}

fn optional_text(field: &str, value: &str, max: usize) -> Result<()> {
    // Cheap first: a string of at most `max` bytes has at most `max` characters.
    if value.len() > max {
        let n = value.chars().count();
        if n > max {
            return broken(field, format!("{n} characters exceeds the limit of {max}"));
        }
    }
    Ok(())
}

fn token(field: &str, value: &str, min: usize, max: usize, ok: fn(char) -> bool, allowed: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    if let Some(c) = value.chars().find(|c| !ok(*c)) {
        return broken(field, format!("character {c:?} not allowed ({allowed} only)"));
    }
    // Only ASCII is left, so bytes are characters.
    if !(min..=max).contains(&value.len()) {
        return broken(field, format!("must be {min} to {max} characters, not {}", value.len()));
    }
    Ok(())
}

fn range(field: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if !(min..=max).contains(&value) {
        return broken(field, format!("{value} is outside the range {min} to {max}"));
    }
    Ok(())
}

/// The error for a broken rule of `field`.
fn broken<T>(field: impl Into<String>, rule: impl Into<String>) -> Result<T> {
    Err(Error::invalid(field, rule))
}

fn at_most(field: &str, value: u32, max: u32) -> Result<()> {
    if value > max {
        return broken(field, format!("{value} exceeds the limit of {max}"));
    }
    Ok(())
}

fn at_least_one(field: &str, value: u32) -> Result<()> {
    if value == 0 {
        return broken(field, "must be at least 1");
    }
    Ok(())
}

fn sha256(field: &str, value: &[u8]) -> Result<()> {
    match value.len() {
        0 => Err(Error::Missing(field.into())),
        32 => Ok(()),
        n => broken(field, format!("must be 32 bytes, not {n}")),
    }
}
