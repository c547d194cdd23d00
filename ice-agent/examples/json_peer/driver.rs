//! Drives one `IceAgent` over a real UDP socket, speaking the JSON-lines signalling protocol
//! of the interop peers (see `tests/interop/README.md`). Shared by the `json_peer` example
//! and the interop tests, which run it in a thread.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use ice_agent::{
    Candidate, ConnectionState, Credentials, IceAgent, IceConfig, IceEvent, IceRole, Receive,
    Received,
};
use serde_json::{json, Value};

/// Command-line options of a peer.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) controlled: bool,
    pub(crate) ipv6: bool,
    pub(crate) bind: Option<IpAddr>,
    pub(crate) echo: bool,
    pub(crate) lite: bool,
    pub(crate) timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            controlled: false,
            ipv6: false,
            bind: None,
            echo: false,
            lite: false,
            timeout: Duration::from_secs(20),
        }
    }
}

impl Options {
    /// Parses `--controlled --ipv6 --echo --lite --bind ADDR --timeout S`.
    pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut o = Self::default();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--controlled" => o.controlled = true,
                "--ipv6" => o.ipv6 = true,
                "--echo" => o.echo = true,
                "--lite" => o.lite = true,
                "--bind" => {
                    let v = it.next().ok_or("--bind needs an address")?;
                    o.bind = Some(v.parse().map_err(|e| format!("--bind {v}: {e}"))?);
                }
                "--timeout" => {
                    let v = it.next().ok_or("--timeout needs seconds")?;
                    let s: f64 = v.parse().map_err(|e| format!("--timeout {v}: {e}"))?;
                    if !(s > 0.0 && s < 86_400.0) {
                        return Err(format!("--timeout {v}: out of range"));
                    }
                    o.timeout = Duration::from_secs_f64(s);
                }
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(o)
    }
}

fn os_seed() -> [u8; 32] {
    // RandomState is keyed from the operating system's randomness.
    let mut seed = [0u8; 32];
    for (i, chunk) in seed.chunks_mut(8).enumerate() {
        let mut h = RandomState::new().build_hasher();
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    seed
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Runs the peer until `close`, end of input, a failure or the connect timeout. Lines
/// come from `input`; each output line goes to `output`. Returns the exit status.
pub(crate) fn run(opts: &Options, input: &Receiver<String>, output: &mut dyn FnMut(Value)) -> i32 {
    match run_inner(opts, input, output) {
        Ok(rc) => {
            output(json!({"type": "closed"}));
            rc
        }
        Err(e) => {
            output(json!({"type": "error", "message": e}));
            output(json!({"type": "closed"}));
            1
        }
    }
}

fn run_inner(
    opts: &Options,
    input: &Receiver<String>,
    output: &mut dyn FnMut(Value),
) -> Result<i32, String> {
    let ip = opts.bind.unwrap_or(if opts.ipv6 {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    });
    let socket = UdpSocket::bind(SocketAddr::new(ip, 0)).map_err(|e| format!("bind {ip}: {e}"))?;
    let local_addr = socket.local_addr().map_err(|e| e.to_string())?;
    let role = if opts.controlled {
        IceRole::Controlled
    } else {
        IceRole::Controlling
    };
    let start = Instant::now();
    let config = if opts.lite {
        IceConfig::lite()
    } else {
        IceConfig::default()
    };
    let mut agent = IceAgent::new(config, role, os_seed(), start);
    let host = agent
        .add_host_candidate(local_addr)
        .map_err(|e| e.to_string())?;
    let creds = agent.local_credentials().clone();
    output(json!({
        "type": "local-description",
        "ufrag": creds.ufrag,
        "pwd": creds.pwd,
        "ice_controlling": agent.role() == IceRole::Controlling,
        "ice_lite": opts.lite,
    }));
    output(json!({"type": "candidate", "candidate": host.to_string()}));
    agent.end_of_local_candidates();

    let mut buf = vec![0u8; 2048];
    // Application data leaves through one reused buffer (no allocation per datagram).
    let mut out = Vec::with_capacity(2048);
    let mut t0: Option<Instant> = None;
    let mut connected = false;
    let mut pending_send: Vec<Vec<u8>> = Vec::new();
    let deadline = start + opts.timeout;
    loop {
        // Signalling from the harness.
        loop {
            let line = match input.try_recv() {
                Ok(l) => l,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Ok(0),
            };
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let msg: Value =
                serde_json::from_str(line).map_err(|e| format!("bad json {line}: {e}"))?;
            match msg["type"].as_str().unwrap_or("") {
                "remote-description" => {
                    let ufrag = msg["ufrag"].as_str().unwrap_or("");
                    let pwd = msg["pwd"].as_str().unwrap_or("");
                    let creds = Credentials::new(ufrag, pwd).map_err(|e| e.to_string())?;
                    agent
                        .set_remote_credentials(creds)
                        .map_err(|e| e.to_string())?;
                    if msg["ice_lite"].as_bool() == Some(true) {
                        agent.set_remote_lite(true);
                    }
                    t0 = Some(Instant::now());
                }
                "candidate" => {
                    let value = msg["candidate"].as_str().unwrap_or("");
                    match Candidate::parse(value) {
                        // TCP candidates and other components are not ours to check.
                        Ok(c) => {
                            let _ = agent.add_remote_candidate(c);
                        }
                        Err(e) => return Err(format!("candidate {value:?}: {e}")),
                    }
                }
                "end-of-candidates" => agent.end_of_remote_candidates(),
                "send" => {
                    let data = unhex(msg["hex"].as_str().unwrap_or("")).ok_or("bad hex")?;
                    pending_send.push(data);
                }
                "close" => return Ok(0),
                _ => {}
            }
        }
        let now = Instant::now();
        if !connected && now >= deadline {
            return Err("timeout".into());
        }
        if agent.poll_timeout().is_some_and(|t| t <= now) {
            agent.handle_timeout(now);
        }
        // Events.
        while let Some(e) = agent.poll_event() {
            match e {
                IceEvent::GatheringComplete => output(json!({"type": "end-of-candidates"})),
                IceEvent::LocalCandidate(c) => {
                    output(json!({"type": "candidate", "candidate": c.to_string()}));
                }
                IceEvent::SelectedPair { local, remote } if !connected => {
                    connected = true;
                    let ms = t0.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
                    output(json!({
                        "type": "connected",
                        "ms": ms,
                        "ice_controlling": agent.role() == IceRole::Controlling,
                        "local": format!("{} {}", local.address().ip(), local.address().port()),
                        "remote": format!("{} {}", remote.address().ip(), remote.address().port()),
                    }));
                }
                IceEvent::ConsentLost => return Err("consent lost".into()),
                IceEvent::ConnectionStateChange(ConnectionState::Failed) => {
                    return Err("ice failed".into())
                }
                _ => {}
            }
        }
        if agent.selected_pair().is_some() {
            for data in pending_send.drain(..) {
                if let Some(route) = agent.send_data_into(&data, &mut out) {
                    socket
                        .send_to(&out, route.destination)
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        while let Some(t) = agent.poll_transmit() {
            // One socket: the source is always its address.
            if let Err(e) = socket.send_to(&t.data, t.destination) {
                if e.kind() != io::ErrorKind::ConnectionRefused {
                    return Err(format!("send to {}: {e}", t.destination));
                }
            }
        }
        // Wait for a datagram until the agent's next timeout (at most 10 ms, to keep
        // reading signalling).
        let now = Instant::now();
        let wait = agent
            .poll_timeout()
            .map_or(Duration::from_millis(10), |t| {
                t.saturating_duration_since(now)
            })
            .clamp(Duration::from_millis(1), Duration::from_millis(10));
        socket
            .set_read_timeout(Some(wait))
            .map_err(|e| e.to_string())?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                let now = Instant::now();
                let rx = Receive {
                    source: from,
                    destination: local_addr,
                    data: &buf[..n],
                };
                if let Received::Data { data, .. } = agent.handle_receive(now, rx) {
                    output(json!({"type": "data", "hex": hex(data)}));
                    if opts.echo {
                        if let Some(route) = agent.send_data_into(data, &mut out) {
                            let _ = socket.send_to(&out, route.destination);
                        }
                    }
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            // ICMP port unreachable from an earlier send surfaces here on Linux.
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {}
            Err(e) => return Err(format!("recv: {e}")),
        }
    }
}
