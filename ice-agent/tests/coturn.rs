//! The TURN client against coturn (`turnserver`) over real UDP on loopback: two agents
//! with a relay-only policy allocate (401 long-term authentication first), create
//! permissions, connect through the relay, bind a channel and exchange data as
//! ChannelData.
//!
//! `#[ignore]`d: it needs coturn's `turnserver`; `cargo test -- --ignored` (as `bash .ci/run`,
//! which installs coturn, does) runs it and fails when coturn is missing.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ice_agent::{
    CandidateKind, IceAgent, IceConfig, IceEvent, IceRole, Receive, Received, TurnServer,
};

const TURNSERVER: &str = "/usr/bin/turnserver";

/// coturn, stopped (by its own PID) when dropped.
struct Coturn {
    child: Child,
    address: SocketAddr,
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_coturn() -> Coturn {
    assert!(
        std::path::Path::new(TURNSERVER).exists(),
        "needs coturn (bash .ci/run installs it): {TURNSERVER} is missing"
    );
    let port = free_udp_port();
    // A relay port range of its own, derived from the listening port.
    let min = 20000 + (port % 20000) / 100 * 100;
    let child = Command::new(TURNSERVER)
        .args(["-n", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp-relay"])
        .args(["--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1"])
        .args(["--listening-port", &port.to_string()])
        .args([
            "--min-port",
            &min.to_string(),
            "--max-port",
            &(min + 99).to_string(),
        ])
        .args([
            "--lt-cred-mech",
            "--user",
            "alice:wonderland",
            "--realm",
            "webrtc-wire.test",
        ])
        .args([
            "--allow-loopback-peers",
            "--no-stdout-log",
            "--log-file",
            "/dev/null",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn turnserver");
    let coturn = Coturn {
        child,
        address: SocketAddr::from(([127, 0, 0, 1], port)),
    };
    // Wait until it answers a Binding request (at most 5 s).
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    probe
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let request = [
        0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 512];
    while Instant::now() < deadline {
        let _ = probe.send_to(&request, coturn.address);
        if probe.recv_from(&mut buf).is_ok() {
            return coturn;
        }
    }
    panic!("turnserver did not answer on {}", coturn.address);
}

struct Peer {
    agent: IceAgent,
    socket: UdpSocket,
    local: SocketAddr,
    events: Vec<IceEvent>,
    data: Vec<Vec<u8>>,
}

impl Peer {
    fn new(role: IceRole, turn: SocketAddr, seed: u8, now: Instant) -> Self {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let local = socket.local_addr().unwrap();
        let mut config = IceConfig::default();
        config.relay_only = true;
        config.turn_servers = vec![TurnServer {
            address: turn,
            username: "alice".into(),
            password: "wonderland".into(),
        }];
        let mut agent = IceAgent::new(config, role, [seed; 32], now);
        agent.add_host_candidate(local).unwrap();
        agent.end_of_local_candidates();
        Self {
            agent,
            socket,
            local,
            events: Vec::new(),
            data: Vec::new(),
        }
    }

    fn pump(&mut self) {
        let now = Instant::now();
        if self.agent.poll_timeout().is_some_and(|t| t <= now) {
            self.agent.handle_timeout(now);
        }
        let mut buf = [0u8; 2048];
        while let Ok((n, from)) = self.socket.recv_from(&mut buf) {
            let rx = Receive {
                source: from,
                destination: self.local,
                data: &buf[..n],
            };
            if let Received::Data { data, .. } = self.agent.handle_receive(Instant::now(), rx) {
                self.data.push(data.to_vec());
            }
        }
        while let Some(t) = self.agent.poll_transmit() {
            let _ = self.socket.send_to(&t.data, t.destination);
        }
        while let Some(e) = self.agent.poll_event() {
            self.events.push(e);
        }
    }

    fn gathered(&self) -> bool {
        self.events.contains(&IceEvent::GatheringComplete)
    }
}

#[test]
#[ignore = "needs coturn (bash .ci/run installs it)"]
fn relay_only_agents_connect_through_coturn() {
    let coturn = start_coturn();
    let now = Instant::now();
    let mut a = Peer::new(IceRole::Controlling, coturn.address, 1, now);
    let mut b = Peer::new(IceRole::Controlled, coturn.address, 2, now);
    let deadline = Instant::now() + Duration::from_secs(15);
    // Gathering: Allocate, 401, authenticated Allocate.
    while !(a.gathered() && b.gathered()) && Instant::now() < deadline {
        a.pump();
        b.pump();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(a.gathered() && b.gathered(), "gathering finished");
    let relayed = |p: &Peer| p.agent.local_candidates().cloned().collect::<Vec<_>>();
    let (ra, rb) = (relayed(&a), relayed(&b));
    assert_eq!(ra.len(), 1, "A signals its relayed candidate only: {ra:?}");
    assert_eq!(rb.len(), 1, "B signals its relayed candidate only: {rb:?}");
    assert_eq!(ra[0].kind(), CandidateKind::Relayed);
    assert_eq!(ra[0].address().ip(), coturn.address.ip());
    assert_ne!(ra[0].address().port(), coturn.address.port());
    // Signalling.
    a.agent
        .set_remote_credentials(b.agent.local_credentials().clone())
        .unwrap();
    b.agent
        .set_remote_credentials(a.agent.local_credentials().clone())
        .unwrap();
    a.agent.add_remote_candidate(rb[0].clone()).unwrap();
    b.agent.add_remote_candidate(ra[0].clone()).unwrap();
    a.agent.end_of_remote_candidates();
    b.agent.end_of_remote_candidates();
    while !(a.agent.selected_pair().is_some() && b.agent.selected_pair().is_some())
        && Instant::now() < deadline
    {
        a.pump();
        b.pump();
        std::thread::sleep(Duration::from_millis(2));
    }
    let (la, ra2) = a.agent.selected_pair().expect("A selected a pair");
    let (lb, rb2) = b.agent.selected_pair().expect("B selected a pair");
    assert_eq!(la.kind(), CandidateKind::Relayed);
    assert_eq!(lb.kind(), CandidateKind::Relayed);
    assert_eq!(ra2.address(), lb.address());
    assert_eq!(rb2.address(), la.address());
    // Data both ways through the relay (Send indications, then ChannelData once bound).
    let mut sent = 0;
    while Instant::now() < deadline && (a.data.len() < 3 || b.data.len() < 3) {
        if sent < 20 {
            if let Some(t) = a.agent.send_data(format!("a{sent}").as_bytes()) {
                a.socket.send_to(&t.data, t.destination).unwrap();
            }
            if let Some(t) = b.agent.send_data(format!("b{sent}").as_bytes()) {
                b.socket.send_to(&t.data, t.destination).unwrap();
            }
            sent += 1;
        }
        for _ in 0..10 {
            a.pump();
            b.pump();
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    assert!(
        b.data.iter().any(|d| d.starts_with(b"a")),
        "B got data: {:?}",
        b.data
    );
    assert!(
        a.data.iter().any(|d| d.starts_with(b"b")),
        "A got data: {:?}",
        a.data
    );
    // Once the channel is bound, application data goes as ChannelData (4-byte header).
    let t = a.agent.send_data(b"channel").unwrap();
    assert_eq!(t.destination, coturn.address);
    assert_eq!(t.data.len(), 4 + 7, "ChannelData framing");
    assert!((0x40..=0x4f).contains(&t.data[0]));
    drop(coturn);
}
