//! The national picture as a national coordinator sees it through the `Records` API at NL:
//! capacity totals over the current actual reports (stale, exercise and missing regions named),
//! agreements per lifecycle state, and per rated area the spread of ratings over each region's
//! latest evaluation.
use regiosync_records::agreement::state::ACTIVE;
use std::collections::BTreeMap;

use anyhow::{Context, Result};
use regiosync_node::pb::{ListAgreementsRequest, ListCapacityRequest, ListEvaluationsRequest};
use regiosync_records::capacity::{totals, Total};
use regiosync_records::codes::list;
use regiosync_records::pb::{AgreementView, EvaluationView};
use regiosync_records::CodeLists;
use regiosync_types::NodeId;

use super::people::Client;

/// Agreement states in lifecycle order.
pub const STATES: [&str; 8] = regiosync_client::render::AGREEMENT_STATES;

/// Rating codes in scale order, from the shipped code lists.
pub fn ratings() -> &'static [&'static str] {
    regiosync_records::CodeLists::ratings()
}

pub struct Capacity {
    /// Per resource type, in code-list order.
    pub totals: Vec<Total>,
    pub counted: usize,
    /// Region, as_of, valid_until.
    pub stale: Vec<(NodeId, String, String)>,
    pub exercise: Vec<NodeId>,
    pub missing: Vec<NodeId>,
    /// Region and how many older reports its current one superseded.
    pub superseded: Vec<(NodeId, u32)>,
}

pub struct Agreements {
    pub total: usize,
    /// Every agreement's overall state, by id.
    pub states: BTreeMap<String, String>,
    pub by_state: BTreeMap<&'static str, usize>,
    /// Id and days left.
    pub expiring_soon: Vec<(String, i64)>,
    /// Id, withdrawing party and when it takes effect (unix ms).
    pub withdrawal_pending: Vec<(String, String, i64)>,
    /// Id and the version awaiting signatures.
    pub amendment_pending: Vec<(String, u32)>,
}

pub struct Evaluations {
    pub total: usize,
    /// The first and the last event date.
    pub period: (String, String),
    pub regions: usize,
    pub without: Vec<NodeId>,
    /// Per area (in `regiosync_records::CodeLists::rated_areas()` order): counts of P, S, M, U, NO over the latest of each region,
    /// and the regions rated M or U there in both of their last two evaluations.
    pub latest: Vec<(Vec<usize>, Vec<NodeId>)>,
    pub actions: usize,
    pub done: usize,
    pub overdue: usize,
    /// Results of verifications: effective, partly_effective, not_effective.
    pub verified: [usize; 3],
    pub reported_to_board: usize,
}

pub struct Picture {
    pub capacity: Capacity,
    pub agreements: Agreements,
    pub evaluations: Evaluations,
}

/// Ask NL, as the national coordinator.
pub async fn fetch(coordinator: &Client) -> Result<Picture> {
    let mut c = coordinator.clone();
    let cap = c
        .list_capacity(ListCapacityRequest {
            include_non_actual: true,
        })
        .await
        .context("ListCapacity at NL")?
        .into_inner();
    let ags = c
        .list_agreements(ListAgreementsRequest::default())
        .await
        .context("ListAgreements at NL")?
        .into_inner();
    // Every page of them.
    let mut evs = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = c
            .list_evaluations(ListEvaluationsRequest {
                page_size: 500,
                page_token,
                ..ListEvaluationsRequest::default()
            })
            .await
            .context("ListEvaluations at NL")?
            .into_inner();
        evs.extend(page.evaluations);
        match page.next_page_token.is_empty() {
            true => break,
            false => page_token = page.next_page_token,
        }
    }
    Ok(Picture {
        capacity: capacity(cap.reports, &cap.missing),
        agreements: agreements(&ags.agreements),
        evaluations: evaluations(&evs),
    })
}

fn region(s: &str) -> NodeId {
    s.parse().unwrap_or(NodeId::NL)
}

fn capacity(views: Vec<regiosync_records::pb::CapacityView>, missing: &[String]) -> Capacity {
    let codes = CodeLists::shipped().latest().codes(list::RESOURCE_TYPES);
    let order = |code: &str| codes.iter().position(|(c, _)| *c == code).unwrap_or(usize::MAX);
    let mut totals = totals(&views);
    totals.sort_by_key(|t| order(&t.resource_type));
    let actual = |v: &&regiosync_records::pb::CapacityView| v.record.as_ref().is_some_and(|m| m.status == "actual");
    Capacity {
        totals,
        counted: views.iter().filter(|v| v.counts && !v.stale).count(),
        stale: views
            .iter()
            .filter(|v| v.stale && actual(v))
            .map(|v| {
                let r = v.report.clone().unwrap_or_default();
                (region(&v.region), r.as_of, r.valid_until)
            })
            .collect(),
        exercise: views.iter().filter(|v| !actual(v)).map(|v| region(&v.region)).collect(),
        missing: missing.iter().map(|m| region(m)).collect(),
        superseded: views
            .iter()
            .filter(|v| v.superseded > 0 && actual(v))
            .map(|v| (region(&v.region), v.superseded))
            .collect(),
    }
}

fn agreements(views: &[AgreementView]) -> Agreements {
    let mut by_state: BTreeMap<&'static str, usize> = STATES.iter().map(|s| (*s, 0)).collect();
    for v in views {
        if let Some(s) = STATES.iter().find(|s| **s == v.state) {
            *by_state.entry(s).or_default() += 1;
        }
    }
    let active = || views.iter().filter(|v| v.state == ACTIVE);
    Agreements {
        total: views.len(),
        states: views
            .iter()
            .map(|v| (v.agreement_id.clone(), v.state.clone()))
            .collect(),
        by_state,
        expiring_soon: active()
            .filter(|v| v.expiring_soon)
            .map(|v| (v.agreement_id.clone(), v.days_left))
            .collect(),
        withdrawal_pending: active()
            .filter_map(|v| {
                let w = v.withdrawal.as_ref()?;
                Some((v.agreement_id.clone(), w.party.clone(), w.effective_unix_ms))
            })
            .collect(),
        amendment_pending: active()
            .filter(|v| v.newest_version > v.version_in_force)
            .map(|v| (v.agreement_id.clone(), v.newest_version))
            .collect(),
    }
}

fn evaluations(views: &[EvaluationView]) -> Evaluations {
    // Newest event first, as the API lists them: the first of a region is its latest.
    let mut by_region: BTreeMap<NodeId, Vec<&EvaluationView>> = BTreeMap::new();
    for v in views {
        let origin = v.record.as_ref().map_or(NodeId::NL, |m| region(&m.origin));
        by_region.entry(origin).or_default().push(v);
    }
    let rating = |v: &EvaluationView, area: &str| {
        let ratings = v.summary.as_ref().map(|s| s.ratings.as_slice()).unwrap_or_default();
        ratings
            .iter()
            .find(|r| r.area == area)
            .map_or("NO", |r| r.rating.as_str())
            .to_string()
    };
    let weak = |r: &str| r == "M" || r == "U";
    let latest = regiosync_records::CodeLists::rated_areas()
        .iter()
        .map(|area| {
            let mut counts = vec![0usize; ratings().len()];
            let mut twice = Vec::new();
            for (region, list) in &by_region {
                let r = rating(list[0], area);
                if let Some(i) = ratings().iter().position(|x| *x == r) {
                    counts[i] += 1;
                }
                if list.len() >= 2 && weak(&r) && weak(&rating(list[1], area)) {
                    twice.push(*region);
                }
            }
            (counts, twice)
        })
        .collect();
    let actions = views.iter().flat_map(|v| &v.actions);
    let status =
        |a: &regiosync_records::pb::ActionView| a.action.as_ref().map_or("", |x| x.status.as_str()).to_string();
    let verified = |result: &str| actions.clone().filter(|a| a.verified == result).count();
    let mut dates: Vec<&str> = views
        .iter()
        .filter_map(|v| v.summary.as_ref()?.event.as_ref().map(|e| e.date.as_str()))
        .collect();
    dates.sort_unstable();
    let period = (
        dates.first().unwrap_or(&"").to_string(),
        dates.last().unwrap_or(&"").to_string(),
    );
    Evaluations {
        total: views.len(),
        period,
        regions: by_region.len(),
        without: regiosync_types::Federation::shipped()
            .regions()
            .filter(|r| !by_region.contains_key(r))
            .collect(),
        latest,
        actions: actions.clone().count(),
        done: actions.clone().filter(|a| status(a) == "done").count(),
        overdue: actions.clone().filter(|a| a.overdue).count(),
        verified: [
            verified("effective"),
            verified("partly_effective"),
            verified("not_effective"),
        ],
        reported_to_board: views
            .iter()
            .filter(|v| v.summary.as_ref().is_some_and(|s| !s.reported_to_board.is_empty()))
            .count(),
    }
}
