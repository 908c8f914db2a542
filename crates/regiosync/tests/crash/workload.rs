//! The workload: writers publishing opaque `x.crash` records at VR01 through `NodeApi.Publish`
//! while nodes are killed under them, and the ledger of every attempt and what it was told.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::{self, PublishRequest};
use tonic::transport::Channel;
use tonic::Code;

use crate::Rng;

/// How long one publish may take before it counts as failed.
const PUBLISH_PATIENCE: Duration = Duration::from_secs(10);

/// A person's PEM files from the dev PKI.
#[derive(Clone)]
pub struct Person {
    ca: String,
    cert: String,
    key: String,
}

impl Person {
    /// `pki/people/<who>.pem` and `.key`, with `pki/ca.pem`.
    pub fn load(pki: &std::path::Path, who: &str) -> Person {
        let read =
            |p: std::path::PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Person {
            ca: read(pki.join("ca.pem")),
            cert: read(pki.join("people").join(format!("{who}.pem"))),
            key: read(pki.join("people").join(format!("{who}.key"))),
        }
    }

    pub async fn connect(&self, url: &str) -> Result<NodeApiClient<Channel>, String> {
        regiosync_node::client::connect(url, &self.ca, &self.cert, &self.key, None)
            .await
            .map_err(|e| e.to_string())
    }
}

/// One publish the workload tried. Its payload starts with its index in [`Ledger::attempts`]
/// (8 bytes, big-endian), so every stored entry names the attempt it came from.
pub struct Attempt {
    pub payload: Vec<u8>,
    /// A chosen id (retried after a failure until the node stores it or says it has it).
    pub id: Option<String>,
    /// Audience NL and VR01 only; otherwise VR02 too.
    pub private: bool,
}

/// A publish that returned OK.
pub struct Ack {
    pub attempt: usize,
    pub origin: String,
    pub seq: u64,
    pub id: String,
}

#[derive(Default)]
pub struct Ledger {
    pub attempts: Vec<Attempt>,
    pub acked: Vec<Ack>,
    /// Chosen-id attempts whose retry was refused with AlreadyExists: the failed try was stored.
    pub claimed: Vec<usize>,
    /// Publishes that failed (not acknowledged), by gRPC code.
    pub failed: BTreeMap<String, u64>,
}

impl Ledger {
    fn new_attempt(&mut self, w: usize, rng: &mut Rng) -> usize {
        let a = self.attempts.len();
        let len = if rng.below(10) < 7 {
            rng.range(16, 300)
        } else {
            rng.range(1100, 6000)
        };
        let mut payload = (a as u64).to_be_bytes().to_vec();
        payload.extend((8..len).map(|_| rng.next_u64() as u8));
        let id = (rng.below(6) == 0).then(|| format!("crash-w{w}-a{a}"));
        let private = rng.below(5) == 0;
        self.attempts.push(Attempt { payload, id, private });
        a
    }

    fn request(&self, a: usize) -> PublishRequest {
        let at = &self.attempts[a];
        PublishRequest {
            id: at.id.clone().unwrap_or_default(),
            kind: "x.crash".into(),
            status: pb::Status::Test as i32,
            audience: if at.private { vec![] } else { vec!["VR02".into()] },
            payload: at.payload.clone(),
            ..PublishRequest::default()
        }
    }
}

/// Start `n` writers publishing at `url` as `person` until `stop` is set.
pub fn spawn_writers(
    n: usize,
    url: String,
    person: Person,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..n)
        .map(|w| {
            let (url, person, ledger, stop) = (url.clone(), person.clone(), ledger.clone(), stop.clone());
            tokio::spawn(writer(w, url, person, ledger, stop, Rng(seed ^ ((w as u64 + 1) << 32))))
        })
        .collect()
}

async fn writer(
    w: usize,
    url: String,
    person: Person,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<AtomicBool>,
    mut rng: Rng,
) {
    let mut client: Option<NodeApiClient<Channel>> = None;
    // A chosen-id attempt that failed and is tried again.
    let mut retry: Option<usize> = None;
    while !stop.load(Ordering::Relaxed) {
        let c = match client.as_mut() {
            Some(c) => c,
            None => match person.connect(&url).await {
                Ok(c) => client.insert(c),
                Err(_) => {
                    // VR01 is down: try again shortly (bounded by the fault schedule).
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let (a, retried) = match retry.take() {
            Some(a) => (a, true),
            None => (ledger.lock().unwrap().new_attempt(w, &mut rng), false),
        };
        let req = ledger.lock().unwrap().request(a);
        let outcome = tokio::time::timeout(PUBLISH_PATIENCE, c.publish(req)).await;
        let mut l = ledger.lock().unwrap();
        let code = match outcome {
            Ok(Ok(r)) => {
                let r = r.into_inner();
                l.acked.push(Ack {
                    attempt: a,
                    origin: r.origin,
                    seq: r.seq,
                    id: r.id,
                });
                continue;
            }
            Ok(Err(s)) if s.code() == Code::AlreadyExists && retried => {
                l.claimed.push(a);
                continue;
            }
            Ok(Err(s)) => match s.code() {
                Code::Unavailable | Code::Unknown | Code::Cancelled => format!("{:?}", s.code()),
                Code::Internal if !s.message().contains("storage") => "Internal (transport)".into(),
                _ => panic!("writer {w}: VR01 refused attempt {a} (retry: {retried}): {s}"),
            },
            Err(_) => "timeout".into(),
        };
        *l.failed.entry(code).or_default() += 1;
        client = None;
        if l.attempts[a].id.is_some() {
            retry = Some(a);
        }
    }
}
