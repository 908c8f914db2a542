//! Revocation: certificate revocation lists (CRLs) as a government PKI publishes them (PEM or
//! DER), checked for every certificate that speaks for someone: at the TLS handshake (the node
//! crate builds its verifier from [`Revocations::ders`]) and for seals (a chunk sealed at or
//! after its key's revocation date is refused; one sealed before still verifies, so a fresh
//! node still receives a revoked node's genuine older entries).
//!
//! A CRL counts only if its signature verifies under the CA that issued the certificate (webpki
//! checks that while it builds the path). The dev PKI writes CRLs with [`DevCa::crl`].
use std::time::Duration;

use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, TrustAnchor, UnixTime};
use time::OffsetDateTime;
use webpki::{CertRevocationList, EndEntityCert, KeyUsage, OwnedCertRevocationList, RevocationOptionsBuilder};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::{Error, Result};
use crate::pki::DevCa;

/// The CRLs in force.
#[derive(Default)]
pub struct Revocations {
    ders: Vec<Vec<u8>>,
    crls: Vec<CertRevocationList<'static>>,
}

impl Revocations {
    /// Parse CRLs from a file's bytes: PEM (`X509 CRL` blocks, any number) or one DER CRL.
    /// `what` names the file in errors.
    pub fn parse(bytes: &[u8], what: &str) -> Result<Revocations> {
        use rustls_pki_types::pem::PemObject;
        let ders: Vec<Vec<u8>> = if bytes.starts_with(b"-----") || bytes.windows(10).any(|w| w == b"-----BEGIN") {
            CertificateRevocationListDer::pem_slice_iter(bytes)
                .map(|r| r.map(|d| d.to_vec()))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::Certificate(format!("{what}: {e}")))?
        } else {
            vec![bytes.to_vec()]
        };
        let mut crls = Vec::with_capacity(ders.len());
        for (i, der) in ders.iter().enumerate() {
            let crl = OwnedCertRevocationList::from_der(der)
                .map_err(|e| Error::Certificate(format!("{what}: CRL {}: {e:?}", i + 1)))?;
            crls.push(CertRevocationList::from(crl));
        }
        Ok(Revocations { ders, crls })
    }

    /// The CRLs, DER, for the TLS verifier.
    pub fn ders(&self) -> impl Iterator<Item = CertificateRevocationListDer<'static>> + '_ {
        self.ders.iter().map(|d| CertificateRevocationListDer::from(d.clone()))
    }

    pub fn len(&self) -> usize {
        self.crls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.crls.is_empty()
    }

    /// When the certificate `der` (issued by one of `anchors`, directly or through the
    /// configured `intermediates`) was revoked, in ms since the Unix epoch, if a CRL of its
    /// issuer lists it. A CRL whose signature does not verify under that issuer is ignored.
    pub fn revoked_at(
        &self,
        der: &[u8],
        anchors: &[TrustAnchor<'_>],
        intermediates: &[CertificateDer<'_>],
    ) -> Option<i64> {
        if self.crls.is_empty() {
            return None;
        }
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let serial = cert.raw_serial();
        let at = UnixTime::since_unix_epoch(Duration::from_secs(
            cert.validity().not_before.timestamp().max(0) as u64 + 1,
        ));
        let refs: Vec<&CertRevocationList<'_>> = self.crls.iter().collect();
        let options = RevocationOptionsBuilder::new(&refs)
            .ok()?
            .with_depth(webpki::RevocationCheckDepth::EndEntity)
            .with_status_policy(webpki::UnknownStatusPolicy::Allow)
            .build();
        let cert_der = CertificateDer::from(der);
        let ee = EndEntityCert::try_from(&cert_der).ok()?;
        let checked = ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            anchors,
            intermediates,
            at,
            KeyUsage::client_auth(),
            Some(options),
            None,
        );
        match checked {
            Err(webpki::Error::CertRevoked) => self
                .crls
                .iter()
                .filter_map(|crl| crl.find_serial(serial).ok().flatten())
                .map(|r| r.revocation_date.as_secs() as i64 * 1000)
                .min(),
            _ => None,
        }
    }
}

/// The serial number of a certificate (PEM or DER), as its DER carries it.
pub fn serial_of(cert: &[u8]) -> Result<Vec<u8>> {
    let der = match std::str::from_utf8(cert).ok().map(crate::certs_from_pem) {
        Some(Ok(mut ders)) if !ders.is_empty() => ders.remove(0),
        _ => cert.to_vec(),
    };
    let (_, parsed) = X509Certificate::from_der(&der).map_err(|e| Error::Certificate(e.to_string()))?;
    Ok(parsed.raw_serial().to_vec())
}

/// Whether the certificate `der` was issued directly by the CA whose certificate is `ca_pem`
/// (checked as of when it became valid, so an expired one still counts).
pub fn issued_by(der: &[u8], ca_pem: &str) -> Result<()> {
    let ca = crate::certs_from_pem(ca_pem)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Certificate("no CA certificate".into()))?;
    let ca = CertificateDer::from(ca);
    let anchor = webpki::anchor_from_trusted_cert(&ca).map_err(|e| Error::Certificate(format!("CA: {e}")))?;
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate(e.to_string()))?;
    let at = UnixTime::since_unix_epoch(Duration::from_secs(
        cert.validity().not_before.timestamp().max(0) as u64 + 1,
    ));
    let cert_der = CertificateDer::from(der);
    let ee = EndEntityCert::try_from(&cert_der).map_err(|e| Error::Certificate(e.to_string()))?;
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &[anchor],
        &[],
        at,
        KeyUsage::client_auth(),
        None,
        None,
    )
    .map(|_| ())
    .map_err(|e| Error::Untrusted(format!("not issued by this CA: {e}")))
}

/// The certificates a CRL (PEM or DER) lists: serial and revocation time. Its signature is not
/// checked here (the dev PKI reads back its own CRL to add to it).
pub fn listed(bytes: &[u8], what: &str) -> Result<Vec<(Vec<u8>, OffsetDateTime)>> {
    let parsed = Revocations::parse(bytes, what)?;
    let mut out = Vec::new();
    for der in &parsed.ders {
        let (_, crl) = x509_parser::revocation_list::CertificateRevocationList::from_der(der)
            .map_err(|e| Error::Certificate(format!("{what}: {e}")))?;
        for r in crl.iter_revoked_certificates() {
            let at = OffsetDateTime::from_unix_timestamp(r.revocation_date.timestamp())
                .map_err(|e| Error::Certificate(format!("{what}: {e}")))?;
            out.push((r.raw_serial().to_vec(), at));
        }
    }
    Ok(out)
}

/// What is wrong with the CRLs in `bytes` (PEM or DER; `what` names the file) at `now_unix`
/// seconds, for a node whose CAs are `ca_pem` and whose intermediates are `intermediates_pem`:
/// a CRL no configured CA issued (it revokes nothing here), one whose signature does not verify
/// under its issuer, one past its next update (stale: revocations since may be missing) or not
/// yet in force. One message per problem, each naming the CRL by its place in the file; empty
/// when every CRL is in order.
pub fn crl_problems(
    bytes: &[u8],
    what: &str,
    ca_pem: &str,
    intermediates_pem: &str,
    now_unix: i64,
) -> Result<Vec<String>> {
    let parsed = Revocations::parse(bytes, what)?;
    let mut cas = crate::certs_from_pem(ca_pem)?;
    if !intermediates_pem.trim().is_empty() {
        cas.extend(crate::certs_from_pem(intermediates_pem)?);
    }
    let cas: Vec<X509Certificate<'_>> = cas
        .iter()
        .map(|der| X509Certificate::from_der(der).map(|(_, c)| c))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::Certificate(format!("CA: {e}")))?;
    let mut problems = Vec::new();
    for (i, der) in parsed.ders.iter().enumerate() {
        let (_, crl) = x509_parser::revocation_list::CertificateRevocationList::from_der(der)
            .map_err(|e| Error::Certificate(format!("{what}: CRL {}: {e}", i + 1)))?;
        let name = format!("{what}: CRL {} (issuer {})", i + 1, crl.issuer());
        let Some(ca) = cas.iter().find(|ca| ca.subject().as_raw() == crl.issuer().as_raw()) else {
            problems.push(format!(
                "{name}: not issued by a configured CA or intermediate, so it revokes nothing here"
            ));
            continue;
        };
        if let Err(e) = crl.verify_signature(ca.public_key()) {
            problems.push(format!("{name}: its signature does not verify under that CA: {e}"));
        }
        let this_update = crl.last_update().timestamp();
        if this_update > now_unix {
            problems.push(format!(
                "{name}: issued in the future ({}): check the clock",
                crl.last_update()
            ));
        }
        match crl.next_update() {
            Some(next) if next.timestamp() <= now_unix => problems.push(format!(
                "{name}: stale: its next update was due {next}; fetch the current CRL from the PKI"
            )),
            _ => {}
        }
    }
    Ok(problems)
}

impl DevCa {
    /// A CRL of this CA (PEM) listing `revoked`: certificate serials (see [`serial_of`]), each
    /// with the moment it was revoked. Valid for 30 days from `now`.
    pub fn crl(&self, revoked: &[(Vec<u8>, OffsetDateTime)], now: OffsetDateTime) -> Result<String> {
        let revoked_certs = revoked
            .iter()
            .map(|(serial, at)| rcgen::RevokedCertParams {
                serial_number: rcgen::SerialNumber::from_slice(serial),
                revocation_time: *at,
                reason_code: Some(rcgen::RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect();
        let params = rcgen::CertificateRevocationListParams {
            this_update: now,
            next_update: now + time::Duration::days(30),
            crl_number: rcgen::SerialNumber::from(now.unix_timestamp() as u64),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: rcgen::KeyIdMethod::Sha256,
        };
        Ok(params.signed_by(self.issuer())?.pem()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Identity;
    use regiosync_types::NodeId;

    #[test]
    fn crl_problems_name_a_stale_crl_a_foreign_one_and_a_forged_signature() {
        let ca = DevCa::generate("test CA").unwrap();
        let now = OffsetDateTime::now_utc();
        let fresh = ca.crl(&[], now).unwrap();
        let problems =
            |pem: &str| crl_problems(pem.as_bytes(), "crl.pem", ca.cert_pem(), "", now.unix_timestamp()).unwrap();
        assert_eq!(problems(&fresh), Vec::<String>::new());
        let stale = ca.crl(&[], now - time::Duration::days(31)).unwrap();
        let p = problems(&stale);
        assert!(
            p.len() == 1 && p[0].contains("crl.pem: CRL 1") && p[0].contains("stale"),
            "{p:?}"
        );
        let other = DevCa::generate("other CA").unwrap();
        let p = problems(&other.crl(&[], now).unwrap());
        assert!(p.len() == 1 && p[0].contains("not issued by a configured CA"), "{p:?}");
        // The same issuer name, another key: the signature does not verify.
        let impostor = DevCa::generate("test CA").unwrap();
        let p = problems(&impostor.crl(&[], now).unwrap());
        assert!(p.len() == 1 && p[0].contains("signature does not verify"), "{p:?}");
        // Every CRL of a file is looked at, each named by its place.
        let p = problems(&format!("{fresh}{stale}"));
        assert!(p.len() == 1 && p[0].contains("CRL 2"), "{p:?}");
    }

    #[test]
    fn a_crl_of_the_ca_revokes_from_its_date_and_another_cas_crl_counts_for_nothing() {
        let ca = DevCa::generate("test CA").unwrap();
        let anchors = vec![webpki::anchor_from_trusted_cert(&CertificateDer::from(
            crate::certs_from_pem(ca.cert_pem()).unwrap().remove(0),
        ))
        .unwrap()
        .to_owned()];
        let alice = ca
            .issue_person(Identity::operator(NodeId::region(1).unwrap(), "alice"))
            .unwrap();
        let bob = ca
            .issue_person(Identity::operator(NodeId::region(1).unwrap(), "bob"))
            .unwrap();
        let der = |pem: &str| crate::certs_from_pem(pem).unwrap().remove(0);
        let now = OffsetDateTime::now_utc();
        let at = now - time::Duration::hours(1);
        let serial = serial_of(alice.cert_pem.as_bytes()).unwrap();
        let pem = ca.crl(&[(serial.clone(), at)], now).unwrap();
        assert_eq!(
            listed(pem.as_bytes(), "crl.pem").unwrap(),
            [(serial.clone(), at.replace_nanosecond(0).unwrap())]
        );
        let r = Revocations::parse(pem.as_bytes(), "crl.pem").unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(
            r.revoked_at(&der(&alice.cert_pem), &anchors, &[]),
            Some(at.unix_timestamp() * 1000)
        );
        assert_eq!(r.revoked_at(&der(&bob.cert_pem), &anchors, &[]), None);
        // DER works as well as PEM.
        let as_der = r.ders().next().unwrap().to_vec();
        assert_eq!(Revocations::parse(&as_der, "crl.der").unwrap().len(), 1);
        // Another CA's CRL naming the same serial revokes nothing here.
        let other = DevCa::generate("other CA").unwrap();
        let forged = other.crl(&[(serial, at)], now).unwrap();
        let r = Revocations::parse(forged.as_bytes(), "forged.pem").unwrap();
        assert_eq!(r.revoked_at(&der(&alice.cert_pem), &anchors, &[]), None);
        assert!(Revocations::parse(b"not a crl", "junk").is_err());
    }
}
