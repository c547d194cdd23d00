//! Interop over real UDP on loopback with independent ICE implementations (aioice, libnice),
//! both roles, IPv4 and IPv6. Each test relays signalling between our agent (the
//! `json_peer` driver, in a thread) and a peer process, and asserts that both connect,
//! agree on the selected pair, and echo application data over it.
//!
//! Each test is `#[ignore]`d with the peer it needs, so that a plain `cargo test` reports it
//! as not run; `cargo test -- --ignored` (as `bash .ci/run`, which installs the peers, does)
//! runs them and fails when a peer is missing.

#[allow(dead_code)]
#[path = "../examples/json_peer/driver.rs"]
mod driver;

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv6Addr, SocketAddr, UdpSocket};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const AIOICE_PYTHON: &str = "/opt/aioice/bin/python";
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    Aioice,
    Libnice,
}

impl Peer {
    fn command(self) -> (&'static str, &'static str) {
        match self {
            Self::Aioice => (AIOICE_PYTHON, "aioice_peer.py"),
            Self::Libnice => (SYSTEM_PYTHON, "libnice_peer.py"),
        }
    }

    fn probe(self) -> Result<(), String> {
        let (python, _) = self.command();
        let code = match self {
            Self::Aioice => "import aioice",
            Self::Libnice => {
                "import gi; gi.require_version('Nice', '0.1'); from gi.repository import Nice"
            }
        };
        match Command::new(python)
            .args(["-c", code])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
        {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("{python} -c {code:?} exited with {s}")),
            Err(e) => Err(format!("{python}: {e}")),
        }
    }
}

fn ipv6_loopback() -> bool {
    UdpSocket::bind(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 0)).is_ok()
}

/// Panics, naming what is missing, when the peer (or IPv6 loopback) is not there: these
/// tests only run when asked for (`--ignored`).
fn available(peer: Peer, ipv6: bool) -> bool {
    let problem = peer
        .probe()
        .err()
        .or_else(|| (ipv6 && !ipv6_loopback()).then(|| "no IPv6 loopback".to_owned()));
    if let Some(p) = problem {
        panic!("{peer:?} interop needs the peer (bash .ci/run installs it): {p}");
    }
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Theirs,
}

/// The peer process; killed (by its own handle) if still running when dropped.
struct PeerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl PeerProcess {
    fn spawn(peer: Peer, args: &[&str], events: Sender<(Side, Value)>) -> Self {
        let (python, script) = peer.command();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/");
        let mut child = Command::new(python)
            .arg(format!("{path}{script}"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn peer");
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let Ok(v) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                if events.send((Side::Theirs, v)).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Self { child, stdin }
    }

    fn send(&mut self, v: &Value) {
        if let Some(stdin) = &mut self.stdin {
            let _ = writeln!(stdin, "{v}");
            let _ = stdin.flush();
        }
    }

    /// Asks the peer to close and waits up to 5 s before killing it.
    fn close(&mut self) {
        self.send(&json!({"type": "close"}));
        self.stdin = None;
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PeerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[derive(Debug, Default)]
struct Outcome {
    connected: Vec<(Side, Option<String>, Option<String>)>,
    candidates: Vec<(Side, String)>,
    data: Vec<(Side, Vec<u8>)>,
    errors: Vec<(Side, String)>,
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect()
}

/// Runs our agent (controlling when `ours_controlling`) against `peer`; returns what
/// both reported.
fn run(
    peer: Peer,
    ours_controlling: bool,
    ipv6: bool,
    extra: &[&'static str],
    ours_lite: bool,
) -> Outcome {
    let (events_tx, events) = mpsc::channel::<(Side, Value)>();
    // Our side: the json_peer driver in a thread.
    let (our_in, our_rx) = mpsc::channel::<String>();
    let opts = driver::Options {
        controlled: !ours_controlling,
        ipv6,
        echo: !ours_controlling,
        lite: ours_lite,
        timeout: Duration::from_secs(20),
        ..driver::Options::default()
    };
    let tx = events_tx.clone();
    let ours = std::thread::spawn(move || {
        driver::run(&opts, &our_rx, &mut |v| {
            let _ = tx.send((Side::Ours, v));
        })
    });
    let mut args: Vec<&str> = vec!["--timeout", "20"];
    if ours_controlling {
        args.extend(["--controlled", "--echo"]);
    }
    if ipv6 {
        args.push("--ipv6");
    }
    if peer == Peer::Libnice {
        // Keep to UDP: ICE-TCP candidates are ignored by our agent anyway.
        args.push("--no-tcp");
    }
    args.extend(extra);
    let mut theirs = PeerProcess::spawn(peer, &args, events_tx);
    let outcome = relay(&events, &our_in, &mut theirs, ours_controlling);
    let _ = our_in.send(json!({"type": "close"}).to_string());
    theirs.close();
    let rc = ours.join().expect("driver thread");
    assert!(rc == 0 || !outcome.errors.is_empty(), "driver exit {rc}");
    outcome
}

fn relay(
    events: &Receiver<(Side, Value)>,
    ours: &Sender<String>,
    theirs: &mut PeerProcess,
    ours_controlling: bool,
) -> Outcome {
    let mut out = Outcome::default();
    let controlling = if ours_controlling {
        Side::Ours
    } else {
        Side::Theirs
    };
    let controlled = if ours_controlling {
        Side::Theirs
    } else {
        Side::Ours
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut sent_hello = false;
    let to = |side: Side, v: &Value, theirs: &mut PeerProcess| match side {
        Side::Ours => {
            let _ = ours.send(v.to_string());
        }
        Side::Theirs => theirs.send(v),
    };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let (side, msg) = match events.recv_timeout(left) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                out.errors.push((Side::Ours, "harness timeout".into()));
                return out;
            }
            Err(RecvTimeoutError::Disconnected) => return out,
        };
        let other = if side == Side::Ours {
            Side::Theirs
        } else {
            Side::Ours
        };
        match msg["type"].as_str().unwrap_or("") {
            "local-description" => {
                let lite = msg["ice_lite"].as_bool().unwrap_or(false);
                let v = json!({"type": "remote-description", "ufrag": msg["ufrag"], "pwd": msg["pwd"], "ice_lite": lite});
                to(other, &v, theirs);
            }
            "candidate" => {
                out.candidates
                    .push((side, msg["candidate"].as_str().unwrap_or("").to_owned()));
                to(other, &msg, theirs);
            }
            "end-of-candidates" => to(other, &msg, theirs),
            "connected" => {
                let s = |k: &str| msg[k].as_str().map(str::to_owned);
                out.connected.push((side, s("local"), s("remote")));
            }
            "data" => out
                .data
                .push((side, unhex(msg["hex"].as_str().unwrap_or("")))),
            "error" => {
                out.errors
                    .push((side, msg["message"].as_str().unwrap_or("").to_owned()));
                return out;
            }
            "closed" => return out,
            _ => {}
        }
        if !sent_hello && out.connected.len() == 2 {
            sent_hello = true;
            let hello = json!({"type": "send", "hex": "68656c6c6f"});
            to(controlling, &hello, theirs);
        }
        let got = |s: Side| out.data.iter().any(|(d, b)| *d == s && b == b"hello");
        if got(controlled) && got(controlling) {
            return out;
        }
    }
}

/// The `"IP PORT"` of an `a=candidate` value.
fn candidate_address(c: &str) -> Option<String> {
    let f: Vec<&str> = c.split_whitespace().collect();
    (f.len() >= 6 && f[2].eq_ignore_ascii_case("udp")).then(|| format!("{} {}", f[4], f[5]))
}

fn check(peer: Peer, ours_controlling: bool, ipv6: bool) {
    check_with(peer, ours_controlling, ipv6, &[]);
}

fn check_with(peer: Peer, ours_controlling: bool, ipv6: bool, extra: &[&'static str]) {
    check_full(peer, ours_controlling, ipv6, extra, false);
}

fn check_full(
    peer: Peer,
    ours_controlling: bool,
    ipv6: bool,
    extra: &[&'static str],
    ours_lite: bool,
) {
    if !available(peer, ipv6) {
        return;
    }
    let o = run(peer, ours_controlling, ipv6, extra, ours_lite);
    assert!(o.errors.is_empty(), "errors: {:?}", o.errors);
    let get = |s: Side| o.connected.iter().find(|c| c.0 == s).cloned();
    let ours = get(Side::Ours).expect("our agent connected");
    let theirs = get(Side::Theirs).expect("peer connected");
    let (Some(our_local), Some(our_remote)) = (ours.1.clone(), ours.2.clone()) else {
        panic!("our connected line names the pair: {ours:?}");
    };
    // Agreement: our remote is one of the peer's candidates and our local one of ours...
    let their_cands: Vec<String> = o
        .candidates
        .iter()
        .filter(|c| c.0 == Side::Theirs)
        .filter_map(|c| candidate_address(&c.1))
        .collect();
    assert!(
        their_cands.contains(&our_remote),
        "{our_remote} not in {their_cands:?}"
    );
    let loopback = if ipv6 { "::1 " } else { "127.0.0.1 " };
    assert!(our_local.starts_with(loopback), "{our_local}");
    // ... and, when the peer names its pair, it is the same pair seen from the other side.
    if let (Some(tl), Some(tr)) = (theirs.1, theirs.2) {
        assert_eq!((tl, tr), (our_remote, our_local), "selected pairs differ");
    }
    // Application data: A sent hello, B got it and echoed it, A got the echo.
    let got = |s: Side| o.data.iter().any(|(d, b)| *d == s && b == b"hello");
    assert!(got(Side::Ours), "our agent got no hello: {:?}", o.data);
    assert!(got(Side::Theirs), "peer got no hello: {:?}", o.data);
}

#[test]
#[ignore = "needs aioice (bash .ci/run installs it)"]
fn aioice_controlled_ipv4() {
    check(Peer::Aioice, true, false);
}

#[test]
#[ignore = "needs aioice (bash .ci/run installs it)"]
fn aioice_controlling_ipv4() {
    check(Peer::Aioice, false, false);
}

#[test]
#[ignore = "needs aioice (bash .ci/run installs it)"]
fn aioice_controlled_ipv6() {
    check(Peer::Aioice, true, true);
}

#[test]
#[ignore = "needs aioice (bash .ci/run installs it)"]
fn aioice_controlling_ipv6() {
    check(Peer::Aioice, false, true);
}

#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_controlled_ipv4() {
    check(Peer::Libnice, true, false);
}

#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_controlling_ipv4() {
    check(Peer::Libnice, false, false);
}

#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_controlled_ipv6() {
    check(Peer::Libnice, true, true);
}

#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_controlling_ipv6() {
    check(Peer::Libnice, false, true);
}

/// libnice with regular nomination and RFC 7675 consent freshness on its side too.
#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_regular_consent_controlled() {
    check_with(Peer::Libnice, true, false, &["--regular", "--consent"]);
}

#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_regular_consent_controlling() {
    check_with(Peer::Libnice, false, false, &["--regular", "--consent"]);
}

/// Full mode facing a lite peer: libnice as an ice-lite agent, ours controlling.
#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_lite_peer() {
    check_with(Peer::Libnice, true, false, &["--lite"]);
}

/// Our agent in ice-lite mode (a server), libnice full and controlling.
#[test]
#[ignore = "needs libnice (bash .ci/run installs it)"]
fn libnice_full_facing_our_lite() {
    check_full(Peer::Libnice, false, false, &[], true);
}

/// Our agent in ice-lite mode, aioice full and controlling (it is told the peer is lite).
#[test]
#[ignore = "needs aioice (bash .ci/run installs it)"]
fn aioice_full_facing_our_lite() {
    check_full(Peer::Aioice, false, false, &[], true);
}
