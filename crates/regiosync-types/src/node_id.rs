//! Node identities: the national node `NL` and the 25 safety regions `VR01`..`VR25`.
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A federation member. Ordered NL first, then the regions by number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u8);

impl NodeId {
    /// The national node.
    pub const NL: NodeId = NodeId(0);
    /// Length of [`NodeId::key`].
    pub const KEY_LEN: usize = 1;

    /// Region `n` (1..=25).
    pub fn region(n: u8) -> Option<NodeId> {
        (1..=25).contains(&n).then_some(NodeId(n))
    }

    /// NL followed by VR01..VR25.
    pub fn all() -> impl Iterator<Item = NodeId> {
        (0..=25).map(NodeId)
    }

    pub fn regions() -> impl Iterator<Item = NodeId> {
        (1..=25).map(NodeId)
    }

    pub fn is_national(self) -> bool {
        self.0 == 0
    }

    /// Region number, `None` for NL.
    pub fn region_number(self) -> Option<u8> {
        (self.0 != 0).then_some(self.0)
    }

    /// One-byte storage key, ordered like the ids.
    pub fn key(self) -> u8 {
        self.0
    }

    pub fn from_key(b: u8) -> Option<NodeId> {
        (b <= 25).then_some(NodeId(b))
    }

    /// The DNS name in a node's certificate, used to check a peer's identity on connect.
    pub fn dns_name(self) -> String {
        format!("{}.regiosync", self.to_string().to_lowercase())
    }

    /// Parse with a field path for the error message.
    pub fn parse_field(field: &str, value: &str) -> Result<NodeId, Error> {
        value.parse().map_err(|_| Error::UnknownNode {
            field: field.into(),
            value: value.into(),
        })
    }
}

impl NodeId {
    /// Parse only the canonical spelling (`NL`, `VR01`..`VR25`), without allocating.
    pub fn parse_canonical(s: &str) -> Option<NodeId> {
        match s.as_bytes() {
            b"NL" => Some(NodeId::NL),
            [b'V', b'R', d1 @ b'0'..=b'9', d2 @ b'0'..=b'9'] => NodeId::region((d1 - b'0') * 10 + (d2 - b'0')),
            _ => None,
        }
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
        match self.0 {
            0 => f.write_str("NL"),
            n => write!(f, "VR{n:02}"),
        }
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
    fn round_trips_every_identity() {
        for id in NodeId::all() {
            assert_eq!(id.to_string().parse::<NodeId>().unwrap(), id);
            assert_eq!(NodeId::from_key(id.key()), Some(id));
        }
        assert_eq!(NodeId::all().count(), 26);
    }

    #[test]
    fn refuses_unknown_identities() {
        for bad in ["VR00", "VR26", "VR1", "vr001", "XX", "", "NLD"] {
            assert!(bad.parse::<NodeId>().is_err(), "{bad}");
        }
        assert_eq!("vr07".parse::<NodeId>().unwrap().to_string(), "VR07");
    }
}
