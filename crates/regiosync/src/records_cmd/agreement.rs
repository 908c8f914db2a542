//! `regiosync agreement ...`: propose an agreement from a file, sign, reject, withdraw from or
//! revoke it as your region, and read its derived state with the content hash people sign
//! (printed by `regiosync_client::render::records::agreement`).
use anyhow::Result;
use regiosync_client::render::records::agreement::{acted, print_list, proposed, show};
use regiosync_client::render::{answer, more_line, page, page_json, print_json, Out, AGREEMENT_STATES as STATES};
use regiosync_client::said::Text;
use regiosync_client::{files, rpc_error, Conn};
use regiosync_node::pb::{self, AgreementAction, AgreementActionRequest};
use regiosync_records::pb::Agreement;
use serde_json::json;
use tonic::Code;

use super::{write_status, AgreementCmd};
use crate::args::region_arg;

pub async fn run(conn: &Conn, out: Out, cmd: AgreementCmd) -> Result<()> {
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
            proposed(out, &r, &id, version, &hash)
        }
        AgreementCmd::Sign { id, version, hash } => {
            act(conn, out, AgreementAction::Sign, id, version, hash, String::new()).await
        }
        AgreementCmd::Reject {
            id,
            reason,
            version,
            hash,
        } => act(conn, out, AgreementAction::Reject, id, version, hash, reason).await,
        AgreementCmd::Withdraw { id, reason } => {
            act(conn, out, AgreementAction::Withdraw, id, None, None, reason).await
        }
        AgreementCmd::Revoke { id, reason } => act(conn, out, AgreementAction::Revoke, id, None, None, reason).await,
        AgreementCmd::Show { id } => {
            let v = conn
                .records()
                .await?
                .get_agreement(get(&id))
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &v, show)
        }
        AgreementCmd::List {
            party,
            state,
            limit,
            cursor,
        } => {
            if let Some(s) = state.as_deref().filter(|s| !STATES.contains(s)) {
                return Err(Text::new("cmd-agreement-state")
                    .arg("value", s)
                    .arg("states", STATES.join(", "))
                    .into());
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
            let (agreements, next) = page(list.agreements, |a| a.agreement_id.clone(), limit, cursor.as_deref())?;
            if out.json {
                return print_json(&page_json("agreements", json!(agreements), &next));
            }
            print_list(out.lang, &agreements);
            more_line(out.lang, &next);
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
    out: Out,
    action: AgreementAction,
    id: String,
    version: Option<u32>,
    hash: Option<String>,
    reason: String,
) -> Result<()> {
    let hash = hash.unwrap_or_default().trim().to_ascii_lowercase();
    if !hash.is_empty() && (hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit())) {
        return Err(Text::new("cmd-agreement-hash").arg("value", hash).into());
    }
    if matches!(
        action,
        AgreementAction::Reject | AgreementAction::Withdraw | AgreementAction::Revoke
    ) && reason.trim().is_empty()
    {
        return Err(Text::new("cmd-agreement-reason").into());
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
    acted(out, action, &r, &id, view.as_ref())
}
