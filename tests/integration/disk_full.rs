//! A full disk under a running node: VR01's data folder on a small loop-mounted ext4 filesystem,
//! filled up by another file. Writes are refused with `ResourceExhausted: disk full at <path>`
//! and change nothing, reads go on, writing resumes by itself once space is freed, and every
//! acknowledged entry reads back with its exact bytes, at VR01 (also after a restart) and at NL.
//! Needs root and loop devices; where the machine cannot mount one the test says so and skips.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::{GetRequest, PublishRequest};
use regiosync_testkit::{copy_dir, eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb;
use regiosync_types::NodeId;
use tonic::transport::Channel;
use tonic::Code;

const WAIT: Duration = Duration::from_secs(30);

/// A small ext4 filesystem mounted at a folder, unmounted and removed when dropped.
struct LoopMount {
    image: PathBuf,
    at: PathBuf,
}

impl LoopMount {
    /// Mount a fresh `mib` MiB ext4 image at `at`, or say why it cannot be done here.
    fn new(image: &Path, at: &Path, mib: u64) -> Result<LoopMount, String> {
        let run = |cmd: &mut Command| -> Result<(), String> {
            let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr).trim()))
            }
        };
        let file = std::fs::File::create(image).map_err(|e| e.to_string())?;
        file.set_len(mib << 20).map_err(|e| e.to_string())?;
        run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(image))?;
        std::fs::create_dir_all(at).map_err(|e| e.to_string())?;
        run(Command::new("mount").args(["-o", "loop"]).arg(image).arg(at))?;
        Ok(LoopMount {
            image: image.to_path_buf(),
            at: at.to_path_buf(),
        })
    }
}

impl Drop for LoopMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
        let _ = std::fs::remove_file(&self.image);
    }
}

/// Fill the filesystem under `dir` until it refuses another byte.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0x5a_u8; 1 << 20];
    while f.write_all(&block).is_ok() {}
    let mut small = vec![0x5a_u8; 4096];
    while f.write_all(&small).is_ok() {}
    small.truncate(1);
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

fn request(i: u64) -> PublishRequest {
    // 3 KiB: kept in a segment file, where the failed write of the finding left its bytes.
    let mut payload = format!("vol-{i:03}|").into_bytes();
    payload.resize(3072, b'0' + (i % 10) as u8);
    PublishRequest {
        kind: "x.test".into(),
        status: pb::Status::Test as i32,
        payload,
        ..Default::default()
    }
}

async fn get(c: &mut NodeApiClient<Channel>, id: &str) -> Vec<u8> {
    let e = c
        .get_entry(GetRequest { id: id.into() })
        .await
        .unwrap_or_else(|e| panic!("{id} must read back: {e}"))
        .into_inner();
    e.body.expect("entry body").payload
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_keeps_reads_and_loses_nothing() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    let data = t.fed.config(vr(1)).data_dir.clone();
    t.fed.stop(vr(1)).await;
    let aside = data.with_extension("before-mount");
    std::fs::rename(&data, &aside).unwrap();
    let mount = match LoopMount::new(&data.with_extension("img"), &data, 48) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("SKIPPED: this machine cannot mount a small filesystem for the disk-full test ({why})");
            std::fs::rename(&aside, &data).ok();
            return;
        }
    };
    copy_dir(&aside, &data);
    t.fed.restart(vr(1)).await.expect("VR01 on the small filesystem");
    let operator = Identity::operator(vr(1), "a");
    let mut c = t.person_client(vr(1), operator.clone()).await;

    // Acknowledged before the disk fills.
    let mut acknowledged: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..20 {
        let r = request(i);
        let id = c.publish(r.clone()).await.expect("publish").into_inner().id;
        acknowledged.push((id, r.payload));
    }

    // Another file takes every byte left: writes are refused and change nothing.
    let filler = fill(mount.at.as_path());
    let held = t.fed.node(vr(1)).engine.held(vr(1));
    for i in 20..23 {
        let e = c.publish(request(i)).await.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e}");
        assert!(e.message().starts_with("disk full at "), "{}", e.message());
    }
    assert_eq!(
        t.fed.node(vr(1)).engine.held(vr(1)),
        held,
        "a refused write takes no seq"
    );
    // Reads go on.
    for (id, payload) in &acknowledged {
        assert_eq!(&get(&mut c, id).await, payload);
    }

    // Space is freed: writes resume by themselves.
    std::fs::remove_file(&filler).unwrap();
    for i in 23..26 {
        let r = request(i);
        let p = c
            .publish(r.clone())
            .await
            .expect("publish after space was freed")
            .into_inner();
        assert_eq!(p.seq, held + (i - 22), "seqs continue without a gap");
        acknowledged.push((p.id, r.payload));
    }
    for (id, payload) in &acknowledged {
        assert_eq!(&get(&mut c, id).await, payload, "{id} at VR01");
    }
    let total = acknowledged.len() as u64;
    eventually("NL holds every acknowledged entry", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) >= total
    })
    .await;
    let mut nl = t.person_client(NodeId::NL, Identity::coordinator("c")).await;
    for (id, payload) in &acknowledged {
        assert_eq!(&get(&mut nl, id).await, payload, "{id} at NL");
    }

    // And after a restart on the same filesystem.
    t.fed.stop(vr(1)).await;
    t.fed.restart(vr(1)).await.expect("restart");
    let mut c = t.person_client(vr(1), operator).await;
    for (id, payload) in &acknowledged {
        assert_eq!(&get(&mut c, id).await, payload, "{id} after a restart");
    }
    let p = c
        .publish(request(99))
        .await
        .expect("publish after restart")
        .into_inner();
    assert_eq!(p.seq, total + 1);
    t.shutdown().await;
    drop(mount);
}
