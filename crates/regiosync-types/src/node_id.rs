//! Member identities: short upper-case names such as `NL`, `NL-B`, `VR07`, `POL-ON`, `RWS` or
//! `WS-HDSR`. Which ids exist, and what kind of member each is, is configuration (the
//! federation file, see [`crate::Federation`]), not code: a `NodeId` is only a well-formed name.
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Longest member id, in bytes.
pub const MAX_ID_LEN: usize = 16;

/// A federation member's id: 2 to [`MAX_ID_LEN`] characters `A`-`Z`, `0`-`9` and `-`, starting
/// with a letter, without `--` or a trailing `-`, and with a letter after the last `-` (so the
/// generated record id `<origin>-<seq>` always splits back at its last `-`). Ordered like the
/// strings (`NL` < `NL-B` < `POL-ON` < `VR01` < `VR25` < `WS-HDSR`). Copy, 18 bytes, no heap.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId {
    len: u8,
    bytes: [u8; MAX_ID_LEN + 1],
}

impl NodeId {
    /// The id the shipped federation gives the national node.
    pub const NL: NodeId = NodeId::from_static("NL");

    /// `VRnn`, the id the shipped federation gives safety region `n` (1..=25). A naming
    /// convention only: whether a member is a region is the federation file's to say.
    pub fn region(n: u8) -> Option<NodeId> {
        (1..=25)
            .contains(&n)
            .then(|| NodeId::from_static_checked(&format!("VR{n:02}")))
    }

    /// The region number in a `VRnn` id, if the id has that form.
    pub fn region_number(self) -> Option<u8> {
        match self.as_str().as_bytes() {
            [b'V', b'R', d1 @ b'0'..=b'9', d2 @ b'0'..=b'9'] => Some((d1 - b'0') * 10 + (d2 - b'0')),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (checked in `parse_canonical`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The id's storage key: its bytes followed by a 0 byte. Keys sort like the ids, and no key
    /// is a prefix of another, so a key is followed directly by whatever comes next.
    pub fn key(&self) -> &[u8] {
        // The bytes are zero-padded and one longer than the longest id: the pad is the 0.
        &self.bytes[..usize::from(self.len) + 1]
    }

    /// Append the storage key to `out`.
    pub fn push_key(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.key());
    }

    /// Read a storage key at the start of `b`: the id and the rest after it.
    pub fn from_key(b: &[u8]) -> Option<(NodeId, &[u8])> {
        let end = b.iter().take(MAX_ID_LEN + 1).position(|&c| c == 0)?;
        let id = NodeId::parse_canonical(std::str::from_utf8(&b[..end]).ok()?)?;
        Some((id, &b[end + 1..]))
    }

    /// The DNS name in a node's certificate, used to check a peer's identity on connect.
    pub fn dns_name(self) -> String {
        format!("{}.regiosync", self.as_str().to_lowercase())
    }

    /// Parse with a field path for the error message.
    pub fn parse_field(field: &str, value: &str) -> Result<NodeId, Error> {
        value.parse().map_err(|_| Error::UnknownNode {
            field: field.into(),
            value: value.into(),
        })
    }

    /// Parse only the canonical spelling (upper case, no surrounding space), without allocating.
    pub fn parse_canonical(s: &str) -> Option<NodeId> {
        let b = s.as_bytes();
        if b.len() < 2 || b.len() > MAX_ID_LEN || !b[0].is_ascii_uppercase() || b[b.len() - 1] == b'-' {
            return None;
        }
        if !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'-')
        {
            return None;
        }
        if b.windows(2).any(|w| w == b"--") {
            return None;
        }
        let last = s.rsplit('-').next().unwrap_or(s);
        if !last.bytes().any(|c| c.is_ascii_uppercase()) {
            return None;
        }
        let mut bytes = [0u8; MAX_ID_LEN + 1];
        bytes[..b.len()].copy_from_slice(b);
        Some(NodeId {
            len: b.len() as u8,
            bytes,
        })
    }

    const fn from_static(s: &str) -> NodeId {
        let b = s.as_bytes();
        let mut bytes = [0u8; MAX_ID_LEN + 1];
        let mut i = 0;
        while i < b.len() {
            bytes[i] = b[i];
            i += 1;
        }
        NodeId {
            len: b.len() as u8,
            bytes,
        }
    }

    fn from_static_checked(s: &str) -> NodeId {
        NodeId::parse_canonical(s).expect("a well-formed id")
    }
}

impl PartialOrd for NodeId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NodeId {
    /// As the strings compare: the bytes are zero-padded, and 0 sorts before every character
    /// an id may hold, so a prefix sorts first (`NL` < `NL-B`). No UTF-8 check: version
    /// vectors of a thousand members compare ids all the time.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(&other.bytes)
    }
}

impl FromStr for NodeId {
    type Err = Error;
    /// Case-insensitive, surrounding whitespace ignored (people type these).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(id) = NodeId::parse_canonical(s) {
            return Ok(id);
        }
        let up = s.trim().to_ascii_uppercase();
        NodeId::parse_canonical(&up).ok_or_else(|| Error::UnknownNode {
            field: "node".into(),
            value: s.into(),
        })
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_ids_of_every_shape() {
        for s in [
            "NL",
            "NL-B",
            "VR01",
            "VR25",
            "POL-ON",
            "RWS",
            "WS-HDSR",
            "DEF",
            "ROAZ-ZWN",
            "ABCDEFGHIJKLMNOP",
        ] {
            let id: NodeId = s.parse().unwrap();
            assert_eq!(id.to_string(), s);
            let mut key = Vec::new();
            id.push_key(&mut key);
            key.extend_from_slice(b"rest");
            assert_eq!(NodeId::from_key(&key), Some((id, &b"rest"[..])));
        }
        assert_eq!(NodeId::region(7).unwrap().to_string(), "VR07");
        assert_eq!(NodeId::region(7).unwrap().region_number(), Some(7));
        assert_eq!(NodeId::NL, "NL".parse().unwrap());
    }

    #[test]
    fn keys_sort_like_ids() {
        let mut ids: Vec<NodeId> = ["WS-HDSR", "NL-B", "VR01", "NL", "POL-ON", "VR10", "RWS", "DEF"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut by_key = ids.clone();
        by_key.sort_by_key(|id| {
            let mut k = Vec::new();
            id.push_key(&mut k);
            k
        });
        ids.sort();
        assert_eq!(ids, by_key);
        let mut strings: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        strings.sort();
        assert_eq!(
            ids.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
            strings,
            "ordered like the strings"
        );
        assert_eq!(ids[0].to_string(), "DEF");
        assert_eq!(ids[1], NodeId::NL);
    }

    #[test]
    fn refuses_ill_formed_ids() {
        for bad in [
            "",
            "N",
            "1VR",
            "VR-",
            "NL--B",
            "VR01-7",
            "ABCDEFGHIJKLMNOPQ",
            "NL B",
            "NLé",
            "-NL",
        ] {
            assert!(bad.parse::<NodeId>().is_err(), "{bad}");
        }
        assert_eq!("vr07".parse::<NodeId>().unwrap().to_string(), "VR07");
        assert_eq!(" nl-b ".parse::<NodeId>().unwrap().to_string(), "NL-B");
    }
}
