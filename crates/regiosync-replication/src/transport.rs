//! What travels between nodes, independent of the wire: the node crate maps these to protobuf
//! and implements [`Transport`] over gRPC.
use std::future::Future;
use std::pin::Pin;

use futures::Stream;
use regiosync_types::pb::Chunk;
use regiosync_types::{NodeId, VersionVector};

/// One message of a subscription stream.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncItem {
    /// A signing certificate (DER), sent before the first chunk that uses it.
    Certificate(Vec<u8>),
    /// Chunks of one origin, ascending, entries the receiver may not see withheld.
    Batch(Vec<Chunk>),
    /// The sender holds every entry of `origin` up to `seq` the receiver may see, and has sent
    /// all of them on this stream. The chunk is the origin's seal of a chunk reaching at least
    /// `seq`, every entry withheld ([`Sealed::seal_only`]): the receiver's cursor never moves
    /// past what the origin sealed, whatever a peer claims.
    ///
    /// [`Sealed::seal_only`]: regiosync_types::Sealed::seal_only
    Watermark(NodeId, u64, Chunk),
    /// The sender vouches for `origin` past these seqs but cannot send them: they are damaged
    /// or missing there too. The receiver records them as missing, moves on, and asks for them
    /// again (`lacks`) from every peer that may hold them. The chunk proves, as a watermark's
    /// does, that the origin sealed at least up to the range's last seq.
    Hole(SeqRange, Chunk),
    /// The sender holds these seqs intact and has sent on this stream every entry of them the
    /// receiver may see: what the receiver recorded missing there is complete now.
    Settled(SeqRange),
}

/// The seqs `first..=last` of `origin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeqRange {
    pub origin: NodeId,
    pub first: u64,
    pub last: u64,
}

impl SeqRange {
    /// How many seqs it spans.
    pub fn count(&self) -> u64 {
        self.last - self.first + 1
    }
}

impl std::fmt::Display for SeqRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}..={}", self.origin, self.first, self.last)
    }
}

impl SyncItem {
    /// The origin whose entries this item carries, when it names one.
    pub fn origin(&self) -> Option<NodeId> {
        match self {
            SyncItem::Certificate(_) => None,
            SyncItem::Batch(chunks) => chunks.first().and_then(|c| c.origin.parse().ok()),
            SyncItem::Watermark(origin, _, _) => Some(*origin),
            SyncItem::Hole(r, _) | SyncItem::Settled(r) => Some(r.origin),
        }
    }
}

/// A failure talking to a peer; the peer loop backs off and retries.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

pub type ItemStream = Pin<Box<dyn Stream<Item = Result<SyncItem, TransportError>> + Send>>;

/// The network, as the engine needs it.
pub trait Transport: Send + Sync + 'static {
    /// Open a subscription at `peer`, telling it what we hold and which seqs below that we
    /// lack (damaged here, or missing where they came from).
    fn subscribe(
        &self,
        peer: NodeId,
        have: VersionVector,
        lacks: Vec<SeqRange>,
    ) -> impl Future<Output = Result<ItemStream, TransportError>> + Send;

    /// One anti-entropy exchange: our version vector for theirs.
    fn digest(
        &self,
        peer: NodeId,
        have: VersionVector,
    ) -> impl Future<Output = Result<VersionVector, TransportError>> + Send;
}
