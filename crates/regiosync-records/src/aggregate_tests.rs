//! The aggregates fold each stored record once, in any order, to the same values.
use std::collections::BTreeMap;

use prost::Message;
use regiosync_types::pb::Status;
use regiosync_types::{Envelope, NodeId};

use crate::aggregate::{self, State};
use crate::{kinds, pb, testsuite, Record};

/// Fold, which must succeed here (every stored value is one `fold` wrote).
fn fold(env: &Envelope, state: &mut dyn State) {
    aggregate::fold(env, state).expect("fold")
}

#[derive(Default)]
struct Map(BTreeMap<Vec<u8>, Vec<u8>>);

impl Map {
    /// The value under `key`, decoded (it must decode: `fold` wrote it).
    fn value<M: prost::Message + Default>(&mut self, key: Vec<u8>) -> M {
        let v = self.get(&key);
        aggregate::decode(&key, v).expect("a value fold wrote")
    }
}

impl State for Map {
    fn get(&mut self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key).cloned()
    }
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.0.insert(key, value);
    }
}

fn vr(n: u8) -> NodeId {
    NodeId::region(n).unwrap()
}

/// An entry of `origin`, created `seq` ms after a fixed moment.
fn entry(origin: NodeId, seq: u64, kind: &str, status: Status, payload: Vec<u8>) -> Envelope {
    testsuite::entry(origin, seq, kind, status, 1_790_000_000_000 + seq as i64, payload)
}

/// The sample capacity report of VR01 as of `as_of`, one line of TS.
fn report(as_of: &str, available: u32) -> Vec<u8> {
    pb::CapacityReport {
        as_of: as_of.into(),
        valid_until: "2030-01-01T00:00:00Z".into(),
        entries: vec![testsuite::line("TS", 10, available, 0, 0)],
        ..testsuite::capacity()
    }
    .encode_to_vec()
}

/// The sample evaluation of VR01 for an event of `kind` on `date`, one area rated.
fn evaluation(date: &str, kind: &str, rating: &str) -> Vec<u8> {
    let sample = testsuite::evaluation();
    pb::EvaluationSummary {
        event: Some(pb::Event {
            date: date.into(),
            kind: kind.into(),
            ..sample.event.clone().unwrap()
        }),
        ratings: vec![testsuite::rating("melding_alarmering", rating)],
        ..sample
    }
    .encode_to_vec()
}

#[test]
fn the_newest_capacity_report_wins_in_any_order_and_reports_are_counted() {
    let a = entry(
        vr(1),
        1,
        kinds::CAPACITY_REPORT,
        Status::Actual,
        report("2026-11-01T08:00:00Z", 3),
    );
    let b = entry(
        vr(1),
        2,
        kinds::CAPACITY_REPORT,
        Status::Actual,
        report("2026-11-02T08:00:00Z", 7),
    );
    let x = entry(
        vr(1),
        3,
        kinds::CAPACITY_REPORT,
        Status::Exercise,
        report("2026-11-03T08:00:00Z", 9),
    );
    for order in [[&a, &b, &x], [&b, &a, &x], [&x, &b, &a]] {
        let mut m = Map::default();
        for e in order {
            fold(e, &mut m);
        }
        let actual: pb::CapacityLatest = m.value(aggregate::capacity_key(vr(1), Status::Actual));
        assert_eq!(actual.reports, 2);
        let held = Record::from_held(actual.record.as_ref().unwrap()).unwrap().unwrap();
        assert_eq!(held.seq, 2, "the later as_of is current whatever the order");
        let exercise: pb::CapacityLatest = m.value(aggregate::capacity_key(vr(1), Status::Exercise));
        assert_eq!(exercise.reports, 1, "exercise reports are kept apart");
    }
}

#[test]
fn ratings_are_counted_per_year_kind_area_for_actual_evaluations_only() {
    let mut m = Map::default();
    fold(
        &entry(
            vr(1),
            1,
            kinds::EVALUATION_SUMMARY,
            Status::Actual,
            evaluation("2025-03-01", "incident", "M"),
        ),
        &mut m,
    );
    fold(
        &entry(
            vr(1),
            2,
            kinds::EVALUATION_SUMMARY,
            Status::Actual,
            evaluation("2025-09-01", "incident", "M"),
        ),
        &mut m,
    );
    fold(
        &entry(
            vr(1),
            3,
            kinds::EVALUATION_SUMMARY,
            Status::Actual,
            evaluation("2026-01-01", "exercise", "P"),
        ),
        &mut m,
    );
    fold(
        &entry(
            vr(1),
            4,
            kinds::EVALUATION_SUMMARY,
            Status::Test,
            evaluation("2026-01-01", "exercise", "U"),
        ),
        &mut m,
    );
    let count = |m: &mut Map, y, k, r| {
        let key = aggregate::rating_key(y, k, "melding_alarmering", r);
        aggregate::counter(&key, m.get(&key)).unwrap()
    };
    assert_eq!(count(&mut m, 2025, "incident", "M"), 2);
    assert_eq!(count(&mut m, 2026, "exercise", "P"), 1);
    assert_eq!(count(&mut m, 2026, "exercise", "U"), 0, "test evaluations never count");
    let all: pb::RegionEvaluations = m.value(aggregate::evaluations_key(vr(1)));
    assert_eq!(
        all.records.len(),
        4,
        "the region's list keeps every evaluation (views filter by status)"
    );
    let key = aggregate::rating_key(2025, "incident", "melding_alarmering", "M");
    assert_eq!(
        aggregate::parse_rating_key(&key),
        Some((2025, b'i', "melding_alarmering".into(), "M".into()))
    );
}

#[test]
fn agreement_records_are_grouped_by_agreement_and_opaque_kinds_change_nothing() {
    let mut m = Map::default();
    let sig = |id: &str| {
        pb::AgreementSignature {
            agreement_id: id.into(),
            version: 1,
            content_sha256: vec![0; 32],
            party: "VR01".into(),
            author: "operator:VR01:a".into(),
        }
        .encode_to_vec()
    };
    fold(
        &entry(vr(1), 1, kinds::AGREEMENT_SIGNATURE, Status::Actual, sig("A-1")),
        &mut m,
    );
    fold(
        &entry(vr(1), 2, kinds::AGREEMENT_SIGNATURE, Status::Actual, sig("A-2")),
        &mut m,
    );
    fold(
        &entry(vr(1), 3, kinds::AGREEMENT_SIGNATURE, Status::Actual, sig("A-1")),
        &mut m,
    );
    fold(&entry(vr(1), 4, "x.note", Status::Actual, b"opaque".to_vec()), &mut m);
    let a1: pb::AgreementRecords = m.value(aggregate::agreement_key("A-1"));
    assert_eq!(a1.records.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(m.0.len(), 2, "one value per agreement, nothing for opaque kinds");
}

#[test]
fn a_stored_value_that_does_not_decode_is_an_error_not_an_empty_default() {
    let mut m = Map::default();
    let key = aggregate::evaluations_key(vr(1));
    m.put(key.clone(), vec![0xff, 0xff, 0xff]);
    let err = aggregate::decode::<pb::RegionEvaluations>(&key, m.get(&key))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("stored aggregate evVR01\\x00: malformed protobuf"),
        "the error names the key: {err}"
    );
    let short = aggregate::counter(b"en", Some(vec![1, 2, 3])).unwrap_err().to_string();
    assert!(short.contains("a counter of 3 bytes, not 8"), "{short}");
    // Folding over it refuses and writes nothing back.
    let mut summary = testsuite::evaluation();
    summary.region = "VR01".into();
    let env = entry(
        vr(1),
        1,
        kinds::EVALUATION_SUMMARY,
        Status::Actual,
        summary.encode_to_vec(),
    );
    assert!(aggregate::fold(&env, &mut m).is_err());
    assert_eq!(m.get(&key), Some(vec![0xff, 0xff, 0xff]));
}

/// The values under `prefix`, as the engine returns them.
fn under(m: &Map, prefix: &[u8]) -> crate::read::Values {
    m.0.range(prefix.to_vec()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn what_fold_writes_reads_back_as_the_questions_inputs() {
    use crate::read;
    let mut m = Map::default();
    fold(
        &entry(
            vr(1),
            1,
            kinds::CAPACITY_REPORT,
            Status::Actual,
            report("2026-11-02T08:00:00Z", 4),
        ),
        &mut m,
    );
    fold(
        &entry(
            vr(2),
            2,
            kinds::EVALUATION_SUMMARY,
            Status::Actual,
            evaluation("2025-03-01", "incident", "M"),
        ),
        &mut m,
    );
    let capacity = read::capacity(under(&m, aggregate::CAPACITY)).unwrap();
    assert_eq!(capacity.len(), 1);
    assert_eq!(capacity[0].reports, 1);
    let by_region = read::evaluations(under(&m, aggregate::EVALUATIONS)).unwrap();
    assert_eq!(by_region.keys().copied().collect::<Vec<_>>(), [vr(2)]);
    assert_eq!(by_region[&vr(2)].len(), 1);
    let key = aggregate::evaluations_key(vr(2));
    let v = m.get(&key);
    assert_eq!(read::region_evaluations(vr(2), v).unwrap().len(), 1);
    assert!(
        read::region_evaluations(vr(3), None).unwrap().is_empty(),
        "nothing stored: none"
    );
    let counts = read::rating_counts(under(&m, aggregate::RATING_COUNTS)).unwrap();
    assert_eq!(
        counts,
        [((2025, b'i', "melding_alarmering".to_string(), "M".to_string()), 1)]
    );
}

#[test]
fn a_damaged_key_or_value_is_an_error_naming_the_key_for_every_read() {
    use crate::read;
    let bad = vec![0xff, 0xff, 0xff];
    let named = |r: Result<(), regiosync_types::Error>, key: &str| {
        let e = r.expect_err("damaged").to_string();
        assert!(e.starts_with(&format!("stored aggregate {key}")), "{e}");
    };
    let cap = aggregate::capacity_key(vr(1), Status::Actual);
    named(
        read::capacity(vec![(cap.clone(), bad.clone())]).map(drop),
        "clVR01\\x00\\x01",
    );
    named(
        read::agreements(vec![(aggregate::agreement_key("A-1"), bad.clone())]).map(drop),
        "agA-1",
    );
    named(
        read::evaluations(vec![(aggregate::evaluations_key(vr(1)), bad.clone())]).map(drop),
        "evVR01",
    );
    named(read::evaluations(vec![(b"ev".to_vec(), vec![])]).map(drop), "ev:");
    let counter = aggregate::rating_key(2025, "incident", "melding_alarmering", "M");
    named(read::rating_counts(vec![(counter, vec![1])]).map(drop), "en2025i");
    named(
        read::rating_counts(vec![(b"enxx".to_vec(), vec![0; 8])]).map(drop),
        "enxx",
    );
}

#[test]
fn every_record_of_an_assistance_request_is_kept_under_its_id_and_read_back_as_its_view() {
    let (flow, q) = crate::assistance_tests::fire();
    let mut m = Map::default();
    for r in &flow.records {
        let kind = match &r.payload {
            crate::Payload::AssistanceRequest(_) => kinds::ASSISTANCE_REQUEST,
            crate::Payload::AssistanceOffer(_) => kinds::ASSISTANCE_OFFER,
            crate::Payload::AssistanceAcceptance(_) => kinds::ASSISTANCE_ACCEPTANCE,
            crate::Payload::AssistanceDeployment(_) => kinds::ASSISTANCE_DEPLOYMENT,
            crate::Payload::AssistanceClose(_) => kinds::ASSISTANCE_CLOSE,
            other => panic!("{other:?}"),
        };
        let bytes = match &r.payload {
            crate::Payload::AssistanceRequest(p) => p.encode_to_vec(),
            crate::Payload::AssistanceOffer(p) => p.encode_to_vec(),
            crate::Payload::AssistanceAcceptance(p) => p.encode_to_vec(),
            crate::Payload::AssistanceDeployment(p) => p.encode_to_vec(),
            crate::Payload::AssistanceClose(p) => p.encode_to_vec(),
            _ => unreachable!(),
        };
        let env = testsuite::entry(r.origin, r.seq, kind, r.status, r.created_unix_ms, bytes);
        fold(&env, &mut m);
    }
    // One key, holding all 14 records, and nothing else.
    assert_eq!(m.0.keys().cloned().collect::<Vec<_>>(), [aggregate::assistance_key(&q)]);
    let held: pb::AssistanceRecords = m.value(aggregate::assistance_key(&q));
    assert_eq!(held.records.len(), flow.records.len());
    let now = testsuite::at("2026-11-29T23:00:00Z");
    let values: Vec<(Vec<u8>, Vec<u8>)> = m.0.clone().into_iter().collect();
    let views = crate::read::assistance_views(values, now).unwrap();
    assert_eq!(views, [crate::assistance::derive(&q, &flow.records, now).unwrap()]);
    // A damaged value is an error naming its key, never an empty request.
    let e = crate::read::assistance_views(vec![(aggregate::assistance_key(&q), vec![0xff])], now).unwrap_err();
    assert!(e.to_string().contains("stored aggregate asVR17-1"), "{e}");
}

#[test]
fn capacity_history_keeps_each_days_newest_actual_report_and_counts_it_while_valid() {
    let mut m = Map::default();
    let cap = kinds::CAPACITY_REPORT;
    let of = |region: u8, as_of: &str, valid_until: &str, available: u32| {
        pb::CapacityReport {
            region: vr(region).to_string(),
            as_of: as_of.into(),
            valid_until: valid_until.into(),
            entries: vec![testsuite::line("TS", 10, available, 2, 1)],
            ..testsuite::capacity()
        }
        .encode_to_vec()
    };
    let until = "2030-01-01T00:00:00Z";
    // VR01 on 1 March: the evening report is that day's, also when the morning one comes later.
    fold(
        &entry(vr(1), 1, cap, Status::Actual, of(1, "2026-03-01T19:00:00Z", until, 7)),
        &mut m,
    );
    fold(
        &entry(vr(1), 2, cap, Status::Actual, of(1, "2026-03-01T08:00:00Z", until, 5)),
        &mut m,
    );
    fold(
        &entry(vr(1), 3, cap, Status::Actual, of(1, "2026-03-03T08:00:00Z", until, 9)),
        &mut m,
    );
    // VR02: 23:30 UTC on 1 March is 00:30 on 2 March in the Netherlands; valid until noon.
    fold(
        &entry(
            vr(2),
            1,
            cap,
            Status::Actual,
            of(2, "2026-03-01T23:30:00Z", "2026-03-02T12:00:00Z", 4),
        ),
        &mut m,
    );
    // An exercise report is never history.
    fold(
        &entry(
            vr(2),
            2,
            cap,
            Status::Exercise,
            of(2, "2026-03-03T08:00:00Z", until, 99),
        ),
        &mut m,
    );

    let days = crate::read::capacity_days(under(&m, aggregate::CAPACITY_DAYS)).expect("the day values");
    assert_eq!(days[&vr(1)].len(), 2);
    assert_eq!(days[&vr(2)].len(), 1);
    let day = |s: &str| crate::time::parse_date("day", s).unwrap();
    assert_eq!(days[&vr(2)][0].0, day("2026-03-02"));

    let period = crate::queries::history_period("2026-02-28", "2026-03-04", 0).unwrap();
    let h = crate::queries::capacity_history(&days, &[vr(1), vr(2), vr(3)], "TS", period, &[vr(2)]);
    let national: Vec<(&str, u32, u64)> = h
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.regions, d.available))
        .collect();
    assert_eq!(
        national,
        [
            ("2026-02-28", 0, 0),
            ("2026-03-01", 1, 7),
            ("2026-03-02", 2, 11),
            // VR02's report ended at noon on 2 March: not counted on the 3rd.
            ("2026-03-03", 1, 9),
            ("2026-03-04", 1, 9),
        ]
    );
    assert_eq!(h.days[2].baseline, 20);
    assert_eq!(h.days[2].committed, 4);
    assert_eq!(h.regions.len(), 1);
    let vr02: Vec<u32> = h.regions[0].days.iter().map(|d| d.regions).collect();
    assert_eq!(vr02, [0, 0, 1, 0, 0]);
    // A type nobody reports: every day empty.
    let none = crate::queries::capacity_history(&days, &[vr(1), vr(2)], "WO", period, &[]);
    assert!(none.days.iter().all(|d| d.regions == 0));

    // The period asked: both days or neither (the 90 days up to today), at most 731 days.
    assert_eq!(crate::queries::history_period("", "", 1000), Ok((911, 1000)));
    assert!(crate::queries::history_period("2026-03-01", "", 0).is_err());
    assert!(crate::queries::history_period("2026-03-02", "2026-03-01", 0).is_err());
    assert!(crate::queries::history_period("2024-01-01", "2026-01-01", 0)
        .unwrap_err()
        .contains("731"));
    assert!(crate::queries::history_period("2026-13-01", "2026-12-01", 0).is_err());
}
