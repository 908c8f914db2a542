//! `regiosync agreement ...`: propose an agreement from a file, sign, reject, withdraw from or
//! revoke it as your region, and read its derived state with the content hash people sign.
use anyhow::{bail, Result};
use regiosync_client::render::{print_json, region, regions, when};
use regiosync_client::{files, out, rpc_error, Conn};
use regiosync_node::pb::{self, AgreementAction, AgreementActionRequest};
use regiosync_records::pb::Agreement;
use serde_json::json;
use tonic::Code;

use super::agreement_view::{print_list, show};
use super::{ref_json, region_arg, write_status, AgreementCmd};

const STATES: [&str; 8] = [
    "proposed",
    "partially_signed",
    "signed",
    "active",
    "expired",
    "withdrawn",
    "revoked",
    "rejected",
];

pub async fn run(conn: &Conn, json: bool, cmd: AgreementCmd) -> Result<()> {
    match cmd {
        AgreementCmd::Propose { file, status } => {
            let mut a: Agreement = files::load(&file)?;
            files::author_left_out(&file, "", &a.author)?;
            let status = write_status(status.as_deref())?;
            let mut c = conn.records().await?;
            if a.version == 0 {
                // Absent in the file: the next number (1 for a new agreement).
                a.version = match c.get_agreement(get(&a.agreement_id)).await {
                    Ok(v) => v.into_inner().newest_version + 1,
                    Err(s) if s.code() == Code::NotFound => 1,
                    Err(s) => return Err(rpc_error(s)),
                };
            }
            let (id, version) = (a.agreement_id.clone(), a.version);
            let req = pb::ProposeAgreementRequest {
                agreement: Some(a),
                status,
            };
            let r = c.propose_agreement(req).await.map_err(rpc_error)?.into_inner();
            // The content hash the parties sign, as the node computed it.
            let view = c.get_agreement(get(&id)).await.ok().map(|v| v.into_inner());
            let hash = view
                .as_ref()
                .and_then(|v| {
                    v.versions
                        .iter()
                        .find(|x| x.record.as_ref().is_some_and(|m| m.id == r.id))
                })
                .map(|v| v.content_sha256.clone())
                .unwrap_or_default();
            if json {
                let mut j = ref_json(&r);
                j["agreement_id"] = json!(id);
                j["version"] = json!(version);
                j["content_sha256"] = json!(hash);
                return print_json(&j);
            }
            out!(
                "proposed agreement {id} version {version} as record {} ({})",
                r.id,
                region(&r.origin)
            );
            if !hash.is_empty() {
                out!("content hash {hash}");
                out!("every party reviews it and signs with:");
                out!("  regiosync agreement sign {id} --version {version} --hash {hash}");
            }
            Ok(())
        }
        AgreementCmd::Sign { id, version, hash } => {
            act(conn, json, AgreementAction::Sign, id, version, hash, String::new()).await
        }
        AgreementCmd::Reject {
            id,
            reason,
            version,
            hash,
        } => act(conn, json, AgreementAction::Reject, id, version, hash, reason).await,
        AgreementCmd::Withdraw { id, reason } => {
            act(conn, json, AgreementAction::Withdraw, id, None, None, reason).await
        }
        AgreementCmd::Revoke { id, reason } => act(conn, json, AgreementAction::Revoke, id, None, None, reason).await,
        AgreementCmd::Show { id } => {
            let v = conn
                .records()
                .await?
                .get_agreement(get(&id))
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                return print_json(&v);
            }
            show(&v);
            Ok(())
        }
        AgreementCmd::List { party, state } => {
            if let Some(s) = state.as_deref().filter(|s| !STATES.contains(s)) {
                bail!("--state: '{s}' is not one of {}", STATES.join(", "));
            }
            let req = pb::ListAgreementsRequest {
                party: party.as_deref().map(region_arg).unwrap_or_default(),
                state: state.unwrap_or_default(),
            };
            let list = conn
                .records()
                .await?
                .list_agreements(req)
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                return print_json(&json!({ "agreements": list.agreements }));
            }
            print_list(&list.agreements);
            Ok(())
        }
    }
}

fn get(id: &str) -> pb::GetAgreementRequest {
    pb::GetAgreementRequest {
        agreement_id: id.to_string(),
    }
}

async fn act(
    conn: &Conn,
    json: bool,
    action: AgreementAction,
    id: String,
    version: Option<u32>,
    hash: Option<String>,
    reason: String,
) -> Result<()> {
    let hash = hash.unwrap_or_default().trim().to_ascii_lowercase();
    if !hash.is_empty() && (hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit())) {
        bail!("--hash: '{hash}' is not a SHA-256 in hex (64 characters, as `agreement show` prints it)");
    }
    if matches!(
        action,
        AgreementAction::Reject | AgreementAction::Withdraw | AgreementAction::Revoke
    ) && reason.trim().is_empty()
    {
        bail!("--reason: required, say why");
    }
    let mut c = conn.records().await?;
    let req = AgreementActionRequest {
        action: action as i32,
        agreement_id: id.clone(),
        version: version.unwrap_or(0),
        content_sha256: hash,
        reason,
    };
    let r = c.act_on_agreement(req).await.map_err(rpc_error)?.into_inner();
    let view = c.get_agreement(get(&id)).await.ok().map(|v| v.into_inner());
    if json {
        let mut j = ref_json(&r);
        j["agreement_id"] = json!(id);
        j["state"] = json!(view.as_ref().map(|v| v.state.clone()));
        return print_json(&j);
    }
    let verb = match action {
        AgreementAction::Sign => "signed",
        AgreementAction::Reject => "rejected",
        AgreementAction::Withdraw => "withdrew from",
        _ => "revoked",
    };
    out!("{} {verb} agreement {id} (record {})", region(&r.origin), r.id);
    if let Some(v) = view {
        let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
        out!("agreement {id} is now {}", v.state);
        if let Some(n) = newest.filter(|n| !n.unsigned.is_empty() && n.rejected.is_empty()) {
            out!("version {} still waits for {}", n.version, regions(&n.unsigned));
        }
        if let Some(w) = &v.withdrawal {
            out!("the withdrawal takes effect {}", when(w.effective_unix_ms));
        }
    }
    Ok(())
}
