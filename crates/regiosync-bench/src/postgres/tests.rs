//! Tests of the PostgreSQL reference: the fast ones check the certificates, quoting and percentiles;
//! the `#[ignore]`d ones run real PostgreSQL 15 clusters.
use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;

use rcgen::KeyPair;

use super::sql::{conf_quote, conninfo_quote, payload_sql, sql_literal};
use super::tls::TlsMaterial;
use super::{percentile, run, run_with, PgOptions};

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
    assert!(
        openssl(&["version"], dir.path()).is_some_and(|o| o.status.success()),
        "no openssl command: the chain checks need it (tests/run.sh installs it)"
    );
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
