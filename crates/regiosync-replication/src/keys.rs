//! The storage layout. One ordered key space, one-byte prefixes:
//!
//! | key                                   | value                         |
//! |---------------------------------------|-------------------------------|
//! | `E` origin seq(u64 BE)                | encoded `SignedEntry`         |
//! | `A` peer origin seq                   | empty: peer is in the audience (not kept for NL, which sees all, nor for the origin) |
//! | `C` origin                            | cursor: u64 BE                |
//! | `S` source origin                     | per-source cursor: u64 BE     |
//! | `K` key id (16 bytes)                 | certificate DER               |
//! | `I` record id                         | origin seq                    |
//! | `M` name                              | counters (u64 BE)             |
//!
//! "Everything from origin X after N that peer P may see" is one range scan over `A P X`.
use regiosync_types::NodeId;

pub const ENTRY: u8 = b'E';
pub const AUDIENCE: u8 = b'A';
pub const CURSOR: u8 = b'C';
pub const SOURCE: u8 = b'S';
pub const CERT: u8 = b'K';
pub const ID: u8 = b'I';
pub const META: u8 = b'M';

pub const META_HELD: &[u8] = b"Mheld";

pub fn entry(origin: NodeId, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(10);
    k.push(ENTRY);
    k.push(origin.key());
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// `[start, end)` of origin's entries with seq > after.
pub fn entry_range(origin: NodeId, after: u64) -> (Vec<u8>, Vec<u8>) {
    (entry(origin, after.saturating_add(1)), vec![ENTRY, origin.key() + 1])
}

pub fn audience(peer: NodeId, origin: NodeId, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(11);
    k.push(AUDIENCE);
    k.push(peer.key());
    k.push(origin.key());
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

pub fn audience_range(peer: NodeId, origin: NodeId, after: u64) -> (Vec<u8>, Vec<u8>) {
    (
        audience(peer, origin, after.saturating_add(1)),
        vec![AUDIENCE, peer.key(), origin.key() + 1],
    )
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

/// Origin and seq from the tail of an `E` or `A` key (last 9 bytes).
pub fn origin_seq_from_tail(key: &[u8]) -> Option<(NodeId, u64)> {
    if key.len() < 9 {
        return None;
    }
    let tail = &key[key.len() - 9..];
    let origin = NodeId::from_key(tail[0])?;
    let seq = u64::from_be_bytes(tail[1..].try_into().ok()?);
    Some((origin, seq))
}

pub fn u64_value(v: &[u8]) -> u64 {
    v.try_into().map(u64::from_be_bytes).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_keys_sort_by_origin_then_seq() {
        let v1 = NodeId::region(1).unwrap();
        let v2 = NodeId::region(2).unwrap();
        assert!(entry(v1, 255) < entry(v1, 256));
        assert!(entry(v1, u64::MAX) < entry(v2, 1));
        let (start, end) = entry_range(v1, 10);
        assert!(start == entry(v1, 11) && entry(v1, u64::MAX) < end && end <= entry(v2, 0));
        assert_eq!(origin_seq_from_tail(&audience(v2, v1, 7)), Some((v1, 7)));
    }
}
