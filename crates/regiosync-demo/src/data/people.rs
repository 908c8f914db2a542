//! The people of the demo: one operator per region, connected to their own region's node, and
//! a national coordinator connected to NL, each over mutual TLS with a person certificate from
//! the federation's dev CA. Also the one way the demo waits for something: poll a condition
//! through the API, waking whenever the node's store changes, until a deadline.
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use regiosync_node::local::LocalFederation;
use regiosync_node::pb::queries_client::QueriesClient;
use regiosync_node::pb::records_client::RecordsClient;
use regiosync_replication::Engine;
use regiosync_trust::{Identity, Issued, Role};
use regiosync_types::NodeId;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tonic::transport::Channel;

use super::operator_name;

pub type Client = RecordsClient<Channel>;

/// The name the national coordinator's certificate carries.
pub const COORDINATOR: &str = "landelijk-coordinator";

/// Everyone's connection, and what the demo needs to wait on each node.
pub struct People {
    pub operators: BTreeMap<NodeId, Client>,
    pub coordinator: Client,
    /// The coordinator's national questions, on the same connection.
    pub questions: QueriesClient<Channel>,
    pub engines: BTreeMap<NodeId, Arc<Engine>>,
    /// Every certificate issued, by file name ("operator-vr01", "coordinator"), for
    /// `--keep-running` to write out.
    pub issued: Vec<(String, Issued)>,
}

impl People {
    /// Issue a certificate for each person and connect them all, concurrently.
    pub async fn connect(fed: &LocalFederation) -> Result<People> {
        let ca_pem = fed.ca().cert_pem().to_string();
        let mut issued = vec![(
            "coordinator".to_string(),
            fed.ca().issue_person(Identity::coordinator(COORDINATOR))?,
        )];
        for r in regiosync_types::Federation::shipped().regions() {
            let file = format!("operator-{}", r.to_string().to_lowercase());
            issued.push((file, fed.ca().issue_person(Identity::operator(r, operator_name(r)))?));
        }
        let mut connecting = JoinSet::new();
        for (_, person) in &issued {
            let node = match person.identity.role {
                Role::RegionOperator(r) => r,
                _ => NodeId::NL,
            };
            let (url, ca, cert, key) = (
                fed.node(node).url(),
                ca_pem.clone(),
                person.cert_pem.clone(),
                person.key_pem.clone(),
            );
            connecting.spawn(async move {
                let channel = regiosync_node::client::channel(&url, &ca, &cert, &key, None)
                    .await
                    .with_context(|| format!("connecting to {node} at {url}"))?;
                Ok::<_, anyhow::Error>((
                    node,
                    RecordsClient::new(channel.clone()).max_decoding_message_size(64 * 1024 * 1024),
                    QueriesClient::new(channel),
                ))
            });
        }
        let mut operators = BTreeMap::new();
        let mut coordinator = None;
        let mut questions = None;
        while let Some(joined) = connecting.join_next().await {
            let (node, client, asks) = joined.context("connecting task")??;
            if regiosync_types::Federation::shipped().is_national(node) {
                coordinator = Some(client);
                questions = Some(asks);
            } else {
                operators.insert(node, client);
            }
        }
        let engines = fed.running().map(|h| (h.node, h.engine.clone())).collect();
        Ok(People {
            operators,
            coordinator: coordinator.context("the coordinator's connection")?,
            questions: questions.context("the coordinator's connection")?,
            engines,
            issued,
        })
    }

    /// The operator of `region` (a clone of their connection; cheap).
    pub fn operator(&self, region: NodeId) -> Client {
        self.operators[&region].clone()
    }
}

/// Poll `check` until it yields a value, re-checking whenever `engine`'s store changes (and at
/// least every 100 ms), and fail with `what` once `deadline` has passed.
pub async fn until<T, F, Fut>(engine: &Engine, deadline: Instant, what: impl Fn() -> String, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let mut changes = engine.changes();
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(anyhow!("gave up waiting at {}: {}", engine.me(), what()));
        }
        let wait = (deadline - now).min(Duration::from_millis(100));
        // A changed cursor wakes us at once; a closed channel (node stopping) just times out.
        if let Ok(Err(_)) = tokio::time::timeout(wait, changes.changed()).await {
            tokio::time::sleep(wait).await;
        }
    }
}
