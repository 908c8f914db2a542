//! The one thing the engine asks of the layer above about payloads: may this entry be stored,
//! and under which index keys. The engine never interprets a payload itself.
use regiosync_types::{Envelope, Error};

/// Rules and indexes of the record layer, called for every entry a node is about to store: at
/// publish (before it is sealed) and for every entry received (after its seal verified, before
/// anything of its batch is written).
pub trait Payloads: Send + Sync + 'static {
    /// Refuse an entry whose payload breaks a rule of its kind (the error names the field and
    /// the rule), or return the index keys to write with it in the same atomic batch. Must
    /// depend only on the entry itself, so every node decides the same in any delivery order.
    fn admit(&self, entry: &Envelope) -> Result<Vec<Vec<u8>>, Error>;
}

/// Accepts every payload and indexes nothing (the engine's own tests, opaque benchmarks).
pub struct Opaque;

impl Payloads for Opaque {
    fn admit(&self, _entry: &Envelope) -> Result<Vec<Vec<u8>>, Error> {
        Ok(Vec::new())
    }
}
