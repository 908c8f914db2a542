//! Serving a subscription: stream what a peer is missing, then keep pushing what arrives.
//!
//! The stream is pulled from the store, not from per-peer queues: a subscription remembers per
//! origin what it has sent, and on every change re-reads the index from there. Memory per
//! subscriber is therefore bounded by `stream_queue` batches, however far behind it is.
//!
//! First the seqs the peer says it lacks below its cursors (each range it can be sent whole is
//! followed by `Settled`), then per origin everything after the peer's cursor, one batch of
//! each origin in turn (a live entry never waits behind another origin's catch-up). A gap of this
//! node (`gaps.rs`) is sent as a `Hole`: never vouched for as held, never read.
use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use regiosync_trust::KeyId;
use regiosync_types::pb::Chunk;
use regiosync_types::{NodeId, VersionVector};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::engine::{blocking, Engine};
use crate::error::{Error, Result};
use crate::gaps::{outside, Gap};
use crate::transport::{SeqRange, SyncItem};

/// Most bytes of entries in one streamed batch (at least one chunk is always sent).
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// One subscription being served.
struct Stream<'a> {
    peer: NodeId,
    tx: &'a mpsc::Sender<SyncItem>,
    certs_sent: HashSet<[u8; 16]>,
}

/// The receiver went away: stop serving.
struct Gone;

/// How sending a run of chunks ended.
enum Run {
    /// Everything up to the end of the run was sent.
    Sent,
    /// A chunk failed its check on the way and was set aside (or a gap appeared): look again.
    Changed,
}

impl Engine {
    /// Start streaming to `peer` (its identity taken from its certificate by the caller), who
    /// says it holds `have` except `lacks`. Ends when the receiver is dropped or the node shuts
    /// down.
    pub fn serve(
        self: &Arc<Self>,
        peer: NodeId,
        have: VersionVector,
        lacks: Vec<SeqRange>,
    ) -> ReceiverStream<SyncItem> {
        let (tx, rx) = mpsc::channel(self.config.stream_queue.max(1));
        let engine = self.clone();
        tokio::spawn(async move {
            let mut stream = Stream {
                peer,
                tx: &tx,
                certs_sent: HashSet::new(),
            };
            if let Err(e) = engine.serve_loop(&mut stream, have, lacks).await {
                tracing::warn!(%peer, error = %e, "subscription ended with an error");
            }
        });
        ReceiverStream::new(rx)
    }

    async fn serve_loop(self: &Arc<Self>, s: &mut Stream<'_>, have: VersionVector, lacks: Vec<SeqRange>) -> Result<()> {
        let peer = s.peer;
        let mut sent = have;
        // The peer's own entries go back to it only as far as this node held them when it
        // subscribed (what it lost); what it writes from then on it has, and is not echoed.
        let own_cap = self.held(peer);
        let mut changes = self.changed.subscribe();
        let mut shutdown = self.shutdown.subscribe();
        let (mut gaps, mut gaps_read) = (Vec::new(), None);
        // What the peer lacks that this node could not send yet (it lacks it too): sent once
        // this node's gaps change and it holds them.
        let mut lacking = lacks;
        // The journal generation last looked at (`moved.rs`), and the origins this stream had
        // not sent up to their heads then. Every other origin was sent as far as this node held
        // it, so a pass looks at these and at what moved since: not at every origin held.
        let (mut looked, mut behind) = (None, BTreeSet::new());
        loop {
            changes.borrow_and_update();
            // Read again only when they changed (never between two entries arriving).
            let now = self.gaps_changed.load(Ordering::Relaxed);
            if gaps_read != Some(now) {
                gaps = self.gaps().await?;
                gaps_read = Some(now);
                // Gaps decide what can be sent: look at every origin again.
                looked = None;
                match self.serve_lacks(s, &lacking, &mut gaps).await {
                    Ok(left) => lacking = left,
                    Err(Gone) => return Ok(()),
                }
            }
            // The generation is read before the heads: whatever moves after it is seen next pass.
            // Looking at every origin, nothing moved is needed (`u64::MAX`): the generation only.
            let (generation, moved) = self.moved_since(looked.unwrap_or(u64::MAX));
            let pass: BTreeSet<NodeId> = match looked {
                None => self.vouched_for(peer).iter().map(|(o, _)| o).collect(),
                Some(_) => behind.iter().copied().chain(moved).collect(),
            };
            looked = Some(generation);
            behind.clear();
            // Round robin: at most one batch of each origin a pass, the heads read again every
            // pass. A live entry of one origin waits for one batch of each other origin, never
            // for another origin's whole catch-up. Per origin the order stays ascending.
            let mut more = false;
            for origin in pass {
                if !self.vouches(peer, origin) {
                    continue;
                }
                let head = self.held(origin);
                let head = if origin == peer { head.min(own_cap) } else { head };
                let before = sent.get(origin);
                let slice = before.saturating_add(self.config.batch_entries.max(1) as u64).min(head);
                if self.serve_origin(s, origin, slice, &mut sent, &mut gaps).await.is_err() {
                    return Ok(());
                }
                let after = sent.get(origin);
                if after < head {
                    behind.insert(origin);
                }
                // Only an origin that moved this pass is gone back to at once: one that cannot
                // move (a gap it cannot vouch past) waits for a change like the others.
                more |= after > before && after < head;
            }
            if more {
                if s.tx.is_closed() {
                    return Ok(());
                }
                continue;
            }
            tokio::select! {
                r = changes.changed() => if r.is_err() { return Ok(()) },
                _ = s.tx.closed() => return Ok(()),
                _ = crate::engine::stopped(&mut shutdown) => return Ok(()),
            }
        }
    }

    /// Every gap of this node, damaged or missing.
    pub(crate) async fn gaps(&self) -> Result<Vec<Gap>> {
        let log = self.log.clone();
        blocking(move || log.gaps()).await
    }

    /// Send what the peer lacks below its cursors, as far as this node holds it intact; returns
    /// what it lacks too (to send once it holds it). Of an origin this node vouches for, each
    /// range sent whole is closed with `Settled`. The peer's own entries go back to it from any
    /// node that holds them whole (a region that lost entries it had sent to a neighbour gets
    /// them back from there), without a `Settled`: such a node cannot vouch for them.
    async fn serve_lacks(
        &self,
        s: &mut Stream<'_>,
        lacks: &[SeqRange],
        gaps: &mut Vec<Gap>,
    ) -> Result<Vec<SeqRange>, Gone> {
        let mut left = Vec::new();
        if lacks.is_empty() {
            return Ok(left);
        }
        let vouched = self.vouched_for(s.peer);
        for lack in lacks {
            let vouches = vouched.iter().any(|(o, _)| o == lack.origin);
            let head = match vouches {
                true => vouched.get(lack.origin),
                false if lack.origin == s.peer => self.held(lack.origin),
                false => continue,
            };
            if lack.first > head {
                left.push(*lack);
                continue;
            }
            let lack = SeqRange {
                last: lack.last.min(head),
                ..*lack
            };
            let snapshot = gaps.clone();
            left.extend(snapshot.iter().filter_map(|g| {
                let (first, last) = (g.range.first.max(lack.first), g.range.last.min(lack.last));
                (g.range.origin == lack.origin && first <= last).then_some(SeqRange { first, last, ..lack })
            }));
            for piece in outside(lack, &snapshot) {
                if let Run::Sent = self.send_run(s, piece, gaps, &mut 0).await? {
                    if vouches {
                        send(s.tx, SyncItem::Settled(piece)).await?;
                    }
                }
            }
        }
        Ok(left)
    }

    /// Send `origin` from the peer's cursor up to `head`: chunks and watermarks up to each gap
    /// of this node, the gap as a hole, and on.
    async fn serve_origin(
        &self,
        s: &mut Stream<'_>,
        origin: NodeId,
        head: u64,
        sent: &mut VersionVector,
        gaps: &mut Vec<Gap>,
    ) -> Result<(), Gone> {
        loop {
            let at = sent.get(origin);
            if at >= head {
                return Ok(());
            }
            let gap = gaps
                .iter()
                .map(|g| g.range)
                .find(|g| g.origin == origin && g.last > at && g.first <= head);
            let through = gap.map_or(head, |g| g.first.saturating_sub(1).max(at));
            if through > at {
                let run = SeqRange {
                    origin,
                    first: at + 1,
                    last: through,
                };
                let mut done = at;
                let ran = self.send_run(s, run, gaps, &mut done).await?;
                sent.advance(origin, done);
                if let Run::Changed = ran {
                    continue;
                }
                // The last chunk sent moves the peer's cursor itself; past it (entries it may
                // not see) a watermark does, proven by the origin's seal.
                if done < through {
                    let Some(seal) = self.seal_for(s, origin, through).await? else {
                        return Ok(());
                    };
                    send(s.tx, SyncItem::Watermark(origin, through, seal)).await?;
                }
                sent.advance(origin, through);
            }
            let Some(g) = gap else { return Ok(()) };
            let hole = SeqRange {
                origin,
                first: g.first.max(at + 1),
                last: g.last.min(head),
            };
            // A hole this node cannot prove the origin sealed past (a gap at its head) is not
            // vouched for: the peer's cursor waits there until a chunk after it arrives.
            let Some(seal) = self.seal_for(s, origin, hole.last).await? else {
                return Ok(());
            };
            send(s.tx, SyncItem::Hole(hole, seal)).await?;
            sent.advance(origin, hole.last);
        }
    }

    /// The seal proving that `origin` sealed up to `seq` (for a watermark or a hole), its
    /// certificate sent first if this stream has not sent it yet. `None` when this node holds
    /// no chunk that far, or cannot read it: it then vouches for nothing past what it sent.
    async fn seal_for(&self, s: &mut Stream<'_>, origin: NodeId, seq: u64) -> Result<Option<Chunk>, Gone> {
        let log = self.log.clone();
        let seal = match blocking(move || log.seal_reaching(origin, seq)).await {
            Ok(Some(seal)) => seal,
            Ok(None) => return Ok(None),
            Err(e) => {
                tracing::warn!(peer = %s.peer, %origin, seq, error = %e, "reading the seal to vouch with failed");
                return Ok(None);
            }
        };
        let key: [u8; 16] = seal.key_id.as_slice().try_into().unwrap_or_default();
        if s.certs_sent.insert(key) {
            if let Some(der) = self.verifier.cert_der(&KeyId(key)) {
                send(s.tx, SyncItem::Certificate(der.to_vec())).await?;
            }
        }
        Ok(Some(seal))
    }

    /// Send the chunks of `run` this peer may see, raising `done` to the last seq sent. A chunk
    /// that fails its check on the way is set aside; then, and when a gap appeared meanwhile,
    /// `gaps` is read again and nothing after the last whole page is sent.
    async fn send_run(
        &self,
        s: &mut Stream<'_>,
        run: SeqRange,
        gaps: &mut Vec<Gap>,
        done: &mut u64,
    ) -> Result<Run, Gone> {
        let (peer, origin) = (s.peer, run.origin);
        let mut after = run.first - 1;
        while after < run.last {
            let (log, limit) = (self.log.clone(), self.config.batch_entries);
            let read = blocking(move || {
                let page = log.chunks_for(peer, origin, after, run.last, limit, MAX_BATCH_BYTES);
                // A chunk set aside while the page was read is absent from it: the gaps read
                // after the page show it.
                Ok((page, log.gaps()?))
            })
            .await;
            let (page, fresh) = match read {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(%peer, %origin, error = %e, "reading chunks to serve failed");
                    return Err(Gone);
                }
            };
            let page = match page {
                Err(Error::Damaged { origin, first, what }) => {
                    tracing::error!(%origin, first, %what, "stored chunk failed its check while serving");
                    if let Err(e) = self.set_aside(origin, first).await {
                        tracing::error!(%origin, first, error = %e, "could not set the damaged chunk aside");
                        return Err(Gone);
                    }
                    *gaps = self.gaps().await.map_err(|_| Gone)?;
                    return Ok(Run::Changed);
                }
                Err(e) => {
                    tracing::warn!(%peer, %origin, error = %e, "reading chunks to serve failed");
                    return Err(Gone);
                }
                Ok(page) => page,
            };
            let new_gap = |g: &&Gap| {
                g.range.origin == origin && g.range.first <= run.last && g.range.last > after && !gaps.contains(g)
            };
            if fresh.iter().any(|g| new_gap(&g)) {
                *gaps = fresh;
                return Ok(Run::Changed);
            }
            let Some(last_seq) = page.last().map(|c| c.last_seq) else {
                break;
            };
            for c in &page {
                if s.certs_sent.insert(c.key_id) {
                    if let Some(der) = self.verifier.cert_der(&KeyId(c.key_id)) {
                        send(s.tx, SyncItem::Certificate(der.to_vec())).await?;
                    }
                }
            }
            // A node's own entries go back to it only as whole chunks (a copy with entries
            // withheld is not its log).
            let whole = |c: &regiosync_types::pb::Chunk| {
                origin != peer
                    || c.items
                        .iter()
                        .all(|i| matches!(i.item, Some(regiosync_types::pb::chunk_item::Item::Body(_))))
            };
            let batch: Vec<_> = page.into_iter().filter_map(|c| c.chunk).filter(whole).collect();
            if !batch.is_empty() {
                send(s.tx, SyncItem::Batch(batch)).await?;
            }
            after = last_seq;
            *done = (*done).max(last_seq);
        }
        Ok(Run::Sent)
    }
}

async fn send(tx: &mpsc::Sender<SyncItem>, item: SyncItem) -> Result<(), Gone> {
    tx.send(item).await.map_err(|_| Gone)
}
