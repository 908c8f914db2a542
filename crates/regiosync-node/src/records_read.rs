//! Reading records for the `Records` service: the entries the record layer indexed, as the
//! caller may see them, decoded and derived into views.
use regiosync_records::{agreement, capacity, evaluation, index, pb, Record};
use regiosync_replication::{Engine, StoredEntry};
use regiosync_types::NodeId;
use tonic::Status;

use crate::error::to_status;

/// Reads over one engine, restricted to what `visible_to` may see (`None` = everything held).
pub struct Reader<'a> {
    pub engine: &'a Engine,
    pub visible_to: Option<NodeId>,
    pub now_ms: i64,
    pub expiring_window_days: i64,
}

impl Reader<'_> {
    /// Decoded records indexed under `prefix`. A stored record that no longer decodes was
    /// admitted by an older build; it is logged and left out rather than failing the query.
    pub async fn records(&self, prefix: Vec<u8>) -> Result<Vec<Record>, Status> {
        let held = self
            .engine
            .indexed(prefix, self.visible_to)
            .await
            .map_err(to_status)?;
        Ok(decode_all(held))
    }

    pub async fn agreement(&self, agreement_id: &str) -> Result<Option<pb::AgreementView>, Status> {
        let records = self.records(index::agreement(agreement_id)).await?;
        Ok(agreement::derive(
            agreement_id,
            &records,
            self.now_ms,
            self.expiring_window_days,
        ))
    }

    pub async fn agreements(&self) -> Result<Vec<pb::AgreementView>, Status> {
        let records = self.records(index::agreements()).await?;
        Ok(agreement::derive_all(&records, self.now_ms, self.expiring_window_days))
    }

    pub async fn capacity(&self, region: Option<NodeId>, include_non_actual: bool) -> Result<Vec<pb::CapacityView>, Status> {
        let prefix = region.map_or_else(index::capacity, index::capacity_of);
        let records = self.records(prefix).await?;
        Ok(capacity::current(&records, self.now_ms, include_non_actual))
    }

    pub async fn evaluations(&self, region: Option<NodeId>) -> Result<Vec<pb::EvaluationView>, Status> {
        let prefix = region.map_or_else(index::evaluations, index::evaluations_of);
        let records = self.records(prefix).await?;
        Ok(evaluation::views(&records, self.now_ms))
    }
}

fn decode_all(held: Vec<StoredEntry>) -> Vec<Record> {
    held.into_iter()
        .filter_map(|e| match Record::decode(&e.envelope) {
            Ok(r) => r,
            Err(error) => {
                tracing::warn!(id = %e.envelope.id, %error, "stored record no longer decodes; left out");
                None
            }
        })
        .collect()
}
