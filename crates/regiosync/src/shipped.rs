//! Configuration shipped with the project and embedded in the binary: region names and the
//! neighbour map (`config/regions.toml`, `config/neighbours.toml`).
use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use regiosync_types::NodeId;
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

/// Official names by node id.
pub fn region_names() -> Result<BTreeMap<NodeId, String>> {
    let f: RegionsFile = toml::from_str(REGIONS).context("config/regions.toml")?;
    if f.version != 1 {
        bail!("config/regions.toml: version {} not supported", f.version);
    }
    f.names
        .into_iter()
        .map(|(k, v)| Ok((NodeId::parse_field(&format!("config/regions.toml: names.{k}"), &k)?, v)))
        .collect()
}

/// Undirected neighbour edges (a < b), checked to be symmetric.
pub fn neighbour_edges() -> Result<Vec<(NodeId, NodeId)>> {
    let f: NeighboursFile = toml::from_str(NEIGHBOURS).context("config/neighbours.toml")?;
    if f.version != 1 {
        bail!("config/neighbours.toml: version {} not supported", f.version);
    }
    let mut map: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for (k, list) in f.neighbours {
        let a = NodeId::parse_field(&format!("config/neighbours.toml: neighbours.{k}"), &k)?;
        for (i, n) in list.iter().enumerate() {
            map.entry(a).or_default().push(NodeId::parse_field(
                &format!("config/neighbours.toml: neighbours.{k}[{i}]"),
                n,
            )?);
        }
    }
    let mut edges = Vec::new();
    for (a, list) in &map {
        for b in list {
            if !map.get(b).is_some_and(|l| l.contains(a)) {
                bail!("config/neighbours.toml: {a} lists {b} but {b} does not list {a}");
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
        let edges = neighbour_edges().unwrap();
        assert!(edges.len() > 40, "{}", edges.len());
        assert!(edges.contains(&(NodeId::region(1).unwrap(), NodeId::region(2).unwrap())));
    }
}
