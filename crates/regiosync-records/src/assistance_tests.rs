//! A request's derived state: the flow step by step, every rule that makes a record not count,
//! and (a property) that the view depends only on the set of records held.
use regiosync_types::pb::Status;
use regiosync_types::rng::Rng;

use crate::assistance::{derive, derive_all, next_change, state};
use crate::kinds;
use crate::pb;
use crate::record::{Payload, Record};
use crate::testsuite::*;

/// Records of one request, each with the next seq of its origin.
pub(crate) struct Flow {
    pub(crate) records: Vec<Record>,
    pub(crate) status: Status,
}

impl Flow {
    pub(crate) fn new() -> Flow {
        Flow {
            records: Vec::new(),
            status: Status::Actual,
        }
    }

    fn add(&mut self, origin: &str, minute: &str, kind: &str, payload: &impl prost::Message) -> String {
        let seq = self.records.iter().filter(|r| r.origin.to_string() == origin).count() as u64 + 1;
        let created = at(&format!("2026-11-29T{minute}:00Z"));
        let r = decode(&held(origin, seq, created, self.status, kind, payload));
        let id = r.id.clone();
        self.records.push(r);
        id
    }

    /// VR17 asks VR15, VR16 and VR18 for `lines` at `minute` ("HH:MM" on 29 November 2026).
    pub(crate) fn request(&mut self, minute: &str, lines: &[(&str, u32, u32)]) -> String {
        let mut r = assistance_request();
        r.lines = lines.iter().map(|&(t, n, m)| request_line(t, n, m)).collect();
        r.addressed = strings(&["VR15", "VR16", "VR18"]);
        r.author = s("operator:VR17:bakker");
        self.add("VR17", minute, kinds::ASSISTANCE_REQUEST, &r)
    }

    pub(crate) fn offer(
        &mut self,
        by: &str,
        minute: &str,
        request: &str,
        lines: &[(&str, u32)],
        until: &str,
    ) -> String {
        let mut o = assistance_offer();
        o.request_id = request.into();
        o.lines = lines.iter().map(|&(t, n)| offer_line(t, n, Some(10))).collect();
        o.valid_until = format!("2026-11-29T{until}:00Z");
        o.author = format!("operator:{by}:x");
        self.add(by, minute, kinds::ASSISTANCE_OFFER, &o)
    }

    pub(crate) fn decline(&mut self, by: &str, minute: &str, request: &str, reason: &str) -> String {
        let mut o = assistance_decline();
        o.request_id = request.into();
        o.decline_reason = reason.into();
        o.author = format!("operator:{by}:x");
        self.add(by, minute, kinds::ASSISTANCE_OFFER, &o)
    }

    pub(crate) fn accept(&mut self, minute: &str, request: &str, commits: &[(&str, &str, u32)]) -> String {
        let a = pb::AssistanceAcceptance {
            request_id: request.into(),
            commitments: commits.iter().map(|&(o, t, n)| commitment(o, t, n)).collect(),
            note: String::new(),
            author: s("operator:VR17:bakker"),
        };
        self.add("VR17", minute, kinds::ASSISTANCE_ACCEPTANCE, &a)
    }

    pub(crate) fn deploy(&mut self, by: &str, minute: &str, request: &str, offer: &str, t: &str, st: &str) -> String {
        let mut d = assistance_deployment();
        d.request_id = request.into();
        d.offer_id = offer.into();
        d.resource_type = t.into();
        d.state = st.into();
        if st == "extended" {
            d.until = s("2026-11-30T06:00:00Z");
        }
        d.author = format!("operator:{by}:x");
        self.add(by, minute, kinds::ASSISTANCE_DEPLOYMENT, &d)
    }

    /// VR17 asks only the national level to route its request.
    pub(crate) fn national_request(&mut self, minute: &str, lines: &[(&str, u32, u32)]) -> String {
        let mut r = assistance_request();
        r.lines = lines.iter().map(|&(t, n, m)| request_line(t, n, m)).collect();
        r.addressing = Some(pb::Addressing {
            national: true,
            ..Default::default()
        });
        r.addressed.clear();
        r.author = s("operator:VR17:bakker");
        self.add("VR17", minute, kinds::ASSISTANCE_REQUEST, &r)
    }

    /// NL routes `request` to `members`, carrying the request as this flow holds it.
    pub(crate) fn route(&mut self, minute: &str, request: &str, members: &[&str]) -> String {
        let held = self.records.iter().find(|r| r.id == request).expect("the request");
        let Payload::AssistanceRequest(copy) = &held.payload else {
            panic!("{request} is not a request")
        };
        let g = pb::AssistanceRouting {
            request_id: request.into(),
            members: strings(members),
            note: s("LOCC: GPT's vrij in het oosten"),
            request: Some(copy.clone()),
            requested_unix_ms: held.created_unix_ms,
            author: s("coordinator:locc"),
        };
        self.add("NL", minute, kinds::ASSISTANCE_ROUTING, &g)
    }

    pub(crate) fn close(&mut self, minute: &str, request: &str, cancelled: bool) -> String {
        let mut c = assistance_close();
        c.request_id = request.into();
        c.cancelled = cancelled;
        if cancelled {
            c.evaluation = None;
        }
        c.author = s("operator:VR17:bakker");
        self.add("VR17", minute, kinds::ASSISTANCE_CLOSE, &c)
    }
}

/// The GRIP 3 fire at VR17: 6 TS (at least 4) and 1 GPT asked of VR15, VR16 and VR18; VR15
/// offers 2 TS, VR16 2 TS and the GPT, VR18 declines; VR17 commits 2 + 1 TS and the GPT; the
/// units go out, VR17 releases the TS, VR15 is home, VR17 closes.
pub(crate) fn fire() -> (Flow, String) {
    let mut f = Flow::new();
    let q = f.request("10:00", &[("TS", 6, 4), ("GPT", 1, 0)]);
    let o15 = f.offer("VR15", "10:06", &q, &[("TS", 2)], "14:00");
    let o16 = f.offer("VR16", "10:09", &q, &[("TS", 2), ("GPT", 1)], "14:00");
    f.decline("VR18", "10:12", &q, "own_incident");
    f.accept("10:15", &q, &[(&o15, "TS", 2), (&o16, "GPT", 1)]);
    f.accept("10:20", &q, &[(&o16, "TS", 1)]);
    f.deploy("VR15", "10:25", &q, &o15, "TS", "departed");
    f.deploy("VR15", "10:50", &q, &o15, "TS", "on_scene");
    f.deploy("VR16", "10:55", &q, &o16, "GPT", "on_scene");
    f.deploy("VR16", "10:56", &q, &o16, "TS", "on_scene");
    f.deploy("VR16", "18:00", &q, &o16, "GPT", "extended");
    f.deploy("VR17", "20:00", &q, "", "TS", "released");
    f.deploy("VR15", "21:30", &q, &o15, "TS", "returned");
    f.close("22:00", &q, false);
    (f, q)
}

fn line_row(l: &pb::LineView) -> (&str, u32, u32, u32, u32, u32) {
    (
        l.resource_type.as_str(),
        l.requested,
        l.offered,
        l.committed,
        l.on_scene,
        l.released,
    )
}

fn view_at(f: &Flow, q: &str, n: usize, minute: &str) -> pb::AssistanceView {
    derive(q, &f.records[..n], at(&format!("2026-11-29T{minute}:00Z"))).unwrap()
}

#[test]
fn the_flow_moves_the_request_through_its_states() {
    let (f, q) = fire();
    assert_eq!(q, "VR17-1");
    let states: Vec<String> = [1, 4, 5, 6, 13, 14]
        .iter()
        .map(|&n| view_at(&f, &q, n, "23:00").state)
        .collect();
    assert_eq!(
        states,
        [
            state::OPEN,
            state::OPEN,
            state::PARTIALLY_COVERED,
            state::PARTIALLY_COVERED,
            state::PARTIALLY_COVERED,
            state::CLOSED
        ]
    );

    // After the two acceptances, before any deployment: 3 of 6 TS and the GPT committed.
    let v = view_at(&f, &q, 6, "10:30");
    assert_eq!(
        v.lines.iter().map(line_row).collect::<Vec<_>>(),
        [("TS", 6, 4, 3, 0, 0), ("GPT", 1, 1, 1, 0, 0)]
    );
    let offers: Vec<(&str, &str)> = v
        .offers
        .iter()
        .map(|o| (o.record.as_ref().unwrap().id.as_str(), o.state.as_str()))
        .collect();
    assert_eq!(
        offers,
        [
            ("VR15-1", "committed"),
            ("VR16-1", "partially_committed"),
            ("VR18-1", "declined")
        ]
    );
    let answers: Vec<(&str, &str)> = v
        .addressees
        .iter()
        .map(|a| (a.member.as_str(), a.answer.as_str()))
        .collect();
    assert_eq!(
        answers,
        [("VR15", "offered"), ("VR16", "offered"), ("VR18", "declined")]
    );
    assert_eq!(
        (v.first_offer_unix_ms, v.first_commitment_unix_ms, v.covered_unix_ms),
        (at("2026-11-29T10:06:00Z"), at("2026-11-29T10:15:00Z"), 0)
    );

    // Everything: units out and home, the request closed.
    let v = derive(&q, &f.records, at("2026-11-29T23:00:00Z")).unwrap();
    assert_eq!(
        v.lines.iter().map(line_row).collect::<Vec<_>>(),
        [("TS", 6, 4, 3, 0, 3), ("GPT", 1, 1, 1, 1, 0)]
    );
    let deployments: Vec<(&str, &str, u32, &str, &str)> = v
        .deployments
        .iter()
        .map(|d| {
            (
                d.offer_id.as_str(),
                d.resource_type.as_str(),
                d.committed,
                d.state.as_str(),
                d.until.as_str(),
            )
        })
        .collect();
    assert_eq!(
        deployments,
        [
            ("VR15-1", "TS", 2, "returned", ""),
            ("VR16-1", "GPT", 1, "extended", "2026-11-30T06:00:00Z"),
            ("VR16-1", "TS", 1, "released", ""),
        ]
    );
    assert_eq!(v.closed_unix_ms, at("2026-11-29T22:00:00Z"));
    assert!(v.ignored.is_empty(), "{:?}", v.ignored);
    let steps: Vec<&str> = v.timeline.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "request",
            "offer",
            "offer",
            "decline",
            "acceptance",
            "acceptance",
            "deployment",
            "deployment",
            "deployment",
            "deployment",
            "deployment",
            "deployment",
            "deployment",
            "close"
        ]
    );
    assert_eq!(v.timeline[4].summary, "2 TS of VR15-1, 1 GPT of VR16-1");
}

#[test]
fn every_line_committed_is_covered_and_a_cancel_cancels() {
    let mut f = Flow::new();
    let q = f.request("10:00", &[("TS", 2, 0)]);
    let o = f.offer("VR15", "10:05", &q, &[("TS", 2)], "12:00");
    f.accept("10:10", &q, &[(&o, "TS", 2)]);
    let v = derive(&q, &f.records, at("2026-11-29T11:00:00Z")).unwrap();
    assert_eq!(
        (v.state.as_str(), v.covered_unix_ms),
        (state::COVERED, at("2026-11-29T10:10:00Z"))
    );
    f.close("11:00", &q, true);
    let v = derive(&q, &f.records, at("2026-11-29T11:00:00Z")).unwrap();
    assert_eq!(v.state, state::CANCELLED);
}

#[test]
fn an_offer_lapses_at_its_valid_until_unless_committed() {
    let mut f = Flow::new();
    let q = f.request("10:00", &[("TS", 4, 0)]);
    f.offer("VR15", "10:05", &q, &[("TS", 2)], "11:00");
    let o16 = f.offer("VR16", "10:06", &q, &[("TS", 2)], "11:00");
    f.accept("10:30", &q, &[(&o16, "TS", 1)]);
    let before = derive(&q, &f.records, at("2026-11-29T10:59:59Z")).unwrap();
    assert_eq!(before.lines[0].offered, 4);
    assert_eq!(before.offers[0].state, "open");
    assert_eq!(
        next_change(&[before], at("2026-11-29T10:59:59Z")),
        at("2026-11-29T11:00:00Z")
    );
    let after = derive(&q, &f.records, at("2026-11-29T11:00:00Z")).unwrap();
    assert_eq!(
        (
            after.offers[0].state.as_str(),
            after.offers[1].state.as_str(),
            after.lines[0].offered
        ),
        ("lapsed", "partially_committed", 2)
    );
    // A commitment after the offer lapsed does not count.
    f.accept("11:01", &q, &[(&o16, "TS", 1)]);
    let v = derive(&q, &f.records, at("2026-11-29T12:00:00Z")).unwrap();
    assert_eq!(v.lines[0].committed, 1);
    assert_eq!(
        v.ignored[0].reason,
        "commitments[0]: VR16-1 lapsed at 2026-11-29T11:00:00Z"
    );
}

/// The reason each ignored record is listed with, by record id.
fn ignored(v: &pb::AssistanceView) -> Vec<(&str, &str)> {
    v.ignored
        .iter()
        .map(|i| (i.record_id.as_str(), i.reason.as_str()))
        .collect()
}

#[test]
fn records_that_break_a_rule_across_records_do_not_count_and_say_why() {
    let mut f = Flow::new();
    let q = f.request("10:00", &[("TS", 4, 0), ("GPT", 1, 0)]);
    let o15 = f.offer("VR15", "10:05", &q, &[("TS", 2)], "14:00");
    // VR19 was not asked.
    f.offer("VR19", "10:06", &q, &[("TS", 2)], "14:00");
    // VR16 offers a type not asked, and more than asked.
    f.offer("VR16", "10:07", &q, &[("AL", 1)], "14:00");
    f.offer("VR16", "10:08", &q, &[("TS", 5)], "14:00");
    // More than offered.
    f.accept("10:10", &q, &[(&o15, "TS", 3)]);
    // An offer that does not count cannot be committed.
    f.accept("10:11", &q, &[("VR19-1", "TS", 1)]);
    // Nothing of GPT is committed: neither VR15's report nor the requester's release counts.
    f.deploy("VR15", "10:12", &q, &o15, "GPT", "on_scene");
    f.deploy("VR17", "10:13", &q, "", "GPT", "released");
    // An exercise record never acts on an actual request.
    f.status = Status::Exercise;
    f.accept("10:14", &q, &[(&o15, "TS", 1)]);
    f.status = Status::Actual;
    f.close("10:20", &q, true);
    // After the close, offers and acceptances do not count.
    f.offer("VR18", "10:21", &q, &[("TS", 1)], "14:00");
    let v = derive(&q, &f.records, at("2026-11-29T10:30:00Z")).unwrap();
    assert_eq!(
        ignored(&v),
        [
            ("VR15-2", "nothing of GPT in VR15-1 is committed"),
            ("VR16-1", "offers AL, which the request does not ask"),
            ("VR16-2", "offers 5 TS, the request asks 4"),
            (
                "VR17-2",
                "commitments[0]: 3 TS with 0 committed before exceeds the 2 VR15-1 offered"
            ),
            (
                "VR17-3",
                "commitments[0]: VR19-1 is not a counted offer of this request"
            ),
            ("VR17-4", "no unit of GPT is committed"),
            ("VR17-5", "its status is exercise, the request's actual"),
            ("VR18-1", "made after the request was closed"),
            ("VR19-1", "VR19 was not asked"),
        ]
    );
    assert_eq!((v.state.as_str(), v.lines[0].committed), (state::CANCELLED, 0));
}

#[test]
fn without_the_request_there_is_no_view() {
    let (f, q) = fire();
    assert!(derive(&q, &f.records[1..], at("2026-11-29T23:00:00Z")).is_none());
    assert!(derive("VR17-99", &f.records, at("2026-11-29T23:00:00Z")).is_none());
}

#[test]
fn the_view_depends_only_on_the_set_of_records() {
    let (mut f, q) = fire();
    // A second request interleaved, with records that do not count.
    let q2 = f.request("11:00", &[("GPT", 2, 1)]);
    let o = f.offer("VR18", "11:05", &q2, &[("GPT", 1)], "12:00");
    f.offer("VR19", "11:06", &q2, &[("GPT", 1)], "12:00");
    f.accept("11:10", &q2, &[(&o, "GPT", 1)]);
    f.deploy("VR18", "11:40", &q2, &o, "GPT", "on_scene");
    f.accept("11:50", &q2, &[(&o, "GPT", 1)]);
    let nows: Vec<i64> = ["10:30", "11:30", "13:00", "23:00"]
        .iter()
        .map(|m| at(&format!("2026-11-29T{m}:00Z")))
        .collect();
    let expected: Vec<_> = nows.iter().map(|&n| derive_all(&f.records, n)).collect();
    assert_eq!(expected[3].len(), 2);
    assert_eq!(
        expected[3].iter().map(|v| v.state.as_str()).collect::<Vec<_>>(),
        [state::CLOSED, state::PARTIALLY_COVERED]
    );
    assert!(!expected[3][1].ignored.is_empty());
    let mut rng = Rng(0x5eed_a551);
    for round in 0..300 {
        let mut shuffled = f.records.clone();
        // Duplicates: some records arrive twice.
        for _ in 0..rng.below(6) {
            let r = shuffled[rng.index(f.records.len())].clone();
            shuffled.push(r);
        }
        rng.shuffle(&mut shuffled);
        for (n, want) in nows.iter().zip(&expected) {
            assert_eq!(&derive_all(&shuffled, *n), want, "round {round}");
        }
        assert_eq!(
            derive(&q, &shuffled, nows[3]).as_ref(),
            expected[3].first(),
            "round {round}"
        );
    }
}

#[test]
fn a_routing_asks_more_members_and_a_member_routed_to_derives_the_request_from_its_copy() {
    let mut f = Flow::new();
    let q = f.national_request("10:00", &[("GPT", 2, 1)]);
    // Before the routing nobody was asked: VR19's offer does not count.
    let early = f.offer("VR19", "10:01", &q, &[("GPT", 1)], "14:00");
    let g = f.route("10:05", &q, &["VR19", "VR20"]);
    let o = f.offer("VR19", "10:10", &q, &[("GPT", 1)], "14:00");
    f.decline("VR20", "10:12", &q, "no_capacity");
    f.accept("10:15", &q, &[(&o, "GPT", 1)]);
    let now = at("2026-11-29T10:30:00Z");

    let before = derive(&q, &f.records[..2], now).unwrap();
    assert!(before.addressees.is_empty() && before.routings.is_empty());
    assert_eq!(ignored(&before), [(early.as_str(), "VR19 was not asked")]);

    let v = derive(&q, &f.records, now).unwrap();
    let asked: Vec<(&str, &str)> = v
        .addressees
        .iter()
        .map(|a| (a.member.as_str(), a.answer.as_str()))
        .collect();
    assert_eq!(asked, [("VR19", "offered"), ("VR20", "declined")]);
    assert_eq!(v.routings.len(), 1);
    let r = &v.routings[0];
    assert_eq!(
        (r.record_id.as_str(), r.by.as_str(), r.members.clone()),
        (g.as_str(), "NL", strings(&["VR19", "VR20"]))
    );
    let steps: Vec<&str> = v.timeline.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(steps, ["request", "offer", "routing", "offer", "decline", "acceptance"]);
    assert_eq!(v.timeline[2].summary, "routed to VR19, VR20");
    assert_eq!(v.state, state::PARTIALLY_COVERED);
    // The early offer is an offer of VR19 made before it was asked: VR19 is asked now, so it
    // counts too (the set of records decides, not the order they were made in).
    assert_eq!(v.offers.len(), 3);

    // A member routed to holds everything but the request: it derives the same view.
    let without: Vec<Record> = f.records.iter().filter(|r| r.id != q).cloned().collect();
    assert_eq!(derive(&q, &without, now).as_ref(), Some(&v));
}

#[test]
fn a_routing_that_breaks_a_rule_does_not_count_and_says_why() {
    // The request did not ask the national level.
    let mut f = Flow::new();
    let q = f.request("10:00", &[("TS", 2, 0)]);
    let g = f.route("10:05", &q, &["VR19"]);
    let v = derive(&q, &f.records, at("2026-11-29T10:30:00Z")).unwrap();
    assert_eq!(
        ignored(&v),
        [(g.as_str(), "the request did not ask the national level to route it")]
    );
    assert_eq!(v.addressees.len(), 3);

    // A copy that differs from the request the node holds; a routing after the close.
    let mut f = Flow::new();
    let q = f.national_request("10:00", &[("TS", 2, 0)]);
    let g = f.route("10:05", &q, &["VR19"]);
    let Payload::AssistanceRouting(r) = &mut f.records[1].payload else {
        unreachable!()
    };
    r.request.as_mut().unwrap().lines[0].quantity = 20;
    f.close("10:10", &q, true);
    let late = f.route("10:20", &q, &["VR20"]);
    let v = derive(&q, &f.records, at("2026-11-29T10:30:00Z")).unwrap();
    assert_eq!(
        ignored(&v),
        [
            (g.as_str(), "its copy of the request differs from the request"),
            (late.as_str(), "made after the request was closed"),
        ]
    );
    assert!(v.addressees.is_empty() && v.routings.is_empty());
}
