//! Serving a subscription: stream what a peer is missing, then keep pushing what arrives.
//!
//! The stream is pulled from the store, not from per-peer queues: a subscription remembers per
//! origin what it has sent, and on every change re-reads the index from there. Memory per
//! subscriber is therefore bounded by `stream_queue` batches, however far behind it is.
use std::collections::HashSet;
use std::sync::Arc;

use regiosync_trust::KeyId;
use regiosync_types::{NodeId, VersionVector};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::engine::{blocking, Engine};
use crate::error::Result;
use crate::transport::SyncItem;

/// Most bytes of entries in one streamed batch (at least one chunk is always sent).
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

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
        // The peer's own entries go back to it only as far as this node held them when it
        // subscribed (what it lost); what it writes from then on it has, and is not echoed.
        let own_cap = self.held(peer);
        let mut certs_sent: HashSet<[u8; 16]> = HashSet::new();
        let mut changes = self.changed.subscribe();
        let mut shutdown = self.shutdown.subscribe();
        loop {
            changes.borrow_and_update();
            for (origin, head) in self.vouched_for(peer).iter() {
                let head = if origin == peer { head.min(own_cap) } else { head };
                let mut damaged = false;
                while sent.get(origin) < head {
                    let (after, log, limit) = (sent.get(origin), self.log.clone(), self.config.batch_entries);
                    let page = match blocking(move || log.chunks_for(peer, origin, after, head, limit, MAX_BATCH_BYTES))
                        .await
                    {
                        Err(crate::error::Error::Damaged { origin, first, what }) => {
                            // Met while serving: set it aside, serve the others.
                            tracing::error!(%origin, first, %what, "stored chunk failed its check while serving");
                            self.set_aside(origin, first).await?;
                            damaged = true;
                            break;
                        }
                        r => r?,
                    };
                    let Some(last_seq) = page.last().map(|c| c.last_seq) else {
                        break;
                    };
                    for c in &page {
                        if certs_sent.insert(c.key_id) {
                            if let Some(der) = self.verifier.cert_der(&KeyId(c.key_id)) {
                                if tx.send(SyncItem::Certificate(der.to_vec())).await.is_err() {
                                    return Ok(());
                                }
                            }
                        }
                    }
                    let batch: Vec<_> = page.into_iter().filter_map(|c| c.chunk).collect();
                    if !batch.is_empty() && tx.send(SyncItem::Batch(batch)).await.is_err() {
                        return Ok(());
                    }
                    sent.advance(origin, last_seq);
                }
                // Never vouch past a chunk just found damaged.
                if !damaged && head > sent.get(origin) {
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
