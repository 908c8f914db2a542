//! The standard gRPC surfaces beside regiosync's own, on the same mutual-TLS listener (so only
//! a caller with a certificate of the federation reaches them): `grpc.health.v1.Health` per
//! service, and server reflection (v1 and v1alpha) for grpcurl and similar tools.
//!
//! Health, per service name:
//! - `regiosync.v1.Sync` and `regiosync.v1.Queries`: SERVING while the node runs (peers heal a
//!   node's log through `Sync`, so it stays up exactly when the node needs it);
//! - `regiosync.v1.NodeApi`, `regiosync.v1.Records` and the whole server (`""`): NOT_SERVING
//!   while the node refuses writes: it is still healing its own log (after a restore, or a
//!   damaged store), or the disk holding the store is below its reserve;
//! - every name NOT_SERVING once the node is stopping.
use std::sync::Arc;
use std::time::Duration;

use regiosync_replication::Engine;
use regiosync_store::Space;
use tokio::task::JoinHandle;
use tonic::server::NamedService;
use tonic_health::server::HealthReporter;
use tonic_health::ServingStatus;

use crate::api_service::ApiService;
use crate::pb::node_api_server::NodeApiServer;
use crate::pb::queries_server::QueriesServer;
use crate::pb::records_server::RecordsServer;
use crate::pb::sync_server::SyncServer;
use crate::queries_service::QueriesService;
use crate::records_service::RecordsService;
use crate::sync_service::SyncService;

/// Services that take writes: NOT_SERVING (with the whole server) while writes are refused.
const WRITERS: [&str; 3] = [
    "",
    NodeApiServer::<ApiService>::NAME,
    RecordsServer::<RecordsService>::NAME,
];
/// Services that serve while the node runs.
const ALWAYS: [&str; 2] = [SyncServer::<SyncService>::NAME, QueriesServer::<QueriesService>::NAME];

/// Why this node refuses writes now, if it does: healing its own log, or the disk below the
/// store's reserve.
pub(crate) fn writes_refused(engine: &Engine, space: &Space) -> Option<String> {
    engine
        .healing()
        .or_else(|| space.check(0).err().map(|d| format!("disk full: {d}")))
}

/// The health service and the task that keeps it true (every second, and whenever a cursor
/// moves). Abort the task and call [`stopping`] on shutdown.
pub(crate) async fn start(
    engine: Arc<Engine>,
    space: Space,
) -> (
    HealthReporter,
    tonic_health::pb::health_server::HealthServer<impl tonic_health::pb::health_server::Health>,
    JoinHandle<()>,
) {
    let (reporter, server) = tonic_health::server::health_reporter();
    for name in ALWAYS {
        reporter.set_service_status(name, ServingStatus::Serving).await;
    }
    // The first answer is already true when the node starts listening.
    let mut was = update(&reporter, &engine, &space, None).await;
    let r = reporter.clone();
    let task = tokio::spawn(async move {
        let mut changes = engine.changes();
        loop {
            was = update(&r, &engine, &space, Some(was)).await;
            tokio::select! {
                r = changes.changed() => if r.is_err() { tokio::time::sleep(Duration::from_secs(1)).await },
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    });
    (reporter, server, task)
}

/// Set the writing services as writes are now; returns whether they serve.
async fn update(reporter: &HealthReporter, engine: &Engine, space: &Space, was: Option<bool>) -> bool {
    let refused = writes_refused(engine, space);
    let serving = refused.is_none();
    if was != Some(serving) {
        let status = match serving {
            true => ServingStatus::Serving,
            false => ServingStatus::NotServing,
        };
        for name in WRITERS {
            reporter.set_service_status(name, status).await;
        }
        // At start a node that must first learn how far its own log reached is not serving
        // writes for a moment: normal, so only said at info; losing writes later is a warning.
        match (&refused, was) {
            (Some(why), Some(true)) => tracing::warn!(%why, "health: NOT_SERVING for writes"),
            (Some(why), _) => tracing::info!(%why, "health: NOT_SERVING for writes yet"),
            (None, Some(false)) => tracing::info!("health: SERVING writes"),
            (None, _) => {}
        }
    }
    serving
}

/// Every service NOT_SERVING: the node is stopping.
pub(crate) async fn stopping(reporter: &HealthReporter) {
    for name in WRITERS.iter().chain(ALWAYS.iter()) {
        reporter.set_service_status(name, ServingStatus::NotServing).await;
    }
}

/// Server reflection, v1 and v1alpha (grpcurl asks v1 first and falls back), describing every
/// service of this listener: regiosync's four, health and reflection itself.
pub(crate) fn reflection() -> (
    tonic_reflection::server::v1::ServerReflectionServer<impl tonic_reflection::server::v1::ServerReflection>,
    tonic_reflection::server::v1alpha::ServerReflectionServer<impl tonic_reflection::server::v1alpha::ServerReflection>,
) {
    let builder = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    // The descriptor sets are built into the binary: they always decode.
    (
        builder().build_v1().expect("reflection over the built-in descriptors"),
        builder()
            .build_v1alpha()
            .expect("reflection over the built-in descriptors"),
    )
}
