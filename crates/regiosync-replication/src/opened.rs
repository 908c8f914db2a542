//! Stored chunks opened once for every subscriber. A national node serves each new chunk to
//! every member, and a member's copy has what it may not see withheld, so each subscription
//! opens the stored chunk (every envelope decoded and checked, its audience parsed). With a
//! federation-wide audience that is one id parsed per member per subscriber per chunk: the
//! national node's cost of a record grew with the square of its members. The last chunks
//! opened are kept with their stored bytes and reused only for the very same bytes, so a chunk
//! set aside or repaired since is opened again.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use regiosync_types::Sealed;

use crate::error::Result;
use crate::log::decode;

/// How many opened chunks are kept: the heads being fanned out, a few per origin moving.
const KEPT: usize = 64;
/// And at most this many stored bytes of them (the opened form is about as large again).
const KEPT_BYTES: usize = 4 << 20;

#[derive(Default)]
pub(crate) struct Opened {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    chunks: VecDeque<(Vec<u8>, Arc<Sealed>)>,
    bytes: usize,
}

impl Opened {
    /// The chunk stored as `value`, opened (or as opened before from the same bytes).
    pub(crate) fn open(&self, value: &[u8]) -> Result<Arc<Sealed>> {
        let found = self
            .kept
            .lock()
            .unwrap()
            .chunks
            .iter()
            .find(|(v, _)| v.as_slice() == value)
            .map(|(_, c)| c.clone());
        if let Some(c) = found {
            return Ok(c);
        }
        let opened = Arc::new(decode(value)?);
        if value.len() > KEPT_BYTES / 4 {
            return Ok(opened);
        }
        let mut kept = self.kept.lock().unwrap();
        kept.bytes += value.len();
        kept.chunks.push_back((value.to_vec(), opened.clone()));
        while kept.chunks.len() > KEPT || kept.bytes > KEPT_BYTES {
            match kept.chunks.pop_front() {
                Some((v, _)) => kept.bytes -= v.len(),
                None => break,
            }
        }
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_tests::{chunk, signer, vr};
    use prost::Message;

    fn stored(c: &Sealed) -> Vec<u8> {
        let mut v = c.last_seq().to_be_bytes().to_vec();
        c.to_pb().encode(&mut v).unwrap();
        v
    }

    #[test]
    fn the_same_bytes_are_opened_once_other_bytes_again() {
        let ca = regiosync_trust::DevCa::generate("opened CA").unwrap();
        let s = signer(&ca, vr(1));
        let (a, b) = (chunk(&s, 1, 4, "a"), chunk(&s, 1, 4, "b"));
        let opened = Opened::default();
        let first = opened.open(&stored(&a)).unwrap();
        assert!(Arc::ptr_eq(&first, &opened.open(&stored(&a)).unwrap()), "opened once");
        // Other bytes under the same seqs (a repaired or different chunk): opened anew.
        let other = opened.open(&stored(&b)).unwrap();
        assert_eq!(*other, b);
        assert_eq!(*first, a);
        let mut damaged = stored(&a);
        damaged[20] ^= 1;
        if let Ok(c) = opened.open(&damaged) {
            assert!(!Arc::ptr_eq(&first, &c), "damaged bytes are not the kept chunk");
        }
    }
}
