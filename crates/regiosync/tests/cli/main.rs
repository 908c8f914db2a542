//! The `regiosync` client commands as people and scripts run them: the binary as a separate
//! process against real nodes (an in-process federation with a fresh PKI), its output read
//! back. `errors`: every cause of a failed connection named in one line, and under `--json` as
//! an object with a stable code; `assist`: an assistance request from ask to close; `pki`: `pki issue`; `json`: the shape of every command's
//! `--json` output; `pages`: `--limit` and `--cursor`; `evaluations`: correcting, withdrawing
//! and filing an evaluation twice; `dutch`, `dutch_commands`: the tables and messages in Dutch
//! by default (`dutch_commands`: `pki`, `restore`, `node --check`, `audit verify`).
mod assist;
mod demo;
mod dutch;
mod dutch_commands;
mod errors;
mod evaluations;
mod json;
mod pages;
mod pki;
mod report;
mod spreadsheet;

use std::path::PathBuf;
use std::process::Output;

use regiosync_testkit::TestFed;
use regiosync_trust::{Identity, Issued};

/// A person's certificate and key beside a CA bundle, as `--ca/--cert/--key` take them.
pub struct Person {
    pub dir: tempfile::TempDir,
}

impl Person {
    /// `identity` issued by the federation's own CA, with the federation's CA bundle.
    pub fn of(t: &TestFed, identity: Identity) -> Person {
        let issued = t.fed.ca().issue_person(identity).expect("issue a person certificate");
        Person::with(t.fed.ca().cert_pem(), &issued)
    }

    /// Any certificate and key, trusting `ca_pem` for the node's certificate.
    pub fn with(ca_pem: &str, issued: &Issued) -> Person {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca_pem).unwrap();
        std::fs::write(dir.path().join("me.pem"), &issued.cert_pem).unwrap();
        std::fs::write(dir.path().join("me.key"), &issued.key_pem).unwrap();
        Person { dir }
    }

    fn file(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The connection flags for `node`.
    pub fn flags(&self, node: &str) -> Vec<String> {
        vec![
            "--node".into(),
            node.into(),
            "--ca".into(),
            self.file("ca.pem"),
            "--cert".into(),
            self.file("me.pem"),
            "--key".into(),
            self.file("me.key"),
        ]
    }

    /// `regiosync <args> <connection flags>` against `node`, in English (`REGIOSYNC_LANG=en`:
    /// what most tests read back).
    pub async fn run(&self, node: &str, args: &[&str]) -> Output {
        self.run_in(Some("en"), node, args).await
    }

    /// The same with no language given: the default, Dutch.
    pub async fn run_default(&self, node: &str, args: &[&str]) -> Output {
        self.run_in(None, node, args).await
    }

    async fn run_in(&self, lang: Option<&'static str>, node: &str, args: &[&str]) -> Output {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.extend(self.flags(node));
        regiosync_in(lang, all, None).await
    }
}

/// The binary with `args` (in `cwd` when given), with no `REGIOSYNC_*` from the environment
/// but `REGIOSYNC_LANG=en`: the tables and messages in English, as most tests read them.
pub async fn regiosync(args: Vec<String>, cwd: Option<PathBuf>) -> Output {
    regiosync_in(Some("en"), args, cwd).await
}

/// The binary with `args` in `lang` (`REGIOSYNC_LANG`; `None`: the default, Dutch).
pub async fn regiosync_in(lang: Option<&'static str>, args: Vec<String>, cwd: Option<PathBuf>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_regiosync"));
        cmd.args(&args);
        for (k, _) in std::env::vars() {
            if k.starts_with("REGIOSYNC_") {
                cmd.env_remove(k);
            }
        }
        if let Some(lang) = lang {
            cmd.env("REGIOSYNC_LANG", lang);
        }
        if let Some(dir) = cwd {
            cmd.current_dir(dir);
        }
        cmd.output().expect("run the regiosync binary")
    })
    .await
    .expect("the binary's task")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON on stdout of a run (`--json`), whatever its exit code.
pub fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON value ({e}):\n--- stdout ---\n{}\n--- stderr ---\n{}",
            stdout(o),
            stderr(o)
        )
    })
}

/// A run that succeeded; its stdout.
pub fn ok(o: &Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what}: exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
    stdout(o)
}
