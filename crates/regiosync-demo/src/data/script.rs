//! What each person does, in order, through the `Records` API of their own node: a region's
//! operator publishes its capacity and files its evaluations; the parties to an agreement
//! propose it and act on it, each at their own node once the agreement (or the state the act
//! needs) has arrived there.
use regiosync_records::agreement::state::ACTIVE;
use std::sync::Arc;

use anyhow::{Context, Result};
use regiosync_node::pb::{
    AgreementAction, AgreementActionRequest, GetAgreementRequest, ProposeAgreementRequest, PublishCapacityRequest,
    RecordRef, SubmitEvaluationRequest,
};
use regiosync_records::pb::AgreementView;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use tokio::time::Instant;

use super::agreements::{Plan, Step};
use super::capacity::Publication;
use super::evaluations::Filing;
use super::people::{until, Client, People};

/// A region's operator publishes its capacity reports (audience: NL and `audience`) and then
/// files its evaluations, oldest first; a later evaluation verifies actions of the one before.
pub async fn region(
    people: Arc<People>,
    region: NodeId,
    reports: Vec<Publication>,
    audience: Vec<String>,
    filings: Vec<Filing>,
) -> Result<Vec<RecordRef>> {
    let mut client = people.operator(region);
    let mut written = Vec::new();
    for p in reports {
        let status = if p.exercise { Status::Exercise } else { Status::Actual };
        let req = PublishCapacityRequest {
            report: Some(p.report),
            status: status as i32,
            audience: audience.clone(),
        };
        let r = client
            .publish_capacity(req)
            .await
            .with_context(|| format!("{region}: publishing capacity"))?;
        written.push(r.into_inner());
    }
    let mut previous: Option<String> = None;
    for mut f in filings {
        if let Some(id) = &previous {
            for v in &mut f.verifies_previous {
                v.evaluation_id.clone_from(id);
            }
            f.summary.verifies = f.verifies_previous;
        }
        let event = f.summary.event.as_ref().map(|e| e.name.clone()).unwrap_or_default();
        let req = SubmitEvaluationRequest {
            summary: Some(f.summary),
            status: Status::Actual as i32,
            federation_wide: f.federation_wide,
        };
        let r = client
            .submit_evaluation(req)
            .await
            .with_context(|| format!("{region}: submitting the evaluation of '{event}'"))?
            .into_inner();
        previous = Some(r.id.clone());
        written.push(r);
    }
    Ok(written)
}

/// Run one agreement's script, step by step.
pub async fn agreement(people: Arc<People>, plan: Plan, deadline: Instant) -> Result<Vec<RecordRef>> {
    let mut written = Vec::new();
    let id = plan.id;
    for step in &plan.steps {
        let r = match step {
            Step::Propose { version, by } => {
                if *version > 1 {
                    // An amendment is proposed once the version before it is in force here.
                    let before = version - 1;
                    seen(&people, *by, id, deadline, format!("version {before} in force"), |v| {
                        v.version_in_force == before
                    })
                    .await?;
                }
                let req = ProposeAgreementRequest {
                    agreement: Some(plan.versions[*version as usize - 1].clone()),
                    status: Status::Actual as i32,
                };
                people
                    .operator(*by)
                    .propose_agreement(req)
                    .await
                    .with_context(|| format!("{by}: proposing {id} version {version}"))?
            }
            Step::Sign { version, by } => {
                let hash = reviewed(&people, *by, id, *version, deadline).await?;
                act(&people, *by, id, AgreementAction::Sign, *version, hash, "").await?
            }
            Step::Reject { version, by, reason } => {
                let hash = reviewed(&people, *by, id, *version, deadline).await?;
                act(&people, *by, id, AgreementAction::Reject, *version, hash, reason).await?
            }
            Step::Withdraw { by, reason } => {
                seen(&people, *by, id, deadline, ACTIVE.into(), |v| v.state == ACTIVE).await?;
                act(&people, *by, id, AgreementAction::Withdraw, 0, String::new(), reason).await?
            }
            Step::Revoke { by, reason } => {
                seen(&people, *by, id, deadline, ACTIVE.into(), |v| v.state == ACTIVE).await?;
                act(&people, *by, id, AgreementAction::Revoke, 0, String::new(), reason).await?
            }
        };
        written.push(r.into_inner());
    }
    Ok(written)
}

/// The operator of `by` waits until their node holds `version` of the agreement, and reviews
/// it: the content hash they sign or reject.
async fn reviewed(people: &People, by: NodeId, id: &str, version: u32, deadline: Instant) -> Result<String> {
    let view = seen(people, by, id, deadline, format!("version {version}"), |v| {
        v.versions.iter().any(|x| x.version == version)
    })
    .await?;
    let held = view
        .versions
        .iter()
        .find(|x| x.version == version)
        .context("version held")?;
    Ok(held.content_sha256.clone())
}

/// Poll GetAgreement at `by`'s node, as its operator, until the view satisfies `ok`.
async fn seen(
    people: &People,
    by: NodeId,
    id: &str,
    deadline: Instant,
    what: String,
    ok: impl Fn(&AgreementView) -> bool,
) -> Result<AgreementView> {
    let client = people.operator(by);
    let ok = &ok;
    until(
        &people.engines[&by],
        deadline,
        || format!("agreement {id}: {what}"),
        || {
            let mut client: Client = client.clone();
            async move {
                let req = GetAgreementRequest {
                    agreement_id: id.into(),
                };
                match client.get_agreement(req).await {
                    Ok(v) => Ok(Some(v.into_inner()).filter(|v| ok(v))),
                    Err(s) if s.code() == tonic::Code::NotFound => Ok(None),
                    Err(s) => Err(anyhow::Error::new(s).context(format!("{by}: reading agreement {id}"))),
                }
            }
        },
    )
    .await
}

async fn act(
    people: &People,
    by: NodeId,
    id: &str,
    action: AgreementAction,
    version: u32,
    content_sha256: String,
    reason: &str,
) -> Result<tonic::Response<RecordRef>> {
    let req = AgreementActionRequest {
        action: action as i32,
        agreement_id: id.into(),
        version,
        content_sha256,
        reason: reason.into(),
    };
    people
        .operator(by)
        .act_on_agreement(req)
        .await
        .with_context(|| format!("{by}: {} {id}", action.as_str_name().to_lowercase()))
}
