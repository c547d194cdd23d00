//! Runs one scenario of `benches/srtp.rs` for N packets with one implementation, for counting
//! instructions under `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*run_chunk*'` (see `bench/srtp-instructions.sh`): only
//! `Bench::run_chunk`, the part the benchmark times, is counted, not the set-up, the
//! preparation of each chunk or the fresh receiving contexts.
//!
//! Usage: `srtp_instructions <protect_rtp|unprotect_rtp|protect_rtcp|unprotect_rtcp>
//! <aes_cm_128_hmac_sha1_80|aead_aes_128_gcm> <rtp-codec|rtc-srtp|libsrtp> <N>`
#![allow(missing_docs)]

#[path = "../benches/srtp/scenarios.rs"]
mod scenarios;

use scenarios::{Bench, Op, Peer, Suite};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        eprintln!("usage: srtp_instructions <op> <suite> <rtp-codec|rtc-srtp|libsrtp> <N>");
        ExitCode::from(2)
    };
    let [op, suite, peer, n] = args.as_slice() else {
        return usage();
    };
    let (Some(op), Some(suite), Some(peer), Ok(n)) = (
        Op::from_name(op),
        Suite::from_name(suite),
        Peer::from_name(peer),
        n.parse::<usize>(),
    ) else {
        return usage();
    };
    scenarios::check(suite);
    let mut b = Bench::new(op, suite, peer);
    let mut left = n;
    let mut acc = 0;
    while left > 0 {
        let count = left.min(b.chunk());
        b.prepare(count);
        acc ^= b.run_chunk(count);
        left -= count;
    }
    black_box(acc);
    ExitCode::SUCCESS
}
