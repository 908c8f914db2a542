//! How the record views of the `Records` service are printed: `agreement` (an agreement's
//! derived state, every version with its content hash and who signed), `capacity` (the current
//! reports, stale, exercise and test ones marked), `evaluation` (ratings, findings, actions)
//! and `assistance` (a request's lines filling up, who answered, the units, the timeline),
//! each with the confirmation of a record written. With `--json` the command line prints the
//! view message itself, and a written record as `ref_json`.
pub mod agreement;
pub mod assistance;
pub mod capacity;
pub mod evaluation;

use regiosync_node::pb::RecordRef;
use serde_json::json;

/// A written record as JSON: its id, origin, sequence number and kind, and whether the node
/// already held it (`already_filed`: nothing new was stored, the id names the record held).
pub fn ref_json(r: &RecordRef) -> serde_json::Value {
    json!({"id": r.id, "origin": r.origin, "seq": r.seq, "kind": r.kind, "already_filed": r.already_filed})
}
