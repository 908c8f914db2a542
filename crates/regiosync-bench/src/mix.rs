//! The records of the query benchmark: a realistic country of 25 regions at N records, every
//! record valid under the record rules (code list version 2, authors `operator:VRxx:bench`).
//!
//! - capacity reports: hourly per region back from now (about 4.5 years at 1,000,000 records),
//!   15 to 20 resource types each; about 1 in 97 is an exercise report and 1 in 389 a test
//!   report (never counted); VR07 and VR19 stopped reporting three days ago, so their newest
//!   report is stale;
//! - evaluation summaries: 40 per region over ten years, all eight areas rated, 1 to 3 actions;
//! - agreements between neighbours (shipped neighbour map), some with three parties, some
//!   amended to a second or third version, signed by every party, or left partly signed,
//!   proposed, rejected, withdrawn (in effect or pending), revoked, expired or expiring soon.
//!
//! Below 10,000 records evaluations and agreements shrink in proportion; capacity fills the
//! rest. Everything is a pure function of N and `now`.
//!
//! Creation times: a receiver accepts an entry only if it was created while its origin's key
//! was valid, and the throwaway CA's node certificates are valid from one day before they are
//! issued. So each record's *creation* moment (the envelope's `created_unix_ms`) is the
//! timeline above squeezed, in order, into the last 22 hours, as if every region had imported
//! its history under its current key; the *content* (as_of, event and board dates, agreement
//! validity) keeps its years. Signatures therefore make versions active within the last day,
//! and the withdrawals that must already be in effect give 0 days' notice.
use std::collections::BTreeMap;

use anyhow::{bail, Result};
use prost::Message;
use regiosync_records::{calendar, kinds, pb, time};
use regiosync_types::pb::Status;
use regiosync_types::{Federation, NodeId};
use serde::Serialize;

mod agreements;

const HOUR: i64 = 3_600_000;
const DAY: i64 = time::MS_PER_DAY;
/// Creation times are squeezed into this window before now (see the module header).
const CREATED_WINDOW_MS: i64 = 22 * HOUR;
/// Regions whose newest capacity report is stale.
pub const STALE: [u8; 2] = [7, 19];
/// Every region reports these (the questions ask about TS).
const COMMON: [&str; 6] = ["TS", "HV", "WO", "DT", "AMB", "OvD-B"];
/// The other resource types of code list version 2, space separated.
const MORE: &str = "AL HW SW GWT NBV ABV RV SB HA CoPI-UNIT USAR DRONE OR BV GPT MPGS OE CBRN-VK HOvD CvD AGS \
    OvD-G CaCo L-CoPI OL IM-CoPI IM-ROT IM-BT CA AC-B AC-GZ AC-BZ OvD-BZ MMT GNK SIGMA BED-IC BED-IC-KIND \
    BED-SEH BED-KLIN BED-BRW BED-ISO OPV EVAC-BUS EVAC-ROL";
/// Topic of an agreement: (name, hazard, resource type).
const TOPICS: [(&str, &str, &str); 6] = [
    ("waterongevallen", "water_rescue", "WO"),
    ("brandbestrijding", "fire_industrial", "TS"),
    ("ambulancezorg", "mass_casualty", "AMB"),
    ("evacuatie", "evacuation", "HV"),
    ("gevaarlijke-stoffen", "hazmat_release", "DT"),
    ("natuurbrand", "wildfire", "TS"),
];

/// One record to publish as its origin, before it has a seq.
pub struct Planned {
    pub created_ms: i64,
    pub status: Status,
    pub kind: &'static str,
    pub audience: Vec<String>,
    pub payload: Vec<u8>,
}

/// How many records of each sort.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Mix {
    pub capacity_actual: u64,
    pub capacity_exercise_or_test: u64,
    pub evaluations: u64,
    /// Distinct agreement ids, and the agreement records (versions) about them.
    pub agreements: u64,
    pub agreement_versions: u64,
    /// Signatures, rejections, withdrawals and revocations.
    pub agreement_acts: u64,
}

pub struct Plan {
    now_ms: i64,
    /// The oldest creation moment on the unsqueezed timeline.
    first_ms: i64,
    others: BTreeMap<NodeId, Vec<Planned>>,
    capacity: BTreeMap<NodeId, u64>,
    pub mix: Mix,
}

impl Plan {
    pub fn new(n: u64, now_ms: i64) -> Result<Plan> {
        let scale = (n as f64 / 10_000.0).min(1.0);
        let evaluations = ((40.0 * scale).round() as u64).max(2);
        let agreement_ids = ((220.0 * scale).round() as u64).max(8);
        let mut plan = Plan {
            now_ms,
            first_ms: now_ms,
            others: BTreeMap::new(),
            capacity: BTreeMap::new(),
            mix: Mix::default(),
        };
        for r in Federation::shipped().regions() {
            for j in 0..evaluations {
                let e = plan.evaluation(r, j, evaluations);
                plan.add(r, e);
                plan.mix.evaluations += 1;
            }
        }
        plan.agreements(agreement_ids)?;
        let others: u64 = plan.others.values().map(|v| v.len() as u64).sum();
        if n < others + 25 * 2 {
            bail!("{n} records is too few for the mix (at least {})", others + 50);
        }
        let capacity = n - others;
        for (i, r) in Federation::shipped().regions().enumerate() {
            let c = capacity / 25 + u64::from((i as u64) < capacity % 25);
            for k in 0..c {
                match report_status(k, c) {
                    Status::Actual => plan.mix.capacity_actual += 1,
                    _ => plan.mix.capacity_exercise_or_test += 1,
                }
            }
            plan.capacity.insert(r, c);
            if c > 0 {
                plan.first_ms = plan.first_ms.min(plan.capacity_report(r, 0, c).created_ms);
            }
        }
        let oldest_other = plan.others.values().flatten().map(|p| p.created_ms).min();
        plan.first_ms = plan.first_ms.min(oldest_other.unwrap_or(now_ms));
        Ok(plan)
    }

    /// Every record of `region`, oldest first (taken out of the plan).
    pub fn take_region(&mut self, region: NodeId) -> Vec<Planned> {
        let c = self.capacity.get(&region).copied().unwrap_or(0);
        let mut out = self.others.remove(&region).unwrap_or_default();
        out.reserve(c as usize);
        out.extend((0..c).map(|k| self.capacity_report(region, k, c)));
        out.sort_by_key(|p| p.created_ms);
        for p in &mut out {
            p.created_ms = self.squeezed(p.created_ms);
        }
        out
    }

    /// A moment of the timeline mapped, in order, into the last 22 hours; never earlier than
    /// it was (the timeline ends before `now - 1 s`), so no content date moves after it.
    fn squeezed(&self, ms: i64) -> i64 {
        let to = self.now_ms - 1000;
        let from = (self.now_ms - CREATED_WINDOW_MS).max(self.first_ms);
        let span = i128::from((to - self.first_ms).max(1));
        let offset = i128::from(ms - self.first_ms) * i128::from(to - from) / span;
        from + offset as i64
    }

    fn add(&mut self, origin: NodeId, p: Planned) {
        self.others.entry(origin).or_default().push(p);
    }

    /// Report `k` of `count` of `region` (or of a partner, about itself), hourly, the newest
    /// (k = count - 1) half an hour ago.
    pub fn capacity_report(&self, region: NodeId, k: u64, count: u64) -> Planned {
        let r = u64::from(region.region_number().unwrap_or(0));
        let newest = if STALE.contains(&region.region_number().unwrap_or(0)) {
            self.now_ms - 3 * DAY
        } else {
            self.now_ms - HOUR / 2
        };
        let as_of = newest - (count - 1 - k) as i64 * HOUR;
        let more: Vec<&str> = MORE.split_whitespace().collect();
        let extra = 9 + (r as usize % 6);
        let types = COMMON
            .iter()
            .copied()
            .chain((0..extra).map(|i| more[(r as usize * 7 + i) % more.len()]));
        let entries = types
            .enumerate()
            .map(|(t, code)| {
                let b = 2 + (mixed(&[r, t as u64]) % 40) as u32;
                let oos = (mixed(&[r, t as u64, k, 1]) % u64::from(b / 5 + 1)) as u32;
                let committed = (mixed(&[r, t as u64, k, 2]) % u64::from(b / 3 + 1)) as u32;
                let available = b - oos - committed;
                let status = match available {
                    0 => "critical",
                    a if a * 2 < b => "reduced",
                    _ => "normal",
                };
                let surge = t % 3 == 0;
                pb::CapacityEntry {
                    resource_type: code.into(),
                    baseline: b,
                    available,
                    committed,
                    out_of_service: oos,
                    surge_24h: surge.then_some(b / 4),
                    surge_72h: surge.then_some(b / 2),
                    status: status.into(),
                    remarks: String::new(),
                }
            })
            .collect();
        let report = pb::CapacityReport {
            region: region.to_string(),
            as_of: time::format_moment(as_of),
            valid_until: time::format_moment(as_of + 24 * HOUR),
            code_list_version: 2,
            entries,
            remarks: String::new(),
            author: author(region),
        };
        Planned {
            created_ms: as_of + 5 * 60_000,
            status: report_status(k, count),
            kind: kinds::CAPACITY_REPORT,
            audience: audience(&[region]),
            payload: report.encode_to_vec(),
        }
    }

    /// Evaluation `j` of `count` of `region`, spread over the ten years before today.
    fn evaluation(&self, region: NodeId, j: u64, count: u64) -> Planned {
        let r = u64::from(region.region_number().unwrap_or(0));
        let today = calendar::day_of(self.now_ms);
        let event_day = (today - 3650 + (j * 3650 / count) as i64 + (r * 13 % 40) as i64).min(today - 2);
        let created_day = (event_day + 45).min(today - 1);
        let h = |salt: u64| mixed(&[r, j, salt]);
        let rating = |a: usize| match h(10 + a as u64) % 20 {
            0..=4 => "P",
            5..=12 => "S",
            13..=16 => "M",
            17..=18 => "U",
            _ => "NO",
        };
        let kind = if j % 3 == 1 { "exercise" } else { "incident" };
        let hazard = TOPICS[(h(1) % TOPICS.len() as u64) as usize].1;
        let actions = (0..1 + h(2) % 3)
            .map(|a| {
                let due = event_day + 90 + a as i64 * 30;
                let status = match (due < today - 30, h(20 + a) % 4) {
                    (true, 0) | (false, 0 | 1) => "open",
                    (false, 2) => "in_progress",
                    _ => "done",
                };
                pb::ImprovementAction {
                    action_id: format!("A{}", a + 1),
                    area: regiosync_records::CodeLists::rated_areas()
                        [((j + a) % regiosync_records::CodeLists::rated_areas().len() as u64) as usize]
                        .into(),
                    description: "Oefenen van de informatie-uitwisseling tussen CoPI en ROT".into(),
                    owner: "Hoofd informatiemanagement".into(),
                    due: time::format_date(due),
                    status: status.into(),
                }
            })
            .collect();
        let summary = pb::EvaluationSummary {
            region: region.to_string(),
            code_list_version: 2,
            event: Some(pb::Event {
                name: format!(
                    "{} {hazard} {}",
                    if kind == "exercise" { "Oefening" } else { "Incident" },
                    j + 1
                ),
                kind: kind.into(),
                date: time::format_date(event_day),
                hazard: hazard.into(),
                highest_escalation: ["GRIP1", "GRIP2", "GRIP3", "OPERATIONEEL"][(h(3) % 4) as usize].into(),
            }),
            evaluator: "Lectoraat Crisisbeheersing IFV".into(),
            method: [
                "self_assessment",
                "peer_review",
                "external_review",
                "after_action_review",
            ][(h(4) % 4) as usize]
                .into(),
            ratings: (0..8)
                .map(|a| pb::AreaRating {
                    area: regiosync_records::CodeLists::rated_areas()[a].into(),
                    rating: rating(a).into(),
                    note: String::new(),
                })
                .collect(),
            strengths: vec!["Snelle alarmering van de CoPI".into()],
            areas_for_improvement: vec!["Beeldvorming tussen CoPI en ROT".into()],
            actions,
            reported_to_board: if (j * 7 + r).is_multiple_of(9) {
                String::new()
            } else {
                time::format_date((event_day + 30).min(created_day))
            },
            verifies: Vec::new(),
            author: author(region),
            corrects: String::new(),
        };
        Planned {
            created_ms: calendar::day_start(created_day) + 10 * HOUR,
            status: Status::Actual,
            kind: kinds::EVALUATION_SUMMARY,
            audience: audience(&[region]),
            payload: summary.encode_to_vec(),
        }
    }
}

/// Exercise and test reports among the hourly series; the newest report is always actual.
fn report_status(k: u64, count: u64) -> Status {
    match (k + 1 == count, k % 97, k % 389) {
        (true, _, _) => Status::Actual,
        (_, 50, _) => Status::Exercise,
        (_, _, 200) => Status::Test,
        _ => Status::Actual,
    }
}

fn author(region: NodeId) -> String {
    format!("operator:{region}:bench")
}

/// NL and `parties`, as an entry's audience lists them.
fn audience(parties: &[NodeId]) -> Vec<String> {
    std::iter::once(NodeId::NL.to_string())
        .chain(parties.iter().map(|p| p.to_string()))
        .collect()
}

use regiosync_types::rng::mix as mixed;
