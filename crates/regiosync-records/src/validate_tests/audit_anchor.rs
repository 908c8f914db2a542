//! The audit anchor: any member's node may publish one, and it must name a line by seq and
//! lowercase hex SHA-256.
use super::*;

fn anchor() -> pb::AuditAnchor {
    pb::AuditAnchor {
        seq: 12,
        hash: "ab".repeat(32),
        lines: 12,
        line_unix_ms: 1,
        last: false,
    }
}

fn anchor_outcome(origin: &'static str, change: impl FnOnce(&mut pb::AuditAnchor)) -> String {
    let mut env = Env::new(&[]);
    env.origin = origin;
    env.audience = vec![origin];
    outcome(kinds::AUDIT_ANCHOR, anchor(), env, |a, _| change(a))
}

#[test]
fn every_kind_of_member_anchors_its_chain() {
    for origin in ["NL", "VR01"] {
        assert_eq!(anchor_outcome(origin, |_| {}), "accepted", "{origin}");
    }
}

#[test]
fn an_anchor_names_its_line_exactly() {
    assert_eq!(anchor_outcome("VR01", |a| a.seq = 0), "seq: must be at least 1");
    assert_eq!(
        anchor_outcome("VR01", |a| a.hash = "AB".repeat(32)),
        format!(
            "hash: '{}' is not a SHA-256 in lowercase hex (64 characters)",
            "AB".repeat(32)
        )
    );
    assert_eq!(
        anchor_outcome("VR01", |a| a.hash = "ab".into()),
        "hash: 'ab' is not a SHA-256 in lowercase hex (64 characters)"
    );
    assert_eq!(
        anchor_outcome("VR01", |a| a.lines = 0),
        "lines: must be at least 1 (the anchored line is in the file)"
    );
}
