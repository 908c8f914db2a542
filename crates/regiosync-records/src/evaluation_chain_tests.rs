//! Tests of the evaluation correction rules: a correction replaces its version, a chain is
//! linear, a withdrawal ends it, only the region's own evaluations change, a resubmission of
//! the same content counts once — in views, in the questions and in the rating counters the
//! store keeps — and the same records in any order, with duplicates, give the same answers.
use std::collections::BTreeMap;

use prost::Message;
use regiosync_types::pb::Status;
use regiosync_types::{Envelope, NodeId};

use crate::acts::evaluation::{already_filed, changeable, correction_status, withdrawal, EvaluationActError};
use crate::evaluation::{counted, identity, view, views, CURRENT, SUPERSEDED, WITHDRAWN};
use crate::queries::test_evaluations::national_counts;
use crate::testsuite::{at, evaluation_withdrawal, rating};
use crate::{kinds, pb, queries, testsuite, Record};

const NOW: &str = "2026-12-15T12:00:00Z";

fn vr01() -> NodeId {
    "VR01".parse().unwrap()
}

/// VR01's sample evaluation with `melding_alarmering` rated `alerting`, correcting `corrects`.
fn summary(alerting: &str, corrects: &str) -> pb::EvaluationSummary {
    let mut s = testsuite::evaluation();
    s.ratings[0] = rating("melding_alarmering", alerting);
    s.corrects = corrects.into();
    s.verifies.clear();
    s
}

/// An entry of VR01 at `seq`, created on 1 December 2026 plus `seq` minutes.
fn entry(seq: u64, kind: &str, status: Status, payload: Vec<u8>) -> Envelope {
    let created = at("2026-12-01T09:00:00Z") + seq as i64 * 60_000;
    testsuite::entry(vr01(), seq, kind, status, created, payload)
}

fn filed(seq: u64, s: &pb::EvaluationSummary) -> Envelope {
    entry(seq, kinds::EVALUATION_SUMMARY, Status::Actual, s.encode_to_vec())
}

fn withdrawn(seq: u64, id: &str) -> Envelope {
    let w = evaluation_withdrawal(id);
    entry(seq, kinds::EVALUATION_WITHDRAWAL, Status::Actual, w.encode_to_vec())
}

fn records(entries: &[&Envelope]) -> Vec<Record> {
    entries.iter().map(|e| Record::decode(e).unwrap().unwrap()).collect()
}

/// (id, state) of every view.
fn states(v: &[pb::EvaluationView]) -> Vec<(String, String)> {
    v.iter()
        .map(|v| (v.record.as_ref().unwrap().id.clone(), v.state.clone()))
        .collect()
}

fn ids(metas: &[pb::RecordMeta]) -> Vec<&str> {
    metas.iter().map(|m| m.id.as_str()).collect()
}

fn counted_ids(records: &[Record]) -> Vec<&str> {
    counted(records).iter().map(|(r, _)| r.id.as_str()).collect()
}

/// The view `id` names, at NOW.
fn view_of(records: &[Record], id: &str) -> pb::EvaluationView {
    view(records, id, at(NOW)).unwrap_or_else(|| panic!("no view of {id}"))
}

#[test]
fn a_correction_replaces_the_version_it_corrects() {
    let a = filed(1, &summary("P", ""));
    let b = filed(2, &summary("U", "VR01-1"));
    let held = records(&[&a, &b]);
    let all = views(&held, at(NOW));
    assert_eq!(states(&all), [("VR01-2".to_string(), CURRENT.to_string())]);
    assert_eq!(ids(&all[0].versions), ["VR01-1", "VR01-2"]);
    assert_eq!(all[0].summary.as_ref().unwrap().ratings[0].rating, "U");
    assert_eq!(counted_ids(&held), ["VR01-2"]);
    // The old version can still be read, and says what replaced it.
    let old = view_of(&held, "VR01-1");
    assert_eq!((old.state.as_str(), old.superseded_by.as_str()), (SUPERSEDED, "VR01-2"));
    assert_eq!(old.summary.as_ref().unwrap().ratings[0].rating, "P");
    assert!(changeable("corrects", "VR01-2", vr01(), Some(&view_of(&held, "VR01-2"))).is_ok());
}

#[test]
fn corrections_form_one_line_and_a_second_correction_of_one_version_does_not_count() {
    let a = filed(1, &summary("P", ""));
    let b = filed(2, &summary("S", "VR01-1"));
    let c = filed(3, &summary("M", "VR01-2"));
    let held = records(&[&a, &b, &c]);
    let v = &views(&held, at(NOW))[0];
    assert_eq!(ids(&v.versions), ["VR01-1", "VR01-2", "VR01-3"]);
    assert_eq!(counted_ids(&held), ["VR01-3"]);

    // Correcting a version that was already corrected is refused where the region acts,
    // naming the newer version and the current one ...
    let e = changeable("corrects", "VR01-1", vr01(), Some(&view_of(&held, "VR01-1"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "corrects: evaluation VR01-1 was corrected by VR01-2; correct or withdraw its current version VR01-3"
    );
    // ... and one that arrives anyway (written twice at once) is listed and does not count.
    let d = filed(4, &summary("U", "VR01-1"));
    let held = records(&[&a, &b, &c, &d]);
    let v = &views(&held, at(NOW))[0];
    assert_eq!(ids(&v.versions), ["VR01-1", "VR01-2", "VR01-3"]);
    assert_eq!(v.ignored.len(), 1);
    assert_eq!(v.ignored[0].record_id, "VR01-4");
    assert!(
        v.ignored[0].reason.contains("already corrected by VR01-2"),
        "{:?}",
        v.ignored
    );
    assert_eq!(counted_ids(&held), ["VR01-3"]);
}

#[test]
fn a_withdrawn_evaluation_counts_nowhere_and_says_why() {
    let a = filed(1, &summary("P", ""));
    let other = filed(2, &summary("S", "")); // another evaluation (other content)
    let w = withdrawn(3, "VR01-1");
    let held = records(&[&a, &other, &w]);
    assert_eq!(counted_ids(&held), ["VR01-2"]);
    let v = view_of(&held, "VR01-1");
    assert_eq!(v.state, WITHDRAWN);
    let by = v.withdrawal.as_ref().unwrap();
    assert_eq!(
        (by.record_id.as_str(), by.reason.as_str(), by.party.as_str()),
        ("VR01-3", "Ingediend voor de verkeerde oefening", "VR01")
    );
    // Listed with its state; the withdrawal's own id shows it too.
    assert_eq!(view_of(&held, "VR01-3").record.unwrap().id, "VR01-1");
    let mut all = states(&views(&held, at(NOW)));
    all.sort();
    assert_eq!(
        all,
        [
            ("VR01-1".to_string(), WITHDRAWN.to_string()),
            ("VR01-2".to_string(), CURRENT.to_string())
        ]
    );
    // The card and the data quality count the other one only.
    let card = queries::in_control(vr01(), &held, None, at(NOW));
    assert_eq!(card.evaluations, 1);
    let by_region = BTreeMap::from([(vr01(), held.clone())]);
    let q = queries::data_quality(&[], &by_region, &BTreeMap::new(), &BTreeMap::new(), &[vr01()], at(NOW));
    assert_eq!(q.regions[0].evaluations, 1);
}

#[test]
fn nothing_changes_a_withdrawn_evaluation() {
    let a = filed(1, &summary("P", ""));
    let w = withdrawn(2, "VR01-1");
    let held = records(&[&a, &w]);
    for field in ["corrects", "evaluation_id"] {
        let e = changeable(field, "VR01-1", vr01(), Some(&view_of(&held, "VR01-1"))).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{field}: evaluation VR01-1 was withdrawn (VR01-2); nothing changes a withdrawn evaluation")
        );
    }
    // A correction or second withdrawal that arrives anyway does not count.
    let c = filed(3, &summary("U", "VR01-1"));
    let w2 = withdrawn(4, "VR01-1");
    let held = records(&[&a, &w, &c, &w2]);
    let v = views(&held, at(NOW));
    assert_eq!(states(&v), [("VR01-1".to_string(), WITHDRAWN.to_string())]);
    assert_eq!(v[0].withdrawal.as_ref().unwrap().record_id, "VR01-2");
    let ignored: Vec<&str> = v[0].ignored.iter().map(|g| g.record_id.as_str()).collect();
    assert_eq!(ignored, ["VR01-3", "VR01-4"]);
    assert!(counted(&held).is_empty());
    // Withdrawing an older version is refused, naming the current one.
    let a = filed(1, &summary("P", ""));
    let b = filed(2, &summary("S", "VR01-1"));
    let held = records(&[&a, &b]);
    let e = changeable("evaluation_id", "VR01-1", vr01(), Some(&view_of(&held, "VR01-1"))).unwrap_err();
    assert!(
        matches!(e, EvaluationActError::Superseded { ref current, .. } if current == "VR01-2"),
        "{e}"
    );
}

#[test]
fn only_the_regions_own_evaluation_held_here_changes() {
    let a = filed(1, &summary("P", ""));
    let held = records(&[&a]);
    let e = changeable("corrects", "VR02-1", vr01(), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "corrects: VR02-1 is a record of VR02; VR01 corrects and withdraws only its own evaluations"
    );
    let e = changeable(
        "evaluation_id",
        "VR01-7",
        vr01(),
        view(&held, "VR01-7", at(NOW)).as_ref(),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "evaluation_id: no evaluation 'VR01-7' of VR01 held here");
    // A correction keeps the status; a withdrawal says why.
    let v = view_of(&held, "VR01-1");
    assert_eq!(correction_status(&v, 0), Ok(Status::Actual as i32));
    assert_eq!(correction_status(&v, Status::Actual as i32), Ok(Status::Actual as i32));
    assert_eq!(
        correction_status(&v, Status::Exercise as i32).unwrap_err().to_string(),
        "status: VR01-1 is actual, not exercise; a correction keeps the status of the version it corrects"
    );
    assert_eq!(
        withdrawal(&v, vr01(), "operator:VR01:jansen".into(), " "),
        Err(EvaluationActError::ReasonRequired)
    );
    let w = withdrawal(&v, vr01(), "operator:VR01:jansen".into(), "dubbel ingediend").unwrap();
    assert_eq!((w.evaluation_id.as_str(), w.region.as_str()), ("VR01-1", "VR01"));
    // A record of another region that names VR01's evaluation changes nothing there: the
    // record rules refuse it, and derivation reads each region's records on their own.
    let mut foreign = summary("U", "VR01-1");
    foreign.region = "VR02".into();
    let theirs = testsuite::entry(
        "VR02".parse().unwrap(),
        5,
        kinds::EVALUATION_SUMMARY,
        Status::Actual,
        at("2026-12-01T10:00:00Z"),
        foreign.encode_to_vec(),
    );
    let both = records(&[&a, &theirs]);
    let mut all = counted_ids(&both);
    all.sort();
    assert_eq!(all, ["VR01-1", "VR02-5"]);
}

#[test]
fn the_same_content_filed_again_is_recognised_and_counted_once() {
    let first = summary("P", "");
    let mut again = first.clone();
    again.author = "operator:VR01:de-vries".into(); // another person, the same evaluation
    again.ratings.reverse(); // the same ratings in another order
    assert_eq!(identity(&first), identity(&again));
    let a = filed(1, &first);
    let b = filed(2, &again);
    let held = records(&[&a, &b]);
    assert_eq!(counted_ids(&held), ["VR01-1"]);
    let v = views(&held, at(NOW));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].ignored[0].record_id, "VR01-2");
    assert!(v[0].ignored[0].reason.contains("same content as VR01-1"));
    assert_eq!(view_of(&held, "VR01-2").record.unwrap().id, "VR01-1");
    // Where the region files it, the record held is the answer.
    let found = already_filed(&again, Status::Actual as i32, vr01(), &held).map(|r| r.id.as_str());
    assert_eq!(found, Some("VR01-1"));
    // Other content, or another status, is another evaluation.
    assert!(already_filed(&summary("S", ""), Status::Actual as i32, vr01(), &held).is_none());
    assert!(already_filed(&first, Status::Exercise as i32, vr01(), &held).is_none());
    let exercise = entry(3, kinds::EVALUATION_SUMMARY, Status::Exercise, first.encode_to_vec());
    assert_eq!(counted(&records(&[&a, &b, &exercise])).len(), 2);
}

#[test]
fn a_correction_keeps_what_later_evaluations_verified() {
    let a = filed(1, &summary("P", ""));
    let mut check = summary("S", "");
    check.event.as_mut().unwrap().name = "Oefening Eemshaven".into();
    check.verifies = vec![testsuite::verification("VR01-1", "A1")];
    let v = filed(2, &check);
    let b = filed(3, &summary("U", "VR01-1"));
    let held = records(&[&a, &v, &b]);
    let current = view_of(&held, "VR01-3");
    let a1 = current
        .actions
        .iter()
        .find(|x| x.action.as_ref().unwrap().action_id == "A1")
        .unwrap();
    assert_eq!((a1.verified.as_str(), a1.verified_by.as_str()), ("effective", "VR01-2"));
    // A withdrawn evaluation verifies nothing.
    let w = withdrawn(4, "VR01-2");
    let held = records(&[&a, &v, &b, &w]);
    let current = view_of(&held, "VR01-3");
    assert!(current.actions.iter().all(|x| x.verified.is_empty()));
}

/// The national rating counters after the node stores `entries` in order: (area, rating) ->
/// count, zero counters left out as the questions read them.
fn counters(entries: &[&Envelope]) -> BTreeMap<(String, String), u64> {
    let held: Vec<pb::HeldRecord> = entries.iter().map(|e| Record::held(e)).collect();
    national_counts(&held)
        .into_iter()
        .map(|((_, _, area, rating), n)| ((area, rating), n))
        .collect()
}

fn alerting(counts: &BTreeMap<(String, String), u64>) -> Vec<(&str, u64)> {
    counts
        .iter()
        .filter(|((area, _), _)| area == "melding_alarmering")
        .map(|((_, rating), n)| (rating.as_str(), *n))
        .collect()
}

#[test]
fn the_rating_counters_follow_corrections_withdrawals_and_resubmissions() {
    let a = filed(1, &summary("P", ""));
    let again = filed(2, &summary("P", ""));
    let b = filed(3, &summary("U", "VR01-1"));
    let w = withdrawn(4, "VR01-3");
    assert_eq!(alerting(&counters(&[&a])), [("P", 1)]);
    assert_eq!(
        alerting(&counters(&[&a, &again])),
        [("P", 1)],
        "a resubmission counts once"
    );
    assert_eq!(
        alerting(&counters(&[&a, &again, &b])),
        [("U", 1)],
        "the correction replaces it"
    );
    assert!(counters(&[&a, &again, &b, &w]).is_empty(), "withdrawn: counted nowhere");
    // The benchmark reads the same counters.
    let held: Vec<pb::HeldRecord> = [&a, &again, &b].iter().map(|e| Record::held(e)).collect();
    let bench = queries::evaluation_benchmark(&national_counts(&held), None, 2026);
    assert_eq!(bench.evaluations, 1);
}

/// Every order of `items` (Heap's algorithm).
fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    fn go<T: Clone>(k: usize, a: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if k <= 1 {
            out.push(a.clone());
            return;
        }
        for i in 0..k - 1 {
            go(k - 1, a, out);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            a.swap(j, k - 1);
        }
        go(k - 1, a, out);
    }
    let mut a = items.to_vec();
    let mut out = Vec::new();
    go(a.len(), &mut a, &mut out);
    out
}

#[test]
fn views_and_counters_are_the_same_in_any_order_with_duplicates() {
    let a = filed(1, &summary("P", ""));
    let again = filed(2, &summary("P", ""));
    let b = filed(3, &summary("S", "VR01-1"));
    let c = filed(4, &summary("M", "VR01-1")); // a second correction of VR01-1: ignored
    let other = filed(5, &summary("NO", ""));
    let w = withdrawn(6, "VR01-5");
    let all = [&a, &again, &b, &c, &other, &w];
    let want_views = views(&records(&all), at(NOW));
    let want_counts = counters(&all);
    assert_eq!(states(&want_views).len(), 2);
    assert_eq!(alerting(&want_counts), [("S", 1)]);
    for order in permutations(&all) {
        assert_eq!(views(&records(&order), at(NOW)), want_views);
        // The store folds each entry once, in the order it arrives.
        assert_eq!(counters(&order), want_counts);
    }
    // Duplicates of any record change nothing in the views.
    let doubled: Vec<&Envelope> = all.iter().chain(all.iter().rev()).copied().collect();
    assert_eq!(views(&records(&doubled), at(NOW)), want_views);
}
