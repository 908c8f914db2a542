//! Trust in the federation: who a certificate says you are, and whether an entry really comes
//! from its origin.
//!
//! - `identity`: node and person identities carried as URI SANs in certificates;
//! - `pki`: the dev PKI (`regiosync pki init`): a federation CA, node and person certificates;
//! - `signer`: a node signs the entries it authors with the key of its certificate;
//! - `verifier`: certificates are admitted only if they chain to the federation CA, and an
//!   entry is accepted only if its signature verifies under an admitted certificate of its origin.

pub mod error;
pub mod identity;
pub mod keys;
#[cfg(test)]
mod keys_tests;
pub mod pki;
pub mod revocation;
pub mod signer;
pub mod verifier;

pub use error::{Error, Result};
pub use identity::{check_person_name, leaf_rules, suggest_person_name, Identity, Role};
pub use keys::KeyType;
pub use pki::{DevCa, Issued};
pub use revocation::Revocations;
pub use signer::Signer;
pub use verifier::{KeyId, Verifier};

/// Parse every certificate in a PEM bundle into DER.
pub fn certs_from_pem(pem: &str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = pem;
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let end = after
            .find(END)
            .ok_or_else(|| Error::Pem("unterminated CERTIFICATE block".into()))?;
        let b64: String = after[..end].chars().filter(|c| !c.is_whitespace()).collect();
        out.push(base64_decode(&b64).ok_or_else(|| Error::Pem("invalid base64 in CERTIFICATE block".into()))?);
        rest = &after[end + END.len()..];
    }
    if out.is_empty() {
        return Err(Error::Pem("no CERTIFICATE block found".into()));
    }
    Ok(out)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let n = chunk.len();
        if n < 2 {
            return None;
        }
        out.push((acc >> 16) as u8);
        if n > 2 {
            out.push((acc >> 8) as u8);
        }
        if n > 3 {
            out.push(acc as u8);
        }
    }
    Some(out)
}

/// `der` as a PEM block labelled `label` (64-character lines).
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::with_capacity(der.len().div_ceil(3) * 4);
    for chunk in der.chunks(3) {
        let n = chunk.len();
        let acc =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                b64.push(ALPHABET[(acc >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod pem_tests {
    #[test]
    fn pem_round_trips() {
        for n in 0..70 {
            let der: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let pem = super::pem_encode("PRIVATE KEY", &der);
            let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            assert_eq!(super::base64_decode(&b64).unwrap(), der, "{n}");
        }
    }
}
