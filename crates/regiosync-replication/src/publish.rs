//! Publishing: sealing a node's own new entries and storing them durably (group commit) before
//! anyone hears of them.
use std::sync::Arc;

use regiosync_types::chunk::Entry;
use regiosync_types::pb::{Confidentiality, EntryBody, Status};
use regiosync_types::{Envelope, NodeId};

use crate::engine::{blocking, Draft, Engine, Published};
use crate::error::{Error, Result};

impl Engine {
    /// Sign and store a new entry of this node, durably, then announce it to subscribers.
    pub async fn publish(self: &Arc<Self>, draft: Draft) -> Result<Published> {
        let mut published = self.publish_many(vec![draft]).await?;
        Ok(published.remove(0))
    }

    /// Seal and store several new entries of this node in one atomic write and one flush
    /// (group commit), then announce them. All or none are stored.
    ///
    /// Runs as a task of its own, so it completes even when its caller goes away midway (a
    /// client that hangs up, a timeout): a write that reached the store is always announced
    /// (its cursor raised) before the next publish picks its seqs, so no seq is ever sealed
    /// twice.
    pub async fn publish_many(self: &Arc<Self>, drafts: Vec<Draft>) -> Result<Vec<Published>> {
        let engine = self.clone();
        tokio::spawn(async move { engine.publish_now(drafts).await })
            .await
            .map_err(|_| Error::Shutdown)?
    }

    async fn publish_now(&self, drafts: Vec<Draft>) -> Result<Vec<Published>> {
        let _serial = self.append_lock.lock().await;
        self.writable().await?;
        let mut seq = self.version_vector().get(self.me);
        let mut envelopes = Vec::with_capacity(drafts.len());
        let mut published = Vec::with_capacity(drafts.len());
        let mut chosen_ids = Vec::new();
        let n_drafts = drafts.len();
        let created = self.now_ms();
        let signer = self.signer();
        // The key span this publish starts: at seq 1, or at the key transition it writes.
        let mut span_start = (seq == 0).then_some(1);
        let key = signer.key_id().0;
        if let Some(t) = self.transition_due(seq, signer.key_id().0).await? {
            span_start = Some(seq + 1);
            // This node seals with a new key from now on: say so first, in its own log.
            seq += 1;
            let body = EntryBody {
                id: Envelope::generated_id(self.me, seq),
                origin: self.me.to_string(),
                seq,
                kind: regiosync_types::KEY_TRANSITION.into(),
                created_unix_ms: created,
                status: Status::Actual as i32,
                audience: vec![self.me.to_string()],
                confidentiality: Confidentiality::Restricted as i32,
                payload: t.encode(),
                ..EntryBody::default()
            };
            tracing::info!(seq, "sealing with a new key: key transition");
            envelopes.push(Entry::from_envelope(Envelope::check(body)?));
        }
        for draft in drafts {
            if draft.kind == regiosync_types::KEY_TRANSITION {
                return Err(Error::Invalid(regiosync_types::Error::invalid(
                    "kind",
                    format!(
                        "{} is the engine's own kind, written when a node's key changes",
                        draft.kind
                    ),
                )));
            }
            seq += 1;
            let id = match draft.id {
                Some(id) if !id.is_empty() => {
                    chosen_ids.push(id.clone());
                    id
                }
                _ => Envelope::generated_id(self.me, seq),
            };
            let stranger = draft.audience.iter().enumerate().find_map(|(i, a)| {
                let id = a.parse::<NodeId>().ok()?;
                (!self.members.is_member(id)).then_some((i, id))
            });
            if let Some((i, id)) = stranger {
                return Err(Error::Invalid(regiosync_types::Error::invalid(
                    format!("audience[{i}]"),
                    format!("{id} is not a member of this federation (see its federation file)"),
                )));
            }
            let mut audience = draft.audience;
            // Every national node sees every entry anyway; naming them shows who does.
            for &must in self.members.nationals().iter().chain([&self.me]) {
                if !audience.iter().any(|a| a.parse::<NodeId>().ok() == Some(must)) {
                    audience.push(must.to_string());
                }
            }
            let body = EntryBody {
                id: id.clone(),
                origin: self.me.to_string(),
                seq,
                kind: draft.kind,
                created_unix_ms: created,
                expires_unix_ms: draft.expires_unix_ms,
                status: if draft.status == 0 {
                    Status::Actual as i32
                } else {
                    draft.status
                },
                supersedes: draft.supersedes,
                audience,
                confidentiality: if draft.confidentiality == 0 {
                    Confidentiality::Restricted as i32
                } else {
                    draft.confidentiality
                },
                payload: draft.payload,
            };
            let envelope = Envelope::check(body)?;
            // Refused here with the plain field path; the log admits it again when storing.
            self.payloads.admit(&envelope).map_err(|e| match n_drafts {
                1 => Error::Invalid(e),
                _ => Error::Invalid(e.within(&format!("records[{}]", published.len()))),
            })?;
            envelopes.push(Entry::from_envelope(envelope));
            published.push(Published {
                id,
                origin: self.me,
                seq,
            });
        }
        if envelopes.is_empty() {
            return Ok(published);
        }
        let log = self.log.clone();
        blocking(move || {
            let mut ids = std::collections::HashSet::new();
            for id in chosen_ids {
                if !ids.insert(id.clone()) || log.id_exists(&id)? {
                    return Err(Error::DuplicateId(id));
                }
            }
            let chunks = signer.seal_all(created, envelopes);
            log.apply(chunks, &[], None)?;
            // Durable before anyone hears of it: a crash must never reuse these seqs. The head
            // beside the tree is written at the same time (a second disk sync, in parallel), so
            // a tree that later loses its tail is noticed (`heal.rs`). A failure here is
            // returned inside: the entries are in the tree but not known to be on disk.
            Ok(std::thread::scope(|s| {
                let head = s.spawn(|| log.kv().put_beside(crate::heal::OWN_HEAD, &seq.to_be_bytes()));
                let flushed = log.flush();
                let head = head.join().unwrap_or_else(|_| {
                    Err(regiosync_store::Error::Corrupt {
                        at: crate::heal::OWN_HEAD.into(),
                        what: "writer panicked".into(),
                    })
                });
                flushed.and(head.map_err(Error::from))
            }))
        })
        .await?
        .inspect_err(|e| self.storage_failed(e))?;
        if let Some(first) = span_start {
            self.note_spans(&[(self.me, first, key)]);
        }
        self.raise(&[(self.me, seq)]);
        self.raise_durable(&[(self.me, seq)]);
        Ok(published)
    }

    /// The key transition this node must write before its next entry (after `seq`) when it now
    /// seals with `key` and its own log's last entry was sealed by another. A key its own log
    /// shows superseded is refused: it must never seal again.
    async fn transition_due(&self, seq: u64, key: [u8; 16]) -> Result<Option<regiosync_types::KeyTransition>> {
        if seq == 0 {
            return Ok(None);
        }
        let spans = self.key_spans(self.me);
        let current = match spans.range(..=seq).next_back() {
            Some((_, k)) => Some(*k),
            None => {
                let log = self.log.clone();
                let me = self.me;
                blocking(move || {
                    let last = log.last_chunk_in(&crate::keys::chunk_prefix(me), &crate::keys::chunk(me, seq + 1))?;
                    Ok(last.map(|(_, v)| crate::log::decode(&v)).transpose()?.map(|c| c.key_id))
                })
                .await?
            }
        };
        let Some(current) = current else { return Ok(None) };
        if current == key {
            return Ok(None);
        }
        if let Some((from, _)) = spans.iter().find(|(_, k)| **k == key) {
            return Err(Error::NotAllowed(format!(
                "this node's key sealed its seqs from {from} and was replaced since; it never seals again: configure the node's current certificate and key"
            )));
        }
        Ok(Some(regiosync_types::KeyTransition {
            previous_key_id: current,
            previous_last_seq: seq,
        }))
    }
}
