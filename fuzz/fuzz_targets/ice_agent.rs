//! Drives an ICE agent with a script of arbitrary datagrams, authenticated checks and
//! responses, timeouts and signalling calls, and checks its invariants after every step:
//! no panic, at most one nominated pair, `poll_timeout` never in the past after
//! `handle_timeout`, and bounded pairs, candidates and queues.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ice_agent::{
    Candidate, CandidateKind, Credentials, IceAgent, IceConfig, IceRole, Receive, Transmit,
    TurnServer,
};
use libfuzzer_sys::fuzz_target;
use stun_turn_codec::{
    Attribute, ChannelData, Class, IntegrityKey, LongTermAlgorithm, LongTermKey, Message,
    MessageBuilder, Method, PasswordPrep, TransactionId,
};

const TURN: &str = "198.51.100.2:3478";
const LOCAL: [&str; 3] = ["10.0.0.1:5000", "[2001:db8::1]:5000", "10.0.0.2:5001"];
const REMOTE: [&str; 4] = [
    "10.0.1.1:6000",
    "10.0.1.2:6001",
    "[2001:db8::2]:6000",
    "203.0.113.9:7000",
];
const REMOTE_PWD: &str = "remotepasswordremotepassword";

struct Script<'a>(&'a [u8]);

impl Script<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn u32(&mut self) -> u32 {
        let mut v = 0u32;
        for _ in 0..4 {
            v = (v << 8) | u32::from(self.byte().unwrap_or(0));
        }
        v
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
}

fn addr(list: &[&str], i: u8) -> SocketAddr {
    list[usize::from(i) % list.len()].parse().unwrap()
}

fn check(agent: &mut IceAgent, sent: &mut Vec<Transmit>) {
    let mut n = 0;
    while let Some(t) = agent.poll_transmit() {
        n += 1;
        assert!(n < 10_000, "unbounded transmit queue");
        if sent.len() < 64 {
            sent.push(t);
        } else {
            sent[n % 64] = t;
        }
    }
    let mut e = 0;
    while agent.poll_event().is_some() {
        e += 1;
        assert!(e < 10_000, "unbounded event queue");
    }
    let pairs = agent.pairs();
    assert!(pairs.len() <= 100, "pair cap exceeded: {}", pairs.len());
    assert!(
        pairs.iter().filter(|p| p.nominated).count() <= 1,
        "two nominated pairs"
    );
    assert!(agent.remote_candidates().count() <= 256);
    assert!(agent.local_candidates().count() <= 64);
}

fuzz_target!(|data: &[u8]| {
    let mut s = Script(data);
    let t0 = Instant::now();
    let mut now = t0;
    let role = if s.byte().unwrap_or(0) & 1 == 0 {
        IceRole::Controlling
    } else {
        IceRole::Controlled
    };
    let mut config = IceConfig::default();
    let flags = s.byte().unwrap_or(0);
    config.lite = flags & 1 != 0;
    config.consent_freshness = flags & 2 == 0;
    if flags & 4 != 0 {
        config.stun_servers = vec!["198.51.100.1:3478".parse().unwrap()];
    }
    if flags & 8 != 0 {
        config.turn_servers = vec![TurnServer {
            address: TURN.parse().unwrap(),
            username: "user".into(),
            password: "pass".into(),
        }];
        config.relay_only = flags & 16 != 0;
    }
    let turn_key = IntegrityKey::new(
        LongTermKey::new(
            "user",
            "realm",
            "pass",
            LongTermAlgorithm::Md5,
            PasswordPrep::None,
        )
        .unwrap()
        .as_bytes(),
    );
    let mut agent = IceAgent::new(config, role, [s.byte().unwrap_or(0); 32], now);
    let _ = agent.add_host_candidate(addr(&LOCAL, 0));
    let remote_creds = Credentials::new("rmte", REMOTE_PWD).unwrap();
    let remote_key = IntegrityKey::short_term(REMOTE_PWD).unwrap();
    let mut sent: Vec<Transmit> = Vec::new();
    let mut steps = 0;
    while let Some(op) = s.byte() {
        steps += 1;
        if steps > 400 {
            break;
        }
        match op % 15 {
            0 => {
                // Arbitrary bytes.
                let (src, dst) = (s.byte().unwrap_or(0), s.byte().unwrap_or(0));
                let len = usize::from(s.byte().unwrap_or(0));
                let bytes = s.bytes(len).to_vec();
                let rx = Receive {
                    source: addr(&REMOTE, src),
                    destination: addr(&LOCAL, dst),
                    data: &bytes,
                };
                agent.handle_receive(now, rx);
            }
            1 => {
                let ms = u64::from(s.byte().unwrap_or(0)) * u64::from(s.byte().unwrap_or(1)) * 10;
                now += Duration::from_millis(ms);
                agent.handle_timeout(now);
                if let Some(t) = agent.poll_timeout() {
                    assert!(t >= now, "poll_timeout in the past after handle_timeout");
                }
            }
            2 => {
                let a = addr(&REMOTE, s.byte().unwrap_or(0));
                let kind = match s.byte().unwrap_or(0) % 4 {
                    0 => CandidateKind::Host,
                    1 => CandidateKind::ServerReflexive,
                    2 => CandidateKind::Relayed,
                    _ => CandidateKind::PeerReflexive,
                };
                let prio = s.u32().max(1);
                let f = format!("f{}", s.byte().unwrap_or(0) % 4);
                let _ = agent.add_remote_candidate(Candidate::new(kind, a, prio, &f));
            }
            3 => {
                let _ = agent.set_remote_credentials(remote_creds.clone());
                // The peer's a=ice-pacing proposal (0: none), RFC 8445 §14.2.
                let ms = u64::from(s.byte().unwrap_or(0)) * 4;
                agent.set_remote_pacing((ms != 0).then(|| Duration::from_millis(ms)));
                assert!(
                    agent.ta() >= agent.local_pacing(),
                    "Ta below the local proposal"
                );
            }
            4 => agent.end_of_remote_candidates(),
            5 => {
                agent.restart();
                let _ = agent.set_remote_credentials(remote_creds.clone());
            }
            6 => {
                let _ = agent.add_host_candidate(addr(&LOCAL, s.byte().unwrap_or(0)));
            }
            7 | 8 => {
                // An authenticated connectivity check from the "peer".
                let (src, dst) = (s.byte().unwrap_or(0), s.byte().unwrap_or(0));
                let flags = s.byte().unwrap_or(0);
                let prio = s.u32();
                let tie = u64::from(s.u32());
                let username = format!("{}:rmte", agent.local_credentials().ufrag);
                let key = IntegrityKey::short_term(&agent.local_credentials().pwd).unwrap();
                let mut tid = [0u8; 12];
                tid[..4].copy_from_slice(&prio.to_be_bytes());
                let mut buf = Vec::new();
                let mut b = MessageBuilder::new(
                    &mut buf,
                    Class::Request,
                    Method::BINDING,
                    TransactionId(tid),
                );
                b.username(&username);
                if flags & 1 != 0 {
                    b.priority(prio);
                }
                if flags & 2 != 0 {
                    b.ice_controlling(tie);
                } else if flags & 4 != 0 {
                    b.ice_controlled(tie);
                }
                if flags & 8 != 0 {
                    b.use_candidate();
                }
                if flags & 16 == 0 {
                    b.message_integrity(&key);
                }
                b.fingerprint();
                let _ = b.finish();
                let rx = Receive {
                    source: addr(&REMOTE, src),
                    destination: addr(&LOCAL, dst),
                    data: &buf,
                };
                agent.handle_receive(now, rx);
            }
            9 | 10 => {
                // A response to one of the agent's recent requests.
                if sent.is_empty() {
                    continue;
                }
                let i = usize::from(s.byte().unwrap_or(0)) % sent.len();
                let t = sent[i].clone();
                let Ok(req) = Message::parse(&t.data) else {
                    continue;
                };
                if req.class() != Class::Request {
                    continue;
                }
                let flags = s.byte().unwrap_or(0);
                if req.method() != Method::BINDING {
                    // A TURN server's answer: 401/438 with realm and nonce, or success.
                    let mut buf = Vec::new();
                    let err = flags & 3;
                    let class = if err != 0 {
                        Class::ErrorResponse
                    } else {
                        Class::SuccessResponse
                    };
                    let mut b =
                        MessageBuilder::new(&mut buf, class, req.method(), req.transaction_id());
                    match err {
                        1 => {
                            b.error_code(401, "Unauthorized").realm("realm").nonce("n1");
                        }
                        2 => {
                            b.error_code(438, "Stale Nonce").realm("realm").nonce("n2");
                        }
                        3 => {
                            b.error_code(403, "Forbidden");
                        }
                        _ => {
                            if req.method() == Method::ALLOCATE {
                                b.attribute(&Attribute::XorRelayedAddress(addr(
                                    &REMOTE,
                                    flags >> 2,
                                )));
                                b.xor_mapped_address(addr(&REMOTE, flags >> 4));
                            }
                            b.lifetime(u32::from(flags));
                            b.message_integrity(&turn_key);
                        }
                    }
                    b.fingerprint();
                    let _ = b.finish();
                    let rx = Receive {
                        source: t.destination,
                        destination: t.source,
                        data: &buf,
                    };
                    agent.handle_receive(now, rx);
                    check(&mut agent, &mut sent);
                    continue;
                }
                let mapped = if flags & 1 != 0 {
                    addr(&REMOTE, flags >> 4)
                } else {
                    t.source
                };
                let mut buf = Vec::new();
                let class = if flags & 2 != 0 {
                    Class::ErrorResponse
                } else {
                    Class::SuccessResponse
                };
                let mut b =
                    MessageBuilder::new(&mut buf, class, Method::BINDING, req.transaction_id());
                if class == Class::ErrorResponse {
                    b.error_code(if flags & 4 != 0 { 487 } else { 400 }, "x");
                } else {
                    b.xor_mapped_address(mapped);
                }
                if flags & 8 == 0 {
                    b.message_integrity(&remote_key);
                }
                b.fingerprint();
                let _ = b.finish();
                let source = if flags & 32 != 0 {
                    addr(&REMOTE, flags)
                } else {
                    t.destination
                };
                let rx = Receive {
                    source,
                    destination: t.source,
                    data: &buf,
                };
                agent.handle_receive(now, rx);
            }
            11 => {
                // Relayed traffic from the TURN server: ChannelData or a Data indication
                // carrying arbitrary bytes (or a check captured earlier).
                let flags = s.byte().unwrap_or(0);
                let len = usize::from(s.byte().unwrap_or(0));
                let inner = s.bytes(len).to_vec();
                let mut buf = Vec::new();
                if flags & 1 != 0 {
                    let channel = 0x4000 + u16::from(flags >> 4);
                    let _ = ChannelData::write(
                        &mut buf,
                        channel,
                        &inner,
                        stun_turn_codec::Transport::Udp,
                    );
                } else {
                    let mut b = MessageBuilder::new(
                        &mut buf,
                        Class::Indication,
                        Method::DATA,
                        TransactionId([7; 12]),
                    );
                    b.xor_peer_address(addr(&REMOTE, flags >> 1)).data(&inner);
                    let _ = b.finish();
                }
                let rx = Receive {
                    source: TURN.parse().unwrap(),
                    destination: addr(&LOCAL, flags >> 2),
                    data: &buf,
                };
                agent.handle_receive(now, rx);
            }
            12 => agent.end_of_local_candidates(),
            13 => {
                let _ = agent.send_data(b"app");
            }
            _ => {
                // Raw, or wrapped for a relay (ChannelData, Send indication): the datagram
                // always carries the data.
                let mut out = vec![0xff; 8];
                if agent.send_data_into(b"app", &mut out).is_some() {
                    assert!(out.windows(3).any(|w| w == b"app"), "{out:?}");
                }
            }
        }
        check(&mut agent, &mut sent);
    }
});
