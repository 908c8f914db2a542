//! Evaluation summaries: for most regions one to three evaluated incidents and exercises in
//! 2025 and 2026, rated on the eight areas with a plausible spread (information management
//! and crisis communication weaker on the whole, a few regions with the same weakness twice in
//! a row), with strengths, areas for improvement and improvement actions, most reported to the
//! regional board, and later evaluations that verify the actions of the one before.
use std::collections::BTreeMap;

use regiosync_records::pb::{ActionVerification, AreaRating, EvaluationSummary, Event, ImprovementAction};
use regiosync_records::time;
use regiosync_types::NodeId;

use super::eval_texts::{ACTIONS, AREA_BIAS, EVENTS, IMPROVEMENTS, OWNERS, PLACES, STRENGTHS, WEAK_NOTES};
use super::{day, number, today, Rng, NO_EVALUATION};

/// Regions with the same weakness in their last two evaluations: (region, area index, ratings).
const PERSISTENT: &[(u8, usize, [&str; 2])] = &[
    (2, 3, ["M", "M"]),
    (6, 2, ["M", "M"]),
    (11, 3, ["U", "M"]),
    (19, 4, ["M", "M"]),
    (23, 2, ["M", "U"]),
];

/// Regions that name coordination levels instead of GRIP numbers.
const COORDINATION_LEVELS: &[u8] = &[9, 13, 17];

const RATING: [&str; 4] = ["P", "S", "M", "U"];

/// One evaluation to submit.
pub struct Filing {
    pub summary: EvaluationSummary,
    /// Share with every region, not only NL (the region does so for its larger events).
    pub federation_wide: bool,
    /// Findings on actions of the region's previous filing; `evaluation_id` is left empty and
    /// filled in with that filing's record id once it has been submitted.
    pub verifies_previous: Vec<ActionVerification>,
}

/// The evaluations a region files, oldest event first.
pub fn filings(region: NodeId, now_ms: i64, names: &BTreeMap<NodeId, String>, neighbours: &[NodeId]) -> Vec<Filing> {
    let n = number(region);
    let mut rng = Rng::new(n, 300);
    let persistent = PERSISTENT.iter().find(|(r, _, _)| *r == n);
    let count = match n {
        NO_EVALUATION => 0,
        _ if persistent.is_some() => 2 + usize::from(rng.chance(40)),
        _ => 1 + (rng.next() % 3) as usize,
    };
    // (year, first month, last month) of each event.
    let slots: &[(i64, i64, i64)] = match count {
        0 => &[],
        1 if rng.chance(50) => &[(2025, 2, 11)],
        1 => &[(2026, 1, 10)],
        2 => &[(2025, 3, 11), (2026, 1, 10)],
        _ => &[(2025, 1, 5), (2025, 7, 12), (2026, 2, 10)],
    };
    // How well the region does in general: 0 = everything P, 1 = S on average.
    let base = 0.1 + 0.8 * rng.unit();
    let name = names.get(&region).cloned().unwrap_or_default();
    let latest_day = today(now_ms) - 7;
    let mut out: Vec<Filing> = Vec::new();
    for (i, &(year, m0, m1)) in slots.iter().enumerate() {
        let date = format!("{year}-{:02}-{:02}", rng.range(m0, m1), rng.range(1, 28));
        let event_day = day(&date).min(latest_day);
        let forced = persistent
            .filter(|_| i + 2 >= count)
            .map(|(_, area, ratings)| (*area, ratings[i + 2 - count]));
        let template = rng.pick(&EVENTS);
        let place = *rng.pick(&PLACES[usize::from(n) - 1]);
        let ratings = rate(&mut rng, base, template.kind == "exercise", template.grip, forced);
        let previous = out.last();
        let verifies = previous.map_or_else(Vec::new, |p| verify(p, &ratings, &template.name.replace("{}", place)));
        let summary = summary(
            &mut rng, n, &name, neighbours, names, event_day, template, place, &ratings, now_ms,
        );
        out.push(Filing {
            federation_wide: template.grip >= 3 || rng.chance(10),
            verifies_previous: verifies,
            summary,
        });
    }
    out
}

/// Ratings per area as levels 0..=3 (P, S, M, U) or `None` (not observed).
fn rate(rng: &mut Rng, base: f64, exercise: bool, grip: u8, forced: Option<(usize, &str)>) -> Vec<Option<usize>> {
    (0..regiosync_records::CodeLists::rated_areas().len())
        .map(|a| {
            if let Some((_, rating)) = forced.filter(|(area, _)| *area == a) {
                return RATING.iter().position(|r| *r == rating);
            }
            let not_observed = match regiosync_records::CodeLists::rated_areas()[a] {
                "melding_alarmering" => exercise && grip >= 3 && rng.chance(40),
                "overdracht_nafase" => grip <= 1 || (exercise && rng.chance(50)),
                "kwaliteitszorg" => rng.chance(20),
                "samenwerking" => grip == 0,
                _ => false,
            };
            if not_observed {
                return None;
            }
            let raw = base + AREA_BIAS[a] + 1.6 * (rng.unit() - 0.5);
            // U only when it really went wrong.
            Some(if raw >= 2.6 {
                3
            } else {
                raw.round().clamp(0.0, 2.0) as usize
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn summary(
    rng: &mut Rng,
    n: u8,
    region_name: &str,
    neighbours: &[NodeId],
    names: &BTreeMap<NodeId, String>,
    event_day: i64,
    template: &super::eval_texts::EventTemplate,
    place: &str,
    ratings: &[Option<usize>],
    now_ms: i64,
) -> EvaluationSummary {
    let today = today(now_ms);
    let escalation = escalation(n, template.grip);
    let (method, evaluator) = match rng.next() % 5 {
        _ if template.grip >= 4 && rng.chance(50) => ("inspectorate", "Inspectie Justitie en Veiligheid".to_string()),
        0 => ("external_review", "Lectoraat Crisisbeheersing IFV".to_string()),
        1 if !neighbours.is_empty() => {
            let peer = rng.pick(neighbours);
            let peer = names.get(peer).cloned().unwrap_or_default();
            (
                "peer_review",
                format!("Collegiale toetsing door Veiligheidsregio {peer}"),
            )
        }
        2 => (
            "after_action_review",
            format!("Nabespreking ROT Veiligheidsregio {region_name}"),
        ),
        _ => (
            "self_assessment",
            format!("Team kwaliteitszorg Veiligheidsregio {region_name}"),
        ),
    };
    let mut strengths = Vec::new();
    let mut improvements = Vec::new();
    let mut actions = Vec::new();
    let mut area_ratings = Vec::new();
    for (a, level) in ratings.iter().enumerate() {
        let note = match level {
            Some(2 | 3) => WEAK_NOTES[a].to_string(),
            Some(0) if rng.chance(30) => STRENGTHS[a][0].to_string(),
            _ => String::new(),
        };
        area_ratings.push(AreaRating {
            area: regiosync_records::CodeLists::rated_areas()[a].into(),
            rating: level.map_or("NO", |l| RATING[l]).into(),
            note,
        });
        let weak = matches!(level, Some(2 | 3)) || (*level == Some(1) && rng.chance(25));
        if *level == Some(0) && strengths.len() < 3 {
            strengths.push(rng.pick(&STRENGTHS[a]).to_string());
        }
        if weak {
            improvements.push(rng.pick(&IMPROVEMENTS[a]).to_string());
            actions.push(action(rng, a, actions.len() + 1, event_day, today));
        }
    }
    // Every evaluation sets at least one action: on an area with some challenges if any.
    if actions.is_empty() {
        if let Some(a) = ratings.iter().rposition(|l| *l == Some(1)) {
            improvements.push(rng.pick(&IMPROVEMENTS[a]).to_string());
            actions.push(action(rng, a, 1, event_day, today));
        }
    }
    if strengths.is_empty() {
        if let Some(a) = ratings.iter().position(|l| *l == Some(1)) {
            strengths.push(STRENGTHS[a][1].to_string());
        }
    }
    // Most evaluations reach the board six to fifteen weeks after the event; recent ones and a
    // few others have not (yet).
    let board = event_day + rng.range(42, 105);
    let reported_to_board = if board < today && rng.chance(85) {
        time::format_date(board)
    } else {
        String::new()
    };
    EvaluationSummary {
        // Empty region: the node fills in its own; empty author: from the certificate.
        region: String::new(),
        code_list_version: 0,
        event: Some(Event {
            name: template.name.replace("{}", place),
            kind: template.kind.into(),
            date: time::format_date(event_day),
            hazard: template.hazard.into(),
            highest_escalation: escalation.into(),
        }),
        evaluator,
        method: method.into(),
        ratings: area_ratings,
        strengths,
        areas_for_improvement: improvements,
        actions,
        reported_to_board,
        verifies: Vec::new(),
        author: String::new(),
        corrects: String::new(),
    }
}

/// An improvement action on area `a`, due two to nine months after the event; most of those
/// past due are done, not all.
fn action(rng: &mut Rng, a: usize, number: usize, event_day: i64, today: i64) -> ImprovementAction {
    let due = event_day + rng.range(60, 270);
    let status = if due < today {
        match rng.next() % 20 {
            0..=11 => "done",
            12..=16 => "in_progress",
            _ => "open",
        }
    } else {
        match rng.next() % 10 {
            0..=1 => "done",
            2..=6 => "in_progress",
            _ => "open",
        }
    };
    ImprovementAction {
        action_id: format!("A{number}"),
        area: regiosync_records::CodeLists::rated_areas()[a].into(),
        description: rng.pick(&ACTIONS[a]).to_string(),
        owner: OWNERS[a].into(),
        due: time::format_date(due),
        status: status.into(),
    }
}

/// The escalation code for a GRIP level as the region names it.
fn escalation(n: u8, grip: u8) -> &'static str {
    let named = COORDINATION_LEVELS.contains(&n);
    match (grip, named) {
        (2, true) => "OPERATIONEEL",
        (4, true) => "REGIONAAL",
        (5, true) => "BOVENREGIONAAL",
        (0, _) => "GRIP0",
        (1, _) => "GRIP1",
        (2, _) => "GRIP2",
        (3, _) => "GRIP3",
        (4, _) => "GRIP4",
        _ => "GRIP5",
    }
}

/// Findings on the previous filing's actions: what this event showed of the same area.
fn verify(previous: &Filing, ratings: &[Option<usize>], event: &str) -> Vec<ActionVerification> {
    previous
        .summary
        .actions
        .iter()
        .filter_map(|a| {
            let i = regiosync_records::CodeLists::rated_areas()
                .iter()
                .position(|x| *x == a.area)?;
            let (result, finding) = match (ratings[i]?, a.status.as_str()) {
                (0, _) => ("effective", "werkt aantoonbaar"),
                (1, "done") => ("effective", "uitgevoerd; nog kleine uitdagingen"),
                (1, _) => ("partly_effective", "deels uitgevoerd; verbetering zichtbaar"),
                (2, "done") => ("partly_effective", "uitgevoerd maar onvoldoende effect"),
                _ => ("not_effective", "geen verbetering zichtbaar"),
            };
            Some(ActionVerification {
                evaluation_id: String::new(),
                action_id: a.action_id.clone(),
                result: result.into(),
                note: format!("Getoetst bij {event}: {finding}"),
            })
        })
        .take(3)
        .collect()
}
