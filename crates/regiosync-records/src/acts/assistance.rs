//! The rules of the assistance flow that need other records, checked where a person takes a
//! step, against the request as the acting member's node holds it (`crate::assistance`): whom
//! a request asks, that only an addressed member answers and only the requester accepts, that
//! a commitment stays within what was offered and asked, that only committed units are
//! reported on or released, and that a closed request takes no new answers. Derivation ignores
//! records that break them, so these checks keep an honest person from writing one; each
//! refusal names the field and the rule.
use std::collections::{BTreeMap, BTreeSet};

use regiosync_types::{Federation, MemberKind, NodeId};
use thiserror::Error;

use crate::agreement::State;
use crate::assistance::{offer_state, requester_of, state};
use crate::pb::{self, AgreementView, AssistanceView};

/// What kind of refusal, for the node's status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A request, offer or agreement named is not held here.
    NotFound,
    /// This member may not take this step on this request.
    NotAllowed,
    /// The request or offer no longer takes it (closed, lapsed, units further along).
    Closed,
    /// The step asks for something the request or offer does not have.
    Invalid,
}

/// Why a step is refused: the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {rule}")]
pub struct AssistRefused {
    pub refusal: Refusal,
    pub field: String,
    pub rule: String,
}

fn refuse<T>(refusal: Refusal, field: impl Into<String>, rule: impl Into<String>) -> Result<T, AssistRefused> {
    Err(AssistRefused {
        refusal,
        field: field.into(),
        rule: rule.into(),
    })
}

/// Whom a request of `me` asks: the other parties of the named agreements (each held here,
/// active, with `me` a party of the version in force), the named members (regions or partners,
/// not `me`) and, with `neighbours`, `me`'s neighbours; sorted, each once. A request that asks
/// nobody must ask the national level to route it.
pub fn addressees(
    me: NodeId,
    addressing: &pb::Addressing,
    members: &Federation,
    agreements: &[AgreementView],
) -> Result<Vec<String>, AssistRefused> {
    let mut asked: BTreeSet<NodeId> = BTreeSet::new();
    for (i, id) in addressing.agreements.iter().enumerate() {
        let field = format!("addressing.agreements[{i}]");
        let Some(view) = agreements.iter().find(|a| &a.agreement_id == id) else {
            return refuse(Refusal::NotFound, field, format!("agreement {id} is not held at {me}"));
        };
        if view.state != State::Active.as_str() {
            return refuse(
                Refusal::Closed,
                field,
                format!(
                    "agreement {id} is {}; only an active agreement can be invoked",
                    view.state
                ),
            );
        }
        let parties: Vec<NodeId> = view
            .versions
            .iter()
            .find(|v| v.version == view.version_in_force)
            .and_then(|v| v.agreement.as_ref())
            .map(|a| a.parties.iter().filter_map(|p| p.region.parse().ok()).collect())
            .unwrap_or_default();
        if !parties.contains(&me) {
            return refuse(
                Refusal::NotAllowed,
                field,
                format!("{me} is not a party to agreement {id}"),
            );
        }
        asked.extend(parties.into_iter().filter(|p| *p != me));
    }
    for (i, m) in addressing.members.iter().enumerate() {
        let field = format!("addressing.members[{i}]");
        let id = match members.member_field(&field, m) {
            Ok(id) => id,
            Err(e) => return refuse(Refusal::Invalid, field, rule_of(&e.to_string())),
        };
        match members.kind(id) {
            Some(MemberKind::National) => {
                return refuse(
                    Refusal::Invalid,
                    field,
                    format!("{id} is a national node; ask the national level with addressing.national"),
                )
            }
            _ if id == me => return refuse(Refusal::Invalid, field, format!("{id} is the requester")),
            _ => {
                asked.insert(id);
            }
        }
    }
    if addressing.neighbours {
        asked.extend(members.member(me).map(|m| m.neighbours.clone()).unwrap_or_default());
    }
    if asked.is_empty() && !addressing.national {
        return refuse(
            Refusal::Invalid,
            "addressing",
            "asks nobody: name agreements, members, neighbours or the national level",
        );
    }
    Ok(asked.iter().map(NodeId::to_string).collect())
}

/// The rule part of a field error ("field: rule" → "rule").
fn rule_of(message: &str) -> String {
    message.split_once(": ").map_or(message, |(_, r)| r).to_string()
}

/// Who receives the steps after the request (answers, acceptances, deployment reports, the
/// close, a routing): the requester and every member it asked, routings included, so every
/// involved node holds every record of the request (the national nodes receive everything).
pub fn audience(view: &AssistanceView) -> Vec<String> {
    let requester = view.record.as_ref().map(|m| m.origin.clone()).unwrap_or_default();
    std::iter::once(requester).chain(asked(view)).collect()
}

/// Every member the request asks: those it named and those the national level routed it to.
pub fn asked(view: &AssistanceView) -> Vec<String> {
    view.addressees.iter().map(|a| a.member.clone()).collect()
}

/// A national node's routing of the request to `members`: the request asked the national level,
/// is open, and each member is a region or partner of the federation, not the requester, not
/// asked already, named once. The routing's audience is the request's with `members` added.
pub fn routing(
    view: &AssistanceView,
    members: &[String],
    federation: &Federation,
) -> Result<Vec<String>, AssistRefused> {
    let request = view.request.as_ref().expect("a view has its request");
    let id = request_id(view);
    if !request.addressing.as_ref().is_some_and(|a| a.national) {
        return refuse(
            Refusal::NotAllowed,
            "request_id",
            format!("request {id} did not ask the national level to route it"),
        );
    }
    open(view)?;
    if members.is_empty() {
        return refuse(Refusal::Invalid, "members", "required (at least one member to ask)");
    }
    let before = asked(view);
    let mut seen = BTreeSet::new();
    for (i, m) in members.iter().enumerate() {
        let field = format!("members[{i}]");
        let Some(node) = m.parse::<NodeId>().ok().filter(|n| federation.kind(*n).is_some()) else {
            return refuse(
                Refusal::Invalid,
                field,
                format!("'{m}' is not a member of this federation"),
            );
        };
        if federation.kind(node) == Some(MemberKind::National) {
            return refuse(
                Refusal::Invalid,
                field,
                format!("{node} is a national node; route to regions or partners"),
            );
        }
        if Some(node) == requester(view) {
            return refuse(Refusal::Invalid, field, format!("{node} is the requester"));
        }
        if before.contains(m) {
            return refuse(
                Refusal::Invalid,
                field,
                format!("{node} is asked already (asked: {})", before.join(", ")),
            );
        }
        if !seen.insert(node) {
            return refuse(Refusal::Invalid, field, format!("{node} is listed twice"));
        }
    }
    Ok(audience(view).into_iter().chain(members.iter().cloned()).collect())
}

fn request_id(view: &AssistanceView) -> &str {
    view.record.as_ref().map_or("", |m| m.id.as_str())
}

fn requester(view: &AssistanceView) -> Option<NodeId> {
    requester_of(request_id(view))
}

fn open(view: &AssistanceView) -> Result<(), AssistRefused> {
    if view.state == state::CLOSED || view.state == state::CANCELLED {
        return refuse(
            Refusal::Closed,
            "request_id",
            format!("request {} is {}", request_id(view), view.state),
        );
    }
    Ok(())
}

/// `me`'s answer to the request, checked, with what its own current capacity report shows
/// (`available`: units available per resource type) filled in per line: an offer above it is
/// flagged, not refused (the report may be stale).
pub fn offer(
    view: &AssistanceView,
    me: NodeId,
    mut offer: pb::AssistanceOffer,
    available: &BTreeMap<String, u32>,
) -> Result<pb::AssistanceOffer, AssistRefused> {
    let request = view.request.as_ref().expect("a view has its request");
    let id = request_id(view);
    let asked_now = asked(view);
    if !asked_now.contains(&me.to_string()) {
        let shown = if asked_now.is_empty() {
            "nobody yet".to_string()
        } else {
            asked_now.join(", ")
        };
        return refuse(
            Refusal::NotAllowed,
            "request_id",
            format!("{me} was not asked by request {id} (asked: {shown})"),
        );
    }
    open(view)?;
    let asked: Vec<&str> = request.lines.iter().map(|l| l.resource_type.as_str()).collect();
    for (i, l) in offer.lines.iter_mut().enumerate() {
        let Some(line) = request.lines.iter().find(|r| r.resource_type == l.resource_type) else {
            return refuse(
                Refusal::Invalid,
                format!("lines[{i}].resource_type"),
                format!(
                    "{} is not asked by request {id} (asked: {})",
                    l.resource_type,
                    asked.join(", ")
                ),
            );
        };
        if l.quantity > line.quantity {
            return refuse(
                Refusal::Invalid,
                format!("lines[{i}].quantity"),
                format!("{} exceeds the {} {} asked", l.quantity, line.quantity, l.resource_type),
            );
        }
        l.reported_available = available.get(&l.resource_type).copied();
        l.exceeds_available = l.reported_available.is_none_or(|a| l.quantity > a);
    }
    let cited = request
        .addressing
        .as_ref()
        .map(|a| a.agreements.clone())
        .unwrap_or_default();
    if !offer.agreement_id.is_empty() && !cited.contains(&offer.agreement_id) {
        return refuse(
            Refusal::Invalid,
            "agreement_id",
            format!("request {id} does not cite agreement {}", offer.agreement_id),
        );
    }
    Ok(offer)
}

/// Committed units per (offer id, resource type), from the view.
fn committed(view: &AssistanceView) -> BTreeMap<(&str, &str), u32> {
    view.deployments
        .iter()
        .map(|d| ((d.offer_id.as_str(), d.resource_type.as_str()), d.committed))
        .collect()
}

/// The requester's commitments, checked against the offers and lines at `now`.
pub fn acceptance(
    view: &AssistanceView,
    me: NodeId,
    commitments: &[pb::Commitment],
    now: i64,
) -> Result<(), AssistRefused> {
    only_the_requester(view, me, "accepts offers")?;
    open(view)?;
    let request = view.request.as_ref().expect("a view has its request");
    let before = committed(view);
    let mut now_offer: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    let mut now_line: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, c) in commitments.iter().enumerate() {
        let at = |f: &str| format!("commitments[{i}].{f}");
        let Some(o) = view
            .offers
            .iter()
            .find(|o| o.record.as_ref().is_some_and(|m| m.id == c.offer_id) && o.state != offer_state::DECLINED)
        else {
            return refuse(
                Refusal::NotFound,
                at("offer_id"),
                format!(
                    "{} is not an offer to request {} held here",
                    c.offer_id,
                    request_id(view)
                ),
            );
        };
        let offer = o.offer.as_ref().expect("an offer view has its offer");
        let until = crate::time::parse_moment("valid_until", &offer.valid_until).unwrap_or(i64::MIN);
        if now >= until {
            return refuse(
                Refusal::Closed,
                at("offer_id"),
                format!("{} lapsed at {}", c.offer_id, offer.valid_until),
            );
        }
        let t = c.resource_type.as_str();
        let Some(line) = offer.lines.iter().find(|l| l.resource_type == t) else {
            return refuse(
                Refusal::Invalid,
                at("resource_type"),
                format!("{} offers no {t}", c.offer_id),
            );
        };
        let n = now_offer.entry((c.offer_id.as_str(), t)).or_default();
        *n += c.quantity;
        let left = line.quantity
            - before
                .get(&(c.offer_id.as_str(), t))
                .copied()
                .unwrap_or(0)
                .min(line.quantity);
        if *n > left {
            return refuse(
                Refusal::Invalid,
                at("quantity"),
                format!("{} exceeds the {left} {t} of {} not yet committed", *n, c.offer_id),
            );
        }
        let asked = request
            .lines
            .iter()
            .find(|l| l.resource_type == t)
            .map_or(0, |l| l.quantity);
        let line_before: u32 = before.iter().filter(|((_, lt), _)| *lt == t).map(|(_, n)| n).sum();
        let l = now_line.entry(t).or_default();
        *l += c.quantity;
        if line_before + *l > asked {
            return refuse(
                Refusal::Invalid,
                at("quantity"),
                format!(
                    "{} {t} committed in all ({line_before} before) exceeds the {asked} asked",
                    line_before + *l
                ),
            );
        }
    }
    Ok(())
}

fn only_the_requester(view: &AssistanceView, me: NodeId, what: &str) -> Result<(), AssistRefused> {
    match requester(view) {
        Some(r) if r == me => Ok(()),
        r => refuse(
            Refusal::NotAllowed,
            "request_id",
            format!(
                "{me} is not the requester of {}; only {} {what}",
                request_id(view),
                r.map_or("the requester".to_string(), |r| r.to_string())
            ),
        ),
    }
}

/// A deployment report: the assisting member's on its own committed units, the requester's
/// release of committed units; never back to an earlier stage.
pub fn deployment(view: &AssistanceView, me: NodeId, d: &pb::AssistanceDeployment) -> Result<(), AssistRefused> {
    let by_requester = requester(view) == Some(me);
    let mine: Vec<&pb::DeploymentView> = view
        .deployments
        .iter()
        .filter(|x| x.resource_type == d.resource_type)
        .filter(|x| x.offer_id == d.offer_id || (by_requester && d.offer_id.is_empty()))
        .filter(|x| by_requester || x.offerer == me.to_string())
        .collect();
    if mine.is_empty() {
        let what = match d.offer_id.as_str() {
            "" => format!(
                "no unit of {} is committed to request {}",
                d.resource_type,
                request_id(view)
            ),
            o => format!(
                "nothing of {} in {o} is committed to request {}",
                d.resource_type,
                request_id(view)
            ),
        };
        let field = if d.offer_id.is_empty() {
            "resource_type"
        } else {
            "offer_id"
        };
        return refuse(Refusal::Closed, field, what);
    }
    let stage = |s: &str| match s {
        "departed" => 1,
        "on_scene" | "extended" => 2,
        "released" => 3,
        "returned" => 4,
        _ => 0,
    };
    if let Some(x) = mine.iter().find(|x| stage(&x.state) > stage(&d.state)) {
        return refuse(
            Refusal::Closed,
            "state",
            format!(
                "the {} of {} are {} already; {} comes before that",
                x.resource_type, x.offer_id, x.state, d.state
            ),
        );
    }
    Ok(())
}

/// Close or cancel: the requester only, once.
pub fn close(view: &AssistanceView, me: NodeId) -> Result<(), AssistRefused> {
    only_the_requester(view, me, "closes or cancels it")?;
    open(view)
}
