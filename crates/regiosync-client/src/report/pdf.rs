//! A report's HTML printed to PDF (A4, as the page's own `@page` rule says) by headless
//! Chromium: the `CHROMIUM` environment variable names the browser, else `chromium` on the
//! PATH (Debian's package `chromium`). Nothing is sent anywhere: the page is a local file with
//! no script and no external resource.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::said::{Tell, Text};

/// How long the browser may take to print one report.
const PRINT_TIME: Duration = Duration::from_secs(120);

/// The browser to print with.
pub fn browser() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(Text::new("err-pdf-no-chromium").into())
}

/// Print `html` to the PDF file `out`.
pub fn print(html: &str, out: &Path) -> Result<()> {
    let browser = browser()?;
    let dir = tempfile::tempdir().told(Text::new("err-pdf-tempdir"))?;
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).told_with(|| Text::new("err-writing").arg("path", page.display()))?;
    let target = std::path::absolute(out).told_with(|| Text::new("err-pdf-path").arg("path", out.display()))?;
    let mut child = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .told_with(|| Text::new("err-pdf-start").arg("browser", browser.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > PRINT_TIME {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Text::new("err-pdf-slow")
                .arg("browser", browser.display())
                .count("seconds", PRINT_TIME.as_secs())
                .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    let written = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    if !status.success() || written == 0 {
        return Err(Text::new("err-pdf-failed")
            .arg("browser", browser.display())
            .arg("path", target.display())
            .arg("status", status)
            .arg("message", stderr.lines().last().unwrap_or("-"))
            .into());
    }
    Ok(())
}
