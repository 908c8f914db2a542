//! Errors of the trust crate.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("certificate does not chain to the federation CA: {0}")]
    Untrusted(String),
    #[error("certificate carries no regiosync identity (expected a URI SAN urn:regiosync:...)")]
    NoIdentity,
    #[error("identity: {0}")]
    BadIdentity(String),
    #[error("unknown signing key {0} (its certificate was never presented)")]
    UnknownKey(String),
    #[error("signature: {0}")]
    BadSignature(String),
    #[error("pem: {0}")]
    Pem(String),
    #[error("key: {0}")]
    Key(String),
    #[error("certificate generation: {0}")]
    Generate(#[from] rcgen::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
