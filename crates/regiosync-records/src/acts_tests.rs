//! The rules checked where a person acts: each refusal, in the order they are checked, and the
//! record each allowed act writes.
use prost::Message;
use regiosync_types::pb::Status as RecordStatus;
use regiosync_types::NodeId;

use crate::acts::{self, Act, ActError, ActRequest, VerifyError, VersionError};
use crate::agreement::State;
use crate::{kinds, pb};

const HASH: &str = "ab01";

fn vr(n: u8) -> NodeId {
    NodeId::region(n).unwrap()
}

fn version(number: u32, state: State, parties: &[&str]) -> pb::VersionView {
    pb::VersionView {
        version: number,
        content_sha256: HASH.into(),
        state: state.as_str().into(),
        agreement: Some(pb::Agreement {
            parties: crate::testsuite::parties(parties, "both"),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Agreement A-1 between VR01 and VR02, its one version in `state`.
fn view(state: State) -> pb::AgreementView {
    pb::AgreementView {
        agreement_id: "A-1".into(),
        state: state.as_str().into(),
        newest_version: 1,
        status: "actual".into(),
        versions: vec![version(1, state, &["VR01", "VR02"])],
        ..Default::default()
    }
}

fn req(act: Act, hash: &'static str, reason: &'static str) -> ActRequest<'static> {
    ActRequest {
        act,
        version: 0,
        content_sha256: hash,
        reason,
    }
}

fn refused(v: &pb::AgreementView, party: NodeId, r: ActRequest<'_>) -> ActError {
    acts::agreement_act(v, party, "operator:x:y".into(), r).expect_err("refused")
}

#[test]
fn a_signature_names_the_reviewed_version_and_goes_to_every_party() {
    let mut v = view(State::Proposed);
    v.status = "exercise".into();
    let rec = acts::agreement_act(&v, vr(1), "operator:VR01:jan".into(), req(Act::Sign, "AB01", "")).unwrap();
    assert_eq!(rec.kind, kinds::AGREEMENT_SIGNATURE);
    assert_eq!(
        rec.status,
        RecordStatus::Exercise,
        "acts on an exercise agreement are exercise records"
    );
    assert_eq!(rec.audience, ["VR01", "VR02"]);
    let s = pb::AgreementSignature::decode(rec.payload.as_slice()).unwrap();
    assert_eq!(
        (s.version, s.content_sha256, s.party.as_str()),
        (1, vec![0xab, 0x01], "VR01")
    );
    assert_eq!(s.author, "operator:VR01:jan");
}

#[test]
fn only_a_party_acts_and_never_on_an_ended_agreement() {
    let e = refused(&view(State::Proposed), vr(3), req(Act::Sign, HASH, ""));
    assert_eq!(
        e.to_string(),
        "VR03 is not a party to agreement A-1; only its parties (VR01, VR02) can act on it"
    );
    for state in [State::Revoked, State::Withdrawn] {
        let e = refused(&view(state), vr(1), req(Act::Revoke, "", "r"));
        assert_eq!(
            e,
            ActError::Ended {
                id: "A-1".into(),
                state
            }
        );
        assert_eq!(e.to_string(), format!("agreement A-1 is {}", state.as_str()));
    }
}

#[test]
fn signing_needs_the_exact_hash_of_an_open_version() {
    let v = view(State::Proposed);
    assert!(matches!(
        refused(&v, vr(1), req(Act::Sign, "", "")),
        ActError::HashRequired { number: 1, .. }
    ));
    let wrong = refused(&v, vr(1), req(Act::Sign, "ffff", ""));
    assert!(matches!(&wrong, ActError::WrongHash { hash, .. } if hash == "ffff"));
    assert!(
        !wrong.to_string().contains(HASH),
        "the right hash is never repeated: {wrong}"
    );
    let mut r = req(Act::Sign, HASH, "");
    r.version = 2;
    assert_eq!(
        refused(&v, vr(1), r),
        ActError::NoSuchVersion {
            id: "A-1".into(),
            number: 2
        }
    );
    let e = refused(&view(State::Active), vr(1), req(Act::Sign, HASH, ""));
    assert_eq!(
        e.to_string(),
        "agreement A-1 version 1 is active; only a proposed or partially signed version can be signed or rejected"
    );
}

#[test]
fn a_party_signs_or_rejects_a_version_once() {
    let mut v = view(State::PartiallySigned);
    v.versions[0].signed.push(pb::PartyAct {
        party: "VR01".into(),
        ..Default::default()
    });
    assert!(matches!(
        refused(&v, vr(1), req(Act::Reject, HASH, "no")),
        ActError::AlreadySigned { .. }
    ));
    v.versions[0].signed.clear();
    v.versions[0].rejected.push(pb::PartyAct {
        party: "VR01".into(),
        ..Default::default()
    });
    assert!(matches!(
        refused(&v, vr(1), req(Act::Sign, HASH, "")),
        ActError::AlreadyRejected { .. }
    ));
}

#[test]
fn a_party_of_an_older_version_only_is_not_a_party_to_the_newest() {
    let mut v = view(State::Active);
    v.newest_version = 2;
    v.versions.push(version(2, State::Proposed, &["VR01", "VR03"]));
    let e = refused(&v, vr(2), req(Act::Sign, HASH, ""));
    assert!(matches!(e, ActError::NotAPartyToVersion { number: 2, .. }), "{e}");
}

#[test]
fn two_versions_under_one_number_need_the_hash_to_reject() {
    let mut v = view(State::Proposed);
    let mut other = version(1, State::Proposed, &["VR01", "VR02"]);
    other.content_sha256 = "cd02".into();
    v.versions.push(other);
    assert!(matches!(
        refused(&v, vr(1), req(Act::Reject, "", "no")),
        ActError::AmbiguousVersion { count: 2, .. }
    ));
    let rec = acts::agreement_act(&v, vr(1), "a".into(), req(Act::Reject, "CD02", "no")).unwrap();
    let r = pb::AgreementRejection::decode(rec.payload.as_slice()).unwrap();
    assert_eq!((r.content_sha256, r.reason.as_str()), (vec![0xcd, 0x02], "no"));
}

#[test]
fn rejecting_withdrawing_and_revoking_need_a_reason() {
    for act in [Act::Reject, Act::Withdraw, Act::Revoke] {
        let v = view(if act == Act::Reject {
            State::Proposed
        } else {
            State::Active
        });
        assert_eq!(
            refused(&v, vr(2), req(act, HASH, " \n")),
            ActError::ReasonRequired,
            "{act:?}"
        );
    }
}

#[test]
fn one_withdrawal_at_a_time_and_none_after_expiry() {
    let mut v = view(State::Active);
    v.withdrawal = Some(pb::Withdrawal::default());
    assert!(matches!(
        refused(&v, vr(1), req(Act::Withdraw, "", "r")),
        ActError::WithdrawalPending { .. }
    ));
    assert!(matches!(
        refused(&view(State::Expired), vr(1), req(Act::Withdraw, "", "r")),
        ActError::Expired { .. }
    ));
    let rec = acts::agreement_act(&view(State::Active), vr(2), "a".into(), req(Act::Withdraw, "", "r")).unwrap();
    assert_eq!(rec.kind, kinds::AGREEMENT_WITHDRAWAL);
    let rec = acts::agreement_act(&view(State::Expired), vr(2), "a".into(), req(Act::Revoke, "", "r")).unwrap();
    assert_eq!(
        rec.kind,
        kinds::AGREEMENT_REVOCATION,
        "a revocation ends even an expired agreement"
    );
}

#[test]
fn versions_are_numbered_in_order() {
    assert_eq!(acts::proposed_version("A-1", 1, None), Ok(()));
    assert_eq!(
        acts::proposed_version("", 7, None),
        Ok(()),
        "a missing id is the record rules' to name"
    );
    let e = acts::proposed_version("A-1", 2, None).unwrap_err();
    assert_eq!(e.to_string(), "version: 2 is not 1; agreement A-1 is new here");
    let held = view(State::Active);
    assert_eq!(acts::proposed_version("A-1", 2, Some(&held)), Ok(()));
    assert_eq!(
        acts::proposed_version("A-1", 3, Some(&held)),
        Err(VersionError::NotNext {
            id: "A-1".into(),
            version: 3,
            next: 2,
            newest: 1
        })
    );
}

#[test]
fn a_summary_verifies_only_held_actions_of_its_region() {
    let earlier = vec![pb::EvaluationView {
        record: Some(pb::RecordMeta {
            id: "VR01-4".into(),
            ..Default::default()
        }),
        actions: vec![pb::ActionView {
            action: Some(pb::ImprovementAction {
                action_id: "a1".into(),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ..Default::default()
    }];
    let verifying = |evaluation_id: &str, action_id: &str| pb::EvaluationSummary {
        verifies: vec![pb::ActionVerification {
            evaluation_id: evaluation_id.into(),
            action_id: action_id.into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(acts::verifies(&verifying("VR01-4", "a1"), vr(1), &earlier), Ok(()));
    let e = acts::verifies(&verifying("VR01-9", "a1"), vr(1), &earlier).unwrap_err();
    assert_eq!(
        e.to_string(),
        "verifies[0].evaluation_id: no evaluation 'VR01-9' of VR01 held here"
    );
    assert!(matches!(
        acts::verifies(&verifying("VR01-4", "a2"), vr(1), &earlier),
        Err(VerifyError::NoAction { index: 0, .. })
    ));
}
