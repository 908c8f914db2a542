//! Admitting certificates and verifying entry signatures.
//!
//! A certificate is admitted once (chain to the federation CA, a node identity, an Ed25519
//! key) and then named by its [`KeyId`]; every later entry signed with it is checked against the
//! cached public key, and its origin must be the certificate's node.
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use regiosync_types::{Federation, NodeId, Sealed};
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use sha2::{Digest, Sha256};
use webpki::{EndEntityCert, KeyUsage};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::{Error, Result};
use crate::identity::{Identity, Role};
use crate::revocation::Revocations;

/// Names a signing certificate: the first 16 bytes of SHA-256 over its DER.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 16]);

impl KeyId {
    pub fn of_cert(der: &[u8]) -> KeyId {
        let digest = Sha256::digest(der);
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        KeyId(id)
    }

    pub fn from_slice(bytes: &[u8]) -> Option<KeyId> {
        bytes.try_into().ok().map(KeyId)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0[..8] {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[derive(Clone)]
struct Admitted {
    der: Arc<Vec<u8>>,
    node: NodeId,
    public_key: Vec<u8>,
    alg: &'static dyn ring::signature::VerificationAlgorithm,
    not_before_ms: i64,
    not_after_ms: i64,
    /// When a CRL in force revoked it: seals from then on are refused.
    revoked_at_ms: Option<i64>,
}

/// The federation's trust anchors and the node certificates admitted so far.
pub struct Verifier {
    anchors: Vec<TrustAnchor<'static>>,
    /// The anchors' certificates, in the same order (for their fingerprints).
    anchor_ders: Vec<Vec<u8>>,
    /// Intermediate CAs configured (`tls.intermediates`): the only ones a chain may pass
    /// through. What a peer sends is never used.
    intermediates: Vec<CertificateDer<'static>>,
    admitted: RwLock<HashMap<KeyId, Admitted>>,
    revocations: RwLock<Revocations>,
    /// Only members' node certificates are admitted.
    members: Federation,
}

impl Verifier {
    /// From the federation CA bundle (PEM, one or more certificates).
    pub fn from_ca_pem(ca_pem: &str) -> Result<Verifier> {
        let mut anchors = Vec::new();
        let mut anchor_ders = Vec::new();
        for der in crate::certs_from_pem(ca_pem)? {
            let cert = CertificateDer::from(der.clone());
            let anchor = webpki::anchor_from_trusted_cert(&cert).map_err(|e| Error::Certificate(format!("CA: {e}")))?;
            anchors.push(anchor.to_owned());
            anchor_ders.push(der);
        }
        Ok(Verifier {
            anchors,
            anchor_ders,
            intermediates: Vec::new(),
            admitted: RwLock::new(HashMap::new()),
            revocations: RwLock::new(Revocations::default()),
            members: Federation::shipped(),
        })
    }

    /// The same verifier admitting the members of `members` (the shipped federation until
    /// this is called).
    pub fn with_members(mut self, members: Federation) -> Verifier {
        self.members = members;
        self
    }

    pub fn members(&self) -> &Federation {
        &self.members
    }

    /// The same verifier letting chains pass through the intermediate CAs in `pem` (a
    /// government PKI: root, domain CA, issuing CA). Each must be a CA certificate; path
    /// length and name constraints of intermediates are enforced by webpki.
    pub fn with_intermediates(mut self, pem: &str) -> Result<Verifier> {
        for der in crate::certs_from_pem(pem)? {
            let (_, cert) = X509Certificate::from_der(&der).map_err(|e| Error::Certificate(e.to_string()))?;
            let is_ca = cert.basic_constraints().ok().flatten().is_some_and(|c| c.value.ca);
            if !is_ca {
                return Err(Error::Certificate(format!(
                    "intermediates: {} is not a CA certificate (CA:TRUE)",
                    cert.subject()
                )));
            }
            self.intermediates.push(CertificateDer::from(der));
        }
        Ok(self)
    }

    /// The configured intermediate CAs.
    pub fn intermediates(&self) -> &[CertificateDer<'static>] {
        &self.intermediates
    }

    /// Check that `leaf` chains to a trust anchor through the configured intermediates only, at
    /// `at`; the SHA-256 fingerprint of the CA that issued it.
    fn verified_issuer(&self, leaf: &[u8], at: UnixTime) -> Result<[u8; 32]> {
        let cert_der = CertificateDer::from(leaf);
        let ee = EndEntityCert::try_from(&cert_der).map_err(|e| Error::Certificate(e.to_string()))?;
        let path = ee
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &self.anchors,
                &self.intermediates,
                at,
                KeyUsage::client_auth(),
                None,
                None,
            )
            .map_err(|e| Error::Untrusted(e.to_string()))?;
        let issuer: Vec<u8> = match path.intermediate_certificates().next() {
            Some(c) => c.der().to_vec(),
            None => {
                let a = path.anchor();
                let i = self
                    .anchors
                    .iter()
                    .position(|x| x.subject == a.subject && x.subject_public_key_info == a.subject_public_key_info)
                    .ok_or_else(|| Error::Untrusted("trust anchor of the path not found".into()))?;
                self.anchor_ders[i].clone()
            }
        };
        Ok(Sha256::digest(&issuer).into())
    }

    /// The federation file's pin for the member `leaf` speaks for (a node or a person of that
    /// member): when it lists issuers, the CA that issued `leaf` must be one of them. `at` is
    /// when the chain is checked.
    pub fn check_pin(&self, leaf: &[u8], at: UnixTime) -> Result<()> {
        let identity = Identity::from_cert_der(leaf)?;
        self.pin_allows(&identity, || self.verified_issuer(leaf, at))
    }

    /// Whether the member `identity` speaks for allows the issuer `issuer` returns (asked only
    /// when the member is pinned).
    fn pin_allows(&self, identity: &Identity, issuer: impl FnOnce() -> Result<[u8; 32]>) -> Result<()> {
        let member = match identity.role {
            Role::Node(id) | Role::RegionOperator(id) => id,
            Role::NationalCoordinator => return Ok(()),
        };
        let Some(m) = self.members.member(member) else {
            return Err(Error::BadIdentity(format!(
                "{identity}: {member} is not a member of this federation (not in its federation file)"
            )));
        };
        if m.issuers.is_empty() {
            return Ok(());
        }
        let issuer = issuer()?;
        if m.issuers.contains(&issuer) {
            return Ok(());
        }
        let hex: String = issuer.iter().map(|b| format!("{b:02x}")).collect();
        Err(Error::Untrusted(format!(
            "{identity}: issued by CA {hex}, which the federation file does not list among {member}'s issuers"
        )))
    }

    /// Put `revocations` in force, for certificates admitted already and later ones. Returns
    /// the node keys it revokes, with when.
    pub fn set_revocations(&self, revocations: Revocations) -> Vec<(NodeId, KeyId, i64)> {
        let mut revoked = Vec::new();
        {
            let mut admitted = self.admitted.write().unwrap();
            for (key_id, a) in admitted.iter_mut() {
                a.revoked_at_ms = revocations.revoked_at(&a.der, &self.anchors, &self.intermediates);
                if let Some(at) = a.revoked_at_ms {
                    revoked.push((a.node, *key_id, at));
                }
            }
        }
        *self.revocations.write().unwrap() = revocations;
        revoked
    }

    /// When the certificate `der` was revoked by a CRL in force, if it was.
    pub fn revoked_at(&self, der: &[u8]) -> Option<i64> {
        self.revocations
            .read()
            .unwrap()
            .revoked_at(der, &self.anchors, &self.intermediates)
    }

    /// Admit a node certificate: it must chain to the CA and name a member's node. Idempotent.
    pub fn admit(&self, der: &[u8]) -> Result<(KeyId, NodeId)> {
        let key_id = KeyId::of_cert(der);
        if let Some(a) = self.admitted.read().unwrap().get(&key_id) {
            return Ok((key_id, a.node));
        }
        let identity = Identity::from_cert_der(der)?;
        let Role::Node(node) = identity.role else {
            return Err(Error::BadIdentity(format!(
                "{identity} is not a node and cannot sign entries"
            )));
        };
        if !self.members.is_member(node) {
            return Err(Error::BadIdentity(format!(
                "{identity} is not a member of this federation (not in its federation file)"
            )));
        }
        let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate(e.to_string()))?;
        let not_before = cert.validity().not_before.timestamp();
        let not_after = cert.validity().not_after.timestamp();
        let (alg, public_key) =
            crate::keys::verification(&cert).map_err(|e| Error::Certificate(format!("{identity}: {e}")))?;
        // The chain is checked at the moment the certificate became valid, so a certificate that
        // has since expired still vouches for entries signed while it was valid.
        let at = UnixTime::since_unix_epoch(Duration::from_secs(not_before.max(0) as u64 + 1));
        let issuer = self.verified_issuer(der, at).map_err(|e| match e {
            Error::Untrusted(why) => Error::Untrusted(format!("{identity}: {why}")),
            e => e,
        })?;
        self.pin_allows(&identity, || Ok(issuer))?;
        let admitted = Admitted {
            der: Arc::new(der.to_vec()),
            node,
            public_key,
            alg,
            not_before_ms: not_before * 1000,
            not_after_ms: not_after * 1000,
            revoked_at_ms: self.revoked_at(der),
        };
        self.admitted.write().unwrap().insert(key_id, admitted);
        Ok((key_id, node))
    }

    pub fn knows(&self, key_id: &KeyId) -> bool {
        self.admitted.read().unwrap().contains_key(key_id)
    }

    /// The DER of an admitted certificate, to pass on to peers that have not seen it.
    pub fn cert_der(&self, key_id: &KeyId) -> Option<Arc<Vec<u8>>> {
        self.admitted.read().unwrap().get(key_id).map(|a| a.der.clone())
    }

    /// Check a chunk's seal: signed by its origin with an admitted key that was valid when it
    /// was sealed and when each of its entries was created, over exactly these bodies (and the
    /// hashes of the withheld ones).
    pub fn verify_chunk(&self, chunk: &Sealed) -> Result<()> {
        let key_id = KeyId(chunk.key_id);
        let admitted = self.admitted.read().unwrap().get(&key_id).cloned();
        let Some(a) = admitted else {
            return Err(Error::UnknownKey(key_id.to_string()));
        };
        let origin = chunk.origin;
        if a.node != origin {
            return Err(Error::BadSignature(format!(
                "chunk claims origin {origin} but is signed by {}",
                a.node
            )));
        }
        let valid = |t: i64| t >= a.not_before_ms && t <= a.not_after_ms;
        if !valid(chunk.sealed_unix_ms) {
            return Err(Error::BadSignature(format!(
                "sealed at a time outside the validity of {origin}'s key {key_id}"
            )));
        }
        if let Some(at) = a.revoked_at_ms.filter(|&at| chunk.sealed_unix_ms >= at) {
            return Err(Error::BadSignature(format!(
                "sealed at {} with {origin}'s key {key_id}, revoked at {at} (unix ms)",
                chunk.sealed_unix_ms
            )));
        }
        if let Some(e) = chunk.entries().find(|e| !valid(e.envelope.created_unix_ms)) {
            return Err(Error::BadSignature(format!(
                "entry {origin}/{} was created outside the validity of {origin}'s key {key_id}",
                e.envelope.seq
            )));
        }
        match crate::keys::verify(a.alg, &a.public_key, &chunk.seal_message(), &chunk.signature) {
            true => Ok(()),
            false => Err(Error::BadSignature(format!(
                "seal does not verify under {origin}'s key {key_id}"
            ))),
        }
    }
}

/// Verify `sig` over `msg` with the key in a DER certificate (used to check a key matches its cert).
pub(crate) fn check_signature_with_cert(der: &[u8], msg: &[u8], sig: &[u8]) -> Result<()> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| Error::Certificate(e.to_string()))?;
    let (alg, key) = crate::keys::verification(&cert)?;
    match crate::keys::verify(alg, &key, msg, sig) {
        true => Ok(()),
        false => Err(Error::BadSignature("does not verify".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DevCa, Signer};
    use regiosync_types::chunk::Entry;
    use regiosync_types::pb::{EntryBody, Status};
    use regiosync_types::Envelope;

    fn entry(origin: &str, seq: u64) -> Entry {
        Entry::from_envelope(envelope(origin, seq))
    }

    fn envelope(origin: &str, seq: u64) -> Envelope {
        Envelope::check(EntryBody {
            id: format!("{origin}-{seq}"),
            origin: origin.into(),
            seq,
            kind: "test_record".into(),
            created_unix_ms: now_ms(),
            status: Status::Test as i32,
            audience: vec!["NL".into(), origin.into()],
            payload: b"4 TS available".to_vec(),
            ..Default::default()
        })
        .unwrap()
    }

    use regiosync_types::now_ms;

    #[test]
    fn accepts_genuine_and_refuses_tampered_or_foreign() {
        let ca = DevCa::generate("test CA").unwrap();
        let vr01 = NodeId::region(1).unwrap();
        let issued = ca.issue_node(vr01).unwrap();
        let signer = Signer::from_pem(&issued.cert_pem, &issued.key_pem).unwrap();
        let verifier = Verifier::from_ca_pem(ca.cert_pem()).unwrap();
        assert_eq!(verifier.admit(signer.cert_der()).unwrap().1, vr01);

        let mut chunks = signer.seal_all(now_ms(), vec![entry("VR01", 1), entry("VR01", 2)]);
        let chunk = chunks.remove(0);
        verifier.verify_chunk(&chunk).unwrap();

        let mut tampered = chunk.clone();
        if let regiosync_types::chunk::Item::Entry(e) = &mut tampered.items[1] {
            e.body.push(0);
        }
        let err = verifier.verify_chunk(&tampered).unwrap_err().to_string();
        assert!(err.contains("seal does not verify"), "{err}");
        let mut late = chunk.clone();
        late.sealed_unix_ms += 365 * 24 * 3600 * 1000 * 50;
        assert!(verifier.verify_chunk(&late).is_err());

        let nl = ca.issue_node(NodeId::NL).unwrap();
        let nl = Signer::from_pem(&nl.cert_pem, &nl.key_pem).unwrap();
        verifier.admit(nl.cert_der()).unwrap();
        let mut forged = chunk.clone();
        forged.key_id = nl.key_id().0;
        forged.signature = nl.sign_bytes(&forged.seal_message());
        let err = verifier.verify_chunk(&forged).unwrap_err().to_string();
        assert!(err.contains("claims origin VR01 but is signed by NL"), "{err}");

        let other = DevCa::generate("other CA").unwrap();
        let foreign = other.issue_node(vr01).unwrap();
        let foreign = Signer::from_pem(&foreign.cert_pem, &foreign.key_pem).unwrap();
        let err = verifier.admit(foreign.cert_der()).unwrap_err().to_string();
        assert!(err.contains("does not chain"), "{err}");
        let err = verifier
            .verify_chunk(&foreign.seal_all(now_ms(), vec![entry("VR01", 1)])[0])
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown signing key"), "{err}");
    }

    #[test]
    fn a_revoked_key_seals_nothing_from_its_revocation_on() {
        let ca = DevCa::generate("test CA").unwrap();
        let vr01 = NodeId::region(1).unwrap();
        let issued = ca.issue_node(vr01).unwrap();
        let signer = Signer::from_pem(&issued.cert_pem, &issued.key_pem).unwrap();
        let verifier = Verifier::from_ca_pem(ca.cert_pem()).unwrap();
        verifier.admit(signer.cert_der()).unwrap();
        let chunk = signer.seal_all(now_ms(), vec![entry("VR01", 1)]).remove(0);
        let now = time::OffsetDateTime::now_utc();
        let crl = |at| {
            let serial = crate::revocation::serial_of(issued.cert_pem.as_bytes()).unwrap();
            let pem = ca.crl(&[(serial, at)], now).unwrap();
            crate::Revocations::parse(pem.as_bytes(), "crl.pem").unwrap()
        };
        // Revoked in an hour: this seal is older, and verifies.
        let revoked = verifier.set_revocations(crl(now + time::Duration::hours(1)));
        assert_eq!(revoked.len(), 1);
        verifier.verify_chunk(&chunk).unwrap();
        // Revoked an hour ago: this seal is newer, and is refused.
        verifier.set_revocations(crl(now - time::Duration::hours(1)));
        let err = verifier.verify_chunk(&chunk).unwrap_err().to_string();
        assert!(err.contains("revoked at"), "{err}");
        // No CRL naming it: verifies again; a certificate admitted later is checked too.
        verifier.set_revocations(crate::Revocations::default());
        verifier.verify_chunk(&chunk).unwrap();
        let fresh = Verifier::from_ca_pem(ca.cert_pem()).unwrap();
        fresh.set_revocations(crl(now - time::Duration::hours(1)));
        fresh.admit(signer.cert_der()).unwrap();
        assert!(fresh.verify_chunk(&chunk).is_err());
    }

    #[test]
    fn reloaded_ca_issues_certificates_that_chain() {
        let ca = DevCa::generate("test CA").unwrap();
        let again = DevCa::load("test CA", ca.cert_pem(), ca.key_pem()).unwrap();
        let issued = again.issue_node(NodeId::NL).unwrap();
        let verifier = Verifier::from_ca_pem(ca.cert_pem()).unwrap();
        let signer = Signer::from_pem(&issued.cert_pem, &issued.key_pem).unwrap();
        verifier.admit(signer.cert_der()).unwrap();
    }

    #[test]
    fn person_certificates_cannot_sign_entries() {
        let ca = DevCa::generate("test CA").unwrap();
        let person = ca
            .issue_person(Identity::operator(NodeId::region(4).unwrap(), "jan"))
            .unwrap();
        assert!(Signer::from_pem(&person.cert_pem, &person.key_pem).is_err());
        let der = crate::certs_from_pem(&person.cert_pem).unwrap().remove(0);
        assert_eq!(
            Identity::from_cert_der(&der).unwrap(),
            Identity::operator(NodeId::region(4).unwrap(), "jan")
        );
    }
}
