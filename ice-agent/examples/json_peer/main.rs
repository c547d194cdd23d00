//! One ICE agent on a real UDP socket, signalled with JSON lines on stdin/stdout.
//!
//! ```sh
//! cargo run --release -p ice-agent --example json_peer -- [--controlled] [--ipv6] [--bind ADDR] [--echo] [--lite] [--timeout S]
//! ```
//!
//! Prints `local-description`, `candidate` and `end-of-candidates` lines, reads the
//! peer's, reports `connected` with the selected pair, and `data` for every application
//! datagram (echoing it back with `--echo`). `--lite` runs an ice-lite agent (always
//! controlled). The protocol is described in
//! `ice-agent/tests/interop/README.md`.

use std::io::{BufRead, Write};
use std::sync::mpsc;

mod driver;

fn main() {
    let opts = match driver::Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("json_peer: {e}");
            eprintln!(
                "usage: json_peer [--controlled] [--ipv6] [--bind ADDR] [--echo] [--lite] [--timeout S]"
            );
            std::process::exit(2);
        }
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stdout = std::io::stdout();
    let rc = driver::run(&opts, &rx, &mut |v| {
        let mut out = stdout.lock();
        let _ = writeln!(out, "{v}");
        let _ = out.flush();
    });
    std::process::exit(rc);
}
