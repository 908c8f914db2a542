//! The envelope rules every node applies to every entry, whoever sent it.
//!
//! An [`Envelope`] is an `EntryBody` that passed these checks; replication only ever stores
//! entries whose body became an `Envelope` and whose signature verified.
use std::collections::BTreeSet;

use prost::Message;

use crate::error::{Error, Result};
use crate::node_id::NodeId;
use crate::pb::{Confidentiality, EntryBody, Status};

/// Size limits that keep every queue and message bounded.
#[derive(Clone, Copy, Debug)]
pub struct Limits;

impl Limits {
    /// Largest payload a record may carry.
    pub const MAX_PAYLOAD: usize = 256 * 1024;
    /// Largest encoded entry body.
    pub const MAX_ENTRY: usize = Self::MAX_PAYLOAD + 8 * 1024;
    pub const MAX_ID: usize = 64;
    pub const MAX_KIND: usize = 64;
    pub const MAX_SUPERSEDES: usize = 16;
}

/// A decoded, checked entry body.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    pub id: String,
    pub origin: NodeId,
    pub seq: u64,
    pub kind: String,
    pub created_unix_ms: i64,
    pub expires_unix_ms: Option<i64>,
    pub status: Status,
    pub supersedes: Vec<String>,
    /// Sorted, without duplicates; always holds the origin. Every national node may see every
    /// entry whether named here or not (see `Federation::may_see`).
    pub audience: BTreeSet<NodeId>,
    pub confidentiality: Confidentiality,
    pub payload: Vec<u8>,
}

impl Envelope {
    /// Decode and check an encoded entry body (the seal over it is checked elsewhere).
    pub fn from_bytes(body: &[u8]) -> Result<Envelope> {
        if body.len() > Limits::MAX_ENTRY {
            return Err(Error::invalid(
                "body",
                format!("{} bytes exceeds the limit of {}", body.len(), Limits::MAX_ENTRY),
            ));
        }
        let body = EntryBody::decode(body).map_err(|e| Error::Malformed {
            what: "body".into(),
            detail: e.to_string(),
        })?;
        Envelope::check(body)
    }

    /// The id this node gives a record when the author chose none: `<origin>-<seq>`, unique
    /// because (origin, seq) is, and readable.
    pub fn generated_id(origin: NodeId, seq: u64) -> String {
        format!("{origin}-{seq}")
    }

    /// Origin and seq named by an id of the generated form, if it has that form.
    pub fn parse_generated_id(id: &str) -> Option<(NodeId, u64)> {
        let (name, seq) = id.rsplit_once('-')?;
        let origin = NodeId::parse_canonical(name)?;
        if seq.is_empty() || seq.starts_with('0') || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((origin, seq.parse().ok()?))
    }

    /// Check a body against the envelope rules.
    pub fn check(body: EntryBody) -> Result<Envelope> {
        let origin = required_node("origin", &body.origin)?;
        check_token("id", &body.id, Limits::MAX_ID, |c| {
            c.is_ascii_alphanumeric() || c == '-'
        })?;
        check_token("kind", &body.kind, Limits::MAX_KIND, |c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
        })?;
        if body.seq == 0 {
            return Err(Error::invalid("seq", "must be at least 1"));
        }
        if let Some((o, seq)) = Envelope::parse_generated_id(&body.id) {
            if (o, seq) != (origin, body.seq) {
                return Err(Error::invalid(
                    "id",
                    format!(
                        "{:?} has the generated form but names {o}/{seq}, not this entry",
                        body.id
                    ),
                ));
            }
        }
        if body.created_unix_ms <= 0 {
            return Err(Error::Missing("created_unix_ms".into()));
        }
        let expires = match body.expires_unix_ms {
            0 => None,
            e if e <= body.created_unix_ms => {
                return Err(Error::invalid(
                    "expires_unix_ms",
                    format!("{e} is not after created_unix_ms {}", body.created_unix_ms),
                ))
            }
            e => Some(e),
        };
        let status = match Status::try_from(body.status) {
            Ok(Status::Unspecified) => return Err(Error::Missing("status".into())),
            Ok(s) => s,
            Err(_) => return Err(Error::invalid("status", format!("unknown value {}", body.status))),
        };
        let confidentiality = match Confidentiality::try_from(body.confidentiality) {
            Ok(Confidentiality::Unspecified) => Confidentiality::Restricted,
            Ok(c) => c,
            Err(_) => {
                return Err(Error::invalid(
                    "confidentiality",
                    format!("unknown value {}", body.confidentiality),
                ))
            }
        };
        if body.supersedes.len() > Limits::MAX_SUPERSEDES {
            return Err(Error::invalid(
                "supersedes",
                format!(
                    "{} ids exceeds the limit of {}",
                    body.supersedes.len(),
                    Limits::MAX_SUPERSEDES
                ),
            ));
        }
        for (i, s) in body.supersedes.iter().enumerate() {
            check_token(&format!("supersedes[{i}]"), s, Limits::MAX_ID, |c| {
                c.is_ascii_alphanumeric() || c == '-'
            })?;
        }
        let audience = audience(&body.audience, origin)?;
        if body.payload.len() > Limits::MAX_PAYLOAD {
            return Err(Error::invalid(
                "payload",
                format!(
                    "{} bytes exceeds the limit of {}",
                    body.payload.len(),
                    Limits::MAX_PAYLOAD
                ),
            ));
        }
        Ok(Envelope {
            id: body.id,
            origin,
            seq: body.seq,
            kind: body.kind,
            created_unix_ms: body.created_unix_ms,
            expires_unix_ms: expires,
            status,
            supersedes: body.supersedes,
            audience,
            confidentiality,
            payload: body.payload,
        })
    }

    /// Back to the wire form (audience in canonical order).
    pub fn to_body(&self) -> EntryBody {
        EntryBody {
            id: self.id.clone(),
            origin: self.origin.to_string(),
            seq: self.seq,
            kind: self.kind.clone(),
            created_unix_ms: self.created_unix_ms,
            expires_unix_ms: self.expires_unix_ms.unwrap_or(0),
            status: self.status as i32,
            supersedes: self.supersedes.clone(),
            audience: self.audience.iter().map(|n| n.to_string()).collect(),
            confidentiality: self.confidentiality as i32,
            payload: self.payload.clone(),
        }
    }
}

/// Parse an audience list; the origin must be in it. National nodes need not be: they are in
/// every audience (they relay everything, so each is complete for every origin).
pub fn audience(list: &[String], origin: NodeId) -> Result<BTreeSet<NodeId>> {
    let mut set = BTreeSet::new();
    for (i, a) in list.iter().enumerate() {
        let id = match a.parse::<NodeId>() {
            Ok(id) => id,
            Err(_) => return Err(NodeId::parse_field(&format!("audience[{i}]"), a).unwrap_err()),
        };
        if !set.insert(id) {
            return Err(Error::invalid(format!("audience[{i}]"), format!("{id} listed twice")));
        }
    }
    if !set.contains(&origin) {
        return Err(Error::invalid("audience", format!("must include the origin {origin}")));
    }
    Ok(set)
}

fn required_node(field: &str, value: &str) -> Result<NodeId> {
    if value.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    NodeId::parse_field(field, value)
}

fn check_token(field: &str, value: &str, max: usize, ok: impl Fn(char) -> bool) -> Result<()> {
    if value.is_empty() {
        return Err(Error::Missing(field.into()));
    }
    if value.len() > max {
        return Err(Error::invalid(
            field,
            format!("{} characters exceeds the limit of {max}", value.len()),
        ));
    }
    if let Some(c) = value.chars().find(|c| !ok(*c)) {
        return Err(Error::invalid(field, format!("character {c:?} not allowed")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> EntryBody {
        EntryBody {
            id: "a1b2".into(),
            origin: "VR01".into(),
            seq: 1,
            kind: "capacity_report".into(),
            created_unix_ms: 1_700_000_000_000,
            status: Status::Actual as i32,
            audience: vec!["NL".into(), "VR01".into(), "VR02".into()],
            ..Default::default()
        }
    }

    #[test]
    fn accepts_a_complete_body() {
        let env = Envelope::check(body()).unwrap();
        assert_eq!(env.audience.len(), 3);
        assert_eq!(Envelope::check(env.to_body()).unwrap(), env);
    }

    /// A change to a valid body, and the start of the error it must give.
    type Case = (fn(&mut EntryBody), &'static str);

    #[test]
    fn names_the_field_that_is_wrong() {
        let cases: Vec<Case> = vec![
            (|b| b.origin.clear(), "origin: required"),
            (|b| b.origin = "VR 30".into(), "origin: 'VR 30' is not a member id"),
            (|b| b.id.clear(), "id: required"),
            (|b| b.kind = "Bad Kind".into(), "kind: character 'B' not allowed"),
            (|b| b.seq = 0, "seq: must be at least 1"),
            (|b| b.status = 0, "status: required"),
            (
                |b| b.audience = vec!["NL".into()],
                "audience: must include the origin VR01",
            ),
            (|b| b.audience.push("NL".into()), "audience[3]: NL listed twice"),
            (|b| b.expires_unix_ms = 5, "expires_unix_ms: 5 is not after"),
        ];
        for (mutate, want) in cases {
            let mut b = body();
            mutate(&mut b);
            let err = Envelope::check(b).unwrap_err().to_string();
            assert!(err.starts_with(want), "{err} does not start with {want}");
        }
    }

    #[test]
    fn malformed_body_is_reported() {
        let err = Envelope::from_bytes(&[0xff, 0xff, 0xff]).unwrap_err().to_string();
        assert!(err.starts_with("body: malformed protobuf"), "{err}");
    }

    #[test]
    fn generated_ids_name_their_entry() {
        let vr01 = NodeId::region(1).unwrap();
        assert_eq!(Envelope::generated_id(vr01, 42), "VR01-42");
        assert_eq!(Envelope::parse_generated_id("VR01-42"), Some((vr01, 42)));
        let nl_b: NodeId = "NL-B".parse().unwrap();
        assert_eq!(Envelope::generated_id(nl_b, 7), "NL-B-7");
        assert_eq!(Envelope::parse_generated_id("NL-B-7"), Some((nl_b, 7)));
        for not_generated in ["VR01-042", "VR01-", "VR01-4x", "vr01-42", "agreement-x7", "VR 30-1"] {
            assert_eq!(Envelope::parse_generated_id(not_generated), None, "{not_generated}");
        }
        let mut b = body();
        b.id = "VR01-1".into();
        Envelope::check(b.clone()).unwrap();
        b.id = "VR01-2".into();
        let err = Envelope::check(b).unwrap_err().to_string();
        assert!(err.starts_with("id: \"VR01-2\" has the generated form"), "{err}");
    }
}
