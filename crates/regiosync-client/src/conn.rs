//! Connecting to a node as a person: the node's address and the person's certificate, given
//! as `--node` with `--pki DIR --as NAME` (a folder from `regiosync pki init`) or
//! `--ca/--cert/--key` (PEM files), and the mutual-TLS channel to the node built from them.
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use tonic::transport::Channel;

/// How to reach a node and who you are.
///
/// A clap `Args` on purpose: these flags and their `REGIOSYNC_*` environment variables are the
/// one description of a connection, flattened into every command of the `regiosync` binary
/// (the record commands, the questions, the dashboard), so no command can name the node or the
/// certificate differently; a plain struct here would only be a second copy of every field.
#[derive(Args, Clone, Debug, Default)]
// The doc comment is for readers of the code; it must not become the help text of the
// commands that flatten `Conn`.
#[command(about = None, long_about = None)]
pub struct Conn {
    /// The node, e.g. https://127.0.0.1:7101
    #[arg(long, env = "REGIOSYNC_NODE", global = true)]
    pub node: Option<String>,
    /// A PKI folder written by `regiosync pki init`; use with --as.
    #[arg(long, env = "REGIOSYNC_PKI", global = true)]
    pub pki: Option<PathBuf>,
    /// Who you are in that folder, e.g. operator-vr01 or coordinator.
    #[arg(long = "as", env = "REGIOSYNC_AS", global = true)]
    pub as_person: Option<String>,
    /// Federation CA bundle (PEM); overrides --pki.
    #[arg(long, env = "REGIOSYNC_CA", global = true)]
    pub ca: Option<PathBuf>,
    /// Your client certificate (PEM); overrides --pki/--as.
    #[arg(long, env = "REGIOSYNC_CERT", global = true)]
    pub cert: Option<PathBuf>,
    /// Your private key (PEM); overrides --pki/--as.
    #[arg(long, env = "REGIOSYNC_KEY", global = true)]
    pub key: Option<PathBuf>,
    /// Name the node's certificate must carry (default: the host in --node).
    #[arg(long, global = true)]
    pub server_name: Option<String>,
}

/// Largest answer taken from `NodeApi` and `Records`.
const MAX_ANSWER: usize = 64 * 1024 * 1024;
/// Largest answer to a national question.
const MAX_QUERY_ANSWER: usize = 16 * 1024 * 1024;

impl Conn {
    /// A mutual-TLS channel to the node for any of its services.
    pub async fn channel(&self) -> Result<Channel> {
        let node = self
            .node
            .as_deref()
            .context("--node (or REGIOSYNC_NODE) is required, e.g. --node https://127.0.0.1:7101")?;
        let read =
            |p: &PathBuf, what: &str| std::fs::read_to_string(p).with_context(|| format!("{what} {}", p.display()));
        let from_pki = |sub: &str, ext: &str| -> Result<PathBuf> {
            let pki = self
                .pki
                .as_ref()
                .context("give --ca/--cert/--key, or --pki DIR with --as NAME")?;
            if sub.is_empty() {
                return Ok(pki.join(ext));
            }
            let who = self
                .as_person
                .as_deref()
                .context("--as NAME is required with --pki (e.g. --as operator-vr01)")?;
            Ok(pki.join(sub).join(format!("{who}.{ext}")))
        };
        let ca = match &self.ca {
            Some(p) => p.clone(),
            None => from_pki("", "ca.pem")?,
        };
        let cert = match &self.cert {
            Some(p) => p.clone(),
            None => from_pki("people", "pem")?,
        };
        let key = match &self.key {
            Some(p) => p.clone(),
            None => from_pki("people", "key")?,
        };
        connect(
            node,
            (
                &read(&ca, "CA bundle")?,
                &read(&cert, "certificate")?,
                &read(&key, "private key")?,
            ),
            self.server_name.as_deref(),
        )
        .await
    }

    /// The node's `NodeApi` service (publish, list, show, status, backup).
    pub async fn node_api(&self) -> Result<NodeApiClient<Channel>> {
        Ok(NodeApiClient::new(self.channel().await?).max_decoding_message_size(MAX_ANSWER))
    }

    /// The node's `Records` service (agreements, capacity, evaluations).
    pub async fn records(&self) -> Result<RecordsClient<Channel>> {
        Ok(RecordsClient::new(self.channel().await?).max_decoding_message_size(MAX_ANSWER))
    }

    /// The node's `Queries` service (the national questions).
    pub async fn queries(&self) -> Result<QueriesClient<Channel>> {
        Ok(QueriesClient::new(self.channel().await?).max_decoding_message_size(MAX_QUERY_ANSWER))
    }

    /// Who asks, for people to read: the certificate file when given, else the `--as` name.
    pub fn who(&self) -> String {
        match (&self.as_person, &self.cert) {
            (_, Some(cert)) => cert.display().to_string(),
            (Some(name), None) => name.clone(),
            (None, None) => String::new(),
        }
    }
}

/// A mutual-TLS channel to `node` ("https://host:port") as the person whose certificate is in
/// hand: CA bundle, client certificate and private key as PEM. The node's certificate must be
/// valid for `server_name` (by default the host in `node`).
pub async fn connect(node: &str, (ca, cert, key): (&str, &str, &str), server_name: Option<&str>) -> Result<Channel> {
    regiosync_node::client::channel(node, ca, cert, key, server_name)
        .await
        .with_context(|| format!("connecting to {node}"))
}
