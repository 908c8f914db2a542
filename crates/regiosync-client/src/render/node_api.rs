//! How the generic `NodeApi` answers are printed (`publish`, `list`, `show`, `status`,
//! `backup`): readable lines and tables, or with `--json` a JSON object per answer.
use anyhow::Result;
use regiosync_node::pb::{BackupResponse, EntryView, PublishResponse, StatusResponse, VersionVectorView};
use serde_json::json;

use super::table::Table;
use super::time::utc;
use super::{more_line, page_json, print_json};
use crate::rpc::status_name;

/// A record published as `r.id`, the node's `r.seq`.
pub fn published(json: bool, r: &PublishResponse) -> Result<()> {
    if json {
        return print_json(&json!({"id": r.id, "origin": r.origin, "seq": r.seq}));
    }
    out!("published {} as {} seq {}", r.id, r.origin, r.seq);
    Ok(())
}

/// A page of the entries the node holds that the caller may see, and the cursor of the next
/// page (empty: this is the last).
pub fn list(json: bool, entries: &[EntryView], next_cursor: &str) -> Result<()> {
    if json {
        let entries = entries.iter().map(entry_json).collect();
        return print_json(&page_json("entries", serde_json::Value::Array(entries), next_cursor));
    } else {
        let mut t =
            Table::new(&["origin", "seq", "kind", "status", "created", "audience", "bytes", "id"]).right(&[1, 6]);
        for e in entries {
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
        more_line(next_cursor);
    }
    Ok(())
}

/// One entry, every field and its payload.
pub fn show(json: bool, e: &EntryView) -> Result<()> {
    if json {
        return print_json(&entry_json(e));
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
    Ok(())
}

/// Where the node wrote a backup, and how far it holds each origin in it.
pub fn backup(json: bool, b: BackupResponse) -> Result<()> {
    let held = held_per_origin(b.held);
    if json {
        let held: std::collections::BTreeMap<_, _> = held.into_iter().collect();
        return print_json(&json!({"path": b.path, "bytes": b.bytes, "held": held}));
    } else {
        println!("backup written on the node's host: {} ({} bytes)", b.path, b.bytes);
        print_held(&held);
    }
    Ok(())
}

/// The node's peers, whether each is connected, and how far behind each origin it is.
pub fn status(json: bool, s: StatusResponse) -> Result<()> {
    if json {
        let peers: Vec<_> = s
            .peers
            .iter()
            .map(|p| {
                json!({"peer": p.peer, "address": p.address, "connected": p.connected,
                "last_error": p.last_error, "behind": p.behind, "last_contact_unix_ms": p.last_contact_unix_ms})
            })
            .collect();
        let held = s.held.map(|h| h.origins).unwrap_or_default();
        return print_json(&json!({"node": s.node, "entries_held": s.entries_held,
            "entries_rejected": s.entries_rejected, "held": held, "peers": peers,
            "writes_paused": s.writes_paused, "damaged": s.damaged, "missing": s.missing}));
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
        print_held(&held_per_origin(s.held));
    }
    Ok(())
}

/// How far the node holds each origin, in origin order.
fn held_per_origin(held: Option<VersionVectorView>) -> Vec<(String, u64)> {
    let mut held: Vec<_> = held.map(|h| h.origins.into_iter().collect()).unwrap_or_default();
    held.sort();
    held
}

/// "held per origin: NL:12 VR01:7 ...".
fn print_held(held: &[(String, u64)]) {
    println!(
        "held per origin: {}",
        held.iter()
            .map(|(o, n)| format!("{o}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
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
