//! What every call shares: a failed call as an error people read, with a stable code for
//! scripts (`Failure`, made by [`explain`] and [`rpc_error`]), and the record statuses (actual,
//! exercise, test) as the command line names them.
use std::error::Error as StdError;

use anyhow::Result;
use regiosync_i18n::{Lang, Text};
use regiosync_node::pb;
use rustls::{AlertDescription, CertificateError};

/// A record status named on the command line (`--status`), as its wire code.
pub fn status_code(s: &str) -> Result<i32> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "actual" => pb::Status::Actual as i32,
        "exercise" => pb::Status::Exercise as i32,
        "test" => pb::Status::Test as i32,
        other => return Err(Text::new("err-status-value").arg("value", other).into()),
    })
}

/// The name of a status's wire code; "?" for an unknown one.
pub fn status_name(code: i32) -> &'static str {
    match pb::Status::try_from(code) {
        Ok(pb::Status::Actual) => "actual",
        Ok(pb::Status::Exercise) => "exercise",
        Ok(pb::Status::Test) => "test",
        _ => "?",
    }
}

/// Why a call failed: a stable `code` for scripts (`--json` prints it; README lists them all)
/// and one line for people that says what happened and what to do: `text`, shown in the
/// language chosen; `message` is its English (`--json`, logs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
    pub text: Text,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Failure {}

impl Failure {
    pub fn new(code: &'static str, text: Text) -> Failure {
        Failure {
            code,
            message: text.to_string(),
            text,
        }
    }
}

/// An error as `--json` prints it: `{"error": {"code": "...", "message": "..."}}`, with the
/// code of the [`Failure`] in it, or `client_error` for a problem found before the node was
/// asked (an argument, a file). The message is English, whatever `--lang` says.
pub fn error_json(e: &anyhow::Error) -> serde_json::Value {
    let (code, message) = match e.chain().find_map(|part| part.downcast_ref::<Failure>()) {
        Some(f) => (f.code, format!("{e:#}")),
        None => ("client_error", format!("{e:#}")),
    };
    serde_json::json!({"error": {"code": code, "message": message}})
}

/// An error for people in `lang`, as `{e:#}` shows it (each cause after a colon): every part
/// made as a [`Text`] or a [`Failure`] in `lang`, a file system error by its kind, anything
/// else (text from a library or the operating system) as it is.
pub fn error_text(e: &anyhow::Error, lang: Lang) -> String {
    let parts: Vec<String> = e.chain().map(|part| part_text(part, lang)).collect();
    Text::new("err-line").arg("error", parts.join(": ")).render(lang)
}

fn part_text(part: &(dyn StdError + 'static), lang: Lang) -> String {
    if let Some(t) = part.downcast_ref::<Text>() {
        return t.render(lang);
    }
    if let Some(t) = part.downcast_ref::<crate::said::Told>() {
        return t.text.render(lang);
    }
    if let Some(f) = part.downcast_ref::<Failure>() {
        return f.text.render(lang);
    }
    if let Some(io) = part.downcast_ref::<std::io::Error>() {
        if let (Lang::Nl, Some(kind)) = (lang, io_kind(io.kind())) {
            return Text::new(kind).arg("os", io).render(lang);
        }
    }
    part.to_string()
}

/// The message for a file system error people meet (in Dutch; English keeps the system's own).
fn io_kind(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind::*;
    Some(match kind {
        NotFound => "err-io-not-found",
        PermissionDenied => "err-io-permission",
        AlreadyExists => "err-io-exists",
        StorageFull => "err-io-full",
        ReadOnlyFilesystem => "err-io-read-only",
        IsADirectory => "err-io-directory",
        NotADirectory => "err-io-not-directory",
        InvalidData => "err-io-invalid-data",
        _ => return None,
    })
}

/// The node a connection was for, as the messages name it.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// "https://127.0.0.1:7101"; empty when not known (a call on a channel made elsewhere).
    pub node: String,
    /// The name the node's certificate had to carry.
    pub server_name: String,
}

impl Target {
    fn at(&self) -> Text {
        match self.node.as_str() {
            "" => Text::new("err-the-node"),
            n => Text::new("err-the-node-at").arg("node", n),
        }
    }
}

/// The code of every refusal the node answers with a gRPC status ("permission_denied", ...).
pub fn grpc_code(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "ok",
        Cancelled => "cancelled",
        Unknown => "unknown",
        InvalidArgument => "invalid_argument",
        DeadlineExceeded => "deadline_exceeded",
        NotFound => "not_found",
        AlreadyExists => "already_exists",
        PermissionDenied => "permission_denied",
        ResourceExhausted => "resource_exhausted",
        FailedPrecondition => "failed_precondition",
        Aborted => "aborted",
        OutOfRange => "out_of_range",
        Unimplemented => "unimplemented",
        Internal => "internal",
        Unavailable => "unavailable",
        DataLoss => "data_loss",
        Unauthenticated => "unauthenticated",
    }
}

/// A refused call as "Code: message", e.g. "PermissionDenied: may ask only VR01's own node"
/// (code `permission_denied`); a call that never reached a service (the connection failed or
/// was closed) is explained as [`explain`] does.
pub fn rpc_error(s: tonic::Status) -> anyhow::Error {
    anyhow::Error::new(status_failure(&s, &Target::default()))
}

/// As [`rpc_error`], as a [`Failure`]. The node's own words stay as it sent them (English);
/// what kind of refusal it was is said in the language chosen.
pub fn status_failure(s: &tonic::Status, target: &Target) -> Failure {
    if let Some(source) = s.source() {
        if source.downcast_ref::<tonic::transport::Error>().is_some() {
            return explain(source, target);
        }
    }
    let code = grpc_code(s.code());
    Failure::new(
        code,
        Text::new("err-status")
            .arg("kind", code)
            .arg("code", format!("{:?}", s.code()))
            .arg("message", s.message()),
    )
}

/// Why a connection to a node failed, or why the node closed it, from the error and its
/// sources: the node down or unreachable, its certificate not trusted by our CA bundle,
/// expired or for another name, or our own certificate refused by the node (the alert its TLS
/// stack sent: unknown CA, expired, revoked, or no identity it accepts). One line, with what
/// to do; `connection_failed` with the innermost error when none of those is recognised.
pub fn explain(err: &(dyn StdError + 'static), target: &Target) -> Failure {
    let mut innermost = err.to_string();
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(f) = e.downcast_ref::<Failure>() {
            return f.clone();
        }
        if let Some(t) = e.downcast_ref::<rustls::Error>() {
            return tls(t, target);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(f) = io_failure(io, target) {
                return f;
            }
        }
        let text = e.to_string();
        if let Some(alert) = alert_in(&text) {
            return refused(alert, target);
        }
        if text.starts_with("dns error") {
            return unreachable(target, "err-why-dns");
        }
        if text == "connection closed" || text.contains("connection closed before message completed") {
            return closed(target);
        }
        innermost = text;
        next = e.source();
    }
    Failure::new(
        "connection_failed",
        Text::new("err-cannot-talk")
            .nested("at", target.at())
            .arg("error", innermost),
    )
}

fn io_failure(io: &std::io::Error, target: &Target) -> Option<Failure> {
    use std::io::ErrorKind::*;
    if let Some(inner) = io.get_ref() {
        if let Some(f) = inner.downcast_ref::<Failure>() {
            return Some(f.clone());
        }
        if let Some(t) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls(t, target));
        }
        if let Some(alert) = alert_in(&inner.to_string()) {
            return Some(refused(alert, target));
        }
    }
    Some(match io.kind() {
        ConnectionRefused => unreachable(target, "err-why-refused"),
        TimedOut => unreachable(target, "err-why-timeout"),
        HostUnreachable | NetworkUnreachable => unreachable(target, "err-why-no-route"),
        AddrNotAvailable => unreachable(target, "err-why-address"),
        ConnectionReset | BrokenPipe | UnexpectedEof => closed(target),
        _ => return None,
    })
}

fn unreachable(target: &Target, why: &'static str) -> Failure {
    Failure::new(
        "node_unreachable",
        Text::new("err-cannot-reach")
            .nested("at", target.at())
            .nested("why", Text::new(why)),
    )
}

fn closed(target: &Target) -> Failure {
    Failure::new("connection_closed", Text::new("err-closed").nested("at", target.at()))
}

/// The alert named in a message such as "received fatal alert: CertificateRevoked" (what is
/// left of a rustls error after HTTP/2 kept only its text).
fn alert_in(text: &str) -> Option<AlertDescription> {
    let name = text.rsplit_once("received fatal alert: ")?.1.trim();
    (0..=u8::MAX)
        .map(AlertDescription::from)
        .find(|a| format!("{a:?}") == name)
}

/// A TLS error of our side: the node's certificate failed our checks, or the node sent an alert.
fn tls(e: &rustls::Error, target: &Target) -> Failure {
    use CertificateError::*;
    let at = |id| Text::new(id).nested("at", target.at());
    match e {
        rustls::Error::AlertReceived(alert) => refused(*alert, target),
        rustls::Error::InvalidCertificate(c) => match c {
            UnknownIssuer => Failure::new("node_untrusted", at("err-node-untrusted")),
            Expired | ExpiredContext { .. } => Failure::new("node_certificate_expired", at("err-node-expired")),
            NotValidYet | NotValidYetContext { .. } => {
                Failure::new("node_certificate_expired", at("err-node-not-yet-valid"))
            }
            Revoked => Failure::new("node_certificate_revoked", at("err-node-revoked")),
            NotValidForName => wrong_name(target, &[]),
            NotValidForNameContext { presented, .. } => wrong_name(target, presented),
            other => Failure::new(
                "tls_failed",
                at("err-node-certificate").arg("why", format!("{other:?}")),
            ),
        },
        other => Failure::new("tls_failed", at("err-tls").arg("error", other)),
    }
}

/// The node's certificate is fine but not for the name asked.
fn wrong_name(target: &Target, presented: &[String]) -> Failure {
    // rustls lists them as `DnsName("vr01.regiosync")`, `IpAddress(127.0.0.1)`, ...
    let names: Vec<String> = presented
        .iter()
        .map(|p| {
            let inner = p.split_once('(').map_or(p.as_str(), |(_, r)| r.trim_end_matches(')'));
            inner.trim_matches(['"', '\\']).replace("\\\"", "")
        })
        .collect();
    let owner = match names.iter().find_map(|n| n.strip_prefix("urn:regiosync:node:")) {
        Some(id) => Text::new("err-node-name-owner").arg("owner", id),
        None => Text::new("err-nothing"),
    };
    let carries: Vec<String> = names.iter().filter(|n| !n.starts_with("urn:")).cloned().collect();
    let carries = match carries.is_empty() {
        true => Text::new("err-nothing"),
        false => Text::new("err-node-name-carries").arg("names", carries.join(", ")),
    };
    Failure::new(
        "node_name_mismatch",
        Text::new("err-node-name")
            .nested("at", target.at())
            .nested("owner", owner)
            .arg("asked", &target.server_name)
            .nested("carries", carries),
    )
}

/// The node refused our certificate and said why with `alert`.
fn refused(alert: AlertDescription, target: &Target) -> Failure {
    let (code, why) = match alert {
        AlertDescription::UnknownCA => ("certificate_unknown_ca", "err-refused-unknown-ca"),
        AlertDescription::CertificateExpired => ("certificate_expired", "err-refused-expired"),
        AlertDescription::CertificateRevoked => ("certificate_revoked", "err-refused-revoked"),
        AlertDescription::CertificateRequired => ("certificate_missing", "err-refused-missing"),
        AlertDescription::CertificateUnknown
        | AlertDescription::AccessDenied
        | AlertDescription::BadCertificate
        | AlertDescription::UnsupportedCertificate => ("certificate_refused", "err-refused-identity"),
        _ => {
            return Failure::new(
                "tls_failed",
                Text::new("err-alert")
                    .nested("at", target.at())
                    .arg("alert", format!("{alert:?}")),
            )
        }
    };
    Failure::new(
        code,
        Text::new("err-refused")
            .nested("at", target.at())
            .nested("why", Text::new(why)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            node: "https://127.0.0.1:7101".into(),
            server_name: "127.0.0.1".into(),
        }
    }

    fn code_of(e: &(dyn StdError + 'static)) -> &'static str {
        explain(e, &target()).code
    }

    #[test]
    fn connection_failures_name_the_node_and_say_what_to_do() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let f = explain(&refused, &target());
        assert_eq!(f.code, "node_unreachable");
        assert_eq!(
            f.message,
            "cannot reach the node at https://127.0.0.1:7101: connection refused (is the node running, and is --node right?)"
        );
        assert_eq!(
            code_of(&std::io::Error::from(std::io::ErrorKind::TimedOut)),
            "node_unreachable"
        );
        assert_eq!(
            code_of(&std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
            "connection_closed"
        );
    }

    #[test]
    fn the_nodes_certificate_failing_our_checks() {
        let e = |c| std::io::Error::new(std::io::ErrorKind::InvalidData, rustls::Error::InvalidCertificate(c));
        assert_eq!(code_of(&e(CertificateError::UnknownIssuer)), "node_untrusted");
        assert_eq!(code_of(&e(CertificateError::Expired)), "node_certificate_expired");
        assert_eq!(code_of(&e(CertificateError::NotValidYet)), "node_certificate_expired");
        let name = CertificateError::NotValidForNameContext {
            expected: rustls_pki_types::ServerName::try_from("vr02.regiosync").unwrap(),
            presented: vec![
                "UniformResourceIdentifier(\"urn:regiosync:node:VR01\")".into(),
                "DnsName(\"vr01.regiosync\")".into(),
                "IpAddress(127.0.0.1)".into(),
            ],
        };
        let f = explain(
            &e(name),
            &Target {
                server_name: "vr02.regiosync".into(),
                ..target()
            },
        );
        assert_eq!(f.code, "node_name_mismatch");
        assert_eq!(
            f.message,
            "the certificate of the node at https://127.0.0.1:7101 is VR01's, not one for 'vr02.regiosync' (it names vr01.regiosync, 127.0.0.1): check --node, or give --server-name with a name it carries"
        );
    }

    #[test]
    fn our_certificate_refused_by_the_node_as_its_alert_says() {
        for (alert, code) in [
            (AlertDescription::UnknownCA, "certificate_unknown_ca"),
            (AlertDescription::CertificateExpired, "certificate_expired"),
            (AlertDescription::CertificateRevoked, "certificate_revoked"),
            (AlertDescription::CertificateUnknown, "certificate_refused"),
            (AlertDescription::AccessDenied, "certificate_refused"),
            (AlertDescription::CertificateRequired, "certificate_missing"),
            (AlertDescription::HandshakeFailure, "tls_failed"),
        ] {
            // As rustls returns it, and as its text after HTTP/2 carried it.
            let real = std::io::Error::new(std::io::ErrorKind::InvalidData, rustls::Error::AlertReceived(alert));
            assert_eq!(code_of(&real), code, "{alert:?}");
            let text = std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("received fatal alert: {alert:?}"),
            );
            assert_eq!(code_of(&text), code, "{alert:?} as text");
        }
        let f = explain(
            &rustls::Error::AlertReceived(AlertDescription::CertificateRevoked),
            &target(),
        );
        assert_eq!(
            f.message,
            "the node at https://127.0.0.1:7101 refused your certificate: it has been revoked: get a new one from your federation's CA"
        );
    }

    #[test]
    fn refusals_by_a_service_keep_their_code_and_message() {
        let s = tonic::Status::permission_denied("may ask only VR01's own node");
        let f = status_failure(&s, &target());
        assert_eq!(f.code, "permission_denied");
        assert_eq!(f.message, "PermissionDenied: may ask only VR01's own node");
        assert_eq!(
            status_failure(&tonic::Status::not_found("no entry"), &target()).code,
            "not_found"
        );
    }

    #[test]
    fn errors_for_people_in_their_language_and_for_scripts_in_english() {
        use crate::said::Tell;
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let failure = anyhow::Error::new(explain(&refused, &target()));
        let e = Err::<(), _>(failure)
            .told(
                Text::new("err-cannot-talk")
                    .nested("at", Text::new("err-the-node"))
                    .arg("error", "x"),
            )
            .unwrap_err();
        assert_eq!(
            error_text(&e, Lang::Nl),
            "fout: kan niet met de node praten: x: de node op https://127.0.0.1:7101 is niet bereikbaar: verbinding geweigerd (draait de node, en klopt --node?)"
        );
        assert_eq!(error_text(&e, Lang::En), format!("error: {e:#}"));
        // A Failure under a Told keeps its code for scripts; the message stays English.
        assert_eq!(error_json(&e)["error"]["code"], "node_unreachable");
        assert!(error_json(&e)["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot talk to the node: x: cannot reach"));
        let status = anyhow::Error::new(status_failure(
            &tonic::Status::permission_denied("may ask only VR01's own node"),
            &target(),
        ));
        assert_eq!(
            error_text(&status, Lang::Nl),
            "fout: niet toegestaan (melding van de node: may ask only VR01's own node)"
        );
        let missing = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(
            error_text(&missing.context("reading x.csv"), Lang::Nl),
            "fout: reading x.csv: bestand of map bestaat niet"
        );
    }

    #[test]
    fn errors_as_json_carry_the_code() {
        let f = anyhow::Error::new(Failure::new(
            "node_unreachable",
            Text::new("err-cannot-reach")
                .nested("at", Text::new("err-the-node"))
                .nested("why", Text::new("err-why-refused")),
        ));
        assert_eq!(
            error_json(&f.context("list")),
            serde_json::json!({"error": {"code": "node_unreachable", "message": "list: cannot reach the node: connection refused (is the node running, and is --node right?)"}})
        );
        assert_eq!(
            error_json(&anyhow::anyhow!("--status: 'x' is not one of actual, exercise, test"))["error"]["code"],
            "client_error"
        );
    }

    #[test]
    fn a_failure_in_the_chain_is_kept_and_an_unknown_one_is_one_line() {
        #[derive(Debug)]
        struct Outer(Failure);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("transport error")
            }
        }
        impl StdError for Outer {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let inner = Failure::new("certificate_revoked", Text::new("err-refused-revoked"));
        assert_eq!(explain(&Outer(inner.clone()), &target()), inner);
        let odd = std::io::Error::other("something odd");
        let f = explain(&odd, &target());
        assert_eq!(f.code, "connection_failed");
        assert_eq!(
            f.message,
            "cannot talk to the node at https://127.0.0.1:7101: something odd"
        );
    }
}
