//! Accepting connections: TCP, then a TLS 1.3 handshake that requires a federation client
//! certificate carrying a regiosync identity. Refused handshakes never reach a service. Every
//! connection's bytes are counted, so idle protocol cost can be measured on the wire.
//!
//! Connections are bounded ([`ConnectionLimits`]): at most `max_total` open at once (counted
//! from the TCP accept, so handshakes count too) and `max_per_identity` per identity; one that
//! sends nothing for `idle` is closed (HTTP/2 keepalive pings go out every third of that, so a
//! live client always answers). Each refusal, each idle close and each authenticated connection
//! that closes without a single request is a line in the audit log (requests have their own,
//! from `audit_layer.rs`).
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use regiosync_trust::Identity;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::server::Connected;

use crate::audit::Audit;
use crate::config::ConnectionLimits;

/// Bytes moved on all connections of a server, both directions, TLS included.
#[derive(Clone, Default, Debug)]
pub struct WireCounter {
    pub read: Arc<AtomicU64>,
    pub written: Arc<AtomicU64>,
}

impl WireCounter {
    pub fn total(&self) -> u64 {
        self.read.load(Ordering::Relaxed) + self.written.load(Ordering::Relaxed)
    }
}

/// Who is on the other end of a connection; put in every request's extensions.
#[derive(Clone, Debug)]
pub struct PeerInfo {
    pub remote: SocketAddr,
    pub identity: Identity,
    /// Requests the connection carried so far (counted by the audit layer).
    pub requests: Arc<AtomicU64>,
}

/// An accepted, authenticated connection.
pub struct Conn {
    inner: TlsStream<Metered>,
    info: PeerInfo,
    /// Closes the connection when nothing was read for `idle`.
    idle: Idle,
    /// Holds this connection's places in the counts until it is dropped.
    _counted: (Counted, Counted),
}

/// The connections open now: in all, and per identity.
#[derive(Clone, Default)]
struct Counts {
    total: Arc<Mutex<usize>>,
    per_identity: Arc<Mutex<HashMap<String, usize>>>,
}

/// One place in a count, given back when dropped.
struct Counted(Option<Box<dyn FnOnce() + Send + Sync>>);

impl Drop for Counted {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            release()
        }
    }
}

impl Counts {
    fn take_total(&self, max: usize) -> Option<Counted> {
        let mut n = self.total.lock().unwrap();
        if *n >= max {
            return None;
        }
        *n += 1;
        let total = self.total.clone();
        Some(Counted(Some(Box::new(move || *total.lock().unwrap() -= 1))))
    }

    fn take_identity(&self, who: &str, max: usize) -> Option<Counted> {
        let mut m = self.per_identity.lock().unwrap();
        let n = m.entry(who.to_string()).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        let (map, who) = (self.per_identity.clone(), who.to_string());
        Some(Counted(Some(Box::new(move || {
            let mut m = map.lock().unwrap();
            if let Some(n) = m.get_mut(&who) {
                *n -= 1;
                if *n == 0 {
                    m.remove(&who);
                }
            }
        }))))
    }
}

/// A deadline that moves on with every byte read. Reads only note the time; the timer is
/// moved when it fires early, so a busy connection costs no timer work per read.
struct Idle {
    after: Duration,
    last_read: tokio::time::Instant,
    deadline: Pin<Box<tokio::time::Sleep>>,
    audit: Audit,
    remote: SocketAddr,
    /// Closed for being idle (and audited as that).
    closed: bool,
}

impl Idle {
    fn new(after: Duration, audit: Audit, remote: SocketAddr) -> Idle {
        Idle {
            after,
            last_read: tokio::time::Instant::now(),
            deadline: Box::pin(tokio::time::sleep(after)),
            audit,
            remote,
            closed: false,
        }
    }

    /// Ready when nothing was read for `after`; re-arms itself while reads came since.
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            ready!(self.deadline.as_mut().poll(cx));
            let due = self.last_read + self.after;
            if due <= tokio::time::Instant::now() {
                return Poll::Ready(());
            }
            self.deadline.as_mut().reset(due);
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if !self.idle.closed && self.info.requests.load(Ordering::Relaxed) == 0 {
            self.idle.audit.no_request(self.info.remote, &self.info.identity);
        }
    }
}

impl Connected for Conn {
    type ConnectInfo = PeerInfo;
    fn connect_info(&self) -> PeerInfo {
        self.info.clone()
    }
}

/// Accept on `listener` until the returned stream is dropped.
pub fn incoming(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    counter: WireCounter,
    audit: Audit,
    limits: ConnectionLimits,
) -> ReceiverStream<Result<Conn, io::Error>> {
    let (tx, rx) = mpsc::channel(64);
    let counts = Counts::default();
    tokio::spawn(async move {
        loop {
            let (tcp, remote) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(x) => x,
                    Err(e) => { tracing::warn!(error = %e, "accept failed"); tokio::time::sleep(Duration::from_millis(50)).await; continue; }
                },
                _ = tx.closed() => return,
            };
            let Some(total) = counts.take_total(limits.max_total) else {
                drop(tcp);
                audit.refused(remote, None, &format!("connection limit: {} open", limits.max_total));
                continue;
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, tx, counter, audit, counts) = (
                acceptor.clone(),
                tx.clone(),
                counter.clone(),
                audit.clone(),
                counts.clone(),
            );
            tokio::spawn(async move {
                let metered = Metered { inner: tcp, counter };
                let handshake = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(metered)).await;
                let tls = match handshake {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(e)) => return audit.refused(remote, None, &format!("tls handshake: {e}")),
                    Err(_) => return audit.refused(remote, None, "tls handshake: timed out"),
                };
                let leaf = tls.get_ref().1.peer_certificates().and_then(|c| c.first().cloned());
                let Some(leaf) = leaf else {
                    return audit.refused(remote, None, "no client certificate");
                };
                let identity = match Identity::from_cert_der(&leaf) {
                    Ok(id) => id,
                    Err(e) => return audit.refused(remote, None, &format!("client certificate: {e}")),
                };
                let who = identity.to_string();
                let Some(mine) = counts.take_identity(&who, limits.max_per_identity) else {
                    return audit.refused(
                        remote,
                        Some(&identity),
                        &format!("connection limit: {} open for {who}", limits.max_per_identity),
                    );
                };
                let _ = tx
                    .send(Ok(Conn {
                        inner: tls,
                        info: PeerInfo {
                            remote,
                            identity,
                            requests: Arc::default(),
                        },
                        idle: Idle::new(limits.idle, audit.clone(), remote),
                        _counted: (total, mine),
                    }))
                    .await;
            });
        }
    });
    ReceiverStream::new(rx)
}

/// A TCP stream that counts its bytes.
pub struct Metered {
    inner: TcpStream,
    counter: WireCounter,
}

impl AsyncRead for Metered {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.counter
            .read
            .fetch_add((buf.filled().len() - before) as u64, Ordering::Relaxed);
        r
    }
}

impl AsyncWrite for Metered {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = r {
            self.counter.written.fetch_add(n as u64, Ordering::Relaxed);
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl AsyncRead for Conn {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                this.idle.last_read = tokio::time::Instant::now();
                Poll::Ready(Ok(()))
            }
            Poll::Pending if this.idle.closed => Poll::Pending,
            Poll::Pending => match this.idle.poll_expired(cx) {
                Poll::Ready(()) => {
                    let why = format!("idle: nothing received for {} s", this.idle.after.as_secs());
                    this.idle.audit.idle_close(this.idle.remote, &this.info.identity, &why);
                    this.idle.closed = true;
                    Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, why)))
                }
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
