//! `regiosync pki issue`: refuses a name no node would accept (saying which form is allowed),
//! writes where `--pki` says, and never replaces a certificate without `--force`.
use crate::{ok, regiosync, stderr};

async fn pki(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    regiosync(args.iter().map(|s| s.to_string()).collect(), Some(cwd.to_path_buf())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_checks_the_name_honours_pki_and_does_not_overwrite() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = cwd.path().join("federation-pki");
    let dir_s = dir.display().to_string();
    ok(&pki(&["pki", "init", "--out", &dir_s], cwd.path()).await, "pki init");

    // A name with spaces: refused, nothing written, and the message says the allowed form.
    let issue_vr01 = |name: &'static str| ["pki", "issue", "--pki", &dir_s, "--operator", "VR01", "--name", name];
    let o = pki(&issue_vr01("Jan de Vries"), cwd.path()).await;
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = stderr(&o);
    assert!(
        err.starts_with("error: --name: 'Jan de Vries' is not a person's name"),
        "{err}"
    );
    assert!(err.contains("ASCII letters, digits, '-', '_' and '.'"), "{err}");
    assert!(err.contains("Jan.de.Vries"), "{err}");
    let people = dir.join("people");
    assert!(!people.join("operator-vr01-Jan de Vries.pem").exists());

    // The suggested form is issued, into --pki (not ./pki), and the node would accept it.
    let again = issue_vr01("Jan.de.Vries");
    let out = ok(&pki(&again, cwd.path()).await, "issue Jan.de.Vries");
    let pem = people.join("operator-vr01-Jan.de.Vries.pem");
    assert!(out.contains(&pem.display().to_string()), "{out}");
    assert!(!cwd.path().join("pki").exists(), "pki issue wrote into ./pki");
    let text = std::fs::read_to_string(&pem).unwrap();
    let der = regiosync_trust::certs_from_pem(&text).unwrap().remove(0);
    let identity = regiosync_trust::Identity::from_cert_der(&der).unwrap();
    assert_eq!(identity.uri(), "urn:regiosync:operator:VR01:Jan.de.Vries");

    // The same name again: refused without --force, the certificate unchanged; with it, replaced.
    let o = pki(&again, cwd.path()).await;
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        stderr(&o).contains("already exists") && stderr(&o).contains("--force"),
        "{o:?}"
    );
    assert_eq!(std::fs::read_to_string(&pem).unwrap(), text);
    let mut forced = again.to_vec();
    forced.push("--force");
    ok(&pki(&forced, cwd.path()).await, "issue --force");
    assert_ne!(std::fs::read_to_string(&pem).unwrap(), text);

    // --dir still wins, and REGIOSYNC_PKI-less runs in a folder with ./pki use it.
    ok(&pki(&["pki", "init"], cwd.path()).await, "pki init into ./pki");
    ok(
        &pki(&["pki", "issue", "--name", "lcms"], cwd.path()).await,
        "issue into ./pki",
    );
    assert!(cwd.path().join("pki/people/coordinator-lcms.pem").exists());
    assert!(!people.join("coordinator-lcms.pem").exists());
    ok(
        &pki(
            &["pki", "issue", "--pki", "elsewhere", "--dir", &dir_s, "--name", "lcms"],
            cwd.path(),
        )
        .await,
        "--dir over --pki",
    );
    assert!(people.join("coordinator-lcms.pem").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pki_commands_report_in_json_too() {
    let cwd = tempfile::tempdir().unwrap();
    let dir = cwd.path().to_path_buf();
    let run = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.push("--json".into());
        regiosync(all, Some(dir.clone()))
    };
    let init = crate::json_of(&run(&["pki", "init", "--out", "p"]).await);
    assert_eq!(init["ca"], "p/ca.pem", "{init}");
    let issued = crate::json_of(&run(&["pki", "issue", "--pki", "p", "--operator", "VR03", "--name", "an"]).await);
    assert_eq!(issued["identity"], "urn:regiosync:operator:VR03:an", "{issued}");
    assert_eq!(issued["certificate"], "p/people/operator-vr03-an.pem", "{issued}");
    let renewed = crate::json_of(&run(&["pki", "renew", "--pki", "p", "--node", "VR03"]).await);
    assert_eq!(renewed["node"], "VR03", "{renewed}");
    let revoke = ["pki", "revoke", "--pki", "p", "--cert", "p/people/operator-vr03-an.pem"];
    let revoked = crate::json_of(&run(&revoke).await);
    assert_eq!(
        (revoked["already_revoked"].as_bool(), revoked["revoked_in_crl"].as_u64()),
        (Some(false), Some(1)),
        "{revoked}"
    );
    let again = crate::json_of(&run(&revoke).await);
    assert_eq!(again["already_revoked"], true, "{again}");
    // A refusal is JSON too.
    let o = run(&["pki", "issue", "--pki", "p", "--name", "Jan de Vries"]).await;
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(crate::json_of(&o)["error"]["code"], "client_error");
}
