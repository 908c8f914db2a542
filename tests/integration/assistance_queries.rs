//! The national questions about assistance at NL, after one request went through the Records
//! API: the open requests now, and per region over today the exact numbers (requests made and
//! received, units asked and committed, the decline reason, who has not answered).
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::{AssistanceByRegionRequest, OpenAssistanceRequest};
use regiosync_testkit::records::date;
use regiosync_testkit::{vr, TestFed};
use regiosync_trust::Identity;

use regiosync_testkit::assist::{accept, answer, ask, get, offer, request, until};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_questions_give_the_exact_numbers_of_a_request() {
    let (r15, r16, r17, r18) = (vr(15), vr(16), vr(17), vr(18));
    let t = TestFed::start(&[r15, r16, r17, r18], &[]).await;
    let mut c17 = t.operator(r17, "bakker").await;
    let mut c16 = t.operator(r16, "smit").await;
    let mut c18 = t.operator(r18, "visser").await;
    let nl = t
        .records_client(regiosync_types::NodeId::NL, Identity::coordinator("locc"))
        .await;
    let q = ask(&mut c17, request(&[r15, r16, r18], &[("TS", 6, 4), ("GPT", 1, 0)]))
        .await
        .unwrap();
    until(&c16, &q.id, "VR16 holds the request", |_| true).await;
    until(&c18, &q.id, "VR18 holds the request", |_| true).await;
    let o = answer(&mut c16, offer(&q.id, &[("TS", 2), ("GPT", 1)])).await.unwrap();
    let mut decline = regiosync_records::testsuite::assistance_decline();
    decline.request_id = q.id.clone();
    decline.author.clear();
    decline.decline_reason = "own_incident".into();
    answer(&mut c18, decline).await.unwrap();
    until(&c17, &q.id, "VR17 holds both answers", |v| v.offers.len() == 2).await;
    accept(&mut c17, &q.id, &[(&o.id, "TS", 2)]).await.unwrap();
    until(&nl, &q.id, "NL holds every step", |v| {
        v.state == "partially_covered" && v.offers.len() == 2
    })
    .await;
    let view = get(&nl, &q.id).await.unwrap();

    let mut queries = QueriesClient::new(
        t.person_channel(regiosync_types::NodeId::NL, Identity::coordinator("locc"))
            .await,
    );
    let open = queries
        .open_assistance(OpenAssistanceRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(open.answered_by, "NL");
    assert_eq!(open.requests.len(), 1, "{open:?}");
    let item = &open.requests[0];
    assert_eq!(
        (item.request_id.as_str(), item.requester.as_str()),
        (q.id.as_str(), "VR17")
    );
    assert_eq!(item.not_answered, ["VR15"]);
    let lines: Vec<(&str, u32, u32)> = item
        .lines
        .iter()
        .map(|l| (l.resource_type.as_str(), l.requested, l.committed))
        .collect();
    assert_eq!(lines, [("TS", 6, 2), ("GPT", 1, 0)]);

    let by_region = queries
        .assistance_by_region(AssistanceByRegionRequest {
            from: date(0),
            to: date(1),
        })
        .await
        .unwrap()
        .into_inner();
    let region = |id: &str| {
        by_region
            .regions
            .iter()
            .find(|r| r.region == id)
            .unwrap_or_else(|| panic!("no {id} in {by_region:?}"))
    };
    let r = region("VR17");
    assert_eq!(
        (
            r.requests_made,
            r.units_requested,
            r.units_committed,
            r.requests_received
        ),
        (1, 7, 2, 0)
    );
    assert!((r.fill_rate - 2.0 / 7.0).abs() < 1e-9, "{}", r.fill_rate);
    let first_offer = r.first_offer.unwrap_or_default();
    assert_eq!(
        (first_offer.count, first_offer.without, first_offer.median_ms),
        (1, 0, view.first_offer_unix_ms - view.requested_unix_ms)
    );
    let r = region("VR16");
    assert_eq!(
        (
            r.requests_received,
            r.answered,
            r.units_asked,
            r.units_provided,
            r.offers_made,
            r.units_offered
        ),
        (1, 1, 7, 2, 1, 3)
    );
    let r = region("VR18");
    assert_eq!((r.requests_received, r.answered, r.offers_made), (1, 1, 0));
    let declines: Vec<(&str, u32)> = r.declines.iter().map(|d| (d.reason.as_str(), d.count)).collect();
    assert_eq!(declines, [("own_incident", 1)]);
    let r = region("VR15");
    assert_eq!((r.requests_received, r.answered), (1, 0));
    t.shutdown().await;
}
