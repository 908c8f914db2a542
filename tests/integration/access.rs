//! Every cell of the authorisation table (`crates/regiosync-node/src/access.rs`, README.md,
//! ARCHITECTURE.md): each kind of caller calls each kind of action at a region's node and at
//! the national node. A refusal is `PermissionDenied` from the service (the handshake passed);
//! an allowed call gets past the check (it answers, or fails for another reason, such as an
//! entry that is not there).
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::sync_client::SyncClient;
use regiosync_node::pb::{self, PublishCapacityRequest};
use regiosync_testkit::records::capacity;
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use tonic::transport::Channel;
use tonic::Code;

/// The actions of the table's columns, each as the calls that make it up.
const ACTIONS: [&str; 12] = [
    "NodeApi.Publish",
    "NodeApi.Backup",
    "Records.PublishCapacity",
    "NodeApi.ListEntries",
    "NodeApi.GetEntry",
    "Records.ListCapacity",
    "Queries.NationalCapacity",
    "NodeApi.Status",
    "Sync.Digest",
    "Records.RequestAssistance",
    "Records.ListAssistance",
    "Records.RouteAssistance",
];

/// The table: per caller and node, per action of [`ACTIONS`], whether it is allowed
/// (`y`) or refused (`n`).
/// Columns: publish, backup, write records, list entries, get entry, list capacity, questions,
/// status, replicate, and the assistance calls: write records (a request), read (the list),
/// route a request (national coordinators at a national node only).
const TABLE: [(&str, &str, &str); 12] = [
    ("operator VR01", "VR01", "y y y y y y y y n y y n"),
    ("operator VR01", "NL", "n n n n n n n n n n n n"),
    ("operator VR02", "VR01", "n n n n n n n n n n n n"),
    ("operator VR02", "NL", "n n n n n n n n n n n n"),
    ("coordinator", "VR01", "n n n y y y y y n n y n"),
    ("coordinator", "NL", "y y n y y y y y n n y y"),
    ("node NL", "VR01", "n n n n n n n y y n n n"),
    ("node NL", "NL", "n n n n n n n n n n n n"),
    ("node VR01", "VR01", "n n n n n n n n n n n n"),
    ("node VR01", "NL", "n n n n n n n y y n n n"),
    ("node VR02", "VR01", "n n n n n n n n n n n n"),
    ("node VR02", "NL", "n n n n n n n y y n n n"),
];

/// Whether a call got past the authorisation check.
fn allowed<T>(action: &str, r: Result<T, tonic::Status>) -> bool {
    match r {
        Ok(_) => true,
        Err(s) if s.code() == Code::PermissionDenied => false,
        Err(s) => {
            assert!(
                !matches!(s.code(), Code::Unavailable | Code::Unknown | Code::Cancelled),
                "{action}: the call did not reach the service: {s:?}"
            );
            true
        }
    }
}

async fn call(action: &str, channel: Channel) -> bool {
    let mut api = NodeApiClient::new(channel.clone());
    let mut records = RecordsClient::new(channel.clone());
    match action {
        "NodeApi.Publish" => allowed(
            action,
            api.publish(pb::PublishRequest {
                kind: "x.test".into(),
                status: pb::Status::Test as i32,
                payload: b"access".to_vec(),
                ..Default::default()
            })
            .await,
        ),
        "NodeApi.Backup" => allowed(action, api.backup(pb::BackupRequest {}).await),
        "Records.PublishCapacity" => allowed(
            action,
            records
                .publish_capacity(PublishCapacityRequest {
                    report: Some(capacity(&[("TS", 10, 8, 1, 1)])),
                    status: pb::Status::Test as i32,
                    audience: Vec::new(),
                })
                .await,
        ),
        "NodeApi.ListEntries" => allowed(action, api.list_entries(pb::ListRequest::default()).await),
        "NodeApi.GetEntry" => allowed(action, api.get_entry(pb::GetRequest { id: "VR01-1".into() }).await),
        "Records.ListCapacity" => allowed(action, records.list_capacity(pb::ListCapacityRequest::default()).await),
        "Queries.NationalCapacity" => allowed(
            action,
            QueriesClient::new(channel)
                .national_capacity(pb::NationalCapacityRequest {})
                .await,
        ),
        "NodeApi.Status" => allowed(action, api.status(pb::StatusRequest {}).await),
        "Sync.Digest" => allowed(
            action,
            SyncClient::new(channel).digest(pb::DigestRequest::default()).await,
        ),
        "Records.RequestAssistance" => allowed(
            action,
            records
                .request_assistance(pb::RequestAssistanceRequest {
                    request: Some(regiosync_records::testsuite::assistance_request()),
                    status: pb::Status::Test as i32,
                })
                .await,
        ),
        "Records.ListAssistance" => allowed(
            action,
            records.list_assistance(pb::ListAssistanceRequest::default()).await,
        ),
        "Records.RouteAssistance" => allowed(
            action,
            records
                .route_assistance(pb::RouteAssistanceRequest {
                    routing: Some(regiosync_node::pb::AssistanceRouting {
                        request_id: "VR01-999".into(),
                        members: vec!["VR02".into()],
                        ..Default::default()
                    }),
                })
                .await,
        ),
        other => panic!("no call for {other}"),
    }
}

async fn channel(t: &TestFed, caller: &str, at: NodeId) -> Channel {
    let (kind, who) = caller.split_once(' ').unwrap_or((caller, ""));
    match kind {
        "operator" => {
            t.person_channel(at, Identity::operator(who.parse().unwrap(), "tester"))
                .await
        }
        "coordinator" => t.person_channel(at, Identity::coordinator("tester")).await,
        "node" => {
            let tls = &t.fed.config(who.parse().unwrap()).tls;
            t.channel_as(at, &tls.cert_pem, &tls.key_pem)
                .await
                .expect("connect as a node")
        }
        other => panic!("no caller {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cell_of_the_authorisation_table() {
    // VR01 and VR02 each peer with NL only (the hub): NL is VR01's peer, VR02 is not.
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    t.publish(vr(1), &[vr(2)], b"an entry of VR01").await;
    let mut wrong = Vec::new();
    for (caller, node, row) in TABLE {
        let at: NodeId = node.parse().unwrap();
        let expected: Vec<bool> = row.split(' ').map(|c| c == "y").collect();
        assert_eq!(expected.len(), ACTIONS.len(), "{caller} at {node}: one cell per action");
        for (action, want) in ACTIONS.iter().zip(expected) {
            let got = call(action, channel(&t, caller, at).await).await;
            if got != want {
                wrong.push(format!(
                    "{caller} at {node}, {action}: {} but the table says {}",
                    if got { "allowed" } else { "refused" },
                    if want { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "cells that differ from the table:\n{}",
        wrong.join("\n")
    );
    t.shutdown().await;
}
