//! TLS set-up: the server accepts TLS 1.3 only and requires a client certificate from the
//! federation CA; clients verify the server's certificate against the same CA and, for peers,
//! its node name.
use std::sync::Arc;

use regiosync_types::NodeId;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tonic::transport::{Certificate, ClientTlsConfig, Identity};

use crate::config::TlsMaterial;
use crate::error::{Error, Result};

/// Install rustls' ring provider as the process default (idempotent).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn certs(pem: &str, what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let ders = regiosync_trust::certs_from_pem(pem).map_err(|e| Error::Tls(format!("{what}: {e}")))?;
    Ok(ders.into_iter().map(CertificateDer::from).collect())
}

fn private_key(pem: &str) -> Result<PrivateKeyDer<'static>> {
    use rustls_pki_types::pem::PemObject;
    PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|e| Error::Tls(format!("private key: {e}")))
}

/// The rustls server configuration of a node.
pub fn server_config(tls: &TlsMaterial) -> Result<Arc<ServerConfig>> {
    install_crypto_provider();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for ca in certs(&tls.ca_pem, "CA bundle")? {
        roots.add(ca).map_err(|e| Error::Tls(format!("CA bundle: {e}")))?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::Tls(format!("client verifier: {e}")))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs(&tls.cert_pem, "certificate")?, private_key(&tls.key_pem)?)
        .map_err(|e| Error::Tls(format!("certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// Client TLS for talking to node `server` (its certificate must name `<id>.regiosync`).
pub fn client_tls(ca_pem: &str, cert_pem: &str, key_pem: &str, server: NodeId) -> ClientTlsConfig {
    client_tls_named(ca_pem, cert_pem, key_pem, &server.dns_name())
}

/// Client TLS with an explicit server name (e.g. "localhost" or "127.0.0.1").
pub fn client_tls_named(ca_pem: &str, cert_pem: &str, key_pem: &str, server_name: &str) -> ClientTlsConfig {
    install_crypto_provider();
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca_pem))
        .identity(Identity::from_pem(cert_pem, key_pem))
        .domain_name(server_name)
}
