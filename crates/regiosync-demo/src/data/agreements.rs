//! Supra-regional agreements between neighbouring regions, each with the script of acts that
//! brings it into one lifecycle state: proposed, partially signed, signed (effective date still
//! ahead), active (one expiring soon), expired, withdrawn (at once, and with notice pending),
//! revoked, rejected, and two amendments (one awaiting signatures, one in force).
use regiosync_records::pb::{Activation, Agreement, Party, ResourceLimit, Scope, Validity};
use regiosync_types::NodeId;

use super::agreement_specs::{Spec, COMMAND, COSTS, PROCEDURES, SPECS};
use super::{date_from_today, today, vr, year_of};

/// The lifecycle state a script leads to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Life {
    Proposed,
    PartiallySigned,
    Signed,
    Active,
    ExpiringSoon,
    Expired,
    WithdrawnNow,
    WithdrawalPending,
    Revoked,
    Rejected,
    AmendmentPending,
    AmendmentSigned,
}

impl Life {
    /// The overall state NL should derive for an agreement that went through this script.
    pub fn state(self) -> &'static str {
        match self {
            Life::Proposed => "proposed",
            Life::PartiallySigned => "partially_signed",
            Life::Signed => "signed",
            Life::Expired => "expired",
            Life::WithdrawnNow => "withdrawn",
            Life::Revoked => "revoked",
            Life::Rejected => "rejected",
            Life::Active
            | Life::ExpiringSoon
            | Life::WithdrawalPending
            | Life::AmendmentPending
            | Life::AmendmentSigned => "active",
        }
    }
}

/// One act, by one party at its own node.
#[derive(Clone, Debug)]
pub enum Step {
    /// Propose version `version` (index into [`Plan::versions`] plus one).
    Propose {
        version: u32,
        by: NodeId,
    },
    Sign {
        version: u32,
        by: NodeId,
    },
    Reject {
        version: u32,
        by: NodeId,
        reason: &'static str,
    },
    Withdraw {
        by: NodeId,
        reason: &'static str,
    },
    Revoke {
        by: NodeId,
        reason: &'static str,
    },
}

/// An agreement's versions and the acts to take on them, in order.
pub struct Plan {
    pub id: &'static str,
    pub life: Life,
    pub versions: Vec<Agreement>,
    pub steps: Vec<Step>,
}

/// Every agreement the demo writes, with its script.
pub fn plans(now_ms: i64) -> Vec<Plan> {
    SPECS.iter().enumerate().map(|(i, s)| plan(i, s, now_ms)).collect()
}

fn plan(i: usize, s: &Spec, now_ms: i64) -> Plan {
    let year = year_of(today(now_ms));
    let month_start = |days: i64| format!("{}-01", &date_from_today(now_ms, days)[..7]);
    // (effective_from, valid_until, notice_days) of version 1.
    let (from, until, notice) = match s.life {
        Life::Signed => (month_start(40), format!("{}-12-31", year + 3), 180),
        Life::ExpiringSoon => (format!("{}-01-01", year - 2), date_from_today(now_ms, 41), 90),
        Life::Expired => (format!("{}-04-01", year - 4), format!("{}-12-31", year - 1), 90),
        Life::WithdrawnNow => (format!("{}-01-01", year - 1), format!("{}-12-31", year + 2), 0),
        Life::WithdrawalPending => (format!("{}-07-01", year - 1), format!("{}-06-30", year + 3), 90),
        Life::AmendmentPending | Life::AmendmentSigned => {
            (format!("{}-03-01", year - 2), format!("{}-12-31", year + 1), 180)
        }
        _ => (month_start(-330), format!("{}-12-31", year + 2), 180),
    };
    let v1 = agreement(i, s, 1, &from, &until, notice);
    let parties: Vec<NodeId> = s.parties.iter().map(|(n, _)| vr(*n)).collect();
    let (first, last) = (parties[0], parties[parties.len() - 1]);
    let propose = |version, by| Step::Propose { version, by };
    let sign_all = |version| parties.iter().map(move |p| Step::Sign { version, by: *p });
    let mut steps = vec![propose(1, first)];
    let mut versions = vec![v1];
    match s.life {
        Life::Proposed => {}
        Life::PartiallySigned => {
            // All but the last party have signed.
            steps.extend(sign_all(1).take(parties.len() - 1));
        }
        Life::Signed | Life::Active | Life::ExpiringSoon | Life::Expired => steps.extend(sign_all(1)),
        Life::WithdrawnNow | Life::WithdrawalPending => {
            steps.extend(sign_all(1));
            steps.push(Step::Withdraw {
                by: last,
                reason: s.reason,
            });
        }
        Life::Revoked => {
            steps.extend(sign_all(1));
            steps.push(Step::Revoke {
                by: last,
                reason: s.reason,
            });
        }
        Life::Rejected => {
            steps.push(Step::Sign { version: 1, by: first });
            steps.push(Step::Reject {
                version: 1,
                by: last,
                reason: s.reason,
            });
        }
        Life::AmendmentPending | Life::AmendmentSigned => {
            steps.extend(sign_all(1));
            // The amendment: more units, a drone team or more shelter places, a longer term.
            let mut v2 = agreement(i, s, 2, &month_start(0), &format!("{}-12-31", year + 4), 180);
            if let Some(scope) = v2.scope.as_mut() {
                scope
                    .resources
                    .iter_mut()
                    .for_each(|r| r.max_quantity += r.max_quantity.div_ceil(2));
                scope.resources.push(ResourceLimit {
                    resource_type: "DRONE".into(),
                    max_quantity: 1,
                });
            }
            v2.purpose.push_str(
                " Versie 2: hogere maxima en dronesteams voor verkenning, na de jaarlijkse evaluatie van de afspraak.",
            );
            versions.push(v2);
            if s.life == Life::AmendmentPending {
                // The other party proposes the amendment and signs it; the first has not yet.
                steps.push(propose(2, last));
                steps.push(Step::Sign { version: 2, by: last });
            } else {
                steps.push(propose(2, first));
                steps.extend(sign_all(2));
            }
        }
    }
    Plan {
        id: s.id,
        life: s.life,
        versions,
        steps,
    }
}

fn agreement(i: usize, s: &Spec, version: u32, from: &str, until: &str, notice_days: u32) -> Agreement {
    Agreement {
        agreement_id: s.id.into(),
        version,
        // 0 = the latest code lists; the node fills in the number.
        code_list_version: 0,
        title: s.title.into(),
        purpose: s.purpose.into(),
        parties: s
            .parties
            .iter()
            .map(|(n, role)| Party {
                region: vr(*n).to_string(),
                role: (*role).into(),
            })
            .collect(),
        scope: Some(Scope {
            hazards: s.hazards.iter().map(|h| (*h).into()).collect(),
            resources: s
                .resources
                .iter()
                .map(|(code, max)| ResourceLimit {
                    resource_type: (*code).into(),
                    max_quantity: *max,
                })
                .collect(),
            area: s.area.into(),
        }),
        activation: Some(Activation {
            may_request: s.may_request.iter().map(|f| (*f).into()).collect(),
            min_escalation: s.min_escalation.into(),
            target_response_minutes: s.response_minutes,
            procedure: PROCEDURES[i % PROCEDURES.len()].into(),
        }),
        cost_reimbursement: COSTS[i % COSTS.len()].into(),
        command_and_liability: COMMAND.into(),
        validity: Some(Validity {
            effective_from: from.into(),
            valid_until: until.into(),
            notice_days,
        }),
        // The node sets the author from the proposer's certificate.
        author: String::new(),
    }
}
