//! The commands that need no node in Dutch by default: `pki` says what it wrote and refuses in
//! Dutch, `restore` refuses a data folder that already holds a store, `node --check` closes with
//! how many problems it found and `audit verify` with how many the trail has (the lines of the
//! check and of the audit report are the node crate's, in English, between them); with
//! `--lang en` the same refusal is the English it always was.
use std::path::Path;
use std::process::Output;

use regiosync_testkit::vr;
use regiosync_trust::Identity;

use crate::{ok, regiosync_in, stderr, stdout};

/// `regiosync <args>` in `cwd` with no language given (Dutch), or in `lang`.
async fn run(lang: Option<&'static str>, args: &[&str], cwd: &Path) -> Output {
    regiosync_in(
        lang,
        args.iter().map(|s| s.to_string()).collect(),
        Some(cwd.to_path_buf()),
    )
    .await
}

/// A run that failed with exit code 1; its stderr.
fn failed(o: &Output, what: &str) -> String {
    assert_eq!(o.status.code(), Some(1), "{what}: {o:?}");
    stderr(o)
}

/// A dev PKI in `cwd/pki` and a configuration for VR01 over it in `cwd/<name>`, whose `listen`
/// is `listen` (data in `cwd/data/vr01`).
async fn pki_and_config(cwd: &Path, name: &str, listen: &str) -> String {
    if !cwd.join("pki/ca.pem").exists() {
        ok(&run(None, &["pki", "init"], cwd).await, "pki init");
    }
    let toml = format!(
        "version = 1\nnode = \"VR01\"\nlisten = \"{listen}\"\ndata_dir = \"data/vr01\"\n\n\
         [tls]\nca = \"pki/ca.pem\"\ncert = \"pki/nodes/vr01.pem\"\nkey = \"pki/nodes/vr01.key\"\n\
         crl = \"pki/crl.pem\"\n\n[storage]\ncache_mib = 8\n"
    );
    std::fs::write(cwd.join(name), toml).unwrap();
    name.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pki_init_lists_what_it_wrote_in_dutch() {
    let cwd = tempfile::tempdir().unwrap();
    let said = ok(
        &run(None, &["pki", "init", "--out", "fed"], cwd.path()).await,
        "pki init",
    );
    assert_eq!(
        said,
        "ontwikkel-PKI voor een federatie geschreven in fed:\n\
         \x20 ca.pem, ca.key                      CA van de federatie (houd ca.key geheim)\n\
         \x20 nodes/nl.pem, nodes/vr01.pem, ...   certificaten van de nodes (+ .key)\n\
         \x20 people/operator-vr01.pem, ...       één operator per regio (+ .key)\n\
         \x20 people/coordinator.pem              een nationale coördinator (+ .key)\n\
         \x20 crl.pem                             de intrekkingslijst (CRL) van de CA (`pki revoke` vult die aan)\n"
    );
    let again = run(None, &["pki", "init", "--out", "fed"], cwd.path()).await;
    assert_eq!(
        failed(&again, "pki init again"),
        "fout: fed: hier staat al een PKI (geef --force om die te vervangen)\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pki_issue_and_revoke_in_dutch_and_the_refusal_in_english_as_before() {
    let cwd = tempfile::tempdir().unwrap();
    let d = cwd.path();
    ok(&run(None, &["pki", "init"], d).await, "pki init");
    let issue = ["pki", "issue", "--operator", "VR01", "--name", "Jan.de.Vries"];
    let pem = "pki/people/operator-vr01-Jan.de.Vries.pem";
    assert_eq!(
        ok(&run(None, &issue, d).await, "pki issue"),
        format!("{pem} en pki/people/operator-vr01-Jan.de.Vries.key geschreven (Jan.de.Vries (operator, VR01))\n")
    );

    // The same name again: refused, in Dutch by default and in the old English with --lang en.
    assert_eq!(
        failed(&run(None, &issue, d).await, "pki issue again"),
        format!(
            "fout: {pem} bestaat al (Jan.de.Vries (operator, VR01) is eerder uitgegeven): geef --force om het te \
             vervangen, of een andere --name\n"
        )
    );
    assert_eq!(
        failed(&run(Some("en"), &issue, d).await, "pki issue again --lang en"),
        format!(
            "error: {pem} already exists ({} was issued before): give --force to replace it, or another --name\n",
            Identity::operator(vr(1), "Jan.de.Vries")
        )
    );

    // A national coordinator is named as one.
    let coordinator = ["pki", "issue", "--name", "lcms"];
    let said = ok(&run(None, &coordinator, d).await, "pki issue coordinator");
    assert!(said.ends_with(" geschreven (lcms (nationale coördinator))\n"), "{said}");
    let national = ["pki", "issue", "--operator", "NL", "--name", "x"];
    assert_eq!(
        failed(&run(None, &national, d).await, "pki issue --operator NL"),
        "fout: --operator: een operator hoort bij een regio of partner, niet bij een nationale node; laat \
         --operator weg voor een nationale coördinator\n"
    );

    let revoke = ["pki", "revoke", "--cert", pem];
    assert_eq!(
        ok(&run(None, &revoke, d).await, "pki revoke"),
        format!("{pem} (Jan.de.Vries (operator, VR01)) ingetrokken: pki/crl.pem noemt nu 1 certificaat\n")
    );
    assert_eq!(
        ok(&run(None, &revoke, d).await, "pki revoke again"),
        format!("{pem} (Jan.de.Vries (operator, VR01)) is al ingetrokken in pki/crl.pem\n")
    );
    assert_eq!(
        ok(&run(Some("en"), &revoke, d).await, "pki revoke again --lang en"),
        format!("{pem} (Jan.de.Vries (operator, VR01)) is already revoked in pki/crl.pem\n")
    );
    let missing = run(None, &["pki", "revoke", "--cert", "nope.pem"], d).await;
    assert_eq!(
        failed(&missing, "pki revoke nope.pem"),
        "fout: nope.pem: bestand of map bestaat niet\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_a_folder_that_holds_a_store() {
    let cwd = tempfile::tempdir().unwrap();
    let d = cwd.path();
    let config = pki_and_config(d, "vr01.toml", "127.0.0.1:0").await;
    std::fs::create_dir_all(d.join("data/vr01/db")).unwrap();
    std::fs::write(d.join("data/vr01/db/conf"), "").unwrap();
    std::fs::create_dir_all(d.join("backup")).unwrap();
    for file in ["db", "conf"] {
        std::fs::write(d.join("backup").join(file), "").unwrap();
    }
    let restore = ["restore", "--config", &config, "--from", "backup"];
    assert_eq!(
        failed(&run(None, &restore, d).await, "restore"),
        "fout: terugzetten uit backup: in data/vr01/db staat al een opslag; geef --replace om die opzij te \
         zetten (die blijft bewaard)\n"
    );
    assert_eq!(
        failed(&run(Some("en"), &restore, d).await, "restore --lang en"),
        "error: config: restore from backup: data/vr01/db already holds a store; pass --replace to move it \
         aside (it is kept)\n"
    );
    // Not a backup at all.
    let not_a_backup = ["restore", "--config", &config, "--from", "pki"];
    assert_eq!(
        failed(&run(None, &not_a_backup, d).await, "restore from pki"),
        "fout: terugzetten uit pki: dit is geen back-up van een regiosync-opslag (de sled-bestanden `db` en \
         `conf` ontbreken)\n"
    );
    assert!(d.join("data/vr01/db/conf").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_check_counts_the_problems_in_dutch() {
    let cwd = tempfile::tempdir().unwrap();
    let d = cwd.path();
    let good = pki_and_config(d, "good.toml", "127.0.0.1:0").await;
    let said = ok(
        &run(None, &["node", "--check", "--config", &good], d).await,
        "node --check",
    );
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("in orde: ")), "{said}");
    assert!(
        said.contains("in orde: good.toml: node VR01 of a federation of 26 members"),
        "{said}"
    );
    assert_eq!(
        lines.last(),
        Some(&"in orde: good.toml: geen problemen gevonden"),
        "{said}"
    );

    let bad = pki_and_config(d, "bad.toml", "anywhere").await;
    let check = run(None, &["node", "--check", "--config", &bad], d).await;
    let err = failed(&check, "node --check bad.toml");
    assert_eq!(
        err,
        "bad.toml:3:1: listen: 'anywhere': invalid socket address syntax\nfout: bad.toml: 1 probleem gevonden\n"
    );
    assert!(!stdout(&check).contains("ok: "), "{}", stdout(&check));
    let en = run(Some("en"), &["node", "--check", "--config", &bad], d).await;
    assert!(
        failed(&en, "node --check --lang en").ends_with("\nerror: bad.toml: 1 problem found\n"),
        "{en:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_the_problems_in_dutch() {
    let cwd = tempfile::tempdir().unwrap();
    let d = cwd.path();
    std::fs::write(d.join("audit.log"), "not an audit line\nnor this one\n").unwrap();
    let o = run(None, &["audit", "verify", "audit.log"], d).await;
    assert_eq!(failed(&o, "audit verify"), "fout: het auditlogboek heeft 2 problemen\n");
    // The report's own lines stay as the node crate writes them.
    assert!(
        stdout(&o).starts_with("audit.log:1: not an audit line"),
        "{}",
        stdout(&o)
    );
    let en = run(Some("en"), &["audit", "verify", "audit.log"], d).await;
    assert_eq!(
        failed(&en, "audit verify --lang en"),
        "error: the audit trail has 2 problem(s)\n"
    );
}
