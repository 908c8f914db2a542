//! The rules of capacity reports.
use super::*;

cases! {
    capacity_region_required: capacity_outcome(c, e) { c.region.clear() } => "region: required";
    capacity_region_is_the_origin: capacity_outcome(c, e) { c.region = s("VR02") }
        => "region: VR02 is not the origin VR01; a region reports only its own capacity";
    capacity_region_is_not_national: capacity_outcome(c, e) { e.origin = "NL"; c.region = s("NL") }
        => "origin: NL is a national member, which may not publish capacity_report";
    capacity_origin_is_a_member: capacity_outcome(c, e) {
        e.origin = "POL-XX";
        e.audience = vec!["NL", "POL-XX"];
        c.region = s("POL-XX")
    }
        => "origin: POL-XX is not a member of this federation";
    as_of_required: capacity_outcome(c, e) { c.as_of.clear() } => "as_of: required";
    as_of_a_moment_in_utc: capacity_outcome(c, e) { c.as_of = s("2026-11-29T10:30:00+01:00") }
        => "as_of: '2026-11-29T10:30:00+01:00' is not a moment in UTC (expected YYYY-MM-DDTHH:MM:SSZ)";
    as_of_up_to_an_hour_after_creation: capacity_outcome(c, e) { c.as_of = s("2026-11-29T11:00:00Z") } => "accepted";
    as_of_not_later: capacity_outcome(c, e) { c.as_of = s("2026-11-29T11:00:01Z") }
        => "as_of: 2026-11-29T11:00:01Z is more than one hour after the record was created (2026-11-29T10:00:00Z)";
    valid_until_required: capacity_outcome(c, e) { c.valid_until.clear() } => "valid_until: required";
    valid_until_after_as_of: capacity_outcome(c, e) { c.valid_until = s("2026-11-29T09:30:00Z") }
        => "valid_until: 2026-11-29T09:30:00Z is not after as_of 2026-11-29T09:30:00Z";
    valid_until_up_to_31_days: capacity_outcome(c, e) { c.valid_until = s("2026-12-30T09:30:00Z") } => "accepted";
    valid_until_not_later: capacity_outcome(c, e) { c.valid_until = s("2026-12-30T09:30:01Z") }
        => "valid_until: 2026-12-30T09:30:01Z is more than 31 days after as_of 2026-11-29T09:30:00Z";
    stale_reports_are_valid_records: capacity_outcome(c, e) {
        c.as_of = s("2026-10-01T08:00:00Z");
        c.valid_until = s("2026-10-02T08:00:00Z");
    } => "accepted";
    capacity_code_list_version_known: capacity_outcome(c, e) { c.code_list_version = 4 }
        => "code_list_version: version 4 is not known here (known: 1, 2, 3)";
    entries_required: capacity_outcome(c, e) { c.entries.clear() } => "entries: required";
    entry_resource_type_required: capacity_outcome(c, e) { c.entries[0].resource_type.clear() }
        => "entries[0].resource_type: required";
    entry_resource_type_from_the_named_version: capacity_outcome(c, e) {
        c.code_list_version = 1;
        c.entries[3].resource_type = s("XX");
    } => "entries[3].resource_type: 'XX' is not in code list resource_types version 1";
    drone_team_in_version_two: capacity_outcome(c, e) { c.entries[3].resource_type = s("DRONE") } => "accepted";
    drone_team_not_in_version_one: capacity_outcome(c, e) {
        c.code_list_version = 1;
        c.entries[3].resource_type = s("DRONE");
    } => "entries[3].resource_type: 'DRONE' is not in code list resource_types version 1";
    entry_resource_type_once: capacity_outcome(c, e) { c.entries[2].resource_type = s("TS") }
        => "entries[2].resource_type: TS is listed twice";
    baseline_at_most_100000: capacity_outcome(c, e) { c.entries[1].baseline = 100_001 }
        => "entries[1].baseline: 100001 exceeds the limit of 100000";
    available_at_most_baseline: capacity_outcome(c, e) { c.entries[3].available = 14 }
        => "entries[3].available: 14 exceeds baseline 12";
    units_add_up_to_at_most_baseline: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 8, 3, 2) }
        => "entries[3]: available 8 + committed 3 + out of service 2 = 13 exceeds baseline 12";
    units_may_add_up_to_baseline: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 8, 3, 1) } => "accepted";
    units_do_not_overflow: capacity_outcome(c, e) { c.entries[3] = line("WO", 12, 1, u32::MAX, u32::MAX) } => concat!(
        "entries[3]: available 1 + committed 4294967295 + out of service 4294967295 = 8589934591 ",
        "exceeds baseline 12"
    );
    surge_72h_not_less_than_surge_24h: capacity_outcome(c, e) { c.entries[0].surge_72h = Some(1) }
        => "entries[0].surge_72h: 1 is less than surge_24h 2";
    surge_72h_alone: capacity_outcome(c, e) { c.entries[0].surge_24h = None; c.entries[0].surge_72h = Some(1) }
        => "accepted";
    surge_bounded: capacity_outcome(c, e) { c.entries[0].surge_24h = Some(100_001) }
        => "entries[0].surge_24h: 100001 exceeds the limit of 100000";
    entry_status_required: capacity_outcome(c, e) { c.entries[1].status.clear() } => "entries[1].status: required";
    entry_status_from_list: capacity_outcome(c, e) { c.entries[1].status = s("ok") }
        => "entries[1].status: 'ok' is not in code list resource_status version 2";
    entry_remarks_at_most_1000: capacity_outcome(c, e) { c.entries[0].remarks = "x".repeat(1001) }
        => "entries[0].remarks: 1001 characters exceeds the limit of 1000";
    capacity_remarks_at_most_4000: capacity_outcome(c, e) { c.remarks = "x".repeat(4001) }
        => "remarks: 4001 characters exceeds the limit of 4000";
}
