//! The scenarios of `benches/rtp.rs`, shared with `examples/rtp_instructions.rs` (which
//! runs each one N times under callgrind). Each function is one iteration of one crate's
//! scenario and returns a value derived from every field it read.

#![allow(dead_code)] // each user calls a subset

use bytes::Bytes;
use rtp_codec::rtcp::{Compound, Nack, RtcpPacket, Sdes, SenderReport};
use rtp_codec::{ExtensionElement, ExtensionForm, RtpPacket, RtpPacketBuilder};

pub(crate) const PAYLOAD: [u8; 1200] = [0x5a; 1200];
pub(crate) const CSRCS: [u32; 2] = [0x1111_1111, 0x2222_2222];
pub(crate) const ELEMENTS: [ExtensionElement<'static>; 3] = [
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

pub(crate) fn rtp_bytes() -> Vec<u8> {
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

pub(crate) fn rtcp_bytes() -> Vec<u8> {
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

/// `rtp-codec` in group `rtp_parse`.
pub(crate) fn rtp_parse_codec(bytes: &[u8]) -> u32 {
    let p = RtpPacket::parse(bytes).unwrap();
    let mut acc =
        u32::from(p.sequence_number()) ^ p.timestamp() ^ p.ssrc() ^ p.payload().len() as u32;
    for e in p.extensions() {
        let e = e.unwrap();
        acc ^= u32::from(e.id) + u32::from(e.data[0]);
    }
    acc
}

/// `rtp-types` in group `rtp_parse`.
pub(crate) fn rtp_parse_types(bytes: &[u8]) -> u32 {
    let p = rtp_types::RtpPacket::parse(bytes).unwrap();
    let mut acc =
        u32::from(p.sequence_number()) ^ p.timestamp() ^ p.ssrc() ^ p.payload().len() as u32;
    let (_, ext) = p.extension().unwrap();
    one_byte_elements(ext, |id, d| acc ^= u32::from(id) + u32::from(d[0]));
    acc
}

/// `webrtc-rs rtp` in group `rtp_parse`.
pub(crate) fn rtp_parse_webrtc(shared: &Bytes) -> u32 {
    use webrtc_util::marshal::Unmarshal;

    let mut buf = shared.clone();
    let p = rtp::packet::Packet::unmarshal(&mut buf).unwrap();
    let h = &p.header;
    let mut acc = u32::from(h.sequence_number) ^ h.timestamp ^ h.ssrc ^ p.payload.len() as u32;
    for e in &h.extensions {
        acc ^= u32::from(e.id) + u32::from(e.payload[0]);
    }
    acc
}

/// `rtc-rtp` in group `rtp_parse`.
pub(crate) fn rtp_parse_rtc(shared: &Bytes) -> u32 {
    use rtc_shared::marshal::Unmarshal;

    let mut buf = shared.clone();
    let p = rtc_rtp::packet::Packet::unmarshal(&mut buf).unwrap();
    let h = &p.header;
    let mut acc = u32::from(h.sequence_number) ^ h.timestamp ^ h.ssrc ^ p.payload.len() as u32;
    for e in &h.extensions {
        acc ^= u32::from(e.id) + u32::from(e.payload[0]);
    }
    acc
}

/// `rtp-codec` in group `rtcp_parse`.
pub(crate) fn rtcp_parse_codec(bytes: &[u8]) -> u64 {
    let mut acc = 0u64;
    for p in Compound::new(bytes) {
        match p.unwrap() {
            RtcpPacket::Sr(sr) => {
                acc ^= u64::from(sr.ssrc) ^ sr.ntp_timestamp;
                for r in sr.reports.iter() {
                    acc ^= u64::from(r.ssrc) + u64::from(r.highest_sequence) + u64::from(r.jitter);
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
}

/// `rtcp-types` in group `rtcp_parse`.
pub(crate) fn rtcp_parse_types(bytes: &[u8]) -> u64 {
    let mut acc = 0u64;
    for p in rtcp_types::Compound::parse(bytes).unwrap() {
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
}

/// `webrtc-rs rtcp` in group `rtcp_parse`.
pub(crate) fn rtcp_parse_webrtc(shared: &Bytes) -> u64 {
    use rtcp::payload_feedbacks::receiver_estimated_maximum_bitrate::ReceiverEstimatedMaximumBitrate as Remb;
    use rtcp::sender_report::SenderReport as Sr;
    use rtcp::source_description::SourceDescription as Sdes;
    use rtcp::transport_feedbacks::transport_layer_nack::TransportLayerNack as Nack;

    let mut buf = shared.clone();
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
}

/// `rtc-rtcp` in group `rtcp_parse`.
pub(crate) fn rtcp_parse_rtc(shared: &Bytes) -> u64 {
    use rtc_rtcp::payload_feedbacks::receiver_estimated_maximum_bitrate::ReceiverEstimatedMaximumBitrate as Remb;
    use rtc_rtcp::sender_report::SenderReport as Sr;
    use rtc_rtcp::source_description::SourceDescription as Sdes;
    use rtc_rtcp::transport_feedbacks::transport_layer_nack::TransportLayerNack as Nack;

    let mut buf = shared.clone();
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
}

/// REMB FCI for rtcp-types, which has no REMB type.
pub(crate) struct RembFci {
    pub(crate) bitrate: u64,
    pub(crate) n: usize,
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

/// The writers of group `rtp_write`, each with its packet value built once (rtp-types builds
/// its builder on every write, as it is meant to be used).
pub(crate) struct Writers {
    /// The reference bytes every writer must produce.
    pub(crate) reference: Vec<u8>,
    codec: RtpPacketBuilder<'static>,
    ext: Vec<u8>,
    webrtc: rtp::packet::Packet,
    rtc: rtc_rtp::packet::Packet,
}

impl Writers {
    /// Builds every packet value and checks that each writer produces the reference bytes.
    pub(crate) fn new() -> Self {
        let reference = rtp_bytes();
        // The builder's elements are encoded on every write.
        let codec = RtpPacketBuilder::new(96, 4242, 90_000, 0xdead_beef)
            .with_marker(true)
            .with_csrcs(&CSRCS)
            .unwrap()
            .with_extensions(ExtensionForm::Auto, &ELEMENTS)
            .with_payload(&PAYLOAD);
        let ext = RtpPacket::parse(&reference)
            .unwrap()
            .extension_data()
            .unwrap()
            .to_vec();
        let webrtc = {
            use webrtc_util::marshal::Unmarshal;
            rtp::packet::Packet::unmarshal(&mut Bytes::from(reference.clone())).unwrap()
        };
        let rtc = {
            use rtc_shared::marshal::Unmarshal;
            rtc_rtp::packet::Packet::unmarshal(&mut Bytes::from(reference.clone())).unwrap()
        };
        let w = Self {
            reference,
            codec,
            ext,
            webrtc,
            rtc,
        };
        let mut out = vec![0u8; 1500];
        for f in [Self::codec, Self::types, Self::webrtc, Self::rtc] {
            out.fill(0);
            let n = f(&w, &mut out);
            assert_eq!(&out[..n], &w.reference[..]);
        }
        w
    }

    /// rtp-codec.
    pub(crate) fn codec(&self, out: &mut [u8]) -> usize {
        std::hint::black_box(&self.codec).write_into(out).unwrap()
    }

    /// rtp-types.
    pub(crate) fn types(&self, out: &mut [u8]) -> usize {
        rtp_types::RtpPacketBuilder::<&[u8], &[u8]>::new()
            .marker_bit(true)
            .payload_type(96)
            .sequence_number(4242)
            .timestamp(90_000)
            .ssrc(0xdead_beef)
            .add_csrc(CSRCS[0])
            .add_csrc(CSRCS[1])
            .extension(0xbede, std::hint::black_box(&self.ext[..]))
            .payload(std::hint::black_box(&PAYLOAD[..]))
            .write_into(out)
            .unwrap()
    }

    /// webrtc-rs `rtp`.
    pub(crate) fn webrtc(&self, out: &mut [u8]) -> usize {
        use webrtc_util::marshal::Marshal;
        std::hint::black_box(&self.webrtc).marshal_to(out).unwrap()
    }

    /// `rtc-rtp`.
    pub(crate) fn rtc(&self, out: &mut [u8]) -> usize {
        use rtc_shared::marshal::Marshal;
        std::hint::black_box(&self.rtc).marshal_to(out).unwrap()
    }
}

/// The new SSRC, sequence number and timestamp of group `rtp_rewrite` (an SFU forwarding a
/// packet to another leg).
pub(crate) const REWRITE: (u32, u16, u32) = (0x0bad_cafe, 17, 123_456);

/// `rtp-codec` in group `rtp_rewrite`: rewrite the fields in place, in the received buffer.
pub(crate) fn rtp_rewrite_codec(buf: &mut [u8]) -> usize {
    let mut p = rtp_codec::RtpPacketMut::parse(buf).unwrap();
    p.set_ssrc(REWRITE.0);
    p.set_sequence_number(REWRITE.1);
    p.set_timestamp(REWRITE.2);
    p.as_bytes().len()
}

/// `rtp-types` in group `rtp_rewrite`: parse, then build the packet again with the new
/// fields into the output buffer (rtp-types has no mutable view).
pub(crate) fn rtp_rewrite_types(input: &[u8], out: &mut [u8]) -> usize {
    let p = rtp_types::RtpPacket::parse(input).unwrap();
    let mut b = rtp_types::RtpPacketBuilder::<&[u8], &[u8]>::new()
        .marker_bit(p.marker_bit())
        .payload_type(p.payload_type())
        .sequence_number(REWRITE.1)
        .timestamp(REWRITE.2)
        .ssrc(REWRITE.0);
    for c in p.csrc() {
        b = b.add_csrc(c);
    }
    if let Some((profile, ext)) = p.extension() {
        b = b.extension(profile, ext);
    }
    let n = b.payload(p.payload()).write_into(out).unwrap();
    n
}

/// webrtc-rs `rtp` in group `rtp_rewrite`: unmarshal, change the header, marshal.
pub(crate) fn rtp_rewrite_webrtc(shared: &Bytes, out: &mut [u8]) -> usize {
    use webrtc_util::marshal::{Marshal, Unmarshal};
    let mut buf = shared.clone();
    let mut p = rtp::packet::Packet::unmarshal(&mut buf).unwrap();
    p.header.ssrc = REWRITE.0;
    p.header.sequence_number = REWRITE.1;
    p.header.timestamp = REWRITE.2;
    p.marshal_to(out).unwrap()
}

/// The bytes every rewriter of group `rtp_rewrite` must produce, checked before timing.
pub(crate) fn check_rewriters() {
    let input = rtp_bytes();
    let mut want = input.clone();
    rtp_rewrite_codec(&mut want);
    let p = RtpPacket::parse(&want).unwrap();
    assert_eq!((p.ssrc(), p.sequence_number(), p.timestamp()), REWRITE);
    assert_eq!(p.payload(), &PAYLOAD[..]);
    let mut out = vec![0u8; 1500];
    let n = rtp_rewrite_types(&input, &mut out);
    assert_eq!(&out[..n], &want[..]);
    out.fill(0);
    let n = rtp_rewrite_webrtc(&Bytes::from(input), &mut out);
    assert_eq!(&out[..n], &want[..]);
}
