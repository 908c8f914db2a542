//! The entry kinds of the record layer, which payload message each carries, and which kind of
//! member may publish each (the one table of it).
use regiosync_types::MemberKind;

pub const AGREEMENT: &str = "agreement";
pub const AGREEMENT_SIGNATURE: &str = "agreement_signature";
pub const AGREEMENT_REJECTION: &str = "agreement_rejection";
pub const AGREEMENT_WITHDRAWAL: &str = "agreement_withdrawal";
pub const AGREEMENT_REVOCATION: &str = "agreement_revocation";
pub const CAPACITY_REPORT: &str = "capacity_report";
pub const EVALUATION_SUMMARY: &str = "evaluation_summary";
pub const EVALUATION_WITHDRAWAL: &str = "evaluation_withdrawal";
pub const ASSISTANCE_REQUEST: &str = "assistance_request";
pub const ASSISTANCE_OFFER: &str = "assistance_offer";
pub const ASSISTANCE_ACCEPTANCE: &str = "assistance_acceptance";
pub const ASSISTANCE_DEPLOYMENT: &str = "assistance_deployment";
pub const ASSISTANCE_CLOSE: &str = "assistance_close";
pub const ASSISTANCE_ROUTING: &str = "assistance_routing";
/// The head of a node's audit chain (`audit.proto`), published by the node itself.
pub const AUDIT_ANCHOR: &str = "audit_anchor";

/// Every kind this crate understands.
pub const ALL: [&str; 15] = [
    AGREEMENT,
    AGREEMENT_SIGNATURE,
    AGREEMENT_REJECTION,
    AGREEMENT_WITHDRAWAL,
    AGREEMENT_REVOCATION,
    CAPACITY_REPORT,
    EVALUATION_SUMMARY,
    EVALUATION_WITHDRAWAL,
    ASSISTANCE_REQUEST,
    ASSISTANCE_OFFER,
    ASSISTANCE_ACCEPTANCE,
    ASSISTANCE_DEPLOYMENT,
    ASSISTANCE_CLOSE,
    ASSISTANCE_ROUTING,
    AUDIT_ANCHOR,
];

/// Kinds starting with this prefix are opaque extension records (e.g. `x.bench`): replicated
/// and stored like any entry, never interpreted, never counted.
pub const OPAQUE_PREFIX: &str = "x.";

pub fn is_opaque(kind: &str) -> bool {
    kind.starts_with(OPAQUE_PREFIX)
}

/// Who may publish what: per entry kind, whether a national node, a region and a partner may
/// be its origin. Regions publish every record kind but routings; partners publish capacity
/// about themselves; a region files, corrects and withdraws its own evaluations; national
/// nodes publish only routings (their coordinators read, route and
/// publish opaque kinds). A region requests assistance, accepts offers and closes its request;
/// regions and partners answer a request and report their units' deployment; a national node
/// routes a request that asked the national level to members. Every member's
/// node anchors its own audit chain. Every member may publish opaque kinds.
pub const WRITERS: [(&str, Writers); 15] = [
    (AGREEMENT, Writers::REGIONS),
    (AGREEMENT_SIGNATURE, Writers::REGIONS),
    (AGREEMENT_REJECTION, Writers::REGIONS),
    (AGREEMENT_WITHDRAWAL, Writers::REGIONS),
    (AGREEMENT_REVOCATION, Writers::REGIONS),
    (CAPACITY_REPORT, Writers::REGIONS_AND_PARTNERS),
    (EVALUATION_SUMMARY, Writers::REGIONS),
    (EVALUATION_WITHDRAWAL, Writers::REGIONS),
    (ASSISTANCE_REQUEST, Writers::REGIONS),
    (ASSISTANCE_OFFER, Writers::REGIONS_AND_PARTNERS),
    (ASSISTANCE_ACCEPTANCE, Writers::REGIONS),
    (ASSISTANCE_DEPLOYMENT, Writers::REGIONS_AND_PARTNERS),
    (ASSISTANCE_CLOSE, Writers::REGIONS),
    (ASSISTANCE_ROUTING, Writers::NATIONAL),
    (AUDIT_ANCHOR, Writers::ALL),
];

/// Which member kinds may publish one entry kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writers {
    pub national: bool,
    pub region: bool,
    pub partner: bool,
}

impl Writers {
    pub const REGIONS: Writers = Writers {
        national: false,
        region: true,
        partner: false,
    };
    pub const REGIONS_AND_PARTNERS: Writers = Writers {
        national: false,
        region: true,
        partner: true,
    };
    pub const NATIONAL: Writers = Writers {
        national: true,
        region: false,
        partner: false,
    };
    pub const ALL: Writers = Writers {
        national: true,
        region: true,
        partner: true,
    };

    pub fn allows(self, member: MemberKind) -> bool {
        match member {
            MemberKind::National => self.national,
            MemberKind::Region => self.region,
            MemberKind::Partner => self.partner,
        }
    }
}

/// Who may publish entries of `kind` (opaque kinds: everyone; unknown kinds: no one).
pub fn writers(kind: &str) -> Option<Writers> {
    if is_opaque(kind) {
        return Some(Writers::ALL);
    }
    WRITERS.iter().find(|(k, _)| *k == kind).map(|(_, w)| *w)
}
