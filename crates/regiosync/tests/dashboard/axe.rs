//! Accessibility: axe-core (from npm) run inside the rendered page on every view, at desktop
//! and at phone width, with a keyboard check beside it. The page's CSP admits only its own
//! origin's scripts, so a small proxy in the test serves the dashboard with two more script
//! tags in `index.html`: axe-core itself and `RUNNER`, which waits for the view to be drawn,
//! runs axe with the WCAG 2.1 A and AA rules and writes the result into the page as JSON
//! (`<pre id="axe-result">`), read back from `--dump-dom`. Nothing of this is in the product.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// axe-core's script: `$AXE_CORE_JS`, or where `tests/run.sh` installs it
/// (`target/npm/node_modules/axe-core/axe.min.js`).
pub fn axe_js() -> PathBuf {
    if let Some(p) = std::env::var_os("AXE_CORE_JS") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/npm/node_modules/axe-core/axe.min.js");
    assert!(
        p.is_file(),
        "axe-core is not installed: the accessibility test runs it in the page. Install it with \
         `npm install --prefix target/npm axe-core@4.14.1` (tests/run.sh does), or set AXE_CORE_JS=/path/to/axe.min.js"
    );
    p
}

/// Runs in the page after app.js: waits until the shown view has content and the status line
/// a time, then axe (WCAG 2.1 A + AA) and the keyboard check; writes `#axe-result`.
const RUNNER: &str = r#"'use strict';
(function () {
  function ready() {
    const s = document.getElementById('status');
    const v = document.querySelector('section.view:not([hidden]) .content');
    return s && /\d/.test(s.textContent) && v && v.children.length > 0;
  }
  function keyboard() {
    const all = [...document.querySelectorAll('a[href], button, select, summary, input, [tabindex]')]
      // What a person can see: shown, and not inside a closed <details> (its summary is).
      .filter((el) => el.getClientRects().length > 0 || el.classList.contains('skip'))
      .filter((el) => el.tagName === 'SUMMARY' || !el.closest('details:not([open])'));
    const unreachable = all.filter((el) => { el.focus(); return document.activeElement !== el; })
      .map((el) => el.outerHTML.slice(0, 120));
    const first = all[0] ? all[0].className : '';
    return { focusable: all.length, unreachable, first };
  }
  function go() {
    if (!ready()) return setTimeout(go, 50);
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => {
      const out = {
        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary) })),
        passes: r.passes.length,
        incomplete: r.incomplete.map((v) => v.id),
        keyboard: keyboard(),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      };
      const pre = document.createElement('pre');
      pre.id = 'axe-result';
      pre.textContent = JSON.stringify(out);
      document.body.append(pre);
    }, (e) => {
      const pre = document.createElement('pre');
      pre.id = 'axe-result';
      pre.textContent = JSON.stringify({ error: String(e) });
      document.body.append(pre);
    });
  }
  document.addEventListener('DOMContentLoaded', () => setTimeout(go, 0));
})();
"#;

/// A proxy in front of the dashboard at `upstream` (`http://127.0.0.1:PORT/`) that adds axe
/// and the runner to the page; returns its own base URL. Lives as long as the test process.
pub fn proxy(upstream: &str) -> String {
    let target = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
    let axe = std::fs::read(axe_js()).expect("axe-core's script");
    let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
    let base = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let (target, axe) = (target.clone(), axe.clone());
            std::thread::spawn(move || {
                let _ = serve(stream, &target, &axe);
            });
        }
    });
    base
}

fn serve(mut browser: TcpStream, target: &str, axe: &[u8]) -> std::io::Result<()> {
    let mut reader = BufReader::new(browser.try_clone()?);
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        head.push(line);
    }
    let Some(first) = head.first() else { return Ok(()) };
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = |browser: &mut TcpStream, kind: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        browser.write_all(head.as_bytes())?;
        browser.write_all(body)
    };
    match path.as_str() {
        "/axe.min.js" => return reply(&mut browser, "text/javascript", axe),
        "/axe-run.js" => return reply(&mut browser, "text/javascript", RUNNER.as_bytes()),
        _ => {}
    }
    // Forward, one request per connection, with the dashboard's own Host.
    let mut up = TcpStream::connect(target)?;
    let mut request = first.clone();
    for line in &head[1..] {
        let name = line.split(':').next().unwrap_or("").to_ascii_lowercase();
        if name != "host" && name != "connection" {
            request.push_str(line);
        }
    }
    request.push_str(&format!("Host: {target}\r\nConnection: close\r\n\r\n"));
    up.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    let index = path == "/" || path.starts_with("/?") || path.starts_with("/index.html");
    if !index {
        return browser.write_all(&response);
    }
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = body.replace(
        "</head>",
        "<script src=\"/axe.min.js\" defer></script><script src=\"/axe-run.js\" defer></script></head>",
    );
    let head: String = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    browser.write_all(format!("{head}Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
}

/// The axe result the runner wrote into `dom`, as JSON.
pub fn result(view: &str, dom: &str) -> serde_json::Value {
    let start = dom
        .find(r#"<pre id="axe-result">"#)
        .unwrap_or_else(|| panic!("#{view}: axe did not finish in the page\n--- page ---\n{dom}"));
    let rest = &dom[start + r#"<pre id="axe-result">"#.len()..];
    let json = &rest[..rest.find("</pre>").expect("the end of the axe result")];
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("#{view}: axe result {e}: {json}"))
}

/// axe-core and the keyboard check on every view, in Dutch and English, at desktop width and
/// at phone width (390 px): no WCAG 2.1 A or AA violation, every control reachable by
/// keyboard, the skip link first, and at phone width nothing wider than the screen. With
/// `AXE_REPORT=<file>` the results per view are also written there (for the closing note).
pub async fn every_view(browser: &Path, base: &str, requests: &super::assistance::Requests, evaluation: &str) {
    let proxied = proxy(base);
    let open = format!("assistance/{}", requests.open);
    let evaluation = format!("evaluation/{evaluation}");
    let views = [
        "map",
        "capacity",
        "coverage",
        "ratings",
        "history",
        "incontrol/VR01",
        "quality",
        open.as_str(),
        "agreement/VR01-VR02-water",
        "capacityreport/VR01",
        evaluation.as_str(),
    ];
    let mut report = Vec::new();
    for lang in ["nl", "en"] {
        for (width, height) in [(1400, 1000), (390, 844)] {
            for view in views {
                let url = format!("{proxied}?lang={lang}#{view}");
                let browser = browser.to_path_buf();
                let dom = tokio::task::spawn_blocking(move || {
                    super::browser::dump_dom_in(&browser, &url, None, (width, height), 30_000)
                })
                .await
                .expect("browser task");
                let what = format!("{view} ({lang}, {width} px)");
                let r = result(&what, &dom);
                assert!(r.get("error").is_none(), "#{what}: axe failed: {r}");
                let violations = r["violations"].as_array().cloned().unwrap_or_default();
                assert!(
                    violations.is_empty(),
                    "#{what}: WCAG 2.1 AA violations:\n{:#}",
                    r["violations"]
                );
                let k = &r["keyboard"];
                assert!(
                    k["unreachable"].as_array().is_some_and(|u| u.is_empty()),
                    "#{what}: controls the keyboard cannot reach: {k}"
                );
                assert_eq!(k["first"], "skip", "#{what}: the first stop is not the skip link: {k}");
                if width < 600 {
                    assert!(
                        r["overflow"].as_i64().unwrap_or(1) <= 0,
                        "#{what}: wider than the phone: {r}"
                    );
                }
                report.push(format!(
                    "{what}: {} violations, {} rules passed, incomplete {}, {} controls by keyboard",
                    violations.len(),
                    r["passes"],
                    r["incomplete"],
                    k["focusable"]
                ));
            }
        }
    }
    if let Some(file) = std::env::var_os("AXE_REPORT") {
        std::fs::write(file, report.join("\n") + "\n").expect("AXE_REPORT");
    }
}
