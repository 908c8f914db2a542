//! Acting on an agreement (sign, reject, withdraw, revoke) as this node's region. The record
//! rules every node applies cannot see other records; here, where a person acts, the node also
//! checks the act against the agreement as it holds it: only a party acts, on a version that
//! can still take that act, on the exact content the person reviewed.
use std::collections::BTreeSet;

use prost::Message;
use regiosync_records::pb as rpb;
use regiosync_records::{kinds, pb::AgreementView};
use regiosync_types::pb::Status as RecordStatus;
use tonic::Status;

use crate::listener::PeerInfo;
use crate::pb::{self, AgreementAction};
use crate::records_service::RecordsService;

pub(crate) async fn act(
    svc: &RecordsService,
    info: &PeerInfo,
    r: pb::AgreementActionRequest,
) -> Result<pb::RecordRef, Status> {
    let (me, author) = svc.writer(info)?;
    let action = AgreementAction::try_from(r.action)
        .ok()
        .filter(|a| *a != AgreementAction::Unspecified)
        .ok_or_else(|| Status::invalid_argument("action: required (sign, reject, withdraw or revoke)"))?;
    if r.agreement_id.is_empty() {
        return Err(Status::invalid_argument("agreement_id: required"));
    }
    let id = r.agreement_id.clone();
    let view = svc
        .reader()
        .agreement(&id)
        .await?
        .ok_or_else(|| Status::not_found(format!("agreement '{id}' is not held at {me}")))?;
    let me_s = me.to_string();
    let parties: BTreeSet<String> = view.versions.iter().flat_map(parties_of).collect();
    if !parties.contains(&me_s) {
        return Err(Status::permission_denied(format!(
            "{me} is not a party to agreement {id}; only its parties ({}) can act on it",
            parties.iter().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    if matches!(view.state.as_str(), "revoked" | "withdrawn") {
        return Err(Status::failed_precondition(format!("agreement {id} is {}", view.state)));
    }
    let reason = || {
        if r.reason.trim().is_empty() {
            Err(Status::invalid_argument("reason: required"))
        } else {
            Ok(r.reason.clone())
        }
    };
    let (kind, payload) = match action {
        AgreementAction::Sign | AgreementAction::Reject => {
            let v = pick_version(&view, r.version, &r.content_sha256, action == AgreementAction::Sign)?;
            if !parties_of(v).any(|p| p == me_s) {
                return Err(Status::permission_denied(format!(
                    "{me} is not a party to agreement {id} version {}; only a party can sign or reject it",
                    v.version
                )));
            }
            if v.signed.iter().any(|a| a.party == me_s) {
                return Err(Status::already_exists(format!(
                    "{me} already signed agreement {id} version {}",
                    v.version
                )));
            }
            if v.rejected.iter().any(|a| a.party == me_s) {
                return Err(Status::already_exists(format!(
                    "{me} already rejected agreement {id} version {}",
                    v.version
                )));
            }
            if !matches!(v.state.as_str(), "proposed" | "partially_signed") {
                return Err(Status::failed_precondition(format!(
                    "agreement {id} version {} is {}; only a proposed or partially signed version can be signed or rejected",
                    v.version, v.state
                )));
            }
            let hash =
                hex::decode(&v.content_sha256).map_err(|_| Status::internal("content hash of a held version"))?;
            if action == AgreementAction::Sign {
                let s = rpb::AgreementSignature {
                    agreement_id: id.clone(),
                    version: v.version,
                    content_sha256: hash,
                    party: me_s.clone(),
                    author,
                };
                (kinds::AGREEMENT_SIGNATURE, s.encode_to_vec())
            } else {
                let s = rpb::AgreementRejection {
                    agreement_id: id.clone(),
                    version: v.version,
                    content_sha256: hash,
                    party: me_s.clone(),
                    reason: reason()?,
                    author,
                };
                (kinds::AGREEMENT_REJECTION, s.encode_to_vec())
            }
        }
        AgreementAction::Withdraw => {
            if view.withdrawal.is_some() {
                return Err(Status::already_exists(format!(
                    "a withdrawal from agreement {id} is already pending"
                )));
            }
            if view.state == "expired" {
                return Err(Status::failed_precondition(format!("agreement {id} has expired")));
            }
            let w = rpb::AgreementWithdrawal {
                agreement_id: id.clone(),
                party: me_s.clone(),
                reason: reason()?,
                author,
            };
            (kinds::AGREEMENT_WITHDRAWAL, w.encode_to_vec())
        }
        AgreementAction::Revoke => {
            let v = rpb::AgreementRevocation {
                agreement_id: id.clone(),
                party: me_s.clone(),
                reason: reason()?,
                author,
            };
            (kinds::AGREEMENT_REVOCATION, v.encode_to_vec())
        }
        AgreementAction::Unspecified => unreachable!("refused above"),
    };
    // Acts on an exercise agreement are exercise records too.
    let status = match view.status.as_str() {
        "exercise" => RecordStatus::Exercise,
        "test" => RecordStatus::Test,
        _ => RecordStatus::Actual,
    };
    svc.publish(kind, payload, status as i32, parties.into_iter().collect(), 0)
        .await
}

fn parties_of(v: &rpb::VersionView) -> impl Iterator<Item = String> + '_ {
    v.agreement
        .iter()
        .flat_map(|a| a.parties.iter().map(|p| p.region.clone()))
}

/// The version a sign or reject is about: `version` (0 = the newest). Signing needs the hash
/// the person reviewed, and it must be that version's: a party signs exact content, never
/// "whatever is newest". The error does not repeat the right hash, so it cannot be copied from
/// there unreviewed.
fn pick_version<'a>(
    view: &'a AgreementView,
    version: u32,
    hash: &str,
    signing: bool,
) -> Result<&'a rpb::VersionView, Status> {
    let number = if version == 0 { view.newest_version } else { version };
    let candidates: Vec<&rpb::VersionView> = view.versions.iter().filter(|v| v.version == number).collect();
    let id = &view.agreement_id;
    let Some(first) = candidates.first() else {
        return Err(Status::not_found(format!("agreement {id} has no version {number}")));
    };
    if hash.is_empty() {
        if signing {
            return Err(Status::invalid_argument(format!(
                "content_sha256: required to sign: the hash of agreement {id} version {number} as you reviewed it (`regiosync agreement show {id}` prints it)"
            )));
        }
        if candidates.len() > 1 {
            return Err(Status::failed_precondition(format!(
                "agreement {id} has {} different versions numbered {number}; give content_sha256 to say which",
                candidates.len()
            )));
        }
        return Ok(first);
    }
    let hash = hash.to_ascii_lowercase();
    candidates.into_iter().find(|v| v.content_sha256 == hash).ok_or_else(|| {
        Status::failed_precondition(format!(
            "content_sha256: {hash} is not the hash of agreement {id} version {number}; review the agreement again (`regiosync agreement show {id}`)"
        ))
    })
}
