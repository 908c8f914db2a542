//! Record rules through the real `Records` API: every rule refuses a bad record with its field
//! path and rule, and a refused record leaves the node unchanged; who may write what comes from
//! the client certificate.
use std::time::Duration;

use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    AgreementAction, AgreementActionRequest, GetAgreementRequest, ProposeAgreementRequest, PublishCapacityRequest,
    SubmitEvaluationRequest,
};
use regiosync_records::pb::{Agreement, CapacityReport, EvaluationSummary};
use regiosync_testkit::records::{agreement, capacity, date, evaluation, moment};
use regiosync_testkit::{eventually, refused, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::{NodeId, VersionVector};
use tonic::transport::Channel;
use tonic::Code;

const WAIT: Duration = Duration::from_secs(20);
const ACTUAL: i32 = RecordStatus::Actual as i32;

async fn snapshot(t: &TestFed, node: NodeId) -> (VersionVector, u64) {
    let engine = &t.fed.node(node).engine;
    (engine.version_vector(), engine.status().await.unwrap().entries_held)
}

async fn publish_capacity(c: &mut RecordsClient<Channel>, report: CapacityReport) -> Result<(), tonic::Status> {
    c.publish_capacity(PublishCapacityRequest {
        report: Some(report),
        status: ACTUAL,
        audience: Vec::new(),
    })
    .await
    .map(|_| ())
}

async fn propose(c: &mut RecordsClient<Channel>, a: Agreement) -> Result<String, tonic::Status> {
    c.propose_agreement(ProposeAgreementRequest {
        agreement: Some(a),
        status: ACTUAL,
    })
    .await
    .map(|r| r.into_inner().id)
}

async fn submit(c: &mut RecordsClient<Channel>, e: EvaluationSummary) -> Result<String, tonic::Status> {
    c.submit_evaluation(SubmitEvaluationRequest {
        summary: Some(e),
        status: ACTUAL,
        federation_wide: false,
    })
    .await
    .map(|r| r.into_inner().id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rule_refuses_a_bad_record_through_the_api_and_stores_nothing() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let mut c = t.operator(vr(1), "jansen").await;
    let ok = || capacity(&[("TS", 12, 8, 3, 1), ("WO", 2, 2, 0, 0)]);
    type Bad<T> = (&'static str, fn(&mut T), &'static str);
    let capacity_cases: Vec<Bad<CapacityReport>> = vec![
        (
            "available over baseline",
            |r| r.entries[1].available = 3,
            "entries[1].available: 3 exceeds baseline 2",
        ),
        (
            "sum over baseline",
            |r| r.entries[0].committed = 4,
            "entries[0]: available 8 + committed 4 + out of service 1 = 13 exceeds baseline 12",
        ),
        (
            "unknown resource type",
            |r| r.entries[0].resource_type = "XX".into(),
            "entries[0].resource_type: 'XX' is not in code list resource_types version 2",
        ),
        (
            "type twice",
            |r| r.entries[1].resource_type = "TS".into(),
            "entries[1].resource_type",
        ),
        ("no entries", |r| r.entries.clear(), "entries: required"),
        (
            "valid-until before as-of",
            |r| r.valid_until = moment(-7_200_000),
            "valid_until: ",
        ),
        ("as-of in the future", |r| r.as_of = moment(5 * 3_600_000), "as_of: "),
        (
            "bad moment",
            |r| r.as_of = "gisteren".into(),
            "as_of: 'gisteren' is not a moment",
        ),
        (
            "unknown code-list version",
            |r| r.code_list_version = 9,
            "code_list_version: version 9 is not known here (known: 1, 2, 3)",
        ),
        (
            "another region's capacity",
            |r| r.region = "VR02".into(),
            "region: VR02 is not the origin VR01; a region reports only its own capacity",
        ),
        (
            "author set by the caller",
            |r| r.author = "operator:VR01:someone-else".into(),
            "author: set by the node from your client certificate",
        ),
        (
            "surge 72h below 24h",
            |r| {
                r.entries[0].surge_24h = Some(4);
                r.entries[0].surge_72h = Some(2)
            },
            "entries[0].surge_72h: 2 is less than surge_24h 4",
        ),
    ];
    let before = snapshot(&t, vr(1)).await;
    for (what, breaks, says) in capacity_cases {
        let mut r = ok();
        breaks(&mut r);
        refused(what, publish_capacity(&mut c, r).await, Code::InvalidArgument, says);
        assert_eq!(snapshot(&t, vr(1)).await, before, "{what}: the node changed");
    }

    let ok = || agreement("VR01-VR02-water", &[vr(1), vr(2)]);
    let agreement_cases: Vec<Bad<Agreement>> = vec![
        (
            "one party",
            |a| {
                a.parties.pop();
            },
            "parties: at least 2 required, got 1",
        ),
        (
            "proposer not a party",
            |a| a.parties[0].region = "VR03".into(),
            "parties: VR01, the origin, is not a party",
        ),
        (
            "valid-until before effective-from",
            |a| a.validity.as_mut().unwrap().valid_until = date(-31),
            "validity.valid_until: ",
        ),
        (
            "unknown hazard",
            |a| a.scope.as_mut().unwrap().hazards[0] = "meteor".into(),
            "scope.hazards[0]: 'meteor' is not in code list hazards version 2",
        ),
        (
            "GRIP Rijk no longer exists in v2",
            |a| a.activation.as_mut().unwrap().min_escalation = "GRIP_RIJK".into(),
            "activation.min_escalation: 'GRIP_RIJK' is not in code list escalation_levels version 2",
        ),
        (
            "quantity out of range",
            |a| a.scope.as_mut().unwrap().resources[0].max_quantity = 0,
            "scope.resources[0].max_quantity: 0 is outside the range 1 to 10000",
        ),
        (
            "no reimbursement",
            |a| a.cost_reimbursement.clear(),
            "cost_reimbursement: required",
        ),
        ("first version not 1", |a| a.version = 2, "version: 2 is not 1"),
        (
            "NL as a party",
            |a| a.parties[1].region = "NL".into(),
            "parties[1].region: NL is a national member, not a region",
        ),
    ];
    for (what, breaks, says) in agreement_cases {
        let mut a = ok();
        breaks(&mut a);
        refused(what, propose(&mut c, a).await, Code::InvalidArgument, says);
        assert_eq!(snapshot(&t, vr(1)).await, before, "{what}: the node changed");
    }

    let ok = || evaluation(40, "S");
    let evaluation_cases: Vec<Bad<EvaluationSummary>> = vec![
        (
            "an area not rated",
            |e| {
                e.ratings.pop();
            },
            "ratings: area samenwerking is not rated",
        ),
        (
            "an area rated twice",
            |e| e.ratings[4].area = "melding_alarmering".into(),
            "ratings[4].area: melding_alarmering is rated twice",
        ),
        (
            "unknown rating",
            |e| e.ratings[2].rating = "X".into(),
            "ratings[2].rating: 'X' is not in code list ratings version 2",
        ),
        (
            "event in the future",
            |e| e.event.as_mut().unwrap().date = date(3),
            "event.date: ",
        ),
        (
            "action due before the event",
            |e| e.actions[0].due = date(-41),
            "actions[0].due: ",
        ),
        (
            "reported to the board before the event",
            |e| e.reported_to_board = date(-50),
            "reported_to_board: ",
        ),
        (
            "unknown method",
            |e| e.method = "gut_feeling".into(),
            "method: 'gut_feeling' is not in code list evaluation_methods version 2",
        ),
        (
            "verifies an evaluation not held",
            |e| {
                e.verifies.push(regiosync_records::pb::ActionVerification {
                    evaluation_id: "eval-2024-brand".into(),
                    action_id: "A1".into(),
                    result: "effective".into(),
                    note: String::new(),
                })
            },
            "verifies[0].evaluation_id: no evaluation 'eval-2024-brand' of VR01 held here",
        ),
    ];
    for (what, breaks, says) in evaluation_cases {
        let mut e = ok();
        breaks(&mut e);
        refused(what, submit(&mut c, e).await, Code::InvalidArgument, says);
        assert_eq!(snapshot(&t, vr(1)).await, before, "{what}: the node changed");
    }
    refused(
        "no status",
        c.publish_capacity(PublishCapacityRequest {
            report: Some(capacity(&[("TS", 1, 1, 0, 0)])),
            status: 0,
            audience: Vec::new(),
        })
        .await,
        Code::InvalidArgument,
        "status: required",
    );
    assert_eq!(snapshot(&t, vr(1)).await, before, "the node changed");

    // The same records, valid, are taken.
    publish_capacity(&mut c, capacity(&[("TS", 12, 8, 3, 1)]))
        .await
        .expect("valid capacity");
    propose(&mut c, agreement("VR01-VR02-water", &[vr(1), vr(2)]))
        .await
        .expect("valid agreement");
    submit(&mut c, evaluation(40, "S")).await.expect("valid evaluation");
    assert_eq!(snapshot(&t, vr(1)).await.1, before.1 + 3);
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_write_comes_from_the_certificate() {
    let t = TestFed::start(&[vr(1), vr(2), vr(3)], &[]).await;
    let mut vr01 = t.operator(vr(1), "jansen").await;
    let mut vr02 = t.operator(vr(2), "de-vries").await;
    let mut vr03 = t.operator(vr(3), "bakker").await;

    // A region reports only its own capacity, through its own node.
    let report = || capacity(&[("TS", 4, 4, 0, 0)]);
    let mut for_vr02 = report();
    for_vr02.region = "VR02".into();
    refused(
        "VR01 reports for VR02",
        publish_capacity(&mut vr01, for_vr02).await,
        Code::InvalidArgument,
        "region: VR02 is not the origin VR01",
    );
    let mut vr03_at_vr01 = t.records_client(vr(1), Identity::operator(vr(3), "bakker")).await;
    refused(
        "VR03's operator at VR01's node",
        publish_capacity(&mut vr03_at_vr01, report()).await,
        Code::PermissionDenied,
        "may publish only through VR03's node",
    );
    let mut coordinator = t.records_client(NodeId::NL, Identity::coordinator("minister")).await;
    refused(
        "a national coordinator writing capacity",
        publish_capacity(&mut coordinator, report()).await,
        Code::PermissionDenied,
        "written by a region's operators",
    );

    // The agreement between VR01 and VR02 reaches both; the author is the certificate's person.
    propose(&mut vr01, agreement("VR01-VR02-water", &[vr(1), vr(2)]))
        .await
        .unwrap();
    let get = GetAgreementRequest {
        agreement_id: "VR01-VR02-water".into(),
    };
    eventually("VR02 holds the agreement", WAIT, || {
        let mut vr02 = vr02.clone();
        let get = get.clone();
        async move { vr02.get_agreement(get).await.is_ok() }
    })
    .await;
    let view = vr02.get_agreement(get.clone()).await.unwrap().into_inner();
    let v1 = view.versions[0].agreement.as_ref().unwrap();
    assert_eq!(v1.author, "operator:VR01:jansen");

    // VR03 is no party: it never receives the agreement, so it has nothing to sign.
    let sign = |id: &str| AgreementActionRequest {
        action: AgreementAction::Sign as i32,
        agreement_id: id.into(),
        ..Default::default()
    };
    refused(
        "VR03 signs",
        vr03.act_on_agreement(sign("VR01-VR02-water")).await,
        Code::NotFound,
        "is not held at VR03",
    );
    refused(
        "VR03's operator signs at VR01's node",
        vr03_at_vr01.act_on_agreement(sign("VR01-VR02-water")).await,
        Code::PermissionDenied,
        "VR03",
    );
    // Signing the wrong content is refused.
    let mut wrong = sign("VR01-VR02-water");
    wrong.content_sha256 = "00".repeat(32);
    refused(
        "VR02 signs another hash",
        vr02.act_on_agreement(wrong).await,
        Code::FailedPrecondition,
        "content_sha256: ",
    );
    // A party signs for itself; the signature's author is the certificate's person.
    let mut ok = sign("VR01-VR02-water");
    ok.content_sha256 = view.versions[0].content_sha256.clone();
    vr02.act_on_agreement(ok).await.expect("VR02 signs");
    refused(
        "VR02 signs without the hash it reviewed",
        vr02.act_on_agreement(sign("VR01-VR02-water")).await,
        Code::InvalidArgument,
        "content_sha256: required to sign",
    );
    let mut again = sign("VR01-VR02-water");
    again.content_sha256 = view.versions[0].content_sha256.clone();
    refused(
        "VR02 signs twice",
        vr02.act_on_agreement(again).await,
        Code::AlreadyExists,
        "already signed",
    );
    let view = vr02.get_agreement(get.clone()).await.unwrap().into_inner();
    assert_eq!(view.state, "partially_signed");
    assert_eq!(view.versions[0].signed[0].author, "operator:VR02:de-vries");
    assert_eq!(view.versions[0].unsigned, vec!["VR01".to_string()]);

    // A signature forged by a non-party (written straight into VR03's log, past the API) is
    // valid on its own, so it travels; but no node counts it.
    let forged = regiosync_records::pb::AgreementSignature {
        agreement_id: "VR01-VR02-water".into(),
        version: 1,
        content_sha256: hex::decode(&view.versions[0].content_sha256).unwrap(),
        party: "VR03".into(),
        author: "operator:VR03:bakker".into(),
    };
    let draft = regiosync_replication::Draft {
        kind: regiosync_records::kinds::AGREEMENT_SIGNATURE.into(),
        status: ACTUAL,
        audience: vec!["VR01".into(), "VR02".into()],
        payload: prost::Message::encode_to_vec(&forged),
        ..Default::default()
    };
    let p = t.fed.node(vr(3)).engine.publish(draft).await.unwrap();
    for (node, client) in [(vr(1), &vr01), (vr(2), &vr02)] {
        eventually(&format!("{node} lists the forged signature as ignored"), WAIT, || {
            let mut c = client.clone();
            let get = get.clone();
            let id = p.id.clone();
            async move {
                let v = c.get_agreement(get).await.unwrap().into_inner();
                let signed: Vec<&str> = v.versions[0].signed.iter().map(|a| a.party.as_str()).collect();
                assert!(!signed.contains(&"VR03"), "a non-party's signature counted at {node}");
                signed == ["VR02"]
                    && v.ignored
                        .iter()
                        .any(|i| i.record_id == id && i.reason.contains("not a party"))
            }
        })
        .await;
    }
    t.shutdown().await;
}
