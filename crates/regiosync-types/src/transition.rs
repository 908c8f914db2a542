//! Key transitions: how a node announces in its own log that it seals with a new key from now
//! on. The transition is the first entry of the first chunk the new key seals; it names the
//! key it replaces and the last seq that key sealed. Every node keeps, per origin, which key
//! sealed which run of seqs (its *key spans*) and refuses a chunk sealed by a key outside its
//! run, so a stolen old key cannot add entries after the transition, however it dates them,
//! while genuinely old entries still verify and replicate (see `regiosync-replication`'s
//! `key_spans.rs` for the rule).
use crate::chunk::Sealed;
use crate::error::{Error, Result};

/// The entry kind of a key transition. Engine-level: never a record, never written by a person,
/// visible to every member whatever its audience.
pub const KEY_TRANSITION: &str = "regiosync.key_transition";

/// Payload of a key-transition entry: `previous_key_id (16) | previous_last_seq (u64 BE)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyTransition {
    pub previous_key_id: [u8; 16],
    pub previous_last_seq: u64,
}

impl KeyTransition {
    pub fn encode(&self) -> Vec<u8> {
        let mut v = self.previous_key_id.to_vec();
        v.extend_from_slice(&self.previous_last_seq.to_be_bytes());
        v
    }

    pub fn decode(payload: &[u8]) -> Result<KeyTransition> {
        if payload.len() != 24 {
            return Err(Error::invalid(
                "payload",
                format!("a key transition is 24 bytes, not {}", payload.len()),
            ));
        }
        Ok(KeyTransition {
            previous_key_id: payload[..16].try_into().expect("16 bytes"),
            previous_last_seq: u64::from_be_bytes(payload[16..].try_into().expect("8 bytes")),
        })
    }

    /// The transition a chunk opens with, if it opens with one (its first item, at its first
    /// seq).
    pub fn opening(chunk: &Sealed) -> Option<Result<KeyTransition>> {
        let first = chunk.entries().next()?;
        (first.envelope.seq == chunk.first_seq && first.envelope.kind == KEY_TRANSITION)
            .then(|| KeyTransition::decode(&first.envelope.payload))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_a_wrong_length() {
        let t = KeyTransition {
            previous_key_id: [7; 16],
            previous_last_seq: 41,
        };
        assert_eq!(KeyTransition::decode(&t.encode()).unwrap(), t);
        let err = KeyTransition::decode(&[0; 23]).unwrap_err().to_string();
        assert_eq!(err, "payload: a key transition is 24 bytes, not 23");
    }
}
