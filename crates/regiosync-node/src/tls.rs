//! TLS set-up, the same rules both ways: the server accepts TLS 1.3 only and requires a client
//! certificate that chains to a configured CA through configured intermediates only (what the
//! client sends is not used), is a leaf, is allowed by its member's pin and is not revoked
//! (`FederationClients`); a node connecting to a peer holds the peer's server certificate to
//! the same rules and to the peer's node name (`FederationServers`, `peer_client_config`).
//! People's clients (the command line, the dashboard) verify a node against the CA.
use std::sync::{Arc, RwLock};

use regiosync_trust::{Revocations, Verifier};
use regiosync_types::NodeId;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, RootCertStore, ServerConfig,
    SignatureScheme,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
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

/// The certificate a node presents, replaceable while it runs (a renewed certificate takes
/// effect for new connections; running ones keep theirs).
#[derive(Debug)]
pub struct ServerIdentity {
    current: RwLock<Arc<rustls::sign::CertifiedKey>>,
}

impl ServerIdentity {
    fn new(cert_pem: &str, key_pem: &str) -> Result<ServerIdentity> {
        Ok(ServerIdentity {
            current: RwLock::new(Arc::new(certified_key(cert_pem, key_pem)?)),
        })
    }

    /// Whether `cert_pem` and `key_pem` could be presented (the check `replace` makes).
    pub fn replace_check(cert_pem: &str, key_pem: &str) -> Result<()> {
        certified_key(cert_pem, key_pem).map(|_| ())
    }

    /// Present `cert_pem` (with its chain) and `key_pem` from the next handshake on.
    pub fn replace(&self, cert_pem: &str, key_pem: &str) -> Result<()> {
        *self.current.write().unwrap() = Arc::new(certified_key(cert_pem, key_pem)?);
        Ok(())
    }
}

fn certified_key(cert_pem: &str, key_pem: &str) -> Result<rustls::sign::CertifiedKey> {
    let key = rustls::crypto::ring::sign::any_supported_type(&private_key(key_pem)?)
        .map_err(|e| Error::Tls(format!("private key: {e}")))?;
    let certified = rustls::sign::CertifiedKey::new(certs(cert_pem, "certificate")?, key);
    certified
        .keys_match()
        .map_err(|e| Error::Tls(format!("certificate and key: {e}")))?;
    Ok(certified)
}

impl rustls::server::ResolvesServerCert for ServerIdentity {
    fn resolve(&self, _hello: rustls::server::ClientHello<'_>) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.current.read().unwrap().clone())
    }
}

/// The rustls server configuration of a node, the client verifier in it (to put new CRLs in
/// force while the node runs) and the certificate it presents (to renew it while it runs).
pub fn server_config(
    tls: &TlsMaterial,
    revocations: &Revocations,
    verifier: Arc<Verifier>,
) -> Result<(Arc<ServerConfig>, Arc<Handshakes>, Arc<ServerIdentity>)> {
    install_crypto_provider();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = roots(&tls.ca_pem)?;
    let clients = Arc::new(FederationClients::new(
        roots.clone(),
        provider.clone(),
        revocations,
        verifier.clone(),
    )?);
    let servers = Arc::new(FederationServers::new(roots, provider.clone(), revocations, verifier)?);
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_client_cert_verifier(clients.clone());
    let identity = Arc::new(ServerIdentity::new(&tls.cert_pem, &tls.key_pem)?);
    let mut config = config.with_cert_resolver(identity.clone());
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok((Arc::new(config), Arc::new(Handshakes { clients, servers }), identity))
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

/// What both verifiers share: webpki's verifier over the configured CAs and the CRLs in force
/// (built again when the CRLs change), then the federation's own rules.
struct Rules<V: ?Sized> {
    roots: Arc<RootCertStore>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    build: Build<V>,
    inner: RwLock<Arc<V>>,
    /// The node's verifier: configured intermediates and the members' pins.
    verifier: Arc<Verifier>,
}

type Build<V> = fn(Arc<RootCertStore>, Arc<rustls::crypto::CryptoProvider>, &Revocations) -> Result<Arc<V>>;

impl<V: ?Sized> Rules<V> {
    fn new(
        roots: Arc<RootCertStore>,
        provider: Arc<rustls::crypto::CryptoProvider>,
        revocations: &Revocations,
        verifier: Arc<Verifier>,
        build: Build<V>,
    ) -> Result<Self> {
        Ok(Rules {
            inner: RwLock::new(build(roots.clone(), provider.clone(), revocations)?),
            roots,
            provider,
            build,
            verifier,
        })
    }

    fn set_revocations(&self, revocations: &Revocations) -> Result<()> {
        let inner = (self.build)(self.roots.clone(), self.provider.clone(), revocations)?;
        *self.inner.write().unwrap() = inner;
        Ok(())
    }

    fn current(&self) -> Arc<V> {
        self.inner.read().unwrap().clone()
    }

    /// The only intermediates a chain may pass through (what the other side sends is not used).
    fn intermediates(&self) -> &[CertificateDer<'static>] {
        self.verifier.intermediates()
    }

    /// The federation's rules once webpki's passed: a leaf, allowed by its member's pin.
    fn federation_rules(
        &self,
        end_entity: &CertificateDer<'_>,
        now: UnixTime,
    ) -> std::result::Result<(), rustls::Error> {
        regiosync_trust::leaf_rules(end_entity).map_err(refused)?;
        self.verifier.check_pin(end_entity, now).map_err(refused)
    }
}

/// A CRL speaks for the certificates of its own issuer; others are not revoked by it.
fn client_webpki(
    roots: Arc<RootCertStore>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    revocations: &Revocations,
) -> Result<Arc<dyn ClientCertVerifier>> {
    let builder = WebPkiClientVerifier::builder_with_provider(roots, provider);
    let builder = match revocations.is_empty() {
        true => builder,
        false => builder
            .with_crls(revocations.ders())
            .only_check_end_entity_revocation()
            .allow_unknown_revocation_status(),
    };
    builder.build().map_err(|e| Error::Tls(format!("client verifier: {e}")))
}

/// As [`client_webpki`], for the server certificates of peers.
fn server_webpki(
    roots: Arc<RootCertStore>,
    provider: Arc<rustls::crypto::CryptoProvider>,
    revocations: &Revocations,
) -> Result<Arc<rustls::client::WebPkiServerVerifier>> {
    let builder = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider);
    let builder = match revocations.is_empty() {
        true => builder,
        false => builder
            .with_crls(revocations.ders())
            .only_check_end_entity_revocation()
            .allow_unknown_revocation_status(),
    };
    builder.build().map_err(|e| Error::Tls(format!("server verifier: {e}")))
}

/// Client certificates as the federation's rules allow them. The chain is built from the
/// configured CAs and intermediates only: intermediates a client sends are ignored, so a
/// certificate the CA once issued with `CA:TRUE` (whatever path length the CA itself says,
/// which webpki does not enforce for a trust anchor) cannot mint identities. The certificate
/// must be a leaf (`regiosync_trust::leaf_rules`), issued by a CA its member's entry in the
/// federation file allows (`Verifier::check_pin`). A revoked certificate (a CRL in force) is
/// refused too.
pub struct FederationClients {
    rules: Rules<dyn ClientCertVerifier>,
    hints: Vec<DistinguishedName>,
}

impl std::fmt::Debug for FederationClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FederationClients")
            .field("hints", &self.hints)
            .finish_non_exhaustive()
    }
}

impl FederationClients {
    fn new(
        roots: Arc<RootCertStore>,
        provider: Arc<rustls::crypto::CryptoProvider>,
        revocations: &Revocations,
        verifier: Arc<Verifier>,
    ) -> Result<Self> {
        let rules = Rules::new(roots, provider, revocations, verifier, client_webpki)?;
        Ok(FederationClients {
            hints: rules.current().root_hint_subjects().to_vec(),
            rules,
        })
    }

    /// Put `revocations` in force for handshakes from now on.
    pub fn set_revocations(&self, revocations: &Revocations) -> Result<()> {
        self.rules.set_revocations(revocations)
    }
}

impl ClientCertVerifier for FederationClients {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        let verified = self
            .rules
            .current()
            .verify_client_cert(end_entity, self.rules.intermediates(), now)?;
        self.rules.federation_rules(end_entity, now)?;
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.rules.current().verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.rules.current().verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.rules.current().supported_verify_schemes()
    }
}

/// Peers' server certificates as the federation's rules allow them, the same rules a node
/// applies to its clients: the chain is built from the configured CAs and intermediates only,
/// the certificate is a leaf allowed by its member's pin, not revoked by a CRL in force, and it
/// carries the peer's node name (`<id>.regiosync`).
pub struct FederationServers {
    rules: Rules<rustls::client::WebPkiServerVerifier>,
}

impl std::fmt::Debug for FederationServers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FederationServers").finish_non_exhaustive()
    }
}

impl FederationServers {
    fn new(
        roots: Arc<RootCertStore>,
        provider: Arc<rustls::crypto::CryptoProvider>,
        revocations: &Revocations,
        verifier: Arc<Verifier>,
    ) -> Result<Self> {
        Ok(FederationServers {
            rules: Rules::new(roots, provider, revocations, verifier, server_webpki)?,
        })
    }

    /// Put `revocations` in force for connections from now on.
    pub fn set_revocations(&self, revocations: &Revocations) -> Result<()> {
        self.rules.set_revocations(revocations)
    }

    /// The rules for a client outside a running node (a benchmark probe): the CAs and
    /// intermediates of `tls`, the shipped federation, no CRLs.
    pub fn for_material(tls: &TlsMaterial) -> Result<Arc<FederationServers>> {
        install_crypto_provider();
        let mut verifier = Verifier::from_ca_pem(&tls.ca_pem)?;
        if !tls.intermediates_pem.trim().is_empty() {
            verifier = verifier.with_intermediates(&tls.intermediates_pem)?;
        }
        Ok(Arc::new(FederationServers::new(
            roots(&tls.ca_pem)?,
            Arc::new(rustls::crypto::ring::default_provider()),
            &Revocations::default(),
            Arc::new(verifier),
        )?))
    }
}

impl rustls::client::danger::ServerCertVerifier for FederationServers {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &rustls_pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let verified = self.rules.current().verify_server_cert(
            end_entity,
            self.rules.intermediates(),
            server_name,
            ocsp_response,
            now,
        )?;
        self.rules.federation_rules(end_entity, now)?;
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.rules.current().verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.rules.current().verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.rules.current().supported_verify_schemes()
    }
}

/// The configured CA bundle as rustls roots.
fn roots(ca_pem: &str) -> Result<Arc<RootCertStore>> {
    let mut roots = RootCertStore::empty();
    for ca in certs(ca_pem, "CA bundle")? {
        roots.add(ca).map_err(|e| Error::Tls(format!("CA bundle: {e}")))?;
    }
    Ok(Arc::new(roots))
}

/// The handshake rules of a node, both ways: for its clients and for the peers it connects to.
/// CRLs are put in force in both at once.
#[derive(Debug)]
pub struct Handshakes {
    pub clients: Arc<FederationClients>,
    pub servers: Arc<FederationServers>,
}

impl Handshakes {
    /// Put `revocations` in force for handshakes from now on, both ways.
    pub fn set_revocations(&self, revocations: &Revocations) -> Result<()> {
        self.clients.set_revocations(revocations)?;
        self.servers.set_revocations(revocations)
    }
}

/// The rustls client configuration a node connects to its peers with: TLS 1.3, its own
/// certificate, peers' certificates checked by `servers`, ALPN h2.
pub fn peer_client_config(
    material: &TlsMaterial,
    servers: Arc<FederationServers>,
) -> Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| Error::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(servers)
        .with_client_auth_cert(
            certs(&material.cert_pem, "certificate")?,
            private_key(&material.key_pem)?,
        )
        .map_err(|e| Error::Tls(format!("certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

fn refused(e: regiosync_trust::Error) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(e))))
}
