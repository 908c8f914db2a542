//! The storage layout. One ordered key space, one-byte prefixes. A member id in a key is its
//! bytes followed by a 0 byte (`NodeId::key`: ids sort as strings and no id's key is a prefix
//! of another's, so any number of members fits and a scan of one origin never meets another):
//!
//! | key                                   | value                         |
//! |---------------------------------------|-------------------------------|
//! | `E` origin first_seq(u64 BE)          | last_seq (u64 BE), then the encoded `Chunk` as held (entries this node may not see withheld) |
//! | `A` peer origin first_seq             | last_seq (u64 BE): the peer may see at least one entry of that chunk (not kept for NL, which sees all, nor for the origin; kept by a national node for every chunk, by any other node for its own only: `audience_index.rs`) |
//! | `C` origin                            | cursor: u64 BE                |
//! | `S` source origin                     | per-source cursor: u64 BE     |
//! | `K` key id (16 bytes)                 | certificate DER               |
//! | `I` record id                         | origin (id key), seq (u64 BE): only ids a person chose; generated ids (`VR01-42`) name their entry |
//! | `M` name                              | counters (u64 BE); `Mforked`: why this node's own log forked (text); `Maudience-own`: the node id, while only its own chunks have `A` rows |
//! | `G` aggregate key                     | the record layer's aggregate value (`Payloads::aggregate`) |
//! | `Q` origin first_seq                  | last_seq, then the origin's cursor when it was set aside (u64 BE each): a chunk whose stored value failed its check (its `E` value is removed), until a peer sends it again |
//! | `H` origin first_seq                  | last_seq (u64 BE): seqs the origin's cursor passed that were never received (the peer that vouched for them could not send them), until a peer does |
//! | `Y` origin first_seq                  | key id (16 bytes): the key that seals the origin's seqs from there (seq 1, then each key transition; `key_spans.rs`) |
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
pub const KEY_SPAN: u8 = b'Y';

pub const META_HELD: &[u8] = b"Mheld";
/// Set when this node's own log forked: why (text). Writes stay stopped while it is there.
pub const META_FORKED: &[u8] = b"Mforked";

/// `tag` followed by the keys of `ids`.
fn key_of(tag: u8, ids: &[NodeId], extra: usize) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + ids.len() * (regiosync_types::node_id::MAX_ID_LEN + 1) + extra);
    k.push(tag);
    for id in ids {
        k.extend_from_slice(id.key());
    }
    k
}

/// Key of the chunk of `origin` that starts at `first_seq`.
pub fn chunk(origin: NodeId, first_seq: u64) -> Vec<u8> {
    with_seq(&chunk_prefix(origin), first_seq)
}

/// The key prefix of `origin`'s chunks.
pub fn chunk_prefix(origin: NodeId) -> Vec<u8> {
    key_of(ENTRY, &[origin], 8)
}

pub fn audience(peer: NodeId, origin: NodeId, first_seq: u64) -> Vec<u8> {
    with_seq(&audience_prefix(peer, origin), first_seq)
}

/// The key prefix of the chunks of `origin` that `peer` may see something of.
pub fn audience_prefix(peer: NodeId, origin: NodeId) -> Vec<u8> {
    key_of(AUDIENCE, &[peer, origin], 8)
}

/// The member id right after the one-byte tag of `key` (the origin of `E`, `Q`, `H`, `C` keys,
/// the peer or source of `A` and `S` keys), and what follows it.
pub fn first_id(key: &[u8]) -> Option<(NodeId, &[u8])> {
    NodeId::from_key(key.get(1..)?)
}

/// The two member ids after the tag of an `A` or `S` key.
pub fn two_ids(key: &[u8]) -> Option<(NodeId, NodeId)> {
    let (a, rest) = first_id(key)?;
    let (b, _) = NodeId::from_key(rest)?;
    Some((a, b))
}

/// Origin and first seq of an `E`, `Q` or `H` key (tag, origin, seq and nothing else).
pub fn origin_and_seq(key: &[u8]) -> Option<(NodeId, u64)> {
    let (origin, rest) = first_id(key)?;
    let seq: [u8; 8] = rest.try_into().ok()?;
    Some((origin, u64::from_be_bytes(seq)))
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

/// Key of the key span of `origin` that starts at `first_seq`.
pub fn key_span(origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = chunk(origin, first_seq);
    k[0] = KEY_SPAN;
    k
}

/// Key of the missing range of `origin` that starts at `first_seq`.
pub fn missing(origin: NodeId, first_seq: u64) -> Vec<u8> {
    let mut k = chunk(origin, first_seq);
    k[0] = MISSING;
    k
}

pub fn cursor(origin: NodeId) -> Vec<u8> {
    key_of(CURSOR, &[origin], 0)
}

/// How far the stream from `source` is complete for `origin`.
pub fn source(source: NodeId, origin: NodeId) -> Vec<u8> {
    key_of(SOURCE, &[source, origin], 0)
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
        let nl_b: NodeId = "NL-B".parse().unwrap();
        assert!(prefix_end(&chunk_prefix(NodeId::NL)) <= chunk_prefix(nl_b));
        assert_eq!(origin_and_seq(&chunk(nl_b, 9)), Some((nl_b, 9)));
        assert_eq!(origin_and_seq(&quarantine(nl_b, 9)), Some((nl_b, 9)));
        assert_eq!(two_ids(&source(nl_b, v1)), Some((nl_b, v1)));
        assert_eq!(two_ids(&audience(v2, nl_b, 3)), Some((v2, nl_b)));
        assert_eq!(first_id(&cursor(nl_b)), Some((nl_b, &[][..])));
    }
}
