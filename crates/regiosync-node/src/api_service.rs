//! The `NodeApi` service for people and their tools. A region operator publishes only through
//! their own region's node, a national coordinator only through NL; reads return only entries
//! the caller's identity may see.
use std::sync::Arc;

use regiosync_replication::{Draft, Engine};
use regiosync_trust::{Identity, Role};
use regiosync_types::NodeId;
use tonic::{Request, Response, Status};

use crate::audit::Audit;
use crate::convert;
use crate::error::to_status;
use crate::pb;
use crate::request::{answer, answer_described};

pub struct ApiService {
    pub engine: Arc<Engine>,
    pub audit: Audit,
    /// Where backups go (`<data_dir>/backups`).
    pub backups: std::path::PathBuf,
}

/// Whom `who` may publish as at this node.
pub(crate) fn may_publish(who: &Identity, node: NodeId, members: &regiosync_types::Federation) -> Result<(), Status> {
    match &who.role {
        Role::RegionOperator(r) if *r == node && members.is_national(node) => Err(Status::permission_denied(format!(
            "{who}: {node} is a national node; coordinators publish there, operators belong to a region or partner"
        ))),
        Role::RegionOperator(r) if *r == node => Ok(()),
        Role::RegionOperator(r) => Err(Status::permission_denied(format!(
            "{who} may publish only through {r}'s node; this node is {node}"
        ))),
        Role::NationalCoordinator if members.is_national(node) => Ok(()),
        Role::NationalCoordinator => Err(Status::permission_denied(format!(
            "{who} may publish only through the national node; this node is {node}"
        ))),
        Role::Node(_) => Err(Status::permission_denied(format!(
            "{who} is a node; nodes replicate, people publish"
        ))),
    }
}

/// Who may read what this node derives from its aggregates (the `Records` reads and the
/// `Queries`): national coordinators at any node; a region's operator only at its own node,
/// which holds exactly what that region may see (other nodes hold records outside its
/// audience).
pub(crate) fn may_read(who: &Identity, node: NodeId) -> Result<(), Status> {
    match &who.role {
        Role::NationalCoordinator => Ok(()),
        Role::RegionOperator(r) if *r == node => Ok(()),
        Role::RegionOperator(r) => Err(Status::permission_denied(format!(
            "{who} may ask only {r}'s own node: this node ({node}) also holds records outside {r}'s audience"
        ))),
        Role::Node(_) => Err(Status::permission_denied(format!(
            "{who} is a node; these questions are for people"
        ))),
    }
}

/// `None` = may see everything this node holds (national coordinators).
pub(crate) fn sees(who: &Identity) -> Option<NodeId> {
    match who.role {
        Role::Node(n) | Role::RegionOperator(n) => Some(n),
        Role::NationalCoordinator => None,
    }
}

#[tonic::async_trait]
impl pb::node_api_server::NodeApi for ApiService {
    #[tracing::instrument(skip_all, fields(node = %self.engine.me()))]
    async fn publish(&self, req: Request<pb::PublishRequest>) -> Result<Response<pb::PublishResponse>, Status> {
        let describe = |r: &pb::PublishRequest| format!("NodeApi/Publish kind={}", r.kind);
        answer_described(&self.audit, req, describe, |info, r| async move {
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
        answer(&self.audit, "NodeApi/ListEntries", req, |info, r| async move {
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
            let entries = self
                .engine
                .list(origin, kind, r.after_seq, limit, sees(&info.identity))
                .await
                .map_err(to_status)?;
            Ok(pb::ListResponse {
                entries: entries.into_iter().map(convert::entry_view).collect(),
            })
        })
        .await
    }

    async fn get_entry(&self, req: Request<pb::GetRequest>) -> Result<Response<pb::EntryView>, Status> {
        answer(&self.audit, "NodeApi/GetEntry", req, |info, r| async move {
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
        answer(&self.audit, "NodeApi/Backup", req, |info, _| async move {
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
        answer(&self.audit, "NodeApi/Status", req, |_, _| async move {
            let s = self.engine.status().await.map_err(to_status)?;
            Ok(convert::status_to_pb(s))
        })
        .await
    }
}
