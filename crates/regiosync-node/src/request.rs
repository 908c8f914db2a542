//! The one request wrapper every handler goes through: who calls (from the certificate the
//! listener recorded, never from the request), the handler's own check and work, and one audit
//! line for how it ended. Errors are mapped to statuses in `error.rs`, before they get here.
use std::future::Future;

use tonic::{Request, Response, Status};

use crate::audit::Audit;
use crate::listener::PeerInfo;

/// The caller of a request, as its client certificate says (set by the listener).
pub(crate) fn peer_info<T>(req: &Request<T>) -> Result<PeerInfo, Status> {
    req.extensions()
        .get::<PeerInfo>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("no client certificate"))
}

/// Write the audit line for `what` as `r` ended, and pass `r` on.
pub(crate) fn audited<T>(audit: &Audit, info: &PeerInfo, what: &str, r: Result<T, Status>) -> Result<T, Status> {
    audit.request(&info.identity, what, &r.as_ref().map(|_| ()).map_err(Clone::clone));
    r
}

/// Answer `req` with `work` (given the caller and the request's message), audited as `what`.
pub(crate) async fn answer<T, R, Fut>(
    audit: &Audit,
    what: &str,
    req: Request<T>,
    work: impl FnOnce(PeerInfo, T) -> Fut,
) -> Result<Response<R>, Status>
where
    Fut: Future<Output = Result<R, Status>>,
{
    answer_described(audit, req, |_| what.to_string(), work).await
}

/// As [`answer`], audited as what `describe` says of the request (e.g. which kind it publishes).
pub(crate) async fn answer_described<T, R, Fut>(
    audit: &Audit,
    req: Request<T>,
    describe: impl FnOnce(&T) -> String,
    work: impl FnOnce(PeerInfo, T) -> Fut,
) -> Result<Response<R>, Status>
where
    Fut: Future<Output = Result<R, Status>>,
{
    let info = peer_info(&req)?;
    let message = req.into_inner();
    let what = describe(&message);
    let outcome = work(info.clone(), message).await;
    Ok(Response::new(audited(audit, &info, &what, outcome)?))
}
