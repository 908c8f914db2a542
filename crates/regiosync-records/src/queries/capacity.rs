//! Questions 1 and 2: national capacity per resource type, and one resource type per region
//! with the partners that can help a region in trouble.
use std::cmp::Reverse;

use regiosync_types::pb::Status;
use regiosync_types::{Error, NodeId, Result};

use super::{code_name, in_force, is_actual, latest_by_region, sorted, Latest};
use crate::agreement::state;
use crate::codes::{list, CodeLists};
use crate::pb;
use crate::record::Record;

/// National capacity over the regions in `regions`: totals per resource type (sorted by code)
/// summed over the current actual reports only, the regions counted, the regions whose newest
/// actual report is stale (shown, not counted), the regions with no actual report, and those of
/// them that have only exercise or test reports.
pub fn national_capacity(capacity: &[pb::CapacityLatest], regions: &[NodeId], now_ms: i64) -> pb::NationalCapacity {
    let regions = sorted(regions);
    let latest = latest_by_region(capacity);
    // The same rules as a node's capacity views: `current` decides stale and counted.
    let records: Vec<Record> = latest
        .iter()
        .filter(|((region, _), _)| regions.contains(region))
        .map(|(_, l)| l.record.clone())
        .collect();
    let views = crate::capacity::current(&records, now_ms, true);
    let totals = crate::capacity::totals(&views)
        .into_iter()
        .map(|t| pb::CapacityTotal {
            name: code_name(list::RESOURCE_TYPES, &t.resource_type),
            resource_type: t.resource_type,
            regions: u32::try_from(t.regions).unwrap_or(u32::MAX),
            baseline: t.baseline,
            available: t.available,
            committed: t.committed,
            out_of_service: t.out_of_service,
            surge_24h: t.surge_24h,
            surge_72h: t.surge_72h,
        })
        .collect();
    let mut answer = pb::NationalCapacity {
        totals,
        now_unix_ms: now_ms,
        ..Default::default()
    };
    for &region in &regions {
        match latest.get(&(region, Status::Actual)) {
            Some(l) if l.stale(now_ms) => answer.stale.push(region_report(l)),
            Some(l) => answer.reporting.push(region_report(l)),
            None => {
                answer.missing.push(region.to_string());
                let other = [Status::Exercise, Status::Test];
                if other.iter().any(|&s| latest.contains_key(&(region, s))) {
                    answer.exercise_only.push(region.to_string());
                }
            }
        }
    }
    answer
}

fn region_report(l: &Latest) -> pb::RegionReport {
    pb::RegionReport {
        region: l.record.origin.to_string(),
        as_of: l.report.as_of.clone(),
        valid_until: l.report.valid_until.clone(),
        record_id: l.record.id.clone(),
    }
}

/// One resource type (a code of the newest code list) in every region of `regions`, from each
/// region's newest actual report: stale numbers are shown and flagged, a region without an
/// actual report or whose report does not list the type is flagged unreported.
///
/// With `region`, also its partners for the type: every other party of each agreement that is
/// active, actual, binds `region` and whose version in force lists the type, with the most
/// units one request may ask and the partner's current availability (0 when its report is
/// stale or does not list the type). Sorted by availability, most first, then by region and
/// agreement.
pub fn resource_by_region(
    resource_type: &str,
    region: Option<NodeId>,
    capacity: &[pb::CapacityLatest],
    agreements: &[pb::AgreementView],
    regions: &[NodeId],
    now_ms: i64,
) -> Result<pb::ResourceByRegion> {
    CodeLists::shipped()
        .latest()
        .check("resource_type", list::RESOURCE_TYPES, resource_type)?;
    if let Some(r) = region.filter(|r| !regions.contains(r)) {
        return Err(Error::invalid(
            "region",
            format!("{r} is not a region of this federation"),
        ));
    }
    let latest = latest_by_region(capacity);
    let row = |r: NodeId| resource_row(resource_type, r, latest.get(&(r, Status::Actual)), now_ms);
    let mut answer = pb::ResourceByRegion {
        resource_type: resource_type.into(),
        name: code_name(list::RESOURCE_TYPES, resource_type),
        regions: sorted(regions).into_iter().map(row).collect(),
        partners: Vec::new(),
        answered_by: String::new(),
    };
    let Some(me) = region else {
        return Ok(answer);
    };
    let me = me.to_string();
    for view in agreements.iter().filter(|v| v.state == state::ACTIVE && is_actual(v)) {
        let Some(agreement) = in_force(view) else {
            continue;
        };
        let limit = agreement
            .scope
            .as_ref()
            .and_then(|s| s.resources.iter().find(|l| l.resource_type == resource_type));
        let Some(limit) = limit else {
            continue;
        };
        if !agreement.parties.iter().any(|p| p.region == me) {
            continue;
        }
        for party in agreement.parties.iter().filter(|p| p.region != me) {
            let Ok(partner) = NodeId::parse_field("parties.region", &party.region) else {
                continue;
            };
            let now = resource_row(resource_type, partner, latest.get(&(partner, Status::Actual)), now_ms);
            let usable = !now.stale && !now.unreported;
            answer.partners.push(pb::Partner {
                region: party.region.clone(),
                agreement_id: view.agreement_id.clone(),
                version: agreement.version,
                max_quantity: limit.max_quantity,
                available: if usable { now.available } else { 0 },
                stale: now.stale,
                unreported: now.unreported,
            });
        }
    }
    answer.partners.sort_by(|a, b| {
        (Reverse(a.available), &a.region, &a.agreement_id).cmp(&(Reverse(b.available), &b.region, &b.agreement_id))
    });
    Ok(answer)
}

/// The type in one region's newest actual report. `as_of` and `stale` describe the report
/// whether or not it lists the type.
fn resource_row(resource_type: &str, region: NodeId, latest: Option<&Latest>, now_ms: i64) -> pb::RegionResource {
    let mut row = pb::RegionResource {
        region: region.to_string(),
        unreported: true,
        ..Default::default()
    };
    let Some(l) = latest else {
        return row;
    };
    row.as_of = l.report.as_of.clone();
    row.stale = l.stale(now_ms);
    if let Some(e) = l.report.entries.iter().find(|e| e.resource_type == resource_type) {
        row.unreported = false;
        row.baseline = e.baseline;
        row.available = e.available;
        row.committed = e.committed;
        row.out_of_service = e.out_of_service;
    }
    row
}
