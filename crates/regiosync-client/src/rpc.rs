//! What every call shares: a refused call as an error people read, and the record statuses
//! (actual, exercise, test) as the command line names them.
use anyhow::{bail, Result};
use regiosync_node::pb;

/// A record status named on the command line (`--status`), as its wire code.
pub fn status_code(s: &str) -> Result<i32> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "actual" => pb::Status::Actual as i32,
        "exercise" => pb::Status::Exercise as i32,
        "test" => pb::Status::Test as i32,
        other => bail!("--status: '{other}' is not one of actual, exercise, test"),
    })
}

/// The name of a status's wire code; "?" for an unknown one.
pub fn status_name(code: i32) -> &'static str {
    match pb::Status::try_from(code) {
        Ok(pb::Status::Actual) => "actual",
        Ok(pb::Status::Exercise) => "exercise",
        Ok(pb::Status::Test) => "test",
        _ => "?",
    }
}

/// A refused call as "Code: message", e.g. "PermissionDenied: may ask only VR01's own node".
pub fn rpc_error(s: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{:?}: {}", s.code(), s.message())
}
