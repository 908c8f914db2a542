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
        let name_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
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
