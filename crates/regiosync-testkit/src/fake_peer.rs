//! A scripted stand-in for a peer's `Sync` service, for tests where a peer misbehaves (a
//! malicious relay). It serves real mutual TLS with a real node certificate, so the node under
//! test connects to it exactly as it would to the genuine peer; the test then decides, message
//! by message, what each subscription delivers.
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regiosync_node::config::TlsMaterial;
use regiosync_node::{convert, pb};
use regiosync_replication::SyncItem;
use regiosync_trust::Identity;
use regiosync_types::VersionVector;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::{Certificate, Server, ServerTlsConfig};
use tonic::{Request, Response, Status};

/// One `Subscribe` call the fake peer accepted. The stream stays open until this is dropped
/// (or the subscriber goes away); nothing is sent unless the test sends it.
pub struct Subscription {
    /// Who subscribed, from their client certificate.
    pub caller: Identity,
    /// The version vector the subscriber said it holds.
    pub have: VersionVector,
    tx: mpsc::Sender<Result<pb::SyncMessage, Status>>,
}

impl Subscription {
    /// Send one item on the stream. False when the subscriber has gone.
    pub async fn send(&self, item: SyncItem) -> bool {
        self.tx.send(Ok(convert::item_to_pb(item))).await.is_ok()
    }

    /// Send one message as it goes on the wire, including ones no honest peer sends (e.g. a
    /// watermark without its seal).
    pub async fn send_message(&self, message: pb::SyncMessage) -> bool {
        self.tx.send(Ok(message)).await.is_ok()
    }

    /// Resolves when the subscriber dropped the stream (e.g. after refusing what it got).
    pub async fn closed(&self) {
        self.tx.closed().await
    }
}

struct Service {
    subscriptions: mpsc::UnboundedSender<Subscription>,
    digest: Arc<Mutex<VersionVector>>,
}

fn caller<T>(req: &Request<T>) -> Result<Identity, Status> {
    let certs = req
        .peer_certs()
        .ok_or_else(|| Status::unauthenticated("no client certificate"))?;
    let leaf = certs
        .first()
        .ok_or_else(|| Status::unauthenticated("no client certificate"))?;
    Identity::from_cert_der(leaf.as_ref()).map_err(|e| Status::unauthenticated(e.to_string()))
}

#[tonic::async_trait]
impl pb::sync_server::Sync for Service {
    type SubscribeStream = ReceiverStream<Result<pb::SyncMessage, Status>>;

    async fn subscribe(&self, req: Request<pb::SubscribeRequest>) -> Result<Response<Self::SubscribeStream>, Status> {
        let caller = caller(&req)?;
        let have = convert::vv_from_pb(req.into_inner().have, "have")?;
        let (tx, rx) = mpsc::channel(64);
        self.subscriptions
            .send(Subscription { caller, have, tx })
            .map_err(|_| Status::unavailable("fake peer is shutting down"))?;
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn digest(&self, req: Request<pb::DigestRequest>) -> Result<Response<pb::DigestResponse>, Status> {
        caller(&req)?;
        let have = self.digest.lock().unwrap().clone();
        // A fake peer always sends its whole vector (as an older node would).
        Ok(Response::new(pb::DigestResponse {
            have: Some(convert::vv_to_pb(&have)),
            ..Default::default()
        }))
    }
}

/// A fake `Sync` server over mutual TLS (client certificates from the CA in `tls` required).
pub struct FakePeer {
    pub addr: SocketAddr,
    subscriptions: mpsc::UnboundedReceiver<Subscription>,
    digest: Arc<Mutex<VersionVector>>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<Result<(), tonic::transport::Error>>>,
}

impl FakePeer {
    /// Serve on a fresh `127.0.0.1` port with `tls` (the certificate of the node it pretends to be).
    pub async fn start(tls: &TlsMaterial) -> FakePeer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind fake peer");
        Self::start_on(listener, tls).await
    }

    pub async fn start_on(listener: TcpListener, tls: &TlsMaterial) -> FakePeer {
        regiosync_node::tls::install_crypto_provider();
        let addr = listener.local_addr().expect("fake peer address");
        let (sub_tx, sub_rx) = mpsc::unbounded_channel();
        let digest = Arc::new(Mutex::new(VersionVector::new()));
        let service = Service {
            subscriptions: sub_tx,
            digest: digest.clone(),
        };
        let tls_config = ServerTlsConfig::new()
            .identity(tonic::transport::Identity::from_pem(&tls.cert_pem, &tls.key_pem))
            .client_ca_root(Certificate::from_pem(&tls.ca_pem));
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let server = Server::builder()
            .tls_config(tls_config)
            .expect("fake peer TLS config")
            .add_service(pb::sync_server::SyncServer::new(service))
            .serve_with_incoming_shutdown(tonic::transport::server::TcpIncoming::from(listener), async {
                let _ = stop_rx.await;
            });
        FakePeer {
            addr,
            subscriptions: sub_rx,
            digest,
            stop: Some(stop_tx),
            server: Some(tokio::spawn(server)),
        }
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// What `Digest` answers from now on (empty at first).
    pub fn set_digest(&self, vv: VersionVector) {
        *self.digest.lock().unwrap() = vv;
    }

    /// The next `Subscribe` call; panics after `timeout`.
    pub async fn next_subscription(&mut self, timeout: Duration) -> Subscription {
        match tokio::time::timeout(timeout, self.subscriptions.recv()).await {
            Ok(Some(s)) => s,
            Ok(None) => panic!("fake peer stopped"),
            Err(_) => panic!("no subscription at the fake peer within {timeout:?}"),
        }
    }

    pub async fn shutdown(mut self) {
        // Open streams end when their senders go, which lets the server stop gracefully.
        self.subscriptions.close();
        while self.subscriptions.try_recv().is_ok() {}
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
        }
    }
}
