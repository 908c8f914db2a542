//! Question 3: agreement coverage — which regions are bound to each other, which neighbours
//! are not, what expires soon and what waits for signatures.
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use regiosync_types::NodeId;

use super::{in_force, is_actual};
use crate::agreement::state;
use crate::calendar;
use crate::pb;

/// Coverage over the actual agreements among `agreements` (views derived at `now_ms`; exercise
/// and test agreements are left out of every part of the answer):
/// - `pairs`: every pair of parties (a < b) of the version in force of each active agreement,
///   with those agreements (sorted by id), sorted by pair;
/// - `uncovered_neighbours`: the `neighbours` edges (in either order, each once) that no active
///   agreement binds, sorted;
/// - `expiring`: active agreements with at most `window_days` left (`days_left`, as derived),
///   fewest days first, then by id;
/// - `awaiting`: every agreement whose newest version is proposed or partially signed — also an
///   amendment pending while an older version is in force — with the parties yet to sign, the
///   moment the version was proposed and the Dutch calendar days since (0 on the day it was
///   proposed); longest waiting first, then by id;
/// - `by_state`: how many agreements are in each overall state;
/// - `window_days`: the window used.
pub fn agreement_coverage(
    agreements: &[pb::AgreementView],
    neighbours: &[(NodeId, NodeId)],
    window_days: i64,
    now_ms: i64,
) -> pb::AgreementCoverage {
    let counted: Vec<&pb::AgreementView> = agreements.iter().filter(|v| is_actual(v)).collect();
    let mut answer = pb::AgreementCoverage {
        window_days: u32::try_from(window_days.max(0)).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let mut pairs: BTreeMap<(NodeId, NodeId), BTreeSet<&str>> = BTreeMap::new();
    for &view in &counted {
        *answer.by_state.entry(view.state.clone()).or_default() += 1;
        if let Some(waiting) = awaiting(view, now_ms) {
            answer.awaiting.push(waiting);
        }
        if view.state != state::ACTIVE {
            continue;
        }
        if view.days_left <= window_days {
            answer.expiring.push(view.clone());
        }
        let Some(agreement) = in_force(view) else {
            continue;
        };
        let mut parties: Vec<NodeId> = agreement
            .parties
            .iter()
            .filter_map(|p| NodeId::parse_field("parties.region", &p.region).ok())
            .collect();
        parties.sort();
        parties.dedup();
        for (i, &a) in parties.iter().enumerate() {
            for &b in &parties[i + 1..] {
                pairs.entry((a, b)).or_default().insert(&view.agreement_id);
            }
        }
    }
    let edges: BTreeSet<(NodeId, NodeId)> = neighbours
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    answer.uncovered_neighbours = edges
        .into_iter()
        .filter(|edge| !pairs.contains_key(edge))
        .map(|(a, b)| pair(a, b, Vec::new()))
        .collect();
    answer.pairs = pairs
        .into_iter()
        .map(|((a, b), ids)| pair(a, b, ids.into_iter().map(String::from).collect()))
        .collect();
    answer
        .expiring
        .sort_by(|a, b| (a.days_left, &a.agreement_id).cmp(&(b.days_left, &b.agreement_id)));
    answer.awaiting.sort_by(|a, b| {
        (Reverse(a.waiting_days), a.proposed_unix_ms, &a.agreement_id).cmp(&(
            Reverse(b.waiting_days),
            b.proposed_unix_ms,
            &b.agreement_id,
        ))
    });
    answer
}

fn pair(a: NodeId, b: NodeId, agreements: Vec<String>) -> pb::CoveragePair {
    pb::CoveragePair {
        a: a.to_string(),
        b: b.to_string(),
        agreements,
    }
}

/// The newest version, when it still waits for signatures.
fn awaiting(view: &pb::AgreementView, now_ms: i64) -> Option<pb::AwaitingSignatures> {
    let newest = view.versions.last()?;
    if newest.state != state::PROPOSED && newest.state != state::PARTIALLY_SIGNED {
        return None;
    }
    let proposed = newest.record.as_ref().map_or(0, |m| m.created_unix_ms);
    let waiting = calendar::days_between(proposed, now_ms).max(0);
    Some(pb::AwaitingSignatures {
        agreement_id: view.agreement_id.clone(),
        version: newest.version,
        state: newest.state.clone(),
        unsigned: newest.unsigned.clone(),
        proposed_unix_ms: proposed,
        waiting_days: u32::try_from(waiting).unwrap_or(u32::MAX),
    })
}
