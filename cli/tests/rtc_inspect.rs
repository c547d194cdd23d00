//! `rtc-inspect` end to end: the built binary on the corpus (snapshots of text and JSON
//! output), on single packets in hex, and on damaged captures, asserting output content and
//! exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rtc-inspect");

fn corpus(rel: &str) -> String {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus")).join(rel);
    p.to_str().unwrap().to_owned()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("rtc-inspect runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 output")
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

fn hex_file(name: &str) -> String {
    std::fs::read_to_string(corpus(&format!("stun/{name}")))
        .unwrap()
        .trim()
        .to_owned()
}

/// A capture file in the temp dir, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let p = std::env::temp_dir().join(format!("rtc-inspect-{}-{name}", std::process::id()));
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

/// A little-endian microsecond pcap with link type `link` and these frames.
fn pcap(link: u32, snaplen: u32, frames: &[(Vec<u8>, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&snaplen.to_le_bytes());
    out.extend_from_slice(&link.to_le_bytes());
    for (i, (data, orig)) in frames.iter().enumerate() {
        out.extend_from_slice(&(1_700_000_000u32).to_le_bytes());
        out.extend_from_slice(&(i as u32 * 20_000).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&orig.to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// An RTP packet (PT 0, 160 bytes of payload).
fn rtp(seq: u16, ts: u32, ssrc: u32) -> Vec<u8> {
    let mut p = vec![0x80, 0];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&ts.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&[0xd5; 160]);
    p
}

/// A raw-IPv4 UDP frame.
fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(sport, dport)
        .write(&mut out, payload)
        .unwrap();
    out
}

/// A raw-IPv4 TCP frame.
fn tcp(seq: u32, syn: bool, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let b = etherparse::PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(4000, 443, seq, 65535);
    let b = if syn { b.syn() } else { b.ack(1) };
    b.write(&mut out, payload).unwrap();
    out
}

const LINKTYPE_RAW: u32 = 101;

#[test]
fn help_shows_an_example_for_every_subcommand() {
    let top = ok(&["--help"]);
    for sub in ["decode", "packets", "streams", "rtcp", "ice"] {
        assert!(
            top.contains(&format!("rtc-inspect {sub} ")),
            "top-level example for {sub}:\n{top}"
        );
        let help = ok(&[sub, "--help"]);
        assert!(
            help.contains(&format!("  rtc-inspect {sub} ")),
            "{sub} --help example:\n{help}"
        );
    }
}

#[test]
fn decode_rfc5769_request_verifies_with_its_password_only() {
    let hex = hex_file("SAMPLE_REQUEST.hex");
    let v = json(&[
        "decode",
        &hex,
        "--password",
        "VOkJxbRl1RmTxUk/WvJxBt",
        "--json",
    ]);
    insta::assert_json_snapshot!("decode_sample_request", v);
    assert_eq!(v["integrity"], "ok");
    assert_eq!(v["fingerprint"], "ok");
    let wrong = json(&[
        "decode",
        &hex,
        "--password",
        "VOkJxbRl1RmTxUk/WvJxBT",
        "--json",
    ]);
    assert_eq!(wrong["integrity"], "failed");
    let none = json(&["decode", &hex, "--json"]);
    assert_eq!(none["integrity"], "unverified");
    // One flipped bit in the transaction id breaks both checks.
    let mut bytes = hex::decode(&hex).unwrap();
    bytes[10] ^= 0x01;
    let flipped = json(&[
        "decode",
        &hex::encode(&bytes),
        "--password",
        "VOkJxbRl1RmTxUk/WvJxBt",
        "--json",
    ]);
    assert_eq!(flipped["integrity"], "failed");
    assert_eq!(flipped["fingerprint"], "failed");
}

#[test]
fn decode_long_term_uses_the_messages_username_and_realm_and_prepares_the_password() {
    let hex = hex_file("SAMPLE_REQUEST_LONG_TERM_AUTH.hex");
    // RFC 5769 §2.4 gives the password before SASLprep: it must be prepared.
    let v = json(&[
        "decode",
        &hex,
        "--password",
        "The\u{00AD}M\u{00AA}tr\u{2168}",
        "--json",
    ]);
    assert_eq!(v["integrity"], "ok", "{v}");
    assert_eq!(v["integrity_key"], "long-term");
    assert_eq!(v["fingerprint"], "absent");
    let names: Vec<&str> = v["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["USERNAME", "NONCE", "REALM", "MESSAGE-INTEGRITY"]);
    assert_eq!(
        json(&["decode", &hex, "--password", "TheMatrIX", "--json"])["integrity"],
        "ok"
    );
    assert_eq!(
        json(&["decode", &hex, "--password", "TheMatrix", "--json"])["integrity"],
        "failed"
    );
}

#[test]
fn decode_rtp_rtcp_channel_data_and_bad_hex() {
    // RTP with a one-byte-form extension holding two elements (ids 1 and 3).
    let rtp_hex = "906f1e8c0000f0000000abcd bede0002 10ff 3212 3400 0000 deadbeef";
    let v = json(&["decode", rtp_hex, "--json"]);
    assert_eq!(v["kind"], "rtp");
    assert_eq!(v["ssrc"], 0xabcd);
    assert_eq!(v["seq"], 0x1e8c);
    assert_eq!(v["timestamp"], 0xf000);
    assert_eq!(v["payload_type"], 111);
    assert_eq!(v["marker"], false);
    assert_eq!(
        v["extensions"],
        serde_json::json!([{"id": 1, "data": "ff"}, {"id": 3, "data": "123400"}])
    );
    // SR (one report block) + PLI.
    let rtcp_hex = concat!(
        "81c8000c", "00000001", "e6b2a2d0", "00000000", "00015f90", "0000000a", "00000640",
        "00000002", "01000005", "00000100", "00000007", "00000000", "00000000", "81ce0002",
        "00000001", "00000002"
    );
    let v = json(&["decode", rtcp_hex, "--json"]);
    insta::assert_json_snapshot!("decode_sr_pli", v);
    assert_eq!(v["kind"], "rtcp");
    let p = v["packets"].as_array().unwrap();
    assert_eq!(
        (p[0]["type"].as_str(), p[1]["type"].as_str()),
        (Some("sr"), Some("pli"))
    );
    assert_eq!(p[0]["reports"][0]["ssrc"], 2);
    assert_eq!(p[0]["reports"][0]["cumulative_lost"], 5);
    // ChannelData carrying the RTP packet above.
    let inner = hex::decode(rtp_hex.replace(' ', "")).unwrap();
    let cd = format!("4001{:04x}{}", inner.len(), hex::encode(&inner));
    let v = json(&["decode", &cd, "--json"]);
    assert_eq!(v["kind"], "channel-data");
    assert_eq!(v["channel"], 0x4001);
    assert_eq!(v["inner"]["kind"], "rtp");
    assert_eq!(v["inner"]["seq"], 0x1e8c);
    // An RFC 5766 channel (0x7356, as coturn's client binds) given alone: the length fits.
    let old = format!("7356{:04x}{}", inner.len(), hex::encode(&inner));
    let v = json(&["decode", &old, "--json"]);
    assert_eq!(v["kind"], "channel-data");
    assert_eq!(v["channel"], 0x7356);
    let v = json(&["decode", &format!("{old}00"), "--json"]);
    assert_eq!(v["kind"], "unknown");
    assert_eq!(v["demux"], "quic");
    // Not hex: usage error.
    let o = run(&["decode", "0g"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad hex"), "{}", stderr(&o));
}

#[test]
fn packets_text_and_json_snapshots() {
    insta::assert_snapshot!(
        "packets_coturn_turn",
        ok(&[
            "packets",
            &corpus("pcap/coturn-turn-udp-channel.pcapng"),
            "--password",
            "test"
        ])
    );
    insta::assert_snapshot!(
        "packets_coturn_binding_json",
        ok(&[
            "packets",
            &corpus("pcap/coturn-stun-binding.pcap"),
            "--json"
        ])
    );
    let lines = ok(&["packets", &corpus("pcap/ffmpeg-vp8-opus.pcap"), "--json"]);
    let first: Vec<Value> = lines
        .lines()
        .take(3)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.lines().count(), 411);
    assert_eq!(first[0]["frame"], 1);
    assert_eq!(first[0]["kind"], "rtcp");
    assert_eq!(first[0]["packets"][0]["type"], "sr");
    assert_eq!(first[1]["kind"], "rtp");
    assert_eq!(first[1]["seq"], 898);
    assert_eq!(first[1]["src"], "127.0.0.1:51362");
    assert_eq!(first[1]["dst"], "127.0.0.1:5004");
}

#[test]
fn streams_text_and_json_with_sdp_codecs() {
    let cap = corpus("pcap/ffmpeg-h264-pcma.pcapng");
    let sdp = corpus("sdp/ffmpeg-h264-pcma.sdp");
    insta::assert_snapshot!(
        "streams_ffmpeg_h264_pcma",
        ok(&["streams", &cap, "--sdp", &sdp])
    );
    let v = json(&["streams", &cap, "--sdp", &sdp, "--json"]);
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 2);
    let h264 = a.iter().find(|s| s["payload_type"] == 96).unwrap();
    assert_eq!(h264["codec"], "H264");
    assert_eq!(h264["clock_rate"], 90000);
    assert_eq!(h264["ssrc"], 0x67a7_2b4b_u32);
    assert_eq!(h264["src"], "127.0.0.1:47036");
    assert_eq!(h264["dst"], "127.0.0.1:5010");
    assert_eq!(h264["packets"], 181);
    assert_eq!(h264["lost"], 0);
    // With the SDP's clock rate, the video stream gets a jitter (tshark without an SDP: 0).
    assert!(h264["max_jitter_ms"].as_f64().unwrap() > 0.0);
    let pcma = a.iter().find(|s| s["payload_type"] == 8).unwrap();
    assert_eq!(pcma["codec"], "PCMA");
    assert_eq!(
        pcma["max_jitter_ms"].as_f64().map(|j| (j * 1000.0).round()),
        Some(4781.0)
    );
    // Time series: one point per second of the stream.
    let v = json(&["streams", &cap, "--json", "--interval", "1s"]);
    let points = v[0]["intervals"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    let total: u64 = points.iter().map(|p| p["packets"].as_u64().unwrap()).sum();
    assert_eq!(total, v[0]["packets"].as_u64().unwrap());
}

#[test]
fn streams_plot_writes_an_svg_with_one_line_per_stream_and_panel() {
    let out = Temp::new("plot.svg", b"");
    ok(&[
        "streams",
        &corpus("impaired/impaired-rtp.pcap"),
        "--plot",
        out.path(),
    ]);
    let svg = std::fs::read_to_string(out.path()).unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(svg.matches("<polyline").count(), 3 * 3);
    assert!(svg.contains("0x0badcafe"));
}

#[test]
fn rtcp_snapshot() {
    insta::assert_snapshot!(
        "rtcp_ffmpeg_vp8_opus",
        ok(&["rtcp", &corpus("pcap/ffmpeg-vp8-opus.pcap")])
    );
}

#[test]
fn ice_checks_verify_with_the_receivers_ice_pwd_and_name_the_nominated_pair() {
    let cap = corpus("pcap/chromium-call.pcapng");
    let offer = corpus("sdp/chromium-call-offer.sdp");
    let answer = corpus("sdp/chromium-call-answer.sdp");
    let text = ok(&["ice", &cap, "--sdp", &offer, "--sdp", &answer]);
    insta::assert_snapshot!("ice_chromium_call", text);
    let v = json(&["ice", &cap, "--sdp", &offer, "--sdp", &answer, "--json"]);
    let messages = v["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 20);
    assert!(
        messages
            .iter()
            .all(|m| m["integrity"] == "ok" && m["fingerprint"] == "ok"),
        "{v}"
    );
    assert_eq!(
        v["nominated"],
        serde_json::json!({"local": "127.0.0.1:43537", "remote": "127.0.0.1:51704"})
    );
    let pairs = v["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert!(pairs
        .iter()
        .all(|p| p["local_candidate"] == "host udp" && p["remote_candidate"] == "host udp"));
    let t = v["transactions"].as_array().unwrap();
    assert_eq!(t.len(), 10);
    assert!(t
        .iter()
        .all(|t| t["outcome"] == "success" && t["rtt_ms"].as_f64().unwrap() > 0.0));
    // Only the offer: checks sent to the answerer cannot be verified, and a wrong password
    // fails them.
    let v = json(&["ice", &cap, "--sdp", &offer, "--json"]);
    let counts = |v: &Value, s: &str| {
        v["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["integrity"] == s)
            .count()
    };
    assert!(counts(&v, "ok") > 0 && counts(&v, "ok") < 20, "{v}");
    let v = json(&["ice", &cap, "--ice-pwd", "not-the-password", "--json"]);
    assert_eq!(counts(&v, "failed"), 20);
}

#[test]
fn ice_through_turn_verifies_long_term_credentials() {
    let v = json(&[
        "ice",
        &corpus("pcap/coturn-turn-udp-channel.pcapng"),
        "--password",
        "test",
        "--json",
    ]);
    let messages = v["messages"].as_array().unwrap();
    let with_mi = messages
        .iter()
        .filter(|m| m["integrity"] != "absent")
        .count();
    assert!(with_mi > 30);
    assert!(
        messages
            .iter()
            .all(|m| m["integrity"] == "ok" || m["integrity"] == "absent"),
        "{v}"
    );
    let errors: Vec<&Value> = v["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["outcome"] == "error")
        .collect();
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|t| t["error"] == "401 Unauthorized"));
}

#[test]
fn sdp_extmaps_name_and_decode_header_extensions() {
    let out = ok(&[
        "packets",
        &corpus("pcap/chromium-call.pcapng"),
        "--json",
        "--sdp",
        &corpus("sdp/chromium-call-offer.sdp"),
    ]);
    let rtp: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "rtp")
        .collect();
    assert_eq!(rtp.len(), 239);
    let ext = |v: &Value, uri: &str| -> Option<Value> {
        v["extensions"]
            .as_array()?
            .iter()
            .find(|e| e["uri"] == uri)
            .map(|e| e["value"].clone())
    };
    let twcc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    // Transport-wide sequence numbers count every RTP packet the sender sends on the
    // transport, so across the capture they are strictly increasing (this capture has no
    // reordering).
    let seqs: Vec<u64> = rtp
        .iter()
        .filter_map(|v| ext(v, twcc))
        .map(|v| v["transport_sequence_number"].as_u64().unwrap())
        .collect();
    assert!(seqs.len() > 200);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // Packets carry their BUNDLE mid (RFC 8843 §15.2); audio (PT 111) is mid 0.
    let mids: Vec<(u64, String)> = rtp
        .iter()
        .filter_map(|v| {
            let mid = ext(v, "urn:ietf:params:rtp-hdrext:sdes:mid")?;
            Some((
                v["payload_type"].as_u64()?,
                mid["text"].as_str()?.to_owned(),
            ))
        })
        .collect();
    assert!(!mids.is_empty());
    assert!(mids
        .iter()
        .filter(|(pt, _)| *pt == 111)
        .all(|(_, m)| m == "0"));
    // Without the SDP, elements stay raw.
    let raw = ok(&["packets", &corpus("pcap/chromium-call.pcapng"), "--json"]);
    assert!(!raw.contains("\"uri\""));
}

#[test]
fn a_plain_stun_query_is_a_transaction_but_no_candidate_pair() {
    let v = json(&["ice", &corpus("pcap/coturn-stun-binding.pcap"), "--json"]);
    let t = v["transactions"].as_array().unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["outcome"], "success");
    assert_eq!(t[0]["src"], "127.0.0.1:35753");
    assert_eq!(v["pairs"], serde_json::json!([]));
    assert_eq!(v["nominated"], Value::Null);
}

#[test]
fn wrong_magic_is_a_clear_error() {
    let f = Temp::new("magic.pcap", b"this is not a capture file at all");
    let o = run(&["packets", f.path()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a pcap or pcapng file"),
        "{}",
        stderr(&o)
    );
    let o = run(&["streams", "/nonexistent/capture.pcap"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_truncated_file_keeps_what_was_read_and_says_where_it_stopped() {
    let bytes = std::fs::read(corpus("pcap/ffmpeg-vp8-opus.pcap")).unwrap();
    for cut in [bytes.len() - 7, bytes.len() / 2, 30] {
        let f = Temp::new("cut.pcap", &bytes[..cut]);
        let o = run(&["packets", f.path()]);
        assert_eq!(o.status.code(), Some(1), "cut at {cut}");
        let err = stderr(&o);
        assert!(err.contains("cut short in the middle of a record"), "{err}");
        let n = stdout(&o).lines().count();
        assert!(err.contains(&format!("frame {}:", n + 1)), "{err}");
        if cut > 1000 {
            assert!(n > 100, "frames before the cut are read: {n}");
        }
    }
    let ng = std::fs::read(corpus("pcap/ffmpeg-h264-pcma.pcapng")).unwrap();
    let f = Temp::new("cut.pcapng", &ng[..ng.len() - 100]);
    let o = run(&["streams", f.path(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn snaplen_cut_and_garbage_datagrams_are_warnings_and_the_rest_is_read() {
    let mut frames = Vec::new();
    for i in 0..10u16 {
        let full = udp(5000, 6000, &rtp(100 + i, 160 * u32::from(i), 7));
        let wire = full.len() as u32;
        // Every other packet cut to 40 bytes of RTP by a 68-byte snapshot length.
        let data = if i % 2 == 0 {
            full[..68].to_vec()
        } else {
            full
        };
        frames.push((data, wire));
    }
    frames.push((udp(5000, 6001, &[0x07; 33]), 28 + 33));
    frames.push((vec![0x45, 0, 0], 3));
    let f = Temp::new("cut-garbage.pcap", &pcap(LINKTYPE_RAW, 65535, &frames));
    let o = run(&["packets", f.path(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("cut by the snapshot length").count(),
        5,
        "{err}"
    );
    assert!(err.contains("frame 12:"), "{err}");
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[0]["truncated"], true);
    assert_eq!(lines[0]["kind"], "rtp");
    assert_eq!(lines[10]["kind"], "unknown");
    assert_eq!(lines[10]["demux"], "unknown");
    let v = json(&["streams", f.path(), "--json"]);
    assert_eq!(v[0]["packets"], 10);
    assert_eq!(v[0]["lost"], 0);
}

#[test]
fn tcp_streams_are_reassembled_in_order_with_rfc4571_framing() {
    let mut stream = Vec::new();
    for i in 0..4u16 {
        let p = rtp(500 + i, 160 * u32::from(i), 9);
        stream.extend_from_slice(&(p.len() as u16).to_be_bytes());
        stream.extend_from_slice(&p);
    }
    let isn = 1000u32;
    let at = |off: usize| isn + 1 + off as u32;
    let frames = vec![
        (tcp(isn, true, &[]), 40),
        (tcp(at(0), false, &stream[..100]), 0),
        (tcp(at(300), false, &stream[300..]), 0), // after a gap
        (tcp(at(100), false, &stream[100..300]), 0), // fills it
        (tcp(at(100), false, &stream[100..200]), 0), // retransmission
    ];
    let frames: Vec<(Vec<u8>, u32)> = frames
        .into_iter()
        .map(|(d, _)| {
            let l = d.len() as u32;
            (d, l)
        })
        .collect();
    let f = Temp::new("tcp.pcap", &pcap(LINKTYPE_RAW, 65535, &frames));
    let out = ok(&["packets", f.path(), "--json"]);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [500, 501, 502, 503]);
    assert!(lines
        .iter()
        .all(|l| l["transport"] == "tcp" && l["kind"] == "rtp"));
    // The frame that completed each message: 0-based stream offsets 0..174, 174..348, ...
    let frames: Vec<u64> = lines.iter().map(|l| l["frame"].as_u64().unwrap()).collect();
    assert_eq!(frames, [4, 4, 4, 4]);
}

#[test]
fn turn_over_tcp_splits_stun_and_padded_channel_data() {
    // RFC 8656 §12.5: STUN and ChannelData back to back, ChannelData padded to 4 bytes.
    let stun = hex::decode(hex_file("SAMPLE_REQUEST.hex")).unwrap();
    let mut stream = stun.clone();
    stream.extend_from_slice(&[0x40, 0x02, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0]);
    stream.extend_from_slice(&stun);
    let isn = 77u32;
    let mut frames = vec![tcp(isn, true, &[])];
    // One byte at a time for the first 30 bytes, then the rest.
    for i in 0..30 {
        frames.push(tcp(isn + 1 + i as u32, false, &stream[i..=i]));
    }
    frames.push(tcp(isn + 31, false, &stream[30..]));
    let frames: Vec<(Vec<u8>, u32)> = frames
        .into_iter()
        .map(|d| {
            let l = d.len() as u32;
            (d, l)
        })
        .collect();
    let f = Temp::new("turn-tcp.pcap", &pcap(LINKTYPE_RAW, 65535, &frames));
    let out = ok(&[
        "packets",
        f.path(),
        "--json",
        "--password",
        "VOkJxbRl1RmTxUk/WvJxBt",
    ]);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["stun", "channel-data", "stun"]);
    assert!(lines.iter().all(|l| l["transport"] == "tcp"));
    assert_eq!(lines[0]["integrity"], "ok");
    assert_eq!(lines[1]["channel"], 0x4002);
    assert_eq!(lines[1]["length"], 5);
    assert_eq!(lines[2]["transaction_id"], "b7e7a701bc34d686fa87dfae");
}

#[test]
fn every_link_type_in_a_capture_file() {
    let payload = rtp(1, 0, 3);
    let ip = udp(7000, 7002, &payload);
    let mut eth = vec![0u8; 12];
    eth.extend_from_slice(&[0x81, 0x00, 0x00, 0x01, 0x08, 0x00]); // VLAN-tagged
    eth.extend_from_slice(&ip);
    let mut null = 2u32.to_le_bytes().to_vec();
    null.extend_from_slice(&ip);
    let mut sll2 = vec![0x08, 0x00];
    sll2.extend_from_slice(&[0u8; 18]);
    sll2.extend_from_slice(&ip);
    let mut ip6 = Vec::new();
    let (a6, b6) = (
        [0xfe80u16, 0, 0, 0, 0, 0, 0, 1],
        [0xfe80u16, 0, 0, 0, 0, 0, 0, 2],
    );
    let octets = |a: [u16; 8]| std::net::Ipv6Addr::from(a).octets();
    etherparse::PacketBuilder::ipv6(octets(a6), octets(b6), 64)
        .udp(7000, 7002)
        .write(&mut ip6, &payload)
        .unwrap();
    let mut sll = vec![0u8; 14];
    sll.extend_from_slice(&[0x86, 0xdd]);
    sll.extend_from_slice(&ip6);
    for (link, frame) in [(113u32, sll), (LINKTYPE_RAW, ip6)] {
        let l = frame.len() as u32;
        let f = Temp::new(
            &format!("v6-link{link}.pcap"),
            &pcap(link, 65535, &[(frame, l)]),
        );
        let v: Value = serde_json::from_str(&ok(&["packets", f.path(), "--json"])).unwrap();
        assert_eq!(v["kind"], "rtp", "link type {link}");
        assert_eq!(v["src"], "[fe80::1]:7000", "link type {link}");
    }
    for (link, frame) in [
        (1u32, eth),
        (0, null),
        (276, sll2),
        (LINKTYPE_RAW, ip.clone()),
    ] {
        let l = frame.len() as u32;
        let f = Temp::new(
            &format!("link{link}.pcap"),
            &pcap(link, 65535, &[(frame, l)]),
        );
        let v: Value = serde_json::from_str(&ok(&["packets", f.path(), "--json"])).unwrap();
        assert_eq!(v["kind"], "rtp", "link type {link}");
        assert_eq!(v["dst"], "10.0.0.2:7002", "link type {link}");
    }
}

/// An ICE session between two independent agents, libnice (controlling, regular
/// nomination) and ice-agent's json_peer, recorded on loopback by
/// corpus/interop/make_capture.py with its signalling and tshark's dissection.
mod libnice_session {
    use super::{corpus, json};
    use serde_json::Value;

    const CAPTURE: &str = "interop/libnice-ice-agent.pcapng";

    fn signalling() -> Vec<Value> {
        std::fs::read_to_string(corpus("interop/libnice-ice-agent.signalling.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn said(peer: &str, kind: &str) -> Value {
        signalling()
            .into_iter()
            .find(|m| m["peer"] == peer && m["type"] == kind)
            .unwrap_or_else(|| panic!("{peer} said no {kind}"))
    }

    /// "IP PORT" as json_peer reports a pair, as "IP:PORT".
    fn addr(v: &Value) -> String {
        v.as_str().unwrap().replace(' ', ":")
    }

    #[test]
    fn every_check_verifies_and_the_nomination_matches_the_agents() {
        let pwd_nice = said("libnice", "local-description")["pwd"].clone();
        let pwd_ours = said("ice-agent", "local-description")["pwd"].clone();
        let v = json(&[
            "ice",
            &corpus(CAPTURE),
            "--ice-pwd",
            pwd_nice.as_str().unwrap(),
            "--ice-pwd",
            pwd_ours.as_str().unwrap(),
            "--json",
        ]);
        let txs = v["transactions"].as_array().unwrap();
        assert_eq!(txs.len(), 3, "{txs:?}");
        for t in txs {
            assert_eq!(t["outcome"], "success", "{t}");
            assert_eq!(t["request_integrity"], "ok", "{t}");
            assert_eq!(t["response_integrity"], "ok", "{t}");
        }
        // Regular nomination: libnice's last check carries USE-CANDIDATE.
        assert_eq!(txs.iter().filter(|t| t["use_candidate"] == true).count(), 1);
        // The pair json_peer reported, seen from the controlling side.
        let ours = said("ice-agent", "connected");
        assert_eq!(v["nominated"]["local"], addr(&ours["remote"]));
        assert_eq!(v["nominated"]["remote"], addr(&ours["local"]));
    }

    #[test]
    fn every_stun_frame_agrees_with_tshark() {
        let tsv = std::fs::read_to_string(corpus("interop/libnice-ice-agent.tshark.tsv")).unwrap();
        let mut rows = tsv.lines();
        let head: Vec<&str> = rows.next().unwrap().split('\t').collect();
        let out = super::ok(&["packets", &corpus(CAPTURE), "--json"]);
        let ours: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let mut compared = 0;
        for row in rows {
            let f: std::collections::HashMap<&str, &str> =
                head.iter().copied().zip(row.split('\t')).collect();
            let frame: u64 = f["frame.number"].parse().unwrap();
            let o = ours
                .iter()
                .find(|o| o["frame"] == frame)
                .unwrap_or_else(|| panic!("frame {frame} missing"));
            let class = match f["stun.type.class"] {
                "0x0000" => "request",
                "0x0001" => "indication",
                "0x0010" => "success-response",
                _ => "error-response",
            };
            assert_eq!(o["class"], class, "frame {frame}");
            assert_eq!(o["method"], "Binding", "frame {frame}");
            assert_eq!(o["transaction_id"], f["stun.id"], "frame {frame}");
            let attr = |name: &str| {
                o["attributes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a["name"] == name)
                    .map(|a| a["value"].clone())
            };
            let want = |k: &str| Some(f[k]).filter(|s| !s.is_empty());
            assert_eq!(
                attr("USERNAME").as_ref().and_then(Value::as_str),
                want("stun.att.username"),
                "frame {frame}"
            );
            assert_eq!(
                attr("PRIORITY").and_then(|p| p.as_u64()),
                want("stun.att.priority").map(|p| p.parse().unwrap()),
                "frame {frame}"
            );
            assert_eq!(
                attr("XOR-MAPPED-ADDRESS").and_then(|a| a.as_str().map(str::to_owned)),
                want("stun.att.ipv4").map(|ip| format!("{ip}:{}", f["stun.att.port"])),
                "frame {frame}"
            );
            compared += 1;
        }
        assert_eq!(compared, 7);
    }
}

/// TURN messages take the long-term credential only (RFC 8656 §5): ICE passwords leave them
/// `unverified` (they used to be tried and reported `failed`, which reads as a broken
/// server), `--turn-user`/`--turn-password` verify every request and response, and a wrong
/// password or another user's fails or does not apply.
#[test]
fn turn_messages_are_verified_with_turn_credentials_only() {
    let cap = corpus("pcap/coturn-turn-udp-channel.pcapng");
    let verdicts = |extra: &[&str]| {
        let mut args = vec!["packets", cap.as_str(), "--json"];
        args.extend_from_slice(extra);
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for line in ok(&args).lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            if v["kind"] == "stun" && v["integrity"] != "absent" {
                *counts
                    .entry(v["integrity"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
        counts
    };
    let only = |k: &str| std::collections::BTreeMap::from([(k.to_owned(), 38)]);
    assert_eq!(
        verdicts(&["--ice-pwd", "abc", "--ice-pwd", "def"]),
        only("unverified")
    );
    assert_eq!(
        verdicts(&["--turn-user", "test", "--turn-password", "test"]),
        only("ok")
    );
    assert_eq!(verdicts(&["--turn-password", "wrong"]), only("failed"));
    assert_eq!(
        verdicts(&["--turn-user", "alice", "--turn-password", "test"]),
        only("unverified")
    );
}
