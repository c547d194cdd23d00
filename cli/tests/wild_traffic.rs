//! Traffic that is not WebRTC, as captures from the wild carry it, is not invented into
//! media: a first byte in the DTLS 1.3 range on a flow without a DTLS handshake, DNS and
//! other well-known ports, an RTCP-range datagram whose header claims more than the
//! datagram, and a lone RTP-looking datagram are each `unknown` (with why) or no stream.

use std::path::PathBuf;
use std::process::Command;

use pcap_file::DataLink;
use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_rtc-inspect");

fn udp(src: u16, dst: u16, payload: &[u8]) -> Vec<u8> {
    udp_from([192, 0, 2, 1], [192, 0, 2, 2], src, dst, payload)
}

fn udp_from(a: [u8; 4], b: [u8; 4], src: u16, dst: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    etherparse::PacketBuilder::ipv4(a, b, 64)
        .udp(src, dst)
        .write(&mut out, payload)
        .unwrap();
    out
}

fn rtp(seq: u16, ssrc: u32) -> Vec<u8> {
    let mut p = vec![0x80, 0];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&(u32::from(seq) * 160).to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&[0xd5; 160]);
    p
}

fn capture(name: &str, frames: &[Vec<u8>]) -> PathBuf {
    common::write_pcap(&format!("wild-{name}"), DataLink::RAW, frames)
}

fn frames() -> Vec<Vec<u8>> {
    // A DTLS 1.2 ClientHello record header (plaintext, epoch 0) with a short body.
    let mut hello = vec![22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
    hello.extend_from_slice(&[1, 0, 0, 0]);
    let mut v = vec![
        // 1: five spaces (a SIP keep-alive) between two unprivileged ports.
        udp(40000, 40001, b"     "),
        // 2: a DNS query whose id makes it look like RTP.
        udp(
            50000,
            53,
            &[
                0x80, 0x11, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, b'f', b'o', b'o', 0, 0, 1, 0, 1,
            ],
        ),
        // 3: an RTCP-range datagram whose first header claims 40,000 words.
        udp(
            40002,
            40003,
            &[0x80, 200, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 0],
        ),
        // 4: one RTP-looking datagram on its own.
        udp(40004, 40005, &rtp(1, 0xdead)),
        // 5, 6: a DTLS handshake record, then a unified header, on one flow.
        udp(40006, 40007, &hello),
        udp_from(
            [192, 0, 2, 2],
            [192, 0, 2, 1],
            40007,
            40006,
            &[0x2c, 0, 1, 0, 3, 9, 9, 9],
        ),
    ];
    // 7..: a real stream of ten packets.
    v.extend((0..10).map(|i| udp(40010, 40011, &rtp(100 + i, 0xbeef))));
    v
}

#[test]
fn non_media_is_named_not_invented() {
    let path = capture("named", &frames());
    let o = Command::new(BIN)
        .arg("packets")
        .arg(&path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success());
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kind = |i: usize| lines[i]["kind"].as_str().unwrap().to_owned();
    let error = |i: usize| lines[i]["error"].as_str().unwrap_or_default().to_owned();
    assert_eq!(kind(0), "unknown");
    assert!(error(0).contains("no DTLS handshake"), "{}", error(0));
    assert_eq!(kind(1), "unknown");
    assert!(error(1).starts_with("DNS"), "{}", error(1));
    assert_eq!(kind(2), "unknown");
    assert!(error(2).contains("rtcp"), "{}", error(2));
    assert_eq!(
        kind(3),
        "rtp",
        "one datagram still decodes as what it looks like"
    );
    assert_eq!(
        (kind(4), kind(5)),
        ("dtls".to_owned(), "dtls".to_owned()),
        "{}",
        lines[5]
    );
    let o = Command::new(BIN)
        .arg("streams")
        .arg(&path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success());
    let streams: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ssrcs: Vec<u64> = streams
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["ssrc"].as_u64().unwrap())
        .collect();
    assert_eq!(ssrcs, [0xbeef], "the lone datagram is no stream");
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 SSRC(s) not reported"));
    let _ = std::fs::remove_file(path);
}

/// tshark names frame 2 DNS as well.
#[test]
#[ignore = "needs tshark (bash .ci/run installs it)"]
fn tshark_calls_the_dns_query_dns() {
    let path = capture("tshark", &frames());
    let t = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&path)
        .args([
            "-Y",
            "frame.number == 2",
            "-T",
            "fields",
            "-e",
            "_ws.col.Protocol",
        ])
        .output()
        .expect("tshark runs");
    assert_eq!(String::from_utf8_lossy(&t.stdout).trim(), "DNS");
    let _ = std::fs::remove_file(path);
}
