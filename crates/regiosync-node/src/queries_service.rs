//! The `Queries` service: the six national questions, answered from the aggregates the node
//! keeps as records are stored (a few keys per question, never every record). NL answers for
//! the country; a region's node answers for what it holds. A region's operator asks their own
//! node only: NL's aggregates include records outside the region's audience.
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use regiosync_records::aggregate::{self, AGREEMENTS, CAPACITY, EVALUATIONS, RATING_COUNTS};
use regiosync_records::{agreement, pb as rpb, queries, Record};
use regiosync_replication::{Engine, SeqRange};
use regiosync_types::NodeId;
use tonic::{Request, Response, Status};

use crate::api_service::may_read;
use crate::audit::Audit;
use crate::error::{stored, to_status};
use crate::listener::PeerInfo;
use crate::pb;
use crate::request::answer;

pub struct QueriesService {
    pub engine: Arc<Engine>,
    pub audit: Audit,
    /// "Expiring soon" window for agreements, in days.
    pub expiring_window_days: i64,
    /// Derived agreement views, kept while the stored agreement records are byte for byte the
    /// same and no derived state can have changed with time (see [`agreement::next_change`]).
    pub agreements_cache: Cache<Vec<rpb::AgreementView>>,
    /// Decoded evaluations per region, kept while the stored ones are the same.
    pub evaluations_cache: Cache<BTreeMap<NodeId, Vec<Record>>>,
}

/// A value computed from aggregate values, with the fingerprint of the bytes it came from and
/// the moment until which it holds.
pub struct Cache<T>(Mutex<Option<(u64, i64, Arc<T>)>>);

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

type Counts = Vec<((u32, u8, String, String), u64)>;

impl QueriesService {
    fn may_ask(&self, info: &PeerInfo) -> Result<(), Status> {
        may_read(&info.identity, self.engine.me())
    }

    async fn values(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Status> {
        self.engine.aggregates(prefix.to_vec()).await.map_err(to_status)
    }

    async fn capacity(&self) -> Result<Vec<rpb::CapacityLatest>, Status> {
        self.values(CAPACITY)
            .await?
            .into_iter()
            .map(|(_, v)| stored(Some(v)))
            .collect()
    }

    async fn agreements(&self, now: i64) -> Result<Arc<Vec<rpb::AgreementView>>, Status> {
        let values = self.values(AGREEMENTS).await?;
        let f = fingerprint(&values);
        if let Some(hit) = self.agreements_cache.get(f, now) {
            return Ok(hit);
        }
        let mut out = Vec::new();
        for (key, v) in values {
            let id = String::from_utf8_lossy(&key[AGREEMENTS.len()..]).into_owned();
            let held: rpb::AgreementRecords = stored(Some(v))?;
            let records = aggregate::records(&held.records);
            out.extend(agreement::derive(&id, &records, now, self.expiring_window_days));
        }
        let until = agreement::next_change(&out, now);
        Ok(self.agreements_cache.put(f, until, out))
    }

    async fn evaluations(&self) -> Result<Arc<BTreeMap<NodeId, Vec<Record>>>, Status> {
        let values = self.values(EVALUATIONS).await?;
        let f = fingerprint(&values);
        if let Some(hit) = self.evaluations_cache.get(f, i64::MIN) {
            return Ok(hit);
        }
        let mut out = BTreeMap::new();
        for (key, v) in values {
            let Some((region, _)) = key.get(EVALUATIONS.len()..).and_then(NodeId::from_key) else {
                continue;
            };
            let held: rpb::RegionEvaluations = stored(Some(v))?;
            out.insert(region, aggregate::records(&held.records));
        }
        Ok(self.evaluations_cache.put(f, i64::MAX, out))
    }

    async fn counts(&self) -> Result<Counts, Status> {
        Ok(self
            .values(RATING_COUNTS)
            .await?
            .into_iter()
            .filter_map(|(k, v)| Some((aggregate::parse_rating_key(&k)?, aggregate::u64_of(&v))))
            .collect())
    }
}

impl QueriesService {
    /// The regions of this node's federation.
    fn regions(&self) -> Vec<NodeId> {
        self.engine.members().regions().collect()
    }

    /// A request field that must name a region of this node's federation.
    fn region_arg(&self, field: &str, value: &str) -> Result<NodeId, Status> {
        let r = NodeId::parse_field(field, value).map_err(|e| Status::invalid_argument(e.to_string()))?;
        match self.engine.members().kind(r) {
            Some(regiosync_types::MemberKind::Region) => Ok(r),
            Some(kind) => Err(Status::invalid_argument(format!(
                "{field}: {r} is a {} member, not a region",
                kind.as_str()
            ))),
            None => Err(Status::invalid_argument(format!(
                "{field}: {r} is not a member of this federation"
            ))),
        }
    }
}

#[tonic::async_trait]
impl pb::queries_server::Queries for QueriesService {
    async fn national_capacity(
        &self,
        req: Request<pb::NationalCapacityRequest>,
    ) -> Result<Response<rpb::NationalCapacity>, Status> {
        answer(&self.audit, "Queries/NationalCapacity", req, |info, _| async move {
            self.may_ask(&info)?;
            let mut a = queries::national_capacity(&self.capacity().await?, &self.regions(), self.engine.now_ms());
            a.answered_by = self.engine.me().to_string();
            Ok(a)
        })
        .await
    }

    async fn resource_by_region(
        &self,
        req: Request<pb::ResourceByRegionRequest>,
    ) -> Result<Response<rpb::ResourceByRegion>, Status> {
        answer(&self.audit, "Queries/ResourceByRegion", req, |info, r| async move {
            self.may_ask(&info)?;
            let region = match r.region.as_str() {
                "" => None,
                v => Some(self.region_arg("region", v)?),
            };
            let now = self.engine.now_ms();
            let agreements = if region.is_some() {
                self.agreements(now).await?
            } else {
                Arc::default()
            };
            queries::resource_by_region(
                &r.resource_type,
                region,
                &self.capacity().await?,
                &agreements,
                &self.regions(),
                now,
            )
            .map_err(|e| Status::invalid_argument(e.to_string()))
            .map(|mut a| {
                a.answered_by = self.engine.me().to_string();
                a
            })
        })
        .await
    }

    async fn agreement_coverage(
        &self,
        req: Request<pb::AgreementCoverageRequest>,
    ) -> Result<Response<rpb::AgreementCoverage>, Status> {
        answer(&self.audit, "Queries/AgreementCoverage", req, |info, r| async move {
            self.may_ask(&info)?;
            let now = self.engine.now_ms();
            let window = match r.expiring_within_days {
                0 => self.expiring_window_days,
                n => i64::from(n),
            };
            let neighbours = self.engine.members().neighbour_edges();
            let mut a = queries::agreement_coverage(&self.agreements(now).await?, neighbours, window, now);
            a.window_days = u32::try_from(window).unwrap_or(0);
            a.answered_by = self.engine.me().to_string();
            Ok(a)
        })
        .await
    }

    async fn evaluation_benchmark(
        &self,
        req: Request<pb::EvaluationBenchmarkRequest>,
    ) -> Result<Response<rpb::EvaluationBenchmark>, Status> {
        answer(&self.audit, "Queries/EvaluationBenchmark", req, |info, r| async move {
            self.may_ask(&info)?;
            let counts = self.counts().await?;
            let mut a = match r.region.as_str() {
                "" => queries::evaluation_benchmark(&counts, None, r.year),
                v => {
                    let region = self.region_arg("region", v)?;
                    let held = self
                        .engine
                        .aggregate(aggregate::evaluations_key(region))
                        .await
                        .map_err(to_status)?;
                    let held: rpb::RegionEvaluations = stored(held)?;
                    let mine = aggregate::records(&held.records);
                    queries::evaluation_benchmark(&counts, Some((region, &mine)), r.year)
                }
            };
            a.answered_by = self.engine.me().to_string();
            Ok(a)
        })
        .await
    }

    async fn in_control(&self, req: Request<pb::InControlRequest>) -> Result<Response<rpb::InControlCard>, Status> {
        answer(&self.audit, "Queries/InControl", req, |info, r| async move {
            self.may_ask(&info)?;
            let region = self.region_arg("region", &r.region)?;
            let evaluations = self
                .engine
                .aggregate(aggregate::evaluations_key(region))
                .await
                .map_err(to_status)?;
            let held: rpb::RegionEvaluations = stored(evaluations)?;
            let capacity = self
                .engine
                .aggregate(aggregate::capacity_key(region, regiosync_types::pb::Status::Actual))
                .await
                .map_err(to_status)?
                .map(|v| stored::<rpb::CapacityLatest>(Some(v)))
                .transpose()?;
            let mut a = queries::in_control(
                region,
                &aggregate::records(&held.records),
                capacity.as_ref(),
                self.engine.now_ms(),
            );
            a.answered_by = self.engine.me().to_string();
            Ok(a)
        })
        .await
    }

    async fn data_quality(&self, req: Request<pb::DataQualityRequest>) -> Result<Response<rpb::DataQuality>, Status> {
        answer(&self.audit, "Queries/DataQuality", req, |info, _| async move {
            self.may_ask(&info)?;
            let status = self.engine.status().await.map_err(to_status)?;
            let mut replication: BTreeMap<NodeId, (u64, i64)> = BTreeMap::new();
            for p in &status.peers {
                for (origin, behind) in &p.behind {
                    let e = replication.entry(*origin).or_default();
                    e.0 = e.0.max(*behind);
                }
                if let Some(peer) = p.peer {
                    replication.entry(peer).or_default().1 = p.last_contact_unix_ms;
                }
            }
            let mut a = queries::data_quality(
                &self.capacity().await?,
                &*self.evaluations().await?,
                &self.engine.rejected_by_origin(),
                &replication,
                &self.regions(),
                self.engine.now_ms(),
            );
            let equivocations = self.engine.equivocations_by_origin();
            for q in &mut a.regions {
                let Ok(region) = q.region.parse::<NodeId>() else {
                    continue;
                };
                q.equivocations = equivocations.get(&region).copied().unwrap_or(0);
                let seqs_of = |ranges: &mut dyn Iterator<Item = SeqRange>| -> u64 {
                    ranges.filter(|r| r.origin == region).map(|r| r.count()).sum()
                };
                q.damaged = seqs_of(&mut status.damaged.iter().map(|d| d.range()));
                q.missing = seqs_of(&mut status.missing.iter().copied());
            }
            a.answered_by = self.engine.me().to_string();
            Ok(a)
        })
        .await
    }
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
