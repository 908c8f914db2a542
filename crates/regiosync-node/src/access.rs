//! Who may do what at this node: the one authorisation table, by the caller's role (from its
//! certificate, never from a request field) and this node. Every handler of every service asks
//! here; README.md and ARCHITECTURE.md show the same table, and `tests/integration/access.rs`
//! checks every cell of it.
//!
//! | caller ↓ / action →                | publish (`NodeApi.Publish`, `Backup`) | write records (`Records` writes) | read (`ListEntries`, `GetEntry`, `Records` reads, `Queries`) | `Status` | replicate (`Sync`) |
//! |------------------------------------|------------------------|---------------|------------------|----------|-------------|
//! | operator of this node's member     | yes (not at a national node) | yes (not at a national node), all but `RouteAssistance` | yes | yes | no |
//! | operator of another member         | no                     | no            | no               | no       | no |
//! | national coordinator               | at a national node     | only `RouteAssistance`, at a national node | yes, at any node | yes      | no |
//! | node, configured peer of this node | no                     | no            | no               | yes      | yes |
//! | node, not a configured peer        | no                     | no            | no               | no       | no |
//!
//! A region's operator reads only at its own node because every other node (a neighbour, and a
//! national node above all) also holds records outside that region's audience.
use std::collections::BTreeSet;

use regiosync_trust::{Identity, Role};
use regiosync_types::{Federation, NodeId};
use tonic::Status;

/// Where a caller acts: this node, its federation and its configured peers.
#[derive(Clone, Copy)]
pub struct Here<'a> {
    pub me: NodeId,
    pub members: &'a Federation,
    pub peers: &'a BTreeSet<NodeId>,
}

/// Publish opaque entries or take a backup at this node.
pub fn may_publish(who: &Identity, node: NodeId, members: &Federation) -> Result<(), Status> {
    match &who.role {
        Role::RegionOperator(r) if *r == node && members.is_national(node) => Err(Status::permission_denied(format!(
            "{who}: {node} is a national node; coordinators publish there, operators belong to a region or partner"
        ))),
        Role::RegionOperator(r) if *r == node => Ok(()),
        Role::RegionOperator(r) => Err(Status::permission_denied(format!(
            "{who} may publish only through {r}'s node; this node is {node}"
        ))),
        Role::NationalCoordinator if members.is_national(node) => Ok(()),
        Role::NationalCoordinator => Err(Status::permission_denied(format!(
            "{who} may publish only through the national node; this node is {node}"
        ))),
        Role::Node(_) => Err(Status::permission_denied(format!(
            "{who} is a node; nodes replicate, people publish"
        ))),
    }
}

/// Write records (agreements, capacity, evaluations) as this node's member: its operators only.
/// The region written as, and the author name the records carry.
pub fn may_write_records(who: &Identity, node: NodeId, members: &Federation) -> Result<(NodeId, String), Status> {
    may_publish(who, node, members)?;
    match &who.role {
        Role::RegionOperator(r) => Ok((*r, format!("operator:{r}:{}", who.name))),
        _ => Err(Status::permission_denied(format!(
            "{who} may not write records: agreements, capacity and evaluations are written by a region's operators"
        ))),
    }
}

/// Route an assistance request that asked the national level on to members: national
/// coordinators at a national node only. The author name the routing carries.
pub fn may_route(who: &Identity, node: NodeId, members: &Federation) -> Result<String, Status> {
    match &who.role {
        Role::NationalCoordinator if members.is_national(node) => Ok(format!("coordinator:{}", who.name)),
        Role::NationalCoordinator => Err(Status::permission_denied(format!(
            "{who} routes requests only at a national node; this node is {node}"
        ))),
        _ => Err(Status::permission_denied(format!(
            "{who} may not route assistance requests: national coordinators at a national node do"
        ))),
    }
}

/// Read what this node holds: its entries, the records derived from them, the questions.
/// National coordinators at any node; a member's operator only at its own node, which holds
/// exactly what that member may see.
pub fn may_read(who: &Identity, node: NodeId) -> Result<(), Status> {
    match &who.role {
        Role::NationalCoordinator => Ok(()),
        Role::RegionOperator(r) if *r == node => Ok(()),
        Role::RegionOperator(r) => Err(Status::permission_denied(format!(
            "{who} may ask only {r}'s own node: this node ({node}) also holds records outside {r}'s audience"
        ))),
        Role::Node(_) => Err(Status::permission_denied(format!(
            "{who} is a node; nodes replicate through Sync, people read"
        ))),
    }
}

/// See this node's status (peers, addresses, last errors, version vectors): its own operators,
/// national coordinators and its configured peers.
pub fn may_see_status(who: &Identity, here: Here<'_>) -> Result<(), Status> {
    match &who.role {
        Role::NationalCoordinator => Ok(()),
        Role::RegionOperator(r) if *r == here.me => Ok(()),
        Role::RegionOperator(r) => Err(Status::permission_denied(format!(
            "{who} may see the status of {r}'s own node only; this node is {}",
            here.me
        ))),
        Role::Node(n) if here.peers.contains(n) => Ok(()),
        Role::Node(n) => Err(Status::permission_denied(format!(
            "{n} is not a configured peer of {}",
            here.me
        ))),
    }
}

/// Replicate with this node: a node certificate of one of its configured peers (a node
/// certificate alone is not enough: a node removed from every peer list, or whose key was
/// stolen, reads nothing).
pub fn may_replicate(who: &Identity, here: Here<'_>) -> Result<NodeId, Status> {
    let peer = who
        .node_id()
        .ok_or_else(|| Status::permission_denied(format!("{who} is not a node; only nodes may replicate")))?;
    match here.peers.contains(&peer) {
        true => Ok(peer),
        false => Err(Status::permission_denied(format!(
            "{peer} is not a configured peer of {}",
            here.me
        ))),
    }
}

/// Entries a caller may see once allowed to read: `None` = everything this node holds
/// (national coordinators), else those in the audience of the caller's member.
pub fn sees(who: &Identity) -> Option<NodeId> {
    match who.role {
        Role::Node(n) | Role::RegionOperator(n) => Some(n),
        Role::NationalCoordinator => None,
    }
}
