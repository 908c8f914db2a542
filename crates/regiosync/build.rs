//! The commit the binary is built from, for `regiosync --version`: `git rev-parse --short HEAD`
//! with `-dirty` when tracked files differ from it; outside a git checkout (a source tarball)
//! the `REGIOSYNC_COMMIT` environment variable, else `unknown`. Runs again when HEAD, the branch
//! it points to, the index or a source file changes.
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-env-changed=REGIOSYNC_COMMIT");
    let commit = match git(&["rev-parse", "--short", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            // A worktree's .git is a file: ask git where HEAD, the branch and the index are.
            for path in ["HEAD", "index"] {
                if let Some(p) = git(&["rev-parse", "--git-path", path]) {
                    println!("cargo:rerun-if-changed={p}");
                }
            }
            // `-dirty` follows edits too: the sources of every crate and what is built into the
            // binary (a folder here means every file below it).
            for path in [
                "../../crates",
                "../../proto",
                "../../config",
                "../../Cargo.toml",
                "../../Cargo.lock",
            ] {
                println!("cargo:rerun-if-changed={path}");
            }
            if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                if let Some(p) = git(&["rev-parse", "--git-path", &branch]) {
                    println!("cargo:rerun-if-changed={p}");
                }
                if let Some(p) = git(&["rev-parse", "--git-path", "packed-refs"]) {
                    println!("cargo:rerun-if-changed={p}");
                }
            }
            let changes = git(&["status", "--porcelain", "--untracked-files=no"]);
            if changes.is_some_and(|c| !c.is_empty()) {
                format!("{hash}-dirty")
            } else {
                hash
            }
        }
        _ => std::env::var("REGIOSYNC_COMMIT")
            .ok()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| "unknown".into()),
    };
    println!("cargo:rustc-env=REGIOSYNC_COMMIT={commit}");
}
