//! Builders for the evaluation query tests: evaluation summaries as the aggregates hold them,
//! and the national rating counters folded from them the way a node folds them.
use std::collections::BTreeMap;

use regiosync_types::pb::Status;

use super::test_support::{at, decode, held};
use super::RatingCount;
use crate::kinds;
use crate::pb;
use crate::record::Record;

pub struct Eval<'a> {
    pub origin: &'a str,
    pub seq: u64,
    pub status: Status,
    pub kind: &'a str,
    pub date: &'a str,
    pub ratings: [&'a str; 8],
    pub board: &'a str,
    pub actions: Vec<pb::ImprovementAction>,
    pub verifies: Vec<pb::ActionVerification>,
}

impl<'a> Eval<'a> {
    pub fn new(origin: &'a str, seq: u64, kind: &'a str, date: &'a str, ratings: [&'a str; 8]) -> Eval<'a> {
        Eval {
            origin,
            seq,
            status: Status::Actual,
            kind,
            date,
            ratings,
            board: "",
            actions: Vec::new(),
            verifies: Vec::new(),
        }
    }

    /// Made ten days after the event, as the aggregates hold it.
    pub fn held(&self) -> pb::HeldRecord {
        let summary = pb::EvaluationSummary {
            region: self.origin.into(),
            code_list_version: 2,
            event: Some(pb::Event {
                name: format!("{} {}", self.kind, self.date),
                kind: self.kind.into(),
                date: self.date.into(),
                hazard: "fire_industrial".into(),
                highest_escalation: "GRIP2".into(),
            }),
            evaluator: "Lectoraat Crisisbeheersing IFV".into(),
            method: "peer_review".into(),
            ratings: crate::CodeLists::rated_areas()
                .iter()
                .zip(self.ratings)
                .map(|(area, rating)| pb::AreaRating {
                    area: area.to_string(),
                    rating: rating.into(),
                    note: String::new(),
                })
                .collect(),
            actions: self.actions.clone(),
            reported_to_board: self.board.into(),
            verifies: self.verifies.clone(),
            ..Default::default()
        };
        let created = at(&format!("{}T12:00:00Z", self.date)) + 10 * 86_400_000;
        held(
            self.origin,
            self.seq,
            created,
            self.status,
            kinds::EVALUATION_SUMMARY,
            &summary,
        )
    }

    pub fn record(&self) -> Record {
        decode(&self.held())
    }
}

pub use crate::testsuite::action;

pub fn verifies(evaluation_id: &str, action_id: &str, result: &str) -> pb::ActionVerification {
    pb::ActionVerification {
        evaluation_id: evaluation_id.into(),
        action_id: action_id.into(),
        result: result.into(),
        note: String::new(),
    }
}

/// The national rating counters a node's aggregates hold after storing `entries` (folded the
/// way the node folds them), as the node reads them back.
pub fn national_counts(entries: &[pb::HeldRecord]) -> Vec<RatingCount> {
    use crate::aggregate::{fold, State, RATING_COUNTS};
    use regiosync_types::pb::EntryBody;
    use regiosync_types::Envelope;

    #[derive(Default)]
    struct Map(BTreeMap<Vec<u8>, Vec<u8>>);
    impl State for Map {
        fn get(&mut self, key: &[u8]) -> Option<Vec<u8>> {
            self.0.get(key).cloned()
        }
        fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
            self.0.insert(key, value);
        }
    }
    let mut state = Map::default();
    for h in entries {
        let env = Envelope::check(EntryBody {
            id: h.id.clone(),
            origin: h.origin.clone(),
            seq: h.seq,
            kind: h.kind.clone(),
            created_unix_ms: h.created_unix_ms,
            status: h.status,
            audience: vec!["NL".into(), h.origin.clone()],
            payload: h.payload.clone(),
            ..Default::default()
        })
        .unwrap();
        fold(&env, &mut state).expect("fold");
    }
    let counters = state
        .0
        .into_iter()
        .filter(|(k, _)| k.starts_with(RATING_COUNTS))
        .collect();
    crate::read::rating_counts(counters).expect("counters read back")
}
