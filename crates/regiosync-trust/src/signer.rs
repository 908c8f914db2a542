//! Signing what a node authors, with the key of its own certificate (ECDSA P-256/P-384, RSA
//! or Ed25519: `keys.rs`).
use regiosync_types::chunk::{self, Entry, Item};
use regiosync_types::{NodeId, Sealed};

use crate::keys::SigningKey;

use crate::error::{Error, Result};
use crate::identity::{Identity, Role};
use crate::verifier::KeyId;

pub struct Signer {
    node: NodeId,
    key: SigningKey,
    cert_der: Vec<u8>,
    key_id: KeyId,
}

impl Signer {
    /// From a node's certificate (PEM, first block is the leaf) and its private key (PEM:
    /// PKCS#8, or PKCS#1 for RSA).
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Signer> {
        let cert_der = crate::certs_from_pem(cert_pem)?.remove(0);
        let identity = Identity::from_cert_der(&cert_der)?;
        let Role::Node(node) = identity.role else {
            return Err(Error::BadIdentity(format!(
                "{identity} cannot sign entries: not a node certificate"
            )));
        };
        let der = pem_block(key_pem, "PRIVATE KEY").or_else(|_| pem_block(key_pem, "RSA PRIVATE KEY"))?;
        let key = SigningKey::from_der(&der)?;
        let signer = Signer {
            node,
            key_id: KeyId::of_cert(&cert_der),
            key,
            cert_der,
        };
        let probe = signer.key.sign(b"regiosync key check");
        crate::verifier::check_signature_with_cert(&signer.cert_der, b"regiosync key check", &probe)
            .map_err(|_| Error::Key("private key does not belong to the certificate".into()))?;
        Ok(signer)
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// Seal a run of this node's entries (consecutive seqs, at most
    /// [`chunk::MAX_CHUNK_ENTRIES`]) with one signature.
    pub fn seal(&self, sealed_unix_ms: i64, entries: Vec<Entry>) -> Sealed {
        let first_seq = entries.first().map(|e| e.envelope.seq).unwrap_or(1);
        let mut sealed = Sealed {
            origin: self.node,
            first_seq,
            key_id: self.key_id.0,
            sealed_unix_ms,
            signature: Vec::new(),
            items: entries.into_iter().map(Item::Entry).collect(),
        };
        sealed.signature = self.key.sign(&sealed.seal_message());
        sealed
    }

    /// Seal entries (consecutive seqs of this node) in as few chunks as the chunk limits allow.
    pub fn seal_all(&self, sealed_unix_ms: i64, entries: Vec<Entry>) -> Vec<Sealed> {
        chunk::runs(entries)
            .into_iter()
            .map(|run| self.seal(sealed_unix_ms, run))
            .collect()
    }

    /// Sign arbitrary bytes with the node key (tests use it to forge seals).
    pub fn sign_bytes(&self, msg: &[u8]) -> Vec<u8> {
        self.key.sign(msg)
    }
}

fn pem_block(pem: &str, label: &str) -> Result<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem
        .find(&begin)
        .ok_or_else(|| Error::Pem(format!("no {label} block found")))?;
    let after = &pem[start + begin.len()..];
    let stop = after
        .find(&end)
        .ok_or_else(|| Error::Pem(format!("unterminated {label} block")))?;
    let b64: String = after[..stop].chars().filter(|c| !c.is_whitespace()).collect();
    crate::base64_decode(&b64).ok_or_else(|| Error::Pem(format!("invalid base64 in {label} block")))
}
