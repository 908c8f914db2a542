//! Pulling from peers: one loop per configured peer subscribes, verifies and applies what it is
//! sent, checks with a periodic anti-entropy round that nothing was missed, and backs off and
//! reconnects on any failure. A catch-up starts as soon as the loop (re)connects.

//! What an operator sees of each peer in the log is in `peer_health.rs`.
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use regiosync_types::{NodeId, Sealed, VersionVector};

use crate::apply::Marks;
use crate::engine::{blocking, Engine, PeerStatus};
use crate::error::{Error, Result};
use crate::peer_health::{has_grpc_code, peer_warn_every, End, Health, Refusal};
pub use crate::peer_health::{PEER_WARN_EVERY, PEER_WARN_EVERY_ENV};
use crate::transport::{ItemStream, SeqRange, SyncItem, Transport};

impl Engine {
    /// Start pulling from `peer` (reachable at `address`, shown in status) through `transport`.
    pub fn connect_peer<T: Transport>(self: &Arc<Self>, transport: Arc<T>, peer: NodeId, address: String) {
        self.peers.lock().unwrap().insert(
            peer,
            PeerStatus {
                peer: Some(peer),
                address,
                ..Default::default()
            },
        );
        let engine = self.clone();
        let task = tokio::spawn(async move { engine.peer_loop(transport, peer).await });
        self.tasks.lock().unwrap().push(task);
    }

    async fn peer_loop<T: Transport>(self: Arc<Self>, transport: Arc<T>, peer: NodeId) {
        let mut shutdown = self.shutdown.subscribe();
        let mut backoff = self.config.backoff_min;
        let mut health = Health::new(peer, peer_warn_every());
        // Until a national peer's stream has delivered once since open, ask it for this node's
        // own log from where it opened (`Engine::wanted_from_open`).
        let mut compare_own = self.members.is_national(peer);
        loop {
            if *shutdown.borrow() {
                return;
            }
            let have = match compare_own {
                true => self.wanted_from_open(peer),
                false => self.wanted_from(peer),
            };
            let lacks = self.lacks_for(peer).await;
            let end = tokio::select! {
                r = transport.subscribe(peer, have, lacks.clone()) => match r {
                    Ok(stream) => {
                        self.note_peer(peer, |p| { p.connected = true; p.last_error = None; p.last_contact_unix_ms = self.now_ms(); });
                        health.up();
                        let (progress, end) = self.drive(&*transport, peer, stream, &lacks, &mut health).await;
                        compare_own &= !progress;
                        // A peer whose stream we refused keeps backing off: it will likely send
                        // the same again.
                        if progress && !matches!(end, End::WeRefused(_)) {
                            backoff = self.config.backoff_min;
                        }
                        end
                    }
                    Err(e) => End::transport(e.0.clone(), &e.0),
                },
                _ = crate::engine::stopped(&mut shutdown) => return,
            };
            let reason = match &end {
                End::Shutdown => return,
                End::Resubscribe(r) | End::Down(_, r) | End::WeRefused(r) => r.clone(),
            };
            self.note_peer(peer, |p| {
                p.connected = false;
                p.last_error = Some(reason);
            });
            let wait = backoff + jitter(backoff);
            health.ended(&end, wait);
            backoff = (backoff * 2).min(self.config.backoff_max);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = crate::engine::stopped(&mut shutdown) => return,
            }
        }
    }

    /// Consume one subscription until it fails. Returns whether anything arrived, and why it
    /// ended.
    async fn drive<T: Transport>(
        &self,
        transport: &T,
        peer: NodeId,
        mut stream: ItemStream,
        lacks: &[SeqRange],
        health: &mut Health,
    ) -> (bool, End) {
        let mut shutdown = self.shutdown.subscribe();
        let mut ticker = tokio::time::interval(self.config.anti_entropy);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        let mut progress = false;
        // Per origin this stream was behind the peer at the last round, how far it had
        // delivered then: a stream that is behind but still moving is left alone.
        let mut was_behind: BTreeMap<NodeId, u64> = BTreeMap::new();
        // Messages that arrived since the last round: a stream still delivering is serving
        // its origins in turn (`serve.rs`), however far behind one of them is.
        let mut arrived = 0u64;
        // A national node says at once how much of this node's own log it holds: before this
        // node takes writes it must hold as much (`heal.rs`).
        if self.members.is_national(peer) {
            if let Ok(theirs) = transport.digest(peer, self.wanted_from(peer)).await {
                health.heard();
                let behind = self.own_reported(peer, theirs.get(self.me)).await;
                self.note_peer(peer, |p| p.theirs = theirs);
                if behind {
                    return (progress, End::Resubscribe("behind its own log: asking again".into()));
                }
            }
        }
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    None => return (progress, End::Resubscribe("stream closed by peer".into())),
                    Some(Err(e)) if has_grpc_code(&e.0) => return (progress, End::transport(e.0.clone(), &e.0)),
                    Some(Err(e)) => {
                        health.heard();
                        *self.refused_for.lock().unwrap().entry("malformed").or_default() += 1;
                        health.refused(&e.0, Refusal::Invalid);
                        return (progress, End::WeRefused(e.0));
                    }
                    Some(Ok(item)) => {
                        progress = true;
                        arrived += 1;
                        health.heard();
                        let origin = item.origin();
                        if let Err(e) = self.receive(peer, item).await {
                            self.rejected.fetch_add(1, Ordering::Relaxed);
                            if let Some(o) = origin {
                                *self.rejected_from.lock().unwrap().entry(o).or_default() += 1;
                            }
                            let why = Refusal::of(&e);
                            *self.refused_for.lock().unwrap().entry(why.label()).or_default() += 1;
                            health.refused(&e.to_string(), why);
                            return (progress, End::WeRefused(format!("refused: {e}")));
                        }
                    }
                },
                _ = ticker.tick() => {
                    match transport.digest(peer, self.wanted_from(peer)).await {
                        Ok(theirs) => {
                            health.heard();
                            if self.own_reported(peer, theirs.get(self.me)).await {
                                return (progress, End::Resubscribe("behind its own log: asking again".into()));
                            }
                            // Gaps found since this stream opened are asked for on a new one.
                            let now_lacking = self.lacks_for(peer).await;
                            if now_lacking.iter().any(|r| !lacks.contains(r)) {
                                return (progress, End::Resubscribe("new gaps to ask for: resubscribing".into()));
                            }
                            let ours = self.wanted_from(peer);
                            let behind = ours.behind(&theirs);
                            self.note_peer(peer, |p| { p.theirs = theirs; p.last_contact_unix_ms = self.now_ms(); });
                            let stalled = stalled(&mut was_behind, &behind, &ours);
                            let quiet = std::mem::take(&mut arrived) == 0;
                            if quiet && !stalled.is_empty() {
                                return (progress, End::Resubscribe(format!("anti-entropy: behind {stalled:?} at two rounds, nothing arriving between them; resubscribing")));
                            }
                        }
                        Err(e) => return (progress, End::transport(format!("anti-entropy: {}", e.0), &e.0)),
                    }
                },
                _ = crate::engine::stopped(&mut shutdown) => return (progress, End::Shutdown),
            }
        }
    }

    /// Check and apply one message from `peer`. Nothing of a refused batch is stored.
    pub async fn receive(&self, peer: NodeId, item: SyncItem) -> Result<()> {
        match item {
            SyncItem::Certificate(der) => {
                let (key_id, _node) = self.verifier.admit(&der)?;
                let log = self.log.clone();
                blocking(move || log.put_cert(&key_id.0, &der)).await
            }
            SyncItem::Batch(chunks) => {
                // Each chunk is checked on its own: those before the first refused one are
                // stored (they are genuine, and one bad chunk must not hold up the others),
                // the refused one and the rest are not.
                let mut checked = Vec::with_capacity(chunks.len());
                let mut last: Option<(NodeId, u64)> = None;
                let mut refused = None;
                // The key spans as they will be once the chunks before are stored.
                let mut spans: BTreeMap<NodeId, crate::key_spans::Spans> = BTreeMap::new();
                for (i, chunk) in chunks.into_iter().enumerate() {
                    let checked_keys = self.check_chunk(peer, i, chunk, last).and_then(|chunk| {
                        let origin_spans = spans
                            .entry(chunk.origin)
                            .or_insert_with(|| self.key_spans(chunk.origin));
                        let started = crate::key_spans::check(origin_spans, &chunk)
                            .map_err(|e| Error::NotAllowed(format!("batch[{i}]: {e}")))?;
                        if let Some((s, k)) = started {
                            origin_spans.insert(s, k);
                        }
                        Ok(chunk)
                    });
                    match checked_keys {
                        Ok(chunk) => {
                            last = Some((chunk.origin, chunk.last_seq()));
                            checked.push(chunk);
                        }
                        Err(e) => {
                            refused = Some(e);
                            break;
                        }
                    }
                }
                if !checked.is_empty() {
                    self.apply_checked(checked, Marks::default(), peer).await?;
                }
                refused.map_or(Ok(()), Err)
            }
            SyncItem::Watermark(origin, seq, seal) => {
                self.may_vouch(peer, origin, "watermark")?;
                self.check_seal(origin, seq, seal, "watermark")?;
                let marks = Marks {
                    cursors: vec![(origin, seq)],
                    ..Marks::default()
                };
                self.apply_checked(Vec::new(), marks, peer).await.map(|_| ())
            }
            SyncItem::Hole(range, seal) => self.receive_range(peer, range, Some(seal)).await,
            SyncItem::Settled(range) => self.receive_range(peer, range, None).await,
        }
    }

    /// One chunk of a batch from `peer` (`i`-th, after `last`), opened and checked: it may
    /// reach this node, `peer` may relay it, it follows `last`, and its seal verifies.
    fn check_chunk(
        &self,
        peer: NodeId,
        i: usize,
        chunk: regiosync_types::pb::Chunk,
        last: Option<(NodeId, u64)>,
    ) -> Result<Sealed> {
        let chunk = Sealed::open(chunk).map_err(|e| Error::NotAllowed(format!("batch[{i}].{e}")))?;
        let at = format!(
            "batch[{i}] ({}/{}..{})",
            chunk.origin,
            chunk.first_seq,
            chunk.last_seq()
        );
        if let Some(e) = chunk.entries().find(|e| !self.members.may_see(self.me, &e.envelope)) {
            return Err(Error::NotAllowed(format!(
                "{at}: {} is not in the audience of {}/{}",
                self.me, e.envelope.origin, e.envelope.seq
            )));
        }
        if self.members.is_national(self.me) && chunk.withheld() > 0 {
            return Err(Error::NotAllowed(format!(
                "{at}: entries withheld from {}, a national node, which is in every audience",
                self.me
            )));
        }
        // Any peer may give a node back its own entries (it checks their seals itself), but only
        // whole: a copy with entries withheld is not its log.
        let own = chunk.origin == self.me;
        if !own && !self.may_relay(peer, chunk.origin) {
            return Err(Error::NotAllowed(format!(
                "{at}: {peer} may not relay entries of {}",
                chunk.origin
            )));
        }
        if own && chunk.withheld() > 0 {
            return Err(Error::NotAllowed(format!(
                "{at}: entries of this node's own log withheld from it"
            )));
        }
        if let Some((o, s)) = last {
            if o != chunk.origin || chunk.first_seq <= s {
                return Err(Error::NotAllowed(format!(
                    "{at}: batch not one origin in ascending order"
                )));
            }
        }
        self.verifier
            .verify_chunk(&chunk)
            .map_err(|e| Error::NotAllowed(format!("{at}: {e}")))?;
        Ok(chunk)
    }

    /// The seal a watermark or hole (`what`) carries: a chunk `origin` sealed that reaches at
    /// least `seq`, by a key its key spans allow. Without it a peer could move a cursor past
    /// anything the origin wrote (a watermark of 10^12), and every lag and data-quality figure
    /// would follow it.
    fn check_seal(&self, origin: NodeId, seq: u64, seal: regiosync_types::pb::Chunk, what: &str) -> Result<()> {
        let seal = Sealed::open(seal).map_err(|e| Error::NotAllowed(format!("{what}.seal.{e}")))?;
        if seal.origin != origin || seal.last_seq() < seq {
            return Err(Error::NotAllowed(format!(
                "{what}: {origin} up to {seq}, but its seal is of {}/{}..{}: not sealed that far",
                seal.origin,
                seal.first_seq,
                seal.last_seq()
            )));
        }
        crate::key_spans::check(&self.key_spans(origin), &seal)
            .map_err(|e| Error::NotAllowed(format!("{what}.seal: {e}")))?;
        self.verifier
            .verify_chunk(&seal)
            .map_err(|e| Error::NotAllowed(format!("{what}.seal: {e}")))
    }

    /// A hole (with the seal that proves it) or a settled range (`None`) from `peer`.
    async fn receive_range(
        &self,
        peer: NodeId,
        range: SeqRange,
        hole: Option<regiosync_types::pb::Chunk>,
    ) -> Result<()> {
        if range.first == 0 || range.first > range.last {
            return Err(Error::NotAllowed(format!("{range}: not a range of seqs")));
        }
        let is_hole = hole.is_some();
        self.may_vouch(peer, range.origin, if is_hole { "hole" } else { "settled" })?;
        if let Some(seal) = hole {
            self.check_seal(range.origin, range.last, seal, "hole")?;
        }
        let marks = match is_hole {
            true => Marks {
                holes: vec![range],
                ..Marks::default()
            },
            false => Marks {
                settled: vec![range],
                ..Marks::default()
            },
        };
        self.apply_checked(Vec::new(), marks, peer).await.map(|_| ())
    }

    fn may_vouch(&self, peer: NodeId, origin: NodeId, what: &str) -> Result<()> {
        match self.may_relay(peer, origin) {
            true => Ok(()),
            false => Err(Error::NotAllowed(format!("{what}: {peer} may not vouch for {origin}"))),
        }
    }

    /// The gaps of this node `peer` may fill: every origin's from a national node, its own
    /// origin's from a region, and this node's own from any peer.
    pub(crate) async fn lacks_for(&self, peer: NodeId) -> Vec<SeqRange> {
        match self.gaps().await {
            Ok(gaps) => gaps
                .into_iter()
                .map(|g| g.range)
                .filter(|r| r.origin == self.me || self.may_relay(peer, r.origin))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "could not read this node's gaps to ask for them");
                Vec::new()
            }
        }
    }

    pub(crate) fn note_peer(&self, peer: NodeId, f: impl FnOnce(&mut PeerStatus)) {
        if let Some(p) = self.peers.lock().unwrap().get_mut(&peer) {
            f(p);
        }
    }
}

/// Up to a quarter of `d`, varying between calls, so reconnecting peers do not move in step.
fn jitter(d: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.subsec_nanos())
        .unwrap_or(0);
    let quarter = (d.as_millis() as u64 / 4).max(1);
    Duration::from_millis(nanos as u64 % quarter)
}

/// The origins `behind` at this round that were behind at the last one too and did not move
/// between them. When nothing at all arrived between the rounds either, the stream stopped
/// (resubscribing may help); a stream that is slow is left alone (resubscribing would start its
/// catch-up over, certificates and all). Remembers this round's for the next.
fn stalled(
    was_behind: &mut BTreeMap<NodeId, u64>,
    behind: &BTreeMap<NodeId, u64>,
    ours: &VersionVector,
) -> BTreeMap<NodeId, u64> {
    let now: BTreeMap<NodeId, u64> = behind.keys().map(|o| (*o, ours.get(*o))).collect();
    let stalled = behind
        .iter()
        .filter(|(o, _)| was_behind.get(o) == now.get(o))
        .map(|(o, n)| (*o, *n))
        .collect();
    *was_behind = now;
    stalled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_origin_behind_and_not_moving_is_stalled() {
        let (a, b) = (NodeId::region(1).unwrap(), NodeId::region(2).unwrap());
        let vv = |a_at: u64, b_at: u64| -> VersionVector { [(a, a_at), (b, b_at)].into_iter().collect() };
        let mut was = BTreeMap::new();
        // First round: both behind, nothing known of before.
        let behind = vv(3, 7).behind(&vv(10, 10));
        assert!(stalled(&mut was, &behind, &vv(3, 7)).is_empty());
        // a moved (slow, still arriving), b did not.
        let behind = vv(6, 7).behind(&vv(12, 10));
        assert_eq!(stalled(&mut was, &behind, &vv(6, 7)), [(b, 3)].into_iter().collect());
        // b caught up, a stopped: a is stalled now.
        let behind = vv(6, 10).behind(&vv(12, 10));
        assert_eq!(stalled(&mut was, &behind, &vv(6, 10)), [(a, 6)].into_iter().collect());
        // Nothing behind: nothing stalled, nothing remembered.
        assert!(stalled(&mut was, &BTreeMap::new(), &vv(12, 10)).is_empty());
        assert!(was.is_empty());
    }
}
