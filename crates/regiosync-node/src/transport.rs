//! The engine's [`Transport`] over gRPC: one lazily connected mTLS channel per peer, verified
//! against the peer's node name.
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

use futures::StreamExt;
use regiosync_replication::transport::ItemStream;
use regiosync_replication::{SeqRange, Transport, TransportError};
use regiosync_types::{NodeId, VersionVector};
use tonic::transport::{Channel, Endpoint};

use crate::config::{Peer, TlsMaterial};
use crate::error::Result;
use crate::pb::sync_client::SyncClient;
use crate::{convert, pb, tls, MAX_SYNC_MESSAGE};

pub struct GrpcTransport {
    channels: RwLock<HashMap<NodeId, Channel>>,
    peers: Vec<Peer>,
}

impl GrpcTransport {
    pub fn new(material: &TlsMaterial, peers: &[Peer]) -> Result<GrpcTransport> {
        Ok(GrpcTransport {
            channels: RwLock::new(Self::channels(material, peers)?),
            peers: peers.to_vec(),
        })
    }

    /// Connect to the peers with `material` (a renewed certificate) from the next connection
    /// on; streams running on the old channels keep them until they end.
    pub fn rekey(&self, material: &TlsMaterial) -> Result<()> {
        *self.channels.write().unwrap() = Self::channels(material, &self.peers)?;
        Ok(())
    }

    fn channels(material: &TlsMaterial, peers: &[Peer]) -> Result<HashMap<NodeId, Channel>> {
        let mut channels = HashMap::new();
        for p in peers {
            let tls = tls::client_tls(&material.ca_pem, &material.cert_pem, &material.key_pem, p.id);
            let channel = Endpoint::from_shared(p.address.clone())?
                .tls_config(tls)?
                .connect_timeout(Duration::from_secs(5))
                .http2_keep_alive_interval(Duration::from_secs(30))
                .keep_alive_timeout(Duration::from_secs(10))
                .tcp_nodelay(true)
                .connect_lazy();
            channels.insert(p.id, channel);
        }
        Ok(channels)
    }

    fn client(&self, peer: NodeId) -> Result<SyncClient<Channel>, TransportError> {
        let ch = self
            .channels
            .read()
            .unwrap()
            .get(&peer)
            .cloned()
            .ok_or_else(|| TransportError(format!("{peer} is not a configured peer")))?;
        Ok(SyncClient::new(ch).max_decoding_message_size(MAX_SYNC_MESSAGE))
    }
}

/// The status and its whole cause chain (the OS error under "tcp connect error", the TLS alert
/// under "transport error"), so a peer's last error and the log say what actually failed.
fn err(s: tonic::Status) -> TransportError {
    let mut text = format!("{:?}: {}", s.code(), s.message());
    let mut source = std::error::Error::source(&s);
    while let Some(e) = source {
        let cause = e.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = e.source();
    }
    TransportError(text)
}

impl Transport for GrpcTransport {
    async fn subscribe(
        &self,
        peer: NodeId,
        have: VersionVector,
        lacks: Vec<SeqRange>,
    ) -> Result<ItemStream, TransportError> {
        let mut client = self.client(peer)?;
        let req = pb::SubscribeRequest {
            have: Some(convert::vv_to_pb(&have)),
            lacks: lacks.into_iter().map(convert::range_to_pb).collect(),
        };
        let stream = client.subscribe(req).await.map_err(err)?.into_inner();
        Ok(Box::pin(stream.map(|m| {
            m.map_err(err)
                .and_then(|m| convert::item_from_pb(m).map_err(TransportError))
        })))
    }

    async fn digest(&self, peer: NodeId, have: VersionVector) -> Result<VersionVector, TransportError> {
        let mut client = self.client(peer)?;
        let req = pb::DigestRequest {
            have: Some(convert::vv_to_pb(&have)),
        };
        let resp = client.digest(req).await.map_err(err)?.into_inner();
        convert::vv_from_pb(resp.have, "have").map_err(err)
    }
}
