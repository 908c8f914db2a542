//! How `query assistance-open` and `query assistance --by region|agreement` are printed: the
//! open requests with what is committed and who has not answered; per region or agreement the
//! requests, fill rate (committed of requested units) and times to first offer / commitment /
//! answer in whole minutes (mean / median, with how many had none).
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::pb::{
    AssistanceByAgreement, AssistanceByRegion, DurationStats, OpenAssistance, RegionAssistance,
};

use super::print_table;
use crate::render::records::assistance::lines;
use crate::render::table::Table;
use crate::render::{agreement_state, moment_str, num, region, state, when};

/// The open requests, oldest first.
pub fn print_open(lang: Lang, a: &OpenAssistance) {
    let c = Catalog::of(lang);
    out!("{}", c.s("cli-qa-open-title"));
    out!();
    if a.requests.is_empty() {
        out!("{}", c.s("cli-qa-none"));
        return;
    }
    let mut t = Table::of(
        lang,
        &[
            "cli-col-request",
            "cli-col-requester",
            "cli-col-state",
            "cli-col-lines",
            "cli-col-needed-by",
            "cli-col-open-min",
            "cli-col-asked",
            "cli-col-not-answered",
        ],
    )
    .right(&[5]);
    for r in &a.requests {
        t.row(vec![
            r.request_id.clone(),
            region(&r.requester),
            state(lang, "as-state", &r.state),
            lines(
                lang,
                r.lines.iter().map(|l| (&l.resource_type, l.committed, l.requested)),
            ),
            moment_str(lang, &r.needed_by),
            num(lang, r.open_minutes),
            r.asked.join(" "),
            r.not_answered.join(" "),
        ]);
    }
    print_table(&t);
    let at = Args::new().text("at", when(lang, a.requests[0].requested_unix_ms));
    out!("{}", c.t("cli-qa-requested", &at));
}

/// "requests made 1 jan. 2026 up to 1 jul. 2026 (actual)".
fn period(lang: Lang, id: &str, from: &str, to: &str) -> String {
    let args = Args::new()
        .text("from", moment_str(lang, from))
        .text("to", moment_str(lang, to));
    Catalog::of(lang).t(id, &args)
}

/// Per region over the period.
pub fn print_by_region(lang: Lang, a: &AssistanceByRegion) {
    out!("{}", period(lang, "cli-qa-by-region-title", &a.from, &a.to));
    out!();
    let mut t = Table::of(
        lang,
        &[
            "cli-col-region",
            "cli-col-made",
            "cli-col-fill",
            "cli-col-first-offer-min",
            "cli-col-first-commitment-min",
            "cli-col-received",
            "cli-col-answered",
            "cli-col-provided-asked",
            "cli-col-first-answer-min",
            "cli-col-offers-made",
            "cli-col-units-offered",
            "cli-col-declines",
        ],
    )
    .right(&[1, 5, 6, 9, 10]);
    for r in &a.regions {
        let declines: Vec<String> = r
            .declines
            .iter()
            .map(|d| format!("{} {}", d.reason, num(lang, d.count)))
            .collect();
        t.row(vec![
            region(&r.region),
            num(lang, r.requests_made),
            fill(lang, r.units_committed, r.units_requested),
            minutes(lang, r.first_offer.as_ref()),
            minutes(lang, r.first_commitment.as_ref()),
            num(lang, r.requests_received),
            num(lang, r.answered),
            fill(lang, r.units_provided, r.units_asked),
            minutes(lang, r.first_answer.as_ref()),
            num(lang, r.offers_made),
            num(lang, r.units_offered),
            declines.join(", "),
        ]);
    }
    print_table(&t);
}

/// Per agreement over the period, then the active agreements never used.
pub fn print_by_agreement(lang: Lang, a: &AssistanceByAgreement) {
    let c = Catalog::of(lang);
    out!("{}", period(lang, "cli-qa-by-agreement-title", &a.from, &a.to));
    out!();
    let mut t = Table::of(
        lang,
        &[
            "cli-col-agreement",
            "cli-col-state",
            "cli-col-requests",
            "cli-col-fill",
            "cli-col-offers-made",
            "cli-col-units-offered",
            "cli-col-partners-first-offer-min",
        ],
    )
    .right(&[2, 4, 5]);
    for g in &a.agreements {
        t.row(vec![
            g.agreement_id.clone(),
            agreement_state(lang, &g.state),
            num(lang, g.requests),
            fill(lang, g.units_committed, g.units_requested),
            num(lang, g.offers),
            num(lang, g.units_offered),
            minutes(lang, g.first_offer.as_ref()),
        ]);
    }
    print_table(&t);
    out!();
    out!("{}", c.t("cli-qa-used", &Args::new().text("list", list_of(&a.used))));
    out!(
        "{}",
        c.t("cli-qa-never-used", &Args::new().text("list", list_of(&a.never_used)))
    );
}

fn list_of(ids: &[String]) -> String {
    match ids {
        [] => "-".into(),
        ids => ids.join(", "),
    }
}

/// A region's assistance record, as the in-control card shows it: (label, value) lines.
pub fn card_lines(lang: Lang, a: &RegionAssistance, from: &str, to: &str) -> Vec<(String, String)> {
    let c = Catalog::of(lang);
    let asked = Args::new()
        .count(lang, "n", a.requests_made as i64)
        .text("from", moment_str(lang, from))
        .text("to", moment_str(lang, to))
        .text("fill", fill(lang, a.units_committed, a.units_requested));
    let given = Args::new()
        .count(lang, "n", a.requests_received as i64)
        .text("answered", num(lang, a.answered))
        .text("fill", fill(lang, a.units_provided, a.units_asked))
        .text("minutes", minutes(lang, a.first_answer.as_ref()));
    vec![
        (c.s("cli-qa-card-asked"), c.t("cli-qa-card-asked-value", &asked)),
        (c.s("cli-qa-card-given"), c.t("cli-qa-card-given-value", &given)),
    ]
}

/// "5/13 (38%)"; "-" when nothing was requested.
fn fill(lang: Lang, part: u64, whole: u64) -> String {
    match whole {
        0 => "-".into(),
        w => format!("{}/{} ({}%)", num(lang, part), num(lang, w), part * 100 / w),
    }
}

/// "18 / 10 (1 zonder)": mean / median in whole minutes (rounded down).
pub fn minutes(lang: Lang, d: Option<&DurationStats>) -> String {
    let Some(d) = d else {
        return "-".into();
    };
    let without = match d.without {
        0 => String::new(),
        n => format!(
            " ({})",
            Catalog::of(lang).t("cli-qa-without", &Args::new().count(lang, "n", n as i64))
        ),
    };
    match d.count {
        0 => format!("-{without}"),
        _ => format!(
            "{} / {}{without}",
            num(lang, d.mean_ms / 60_000),
            num(lang, d.median_ms / 60_000)
        ),
    }
}
