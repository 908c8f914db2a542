//! Metrics in the Prometheus text format (OpenMetrics), on an optional plaintext HTTP listener
//! that may only bind a loopback address (`[metrics] listen = "127.0.0.1:9464"`); the brief
//! allows health and metrics in plaintext on loopback only. `GET /metrics` answers the figures,
//! `GET /health` answers 200 "SERVING" or 503 with why writes are refused.
//!
//! Every gRPC call is counted in [`Calls`] by the one tower layer around the whole server that
//! also writes its audit line (`audit_layer.rs`), so calls that never reach a handler count too
//! (unknown methods, undecodable requests), after
//! the conventions of go-grpc-prometheus: `regiosync_grpc_server_handled_total{grpc_service,
//! grpc_method, grpc_code}` and the histogram `regiosync_grpc_server_handling_seconds{
//! grpc_service, grpc_method}`, both counted when the call ends (its trailers, or a
//! trailers-only answer). Methods no service has are labelled `unknown`, so a caller cannot
//! grow the label set. The node's own state is read at each scrape; see [`Metrics::render`]
//! for every name.
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use regiosync_replication::Engine;
use regiosync_store::Space;
use regiosync_types::NodeId;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tonic::codegen::http;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Handled {
    grpc_service: String,
    grpc_method: String,
    grpc_code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Method {
    grpc_service: String,
    grpc_method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Origin {
    origin: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: String,
}

type Histograms = Family<Method, Histogram, fn() -> Histogram>;

fn handling_histogram() -> Histogram {
    // 0.25 ms to about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

/// The gRPC calls counted so far (shared by the layer and the scrape).
pub struct Calls {
    /// "/package.Service/Method" of every method this listener serves.
    known: HashSet<String>,
    handled: Family<Handled, Counter>,
    handling: Histograms,
}

impl Calls {
    /// Knows the methods of regiosync's services, health and reflection.
    pub fn new() -> Calls {
        let mut known = HashSet::new();
        for set in [
            crate::pb::FILE_DESCRIPTOR_SET,
            tonic_health::pb::FILE_DESCRIPTOR_SET,
            tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET,
            tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET,
        ] {
            // Built into the binary: always decodes.
            let fds = <prost_types::FileDescriptorSet as prost::Message>::decode(set).unwrap_or_default();
            for file in &fds.file {
                for s in &file.service {
                    for m in &s.method {
                        known.insert(format!("/{}.{}/{}", file.package(), s.name(), m.name()));
                    }
                }
            }
        }
        Calls {
            known,
            handled: Family::default(),
            handling: Family::new_with_constructor(handling_histogram),
        }
    }

    /// (service, method) of a request path; `unknown` for a method no service has.
    fn method(&self, path: &str) -> Method {
        let split = self
            .known
            .contains(path)
            .then(|| path.trim_start_matches('/').split_once('/'))
            .flatten();
        let (service, method) = split.unwrap_or(("unknown", "unknown"));
        Method {
            grpc_service: service.into(),
            grpc_method: method.into(),
        }
    }

    /// A call of `path` ended with `code`, `started` when it came in (told by the one layer
    /// around the server, `audit_layer.rs`, when it writes the call's audit line).
    pub(crate) fn ended(&self, path: &str, code: tonic::Code, started: Instant) {
        let method = self.method(path);
        let code = match code {
            tonic::Code::Ok => "OK".to_string(),
            c => format!("{c:?}"),
        };
        self.handled
            .get_or_create(&Handled {
                grpc_service: method.grpc_service.clone(),
                grpc_method: method.grpc_method.clone(),
                grpc_code: code,
            })
            .inc();
        self.handling
            .get_or_create(&method)
            .observe(started.elapsed().as_secs_f64());
    }
}

impl Default for Calls {
    fn default() -> Self {
        Calls::new()
    }
}

/// What a scrape reads: the engine, the store's filesystem, the counted calls.
pub struct Metrics {
    engine: Arc<Engine>,
    space: Space,
    calls: Arc<Calls>,
    peers_configured: usize,
    /// Per origin, the cursor last seen and since when (moved by [`Metrics::note_progress`]).
    progress: Mutex<BTreeMap<NodeId, (u64, Instant)>>,
}

impl Metrics {
    pub fn new(engine: Arc<Engine>, space: Space, calls: Arc<Calls>, peers_configured: usize) -> Metrics {
        let m = Metrics {
            engine,
            space,
            calls,
            peers_configured,
            progress: Mutex::new(BTreeMap::new()),
        };
        m.note_progress();
        m
    }

    /// Note which origins' cursors moved since the last look.
    fn note_progress(&self) {
        let now = Instant::now();
        let held = self.engine.version_vector();
        let mut progress = self.progress.lock().unwrap();
        for (origin, seq) in held.iter() {
            let at = progress.entry(origin).or_insert((seq, now));
            if at.0 != seq {
                *at = (seq, now);
            }
        }
    }

    /// Every figure, in the OpenMetrics text format:
    /// - `regiosync_build_info{version}` 1;
    /// - `regiosync_peers_configured`, `regiosync_peers_connected`;
    /// - per origin: `regiosync_origin_entries_held` (this node's cursor),
    ///   `regiosync_origin_entries_behind` (the most any peer holds beyond it),
    ///   `regiosync_origin_seconds_since_progress` (since its cursor last moved here);
    /// - `regiosync_entries_stored`, `regiosync_duplicates_received_total`,
    ///   `regiosync_stream_refusals_total{reason}` (invalid, equivocation, not_stored,
    ///   malformed), `regiosync_stream_refusals_by_origin_total{origin}`,
    ///   `regiosync_equivocations_total{origin}`, `regiosync_chunks_quarantined`,
    ///   `regiosync_entries_missing`;
    /// - `regiosync_writes_refused` (1 while healing or below the disk reserve),
    ///   `regiosync_disk_full`, `regiosync_store_size_bytes`, `regiosync_store_free_bytes`,
    ///   `regiosync_store_reserve_bytes`;
    /// - the gRPC calls (see the module).
    pub async fn render(&self) -> Result<String, String> {
        self.note_progress();
        let status = self
            .engine
            .status()
            .await
            .map_err(|e| format!("reading the node's status: {e}"))?;
        let engine = self.engine.clone();
        let size = tokio::task::spawn_blocking(move || engine.size_on_disk())
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("reading the store's size: {e}"))?;
        let (free, reserve) = self.space.free_and_reserve().unwrap_or((0, 0));
        let mut r = Registry::with_prefix("regiosync");

        let info = Family::<Vec<(String, String)>, Gauge>::default();
        info.get_or_create(&vec![("version".into(), env!("CARGO_PKG_VERSION").into())])
            .set(1);
        r.register("build_info", "The build of this node", info);
        r.register(
            "peers_configured",
            "Peers in this node's configuration",
            gauge(self.peers_configured as i64),
        );
        let connected = status.peers.iter().filter(|p| p.connected).count();
        r.register(
            "peers_connected",
            "Configured peers with a stream open now",
            gauge(connected as i64),
        );

        let (held, behind, since) = (origins(), origins(), origins());
        let progress = self.progress.lock().unwrap().clone();
        for (origin, seq) in status.held.iter() {
            let label = Origin {
                origin: origin.to_string(),
            };
            held.get_or_create(&label).set(seq as i64);
            let most = status
                .peers
                .iter()
                .filter_map(|p| p.behind.get(&origin))
                .max()
                .copied()
                .unwrap_or(0);
            behind.get_or_create(&label).set(most as i64);
            if let Some((_, at)) = progress.get(&origin) {
                since.get_or_create(&label).set(at.elapsed().as_secs() as i64);
            }
        }
        r.register(
            "origin_entries_held",
            "How far this node holds each origin's log (its cursor)",
            held,
        );
        r.register(
            "origin_entries_behind",
            "Per origin, how many sequence numbers the furthest peer holds beyond this node",
            behind,
        );
        r.register(
            "origin_seconds_since_progress",
            "Per origin, seconds since this node's cursor last moved",
            since,
        );
        r.register(
            "entries_stored",
            "Entries this node stores",
            gauge(status.entries_held as i64),
        );
        r.register(
            "duplicates_received",
            "Entries received that this node already held",
            counter(self.engine.duplicates_received()),
        );
        let refusals = Family::<Reason, Counter>::default();
        for (reason, n) in self.engine.refused_by_reason() {
            refusals.get_or_create(&Reason { reason: reason.into() }).inc_by(n);
        }
        r.register(
            "stream_refusals",
            "Messages from peers refused, by reason (invalid, equivocation, not_stored, malformed)",
            refusals,
        );
        r.register(
            "stream_refusals_by_origin",
            "Messages from peers refused, by the origin of their entries",
            by_origin(self.engine.rejected_by_origin()),
        );
        r.register(
            "equivocations",
            "Another body met under a sequence number already held, by origin",
            by_origin(self.engine.equivocations_by_origin()),
        );
        r.register(
            "chunks_quarantined",
            "Stored chunks set aside as damaged until a peer sends them again",
            gauge(status.damaged.len() as i64),
        );
        let missing: u64 = status.missing.iter().map(|r| r.count()).sum();
        r.register(
            "entries_missing",
            "Sequence numbers recorded missing here, asked for again from peers",
            gauge(missing as i64),
        );
        let refused = crate::health::writes_refused(&self.engine, &self.space);
        r.register(
            "writes_refused",
            "1 while this node refuses writes (healing its own log, or the disk below the reserve)",
            gauge(i64::from(refused.is_some())),
        );
        r.register(
            "disk_full",
            "1 while the store's filesystem has less free space than the reserve",
            gauge(i64::from(self.space.check(0).is_err())),
        );
        r.register_with_unit(
            "store_size",
            "The store's size on disk",
            Unit::Bytes,
            gauge(size as i64),
        );
        r.register_with_unit(
            "store_free",
            "Free space on the store's filesystem",
            Unit::Bytes,
            gauge(free as i64),
        );
        r.register_with_unit(
            "store_reserve",
            "Free space the store keeps in reserve (writes are refused below it)",
            Unit::Bytes,
            gauge(reserve as i64),
        );
        r.register(
            "grpc_server_handled",
            "gRPC calls ended, by service, method and status code",
            self.calls.handled.clone(),
        );
        r.register_with_unit(
            "grpc_server_handling",
            "How long gRPC calls took, until their status",
            Unit::Seconds,
            self.calls.handling.clone(),
        );
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &r).map_err(|e| e.to_string())?;
        Ok(out)
    }
}

fn gauge(v: i64) -> Gauge {
    let g = Gauge::default();
    g.set(v);
    g
}

fn counter(v: u64) -> Counter {
    let c = Counter::default();
    c.inc_by(v);
    c
}

fn origins() -> Family<Origin, Gauge> {
    Family::default()
}

fn by_origin(counts: BTreeMap<NodeId, u64>) -> Family<Origin, Counter> {
    let f = Family::<Origin, Counter>::default();
    for (origin, n) in counts {
        f.get_or_create(&Origin {
            origin: origin.to_string(),
        })
        .inc_by(n);
    }
    f
}

/// Serve `/metrics` and `/health` on `listener` (a loopback address, checked by the
/// configuration) until aborted; the cursors' progress is noted every second meanwhile.
pub fn serve(listener: TcpListener, metrics: Arc<Metrics>) -> JoinHandle<()> {
    use hyper_util::rt::TokioIo;
    tokio::spawn(async move {
        let m = metrics.clone();
        let _progress = AbortOnDrop(tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                m.note_progress();
            }
        }));
        loop {
            let (stream, remote) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "metrics listener: accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            };
            let m = metrics.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let m = m.clone();
                    async move { Ok::<_, std::convert::Infallible>(answer(&m, req).await) }
                });
                if let Err(e) = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(%remote, error = %e, "metrics connection ended with an error");
                }
            });
        }
    })
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn answer(m: &Metrics, req: http::Request<hyper::body::Incoming>) -> http::Response<http_body_util::Full<Bytes>> {
    let reply = |code: u16, kind: &str, body: String| {
        http::Response::builder()
            .status(code)
            .header("content-type", kind)
            .body(http_body_util::Full::new(Bytes::from(body)))
            .expect("a valid response")
    };
    const TEXT: &str = "text/plain; charset=utf-8";
    if req.method() != http::Method::GET {
        return reply(405, TEXT, "only GET\n".into());
    }
    match req.uri().path() {
        "/metrics" => match m.render().await {
            Ok(body) => reply(200, "application/openmetrics-text; version=1.0.0; charset=utf-8", body),
            Err(e) => reply(500, TEXT, format!("{e}\n")),
        },
        "/health" => match crate::health::writes_refused(&m.engine, &m.space) {
            None => reply(200, TEXT, "SERVING\n".into()),
            Some(why) => reply(503, TEXT, format!("NOT_SERVING: {why}\n")),
        },
        _ => reply(404, TEXT, "not found: /metrics or /health\n".into()),
    }
}

/// Bind the metrics listener: a loopback address only (the configuration checks it too).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    if !addr.ip().is_loopback() {
        return Err(std::io::Error::other(format!(
            "metrics.listen {addr}: metrics are served in plaintext, on a loopback address only"
        )));
    }
    TcpListener::bind(addr).await
}
