//! The PostgreSQL processes: the OS user and host they run as, each throwaway [`Cluster`] (`initdb`,
//! start, stop, one-off `psql`, stopped by its guard when dropped), and small process helpers.
use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::{bail, ensure, Context, Result};

/// The bootstrap superuser of both clusters (`initdb -U`), whatever OS user runs them.
const SUPERUSER: &str = "postgres";

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
pub(super) struct Host {
    bin: PathBuf,
    work: PathBuf,
    /// `None`: the servers run as the calling user.
    server_user: Option<OsUser>,
}

impl Host {
    pub(super) fn new(bin: PathBuf, work: PathBuf) -> Result<Host> {
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
    pub(super) fn client_cmd(&self, program: &str) -> Command {
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
    pub(super) fn hand_over(&self, path: &Path, mode: u32) -> Result<()> {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .with_context(|| format!("chmod {mode:o} {}", path.display()))?;
        if let Some(user) = &self.server_user {
            std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))
                .with_context(|| format!("chown {} to {}", path.display(), user.name))?;
        }
        Ok(())
    }

    pub(super) fn write_file(&self, path: &Path, contents: &str, mode: u32) -> Result<PathBuf> {
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
pub(super) struct Cluster {
    pub(super) host: Host,
    pub(super) name: &'static str,
    data: PathBuf,
    pub(super) log: PathBuf,
    sock: PathBuf,
    pub(super) port: u16,
}

impl Cluster {
    /// `initdb`, then `conf` appended to postgresql.conf and `hba` as pg_hba.conf.
    pub(super) fn init(host: &Host, name: &'static str, sock: &Path, conf: &[String], hba: &str) -> Result<Cluster> {
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
    pub(super) fn start(&mut self) -> Result<()> {
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

    pub(super) fn stop(&mut self) -> Result<()> {
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

    pub(super) fn conn_args(&self, db: &str) -> Vec<String> {
        let sock = self.sock.display().to_string();
        let port = self.port.to_string();
        ["-h", &sock, "-p", &port, "-U", SUPERUSER, "-d", db]
            .map(String::from)
            .to_vec()
    }

    /// Runs `statements` one by one (each its own transaction) with a one-off psql.
    pub(super) fn psql(&self, db: &str, statements: &[&str]) -> Result<String> {
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

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding 127.0.0.1:0 to find a free port")?;
    Ok(listener.local_addr()?.port())
}

pub(super) fn effective_uid() -> Result<u32> {
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
pub(super) fn run_checked(cmd: &mut Command, what: &str) -> Result<Output> {
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
pub(super) fn log_tail(path: &Path, n: usize) -> String {
    match fs::read_to_string(path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(n)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}
