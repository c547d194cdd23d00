//! Connectivity-check rules, driven with hand-made STUN messages: authentication, responses,
//! peer-reflexive discovery, triggered checks, nomination, role conflicts, pacing,
//! retransmissions, the pair cap, unfreezing, mDNS and consent.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ice_agent::{
    Candidate, CandidateKind, ConnectionState, Credentials, IceAgent, IceConfig, IceEvent, IceRole,
    PairState, Receive, Received, Transmit,
};
use stun_turn_codec::{Class, IntegrityKey, Message, MessageBuilder, Method, TransactionId};

const LOCAL: &str = "192.0.2.1:5000";
const REMOTE: &str = "192.0.2.2:6000";
const REMOTE_UFRAG: &str = "peer";
const REMOTE_PWD: &str = "peerpasswordpeerpassword";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

struct Fixture {
    agent: IceAgent,
    t0: Instant,
    now: Instant,
}

impl Fixture {
    fn new(role: IceRole, config: IceConfig) -> Self {
        let t0 = Instant::now();
        let mut agent = IceAgent::new(config, role, [9; 32], t0);
        agent.add_host_candidate(addr(LOCAL)).unwrap();
        Self { agent, t0, now: t0 }
    }

    fn with_peer(role: IceRole) -> Self {
        let mut f = Self::new(role, IceConfig::default());
        f.creds();
        f
    }

    fn creds(&mut self) {
        self.agent
            .set_remote_credentials(Credentials::new(REMOTE_UFRAG, REMOTE_PWD).unwrap())
            .unwrap();
    }

    /// Runs timeouts until `until` (inclusive) and collects (time since start, datagram).
    fn run(&mut self, until: Duration) -> Vec<(Duration, Transmit)> {
        let end = self.t0 + until;
        let mut out = Vec::new();
        loop {
            self.agent.handle_timeout(self.now);
            while let Some(t) = self.agent.poll_transmit() {
                out.push((self.now - self.t0, t));
            }
            match self.agent.poll_timeout() {
                Some(t) if t <= end => self.now = t.max(self.now),
                _ => break,
            }
        }
        self.now = end;
        out
    }

    fn receive(&mut self, source: &str, data: &[u8]) -> Vec<Transmit> {
        let rx = Receive {
            source: addr(source),
            destination: addr(LOCAL),
            data,
        };
        assert_eq!(self.agent.handle_receive(self.now, rx), Received::Consumed);
        self.transmits()
    }

    fn transmits(&mut self) -> Vec<Transmit> {
        std::iter::from_fn(|| self.agent.poll_transmit()).collect()
    }

    fn events(&mut self) -> Vec<IceEvent> {
        std::iter::from_fn(|| self.agent.poll_event()).collect()
    }

    fn local_key(&self) -> IntegrityKey {
        IntegrityKey::short_term(&self.agent.local_credentials().pwd).unwrap()
    }
}

struct CheckOpts {
    priority: Option<u32>,
    controlling: Option<u64>,
    controlled: Option<u64>,
    use_candidate: bool,
    ufrag: Option<String>,
    key: Option<IntegrityKey>,
}

impl Default for CheckOpts {
    fn default() -> Self {
        Self {
            priority: Some(1_845_501_695),
            controlling: Some(7),
            controlled: None,
            use_candidate: false,
            ufrag: None,
            key: None,
        }
    }
}

fn check_request(f: &Fixture, tid: u8, o: CheckOpts) -> Vec<u8> {
    let username = format!(
        "{}:{REMOTE_UFRAG}",
        o.ufrag
            .clone()
            .unwrap_or_else(|| f.agent.local_credentials().ufrag.clone())
    );
    let key = o.key.unwrap_or_else(|| f.local_key());
    let mut buf = Vec::new();
    let mut b = MessageBuilder::new(
        &mut buf,
        Class::Request,
        Method::BINDING,
        TransactionId([tid; 12]),
    );
    b.username(&username);
    if let Some(p) = o.priority {
        b.priority(p);
    }
    if let Some(t) = o.controlling {
        b.ice_controlling(t);
    }
    if let Some(t) = o.controlled {
        b.ice_controlled(t);
    }
    if o.use_candidate {
        b.use_candidate();
    }
    b.message_integrity(&key).fingerprint();
    b.finish().unwrap();
    buf
}

/// A success response to `request` as the peer would send it (keyed with its password).
fn success_for(request: &[u8], mapped: SocketAddr) -> Vec<u8> {
    let req = Message::parse(request).unwrap();
    let key = IntegrityKey::short_term(REMOTE_PWD).unwrap();
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::SuccessResponse,
        Method::BINDING,
        req.transaction_id(),
    )
    .xor_mapped_address(mapped)
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    buf
}

fn is_request(t: &Transmit) -> bool {
    Message::parse(&t.data).is_ok_and(|m| m.class() == Class::Request)
}

fn host(a: &str, prio: u32, foundation: &str) -> Candidate {
    Candidate::new(CandidateKind::Host, addr(a), prio, foundation)
}

#[test]
fn bad_integrity_is_silently_dropped() {
    let mut f = Fixture::with_peer(IceRole::Controlled);
    let wrong = IntegrityKey::short_term("not-the-password-at-all").unwrap();
    let req = check_request(
        &f,
        1,
        CheckOpts {
            key: Some(wrong),
            ..Default::default()
        },
    );
    assert!(
        f.receive(REMOTE, &req).is_empty(),
        "no answer to a forged check"
    );
    assert_eq!(
        f.agent.remote_candidates().count(),
        0,
        "nothing learnt from it"
    );
    // A wrong ufrag is dropped as well.
    let req = check_request(
        &f,
        2,
        CheckOpts {
            ufrag: Some("nope".into()),
            ..Default::default()
        },
    );
    assert!(f.receive(REMOTE, &req).is_empty());
}

#[test]
fn valid_check_gets_xor_mapped_address_and_learns_peer_reflexive() {
    let mut f = Fixture::with_peer(IceRole::Controlled);
    let req = check_request(&f, 3, CheckOpts::default());
    let out = f.receive(REMOTE, &req);
    let resp = &out[0];
    assert_eq!((resp.source, resp.destination), (addr(LOCAL), addr(REMOTE)));
    let m = Message::parse(&resp.data).unwrap();
    assert_eq!(m.class(), Class::SuccessResponse);
    assert_eq!(m.transaction_id(), TransactionId([3; 12]));
    assert_eq!(m.xor_mapped_address().unwrap(), Some(addr(REMOTE)));
    m.verify_integrity(&f.local_key()).unwrap();
    m.verify_fingerprint().unwrap();
    // RFC 8445 §7.3.1.3: the unknown source becomes a peer-reflexive candidate with the
    // request's PRIORITY.
    let r: Vec<_> = f.agent.remote_candidates().cloned().collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].kind(), CandidateKind::PeerReflexive);
    assert_eq!(r[0].priority(), 1_845_501_695);
    // §7.3.1.4: and a triggered check goes back on the new pair.
    let sent = f.run(Duration::from_millis(1));
    let (_, check) = sent
        .iter()
        .find(|(_, t)| is_request(t))
        .expect("triggered check");
    assert_eq!(check.destination, addr(REMOTE));
    let m = Message::parse(&check.data).unwrap();
    assert_eq!(
        m.username().unwrap(),
        Some(format!("{REMOTE_UFRAG}:{}", f.agent.local_credentials().ufrag).as_str())
    );
    assert!(m.ice_controlled().unwrap().is_some());
    m.verify_integrity(&IntegrityKey::short_term(REMOTE_PWD).unwrap())
        .unwrap();
}

#[test]
fn missing_priority_gets_400() {
    let mut f = Fixture::with_peer(IceRole::Controlled);
    let req = check_request(
        &f,
        4,
        CheckOpts {
            priority: None,
            ..Default::default()
        },
    );
    let out = f.receive(REMOTE, &req);
    let m = Message::parse(&out[0].data).unwrap();
    assert_eq!(m.class(), Class::ErrorResponse);
    assert_eq!(m.error_code().unwrap().map(|e| e.code), Some(400));
}

#[test]
fn early_check_before_credentials_is_answered_and_replayed() {
    let mut f = Fixture::new(IceRole::Controlled, IceConfig::default());
    let req = check_request(&f, 5, CheckOpts::default());
    let out = f.receive(REMOTE, &req);
    assert_eq!(
        Message::parse(&out[0].data).unwrap().class(),
        Class::SuccessResponse
    );
    assert!(
        f.run(Duration::from_millis(100)).is_empty(),
        "no check without credentials"
    );
    f.creds();
    let sent = f.run(Duration::from_millis(200));
    assert!(sent
        .iter()
        .any(|(_, t)| is_request(t) && t.destination == addr(REMOTE)));
}

#[test]
fn aggressive_nomination_is_accepted() {
    let mut f = Fixture::with_peer(IceRole::Controlled);
    let req = check_request(
        &f,
        6,
        CheckOpts {
            controlled: None,
            controlling: Some(1),
            use_candidate: true,
            ..Default::default()
        },
    );
    f.receive(REMOTE, &req);
    assert!(
        f.agent.selected_pair().is_none(),
        "not before our own check succeeds"
    );
    let sent = f.run(Duration::from_millis(1));
    let (_, check) = sent.into_iter().find(|(_, t)| is_request(t)).unwrap();
    let resp = success_for(&check.data, addr(LOCAL));
    f.receive(REMOTE, &resp);
    let (l, r) = f.agent.selected_pair().expect("nominated by USE-CANDIDATE");
    assert_eq!((l.address(), r.address()), (addr(LOCAL), addr(REMOTE)));
    assert!(f
        .events()
        .iter()
        .any(|e| matches!(e, IceEvent::SelectedPair { .. })));
    // A later nomination of another pair does not move the selected pair.
    let other = "192.0.2.3:7000";
    let req = check_request(
        &f,
        7,
        CheckOpts {
            controlled: None,
            controlling: Some(1),
            use_candidate: true,
            priority: Some(u32::MAX),
            ..Default::default()
        },
    );
    f.receive(other, &req);
    f.run(Duration::from_secs(1));
    assert_eq!(f.agent.selected_pair().unwrap().1.address(), addr(REMOTE));
}

#[test]
fn role_conflict_answers_487_or_switches() {
    // Controlling with the larger tie-breaker: the peer must switch (487).
    let mut f = Fixture::with_peer(IceRole::Controlling);
    f.agent.set_tie_breaker(100);
    let req = check_request(
        &f,
        8,
        CheckOpts {
            controlled: None,
            controlling: Some(50),
            ..Default::default()
        },
    );
    let out = f.receive(REMOTE, &req);
    let m = Message::parse(&out[0].data).unwrap();
    assert_eq!(m.error_code().unwrap().map(|e| e.code), Some(487));
    m.verify_integrity(&f.local_key()).unwrap();
    assert_eq!(f.agent.role(), IceRole::Controlling);
    // With the smaller tie-breaker we switch to controlled and answer.
    let req = check_request(
        &f,
        9,
        CheckOpts {
            controlled: None,
            controlling: Some(500),
            ..Default::default()
        },
    );
    let out = f.receive(REMOTE, &req);
    assert_eq!(
        Message::parse(&out[0].data).unwrap().class(),
        Class::SuccessResponse
    );
    assert_eq!(f.agent.role(), IceRole::Controlled);
    assert!(f
        .events()
        .contains(&IceEvent::RoleChange(IceRole::Controlled)));
}

#[test]
fn a_487_response_switches_role_and_retries() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    f.agent
        .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
        .unwrap();
    let sent = f.run(Duration::from_millis(1));
    let (_, check) = sent.into_iter().find(|(_, t)| is_request(t)).unwrap();
    assert!(Message::parse(&check.data)
        .unwrap()
        .ice_controlling()
        .unwrap()
        .is_some());
    let req = Message::parse(&check.data).unwrap();
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::ErrorResponse,
        Method::BINDING,
        req.transaction_id(),
    )
    .error_code(487, "Role Conflict")
    .message_integrity(&IntegrityKey::short_term(REMOTE_PWD).unwrap())
    .fingerprint()
    .finish()
    .unwrap();
    f.receive(REMOTE, &buf);
    assert_eq!(f.agent.role(), IceRole::Controlled);
    let sent = f.run(Duration::from_millis(100));
    let (_, retry) = sent
        .into_iter()
        .find(|(_, t)| is_request(t))
        .expect("retried");
    let m = Message::parse(&retry.data).unwrap();
    assert!(m.ice_controlled().unwrap().is_some());
    assert_ne!(m.transaction_id(), req.transaction_id());
}

#[test]
fn response_from_another_address_fails_the_pair() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    f.agent
        .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
        .unwrap();
    let sent = f.run(Duration::from_millis(1));
    let (_, check) = sent.into_iter().find(|(_, t)| is_request(t)).unwrap();
    let resp = success_for(&check.data, addr(LOCAL));
    f.receive("192.0.2.99:6000", &resp);
    assert_eq!(f.agent.pairs()[0].state, PairState::Failed);
    assert!(!f.agent.pairs()[0].valid);
}

#[test]
fn checks_are_paced_by_ta() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    for i in 0..5 {
        let a = format!("192.0.2.{}:6000", 10 + i);
        f.agent
            .add_remote_candidate(host(&a, 2_130_706_431 - i, &format!("r{i}")))
            .unwrap();
    }
    let sent = f.run(Duration::from_millis(400));
    let first: Vec<Duration> = sent
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(at, _)| *at)
        .take(5)
        .collect();
    let ms: Vec<u128> = first.iter().map(Duration::as_millis).collect();
    assert_eq!(ms, [0, 50, 100, 150, 200]);
    // Highest priority first.
    let dests: Vec<SocketAddr> = sent
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(_, t)| t.destination)
        .take(5)
        .collect();
    assert_eq!(dests[0], addr("192.0.2.10:6000"));
    assert_eq!(dests[4], addr("192.0.2.14:6000"));
}

#[test]
fn unanswered_check_follows_rfc_8489_schedule_then_fails() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    f.agent
        .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
        .unwrap();
    f.agent.end_of_local_candidates();
    f.agent.end_of_remote_candidates();
    let sent = f.run(Duration::from_secs(45));
    let times: Vec<u128> = sent
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(at, _)| at.as_millis())
        .collect();
    assert_eq!(times, [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!(f.agent.pairs()[0].state, PairState::Failed);
    assert_eq!(f.agent.state(), ConnectionState::Failed);
    // Failed no earlier than 39.5 s.
    let failed_at = {
        let mut g = Fixture::with_peer(IceRole::Controlling);
        g.agent
            .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
            .unwrap();
        g.agent.end_of_local_candidates();
        g.agent.end_of_remote_candidates();
        g.run(Duration::from_millis(39_499));
        assert_ne!(g.agent.state(), ConnectionState::Failed);
        g.run(Duration::from_millis(39_500));
        g.agent.state()
    };
    assert_eq!(failed_at, ConnectionState::Failed);
}

#[test]
fn pair_cap_drops_lowest_priority() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    for i in 1..=10u32 {
        f.agent
            .add_host_candidate(addr(&format!("10.0.0.{i}:5000")))
            .unwrap();
    }
    for i in 0..10u32 {
        let a = format!("10.1.0.{}:6000", i + 1);
        f.agent
            .add_remote_candidate(host(&a, 2_000_000_000 - i * 1000, &format!("r{i}")))
            .unwrap();
    }
    // 11 local x 10 remote = 110 possible pairs, capped at 100.
    let pairs = f.agent.pairs();
    assert_eq!(pairs.len(), 100);
    // The lowest-priority remote candidate lost pairs first.
    let lowest = addr("10.1.0.10:6000");
    assert!(
        pairs
            .iter()
            .filter(|p| p.remote.address() == lowest)
            .count()
            < 11
    );
    let kept_min = pairs.last().unwrap().priority;
    assert!(pairs.windows(2).all(|w| w[0].priority >= w[1].priority));
    assert!(kept_min > 0);
}

#[test]
fn same_foundation_pairs_start_frozen_and_unfreeze_on_success() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    // Two remote candidates with one foundation: one pair Waiting, one Frozen.
    f.agent
        .add_remote_candidate(host("192.0.2.2:6000", 2_130_706_431, "same"))
        .unwrap();
    f.agent
        .add_remote_candidate(host("192.0.2.2:6001", 2_130_706_430, "same"))
        .unwrap();
    let states: Vec<PairState> = f.agent.pairs().iter().map(|p| p.state).collect();
    assert_eq!(states, [PairState::Waiting, PairState::Frozen]);
    let sent = f.run(Duration::from_millis(1));
    let (_, check) = sent.into_iter().find(|(_, t)| is_request(t)).unwrap();
    assert_eq!(check.destination, addr("192.0.2.2:6000"));
    assert_eq!(
        f.agent.pairs()[1].state,
        PairState::Frozen,
        "still frozen while in progress"
    );
    let resp = success_for(&check.data, addr(LOCAL));
    f.receive("192.0.2.2:6000", &resp);
    let states: Vec<PairState> = f.agent.pairs().iter().map(|p| p.state).collect();
    assert_eq!(states[0], PairState::Succeeded);
    assert_ne!(
        states[1],
        PairState::Frozen,
        "unfrozen by its foundation's success"
    );
}

#[test]
fn mdns_candidates_wait_for_resolution() {
    let mut f = Fixture::with_peer(IceRole::Controlling);
    let c = Candidate::parse("1 1 udp 2130706431 0d1e5c7a-6b1a-4d5e.local 6000 typ host").unwrap();
    f.agent.add_remote_candidate(c).unwrap();
    assert!(f.agent.pairs().is_empty());
    assert!(f.events().contains(&IceEvent::ResolveMdns {
        hostname: "0d1e5c7a-6b1a-4d5e.local".into()
    }));
    f.agent
        .resolve_mdns("0d1e5c7a-6b1a-4d5e.local", "192.0.2.2".parse().unwrap());
    let pairs = f.agent.pairs();
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].remote.address(), addr(REMOTE));
}

/// Connects a controlling fixture to a scripted peer that answers every request.
fn connected(config: IceConfig) -> Fixture {
    let mut f = Fixture::new(IceRole::Controlling, config);
    f.creds();
    f.agent
        .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
        .unwrap();
    for _ in 0..10 {
        let sent = f.run(f.now - f.t0 + Duration::from_millis(60));
        for (_, t) in sent {
            if is_request(&t) {
                let resp = success_for(&t.data, t.source);
                f.receive(REMOTE, &resp);
            }
        }
        if f.agent.selected_pair().is_some() {
            break;
        }
    }
    assert!(f.agent.selected_pair().is_some());
    f.events();
    f
}

#[test]
fn consent_checks_are_randomised_between_4_and_6_seconds() {
    let mut f = connected(IceConfig::default());
    let start = f.now - f.t0;
    let mut times = Vec::new();
    for _ in 0..40 {
        let sent = f.run(f.now - f.t0 + Duration::from_millis(100));
        for (at, t) in sent {
            if is_request(&t) {
                times.push(at);
                let resp = success_for(&t.data, t.source);
                f.receive(REMOTE, &resp);
            }
        }
        if times.len() >= 30 {
            break;
        }
        // Jump to the next timer (the next consent check).
        let next = f.agent.poll_timeout().unwrap();
        f.now = next.max(f.now);
    }
    assert!(times.len() >= 20, "{times:?}");
    let mut prev = start;
    let mut distinct = std::collections::BTreeSet::new();
    for t in &times {
        let gap = *t - prev;
        assert!(
            gap >= Duration::from_secs(4) && gap <= Duration::from_secs(6),
            "gap {gap:?}"
        );
        distinct.insert(gap.as_millis());
        prev = *t;
    }
    assert!(
        distinct.len() > 10,
        "intervals are randomised: {distinct:?}"
    );
    // Every consent check is an authenticated Binding request without USE-CANDIDATE.
    assert_eq!(f.agent.state(), ConnectionState::Connected);
}

/// An unanswered consent check is retransmitted with the same transaction and bytes at
/// 500 ms, 1.5 s and 3.5 s (four requests, RFC 8489 §6.2.1 schedule); a response to the
/// retransmission ends it, and the next check is a new transaction.
#[test]
fn consent_check_retransmits_then_ends_on_response() {
    let mut f = connected(IceConfig::default());
    let start = f.now - f.t0;
    let requests = |sent: Vec<(Duration, Transmit)>| -> Vec<(Duration, Transmit)> {
        sent.into_iter().filter(|(_, t)| is_request(t)).collect()
    };
    // Step until the first consent check leaves (4 to 6 s after selection).
    let mut first = Vec::new();
    let mut until = start;
    while first.is_empty() && until < start + Duration::from_secs(7) {
        until += Duration::from_millis(10);
        first = requests(f.run(until));
    }
    let (t0, req) = first.first().cloned().expect("a consent check");
    // A response with the wrong key is dropped: the retransmissions go on.
    let mut forged = Vec::new();
    MessageBuilder::new(
        &mut forged,
        Class::SuccessResponse,
        Method::BINDING,
        Message::parse(&req.data).unwrap().transaction_id(),
    )
    .xor_mapped_address(req.source)
    .message_integrity(&IntegrityKey::short_term("wrongpasswordwrongpassword").unwrap())
    .fingerprint()
    .finish()
    .unwrap();
    f.receive(REMOTE, &forged);
    let more = requests(f.run(t0 + Duration::from_millis(3600)));
    let all: Vec<_> = first.into_iter().chain(more).collect();
    let offsets: Vec<u128> = all.iter().map(|(t, _)| (*t - t0).as_millis()).collect();
    assert_eq!(offsets, [0, 500, 1500, 3500]);
    assert!(all.iter().all(|(_, t)| t.data == req.data));
    let resp = success_for(&req.data, req.source);
    f.receive(REMOTE, &resp);
    // No fifth request of the old transaction: the next request is a new consent check
    // 4 to 6 s after the first.
    let next = requests(f.run(t0 + Duration::from_secs(7)));
    let (t1, req1) = next.first().expect("the next consent check");
    assert!(*t1 - t0 >= Duration::from_secs(4) && *t1 - t0 <= Duration::from_secs(6));
    assert!(next.iter().all(|(_, t)| t.data[8..20] != req.data[8..20]));
    assert_eq!(req1.data[8..20], next.last().unwrap().1.data[8..20]);
    assert_eq!(f.agent.state(), ConnectionState::Connected);
}

#[test]
fn consent_use_candidate_switch_for_lite_servers() {
    let mut config = IceConfig::default();
    config.consent_use_candidate = true;
    let mut f = connected(config);
    let sent = f.run(f.now - f.t0 + Duration::from_secs(7));
    let (_, t) = sent
        .iter()
        .find(|(_, t)| is_request(t))
        .expect("a consent check");
    assert!(Message::parse(&t.data).unwrap().use_candidate());
    let mut f = connected(IceConfig::default());
    let sent = f.run(f.now - f.t0 + Duration::from_secs(7));
    let (_, t) = sent
        .iter()
        .find(|(_, t)| is_request(t))
        .expect("a consent check");
    assert!(!Message::parse(&t.data).unwrap().use_candidate());
}

#[test]
fn keepalives_without_consent() {
    let mut config = IceConfig::default();
    config.consent_freshness = false;
    let mut f = connected(config);
    let start = f.now - f.t0;
    let sent = f.run(start + Duration::from_secs(46));
    let ind: Vec<Duration> = sent
        .iter()
        .filter(|(_, t)| Message::parse(&t.data).is_ok_and(|m| m.class() == Class::Indication))
        .map(|(at, _)| *at - start)
        .collect();
    assert_eq!(
        ind,
        [
            Duration::from_secs(15),
            Duration::from_secs(30),
            Duration::from_secs(45)
        ]
    );
    assert!(!sent.iter().any(|(_, t)| is_request(t)));
    // Without consent nothing expires.
    assert!(f.agent.selected_pair().is_some());
}

#[test]
fn gathering_complete_and_server_reflexive_redundancy() {
    let mut config = IceConfig::default();
    config.stun_servers = vec![addr("198.51.100.1:3478")];
    let mut f = Fixture::new(IceRole::Controlling, config);
    f.agent.end_of_local_candidates();
    let sent = f.run(Duration::from_millis(1));
    let (_, req) = sent
        .into_iter()
        .find(|(_, t)| is_request(t))
        .expect("gathering request");
    assert_eq!(req.destination, addr("198.51.100.1:3478"));
    // The server sees the host address itself (no NAT): the candidate is redundant.
    let m = Message::parse(&req.data).unwrap();
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::SuccessResponse,
        Method::BINDING,
        m.transaction_id(),
    )
    .xor_mapped_address(addr(LOCAL))
    .fingerprint()
    .finish()
    .unwrap();
    let rx = Receive {
        source: addr("198.51.100.1:3478"),
        destination: addr(LOCAL),
        data: &buf,
    };
    f.agent.handle_receive(f.now, rx);
    let events = f.events();
    assert!(!events
        .iter()
        .any(|e| matches!(e, IceEvent::LocalCandidate(_))));
    assert!(events.contains(&IceEvent::GatheringComplete));
    assert_eq!(f.agent.local_candidates().count(), 1);
}

#[test]
fn non_stun_is_left_to_the_caller() {
    let mut f = Fixture::with_peer(IceRole::Controlled);
    let rx = Receive {
        source: addr(REMOTE),
        destination: addr(LOCAL),
        data: b"\x80\x60application data",
    };
    assert_eq!(
        f.agent.handle_receive(f.now, rx),
        Received::Data {
            peer: addr(REMOTE),
            data: b"\x80\x60application data"
        }
    );
}

/// Times (ms since the start) of the first `n` check requests an agent proposing `local`
/// sends when the peer proposed `remote`, with three remote candidates to check.
fn check_times(local: Option<Duration>, remote: Option<Option<Duration>>, n: usize) -> Vec<u128> {
    let mut config = IceConfig::default();
    if let Some(local) = local {
        config = config.with_ta(local).unwrap();
    }
    let mut f = Fixture::new(IceRole::Controlling, config);
    if let Some(remote) = remote {
        f.agent.set_remote_pacing(remote);
    }
    f.creds();
    for i in 0..3u32 {
        let a = format!("192.0.2.{}:6000", 10 + i);
        f.agent
            .add_remote_candidate(host(&a, 2_130_706_431 - i, &format!("r{i}")))
            .unwrap();
    }
    f.run(Duration::from_millis(200))
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(at, _)| at.as_millis())
        .take(n)
        .collect()
}

/// RFC 8445 §14.2: the agent paces with the larger of the two proposals, and a peer that
/// proposed nothing counts as 50 ms; the spacing of the checks on the wire shows it.
#[test]
fn pacing_negotiation_uses_the_larger_ta() {
    let ms = Duration::from_millis;
    // Both propose the default 15 ms.
    assert_eq!(check_times(None, Some(Some(ms(15))), 3), [0, 15, 30]);
    // Ours is larger.
    assert_eq!(
        check_times(Some(ms(20)), Some(Some(ms(10))), 3),
        [0, 20, 40]
    );
    // The peer's is larger.
    assert_eq!(check_times(None, Some(Some(ms(30))), 3), [0, 30, 60]);
    // A proposal below the 5 ms floor from the peer cannot speed us up.
    assert_eq!(check_times(Some(ms(5)), Some(Some(ms(1))), 3), [0, 5, 10]);
    // The peer's description carried no a=ice-pacing, or none was signalled at all:
    // it counts as 50 ms.
    assert_eq!(check_times(None, Some(None), 3), [0, 50, 100]);
    assert_eq!(check_times(None, None, 3), [0, 50, 100]);
    // A large proposal of ours still wins over the 50 ms default.
    assert_eq!(check_times(Some(ms(70)), Some(None), 2), [0, 70]);
}

#[test]
fn pacing_accessors_and_restart() {
    let mut config = IceConfig::default();
    config.ta = Duration::from_millis(1);
    let mut f = Fixture::new(IceRole::Controlling, config);
    // A field value below the floor is raised to 5 ms.
    assert_eq!(f.agent.local_pacing(), IceConfig::MIN_TA);
    assert_eq!(f.agent.remote_pacing(), None);
    assert_eq!(f.agent.ta(), IceConfig::DEFAULT_TA);
    f.agent.set_remote_pacing(Some(Duration::from_millis(7)));
    assert_eq!(f.agent.remote_pacing(), Some(Duration::from_millis(7)));
    assert_eq!(f.agent.ta(), Duration::from_millis(7));
    // An absurd proposal is capped at the largest `a=ice-pacing` value, and the timers
    // built on it do not overflow.
    f.agent.set_remote_pacing(Some(Duration::MAX));
    assert_eq!(f.agent.ta(), Duration::from_millis(9_999_999_999));
    f.creds();
    f.agent
        .add_remote_candidate(host(REMOTE, 2_130_706_431, "r1"))
        .unwrap();
    // The first check leaves at once; its retransmission waits RTO = Ta × pairs (§14.3).
    let sent = f.run(Duration::from_secs(60));
    assert_eq!(sent.iter().filter(|(_, t)| is_request(t)).count(), 1);
    let next = f.agent.poll_timeout().unwrap();
    assert!(next - f.t0 >= Duration::from_millis(9_999_999_999));
    f.agent.set_remote_pacing(Some(Duration::from_millis(7)));
    // A restart forgets the peer's description, pacing included.
    f.agent.restart();
    assert_eq!(f.agent.remote_pacing(), None);
    assert_eq!(f.agent.ta(), IceConfig::DEFAULT_TA);
}

/// A proposal that arrives while checks run takes effect from the next slot: one new Ta
/// after the previous check.
#[test]
fn pacing_change_applies_from_the_next_check() {
    let mut f = Fixture::new(IceRole::Controlling, IceConfig::default());
    f.creds();
    for i in 0..4u32 {
        let a = format!("192.0.2.{}:6000", 10 + i);
        f.agent
            .add_remote_candidate(host(&a, 2_130_706_431 - i, &format!("r{i}")))
            .unwrap();
    }
    let first: Vec<u128> = f
        .run(Duration::from_millis(60))
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(at, _)| at.as_millis())
        .collect();
    assert_eq!(first, [0, 50]);
    f.agent.set_remote_pacing(Some(Duration::from_millis(15)));
    let rest: Vec<u128> = f
        .run(Duration::from_millis(200))
        .iter()
        .filter(|(_, t)| is_request(t))
        .map(|(at, _)| at.as_millis())
        .take(2)
        .collect();
    // The slot after 50 ms is at 65 ms now (no longer 100 ms), then 80 ms.
    assert_eq!(rest, [65, 80]);
}

/// The TURN client's long-term authentication and refresh schedule against a scripted
/// server: 401 (realm, nonce), an authenticated Allocate, 438 (stale nonce), the retry with
/// the new nonce, success, and a Refresh a minute before the lifetime ends.
#[test]
fn turn_allocate_401_438_then_refresh() {
    use stun_turn_codec::{Attribute, LongTermAlgorithm, LongTermKey, PasswordPrep};
    let server = addr("198.51.100.2:3478");
    let mut config = IceConfig::default();
    config.turn_servers = vec![ice_agent::TurnServer {
        address: server,
        username: "alice".into(),
        password: "wonderland".into(),
    }];
    let mut f = Fixture::new(IceRole::Controlling, config);
    f.agent.end_of_local_candidates();
    let key = IntegrityKey::new(
        LongTermKey::new(
            "alice",
            "example.org",
            "wonderland",
            LongTermAlgorithm::Md5,
            PasswordPrep::OpaqueString,
        )
        .unwrap()
        .as_bytes(),
    );
    let next_request = |f: &mut Fixture, within: Duration| {
        let until = f.now - f.t0 + within;
        let sent = f.run(until);
        sent.into_iter()
            .map(|(_, t)| t)
            .find(is_request)
            .expect("a request")
    };
    let answer = |f: &mut Fixture, data: Vec<u8>| {
        let rx = Receive {
            source: server,
            destination: addr(LOCAL),
            data: &data,
        };
        assert_eq!(f.agent.handle_receive(f.now, rx), Received::Consumed);
    };
    // 1. Unauthenticated Allocate, answered with 401.
    let t = next_request(&mut f, Duration::from_millis(1));
    assert_eq!(t.destination, server);
    let m = Message::parse(&t.data).unwrap();
    assert_eq!(m.method(), Method::ALLOCATE);
    assert_eq!(m.requested_transport().unwrap(), Some(17));
    assert!(m.message_integrity().is_none());
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::ErrorResponse,
        Method::ALLOCATE,
        m.transaction_id(),
    )
    .error_code(401, "Unauthorized")
    .realm("example.org")
    .nonce("nonce-1")
    .fingerprint()
    .finish()
    .unwrap();
    answer(&mut f, buf);
    // 2. Authenticated Allocate at once; answered with 438 and a fresh nonce.
    let t = f
        .transmits()
        .into_iter()
        .find(is_request)
        .expect("authenticated Allocate");
    let m = Message::parse(&t.data).unwrap();
    assert_eq!(m.username().unwrap(), Some("alice"));
    assert_eq!(m.realm().unwrap(), Some("example.org"));
    assert_eq!(m.nonce().unwrap(), Some("nonce-1"));
    m.verify_integrity(&key).unwrap();
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::ErrorResponse,
        Method::ALLOCATE,
        m.transaction_id(),
    )
    .error_code(438, "Stale Nonce")
    .realm("example.org")
    .nonce("nonce-2")
    .fingerprint()
    .finish()
    .unwrap();
    answer(&mut f, buf);
    // 3. Retry with the new nonce; success with a relayed address and a 300 s lifetime.
    let t = f.transmits().into_iter().find(is_request).expect("retry");
    let m = Message::parse(&t.data).unwrap();
    assert_eq!(m.nonce().unwrap(), Some("nonce-2"));
    m.verify_integrity(&key).unwrap();
    let relayed = addr("198.51.100.2:50123");
    // A forged success (wrong key) is ignored.
    let wrong = IntegrityKey::new(b"not the key");
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::SuccessResponse,
        Method::ALLOCATE,
        m.transaction_id(),
    )
    .attribute(&Attribute::XorRelayedAddress(addr("192.0.2.66:1")))
    .lifetime(300)
    .message_integrity(&wrong)
    .fingerprint()
    .finish()
    .unwrap();
    answer(&mut f, buf);
    assert!(!f
        .events()
        .iter()
        .any(|e| matches!(e, IceEvent::LocalCandidate(_))));
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::SuccessResponse,
        Method::ALLOCATE,
        m.transaction_id(),
    )
    .attribute(&Attribute::XorRelayedAddress(relayed))
    .xor_mapped_address(addr("203.0.113.5:40000"))
    .lifetime(300)
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    let allocated_at = f.now - f.t0;
    answer(&mut f, buf);
    let events = f.events();
    assert!(events.iter().any(|e| matches!(e, IceEvent::LocalCandidate(c) if c.kind() == CandidateKind::Relayed && c.address() == relayed)));
    assert!(events.iter().any(
        |e| matches!(e, IceEvent::LocalCandidate(c) if c.kind() == CandidateKind::ServerReflexive)
    ));
    assert!(events.contains(&IceEvent::GatheringComplete));
    // 4. The Refresh comes a minute before the 300 s lifetime ends.
    let sent = f.run(allocated_at + Duration::from_secs(300));
    let (at, t) = sent
        .into_iter()
        .find(|(_, t)| is_request(t))
        .expect("Refresh");
    let m = Message::parse(&t.data).unwrap();
    assert_eq!(m.method(), Method::REFRESH);
    m.verify_integrity(&key).unwrap();
    assert_eq!(at - allocated_at, Duration::from_secs(240));
}
