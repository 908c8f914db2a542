//! Digest-first anti-entropy on the wire: the asking side ([`Digests`], one per transport) and
//! the answering side ([`answer`]). The gRPC transport and the scale benchmark's in-process
//! transport both use these two.
//!
//! - An idle round: the caller names the vector it last got by its digest; the answer is
//!   `unchanged` (two hashes, at any number of members).
//! - A busy round: the caller also names where the answering node's journal stood when that
//!   vector was taken (its start and generation); the answer lists only the origins that moved
//!   since, with the whole vector's digest (`Engine::moved_in`). The caller sets them in the
//!   vector it knows and checks the digest.
//! - Otherwise (the first round, another start of the peer, an older peer, a patch whose
//!   digest differs): the whole vector.
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use regiosync_replication::{Engine, TransportError};
use regiosync_types::{NodeId, VersionVector};
use tonic::Status;

use crate::{convert, pb};

/// What the caller knows of one peer's vector.
#[derive(Clone, Debug)]
struct Known {
    vector: VersionVector,
    digest: [u8; 32],
    epoch: u64,
    generation: u64,
}

/// The asking side: per peer, the vector it last answered with and where its journal stood.
#[derive(Default)]
pub struct Digests {
    last: Mutex<HashMap<NodeId, Known>>,
}

impl Digests {
    /// The request to send `peer`; `whole` asks for its whole vector.
    pub fn request(&self, peer: NodeId, whole: bool) -> pb::DigestRequest {
        let last = self.last.lock().unwrap();
        match last.get(&peer).filter(|_| !whole) {
            Some(k) => pb::DigestRequest {
                have: None,
                known: k.digest.to_vec(),
                known_generation: k.generation,
                known_epoch: k.epoch,
            },
            None => pb::DigestRequest::default(),
        }
    }

    /// `peer`'s vector from its answer `resp`: the one remembered when it says `unchanged`, that
    /// one patched when it sends what moved. `None`: a patch that does not give the digest the
    /// peer sent (ask again for the whole vector).
    pub fn answered(&self, peer: NodeId, resp: pb::DigestResponse) -> Result<Option<VersionVector>, TransportError> {
        let mut last = self.last.lock().unwrap();
        if resp.unchanged {
            return match last.get_mut(&peer) {
                Some(k) => {
                    // The same vector, now known as of the peer's later generation.
                    if resp.epoch != 0 {
                        (k.epoch, k.generation) = (resp.epoch, resp.generation);
                    }
                    Ok(Some(k.vector.clone()))
                }
                None => Err(TransportError(format!(
                    "{peer} answered `unchanged` to a digest request naming no vector"
                ))),
            };
        }
        let have = convert::vv_from_pb(resp.have, "have").map_err(|s| TransportError(s.message().into()))?;
        let (vector, digest) = match resp.delta {
            true => {
                let Some(mut vector) = last.get(&peer).map(|k| k.vector.clone()) else {
                    return Ok(None);
                };
                for (origin, seq) in have.iter() {
                    vector.set(origin, seq);
                }
                let digest = vector.digest();
                if resp.digest.as_slice() != digest.as_slice() {
                    last.remove(&peer);
                    return Ok(None);
                }
                (vector, digest)
            }
            false => {
                let digest = have.digest();
                (have, digest)
            }
        };
        let known = Known {
            vector: vector.clone(),
            digest,
            epoch: resp.epoch,
            generation: resp.generation,
        };
        last.insert(peer, known);
        Ok(Some(vector))
    }

    /// One round with `peer`: `ask` sends a request and returns the answer. A patch that does
    /// not fit is asked for again, whole, once.
    pub async fn exchange<F, Fut>(&self, peer: NodeId, mut ask: F) -> Result<VersionVector, TransportError>
    where
        F: FnMut(pb::DigestRequest) -> Fut,
        Fut: Future<Output = Result<pb::DigestResponse, TransportError>>,
    {
        for whole in [false, true] {
            let resp = ask(self.request(peer, whole)).await?;
            if let Some(vector) = self.answered(peer, resp)? {
                return Ok(vector);
            }
        }
        Err(TransportError(format!(
            "{peer} answered a request for its whole vector with only what moved"
        )))
    }
}

/// The answering side: what this node vouches for to `peer`; only `unchanged` when the request
/// names the digest of exactly that, only what moved when it names where this node's journal
/// stood when the caller got its vector.
pub fn answer(engine: &Engine, peer: NodeId, req: pb::DigestRequest) -> Result<pb::DigestResponse, Status> {
    convert::vv_from_pb(req.have, "have")?;
    let v = engine.vouched(peer);
    let at = pb::DigestResponse {
        epoch: v.epoch,
        generation: v.generation,
        ..Default::default()
    };
    if req.known.is_empty() {
        return Ok(pb::DigestResponse {
            have: Some(convert::vv_to_pb(&v.vector)),
            ..at
        });
    }
    if req.known.as_slice() == v.digest.as_slice() {
        return Ok(pb::DigestResponse { unchanged: true, ..at });
    }
    match engine.moved_in(peer, &v, req.known_epoch, req.known_generation) {
        Some(moved) => Ok(pb::DigestResponse {
            have: Some(convert::vv_to_pb(&moved)),
            delta: true,
            digest: v.digest.to_vec(),
            ..at
        }),
        None => Ok(pb::DigestResponse {
            have: Some(convert::vv_to_pb(&v.vector)),
            ..at
        }),
    }
}
