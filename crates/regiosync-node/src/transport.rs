//! The engine's [`Transport`] over gRPC: one lazily connected mTLS channel per peer. The TLS is
//! the node's own (rustls under HTTP/2, `tls::peer_client_config`), so a peer's certificate
//! meets the same rules as a client's: configured CAs and intermediates only, a leaf, its
//! member's pin, the CRLs in force, and the peer's node name.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures::StreamExt;
use regiosync_replication::transport::ItemStream;
use regiosync_replication::{SeqRange, Transport, TransportError};
use regiosync_types::{NodeId, VersionVector};
use tonic::transport::{Channel, Endpoint};

use crate::config::{Peer, TlsMaterial};
use crate::digests::Digests;
use crate::error::Result;
use crate::pb::sync_client::SyncClient;
use crate::{convert, tls, MAX_SYNC_MESSAGE};

pub struct GrpcTransport {
    channels: RwLock<HashMap<NodeId, Channel>>,
    peers: Vec<Peer>,
    servers: Arc<tls::FederationServers>,
    digests: Digests,
}

impl GrpcTransport {
    pub fn new(material: &TlsMaterial, peers: &[Peer], servers: Arc<tls::FederationServers>) -> Result<GrpcTransport> {
        Ok(GrpcTransport {
            channels: RwLock::new(Self::channels(material, peers, &servers)?),
            peers: peers.to_vec(),
            servers,
            digests: Digests::default(),
        })
    }

    /// Connect to the peers with `material` (a renewed certificate) from the next connection
    /// on; streams running on the old channels keep them until they end.
    pub fn rekey(&self, material: &TlsMaterial) -> Result<()> {
        *self.channels.write().unwrap() = Self::channels(material, &self.peers, &self.servers)?;
        Ok(())
    }

    fn channels(
        material: &TlsMaterial,
        peers: &[Peer],
        servers: &Arc<tls::FederationServers>,
    ) -> Result<HashMap<NodeId, Channel>> {
        let config = tls::peer_client_config(material, servers.clone())?;
        let mut channels = HashMap::new();
        for p in peers {
            let uri: tonic::codegen::http::Uri = p
                .address
                .parse()
                .map_err(|e| crate::error::Error::Config(format!("peer {}: address {}: {e}", p.id, p.address)))?;
            let authority = uri.authority().map(|a| a.to_string()).ok_or_else(|| {
                crate::error::Error::Config(format!("peer {}: address {} has no host", p.id, p.address))
            })?;
            let name = rustls_pki_types::ServerName::try_from(p.id.dns_name())
                .map_err(|e| crate::error::Error::Config(format!("peer {}: {e}", p.id)))?;
            let connector = PeerConnector {
                config: config.clone(),
                authority: authority.clone(),
                name,
            };
            // HTTP/2 over the node's own TLS stream: the endpoint itself speaks plain h2.
            let channel = Endpoint::from_shared(format!("http://{authority}"))?
                .connect_timeout(Duration::from_secs(5))
                .http2_keep_alive_interval(Duration::from_secs(30))
                .keep_alive_timeout(Duration::from_secs(10))
                .connect_with_connector_lazy(connector);
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

/// Opens a TCP connection to one peer and the node's TLS over it.
#[derive(Clone)]
struct PeerConnector {
    config: Arc<rustls::ClientConfig>,
    authority: String,
    name: rustls_pki_types::ServerName<'static>,
}

type PeerStream = hyper_util::rt::TokioIo<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

impl tower::Service<tonic::codegen::http::Uri> for PeerConnector {
    type Response = PeerStream;
    type Error = std::io::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<PeerStream>> + Send>>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: tonic::codegen::http::Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let tcp = tokio::net::TcpStream::connect(&this.authority).await?;
            tcp.set_nodelay(true)?;
            let tls = tokio_rustls::TlsConnector::from(this.config)
                .connect(this.name, tcp)
                .await?;
            Ok(hyper_util::rt::TokioIo::new(tls))
        })
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
        let req = convert::subscribe_to_pb(&have, lacks);
        let stream = client.subscribe(req).await.map_err(err)?.into_inner();
        Ok(Box::pin(stream.map(|m| {
            m.map_err(err)
                .and_then(|m| convert::item_from_pb(m).map_err(TransportError))
        })))
    }

    /// Names the vector last got from `peer` by its digest ([`Digests`]).
    async fn digest(&self, peer: NodeId, _have: VersionVector) -> Result<VersionVector, TransportError> {
        let client = self.client(peer)?;
        self.digests
            .exchange(peer, |req| {
                let mut client = client.clone();
                async move { Ok(client.digest(req).await.map_err(err)?.into_inner()) }
            })
            .await
    }
}
