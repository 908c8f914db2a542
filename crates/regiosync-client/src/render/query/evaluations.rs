//! How `query benchmark` and `query in-control` are printed: ratings per area across regions
//! (P/S/M/U/NO per year, incidents and exercises apart, a region beside the national counts), and
//! one region's "in control" card (latest rating per area with the previous one and the trend, open
//! and overdue improvement actions, when the board was last informed, how fresh the data is).
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::codes::list;
use regiosync_records::pb::{ActionView, AreaDistribution, EvaluationBenchmark, InControlCard, RatingCounts};
use regiosync_records::CodeLists;

use super::{clip, markers, moment_ago, print_table};
use crate::render::table::{Table, ACTION_COLUMNS};
use crate::render::{code_name, field, missing, moment_str, num, region, stale, state};

/// "P = zonder uitdagingen uitgevoerd, S = ..." from the newest code list, in `lang`.
fn rating_legend(lang: Lang) -> String {
    CodeLists::shipped()
        .latest()
        .codes(list::RATINGS)
        .iter()
        .map(|(c, _)| format!("{c} = {}", code_name(lang, 0, list::RATINGS, c).to_lowercase()))
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

fn counts(lang: Lang, c: &RatingCounts) -> [String; 6] {
    [
        num(lang, c.p),
        num(lang, c.s),
        num(lang, c.m),
        num(lang, c.u),
        num(lang, c.not_observed),
        weak_share(c),
    ]
}

/// The rating benchmark; `asking` is the region compared (or empty), `year` the year asked
/// (0: every year held).
pub fn print_benchmark(lang: Lang, a: &EvaluationBenchmark, asking: &str, year: u32) {
    let c = Catalog::of(lang);
    let years = match year {
        0 => c.s("cli-bm-every-year"),
        y => y.to_string(),
    };
    let args = Args::new()
        .text("years", years)
        .count(lang, "n", i64::from(a.evaluations));
    out!("{}", c.t("cli-bm-title", &args));
    if !asking.is_empty() {
        out!("{}", c.t("cli-bm-beside", &Args::new().text("region", region(asking))));
    }
    out!();
    let (area, yr, event) = (c.s("cli-col-area"), c.s("cli-col-year"), c.s("cli-col-event"));
    let mut header = vec![
        area.as_str(),
        yr.as_str(),
        event.as_str(),
        "P",
        "S",
        "M",
        "U",
        "NO",
        "M+U",
    ];
    let mut right = vec![1, 3, 4, 5, 6, 7, 8];
    let own = format!("{asking} P");
    if !asking.is_empty() {
        header.extend(["|", own.as_str(), "S", "M", "U", "NO", "M+U"]);
        right.extend([10, 11, 12, 13, 14, 15]);
    }
    let mut t = Table::new(&header).right(&right);
    let mut last_area = "";
    for d in &a.areas {
        t.row(benchmark_row(lang, d, d.area != last_area, !asking.is_empty()));
        last_area = &d.area;
    }
    print_table(&t);
    out!("{}", c.s("cli-bm-weak-legend"));
    out!("{}", rating_legend(lang));
}

fn benchmark_row(lang: Lang, d: &AreaDistribution, first_of_area: bool, with_region: bool) -> Vec<String> {
    let mut row = vec![
        if first_of_area {
            area_name(lang, &d.area, &d.name)
        } else {
            String::new()
        },
        d.year.to_string(),
        code_name(lang, 0, list::EVENT_KINDS, &d.event_kind).to_lowercase(),
    ];
    row.extend(counts(lang, &d.national.unwrap_or_default()));
    if with_region {
        row.push("|".into());
        row.extend(counts(lang, &d.region.unwrap_or_default()));
    }
    row
}

/// The trend between the previous and the latest rating, with an arrow: "↑ beter".
fn trend_arrow(lang: Lang, trend: &str) -> String {
    let arrow = match trend {
        "better" => "↑",
        "worse" => "↓",
        "same" => "→",
        "" => return String::new(),
        other => return other.to_string(),
    };
    format!("{arrow} {}", state(lang, "trend", trend))
}

fn area_name(lang: Lang, code: &str, node_name: &str) -> String {
    match code_name(lang, 0, list::RATED_AREAS, code).as_str() {
        "" if node_name.is_empty() => code.to_string(),
        "" => node_name.to_string(),
        n => n.to_string(),
    }
}

/// A region's "in control" card.
pub fn print_card(lang: Lang, c: &InControlCard) {
    let t = Catalog::of(lang);
    out!(
        "{}",
        t.t("cli-ic-title", &Args::new().text("region", region(&c.region)))
    );
    out!();
    field(
        &t.s("cli-col-evaluations"),
        match c.evaluations {
            0 => t.s("cli-ic-no-evaluations"),
            n => t.t(
                "cli-ic-evaluations",
                &Args::new()
                    .text("n", num(lang, n))
                    .text("latest", moment_ago(lang, &c.latest_event_date)),
            ),
        },
    );
    if c.board_last_informed.is_empty() {
        field(&t.s("cli-ic-board"), t.s("cli-ic-board-never"));
    } else {
        field(&t.s("cli-ic-board"), moment_ago(lang, &c.board_last_informed));
    }
    let marker = |id: &str, m: String, at: String| t.t(id, &Args::new().text("marker", m).text("at", at));
    field(
        &t.s("cli-col-capacity-as-of"),
        match (c.capacity_as_of.as_str(), c.capacity_stale) {
            ("", _) => marker("cli-ic-capacity-missing", missing(lang), String::new()),
            (s, true) => marker("cli-ic-capacity-stale", stale(lang), moment_ago(lang, s)),
            (s, false) => moment_ago(lang, s),
        },
    );
    let args = Args::new()
        .text("open", num(lang, c.open_actions.len()))
        .count(lang, "overdue", i64::from(c.overdue));
    field(&t.s("cli-ic-actions"), t.t("cli-ic-actions-value", &args));
    if let Some(a) = &c.assistance {
        for (label, value) in super::assistance::card_lines(lang, a, &c.assistance_from, &c.assistance_to) {
            field(&label, value);
        }
    }
    out!();
    if c.evaluations > 0 {
        print_areas(lang, c);
        out!();
    }
    print_actions(lang, &c.open_actions, c.overdue);
}

fn print_areas(lang: Lang, c: &InControlCard) {
    let twice = Catalog::of(lang).s("cli-ic-weak-twice");
    let mut t = Table::of(
        lang,
        &[
            "cli-col-area",
            "cli-col-latest",
            "cli-col-previous",
            "cli-col-trend",
            "cli-col-marker",
        ],
    );
    for a in &c.areas {
        t.row(vec![
            area_name(lang, &a.area, &a.name),
            or_dash(&a.latest),
            or_dash(&a.previous),
            trend_arrow(lang, &a.trend),
            markers(&[(a.weak_twice, &twice)]),
        ]);
    }
    print_table(&t);
    out!("{}", rating_legend(lang));
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

fn print_actions(lang: Lang, actions: &[ActionView], overdue: u32) {
    let c = Catalog::of(lang);
    if actions.is_empty() {
        out!("{}", c.s("cli-ic-open-actions-none"));
        return;
    }
    let args = Args::new()
        .text("n", num(lang, actions.len()))
        .text("overdue", num(lang, overdue));
    out!("{}", c.t("cli-ic-open-actions", &args));
    let mut sorted: Vec<&ActionView> = actions.iter().collect();
    sorted.sort_by_key(|a| {
        let act = a.action.clone().unwrap_or_default();
        (!a.overdue, act.due, act.action_id)
    });
    let mut t = Table::of(lang, &[&ACTION_COLUMNS[..], &["cli-col-marker"]].concat());
    for a in sorted {
        let act = a.action.clone().unwrap_or_default();
        t.row(vec![
            act.action_id,
            area_name(lang, &act.area, ""),
            clip(&act.description, 50),
            clip(&act.owner, 40),
            moment_str(lang, &act.due),
            code_name(lang, 0, list::ACTION_STATUS, &act.status).to_lowercase(),
            if a.overdue {
                c.s("cli-marker-overdue")
            } else {
                String::new()
            },
        ]);
    }
    print_table(&t);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_arrows() {
        assert_eq!(trend_arrow(Lang::En, "better"), "↑ better");
        assert_eq!(trend_arrow(Lang::En, "worse"), "↓ worse");
        assert_eq!(trend_arrow(Lang::Nl, "better"), "↑ beter");
        assert_eq!(trend_arrow(Lang::Nl, "same"), "→ gelijk");
        assert_eq!(trend_arrow(Lang::Nl, ""), "");
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
            counts(Lang::Nl, &c(3, 2, 1, 0, 1)),
            ["3", "2", "1", "0", "1", "17%"].map(String::from)
        );
    }

    #[test]
    fn labels() {
        assert_eq!(area_name(Lang::Nl, "melding_alarmering", ""), "Melding en alarmering");
        assert_eq!(area_name(Lang::Nl, "nieuw", "Nieuw gebied"), "Nieuw gebied");
        assert!(rating_legend(Lang::Nl).starts_with("P = zonder uitdagingen uitgevoerd, S = "));
        assert!(
            rating_legend(Lang::En).starts_with("P = "),
            "{}",
            rating_legend(Lang::En)
        );
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
        let row = benchmark_row(Lang::Nl, &d, true, true);
        assert_eq!(
            row[..4],
            ["Leiding en coördinatie", "2025", "oefening", "2"].map(String::from)
        );
        assert_eq!(row.len(), 3 + 6 + 1 + 6);
        assert_eq!(benchmark_row(Lang::Nl, &d, false, false)[0], "");
    }
}
