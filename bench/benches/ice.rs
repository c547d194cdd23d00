//! ICE agent: simulated time to connect, CPU per consent check and memory per agent at
//! scale, and the CPU cost of simulated connections, compared with str0m's `is` agent.
//!
//! `cargo bench -p bench --bench ice` prints the simulated-time and scale measurements
//! first, then runs the criterion groups.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use criterion::{black_box, Criterion};
use ice_agent::sim::{LinkConfig, Sim};
use ice_agent::{ConnectionState, IceAgent, IceConfig, IceRole, Receive};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------------
// Scenarios on the simulator.

/// 10 x 10 host candidates: 100 pairs, and only the lowest-priority one gets through.
/// `signals_pacing`: whether the descriptions carry `a=ice-pacing`.
fn hundred_pairs(seed: u64, config: &IceConfig, signals_pacing: bool) -> Sim {
    let mut sim = Sim::new(LinkConfig::default(), seed);
    let a = sim.add_agent(config.clone(), IceRole::Controlling);
    let b = sim.add_agent(config.clone(), IceRole::Controlled);
    sim.set_signals_pacing(a, signals_pacing);
    sim.set_signals_pacing(b, signals_pacing);
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

fn connect(mut sim: Sim) -> (Duration, Duration) {
    assert!(sim.run_until_selected(Duration::from_secs(60)));
    let connected = sim.agents[0]
        .first_time_in(ConnectionState::Connected)
        .unwrap();
    let selected = sim
        .agents
        .iter()
        .filter_map(|a| a.first_selected())
        .max()
        .unwrap();
    (connected, selected)
}

// ---------------------------------------------------------------------------------------
// The same scenarios with str0m's `is` agent, over a minimal network: fixed one-way
// latency, blocked address pairs, instant signalling.

mod peer_is {
    use super::*;
    use is::stun::{StunMessage, StunPacket};
    use is::{Candidate, IceAgent, IceAgentEvent, IceConnectionState, IceCreds};

    struct Packet {
        at: Instant,
        to: usize,
        source: SocketAddr,
        destination: SocketAddr,
        data: Vec<u8>,
    }

    /// Simulated time until both agents report a nominated pair, with `a_addrs` x
    /// `b_addrs` host candidates of which only `working` can talk.
    pub(super) fn connect(
        a_addrs: &[SocketAddr],
        b_addrs: &[SocketAddr],
        working: (SocketAddr, SocketAddr),
    ) -> Option<(Duration, Duration)> {
        let t0 = Instant::now();
        let latency = Duration::from_millis(25);
        let mut agents = [
            IceAgent::new(IceCreds::new()),
            IceAgent::new(IceCreds::new()),
        ];
        agents[0].set_controlling(true);
        agents[1].set_controlling(false);
        for a in a_addrs {
            agents[0].add_local_candidate(Candidate::host(*a, "udp").ok()?);
        }
        for b in b_addrs {
            agents[1].add_local_candidate(Candidate::host(*b, "udp").ok()?);
        }
        let ca = agents[0].local_credentials().clone();
        let cb = agents[1].local_credentials().clone();
        agents[0].set_remote_credentials(cb);
        agents[1].set_remote_credentials(ca);
        let la: Vec<Candidate> = agents[0].local_candidates().collect();
        let lb: Vec<Candidate> = agents[1].local_candidates().collect();
        for c in lb {
            agents[0].add_remote_candidate(c);
        }
        for c in la {
            agents[1].add_remote_candidate(c);
        }
        let mut queue: VecDeque<Packet> = VecDeque::new();
        let mut now = t0;
        let mut connected_at = None;
        let mut nominated = [None, None];
        let works = |s: SocketAddr, d: SocketAddr| (s, d) == working || (d, s) == working;
        while now - t0 < Duration::from_secs(60) {
            for i in 0..2 {
                agents[i].handle_timeout(now);
                while let Some(t) = agents[i].poll_transmit() {
                    if works(t.source, t.destination) {
                        queue.push_back(Packet {
                            at: now + latency,
                            to: 1 - i,
                            source: t.source,
                            destination: t.destination,
                            data: t.contents.to_vec(),
                        });
                    }
                }
                while let Some(e) = agents[i].poll_event() {
                    match e {
                        IceAgentEvent::IceConnectionStateChange(
                            IceConnectionState::Connected | IceConnectionState::Completed,
                        ) if i == 0 => {
                            connected_at.get_or_insert(now - t0);
                        }
                        IceAgentEvent::NominatedSend { .. } => {
                            nominated[i].get_or_insert(now - t0);
                        }
                        _ => {}
                    }
                }
            }
            if let (Some(c), Some(a), Some(b)) = (connected_at, nominated[0], nominated[1]) {
                return Some((c, a.max(b)));
            }
            // Next instant: a packet arrival or an agent timeout.
            let mut next = queue.iter().map(|p| p.at).min();
            for a in &mut agents {
                if let Some(t) = a.poll_timeout() {
                    next = Some(next.map_or(t, |n: Instant| n.min(t)));
                }
            }
            now = next?.max(now + Duration::from_micros(1));
            let due: Vec<Packet> = {
                let (d, rest): (Vec<_>, Vec<_>) = queue.drain(..).partition(|p| p.at <= now);
                queue.extend(rest);
                d
            };
            for p in due {
                let Ok(message) = StunMessage::parse(&p.data) else {
                    continue;
                };
                let packet = StunPacket {
                    proto: is::Protocol::Udp,
                    source: p.source,
                    destination: p.destination,
                    message,
                };
                agents[p.to].handle_packet(now, packet);
            }
        }
        None
    }
}

fn simulated_times() {
    println!("== simulated time to connect (25 ms one-way, default settings)");
    let (c, s) = connect(Sim::host_pair(LinkConfig::default(), 1));
    println!("ice-agent host pair: connected {c:?}, selected on both sides {s:?}");
    let (c, s) = connect(hundred_pairs(1, &IceConfig::default(), true));
    println!(
        "ice-agent 100 pairs, only the lowest works (a=ice-pacing:15 both ways): connected {c:?}, selected {s:?}"
    );
    let legacy = IceConfig::default().with_ta(IceConfig::DEFAULT_TA).unwrap();
    let (c, s) = connect(hundred_pairs(1, &legacy, false));
    println!(
        "ice-agent 100 pairs, no a=ice-pacing signalled (Ta 50 ms): connected {c:?}, selected {s:?}"
    );
    let a: Vec<SocketAddr> = (1..=10)
        .map(|i| addr(&format!("10.0.0.{i}:5000")))
        .collect();
    let b: Vec<SocketAddr> = (1..=10)
        .map(|i| addr(&format!("10.0.1.{i}:6000")))
        .collect();
    match peer_is::connect(&a[..1], &b[..1], (a[0], b[0])) {
        Some((c, s)) => println!("is host pair: connected {c:?}, nominated on both sides {s:?}"),
        None => println!("is host pair: did not connect in 60 s"),
    }
    // The same addresses as ours: 10.0.0.10 and 10.0.1.10 have the lowest local
    // preferences on both sides, so their pair is the lowest-priority one for both agents.
    match peer_is::connect(&a, &b, (a[9], b[9])) {
        Some((c, s)) => println!(
            "is 100 pairs, only 10.0.0.10-10.0.1.10 works: connected {c:?}, nominated {s:?}"
        ),
        None => println!("is 100 pairs: did not connect in 60 s"),
    }
}

// ---------------------------------------------------------------------------------------
// 10,000 connected agents running consent freshness.

/// CPU time of this thread (Linux `schedstat`, nanoseconds on CPU): unlike wall time it
/// does not count time other processes take from a shared machine.
fn thread_cpu() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns: u64 = s
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn deliver(from: &mut IceAgent, to: &mut IceAgent, now: Instant, requests: &mut u64) -> usize {
    let mut n = 0;
    while let Some(t) = from.poll_transmit() {
        // Binding request: type 0x0001.
        if t.data.get(..2) == Some(&[0, 1]) {
            *requests += 1;
        }
        let rx = Receive {
            source: t.source,
            destination: t.destination,
            data: &t.data,
        };
        let _ = to.handle_receive(now, rx);
        n += 1;
    }
    n
}

fn connected_pairs(n: usize, t0: Instant) -> Vec<(IceAgent, IceAgent)> {
    let mut pairs = Vec::with_capacity(n);
    for i in 0..n {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let mut a = IceAgent::new(IceConfig::default(), IceRole::Controlling, seed, t0);
        seed[8] = 1;
        let mut b = IceAgent::new(IceConfig::default(), IceRole::Controlled, seed, t0);
        let port = 1024 + (i % 60000) as u16;
        let net = (i / 60000) as u8;
        let ca = a
            .add_host_candidate(SocketAddr::new(IpAddr::from([10, net, 0, 1]), port))
            .unwrap();
        let cb = b
            .add_host_candidate(SocketAddr::new(IpAddr::from([10, net, 1, 1]), port))
            .unwrap();
        a.set_remote_credentials(b.local_credentials().clone())
            .unwrap();
        b.set_remote_credentials(a.local_credentials().clone())
            .unwrap();
        a.add_remote_candidate(cb).unwrap();
        b.add_remote_candidate(ca).unwrap();
        a.end_of_local_candidates();
        b.end_of_local_candidates();
        a.end_of_remote_candidates();
        b.end_of_remote_candidates();
        let mut now = t0;
        let mut sink = 0;
        for _ in 0..20 {
            a.handle_timeout(now);
            b.handle_timeout(now);
            for _ in 0..4 {
                deliver(&mut a, &mut b, now, &mut sink);
                deliver(&mut b, &mut a, now, &mut sink);
            }
            if a.selected_pair().is_some() && b.selected_pair().is_some() {
                break;
            }
            now += Duration::from_millis(50);
        }
        assert!(a.selected_pair().is_some() && b.selected_pair().is_some());
        while a.poll_event().is_some() {}
        while b.poll_event().is_some() {}
        pairs.push((a, b));
    }
    pairs
}

fn scale() {
    const AGENTS: usize = 10_000;
    println!("== {AGENTS} connected agents running consent freshness");
    let t0 = Instant::now();
    let before = rss_bytes();
    let mut pairs = connected_pairs(AGENTS / 2, t0);
    let after = rss_bytes();
    println!(
        "memory: {} bytes resident for {AGENTS} connected agents = {} bytes per agent",
        after.saturating_sub(before),
        after.saturating_sub(before) / AGENTS
    );
    // Two simulated minutes of consent: every agent checks every 4-6 s. A timer heap
    // wakes only the agents that are due, as a server would.
    let mut requests = 0u64;
    // ICE_BENCH_CONSENT_SECS lengthens the run (for profiling the steady state).
    let secs = std::env::var("ICE_BENCH_CONSENT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let end = t0 + Duration::from_secs(1 + secs);
    let mut timers: BinaryHeap<Reverse<(Instant, usize)>> = BinaryHeap::new();
    for (i, (a, b)) in pairs.iter_mut().enumerate() {
        for (side, agent) in [a, b].into_iter().enumerate() {
            if let Some(t) = agent.poll_timeout() {
                timers.push(Reverse((t, 2 * i + side)));
            }
        }
    }
    let cpu = Instant::now();
    let cpu0 = thread_cpu();
    let mut in_agents = Duration::ZERO;
    while let Some(Reverse((at, id))) = timers.pop() {
        if at >= end {
            break;
        }
        let (a, b) = &mut pairs[id / 2];
        let (me, peer) = if id % 2 == 0 { (a, b) } else { (b, a) };
        let t = Instant::now();
        me.handle_timeout(at);
        if deliver(me, peer, at, &mut requests) > 0 {
            deliver(peer, me, at, &mut requests);
        }
        in_agents += t.elapsed();
        if let Some(t) = me.poll_timeout() {
            timers.push(Reverse((t, id)));
        }
    }
    let spent = cpu.elapsed();
    let on_cpu = thread_cpu().saturating_sub(cpu0);
    let alive = pairs
        .iter()
        .filter(|(a, b)| a.selected_pair().is_some() && b.selected_pair().is_some())
        .count();
    assert_eq!(alive, AGENTS / 2, "consent held on every pair");
    println!(
        "consent: {requests} checks (request, answer, response), both ends: {:.2} µs of thread CPU per check \
         with the timer heap ({on_cpu:?} on CPU, {spent:?} wall); {:.2} µs wall inside the two agents",
        on_cpu.as_secs_f64() * 1e6 / requests as f64,
        in_agents.as_secs_f64() * 1e6 / requests as f64
    );
    black_box(&pairs);
}

// ---------------------------------------------------------------------------------------
// Criterion: CPU cost of a whole simulated connection, and of one consent round.

fn bench_connect(c: &mut Criterion) {
    let mut g = c.benchmark_group("ice_connect");
    g.bench_function("ice-agent/sim_host_pair", |b| {
        b.iter(|| black_box(connect(Sim::host_pair(LinkConfig::default(), 1))));
    });
    g.sample_size(10);
    g.bench_function("ice-agent/sim_100_pairs", |b| {
        b.iter(|| black_box(connect(hundred_pairs(1, &IceConfig::default(), true))));
    });
    g.finish();
}

fn bench_consent(c: &mut Criterion) {
    let t0 = Instant::now();
    let mut pairs = connected_pairs(1, t0);
    let (a, b) = &mut pairs[0];
    let mut now = t0;
    let mut requests = 0;
    let mut g = c.benchmark_group("ice_consent");
    g.bench_function("ice-agent/check_round_trip_both_ends", |bench| {
        bench.iter(|| {
            // Jump to the next consent check and complete it.
            loop {
                let t = a.poll_timeout().unwrap();
                now = now.max(t);
                a.handle_timeout(now);
                if deliver(a, b, now, &mut requests) > 0 {
                    deliver(b, a, now, &mut requests);
                    break;
                }
            }
        });
    });
    // The answering end alone: one authenticated request in, one response out.
    let request = loop {
        let t = a.poll_timeout().unwrap();
        now = now.max(t);
        a.handle_timeout(now);
        if let Some(t) = a.poll_transmit() {
            break t;
        }
    };
    g.bench_function("ice-agent/answer_one_check", |bench| {
        bench.iter(|| {
            let rx = Receive {
                source: request.source,
                destination: request.destination,
                data: &request.data,
            };
            let _ = b.handle_receive(now, rx);
            black_box(b.poll_transmit())
        });
    });
    g.finish();
    assert!(a.selected_pair().is_some());
}

fn main() {
    // ICE_BENCH_SKIP_SCALE=1 runs only the criterion groups (for profiling them).
    if std::env::var_os("ICE_BENCH_SKIP_SCALE").is_none() {
        simulated_times();
        scale();
    }
    if std::env::var_os("ICE_BENCH_SKIP_CRITERION").is_some() {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench_connect(&mut c);
    bench_consent(&mut c);
    c.final_summary();
}
