//! The tower layer around the whole gRPC server that writes exactly one audit line per
//! request, whatever became of it: answered by a handler, refused by the codec (malformed or
//! oversized), unknown to the router (UNIMPLEMENTED), or a stream cut off before its status.
//! The outcome is the gRPC status the node actually sent (in the headers of a trailers-only
//! response, else in the trailers at the end of the body); the line is written when the
//! response ends, so a `Sync/Subscribe` stream has its line when it closes. Handlers add what
//! only they know (the ids read or written, a detail) through the [`Note`] that this layer puts
//! in every request's extensions and `request.rs` fills in. The same end counts the call in the
//! metrics (`metrics::Calls`): one layer sees every call end, once.
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use http_body::{Frame, SizeHint};
use tonic::body::Body;
use tonic::codegen::http;
use tonic::{Code, Status};
use tower::{Layer, Service};

use crate::audit::{Audit, RequestOutcome};
use crate::listener::PeerInfo;
use crate::metrics::Calls;

/// What a handler reports for its request's audit line.
#[derive(Clone, Default)]
pub(crate) struct Note(Arc<Mutex<Noted>>);

#[derive(Default)]
struct Noted {
    ids: Vec<String>,
    detail: Option<String>,
}

impl Note {
    /// Add ids read or written (each once) and a detail.
    pub(crate) fn add(&self, ids: impl IntoIterator<Item = String>, detail: Option<String>) {
        let mut n = self.0.lock().unwrap();
        for id in ids {
            if !id.is_empty() && !n.ids.contains(&id) {
                n.ids.push(id);
            }
        }
        if detail.is_some() {
            n.detail = detail;
        }
    }
}

/// Put around the server: `Server::builder().layer(AuditLayer::new(audit, calls))`.
#[derive(Clone)]
pub struct AuditLayer {
    audit: Audit,
    calls: Arc<Calls>,
}

impl AuditLayer {
    pub fn new(audit: Audit, calls: Arc<Calls>) -> AuditLayer {
        AuditLayer { audit, calls }
    }
}

impl<S> Layer<S> for AuditLayer {
    type Service = AuditService<S>;
    fn layer(&self, inner: S) -> AuditService<S> {
        AuditService {
            inner,
            audit: self.audit.clone(),
            calls: self.calls.clone(),
        }
    }
}

#[derive(Clone)]
pub struct AuditService<S> {
    inner: S,
    audit: Audit,
    calls: Arc<Calls>,
}

impl<S, B> Service<http::Request<Body>> for AuditService<S>
where
    S: Service<http::Request<Body>, Response = http::Response<B>>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: std::fmt::Display,
{
    type Response = http::Response<AuditedBody<B>>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<http::Response<AuditedBody<B>>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<Body>) -> Self::Future {
        let info = req.extensions().get::<PeerInfo>().cloned();
        if let Some(info) = &info {
            info.requests.fetch_add(1, Ordering::Relaxed);
        }
        let note = Note::default();
        req.extensions_mut().insert(note.clone());
        let pending = Pending {
            audit: Some(self.audit.clone()),
            calls: self.calls.clone(),
            started: Instant::now(),
            remote: info.as_ref().map(|i| i.remote),
            identity: info.map(|i| i.identity),
            method: req.uri().path().to_string(),
            note,
        };
        let response = self.inner.call(req);
        Box::pin(async move {
            let mut pending = pending;
            let response = response.await?;
            // A trailers-only response (every error tonic and the handlers send) has its status
            // in the headers; otherwise it comes in the trailers.
            if let Some(status) = Status::from_header_map(response.headers()) {
                pending.finish(Some(status));
            }
            let http_status = response.status();
            Ok(response.map(|inner| AuditedBody {
                inner: Box::pin(inner),
                pending,
                http_status,
            }))
        })
    }
}

/// A request whose line is not written yet; written when dropped at the latest.
struct Pending {
    audit: Option<Audit>,
    calls: Arc<Calls>,
    started: Instant,
    remote: Option<SocketAddr>,
    identity: Option<regiosync_trust::Identity>,
    method: String,
    note: Note,
}

impl Pending {
    /// Write the line for `status` (`None`: the response ended without one).
    fn finish(&mut self, status: Option<Status>) {
        let Some(audit) = self.audit.take() else { return };
        let failed = match status {
            Some(s) if s.code() == Code::Ok => None,
            Some(s) => Some((s.code(), s.message().to_string())),
            None => Some((
                Code::Cancelled,
                "the response ended before its status was sent (the client went away or the node stopped)".into(),
            )),
        };
        let code = failed.as_ref().map_or(Code::Ok, |(c, _)| *c);
        self.calls.ended(&self.method, code, self.started);
        let noted = std::mem::take(&mut *self.note.0.lock().unwrap());
        audit.request(RequestOutcome {
            remote: self.remote,
            identity: self.identity.take(),
            method: std::mem::take(&mut self.method),
            ids: noted.ids,
            detail: noted.detail,
            failed,
        });
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.finish(None);
    }
}

/// A response body that writes its request's line when its trailers (or its end) come.
pub struct AuditedBody<B> {
    inner: Pin<Box<B>>,
    pending: Pending,
    http_status: http::StatusCode,
}

impl<B> http_body::Body for AuditedBody<B>
where
    B: http_body::Body<Data = bytes::Bytes>,
    B::Error: std::fmt::Display,
{
    type Data = bytes::Bytes;
    type Error = B::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<bytes::Bytes>, B::Error>>> {
        let this = self.get_mut();
        let polled = this.inner.as_mut().poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(trailers) = frame.trailers_ref() {
                    let status = Status::from_header_map(trailers);
                    this.pending.finish(status);
                }
            }
            Poll::Ready(Some(Err(e))) => this
                .pending
                .finish(Some(Status::unknown(format!("the response failed: {e}")))),
            Poll::Ready(None) => {
                let status = this.http_status;
                this.pending.finish(Some(Status::unknown(format!(
                    "the response (HTTP {status}) ended without a gRPC status"
                ))));
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
