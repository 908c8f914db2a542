//! Which key sealed which run of an origin's seqs (its *key spans*, `Y` keys), and the rule a
//! chunk must meet against them. A span starts at seq 1 with the key that sealed it, and at
//! every key transition (`regiosync_types::KeyTransition`, the first entry of the first chunk the
//! new key seals). A chunk of seqs `a..=b` sealed by key `K`:
//!
//! - opening with a transition: it names the key that sealed `a - 1` and `a - 1` itself, and `K`
//!   never sealed an earlier span of this origin (a superseded key never comes back);
//! - otherwise `K` is the key of the span holding `a`, and no later span starts inside `a..=b`.
//!
//! So a stolen old key cannot add entries after its transition, however it dates them, while
//! genuinely old entries still verify and replicate, also to a fresh node. A node that holds
//! nothing of an origin before `a` (a gap at the start) cannot tell and takes the chunk; if it was
//! forged, the real log arriving later conflicts with it and is refused as an equivocation,
//! which is counted and reported, never silently replaced.
use std::collections::BTreeMap;

use regiosync_types::{KeyTransition, NodeId, Sealed};

use crate::error::{Error, Result};
use crate::keys;
use crate::log::Log;

/// One origin's spans: first seq → key id.
pub type Spans = BTreeMap<u64, [u8; 16]>;

fn hex(k: &[u8; 16]) -> String {
    k[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Check `chunk` against `spans` (its origin's, as this node holds them). Returns the span the
/// chunk starts, if it starts one.
pub fn check(spans: &Spans, chunk: &Sealed) -> Result<Option<(u64, [u8; 16])>> {
    let (origin, a, b, key) = (chunk.origin, chunk.first_seq, chunk.last_seq(), chunk.key_id);
    let refuse = |why: String| {
        Err(Error::NotAllowed(format!(
            "{origin}/{a}..{b} sealed by key {}: {why}",
            hex(&key)
        )))
    };
    match KeyTransition::opening(chunk) {
        Some(Err(e)) => refuse(format!("malformed key transition: {e}")),
        Some(Ok(t)) => {
            if a == 1 || t.previous_last_seq != a - 1 {
                return refuse(format!(
                    "its key transition names seq {} as the previous key's last, not {}",
                    t.previous_last_seq,
                    a.saturating_sub(1)
                ));
            }
            if t.previous_key_id == key {
                return refuse("its key transition names the same key as the previous one".into());
            }
            if let Some((_, before)) = spans.range(..a).next_back() {
                if *before != t.previous_key_id {
                    return refuse(format!(
                        "its key transition names previous key {}, but the seqs before were sealed by {}",
                        hex(&t.previous_key_id),
                        hex(before)
                    ));
                }
            }
            if let Some((s, _)) = spans.iter().find(|(s, k)| **k == key && **s != a) {
                return refuse(format!(
                    "that key already sealed {origin}'s seqs from {s}; a superseded key never comes back"
                ));
            }
            Ok(Some((a, key)))
        }
        None => {
            if a == 1 {
                return match spans.get(&1) {
                    Some(k) if *k != key => refuse(format!("seq 1 of {origin} was sealed by {}", hex(k))),
                    _ => Ok(Some((1, key))),
                };
            }
            let Some((start, span_key)) = spans.range(..=a).next_back() else {
                return Ok(None);
            };
            if *span_key != key {
                return refuse(format!(
                    "since seq {start} {origin} seals with key {} (key transition at {origin}-{start})",
                    hex(span_key)
                ));
            }
            if let Some((next, _)) = spans.range(a + 1..).next() {
                if *next <= b {
                    return refuse(format!("it runs past {origin}'s key transition at seq {next}"));
                }
            }
            Ok(None)
        }
    }
}

impl Log {
    /// Every origin's key spans as stored.
    pub fn key_spans(&self) -> Result<BTreeMap<NodeId, Spans>> {
        let rows = self.kv().scan(&[keys::KEY_SPAN], &[keys::KEY_SPAN + 1], usize::MAX)?;
        let mut out: BTreeMap<NodeId, Spans> = BTreeMap::new();
        for (k, v) in rows {
            if let (Some((origin, first)), Ok(key)) = (keys::origin_and_seq(&k), <[u8; 16]>::try_from(v.as_slice())) {
                out.entry(origin).or_default().insert(first, key);
            }
        }
        Ok(out)
    }
}

/// The span a chunk starts if it is stored (seq 1, or a transition), without checking it.
pub(crate) fn started_by(chunk: &Sealed) -> Option<(u64, [u8; 16])> {
    (chunk.first_seq == 1 || matches!(KeyTransition::opening(chunk), Some(Ok(_))))
        .then_some((chunk.first_seq, chunk.key_id))
}
