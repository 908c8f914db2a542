//! `regiosync report` through the binary on known records (`regiosync_testkit::known`): VR01's
//! report for its board in Dutch and English, as HTML, CSV and PDF (read back with
//! `pdftotext`), at VR01's own node as its operator; the national report at NL.
use std::process::Command;

use regiosync_i18n::{date, Lang};
use regiosync_records::time::parse_date;
use regiosync_testkit::records::date as day_offset;
use regiosync_testkit::{known, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;

use crate::{ok, Person};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn has(what: &str, text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "{what} lacks {w:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regions_board_report_and_the_national_report() {
    let t = TestFed::start(&[vr(1), vr(2), vr(3)], &[]).await;
    known::write(&t).await;
    known::until_nl_has_them(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let op = Person::of(&t, Identity::operator(vr(1), "jansen"));
    let url = t.fed.node(vr(1)).url();

    // The period: the year of the newer evaluation; the older one may fall in the year before.
    let newer = day_offset(-40);
    let year = &newer[..4];
    let held = [day_offset(-200), newer.clone()]
        .iter()
        .filter(|d| d.starts_with(year))
        .count();
    let nl_date = |s: &str| date(Lang::Nl, parse_date("d", s).unwrap());
    let html = out("vr01.html");
    let args = [
        "report",
        "region",
        "vr01",
        "--period",
        year,
        "--out",
        html.to_str().unwrap(),
    ];
    ok(&op.run_default(&url, &args).await, "report region");
    let page = read(&html);
    has(
        "the Dutch report",
        &page,
        &[
            r#"<html lang="nl">"#,
            &format!("<h1>VR01 Groningen: in control in {year}</h1>"),
            &format!("<dd>1 jan. {year} tot en met 31 dec. {year}</dd>"),
            "<dd>node VR01</dd>",
            &format!("<th scope=\"row\">Evaluaties in de periode</th><td>{held}</td>"),
            &format!(
                "<th scope=\"row\">Bestuur laatst geïnformeerd</th><td>{} (10 dagen geleden)</td>",
                nl_date(&day_offset(-10))
            ),
            "<th scope=\"row\">Openstaande verbeteracties</th><td>2</td>",
            "<th scope=\"row\">Waarvan over de termijn</th><td class=\"bad\">1</td>",
            "<th scope=\"row\">Aandachtsgebieden twee keer op rij M of U</th><td class=\"bad\">8</td>",
            "Deze aandachtsgebieden kregen in de laatste twee evaluaties M of U: Melding en alarmering, Leiding en coördinatie,",
            "<th scope=\"row\">Informatiemanagement</th>",
            "Open, over de termijn",
            "<th scope=\"row\">VR01-VR02-water</th>",
            "<td class=\"good\">actief</td>",
            "Grote brand Chemiepark Delfzijl",
            "Als vragende regio",
            // The page footer for print, with the page number.
            "@bottom-left { content: \"VR01 Groningen · ",
            "counter(pages)",
        ],
    );
    let body = page.split("</style>").nth(1).unwrap_or_default();
    assert!(!body.contains('{'), "a message id was not found: {body}");

    // English.
    let en = out("vr01-en.html");
    let args = [
        "report",
        "region",
        "VR01",
        "--period",
        year,
        "--lang",
        "en",
        "--out",
        en.to_str().unwrap(),
    ];
    ok(&op.run(&url, &args).await, "report region --lang en");
    has(
        "the English report",
        &read(&en),
        &[
            r#"<html lang="en">"#,
            &format!("<h1>VR01 Groningen: in control in {year}</h1>"),
            "(10 days ago)",
            "<th scope=\"row\">Areas rated M or U twice in a row</th><td class=\"bad\">8</td>",
            "Alerting and notification",
            "Open, overdue",
        ],
    );

    // Every table as CSV, as Dutch spreadsheets read it.
    let csv = out("csv");
    let args = [
        "report",
        "region",
        "VR01",
        "--period",
        year,
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ];
    let listed = ok(&op.run_default(&url, &args).await, "report --format csv");
    assert_eq!(listed.lines().count(), 9, "{listed}");
    let figures = read(&csv.join("01-kerncijfers.csv"));
    assert!(figures.starts_with("\u{feff}Gegeven;Waarde\r\n"), "{figures:?}");
    has(
        "01-kerncijfers.csv",
        &figures,
        &[
            &format!("Bestuur laatst geïnformeerd;{}\r\n", day_offset(-10)),
            "Aandachtsgebieden twee keer op rij M of U;8\r\n",
        ],
    );

    // PDF, printed by headless Chromium, its text read back.
    let pdf = out("vr01.pdf");
    let args = [
        "report",
        "region",
        "VR01",
        "--period",
        year,
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ];
    ok(&op.run_default(&url, &args).await, "report --format pdf");
    let text = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils; tests/run.sh installs it)");
    let text = String::from_utf8_lossy(&text.stdout);
    has(
        "the PDF",
        &text,
        &[
            "VR01 Groningen: in control in",
            "Kerncijfers",
            "Verbeteracties",
            "VR01-VR02-water",
            "pagina 1 / ",
        ],
    );

    // The national report at NL, as a coordinator.
    let coordinator = Person::of(&t, Identity::coordinator("minister"));
    let national = out("nl.html");
    let args = [
        "report",
        "national",
        "--period",
        year,
        "--out",
        national.to_str().unwrap(),
    ];
    ok(
        &coordinator.run_default(&t.fed.node(NodeId::NL).url(), &args).await,
        "report national",
    );
    let page = read(&national);
    has(
        "the national report",
        &page,
        &[
            &format!("De veiligheidsregio&apos;s: landelijk beeld {year}</h1>"),
            "<dd>node NL</dd>",
            &format!("<th scope=\"row\">VR01 Groningen</th><td class=\"num\">{held}</td>"),
            "<th scope=\"row\">VR03 Drenthe</th>",
            "verouderd",
            "geen melding",
        ],
    );
    // An operator may not ask NL for it: the node's own refusal.
    let refused = op.run(&t.fed.node(NodeId::NL).url(), &["report", "national"]).await;
    assert!(!refused.status.success());
    t.shutdown().await;
}
