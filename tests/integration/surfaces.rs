//! The standard gRPC surfaces: `grpc.health.v1.Health` per service (NOT_SERVING for the
//! writing services while the node heals its own log) and server reflection, both behind the
//! same mutual TLS as regiosync's own services.
use std::time::Duration;

use futures::StreamExt;
use regiosync_node::pb::BackupRequest;
use regiosync_replication::Draft;
use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::{DevCa, Identity};
use regiosync_types::NodeId;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
use tonic_reflection::pb::v1::ServerReflectionRequest;

const WAIT: Duration = Duration::from_secs(30);
const SERVICES: [&str; 4] = [
    "regiosync.v1.Sync",
    "regiosync.v1.NodeApi",
    "regiosync.v1.Records",
    "regiosync.v1.Queries",
];

async fn status(c: &mut HealthClient<tonic::transport::Channel>, service: &str) -> Result<i32, tonic::Status> {
    c.check(HealthCheckRequest {
        service: service.into(),
    })
    .await
    .map(|r| r.into_inner().status)
}

/// One reflection request, its one answer.
async fn reflect(channel: tonic::transport::Channel, request: MessageRequest) -> MessageResponse {
    let mut c = ServerReflectionClient::new(channel);
    let req = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(request),
    };
    let mut answers = c
        .server_reflection_info(futures::stream::iter([req]))
        .await
        .expect("reflection call")
        .into_inner();
    answers
        .next()
        .await
        .expect("an answer")
        .expect("reflection answer")
        .message_response
        .expect("a response")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_reflection_answer_behind_the_same_mutual_tls() {
    let t = TestFed::start(&[vr(1)], &[]).await;
    let channel = t.person_channel(vr(1), Identity::operator(vr(1), "beheer")).await;
    let mut health = HealthClient::new(channel.clone());
    // A fresh node first asks NL how far its own log reached; until then writes report
    // NOT_SERVING (CI under load saw that window).
    eventually("VR01 takes writes", std::time::Duration::from_secs(30), || {
        let mut h = health.clone();
        async move { status(&mut h, "").await.ok() == Some(ServingStatus::Serving as i32) }
    })
    .await;
    for service in std::iter::once("").chain(SERVICES) {
        assert_eq!(
            status(&mut health, service).await.expect(service),
            ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
    let unknown = status(&mut health, "regiosync.v1.Nope").await.unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound, "{unknown}");

    // Reflection lists every service and describes ours down to their messages.
    let MessageResponse::ListServicesResponse(list) =
        reflect(channel.clone(), MessageRequest::ListServices(String::new())).await
    else {
        panic!("not a service list")
    };
    let names: Vec<_> = list.service.iter().map(|s| s.name.as_str()).collect();
    for service in SERVICES
        .iter()
        .chain(&["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"])
    {
        assert!(names.contains(service), "{service} missing from {names:?}");
    }
    let MessageResponse::FileDescriptorResponse(files) = reflect(
        channel,
        MessageRequest::FileContainingSymbol("regiosync.v1.Records".into()),
    )
    .await
    else {
        panic!("not file descriptors")
    };
    assert!(!files.file_descriptor_proto.is_empty());

    // A certificate from another CA never reaches either.
    let other = DevCa::generate("another CA").unwrap();
    let issued = other.issue_person(Identity::operator(vr(1), "beheer")).unwrap();
    let refused = match t.channel_as(vr(1), &issued.cert_pem, &issued.key_pem).await {
        Err(e) => e.to_string(),
        Ok(c) => status(&mut HealthClient::new(c), "").await.unwrap_err().to_string(),
    };
    assert!(!refused.is_empty());
    t.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writing_services_are_not_serving_while_the_node_heals_its_own_log() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    let draft = |i: u64| Draft {
        kind: "x.test".into(),
        status: regiosync_types::pb::Status::Test as i32,
        audience: vec![],
        payload: format!("entry {i}").into_bytes(),
        ..Draft::default()
    };
    for i in 1..=5 {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    let b = t
        .person_client(vr(1), Identity::operator(vr(1), "beheer"))
        .await
        .backup(BackupRequest {})
        .await
        .expect("backup")
        .into_inner();
    for i in 6..=10 {
        t.fed.node(vr(1)).engine.publish(draft(i)).await.expect("publish");
    }
    eventually("NL holds VR01's writes after the backup", WAIT, || async {
        t.fed.node(NodeId::NL).engine.held(vr(1)) >= 10
    })
    .await;
    // VR01 is restored from the backup while NL is down: it must not write until NL gave
    // back what it wrote after the backup.
    t.fed.stop(NodeId::NL).await;
    t.fed.stop(vr(1)).await;
    let config = t.fed.config(vr(1)).clone();
    regiosync_node::restore::restore(&config, std::path::Path::new(&b.path), true, 0).expect("restore");
    t.fed.restart(vr(1)).await.unwrap();
    let channel = t.person_channel(vr(1), Identity::operator(vr(1), "beheer")).await;
    let mut health = HealthClient::new(channel);
    let not_serving = ServingStatus::NotServing as i32;
    for service in ["", "regiosync.v1.NodeApi", "regiosync.v1.Records"] {
        assert_eq!(status(&mut health, service).await.unwrap(), not_serving, "{service:?}");
    }
    for service in ["regiosync.v1.Sync", "regiosync.v1.Queries"] {
        assert_eq!(
            status(&mut health, service).await.unwrap(),
            ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
    // NL comes back, VR01 heals and serves again.
    t.fed.restart(NodeId::NL).await.unwrap();
    eventually("VR01 serves writes again", WAIT, || {
        let mut h = health.clone();
        async move {
            status(&mut h, "regiosync.v1.Records").await.ok() == Some(ServingStatus::Serving as i32)
                && status(&mut h, "").await.ok() == Some(ServingStatus::Serving as i32)
        }
    })
    .await;
    assert!(t.fed.node(vr(1)).engine.healing().is_none());
    t.shutdown().await;
}
