//! Accepting connections: TCP, then a TLS 1.3 handshake that requires a federation client
//! certificate carrying a regiosync identity. Refused handshakes never reach a service. Every
//! connection's bytes are counted, so idle protocol cost can be measured on the wire.
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
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
}

/// An accepted, authenticated connection.
pub struct Conn {
    inner: TlsStream<Metered>,
    info: PeerInfo,
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
) -> ReceiverStream<Result<Conn, io::Error>> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let (tcp, remote) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(x) => x,
                    Err(e) => { tracing::warn!(error = %e, "accept failed"); tokio::time::sleep(Duration::from_millis(50)).await; continue; }
                },
                _ = tx.closed() => return,
            };
            let _ = tcp.set_nodelay(true);
            let (acceptor, tx, counter, audit) = (acceptor.clone(), tx.clone(), counter.clone(), audit.clone());
            tokio::spawn(async move {
                let metered = Metered { inner: tcp, counter };
                let handshake = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(metered)).await;
                let tls = match handshake {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(e)) => return audit.refused(remote, &format!("tls handshake: {e}")),
                    Err(_) => return audit.refused(remote, "tls handshake: timed out"),
                };
                let leaf = tls.get_ref().1.peer_certificates().and_then(|c| c.first().cloned());
                let Some(leaf) = leaf else {
                    return audit.refused(remote, "no client certificate");
                };
                let identity = match Identity::from_cert_der(&leaf) {
                    Ok(id) => id,
                    Err(e) => return audit.refused(remote, &format!("client certificate: {e}")),
                };
                let _ = tx
                    .send(Ok(Conn {
                        inner: tls,
                        info: PeerInfo { remote, identity },
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
        Pin::new(&mut self.inner).poll_read(cx, buf)
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
