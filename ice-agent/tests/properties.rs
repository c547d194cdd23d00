//! Properties over random simulated networks: whatever the link and the NATs, two agents
//! that connect agree on one pair and never move it, and the agents' timers never point
//! into the past after `handle_timeout`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use ice_agent::sim::{LinkConfig, NatBehavior, NatConfig, Sim};
use ice_agent::{ConnectionState, IceConfig, IceEvent, IceRole, TurnServer};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn nat(b: u8) -> Option<NatBehavior> {
    match b % 4 {
        0 => None,
        1 => Some(NatBehavior::EndpointIndependent),
        2 => Some(NatBehavior::AddressDependent),
        _ => Some(NatBehavior::AddressAndPortDependent),
    }
}

fn build(seed: u64, loss: f64, jitter_ms: u64, dup: f64, na: u8, nb: u8, turn: bool) -> Sim {
    let link = LinkConfig {
        latency: Duration::from_millis(20),
        jitter: Duration::from_millis(jitter_ms),
        loss,
        duplicate: dup,
        reorder: dup,
    };
    let mut sim = Sim::new(link, seed);
    let stun: SocketAddr = "198.51.100.1:3478".parse().unwrap();
    let turn_addr: SocketAddr = "198.51.100.2:3478".parse().unwrap();
    sim.net.add_stun_server(stun);
    sim.net.add_turn_server(turn_addr, "u", "p");
    let mut config = IceConfig::default();
    config.stun_servers = vec![stun];
    if turn {
        config.turn_servers = vec![TurnServer {
            address: turn_addr,
            username: "u".into(),
            password: "p".into(),
        }];
    }
    let a = sim.add_agent(config.clone(), IceRole::Controlling);
    let b = sim.add_agent(config, IceRole::Controlled);
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let na = nat(na).map(|n| sim.net.add_nat(NatConfig::new(ip("203.0.113.1"), n)));
    let nb = nat(nb).map(|n| sim.net.add_nat(NatConfig::new(ip("203.0.113.2"), n)));
    sim.add_host(a, "10.0.1.1:5000".parse().unwrap(), na);
    sim.add_host(b, "10.0.2.1:6000".parse().unwrap(), nb);
    sim.signal(a, b);
    sim.end_candidates();
    sim
}

proptest! {
    // A fixed seed keeps CI reproducible; no regression files are written into the tree.
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: RngSeed::Fixed(0x1ce),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn connected_agents_agree_and_never_move(
        seed in any::<u64>(),
        loss in 0.0f64..0.3,
        jitter in 0u64..40,
        dup in 0.0f64..0.2,
        na in any::<u8>(),
        nb in any::<u8>(),
        turn in any::<bool>(),
    ) {
        let mut sim = build(seed, loss, jitter, dup, na, nb, turn);
        let connected = sim.run_until_selected(Duration::from_secs(30));
        // Direct paths exist when one side is public or both NATs map endpoint-
        // independently; with TURN there is always one. Up to 10 % loss per leg (a relayed
        // check crosses four) does not kill every retransmission in 30 s; above that the
        // agents may legitimately fail, and only what holds when they connect is checked.
        let direct = nat(na).is_none()
            || nat(nb).is_none()
            || (nat(na) == Some(NatBehavior::EndpointIndependent)
                && nat(nb) == Some(NatBehavior::EndpointIndependent));
        if (turn || direct) && loss <= 0.1 {
            prop_assert!(connected, "A {:?} B {:?}", sim.agents[0].states(), sim.agents[1].states());
        }
        if connected {
            let (la, ra) = sim.agent(0).selected_pair().unwrap();
            let (lb, rb) = sim.agent(1).selected_pair().unwrap();
            prop_assert_eq!(ra.address(), lb.address());
            prop_assert_eq!(rb.address(), la.address());
            sim.run_for(Duration::from_secs(40));
            for a in &sim.agents {
                prop_assert_eq!(a.selections(), 1);
                let lost = a.events.iter().any(|(_, e)| *e == IceEvent::ConsentLost);
                prop_assert!(lost || a.agent.selected_pair().is_some());
                prop_assert!(a.agent.state() != ConnectionState::New);
            }
        }
    }

    #[test]
    fn timers_never_point_into_the_past(seed in any::<u64>(), loss in 0.0f64..0.5, na in any::<u8>(), nb in any::<u8>()) {
        let mut sim = build(seed, loss, 10, 0.1, na, nb, true);
        let deadline = sim.now() + Duration::from_secs(20);
        while sim.step(deadline) {
            let now = sim.now();
            for a in &sim.agents {
                if let Some(t) = a.agent.poll_timeout() {
                    // After a step every due timer has been handled.
                    prop_assert!(t >= now, "timer {:?} before now", now - t);
                }
            }
        }
    }
}
