//! How the generic `NodeApi` answers are printed (`publish`, `list`, `show`, `status`,
//! `backup`): readable lines and tables in the language chosen, or with `--json` a JSON object
//! per answer.
use anyhow::Result;
use regiosync_i18n::{Args, Catalog, Lang};
use regiosync_node::pb::{BackupResponse, EntryView, PublishResponse, StatusResponse, VersionVectorView};
use serde_json::json;

use super::table::Table;
use super::{field, more_line, num, page_json, print_json, status_name, when, Out};
use crate::rpc;

/// A record published as `r.id`, the node's `r.seq`.
pub fn published(out: Out, r: &PublishResponse) -> Result<()> {
    if out.json {
        return print_json(&json!({"id": r.id, "origin": r.origin, "seq": r.seq}));
    }
    let args = Args::new()
        .text("id", &r.id)
        .text("origin", &r.origin)
        .text("seq", r.seq.to_string());
    out!("{}", Catalog::of(out.lang).t("cli-entry-published", &args));
    Ok(())
}

/// A page of the entries the node holds that the caller may see, and the cursor of the next
/// page (empty: this is the last).
pub fn list(out: Out, entries: &[EntryView], next_cursor: &str) -> Result<()> {
    if out.json {
        let entries = entries.iter().map(entry_json).collect();
        return print_json(&page_json("entries", serde_json::Value::Array(entries), next_cursor));
    }
    let lang = out.lang;
    let mut t = Table::of(
        lang,
        &[
            "cli-col-origin",
            "cli-col-seq",
            "cli-col-kind",
            "cli-col-status",
            "cli-col-created",
            "cli-col-audience",
            "cli-col-bytes",
            "cli-col-id",
        ],
    )
    .right(&[1, 6]);
    for e in entries {
        let b = e.body.clone().unwrap_or_default();
        t.row(vec![
            b.origin,
            b.seq.to_string(),
            b.kind,
            status_name(lang, rpc::status_name(b.status)),
            when(lang, b.created_unix_ms),
            b.audience.join(","),
            num(lang, e.size_bytes),
            b.id,
        ]);
    }
    print!("{}", t.render());
    let n = entries.len() as i64;
    out!(
        "{}",
        Catalog::of(lang).t("cli-entries", &Args::new().count(lang, "n", n))
    );
    more_line(lang, next_cursor);
    Ok(())
}

/// One entry, every field and its payload.
pub fn show(out: Out, e: &EntryView) -> Result<()> {
    if out.json {
        return print_json(&entry_json(e));
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let b = e.body.clone().unwrap_or_default();
    let bytes = |n: usize| c.t("cli-bytes", &Args::new().count(lang, "n", n as i64));
    field(&c.s("cli-entry-id"), &b.id);
    field(&c.s("cli-entry-origin-seq"), format!("{} / {}", b.origin, b.seq));
    field(&c.s("cli-entry-kind"), &b.kind);
    field(&c.s("cli-entry-status"), status_name(lang, rpc::status_name(b.status)));
    field(&c.s("cli-entry-created"), when(lang, b.created_unix_ms));
    field(&c.s("cli-entry-expires"), when(lang, b.expires_unix_ms));
    field(&c.s("cli-entry-audience"), b.audience.join(", "));
    let supersedes = match b.supersedes.is_empty() {
        true => "-".into(),
        false => b.supersedes.join(", "),
    };
    field(&c.s("cli-entry-supersedes"), supersedes);
    field(&c.s("cli-entry-key"), hex(&e.key_id));
    field(&c.s("cli-entry-size"), bytes(e.size_bytes as usize));
    match std::str::from_utf8(&b.payload) {
        Ok(text) => out!("{}\n{text}", c.s("cli-entry-payload")),
        Err(_) => field(
            &c.s("cli-entry-payload"),
            c.t(
                "cli-bytes-binary",
                &Args::new().count(lang, "n", b.payload.len() as i64),
            ),
        ),
    }
    Ok(())
}

/// Where the node wrote a backup, and how far it holds each origin in it.
pub fn backup(out: Out, b: BackupResponse) -> Result<()> {
    let held = held_per_origin(b.held);
    if out.json {
        let held: std::collections::BTreeMap<_, _> = held.into_iter().collect();
        return print_json(&json!({"path": b.path, "bytes": b.bytes, "held": held}));
    }
    let c = Catalog::of(out.lang);
    let bytes = c.t("cli-bytes", &Args::new().count(out.lang, "n", b.bytes as i64));
    let args = Args::new().text("path", &b.path).text("bytes", bytes);
    out!("{}", c.t("cli-backup-written", &args));
    print_held(out.lang, &held);
    Ok(())
}

/// The node's peers, whether each is connected, and how far behind each origin it is.
pub fn status(out: Out, s: StatusResponse) -> Result<()> {
    if out.json {
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
    }
    let (lang, c) = (out.lang, Catalog::of(out.lang));
    let args = Args::new()
        .text("node", &s.node)
        .count(lang, "held", s.entries_held as i64)
        .count(lang, "refused", s.entries_rejected as i64);
    out!("{}", c.t("cli-node-status", &args));
    let listed = |id: &str, what: &str| c.t(id, &Args::new().text("list", what));
    if !s.writes_paused.is_empty() {
        out!("{}", listed("cli-node-writes-paused", &s.writes_paused));
    }
    if !s.damaged.is_empty() {
        out!("{}", listed("cli-node-damaged", &s.damaged.join(", ")));
    }
    if !s.missing.is_empty() {
        out!("{}", listed("cli-node-missing", &s.missing.join(", ")));
    }
    let mut t = Table::of(
        lang,
        &[
            "cli-col-peer",
            "cli-col-address",
            "cli-col-connected",
            "cli-col-behind",
            "cli-col-last-contact",
            "cli-col-last-error",
        ],
    );
    for p in &s.peers {
        let mut behind: Vec<_> = p.behind.iter().map(|(o, n)| format!("{o}:{n}")).collect();
        behind.sort();
        t.row(vec![
            p.peer.clone(),
            p.address.clone(),
            c.s(if p.connected { "cli-yes" } else { "cli-no" }),
            if behind.is_empty() {
                c.s("cli-up-to-date")
            } else {
                behind.join(" ")
            },
            when(lang, p.last_contact_unix_ms),
            p.last_error.clone(),
        ]);
    }
    print!("{}", t.render());
    print_held(lang, &held_per_origin(s.held));
    Ok(())
}

/// How far the node holds each origin, in origin order.
fn held_per_origin(held: Option<VersionVectorView>) -> Vec<(String, u64)> {
    let mut held: Vec<_> = held.map(|h| h.origins.into_iter().collect()).unwrap_or_default();
    held.sort();
    held
}

/// "aanwezig per bron: NL:12 VR01:7 ..." ("held per origin: ...").
fn print_held(lang: Lang, held: &[(String, u64)]) {
    let list = held
        .iter()
        .map(|(o, n)| format!("{o}:{n}"))
        .collect::<Vec<_>>()
        .join(" ");
    out!(
        "{}",
        Catalog::of(lang).t("cli-node-held", &Args::new().text("list", list))
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
        "id": b.id, "origin": b.origin, "seq": b.seq, "kind": b.kind, "status": rpc::status_name(b.status),
        "created_unix_ms": b.created_unix_ms, "expires_unix_ms": b.expires_unix_ms,
        "audience": b.audience, "supersedes": b.supersedes, "key_id": hex(&e.key_id),
        "size_bytes": e.size_bytes, "payload": payload,
    })
}
