//! RTCP: hand-assembled packets of every type decoded to known values and written back
//! byte for byte, and a table of malformed packets with the exact error and offset.

use rtp_codec::rtcp::{
    write_compound, Compound, RtcpPacket, SdesChunk, SdesItem, TwccChunk, TwccStatus, XrBlock,
};
use rtp_codec::rtcp::{Nack, Sdes, Twcc};
use rtp_codec::RtpError;

/// A packet: header with count/FMT, type and the length field computed from `body`.
fn pkt(count: u8, pt: u8, body: &[u8]) -> Vec<u8> {
    assert_eq!(body.len() % 4, 0);
    let mut v = vec![0x80 | count, pt];
    v.extend_from_slice(&((body.len() / 4) as u16).to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// Parses one packet (from a copy that lives for the rest of the test run) and checks that it
/// writes back unchanged.
fn one(bytes: &[u8]) -> RtcpPacket<'static> {
    let bytes: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
    let p = RtcpPacket::parse(bytes).unwrap_or_else(|e| panic!("{bytes:02x?}: {e}"));
    let mut out = Vec::new();
    p.write_to(&mut out).unwrap();
    assert_eq!(out, bytes, "written back byte for byte: {p:?}");
    p
}

fn be(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_be_bytes()).collect()
}

#[test]
fn sender_and_receiver_reports() {
    let block = be(&[
        0x0102_0304,
        0x19ff_ffff,
        0x0001_0010,
        77,
        0xaabb_ccdd,
        65536,
    ]);
    let mut body = be(&[0x1111_1111, 0xe000_0000, 0x8000_0000, 90000, 10, 1000]);
    body.extend_from_slice(&block);
    let b = pkt(1, 200, &body);
    let RtcpPacket::Sr(sr) = one(&b) else {
        panic!()
    };
    assert_eq!(
        (sr.ssrc, sr.ntp_timestamp, sr.rtp_timestamp),
        (0x1111_1111, 0xe000_0000_8000_0000, 90000)
    );
    assert_eq!(
        (sr.packet_count, sr.octet_count, sr.compact_ntp()),
        (10, 1000, 0x0000_8000)
    );
    let r = sr.reports.iter().next().unwrap();
    assert_eq!(
        (r.ssrc, r.fraction_lost, r.cumulative_lost),
        (0x0102_0304, 0x19, -1)
    );
    assert_eq!(
        (
            r.highest_sequence,
            r.jitter,
            r.last_sr,
            r.delay_since_last_sr
        ),
        (0x0001_0010, 77, 0xaabb_ccdd, 65536)
    );

    let mut body = be(&[0x2222_2222]);
    body.extend_from_slice(&block);
    body.extend_from_slice(&block);
    body.extend_from_slice(&[9, 9, 9, 9]); // profile-specific extension
    let RtcpPacket::Rr(rr) = one(&pkt(2, 201, &body)) else {
        panic!()
    };
    assert_eq!(
        (rr.ssrc, rr.reports.len(), &rr.profile_extension[..]),
        (0x2222_2222, 2, &[9u8, 9, 9, 9][..])
    );
}

#[test]
fn sdes_chunks_are_null_terminated_and_zero_padded() {
    // RFC 3550 §6.5: items ending on a 32-bit boundary still need a null octet, hence a
    // whole word of zeros.
    let mut out = Vec::new();
    RtcpPacket::Sdes(Sdes::cname(1, b"ab"))
        .write_to(&mut out)
        .unwrap();
    assert_eq!(
        out,
        [0x81, 202, 0, 3, 0, 0, 0, 1, 1, 2, b'a', b'b', 0, 0, 0, 0]
    );
    // Two chunks, several item types, PRIV with its prefix.
    let mut body = be(&[7]);
    body.extend_from_slice(&[
        1, 3, b'x', b'@', b'y', 6, 1, b't', 8, 4, 2, b'p', b'r', b'v', 0, 0,
    ]);
    body.extend_from_slice(&be(&[8]));
    body.extend_from_slice(&[2, 1, b'n', 0]);
    let RtcpPacket::Sdes(s) = one(&pkt(2, 202, &body)) else {
        panic!()
    };
    let chunks: Vec<SdesChunk<'_>> = s.chunks.iter().collect();
    assert_eq!(chunks.len(), 2);
    let items: Vec<SdesItem<'_>> = chunks[0].items.iter().collect();
    assert_eq!(
        items.iter().map(|i| i.kind).collect::<Vec<_>>(),
        [SdesItem::CNAME, SdesItem::TOOL, SdesItem::PRIV]
    );
    assert_eq!(&items[0].value[..], b"x@y");
    assert_eq!(items[2].private(), Some((&b"pr"[..], &b"v"[..])));
    assert_eq!((chunks[1].ssrc, chunks[1].items.len()), (8, 1));
}

#[test]
fn bye_with_reason_and_app() {
    let mut body = be(&[5, 6]);
    body.extend_from_slice(&[4, b'c', b'i', b'a', b'o', 0, 0, 0]);
    let RtcpPacket::Bye(bye) = one(&pkt(2, 203, &body)) else {
        panic!()
    };
    assert_eq!(bye.sources.to_vec(), [5, 6]);
    assert_eq!(bye.reason.as_deref(), Some(&b"ciao"[..]));
    let RtcpPacket::Bye(bye) = one(&pkt(0, 203, &[])) else {
        panic!()
    };
    assert!(bye.sources.is_empty() && bye.reason.is_none());

    let mut body = be(&[9]);
    body.extend_from_slice(b"TEST");
    body.extend_from_slice(&[1, 2, 3, 4]);
    let RtcpPacket::App(app) = one(&pkt(3, 204, &body)) else {
        panic!()
    };
    assert_eq!(
        (app.subtype, app.ssrc, &app.name, &app.data[..]),
        (3, 9, b"TEST", &[1u8, 2, 3, 4][..])
    );
}

#[test]
fn nack_expands_pid_and_blp_and_packs_them_back() {
    let b = pkt(
        1,
        205,
        &be(&[1, 2, (100 << 16) | 0b101, (65535 << 16) | 0x8000]),
    );
    let RtcpPacket::Nack(n) = one(&b) else {
        panic!()
    };
    assert_eq!(n.lost().collect::<Vec<_>>(), [100, 101, 103, 65535, 15]);
    let rebuilt = Nack::from_lost(1, 2, &n.lost().collect::<Vec<_>>());
    assert_eq!(rebuilt, n);
    let mut out = Vec::new();
    RtcpPacket::Nack(rebuilt).write_to(&mut out).unwrap();
    assert_eq!(out, b);
}

#[test]
fn tmmbr_tmmbn_bitrates() {
    // 2_000_000 bps = 0x1e848 << 4 (mantissa 17 bits), overhead 40.
    let w = (4 << 26) | (0x1e848 << 9) | 40;
    let RtcpPacket::Tmmbr(t) = one(&pkt(3, 205, &be(&[1, 0, 0xabc, w]))) else {
        panic!()
    };
    let item = t.items.iter().next().unwrap();
    assert_eq!(
        (item.ssrc, item.bitrate(), item.overhead),
        (0xabc, 2_000_000, 40)
    );
    assert_eq!(
        rtp_codec::rtcp::TmmbItem::from_bitrate(0xabc, 2_000_000, 40),
        item
    );
    let RtcpPacket::Tmmbn(t) = one(&pkt(4, 205, &be(&[1, 0]))) else {
        panic!()
    };
    assert!(t.items.is_empty());
}

/// Transport-wide CC with a run-length chunk, a two-bit status vector, small, large and
/// negative deltas.
fn twcc_bytes() -> Vec<u8> {
    let mut body = be(&[1, 2]);
    body.extend_from_slice(&[0x00, 0x05, 0x00, 0x0a, 0x00, 0x00, 0x10, 0x03]);
    body.extend_from_slice(&[0x20, 0x03, 0xc9, 0x05]);
    body.extend_from_slice(&[4, 8, 0, 0xff, 0xfc, 12, 1, 2]);
    pkt(15, 205, &body)
}

#[test]
fn twcc_expands_chunks_and_deltas_to_arrival_times() {
    let b = twcc_bytes();
    let RtcpPacket::Twcc(t) = one(&b) else {
        panic!()
    };
    assert_eq!(
        (
            t.base_sequence,
            t.status_count,
            t.reference_time,
            t.feedback_count
        ),
        (5, 10, 16, 3)
    );
    assert_eq!(
        t.status_chunks().collect::<Vec<_>>(),
        [
            TwccChunk::RunLength { status: 1, run: 3 },
            TwccChunk::TwoBit { symbols: 0x0905 }
        ]
    );
    let got: Vec<(u16, Option<i64>)> = t
        .packets()
        .map(|p| (p.sequence_number, p.arrival_us))
        .collect();
    let base = 16 * 64_000;
    let want = [
        (5, Some(base + 1000)),
        (6, Some(base + 3000)),
        (7, Some(base + 3000)),
        (8, None),
        (9, Some(base + 2000)),
        (10, Some(base + 5000)),
        (11, None),
        (12, None),
        (13, Some(base + 5250)),
        (14, Some(base + 5750)),
    ];
    assert_eq!(got, want);
    assert_eq!(t.packets().nth(4).unwrap().status, TwccStatus::LargeDelta);
    // Rebuilt from the arrival times: the same packets come out.
    let arrivals: Vec<Option<i64>> = want.iter().map(|w| w.1).collect();
    let rebuilt = Twcc::from_arrivals(1, 2, 5, 16, 3, &arrivals).unwrap();
    let again: Vec<(u16, Option<i64>)> = rebuilt
        .packets()
        .map(|p| (p.sequence_number, p.arrival_us))
        .collect();
    assert_eq!(again, want);
    let mut out = Vec::new();
    RtcpPacket::Twcc(rebuilt).write_to(&mut out).unwrap();
    assert!(matches!(
        RtcpPacket::parse(&out).unwrap(),
        RtcpPacket::Twcc(_)
    ));
}

#[test]
fn twcc_with_rtcp_padding_as_libwebrtc_sends_it() {
    // One small-delta packet: FCI of 8 + 2 (chunk) + 1 (delta) bytes, then RTCP padding.
    let mut b = vec![0xaf, 205, 0, 6];
    b.extend_from_slice(&be(&[1, 2]));
    b.extend_from_slice(&[0, 1, 0, 1, 0, 0, 1, 0, 0x20, 0x01, 40, 0, 0, 0, 0, 5]);
    let p = one(&b);
    let RtcpPacket::Padded(padded) = &p else {
        panic!("{p:?}")
    };
    assert_eq!(&padded.padding[..], [0, 0, 0, 0, 5]);
    let RtcpPacket::Twcc(t) = &*padded.packet else {
        panic!()
    };
    assert_eq!(t.packets().map(|p| p.delta).collect::<Vec<_>>(), [Some(40)]);
}

#[test]
fn ccfb_metrics_and_report_timestamp() {
    let mut body = be(&[1, 0x5555, (100 << 16) | 3]);
    body.extend_from_slice(&[0x80 | 0x20, 0x10, 0x00, 0x00, 0xdf, 0xff, 0, 0]);
    body.extend_from_slice(&be(&[0x1234_5678]));
    let RtcpPacket::Ccfb(c) = one(&pkt(11, 205, &body)) else {
        panic!()
    };
    assert_eq!(
        (c.sender_ssrc, c.report_timestamp, c.blocks.len()),
        (1, 0x1234_5678, 1)
    );
    let block = c.blocks.iter().next().unwrap();
    assert_eq!((block.ssrc, block.begin_sequence), (0x5555, 100));
    let m: Vec<_> = block
        .metrics
        .iter()
        .map(|m| (m.received, m.ecn, m.arrival_time_offset))
        .collect();
    assert_eq!(m, [(true, 1, 0x10), (false, 0, 0), (true, 2, 0x1fff)]);
}

#[test]
fn payload_specific_feedback() {
    let RtcpPacket::Pli(p) = one(&pkt(1, 206, &be(&[1, 2]))) else {
        panic!()
    };
    assert_eq!((p.sender_ssrc, p.media_ssrc), (1, 2));
    let RtcpPacket::Sli(s) = one(&pkt(2, 206, &be(&[1, 2, (1 << 19) | (2 << 6) | 3]))) else {
        panic!()
    };
    let i = s.items.iter().next().unwrap();
    assert_eq!((i.first, i.number, i.picture_id), (1, 2, 3));
    let mut body = be(&[1, 2]);
    body.extend_from_slice(&[8, 96, 0xab, 0x00]);
    let RtcpPacket::Rpsi(r) = one(&pkt(3, 206, &body)) else {
        panic!()
    };
    assert_eq!(
        (r.padding_bits, r.payload_type, r.bit_len(), &r.bits[..]),
        (8, 96, 8, &[0xab, 0][..])
    );
    let RtcpPacket::Fir(f) = one(&pkt(4, 206, &be(&[1, 0, 7, 5 << 24, 8, 6 << 24]))) else {
        panic!()
    };
    assert_eq!(
        f.entries
            .iter()
            .map(|e| (e.ssrc, e.sequence_number))
            .collect::<Vec<_>>(),
        [(7, 5), (8, 6)]
    );
    // REMB: 1_000_000 bps = 250_000 << 2.
    let mut body = be(&[1, 0]);
    body.extend_from_slice(b"REMB");
    body.extend_from_slice(&be(&[(1 << 24) | (2 << 18) | 250_000, 0x1234_5678]));
    let RtcpPacket::Remb(r) = one(&pkt(15, 206, &body)) else {
        panic!()
    };
    assert_eq!(
        (r.bitrate(), r.ssrcs.to_vec()),
        (1_000_000, vec![0x1234_5678])
    );
    assert_eq!(
        rtp_codec::rtcp::Remb::new(1, 1_000_000, vec![0x1234_5678]),
        r
    );
    let mut body = be(&[1, 0]);
    body.extend_from_slice(b"GOOG1234");
    let RtcpPacket::Afb(a) = one(&pkt(15, 206, &body)) else {
        panic!()
    };
    assert_eq!(&a.data[..], b"GOOG1234");
}

#[test]
fn xr_rrtr_dlrr_typed_other_blocks_raw() {
    let mut body = be(&[9]);
    body.extend_from_slice(&be(&[(4 << 24) | 2, 0xe000_0001, 0x8000_0000]));
    body.extend_from_slice(&be(&[(5 << 24) | 3, 0x77, 0x1234_5678, 0x10000]));
    body.extend_from_slice(&be(&[(42 << 24) | (7 << 16) | 1, 0xdead_beef]));
    body.extend_from_slice(&be(&[(4 << 24) | (1 << 16) | 2, 0, 0])); // reserved bits set: raw
    let RtcpPacket::Xr(x) = one(&pkt(0, 207, &body)) else {
        panic!()
    };
    let blocks: Vec<XrBlock<'_>> = x.blocks.iter().collect();
    assert_eq!(blocks.len(), 4);
    assert_eq!(
        blocks[0],
        XrBlock::Rrtr {
            ntp_timestamp: 0xe000_0001_8000_0000
        }
    );
    let XrBlock::Dlrr { items } = &blocks[1] else {
        panic!()
    };
    let d = items.iter().next().unwrap();
    assert_eq!(
        (d.ssrc, d.last_rr, d.delay_since_last_rr),
        (0x77, 0x1234_5678, 0x10000)
    );
    assert!(
        matches!(&blocks[2], XrBlock::Other { block_type: 42, type_specific: 7, data } if data[..] == [0xde, 0xad, 0xbe, 0xef])
    );
    assert!(matches!(
        &blocks[3],
        XrBlock::Other {
            block_type: 4,
            type_specific: 1,
            ..
        }
    ));
}

#[test]
fn unknown_types_and_formats_are_kept_raw() {
    for (count, pt) in [(5, 210), (7, 205), (9, 206), (31, 195)] {
        let b = pkt(count, pt, &be(&[1, 2, 3]));
        let RtcpPacket::Raw(r) = one(&b) else {
            panic!()
        };
        assert_eq!(
            (r.count, r.packet_type, r.padding, r.body.len()),
            (count, pt, false, 12)
        );
    }
    // Padded unknown packet: kept whole.
    let b = [0xa1, 210, 0, 1, 1, 2, 0, 2];
    let RtcpPacket::Raw(r) = one(&b) else {
        panic!()
    };
    assert!(r.padding);
}

#[test]
fn compound_and_reduced_size_iteration() {
    let rr = pkt(0, 201, &be(&[1]));
    let sdes = {
        let mut o = Vec::new();
        RtcpPacket::Sdes(Sdes::cname(1, b"cname"))
            .write_to(&mut o)
            .unwrap();
        o
    };
    let pli = pkt(1, 206, &be(&[1, 2]));
    let compound = [rr.clone(), sdes, pli.clone()].concat();
    Compound::check_rfc3550(&compound).unwrap();
    let names: Vec<_> = Compound::new(&compound)
        .map(|p| p.unwrap().name())
        .collect();
    assert_eq!(names, [Some("rr"), Some("sdes"), Some("pli")]);
    // RFC 5506 reduced size: a lone PLI iterates, but is not an RFC 3550 compound packet.
    assert_eq!(Compound::new(&pli).count(), 1);
    assert_eq!(
        Compound::check_rfc3550(&pli),
        Err(RtpError::Invalid {
            what: "first packet type (not sr or rr)",
            offset: 1
        })
    );
    // Padding only on the last packet.
    let padded_rr = [0xa0, 201, 0, 2, 0, 0, 0, 1, 0, 0, 0, 4];
    let bad = [&padded_rr[..], &pli].concat();
    assert_eq!(
        Compound::check_rfc3550(&bad),
        Err(RtpError::Invalid {
            what: "padding bit before the last packet",
            offset: 0
        })
    );
    let good = [&rr[..], &padded_rr].concat();
    Compound::check_rfc3550(&good).unwrap();
    let parsed: Vec<_> = Compound::new(&good).collect::<Result<_, _>>().unwrap();
    let mut out = Vec::new();
    write_compound(&parsed, &mut out).unwrap();
    assert_eq!(out, good);
}

#[test]
fn a_bad_body_is_reported_and_iteration_continues() {
    let bad_pli = pkt(1, 206, &be(&[1, 2, 3]));
    let rr = pkt(0, 201, &be(&[1]));
    let data = [bad_pli, rr].concat();
    let items: Vec<_> = Compound::new(&data).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0],
        Err(RtpError::TrailingBytes {
            what: "pli",
            offset: 12,
            extra: 4
        })
    );
    assert!(matches!(items[1], Ok(RtcpPacket::Rr(_))));
}

#[test]
fn malformed_packets_fail_with_exact_error_and_offset() {
    let rr = pkt(0, 201, &be(&[1]));
    let with_rr = |b: Vec<u8>| [rr.clone(), b].concat();
    let padded = |count: u8, pt: u8, body: &[u8], pad: u8| {
        let mut b = pkt(count, pt, body);
        b[0] |= 0x20;
        *b.last_mut().unwrap() = pad;
        b
    };
    let cases: Vec<(Vec<u8>, RtpError)> = vec![
        (
            vec![0x80, 201, 0],
            RtpError::Truncated {
                what: "rtcp header",
                offset: 0,
                needed: 4,
                available: 3,
            },
        ),
        (
            vec![0x40, 201, 0, 0],
            RtpError::BadVersion {
                offset: 0,
                version: 1,
            },
        ),
        (
            vec![0x80, 201, 0, 2, 0, 0, 0, 1],
            RtpError::Truncated {
                what: "rtcp packet",
                offset: 0,
                needed: 12,
                available: 8,
            },
        ),
        (
            with_rr(vec![0x80, 200, 0, 2, 0, 0, 0, 1]),
            RtpError::Truncated {
                what: "rtcp packet",
                offset: 8,
                needed: 12,
                available: 8,
            },
        ),
        (
            with_rr(vec![0x80, 201]),
            RtpError::Truncated {
                what: "rtcp header",
                offset: 8,
                needed: 4,
                available: 2,
            },
        ),
        (
            padded(0, 201, &be(&[1, 0]), 0),
            RtpError::BadPadding {
                offset: 11,
                count: 0,
            },
        ),
        (
            padded(0, 201, &be(&[1, 0]), 9),
            RtpError::BadPadding {
                offset: 11,
                count: 9,
            },
        ),
        (
            pkt(0, 200, &be(&[1, 2, 3, 4])),
            RtpError::Truncated {
                what: "sender info",
                offset: 4,
                needed: 24,
                available: 16,
            },
        ),
        (
            pkt(1, 200, &be(&[1, 2, 3, 4, 5, 6])),
            RtpError::Truncated {
                what: "report blocks",
                offset: 28,
                needed: 24,
                available: 0,
            },
        ),
        (
            with_rr(pkt(2, 201, &be(&[1, 0, 0, 0, 0, 0, 0]))),
            RtpError::Truncated {
                what: "report blocks",
                offset: 16,
                needed: 48,
                available: 24,
            },
        ),
        (
            pkt(1, 202, &[0, 0, 0, 1, 1, 2, b'a', b'b']),
            RtpError::Truncated {
                what: "sdes item",
                offset: 12,
                needed: 1,
                available: 0,
            },
        ),
        (
            pkt(1, 202, &[0, 0, 0, 1, 1, 0, 0, 7]),
            RtpError::Invalid {
                what: "sdes chunk padding",
                offset: 11,
            },
        ),
        (
            pkt(1, 202, &[0, 0, 0, 1, 1, 9, b'a', 0]),
            RtpError::Truncated {
                what: "sdes item",
                offset: 8,
                needed: 11,
                available: 4,
            },
        ),
        (
            pkt(1, 202, &[0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]),
            RtpError::TrailingBytes {
                what: "sdes packet",
                offset: 12,
                extra: 4,
            },
        ),
        (
            pkt(2, 203, &be(&[1])),
            RtpError::Truncated {
                what: "bye sources",
                offset: 4,
                needed: 8,
                available: 4,
            },
        ),
        (
            pkt(1, 203, &[0, 0, 0, 1, 9, b'b', b'y', b'e']),
            RtpError::Truncated {
                what: "bye reason",
                offset: 8,
                needed: 10,
                available: 4,
            },
        ),
        (
            pkt(1, 203, &[0, 0, 0, 1, 2, b'o', b'k', 1]),
            RtpError::Invalid {
                what: "bye reason padding",
                offset: 11,
            },
        ),
        (
            pkt(0, 204, &be(&[1])),
            RtpError::Truncated {
                what: "app header",
                offset: 4,
                needed: 8,
                available: 4,
            },
        ),
        (
            pkt(1, 205, &be(&[1])),
            RtpError::Truncated {
                what: "feedback header",
                offset: 4,
                needed: 8,
                available: 4,
            },
        ),
        (
            padded(1, 205, &be(&[1, 2, 3, 0x0000_0002]), 2),
            RtpError::Truncated {
                what: "nack fci",
                offset: 16,
                needed: 4,
                available: 2,
            },
        ),
        (
            pkt(1, 206, &be(&[1, 2, 3])),
            RtpError::TrailingBytes {
                what: "pli",
                offset: 12,
                extra: 4,
            },
        ),
        (
            pkt(4, 206, &be(&[1, 2, 3])),
            RtpError::Truncated {
                what: "fir fci",
                offset: 12,
                needed: 8,
                available: 4,
            },
        ),
        (
            pkt(3, 206, &be(&[1, 2, 0x20c0_0000])),
            RtpError::Invalid {
                what: "rpsi padding bit count",
                offset: 12,
            },
        ),
        (
            pkt(
                15,
                206,
                &[&be(&[1, 0])[..], b"REMB", &be(&[2 << 24, 5])[..]].concat(),
            ),
            RtpError::Truncated {
                what: "remb ssrcs",
                offset: 20,
                needed: 8,
                available: 4,
            },
        ),
        (
            pkt(15, 205, &be(&[1, 2, 5])),
            RtpError::Truncated {
                what: "twcc fci header",
                offset: 12,
                needed: 8,
                available: 4,
            },
        ),
        (
            pkt(15, 205, &be(&[1, 2, 2, 0, 0x6001_0000])),
            RtpError::Invalid {
                what: "twcc reserved status symbol",
                offset: 20,
            },
        ),
        (
            pkt(15, 205, &be(&[1, 2, 2, 0, 0x0000_0000])),
            RtpError::Invalid {
                what: "twcc run length 0",
                offset: 20,
            },
        ),
        (
            pkt(15, 205, &be(&[1, 2, 3, 0, 0x2003_0102])),
            RtpError::Truncated {
                what: "twcc receive deltas",
                offset: 22,
                needed: 3,
                available: 2,
            },
        ),
        (
            pkt(15, 205, &be(&[1, 2, 1, 0, 0x2001_0500, 1])),
            RtpError::TrailingBytes {
                what: "twcc feedback",
                offset: 23,
                extra: 5,
            },
        ),
        (
            pkt(11, 205, &be(&[1, 2, 3])),
            RtpError::Truncated {
                what: "ccfb report block",
                offset: 8,
                needed: 16,
                available: 8,
            },
        ),
        (
            pkt(11, 205, &be(&[1, 2, 2, 3])),
            RtpError::Truncated {
                what: "ccfb report timestamp",
                offset: 20,
                needed: 4,
                available: 0,
            },
        ),
        (
            pkt(11, 205, &be(&[1, 2, 1, 0x8000_0001, 9])),
            RtpError::Invalid {
                what: "ccfb metric padding",
                offset: 18,
            },
        ),
        (
            pkt(0, 207, &be(&[1, 0x0400_0002, 0])),
            RtpError::Truncated {
                what: "xr block",
                offset: 8,
                needed: 12,
                available: 8,
            },
        ),
    ];
    for (bytes, err) in cases {
        let got: Vec<_> = Compound::new(&bytes).filter_map(Result::err).collect();
        assert_eq!(got, [err], "{bytes:02x?}");
    }
}

/// `packet_name` from the header agrees with the parsed packet's name, and the SSRC
/// accessors read the fields RFC 3550 and RFC 4585 put first.
#[test]
fn names_and_ssrc_accessors() {
    use rtp_codec::rtcp::{
        fmt, packet_name, packet_type, Bye, Fir, FirEntry, Nack, Pli, RtcpPacket, Sdes,
        SenderReport,
    };
    let packets = [
        RtcpPacket::Sr(SenderReport {
            ssrc: 11,
            ..Default::default()
        }),
        RtcpPacket::Sdes(Sdes::cname(12, b"c")),
        RtcpPacket::Nack(Nack::from_lost(13, 14, &[1, 2])),
        RtcpPacket::Pli(Pli {
            sender_ssrc: 15,
            media_ssrc: 16,
        }),
        RtcpPacket::Fir(Fir {
            sender_ssrc: 17,
            media_ssrc: 0,
            entries: vec![FirEntry {
                ssrc: 18,
                sequence_number: 1,
            }]
            .into(),
        }),
        RtcpPacket::Bye(Bye {
            sources: vec![19, 20].into(),
            reason: None,
        }),
    ];
    let expect = [
        (Some(11), None),
        (Some(12), None),
        (Some(13), Some(14)),
        (Some(15), Some(16)),
        (Some(17), Some(0)),
        (Some(19), None),
    ];
    for (p, (sender, media)) in packets.iter().zip(expect) {
        let mut buf = Vec::new();
        p.write_to(&mut buf).unwrap();
        let parsed = RtcpPacket::parse(&buf).unwrap();
        assert_eq!(parsed.sender_ssrc(), sender, "{p:?}");
        assert_eq!(parsed.media_ssrc(), media, "{p:?}");
        assert_eq!(packet_name(buf[1], buf[0] & 0x1f), parsed.name(), "{p:?}");
    }
    assert_eq!(packet_name(packet_type::RTPFB, fmt::TWCC), Some("twcc"));
    assert_eq!(packet_name(packet_type::PSFB, fmt::AFB), Some("afb"));
    assert_eq!(packet_name(packet_type::RTPFB, 2), None);
    assert_eq!(packet_name(199, 0), None);
    assert_eq!(RtcpPacket::Bye(Bye::default()).sender_ssrc(), None);
}
