//! Client subcommands: talk to one node's `NodeApi` over mutual TLS as a person, and print a
//! readable table or, with `--json`, JSON.
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use regiosync_client::render::table::Table;
use regiosync_client::render::time::{now_ms, utc};
use regiosync_client::{rpc_error, status_code, status_name, Conn};
use regiosync_node::pb::{self, EntryView};
use serde_json::json;

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
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Show one entry by id.
    Show { id: String },
    /// The node's peers, whether each is connected, and how far behind each origin it is.
    Status,
    /// A consistent copy of the node's store while it runs, written on the node's host under
    /// `<data_dir>/backups/` (as the node's own region's operator). Put it back with `restore`.
    Backup,
}

pub async fn run(conn: &Conn, json: bool, cmd: ClientCmd) -> Result<()> {
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
                (None, Some(f)) => std::fs::read(&f).with_context(|| format!("--payload-file {}", f.display()))?,
                (None, None) => bail!("give --payload TEXT or --payload-file PATH"),
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
            if json {
                println!("{}", json!({"id": r.id, "origin": r.origin, "seq": r.seq}));
            } else {
                println!("published {} as {} seq {}", r.id, r.origin, r.seq);
            }
        }
        ClientCmd::List {
            origin,
            kind,
            after,
            limit,
        } => {
            let req = pb::ListRequest {
                origin: origin.unwrap_or_default(),
                kind: kind.unwrap_or_default(),
                after_seq: after,
                limit,
            };
            let entries = client.list_entries(req).await.map_err(rpc_error)?.into_inner().entries;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&entries.iter().map(entry_json).collect::<Vec<_>>())?
                );
            } else {
                let mut t = Table::new(&["origin", "seq", "kind", "status", "created", "audience", "bytes", "id"])
                    .right(&[1, 6]);
                for e in &entries {
                    let b = e.body.clone().unwrap_or_default();
                    t.row(vec![
                        b.origin,
                        b.seq.to_string(),
                        b.kind,
                        status_name(b.status).into(),
                        utc(b.created_unix_ms),
                        b.audience.join(","),
                        e.size_bytes.to_string(),
                        b.id,
                    ]);
                }
                print!("{}", t.render());
                println!("{} entries", entries.len());
            }
        }
        ClientCmd::Show { id } => {
            let e = client
                .get_entry(pb::GetRequest { id })
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                println!("{}", serde_json::to_string_pretty(&entry_json(&e))?);
            } else {
                let b = e.body.clone().unwrap_or_default();
                println!("id              {}", b.id);
                println!("origin / seq    {} / {}", b.origin, b.seq);
                println!("kind            {}", b.kind);
                println!("status          {}", status_name(b.status));
                println!("created         {}", utc(b.created_unix_ms));
                println!("expires         {}", utc(b.expires_unix_ms));
                println!("audience        {}", b.audience.join(", "));
                println!(
                    "supersedes      {}",
                    if b.supersedes.is_empty() {
                        "-".into()
                    } else {
                        b.supersedes.join(", ")
                    }
                );
                println!("signed by key   {}", hex(&e.key_id));
                println!("size            {} bytes", e.size_bytes);
                match std::str::from_utf8(&b.payload) {
                    Ok(text) => println!("payload\n{text}"),
                    Err(_) => println!("payload         {} bytes (binary)", b.payload.len()),
                }
            }
        }
        ClientCmd::Backup => {
            let b = client
                .backup(pb::BackupRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            let mut held: Vec<_> = b.held.map(|h| h.origins.into_iter().collect()).unwrap_or_else(Vec::new);
            held.sort();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"path": b.path, "bytes": b.bytes, "held": held}))?
                );
            } else {
                println!("backup written on the node's host: {} ({} bytes)", b.path, b.bytes);
                println!(
                    "held per origin: {}",
                    held.iter()
                        .map(|(o, n)| format!("{o}:{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
        ClientCmd::Status => {
            let s = client
                .status(pb::StatusRequest {})
                .await
                .map_err(rpc_error)?
                .into_inner();
            if json {
                let peers: Vec<_> = s
                    .peers
                    .iter()
                    .map(|p| {
                        json!({"peer": p.peer, "address": p.address, "connected": p.connected,
                        "last_error": p.last_error, "behind": p.behind, "last_contact": utc(p.last_contact_unix_ms)})
                    })
                    .collect();
                let held = s.held.map(|h| h.origins).unwrap_or_default();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({"node": s.node, "entries_held": s.entries_held,
                    "entries_rejected": s.entries_rejected, "held": held, "peers": peers,
                    "writes_paused": s.writes_paused, "damaged": s.damaged, "missing": s.missing}))?
                );
            } else {
                println!(
                    "node {}: {} entries held, {} refused from peers",
                    s.node, s.entries_held, s.entries_rejected
                );
                if !s.writes_paused.is_empty() {
                    println!("WRITES PAUSED: {}", s.writes_paused);
                }
                if !s.damaged.is_empty() {
                    println!(
                        "damaged in the store, set aside until a peer sends them again: {}",
                        s.damaged.join(", ")
                    );
                }
                if !s.missing.is_empty() {
                    println!(
                        "missing (vouched for by a peer that could not send them; asked for again): {}",
                        s.missing.join(", ")
                    );
                }
                let mut t = Table::new(&["peer", "address", "connected", "behind", "last contact", "last error"]);
                for p in &s.peers {
                    let mut behind: Vec<_> = p.behind.iter().map(|(o, n)| format!("{o}:{n}")).collect();
                    behind.sort();
                    t.row(vec![
                        p.peer.clone(),
                        p.address.clone(),
                        if p.connected { "yes" } else { "no" }.into(),
                        if behind.is_empty() {
                            "up to date".into()
                        } else {
                            behind.join(" ")
                        },
                        utc(p.last_contact_unix_ms),
                        p.last_error.clone(),
                    ]);
                }
                print!("{}", t.render());
                let mut held: Vec<_> = s.held.map(|h| h.origins.into_iter().collect()).unwrap_or_else(Vec::new);
                held.sort();
                println!(
                    "held per origin: {}",
                    held.iter()
                        .map(|(o, n)| format!("{o}:{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
    }
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn entry_json(e: &EntryView) -> serde_json::Value {
    let b = e.body.clone().unwrap_or_default();
    let payload = match std::str::from_utf8(&b.payload) {
        Ok(t) => json!(t),
        Err(_) => json!({"binary_bytes": b.payload.len()}),
    };
    json!({
        "id": b.id, "origin": b.origin, "seq": b.seq, "kind": b.kind, "status": status_name(b.status),
        "created_unix_ms": b.created_unix_ms, "expires_unix_ms": b.expires_unix_ms,
        "audience": b.audience, "supersedes": b.supersedes, "key_id": hex(&e.key_id),
        "size_bytes": e.size_bytes, "payload": payload,
    })
}
