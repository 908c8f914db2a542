//! The one read path: the national questions and the record reads, answered from the
//! aggregates the node keeps as records are stored (a few keys per question, never every
//! record). Each question is two steps: [`Question::read`] takes the stored values from the
//! engine (a range scan or a get, as bytes), [`Question::derive`] turns them into the answer
//! through [`regiosync_records::read`] (the inverse of the aggregate layout) and the pure
//! functions of [`regiosync_records::queries`]. The `Queries` and `Records` services call
//! [`Answers::ask`] and the record reads; the query benchmark times the two steps apart through
//! the `benchmarking` feature, so what it measures is this code, not a copy of it.
//!
//! Who may ask is the services' to check; this module answers whoever reaches it.
use std::collections::BTreeMap;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use regiosync_records::aggregate::{self, AGREEMENTS, ASSISTANCE, CAPACITY, CAPACITY_DAYS, EVALUATIONS, RATING_COUNTS};
use regiosync_records::read::{self, Values};
use regiosync_records::{agreement, calendar, pb as rpb, queries, Record};
use regiosync_replication::{Engine, NodeStatus, SeqRange};
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::NodeId;
use tonic::Status;

use crate::error::{damaged_aggregate as damaged, to_status};

/// Answers over one engine's aggregates, with the views kept while their bytes are the same.
pub struct Answers {
    engine: Arc<Engine>,
    /// "Expiring soon" window for agreements, in days.
    expiring_window_days: i64,
    /// Derived agreement views, kept while the stored agreement records are byte for byte the
    /// same and no derived state can have changed with time (see [`agreement::next_change`]).
    agreements_cache: Cache<Vec<rpb::AgreementView>>,
    /// Decoded evaluations per region, kept while the stored ones are the same.
    evaluations_cache: Cache<BTreeMap<NodeId, Vec<Record>>>,
    /// Evaluation views (`Records.ListEvaluations`), kept while the stored evaluations are
    /// the same and the Dutch day has not changed (overdue actions are the only derived state
    /// that moves with time), so each page of the list costs a page, not every evaluation.
    evaluation_views_cache: Cache<Vec<rpb::EvaluationView>>,
}

/// One of the national questions: what it reads, and what it derives from that.
pub trait Question {
    /// The stored values it needs, as bytes.
    type Read: Send;
    type Answer;
    /// Take the stored values from the engine (no decoding).
    fn read(&self, answers: &Answers) -> impl Future<Output = Result<Self::Read, Status>> + Send;
    /// Decode and derive the answer at `now_ms`.
    fn derive(&self, answers: &Answers, read: Self::Read, now_ms: i64) -> Result<Self::Answer, Status>;
}

impl Answers {
    pub fn new(engine: Arc<Engine>, expiring_window_days: i64) -> Self {
        Answers {
            engine,
            expiring_window_days,
            agreements_cache: Cache::default(),
            evaluations_cache: Cache::default(),
            evaluation_views_cache: Cache::default(),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn expiring_window_days(&self) -> i64 {
        self.expiring_window_days
    }

    /// Read, then derive at the engine's now.
    pub async fn ask<Q: Question + Sync>(&self, q: &Q) -> Result<Q::Answer, Status> {
        let read = q.read(self).await?;
        q.derive(self, read, self.engine.now_ms())
    }

    async fn values(&self, prefix: Vec<u8>) -> Result<Values, Status> {
        self.engine.aggregates(prefix).await.map_err(to_status)
    }

    async fn value(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>, Status> {
        self.engine.aggregate(key).await.map_err(to_status)
    }

    /// The regions of this node's federation.
    pub(crate) fn regions(&self) -> Vec<NodeId> {
        self.engine.members().regions().collect()
    }

    fn me(&self) -> String {
        self.engine.me().to_string()
    }

    /// Every agreement's view at `now_ms`, from the cache while the bytes are the same.
    fn agreement_views(&self, values: Values, now_ms: i64) -> Result<Arc<Vec<rpb::AgreementView>>, Status> {
        let f = fingerprint(&values);
        if let Some(hit) = self.agreements_cache.get(f, now_ms) {
            return Ok(hit);
        }
        let views = read::agreement_views(values, now_ms, self.expiring_window_days).map_err(damaged)?;
        let until = agreement::next_change(&views, now_ms);
        Ok(self.agreements_cache.put(f, until, views))
    }

    /// Every region's evaluations, from the cache while the bytes are the same.
    fn evaluations(&self, values: Values) -> Result<Arc<BTreeMap<NodeId, Vec<Record>>>, Status> {
        let f = fingerprint(&values);
        if let Some(hit) = self.evaluations_cache.get(f, i64::MIN) {
            return Ok(hit);
        }
        let all = read::evaluations(values).map_err(damaged)?;
        Ok(self.evaluations_cache.put(f, i64::MAX, all))
    }
}

impl Answers {
    /// Record reads for the `Records` service at `now_ms`.
    pub fn reads(&self, now_ms: i64) -> Reads<'_> {
        Reads { answers: self, now_ms }
    }
}

/// Record reads for the `Records` service over the same aggregates, at one moment.
pub struct Reads<'a> {
    answers: &'a Answers,
    now_ms: i64,
}

impl Reads<'_> {
    /// One agreement's view (`None`: nothing about it is held here).
    pub async fn agreement(&self, agreement_id: &str) -> Result<Option<rpb::AgreementView>, Status> {
        let a = self.answers;
        let v = a.value(aggregate::agreement_key(agreement_id)).await?;
        let records = read::agreement(agreement_id, v).map_err(damaged)?;
        Ok(agreement::derive(
            agreement_id,
            &records,
            self.now_ms,
            a.expiring_window_days,
        ))
    }

    /// One assistance request's view (`None`: the request is not held here).
    pub async fn assistance(&self, request_id: &str) -> Result<Option<rpb::AssistanceView>, Status> {
        let v = self.answers.value(aggregate::assistance_key(request_id)).await?;
        let records = read::assistance(request_id, v).map_err(damaged)?;
        Ok(regiosync_records::assistance::derive(request_id, &records, self.now_ms))
    }

    /// Every assistance request held here, by request id.
    pub async fn assistances(&self) -> Result<Vec<rpb::AssistanceView>, Status> {
        let values = self.answers.values(ASSISTANCE.to_vec()).await?;
        read::assistance_views(values, self.now_ms).map_err(damaged)
    }

    /// Every agreement's view.
    pub async fn agreements(&self) -> Result<Vec<rpb::AgreementView>, Status> {
        let values = self.answers.values(AGREEMENTS.to_vec()).await?;
        Ok(self.answers.agreement_views(values, self.now_ms)?.as_ref().clone())
    }

    /// The newest report of each region (or of one), per status: actual only unless
    /// `include_non_actual`.
    pub async fn capacity(
        &self,
        region: Option<NodeId>,
        include_non_actual: bool,
    ) -> Result<Vec<rpb::CapacityView>, Status> {
        let values = self.answers.values(read::capacity_prefix(region)).await?;
        read::capacity_views(values, self.now_ms, include_non_actual).map_err(damaged)
    }

    /// Every evaluation held here (or one region's), newest event first; from the cache while
    /// the stored evaluations and the Dutch day are the same.
    pub async fn evaluations(&self, region: Option<NodeId>) -> Result<Arc<Vec<rpb::EvaluationView>>, Status> {
        let values = self.answers.values(read::evaluations_prefix(region)).await?;
        let cache = &self.answers.evaluation_views_cache;
        let f = fingerprint(&values);
        if let Some(hit) = cache.get(f, self.now_ms) {
            return Ok(hit);
        }
        let views = read::evaluation_views(values, self.now_ms).map_err(damaged)?;
        Ok(cache.put(f, calendar::next_day_start(self.now_ms), views))
    }

    /// Every evaluation record of one region held here (summaries and withdrawals), as the
    /// rules of `acts::evaluation` read them.
    pub async fn evaluation_records(&self, region: NodeId) -> Result<Vec<Record>, Status> {
        let v = self.answers.value(aggregate::evaluations_key(region)).await?;
        read::region_evaluations(region, v).map_err(damaged)
    }

    /// The view of the evaluation version `id` of `region` names (`None`: not held here).
    pub async fn evaluation(&self, region: NodeId, id: &str) -> Result<Option<rpb::EvaluationView>, Status> {
        let v = self.answers.value(aggregate::evaluations_key(region)).await?;
        read::evaluation_view(region, v, id, self.now_ms).map_err(damaged)
    }
}

/// The national capacity totals over every region's current actual report.
pub struct NationalCapacity;

impl Question for NationalCapacity {
    type Read = Values;
    type Answer = rpb::NationalCapacity;
    async fn read(&self, a: &Answers) -> Result<Values, Status> {
        a.values(CAPACITY.to_vec()).await
    }
    fn derive(&self, a: &Answers, capacity: Values, now_ms: i64) -> Result<Self::Answer, Status> {
        let capacity = read::capacity(capacity).map_err(damaged)?;
        let mut answer = queries::national_capacity(&capacity, &a.regions(), now_ms);
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// One resource type per region; with a region, also what its agreements can bring in.
pub struct ResourceByRegion {
    pub resource_type: String,
    pub region: Option<NodeId>,
}

impl Question for ResourceByRegion {
    /// Capacity values, and agreement values when a region is named.
    type Read = (Values, Option<Values>);
    type Answer = rpb::ResourceByRegion;
    async fn read(&self, a: &Answers) -> Result<Self::Read, Status> {
        let agreements = match self.region {
            Some(_) => Some(a.values(AGREEMENTS.to_vec()).await?),
            None => None,
        };
        Ok((a.values(CAPACITY.to_vec()).await?, agreements))
    }
    fn derive(&self, a: &Answers, (capacity, agreements): Self::Read, now_ms: i64) -> Result<Self::Answer, Status> {
        let agreements = match agreements {
            Some(values) => a.agreement_views(values, now_ms)?,
            None => Arc::default(),
        };
        let capacity = read::capacity(capacity).map_err(damaged)?;
        let mut answer = queries::resource_by_region(
            &self.resource_type,
            self.region,
            &capacity,
            &agreements,
            &a.regions(),
            now_ms,
        )
        .map_err(|e| Status::invalid_argument(e.to_string()))?;
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// One resource type's capacity per day over a period (question 10).
pub struct CapacityHistory {
    pub resource_type: String,
    /// Dutch days, checked ([`queries::history_period`]).
    pub period: (i64, i64),
    /// The regions whose own lines are asked for besides the national one.
    pub lines: Vec<NodeId>,
}

impl Question for CapacityHistory {
    type Read = Values;
    type Answer = rpb::CapacityHistory;
    async fn read(&self, a: &Answers) -> Result<Values, Status> {
        a.values(CAPACITY_DAYS.to_vec()).await
    }
    fn derive(&self, a: &Answers, days: Values, _now_ms: i64) -> Result<Self::Answer, Status> {
        let days = read::capacity_days(days).map_err(damaged)?;
        let mut answer = queries::capacity_history(&days, &a.regions(), &self.resource_type, self.period, &self.lines);
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// Which neighbouring regions have an agreement in force, and what expires within the window.
pub struct AgreementCoverage {
    /// 0: the node's "expiring soon" window.
    pub expiring_within_days: u32,
}

impl Question for AgreementCoverage {
    /// Agreement values, assistance values (how often each agreement was used).
    type Read = (Values, Values);
    type Answer = rpb::AgreementCoverage;
    async fn read(&self, a: &Answers) -> Result<Self::Read, Status> {
        Ok((
            a.values(AGREEMENTS.to_vec()).await?,
            a.values(ASSISTANCE.to_vec()).await?,
        ))
    }
    fn derive(&self, a: &Answers, (agreements, assistance): Self::Read, now_ms: i64) -> Result<Self::Answer, Status> {
        let window = match self.expiring_within_days {
            0 => a.expiring_window_days,
            n => i64::from(n),
        };
        let views = a.agreement_views(agreements, now_ms)?;
        let neighbours = a.engine.members().neighbour_edges();
        let mut answer = queries::agreement_coverage(&views, neighbours, window, now_ms);
        let assistance = read::assistance_views(assistance, now_ms).map_err(damaged)?;
        queries::coverage_assistance(&mut answer, &views, &assistance);
        answer.window_days = u32::try_from(window).unwrap_or(0);
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// The national spread of ratings per area, and a region's own beside it.
pub struct EvaluationBenchmark {
    pub region: Option<NodeId>,
    /// 0: every year.
    pub year: u32,
}

impl Question for EvaluationBenchmark {
    /// Rating counters, and the region's evaluations when a region is named.
    type Read = (Values, Option<Option<Vec<u8>>>);
    type Answer = rpb::EvaluationBenchmark;
    async fn read(&self, a: &Answers) -> Result<Self::Read, Status> {
        let counts = a.values(RATING_COUNTS.to_vec()).await?;
        let mine = match self.region {
            Some(r) => Some(a.value(aggregate::evaluations_key(r)).await?),
            None => None,
        };
        Ok((counts, mine))
    }
    fn derive(&self, a: &Answers, (counts, mine): Self::Read, _now_ms: i64) -> Result<Self::Answer, Status> {
        let counts = read::rating_counts(counts).map_err(damaged)?;
        let mut answer = match (self.region, mine) {
            (Some(region), Some(v)) => {
                let mine = read::region_evaluations(region, v).map_err(damaged)?;
                queries::evaluation_benchmark(&counts, Some((region, &mine)), self.year)
            }
            _ => queries::evaluation_benchmark(&counts, None, self.year),
        };
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// A region's in-control card: its evaluations, actions and current capacity.
pub struct InControl {
    pub region: NodeId,
}

impl Question for InControl {
    /// The region's evaluations, its newest actual capacity report and the assistance values.
    type Read = (Option<Vec<u8>>, Option<Vec<u8>>, Values);
    type Answer = rpb::InControlCard;
    async fn read(&self, a: &Answers) -> Result<Self::Read, Status> {
        let evaluations = a.value(aggregate::evaluations_key(self.region)).await?;
        let capacity = a
            .value(aggregate::capacity_key(self.region, RecordStatus::Actual))
            .await?;
        Ok((evaluations, capacity, a.values(ASSISTANCE.to_vec()).await?))
    }
    fn derive(
        &self,
        a: &Answers,
        (evaluations, capacity, assistance): Self::Read,
        now_ms: i64,
    ) -> Result<Self::Answer, Status> {
        let evaluations = read::region_evaluations(self.region, evaluations).map_err(damaged)?;
        let capacity = read::one_capacity(self.region, RecordStatus::Actual, capacity).map_err(damaged)?;
        let mut answer = queries::in_control(self.region, &evaluations, capacity.as_ref(), now_ms);
        let assistance = read::assistance_views(assistance, now_ms).map_err(damaged)?;
        queries::card_assistance(&mut answer, &assistance, now_ms);
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// Per region: how complete, current and intact what this node holds of it is.
pub struct DataQuality;

/// What the data-quality question reads: the node's status beside the stored values.
pub struct QualityRead {
    status: NodeStatus,
    capacity: Values,
    evaluations: Values,
    rejected: BTreeMap<NodeId, u64>,
    equivocations: BTreeMap<NodeId, u64>,
}

impl Question for DataQuality {
    type Read = QualityRead;
    type Answer = rpb::DataQuality;
    async fn read(&self, a: &Answers) -> Result<QualityRead, Status> {
        Ok(QualityRead {
            status: a.engine.status().await.map_err(to_status)?,
            capacity: a.values(CAPACITY.to_vec()).await?,
            evaluations: a.values(EVALUATIONS.to_vec()).await?,
            rejected: a.engine.rejected_by_origin(),
            equivocations: a.engine.equivocations_by_origin(),
        })
    }
    fn derive(&self, a: &Answers, r: QualityRead, now_ms: i64) -> Result<Self::Answer, Status> {
        let mut replication: BTreeMap<NodeId, (u64, i64)> = BTreeMap::new();
        for p in &r.status.peers {
            for (origin, behind) in &p.behind {
                let e = replication.entry(*origin).or_default();
                e.0 = e.0.max(*behind);
            }
            if let Some(peer) = p.peer {
                replication.entry(peer).or_default().1 = p.last_contact_unix_ms;
            }
        }
        let capacity = read::capacity(r.capacity).map_err(damaged)?;
        let evaluations = a.evaluations(r.evaluations)?;
        let mut answer =
            queries::data_quality(&capacity, &evaluations, &r.rejected, &replication, &a.regions(), now_ms);
        for q in &mut answer.regions {
            let Ok(region) = q.region.parse::<NodeId>() else {
                continue;
            };
            q.equivocations = r.equivocations.get(&region).copied().unwrap_or(0);
            let seqs_of = |ranges: &mut dyn Iterator<Item = SeqRange>| -> u64 {
                ranges.filter(|r| r.origin == region).map(|r| r.count()).sum()
            };
            q.damaged = seqs_of(&mut r.status.damaged.iter().map(|d| d.range()));
            q.missing = seqs_of(&mut r.status.missing.iter().copied());
        }
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// The actual assistance requests not closed or cancelled, with how long they are open.
pub struct OpenAssistance;

impl Question for OpenAssistance {
    type Read = Values;
    type Answer = rpb::OpenAssistance;
    async fn read(&self, a: &Answers) -> Result<Values, Status> {
        a.values(ASSISTANCE.to_vec()).await
    }
    fn derive(&self, a: &Answers, values: Values, now_ms: i64) -> Result<Self::Answer, Status> {
        let views = read::assistance_views(values, now_ms).map_err(damaged)?;
        let mut answer = queries::open_assistance(&views, now_ms);
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// A period of Dutch calendar days `[from, to)`, as dates and as unix ms.
#[derive(Clone, Debug)]
pub struct Period {
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Period {
    /// `from` and `to` as YYYY-MM-DD, `from` before `to`.
    pub fn parse(from: &str, to: &str) -> Result<Period, Status> {
        let day = |field: &str, v: &str| {
            regiosync_records::time::parse_date(field, v).map_err(|e| Status::invalid_argument(e.to_string()))
        };
        let (f, t) = (day("from", from)?, day("to", to)?);
        if f >= t {
            return Err(Status::invalid_argument(format!(
                "from ({from}) must be before to ({to})"
            )));
        }
        Ok(Period {
            from: from.into(),
            to: to.into(),
            from_ms: calendar::day_start(f),
            to_ms: calendar::day_start(t),
        })
    }
}

/// Per region of the federation: its assistance requests made and received in a period.
pub struct AssistanceByRegion {
    pub period: Period,
}

impl Question for AssistanceByRegion {
    type Read = Values;
    type Answer = rpb::AssistanceByRegion;
    async fn read(&self, a: &Answers) -> Result<Values, Status> {
        a.values(ASSISTANCE.to_vec()).await
    }
    fn derive(&self, a: &Answers, values: Values, now_ms: i64) -> Result<Self::Answer, Status> {
        let views = read::assistance_views(values, now_ms).map_err(damaged)?;
        let p = &self.period;
        let mut answer = queries::assistance_by_region(&views, &a.regions(), p.from_ms, p.to_ms);
        answer.from = p.from.clone();
        answer.to = p.to.clone();
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// Per agreement: its use by the assistance requests of a period, and the active ones unused.
pub struct AssistanceByAgreement {
    pub period: Period,
}

impl Question for AssistanceByAgreement {
    /// Assistance values, agreement values.
    type Read = (Values, Values);
    type Answer = rpb::AssistanceByAgreement;
    async fn read(&self, a: &Answers) -> Result<Self::Read, Status> {
        Ok((
            a.values(ASSISTANCE.to_vec()).await?,
            a.values(AGREEMENTS.to_vec()).await?,
        ))
    }
    fn derive(&self, a: &Answers, (values, agreements): Self::Read, now_ms: i64) -> Result<Self::Answer, Status> {
        let views = read::assistance_views(values, now_ms).map_err(damaged)?;
        let agreements = a.agreement_views(agreements, now_ms)?;
        let p = &self.period;
        let mut answer = queries::assistance_by_agreement(&views, &agreements, p.from_ms, p.to_ms);
        answer.from = p.from.clone();
        answer.to = p.to.clone();
        answer.answered_by = a.me();
        Ok(answer)
    }
}

/// A value computed from aggregate values, with the fingerprint of the bytes it came from and
/// the moment until which it holds.
struct Cache<T>(Mutex<Option<(u64, i64, Arc<T>)>>);

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache(Mutex::new(None))
    }
}

impl<T> Cache<T> {
    fn get(&self, fingerprint: u64, now_ms: i64) -> Option<Arc<T>> {
        match &*self.0.lock().unwrap() {
            Some((f, until, v)) if *f == fingerprint && now_ms < *until => Some(v.clone()),
            _ => None,
        }
    }

    fn put(&self, fingerprint: u64, until_ms: i64, value: T) -> Arc<T> {
        let value = Arc::new(value);
        *self.0.lock().unwrap() = Some((fingerprint, until_ms, value.clone()));
        value
    }
}

fn fingerprint(values: &[(Vec<u8>, Vec<u8>)]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    values.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regiosync_records::time;

    #[test]
    fn cached_views_hold_while_the_bytes_are_the_same_and_until_their_moment() {
        let now = time::parse_moment("t", "2026-11-29T10:00:00Z").unwrap();
        let cache: Cache<u32> = Cache::default();
        cache.put(7, now + 10, 1);
        assert_eq!(cache.get(7, now).as_deref(), Some(&1));
        assert!(cache.get(8, now).is_none(), "other bytes, other views");
        assert!(cache.get(7, now + 10).is_none(), "a transition was due");
    }
}
