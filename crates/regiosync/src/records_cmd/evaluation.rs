//! `regiosync evaluation ...`: submit an evaluation of your region from a file, and read
//! evaluations (printed by `regiosync_client::render::records::evaluation`: ratings, findings
//! and the state of their improvement actions).
use anyhow::Result;
use regiosync_client::render::records::evaluation::{print_list, show, submitted};
use regiosync_client::render::{answer, more_line, page_json, print_json, Out};
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
            let event = summary.event.clone().unwrap_or_default();
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
            submitted(out, &r, &event, federation_wide)
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
            year,
            limit,
            cursor,
        } => {
            let req = pb::ListEvaluationsRequest {
                region: r.as_deref().map(region_arg).unwrap_or_default(),
                year: year.unwrap_or(0),
                page_size: limit,
                page_token: cursor.unwrap_or_default(),
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
