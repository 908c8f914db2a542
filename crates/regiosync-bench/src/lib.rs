//! Benchmarks of the speed targets in BRIEF.md section 7, measured in one run on this machine,
//! with PostgreSQL 15 logical replication as the reference.
//!
//! - `postgres`: PostgreSQL 15 logical replication over verified mTLS (the reference);

pub mod postgres;
