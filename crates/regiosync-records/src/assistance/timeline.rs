//! The timeline of a request: one line per counted record, what step it is and what it says.
use crate::pb;
use crate::record::{Payload, Record};

/// One line of the timeline for a counted record: its English summary and the same as data.
pub(super) fn event(r: &Record) -> pb::TimelineEvent {
    let mut e = pb::TimelineEvent {
        at_unix_ms: r.created_unix_ms,
        record_id: r.id.clone(),
        member: r.origin.to_string(),
        ..Default::default()
    };
    let units = |t: &str, n: u32, offer: &str| pb::TimelineUnits {
        resource_type: t.to_string(),
        quantity: n,
        offer_id: offer.to_string(),
    };
    let step = match &r.payload {
        Payload::AssistanceRequest(q) => {
            e.units = q
                .lines
                .iter()
                .map(|l| units(&l.resource_type, l.quantity, ""))
                .collect();
            e.members = q.addressed.clone();
            e.national = q.addressing.as_ref().is_some_and(|a| a.national);
            "request"
        }
        Payload::AssistanceOffer(o) if !o.decline_reason.is_empty() => {
            e.code = o.decline_reason.clone();
            e.note = o.note.clone();
            "decline"
        }
        Payload::AssistanceOffer(o) => {
            e.units = o
                .lines
                .iter()
                .map(|l| units(&l.resource_type, l.quantity, ""))
                .collect();
            e.eta = o.eta.clone();
            "offer"
        }
        Payload::AssistanceAcceptance(a) => {
            e.units = a
                .commitments
                .iter()
                .map(|c| units(&c.resource_type, c.quantity, &c.offer_id))
                .collect();
            "acceptance"
        }
        Payload::AssistanceDeployment(d) => {
            e.units = vec![units(&d.resource_type, 0, &d.offer_id)];
            e.code = d.state.clone();
            e.until = d.until.clone();
            e.note = d.note.clone();
            "deployment"
        }
        Payload::AssistanceRouting(g) => {
            e.members = g.members.clone();
            "routing"
        }
        Payload::AssistanceClose(c) => {
            e.note = c.note.clone();
            if c.cancelled {
                "cancel"
            } else {
                "close"
            }
        }
        _ => "other",
    };
    e.step = step.into();
    e.summary = summary(&e);
    e
}

/// The English one-line summary of a timeline event, from its fields.
fn summary(e: &pb::TimelineEvent) -> String {
    let counted = |u: &pb::TimelineUnits| format!("{} {}", u.quantity, u.resource_type);
    let list = |f: &dyn Fn(&pb::TimelineUnits) -> String| e.units.iter().map(f).collect::<Vec<_>>().join(", ");
    match e.step.as_str() {
        "request" => {
            let of: Vec<&str> = e
                .members
                .iter()
                .map(String::as_str)
                .chain(e.national.then_some("the national level"))
                .collect();
            format!("asks {} of {}", list(&counted), of.join(", "))
        }
        "decline" => e.code.clone(),
        "offer" => format!("{} (eta {})", list(&counted), e.eta),
        "acceptance" => list(&|u| format!("{} {} of {}", u.quantity, u.resource_type, u.offer_id)),
        "deployment" => {
            let until = if e.until.is_empty() {
                String::new()
            } else {
                format!(" until {}", e.until)
            };
            let what = list(&|u| match u.offer_id.as_str() {
                "" => format!("{} every {}", e.code, u.resource_type),
                offer => format!("{} {} of {offer}", e.code, u.resource_type),
            });
            format!("{what}{until}")
        }
        "routing" => format!("routed to {}", e.members.join(", ")),
        "cancel" | "close" => e.note.clone(),
        _ => String::new(),
    }
}
