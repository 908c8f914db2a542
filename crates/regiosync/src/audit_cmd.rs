//! `regiosync audit verify FILE...`: the chain of a node's audit files (one, or rotated ones
//! oldest first) checked by `regiosync_node::audit_verify`, and with `--node` (and your
//! certificate) the anchors the node published in its signed log checked against the files.
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use regiosync_client::render::{print_json, Out};
use regiosync_client::said::{Tell, Text};
use regiosync_client::{rpc_error, Conn};
use regiosync_node::audit_verify::{self, Anchor};
use regiosync_node::pb;

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Check audit files: every line chained to the one before (hash and seq), across rotated
    /// files given oldest first; with --node, also every anchor the node published. Names file,
    /// line, seq and what is wrong; exits non-zero on any problem.
    Verify {
        /// Audit files, oldest first (e.g. audit.log.2 audit.log.1 audit.log).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Whose anchors to fetch (default: the node that wrote the files).
        #[arg(long)]
        origin: Option<String>,
    },
}

pub async fn run(conn: &Conn, out: Out, cmd: AuditCmd) -> Result<()> {
    let AuditCmd::Verify { files, origin } = cmd;
    // The anchors first: each then names a line the files already had when they are read.
    let anchors = match &conn.node {
        None => None,
        Some(_) => {
            let origin = match origin {
                Some(o) => o,
                None => audit_verify::node_of(&files)?.told(Text::new("cmd-audit-no-origin"))?,
            };
            Some(fetch_anchors(conn, &origin).await?)
        }
    };
    let report = audit_verify::verify(&files, anchors.as_deref())?;
    if out.json {
        // The report is the answer, also when it finds problems (`"ok": false`, exit code 1):
        // no second object for the error.
        print_json(&report)?;
        if !report.ok {
            std::process::exit(1);
        }
        return Ok(());
    }
    // The report's lines (file:line (seq): what) are the node crate's, in English.
    print!("{}", report.text());
    if !report.ok {
        return Err(Text::new("cmd-audit-problems").count("n", report.problems.len()).into());
    }
    Ok(())
}

/// Every anchor `origin` published that the node holds, in order.
async fn fetch_anchors(conn: &Conn, origin: &str) -> Result<Vec<Anchor>> {
    const PAGE: u32 = 1000;
    let mut api = conn.node_api().await?;
    let (mut anchors, mut after_seq) = (Vec::new(), 0);
    loop {
        let page = api
            .list_entries(pb::ListRequest {
                origin: origin.into(),
                kind: regiosync_records::kinds::AUDIT_ANCHOR.into(),
                after_seq,
                limit: PAGE,
                ..Default::default()
            })
            .await
            .map_err(rpc_error)
            .told_with(|| Text::new("cmd-audit-fetching-anchors").arg("origin", origin))?
            .into_inner();
        anchors.extend(Anchor::from_entries(&page.entries).map_err(anyhow::Error::msg)?);
        match page.entries.last().and_then(|e| e.body.as_ref()) {
            Some(last) if page.entries.len() == PAGE as usize => after_seq = last.seq,
            _ => return Ok(anchors),
        }
    }
}
