//! The timeline of a request: one line per counted record, what step it is and what it says.
use crate::pb;
use crate::record::{Payload, Record};

/// One line of the timeline for a counted record.
pub(super) fn event(r: &Record) -> pb::TimelineEvent {
    let units = |lines: &mut dyn Iterator<Item = (&str, u32)>| {
        lines.map(|(t, n)| format!("{n} {t}")).collect::<Vec<_>>().join(", ")
    };
    let (step, summary) = match &r.payload {
        Payload::AssistanceRequest(q) => {
            let national = q.addressing.as_ref().is_some_and(|a| a.national);
            let of: Vec<&str> = q
                .addressed
                .iter()
                .map(String::as_str)
                .chain(national.then_some("the national level"))
                .collect();
            (
                "request",
                format!(
                    "asks {} of {}",
                    units(&mut q.lines.iter().map(|l| (l.resource_type.as_str(), l.quantity))),
                    of.join(", ")
                ),
            )
        }
        Payload::AssistanceOffer(o) if !o.decline_reason.is_empty() => ("decline", o.decline_reason.clone()),
        Payload::AssistanceOffer(o) => (
            "offer",
            format!(
                "{} (eta {})",
                units(&mut o.lines.iter().map(|l| (l.resource_type.as_str(), l.quantity))),
                o.eta
            ),
        ),
        Payload::AssistanceAcceptance(a) => (
            "acceptance",
            a.commitments
                .iter()
                .map(|c| format!("{} {} of {}", c.quantity, c.resource_type, c.offer_id))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Payload::AssistanceDeployment(d) => {
            let until = if d.until.is_empty() {
                String::new()
            } else {
                format!(" until {}", d.until)
            };
            let what = match d.offer_id.as_str() {
                "" => format!("{} every {}", d.state, d.resource_type),
                offer => format!("{} {} of {offer}", d.state, d.resource_type),
            };
            ("deployment", format!("{what}{until}"))
        }
        Payload::AssistanceRouting(g) => ("routing", format!("routed to {}", g.members.join(", "))),
        Payload::AssistanceClose(c) if c.cancelled => ("cancel", c.note.clone()),
        Payload::AssistanceClose(c) => ("close", c.note.clone()),
        _ => ("other", String::new()),
    };
    pb::TimelineEvent {
        at_unix_ms: r.created_unix_ms,
        record_id: r.id.clone(),
        member: r.origin.to_string(),
        step: step.into(),
        summary,
    }
}
