//! The national picture for the ministry and the inspectorate, of the same shape as a region's
//! report: per region the evidence of being in control, the national distribution of ratings,
//! agreement coverage across the country, and how current each figure is.
use crate::said::{Tell, Text};
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{AgreementCoverageRequest, DataQualityRequest, EvaluationBenchmarkRequest, InControlRequest};
use regiosync_records::pb;
use regiosync_types::{Federation, NodeId};
use tonic::transport::Channel;

use super::doc::{Block, Cell, Doc, Section, Table, Tone};
use super::region::{add, counts};
use super::{areas, Period, Texts};
use crate::rpc_error;

pub struct NationalData {
    pub period: Period,
    /// Every region's card, in the federation's order.
    pub cards: Vec<pb::InControlCard>,
    /// Evaluations per region of events in the period.
    pub evaluations: Vec<(String, u32)>,
    pub bench: pb::EvaluationBenchmark,
    pub coverage: pb::AgreementCoverage,
    pub assistance: pb::AssistanceByRegion,
    pub quality: pb::DataQuality,
    pub asked_unix_ms: i64,
    pub asked_by: String,
}

pub async fn fetch(channel: Channel, period: Period, asked_by: String) -> Result<NationalData> {
    let mut q = QueriesClient::new(channel.clone());
    let mut r = RecordsClient::new(channel);
    let asked_unix_ms = regiosync_types::now_ms();
    let quality = q
        .data_quality(DataQualityRequest {})
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-quality"))?
        .into_inner();
    let mut cards = Vec::new();
    for region in &quality.regions {
        let card = q
            .in_control(InControlRequest {
                region: region.region.clone(),
            })
            .await
            .map_err(rpc_error)
            .told_with(|| Text::new("err-report-in-control-of").arg("region", &region.region))?
            .into_inner();
        cards.push(card);
    }
    let mut evaluations: Vec<(String, u32)> = quality.regions.iter().map(|r| (r.region.clone(), 0)).collect();
    for e in &super::all_evaluations(&mut r, "", period.year).await? {
        let region = e.summary.as_ref().map_or("", |s| s.region.as_str());
        let actual = e.record.as_ref().is_some_and(|m| m.status == "actual");
        if let Some((_, n)) = evaluations.iter_mut().find(|(r, _)| r == region) {
            *n += u32::from(actual);
        }
    }
    let bench = q
        .evaluation_benchmark(EvaluationBenchmarkRequest {
            region: String::new(),
            year: period.year,
        })
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-distribution"))?
        .into_inner();
    let coverage = q
        .agreement_coverage(AgreementCoverageRequest::default())
        .await
        .map_err(rpc_error)
        .told(Text::new("err-report-coverage"))?
        .into_inner();
    let assistance = super::assistance(&mut q, &period).await?;
    Ok(NationalData {
        period,
        cards,
        evaluations,
        bench,
        coverage,
        assistance,
        quality,
        asked_unix_ms,
        asked_by,
    })
}

pub fn doc(lang: Lang, d: &NationalData) -> Doc {
    let c = Catalog::of(lang);
    let tx = Texts::new(lang);
    let members = Federation::shipped();
    let node = d.quality.answered_by.clone();
    let period = tx.period(&d.period);
    let at = regiosync_i18n::moment(lang, d.asked_unix_ms);
    let name = |r: &str| {
        r.parse::<NodeId>()
            .map_or(r.to_string(), |id| format!("{r} {}", members.name(id)))
    };

    // Per region.
    let mut t = Table::new(
        "per-regio",
        vec![
            c.s("col-region"),
            c.s("col-evaluations"),
            c.s("fig-board-last"),
            c.s("col-open-actions"),
            c.s("col-overdue"),
            c.s("col-weak-twice"),
            c.s("col-capacity"),
            c.s("col-assist-made"),
            c.s("col-assist-received"),
        ],
    )
    .numeric(&[1, 3, 4, 5, 7, 8]);
    let (mut open, mut overdue, mut weak, mut never_informed) = (0usize, 0u32, 0usize, 0usize);
    for card in &d.cards {
        let q = d
            .quality
            .regions
            .iter()
            .find(|r| r.region == card.region)
            .cloned()
            .unwrap_or_default();
        let held = d
            .evaluations
            .iter()
            .find(|(r, _)| *r == card.region)
            .map_or(0, |(_, n)| *n);
        let a = d
            .assistance
            .regions
            .iter()
            .find(|r| r.region == card.region)
            .cloned()
            .unwrap_or_default();
        let w = card.areas.iter().filter(|a| a.weak_twice).count();
        open += card.open_actions.len();
        overdue += card.overdue;
        weak += w;
        never_informed += usize::from(card.board_last_informed.is_empty());
        let board = match card.board_last_informed.as_str() {
            "" => Cell::shown(c.s("value-never"), "").tone(Tone::Bad),
            day => Cell::shown(regiosync_i18n::date_str(lang, day), day).tone(if card.board_days_ago > 365 {
                Tone::Warn
            } else {
                Tone::Plain
            }),
        };
        let capacity = match (q.capacity_missing, q.capacity_stale) {
            (true, _) => Cell::shown(c.s("capacity-missing"), "missing").tone(Tone::Bad),
            (false, true) => Cell::shown(c.s("capacity-stale"), "stale").tone(Tone::Warn),
            (false, false) => Cell::shown(c.s("capacity-current"), "current"),
        };
        t.row(vec![
            Cell::shown(name(&card.region), card.region.clone()),
            Cell::int(lang, i64::from(held)),
            board,
            Cell::int(lang, card.open_actions.len() as i64),
            Cell::int(lang, i64::from(card.overdue)).tone(if card.overdue > 0 { Tone::Bad } else { Tone::Plain }),
            Cell::int(lang, w as i64).tone(if w > 0 { Tone::Bad } else { Tone::Plain }),
            capacity,
            Cell::int(lang, i64::from(a.requests_made)),
            Cell::int(lang, i64::from(a.requests_received)),
        ]);
    }

    let mut facts = Table::new("kerncijfers", vec![c.s("col-figure"), c.s("col-value")]);
    let active = d.coverage.by_state.get("active").copied().unwrap_or(0);
    let made: u32 = d.assistance.regions.iter().map(|r| r.requests_made).sum();
    for (label, cell) in [
        (c.s("fig-evaluations"), Cell::int(lang, i64::from(d.bench.evaluations))),
        (c.s("fig-open-actions"), Cell::int(lang, open as i64)),
        (
            c.s("fig-overdue"),
            Cell::int(lang, i64::from(overdue)).tone(if overdue > 0 { Tone::Bad } else { Tone::Plain }),
        ),
        (
            c.s("fig-weak-twice"),
            Cell::int(lang, weak as i64).tone(if weak > 0 { Tone::Bad } else { Tone::Plain }),
        ),
        (
            c.s("nat-board-never"),
            Cell::int(lang, never_informed as i64).tone(if never_informed > 0 { Tone::Warn } else { Tone::Plain }),
        ),
        (c.s("nat-active"), Cell::int(lang, i64::from(active))),
        (
            c.s("coverage-uncovered"),
            Cell::int(lang, d.coverage.uncovered_neighbours.len() as i64),
        ),
        (c.s("nat-assist-made"), Cell::int(lang, i64::from(made))),
    ] {
        facts.row(vec![Cell::text(label), cell]);
    }

    // The national distribution of ratings in the year.
    let mut dist = Table::new("landelijke-verdeling", vec![c.s("col-area"), c.s("col-national")]);
    for area in areas() {
        let mut n = pb::RatingCounts::default();
        for a in d
            .bench
            .areas
            .iter()
            .filter(|a| a.area == area && a.year == d.period.year)
        {
            add(&mut n, a.national.as_ref());
        }
        dist.row(vec![
            Cell::shown(tx.code("rated_areas", &area), area.clone()),
            Cell::text(counts(&n)),
        ]);
    }

    // Agreements by state, and neighbours without one.
    let mut states = Table::new("afspraken-per-status", vec![c.s("col-state"), c.s("col-count")]).numeric(&[1]);
    let mut by_state: Vec<(&String, &u32)> = d.coverage.by_state.iter().collect();
    by_state.sort();
    for (s, n) in by_state {
        states.row(vec![
            Cell::shown(tx.agreement_state(s), s.clone()),
            Cell::int(lang, i64::from(*n)),
        ]);
    }
    let mut gaps = Table::new("buren-zonder-afspraak", vec![c.s("col-region"), c.s("col-region")])
        .caption(c.s("coverage-uncovered"));
    for p in &d.coverage.uncovered_neighbours {
        gaps.row(vec![
            Cell::shown(name(&p.a), p.a.clone()),
            Cell::shown(name(&p.b), p.b.clone()),
        ]);
    }

    let mut fresh = Table::new(
        "actualiteit",
        vec![c.s("col-figure"), c.s("col-answered-by"), c.s("col-as-of")],
    );
    for (what, by) in [
        (c.s("fresh-quality"), &d.quality.answered_by),
        (
            c.t(
                "fresh-benchmark",
                &Args::new().count(lang, "n", i64::from(d.bench.evaluations)),
            ),
            &d.bench.answered_by,
        ),
        (c.s("fresh-agreements"), &d.coverage.answered_by),
        (c.s("fresh-assistance"), &d.assistance.answered_by),
    ] {
        fresh.row(vec![
            Cell::text(what),
            Cell::text(by.clone()),
            Cell::shown(at.clone(), crate::render::time::rfc3339(d.asked_unix_ms)),
        ]);
    }

    let args = || Args::new().text("period", period.clone());
    let sections = vec![
        Section {
            id: "kerncijfers",
            title: c.s("sec-summary"),
            intro: None,
            blocks: vec![Block::Facts(facts)],
        },
        Section {
            id: "per-regio",
            title: c.s("sec-regions"),
            intro: None,
            blocks: vec![Block::Table(t)],
        },
        Section {
            id: "landelijke-verdeling",
            title: c.s("sec-national-ratings"),
            intro: None,
            blocks: vec![Block::Table(dist), Block::Note(c.s("rating-legend"))],
        },
        Section {
            id: "afspraken",
            title: c.s("sec-coverage"),
            intro: None,
            blocks: vec![Block::Table(states), Block::Table(gaps)],
        },
        Section {
            id: "actualiteit",
            title: c.s("sec-freshness"),
            intro: None,
            blocks: vec![Block::Table(fresh)],
        },
    ];
    Doc {
        lang,
        stem: format!("landelijk-beeld-{}", d.period.year),
        title: c.t("report-title-national", &args()),
        subtitle: c.s("report-for-ministry"),
        meta: super::meta(lang, &d.period, &node, &at, &d.asked_by),
        footer: c.t(
            "report-footer",
            &args()
                .text("name", members.name(NodeId::NL))
                .text("node", node)
                .text("at", at),
        ),
        closing: super::closing(lang),
        sections,
    }
}
