//! Pulling from peers: one loop per configured peer subscribes, verifies and applies what it is
//! sent, checks with a periodic anti-entropy round that nothing was missed, and backs off and
//! reconnects on any failure. A catch-up starts as soon as the loop (re)connects.
//!
//! What an operator sees of a peer in the log (`Health`): one WARN when it is lost (the first
//! failure after it was up, or at start-up before it ever answered) or refuses us, then at most
//! one WARN per [`PEER_WARN_EVERY`] while it stays down ("still unreachable"), and an INFO when
//! it is back, saying how long it was down. Refusing what a peer sent is a WARN (an origin
//! equivocation an ERROR), the same refusal repeated within that interval a DEBUG. Ordinary
//! re-subscriptions and every retry are DEBUG.
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures::StreamExt;
use regiosync_types::{NodeId, Sealed};

use crate::engine::{blocking, Engine, PeerStatus};
use crate::error::{Error, Result};
use crate::transport::{ItemStream, SyncItem, Transport};

/// While a peer stays down, the loop repeats its WARN at most this often, however often it
/// retries (every few hundred milliseconds up to `backoff_max`).
pub const PEER_WARN_EVERY: Duration = Duration::from_secs(5 * 60);

/// Overrides [`PEER_WARN_EVERY`] in whole seconds (at least 1), so tests need not wait five
/// minutes. Read once, when the first peer loop starts; an unusable value keeps the default
/// (with a WARN saying so).
pub const PEER_WARN_EVERY_ENV: &str = "REGIOSYNC_PEER_WARN_EVERY_SECS";

fn peer_warn_every() -> Duration {
    static EVERY: OnceLock<Duration> = OnceLock::new();
    *EVERY.get_or_init(|| {
        let Ok(v) = std::env::var(PEER_WARN_EVERY_ENV) else {
            return PEER_WARN_EVERY;
        };
        match v.trim().parse::<u64>() {
            Ok(secs) if secs > 0 => Duration::from_secs(secs),
            _ => {
                tracing::warn!(
                    value = v.as_str(),
                    default = %human(PEER_WARN_EVERY),
                    "{PEER_WARN_EVERY_ENV}: not a whole number of seconds above 0; using the default"
                );
                PEER_WARN_EVERY
            }
        }
    })
}

/// Why one subscription (or the attempt to open one) ended; the `String` is what the peer's
/// status shows as its last error.
enum End {
    /// The node is shutting down.
    Shutdown,
    /// A healthy stream ended in the ordinary way (the peer closed it, anti-entropy found us
    /// still behind): subscribe again, nothing an operator needs to hear.
    Resubscribe(String),
    /// A transport call failed: the peer is down for us.
    Down(Outage, String),
    /// We refused what the peer sent (already logged by [`Health::refused`]).
    WeRefused(String),
}

impl End {
    /// A failed transport call (`reason`), which failed with `cause`.
    fn transport(reason: String, cause: &str) -> End {
        End::Down(Outage::of(cause), reason)
    }
}

/// How a transport call failed, as far as its error tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outage {
    /// The peer could not be reached, or the connection broke.
    Unreachable,
    /// The peer refused us: the handshake (an alert), the subscription or a digest
    /// (`PermissionDenied`, `Unauthenticated`).
    RefusedUs,
    /// We refused the peer's certificate in the handshake (wrong node, wrong CA, expired).
    RefusedTheirs,
}

impl Outage {
    /// The gRPC transport writes a refused call as `<code>: <message>`; rustls words a refused
    /// handshake as "received fatal alert" (they refused us) or "invalid peer certificate" (we
    /// refused them).
    fn of(cause: &str) -> Outage {
        if cause.contains("invalid peer certificate") {
            Outage::RefusedTheirs
        } else if ["PermissionDenied:", "Unauthenticated:"]
            .iter()
            .any(|c| cause.starts_with(c))
            || cause.contains("received fatal alert")
        {
            Outage::RefusedUs
        } else {
            Outage::Unreachable
        }
    }

    /// The WARN when the peer goes down this way, and while it stays down.
    fn says(self) -> (&'static str, &'static str) {
        match self {
            Outage::Unreachable => ("peer lost", "peer still unreachable"),
            Outage::RefusedUs => ("peer refused us", "peer still refuses us"),
            Outage::RefusedTheirs => (
                "refused the peer's certificate",
                "still refusing the peer's certificate",
            ),
        }
    }
}

/// Whether a stream error carries a gRPC code, as every error of a call or a connection does
/// (`Unavailable: ...`); one without is a message from the peer that could not be decoded.
fn has_grpc_code(cause: &str) -> bool {
    const CODES: [&str; 17] = [
        "Ok",
        "Cancelled",
        "Unknown",
        "InvalidArgument",
        "DeadlineExceeded",
        "NotFound",
        "AlreadyExists",
        "PermissionDenied",
        "ResourceExhausted",
        "FailedPrecondition",
        "Aborted",
        "OutOfRange",
        "Unimplemented",
        "Internal",
        "Unavailable",
        "DataLoss",
        "Unauthenticated",
    ];
    cause.split_once(": ").is_some_and(|(code, _)| CODES.contains(&code))
}

/// What a peer's loop remembers for the log: when the peer last answered, since when and why it
/// is down, and the last refusal of what it sent that was logged.
struct Health {
    peer: NodeId,
    warn_every: Duration,
    /// Whether the peer ever accepted a subscription.
    ever_up: bool,
    /// When anything last came from the peer: an accepted subscription, a message, a digest.
    last_heard: Option<Instant>,
    /// Set at the first failure after the peer was up (or at start-up), cleared when it is back.
    down: Option<Down>,
    /// The last refusal of what the peer sent that was logged above DEBUG, and when.
    refused: Option<(String, Instant)>,
}

/// A peer that is lost or refuses us.
struct Down {
    since: Instant,
    /// When the last WARN about it was written.
    warned: Instant,
    /// The last failure, and how it failed.
    cause: String,
    outage: Outage,
    /// Failed attempts since it went down.
    failures: u64,
}

/// How bad it is that we did not take what a peer sent.
#[derive(Clone, Copy)]
enum Refusal {
    /// It breaks a rule (envelope, seal, audience, relay, record kind) or could not be decoded.
    Invalid,
    /// Content that conflicts with what we hold for the same origin and sequence number.
    Equivocation,
    /// It may be fine; our own store or shutdown failed it.
    NotStored,
}

impl Refusal {
    fn of(e: &Error) -> Refusal {
        match e {
            Error::Conflict { .. } => Refusal::Equivocation,
            Error::Store(_) | Error::Corrupt(_) | Error::Shutdown | Error::Unavailable(_) => Refusal::NotStored,
            _ => Refusal::Invalid,
        }
    }
}

impl Health {
    fn new(peer: NodeId, warn_every: Duration) -> Health {
        Health {
            peer,
            warn_every,
            ever_up: false,
            last_heard: None,
            down: None,
            refused: None,
        }
    }

    /// Something arrived from the peer.
    fn heard(&mut self) {
        self.last_heard = Some(Instant::now());
    }

    /// `3s ago`, or `never`.
    fn last_heard(&self) -> String {
        match self.last_heard {
            Some(t) => format!("{} ago", human(t.elapsed())),
            None => "never".into(),
        }
    }

    /// The peer accepted a subscription.
    fn up(&mut self) {
        self.heard();
        let peer = self.peer;
        let first = !std::mem::replace(&mut self.ever_up, true);
        match self.down.take() {
            Some(d) => {
                let down = d.since.elapsed();
                tracing::info!(
                    %peer,
                    down_for = human(down).as_str(),
                    down_secs = down.as_secs(),
                    failures = d.failures,
                    last_cause = d.cause.as_str(),
                    "peer back"
                );
            }
            None if first => tracing::info!(%peer, "subscribed"),
            None => tracing::debug!(%peer, "subscribed again"),
        }
    }

    /// A subscription, or the attempt to open one, ended with `end`; the loop tries again in
    /// `retry_in`.
    fn ended(&mut self, end: &End, retry_in: Duration) {
        let peer = self.peer;
        let retry_in = human(retry_in);
        let retry_in = retry_in.as_str();
        let (outage, cause) = match end {
            End::Shutdown => return,
            End::Resubscribe(reason) | End::WeRefused(reason) => {
                tracing::debug!(%peer, reason = reason.as_str(), retry_in, "subscribing again");
                return;
            }
            End::Down(outage, cause) => (*outage, cause.as_str()),
        };
        let now = Instant::now();
        let last_heard = self.last_heard();
        let last_heard = last_heard.as_str();
        let Some(d) = &mut self.down else {
            self.down = Some(Down {
                since: now,
                warned: now,
                cause: cause.to_string(),
                outage,
                failures: 1,
            });
            tracing::warn!(%peer, cause, last_heard, retry_in, "{}", outage.says().0);
            return;
        };
        d.failures += 1;
        let changed = outage != d.outage;
        d.cause = cause.to_string();
        d.outage = outage;
        let down = now.saturating_duration_since(d.since);
        let (down_for, down_secs, failures) = (human(down), down.as_secs(), d.failures);
        let down_for = down_for.as_str();
        if !changed && now.saturating_duration_since(d.warned) < self.warn_every {
            tracing::debug!(%peer, cause, down_for, failures, retry_in, "peer still down; retrying");
            return;
        }
        // Down another way (it came back but refuses us now): say so at once, as when it went down.
        d.warned = now;
        let says = if changed { outage.says().0 } else { outage.says().1 };
        tracing::warn!(%peer, cause, down_for, down_secs, failures, last_heard, retry_in, "{says}");
    }

    /// We did not take what the peer sent and drop the subscription. The same refusal again
    /// within `warn_every` (the peer resends what we refused after every reconnect) is a DEBUG.
    fn refused(&mut self, error: &str, how: Refusal) {
        let peer = self.peer;
        let now = Instant::now();
        if let Some((last, at)) = &self.refused {
            if last == error && now.saturating_duration_since(*at) < self.warn_every {
                tracing::debug!(%peer, error, "refused what the peer sent again; dropping the subscription");
                return;
            }
        }
        self.refused = Some((error.to_string(), now));
        match how {
            Refusal::Invalid => {
                tracing::warn!(%peer, error, "refused what the peer sent; dropping the subscription")
            }
            Refusal::Equivocation => tracing::error!(
                %peer,
                error,
                "refused what the peer sent: conflicting content (origin equivocation); dropping the subscription"
            ),
            Refusal::NotStored => {
                tracing::warn!(%peer, error, "could not store what the peer sent; dropping the subscription")
            }
        }
    }
}

/// `d` for a person: `450ms`, `3.2s`, `42s`, `3m12s`, `2h5m`, `3d4h`.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 => format!("{}ms", d.as_millis()),
        1..=9 => format!("{:.1}s", d.as_secs_f64()),
        10..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{}s", s / 60, s % 60),
        3600..=86399 => format!("{}h{}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86400, s % 86400 / 3600),
    }
}

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
        loop {
            if *shutdown.borrow() {
                return;
            }
            let end = tokio::select! {
                r = transport.subscribe(peer, self.wanted_from(peer)) => match r {
                    Ok(stream) => {
                        self.note_peer(peer, |p| { p.connected = true; p.last_error = None; p.last_contact_unix_ms = self.now_ms(); });
                        health.up();
                        let (progress, end) = self.drive(&*transport, peer, stream, &mut health).await;
                        if progress {
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
        health: &mut Health,
    ) -> (bool, End) {
        let mut shutdown = self.shutdown.subscribe();
        let mut ticker = tokio::time::interval(self.config.anti_entropy);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.tick().await;
        let mut progress = false;
        let mut behind_rounds = 0;
        // A national node says at once how much of this node's own log it holds: before this
        // node takes writes it must hold as much (`heal.rs`).
        if peer.is_national() {
            if let Ok(theirs) = transport.digest(peer, self.wanted_from(peer)).await {
                health.heard();
                let behind = self.own_reported(peer, theirs.get(self.me));
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
                        health.refused(&e.0, Refusal::Invalid);
                        return (progress, End::WeRefused(e.0));
                    }
                    Some(Ok(item)) => {
                        progress = true;
                        health.heard();
                        let origin = item.origin();
                        if let Err(e) = self.receive(peer, item).await {
                            self.rejected.fetch_add(1, Ordering::Relaxed);
                            if let Some(o) = origin {
                                *self.rejected_from.lock().unwrap().entry(o).or_default() += 1;
                            }
                            health.refused(&e.to_string(), Refusal::of(&e));
                            return (progress, End::WeRefused(format!("refused: {e}")));
                        }
                    }
                },
                _ = ticker.tick() => {
                    match transport.digest(peer, self.wanted_from(peer)).await {
                        Ok(theirs) => {
                            health.heard();
                            if self.own_reported(peer, theirs.get(self.me)) {
                                return (progress, End::Resubscribe("behind its own log: asking again".into()));
                            }
                            let behind = self.wanted_from(peer).behind(&theirs);
                            self.note_peer(peer, |p| { p.theirs = theirs; p.last_contact_unix_ms = self.now_ms(); });
                            behind_rounds = if behind.is_empty() { 0 } else { behind_rounds + 1 };
                            if behind_rounds >= 2 {
                                return (progress, End::Resubscribe(format!("anti-entropy: still behind {behind:?}; resubscribing")));
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
                let mut checked = Vec::with_capacity(chunks.len());
                let mut last: Option<(NodeId, u64)> = None;
                for (i, chunk) in chunks.into_iter().enumerate() {
                    let chunk = Sealed::open(chunk).map_err(|e| Error::NotAllowed(format!("batch[{i}].{e}")))?;
                    let at = format!(
                        "batch[{i}] ({}/{}..{})",
                        chunk.origin,
                        chunk.first_seq,
                        chunk.last_seq()
                    );
                    if let Some(e) = chunk.entries().find(|e| !e.envelope.visible_to(self.me)) {
                        return Err(Error::NotAllowed(format!(
                            "{at}: {} is not in the audience of {}/{}",
                            self.me, e.envelope.origin, e.envelope.seq
                        )));
                    }
                    if self.me.is_national() && chunk.withheld() > 0 {
                        return Err(Error::NotAllowed(format!(
                            "{at}: entries withheld from NL, which is in every audience"
                        )));
                    }
                    if !Engine::may_relay(peer, chunk.origin) {
                        return Err(Error::NotAllowed(format!(
                            "{at}: {peer} may not relay entries of {}",
                            chunk.origin
                        )));
                    }
                    if let Some((o, s)) = last {
                        if o != chunk.origin || chunk.first_seq <= s {
                            return Err(Error::NotAllowed(format!(
                                "{at}: batch not one origin in ascending order"
                            )));
                        }
                    }
                    last = Some((chunk.origin, chunk.last_seq()));
                    self.verifier
                        .verify_chunk(&chunk)
                        .map_err(|e| Error::NotAllowed(format!("{at}: {e}")))?;
                    checked.push(chunk);
                }
                self.apply_checked(checked, Vec::new(), peer).await.map(|_| ())
            }
            SyncItem::Watermark(origin, seq) => {
                if !Engine::may_relay(peer, origin) {
                    return Err(Error::NotAllowed(format!(
                        "watermark: {peer} may not vouch for {origin}"
                    )));
                }
                self.apply_checked(Vec::new(), vec![(origin, seq)], peer)
                    .await
                    .map(|_| ())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_person_writes_them() {
        let cases = [
            (450, "450ms"),
            (3_200, "3.2s"),
            (42_000, "42s"),
            (192_000, "3m12s"),
            (7_500_000, "2h5m"),
        ];
        for (ms, text) in cases {
            assert_eq!(human(Duration::from_millis(ms)), text);
        }
        assert_eq!(human(Duration::from_secs(3 * 86_400 + 4 * 3_600 + 5)), "3d4h");
    }

    #[test]
    fn transport_errors_say_who_refused() {
        let cases = [
            (
                "PermissionDenied: VR02 is not a node; only nodes may replicate",
                Outage::RefusedUs,
            ),
            ("Unavailable: received fatal alert: BadCertificate", Outage::RefusedUs),
            (
                "Unavailable: invalid peer certificate: certificate not valid for name",
                Outage::RefusedTheirs,
            ),
            ("Unavailable: tcp connect error", Outage::Unreachable),
            (
                "Unknown: h2 protocol error: error reading a body from connection",
                Outage::Unreachable,
            ),
        ];
        for (cause, outage) in cases {
            assert!(Outage::of(cause) == outage, "{cause}");
        }
        assert!(has_grpc_code("Unknown: h2 protocol error"));
        assert!(!has_grpc_code("watermark: not a node id"));
        assert!(!has_grpc_code("sync message without content"));
    }
}
