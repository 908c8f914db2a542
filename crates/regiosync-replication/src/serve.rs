//! Serving a subscription: stream what a peer is missing, then keep pushing what arrives.
//!
//! The stream is pulled from the store, not from per-peer queues: a subscription remembers per
//! origin what it has sent, and on every change re-reads the index from there. Memory per
//! subscriber is therefore bounded by `stream_queue` batches, however far behind it is.
use std::collections::HashSet;
use std::sync::Arc;

use regiosync_trust::KeyId;
use regiosync_types::{Envelope, NodeId, VersionVector};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::engine::{blocking, Engine};
use crate::error::Result;
use crate::transport::SyncItem;

/// Most bytes of entries in one streamed batch (at least one entry is always sent).
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

fn truncate_to_bytes(page: &mut Vec<regiosync_types::pb::SignedEntry>, max: usize) {
    let mut total = 0;
    let keep = page
        .iter()
        .position(|e| {
            total += e.body.len() + e.signature.len() + e.key_id.len() + 16;
            total > max
        })
        .unwrap_or(page.len())
        .max(1);
    page.truncate(keep);
}

impl Engine {
    /// Start streaming to `peer` (its identity taken from its certificate by the caller), who
    /// says it holds `have`. Ends when the receiver is dropped or the node shuts down.
    pub fn serve(self: &Arc<Self>, peer: NodeId, have: VersionVector) -> ReceiverStream<SyncItem> {
        let (tx, rx) = mpsc::channel(self.config.stream_queue.max(1));
        let engine = self.clone();
        tokio::spawn(async move {
            if let Err(e) = engine.serve_loop(peer, have, &tx).await {
                tracing::warn!(%peer, error = %e, "subscription ended with an error");
            }
        });
        ReceiverStream::new(rx)
    }

    async fn serve_loop(
        self: &Arc<Self>,
        peer: NodeId,
        have: VersionVector,
        tx: &mpsc::Sender<SyncItem>,
    ) -> Result<()> {
        let mut sent = have;
        let mut certs_sent: HashSet<Vec<u8>> = HashSet::new();
        let mut changes = self.changed.subscribe();
        let mut shutdown = self.shutdown.subscribe();
        loop {
            changes.borrow_and_update();
            for (origin, head) in self.vouched_for(peer).iter() {
                while sent.get(origin) < head {
                    let (after, log, limit) = (sent.get(origin), self.log.clone(), self.config.batch_entries);
                    let mut page = blocking(move || log.entries_for(peer, origin, after, limit)).await?;
                    truncate_to_bytes(&mut page, MAX_BATCH_BYTES);
                    let Some(last) = page.last() else { break };
                    let last_seq = Envelope::from_signed(last)?.seq;
                    for e in &page {
                        if !certs_sent.contains(&e.key_id) {
                            let der = KeyId::from_slice(&e.key_id).and_then(|k| self.verifier.cert_der(&k));
                            if let Some(der) = der {
                                if tx.send(SyncItem::Certificate(der.to_vec())).await.is_err() {
                                    return Ok(());
                                }
                            }
                            certs_sent.insert(e.key_id.clone());
                        }
                    }
                    if tx.send(SyncItem::Batch(page)).await.is_err() {
                        return Ok(());
                    }
                    sent.advance(origin, last_seq);
                }
                if head > sent.get(origin) {
                    if tx.send(SyncItem::Watermark(origin, head)).await.is_err() {
                        return Ok(());
                    }
                    sent.advance(origin, head);
                }
            }
            tokio::select! {
                r = changes.changed() => if r.is_err() { return Ok(()) },
                _ = tx.closed() => return Ok(()),
                _ = crate::engine::stopped(&mut shutdown) => return Ok(()),
            }
        }
    }
}
