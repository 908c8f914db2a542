//! The rules of evaluation summaries.
use super::*;

cases! {
    evaluation_region_is_the_origin: evaluation_outcome(v, e) { v.region = s("VR02") }
        => "region: VR02 is not the origin VR01; a region files only its own evaluations";
    evaluation_code_list_version_required: evaluation_outcome(v, e) { v.code_list_version = 0 }
        => "code_list_version: required";
    event_required: evaluation_outcome(v, e) { v.event = None } => "event: required";
    event_name_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().name.clear() } => "event.name: required";
    event_name_at_most_200: evaluation_outcome(v, e) { v.event.as_mut().unwrap().name = "x".repeat(201) }
        => "event.name: 201 characters exceeds the limit of 200";
    event_kind_from_list: evaluation_outcome(v, e) { v.event.as_mut().unwrap().kind = s("drill") }
        => "event.kind: 'drill' is not in code list event_kinds version 2";
    event_date_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().date.clear() } => "event.date: required";
    event_date_on_the_day_of_creation: evaluation_outcome(v, e) {
        v.event.as_mut().unwrap().date = s("2026-11-29");
        v.actions.clear();
        v.reported_to_board.clear();
    } => "accepted";
    event_date_not_after_creation: evaluation_outcome(v, e) { v.event.as_mut().unwrap().date = s("2026-11-30") }
        => "event.date: 2026-11-30 is after the day the record was created (2026-11-29)";
    event_date_is_a_dutch_date: evaluation_outcome(v, e) {
        // 23:30 UTC on 29 November is 00:30 on 30 November in the Netherlands.
        e.created_ms = ms("2026-11-29T23:30:00Z");
        v.event.as_mut().unwrap().date = s("2026-11-30");
        v.actions.clear();
        v.reported_to_board.clear();
    } => "accepted";
    event_hazard_from_list: evaluation_outcome(v, e) { v.event.as_mut().unwrap().hazard = s("fire") }
        => "event.hazard: 'fire' is not in code list hazards version 2";
    event_escalation_required: evaluation_outcome(v, e) { v.event.as_mut().unwrap().highest_escalation.clear() }
        => "event.highest_escalation: required";
    grip_rijk_was_valid_in_version_one: evaluation_outcome(v, e) {
        v.code_list_version = 1;
        v.event.as_mut().unwrap().highest_escalation = s("GRIP_RIJK");
    } => "accepted";
    grip_rijk_is_invalid_in_version_two: evaluation_outcome(v, e) {
        v.event.as_mut().unwrap().highest_escalation = s("GRIP_RIJK");
    } => "event.highest_escalation: 'GRIP_RIJK' is not in code list escalation_levels version 2";
    coordination_levels_are_new_in_version_two: evaluation_outcome(v, e) {
        v.code_list_version = 1;
        v.event.as_mut().unwrap().highest_escalation = s("BOVENREGIONAAL");
    } => "event.highest_escalation: 'BOVENREGIONAAL' is not in code list escalation_levels version 1";
    evaluator_required: evaluation_outcome(v, e) { v.evaluator.clear() } => "evaluator: required";
    evaluator_at_most_200: evaluation_outcome(v, e) { v.evaluator = "x".repeat(201) }
        => "evaluator: 201 characters exceeds the limit of 200";
    method_required: evaluation_outcome(v, e) { v.method.clear() } => "method: required";
    method_from_list: evaluation_outcome(v, e) { v.method = s("gut_feeling") }
        => "method: 'gut_feeling' is not in code list evaluation_methods version 2";
    every_area_rated: evaluation_outcome(v, e) { v.ratings.pop(); } => "ratings: area samenwerking is not rated";
    ratings_required: evaluation_outcome(v, e) { v.ratings.clear() } => "ratings: area melding_alarmering is not rated";
    every_area_rated_once: evaluation_outcome(v, e) { v.ratings[4].area = s("melding_alarmering") }
        => "ratings[4].area: melding_alarmering is rated twice";
    rated_area_from_list: evaluation_outcome(v, e) { v.ratings[0].area = s("logistiek") }
        => "ratings[0].area: 'logistiek' is not in code list rated_areas version 2";
    rating_required: evaluation_outcome(v, e) { v.ratings[2].rating.clear() } => "ratings[2].rating: required";
    rating_from_list: evaluation_outcome(v, e) { v.ratings[2].rating = s("X") }
        => "ratings[2].rating: 'X' is not in code list ratings version 2";
    rating_note_at_most_1000: evaluation_outcome(v, e) { v.ratings[7].note = "x".repeat(1001) }
        => "ratings[7].note: 1001 characters exceeds the limit of 1000";
    ratings_in_any_order: evaluation_outcome(v, e) { v.ratings.reverse() } => "accepted";
    strengths_at_most_50: evaluation_outcome(v, e) { v.strengths = vec![s("goed"); 51] }
        => "strengths: 51 items exceeds the limit of 50";
    strengths_not_empty: evaluation_outcome(v, e) { v.strengths.push(s("")) } => "strengths[1]: required";
    areas_for_improvement_at_most_1000_characters: evaluation_outcome(v, e) {
        v.areas_for_improvement[0] = "x".repeat(1001);
    }
        => "areas_for_improvement[0]: 1001 characters exceeds the limit of 1000";
    action_id_required: evaluation_outcome(v, e) { v.actions[0].action_id.clear() } => "actions[0].action_id: required";
    action_id_characters: evaluation_outcome(v, e) { v.actions[0].action_id = s("A 1") }
        => "actions[0].action_id: character ' ' not allowed (letters, digits, '-' and '.' only)";
    action_id_at_most_32: evaluation_outcome(v, e) { v.actions[0].action_id = "A".repeat(33) }
        => "actions[0].action_id: must be 1 to 32 characters, not 33";
    action_id_with_dots: evaluation_outcome(v, e) { v.actions[0].action_id = s("IM-1.2") } => "accepted";
    action_id_once: evaluation_outcome(v, e) { v.actions[1].action_id = s("A1") }
        => "actions[1].action_id: A1 is listed twice";
    action_area_from_list: evaluation_outcome(v, e) { v.actions[0].area = s("it") }
        => "actions[0].area: 'it' is not in code list rated_areas version 2";
    action_description_required: evaluation_outcome(v, e) { v.actions[0].description.clear() }
        => "actions[0].description: required";
    action_owner_required: evaluation_outcome(v, e) { v.actions[1].owner.clear() } => "actions[1].owner: required";
    action_owner_at_most_200: evaluation_outcome(v, e) { v.actions[1].owner = "x".repeat(201) }
        => "actions[1].owner: 201 characters exceeds the limit of 200";
    action_due_required: evaluation_outcome(v, e) { v.actions[0].due.clear() } => "actions[0].due: required";
    action_due_not_before_the_event: evaluation_outcome(v, e) { v.actions[0].due = s("2026-10-31") }
        => "actions[0].due: 2026-10-31 is before the event (2026-11-01)";
    action_status_from_list: evaluation_outcome(v, e) { v.actions[0].status = s("closed") }
        => "actions[0].status: 'closed' is not in code list action_status version 2";
    reported_to_board_optional: evaluation_outcome(v, e) { v.reported_to_board.clear() } => "accepted";
    reported_to_board_a_date: evaluation_outcome(v, e) { v.reported_to_board = s("20-11-2026") }
        => "reported_to_board: '20-11-2026' is not a date (expected YYYY-MM-DD)";
    reported_to_board_not_before_the_event: evaluation_outcome(v, e) { v.reported_to_board = s("2026-10-31") }
        => "reported_to_board: 2026-10-31 is before the event (2026-11-01)";
    reported_to_board_not_after_creation: evaluation_outcome(v, e) { v.reported_to_board = s("2026-11-30") }
        => "reported_to_board: 2026-11-30 is after the day the record was created (2026-11-29)";
    verified_evaluation_required: evaluation_outcome(v, e) { v.verifies[0].evaluation_id.clear() }
        => "verifies[0].evaluation_id: required";
    verified_evaluation_of_the_same_region: evaluation_outcome(v, e) { v.verifies[0].evaluation_id = s("VR02-3") }
        => "verifies[0].evaluation_id: VR02-3 is a record of VR02, not of VR01";
    verified_evaluation_with_a_chosen_id: evaluation_outcome(v, e) {
        v.verifies[0].evaluation_id = s("eval-2025-delfzijl");
    }
        => "accepted";
    verified_evaluation_is_not_this_one: evaluation_outcome(v, e) { v.verifies[0].evaluation_id = s("VR01-1") }
        => "verifies[0].evaluation_id: VR01-1 is this evaluation itself";
    verified_action_required: evaluation_outcome(v, e) { v.verifies[0].action_id.clear() }
        => "verifies[0].action_id: required";
    verification_result_required: evaluation_outcome(v, e) { v.verifies[0].result.clear() }
        => "verifies[0].result: required";
    verification_result_from_list: evaluation_outcome(v, e) { v.verifies[0].result = s("fine") }
        => "verifies[0].result: 'fine' is not in code list verification_results version 2";
    verification_once: evaluation_outcome(v, e) { v.verifies.push(verification("VR01-7", "A3")) }
        => "verifies[1]: action A3 of VR01-7 is verified twice";
    a_correction_names_an_earlier_evaluation_of_its_region: evaluation_outcome(v, e) {
        e.seq = 9;
        v.corrects = s("VR01-3");
    } => "accepted";
    a_correction_of_another_region_is_refused: evaluation_outcome(v, e) {
        e.seq = 9;
        v.corrects = s("VR02-3");
    } => "corrects: VR02-3 is a record of VR02, not of VR01; a region changes only its own evaluations";
    a_correction_names_an_earlier_record: evaluation_outcome(v, e) {
        e.seq = 9;
        v.corrects = s("VR01-9");
    } => "corrects: VR01-9 is not an earlier record of VR01 (this record is VR01-9)";
    a_correction_names_a_record_id: evaluation_outcome(v, e) {
        e.seq = 9;
        v.corrects = s("eval-2025-delfzijl");
    } => "corrects: 'eval-2025-delfzijl' is not a record id of the form <region>-<seq>, e.g. VR01-12";
}

cases! {
    evaluation_withdrawal_valid: evaluation_withdrawal_outcome(w, e) {} => "accepted";
    evaluation_withdrawal_by_its_own_region: evaluation_withdrawal_outcome(w, e) { w.region = s("VR02") }
        => "region: VR02 is not the origin VR01; a region withdraws only its own evaluations";
    evaluation_withdrawal_of_another_regions_evaluation: evaluation_withdrawal_outcome(w, e) {
        w.evaluation_id = s("VR02-3");
    } => "evaluation_id: VR02-3 is a record of VR02, not of VR01; a region changes only its own evaluations";
    evaluation_withdrawal_of_an_earlier_record: evaluation_withdrawal_outcome(w, e) {
        w.evaluation_id = s("VR01-12");
    } => "evaluation_id: VR01-12 is not an earlier record of VR01 (this record is VR01-9)";
    evaluation_withdrawal_reason_required: evaluation_withdrawal_outcome(w, e) { w.reason = s("  ") }
        => "reason: required";
    evaluation_withdrawal_author_required: evaluation_withdrawal_outcome(w, e) { w.author.clear() }
        => "author: required";
    evaluation_withdrawal_by_a_national_node: evaluation_withdrawal_outcome(w, e) {
        e.origin = "NL";
        w.region = s("NL");
    } => "origin: NL is a national member, which may not publish evaluation_withdrawal";
}
