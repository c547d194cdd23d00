//! Relays the JSON-lines signalling of two ICE peer processes and checks the result.
//!
//! ```sh
//! cargo build --release -p ice-agent --example json_peer --example json_relay
//! J=target/release/examples/json_peer
//! target/release/examples/json_relay "$J" "/opt/aioice/bin/python ice-agent/tests/interop/aioice_peer.py --controlled --echo"
//! ```
//!
//! Peer A (the first command) should be controlling and peer B controlled, usually with
//! `--echo`. Once both report `connected`, A is asked to send `hello`; success (exit 0)
//! means B received it, A received the echo, and, when both name their selected pair,
//! it is the same pair seen from each side. Children are stopped when done (30 s at most).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Peer {
    child: Child,
    name: &'static str,
}

impl Peer {
    fn spawn(
        name: &'static str,
        cmd: &str,
        tx: mpsc::Sender<(usize, Value)>,
        index: usize,
    ) -> Result<Self, String> {
        let mut parts = cmd.split_whitespace();
        let program = parts.next().ok_or("empty command")?;
        let mut child = Command::new(program)
            .args(parts)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{program}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if tx.send((index, v)).is_err() {
                        break;
                    }
                }
            }
        });
        Ok(Self { child, name })
    }

    fn send(&mut self, v: &Value) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = writeln!(stdin, "{v}");
            let _ = stdin.flush();
        }
    }

    fn stop(&mut self) {
        self.send(&json!({"type": "close"}));
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: json_relay \"<command of peer A>\" \"<command of peer B>\"");
        std::process::exit(2);
    }
    let (tx, rx) = mpsc::channel();
    let mut peers = Vec::new();
    for (i, (name, cmd)) in [("A", &args[0]), ("B", &args[1])].into_iter().enumerate() {
        match Peer::spawn(name, cmd, tx.clone(), i) {
            Ok(p) => peers.push(p),
            Err(e) => {
                eprintln!("json_relay: {e}");
                std::process::exit(2);
            }
        }
    }
    let mut connected: [Option<(Option<String>, Option<String>)>; 2] = [None, None];
    let mut got: [Vec<Vec<u8>>; 2] = [Vec::new(), Vec::new()];
    let mut error = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut hello_sent = false;
    while error.is_none() {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            error = Some("timeout".to_owned());
            break;
        };
        let Ok((i, msg)) = rx.recv_timeout(left) else {
            error = Some("timeout".to_owned());
            break;
        };
        println!("[{}] {msg}", peers[i].name);
        let other = 1 - i;
        match msg["type"].as_str().unwrap_or("") {
            "local-description" => {
                let lite = msg["ice_lite"].as_bool().unwrap_or(false);
                let v = json!({"type": "remote-description", "ufrag": msg["ufrag"], "pwd": msg["pwd"], "ice_lite": lite});
                peers[other].send(&v);
            }
            "candidate" | "end-of-candidates" => peers[other].send(&msg),
            "connected" => {
                let s = |k: &str| msg[k].as_str().map(str::to_owned);
                connected[i] = Some((s("local"), s("remote")));
            }
            "data" => {
                let hex = msg["hex"].as_str().unwrap_or("");
                let bytes = (0..hex.len() / 2)
                    .filter_map(|k| u8::from_str_radix(hex.get(2 * k..2 * k + 2)?, 16).ok())
                    .collect();
                got[i].push(bytes);
            }
            "error" | "closed" => error = Some(format!("{}: {msg}", peers[i].name)),
            _ => {}
        }
        if !hello_sent && connected.iter().all(Option::is_some) {
            hello_sent = true;
            peers[0].send(&json!({"type": "send", "hex": "68656c6c6f"}));
        }
        if got[1].iter().any(|d| d == b"hello") && got[0].iter().any(|d| d == b"hello") {
            break;
        }
    }
    for p in &mut peers {
        p.stop();
    }
    let mut ok = error.is_none();
    if let (Some((Some(la), Some(ra))), Some((Some(lb), Some(rb)))) = (&connected[0], &connected[1])
    {
        if la != rb || ra != lb {
            println!("selected pairs differ: A {la} -> {ra}, B {lb} -> {rb}");
            ok = false;
        }
    }
    match &error {
        Some(e) => println!("RESULT: FAIL ({e})"),
        None if ok => println!("RESULT: OK"),
        None => println!("RESULT: FAIL"),
    }
    std::process::exit(if ok { 0 } else { 1 });
}
