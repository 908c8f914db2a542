//! Correcting and withdrawing evaluations, and filing one twice, through the real `Records`
//! API with the national questions asked at NL: each evaluation counts once, as its current
//! version, and not at all once withdrawn; a resubmission is answered with the record held.
use std::time::Duration;

use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_node::pb::{
    DataQualityRequest, EvaluationBenchmarkRequest, GetEvaluationRequest, InControlRequest, ListEvaluationsRequest,
    RecordRef, SubmitEvaluationRequest, WithdrawEvaluationRequest,
};
use regiosync_records::pb::{EvaluationBenchmark, EvaluationSummary, InControlCard};
use regiosync_testkit::records::evaluation;
use regiosync_testkit::{eventually, refused, vr, TestFed};
use regiosync_trust::Identity;
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::NodeId;
use tonic::transport::Channel;
use tonic::Code;

const WAIT: Duration = Duration::from_secs(30);
const ACTUAL: i32 = RecordStatus::Actual as i32;

async fn file(c: &mut RecordsClient<Channel>, e: EvaluationSummary, status: i32) -> Result<RecordRef, tonic::Status> {
    c.submit_evaluation(SubmitEvaluationRequest {
        summary: Some(e),
        status,
        federation_wide: false,
    })
    .await
    .map(|r| r.into_inner())
}

async fn withdraw(c: &mut RecordsClient<Channel>, id: &str, reason: &str) -> Result<RecordRef, tonic::Status> {
    c.withdraw_evaluation(WithdrawEvaluationRequest {
        evaluation_id: id.into(),
        reason: reason.into(),
    })
    .await
    .map(|r| r.into_inner())
}

/// The national counts of alerting ratings (P, S, M) and how many evaluations, at NL.
async fn national(nl: &mut QueriesClient<Channel>) -> ((u32, u32, u32), u32) {
    let b: EvaluationBenchmark = nl
        .evaluation_benchmark(EvaluationBenchmarkRequest {
            region: String::new(),
            year: 0,
        })
        .await
        .unwrap()
        .into_inner();
    let mut counts = (0, 0, 0);
    for a in b.areas.iter().filter(|a| a.area == "melding_alarmering") {
        let n = a.national.unwrap_or_default();
        counts = (counts.0 + n.p, counts.1 + n.s, counts.2 + n.m);
    }
    (counts, b.evaluations)
}

/// VR01's in-control card at NL.
async fn vr01_card(nl: &mut QueriesClient<Channel>) -> InControlCard {
    nl.in_control(InControlRequest { region: "VR01".into() })
        .await
        .unwrap()
        .into_inner()
}

/// (id, state) of the evaluations NL lists (withdrawn ones too when asked).
async fn listed(r: &mut RecordsClient<Channel>, include_withdrawn: bool) -> Vec<(String, String)> {
    let l = r
        .list_evaluations(ListEvaluationsRequest {
            include_withdrawn,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut out: Vec<(String, String)> = l
        .evaluations
        .iter()
        .map(|v| (v.record.as_ref().unwrap().id.clone(), v.state.clone()))
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrected_withdrawn_and_resubmitted_evaluations_count_once_at_the_national_node() {
    let t = TestFed::start(&[vr(1), vr(2)], &[]).await;
    let mut c1 = t.operator(vr(1), "jansen").await;
    let mut c2 = t.operator(vr(2), "de-vries").await;
    let coordinator = || Identity::coordinator("landelijk");
    let mut nl = QueriesClient::new(t.person_channel(NodeId::NL, coordinator()).await);
    let mut nl_records = t.records_client(NodeId::NL, coordinator()).await;

    // VR01 files an evaluation (M everywhere), then the same file again: the same record.
    let first = file(&mut c1, evaluation(40, "M"), ACTUAL).await.unwrap();
    assert!(!first.already_filed);
    let again = file(&mut c1, evaluation(40, "M"), ACTUAL).await.unwrap();
    assert!(again.already_filed, "{again:?}");
    assert_eq!((again.id.as_str(), again.seq), (first.id.as_str(), first.seq));
    // VR02 files one of its own (S everywhere).
    file(&mut c2, evaluation(30, "S"), ACTUAL).await.unwrap();

    // VR01 corrects its evaluation: P everywhere. The correction takes the status of the
    // version it corrects; another status is refused.
    let mut fixed = evaluation(40, "P");
    fixed.corrects = first.id.clone();
    refused(
        "a correction with another status",
        file(&mut c1, fixed.clone(), RecordStatus::Exercise as i32).await,
        Code::InvalidArgument,
        "keeps the status",
    );
    let second = file(&mut c1, fixed, 0).await.unwrap();
    assert!(!second.already_filed && second.id != first.id);
    // Correcting the old version again is refused, naming the newer one.
    let mut other = evaluation(40, "U");
    other.corrects = first.id.clone();
    refused(
        "a second correction of the first version",
        file(&mut c1, other, 0).await,
        Code::FailedPrecondition,
        &format!("was corrected by {}", second.id),
    );
    // A region corrects and withdraws only its own evaluations.
    let mut theirs = evaluation(40, "U");
    theirs.corrects = first.id.clone();
    refused(
        "VR02 corrects VR01's evaluation",
        file(&mut c2, theirs, 0).await,
        Code::PermissionDenied,
        "only its own evaluations",
    );
    refused(
        "VR02 withdraws VR01's evaluation",
        withdraw(&mut c2, &second.id, "niet van ons").await,
        Code::PermissionDenied,
        "only its own evaluations",
    );

    // NL counts VR01's evaluation once, with the corrected ratings.
    eventually("NL counts the corrected ratings", WAIT, || {
        let mut nl = nl.clone();
        async move { national(&mut nl).await == ((1, 1, 0), 2) }
    })
    .await;
    let ours = (second.id.clone(), "current".to_string());
    assert_eq!(
        listed(&mut nl_records, false)
            .await
            .iter()
            .filter(|e| e.0.starts_with("VR01"))
            .collect::<Vec<_>>(),
        [&ours]
    );
    let old = nl_records
        .get_evaluation(GetEvaluationRequest { id: first.id.clone() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (old.state.as_str(), old.superseded_by.as_str()),
        ("superseded", second.id.as_str())
    );
    let versions: Vec<&str> = old.versions.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(versions, [first.id.as_str(), second.id.as_str()]);
    let card = vr01_card(&mut nl).await;
    let alerting = card.areas.iter().find(|a| a.area == "melding_alarmering").unwrap();
    assert_eq!(
        (card.evaluations, alerting.latest.as_str(), alerting.previous.as_str()),
        (1, "P", "")
    );

    // VR01 withdraws it: a reason is required, and only the current version is named.
    refused(
        "a withdrawal without a reason",
        withdraw(&mut c1, &second.id, " ").await,
        Code::InvalidArgument,
        "reason: required",
    );
    refused(
        "a withdrawal of the old version",
        withdraw(&mut c1, &first.id, "dubbel").await,
        Code::FailedPrecondition,
        &second.id,
    );
    let w = withdraw(&mut c1, &second.id, "Ingediend voor de verkeerde oefening")
        .await
        .unwrap();
    assert_eq!(w.kind, "evaluation_withdrawal");
    // Nothing changes a withdrawn evaluation.
    let mut late = evaluation(40, "S");
    late.corrects = second.id.clone();
    refused(
        "a correction after the withdrawal",
        file(&mut c1, late, 0).await,
        Code::FailedPrecondition,
        "withdrawn",
    );

    // At NL it counts nowhere: only VR02's evaluation is left.
    eventually("NL no longer counts the withdrawn evaluation", WAIT, || {
        let mut nl = nl.clone();
        async move { national(&mut nl).await == ((0, 1, 0), 1) }
    })
    .await;
    assert!(listed(&mut nl_records, false)
        .await
        .iter()
        .all(|e| !e.0.starts_with("VR01")));
    assert!(listed(&mut nl_records, true)
        .await
        .contains(&(second.id.clone(), "withdrawn".to_string())));
    let gone = nl_records
        .get_evaluation(GetEvaluationRequest { id: second.id.clone() })
        .await
        .unwrap()
        .into_inner();
    let by = gone.withdrawal.unwrap();
    assert_eq!(
        (by.record_id.as_str(), by.reason.as_str()),
        (w.id.as_str(), "Ingediend voor de verkeerde oefening")
    );
    let card = vr01_card(&mut nl).await;
    assert_eq!(card.evaluations, 0);
    let q = nl.data_quality(DataQualityRequest {}).await.unwrap().into_inner();
    let evaluations = |id: &str| q.regions.iter().find(|x| x.region == id).unwrap().evaluations;
    assert_eq!((evaluations("VR01"), evaluations("VR02")), (0, 1));
    t.shutdown().await;
}
