//! The `regiosync` binary as a Linux daemon, as separate processes: `--version` names the
//! commit, `node --check` lists every problem of a configuration (file, key, line) and what its
//! peers would refuse, configuration errors name key and line at start too, log lines carry no
//! colour codes unless stderr is a terminal and come as JSON with `--log-format json`, a
//! `RUST_LOG` that does not parse is an error, and the man page is generated from the command
//! line.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_regiosync");

/// The CA name `regiosync pki init` gives its CA (the issuer name of its CRLs).
const DEV_CA_NAME: &str = "regiosync dev federation CA";

/// `regiosync` with `args` in `dir`, with none of the environment that changes its logs, its
/// messages in English (`REGIOSYNC_LANG=en`; Dutch is the default).
fn regiosync(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env_remove("REGIOSYNC_LOG_FORMAT")
        .env("REGIOSYNC_LANG", "en");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("running regiosync")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh dev PKI in `dir/<name>`.
fn pki(dir: &Path, name: &str) {
    let out = regiosync(dir, &["pki", "init", "--out", name], &[]);
    assert!(out.status.success(), "pki init: {}", text(&out.stderr));
}

/// A configuration for VR01 over the dev PKI in `dir/pki`, with `edit` applied to it.
fn config(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> (PathBuf, String) {
    let toml = edit(
        "version = 1\nnode = \"VR01\"\nlisten = \"127.0.0.1:0\"\ndata_dir = \"data/vr01\"\n\n\
         [tls]\nca = \"pki/ca.pem\"\ncert = \"pki/nodes/vr01.pem\"\nkey = \"pki/nodes/vr01.key\"\n\
         crl = \"pki/crl.pem\"\n\n[storage]\ncache_mib = 8\n"
            .to_string(),
    );
    let path = dir.join(name);
    std::fs::write(&path, &toml).expect("writing a config");
    (path, toml)
}

/// The line (from 1) of the first line of `toml` that starts with `start`.
fn line_of(toml: &str, start: &str) -> usize {
    toml.lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{toml}"))
        + 1
}

fn check(dir: &Path, config: &Path) -> Output {
    regiosync(dir, &["node", "--check", "--config", config.to_str().unwrap()], &[])
}

/// It printed only `regiosync 0.1.0`.
#[test]
fn version_names_the_commit() {
    let out = regiosync(Path::new("."), &["--version"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let version = text(&out.stdout);
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| text(&o.stdout).trim().to_string());
    let commit = head.unwrap_or_else(|| std::env::var("REGIOSYNC_COMMIT").unwrap_or_else(|_| "unknown".into()));
    let want = format!("regiosync {} (commit {commit}", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&want), "{version:?} does not start with {want:?}");
}

#[test]
fn check_passes_a_good_configuration_and_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    pki(dir.path(), "pki");
    let (path, _) = config(dir.path(), "vr01.toml", |t| t);
    let out = check(dir.path(), &path);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}{}", stdout, text(&out.stderr));
    for want in [
        "node VR01 of a federation of 26 members",
        "the certificate of VR01 matches its key, is valid now, chains to the CA",
        "1 CRLs, each issued and signed by a configured CA and current",
        "the data folder is writable",
        "no problems found",
    ] {
        assert!(stdout.contains(want), "{want:?} not in\n{stdout}");
    }
    // The data folder was looked at, not made, and nothing was left behind.
    assert!(!dir.path().join("data").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".regiosync-check"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `node --check` was refused ("unexpected argument"); now it lists every problem at once,
/// each as `file:line:column: key: what`.
#[test]
fn check_lists_every_problem_with_file_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    pki(dir.path(), "pki");
    std::fs::write(dir.path().join("not-a-folder"), "").unwrap();
    let (path, toml) = config(dir.path(), "bad.toml", |t| {
        t.replace("127.0.0.1:0", "anywhere")
            .replace("pki/nodes/vr01.pem", "pki/nodes/missing.pem")
            .replace("data/vr01", "not-a-folder/vr01")
            + "\n[[peers]]\nid = \"NL\"\naddress = \"http://127.0.0.1:7100\"\n"
    });
    let out = check(dir.path(), &path);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let file = path.display().to_string();
    for (start, key, what) in [
        ("listen", "listen", "'anywhere': invalid socket address syntax"),
        ("cert", "tls.cert", "missing.pem: No such file or directory"),
        ("data_dir", "data_dir", "not-a-folder: not a folder"),
        ("address", "peers[0].address", "must start with https://"),
    ] {
        let want = format!("{file}:{}:", line_of(&toml, start));
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&want) && l.contains(&format!(": {key}: ")))
            .unwrap_or_else(|| panic!("no problem {want}…: {key}: in\n{stderr}"));
        assert!(line.contains(what), "{line:?} does not say {what:?}");
    }
    assert!(stderr.contains("4 problems found"), "{stderr}");
}

/// A value of the wrong type named neither key nor line (`invalid type: string "16", expected
/// u64`), at start and in the check alike.
#[test]
fn a_type_error_names_the_key_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (path, toml) = config(dir.path(), "typo.toml", |t| {
        t.replace("cache_mib = 8", "cache_mib = \"16\"")
    });
    let want = format!(
        "{}:{}:13: storage.cache_mib: invalid type: string \"16\", expected u64",
        path.display(),
        line_of(&toml, "cache_mib")
    );
    for args in [&["node", "--config"][..], &["node", "--check", "--config"][..]] {
        let mut args = args.to_vec();
        args.push(path.to_str().unwrap());
        let out = regiosync(dir.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&want), "{args:?}: {want:?} not in\n{stderr}");
    }
}

/// What the node's peers would refuse: a key that is not the certificate's, a certificate of
/// another node, one from another CA, a revoked one; and CRLs that are stale or of another CA.
#[test]
fn check_finds_what_peers_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    pki(d, "pki");
    pki(d, "other");
    let problems_of = |name: &str, edit: &dyn Fn(String) -> String| {
        let (path, toml) = config(d, name, edit);
        let out = check(d, &path);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stdout));
        (text(&out.stderr), toml, path)
    };
    let expect = |(stderr, toml, path): (String, String, PathBuf), start: &str, key: &str, what: &str| {
        let want = format!("{}:{}:", path.display(), line_of(&toml, start));
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&want) && l.contains(&format!(": {key}: ")) && l.contains(what)),
            "no {want}…: {key}: …{what}… in\n{stderr}"
        );
    };
    expect(
        problems_of("wrong-key.toml", &|t| t.replace("vr01.key", "vr02.key")),
        "key",
        "tls.key",
        "private key does not belong to the certificate",
    );
    expect(
        problems_of("other-node.toml", &|t| t.replace("nodes/vr01", "nodes/vr02")),
        "cert",
        "tls.cert",
        "the certificate is for VR02 but this node is configured as VR01",
    );
    expect(
        problems_of("other-ca.toml", &|t| {
            t.replace("pki/nodes/vr01.pem", "other/nodes/vr01.pem")
                .replace("pki/nodes/vr01.key", "other/nodes/vr01.key")
        }),
        "cert",
        "tls.cert",
        "peers would refuse it: invalid peer certificate: BadSignature (it does not chain to a CA in tls.ca",
    );
    // The other dev PKI's CRL: the same CA name, another key.
    expect(
        problems_of("forged-crl.toml", &|t| t.replace("pki/crl.pem", "other/crl.pem")),
        "crl",
        "tls.crl",
        "its signature does not verify under that CA",
    );
    let now = time::OffsetDateTime::now_utc();
    let another = regiosync_trust::DevCa::generate("another CA").unwrap();
    std::fs::write(d.join("foreign-crl.pem"), another.crl(&[], now).unwrap()).unwrap();
    expect(
        problems_of("foreign-crl.toml", &|t| t.replace("pki/crl.pem", "foreign-crl.pem")),
        "crl",
        "tls.crl",
        "CN=another CA): not issued by a configured CA or intermediate",
    );
    // A CRL of the right CA whose next update has passed.
    let ca = regiosync_trust::DevCa::load(
        DEV_CA_NAME,
        &std::fs::read_to_string(d.join("pki/ca.pem")).unwrap(),
        &std::fs::read_to_string(d.join("pki/ca.key")).unwrap(),
    )
    .unwrap();
    let long_ago = now - time::Duration::days(40);
    std::fs::write(d.join("stale-crl.pem"), ca.crl(&[], long_ago).unwrap()).unwrap();
    expect(
        problems_of("stale-crl.toml", &|t| t.replace("pki/crl.pem", "stale-crl.pem")),
        "crl",
        "tls.crl",
        "stale: its next update was due",
    );
    // Revoked with `pki revoke`: the CRL is in order, the certificate is not.
    let out = regiosync(
        d,
        &["pki", "revoke", "--dir", "pki", "--cert", "pki/nodes/vr01.pem"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let revoked = problems_of("revoked.toml", &|t| t);
    assert!(!revoked.0.contains(": tls.crl: "), "{}", revoked.0);
    expect(revoked, "cert", "tls.cert", "Revoked");
}

/// An invalid RUST_LOG was ignored silently (the command ran with the default filter).
#[test]
fn a_rust_log_that_does_not_parse_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = regiosync(
        dir.path(),
        &["pki", "init", "--out", "pki"],
        &[("RUST_LOG", "regiosync=loud")],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("RUST_LOG=\"regiosync=loud\" is not a valid log filter"),
        "{stderr}"
    );
    assert!(!dir.path().join("pki").exists(), "the command ran anyway");
    // A valid one is taken.
    let out = regiosync(
        dir.path(),
        &["pki", "init", "--out", "pki"],
        &[("RUST_LOG", "warn,regiosync_node=debug")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A node that logs at start and then stops (its data folder is a file): its stderr, run with
/// `args` before `node`, through a pipe or (`tty`) a terminal.
fn start_log(dir: &Path, args: &[&str], tty: bool) -> String {
    pki(dir, "pki");
    std::fs::write(dir.join("a-file"), "").unwrap();
    let (path, _) = config(dir, "stops.toml", |t| t.replace("data/vr01", "a-file"));
    let mut argv: Vec<&str> = args.to_vec();
    argv.extend(["node", "--config", path.to_str().unwrap()]);
    let out = if tty {
        // util-linux `script` runs the command on a pseudo-terminal (stdout and stderr both).
        let line = std::iter::once(BIN)
            .chain(argv.iter().copied())
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(" ");
        Command::new("script")
            .args(["-q", "-e", "-c", &line, "/dev/null"])
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .env_remove("RUST_LOG")
            .output()
            .expect("running `script` (util-linux) to give the node a terminal")
    } else {
        regiosync(dir, &argv, &[])
    };
    assert_eq!(
        out.status.code(),
        Some(1),
        "the node should stop: {}",
        text(&out.stderr)
    );
    let all = text(&out.stderr) + &text(&out.stdout);
    assert!(
        all.contains("certificate revocation lists in force"),
        "no log line from the start in\n{all}"
    );
    all
}

/// Log lines carry colour codes only when stderr is a terminal (the finding: they carried
/// them when redirected).
#[test]
fn logs_have_colours_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let piped = start_log(dir.path(), &[], false);
    assert!(!piped.contains('\u{1b}'), "escape codes in redirected logs:\n{piped:?}");
    let dir = tempfile::tempdir().unwrap();
    let on_a_terminal = start_log(dir.path(), &[], true);
    assert!(
        on_a_terminal.contains("\u{1b}["),
        "no colours on a terminal:\n{on_a_terminal:?}"
    );
}

/// `--log-format json`: every log line one JSON object with its time, level and message.
#[test]
fn json_logs_are_one_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = start_log(dir.path(), &["--log-format", "json"], false);
    let mut logged = 0;
    for line in stderr.lines().filter(|l| !l.starts_with("error: ")) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON object: {line:?}: {e}"));
        assert!(v["timestamp"].is_string() && v["level"].is_string(), "{line}");
        assert!(v["fields"]["message"].is_string(), "{line}");
        logged += 1;
    }
    assert!(logged > 0, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

/// The man page the package ships: generated from the command line, the node's options and the
/// daemon's sections in it.
#[test]
fn the_man_page_comes_from_the_command_line() {
    let out = regiosync(Path::new("."), &["man"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains("\n.TH regiosync 1 "), "{}", &page[..page.len().min(300)]);
    for want in [
        "OPTIONS OF REGIOSYNC NODE",
        "\\-\\-check",
        "\\-\\-log\\-format",
        "agreement",
        ".SH FILES",
        "/etc/regiosync/node.toml",
        ".SH SIGNALS",
        ".SH \"EXIT STATUS\"",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(page.contains(want), "{want:?} not in the man page");
    }
    // One page: it points to no pages of the commands that are not shipped.
    assert!(
        page.contains(".SH COMMANDS") && page.contains("\\fBregiosync node\\fR"),
        "{page}"
    );
    assert!(
        !page.contains("regiosync\\-demo(1)") && !page.contains("regiosync-demo(1)"),
        "{page}"
    );
}

/// A CA bundle that holds no certificate is a problem, and the node's certificate is then not
/// said to chain to anything.
#[test]
fn check_claims_nothing_it_could_not_check() {
    let dir = tempfile::tempdir().unwrap();
    pki(dir.path(), "pki");
    std::fs::write(dir.path().join("empty-ca.pem"), "not a certificate\n").unwrap();
    let (path, toml) = config(dir.path(), "no-ca.toml", |t| t.replace("pki/ca.pem", "empty-ca.pem"));
    let out = check(dir.path(), &path);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let want = format!("{}:{}:1: tls.ca: ", path.display(), line_of(&toml, "ca ="));
    assert!(stderr.lines().any(|l| l.starts_with(&want)), "no {want}… in\n{stderr}");
    assert!(!stdout.contains("chains to the CA"), "{stdout}");
    assert!(
        !stderr.contains(": tls.crl: "),
        "the CRL is blamed for the CA:\n{stderr}"
    );
}

/// SIGHUP never kills the demo, which has nothing to reload (before, the default action ended
/// it); Ctrl-C still stops it.
#[test]
fn sighup_does_not_stop_the_demo() {
    use std::io::BufRead;
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(["demo", "--keep-running"])
        .current_dir(dir.path())
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the demo");
    let (tx, rx) = mpsc::channel::<String>();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let wait_for = |what: &str, deadline: Duration| {
        let until = std::time::Instant::now() + deadline;
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(what) => return,
                Ok(_) => {}
                Err(_) => panic!("no line with {what:?} within {deadline:?}"),
            }
        }
    };
    let pid = child.id().to_string();
    let signal = |name: &str| {
        let ok = Command::new("kill").args([name, &pid]).status().unwrap().success();
        assert!(ok, "kill {name}");
    };
    wait_for("regiosync evaluation list", Duration::from_secs(600));
    signal("-HUP");
    wait_for("SIGHUP: the demo has nothing to reload", Duration::from_secs(30));
    assert!(child.try_wait().unwrap().is_none(), "the demo ended on SIGHUP");
    signal("-INT");
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        assert!(std::time::Instant::now() < until, "the demo did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}
