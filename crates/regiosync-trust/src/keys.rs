//! The key algorithms certificates come with: ECDSA P-256 and P-384, RSA (2048 bits and up) and
//! Ed25519, as government PKIs and TLS stacks issue and expect them. A node seals with its
//! certificate's key in that key's algorithm; a receiver picks the algorithm from the
//! certificate, never from the seal.
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair, UnparsedPublicKey, VerificationAlgorithm};
use x509_parser::prelude::X509Certificate;

use crate::error::{Error, Result};

/// The key types the dev PKI generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeyType {
    /// ECDSA on P-256 with SHA-256: every TLS stack supports it (the default).
    #[default]
    EcdsaP256,
    /// ECDSA on P-384 with SHA-384.
    EcdsaP384,
    Ed25519,
}

impl KeyType {
    pub(crate) fn rcgen(self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            KeyType::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            KeyType::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            KeyType::Ed25519 => &rcgen::PKCS_ED25519,
        }
    }

    /// The names `regiosync pki init --key-type` takes.
    pub const NAMES: [&'static str; 3] = ["ecdsa-p256", "ecdsa-p384", "ed25519"];
}

impl std::str::FromStr for KeyType {
    type Err = Error;

    fn from_str(s: &str) -> Result<KeyType> {
        match s {
            "ecdsa-p256" => Ok(KeyType::EcdsaP256),
            "ecdsa-p384" => Ok(KeyType::EcdsaP384),
            "ed25519" => Ok(KeyType::Ed25519),
            _ => Err(Error::Key(format!(
                "unknown key type '{s}' (one of {})",
                KeyType::NAMES.join(", ")
            ))),
        }
    }
}

/// A private key able to seal, in its certificate's algorithm.
pub(crate) enum SigningKey {
    Ed25519(Ed25519KeyPair),
    Ecdsa(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

impl SigningKey {
    /// From a PKCS#8 key (DER), or an RSA key in PKCS#1, whichever algorithm it holds.
    pub(crate) fn from_der(der: &[u8]) -> Result<SigningKey> {
        let rng = SystemRandom::new();
        if let Ok(k) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
            return Ok(SigningKey::Ed25519(k));
        }
        for alg in [
            &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &signature::ECDSA_P384_SHA384_ASN1_SIGNING,
        ] {
            if let Ok(k) = EcdsaKeyPair::from_pkcs8(alg, der, &rng) {
                return Ok(SigningKey::Ecdsa(k));
            }
        }
        match RsaKeyPair::from_pkcs8(der).or_else(|_| RsaKeyPair::from_der(der)) {
            Ok(k) if k.public().modulus_len() * 8 >= 2048 => Ok(SigningKey::Rsa(k)),
            Ok(k) => Err(Error::Key(format!(
                "an RSA key of {} bits: at least 2048 are needed",
                k.public().modulus_len() * 8
            ))),
            Err(_) => Err(Error::Key(
                "not a PKCS#8 ECDSA P-256/P-384, RSA or Ed25519 key (an 'EC PRIVATE KEY' converts with `openssl pkcs8 -topk8 -nocrypt`)".into(),
            )),
        }
    }

    pub(crate) fn sign(&self, msg: &[u8]) -> Vec<u8> {
        let rng = SystemRandom::new();
        match self {
            SigningKey::Ed25519(k) => k.sign(msg).as_ref().to_vec(),
            SigningKey::Ecdsa(k) => k.sign(&rng, msg).expect("ECDSA signing").as_ref().to_vec(),
            SigningKey::Rsa(k) => {
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(&signature::RSA_PSS_SHA256, &rng, msg, &mut sig)
                    .expect("RSA signing");
                sig
            }
        }
    }
}

/// How a seal by the key of `cert` verifies, and that key's bytes.
pub(crate) fn verification(cert: &X509Certificate<'_>) -> Result<(&'static dyn VerificationAlgorithm, Vec<u8>)> {
    let spki = cert.public_key();
    let key = spki.subject_public_key.data.to_vec();
    let alg = spki.algorithm.algorithm.to_id_string();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|o| o.to_id_string());
    let verify: &'static dyn VerificationAlgorithm = match (alg.as_str(), curve.as_deref()) {
        ("1.3.101.112", _) => &signature::ED25519,
        ("1.2.840.10045.2.1", Some("1.2.840.10045.3.1.7")) => &signature::ECDSA_P256_SHA256_ASN1,
        ("1.2.840.10045.2.1", Some("1.3.132.0.34")) => &signature::ECDSA_P384_SHA384_ASN1,
        ("1.2.840.113549.1.1.1", _) => &signature::RSA_PSS_2048_8192_SHA256,
        (alg, curve) => {
            return Err(Error::Certificate(format!(
                "signing key of algorithm {alg}{} is not one of ECDSA P-256/P-384, RSA or Ed25519",
                curve.map(|c| format!(" ({c})")).unwrap_or_default()
            )))
        }
    };
    Ok((verify, key))
}

/// Verify `sig` over `msg` under `key` with `alg`.
pub(crate) fn verify(alg: &'static dyn VerificationAlgorithm, key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    UnparsedPublicKey::new(alg, key).verify(msg, sig).is_ok()
}

/// A PKCS#8 Ed25519 key as ring writes it (v2, with the public key) rewritten as v1 (the seed
/// only), which OpenSSL 3.0 and every other tool reads. Other keys are returned as they are.
pub(crate) fn portable_pkcs8(der: Vec<u8>) -> Vec<u8> {
    // SEQUENCE { INTEGER 1, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed }, [1] public key }
    const V2_BODY: [u8; 14] = [
        0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ];
    const V1_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ];
    if der.len() >= 48 && der[0] == 0x30 && der[2..16] == V2_BODY {
        let mut v1 = V1_PREFIX.to_vec();
        v1.extend_from_slice(&der[16..48]);
        return v1;
    }
    der
}
