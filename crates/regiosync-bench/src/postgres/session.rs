//! A persistent `psql` session: queries go in over a pipe and answers come back line by line, so
//! polling and piped inserts do not pay for a new connection each time.
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};

use super::cluster::Cluster;
use super::QUERY_TIMEOUT;

/// A long-lived `psql` (unaligned, tuples only) with piped stdin and stdout: each query is written
/// followed by an `\echo` marker, and the answer is the lines before the marker.
pub(super) struct Session {
    what: String,
    child: Child,
    pub(super) stdin: Option<ChildStdin>,
    pub(super) lines: Receiver<String>,
    pub(super) stderr: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
    marks: u64,
}

impl Session {
    pub(super) fn open(cluster: &Cluster, db: &str) -> Result<Session> {
        let what = format!("the {} psql session", cluster.name);
        let mut child = cluster
            .host
            .client_cmd("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(cluster.conn_args(db))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {what}"))?;
        let stdout = child.stdout.take().context("psql stdout")?;
        let mut stderr = child.stderr.take().context("psql stderr")?;
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let errors = Arc::new(Mutex::new(String::new()));
        let sink = errors.clone();
        let stderr_reader = thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                lock(&sink).push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let mut session = Session {
            what,
            stdin: child.stdin.take(),
            child,
            lines,
            stderr: errors,
            stderr_reader: Some(stderr_reader),
            marks: 0,
        };
        session.query_one("SELECT 1")?;
        Ok(session)
    }

    /// The lines `sql` printed.
    pub(super) fn query(&mut self, sql: &str) -> Result<Vec<String>> {
        self.marks += 1;
        let mark = format!("__regiosync_bench_mark_{}__", self.marks);
        let sql = sql.trim().trim_end_matches(';');
        let text = format!("{sql};\n\\echo {mark}\n");
        let sent = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(text.as_bytes()).and_then(|()| stdin.flush()),
            None => bail!("{} is closed", self.what),
        };
        if let Err(e) = sent {
            return Err(self.died(&format!("taking `{sql}` ({e})")));
        }
        let deadline = Instant::now() + QUERY_TIMEOUT;
        let mut rows = Vec::new();
        loop {
            match self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if line == mark => return Ok(rows),
                Ok(line) => rows.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    bail!("{}: no answer to `{sql}` within {QUERY_TIMEOUT:?}", self.what)
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.died(&format!("running `{sql}`"))),
            }
        }
    }

    /// The one line `sql` printed.
    pub(super) fn query_one(&mut self, sql: &str) -> Result<String> {
        let mut rows = self.query(sql)?;
        ensure!(
            rows.len() == 1,
            "{}: `{sql}` printed {} lines, expected 1: {rows:?}",
            self.what,
            rows.len()
        );
        Ok(rows.remove(0))
    }

    /// The error for a session whose psql exited: its exit status and stderr.
    fn died(&mut self, doing: &str) -> anyhow::Error {
        let status = wait_briefly(&mut self.child, Duration::from_secs(5));
        if status.is_some() {
            if let Some(reader) = self.stderr_reader.take() {
                let _ = reader.join();
            }
        }
        let status = status.map_or("still running".to_string(), |s| s.to_string());
        anyhow!(
            "{} failed {doing} (psql {status}): {}",
            self.what,
            lock(&self.stderr).trim()
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if wait_briefly(&mut self.child, Duration::from_secs(5)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn wait_briefly(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            _ => return None,
        }
    }
}

pub(super) fn lock(text: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    text.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
