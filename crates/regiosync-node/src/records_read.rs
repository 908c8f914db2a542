//! Reading records for the `Records` service from the aggregates the node keeps as records are
//! stored (`regiosync_records::aggregate`): an agreement is one key, a region's newest capacity
//! report one key per status, a region's evaluations one key; nothing scans every record.
use regiosync_records::aggregate::{self, AGREEMENTS, CAPACITY, EVALUATIONS};
use regiosync_records::{agreement, capacity, evaluation, pb, Record};
use regiosync_replication::Engine;
use regiosync_types::NodeId;
use tonic::Status;

use crate::error::{stored, to_status};

/// Reads over one engine's aggregates at one moment.
pub struct Reader<'a> {
    pub engine: &'a Engine,
    pub now_ms: i64,
    pub expiring_window_days: i64,
}

impl Reader<'_> {
    async fn values(&self, prefix: Vec<u8>) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Status> {
        self.engine.aggregates(prefix).await.map_err(to_status)
    }

    pub async fn agreement(&self, agreement_id: &str) -> Result<Option<pb::AgreementView>, Status> {
        let held = self
            .engine
            .aggregate(aggregate::agreement_key(agreement_id))
            .await
            .map_err(to_status)?;
        let held: pb::AgreementRecords = stored(held)?;
        let records = aggregate::records(&held.records);
        Ok(agreement::derive(
            agreement_id,
            &records,
            self.now_ms,
            self.expiring_window_days,
        ))
    }

    pub async fn agreements(&self) -> Result<Vec<pb::AgreementView>, Status> {
        let mut out = Vec::new();
        for (key, v) in self.values(AGREEMENTS.to_vec()).await? {
            let id = String::from_utf8_lossy(&key[AGREEMENTS.len()..]).into_owned();
            let held: pb::AgreementRecords = stored(Some(v))?;
            let records = aggregate::records(&held.records);
            out.extend(agreement::derive(&id, &records, self.now_ms, self.expiring_window_days));
        }
        Ok(out)
    }

    /// The newest report of each region (or of one), per status: actual first, then exercise
    /// and test when asked for.
    pub async fn capacity(
        &self,
        region: Option<NodeId>,
        include_non_actual: bool,
    ) -> Result<Vec<pb::CapacityView>, Status> {
        let prefix = match region {
            Some(r) => [CAPACITY, r.key()].concat(),
            None => CAPACITY.to_vec(),
        };
        let mut out = Vec::new();
        for (_, v) in self.values(prefix).await? {
            let latest: pb::CapacityLatest = stored(Some(v))?;
            let records = aggregate::records(latest.record.as_slice());
            for mut view in capacity::current(&records, self.now_ms, include_non_actual) {
                view.superseded = u32::try_from(latest.reports.saturating_sub(1)).unwrap_or(u32::MAX);
                out.push(view);
            }
        }
        Ok(out)
    }

    pub async fn evaluations(&self, region: Option<NodeId>) -> Result<Vec<pb::EvaluationView>, Status> {
        let prefix = match region {
            Some(r) => aggregate::evaluations_key(r),
            None => EVALUATIONS.to_vec(),
        };
        let mut records: Vec<Record> = Vec::new();
        for (_, v) in self.values(prefix).await? {
            let held: pb::RegionEvaluations = stored(Some(v))?;
            records.extend(aggregate::records(&held.records));
        }
        Ok(evaluation::views(&records, self.now_ms))
    }
}
