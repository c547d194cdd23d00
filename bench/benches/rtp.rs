//! RTP/RTCP: rtp-codec against webrtc-rs `rtp`/`rtcp`, `rtc-rtp`/`rtc-rtcp` and
//! `rtp-types`/`rtcp-types`, in one run.
//!
//! * `rtp_parse`: an RTP packet with a 1200-byte payload, 2 CSRCs and a one-byte header
//!   extension with 3 elements; read seq/ts/ssrc/payload and decode the elements (rtp-types
//!   has no RFC 8285 decoder, so its elements are decoded by a loop here).
//! * `rtcp_parse`: a compound SR (2 report blocks) + SDES (CNAME) + generic NACK + REMB; read
//!   every report block, the CNAME, the lost sequence numbers and the REMB bitrate
//!   (rtcp-types has no REMB type, so its FCI is decoded by a small `FciParser` here).
//! * `rtp_write`: write that RTP packet into a buffer from a packet value built beforehand
//!   (rtp-codec's builder, webrtc-rs's and rtc-rtp's `Packet`; rtp-types builds its builder in
//!   the loop, as it is meant to be used). rtp-codec encodes the elements from their values on
//!   every write; rtp-types takes the extension pre-encoded, the others keep elements decoded.
//!
//! * `rtp_rewrite`: give that packet a new SSRC, sequence number and timestamp, as an SFU
//!   does before forwarding it: rtp-codec rewrites the received buffer in place
//!   (`RtpPacketMut`); rtp-types parses and builds the packet again into an output buffer;
//!   webrtc-rs unmarshals, changes the header and marshals.
//!
//! The scenarios live in `rtp/scenarios.rs`, shared with `examples/rtp_instructions.rs`
//! (instruction counts under callgrind, `bench/rtp-instructions.sh`).
//!
//! `cargo bench -p bench --bench rtp`

//! Times are the benchmark thread's CPU time (`bench::ThreadCpuTime`).
#![allow(missing_docs)] // criterion_group! generates undocumented functions

#[path = "rtp/scenarios.rs"]
mod scenarios;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use scenarios::*;
use std::hint::black_box;

fn rtp_parse(c: &mut Criterion<bench::ThreadCpuTime>) {
    let bytes = rtp_bytes();
    let shared = Bytes::from(bytes.clone());
    let mut g = c.benchmark_group("rtp_parse");
    g.bench_function("rtp-codec", |b| {
        b.iter(|| rtp_parse_codec(black_box(&bytes)));
    });
    g.bench_function("rtp-types", |b| {
        b.iter(|| rtp_parse_types(black_box(&bytes)));
    });
    g.bench_function("webrtc-rs rtp", |b| {
        b.iter(|| rtp_parse_webrtc(black_box(&shared)));
    });
    g.bench_function("rtc-rtp", |b| {
        b.iter(|| rtp_parse_rtc(black_box(&shared)));
    });
    g.finish();
}

fn rtcp_parse(c: &mut Criterion<bench::ThreadCpuTime>) {
    let bytes = rtcp_bytes();
    let shared = Bytes::from(bytes.clone());
    let mut g = c.benchmark_group("rtcp_parse");
    g.bench_function("rtp-codec", |b| {
        b.iter(|| rtcp_parse_codec(black_box(&bytes)));
    });
    g.bench_function("rtcp-types", |b| {
        b.iter(|| rtcp_parse_types(black_box(&bytes)));
    });
    g.bench_function("webrtc-rs rtcp", |b| {
        b.iter(|| rtcp_parse_webrtc(black_box(&shared)));
    });
    g.bench_function("rtc-rtcp", |b| {
        b.iter(|| rtcp_parse_rtc(black_box(&shared)));
    });
    g.finish();
}

fn rtp_write(c: &mut Criterion<bench::ThreadCpuTime>) {
    // Every writer produces the reference bytes (checked in `Writers::new`, before timing).
    let w = Writers::new();
    let mut out = vec![0u8; 1500];
    let mut g = c.benchmark_group("rtp_write");
    g.bench_function("rtp-codec", |b| b.iter(|| w.codec(&mut out)));
    g.bench_function("rtp-types", |b| b.iter(|| w.types(&mut out)));
    g.bench_function("webrtc-rs rtp", |b| b.iter(|| w.webrtc(&mut out)));
    g.bench_function("rtc-rtp", |b| b.iter(|| w.rtc(&mut out)));
    g.finish();
}

fn rtp_rewrite(c: &mut Criterion<bench::ThreadCpuTime>) {
    // Every rewriter produces the same bytes (checked before timing).
    check_rewriters();
    let input = rtp_bytes();
    let shared = Bytes::from(input.clone());
    let mut buf = input.clone();
    let mut out = vec![0u8; 1500];
    let mut g = c.benchmark_group("rtp_rewrite");
    // In place: the same buffer is rewritten on every iteration, as a forwarder rewrites
    // each received packet once.
    g.bench_function("rtp-codec", |b| {
        b.iter(|| rtp_rewrite_codec(black_box(&mut buf)));
    });
    g.bench_function("rtp-types", |b| {
        b.iter(|| rtp_rewrite_types(black_box(&input), &mut out));
    });
    g.bench_function("webrtc-rs rtp", |b| {
        b.iter(|| rtp_rewrite_webrtc(black_box(&shared), &mut out));
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Thread CPU time, so that other load on the machine does not skew the ratios.
    config = bench::criterion();
    targets = rtp_parse, rtcp_parse, rtp_write, rtp_rewrite
}
criterion_main!(benches);
