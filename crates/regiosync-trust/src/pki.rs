//! The dev PKI: a federation CA that issues node and person certificates (ECDSA P-256 by
//! default; P-384 or Ed25519 on request, see [`KeyType`]).
//!
//! Production deployments use certificates from the government PKI instead; they only need to
//! carry the same URI SAN identities (see `identity`) and chain to the configured CA bundle.
use std::net::{IpAddr, Ipv4Addr};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, SignatureAlgorithm,
};
use regiosync_types::NodeId;
use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result};
use crate::identity::{Identity, Role};
use crate::keys::KeyType;

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
    /// The algorithm of the keys it generates for what it issues.
    leaf_alg: &'static SignatureAlgorithm,
}

impl DevCa {
    /// A fresh CA with a new key (ECDSA P-256), valid until 2045.
    pub fn generate(name: &str) -> Result<DevCa> {
        DevCa::generate_with(name, KeyType::default())
    }

    /// A fresh CA whose key, and every key it generates for what it issues, is of `key_type`.
    pub fn generate_with(name: &str, key_type: KeyType) -> Result<DevCa> {
        let key = KeyPair::generate_for(key_type.rcgen())?;
        let params = ca_params(name);
        let cert = params.self_signed(&key)?;
        let key_pem = portable_key_pem(&key);
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
            key_pem,
            leaf_alg: key_type.rcgen(),
        })
    }

    /// A fresh self-signed CA over a key made elsewhere (PEM, PKCS#8; RSA too). What it issues
    /// gets ECDSA P-256 keys unless the key is one the dev PKI generates.
    pub fn with_key(name: &str, key_pem: &str) -> Result<DevCa> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| Error::Key(e.to_string()))?;
        let cert = ca_params(name).self_signed(&key)?;
        DevCa::load(name, &cert.pem(), key_pem)
    }

    /// Reload a CA written by [`DevCa::generate`] (same name, key and certificate). What it
    /// issues gets keys of the CA key's algorithm (ECDSA P-256 for an RSA CA key, which the dev
    /// PKI cannot generate).
    pub fn load(name: &str, cert_pem: &str, key_pem: &str) -> Result<DevCa> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| Error::Key(e.to_string()))?;
        let alg = key.algorithm();
        let leaf_alg = [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519]
            .into_iter()
            .map(KeyType::rcgen)
            .find(|a| *a == alg)
            .unwrap_or(KeyType::EcdsaP256.rcgen());
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(ca_params(name), key),
            cert_pem: cert_pem.into(),
            key_pem: key_pem.into(),
            leaf_alg,
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
        self.sign(Identity::node(id), node_params(id)?)
    }

    /// A node certificate for a key made elsewhere (PEM, PKCS#8: for instance an RSA key from
    /// `openssl genpkey`, which the dev PKI cannot generate itself); the key stays the caller's.
    pub fn issue_node_for_key(&self, id: NodeId, key_pem: &str) -> Result<Issued> {
        let key = KeyPair::from_pem(key_pem).map_err(|e| Error::Key(e.to_string()))?;
        Ok(Issued {
            identity: Identity::node(id),
            cert_pem: node_params(id)?.signed_by(&key, &self.issuer)?.pem(),
            key_pem: key_pem.to_string(),
        })
    }

    /// A person's client certificate (operator of a region, or national coordinator).
    pub fn issue_person(&self, identity: Identity) -> Result<Issued> {
        if matches!(identity.role, Role::Node(_)) {
            return Err(Error::BadIdentity("use issue_node for nodes".into()));
        }
        // A name no node accepts makes a certificate nobody can use.
        crate::identity::check_person_name(&identity.name)?;
        self.issue_person_with(identity, |_| {})
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
        self.issue_sub_ca_with(name, None)
    }

    /// As [`DevCa::issue_sub_ca`], with a path length constraint (`Some(0)`: it may issue
    /// leaves only), as a government PKI's domain and issuing CAs carry.
    pub fn issue_sub_ca_with(&self, name: &str, path_len: Option<u8>) -> Result<DevCa> {
        let key = KeyPair::generate_for(self.leaf_alg)?;
        let mut params = ca_params(name);
        params.is_ca = IsCa::Ca(match path_len {
            Some(n) => BasicConstraints::Constrained(n),
            None => BasicConstraints::Unconstrained,
        });
        params.use_authority_key_identifier_extension = true;
        let cert = params.signed_by(&key, &self.issuer)?;
        let key_pem = portable_key_pem(&key);
        Ok(DevCa {
            name: name.into(),
            issuer: Issuer::new(params, key),
            cert_pem: cert.pem(),
            key_pem,
            leaf_alg: self.leaf_alg,
        })
    }

    fn sign(&self, identity: Identity, params: CertificateParams) -> Result<Issued> {
        let key = KeyPair::generate_for(self.leaf_alg)?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            identity,
            cert_pem: cert.pem(),
            key_pem: portable_key_pem(&key),
        })
    }
}

/// A key as PKCS#8 PEM that OpenSSL, curl, Python's `cryptography` and grpcio read (Ed25519
/// rewritten from ring's v2 to v1).
fn portable_key_pem(key: &KeyPair) -> String {
    crate::pem_encode("PRIVATE KEY", &crate::keys::portable_pkcs8(key.serialize_der()))
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

/// A node certificate's parameters: server and client auth, DNS names `<id>.regiosync` and
/// `localhost`, IP 127.0.0.1, identity URI `urn:regiosync:node:<ID>`.
fn node_params(id: NodeId) -> Result<CertificateParams> {
    let mut params = leaf_params(&Identity::node(id), 2)?;
    params
        .subject_alt_names
        .push(SanType::DnsName(id.dns_name().try_into()?));
    params.subject_alt_names.push(SanType::DnsName("localhost".try_into()?));
    params
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    Ok(params)
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
