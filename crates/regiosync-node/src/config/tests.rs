use super::*;

#[test]
fn the_metrics_listener_is_loopback_only() {
    assert_eq!(metrics_listen("127.0.0.1:9464").unwrap().port(), 9464);
    assert!(metrics_listen("[::1]:9464").is_ok());
    let e = metrics_listen("0.0.0.0:9464").unwrap_err();
    assert!(e.contains("not a loopback address"), "{e}");
    assert!(metrics_listen("192.168.1.5:9464").is_err());
    assert!(metrics_listen("localhost:9464")
        .unwrap_err()
        .contains("'localhost:9464'"));
}

/// The annotated examples the README starts nodes with, and the one the Debian package
/// installs, use only keys this build reads.
#[test]
fn the_example_configurations_parse() {
    for name in [
        "config/nl.toml",
        "config/vr01.toml",
        "config/vr02.toml",
        "packaging/debian/node.toml",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(file.version, CONFIG_VERSION, "{name}");
        assert_eq!(file.connections.idle_secs, 90, "{name}");
        assert!(
            metrics_listen(file.metrics.listen.as_deref().unwrap()).is_ok(),
            "{name}"
        );
        assert_eq!(file.audit.anchor_secs, 300, "{name}");
    }
}

fn problems_of(text: &str) -> Vec<Problem> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("regiosync-config-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("node.toml");
    std::fs::write(&path, text).unwrap();
    let problems = NodeConfig::read(&path).err().unwrap_or_default();
    std::fs::remove_dir_all(&dir).unwrap();
    problems
}

const GOOD: &str = "version = 1\nnode = \"VR01\"\nlisten = \"127.0.0.1:0\"\ndata_dir = \"data\"\n\n[tls]\nca = \"ca.pem\"\ncert = \"vr01.pem\"\nkey = \"vr01.key\"\n\n[storage]\ncache_mib = 16\n";

/// A value of the wrong type names its key and the line and column of the value (it named
/// neither: `invalid type: string "16", expected u64`).
#[test]
fn a_type_error_names_the_key_and_the_line() {
    let text = GOOD.replace("cache_mib = 16", "cache_mib = \"16\"");
    let p = problems_of(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].key.as_deref(), Some("storage.cache_mib"), "{}", p[0]);
    assert_eq!(p[0].at, Some(Position { line: 12, column: 13 }), "{}", p[0]);
    assert!(
        p[0].message.contains("invalid type: string \"16\", expected u64"),
        "{}",
        p[0]
    );
    assert!(
        p[0].to_string()
            .contains("node.toml:12:13: storage.cache_mib: invalid type"),
        "{}",
        p[0]
    );
    let text = GOOD.replace("listen = \"127.0.0.1:0\"", "listen = 16");
    let p = problems_of(&text);
    assert_eq!(
        (p[0].key.as_deref(), p[0].at.map(|a| a.line)),
        (Some("listen"), Some(3)),
        "{}",
        p[0]
    );
    // In an array of tables, the index is part of the key.
    let text = format!("{GOOD}\n[[peers]]\nid = \"NL\"\naddress = 7100\n");
    let p = problems_of(&text);
    assert_eq!(
        (p[0].key.as_deref(), p[0].at.map(|a| a.line)),
        (Some("peers[0].address"), Some(16)),
        "{}",
        p[0]
    );
    // A key this build does not read, and one that is missing.
    let p = problems_of(&GOOD.replace("[storage]", "[storage]\ncache_mb = 1"));
    assert!(
        p[0].message.contains("unknown field `cache_mb`") && p[0].at.map(|a| a.line) == Some(12),
        "{}",
        p[0]
    );
    let p = problems_of(&GOOD.replace("listen = \"127.0.0.1:0\"\n", ""));
    assert!(p[0].message.contains("missing field `listen`"), "{}", p[0]);
}

/// Every problem is found, not just the first, each with its key and line.
#[test]
fn every_problem_is_listed_with_key_and_line() {
    let text = GOOD
        .replace("node = \"VR01\"", "node = \"VR99\"")
        .replace("127.0.0.1:0", "localhost")
        + "\n[[peers]]\nid = \"VR01\"\naddress = \"http://x\"\n\n[[peers]]\nid = \"VR02\"\naddress = \"https://host:port\"\n";
    let p = problems_of(&text);
    let found: Vec<(Option<&str>, Option<usize>)> =
        p.iter().map(|p| (p.key.as_deref(), p.at.map(|a| a.line))).collect();
    for want in [
        (Some("node"), Some(2)),
        (Some("listen"), Some(3)),
        (Some("tls.ca"), Some(7)),
        (Some("tls.cert"), Some(8)),
        (Some("tls.key"), Some(9)),
        (Some("peers[0].address"), Some(16)),
        (Some("peers[1].address"), Some(20)),
    ] {
        assert!(
            found.contains(&want),
            "{want:?} not among {found:?}:\n{}",
            p.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
        );
    }
    let address = |a: &str| {
        let p = problems_of(&format!("{GOOD}\n[[peers]]\nid = \"NL\"\naddress = \"{a}\"\n"));
        p.iter()
            .find(|p| p.key.as_deref() == Some("peers[0].address"))
            .map(|p| p.message.clone())
    };
    assert_eq!(address("https://nl.example:7100"), None);
    assert_eq!(address("https://[::1]:7100"), None);
    assert_eq!(
        address("https://nl.example").as_deref(),
        Some("'https://nl.example' names no port, as in https://host:7100")
    );
    assert!(address("https://nl.example:0").is_some_and(|m| m.contains("no valid port")));
    assert!(address("https://host:port").is_some(), "a port that is not a number");
}
