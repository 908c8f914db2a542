//! Dutch by default: the tables and messages for people in Dutch with Dutch numbers
//! (`1.500`), moments in Dutch time labelled with their zone (CET in winter, CEST in summer,
//! across the change of 29 March 2026), code names from the Dutch code lists; English with
//! `--lang en`; and `--json` the same in both.
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;

use crate::{json_of, ok, stderr, Person};

fn has(what: &str, text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{what} lacks {want:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_and_messages_are_dutch_by_default_and_english_with_lang_en() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let op = Person::of(&t, Identity::operator(vr(1), "jansen"));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("capaciteit.csv");
    std::fs::write(
        &csv,
        "Eenheid;Basis;Beschikbaar;Ingezet;Buiten dienst\nGPT;1500;1234;200;66\nTS;24;18;4;2\n",
    )
    .unwrap();
    // As of Saturday 28 March 2026 in winter time, valid until 2 April in summer time: the
    // clocks went forward in between. Long past, so stale at once.
    let published = op
        .run_default(
            &url,
            &[
                "capacity",
                "publish",
                "--csv",
                csv.to_str().unwrap(),
                "--as-of",
                "2026-03-28T12:00:00Z",
                "--valid-until",
                "2026-04-02T12:00:00Z",
                "--status",
                "actual",
            ],
        )
        .await;
    let said = ok(&published, "capacity publish");
    has(
        "the confirmation",
        &said,
        &[
            "capaciteit van VR01 Groningen gepubliceerd als gegeven VR01-",
            "2 soorten eenheden, stand 28 mrt. 2026 13:00 CET, geldig tot 2 apr. 2026 14:00 CEST",
            "gedeeld met NL",
        ],
    );
    has(
        "the warning",
        &stderr(&published),
        &["waarschuwing: deze melding is geldig tot 2 apr. 2026 14:00 CEST"],
    );

    // A record view.
    let shown = ok(
        &op.run_default(&url, &["capacity", "show", "VR01"]).await,
        "capacity show",
    );
    has(
        "capacity show",
        &shown,
        &[
            "Capaciteit van VR01 Groningen",
            "stand                 28 mrt. 2026 13:00 CET (",
            "geldig tot            2 apr. 2026 14:00 CEST   << VEROUDERD: ",
            " geleden, telt niet mee >>",
            "telt mee in totalen   nee",
            "eenheid",
            "beschikbaar",
            "GPT Gaspakkenteam",
            "1.500",
            "1.234",
        ],
    );
    assert!(!shown.contains('{'), "a message id was not found:\n{shown}");

    // A table of the national questions, at the region's own node.
    let table = ok(
        &op.run_default(&url, &["query", "resource", "GPT"]).await,
        "query resource",
    );
    has(
        "query resource",
        &table,
        &[
            "GPT Gaspakkenteam per regio",
            "regio  ",
            "  basis  ",
            "buiten dienst",
            "28 mrt. 2026 13:00 CET",
            "VEROUDERD",
            "VR25 Flevoland",
            "NIET GEMELD",
            "1.500",
            "niet meegeteld: 1 verouderd, 24 niet gemeld",
        ],
    );

    // English, with the flag (the environment says nothing).
    let en = ok(
        &op.run_default(&url, &["capacity", "show", "VR01", "--lang", "en"])
            .await,
        "capacity show --lang en",
    );
    has(
        "capacity show --lang en",
        &en,
        &[
            "Capacity of VR01 Groningen",
            "as of                 28 Mar 2026 13:00 CET (",
            "2 Apr 2026 14:00 CEST   << STALE: ",
            "GPT Hazmat entry team (gas-tight suits)",
            "TS Fire engine",
            "1,500",
            "counts in totals      no",
        ],
    );

    // JSON is for scripts: the same in every language, moments in RFC 3339 UTC.
    let nl = json_of(&op.run_default(&url, &["capacity", "show", "VR01", "--json"]).await);
    let en = json_of(&op.run(&url, &["capacity", "show", "VR01", "--json"]).await);
    assert_eq!(nl, en);
    assert_eq!(nl["report"]["as_of"], "2026-03-28T12:00:00Z", "{nl:#}");
    assert_eq!(nl["report"]["entries"][0]["baseline"], 1500, "{nl:#}");
    t.shutdown().await;
}

/// Errors for people are Dutch too: a node that is down, a refusal by the node (its own words
/// kept, what kind of refusal said in Dutch), every problem of a spreadsheet file with its line
/// and column, and an option given wrongly. `--json` keeps the English message and its code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_dutch_by_default_and_english_with_lang_en() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let url = t.fed.node(vr(1)).url();
    let vr02 = Person::of(&t, Identity::operator(vr(2), "x"));

    // Refused by the node: VR02's operator may not ask VR01's node for its entries.
    let refused = vr02.run_default(&url, &["list"]).await;
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    let said = stderr(&refused);
    assert!(
        said.starts_with("fout: niet toegestaan (melding van de node: "),
        "{said}"
    );
    let en = stderr(&vr02.run(&url, &["list"]).await);
    assert!(en.starts_with("error: PermissionDenied: "), "{en}");
    let json = json_of(&vr02.run_default(&url, &["list", "--json"]).await);
    assert_eq!(json["error"]["code"], "permission_denied");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("PermissionDenied: "),
        "{json}"
    );

    // Every problem of a spreadsheet file, each with its line and column, in Dutch.
    let op = Person::of(&t, Identity::operator(vr(1), "jansen"));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("capaciteit.csv");
    std::fs::write(
        &csv,
        "Eenheid;Basis;Beschikbaar;Ingezet;Buiten dienst;Kleur\nTS;12;x;2;1;\nBLA;1;1;0;0;\nHV;2;2;1;0;\n",
    )
    .unwrap();
    let name = csv.display().to_string();
    let publish = |lang_en: bool| {
        let csv = csv.clone();
        let (op, url) = (&op, &url);
        async move {
            let args = [
                "capacity",
                "publish",
                "--csv",
                csv.to_str().unwrap(),
                "--as-of",
                "now",
                "--valid-until",
                "+24h",
            ];
            match lang_en {
                true => op.run(url, &args).await,
                false => op.run_default(url, &args).await,
            }
        }
    };
    let nl = publish(false).await;
    assert_eq!(nl.status.code(), Some(1), "{nl:?}");
    assert_eq!(
        stderr(&nl).trim_end(),
        [
            format!("fout: {name}: 4 problemen"),
            format!("{name} regel 1, kolom Kleur: onbekende kolom; de kolommen zijn resource_type (eenheid), baseline (basis), available (beschikbaar), committed (ingezet), out_of_service (buiten_dienst), surge_24h (opschaling_24u), surge_72h (opschaling_72u), status, remarks (opmerking)"),
            format!("{name} regel 2, kolom Beschikbaar: 'x' is geen geheel getal"),
            format!("{name} regel 3, kolom Eenheid: 'BLA' is geen soort eenheid in codelijstversie 3 (zie config/codelists/v3.toml, bijvoorbeeld TS, AMB, OvD-B)"),
            format!("{name} regel 4: HV: beschikbaar 2 + ingezet 1 + buiten dienst 0 = 3 is meer dan de basis 2"),
        ]
        .join("\n")
    );
    let en = stderr(&publish(true).await);
    assert!(en.starts_with(&format!("error: {name}: 4 problems\n")), "{en}");
    assert!(
        en.contains(&format!("{name} line 2, column Beschikbaar: 'x' is not a whole number")),
        "{en}"
    );

    // An option given wrongly, and a file that is not there.
    let o = op
        .run_default(
            &url,
            &["publish", "--kind", "x.note", "--payload", "a", "--status", "echt"],
        )
        .await;
    assert_eq!(
        stderr(&o).trim_end(),
        "fout: --status: 'echt' is niet een van actual, exercise, test",
        "{o:?}"
    );
    let gone = dir.path().join("weg.toml");
    let o = op
        .run_default(&url, &["capacity", "publish", gone.to_str().unwrap()])
        .await;
    assert_eq!(
        stderr(&o).trim_end(),
        format!("fout: {} lezen: bestand of map bestaat niet", gone.display()),
        "{o:?}"
    );

    // A node that is down: which node, why, and what to do, in one Dutch line.
    t.shutdown().await;
    let down = stderr(&op.run_default(&url, &["status"]).await);
    assert_eq!(
        down.trim_end(),
        format!("fout: de node op {url} is niet bereikbaar: verbinding geweigerd (draait de node, en klopt --node?)")
    );
}
