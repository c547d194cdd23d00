//! Scenario matrix over the simulated network: each scenario asserts the selected pair's
//! candidate types and the simulated time to connect, and replays identically per seed.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use ice_agent::sim::{LinkConfig, NatBehavior, NatConfig, Sim};
use ice_agent::{CandidateKind, ConnectionState, IceConfig, IceEvent, IceRole};

const STUN: &str = "198.51.100.1:3478";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn with_stun() -> IceConfig {
    let mut c = IceConfig::default();
    c.stun_servers = vec![addr(STUN)];
    c
}

/// Two agents behind port-restricted cone NATs (endpoint-independent mapping,
/// address-and-port-dependent filtering): checks to the server-reflexive candidates
/// open both filters.
#[test]
fn port_restricted_cones_punch_through() {
    for filtering in [
        NatBehavior::AddressDependent,
        NatBehavior::AddressAndPortDependent,
    ] {
        let mut sim = Sim::new(LinkConfig::default(), 6);
        sim.net.add_stun_server(addr(STUN));
        let a = sim.add_agent(with_stun(), IceRole::Controlling);
        let b = sim.add_agent(with_stun(), IceRole::Controlled);
        let nat = |public| NatConfig {
            public_ip: ip(public),
            mapping: NatBehavior::EndpointIndependent,
            filtering,
        };
        let na = sim.net.add_nat(nat("203.0.113.1"));
        let nb = sim.net.add_nat(nat("203.0.113.2"));
        sim.add_host(a, addr("10.0.1.1:5000"), Some(na));
        sim.add_host(b, addr("10.0.2.1:6000"), Some(nb));
        sim.signal(a, b);
        sim.end_candidates();
        assert!(sim.run_until_selected(Duration::from_secs(10)));
        assert_eq!(
            selected_kinds(&sim, 0),
            (
                CandidateKind::ServerReflexive,
                CandidateKind::ServerReflexive
            )
        );
        assert_agree(&sim);
        // The first check into a closed filter is lost; the peer's triggered check or a
        // retransmission gets through within the first RTO.
        let t = sim.agents[1].first_selected().unwrap();
        assert!(
            t < Duration::from_millis(1200),
            "{filtering:?}: selected after {t:?}"
        );
    }
}

/// Two agents, each behind its own NAT (or public when `None`), with a STUN server.
fn nat_pair(
    link: LinkConfig,
    seed: u64,
    a_nat: Option<NatBehavior>,
    b_nat: Option<NatBehavior>,
) -> Sim {
    let mut sim = Sim::new(link, seed);
    sim.net.add_stun_server(addr(STUN));
    let a = sim.add_agent(with_stun(), IceRole::Controlling);
    let b = sim.add_agent(with_stun(), IceRole::Controlled);
    let na = a_nat.map(|n| sim.net.add_nat(NatConfig::new(ip("203.0.113.1"), n)));
    let nb = b_nat.map(|n| sim.net.add_nat(NatConfig::new(ip("203.0.113.2"), n)));
    let (ha, hb) = match (na, nb) {
        (None, None) => ("192.0.2.1:5000", "192.0.2.2:6000"),
        _ => ("10.0.1.1:5000", "10.0.2.1:6000"),
    };
    sim.add_host(a, addr(ha), na);
    sim.add_host(b, addr(hb), nb);
    sim.signal(a, b);
    sim.end_candidates();
    sim
}

fn selected_kinds(sim: &Sim, i: usize) -> (CandidateKind, CandidateKind) {
    let (l, r) = sim.agent(i).selected_pair().expect("selected pair");
    (l.kind(), r.kind())
}

/// Both agents agree on the pair: A's local address is what B sees as remote.
fn assert_agree(sim: &Sim) {
    let (la, ra) = sim.agent(0).selected_pair().unwrap();
    let (lb, rb) = sim.agent(1).selected_pair().unwrap();
    assert_eq!(ra.address(), lb.address(), "A's remote is B's local");
    assert_eq!(rb.address(), la.address(), "B's remote is A's local");
}

fn log(sim: &Sim) -> Vec<String> {
    sim.agents
        .iter()
        .flat_map(|a| a.events.iter().map(|(t, e)| format!("{t:?} {e:?}")))
        .collect()
}

#[test]
fn host_host_connects_in_one_round_trip_plus_ta() {
    let mut sim = nat_pair(LinkConfig::default(), 1, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    assert_eq!(
        selected_kinds(&sim, 0),
        (CandidateKind::Host, CandidateKind::Host)
    );
    assert_agree(&sim);
    // One round trip is 50 ms; the first check leaves at once, the STUN gathering
    // request took the first Ta slot.
    let rtt = 2 * LinkConfig::default().latency;
    let ta = IceConfig::default().ta;
    let t = sim.agents[0]
        .first_time_in(ConnectionState::Connected)
        .unwrap();
    assert!(t <= rtt + ta, "connected after {t:?}");
    // Nomination costs one more round trip on the controlled side.
    let tb = sim.agents[1].first_selected().unwrap();
    assert!(tb <= 2 * rtt + ta, "selected after {tb:?}");
}

#[test]
fn endpoint_independent_nats_use_server_reflexive() {
    let mut sim = nat_pair(
        LinkConfig::default(),
        2,
        Some(NatBehavior::EndpointIndependent),
        Some(NatBehavior::EndpointIndependent),
    );
    assert!(sim.run_until_selected(Duration::from_secs(10)));
    assert_eq!(
        selected_kinds(&sim, 0),
        (
            CandidateKind::ServerReflexive,
            CandidateKind::ServerReflexive
        )
    );
    assert_agree(&sim);
    // Gathering (1 RTT) then checks: a few round trips at most.
    let t = sim.agents[0]
        .first_time_in(ConnectionState::Connected)
        .unwrap();
    assert!(t < Duration::from_millis(600), "connected after {t:?}");
}

#[test]
fn symmetric_nat_facing_public_host() {
    let mut sim = nat_pair(
        LinkConfig::default(),
        3,
        Some(NatBehavior::AddressAndPortDependent),
        None,
    );
    // Only A is behind a symmetric NAT; B is public: A's check creates the mapping B
    // learns as peer-reflexive, and B's triggered check comes back through it.
    assert!(sim.run_until_selected(Duration::from_secs(10)));
    let (la, ra) = selected_kinds(&sim, 0);
    assert_eq!(ra, CandidateKind::Host);
    assert_eq!(la, CandidateKind::PeerReflexive);
    let (_, rb) = selected_kinds(&sim, 1);
    assert_eq!(rb, CandidateKind::PeerReflexive);
    assert_agree(&sim);
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t < Duration::from_secs(1), "selected after {t:?}");
}

#[test]
fn symmetric_vs_full_cone_goes_peer_reflexive() {
    let mut sim = nat_pair(
        LinkConfig::default(),
        4,
        Some(NatBehavior::AddressAndPortDependent),
        Some(NatBehavior::EndpointIndependent),
    );
    assert!(sim.run_until_selected(Duration::from_secs(10)));
    assert_eq!(
        selected_kinds(&sim, 0),
        (CandidateKind::PeerReflexive, CandidateKind::ServerReflexive)
    );
    assert_eq!(selected_kinds(&sim, 1).1, CandidateKind::PeerReflexive);
    assert_agree(&sim);
}

#[test]
fn symmetric_nats_on_both_sides_fail_without_relay() {
    let mut sim = nat_pair(
        LinkConfig::default(),
        5,
        Some(NatBehavior::AddressAndPortDependent),
        Some(NatBehavior::AddressAndPortDependent),
    );
    let failed = sim.run_until(Duration::from_secs(120), |s| {
        s.agents
            .iter()
            .all(|a| a.agent.state() == ConnectionState::Failed)
    });
    assert!(failed, "states {:?}", sim.agents[0].states());
    assert!(sim.agent(0).selected_pair().is_none());
    // Every check gives up after the RFC 8489 schedule (39.5 s) at the earliest.
    let t = sim.agents[0]
        .first_time_in(ConnectionState::Failed)
        .unwrap();
    assert!(t >= Duration::from_millis(39_500), "failed after {t:?}");
}

#[test]
fn twenty_percent_loss_still_connects() {
    for seed in 10..20 {
        let link = LinkConfig {
            loss: 0.2,
            jitter: Duration::from_millis(10),
            ..LinkConfig::default()
        };
        let mut sim = nat_pair(link, seed, None, None);
        assert!(
            sim.run_until_selected(Duration::from_secs(20)),
            "seed {seed}"
        );
        assert_eq!(
            selected_kinds(&sim, 0),
            (CandidateKind::Host, CandidateKind::Host)
        );
        assert_agree(&sim);
        let t = sim.agents[1].first_selected().unwrap();
        // A few retransmissions at most (500 ms, 1 s, 2 s ...).
        assert!(
            t < Duration::from_secs(8),
            "seed {seed}: selected after {t:?}"
        );
        // Keep running with loss: consent holds, the pair never moves.
        sim.run_for(Duration::from_secs(60));
        assert_eq!(sim.agents[0].selections(), 1, "seed {seed}");
        assert!(sim.agent(0).selected_pair().is_some(), "seed {seed}");
    }
}

#[test]
fn jitter_duplication_and_reordering() {
    let link = LinkConfig {
        latency: Duration::from_millis(40),
        jitter: Duration::from_millis(30),
        duplicate: 0.3,
        reorder: 0.3,
        loss: 0.0,
    };
    let mut sim = nat_pair(link, 21, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(10)));
    assert_eq!(
        selected_kinds(&sim, 0),
        (CandidateKind::Host, CandidateKind::Host)
    );
    assert_agree(&sim);
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t < Duration::from_secs(1), "selected after {t:?}");
    // Consent checks on the duplicating link: duplicates arrive, the pair stays.
    sim.run_for(Duration::from_secs(30));
    assert!(sim.net.stats.delivered > sim.net.stats.sent - sim.net.stats.filtered);
    assert_eq!(sim.agents[0].selections(), 1);
    assert_eq!(sim.agents[1].selections(), 1);
}

#[test]
fn same_seed_replays_identically() {
    let run = |seed| {
        let link = LinkConfig {
            loss: 0.2,
            jitter: Duration::from_millis(20),
            duplicate: 0.1,
            reorder: 0.1,
            ..LinkConfig::default()
        };
        let mut sim = nat_pair(
            link,
            seed,
            Some(NatBehavior::EndpointIndependent),
            Some(NatBehavior::AddressDependent),
        );
        sim.run_for(Duration::from_secs(30));
        (log(&sim), sim.net.stats)
    };
    let (a, sa) = run(77);
    let (b, sb) = run(77);
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    let (c, _) = run(78);
    assert_ne!(a, c, "another seed gives another run");
}

#[test]
fn restart_mid_call_keeps_old_pair_until_new_one() {
    let mut sim = nat_pair(LinkConfig::default(), 30, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    sim.run_for(Duration::from_secs(10));
    let old_creds = sim.agent(0).local_credentials().clone();
    sim.agent_mut(0).restart();
    sim.agent_mut(1).restart();
    assert_ne!(sim.agent(0).local_credentials(), &old_creds);
    // The old pair is still in use during the restart.
    assert!(sim.agent(0).selected_pair().is_some());
    assert!(sim.agent(1).selected_pair().is_some());
    sim.resignal(0, 1);
    sim.end_candidates();
    let restarted_at = sim.elapsed();
    let done = sim.run_until(Duration::from_secs(10), |s| {
        s.agents.iter().all(|a| a.selections() == 2)
    });
    assert!(done);
    let t = sim.agents[0]
        .events
        .iter()
        .filter(|(_, e)| matches!(e, IceEvent::SelectedPair { .. }))
        .nth(1)
        .unwrap()
        .0;
    assert!(
        t - restarted_at < Duration::from_millis(300),
        "restart took {:?}",
        t - restarted_at
    );
    assert_agree(&sim);
    assert_eq!(
        selected_kinds(&sim, 0),
        (CandidateKind::Host, CandidateKind::Host)
    );
    sim.run_for(Duration::from_secs(60));
    for a in &sim.agents {
        let states = a.states();
        assert!(!states.contains(&ConnectionState::Failed), "{states:?}");
        assert!(
            !states.contains(&ConnectionState::Disconnected),
            "{states:?}"
        );
        assert_eq!(a.selections(), 2);
    }
}

#[test]
fn dual_stack_prefers_ipv6() {
    let mut sim = Sim::new(LinkConfig::default(), 40);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
    let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    sim.add_host(a, addr("192.0.2.1:5000"), None);
    sim.add_host(a, addr("[2001:db8::1]:5000"), None);
    sim.add_host(b, addr("192.0.2.2:6000"), None);
    sim.add_host(b, addr("[2001:db8::2]:6000"), None);
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    let (l, r) = sim.agent(a).selected_pair().unwrap();
    assert!(l.address().is_ipv6() && r.address().is_ipv6());
    assert_agree(&sim);
    // Two pairs (one per family); no cross-family pairs.
    assert!(sim
        .agent(a)
        .pairs()
        .iter()
        .all(|p| p.local.address().is_ipv4() == p.remote.address().is_ipv4()));
}

#[test]
fn ipv6_only_when_ipv4_is_broken() {
    let mut sim = Sim::new(LinkConfig::default(), 41);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
    let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    sim.add_host(a, addr("192.0.2.1:5000"), None);
    sim.add_host(a, addr("[2001:db8::1]:5000"), None);
    sim.add_host(b, addr("192.0.2.2:6000"), None);
    sim.add_host(b, addr("[2001:db8::2]:6000"), None);
    sim.net.block(ip("2001:db8::1"), ip("2001:db8::2"));
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    let (l, _) = sim.agent(a).selected_pair().unwrap();
    assert!(l.address().is_ipv4());
    assert_agree(&sim);
    // The IPv6 pair had priority but failed to answer: nomination waited for
    // `nomination_delay` at most.
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t < Duration::from_secs(1), "selected after {t:?}");
}

#[test]
fn role_conflict_is_resolved_by_tie_breakers() {
    for (ta, tb) in [(1u64, 2u64), (2, 1)] {
        let mut sim = Sim::new(LinkConfig::default(), 50);
        let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
        let b = sim.add_agent(IceConfig::default(), IceRole::Controlling);
        sim.agent_mut(a).set_tie_breaker(ta);
        sim.agent_mut(b).set_tie_breaker(tb);
        sim.add_host(a, addr("192.0.2.1:5000"), None);
        sim.add_host(b, addr("192.0.2.2:6000"), None);
        sim.signal(a, b);
        sim.end_candidates();
        assert!(sim.run_until_selected(Duration::from_secs(5)));
        assert_agree(&sim);
        // The larger tie-breaker stays controlling (RFC 8445 §7.3.1.1).
        let (winner, loser) = if ta > tb { (a, b) } else { (b, a) };
        assert_eq!(sim.agent(winner).role(), IceRole::Controlling);
        assert_eq!(sim.agent(loser).role(), IceRole::Controlled);
        assert!(sim.agents[loser]
            .events
            .iter()
            .any(|(_, e)| *e == IceEvent::RoleChange(IceRole::Controlled)));
    }
}

#[test]
fn both_controlled_is_resolved_too() {
    let mut sim = Sim::new(LinkConfig::default(), 51);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    sim.add_host(a, addr("192.0.2.1:5000"), None);
    sim.add_host(b, addr("192.0.2.2:6000"), None);
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    assert_agree(&sim);
    let roles = [sim.agent(a).role(), sim.agent(b).role()];
    assert!(roles.contains(&IceRole::Controlling) && roles.contains(&IceRole::Controlled));
}

#[test]
fn consent_lost_after_thirty_seconds_of_silence() {
    let mut sim = nat_pair(LinkConfig::default(), 60, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    sim.run_for(Duration::from_secs(5));
    let cut = sim.elapsed();
    sim.net.block(ip("192.0.2.1"), ip("192.0.2.2"));
    let lost = sim.run_until(Duration::from_secs(60), |s| {
        s.agents[0]
            .events
            .iter()
            .any(|(_, e)| *e == IceEvent::ConsentLost)
    });
    assert!(lost);
    let a = &sim.agents[0];
    let disc = a
        .events
        .iter()
        .find(|(t, e)| {
            *t > cut && *e == IceEvent::ConnectionStateChange(ConnectionState::Disconnected)
        })
        .unwrap()
        .0;
    let lost_at = a
        .events
        .iter()
        .find(|(_, e)| *e == IceEvent::ConsentLost)
        .unwrap()
        .0;
    // Consent lasts 30 s from the last answered check, which was at most 6 s before the cut.
    assert!(
        lost_at - cut <= Duration::from_secs(30),
        "lost {:?} after the cut",
        lost_at - cut
    );
    assert!(
        lost_at - cut >= Duration::from_secs(24),
        "lost {:?} after the cut",
        lost_at - cut
    );
    assert!(disc < lost_at);
    assert_eq!(sim.agent(0).state(), ConnectionState::Failed);
    assert!(sim.agent(0).selected_pair().is_none());
}

#[test]
fn disconnected_recovers_to_connected() {
    let mut sim = nat_pair(LinkConfig::default(), 61, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    sim.run_for(Duration::from_secs(3));
    sim.net.block(ip("192.0.2.1"), ip("192.0.2.2"));
    assert!(
        sim.run_until(Duration::from_secs(20), |s| s.agent(0).state()
            == ConnectionState::Disconnected)
    );
    sim.net.unblock_all();
    assert!(sim.run_until(Duration::from_secs(10), |s| {
        matches!(
            s.agent(0).state(),
            ConnectionState::Connected | ConnectionState::Completed
        )
    }));
    sim.run_for(Duration::from_secs(40));
    assert!(sim.agent(0).selected_pair().is_some());
    assert_eq!(sim.agents[0].selections(), 1);
}

#[test]
fn one_lost_check_does_not_flap() {
    let mut sim = nat_pair(LinkConfig::default(), 62, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    sim.run_for(Duration::from_secs(2));
    // Lose everything for 400 ms every 7 s: at most one datagram of a consent check.
    for _ in 0..10 {
        sim.net.block(ip("192.0.2.1"), ip("192.0.2.2"));
        sim.run_for(Duration::from_millis(400));
        sim.net.unblock_all();
        sim.run_for(Duration::from_millis(6600));
    }
    for a in &sim.agents {
        let states = a.states();
        assert!(
            !states.contains(&ConnectionState::Disconnected),
            "{states:?}"
        );
    }
}

#[test]
fn ice_lite_server_with_full_client() {
    let mut sim = Sim::new(LinkConfig::default(), 70);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    let b = sim.add_agent(IceConfig::lite(), IceRole::Controlling);
    // A lite agent is always controlled; a full agent facing it controls.
    assert_eq!(sim.agent(b).role(), IceRole::Controlled);
    sim.agent_mut(a).set_remote_lite(true);
    assert_eq!(sim.agent(a).role(), IceRole::Controlling);
    sim.add_host(a, addr("10.0.0.1:5000"), None);
    sim.add_host(b, addr("192.0.2.9:443"), None);
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    assert_agree(&sim);
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t <= Duration::from_millis(150), "selected after {t:?}");
    // The lite agent never checks: every pair it knows came from a received check.
    assert!(sim
        .agent(b)
        .pairs()
        .iter()
        .all(|p| p.state == ice_agent::PairState::Succeeded));
    // Consent from the full side keeps the lite side alive.
    sim.run_for(Duration::from_secs(60));
    assert!(sim.agent(b).selected_pair().is_some());
    assert!(sim.agent(a).selected_pair().is_some());
    assert!(!sim.agents[1]
        .states()
        .contains(&ConnectionState::Disconnected));
}

#[test]
fn trickled_candidates_after_credentials() {
    let mut sim = Sim::new(LinkConfig::default(), 80);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
    let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
    sim.signal(a, b);
    sim.run_for(Duration::from_millis(300));
    assert_eq!(sim.agent(a).state(), ConnectionState::New);
    sim.add_host(b, addr("192.0.2.2:6000"), None);
    sim.run_for(Duration::from_millis(300));
    sim.add_host(a, addr("192.0.2.1:5000"), None);
    let t0 = sim.elapsed();
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    let t = sim.agents[1].first_selected().unwrap() - t0;
    assert!(
        t <= Duration::from_millis(200),
        "selected {t:?} after the last candidate"
    );
    assert_agree(&sim);
    // Without end-of-candidates the state is Connected, not Completed.
    assert_eq!(sim.agent(a).state(), ConnectionState::Connected);
    sim.end_candidates();
    sim.run_for(Duration::from_millis(500));
    assert_eq!(sim.agent(a).state(), ConnectionState::Completed);
    assert_eq!(sim.agent(b).state(), ConnectionState::Completed);
}

/// Agent 0 has 10 addresses and agent 1 has 10: 100 pairs, and only the lowest-priority
/// one gets through.
pub fn hundred_pairs(seed: u64) -> Sim {
    hundred_pairs_with(seed, true)
}

/// [`hundred_pairs`]; with `b_signals_pacing` false, agent 1 stands for an implementation
/// that knows no `a=ice-pacing`: it signals none and paces at the 50 ms default.
fn hundred_pairs_with(seed: u64, b_signals_pacing: bool) -> Sim {
    let mut sim = Sim::new(LinkConfig::default(), seed);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
    let b_config = if b_signals_pacing {
        IceConfig::default()
    } else {
        IceConfig::default().with_ta(IceConfig::DEFAULT_TA).unwrap()
    };
    let b = sim.add_agent(b_config, IceRole::Controlled);
    sim.set_signals_pacing(b, b_signals_pacing);
    sim.record_transmits(a);
    for i in 0..10 {
        sim.add_host(a, addr(&format!("10.0.0.{}:5000", i + 1)), None);
        sim.add_host(b, addr(&format!("10.0.1.{}:6000", i + 1)), None);
    }
    for i in 0..10 {
        for j in 0..10 {
            if (i, j) != (9, 9) {
                sim.net.block(
                    ip(&format!("10.0.0.{}", i + 1)),
                    ip(&format!("10.0.1.{}", j + 1)),
                );
            }
        }
    }
    sim.signal(a, b);
    sim.end_candidates();
    sim
}

#[test]
fn only_the_lowest_of_hundred_pairs_works() {
    let mut sim = hundred_pairs(90);
    assert_eq!(sim.agent(0).pairs().len(), 100);
    assert!(sim.run_until_selected(Duration::from_secs(60)));
    let (l, r) = sim.agent(0).selected_pair().unwrap();
    assert_eq!(l.address(), addr("10.0.0.10:5000"));
    assert_eq!(r.address(), addr("10.0.1.10:6000"));
    assert_agree(&sim);
    let lowest = sim
        .agent(0)
        .pairs()
        .last()
        .map(|p| (p.local.address(), p.remote.address()));
    assert_eq!(lowest, Some((l.address(), r.address())));
    let t = sim.agents[0]
        .first_time_in(ConnectionState::Connected)
        .unwrap();
    // All 100 pairs have distinct foundations and are checked at the Ta both agents
    // proposed by default (15 ms): 99 failing pairs first, then the one that works.
    assert!(t < Duration::from_secs(2), "connected after {t:?}");
    assert_eq!(sim.agent(0).ta(), IceConfig::PROPOSED_TA);
    assert_eq!(new_check_times(&sim, 0, 20), spaced(15, 20));
}

/// The times (ms) of the first `n` new check transactions agent `i` sent (retransmissions,
/// which reuse a transaction ID, left out).
fn new_check_times(sim: &Sim, i: usize, n: usize) -> Vec<u128> {
    let mut seen = std::collections::HashSet::new();
    sim.agents[i]
        .sent
        .iter()
        .filter(|(_, d)| d.data.len() >= 20 && d.data[..2] == [0x00, 0x01])
        .filter(|(_, d)| seen.insert(d.data[8..20].to_vec()))
        .map(|(t, _)| t.as_millis())
        .take(n)
        .collect()
}

fn spaced(ms: u128, n: usize) -> Vec<u128> {
    (0..n as u128).map(|k| k * ms).collect()
}

/// The peer signals no `a=ice-pacing` (as the interop peers do): it counts as proposing
/// 50 ms, and both agents pace at 50 ms (RFC 8445 §14.2).
#[test]
fn a_peer_without_ice_pacing_means_50_ms() {
    let mut sim = hundred_pairs_with(91, false);
    assert_eq!(sim.agent(0).remote_pacing(), None);
    assert_eq!(sim.agent(0).ta(), IceConfig::DEFAULT_TA);
    // Agent 1 received agent 0's 15 ms proposal, and paces at its own 50 ms.
    assert_eq!(sim.agent(1).remote_pacing(), Some(IceConfig::PROPOSED_TA));
    assert_eq!(sim.agent(1).ta(), IceConfig::DEFAULT_TA);
    assert!(sim.run_until_selected(Duration::from_secs(60)));
    assert_eq!(new_check_times(&sim, 0, 20), spaced(50, 20));
    let t = sim.agents[0]
        .first_time_in(ConnectionState::Connected)
        .unwrap();
    // 99 failing pairs at 50 ms each come first.
    assert!(t >= Duration::from_millis(99 * 50), "connected after {t:?}");
}

const TURN: &str = "198.51.100.2:3478";

fn with_turn(password: &str) -> IceConfig {
    let mut c = with_stun();
    c.turn_servers = vec![ice_agent::TurnServer {
        address: addr(TURN),
        username: "user".into(),
        password: password.into(),
    }];
    c
}

/// Both agents behind symmetric NATs (address-and-port-dependent mapping and filtering),
/// with a STUN and a TURN server.
fn symmetric_with_turn(link: LinkConfig, seed: u64, password: &str) -> Sim {
    let mut sim = Sim::new(link, seed);
    sim.net.add_stun_server(addr(STUN));
    sim.net.add_turn_server(addr(TURN), "user", "secret");
    let a = sim.add_agent(with_turn(password), IceRole::Controlling);
    let b = sim.add_agent(with_turn(password), IceRole::Controlled);
    let na = sim.net.add_nat(NatConfig::new(
        ip("203.0.113.1"),
        NatBehavior::AddressAndPortDependent,
    ));
    let nb = sim.net.add_nat(NatConfig::new(
        ip("203.0.113.2"),
        NatBehavior::AddressAndPortDependent,
    ));
    sim.add_host(a, addr("10.0.1.1:5000"), Some(na));
    sim.add_host(b, addr("10.0.2.1:6000"), Some(nb));
    sim.signal(a, b);
    sim.end_candidates();
    sim
}

#[test]
fn symmetric_nats_on_both_sides_go_through_turn() {
    let mut sim = symmetric_with_turn(LinkConfig::default(), 100, "secret");
    assert!(sim.run_until_selected(Duration::from_secs(20)));
    assert_agree(&sim);
    let (la, ra) = selected_kinds(&sim, 0);
    let (lb, rb) = selected_kinds(&sim, 1);
    // One side sends from its relayed candidate; the other sees it as the remote.
    assert!(
        la == CandidateKind::Relayed || lb == CandidateKind::Relayed,
        "A {la:?}->{ra:?}, B {lb:?}->{rb:?}"
    );
    assert!(ra == CandidateKind::Relayed || rb == CandidateKind::Relayed);
    // Allocate costs two round trips (401, then authenticated), then the checks run.
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t < Duration::from_secs(3), "selected after {t:?}");
    // Application data crosses the relay both ways (ChannelData once bound).
    sim.run_for(Duration::from_millis(500));
    assert!(sim.send_data(0, b"over the relay"));
    assert!(sim.send_data(1, b"and back"));
    sim.run_for(Duration::from_millis(500));
    assert_eq!(sim.agents[1].app_data, vec![b"over the relay".to_vec()]);
    assert_eq!(sim.agents[0].app_data, vec![b"and back".to_vec()]);
    // Refresh keeps the allocation (600 s) and consent keeps the pair for 15 minutes.
    sim.run_for(Duration::from_secs(900));
    assert!(sim.agent(0).selected_pair().is_some());
    assert_eq!(sim.agents[0].selections(), 1);
    assert!(sim.send_data(0, b"still there"));
    sim.run_for(Duration::from_millis(500));
    assert_eq!(sim.agents[1].app_data.last().unwrap(), b"still there");
}

#[test]
fn turn_with_wrong_password_gives_no_relayed_candidate() {
    let mut sim = symmetric_with_turn(LinkConfig::default(), 101, "wrong");
    sim.run_for(Duration::from_secs(5));
    for a in &sim.agents {
        assert!(a
            .events
            .iter()
            .any(|(_, e)| *e == IceEvent::GatheringComplete));
        assert!(a
            .agent
            .local_candidates()
            .all(|c| c.kind() != CandidateKind::Relayed));
        assert!(a.agent.selected_pair().is_none());
    }
}

#[test]
fn turn_under_loss() {
    for seed in 110..115 {
        let link = LinkConfig {
            loss: 0.2,
            ..LinkConfig::default()
        };
        let mut sim = symmetric_with_turn(link, seed, "secret");
        assert!(
            sim.run_until_selected(Duration::from_secs(30)),
            "seed {seed}"
        );
        assert_agree(&sim);
        sim.run_for(Duration::from_secs(120));
        assert_eq!(sim.agents[0].selections(), 1, "seed {seed}");
    }
}

#[test]
fn old_pair_keeps_consent_through_a_long_restart() {
    let mut sim = nat_pair(LinkConfig::default(), 31, None, None);
    assert!(sim.run_until_selected(Duration::from_secs(5)));
    sim.agent_mut(0).restart();
    sim.agent_mut(1).restart();
    // The new credentials take 45 s to be signalled: longer than the 30 s consent
    // timeout, so the old pair lives on consent checks with the old credentials.
    sim.run_for(Duration::from_secs(45));
    for a in &sim.agents {
        assert!(!a.events.iter().any(|(_, e)| *e == IceEvent::ConsentLost));
        assert!(a.agent.selected_pair().is_some());
        assert!(
            !a.states().contains(&ConnectionState::Disconnected),
            "{:?}",
            a.states()
        );
    }
    sim.resignal(0, 1);
    sim.end_candidates();
    assert!(sim.run_until(Duration::from_secs(5), |s| s
        .agents
        .iter()
        .all(|a| a.selections() == 2)));
    assert_agree(&sim);
    sim.run_for(Duration::from_secs(60));
    assert!(sim.agents.iter().all(|a| a.agent.selected_pair().is_some()));
}

#[test]
fn relay_only_over_ipv6() {
    let mut sim = Sim::new(LinkConfig::default(), 120);
    let turn: SocketAddr = addr("[2001:db8:ffff::1]:3478");
    sim.net.add_turn_server(turn, "user", "secret");
    let mut config = IceConfig::default();
    config.relay_only = true;
    config.turn_servers = vec![ice_agent::TurnServer {
        address: turn,
        username: "user".into(),
        password: "secret".into(),
    }];
    let a = sim.add_agent(config.clone(), IceRole::Controlling);
    let b = sim.add_agent(config, IceRole::Controlled);
    sim.add_host(a, addr("[2001:db8::1]:5000"), None);
    sim.add_host(b, addr("[2001:db8::2]:6000"), None);
    // Relayed candidates are signalled as they are gathered (trickle).
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(10)));
    assert_agree(&sim);
    assert_eq!(
        selected_kinds(&sim, 0),
        (CandidateKind::Relayed, CandidateKind::Relayed)
    );
    let (l, _) = sim.agent(0).selected_pair().unwrap();
    assert_eq!(l.address().ip(), turn.ip());
    // Host candidates were never signalled nor checked.
    assert!(sim
        .agent(1)
        .remote_candidates()
        .all(|c| c.kind() == CandidateKind::Relayed));
    let t = sim.agents[1].first_selected().unwrap();
    assert!(t < Duration::from_secs(1), "selected after {t:?}");
    assert!(sim.send_data(1, b"v6 relay"));
    sim.run_for(Duration::from_millis(300));
    assert_eq!(sim.agents[0].app_data, vec![b"v6 relay".to_vec()]);
}
