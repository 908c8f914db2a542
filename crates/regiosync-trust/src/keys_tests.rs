//! Every key type a government PKI or the dev PKI uses seals and verifies, chains and is refused
//! when tampered with; and every key file the dev PKI writes is read by OpenSSL unchanged.
use std::process::Command;

use regiosync_types::chunk::Entry;
use regiosync_types::pb::{EntryBody, Status};
use regiosync_types::{Envelope, NodeId};

use crate::{DevCa, Identity, KeyType, Signer, Verifier};

use regiosync_types::now_ms;

fn entry(seq: u64) -> Entry {
    Entry::from_envelope(
        Envelope::check(EntryBody {
            id: format!("VR01-{seq}"),
            origin: "VR01".into(),
            seq,
            kind: "test_record".into(),
            created_unix_ms: now_ms(),
            status: Status::Test as i32,
            audience: vec!["NL".into(), "VR01".into()],
            payload: b"4 TS available".to_vec(),
            ..Default::default()
        })
        .unwrap(),
    )
}

/// `openssl` with `args`, feeding `input`; its stdout. OpenSSL is part of what the tests need
/// (`tests/run.sh` installs it on a fresh machine).
fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("openssl is not installed: tests/run.sh installs it (apt-get install openssl)");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn seals_and_verifies(ca: &DevCa, node_cert_pem: &str, node_key_pem: &str) {
    let signer = Signer::from_pem(node_cert_pem, node_key_pem).unwrap();
    let verifier = Verifier::from_ca_pem(ca.cert_pem()).unwrap();
    verifier.admit(signer.cert_der()).unwrap();
    let chunk = signer.seal_all(now_ms(), vec![entry(1), entry(2)]).remove(0);
    verifier.verify_chunk(&chunk).unwrap();
    let mut tampered = chunk.clone();
    tampered.sealed_unix_ms += 1;
    let err = verifier.verify_chunk(&tampered).unwrap_err().to_string();
    assert!(err.contains("seal does not verify"), "{err}");
}

#[test]
fn every_generated_key_type_seals_verifies_and_is_read_by_openssl() {
    for key_type in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
        let ca = DevCa::generate_with("test CA", key_type).unwrap();
        let node = ca.issue_node(NodeId::region(1).unwrap()).unwrap();
        seals_and_verifies(&ca, &node.cert_pem, &node.key_pem);
        let person = ca.issue_person(Identity::coordinator("lcms")).unwrap();
        for (what, pem) in [
            ("CA", ca.key_pem()),
            ("node", &node.key_pem),
            ("person", &person.key_pem),
        ] {
            let text = openssl(&["pkey", "-noout", "-text"], pem.as_bytes());
            assert!(!text.is_empty(), "{key_type:?} {what} key");
        }
        // A reloaded CA issues with the same key type.
        let again = DevCa::load("test CA", ca.cert_pem(), ca.key_pem()).unwrap();
        let later = again.issue_node(NodeId::NL).unwrap();
        seals_and_verifies(&ca, &later.cert_pem, &later.key_pem);
    }
}

#[test]
fn rsa_keys_as_a_government_pki_issues_them_seal_and_verify() {
    let rsa = |bits: &str| {
        String::from_utf8(openssl(
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{bits}"),
            ],
            b"",
        ))
        .unwrap()
    };
    // An RSA CA issuing an RSA node certificate.
    let ca = DevCa::with_key("RSA CA", &rsa("3072")).unwrap();
    let node = ca.issue_node_for_key(NodeId::region(1).unwrap(), &rsa("2048")).unwrap();
    seals_and_verifies(&ca, &node.cert_pem, &node.key_pem);
    // An ECDSA CA issuing an RSA node certificate, and the other way round.
    let ec_ca = DevCa::generate("ECDSA CA").unwrap();
    let node = ec_ca
        .issue_node_for_key(NodeId::region(2).unwrap(), &rsa("2048"))
        .unwrap();
    seals_and_verifies(&ec_ca, &node.cert_pem, &node.key_pem);
    let node = ca.issue_node(NodeId::region(3).unwrap()).unwrap();
    seals_and_verifies(&ca, &node.cert_pem, &node.key_pem);
    // RSA below 2048 bits is refused as a signing key.
    let weak = ca.issue_node_for_key(NodeId::region(4).unwrap(), &rsa("1024"));
    if let Ok(weak) = weak {
        let err = Signer::from_pem(&weak.cert_pem, &weak.key_pem)
            .err()
            .expect("a 1024-bit key");
        assert!(err.to_string().contains("at least 2048"), "{err}");
    }
}
