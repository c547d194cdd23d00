//! SRTP/SRTCP: rtp-codec's `srtp` against webrtc-rs `rtc-srtp` and libsrtp 2 (the system
//! library, through `bench/libsrtp-shim`), in one run, under AES_CM_128_HMAC_SHA1_80 and
//! AEAD_AES_128_GCM:
//!
//! * `protect_rtp` / `unprotect_rtp`: an RTP packet with a 1200-byte payload (1224 bytes with
//!   its header and a one-byte header extension);
//! * `protect_rtcp` / `unprotect_rtcp`: a 100-byte compound RTCP packet (RR with one report
//!   block + SDES CNAME).
//!
//! Before anything is timed, `scenarios::check` shows that the three implementations protect
//! the same packets to the same bytes and unprotect them. Each iteration is one packet with a
//! new index; the chunks and what is and is not measured are described in
//! `srtp/scenarios.rs`, shared with `examples/srtp_instructions.rs` (instruction counts under
//! callgrind, `bench/srtp-instructions.sh`).
//!
//! `cargo bench -p bench --bench srtp` (needs libsrtp 2: `apt-get install libsrtp2-dev`)

//! Times are the benchmark thread's CPU time (`bench::ThreadCpuTime`).
#![allow(missing_docs)] // criterion_group! generates undocumented functions

#[path = "srtp/scenarios.rs"]
mod scenarios;

use criterion::{criterion_group, criterion_main, Criterion};
use scenarios::{Bench, Op, Peer, Suite};
use std::hint::black_box;
use std::time::Duration;

/// `iters` packets, in chunks: only `run_chunk` is on the clock (thread CPU time, as
/// `bench::ThreadCpuTime` measures).
fn measure(b: &mut Bench, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(b.chunk() as u64) as usize;
        b.prepare(n);
        let start = cpu_time::ThreadTime::now();
        black_box(b.run_chunk(n));
        total += start.elapsed();
        left -= n as u64;
    }
    total
}

fn srtp(c: &mut Criterion<bench::ThreadCpuTime>) {
    for suite in Suite::ALL {
        scenarios::check(suite);
    }
    for suite in Suite::ALL {
        for op in Op::ALL {
            let mut g = c.benchmark_group(format!("{}/{}", op.name(), suite.name()));
            for peer in Peer::ALL {
                let mut b = Bench::new(op, suite, peer);
                g.bench_function(peer.name(), |bencher| {
                    bencher.iter_custom(|iters| measure(&mut b, iters));
                });
            }
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    // Thread CPU time, so that other load on the machine does not skew the ratios.
    config = bench::criterion();
    targets = srtp
}
criterion_main!(benches);
