//! A node whose own log is incomplete takes no writes until it has it back, so it never gives
//! out a sequence number twice (a fork of its log).
//!
//! How a node knows its own log is incomplete:
//! - **Lost**: the head of its own log, kept beside the tree (`own-head`, written with every
//!   publish), is past what the tree holds: sled dropped a damaged tail.
//! - **Unknown**: nothing says how far its own log reached (no `own-head`, or an unreadable
//!   one): a new, emptied or restored data folder. The first write waits until a national node
//!   has said how much of it it holds (a node with no national peer configured does not wait).
//! - **Behind**: a national node vouches for more of its own log than it holds (a data folder
//!   restored from a backup that the checks above cannot tell from a current one).
//! - **Forked**: a national node holds different content under one of its own sequence numbers.
//!
//! A damaged chunk of its own (found at open or while serving) does not stop writes: the cursor
//! stays, so no seq can be given out twice, and the chunk is a gap asked for again (`gaps.rs`).
//!
//! Subscriptions ask national nodes for the node's own log from its head, so what they hold of
//! it comes back. Writes resume once the node holds its log as far as it reached (lost,
//! behind), or as far as a national node holds it (lost, unknown). What no national node holds
//! of a lost tail never reached one: it is recorded missing (logged as an error) and writes
//! continue after the head, so a region peer that received some of it is not forked either. A
//! fork never resolves by itself: an operator decides (README). Only national nodes vouch for a
//! region's own log towards it (a region peer holds only what it may see), so only their word
//! lifts the gate; but any peer that holds some of a node's own entries whole gives them back
//! when the node lists them as lacking (`serve.rs`). A national node (which has no national
//! peer to ask) waits for nothing.
use std::time::Duration;

use regiosync_types::NodeId;

use crate::apply::Marks;
use crate::engine::{blocking, Engine};
use crate::error::{Error, Result};
use crate::keys;
use crate::log::Log;
use crate::transport::SeqRange;

/// The name of the value beside the tree that holds the head of the node's own log.
pub const OWN_HEAD: &str = "own-head";

/// How long a write waits for the gate to lift before it is refused as unavailable.
pub const WRITE_WAIT: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    Lost,
    Unknown,
    Behind,
    Forked,
    /// The store could not make one of this node's own writes durable.
    Failed,
}

/// Why and until when writes wait.
#[derive(Clone, Debug)]
pub(crate) struct Healing {
    pub(crate) wait: Wait,
    pub(crate) reason: String,
    /// Writes resume once this node holds its own log up to here.
    pub(crate) until: u64,
    /// The most of this node's own log a national node has vouched for since.
    pub(crate) reported: Option<u64>,
}

/// Check the store at open: set aside damaged chunks, compare the tree with the head kept
/// beside it. Returns the write gate when the node's own log is incomplete.
pub(crate) fn verify_store(log: &Log, me: NodeId, national: bool) -> Result<Option<Healing>> {
    let verified = log.kv().verify()?;
    let (_, other) = log.quarantine_damaged(&verified.damaged)?;
    for (key, why) in &other {
        tracing::error!(key = %regiosync_store::show_key(key), %why, "damaged value in the store");
    }
    if verified.unreferenced_tail_bytes > 0 {
        tracing::warn!(
            bytes = verified.unreferenced_tail_bytes,
            "segment file ends with bytes no value points at (a write that failed or never completed); appends go after them"
        );
    }
    tracing::info!(
        values = verified.values,
        records_read = verified.records_read,
        damaged = verified.damaged.len(),
        "store checked"
    );
    if let Some(why) = log.kv().get(keys::META_FORKED)? {
        let reason = String::from_utf8_lossy(&why).into_owned();
        tracing::error!(node = %me, %reason, "this node's own log forked: it takes no writes until an operator resolves it");
        return Ok(Some(Healing {
            wait: Wait::Forked,
            reason,
            until: u64::MAX,
            reported: None,
        }));
    }
    let own: Vec<String> = log
        .quarantined()?
        .into_iter()
        .filter(|q| q.origin == me)
        .map(|q| format!("{}..={}", q.first, q.last))
        .collect();
    if !own.is_empty() {
        tracing::error!(node = %me, seqs = %own.join(", "), "entries of this node's own log are damaged in its store: asked for again from its peers; writes continue after its head");
    }
    let held = log.version_vector()?.get(me);
    let head = match log.kv().get_beside(OWN_HEAD) {
        Ok(v) => v.map(|b| keys::u64_value(&b)),
        Err(e) => {
            tracing::error!(error = %e, "the head of this node's own log kept beside the store is unreadable");
            None
        }
    };
    match head {
        Some(head) if head > held => {
            tracing::error!(node = %me, held, head, "the store lost the tail of this node's own log: fetching it back from its peers before taking writes");
            Ok(Some(Healing {
                wait: Wait::Lost,
                reason: format!(
                    "{me}'s store holds its own log up to {held}, but it had written up to {head}: fetching the rest back from a national node before taking writes"
                ),
                until: head,
                reported: None,
            }))
        }
        Some(_) => Ok(None),
        // A national node cannot be sent its own log back.
        None if national => Ok(None),
        None => Ok(Some(Healing {
            wait: Wait::Unknown,
            reason: format!(
                "{me} does not know how far its own log reached (a new, emptied or restored data folder): asking a national node before taking writes"
            ),
            until: held,
            reported: None,
        })),
    }
}

impl Engine {
    /// Why this node takes no writes now, if it does not.
    pub fn healing(&self) -> Option<String> {
        self.healing.read().unwrap().as_ref().map(|h| h.reason.clone())
    }

    /// Wait (at most [`WRITE_WAIT`]) for the write gate to lift.
    pub(crate) async fn writable(&self) -> Result<()> {
        let deadline = tokio::time::Instant::now() + WRITE_WAIT;
        let mut changes = self.changed.subscribe();
        loop {
            changes.borrow_and_update();
            self.lift_unknown_without_national_peer();
            let Some(why) = self.healing() else {
                return Ok(());
            };
            tokio::select! {
                r = changes.changed() => if r.is_err() { return Err(Error::Unavailable(why)) },
                _ = tokio::time::sleep_until(deadline) => return Err(Error::Unavailable(why)),
            }
        }
    }

    /// Nobody can say how far this node's own log reached when no national node is configured:
    /// then an empty or unmarked store takes writes as it is.
    fn lift_unknown_without_national_peer(&self) {
        let unknown = matches!(self.healing.read().unwrap().as_ref(), Some(h) if h.wait == Wait::Unknown);
        if unknown && !self.peers.lock().unwrap().keys().any(|p| self.members.is_national(*p)) {
            *self.healing.write().unwrap() = None;
        }
    }

    /// A national node vouched for this node's own log up to `seq`. Returns true when that
    /// shows this node is behind its own log (it must then ask again from where it opened, so
    /// that anything it wrote since is compared with what the national node holds).
    pub(crate) async fn own_reported(&self, peer: NodeId, seq: u64) -> bool {
        if !self.members.is_national(peer) {
            return false;
        }
        let mut newly_behind = false;
        let held = self.held(self.me);
        {
            let mut healing = self.healing.write().unwrap();
            match healing.as_mut() {
                Some(h) => {
                    h.reported = Some(h.reported.unwrap_or(0).max(seq));
                    if seq > h.until && !matches!(h.wait, Wait::Forked | Wait::Failed) {
                        h.until = seq;
                    }
                }
                None if seq > held => {
                    tracing::error!(node = %self.me, %peer, held, theirs = seq, "a national node holds more of this node's own log than it does (restored from a backup?): fetching it back before taking more writes");
                    *healing = Some(Healing {
                        wait: Wait::Behind,
                        reason: format!(
                            "{peer} holds {}'s own log up to {seq}, this node only up to {held} (restored from a backup?): fetching the rest back before taking writes",
                            self.me
                        ),
                        until: seq,
                        reported: Some(seq),
                    });
                    newly_behind = true;
                }
                None => return false,
            }
        }
        self.check_healed().await;
        newly_behind
    }

    /// How far this node's own log is asked for from a national node: as far as it holds it,
    /// or, while it is behind, as far as it held it when it opened (what it wrote since may
    /// differ from what the national node holds, and is compared on arrival).
    pub(crate) fn own_asked_from(&self) -> u64 {
        let held = self.held(self.me);
        match self.healing.read().unwrap().as_ref() {
            Some(h) if h.wait == Wait::Behind => held.min(self.own_at_open),
            _ => held,
        }
    }

    /// Lift the write gate once this node holds its own log as far as it must.
    pub(crate) async fn check_healed(&self) {
        let held = self.held(self.me);
        let lost = {
            let healing = self.healing.read().unwrap();
            let Some(h) = healing.as_ref() else { return };
            let done = match h.wait {
                Wait::Forked | Wait::Failed => false,
                Wait::Behind => held >= h.until,
                Wait::Lost => held >= h.until || h.reported.is_some_and(|r| held >= r),
                Wait::Unknown => h.reported.is_some_and(|r| held >= r),
            };
            if !done {
                return;
            }
            (h.wait == Wait::Lost && held < h.until).then_some(SeqRange {
                origin: self.me,
                first: held + 1,
                last: h.until,
            })
        };
        if let Some(lost) = lost {
            // Written here, reached no national node: recorded missing, and the cursor moves
            // past them so none of these seqs is given out again.
            let log = self.log.clone();
            let marks = Marks {
                holes: vec![lost],
                ..Marks::default()
            };
            let recorded = blocking(move || {
                let applied = log.apply_with(Vec::new(), &marks, None)?;
                log.flush()?;
                Ok(applied)
            })
            .await;
            match recorded {
                Ok(applied) => {
                    tracing::error!(
                        node = %self.me,
                        lost = %format!("{}..={}", lost.first, lost.last),
                        "entries of this node's own log were written here but no national node holds them: recorded missing; writes continue after {}",
                        lost.last
                    );
                    self.gaps_changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    self.raise_all(&applied.cursors);
                }
                Err(e) => {
                    tracing::error!(node = %self.me, error = %e, "could not record the lost entries of this node's own log: writes stay paused");
                    return;
                }
            }
        }
        tracing::info!(node = %self.me, held = self.held(self.me), "own log complete again: taking writes");
        *self.healing.write().unwrap() = None;
        self.changed.send_modify(|g| *g += 1);
    }

    /// A chunk found damaged after open: quarantine it. It becomes a gap: served as a hole,
    /// never vouched for as held, and asked for again from peers.
    pub(crate) async fn set_aside(&self, origin: NodeId, first: u64) -> Result<()> {
        let log = self.log.clone();
        blocking(move || log.quarantine(origin, first)).await?;
        self.gaps_changed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.changed.send_modify(|g| *g += 1);
        Ok(())
    }

    /// One of this node's own writes is in the tree but could not be made durable: the next
    /// write would take its seq again or build on it, so no writes until the node is restarted
    /// (which reopens the store on what is on disk).
    pub(crate) fn storage_failed(&self, e: &Error) {
        let reason = format!(
            "{}'s store could not make a write durable ({e}): it takes no writes until it is restarted",
            self.me
        );
        tracing::error!(node = %self.me, error = %e, "a write could not be made durable: writes stopped until a restart");
        *self.healing.write().unwrap() = Some(Healing {
            wait: Wait::Failed,
            reason,
            until: u64::MAX,
            reported: None,
        });
    }

    /// A national node holds other content under one of this node's own sequence numbers: stop
    /// taking writes for good (until an operator resolves it), and say so loudly.
    pub(crate) fn forked(&self, peer: NodeId, seq: u64) {
        let reason = format!(
            "{}'s own log forked at seq {seq}: {peer} holds other content under it; this node takes no writes until an operator resolves it (see README, 'A forked log')",
            self.me
        );
        tracing::error!(node = %self.me, %peer, seq, "own log forked: writes stopped");
        let mut batch = regiosync_store::WriteBatch::new();
        batch.put(keys::META_FORKED.to_vec(), reason.clone().into_bytes());
        if let Err(e) = self.log.kv().write(batch).and_then(|_| self.log.kv().flush()) {
            tracing::error!(error = %e, "could not record the fork in the store");
        }
        *self.healing.write().unwrap() = Some(Healing {
            wait: Wait::Forked,
            reason,
            until: u64::MAX,
            reported: None,
        });
    }
}
