//! Tests of the agreement lifecycle: every state, amendments, acts that do not count, and a
//! property test that the view depends only on the set of records held (any order, duplicates,
//! any subset delivered so far).
use std::collections::BTreeMap;

use prost::Message;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use sha2::{Digest, Sha256};

use crate::agreement::{derive, derive_all, state, EXPIRING_WINDOW_DAYS};
use crate::calendar;
use crate::pb;
use crate::record::{Payload, Record};
use crate::time::{parse_date, parse_moment, MS_PER_DAY};

pub(crate) const ID: &str = "VR01-VR02-waterongevallen";
pub(crate) const YEAR: (&str, &str, u32) = ("2026-01-01", "2026-12-31", 90);

/// 09:00 UTC on a day.
pub(crate) fn at(date: &str) -> i64 {
    parse_moment("t", &format!("{date}T09:00:00Z")).unwrap()
}

/// 00:00 Dutch time on a day (when the Dutch day begins).
pub(crate) fn midnight(date: &str) -> i64 {
    calendar::day_start(parse_date("t", date).unwrap())
}

pub(crate) fn hash(version: &Record) -> Vec<u8> {
    match &version.payload {
        Payload::Agreement(_, h) => h.to_vec(),
        _ => panic!("{} is not an agreement", version.id),
    }
}

pub(crate) fn number(version: &Record) -> u32 {
    match &version.payload {
        Payload::Agreement(a, _) => a.version,
        _ => panic!("{} is not an agreement", version.id),
    }
}

/// Records as the regions' logs would hold them: each origin numbers its own.
#[derive(Default)]
pub(crate) struct Logs {
    pub(crate) id: String,
    seqs: BTreeMap<NodeId, u64>,
    pub(crate) records: Vec<Record>,
}

impl Logs {
    pub(crate) fn new(id: &str) -> Logs {
        Logs {
            id: id.into(),
            ..Logs::default()
        }
    }

    pub(crate) fn push(&mut self, origin: &str, created: i64, payload: Payload) -> Record {
        let origin: NodeId = origin.parse().unwrap();
        let seq = self.seqs.entry(origin).or_default();
        *seq += 1;
        let r = Record {
            id: format!("{origin}-{seq}"),
            origin,
            seq: *seq,
            created_unix_ms: created,
            status: Status::Actual,
            payload,
        };
        self.records.push(r.clone());
        r
    }

    /// An agreement version; the hash is SHA-256 of its encoded bytes, as on the wire.
    pub(crate) fn version(
        &mut self,
        origin: &str,
        created: i64,
        version: u32,
        parties: &[&str],
        validity: (&str, &str, u32),
    ) -> Record {
        let a = pb::Agreement {
            agreement_id: self.id.clone(),
            version,
            code_list_version: 1,
            title: format!("Bijstand waterongevallen, versie {version}"),
            parties: crate::testsuite::parties(parties, "both"),
            validity: Some(pb::Validity {
                effective_from: validity.0.into(),
                valid_until: validity.1.into(),
                notice_days: validity.2,
            }),
            author: format!("operator:{origin}:jansen"),
            ..Default::default()
        };
        let h: [u8; 32] = Sha256::digest(a.encode_to_vec()).into();
        self.push(origin, created, Payload::Agreement(a, h))
    }

    pub(crate) fn sign(&mut self, origin: &str, created: i64, v: &Record) -> Record {
        self.sign_as(origin, origin, created, number(v), hash(v))
    }

    pub(crate) fn sign_as(
        &mut self,
        origin: &str,
        party: &str,
        created: i64,
        version: u32,
        content_sha256: Vec<u8>,
    ) -> Record {
        let s = pb::AgreementSignature {
            agreement_id: self.id.clone(),
            version,
            content_sha256,
            party: party.into(),
            author: format!("operator:{origin}:de-vries"),
        };
        self.push(origin, created, Payload::Signature(s))
    }

    pub(crate) fn reject(&mut self, origin: &str, created: i64, v: &Record, reason: &str) -> Record {
        let j = pb::AgreementRejection {
            agreement_id: self.id.clone(),
            version: number(v),
            content_sha256: hash(v),
            party: origin.into(),
            reason: reason.into(),
            author: String::new(),
        };
        self.push(origin, created, Payload::Rejection(j))
    }

    pub(crate) fn withdraw(&mut self, origin: &str, created: i64) -> Record {
        let w = pb::AgreementWithdrawal {
            agreement_id: self.id.clone(),
            party: origin.into(),
            reason: "reorganisatie".into(),
            author: String::new(),
        };
        self.push(origin, created, Payload::Withdrawal(w))
    }

    pub(crate) fn revoke(&mut self, origin: &str, created: i64) -> Record {
        let v = pb::AgreementRevocation {
            agreement_id: self.id.clone(),
            party: origin.into(),
            reason: "afspraken niet nagekomen".into(),
            author: String::new(),
        };
        self.push(origin, created, Payload::Revocation(v))
    }

    pub(crate) fn view(&self, now: i64) -> pb::AgreementView {
        derive(&self.id, &self.records, now, EXPIRING_WINDOW_DAYS).expect("a version is held")
    }
}

/// v1 between VR01 and VR02 for 2026, signed by both on 5 and 8 January.
pub(crate) fn active_v1() -> (Logs, Record) {
    let mut l = Logs::new(ID);
    let v1 = l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02"], YEAR);
    l.sign("VR01", at("2026-01-05"), &v1);
    l.sign("VR02", at("2026-01-08"), &v1);
    (l, v1)
}

pub(crate) fn states(v: &pb::AgreementView) -> Vec<(u32, &str)> {
    v.versions.iter().map(|x| (x.version, x.state.as_str())).collect()
}

pub(crate) fn ignored(v: &pb::AgreementView) -> Vec<(&str, &str)> {
    v.ignored
        .iter()
        .map(|i| (i.record_id.as_str(), i.reason.as_str()))
        .collect()
}

#[test]
fn proposed_then_partially_signed() {
    let mut l = Logs::new(ID);
    let v1 = l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02"], YEAR);
    let v = l.view(at("2026-01-06"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("proposed", 0, 1)
    );
    assert_eq!((v.days_left, v.expiring_soon, v.status.as_str()), (0, false, "actual"));
    let ver = &v.versions[0];
    assert_eq!(ver.unsigned, ["VR01", "VR02"]);
    assert_eq!(ver.content_sha256, hex::encode(hash(&v1)));
    assert_eq!(ver.record.as_ref().unwrap().id, "VR01-1");
    assert_eq!(ver.active_from_unix_ms, 0);

    l.sign("VR02", at("2026-01-06"), &v1);
    let v = l.view(at("2026-01-07"));
    assert_eq!(v.state, state::PARTIALLY_SIGNED);
    assert_eq!(v.versions[0].unsigned, ["VR01"]);
    let signed = &v.versions[0].signed[0];
    assert_eq!((signed.party.as_str(), signed.record_id.as_str()), ("VR02", "VR02-1"));
    assert_eq!(
        (signed.author.as_str(), signed.at_unix_ms),
        ("operator:VR02:de-vries", at("2026-01-06"))
    );
    assert_eq!(v.versions[0].active_from_unix_ms, 0);
}

#[test]
fn signed_until_the_effective_date_then_active() {
    let mut l = Logs::new(ID);
    let v1 = l.version(
        "VR01",
        at("2026-01-05"),
        1,
        &["VR01", "VR02"],
        ("2026-03-01", "2026-12-31", 90),
    );
    l.sign("VR02", at("2026-01-08"), &v1);
    l.sign("VR01", at("2026-01-05"), &v1);
    let v = l.view(at("2026-02-01"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("signed", 0));
    assert_eq!(v.versions[0].active_from_unix_ms, midnight("2026-03-01"));
    assert_eq!(
        v.versions[0]
            .signed
            .iter()
            .map(|a| a.party.as_str())
            .collect::<Vec<_>>(),
        ["VR01", "VR02"]
    );
    assert_eq!(l.view(midnight("2026-03-01") - 1).state, state::SIGNED);
    let v = l.view(midnight("2026-03-01"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("active", 1));
}

#[test]
fn active_from_the_last_signature_with_days_left_and_expiring_soon() {
    let (l, v1) = active_v1();
    let v = l.view(at("2026-01-08"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("active", 1, 1)
    );
    assert_eq!(v.versions[0].active_from_unix_ms, at("2026-01-08"));
    assert_eq!(v.versions[0].content_sha256, hex::encode(hash(&v1)));
    assert_eq!((v.days_left, v.expiring_soon), (357, false));
    // 31 December is the last day: 60 days before it the flag turns on.
    let v = l.view(at("2026-11-01"));
    assert_eq!((v.days_left, v.expiring_soon), (60, true));
    assert!(!l.view(at("2026-10-31")).expiring_soon);
    assert!(!derive(ID, &l.records, at("2026-11-01"), 30).unwrap().expiring_soon);
}

#[test]
fn expired_from_the_day_after_valid_until() {
    let (l, _) = active_v1();
    let v = l.view(midnight("2027-01-01") - 1);
    assert_eq!((v.state.as_str(), v.days_left, v.expiring_soon), ("active", 0, true));
    let v = l.view(midnight("2027-01-01"));
    assert_eq!((v.state.as_str(), v.version_in_force, v.days_left), ("expired", 1, -1));
    assert!(!v.expiring_soon);
    assert_eq!(states(&v), [(1, "expired")]);
}

#[test]
fn withdrawal_is_pending_during_the_notice_period_then_withdrawn() {
    let (mut l, _) = active_v1();
    l.withdraw("VR02", at("2026-03-01"));
    // 90 Dutch days at the same Dutch clock time: 10:00 CET on 1 March is 10:00 CEST on 30 May.
    let effective = parse_moment("t", "2026-05-30T08:00:00Z").unwrap();
    assert_ne!(effective, at("2026-03-01") + 90 * MS_PER_DAY, "not 90 times 24 hours");
    let v = l.view(at("2026-04-01"));
    assert_eq!(v.state, state::ACTIVE);
    let w = v.withdrawal.as_ref().expect("pending withdrawal");
    assert_eq!((w.party.as_str(), w.record_id.as_str()), ("VR02", "VR02-2"));
    assert_eq!((w.at_unix_ms, w.effective_unix_ms), (at("2026-03-01"), effective));
    assert_eq!(l.view(effective - 1).state, state::ACTIVE);
    let v = l.view(effective);
    assert_eq!((v.state.as_str(), v.version_in_force), ("withdrawn", 1));
    assert_eq!(states(&v), [(1, "withdrawn")]);
    // After valid_until it stays withdrawn: that ended it first.
    assert_eq!(l.view(at("2027-06-01")).state, state::WITHDRAWN);

    // A later withdrawal by the other party does not count; it is listed.
    l.withdraw("VR01", at("2026-03-02"));
    assert_eq!(
        ignored(&l.view(effective)),
        [("VR01-3", "withdrawal VR02-2 takes effect first")]
    );
}

#[test]
fn withdrawal_by_a_non_party_or_for_another_party_is_ignored() {
    let (mut l, _) = active_v1();
    l.withdraw("VR03", at("2026-03-01"));
    let w = pb::AgreementWithdrawal {
        agreement_id: ID.into(),
        party: "VR01".into(),
        reason: "namens VR01".into(),
        author: String::new(),
    };
    l.push("VR02", at("2026-03-01"), Payload::Withdrawal(w));
    let v = l.view(at("2026-12-01"));
    assert_eq!((v.state.as_str(), v.withdrawal.is_none()), ("active", true));
    assert_eq!(
        ignored(&v),
        [
            ("VR02-2", "party VR01 is not the record's origin VR02"),
            ("VR03-1", "VR03 is not a party to version 1, in force when it withdrew"),
        ]
    );
}

#[test]
fn withdrawal_before_any_version_was_in_force_ends_it_at_once() {
    let mut l = Logs::new(ID);
    let v1 = l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02"], YEAR);
    l.sign("VR01", at("2026-01-05"), &v1);
    l.withdraw("VR02", at("2026-01-07"));
    // Signing afterwards does not bring it into force.
    l.sign("VR02", at("2026-01-09"), &v1);
    assert_eq!(
        l.view(at("2026-01-07") - 1).state,
        state::SIGNED,
        "all signed, the last signature still to come"
    );
    assert_eq!(l.view(at("2026-01-08")).state, state::WITHDRAWN);
    let v = l.view(at("2026-01-10"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("withdrawn", 0, 1)
    );
    assert_eq!(v.withdrawal.as_ref().unwrap().effective_unix_ms, at("2026-01-07"));
    assert_eq!(states(&v), [(1, "withdrawn")]);
}

#[test]
fn revoked_from_the_moment_of_the_revocation_and_the_earliest_counts() {
    let (mut l, _) = active_v1();
    l.revoke("VR01", at("2026-05-01"));
    l.revoke("VR02", at("2026-05-02"));
    assert_eq!(l.view(at("2026-05-01") - 1).state, state::ACTIVE);
    let v = l.view(at("2026-05-01"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("revoked", 1));
    assert_eq!(states(&v), [(1, "revoked")]);
    let r = v.revocation.as_ref().unwrap();
    assert_eq!(
        (r.party.as_str(), r.record_id.as_str(), r.at_unix_ms),
        ("VR01", "VR01-3", at("2026-05-01"))
    );
    assert_eq!(ignored(&v), [("VR02-2", "revoked earlier by VR01-3")]);
    assert!(!v.expiring_soon);
    // Revoked stays revoked, also past valid_until.
    assert_eq!(l.view(at("2027-03-01")).state, state::REVOKED);
}

#[test]
fn revocation_before_any_version_in_force_revokes_the_newest() {
    let mut l = Logs::new(ID);
    l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02"], YEAR);
    l.revoke("VR02", at("2026-01-06"));
    l.revoke("VR03", at("2026-01-06"));
    let v = l.view(at("2026-01-07"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("revoked", 0));
    assert_eq!(states(&v), [(1, "revoked")]);
    assert_eq!(ignored(&v), [("VR03-1", "VR03 is not a party to any version held")]);
}

#[test]
fn a_rejection_rejects_the_version_and_wins_over_a_signature() {
    let mut l = Logs::new(ID);
    let v1 = l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02", "VR03"], YEAR);
    l.sign("VR01", at("2026-01-05"), &v1);
    l.sign("VR02", at("2026-01-06"), &v1);
    l.reject("VR02", at("2026-01-07"), &v1, "bijstand te ruim");
    l.sign("VR03", at("2026-01-08"), &v1);
    let v = l.view(at("2026-01-09"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("rejected", 0, 1)
    );
    let ver = &v.versions[0];
    assert_eq!(
        ver.signed.iter().map(|a| a.party.as_str()).collect::<Vec<_>>(),
        ["VR01", "VR03"]
    );
    assert!(ver.unsigned.is_empty());
    assert_eq!(
        (ver.rejected[0].party.as_str(), ver.rejected[0].reason.as_str()),
        ("VR02", "bijstand te ruim")
    );
    assert_eq!(ver.active_from_unix_ms, 0);
    assert_eq!(
        ignored(&v),
        [("VR02-1", "VR02 also rejected version 1 (VR02-2): the rejection counts")]
    );
}

#[test]
fn a_rejection_once_the_version_was_active_is_ignored() {
    let (mut l, v1) = active_v1();
    l.reject("VR02", at("2026-02-01"), &v1, "toch niet");
    let v = l.view(at("2026-02-02"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("active", 1));
    assert_eq!(
        ignored(&v),
        [(
            "VR02-2",
            "version 1 had been active since 2026-01-08T09:00:00Z: an active version is withdrawn or revoked, not rejected"
        )]
    );
}

#[test]
fn an_amendment_supersedes_only_once_it_is_active() {
    let (mut l, _) = active_v1();
    let v2 = l.version(
        "VR02",
        at("2026-03-01"),
        2,
        &["VR01", "VR02", "VR03"],
        ("2026-03-01", "2027-12-31", 30),
    );
    let v = l.view(at("2026-03-02"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("active", 1, 2)
    );
    assert_eq!(states(&v), [(1, "active"), (2, "proposed")]);

    l.sign("VR02", at("2026-03-02"), &v2);
    l.sign("VR03", at("2026-03-03"), &v2);
    let v = l.view(at("2026-03-04"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("active", 1, 2)
    );
    assert_eq!(states(&v), [(1, "active"), (2, "partially_signed")]);
    assert_eq!(v.versions[1].unsigned, ["VR01"]);
    assert_eq!(v.days_left, 302, "days left of version 1");

    l.sign("VR01", at("2026-03-05"), &v2);
    let v = l.view(at("2026-03-05"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("active", 2, 2)
    );
    assert_eq!(states(&v), [(1, "superseded"), (2, "active")]);
    assert_eq!(v.versions[1].active_from_unix_ms, at("2026-03-05"));
    // Version 2 runs past the end of version 1.
    assert_eq!(l.view(at("2027-06-01")).state, state::ACTIVE);
}

#[test]
fn a_signed_amendment_with_a_later_effective_date_does_not_displace_the_version_in_force() {
    let (mut l, _) = active_v1();
    let v2 = l.version(
        "VR01",
        at("2026-03-01"),
        2,
        &["VR01", "VR02"],
        ("2026-07-01", "2027-12-31", 30),
    );
    l.sign("VR01", at("2026-03-01"), &v2);
    l.sign("VR02", at("2026-03-02"), &v2);
    let v = l.view(at("2026-06-30"));
    assert_eq!((v.state.as_str(), v.version_in_force), ("active", 1));
    assert_eq!(states(&v), [(1, "active"), (2, "signed")]);
    let v = l.view(midnight("2026-07-01"));
    assert_eq!(states(&v), [(1, "superseded"), (2, "active")]);
    // A withdrawal now gives the notice of version 2, in force when it is made.
    l.withdraw("VR02", at("2026-08-01"));
    let v = l.view(at("2026-08-02"));
    assert_eq!(v.withdrawal.unwrap().effective_unix_ms, at("2026-08-31"));
    assert_eq!(l.view(at("2026-08-31")).state, state::WITHDRAWN);
}

#[test]
fn two_versions_with_one_number_are_both_listed_in_order() {
    let mut l = Logs::new(ID);
    let b = l.version("VR02", at("2026-01-06"), 1, &["VR01", "VR02"], YEAR);
    let a = l.version("VR01", at("2026-01-05"), 1, &["VR01", "VR02"], YEAR);
    l.sign("VR01", at("2026-01-07"), &b);
    let v = l.view(at("2026-01-08"));
    let ids: Vec<_> = v
        .versions
        .iter()
        .map(|x| x.record.as_ref().unwrap().id.as_str())
        .collect();
    assert_eq!(ids, ["VR01-1", "VR02-1"]);
    assert_eq!(states(&v), [(1, "proposed"), (1, "partially_signed")]);
    assert_ne!(hash(&a), hash(&b));
}

#[test]
fn acts_that_do_not_count_are_listed_with_the_reason() {
    let (mut l, v1) = active_v1();
    let not_held = l.version("VR01", at("2026-01-01"), 2, &["VR01", "VR02"], YEAR);
    l.records.pop();
    l.sign_as("VR02", "VR02", at("2026-01-09"), 1, vec![7; 32]); // VR02-2
    l.sign("VR03", at("2026-01-09"), &v1); // VR03-1
    l.sign_as("VR02", "VR01", at("2026-01-09"), 1, hash(&v1)); // VR02-3
    l.sign_as("VR02", "VR02", at("2026-01-09"), 2, hash(&v1)); // VR02-4
    l.sign("VR02", at("2026-01-10"), &not_held); // VR02-5
    l.sign("VR02", at("2026-01-11"), &v1); // VR02-6
    let mut test = l.records.last().unwrap().clone();
    test.seq = 7;
    test.id = "VR02-7".into();
    test.status = Status::Test;
    l.records.push(test);
    let proposer = l.version("VR03", at("2026-01-12"), 3, &["VR01", "VR02"], YEAR); // VR03-2
    let v = l.view(at("2026-01-12"));
    assert_eq!(
        (v.state.as_str(), v.version_in_force, v.newest_version),
        ("active", 1, 1)
    );
    assert_eq!(
        ignored(&v),
        [
            ("VR02-2", "content hash matches no version held"),
            ("VR02-3", "party VR01 is not the record's origin VR02"),
            ("VR02-4", "content hash is that of version 1, not version 2"),
            ("VR02-5", "content hash matches no version held"),
            ("VR02-6", "VR02 signed version 1 earlier (VR02-1)"),
            ("VR02-7", "status test does not match version 1 (actual)"),
            ("VR03-1", "VR03 is not a party to version 1"),
            ("VR03-2", "VR03 proposed version 3 but is not one of its parties"),
        ]
    );
    // A version proposed by a non-party alone is no agreement.
    assert_eq!(derive(ID, &[proposer], at("2026-01-12"), 60), None);
    // Once the version arrives, the signature that waited for it counts.
    l.records.push(not_held.clone());
    l.sign("VR01", at("2026-01-02"), &not_held);
    let v = l.view(at("2026-01-12"));
    assert_eq!((v.version_in_force, v.newest_version), (2, 2));
    assert_eq!(states(&v), [(1, "superseded"), (2, "active")]);
    assert_eq!(v.versions[1].active_from_unix_ms, at("2026-01-10"));
    assert!(!ignored(&v).iter().any(|(id, _)| *id == "VR02-5"));
}

#[test]
fn derive_reads_only_its_agreement_and_derive_all_sorts_by_id() {
    let (a, _) = active_v1();
    let mut b = Logs::new("VR01-VR03-hoogwerker");
    b.version("VR03", at("2026-01-05"), 1, &["VR01", "VR03"], YEAR);
    let mut all = b.records.clone();
    all.extend(a.records.iter().cloned());
    let now = at("2026-02-01");
    assert_eq!(derive(ID, &all, now, 60), Some(a.view(now)));
    assert_eq!(derive("VR09-VR10-none", &all, now, 60), None);
    let views = derive_all(&all, now, 60);
    let ids: Vec<_> = views
        .iter()
        .map(|v| (v.agreement_id.as_str(), v.state.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("VR01-VR02-waterongevallen", "active"),
            ("VR01-VR03-hoogwerker", "proposed")
        ]
    );
}
