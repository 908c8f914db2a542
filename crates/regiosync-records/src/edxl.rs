//! Each step of an assistance request as an OASIS EDXL-RM 1.0 message (XML), so that other
//! emergency systems can read it. Pure functions: a step record and the request it belongs to
//! in, one complete XML document out. The mapping, field by field, and what could not be
//! checked against the schema, is `docs/edxl-rm.md`.
//!
//! | step                                   | message type                    |
//! |----------------------------------------|---------------------------------|
//! | request                                | RequestResource                 |
//! | routing by the national level          | RequestResource (from the national node, to the members routed to) |
//! | offer, decline                         | ResponseToRequestResource       |
//! | acceptance                             | RequisitionResource             |
//! | deployment departed/on_scene/extended/returned, released by the assisting member | ReportResourceDeploymentStatus |
//! | deployment released by the requester   | ReleaseResource                 |
//! | close                                  | ReleaseResource                 |
//! | cancel                                 | RequestResource with MessageRecall (Cancel) |
use regiosync_types::pb::Status;
use regiosync_types::{Error, Federation, NodeId, Result};

use crate::codes::{list, CodeList, CodeLists};
use crate::pb;
use crate::record::{Payload, Record};
use crate::time::{format_moment, parse_moment};

mod xml;

pub use xml::escape;
use xml::Xml;

/// The namespace of the message elements.
pub const MSG_NS: &str = "urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg";
/// The namespace of the common types (prefix `rm`).
pub const RM_NS: &str = "urn:oasis:names:tc:emergency:EDXL:RM:1.0";

pub const REQUEST_RESOURCE: &str = "RequestResource";
pub const RESPONSE_TO_REQUEST_RESOURCE: &str = "ResponseToRequestResource";
pub const REQUISITION_RESOURCE: &str = "RequisitionResource";
pub const REPORT_RESOURCE_DEPLOYMENT_STATUS: &str = "ReportResourceDeploymentStatus";
pub const RELEASE_RESOURCE: &str = "ReleaseResource";

/// The URN of one of our code lists in one version, as EDXL-RM's `ValueListURN`, e.g.
/// `urn:regiosync:codelist:3:resource_types`.
pub fn value_list_urn(version: u32, list: &str) -> String {
    format!("urn:regiosync:codelist:{version}:{list}")
}

/// The EDXL-RM message type a step is exported as; `None` for a record that is not an
/// assistance kind.
pub fn message_type(step: &Record) -> Option<&'static str> {
    Some(match &step.payload {
        Payload::AssistanceRequest(_) | Payload::AssistanceRouting(_) => REQUEST_RESOURCE,
        Payload::AssistanceOffer(_) => RESPONSE_TO_REQUEST_RESOURCE,
        Payload::AssistanceAcceptance(_) => REQUISITION_RESOURCE,
        Payload::AssistanceDeployment(d) if d.state == "released" && by_requester(step) => RELEASE_RESOURCE,
        Payload::AssistanceDeployment(_) => REPORT_RESOURCE_DEPLOYMENT_STATUS,
        Payload::AssistanceClose(c) if c.cancelled => REQUEST_RESOURCE,
        Payload::AssistanceClose(_) => RELEASE_RESOURCE,
        _ => return None,
    })
}

/// One complete EDXL-RM document for `step`, a record of `request` (for the request itself,
/// `step` is `request`). Member names come from `members`, the Dutch names of codes from
/// `codes`. An error for a record that is not an assistance kind, a `request` that is not a
/// request, a step whose `request_id` does not name `request`, or a code-list version or a
/// moment this node cannot read.
pub fn message(step: &Record, request: &Record, members: &Federation, codes: &CodeLists) -> Result<String> {
    let kind = message_type(step).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!("{} is not an assistance record, so it has no EDXL-RM message", step.id),
        )
    })?;
    let Payload::AssistanceRequest(req) = &request.payload else {
        return Err(Error::invalid(
            "request",
            format!("{} is not an assistance request", request.id),
        ));
    };
    let named = step.request_id().unwrap_or_default();
    if named != request.id {
        return Err(Error::invalid(
            "request_id",
            format!("'{named}' does not name the request given ({})", request.id),
        ));
    }
    let lists = codes.version("code_list_version", req.code_list_version)?;
    let ctx = Ctx {
        step,
        request,
        req,
        members,
        codes,
        lists,
    };
    let mut x = Xml::new();
    x.open_with(kind, &[("xmlns", MSG_NS), ("xmlns:rm", RM_NS)]);
    match &step.payload {
        Payload::AssistanceRequest(_) => ctx.request_resource(&mut x, kind)?,
        Payload::AssistanceOffer(o) => ctx.response(&mut x, kind, o)?,
        Payload::AssistanceAcceptance(a) => ctx.requisition(&mut x, kind, a)?,
        Payload::AssistanceDeployment(d) => ctx.deployment(&mut x, kind, d)?,
        Payload::AssistanceClose(c) => ctx.close(&mut x, kind, c)?,
        Payload::AssistanceRouting(g) => ctx.routing(&mut x, kind, g)?,
        _ => unreachable!("message_type is None for every other payload"),
    }
    Ok(x.finish())
}

/// `[Actual]`, `[Exercise]` or `[Test]`: how the record status shows in `MessageDescription`
/// (the spellings of EDXL-DE's `distributionStatus`; EDXL-RM has no status element).
pub fn status_tag(s: Status) -> &'static str {
    match s {
        Status::Actual => "[Actual]",
        Status::Exercise => "[Exercise]",
        Status::Test => "[Test]",
        Status::Unspecified => "[Unknown]",
    }
}

/// A record by the requester (the origin named in its `request_id`).
fn by_requester(step: &Record) -> bool {
    step.request_id().and_then(origin_of) == Some(step.origin)
}

/// The origin in a record id `<origin>-<seq>`.
fn origin_of(id: &str) -> Option<NodeId> {
    let (origin, seq) = id.rsplit_once('-')?;
    seq.parse::<u64>().ok()?;
    NodeId::parse_canonical(origin)
}

/// A moment as the record holds it (RFC 3339 UTC), written the way every moment of the
/// export is written (`YYYY-MM-DDTHH:MM:SSZ`).
fn moment(field: &str, s: &str) -> Result<String> {
    Ok(format_moment(parse_moment(field, s)?))
}

struct Ctx<'a> {
    step: &'a Record,
    request: &'a Record,
    req: &'a pb::AssistanceRequest,
    members: &'a Federation,
    codes: &'a CodeLists,
    /// The request's code lists.
    lists: &'a CodeList,
}

impl Ctx<'_> {
    /// MessageID, SentDateTime, MessageContentType, MessageDescription, OriginatingMessageID
    /// and PrecedingMessageID (at most one: the schema allows one), in the schema's order.
    fn header(&self, x: &mut Xml, kind: &str, description: &str, preceding: &str) {
        x.leaf("MessageID", &self.step.id);
        x.leaf("SentDateTime", &format_moment(self.step.created_unix_ms));
        x.leaf("MessageContentType", kind);
        let tag = status_tag(self.step.status);
        if description.is_empty() {
            x.leaf("MessageDescription", tag);
        } else {
            x.leaf("MessageDescription", &format!("{tag} {description}"));
        }
        if self.step.id != self.request.id {
            x.leaf("OriginatingMessageID", &self.request.id);
        }
        x.leaf_some("PrecedingMessageID", preceding);
    }

    /// The request's incident: its reference as IncidentID, what happened (with the
    /// escalation level and the hazard by name) as IncidentDescription.
    fn incident(&self, x: &mut Xml) {
        let Some(i) = &self.req.incident else { return };
        x.open("IncidentInformation");
        x.leaf_some("rm:IncidentID", &i.reference);
        let mut text = i.description.clone();
        for (l, code) in [(list::ESCALATION_LEVELS, &i.escalation), (list::HAZARDS, &i.hazard)] {
            if !code.is_empty() {
                text.push_str(&format!(" ({}: {})", code, self.name(self.lists, l, code)));
            }
        }
        x.leaf("rm:IncidentDescription", text.trim());
        x.close();
    }

    /// One ContactInformation per member: its name and id, and its role in this step.
    fn contact(&self, x: &mut Xml, member: NodeId, role: &str) {
        x.open("ContactInformation");
        x.leaf(
            "rm:ContactDescription",
            &format!("{} ({member})", self.members.name(member)),
        );
        x.leaf("rm:ContactRole", role);
        x.close();
    }

    /// The sender, then the requester when someone else sends.
    fn sender_and_requester(&self, x: &mut Xml) {
        let requester = self.request.origin;
        if self.step.origin == requester {
            self.contact(x, requester, "Requester");
        } else {
            self.contact(x, self.step.origin, "Sender");
            self.contact(x, requester, "Requester");
        }
    }

    /// `Resource`: the type's Dutch name and its code in the versioned list.
    fn resource(&self, x: &mut Xml, lists: &CodeList, code: &str, description: &str) {
        x.open("Resource");
        x.leaf("Name", &self.name(lists, list::RESOURCE_TYPES, code));
        value_list(
            x,
            "TypeStructure",
            &value_list_urn(lists.version, list::RESOURCE_TYPES),
            code,
        );
        x.leaf_some("Description", description);
        x.close();
    }

    fn name(&self, lists: &CodeList, l: &str, code: &str) -> String {
        lists.get(l, code).map_or_else(|| code.to_string(), |c| c.name.clone())
    }

    /// The request's location, in words: municipality, description, coordinates.
    fn location(&self) -> String {
        let Some(l) = &self.req.location else {
            return String::new();
        };
        let mut parts: Vec<String> = [&l.municipality, &l.description]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        if let (Some(lat), Some(lon)) = (l.latitude, l.longitude) {
            parts.push(format!("WGS 84 {lat}, {lon}"));
        }
        parts.join(", ")
    }

    fn schedule(&self, x: &mut Xml, kind: &str, at: &str, location: bool) {
        x.open("ScheduleInformation");
        x.leaf("ScheduleType", kind);
        x.leaf("DateTime", at);
        let place = if location { self.location() } else { String::new() };
        if !place.is_empty() {
            x.open("Location");
            x.leaf("rm:LocationDescription", &place);
            x.close();
        }
        x.close();
    }

    /// The request, or its cancellation (the same lines, with a MessageRecall).
    fn request_lines(&self, x: &mut Xml, needed_by: &str) {
        for line in &self.req.lines {
            x.open("ResourceInformation");
            x.leaf("ResourceInfoElementID", &line.resource_type);
            self.resource(x, self.lists, &line.resource_type, &line.remarks);
            x.open("AssignmentInformation");
            quantity(x, line.quantity);
            if line.minimum > 0 && line.minimum < line.quantity {
                x.leaf("Restrictions", &format!("minimum {} units", line.minimum));
            }
            x.close();
            self.schedule(x, "RequestedArrival", needed_by, true);
            x.close();
        }
    }

    fn request_resource(&self, x: &mut Xml, kind: &str) -> Result<()> {
        let needed_by = moment("needed_by", &self.req.needed_by)?;
        let reference = self.req.incident.as_ref().map(|i| i.reference.as_str()).unwrap_or("");
        self.header(x, kind, &format!("Assistance request {reference}"), "");
        self.incident(x);
        self.contact(x, self.request.origin, "Requester");
        for m in &self.req.addressed {
            if let Some(id) = NodeId::parse_canonical(m) {
                self.contact(x, id, "Addressee");
            }
        }
        self.request_lines(x, &needed_by);
        Ok(())
    }

    /// The request passed on by the national level: the same lines, from the national node
    /// (Sender) on the requester's behalf, to the members routed to.
    fn routing(&self, x: &mut Xml, kind: &str, g: &pb::AssistanceRouting) -> Result<()> {
        let needed_by = moment("needed_by", &self.req.needed_by)?;
        let text = match g.note.as_str() {
            "" => "Routed by the national level".to_string(),
            note => format!("Routed by the national level: {note}"),
        };
        self.header(x, kind, &text, &self.request.id);
        self.incident(x);
        self.sender_and_requester(x);
        for id in g.members.iter().filter_map(|m| NodeId::parse_canonical(m)) {
            self.contact(x, id, "Addressee");
        }
        self.request_lines(x, &needed_by);
        Ok(())
    }

    fn response(&self, x: &mut Xml, kind: &str, o: &pb::AssistanceOffer) -> Result<()> {
        let lists = self.lists_for(o.code_list_version)?;
        let declined = o.lines.is_empty();
        let what = if declined { "Decline" } else { "Offer" };
        let text = if o.note.is_empty() {
            what.to_string()
        } else {
            format!("{what}: {}", o.note)
        };
        self.header(x, kind, &text, &self.request.id);
        self.incident(x);
        self.sender_and_requester(x);
        if declined {
            let reason = self.name(lists, list::DECLINE_REASONS, &o.decline_reason);
            let text = if o.note.is_empty() {
                reason
            } else {
                format!("{reason}: {}", o.note)
            };
            for line in &self.req.lines {
                x.open("ResourceInformation");
                x.leaf("ResourceInfoElementID", &line.resource_type);
                x.open("ResponseInformation");
                x.leaf("rm:PrecedingResourceInfoElementID", &line.resource_type);
                x.leaf("rm:ResponseType", "Decline");
                value_list(
                    x,
                    "rm:ReasonCode",
                    &value_list_urn(lists.version, list::DECLINE_REASONS),
                    &o.decline_reason,
                );
                x.leaf("rm:ResponseReason", &text);
                x.close();
                self.resource(x, self.lists, &line.resource_type, "");
                x.close();
            }
            return Ok(());
        }
        let eta = moment("eta", &o.eta)?;
        let valid_until = moment("valid_until", &o.valid_until)?;
        for line in &o.lines {
            let asked = self.req.lines.iter().find(|l| l.resource_type == line.resource_type);
            let whole = asked.is_some_and(|l| line.quantity >= l.quantity);
            let provisional = !o.conditions.is_empty() || !whole;
            x.open("ResourceInformation");
            x.leaf("ResourceInfoElementID", &line.resource_type);
            x.open("ResponseInformation");
            x.leaf("rm:PrecedingResourceInfoElementID", &line.resource_type);
            x.leaf("rm:ResponseType", if provisional { "Provisional" } else { "Accept" });
            x.leaf_some("rm:ResponseReason", &o.conditions);
            x.close();
            self.resource(x, lists, &line.resource_type, "");
            x.open("AssignmentInformation");
            quantity(x, line.quantity);
            x.close();
            self.schedule(x, "EstimatedArrival", &eta, true);
            self.schedule(x, "EndAvailable", &valid_until, false);
            x.close();
        }
        Ok(())
    }

    fn requisition(&self, x: &mut Xml, kind: &str, a: &pb::AssistanceAcceptance) -> Result<()> {
        let mut offers: Vec<&str> = Vec::new();
        for c in &a.commitments {
            if !offers.contains(&c.offer_id.as_str()) {
                offers.push(&c.offer_id);
            }
        }
        // PrecedingMessageID occurs at most once: the offer when every commitment is of one
        // offer; otherwise each line names its offer in ResourceInfoElementID.
        let preceding = if offers.len() == 1 { offers[0] } else { "" };
        self.header(x, kind, &a.note, preceding);
        self.incident(x);
        self.contact(x, self.request.origin, "Requester");
        for o in &offers {
            if let Some(id) = origin_of(o) {
                self.contact(x, id, "Provider");
            }
        }
        for c in &a.commitments {
            x.open("ResourceInformation");
            x.leaf("ResourceInfoElementID", &format!("{}/{}", c.offer_id, c.resource_type));
            self.resource(x, self.lists, &c.resource_type, "");
            x.open("AssignmentInformation");
            quantity(x, c.quantity);
            x.close();
            x.close();
        }
        Ok(())
    }

    fn deployment(&self, x: &mut Xml, kind: &str, d: &pb::AssistanceDeployment) -> Result<()> {
        let lists = self.lists_for(d.code_list_version)?;
        let at = format_moment(self.step.created_unix_ms);
        let state = self.name(lists, list::DEPLOYMENT_STATES, &d.state);
        let text = if d.note.is_empty() {
            state
        } else {
            format!("{state}: {}", d.note)
        };
        self.header(x, kind, &text, &d.offer_id);
        self.incident(x);
        self.sender_and_requester(x);
        x.open("ResourceInformation");
        let element = if d.offer_id.is_empty() {
            d.resource_type.clone()
        } else {
            format!("{}/{}", d.offer_id, d.resource_type)
        };
        x.leaf("ResourceInfoElementID", &element);
        x.open("Resource");
        x.leaf("Name", &self.name(lists, list::RESOURCE_TYPES, &d.resource_type));
        value_list(
            x,
            "TypeStructure",
            &value_list_urn(lists.version, list::RESOURCE_TYPES),
            &d.resource_type,
        );
        x.open("ResourceStatus");
        value_list(
            x,
            "DeploymentStatus",
            &value_list_urn(lists.version, list::DEPLOYMENT_STATES),
            &d.state,
        );
        x.close();
        x.close();
        let schedule = match d.state.as_str() {
            "departed" => Some(("ActualDeparture", at.clone())),
            "on_scene" => Some(("ActualArrival", at.clone())),
            "extended" => Some(("EstimatedReturnDeparture", moment("until", &d.until)?)),
            "released" if kind == RELEASE_RESOURCE => Some(("RequestedReturnDeparture", at.clone())),
            "released" => Some(("ActualReturnDeparture", at.clone())),
            "returned" => Some(("ActualReturnArrival", at.clone())),
            _ => None,
        };
        if let Some((t, when)) = schedule {
            self.schedule(x, t, &when, t == "ActualArrival");
        }
        x.close();
        Ok(())
    }

    fn close(&self, x: &mut Xml, kind: &str, c: &pb::AssistanceClose) -> Result<()> {
        let at = format_moment(self.step.created_unix_ms);
        let mut text = if c.cancelled {
            "Cancelled".to_string()
        } else {
            "Closed".to_string()
        };
        if !c.note.is_empty() {
            text.push_str(&format!(": {}", c.note));
        }
        if let Some(e) = &c.evaluation {
            let v = if c.code_list_version == 0 {
                self.lists
            } else {
                self.lists_for(c.code_list_version)?
            };
            text.push_str(&format!(
                " Evaluation: cooperation {} ({})",
                e.cooperation,
                self.name(v, list::RATINGS, &e.cooperation)
            ));
            for l in &e.lessons {
                text.push_str(&format!("; {l}"));
            }
        }
        self.header(x, kind, &text, "");
        if c.cancelled {
            x.open("MessageRecall");
            x.leaf("rm:RecallMessageID", &self.request.id);
            x.leaf("rm:RecallType", "Cancel");
            x.close();
        }
        self.incident(x);
        self.contact(x, self.request.origin, "Requester");
        if c.cancelled {
            let needed_by = moment("needed_by", &self.req.needed_by)?;
            self.request_lines(x, &needed_by);
            return Ok(());
        }
        for line in &self.req.lines {
            x.open("ResourceInformation");
            x.leaf("ResourceInfoElementID", &line.resource_type);
            self.resource(x, self.lists, &line.resource_type, "");
            self.schedule(x, "RequestedReturnDeparture", &at, false);
            x.close();
        }
        Ok(())
    }

    /// The code lists a step names for its own codes.
    fn lists_for(&self, version: u32) -> Result<&CodeList> {
        self.codes.version("code_list_version", version)
    }
}

/// A `ValueListType` element: the list's URN and the code.
fn value_list(x: &mut Xml, name: &'static str, urn: &str, code: &str) {
    x.open(name);
    x.leaf("rm:ValueListURN", urn);
    x.leaf("rm:Value", code);
    x.close();
}

/// `Quantity/rm:MeasuredQuantity/rm:Amount`: units (no UnitOfMeasure: whole units).
fn quantity(x: &mut Xml, n: u32) {
    x.open("Quantity");
    x.open("rm:MeasuredQuantity");
    x.leaf("rm:Amount", &n.to_string());
    x.close();
    x.close();
}
