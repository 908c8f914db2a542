//! The simulated federation: its members, their certificates, who peers with whom, the
//! records they write, and what the process may hold open and has spent.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Result};
use regiosync_replication::Draft;
use regiosync_trust::{DevCa, Signer, Verifier};
use regiosync_types::federation::{Member, MemberKind};
use regiosync_types::{Federation, NodeId};

use crate::mix::Plan;

/// The members and a throwaway CA that issued every node certificate.
pub struct Sim {
    pub members: Federation,
    pub partners: usize,
    ca: DevCa,
}

/// The shipped federation, NL-B and partners PA0001.. until there are `members`.
pub fn build(members: usize) -> Result<Sim> {
    let shipped = Federation::shipped();
    let base = shipped.ids().count() + 1;
    if members < base + 1 {
        bail!(
            "at least {} members: the shipped {}, NL-B and one partner",
            base + 1,
            base - 1
        );
    }
    let mut more = vec![Member {
        id: "NL-B".parse()?,
        kind: MemberKind::National,
        name: "Landelijk (tweede rekencentrum)".into(),
        neighbours: Vec::new(),
        issuers: Vec::new(),
    }];
    let partners = members - base;
    for i in 1..=partners {
        more.push(Member {
            id: format!("PA{i:04}").parse()?,
            kind: MemberKind::Partner,
            name: format!("Partner {i}"),
            neighbours: Vec::new(),
            issuers: Vec::new(),
        });
    }
    Ok(Sim {
        members: shipped.with(more)?,
        partners,
        ca: DevCa::generate("regiosync scale CA")?,
    })
}

impl Sim {
    pub fn signer(&self, id: NodeId) -> Arc<Signer> {
        let issued = self.ca.issue_node(id).expect("a node certificate");
        Arc::new(Signer::from_pem(&issued.cert_pem, &issued.key_pem).expect("its signer"))
    }

    /// A verifier of its own for each node: what one admits the others do not see.
    pub fn verifier(&self) -> Arc<Verifier> {
        let v = Verifier::from_ca_pem(self.ca.cert_pem()).expect("the CA");
        Arc::new(v.with_members(self.members.clone()))
    }

    /// Who `id` pulls from: a national node from every other member, a region from the
    /// national nodes and its neighbours, a partner from the national nodes.
    pub fn peers_of(&self, id: NodeId) -> Vec<NodeId> {
        if self.members.is_national(id) {
            return self.members.ids().filter(|m| *m != id).collect();
        }
        let mut peers = self.members.nationals().to_vec();
        if let Some(m) = self.members.member(id) {
            peers.extend(m.neighbours.iter().copied());
        }
        peers
    }
}

/// Capacity reports as the query benchmark writes them (`mix`), one after another.
pub struct Reports {
    plan: Plan,
    next: AtomicU64,
}

/// Reports a member can write before their as-of moments run out.
const REPORTS: u64 = 1_000_000;

impl Reports {
    pub fn new() -> Result<Reports> {
        Ok(Reports {
            plan: Plan::new(2_000, regiosync_replication::now_ms())?,
            next: AtomicU64::new(0),
        })
    }

    /// The next capacity report of `origin` about itself, for `audience` besides the national
    /// nodes.
    pub fn draft(&self, origin: NodeId, audience: Vec<String>) -> Draft {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let report = self.plan.capacity_report(origin, REPORTS - 1 - n % REPORTS, REPORTS);
        Draft {
            kind: report.kind.into(),
            status: report.status as i32,
            audience,
            payload: report.payload,
            ..Draft::default()
        }
    }
}

/// Raise this process's limit of open files to `want` (each store holds a few).
pub fn raise_open_files(want: u64) -> Result<()> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    #[allow(unsafe_code)]
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            bail!("getrlimit(RLIMIT_NOFILE): {}", std::io::Error::last_os_error());
        }
        if lim.rlim_cur >= want {
            return Ok(());
        }
        if lim.rlim_max < want {
            bail!(
                "{want} open files needed for the stores, but this process may open at most {} (ulimit -Hn)",
                lim.rlim_max
            );
        }
        lim.rlim_cur = want;
        if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
            bail!("setrlimit(RLIMIT_NOFILE, {want}): {}", std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_thousand_members_with_two_national_nodes() {
        let sim = super::build(1000).unwrap();
        assert_eq!(sim.members.ids().count(), 1000);
        assert_eq!(sim.members.nationals().len(), 2);
        assert_eq!(sim.partners, 973);
        let nl = regiosync_types::NodeId::NL;
        assert_eq!(sim.peers_of(nl).len(), 999);
        let vr01 = regiosync_types::NodeId::region(1).unwrap();
        assert!(
            sim.peers_of(vr01).len() > 2,
            "both national nodes and VR01's neighbours"
        );
    }
}
