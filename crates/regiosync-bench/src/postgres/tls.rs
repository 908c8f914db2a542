//! The throwaway certificate material for the benchmark's mTLS: a CA, the publisher's server
//! certificate and the subscriber's client certificate, generated fresh for every run.
use std::net::{IpAddr, Ipv4Addr};

use anyhow::Result;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, PKCS_ECDSA_P256_SHA256,
};

/// The throwaway PKI: a CA, the publisher's server certificate and the subscriber's client
/// certificate, all ECDSA P-256, PEM (keys PKCS#8).
pub(super) struct TlsMaterial {
    pub(super) ca_cert: String,
    pub(super) server_cert: String,
    pub(super) server_key: String,
    pub(super) client_cert: String,
    pub(super) client_key: String,
}

impl TlsMaterial {
    /// Server certificate for `localhost` and 127.0.0.1; client certificate with CN `client_cn`
    /// (PostgreSQL's `cert` method takes the CN as the user name).
    pub(super) fn generate(client_cn: &str) -> Result<TlsMaterial> {
        let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut ca = cert_params("regiosync-bench throwaway CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key)?.pem();
        let issuer = Issuer::new(ca, ca_key);

        let mut server = cert_params("localhost");
        server.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into()?),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let server_cert = server.signed_by(&server_key, &issuer)?.pem();

        let mut client = cert_params(client_cn);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let client_cert = client.signed_by(&client_key, &issuer)?.pem();

        Ok(TlsMaterial {
            ca_cert,
            server_cert,
            server_key: server_key.serialize_pem(),
            client_cert,
            client_key: client_key.serialize_pem(),
        })
    }
}

fn cert_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "regiosync-bench");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    params
}
