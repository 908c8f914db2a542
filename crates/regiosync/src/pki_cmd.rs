//! `regiosync pki`: write a dev federation PKI (CA, one certificate per node, client
//! certificates for people) and issue further person certificates from it.
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use regiosync_client::render::Out;
use regiosync_client::said::{Tell, Text};
use regiosync_trust::{DevCa, Identity, Issued};
use regiosync_types::NodeId;
use serde_json::json;

const CA_NAME: &str = "regiosync dev federation CA";

#[derive(Subcommand)]
pub enum PkiCmd {
    /// Create a CA, certificates for NL and VR01..VR25, an operator per region and a national
    /// coordinator, under OUT.
    Init {
        #[arg(long, default_value = "pki")]
        out: PathBuf,
        /// Overwrite an existing PKI in OUT.
        #[arg(long)]
        force: bool,
        /// The key type of the CA and every certificate: ecdsa-p256 (every TLS stack supports
        /// it), ecdsa-p384 or ed25519.
        #[arg(long, default_value = "ecdsa-p256")]
        key_type: String,
    },
    /// Issue one more person certificate from the CA in DIR (--dir, else --pki, else ./pki)
    /// into DIR/people/.
    Issue {
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Region the operator works for (VR01..VR25); omit for a national coordinator.
        #[arg(long)]
        operator: Option<String>,
        /// The person's name as the certificate carries it: ASCII letters, digits, '-', '_',
        /// '.' (e.g. Jan.de.Vries); nodes refuse any other.
        #[arg(long)]
        name: String,
        /// Replace a certificate and key already issued under this name (the old certificate
        /// stays valid until it expires or is revoked: `regiosync pki revoke`).
        #[arg(long)]
        force: bool,
    },
    /// Renew a node's certificate and key: DIR/nodes/<node>.pem and .key are replaced (each
    /// written whole, then renamed into place, key first). A running node whose `tls.cert` and
    /// `tls.key` name them takes them on SIGHUP (or when it next looks, every
    /// `tls.crl_check_secs`) and writes a key transition into its log before its next entry.
    Renew {
        /// The PKI folder (default: --pki, else ./pki).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The node, e.g. VR01.
        #[arg(long)]
        node: String,
    },
    /// Revoke a certificate the CA in DIR issued: DIR/crl.pem is written again with it added.
    /// A node whose `tls.crl` names that file refuses it within `tls.crl_check_secs` (or at
    /// once on SIGHUP): at the handshake, and for seals made from now on.
    Revoke {
        /// The PKI folder (default: --pki, else ./pki).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The certificate to revoke (PEM), e.g. pki/people/operator-vr01.pem.
        #[arg(long)]
        cert: PathBuf,
    },
}

/// `pki` with `--pki DIR` (the global connection flag, or `REGIOSYNC_PKI`) as the folder of
/// `issue`, `renew` and `revoke` when they get no `--dir`; with `--json`, what each wrote as a
/// JSON object, else a line for people in `out.lang`.
pub fn run(cmd: PkiCmd, pki: Option<&Path>, out: Out) -> Result<()> {
    let folder = |dir: Option<PathBuf>| {
        dir.or_else(|| pki.map(Path::to_path_buf))
            .unwrap_or_else(|| "pki".into())
    };
    match cmd {
        PkiCmd::Init {
            out: dir_out,
            force,
            key_type,
        } => {
            let key_type: regiosync_trust::KeyType = key_type.parse().context("--key-type")?;
            init(&dir_out, force, key_type, out)
        }
        PkiCmd::Revoke { dir, cert } => revoke(&folder(dir), &cert, out),
        PkiCmd::Renew { dir, node } => {
            let dir = folder(dir);
            let id = NodeId::parse_field("--node", &node)?;
            let issued = load_ca(&dir)?.issue_node(id)?;
            let stem = dir.join("nodes").join(id.to_string().to_lowercase());
            let (key, cert) = (stem.with_extension("key"), stem.with_extension("pem"));
            for (path, text, secret) in [(&key, &issued.key_pem, true), (&cert, &issued.cert_pem, false)] {
                let tmp = path.with_extension("tmp");
                match secret {
                    true => write_secret(&tmp, text)?,
                    false => write(&tmp, text)?,
                }
                std::fs::rename(&tmp, path).told_with(|| Text::new("cmd-replacing").arg("path", path.display()))?;
            }
            done(
                out,
                json!({"certificate": cert, "key": key, "node": id.to_string()}),
                Text::new("cmd-pki-renewed")
                    .arg("cert", cert.display())
                    .arg("key", key.display())
                    .arg("node", id),
            )
        }
        PkiCmd::Issue {
            dir,
            operator,
            name,
            force,
        } => issue(&folder(dir), operator.as_deref(), &name, force, out),
    }
}

/// What a `pki` command wrote: `value` with `--json`, else `text` in the language asked.
fn done(out: Out, value: serde_json::Value, text: Text) -> Result<()> {
    if out.json {
        return regiosync_client::render::print_json(&value);
    }
    println!("{}", text.render(out.lang));
    Ok(())
}

/// Who a certificate names, as people read it (`Identity`'s own Display is the English).
fn who(identity: &Identity) -> Text {
    match identity.role {
        regiosync_trust::Role::Node(id) => Text::new("cmd-who-node").arg("node", id),
        regiosync_trust::Role::RegionOperator(r) => Text::new("cmd-who-operator")
            .arg("name", &identity.name)
            .arg("region", r),
        regiosync_trust::Role::NationalCoordinator => Text::new("cmd-who-coordinator").arg("name", &identity.name),
    }
}

/// One more person certificate into `dir/people/`: the name checked as every node checks it,
/// never over an existing one without `force`.
fn issue(dir: &Path, operator: Option<&str>, name: &str, force: bool, out: Out) -> Result<()> {
    regiosync_trust::check_person_name(name).map_err(|e| match e {
        regiosync_trust::Error::BadIdentity(why) => anyhow::anyhow!("--name: {why}"),
        other => anyhow::anyhow!("--name: {other}"),
    })?;
    let identity = match operator {
        Some(r) => {
            let region = NodeId::parse_field("--operator", r)?;
            if regiosync_types::Federation::shipped().is_national(region) {
                return Err(Text::new("cmd-pki-operator-national").into());
            }
            Identity::operator(region, name)
        }
        None => Identity::coordinator(name),
    };
    let ca = load_ca(dir)?;
    let file = person_file_name(&identity);
    let people = dir.join("people");
    let (pem, key) = (people.join(format!("{file}.pem")), people.join(format!("{file}.key")));
    if !force {
        if let Some(there) = [&pem, &key].into_iter().find(|p| p.exists()) {
            return Err(Text::new("cmd-pki-issued-before")
                .arg("path", there.display())
                .nested("who", who(&identity))
                .into());
        }
    }
    let issued = ca.issue_person(identity)?;
    write_pair(&people, &file, &issued)?;
    done(
        out,
        json!({"certificate": pem, "key": key, "identity": issued.identity.uri()}),
        Text::new("cmd-pki-issued")
            .arg("cert", pem.display())
            .arg("key", key.display())
            .nested("who", who(&issued.identity)),
    )
}

fn init(dir: &Path, force: bool, key_type: regiosync_trust::KeyType, out: Out) -> Result<()> {
    if dir.join("ca.pem").exists() && !force {
        return Err(Text::new("cmd-pki-exists-here").arg("dir", dir.display()).into());
    }
    let ca = DevCa::generate_with(CA_NAME, key_type)?;
    std::fs::create_dir_all(dir.join("nodes")).told_with(|| Text::new("cmd-creating").arg("path", dir.display()))?;
    write(&dir.join("ca.pem"), ca.cert_pem())?;
    write_secret(&dir.join("ca.key"), ca.key_pem())?;
    for id in regiosync_types::Federation::shipped().ids() {
        let issued = ca.issue_node(id)?;
        write_pair(&dir.join("nodes"), &id.to_string().to_lowercase(), &issued)?;
    }
    write_crl(dir, &ca, &[])?;
    let mut people = vec![Identity::coordinator("coordinator")];
    people.extend(
        regiosync_types::Federation::shipped()
            .regions()
            .map(|r| Identity::operator(r, "operator")),
    );
    for identity in people {
        let file = person_file_name(&identity);
        write_pair(&dir.join("people"), &file, &ca.issue_person(identity)?)?;
    }
    if out.json {
        let written = json!({"dir": dir, "ca": dir.join("ca.pem"), "nodes": dir.join("nodes"),
                             "people": dir.join("people"), "crl": dir.join("crl.pem")});
        return regiosync_client::render::print_json(&written);
    }
    // The file names as they are, what each is in the language asked.
    println!(
        "{}",
        Text::new("cmd-pki-init-wrote")
            .arg("dir", dir.display())
            .render(out.lang)
    );
    for (files, what) in [
        ("ca.pem, ca.key", "cmd-pki-init-ca"),
        ("nodes/nl.pem, nodes/vr01.pem, ...", "cmd-pki-init-nodes"),
        ("people/operator-vr01.pem, ...", "cmd-pki-init-operators"),
        ("people/coordinator.pem", "cmd-pki-init-coordinator"),
        ("crl.pem", "cmd-pki-init-crl"),
    ] {
        println!("  {files:<36}{}", Text::new(what).render(out.lang));
    }
    Ok(())
}

fn revoke(dir: &Path, cert: &Path, out: Out) -> Result<()> {
    let ca = load_ca(dir)?;
    let pem = std::fs::read(cert).with_context(|| format!("{}", cert.display()))?;
    let der = regiosync_trust::certs_from_pem(std::str::from_utf8(&pem).unwrap_or_default())
        .ok()
        .and_then(|mut d| (!d.is_empty()).then(|| d.remove(0)))
        .told_with(|| Text::new("cmd-pki-no-pem").arg("path", cert.display()))?;
    let identity = Identity::from_cert_der(&der).with_context(|| format!("{}", cert.display()))?;
    // Only a certificate of this CA can be revoked by its CRL.
    regiosync_trust::revocation::issued_by(&der, ca.cert_pem()).with_context(|| format!("{}", cert.display()))?;
    let serial = regiosync_trust::revocation::serial_of(&der)?;
    let crl_path = dir.join("crl.pem");
    let mut revoked = match std::fs::read(&crl_path) {
        Ok(bytes) => regiosync_trust::revocation::listed(&bytes, &crl_path.display().to_string())?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("{}", crl_path.display())),
    };
    let report = |already: bool, listed: usize| {
        json!({"certificate": cert, "identity": identity.uri(), "crl": crl_path,
               "already_revoked": already, "revoked_in_crl": listed})
    };
    if revoked.iter().any(|(s, _)| *s == serial) {
        return done(
            out,
            report(true, revoked.len()),
            Text::new("cmd-pki-already-revoked")
                .arg("cert", cert.display())
                .nested("who", who(&identity))
                .arg("crl", crl_path.display()),
        );
    }
    revoked.push((serial, time::OffsetDateTime::now_utc()));
    write_crl(dir, &ca, &revoked)?;
    done(
        out,
        report(false, revoked.len()),
        Text::new("cmd-pki-revoked")
            .arg("cert", cert.display())
            .nested("who", who(&identity))
            .arg("crl", crl_path.display())
            .count("n", revoked.len()),
    )
}

/// The CA's CRL, written whole and renamed into place (a node never reads half of it).
fn write_crl(dir: &Path, ca: &DevCa, revoked: &[(Vec<u8>, time::OffsetDateTime)]) -> Result<()> {
    let pem = ca.crl(revoked, time::OffsetDateTime::now_utc())?;
    let tmp = dir.join("crl.pem.tmp");
    write(&tmp, &pem)?;
    std::fs::rename(&tmp, dir.join("crl.pem")).with_context(|| format!("{}/crl.pem", dir.display()))
}

fn person_file_name(identity: &Identity) -> String {
    match identity.role {
        regiosync_trust::Role::RegionOperator(r) if identity.name == "operator" => {
            format!("operator-{}", r.to_string().to_lowercase())
        }
        regiosync_trust::Role::RegionOperator(r) => {
            format!("operator-{}-{}", r.to_string().to_lowercase(), identity.name)
        }
        regiosync_trust::Role::NationalCoordinator if identity.name == "coordinator" => "coordinator".into(),
        _ => format!("coordinator-{}", identity.name),
    }
}

fn load_ca(dir: &Path) -> Result<DevCa> {
    let cert = std::fs::read_to_string(dir.join("ca.pem")).with_context(|| format!("{}/ca.pem", dir.display()))?;
    let key = std::fs::read_to_string(dir.join("ca.key")).with_context(|| format!("{}/ca.key", dir.display()))?;
    Ok(DevCa::load(CA_NAME, &cert, &key)?)
}

fn write_pair(dir: &Path, stem: &str, issued: &Issued) -> Result<()> {
    std::fs::create_dir_all(dir).told_with(|| Text::new("cmd-creating").arg("path", dir.display()))?;
    write(&dir.join(format!("{stem}.pem")), &issued.cert_pem)?;
    write_secret(&dir.join(format!("{stem}.key")), &issued.key_pem)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).told_with(|| Text::new("cmd-writing").arg("path", path.display()))
}

fn write_secret(path: &Path, text: &str) -> Result<()> {
    write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .told_with(|| Text::new("cmd-restricting").arg("path", path.display()))?;
    }
    Ok(())
}
