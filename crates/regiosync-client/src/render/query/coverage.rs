//! How `query coverage` is printed: which regions have an active agreement with which, as a compact
//! 25×25 grid by region number; neighbouring regions without one; agreements expiring soon; and
//! versions awaiting signatures, who has not signed and for how long.
use std::collections::{BTreeMap, HashMap};

use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_records::pb::{AgreementCoverage, AgreementView, CoveragePair};
use regiosync_types::NodeId;

use super::{clip, print_table};
use crate::render::table::Table;
use crate::render::{
    agreement_state, moment_str, num, region, regions, status_marker, when, AGREEMENT_STATES as STATES,
};

/// The coverage answer; `days` is the "expiring" window asked for (0: the node's own).
pub fn print(lang: Lang, a: &AgreementCoverage, days: u32) {
    let c = Catalog::of(lang);
    let states = Args::new().text("list", by_state(lang, &a.by_state));
    out!("{}", c.t("cli-cov-by-state", &states));
    out!();
    let pairs = Args::new().count(lang, "n", a.pairs.len() as i64);
    out!("{}", c.t("cli-cov-grid-title", &pairs));
    for line in grid(&a.pairs, &a.uncovered_neighbours) {
        out!("{}", line.trim_end());
    }
    out!("  {}", c.s("cli-cov-grid-legend"));
    for line in key(3) {
        out!("  {}", line.trim_end());
    }
    out!();
    if a.uncovered_neighbours.is_empty() {
        out!("{}", c.s("cli-cov-all-neighbours"));
    } else {
        let args = Args::new().count(lang, "n", a.uncovered_neighbours.len() as i64).count(
            lang,
            "all",
            regiosync_types::Federation::shipped().neighbour_edges().len() as i64,
        );
        out!("{}", c.t("cli-cov-uncovered", &args));
        let mut t = Table::of(lang, &["cli-col-region", "cli-col-no-agreement-with"]);
        for (r, with) in gaps_by_region(&a.uncovered_neighbours) {
            t.row(vec![region(r), with.join(" ")]);
        }
        print_table(&t);
    }
    out!();
    print_expiring(lang, &a.expiring, days);
    out!();
    print_awaiting(lang, a);
    let used: Vec<_> = a.assistance_use.iter().filter(|u| u.used > 0).collect();
    if !used.is_empty() {
        out!();
        out!("{}", c.s("cli-cov-invoked"));
        let mut t = Table::of(
            lang,
            &["cli-col-agreement", "cli-col-requests", "cli-col-first-answer-min"],
        )
        .right(&[1]);
        for u in used {
            t.row(vec![
                u.agreement_id.clone(),
                num(lang, u.used),
                super::assistance::minutes(lang, u.partners_first_answer.as_ref()),
            ]);
        }
        print_table(&t);
    }
}

/// "actief 14, deels ondertekend 2, ..." in lifecycle order, unknown states last.
fn by_state(lang: Lang, m: &HashMap<String, u32>) -> String {
    let mut sorted: Vec<(&String, &u32)> = m.iter().collect();
    sorted.sort_by_key(|(s, _)| {
        (
            STATES.iter().position(|x| x == s).unwrap_or(STATES.len()),
            s.to_string(),
        )
    });
    let parts: Vec<String> = sorted
        .iter()
        .map(|(s, n)| format!("{} {}", agreement_state(lang, s), num(lang, **n)))
        .collect();
    if parts.is_empty() {
        Catalog::of(lang).s("cli-cov-none-held")
    } else {
        parts.join(", ")
    }
}

/// Each region with the neighbours it lacks an agreement with (each pair once, under the
/// lower-numbered region).
fn gaps_by_region(uncovered: &[CoveragePair]) -> BTreeMap<&str, Vec<&str>> {
    let mut m: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in uncovered {
        let (a, b) = if p.a <= p.b { (&p.a, &p.b) } else { (&p.b, &p.a) };
        m.entry(a).or_default().push(b);
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

fn number(code: &str) -> Option<usize> {
    NodeId::parse_canonical(code)?.region_number().map(usize::from)
}

/// The grid: a header of region numbers, then one line per region. A cell holds the number of
/// active agreements binding both regions ('+' above 9), '!' for neighbours without one, '.'
/// for neither, '\' on the diagonal.
fn grid(pairs: &[CoveragePair], uncovered: &[CoveragePair]) -> Vec<String> {
    let mut cell = [[0usize; 26]; 26];
    let mut gap = [[false; 26]; 26];
    for p in pairs {
        if let (Some(a), Some(b)) = (number(&p.a), number(&p.b)) {
            cell[a][b] += p.agreements.len().max(1);
            cell[b][a] = cell[a][b];
        }
    }
    for p in uncovered {
        if let (Some(a), Some(b)) = (number(&p.a), number(&p.b)) {
            gap[a][b] = true;
            gap[b][a] = true;
        }
    }
    let mut out = vec![format!(
        "     {}",
        (1..=25).map(|n| format!("{n:02}")).collect::<Vec<_>>().join(" ")
    )];
    for a in 1..=25 {
        let mut line = format!("VR{a:02} ");
        for b in 1..=25 {
            let c = match (a == b, cell[a][b], gap[a][b]) {
                (true, _, _) => "\\".to_string(),
                (false, n @ 1..=9, _) => n.to_string(),
                (false, 0, true) => "!".into(),
                (false, 0, false) => ".".into(),
                (false, _, _) => "+".into(),
            };
            line.push_str(&format!("{c:>2} "));
        }
        out.push(line);
    }
    out
}

/// "01 Groningen   02 Fryslân ..." in `columns` columns, for reading the grid.
fn key(columns: usize) -> Vec<String> {
    let names: Vec<String> = regiosync_types::Federation::shipped()
        .regions()
        .map(|r| {
            let code = r.to_string();
            let name = region(&code);
            format!(
                "{} {}",
                &code[2..],
                name.strip_prefix(&format!("{code} ")).unwrap_or(&name)
            )
        })
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 3;
    let rows = names.len().div_ceil(columns);
    (0..rows)
        .map(|i| {
            (0..columns)
                .filter_map(|c| names.get(c * rows + i))
                .map(|n| format!("{n}{}", " ".repeat(width - n.chars().count())))
                .collect()
        })
        .collect()
}

fn print_expiring(lang: Lang, expiring: &[AgreementView], days: u32) {
    let c = Catalog::of(lang);
    let window = match days {
        0 => c.s("cli-cov-node-window"),
        n => c.t("cli-cov-days", &Args::new().count(lang, "n", i64::from(n))),
    };
    if expiring.is_empty() {
        out!("{}", c.t("cli-cov-none-expiring", &Args::new().text("window", window)));
        return;
    }
    let args = Args::new()
        .text("window", window)
        .count(lang, "n", expiring.len() as i64);
    out!("{}", c.t("cli-cov-expiring", &args));
    let mut t = Table::of(
        lang,
        &[
            "cli-col-agreement",
            "cli-col-version",
            "cli-col-title",
            "cli-col-parties",
            "cli-col-valid-until",
            "cli-col-days-left",
            "cli-col-marker",
        ],
    )
    .right(&[1, 5]);
    for v in expiring {
        let inforce = v
            .versions
            .iter()
            .find(|x| x.version == v.version_in_force)
            .and_then(|x| x.agreement.clone())
            .unwrap_or_default();
        let parties: Vec<&str> = inforce.parties.iter().map(|p| p.region.as_str()).collect();
        t.row(vec![
            v.agreement_id.clone(),
            v.version_in_force.to_string(),
            clip(&inforce.title, 40),
            parties.join(" "),
            inforce
                .validity
                .map(|x| moment_str(lang, &x.valid_until))
                .unwrap_or_default(),
            num(lang, v.days_left),
            status_marker(lang, &v.status),
        ]);
    }
    print_table(&t);
}

fn print_awaiting(lang: Lang, a: &AgreementCoverage) {
    let c = Catalog::of(lang);
    if a.awaiting.is_empty() {
        out!("{}", c.s("cli-cov-none-awaiting"));
        return;
    }
    let n = Args::new().count(lang, "n", a.awaiting.len() as i64);
    out!("{}", c.t("cli-cov-awaiting", &n));
    let mut waiting: Vec<_> = a.awaiting.iter().collect();
    waiting.sort_by(|x, y| {
        y.waiting_days
            .cmp(&x.waiting_days)
            .then(x.agreement_id.cmp(&y.agreement_id))
    });
    let mut t = Table::of(
        lang,
        &[
            "cli-col-agreement",
            "cli-col-version",
            "cli-col-state",
            "cli-col-not-signed-by",
            "cli-col-proposed",
            "cli-col-waiting",
        ],
    )
    .right(&[1, 5]);
    for w in waiting {
        t.row(vec![
            w.agreement_id.clone(),
            w.version.to_string(),
            agreement_state(lang, &w.state),
            regions(&w.unsigned),
            when(lang, w.proposed_unix_ms),
            format!("{} d", num(lang, w.waiting_days)),
        ]);
    }
    print_table(&t);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, b: &str, n: usize) -> CoveragePair {
        CoveragePair {
            a: a.into(),
            b: b.into(),
            agreements: (0..n).map(|i| format!("ag-{i}")).collect(),
        }
    }

    #[test]
    fn grid_marks_agreements_gaps_and_the_diagonal() {
        let g = grid(
            &[
                pair("VR01", "VR02", 1),
                pair("VR02", "VR25", 2),
                pair("VR03", "VR04", 12),
            ],
            &[pair("VR01", "VR03", 0)],
        );
        assert_eq!(g.len(), 26);
        assert!(g[0].starts_with("     01 02 03"), "{}", g[0]);
        assert!(g[0].trim_end().ends_with("24 25"));
        // Row VR01: diagonal, agreement with VR02, gap with VR03, nothing with VR04.
        assert!(g[1].starts_with("VR01  \\  1  !  . "), "{}", g[1]);
        // Symmetric.
        assert!(g[2].starts_with("VR02  1  \\  . "), "{}", g[2]);
        assert!(g[3].starts_with("VR03  !  .  \\  + "), "{}", g[3]);
        assert!(g[25].trim_end().ends_with(".  \\"), "{}", g[25]);
        assert!(g[2].trim_end().ends_with(" 2"), "{}", g[2]);
        // Every line is as wide: columns line up.
        let widths: Vec<usize> = g[1..].iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}");
        assert_eq!(g[0].chars().count() + 1, widths[0]);
    }

    #[test]
    fn gaps_grouped_under_the_lower_region() {
        let uncovered = [
            pair("VR02", "VR10", 0),
            pair("VR03", "VR02", 0),
            pair("VR01", "VR03", 0),
        ];
        let g = gaps_by_region(&uncovered);
        let v: Vec<_> = g.into_iter().collect();
        assert_eq!(v, vec![("VR01", vec!["VR03"]), ("VR02", vec!["VR03", "VR10"])]);
    }

    #[test]
    fn key_names_every_region_once() {
        let k = key(3);
        assert_eq!(k.len(), 9);
        assert!(k[0].starts_with("01 Groningen "), "{}", k[0]);
        let all = k.join(" ");
        assert!(all.contains("25 Flevoland"));
        assert!(all.contains("06 Noord- en Oost-Gelderland"));
    }

    #[test]
    fn states_in_lifecycle_order() {
        let m = [("active", 3), ("proposed", 1), ("zzz", 2)]
            .into_iter()
            .map(|(s, n)| (s.to_string(), n))
            .collect();
        assert_eq!(by_state(Lang::En, &m), "proposed 1, active 3, zzz 2");
        assert_eq!(by_state(Lang::Nl, &m), "voorgesteld 1, actief 3, zzz 2");
        assert_eq!(by_state(Lang::Nl, &Default::default()), "geen");
    }
}
