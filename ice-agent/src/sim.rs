//! A deterministic in-memory network for testing ICE agents under a virtual clock.
//!
//! [`Network`] carries datagrams between hosts with latency, jitter, loss, duplication and
//! reordering, through NATs with the mapping and filtering behaviours of [RFC 4787]
//! (endpoint-independent, address-dependent, address-and-port-dependent), and answers
//! STUN Binding requests sent to its STUN servers. [`Sim`] drives a set of
//! [`IceAgent`]s over it with a fake clock, relays their signalling, and records what
//! happened and when. Everything random comes from one seed: a run replays exactly.
//!
//! ```
//! use std::time::Duration;
//! use ice_agent::sim::{LinkConfig, Sim};
//! use ice_agent::{CandidateKind, IceConfig, IceRole};
//!
//! let mut sim = Sim::new(LinkConfig::default(), 7);
//! let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
//! let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
//! sim.add_host(a, "10.0.0.1:5000".parse().unwrap(), None);
//! sim.add_host(b, "10.0.0.2:5000".parse().unwrap(), None);
//! sim.signal(a, b);
//! assert!(sim.run_until_selected(Duration::from_secs(5)));
//! let (l, r) = sim.agent(a).selected_pair().unwrap();
//! assert_eq!((l.kind(), r.kind()), (CandidateKind::Host, CandidateKind::Host));
//! ```
//!
//! [RFC 4787]: https://www.rfc-editor.org/rfc/rfc4787

use std::collections::{BTreeMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::agent::{ConnectionState, IceAgent, IceEvent, IceRole, Receive, Received, Transmit};
use crate::config::IceConfig;
use crate::stun;

/// Properties of every path in the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// One-way delay.
    pub latency: Duration,
    /// Extra delay drawn uniformly from `[0, jitter]` per datagram.
    pub jitter: Duration,
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Probability that a datagram is delivered twice.
    pub duplicate: f64,
    /// Probability that a datagram is held back by one extra latency (so later ones
    /// overtake it).
    pub reorder: f64,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            latency: Duration::from_millis(25),
            jitter: Duration::ZERO,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
        }
    }
}

/// NAT mapping or filtering behaviour ([RFC 4787 §4.1, §5]).
///
/// [RFC 4787 §4.1, §5]: https://www.rfc-editor.org/rfc/rfc4787#section-4.1
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NatBehavior {
    /// The same for every remote endpoint ("full cone" for filtering).
    EndpointIndependent,
    /// Depends on the remote IP address.
    AddressDependent,
    /// Depends on the remote IP address and port ("symmetric" for mapping).
    AddressAndPortDependent,
}

/// A NAT in front of a private realm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NatConfig {
    /// The NAT's public address.
    pub public_ip: IpAddr,
    /// How it picks an external port.
    pub mapping: NatBehavior,
    /// Which inbound datagrams it lets through.
    pub filtering: NatBehavior,
}

impl NatConfig {
    /// A NAT with the same mapping and filtering behaviour.
    #[must_use]
    pub fn new(public_ip: IpAddr, behavior: NatBehavior) -> Self {
        Self {
            public_ip,
            mapping: behavior,
            filtering: behavior,
        }
    }
}

#[derive(Debug, Clone)]
struct Mapping {
    internal: SocketAddr,
    /// The remote endpoint the mapping is specific to (by mapping behaviour).
    key: Option<SocketAddr>,
    external_port: u16,
    /// Remote endpoints the internal endpoint has sent to through this mapping.
    sent_to: Vec<SocketAddr>,
}

#[derive(Debug, Clone)]
struct Nat {
    config: NatConfig,
    mappings: Vec<Mapping>,
    next_port: u16,
}

impl Nat {
    fn mapping_key(&self, to: SocketAddr) -> Option<SocketAddr> {
        match self.config.mapping {
            NatBehavior::EndpointIndependent => None,
            NatBehavior::AddressDependent => Some(SocketAddr::new(to.ip(), 0)),
            NatBehavior::AddressAndPortDependent => Some(to),
        }
    }

    fn outbound(&mut self, from: SocketAddr, to: SocketAddr) -> SocketAddr {
        let key = self.mapping_key(to);
        let idx = match self
            .mappings
            .iter()
            .position(|m| m.internal == from && m.key == key)
        {
            Some(i) => i,
            None => {
                let port = self.next_port;
                self.next_port = self.next_port.wrapping_add(1).max(1024);
                self.mappings.push(Mapping {
                    internal: from,
                    key,
                    external_port: port,
                    sent_to: Vec::new(),
                });
                self.mappings.len() - 1
            }
        };
        let m = &mut self.mappings[idx];
        if !m.sent_to.contains(&to) {
            m.sent_to.push(to);
        }
        SocketAddr::new(self.config.public_ip, m.external_port)
    }

    fn inbound(&self, from: SocketAddr, port: u16) -> Option<SocketAddr> {
        let m = self.mappings.iter().find(|m| m.external_port == port)?;
        let allowed = match self.config.filtering {
            NatBehavior::EndpointIndependent => true,
            NatBehavior::AddressDependent => m.sent_to.iter().any(|s| s.ip() == from.ip()),
            NatBehavior::AddressAndPortDependent => m.sent_to.contains(&from),
        };
        allowed.then_some(m.internal)
    }
}

#[derive(Debug)]
struct SimAllocation {
    /// The client's transport address as the server sees it.
    client: SocketAddr,
    relayed: SocketAddr,
    /// The allocation, permissions and channels expire unless refreshed (RFC 8656 §7,
    /// §9, §12).
    expires: Instant,
    permissions: Vec<(IpAddr, Instant)>,
    channels: Vec<(u16, SocketAddr, Instant)>,
}

impl SimAllocation {
    fn expire(&mut self, now: Instant) {
        self.permissions.retain(|p| p.1 > now);
        self.channels.retain(|c| c.2 > now);
    }

    fn permitted(&self, ip: IpAddr) -> bool {
        self.permissions.iter().any(|p| p.0 == ip)
    }

    fn permit(&mut self, ip: IpAddr, now: Instant) {
        self.permissions.retain(|p| p.0 != ip);
        self.permissions.push((ip, now + Duration::from_secs(300)));
    }
}

fn lifetime(msg: &stun::Parsed<'_>) -> Duration {
    Duration::from_secs(u64::from(msg.lifetime().unwrap_or(600).min(3600)))
}

#[derive(Debug)]
struct SimTurnServer {
    addr: SocketAddr,
    username: String,
    realm: String,
    nonce: String,
    key: stun::StunKey,
    allocations: Vec<SimAllocation>,
    next_port: u16,
}

/// A datagram in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// Source as seen by the receiver (after NAT translation).
    pub source: SocketAddr,
    /// Destination as addressed by the sender.
    pub destination: SocketAddr,
    /// The payload.
    pub data: Vec<u8>,
}

/// The network: hosts, NATs, STUN servers and datagrams in flight.
#[derive(Debug)]
pub struct Network {
    link: LinkConfig,
    rng: ChaCha20Rng,
    nats: Vec<Nat>,
    /// Host IP -> the NAT (index) it sits behind, `None` for public hosts.
    hosts: Vec<(IpAddr, Option<usize>)>,
    stun_servers: Vec<SocketAddr>,
    turn_servers: Vec<SimTurnServer>,
    blocked: Vec<(IpAddr, IpAddr)>,
    queue: BTreeMap<(Instant, u64), Datagram>,
    seq: u64,
    /// Datagrams sent and lost, for assertions.
    pub stats: NetStats,
}

/// Counters of a [`Network`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetStats {
    /// Datagrams handed to the network.
    pub sent: u64,
    /// Datagrams dropped by loss.
    pub lost: u64,
    /// Datagrams dropped by a NAT's filter or for lack of a route.
    pub filtered: u64,
    /// Datagrams delivered (duplicates counted).
    pub delivered: u64,
}

impl Network {
    /// An empty network.
    #[must_use]
    pub fn new(link: LinkConfig, seed: u64) -> Self {
        Self {
            link,
            rng: ChaCha20Rng::seed_from_u64(seed),
            nats: Vec::new(),
            hosts: Vec::new(),
            stun_servers: Vec::new(),
            turn_servers: Vec::new(),
            blocked: Vec::new(),
            queue: BTreeMap::new(),
            seq: 0,
            stats: NetStats::default(),
        }
    }

    /// The link properties.
    #[must_use]
    pub fn link(&self) -> LinkConfig {
        self.link
    }

    /// Changes the link properties for datagrams sent from now on.
    pub fn set_link(&mut self, link: LinkConfig) {
        self.link = link;
    }

    /// Adds a NAT; returns its index for [`add_host_ip`](Self::add_host_ip).
    pub fn add_nat(&mut self, config: NatConfig) -> usize {
        self.nats.push(Nat {
            config,
            mappings: Vec::new(),
            next_port: 40000u16
                .wrapping_add(1000u16.wrapping_mul(self.nats.len() as u16))
                .max(1024),
        });
        self.nats.len() - 1
    }

    /// Declares a host IP, public or behind NAT `nat`.
    pub fn add_host_ip(&mut self, ip: IpAddr, nat: Option<usize>) {
        if !self.hosts.iter().any(|(h, _)| *h == ip) {
            self.hosts.push((ip, nat));
        }
    }

    /// Adds a TURN server (public, UDP) at `addr` accepting one long-term credential;
    /// relayed addresses are allocated on the server's IP.
    pub fn add_turn_server(&mut self, addr: SocketAddr, username: &str, password: &str) {
        let realm = "sim.example";
        let Some(key) = stun::StunKey::long_term(username, realm, password) else {
            return;
        };
        self.turn_servers.push(SimTurnServer {
            addr,
            username: username.to_owned(),
            realm: realm.to_owned(),
            nonce: format!("nonce{}", self.turn_servers.len()),
            key,
            allocations: Vec::new(),
            next_port: 50000,
        });
    }

    /// Adds a STUN server (public) at `addr`.
    pub fn add_stun_server(&mut self, addr: SocketAddr) {
        self.stun_servers.push(addr);
    }

    /// Drops every datagram between `a` and `b` (both directions), as seen at the
    /// sender (before NAT translation).
    pub fn block(&mut self, a: IpAddr, b: IpAddr) {
        self.blocked.push((a, b));
    }

    /// Lifts every [`block`](Self::block).
    pub fn unblock_all(&mut self) {
        self.blocked.clear();
    }

    fn realm(&self, ip: IpAddr) -> Option<usize> {
        self.hosts
            .iter()
            .find(|(h, _)| *h == ip)
            .and_then(|(_, n)| *n)
    }

    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Sends a datagram at `now`.
    pub fn send(&mut self, now: Instant, t: Transmit) {
        self.stats.sent += 1;
        let (s, d) = (t.source.ip(), t.destination.ip());
        if self
            .blocked
            .iter()
            .any(|&(a, b)| (a, b) == (s, d) || (b, a) == (s, d))
        {
            self.stats.filtered += 1;
            return;
        }
        let from_realm = self.realm(t.source.ip());
        let to_realm = self.realm(t.destination.ip());
        let to_is_host = self.hosts.iter().any(|(h, _)| *h == t.destination.ip());
        let source = match from_realm {
            // Inside one realm (or between public hosts) nothing is translated.
            Some(_) if to_is_host && to_realm == from_realm => t.source,
            Some(n) => self.nats[n].outbound(t.source, t.destination),
            None => t.source,
        };
        if self.uniform() < self.link.loss {
            self.stats.lost += 1;
            return;
        }
        let copies = if self.uniform() < self.link.duplicate {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut delay = self.link.latency;
            if !self.link.jitter.is_zero() {
                delay += self.link.jitter.mul_f64(self.uniform());
            }
            if self.uniform() < self.link.reorder {
                delay += self.link.latency.max(Duration::from_millis(1));
            }
            self.seq += 1;
            self.queue.insert(
                (now + delay, self.seq),
                Datagram {
                    source,
                    destination: t.destination,
                    data: t.data.clone(),
                },
            );
        }
    }

    /// When the next datagram arrives.
    #[must_use]
    pub fn next_arrival(&self) -> Option<Instant> {
        self.queue.keys().next().map(|(t, _)| *t)
    }

    /// The next datagram arriving at or before `now`, routed to its host: the returned
    /// datagram's destination is the host address (after inbound NAT translation).
    /// Datagrams for STUN servers are answered internally.
    pub fn poll_arrival(&mut self, now: Instant) -> Option<Datagram> {
        loop {
            let key = *self.queue.keys().next()?;
            if key.0 > now {
                return None;
            }
            let Some(d) = self.queue.remove(&key) else {
                continue;
            };
            if self.stun_servers.contains(&d.destination) {
                self.answer_stun(now, &d);
                continue;
            }
            if let Some(ti) = self
                .turn_servers
                .iter()
                .position(|t| t.addr == d.destination)
            {
                self.turn_from_client(now, ti, &d);
                continue;
            }
            if let Some(ti) = self
                .turn_servers
                .iter()
                .position(|t| t.allocations.iter().any(|a| a.relayed == d.destination))
            {
                self.turn_from_peer(now, ti, &d);
                continue;
            }
            let dst_ip = d.destination.ip();
            if let Some(n) = self.nats.iter().position(|n| n.config.public_ip == dst_ip) {
                match self.nats[n].inbound(d.source, d.destination.port()) {
                    Some(internal) => {
                        self.stats.delivered += 1;
                        return Some(Datagram {
                            destination: internal,
                            ..d
                        });
                    }
                    None => {
                        self.stats.filtered += 1;
                        continue;
                    }
                }
            }
            let to_realm = self.realm(dst_ip);
            // A private host is reachable only from its own realm.
            let reachable = self.hosts.iter().any(|(h, _)| *h == dst_ip)
                && (to_realm.is_none() || self.realm(d.source.ip()) == to_realm);
            if reachable {
                self.stats.delivered += 1;
                return Some(d);
            }
            self.stats.filtered += 1;
        }
    }

    fn turn_from_peer(&mut self, now: Instant, ti: usize, d: &Datagram) {
        let ts = &mut self.turn_servers[ti];
        ts.allocations.retain(|a| a.expires > now);
        let Some(a) = ts
            .allocations
            .iter_mut()
            .find(|a| a.relayed == d.destination)
        else {
            return;
        };
        a.expire(now);
        // RFC 8656 §9: only peers with a permission reach the client.
        if !a.permitted(d.source.ip()) {
            self.stats.filtered += 1;
            return;
        }
        let mut buf = Vec::with_capacity(d.data.len() + 40);
        match a.channels.iter().find(|c| c.1 == d.source) {
            Some((number, _, _)) => {
                stun::write_channel_data(&mut buf, *number, &d.data);
            }
            None => {
                let mut id = [0u8; 12];
                self.rng.fill_bytes(&mut id);
                stun::write_data_indication(&mut buf, id, d.source, &d.data);
            }
        }
        let t = Transmit {
            source: ts.addr,
            destination: a.client,
            data: buf,
        };
        self.send(now, t);
    }

    fn turn_from_client(&mut self, now: Instant, ti: usize, d: &Datagram) {
        let ts = &mut self.turn_servers[ti];
        ts.allocations.retain(|a| a.expires > now);
        for a in &mut ts.allocations {
            a.expire(now);
        }
        let ai = ts.allocations.iter().position(|a| a.client == d.source);
        if stun::is_channel_data(&d.data) {
            let Some(ai) = ai else { return };
            let Some((number, payload)) = stun::parse_channel_data(&d.data) else {
                return;
            };
            let a = &ts.allocations[ai];
            let Some((_, peer, _)) = a.channels.iter().find(|c| c.0 == number) else {
                return;
            };
            let t = Transmit {
                source: a.relayed,
                destination: *peer,
                data: payload.to_vec(),
            };
            self.send(now, t);
            return;
        }
        let Some(msg) = stun::Parsed::parse(&d.data) else {
            return;
        };
        let method = msg.method();
        if msg.class() == stun::Class::Indication && method == stun_turn_codec::Method::SEND {
            let (Some(ai), Some(peer), Some(data)) = (ai, msg.xor_peer_address(), msg.data())
            else {
                return;
            };
            let a = &ts.allocations[ai];
            if !a.permitted(peer.ip()) {
                return;
            }
            let t = Transmit {
                source: a.relayed,
                destination: peer,
                data: data.to_vec(),
            };
            self.send(now, t);
            return;
        }
        if msg.class() != stun::Class::Request {
            return;
        }
        let id = msg.transaction_id();
        // RFC 8489 §9.2.4: long-term authentication, or a 401 with realm and nonce.
        let authentic = msg.username() == Some(ts.username.as_str())
            && msg.realm() == Some(ts.realm.as_str())
            && msg.nonce() == Some(ts.nonce.as_str())
            && msg.verify(&ts.key);
        let mut buf = Vec::new();
        let resp = if !authentic {
            stun::TurnResponse::Unauthorized {
                realm: &ts.realm,
                nonce: &ts.nonce,
            }
        } else if method == stun_turn_codec::Method::ALLOCATE {
            if msg.requested_transport() != Some(17) {
                stun::TurnResponse::Error { code: 442 }
            } else {
                let relayed = match ai {
                    Some(ai) => ts.allocations[ai].relayed,
                    None => {
                        let relayed = SocketAddr::new(ts.addr.ip(), ts.next_port);
                        ts.next_port = ts.next_port.wrapping_add(1);
                        ts.allocations.push(SimAllocation {
                            client: d.source,
                            relayed,
                            expires: now + lifetime(&msg),
                            permissions: Vec::new(),
                            channels: Vec::new(),
                        });
                        relayed
                    }
                };
                stun::TurnResponse::Allocated {
                    relayed,
                    mapped: d.source,
                    lifetime: msg.lifetime().unwrap_or(600).min(3600),
                }
            }
        } else if let Some(ai) = ai {
            let a = &mut ts.allocations[ai];
            if method == stun_turn_codec::Method::REFRESH {
                a.expires = now + lifetime(&msg);
                stun::TurnResponse::Refreshed {
                    lifetime: msg.lifetime().unwrap_or(600).min(3600),
                }
            } else if method == stun_turn_codec::Method::CREATE_PERMISSION {
                match msg.xor_peer_address() {
                    Some(peer) => {
                        a.permit(peer.ip(), now);
                        stun::TurnResponse::Ok
                    }
                    None => stun::TurnResponse::Error { code: 400 },
                }
            } else if method == stun_turn_codec::Method::CHANNEL_BIND {
                match (msg.xor_peer_address(), msg.channel_number()) {
                    (Some(peer), Some(number)) => {
                        a.channels.retain(|c| c.0 != number && c.1 != peer);
                        a.channels
                            .push((number, peer, now + Duration::from_secs(600)));
                        a.permit(peer.ip(), now);
                        stun::TurnResponse::Ok
                    }
                    _ => stun::TurnResponse::Error { code: 400 },
                }
            } else {
                stun::TurnResponse::Error { code: 400 }
            }
        } else {
            // 437 Allocation Mismatch (RFC 8656 §7.3).
            stun::TurnResponse::Error { code: 437 }
        };
        stun::write_turn_response(&mut buf, id, method, &resp, Some(&ts.key));
        let t = Transmit {
            source: ts.addr,
            destination: d.source,
            data: buf,
        };
        self.send(now, t);
    }

    fn answer_stun(&mut self, now: Instant, d: &Datagram) {
        let Some(msg) = stun::Parsed::parse(&d.data) else {
            return;
        };
        if msg.class() != stun::Class::Request || !msg.is_binding() {
            return;
        }
        let mut buf = Vec::new();
        stun::write_binding_success(&mut buf, msg.transaction_id(), d.source, None);
        self.send(
            now,
            Transmit {
                source: d.destination,
                destination: d.source,
                data: buf,
            },
        );
    }
}

/// An agent in a [`Sim`], with what it reported.
#[derive(Debug)]
pub struct SimAgent {
    /// The agent.
    pub agent: IceAgent,
    /// Every event with the simulated time it was polled at.
    pub events: Vec<(Duration, IceEvent)>,
    /// Agents it relays signalling to.
    peers: Vec<usize>,
    addrs: Vec<SocketAddr>,
    /// Datagrams that reached the agent but were not STUN.
    pub app_data: Vec<Vec<u8>>,
    /// Whether its descriptions carry `a=ice-pacing` (see [`Sim::set_signals_pacing`]).
    signals_pacing: bool,
    /// Every datagram polled from the agent (application data from [`Sim::send_data`]
    /// aside), with the simulated time, once [`Sim::record_transmits`] turned recording on.
    pub sent: Vec<(Duration, Datagram)>,
    recording: bool,
}

impl SimAgent {
    /// When the agent first reached `state`, as simulated time since the start.
    #[must_use]
    pub fn first_time_in(&self, state: ConnectionState) -> Option<Duration> {
        self.events.iter().find_map(|(t, e)| match e {
            IceEvent::ConnectionStateChange(s) if *s == state => Some(*t),
            _ => None,
        })
    }

    /// When a pair was first selected.
    #[must_use]
    pub fn first_selected(&self) -> Option<Duration> {
        self.events
            .iter()
            .find_map(|(t, e)| matches!(e, IceEvent::SelectedPair { .. }).then_some(*t))
    }

    /// How many times the selected pair was (re)selected.
    #[must_use]
    pub fn selections(&self) -> usize {
        self.events
            .iter()
            .filter(|(_, e)| matches!(e, IceEvent::SelectedPair { .. }))
            .count()
    }

    /// The connection states in order.
    #[must_use]
    pub fn states(&self) -> Vec<ConnectionState> {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                IceEvent::ConnectionStateChange(s) => Some(*s),
                _ => None,
            })
            .collect()
    }
}

/// Agents on a [`Network`], driven by a fake clock.
#[derive(Debug)]
pub struct Sim {
    /// The network.
    pub net: Network,
    /// The agents.
    pub agents: Vec<SimAgent>,
    start: Instant,
    now: Instant,
    seed: u64,
    signalling: VecDeque<(usize, Signal)>,
}

#[derive(Debug)]
enum Signal {
    Candidate(crate::Candidate),
    End,
}

impl Sim {
    /// A simulation whose network and agents draw all randomness from `seed`.
    #[must_use]
    pub fn new(link: LinkConfig, seed: u64) -> Self {
        let start = Instant::now();
        Self {
            net: Network::new(link, seed),
            agents: Vec::new(),
            start,
            now: start,
            seed,
            signalling: VecDeque::new(),
        }
    }

    /// The simplest call: agent 0 (controlling, host 192.0.2.1:5000) and agent 1
    /// (controlled, host 192.0.2.2:6000) with default settings, candidates signalled both
    /// ways with end-of-candidates.
    #[must_use]
    pub fn host_pair(link: LinkConfig, seed: u64) -> Self {
        let mut sim = Self::new(link, seed);
        let a = sim.add_agent(IceConfig::default(), IceRole::Controlling);
        let b = sim.add_agent(IceConfig::default(), IceRole::Controlled);
        for (i, host) in [(a, "192.0.2.1:5000"), (b, "192.0.2.2:6000")] {
            sim.add_host(i, host.parse().expect("literal address"), None);
        }
        sim.signal(a, b);
        sim.end_candidates();
        sim
    }

    /// Simulated time since the start.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }

    /// The current simulated instant.
    #[must_use]
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Adds an agent; returns its index.
    pub fn add_agent(&mut self, config: IceConfig, role: IceRole) -> usize {
        let n = self.agents.len() as u64;
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&self.seed.to_le_bytes());
        seed[8..16].copy_from_slice(&n.to_le_bytes());
        let agent = IceAgent::new(config, role, seed, self.now);
        self.agents.push(SimAgent {
            agent,
            events: Vec::new(),
            peers: Vec::new(),
            addrs: Vec::new(),
            app_data: Vec::new(),
            signals_pacing: true,
            sent: Vec::new(),
            recording: false,
        });
        self.agents.len() - 1
    }

    /// The agent at `i`.
    #[must_use]
    pub fn agent(&self, i: usize) -> &IceAgent {
        &self.agents[i].agent
    }

    /// The agent at `i`, mutably.
    pub fn agent_mut(&mut self, i: usize) -> &mut IceAgent {
        &mut self.agents[i].agent
    }

    /// Gives agent `i` a host address (behind NAT `nat`, or public) and a host candidate
    /// on it.
    pub fn add_host(&mut self, i: usize, addr: SocketAddr, nat: Option<usize>) {
        self.net.add_host_ip(addr.ip(), nat);
        self.agents[i].addrs.push(addr);
        let Ok(c) = self.agents[i].agent.add_host_candidate(addr) else {
            return;
        };
        for p in self.agents[i].peers.clone() {
            self.signalling.push_back((p, Signal::Candidate(c.clone())));
        }
        self.drain(i);
    }

    /// Whether agent `i`'s descriptions carry its pacing proposal (`a=ice-pacing`,
    /// [`IceAgent::local_pacing`]); on by default. Off, its peers count it as proposing
    /// 50 ms; give it [`IceConfig::ta`] = 50 ms as well to stand for an implementation
    /// that knows no `a=ice-pacing`.
    pub fn set_signals_pacing(&mut self, i: usize, on: bool) {
        self.agents[i].signals_pacing = on;
    }

    /// Records every datagram agent `i` sends from now on in [`SimAgent::sent`].
    pub fn record_transmits(&mut self, i: usize) {
        self.agents[i].recording = true;
    }

    /// Connects the signalling of `a` and `b`: credentials, pacing proposals
    /// (`a=ice-pacing`) and the candidates gathered so far are exchanged now, as in an
    /// offer and answer; later candidates and end-of-candidates are trickled.
    pub fn signal(&mut self, a: usize, b: usize) {
        self.agents[a].peers.push(b);
        self.agents[b].peers.push(a);
        self.exchange(a, b);
        self.exchange(b, a);
    }

    /// Exchanges credentials and candidates again (after a restart).
    pub fn resignal(&mut self, a: usize, b: usize) {
        self.exchange(a, b);
        self.exchange(b, a);
    }

    fn exchange(&mut self, from: usize, to: usize) {
        let creds = self.agents[from].agent.local_credentials().clone();
        let pacing = self.agents[from]
            .signals_pacing
            .then(|| self.agents[from].agent.local_pacing());
        let cands: Vec<_> = self.agents[from]
            .agent
            .local_candidates()
            .cloned()
            .collect();
        let _ = self.agents[to].agent.set_remote_credentials(creds);
        self.agents[to].agent.set_remote_pacing(pacing);
        for c in cands {
            let _ = self.agents[to].agent.add_remote_candidate(c);
        }
        self.drain(to);
    }

    /// Ends local candidates on every agent (end-of-candidates is trickled once their
    /// gathering completes).
    pub fn end_candidates(&mut self) {
        for i in 0..self.agents.len() {
            self.agents[i].agent.end_of_local_candidates();
            self.drain(i);
        }
    }

    fn drain(&mut self, i: usize) {
        let now = self.now;
        let elapsed = self.elapsed();
        while let Some(t) = self.agents[i].agent.poll_transmit() {
            if self.agents[i].recording {
                let d = Datagram {
                    source: t.source,
                    destination: t.destination,
                    data: t.data.clone(),
                };
                self.agents[i].sent.push((elapsed, d));
            }
            self.net.send(now, t);
        }
        while let Some(e) = self.agents[i].agent.poll_event() {
            match &e {
                IceEvent::LocalCandidate(c) => {
                    for p in self.agents[i].peers.clone() {
                        self.signalling.push_back((p, Signal::Candidate(c.clone())));
                    }
                }
                IceEvent::GatheringComplete => {
                    for p in self.agents[i].peers.clone() {
                        self.signalling.push_back((p, Signal::End));
                    }
                }
                _ => {}
            }
            self.agents[i].events.push((elapsed, e));
        }
    }

    /// Sends application data from agent `i` over its selected pair; `false` when it has
    /// none.
    pub fn send_data(&mut self, i: usize, data: &[u8]) -> bool {
        let Some(t) = self.agents[i].agent.send_data(data) else {
            return false;
        };
        self.net.send(self.now, t);
        true
    }

    /// Advances to the next event (a timeout or an arrival) no later than `deadline`;
    /// `false` when there is none.
    pub fn step(&mut self, deadline: Instant) -> bool {
        while let Some((to, s)) = self.signalling.pop_front() {
            match s {
                Signal::Candidate(c) => {
                    let _ = self.agents[to].agent.add_remote_candidate(c);
                }
                Signal::End => self.agents[to].agent.end_of_remote_candidates(),
            }
            self.drain(to);
        }
        let mut next = self.net.next_arrival();
        for a in &self.agents {
            if let Some(t) = a.agent.poll_timeout() {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        }
        let Some(next) = next else { return false };
        if next > deadline {
            self.now = deadline;
            return false;
        }
        self.now = self.now.max(next);
        let now = self.now;
        while let Some(d) = self.net.poll_arrival(now) {
            let Some(i) = self
                .agents
                .iter()
                .position(|a| a.addrs.contains(&d.destination))
            else {
                continue;
            };
            let rx = Receive {
                source: d.source,
                destination: d.destination,
                data: &d.data,
            };
            if let Received::Data { data, .. } = self.agents[i].agent.handle_receive(now, rx) {
                let data = data.to_vec();
                self.agents[i].app_data.push(data);
            }
            self.drain(i);
        }
        for i in 0..self.agents.len() {
            if self.agents[i]
                .agent
                .poll_timeout()
                .is_some_and(|t| t <= now)
            {
                self.agents[i].agent.handle_timeout(now);
                self.drain(i);
            }
        }
        true
    }

    /// Runs until `done` holds or `limit` of simulated time has passed from now; returns
    /// whether `done` held.
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&Self) -> bool) -> bool {
        let deadline = self.now + limit;
        loop {
            if done(self) {
                return true;
            }
            if !self.step(deadline) {
                return done(self);
            }
        }
    }

    /// Runs until every agent has a selected pair (at most `limit`).
    pub fn run_until_selected(&mut self, limit: Duration) -> bool {
        self.run_until(limit, |s| {
            s.agents.iter().all(|a| a.agent.selected_pair().is_some())
        })
    }

    /// Runs for `duration` of simulated time.
    pub fn run_for(&mut self, duration: Duration) {
        let _ = self.run_until(duration, |_| false);
    }
}
