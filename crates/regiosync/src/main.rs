//! `regiosync`: one binary for the node, the local demo federation, the dev PKI and the client
//! commands. Thin: parse arguments, set up tracing, call the library crates: `regiosync_node`
//! (`node`, `restore`), `regiosync_demo` (`demo`), `regiosync_dashboard` (`dashboard`) and,
//! for the commands people use, `regiosync_client` (connecting, record files, CSV import and
//! every printed answer).
//!
//! - this file: the command line, the dispatch, `node` (SIGHUP: `NodeHandle::reload`) and
//!   `restore`;
//! - `audit_cmd`: `audit verify`, over `regiosync_node::audit_verify`;
//! - `pki_cmd`: `pki`, the dev PKI over `regiosync_trust`;
//! - `records_cmd`, `query_cmd`, `client_cmd`: each command's arguments, its call to the node
//!   and the answer handed to its printer;
//! - `args`: regions and resource types as people type them.
mod args;
mod audit_cmd;
mod client_cmd;
mod pki_cmd;
mod query_cmd;
mod records_cmd;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "regiosync",
    version,
    about = "Federated sync for the Dutch safety regions and the national level"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    #[command(flatten)]
    conn: regiosync_client::Conn,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Cmd {
    /// Start NL and VR01..VR25 in this process, write realistic capacity, agreements and
    /// evaluations through each region's node, show convergence and the national picture.
    Demo {
        /// Leave the federation running (until Ctrl-C) and print how to query it.
        #[arg(long)]
        keep_running: bool,
        /// Then leave the federation up with the dashboard on it, as the national coordinator
        /// (until Ctrl-C); `--dashboard=127.0.0.1:8080` picks the address (default: a free port).
        #[arg(long, value_name = "ADDR", num_args = 0..=1, require_equals = true,
              default_missing_value = "127.0.0.1:0", value_parser = regiosync_dashboard::loopback)]
        dashboard: Option<std::net::SocketAddr>,
    },
    /// Dev PKI: a federation CA with node and person certificates.
    #[command(subcommand)]
    Pki(pki_cmd::PkiCmd),
    /// Run one node from its configuration file.
    Node {
        #[arg(long)]
        config: PathBuf,
    },
    /// Put a backup (from `regiosync backup`) back into a stopped node's data folder. The node
    /// then fetches from NL what it wrote after the backup before it takes a write.
    Restore {
        #[arg(long)]
        config: PathBuf,
        /// The backup folder.
        #[arg(long)]
        from: PathBuf,
        /// Move a store already in the data folder aside (kept as db.replaced-<time>).
        #[arg(long)]
        replace: bool,
    },
    /// Mutual-aid agreements: propose, sign, reject, withdraw, revoke, show, list.
    #[command(subcommand)]
    Agreement(records_cmd::AgreementCmd),
    /// Capacity reports: publish (from a file or a spreadsheet export), show, list.
    #[command(subcommand)]
    Capacity(records_cmd::CapacityCmd),
    /// Evaluations of incidents and exercises: submit, show, list.
    #[command(subcommand)]
    Evaluation(records_cmd::EvaluationCmd),
    /// The national questions: capacity, one resource type, agreement coverage, the rating
    /// benchmark, a region's "in control" card, data quality.
    #[command(subcommand)]
    Query(query_cmd::QueryCmd),
    /// The node's audit trail: check its hash chain and its anchors.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCmd),
    /// A web page with the national picture on a loopback address, asking the node over mutual
    /// TLS with your certificate (give --node and --pki/--as or --ca/--cert/--key).
    Dashboard(DashboardArgs),
    #[command(flatten)]
    Client(client_cmd::ClientCmd),
}

/// Options of `regiosync dashboard`.
#[derive(clap::Args)]
struct DashboardArgs {
    /// Where to serve the page: a loopback address only (127.0.0.1, ::1 or localhost), port 0
    /// for a free port.
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = regiosync_dashboard::loopback)]
    listen: std::net::SocketAddr,
    /// How often the page asks for new figures, in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600))]
    refresh_secs: u32,
}

fn main() {
    // Under --json every error is a JSON object on stdout (README: "JSON output"); clap's own
    // help and version output stays as it is.
    let json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            let message = e.kind().to_string();
            let detail = e.to_string();
            let first = detail.lines().next().unwrap_or(&message).trim_start_matches("error: ");
            println!("{}", serde_json::json!({"error": {"code": "usage", "message": first}}));
            std::process::exit(2);
        }
        Err(e) => e.exit(),
    };
    if let Err(e) = run(cli) {
        if json {
            println!("{}", regiosync_client::error_json(&e));
        } else {
            eprintln!("error: {e:#}");
        }
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    let default_filter = match cli.cmd {
        Cmd::Node { .. } => "info",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    regiosync_node::tls::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.cmd {
            Cmd::Demo {
                keep_running,
                dashboard,
            } => {
                regiosync_demo::run(regiosync_demo::DemoOpts {
                    json: cli.json,
                    keep_running,
                    dashboard,
                })
                .await
            }
            Cmd::Pki(cmd) => pki_cmd::run(cmd, cli.conn.pki.as_deref(), cli.json),
            Cmd::Node { config } => run_node(config).await,
            Cmd::Restore { config, from, replace } => {
                let config = regiosync_node::NodeConfig::load(&config)?;
                let now = regiosync_replication::now_ms();
                let r = regiosync_node::restore::restore(&config, &from, replace, now)?;
                if let Some(aside) = &r.moved_aside {
                    println!("moved the store that was there aside to {}", aside.display());
                }
                println!(
                    "restored {} values into {}; on its next start the node fetches from NL what it wrote after the backup before it takes a write",
                    r.values,
                    r.db.display()
                );
                Ok(())
            }
            Cmd::Agreement(cmd) => records_cmd::run_agreement(&cli.conn, cli.json, cmd).await,
            Cmd::Capacity(cmd) => records_cmd::run_capacity(&cli.conn, cli.json, cmd).await,
            Cmd::Evaluation(cmd) => records_cmd::run_evaluation(&cli.conn, cli.json, cmd).await,
            Cmd::Query(cmd) => query_cmd::run(&cli.conn, cli.json, cmd).await,
            Cmd::Dashboard(args) => {
                regiosync_dashboard::run(&cli.conn, args.listen, args.refresh_secs, shutdown_signal()).await
            }
            Cmd::Client(cmd) => client_cmd::run(&cli.conn, cli.json, cmd).await,
            Cmd::Audit(cmd) => audit_cmd::run(&cli.conn, cli.json, cmd).await,
        }
    })
}

async fn run_node(path: PathBuf) -> Result<()> {
    // SIGHUP (logrotate, renewed certificates): reopen the audit file, read certificates and
    // CRLs again; never stop (handled from before the start, so it never kills the node).
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .context("installing the SIGHUP handler")?;
    let config = regiosync_node::NodeConfig::load(&path)?;
    let handle = regiosync_node::start(config).await?;
    println!("node {} listening on {}", handle.node, handle.url());
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = hangup.recv() => handle.reload(),
        }
    }
    println!("stopping node {}", handle.node);
    handle.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
