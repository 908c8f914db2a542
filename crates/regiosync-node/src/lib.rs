//! A regiosync node: the gRPC services (`Sync` for peers, `NodeApi` for people) over mutual
//! TLS 1.3, its configuration, its audit log and the gRPC implementation of the replication
//! engine's transport.
//!
//! - `config`: the TOML file, validated once into `NodeConfig`;
//! - `tls` / `listener`: rustls set-up; accepting only authenticated TLS 1.3 connections;
//! - `access`: the one authorisation table (role × action × node);
//! - `sync_service` / `api_service`: the services; identity always from the certificate;
//! - `error`: the one table from engine errors to gRPC status codes;
//! - `transport`: the engine's `Transport` over tonic channels;
//! - `answers`: the one read path: the national questions and the record reads, from the
//!   aggregates through `regiosync_records::read`;
//! - `records_service` (with `records_acts`): the `Records` service for
//!   agreements, capacity and evaluations; `record_rules`: the record rules plugged into the
//!   engine, so every stored entry is checked and indexed;
//! - `queries_service`: the six national questions as gRPC, over `answers`;
//! - `audit` (with `audit_layer`, `anchors`, `audit_verify`): the hash-chained audit trail,
//!   the tower layer that writes one line per request, its anchors in the node's own log, and
//!   `regiosync audit verify`;
//! - `health`: `grpc.health.v1` per service and server reflection, on the same listener;
//! - `metrics`: every gRPC call counted (a tower layer) and the node's state, in the
//!   Prometheus text format on an optional loopback HTTP listener;
//! - `node`: start and stop a node; `client`: connect to one as a person.

pub mod access;
pub mod anchors;
/// The one read path (questions and record reads from the aggregates); public to the query
/// benchmark through the `benchmarking` feature, which times its read and derive steps apart.
#[cfg(feature = "benchmarking")]
pub mod answers;
#[cfg(not(feature = "benchmarking"))]
mod answers;
pub mod api_service;
pub mod audit;
pub mod audit_layer;
pub mod audit_verify;
pub mod check;
pub mod client;
pub mod codec;
pub mod config;
pub mod convert;
pub mod digests;
pub mod error;
mod health;
pub mod listener;
pub mod local;
pub mod metrics;
pub mod node;
pub mod queries_service;
pub mod record_rules;
mod records_acts;
mod records_assist;
mod records_eval;
pub mod records_service;
mod request;
pub mod restore;
pub mod revocation;
pub mod rotation;
pub mod sync_service;
pub mod tls;
pub mod transport;
mod watch;

pub use config::{NodeConfig, Peer, TlsMaterial};
pub use error::{Error, Result};
pub use node::{start, start_with_listener, NodeHandle};

/// Generated protobuf messages and services of package `regiosync.v1`.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    pub use regiosync_records::pb::*;
    pub use regiosync_types::pb::*;
    include!(concat!(env!("OUT_DIR"), "/regiosync.v1.rs"));

    /// Every proto file of the services with its imports (`FileDescriptorSet`, encoded), as
    /// server reflection serves it.
    pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/regiosync_descriptor.bin"));
}

/// Largest request a peer may send on `Sync` (version vectors only).
pub const MAX_SYNC_REQUEST: usize = 64 * 1024;
/// Largest message a `Sync` stream may carry (one batch).
pub const MAX_SYNC_MESSAGE: usize = 16 * 1024 * 1024;
/// Largest request on `NodeApi` (one record of at most 256 KiB payload, plus the envelope).
pub const MAX_API_REQUEST: usize = 512 * 1024;
