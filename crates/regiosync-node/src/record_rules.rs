//! The record layer's rules plugged into the replication engine: every entry a node stores,
//! published here or received, must decode as its kind and pass that kind's rules; it is
//! folded into the record layer's aggregates in the same atomic write.
use regiosync_records::{aggregate, validate, CodeLists, Record};
use regiosync_replication::{Aggregates, Payloads};
use regiosync_types::{Envelope, Error, Federation};

pub struct RecordRules {
    codes: &'static CodeLists,
    members: Federation,
}

impl RecordRules {
    /// The rules over the code lists shipped with this build, for the members of `members`.
    pub fn new(members: Federation) -> RecordRules {
        RecordRules {
            codes: CodeLists::shipped(),
            members,
        }
    }
}

impl Payloads for RecordRules {
    fn admit(&self, entry: &Envelope) -> Result<(), Error> {
        match Record::decode(entry)? {
            Some(record) => validate::check(&record, entry, self.codes, &self.members),
            None => Ok(()),
        }
    }

    fn aggregate(&self, entry: &Envelope, state: &mut dyn Aggregates) -> Result<(), Error> {
        aggregate::fold(entry, &mut Adapter(state))
    }
}

/// The engine's aggregate state as the records crate reads and writes it.
struct Adapter<'a>(&'a mut dyn Aggregates);

impl aggregate::State for Adapter<'_> {
    fn get(&mut self, key: &[u8]) -> Option<Vec<u8>> {
        self.0.get(key)
    }

    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.0.put(key, value)
    }
}
