//! Identities carried in certificates as URI subject alternative names:
//! `urn:regiosync:node:VR01`, `urn:regiosync:operator:VR01:<name>`,
//! `urn:regiosync:coordinator:<name>`. Nothing else decides who a caller is.
use std::fmt;

use regiosync_types::NodeId;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::{Error, Result};

const PREFIX: &str = "urn:regiosync:";

/// What a certificate's holder is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A federation node (server and peer client).
    Node(NodeId),
    /// A person operating one member's node (a region or partner): may publish through that
    /// node only.
    RegionOperator(NodeId),
    /// A national coordinator: reads national aggregates; publishes only through a national
    /// node.
    NationalCoordinator,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    pub role: Role,
    /// Person's name for persons, the node id for nodes.
    pub name: String,
}

impl Identity {
    pub fn node(id: NodeId) -> Identity {
        Identity {
            role: Role::Node(id),
            name: id.to_string(),
        }
    }

    pub fn operator(region: NodeId, name: &str) -> Identity {
        Identity {
            role: Role::RegionOperator(region),
            name: name.to_string(),
        }
    }

    pub fn coordinator(name: &str) -> Identity {
        Identity {
            role: Role::NationalCoordinator,
            name: name.to_string(),
        }
    }

    /// The URI SAN that encodes this identity.
    pub fn uri(&self) -> String {
        match &self.role {
            Role::Node(id) => format!("{PREFIX}node:{id}"),
            Role::RegionOperator(r) => format!("{PREFIX}operator:{r}:{}", self.name),
            Role::NationalCoordinator => format!("{PREFIX}coordinator:{}", self.name),
        }
    }

    pub fn parse_uri(uri: &str) -> Result<Identity> {
        let rest = uri
            .strip_prefix(PREFIX)
            .ok_or_else(|| Error::BadIdentity(format!("'{uri}' is not urn:regiosync:")))?;
        let parts: Vec<&str> = rest.split(':').collect();
        let node = |s: &str| s.parse::<NodeId>().map_err(|e| Error::BadIdentity(e.to_string()));
        let name_ok = |s: &str| check_person_name(s).is_ok();
        match parts.as_slice() {
            ["node", id] => Ok(Identity::node(node(id)?)),
            // Whether the member may have operators (regions and partners do, national nodes
            // do not: coordinators publish there) is the federation's rule, checked where a
            // person publishes.
            ["operator", r, name] if name_ok(name) => Ok(Identity::operator(node(r)?, name)),
            ["coordinator", name] if name_ok(name) => Ok(Identity::coordinator(name)),
            _ => Err(Error::BadIdentity(format!("'{uri}' is not a known identity form"))),
        }
    }

    /// The identity in a DER certificate (the first `urn:regiosync:` URI SAN). Only a leaf
    /// carries one: see [`leaf_rules`].
    pub fn from_cert_der(der: &[u8]) -> Result<Identity> {
        let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate(e.to_string()))?;
        check_leaf(&cert)?;
        let san = cert
            .subject_alternative_name()
            .map_err(|e| Error::Certificate(e.to_string()))?;
        let Some(san) = san else { return Err(Error::NoIdentity) };
        for name in &san.value.general_names {
            if let GeneralName::URI(uri) = name {
                if uri.starts_with(PREFIX) {
                    return Identity::parse_uri(uri);
                }
            }
        }
        Err(Error::NoIdentity)
    }

    pub fn node_id(&self) -> Option<NodeId> {
        match self.role {
            Role::Node(id) => Some(id),
            _ => None,
        }
    }
}

/// The rule for a person's name in an identity (`urn:regiosync:operator:VR01:<name>`,
/// `urn:regiosync:coordinator:<name>`): ASCII letters, digits, '-', '_' and '.', at least one.
/// A certificate with any other name is refused at every node, so none is issued.
pub fn check_person_name(name: &str) -> Result<()> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Ok(());
    }
    Err(Error::BadIdentity(format!(
        "'{name}' is not a person's name in a regiosync identity: use ASCII letters, digits, '-', '_' and '.' only (e.g. '{}')",
        suggest_person_name(name)
    )))
}

/// A name `check_person_name` accepts for `name`: spaces and other characters become '.',
/// accents are dropped ("Jan de Vries" -> "Jan.de.Vries", "Zoë" -> "Zoe").
pub fn suggest_person_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        let c = match c {
            'à'..='å' => 'a',
            'À'..='Å' => 'A',
            'è'..='ë' => 'e',
            'È'..='Ë' => 'E',
            'ì'..='ï' => 'i',
            'Ì'..='Ï' => 'I',
            'ò'..='ö' => 'o',
            'Ò'..='Ö' => 'O',
            'ù'..='ü' => 'u',
            'Ù'..='Ü' => 'U',
            'ç' => 'c',
            'ñ' => 'n',
            'ÿ' | 'ý' => 'y',
            c if c.is_ascii_alphanumeric() || "-_".contains(c) => c,
            _ => '.',
        };
        if !(c == '.' && (out.is_empty() || out.ends_with('.'))) {
            out.push(c);
        }
    }
    match out.trim_end_matches('.') {
        "" => "jan.de.vries".into(),
        s => s.into(),
    }
}

/// The federation's rule for a certificate that speaks for someone: it is a leaf. A CA
/// certificate (`CA:TRUE`) or one that may sign certificates or CRLs (`keyCertSign`,
/// `cRLSign`) is never an identity, whoever issued it.
pub fn leaf_rules(der: &[u8]) -> Result<()> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate(e.to_string()))?;
    check_leaf(&cert)
}

fn check_leaf(cert: &X509Certificate<'_>) -> Result<()> {
    let constraints = cert
        .basic_constraints()
        .map_err(|e| Error::Certificate(format!("basicConstraints: {e}")))?;
    if constraints.is_some_and(|c| c.value.ca) {
        return Err(Error::Certificate(
            "a CA certificate (CA:TRUE) is never an identity".into(),
        ));
    }
    let usage = cert
        .key_usage()
        .map_err(|e| Error::Certificate(format!("keyUsage: {e}")))?;
    if usage.is_some_and(|u| u.value.key_cert_sign() || u.value.crl_sign()) {
        return Err(Error::Certificate(
            "a certificate that may sign certificates or CRLs (keyCertSign, cRLSign) is never an identity".into(),
        ));
    }
    Ok(())
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.role {
            Role::Node(id) => write!(f, "node {id}"),
            Role::RegionOperator(r) => write!(f, "{} (operator, {r})", self.name),
            Role::NationalCoordinator => write!(f, "{} (national coordinator)", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_as_every_node_accepts_them() {
        for ok in ["operator", "an.de-vries", "j_jansen", "Jan.de.Vries", "x1"] {
            check_person_name(ok).unwrap();
        }
        for bad in ["", "Jan de Vries", "zoë", "a:b", "a/b"] {
            let e = check_person_name(bad).unwrap_err().to_string();
            assert!(e.contains("use ASCII letters, digits"), "{bad}: {e}");
        }
        assert_eq!(suggest_person_name("Jan de Vries"), "Jan.de.Vries");
        assert_eq!(suggest_person_name("  Zoë  van 't Hof "), "Zoe.van.t.Hof");
        assert_eq!(suggest_person_name("???"), "jan.de.vries");
        for s in ["Jan de Vries", "Zoë van 't Hof", "???", "a:b"] {
            check_person_name(&suggest_person_name(s)).unwrap();
        }
    }

    #[test]
    fn uris_round_trip() {
        let v = NodeId::region(3).unwrap();
        for id in [
            Identity::node(v),
            Identity::node(NodeId::NL),
            Identity::operator(v, "an.de-vries"),
            Identity::coordinator("lcms"),
            Identity::node("POL-ON".parse().unwrap()),
            Identity::operator("WS-HDSR".parse().unwrap(), "j.jansen"),
        ] {
            assert_eq!(Identity::parse_uri(&id.uri()).unwrap(), id);
        }
        for bad in [
            "urn:regiosync:node:VR 9",
            "urn:regiosync:node:vr-",
            "urn:regiosync:operator:NL:",
            "urn:other:node:VR01",
            "urn:regiosync:coordinator:",
        ] {
            assert!(Identity::parse_uri(bad).is_err(), "{bad}");
        }
    }
}
