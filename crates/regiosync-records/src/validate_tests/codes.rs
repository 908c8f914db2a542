//! The shipped code lists: every list parses, keeps its order and labels, and names what is
//! wrong in a bad file.
use super::*;

const V1: &str = include_str!("../../../../config/codelists/v1.toml");

fn parse_error(text: &str) -> String {
    CodeList::parse("v1.toml", Some(1), text).unwrap_err().to_string()
}

#[test]
fn every_shipped_list_parses() {
    let lists = CodeLists::shipped();
    let versions: Vec<u32> = lists.all().iter().map(|v| v.version).collect();
    assert_eq!(versions, [1, 2, 3]);
    assert_eq!(lists.latest().version, 3);
    for v in lists.all() {
        parse_date("published", &v.published).unwrap();
        for name in list::ALL {
            let absent = v.version < 3 && list::SINCE_V3.contains(&name);
            assert_eq!(v.codes(name).is_empty(), absent, "version {} list {name}", v.version);
        }
        assert!(v.codes(list::RESOURCE_TYPES).len() >= 30, "version {}", v.version);
        assert_eq!(v.codes(list::RATED_AREAS).len(), 8);
        for (code, c) in v.codes(list::RESOURCE_TYPES) {
            assert!(c.group.is_some(), "{code} has no group");
        }
    }
}

#[test]
fn codes_keep_their_shipped_order_and_labels() {
    let v1 = CodeLists::shipped().version("v", 1).unwrap();
    let ratings: Vec<&str> = v1.codes(list::RATINGS).into_iter().map(|(c, _)| c).collect();
    assert_eq!(ratings, ["P", "S", "M", "U", "NO"]);
    assert_eq!(v1.codes(list::RESOURCE_TYPES)[0].0, "TS");
    let ts = v1.get(list::RESOURCE_TYPES, "TS").unwrap();
    assert_eq!(
        (ts.name.as_str(), ts.group.as_deref()),
        ("Tankautospuit", Some("brandweer"))
    );
    assert_eq!(v1.get(list::RESOURCE_TYPES, "ts"), None, "codes are case-sensitive");
    assert_eq!(v1.get("no_such_list", "TS"), None);
    assert!(v1.codes("no_such_list").is_empty());
}

#[test]
fn version_two_keeps_every_code_of_version_one_but_grip_rijk() {
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    for name in list::ALL {
        for (code, _) in v1.codes(name) {
            let kept = v2.contains(name, code);
            assert_eq!(kept, code != "GRIP_RIJK", "{name} {code}");
        }
    }
    assert!(v2.contains(list::RESOURCE_TYPES, "DRONE") && !v1.contains(list::RESOURCE_TYPES, "DRONE"));
}

#[test]
fn unknown_versions_are_named() {
    let lists = CodeLists::shipped();
    assert_eq!(
        lists.version("code_list_version", 9).unwrap_err().to_string(),
        "code_list_version: version 9 is not known here (known: 1, 2, 3)"
    );
    assert_eq!(
        lists.version("code_list_version", 0).unwrap_err().to_string(),
        "code_list_version: required"
    );
}

#[test]
fn check_names_field_code_list_and_version() {
    let v1 = CodeLists::shipped().version("v", 1).unwrap();
    v1.check("x", list::RESOURCE_TYPES, "TS").unwrap();
    assert_eq!(
        v1.check("entries[3].resource_type", list::RESOURCE_TYPES, "XX")
            .unwrap_err()
            .to_string(),
        "entries[3].resource_type: 'XX' is not in code list resource_types version 1"
    );
    assert_eq!(
        v1.check("entries[3].resource_type", list::RESOURCE_TYPES, "")
            .unwrap_err()
            .to_string(),
        "entries[3].resource_type: required"
    );
}

#[test]
fn grip_rijk_exists_in_version_one_only() {
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    v1.check("level", list::ESCALATION_LEVELS, "GRIP_RIJK").unwrap();
    assert_eq!(
        v2.check("level", list::ESCALATION_LEVELS, "GRIP_RIJK")
            .unwrap_err()
            .to_string(),
        "level: 'GRIP_RIJK' is not in code list escalation_levels version 2"
    );
    v2.check("level", list::ESCALATION_LEVELS, "REGIONAAL").unwrap();
    assert_eq!(
        v1.check("level", list::ESCALATION_LEVELS, "REGIONAAL")
            .unwrap_err()
            .to_string(),
        "level: 'REGIONAAL' is not in code list escalation_levels version 1"
    );
}

#[test]
fn escalation_levels_are_ranked() {
    use std::cmp::Ordering::*;
    let lists = CodeLists::shipped();
    let (v1, v2) = (lists.version("v", 1).unwrap(), lists.version("v", 2).unwrap());
    let ranks: Vec<Option<usize>> = ["GRIP0", "GRIP1", "GRIP2", "GRIP3", "GRIP4", "GRIP5", "GRIP_RIJK"]
        .iter()
        .map(|c| v1.rank(list::ESCALATION_LEVELS, c))
        .collect();
    assert_eq!(ranks, (0..7).map(Some).collect::<Vec<_>>());
    assert_eq!(v2.compare(list::ESCALATION_LEVELS, "REGIONAAL", "GRIP4"), Some(Equal));
    assert_eq!(v2.compare(list::ESCALATION_LEVELS, "REGIONAAL", "GRIP3"), Some(Greater));
    assert_eq!(
        v2.compare(list::ESCALATION_LEVELS, "OPERATIONEEL", "BOVENREGIONAAL"),
        Some(Less)
    );
    assert_eq!(v2.rank(list::ESCALATION_LEVELS, "GRIP_RIJK"), None);
    // Lists without ranks are ordered as shipped.
    assert_eq!(v1.rank(list::RATINGS, "M"), Some(2));
}

#[test]
fn a_file_must_declare_its_own_version() {
    let text = V1.replacen("version = 1", "version = 2", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: version: 2 does not match the file, which holds version 1"
    );
}

#[test]
fn a_code_is_listed_once() {
    let text = V1.replacen("code = \"HV\"", "code = \"TS\"", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[1].code: 'TS' is listed twice"
    );
}

#[test]
fn every_list_must_be_present() {
    let text = V1.replace("[[hazards]]", "[[other_hazards]]");
    assert!(
        parse_error(&text).starts_with("v1.toml: not a code-list file at line "),
        "{}",
        parse_error(&text)
    );
    let cut = V1.find("# What an evaluation is about.").unwrap();
    let text = format!(
        "{}{}",
        &V1[..cut],
        &V1[V1.find("# How an evaluation was made.").unwrap()..]
    );
    let err = parse_error(&text);
    assert!(err.contains("missing field `event_kinds`"), "{err}");
}

#[test]
fn unknown_fields_are_refused() {
    let text = V1.replacen(
        "name = \"Tankautospuit\"",
        "name = \"Tankautospuit\"\ncolour = \"red\"",
        1,
    );
    let err = parse_error(&text);
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn there_are_exactly_eight_rated_areas() {
    let text = V1.replacen(
        "[[rated_areas]]\ncode = \"samenwerking\"",
        "[[ratings]]\ncode = \"X\"",
        1,
    );
    assert_eq!(
        parse_error(&text),
        "v1.toml: rated_areas: 7 areas; there must be exactly 8"
    );
}

#[test]
fn only_escalation_levels_have_ranks() {
    let text = V1.replacen("name = \"Tankautospuit\"", "name = \"Tankautospuit\"\nrank = 1", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[0].rank: only escalation_levels have a rank"
    );
    let text = V1.replacen("rank = 3\n", "", 1);
    assert_eq!(parse_error(&text), "v1.toml: escalation_levels[3].rank: required");
}

#[test]
fn codes_are_short_tokens() {
    let text = V1.replacen("code = \"TS\"", "code = \"T S\"", 1);
    assert_eq!(
        parse_error(&text),
        "v1.toml: resource_types[0].code: character ' ' not allowed in 'T S' (letters, digits, '_' and '-' only)"
    );
}

#[test]
fn the_assistance_lists_exist_from_version_3_and_nowhere_before() {
    let lists = CodeLists::shipped();
    let v3 = lists.version("v", 3).unwrap();
    assert!(v3.contains(list::DECLINE_REASONS, "no_capacity"));
    let states: Vec<&str> = v3.codes(list::DEPLOYMENT_STATES).into_iter().map(|(c, _)| c).collect();
    assert_eq!(states, ["departed", "on_scene", "extended", "released", "returned"]);
    let v2 = lists.version("v", 2).unwrap();
    let e = v2
        .check("offer.decline_reason", list::DECLINE_REASONS, "no_capacity")
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "offer.decline_reason: code list version 2 has no list decline_reasons"
    );
    // Every list of version 2 is in version 3 unchanged.
    for name in list::ALL.iter().filter(|n| !list::SINCE_V3.contains(n)) {
        assert_eq!(v2.codes(name), v3.codes(name), "{name}");
    }
    // A version before 3 that has one of the new lists is refused, naming it.
    let text = format!("{V1}\n[[decline_reasons]]\ncode = \"x\"\nname = \"X\"\n");
    assert!(
        parse_error(&text).contains("decline_reasons: exists from version 3 on"),
        "{}",
        parse_error(&text)
    );
}
