//! Configuration shipped with the project and embedded in the binary: region names and the
//! neighbour map (`config/regions.toml`, `config/neighbours.toml`), parsed by the records crate.
use std::collections::BTreeMap;

use anyhow::Result;
use regiosync_types::NodeId;

/// Official names by node id.
pub fn region_names() -> Result<BTreeMap<NodeId, String>> {
    Ok(regiosync_records::places::region_names()?.clone())
}

/// Undirected neighbour edges (a < b), checked to be symmetric.
pub fn neighbour_edges() -> Result<Vec<(NodeId, NodeId)>> {
    Ok(regiosync_records::places::neighbour_edges()?.to_vec())
}
