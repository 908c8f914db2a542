//! The record layer's rules plugged into the replication engine: every entry a node stores,
//! published here or received, must decode as its kind and pass that kind's rules; it is
//! indexed for the record queries in the same atomic write.
use regiosync_records::{index, validate, CodeLists, Record};
use regiosync_replication::Payloads;
use regiosync_types::{Envelope, Error};

pub struct RecordRules {
    codes: &'static CodeLists,
}

impl RecordRules {
    /// The rules over the code lists shipped with this build.
    pub fn shipped() -> RecordRules {
        RecordRules {
            codes: CodeLists::shipped(),
        }
    }
}

impl Payloads for RecordRules {
    fn admit(&self, entry: &Envelope) -> Result<Vec<Vec<u8>>, Error> {
        let Some(record) = Record::decode(entry)? else {
            return Ok(Vec::new());
        };
        validate::check(&record, entry, self.codes)?;
        Ok(vec![index::key(&record)])
    }
}
