//! `regiosync evaluation ...`: submit an evaluation of your region from a file, correct it
//! (a new version from a file) or withdraw it, and read evaluations (printed by
//! `regiosync_client::render::records::evaluation`: ratings, findings, the state of their
//! improvement actions, and the evaluation's versions).
use anyhow::Result;
use regiosync_client::render::records::evaluation::{print_list, show, submitted, withdrawn};
use regiosync_client::render::{answer, more_line, page_json, print_json, Out};
use regiosync_client::said::Text;
use regiosync_client::{files, rpc_error, Conn};
use regiosync_node::pb;
use regiosync_records::pb::EvaluationSummary;
use serde_json::json;

use super::{write_status, EvaluationCmd};
use crate::args::region_arg;

pub async fn run(conn: &Conn, out: Out, cmd: EvaluationCmd) -> Result<()> {
    match cmd {
        EvaluationCmd::Submit {
            file,
            status,
            federation_wide,
        } => {
            let summary: EvaluationSummary = files::load(&file)?;
            files::author_left_out(&file, "", &summary.author)?;
            let status = write_status(status.as_deref())?;
            submit(conn, out, summary, status, federation_wide).await
        }
        EvaluationCmd::Correct {
            id,
            file,
            federation_wide,
        } => {
            let mut summary: EvaluationSummary = files::load(&file)?;
            files::author_left_out(&file, "", &summary.author)?;
            if !summary.corrects.is_empty() && summary.corrects != id {
                return Err(Text::new("cmd-evaluation-corrects")
                    .arg("file", file.display())
                    .arg("corrects", &summary.corrects)
                    .arg("id", id)
                    .into());
            }
            summary.corrects = id;
            // The status is the corrected version's: the node fills it in.
            submit(conn, out, summary, 0, federation_wide).await
        }
        EvaluationCmd::Withdraw { id, reason } => {
            let r = conn
                .records()
                .await?
                .withdraw_evaluation(pb::WithdrawEvaluationRequest {
                    evaluation_id: id.clone(),
                    reason,
                })
                .await
                .map_err(rpc_error)?
                .into_inner();
            withdrawn(out, &r, &id)
        }
        EvaluationCmd::Show { id } => {
            let v = conn
                .records()
                .await?
                .get_evaluation(pb::GetEvaluationRequest { id })
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &v, show)
        }
        EvaluationCmd::List {
            region: r,
            withdrawn,
            year,
            limit,
            cursor,
        } => {
            let req = pb::ListEvaluationsRequest {
                region: r.as_deref().map(region_arg).unwrap_or_default(),
                year: year.unwrap_or(0),
                page_size: limit,
                page_token: cursor.unwrap_or_default(),
                include_withdrawn: withdrawn,
            };
            let l = conn
                .records()
                .await?
                .list_evaluations(req)
                .await
                .map_err(rpc_error)?
                .into_inner();
            if out.json {
                return print_json(&page_json("evaluations", json!(l.evaluations), &l.next_page_token));
            }
            print_list(out.lang, &l.evaluations);
            more_line(out.lang, &l.next_page_token);
            Ok(())
        }
    }
}

/// File `summary` (a first filing, or a correction when it names the version it corrects).
async fn submit(conn: &Conn, out: Out, summary: EvaluationSummary, status: i32, federation_wide: bool) -> Result<()> {
    let event = summary.event.clone().unwrap_or_default();
    let corrects = summary.corrects.clone();
    let req = pb::SubmitEvaluationRequest {
        summary: Some(summary),
        status,
        federation_wide,
    };
    let r = conn
        .records()
        .await?
        .submit_evaluation(req)
        .await
        .map_err(rpc_error)?
        .into_inner();
    submitted(out, &r, &event, &corrects, federation_wide)
}
