use std::collections::BTreeSet;

use fluent_bundle::FluentResource;
use fluent_syntax::ast::Entry;
use regiosync_records::codes::CodeLists;
use regiosync_records::time::{parse_date, parse_moment};

use crate::catalog::FILES;
use crate::*;

fn ids(lang: Lang) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, file, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
        let r = FluentResource::try_new(text.to_string()).unwrap_or_else(|(_, e)| panic!("{lang}/{file}: {e:?}"));
        for entry in r.entries() {
            if let Entry::Message(m) = entry {
                assert!(out.insert(m.id.name.to_string()), "{lang}/{file}: {} twice", m.id.name);
            }
        }
    }
    out
}

#[test]
fn every_message_is_in_every_language_and_every_code_name_names_a_code() {
    let (nl, en) = (ids(Lang::Nl), ids(Lang::En));
    let plain = |s: &BTreeSet<String>| {
        s.iter()
            .filter(|i| !i.starts_with("code-"))
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let (only_nl, only_en): (Vec<_>, Vec<_>) = (
        plain(&nl).difference(&plain(&en)).cloned().collect(),
        plain(&en).difference(&plain(&nl)).cloned().collect(),
    );
    assert!(
        only_nl.is_empty() && only_en.is_empty(),
        "only in nl: {only_nl:?}; only in en: {only_en:?}"
    );
    let lists = CodeLists::shipped().latest();
    for id in en.iter().chain(&nl).filter(|i| i.starts_with("code-")) {
        let rest = &id["code-".len()..];
        let known = regiosync_records::codes::list::ALL.iter().any(|list| {
            rest.strip_prefix(list)
                .and_then(|c| c.strip_prefix('-'))
                .is_some_and(|code| lists.get(list, code).is_some())
        });
        assert!(known, "{id} names no code of the shipped code lists");
    }
    // Both catalogues load, and a message formats with its arguments.
    for lang in Lang::ALL {
        let c = Catalog::of(lang);
        assert!(!c.s("sec-summary").starts_with('{'));
        let days = c.t("fig-board-days", &Args::new().count(lang, "days", 1));
        assert_eq!(days, if lang == Lang::Nl { "1 dag geleden" } else { "1 day ago" });
        let days = c.t("fig-board-days", &Args::new().count(lang, "days", 1204));
        assert_eq!(
            days,
            if lang == Lang::Nl {
                "1.204 dagen geleden"
            } else {
                "1,204 days ago"
            }
        );
    }
    assert_eq!(Catalog::of(Lang::En).s("no-such-message"), "{no-such-message}");
    assert_eq!(
        Catalog::of(Lang::En).code_name("rated_areas", "samenwerking", Some("Samenwerking")),
        "Cooperation"
    );
    assert_eq!(
        Catalog::of(Lang::Nl).code_name("rated_areas", "samenwerking", Some("Samenwerking")),
        "Samenwerking"
    );
}

#[test]
fn numbers_as_a_dutch_and_an_english_reader_write_them() {
    assert_eq!(int(Lang::Nl, 28_469), "28.469");
    assert_eq!(int(Lang::En, 28_469), "28,469");
    assert_eq!(int(Lang::Nl, 1_234_567), "1.234.567");
    assert_eq!(int(Lang::Nl, -1_000), "-1.000");
    assert_eq!(int(Lang::Nl, 999), "999");
    assert_eq!(decimal(Lang::Nl, 1234.5, 1), "1.234,5");
    assert_eq!(decimal(Lang::En, 1234.5, 1), "1,234.5");
    assert_eq!(decimal(Lang::Nl, 0.286, 2), "0,29");
    assert_eq!(decimal(Lang::Nl, -0.001, 1), "0,0");
    assert_eq!(percent(Lang::Nl, 2, 7).as_deref(), Some("29%"));
    assert_eq!(percent(Lang::Nl, 0, 0), None);
    assert_eq!(minutes(Lang::Nl, 12 * 60_000 + 29_000), "12 min");
    assert_eq!(minutes(Lang::Nl, 185 * 60_000), "3 u 5 min");
    assert_eq!(minutes(Lang::En, 185 * 60_000), "3 h 5 min");
}

#[test]
fn dates_and_times_in_dutch_time_across_both_daylight_saving_changes() {
    let day = |s: &str| parse_date("d", s).unwrap();
    let at = |s: &str| parse_moment("t", s).unwrap();
    assert_eq!(date(Lang::Nl, day("2026-12-01")), "1 dec. 2026");
    assert_eq!(date(Lang::En, day("2026-12-01")), "1 Dec 2026");
    assert_eq!(date(Lang::Nl, day("2026-05-09")), "9 mei 2026");
    assert_eq!(date_str(Lang::Nl, "2026-03-29"), "29 mrt. 2026");
    assert_eq!(date_str(Lang::Nl, ""), "–");
    // Spring: at 01:00 UTC on 29 March 2026 the clocks go from 02:00 CET to 03:00 CEST.
    assert_eq!(moment(Lang::Nl, at("2026-03-29T00:59:00Z")), "29 mrt. 2026 01:59 CET");
    assert_eq!(moment(Lang::Nl, at("2026-03-29T01:00:00Z")), "29 mrt. 2026 03:00 CEST");
    // Autumn: 02:30 happens twice on 25 October 2026; the zone tells them apart.
    assert_eq!(moment(Lang::Nl, at("2026-10-25T00:30:00Z")), "25 okt. 2026 02:30 CEST");
    assert_eq!(moment(Lang::Nl, at("2026-10-25T01:30:00Z")), "25 okt. 2026 02:30 CET");
    // Late in the evening UTC is already the next Dutch day.
    assert_eq!(moment(Lang::En, at("2026-12-31T23:30:00Z")), "1 Jan 2027 00:30 CET");
    assert_eq!(moment(Lang::Nl, 0), "–");
}

#[test]
fn a_language_from_a_setting_or_a_browser() {
    assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
    assert_eq!("nl-NL".parse::<Lang>(), Ok(Lang::Nl));
    assert!("de"
        .parse::<Lang>()
        .unwrap_err()
        .contains("nl (Nederlands) or en (English)"));
    assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"), Lang::En);
    assert_eq!(Lang::from_accept_language("de-DE,nl;q=0.5,en;q=0.7"), Lang::En);
    assert_eq!(Lang::from_accept_language("fr"), Lang::Nl);
    assert_eq!(Lang::from_accept_language(""), Lang::Nl);
    assert_eq!(Lang::from_accept_language("nl, en"), Lang::Nl);
}

#[test]
fn moments_typed_in_utc_with_an_offset_or_in_dutch_time() {
    let typed = crate::parse_moment;
    let utc = |s: &str| parse_moment("t", s).unwrap();
    assert_eq!(typed("2026-12-01T13:00:00Z"), Ok(utc("2026-12-01T13:00:00Z")));
    assert_eq!(typed("2026-12-01T14:00+01:00"), Ok(utc("2026-12-01T13:00:00Z")));
    assert_eq!(typed("2026-07-01T09:30:15-04:00"), Ok(utc("2026-07-01T13:30:15Z")));
    // Dutch time: winter UTC+1, summer UTC+2.
    assert_eq!(typed("2026-12-01 14:00"), Ok(utc("2026-12-01T13:00:00Z")));
    assert_eq!(typed("2026-07-01T14:00"), Ok(utc("2026-07-01T12:00:00Z")));
    // Around the changes: the skipped and the repeated hour are refused, the ones beside them read.
    assert_eq!(typed("2026-03-29 01:59"), Ok(utc("2026-03-29T00:59:00Z")));
    assert_eq!(typed("2026-03-29 03:00"), Ok(utc("2026-03-29T01:00:00Z")));
    let e = typed("2026-03-29 02:30").unwrap_err();
    assert!(e.contains("does not exist in Dutch time"), "{e}");
    let e = typed("2026-10-25 02:30").unwrap_err();
    assert!(e.contains("happens twice") && e.contains("+02:00"), "{e}");
    assert_eq!(typed("2026-10-25T02:30+02:00"), Ok(utc("2026-10-25T00:30:00Z")));
    assert_eq!(typed("2026-10-25T02:30+01:00"), Ok(utc("2026-10-25T01:30:00Z")));
    for bad in [
        "morgen",
        "2026-12-01",
        "2026-13-01 10:00",
        "2026-12-01 25:00",
        "2026-12-01x10:00",
        "2026-12-01 10:00+1",
    ] {
        assert!(typed(bad).is_err(), "{bad} was read");
    }
}

#[test]
fn the_page_catalogue_exports_every_message_with_its_arguments_and_choices() {
    for lang in Lang::ALL {
        let texts = messages_json(lang, &["dashboard.ftl", "codes.ftl"]).unwrap_or_else(|e| panic!("{e}"));
        // Every message of the two files, and nothing of the others.
        let c = Catalog::of(lang);
        assert!(texts.keys().all(|id| c.has(id)));
        assert!(!texts.contains_key("sec-summary"));
        assert!(texts.len() > 300, "{lang}: {}", texts.len());
        // Plain text stays a string; an argument is a part; a plural choice keeps its variants.
        assert!(texts["ic-area"].is_string());
        let source = &texts["source-as"];
        assert_eq!(source[1], serde_json::json!({"v": "node"}), "{lang}: {source}");
        let cell = &texts["cov-cell-active"];
        let choice = &cell[0];
        assert_eq!(choice["s"], "n", "{lang}: {cell}");
        assert_eq!(choice["d"], "other");
        assert!(choice["k"]["one"].is_string());
        assert_eq!(cell[1], ": ");
    }
    assert_eq!(
        messages_json(Lang::Nl, &["dashboard.ftl"]).unwrap()["span-hours"],
        serde_json::json!([{"v": "h"}, " u ", {"v": "min"}, " min"])
    );
}
