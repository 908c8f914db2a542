//! The national picture for the terminal (compact tables) and as JSON (`--json`).
use std::collections::BTreeMap;

use regiosync_client::render::table::{Table, CAPACITY_COLUMNS};
use regiosync_client::render::time::utc;
use regiosync_client::render::{agreement_state, code_name, moment_str, num};
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::codes::list;
use regiosync_types::NodeId;
use serde_json::json;

use super::people::COORDINATOR;
use super::picture::{ratings, Picture, STATES};

pub fn named(names: &BTreeMap<NodeId, String>, n: &NodeId) -> String {
    format!("{n} {}", names.get(n).cloned().unwrap_or_default())
}

/// The picture as text, for the terminal, in `lang`.
pub fn text(p: &Picture, names: &BTreeMap<NodeId, String>, lang: Lang) -> String {
    let c = Catalog::of(lang);
    let t = |id: &str, args: Args| c.t(id, &args);
    let n = |v: u64| num(lang, v);
    let mut out = String::new();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            c.s("cmd-demo-pic-none")
        } else {
            items.join(", ")
        }
    };
    let cap = &p.capacity;
    out.push('\n');
    out.push_str(&t(
        "cmd-demo-pic-capacity",
        Args::new()
            .text("who", COORDINATOR)
            .count(lang, "reports", cap.counted as i64),
    ));
    out.push('\n');
    let columns = [
        &["cmd-demo-pic-code", "cli-col-resource-type", "cli-col-regions"][..],
        &CAPACITY_COLUMNS[..],
    ]
    .concat();
    let mut table = Table::of(lang, &columns).right(&[2, 3, 4, 5, 6, 7, 8]);
    for r in &cap.totals {
        table.row(vec![
            r.resource_type.clone(),
            code_name(lang, 0, list::RESOURCE_TYPES, &r.resource_type),
            n(r.regions),
            n(r.baseline),
            n(r.available),
            n(r.committed),
            n(r.out_of_service),
            n(r.surge_24h),
            n(r.surge_72h),
        ]);
    }
    out.push_str(&table.render());
    let stale = cap.stale.iter().map(|(r, _, until)| {
        t(
            "cmd-demo-pic-valid-until",
            Args::new()
                .text("region", named(names, r))
                .text("until", moment_str(lang, until)),
        )
    });
    out.push_str(&t(
        "cmd-demo-pic-not-counted",
        Args::new()
            .text("stale", list(stale.collect()))
            .text("exercise", list(cap.exercise.iter().map(|r| named(names, r)).collect()))
            .text("missing", list(cap.missing.iter().map(|r| named(names, r)).collect())),
    ));
    out.push('\n');
    let superseded = cap.superseded.iter().map(|(r, k)| {
        t(
            "cmd-demo-pic-older",
            Args::new().text("region", named(names, r)).count(lang, "n", *k as i64),
        )
    });
    out.push_str(&t(
        "cmd-demo-pic-superseded",
        Args::new().text("list", list(superseded.collect())),
    ));
    out.push('\n');

    let a = &p.agreements;
    out.push('\n');
    out.push_str(&t(
        "cmd-demo-pic-agreements",
        Args::new().count(lang, "n", a.total as i64),
    ));
    out.push_str("\n  ");
    let states: Vec<String> = STATES
        .iter()
        .map(|s| format!("{} {}", agreement_state(lang, s), n(a.by_state[s] as u64)))
        .collect();
    out.push_str(&states.join(" · "));
    let expiring = a.expiring_soon.iter().map(|(id, days)| {
        t(
            "cmd-demo-pic-days-left",
            Args::new().text("id", id.clone()).count(lang, "days", *days),
        )
    });
    let withdrawing = a.withdrawal_pending.iter().map(|(id, party, at)| {
        t(
            "cmd-demo-pic-withdrawing",
            Args::new()
                .text("id", id.clone())
                .text("party", party.to_string())
                .text("date", moment_str(lang, &utc(*at)[..10])),
        )
    });
    let amending = a.amendment_pending.iter().map(|(id, v)| format!("{id} v{v}"));
    out.push('\n');
    for (id, items) in [
        ("cmd-demo-pic-expiring", list(expiring.collect())),
        ("cmd-demo-pic-withdrawal-pending", list(withdrawing.collect())),
        ("cmd-demo-pic-amendment-pending", list(amending.collect())),
    ] {
        out.push_str("  ");
        out.push_str(&t(id, Args::new().text("list", items)));
        out.push('\n');
    }

    let e = &p.evaluations;
    out.push('\n');
    out.push_str(&t(
        "cmd-demo-pic-evaluations",
        Args::new()
            .count(lang, "n", e.total as i64)
            .count(lang, "regions", e.regions as i64)
            .text("from", moment_str(lang, &e.period.0))
            .text("to", moment_str(lang, &e.period.1))
            .text("without", list(e.without.iter().map(|r| named(names, r)).collect())),
    ));
    out.push('\n');
    out.push_str(&c.s("cmd-demo-pic-latest-ratings"));
    out.push('\n');
    let mut header = vec![c.s("cli-col-area")];
    header.extend(ratings().iter().map(|r| r.to_string()));
    header.push(c.s("cmd-demo-pic-twice"));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&header).right(&(1..=ratings().len()).collect::<Vec<_>>());
    for (area, (counts, twice)) in regiosync_records::CodeLists::rated_areas().iter().zip(&e.latest) {
        let mut row = vec![code_name(lang, 0, list::RATED_AREAS, area)];
        row.extend(counts.iter().map(|k| n(*k as u64)));
        row.push(twice.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" "));
        table.row(row);
    }
    out.push_str(&table.render());
    out.push_str(&t(
        "cmd-demo-pic-actions",
        Args::new()
            .count(lang, "n", e.actions as i64)
            .count(lang, "done", e.done as i64)
            .count(lang, "overdue", e.overdue as i64)
            .count(lang, "effective", e.verified[0] as i64)
            .count(lang, "partly", e.verified[1] as i64)
            .count(lang, "not_effective", e.verified[2] as i64),
    ));
    out.push('\n');
    out.push_str(&t(
        "cmd-demo-pic-board",
        Args::new()
            .count(lang, "reported", e.reported_to_board as i64)
            .count(lang, "n", e.total as i64),
    ));
    out.push('\n');
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
            json!({"resource_type": t.resource_type, "name": code_name(Lang::Nl, 0, list::RESOURCE_TYPES, &t.resource_type), "regions": t.regions,
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
