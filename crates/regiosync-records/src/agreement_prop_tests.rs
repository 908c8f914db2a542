//! Property: an agreement's derived view depends only on the set of records held, never on
//! the order they arrived in, duplicates or which prefix arrived first.

use crate::agreement::{derive, derive_all};
use crate::agreement_tests::*;
use crate::record::Record;

pub(crate) use regiosync_types::rng::Rng;

/// Four agreements touching every rule: amendment, withdrawal, rejection, revocation, acts
/// that do not count, acts that arrive before their version.
fn scenario() -> Vec<Record> {
    let (mut a, v1) = active_v1();
    let v2 = a.version(
        "VR02",
        at("2026-03-01"),
        2,
        &["VR01", "VR02"],
        ("2026-04-01", "2027-12-31", 90),
    );
    a.sign("VR02", at("2026-03-01"), &v2);
    a.sign("VR01", at("2026-03-10"), &v2);
    a.sign("VR03", at("2026-03-10"), &v2);
    a.sign_as("VR01", "VR01", at("2026-03-11"), 1, vec![1; 32]);
    a.reject("VR01", at("2026-03-12"), &v1, "te laat");
    a.withdraw("VR01", at("2026-06-01"));
    a.withdraw("VR02", at("2026-07-01"));

    let mut b = a;
    b.id = "VR03-VR04-VR05-cbrn".into();
    let b1 = b.version("VR03", at("2026-01-10"), 1, &["VR03", "VR04", "VR05"], YEAR);
    b.sign("VR03", at("2026-01-10"), &b1);
    b.sign("VR04", at("2026-01-11"), &b1);
    b.reject("VR05", at("2026-01-12"), &b1, "geen capaciteit");
    let b2 = b.version(
        "VR04",
        at("2026-01-20"),
        2,
        &["VR03", "VR04", "VR05"],
        ("2026-02-01", "2026-06-30", 30),
    );
    for (p, d) in [
        ("VR05", "2026-01-21"),
        ("VR03", "2026-01-22"),
        ("VR04", "2026-01-23"),
        ("VR04", "2026-01-24"),
    ] {
        b.sign(p, at(d), &b2);
    }
    b.revoke("VR04", at("2026-05-01"));
    b.revoke("VR05", at("2026-04-01") + 1);

    let mut c = b;
    c.id = "VR06-VR07-natuurbrand".into();
    let c1 = c.version(
        "VR06",
        at("2026-02-01"),
        1,
        &["VR06", "VR07"],
        ("2026-02-01", "2026-09-30", 14),
    );
    c.sign("VR06", at("2026-02-01"), &c1);
    c.withdraw("VR07", at("2026-02-03"));
    c.sign("VR07", at("2026-02-05"), &c1);

    let mut d = c;
    d.id = "VR08-VR01-duikteam".into();
    let d1 = d.version(
        "VR08",
        at("2026-02-10"),
        1,
        &["VR08", "VR01"],
        ("2026-03-01", "2026-05-31", 0),
    );
    d.sign("VR08", at("2026-02-10"), &d1);
    d.sign("VR01", at("2026-02-11"), &d1);
    d.version("VR09", at("2026-02-12"), 2, &["VR08", "VR01"], YEAR);

    let mut e = d;
    e.id = "VR10-VR11-opvang".into();
    e.version("VR10", at("2026-01-02"), 1, &["VR10", "VR11"], YEAR);
    e.id = "VR12-VR13-ambulances".into();
    let f1 = e.version("VR12", at("2026-01-02"), 1, &["VR12", "VR13"], YEAR);
    e.sign("VR12", at("2026-01-03"), &f1);
    e.id = "VR14-VR15-gaspakken".into();
    let g1 = e.version("VR14", at("2026-01-02"), 1, &["VR14", "VR15"], YEAR);
    e.reject("VR15", at("2026-01-03"), &g1, "geen gaspakkenteam beschikbaar");
    e.records
}

fn canonical(records: &[Record]) -> Vec<Record> {
    let mut c = records.to_vec();
    c.sort_by_key(|r| (r.origin, r.seq));
    c.dedup_by_key(|r| (r.origin, r.seq));
    c
}

const NOWS: [&str; 8] = [
    "2026-01-06",
    "2026-01-15",
    "2026-02-04",
    "2026-03-15",
    "2026-04-15",
    "2026-06-15",
    "2026-09-01",
    "2028-01-01",
];

#[test]
fn the_view_depends_only_on_the_set_of_records() {
    let scenario = scenario();
    let nows: Vec<i64> = NOWS.iter().map(|d| at(d)).collect();
    let expected: Vec<_> = nows.iter().map(|&n| derive_all(&scenario, n, 60)).collect();
    // The scenario is not vacuous: it reaches most states.
    let mut reached: Vec<&str> = expected.iter().flatten().map(|v| v.state.as_str()).collect();
    reached.sort();
    reached.dedup();
    assert_eq!(
        reached,
        [
            "active",
            "expired",
            "partially_signed",
            "proposed",
            "rejected",
            "revoked",
            "signed",
            "withdrawn"
        ]
    );
    let mid_april: Vec<_> = expected[4]
        .iter()
        .map(|v| {
            (
                v.agreement_id.as_str(),
                v.state.as_str(),
                v.version_in_force,
                v.newest_version,
            )
        })
        .collect();
    assert_eq!(
        mid_april,
        [
            ("VR01-VR02-waterongevallen", "active", 2, 2),
            ("VR03-VR04-VR05-cbrn", "revoked", 2, 2),
            ("VR06-VR07-natuurbrand", "withdrawn", 0, 1),
            ("VR08-VR01-duikteam", "active", 1, 1),
            ("VR10-VR11-opvang", "proposed", 0, 1),
            ("VR12-VR13-ambulances", "partially_signed", 0, 1),
            ("VR14-VR15-gaspakken", "rejected", 0, 1),
        ]
    );
    assert!(expected
        .iter()
        .flatten()
        .flat_map(|v| &v.versions)
        .any(|v| v.state == "superseded"));
    assert!(expected.iter().flatten().any(|v| !v.ignored.is_empty()));

    for seed in 0..200u64 {
        let mut rng = Rng(seed);
        let mut delivered = scenario.clone();
        for _ in 0..rng.below(12) {
            let dup = delivered[rng.index(delivered.len())].clone();
            delivered.push(dup);
        }
        rng.shuffle(&mut delivered);
        let mut cuts: Vec<usize> = (0..4).map(|_| rng.index(delivered.len() + 1)).collect();
        cuts.push(delivered.len());
        cuts.sort();
        for cut in cuts {
            let held = &delivered[..cut];
            let sorted = canonical(held);
            for (i, &now) in nows.iter().enumerate() {
                let got = derive_all(held, now, 60);
                assert_eq!(
                    got,
                    derive_all(&sorted, now, 60),
                    "seed {seed}, {cut} delivered, now {}",
                    NOWS[i]
                );
                if cut == delivered.len() {
                    assert_eq!(got, expected[i], "seed {seed}, everything delivered, now {}", NOWS[i]);
                }
                for view in &got {
                    let one = derive(&view.agreement_id, held, now, 60).as_ref().cloned();
                    assert_eq!(one.as_ref(), Some(view), "seed {seed}, derive of {}", view.agreement_id);
                }
            }
        }
    }
}
