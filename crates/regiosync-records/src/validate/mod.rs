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

mod agreement;
pub mod assistance;
mod capacity;
mod evaluation;

use agreement::{agreement, agreement_id};
use capacity::capacity;
use evaluation::{evaluation, evaluation_withdrawal};

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
        Payload::EvaluationWithdrawal(w) => evaluation_withdrawal(w, env),
        Payload::AssistanceRequest(r) => assistance::request(r, env, codes, members),
        Payload::AssistanceOffer(o) => assistance::offer(o, env, codes, members),
        Payload::AssistanceAcceptance(a) => assistance::acceptance(a, env, members),
        Payload::AssistanceDeployment(d) => assistance::deployment(d, env, codes, members),
        Payload::AssistanceClose(c) => assistance::close(c, env, codes, members),
        Payload::AssistanceRouting(g) => assistance::routing(g, env, members),
        Payload::AuditAnchor(a) => audit_anchor(a),
    }
}

/// An audit anchor names a line of the chain (seq from 1) by its SHA-256 in lowercase hex, and
/// the current file holds at least that line.
fn audit_anchor(a: &pb::AuditAnchor) -> Result<()> {
    if a.seq == 0 {
        return broken("seq", "must be at least 1");
    }
    if a.hash.len() != 64 || !a.hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return broken(
            "hash",
            format!("'{}' is not a SHA-256 in lowercase hex (64 characters)", a.hash),
        );
    }
    if a.lines == 0 {
        return broken("lines", "must be at least 1 (the anchored line is in the file)");
    }
    Ok(())
}

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
