//! The in-process network of the scale simulation: the engine's real [`Transport`], with every
//! message encoded to and decoded from its protobuf form as the gRPC transport does (so the
//! bytes counted are the messages' own), each node's side of an exchange run on that node's
//! runtime, and the digest-first anti-entropy of the node crate
//! ([`regiosync_node::digests`]).
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use futures::StreamExt;
use prost::Message;
use regiosync_node::digests::{self, Digests};
use regiosync_node::{convert, pb};
use regiosync_replication::transport::ItemStream;
use regiosync_replication::SyncItem;
use regiosync_replication::{Engine, SeqRange, Transport, TransportError};
use regiosync_types::{NodeId, VersionVector};
use tokio::runtime::Handle;
use tokio_stream::wrappers::ReceiverStream;

/// A gRPC message's length prefix: one flag byte and four length bytes.
pub const GRPC_FRAME: u64 = 5;

/// What one node did on the network, counted as it happened.
#[derive(Default)]
pub struct Counters {
    /// Anti-entropy rounds it asked, and of those the idle ones (answered `unchanged`).
    pub asked: AtomicU64,
    pub asked_idle: AtomicU64,
    /// Rounds it answered, and of those with `unchanged`.
    pub answered: AtomicU64,
    pub answered_idle: AtomicU64,
    /// Bytes of the idle rounds it took part in (request and answer, with their frames).
    pub idle_bytes: AtomicU64,
    /// Bytes of the rounds that were not idle.
    pub busy_bytes: AtomicU64,
    /// Subscriptions it opened at its peers.
    pub subscribed: AtomicU64,
    /// Stream messages and their bytes it received and sent.
    pub items_in: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
}

/// One member as the network reaches it: its engine and the runtime its tasks run on.
#[derive(Clone)]
pub struct Host {
    pub engine: Arc<Engine>,
    pub runtime: Handle,
}

/// Every member, set once all are open.
#[derive(Default)]
pub struct Net {
    hosts: OnceLock<HashMap<NodeId, Host>>,
    counters: OnceLock<HashMap<NodeId, Arc<Counters>>>,
    /// The record being followed, and when each sender handed it to each receiver.
    probe: Mutex<Option<Probe>>,
}

/// One record followed through the network.
pub struct Probe {
    pub origin: NodeId,
    pub seq: u64,
    pub since: Instant,
    /// (sender, receiver): ms from `since` until the sender handed a batch holding it to the
    /// encoder of its stream to the receiver.
    pub sent: HashMap<(NodeId, NodeId), f64>,
}

impl Probe {
    pub fn new(origin: NodeId, seq: u64) -> Probe {
        Probe {
            origin,
            seq,
            since: Instant::now(),
            sent: HashMap::new(),
        }
    }
}

impl Net {
    pub fn set(&self, hosts: HashMap<NodeId, Host>) {
        let counters = hosts.keys().map(|id| (*id, Arc::default())).collect();
        let _ = self.counters.set(counters);
        let _ = self.hosts.set(hosts);
    }

    pub fn host(&self, id: NodeId) -> Result<&Host, TransportError> {
        self.hosts
            .get()
            .and_then(|h| h.get(&id))
            .ok_or_else(|| TransportError(format!("{id} is not on the simulated network")))
    }

    /// Follow `probe` from now on; returns the one followed until now.
    pub fn follow(&self, probe: Option<Probe>) -> Option<Probe> {
        std::mem::replace(&mut *self.probe.lock().unwrap(), probe)
    }

    /// `sender` is about to encode `item` for `receiver`: note it if it carries the record
    /// followed.
    fn sent(&self, sender: NodeId, receiver: NodeId, item: &SyncItem) {
        let SyncItem::Batch(chunks) = item else {
            return;
        };
        let mut probe = self.probe.lock().unwrap();
        let Some(p) = probe.as_mut() else {
            return;
        };
        let holds = chunks.iter().any(|c| {
            c.origin == p.origin.as_str() && c.first_seq <= p.seq && p.seq < c.first_seq + c.items.len() as u64
        });
        if holds {
            let ms = p.since.elapsed().as_secs_f64() * 1000.0;
            p.sent.entry((sender, receiver)).or_insert(ms);
        }
    }

    /// Subscriptions opened and stream messages received, over every member.
    pub fn traffic(&self) -> (u64, u64) {
        let all = self.counters.get().into_iter().flat_map(|c| c.values());
        all.fold((0, 0), |(s, i), c| {
            (
                s + c.subscribed.load(Ordering::Relaxed),
                i + c.items_in.load(Ordering::Relaxed),
            )
        })
    }

    pub fn counters(&self, id: NodeId) -> Arc<Counters> {
        self.counters
            .get()
            .and_then(|c| c.get(&id))
            .cloned()
            .unwrap_or_default()
    }
}

/// One node's transport on the simulated network.
pub struct SimTransport {
    me: NodeId,
    net: Arc<Net>,
    digests: Digests,
}

impl SimTransport {
    pub fn new(me: NodeId, net: Arc<Net>) -> SimTransport {
        SimTransport {
            me,
            net,
            digests: Digests::default(),
        }
    }
}

fn framed(len: usize) -> u64 {
    len as u64 + GRPC_FRAME
}

impl Transport for SimTransport {
    async fn subscribe(
        &self,
        peer: NodeId,
        have: VersionVector,
        lacks: Vec<SeqRange>,
    ) -> Result<ItemStream, TransportError> {
        let host = self.net.host(peer)?.clone();
        let (mine, theirs) = (self.net.counters(self.me), self.net.counters(peer));
        mine.subscribed.fetch_add(1, Ordering::Relaxed);
        let req = convert::subscribe_to_pb(&have, lacks).encode_to_vec();
        mine.bytes_out.fetch_add(framed(req.len()), Ordering::Relaxed);
        let req = pb::SubscribeRequest::decode(req.as_slice()).map_err(|e| TransportError(e.to_string()))?;
        let (have, lacks) = convert::subscribe_from_pb(req).map_err(|e| TransportError(e.message().into()))?;
        // The serving task and the encoding are the peer's (as a node's gRPC server encodes
        // on its own runtime): both run on its runtime; decoding is the subscriber's.
        let mut stream = {
            let _on_peer = host.runtime.enter();
            host.engine.serve(self.me, have, lacks)
        };
        let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(1);
        let (net, me) = (self.net.clone(), self.me);
        host.runtime.spawn(async move {
            while let Some(item) = stream.next().await {
                net.sent(peer, me, &item);
                let bytes = convert::item_to_pb(item).encode_to_vec();
                theirs.bytes_out.fetch_add(framed(bytes.len()), Ordering::Relaxed);
                if tx.send(bytes).await.is_err() {
                    return;
                }
            }
        });
        Ok(Box::pin(ReceiverStream::new(rx).map(move |bytes| {
            mine.bytes_in.fetch_add(framed(bytes.len()), Ordering::Relaxed);
            mine.items_in.fetch_add(1, Ordering::Relaxed);
            let message = pb::SyncMessage::decode(bytes.as_slice()).map_err(|e| TransportError(e.to_string()))?;
            convert::item_from_pb(message).map_err(TransportError)
        })))
    }

    async fn digest(&self, peer: NodeId, _have: VersionVector) -> Result<VersionVector, TransportError> {
        let host = self.net.host(peer)?.clone();
        let me = self.me;
        let (mine, theirs) = (self.net.counters(me), self.net.counters(peer));
        self.digests
            .exchange(peer, |req| {
                let (host, mine, theirs) = (host.clone(), mine.clone(), theirs.clone());
                async move {
                    let req_bytes = framed(req.encoded_len());
                    let req = pb::DigestRequest::decode(req.encode_to_vec().as_slice())
                        .map_err(|e| TransportError(e.to_string()))?;
                    // The answer is the peer's work: run on its runtime.
                    let engine = host.engine.clone();
                    let resp = host
                        .runtime
                        .spawn(async move { digests::answer(&engine, me, req) })
                        .await
                        .map_err(|e| TransportError(format!("{peer}: {e}")))?
                        .map_err(|e| TransportError(format!("{peer}: {}", e.message())))?;
                    let bytes = req_bytes + framed(resp.encoded_len());
                    mine.asked.fetch_add(1, Ordering::Relaxed);
                    theirs.answered.fetch_add(1, Ordering::Relaxed);
                    if resp.unchanged {
                        mine.asked_idle.fetch_add(1, Ordering::Relaxed);
                        theirs.answered_idle.fetch_add(1, Ordering::Relaxed);
                    }
                    for c in [&mine, &theirs] {
                        match resp.unchanged {
                            true => c.idle_bytes.fetch_add(bytes, Ordering::Relaxed),
                            false => c.busy_bytes.fetch_add(bytes, Ordering::Relaxed),
                        };
                    }
                    pb::DigestResponse::decode(resp.encode_to_vec().as_slice())
                        .map_err(|e| TransportError(e.to_string()))
                }
            })
            .await
    }
}
