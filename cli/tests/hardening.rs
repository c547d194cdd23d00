//! Hostile inputs for both binaries: empty and binary files, captures whose headers claim
//! huge lengths, truncated corpus captures, a 10 MB SDP and non-UTF-8 SDP. Each case
//! asserts the documented exit status (0 read, 1 damaged input, 2 unreadable input) and
//! the message that names the problem.

use std::path::PathBuf;
use std::process::{Command, Output};

const SDP_INSPECT: &str = env!("CARGO_BIN_EXE_sdp-inspect");
const RTC_INSPECT: &str = env!("CARGO_BIN_EXE_rtc-inspect");

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus")).join(rel)
}

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file in the temp dir, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let p = std::env::temp_dir().join(format!("hardening-{}-{name}", std::process::id()));
        std::fs::write(&p, bytes).unwrap();
        Self(p)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A little-endian microsecond pcap header.
fn pcap_header(snaplen: u32, link: u32) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    f.extend_from_slice(&2u16.to_le_bytes());
    f.extend_from_slice(&4u16.to_le_bytes());
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&snaplen.to_le_bytes());
    f.extend_from_slice(&link.to_le_bytes());
    f
}

fn pcap_record(f: &mut Vec<u8>, incl_len: u32, orig_len: u32, data: &[u8]) {
    f.extend_from_slice(&1u32.to_le_bytes());
    f.extend_from_slice(&0u32.to_le_bytes());
    f.extend_from_slice(&incl_len.to_le_bytes());
    f.extend_from_slice(&orig_len.to_le_bytes());
    f.extend_from_slice(data);
}

/// A raw-IPv4 UDP datagram 10.0.0.1:5000 -> 10.0.0.2:6000 (checksums zero).
fn udp_v4(payload: &[u8]) -> Vec<u8> {
    let total = u16::try_from(20 + 8 + payload.len()).unwrap();
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    p.extend_from_slice(&5000u16.to_be_bytes());
    p.extend_from_slice(&6000u16.to_be_bytes());
    p.extend_from_slice(&(total - 20).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    p
}

const RAW_IP: u32 = 101;

#[test]
fn empty_and_binary_files_are_unreadable_captures() {
    let empty = Temp::new("empty.pcap", b"");
    let o = run(RTC_INSPECT, &["packets", empty.path()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("the file has 0 bytes, too short for a capture"),
        "{}",
        text(&o.stderr)
    );
    assert!(o.stdout.is_empty());

    let garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let g = Temp::new("garbage.bin", &garbage);
    for sub in ["packets", "streams", "rtcp", "ice"] {
        let o = run(RTC_INSPECT, &[sub, g.path()]);
        assert_eq!(o.status.code(), Some(2), "{sub}");
        let err = text(&o.stderr);
        assert!(
            err.contains("not a pcap or pcapng file (magic "),
            "{sub}: {err}"
        );
        assert!(!err.contains("panicked"), "{sub}: {err}");
    }
}

#[test]
fn a_header_only_capture_is_read_and_empty() {
    let f = Temp::new("header-only.pcap", &pcap_header(65535, RAW_IP));
    let o = run(RTC_INSPECT, &["packets", f.path()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    let o = run(RTC_INSPECT, &["streams", f.path(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout).trim(), "[]");
}

/// A record header that claims 4 GB is a damaged record (exit 1), not an allocation of
/// the claimed size; the record before it is still reported.
#[test]
fn a_record_claiming_gigabytes_ends_the_file_cleanly() {
    let stun = b"\x00\x01\x00\x00\x21\x12\xa4\x42abcdefghijkl";
    let dgram = udp_v4(stun);
    let len = u32::try_from(dgram.len()).unwrap();
    let mut f = pcap_header(u32::MAX, RAW_IP);
    pcap_record(&mut f, len, len, &dgram);
    pcap_record(&mut f, 0xffff_fff0, 0xffff_fff0, &[0; 64]);
    let t = Temp::new("huge-record.pcap", &f);
    let o = run(RTC_INSPECT, &["packets", t.path(), "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("frame 2: "),
        "the damaged record is named: {}",
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["frame"], 1);
    assert_eq!(lines[0]["kind"], "stun");
    assert_eq!(lines[0]["method"], "Binding");

    // pcapng: a block whose length field claims 4 GB after a valid section header.
    let mut ng = Vec::new();
    ng.extend_from_slice(&0x0A0D_0D0Au32.to_le_bytes());
    ng.extend_from_slice(&28u32.to_le_bytes());
    ng.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
    ng.extend_from_slice(&1u16.to_le_bytes());
    ng.extend_from_slice(&0u16.to_le_bytes());
    ng.extend_from_slice(&(-1i64).to_le_bytes());
    ng.extend_from_slice(&28u32.to_le_bytes());
    ng.extend_from_slice(&6u32.to_le_bytes());
    ng.extend_from_slice(&0xffff_fff0u32.to_le_bytes());
    ng.extend_from_slice(&[0; 100]);
    let t = Temp::new("huge-block.pcapng", &ng);
    let o = run(RTC_INSPECT, &["packets", t.path()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("frame 1: "), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
}

/// A snapshot length of 2^32 - 1 in the file header is legal; records under it are read.
#[test]
fn a_huge_snaplen_claim_alone_is_fine() {
    let dgram = udp_v4(&[0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0xaa]);
    let len = u32::try_from(dgram.len()).unwrap();
    let mut f = pcap_header(u32::MAX, RAW_IP);
    pcap_record(&mut f, len, len, &dgram);
    let t = Temp::new("huge-snaplen.pcap", &f);
    let o = run(RTC_INSPECT, &["packets", t.path(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(text(&o.stdout).trim()).unwrap();
    assert_eq!(v["kind"], "rtp");
    assert_eq!(v["ssrc"], 7);
    assert_eq!(v["seq"], 1);
}

/// Every truncation of a corpus capture reports exactly the packets before the cut, in the
/// same words as the whole file does.
#[test]
fn truncated_corpus_captures_report_a_prefix_of_the_whole() {
    for name in ["pcap/chromium-call.pcapng", "pcap/ffmpeg-vp8-opus.pcap"] {
        let bytes = std::fs::read(corpus(name)).unwrap();
        let whole = run(RTC_INSPECT, &["packets", corpus(name).to_str().unwrap()]);
        assert_eq!(whole.status.code(), Some(0));
        let whole = text(&whole.stdout);
        for cut in [bytes.len() / 3, bytes.len() - 1] {
            let t = Temp::new("cut", &bytes[..cut]);
            let o = run(RTC_INSPECT, &["packets", t.path()]);
            assert_eq!(o.status.code(), Some(1), "{name} cut at {cut}");
            let err = text(&o.stderr);
            assert!(
                err.contains("the file is cut short in the middle of a record; the rest of the file is not read"),
                "{name} cut at {cut}: {err}"
            );
            let part = text(&o.stdout);
            assert!(!part.is_empty(), "{name} cut at {cut}");
            assert!(
                whole.starts_with(&part),
                "{name} cut at {cut}: output is not a prefix"
            );
        }
    }
}

/// The library's reader-based entry point sees the same records as the file-based one.
#[test]
fn reading_from_memory_matches_reading_the_file() {
    let path = corpus("pcap/coturn-turn-udp-channel.pcapng");
    let collect = |from_file: bool| {
        let mut seen = Vec::new();
        let mut on_record = |r: &webrtc_inspect::rtc::records::Record<'_>| {
            seen.push((r.frame, r.src, r.dst, r.payload.to_vec()));
        };
        let totals = if from_file {
            webrtc_inspect::rtc::records::for_each(&path, &mut on_record, &mut |_| {})
        } else {
            let bytes = std::fs::read(&path).unwrap();
            webrtc_inspect::rtc::records::for_each_in(&bytes[..], &mut on_record, &mut |_| {})
        }
        .unwrap();
        (totals, seen)
    };
    let (file_totals, file_records) = collect(true);
    let (mem_totals, mem_records) = collect(false);
    assert!(file_records.len() > 10, "{}", file_records.len());
    assert_eq!(file_totals, mem_totals);
    assert_eq!(file_records, mem_records);
}

#[test]
fn sdp_empty_and_binary_inputs_exit_1_with_a_location() {
    let empty = Temp::new("empty.sdp", b"");
    for args in [vec![empty.path()], vec!["--check", empty.path()]] {
        let o = run(SDP_INSPECT, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            text(&o.stdout).contains(":1:1: error: empty session description"),
            "{}",
            text(&o.stdout)
        );
    }
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let g = Temp::new("garbage.sdp", &garbage);
    let o = run(SDP_INSPECT, &["--check", g.path()]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains(": error: "), "{out}");
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

#[test]
fn sdp_non_utf8_in_an_attribute_is_located() {
    let t = Temp::new(
        "latin1.sdp",
        b"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=tool:\xc3\x28x\r\n",
    );
    // Checked: an error at the bad byte.
    let o = run(SDP_INSPECT, &["--check", t.path()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains(":5:8: error: invalid UTF-8 and no a=charset:ISO-8859-1"),
        "{}",
        text(&o.stdout)
    );
    // Summarised and printed all the same (RFC 8866 §6.10 allows other charsets), with
    // U+FFFD in place of the bad sequence and the diagnostic said.
    let o = run(SDP_INSPECT, &[t.path()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).contains(":5:8: error: invalid UTF-8"),
        "{}",
        text(&o.stdout)
    );
    let o = run(SDP_INSPECT, &["--print", t.path()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).ends_with("a=tool:\u{fffd}(x\r\n"),
        "{}",
        text(&o.stdout)
    );
    assert!(
        text(&o.stderr).contains(":5:8: warning: invalid UTF-8"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn sdp_declared_latin1_is_read_as_latin1() {
    let t = Temp::new(
        "declared-latin1.sdp",
        b"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Sesi\xf3n\r\nt=0 0\r\na=charset:ISO-8859-1\r\n",
    );
    let o = run(SDP_INSPECT, &["--check", t.path()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    let o = run(SDP_INSPECT, &[t.path()]);
    assert!(
        text(&o.stdout).contains("name        Sesión"),
        "{}",
        text(&o.stdout)
    );
}

/// A 10 MB description (a real offer plus 130,000 repeated candidate lines) is read,
/// checked, and written back byte for byte.
#[test]
fn sdp_of_ten_megabytes_is_checked_and_written_back() {
    let mut sdp = std::fs::read(corpus("sdp/chromium-av-offer.sdp")).unwrap();
    let line = b"a=candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host generation 0\r\n";
    while sdp.len() < 10_000_000 {
        sdp.extend_from_slice(line);
    }
    let t = Temp::new("big.sdp", &sdp);
    let o = run(SDP_INSPECT, &["--check", t.path()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(o.stdout.is_empty());
    let o = run(SDP_INSPECT, &["--print", t.path()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout == sdp, "written back unchanged");
    let o = run(SDP_INSPECT, &[t.path()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("2 media sections"));
}

/// Interval start times stay exact past 2^32 intervals (a microsecond interval over a
/// capture longer than 72 minutes).
#[test]
fn interval_starts_are_exact_past_four_billion_intervals() {
    let mut f = pcap_header(65535, RAW_IP);
    for (seq, secs) in [(1u16, 100u32), (2, 100 + 5000)] {
        let mut rtp = vec![0x80, 0];
        rtp.extend_from_slice(&seq.to_be_bytes());
        rtp.extend_from_slice(&(u32::from(seq) * 160).to_be_bytes());
        rtp.extend_from_slice(&7u32.to_be_bytes());
        rtp.extend_from_slice(&[0xaa; 20]);
        let dgram = udp_v4(&rtp);
        let len = u32::try_from(dgram.len()).unwrap();
        f.extend_from_slice(&secs.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        f.extend_from_slice(&dgram);
    }
    let t = Temp::new("long.pcap", &f);
    let o = run(
        RTC_INSPECT,
        &["streams", t.path(), "--interval", "1us", "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    let starts: Vec<f64> = v[0]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["start"].as_f64().unwrap())
        .collect();
    assert_eq!(starts, [0.0, 5000.0]);
}

/// Capture times that go backwards within a stream (merged captures) do not stop the
/// statistics: the stream's duration is taken as zero.
#[test]
fn a_stream_whose_capture_times_go_backwards() {
    let mut f = pcap_header(65535, RAW_IP);
    // Stream 9 starts the capture; stream 7's second packet predates its first.
    for (ssrc, seq, secs) in [(9u32, 1u16, 50u32), (7, 1, 200), (7, 2, 100)] {
        let mut rtp = vec![0x80, 0];
        rtp.extend_from_slice(&seq.to_be_bytes());
        rtp.extend_from_slice(&(u32::from(seq) * 160).to_be_bytes());
        rtp.extend_from_slice(&ssrc.to_be_bytes());
        rtp.extend_from_slice(&[0xaa; 20]);
        let dgram = udp_v4(&rtp);
        let len = u32::try_from(dgram.len()).unwrap();
        f.extend_from_slice(&secs.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        f.extend_from_slice(&dgram);
    }
    let t = Temp::new("backwards.pcap", &f);
    let o = run(RTC_INSPECT, &["streams", t.path(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    // Stream 9's one packet never passes RFC 3550 probation: no stream, and a word why.
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert!(
        text(&o.stderr).contains("1 SSRC(s) not reported"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(v[0]["ssrc"], 7);
    assert_eq!(v[0]["packets"], 2);
    assert_eq!(v[0]["bitrate"], 0.0);
}
