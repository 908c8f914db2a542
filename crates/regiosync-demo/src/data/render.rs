//! The national picture for the terminal (compact tables) and as JSON (`--json`).
use std::collections::BTreeMap;

use regiosync_client::render::table::Table;
use regiosync_client::render::time::utc;
use regiosync_records::codes::list;
use regiosync_records::CodeLists;
use regiosync_types::NodeId;
use serde_json::json;

use super::people::COORDINATOR;
use super::picture::{ratings, Picture, STATES};

pub fn named(names: &BTreeMap<NodeId, String>, n: &NodeId) -> String {
    format!("{n} {}", names.get(n).cloned().unwrap_or_default())
}

fn resource_name(code: &str) -> String {
    let lists = CodeLists::shipped().latest();
    lists
        .get(list::RESOURCE_TYPES, code)
        .map_or_else(String::new, |c| c.name.clone())
}

/// The picture as text, for the terminal.
pub fn text(p: &Picture, names: &BTreeMap<NodeId, String>) -> String {
    let mut out = String::new();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    let c = &p.capacity;
    out.push_str(&format!(
        "\nNational capacity at NL ({COORDINATOR}, Records.ListCapacity): sum of the {} current actual reports\n",
        c.counted
    ));
    let mut t = Table::new(&[
        "type",
        "resource",
        "regions",
        "baseline",
        "available",
        "committed",
        "out of service",
        "+24h",
        "+72h",
    ])
    .right(&[2, 3, 4, 5, 6, 7, 8]);
    for r in &c.totals {
        t.row(vec![
            r.resource_type.clone(),
            resource_name(&r.resource_type),
            r.regions.to_string(),
            r.baseline.to_string(),
            r.available.to_string(),
            r.committed.to_string(),
            r.out_of_service.to_string(),
            r.surge_24h.to_string(),
            r.surge_72h.to_string(),
        ]);
    }
    out.push_str(&t.render());
    let stale = c
        .stale
        .iter()
        .map(|(r, _, until)| format!("{} (valid until {until})", named(names, r)));
    out.push_str(&format!("not counted: stale {}", list(stale.collect())));
    out.push_str(&format!(
        "; exercise {}",
        list(c.exercise.iter().map(|r| named(names, r)).collect())
    ));
    out.push_str(&format!(
        "; missing {}\n",
        list(c.missing.iter().map(|r| named(names, r)).collect())
    ));
    let superseded = c
        .superseded
        .iter()
        .map(|(r, k)| format!("{} ({k} older report)", named(names, r)));
    out.push_str(&format!(
        "superseded by a newer report: {}\n",
        list(superseded.collect())
    ));

    let a = &p.agreements;
    out.push_str(&format!("\nAgreements at NL (Records.ListAgreements): {}\n  ", a.total));
    let states: Vec<String> = STATES
        .iter()
        .map(|s| format!("{} {}", s.replace('_', " "), a.by_state[s]))
        .collect();
    out.push_str(&states.join(" · "));
    let expiring = a
        .expiring_soon
        .iter()
        .map(|(id, days)| format!("{id} ({days} days left)"));
    let withdrawing = a
        .withdrawal_pending
        .iter()
        .map(|(id, party, at)| format!("{id} (by {party}, takes effect {})", &utc(*at)[..10]));
    let amending = a.amendment_pending.iter().map(|(id, v)| format!("{id} v{v}"));
    out.push_str(&format!(
        "\n  active and expiring within 60 days: {}\n",
        list(expiring.collect())
    ));
    out.push_str(&format!(
        "  active, withdrawal pending: {}\n",
        list(withdrawing.collect())
    ));
    out.push_str(&format!(
        "  active, amendment awaiting signatures: {}\n",
        list(amending.collect())
    ));

    let e = &p.evaluations;
    out.push_str(&format!(
        "\nEvaluations at NL (Records.ListEvaluations): {} from {} regions, events {} to {}; none from {}\n",
        e.total,
        e.regions,
        e.period.0,
        e.period.1,
        list(e.without.iter().map(|r| named(names, r)).collect())
    ));
    out.push_str("ratings in the latest evaluation of each region:\n");
    let mut header = vec!["area"];
    header.extend(ratings());
    header.push("M/U twice in a row");
    let mut t = Table::new(&header).right(&(1..=ratings().len()).collect::<Vec<_>>());
    for (area, (counts, twice)) in regiosync_records::CodeLists::rated_areas().iter().zip(&e.latest) {
        let mut row = vec![area.to_string()];
        row.extend(counts.iter().map(|n| n.to_string()));
        row.push(twice.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" "));
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "improvement actions: {} ({} done, {} open and overdue); verified by a later evaluation: {} effective, {} partly, {} not effective\n",
        e.actions, e.done, e.overdue, e.verified[0], e.verified[1], e.verified[2]
    ));
    out.push_str(&format!(
        "reported to the regional board: {} of {} evaluations\n",
        e.reported_to_board, e.total
    ));
    out
}

/// The picture as JSON: `national_capacity`, `agreements` and `evaluations`.
pub fn json(p: &Picture, names: &BTreeMap<NodeId, String>) -> serde_json::Value {
    let region = |r: &NodeId| json!({"region": r.to_string(), "name": names.get(r)});
    let c = &p.capacity;
    let totals: Vec<_> = c
        .totals
        .iter()
        .map(|t| {
            json!({"resource_type": t.resource_type, "name": resource_name(&t.resource_type), "regions": t.regions,
            "baseline": t.baseline, "available": t.available, "committed": t.committed,
            "out_of_service": t.out_of_service, "surge_24h": t.surge_24h, "surge_72h": t.surge_72h})
        })
        .collect();
    let a = &p.agreements;
    let e = &p.evaluations;
    let areas: Vec<_> = regiosync_records::CodeLists::rated_areas()
        .iter()
        .zip(&e.latest)
        .map(|(area, (counts, twice))| {
            let dist: serde_json::Map<String, serde_json::Value> =
                ratings().iter().zip(counts).map(|(r, n)| (r.to_string(), json!(n))).collect();
            json!({"area": area, "ratings": dist, "weak_twice_in_a_row": twice.iter().map(|r| r.to_string()).collect::<Vec<_>>()})
        })
        .collect();
    json!({
        "national_capacity": {
            "reports_counted": c.counted,
            "totals": totals,
            "stale": c.stale.iter().map(|(r, as_of, until)| json!({"region": r.to_string(), "name": names.get(r), "as_of": as_of, "valid_until": until})).collect::<Vec<_>>(),
            "exercise_excluded": c.exercise.iter().map(region).collect::<Vec<_>>(),
            "missing": c.missing.iter().map(region).collect::<Vec<_>>(),
            "superseded": c.superseded.iter().map(|(r, k)| json!({"region": r.to_string(), "older_reports": k})).collect::<Vec<_>>(),
        },
        "agreements": {
            "total": a.total,
            "by_state": a.by_state,
            "expiring_soon": a.expiring_soon.iter().map(|(id, d)| json!({"agreement_id": id, "days_left": d})).collect::<Vec<_>>(),
            "withdrawal_pending": a.withdrawal_pending.iter().map(|(id, party, at)| json!({"agreement_id": id, "party": party, "effective_unix_ms": at})).collect::<Vec<_>>(),
            "amendment_pending": a.amendment_pending.iter().map(|(id, v)| json!({"agreement_id": id, "version": v})).collect::<Vec<_>>(),
        },
        "evaluations": {
            "total": e.total,
            "regions": e.regions,
            "first_event": e.period.0,
            "last_event": e.period.1,
            "regions_without": e.without.iter().map(region).collect::<Vec<_>>(),
            "latest_per_region_by_area": areas,
            "actions": {"total": e.actions, "done": e.done, "overdue": e.overdue,
                "verified": {"effective": e.verified[0], "partly_effective": e.verified[1], "not_effective": e.verified[2]}},
            "reported_to_board": e.reported_to_board,
        },
    })
}
