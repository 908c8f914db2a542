//! What the engine asks of the layer above about payloads: may this entry be stored, and what
//! does it change in the layer's aggregates. The engine never interprets a payload itself.
use regiosync_types::{Envelope, Error};

/// Rules and indexes of the record layer, called for every entry a node is about to store: at
/// publish (before it is sealed) and for every entry received (after its seal verified, before
/// anything of its batch is written).
pub trait Payloads: Send + Sync + 'static {
    /// Refuse an entry whose payload breaks a rule of its kind (the error names the field and
    /// the rule). Must depend only on the entry itself, so every node decides the same in any
    /// delivery order.
    fn admit(&self, entry: &Envelope) -> Result<(), Error>;

    /// Fold an entry that is being stored (admitted, not a duplicate) into the layer's
    /// aggregates, read and written through `state`, which sees what earlier entries of the same
    /// write changed. The changes go into the same atomic batch as the entry. Only entries that
    /// are new at this node are folded, so every aggregate counts each entry once. An error (a
    /// stored aggregate that does not decode) refuses the write: nothing of it is stored.
    fn aggregate(&self, _entry: &Envelope, _state: &mut dyn Aggregates) -> Result<(), Error> {
        Ok(())
    }
}

/// The record layer's aggregate values (the `G` keys) during one write.
pub trait Aggregates {
    /// The value as this write leaves it so far.
    fn get(&mut self, key: &[u8]) -> Option<Vec<u8>>;
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>);
}

/// Accepts every payload and keeps no aggregates (the engine's own tests, opaque benchmarks).
pub struct Opaque;

impl Payloads for Opaque {
    fn admit(&self, _entry: &Envelope) -> Result<(), Error> {
        Ok(())
    }
}
