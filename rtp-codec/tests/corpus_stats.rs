//! Receive statistics over every RTP capture of the corpus, held to tshark's
//! `rtp,streams` numbers (packets, lost, max delta, max and mean jitter) within its printed
//! precision.

mod common;

use common::{corpus, read_capture, read_streams, rtp_ports, StreamRow};
use rtp_codec::demux::{classify, PacketKind};
use rtp_codec::payload_type;
use rtp_codec::stats::{StreamConfig, StreamReport, StreamStats};
use rtp_codec::RtpPacket;
use std::collections::BTreeMap;
use std::path::Path;

type Key = (u16, u16, u32);

/// Runs the stats over a capture: one tracker per (ports, SSRC), as tshark keys streams.
fn run(capture: &Path, ports: &[u16]) -> BTreeMap<Key, StreamReport> {
    let frames = read_capture(capture);
    let t0 = frames.first().expect("empty capture").time;
    let mut streams: BTreeMap<Key, StreamStats> = BTreeMap::new();
    for f in &frames {
        let Some((_, sp, _, dp, payload)) = &f.udp else {
            continue;
        };
        if !ports.contains(sp) && !ports.contains(dp) {
            continue;
        }
        if classify(payload) != PacketKind::Rtp {
            continue;
        }
        let p = RtpPacket::parse(payload).expect("rtp in capture");
        let s = streams.entry((*sp, *dp, p.ssrc())).or_insert_with(|| {
            // tshark knows clock rates of static payload types only (no SDP): do the same.
            StreamStats::new(StreamConfig {
                clock_rate: payload_type::clock_rate(p.payload_type()),
                ..StreamConfig::default()
            })
        });
        s.update_packet(f.time - t0, &p);
    }
    streams.into_iter().map(|(k, s)| (k, s.report())).collect()
}

/// Runs the stats over a capture and returns the trackers' reports keyed like [`run`].
fn run_ssrc(capture: &Path, ports: &[u16], ssrc: u32) -> StreamReport {
    *run(capture, ports)
        .iter()
        .find(|(k, _)| k.2 == ssrc)
        .expect("stream in capture")
        .1
}

/// Within the printed precision (3 decimals) of tshark's value.
fn close(ours: f64, printed: f64) -> bool {
    (ours - printed).abs() <= 0.0005 + 1e-9
}

fn check(name: &str, capture: &Path, oracle: &Path, ports: &[u16]) -> usize {
    let ours = run(capture, ports);
    let rows = read_streams(oracle);
    assert!(!rows.is_empty(), "{name}: no rows in oracle");
    assert_eq!(ours.len(), rows.len(), "{name}: stream count");
    for row in &rows {
        let StreamRow {
            src_port,
            dst_port,
            ssrc,
            ..
        } = *row;
        let r = ours
            .get(&(src_port, dst_port, ssrc))
            .unwrap_or_else(|| panic!("{name}: no stream {ssrc:#x}"));
        let ctx = format!("{name} ssrc {ssrc:#010x}: ours {r:?} tshark {row:?}");
        assert_eq!(r.packets, row.packets, "packets: {ctx}");
        assert_eq!(r.lost, row.lost, "lost: {ctx}");
        assert!(close(r.max_delta_ms, row.max_delta), "max delta: {ctx}");
        assert!(
            close(r.min_delta_ms.unwrap_or(-1.0), row.min_delta),
            "min delta: {ctx}"
        );
        assert!(close(r.mean_delta_ms, row.mean_delta), "mean delta: {ctx}");
        assert!(close(r.max_jitter_ms, row.max_jitter), "max jitter: {ctx}");
        assert!(
            close(r.mean_jitter_ms, row.mean_jitter),
            "mean jitter: {ctx}"
        );
    }
    rows.len()
}

#[test]
fn stats_agree_with_tshark_on_every_corpus_capture() {
    let dir = corpus();
    let args = dir.join("oracle/tshark-args.txt");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("pcap")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let oracle = dir.join(format!("oracle/{stem}.rtp-streams.txt"));
        if !oracle.exists() || !(file.ends_with(".pcap") || file.ends_with(".pcapng")) {
            continue;
        }
        checked += check(&stem, &path, &oracle, &rtp_ports(&args, &file));
    }
    // Three RTP captures with seven streams between them.
    assert_eq!(checked, 7);
}

#[test]
fn stats_agree_with_tshark_on_impaired_captures() {
    let dir = corpus().join("impaired");
    let capture = dir.join("impaired-rtp.pcap");
    let ports = rtp_ports(&dir.join("tshark-args.txt"), "impaired-rtp.pcap");
    assert_eq!(ports, [5020, 5022, 5024]);
    assert_eq!(
        check(
            "impaired-rtp",
            &capture,
            &dir.join("impaired-rtp.rtp-streams.txt"),
            &ports
        ),
        3
    );
}

/// The generator's record of what it did to each stream: dropped, duplicated and held-back
/// packets must come out as lost, duplicates and reordered.
#[test]
fn impaired_streams_match_the_generators_ground_truth() {
    let dir = corpus().join("impaired");
    let capture = dir.join("impaired-rtp.pcap");
    let ports = rtp_ports(&dir.join("tshark-args.txt"), "impaired-rtp.pcap");
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("impaired-rtp.truth.json")).unwrap(),
    )
    .unwrap();
    let truth = truth.as_array().unwrap();
    assert_eq!(truth.len(), 3);
    for t in truth {
        let ssrc = t["ssrc"].as_u64().unwrap() as u32;
        let len = |k: &str| t[k].as_array().unwrap().len() as u64;
        let r = run_ssrc(&capture, &ports, ssrc);
        let sent = t["sent"].as_u64().unwrap();
        assert_eq!(r.packets, sent - len("dropped") + len("duplicated"), "{t}");
        assert_eq!(
            r.expected,
            sent - 1,
            "{t}: probation leaves out the first packet"
        );
        assert_eq!(
            r.lost,
            len("dropped") as i64 - len("duplicated") as i64,
            "{t}"
        );
        assert_eq!(r.duplicates, len("duplicated"), "{t}");
        assert_eq!(r.reordered, len("late"), "{t}");
    }
}
