//! The page in Dutch (`?lang=nl`, the default for a browser that names neither language): the
//! map's colours for the known records, the records behind the figures (click-through) and the
//! Dutch number, date and time formats, each checked against `regiosync_i18n` on the server.
use std::path::Path;

use regiosync_i18n::Lang;

use super::assistance::Requests;
use super::{assert_has, assert_no_error, code_name, render};

/// Returns the id of the evaluation it opened (for the accessibility check).
pub async fn every_view(browser: &Path, base: &str, requests: &Requests) -> String {
    let url = |fragment: &str| format!("{base}?lang=nl#{fragment}");
    let nl = |list: &str, code: &str| code_name(Lang::Nl, list, code);

    // The map, capacity reporting status: VR01 and VR02 current, VR03 stale, the rest missing.
    let dom = render(browser, url("map")).await;
    assert_no_error("map", &dom);
    assert_has(
        "map",
        &dom,
        &[
            r#"<html lang="nl">"#,
            r##"id="map-VR01" data-value="ok" href="#incontrol/VR01""##,
            r#"id="map-VR02" data-value="ok""#,
            r#"id="map-VR03" data-value="stale""#,
            r#"id="map-VR04" data-value="missing""#,
            r#"id="map-VR25" data-value="missing""#,
            // The legend counts the tiles: 2 current, 1 stale, 22 without a report.
            r#"<tr id="map-count-ok"><th scope="row"><i class="sw v-ok" aria-hidden="true"></i> ✓ geldend bericht, geteld</th><td class="num">2</td></tr>"#,
            r#"id="map-count-stale"><th scope="row"><i class="sw v-stale" aria-hidden="true"></i> ! verouderd: geldigheid verlopen, niet geteld</th><td class="num">1</td>"#,
            r#"<td class="num">22</td>"#,
            "VR03 Drenthe: verouderd: geldigheid verlopen, niet geteld",
        ],
    );

    let dom = render(browser, url("capacity")).await;
    assert_no_error("capacity in Dutch", &dom);
    assert_has(
        "capacity in Dutch",
        &dom,
        &[
            r#"data-total="TS-available">15<"#,
            "2 van 25",
            "VR03 Drenthe (verouderd)",
            "verouderd: 9 van 9, niet geteld",
            &format!("{} per regio", nl("resource_types", "TS")),
            "Totalen over 2 geldende echte berichten.",
        ],
    );

    // Click-through: a capacity report, the agreement with its versions, signatures and
    // history, an evaluation with its ratings and actions.
    let dom = render(browser, url("capacityreport/VR01")).await;
    assert_no_error("capacity report", &dom);
    assert_has(
        "capacity report",
        &dom,
        &[
            "Capaciteitsbericht van VR01 Groningen",
            r#"<tr id="entry-TS"><th scope="row">Tankautospuit (TS)</th><td class="num">12</td><td class="num">8</td><td class="num">3</td><td class="num">1</td>"#,
            "<dt>Telt landelijk mee</dt><dd>ja</dd>",
        ],
    );
    let dom = render(browser, url("agreement/VR01-VR02-water")).await;
    assert_no_error("agreement", &dom);
    assert_has(
        "agreement",
        &dom,
        &[
            "<dt>Status</dt><dd>actief</dd>",
            r#"<div class="panel version" id="version-1"><h3>Versie 1: actief</h3>"#,
            "<th scope=\"row\">VR01 Groningen</th><td>operator:VR01:operator</td>",
            "<th scope=\"row\">VR02 Fryslân</th><td>operator:VR02:operator</td>",
            "versie 1 voorgesteld",
            "versie 1 ondertekend door operator:VR02:operator",
            "versie 1 van kracht",
        ],
    );
    // Every moment in Dutch time with its zone, as the server formats it.
    let created = agreement_created(base);
    assert_has(
        "agreement",
        &dom,
        &[&format!(
            "<dt>Geschreven op</dt><dd>{}</dd>",
            regiosync_i18n::moment(Lang::Nl, created)
        )],
    );

    let dom = render(browser, url("incontrol/VR01")).await;
    assert_no_error("in control in Dutch", &dom);
    assert_has(
        "in control in Dutch",
        &dom,
        &[
            "Acties over de termijn</div><div class=\"v\">1</div>",
            "<th scope=\"row\">Eenheden toegezegd van gevraagd</th><td>2 van 7 (29%)</td>",
            "twee keer op rij M of U",
            "&amp;lang=nl",
        ],
    );
    // The overdue action links to the evaluation that set it.
    let evaluation = dom
        .split(r##"<a href="#evaluation/"##)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("#incontrol: no link to an evaluation\n{dom}"))
        .to_string();
    let dom = render(browser, url(&format!("evaluation/{evaluation}"))).await;
    assert_no_error("evaluation", &dom);
    assert_has(
        "evaluation",
        &dom,
        &[
            // Whether this version counts (a correction would say which version does).
            r#"id="evaluation-state" data-state="current""#,
            "Dit is de geldende versie van de evaluatie: zij telt mee.",
            r#"<table id="ratings">"#,
            &format!(
                r#"<th scope="row">{}</th><td class="rating r-M">M</td>"#,
                nl("rated_areas", "informatiemanagement")
            ),
            r#"<table id="actions">"#,
            "LCMS-training voor alle informatiemanagers",
        ],
    );

    // History: the chart's numbers against the table beside it. Today VR01 and VR02 count
    // (15 of 22 TS available); VR03's stale report counted the three days before (9 of 9).
    let dom = render(browser, url("history")).await;
    assert_no_error("history", &dom);
    let (today, yesterday) = (
        regiosync_testkit::records::date(0),
        regiosync_testkit::records::date(-1),
    );
    assert_has(
        "history",
        &dom,
        &[
            &format!(r#"data-date="{today}" data-value="15""#),
            &format!(
                r#"<tr id="hist-day-{today}"><th scope="row">{}</th><td class="num">2</td><td class="num">15</td>"#,
                regiosync_i18n::date_str(Lang::Nl, &today)
            ),
            &format!(r#"data-date="{yesterday}" data-value="9""#),
            &format!(
                r#"<tr id="hist-day-{yesterday}"><th scope="row">{}</th><td class="num">1</td><td class="num">9</td>"#,
                regiosync_i18n::date_str(Lang::Nl, &yesterday)
            ),
            "Tankautospuit: landelijk per dag",
            // Ratings per area per year, and the actions at the end of each month.
            r#"<table id="hist-ratings">"#,
            r#"<table id="hist-actions">"#,
        ],
    );

    let dom = render(browser, url("coverage")).await;
    assert_no_error("coverage in Dutch", &dom);
    assert_has(
        "coverage in Dutch",
        &dom,
        &[
            "VR01 Groningen × VR02 Fryslân: 1 actieve afspraak: VR01-VR02-water",
            "actieve afspraken",
        ],
    );

    let dom = render(browser, url("ratings")).await;
    assert_no_error("ratings in Dutch", &dom);
    assert_has(
        "ratings in Dutch",
        &dom,
        &[&format!(
            "VR01 Groningen · {}: M ({}); daarvoor: M, gelijk aan de evaluatie daarvoor",
            nl("rated_areas", "informatiemanagement"),
            nl("ratings", "M").to_lowercase()
        )],
    );

    let dom = render(browser, url("quality")).await;
    assert_no_error("quality in Dutch", &dom);
    assert_has("quality in Dutch", &dom, &[" · verouderd", "geen bericht"]);

    let open = &requests.open;
    let dom = render(browser, url(&format!("assistance/{open}"))).await;
    assert_no_error("assistance in Dutch", &dom);
    assert_has(
        "assistance in Dutch",
        &dom,
        &[
            "toegezegd 2 van 6 TS, aangeboden 2, ter plaatse 2, vrijgegeven 0, minimaal 4",
            "deels gedekt</span>",
            "Afgesloten en ingetrokken (1)",
            // Each step's line built in Dutch from the event's fields.
            "<td>VR01 Groningen</td><td>verzoek</td><td>vraagt 6 TS, 1 GPT van VR02 Fryslân, VR03 Drenthe</td>",
            &format!(
                "<td>VR03 Drenthe</td><td>afwijzing</td><td>{}",
                nl("decline_reasons", "own_incident")
            ),
            &format!("declined ({}", nl("decline_reasons", "own_incident")).replace("declined", "afgewezen"),
        ],
    );
    evaluation
}

/// When the agreement's first version was written (`created_unix_ms`), from the dashboard's
/// JSON endpoint.
fn agreement_created(base: &str) -> i64 {
    let body = super::browser::http_get(base, "/api/agreement/VR01-VR02-water");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let ms = &v["versions"][0]["record"]["created_unix_ms"];
    ms.as_i64()
        .or_else(|| ms.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("no created_unix_ms: {body}"))
}
