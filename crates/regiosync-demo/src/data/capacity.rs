//! Capacity reports: what each region has, scaled by its size, with the lines a real daily
//! report carries (fire units, water and hazmat teams, officials on duty, ambulances, hospital
//! beds, shelter places). Codes from the `resource_types` list of the shipped code lists.
use regiosync_records::pb::{CapacityEntry, CapacityReport};
use regiosync_records::{calendar, time};
use regiosync_types::NodeId;

use super::{number, size, Rng, EXERCISE, NO_CAPACITY, STALE, SUPERSEDES};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How a line's baseline is set.
#[derive(Clone, Copy)]
enum Scale {
    /// Units per 100,000 inhabitants (at least 1).
    Per100k(f64),
    /// The same number in every region that has it (officials on duty).
    Fixed(u32),
}

/// How a line is used, which sets its committed share and its surge.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    /// Vehicles and teams: some deployed, some in maintenance, volunteers add surge.
    Unit,
    /// Officials on duty (piket): usually all available, one may be on an incident.
    Official,
    /// Hospital beds: mostly occupied ("committed"), some scale-up within 24/72 h.
    Bed,
    /// Shelter places and evacuation transport: ready, with large surge.
    Care,
}

/// Which regions report a line: all, a fixed set, or each region with some probability.
#[derive(Clone, Copy)]
enum Who {
    All,
    Only(&'static [u8]),
    Percent(u64),
}

/// Water-rich regions (Fryslân, Noord-Holland-Noord, Zaanstreek-Waterland, Rotterdam-Rijnmond,
/// Zeeland, Flevoland) have more water rescue units and dive teams.
const WATER: &[u8] = &[2, 10, 11, 17, 19, 25];

const LINES: &[(&str, Scale, Use, Who)] = &[
    ("TS", Scale::Per100k(7.4), Use::Unit, Who::All),
    ("HV", Scale::Per100k(1.1), Use::Unit, Who::All),
    ("AL", Scale::Per100k(0.75), Use::Unit, Who::All),
    ("HW", Scale::Per100k(0.45), Use::Unit, Who::Percent(80)),
    ("WO", Scale::Per100k(0.5), Use::Unit, Who::All),
    ("DT", Scale::Per100k(0.3), Use::Unit, Who::All),
    ("GPT", Scale::Per100k(0.4), Use::Unit, Who::All),
    ("MPGS", Scale::Per100k(0.55), Use::Unit, Who::All),
    ("GWT", Scale::Per100k(0.2), Use::Unit, Who::Percent(60)),
    (
        "NBV",
        Scale::Per100k(0.9),
        Use::Unit,
        Who::Only(&[3, 5, 6, 7, 9, 14, 21, 22, 23, 25]),
    ),
    ("BV", Scale::Fixed(2), Use::Unit, Who::Only(&[12, 13, 17, 19])),
    ("SB", Scale::Fixed(3), Use::Unit, Who::Only(&[1, 17, 19, 20, 24])),
    ("AMB", Scale::Per100k(4.6), Use::Unit, Who::All),
    ("MMT", Scale::Fixed(2), Use::Unit, Who::Only(&[1, 8, 13, 17])),
    ("OvD-B", Scale::Per100k(0.55), Use::Official, Who::All),
    ("HOvD", Scale::Fixed(2), Use::Official, Who::All),
    ("CvD", Scale::Fixed(1), Use::Official, Who::All),
    ("OL", Scale::Fixed(1), Use::Official, Who::All),
    ("OvD-G", Scale::Per100k(0.25), Use::Official, Who::Percent(70)),
    ("IM-ROT", Scale::Fixed(2), Use::Official, Who::All),
    ("CA", Scale::Fixed(2), Use::Official, Who::Percent(60)),
    ("BED-IC", Scale::Per100k(5.6), Use::Bed, Who::All),
    ("BED-SEH", Scale::Per100k(4.8), Use::Bed, Who::All),
    ("OPV", Scale::Per100k(170.0), Use::Care, Who::All),
    ("EVAC-BUS", Scale::Per100k(1.6), Use::Care, Who::Percent(50)),
];

/// One report to publish: the report, its status and who besides NL may receive it.
pub struct Publication {
    pub report: CapacityReport,
    pub exercise: bool,
}

/// The reports a region publishes, in order (none for the region that does not report).
pub fn reports(region: NodeId, now_ms: i64) -> Vec<Publication> {
    let n = number(region);
    let actual = |as_of: i64, valid_hours: i64, salt: u64, remarks: &str| Publication {
        report: report(region, as_of, as_of + valid_hours * HOUR_MS, salt, remarks),
        exercise: false,
    };
    match n {
        NO_CAPACITY => Vec::new(),
        SUPERSEDES => vec![
            actual(
                now_ms - 6 * HOUR_MS,
                24,
                1,
                "Ochtendrapportage meldkamer Rotterdam-Rijnmond",
            ),
            actual(
                now_ms,
                24,
                2,
                "Bijgewerkt na GRIP 2 brand Botlek: schuimblusvoertuigen en gaspakkenteam ingezet",
            ),
        ],
        STALE => vec![Publication {
            report: report(
                region,
                now_ms - 3 * DAY_MS,
                now_ms - DAY_MS,
                1,
                "Rapportage van vrijdag; geen nieuwe rapportage door storing in het koppelvlak",
            ),
            exercise: false,
        }],
        EXERCISE => {
            let mut drill = report(region, now_ms, now_ms + 12 * HOUR_MS, 9, "");
            drill.remarks = "OEFENING Twentse Waakzaamheid: fictieve inzet, telt niet mee".into();
            for e in &mut drill.entries {
                // The scenario pretends most units are deployed.
                let committed = e.baseline * 7 / 10;
                e.committed = committed;
                e.out_of_service = 0;
                e.available = e.baseline - committed;
                e.status = status(Use::Unit, e.available, e.baseline).into();
            }
            vec![
                actual(now_ms, 24, 1, "Dagrapportage meldkamer Oost-Nederland"),
                Publication {
                    report: drill,
                    exercise: true,
                },
            ]
        }
        _ => vec![actual(now_ms, 24, 1, "")],
    }
}

fn report(region: NodeId, as_of: i64, valid_until: i64, salt: u64, remarks: &str) -> CapacityReport {
    let n = number(region);
    // Which lines a region reports does not change between its reports.
    let mut who = Rng::new(n, 100);
    let mut rng = Rng::new(n, 100 + salt);
    let entries = LINES
        .iter()
        .filter(|(_, _, _, w)| match w {
            Who::All => true,
            Who::Only(list) => list.contains(&n),
            Who::Percent(p) => who.chance(*p),
        })
        .map(|&(code, scale, usage, _)| entry(n, code, scale, usage, &mut rng))
        .collect();
    let remarks = if remarks.is_empty() {
        format!(
            "Dagrapportage meldkamer; piketfuncties volgens rooster van {}",
            time::format_date(calendar::day_of(as_of))
        )
    } else {
        remarks.to_string()
    };
    CapacityReport {
        // Empty region: the node fills in its own. Empty author: the node takes it from the
        // certificate. Code-list version 0: the latest.
        region: String::new(),
        as_of: time::format_moment(as_of),
        valid_until: time::format_moment(valid_until),
        code_list_version: 0,
        entries,
        remarks,
        author: String::new(),
    }
}

fn entry(n: u8, code: &str, scale: Scale, usage: Use, rng: &mut Rng) -> CapacityEntry {
    let region_size = size(super::vr(n));
    let water = if WATER.contains(&n) && matches!(code, "WO" | "DT") {
        1.6
    } else {
        1.0
    };
    let baseline = match scale {
        Scale::Per100k(rate) => ((region_size * rate * water * rng.factor(0.15)).round() as u32).max(1),
        Scale::Fixed(k) => k,
    };
    let share =
        |lo: i64, hi: i64, rng: &mut Rng| (f64::from(baseline) * rng.range(lo, hi) as f64 / 100.0).round() as u32;
    let (committed, out_of_service) = match usage {
        Use::Unit => (share(3, 18, rng), share(2, 10, rng)),
        Use::Official => (u32::from(baseline > 1 && rng.chance(30)), 0),
        Use::Bed => (share(72, 90, rng), share(0, 4, rng)),
        Use::Care => (share(0, 5, rng), share(0, 3, rng)),
    };
    let committed = committed.min(baseline);
    let out_of_service = out_of_service.min(baseline - committed);
    let available = baseline - committed - out_of_service;
    let (surge_24h, surge_72h) = match usage {
        Use::Unit if baseline >= 4 => {
            let s24 = share(5, 20, rng);
            (Some(s24), Some(s24 + share(5, 15, rng)))
        }
        Use::Unit => (None, None),
        Use::Official => (None, (code == "OL").then_some(1)),
        Use::Bed => {
            let s24 = share(5, 12, rng);
            (Some(s24), Some(s24 + share(8, 25, rng)))
        }
        Use::Care => {
            let s24 = share(30, 60, rng);
            (Some(s24), Some(s24 + share(40, 100, rng)))
        }
    };
    let remarks = match (code, out_of_service) {
        ("TS", k) if k > 0 => format!("{k} zonder bemanning overdag (vrijwilligersposten) of in onderhoud"),
        ("AL" | "HW", k) if k > 0 => format!("{k} in keuring"),
        ("BED-IC", _) => "Landelijk Coördinatiecentrum Patiëntenspreiding geïnformeerd".into(),
        _ => String::new(),
    };
    CapacityEntry {
        resource_type: code.into(),
        baseline,
        available,
        committed,
        out_of_service,
        surge_24h,
        surge_72h,
        status: status(usage, available, baseline).into(),
        remarks,
    }
}

/// The line's status from the share still available.
fn status(usage: Use, available: u32, baseline: u32) -> &'static str {
    let share = f64::from(available) / f64::from(baseline.max(1));
    let (normal, reduced) = if usage == Use::Bed { (0.12, 0.06) } else { (0.5, 0.2) };
    match share {
        _ if available == 0 => "unavailable",
        s if s >= normal => "normal",
        s if s >= reduced => "reduced",
        _ => "critical",
    }
}
