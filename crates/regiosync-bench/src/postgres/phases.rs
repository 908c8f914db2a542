//! The phases of a run on the started pair: waiting for the subscription's initial sync, checking that
//! its connection is TLS 1.3 with the right client certificate, and the timed throughput load.
use std::io::Write;
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};

use super::cluster::{log_tail, Cluster};
use super::session::{lock, Session};
use super::{QUERY_TIMEOUT, REPL_USER, SUBSCRIPTION};

/// How often the throughput phase looks at the subscriber.
const POLL: Duration = Duration::from_millis(20);
/// Longest wait for the initial table synchronisation of the subscription.
const SYNC_TIMEOUT: Duration = Duration::from_secs(90);

/// Pipes `script` into the publisher session and polls the subscriber until it holds rows
/// `1..=records`. Returns seconds from the first insert until then, and seconds until the publisher
/// session reported all its inserts committed (seen at poll granularity).
pub(super) fn throughput(
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
pub(super) fn wait_for_initial_sync(sub_s: &mut Session, publisher: &Cluster, subscriber: &Cluster) -> Result<()> {
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
pub(super) fn check_tls(pub_s: &mut Session) -> Result<()> {
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
