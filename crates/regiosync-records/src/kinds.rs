//! The entry kinds of the record layer and which payload message each carries.

pub const AGREEMENT: &str = "agreement";
pub const AGREEMENT_SIGNATURE: &str = "agreement_signature";
pub const AGREEMENT_REJECTION: &str = "agreement_rejection";
pub const AGREEMENT_WITHDRAWAL: &str = "agreement_withdrawal";
pub const AGREEMENT_REVOCATION: &str = "agreement_revocation";
pub const CAPACITY_REPORT: &str = "capacity_report";
pub const EVALUATION_SUMMARY: &str = "evaluation_summary";

/// Every kind this crate understands.
pub const ALL: [&str; 7] = [
    AGREEMENT,
    AGREEMENT_SIGNATURE,
    AGREEMENT_REJECTION,
    AGREEMENT_WITHDRAWAL,
    AGREEMENT_REVOCATION,
    CAPACITY_REPORT,
    EVALUATION_SUMMARY,
];

/// Kinds starting with this prefix are opaque extension records (e.g. `x.bench`): replicated
/// and stored like any entry, never interpreted, never counted.
pub const OPAQUE_PREFIX: &str = "x.";

pub fn is_opaque(kind: &str) -> bool {
    kind.starts_with(OPAQUE_PREFIX)
}
