//! The places records are about, as shipped configuration (embedded from `config/`, not written
//! in code): the official region names (`config/regions.toml`) and which regions neighbour each
//! other (`config/neighbours.toml`, used for "neighbours without an agreement").
use std::collections::BTreeMap;
use std::sync::OnceLock;

use regiosync_types::{Error, NodeId, Result};
use serde::Deserialize;

const REGIONS: &str = include_str!("../../../config/regions.toml");
const NEIGHBOURS: &str = include_str!("../../../config/neighbours.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    version: u32,
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeighboursFile {
    version: u32,
    neighbours: BTreeMap<String, Vec<String>>,
}

/// Official names by node id ("VR01" → "Groningen").
pub fn region_names() -> Result<&'static BTreeMap<NodeId, String>> {
    static NAMES: OnceLock<Result<BTreeMap<NodeId, String>>> = OnceLock::new();
    NAMES.get_or_init(parse_names).as_ref().map_err(Clone::clone)
}

/// The official name of a node, or its id when none is shipped.
pub fn name(node: NodeId) -> String {
    region_names()
        .ok()
        .and_then(|n| n.get(&node).cloned())
        .unwrap_or_else(|| node.to_string())
}

/// Undirected neighbour edges (a < b), checked to be symmetric.
pub fn neighbour_edges() -> Result<&'static [(NodeId, NodeId)]> {
    static EDGES: OnceLock<Result<Vec<(NodeId, NodeId)>>> = OnceLock::new();
    EDGES
        .get_or_init(parse_edges)
        .as_ref()
        .map(|v| v.as_slice())
        .map_err(Clone::clone)
}

fn parse_names() -> Result<BTreeMap<NodeId, String>> {
    let f: RegionsFile =
        toml::from_str(REGIONS).map_err(|e| Error::invalid("config/regions.toml", e.message().trim()))?;
    if f.version != 1 {
        return Err(Error::invalid(
            "config/regions.toml: version",
            format!("{} not supported", f.version),
        ));
    }
    f.names
        .into_iter()
        .map(|(k, v)| Ok((NodeId::parse_field(&format!("config/regions.toml: names.{k}"), &k)?, v)))
        .collect()
}

fn parse_edges() -> Result<Vec<(NodeId, NodeId)>> {
    let f: NeighboursFile =
        toml::from_str(NEIGHBOURS).map_err(|e| Error::invalid("config/neighbours.toml", e.message().trim()))?;
    if f.version != 1 {
        return Err(Error::invalid(
            "config/neighbours.toml: version",
            format!("{} not supported", f.version),
        ));
    }
    let mut map: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for (k, list) in f.neighbours {
        let a = NodeId::parse_field(&format!("config/neighbours.toml: neighbours.{k}"), &k)?;
        for (i, n) in list.iter().enumerate() {
            let b = NodeId::parse_field(&format!("config/neighbours.toml: neighbours.{k}[{i}]"), n)?;
            map.entry(a).or_default().push(b);
        }
    }
    let mut edges = Vec::new();
    for (a, list) in &map {
        for b in list {
            if !map.get(b).is_some_and(|l| l.contains(a)) {
                return Err(Error::invalid(
                    "config/neighbours.toml",
                    format!("{a} lists {b} but {b} does not list {a}"),
                ));
            }
            if a < b {
                edges.push((*a, *b));
            }
        }
    }
    Ok(edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_and_are_consistent() {
        assert_eq!(region_names().unwrap().len(), 26);
        assert_eq!(name(NodeId::region(1).unwrap()), "Groningen");
        let edges = neighbour_edges().unwrap();
        assert!(edges.len() > 40, "{}", edges.len());
        assert!(edges.contains(&(NodeId::region(1).unwrap(), NodeId::region(2).unwrap())));
    }
}
