//! An entry of one of the record kinds, decoded: where it came from and what it says.
use prost::Message;
use regiosync_types::pb::Status;
use regiosync_types::{Envelope, Error, NodeId, Result};
use sha2::{Digest, Sha256};

use crate::kinds;
use crate::pb;

/// A decoded record with the envelope fields that derivation and validation need.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The entry id, e.g. `VR01-42`.
    pub id: String,
    pub origin: NodeId,
    pub seq: u64,
    pub created_unix_ms: i64,
    pub status: Status,
    pub payload: Payload,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// An agreement version and the SHA-256 of its payload bytes (what signatures refer to).
    Agreement(pb::Agreement, [u8; 32]),
    Signature(pb::AgreementSignature),
    Rejection(pb::AgreementRejection),
    Withdrawal(pb::AgreementWithdrawal),
    Revocation(pb::AgreementRevocation),
    Capacity(pb::CapacityReport),
    Evaluation(pb::EvaluationSummary),
    EvaluationWithdrawal(pb::EvaluationWithdrawal),
    AssistanceRequest(pb::AssistanceRequest),
    AssistanceOffer(pb::AssistanceOffer),
    AssistanceAcceptance(pb::AssistanceAcceptance),
    AssistanceDeployment(pb::AssistanceDeployment),
    AssistanceClose(pb::AssistanceClose),
    AssistanceRouting(pb::AssistanceRouting),
    /// The head of the origin's audit chain; never derived into anything.
    AuditAnchor(pb::AuditAnchor),
}

impl Record {
    /// Decode the payload of an entry of a record kind. `Ok(None)` for an opaque `x.` kind;
    /// an error for an unknown kind or a payload that does not decode. Says nothing about
    /// whether the record is valid: that is [`crate::validate`].
    pub fn decode(env: &Envelope) -> Result<Option<Record>> {
        Record::from_parts(
            &env.id,
            env.origin,
            env.seq,
            env.created_unix_ms,
            env.status,
            &env.kind,
            &env.payload,
        )
    }

    /// Decode a record kept in an aggregate.
    pub fn from_held(h: &pb::HeldRecord) -> Result<Option<Record>> {
        let origin = NodeId::parse_field("origin", &h.origin)?;
        let status = Status::try_from(h.status).unwrap_or(Status::Unspecified);
        Record::from_parts(&h.id, origin, h.seq, h.created_unix_ms, status, &h.kind, &h.payload)
    }

    /// An entry's fields as an aggregate keeps them.
    pub fn held(env: &Envelope) -> pb::HeldRecord {
        pb::HeldRecord {
            id: env.id.clone(),
            origin: env.origin.to_string(),
            seq: env.seq,
            created_unix_ms: env.created_unix_ms,
            status: env.status as i32,
            kind: env.kind.clone(),
            payload: env.payload.clone(),
        }
    }

    fn from_parts(
        id: &str,
        origin: NodeId,
        seq: u64,
        created_unix_ms: i64,
        status: Status,
        kind: &str,
        bytes: &[u8],
    ) -> Result<Option<Record>> {
        if kinds::is_opaque(kind) {
            return Ok(None);
        }
        let malformed = |e: prost::DecodeError| Error::Malformed {
            what: format!("payload ({kind})"),
            detail: e.to_string(),
        };
        let payload = match kind {
            kinds::AGREEMENT => {
                let hash: [u8; 32] = Sha256::digest(bytes).into();
                Payload::Agreement(pb::Agreement::decode(bytes).map_err(malformed)?, hash)
            }
            kinds::AGREEMENT_SIGNATURE => Payload::Signature(Message::decode(bytes).map_err(malformed)?),
            kinds::AGREEMENT_REJECTION => Payload::Rejection(Message::decode(bytes).map_err(malformed)?),
            kinds::AGREEMENT_WITHDRAWAL => Payload::Withdrawal(Message::decode(bytes).map_err(malformed)?),
            kinds::AGREEMENT_REVOCATION => Payload::Revocation(Message::decode(bytes).map_err(malformed)?),
            kinds::CAPACITY_REPORT => Payload::Capacity(Message::decode(bytes).map_err(malformed)?),
            kinds::EVALUATION_SUMMARY => Payload::Evaluation(Message::decode(bytes).map_err(malformed)?),
            kinds::EVALUATION_WITHDRAWAL => Payload::EvaluationWithdrawal(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_REQUEST => Payload::AssistanceRequest(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_OFFER => Payload::AssistanceOffer(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_ACCEPTANCE => Payload::AssistanceAcceptance(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_DEPLOYMENT => Payload::AssistanceDeployment(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_CLOSE => Payload::AssistanceClose(Message::decode(bytes).map_err(malformed)?),
            kinds::ASSISTANCE_ROUTING => Payload::AssistanceRouting(Message::decode(bytes).map_err(malformed)?),
            kinds::AUDIT_ANCHOR => Payload::AuditAnchor(Message::decode(bytes).map_err(malformed)?),
            other => {
                return Err(Error::invalid(
                    "kind",
                    format!(
                        "unknown record kind '{other}' (expected one of {}, or an opaque kind starting with '{}')",
                        kinds::ALL.join(", "),
                        kinds::OPAQUE_PREFIX
                    ),
                ))
            }
        };
        Ok(Some(Record {
            id: id.to_string(),
            origin,
            seq,
            created_unix_ms,
            status,
            payload,
        }))
    }

    /// Where it came from, for views.
    pub fn meta(&self) -> pb::RecordMeta {
        pb::RecordMeta {
            id: self.id.clone(),
            origin: self.origin.to_string(),
            seq: self.seq,
            created_unix_ms: self.created_unix_ms,
            status: status_name(self.status).into(),
        }
    }

    /// The agreement this record is about, for the agreement kinds.
    pub fn agreement_id(&self) -> Option<&str> {
        match &self.payload {
            Payload::Agreement(a, _) => Some(&a.agreement_id),
            Payload::Signature(s) => Some(&s.agreement_id),
            Payload::Rejection(r) => Some(&r.agreement_id),
            Payload::Withdrawal(w) => Some(&w.agreement_id),
            Payload::Revocation(r) => Some(&r.agreement_id),
            _ => None,
        }
    }

    /// The assistance request this record is about (its own id for the request itself), for
    /// the assistance kinds.
    pub fn request_id(&self) -> Option<&str> {
        match &self.payload {
            Payload::AssistanceRequest(_) => Some(&self.id),
            Payload::AssistanceOffer(o) => Some(&o.request_id),
            Payload::AssistanceAcceptance(a) => Some(&a.request_id),
            Payload::AssistanceDeployment(d) => Some(&d.request_id),
            Payload::AssistanceClose(c) => Some(&c.request_id),
            Payload::AssistanceRouting(g) => Some(&g.request_id),
            _ => None,
        }
    }

    /// Exercise and test records never count in totals.
    pub fn is_actual(&self) -> bool {
        self.status == Status::Actual
    }
}

/// The status a name of [`status_name`] names (unspecified for any other).
pub fn status_named(name: &str) -> Status {
    [Status::Actual, Status::Exercise, Status::Test]
        .into_iter()
        .find(|s| status_name(*s) == name)
        .unwrap_or(Status::Unspecified)
}

/// "actual", "exercise", "test" (the `record_status` code list).
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Actual => "actual",
        Status::Exercise => "exercise",
        Status::Test => "test",
        Status::Unspecified => "unspecified",
    }
}
