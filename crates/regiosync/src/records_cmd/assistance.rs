//! `regiosync assist ...`: the steps of an assistance request as your member (ask, offer,
//! decline, accept, report the state of your units, release, close or cancel) and reading
//! requests (printed by `regiosync_client::render::records::assistance`). Lines are written
//! as `TYPE=N` (`TS=6`, or `TS=6/4` for a minimum of 4), commitments as `OFFER:TYPE=N`
//! (`VR15-3:TS=2`); moments as RFC 3339 UTC, `now` or relative (`+45m`, `+4h`).
use anyhow::Result;
use regiosync_client::render::records::assistance::{exported, print_list, show, written};
use regiosync_client::render::time::now_ms;
use regiosync_client::render::{answer, print_json, Out};
use regiosync_client::said::{Tell, Text};
use regiosync_client::{files, rpc_error, Conn};
use regiosync_node::pb;
use regiosync_records::pb as rpb;
use regiosync_records::{assistance, edxl, CodeLists, Record};
use regiosync_types::{Envelope, Federation};
use serde_json::json;

use super::{write_status, AssistCmd};
use crate::args::{moment, region_arg, resource_arg};

/// `TYPE=N` or `TYPE=N/MIN`: (resource type, quantity, minimum).
fn line_arg(flag: &str, s: &str) -> Result<(String, u32, u32)> {
    let bad = || Text::new("cmd-assist-line").arg("flag", flag).arg("value", s);
    let (t, n) = s.split_once('=').told_with(bad)?;
    let (n, min) = match n.split_once('/') {
        Some((n, m)) => (n, m.trim().parse().ok().told_with(bad)?),
        None => (n, 0),
    };
    Ok((resource_arg(t), n.trim().parse().ok().told_with(bad)?, min))
}

/// `OFFER:TYPE=N`: a commitment.
fn commit_arg(s: &str) -> Result<rpb::Commitment> {
    let bad = || Text::new("cmd-assist-commit").arg("value", s);
    let (offer, rest) = s.split_once(':').told_with(bad)?;
    let (t, n, min) = line_arg("--commit", rest).told_with(bad)?;
    if min != 0 {
        return Err(bad().into());
    }
    Ok(rpb::Commitment {
        offer_id: offer.trim().to_string(),
        resource_type: t,
        quantity: n,
    })
}

pub async fn run(conn: &Conn, out: Out, cmd: AssistCmd) -> Result<()> {
    let now = now_ms();
    match cmd {
        AssistCmd::Request {
            file,
            status,
            incident,
            description,
            escalation,
            hazard,
            municipality,
            location,
            needed_by,
            lines,
            to,
            agreements,
            neighbours,
            national,
        } => {
            let mut q: rpb::AssistanceRequest = match &file {
                Some(f) => {
                    let q: rpb::AssistanceRequest = files::load(f)?;
                    files::author_left_out(f, "", &q.author)?;
                    q
                }
                None => rpb::AssistanceRequest::default(),
            };
            let i = q.incident.get_or_insert_with(Default::default);
            for (value, field) in [
                (incident, &mut i.reference),
                (description, &mut i.description),
                (escalation, &mut i.escalation),
                (hazard, &mut i.hazard),
            ] {
                if let Some(v) = value {
                    *field = v;
                }
            }
            let l = q.location.get_or_insert_with(Default::default);
            if let Some(m) = municipality {
                l.municipality = m;
            }
            if let Some(d) = location {
                l.description = d;
            }
            if let Some(n) = needed_by {
                q.needed_by = moment("--needed-by", &n, now)?;
            }
            for s in &lines {
                let (t, n, min) = line_arg("--line", s)?;
                q.lines.push(rpb::RequestLine {
                    resource_type: t,
                    quantity: n,
                    minimum: min,
                    remarks: String::new(),
                });
            }
            let a = q.addressing.get_or_insert_with(Default::default);
            a.members.extend(to.iter().map(|m| region_arg(m)));
            a.agreements.extend(agreements);
            a.neighbours |= neighbours;
            a.national |= national;
            let status = write_status(status.as_deref())?;
            let r = conn
                .records()
                .await?
                .request_assistance(pb::RequestAssistanceRequest {
                    request: Some(q),
                    status,
                })
                .await
                .map_err(rpc_error)?
                .into_inner();
            written(out, &r, "asked", "")
        }
        AssistCmd::Offer {
            request_id,
            lines,
            eta,
            valid_until,
            conditions,
            agreement,
            note,
        } => {
            let mut offer = rpb::AssistanceOffer {
                request_id: request_id.clone(),
                eta: moment("--eta", &eta, now)?,
                valid_until: moment("--valid-until", &valid_until, now)?,
                conditions: conditions.unwrap_or_default(),
                agreement_id: agreement.unwrap_or_default(),
                note: note.unwrap_or_default(),
                ..Default::default()
            };
            for s in &lines {
                let (t, n, min) = line_arg("--line", s)?;
                if min != 0 {
                    return Err(Text::new("cmd-assist-offer-minimum").arg("value", s).into());
                }
                offer.lines.push(rpb::OfferLine {
                    resource_type: t,
                    quantity: n,
                    ..Default::default()
                });
            }
            answer_step(conn, out, offer, "offered", &request_id).await
        }
        AssistCmd::Decline {
            request_id,
            reason,
            note,
        } => {
            let offer = rpb::AssistanceOffer {
                request_id: request_id.clone(),
                decline_reason: reason,
                note: note.unwrap_or_default(),
                ..Default::default()
            };
            answer_step(conn, out, offer, "declined", &request_id).await
        }
        AssistCmd::Accept {
            request_id,
            commits,
            note,
        } => {
            let acceptance = rpb::AssistanceAcceptance {
                request_id: request_id.clone(),
                commitments: commits.iter().map(|c| commit_arg(c)).collect::<Result<_>>()?,
                note: note.unwrap_or_default(),
                author: String::new(),
            };
            let r = conn
                .records()
                .await?
                .accept_assistance(pb::AcceptAssistanceRequest {
                    acceptance: Some(acceptance),
                })
                .await
                .map_err(rpc_error)?
                .into_inner();
            written(out, &r, "committed", &request_id)
        }
        AssistCmd::Status {
            request_id,
            offer,
            resource_type,
            state,
            until,
            note,
        } => {
            let d = rpb::AssistanceDeployment {
                request_id: request_id.clone(),
                offer_id: offer,
                resource_type: resource_arg(&resource_type),
                state,
                until: until
                    .map(|u| moment("--until", &u, now))
                    .transpose()?
                    .unwrap_or_default(),
                note: note.unwrap_or_default(),
                ..Default::default()
            };
            report(conn, out, d, "reported", &request_id).await
        }
        AssistCmd::Release {
            request_id,
            resource_type,
            offer,
            note,
        } => {
            let d = rpb::AssistanceDeployment {
                request_id: request_id.clone(),
                offer_id: offer.unwrap_or_default(),
                resource_type: resource_arg(&resource_type),
                state: "released".into(),
                note: note.unwrap_or_default(),
                ..Default::default()
            };
            report(conn, out, d, "released", &request_id).await
        }
        AssistCmd::Close {
            request_id,
            cancel,
            note,
            cooperation,
            lessons,
        } => {
            let evaluation = match (cooperation, lessons.is_empty()) {
                (None, true) => None,
                (None, false) => return Err(Text::new("cmd-assist-lesson").into()),
                (Some(c), _) => Some(rpb::AssistanceEvaluation {
                    cooperation: c.trim().to_ascii_uppercase(),
                    lessons,
                }),
            };
            let close = rpb::AssistanceClose {
                request_id: request_id.clone(),
                cancelled: cancel,
                note: note.unwrap_or_default(),
                evaluation,
                ..Default::default()
            };
            let r = conn
                .records()
                .await?
                .close_assistance(pb::CloseAssistanceRequest { close: Some(close) })
                .await
                .map_err(rpc_error)?
                .into_inner();
            written(out, &r, if cancel { "cancelled" } else { "closed" }, &request_id)
        }
        AssistCmd::Route { request_id, to, note } => {
            let routing = pb::AssistanceRouting {
                request_id: request_id.clone(),
                members: to.iter().map(|m| region_arg(m)).collect(),
                note: note.unwrap_or_default(),
                ..Default::default()
            };
            let r = conn
                .records()
                .await?
                .route_assistance(pb::RouteAssistanceRequest { routing: Some(routing) })
                .await
                .map_err(rpc_error)?
                .into_inner();
            written(out, &r, "routed", &request_id)
        }
        AssistCmd::Show { request_id } => {
            let v = conn
                .records()
                .await?
                .get_assistance(pb::GetAssistanceRequest { request_id })
                .await
                .map_err(rpc_error)?
                .into_inner();
            answer(out, &v, show)
        }
        AssistCmd::Export {
            request_id,
            out: folder,
        } => export(conn, out, &request_id, &folder).await,
        AssistCmd::List { open, state, member } => {
            let l = conn
                .records()
                .await?
                .list_assistance(pb::ListAssistanceRequest {
                    state: state.unwrap_or_default(),
                    open_only: open,
                    member: member.as_deref().map(region_arg).unwrap_or_default(),
                })
                .await
                .map_err(rpc_error)?
                .into_inner();
            if out.json {
                return print_json(&json!({"requests": l.requests}));
            }
            print_list(out.lang, &l.requests);
            Ok(())
        }
    }
}

/// Every counted step of the request as an EDXL-RM message, one file each in `out`, named
/// `<nn>-<record id>-<message type>.xml` in the order of the timeline.
async fn export(conn: &Conn, out: Out, request_id: &str, folder: &std::path::Path) -> Result<()> {
    let view = conn
        .records()
        .await?
        .get_assistance(pb::GetAssistanceRequest {
            request_id: request_id.into(),
        })
        .await
        .map_err(rpc_error)?
        .into_inner();
    let mut api = conn.node_api().await?;
    // The request from the view: a member the national level routed it to holds only the
    // routing's copy, not the request's entry.
    let request =
        assistance::request_record(&view).told_with(|| Text::new("cmd-assist-no-request").arg("id", request_id))?;
    let mut steps = Vec::new();
    for e in &view.timeline {
        if e.record_id == request.id {
            steps.push(request.clone());
            continue;
        }
        let entry = api
            .get_entry(pb::GetRequest {
                id: e.record_id.clone(),
            })
            .await
            .map_err(rpc_error)?
            .into_inner();
        let body = entry
            .body
            .told_with(|| Text::new("cmd-assist-no-body").arg("id", &e.record_id))?;
        let envelope =
            Envelope::check(body).told_with(|| Text::new("cmd-assist-not-an-entry").arg("id", &e.record_id))?;
        let record = Record::decode(&envelope)
            .told_with(|| Text::new("cmd-assist-payload").arg("id", &e.record_id))?
            .told_with(|| Text::new("cmd-assist-not-a-record").arg("id", &e.record_id))?;
        steps.push(record);
    }
    std::fs::create_dir_all(folder).told_with(|| Text::new("cmd-creating").arg("path", folder.display()))?;
    let mut files = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let xml = edxl::message(step, &request, &Federation::shipped(), CodeLists::shipped())
            .told_with(|| Text::new("cmd-assist-edxl").arg("id", &step.id))?;
        let kind = edxl::message_type(step).unwrap_or("Message");
        let path = folder.join(format!("{:02}-{}-{kind}.xml", i + 1, step.id));
        std::fs::write(&path, xml).told_with(|| Text::new("cmd-writing").arg("path", path.display()))?;
        files.push((step.id.clone(), kind, path));
    }
    exported(out, request_id, folder, &files)
}

async fn answer_step(conn: &Conn, out: Out, offer: rpb::AssistanceOffer, what: &str, request_id: &str) -> Result<()> {
    let r = conn
        .records()
        .await?
        .answer_assistance(pb::AnswerAssistanceRequest { offer: Some(offer) })
        .await
        .map_err(rpc_error)?
        .into_inner();
    written(out, &r, what, request_id)
}

async fn report(conn: &Conn, out: Out, d: rpb::AssistanceDeployment, what: &str, request_id: &str) -> Result<()> {
    let r = conn
        .records()
        .await?
        .report_deployment(pb::ReportDeploymentRequest { deployment: Some(d) })
        .await
        .map_err(rpc_error)?
        .into_inner();
    written(out, &r, what, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_commitments_as_people_write_them() {
        assert_eq!(line_arg("--line", "TS=6/4").unwrap(), ("TS".into(), 6, 4));
        assert_eq!(line_arg("--line", "tankautospuit=2").unwrap(), ("TS".into(), 2, 0));
        let e = line_arg("--line", "TS").unwrap_err().to_string();
        assert_eq!(e, "--line: 'TS' is not TYPE=N or TYPE=N/MIN (e.g. TS=6 or TS=6/4)");
        assert!(line_arg("--line", "TS=zes").is_err());
        let c = commit_arg("VR15-3:gpt=1").unwrap();
        assert_eq!(
            (c.offer_id.as_str(), c.resource_type.as_str(), c.quantity),
            ("VR15-3", "GPT", 1)
        );
        assert!(commit_arg("VR15-3").is_err());
        assert!(commit_arg("VR15-3:TS=2/1").is_err());
    }
}
