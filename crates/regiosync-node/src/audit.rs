//! The audit log: every request (who, what, outcome) and every refused connection, as one JSON
//! line each in `<data_dir>/audit.log`, and as `tracing` events under target `regiosync::audit`.
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use regiosync_trust::Identity;

#[derive(Clone)]
pub struct Audit {
    file: Option<Arc<Mutex<BufWriter<File>>>>,
}

impl Audit {
    pub fn open(dir: &Path) -> std::io::Result<Audit> {
        std::fs::create_dir_all(dir)?;
        let f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("audit.log"))?;
        Ok(Audit {
            file: Some(Arc::new(Mutex::new(BufWriter::new(f)))),
        })
    }

    /// A request handled by a service.
    pub fn request(&self, who: &Identity, what: &str, outcome: &Result<(), tonic::Status>) {
        let (ok, detail) = match outcome {
            Ok(()) => (true, String::new()),
            Err(s) => (false, format!("{:?}: {}", s.code(), s.message())),
        };
        tracing::info!(target: "regiosync::audit", who = %who, what, ok, detail = %detail);
        self.line(&format!(
            "{{\"ts_ms\":{},\"who\":{},\"what\":{},\"ok\":{ok},\"detail\":{}}}",
            now_ms(),
            json_str(&who.uri()),
            json_str(what),
            json_str(&detail)
        ));
    }

    /// A connection refused before any request.
    pub fn refused(&self, remote: SocketAddr, why: &str) {
        tracing::info!(target: "regiosync::audit", %remote, why, "connection refused");
        self.line(&format!(
            "{{\"ts_ms\":{},\"who\":{},\"what\":\"connect\",\"ok\":false,\"detail\":{}}}",
            now_ms(),
            json_str(&remote.to_string()),
            json_str(why)
        ));
    }

    fn line(&self, line: &str) {
        if let Some(f) = &self.file {
            let mut f = f.lock().unwrap();
            let _ = writeln!(f, "{line}");
            let _ = f.flush();
        }
    }
}

use regiosync_types::now_ms;

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
