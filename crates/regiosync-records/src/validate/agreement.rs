//! The rules of agreements: parties, scope, activation, validity, the agreement id.
use super::*;

pub(super) fn agreement(a: &pb::Agreement, env: &Envelope, codes: &CodeLists, members: &Federation) -> Result<()> {
    agreement_id(&a.agreement_id)?;
    at_least_one("version", a.version)?;
    let lists = codes.version("code_list_version", a.code_list_version)?;
    required_text("title", &a.title, MAX_SHORT_TEXT)?;
    optional_text("purpose", &a.purpose, MAX_LONG_TEXT)?;
    parties(&a.parties, env, lists, members)?;
    let scope = a.scope.as_ref().ok_or_else(|| Error::Missing("scope".into()))?;
    self::scope(scope, lists).map_err(under(|| "scope".into()))?;
    let activation = a
        .activation
        .as_ref()
        .ok_or_else(|| Error::Missing("activation".into()))?;
    self::activation(activation, lists).map_err(under(|| "activation".into()))?;
    required_text("cost_reimbursement", &a.cost_reimbursement, MAX_LONG_TEXT)?;
    required_text("command_and_liability", &a.command_and_liability, MAX_LONG_TEXT)?;
    let validity = a.validity.as_ref().ok_or_else(|| Error::Missing("validity".into()))?;
    self::validity(validity).map_err(under(|| "validity".into()))?;
    author(&a.author, env.origin)
}

/// At least two distinct regions with roles; the origin among them; someone who can assist and
/// someone who can request; every party in the envelope's audience.
fn parties(parties: &[pb::Party], env: &Envelope, lists: &CodeList, members: &Federation) -> Result<()> {
    if parties.len() < 2 {
        return broken("parties", format!("at least 2 required, got {}", parties.len()));
    }
    let mut seen = BTreeSet::new();
    let (mut can_request, mut can_assist) = (false, false);
    for (i, p) in parties.iter().enumerate() {
        let at = || format!("parties[{i}]");
        let id = region("region", &p.region, members).map_err(under(at))?;
        if !seen.insert(id) {
            return broken(format!("{}.region", at()), format!("{id} is listed twice"));
        }
        lists.check("role", list::PARTY_ROLES, &p.role).map_err(under(at))?;
        can_request |= matches!(p.role.as_str(), "requesting" | "both");
        can_assist |= matches!(p.role.as_str(), "assisting" | "both");
    }
    if !seen.contains(&env.origin) {
        return broken("parties", format!("{}, the origin, is not a party", env.origin));
    }
    if !can_assist {
        return broken("parties", "no party can assist (role assisting or both)");
    }
    if !can_request {
        return broken("parties", "no party can request (role requesting or both)");
    }
    if let Some(missing) = parties
        .iter()
        .filter_map(|p| p.region.parse::<NodeId>().ok())
        .find(|id| !members.may_see(*id, env))
    {
        return broken("audience", format!("{missing}, a party, is missing"));
    }
    Ok(())
}

fn scope(s: &pb::Scope, lists: &CodeList) -> Result<()> {
    codes_once("hazards", &s.hazards, list::HAZARDS, lists)?;
    if s.resources.is_empty() {
        return Err(Error::Missing("resources".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, r) in s.resources.iter().enumerate() {
        let at = || format!("resources[{i}]");
        lists
            .check("resource_type", list::RESOURCE_TYPES, &r.resource_type)
            .map_err(under(at))?;
        if !seen.insert(r.resource_type.as_str()) {
            return broken(
                format!("{}.resource_type", at()),
                format!("{} is listed twice", r.resource_type),
            );
        }
        range("max_quantity", r.max_quantity, 1, 10_000).map_err(under(at))?;
    }
    required_text("area", &s.area, MAX_TEXT)
}

fn activation(a: &pb::Activation, lists: &CodeList) -> Result<()> {
    codes_once("may_request", &a.may_request, list::CRISIS_FUNCTIONS, lists)?;
    lists.check("min_escalation", list::ESCALATION_LEVELS, &a.min_escalation)?;
    range("target_response_minutes", a.target_response_minutes, 1, 1_440)?;
    required_text("procedure", &a.procedure, MAX_LONG_TEXT)
}

fn validity(v: &pb::Validity) -> Result<()> {
    let from = parse_date("effective_from", &v.effective_from)?;
    let until = parse_date("valid_until", &v.valid_until)?;
    if until <= from {
        return broken(
            "valid_until",
            format!("{} is not after effective_from {}", v.valid_until, v.effective_from),
        );
    }
    at_most("notice_days", v.notice_days, 730)
}

/// "3 to 64 characters, letters, digits and '-'".
pub(super) fn agreement_id(v: &str) -> Result<()> {
    token(
        "agreement_id",
        v,
        3,
        64,
        |c| c.is_ascii_alphanumeric() || c == '-',
        "letters, digits and '-'",
    )
}
