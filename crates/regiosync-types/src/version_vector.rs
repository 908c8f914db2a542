//! Version vectors: per origin, the highest sequence number up to which a node holds every
//! entry it may see. Exchanging two of these is all an idle anti-entropy round costs.
use std::collections::BTreeMap;

use crate::node_id::NodeId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionVector(BTreeMap<NodeId, u64>);

impl VersionVector {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, origin: NodeId) -> u64 {
        self.0.get(&origin).copied().unwrap_or(0)
    }

    /// Set `origin` to `seq`, lower or higher.
    pub fn set(&mut self, origin: NodeId, seq: u64) {
        self.0.insert(origin, seq);
    }

    /// Raise `origin` to `seq` if that is higher; returns whether it changed.
    pub fn advance(&mut self, origin: NodeId, seq: u64) -> bool {
        let slot = self.0.entry(origin).or_insert(0);
        if seq > *slot {
            *slot = seq;
            true
        } else {
            false
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (NodeId, u64)> + '_ {
        self.0.iter().map(|(k, v)| (*k, *v)).filter(|(_, v)| *v > 0)
    }

    /// Per origin, how far `self` is behind `other` (only origins where it is behind).
    pub fn behind(&self, other: &VersionVector) -> BTreeMap<NodeId, u64> {
        other
            .iter()
            .filter_map(|(o, theirs)| {
                let ours = self.get(o);
                (theirs > ours).then(|| (o, theirs - ours))
            })
            .collect()
    }

    /// SHA-256 of the vector's entries in origin order (each the origin's name, a 0 byte and
    /// the seq as 8 bytes big-endian; origins at 0 left out, as everywhere): equal vectors have
    /// equal digests. An idle anti-entropy round sends this instead of the vector.
    pub fn digest(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (origin, seq) in self.iter() {
            h.update(origin.as_str().as_bytes());
            h.update([0]);
            h.update(seq.to_be_bytes());
        }
        h.finalize().into()
    }

    /// Sum of all sequence numbers: a cheap "how much" for status lines.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

impl FromIterator<(NodeId, u64)> for VersionVector {
    /// The highest seq given per origin. Sorted first and built in one go: a national node
    /// derives a thousand-origin vector for every subscription pass and digest round.
    fn from_iter<T: IntoIterator<Item = (NodeId, u64)>>(iter: T) -> Self {
        let mut pairs: Vec<(NodeId, u64)> = iter.into_iter().collect();
        pairs.sort_unstable();
        // Of equal origins the map keeps the last, which after the sort is the highest seq.
        VersionVector(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collecting_keeps_the_highest_seq_of_each_origin() {
        let (a, b) = (NodeId::region(1).unwrap(), NodeId::NL);
        let vv: VersionVector = [(a, 5), (b, 2), (a, 9), (a, 3), (b, 0)].into_iter().collect();
        assert_eq!(vv.get(a), 9);
        assert_eq!(vv.get(b), 2);
        let mut by_advance = VersionVector::new();
        for (o, s) in [(a, 5), (b, 2), (a, 9), (a, 3), (b, 0)] {
            by_advance.advance(o, s);
        }
        assert_eq!(vv, by_advance);
    }

    #[test]
    fn equal_vectors_have_equal_digests_and_any_change_changes_it() {
        let v1 = NodeId::region(1).unwrap();
        let a: VersionVector = [(NodeId::NL, 5), (v1, 9)].into_iter().collect();
        let mut b: VersionVector = [(v1, 9), (NodeId::NL, 5)].into_iter().collect();
        assert_eq!(a.digest(), b.digest());
        b.set(NodeId::region(2).unwrap(), 0);
        assert_eq!(a.digest(), b.digest(), "an origin at 0 is no entry");
        b.advance(v1, 10);
        assert_ne!(a.digest(), b.digest());
        assert_ne!(VersionVector::new().digest(), a.digest());
    }

    #[test]
    fn behind_lists_only_lagging_origins() {
        let v1 = NodeId::region(1).unwrap();
        let mine: VersionVector = [(NodeId::NL, 5), (v1, 9)].into_iter().collect();
        let theirs: VersionVector = [(NodeId::NL, 7), (v1, 3)].into_iter().collect();
        assert_eq!(
            mine.behind(&theirs).into_iter().collect::<Vec<_>>(),
            vec![(NodeId::NL, 2)]
        );
    }

    #[test]
    fn advance_never_goes_back() {
        let mut vv = VersionVector::new();
        assert!(vv.advance(NodeId::NL, 4));
        assert!(!vv.advance(NodeId::NL, 2));
        assert_eq!(vv.get(NodeId::NL), 4);
    }
}
