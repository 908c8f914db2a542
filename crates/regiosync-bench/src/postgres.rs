//! placeholder for the PostgreSQL reference benchmark
