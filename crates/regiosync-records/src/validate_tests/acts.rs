//! The rules of signatures, rejections, withdrawals and revocations.
use super::*;

cases! {
    signature_agreement_id: signature_outcome(r, e) { r.agreement_id = s("x") }
        => "agreement_id: must be 3 to 64 characters, not 1";
    signature_version_at_least_one: signature_outcome(r, e) { r.version = 0 } => "version: must be at least 1";
    signature_hash_required: signature_outcome(r, e) { r.content_sha256.clear() } => "content_sha256: required";
    signature_hash_is_32_bytes: signature_outcome(r, e) { r.content_sha256.pop(); }
        => "content_sha256: must be 32 bytes, not 31";
    signature_party_required: signature_outcome(r, e) { r.party.clear() } => "party: required";
    signature_party_is_the_origin: signature_outcome(r, e) { r.party = s("VR03") }
        => "party: VR03 is not the origin VR01; a region signs only for itself";
    signature_party_is_a_region: signature_outcome(r, e) { r.party = s("NL") }
        => "party: NL is not the origin VR01; a region signs only for itself";
    signature_only_by_regions: signature_outcome(r, e) { e.origin = "NL"; r.party = s("NL") }
        => "origin: NL is a national member, which may not publish agreement_signature";
    signature_author: signature_outcome(r, e) { r.author = s("operator:VR02:x") }
        => "author: 'operator:VR02:x' is not a person of VR01, the origin";
    rejection_hash_is_32_bytes: rejection_outcome(r, e) { r.content_sha256 = vec![1; 33] }
        => "content_sha256: must be 32 bytes, not 33";
    rejection_party_is_the_origin: rejection_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region rejects only for itself";
    rejection_reason_required: rejection_outcome(r, e) { r.reason.clear() } => "reason: required";
    rejection_reason_at_most_4000: rejection_outcome(r, e) { r.reason = "x".repeat(4001) }
        => "reason: 4001 characters exceeds the limit of 4000";
    withdrawal_agreement_id: withdrawal_outcome(r, e) { r.agreement_id = s("VR01_VR02") }
        => "agreement_id: character '_' not allowed (letters, digits and '-' only)";
    withdrawal_party_is_the_origin: withdrawal_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region withdraws only for itself";
    withdrawal_reason_required: withdrawal_outcome(r, e) { r.reason.clear() } => "reason: required";
    withdrawal_author_required: withdrawal_outcome(r, e) { r.author.clear() } => "author: required";
    revocation_party_is_the_origin: revocation_outcome(r, e) { r.party = s("VR02") }
        => "party: VR02 is not the origin VR01; a region revokes only for itself";
    revocation_reason_required: revocation_outcome(r, e) { r.reason = s(" ") } => "reason: required";
}
