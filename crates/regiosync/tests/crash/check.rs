//! The end of the crash test: once the three nodes agree on VR01's version vector, every
//! acknowledged record is at every node that may see it exactly once with its exact payload,
//! and no sequence number of VR01 carries two different bodies anywhere.
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::{EntryView, GetRequest, ListRequest, StatusRequest};
use regiosync_testkit::eventually_ok;
use regiosync_types::NodeId;
use tonic::transport::Channel;

use crate::workload::Ledger;

pub type Client = NodeApiClient<Channel>;

/// How long the nodes may take to agree after the last restart.
const CONVERGE_PATIENCE: Duration = Duration::from_secs(60);

/// What the checks looked at.
pub struct Counts {
    /// VR01's highest sequence number, on which all three nodes agree.
    pub head: u64,
    /// Entries of VR01 checked at each node.
    pub checked: BTreeMap<NodeId, usize>,
    /// Attempts VR01 stored although their publish failed (allowed: never acknowledged).
    pub stored_unacked: usize,
}

fn vr(n: u8) -> NodeId {
    NodeId::region(n).unwrap()
}

/// `origin`'s entry in the node's version vector.
/// How far a node holds `origin`, and the seqs of it it lacks (`missing` and `damaged`).
pub async fn held_and_gaps(c: &mut Client, origin: NodeId) -> Result<(u64, Vec<String>), String> {
    let s = c
        .status(StatusRequest {})
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    let head = s
        .held
        .unwrap_or_default()
        .origins
        .get(&origin.to_string())
        .copied()
        .unwrap_or(0);
    let prefix = format!("{origin} ");
    let gaps = s
        .damaged
        .iter()
        .chain(&s.missing)
        .filter(|g| g.starts_with(&prefix))
        .cloned()
        .collect();
    Ok((head, gaps))
}

pub async fn held(c: &mut Client, origin: NodeId) -> Result<u64, String> {
    Ok(held_and_gaps(c, origin).await?.0)
}

/// Poll until every node holds VR01's log up to the same seq with the same gaps (none, or seqs
/// no node holds: a publish cut short by a kill leaves its seqs unused, never given out again);
/// returns the head and those gaps' seqs.
pub async fn converged(clients: &BTreeMap<NodeId, Client>) -> (u64, BTreeSet<u64>) {
    let heads = || {
        let mut clients = clients.clone();
        async move {
            let mut heads = BTreeMap::new();
            for (id, c) in clients.iter_mut() {
                heads.insert(*id, held_and_gaps(c, vr(1)).await?);
            }
            Ok::<_, String>(heads)
        }
    };
    eventually_ok(
        "NL, VR01 and VR02 agree on VR01's log: head and gaps",
        CONVERGE_PATIENCE,
        || async {
            let heads = heads().await?;
            match heads.values().collect::<BTreeSet<_>>().len() {
                1 => Ok(()),
                _ => Err(format!("VR01 seq and gaps per node: {heads:?}")),
            }
        },
    )
    .await;
    let (head, gaps) = heads().await.expect("status after convergence")[&vr(1)].clone();
    let seqs = gaps
        .iter()
        .flat_map(|g| {
            let range = g.rsplit(' ').next().unwrap_or_default();
            let (first, last) = range.split_once("..=").expect("a range like 12..=14");
            first.parse::<u64>().unwrap()..=last.parse::<u64>().unwrap()
        })
        .collect();
    (head, seqs)
}

/// Every entry of `origin` the node holds, in seq order.
pub async fn list_all(c: &mut Client, origin: NodeId) -> Vec<EntryView> {
    let mut out: Vec<EntryView> = Vec::new();
    loop {
        let after_seq = out.last().and_then(|e| e.body.as_ref()).map_or(0, |b| b.seq);
        let page = c
            .list_entries(ListRequest {
                origin: origin.to_string(),
                after_seq,
                limit: 1000,
                ..ListRequest::default()
            })
            .await
            .expect("ListEntries")
            .into_inner()
            .entries;
        let n = page.len();
        out.extend(page);
        if n < 1000 {
            return out;
        }
    }
}

fn attempt_of(payload: &[u8]) -> Option<usize> {
    Some(u64::from_be_bytes(payload.get(..8)?.try_into().ok()?) as usize)
}

fn first_few(seqs: impl Iterator<Item = u64>) -> String {
    let v: Vec<u64> = seqs.take(10).collect();
    format!("{v:?}")
}

/// Check what the nodes hold (`held`: VR01's entries per node, as listed) against the ledger.
/// Returns the counts, or every violation found.
/// `gaps`: seqs of VR01 no node holds (a publish cut short by a kill); none may be acknowledged.
pub fn verify(
    ledger: &Ledger,
    held: &BTreeMap<NodeId, Vec<EntryView>>,
    head: u64,
    gaps: &BTreeSet<u64>,
) -> Result<Counts, Vec<String>> {
    let mut bad = Vec::new();
    // The ledger: VR01 acknowledged each seq and each id once.
    let mut acked_seq = BTreeMap::new();
    let mut acked_id = BTreeSet::new();
    for ack in &ledger.acked {
        if ack.origin != "VR01" {
            bad.push(format!(
                "attempt {} acknowledged with origin {}",
                ack.attempt, ack.origin
            ));
        }
        if let Some(prev) = acked_seq.insert(ack.seq, ack.attempt) {
            bad.push(format!(
                "VR01 acknowledged seq {} twice: attempts {prev} and {}",
                ack.seq, ack.attempt
            ));
        }
        let id_ok = match &ledger.attempts[ack.attempt].id {
            Some(chosen) => ack.id == *chosen,
            None => ack.id == format!("VR01-{}", ack.seq),
        };
        if !id_ok {
            bad.push(format!(
                "attempt {} acknowledged as seq {} with id {}",
                ack.attempt, ack.seq, ack.id
            ));
        }
        if !acked_id.insert(ack.id.clone()) {
            bad.push(format!("VR01 acknowledged id {} twice", ack.id));
        }
    }
    let by_seq: BTreeMap<NodeId, BTreeMap<u64, &EntryView>> = held
        .iter()
        .map(|(id, es)| (*id, es.iter().filter_map(|e| Some((e.body.as_ref()?.seq, e))).collect()))
        .collect();
    let reference = &by_seq[&vr(1)];
    // Each node: seqs in order, once each, each body the one VR01 holds for that seq, each
    // payload exactly one an attempt sent, no attempt twice.
    for (node, entries) in held {
        let mut attempts = BTreeSet::new();
        let mut seqs = Vec::new();
        for e in entries {
            let Some(b) = e.body.as_ref() else {
                bad.push(format!("{node}: an entry without a body"));
                continue;
            };
            if b.origin != "VR01" {
                bad.push(format!("{node}: listing VR01 returned {}'s seq {}", b.origin, b.seq));
            }
            if seqs.last().is_some_and(|last| *last >= b.seq) {
                bad.push(format!("{node}: VR01 seq {} listed out of order or twice", b.seq));
            }
            seqs.push(b.seq);
            match attempt_of(&b.payload) {
                Some(a) if ledger.attempts.get(a).is_some_and(|at| at.payload == b.payload) => {
                    if !attempts.insert(a) {
                        bad.push(format!("{node}: attempt {a} stored twice (again at seq {})", b.seq));
                    }
                }
                _ => bad.push(format!("{node}: VR01 seq {} has a payload no writer sent", b.seq)),
            }
            match reference.get(&b.seq) {
                Some(r) if r.body == e.body && r.key_id == e.key_id => {}
                Some(_) => bad.push(format!(
                    "{node}: VR01 seq {} has another body than VR01's own (seq reused)",
                    b.seq
                )),
                None => bad.push(format!("{node} holds VR01 seq {} that VR01 does not", b.seq)),
            }
        }
        let expected: Vec<u64> = if *node == vr(2) {
            reference
                .iter()
                .filter(|(_, e)| e.body.as_ref().is_some_and(|b| b.audience.iter().any(|a| a == "VR02")))
                .map(|(s, _)| *s)
                .collect()
        } else {
            (1..=head).filter(|s| !gaps.contains(s)).collect()
        };
        let have: BTreeSet<u64> = seqs.iter().copied().collect();
        let want: BTreeSet<u64> = expected.iter().copied().collect();
        if have != want {
            bad.push(format!(
                "{node}: holds {} of VR01's entries, expected {}; missing {}, unexpected {}",
                have.len(),
                want.len(),
                first_few(want.difference(&have).copied()),
                first_few(have.difference(&want).copied())
            ));
        }
    }
    // Every acknowledged record, exactly as acknowledged, at every node that may see it.
    for ack in &ledger.acked {
        let at = &ledger.attempts[ack.attempt];
        for (node, entries) in &by_seq {
            let visible = *node != vr(2) || !at.private;
            match (entries.get(&ack.seq).and_then(|e| e.body.as_ref()), visible) {
                (Some(b), true) if b.id == ack.id && b.payload == at.payload => {}
                (Some(b), true) => bad.push(format!(
                    "{node}: acknowledged VR01 seq {} (attempt {}, id {}) holds id {} and another payload",
                    ack.seq, ack.attempt, ack.id, b.id
                )),
                (None, true) => bad.push(format!(
                    "{node}: acknowledged VR01 seq {} (attempt {}, id {}) is missing",
                    ack.seq, ack.attempt, ack.id
                )),
                (Some(_), false) => bad.push(format!(
                    "{node}: holds VR01 seq {} whose audience does not include it",
                    ack.seq
                )),
                (None, false) => {}
            }
        }
    }
    // A chosen id refused as existing on retry: the failed try was stored, under that id.
    let vr01_attempts: BTreeMap<usize, &EntryView> = held[&vr(1)]
        .iter()
        .filter_map(|e| Some((attempt_of(&e.body.as_ref()?.payload)?, e)))
        .collect();
    for a in &ledger.claimed {
        let id = ledger.attempts[*a].id.as_deref();
        match vr01_attempts.get(a).and_then(|e| e.body.as_ref()) {
            Some(b) if Some(b.id.as_str()) == id => {}
            _ => bad.push(format!(
                "VR01 said {id:?} exists (attempt {a}) but holds no entry of that attempt under it"
            )),
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let acked: BTreeSet<usize> = ledger
        .acked
        .iter()
        .map(|a| a.attempt)
        .chain(ledger.claimed.iter().copied())
        .collect();
    Ok(Counts {
        head,
        checked: held.iter().map(|(id, es)| (*id, es.len())).collect(),
        stored_unacked: vr01_attempts.keys().filter(|a| !acked.contains(a)).count(),
    })
}

/// Chosen ids (acknowledged or claimed) through `GetEntry` at every node that may see them:
/// the id index must lead to the same entry the log holds.
pub async fn verify_ids(
    ledger: &Ledger,
    clients: &BTreeMap<NodeId, Client>,
    held: &BTreeMap<NodeId, Vec<EntryView>>,
) -> Result<usize, Vec<String>> {
    let mut bad = Vec::new();
    let mut checked = 0;
    let reference: BTreeMap<usize, &EntryView> = held[&vr(1)]
        .iter()
        .filter_map(|e| Some((attempt_of(&e.body.as_ref()?.payload)?, e)))
        .collect();
    let chosen = ledger
        .acked
        .iter()
        .map(|a| a.attempt)
        .chain(ledger.claimed.iter().copied());
    for a in chosen {
        let at = &ledger.attempts[a];
        let (Some(id), Some(want)) = (at.id.as_ref(), reference.get(&a)) else {
            continue;
        };
        for (node, c) in clients {
            if *node == vr(2) && at.private {
                continue;
            }
            checked += 1;
            match c.clone().get_entry(GetRequest { id: id.clone() }).await {
                Ok(got) if got.get_ref() == *want => {}
                Ok(got) => bad.push(format!(
                    "{node}: GetEntry {id} returned seq {:?}, the log holds it at seq {:?}",
                    got.get_ref().body.as_ref().map(|b| b.seq),
                    want.body.as_ref().map(|b| b.seq)
                )),
                Err(s) => bad.push(format!("{node}: GetEntry {id}: {s}")),
            }
        }
    }
    if bad.is_empty() {
        Ok(checked)
    } else {
        Err(bad)
    }
}
