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
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType, PKCS_ECDSA_P256_SHA256,
};

/// Where Debian's postgresql-15 package puts its server binaries.
pub const BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
/// The database on both sides; the publisher's pg_hba line names it.
const DB: &str = "replication_db";
/// The replication role; the subscriber's client certificate carries it as CN.
const REPL_USER: &str = "repl";
/// The bootstrap superuser of both clusters (`initdb -U`), whatever OS user runs them.
const SUPERUSER: &str = "postgres";
const PUBLICATION: &str = "bench_pub";
const SUBSCRIPTION: &str = "bench_sub";
/// How often the throughput phase looks at the subscriber.
const POLL: Duration = Duration::from_millis(20);
/// Quiet time before each latency trial, so every trial starts from an idle system.
const IDLE_GAP: Duration = Duration::from_millis(20);
/// Longest wait for any single answer from a `psql` session.
const QUERY_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest wait for the initial table synchronisation of the subscription.
const SYNC_TIMEOUT: Duration = Duration::from_secs(90);
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

/// Pipes `script` into the publisher session and polls the subscriber until it holds rows
/// `1..=records`. Returns seconds from the first insert until then, and seconds until the publisher
/// session reported all its inserts committed (seen at poll granularity).
fn throughput(
    pub_s: &mut Session,
    sub_s: &mut Session,
    script: &str,
    loaded_mark: &str,
    records: u64,
    deadline: Duration,
) -> Result<(f64, f64)> {
    let pub_stderr = pub_s.stderr.clone();
    let pub_lines = &pub_s.lines;
    let pub_stdin = pub_s.stdin.as_mut().context("the publisher psql session is closed")?;
    let publisher_died = || {
        thread::sleep(Duration::from_millis(200));
        anyhow!(
            "the publisher psql session exited while inserting: {}",
            lock(&pub_stderr).trim()
        )
    };
    let check_publisher = |loaded: &mut Option<Instant>| -> Result<()> {
        loop {
            match pub_lines.try_recv() {
                Ok(line) if line == loaded_mark => *loaded = Some(Instant::now()),
                Ok(_) => {}
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::Disconnected) => return Err(publisher_died()),
            }
        }
    };
    let t0 = Instant::now();
    let (done, loaded) = thread::scope(|scope| -> Result<(Instant, Instant)> {
        let writer = scope.spawn(move || pub_stdin.write_all(script.as_bytes()).and_then(|()| pub_stdin.flush()));
        let mut loaded = None;
        // Phase 1: the highest id, one index probe per poll (rows are applied in commit order).
        let mut next = t0;
        let mut seen = 0i64;
        while seen < records as i64 {
            check_publisher(&mut loaded)?;
            ensure!(
                t0.elapsed() < deadline,
                "the subscriber holds ids up to {seen} of {records} after {:.1} s",
                t0.elapsed().as_secs_f64()
            );
            next += POLL;
            thread::sleep(next.saturating_duration_since(Instant::now()));
            seen = sub_s.query_one("SELECT coalesce(max(id), 0) FROM records")?.parse()?;
        }
        // Phase 2: confirm every row is there.
        let done = loop {
            let count: u64 = sub_s.query_one("SELECT count(*) FROM records WHERE id > 0")?.parse()?;
            if count >= records {
                break Instant::now();
            }
            ensure!(
                t0.elapsed() < deadline,
                "the subscriber holds {count} of {records} rows after {:.1} s",
                t0.elapsed().as_secs_f64()
            );
            thread::sleep(POLL);
        };
        match writer.join() {
            Ok(wrote) => wrote.context("writing the inserts to the publisher psql session")?,
            Err(_) => bail!("the thread writing the inserts panicked"),
        }
        check_publisher(&mut loaded)?;
        let loaded = match loaded {
            Some(at) => at,
            None => loop {
                match pub_lines.recv_timeout(QUERY_TIMEOUT) {
                    Ok(line) if line == loaded_mark => break Instant::now(),
                    Ok(_) => {}
                    Err(RecvTimeoutError::Timeout) => bail!("the publisher psql session did not finish its inserts"),
                    Err(RecvTimeoutError::Disconnected) => return Err(publisher_died()),
                }
            },
        };
        Ok((done, loaded))
    })?;
    Ok(((done - t0).as_secs_f64(), (loaded - t0).as_secs_f64()))
}

/// Waits until the subscription's only table is `ready` and its apply worker runs.
fn wait_for_initial_sync(sub_s: &mut Session, publisher: &Cluster, subscriber: &Cluster) -> Result<()> {
    let t0 = Instant::now();
    let sql = format!(
        "SELECT (SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'), \
                (SELECT count(*) FROM pg_subscription_rel), \
                (SELECT count(*) FROM pg_stat_subscription \
                  WHERE subname = '{SUBSCRIPTION}' AND relid IS NULL AND pid IS NOT NULL)"
    );
    loop {
        let state = sub_s.query_one(&sql)?;
        if state == "0|1|1" {
            tracing::debug!(seconds = t0.elapsed().as_secs_f64(), "initial sync done");
            return Ok(());
        }
        if t0.elapsed() > SYNC_TIMEOUT {
            bail!(
                "the subscription's initial sync did not finish within {SYNC_TIMEOUT:?} \
                 (tables not ready | tables | apply workers = {state})\n\
                 publisher log:\n{}\nsubscriber log:\n{}",
                log_tail(&publisher.log, 15),
                log_tail(&subscriber.log, 15)
            );
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Checks at the publisher that the subscription's walsender came in over TLS 1.3 with the `repl`
/// client certificate.
fn check_tls(pub_s: &mut Session) -> Result<()> {
    let rows = pub_s.query(&format!(
        "SELECT s.ssl, s.version, s.client_dn FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) \
         WHERE r.usename = '{REPL_USER}'"
    ))?;
    ensure!(
        !rows.is_empty(),
        "no replication connection from {REPL_USER} at the publisher"
    );
    for row in &rows {
        let fields: Vec<&str> = row.split('|').collect();
        ensure!(
            matches!(fields.as_slice(), ["t", "TLSv1.3", dn] if dn.ends_with(&format!("CN={REPL_USER}"))),
            "the replication connection is not TLS 1.3 with the {REPL_USER} certificate \
             (ssl | version | client_dn = {row})"
        );
    }
    Ok(())
}

/// The SQL expression for the payload of the row whose id is `id_expr`: hex of `md5(id)` repeated
/// and cut to `bytes` (PostgreSQL does not compress values this small, and the text differs per row).
fn payload_sql(id_expr: &str, bytes: usize) -> String {
    if bytes == 0 {
        return "''".into();
    }
    format!("left(repeat(md5(({id_expr})::text), {}), {bytes})", bytes.div_ceil(32))
}

/// Nearest-rank percentile of ascending `sorted`; NaN when empty.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A value in postgresql.conf.
fn conf_quote(path: &Path) -> String {
    format!(
        "'{}'",
        path.display().to_string().replace('\\', "\\\\").replace('\'', "''")
    )
}

/// A value in a libpq connection string.
fn conninfo_quote(value: &str) -> String {
    if !value.is_empty() && !value.chars().any(|c| c.is_whitespace() || c == '\'' || c == '\\') {
        return value.into();
    }
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// An SQL string literal (standard_conforming_strings is on).
fn sql_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The throwaway PKI: a CA, the publisher's server certificate and the subscriber's client
/// certificate, all ECDSA P-256, PEM (keys PKCS#8).
struct TlsMaterial {
    ca_cert: String,
    server_cert: String,
    server_key: String,
    client_cert: String,
    client_key: String,
}

impl TlsMaterial {
    /// Server certificate for `localhost` and 127.0.0.1; client certificate with CN `client_cn`
    /// (PostgreSQL's `cert` method takes the CN as the user name).
    fn generate(client_cn: &str) -> Result<TlsMaterial> {
        let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut ca = cert_params("regiosync-bench throwaway CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key)?.pem();
        let issuer = Issuer::new(ca, ca_key);

        let mut server = cert_params("localhost");
        server.subject_alt_names = vec![
            SanType::DnsName("localhost".try_into()?),
            SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let server_cert = server.signed_by(&server_key, &issuer)?.pem();

        let mut client = cert_params(client_cn);
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let client_cert = client.signed_by(&client_key, &issuer)?.pem();

        Ok(TlsMaterial {
            ca_cert,
            server_cert,
            server_key: server_key.serialize_pem(),
            client_cert,
            client_key: client_key.serialize_pem(),
        })
    }
}

fn cert_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "regiosync-bench");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2100, 1, 1);
    params
}

/// The OS user that runs the servers (and owns their files) when we are root.
#[derive(Clone, Debug)]
struct OsUser {
    name: String,
    uid: u32,
    gid: u32,
}

impl OsUser {
    fn lookup(name: &str) -> Result<OsUser> {
        let id = |flag: &str| -> Result<u32> {
            let out = run_checked(Command::new("id").args([flag, name]), &format!("id {flag} {name}"))?;
            Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
        };
        Ok(OsUser {
            name: name.into(),
            uid: id("-u")?,
            gid: id("-g")?,
        })
    }
}

/// Where and as whom the PostgreSQL programs run.
#[derive(Clone, Debug)]
struct Host {
    bin: PathBuf,
    work: PathBuf,
    /// `None`: the servers run as the calling user.
    server_user: Option<OsUser>,
}

impl Host {
    fn new(bin: PathBuf, work: PathBuf) -> Result<Host> {
        let server_user = if effective_uid()? == 0 {
            Some(
                OsUser::lookup("postgres")
                    .context("PostgreSQL refuses to run as root and there is no `postgres` user to run it as")?,
            )
        } else {
            None
        };
        let host = Host { bin, work, server_user };
        if let Some(user) = &host.server_user {
            std::os::unix::fs::chown(&host.work, Some(user.uid), Some(user.gid))
                .with_context(|| format!("chown {} to {}", host.work.display(), user.name))?;
            let mut probe = host.as_server_user(Path::new("test"));
            probe.arg("-w").arg(&host.work).args(["-a", "-x"]).arg(&host.work);
            let reachable = probe.status().is_ok_and(|s| s.success());
            ensure!(
                reachable,
                "the {} user cannot write to the work directory {} (a parent directory is closed to it?); \
                 use a work directory under /tmp",
                user.name,
                host.work.display()
            );
        }
        Ok(host)
    }

    /// `program` from the PostgreSQL bin directory, run as the server user.
    fn server_cmd(&self, program: &str) -> Command {
        self.as_server_user(&self.bin.join(program))
    }

    fn as_server_user(&self, exe: &Path) -> Command {
        let mut cmd = match &self.server_user {
            None => Command::new(exe),
            Some(user) => {
                let mut cmd = Command::new("setpriv");
                cmd.arg(format!("--reuid={}", user.uid))
                    .arg(format!("--regid={}", user.gid))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(exe);
                cmd
            }
        };
        // The servers' libpq (the subscription's connections) must not look into root's home.
        cmd.env("HOME", &self.work);
        self.prepare(&mut cmd);
        cmd
    }

    /// `program` from the PostgreSQL bin directory, run as the calling user.
    fn client_cmd(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        self.prepare(&mut cmd);
        cmd
    }

    fn prepare(&self, cmd: &mut Command) {
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PG") {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(&self.work).stdin(Stdio::null());
    }

    /// Sets `mode` and gives `path` to the server user.
    fn hand_over(&self, path: &Path, mode: u32) -> Result<()> {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .with_context(|| format!("chmod {mode:o} {}", path.display()))?;
        if let Some(user) = &self.server_user {
            std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))
                .with_context(|| format!("chown {} to {}", path.display(), user.name))?;
        }
        Ok(())
    }

    fn write_file(&self, path: &Path, contents: &str, mode: u32) -> Result<PathBuf> {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(path)
            .and_then(|mut file| file.write_all(contents.as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?;
        self.hand_over(path, mode)?;
        Ok(path.to_path_buf())
    }
}

/// One PostgreSQL cluster in the work directory; stopped (`pg_ctl stop -m fast`) when dropped.
struct Cluster {
    host: Host,
    name: &'static str,
    data: PathBuf,
    log: PathBuf,
    sock: PathBuf,
    port: u16,
}

impl Cluster {
    /// `initdb`, then `conf` appended to postgresql.conf and `hba` as pg_hba.conf.
    fn init(host: &Host, name: &'static str, sock: &Path, conf: &[String], hba: &str) -> Result<Cluster> {
        let data = host.work.join(name);
        run_checked(
            host.server_cmd("initdb").arg("-D").arg(&data).args([
                "-U",
                SUPERUSER,
                "--encoding=UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=reject",
                "--no-sync",
                "--no-instructions",
            ]),
            &format!("initdb of the {name} cluster"),
        )?;
        let conf_path = data.join("postgresql.conf");
        let mut text = String::from("\n# regiosync-bench\n");
        for line in conf {
            writeln!(text, "{line}")?;
        }
        fs::OpenOptions::new()
            .append(true)
            .open(&conf_path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .with_context(|| format!("appending to {}", conf_path.display()))?;
        let hba_path = data.join("pg_hba.conf");
        fs::write(&hba_path, hba).with_context(|| format!("writing {}", hba_path.display()))?;
        Ok(Cluster {
            host: host.clone(),
            name,
            data,
            log: host.work.join(format!("{name}.log")),
            sock: sock.to_path_buf(),
            port: 0,
        })
    }

    /// `pg_ctl start` on a free loopback port (retried on another port if that one got taken).
    fn start(&mut self) -> Result<()> {
        const ATTEMPTS: usize = 3;
        for attempt in 1..=ATTEMPTS {
            let port = free_port()?;
            let out = self
                .host
                .server_cmd("pg_ctl")
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(&self.log)
                .args(["-w", "-t", "120", "-o", &format!("-p {port}"), "start"])
                .output()
                .with_context(|| format!("running pg_ctl start for the {} cluster", self.name))?;
            if out.status.success() {
                self.port = port;
                tracing::info!(cluster = self.name, port, "started");
                return Ok(());
            }
            let tail = log_tail(&self.log, 20);
            if attempt < ATTEMPTS && tail.contains("Address already in use") {
                continue;
            }
            bail!(
                "starting the {} cluster on port {port} failed ({}): {}\nlast lines of {}:\n{tail}",
                self.name,
                out.status,
                String::from_utf8_lossy(&out.stderr).trim(),
                self.log.display()
            );
        }
        unreachable!("the last attempt returns")
    }

    fn running(&self) -> bool {
        self.data.join("postmaster.pid").exists()
    }

    fn stop(&mut self) -> Result<()> {
        if self.running() {
            run_checked(
                self.host
                    .server_cmd("pg_ctl")
                    .arg("-D")
                    .arg(&self.data)
                    .args(["-m", "fast", "-w", "-t", "60", "stop"]),
                &format!("stopping the {} cluster", self.name),
            )?;
        }
        Ok(())
    }

    fn conn_args(&self, db: &str) -> Vec<String> {
        let sock = self.sock.display().to_string();
        let port = self.port.to_string();
        ["-h", &sock, "-p", &port, "-U", SUPERUSER, "-d", db]
            .map(String::from)
            .to_vec()
    }

    /// Runs `statements` one by one (each its own transaction) with a one-off psql.
    fn psql(&self, db: &str, statements: &[&str]) -> Result<String> {
        let mut cmd = self.host.client_cmd("psql");
        cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(self.conn_args(db));
        for statement in statements {
            cmd.arg("-c").arg(statement);
        }
        let out = run_checked(
            &mut cmd,
            &format!("psql on the {} cluster ({db}): {}", self.name, statements.join("; ")),
        )?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("regiosync-bench: {e:#}; trying an immediate shutdown");
            let _ = self
                .host
                .server_cmd("pg_ctl")
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "immediate", "-w", "-t", "30", "stop"])
                .output();
        }
    }
}

/// A long-lived `psql` (unaligned, tuples only) with piped stdin and stdout: each query is written
/// followed by an `\echo` marker, and the answer is the lines before the marker.
struct Session {
    what: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<JoinHandle<()>>,
    marks: u64,
}

impl Session {
    fn open(cluster: &Cluster, db: &str) -> Result<Session> {
        let what = format!("the {} psql session", cluster.name);
        let mut child = cluster
            .host
            .client_cmd("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(cluster.conn_args(db))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {what}"))?;
        let stdout = child.stdout.take().context("psql stdout")?;
        let mut stderr = child.stderr.take().context("psql stderr")?;
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let errors = Arc::new(Mutex::new(String::new()));
        let sink = errors.clone();
        let stderr_reader = thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                lock(&sink).push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let mut session = Session {
            what,
            stdin: child.stdin.take(),
            child,
            lines,
            stderr: errors,
            stderr_reader: Some(stderr_reader),
            marks: 0,
        };
        session.query_one("SELECT 1")?;
        Ok(session)
    }

    /// The lines `sql` printed.
    fn query(&mut self, sql: &str) -> Result<Vec<String>> {
        self.marks += 1;
        let mark = format!("__regiosync_bench_mark_{}__", self.marks);
        let sql = sql.trim().trim_end_matches(';');
        let text = format!("{sql};\n\\echo {mark}\n");
        let sent = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(text.as_bytes()).and_then(|()| stdin.flush()),
            None => bail!("{} is closed", self.what),
        };
        if let Err(e) = sent {
            return Err(self.died(&format!("taking `{sql}` ({e})")));
        }
        let deadline = Instant::now() + QUERY_TIMEOUT;
        let mut rows = Vec::new();
        loop {
            match self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if line == mark => return Ok(rows),
                Ok(line) => rows.push(line),
                Err(RecvTimeoutError::Timeout) => {
                    bail!("{}: no answer to `{sql}` within {QUERY_TIMEOUT:?}", self.what)
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.died(&format!("running `{sql}`"))),
            }
        }
    }

    /// The one line `sql` printed.
    fn query_one(&mut self, sql: &str) -> Result<String> {
        let mut rows = self.query(sql)?;
        ensure!(
            rows.len() == 1,
            "{}: `{sql}` printed {} lines, expected 1: {rows:?}",
            self.what,
            rows.len()
        );
        Ok(rows.remove(0))
    }

    /// The error for a session whose psql exited: its exit status and stderr.
    fn died(&mut self, doing: &str) -> anyhow::Error {
        let status = wait_briefly(&mut self.child, Duration::from_secs(5));
        if status.is_some() {
            if let Some(reader) = self.stderr_reader.take() {
                let _ = reader.join();
            }
        }
        let status = status.map_or("still running".to_string(), |s| s.to_string());
        anyhow!(
            "{} failed {doing} (psql {status}): {}",
            self.what,
            lock(&self.stderr).trim()
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if wait_briefly(&mut self.child, Duration::from_secs(5)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn wait_briefly(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            _ => return None,
        }
    }
}

fn lock(text: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    text.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding 127.0.0.1:0 to find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn effective_uid() -> Result<u32> {
    let status = fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .context("no effective uid in /proc/self/status")?
        .parse()
        .context("parsing the effective uid")
}

/// Runs `cmd`, failing with `what`, its exit status and its stderr (or stdout) when it fails.
fn run_checked(cmd: &mut Command, what: &str) -> Result<Output> {
    let out = cmd
        .output()
        .with_context(|| format!("{what}: could not run {:?}", cmd.get_program()))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let detail = if stderr.trim().is_empty() {
            String::from_utf8_lossy(&out.stdout).into_owned()
        } else {
            stderr.into_owned()
        };
        bail!("{what} failed ({}): {}", out.status, detail.trim());
    }
    Ok(out)
}

/// The last `n` lines of a server log.
fn log_tail(path: &Path, n: usize) -> String {
    match fs::read_to_string(path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The PostgreSQL tests share two cores; run them one at a time so the numbers mean something.
    static PG: Mutex<()> = Mutex::new(());

    fn openssl(args: &[&str], dir: &Path) -> Option<Output> {
        Command::new("openssl").args(args).current_dir(dir).output().ok()
    }

    #[test]
    fn tls_material_chains_to_the_ca_with_the_right_names() {
        let tls = TlsMaterial::generate("repl").unwrap();
        for cert in [&tls.ca_cert, &tls.server_cert, &tls.client_cert] {
            assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"), "{cert}");
        }
        for key in [&tls.server_key, &tls.client_key] {
            assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
            KeyPair::from_pem(key).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        if openssl(&["version"], dir.path()).is_none_or(|o| !o.status.success()) {
            eprintln!("no openssl command: skipping the chain checks");
            return;
        }
        for (name, pem) in [
            ("ca.crt", &tls.ca_cert),
            ("server.crt", &tls.server_cert),
            ("client.crt", &tls.client_cert),
        ] {
            fs::write(dir.path().join(name), pem).unwrap();
        }
        let verify = |purpose: &str, cert: &str| {
            let out = openssl(&["verify", "-CAfile", "ca.crt", "-purpose", purpose, cert], dir.path()).unwrap();
            out.status.success()
        };
        assert!(verify("sslserver", "server.crt"));
        assert!(verify("sslclient", "client.crt"));
        assert!(
            !verify("sslserver", "client.crt"),
            "the client certificate must not serve"
        );
        let text = |args: &[&str]| String::from_utf8(openssl(args, dir.path()).unwrap().stdout).unwrap();
        let subject = text(&["x509", "-in", "client.crt", "-noout", "-subject"]);
        assert!(
            subject.contains("CN = repl") || subject.contains("CN=repl"),
            "{subject}"
        );
        let sans = text(&["x509", "-in", "server.crt", "-noout", "-ext", "subjectAltName"]);
        assert!(
            sans.contains("DNS:localhost") && sans.contains("IP Address:127.0.0.1"),
            "{sans}"
        );
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let samples: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&samples, 50.0), 10.0);
        assert_eq!(percentile(&samples, 99.0), 20.0);
        assert_eq!(percentile(&[3.0], 99.0), 3.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn values_are_quoted_for_conf_conninfo_and_sql() {
        assert_eq!(conninfo_quote("/tmp/x/ca.crt"), "/tmp/x/ca.crt");
        assert_eq!(conninfo_quote("/tmp/a b/it's\\"), r"'/tmp/a b/it\'s\\'");
        assert_eq!(conninfo_quote(""), "''");
        assert_eq!(sql_literal("host='a b'"), "'host=''a b'''");
        assert_eq!(conf_quote(Path::new("/tmp/it's")), "'/tmp/it''s'");
    }

    #[test]
    fn payload_expression_covers_the_size() {
        assert_eq!(payload_sql("g", 300), "left(repeat(md5((g)::text), 10), 300)");
        assert_eq!(payload_sql("g", 32), "left(repeat(md5((g)::text), 1), 32)");
        assert_eq!(payload_sql("g", 0), "''");
    }

    fn assert_stopped(work: &Path) {
        for name in ["publisher", "subscriber"] {
            let pid = work.join(name).join("postmaster.pid");
            assert!(!pid.exists(), "{} is still there", pid.display());
        }
    }

    /// `REGIOSYNC_BENCH_PG_RECORDS` overrides the 20,000 records.
    #[test]
    #[ignore = "slow; needs PostgreSQL 15"]
    fn replicates_records_over_verified_mtls() {
        let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
        let records = std::env::var("REGIOSYNC_BENCH_PG_RECORDS").map_or(20_000, |v| v.parse().unwrap());
        let opts = PgOptions {
            records,
            record_bytes: 300,
            tx_rows: 1_000,
            latency_trials: 20,
        };
        let work = tempfile::tempdir().unwrap();
        let result = run(&opts, work.path()).unwrap();
        eprintln!("{}", serde_json::to_string_pretty(&result).unwrap());
        assert_stopped(work.path());
        assert_eq!(result.records, records);
        assert!(result.seconds > 0.0 && result.records_per_sec > 0.0);
        assert!(result.latency_p50_ms > 0.0 && result.latency_p99_ms >= result.latency_p50_ms);
        assert!(result.server_version.starts_with("15."), "{}", result.server_version);
    }

    #[test]
    #[ignore = "slow; needs PostgreSQL 15"]
    fn a_client_certificate_for_another_user_is_refused_and_the_clusters_stop() {
        let _one_at_a_time = PG.lock().unwrap_or_else(|p| p.into_inner());
        let work = tempfile::tempdir().unwrap();
        let err = run_with(&PgOptions::default(), work.path(), "intruder").unwrap_err();
        let message = format!("{err:#}");
        eprintln!("{message}");
        assert!(message.contains("certificate authentication failed"), "{message}");
        assert!(message.contains("CREATE SUBSCRIPTION"), "{message}");
        assert_stopped(work.path());
    }
}
