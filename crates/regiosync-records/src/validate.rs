//! The rules of each record kind. They run at the node that accepts a record from a person and
//! again at every node that receives it, on the record and its envelope alone (never on other
//! records, so every node decides the same whatever order records arrive in). Errors name the
//! field path and the rule, e.g. `entries[3].available: 14 exceeds baseline 12`.
use regiosync_types::{Envelope, Result};

use crate::codes::CodeLists;
use crate::record::Record;

/// Check a decoded record against the rules of its kind and its envelope.
pub fn check(record: &Record, env: &Envelope, codes: &CodeLists) -> Result<()> {
    let _ = (record, env, codes);
    todo!()
}
