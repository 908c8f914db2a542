//! Connecting to a node as a person: the node's address and the person's certificate, given
//! as `--node` with `--pki DIR --as NAME` (a folder from `regiosync pki init`) or
//! `--ca/--cert/--key` (PEM files), and the mutual-TLS channel to the node built from them.
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use hyper_util::rt::TokioIo;
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tonic::codegen::http::Uri;
use tonic::codegen::Service;
use tonic::transport::{Channel, Endpoint};

use crate::rpc::{explain, Failure, Target};
use crate::said::{Tell, Text};

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
        let (node, ca, cert, key) = self.files()?;
        connect(&node, (&ca, &cert, &key), self.server_name.as_deref()).await
    }

    /// The same, connecting when first used and again whenever the node comes back
    /// ([`connect_lazy`]).
    pub fn lazy_channel(&self) -> Result<Channel> {
        let (node, ca, cert, key) = self.files()?;
        connect_lazy(&node, (&ca, &cert, &key), self.server_name.as_deref())
    }

    /// The node, and the CA bundle, certificate and key as PEM text.
    fn files(&self) -> Result<(String, String, String, String)> {
        let node = self.node.as_deref().told(Text::new("err-conn-node-required"))?;
        let read = |p: &PathBuf, what: &'static str| {
            std::fs::read_to_string(p).told_with(|| Text::new(what).arg("path", p.display()))
        };
        let from_pki = |sub: &str, ext: &str| -> Result<PathBuf> {
            let pki = self.pki.as_ref().told(Text::new("err-conn-files-required"))?;
            if sub.is_empty() {
                return Ok(pki.join(ext));
            }
            let who = self.as_person.as_deref().told(Text::new("err-conn-as-required"))?;
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
        Ok((
            node.to_string(),
            read(&ca, "err-conn-read-ca")?,
            read(&cert, "err-conn-read-cert")?,
            read(&key, "err-conn-read-key")?,
        ))
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

/// How long reaching the node and the TLS handshake may take, each.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for the node's first bytes after the handshake: its verdict on our
/// certificate (an alert) or its HTTP/2 settings.
const VERDICT_TIMEOUT: Duration = Duration::from_secs(5);

/// A mutual-TLS channel to `node` ("https://host:port") as the person whose certificate is in
/// hand: CA bundle, client certificate and private key as PEM. The node's certificate must be
/// valid for `server_name` (by default the host in `node`).
///
/// The handshake is our own (`Handshake`), so that a refusal says why: in TLS 1.3 the node
/// checks a client certificate after the client has finished its side of the handshake, and
/// its verdict (a TLS alert: unknown CA, expired, revoked, no identity it accepts) is the first
/// thing it sends. We read that before the channel is handed out, so every cause comes back
/// from here as a [`Failure`] (`rpc::explain`), never as a later "transport error".
pub async fn connect(node: &str, pems: (&str, &str, &str), server_name: Option<&str>) -> Result<Channel> {
    let (endpoint, handshake, target) = endpoint(node, pems, server_name)?;
    endpoint
        .connect_with_connector(handshake)
        .await
        .map_err(|e| anyhow::Error::new(explain(&e, &target)))
}

/// A channel that connects when first used and again after the node went away (the
/// dashboard, which must start and keep going while its node is down): the same TLS and
/// checks as [`connect`], but a failure shows in each call's status instead of here.
pub fn connect_lazy(node: &str, pems: (&str, &str, &str), server_name: Option<&str>) -> Result<Channel> {
    let (endpoint, handshake, _) = endpoint(node, pems, server_name)?;
    Ok(endpoint.connect_with_connector_lazy(handshake))
}

fn endpoint(
    node: &str,
    (ca, cert, key): (&str, &str, &str),
    server_name: Option<&str>,
) -> Result<(Endpoint, Handshake, Target)> {
    let (host, port) = host_port(node)?;
    let target = Target {
        node: node.to_string(),
        server_name: server_name.unwrap_or(&host).to_string(),
    };
    let handshake = Handshake {
        config: client_config(ca, cert, key)?,
        server_name: ServerName::try_from(target.server_name.clone())
            .told_with(|| Text::new("err-conn-server-name").arg("name", &target.server_name))?,
        host: host.clone(),
        port,
        target: Arc::new(target.clone()),
    };
    // TLS is the connector's: the channel itself speaks HTTP/2 over the stream it is given.
    let endpoint = Endpoint::from_shared(format!("http://{}:{port}", bracketed(&host)))
        .told_with(|| Text::new("err-conn-node").arg("node", node))?
        .connect_timeout(CONNECT_TIMEOUT + VERDICT_TIMEOUT);
    Ok((endpoint, handshake, target))
}

/// "https://host:port" as host and port.
fn host_port(node: &str) -> Result<(String, u16)> {
    let bad = || anyhow::Error::new(Text::new("err-conn-node-form").arg("node", node));
    let rest = node.strip_prefix("https://").ok_or_else(bad)?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let host = host.trim_matches(['[', ']']);
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

fn bracketed(host: &str) -> String {
    match host.contains(':') {
        true => format!("[{host}]"),
        false => host.to_string(),
    }
}

/// TLS 1.3 with the federation's CA bundle as the only roots and the person's certificate.
fn client_config(ca: &str, cert: &str, key: &str) -> Result<Arc<rustls::ClientConfig>> {
    regiosync_node::tls::install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(ca.as_bytes()) {
        let c = c.told(Text::new("err-conn-ca"))?;
        roots.add(c).told(Text::new("err-conn-ca"))?;
    }
    if roots.is_empty() {
        return Err(Text::new("err-conn-ca-empty").into());
    }
    let chain = CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .told(Text::new("err-conn-cert"))?;
    if chain.is_empty() {
        return Err(Text::new("err-conn-cert-empty").into());
    }
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).told(Text::new("err-conn-key"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .context("TLS 1.3")?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .told(Text::new("err-conn-pair"))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// The channel's connector: TCP, the TLS handshake, and the node's first bytes.
#[derive(Clone)]
struct Handshake {
    config: Arc<rustls::ClientConfig>,
    server_name: ServerName<'static>,
    host: String,
    port: u16,
    target: Arc<Target>,
}

impl Handshake {
    async fn open(self) -> std::result::Result<TokioIo<Opened>, Failure> {
        let why = |e: &(dyn std::error::Error + 'static)| explain(e, &self.target);
        let late = || why(&std::io::Error::from(std::io::ErrorKind::TimedOut));
        let addrs: Vec<_> = tokio::net::lookup_host((self.host.as_str(), self.port))
            .await
            .map_err(|_| explain(&Resolve, &self.target))?
            .collect();
        let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&addrs[..]))
            .await
            .map_err(|_| late())?
            .map_err(|e| why(&e))?;
        let _ = tcp.set_nodelay(true);
        let connector = tokio_rustls::TlsConnector::from(self.config.clone());
        let mut tls = tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(self.server_name.clone(), tcp))
            .await
            .map_err(|_| late())?
            .map_err(|e| why(&e))?;
        let mut first = vec![0u8; 16 * 1024];
        let n = match tokio::time::timeout(VERDICT_TIMEOUT, tls.read(&mut first)).await {
            Ok(Ok(0)) => return Err(why(&std::io::Error::from(std::io::ErrorKind::UnexpectedEof))),
            Ok(Ok(n)) => n,
            Ok(Err(e)) => return Err(why(&e)),
            // Nothing yet: no refusal either; HTTP/2 goes on from here.
            Err(_) => 0,
        };
        first.truncate(n);
        Ok(TokioIo::new(Opened { first, tls }))
    }
}

/// A host name that did not resolve (the message [`explain`] recognises).
#[derive(Debug)]
struct Resolve;

impl std::fmt::Display for Resolve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("dns error")
    }
}

impl std::error::Error for Resolve {}

impl Service<Uri> for Handshake {
    type Response = TokioIo<Opened>;
    type Error = Failure;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<Self::Response, Failure>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::result::Result<(), Failure>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Uri) -> Self::Future {
        Box::pin(self.clone().open())
    }
}

/// The TLS stream with the bytes already read from it in front.
struct Opened {
    first: Vec<u8>,
    tls: tokio_rustls::client::TlsStream<TcpStream>,
}

impl AsyncRead for Opened {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if !self.first.is_empty() {
            let n = self.first.len().min(buf.remaining());
            buf.put_slice(&self.first[..n]);
            self.first.drain(..n);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.tls).poll_read(cx, buf)
    }
}

impl AsyncWrite for Opened {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tls).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tls).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tls).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tls).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tls.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_addresses() {
        assert_eq!(host_port("https://127.0.0.1:7101").unwrap(), ("127.0.0.1".into(), 7101));
        assert_eq!(host_port("https://[::1]:7101/").unwrap(), ("::1".into(), 7101));
        assert_eq!(bracketed("::1"), "[::1]");
        for bad in [
            "http://127.0.0.1:7101",
            "https://127.0.0.1",
            "https://:7101",
            "https://h:x",
        ] {
            let e = host_port(bad).unwrap_err().to_string();
            assert!(e.contains("must look like https://host:port"), "{bad}: {e}");
        }
    }
}
