//! How `agreement show` and `agreement list` print an agreement's derived state: every version
//! with its content hash, who signed and who is still awaited, rejections, withdrawal,
//! revocation, expiry and the records that do not count; and what a proposal or an act on an
//! agreement did.
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::{AgreementAction, RecordRef};
use regiosync_records::codes::list;
use regiosync_records::pb::{Agreement, AgreementView, VersionView};
use serde_json::json;

use super::ref_json;
use crate::render::table::Table;
use crate::render::{
    self, ago, agreement_state, code, field, moment_str, num, or_dash, print_json, region, regions, status_line, when,
    Out,
};

/// Version `version` of agreement `id` proposed as record `r`, with the content hash the
/// parties sign (as the node computed it; empty when it could not be read back).
pub fn proposed(out: Out, r: &RecordRef, id: &str, version: u32, hash: &str) -> Result<()> {
    if out.json {
        let mut j = ref_json(r);
        j["agreement_id"] = json!(id);
        j["version"] = json!(version);
        j["content_sha256"] = json!(hash);
        return print_json(&j);
    }
    let c = Catalog::of(out.lang);
    let args = Args::new()
        .text("id", id)
        .text("version", version.to_string())
        .text("record", &r.id)
        .text("region", region(&r.origin));
    out!("{}", c.t("cli-ag-proposed", &args));
    if !hash.is_empty() {
        out!("{}", c.t("cli-ag-hash", &Args::new().text("hash", hash)));
        out!("{}", c.s("cli-ag-review-and-sign"));
        out!("  regiosync agreement sign {id} --version {version} --hash {hash}");
    }
    Ok(())
}

/// `action` on agreement `id` written as record `r`, and the agreement's state after it as
/// the node then holds it (`view`, when it could be read).
pub fn acted(out: Out, action: AgreementAction, r: &RecordRef, id: &str, view: Option<&AgreementView>) -> Result<()> {
    if out.json {
        let mut j = ref_json(r);
        j["agreement_id"] = json!(id);
        j["state"] = json!(view.map(|v| v.state.clone()));
        return print_json(&j);
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let msg = match action {
        AgreementAction::Sign => "cli-ag-signed",
        AgreementAction::Reject => "cli-ag-rejected",
        AgreementAction::Withdraw => "cli-ag-withdrew",
        _ => "cli-ag-revoked",
    };
    let args = Args::new()
        .text("region", region(&r.origin))
        .text("id", id)
        .text("record", &r.id);
    out!("{}", c.t(msg, &args));
    if let Some(v) = view {
        let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
        let args = Args::new()
            .text("id", id)
            .text("state", agreement_state(lang, &v.state));
        out!("{}", c.t("cli-ag-now", &args));
        if let Some(n) = newest.filter(|n| !n.unsigned.is_empty() && n.rejected.is_empty()) {
            let args = Args::new()
                .text("version", n.version.to_string())
                .text("list", regions(&n.unsigned));
            out!("{}", c.t("cli-ag-still-waits", &args));
        }
        if let Some(w) = &v.withdrawal {
            let at = Args::new().text("at", when(lang, w.effective_unix_ms));
            out!("{}", c.t("cli-ag-withdrawal-effective", &at));
        }
    }
    Ok(())
}

/// An agreement's derived state, every version, and the records that do not count.
pub fn show(lang: Lang, v: &AgreementView) {
    let c = Catalog::of(lang);
    let newest = v.versions.iter().rev().find(|x| x.version == v.newest_version);
    let title = newest
        .and_then(|n| n.agreement.as_ref())
        .map_or("", |a| a.title.as_str());
    let args = Args::new().text("id", &v.agreement_id).text("title", title);
    out!("{}", c.t("cli-ag-title", &args));
    out!();
    field(&c.s("cli-ag-state"), state_line(lang, v));
    field(&c.s("cli-label-status"), status_line(lang, &v.status));
    field(
        &c.s("cli-ag-in-force"),
        if v.version_in_force == 0 {
            c.s("cli-ag-never-active")
        } else {
            v.version_in_force.to_string()
        },
    );
    field(&c.s("cli-ag-newest"), v.newest_version);
    if v.version_in_force != 0 {
        let until = v
            .versions
            .iter()
            .filter(|x| x.version == v.version_in_force && x.active_from_unix_ms != 0)
            .find_map(|x| x.agreement.as_ref()?.validity.as_ref())
            .map(|x| x.valid_until.clone())
            .unwrap_or_default();
        let left = match v.days_left {
            d if d >= 0 => c.t("cli-ag-days-left", &Args::new().count(lang, "n", d)),
            d => c.t("cli-ag-days-passed", &Args::new().count(lang, "n", -d)),
        };
        field(
            &c.s("cli-label-valid-until"),
            format!("{} ({left})", moment_str(lang, &until)),
        );
    }
    if let Some(w) = &v.withdrawal {
        let args = Args::new()
            .text("region", region(&w.party))
            .text("at", when(lang, w.at_unix_ms))
            .text("effective", when(lang, w.effective_unix_ms))
            .text("ago", ago(lang, w.effective_unix_ms));
        field(&c.s("cli-ag-withdrawal"), c.t("cli-ag-withdrawal-value", &args));
        field(&format!("  {}", c.s("cli-label-reason")), &w.reason);
    }
    if let Some(r) = &v.revocation {
        act_by(
            lang,
            ("cli-ag-revocation", ""),
            &r.party,
            r.at_unix_ms,
            &r.record_id,
            &r.reason,
        );
    }
    for ver in &v.versions {
        out!();
        version(lang, v, ver);
    }
    if !v.ignored.is_empty() {
        out!();
        out!("{}", c.s("cli-ag-ignored"));
        for i in &v.ignored {
            out!("  {:<12} {}", i.record_id, i.reason);
        }
    }
}

/// An act of one party with its reason (a revocation, a rejection), under the label `label.0`
/// indented by `label.1`: "door VR02 Fryslân op <moment> (gegeven VR02-7)", then the reason.
fn act_by(lang: Lang, label: (&str, &str), party: &str, at_unix_ms: i64, record_id: &str, reason: &str) {
    let c = Catalog::of(lang);
    let args = Args::new()
        .text("region", region(party))
        .text("at", when(lang, at_unix_ms))
        .text("record", record_id);
    field(&format!("{}{}", label.1, c.s(label.0)), c.t("cli-ag-act-by", &args));
    field(&format!("{}  {}", label.1, c.s("cli-label-reason")), reason);
}

fn state_line(lang: Lang, v: &AgreementView) -> String {
    let mut s = agreement_state(lang, &v.state);
    if v.expiring_soon {
        let n = Args::new().count(lang, "n", v.days_left);
        s.push_str("   ");
        s.push_str(&Catalog::of(lang).t("cli-ag-expiring-soon", &n));
    }
    s
}

fn version(lang: Lang, v: &AgreementView, ver: &VersionView) {
    let c = Catalog::of(lang);
    let meta = ver.record.clone().unwrap_or_default();
    let a = ver.agreement.clone().unwrap_or_default();
    let cl = a.code_list_version;
    let label = |id: &str| format!("  {}", c.s(id));
    let args = Args::new()
        .text("version", ver.version.to_string())
        .text("state", agreement_state(lang, &ver.state))
        .text("record", &meta.id);
    out!("{}", c.t("cli-ag-version", &args));
    field(&label("cli-ag-content-hash"), &ver.content_sha256);
    let args = Args::new()
        .text("at", when(lang, meta.created_unix_ms))
        .text("author", or_dash(&a.author))
        .text("ago", ago(lang, meta.created_unix_ms));
    field(&label("cli-ag-proposed-label"), c.t("cli-ag-proposed-value", &args));
    let parties: Vec<String> = a
        .parties
        .iter()
        .map(|p| {
            format!(
                "{} ({})",
                region(&p.region),
                render::code_name(lang, cl, list::PARTY_ROLES, &p.role).to_lowercase()
            )
        })
        .collect();
    field(&label("cli-ag-parties"), parties.join(", "));
    for s in &ver.signed {
        let args = Args::new()
            .text("region", region(&s.party))
            .text("at", when(lang, s.at_unix_ms))
            .text("author", &s.author)
            .text("record", &s.record_id);
        field(&label("cli-ag-signed-label"), c.t("cli-ag-signed-value", &args));
    }
    if !ver.unsigned.is_empty() && matches!(ver.state.as_str(), "proposed" | "partially_signed") {
        let args = Args::new()
            .text("list", regions(&ver.unsigned))
            .text("at", when(lang, meta.created_unix_ms))
            .text("ago", ago(lang, meta.created_unix_ms));
        field(&label("cli-ag-not-signed-yet"), c.t("cli-ag-waiting-since", &args));
        if !ver.content_sha256.is_empty() {
            field(
                &label("cli-ag-to-sign"),
                format!(
                    "regiosync agreement sign {} --version {} --hash {}",
                    v.agreement_id, ver.version, ver.content_sha256
                ),
            );
        }
    } else if !ver.unsigned.is_empty() {
        field(&label("cli-ag-never-signed-by"), regions(&ver.unsigned));
    }
    for r in &ver.rejected {
        act_by(
            lang,
            ("cli-ag-rejection", "  "),
            &r.party,
            r.at_unix_ms,
            &r.record_id,
            &r.reason,
        );
    }
    if ver.active_from_unix_ms != 0 {
        field(&label("cli-ag-active-from"), when(lang, ver.active_from_unix_ms));
    }
    // The full content of the versions that matter: the one in force and the newest.
    if ver.version == v.version_in_force || ver.version == v.newest_version {
        content(lang, &a);
    }
}

fn content(lang: Lang, a: &Agreement) {
    let c = Catalog::of(lang);
    let cl = a.code_list_version;
    let label = |id: &str| format!("  {}", c.s(id));
    field(&label("cli-ag-title-label"), &a.title);
    if !a.purpose.is_empty() {
        field(&label("cli-ag-purpose"), &a.purpose);
    }
    if let Some(s) = &a.scope {
        let hazards: Vec<String> = s.hazards.iter().map(|h| code(lang, cl, list::HAZARDS, h)).collect();
        field(&label("cli-ag-hazards"), hazards.join(", "));
        for (i, r) in s.resources.iter().enumerate() {
            let l = if i == 0 {
                label("cli-ag-resources")
            } else {
                String::new()
            };
            field(
                &l,
                format!(
                    "{:>5}  {}",
                    num(lang, r.max_quantity),
                    render::resource(lang, cl, &r.resource_type)
                ),
            );
        }
        field(&label("cli-ag-area"), &s.area);
    }
    if let Some(act) = &a.activation {
        let who: Vec<String> = act
            .may_request
            .iter()
            .map(|f| code(lang, cl, list::CRISIS_FUNCTIONS, f))
            .collect();
        field(&label("cli-ag-may-request"), who.join(", "));
        field(
            &label("cli-ag-from-escalation"),
            code(lang, cl, list::ESCALATION_LEVELS, &act.min_escalation),
        );
        let n = Args::new().count(lang, "n", i64::from(act.target_response_minutes));
        field(&label("cli-ag-under-way"), c.t("cli-minutes", &n));
        field(&label("cli-ag-procedure"), &act.procedure);
    }
    field(&label("cli-ag-costs"), &a.cost_reimbursement);
    field(&label("cli-ag-command"), &a.command_and_liability);
    if let Some(val) = &a.validity {
        let args = Args::new()
            .text("from", moment_str(lang, &val.effective_from))
            .text("to", moment_str(lang, &val.valid_until))
            .count(lang, "days", i64::from(val.notice_days));
        field(&label("cli-ag-valid"), c.t("cli-ag-valid-value", &args));
    }
    let v = Args::new().text("version", cl.to_string());
    field(&label("cli-ag-code-lists"), c.t("cli-ag-code-lists-value", &v));
}

/// The agreements, one line each, with what needs attention.
pub fn print_list(lang: Lang, all: &[AgreementView]) {
    let c = Catalog::of(lang);
    let mut t = Table::of(
        lang,
        &[
            "cli-col-agreement",
            "cli-col-title",
            "cli-col-parties",
            "cli-col-state",
            "cli-col-in-force",
            "cli-col-newest",
            "cli-col-valid-until",
            "cli-col-notes",
        ],
    )
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
        if let Some(m) = Some(render::status_marker(lang, &v.status)).filter(|m| !m.is_empty()) {
            notes.push(m);
        }
        if v.expiring_soon {
            let n = Args::new().count(lang, "n", v.days_left);
            notes.push(c.t("cli-ag-note-expiring", &n));
        }
        if let Some(n) = newest.filter(|n| matches!(n.state.as_str(), "proposed" | "partially_signed")) {
            let since = n.record.as_ref().map_or(0, |m| m.created_unix_ms);
            let args = Args::new()
                .text("list", n.unsigned.join(","))
                .text("ago", ago(lang, since));
            notes.push(c.t("cli-ag-note-waits", &args));
        }
        if let Some(w) = &v.withdrawal {
            let args = Args::new()
                .text("party", &w.party)
                .text("at", when(lang, w.effective_unix_ms));
            notes.push(c.t("cli-ag-note-withdrawal", &args));
        }
        if !v.ignored.is_empty() {
            let n = Args::new().count(lang, "n", v.ignored.len() as i64);
            notes.push(c.t("cli-ag-note-ignored", &n));
        }
        t.row(vec![
            v.agreement_id.clone(),
            truncate(&shown.title, 48),
            parties.join(", "),
            agreement_state(lang, &v.state),
            if v.version_in_force == 0 {
                "-".into()
            } else {
                v.version_in_force.to_string()
            },
            v.newest_version.to_string(),
            shown
                .validity
                .map(|x| moment_str(lang, &x.valid_until))
                .unwrap_or_default(),
            notes.join("; "),
        ]);
    }
    out!("{}", t.render().trim_end_matches('\n'));
    let n = Args::new().count(lang, "n", all.len() as i64);
    out!("{}", c.t("cli-ag-count", &n));
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(max - 3).collect::<String>())
    }
}
