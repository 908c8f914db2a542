//! The storage layout. One ordered key space, one-byte prefixes:
//!
//! | key                                   | value                         |
//! |---------------------------------------|-------------------------------|
//! | `E` origin first_seq(u64 BE)          | last_seq (u64 BE), then the encoded `Chunk` as held (entries this node may not see withheld) |
//! | `A` peer origin first_seq             | last_seq (u64 BE): the peer may see at least one entry of that chunk (not kept for NL, which sees all, nor for the origin) |
//! | `C` origin                            | cursor: u64 BE                |
//! | `S` source origin                     | per-source cursor: u64 BE     |
//! | `K` key id (16 bytes)                 | certificate DER               |
//! | `I` record id                         | origin (1 byte), seq (u64 BE): only ids a person chose; generated ids (`VR01-42`) name their entry |
//! | `M` name                              | counters (u64 BE); `Mforked`: why this node's own log forked (text) |
//! | `G` aggregate key                     | the record layer's aggregate value (`Payloads::aggregate`) |
//! | `Q` origin first_seq                  | last_seq, then the origin's cursor when it was set aside (u64 BE each): a chunk whose stored value failed its check (its `E` value is removed), until a peer sends it again |
//! | `H` origin first_seq                  | last_seq (u64 BE): seqs the origin's cursor passed that were never received (the peer that vouched for them could not send them), until a peer does |
//!
//! A chunk (up to 128 entries under one seal) is one key, which is what lets a node store far
//! more entries per second than one key per entry would (BENCHMARKS.md). "Everything from
//! origin X after N that peer P may see" is one range scan over `A P X`.
use regiosync_types::NodeId;

pub const ENTRY: u8 = b'E';
pub const AUDIENCE: u8 = b'A';
pub const CURSOR: u8 = b'C';
pub const SOURCE: u8 = b'S';
pub const CERT: u8 = b'K';
pub const ID: u8 = b'I';
pub const META: u8 = b'M';
pub const AGGREGATE: u8 = b'G';
pub const QUARANTINE: u8 = b'Q';
pub const MISSING: u8 = b'H';

pub const META_HELD: &[u8] = b"Mheld";
/// Set when this node's own log forked: why (text). Writes stay stopped while it is there.
pub const META_FORKED: &[u8] = b"Mforked";

/// Key of the chunk of `origin` that starts at `first_seq`.
pub fn chunk(origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(10);
    k.push(ENTRY);
    k.push(origin.key());
    k.extend_from_slice(&first_seq.to_be_bytes());
    k
}

/// The key prefix of `origin`'s chunks.
pub fn chunk_prefix(origin: NodeId) -> Vec<u8> {
    vec![ENTRY, origin.key()]
}

pub fn audience(peer: NodeId, origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(11);
    k.push(AUDIENCE);
    k.push(peer.key());
    k.push(origin.key());
    k.extend_from_slice(&first_seq.to_be_bytes());
    k
}

/// The key prefix of the chunks of `origin` that `peer` may see something of.
pub fn audience_prefix(peer: NodeId, origin: NodeId) -> Vec<u8> {
    vec![AUDIENCE, peer.key(), origin.key()]
}

/// `prefix` followed by `seq` (big-endian), the key of the chunk starting there.
pub fn with_seq(prefix: &[u8], seq: u64) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// The first key after every key that starts with `prefix`.
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    *end.last_mut().expect("non-empty prefix") += 1;
    end
}

/// Key of the quarantined chunk of `origin` that starts at `first_seq`.
pub fn quarantine(origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = chunk(origin, first_seq);
    k[0] = QUARANTINE;
    k
}

/// Key of the missing range of `origin` that starts at `first_seq`.
pub fn missing(origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = chunk(origin, first_seq);
    k[0] = MISSING;
    k
}

pub fn cursor(origin: NodeId) -> Vec<u8> {
    vec![CURSOR, origin.key()]
}

/// How far the stream from `source` is complete for `origin`.
pub fn source(source: NodeId, origin: NodeId) -> Vec<u8> {
    vec![SOURCE, source.key(), origin.key()]
}

pub fn cert(key_id: &[u8]) -> Vec<u8> {
    let mut k = vec![CERT];
    k.extend_from_slice(key_id);
    k
}

pub fn id(record_id: &str) -> Vec<u8> {
    let mut k = vec![ID];
    k.extend_from_slice(record_id.as_bytes());
    k
}

/// Key of the record layer's aggregate `key`.
pub fn aggregate(key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + key.len());
    k.push(AGGREGATE);
    k.extend_from_slice(key);
    k
}

/// The seq at the tail of an `E` or `A` key (last 8 bytes).
pub fn seq_from_tail(key: &[u8]) -> Option<u64> {
    let tail = key.len().checked_sub(8).map(|at| &key[at..])?;
    tail.try_into().ok().map(u64::from_be_bytes)
}

pub fn u64_value(v: &[u8]) -> u64 {
    v.get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_keys_sort_by_origin_then_seq() {
        let v1 = NodeId::region(1).unwrap();
        let v2 = NodeId::region(2).unwrap();
        assert!(chunk(v1, 255) < chunk(v1, 256));
        assert!(chunk(v1, u64::MAX) < chunk(v2, 1));
        assert!(chunk(v1, u64::MAX) < prefix_end(&chunk_prefix(v1)));
        assert_eq!(with_seq(&audience_prefix(v2, v1), 7), audience(v2, v1, 7));
        assert_eq!(seq_from_tail(&audience(v2, v1, 7)), Some(7));
    }
}
