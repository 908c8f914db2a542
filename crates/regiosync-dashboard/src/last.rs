//! The last picture: every answer the node gave, kept in memory per question (path and query
//! string), so that while the node cannot be reached the page still shows the figures it had,
//! marked with when they were fetched and why they are not newer. Only answers of the node are
//! kept; an answer that says no (a refused or wrong question) is never replaced by an old one.
use std::collections::HashMap;
use std::sync::Mutex;

use hyper::StatusCode;
use serde_json::Value;

use crate::api::ApiError;

/// At most this many questions are kept (the oldest goes first).
const MAX: usize = 512;

/// A kept answer handed out instead of a fresh one.
pub struct Stale {
    /// When the node gave it.
    pub since_unix_ms: i64,
    /// Why no newer one: the node's failure.
    pub why: String,
}

#[derive(Default)]
pub struct Last {
    kept: Mutex<HashMap<String, (Value, i64)>>,
}

/// Failures that mean "the node is away", not "the node said no".
fn unreachable(e: &ApiError) -> bool {
    matches!(
        e.http,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT | StatusCode::BAD_GATEWAY
    )
}

impl Last {
    /// Keep a fresh answer, or hand out the kept one when the node is away.
    pub fn through(
        &self,
        key: &str,
        answer: Result<Value, ApiError>,
        now_ms: i64,
    ) -> Result<(Value, Option<Stale>), ApiError> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        match answer {
            Ok(v) => {
                if kept.len() >= MAX && !kept.contains_key(key) {
                    if let Some(oldest) = kept.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| k.clone()) {
                        kept.remove(&oldest);
                    }
                }
                kept.insert(key.to_string(), (v.clone(), now_ms));
                Ok((v, None))
            }
            Err(e) if unreachable(&e) => match kept.get(key) {
                Some((v, at)) => Ok((
                    v.clone(),
                    Some(Stale {
                        since_unix_ms: *at,
                        why: format!("{}: {}", e.code, e.message),
                    }),
                )),
                None => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_answer_stands_in_only_while_the_node_is_away() {
        let last = Last::default();
        let away = || ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Unavailable", "connection refused");
        assert!(last.through("/api/x", Err(away()), 1).is_err(), "nothing kept yet");
        let (v, stale) = last.through("/api/x", Ok(serde_json::json!({"n": 1})), 10).unwrap();
        assert!(stale.is_none() && v["n"] == 1);
        let (v, stale) = last.through("/api/x", Err(away()), 20).unwrap();
        let stale = stale.expect("marked stale");
        assert_eq!((v["n"].as_i64(), stale.since_unix_ms), (Some(1), 10));
        assert_eq!(stale.why, "Unavailable: connection refused");
        // A refusal is the node's answer: never covered by an old one.
        let no = ApiError::new(StatusCode::BAD_REQUEST, "InvalidArgument", "VR99");
        assert!(last.through("/api/x", Err(no), 30).is_err());
        // Another question has nothing kept.
        assert!(last.through("/api/y", Err(away()), 40).is_err());
    }
}
