//! The media path: `send_data_into` writes each datagram into the caller's buffer without
//! allocating, directly or wrapped as TURN ChannelData, and agrees with `send_data`.

use std::alloc::System;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use ice_agent::sim::{LinkConfig, NatBehavior, NatConfig, Sim};
use ice_agent::{CandidateKind, IceConfig, IceRole, TurnServer};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use stun_turn_codec::{ChannelData, Transport};

// The count is process-wide, so this file holds a single test that measures.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations (and reallocations) made while `f` runs.
fn allocations(f: impl FnOnce()) -> usize {
    let region = Region::new(GLOBAL);
    f();
    let change = region.change();
    change.allocations + change.reallocations
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

const TURN: &str = "198.51.100.2:3478";

#[test]
fn media_path_never_allocates() {
    direct_pair_copies_the_data();
    no_selected_pair_sends_nothing();
    relayed_pair_writes_channel_data();
}

fn direct_pair_copies_the_data() {
    let mut sim = Sim::host_pair(LinkConfig::default(), 7);
    let a = 0;
    assert!(sim.run_until_selected(Duration::from_secs(5)));

    let payload = [0x80u8; 1200];
    let mut out = Vec::with_capacity(1500);
    let agent = sim.agent_mut(a);
    let mut routes = [None; 1000];
    let n = allocations(|| {
        for r in &mut routes {
            *r = agent.send_data_into(&payload, &mut out);
        }
    });
    assert_eq!(n, 0, "allocations on the media path");
    for r in routes {
        let route = r.expect("selected");
        assert_eq!(route.source, addr("192.0.2.1:5000"));
        assert_eq!(route.destination, addr("192.0.2.2:6000"));
    }
    assert_eq!(out, payload);
    let t = agent.send_data(&payload).unwrap();
    assert_eq!(
        (t.source, t.destination),
        (addr("192.0.2.1:5000"), addr("192.0.2.2:6000"))
    );
    assert_eq!(t.data, out);
}

fn no_selected_pair_sends_nothing() {
    let mut sim = Sim::new(LinkConfig::default(), 7);
    let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
    let mut out = vec![1, 2, 3];
    assert_eq!(sim.agent_mut(a).send_data_into(b"x", &mut out), None);
    assert!(sim.agent_mut(a).send_data(b"x").is_none());
}

fn relayed_pair_writes_channel_data() {
    // Both sides behind symmetric NATs: only a relayed candidate works.
    let mut sim = Sim::new(LinkConfig::default(), 100);
    sim.net.add_turn_server(addr(TURN), "user", "secret");
    let mut config = IceConfig::default();
    config.turn_servers = vec![TurnServer {
        address: addr(TURN),
        username: "user".into(),
        password: "secret".into(),
    }];
    let a = sim.add_agent(config.clone(), IceRole::Controlling);
    let b = sim.add_agent(config, IceRole::Controlled);
    for (i, public, host) in [
        (a, "203.0.113.1", "10.0.1.1:5000"),
        (b, "203.0.113.2", "10.0.2.1:6000"),
    ] {
        let nat = sim.net.add_nat(NatConfig::new(
            ip(public),
            NatBehavior::AddressAndPortDependent,
        ));
        sim.add_host(i, addr(host), Some(nat));
    }
    sim.signal(a, b);
    sim.end_candidates();
    assert!(sim.run_until_selected(Duration::from_secs(20)));
    // Let the ChannelBind finish.
    sim.run_for(Duration::from_millis(500));
    let relayed = (0..2)
        .find(|&i| sim.agent(i).selected_pair().unwrap().0.kind() == CandidateKind::Relayed)
        .expect("one side sends from its relayed candidate");

    let payload: Vec<u8> = (0..=255).cycle().take(1201).collect();
    let mut out = Vec::with_capacity(1500);
    let agent = sim.agent_mut(relayed);
    let mut route = None;
    let n = allocations(|| {
        for _ in 0..1000 {
            route = agent.send_data_into(&payload, &mut out);
        }
    });
    assert_eq!(n, 0, "allocations on the relayed media path");
    let route = route.expect("selected");
    // To the TURN server, from the base of the relayed candidate.
    assert_eq!(route.destination, addr(TURN));
    assert_eq!(
        route.source.ip(),
        ip(if relayed == a { "10.0.1.1" } else { "10.0.2.1" })
    );
    // RFC 8656 §12.4: a 4-byte header, no padding over UDP.
    assert_eq!(out.len(), 4 + payload.len());
    let cd = ChannelData::parse(&out, Transport::Udp).unwrap();
    assert!((0x4000..=0x4fff).contains(&cd.channel()));
    assert_eq!(cd.data(), &payload[..]);
    assert_eq!(agent.send_data(&payload).unwrap().data, out);

    // And it arrives at the other side.
    assert!(sim.send_data(relayed, b"over the relay"));
    sim.run_for(Duration::from_millis(200));
    assert_eq!(
        sim.agents[1 - relayed].app_data.last().map(Vec::as_slice),
        Some(&b"over the relay"[..])
    );
}
