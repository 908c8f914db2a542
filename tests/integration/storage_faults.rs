//! Damaged bytes in a stopped node's folder: a flipped bit inside a segment file, a segment file
//! cut short, sled's file cut short, a folder restored from a backup. The node must notice at
//! start-up, never serve a damaged entry as genuine, never use a sequence number twice, fetch
//! what it lost back from NL, and end with exactly the log it had. (Damage nobody else can
//! repair: `gaps.rs`.)
use std::path::PathBuf;
use std::time::Duration;

use regiosync_replication::Draft;
use regiosync_testkit::{copy_dir, eventually, eventually_ok, fast_engine, vr, TestFed};
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

pub(crate) const WAIT: Duration = Duration::from_secs(30);
pub(crate) const ENTRIES: u64 = 250;

/// A 2 KiB payload (so it lives in a segment file) that names its entry.
pub(crate) fn payload(i: u64) -> Vec<u8> {
    let mut p = format!("entry-{i:04}|").into_bytes();
    p.resize(2048, b'a' + (i % 26) as u8);
    p
}

pub(crate) fn draft(i: u64) -> Draft {
    Draft {
        kind: "x.test".into(),
        status: Status::Test as i32,
        audience: vec!["VR02".into()],
        payload: payload(i),
        ..Draft::default()
    }
}

pub(crate) fn segment_file(t: &TestFed, node: NodeId) -> PathBuf {
    t.fed.config(node).data_dir.join("db/segments/000001.seg")
}

/// Where entry `i`'s payload starts in the segment file.
pub(crate) fn offset_of(bytes: &[u8], i: u64) -> usize {
    let needle = format!("entry-{i:04}|");
    bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle} not in the segment file"))
}

/// NL, VR01 and VR02 holding VR01's `ENTRIES` entries.
pub(crate) async fn federation() -> TestFed {
    let t = TestFed::start_with(&[vr(1), vr(2)], &[(vr(1), vr(2))], fast_engine()).await;
    let engine = &t.fed.node(vr(1)).engine;
    for i in 1..=ENTRIES {
        engine.publish(draft(i)).await.expect("publish");
    }
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds VR01's log"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) >= ENTRIES
        })
        .await;
    }
    t
}

pub(crate) async fn digest(t: &TestFed, node: NodeId) -> (u64, [u8; 32]) {
    t.fed.node(node).engine.digest(vr(1), None).await.expect("digest")
}

/// Damage VR01's folder with `damage` while NL and VR01 are down; check what VR01 says and
/// does, then let it heal from NL.
async fn damaged_then_healed(damage: impl FnOnce(&mut Vec<u8>), damaged_seqs: &str) {
    let mut t = federation().await;
    let before = digest(&t, vr(1)).await;
    assert_eq!(before, digest(&t, NodeId::NL).await);
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(2)).await;
    t.fed.stop(vr(1)).await;
    let path = segment_file(&t, vr(1));
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    t.fed.restart(vr(1)).await.expect("VR01 starts on a damaged folder");

    // It noticed and says so, but takes writes at once: its cursor is intact, so the next seq
    // is new, and the damaged chunk is a gap, asked for again.
    let engine = t.fed.node(vr(1)).engine.clone();
    let status = engine.status().await.unwrap();
    assert_eq!(status.damaged.len(), 1, "{:?}", status.damaged);
    let q = status.damaged[0];
    assert_eq!(format!("{} {}..={}", q.origin, q.first, q.last), damaged_seqs);
    assert_eq!(status.writes_paused, None);
    let p = engine.publish(draft(ENTRIES + 1)).await.expect("writes go on");
    assert_eq!(p.seq, ENTRIES + 1, "no seq handed out twice");
    // A damaged entry is never served as genuine: asking for it says why it is not there.
    let id = format!("VR01-{}", q.first);
    match engine.get(id.clone()).await {
        Ok(Some(e)) => panic!("{id} served from damaged bytes: {:?}", e.envelope.id),
        Ok(None) => panic!("{id} said not to exist"),
        Err(e) => assert!(e.to_string().contains("damaged"), "{e}"),
    }

    // NL comes back: VR01 fetches the damaged chunk back and holds exactly its log.
    t.fed.restart(NodeId::NL).await.unwrap();
    t.fed.restart(vr(2)).await.unwrap();
    eventually_ok("VR01 healed from NL", WAIT, || {
        let engine = engine.clone();
        async move {
            let s = engine.status().await.map_err(|e| e.to_string())?;
            match (s.damaged.is_empty(), s.missing.is_empty()) {
                (true, true) => Ok(()),
                _ => Err(format!("damaged {:?}, missing {:?}", s.damaged, s.missing)),
            }
        }
    })
    .await;
    let got = engine.get(id.clone()).await.unwrap().expect("healed entry");
    assert_eq!(got.envelope.payload, payload(q.first), "{id} has its original bytes");

    // New writes continue after the highest seq: nothing reused, and everyone gets them.
    for i in 2..=5 {
        let p = engine.publish(draft(ENTRIES + i)).await.expect("publish after healing");
        assert_eq!(p.seq, ENTRIES + i);
    }
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds the new entries"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) >= ENTRIES + 5
        })
        .await;
    }
    let after = digest(&t, vr(1)).await;
    assert_eq!(after.0, ENTRIES + 5);
    assert_eq!(digest(&t, NodeId::NL).await, after);
    assert_eq!(digest(&t, vr(2)).await, after);
    assert_ne!(before, after);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_bit_in_a_segment_is_set_aside_and_fetched_back() {
    damaged_then_healed(
        |bytes| {
            let at = offset_of(bytes, 199) + 700;
            bytes[at] ^= 0x10;
        },
        "VR01 199..=199",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_cut_short_is_set_aside_and_fetched_back() {
    damaged_then_healed(
        |bytes| {
            // Cut inside entry 250's record: the newest record of the file is incomplete.
            let cut = offset_of(bytes, ENTRIES) + 100;
            bytes.truncate(cut);
        },
        "VR01 250..=250",
    )
    .await;
}

/// VR01 comes back with less of its own log than NL holds (`shrink` makes it so while VR01 is
/// stopped): before it takes a write it must have fetched the rest back, so no seq is handed
/// out twice and NL, VR01 and VR02 end with one and the same log.
async fn comes_back_with_less(mut t: TestFed, shrink: impl FnOnce(&TestFed)) {
    let before = digest(&t, NodeId::NL).await;
    assert_eq!(before.0, ENTRIES);
    t.fed.stop(vr(1)).await;
    shrink(&t);
    t.fed.restart(vr(1)).await.expect("VR01 starts");
    let engine = t.fed.node(vr(1)).engine.clone();
    // The first write after the restart waits until VR01 holds its log again, then continues
    // after the highest seq.
    let p = engine
        .publish(draft(ENTRIES + 1))
        .await
        .expect("publish after coming back");
    assert_eq!(p.seq, ENTRIES + 1, "no seq handed out twice");
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds the new entry"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) > ENTRIES
        })
        .await;
    }
    let after = digest(&t, vr(1)).await;
    assert_eq!(after.0, ENTRIES + 1);
    assert_eq!(digest(&t, NodeId::NL).await, after, "NL and VR01 hold one log");
    assert_eq!(digest(&t, vr(2)).await, after, "VR02 too");
    let status = engine.status().await.unwrap();
    assert!(
        status.writes_paused.is_none() && status.damaged.is_empty(),
        "{status:?}"
    );
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_restored_from_an_older_cold_backup_heals_before_it_writes() {
    // A cold backup of VR01's folder after 100 entries; it goes on to 250; the copy is restored.
    let mut t = TestFed::start_with(&[vr(1), vr(2)], &[(vr(1), vr(2))], fast_engine()).await;
    for i in 1..=100 {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    t.fed.stop(vr(1)).await;
    let data = t.fed.config(vr(1)).data_dir.clone();
    let backup = data.with_extension("backup");
    copy_dir(&data, &backup);
    t.fed.restart(vr(1)).await.unwrap();
    for i in 101..=ENTRIES {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds VR01's log"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) >= ENTRIES
        })
        .await;
    }
    comes_back_with_less(t, move |t| {
        let data = t.fed.config(vr(1)).data_dir.clone();
        std::fs::remove_dir_all(&data).unwrap();
        copy_dir(&backup, &data);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tree_that_lost_its_tail_heals_before_it_writes() {
    // sled's own file cut short: sled opens on what is left, with fewer of VR01's entries.
    comes_back_with_less(federation().await, |t| {
        let db = t.fed.config(vr(1)).data_dir.join("db/db");
        let len = std::fs::metadata(&db).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        f.set_len(len * 2 / 3).unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_running_node_restores_and_heals_without_a_fork() {
    use regiosync_node::pb::BackupRequest;
    use regiosync_trust::Identity;
    let mut t = federation().await;
    let mut c = t.person_client(vr(1), Identity::operator(vr(1), "beheer")).await;
    let b = c.backup(BackupRequest {}).await.expect("backup").into_inner();
    assert_eq!(b.held.unwrap().origins["VR01"], ENTRIES);
    let refused = t
        .person_client(vr(1), Identity::operator(vr(2), "ander"))
        .await
        .backup(BackupRequest {})
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::PermissionDenied, "{refused}");
    // VR01 writes on after the backup; then its folder is restored from it.
    for i in ENTRIES + 1..=ENTRIES + 50 {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    eventually("NL holds the later entries", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) >= ENTRIES + 50
    })
    .await;
    t.fed.stop(vr(1)).await;
    let config = t.fed.config(vr(1)).clone();
    let no_replace = regiosync_node::restore::restore(&config, std::path::Path::new(&b.path), false, 0);
    assert!(no_replace.unwrap_err().to_string().contains("--replace"));
    let r = regiosync_node::restore::restore(&config, std::path::Path::new(&b.path), true, 0).expect("restore");
    let first = r.moved_aside.expect("the store that was there is moved aside");
    assert!(first.exists(), "the store that was there is kept");
    // Again in the same second: the second store aside gets a place of its own.
    let again = regiosync_node::restore::restore(&config, std::path::Path::new(&b.path), true, 0)
        .expect("a second restore in the same second");
    let second = again.moved_aside.expect("the first restore's store is moved aside");
    assert_ne!(first, second);
    assert!(first.exists() && second.exists(), "{first:?} {second:?}");
    t.fed.restart(vr(1)).await.unwrap();
    let engine = t.fed.node(vr(1)).engine.clone();
    let p = engine
        .publish(draft(ENTRIES + 51))
        .await
        .expect("publish after the restore");
    assert_eq!(
        p.seq,
        ENTRIES + 51,
        "the writes after the backup came back first: no seq reused"
    );
    for node in [NodeId::NL, vr(2)] {
        eventually(&format!("{node} holds the new entry"), WAIT, || async {
            t.fed.node(node).engine.held(vr(1)) > ENTRIES + 50
        })
        .await;
    }
    let after = digest(&t, vr(1)).await;
    assert_eq!(after.0, ENTRIES + 51);
    assert_eq!(digest(&t, NodeId::NL).await, after);
    assert_eq!(digest(&t, vr(2)).await, after);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fork_stops_writes_loudly_until_an_operator_resolves_it() {
    forks_by_writing_while_nl_is_down(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fork_past_nls_head_is_found_too() {
    // VR01 writes 101..=260 while NL (holding the other 101..=250) is down: VR01 is then ahead
    // of NL, so only comparing the content, not the counts, finds the fork.
    forks_by_writing_while_nl_is_down(160).await;
}

async fn forks_by_writing_while_nl_is_down(writes: u64) {
    // VR01's folder after 100 entries is kept *with its files* (moved, so nothing marks it as a
    // copy); VR01 goes on to 250 on a copy; then the old folder is put back while NL is down,
    // and VR01 writes: seq 101 gets a second body.
    let mut t = TestFed::start_with(&[vr(1), vr(2)], &[(vr(1), vr(2))], fast_engine()).await;
    for i in 1..=100 {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    t.fed.stop(vr(1)).await;
    let data = t.fed.config(vr(1)).data_dir.clone();
    let old = data.with_extension("old");
    std::fs::rename(&data, &old).unwrap();
    copy_dir(&old, &data);
    t.fed.restart(vr(1)).await.unwrap();
    for i in 101..=ENTRIES {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    eventually("NL holds VR01's log", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) >= ENTRIES
    })
    .await;
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(1)).await;
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::rename(&old, &data).unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    for i in 0..writes {
        let p = t
            .fed
            .node(vr(1))
            .engine
            .publish(draft(5000 + i))
            .await
            .expect("a clean store takes writes at once");
        assert_eq!(p.seq, 101 + i);
    }

    // NL is back: the fork is found, said loudly, and writes stop, also after a restart.
    t.fed.restart(NodeId::NL).await.unwrap();
    let engine = t.fed.node(vr(1)).engine.clone();
    eventually("VR01 notices the fork", WAIT, || async {
        engine
            .status()
            .await
            .unwrap()
            .writes_paused
            .is_some_and(|w| w.contains("forked at seq 101"))
    })
    .await;
    let refused = engine.publish(draft(5001)).await.unwrap_err();
    assert!(refused.to_string().contains("forked"), "{refused}");
    // The data-quality question shows it to the region's operator.
    let own = t
        .person_channel(vr(1), regiosync_trust::Identity::operator(vr(1), "beheer"))
        .await;
    let dq = regiosync_node::pb::queries_client::QueriesClient::new(own)
        .data_quality(regiosync_node::pb::DataQualityRequest {})
        .await
        .unwrap()
        .into_inner();
    let row = dq.regions.iter().find(|r| r.region == "VR01").unwrap();
    assert!(row.equivocations >= 1, "{row:?}");
    drop(engine); // the store closes with the last handle
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.unwrap();
    let paused = t.fed.node(vr(1)).engine.status().await.unwrap().writes_paused;
    assert!(
        paused.is_some_and(|w| w.contains("forked")),
        "still stopped after a restart"
    );

    // The operator keeps NL's log: the folder aside, an empty one, VR01 fetches its log back.
    t.fed.stop(vr(1)).await;
    std::fs::rename(&data, data.with_extension("forked")).unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    let engine = t.fed.node(vr(1)).engine.clone();
    // NL's log of VR01 now ends at its own head: 250, or, when VR01 wrote past it before the
    // fork was found, the branch's entries after 250 that reached NL first (they are VR01's and
    // fit after NL's; the branch's 101..=250 stay in the folder moved aside).
    let nl_head = t.fed.node(NodeId::NL).engine.held(vr(1));
    assert!(
        nl_head == ENTRIES || (writes > ENTRIES - 100 && nl_head <= 100 + writes),
        "NL holds {nl_head}"
    );
    let p = engine
        .publish(draft(ENTRIES + 1))
        .await
        .expect("publish on the fetched-back log");
    assert_eq!(p.seq, nl_head + 1);
    let after = digest(&t, vr(1)).await;
    eventually("NL holds the new entry", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) > nl_head
    })
    .await;
    assert_eq!(digest(&t, NodeId::NL).await, after, "one log again");
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nl_sends_a_region_its_own_entries_only_when_it_lacks_them() {
    // NL vouches for VR01's own origin (so VR01 can get back what it lost), but what VR01
    // writes while subscribed must not come back to it.
    let t = federation().await;
    let nl = &t.fed.node(NodeId::NL).engine;
    t.fed.node(vr(1)).engine.publish(draft(ENTRIES + 1)).await.unwrap();
    eventually("NL holds the last entry", WAIT, || async { nl.held(vr(1)) > ENTRIES }).await;
    // VR02 gets the same entry through NL and directly: by then NL's stream to VR01 has had
    // every chance to echo.
    eventually("VR02 holds the last entry", WAIT, || async {
        t.fed.node(vr(2)).engine.held(vr(1)) > ENTRIES
    })
    .await;
    assert_eq!(
        t.fed.node(vr(1)).engine.duplicates_received(),
        0,
        "VR01 was sent its own entries back"
    );
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_damaged_chunks_of_many_entries_both_come_back() {
    // 230 entries one by one, then 231..=240 and 241..=250 as two group commits (a chunk each);
    // the segment is cut inside the first of those: both chunks are damaged.
    let mut t = TestFed::start_with(&[vr(1), vr(2)], &[(vr(1), vr(2))], fast_engine()).await;
    let engine = t.fed.node(vr(1)).engine.clone();
    for i in 1..=230 {
        engine.publish(draft(i)).await.expect("publish");
    }
    for group in [231..=240u64, 241..=ENTRIES] {
        engine
            .publish_many(group.map(draft).collect())
            .await
            .expect("group commit");
    }
    drop(engine);
    eventually("NL holds VR01's log", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) >= ENTRIES
    })
    .await;
    let before = digest(&t, NodeId::NL).await;
    // VR02 (a direct peer) would give VR01 its own chunks back too: stopped, so the damage is
    // still there when it is looked at.
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(2)).await;
    t.fed.stop(vr(1)).await;
    let path = segment_file(&t, vr(1));
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(offset_of(&bytes, 235));
    std::fs::write(&path, &bytes).unwrap();
    t.fed.restart(vr(1)).await.unwrap();
    let damaged: Vec<_> = t.fed.node(vr(1)).engine.status().await.unwrap().damaged;
    let ranges: Vec<_> = damaged.iter().map(|q| (q.first, q.last)).collect();
    assert_eq!(ranges, [(231, 240), (241, 250)]);
    let engine = t.fed.node(vr(1)).engine.clone();
    let p = engine
        .publish(draft(ENTRIES + 1))
        .await
        .expect("publish with both damaged: the cursor is intact");
    assert_eq!(p.seq, ENTRIES + 1);
    t.fed.restart(NodeId::NL).await.unwrap();
    t.fed.restart(vr(2)).await.unwrap();
    eventually("both come back", WAIT, || async {
        engine.status().await.unwrap().damaged.is_empty()
    })
    .await;
    let after = digest(&t, vr(1)).await;
    assert_eq!(after.0, before.0 + 1);
    eventually("NL holds the new entry", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) > ENTRIES
    })
    .await;
    assert_eq!(digest(&t, NodeId::NL).await, after);
    t.shutdown().await;
}
