//! A real headless browser (Debian's `chromium`) and the `regiosync dashboard` process under
//! test. Chromium is required: without it the tests fail and say how to install it.
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one browser run may take before it is killed.
const BROWSER_PATIENCE: Duration = Duration::from_secs(90);

/// The browser: `$CHROMIUM`, or `chromium` / `chromium-browser` on the PATH.
pub fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "CHROMIUM={}: no such file", p.display());
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "chromium is not installed: the dashboard tests render the page in a real headless browser. \
         Install it with `apt-get install -y --no-install-recommends chromium` (.ci/run does), or set \
         CHROMIUM=/path/to/chromium"
    );
}

/// Load `url` headless, let its scripts run (virtual time, so fetches complete), and return the
/// DOM as HTML. With `screenshot`, also save a 1400×1000 PNG there.
pub fn dump_dom(browser: &Path, url: &str, screenshot: Option<&Path>) -> String {
    dump_dom_in(browser, url, screenshot, (1400, 1000), 5000)
}

/// The same in a window of `size` (width, height) with `budget_ms` of virtual time.
pub fn dump_dom_in(browser: &Path, url: &str, screenshot: Option<&Path>, size: (u32, u32), budget_ms: u32) -> String {
    let profile = tempfile::tempdir().expect("browser profile folder");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--window-size={},{}", size.0, size.1))
    .arg(format!("--virtual-time-budget={budget_ms}"))
    .arg(format!("--user-data-dir={}", profile.path().display()));
    match screenshot {
        Some(png) => cmd.arg(format!("--screenshot={}", png.display())),
        None => cmd.arg("--dump-dom"),
    };
    cmd.arg(url).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", browser.display()));
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + BROWSER_PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the browser") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{} did not finish {url} within {BROWSER_PATIENCE:?}", browser.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    assert!(status.success(), "{} {url}: {status}\n{err}", browser.display());
    out
}

/// A running `regiosync dashboard`, killed when dropped.
pub struct Dashboard {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `regiosync dashboard --listen 127.0.0.1:0` against `node` with the PEM files in `dir`
/// (`ca.pem`, `<who>.pem`, `<who>.key`) and wait for the address it prints.
pub fn start_dashboard(node: &str, dir: &Path, who: &str) -> Dashboard {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regiosync"))
        .args([
            "dashboard",
            "--listen",
            "127.0.0.1:0",
            "--refresh-secs",
            "3600",
            "--node",
            node,
        ])
        .arg("--ca")
        .arg(dir.join("ca.pem"))
        .arg("--cert")
        .arg(dir.join(format!("{who}.pem")))
        .arg("--key")
        .arg(dir.join(format!("{who}.key")))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting regiosync dashboard");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut dashboard = Dashboard {
        child,
        url: String::new(),
    };
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("regiosync dashboard printed no address within 30 s");
    let url = line
        .strip_prefix("dashboard: ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("unexpected first line from regiosync dashboard: {line}"));
    dashboard.url = url.to_string();
    dashboard
}

/// GET `path` from the dashboard at `base` (`http://127.0.0.1:PORT/`): the body.
pub fn http_get(base: &str, path: &str) -> String {
    use std::io::Write;
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(host).expect("the dashboard");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).expect("the answer");
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or(out)
}
