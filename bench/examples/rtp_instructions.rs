//! Runs one scenario of `benches/rtp.rs` N times with one RTP/RTCP crate, for counting
//! instructions under `valgrind --tool=callgrind` (see `bench/rtp-instructions.sh`, which
//! subtracts a run with N = 0 so the process start-up and the one-off setup cancel out).
//!
//! Usage: `rtp_instructions <rtp_parse|rtcp_parse|rtp_write|rtp_rewrite> <rtp-codec|peer> <N>` where the
//! peer is `rtp-types` (`rtcp-types` for `rtcp_parse`), `webrtc-rs` or `rtc`.
#![allow(missing_docs)]

#[path = "../benches/rtp/scenarios.rs"]
mod scenarios;

use bytes::Bytes;
use scenarios::*;
use std::hint::black_box;
use std::process::ExitCode;

fn run(op: &str, which: &str, n: u64) -> bool {
    let rtp = rtp_bytes();
    let rtcp = rtcp_bytes();
    let (rtp_shared, rtcp_shared) = (Bytes::from(rtp.clone()), Bytes::from(rtcp.clone()));
    let w = Writers::new();
    let mut out = vec![0u8; 1500];
    let mut acc = 0u64;
    match (op, which) {
        ("rtp_parse", "rtp-codec") => {
            for _ in 0..n {
                acc ^= u64::from(rtp_parse_codec(black_box(&rtp)));
            }
        }
        ("rtp_parse", "rtp-types") => {
            for _ in 0..n {
                acc ^= u64::from(rtp_parse_types(black_box(&rtp)));
            }
        }
        ("rtp_parse", "webrtc-rs") => {
            for _ in 0..n {
                acc ^= u64::from(rtp_parse_webrtc(black_box(&rtp_shared)));
            }
        }
        ("rtp_parse", "rtc") => {
            for _ in 0..n {
                acc ^= u64::from(rtp_parse_rtc(black_box(&rtp_shared)));
            }
        }
        ("rtcp_parse", "rtp-codec") => {
            for _ in 0..n {
                acc ^= rtcp_parse_codec(black_box(&rtcp));
            }
        }
        ("rtcp_parse", "rtcp-types") => {
            for _ in 0..n {
                acc ^= rtcp_parse_types(black_box(&rtcp));
            }
        }
        ("rtcp_parse", "webrtc-rs") => {
            for _ in 0..n {
                acc ^= rtcp_parse_webrtc(black_box(&rtcp_shared));
            }
        }
        ("rtcp_parse", "rtc") => {
            for _ in 0..n {
                acc ^= rtcp_parse_rtc(black_box(&rtcp_shared));
            }
        }
        ("rtp_rewrite", "rtp-codec") => {
            let mut buf = rtp;
            for _ in 0..n {
                acc ^= rtp_rewrite_codec(black_box(&mut buf)) as u64;
            }
        }
        ("rtp_rewrite", "rtp-types") => {
            for _ in 0..n {
                acc ^= rtp_rewrite_types(black_box(&rtp), &mut out) as u64;
            }
        }
        ("rtp_rewrite", "webrtc-rs") => {
            for _ in 0..n {
                acc ^= rtp_rewrite_webrtc(black_box(&rtp_shared), &mut out) as u64;
            }
        }
        ("rtp_write", "rtp-codec") => {
            for _ in 0..n {
                acc ^= w.codec(black_box(&mut out)) as u64;
            }
        }
        ("rtp_write", "rtp-types") => {
            for _ in 0..n {
                acc ^= w.types(black_box(&mut out)) as u64;
            }
        }
        ("rtp_write", "webrtc-rs") => {
            for _ in 0..n {
                acc ^= w.webrtc(black_box(&mut out)) as u64;
            }
        }
        ("rtp_write", "rtc") => {
            for _ in 0..n {
                acc ^= w.rtc(black_box(&mut out)) as u64;
            }
        }
        _ => return false,
    }
    black_box(acc);
    true
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, which, n] = args.as_slice() else {
        eprintln!(
            "usage: rtp_instructions <rtp_parse|rtcp_parse|rtp_write|rtp_rewrite> <crate> <N>"
        );
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<u64>() else {
        eprintln!("N must be a number");
        return ExitCode::from(2);
    };
    if run(op, which, n) {
        ExitCode::SUCCESS
    } else {
        eprintln!("unknown scenario {op} {which}");
        ExitCode::from(2)
    }
}
