//! Interoperability with Google's gRPC stack, the one third-party tools are most likely built
//! on: every proto file compiles with Google's protoc (grpcio-tools' `grpc_tools.protoc`, not
//! only protox), and Python's grpcio (BoringSSL, ALPN h2, its own TLS 1.3) calls
//! `NodeApi.Status` on a real `regiosync node` with nothing but the files `regiosync pki init`
//! writes. Needs `python3` with `grpcio` and `grpcio-tools` (`tests/run.sh` installs them);
//! without them these tests fail, saying so.
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use regiosync_testkit::vr;

use crate::nodes::Nodes;

/// The repository's `proto` folder (protoc's include path).
const PROTO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../proto");
/// The grpcio client, kept beside this file.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/crash/grpcio_status.py");
/// How long protoc or the grpcio client may take (the client's own call deadline is 20 s).
const PYTHON_PATIENCE: Duration = Duration::from_secs(60);

/// Panic (not skip) when python3, grpcio or grpcio-tools is missing.
fn require_grpcio() {
    let out = Command::new("python3")
        .args(["-c", "import grpc, grpc_tools"])
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 not found ({e}): the interop tests need python3 with grpcio and grpcio-tools (tests/run.sh installs them)")
        });
    assert!(
        out.status.success(),
        "python3 cannot import grpc and grpc_tools: the interop tests need grpcio and grpcio-tools \
         (tests/run.sh installs them: python3 -m pip install grpcio grpcio-tools):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run `cmd` to its end, polling every 20 ms; killed and a panic after [`PYTHON_PATIENCE`].
fn run(what: &str, mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + PYTHON_PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on python3") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let err = stderr.join().unwrap();
            panic!(
                "{what}: still running after {PYTHON_PATIENCE:?}, killed:\n{}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// `python3 -m grpc_tools.protoc -I. --python_out=out --grpc_python_out=out files...`, run in
/// the `proto` folder (`files` relative to it, e.g. `regiosync/v1/node.proto`).
fn protoc(out: &Path, files: &[String]) -> Output {
    let mut cmd = Command::new("python3");
    cmd.current_dir(PROTO)
        .args(["-m", "grpc_tools.protoc", "-I."])
        .arg(format!("--python_out={}", out.display()))
        .arg(format!("--grpc_python_out={}", out.display()))
        .args(files);
    run("python3 -m grpc_tools.protoc", cmd)
}

/// Every `proto/regiosync/v1/*.proto`, relative to `proto`, sorted.
fn proto_files() -> Vec<String> {
    let dir = Path::new(PROTO).join("regiosync/v1");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".proto"))
        .map(|name| format!("regiosync/v1/{name}"))
        .collect();
    files.sort();
    files
}

fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[test]
fn every_proto_file_compiles_with_googles_protoc() {
    require_grpcio();
    let files = proto_files();
    assert!(files.len() >= 8, "only {files:?} in {PROTO}/regiosync/v1");
    let out_dir = tempfile::tempdir().unwrap();
    let out = protoc(out_dir.path(), &files);
    assert!(
        out.status.success(),
        "Google's protoc refuses the protos (protox is more lenient):\n{}",
        text(&out.stderr)
    );
    for file in &files {
        let stem = file.strip_suffix(".proto").unwrap();
        for generated in [format!("{stem}_pb2.py"), format!("{stem}_pb2_grpc.py")] {
            let path: PathBuf = out_dir.path().join(&generated);
            assert!(path.is_file(), "protoc wrote no {generated}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpcio_reads_status_from_a_real_node_with_the_pki_init_files() {
    require_grpcio();
    // Declared before the nodes, so the node is killed before its folder is removed.
    let dir = tempfile::tempdir().unwrap();
    let nodes = Nodes::start_with(dir.path(), &[vr(1)], &[]).await;

    let stubs = dir.path().join("stubs");
    std::fs::create_dir(&stubs).unwrap();
    let out = protoc(
        &stubs,
        &["regiosync/v1/node.proto".into(), "regiosync/v1/entry.proto".into()],
    );
    assert!(out.status.success(), "protoc: {}", text(&out.stderr));

    // Any federation certificate may read Status; a region's operator at its own node is the
    // usual caller. The node certificate names `vr01.regiosync` (and localhost, 127.0.0.1):
    // grpcio checks the name it is told to expect.
    let url = nodes.url(vr(1));
    let target = url.strip_prefix("https://").unwrap();
    let pki = nodes.pki();
    let mut cmd = Command::new("python3");
    cmd.arg(SCRIPT)
        .arg(&stubs)
        .arg(target)
        .arg(vr(1).dns_name())
        .arg(pki.join("ca.pem"))
        .arg(pki.join("people/operator-vr01.pem"))
        .arg(pki.join("people/operator-vr01.key"));
    let out = run("grpcio_status.py", cmd);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "grpcio could not call NodeApi.Status ({}):\n{stderr}{stdout}\n--- VR01's log ---\n{}",
        out.status,
        nodes.log_tail(vr(1), 20)
    );
    let want = format!("node: {}", vr(1));
    assert!(
        stdout.lines().any(|l| l == want),
        "no {want:?} in what grpcio printed:\n{stdout}"
    );
    println!("interop: grpcio read VR01's status:\n{stdout}");
}
