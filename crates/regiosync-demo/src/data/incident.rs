//! The demo's incident: a GRIP 3 fire at a chemical plant in the Botlek (VR17
//! Rotterdam-Rijnmond) asks its partners under their agreement (VR15, VR16, VR18) for
//! tankautospuiten and a gaspakkenteam. VR15 offers two TS, VR16 two TS and its gaspakkenteam,
//! VR18 declines (its own minimum coverage); VR17 commits VR15's two TS, one of VR16's and the
//! gaspakkenteam (a partial acceptance: four of six TS is its minimum); the units depart, are on
//! scene, the gaspakkenteam's deployment is extended, VR17 releases the units, they return, and
//! VR17 closes the request with its evaluation of the cooperation. Each step by the operator
//! of the member that takes it, at its own node, once what it acts on has arrived there.
use anyhow::{Context, Result};
use regiosync_node::pb::{
    AcceptAssistanceRequest, AnswerAssistanceRequest, AssistanceByAgreementRequest, AssistanceByRegionRequest,
    CloseAssistanceRequest, GetAssistanceRequest, RecordRef, ReportDeploymentRequest, RequestAssistanceRequest,
};
use regiosync_records::pb::{
    Addressing, AssistanceAcceptance, AssistanceByAgreement, AssistanceByRegion, AssistanceClose, AssistanceDeployment,
    AssistanceEvaluation, AssistanceIncident, AssistanceLocation, AssistanceOffer, AssistanceRequest, AssistanceView,
    Commitment, OfferLine, RequestLine,
};
use regiosync_records::time::format_moment;
use regiosync_types::pb::Status;
use regiosync_types::{now_ms, NodeId};
use tokio::time::Instant;

use super::agreement_specs::INCIDENT_AGREEMENT;
use super::people::{until, Client, People};
use super::vr;

const MINUTE: i64 = 60_000;

fn line(t: &str, quantity: u32, minimum: u32) -> RequestLine {
    RequestLine {
        resource_type: t.into(),
        quantity,
        minimum,
        remarks: String::new(),
    }
}

fn offered(t: &str, quantity: u32) -> OfferLine {
    OfferLine {
        resource_type: t.into(),
        quantity,
        ..Default::default()
    }
}

fn commit(offer: &RecordRef, t: &str, quantity: u32) -> Commitment {
    Commitment {
        offer_id: offer.id.clone(),
        resource_type: t.into(),
        quantity,
    }
}

/// The request VR17 makes.
fn request() -> AssistanceRequest {
    let now = now_ms();
    AssistanceRequest {
        incident: Some(AssistanceIncident {
            reference: "VR17-2026-1123".into(),
            description: "Uitslaande brand in een opslagloods van een chemisch bedrijf in de Botlek; koeling van naastgelegen tanks nodig, inzet duurt naar verwachting meer dan 12 uur.".into(),
            escalation: "GRIP3".into(),
            hazard: "fire_industrial".into(),
        }),
        location: Some(AssistanceLocation {
            municipality: "Rotterdam".into(),
            description: "Botlek, Welplaatweg".into(),
            latitude: Some(51.8845),
            longitude: Some(4.312),
        }),
        needed_by: format_moment((now + 90 * MINUTE) / 1000 * 1000),
        lines: vec![line("TS", 6, 4), line("GPT", 1, 0)],
        addressing: Some(Addressing {
            agreements: vec![INCIDENT_AGREEMENT.into()],
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn offer(request: &RecordRef, lines: Vec<OfferLine>, eta_minutes: i64, conditions: &str) -> AssistanceOffer {
    let now = now_ms() / 1000 * 1000;
    AssistanceOffer {
        request_id: request.id.clone(),
        lines,
        eta: format_moment(now + eta_minutes * MINUTE),
        valid_until: format_moment(now + 240 * MINUTE),
        conditions: conditions.into(),
        agreement_id: INCIDENT_AGREEMENT.into(),
        ..Default::default()
    }
}

/// Poll the request at `by`'s node until its view satisfies `ok`.
async fn seen(
    people: &People,
    by: NodeId,
    id: &str,
    deadline: Instant,
    what: &str,
    ok: impl Fn(&AssistanceView) -> bool,
) -> Result<AssistanceView> {
    let client = people.operator(by);
    let ok = &ok;
    until(
        &people.engines[&by],
        deadline,
        || format!("request {id}: {what}"),
        || {
            let mut client: Client = client.clone();
            async move {
                match client
                    .get_assistance(GetAssistanceRequest { request_id: id.into() })
                    .await
                {
                    Ok(v) => Ok(Some(v.into_inner()).filter(|v| ok(v))),
                    Err(s) if s.code() == tonic::Code::NotFound => Ok(None),
                    Err(s) => Err(anyhow::Error::new(s).context(format!("{by}: reading request {id}"))),
                }
            }
        },
    )
    .await
}

/// A deployment report by `by` about `offer`'s units of `t`.
async fn report(
    people: &People,
    by: NodeId,
    q: &RecordRef,
    offer: &str,
    t: &str,
    state: &str,
    until: &str,
) -> Result<RecordRef> {
    let d = AssistanceDeployment {
        request_id: q.id.clone(),
        offer_id: offer.into(),
        resource_type: t.into(),
        state: state.into(),
        until: until.into(),
        ..Default::default()
    };
    Ok(people
        .operator(by)
        .report_deployment(ReportDeploymentRequest { deployment: Some(d) })
        .await
        .with_context(|| format!("{by}: reporting {state} for {t} on {}", q.id))?
        .into_inner())
}

/// Play the incident; every record written, and the request's view at NL at the end.
pub async fn play(people: &People, deadline: Instant) -> Result<(Vec<RecordRef>, AssistanceView)> {
    let (r15, r16, r17, r18) = (vr(15), vr(16), vr(17), vr(18));
    let mut written = Vec::new();
    let q = people
        .operator(r17)
        .request_assistance(RequestAssistanceRequest {
            request: Some(request()),
            status: Status::Actual as i32,
        })
        .await
        .context("VR17: asking for assistance")?
        .into_inner();
    written.push(q.clone());
    let mut offers = Vec::new();
    for (by, lines, eta, conditions) in [
        (
            r15,
            vec![offered("TS", 2)],
            35,
            "Aflossing na 8 uur door de vragende regio",
        ),
        (
            r16,
            vec![offered("TS", 2), offered("GPT", 1)],
            50,
            "Gaspakkenteam met eigen meetploeg",
        ),
    ] {
        seen(people, by, &q.id, deadline, "the request", |_| true).await?;
        let o = people
            .operator(by)
            .answer_assistance(AnswerAssistanceRequest {
                offer: Some(offer(&q, lines, eta, conditions)),
            })
            .await
            .with_context(|| format!("{by}: offering on {}", q.id))?
            .into_inner();
        offers.push(o);
    }
    seen(people, r18, &q.id, deadline, "the request", |_| true).await?;
    let decline = AssistanceOffer {
        request_id: q.id.clone(),
        decline_reason: "minimum_coverage".into(),
        note: "Twee TS'en staan al bij een eigen middelbrand in Dordrecht".into(),
        ..Default::default()
    };
    written.push(
        people
            .operator(r18)
            .answer_assistance(AnswerAssistanceRequest { offer: Some(decline) })
            .await
            .context("VR18: declining")?
            .into_inner(),
    );
    let (o15, o16) = (offers[0].clone(), offers[1].clone());
    written.extend(offers);
    seen(people, r17, &q.id, deadline, "both offers", |v| v.offers.len() == 3).await?;
    // Four of six TS will do (the request's minimum), and the gaspakkenteam.
    let acceptance = AssistanceAcceptance {
        request_id: q.id.clone(),
        commitments: vec![commit(&o15, "TS", 2), commit(&o16, "TS", 1), commit(&o16, "GPT", 1)],
        note: "Tweede TS van Hollands Midden niet nodig: eigen reserve komt vrij".into(),
        author: String::new(),
    };
    written.push(
        people
            .operator(r17)
            .accept_assistance(AcceptAssistanceRequest {
                acceptance: Some(acceptance),
            })
            .await
            .context("VR17: committing offers")?
            .into_inner(),
    );
    for (by, offer) in [(r15, &o15), (r16, &o16)] {
        seen(people, by, &q.id, deadline, "the commitment", |v| {
            v.deployments.iter().any(|d| d.offer_id == offer.id)
        })
        .await?;
    }
    let extended_until = format_moment((now_ms() + 10 * 60 * MINUTE) / 1000 * 1000);
    for (by, offer, t, state, until) in [
        (r15, &o15, "TS", "departed", ""),
        (r16, &o16, "TS", "departed", ""),
        (r16, &o16, "GPT", "departed", ""),
        (r15, &o15, "TS", "on_scene", ""),
        (r16, &o16, "TS", "on_scene", ""),
        (r16, &o16, "GPT", "on_scene", ""),
        (r16, &o16, "GPT", "extended", extended_until.as_str()),
    ] {
        written.push(report(people, by, &q, &offer.id, t, state, until).await?);
    }
    seen(people, r17, &q.id, deadline, "every unit on scene", |v| {
        v.lines.iter().all(|l| l.on_scene == l.committed)
    })
    .await?;
    for t in ["TS", "GPT"] {
        written.push(report(people, r17, &q, "", t, "released", "").await?);
    }
    for (by, offer, t) in [(r15, &o15, "TS"), (r16, &o16, "TS"), (r16, &o16, "GPT")] {
        seen(people, by, &q.id, deadline, "the release", |v| {
            v.deployments
                .iter()
                .any(|d| d.offer_id == offer.id && d.resource_type == t && d.state == "released")
        })
        .await?;
        written.push(report(people, by, &q, &offer.id, t, "returned", "").await?);
    }
    seen(people, r17, &q.id, deadline, "every unit home", |v| {
        v.deployments.iter().all(|d| d.state == "returned")
    })
    .await?;
    let close = AssistanceClose {
        request_id: q.id.clone(),
        note: "Brand meester, nacontrole door eigen ploegen".into(),
        evaluation: Some(AssistanceEvaluation {
            cooperation: "S".into(),
            lessons: vec![
                "Aanrijroute via de A15 eerder doorgeven aan de assisterende regio's".into(),
                "Gaspakkenteam direct met meetploeg alarmeren".into(),
            ],
        }),
        ..Default::default()
    };
    written.push(
        people
            .operator(r17)
            .close_assistance(CloseAssistanceRequest { close: Some(close) })
            .await
            .context("VR17: closing the request")?
            .into_inner(),
    );
    let nl = people.coordinator.clone();
    let at_nl = until(
        &people.engines[&NodeId::NL],
        deadline,
        || format!("request {} closed at NL", q.id),
        || {
            let mut nl = nl.clone();
            let id = q.id.clone();
            async move {
                let v = nl
                    .get_assistance(GetAssistanceRequest { request_id: id })
                    .await
                    .map(|v| v.into_inner())
                    .ok();
                Ok(v.filter(|v| v.state == "closed" && v.deployments.iter().all(|d| d.state == "returned")))
            }
        },
    )
    .await?;
    Ok((written, at_nl))
}

/// The assistance questions at NL over the Dutch day the request was made (a run across
/// midnight still counts it): per region and per agreement.
pub async fn kpis(people: &People, requested_unix_ms: i64) -> Result<(AssistanceByRegion, AssistanceByAgreement)> {
    let today = regiosync_records::calendar::day_of(requested_unix_ms);
    let (from, to) = (
        regiosync_records::time::format_date(today),
        regiosync_records::time::format_date(today + 1),
    );
    let mut q = people.questions.clone();
    let by_region = q
        .assistance_by_region(AssistanceByRegionRequest {
            from: from.clone(),
            to: to.clone(),
        })
        .await
        .context("NL: assistance per region")?
        .into_inner();
    let by_agreement = q
        .assistance_by_agreement(AssistanceByAgreementRequest { from, to })
        .await
        .context("NL: assistance per agreement")?
        .into_inner();
    Ok((by_region, by_agreement))
}
