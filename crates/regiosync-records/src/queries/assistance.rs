//! Questions 7 to 9: assistance requests — which are open now, and per region and per
//! agreement over a period how much was asked, offered and committed, and how fast. Over
//! actual requests only (exercise and test requests never count). A period is `[from, to)` in
//! milliseconds; a request is in it when its request record was created in it.
//!
//! Definitions (every number from the views alone, and `now` for the open requests):
//! - a request's units requested: the sum of its lines' quantities; committed: the sum of its
//!   lines' committed units; a fill rate is committed / requested over the requests counted
//!   (0 when nothing was requested), the integers beside it;
//! - an offer: a counted offer with units (declines are answers, not offers);
//! - time to first offer / first commitment: from the request record's creation to the first
//!   counted offer / acceptance; requests without one are left out of mean and median and
//!   counted in `without`; mean rounded down, median the middle value (two middle values:
//!   their mean rounded down), in milliseconds;
//! - a region receives a request when it is among the members asked; it answered when it
//!   offered or declined; its first answer is its addressee's `first_answer_unix_ms`; the
//!   units it provided are the units the requester committed of its offers.
use std::collections::{BTreeMap, BTreeSet};

use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use super::{code_name, code_rank, in_force, is_actual};
use crate::agreement::state as agreement_state;
use crate::assistance::state;
use crate::calendar;
use crate::codes::list;
use crate::pb;
use crate::record::status_name;
use crate::time;

/// The addressee answer of a member that has not answered.
const NO_ANSWER: &str = "no_answer";
/// The offer state of a decline.
const DECLINED: &str = "declined";

/// Every actual request not closed or cancelled at `now_ms`, oldest first (then by id): its
/// lines (requested, committed), needed_by, whole minutes open, who was asked and who has not
/// answered.
pub fn open_assistance(views: &[pb::AssistanceView], now_ms: i64) -> pb::OpenAssistance {
    let mut open: Vec<&pb::AssistanceView> = views
        .iter()
        .filter(|v| actual(v) && v.state != state::CLOSED && v.state != state::CANCELLED)
        .collect();
    open.sort_by(|a, b| (a.requested_unix_ms, id(a)).cmp(&(b.requested_unix_ms, id(b))));
    pb::OpenAssistance {
        requests: open.into_iter().map(|v| open_item(v, now_ms)).collect(),
        answered_by: String::new(),
    }
}

fn open_item(v: &pb::AssistanceView, now_ms: i64) -> pb::OpenAssistanceItem {
    let request = v.request.clone().unwrap_or_default();
    pb::OpenAssistanceItem {
        request_id: id(v).into(),
        requester: requester(v).into(),
        state: v.state.clone(),
        lines: v
            .lines
            .iter()
            .map(|l| pb::AssistanceLineTotal {
                resource_type: l.resource_type.clone(),
                name: code_name(list::RESOURCE_TYPES, &l.resource_type),
                requested: l.requested,
                committed: l.committed,
            })
            .collect(),
        needed_by: request.needed_by.clone(),
        requested_unix_ms: v.requested_unix_ms,
        open_minutes: u64::try_from((now_ms - v.requested_unix_ms).max(0) / 60_000).unwrap_or(0),
        asked: v.addressees.iter().map(|a| a.member.clone()).collect(),
        not_answered: v
            .addressees
            .iter()
            .filter(|a| a.answer == NO_ANSWER)
            .map(|a| a.member.clone())
            .collect(),
        incident_reference: request.incident.map(|i| i.reference).unwrap_or_default(),
    }
}

/// Per region of `regions` (sorted, each once), over the actual requests made in
/// `[from_ms, to_ms)`: as requester, requests made, units requested and committed, fill rate,
/// time to first offer and first commitment; as member asked, requests received, answered,
/// units asked and provided, its fill rate, time to its first answer, its offers and units
/// offered, and its declines by reason.
pub fn assistance_by_region(
    views: &[pb::AssistanceView],
    regions: &[NodeId],
    from_ms: i64,
    to_ms: i64,
) -> pb::AssistanceByRegion {
    let counted = in_period(views, from_ms, to_ms);
    pb::AssistanceByRegion {
        regions: super::sorted(regions)
            .into_iter()
            .map(|r| region_assistance(&r.to_string(), &counted))
            .collect(),
        ..Default::default()
    }
}

/// The actual requests made in `[from_ms, to_ms)`.
fn in_period(views: &[pb::AssistanceView], from_ms: i64, to_ms: i64) -> Vec<&pb::AssistanceView> {
    views
        .iter()
        .filter(|v| actual(v) && v.requested_unix_ms >= from_ms && v.requested_unix_ms < to_ms)
        .collect()
}

/// One region's record over `counted` (requests already in the period and actual).
pub(super) fn region_assistance(region: &str, counted: &[&pb::AssistanceView]) -> pb::RegionAssistance {
    let mut out = pb::RegionAssistance {
        region: region.into(),
        ..Default::default()
    };
    let made: Vec<&pb::AssistanceView> = counted.iter().copied().filter(|v| requester(v) == region).collect();
    out.requests_made = count(made.len());
    out.units_requested = made.iter().map(|v| requested(v)).sum();
    out.units_committed = made.iter().map(|v| committed(v)).sum();
    out.fill_rate = ratio(out.units_committed, out.units_requested);
    out.first_offer = durations(made.iter().map(|v| since(v, first_offer(v, |_| true))));
    out.first_commitment = durations(made.iter().map(|v| since(v, v.first_commitment_unix_ms)));

    let received: Vec<(&pb::AssistanceView, &pb::AddresseeView)> = counted
        .iter()
        .filter(|v| requester(v) != region)
        .filter_map(|v| v.addressees.iter().find(|a| a.member == region).map(|a| (*v, a)))
        .collect();
    out.requests_received = count(received.len());
    out.answered = count(received.iter().filter(|(_, a)| a.answer != NO_ANSWER).count());
    out.units_asked = received.iter().map(|(v, _)| requested(v)).sum();
    out.units_provided = received
        .iter()
        .flat_map(|(v, _)| &v.deployments)
        .filter(|d| d.offerer == region)
        .map(|d| u64::from(d.committed))
        .sum();
    out.received_fill_rate = ratio(out.units_provided, out.units_asked);
    out.first_answer = durations(received.iter().map(|(v, a)| since(v, a.first_answer_unix_ms)));

    let mut declines: BTreeMap<String, u32> = BTreeMap::new();
    for v in counted {
        for o in v.offers.iter().filter(|o| offerer(o) == region) {
            let offer = o.offer.as_ref();
            let units: u64 = offer.map_or(0, |o| o.lines.iter().map(|l| u64::from(l.quantity)).sum());
            if units > 0 {
                out.offers_made += 1;
                out.units_offered += units;
            } else if o.state == DECLINED || offer.is_some_and(|o| !o.decline_reason.is_empty()) {
                let reason = offer.map(|o| o.decline_reason.clone()).unwrap_or_default();
                *declines.entry(reason).or_default() += 1;
            }
        }
    }
    let mut declines: Vec<pb::DeclineCount> = declines
        .into_iter()
        .map(|(reason, count)| pb::DeclineCount {
            name: code_name(list::DECLINE_REASONS, &reason),
            reason,
            count,
        })
        .collect();
    declines.sort_by(|a, b| {
        (code_rank(list::DECLINE_REASONS, &a.reason), &a.reason)
            .cmp(&(code_rank(list::DECLINE_REASONS, &b.reason), &b.reason))
    });
    out.declines = declines;
    out
}

/// Per agreement, over the actual requests made in `[from_ms, to_ms)`: the requests citing it,
/// their units requested and the units committed of offers made under it, the fill rate, the
/// offers made under it and their units, and the time to the first offer by one of its parties
/// (of the version in force, the requester excluded). `used`: the agreements cited; `never_used`:
/// the active actual agreements of `agreements` not cited. Listed: every agreement cited or
/// offered under, and every active actual one, by id.
pub fn assistance_by_agreement(
    views: &[pb::AssistanceView],
    agreements: &[pb::AgreementView],
    from_ms: i64,
    to_ms: i64,
) -> pb::AssistanceByAgreement {
    let counted = in_period(views, from_ms, to_ms);
    let actual_agreements: BTreeMap<&str, &pb::AgreementView> = agreements
        .iter()
        .filter(|a| is_actual(a))
        .map(|a| (a.agreement_id.as_str(), a))
        .collect();
    let used: BTreeSet<&str> = counted.iter().flat_map(|v| cited(v)).collect();
    let active: BTreeSet<&str> = actual_agreements
        .values()
        .filter(|a| a.state == agreement_state::ACTIVE)
        .map(|a| a.agreement_id.as_str())
        .collect();
    let offered_under: BTreeSet<&str> = counted
        .iter()
        .flat_map(|v| &v.offers)
        .filter_map(|o| o.offer.as_ref())
        .filter(|o| !o.agreement_id.is_empty() && !o.lines.is_empty())
        .map(|o| o.agreement_id.as_str())
        .collect();
    let listed: BTreeSet<&str> = used.iter().chain(&active).chain(&offered_under).copied().collect();
    pb::AssistanceByAgreement {
        agreements: listed
            .iter()
            .map(|&id| agreement_assistance(id, actual_agreements.get(id).copied(), &counted))
            .collect(),
        used: used.iter().map(|s| s.to_string()).collect(),
        never_used: active.difference(&used).map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

/// One agreement's use over `counted` (requests in the period and actual).
pub(super) fn agreement_assistance(
    agreement_id: &str,
    view: Option<&pb::AgreementView>,
    counted: &[&pb::AssistanceView],
) -> pb::AgreementAssistance {
    let parties: BTreeSet<String> = view.map(parties).unwrap_or_default();
    let citing: Vec<&pb::AssistanceView> = counted
        .iter()
        .copied()
        .filter(|v| cited(v).any(|a| a == agreement_id))
        .collect();
    let under = |o: &pb::OfferView| o.offer.as_ref().is_some_and(|o| o.agreement_id == agreement_id);
    let mut out = pb::AgreementAssistance {
        agreement_id: agreement_id.into(),
        state: view.map(|v| v.state.clone()).unwrap_or_default(),
        requests: count(citing.len()),
        units_requested: citing.iter().map(|v| requested(v)).sum(),
        units_committed: citing
            .iter()
            .flat_map(|v| {
                let ids: BTreeSet<&str> = v.offers.iter().filter(|o| under(o)).map(id_of).collect();
                v.deployments
                    .iter()
                    .filter(move |d| ids.contains(d.offer_id.as_str()))
                    .map(|d| u64::from(d.committed))
            })
            .sum(),
        first_offer: durations(citing.iter().map(|v| {
            let me = requester(v).to_string();
            since(v, first_offer(v, |o| offerer(o) != me && parties.contains(offerer(o))))
        })),
        ..Default::default()
    };
    out.fill_rate = ratio(out.units_committed, out.units_requested);
    for o in counted.iter().flat_map(|v| &v.offers).filter(|o| under(o)) {
        let units: u64 = o
            .offer
            .as_ref()
            .map_or(0, |o| o.lines.iter().map(|l| u64::from(l.quantity)).sum());
        if units > 0 {
            out.offers += 1;
            out.units_offered += units;
        }
    }
    out
}

/// Adds to `card` its region's assistance record over the card's period: the 365 Dutch
/// calendar days before today and today, `[start of today - 365 days, start of tomorrow)`.
pub fn card_assistance(card: &mut pb::InControlCard, views: &[pb::AssistanceView], now_ms: i64) {
    let today = calendar::day_of(now_ms);
    let (from, to) = (today - 365, today + 1);
    let counted = in_period(views, calendar::day_start(from), calendar::day_start(to));
    card.assistance = Some(region_assistance(&card.region, &counted));
    card.assistance_from = time::format_date(from);
    card.assistance_to = time::format_date(to);
}

/// Adds to `answer` the use of every actual agreement among `agreements` (by id) by the actual
/// requests among `views` (any time): times cited, and the partners' time to first answer.
pub fn coverage_assistance(
    answer: &mut pb::AgreementCoverage,
    agreements: &[pb::AgreementView],
    views: &[pb::AssistanceView],
) {
    let counted: Vec<&pb::AssistanceView> = views.iter().filter(|v| actual(v)).collect();
    let mut actual_agreements: Vec<&pb::AgreementView> = agreements.iter().filter(|a| is_actual(a)).collect();
    actual_agreements.sort_by(|a, b| a.agreement_id.cmp(&b.agreement_id));
    actual_agreements.dedup_by(|a, b| a.agreement_id == b.agreement_id);
    answer.assistance_use = actual_agreements
        .into_iter()
        .map(|a| {
            let parties = parties(a);
            let citing: Vec<&pb::AssistanceView> = counted
                .iter()
                .copied()
                .filter(|v| cited(v).any(|id| id == a.agreement_id))
                .collect();
            pb::AgreementUse {
                agreement_id: a.agreement_id.clone(),
                used: count(citing.len()),
                partners_first_answer: durations(citing.iter().map(|v| {
                    let first = v
                        .addressees
                        .iter()
                        .filter(|x| x.member != requester(v) && parties.contains(&x.member))
                        .map(|x| x.first_answer_unix_ms)
                        .filter(|&t| t != 0)
                        .min()
                        .unwrap_or(0);
                    since(v, first)
                })),
            }
        })
        .collect();
}

/// The parties of the version in force.
fn parties(view: &pb::AgreementView) -> BTreeSet<String> {
    in_force(view)
        .map(|a| a.parties.iter().map(|p| p.region.clone()).collect())
        .unwrap_or_default()
}

fn durations(each: impl Iterator<Item = Option<i64>>) -> Option<pb::DurationStats> {
    let mut without = 0usize;
    let mut ms: Vec<i64> = Vec::new();
    for d in each {
        match d {
            Some(d) => ms.push(d),
            None => without += 1,
        }
    }
    ms.sort_unstable();
    let n = ms.len();
    let (mean_ms, median_ms) = match n {
        0 => (0, 0),
        _ => {
            let sum: i128 = ms.iter().map(|&d| i128::from(d)).sum();
            let mean = sum.div_euclid(n as i128);
            let median = match n % 2 {
                1 => i128::from(ms[n / 2]),
                _ => (i128::from(ms[n / 2 - 1]) + i128::from(ms[n / 2])).div_euclid(2),
            };
            (
                i64::try_from(mean).unwrap_or(i64::MAX),
                i64::try_from(median).unwrap_or(i64::MAX),
            )
        }
    };
    Some(pb::DurationStats {
        count: count(n),
        without: count(without),
        mean_ms,
        median_ms,
    })
}

/// From the request to `moment` (0: not yet), never negative.
fn since(v: &pb::AssistanceView, moment: i64) -> Option<i64> {
    (moment != 0).then(|| (moment - v.requested_unix_ms).max(0))
}

/// The first counted offer with units that `pick` keeps (0: none).
fn first_offer(v: &pb::AssistanceView, pick: impl Fn(&pb::OfferView) -> bool) -> i64 {
    v.offers
        .iter()
        .filter(|o| o.offer.as_ref().is_some_and(|o| !o.lines.is_empty()))
        .filter(|o| pick(o))
        .filter_map(|o| o.record.as_ref().map(|m| m.created_unix_ms))
        .min()
        .unwrap_or(0)
}

fn cited(v: &pb::AssistanceView) -> impl Iterator<Item = &str> {
    let mut ids: Vec<&str> = v
        .request
        .as_ref()
        .and_then(|r| r.addressing.as_ref())
        .map(|a| a.agreements.iter().map(String::as_str).collect())
        .unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
}

fn requested(v: &pb::AssistanceView) -> u64 {
    v.lines.iter().map(|l| u64::from(l.requested)).sum()
}

fn committed(v: &pb::AssistanceView) -> u64 {
    v.lines.iter().map(|l| u64::from(l.committed)).sum()
}

fn ratio(part: u64, whole: u64) -> f64 {
    match whole {
        0 => 0.0,
        w => part as f64 / w as f64,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn actual(v: &pb::AssistanceView) -> bool {
    v.record
        .as_ref()
        .is_some_and(|m| m.status == status_name(Status::Actual))
}

fn id(v: &pb::AssistanceView) -> &str {
    v.record.as_ref().map_or("", |m| m.id.as_str())
}

fn requester(v: &pb::AssistanceView) -> &str {
    v.record.as_ref().map_or("", |m| m.origin.as_str())
}

fn offerer(o: &pb::OfferView) -> &str {
    o.record.as_ref().map_or("", |m| m.origin.as_str())
}

fn id_of(o: &pb::OfferView) -> &str {
    o.record.as_ref().map_or("", |m| m.id.as_str())
}
