//! The workspace's integration tests: real nodes in-process on `127.0.0.1:0` with a fresh PKI.
mod anti_entropy;
mod audience;
mod bad_input;
mod calendar;
mod chains;
mod disk_full;
mod gaps;
mod members;
mod queries;
mod records_capacity;
mod records_lifecycle;
mod records_rules;
mod restart;
mod storage_faults;
mod tamper;
mod tls;
mod trust;
