//! Parses or writes `corpus/sdp/chromium-av-offer.sdp` N times with one SDP
//! crate, for counting instructions under `valgrind --tool=callgrind`
//! (see `bench/sdp-instructions.sh`, which subtracts a run with N = 0 so the
//! process start-up and the one-off setup cancel out).
//!
//! Usage: `sdp_instructions <parse|write> <sdp-parse|sdp-parse-lenient|sdp-types|webrtc-sdp|webrtc-rs-sdp> <N>`
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Cursor;
use std::process::ExitCode;

const OFFER: &str = include_str!("../../corpus/sdp/chromium-av-offer.sdp");

fn parse(which: &str, n: u64) -> bool {
    match which {
        "sdp-parse" => (0..n).for_each(|_| {
            black_box(sdp_parse::SessionDescription::parse(black_box(OFFER)).unwrap());
        }),
        "sdp-parse-lenient" => (0..n).for_each(|_| {
            black_box(sdp_parse::SessionDescription::parse_lenient(black_box(OFFER)).unwrap());
        }),
        "sdp-types" => (0..n).for_each(|_| {
            black_box(sdp_types::Session::parse(black_box(OFFER.as_bytes())).unwrap());
        }),
        "webrtc-sdp" => (0..n).for_each(|_| {
            black_box(webrtc_sdp::parse_sdp(black_box(OFFER), false).unwrap());
        }),
        "webrtc-rs-sdp" => (0..n).for_each(|_| {
            let mut r = Cursor::new(black_box(OFFER.as_bytes()));
            black_box(sdp::SessionDescription::unmarshal(&mut r).unwrap());
        }),
        _ => return false,
    }
    true
}

fn write(which: &str, n: u64) -> bool {
    let mut out = Vec::with_capacity(8192);
    match which {
        "sdp-parse" => {
            let d = sdp_parse::SessionDescription::parse(OFFER).unwrap();
            (0..n).for_each(|_| {
                out.clear();
                black_box(&d).write_to(&mut out);
                black_box(out.len());
            });
        }
        "sdp-types" => {
            let d = sdp_types::Session::parse(OFFER.as_bytes()).unwrap();
            (0..n).for_each(|_| {
                out.clear();
                black_box(&d).write(&mut out).unwrap();
                black_box(out.len());
            });
        }
        "webrtc-sdp" => {
            let d = webrtc_sdp::parse_sdp(OFFER, false).unwrap();
            (0..n).for_each(|_| {
                black_box(black_box(&d).to_string());
            });
        }
        "webrtc-rs-sdp" => {
            let d = sdp::SessionDescription::unmarshal(&mut Cursor::new(OFFER.as_bytes())).unwrap();
            (0..n).for_each(|_| {
                black_box(black_box(&d).marshal());
            });
        }
        _ => return false,
    }
    true
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, which, n] = args.as_slice() else {
        eprintln!("usage: sdp_instructions <parse|write> <crate> <N>");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<u64>() else {
        eprintln!("N must be a number");
        return ExitCode::from(2);
    };
    let ok = match op.as_str() {
        "parse" => parse(which, n),
        "write" => write(which, n),
        _ => false,
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("unknown operation or crate: {op} {which}");
        ExitCode::from(2)
    }
}
