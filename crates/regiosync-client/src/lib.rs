//! A person's client of a regiosync node, shared by the command line and the dashboard.
//!
//! It owns how a person reaches a node and proves who they are (`conn`: mutual TLS with their
//! own client certificate, from `--pki`/`--as` or `--ca`/`--cert`/`--key`; the node takes the
//! caller's identity from that certificate and nothing else), the small helpers every call
//! shares (`rpc`: why a call failed, for people in their language and with a stable code for
//! scripts; `said`: errors as catalogue messages; record statuses), reading records people write
//! (`files`: TOML and JSON; `csv` and `capacity_csv`: capacity from a spreadsheet export), and
//! rendering for the terminal (`render`: the `out!` macro, tables, times, Dutch labels), and
//! the reports for a region's board and the ministry (`report`: HTML, PDF, CSV).
//!
//! It holds no data of its own and never decides who the caller is: every answer comes from
//! the node, as that person may see it.
#[macro_use]
pub mod render;

pub mod capacity_csv;
pub mod conn;
pub mod csv;
#[cfg(test)]
mod examples_tests;
pub mod files;
pub mod report;
pub mod rpc;
pub mod said;

pub use conn::{connect, connect_lazy, Conn};
pub use rpc::{error_json, error_text, rpc_error, status_code, status_name, Failure};
pub use said::{Tell, Text};
