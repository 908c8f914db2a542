//! Which origins this node's visible cursors moved for, in the order they last moved.
//!
//! A subscription asks what moved since the generation it last looked at, so a pass after an
//! entry arrives touches that entry's origin (and the origins it is still sending), not every
//! origin the node holds. At a national node with a thousand members this is what keeps one
//! record's fan-out linear in the members: without it each of a thousand subscriptions walked a
//! thousand origins per record. Memory is one slot per origin, however often it moves.
use std::collections::{BTreeMap, HashMap};

use regiosync_types::NodeId;

#[derive(Debug, Default)]
pub(crate) struct Moved {
    /// Raised once per origin noted; a generation names the moment after that note.
    generation: u64,
    /// Per origin, the generation it last moved at.
    at: HashMap<NodeId, u64>,
    /// The same, by generation: each origin once, at its latest move.
    order: BTreeMap<u64, NodeId>,
}

impl Moved {
    /// `origins` moved (their visible cursors were raised).
    pub(crate) fn note(&mut self, origins: impl IntoIterator<Item = NodeId>) {
        for origin in origins {
            self.generation += 1;
            if let Some(old) = self.at.insert(origin, self.generation) {
                self.order.remove(&old);
            }
            self.order.insert(self.generation, origin);
        }
    }

    /// The generation now, and every origin that moved after generation `after`.
    pub(crate) fn since(&self, after: u64) -> (u64, Vec<NodeId>) {
        let moved = self.order.range(after.saturating_add(1)..).map(|(_, o)| *o).collect();
        (self.generation, moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> NodeId {
        s.parse().unwrap()
    }

    #[test]
    fn each_origin_once_at_its_latest_move() {
        let (a, b, c) = (id("VR01"), id("VR02"), id("VR03"));
        let mut m = Moved::default();
        let (start, none) = m.since(0);
        assert_eq!((start, none), (0, vec![]));
        m.note([a, b]);
        let (g1, moved) = m.since(start);
        assert_eq!(moved, vec![a, b]);
        m.note([a]);
        m.note([c]);
        let (g2, moved) = m.since(g1);
        assert_eq!(moved, vec![a, c], "b did not move again");
        assert_eq!(m.since(start).1, vec![b, a, c], "a once, at its latest move");
        assert_eq!(m.since(g2), (g2, vec![]));
        assert_eq!(m.order.len(), 3, "one slot per origin");
    }
}
