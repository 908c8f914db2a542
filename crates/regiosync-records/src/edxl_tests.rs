//! Tests of the EDXL-RM export (`edxl`): every step's document is parsed back (by the small,
//! strict reader in `edxl_reader`: no XML crate is in the offline registry) and its fields
//! checked.
use regiosync_types::pb::Status;
use regiosync_types::{Federation, NodeId};

use crate::codes::CodeLists;
use crate::edxl::{self, message, message_type};
use crate::edxl_reader::{parse, El};
use crate::pb;
use crate::record::{Payload, Record};
use crate::time::parse_moment;

// ---- the records ----------------------------------------------------------------------------

const NEEDED_BY: &str = "2026-12-01T14:30:00Z";

fn rec(id: &str, created: &str, status: Status, payload: Payload) -> Record {
    let (origin, seq) = id.rsplit_once('-').unwrap();
    Record {
        id: id.into(),
        origin: origin.parse::<NodeId>().unwrap(),
        seq: seq.parse().unwrap(),
        created_unix_ms: parse_moment("t", created).unwrap(),
        status,
        payload,
    }
}

fn request_with(description: &str, remarks: &str) -> Record {
    let r = pb::AssistanceRequest {
        code_list_version: 3,
        incident: Some(pb::AssistanceIncident {
            reference: "VR17-2026-1123".into(),
            description: description.into(),
            escalation: "GRIP3".into(),
            hazard: "fire_industrial".into(),
        }),
        location: Some(pb::AssistanceLocation {
            municipality: "Moerdijk".into(),
            description: "Industrieterrein Moerdijk, Middenweg".into(),
            latitude: Some(51.68),
            longitude: Some(4.6),
        }),
        needed_by: NEEDED_BY.into(),
        lines: vec![
            pb::RequestLine {
                resource_type: "TS".into(),
                quantity: 4,
                minimum: 2,
                remarks: remarks.into(),
            },
            pb::RequestLine {
                resource_type: "HV".into(),
                quantity: 1,
                minimum: 0,
                remarks: String::new(),
            },
        ],
        addressing: None,
        addressed: vec!["VR15".into(), "VR16".into()],
        author: "j.jansen".into(),
    };
    rec(
        "VR17-42",
        "2026-12-01T12:00:00Z",
        Status::Actual,
        Payload::AssistanceRequest(r),
    )
}

fn request() -> Record {
    request_with("Brand in een opslag van gevaarlijke stoffen", "met ademlucht")
}

fn offer(id: &str, quantity: u32, conditions: &str) -> Record {
    let o = pb::AssistanceOffer {
        request_id: "VR17-42".into(),
        code_list_version: 3,
        lines: vec![pb::OfferLine {
            resource_type: "TS".into(),
            quantity,
            reported_available: Some(6),
            exceeds_available: false,
        }],
        eta: "2026-12-01T13:45:00Z".into(),
        conditions: conditions.into(),
        valid_until: "2026-12-01T18:00:00Z".into(),
        decline_reason: String::new(),
        note: String::new(),
        agreement_id: String::new(),
        author: "p.pietersen".into(),
    };
    rec(id, "2026-12-01T12:10:00Z", Status::Actual, Payload::AssistanceOffer(o))
}

fn deployment(id: &str, offer_id: &str, state: &str, until: &str) -> Record {
    let d = pb::AssistanceDeployment {
        request_id: "VR17-42".into(),
        offer_id: offer_id.into(),
        resource_type: "TS".into(),
        state: state.into(),
        until: until.into(),
        note: String::new(),
        author: "k.klaassen".into(),
        code_list_version: 3,
    };
    rec(
        id,
        "2026-12-01T13:00:00Z",
        Status::Actual,
        Payload::AssistanceDeployment(d),
    )
}

fn close(cancelled: bool, status: Status) -> Record {
    let c = pb::AssistanceClose {
        request_id: "VR17-42".into(),
        cancelled,
        note: "Brand meester".into(),
        evaluation: (!cancelled).then(|| pb::AssistanceEvaluation {
            cooperation: "P".into(),
            lessons: vec!["Eerder aflossen".into()],
        }),
        author: "j.jansen".into(),
        code_list_version: 3,
    };
    rec("VR17-50", "2026-12-02T06:00:00Z", status, Payload::AssistanceClose(c))
}

fn export(step: &Record, request: &Record) -> El {
    let doc = message(step, request, &Federation::shipped(), CodeLists::shipped()).unwrap();
    let root = parse(&doc);
    assert_eq!(Some(root.name.as_str()), message_type(step));
    assert_eq!(root.attr("xmlns"), Some(edxl::MSG_NS));
    assert_eq!(root.attr("xmlns:rm"), Some(edxl::RM_NS));
    assert_eq!(root.one("MessageContentType"), root.name);
    root
}

// ---- one test per step ----------------------------------------------------------------------

#[test]
fn a_request_is_a_request_resource_with_its_lines() {
    let req = request();
    let m = export(&req, &req);
    assert_eq!(m.name, "RequestResource");
    assert_eq!(m.one("MessageID"), "VR17-42");
    assert_eq!(m.one("SentDateTime"), "2026-12-01T12:00:00Z");
    assert!(
        m.texts("OriginatingMessageID").is_empty(),
        "the first message originates itself"
    );
    assert!(m.texts("PrecedingMessageID").is_empty());
    assert!(m.one("MessageDescription").starts_with("[Actual] "));
    assert_eq!(m.one("IncidentInformation/rm:IncidentID"), "VR17-2026-1123");
    assert!(m.one("IncidentInformation/rm:IncidentDescription").contains("GRIP3"));
    assert_eq!(
        m.texts("ContactInformation/rm:ContactDescription"),
        [
            "Rotterdam-Rijnmond (VR17)",
            "Haaglanden (VR15)",
            "Hollands Midden (VR16)"
        ]
    );
    assert_eq!(
        m.texts("ContactInformation/rm:ContactRole"),
        ["Requester", "Addressee", "Addressee"]
    );
    assert_eq!(m.texts("ResourceInformation/ResourceInfoElementID"), ["TS", "HV"]);
    assert_eq!(
        m.texts("ResourceInformation/Resource/TypeStructure/rm:Value"),
        ["TS", "HV"]
    );
    assert_eq!(
        m.texts("ResourceInformation/Resource/TypeStructure/rm:ValueListURN"),
        ["urn:regiosync:codelist:3:resource_types"; 2]
    );
    assert_eq!(
        m.texts("ResourceInformation/Resource/Name"),
        ["Tankautospuit", "Hulpverleningsvoertuig"]
    );
    assert_eq!(
        m.texts("ResourceInformation/AssignmentInformation/Quantity/rm:MeasuredQuantity/rm:Amount"),
        ["4", "1"]
    );
    assert_eq!(
        m.texts("ResourceInformation/AssignmentInformation/Restrictions"),
        ["minimum 2 units"]
    );
    assert_eq!(
        m.texts("ResourceInformation/ScheduleInformation/ScheduleType"),
        ["RequestedArrival"; 2]
    );
    assert_eq!(
        m.texts("ResourceInformation/ScheduleInformation/DateTime"),
        [NEEDED_BY; 2]
    );
    let place = m.texts("ResourceInformation/ScheduleInformation/Location/rm:LocationDescription");
    assert!(
        place[0].starts_with("Moerdijk, Industrieterrein") && place[0].contains("51.68"),
        "{place:?}"
    );
}

#[test]
fn a_routing_is_a_request_resource_from_the_national_node_to_the_members_routed_to() {
    let req = request();
    let Payload::AssistanceRequest(copy) = &req.payload else {
        unreachable!()
    };
    let g = pb::AssistanceRouting {
        request_id: "VR17-42".into(),
        members: vec!["VR19".into(), "VR20".into()],
        note: "GPT's vrij bij VR19 en VR20".into(),
        request: Some(copy.clone()),
        requested_unix_ms: req.created_unix_ms,
        author: "coordinator:locc".into(),
    };
    let step = rec(
        "NL-9",
        "2026-12-01T12:10:00Z",
        Status::Actual,
        Payload::AssistanceRouting(g),
    );
    let m = export(&step, &req);
    assert_eq!(m.name, "RequestResource");
    assert_eq!(m.one("MessageID"), "NL-9");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    assert_eq!(m.one("PrecedingMessageID"), "VR17-42");
    assert_eq!(
        m.one("MessageDescription"),
        "[Actual] Routed by the national level: GPT's vrij bij VR19 en VR20"
    );
    assert_eq!(
        m.texts("ContactInformation/rm:ContactRole"),
        ["Sender", "Requester", "Addressee", "Addressee"]
    );
    let contacts = m.texts("ContactInformation/rm:ContactDescription");
    assert!(
        contacts[0].ends_with("(NL)") && contacts[1].ends_with("(VR17)"),
        "{contacts:?}"
    );
    assert!(
        contacts[2].ends_with("(VR19)") && contacts[3].ends_with("(VR20)"),
        "{contacts:?}"
    );
    assert_eq!(m.texts("ResourceInformation/ResourceInfoElementID"), ["TS", "HV"]);
}

#[test]
fn an_offer_is_a_response_accepting_or_provisional() {
    let req = request();
    let whole = export(&offer("VR15-7", 4, ""), &req);
    assert_eq!(whole.name, "ResponseToRequestResource");
    assert_eq!(whole.one("MessageID"), "VR15-7");
    assert_eq!(whole.one("OriginatingMessageID"), "VR17-42");
    assert_eq!(whole.one("PrecedingMessageID"), "VR17-42");
    let info = "ResourceInformation/ResponseInformation";
    assert_eq!(whole.one(&format!("{info}/rm:ResponseType")), "Accept");
    assert_eq!(whole.one(&format!("{info}/rm:PrecedingResourceInfoElementID")), "TS");
    assert_eq!(
        whole.one("ResourceInformation/AssignmentInformation/Quantity/rm:MeasuredQuantity/rm:Amount"),
        "4"
    );
    assert_eq!(
        whole.texts("ResourceInformation/ScheduleInformation/ScheduleType"),
        ["EstimatedArrival", "EndAvailable"]
    );
    assert_eq!(
        whole.texts("ResourceInformation/ScheduleInformation/DateTime"),
        ["2026-12-01T13:45:00Z", "2026-12-01T18:00:00Z"]
    );
    assert_eq!(
        whole.texts("ContactInformation/rm:ContactDescription"),
        ["Haaglanden (VR15)", "Rotterdam-Rijnmond (VR17)"]
    );
    assert_eq!(
        whole.texts("ContactInformation/rm:ContactRole"),
        ["Sender", "Requester"]
    );

    // Part of the line, under conditions: provisional, the conditions as the reason.
    let part = export(&offer("VR16-3", 2, "aflossing na 8 uur"), &req);
    assert_eq!(part.one(&format!("{info}/rm:ResponseType")), "Provisional");
    assert_eq!(part.one(&format!("{info}/rm:ResponseReason")), "aflossing na 8 uur");
    assert_eq!(
        part.one("ResourceInformation/AssignmentInformation/Quantity/rm:MeasuredQuantity/rm:Amount"),
        "2"
    );
}

#[test]
fn a_decline_is_a_response_declining_every_line_with_the_reason() {
    let req = request();
    let mut d = offer("VR16-4", 1, "");
    let Payload::AssistanceOffer(o) = &mut d.payload else {
        unreachable!()
    };
    o.lines.clear();
    o.eta.clear();
    o.valid_until.clear();
    o.decline_reason = "no_capacity".into();
    o.note = "alles ingezet".into();
    let m = export(&d, &req);
    assert_eq!(m.name, "ResponseToRequestResource");
    assert_eq!(m.one("MessageID"), "VR16-4");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    assert_eq!(m.one("PrecedingMessageID"), "VR17-42");
    let info = "ResourceInformation/ResponseInformation";
    assert_eq!(m.texts(&format!("{info}/rm:ResponseType")), ["Decline"; 2]);
    assert_eq!(
        m.texts(&format!("{info}/rm:PrecedingResourceInfoElementID")),
        ["TS", "HV"]
    );
    assert_eq!(m.texts(&format!("{info}/rm:ReasonCode/rm:Value")), ["no_capacity"; 2]);
    assert_eq!(
        m.texts(&format!("{info}/rm:ReasonCode/rm:ValueListURN")),
        ["urn:regiosync:codelist:3:decline_reasons"; 2]
    );
    assert_eq!(
        m.texts(&format!("{info}/rm:ResponseReason")),
        ["Geen eenheden beschikbaar: alles ingezet"; 2]
    );
    assert!(
        m.all("ResourceInformation/AssignmentInformation").is_empty(),
        "nothing offered"
    );
}

#[test]
fn an_acceptance_is_a_requisition_of_the_committed_offers() {
    let req = request();
    let a = pb::AssistanceAcceptance {
        request_id: "VR17-42".into(),
        commitments: vec![
            pb::Commitment {
                offer_id: "VR15-7".into(),
                resource_type: "TS".into(),
                quantity: 2,
            },
            pb::Commitment {
                offer_id: "VR16-3".into(),
                resource_type: "TS".into(),
                quantity: 1,
            },
        ],
        note: String::new(),
        author: "j.jansen".into(),
    };
    let step = rec(
        "VR17-44",
        "2026-12-01T12:20:00Z",
        Status::Actual,
        Payload::AssistanceAcceptance(a),
    );
    let m = export(&step, &req);
    assert_eq!(m.name, "RequisitionResource");
    assert_eq!(m.one("MessageID"), "VR17-44");
    assert_eq!(m.one("SentDateTime"), "2026-12-01T12:20:00Z");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    // Two offers: PrecedingMessageID occurs at most once, so each line names its offer.
    assert!(m.texts("PrecedingMessageID").is_empty());
    assert_eq!(
        m.texts("ResourceInformation/ResourceInfoElementID"),
        ["VR15-7/TS", "VR16-3/TS"]
    );
    assert_eq!(
        m.texts("ResourceInformation/Resource/TypeStructure/rm:Value"),
        ["TS"; 2]
    );
    assert_eq!(
        m.texts("ResourceInformation/AssignmentInformation/Quantity/rm:MeasuredQuantity/rm:Amount"),
        ["2", "1"]
    );
    assert_eq!(
        m.texts("ContactInformation/rm:ContactRole"),
        ["Requester", "Provider", "Provider"]
    );
    assert_eq!(
        m.texts("ContactInformation/rm:ContactDescription")[2],
        "Hollands Midden (VR16)"
    );

    // One offer: it is the preceding message.
    let mut one = step.clone();
    let Payload::AssistanceAcceptance(a) = &mut one.payload else {
        unreachable!()
    };
    a.commitments.truncate(1);
    let m = export(&one, &req);
    assert_eq!(m.one("PrecedingMessageID"), "VR15-7");
    assert_eq!(m.texts("ContactInformation/rm:ContactRole"), ["Requester", "Provider"]);
}

#[test]
fn deployment_states_are_status_reports_with_the_actual_moment() {
    let req = request();
    for (state, schedule) in [
        ("departed", "ActualDeparture"),
        ("on_scene", "ActualArrival"),
        ("returned", "ActualReturnArrival"),
        ("released", "ActualReturnDeparture"),
    ] {
        let m = export(&deployment("VR15-9", "VR15-7", state, ""), &req);
        assert_eq!(m.name, "ReportResourceDeploymentStatus", "{state}");
        assert_eq!(m.one("MessageID"), "VR15-9");
        assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
        assert_eq!(m.one("PrecedingMessageID"), "VR15-7");
        assert_eq!(m.one("ResourceInformation/ResourceInfoElementID"), "VR15-7/TS");
        assert_eq!(m.one("ResourceInformation/Resource/TypeStructure/rm:Value"), "TS");
        let status = "ResourceInformation/Resource/ResourceStatus/DeploymentStatus";
        assert_eq!(m.one(&format!("{status}/rm:Value")), state);
        assert_eq!(
            m.one(&format!("{status}/rm:ValueListURN")),
            "urn:regiosync:codelist:3:deployment_states"
        );
        assert_eq!(m.one("ResourceInformation/ScheduleInformation/ScheduleType"), schedule);
        assert_eq!(
            m.one("ResourceInformation/ScheduleInformation/DateTime"),
            "2026-12-01T13:00:00Z"
        );
    }
}

#[test]
fn an_extension_is_a_status_report_with_the_new_end() {
    let req = request();
    let m = export(
        &deployment("VR15-10", "VR15-7", "extended", "2026-12-02T08:00:00Z"),
        &req,
    );
    assert_eq!(m.name, "ReportResourceDeploymentStatus");
    assert_eq!(m.one("PrecedingMessageID"), "VR15-7");
    assert_eq!(
        m.one("ResourceInformation/Resource/ResourceStatus/DeploymentStatus/rm:Value"),
        "extended"
    );
    assert_eq!(
        m.one("ResourceInformation/ScheduleInformation/ScheduleType"),
        "EstimatedReturnDeparture"
    );
    assert_eq!(
        m.one("ResourceInformation/ScheduleInformation/DateTime"),
        "2026-12-02T08:00:00Z"
    );
}

#[test]
fn a_release_by_the_requester_is_a_release_resource() {
    let req = request();
    let m = export(&deployment("VR17-48", "VR15-7", "released", ""), &req);
    assert_eq!(m.name, "ReleaseResource");
    assert_eq!(m.one("MessageID"), "VR17-48");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    assert_eq!(m.one("PrecedingMessageID"), "VR15-7");
    assert_eq!(
        m.one("ResourceInformation/ScheduleInformation/ScheduleType"),
        "RequestedReturnDeparture"
    );
    assert_eq!(m.texts("ContactInformation/rm:ContactRole"), ["Requester"]);
    // The whole line (no offer named): no PrecedingMessageID, the line's type as the element.
    let all = export(&deployment("VR17-49", "", "released", ""), &req);
    assert_eq!(all.name, "ReleaseResource");
    assert!(all.texts("PrecedingMessageID").is_empty());
    assert_eq!(all.one("ResourceInformation/ResourceInfoElementID"), "TS");
}

#[test]
fn a_close_releases_every_line_and_carries_the_evaluation() {
    let req = request();
    let m = export(&close(false, Status::Actual), &req);
    assert_eq!(m.name, "ReleaseResource");
    assert_eq!(m.one("MessageID"), "VR17-50");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    assert!(m.all("MessageRecall").is_empty());
    let d = m.one("MessageDescription");
    assert!(d.starts_with("[Actual] Closed: Brand meester"), "{d}");
    assert!(d.contains("cooperation P (") && d.contains("Eerder aflossen"), "{d}");
    assert_eq!(
        m.texts("ResourceInformation/Resource/TypeStructure/rm:Value"),
        ["TS", "HV"]
    );
    assert_eq!(
        m.texts("ResourceInformation/ScheduleInformation/DateTime"),
        ["2026-12-02T06:00:00Z"; 2]
    );
}

#[test]
fn a_cancel_recalls_the_request_and_shows_its_status() {
    let mut req = request();
    req.status = Status::Exercise;
    let m = export(&close(true, Status::Exercise), &req);
    assert_eq!(m.name, "RequestResource");
    assert_eq!(m.one("MessageID"), "VR17-50");
    assert_eq!(m.one("OriginatingMessageID"), "VR17-42");
    assert_eq!(m.one("MessageRecall/rm:RecallMessageID"), "VR17-42");
    assert_eq!(m.one("MessageRecall/rm:RecallType"), "Cancel");
    assert!(m.one("MessageDescription").starts_with("[Exercise] Cancelled"));
    assert_eq!(
        m.texts("ResourceInformation/AssignmentInformation/Quantity/rm:MeasuredQuantity/rm:Amount"),
        ["4", "1"]
    );
    let test = export(&close(true, Status::Test), &req);
    assert!(test.one("MessageDescription").starts_with("[Test] "));
}

// ---- text, and what is not exported ---------------------------------------------------------

#[test]
fn text_with_markup_characters_round_trips() {
    let tricky = "a < b && c > \"d\" 'e' </Resource> ]]> &amp;\r\n\tend";
    let req = request_with(tricky, tricky);
    let doc = message(&req, &req, &Federation::shipped(), CodeLists::shipped()).unwrap();
    assert!(!doc.contains("</Resource> ]]>"), "raw markup leaked into the document");
    let m = parse(&doc);
    assert!(m.one("IncidentInformation/rm:IncidentDescription").starts_with(tricky));
    assert_eq!(m.texts("ResourceInformation/Resource/Description"), [tricky]);

    // Characters XML 1.0 cannot carry are replaced, not passed on.
    let bad = request_with("bel\u{7} en \u{0}nul", "x");
    let doc = message(&bad, &bad, &Federation::shipped(), CodeLists::shipped()).unwrap();
    let m = parse(&doc);
    assert!(m
        .one("IncidentInformation/rm:IncidentDescription")
        .starts_with("bel\u{FFFD} en \u{FFFD}nul"));
    assert_eq!(edxl::escape("\"'<>&"), "&quot;&apos;&lt;&gt;&amp;");
}

#[test]
fn a_record_that_is_not_an_assistance_step_is_an_error() {
    let req = request();
    let members = Federation::shipped();
    let codes = CodeLists::shipped();
    let capacity = rec(
        "VR15-3",
        "2026-12-01T12:00:00Z",
        Status::Actual,
        Payload::Capacity(pb::CapacityReport::default()),
    );
    assert_eq!(message_type(&capacity), None);
    let e = message(&capacity, &req, &members, codes).unwrap_err();
    assert!(
        e.to_string().starts_with("kind: VR15-3 is not an assistance record"),
        "{e}"
    );

    // A step of another request, and a "request" that is not one.
    let mut other = offer("VR15-7", 2, "");
    let Payload::AssistanceOffer(o) = &mut other.payload else {
        unreachable!()
    };
    o.request_id = "VR17-41".into();
    let e = message(&other, &req, &members, codes).unwrap_err();
    assert!(e.to_string().starts_with("request_id: 'VR17-41' does not name"), "{e}");
    let offer = offer("VR15-7", 2, "");
    let e = message(&offer, &offer, &members, codes).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("request: VR15-7 is not an assistance request"),
        "{e}"
    );
}
