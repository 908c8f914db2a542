//! Question 5: one region's "in control" card — how its areas developed over its last two
//! evaluations, which improvement actions are still open, when the board was last informed and
//! how fresh its capacity data is.
use std::cmp::{Ordering, Reverse};

use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use super::{actual_evaluations, code_name, stale};
use crate::calendar;
use crate::codes::{list, CodeLists};
use crate::evaluation;
use crate::pb;
use crate::record::{Payload, Record};
use crate::time;

/// What an action's verification must say for it to count as closed.
const EFFECTIVE: &str = "effective";
/// The action status of a finished action.
const DONE: &str = "done";

/// The card of `region` over its actual evaluations among `evaluations` (others are ignored),
/// newest first by (event date, created, seq):
/// - per rated area (order of the newest list): the rating in the newest evaluation that rates
///   it and in the one before, the trend between them when both are P, S, M or U (P best), and
///   whether both were M or U;
/// - open actions: not done and not verified effective by a later evaluation, newest
///   evaluation first, in the order each evaluation lists them; `overdue` counts those past due;
/// - the newest `reported_to_board` date and the Dutch days since, the newest event evaluated,
///   how many evaluations;
/// - capacity freshness from `capacity`, the region's actual capacity aggregate, if given.
pub fn in_control(
    region: NodeId,
    evaluations: &[Record],
    capacity: Option<&pb::CapacityLatest>,
    now_ms: i64,
) -> pb::InControlCard {
    let mut mine = actual_evaluations(region, evaluations);
    mine.sort_by_key(|(r, s)| Reverse((event_day(s), r.created_unix_ms, r.seq)));
    let mut card = pb::InControlCard {
        region: region.to_string(),
        evaluations: u32::try_from(mine.len()).unwrap_or(u32::MAX),
        latest_event_date: mine
            .first()
            .and_then(|(_, s)| s.event.as_ref())
            .map(|e| e.date.clone())
            .unwrap_or_default(),
        board_last_informed: mine
            .iter()
            .map(|(_, s)| s.reported_to_board.as_str())
            .filter(|d| time::parse_date("reported_to_board", d).is_ok())
            .max()
            .unwrap_or_default()
            .to_string(),
        ..Default::default()
    };
    let codes = CodeLists::shipped().latest();
    card.areas = codes
        .codes(list::RATED_AREAS)
        .into_iter()
        .map(|(area, _)| area_trend(area, &mine))
        .collect();
    let counted = |v: &pb::EvaluationView| {
        let m = v.record.as_ref();
        v.state == evaluation::CURRENT && m.is_some_and(|m| m.origin == region.to_string() && m.status == "actual")
    };
    let mut views = evaluation::views(evaluations, now_ms);
    views.retain(counted);
    views.sort_by_key(|v| {
        let m = v.record.clone().unwrap_or_default();
        let day = v.summary.as_ref().and_then(event_day);
        Reverse((day, m.created_unix_ms, m.seq))
    });
    card.open_actions = views
        .into_iter()
        .flat_map(|v| v.actions)
        .filter(|a| a.action.as_ref().is_some_and(|a| a.status != DONE) && a.verified != EFFECTIVE)
        .collect();
    card.overdue = u32::try_from(card.open_actions.iter().filter(|a| a.overdue).count()).unwrap_or(u32::MAX);
    if let Ok(informed) = time::parse_date("board_last_informed", &card.board_last_informed) {
        let days = calendar::day_of(now_ms) - informed;
        card.board_days_ago = u32::try_from(days.max(0)).unwrap_or(u32::MAX);
    }
    if let Some((as_of, is_stale)) = capacity.and_then(|c| capacity_freshness(region, c, now_ms)) {
        card.capacity_as_of = as_of;
        card.capacity_stale = is_stale;
    }
    card
}

/// The event's day; `None` (oldest) when it does not read as a date.
fn event_day(s: &pb::EvaluationSummary) -> Option<i64> {
    let date = s.event.as_ref().map_or("", |e| e.date.as_str());
    time::parse_date("event.date", date).ok()
}

fn area_trend(area: &str, newest_first: &[(&Record, &pb::EvaluationSummary)]) -> pb::AreaTrend {
    let mut ratings = newest_first
        .iter()
        .filter_map(|(_, s)| s.ratings.iter().find(|r| r.area == area))
        .map(|r| r.rating.clone());
    let latest = ratings.next().unwrap_or_default();
    let previous = ratings.next().unwrap_or_default();
    let trend = match (scale(&latest), scale(&previous)) {
        (Some(now), Some(before)) => match now.cmp(&before) {
            Ordering::Less => "better",
            Ordering::Greater => "worse",
            Ordering::Equal => "same",
        },
        _ => "",
    };
    pb::AreaTrend {
        area: area.into(),
        name: code_name(list::RATED_AREAS, area),
        weak_twice: is_weak(&latest) && is_weak(&previous),
        trend: trend.into(),
        latest,
        previous,
    }
}

/// Place on the four-point scale, best first; `None` for "not observed" or no rating.
fn scale(rating: &str) -> Option<u8> {
    match rating {
        "P" => Some(0),
        "S" => Some(1),
        "M" => Some(2),
        "U" => Some(3),
        _ => None,
    }
}

/// Major challenges or unable to perform.
fn is_weak(rating: &str) -> bool {
    matches!(rating, "M" | "U")
}

/// (as_of, stale) of the region's actual capacity report, if the aggregate holds one.
fn capacity_freshness(region: NodeId, c: &pb::CapacityLatest, now_ms: i64) -> Option<(String, bool)> {
    let record = Record::from_held(c.record.as_ref()?).ok()??;
    if record.origin != region || record.status != Status::Actual {
        return None;
    }
    match &record.payload {
        Payload::Capacity(report) => Some((report.as_of.clone(), stale(report, now_ms))),
        _ => None,
    }
}
