//! The benchmark's records: `n` drafts of `bytes` payload bytes each, non-repeating text so
//! nothing compresses them away.
use regiosync_replication::Draft;
use regiosync_types::pb::Status;

pub const KIND: &str = "x.bench";

/// Payload of record `i`: hex of a cheap hash sequence, exactly `bytes` long.
pub fn payload(i: u64, bytes: usize) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes + 16);
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while out.len() < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend((0..16).rev().map(|n| HEX[((x >> (n * 4)) & 0xf) as usize]));
    }
    out.truncate(bytes);
    out
}

/// Drafts `from..from+n` with the given extra audience.
pub fn drafts(from: u64, n: u64, bytes: usize, audience: &[String]) -> Vec<Draft> {
    (from..from + n)
        .map(|i| Draft {
            kind: KIND.into(),
            status: Status::Test as i32,
            audience: audience.to_vec(),
            payload: payload(i, bytes),
            ..Draft::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn payloads_have_the_size_and_differ() {
        assert_eq!(super::payload(7, 300).len(), 300);
        assert_ne!(super::payload(7, 300), super::payload(8, 300));
    }
}
