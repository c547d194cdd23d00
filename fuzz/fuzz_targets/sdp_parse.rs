//! SDP parsing in strict and lenient mode: no panic, no hang, and every
//! diagnostic points inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdp_parse::{check, Mode, SessionDescription};

fuzz_target!(|data: &[u8]| {
    for mode in [Mode::Strict, Mode::Lenient] {
        match SessionDescription::parse_bytes(data, mode) {
            Ok(p) => {
                for w in &p.warnings {
                    assert!(w.span.end <= data.len() && w.line >= 1 && w.column >= 1);
                }
                // The checks must not panic either, on any parsed description.
                let _ = check::check(&p.description, check::Role::detect(&p.description));
            }
            Err(e) => assert!(e.span.end <= data.len() && e.line >= 1 && e.column >= 1),
        }
    }
});
