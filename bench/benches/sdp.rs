//! SDP parse and write speed of `sdp-parse` against peer crates, in one run:
//! `sdp-types`, Mozilla's `webrtc-sdp` and webrtc-rs `sdp`.
//!
//! Run: `cargo bench -p bench --bench sdp`. Each parser gets the same `&str`;
//! webrtc-rs `sdp` needs a reader, so it gets a `Cursor` over the bytes. Writers
//! write an already-parsed description into a reused buffer where the API allows.
//!
//! Instruction counts of the same operations, which do not depend on the load
//! of the machine: `bench/sdp-instructions.sh` (callgrind over
//! `bench/examples/sdp_instructions.rs`).
//! Times are the benchmark thread's CPU time (`bench::ThreadCpuTime`).
#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;
use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const OFFER: &str = include_str!("../../corpus/sdp/chromium-av-offer.sdp");

fn parse(c: &mut Criterion<bench::ThreadCpuTime>) {
    let mut g = c.benchmark_group("sdp-parse/chromium-av-offer");
    g.throughput(Throughput::Bytes(OFFER.len() as u64));
    g.bench_function("sdp-parse", |b| {
        b.iter(|| sdp_parse::SessionDescription::parse(black_box(OFFER)).unwrap());
    });
    g.bench_function("sdp-parse-lenient", |b| {
        b.iter(|| sdp_parse::SessionDescription::parse_lenient(black_box(OFFER)).unwrap());
    });
    g.bench_function("sdp-types", |b| {
        b.iter(|| sdp_types::Session::parse(black_box(OFFER.as_bytes())).unwrap());
    });
    g.bench_function("webrtc-sdp", |b| {
        b.iter(|| webrtc_sdp::parse_sdp(black_box(OFFER), false).unwrap());
    });
    g.bench_function("webrtc-rs-sdp", |b| {
        b.iter(|| {
            let mut r = Cursor::new(black_box(OFFER.as_bytes()));
            sdp::SessionDescription::unmarshal(&mut r).unwrap()
        });
    });
    g.finish();
}

fn write(c: &mut Criterion<bench::ThreadCpuTime>) {
    let ours = sdp_parse::SessionDescription::parse(OFFER).unwrap();
    let st = sdp_types::Session::parse(OFFER.as_bytes()).unwrap();
    let ws = webrtc_sdp::parse_sdp(OFFER, false).unwrap();
    let rs = sdp::SessionDescription::unmarshal(&mut Cursor::new(OFFER.as_bytes())).unwrap();
    let mut g = c.benchmark_group("sdp-write/chromium-av-offer");
    g.throughput(Throughput::Bytes(OFFER.len() as u64));
    g.bench_function("sdp-parse", |b| {
        let mut out = Vec::with_capacity(8192);
        b.iter(|| {
            out.clear();
            black_box(&ours).write_to(&mut out);
            black_box(out.len())
        });
    });
    g.bench_function("sdp-types", |b| {
        let mut out = Vec::with_capacity(8192);
        b.iter(|| {
            out.clear();
            black_box(&st).write(&mut out).unwrap();
            black_box(out.len())
        });
    });
    g.bench_function("webrtc-sdp", |b| b.iter(|| black_box(&ws).to_string()));
    g.bench_function("webrtc-rs-sdp", |b| b.iter(|| black_box(&rs).marshal()));
    g.finish();
}

criterion_group! {
    name = benches;
    // Thread CPU time, so that other load on the machine does not skew the ratios.
    config = bench::criterion();
    targets = parse, write
}
criterion_main!(benches);
