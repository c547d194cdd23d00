//! Known-answer tests from the real captures of the corpus: every RTP packet's header fields
//! and RFC 8285 elements, every plain RTCP packet's fields, and the demultiplexer's verdict on
//! every UDP datagram, each against what tshark decoded (`corpus/oracle/*.packets.jsonl`).

mod common;

use common::{corpus, read_capture};
use rtp_codec::demux::{classify, classify_with, PacketKind, TurnChannels};
use rtp_codec::rtcp::{Compound, RtcpPacket};
use rtp_codec::RtpPacket;
use serde_json::Value;

/// The i-th value of a tshark array field, as a string.
fn field<'v>(o: &'v Value, name: &str, i: usize) -> &'v str {
    o[name][i]
        .as_str()
        .unwrap_or_else(|| panic!("frame {}: no {name}[{i}]", o["frame.number"]))
}

fn num(o: &Value, name: &str, i: usize) -> u64 {
    let s = field(o, name, i);
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s.parse().unwrap(),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Default, Debug)]
struct Counts {
    rtp: usize,
    elements: usize,
    rtcp: usize,
    srtcp: usize,
    demuxed: usize,
}

fn check_capture(stem: &str, file: &str) -> Counts {
    let dir = corpus();
    let frames = read_capture(&dir.join("pcap").join(file));
    let oracle = std::fs::read_to_string(dir.join(format!("oracle/{stem}.packets.jsonl"))).unwrap();
    let mut n = Counts::default();
    for line in oracle.lines() {
        let o: Value = serde_json::from_str(line).unwrap();
        let number: usize = o["frame.number"].as_str().unwrap().parse().unwrap();
        let frame = &frames[number - 1];
        assert_eq!(frame.number, number);
        let Some((_, sp, _, dp, data)) = &frame.udp else {
            continue;
        };
        assert_eq!(
            *sp,
            o["udp.srcport"].as_str().unwrap().parse::<u16>().unwrap()
        );
        assert_eq!(
            *dp,
            o["udp.dstport"].as_str().unwrap().parse::<u16>().unwrap()
        );
        let protocols = o["frame.protocols"].as_str().unwrap();
        let kind = classify(data);
        let ctx = format!("{stem} frame {number} ({protocols})");
        n.demuxed += 1;
        if protocols.ends_with(":udp:rtp") {
            assert_eq!(kind, PacketKind::Rtp, "{ctx}");
            let p = RtpPacket::parse(data).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(u64::from(p.version()), num(&o, "rtp.version", 0), "{ctx}");
            assert_eq!(
                u64::from(p.has_padding()),
                num(&o, "rtp.padding", 0),
                "{ctx}"
            );
            assert_eq!(u64::from(p.has_extension()), num(&o, "rtp.ext", 0), "{ctx}");
            assert_eq!(u64::from(p.csrc_count()), num(&o, "rtp.cc", 0), "{ctx}");
            assert_eq!(u64::from(p.marker()), num(&o, "rtp.marker", 0), "{ctx}");
            assert_eq!(
                u64::from(p.payload_type()),
                num(&o, "rtp.p_type", 0),
                "{ctx}"
            );
            assert_eq!(
                u64::from(p.sequence_number()),
                num(&o, "rtp.seq", 0),
                "{ctx}"
            );
            assert_eq!(
                u64::from(p.timestamp()),
                num(&o, "rtp.timestamp", 0),
                "{ctx}"
            );
            assert_eq!(u64::from(p.ssrc()), num(&o, "rtp.ssrc", 0), "{ctx}");
            if let Some(profile) = p.extension_profile() {
                assert_eq!(u64::from(profile), num(&o, "rtp.ext.profile", 0), "{ctx}");
                assert_eq!(
                    p.extension_data().unwrap().len() as u64,
                    4 * num(&o, "rtp.ext.len", 0),
                    "{ctx}"
                );
                let els: Vec<_> = p.extensions().collect::<Result<_, _>>().unwrap();
                let ids = o["rtp.ext.rfc5285.id"].as_array().map_or(0, Vec::len);
                assert_eq!(els.len(), ids, "{ctx}");
                for (i, e) in els.iter().enumerate() {
                    assert_eq!(u64::from(e.id), num(&o, "rtp.ext.rfc5285.id", i), "{ctx}");
                    assert_eq!(
                        e.data.len() as u64,
                        num(&o, "rtp.ext.rfc5285.len", i),
                        "{ctx}"
                    );
                    assert_eq!(hex(e.data), field(&o, "rtp.ext.rfc5285.data", i), "{ctx}");
                    n.elements += 1;
                }
            }
            // The view's builder writes the packet back byte for byte.
            let mut out = Vec::new();
            p.to_builder().write_to(&mut out).unwrap();
            assert_eq!(&out, data, "{ctx}");
            n.rtp += 1;
        } else if protocols.ends_with(":rtcp") {
            assert_eq!(kind, PacketKind::Rtcp, "{ctx}");
            if protocols.contains(":rtp:rtcp") {
                // SRTCP under rtcp-mux: only the first header and SSRC are in clear.
                assert_eq!(u64::from(data[1]), num(&o, "rtcp.pt", 0), "{ctx}");
                n.srtcp += 1;
                continue;
            }
            Compound::check_rfc3550(data).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let packets: Vec<RtcpPacket<'_>> =
                Compound::new(data).collect::<Result<_, _>>().unwrap();
            assert_eq!(
                packets.len(),
                o["rtcp.pt"].as_array().unwrap().len(),
                "{ctx}"
            );
            let mut sr_index = 0;
            for (i, p) in packets.iter().enumerate() {
                assert_eq!(u64::from(p.packet_type()), num(&o, "rtcp.pt", i), "{ctx}");
                if let RtcpPacket::Sr(sr) = p {
                    let j = sr_index;
                    sr_index += 1;
                    assert_eq!(u64::from(sr.ssrc), num(&o, "rtcp.senderssrc", j), "{ctx}");
                    assert_eq!(
                        sr.ntp_timestamp >> 32,
                        num(&o, "rtcp.timestamp.ntp.msw", j),
                        "{ctx}"
                    );
                    assert_eq!(
                        sr.ntp_timestamp & 0xffff_ffff,
                        num(&o, "rtcp.timestamp.ntp.lsw", j),
                        "{ctx}"
                    );
                    assert_eq!(
                        u64::from(sr.rtp_timestamp),
                        num(&o, "rtcp.timestamp.rtp", j),
                        "{ctx}"
                    );
                    assert_eq!(
                        u64::from(sr.packet_count),
                        num(&o, "rtcp.sender.packetcount", j),
                        "{ctx}"
                    );
                    assert_eq!(
                        u64::from(sr.octet_count),
                        num(&o, "rtcp.sender.octetcount", j),
                        "{ctx}"
                    );
                    assert_eq!(sr.reports.len() as u64, num(&o, "rtcp.rc", i), "{ctx}");
                }
            }
            let mut out = Vec::new();
            rtp_codec::rtcp::write_compound(&packets, &mut out).unwrap();
            assert_eq!(&out, data, "{ctx}");
            n.rtcp += 1;
        } else if protocols.ends_with(":stun") {
            assert_eq!(kind, PacketKind::Stun, "{ctx}");
        } else if protocols.ends_with(":stun:data") {
            // TURN ChannelData. coturn binds RFC 5766 channel numbers (0x4000–0x7FFF), beyond
            // RFC 8656's 0x4000–0x4FFF that the default first-byte rules assume.
            assert_eq!(
                classify_with(data, TurnChannels::Rfc5766),
                PacketKind::TurnChannel,
                "{ctx}"
            );
            let expected = if data[0] <= 79 {
                PacketKind::TurnChannel
            } else {
                PacketKind::Quic
            };
            assert_eq!(kind, expected, "{ctx}");
        } else if protocols.ends_with(":dtls") {
            assert_eq!(kind, PacketKind::Dtls, "{ctx}");
        } else if stem == "chromium-call" {
            // DTLS 1.3 records with the unified header (first bits 001), which tshark 4.0
            // shows as data.
            assert_eq!(kind, PacketKind::Dtls, "{ctx}: first byte {:#04x}", data[0]);
        } else {
            n.demuxed -= 1;
        }
    }
    n
}

#[test]
fn ffmpeg_vp8_opus_packets_match_tshark() {
    let n = check_capture("ffmpeg-vp8-opus", "ffmpeg-vp8-opus.pcap");
    assert_eq!((n.rtp, n.rtcp), (407, 4), "{n:?}");
}

#[test]
fn ffmpeg_h264_pcma_packets_match_tshark() {
    let n = check_capture("ffmpeg-h264-pcma", "ffmpeg-h264-pcma.pcapng");
    assert_eq!((n.rtp, n.rtcp), (228, 4), "{n:?}");
}

#[test]
fn chromium_call_packets_and_extensions_match_tshark() {
    let n = check_capture("chromium-call", "chromium-call.pcapng");
    assert_eq!((n.rtp, n.srtcp, n.demuxed), (239, 55, 377), "{n:?}");
    assert!(n.elements > 239, "{n:?}");
}

#[test]
fn coturn_datagrams_demultiplex_as_tshark_decodes_them() {
    let n = check_capture("coturn-turn-udp-channel", "coturn-turn-udp-channel.pcapng");
    assert_eq!(n.demuxed, 60, "{n:?}");
    let n = check_capture("coturn-stun-binding", "coturn-stun-binding.pcap");
    assert_eq!(n.demuxed, 2, "{n:?}");
}
