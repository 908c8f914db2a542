//! Connecting to a node as a person, with a client certificate.
use std::time::Duration;

use tonic::transport::{Channel, Endpoint};

use crate::error::{Error, Result};
use crate::pb::node_api_client::NodeApiClient;
use crate::tls;

/// Connect to `url` ("https://host:port"); the server certificate must be valid for
/// `server_name` (by default the URL's host).
pub async fn connect(
    url: &str,
    ca_pem: &str,
    cert_pem: &str,
    key_pem: &str,
    server_name: Option<&str>,
) -> Result<NodeApiClient<Channel>> {
    let channel = channel(url, ca_pem, cert_pem, key_pem, server_name).await?;
    Ok(NodeApiClient::new(channel).max_decoding_message_size(64 * 1024 * 1024))
}

/// A mutual-TLS channel to `url` for any of the node's services (`NodeApi`, `Records`).
pub async fn channel(
    url: &str,
    ca_pem: &str,
    cert_pem: &str,
    key_pem: &str,
    server_name: Option<&str>,
) -> Result<Channel> {
    let host = url
        .strip_prefix("https://")
        .and_then(|rest| rest.rsplit_once(':').map(|(h, _)| h.trim_matches(['[', ']'])))
        .ok_or_else(|| Error::Config(format!("node address '{url}' must look like https://host:port")))?;
    let tls = tls::client_tls_named(ca_pem, cert_pem, key_pem, server_name.unwrap_or(host));
    let channel = Endpoint::from_shared(url.to_string())?
        .tls_config(tls)?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await?;
    Ok(channel)
}
