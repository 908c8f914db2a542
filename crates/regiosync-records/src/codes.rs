//! The versioned code lists shipped with the project (`config/codelists/v*.toml`, embedded in
//! the binary): resource types, rated areas, ratings, escalation levels, record status and the
//! smaller lists records use. A record names the version its codes come from, and every code
//! must exist in that version.
//!
//! A published version never changes; additions and removals make a new version. Codes are
//! case-sensitive and keep their shipped order. Escalation levels carry a rank (equal ranks are
//! equivalent levels, e.g. `GRIP4` and `REGIONAAL` in version 2), see [`CodeList::rank`].
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use regiosync_types::{Error, Result};
use serde::Deserialize;

/// Names of the lists.
pub mod list {
    pub const RESOURCE_TYPES: &str = "resource_types";
    pub const RATED_AREAS: &str = "rated_areas";
    pub const RATINGS: &str = "ratings";
    pub const ESCALATION_LEVELS: &str = "escalation_levels";
    pub const RECORD_STATUS: &str = "record_status";
    pub const PARTY_ROLES: &str = "party_roles";
    pub const HAZARDS: &str = "hazards";
    pub const CRISIS_FUNCTIONS: &str = "crisis_functions";
    pub const RESOURCE_STATUS: &str = "resource_status";
    pub const EVENT_KINDS: &str = "event_kinds";
    pub const EVALUATION_METHODS: &str = "evaluation_methods";
    pub const ACTION_STATUS: &str = "action_status";
    pub const VERIFICATION_RESULTS: &str = "verification_results";
    pub const DECLINE_REASONS: &str = "decline_reasons";
    pub const DEPLOYMENT_STATES: &str = "deployment_states";

    /// The lists of assistance requests: absent before version 3, required from it on.
    pub const SINCE_V3: [&str; 2] = [DECLINE_REASONS, DEPLOYMENT_STATES];

    /// Every list, in the order the files hold them.
    pub const ALL: [&str; 15] = [
        RESOURCE_TYPES,
        RATED_AREAS,
        RATINGS,
        ESCALATION_LEVELS,
        RECORD_STATUS,
        PARTY_ROLES,
        HAZARDS,
        CRISIS_FUNCTIONS,
        RESOURCE_STATUS,
        EVENT_KINDS,
        EVALUATION_METHODS,
        ACTION_STATUS,
        VERIFICATION_RESULTS,
        DECLINE_REASONS,
        DEPLOYMENT_STATES,
    ];
}

/// How many rated areas every version has (the five crisis processes and three conditions).
pub const RATED_AREA_COUNT: usize = 8;

/// Longest code, in characters.
pub const MAX_CODE_LEN: usize = 32;

/// The shipped files, oldest first: (file name, version it must declare, text).
const SHIPPED: [(&str, u32, &str); 3] = [
    (
        "config/codelists/v1.toml",
        1,
        include_str!("../../../config/codelists/v1.toml"),
    ),
    (
        "config/codelists/v2.toml",
        2,
        include_str!("../../../config/codelists/v2.toml"),
    ),
    (
        "config/codelists/v3.toml",
        3,
        include_str!("../../../config/codelists/v3.toml"),
    ),
];

/// Every shipped version.
#[derive(Debug)]
pub struct CodeLists {
    /// Sorted by version, at least one.
    versions: Vec<CodeList>,
}

/// One version of all lists.
#[derive(Debug)]
pub struct CodeList {
    pub version: u32,
    /// The day this version was published ("YYYY-MM-DD").
    pub published: String,
    /// One entry per name in [`list::ALL`], in that order.
    lists: Vec<List>,
}

#[derive(Debug)]
struct List {
    name: &'static str,
    /// In shipped order.
    codes: Vec<(String, Code)>,
    /// Code -> position in `codes`.
    index: HashMap<String, usize>,
}

/// One code: its Dutch label and, for resource types, its group (e.g. "brandweer").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub name: String,
    pub group: Option<String>,
    /// For escalation levels: how far escalated (equal ranks are equivalent levels).
    pub rank: Option<u32>,
}

impl CodeLists {
    /// The lists shipped with this build, parsed once.
    /// The rated areas of the newest shipped code lists, in their order: the one list of them
    /// (the demo, the benchmark mix and the tests read it from here).
    pub fn rated_areas() -> &'static [&'static str] {
        static AREAS: OnceLock<Vec<&'static str>> = OnceLock::new();
        AREAS.get_or_init(|| {
            CodeLists::shipped()
                .latest()
                .codes(list::RATED_AREAS)
                .into_iter()
                .map(|(code, _)| code)
                .collect()
        })
    }

    /// The rating scale of the latest shipped code lists, in its order (P, S, M, U, NO).
    pub fn ratings() -> &'static [&'static str] {
        static RATINGS: OnceLock<Vec<&'static str>> = OnceLock::new();
        RATINGS.get_or_init(|| {
            CodeLists::shipped()
                .latest()
                .codes(list::RATINGS)
                .into_iter()
                .map(|(code, _)| code)
                .collect()
        })
    }

    pub fn shipped() -> &'static CodeLists {
        static SHIPPED_LISTS: OnceLock<CodeLists> = OnceLock::new();
        SHIPPED_LISTS.get_or_init(|| {
            let versions = SHIPPED
                .iter()
                .map(|(file, version, text)| {
                    CodeList::parse(file, Some(*version), text).unwrap_or_else(|e| panic!("shipped code list: {e}"))
                })
                .collect();
            CodeLists::new(versions).unwrap_or_else(|e| panic!("shipped code lists: {e}"))
        })
    }

    /// A set of versions (e.g. parsed with [`CodeList::parse`]); each version once.
    pub fn new(mut versions: Vec<CodeList>) -> Result<CodeLists> {
        if versions.is_empty() {
            return Err(Error::Missing("code lists".into()));
        }
        versions.sort_by_key(|v| v.version);
        if let Some(w) = versions.windows(2).find(|w| w[0].version == w[1].version) {
            return Err(Error::invalid(
                "code lists",
                format!("version {} is given twice", w[0].version),
            ));
        }
        Ok(CodeLists { versions })
    }

    /// One version; `field` names where the version came from, for the error.
    pub fn version(&self, field: &str, version: u32) -> Result<&CodeList> {
        if version == 0 {
            return Err(Error::Missing(field.into()));
        }
        match self.versions.binary_search_by_key(&version, |v| v.version) {
            Ok(i) => Ok(&self.versions[i]),
            Err(_) => {
                let known: Vec<String> = self.versions.iter().map(|v| v.version.to_string()).collect();
                Err(Error::invalid(
                    field,
                    format!("version {version} is not known here (known: {})", known.join(", ")),
                ))
            }
        }
    }

    /// The newest version (what new records should name).
    pub fn latest(&self) -> &CodeList {
        self.versions.last().expect("at least one version")
    }

    /// Every version, oldest first.
    pub fn all(&self) -> &[CodeList] {
        &self.versions
    }
}

impl CodeList {
    /// Parse one code-list file. `source` names the file in errors; with `expected_version`,
    /// the file must declare that version. Checks that every list is present and not empty,
    /// codes are well formed and unique per list, resource types have a group, escalation
    /// levels (and only they) have a rank, and there are exactly eight rated areas.
    pub fn parse(source: &str, expected_version: Option<u32>, text: &str) -> Result<CodeList> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .and_then(|s| text.get(..s.start))
                .map(|before| format!(" at line {}", before.matches('\n').count() + 1))
                .unwrap_or_default();
            Error::invalid(source, format!("not a code-list file{at}: {}", e.message().trim()))
        })?;
        let field = |f: &str| format!("{source}: {f}");
        if file.version == 0 {
            return Err(Error::Missing(field("version")));
        }
        if let Some(want) = expected_version {
            if file.version != want {
                return Err(Error::invalid(
                    field("version"),
                    format!("{} does not match the file, which holds version {want}", file.version),
                ));
            }
        }
        crate::time::parse_date(&field("published"), &file.published)?;
        let raw = [
            file.resource_types,
            file.rated_areas,
            file.ratings,
            file.escalation_levels,
            file.record_status,
            file.party_roles,
            file.hazards,
            file.crisis_functions,
            file.resource_status,
            file.event_kinds,
            file.evaluation_methods,
            file.action_status,
            file.verification_results,
            file.decline_reasons,
            file.deployment_states,
        ];
        let mut lists = Vec::with_capacity(list::ALL.len());
        for (name, entries) in list::ALL.into_iter().zip(raw) {
            if file.version < 3 && list::SINCE_V3.contains(&name) {
                if !entries.is_empty() {
                    return Err(Error::invalid(
                        field(name),
                        format!("exists from version 3 on; version {} cannot have it", file.version),
                    ));
                }
                continue;
            }
            lists.push(List::build(source, name, entries)?);
        }
        let parsed = CodeList {
            version: file.version,
            published: file.published,
            lists,
        };
        let areas = parsed.codes(list::RATED_AREAS).len();
        if areas != RATED_AREA_COUNT {
            return Err(Error::invalid(
                field(list::RATED_AREAS),
                format!("{areas} areas; there must be exactly {RATED_AREA_COUNT}"),
            ));
        }
        Ok(parsed)
    }

    /// `code` must be in `list`; the error names `field`, the code, the list and the version.
    pub fn check(&self, field: &str, list: &str, code: &str) -> Result<()> {
        if code.is_empty() {
            return Err(Error::Missing(field.into()));
        }
        let Some(l) = self.list(list) else {
            return Err(Error::invalid(
                field,
                format!("code list version {} has no list {list}", self.version),
            ));
        };
        if l.index.contains_key(code) {
            return Ok(());
        }
        Err(Error::invalid(
            field,
            format!("'{code}' is not in code list {list} version {}", self.version),
        ))
    }

    pub fn get(&self, list: &str, code: &str) -> Option<&Code> {
        let l = self.list(list)?;
        l.index.get(code).map(|&i| &l.codes[i].1)
    }

    /// The codes of one list in their shipped order.
    pub fn codes(&self, list: &str) -> Vec<(&str, &Code)> {
        self.list(list)
            .map(|l| l.codes.iter().map(|(c, code)| (c.as_str(), code)).collect())
            .unwrap_or_default()
    }

    /// Is `code` in `list`?
    pub fn contains(&self, list: &str, code: &str) -> bool {
        self.get(list, code).is_some()
    }

    /// The order of a code within its list: its `rank` where the list has ranks (escalation
    /// levels: equal ranks are equivalent levels), otherwise its position in the shipped
    /// order. `None` for a code not in the list.
    pub fn rank(&self, list: &str, code: &str) -> Option<usize> {
        let l = self.list(list)?;
        let &i = l.index.get(code)?;
        Some(l.codes[i].1.rank.map_or(i, |r| r as usize))
    }

    /// Compare two codes of one list by [`CodeList::rank`], e.g. whether an event's highest
    /// escalation reached an agreement's minimum: `compare(ESCALATION_LEVELS, "REGIONAAL",
    /// "GRIP3") == Some(Greater)`. `None` if either code is not in the list.
    pub fn compare(&self, list: &str, a: &str, b: &str) -> Option<Ordering> {
        Some(self.rank(list, a)?.cmp(&self.rank(list, b)?))
    }

    fn list(&self, name: &str) -> Option<&List> {
        self.lists.iter().find(|l| l.name == name)
    }
}

impl List {
    fn build(source: &str, name: &'static str, entries: Vec<FileCode>) -> Result<List> {
        if entries.is_empty() {
            return Err(Error::Missing(format!("{source}: {name}")));
        }
        let ranked = name == list::ESCALATION_LEVELS;
        let mut codes = Vec::with_capacity(entries.len());
        let mut index = HashMap::with_capacity(entries.len());
        let mut seen = BTreeSet::new();
        for (i, e) in entries.into_iter().enumerate() {
            let field = |f: &str| format!("{source}: {name}[{i}].{f}");
            check_code(&field("code"), &e.code)?;
            if !seen.insert(e.code.clone()) {
                return Err(Error::invalid(field("code"), format!("'{}' is listed twice", e.code)));
            }
            if e.name.trim().is_empty() {
                return Err(Error::Missing(field("name")));
            }
            match &e.group {
                None if name == list::RESOURCE_TYPES => return Err(Error::Missing(field("group"))),
                Some(g) if g.trim().is_empty() => return Err(Error::Missing(field("group"))),
                _ => {}
            }
            match e.rank {
                None if ranked => return Err(Error::Missing(field("rank"))),
                Some(_) if !ranked => {
                    return Err(Error::invalid(
                        field("rank"),
                        format!("only {} have a rank", list::ESCALATION_LEVELS),
                    ))
                }
                _ => {}
            }
            index.insert(e.code.clone(), i);
            codes.push((
                e.code,
                Code {
                    name: e.name,
                    group: e.group,
                    rank: e.rank,
                },
            ));
        }
        Ok(List { name, codes, index })
    }
}

/// 1 to 32 of A-Z a-z 0-9 '_' '-'.
fn check_code(field: &str, code: &str) -> Result<()> {
    if code.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    if code.len() > MAX_CODE_LEN {
        return Err(Error::invalid(
            field,
            format!("'{code}' is longer than {MAX_CODE_LEN} characters"),
        ));
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(Error::invalid(
            field,
            format!("character {c:?} not allowed in '{code}' (letters, digits, '_' and '-' only)"),
        ));
    }
    Ok(())
}

/// One code-list file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    published: String,
    resource_types: Vec<FileCode>,
    rated_areas: Vec<FileCode>,
    ratings: Vec<FileCode>,
    escalation_levels: Vec<FileCode>,
    record_status: Vec<FileCode>,
    party_roles: Vec<FileCode>,
    hazards: Vec<FileCode>,
    crisis_functions: Vec<FileCode>,
    resource_status: Vec<FileCode>,
    event_kinds: Vec<FileCode>,
    evaluation_methods: Vec<FileCode>,
    action_status: Vec<FileCode>,
    verification_results: Vec<FileCode>,
    #[serde(default)]
    decline_reasons: Vec<FileCode>,
    #[serde(default)]
    deployment_states: Vec<FileCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCode {
    code: String,
    name: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    rank: Option<u32>,
}
