//! Reading a node's logs and state: lists, single entries, aggregates, digests, status and
//! backups. A chunk that fails its check on the way is set aside and the read runs again.
use std::sync::atomic::Ordering;

use regiosync_types::{NodeId, VersionVector};

use crate::engine::{blocking, Engine, NodeStatus, StoredEntry};
use crate::error::{Error, Result};

impl Engine {
    /// Entries held, filtered, in (origin, seq) order; `after_seq` applies per origin and
    /// `visible_to` restricts to what that node may see.
    pub async fn list(
        &self,
        origin: Option<NodeId>,
        kind: Option<String>,
        after_seq: u64,
        limit: usize,
        visible_to: Option<NodeId>,
    ) -> Result<Vec<StoredEntry>> {
        let log = self.log.clone();
        self.reading(move || {
            let origins: Vec<NodeId> = match origin {
                Some(o) => vec![o],
                None => log.version_vector()?.iter().map(|(o, _)| o).collect(),
            };
            let mut out = Vec::new();
            for o in origins {
                let mut after = after_seq;
                loop {
                    let page = log.entries(o, after, 1024)?;
                    let n = page.len();
                    for h in page {
                        after = h.entry.envelope.seq;
                        let kind_ok = kind.as_deref().is_none_or(|k| h.entry.envelope.kind == k);
                        let vis_ok = visible_to.is_none_or(|n| log.members().may_see(n, &h.entry.envelope));
                        if kind_ok && vis_ok {
                            out.push(StoredEntry::from_held(h));
                            if out.len() >= limit {
                                return Ok(out);
                            }
                        }
                    }
                    if n < 1024 {
                        break;
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    /// The record layer's aggregates under `prefix` (kept by `Payloads::aggregate`).
    pub async fn aggregates(&self, prefix: Vec<u8>) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let log = self.log.clone();
        blocking(move || log.aggregates(&prefix)).await
    }

    /// One aggregate value.
    pub async fn aggregate(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>> {
        let log = self.log.clone();
        blocking(move || log.aggregate(&key)).await
    }

    /// The entry with this id. One inside a gap here (damaged or missing) is an
    /// [`Error::Unavailable`] that says so, not "not found".
    pub async fn get(&self, id: String) -> Result<Option<StoredEntry>> {
        let log = self.log.clone();
        self.reading(move || {
            if let Some(held) = log.get_by_id(&id)? {
                return Ok(Some(StoredEntry::from_held(held)));
            }
            let Some((origin, seq)) = log.locate(&id)? else {
                return Ok(None);
            };
            let gap = log
                .gaps()?
                .into_iter()
                .find(|g| g.range.origin == origin && (g.range.first..=g.range.last).contains(&seq));
            match gap.map(|g| g.kind) {
                Some(crate::gaps::GapKind::Damaged) => Err(Error::Unavailable(format!(
                    "{id} is damaged in this node's store and set aside until a peer sends it again"
                ))),
                Some(crate::gaps::GapKind::Missing) => Err(Error::Unavailable(format!(
                    "{id} has not reached this node: the peer that vouched for it could not send it; it is asked for again from every peer that may hold it"
                ))),
                None => Ok(None),
            }
        })
        .await
    }

    /// Count and digest of `origin`'s entries (see `Log::digest`).
    pub async fn digest(&self, origin: NodeId, visible_to: Option<NodeId>) -> Result<(u64, [u8; 32])> {
        let log = self.log.clone();
        self.reading(move || log.digest(origin, visible_to)).await
    }

    /// Run a read of the log off the async workers. A chunk that fails its check on the way is
    /// set aside (a gap from then on, asked for again from peers) and the read runs again
    /// without it.
    async fn reading<T: Send + 'static>(&self, read: impl Fn() -> Result<T> + Clone + Send + 'static) -> Result<T> {
        let mut set_aside = 0;
        loop {
            match blocking(read.clone()).await {
                Err(Error::Damaged { origin, first, what }) if set_aside < 64 => {
                    tracing::error!(%origin, first, %what, "stored chunk failed its check while read");
                    self.set_aside(origin, first).await?;
                    set_aside += 1;
                }
                r => return r,
            }
        }
    }

    pub async fn status(&self) -> Result<NodeStatus> {
        let log = self.log.clone();
        let (entries_held, damaged, missing) =
            blocking(move || Ok((log.entries_held()?, log.quarantined()?, log.missing()?))).await?;
        let held = self.version_vector();
        let peers = self
            .peers
            .lock()
            .unwrap()
            .values()
            .cloned()
            .map(|mut p| {
                p.behind = held.behind(&p.theirs);
                p
            })
            .collect();
        Ok(NodeStatus {
            node: self.me,
            held,
            entries_held,
            entries_rejected: self.rejected.load(Ordering::Relaxed),
            peers,
            writes_paused: self.healing(),
            damaged,
            missing,
        })
    }

    /// A consistent copy of this node's store in the new folder `to` (it opens as the store
    /// does); the node's own writes and what arrives from peers wait meanwhile. Returns the bytes
    /// copied and the cursors the copy holds.
    pub async fn backup(&self, to: std::path::PathBuf) -> Result<(u64, VersionVector)> {
        let _serial = self.append_lock.lock().await;
        let log = self.log.clone();
        blocking(move || {
            let _writes = log.write_guard();
            let bytes = log.kv().snapshot(&to)?;
            Ok((bytes, log.version_vector()?))
        })
        .await
    }
}
