//! Client subcommands: talk to one node's `NodeApi` over mutual TLS as a person, and print a
//! readable table or, with `--json`, JSON (`regiosync_client::render::node_api`).
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::time::now_ms;
use regiosync_client::render::{node_api, Out};
use regiosync_client::said::{Tell, Text};
use regiosync_client::{rpc_error, status_code, Conn};
use regiosync_node::pb;

#[derive(Subcommand)]
pub enum ClientCmd {
    /// Publish a record at the node (as its origin).
    Publish {
        /// An opaque extension kind starting with `x.`, e.g. x.note (the record kinds have
        /// their own commands: agreement, capacity, evaluation).
        #[arg(long)]
        kind: String,
        /// actual, exercise or test.
        #[arg(long)]
        status: String,
        /// Extra audience besides NL and the node itself, comma separated (e.g. VR02,VR03).
        #[arg(long, value_delimiter = ',')]
        audience: Vec<String>,
        /// Payload text.
        #[arg(long, conflicts_with = "payload_file")]
        payload: Option<String>,
        /// Payload read from a file.
        #[arg(long)]
        payload_file: Option<PathBuf>,
        /// Record id (default: a new UUID).
        #[arg(long)]
        id: Option<String>,
        /// Hours until the record expires (default: never).
        #[arg(long)]
        valid_hours: Option<u32>,
        /// Ids of earlier records of this node that this one replaces.
        #[arg(long, value_delimiter = ',')]
        supersedes: Vec<String>,
    },
    /// List the entries the node holds that you may see.
    List {
        #[arg(long)]
        origin: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        /// Only entries with a higher sequence number (per origin).
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// At most this many entries (1..=1000); when more follow, the last line says how to
        /// get them ("more: --cursor X"; with --json: "more" and "next_cursor").
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        /// Go on where the previous page ended (its "next_cursor").
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Show one entry by id.
    Show { id: String },
    /// The node's peers, whether each is connected, and how far behind each origin it is.
    Status,
    /// A consistent copy of the node's store while it runs, written on the node's host under
    /// `<data_dir>/backups/` (as the node's own region's operator). Put it back with `restore`.
    Backup,
}

pub async fn run(conn: &Conn, out: Out, cmd: ClientCmd) -> Result<()> {
    let mut client = conn.node_api().await?;
    match cmd {
        ClientCmd::Publish {
            kind,
            status,
            audience,
            payload,
            payload_file,
            id,
            valid_hours,
            supersedes,
        } => {
            let payload = match (payload, payload_file) {
                (Some(p), _) => p.into_bytes(),
                (None, Some(f)) => {
                    std::fs::read(&f).told_with(|| Text::new("cmd-payload-file").arg("path", f.display()))?
                }
                (None, None) => return Err(Text::new("cmd-payload-missing").into()),
            };
            let req = pb::PublishRequest {
                id: id.unwrap_or_default(),
                kind,
                status: status_code(&status)?,
                audience,
                expires_unix_ms: valid_hours.map(|h| now_ms() + i64::from(h) * 3_600_000).unwrap_or(0),
                supersedes,
                confidentiality: 0,
                payload,
            };
            let r = client.publish(req).await.map_err(rpc_error)?.into_inner();
            node_api::published(out, &r)?;
        }
        ClientCmd::List {
            origin,
            kind,
            after,
            limit,
            cursor,
        } => {
            let req = pb::ListRequest {
                origin: origin.unwrap_or_default(),
                kind: kind.unwrap_or_default(),
                after_seq: after,
                limit,
                page_token: cursor.unwrap_or_default(),
            };
            let page = client.list_entries(req).await.map_err(rpc_error)?.into_inner();
            node_api::list(out, &page.entries, &page.next_page_token)?;
        }
        ClientCmd::Show { id } => {
            let e = client
                .get_entry(pb::GetRequest { id })
                .await
                .map_err(rpc_error)?
                .into_inner();
            node_api::show(out, &e)?;
        }
        ClientCmd::Backup => {
            let b = client
                .backup(pb::BackupRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            node_api::backup(out, b)?;
        }
        ClientCmd::Status => {
            let s = client
                .status(pb::StatusRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            node_api::status(out, s)?;
        }
    }
    Ok(())
}
