//! The dev PKI: a federation CA that issues node and person certificates (Ed25519).
//!
//! Production deployments use certificates from the government PKI instead; they only need to
//! carry the same URI SAN identities (see `identity`) and chain to the configured CA bundle.
use std::net::{IpAddr, Ipv4Addr};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, PKCS_ED25519,
};
use regiosync_types::NodeId;
use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::identity::{Identity, Role};

/// A certificate and its private key, both PEM.
#[derive(Clone, Debug)]
pub struct Issued {
    pub identity: Identity,
    pub cert_pem: String,
    pub key_pem: String,
}

/// A certificate authority able to issue federation certificates.
pub struct DevCa {
    name: String,
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    key_pem: String,
}

impl DevCa {
    /// A fresh CA with a new key, valid for ten years.
    pub fn generate(name: &str) -> Result<DevCa> {
        let key = KeyPair::generate_for(&PKCS_ED25519)?;
        let params = ca_params(name);
        let cert = params.self_signed(&key)?;
        let key_pem = key.serialize_pem();
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
            key_pem,
        })
    }

    /// Reload a CA written by [`DevCa::generate`] (same name, key and certificate).
    pub fn load(name: &str, cert_pem: &str, key_pem: &str) -> Result<DevCa> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| Error::Key(e.to_string()))?;
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(ca_params(name), key),
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    pub(crate) fn issuer(&self) -> &Issuer<'static, KeyPair> {
        &self.issuer
    }

    /// A node certificate: server and client auth, DNS names `<id>.regiosync` and `localhost`,
    /// IP 127.0.0.1, identity URI `urn:regiosync:node:<ID>`.
    pub fn issue_node(&self, id: NodeId) -> Result<Issued> {
        let identity = Identity::node(id);
        let mut params = leaf_params(&identity, 2)?;
        params
            .subject_alt_names
            .push(SanType::DnsName(id.dns_name().try_into()?));
        params.subject_alt_names.push(SanType::DnsName("localhost".try_into()?));
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(identity, params)
    }

    /// A person's client certificate (operator of a region, or national coordinator).
    pub fn issue_person(&self, identity: Identity) -> Result<Issued> {
        if matches!(identity.role, Role::Node(_)) {
            return Err(Error::BadIdentity("use issue_node for nodes".into()));
        }
        let mut params = leaf_params(&identity, 1)?;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(identity, params)
    }

    /// As [`DevCa::issue_person`], with `tweak` changing the certificate's parameters first
    /// (tests issue what a careless or compromised CA might).
    pub fn issue_person_with(&self, identity: Identity, tweak: impl FnOnce(&mut CertificateParams)) -> Result<Issued> {
        let mut params = leaf_params(&identity, 1)?;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        tweak(&mut params);
        self.sign(identity, params)
    }

    /// A CA certificate issued by this CA (`CA:TRUE`, no path length limit of its own), and a
    /// CA that issues under it. The federation's rules never let it speak for anyone: its
    /// leaves are refused unless it is configured as an issuing CA.
    pub fn issue_sub_ca(&self, name: &str) -> Result<DevCa> {
        let key = KeyPair::generate_for(&PKCS_ED25519)?;
        let mut params = ca_params(name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.use_authority_key_identifier_extension = true;
        let cert = params.signed_by(&key, &self.issuer)?;
        let key_pem = key.serialize_pem();
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
            key_pem,
        })
    }

    fn sign(&self, identity: Identity, params: CertificateParams) -> Result<Issued> {
        let key = KeyPair::generate_for(&PKCS_ED25519)?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            identity,
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "regiosync federation");
    dn.push(DnType::CommonName, name);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    // Fixed validity so a reloaded CA reproduces the same issuer parameters.
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(2045, 1, 1);
    params
}

fn leaf_params(identity: &Identity, years: i64) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "regiosync federation");
    dn.push(DnType::CommonName, identity.to_string());
    params.distinguished_name = dn;
    params.subject_alt_names.push(SanType::URI(identity.uri().try_into()?));
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    let now = OffsetDateTime::now_utc();
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(365 * years);
    Ok(params)
}
