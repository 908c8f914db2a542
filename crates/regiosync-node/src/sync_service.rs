//! The `Sync` service: peers subscribe to what they are missing and compare version vectors.
//! Only node certificates may call it, and what is served is decided by the caller's
//! certificate identity, never by a request field.
use std::collections::BTreeSet;
use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use regiosync_replication::Engine;
use regiosync_types::NodeId;
use tonic::{Request, Response, Status};

use crate::access::{may_replicate, Here};
use crate::convert;
use crate::listener::PeerInfo;
use crate::pb;
use crate::request::{note, peer_info, Described};

pub struct SyncService {
    pub engine: Arc<Engine>,
    /// The nodes this node is configured to peer with: the only ones it replicates with.
    pub peers: Arc<BTreeSet<NodeId>>,
}

impl SyncService {
    /// The calling node, when it is one of this node's configured peers.
    fn peer_of(&self, info: &PeerInfo) -> Result<NodeId, Status> {
        let here = Here {
            me: self.engine.me(),
            members: self.engine.members(),
            peers: &self.peers,
        };
        may_replicate(&info.identity, here)
    }
}

type SyncStream = Pin<Box<dyn Stream<Item = Result<pb::SyncMessage, Status>> + Send>>;

#[tonic::async_trait]
impl pb::sync_server::Sync for SyncService {
    type SubscribeStream = SyncStream;

    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn subscribe(&self, req: Request<pb::SubscribeRequest>) -> Result<Response<SyncStream>, Status> {
        let info = peer_info(&req)?;
        let peer = self.peer_of(&info)?;
        let r = req.get_ref();
        note(&req, Described::detail(format!("lacks={}", r.lacks.len())));
        let req = req.into_inner();
        let (have, lacks) = convert::subscribe_from_pb(req)?;
        tracing::debug!(%peer, lacks = lacks.len(), "serving subscription");
        let stream = self
            .engine
            .serve(peer, have, lacks)
            .map(|item| Ok(convert::item_to_pb(item)));
        Ok(Response::new(Box::pin(stream)))
    }

    async fn digest(&self, req: Request<pb::DigestRequest>) -> Result<Response<pb::DigestResponse>, Status> {
        let info = peer_info(&req)?;
        let peer = self.peer_of(&info)?;
        Ok(Response::new(crate::digests::answer(
            &self.engine,
            peer,
            req.into_inner(),
        )?))
    }
}
