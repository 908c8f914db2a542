//! Which records about an agreement count, and why the others do not: its versions and the
//! signatures, rejections, withdrawals and revocations made on them (the rules are in the
//! parent module's docs). Nothing here depends on `now`.
use std::collections::BTreeMap;

use regiosync_types::NodeId;

use crate::calendar;
use crate::pb;
use crate::record::{status_name, Payload, Record};
use crate::time;

/// One version held, with the acts that count for it.
pub(super) struct Version<'a> {
    pub(super) record: &'a Record,
    agreement: &'a pb::Agreement,
    hash: &'a [u8; 32],
    effective_from_ms: i64,
    pub(super) valid_until_day: i64,
    notice_days: u32,
    pub(super) signed: BTreeMap<&'a str, Act<'a>>,
    pub(super) rejected: BTreeMap<&'a str, Act<'a>>,
    /// All parties signed and none rejected: when it becomes active.
    pub(super) active_from: Option<i64>,
}

impl Version<'_> {
    pub(super) fn number(&self) -> u32 {
        self.agreement.version
    }

    pub(super) fn is_party(&self, region: &str) -> bool {
        self.agreement.parties.iter().any(|p| p.region == region)
    }

    /// The end of the Dutch day valid_until (00:00 Dutch time the day after).
    pub(super) fn expires_ms(&self) -> i64 {
        calendar::day_end(self.valid_until_day)
    }

    /// When it becomes active with the acts counted so far: every party signed and none
    /// rejected.
    fn would_be_active_from(&self) -> Option<i64> {
        if !self.rejected.is_empty() {
            return None;
        }
        self.all_signed_at().map(|signed| signed.max(self.effective_from_ms))
    }

    /// When every party had signed, if every party did.
    fn all_signed_at(&self) -> Option<i64> {
        let all = self
            .agreement
            .parties
            .iter()
            .all(|p| self.signed.contains_key(p.region.as_str()));
        all.then(|| {
            self.signed
                .values()
                .map(|a| a.record.created_unix_ms)
                .max()
                .unwrap_or(i64::MIN)
        })
    }

    pub(super) fn view(&self, state: &str) -> pb::VersionView {
        let unsigned = self
            .agreement
            .parties
            .iter()
            .map(|p| p.region.as_str())
            .filter(|p| !self.signed.contains_key(p) && !self.rejected.contains_key(p))
            .map(String::from);
        let mut unsigned: Vec<String> = unsigned.collect();
        unsigned.sort();
        pb::VersionView {
            version: self.number(),
            record: Some(self.record.meta()),
            content_sha256: hex::encode(self.hash),
            state: state.into(),
            agreement: Some(self.agreement.clone()),
            signed: self.signed.values().map(Act::view).collect(),
            unsigned,
            rejected: self.rejected.values().map(Act::view).collect(),
            active_from_unix_ms: self.active_from.unwrap_or(0),
        }
    }
}

/// A counted signature, rejection, withdrawal or revocation.
#[derive(Clone, Copy)]
pub(super) struct Act<'a> {
    pub(super) record: &'a Record,
    pub(super) party: &'a str,
    author: &'a str,
    pub(super) reason: &'a str,
    /// When it takes effect (a withdrawal after its notice; otherwise when it was made).
    pub(super) effective: i64,
}

impl Act<'_> {
    fn view(&self) -> pb::PartyAct {
        pb::PartyAct {
            party: self.party.into(),
            author: self.author.into(),
            at_unix_ms: self.record.created_unix_ms,
            reason: self.reason.into(),
            record_id: self.record.id.clone(),
        }
    }

    fn order(&self) -> (i64, i64, NodeId, u64) {
        let r = self.record;
        (self.effective, r.created_unix_ms, r.origin, r.seq)
    }
}

/// The records about one agreement, sorted into what counts and what does not.
pub(super) struct Sorted<'a> {
    pub(super) versions: Vec<Version<'a>>,
    pub(super) withdrawal: Option<Act<'a>>,
    pub(super) revocation: Option<Act<'a>>,
    pub(super) ignored: Vec<(&'a Record, String)>,
}

impl<'a> Sorted<'a> {
    pub(super) fn sort(records: &[&'a Record]) -> Sorted<'a> {
        let mut held = Sorted {
            versions: Vec::new(),
            withdrawal: None,
            revocation: None,
            ignored: Vec::new(),
        };
        held.take_versions(records);
        // Acts in the order they were made, so the first to count is the earliest.
        let mut acts: Vec<&Record> = records.to_vec();
        acts.sort_by_key(|r| (r.created_unix_ms, r.origin, r.seq));
        let mut rejections = Vec::new();
        let mut ends = Vec::new();
        for r in acts {
            match &r.payload {
                Payload::Signature(s) => held.take_signature(r, s),
                Payload::Rejection(j) => rejections.push((r, j)),
                Payload::Withdrawal(_) | Payload::Revocation(_) => ends.push(r),
                _ => {}
            }
        }
        for (r, j) in rejections {
            held.take_rejection(r, j);
        }
        for v in &mut held.versions {
            let both: Vec<&str> = v
                .signed
                .keys()
                .filter(|p| v.rejected.contains_key(*p))
                .copied()
                .collect();
            for party in both {
                if let Some(sig) = v.signed.remove(party) {
                    let why = format!(
                        "{party} also rejected version {} ({}): the rejection counts",
                        v.number(),
                        v.rejected[party].record.id
                    );
                    held.ignored.push((sig.record, why));
                }
            }
            v.active_from = v.would_be_active_from();
        }
        for r in ends {
            match &r.payload {
                Payload::Withdrawal(w) => held.take_withdrawal(r, w),
                Payload::Revocation(v) => held.take_revocation(r, v),
                _ => {}
            }
        }
        held
    }

    fn take_versions(&mut self, records: &[&'a Record]) {
        let mut versions: Vec<(&Record, &pb::Agreement, &[u8; 32])> = records
            .iter()
            .filter_map(|r| match &r.payload {
                Payload::Agreement(a, hash) => Some((*r, a, hash)),
                _ => None,
            })
            .collect();
        versions.sort_by_key(|(r, a, _)| (a.version, r.created_unix_ms, r.origin, r.seq));
        for (r, a, hash) in versions {
            match self.version(r, a, hash) {
                Ok(v) => self.versions.push(v),
                Err(why) => self.ignored.push((r, why)),
            }
        }
    }

    fn version(&self, r: &'a Record, a: &'a pb::Agreement, hash: &'a [u8; 32]) -> Result<Version<'a>, String> {
        let origin = r.origin.to_string();
        if !a.parties.iter().any(|p| p.region == origin) {
            return Err(format!(
                "{origin} proposed version {} but is not one of its parties",
                a.version
            ));
        }
        if let Some(same) = self.versions.iter().find(|v| v.hash == hash) {
            return Err(format!(
                "same content as version {} in {}",
                same.number(),
                same.record.id
            ));
        }
        let validity = a.validity.clone().unwrap_or_default();
        let effective = time::parse_date("validity.effective_from", &validity.effective_from);
        let until = time::parse_date("validity.valid_until", &validity.valid_until);
        Ok(Version {
            record: r,
            agreement: a,
            hash,
            effective_from_ms: calendar::day_start(effective.map_err(|e| e.to_string())?),
            valid_until_day: until.map_err(|e| e.to_string())?,
            notice_days: validity.notice_days,
            signed: BTreeMap::new(),
            rejected: BTreeMap::new(),
            active_from: None,
        })
    }

    /// The version a signature or rejection acts on, or why it acts on none.
    fn acted_on(&self, r: &Record, version: u32, hash: &[u8], party: &str) -> Result<usize, String> {
        let origin = r.origin.to_string();
        if party != origin {
            return Err(format!("party {party} is not the record's origin {origin}"));
        }
        let Some(i) = self.versions.iter().position(|v| v.hash[..] == *hash) else {
            return Err("content hash matches no version held".into());
        };
        let v = &self.versions[i];
        if v.number() != version {
            return Err(format!(
                "content hash is that of version {}, not version {version}",
                v.number()
            ));
        }
        if !v.is_party(party) {
            return Err(format!("{party} is not a party to version {version}"));
        }
        if r.status != v.record.status {
            return Err(format!(
                "status {} does not match version {version} ({})",
                status_name(r.status),
                status_name(v.record.status)
            ));
        }
        Ok(i)
    }

    fn take_signature(&mut self, r: &'a Record, s: &'a pb::AgreementSignature) {
        let i = match self.acted_on(r, s.version, &s.content_sha256, &s.party) {
            Ok(i) => i,
            Err(why) => return self.ignored.push((r, why)),
        };
        let v = &mut self.versions[i];
        if let Some(first) = v.signed.get(s.party.as_str()) {
            let why = format!("{} signed version {} earlier ({})", s.party, s.version, first.record.id);
            return self.ignored.push((r, why));
        }
        let act = Act {
            record: r,
            party: &s.party,
            author: &s.author,
            reason: "",
            effective: r.created_unix_ms,
        };
        v.signed.insert(&s.party, act);
    }

    /// After every signature is in: a rejection made once the version had become active is
    /// ignored (see the module docs).
    fn take_rejection(&mut self, r: &'a Record, j: &'a pb::AgreementRejection) {
        let i = match self.acted_on(r, j.version, &j.content_sha256, &j.party) {
            Ok(i) => i,
            Err(why) => return self.ignored.push((r, why)),
        };
        let v = &mut self.versions[i];
        if let Some(first) = v.rejected.get(j.party.as_str()) {
            let why = format!(
                "{} rejected version {} earlier ({})",
                j.party, j.version, first.record.id
            );
            return self.ignored.push((r, why));
        }
        // Rejections come in the order they were made: once one counts, the version never
        // became active, and later ones count too.
        if let Some(active) = v.would_be_active_from().filter(|&a| a <= r.created_unix_ms) {
            let why = format!(
                "version {} had been active since {}: an active version is withdrawn or revoked, not rejected",
                j.version,
                time::format_moment(active)
            );
            return self.ignored.push((r, why));
        }
        let act = Act {
            record: r,
            party: &j.party,
            author: &j.author,
            reason: &j.reason,
            effective: r.created_unix_ms,
        };
        v.rejected.insert(&j.party, act);
    }

    fn take_withdrawal(&mut self, r: &'a Record, w: &'a pb::AgreementWithdrawal) {
        let effective = match self.withdrawal_effective(r, &w.party) {
            Ok(at) => at,
            Err(why) => return self.ignored.push((r, why)),
        };
        let act = Act {
            record: r,
            party: &w.party,
            author: &w.author,
            reason: &w.reason,
            effective,
        };
        match self.withdrawal {
            Some(first) if first.order() <= act.order() => {
                let why = format!("withdrawal {} takes effect first", first.record.id);
                self.ignored.push((r, why));
            }
            first => {
                if let Some(first) = first {
                    let why = format!("withdrawal {} takes effect first", r.id);
                    self.ignored.push((first.record, why));
                }
                self.withdrawal = Some(act);
            }
        }
    }

    /// A withdrawal takes effect after the notice period of the version in force when it was
    /// made (the same Dutch clock time `notice_days` Dutch days later), or at once when none was.
    fn withdrawal_effective(&self, r: &Record, party: &str) -> Result<i64, String> {
        let origin = r.origin.to_string();
        if party != origin {
            return Err(format!("party {party} is not the record's origin {origin}"));
        }
        let made = r.created_unix_ms;
        let Some(i) = self.in_force(made, i64::MAX) else {
            self.party_to_any(r, party)?;
            return Ok(made);
        };
        let v = &self.versions[i];
        if !v.is_party(party) {
            return Err(format!(
                "{party} is not a party to version {}, in force when it withdrew",
                v.number()
            ));
        }
        if r.status != v.record.status {
            return Err(format!(
                "status {} does not match version {} ({})",
                status_name(r.status),
                v.number(),
                status_name(v.record.status)
            ));
        }
        Ok(calendar::add_days(made, i64::from(v.notice_days)))
    }

    fn take_revocation(&mut self, r: &'a Record, v: &'a pb::AgreementRevocation) {
        let origin = r.origin.to_string();
        let counts = if v.party == origin {
            self.party_to_any(r, &v.party)
        } else {
            Err(format!("party {} is not the record's origin {origin}", v.party))
        };
        if let Err(why) = counts {
            return self.ignored.push((r, why));
        }
        // Acts come in the order they were made: the first that counts is the earliest.
        if let Some(first) = self.revocation {
            let why = format!("revoked earlier by {}", first.record.id);
            return self.ignored.push((r, why));
        }
        self.revocation = Some(Act {
            record: r,
            party: &v.party,
            author: &v.author,
            reason: &v.reason,
            effective: r.created_unix_ms,
        });
    }

    fn party_to_any(&self, r: &Record, party: &str) -> Result<(), String> {
        let theirs = || self.versions.iter().filter(|v| v.is_party(party));
        if theirs().next().is_none() {
            return Err(format!("{party} is not a party to any version held"));
        }
        if !theirs().any(|v| v.record.status == r.status) {
            return Err(format!(
                "status {} matches no version {party} is a party to",
                status_name(r.status)
            ));
        }
        Ok(())
    }

    /// The version in force at `t`, among versions active before `ended` (the agreement ended
    /// then): the last in version order whose active-from is at or before `t`.
    pub(super) fn in_force(&self, t: i64, ended: i64) -> Option<usize> {
        self.versions
            .iter()
            .rposition(|v| v.active_from.is_some_and(|a| a <= t && a < ended))
    }
}
