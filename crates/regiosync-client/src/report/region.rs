//! A region's "in control" report for its general board, from the node asked: what the
//! inspectorate asks a region to show (ratings per area and their trend, areas rated M or U
//! twice in a row, improvement actions, when the board was informed, agreements, assistance
//! given and received, how current the data is, and the region against the national picture).
use crate::said::{Tell, Text};
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{EvaluationBenchmarkRequest, InControlRequest, ListAgreementsRequest};
use regiosync_records::pb;
use regiosync_types::{Federation, NodeId};
use tonic::transport::Channel;

use super::doc::{Block, Cell, Doc, Section, Table, Tone};
use super::{areas, Period, Texts};
use crate::rpc_error;

/// Everything the report shows, as the node answered.
pub struct RegionData {
    pub region: NodeId,
    pub period: Period,
    pub card: pb::InControlCard,
    /// The region's evaluations, every year, newest event first.
    pub evaluations: Vec<pb::EvaluationView>,
    /// The region against the national distribution in the period's year.
    pub bench: pb::EvaluationBenchmark,
    pub agreements: Vec<pb::AgreementView>,
    pub assistance: pb::AssistanceByRegion,
    /// When the node was asked (the time of the data), and by whom.
    pub asked_unix_ms: i64,
    pub asked_by: String,
}

/// Ask the node every question of the report.
pub async fn fetch(channel: Channel, region: NodeId, period: Period, asked_by: String) -> Result<RegionData> {
    let mut q = QueriesClient::new(channel.clone());
    let mut r = RecordsClient::new(channel);
    let asked_unix_ms = regiosync_types::now_ms();
    let card = q
        .in_control(InControlRequest {
            region: region.to_string(),
        })
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-in-control"))?
        .into_inner();
    let evaluations = super::all_evaluations(&mut r, &region.to_string(), 0).await?;
    let bench = q
        .evaluation_benchmark(EvaluationBenchmarkRequest {
            region: region.to_string(),
            year: period.year,
        })
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-distribution"))?
        .into_inner();
    let agreements = r
        .list_agreements(ListAgreementsRequest {
            party: region.to_string(),
            state: String::new(),
        })
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-agreements"))?
        .into_inner()
        .agreements;
    let assistance = super::assistance(&mut q, &period).await?;
    Ok(RegionData {
        region,
        period,
        card,
        evaluations,
        bench,
        agreements,
        assistance,
        asked_unix_ms,
        asked_by,
    })
}

fn in_period(period: &Period, e: &pb::EvaluationView) -> bool {
    e.summary
        .as_ref()
        .and_then(|s| s.event.as_ref())
        .is_some_and(|ev| period.holds(&ev.date))
}

/// The report as a document in `lang`.
pub fn doc(lang: Lang, d: &RegionData) -> Doc {
    let c = Catalog::of(lang);
    let tx = Texts::new(lang);
    let members = Federation::shipped();
    let name = format!("{} {}", d.region, members.name(d.region));
    let node = d.card.answered_by.clone();
    let period = tx.period(&d.period);
    let at = regiosync_i18n::moment(lang, d.asked_unix_ms);
    let args = || Args::new().text("name", name.clone()).text("period", period.clone());
    let mut sections = Vec::new();
    let held: Vec<&pb::EvaluationView> = d.evaluations.iter().filter(|e| in_period(&d.period, e)).collect();

    // Key figures.
    let card = &d.card;
    let verified: Vec<&pb::ActionView> = d
        .evaluations
        .iter()
        .flat_map(|e| &e.actions)
        .filter(|a| !a.verified.is_empty())
        .collect();
    let weak: Vec<&pb::AreaTrend> = card.areas.iter().filter(|a| a.weak_twice).collect();
    let mut facts = Table::new("kerncijfers", vec![c.s("col-figure"), c.s("col-value")]);
    let board = match card.board_last_informed.as_str() {
        "" => Cell::shown(c.s("value-never"), "").tone(Tone::Bad),
        day => {
            let ago = c.t(
                "fig-board-days",
                &Args::new().count(lang, "days", i64::from(card.board_days_ago)),
            );
            let tone = if card.board_days_ago > 365 {
                Tone::Warn
            } else {
                Tone::Plain
            };
            Cell::shown(format!("{} ({ago})", regiosync_i18n::date_str(lang, day)), day).tone(tone)
        }
    };
    let capacity = match (card.capacity_as_of.as_str(), card.capacity_stale) {
        ("", _) => Cell::shown(c.s("value-none"), "").tone(Tone::Bad),
        (at, stale) => {
            let shown = tx.moment_str(at);
            let text = match stale {
                true => c.t("fig-capacity-stale", &Args::new().text("at", shown)),
                false => c.t("fig-capacity-as-of", &Args::new().text("at", shown)),
            };
            Cell::shown(text, at).tone(if stale { Tone::Warn } else { Tone::Plain })
        }
    };
    let count_cell =
        |n: usize, bad: bool| Cell::int(lang, n as i64).tone(if bad && n > 0 { Tone::Bad } else { Tone::Plain });
    for (label, cell) in [
        ("fig-evaluations", Cell::int(lang, held.len() as i64)),
        (
            "fig-latest-event",
            Cell::shown(
                regiosync_i18n::date_str(lang, &card.latest_event_date),
                card.latest_event_date.clone(),
            ),
        ),
        ("fig-board-last", board),
        ("fig-open-actions", Cell::int(lang, card.open_actions.len() as i64)),
        ("fig-overdue", count_cell(card.overdue as usize, true)),
        ("fig-verified", Cell::int(lang, verified.len() as i64)),
        ("fig-weak-twice", count_cell(weak.len(), true)),
        ("fig-capacity", capacity),
    ] {
        facts.row(vec![Cell::text(c.s(label)), cell]);
    }
    sections.push(Section {
        id: "kerncijfers",
        title: c.s("sec-summary"),
        intro: None,
        blocks: vec![Block::Facts(facts)],
    });

    // Ratings per area: the period's evaluations (newest first, at most four) and the trend.
    let shown: Vec<&&pb::EvaluationView> = held.iter().take(4).collect();
    let mut head = vec![c.s("col-area")];
    head.extend(shown.iter().map(|e| {
        let ev = e.summary.as_ref().and_then(|s| s.event.as_ref());
        ev.map_or_else(String::new, |ev| regiosync_i18n::date_str(lang, &ev.date))
    }));
    head.extend([c.s("col-previous"), c.s("col-latest"), c.s("col-trend")]);
    let mut ratings = Table::new("beoordelingen", head);
    for a in &card.areas {
        let mut row = vec![Cell::shown(tx.code("rated_areas", &a.area), a.area.clone())];
        for e in &shown {
            let r = e
                .summary
                .as_ref()
                .and_then(|s| s.ratings.iter().find(|r| r.area == a.area))
                .map_or("", |r| r.rating.as_str());
            row.push(rating_cell(r));
        }
        row.push(rating_cell(&a.previous));
        row.push(rating_cell(&a.latest).tone(if a.weak_twice {
            Tone::Bad
        } else {
            rating_tone(&a.latest)
        }));
        let trend = match a.trend.as_str() {
            "" => c.s("trend-first"),
            t => c.s(&format!("trend-{t}")),
        };
        row.push(Cell::shown(trend, a.trend.clone()).tone(match a.trend.as_str() {
            "worse" => Tone::Warn,
            "better" => Tone::Good,
            _ => Tone::Plain,
        }));
        ratings.row(row);
    }
    sections.push(Section {
        id: "beoordelingen",
        title: c.s("sec-ratings"),
        intro: Some(c.t("sec-ratings-intro", &args())),
        blocks: vec![Block::Table(ratings), Block::Note(c.s("rating-legend"))],
    });

    // M or U twice in a row.
    let note = match weak.is_empty() {
        true => c.s("weak-none"),
        false => {
            let areas: Vec<String> = weak.iter().map(|a| tx.code("rated_areas", &a.area)).collect();
            c.t("weak-some", &Args::new().text("areas", areas.join(", ")))
        }
    };
    sections.push(Section {
        id: "twee-keer-m-of-u",
        title: c.s("sec-weak"),
        intro: None,
        blocks: vec![Block::Note(note)],
    });

    sections.push(actions(lang, &tx, card, &verified));
    sections.push(board_informed(lang, &tx, &held, &args));
    sections.push(agreements(lang, &tx, d, &name, &node));
    sections.push(super::assistance_section(
        lang,
        &d.period,
        d.assistance.regions.iter().find(|r| r.region == d.region.to_string()),
    ));
    sections.push(national(lang, &tx, d, &name));
    sections.push(freshness(lang, &tx, d, &name));

    Doc {
        lang,
        stem: format!("rapportage-{}-{}", d.region, d.period.year),
        title: c.t("report-title-region", &args()),
        subtitle: c.t("report-for-board", &args()),
        meta: super::meta(lang, &d.period, &node, &at, &d.asked_by),
        footer: c.t(
            "report-footer",
            &args().text("node", node.clone()).text("at", at.clone()),
        ),
        closing: super::closing(lang),
        sections,
    }
}

pub(super) fn rating_tone(r: &str) -> Tone {
    match r {
        "M" => Tone::Warn,
        "U" => Tone::Bad,
        _ => Tone::Plain,
    }
}

fn rating_cell(r: &str) -> Cell {
    match r {
        "" => Cell::shown("–", ""),
        r => Cell::text(r).tone(rating_tone(r)),
    }
}

fn actions(lang: Lang, tx: &Texts, card: &pb::InControlCard, verified: &[&pb::ActionView]) -> Section {
    let c = Catalog::of(lang);
    let mut t = Table::new(
        "verbeteracties",
        vec![
            c.s("col-action"),
            c.s("col-area"),
            c.s("col-owner"),
            c.s("col-due"),
            c.s("col-status"),
            c.s("col-verified"),
            c.s("col-evaluation"),
        ],
    );
    let mut seen = std::collections::BTreeSet::new();
    for v in card.open_actions.iter().chain(verified.iter().copied()) {
        let Some(a) = &v.action else { continue };
        if !seen.insert((v.evaluation_id.clone(), a.action_id.clone())) {
            continue;
        }
        let status = tx.code("action_status", &a.status);
        let (status, tone) = match v.overdue {
            true => (c.t("action-overdue", &Args::new().text("status", status)), Tone::Bad),
            false => (status, Tone::Plain),
        };
        let check = match v.verified.as_str() {
            "" => Cell::shown("–", ""),
            r => Cell::shown(
                c.t(
                    "action-verified",
                    &Args::new()
                        .text("result", tx.code("verification_results", r))
                        .text("by", v.verified_by.clone()),
                ),
                r,
            )
            .tone(if r == "effective" { Tone::Good } else { Tone::Warn }),
        };
        t.row(vec![
            Cell::shown(format!("{} {}", a.action_id, a.description), a.action_id.clone()),
            Cell::shown(tx.code("rated_areas", &a.area), a.area.clone()),
            Cell::text(a.owner.clone()),
            Cell::shown(regiosync_i18n::date_str(lang, &a.due), a.due.clone()).tone(tone),
            Cell::shown(status, a.status.clone()).tone(tone),
            check,
            Cell::shown(regiosync_i18n::date_str(lang, &v.event_date), v.evaluation_id.clone()),
        ]);
    }
    let blocks = match t.rows.is_empty() {
        true => vec![Block::Note(c.s("actions-none"))],
        false => vec![Block::Table(t)],
    };
    Section {
        id: "verbeteracties",
        title: c.s("sec-actions"),
        intro: Some(c.s("sec-actions-intro")),
        blocks,
    }
}

fn board_informed(lang: Lang, tx: &Texts, held: &[&pb::EvaluationView], args: &dyn Fn() -> Args<'static>) -> Section {
    let c = Catalog::of(lang);
    let mut t = Table::new(
        "bestuur-geinformeerd",
        vec![
            c.s("col-event"),
            c.s("col-date"),
            c.s("col-kind"),
            c.s("col-reported"),
            c.s("col-days-after"),
        ],
    )
    .numeric(&[4]);
    for e in held {
        let Some(s) = &e.summary else { continue };
        let ev = s.event.clone().unwrap_or_default();
        let (reported, after) = match s.reported_to_board.as_str() {
            "" => (
                Cell::shown(c.s("board-not-reported"), "").tone(Tone::Bad),
                Cell::shown("–", ""),
            ),
            day => {
                let days = super::days_between(&ev.date, day);
                (
                    Cell::shown(regiosync_i18n::date_str(lang, day), day),
                    days.map_or(Cell::shown("–", ""), |n| Cell::int(lang, n)),
                )
            }
        };
        t.row(vec![
            Cell::text(ev.name.clone()),
            Cell::shown(regiosync_i18n::date_str(lang, &ev.date), ev.date.clone()),
            Cell::shown(tx.code("event_kinds", &ev.kind), ev.kind.clone()),
            reported,
            after,
        ]);
    }
    let blocks = match t.rows.is_empty() {
        true => vec![Block::Note(c.t("board-none", &args()))],
        false => vec![Block::Table(t)],
    };
    Section {
        id: "bestuur",
        title: c.s("sec-board"),
        intro: Some(c.t("sec-board-intro", &args())),
        blocks,
    }
}

fn agreements(lang: Lang, tx: &Texts, d: &RegionData, name: &str, node: &str) -> Section {
    let c = Catalog::of(lang);
    let mut t = Table::new(
        "afspraken",
        vec![
            c.s("col-agreement"),
            c.s("col-title"),
            c.s("col-partners"),
            c.s("col-state"),
            c.s("col-valid-until"),
        ],
    );
    let me = d.region.to_string();
    for a in &d.agreements {
        let version = a
            .versions
            .iter()
            .find(|v| v.version == a.version_in_force)
            .or_else(|| a.versions.iter().find(|v| v.version == a.newest_version))
            .and_then(|v| v.agreement.as_ref());
        let partners: Vec<String> = version
            .map(|v| {
                v.parties
                    .iter()
                    .map(|p| p.region.clone())
                    .filter(|p| *p != me)
                    .collect()
            })
            .unwrap_or_default();
        let until = version
            .and_then(|v| v.validity.as_ref())
            .map_or(String::new(), |v| v.valid_until.clone());
        let tone = match a.state.as_str() {
            "active" if a.expiring_soon => Tone::Warn,
            "active" => Tone::Good,
            "expired" | "revoked" | "withdrawn" | "rejected" => Tone::Warn,
            _ => Tone::Plain,
        };
        t.row(vec![
            Cell::text(a.agreement_id.clone()),
            Cell::text(version.map_or(String::new(), |v| v.title.clone())),
            Cell::text(partners.join(", ")),
            match a.state.as_str() {
                "active" if a.expiring_soon => Cell::shown(
                    c.t(
                        "agreement-expiring",
                        &Args::new()
                            .text("state", tx.agreement_state(&a.state))
                            .count(lang, "days", a.days_left),
                    ),
                    a.state.clone(),
                ),
                s => Cell::shown(tx.agreement_state(s), s),
            }
            .tone(tone),
            Cell::shown(regiosync_i18n::date_str(lang, &until), until.clone()),
        ]);
    }
    let blocks = match t.rows.is_empty() {
        true => vec![Block::Note(
            c.t(
                "agreements-none",
                &Args::new()
                    .text("node", node.to_string())
                    .text("name", name.to_string()),
            ),
        )],
        false => vec![Block::Table(t)],
    };
    Section {
        id: "afspraken",
        title: c.s("sec-agreements"),
        intro: None,
        blocks,
    }
}

fn national(lang: Lang, tx: &Texts, d: &RegionData, name: &str) -> Section {
    let c = Catalog::of(lang);
    let mut t = Table::new(
        "landelijk-beeld",
        vec![c.s("col-area"), name.to_string(), c.s("col-national")],
    );
    for area in areas() {
        let (mut region, mut national) = (pb::RatingCounts::default(), pb::RatingCounts::default());
        for a in d
            .bench
            .areas
            .iter()
            .filter(|a| a.area == area && a.year == d.period.year)
        {
            add(&mut region, a.region.as_ref());
            add(&mut national, a.national.as_ref());
        }
        t.row(vec![
            Cell::shown(tx.code("rated_areas", &area), area.clone()),
            Cell::text(counts(&region)),
            Cell::text(counts(&national)),
        ]);
    }
    Section {
        id: "landelijk",
        title: c.s("sec-national"),
        intro: Some(
            c.t(
                "sec-national-intro",
                &Args::new()
                    .text("year", d.period.year.to_string())
                    .text("name", name.to_string())
                    .text("node", d.bench.answered_by.clone()),
            ),
        ),
        blocks: vec![Block::Table(t), Block::Note(c.s("rating-legend"))],
    }
}

pub(super) fn add(to: &mut pb::RatingCounts, c: Option<&pb::RatingCounts>) {
    if let Some(c) = c {
        to.p += c.p;
        to.s += c.s;
        to.m += c.m;
        to.u += c.u;
        to.not_observed += c.not_observed;
    }
}

/// `P 1 · S 0 · M 2 · U 0 · NO 0`.
pub(super) fn counts(c: &pb::RatingCounts) -> String {
    format!("P {} · S {} · M {} · U {} · NO {}", c.p, c.s, c.m, c.u, c.not_observed)
}

fn freshness(lang: Lang, tx: &Texts, d: &RegionData, name: &str) -> Section {
    let c = Catalog::of(lang);
    let asked = regiosync_i18n::moment(lang, d.asked_unix_ms);
    let asked_raw = crate::render::time::rfc3339(d.asked_unix_ms);
    let mut t = Table::new(
        "actualiteit",
        vec![c.s("col-figure"), c.s("col-answered-by"), c.s("col-as-of")],
    );
    let capacity = match d.card.capacity_as_of.as_str() {
        "" => Cell::shown(c.s("capacity-missing"), "").tone(Tone::Bad),
        at => Cell::shown(tx.moment_str(at), at).tone(if d.card.capacity_stale { Tone::Warn } else { Tone::Plain }),
    };
    let rows = [
        (
            c.s("fresh-card"),
            d.card.answered_by.clone(),
            Cell::shown(asked.clone(), asked_raw.clone()),
        ),
        (
            c.t("fresh-capacity", &Args::new().text("name", name.to_string())),
            d.card.answered_by.clone(),
            capacity,
        ),
        (
            c.t(
                "fresh-benchmark",
                &Args::new().count(lang, "n", i64::from(d.bench.evaluations)),
            ),
            d.bench.answered_by.clone(),
            Cell::shown(asked.clone(), asked_raw.clone()),
        ),
        (
            c.s("fresh-assistance"),
            d.assistance.answered_by.clone(),
            Cell::shown(asked.clone(), asked_raw.clone()),
        ),
        (
            c.s("fresh-agreements"),
            d.card.answered_by.clone(),
            Cell::shown(asked, asked_raw),
        ),
    ];
    for (what, node, at) in rows {
        t.row(vec![Cell::text(what), Cell::text(node), at]);
    }
    Section {
        id: "actualiteit",
        title: c.s("sec-freshness"),
        intro: None,
        blocks: vec![Block::Table(t)],
    }
}
