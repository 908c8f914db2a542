//! Starting and stopping a node: open the store, admit the certificates, serve both services
//! over mutual TLS 1.3 and start pulling from every configured peer.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use regiosync_replication::Engine;
use regiosync_store::SledStore;
use regiosync_trust::{Signer, Verifier};
use regiosync_types::NodeId;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tonic::transport::Server;

use crate::answers::Answers;
use crate::api_service::ApiService;
use crate::audit::Audit;
use crate::audit_layer::AuditLayer;
use crate::config::NodeConfig;
use crate::error::{Error, Result};
use crate::listener::{self, WireCounter};
use crate::pb::node_api_server::NodeApiServer;
use crate::pb::queries_server::QueriesServer;
use crate::pb::records_server::RecordsServer;
use crate::pb::sync_server::SyncServer;
use crate::queries_service::QueriesService;
use crate::record_rules::RecordRules;
use crate::records_service::RecordsService;
use crate::sync_service::SyncService;
use crate::transport::GrpcTransport;
use crate::{tls, MAX_API_REQUEST, MAX_SYNC_REQUEST};

/// A running node.
pub struct NodeHandle {
    pub node: NodeId,
    pub addr: SocketAddr,
    pub engine: Arc<Engine>,
    /// Bytes on the wire of every accepted connection.
    pub wire: WireCounter,
    /// Where `/metrics` and `/health` are served (`[metrics] listen`), if they are.
    pub metrics_addr: Option<SocketAddr>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<Result<(), tonic::transport::Error>>>,
    crl_watch: Option<JoinHandle<()>>,
    key_watch: Option<JoinHandle<()>>,
    keys: Arc<NodeKeys>,
    health: tonic_health::server::HealthReporter,
    health_watch: Option<JoinHandle<()>>,
    metrics: Option<JoinHandle<()>>,
    /// The audit trail, its anchoring task and who holds its anchors.
    audit: Audit,
    /// The anchoring task and what stops it (never aborted: a publish must not be cut off).
    anchoring: Option<(JoinHandle<()>, oneshot::Sender<()>)>,
    /// Who holds the anchors; None: no anchors (`audit.anchor_secs = 0`).
    anchor_audience: Option<Vec<String>>,
    /// Tells the certificate and CRL watchers to read their files now.
    reload: tokio::sync::watch::Sender<()>,
}

/// What a renewed certificate and key replace while the node runs: the seal key, the server
/// certificate and the client certificate towards peers.
pub(crate) struct NodeKeys {
    engine: Arc<Engine>,
    server: Arc<tls::ServerIdentity>,
    transport: Arc<GrpcTransport>,
    material: std::sync::Mutex<crate::config::TlsMaterial>,
}

impl NodeKeys {
    /// Take a renewed certificate (PEM, with its chain) and key: new seals, new connections and
    /// new handshakes use them; running streams and stored entries keep working, old seals
    /// stay verifiable. Nothing changes when any part is refused. Returns false when they are
    /// the ones in use.
    pub(crate) async fn rotate(&self, cert_pem: &str, key_pem: &str) -> Result<bool> {
        let mut material = self.material.lock().unwrap().clone();
        if material.cert_pem == cert_pem && material.key_pem == key_pem {
            return Ok(false);
        }
        let signer = Signer::from_pem(cert_pem, key_pem)?;
        // Check every part before changing any.
        tls::ServerIdentity::replace_check(cert_pem, key_pem)?;
        material.cert_pem = cert_pem.into();
        material.key_pem = key_pem.into();
        self.engine.rotate(signer).await?;
        self.server.replace(cert_pem, key_pem)?;
        self.transport.rekey(&material)?;
        *self.material.lock().unwrap() = material;
        Ok(true)
    }
}

impl NodeHandle {
    /// Renew this node's certificate and key while it runs (as SIGHUP does with the files):
    /// see `NodeKeys::rotate`.
    pub async fn rotate(&self, cert_pem: &str, key_pem: &str) -> Result<bool> {
        self.keys.rotate(cert_pem, key_pem).await
    }

    /// What SIGHUP does: reopen the audit file (after logrotate moved it: a new `audit.log`,
    /// mode 0600, whose first line continues the chain) and read the certificate, key and CRLs
    /// again now. What it did, or could not, is logged (a file that cannot be opened keeps the
    /// lines going to the one open before).
    pub fn reload(&self) {
        self.reload.send_replace(());
        match self.audit.reopen() {
            Ok(()) => tracing::info!("reload: audit file reopened; certificate, key and CRLs read again"),
            Err(e) => {
                tracing::error!(error = %e, "reload: cannot reopen the audit file: lines go to the file open before")
            }
        }
    }

    /// The node's audit trail.
    pub fn audit(&self) -> &Audit {
        &self.audit
    }

    /// The `https://` address peers and clients use.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Anchor the audit chain one last time (no line is written after it), stop replication,
    /// stop serving, flush the store. Returns when the store is released.
    pub async fn shutdown(mut self) {
        if let Some(watch) = self.health_watch.take() {
            watch.abort();
        }
        crate::health::stopping(&self.health).await;
        if let Some(metrics) = self.metrics.take() {
            metrics.abort();
        }
        for task in [self.crl_watch.take(), self.key_watch.take()] {
            task.into_iter().for_each(|t| t.abort());
        }
        if let Some((task, stop)) = self.anchoring.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
        let head = self.audit.close();
        if let Some(audience) = &self.anchor_audience {
            if let Err(e) = crate::anchors::publish(&self.engine, &head, true, audience).await {
                tracing::warn!(error = %e, seq = head.seq, "cannot anchor the audit chain at shutdown");
            }
        }
        self.engine.shutdown().await;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            match tokio::time::timeout(Duration::from_secs(10), server).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => tracing::warn!(error = %e, "server ended with an error"),
                Ok(Err(e)) => tracing::warn!(error = %e, "server task failed"),
                Err(_) => tracing::warn!("server did not stop within 10 s"),
            }
        }
    }
}

/// Bind `config.listen` and start.
pub async fn start(config: NodeConfig) -> Result<NodeHandle> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| Error::Config(format!("listen {}: {e}", config.listen)))?;
    start_with_listener(config, listener).await
}

/// Start on an already bound listener (tests and the demo bind `127.0.0.1:0` first).
pub async fn start_with_listener(config: NodeConfig, listener: TcpListener) -> Result<NodeHandle> {
    tls::install_crypto_provider();
    let signer = Signer::from_pem(&config.tls.cert_pem, &config.tls.key_pem)?;
    if signer.node() != config.node {
        return Err(Error::Config(format!(
            "tls.cert: certificate is for {} but this node is configured as {}",
            signer.node(),
            config.node
        )));
    }
    let mut verifier = Verifier::from_ca_pem(&config.tls.ca_pem)?.with_members(config.members.clone());
    if !config.tls.intermediates_pem.trim().is_empty() {
        verifier = verifier
            .with_intermediates(&config.tls.intermediates_pem)
            .map_err(|e| Error::Config(format!("tls.intermediates: {e}")))?;
    }
    let verifier = Arc::new(verifier);
    let crl_bytes = match &config.tls.crl {
        Some(src) => {
            Some(std::fs::read(&src.path).map_err(|e| Error::Config(format!("tls.crl: {}: {e}", src.path.display())))?)
        }
        None => None,
    };
    let (server_tls, handshakes, server_identity) =
        tls::server_config(&config.tls, &Default::default(), verifier.clone())?;
    if let (Some(src), Some(bytes)) = (&config.tls.crl, &crl_bytes) {
        crate::revocation::apply(&src.path, bytes, &verifier, &handshakes)?;
    }
    let db_dir = config.data_dir.join("db");
    let (cache, reserve) = (config.cache_bytes, config.reserve);
    let space = regiosync_store::Space::new(&db_dir, reserve);
    // Bound before anything starts, so a taken or wrong address fails the start.
    let metrics_listener = match config.metrics {
        Some(addr) => Some(
            crate::metrics::bind(addr)
                .await
                .map_err(|e| Error::Config(format!("metrics.listen {addr}: {e}")))?,
        ),
        None => None,
    };
    let store = tokio::task::spawn_blocking(move || SledStore::open_with(&db_dir, cache, reserve))
        .await
        .map_err(|e| Error::Config(format!("opening the store: {e}")))??;
    let engine = Engine::open(
        Arc::new(store),
        Arc::new(signer),
        verifier.clone(),
        config.engine.clone(),
        Arc::new(RecordRules::new(config.members.clone())),
    )
    .await?;
    let audit = Audit::open(&config.data_dir, config.node)?;
    let acceptor = TlsAcceptor::from(server_tls);
    let wire = WireCounter::default();
    let addr = listener.local_addr()?;
    let incoming = listener::incoming(listener, acceptor, wire.clone(), audit.clone(), config.connections);

    let peers: Arc<std::collections::BTreeSet<NodeId>> = Arc::new(config.peers.iter().map(|p| p.id).collect());
    let sync = SyncServer::new(SyncService {
        engine: engine.clone(),
        peers: peers.clone(),
    })
    .max_decoding_message_size(MAX_SYNC_REQUEST);
    let api = NodeApiServer::new(ApiService {
        engine: engine.clone(),
        backups: config.data_dir.join("backups"),
        peers: peers.clone(),
    })
    .max_decoding_message_size(MAX_API_REQUEST);
    // One read path for both services: the same aggregates, the same kept views.
    let answers = Arc::new(Answers::new(engine.clone(), i64::from(config.expiring_soon_days)));
    let records = RecordsServer::new(RecordsService {
        engine: engine.clone(),
        answers: answers.clone(),
    })
    .max_decoding_message_size(MAX_API_REQUEST);
    let queries = QueriesServer::new(QueriesService { answers }).max_decoding_message_size(MAX_API_REQUEST);
    // Peers before the port: a write that arrives first must already see whether a national
    // peer is configured (`heal.rs`).
    let transport = Arc::new(GrpcTransport::new(
        &config.tls,
        &config.peers,
        handshakes.servers.clone(),
    )?);
    for peer in &config.peers {
        engine.connect_peer(transport.clone(), peer.id, peer.address.clone());
    }
    let calls = Arc::new(crate::metrics::Calls::new());
    let (metrics, metrics_addr) = match metrics_listener {
        Some(listener) => {
            let addr = listener.local_addr()?;
            let m = crate::metrics::Metrics::new(engine.clone(), space.clone(), calls.clone(), config.peers.len());
            (Some(crate::metrics::serve(listener, Arc::new(m))), Some(addr))
        }
        None => (None, None),
    };
    let (health, health_service, health_watch) = crate::health::start(engine.clone(), space).await;
    let (reflection, reflection_alpha) = crate::health::reflection();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(
        Server::builder()
            .http2_keepalive_interval(Some(config.connections.keepalive()))
            .http2_keepalive_timeout(Some(config.connections.keepalive()))
            .layer(AuditLayer::new(audit.clone(), calls))
            .add_service(sync)
            .add_service(api)
            .add_service(records)
            .add_service(queries)
            .add_service(health_service)
            .add_service(reflection)
            .add_service(reflection_alpha)
            .serve_with_incoming_shutdown(incoming, async {
                let _ = stop_rx.await;
            }),
    );

    let (reload, now) = tokio::sync::watch::channel(());
    let crl_watch = config
        .tls
        .crl
        .clone()
        .map(|src| crate::revocation::watch(src, verifier.clone(), handshakes.clone(), now.clone()));
    let keys = Arc::new(NodeKeys {
        engine: engine.clone(),
        server: server_identity,
        transport: transport.clone(),
        material: std::sync::Mutex::new(config.tls.clone()),
    });
    let key_watch = config
        .tls
        .files
        .clone()
        .map(|files| crate::rotation::watch(files, keys.clone(), now));
    let anchor_audience: Vec<String> = config.peers.iter().map(|p| p.id.to_string()).collect();
    let anchoring = config.audit.anchor_every.map(|every| {
        let (stop, stopped) = oneshot::channel();
        let task = crate::anchors::every(engine.clone(), audit.clone(), every, anchor_audience.clone(), stopped);
        (task, stop)
    });
    tracing::info!(
        node = %config.node,
        %addr,
        peers = config.peers.len(),
        zone_rules = %format!("{} (IANA {})", regiosync_records::calendar::ZONE, regiosync_records::calendar::zone_rules_release()),
        "node started"
    );
    Ok(NodeHandle {
        node: config.node,
        addr,
        engine,
        wire,
        stop: Some(stop_tx),
        server: Some(server),
        crl_watch,
        key_watch,
        keys,
        health,
        health_watch: Some(health_watch),
        metrics,
        metrics_addr,
        audit,
        anchor_audience: anchoring.is_some().then_some(anchor_audience),
        anchoring,
        reload,
    })
}
