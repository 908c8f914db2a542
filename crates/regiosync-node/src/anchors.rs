//! Anchoring the audit chain in the node's own signed log: every `audit.anchor_secs` (when
//! lines were written since the last anchor) and once when the node stops, the node publishes
//! an entry of kind `audit_anchor` (`proto/regiosync/v1/audit.proto`) with the chain's head:
//! seq, hash and the lines of the current file. Its audience is the node and its configured
//! peers (every national node sees every entry), so nodes other than this one hold evidence of
//! what the file said; `regiosync audit verify --node ...` checks the file against them. An
//! anchor that cannot be published (writes paused while the node heals its log, a full disk)
//! is logged and tried again at the next interval.
use std::sync::Arc;
use std::time::Duration;

use prost::Message;
use regiosync_records::{kinds, pb as rpb};
use regiosync_replication::{Draft, Engine, Published};
use regiosync_types::pb::Status as RecordStatus;
use tokio::task::JoinHandle;

use crate::audit::{Audit, Head};
use crate::error::Result;

/// Publish `head` as an anchor (`last`: the node is stopping and writes no more lines).
pub async fn publish(engine: &Engine, head: &Head, last: bool, audience: &[String]) -> Result<Published> {
    let anchor = rpb::AuditAnchor {
        seq: head.seq,
        hash: head.hash.clone(),
        lines: head.lines,
        line_unix_ms: head.unix_ms,
        last,
    };
    let published = engine
        .publish(Draft {
            kind: kinds::AUDIT_ANCHOR.into(),
            status: RecordStatus::Actual as i32,
            audience: audience.to_vec(),
            payload: anchor.encode_to_vec(),
            ..Draft::default()
        })
        .await?;
    tracing::info!(id = %published.id, seq = head.seq, hash = %head.hash, last, "audit chain anchored");
    Ok(published)
}

/// Anchor the head every `every` while it moves, until `stop` is sent or dropped. A publish
/// under way is never cut off (the engine's publish must run to its end): the node's shutdown
/// stops the task and waits for it before its last anchor.
pub(crate) fn every(
    engine: Arc<Engine>,
    audit: Audit,
    every: Duration,
    audience: Vec<String>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut anchored = 0;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = &mut stop => return,
            }
            let head = audit.head();
            if head.seq == anchored {
                continue;
            }
            match publish(&engine, &head, false, &audience).await {
                Ok(_) => anchored = head.seq,
                Err(e) => {
                    tracing::warn!(error = %e, seq = head.seq, "cannot anchor the audit chain now; tried again later")
                }
            }
        }
    })
}
