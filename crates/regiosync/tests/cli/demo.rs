//! `regiosync demo --json` plays the incident: VR17's request from ask to close, every step by
//! the member that took it, as NL derives it at the end.
use crate::{json_of, ok, regiosync};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plays_the_incident_from_request_to_close() {
    let o = regiosync(vec!["demo".into(), "--json".into()], None).await;
    ok(&o, "demo --json");
    let v = json_of(&o);
    let a = &v["assistance"];
    assert_eq!(a["state"], "closed", "{a:#}");
    assert_eq!(a["record"]["origin"], "VR17", "{a:#}");
    assert_eq!(
        a["request"]["addressed"],
        serde_json::json!(["VR15", "VR16", "VR18"]),
        "{a:#}"
    );
    let lines: Vec<(String, u64, u64, u64)> = a["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_u64().unwrap_or(0);
            (
                l["resource_type"].as_str().unwrap().to_string(),
                n("requested"),
                n("committed"),
                n("released"),
            )
        })
        .collect();
    assert_eq!(lines, [("TS".to_string(), 6, 3, 3), ("GPT".to_string(), 1, 1, 1)]);
    let answers: Vec<&str> = a["addressees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["answer"].as_str().unwrap())
        .collect();
    assert_eq!(answers, ["offered", "offered", "declined"]);
    assert_eq!(a["timeline"].as_array().map(Vec::len), Some(18), "{:#}", a["timeline"]);
    assert!(a["ignored"].as_array().is_none_or(Vec::is_empty), "{:#}", a["ignored"]);
    assert_eq!(
        v["records_written"]["assistance_deployment"], 12,
        "{:#}",
        v["records_written"]
    );
}

/// Without `--json` and without a language, the demo speaks Dutch: its narration, the national
/// picture (Dutch numbers, code names, dates) and the incident.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_speaks_dutch_by_default() {
    let o = crate::regiosync_in(None, vec!["demo".into()], None).await;
    let said = ok(&o, "demo");
    for want in [
        "26 nodes (NL + 25 regio's) gestart op 127.0.0.1 in ",
        "Landelijke capaciteit bij NL (",
        "OPV       Opvangplaats (per persoon)               23  28.469       27.261",
        "niet meegeteld: verouderd VR19 Zeeland (geldig tot ",
        "Afspraken bij NL (Records.ListAgreements): 16",
        "voorgesteld 1 · deels ondertekend 2",
        "Melding en alarmering",
        "gemeld aan het algemeen bestuur: ",
        "Het incident: 18 stappen van één bijstandsverzoek",
        "Bijstandsverzoek VR17-8 van VR17 Rotterdam-Rijnmond: afgesloten",
    ] {
        assert!(said.contains(want), "the demo lacks {want:?}:\n{said}");
    }
    assert!(!said.contains("National capacity"), "{said}");
}
