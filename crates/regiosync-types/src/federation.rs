//! Who the federation's members are: the federation file (`config/federation.toml` as shipped),
//! parsed and checked. Every rule that depends on what kind of member someone is reads it from
//! here; nothing in code lists members.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::envelope::Envelope;
use crate::error::{Error, Result};
use crate::node_id::NodeId;

/// The federation file shipped with this build (the 25 regions and NL).
pub const SHIPPED: &str = include_str!("../../../config/federation.toml");
const SHIPPED_NAME: &str = "config/federation.toml";

/// What kind of member someone is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberKind {
    /// In every audience, relays every origin, answers the national questions.
    National,
    /// A safety region.
    Region,
    /// A crisis partner: publishes opaque kinds and capacity about itself.
    Partner,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::National => "national",
            MemberKind::Region => "region",
            MemberKind::Partner => "partner",
        }
    }
}

/// One member as the federation file lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub id: NodeId,
    pub kind: MemberKind,
    pub name: String,
    /// Regions only: neighbouring regions.
    pub neighbours: Vec<NodeId>,
    /// SHA-256 fingerprints of the CA certificates that may issue this member's node
    /// certificates; empty: any CA the federation trusts.
    pub issuers: Vec<[u8; 32]>,
}

/// The checked member list. Cheap to clone (shared).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Federation(Arc<Inner>);

#[derive(Debug, PartialEq, Eq)]
struct Inner {
    members: BTreeMap<NodeId, Member>,
    nationals: Vec<NodeId>,
    edges: Vec<(NodeId, NodeId)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    #[serde(default)]
    member: Vec<MemberEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberEntry {
    id: String,
    kind: String,
    name: String,
    #[serde(default)]
    neighbours: Vec<String>,
    #[serde(default)]
    issuers: Vec<String>,
}

impl Federation {
    /// The federation shipped with this build.
    pub fn shipped() -> Federation {
        static SHIPPED_FED: OnceLock<Federation> = OnceLock::new();
        SHIPPED_FED
            .get_or_init(|| Federation::parse(SHIPPED, SHIPPED_NAME).expect("the shipped federation file is valid"))
            .clone()
    }

    /// Parse and check a federation file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Federation> {
        let file: File = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(" (line {})", text[..s.start.min(text.len())].lines().count().max(1)))
                .unwrap_or_default();
            Error::invalid(source, format!("{}{at}", e.message().trim()))
        })?;
        if file.version != 1 {
            return Err(Error::invalid(
                format!("{source}: version"),
                format!("{} not supported (this build reads version 1)", file.version),
            ));
        }
        let mut members = Vec::with_capacity(file.member.len());
        for (i, m) in file.member.into_iter().enumerate() {
            let at = |field: &str| format!("{source}: member[{i}].{field}");
            let id = NodeId::parse_canonical(&m.id).ok_or_else(|| Error::UnknownNode {
                field: at("id"),
                value: m.id.clone(),
            })?;
            let kind = match m.kind.as_str() {
                "national" => MemberKind::National,
                "region" => MemberKind::Region,
                "partner" => MemberKind::Partner,
                other => {
                    return Err(Error::invalid(
                        at("kind"),
                        format!("'{other}' is not national, region or partner"),
                    ))
                }
            };
            if m.name.trim().is_empty() {
                return Err(Error::Missing(at("name")));
            }
            let neighbours = m
                .neighbours
                .iter()
                .enumerate()
                .map(|(j, n)| NodeId::parse_field(&at(&format!("neighbours[{j}]")), n))
                .collect::<Result<Vec<_>>>()?;
            let issuers = m
                .issuers
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    fingerprint(f).ok_or_else(|| {
                        Error::invalid(
                            at(&format!("issuers[{j}]")),
                            format!("'{f}' is not a SHA-256 fingerprint (64 hex digits, ':' allowed)"),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            members.push(Member {
                id,
                kind,
                name: m.name,
                neighbours,
                issuers,
            });
        }
        Federation::from_members(members).map_err(|e| match e {
            Error::Invalid { field, rule } => Error::invalid(format!("{source}: {field}"), rule),
            e => e.within(source),
        })
    }

    /// A federation of these members (checked as a file is).
    pub fn from_members(list: Vec<Member>) -> Result<Federation> {
        let mut members = BTreeMap::new();
        for m in list {
            let id = m.id;
            if members.insert(id, m).is_some() {
                return Err(Error::invalid("member", format!("{id} is listed twice")));
            }
        }
        let nationals: Vec<NodeId> = members
            .values()
            .filter(|m| m.kind == MemberKind::National)
            .map(|m| m.id)
            .collect();
        if nationals.is_empty() {
            return Err(Error::invalid("member", "no member of kind national"));
        }
        let mut edges = BTreeSet::new();
        for m in members.values() {
            for n in &m.neighbours {
                let Some(other) = members.get(n) else {
                    return Err(Error::invalid(
                        format!("{}.neighbours", m.id),
                        format!("{n} is not a member"),
                    ));
                };
                if m.kind != MemberKind::Region || other.kind != MemberKind::Region {
                    return Err(Error::invalid(
                        format!("{}.neighbours", m.id),
                        format!("{} and {n}: only regions have neighbours", m.id),
                    ));
                }
                if !other.neighbours.contains(&m.id) {
                    return Err(Error::invalid(
                        format!("{}.neighbours", m.id),
                        format!("{} lists {n} but {n} does not list {}", m.id, m.id),
                    ));
                }
                edges.insert((m.id.min(*n), m.id.max(*n)));
            }
        }
        Ok(Federation(Arc::new(Inner {
            members,
            nationals,
            edges: edges.into_iter().collect(),
        })))
    }

    /// This federation with `more` members added (or replaced, by id).
    pub fn with(&self, more: Vec<Member>) -> Result<Federation> {
        let mut all = self.0.members.clone();
        for m in more {
            all.insert(m.id, m);
        }
        Federation::from_members(all.into_values().collect())
    }

    pub fn member(&self, id: NodeId) -> Option<&Member> {
        self.0.members.get(&id)
    }

    pub fn kind(&self, id: NodeId) -> Option<MemberKind> {
        self.member(id).map(|m| m.kind)
    }

    pub fn is_member(&self, id: NodeId) -> bool {
        self.0.members.contains_key(&id)
    }

    pub fn is_national(&self, id: NodeId) -> bool {
        self.0.nationals.contains(&id)
    }

    pub fn is_region(&self, id: NodeId) -> bool {
        self.kind(id) == Some(MemberKind::Region)
    }

    /// The national nodes, in id order.
    pub fn nationals(&self) -> &[NodeId] {
        &self.0.nationals
    }

    /// Every member, in id order.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.0.members.values()
    }

    pub fn ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.0.members.keys().copied()
    }

    /// The regions, in id order.
    pub fn regions(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.of_kind(MemberKind::Region)
    }

    pub fn of_kind(&self, kind: MemberKind) -> impl Iterator<Item = NodeId> + '_ {
        self.0.members.values().filter(move |m| m.kind == kind).map(|m| m.id)
    }

    /// The display name of a member, or its id when it is not one.
    pub fn name(&self, id: NodeId) -> String {
        self.member(id).map_or_else(|| id.to_string(), |m| m.name.clone())
    }

    /// Undirected neighbour edges between regions (a < b).
    pub fn neighbour_edges(&self) -> &[(NodeId, NodeId)] {
        &self.0.edges
    }

    /// May `node` receive `entry`? Every national node may (it is in every audience), the
    /// others when the audience names them. A key transition every member may see: whoever
    /// receives an origin's later entries must know which key seals them.
    pub fn may_see(&self, node: NodeId, entry: &Envelope) -> bool {
        self.is_national(node) || entry.audience.contains(&node) || entry.kind == crate::transition::KEY_TRANSITION
    }

    /// Parse a member id that must be a member, for a field of a request or record.
    pub fn member_field(&self, field: &str, value: &str) -> Result<NodeId> {
        let id = NodeId::parse_field(field, value)?;
        if !self.is_member(id) {
            return Err(Error::invalid(
                field,
                format!("{id} is not a member of this federation"),
            ));
        }
        Ok(id)
    }
}

/// A SHA-256 fingerprint written as hex, optionally with `:` between bytes.
fn fingerprint(s: &str) -> Option<[u8; 32]> {
    let hex: String = s.chars().filter(|c| *c != ':').collect();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_lists_nl_and_the_25_regions() {
        let fed = Federation::shipped();
        assert_eq!(fed.nationals(), [NodeId::NL]);
        assert_eq!(fed.regions().count(), 25);
        assert_eq!(fed.name(NodeId::region(1).unwrap()), "Groningen");
        assert!(fed.neighbour_edges().len() > 40);
        assert!(fed
            .neighbour_edges()
            .contains(&(NodeId::region(1).unwrap(), NodeId::region(2).unwrap())));
    }

    #[test]
    fn members_join_by_configuration() {
        let text = r#"
version = 1
[[member]]
id = "NL"
kind = "national"
name = "Landelijk"
[[member]]
id = "NL-B"
kind = "national"
name = "Landelijk (standby)"
[[member]]
id = "POL-ON"
kind = "partner"
name = "Politie Oost-Nederland"
issuers = ["00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"]
"#;
        let fed = Federation::parse(text, "f.toml").unwrap();
        let pol: NodeId = "POL-ON".parse().unwrap();
        assert_eq!(fed.nationals().len(), 2);
        assert_eq!(fed.kind(pol), Some(MemberKind::Partner));
        assert_eq!(fed.member(pol).unwrap().issuers.len(), 1);
        assert!(!fed.is_member(NodeId::region(1).unwrap()));
    }

    #[test]
    fn ten_thousand_members_fit() {
        let mut text = String::from("version = 1\n[[member]]\nid = \"NL\"\nkind = \"national\"\nname = \"NL\"\n");
        for i in 0..10_000 {
            text.push_str(&format!(
                "[[member]]\nid = \"P{i:05}-X\"\nkind = \"partner\"\nname = \"partner {i}\"\n"
            ));
        }
        let fed = Federation::parse(&text, "big.toml").unwrap();
        assert_eq!(fed.of_kind(MemberKind::Partner).count(), 10_000);
        let last: NodeId = "P09999-X".parse().unwrap();
        assert!(fed.is_member(last));
        let mut key = last.key().to_vec();
        key.extend_from_slice(&7u64.to_be_bytes());
        assert_eq!(
            NodeId::from_key(&key).map(|(id, rest)| (id, rest.len())),
            Some((last, 8))
        );
    }

    #[test]
    fn a_bad_file_names_what_and_where() {
        let cases = [
            ("version = 2\n", "f.toml: version: 2 not supported"),
            ("version = 1\n[[member]]\nid = \"NL\"\nkind = \"boss\"\nname = \"x\"\n", "f.toml: member[0].kind: 'boss'"),
            ("version = 1\n[[member]]\nid = \"nl b\"\nkind = \"national\"\nname = \"x\"\n", "f.toml: member[0].id:"),
            ("version = 1\n[[member]]\nid = \"VR01\"\nkind = \"region\"\nname = \"x\"\n", "f.toml: member: no member of kind national"),
            ("version = 1\n[[member]]\nid = \"NL\"\nkind = \"national\"\nname = \"x\"\ncolour = 1\n", "f.toml: unknown field `colour`"),
            (
                "version = 1\n[[member]]\nid = \"NL\"\nkind = \"national\"\nname = \"x\"\n[[member]]\nid = \"NL\"\nkind = \"national\"\nname = \"y\"\n",
                "f.toml: member: NL is listed twice",
            ),
        ];
        for (text, want) in cases {
            let err = Federation::parse(text, "f.toml").unwrap_err().to_string();
            assert!(err.starts_with(want), "{err} does not start with {want}");
        }
    }

    #[test]
    fn national_nodes_see_everything() {
        let fed = Federation::shipped()
            .with(vec![Member {
                id: "NL-B".parse().unwrap(),
                kind: MemberKind::National,
                name: "standby".into(),
                neighbours: vec![],
                issuers: vec![],
            }])
            .unwrap();
        let body = crate::pb::EntryBody {
            id: "x1".into(),
            origin: "VR01".into(),
            seq: 1,
            kind: "k".into(),
            created_unix_ms: 1,
            status: crate::pb::Status::Actual as i32,
            audience: vec!["VR01".into()],
            ..Default::default()
        };
        let env = Envelope::check(body).unwrap();
        assert!(fed.may_see("NL-B".parse().unwrap(), &env));
        assert!(fed.may_see(NodeId::NL, &env));
        assert!(!fed.may_see(NodeId::region(2).unwrap(), &env));
    }
}
