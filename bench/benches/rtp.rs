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
//! `cargo bench -p bench --bench rtp`

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion};
use rtp_codec::rtcp::{Compound, Nack, RtcpPacket, Sdes, SenderReport};
use rtp_codec::{ExtensionElement, ExtensionForm, RtpPacket, RtpPacketBuilder};
use std::hint::black_box;

const PAYLOAD: [u8; 1200] = [0x5a; 1200];
const CSRCS: [u32; 2] = [0x1111_1111, 0x2222_2222];
const ELEMENTS: [ExtensionElement<'static>; 3] = [
    ExtensionElement {
        id: 1,
        data: &[0x30],
    },
    ExtensionElement {
        id: 2,
        data: &[0x12, 0x34, 0x56],
    },
    ExtensionElement {
        id: 3,
        data: &[0xab, 0xcd],
    },
];

fn rtp_bytes() -> Vec<u8> {
    let mut out = Vec::new();
    RtpPacketBuilder::new(96, 4242, 90_000, 0xdead_beef)
        .with_marker(true)
        .with_csrcs(&CSRCS)
        .unwrap()
        .with_extensions(ExtensionForm::OneByte, &ELEMENTS)
        .with_payload(&PAYLOAD)
        .write_to(&mut out)
        .unwrap();
    out
}

fn rtcp_bytes() -> Vec<u8> {
    use rtp_codec::rtcp::{List, ReportBlock};
    let block = |ssrc| ReportBlock {
        ssrc,
        fraction_lost: 3,
        cumulative_lost: 17,
        highest_sequence: 70_000,
        jitter: 33,
        last_sr: 0x1234_5678,
        delay_since_last_sr: 6554,
    };
    let packets = [
        RtcpPacket::Sr(SenderReport {
            ssrc: 0xdead_beef,
            ntp_timestamp: 0xe000_0000_8000_0000,
            rtp_timestamp: 90_000,
            packet_count: 1000,
            octet_count: 1_200_000,
            reports: List::Owned(vec![block(1), block(2)]),
            ..Default::default()
        }),
        RtcpPacket::Sdes(Sdes::cname(
            0xdead_beef,
            b"{d6f9a2c1-5e07-4c1b-9b1e-0e1f2a3b4c5d}",
        )),
        RtcpPacket::Nack(Nack::from_lost(0xdead_beef, 1, &[100, 102, 105, 130])),
        RtcpPacket::Remb(rtp_codec::rtcp::Remb::new(
            0xdead_beef,
            2_500_000,
            vec![1, 2],
        )),
    ];
    let mut out = Vec::new();
    rtp_codec::rtcp::write_compound(&packets, &mut out).unwrap();
    out
}

/// One-byte RFC 8285 elements, for the crate that has no decoder.
fn one_byte_elements(data: &[u8], mut f: impl FnMut(u8, &[u8])) {
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b == 0 {
            i += 1;
            continue;
        }
        let (id, len) = (b >> 4, usize::from(b & 0xf) + 1);
        if id == 15 || i + 1 + len > data.len() {
            break;
        }
        f(id, &data[i + 1..i + 1 + len]);
        i += 1 + len;
    }
}

fn rtp_parse(c: &mut Criterion) {
    let bytes = rtp_bytes();
    let shared = Bytes::from(bytes.clone());
    let mut g = c.benchmark_group("rtp_parse");
    g.bench_function("rtp-codec", |b| {
        b.iter(|| {
            let p = RtpPacket::parse(black_box(&bytes)).unwrap();
            let mut acc = u32::from(p.sequence_number())
                ^ p.timestamp()
                ^ p.ssrc()
                ^ p.payload().len() as u32;
            for e in p.extensions() {
                let e = e.unwrap();
                acc ^= u32::from(e.id) + u32::from(e.data[0]);
            }
            acc
        });
    });
    g.bench_function("rtp-types", |b| {
        b.iter(|| {
            let p = rtp_types::RtpPacket::parse(black_box(&bytes[..])).unwrap();
            let mut acc = u32::from(p.sequence_number())
                ^ p.timestamp()
                ^ p.ssrc()
                ^ p.payload().len() as u32;
            let (_, ext) = p.extension().unwrap();
            one_byte_elements(ext, |id, d| acc ^= u32::from(id) + u32::from(d[0]));
            acc
        });
    });
    g.bench_function("webrtc-rs rtp", |b| {
        use webrtc_util::marshal::Unmarshal;
        b.iter(|| {
            let mut buf = black_box(&shared).clone();
            let p = rtp::packet::Packet::unmarshal(&mut buf).unwrap();
            let h = &p.header;
            let mut acc =
                u32::from(h.sequence_number) ^ h.timestamp ^ h.ssrc ^ p.payload.len() as u32;
            for e in &h.extensions {
                acc ^= u32::from(e.id) + u32::from(e.payload[0]);
            }
            acc
        });
    });
    g.bench_function("rtc-rtp", |b| {
        use rtc_shared::marshal::Unmarshal;
        b.iter(|| {
            let mut buf = black_box(&shared).clone();
            let p = rtc_rtp::packet::Packet::unmarshal(&mut buf).unwrap();
            let h = &p.header;
            let mut acc =
                u32::from(h.sequence_number) ^ h.timestamp ^ h.ssrc ^ p.payload.len() as u32;
            for e in &h.extensions {
                acc ^= u32::from(e.id) + u32::from(e.payload[0]);
            }
            acc
        });
    });
    g.finish();
}

/// REMB FCI for rtcp-types, which has no REMB type.
struct RembFci {
    bitrate: u64,
    n: usize,
}

impl<'a> rtcp_types::FciParser<'a> for RembFci {
    const PACKET_TYPE: rtcp_types::FciFeedbackPacketType =
        rtcp_types::FciFeedbackPacketType::PAYLOAD;
    const FCI_FORMAT: u8 = 15;

    fn parse(data: &'a [u8]) -> Result<Self, rtcp_types::RtcpParseError> {
        if data.len() < 8 || &data[..4] != b"REMB" {
            return Err(rtcp_types::RtcpParseError::WrongImplementation);
        }
        let w = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
        Ok(Self {
            bitrate: u64::from(w & 0x3ffff) << ((w >> 18) & 0x3f),
            n: (w >> 24) as usize,
        })
    }
}

fn rtcp_parse(c: &mut Criterion) {
    let bytes = rtcp_bytes();
    let shared = Bytes::from(bytes.clone());
    let mut g = c.benchmark_group("rtcp_parse");
    g.bench_function("rtp-codec", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in Compound::new(black_box(&bytes)) {
                match p.unwrap() {
                    RtcpPacket::Sr(sr) => {
                        acc ^= u64::from(sr.ssrc) ^ sr.ntp_timestamp;
                        for r in sr.reports.iter() {
                            acc ^= u64::from(r.ssrc)
                                + u64::from(r.highest_sequence)
                                + u64::from(r.jitter);
                        }
                    }
                    RtcpPacket::Sdes(s) => {
                        for c in s.chunks.iter() {
                            for i in c.items.iter() {
                                acc ^= i.value.len() as u64;
                            }
                        }
                    }
                    RtcpPacket::Nack(n) => n.lost().for_each(|s| acc ^= u64::from(s)),
                    RtcpPacket::Remb(r) => acc ^= r.bitrate() + r.ssrcs.len() as u64,
                    _ => unreachable!(),
                }
            }
            acc
        });
    });
    g.bench_function("rtcp-types", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in rtcp_types::Compound::parse(black_box(&bytes)).unwrap() {
                match p.unwrap() {
                    rtcp_types::Packet::Sr(sr) => {
                        acc ^= u64::from(sr.ssrc()) ^ sr.ntp_timestamp();
                        for r in sr.report_blocks() {
                            acc ^= u64::from(r.ssrc())
                                + u64::from(r.extended_sequence_number())
                                + u64::from(r.interarrival_jitter());
                        }
                    }
                    rtcp_types::Packet::Sdes(s) => {
                        for c in s.chunks() {
                            for i in c.items() {
                                acc ^= i.value().len() as u64;
                            }
                        }
                    }
                    rtcp_types::Packet::TransportFeedback(f) => {
                        let n = f.parse_fci::<rtcp_types::Nack<'_>>().unwrap();
                        n.entries().for_each(|s| acc ^= u64::from(s));
                    }
                    rtcp_types::Packet::PayloadFeedback(f) => {
                        let r = f.parse_fci::<RembFci>().unwrap();
                        acc ^= r.bitrate + r.n as u64;
                    }
                    _ => unreachable!(),
                }
            }
            acc
        });
    });
    g.bench_function("webrtc-rs rtcp", |b| {
        use rtcp::payload_feedbacks::receiver_estimated_maximum_bitrate::ReceiverEstimatedMaximumBitrate as Remb;
        use rtcp::sender_report::SenderReport as Sr;
        use rtcp::source_description::SourceDescription as Sdes;
        use rtcp::transport_feedbacks::transport_layer_nack::TransportLayerNack as Nack;
        b.iter(|| {
            let mut buf = black_box(&shared).clone();
            let mut acc = 0u64;
            for p in rtcp::packet::unmarshal(&mut buf).unwrap() {
                let any = p.as_any();
                if let Some(sr) = any.downcast_ref::<Sr>() {
                    acc ^= u64::from(sr.ssrc) ^ sr.ntp_time;
                    for r in &sr.reports {
                        acc ^= u64::from(r.ssrc) + u64::from(r.last_sequence_number) + u64::from(r.jitter);
                    }
                } else if let Some(s) = any.downcast_ref::<Sdes>() {
                    for c in &s.chunks {
                        for i in &c.items {
                            acc ^= i.text.len() as u64;
                        }
                    }
                } else if let Some(n) = any.downcast_ref::<Nack>() {
                    for pair in &n.nacks {
                        pair.packet_list().iter().for_each(|s| acc ^= u64::from(*s));
                    }
                } else if let Some(r) = any.downcast_ref::<Remb>() {
                    acc ^= r.bitrate as u64 + r.ssrcs.len() as u64;
                } else {
                    unreachable!();
                }
            }
            acc
        });
    });
    g.bench_function("rtc-rtcp", |b| {
        use rtc_rtcp::payload_feedbacks::receiver_estimated_maximum_bitrate::ReceiverEstimatedMaximumBitrate as Remb;
        use rtc_rtcp::sender_report::SenderReport as Sr;
        use rtc_rtcp::source_description::SourceDescription as Sdes;
        use rtc_rtcp::transport_feedbacks::transport_layer_nack::TransportLayerNack as Nack;
        b.iter(|| {
            let mut buf = black_box(&shared).clone();
            let mut acc = 0u64;
            for p in rtc_rtcp::packet::unmarshal(&mut buf).unwrap() {
                let any = p.as_any();
                if let Some(sr) = any.downcast_ref::<Sr>() {
                    acc ^= u64::from(sr.ssrc) ^ sr.ntp_time;
                    for r in &sr.reports {
                        acc ^= u64::from(r.ssrc) + u64::from(r.last_sequence_number) + u64::from(r.jitter);
                    }
                } else if let Some(s) = any.downcast_ref::<Sdes>() {
                    for c in &s.chunks {
                        for i in &c.items {
                            acc ^= i.text.len() as u64;
                        }
                    }
                } else if let Some(n) = any.downcast_ref::<Nack>() {
                    for pair in &n.nacks {
                        pair.packet_list().iter().for_each(|s| acc ^= u64::from(*s));
                    }
                } else if let Some(r) = any.downcast_ref::<Remb>() {
                    acc ^= r.bitrate as u64 + r.ssrcs.len() as u64;
                } else {
                    unreachable!();
                }
            }
            acc
        });
    });
    g.finish();
}

fn rtp_write(c: &mut Criterion) {
    let reference = rtp_bytes();
    let mut out = vec![0u8; 1500];
    let mut g = c.benchmark_group("rtp_write");
    // The packet value is built once, as for webrtc-rs and rtc-rtp; its elements are encoded
    // on every write.
    let builder = RtpPacketBuilder::new(96, 4242, 90_000, 0xdead_beef)
        .with_marker(true)
        .with_csrcs(&CSRCS)
        .unwrap()
        .with_extensions(ExtensionForm::Auto, &ELEMENTS)
        .with_payload(&PAYLOAD);
    let ours = |out: &mut [u8]| black_box(&builder).write_into(out).unwrap();
    // Every writer produces the reference bytes (checked before timing).
    out.fill(0);
    ours(&mut out);
    assert_eq!(&out[..reference.len()], &reference[..]);
    g.bench_function("rtp-codec", |b| b.iter(|| ours(&mut out)));
    let ext = RtpPacket::parse(&reference)
        .unwrap()
        .extension_data()
        .unwrap()
        .to_vec();
    let types = |out: &mut [u8]| {
        rtp_types::RtpPacketBuilder::<&[u8], &[u8]>::new()
            .marker_bit(true)
            .payload_type(96)
            .sequence_number(4242)
            .timestamp(90_000)
            .ssrc(0xdead_beef)
            .add_csrc(CSRCS[0])
            .add_csrc(CSRCS[1])
            .extension(0xbede, black_box(&ext[..]))
            .payload(black_box(&PAYLOAD[..]))
            .write_into(out)
            .unwrap()
    };
    out.fill(0);
    types(&mut out);
    assert_eq!(&out[..reference.len()], &reference[..]);
    g.bench_function("rtp-types", |b| b.iter(|| types(&mut out)));
    {
        use webrtc_util::marshal::{Marshal, Unmarshal};
        let p = rtp::packet::Packet::unmarshal(&mut Bytes::from(reference.clone())).unwrap();
        out.fill(0);
        p.marshal_to(&mut out).unwrap();
        assert_eq!(&out[..reference.len()], &reference[..]);
        g.bench_function("webrtc-rs rtp", |b| {
            b.iter(|| black_box(&p).marshal_to(&mut out).unwrap());
        });
    }
    {
        use rtc_shared::marshal::{Marshal, Unmarshal};
        let p = rtc_rtp::packet::Packet::unmarshal(&mut Bytes::from(reference.clone())).unwrap();
        out.fill(0);
        p.marshal_to(&mut out).unwrap();
        assert_eq!(&out[..reference.len()], &reference[..]);
        g.bench_function("rtc-rtp", |b| {
            b.iter(|| black_box(&p).marshal_to(&mut out).unwrap());
        });
    }
    g.finish();
}

criterion_group!(benches, rtp_parse, rtcp_parse, rtp_write);
criterion_main!(benches);
