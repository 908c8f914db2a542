//! An assistance request's state, derived from the set of records about it: the request, the
//! offers and declines of the members it asked, the requester's acceptances, the deployment
//! reports and the close or cancellation. Pure and deterministic: the same records (in any
//! order, with duplicates) and the same `now` give the same view.
//!
//! The rules (records are assumed to have passed validation, `validate::assistance`):
//!
//! - **The request** is the record whose id the others name; without it there is no view.
//!   Every other record must have the request's status (an exercise never acts on an actual
//!   request) and is taken in the order (created, origin, seq).
//! - **Routings** by the national level (a request with `addressing.national`) add the members
//!   they name to those asked, when made before the close and when their copy of the request
//!   equals the request. A node that does not hold the request itself (a member routed to)
//!   derives it from the earliest routing's copy.
//! - **The close.** The requester's earliest close (or cancel) counts; offers and acceptances
//!   made after it do not. Deployment reports after it still count (units come home after the
//!   request is closed).
//! - **Offers and declines** count when their origin is an addressed member and every line is a
//!   line of the request with at most the units it asks. An offer lapses at its valid-until.
//! - **Acceptances** count when every commitment names a counted offer, a line of that offer,
//!   the acceptance was made before the offer's valid-until, and with the earlier counted
//!   commitments it commits at most what the offer offered and what the line asked. One broken
//!   commitment and the acceptance does not count (it is listed as ignored, naming it).
//! - **Deployment reports** count for committed units only: the assisting member's for its own
//!   commitment, the requester's release for a commitment or (without an offer id) for every
//!   commitment of the line. A commitment's state is the furthest reached (committed, departed,
//!   on scene or extended, released, returned); among on scene and extended the latest report
//!   counts, and the end time is the latest extension's.
//! - **The state**: closed or cancelled when closed; else covered when every line's committed
//!   units reach its quantity, partially covered when any unit is committed, else open.
use std::collections::{BTreeMap, BTreeSet};

use regiosync_types::{Envelope, NodeId};

use crate::agreement::distinct;
use crate::pb;
use crate::record::{status_name, Payload, Record};
use crate::time;

mod timeline;
use timeline::event;

/// The state names of a request, as the views carry them.
pub mod state {
    pub const OPEN: &str = "open";
    pub const PARTIALLY_COVERED: &str = "partially_covered";
    pub const COVERED: &str = "covered";
    pub const CLOSED: &str = "closed";
    pub const CANCELLED: &str = "cancelled";
    /// Every state, in the order of the flow.
    pub const ALL: [&str; 5] = [OPEN, PARTIALLY_COVERED, COVERED, CLOSED, CANCELLED];
}

/// The state names of an offer.
pub mod offer_state {
    pub const OPEN: &str = "open";
    pub const COMMITTED: &str = "committed";
    pub const PARTIALLY_COMMITTED: &str = "partially_committed";
    pub const LAPSED: &str = "lapsed";
    pub const DECLINED: &str = "declined";
}

/// A commitment's state before any report.
pub const COMMITTED: &str = "committed";

/// How far a deployment state goes; on scene and extended are the same stage.
fn stage(state: &str) -> u8 {
    match state {
        "departed" => 1,
        "on_scene" | "extended" => 2,
        "released" => 3,
        "returned" => 4,
        _ => 0,
    }
}

/// The view of one request from every record a node holds (records about other requests are
/// ignored); `None` when the request itself is not held.
pub fn derive(request_id: &str, records: &[Record], now_ms: i64) -> Option<pb::AssistanceView> {
    let about = distinct(records.iter().filter(|r| r.request_id() == Some(request_id)));
    derive_distinct(request_id, &about, now_ms)
}

/// Every request among `records`, ordered by request id.
pub fn derive_all(records: &[Record], now_ms: i64) -> Vec<pb::AssistanceView> {
    let mut by_id: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in distinct(records) {
        if let Some(id) = r.request_id() {
            by_id.entry(id).or_default().push(r);
        }
    }
    by_id
        .into_iter()
        .filter_map(|(id, held)| derive_distinct(id, &held, now_ms))
        .collect()
}

/// The first moment after `now` at which a view derived at `now` can change without a new
/// record: an open offer lapsing.
pub fn next_change(views: &[pb::AssistanceView], now: i64) -> i64 {
    views
        .iter()
        .flat_map(|v| &v.offers)
        .filter(|o| o.state == offer_state::OPEN)
        .filter_map(|o| o.offer.as_ref())
        .filter_map(|o| time::parse_moment("valid_until", &o.valid_until).ok())
        .filter(|&t| t > now)
        .min()
        .unwrap_or(i64::MAX)
}

/// The request of a view as a record (its meta and payload): what a step's export needs, also
/// at a member routed to, which holds only the routing's copy of the request.
pub fn request_record(view: &pb::AssistanceView) -> Option<Record> {
    let meta = view.record.as_ref()?;
    Some(Record {
        id: meta.id.clone(),
        origin: meta.origin.parse().ok()?,
        seq: meta.seq,
        created_unix_ms: meta.created_unix_ms,
        status: crate::record::status_named(&meta.status),
        payload: Payload::AssistanceRequest(view.request.clone()?),
    })
}

/// The requester a record id names (`VR17-42` → VR17).
pub fn requester_of(request_id: &str) -> Option<NodeId> {
    Envelope::parse_generated_id(request_id).map(|(origin, _)| origin)
}

struct Offer<'a> {
    record: &'a Record,
    offer: &'a pb::AssistanceOffer,
    valid_until: i64,
    /// Committed units per resource type.
    committed: BTreeMap<&'a str, u32>,
}

impl Offer<'_> {
    fn offered(&self, resource_type: &str) -> u32 {
        self.offer
            .lines
            .iter()
            .find(|l| l.resource_type == resource_type)
            .map_or(0, |l| l.quantity)
    }
}

struct Deployment<'a> {
    offer_id: &'a str,
    offerer: NodeId,
    resource_type: &'a str,
    committed: u32,
    state: &'a str,
    until: &'a str,
    at: i64,
}

/// The request as the first routing among `records` carries it, as a record of the requester
/// (for a member routed to, which does not hold the request itself).
fn copied_request(request_id: &str, records: &[&Record]) -> Option<Record> {
    let (origin, seq) = Envelope::parse_generated_id(request_id)?;
    records
        .iter()
        .filter_map(|r| match &r.payload {
            Payload::AssistanceRouting(g) => g.request.as_ref().map(|q| (r, g, q)),
            _ => None,
        })
        .min_by_key(|(r, _, _)| (r.created_unix_ms, r.origin, r.seq))
        .map(|(r, g, q)| Record {
            id: request_id.into(),
            origin,
            seq,
            created_unix_ms: g.requested_unix_ms,
            status: r.status,
            payload: Payload::AssistanceRequest(q.clone()),
        })
}

fn derive_distinct(request_id: &str, records: &[&Record], now: i64) -> Option<pb::AssistanceView> {
    let copied;
    let request_record: &Record = match records
        .iter()
        .find(|r| r.id == request_id && matches!(r.payload, Payload::AssistanceRequest(_)))
    {
        Some(r) => r,
        None => {
            copied = copied_request(request_id, records)?;
            &copied
        }
    };
    let Payload::AssistanceRequest(request) = &request_record.payload else {
        return None;
    };
    let requester = request_record.origin;
    let asked: BTreeMap<&str, &pb::RequestLine> = request.lines.iter().map(|l| (l.resource_type.as_str(), l)).collect();

    let mut ignored: Vec<(&Record, String)> = Vec::new();
    let mut steps: Vec<&Record> = Vec::new();
    for r in records.iter().copied().filter(|r| r.id != request_id) {
        if r.status != request_record.status {
            ignored.push((
                r,
                format!(
                    "its status is {}, the request's {}",
                    status_name(r.status),
                    status_name(request_record.status)
                ),
            ));
        } else {
            steps.push(r);
        }
    }
    steps.sort_by_key(|r| (r.created_unix_ms, r.origin, r.seq));

    let close = steps.iter().copied().find_map(|r| match &r.payload {
        Payload::AssistanceClose(c) if r.origin == requester => Some((r, c)),
        _ => None,
    });
    let closed_at = close.map_or(i64::MAX, |(r, _)| r.created_unix_ms);

    // Routings by the national level add the members asked (in order, each once).
    let national = request.addressing.as_ref().is_some_and(|a| a.national);
    let mut asked_all: Vec<&str> = request.addressed.iter().map(String::as_str).collect();
    let mut routings: Vec<(&Record, &pb::AssistanceRouting)> = Vec::new();
    for r in &steps {
        let Payload::AssistanceRouting(g) = &r.payload else {
            continue;
        };
        let why = if r.created_unix_ms > closed_at {
            Some("made after the request was closed")
        } else if !national {
            Some("the request did not ask the national level to route it")
        } else if g.request.as_ref() != Some(request) || g.requested_unix_ms != request_record.created_unix_ms {
            Some("its copy of the request differs from the request")
        } else {
            None
        };
        match why {
            Some(why) => ignored.push((r, why.into())),
            None => {
                for m in &g.members {
                    if !asked_all.contains(&m.as_str()) {
                        asked_all.push(m);
                    }
                }
                routings.push((r, g));
            }
        }
    }
    let addressed: BTreeSet<&str> = asked_all.iter().copied().collect();

    // Offers and declines: they depend only on the request.
    let mut offers: Vec<Offer> = Vec::new();
    let mut declines: Vec<&Record> = Vec::new();
    for r in &steps {
        let Payload::AssistanceOffer(o) = &r.payload else {
            continue;
        };
        let why = if r.created_unix_ms > closed_at {
            Some("made after the request was closed".to_string())
        } else if !addressed.contains(r.origin.to_string().as_str()) {
            Some(format!("{} was not asked", r.origin))
        } else {
            o.lines.iter().find_map(|l| match asked.get(l.resource_type.as_str()) {
                None => Some(format!("offers {}, which the request does not ask", l.resource_type)),
                Some(line) if l.quantity > line.quantity => Some(format!(
                    "offers {} {}, the request asks {}",
                    l.quantity, l.resource_type, line.quantity
                )),
                _ => None,
            })
        };
        match why {
            Some(why) => ignored.push((r, why)),
            None if o.decline_reason.is_empty() => offers.push(Offer {
                record: r,
                offer: o,
                valid_until: time::parse_moment("valid_until", &o.valid_until).unwrap_or(i64::MIN),
                committed: BTreeMap::new(),
            }),
            None => declines.push(r),
        }
    }

    // Acceptances, in order, each against what the earlier ones committed.
    let mut line_committed: BTreeMap<&str, u32> = BTreeMap::new();
    let mut acceptances: Vec<&Record> = Vec::new();
    let mut covered_at = 0;
    for r in &steps {
        let Payload::AssistanceAcceptance(a) = &r.payload else {
            continue;
        };
        let why = if r.origin != requester {
            Some(format!("{} is not the requester", r.origin))
        } else if r.created_unix_ms > closed_at {
            Some("made after the request was closed".to_string())
        } else {
            check_commitments(a, r, &offers, &line_committed, &asked)
        };
        if let Some(why) = why {
            ignored.push((r, why));
            continue;
        }
        for c in &a.commitments {
            let offer = offers.iter_mut().find(|o| o.record.id == c.offer_id).expect("checked");
            let t = c.resource_type.as_str();
            *offer.committed.entry(t).or_default() += c.quantity;
            *line_committed.entry(t).or_default() += c.quantity;
        }
        acceptances.push(r);
        if covered_at == 0 && covered(&asked, &line_committed) {
            covered_at = r.created_unix_ms;
        }
    }

    // Deployments: one per (offer, type) committed, moved by the reports in order.
    let mut deployments: Vec<Deployment> = offers
        .iter()
        .flat_map(|o| {
            o.committed.iter().map(|(t, n)| Deployment {
                offer_id: &o.record.id,
                offerer: o.record.origin,
                resource_type: t,
                committed: *n,
                state: COMMITTED,
                until: "",
                at: 0,
            })
        })
        .collect();
    let mut reports: Vec<&Record> = Vec::new();
    for r in &steps {
        let Payload::AssistanceDeployment(d) = &r.payload else {
            continue;
        };
        let by_requester = r.origin == requester;
        let mut hit = false;
        for dep in deployments.iter_mut().filter(|dep| {
            dep.resource_type == d.resource_type
                && (dep.offer_id == d.offer_id || (by_requester && d.offer_id.is_empty()))
                && (by_requester || dep.offerer == r.origin)
        }) {
            hit = true;
            let (old, new) = (stage(dep.state), stage(&d.state));
            if new > old || (new == old && new == stage("on_scene")) {
                dep.state = &d.state;
                dep.at = r.created_unix_ms;
            }
            if d.state == "extended" {
                dep.until = &d.until;
            }
        }
        if hit {
            reports.push(r);
        } else {
            let what = match d.offer_id.as_str() {
                "" => format!("no unit of {} is committed", d.resource_type),
                id => format!("nothing of {} in {id} is committed", d.resource_type),
            };
            ignored.push((r, what));
        }
    }

    let lines = request
        .lines
        .iter()
        .map(|l| {
            let t = l.resource_type.as_str();
            let of = |stages: &[u8]| -> u32 {
                deployments
                    .iter()
                    .filter(|d| d.resource_type == t && stages.contains(&stage(d.state)))
                    .map(|d| d.committed)
                    .sum()
            };
            pb::LineView {
                resource_type: l.resource_type.clone(),
                requested: l.quantity,
                minimum: if l.minimum == 0 { l.quantity } else { l.minimum },
                offered: offers
                    .iter()
                    .filter(|o| o.valid_until > now || !o.committed.is_empty())
                    .map(|o| o.offered(t))
                    .sum(),
                committed: line_committed.get(t).copied().unwrap_or(0),
                on_scene: of(&[2]),
                released: of(&[3, 4]),
            }
        })
        .collect();

    let state = match close {
        Some((_, c)) if c.cancelled => state::CANCELLED,
        Some(_) => state::CLOSED,
        None if covered(&asked, &line_committed) => state::COVERED,
        None if line_committed.values().any(|&n| n > 0) => state::PARTIALLY_COVERED,
        None => state::OPEN,
    };

    let offer_views = offers
        .iter()
        .map(|o| o.view(now))
        .chain(declines.iter().map(|r| pb::OfferView {
            record: Some(r.meta()),
            offer: match &r.payload {
                Payload::AssistanceOffer(o) => Some(o.clone()),
                _ => None,
            },
            state: offer_state::DECLINED.into(),
        }))
        .collect::<Vec<_>>();

    let addressees = asked_all
        .iter()
        .map(|&m| {
            let first = |rs: &mut dyn Iterator<Item = &Record>| {
                rs.filter(|r| r.origin.to_string() == *m)
                    .map(|r| r.created_unix_ms)
                    .min()
            };
            let offered = first(&mut offers.iter().map(|o| o.record));
            let declined = first(&mut declines.iter().copied());
            let answer = match (offered, declined) {
                (Some(_), _) => "offered",
                (None, Some(_)) => "declined",
                (None, None) => "no_answer",
            };
            pb::AddresseeView {
                member: m.into(),
                answer: answer.into(),
                first_answer_unix_ms: offered.into_iter().chain(declined).min().unwrap_or(0),
            }
        })
        .collect();

    let mut counted: Vec<&Record> = std::iter::once(request_record)
        .chain(routings.iter().map(|(r, _)| *r))
        .chain(offers.iter().map(|o| o.record))
        .chain(declines.iter().copied())
        .chain(acceptances.iter().copied())
        .chain(reports.iter().copied())
        .chain(close.map(|(r, _)| r))
        .collect();
    counted.sort_by_key(|r| (r.created_unix_ms, r.origin, r.seq));
    ignored.sort_by_key(|(r, _)| (r.origin, r.seq));

    Some(pb::AssistanceView {
        record: Some(request_record.meta()),
        request: Some(request.clone()),
        state: state.into(),
        lines,
        offers: offer_views,
        addressees,
        deployments: deployments
            .iter()
            .map(|d| pb::DeploymentView {
                offer_id: d.offer_id.into(),
                offerer: d.offerer.to_string(),
                resource_type: d.resource_type.into(),
                committed: d.committed,
                state: d.state.into(),
                until: d.until.into(),
                since_unix_ms: d.at,
            })
            .collect(),
        timeline: counted.iter().map(|r| event(r)).collect(),
        requested_unix_ms: request_record.created_unix_ms,
        first_offer_unix_ms: offers.iter().map(|o| o.record.created_unix_ms).min().unwrap_or(0),
        first_commitment_unix_ms: acceptances.first().map_or(0, |r| r.created_unix_ms),
        covered_unix_ms: covered_at,
        closed_unix_ms: close.map_or(0, |(r, _)| r.created_unix_ms),
        close: close.map(|(_, c)| c.clone()),
        ignored: ignored
            .iter()
            .map(|(r, why)| pb::IgnoredRecord {
                record_id: r.id.clone(),
                reason: why.clone(),
            })
            .collect(),
        routings: routings
            .iter()
            .map(|(r, g)| pb::RoutingView {
                record_id: r.id.clone(),
                by: r.origin.to_string(),
                members: g.members.clone(),
                at_unix_ms: r.created_unix_ms,
                note: g.note.clone(),
            })
            .collect(),
    })
}

/// Why an acceptance does not count, if it does not: its first commitment that names no
/// counted offer, a type the offer lacks, an offer past its valid-until, or more units than
/// the offer offered or the line asked (with what earlier acceptances committed).
fn check_commitments(
    a: &pb::AssistanceAcceptance,
    r: &Record,
    offers: &[Offer],
    line_committed: &BTreeMap<&str, u32>,
    asked: &BTreeMap<&str, &pb::RequestLine>,
) -> Option<String> {
    let mut by_line: BTreeMap<&str, u32> = BTreeMap::new();
    for (i, c) in a.commitments.iter().enumerate() {
        let t = c.resource_type.as_str();
        let Some(offer) = offers.iter().find(|o| o.record.id == c.offer_id) else {
            return Some(format!(
                "commitments[{i}]: {} is not a counted offer of this request",
                c.offer_id
            ));
        };
        if r.created_unix_ms >= offer.valid_until {
            return Some(format!(
                "commitments[{i}]: {} lapsed at {}",
                c.offer_id, offer.offer.valid_until
            ));
        }
        let offered = offer.offered(t);
        let before = offer.committed.get(t).copied().unwrap_or(0);
        if c.quantity + before > offered {
            return Some(format!(
                "commitments[{i}]: {} {t} with {before} committed before exceeds the {offered} {} offered",
                c.quantity, c.offer_id
            ));
        }
        let line = by_line.entry(t).or_default();
        *line += c.quantity;
        let requested = asked.get(t).map_or(0, |l| l.quantity);
        let earlier = line_committed.get(t).copied().unwrap_or(0);
        if earlier + *line > requested {
            return Some(format!(
                "commitments[{i}]: {} {t} committed in all exceeds the {requested} requested",
                earlier + *line
            ));
        }
    }
    None
}

fn covered(asked: &BTreeMap<&str, &pb::RequestLine>, committed: &BTreeMap<&str, u32>) -> bool {
    asked
        .iter()
        .all(|(t, l)| committed.get(t).copied().unwrap_or(0) >= l.quantity)
}

impl Offer<'_> {
    fn view(&self, now: i64) -> pb::OfferView {
        let all = self
            .offer
            .lines
            .iter()
            .all(|l| self.committed.get(l.resource_type.as_str()).copied().unwrap_or(0) >= l.quantity);
        let state = match () {
            _ if all => offer_state::COMMITTED,
            _ if !self.committed.is_empty() => offer_state::PARTIALLY_COMMITTED,
            _ if now >= self.valid_until => offer_state::LAPSED,
            _ => offer_state::OPEN,
        };
        pb::OfferView {
            record: Some(self.record.meta()),
            offer: Some(self.offer.clone()),
            state: state.into(),
        }
    }
}
