//! The rules of the assistance records that a record shows alone.
use super::*;

cases! {
    valid_request: request_outcome(r, e) {} => "accepted";
    valid_offer: offer_outcome(o, e) {} => "accepted";
    valid_decline: decline_outcome(o, e) {} => "accepted";
    valid_acceptance: acceptance_outcome(a, e) {} => "accepted";
    valid_deployment: deployment_outcome(d, e) {} => "accepted";
    valid_close: close_outcome(c, e) {} => "accepted";
    valid_routing: routing_outcome(g, e) {} => "accepted";

    // The request.
    request_needs_code_lists_with_the_assistance_lists: request_outcome(r, e) { r.code_list_version = 2 }
        => "code_list_version: 2 has no assistance lists; name version 3 or later";
    request_incident_required: request_outcome(r, e) { r.incident = None } => "incident: required";
    request_escalation_from_the_list: request_outcome(r, e) { r.incident.as_mut().unwrap().escalation = s("GRIP9") }
        => "incident.escalation: 'GRIP9' is not in code list escalation_levels version 3";
    request_location_needs_words: request_outcome(r, e) {
        let l = r.location.as_mut().unwrap();
        l.municipality.clear();
        l.description = s(" ");
    } => "location: a municipality or a description is required";
    request_coordinates_both_or_neither: request_outcome(r, e) { r.location.as_mut().unwrap().longitude = None }
        => "location.longitude: required with latitude";
    request_latitude_in_range: request_outcome(r, e) { r.location.as_mut().unwrap().latitude = Some(91.0) }
        => "location.latitude: 91 is outside -90 to 90";
    request_needed_by_required: request_outcome(r, e) { r.needed_by.clear() } => "needed_by: required";
    request_needed_by_not_long_before: request_outcome(r, e) { r.needed_by = s("2026-11-29T08:59:59Z") }
        => "needed_by: 2026-11-29T08:59:59Z is more than an hour before the request was made (2026-11-29T10:00:00Z)";
    request_needed_by_within_30_days: request_outcome(r, e) { r.needed_by = s("2026-12-29T10:00:01Z") }
        => "needed_by: 2026-12-29T10:00:01Z is more than 30 days after the request was made";
    request_lines_required: request_outcome(r, e) { r.lines.clear() } => "lines: required";
    request_line_type_once: request_outcome(r, e) { r.lines[1] = request_line("TS", 1, 0) }
        => "lines[1].resource_type: TS is listed twice";
    request_quantity_at_least_one: request_outcome(r, e) { r.lines[0].quantity = 0 }
        => "lines[0].quantity: 0 is outside the range 1 to 1000";
    request_quantity_at_most_1000: request_outcome(r, e) { r.lines[0] = request_line("TS", 1001, 0) }
        => "lines[0].quantity: 1001 is outside the range 1 to 1000";
    request_minimum_at_most_the_quantity: request_outcome(r, e) { r.lines[0].minimum = 5 }
        => "lines[0].minimum: 5 exceeds the quantity 4";
    request_addressed_required: request_outcome(r, e) { r.addressed.clear() }
        => "addressed: required (at least one member), unless addressing.national asks the national level";
    request_to_the_national_level_only: request_outcome(r, e) {
        r.addressed.clear();
        r.addressing.as_mut().unwrap().national = true;
    } => "accepted";
    request_does_not_ask_itself: request_outcome(r, e) { r.addressed[1] = s("VR01") }
        => "addressed[1]: VR01 is the requester; a region does not ask itself";
    request_does_not_address_a_national_node: request_outcome(r, e) { r.addressed[1] = s("NL") }
        => "addressed[1]: NL is a national node: national nodes receive every request; ask them to route it with addressing.national";
    request_addressed_in_the_audience: request_outcome(r, e) { e.audience = vec!["NL", "VR01", "VR02"] }
        => "audience: VR03, an addressed member, is missing";
    request_addressed_once: request_outcome(r, e) { r.addressed[1] = s("VR02") }
        => "addressed[1]: VR02 is listed twice";
    request_addressing_agreements_are_ids: request_outcome(r, e) {
        r.addressing.as_mut().unwrap().agreements = vec![s("a b")];
    } => "addressing.agreements[0].agreement_id: character ' ' not allowed (letters, digits and '-' only)";
    request_only_by_a_region: request_outcome(r, e) { e.origin = "NL" }
        => "origin: NL is a national member, which may not publish assistance_request";

    // Offers and declines.
    offer_request_id_is_a_record_id: offer_outcome(o, e) { o.request_id = s("brand-delfzijl") }
        => "request_id: 'brand-delfzijl' is not a record id (<member>-<seq>)";
    offer_not_to_itself: offer_outcome(o, e) { o.request_id = s("VR01-9") }
        => "request_id: VR01-9 is VR01's own request; a member does not answer itself";
    offer_to_the_requester: offer_outcome(o, e) { e.audience = vec!["NL", "VR01"] }
        => "audience: VR02, the requester, is missing";
    offer_lines_or_a_decline: offer_outcome(o, e) { o.lines.clear() }
        => "lines: required (at least one), or a decline_reason";
    offer_quantity_in_range: offer_outcome(o, e) { o.lines[0] = offer_line("TS", 0, Some(5)) }
        => "lines[0].quantity: 0 is outside the range 1 to 1000";
    offer_over_available_is_flagged: offer_outcome(o, e) { o.lines[0] = offer_line("TS", 6, Some(5)) } => "accepted";
    offer_over_available_must_be_flagged: offer_outcome(o, e) {
        o.lines[0] = offer_line("TS", 6, Some(5));
        o.lines[0].exceeds_available = false;
    } => "lines[0].exceeds_available: false with quantity 6 and 5 available";
    offer_without_a_report_is_flagged: offer_outcome(o, e) {
        o.lines[0].reported_available = None;
    } => "lines[0].exceeds_available: false with quantity 2 and no report";
    offer_eta_required: offer_outcome(o, e) { o.eta.clear() } => "eta: required";
    offer_valid_until_after_it_was_made: offer_outcome(o, e) { o.valid_until = s("2026-11-29T10:00:00Z") }
        => "valid_until: 2026-11-29T10:00:00Z is not after the offer was made (2026-11-29T10:00:00Z)";
    offer_valid_at_most_7_days: offer_outcome(o, e) { o.valid_until = s("2026-12-06T10:00:01Z") }
        => "valid_until: 2026-12-06T10:00:01Z is more than 7 days after the offer was made";
    decline_reason_from_the_list: decline_outcome(o, e) { o.decline_reason = s("busy") }
        => "decline_reason: 'busy' is not in code list decline_reasons version 3";
    decline_offers_nothing: decline_outcome(o, e) { o.lines = vec![offer_line("TS", 1, Some(1))] }
        => "lines: a decline offers nothing: leave lines empty or drop decline_reason";

    // Acceptances.
    acceptance_only_by_the_requester: acceptance_outcome(a, e) { a.request_id = s("VR02-7") }
        => "request_id: VR02-7 is VR02's request, not VR01's; only the requester accepts offers";
    acceptance_commitments_required: acceptance_outcome(a, e) { a.commitments.clear() } => "commitments: required";
    acceptance_quantity_in_range: acceptance_outcome(a, e) { a.commitments[0].quantity = 1001 }
        => "commitments[0].quantity: 1001 is outside the range 1 to 1000";
    acceptance_commitment_once: acceptance_outcome(a, e) { a.commitments.push(commitment("VR02-3", "TS", 1)) }
        => "commitments[1]: TS of VR02-3 is committed twice";
    acceptance_reaches_the_offerer: acceptance_outcome(a, e) { a.commitments[0].offer_id = s("VR04-2") }
        => "audience: VR04, whose offer is committed, is missing";

    // Deployment reports.
    deployment_only_of_own_units: deployment_outcome(d, e) { d.offer_id = s("VR03-3") }
        => "offer_id: VR03-3 is VR03's offer; VR01 reports only its own units";
    deployment_state_from_the_list: deployment_outcome(d, e) { d.state = s("lost") }
        => "state: 'lost' is not in code list deployment_states version 3";
    deployment_extension_has_an_end: deployment_outcome(d, e) { d.state = s("extended") } => "until: required";
    deployment_end_only_for_an_extension: deployment_outcome(d, e) { d.until = s("2026-11-30T10:00:00Z") }
        => "until: only an extension has a new end time";
    deployment_the_requester_only_releases: deployment_outcome(d, e) { d.request_id = s("VR01-1") }
        => "state: 'on_scene': the requester only releases units (released)";
    deployment_the_requester_releases_a_line: deployment_outcome(d, e) {
        d.request_id = s("VR01-1");
        d.offer_id.clear();
        d.state = s("released");
    } => "accepted";

    // Close and cancel.
    close_only_by_the_requester: close_outcome(c, e) { c.request_id = s("VR02-7") }
        => "request_id: VR02-7 is VR02's request, not VR01's; only the requester closes or cancels a request";
    close_cooperation_from_the_ratings: close_outcome(c, e) { c.evaluation.as_mut().unwrap().cooperation = s("goed") }
        => "evaluation.cooperation: 'goed' is not in code list ratings version 3";
    cancel_has_no_evaluation: close_outcome(c, e) { c.cancelled = true }
        => "evaluation: a cancelled request has no evaluation of the assistance";

    // Routing by the national level.
    routing_of_a_region_request: routing_outcome(g, e) { g.request_id = s("NL-7") }
        => "request_id: NL-7 is not a request of a region";
    routing_carries_the_request: routing_outcome(g, e) { g.request = None } => "request: required";
    routing_only_when_the_national_level_was_asked: routing_outcome(g, e) {
        g.request.as_mut().unwrap().addressing.as_mut().unwrap().national = false;
    } => "request.addressing.national: VR02-7 did not ask the national level to route it";
    routing_names_when_the_request_was_made: routing_outcome(g, e) { g.requested_unix_ms = 0 }
        => "requested_unix_ms: required";
    routing_names_members: routing_outcome(g, e) { g.members.clear() } => "members: required";
    routing_not_to_the_requester: routing_outcome(g, e) { g.members = strings(&["VR02"]) }
        => "members[0]: VR02 is the requester";
    routing_not_to_a_member_asked_already: routing_outcome(g, e) { g.members = strings(&["VR04", "VR03"]) }
        => "members[1]: VR03 was asked by the request itself";
    routing_not_to_a_national_node: routing_outcome(g, e) { g.members = strings(&["NL"]) }
        => "members[0]: NL is a national node; route to regions or partners";
    routing_each_member_once: routing_outcome(g, e) { g.members = strings(&["VR04", "VR04"]) }
        => "members[1]: VR04 is listed twice";
    routing_to_members_in_the_audience: routing_outcome(g, e) { e.audience = vec!["NL", "VR02", "VR03"] }
        => "audience: VR04, a member routed to, is missing";
    routing_reaches_the_requester: routing_outcome(g, e) { e.audience = vec!["NL", "VR03", "VR04"] }
        => "audience: VR02, the requester, is missing";
    routing_by_a_coordinator: routing_outcome(g, e) { g.author = s("operator:NL:x") }
        => "author: 'operator:NL:x' is not of the form coordinator:<name>";
}
