//! The agreements of the mix: `ids` agreements round the shipped neighbour map, some with a
//! third party, some amended to a second or third version; the lifecycle of agreement `k` is
//! chosen by `k % 20`: active (0-11), expiring soon (12), expired (13), newest version partly
//! signed (14) or only proposed (15) or rejected (16), withdrawn (17), withdrawal pending (18),
//! revoked (19). Every party signs for itself, on the content hash of the version it signs.
use anyhow::Result;
use prost::Message;
use regiosync_records::{calendar, kinds, pb, time};
use regiosync_types::chunk::body_hash;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;

use super::{audience, author, Plan, Planned, HOUR, TOPICS};

impl Plan {
    /// `ids` agreements round the neighbour map.
    pub(super) fn agreements(&mut self, ids: u64) -> Result<()> {
        let members = regiosync_types::Federation::shipped();
        let edges = members.neighbour_edges();
        let today = calendar::day_of(self.now_ms);
        for k in 0..ids {
            let (a, b) = edges[(k % edges.len() as u64) as usize];
            let mut parties = vec![a, b];
            if k % 10 == 7 {
                let third = edges.iter().find_map(|&(x, y)| match (x == b, y == b) {
                    (true, _) if y != a => Some(y),
                    (_, true) if x != a => Some(x),
                    _ => None,
                });
                parties.extend(third);
            }
            let (topic, hazard, resource) = TOPICS[((k / edges.len() as u64) % TOPICS.len() as u64) as usize];
            let id = format!("{a}-{b}-{topic}-{k}");
            let life = k % 20;
            let versions = if k % 4 == 0 {
                2
            } else if k % 10 == 5 {
                3
            } else {
                1
            };
            let base = today - 300 - (k * 37 % 1500) as i64;
            let valid_until = match life {
                12 => today + 10 + (k % 40) as i64,
                13 => today - 20 - (k % 100) as i64,
                _ => today + 100 + (k * 53 % 900) as i64,
            };
            let mut resources = vec![pb::ResourceLimit {
                resource_type: resource.into(),
                max_quantity: 1 + (k % 4) as u32,
            }];
            if k % 2 == 0 && resource != "TS" {
                resources.push(pb::ResourceLimit {
                    resource_type: "TS".into(),
                    max_quantity: 2,
                });
            }
            let aud = audience(&parties);
            let mut last_day = base;
            for v in 1..=versions {
                let proposed = base + (v as i64 - 1) * 120;
                let from = proposed + 30;
                let agreement = pb::Agreement {
                    agreement_id: id.clone(),
                    version: v,
                    code_list_version: 2,
                    title: format!("Bijstand {topic} {a}-{b}, versie {v}"),
                    purpose: "Wederzijdse bijstand in het grensgebied".into(),
                    parties: parties
                        .iter()
                        .map(|p| pb::Party {
                            region: p.to_string(),
                            role: "both".into(),
                        })
                        .collect(),
                    scope: Some(pb::Scope {
                        hazards: vec![hazard.into()],
                        resources: resources.clone(),
                        area: "grensgebied van de partijen".into(),
                    }),
                    activation: Some(pb::Activation {
                        may_request: vec!["OL".into(), "CvD".into()],
                        min_escalation: "GRIP1".into(),
                        target_response_minutes: 30,
                        procedure: "Via de meldkamer van de assisterende regio, bevestigd door de CvD".into(),
                    }),
                    cost_reimbursement: "Volgens de landelijke kostenverdeling bijstand".into(),
                    command_and_liability: "Eenheden vallen onder de operationele leiding van de ontvangende regio"
                        .into(),
                    validity: Some(pb::Validity {
                        effective_from: time::format_date(from),
                        valid_until: time::format_date(valid_until.max(from + 1)),
                        notice_days: if life == 17 { 0 } else { 30 },
                    }),
                    author: String::new(),
                };
                let proposer = parties[(v as usize - 1) % parties.len()];
                let payload = pb::Agreement {
                    author: author(proposer),
                    ..agreement
                }
                .encode_to_vec();
                let hash = body_hash(&payload).to_vec();
                self.agreement_record(proposer, proposed, 9, kinds::AGREEMENT, &aud, payload);
                self.mix.agreement_versions += 1;
                let newest = v == versions;
                for (i, &p) in parties.iter().enumerate() {
                    let day = proposed + 2 + 3 * i as i64;
                    let last = i + 1 == parties.len();
                    last_day = last_day.max(day);
                    let bytes = match (life, newest, last) {
                        (15, true, _) | (14, true, true) => continue,
                        (16, true, true) => pb::AgreementRejection {
                            agreement_id: id.clone(),
                            version: v,
                            content_sha256: hash.clone(),
                            party: p.to_string(),
                            reason: "De bijstandscapaciteit is te ruim geformuleerd".into(),
                            author: author(p),
                        }
                        .encode_to_vec(),
                        _ => pb::AgreementSignature {
                            agreement_id: id.clone(),
                            version: v,
                            content_sha256: hash.clone(),
                            party: p.to_string(),
                            author: author(p),
                        }
                        .encode_to_vec(),
                    };
                    let kind = if (life, newest, last) == (16, true, true) {
                        kinds::AGREEMENT_REJECTION
                    } else {
                        kinds::AGREEMENT_SIGNATURE
                    };
                    self.agreement_record(p, day, 14, kind, &aud, bytes);
                    self.mix.agreement_acts += 1;
                }
            }
            let ending = match life {
                17 => Some((kinds::AGREEMENT_WITHDRAWAL, (last_day + 10).max(today - 200))),
                18 => Some((kinds::AGREEMENT_WITHDRAWAL, today - 5)),
                19 => Some((kinds::AGREEMENT_REVOCATION, (last_day + 10).max(today - 100))),
                _ => None,
            };
            if let Some((kind, day)) = ending {
                let p = parties[1];
                let reason = "Herindeling van de bijstandsafspraken".to_string();
                let bytes = if kind == kinds::AGREEMENT_WITHDRAWAL {
                    pb::AgreementWithdrawal {
                        agreement_id: id.clone(),
                        party: p.to_string(),
                        reason,
                        author: author(p),
                    }
                    .encode_to_vec()
                } else {
                    pb::AgreementRevocation {
                        agreement_id: id.clone(),
                        party: p.to_string(),
                        reason,
                        author: author(p),
                    }
                    .encode_to_vec()
                };
                self.agreement_record(p, day, 11, kind, &aud, bytes);
                self.mix.agreement_acts += 1;
            }
            self.mix.agreements += 1;
        }
        Ok(())
    }

    fn agreement_record(
        &mut self,
        origin: NodeId,
        day: i64,
        hour: i64,
        kind: &'static str,
        aud: &[String],
        payload: Vec<u8>,
    ) {
        let created_ms = (calendar::day_start(day) + hour * HOUR).min(self.now_ms - HOUR);
        let p = Planned {
            created_ms,
            status: Status::Actual,
            kind,
            audience: aud.to_vec(),
            payload,
        };
        self.add(origin, p);
    }
}
