//! A node's replication state: its logs, its signing key, the certificates it trusts, what it
//! knows of its peers, and applying what arrives. Publishing is in `publish`, reads and status
//! in `reads`, streaming in `serve` and `peer`.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use regiosync_store::KvStore;
use regiosync_trust::{KeyId, Signer, Verifier};
use regiosync_types::{Envelope, Federation, NodeId, Sealed, VersionVector};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::apply::{Applied, Marks};
use crate::error::{Error, Result};
use crate::heal::Healing;
use crate::log::{Log, LoggedEntry};
use crate::payloads::Payloads;

/// Tuning of the engine. Defaults suit a production node; tests shorten the intervals.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// How often each peer is asked for its version vector.
    pub anti_entropy: Duration,
    /// Most entries in one streamed batch.
    pub batch_entries: usize,
    /// Messages buffered per outgoing subscription (the stream is back-pressured beyond it).
    pub stream_queue: usize,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// Where the node reads the time for what it records and derives.
    pub clock: Clock,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            anti_entropy: Duration::from_secs(30),
            batch_entries: 2048,
            stream_queue: 8,
            backoff_min: Duration::from_millis(200),
            backoff_max: Duration::from_secs(30),
            clock: Clock::system(),
        }
    }
}

/// The time a node records entries at and derives states for: the system clock, or (for tests
/// of rules that depend on the moment, such as the Dutch day at night) the system clock moved
/// by a fixed amount, so time still passes. Connection deadlines and TLS certificate checks
/// always use the real clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    offset_ms: i64,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { offset_ms: 0 }
    }

    /// A clock that reads `at_ms` now and runs on from there.
    pub fn starting_at(at_ms: i64) -> Clock {
        Clock {
            offset_ms: at_ms - now_ms(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        now_ms().saturating_add(self.offset_ms)
    }
}

/// A record a person asks this node to publish as its origin.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// Chosen by the caller, or generated as `<origin>-<seq>`.
    pub id: Option<String>,
    pub kind: String,
    pub status: i32,
    /// Besides NL and this node, which are always added.
    pub audience: Vec<String>,
    pub expires_unix_ms: i64,
    pub supersedes: Vec<String>,
    pub confidentiality: i32,
    pub payload: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Published {
    pub id: String,
    pub origin: NodeId,
    pub seq: u64,
}

/// An entry as held, body decoded.
#[derive(Clone, Debug)]
pub struct StoredEntry {
    pub envelope: Envelope,
    pub key_id: Vec<u8>,
    pub size_bytes: usize,
}

impl StoredEntry {
    pub(crate) fn from_held(h: LoggedEntry) -> StoredEntry {
        StoredEntry {
            size_bytes: h.entry.body.len(),
            envelope: h.entry.envelope,
            key_id: h.key_id.to_vec(),
        }
    }
}

/// What this node knows of one peer.
#[derive(Clone, Debug, Default)]
pub struct PeerStatus {
    pub peer: Option<NodeId>,
    pub address: String,
    pub connected: bool,
    pub last_error: Option<String>,
    /// What the peer vouched for at the last anti-entropy round.
    pub theirs: VersionVector,
    pub last_contact_unix_ms: i64,
    /// Per origin, how many sequence numbers we are behind the peer.
    pub behind: BTreeMap<NodeId, u64>,
}

#[derive(Clone, Debug)]
pub struct NodeStatus {
    pub node: NodeId,
    pub held: VersionVector,
    pub entries_held: u64,
    pub entries_rejected: u64,
    pub peers: Vec<PeerStatus>,
    /// Why writes wait, if they do (see [`Engine::healing`]).
    pub writes_paused: Option<String>,
    /// Chunks set aside until a peer sends them again.
    pub damaged: Vec<crate::quarantine::Quarantined>,
    /// Seqs never received: the peer that vouched for them could not send them.
    pub missing: Vec<crate::transport::SeqRange>,
}

pub struct Engine {
    pub(crate) me: NodeId,
    /// Who the members are and who is national (the verifier's federation).
    pub(crate) members: Federation,
    pub(crate) log: Arc<Log>,
    pub(crate) payloads: Arc<dyn Payloads>,
    /// The key this node seals with; replaced by [`Engine::rotate`].
    pub(crate) signer: RwLock<Arc<Signer>>,
    pub(crate) verifier: Arc<Verifier>,
    pub(crate) config: EngineConfig,
    /// In-memory mirror of the cursors, raised once a write is applied (visible).
    pub(crate) vv: RwLock<VersionVector>,
    /// How far each origin is also flushed to disk here (at most `vv`).
    pub(crate) durable: RwLock<VersionVector>,
    /// In-memory mirror of the per-source cursors: how far each peer's stream is complete.
    pub(crate) sources: RwLock<BTreeMap<NodeId, VersionVector>>,
    pub(crate) changed: watch::Sender<u64>,
    pub(crate) append_lock: tokio::sync::Mutex<()>,
    pub(crate) peers: Mutex<BTreeMap<NodeId, PeerStatus>>,
    pub(crate) rejected: AtomicU64,
    /// Entries received that this node already held (a second path, a resend): wasted traffic.
    pub(crate) duplicates: AtomicU64,
    /// Refusals since start, by the origin of what was refused.
    pub(crate) rejected_from: Mutex<BTreeMap<NodeId, u64>>,
    /// Refusals since start, by reason (`Refusal::label`, or "malformed" for what did not decode).
    pub(crate) refused_for: Mutex<BTreeMap<&'static str, u64>>,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) tasks: Mutex<Vec<JoinHandle<()>>>,
    /// Set while entries of this node's own log are missing or damaged here: no writes until
    /// they are fetched back, so a sequence number is never used twice (see `heal.rs`).
    pub(crate) healing: RwLock<Option<Healing>>,
    /// How far this node held its own log when it opened.
    pub(crate) own_at_open: u64,
    pub(crate) equivocations: Mutex<BTreeMap<NodeId, u64>>,
    /// Raised whenever this node's gaps change, so subscriptions read them again only then.
    pub(crate) gaps_changed: AtomicU64,
    /// In-memory mirror of the key spans (`key_spans.rs`), per origin.
    pub(crate) spans: Arc<RwLock<BTreeMap<NodeId, crate::key_spans::Spans>>>,
    /// A national node's view of what it vouches for, and the change count it was taken at
    /// (`vouched.rs`).
    pub(crate) vouched: Mutex<Option<(u64, crate::vouched::Vouched)>>,
    /// This engine's start (ns since the Unix epoch): a journal generation means something
    /// only within one start (`vouched.rs`).
    pub(crate) epoch: u64,
    /// Which origins the visible cursors moved for, in order (`moved.rs`).
    pub(crate) moved: Mutex<crate::moved::Moved>,
}

impl Engine {
    /// Open the engine over an opened store. Re-admits every certificate stored earlier.
    pub async fn open(
        kv: Arc<dyn KvStore>,
        signer: Arc<Signer>,
        verifier: Arc<Verifier>,
        config: EngineConfig,
        payloads: Arc<dyn Payloads>,
    ) -> Result<Arc<Engine>> {
        let me = signer.node();
        let members = verifier.members().clone();
        let index = crate::audience_index::Index::of(me, &members);
        let log = Arc::new(Log::new(kv, payloads.clone(), members.clone()).with_index(index));
        let own_damage = {
            let log = log.clone();
            let national = members.is_national(me);
            blocking(move || crate::heal::verify_store(&log, me, national)).await?
        };
        {
            // Before it serves anyone: a node made national indexes what it holds.
            let log = log.clone();
            blocking(move || log.prepare_index()).await?;
        }
        let (vv, certs) = {
            let log = log.clone();
            blocking(move || Ok((log.version_vector()?, log.certs()?))).await?
        };
        let sources = {
            let log = log.clone();
            blocking(move || log.source_vectors()).await?
        };
        let spans = {
            let log = log.clone();
            blocking(move || log.key_spans()).await?
        };
        for der in certs {
            if let Err(e) = verifier.admit(&der) {
                tracing::warn!(error = %e, "stored certificate no longer admitted");
            }
        }
        let (key_id, _) = verifier.admit(signer.cert_der())?;
        {
            // Stored already on every start after the first: no write, so a node on a full disk
            // still opens and serves reads.
            let log = log.clone();
            let der = signer.cert_der().to_vec();
            blocking(move || match log.certs()?.contains(&der) {
                true => Ok(()),
                false => log.put_cert(&key_id.0, &der),
            })
            .await?;
        }
        let own_at_open = vv.get(me);
        Ok(Arc::new(Engine {
            me,
            members,
            log,
            payloads,
            signer: RwLock::new(signer),
            verifier,
            config,
            durable: RwLock::new(vv.clone()),
            vv: RwLock::new(vv),
            sources: RwLock::new(sources),
            changed: watch::channel(0).0,
            append_lock: tokio::sync::Mutex::new(()),
            peers: Mutex::new(BTreeMap::new()),
            rejected: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            rejected_from: Mutex::new(BTreeMap::new()),
            refused_for: Mutex::new(BTreeMap::new()),
            shutdown: watch::channel(false).0,
            tasks: Mutex::new(Vec::new()),
            own_at_open,
            equivocations: Mutex::new(BTreeMap::new()),
            gaps_changed: AtomicU64::new(0),
            healing: RwLock::new(own_damage),
            spans: Arc::new(RwLock::new(spans)),
            vouched: Mutex::new(None),
            epoch: crate::vouched::epoch_now(),
            moved: Mutex::new(crate::moved::Moved::default()),
        }))
    }

    pub fn me(&self) -> NodeId {
        self.me
    }

    /// Remember key spans that stored chunks started.
    pub(crate) fn note_spans(&self, started: &[(NodeId, u64, [u8; 16])]) {
        if started.is_empty() {
            return;
        }
        let mut spans = self.spans.write().unwrap();
        for (origin, first, key) in started {
            spans.entry(*origin).or_default().insert(*first, *key);
        }
    }

    /// `origin`'s key spans as this node holds them (`key_spans.rs`).
    pub fn key_spans(&self, origin: NodeId) -> crate::key_spans::Spans {
        self.spans.read().unwrap().get(&origin).cloned().unwrap_or_default()
    }

    /// The federation this node serves (who the members are, who is national).
    pub fn members(&self) -> &Federation {
        &self.members
    }

    /// The node's time (see [`Clock`]), milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.config.clock.now_ms()
    }

    pub fn version_vector(&self) -> VersionVector {
        self.vv.read().unwrap().clone()
    }

    /// What the stream from `peer` has delivered completely, per origin. Subscriptions and
    /// anti-entropy with a peer use this, not the merged vector, so a peer can only ever vouch
    /// for its own stream: a relay that claims too much (a lying watermark) cannot stop the
    /// origin's own stream from delivering what the relay withheld.
    pub fn source_vector(&self, peer: NodeId) -> VersionVector {
        self.sources.read().unwrap().get(&peer).cloned().unwrap_or_default()
    }

    /// LoggedEntry sequence of one origin (cheaper than cloning the whole vector).
    pub fn held(&self, origin: NodeId) -> u64 {
        self.vv.read().unwrap().get(origin)
    }

    /// How far this node holds `origin` durably (flushed to disk).
    pub fn durable(&self, origin: NodeId) -> u64 {
        self.durable.read().unwrap().get(origin)
    }

    /// A receiver that changes whenever a cursor of this node is raised, visible or durable
    /// (for waiting on arrivals without polling).
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// What this node asks `peer` for: what that peer's stream delivered, and its own log as
    /// far as it holds it (so only what it lacks of its own comes back).
    pub fn wanted_from(&self, peer: NodeId) -> VersionVector {
        let mut have = self.source_vector(peer);
        have.set(self.me, self.own_asked_from());
        have
    }

    /// As [`Engine::wanted_from`], but this node's own log from where it held it when it opened:
    /// the first stream from a national node after open then compares whatever this node wrote
    /// before it reached one with what that node holds (a fork is found even when this node has
    /// written past the national node's head). Normally nothing is resent.
    pub fn wanted_from_open(&self, peer: NodeId) -> VersionVector {
        let mut have = self.wanted_from(peer);
        have.set(self.me, self.own_asked_from().min(self.own_at_open));
        have
    }

    /// Whether `sender` may vouch for `origin` towards this node.
    pub(crate) fn may_relay(&self, sender: NodeId, origin: NodeId) -> bool {
        self.members.is_national(sender) || sender == origin
    }

    /// Store verified chunks and what `source` vouched for, then announce and flush.
    pub(crate) async fn apply_checked(&self, chunks: Vec<Sealed>, marks: Marks, source: NodeId) -> Result<Applied> {
        let mut raised: Vec<(NodeId, u64)> = chunks.iter().map(|c| (c.origin, c.last_seq())).collect();
        raised.extend(marks.cursors.iter().copied());
        raised.extend(marks.holes.iter().map(|h| (h.origin, h.last)));
        let started: Vec<(NodeId, u64, [u8; 16])> = chunks
            .iter()
            .filter_map(|c| crate::key_spans::started_by(c).map(|(s, k)| (c.origin, s, k)))
            .collect();
        let log = self.log.clone();
        let spans = self.spans.clone();
        let applied = match blocking(move || {
            // Readers of the key spans wait while chunks that start a span are written, so
            // whoever sees such a chunk stored also sees the span it starts (a check of the
            // next chunk, or a reader, never meets a stored transition its spans lack).
            let mut guard = (!started.is_empty()).then(|| spans.write().unwrap());
            let applied = log.apply_with(chunks, &marks, Some(source))?;
            if let Some(spans) = guard.as_mut() {
                for (origin, first, key) in &started {
                    spans.entry(*origin).or_default().insert(*first, *key);
                }
            }
            Ok(applied)
        })
        .await
        {
            Err(Error::Conflict { origin, seq }) => {
                *self.equivocations.lock().unwrap().entry(origin).or_default() += 1;
                if origin == self.me && self.members.is_national(source) {
                    self.forked(source, seq);
                }
                return Err(Error::Conflict { origin, seq });
            }
            r => r?,
        };
        self.duplicates.fetch_add(applied.duplicates as u64, Ordering::Relaxed);
        {
            let mut sources = self.sources.write().unwrap();
            let theirs = sources.entry(source).or_default();
            for (o, s) in &raised {
                theirs.advance(*o, *s);
            }
        }
        for m in &applied.missing {
            tracing::warn!(peer = %source, missing = %m, "the peer vouches for these seqs but cannot send them (damaged or missing there too): recorded missing, asked for again from every peer that may hold them");
        }
        if applied.filled > 0 {
            tracing::info!(peer = %source, seqs = applied.filled, "seqs recorded missing arrived or were settled");
        }
        if !applied.missing.is_empty() || applied.filled > 0 || applied.repaired > 0 || applied.set_aside > 0 {
            // Subscriptions look again: a peer may lack what just came back.
            self.gaps_changed.fetch_add(1, Ordering::Relaxed);
            self.changed.send_modify(|g| *g += 1);
        }
        // Entries from other origins can be fetched again if lost in a crash, so announce first
        // and make them durable right after.
        self.raise(&applied.cursors);
        let log = self.log.clone();
        blocking(move || log.flush()).await?;
        self.raise_durable(&applied.cursors);
        if applied.cursors.iter().any(|(o, _)| *o == self.me) {
            self.check_healed().await;
        }
        Ok(applied)
    }

    /// Raise the visible and the durable cursors (after a write that was flushed).
    pub(crate) fn raise_all(&self, cursors: &[(NodeId, u64)]) {
        self.raise(cursors);
        self.raise_durable(cursors);
    }

    /// Raise the durable cursors (after a flush) and tell whoever waits.
    pub(crate) fn raise_durable(&self, cursors: &[(NodeId, u64)]) {
        if !advance(&self.durable, cursors).is_empty() {
            self.changed.send_modify(|g| *g += 1);
        }
    }

    /// Raise the visible cursors (after a write) and tell subscribers and waiters. The origins
    /// that moved are noted in the journal before anyone is told, so a subscription woken by
    /// this finds them there.
    pub(crate) fn raise(&self, cursors: &[(NodeId, u64)]) {
        let moved = advance(&self.vv, cursors);
        if !moved.is_empty() {
            self.moved.lock().unwrap().note(moved);
            self.changed.send_modify(|g| *g += 1);
        }
    }

    /// Equivocations met since start (another body under a held seq), by origin.
    pub fn equivocations_by_origin(&self) -> BTreeMap<NodeId, u64> {
        self.equivocations.lock().unwrap().clone()
    }

    /// Refused batches since start, by the origin of their entries.
    pub fn rejected_by_origin(&self) -> BTreeMap<NodeId, u64> {
        self.rejected_from.lock().unwrap().clone()
    }

    /// Refused stream messages since start, by reason: "invalid" (a rule, a seal, an audience,
    /// a relay or a record kind), "equivocation", "not_stored" (our own store failed it) and
    /// "malformed" (it did not decode).
    pub fn refused_by_reason(&self) -> BTreeMap<&'static str, u64> {
        self.refused_for.lock().unwrap().clone()
    }

    /// Entries received since start that this node already held.
    pub fn duplicates_received(&self) -> u64 {
        self.duplicates.load(Ordering::Relaxed)
    }

    pub fn entries_rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }

    pub fn key_id(&self) -> KeyId {
        self.signer().key_id()
    }

    /// The key this node seals with now.
    pub fn signer(&self) -> Arc<Signer> {
        self.signer.read().unwrap().clone()
    }

    /// Seal with `signer` from now on (a renewed certificate and key): its certificate is
    /// admitted and stored first, so peers can verify what it seals; the next publish writes the
    /// key transition (`key_spans.rs`). Entries sealed before keep their seals. Refused when
    /// the certificate is another node's or a key this node's log shows replaced.
    pub async fn rotate(&self, signer: Signer) -> Result<()> {
        if signer.node() != self.me {
            return Err(Error::NotAllowed(format!(
                "the new certificate is for {}, but this node is {}",
                signer.node(),
                self.me
            )));
        }
        let key = signer.key_id().0;
        if let Some((from, _)) = self.key_spans(self.me).iter().find(|(_, k)| **k == key) {
            let current = self.key_spans(self.me).last_key_value().map(|(_, k)| *k);
            if current != Some(key) {
                return Err(Error::NotAllowed(format!(
                    "that key sealed this node's seqs from {from} and was replaced since; it never seals again"
                )));
            }
        }
        let _serial = self.append_lock.lock().await;
        let (key_id, _) = self.verifier.admit(signer.cert_der())?;
        let log = self.log.clone();
        let der = signer.cert_der().to_vec();
        blocking(move || match log.certs()?.contains(&der) {
            true => Ok(()),
            false => log.put_cert(&key_id.0, &der),
        })
        .await?;
        tracing::info!(key = %key_id, "sealing with a new key from the next entry on");
        *self.signer.write().unwrap() = Arc::new(signer);
        Ok(())
    }

    pub fn size_on_disk(&self) -> Result<u64> {
        self.log.size_on_disk()
    }

    /// Stop every peer loop and subscription, wait for the loops, and flush.
    pub async fn shutdown(&self) {
        // send_replace, not send: `send` drops the value when no task has subscribed yet, and a
        // peer task that subscribes a moment later would then never see the shutdown.
        self.shutdown.send_replace(true);
        let tasks: Vec<_> = std::mem::take(&mut *self.tasks.lock().unwrap());
        for t in tasks {
            let _ = t.await;
        }
        let log = self.log.clone();
        if let Err(e) = blocking(move || log.flush()).await {
            tracing::warn!(error = %e, "final flush failed");
        }
    }
}

/// Raise `cursors` in `vector`; the origins that moved.
fn advance(vector: &RwLock<VersionVector>, cursors: &[(NodeId, u64)]) -> Vec<NodeId> {
    let mut v = vector.write().unwrap();
    cursors
        .iter()
        .filter(|(o, s)| v.advance(*o, *s))
        .map(|(o, _)| *o)
        .collect()
}

/// Run blocking storage work off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|_| Error::Shutdown)?
}

pub use regiosync_types::now_ms;

/// Resolves once the node is shutting down.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
