//! What an operator reads in a node's log when a peer goes away and comes back, with real
//! processes: NL and VR01, NL killed with SIGKILL and started again on its port. VR01 writes one
//! WARN naming NL and the cause when it loses NL (not one per retry), then one "still
//! unreachable" WARN per interval (shortened here through `REGIOSYNC_PEER_WARN_EVERY_SECS`), and
//! an INFO saying how long NL was down once it is back.
use std::time::{Duration, Instant};

use regiosync_replication::peer::PEER_WARN_EVERY_ENV;
use regiosync_testkit::{eventually_ok, vr};
use regiosync_types::NodeId;

use crate::check::Client;
use crate::nodes::Nodes;
use crate::workload::Person;

/// The shortened interval between "still unreachable" WARNs.
const WARN_EVERY_SECS: u64 = 2;
/// How long each step may take.
const PATIENCE: Duration = Duration::from_secs(10);
/// Retries VR01 must have made while NL is down (without a WARN each) before the count is checked.
const QUIET_RETRIES: usize = 3;

/// One line the peer loop logged about `peer`: its level, message and fields.
struct Line {
    level: String,
    message: String,
    text: String,
}

impl Line {
    /// A field's value, without the quotes `tracing` puts around strings.
    fn field(&self, name: &str) -> Option<String> {
        let at = self.text.find(&format!(" {name}="))? + name.len() + 2;
        let rest = &self.text[at..];
        Some(match rest.strip_prefix('"') {
            Some(quoted) => quoted[..quoted.find('"').unwrap_or(quoted.len())].to_string(),
            None => rest.split(' ').next().unwrap_or("").to_string(),
        })
    }

    fn secs(&self, name: &str) -> u64 {
        let v = self
            .field(name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.text));
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number in {:?}", self.text))
    }
}

/// The peer loop's lines about `peer` in `log` (the default `tracing` format:
/// `<time> <LEVEL> regiosync_replication::peer: <message> peer=<id> key=value ...`).
fn peer_lines(log: &str, peer: NodeId) -> Vec<Line> {
    const TARGET: &str = " regiosync_replication::peer: ";
    let tag = format!(" peer={peer}");
    log.lines()
        .filter_map(|l| {
            let (head, body) = l.split_once(TARGET)?;
            let fields = body.find(&tag)?;
            Some(Line {
                level: head.split_whitespace().last()?.to_string(),
                message: body[..fields].to_string(),
                text: l.to_string(),
            })
        })
        .collect()
}

fn count(lines: &[Line], level: &str, message: &str) -> usize {
    lines
        .iter()
        .filter(|l| l.level == level && l.message == message)
        .count()
}

fn show(lines: &[Line]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Whether `node` says its subscription at `peer` is up.
async fn connected(coordinator: &Person, nodes: &Nodes, node: NodeId, peer: NodeId) -> Result<(), String> {
    let mut c: Client = coordinator.connect(&nodes.url(node)).await?;
    let status = c
        .status(regiosync_node::pb::StatusRequest {})
        .await
        .map_err(|e| e.to_string())?
        .into_inner();
    match status.peers.iter().find(|p| p.peer == peer.to_string()) {
        Some(p) if p.connected => Ok(()),
        Some(p) => Err(format!("not connected: {}", p.last_error)),
        None => Err(format!("{peer} is not a peer of {node}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_peer_is_one_warn_then_one_per_interval_and_an_info_when_back() {
    let started = Instant::now();
    regiosync_node::tls::install_crypto_provider();
    let (nl, vr01) = (NodeId::NL, vr(1));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let every = WARN_EVERY_SECS.to_string();
    let env = [
        // The peer loop's DEBUG lines show every retry, so the test can count them.
        (
            "RUST_LOG",
            "info,regiosync::audit=warn,regiosync_replication::peer=debug",
        ),
        (PEER_WARN_EVERY_ENV, every.as_str()),
    ];
    let mut nodes = Nodes::start_with(dir.path(), &[nl, vr01], &env).await;
    let coordinator = Person::load(&nodes.pki(), "coordinator");
    eventually_ok("VR01 subscribed at NL", PATIENCE, || {
        connected(&coordinator, &nodes, vr01, nl)
    })
    .await;

    // From here on, only what VR01 logs after the kill counts.
    let from = nodes.log(vr01).len();
    let after_kill = |nodes: &Nodes| peer_lines(&String::from_utf8_lossy(&nodes.log(vr01).as_bytes()[from..]), nl);
    nodes.kill(nl);

    eventually_ok("VR01 warns that it lost NL", PATIENCE, || {
        let lines = after_kill(&nodes);
        async move {
            match lines.iter().find(|l| l.level == "WARN" && l.message == "peer lost") {
                Some(l) if l.field("cause").is_some_and(|c| !c.is_empty()) && l.field("last_heard").is_some() => Ok(()),
                Some(l) => Err(format!("a lost WARN without cause or last_heard: {}", l.text)),
                None => Err(format!("no lost WARN yet:\n{}", show(&lines))),
            }
        }
    })
    .await;

    // NL stays down: VR01 retries quietly and repeats the WARN once per interval.
    eventually_ok(
        "VR01 retries and warns again once the interval passed",
        PATIENCE,
        || {
            let lines = after_kill(&nodes);
            async move {
                let retries = count(&lines, "DEBUG", "peer still down; retrying");
                let still = count(&lines, "WARN", "peer still unreachable");
                if retries >= QUIET_RETRIES && still >= 1 {
                    Ok(())
                } else {
                    Err(format!(
                        "{retries} quiet retries, {still} still-unreachable WARNs:\n{}",
                        show(&lines)
                    ))
                }
            }
        },
    )
    .await;
    let lines = after_kill(&nodes);
    assert_eq!(
        count(&lines, "WARN", "peer lost"),
        1,
        "one lost WARN:\n{}",
        show(&lines)
    );
    let warns: Vec<&Line> = lines.iter().filter(|l| l.level == "WARN").collect();
    assert!(
        warns
            .iter()
            .all(|l| l.message == "peer lost" || l.message == "peer still unreachable"),
        "only lost and still-unreachable WARNs:\n{}",
        show(&lines)
    );
    let mut last = 0;
    for l in lines.iter().filter(|l| l.message == "peer still unreachable") {
        let down = l.secs("down_secs");
        assert!(
            down >= last + WARN_EVERY_SECS,
            "still-unreachable WARNs at least {WARN_EVERY_SECS}s apart:\n{}",
            show(&lines)
        );
        assert!(l.field("cause").is_some_and(|c| !c.is_empty()), "a cause: {}", l.text);
        assert!(l.field("down_for").is_some(), "a down_for: {}", l.text);
        last = down;
    }

    nodes.start_node(nl).await;
    eventually_ok("VR01 says NL is back", PATIENCE, || {
        let lines = after_kill(&nodes);
        async move {
            match lines.iter().find(|l| l.level == "INFO" && l.message == "peer back") {
                Some(l) if l.field("down_for").is_some() && l.secs("down_secs") >= last => Ok(()),
                Some(l) => Err(format!("a back INFO without a fitting down_for/down_secs: {}", l.text)),
                None => Err(format!("no back INFO yet:\n{}", show(&lines))),
            }
        }
    })
    .await;
    eventually_ok("VR01 subscribed at NL again", PATIENCE, || {
        connected(&coordinator, &nodes, vr01, nl)
    })
    .await;
    let lines = after_kill(&nodes);
    assert_eq!(
        count(&lines, "WARN", "peer lost"),
        1,
        "still one lost WARN:\n{}",
        show(&lines)
    );
    assert_eq!(
        count(&lines, "INFO", "peer back"),
        1,
        "one back INFO:\n{}",
        show(&lines)
    );
    let important: Vec<&Line> = lines.iter().filter(|l| l.level != "DEBUG").collect();
    println!(
        "peer_logs: {} lines at VR01 about NL after the kill, {} above DEBUG, in {:.1} s:",
        lines.len(),
        important.len(),
        started.elapsed().as_secs_f64()
    );
    for l in important {
        println!("  {}", l.text);
    }
}
