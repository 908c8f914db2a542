//! Metrics: a scrape of the loopback listener shows the node's state and every gRPC call,
//! including calls that never reach a handler (an unknown method, a request that does not
//! decode), under bounded labels.
use std::time::Duration;

use regiosync_testkit::{eventually, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::NodeId;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

use crate::bad_input::call_raw;

const WAIT: Duration = Duration::from_secs(30);

/// GET `path` from `addr`: (status code, body).
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the metrics listener");
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let code = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

/// The value of the sample `name{labels}` (labels exactly as printed), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .split(' ')
            .next()?
            .parse()
            .ok()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_shows_the_nodes_state_and_every_call() {
    let mut t = TestFed::start(&[vr(1)], &[]).await;
    t.fed.stop(vr(1)).await;
    t.fed.config_mut(vr(1)).metrics = Some("127.0.0.1:0".parse().unwrap());
    t.fed.restart(vr(1)).await.unwrap();
    let addr = t.fed.node(vr(1)).metrics_addr.expect("a metrics listener");
    assert!(t.fed.node(NodeId::NL).metrics_addr.is_none(), "off unless configured");
    for i in 0..3 {
        t.publish(NodeId::NL, &[vr(1)], format!("from NL {i}").as_bytes()).await;
    }
    t.publish(vr(1), &[], b"own").await;
    eventually("VR01 holds NL's three entries", WAIT, || async {
        t.fed.node(vr(1)).engine.held(NodeId::NL) == 3
    })
    .await;

    let channel = t.person_channel(vr(1), Identity::operator(vr(1), "beheer")).await;
    let mut health = HealthClient::new(channel.clone());
    for _ in 0..2 {
        health
            .check(HealthCheckRequest { service: String::new() })
            .await
            .unwrap();
    }
    let unknown = call_raw(&channel, "/regiosync.v1.NodeApi/NoSuchMethod", Vec::new()).await;
    assert_eq!(unknown.unwrap_err().code(), tonic::Code::Unimplemented);
    let unknown = call_raw(&channel, "/made.up.Service/Anything", Vec::new()).await;
    assert_eq!(unknown.unwrap_err().code(), tonic::Code::Unimplemented);
    let garbage = call_raw(&channel, "/regiosync.v1.NodeApi/Publish", vec![0xff; 7]).await;
    assert_eq!(garbage.unwrap_err().code(), tonic::Code::InvalidArgument);

    let (code, text) = get(addr, "/metrics").await;
    assert_eq!(code, 200, "{text}");
    let want = [
        (
            r#"regiosync_grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="OK"}"#,
            2.0,
        ),
        (
            r#"regiosync_grpc_server_handled_total{grpc_service="unknown",grpc_method="unknown",grpc_code="Unimplemented"}"#,
            2.0,
        ),
        (
            r#"regiosync_grpc_server_handled_total{grpc_service="regiosync.v1.NodeApi",grpc_method="Publish",grpc_code="InvalidArgument"}"#,
            1.0,
        ),
        (
            r#"regiosync_grpc_server_handling_seconds_count{grpc_service="grpc.health.v1.Health",grpc_method="Check"}"#,
            2.0,
        ),
        ("regiosync_peers_configured", 1.0),
        ("regiosync_peers_connected", 1.0),
        (r#"regiosync_origin_entries_held{origin="NL"}"#, 3.0),
        (r#"regiosync_origin_entries_held{origin="VR01"}"#, 1.0),
        ("regiosync_entries_stored", 4.0),
        ("regiosync_writes_refused", 0.0),
        ("regiosync_disk_full", 0.0),
        ("regiosync_chunks_quarantined", 0.0),
    ];
    for (series, value) in want {
        assert_eq!(sample(&text, series), Some(value), "{series} in\n{text}");
    }
    for series in [
        "regiosync_store_size_bytes",
        "regiosync_store_free_bytes",
        "regiosync_store_reserve_bytes",
    ] {
        assert!(sample(&text, series).is_some_and(|v| v > 0.0), "{series} in\n{text}");
    }
    assert!(
        text.contains("# TYPE regiosync_grpc_server_handling_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains(r#"regiosync_origin_seconds_since_progress{origin="NL"}"#),
        "{text}"
    );
    assert!(
        !text.contains("NoSuchMethod") && !text.contains("made.up"),
        "unknown methods are not labels"
    );

    assert_eq!(get(addr, "/health").await, (200, "SERVING\n".into()));
    assert_eq!(get(addr, "/nope").await.0, 404);
    t.shutdown().await;
}
