//! The `NodeApi` service for people and their tools. Who may call what is `access.rs`: a
//! region operator publishes and reads only at their own region's node, a national coordinator
//! publishes only through a national node and reads anywhere; reads return only entries the
//! caller's identity may see; `Status` answers this node's operators, national coordinators and
//! its configured peers.
use std::collections::BTreeSet;
use std::sync::Arc;

use regiosync_replication::{Draft, Engine};
use regiosync_types::NodeId;
use tonic::{Request, Response, Status};

use crate::access::{may_publish, may_read, may_see_status, sees, Here};
use crate::convert;
use crate::error::to_status;
use crate::pb;
use crate::request::{answer, answer_described, Described};

pub struct ApiService {
    pub engine: Arc<Engine>,
    /// Where backups go (`<data_dir>/backups`).
    pub backups: std::path::PathBuf,
    /// The nodes this node is configured to peer with (they may see its status).
    pub peers: Arc<BTreeSet<NodeId>>,
}

impl ApiService {
    fn here(&self) -> Here<'_> {
        Here {
            me: self.engine.me(),
            members: self.engine.members(),
            peers: &self.peers,
        }
    }
}

#[tonic::async_trait]
impl pb::node_api_server::NodeApi for ApiService {
    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn publish(&self, req: Request<pb::PublishRequest>) -> Result<Response<pb::PublishResponse>, Status> {
        let describe = |r: &pb::PublishRequest| Described::detail(format!("kind={}", r.kind));
        answer_described(req, describe, |info, r| async move {
            may_publish(&info.identity, self.engine.me(), self.engine.members())?;
            // Records carry an author the node takes from the certificate, so they are written
            // only through the Records API; here only opaque extension kinds.
            if regiosync_records::kinds::ALL.contains(&r.kind.as_str()) {
                return Err(Status::invalid_argument(format!(
                    "kind: '{}' is a record kind; write it through the Records API (e.g. `regiosync capacity publish`)",
                    r.kind
                )));
            }
            let draft = Draft {
                id: (!r.id.is_empty()).then_some(r.id),
                kind: r.kind,
                status: r.status,
                audience: r.audience,
                expires_unix_ms: r.expires_unix_ms,
                supersedes: r.supersedes,
                confidentiality: r.confidentiality,
                payload: r.payload,
            };
            if draft.status == 0 {
                return Err(Status::invalid_argument("status: required (actual, exercise or test)"));
            }
            let p = self.engine.publish(draft).await.map_err(to_status)?;
            Ok(pb::PublishResponse {
                id: p.id,
                origin: p.origin.to_string(),
                seq: p.seq,
            })
        })
        .await
    }

    async fn list_entries(&self, req: Request<pb::ListRequest>) -> Result<Response<pb::ListResponse>, Status> {
        answer(req, |info, r| async move {
            may_read(&info.identity, self.engine.me())?;
            let origin = match r.origin.as_str() {
                "" => None,
                o => Some(NodeId::parse_field("origin", o).map_err(|e| Status::invalid_argument(e.to_string()))?),
            };
            let limit = match r.limit {
                0 => 100,
                n if n > 1000 => return Err(Status::invalid_argument(format!("limit: {n} exceeds 1000"))),
                n => n as usize,
            };
            let kind = (!r.kind.is_empty()).then_some(r.kind);
            let viewer = sees(&info.identity);
            // Origin by origin in id order (`origin` alone when given), from the page token's
            // entry on; one more than the page, to know whether another follows.
            let from = page_start(&r.page_token)?;
            let origins: Vec<NodeId> = match origin {
                Some(o) => vec![o],
                None => self.engine.version_vector().iter().map(|(o, _)| o).collect(),
            };
            let mut entries = Vec::new();
            for o in origins {
                let after = match from {
                    Some((f, _)) if o < f => continue,
                    Some((f, seq)) if o == f => seq,
                    _ => r.after_seq,
                };
                let want = limit + 1 - entries.len();
                entries.extend(
                    self.engine
                        .list(Some(o), kind.clone(), after, want, viewer)
                        .await
                        .map_err(to_status)?,
                );
                if entries.len() > limit {
                    break;
                }
            }
            let next_page_token = match entries.len() > limit {
                true => {
                    entries.truncate(limit);
                    entries
                        .last()
                        .map(|e| format!("{}:{}", e.envelope.origin, e.envelope.seq))
                        .unwrap_or_default()
                }
                false => String::new(),
            };
            Ok(pb::ListResponse {
                entries: entries.into_iter().map(convert::entry_view).collect(),
                next_page_token,
            })
        })
        .await
    }

    async fn get_entry(&self, req: Request<pb::GetRequest>) -> Result<Response<pb::EntryView>, Status> {
        let describe = |r: &pb::GetRequest| Described::ids([r.id.clone()]);
        answer_described(req, describe, |info, r| async move {
            may_read(&info.identity, self.engine.me())?;
            let id = r.id;
            let found = self.engine.get(id.clone()).await.map_err(to_status)?;
            match found {
                Some(e) if sees(&info.identity).is_none_or(|n| self.engine.members().may_see(n, &e.envelope)) => {
                    Ok(convert::entry_view(e))
                }
                _ => Err(Status::not_found(format!(
                    "no entry '{id}' visible to {}",
                    info.identity
                ))),
            }
        })
        .await
    }

    async fn backup(&self, req: Request<pb::BackupRequest>) -> Result<Response<pb::BackupResponse>, Status> {
        let me = self.engine.me();
        answer(req, |info, _| async move {
            may_publish(&info.identity, me, self.engine.members())?;
            let stamp = regiosync_records::time::format_moment(self.engine.now_ms()).replace(':', "");
            let to = self.backups.join(format!("{me}-{stamp}"));
            std::fs::create_dir_all(&self.backups).map_err(|e| {
                tracing::error!(path = %self.backups.display(), error = %e, "cannot create the backup folder");
                Status::internal("cannot create the backup folder; see the node's log")
            })?;
            let (bytes, held) = self.engine.backup(to.clone()).await.map_err(to_status)?;
            tracing::info!(path = %to.display(), bytes, "backup written");
            Ok(pb::BackupResponse {
                path: to.display().to_string(),
                bytes,
                held: Some(pb::VersionVectorView {
                    origins: held.iter().map(|(o, s)| (o.to_string(), s)).collect(),
                }),
            })
        })
        .await
    }

    async fn status(&self, req: Request<pb::StatusRequest>) -> Result<Response<pb::StatusResponse>, Status> {
        answer(req, |info, _| async move {
            may_see_status(&info.identity, self.here())?;
            let s = self.engine.status().await.map_err(to_status)?;
            Ok(convert::status_to_pb(s))
        })
        .await
    }
}

/// Where a page of `ListEntries` starts: after (origin, seq) of `token` ("VR01:42", the last
/// entry of the previous page); `None` for the first page.
fn page_start(token: &str) -> Result<Option<(NodeId, u64)>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Status::invalid_argument(format!(
            "page_token: '{token}' is not a token this node gave out (ORIGIN:SEQ)"
        ))
    };
    let (o, seq) = token.rsplit_once(':').ok_or_else(bad)?;
    let origin = o.parse::<NodeId>().map_err(|_| bad())?;
    Ok(Some((origin, seq.parse().map_err(|_| bad())?)))
}
