//! The PostgreSQL 15 reference: logical replication over verified mTLS between two throwaway clusters.
//!
//! [`run`] builds a publisher and a subscriber cluster with `initdb` inside a work directory, each on
//! its own free loopback port with its unix socket in the work directory, and drives them with
//! PostgreSQL's own command-line tools (`initdb`, `pg_ctl`, `psql`); nothing touches the system's
//! default cluster or port 5432.
//!
//! - The publisher runs `wal_level=logical` and `ssl=on` with a throwaway ECDSA P-256 CA, TLS 1.3 only,
//!   and accepts TCP connections only as `hostssl replication_db repl 127.0.0.1/32 cert`: the
//!   subscriber authenticates with a client certificate whose CN is `repl` and verifies the server
//!   with `sslmode=verify-full`. Local (unix socket) connections use `trust`; the socket directory is
//!   0700 and owned by the server user. The connection string adds `hostaddr=127.0.0.1` (the server
//!   listens on IPv4 only) while `host=localhost` is still what the server certificate is checked
//!   against.
//! - Durability stays at the defaults: `fsync=on`, `synchronous_commit=on` on both servers, and the
//!   subscription keeps PostgreSQL's own default `synchronous_commit = off` for its apply worker (safe
//!   per the PostgreSQL docs: the publisher re-sends what the subscriber did not flush; setting it to
//!   `on` made no measurable difference here).
//! - Latency: one row inserted at the publisher (autocommit, durable) until a persistent `psql`
//!   session polling the subscriber in a tight loop sees it; one warm-up row is not counted.
//! - Throughput: `records` rows in transactions of `tx_rows` rows (`INSERT ... SELECT ... FROM
//!   generate_series`), piped through one persistent publisher session so client round trips do not
//!   dominate, timed from the first insert until the subscriber holds every row. The subscriber is
//!   polled every 20 ms with `max(id)` (an index probe, so polling does not steal a core from the
//!   replication it measures; PostgreSQL 15 applies transactions in commit order, so the last id
//!   implies all earlier ones) and the row count is then confirmed with `count(*)`.
//!
//! PostgreSQL refuses to run as root; when we are root, the servers run as the `postgres` system user
//! (via `setpriv`), which then owns the work directory. `psql` itself runs as the calling user.
//!
//! The pieces: `cluster` (the OS user, the host and each cluster's start and stop), `session` (a
//! persistent `psql`), `tls` (the throwaway certificates), `sql` (quoting and the payload
//! expression) and `phases` (initial sync, the TLS check and the timed throughput load).
mod cluster;
mod phases;
mod session;
mod sql;
#[cfg(test)]
mod tests;
mod tls;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};

use cluster::{effective_uid, log_tail, run_checked, Cluster, Host};
use phases::{check_tls, throughput, wait_for_initial_sync};
use session::Session;
use sql::{conf_quote, conninfo_quote, payload_sql, sql_literal};
use tls::TlsMaterial;

/// Where Debian's postgresql-15 package puts its server binaries.
pub const BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
/// The database on both sides; the publisher's pg_hba line names it.
const DB: &str = "replication_db";
/// The replication role; the subscriber's client certificate carries it as CN.
const REPL_USER: &str = "repl";
const PUBLICATION: &str = "bench_pub";
const SUBSCRIPTION: &str = "bench_sub";
/// Quiet time before each latency trial, so every trial starts from an idle system.
const IDLE_GAP: Duration = Duration::from_millis(20);
/// Longest wait for any single answer from a `psql` session.
const QUERY_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest wait for one latency row.
const LATENCY_TIMEOUT: Duration = Duration::from_secs(30);

/// What one [`run`] measured.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PgResult {
    pub records: u64,
    pub record_bytes: usize,
    /// Seconds from the first insert until the subscriber holds every row.
    pub seconds: f64,
    pub records_per_sec: f64,
    /// One-record idle latency publisher -> subscriber, p50 and p99 in ms over `latency_trials`
    /// (nearest rank; NaN when `latency_trials` is 0).
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    /// `SHOW server_version` of the publisher, e.g. `15.14 (Debian 15.14-0+deb12u1)`.
    pub server_version: String,
}

/// What [`run`] does.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PgOptions {
    /// Rows replicated in the throughput phase (at least 1).
    pub records: u64,
    /// Payload bytes per row: hex text of `md5(id)` repeated, cut to length.
    pub record_bytes: usize,
    /// Rows per durable publisher transaction (at least 1).
    pub tx_rows: u64,
    /// Idle one-row latency trials (after one uncounted warm-up row).
    pub latency_trials: usize,
}

impl Default for PgOptions {
    /// The shape of BRIEF.md section 7: 300-byte records in 1,000-row transactions.
    fn default() -> PgOptions {
        PgOptions {
            records: 100_000,
            record_bytes: 300,
            tx_rows: 1_000,
            latency_trials: 100,
        }
    }
}

/// Installs postgresql-15 with apt-get when `/usr/lib/postgresql/15/bin/initdb` is missing
/// (`apt-get update` first). Returns the binary directory.
///
/// The package creates and may start Debian's default cluster on port 5432; [`run`] never touches it.
pub fn ensure_installed() -> Result<PathBuf> {
    let bin = PathBuf::from(BIN_DIR);
    if bin.join("initdb").exists() {
        return Ok(bin);
    }
    if effective_uid()? != 0 {
        bail!(
            "PostgreSQL 15 is not installed ({BIN_DIR}/initdb is missing) and installing it needs root: \
             run `apt-get update && apt-get install -y postgresql-15` as root"
        );
    }
    tracing::info!("installing postgresql-15 with apt-get");
    run_checked(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get update",
    )?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "postgresql-15"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "apt-get install postgresql-15",
    )?;
    ensure!(
        bin.join("initdb").exists(),
        "apt-get installed postgresql-15 but {BIN_DIR}/initdb is still missing"
    );
    Ok(bin)
}

/// Runs the reference benchmark in `work_dir` (created if missing; everything, including both
/// clusters, their logs, sockets and certificates, lives there). Both clusters are stopped before
/// this returns, on success and on error.
pub fn run(opts: &PgOptions, work_dir: &Path) -> Result<PgResult> {
    run_with(opts, work_dir, REPL_USER)
}

/// [`run`] with the CN of the subscriber's client certificate as a parameter, so a test can show a
/// certificate for any other user is refused.
fn run_with(opts: &PgOptions, work_dir: &Path, client_cn: &str) -> Result<PgResult> {
    ensure!(opts.records >= 1, "PgOptions::records must be at least 1");
    ensure!(opts.tx_rows >= 1, "PgOptions::tx_rows must be at least 1");
    let bin = ensure_installed()?;
    fs::create_dir_all(work_dir).with_context(|| format!("creating work directory {}", work_dir.display()))?;
    let work = work_dir
        .canonicalize()
        .with_context(|| format!("resolving work directory {}", work_dir.display()))?;
    let host = Host::new(bin, work.clone())?;

    // Sockets and certificates.
    let sock = work.join("run");
    fs::create_dir_all(&sock).with_context(|| format!("creating {}", sock.display()))?;
    host.hand_over(&sock, 0o700)?;
    ensure!(
        sock.as_os_str().len() + "/.s.PGSQL.65535".len() <= 107,
        "work directory {} is too long for a unix socket path; use a shorter one",
        work.display()
    );
    let certs = work.join("certs");
    fs::create_dir_all(&certs).with_context(|| format!("creating {}", certs.display()))?;
    host.hand_over(&certs, 0o755)?;
    let tls = TlsMaterial::generate(client_cn)?;
    let ca = host.write_file(&certs.join("ca.crt"), &tls.ca_cert, 0o644)?;
    let server_cert = host.write_file(&certs.join("server.crt"), &tls.server_cert, 0o644)?;
    let server_key = host.write_file(&certs.join("server.key"), &tls.server_key, 0o600)?;
    let client_cert = host.write_file(&certs.join("client.crt"), &tls.client_cert, 0o644)?;
    let client_key = host.write_file(&certs.join("client.key"), &tls.client_key, 0o600)?;

    // Clusters. Locals drop in reverse order: sessions first, then the subscriber, then the
    // publisher, each stopped by its guard.
    let common = |sock: &Path| {
        vec![
            "listen_addresses = '127.0.0.1'".to_string(),
            format!("unix_socket_directories = {}", conf_quote(sock)),
            "fsync = on".to_string(),
            "synchronous_commit = on".to_string(),
        ]
    };
    let mut pub_conf = common(&sock);
    pub_conf.extend([
        "wal_level = logical".to_string(),
        "ssl = on".to_string(),
        format!("ssl_cert_file = {}", conf_quote(&server_cert)),
        format!("ssl_key_file = {}", conf_quote(&server_key)),
        format!("ssl_ca_file = {}", conf_quote(&ca)),
        "ssl_min_protocol_version = 'TLSv1.3'".to_string(),
    ]);
    let pub_hba = format!(
        "# TYPE  DATABASE  USER  ADDRESS  METHOD\n\
         local all all trust\n\
         hostssl {DB} {REPL_USER} 127.0.0.1/32 cert\n"
    );
    let mut publisher = Cluster::init(&host, "publisher", &sock, &pub_conf, &pub_hba)?;
    publisher.start()?;
    let mut subscriber = Cluster::init(&host, "subscriber", &sock, &common(&sock), "local all all trust\n")?;
    subscriber.start()?;

    // Schema, publication, subscription.
    let table = "CREATE TABLE records (id bigint PRIMARY KEY, payload text NOT NULL)";
    publisher.psql(
        "postgres",
        &[
            &format!("CREATE ROLE {REPL_USER} WITH REPLICATION LOGIN"),
            &format!("CREATE DATABASE {DB}"),
        ],
    )?;
    publisher.psql(
        DB,
        &[
            table,
            &format!("GRANT SELECT ON records TO {REPL_USER}"),
            &format!("CREATE PUBLICATION {PUBLICATION} FOR TABLE records"),
        ],
    )?;
    let conninfo = [
        ("host", "localhost".to_string()),
        ("hostaddr", "127.0.0.1".to_string()),
        ("port", publisher.port.to_string()),
        ("dbname", DB.to_string()),
        ("user", REPL_USER.to_string()),
        ("sslmode", "verify-full".to_string()),
        ("sslrootcert", ca.display().to_string()),
        ("sslcert", client_cert.display().to_string()),
        ("sslkey", client_key.display().to_string()),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", conninfo_quote(v)))
    .collect::<Vec<_>>()
    .join(" ");
    subscriber.psql("postgres", &[&format!("CREATE DATABASE {DB}")])?;
    subscriber
        .psql(
            DB,
            &[
                table,
                &format!(
                    "CREATE SUBSCRIPTION {SUBSCRIPTION} CONNECTION {} PUBLICATION {PUBLICATION}",
                    sql_literal(&conninfo)
                ),
            ],
        )
        .map_err(|e| anyhow!("{e:#}\npublisher log:\n{}", log_tail(&publisher.log, 15)))?;

    let mut pub_s = Session::open(&publisher, DB)?;
    let mut sub_s = Session::open(&subscriber, DB)?;
    wait_for_initial_sync(&mut sub_s, &publisher, &subscriber)?;
    check_tls(&mut pub_s)?;
    let server_version = pub_s.query_one("SHOW server_version")?;
    tracing::info!(%server_version, "publication and subscription ready");

    // Latency first, on the idle pair.
    let payload = |arg: &str| payload_sql(arg, opts.record_bytes);
    let mut samples = Vec::with_capacity(opts.latency_trials);
    for trial in 0..=opts.latency_trials {
        // Id 0 is the uncounted warm-up; trials use -1, -2, ...; throughput uses 1..=records.
        let id = -(trial as i64);
        thread::sleep(IDLE_GAP);
        let t0 = Instant::now();
        pub_s.query(&format!(
            "INSERT INTO records VALUES ({id}, {})",
            payload(&format!("{id}::bigint"))
        ))?;
        loop {
            if sub_s.query_one(&format!("SELECT count(*) FROM records WHERE id = {id}"))? == "1" {
                break;
            }
            if t0.elapsed() > LATENCY_TIMEOUT {
                bail!(
                    "latency row {id} did not reach the subscriber within {LATENCY_TIMEOUT:?}\nsubscriber log:\n{}",
                    log_tail(&subscriber.log, 20)
                );
            }
        }
        if trial > 0 {
            samples.push(t0.elapsed().as_secs_f64() * 1e3);
        }
    }
    samples.sort_by(f64::total_cmp);
    let latency_p50_ms = percentile(&samples, 50.0);
    let latency_p99_ms = percentile(&samples, 99.0);
    tracing::info!(latency_p50_ms, latency_p99_ms, "latency measured");

    // Throughput.
    let mut script = String::new();
    let mut first = 1u64;
    while first <= opts.records {
        let last = first.saturating_add(opts.tx_rows - 1).min(opts.records);
        writeln!(
            script,
            "INSERT INTO records SELECT g, {} FROM generate_series({first}::bigint, {last}) g;",
            payload("g")
        )?;
        first = last + 1;
    }
    const LOADED: &str = "__regiosync_bench_loaded__";
    writeln!(script, "\\echo {LOADED}")?;
    let deadline = Duration::from_secs(120) + Duration::from_secs_f64(opts.records as f64 / 2_000.0);
    let (seconds, loaded) = throughput(&mut pub_s, &mut sub_s, &script, LOADED, opts.records, deadline)
        .map_err(|e| anyhow!("{e:#}\nsubscriber log:\n{}", log_tail(&subscriber.log, 20)))?;
    let records_per_sec = opts.records as f64 / seconds;
    tracing::info!(
        records = opts.records,
        seconds,
        records_per_sec,
        publisher_done_seconds = loaded,
        "throughput measured"
    );

    let stored = sub_s.query_one("SELECT octet_length(payload) FROM records WHERE id = 1")?;
    ensure!(
        stored == opts.record_bytes.to_string(),
        "subscriber row 1 holds {stored} payload bytes, expected {}",
        opts.record_bytes
    );

    drop(pub_s);
    drop(sub_s);
    subscriber.stop()?;
    publisher.stop()?;
    Ok(PgResult {
        records: opts.records,
        record_bytes: opts.record_bytes,
        seconds,
        records_per_sec,
        latency_p50_ms,
        latency_p99_ms,
        server_version,
    })
}

/// Nearest-rank percentile of ascending `sorted`; NaN when empty.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
