//! `regiosync dashboard` in a real headless browser: a small federation (NL, VR01..VR03) with
//! known records written through the `Records` API, the dashboard binary started against NL as
//! a national coordinator, and Debian's `chromium` rendering each view (`--dump-dom` after the
//! page's scripts ran). The figures must be in the rendered page, not only in the JSON.
mod assistance;
mod axe;
mod browser;
mod dutch;

use std::path::Path;

use regiosync_testkit::known as records;
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;

use browser::{chromium, dump_dom, start_dashboard};
use regiosync_i18n::{Catalog, Lang};

/// The name of a code in `lang`, as the page shows it (the code list's Dutch name unless the
/// catalogue has one for that language).
fn code_name(lang: Lang, list: &str, code: &str) -> String {
    let lists = regiosync_records::codes::CodeLists::shipped().latest();
    let dutch = lists.get(list, code).map(|c| c.name.clone());
    Catalog::of(lang).code_name(list, code, dutch.as_deref())
}

fn assert_has(view: &str, dom: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(
            dom.contains(w),
            "#{view}: the rendered page lacks {w:?}\n--- page ---\n{dom}"
        );
    }
}

/// The page rendered without an error banner (every endpoint it asked answered) and without
/// a value the scripts failed to fill in.
fn assert_no_error(view: &str, dom: &str) {
    assert_has(view, dom, &[r#"id="error" role="alert" hidden"#]);
    assert!(
        dom.contains("Last updated") || dom.contains("Bijgewerkt om"),
        "#{view}: no time of the last update\n--- page ---\n{dom}"
    );
    // A message id the catalogue lacks shows as {id}.
    for junk in [
        "undefined",
        "NaN",
        "[object ",
        ">null",
        "null<",
        "Invalid Date",
        ">{",
        "{view-",
        "{cap-",
        "{ic-",
    ] {
        assert!(
            !dom.contains(junk),
            "#{view}: the rendered page shows {junk:?}\n--- page ---\n{dom}"
        );
    }
}

/// CA bundle and a person's certificate and key as files, as `--ca/--cert/--key` take them.
fn write_pems(t: &TestFed, dir: &Path, who: &str, identity: Identity) {
    let issued = t.fed.ca().issue_person(identity).expect("issue a person certificate");
    std::fs::write(dir.join("ca.pem"), t.fed.ca().cert_pem()).unwrap();
    std::fs::write(dir.join(format!("{who}.pem")), &issued.cert_pem).unwrap();
    std::fs::write(dir.join(format!("{who}.key")), &issued.key_pem).unwrap();
}

/// The page at `url` after its scripts ran. With `DASHBOARD_SCREENSHOTS=<folder>` set, each
/// page is also saved there as a PNG named after its fragment, to look at by eye.
async fn render(browser: &Path, url: String) -> String {
    let browser = browser.to_path_buf();
    tokio::task::spawn_blocking(move || {
        if let Some(dir) = std::env::var_os("DASHBOARD_SCREENSHOTS") {
            let lang = url.split("lang=").nth(1).map_or("", |l| &l[..2]);
            let name: String = format!("{lang}-{}", url.rsplit('#').next().unwrap_or("page"))
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                .collect();
            dump_dom(&browser, &url, Some(&Path::new(&dir).join(format!("{name}.png"))));
        }
        dump_dom(&browser, &url, None)
    })
    .await
    .expect("browser task")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_shows_the_national_figures_in_a_real_browser() {
    // First, so a machine without a browser fails at once with the reason.
    let browser = chromium();
    let t = TestFed::start(&[vr(1), vr(2), vr(3)], &[]).await;
    records::write(&t).await;
    records::until_nl_has_them(&t).await;
    let requests = assistance::write(&t).await;
    let pems = tempfile::tempdir().unwrap();
    write_pems(&t, pems.path(), "coordinator", Identity::coordinator("minister"));
    let nl = t.fed.node(NodeId::NL).url();
    let dashboard = start_dashboard(&nl, pems.path(), "coordinator");
    // English first (the browser's own language is en-US; ?lang=en says it), then Dutch.
    let url = |fragment: &str| format!("{}?lang=en#{fragment}", dashboard.url);
    let en = |list: &str, code: &str| code_name(Lang::En, list, code);

    let dom = render(&browser, url("capacity")).await;
    assert_no_error("capacity", &dom);
    assert_has(
        "capacity",
        &dom,
        &[
            // National TS totals over VR01 and VR02 only: VR03's report is stale.
            r#"data-total="TS-available">15<"#,
            r#"data-total="TS-baseline">22<"#,
            r#"data-total="TS-regions">2<"#,
            r#"data-total="WO-available">2<"#,
            // VR03 highlighted as stale, VR04 as missing, both named in the note.
            r#"class="tile stale" id="region-VR03""#,
            r#"class="tile missing" id="region-VR04""#,
            "VR03 Drenthe (stale)",
            "stale: 9 of 9, not counted",
            &format!("{} per region", en("resource_types", "TS")),
            // The reporting regions' names open their capacity report.
            r##"<a href="#capacityreport/VR01">VR01 Groningen</a>"##,
        ],
    );

    let dom = render(&browser, url("coverage")).await;
    assert_no_error("coverage", &dom);
    assert_has(
        "coverage",
        &dom,
        &[
            r#"id="cell-VR01-VR02" data-state="active""#,
            r#"id="cell-VR02-VR01" data-state="active""#,
            "VR01 Groningen × VR02 Fryslân: 1 active agreement: VR01-VR02-water",
            // Neighbours without an agreement are highlighted and listed.
            r#"id="cell-VR01-VR03" data-state="gap""#,
            "VR01 Groningen — VR03 Drenthe",
            r#"id="cell-VR01-VR05" data-state="none""#,
            "1 active",
            // VR01's request invoked the agreement; VR02, its partner, answered.
            r##"<tr id="use-VR01-VR02-water"><th scope="row"><a href="#agreement/VR01-VR02-water">VR01-VR02-water</a></th><td class="num">1</td><td>"##,
            " min (median of 1)</td></tr>",
        ],
    );

    let dom = render(&browser, url("ratings")).await;
    assert_no_error("ratings", &dom);
    assert_has(
        "ratings",
        &dom,
        &[
            r#"id="rating-VR01-informatiemanagement" data-rating="M" data-weak-twice="true""#,
            r#"id="rating-VR02-samenwerking" data-rating="P""#,
            &format!(
                "VR01 Groningen · {}: M ({}); before: M, same as the evaluation before",
                en("rated_areas", "informatiemanagement"),
                en("ratings", "M").to_lowercase()
            ),
            "Crisis processes",
        ],
    );

    let dom = render(&browser, url("incontrol/VR01")).await;
    assert_no_error("incontrol", &dom);
    assert_has(
        "incontrol",
        &dom,
        &[
            r#"<h3 id="card-title">VR01 Groningen</h3>"#,
            "LCMS-training voor alle informatiemanagers",
            "M or U twice in a row",
            "Overdue actions</div><div class=\"v\">1</div>",
            // The assistance record: VR01's request (2 of 6 TS and 0 of 1 GPT committed), and
            // VR02's cancelled request to VR01, never answered.
            "<th scope=\"row\">Requests made</th><td>1</td>",
            "<th scope=\"row\">Units committed of requested</th><td>2 of 7 (29%)</td>",
            // (minutes from the clock: the offer came within seconds, under load perhaps more)
            "<th scope=\"row\">First offer after</th><td>",
            " min (median of 1)</td>",
            "<th scope=\"row\">Requests received</th><td>1</td>",
            "<th scope=\"row\">Answered</th><td>0</td>",
            "<th scope=\"row\">Units provided of asked</th><td>0 of 1 (0%)</td>",
            "<th scope=\"row\">First answer after</th><td>– (1 without)</td>",
        ],
    );

    // The board report from the card's link: the same report as `regiosync report`, in the
    // language asked for or else the browser's (Dutch unless it asks for English), and its
    // tables as CSV.
    let year = regiosync_testkit::records::date(-40)[..4].to_string();
    assert_has(
        "incontrol",
        &dom,
        &[&format!(
            r#"href="/report/region/VR01?period={year}&amp;format=pdf&amp;lang=en""#
        )],
    );
    let report = |q: &str| format!("{}report/region/VR01?period={year}{q}", dashboard.url);
    let page = render(&browser, report("&lang=nl")).await;
    assert_has(
        "the board report",
        &page,
        &[
            r#"<html lang="nl">"#,
            &format!("<h1>VR01 Groningen: in control in {year}</h1>"),
            "<th scope=\"row\">Aandachtsgebieden twee keer op rij M of U</th><td class=\"bad\">8</td>",
            "<dd>node NL</dd>",
        ],
    );
    // Headless Chromium asks for en-US: without `lang` the report follows it.
    let page = render(&browser, report("")).await;
    assert_has(
        "the board report in the browser's language",
        &page,
        &[r#"<html lang="en">"#, "Areas rated M or U twice in a row"],
    );
    let page = render(&browser, report("&format=csv")).await;
    assert_has(
        "the report's CSV index",
        &page,
        &[&format!(
            r#"<a href="/report/region/VR01?format=csv&amp;table=kerncijfers&amp;period={year}">01-kerncijfers.csv</a>"#
        )],
    );

    let dom = render(&browser, url("quality")).await;
    assert_no_error("quality", &dom);
    assert_has("quality", &dom, &[r#"id="quality-VR03""#, " · stale", "no report"]);

    let dom = render(&browser, url("assistance")).await;
    assert_no_error("assistance", &dom);
    let open = &requests.open;
    assert_has(
        "assistance",
        &dom,
        &[
            &format!(r#"id="assist-{open}" data-state="partially_covered""#),
            r#"partially covered</span>"#,
            &format!(r#"id="line-{open}-TS" data-committed="2" data-requested="6""#),
            "committed 2 of 6 TS, offered 2, on scene 2, released 0, minimum 4",
            "committed 0 of 1 GPT, offered 1, on scene 0, released 0",
            // Who was asked and what they answered, the reason by its name in the code list.
            &format!(r#"id="answer-{open}-VR02"><th scope="row">VR02 Fryslân</th><td>offered</td>"#),
            &format!(
                r#"id="answer-{open}-VR03"><th scope="row">VR03 Drenthe</th><td>declined ({}"#,
                en("decline_reasons", "own_incident")
            ),
            "Needed by ",
            "Closed and cancelled (1)",
            &format!(r#"id="assist-{}" data-state="cancelled""#, requests.cancelled),
            &format!(r#"aria-controls="timeline-{open}""#),
        ],
    );
    assert!(
        !dom.contains(&format!(r#"id="timeline-{open}""#)),
        "#assistance: the timeline shows before it was opened\n{dom}"
    );
    // Opened (the button sets #assistance/<id>): the timeline of each step and the committed units.
    let dom = render(&browser, url(&format!("assistance/{open}"))).await;
    assert_no_error("assistance detail", &dom);
    assert_has(
        "assistance detail",
        &dom,
        &[
            &format!(r#"id="timeline-{open}""#),
            r#"aria-expanded="true""#,
            "<td>VR01 Groningen</td><td>request</td><td>asks 6 TS, 1 GPT of VR02 Fryslân, VR03 Drenthe</td>",
            "<td>VR02 Fryslân</td><td>offer</td>",
            "<td>VR03 Drenthe</td><td>decline</td>",
            "<td>VR01 Groningen</td><td>acceptance</td>",
            "<td>VR02 Fryslân</td><td>deployment status</td>",
            &format!(
                r#"<td>VR02 Fryslân</td><td>TS</td><td class="num">2</td><td>{}</td>"#,
                en("deployment_states", "on_scene")
            ),
        ],
    );

    // The map, the records behind the figures and every view again in Dutch.
    let evaluation = dutch::every_view(&browser, &dashboard.url, &requests).await;
    // axe-core on every view, in both languages, at desktop and phone width.
    axe::every_view(&browser, &dashboard.url, &requests, &evaluation).await;

    // Errors come back as JSON with the gRPC code and message.
    let dom = render(&browser, format!("{}api/in-control?region=VR99", dashboard.url)).await;
    assert_has(
        "api",
        &dom,
        &[r#""code":"InvalidArgument""#, r#""grpc_code":3"#, "VR99"],
    );
    drop(dashboard);

    // A region's operator may not ask NL: the page says so with the node's own status.
    write_pems(&t, pems.path(), "operator", Identity::operator(vr(1), "jansen"));
    let as_operator = start_dashboard(&nl, pems.path(), "operator");
    let dom = render(&browser, format!("{}#capacity", as_operator.url)).await;
    assert_has(
        "capacity as an operator",
        &dom,
        &["PermissionDenied", "may ask only VR01's own node"],
    );
    drop(as_operator);
    t.shutdown().await;
}

/// The figures of the capacity view in the page: the national TS totals.
const TS_AVAILABLE: &str = r#"data-total="TS-available">15<"#;

/// Render `url` until `ok` holds for the page, for at most a minute.
async fn until_page(browser: &Path, url: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let dom = render(browser, url.to_string()).await;
        if ok(&dom) {
            return dom;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not within a minute\n--- page ---\n{dom}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_starts_without_its_node_keeps_the_last_picture_and_recovers() {
    let browser = chromium();
    let mut t = TestFed::start(&[vr(1), vr(2), vr(3)], &[]).await;
    records::write(&t).await;
    records::until_nl_has_them(&t).await;
    let pems = tempfile::tempdir().unwrap();
    write_pems(&t, pems.path(), "coordinator", Identity::coordinator("minister"));
    let nl = t.fed.node(NodeId::NL).url();

    // NL is down when the dashboard starts: it starts, and says the node does not answer.
    t.fed.stop(NodeId::NL).await;
    let dashboard = start_dashboard(&nl, pems.path(), "coordinator");
    let url = format!("{}#capacity", dashboard.url);
    let dom = render(&browser, url.clone()).await;
    assert_has(
        "capacity, NL down",
        &dom,
        &[r#"id="error" role="alert">"#, "Unavailable"],
    );
    assert!(!dom.contains(TS_AVAILABLE), "figures without a node:\n{dom}");

    // NL comes back: the dashboard reconnects by itself.
    t.fed.restart(NodeId::NL).await.expect("NL restarts");
    let dom = until_page(&browser, &url, "the figures once NL is back", |d| {
        d.contains(TS_AVAILABLE)
    })
    .await;
    assert_no_error("capacity, NL back", &dom);
    assert_has("capacity, NL back", &dom, &[r#"id="stale" role="alert" hidden"#]);

    // NL goes away again: the last picture, with since when and why it is not newer.
    t.fed.stop(NodeId::NL).await;
    let dom = render(&browser, url.clone()).await;
    assert_has(
        "capacity, NL away",
        &dom,
        &[
            TS_AVAILABLE,
            r#"id="stale" role="alert"><strong>Not updated since "#,
            "the node cannot be reached",
        ],
    );

    // And back once more: fresh figures, no banner.
    t.fed.restart(NodeId::NL).await.expect("NL restarts");
    until_page(&browser, &url, "the banner gone once NL is back", |d| {
        d.contains(r#"id="stale" role="alert" hidden"#) && d.contains(TS_AVAILABLE)
    })
    .await;
    drop(dashboard);
    t.shutdown().await;
}

#[test]
fn a_non_loopback_address_is_refused() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_regiosync"))
        .args(["dashboard", "--listen", "0.0.0.0:8080", "--node", "https://127.0.0.1:1"])
        .output()
        .expect("run regiosync dashboard");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a dashboard on 0.0.0.0 started: {stderr}");
    assert!(stderr.contains("only on a loopback address"), "{stderr}");
}
