//! HTTP for the dashboard: the embedded page, the `/api/` routes, query strings and headers.
//! GET (and HEAD) only. Requests must name a loopback host (`Host: 127.0.0.1:8080`, `localhost`, `[::1]`),
//! so a web page on another site cannot read the figures through DNS rebinding.
use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::api::{Api, ApiError};

const INDEX: &str = include_str!("assets/index.html");
const STYLE: &str = include_str!("assets/style.css");
/// The page's scripts: the core first, then one per view (index.html loads them in this order).
const SCRIPTS: [(&str, &str); 10] = [
    ("/app.js", include_str!("assets/app.js")),
    ("/map.js", include_str!("assets/map.js")),
    ("/capacity.js", include_str!("assets/capacity.js")),
    ("/coverage.js", include_str!("assets/coverage.js")),
    ("/ratings.js", include_str!("assets/ratings.js")),
    ("/history.js", include_str!("assets/history.js")),
    ("/incontrol.js", include_str!("assets/incontrol.js")),
    ("/quality.js", include_str!("assets/quality.js")),
    ("/assistance.js", include_str!("assets/assistance.js")),
    ("/records.js", include_str!("assets/records.js")),
];

/// Only our own files and our own origin: no inline script, no other host.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub type Body = Full<Bytes>;

/// Answer one request.
pub async fn respond(api: &Api, req: Request<Incoming>) -> Response<Body> {
    if let Some(host) = req.headers().get(header::HOST) {
        if !loopback_host(host) {
            return error(ApiError::new(
                StatusCode::FORBIDDEN,
                "PermissionDenied",
                "this dashboard answers only requests for a loopback host (127.0.0.1, localhost, [::1])",
            ));
        }
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = error(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "InvalidArgument",
            format!("{}: the dashboard only reads (GET)", req.method()),
        ));
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path();
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some((_, script)) = SCRIPTS.iter().find(|(p, _)| *p == path) {
        return file(script, "text/javascript; charset=utf-8");
    }
    match path {
        "/" | "/index.html" => file(INDEX, "text/html; charset=utf-8"),
        "/style.css" => file(STYLE, "text/css; charset=utf-8"),
        p if p.starts_with("/report/") => {
            let answer = match Query::parse(req.uri().query()) {
                Ok(q) => super::report::respond(api, p, &q, &accept).await,
                Err(e) => Err(e),
            };
            answer.unwrap_or_else(error)
        }
        p if p.starts_with("/api/") => {
            let answer = match Query::parse(req.uri().query()) {
                Ok(q) => api.answer(p, &q, &accept).await,
                Err(e) => Err(e),
            };
            let key = format!("{p}?{}", req.uri().query().unwrap_or(""));
            match api.last.through(&key, answer, regiosync_types::now_ms()) {
                Ok((value, None)) => json(StatusCode::OK, &value),
                Ok((value, Some(stale))) => {
                    // The last picture: the page says since when and why it is not newer.
                    let mut r = json(StatusCode::OK, &value);
                    let h = r.headers_mut();
                    if let Ok(v) = HeaderValue::from_str(&stale.since_unix_ms.to_string()) {
                        h.insert("x-regiosync-stale-since", v);
                    }
                    let why: String = stale
                        .why
                        .chars()
                        .filter(|c| c.is_ascii() && !c.is_ascii_control())
                        .collect();
                    if let Ok(v) = HeaderValue::from_str(&why) {
                        h.insert("x-regiosync-stale-why", v);
                    }
                    r
                }
                Err(e) => error(e),
            }
        }
        p => error(ApiError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("{p}: no such page"),
        )),
    }
}

fn loopback_host(value: &HeaderValue) -> bool {
    let Ok(host) = value.to_str() else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub(crate) fn base(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

fn file(text: &'static str, content_type: &'static str) -> Response<Body> {
    let mut r = base(StatusCode::OK, content_type, text);
    r.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    r
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    base(status, "application/json", value.to_string())
}

/// `{"error": {"code": "InvalidArgument", "grpc_code": 3, "message": "..."}}`.
fn error(e: ApiError) -> Response<Body> {
    json(e.http, &e.to_json())
}

/// A parsed query string: `name=value` pairs, percent-decoded.
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(query: Option<&str>) -> Result<Query, ApiError> {
        let mut pairs = Vec::new();
        for part in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(k)?, decode(v)?));
        }
        Ok(Query(pairs))
    }

    /// The value of `name`; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Refuse parameters the endpoint does not know, naming the ones it does.
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some((k, _)) => Err(ApiError::bad(format!(
                "{k}: unknown parameter ({})",
                if known.is_empty() {
                    "this endpoint takes none".to_string()
                } else {
                    format!("known: {}", known.join(", "))
                }
            ))),
        }
    }
}

fn decode(s: &str) -> Result<String, ApiError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| ApiError::bad(format!("query string: bad escape in '{s}'")))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::bad(format!("query string: '{s}' is not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_and_unknown_names_are_refused() {
        let q = Query::parse(Some("type=TS&region=VR%301&year=&x+y=a+b")).unwrap();
        assert_eq!(q.get("type"), Some("TS"));
        assert_eq!(q.get("region"), Some("VR01"));
        assert_eq!(q.get("year"), None);
        assert_eq!(q.get("x y"), Some("a b"));
        let e = q.only(&["type", "region", "year"]).unwrap_err();
        assert_eq!(e.message, "x y: unknown parameter (known: type, region, year)");
        assert!(Query::parse(Some("a=%zz")).is_err());
        assert!(Query::parse(Some("a=%c3")).is_err());
        assert!(Query::parse(None).unwrap().only(&[]).is_ok());
    }

    #[test]
    fn only_loopback_hosts_are_answered() {
        for ok in ["127.0.0.1:8080", "localhost:1", "LOCALHOST", "[::1]:80", "127.0.0.1"] {
            assert!(loopback_host(&HeaderValue::from_static(ok)), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "10.0.0.1:8080",
            "[::2]:80",
            "localhost.evil.example",
        ] {
            assert!(!loopback_host(&HeaderValue::from_static(bad)), "{bad}");
        }
    }
}
