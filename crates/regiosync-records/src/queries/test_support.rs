//! Builders for the query tests: records as a node's aggregates hold them (encoded payloads in
//! `HeldRecord`s, decoded the way the node decodes them).
use std::collections::BTreeMap;

use prost::Message;
use regiosync_types::pb::Status;

use crate::kinds;
use crate::pb;
use crate::record::{Payload, Record};

pub use crate::testsuite::{at, decode, held, node, nodes, Line};

/// A region's capacity aggregate for one status: its newest report and how many it made.
pub fn capacity(
    origin: &str,
    seq: u64,
    status: Status,
    as_of: &str,
    valid_until: &str,
    reports: u64,
    lines: &[Line],
) -> pb::CapacityLatest {
    let entries = crate::testsuite::lines(lines);
    let report = pb::CapacityReport {
        region: origin.into(),
        as_of: as_of.into(),
        valid_until: valid_until.into(),
        code_list_version: 2,
        entries,
        ..Default::default()
    };
    pb::CapacityLatest {
        record: Some(held(origin, seq, at(as_of), status, kinds::CAPACITY_REPORT, &report)),
        reports,
    }
}

/// Records about agreements as the parties' logs would hold them: each origin numbers its own.
pub struct Logs {
    seqs: BTreeMap<String, u64>,
    pub records: Vec<Record>,
    /// Status of the versions proposed next (signatures take their version's status).
    pub status: Status,
}

impl Default for Logs {
    fn default() -> Logs {
        Logs {
            seqs: BTreeMap::new(),
            records: Vec::new(),
            status: Status::Actual,
        }
    }
}

impl Logs {
    fn push(&mut self, origin: &str, created: i64, status: Status, kind: &str, payload: &impl Message) -> Record {
        let seq = self.seqs.entry(origin.into()).or_default();
        *seq += 1;
        let r = decode(&held(origin, *seq, created, status, kind, payload));
        self.records.push(r.clone());
        r
    }

    /// A version proposed by the first party, every party "both", covering `resources`.
    pub fn propose(
        &mut self,
        id: &str,
        version: u32,
        parties: &[&str],
        resources: &[(&str, u32)],
        validity: (&str, &str),
        created: i64,
    ) -> Record {
        let a = pb::Agreement {
            agreement_id: id.into(),
            version,
            code_list_version: 2,
            title: format!("{id} versie {version}"),
            parties: crate::testsuite::parties(parties, "both"),
            scope: Some(pb::Scope {
                hazards: vec!["flood".into()],
                resources: resources
                    .iter()
                    .map(|&(t, max_quantity)| pb::ResourceLimit {
                        resource_type: t.into(),
                        max_quantity,
                    })
                    .collect(),
                area: "grensgebied".into(),
            }),
            validity: Some(pb::Validity {
                effective_from: validity.0.into(),
                valid_until: validity.1.into(),
                notice_days: 30,
            }),
            ..Default::default()
        };
        self.push(parties[0], created, self.status, kinds::AGREEMENT, &a)
    }

    pub fn sign(&mut self, party: &str, version: &Record, created: i64) {
        let Payload::Agreement(a, hash) = &version.payload else {
            panic!("{} is not an agreement", version.id)
        };
        let s = pb::AgreementSignature {
            agreement_id: a.agreement_id.clone(),
            version: a.version,
            content_sha256: hash.to_vec(),
            party: party.into(),
            author: String::new(),
        };
        self.push(party, created, version.status, kinds::AGREEMENT_SIGNATURE, &s);
    }

    /// Proposed and signed by every party at `created`.
    pub fn active(
        &mut self,
        id: &str,
        parties: &[&str],
        resources: &[(&str, u32)],
        validity: (&str, &str),
        created: i64,
    ) -> Record {
        let v = self.propose(id, 1, parties, resources, validity, created);
        for p in parties {
            self.sign(p, &v, created);
        }
        v
    }

    pub fn withdraw(&mut self, party: &str, id: &str, created: i64) {
        let w = pb::AgreementWithdrawal {
            agreement_id: id.into(),
            party: party.into(),
            reason: "reorganisatie".into(),
            author: String::new(),
        };
        self.push(party, created, Status::Actual, kinds::AGREEMENT_WITHDRAWAL, &w);
    }
}
