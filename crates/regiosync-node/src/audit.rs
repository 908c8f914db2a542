//! The audit trail: one JSON line per request and per connection outcome in
//! `<data_dir>/audit.log` (mode 0600), each line chained to the one before by the SHA-256 of
//! that line's exact bytes, and also a `tracing` event under target `regiosync::audit`.
//!
//! Who writes which line: `audit_layer.rs` (every gRPC request, whatever became of it, with
//! the ids the handler reported through `request.rs`), `listener.rs` (connections refused,
//! closed idle, or closed without a request) and this file (`open` when the node starts,
//! `reopen` on SIGHUP, `chain_break` when the file's last line was damaged). The format and
//! the chain are described in ARCHITECTURE.md ("Formats"); `audit_verify.rs` checks them.
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::SocketAddr;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use regiosync_trust::Identity;
use regiosync_types::{now_ms, NodeId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The file name in the data folder.
pub const FILE_NAME: &str = "audit.log";
/// The `prev` of the first line of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// How much of an existing file's end is read at start to find its last line.
const TAIL_BYTES: u64 = 1 << 20;

/// One line of the audit file, in the order its keys are written.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Position in the chain: the line before has `seq - 1`.
    pub seq: u64,
    /// SHA-256 (lowercase hex) of the previous line's exact bytes, without its newline;
    /// [`GENESIS`] for the first line of a chain.
    pub prev: String,
    /// RFC 3339 UTC with milliseconds.
    pub time: String,
    pub unix_ms: i64,
    /// The node writing it.
    pub node: String,
    /// `request`, `refused`, `idle_close`, `no_request`, `open`, `reopen` or `chain_break`.
    pub event: String,
    /// The other end of the connection (`ip:port`); none for the node's own lines.
    pub remote: Option<String>,
    /// The caller's identity from its certificate (`urn:regiosync:...`); none before the
    /// handshake.
    pub identity: Option<String>,
    /// The gRPC method path (`/regiosync.v1.NodeApi/GetEntry`), for requests.
    pub method: Option<String>,
    /// Entry or record ids read or written.
    pub ids: Vec<String>,
    /// What the handler adds (e.g. the kind published, the act on an agreement).
    pub detail: Option<String>,
    pub ok: bool,
    /// The gRPC status code's name when a request did not succeed.
    pub code: Option<String>,
    /// The status message, or why a connection was refused or closed.
    pub message: String,
}

/// Event names.
pub mod event {
    pub const REQUEST: &str = "request";
    pub const REFUSED: &str = "refused";
    pub const IDLE_CLOSE: &str = "idle_close";
    pub const NO_REQUEST: &str = "no_request";
    pub const OPEN: &str = "open";
    pub const REOPEN: &str = "reopen";
    pub const CHAIN_BREAK: &str = "chain_break";
}

impl Line {
    /// The SHA-256 (hex) of a line's bytes: what the next line's `prev` holds.
    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// The line's bytes as written (JSON, keys in this order, no newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an audit line serialises")
    }

    /// A line read back: valid JSON of this schema with a hex `prev`.
    pub fn parse(bytes: &[u8]) -> Result<Line, String> {
        let line: Line = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if line.prev.len() != 64 || !line.prev.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("prev '{}' is not a SHA-256 in hex", line.prev));
        }
        if line.seq == 0 {
            return Err("seq 0 (seqs start at 1)".into());
        }
        Ok(line)
    }
}

/// A request as the audit layer saw it end.
pub(crate) struct RequestOutcome {
    pub remote: Option<SocketAddr>,
    pub identity: Option<Identity>,
    pub method: String,
    pub ids: Vec<String>,
    pub detail: Option<String>,
    /// `None` when it succeeded, else the gRPC code and message.
    pub failed: Option<(tonic::Code, String)>,
}

/// The head of the chain: the last line written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
    /// Lines in the current file.
    pub lines: u64,
    pub unix_ms: i64,
}

/// The audit trail of one node; cheap to clone.
#[derive(Clone)]
pub struct Audit {
    writer: Arc<Mutex<Writer>>,
}

struct Writer {
    path: PathBuf,
    node: NodeId,
    /// None once closed (after the node's last anchor): nothing more is written.
    file: Option<File>,
    head: Head,
}

impl Audit {
    /// Open (or create, mode 0600) `<dir>/audit.log` for `node` and continue its chain from its
    /// last line (from `audit.log.1` when `audit.log` is missing or empty: rotated while the
    /// node was stopped). A damaged last line is logged as an ERROR and the line written now,
    /// `chain_break`, says so (its `prev` is the hash of the damaged bytes). Writes the `open`
    /// (or `chain_break`) line.
    pub fn open(dir: &Path, node: NodeId) -> std::io::Result<Audit> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE_NAME);
        let mut file = open_private(&path)?;
        let here = tail(&mut file, true)?;
        let (found, from) = match here {
            Tail::Empty => {
                let rotated = PathBuf::from(format!("{}.1", path.display()));
                match File::open(&rotated) {
                    Ok(mut f) => (tail(&mut f, false)?, rotated),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Tail::Empty, path.clone()),
                    Err(e) => return Err(e),
                }
            }
            other => (other, path.clone()),
        };
        let (head, event, message, ok) = match found {
            Tail::Empty => (
                Head {
                    seq: 0,
                    hash: GENESIS.into(),
                    lines: 0,
                    unix_ms: 0,
                },
                event::OPEN,
                "a new chain starts".to_string(),
                true,
            ),
            Tail::Good { seq, hash, .. } => (
                Head {
                    seq,
                    hash,
                    lines: 0,
                    unix_ms: 0,
                },
                event::OPEN,
                format!("continues the chain of {} after seq {seq}", from.display()),
                true,
            ),
            Tail::Damaged {
                line,
                hash,
                why,
                last_good_seq,
            } => {
                let message = format!(
                    "the last line of {} (line {line}) is damaged ({why}); a new chain segment starts here after seq {last_good_seq}",
                    from.display()
                );
                tracing::error!(target: "regiosync::audit", file = %from.display(), line, why = %why, "the audit file's last line is damaged: a new chain segment starts");
                (
                    Head {
                        seq: last_good_seq,
                        hash,
                        lines: 0,
                        unix_ms: 0,
                    },
                    event::CHAIN_BREAK,
                    message,
                    false,
                )
            }
        };
        let lines = if from == path { count_lines(&mut file)? } else { 0 };
        let audit = Audit {
            writer: Arc::new(Mutex::new(Writer {
                path,
                node,
                file: Some(file),
                head: Head { lines, ..head },
            })),
        };
        audit.own_line(event, ok, message);
        Ok(audit)
    }

    /// Close the file and open `audit.log` again (created, mode 0600, when logrotate moved it
    /// away); the chain goes on: the first line written, `reopen`, has the last line's hash.
    pub fn reopen(&self) -> std::io::Result<()> {
        {
            let mut w = self.writer.lock().unwrap();
            if w.file.is_none() {
                return Ok(());
            }
            let at = |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", w.path.display()));
            let mut file = open_private(&w.path).map_err(at)?;
            w.head.lines = count_lines(&mut file).map_err(at)?;
            w.file = Some(file);
        }
        self.own_line(event::REOPEN, true, "reopened (SIGHUP)".into());
        Ok(())
    }

    /// The last line written.
    pub fn head(&self) -> Head {
        self.writer.lock().unwrap().head.clone()
    }

    /// Stop writing (the node's last anchor names the head returned). Lines after it are only
    /// logged.
    pub fn close(&self) -> Head {
        let mut w = self.writer.lock().unwrap();
        w.file = None;
        w.head.clone()
    }

    /// A gRPC request as it ended.
    pub(crate) fn request(&self, r: RequestOutcome) {
        let (ok, code, message) = match r.failed {
            None => (true, None, String::new()),
            Some((code, message)) => (false, Some(format!("{code:?}")), message),
        };
        let who = r.identity.as_ref().map(|i| i.to_string()).unwrap_or_default();
        tracing::info!(target: "regiosync::audit", remote = ?r.remote, who = %who, method = %r.method, ids = ?r.ids, ok, code = ?code, message = %message);
        self.write(|head| Line {
            event: event::REQUEST.into(),
            remote: r.remote.map(|a| a.to_string()),
            identity: r.identity.as_ref().map(Identity::uri),
            method: Some(r.method),
            ids: r.ids,
            detail: r.detail,
            ok,
            code,
            message,
            ..head
        });
    }

    /// A connection refused before any request (handshake, limits), with the identity when the
    /// handshake got that far.
    pub fn refused(&self, remote: SocketAddr, identity: Option<&Identity>, why: &str) {
        self.connection(event::REFUSED, remote, identity, why);
    }

    /// A connection closed because nothing came for the idle time.
    pub fn idle_close(&self, remote: SocketAddr, identity: &Identity, why: &str) {
        self.connection(event::IDLE_CLOSE, remote, Some(identity), why);
    }

    /// An authenticated connection that closed without sending a single request.
    pub fn no_request(&self, remote: SocketAddr, identity: &Identity) {
        self.connection(
            event::NO_REQUEST,
            remote,
            Some(identity),
            "connection closed without a request",
        );
    }

    fn connection(&self, event: &str, remote: SocketAddr, identity: Option<&Identity>, why: &str) {
        let who = identity.map(|i| i.to_string()).unwrap_or_default();
        tracing::info!(target: "regiosync::audit", %remote, who = %who, event, why, "connection");
        self.write(|head| Line {
            event: event.into(),
            remote: Some(remote.to_string()),
            identity: identity.map(Identity::uri),
            message: why.into(),
            ..head
        });
    }

    fn own_line(&self, event: &str, ok: bool, message: String) {
        tracing::info!(target: "regiosync::audit", event, message = %message);
        self.write(|head| Line {
            event: event.into(),
            ok,
            message,
            ..head
        });
    }

    /// Write one line: `fill` completes the line whose chain fields are set.
    fn write(&self, fill: impl FnOnce(Line) -> Line) {
        let mut w = self.writer.lock().unwrap();
        let unix_ms = now_ms();
        let line = fill(Line {
            seq: w.head.seq + 1,
            prev: w.head.hash.clone(),
            time: rfc3339_ms(unix_ms),
            unix_ms,
            node: w.node.to_string(),
            event: String::new(),
            remote: None,
            identity: None,
            method: None,
            ids: Vec::new(),
            detail: None,
            ok: false,
            code: None,
            message: String::new(),
        });
        let bytes = line.to_bytes();
        let path = w.path.clone();
        let Some(file) = w.file.as_mut() else {
            // After the node's last anchor, while it stops (a peer's stream closing): the
            // event went to the node's log above; the file's chain ended at the anchor.
            tracing::debug!(target: "regiosync::audit", seq = line.seq, "the audit file is closed: line not written");
            return;
        };
        let mut out = bytes.clone();
        out.push(b'\n');
        // One write per line, so a line is never interleaved with another.
        if let Err(e) = file.write_all(&out) {
            tracing::error!(target: "regiosync::audit", file = %path.display(), error = %e, seq = line.seq, "cannot write the audit line");
            return;
        }
        w.head = Head {
            seq: line.seq,
            hash: Line::hash(&bytes),
            lines: w.head.lines + 1,
            unix_ms,
        };
    }
}

/// Open for appending, created with mode 0600; an existing file is set to 0600 too.
fn open_private(path: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// What the end of an existing file says.
enum Tail {
    Empty,
    /// Its last line, whole.
    Good {
        seq: u64,
        hash: String,
    },
    /// Its last line does not parse: its line number (counted from the end when the file is
    /// large: then approximate), the hash of its bytes, why, and the seq of the last line
    /// before it that parses (0: none in the part read).
    Damaged {
        line: u64,
        hash: String,
        why: String,
        last_good_seq: u64,
    },
}

/// The last line of `file`; with `mend`, a last line without its newline gets one, so the next
/// line starts on a line of its own.
fn tail(file: &mut File, mend: bool) -> std::io::Result<Tail> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(Tail::Empty);
    }
    let start = len.saturating_sub(TAIL_BYTES);
    file.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    file.read_to_end(&mut buf)?;
    let complete = buf.last() == Some(&b'\n');
    if complete {
        buf.pop();
    }
    let mut lines: Vec<&[u8]> = buf.split(|b| *b == b'\n').collect();
    if start > 0 && lines.len() > 1 {
        // The first piece is probably the end of a line cut by where the read began.
        lines.remove(0);
    }
    let last = lines.pop().unwrap_or_default();
    let parsed = Line::parse(last);
    if !complete && mend {
        // Ends without a newline (a crash mid-write): end it, so the next line is a line.
        file.write_all(b"\n")?;
    }
    match parsed {
        Ok(line) => Ok(Tail::Good {
            seq: line.seq,
            hash: Line::hash(last),
        }),
        Err(why) => {
            let why = if complete {
                why
            } else {
                format!("no newline at its end; {why}")
            };
            let last_good_seq = lines
                .iter()
                .rev()
                .find_map(|l| Line::parse(l).ok())
                .map_or(0, |l| l.seq);
            let line_no = if start == 0 {
                lines.len() as u64 + 1
            } else {
                count_lines(file)?
            };
            Ok(Tail::Damaged {
                line: line_no,
                hash: Line::hash(last),
                why,
                last_good_seq,
            })
        }
    }
}

/// Newlines in the file (its lines, each ending in one).
fn count_lines(file: &mut File) -> std::io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let got = file.read(&mut buf)?;
        if got == 0 {
            break;
        }
        n += buf[..got].iter().filter(|b| **b == b'\n').count() as u64;
    }
    Ok(n)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn rfc3339_ms(ms: i64) -> String {
    let day_ms = 86_400_000;
    let (days, rest) = (ms.div_euclid(day_ms), ms.rem_euclid(day_ms));
    let secs = rest / 1000;
    format!(
        "{}T{:02}:{:02}:{:02}.{:03}Z",
        regiosync_records::time::format_date(days),
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        rest % 1000
    )
}
