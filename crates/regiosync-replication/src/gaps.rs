//! Gaps: seqs an origin's cursor has passed that this node does not hold intact.
//!
//! A cursor says "everything of this origin up to here is held or accounted for"; a gap is the
//! accounting. There are two kinds:
//! - **damaged** (`Q` keys, `quarantine.rs`): held once and counted, but the stored value failed
//!   its check; the value is removed and the chunk is written again, without counting it twice,
//!   when a peer sends it.
//! - **missing** (`H` keys): never received. The peer that vouched for these seqs could not send
//!   them (a `Hole` on the stream: damaged or missing there too), or this node's own entries were
//!   written here, lost from the store, and no national node holds them.
//!
//! Neither kind holds a cursor back, so one bad entry never blocks the others, nor the origin's
//! own writes (its cursor, not the entries, decides its next seq). Gaps are served as `Hole`s
//! (never vouched for as held), asked for again in every subscription (`lacks`), and closed by
//! the chunks that fill them or a `Settled` from a peer that holds the seqs intact.
use std::collections::BTreeMap;

use regiosync_store::WriteBatch;
use regiosync_types::NodeId;

use crate::error::Result;
use crate::keys;
use crate::log::Log;
use crate::transport::SeqRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapKind {
    /// LoggedEntry once; its stored value failed its check.
    Damaged,
    /// Never received.
    Missing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub range: SeqRange,
    pub kind: GapKind,
}

/// Missing ranges by (origin, first seq), to last seq.
pub(crate) type MissingMap = BTreeMap<(NodeId, u64), u64>;

impl Log {
    /// Every missing range, by (origin, first).
    pub(crate) fn missing_map(&self) -> Result<MissingMap> {
        let rows = self.kv().scan(&[keys::MISSING], &[keys::MISSING + 1], usize::MAX)?;
        Ok(rows
            .iter()
            .filter_map(|(k, v)| Some((keys::origin_and_seq(k)?, keys::u64_value(v))))
            .collect())
    }

    /// Every missing range, ascending.
    pub fn missing(&self) -> Result<Vec<SeqRange>> {
        Ok(self
            .missing_map()?
            .into_iter()
            .map(|((origin, first), last)| SeqRange { origin, first, last })
            .collect())
    }

    /// Every gap, damaged or missing, by origin and first seq.
    pub fn gaps(&self) -> Result<Vec<Gap>> {
        let mut out: Vec<Gap> = self
            .quarantined()?
            .into_iter()
            .map(|q| Gap {
                range: SeqRange {
                    origin: q.origin,
                    first: q.first,
                    last: q.last,
                },
                kind: GapKind::Damaged,
            })
            .chain(self.missing()?.into_iter().map(|range| Gap {
                range,
                kind: GapKind::Missing,
            }))
            .collect();
        out.sort_by_key(|g| (g.range.origin, g.range.first));
        Ok(out)
    }
}

/// Take `first..=last` of `origin` out of the missing ranges (they are held, or settled, now),
/// recording the change in `batch`. Returns how many seqs were missing there.
pub(crate) fn close(missing: &mut MissingMap, batch: &mut WriteBatch, origin: NodeId, first: u64, last: u64) -> u64 {
    let hit: Vec<(u64, u64)> = missing
        .range((origin, 0)..=(origin, last))
        .filter(|(_, &l)| l >= first)
        .map(|(&(_, f), &l)| (f, l))
        .collect();
    let mut closed = 0;
    for (f, l) in hit {
        missing.remove(&(origin, f));
        batch.delete(keys::missing(origin, f));
        closed += l.min(last) - f.max(first) + 1;
        if f < first {
            missing.insert((origin, f), first - 1);
            batch.put(keys::missing(origin, f), (first - 1).to_be_bytes().to_vec());
        }
        if l > last {
            missing.insert((origin, last + 1), l);
            batch.put(keys::missing(origin, last + 1), l.to_be_bytes().to_vec());
        }
    }
    closed
}

/// The parts of `range` outside every gap in `gaps`.
pub(crate) fn outside(range: SeqRange, gaps: &[Gap]) -> Vec<SeqRange> {
    let mut pieces = Vec::new();
    let mut from = range.first;
    let mut inside: Vec<_> = gaps
        .iter()
        .map(|g| g.range)
        .filter(|g| g.origin == range.origin && g.last >= range.first && g.first <= range.last)
        .collect();
    inside.sort();
    for g in inside {
        if g.first > from {
            pieces.push(SeqRange {
                first: from,
                last: g.first - 1,
                ..range
            });
        }
        from = from.max(g.last.saturating_add(1));
    }
    if from <= range.last {
        pieces.push(SeqRange { first: from, ..range });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vr(n: u8) -> NodeId {
        NodeId::region(n).unwrap()
    }

    #[test]
    fn closing_part_of_a_range_keeps_the_rest() {
        let mut m = MissingMap::new();
        m.insert((vr(1), 10), 20);
        m.insert((vr(2), 10), 20);
        let mut b = WriteBatch::new();
        assert_eq!(close(&mut m, &mut b, vr(1), 12, 14), 3);
        assert_eq!(close(&mut m, &mut b, vr(1), 19, 30), 2);
        let left: Vec<_> = m.iter().map(|(&(o, f), &l)| (o, f, l)).collect();
        assert_eq!(left, [(vr(1), 10, 11), (vr(1), 15, 18), (vr(2), 10, 20)]);
        assert_eq!(close(&mut m, &mut b, vr(1), 1, 100), 6);
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn outside_leaves_out_every_gap() {
        let g = |first, last| Gap {
            range: SeqRange {
                origin: vr(1),
                first,
                last,
            },
            kind: GapKind::Missing,
        };
        let r = SeqRange {
            origin: vr(1),
            first: 1,
            last: 20,
        };
        let pieces: Vec<_> = outside(r, &[g(5, 6), g(10, 12), g(18, 25)])
            .into_iter()
            .map(|p| (p.first, p.last))
            .collect();
        assert_eq!(pieces, [(1, 4), (7, 9), (13, 17)]);
        assert_eq!(outside(r, &[g(1, 20)]), []);
        assert_eq!(outside(r, &[]), [r]);
    }
}
