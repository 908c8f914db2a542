//! The audience index as each kind of node keeps it: a region keeps rows for its own chunks
//! only, a national node for every chunk, and a node made national writes the rows it skipped
//! before it serves anyone.
use std::path::Path;
use std::sync::Arc;

use regiosync_store::{KvStore, SledStore};
use regiosync_trust::DevCa;
use regiosync_types::federation::{Member, MemberKind};
use regiosync_types::{Federation, NodeId};

use crate::audience_index::{Index, META_AUDIENCE_OWN};
use crate::keys;
use crate::log::Log;
use crate::log_tests::{chunk, signer, vr};

fn nl_b() -> NodeId {
    "NL-B".parse().unwrap()
}

/// The shipped federation with NL-B as a member of `kind`.
fn federation(kind: MemberKind) -> Federation {
    Federation::shipped()
        .with(vec![Member {
            id: nl_b(),
            kind,
            name: "NL-B".into(),
            neighbours: vec![],
            issuers: vec![],
        }])
        .unwrap()
}

fn open(dir: &Path, members: Federation, me: NodeId) -> (Arc<SledStore>, Log) {
    let kv = Arc::new(SledStore::open(dir, 1 << 20).unwrap());
    let index = Index::of(me, &members);
    let log = Log::new(kv.clone(), Arc::new(crate::Opaque), members).with_index(index);
    (kv, log)
}

/// The audience rows of `origin`'s chunks, as (peer, first seq).
fn rows(kv: &SledStore, origin: NodeId) -> Vec<(NodeId, u64)> {
    kv.keys(&[keys::AUDIENCE], &[keys::AUDIENCE + 1], usize::MAX)
        .unwrap()
        .into_iter()
        .filter_map(|k| {
            let (peer, o) = keys::two_ids(&k)?;
            (o == origin).then(|| (peer, keys::seq_from_tail(&k).unwrap()))
        })
        .collect()
}

#[test]
fn a_region_keeps_audience_rows_for_its_own_chunks_only() {
    let ca = DevCa::generate("index CA").unwrap();
    let vr1 = signer(&ca, vr(1));
    let dir = tempfile::tempdir().unwrap();
    let (kv, log) = open(dir.path(), Federation::shipped(), vr(2));
    // VR01's chunk names VR02 in the audience of its even entries; a region never serves
    // another origin's chunks to a region, so no row is kept for it.
    log.apply(vec![chunk(&vr1, 1, 4, "a")], &[], Some(vr(1))).unwrap();
    assert_eq!(rows(&kv, vr(1)), vec![], "rows kept for another origin's chunk");
    assert_eq!(kv.get(META_AUDIENCE_OWN).unwrap(), Some(b"VR02".to_vec()));
    assert_eq!(log.version_vector().unwrap().get(vr(1)), 4);
    drop((kv, log));

    // Its own chunks it serves to its neighbours: their rows are kept, and found.
    let dir = tempfile::tempdir().unwrap();
    let (kv, log) = open(dir.path(), Federation::shipped(), vr(1));
    log.apply(vec![chunk(&vr1, 1, 4, "a")], &[], None).unwrap();
    assert_eq!(rows(&kv, vr(1)), vec![(vr(2), 1)]);
    let served = log.chunks_for(vr(2), vr(1), 0, u64::MAX, 100, usize::MAX).unwrap();
    assert_eq!(served.len(), 1);
}

#[test]
fn a_node_made_national_indexes_every_chunk_it_holds_before_serving() {
    let ca = DevCa::generate("index CA").unwrap();
    let vr1 = signer(&ca, vr(1));
    let dir = tempfile::tempdir().unwrap();
    {
        let (kv, log) = open(dir.path(), federation(MemberKind::Partner), nl_b());
        for i in 0..70u64 {
            log.apply(vec![chunk(&vr1, i * 4 + 1, i * 4 + 4, "a")], &[], Some(vr(1)))
                .unwrap();
        }
        assert_eq!(rows(&kv, vr(1)), vec![]);
        log.flush().unwrap();
    }
    // The federation file now says NL-B is national: it serves every origin to every member.
    let (kv, log) = open(dir.path(), federation(MemberKind::National), nl_b());
    assert_eq!(
        log.prepare_index().unwrap(),
        70,
        "every held chunk (more than one page) indexed"
    );
    assert_eq!(kv.get(META_AUDIENCE_OWN).unwrap(), None, "the mark dropped once done");
    assert_eq!(rows(&kv, vr(1)).len(), 70);
    let served = log.chunks_for(vr(2), vr(1), 0, u64::MAX, 1000, usize::MAX).unwrap();
    assert_eq!(served.len(), 70);
    assert_eq!(log.prepare_index().unwrap(), 0, "nothing to do on the next open");
}
