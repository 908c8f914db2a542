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
//! - `args`: regions and resource types as people type them;
//! - `man`: the manual page, generated from this command line (`regiosync man`, hidden).
mod args;
mod audit_cmd;
mod client_cmd;
mod man;
mod pki_cmd;
mod query_cmd;
mod records_cmd;
mod report_cmd;

use std::path::PathBuf;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};
use regiosync_client::said::{Tell, Text};
use regiosync_i18n::Lang;

/// The version and the commit it was built from (`build.rs`).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("REGIOSYNC_COMMIT"), ")");

#[derive(Parser)]
#[command(
    name = "regiosync",
    version = VERSION,
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
    /// The language of tables, messages and reports for people: nl (Nederlands, the default)
    /// or en (English). `--json` output is the same in every language. For `dashboard`: the
    /// page's language for everyone who opens it; without it each browser gets the language it
    /// prefers (Accept-Language), Dutch when it names neither.
    #[arg(long, global = true, env = "REGIOSYNC_LANG")]
    lang: Option<regiosync_i18n::Lang>,
    /// How log lines on stderr look: text (coloured only when stderr is a terminal) or json
    /// (one object a line). Which lines: RUST_LOG (default info for `node`, warn otherwise).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "REGIOSYNC_LOG_FORMAT")]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
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
        /// The node's configuration file (TOML; see config/vr01.toml).
        #[arg(long)]
        config: PathBuf,
        /// Do not start: check the configuration, every file it names, the certificate (valid
        /// now, matches the key and the node, chains to the CA, not revoked), the CRLs (issuer,
        /// signature, next update) and that the data folder is writable; list every problem
        /// (file:line:column: key: what) and exit non-zero if there is one.
        #[arg(long)]
        check: bool,
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
    /// Evaluations of incidents and exercises: submit, correct, withdraw, show, list.
    #[command(subcommand)]
    Evaluation(records_cmd::EvaluationCmd),
    /// Assistance requests (bijstand): request, offer, decline, accept, status, release,
    /// close, show, list.
    #[command(subcommand)]
    Assist(records_cmd::AssistCmd),
    /// The national questions: capacity, one resource type, agreement coverage, the rating
    /// benchmark, a region's "in control" card, data quality.
    #[command(subcommand)]
    Query(query_cmd::QueryCmd),
    /// Reports for a region's board and for the ministry, in Dutch (or --lang en): print-ready
    /// HTML, PDF or CSV.
    #[command(subcommand)]
    Report(report_cmd::ReportCmd),
    /// The node's audit trail: check its hash chain and its anchors.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCmd),
    /// A web page with the national picture on a loopback address, asking the node over mutual
    /// TLS with your certificate (give --node and --pki/--as or --ca/--cert/--key).
    Dashboard(DashboardArgs),
    #[command(flatten)]
    Client(client_cmd::ClientCmd),
    /// Print the manual page regiosync(1) (roff) from this command line's own description.
    #[command(hide = true)]
    Man,
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
    let lang = cli.lang.unwrap_or_default();
    if let Err(e) = run(cli) {
        if json {
            println!("{}", regiosync_client::error_json(&e));
        } else {
            eprintln!("{}", regiosync_client::error_text(&e, lang));
        }
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    let default_filter = match cli.cmd {
        Cmd::Node { .. } => "info",
        _ => "warn",
    };
    init_tracing(cli.log_format, default_filter)?;
    if let Cmd::Man = cli.cmd {
        return man::write(Cli::command(), &mut std::io::stdout().lock());
    }
    regiosync_node::tls::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .told(Text::new("cmd-runtime"))?;
    let out = regiosync_client::render::Out {
        json: cli.json,
        lang: cli.lang.unwrap_or_default(),
    };
    runtime.block_on(async move {
        match cli.cmd {
            Cmd::Demo {
                keep_running,
                dashboard,
            } => {
                hangup_reloads_nothing("the demo")?;
                regiosync_demo::run(regiosync_demo::DemoOpts {
                    json: cli.json,
                    lang: out.lang,
                    keep_running,
                    dashboard,
                })
                .await
            }
            Cmd::Pki(cmd) => pki_cmd::run(cmd, cli.conn.pki.as_deref(), out),
            Cmd::Node { config, check: true } => check_node(&config, out.lang),
            Cmd::Node { config, check: false } => run_node(config, out.lang).await,
            Cmd::Restore { config, from, replace } => restore(&config, &from, replace, out.lang),
            Cmd::Agreement(cmd) => records_cmd::run_agreement(&cli.conn, out, cmd).await,
            Cmd::Capacity(cmd) => records_cmd::run_capacity(&cli.conn, out, cmd).await,
            Cmd::Evaluation(cmd) => records_cmd::run_evaluation(&cli.conn, out, cmd).await,
            Cmd::Assist(cmd) => records_cmd::run_assist(&cli.conn, out, cmd).await,
            Cmd::Query(cmd) => query_cmd::run(&cli.conn, out, cmd).await,
            Cmd::Report(cmd) => report_cmd::run(&cli.conn, out, cmd).await,
            Cmd::Dashboard(args) => {
                hangup_reloads_nothing("the dashboard")?;
                regiosync_dashboard::run(&cli.conn, args.listen, args.refresh_secs, cli.lang, shutdown_signal()).await
            }
            Cmd::Client(cmd) => client_cmd::run(&cli.conn, out, cmd).await,
            Cmd::Audit(cmd) => audit_cmd::run(&cli.conn, out, cmd).await,
            Cmd::Man => Ok(()),
        }
    })
}

/// Log lines to stderr in `format`, filtered by RUST_LOG (refused when it does not parse) or
/// `default_filter`; colours only when stderr is a terminal.
fn init_tracing(format: LogFormat, default_filter: &str) -> Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::builder().parse(&v).map_err(|e| {
            Text::new("cmd-rust-log-invalid")
                .arg("value", format!("{v:?}"))
                .arg("error", e)
        })?,
        Err(std::env::VarError::NotUnicode(v)) => {
            return Err(Text::new("cmd-rust-log-not-unicode")
                .arg("value", format!("{v:?}"))
                .into())
        }
        _ => EnvFilter::new(default_filter),
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    Ok(())
}

/// `node --check`: what passed on stdout, every problem on stderr, an error if there is one.
/// The lines of the check are the node crate's (`file:line:column: key: what`, in English);
/// what frames them is in `lang`.
fn check_node(path: &std::path::Path, lang: Lang) -> Result<()> {
    let report = regiosync_node::check::check(path, regiosync_replication::now_ms() / 1000);
    for line in &report.passed {
        println!("{}", Text::new("cmd-check-passed").arg("line", line).render(lang));
    }
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    match report.problems.len() {
        0 => {
            println!(
                "{}",
                Text::new("cmd-check-clean").arg("path", path.display()).render(lang)
            );
            Ok(())
        }
        n => Err(Text::new("cmd-check-problems")
            .arg("path", path.display())
            .count("n", n)
            .into()),
    }
}

/// `restore`: the backup put back by `regiosync_node::restore`, which refuses what is not a
/// backup and a store already there without `replace`; those two refusals are said here first,
/// in `lang` (the node crate's own words, in English, are the same).
fn restore(config: &std::path::Path, from: &std::path::Path, replace: bool, lang: Lang) -> Result<()> {
    use regiosync_node::restore::Refused;
    let config = regiosync_node::NodeConfig::load(config)?;
    let r = regiosync_node::restore::restore(&config, from, replace, regiosync_replication::now_ms()).map_err(|e| {
        let told = match &e {
            regiosync_node::Error::Restore(Refused::NotABackup { from }) => {
                Text::new("cmd-restore-not-a-backup").arg("from", from.display())
            }
            regiosync_node::Error::Restore(Refused::StoreThere { from, db }) => Text::new("cmd-restore-store-there")
                .arg("from", from.display())
                .arg("db", db.display()),
            regiosync_node::Error::Restore(Refused::InUse { from, why }) => Text::new("cmd-restore-in-use")
                .arg("from", from.display())
                .arg("why", why),
            regiosync_node::Error::Restore(Refused::Damaged { from, count, example }) => {
                Text::new("cmd-restore-damaged")
                    .arg("from", from.display())
                    .count("count", *count)
                    .arg("example", example)
            }
            _ => return anyhow::Error::new(e),
        };
        anyhow::Error::new(told)
    })?;
    if let Some(aside) = &r.moved_aside {
        println!(
            "{}",
            Text::new("cmd-restore-moved-aside")
                .arg("path", aside.display())
                .render(lang)
        );
    }
    let restored = Text::new("cmd-restored")
        .count("values", r.values)
        .arg("db", r.db.display());
    println!("{}", restored.render(lang));
    Ok(())
}

async fn run_node(path: PathBuf, lang: Lang) -> Result<()> {
    // SIGHUP (logrotate, renewed certificates): reopen the audit file, read certificates and
    // CRLs again; never stop (handled from before the start, so it never kills the node).
    let mut hangup =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).told(Text::new("cmd-sighup-handler"))?;
    let config = regiosync_node::NodeConfig::load(&path)?;
    let handle = regiosync_node::start(config).await?;
    let listening = Text::new("cmd-node-listening")
        .arg("node", handle.node)
        .arg("url", handle.url());
    println!("{}", listening.render(lang));
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = hangup.recv() => handle.reload(),
        }
    }
    println!(
        "{}",
        Text::new("cmd-node-stopping").arg("node", handle.node).render(lang)
    );
    handle.shutdown().await;
    Ok(())
}

/// SIGHUP (a terminal closing, a habit from `node`) never kills a long-running command that has
/// nothing to reload: it is noted and ignored.
fn hangup_reloads_nothing(what: &'static str) -> Result<()> {
    let mut hangup =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).told(Text::new("cmd-sighup-handler"))?;
    tokio::spawn(async move {
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP: {what} has nothing to reload; it goes on");
        }
    });
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
