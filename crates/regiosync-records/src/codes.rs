//! The versioned code lists shipped with the project (`config/codelists/v*.toml`, embedded in
//! the binary): resource types, rated areas, ratings, escalation levels, record status and the
//! smaller lists records use. A record names the version its codes come from, and every code
//! must exist in that version.
use regiosync_types::Result;

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
}

/// Every shipped version.
pub struct CodeLists {
    // filled in by the implementation
}

/// One version of all lists.
pub struct CodeList {
    pub version: u32,
}

/// One code: its Dutch label and, for resource types, its group (e.g. "brandweer").
pub struct Code {
    pub name: String,
    pub group: Option<String>,
}

impl CodeLists {
    /// The lists shipped with this build, parsed once.
    pub fn shipped() -> &'static CodeLists {
        todo!()
    }

    /// One version; `field` names where the version came from, for the error.
    pub fn version(&self, field: &str, version: u32) -> Result<&CodeList> {
        let _ = (field, version);
        todo!()
    }

    /// The newest version (what new records should name).
    pub fn latest(&self) -> &CodeList {
        todo!()
    }
}

impl CodeList {
    /// `code` must be in `list`; the error names `field`, the code, the list and the version.
    pub fn check(&self, field: &str, list: &str, code: &str) -> Result<()> {
        let _ = (field, list, code);
        todo!()
    }

    pub fn get(&self, list: &str, code: &str) -> Option<&Code> {
        let _ = (list, code);
        todo!()
    }

    /// The codes of one list in their shipped order.
    pub fn codes(&self, list: &str) -> Vec<(&str, &Code)> {
        let _ = list;
        todo!()
    }
}
