//! How `query assistance-open` and `query assistance --by region|agreement` are printed: the
//! open requests with what is committed and who has not answered; per region or agreement the
//! requests, fill rate (committed of requested units) and times to first offer / commitment /
//! answer in whole minutes (mean / median, with how many had none).
use regiosync_records::pb::{
    AssistanceByAgreement, AssistanceByRegion, DurationStats, OpenAssistance, RegionAssistance,
};

use super::print_table;
use crate::render::table::Table;
use crate::render::{region, when};

/// The open requests, oldest first.
pub fn print_open(a: &OpenAssistance) {
    out!("Open assistance requests (actual), oldest first");
    out!();
    if a.requests.is_empty() {
        out!("None.");
        return;
    }
    let mut t = Table::new(&[
        "request",
        "requester",
        "state",
        "lines (committed/requested)",
        "needed by",
        "open (min)",
        "asked",
        "not answered",
    ])
    .right(&[5]);
    for r in &a.requests {
        let lines: Vec<String> = r
            .lines
            .iter()
            .map(|l| format!("{} {}/{}", l.resource_type, l.committed, l.requested))
            .collect();
        t.row(vec![
            r.request_id.clone(),
            region(&r.requester),
            r.state.clone(),
            lines.join(", "),
            r.needed_by.clone(),
            r.open_minutes.to_string(),
            r.asked.join(" "),
            r.not_answered.join(" "),
        ]);
    }
    print_table(&t);
    out!("Requested {}", when(a.requests[0].requested_unix_ms));
}

/// Per region over the period.
pub fn print_by_region(a: &AssistanceByRegion) {
    out!(
        "Assistance per region, requests made {} up to {} (actual)",
        a.from,
        a.to
    );
    out!();
    let mut t = Table::new(&[
        "region",
        "made",
        "fill (committed/requested)",
        "first offer min",
        "first commitment min",
        "received",
        "answered",
        "provided/asked",
        "first answer min",
        "offers",
        "units offered",
        "declines",
    ])
    .right(&[1, 5, 6, 9, 10]);
    for r in &a.regions {
        let declines: Vec<String> = r.declines.iter().map(|d| format!("{} {}", d.reason, d.count)).collect();
        t.row(vec![
            region(&r.region),
            r.requests_made.to_string(),
            fill(r.units_committed, r.units_requested),
            minutes(r.first_offer.as_ref()),
            minutes(r.first_commitment.as_ref()),
            r.requests_received.to_string(),
            r.answered.to_string(),
            fill(r.units_provided, r.units_asked),
            minutes(r.first_answer.as_ref()),
            r.offers_made.to_string(),
            r.units_offered.to_string(),
            declines.join(", "),
        ]);
    }
    print_table(&t);
}

/// Per agreement over the period, then the active agreements never used.
pub fn print_by_agreement(a: &AssistanceByAgreement) {
    out!(
        "Assistance per agreement, requests made {} up to {} (actual)",
        a.from,
        a.to
    );
    out!();
    let mut t = Table::new(&[
        "agreement",
        "state",
        "requests",
        "fill (committed/requested)",
        "offers",
        "units offered",
        "partners' first offer min",
    ])
    .right(&[2, 4, 5]);
    for g in &a.agreements {
        t.row(vec![
            g.agreement_id.clone(),
            g.state.clone(),
            g.requests.to_string(),
            fill(g.units_committed, g.units_requested),
            g.offers.to_string(),
            g.units_offered.to_string(),
            minutes(g.first_offer.as_ref()),
        ]);
    }
    print_table(&t);
    out!();
    out!("Used: {}", list(&a.used));
    out!("Active, never used: {}", list(&a.never_used));
}

fn list(ids: &[String]) -> String {
    match ids {
        [] => "-".into(),
        ids => ids.join(", "),
    }
}

/// A region's assistance record, as the in-control card shows it.
pub fn card_lines(a: &RegionAssistance, from: &str, to: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "assistance asked",
            format!(
                "{} requests from {from} up to {to}, committed {}",
                a.requests_made,
                fill(a.units_committed, a.units_requested)
            ),
        ),
        (
            "assistance given",
            format!(
                "asked {} times, answered {}, provided {}, first answer after {} min (mean / median)",
                a.requests_received,
                a.answered,
                fill(a.units_provided, a.units_asked),
                minutes(a.first_answer.as_ref())
            ),
        ),
    ]
}

/// "5/13 (38%)"; "-" when nothing was requested.
fn fill(part: u64, whole: u64) -> String {
    match whole {
        0 => "-".into(),
        w => format!("{part}/{w} ({}%)", part * 100 / w),
    }
}

/// "18 / 10 (1 none)": mean / median in whole minutes (rounded down).
pub fn minutes(d: Option<&DurationStats>) -> String {
    let Some(d) = d else {
        return "-".into();
    };
    let without = match d.without {
        0 => String::new(),
        n => format!(" ({n} none)"),
    };
    match d.count {
        0 => format!("-{without}"),
        _ => format!("{} / {}{without}", d.mean_ms / 60_000, d.median_ms / 60_000),
    }
}
