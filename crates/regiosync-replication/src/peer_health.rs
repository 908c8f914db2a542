//! What an operator sees of a peer in the log: one WARN when it is lost (the first failure after
//! it was up, or at start-up before it ever answered) or refuses us, then at most one WARN per
//! [`PEER_WARN_EVERY`] while it stays down ("still unreachable"), and an INFO when it is back,
//! saying how long it was down. Refusing what a peer sent is a WARN (an origin equivocation an
//! ERROR), the same refusal repeated within that interval a DEBUG. Ordinary re-subscriptions and
//! every retry are DEBUG.
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use regiosync_types::NodeId;

use crate::error::Error;

/// Peer lines keep the peer loop's target, so operators' log filters stay as they were.
const LOG_TARGET: &str = "regiosync_replication::peer";
/// While a peer stays down, the loop repeats its WARN at most this often, however often it
/// retries (every few hundred milliseconds up to `backoff_max`).
pub const PEER_WARN_EVERY: Duration = Duration::from_secs(5 * 60);

/// Overrides [`PEER_WARN_EVERY`] in whole seconds (at least 1), so tests need not wait five
/// minutes. Read once, when the first peer loop starts; an unusable value keeps the default
/// (with a WARN saying so).
pub const PEER_WARN_EVERY_ENV: &str = "REGIOSYNC_PEER_WARN_EVERY_SECS";

pub(crate) fn peer_warn_every() -> Duration {
    static EVERY: OnceLock<Duration> = OnceLock::new();
    *EVERY.get_or_init(|| {
        let Ok(v) = std::env::var(PEER_WARN_EVERY_ENV) else {
            return PEER_WARN_EVERY;
        };
        match v.trim().parse::<u64>() {
            Ok(secs) if secs > 0 => Duration::from_secs(secs),
            _ => {
                tracing::warn!(target: LOG_TARGET, value = v.as_str(),
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
pub(crate) enum End {
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
    pub(crate) fn transport(reason: String, cause: &str) -> End {
        End::Down(Outage::of(cause), reason)
    }
}

/// How a transport call failed, as far as its error tells.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outage {
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
    pub(crate) fn of(cause: &str) -> Outage {
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
    pub(crate) fn says(self) -> (&'static str, &'static str) {
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
pub(crate) fn has_grpc_code(cause: &str) -> bool {
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
pub(crate) struct Health {
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
pub(crate) struct Down {
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
pub(crate) enum Refusal {
    /// It breaks a rule (envelope, seal, audience, relay, record kind) or could not be decoded.
    Invalid,
    /// Content that conflicts with what we hold for the same origin and sequence number.
    Equivocation,
    /// It may be fine; our own store or shutdown failed it.
    NotStored,
}

impl Refusal {
    /// Its name in metrics (`regiosync_stream_refusals_total{reason}`).
    pub(crate) fn label(self) -> &'static str {
        match self {
            Refusal::Invalid => "invalid",
            Refusal::Equivocation => "equivocation",
            Refusal::NotStored => "not_stored",
        }
    }

    pub(crate) fn of(e: &Error) -> Refusal {
        match e {
            Error::Conflict { .. } => Refusal::Equivocation,
            Error::Store(_) | Error::Corrupt(_) | Error::Shutdown | Error::Unavailable(_) => Refusal::NotStored,
            _ => Refusal::Invalid,
        }
    }
}

impl Health {
    pub(crate) fn new(peer: NodeId, warn_every: Duration) -> Health {
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
    pub(crate) fn heard(&mut self) {
        self.last_heard = Some(Instant::now());
    }

    /// `3s ago`, or `never`.
    pub(crate) fn last_heard(&self) -> String {
        match self.last_heard {
            Some(t) => format!("{} ago", human(t.elapsed())),
            None => "never".into(),
        }
    }

    /// The peer accepted a subscription.
    pub(crate) fn up(&mut self) {
        self.heard();
        let peer = self.peer;
        let first = !std::mem::replace(&mut self.ever_up, true);
        match self.down.take() {
            Some(d) => {
                let down = d.since.elapsed();
                tracing::info!(target: LOG_TARGET, %peer,
                    down_for = human(down).as_str(),
                    down_secs = down.as_secs(),
                    failures = d.failures,
                    last_cause = d.cause.as_str(),
                    "peer back"
                );
            }
            None if first => tracing::info!(target: LOG_TARGET, %peer, "subscribed"),
            None => tracing::debug!(target: LOG_TARGET, %peer, "subscribed again"),
        }
    }

    /// A subscription, or the attempt to open one, ended with `end`; the loop tries again in
    /// `retry_in`.
    pub(crate) fn ended(&mut self, end: &End, retry_in: Duration) {
        let peer = self.peer;
        let retry_in = human(retry_in);
        let retry_in = retry_in.as_str();
        let (outage, cause) = match end {
            End::Shutdown => return,
            End::Resubscribe(reason) | End::WeRefused(reason) => {
                tracing::debug!(target: LOG_TARGET, %peer, reason = reason.as_str(), retry_in, "subscribing again");
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
            tracing::warn!(target: LOG_TARGET, %peer, cause, last_heard, retry_in, "{}", outage.says().0);
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
            tracing::debug!(target: LOG_TARGET, %peer, cause, down_for, failures, retry_in, "peer still down; retrying");
            return;
        }
        // Down another way (it came back but refuses us now): say so at once, as when it went down.
        d.warned = now;
        let says = if changed { outage.says().0 } else { outage.says().1 };
        tracing::warn!(target: LOG_TARGET, %peer, cause, down_for, down_secs, failures, last_heard, retry_in, "{says}");
    }

    /// We did not take what the peer sent and drop the subscription. The same refusal again
    /// within `warn_every` (the peer resends what we refused after every reconnect) is a DEBUG.
    pub(crate) fn refused(&mut self, error: &str, how: Refusal) {
        let peer = self.peer;
        let now = Instant::now();
        if let Some((last, at)) = &self.refused {
            if last == error && now.saturating_duration_since(*at) < self.warn_every {
                tracing::debug!(target: LOG_TARGET, %peer, error, "refused what the peer sent again; dropping the subscription");
                return;
            }
        }
        self.refused = Some((error.to_string(), now));
        match how {
            Refusal::Invalid => {
                tracing::warn!(target: LOG_TARGET, %peer, error, "refused what the peer sent; dropping the subscription")
            }
            Refusal::Equivocation => tracing::error!(target: LOG_TARGET, %peer,
                error,
                "refused what the peer sent: conflicting content (origin equivocation); dropping the subscription"
            ),
            Refusal::NotStored => {
                tracing::warn!(target: LOG_TARGET, %peer, error, "could not store what the peer sent; dropping the subscription")
            }
        }
    }
}

/// `d` for a person: `450ms`, `3.2s`, `42s`, `3m12s`, `2h5m`, `3d4h`.
pub(crate) fn human(d: Duration) -> String {
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
