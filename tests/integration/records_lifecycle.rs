//! Property: an agreement's derived state converges across a 5-node federation whatever order
//! its records arrive in. Each case shuffles who writes what when (acts may be written before the
//! agreement they refer to), publishes in random concurrent groups over a random mesh, stops a
//! region part of the way and restarts it; in the end NL and every party derive the same view,
//! and it is the state the records say.
use std::collections::BTreeMap;
use std::time::Duration;

use prost::Message;
use regiosync_records::{kinds, pb};
use regiosync_replication::Draft;
use regiosync_testkit::delivery::{publish_in_random_groups, seeds};
use regiosync_testkit::records::agreement;
use regiosync_testkit::{eventually_ok, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status;
use regiosync_types::NodeId;
use sha2::{Digest, Sha256};

const WAIT: Duration = Duration::from_secs(30);

use regiosync_types::rng::Rng;

/// One record to write at `origin`.
struct Op {
    origin: NodeId,
    kind: &'static str,
    payload: Vec<u8>,
    audience: Vec<NodeId>,
}

fn author(n: NodeId) -> String {
    format!("operator:{n}:test")
}

/// The agreements of the scenario, their records, and the state each must end in.
fn scenario() -> (Vec<Op>, BTreeMap<&'static str, (&'static str, u32)>) {
    let mut ops = Vec::new();
    let mut expect = BTreeMap::new();
    let version = |ops: &mut Vec<Op>, id: &str, parties: &[u8], v: u32, notice: u32, by: u8| {
        let parties: Vec<NodeId> = parties.iter().map(|n| vr(*n)).collect();
        let mut a = agreement(id, &parties);
        a.version = v;
        a.title = format!("{} versie {v}", a.title);
        a.validity.as_mut().unwrap().notice_days = notice;
        a.author = author(vr(by));
        let payload = a.encode_to_vec();
        let hash = Sha256::digest(&payload).to_vec();
        ops.push(Op {
            origin: vr(by),
            kind: kinds::AGREEMENT,
            payload,
            audience: parties.clone(),
        });
        (hash, parties)
    };
    let sign = |ops: &mut Vec<Op>, id: &str, v: u32, (hash, parties): &(Vec<u8>, Vec<NodeId>), by: u8| {
        let s = pb::AgreementSignature {
            agreement_id: id.into(),
            version: v,
            content_sha256: hash.clone(),
            party: vr(by).to_string(),
            author: author(vr(by)),
        };
        ops.push(Op {
            origin: vr(by),
            kind: kinds::AGREEMENT_SIGNATURE,
            payload: s.encode_to_vec(),
            audience: parties.clone(),
        });
    };

    let a = version(&mut ops, "A-actief", &[1, 2], 1, 30, 1);
    sign(&mut ops, "A-actief", 1, &a, 1);
    sign(&mut ops, "A-actief", 1, &a, 2);
    expect.insert("A-actief", ("active", 1));

    let b = version(&mut ops, "B-afgewezen", &[2, 3], 1, 30, 2);
    sign(&mut ops, "B-afgewezen", 1, &b, 2);
    let r = pb::AgreementRejection {
        agreement_id: "B-afgewezen".into(),
        version: 1,
        content_sha256: b.0.clone(),
        party: "VR03".into(),
        reason: "Geen duikteam beschikbaar".into(),
        author: author(vr(3)),
    };
    ops.push(Op {
        origin: vr(3),
        kind: kinds::AGREEMENT_REJECTION,
        payload: r.encode_to_vec(),
        audience: b.1.clone(),
    });
    expect.insert("B-afgewezen", ("rejected", 0));

    // Amended: v2 signed by both supersedes v1, whatever order the signatures come in.
    let c1 = version(&mut ops, "C-gewijzigd", &[3, 4], 1, 30, 3);
    sign(&mut ops, "C-gewijzigd", 1, &c1, 3);
    sign(&mut ops, "C-gewijzigd", 1, &c1, 4);
    let c2 = version(&mut ops, "C-gewijzigd", &[3, 4], 2, 30, 4);
    sign(&mut ops, "C-gewijzigd", 2, &c2, 3);
    sign(&mut ops, "C-gewijzigd", 2, &c2, 4);
    expect.insert("C-gewijzigd", ("active", 2));

    // Amendment pending: v1 stays in force while v2 waits for VR01.
    let e1 = version(&mut ops, "E-wacht", &[1, 3], 1, 30, 1);
    sign(&mut ops, "E-wacht", 1, &e1, 1);
    sign(&mut ops, "E-wacht", 1, &e1, 3);
    let e2 = version(&mut ops, "E-wacht", &[1, 3], 2, 30, 3);
    sign(&mut ops, "E-wacht", 2, &e2, 3);
    expect.insert("E-wacht", ("active", 1));

    // Withdrawn without notice: at once, whether before or after it came into force.
    let d = version(&mut ops, "D-opgezegd", &[1, 4], 1, 0, 4);
    sign(&mut ops, "D-opgezegd", 1, &d, 1);
    sign(&mut ops, "D-opgezegd", 1, &d, 4);
    let w = pb::AgreementWithdrawal {
        agreement_id: "D-opgezegd".into(),
        party: "VR04".into(),
        reason: "Herindeling".into(),
        author: author(vr(4)),
    };
    ops.push(Op {
        origin: vr(4),
        kind: kinds::AGREEMENT_WITHDRAWAL,
        payload: w.encode_to_vec(),
        audience: d.1.clone(),
    });
    expect.insert("D-opgezegd", ("withdrawn", u32::MAX));

    let f = version(&mut ops, "F-ingetrokken", &[2, 4], 1, 30, 2);
    sign(&mut ops, "F-ingetrokken", 1, &f, 2);
    let rv = pb::AgreementRevocation {
        agreement_id: "F-ingetrokken".into(),
        party: "VR02".into(),
        reason: "Afgesloten in strijd met het mandaat".into(),
        author: author(vr(2)),
    };
    ops.push(Op {
        origin: vr(2),
        kind: kinds::AGREEMENT_REVOCATION,
        payload: rv.encode_to_vec(),
        audience: f.1.clone(),
    });
    expect.insert("F-ingetrokken", ("revoked", u32::MAX));

    let g = version(&mut ops, "G-half", &[1, 2, 3], 1, 30, 2);
    sign(&mut ops, "G-half", 1, &g, 2);
    sign(&mut ops, "G-half", 1, &g, 3);
    expect.insert("G-half", ("partially_signed", 0));
    (ops, expect)
}

/// The op as a draft of its origin.
fn draft(op: &Op) -> (NodeId, Draft) {
    let draft = Draft {
        kind: op.kind.into(),
        status: Status::Actual as i32,
        audience: op.audience.iter().map(|n| n.to_string()).collect(),
        payload: op.payload.clone(),
        ..Draft::default()
    };
    (op.origin, draft)
}

async fn run_case(seed: u64) {
    let mut rng = Rng(seed);
    let regions: Vec<NodeId> = (1..=4).map(vr).collect();
    let edges = [(1, 2), (2, 3), (3, 4), (1, 4), (1, 3)];
    let mesh: Vec<(NodeId, NodeId)> = edges
        .iter()
        .filter(|_| rng.below(2) == 0)
        .map(|(a, b)| (vr(*a), vr(*b)))
        .collect();
    let mut t = TestFed::start(&regions, &mesh).await;
    let (mut ops, expect) = scenario();
    rng.shuffle(&mut ops);
    // One region is down for part of the run; what it would write waits for its restart.
    let down = regions[rng.index(4)];
    let writes = ops.iter().map(draft).collect();
    publish_in_random_groups(&mut t, writes, down, 4, &mut rng).await;

    let nl = t.records_client(NodeId::NL, Identity::coordinator("test")).await;
    let mut clients = BTreeMap::new();
    for r in &regions {
        clients.insert(*r, t.operator(*r, "test").await);
    }
    eventually_ok(
        &format!("seed {seed}: every party derives what NL derives"),
        WAIT,
        || {
            let mut nl = nl.clone();
            let clients = clients.clone();
            let expect = &expect;
            async move {
                let all = nl
                    .list_agreements(regiosync_node::pb::ListAgreementsRequest::default())
                    .await
                    .map_err(|e| e.to_string())?
                    .into_inner()
                    .agreements;
                let at_nl: BTreeMap<&str, &pb::AgreementView> =
                    all.iter().map(|a| (a.agreement_id.as_str(), a)).collect();
                for (id, (state, in_force)) in expect {
                    let v = at_nl.get(id).ok_or(format!("NL has no {id}"))?;
                    if v.state != *state || (*in_force != u32::MAX && v.version_in_force != *in_force) {
                        return Err(format!(
                            "{id} at NL: {} (version in force {})",
                            v.state, v.version_in_force
                        ));
                    }
                    let parties: Vec<String> = v
                        .versions
                        .iter()
                        .flat_map(|x| {
                            x.agreement
                                .iter()
                                .flat_map(|a| a.parties.iter().map(|p| p.region.clone()))
                        })
                        .collect();
                    for (region, c) in &clients {
                        if !parties.contains(&region.to_string()) {
                            continue;
                        }
                        let mut c = c.clone();
                        let mine = c
                            .get_agreement(regiosync_node::pb::GetAgreementRequest {
                                agreement_id: id.to_string(),
                            })
                            .await
                            .map_err(|e| format!("{id} at {region}: {}", e.message()))?
                            .into_inner();
                        if mine != **v {
                            return Err(format!(
                                "{id} at {region} differs from NL: {} vs {}",
                                mine.state, v.state
                            ));
                        }
                    }
                }
                Ok(())
            }
        },
    )
    .await;
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreement_states_converge_for_random_delivery_orders() {
    // REGIOSYNC_PROP_CASES raises the number of cases; REGIOSYNC_PROP_SEED replays one.
    for seed in seeds(4) {
        run_case(seed).await;
    }
}
