//! How `query benchmark` and `query in-control` are printed: ratings per area across regions
//! (P/S/M/U/NO per year, incidents and exercises apart, a region beside the national counts), and
//! one region's "in control" card (latest rating per area with the previous one and the trend, open
//! and overdue improvement actions, when the board was last informed, how fresh the data is).
use regiosync_records::codes::list;
use regiosync_records::pb::{ActionView, AreaDistribution, EvaluationBenchmark, InControlCard, RatingCounts};
use regiosync_records::CodeLists;

use super::{clip, markers, moment_ago, print_table};
use crate::render::table::Table;
use crate::render::{code_name, field, region, MISSING, STALE};

/// "P = Zonder uitdagingen uitgevoerd, S = ..." from the newest code list.
fn rating_legend() -> String {
    CodeLists::shipped()
        .latest()
        .codes(list::RATINGS)
        .iter()
        .map(|(c, code)| format!("{c} = {}", code.name.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Share of M and U among the observed ratings, as a whole percentage; "-" when none.
fn weak_share(c: &RatingCounts) -> String {
    let rated = c.p + c.s + c.m + c.u;
    match rated {
        0 => "-".into(),
        n => format!("{}%", ((c.m + c.u) * 100 + n / 2) / n),
    }
}

fn counts(c: &RatingCounts) -> [String; 6] {
    [
        c.p.to_string(),
        c.s.to_string(),
        c.m.to_string(),
        c.u.to_string(),
        c.not_observed.to_string(),
        weak_share(c),
    ]
}

/// The rating benchmark; `asking` is the region compared (or empty), `year` the year asked
/// (0: every year held).
pub fn print_benchmark(a: &EvaluationBenchmark, asking: &str, year: u32) {
    let years = match year {
        0 => "every year held".to_string(),
        y => y.to_string(),
    };
    out!(
        "Ratings per area, {years}: {} actual evaluations counted (exercise- and test-status records never count)",
        a.evaluations
    );
    if !asking.is_empty() {
        out!("{} beside the national counts", region(asking));
    }
    out!();
    let mut header = vec!["area", "year", "event", "P", "S", "M", "U", "NO", "M+U"];
    let mut right = vec![1, 3, 4, 5, 6, 7, 8];
    let own = format!("{asking} P");
    if !asking.is_empty() {
        header.extend(["|", own.as_str(), "S", "M", "U", "NO", "M+U"]);
        right.extend([10, 11, 12, 13, 14, 15]);
    }
    let mut t = Table::new(&header).right(&right);
    let mut last_area = "";
    for d in &a.areas {
        t.row(benchmark_row(d, d.area != last_area, !asking.is_empty()));
        last_area = &d.area;
    }
    print_table(&t);
    out!("M+U = share of major challenges or unable to perform among the observed ratings");
    out!("{}", rating_legend());
}

fn benchmark_row(d: &AreaDistribution, first_of_area: bool, with_region: bool) -> Vec<String> {
    let mut row = vec![
        if first_of_area {
            area_name(&d.area, &d.name)
        } else {
            String::new()
        },
        d.year.to_string(),
        code_name(0, list::EVENT_KINDS, &d.event_kind).to_lowercase(),
    ];
    row.extend(counts(&d.national.unwrap_or_default()));
    if with_region {
        row.push("|".into());
        row.extend(counts(&d.region.unwrap_or_default()));
    }
    row
}

/// The trend between the previous and the latest rating, with an arrow.
fn trend_arrow(trend: &str) -> String {
    match trend {
        "better" => "↑ better".into(),
        "worse" => "↓ worse".into(),
        "same" => "→ same".into(),
        "" => String::new(),
        other => other.to_string(),
    }
}

fn area_name(code: &str, node_name: &str) -> String {
    match code_name(0, list::RATED_AREAS, code).as_str() {
        "" if node_name.is_empty() => code.to_string(),
        "" => node_name.to_string(),
        n => n.to_string(),
    }
}

/// A region's "in control" card.
pub fn print_card(c: &InControlCard) {
    out!("\"In control\" card of {}", region(&c.region));
    out!();
    field(
        "evaluations",
        match c.evaluations {
            0 => "none held   << no evaluation to show >>".to_string(),
            n => format!("{n}, newest event {}", moment_ago(&c.latest_event_date)),
        },
    );
    if c.board_last_informed.is_empty() {
        field("board last informed", "NEVER   << no \"in control\" evidence >>");
    } else {
        field("board last informed", moment_ago(&c.board_last_informed));
    }
    field(
        "capacity as of",
        match (c.capacity_as_of.as_str(), c.capacity_stale) {
            ("", _) => format!("-   << {MISSING}: no actual report >>"),
            (s, true) => format!("{}   << {STALE}: not counted >>", moment_ago(s)),
            (s, false) => moment_ago(s),
        },
    );
    field(
        "improvement actions",
        match c.overdue {
            0 => format!("{} open, none overdue", c.open_actions.len()),
            n => format!("{} open, {n} OVERDUE", c.open_actions.len()),
        },
    );
    if let Some(a) = &c.assistance {
        for (label, value) in super::assistance::card_lines(a, &c.assistance_from, &c.assistance_to) {
            field(label, value);
        }
    }
    out!();
    if c.evaluations > 0 {
        print_areas(c);
        out!();
    }
    print_actions(&c.open_actions, c.overdue);
}

fn print_areas(c: &InControlCard) {
    let mut t = Table::new(&["area", "latest", "previous", "trend", "marker"]);
    for a in &c.areas {
        t.row(vec![
            area_name(&a.area, &a.name),
            or_dash(&a.latest),
            or_dash(&a.previous),
            trend_arrow(&a.trend),
            markers(&[(a.weak_twice, "<< M/U TWICE IN A ROW >>")]),
        ]);
    }
    print_table(&t);
    out!("{}", rating_legend());
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

fn print_actions(actions: &[ActionView], overdue: u32) {
    if actions.is_empty() {
        out!("Open improvement actions: none");
        return;
    }
    out!(
        "Open improvement actions ({}, {overdue} overdue), overdue first:",
        actions.len()
    );
    let mut sorted: Vec<&ActionView> = actions.iter().collect();
    sorted.sort_by_key(|a| {
        let act = a.action.clone().unwrap_or_default();
        (!a.overdue, act.due, act.action_id)
    });
    let mut t = Table::new(&["id", "area", "description", "owner", "due", "status", "marker"]);
    for a in sorted {
        let act = a.action.clone().unwrap_or_default();
        t.row(vec![
            act.action_id,
            area_name(&act.area, ""),
            clip(&act.description, 50),
            clip(&act.owner, 40),
            act.due,
            code_name(0, list::ACTION_STATUS, &act.status).to_lowercase(),
            if a.overdue { "OVERDUE".into() } else { String::new() },
        ]);
    }
    print_table(&t);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_arrows() {
        assert_eq!(trend_arrow("better"), "↑ better");
        assert_eq!(trend_arrow("worse"), "↓ worse");
        assert_eq!(trend_arrow("same"), "→ same");
        assert_eq!(trend_arrow(""), "");
    }

    #[test]
    fn weak_share_ignores_not_observed() {
        let c = |p, s, m, u, not_observed| RatingCounts {
            p,
            s,
            m,
            u,
            not_observed,
        };
        assert_eq!(weak_share(&c(0, 0, 0, 0, 4)), "-");
        assert_eq!(weak_share(&c(1, 1, 1, 0, 9)), "33%");
        assert_eq!(weak_share(&c(1, 0, 1, 0, 0)), "50%");
        assert_eq!(weak_share(&c(0, 1, 1, 1, 0)), "67%");
        assert_eq!(
            counts(&c(3, 2, 1, 0, 1)),
            ["3", "2", "1", "0", "1", "17%"].map(String::from)
        );
    }

    #[test]
    fn labels() {
        assert_eq!(area_name("melding_alarmering", ""), "Melding en alarmering");
        assert_eq!(area_name("nieuw", "Nieuw gebied"), "Nieuw gebied");
        assert!(rating_legend().starts_with("P = zonder uitdagingen uitgevoerd, S = "));
        let d = AreaDistribution {
            area: "leiding_coordinatie".into(),
            year: 2025,
            event_kind: "exercise".into(),
            national: Some(RatingCounts {
                p: 2,
                ..Default::default()
            }),
            ..Default::default()
        };
        let row = benchmark_row(&d, true, true);
        assert_eq!(
            row[..4],
            ["Leiding en coördinatie", "2025", "oefening", "2"].map(String::from)
        );
        assert_eq!(row.len(), 3 + 6 + 1 + 6);
        assert_eq!(benchmark_row(&d, false, false)[0], "");
    }
}
