//! Bad input through the real gRPC API, from a legitimate operator: undecodable requests,
//! oversized requests and envelopes with missing or unknown fields are refused with a status
//! that says what is wrong, and leave the node exactly as it was.
use bytes::{Buf, BufMut};
use prost::Message;
use regiosync_node::pb::node_api_client::NodeApiClient;
use regiosync_node::pb::{self, PublishRequest};
use regiosync_node::MAX_API_REQUEST;
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::{Limits, NodeId, VersionVector};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::Channel;
use tonic::{Code, Status};

/// Sends raw bytes as the message and hands back the raw reply: lets a test put anything on
/// the wire where a protobuf message belongs.
#[derive(Default)]
pub(crate) struct RawCodec;

pub(crate) struct RawEncoder;
pub(crate) struct RawDecoder;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawEncoder;
    type Decoder = RawDecoder;
    fn encoder(&mut self) -> RawEncoder {
        RawEncoder
    }
    fn decoder(&mut self) -> RawDecoder {
        RawDecoder
    }
}

impl Encoder for RawEncoder {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawDecoder {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let mut out = vec![0; src.remaining()];
        src.copy_to_slice(&mut out);
        Ok(Some(out))
    }
}

async fn publish_raw(channel: &Channel, bytes: Vec<u8>) -> Result<Vec<u8>, Status> {
    call_raw(channel, "/regiosync.v1.NodeApi/Publish", bytes).await
}

/// A unary call of `path` with `bytes` as the request message, whatever they are.
pub(crate) async fn call_raw(channel: &Channel, path: &'static str, bytes: Vec<u8>) -> Result<Vec<u8>, Status> {
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready().await.map_err(|e| Status::unavailable(e.to_string()))?;
    grpc.unary(tonic::Request::new(bytes), PathAndQuery::from_static(path), RawCodec)
        .await
        .map(|r| r.into_inner())
}

fn valid_request(payload: &[u8]) -> PublishRequest {
    PublishRequest {
        kind: "x.test".into(),
        status: pb::Status::Test as i32,
        audience: vec!["VR02".into()],
        payload: payload.to_vec(),
        ..Default::default()
    }
}

/// Everything a refused request must leave untouched.
async fn snapshot(t: &TestFed, node: NodeId) -> (VersionVector, u64, (u64, [u8; 32])) {
    let engine = &t.fed.node(node).engine;
    let status = engine.status().await.unwrap();
    (
        engine.version_vector(),
        status.entries_held,
        engine.digest(node, None).await.unwrap(),
    )
}

fn expect_refused(what: &str, r: Result<impl std::fmt::Debug, Status>, code: Code, says: &[&str]) -> Status {
    let status = match r {
        Ok(v) => panic!("{what}: accepted ({v:?})"),
        Err(s) => s,
    };
    assert_eq!(status.code(), code, "{what}: {status:?}");
    for s in says {
        assert!(
            status.message().contains(s),
            "{what}: message {:?} does not mention {s:?}",
            status.message()
        );
    }
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_publish_requests_are_refused_and_change_nothing() {
    // Only VR01 ever publishes, so replication never moves VR01's state under the checks below
    // (NL and VR02 have nothing to send it, not even watermarks).
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let operator = Identity::operator(vr(1), "alice");
    let mut client: NodeApiClient<Channel> = t.person_client(vr(1), operator.clone()).await;
    let channel = t.person_channel(vr(1), operator).await;

    // One good record first, so "unchanged" is measured against a non-empty log.
    let first = client
        .publish(valid_request(b"first"))
        .await
        .expect("valid publish")
        .into_inner();
    assert_eq!(first.seq, 1);
    // The raw path works for a well-formed request (so its failures below are about the bytes).
    let reply = publish_raw(&channel, valid_request(b"raw but valid").encode_to_vec())
        .await
        .expect("raw publish");
    assert_eq!(pb::PublishResponse::decode(reply.as_slice()).unwrap().seq, 2);
    let before = snapshot(&t, vr(1)).await;
    assert_eq!(before.1, 2);

    // (a) Bytes that are not a PublishRequest.
    let mut truncated = valid_request(b"truncated").encode_to_vec();
    truncated.truncate(truncated.len() - 3);
    let malformed: Vec<(&str, Vec<u8>)> = vec![
        ("length beyond the end", vec![0x12, 0x7f, b'x']),
        ("invalid UTF-8 in kind", vec![0x12, 0x02, 0xff, 0xfe]),
        ("invalid wire type", vec![0x0f, 0x01]),
        ("a valid request cut short", truncated),
    ];
    for (what, bytes) in malformed {
        let status = expect_refused(
            what,
            publish_raw(&channel, bytes).await,
            Code::InvalidArgument,
            &["malformed"],
        );
        println!("{what}: {:?}: {}", status.code(), status.message());
        assert_eq!(snapshot(&t, vr(1)).await, before, "{what}: the node changed");
    }

    // (b) Bigger than the API's request limit: refused before it is decoded.
    let huge = valid_request(&vec![7u8; MAX_API_REQUEST + 1024]);
    let status = expect_refused(
        "request over 512 KiB",
        client.publish(huge).await,
        Code::OutOfRange,
        &["too large"],
    );
    println!("request over 512 KiB: {:?}: {}", status.code(), status.message());
    assert_eq!(snapshot(&t, vr(1)).await, before, "oversized request: the node changed");
    // Within the request limit but over the record limit: the envelope rule names the payload.
    let big = valid_request(&vec![7u8; Limits::MAX_PAYLOAD + 1]);
    expect_refused(
        "payload over 256 KiB",
        client.publish(big).await,
        Code::InvalidArgument,
        &["payload", "exceeds"],
    );
    assert_eq!(snapshot(&t, vr(1)).await, before, "oversized payload: the node changed");

    // (c) Envelopes with missing or unknown fields: the message names the field.
    let cases: Vec<(&str, PublishRequest, &[&str])> = vec![
        (
            "empty kind",
            PublishRequest {
                kind: String::new(),
                ..valid_request(b"x")
            },
            &["kind", "required"],
        ),
        (
            "status unspecified",
            PublishRequest {
                status: 0,
                ..valid_request(b"x")
            },
            &["status", "required"],
        ),
        (
            "audience with an unknown node",
            PublishRequest {
                audience: vec!["VR02".into(), "VR99".into()],
                ..valid_request(b"x")
            },
            &["audience[1]", "VR99"],
        ),
        (
            "unknown status value",
            PublishRequest {
                status: 42,
                ..valid_request(b"x")
            },
            &["status"],
        ),
        (
            "kind with forbidden characters",
            PublishRequest {
                kind: "Capacity Report".into(),
                ..valid_request(b"x")
            },
            &["kind"],
        ),
    ];
    for (what, req, says) in cases {
        let status = expect_refused(what, client.publish(req).await, Code::InvalidArgument, says);
        println!("{what}: {:?}: {}", status.code(), status.message());
        assert_eq!(snapshot(&t, vr(1)).await, before, "{what}: the node changed");
    }

    // The node is still healthy and no sequence number was used up by the refusals.
    let next = client
        .publish(valid_request(b"after"))
        .await
        .expect("valid publish after refusals")
        .into_inner();
    assert_eq!(next.seq, 3);
    assert_eq!(t.fed.node(vr(1)).engine.entries_rejected(), 0);
    t.shutdown().await;
}
