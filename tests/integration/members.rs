//! Members from configuration: a crisis partner and a second national node join by the
//! federation file alone, records reach exactly their audience (every national node included),
//! and with NL stopped they still reach everyone through NL-B, which answers the national
//! questions.
use std::time::Duration;

use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_records::pb::NationalCapacityRequest;
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::{Federation, Member, MemberKind, NodeId};

const WAIT: Duration = Duration::from_secs(30);

fn id(s: &str) -> NodeId {
    s.parse().unwrap()
}

/// The shipped federation, plus what a deployment adds in its federation file.
fn members() -> Federation {
    let text = format!(
        "{}\n{}",
        regiosync_types::federation::SHIPPED,
        r#"
[[member]]
id = "NL-B"
kind = "national"
name = "Landelijk (standby, second data centre)"

[[member]]
id = "POL-ON"
kind = "partner"
name = "Politie Oost-Nederland"
"#
    );
    Federation::parse(&text, "federation.toml").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_and_a_second_national_node_join_by_configuration() {
    let (nl_b, pol) = (id("NL-B"), id("POL-ON"));
    let fed = members();
    assert_eq!(fed.kind(pol), Some(MemberKind::Partner));
    assert_eq!(fed.nationals(), [NodeId::NL, nl_b]);
    let ids = [NodeId::NL, nl_b, vr(1), vr(2), vr(3), pol];
    let mut t = TestFed::start_in(fed, &ids).await;

    // VR01 names VR02 and the partner; both national nodes see it without being named.
    let first = t.publish(vr(1), &[vr(2), pol], b"for VR02 and POL-ON").await;
    let open = t.publish(vr(1), &[vr(2), vr(3), pol], b"for everyone").await;
    for node in [NodeId::NL, nl_b, vr(2), pol] {
        eventually(&format!("{node} holds VR01's record"), WAIT, || async {
            t.holds(node, vr(1), first.seq).await
        })
        .await;
    }
    eventually("VR03 caught up on VR01", WAIT, || async {
        t.holds(vr(3), vr(1), open.seq).await
    })
    .await;
    assert!(!t.holds(vr(3), vr(1), first.seq).await, "VR03 is not in the audience");

    // The partner publishes too; its record reaches VR01 through the national nodes.
    let from_partner = t.publish(pol, &[vr(1)], b"from the police").await;
    eventually("VR01 holds the partner's record", WAIT, || async {
        t.holds(vr(1), pol, from_partner.seq).await
    })
    .await;
    assert_eq!(from_partner.id, format!("POL-ON-{}", from_partner.seq));

    // NL stops: the next record still reaches every member of its audience, through NL-B.
    t.fed.stop(NodeId::NL).await;
    let later = t.publish(vr(1), &[vr(2), pol], b"while NL is down").await;
    for node in [nl_b, vr(2), pol] {
        eventually(&format!("{node} holds VR01's record without NL"), WAIT, || async {
            t.holds(node, vr(1), later.seq).await
        })
        .await;
    }
    assert!(!t.holds(vr(3), vr(1), later.seq).await, "VR03 is not in the audience");

    // NL-B answers the national questions to a coordinator (what the dashboard asks).
    let mut queries = QueriesClient::new(t.person_channel(nl_b, Identity::coordinator("standby")).await);
    let answer = queries
        .national_capacity(NationalCapacityRequest {})
        .await
        .expect("NL-B answers the national capacity question")
        .into_inner();
    assert_eq!(
        answer.missing.len(),
        25,
        "no region reported capacity: {:?}",
        answer.missing
    );
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audience_naming_a_stranger_is_refused_with_the_reason() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let draft = regiosync_replication::Draft {
        kind: "x.test".into(),
        audience: vec!["POL-ON".into()],
        payload: b"x".to_vec(),
        ..Default::default()
    };
    let err = t.fed.node(vr(1)).engine.publish(draft).await.unwrap_err().to_string();
    assert!(
        err.contains("audience[0]: POL-ON is not a member of this federation"),
        "{err}"
    );
    t.shutdown().await;
}

#[test]
fn only_regions_have_neighbours() {
    let member = Member {
        id: id("RWS"),
        kind: MemberKind::Partner,
        name: "Rijkswaterstaat".into(),
        neighbours: vec![vr(1)],
        issuers: vec![],
    };
    let err = Federation::shipped().with(vec![member]).unwrap_err().to_string();
    assert_eq!(err, "RWS.neighbours: RWS and VR01: only regions have neighbours");
}
