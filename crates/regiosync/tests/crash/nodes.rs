//! Real `regiosync node` processes for the crash tests: a fresh dev PKI, one TOML config per
//! node, start (waiting for the address the node prints), SIGKILL, restart on the same data
//! folder and port, and each node's log. [`Nodes`] kills and reaps every child when dropped,
//! also on a panic.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use regiosync_types::NodeId;

const BIN: &str = env!("CARGO_BIN_EXE_regiosync");
/// How long a node may take from spawn to printing its address.
const START_PATIENCE: Duration = Duration::from_secs(30);

/// One node: the port it keeps across restarts (0 until its first start) and its process.
struct Node {
    port: u16,
    child: Option<Child>,
}

/// Nodes as processes in `dir` (NL, VR01 and VR02 unless chosen), every node pulling from
/// all the others.
pub struct Nodes {
    dir: PathBuf,
    nodes: BTreeMap<NodeId, Node>,
    /// Environment variables set for every node, after the harness's own (so `RUST_LOG` here
    /// replaces the default).
    env: Vec<(String, String)>,
}

fn name(id: NodeId) -> String {
    id.to_string().to_lowercase()
}

impl Nodes {
    pub fn ids() -> [NodeId; 3] {
        [NodeId::NL, NodeId::region(1).unwrap(), NodeId::region(2).unwrap()]
    }

    /// Write a fresh PKI to `dir/pki` and start the three nodes. Each first starts on
    /// `127.0.0.1:0` without peers to learn its port; then every config pins that port and
    /// lists the other two nodes, and each node is killed and started again on it (before any
    /// record is written), as it will be after every later kill.
    pub async fn start(dir: &Path) -> Nodes {
        Self::start_with(dir, &Self::ids(), &[]).await
    }

    /// Like [`Nodes::start`], for the nodes `ids` only (each listing the others as peers), with
    /// `env` set for every node at every start.
    pub async fn start_with(dir: &Path, ids: &[NodeId], env: &[(&str, &str)]) -> Nodes {
        let out = Command::new(BIN)
            .args(["pki", "init", "--out"])
            .arg(dir.join("pki"))
            .output()
            .expect("running regiosync pki init");
        assert!(
            out.status.success(),
            "regiosync pki init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut nodes = Nodes {
            dir: dir.to_path_buf(),
            nodes: ids.iter().map(|&id| (id, Node { port: 0, child: None })).collect(),
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        for &id in ids {
            nodes.write_config(id);
            nodes.start_node(id).await;
        }
        for &id in ids {
            nodes.write_config(id);
        }
        for &id in ids {
            nodes.kill(id);
            nodes.start_node(id).await;
        }
        nodes
    }

    pub fn pki(&self) -> PathBuf {
        self.dir.join("pki")
    }

    /// The process id of a running node.
    pub fn pid(&self, id: NodeId) -> u32 {
        self.nodes[&id].child.as_ref().expect("the node runs").id()
    }

    /// Whether the node's process is still running.
    pub fn alive(&mut self, id: NodeId) -> bool {
        let child = self.nodes.get_mut(&id).unwrap().child.as_mut().expect("started");
        child.try_wait().expect("waiting on a node").is_none()
    }

    /// Run `regiosync` with `args` in the federation's folder, in English; its exit status and
    /// output.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(BIN)
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env("REGIOSYNC_LANG", "en")
            .output()
            .expect("running regiosync")
    }

    pub fn url(&self, id: NodeId) -> String {
        format!("https://127.0.0.1:{}", self.nodes[&id].port)
    }

    /// `<dir>/<node>.toml`; peers are listed once every port is known.
    fn write_config(&self, id: NodeId) {
        let n = name(id);
        let port = self.nodes[&id].port;
        let mut toml = format!(
            "version = 1\nnode = \"{id}\"\nlisten = \"127.0.0.1:{port}\"\ndata_dir = \"data/{n}\"\n\n\
             [tls]\nca = \"pki/ca.pem\"\ncert = \"pki/nodes/{n}.pem\"\nkey = \"pki/nodes/{n}.key\"\n\
             crl = \"pki/crl.pem\"\ncrl_check_secs = 3600\n\n\
             [replication]\nanti_entropy_secs = 1\nbackoff_max_secs = 1\nbatch_entries = 64\n\n[storage]\ncache_mib = 8\n"
        );
        let peers: Vec<_> = self.nodes.iter().filter(|(p, _)| **p != id).collect();
        if peers.iter().all(|(_, p)| p.port != 0) {
            for (peer, p) in peers {
                let _ = write!(
                    toml,
                    "\n[[peers]]\nid = \"{peer}\"\naddress = \"https://127.0.0.1:{}\"\n",
                    p.port
                );
            }
        }
        std::fs::write(self.dir.join(format!("{n}.toml")), toml).expect("writing a node config");
    }

    fn log_path(&self, id: NodeId) -> PathBuf {
        self.dir.join(format!("{}.log", name(id)))
    }

    /// Spawn `regiosync node` and wait until it prints the address it listens on (it does so
    /// after the store is open and the port is bound). Its log is appended to `<dir>/<node>.log`.
    pub async fn start_node(&mut self, id: NodeId) {
        assert!(self.nodes[&id].child.is_none(), "{id} is already running");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path(id))
            .expect("opening a node log");
        let mut child = Command::new(BIN)
            .arg("node")
            .arg("--config")
            .arg(self.dir.join(format!("{}.toml", name(id))))
            .env("RUST_LOG", "info,regiosync::audit=warn")
            .env("NO_COLOR", "1")
            // The first line read below is the English one.
            .env("REGIOSYNC_LANG", "en")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawning regiosync node");
        let stdout = child.stdout.take().expect("node stdout");
        self.nodes.get_mut(&id).unwrap().child = Some(child);
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
            let first = lines.next();
            let _ = tx.send(first);
            lines.for_each(drop);
        });
        let line = match tokio::time::timeout(START_PATIENCE, rx).await {
            Ok(Ok(Some(line))) => line,
            Ok(_) => panic!("{id} exited before listening:\n{}", self.log_tail(id, 20)),
            Err(_) => panic!(
                "{id} printed no address within {START_PATIENCE:?}:\n{}",
                self.log_tail(id, 20)
            ),
        };
        let port: u16 = line
            .strip_prefix(&format!("node {id} listening on https://127.0.0.1:"))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{id}: unexpected first line {line:?}"));
        let node = self.nodes.get_mut(&id).unwrap();
        assert!(
            node.port == 0 || node.port == port,
            "{id} came back on port {port}, configured {}",
            node.port
        );
        node.port = port;
    }

    /// Send SIGHUP (as logrotate and certificate renewal do).
    pub fn hangup(&self, id: NodeId) {
        let pid = self.pid(id).to_string();
        let sent = Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -HUP {pid}");
    }

    /// SIGKILL (`Child::kill` on Unix) and reap.
    pub fn kill(&mut self, id: NodeId) {
        let mut child = self
            .nodes
            .get_mut(&id)
            .unwrap()
            .child
            .take()
            .expect("killing a node that runs");
        child.kill().expect("SIGKILL");
        child.wait().expect("reaping a killed node");
    }

    /// Everything the node wrote to its log (stderr: `tracing` lines, no colours) in every
    /// run so far.
    pub fn log(&self, id: NodeId) -> String {
        std::fs::read_to_string(self.log_path(id)).unwrap_or_default()
    }

    /// The last `n` lines of a node's log, for failure messages.
    pub fn log_tail(&self, id: NodeId, n: usize) -> String {
        let text = self.log(id);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for node in self.nodes.values_mut() {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        if std::thread::panicking() {
            for &id in self.nodes.keys() {
                eprintln!("--- last lines of {id}'s log ---\n{}", self.log_tail(id, 15));
            }
        }
    }
}
