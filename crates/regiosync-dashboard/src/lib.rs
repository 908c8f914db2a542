//! The dashboard (`regiosync dashboard`, `regiosync demo --dashboard`): a web page over the
//! national questions, served on a loopback address.
//!
//! The browser talks plain HTTP to this process only; this process asks the node's `Queries`
//! service over mutual TLS with the user's own client certificate (connecting through
//! `regiosync_client`), so the node gains no new surface and answers exactly what that person
//! may see. It never listens beyond loopback and holds no data of its own: every figure is the
//! node's answer of the moment. The page (HTML, CSS, plain JS) is embedded in the binary: no
//! CDN, no build step, works offline.
//!
//! - this file: starting it (as the user's `Conn`, or with the certificates in hand), binding
//!   (loopback only) and the connection loop;
//! - `http`: requests and responses (routing, query strings, headers, the loopback Host check);
//! - `api`: the JSON endpoints, one per question, answered through `QueriesClient`;
//! - `assets/`: `index.html`, `style.css`, `app.js` (routing, refresh, language, formatting,
//!   helpers) and one script per view (`map.js`, `capacity.js`, ..., `records.js` for the
//!   record pages the figures link to). Every text the page shows comes from the catalogues
//!   of `regiosync_i18n` (`locales/<lang>/dashboard.ftl`, `codes.ftl`), sent with `/api/meta`.
mod api;
mod http;
mod last;
mod report;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context, Result};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use regiosync_client::Conn;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tonic::transport::Channel;

/// At most this many browser connections are served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 64;

/// What the page shows about where its figures come from.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The node asked, e.g. `https://127.0.0.1:7100`.
    pub node: String,
    /// Who asks (the `--as` name or the certificate file), for the page header.
    pub who: String,
    pub refresh_secs: u32,
    /// The language `regiosync dashboard --lang` set for every page (else each browser's).
    pub lang: Option<regiosync_i18n::Lang>,
}

/// `regiosync dashboard`: bind `listen` (loopback only), connect to the node as the user, tell
/// the page to ask for new figures every `refresh_secs`, serve until `shutdown`.
pub async fn run(
    conn: &Conn,
    listen: SocketAddr,
    refresh_secs: u32,
    lang: Option<regiosync_i18n::Lang>,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let listener = bind(listen).await?;
    // Lazy: the dashboard starts while its node is down and reconnects when it is back.
    let channel = conn.lazy_channel()?;
    let settings = Settings {
        node: conn.node.clone().unwrap_or_default(),
        who: conn.who(),
        refresh_secs,
        lang,
    };
    announce(&listener, &settings)?;
    serve(listener, channel, settings, shutdown).await
}

/// The same with the certificates in hand (`regiosync demo --dashboard`): CA bundle, client
/// certificate and key as PEM.
pub async fn run_with(
    listen: SocketAddr,
    node: &str,
    pems: (&str, &str, &str),
    who: &str,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let listener = bind(listen).await?;
    let channel = regiosync_client::connect(node, pems, None).await?;
    let settings = Settings {
        node: node.to_string(),
        who: who.to_string(),
        refresh_secs: 10,
        lang: None,
    };
    announce(&listener, &settings)?;
    serve(listener, channel, settings, shutdown).await
}

/// The first line on stdout names the page's address (tests and scripts read it).
fn announce(listener: &TcpListener, settings: &Settings) -> Result<()> {
    let addr = listener.local_addr().context("the dashboard's address")?;
    println!(
        "dashboard: http://{addr}/ (asking {} over mutual TLS; Ctrl-C stops it)",
        settings.node
    );
    Ok(())
}

/// Listen on `addr`, which must be a loopback address (see [`loopback`]).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    let addr = loopback(&addr.to_string()).map_err(anyhow::Error::msg)?;
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("--listen {addr}: cannot listen there"))
}

/// Parse a `--listen` address and refuse anything but loopback: the page answers with what the
/// user's certificate may see, to anyone who can reach it.
pub fn loopback(listen: &str) -> Result<SocketAddr, String> {
    let addr: SocketAddr = match listen.strip_prefix("localhost:") {
        Some(port) => SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            port.parse().map_err(|_| format!("'{port}' is not a port number"))?,
        ),
        None => listen
            .parse()
            .map_err(|_| format!("'{listen}': expected an address like 127.0.0.1:8080"))?,
    };
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{listen}: the dashboard serves only on a loopback address (127.0.0.1, ::1 or localhost): \
             it shows what your client certificate may see, to anyone who can reach it"
        ));
    }
    Ok(addr)
}

/// Serve the page and its JSON endpoints on `listener`, asking the node behind `channel`, until
/// `shutdown` completes; open connections are then closed.
pub async fn serve(
    listener: TcpListener,
    channel: Channel,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    let api = Arc::new(api::Api::new(channel, settings));
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = slots.clone().acquire_owned() => p.context("connection slots")?,
        };
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "dashboard: accept failed");
                    continue;
                }
            },
        };
        let api = api.clone();
        connections.spawn(async move {
            let service = service_fn(move |req| {
                let api = api.clone();
                async move { Ok::<_, std::convert::Infallible>(http::respond(&api, req).await) }
            });
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(peer = %peer, error = %e, "dashboard: connection ended");
            }
            drop(permit);
        });
        // Reap finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::loopback;

    #[test]
    fn only_loopback_addresses_are_taken() {
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1:0",
            "[::1]:9000",
            "localhost:8080",
            "127.1.2.3:80",
        ] {
            assert!(loopback(ok).is_ok(), "{ok}");
        }
        for bad in ["0.0.0.0:8080", "192.168.1.10:8080", "[::]:8080", "10.0.0.1:80"] {
            let e = loopback(bad).unwrap_err();
            assert!(e.contains("only on a loopback address"), "{bad}: {e}");
        }
        assert!(loopback("example.org:80").unwrap_err().contains("expected an address"));
        assert!(loopback("localhost:http").unwrap_err().contains("not a port number"));
    }
}
