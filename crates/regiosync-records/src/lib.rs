//! The records the safety regions exchange, and everything they mean: agreements (with the
//! per-party records that sign, reject, withdraw from or revoke them), capacity reports,
//! evaluation summaries and assistance requests with the steps that answer them.
//!
//! This crate does no I/O and knows nothing of replication or networking: it turns an entry's
//! payload into a [`Record`], says whether that record is valid, and derives states from a set
//! of records. Every node runs the same code over the same records, so every node derives the
//! same states.
//!
//! - `pb`: the messages of `proto/regiosync/v1/records.proto` and `record_views.proto`;
//! - `kinds`: the entry kinds and the payload message each carries;
//! - `record`: decoding an entry into a [`Record`];
//! - `codes`: the versioned code lists shipped in `config/codelists/`;
//! - `time`: the date and moment formats records use;
//! - `calendar`: the Dutch calendar day, the only place an instant becomes a day;
//! - `validate`: the rules of each record kind (at publish and at every receiving node);
//! - `acts`: the rules that span records, checked where a person acts (agreement acts,
//!   version numbering, verified actions);
//! - `agreement`, `capacity`, `evaluation`, `assistance`: the states derived from what a node
//!   holds (an evaluation's versions and withdrawal, an assistance request's from its offers,
//!   acceptances, deployments and close);
//! - `aggregate`: the aggregates kept up to date as records are stored (same atomic write);
//! - member names and the neighbour map come from the federation file (`regiosync_types::Federation`);
//! - `read`: the inverse of the aggregate layout: stored values back into the questions' inputs;
//! - `edxl`: each step of an assistance request as an OASIS EDXL-RM 1.0 message (XML);
//! - `queries`: the answers to the six national questions, from the aggregates;
//! - `testsuite` (tests, and the `testsuite` feature): sample records, one builder of each.

pub mod acts;
#[cfg(test)]
mod acts_tests;
pub mod aggregate;
#[cfg(test)]
mod aggregate_tests;
pub mod agreement;
#[cfg(test)]
mod agreement_prop_tests;
#[cfg(test)]
mod agreement_tests;
pub mod assistance;
#[cfg(test)]
mod assistance_tests;
pub mod calendar;
#[cfg(test)]
mod calendar_tests;
pub mod capacity;
#[cfg(test)]
mod capacity_tests;
pub mod codes;
pub mod edxl;
#[cfg(test)]
mod edxl_reader;
#[cfg(test)]
mod edxl_tests;
pub mod evaluation;
#[cfg(test)]
mod evaluation_chain_tests;
#[cfg(test)]
mod evaluation_tests;
pub mod kinds;
#[cfg(test)]
mod members_tests;
pub mod queries;
pub mod read;
pub mod record;
#[cfg(any(test, feature = "testsuite"))]
pub mod testsuite;
pub mod time;
pub mod validate;
#[cfg(test)]
mod validate_tests;

/// Protobuf messages of the record kinds and their derived views (package `regiosync.v1`).
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    include!(concat!(env!("OUT_DIR"), "/regiosync.v1.rs"));
}

pub use codes::CodeLists;
pub use record::{Payload, Record};
pub use regiosync_types::{Error, Result};
