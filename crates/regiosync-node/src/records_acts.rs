//! Acting on an agreement (sign, reject, withdraw, revoke) as this node's region: the request
//! read, the agreement as this node holds it, and the record the rules of
//! [`regiosync_records::acts`] say the act writes (only a party acts, on a version that can
//! still take that act, on the exact content the person reviewed), published here.
use regiosync_records::acts::{self, Act, ActRequest};
use tonic::Status;

use crate::error::act_refused;
use crate::listener::PeerInfo;
use crate::pb::{self, AgreementAction};
use crate::records_service::RecordsService;

pub(crate) async fn act(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::AgreementActionRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let act = match AgreementAction::try_from(r.action) {
        Ok(AgreementAction::Sign) => Act::Sign,
        Ok(AgreementAction::Reject) => Act::Reject,
        Ok(AgreementAction::Withdraw) => Act::Withdraw,
        Ok(AgreementAction::Revoke) => Act::Revoke,
        Ok(AgreementAction::Unspecified) | Err(_) => {
            return Err(Status::invalid_argument(
                "action: required (sign, reject, withdraw or revoke)",
            ))
        }
    };
    if r.agreement_id.is_empty() {
        return Err(Status::invalid_argument("agreement_id: required"));
    }
    let id = &r.agreement_id;
    let view = svc
        .reader()
        .agreement(id)
        .await?
        .ok_or_else(|| Status::not_found(format!("agreement '{id}' is not held at {me}")))?;
    let request = ActRequest {
        act,
        version: r.version,
        content_sha256: &r.content_sha256,
        reason: &r.reason,
    };
    let record = acts::agreement_act(&view, me, author, request).map_err(act_refused)?;
    svc.publish(record.kind, record.payload, record.status as i32, record.audience, 0)
        .await
}
