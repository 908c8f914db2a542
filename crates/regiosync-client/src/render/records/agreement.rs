//! How `agreement show` and `agreement list` print an agreement's derived state: every version
//! with its content hash, who signed and who is still awaited, rejections, withdrawal,
//! revocation, expiry and the records that do not count; and what a proposal or an act on an
//! agreement did.
use anyhow::Result;
use regiosync_node::pb::{AgreementAction, RecordRef};
use regiosync_records::codes::list;
use regiosync_records::pb::{Agreement, AgreementView, VersionView};
use serde_json::json;

use super::ref_json;
use crate::render::table::Table;
use crate::render::{self, ago, code, field, or_dash, print_json, region, regions, status_line, when};

/// Version `version` of agreement `id` proposed as record `r`, with the content hash the
/// parties sign (as the node computed it; empty when it could not be read back).
pub fn proposed(json: bool, r: &RecordRef, id: &str, version: u32, hash: &str) -> Result<()> {
    if json {
        let mut j = ref_json(r);
        j["agreement_id"] = json!(id);
        j["version"] = json!(version);
        j["content_sha256"] = json!(hash);
        return print_json(&j);
    }
    out!(
        "proposed agreement {id} version {version} as record {} ({})",
        r.id,
        region(&r.origin)
    );
    if !hash.is_empty() {
        out!("content hash {hash}");
        out!("every party reviews it and signs with:");
        out!("  regiosync agreement sign {id} --version {version} --hash {hash}");
    }
    Ok(())
}

/// `action` on agreement `id` written as record `r`, and the agreement's state after it as
/// the node then holds it (`view`, when it could be read).
pub fn acted(json: bool, action: AgreementAction, r: &RecordRef, id: &str, view: Option<&AgreementView>) -> Result<()> {
    if json {
        let mut j = ref_json(r);
        j["agreement_id"] = json!(id);
        j["state"] = json!(view.map(|v| v.state.clone()));
        return print_json(&j);
    }
    let verb = match action {
        AgreementAction::Sign => "signed",
        AgreementAction::Reject => "rejected",
        AgreementAction::Withdraw => "withdrew from",
        _ => "revoked",
    };
    out!("{} {verb} agreement {id} (record {})", region(&r.origin), r.id);
    if let Some(v) = view {
        let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
        out!("agreement {id} is now {}", v.state);
        if let Some(n) = newest.filter(|n| !n.unsigned.is_empty() && n.rejected.is_empty()) {
            out!("version {} still waits for {}", n.version, regions(&n.unsigned));
        }
        if let Some(w) = &v.withdrawal {
            out!("the withdrawal takes effect {}", when(w.effective_unix_ms));
        }
    }
    Ok(())
}

/// An agreement's derived state, every version, and the records that do not count.
pub fn show(v: &AgreementView) {
    let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
    let title = newest
        .and_then(|n| n.agreement.as_ref())
        .map_or("", |a| a.title.as_str());
    out!("Agreement {}: {title}", v.agreement_id);
    out!();
    field("state", state_line(v));
    field("status", status_line(&v.status));
    field(
        "version in force",
        if v.version_in_force == 0 {
            "none (never active)".into()
        } else {
            v.version_in_force.to_string()
        },
    );
    field("newest version", v.newest_version);
    if v.version_in_force != 0 {
        let until = v
            .versions
            .iter()
            .filter(|x| x.version == v.version_in_force && x.active_from_unix_ms != 0)
            .find_map(|x| x.agreement.as_ref()?.validity.as_ref())
            .map(|x| x.valid_until.clone())
            .unwrap_or_default();
        let left = if v.days_left >= 0 {
            format!("{} days left", v.days_left)
        } else {
            format!("passed {} days ago", -v.days_left)
        };
        field("valid until", format!("{} ({left})", or_dash(&until)));
    }
    if let Some(w) = &v.withdrawal {
        field(
            "WITHDRAWAL",
            format!(
                "by {} on {}, takes effect {} ({})",
                region(&w.party),
                when(w.at_unix_ms),
                when(w.effective_unix_ms),
                ago(w.effective_unix_ms)
            ),
        );
        field("  reason", &w.reason);
    }
    if let Some(r) = &v.revocation {
        act_by(("REVOKED", "  reason"), &r.party, r.at_unix_ms, &r.record_id, &r.reason);
    }
    for ver in &v.versions {
        out!();
        version(v, ver);
    }
    if !v.ignored.is_empty() {
        out!();
        out!("Records about this agreement that do not count:");
        for i in &v.ignored {
            out!("  {:<12} {}", i.record_id, i.reason);
        }
    }
}

/// An act of one party with its reason (a revocation, a rejection), under `labels`: "by VR02
/// Fryslân on <moment> (record VR02-7)", then the reason.
fn act_by(labels: (&str, &str), party: &str, at_unix_ms: i64, record_id: &str, reason: &str) {
    field(
        labels.0,
        format!("by {} on {} (record {record_id})", region(party), when(at_unix_ms)),
    );
    field(labels.1, reason);
}

fn state_line(v: &AgreementView) -> String {
    let mut s = v.state.clone();
    if v.expiring_soon {
        s.push_str(&format!("   << EXPIRING SOON: {} days left >>", v.days_left));
    }
    s
}

fn version(v: &AgreementView, ver: &VersionView) {
    let meta = ver.record.clone().unwrap_or_default();
    let a = ver.agreement.clone().unwrap_or_default();
    let cl = a.code_list_version;
    out!("Version {}  [{}]  record {}", ver.version, ver.state, meta.id);
    field("  content hash", &ver.content_sha256);
    field(
        "  proposed",
        format!(
            "{} by {} ({})",
            when(meta.created_unix_ms),
            or_dash(&a.author),
            ago(meta.created_unix_ms)
        ),
    );
    let parties: Vec<String> = a
        .parties
        .iter()
        .map(|p| {
            format!(
                "{} ({})",
                region(&p.region),
                render::code_name(cl, list::PARTY_ROLES, &p.role).to_lowercase()
            )
        })
        .collect();
    field("  parties", parties.join(", "));
    for s in &ver.signed {
        field(
            "  signed",
            format!(
                "{}  {}  by {}  (record {})",
                region(&s.party),
                when(s.at_unix_ms),
                s.author,
                s.record_id
            ),
        );
    }
    if !ver.unsigned.is_empty() && matches!(ver.state.as_str(), "proposed" | "partially_signed") {
        field(
            "  NOT SIGNED YET",
            format!(
                "{}: waiting since {} ({})",
                regions(&ver.unsigned),
                when(meta.created_unix_ms),
                ago(meta.created_unix_ms),
            ),
        );
        if !ver.content_sha256.is_empty() {
            field(
                "  to sign",
                format!(
                    "regiosync agreement sign {} --version {} --hash {}",
                    v.agreement_id, ver.version, ver.content_sha256
                ),
            );
        }
    } else if !ver.unsigned.is_empty() {
        field("  never signed by", regions(&ver.unsigned));
    }
    for r in &ver.rejected {
        act_by(
            ("  REJECTED", "    reason"),
            &r.party,
            r.at_unix_ms,
            &r.record_id,
            &r.reason,
        );
    }
    if ver.active_from_unix_ms != 0 {
        field("  active from", when(ver.active_from_unix_ms));
    }
    // The full content of the versions that matter: the one in force and the newest.
    if ver.version == v.version_in_force || ver.version == v.newest_version {
        content(&a);
    }
}

fn content(a: &Agreement) {
    let cl = a.code_list_version;
    field("  title", &a.title);
    if !a.purpose.is_empty() {
        field("  purpose", &a.purpose);
    }
    if let Some(s) = &a.scope {
        let hazards: Vec<String> = s.hazards.iter().map(|h| code(cl, list::HAZARDS, h)).collect();
        field("  hazards", hazards.join(", "));
        for (i, r) in s.resources.iter().enumerate() {
            let label = if i == 0 { "  resources (max)" } else { "" };
            field(
                label,
                format!("{:>5}  {}", r.max_quantity, render::resource(cl, &r.resource_type)),
            );
        }
        field("  area", &s.area);
    }
    if let Some(act) = &a.activation {
        let who: Vec<String> = act
            .may_request
            .iter()
            .map(|f| code(cl, list::CRISIS_FUNCTIONS, f))
            .collect();
        field("  may request", who.join(", "));
        field(
            "  from escalation",
            code(cl, list::ESCALATION_LEVELS, &act.min_escalation),
        );
        field("  under way within", format!("{} minutes", act.target_response_minutes));
        field("  procedure", &act.procedure);
    }
    field("  costs", &a.cost_reimbursement);
    field("  command/liability", &a.command_and_liability);
    if let Some(val) = &a.validity {
        field(
            "  valid",
            format!(
                "{} to {}, notice {} days",
                val.effective_from, val.valid_until, val.notice_days
            ),
        );
    }
    field("  code lists", format!("version {cl}"));
}

/// The agreements, one line each, with what needs attention.
pub fn print_list(all: &[AgreementView]) {
    let mut t = Table::new(&[
        "agreement",
        "title",
        "parties",
        "state",
        "in force",
        "newest",
        "valid until",
        "notes",
    ])
    .right(&[4, 5]);
    for v in all {
        let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
        let shown = v
            .versions
            .iter()
            .rev()
            .find(|x| x.version == v.version_in_force)
            .or(newest)
            .and_then(|x| x.agreement.clone())
            .unwrap_or_default();
        let parties: Vec<String> = shown.parties.iter().map(|p| region(&p.region)).collect();
        let mut notes = Vec::new();
        if let Some(m) = Some(render::status_marker(&v.status)).filter(|m| !m.is_empty()) {
            notes.push(m.to_string());
        }
        if v.expiring_soon {
            notes.push(format!("EXPIRING SOON ({} d)", v.days_left));
        }
        if let Some(n) = newest.filter(|n| matches!(n.state.as_str(), "proposed" | "partially_signed")) {
            let since = n.record.as_ref().map_or(0, |m| m.created_unix_ms);
            notes.push(format!("waits for {} since {}", n.unsigned.join(","), ago(since)));
        }
        if let Some(w) = &v.withdrawal {
            notes.push(format!(
                "withdrawal by {} effective {}",
                w.party,
                when(w.effective_unix_ms)
            ));
        }
        if !v.ignored.is_empty() {
            notes.push(format!("{} ignored records", v.ignored.len()));
        }
        t.row(vec![
            v.agreement_id.clone(),
            truncate(&shown.title, 48),
            parties.join(", "),
            v.state.clone(),
            if v.version_in_force == 0 {
                "-".into()
            } else {
                v.version_in_force.to_string()
            },
            v.newest_version.to_string(),
            shown.validity.map(|x| x.valid_until).unwrap_or_default(),
            notes.join("; "),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    out!("{} agreements", all.len());
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(max - 3).collect::<String>())
    }
}
