//! The rules of capacity reports and their lines.
use super::*;

pub(super) fn capacity(c: &pb::CapacityReport, env: &Envelope, codes: &CodeLists) -> Result<()> {
    own_region(
        "region",
        &c.region,
        env.origin,
        "a region reports only its own capacity",
    )?;
    let as_of = parse_moment("as_of", &c.as_of)?;
    if as_of > env.created_unix_ms.saturating_add(MAX_AS_OF_AHEAD_MS) {
        return broken(
            "as_of",
            format!(
                "{} is more than one hour after the record was created ({})",
                c.as_of,
                format_moment(env.created_unix_ms)
            ),
        );
    }
    let until = parse_moment("valid_until", &c.valid_until)?;
    if until <= as_of {
        return broken(
            "valid_until",
            format!("{} is not after as_of {}", c.valid_until, c.as_of),
        );
    }
    if until - as_of > MAX_VALIDITY_DAYS * MS_PER_DAY {
        return broken(
            "valid_until",
            format!(
                "{} is more than {MAX_VALIDITY_DAYS} days after as_of {}",
                c.valid_until, c.as_of
            ),
        );
    }
    let lists = codes.version("code_list_version", c.code_list_version)?;
    if c.entries.is_empty() {
        return Err(Error::Missing("entries".into()));
    }
    let mut seen = BTreeSet::new();
    for (i, e) in c.entries.iter().enumerate() {
        capacity_entry(e, &mut seen, lists).map_err(under(|| format!("entries[{i}]")))?;
    }
    optional_text("remarks", &c.remarks, MAX_LONG_TEXT)?;
    author(&c.author, env.origin)
}

fn capacity_entry<'a>(e: &'a pb::CapacityEntry, seen: &mut BTreeSet<&'a str>, lists: &CodeList) -> Result<()> {
    lists.check("resource_type", list::RESOURCE_TYPES, &e.resource_type)?;
    if !seen.insert(&e.resource_type) {
        return broken("resource_type", format!("{} is listed twice", e.resource_type));
    }
    at_most("baseline", e.baseline, MAX_UNITS)?;
    if e.available > e.baseline {
        return broken("available", format!("{} exceeds baseline {}", e.available, e.baseline));
    }
    let total = u64::from(e.available) + u64::from(e.committed) + u64::from(e.out_of_service);
    if total > u64::from(e.baseline) {
        // The whole line is wrong, not one field: the error names the entry itself.
        return broken(
            "",
            format!(
                "available {} + committed {} + out of service {} = {total} exceeds baseline {}",
                e.available, e.committed, e.out_of_service, e.baseline
            ),
        );
    }
    if let Some(s24) = e.surge_24h {
        at_most("surge_24h", s24, MAX_UNITS)?;
    }
    if let Some(s72) = e.surge_72h {
        at_most("surge_72h", s72, MAX_UNITS)?;
        if let Some(s24) = e.surge_24h.filter(|s24| s72 < *s24) {
            return broken("surge_72h", format!("{s72} is less than surge_24h {s24}"));
        }
    }
    lists.check("status", list::RESOURCE_STATUS, &e.status)?;
    optional_text("remarks", &e.remarks, MAX_TEXT)
}
