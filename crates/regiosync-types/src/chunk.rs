//! Chunks: runs of consecutive entries of one origin under one seal (see `entry.proto`).
//!
//! The origin signs one message per chunk that commits to the SHA-256 of every body in it, so a
//! receiver checks one signature per chunk and one hash per entry. Entries a receiver may not
//! see travel as their hash only ("withheld"), which keeps the seal checkable without revealing
//! them. [`Sealed::open`] applies the envelope rules to every entry; the signature itself is
//! checked by `regiosync-trust`.
use prost::Message;
use sha2::{Digest, Sha256};

use crate::envelope::{Envelope, Limits};
use crate::error::{Error, Result};
use crate::federation::Federation;
use crate::node_id::NodeId;
use crate::pb::{self, chunk_item};

/// Most entries one seal covers.
pub const MAX_CHUNK_ENTRIES: usize = 128;
/// An origin closes a chunk before its bodies pass this many bytes (an entry larger than this
/// gets a chunk of its own).
pub const CHUNK_TARGET_BYTES: usize = 64 * 1024;
/// Largest total of body bytes a received chunk may carry.
pub const MAX_CHUNK_BYTES: usize = CHUNK_TARGET_BYTES + Limits::MAX_ENTRY;
/// Domain separation of the seal message.
pub const SEAL_CONTEXT: &[u8] = b"regiosync.v1.seal\0";

pub type Hash = [u8; 32];

pub fn body_hash(body: &[u8]) -> Hash {
    Sha256::digest(body).into()
}

/// An entry inside a chunk: its checked envelope and the exact bytes the origin hashed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub envelope: Envelope,
    pub body: Vec<u8>,
}

impl Entry {
    /// Encode a checked envelope in its canonical form (audience sorted), without copying the
    /// payload.
    pub fn from_envelope(mut envelope: Envelope) -> Entry {
        // Only the small fields are cloned; the payload moves into the body and back.
        let payload = std::mem::take(&mut envelope.payload);
        let mut body = envelope.to_body();
        body.payload = payload;
        let bytes = body.encode_to_vec();
        envelope.payload = body.payload;
        Entry { envelope, body: bytes }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Entry(Entry),
    /// An entry this node may not see: only the hash of its body.
    Withheld(Hash),
}

/// A chunk whose layout and visible entries passed the envelope rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Sealed {
    pub origin: NodeId,
    pub first_seq: u64,
    pub key_id: [u8; 16],
    pub sealed_unix_ms: i64,
    pub signature: Vec<u8>,
    pub items: Vec<Item>,
}

impl Sealed {
    /// Check a received (or stored) chunk: every field, every entry against the envelope rules,
    /// and that item i is entry `first_seq + i` of `origin`. Errors name the item.
    pub fn open(chunk: pb::Chunk) -> Result<Sealed> {
        let origin = if chunk.origin.is_empty() {
            return Err(Error::Missing("origin".into()));
        } else {
            NodeId::parse_field("origin", &chunk.origin)?
        };
        if chunk.first_seq == 0 {
            return Err(Error::invalid("first_seq", "must be at least 1"));
        }
        let key_id: [u8; 16] = chunk
            .key_id
            .as_slice()
            .try_into()
            .map_err(|_| Error::invalid("key_id", format!("must be 16 bytes, got {}", chunk.key_id.len())))?;
        if chunk.sealed_unix_ms <= 0 {
            return Err(Error::Missing("sealed_unix_ms".into()));
        }
        let n = chunk.items.len();
        if n == 0 || n > MAX_CHUNK_ENTRIES {
            return Err(Error::invalid(
                "items",
                format!("{n} items; a chunk holds 1 to {MAX_CHUNK_ENTRIES}"),
            ));
        }
        if chunk.first_seq.checked_add(n as u64).is_none() {
            return Err(Error::invalid("first_seq", "sequence numbers overflow"));
        }
        let mut total = 0usize;
        let mut items = Vec::with_capacity(n);
        for (i, item) in chunk.items.into_iter().enumerate() {
            let seq = chunk.first_seq + i as u64;
            let field = format!("items[{i}]");
            items.push(match item.item {
                Some(chunk_item::Item::Body(body)) => {
                    total += body.len();
                    if total > MAX_CHUNK_BYTES {
                        return Err(Error::invalid(
                            "items",
                            format!("bodies exceed the chunk limit of {MAX_CHUNK_BYTES} bytes"),
                        ));
                    }
                    let envelope = Envelope::from_bytes(&body).map_err(|e| e.within(&field))?;
                    if envelope.origin != origin || envelope.seq != seq {
                        return Err(Error::invalid(
                            field,
                            format!(
                                "entry {}/{} does not belong at {origin}/{seq}",
                                envelope.origin, envelope.seq
                            ),
                        ));
                    }
                    Item::Entry(Entry { envelope, body })
                }
                Some(chunk_item::Item::WithheldSha256(h)) => Item::Withheld(h.as_slice().try_into().map_err(|_| {
                    Error::invalid(
                        format!("{field}.withheld_sha256"),
                        format!("must be 32 bytes, got {}", h.len()),
                    )
                })?),
                None => return Err(Error::Missing(field)),
            });
        }
        Ok(Sealed {
            origin,
            first_seq: chunk.first_seq,
            key_id,
            sealed_unix_ms: chunk.sealed_unix_ms,
            signature: chunk.signature,
            items,
        })
    }

    /// Seq of the last item.
    pub fn last_seq(&self) -> u64 {
        self.first_seq + self.items.len() as u64 - 1
    }

    /// The entries this node holds, in order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.items.iter().filter_map(|i| match i {
            Item::Entry(e) => Some(e),
            Item::Withheld(_) => None,
        })
    }

    pub fn withheld(&self) -> usize {
        self.items.iter().filter(|i| matches!(i, Item::Withheld(_))).count()
    }

    /// The message the origin signed (hashes every body; call once per check).
    pub fn seal_message(&self) -> Vec<u8> {
        let hashes: Vec<Hash> = self
            .items
            .iter()
            .map(|i| match i {
                Item::Entry(e) => body_hash(&e.body),
                Item::Withheld(h) => *h,
            })
            .collect();
        seal_message(self.origin, self.first_seq, &self.key_id, self.sealed_unix_ms, &hashes)
    }

    pub fn to_pb(&self) -> pb::Chunk {
        self.to_pb_filtered(|_| true)
    }

    /// The chunk as held, without copying the bodies.
    pub fn into_pb(mut self) -> pb::Chunk {
        let items = std::mem::take(&mut self.items)
            .into_iter()
            .map(|i| pb::ChunkItem {
                item: Some(match i {
                    Item::Entry(e) => chunk_item::Item::Body(e.body),
                    Item::Withheld(h) => chunk_item::Item::WithheldSha256(h.to_vec()),
                }),
            })
            .collect();
        let signature = std::mem::take(&mut self.signature);
        self.pb_with(signature, items)
    }

    fn pb_with(&self, signature: Vec<u8>, items: Vec<pb::ChunkItem>) -> pb::Chunk {
        pb::Chunk {
            origin: self.origin.to_string(),
            first_seq: self.first_seq,
            key_id: self.key_id.to_vec(),
            sealed_unix_ms: self.sealed_unix_ms,
            signature,
            items,
        }
    }

    /// The chunk as `peer` may receive it: entries outside its audience withheld. `None` when
    /// it may see none of them.
    pub fn for_peer(&self, peer: NodeId, members: &Federation) -> Option<pb::Chunk> {
        let chunk = self.to_pb_filtered(|e| members.may_see(peer, &e.envelope));
        let visible = chunk
            .items
            .iter()
            .any(|i| matches!(i.item, Some(chunk_item::Item::Body(_))));
        visible.then_some(chunk)
    }

    /// The chunk with every entry withheld: its seal and the hashes only. Proves that the
    /// origin sealed up to `last_seq()` without showing any entry (watermarks and holes carry
    /// one, so a cursor never moves past what the origin sealed).
    pub fn seal_only(&self) -> pb::Chunk {
        self.to_pb_filtered(|_| false)
    }

    fn to_pb_filtered(&self, show: impl Fn(&Entry) -> bool) -> pb::Chunk {
        let items = self
            .items
            .iter()
            .map(|i| pb::ChunkItem {
                item: Some(match i {
                    Item::Entry(e) if show(e) => chunk_item::Item::Body(e.body.clone()),
                    Item::Entry(e) => chunk_item::Item::WithheldSha256(body_hash(&e.body).to_vec()),
                    Item::Withheld(h) => chunk_item::Item::WithheldSha256(h.to_vec()),
                }),
            })
            .collect();
        self.pb_with(self.signature.clone(), items)
    }

    /// Encoded size on the wire or disk.
    pub fn encoded_len(&self) -> usize {
        self.to_pb().encoded_len()
    }
}

/// The seal message over the hashes of a run of bodies (layout documented in `entry.proto`).
pub fn seal_message(
    origin: NodeId,
    first_seq: u64,
    key_id: &[u8; 16],
    sealed_unix_ms: i64,
    hashes: &[Hash],
) -> Vec<u8> {
    let mut m = Vec::with_capacity(SEAL_CONTEXT.len() + 1 + 8 + 4 + 8 + 16 + 32 * hashes.len());
    m.extend_from_slice(SEAL_CONTEXT);
    m.extend_from_slice(origin.key());
    m.extend_from_slice(&first_seq.to_be_bytes());
    m.extend_from_slice(&(hashes.len() as u32).to_be_bytes());
    m.extend_from_slice(&sealed_unix_ms.to_be_bytes());
    m.extend_from_slice(key_id);
    for h in hashes {
        m.extend_from_slice(h);
    }
    m
}

/// Split encoded entries (consecutive seqs of one origin) into runs that each become one
/// chunk: at most [`MAX_CHUNK_ENTRIES`] entries, closed before [`CHUNK_TARGET_BYTES`].
pub fn runs(entries: Vec<Entry>) -> Vec<Vec<Entry>> {
    let mut runs: Vec<Vec<Entry>> = Vec::new();
    let mut bytes = 0;
    for entry in entries {
        let full = runs
            .last()
            .is_none_or(|r| r.len() >= MAX_CHUNK_ENTRIES || bytes + entry.body.len() > CHUNK_TARGET_BYTES);
        if full {
            runs.push(Vec::new());
            bytes = 0;
        }
        bytes += entry.body.len();
        runs.last_mut().expect("a run").push(entry);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pb::{EntryBody, Status};

    fn envelope(seq: u64, audience: &[&str]) -> Envelope {
        Envelope::check(EntryBody {
            id: format!("VR01-{seq}"),
            origin: "VR01".into(),
            seq,
            kind: "test_record".into(),
            created_unix_ms: 1_700_000_000_000,
            status: Status::Test as i32,
            audience: audience.iter().map(|a| a.to_string()).collect(),
            payload: vec![b'x'; 300],
            ..Default::default()
        })
        .unwrap()
    }

    fn sealed(n: u64) -> Sealed {
        let entries = runs(
            (1..=n)
                .map(|s| Entry::from_envelope(envelope(s, &["NL", "VR01", if s % 2 == 0 { "VR02" } else { "VR03" }])))
                .collect(),
        )
        .remove(0);
        Sealed {
            origin: NodeId::region(1).unwrap(),
            first_seq: 1,
            key_id: [7; 16],
            sealed_unix_ms: 1_700_000_000_000,
            signature: vec![1; 64],
            items: entries.into_iter().map(Item::Entry).collect(),
        }
    }

    #[test]
    fn withholding_keeps_the_seal_message() {
        let chunk = sealed(4);
        let vr02 = NodeId::region(2).unwrap();
        let for_vr02 = Sealed::open(chunk.for_peer(vr02, &Federation::shipped()).unwrap()).unwrap();
        assert_eq!(for_vr02.withheld(), 2);
        assert!(for_vr02.entries().all(|e| e.envelope.audience.contains(&vr02)));
        assert_eq!(for_vr02.seal_message(), chunk.seal_message());
        assert_eq!(Sealed::open(chunk.to_pb()).unwrap(), chunk);
        assert!(chunk
            .for_peer(NodeId::region(4).unwrap(), &Federation::shipped())
            .is_none());
    }

    #[test]
    fn misplaced_or_malformed_items_are_named() {
        let mut pb = sealed(3).to_pb();
        pb.items.swap(0, 1);
        let err = Sealed::open(pb).unwrap_err().to_string();
        assert!(
            err.starts_with("items[0]: entry VR01/2 does not belong at VR01/1"),
            "{err}"
        );

        let mut pb = sealed(3).to_pb();
        pb.items[2].item = Some(chunk_item::Item::Body(vec![0xff, 0xff]));
        let err = Sealed::open(pb).unwrap_err().to_string();
        assert!(err.starts_with("items[2].body: malformed protobuf"), "{err}");

        let mut pb = sealed(3).to_pb();
        pb.items[1].item = Some(chunk_item::Item::WithheldSha256(vec![0; 5]));
        let err = Sealed::open(pb).unwrap_err().to_string();
        assert!(err.starts_with("items[1].withheld_sha256: must be 32 bytes"), "{err}");

        let mut pb = sealed(1).to_pb();
        pb.items = (0..=MAX_CHUNK_ENTRIES).map(|_| pb.items[0].clone()).collect();
        assert!(Sealed::open(pb)
            .unwrap_err()
            .to_string()
            .starts_with("items: 129 items"));
    }

    #[test]
    fn runs_respect_count_and_size() {
        let runs = runs(
            (1..=200)
                .map(|s| Entry::from_envelope(envelope(s, &["NL", "VR01"])))
                .collect(),
        );
        let first = &runs[0][0];
        assert_eq!(Envelope::from_bytes(&first.body).unwrap(), first.envelope);
        assert_eq!(first.body, first.envelope.to_body().encode_to_vec());
        assert_eq!(runs.iter().map(|r| r.len()).collect::<Vec<_>>(), vec![128, 72]);
        assert_eq!(runs[1][0].envelope.seq, 129);
    }
}
