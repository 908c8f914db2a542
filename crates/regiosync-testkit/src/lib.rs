//! Test harness: `TestFed::start(...)` makes a real in-process federation (fresh PKI, real
//! nodes on `127.0.0.1:0`, temporary sled folders removed afterwards) a one-liner, and
//! [`eventually`] polls a condition with a deadline instead of sleeping.
pub mod assist;
pub mod delivery;
pub mod fake_peer;
pub mod known;
pub mod records;

use std::future::Future;
use std::time::Duration;

use regiosync_node::local::{LocalFederation, Topology};
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_replication::{Draft, EngineConfig, Published};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use tonic::transport::Channel;

/// Engine settings for tests: quick anti-entropy and reconnects.
pub fn fast_engine() -> EngineConfig {
    EngineConfig {
        anti_entropy: Duration::from_millis(500),
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(500),
        ..EngineConfig::default()
    }
}

pub fn vr(n: u8) -> NodeId {
    NodeId::region(n).expect("region 1..=25")
}

/// Poll `check` every 20 ms until it returns true; panic naming `what` after `timeout`.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if check().await {
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Like [`eventually`], for checks that can say what is still wrong: polls `check` every 20 ms
/// until it returns `Ok`; after `timeout` panics with `what` and the last `Err`.
pub async fn eventually_ok<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let last = match check().await {
            Ok(()) => return,
            Err(e) => e,
        };
        if tokio::time::Instant::now() >= deadline {
            panic!("timed out after {timeout:?} waiting for: {what}; last: {last}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `r` was refused with `code` and a message that says `says`; panics naming `what` otherwise.
pub fn refused<T: std::fmt::Debug>(what: &str, r: Result<T, tonic::Status>, code: tonic::Code, says: &str) {
    match r {
        Ok(v) => panic!("{what}: accepted ({v:?}), expected {code:?} saying '{says}'"),
        Err(s) => {
            assert_eq!(s.code(), code, "{what}: {}", s.message());
            assert!(
                s.message().contains(says),
                "{what}: '{}' does not say '{says}'",
                s.message()
            );
        }
    }
}

/// Copy a folder and everything in it (a stopped node's data folder: a cold backup).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}

/// Send test logs to the test's output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A federation under test, removed from disk when dropped.
pub struct TestFed {
    pub fed: LocalFederation,
    _dir: tempfile::TempDir,
}

impl TestFed {
    /// NL plus `regions`, hub topology plus `mesh` edges.
    pub async fn start(regions: &[NodeId], mesh: &[(NodeId, NodeId)]) -> TestFed {
        Self::start_with(regions, mesh, fast_engine()).await
    }

    pub async fn start_with(regions: &[NodeId], mesh: &[(NodeId, NodeId)], engine: EngineConfig) -> TestFed {
        let mut ids = vec![NodeId::NL];
        ids.extend(regions.iter().copied().filter(|r| *r != NodeId::NL));
        Self::start_topology(
            &ids,
            Topology {
                mesh: mesh.to_vec(),
                members: None,
            },
            engine,
        )
        .await
    }

    /// Exactly `ids`, members of `members`: every national node peers with every other node,
    /// every other node with each national node.
    pub async fn start_in(members: regiosync_types::Federation, ids: &[NodeId]) -> TestFed {
        let topology = Topology {
            mesh: Vec::new(),
            members: Some(members),
        };
        Self::start_topology(ids, topology, fast_engine()).await
    }

    async fn start_topology(ids: &[NodeId], topology: Topology, engine: EngineConfig) -> TestFed {
        init_tracing();
        let dir = tempfile::tempdir().expect("temp dir");
        let fed = LocalFederation::start(dir.path(), ids, &topology, engine, 4 * 1024 * 1024)
            .await
            .expect("start federation");
        TestFed { fed, _dir: dir }
    }

    /// Publish directly at a node's engine as that node.
    pub async fn publish(&self, at: NodeId, audience: &[NodeId], payload: &[u8]) -> Published {
        let draft = Draft {
            kind: "x.test".into(),
            status: regiosync_types::pb::Status::Test as i32,
            audience: audience.iter().map(|a| a.to_string()).collect(),
            payload: payload.to_vec(),
            ..Draft::default()
        };
        self.fed.node(at).engine.publish(draft).await.expect("publish")
    }

    /// Does `node` hold entry (origin, seq)?
    pub async fn holds(&self, node: NodeId, origin: NodeId, seq: u64) -> bool {
        let engine = &self.fed.node(node).engine;
        engine
            .list(Some(origin), None, seq - 1, 1, None)
            .await
            .map(|v| v.first().is_some_and(|e| e.envelope.seq == seq))
            .unwrap_or(false)
    }

    /// A `NodeApi` client at `node` for a person with `identity` (certificate from this
    /// federation's CA).
    pub async fn person_client(&self, node: NodeId, identity: Identity) -> NodeApiClient<Channel> {
        let issued = self.fed.ca().issue_person(identity).expect("issue person certificate");
        let h = self.fed.node(node);
        regiosync_node::client::connect(
            &h.url(),
            self.fed.ca().cert_pem(),
            &issued.cert_pem,
            &issued.key_pem,
            None,
        )
        .await
        .expect("connect as person")
    }

    /// A raw channel to `node` presenting `cert_pem`/`key_pem` (any CA), verifying the node
    /// against this federation's CA. Errors are returned, not unwrapped: refusals are tested.
    pub async fn channel_as(
        &self,
        node: NodeId,
        cert_pem: &str,
        key_pem: &str,
    ) -> Result<Channel, tonic::transport::Error> {
        let tls = regiosync_node::tls::client_tls_named(self.fed.ca().cert_pem(), cert_pem, key_pem, "127.0.0.1");
        tonic::transport::Endpoint::from_shared(self.fed.node(node).url())?
            .tls_config(tls)?
            .connect_timeout(Duration::from_secs(5))
            .connect()
            .await
    }

    /// A raw channel to `node` for a person with `identity` (certificate from this federation's CA).
    pub async fn person_channel(&self, node: NodeId, identity: Identity) -> Channel {
        let issued = self.fed.ca().issue_person(identity).expect("issue person certificate");
        self.channel_as(node, &issued.cert_pem, &issued.key_pem)
            .await
            .expect("connect as person")
    }

    pub async fn shutdown(self) {
        self.fed.shutdown().await;
    }
}
