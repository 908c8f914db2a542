//! Conversions between the engine's types and the generated protobuf messages.
use std::collections::HashMap;

use regiosync_replication::{NodeStatus, SeqRange, StoredEntry, SyncItem};
use regiosync_types::{NodeId, VersionVector};

use crate::pb;

pub fn vv_to_pb(vv: &VersionVector) -> pb::VersionVector {
    pb::VersionVector {
        origins: vv
            .iter()
            .map(|(o, s)| pb::OriginSeq {
                origin: o.to_string(),
                seq: s,
            })
            .collect(),
    }
}

/// Unknown origins are an error naming the position.
pub fn vv_from_pb(vv: Option<pb::VersionVector>, field: &str) -> Result<VersionVector, tonic::Status> {
    let mut out = VersionVector::new();
    for (i, os) in vv.unwrap_or_default().origins.into_iter().enumerate() {
        let o = NodeId::parse_field(&format!("{field}.origins[{i}].origin"), &os.origin)
            .map_err(|e| tonic::Status::invalid_argument(e.to_string()))?;
        out.advance(o, os.seq);
    }
    Ok(out)
}

pub fn item_to_pb(item: SyncItem) -> pb::SyncMessage {
    use pb::sync_message::Msg;
    let msg = match item {
        SyncItem::Certificate(der) => Msg::Certificate(pb::Certificate { der }),
        SyncItem::Batch(chunks) => Msg::Batch(pb::EntryBatch { chunks }),
        SyncItem::Watermark(o, seq, seal) => Msg::Watermark(pb::Watermark {
            origin: o.to_string(),
            seq,
            seal: Some(seal),
        }),
        SyncItem::Hole(r, seal) => Msg::Hole(pb::Hole {
            origin: r.origin.to_string(),
            first: r.first,
            last: r.last,
            seal: Some(seal),
        }),
        SyncItem::Settled(r) => Msg::Settled(range_to_pb(r)),
    };
    pb::SyncMessage { msg: Some(msg) }
}

/// A subscription as sent: what the caller holds and which seqs below that it lacks.
pub fn subscribe_to_pb(have: &VersionVector, lacks: Vec<SeqRange>) -> pb::SubscribeRequest {
    pb::SubscribeRequest {
        have: Some(vv_to_pb(have)),
        lacks: lacks.into_iter().map(range_to_pb).collect(),
    }
}

/// A subscription as received, checked.
pub fn subscribe_from_pb(req: pb::SubscribeRequest) -> Result<(VersionVector, Vec<SeqRange>), tonic::Status> {
    Ok((vv_from_pb(req.have, "have")?, lacks_from_pb(req.lacks)?))
}

pub fn range_to_pb(r: SeqRange) -> pb::SeqRange {
    pb::SeqRange {
        origin: r.origin.to_string(),
        first: r.first,
        last: r.last,
    }
}

/// A range of seqs as sent: a known origin, `1 <= first <= last`.
pub fn range_from_pb(r: pb::SeqRange, field: &str) -> Result<SeqRange, String> {
    let origin = r.origin.parse::<NodeId>().map_err(|e| format!("{field}.origin: {e}"))?;
    if r.first == 0 || r.first > r.last {
        return Err(format!("{field}: {}..={} is not a range of seqs", r.first, r.last));
    }
    Ok(SeqRange {
        origin,
        first: r.first,
        last: r.last,
    })
}

/// Most ranges a subscriber may say it lacks.
pub const MAX_LACKS: usize = 100_000;

pub fn lacks_from_pb(lacks: Vec<pb::SeqRange>) -> Result<Vec<SeqRange>, tonic::Status> {
    if lacks.len() > MAX_LACKS {
        return Err(tonic::Status::invalid_argument(format!(
            "lacks: {} ranges, at most {MAX_LACKS}",
            lacks.len()
        )));
    }
    lacks
        .into_iter()
        .enumerate()
        .map(|(i, r)| range_from_pb(r, &format!("lacks[{i}]")).map_err(tonic::Status::invalid_argument))
        .collect()
}

pub fn item_from_pb(m: pb::SyncMessage) -> Result<SyncItem, String> {
    use pb::sync_message::Msg;
    match m.msg {
        Some(Msg::Certificate(c)) => Ok(SyncItem::Certificate(c.der)),
        Some(Msg::Batch(b)) => Ok(SyncItem::Batch(b.chunks)),
        Some(Msg::Watermark(w)) => {
            let o = w.origin.parse::<NodeId>().map_err(|e| format!("watermark: {e}"))?;
            let seal = w
                .seal
                .ok_or("watermark.seal: missing (the origin's seal is required)")?;
            Ok(SyncItem::Watermark(o, w.seq, seal))
        }
        Some(Msg::Hole(h)) => {
            let seal = h.seal.ok_or("hole.seal: missing (the origin's seal is required)")?;
            let range = pb::SeqRange {
                origin: h.origin,
                first: h.first,
                last: h.last,
            };
            range_from_pb(range, "hole").map(|r| SyncItem::Hole(r, seal))
        }
        Some(Msg::Settled(r)) => range_from_pb(r, "settled").map(SyncItem::Settled),
        None => Err("sync message without content".into()),
    }
}

pub fn entry_view(e: StoredEntry) -> pb::EntryView {
    pb::EntryView {
        body: Some(e.envelope.to_body()),
        key_id: e.key_id,
        size_bytes: e.size_bytes as u32,
    }
}

pub fn status_to_pb(s: NodeStatus) -> pb::StatusResponse {
    let map = |vv: &VersionVector| -> HashMap<String, u64> { vv.iter().map(|(o, s)| (o.to_string(), s)).collect() };
    pb::StatusResponse {
        node: s.node.to_string(),
        held: Some(pb::VersionVectorView { origins: map(&s.held) }),
        entries_held: s.entries_held,
        entries_rejected: s.entries_rejected,
        writes_paused: s.writes_paused.unwrap_or_default(),
        damaged: s
            .damaged
            .iter()
            .map(|q| format!("{} {}..={}", q.origin, q.first, q.last))
            .collect(),
        missing: s.missing.iter().map(|r| r.to_string()).collect(),
        peers: s
            .peers
            .into_iter()
            .map(|p| pb::PeerStatus {
                peer: p.peer.map(|n| n.to_string()).unwrap_or_default(),
                address: p.address,
                connected: p.connected,
                last_error: p.last_error.unwrap_or_default(),
                behind: p.behind.into_iter().map(|(o, n)| (o.to_string(), n)).collect(),
                last_contact_unix_ms: p.last_contact_unix_ms,
            })
            .collect(),
    }
}
