//! The rules of agreements, one broken rule per test.
use super::*;

cases! {
    agreement_id_required: agreement_outcome(a, e) { a.agreement_id.clear() } => "agreement_id: required";
    agreement_id_too_short: agreement_outcome(a, e) { a.agreement_id = s("ab") }
        => "agreement_id: must be 3 to 64 characters, not 2";
    agreement_id_too_long: agreement_outcome(a, e) { a.agreement_id = "a".repeat(65) }
        => "agreement_id: must be 3 to 64 characters, not 65";
    agreement_id_characters: agreement_outcome(a, e) { a.agreement_id = s("VR01 VR02") }
        => "agreement_id: character ' ' not allowed (letters, digits and '-' only)";
    agreement_version_at_least_one: agreement_outcome(a, e) { a.version = 0 } => "version: must be at least 1";
    agreement_code_list_version_required: agreement_outcome(a, e) { a.code_list_version = 0 }
        => "code_list_version: required";
    agreement_code_list_version_known: agreement_outcome(a, e) { a.code_list_version = 9 }
        => "code_list_version: version 9 is not known here (known: 1, 2, 3)";
    title_required: agreement_outcome(a, e) { a.title.clear() } => "title: required";
    title_at_most_200: agreement_outcome(a, e) { a.title = "x".repeat(201) }
        => "title: 201 characters exceeds the limit of 200";
    purpose_optional: agreement_outcome(a, e) { a.purpose.clear() } => "accepted";
    purpose_at_most_4000: agreement_outcome(a, e) { a.purpose = "x".repeat(4001) }
        => "purpose: 4001 characters exceeds the limit of 4000";
    at_least_two_parties: agreement_outcome(a, e) { a.parties.truncate(1) } => "parties: at least 2 required, got 1";
    party_region_required: agreement_outcome(a, e) { a.parties[1].region.clear() } => "parties[1].region: required";
    party_region_known: agreement_outcome(a, e) { a.parties[1].region = s("VR30") }
        => "parties[1].region: VR30 is not a member of this federation";
    party_is_never_the_national_node: agreement_outcome(a, e) { a.parties[1].region = s("NL") }
        => "parties[1].region: NL is a national member, not a region";
    party_region_canonical: agreement_outcome(a, e) { a.parties[1].region = s("vr02") }
        => "parties[1].region: 'vr02' must be written VR02";
    party_once: agreement_outcome(a, e) { a.parties[1] = party("VR01", "assisting") }
        => "parties[1].region: VR01 is listed twice";
    party_role_required: agreement_outcome(a, e) { a.parties[1].role.clear() } => "parties[1].role: required";
    party_role_from_list: agreement_outcome(a, e) { a.parties[1].role = s("helper") }
        => "parties[1].role: 'helper' is not in code list party_roles version 2";
    origin_is_a_party: agreement_outcome(a, e) {
        e.origin = "VR03";
        e.audience.push("VR03");
        a.author = s("operator:VR03:de-vries");
    } => "parties: VR03, the origin, is not a party";
    a_party_can_assist: agreement_outcome(a, e) {
        a.parties[0].role = s("requesting");
        a.parties[1].role = s("requesting");
    }
        => "parties: no party can assist (role assisting or both)";
    a_party_can_request: agreement_outcome(a, e) { a.parties[0].role = s("assisting") }
        => "parties: no party can request (role requesting or both)";
    audience_holds_every_party: agreement_outcome(a, e) { e.audience = vec!["NL", "VR01"] }
        => "audience: VR02, a party, is missing";
    three_parties: agreement_outcome(a, e) { a.parties.push(party("VR03", "requesting")); e.audience.push("VR03") }
        => "accepted";
    scope_required: agreement_outcome(a, e) { a.scope = None } => "scope: required";
    hazards_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards.clear() }
        => "scope.hazards: required";
    hazards_from_list: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards[1] = s("meteor") }
        => "scope.hazards[1]: 'meteor' is not in code list hazards version 2";
    hazards_once: agreement_outcome(a, e) { a.scope.as_mut().unwrap().hazards[1] = s("water_rescue") }
        => "scope.hazards[1]: water_rescue is listed twice";
    hazards_of_version_two_only: agreement_outcome(a, e) {
        a.code_list_version = 1;
        a.scope.as_mut().unwrap().hazards[1] = s("cyber_disruption");
    } => "scope.hazards[1]: 'cyber_disruption' is not in code list hazards version 1";
    resources_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources.clear() }
        => "scope.resources: required";
    resource_type_from_list: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[0].resource_type = s("XX") }
        => "scope.resources[0].resource_type: 'XX' is not in code list resource_types version 2";
    resource_type_once: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[1] = limit("WO", 5) }
        => "scope.resources[1].resource_type: WO is listed twice";
    max_quantity_at_least_one: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[0].max_quantity = 0 }
        => "scope.resources[0].max_quantity: 0 is outside the range 1 to 10000";
    max_quantity_at_most_10000: agreement_outcome(a, e) { a.scope.as_mut().unwrap().resources[1].max_quantity = 10_001 }
        => "scope.resources[1].max_quantity: 10001 is outside the range 1 to 10000";
    area_required: agreement_outcome(a, e) { a.scope.as_mut().unwrap().area.clear() } => "scope.area: required";
    area_at_most_1000: agreement_outcome(a, e) { a.scope.as_mut().unwrap().area = "x".repeat(1001) }
        => "scope.area: 1001 characters exceeds the limit of 1000";
    activation_required: agreement_outcome(a, e) { a.activation = None } => "activation: required";
    may_request_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().may_request.clear() }
        => "activation.may_request: required";
    may_request_from_crisis_functions: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().may_request[0] = s("brandweerman");
    }
        => "activation.may_request[0]: 'brandweerman' is not in code list crisis_functions version 2";
    may_request_once: agreement_outcome(a, e) { a.activation.as_mut().unwrap().may_request[1] = s("OL") }
        => "activation.may_request[1]: OL is listed twice";
    min_escalation_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().min_escalation.clear() }
        => "activation.min_escalation: required";
    min_escalation_grip_rijk_in_version_one: agreement_outcome(a, e) {
        a.code_list_version = 1;
        a.activation.as_mut().unwrap().min_escalation = s("GRIP_RIJK");
    } => "accepted";
    min_escalation_grip_rijk_not_in_version_two: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().min_escalation = s("GRIP_RIJK");
    } => "activation.min_escalation: 'GRIP_RIJK' is not in code list escalation_levels version 2";
    target_response_at_least_one_minute: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().target_response_minutes = 0;
    }
        => "activation.target_response_minutes: 0 is outside the range 1 to 1440";
    target_response_at_most_a_day: agreement_outcome(a, e) {
        a.activation.as_mut().unwrap().target_response_minutes = 1441;
    }
        => "activation.target_response_minutes: 1441 is outside the range 1 to 1440";
    procedure_required: agreement_outcome(a, e) { a.activation.as_mut().unwrap().procedure.clear() }
        => "activation.procedure: required";
    cost_reimbursement_required: agreement_outcome(a, e) { a.cost_reimbursement.clear() }
        => "cost_reimbursement: required";
    cost_reimbursement_at_most_4000: agreement_outcome(a, e) { a.cost_reimbursement = "x".repeat(4001) }
        => "cost_reimbursement: 4001 characters exceeds the limit of 4000";
    command_and_liability_required: agreement_outcome(a, e) { a.command_and_liability.clear() }
        => "command_and_liability: required";
    validity_required: agreement_outcome(a, e) { a.validity = None } => "validity: required";
    effective_from_required: agreement_outcome(a, e) { a.validity.as_mut().unwrap().effective_from.clear() }
        => "validity.effective_from: required";
    effective_from_a_date: agreement_outcome(a, e) { a.validity.as_mut().unwrap().effective_from = s("2027-02-30") }
        => "validity.effective_from: '2027-02-30' is not a date (expected YYYY-MM-DD)";
    valid_until_a_date: agreement_outcome(a, e) { a.validity.as_mut().unwrap().valid_until = s("31-12-2031") }
        => "validity.valid_until: '31-12-2031' is not a date (expected YYYY-MM-DD)";
    valid_until_after_effective_from: agreement_outcome(a, e) {
        a.validity.as_mut().unwrap().valid_until = s("2027-01-01");
    }
        => "validity.valid_until: 2027-01-01 is not after effective_from 2027-01-01";
    notice_days_at_most_730: agreement_outcome(a, e) { a.validity.as_mut().unwrap().notice_days = 731 }
        => "validity.notice_days: 731 exceeds the limit of 730";
    notice_days_may_be_zero: agreement_outcome(a, e) { a.validity.as_mut().unwrap().notice_days = 0 } => "accepted";
}
