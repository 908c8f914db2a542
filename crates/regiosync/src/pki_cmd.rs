//! `regiosync pki`: write a dev federation PKI (CA, one certificate per node, client
//! certificates for people) and issue further person certificates from it.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
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
/// `issue`, `renew` and `revoke` when they get no `--dir`; with `json`, what each wrote as a
/// JSON object.
pub fn run(cmd: PkiCmd, pki: Option<&Path>, json: bool) -> Result<()> {
    let folder = |dir: Option<PathBuf>| {
        dir.or_else(|| pki.map(Path::to_path_buf))
            .unwrap_or_else(|| "pki".into())
    };
    match cmd {
        PkiCmd::Init { out, force, key_type } => {
            let key_type: regiosync_trust::KeyType = key_type.parse().context("--key-type")?;
            init(&out, force, key_type, json)
        }
        PkiCmd::Revoke { dir, cert } => revoke(&folder(dir), &cert, json),
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
                std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
            }
            done(
                json,
                json!({"certificate": cert, "key": key, "node": id.to_string()}),
                &format!(
                    "wrote {} and {} (a renewed certificate for {id})",
                    cert.display(),
                    key.display()
                ),
            )
        }
        PkiCmd::Issue {
            dir,
            operator,
            name,
            force,
        } => issue(&folder(dir), operator.as_deref(), &name, force, json),
    }
}

/// What a `pki` command wrote: `value` with `--json`, else `text`.
fn done(json: bool, value: serde_json::Value, text: &str) -> Result<()> {
    if json {
        return regiosync_client::render::print_json(&value);
    }
    println!("{text}");
    Ok(())
}

/// One more person certificate into `dir/people/`: the name checked as every node checks it,
/// never over an existing one without `force`.
fn issue(dir: &Path, operator: Option<&str>, name: &str, force: bool, json: bool) -> Result<()> {
    regiosync_trust::check_person_name(name).map_err(|e| match e {
        regiosync_trust::Error::BadIdentity(why) => anyhow::anyhow!("--name: {why}"),
        other => anyhow::anyhow!("--name: {other}"),
    })?;
    let identity = match operator {
        Some(r) => {
            let region = NodeId::parse_field("--operator", r)?;
            if regiosync_types::Federation::shipped().is_national(region) {
                bail!(
                    "--operator: operators belong to a region or partner, not a national node; omit it for a national coordinator"
                );
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
            bail!(
                "{} already exists ({identity} was issued before): give --force to replace it, or another --name",
                there.display()
            );
        }
    }
    let issued = ca.issue_person(identity)?;
    write_pair(&people, &file, &issued)?;
    done(
        json,
        json!({"certificate": pem, "key": key, "identity": issued.identity.uri()}),
        &format!("wrote {} and {} ({})", pem.display(), key.display(), issued.identity),
    )
}

fn init(out: &Path, force: bool, key_type: regiosync_trust::KeyType, json: bool) -> Result<()> {
    if out.join("ca.pem").exists() && !force {
        bail!(
            "{}: a PKI already exists here (use --force to replace it)",
            out.display()
        );
    }
    let ca = DevCa::generate_with(CA_NAME, key_type)?;
    std::fs::create_dir_all(out.join("nodes")).with_context(|| format!("creating {}", out.display()))?;
    write(&out.join("ca.pem"), ca.cert_pem())?;
    write_secret(&out.join("ca.key"), ca.key_pem())?;
    for id in regiosync_types::Federation::shipped().ids() {
        let issued = ca.issue_node(id)?;
        write_pair(&out.join("nodes"), &id.to_string().to_lowercase(), &issued)?;
    }
    write_crl(out, &ca, &[])?;
    let mut people = vec![Identity::coordinator("coordinator")];
    people.extend(
        regiosync_types::Federation::shipped()
            .regions()
            .map(|r| Identity::operator(r, "operator")),
    );
    for identity in people {
        let file = person_file_name(&identity);
        write_pair(&out.join("people"), &file, &ca.issue_person(identity)?)?;
    }
    let text = [
        format!("wrote a dev federation PKI to {}:", out.display()),
        "  ca.pem, ca.key                      federation CA (keep ca.key secret)".into(),
        "  nodes/nl.pem, nodes/vr01.pem, ...   node certificates (+ .key)".into(),
        "  people/operator-vr01.pem, ...       one operator per region (+ .key)".into(),
        "  people/coordinator.pem              a national coordinator (+ .key)".into(),
        "  crl.pem                             the CA's revocation list (`pki revoke` adds to it)".into(),
    ];
    done(
        json,
        json!({"dir": out, "ca": out.join("ca.pem"), "nodes": out.join("nodes"),
               "people": out.join("people"), "crl": out.join("crl.pem")}),
        &text.join("\n"),
    )
}

fn revoke(dir: &Path, cert: &Path, json: bool) -> Result<()> {
    let ca = load_ca(dir)?;
    let pem = std::fs::read(cert).with_context(|| format!("{}", cert.display()))?;
    let der = regiosync_trust::certs_from_pem(std::str::from_utf8(&pem).unwrap_or_default())
        .ok()
        .and_then(|mut d| (!d.is_empty()).then(|| d.remove(0)))
        .with_context(|| format!("{}: no PEM certificate", cert.display()))?;
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
            json,
            report(true, revoked.len()),
            &format!(
                "{} ({identity}) is already revoked in {}",
                cert.display(),
                crl_path.display()
            ),
        );
    }
    revoked.push((serial, time::OffsetDateTime::now_utc()));
    write_crl(dir, &ca, &revoked)?;
    done(
        json,
        report(false, revoked.len()),
        &format!(
            "revoked {} ({identity}): {} now lists {} certificate(s)",
            cert.display(),
            crl_path.display(),
            revoked.len()
        ),
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
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    write(&dir.join(format!("{stem}.pem")), &issued.cert_pem)?;
    write_secret(&dir.join(format!("{stem}.key")), &issued.key_pem)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn write_secret(path: &Path, text: &str) -> Result<()> {
    write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("restricting {}", path.display()))?;
    }
    Ok(())
}
