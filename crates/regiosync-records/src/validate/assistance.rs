//! The rules of the assistance records that a record shows on its own (`assistance.proto`):
//! fields, ranges, codes, and who may take the step where the record says it (the requester is
//! the origin named in `request_id`, an offerer the origin named in `offer_id`). The rules that
//! need other records are `crate::acts::assistance` and derivation's.
use super::*;

/// Most lines of one request.
pub const MAX_LINES: usize = 50;
/// Most units one line asks, offers or commits.
pub const MAX_QUANTITY: u32 = 1_000;
/// Most lessons of one close.
pub const MAX_LESSONS: usize = 20;
/// A request may be written down up to this long after its needed-by time.
pub const NEEDED_BY_BEFORE_MS: i64 = 3_600_000;
/// A request's needed-by time lies at most this many days after it.
pub const NEEDED_BY_DAYS: i64 = 30;
/// An offer stands at most this many days.
pub const OFFER_DAYS: i64 = 7;
/// The first code-list version with the assistance lists.
pub const FIRST_CODE_LIST: u32 = 3;

pub(super) fn request(
    r: &pb::AssistanceRequest,
    env: &Envelope,
    codes: &CodeLists,
    members: &Federation,
) -> Result<()> {
    if Envelope::parse_generated_id(&env.id) != Some((env.origin, env.seq)) {
        return broken(
            "id",
            format!(
                "'{}' is not {}-{}: a request is named by its record id",
                env.id, env.origin, env.seq
            ),
        );
    }
    let lists = code_lists(codes, r.code_list_version)?;
    let incident = r.incident.as_ref().ok_or_else(|| Error::Missing("incident".into()))?;
    self::incident(incident, lists).map_err(under(|| "incident".into()))?;
    let location = r.location.as_ref().ok_or_else(|| Error::Missing("location".into()))?;
    self::location(location).map_err(under(|| "location".into()))?;
    let needed_by = parse_moment("needed_by", &r.needed_by)?;
    if needed_by < env.created_unix_ms - NEEDED_BY_BEFORE_MS {
        return broken(
            "needed_by",
            format!(
                "{} is more than an hour before the request was made ({})",
                r.needed_by,
                format_moment(env.created_unix_ms)
            ),
        );
    }
    if needed_by > env.created_unix_ms + NEEDED_BY_DAYS * MS_PER_DAY {
        return broken(
            "needed_by",
            format!(
                "{} is more than {NEEDED_BY_DAYS} days after the request was made",
                r.needed_by
            ),
        );
    }
    lines(&r.lines, lists)?;
    if let Some(a) = &r.addressing {
        addressing(a).map_err(under(|| "addressing".into()))?;
    }
    let national = r.addressing.as_ref().is_some_and(|a| a.national);
    addressed(&r.addressed, national, env, members)?;
    author(&r.author, env.origin)
}

fn code_lists(codes: &CodeLists, version: u32) -> Result<&CodeList> {
    let lists = codes.version("code_list_version", version)?;
    if version < FIRST_CODE_LIST {
        return broken(
            "code_list_version",
            format!("{version} has no assistance lists; name version {FIRST_CODE_LIST} or later"),
        );
    }
    Ok(lists)
}

fn incident(i: &pb::AssistanceIncident, lists: &CodeList) -> Result<()> {
    required_text("reference", &i.reference, 64)?;
    required_text("description", &i.description, MAX_LONG_TEXT)?;
    lists.check("escalation", list::ESCALATION_LEVELS, &i.escalation)?;
    lists.check("hazard", list::HAZARDS, &i.hazard)
}

fn location(l: &pb::AssistanceLocation) -> Result<()> {
    optional_text("municipality", &l.municipality, MAX_SHORT_TEXT)?;
    optional_text("description", &l.description, MAX_TEXT)?;
    if l.municipality.trim().is_empty() && l.description.trim().is_empty() {
        return broken("", "a municipality or a description is required");
    }
    match (l.latitude, l.longitude) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                return broken("latitude", format!("{lat} is outside -90 to 90"));
            }
            if !(-180.0..=180.0).contains(&lon) {
                return broken("longitude", format!("{lon} is outside -180 to 180"));
            }
            Ok(())
        }
        (Some(_), None) => broken("longitude", "required with latitude"),
        (None, Some(_)) => broken("latitude", "required with longitude"),
    }
}

/// Lines of resource types with quantities, as requests and offers have them: at most
/// [`MAX_LINES`], each type from the code list and once, each quantity 1 to [`MAX_QUANTITY`].
fn typed_lines<'a>(lines: impl ExactSizeIterator<Item = (&'a str, u32)>, lists: &CodeList) -> Result<()> {
    if lines.len() > MAX_LINES {
        return broken(
            "lines",
            format!("{} lines exceeds the limit of {MAX_LINES}", lines.len()),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, (t, quantity)) in lines.enumerate() {
        let at = || format!("lines[{i}]");
        lists
            .check("resource_type", list::RESOURCE_TYPES, t)
            .map_err(under(at))?;
        if !seen.insert(t) {
            return broken(format!("{}.resource_type", at()), format!("{t} is listed twice"));
        }
        range("quantity", quantity, 1, MAX_QUANTITY).map_err(under(at))?;
    }
    Ok(())
}

fn lines(lines: &[pb::RequestLine], lists: &CodeList) -> Result<()> {
    if lines.is_empty() {
        return Err(Error::Missing("lines".into()));
    }
    typed_lines(lines.iter().map(|l| (l.resource_type.as_str(), l.quantity)), lists)?;
    for (i, l) in lines.iter().enumerate() {
        let at = || format!("lines[{i}]");
        if l.minimum > l.quantity {
            return broken(
                format!("{}.minimum", at()),
                format!("{} exceeds the quantity {}", l.minimum, l.quantity),
            );
        }
        optional_text("remarks", &l.remarks, MAX_TEXT).map_err(under(at))?;
    }
    Ok(())
}

fn addressing(a: &pb::Addressing) -> Result<()> {
    let mut seen = BTreeSet::new();
    for (i, id) in a.agreements.iter().enumerate() {
        super::agreement::agreement_id(id).map_err(|e| e.within(&format!("agreements[{i}]")))?;
        if !seen.insert(id.as_str()) {
            return broken(format!("agreements[{i}]"), format!("{id} is listed twice"));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, m) in a.members.iter().enumerate() {
        let id = member(&format!("members[{i}]"), m)?;
        if !seen.insert(id) {
            return broken(format!("members[{i}]"), format!("{id} is listed twice"));
        }
    }
    Ok(())
}

/// Regions or partners, each once, never the requester, each in the audience; at least one
/// unless the national level is asked to route the request.
fn addressed(addressed: &[String], national: bool, env: &Envelope, members: &Federation) -> Result<()> {
    if addressed.is_empty() && !national {
        return broken(
            "addressed",
            "required (at least one member), unless addressing.national asks the national level",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, m) in addressed.iter().enumerate() {
        let at = format!("addressed[{i}]");
        let id = member(&at, m)?;
        match members.kind(id) {
            None => return broken(at, format!("{id} is not a member of this federation")),
            Some(MemberKind::National) => {
                return broken(
                    at,
                    format!("{id} is a national node: national nodes receive every request; ask them to route it with addressing.national"),
                )
            }
            Some(_) => {}
        }
        if id == env.origin {
            return broken(at, format!("{id} is the requester; a region does not ask itself"));
        }
        if !seen.insert(id) {
            return broken(at, format!("{id} is listed twice"));
        }
        if !members.may_see(id, env) {
            return broken("audience", format!("{id}, an addressed member, is missing"));
        }
    }
    Ok(())
}

/// A record id of the generated form (`VR17-42`); its origin.
fn record_id(field: &str, value: &str) -> Result<NodeId> {
    if value.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    Envelope::parse_generated_id(value)
        .map(|(origin, _)| origin)
        .ok_or_else(|| Error::invalid(field, format!("'{value}' is not a record id (<member>-<seq>)")))
}

/// The requester named by `request_id`, a region.
fn requester(request_id: &str, members: &Federation) -> Result<NodeId> {
    let id = record_id("request_id", request_id)?;
    if members.kind(id) != Some(MemberKind::Region) {
        return broken("request_id", format!("{request_id} is not a request of a region"));
    }
    Ok(id)
}

/// The requester may see the record.
fn requester_in_audience(requester: NodeId, env: &Envelope, members: &Federation) -> Result<()> {
    match members.may_see(requester, env) {
        true => Ok(()),
        false => broken("audience", format!("{requester}, the requester, is missing")),
    }
}

pub(super) fn offer(o: &pb::AssistanceOffer, env: &Envelope, codes: &CodeLists, members: &Federation) -> Result<()> {
    let requester = requester(&o.request_id, members)?;
    if requester == env.origin {
        return broken(
            "request_id",
            format!(
                "{} is {}'s own request; a member does not answer itself",
                o.request_id, env.origin
            ),
        );
    }
    let lists = code_lists(codes, o.code_list_version)?;
    if o.decline_reason.is_empty() {
        offer_lines(&o.lines, lists)?;
        parse_moment("eta", &o.eta)?;
        let until = parse_moment("valid_until", &o.valid_until)?;
        if until <= env.created_unix_ms {
            return broken(
                "valid_until",
                format!(
                    "{} is not after the offer was made ({})",
                    o.valid_until,
                    format_moment(env.created_unix_ms)
                ),
            );
        }
        if until > env.created_unix_ms + OFFER_DAYS * MS_PER_DAY {
            return broken(
                "valid_until",
                format!(
                    "{} is more than {OFFER_DAYS} days after the offer was made",
                    o.valid_until
                ),
            );
        }
    } else {
        lists.check("decline_reason", list::DECLINE_REASONS, &o.decline_reason)?;
        if !o.lines.is_empty() {
            return broken(
                "lines",
                "a decline offers nothing: leave lines empty or drop decline_reason",
            );
        }
        for (field, v) in [("eta", &o.eta), ("valid_until", &o.valid_until)] {
            if !v.is_empty() {
                return broken(field, "a decline has none");
            }
        }
    }
    optional_text("conditions", &o.conditions, MAX_LONG_TEXT)?;
    optional_text("note", &o.note, MAX_TEXT)?;
    if !o.agreement_id.is_empty() {
        super::agreement::agreement_id(&o.agreement_id)?;
    }
    requester_in_audience(requester, env, members)?;
    author(&o.author, env.origin)
}

fn offer_lines(lines: &[pb::OfferLine], lists: &CodeList) -> Result<()> {
    if lines.is_empty() {
        return broken("lines", "required (at least one), or a decline_reason");
    }
    typed_lines(lines.iter().map(|l| (l.resource_type.as_str(), l.quantity)), lists)?;
    for (i, l) in lines.iter().enumerate() {
        let at = || format!("lines[{i}]");
        let exceeds = l.reported_available.is_none_or(|a| l.quantity > a);
        if l.exceeds_available != exceeds {
            let shown = l
                .reported_available
                .map_or("no report".to_string(), |a| format!("{a} available"));
            return broken(
                format!("{}.exceeds_available", at()),
                format!("{} with quantity {} and {shown}", l.exceeds_available, l.quantity),
            );
        }
    }
    Ok(())
}

pub(super) fn acceptance(a: &pb::AssistanceAcceptance, env: &Envelope, members: &Federation) -> Result<()> {
    own_request(&a.request_id, env, members, "only the requester accepts offers")?;
    if a.commitments.is_empty() {
        return Err(Error::Missing("commitments".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, c) in a.commitments.iter().enumerate() {
        let at = || format!("commitments[{i}]");
        let offerer = record_id("offer_id", &c.offer_id).map_err(under(at))?;
        if offerer == env.origin {
            return broken(
                format!("{}.offer_id", at()),
                format!("{} is the requester's own record", c.offer_id),
            );
        }
        if c.resource_type.is_empty() {
            return Err(Error::Missing(format!("{}.resource_type", at())));
        }
        if !seen.insert((c.offer_id.as_str(), c.resource_type.as_str())) {
            return broken(
                at(),
                format!("{} of {} is committed twice", c.resource_type, c.offer_id),
            );
        }
        range("quantity", c.quantity, 1, MAX_QUANTITY).map_err(under(at))?;
        if !members.may_see(offerer, env) {
            return broken("audience", format!("{offerer}, whose offer is committed, is missing"));
        }
    }
    optional_text("note", &a.note, MAX_TEXT)?;
    author(&a.author, env.origin)
}

/// `request_id` names a request of the record's own origin; `why` completes the message.
fn own_request(request_id: &str, env: &Envelope, members: &Federation, why: &str) -> Result<NodeId> {
    let requester = requester(request_id, members)?;
    if requester != env.origin {
        return broken(
            "request_id",
            format!("{request_id} is {requester}'s request, not {}'s; {why}", env.origin),
        );
    }
    Ok(requester)
}

pub(super) fn deployment(
    d: &pb::AssistanceDeployment,
    env: &Envelope,
    codes: &CodeLists,
    members: &Federation,
) -> Result<()> {
    let requester = requester(&d.request_id, members)?;
    let lists = code_lists(codes, d.code_list_version)?;
    if requester == env.origin {
        if !d.offer_id.is_empty() {
            record_id("offer_id", &d.offer_id)?;
        }
        if d.state != "released" {
            return broken(
                "state",
                format!("'{}': the requester only releases units (released)", d.state),
            );
        }
    } else {
        let offerer = record_id("offer_id", &d.offer_id)?;
        if offerer != env.origin {
            return broken(
                "offer_id",
                format!(
                    "{} is {offerer}'s offer; {} reports only its own units",
                    d.offer_id, env.origin
                ),
            );
        }
    }
    if d.resource_type.is_empty() {
        return Err(Error::Missing("resource_type".into()));
    }
    lists.check("resource_type", list::RESOURCE_TYPES, &d.resource_type)?;
    lists.check("state", list::DEPLOYMENT_STATES, &d.state)?;
    match (d.state.as_str(), d.until.is_empty()) {
        ("extended", true) => return Err(Error::Missing("until".into())),
        ("extended", false) => {
            parse_moment("until", &d.until)?;
        }
        (_, false) => return broken("until", "only an extension has a new end time"),
        (_, true) => {}
    }
    optional_text("note", &d.note, MAX_TEXT)?;
    requester_in_audience(requester, env, members)?;
    author(&d.author, env.origin)
}

pub(super) fn close(c: &pb::AssistanceClose, env: &Envelope, codes: &CodeLists, members: &Federation) -> Result<()> {
    own_request(
        &c.request_id,
        env,
        members,
        "only the requester closes or cancels a request",
    )?;
    let lists = code_lists(codes, c.code_list_version)?;
    optional_text("note", &c.note, MAX_TEXT)?;
    if let Some(e) = &c.evaluation {
        if c.cancelled {
            return broken("evaluation", "a cancelled request has no evaluation of the assistance");
        }
        let at = || "evaluation".to_string();
        lists
            .check("cooperation", list::RATINGS, &e.cooperation)
            .map_err(under(at))?;
        if e.lessons.len() > MAX_LESSONS {
            return broken(
                "evaluation.lessons",
                format!("{} lessons exceeds the limit of {MAX_LESSONS}", e.lessons.len()),
            );
        }
        for (i, l) in e.lessons.iter().enumerate() {
            required_text(&format!("evaluation.lessons[{i}]"), l, MAX_TEXT)?;
        }
    }
    author(&c.author, env.origin)
}

/// A routing: the request copied is one that asked the national level; members asked anew,
/// regions or partners, each once, none asked before, all in the audience with the requester.
/// The copy's own fields are the requester's record's, checked where it was written, and
/// compared with the request itself by every node that holds it (derivation).
pub(super) fn routing(g: &pb::AssistanceRouting, env: &Envelope, members: &Federation) -> Result<()> {
    let requester = requester(&g.request_id, members)?;
    let copy = g.request.as_ref().ok_or_else(|| Error::Missing("request".into()))?;
    if !copy.addressing.as_ref().is_some_and(|a| a.national) {
        return broken(
            "request.addressing.national",
            format!("{} did not ask the national level to route it", g.request_id),
        );
    }
    if g.requested_unix_ms <= 0 {
        return Err(Error::Missing("requested_unix_ms".into()));
    }
    if g.members.is_empty() {
        return Err(Error::Missing("members".into()));
    }
    if g.members.len() > MAX_LINES {
        return broken(
            "members",
            format!("{} members exceeds the limit of {MAX_LINES}", g.members.len()),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, m) in g.members.iter().enumerate() {
        let at = format!("members[{i}]");
        let id = member(&at, m)?;
        match members.kind(id) {
            None => return broken(at, format!("{id} is not a member of this federation")),
            Some(MemberKind::National) => {
                return broken(at, format!("{id} is a national node; route to regions or partners"))
            }
            Some(_) if id == requester => return broken(at, format!("{id} is the requester")),
            Some(_) if copy.addressed.contains(m) => {
                return broken(at, format!("{id} was asked by the request itself"))
            }
            Some(_) => {}
        }
        if !seen.insert(id) {
            return broken(at, format!("{id} is listed twice"));
        }
        if !members.may_see(id, env) {
            return broken("audience", format!("{id}, a member routed to, is missing"));
        }
    }
    optional_text("note", &g.note, MAX_TEXT)?;
    requester_in_audience(requester, env, members)?;
    coordinator(&g.author)
}

/// A national coordinator as author: `coordinator:<name>`.
fn coordinator(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::Missing("author".into()));
    }
    optional_text("author", value, MAX_SHORT_TEXT)?;
    match value.strip_prefix("coordinator:") {
        Some(name) if !name.trim().is_empty() => Ok(()),
        _ => broken("author", format!("'{value}' is not of the form coordinator:<name>")),
    }
}
