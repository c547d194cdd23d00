//! Property tests: every typed RTCP packet and RTP packets with arbitrary extensions survive
//! write → parse unchanged, and parsed bytes are written back unchanged.

use proptest::collection::vec;
use proptest::prelude::*;
use rtp_codec::rtcp::*;
use rtp_codec::{ExtensionElement, ExtensionForm, Padding, RtpPacket, RtpPacketBuilder};
use std::borrow::Cow;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..max)
}

/// Bytes whose length is a multiple of 4.
fn words(max_words: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<[u8; 4]>(), 0..max_words).prop_map(|w| w.concat())
}

fn report_block() -> impl Strategy<Value = ReportBlock> {
    (
        any::<u32>(),
        any::<u8>(),
        -0x80_0000i32..0x80_0000,
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(
            |(
                ssrc,
                fraction_lost,
                cumulative_lost,
                highest_sequence,
                jitter,
                last_sr,
                delay_since_last_sr,
            )| ReportBlock {
                ssrc,
                fraction_lost,
                cumulative_lost,
                highest_sequence,
                jitter,
                last_sr,
                delay_since_last_sr,
            },
        )
}

fn sdes_chunk() -> impl Strategy<Value = SdesChunk<'static>> {
    (any::<u32>(), vec((1u8..=255, bytes(40)), 0..5)).prop_map(|(ssrc, items)| SdesChunk {
        ssrc,
        items: List::Owned(
            items
                .into_iter()
                .map(|(k, v)| SdesItem {
                    kind: k,
                    value: Cow::Owned(v),
                })
                .collect(),
        ),
    })
}

fn ccfb_block() -> impl Strategy<Value = CcfbBlock<'static>> {
    (
        any::<u32>(),
        any::<u16>(),
        vec((any::<bool>(), 0u8..4, 0u16..0x2000), 0..9),
    )
        .prop_map(|(ssrc, begin, m)| CcfbBlock {
            ssrc,
            begin_sequence: begin,
            metrics: List::Owned(
                m.into_iter()
                    .map(|(received, ecn, ato)| CcfbMetric {
                        received,
                        ecn,
                        arrival_time_offset: ato,
                    })
                    .collect(),
            ),
        })
}

fn xr_block() -> impl Strategy<Value = XrBlock<'static>> {
    prop_oneof![
        any::<u64>().prop_map(|ntp_timestamp| XrBlock::Rrtr { ntp_timestamp }),
        vec((any::<u32>(), any::<u32>(), any::<u32>()), 0..4).prop_map(|d| XrBlock::Dlrr {
            items: List::Owned(
                d.into_iter()
                    .map(|(ssrc, last_rr, delay_since_last_rr)| DlrrItem {
                        ssrc,
                        last_rr,
                        delay_since_last_rr
                    })
                    .collect()
            )
        }),
        // Types 4 and 5 with type-specific 0 decode as RRTR/DLRR; keep raw blocks elsewhere.
        (6u8..=255, any::<u8>(), words(4)).prop_map(|(block_type, type_specific, d)| {
            XrBlock::Other {
                block_type,
                type_specific,
                data: Cow::Owned(d),
            }
        }),
    ]
}

fn twcc() -> impl Strategy<Value = Twcc<'static>> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u16>(),
        -0x80_0000i32..0x80_0000,
        any::<u8>(),
        vec(proptest::option::of(-2_000_000i64..2_000_000), 0..200),
    )
        .prop_map(|(s, m, base, rt, fb, mut arr)| {
            // Arrival times relative to the reference time.
            for a in arr.iter_mut().flatten() {
                *a += i64::from(rt) * 64_000;
            }
            Twcc::from_arrivals(s, m, base, rt, fb, &arr).unwrap()
        })
}

fn packet() -> impl Strategy<Value = RtcpPacket<'static>> {
    let fb = (any::<u32>(), any::<u32>());
    prop_oneof![
        (
            any::<u32>(),
            any::<u64>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            vec(report_block(), 0..32),
            words(3)
        )
            .prop_map(
                |(ssrc, ntp_timestamp, rtp_timestamp, packet_count, octet_count, r, ext)| {
                    RtcpPacket::Sr(SenderReport {
                        ssrc,
                        ntp_timestamp,
                        rtp_timestamp,
                        packet_count,
                        octet_count,
                        reports: List::Owned(r),
                        profile_extension: Cow::Owned(ext),
                    })
                }
            ),
        (any::<u32>(), vec(report_block(), 0..32), words(3)).prop_map(|(ssrc, r, ext)| {
            RtcpPacket::Rr(ReceiverReport {
                ssrc,
                reports: List::Owned(r),
                profile_extension: Cow::Owned(ext),
            })
        }),
        vec(sdes_chunk(), 0..32).prop_map(|c| RtcpPacket::Sdes(Sdes {
            chunks: List::Owned(c)
        })),
        (vec(any::<u32>(), 0..32), proptest::option::of(bytes(256))).prop_map(|(s, r)| {
            RtcpPacket::Bye(Bye {
                sources: List::Owned(s),
                reason: r.map(Cow::Owned),
            })
        }),
        (0u8..32, any::<u32>(), any::<[u8; 4]>(), words(5)).prop_map(|(subtype, ssrc, name, d)| {
            RtcpPacket::App(App {
                subtype,
                ssrc,
                name,
                data: Cow::Owned(d),
            })
        }),
        (fb, vec(any::<(u16, u16)>(), 0..10)).prop_map(|((s, m), p)| RtcpPacket::Nack(Nack {
            sender_ssrc: s,
            media_ssrc: m,
            pairs: List::Owned(
                p.into_iter()
                    .map(|(pid, blp)| NackPair { pid, blp })
                    .collect()
            )
        })),
        (
            fb,
            vec((any::<u32>(), 0u8..64, 0u32..0x20000, 0u16..0x200), 0..5)
        )
            .prop_map(|((s, m), i)| {
                let items = List::Owned(
                    i.into_iter()
                        .map(|(ssrc, exp, mantissa, overhead)| TmmbItem {
                            ssrc,
                            exp,
                            mantissa,
                            overhead,
                        })
                        .collect(),
                );
                RtcpPacket::Tmmbr(Tmmbr {
                    sender_ssrc: s,
                    media_ssrc: m,
                    items,
                })
            }),
        (
            fb,
            vec((any::<u32>(), 0u8..64, 0u32..0x20000, 0u16..0x200), 0..5)
        )
            .prop_map(|((s, m), i)| {
                let items = List::Owned(
                    i.into_iter()
                        .map(|(ssrc, exp, mantissa, overhead)| TmmbItem {
                            ssrc,
                            exp,
                            mantissa,
                            overhead,
                        })
                        .collect(),
                );
                RtcpPacket::Tmmbn(Tmmbn {
                    sender_ssrc: s,
                    media_ssrc: m,
                    items,
                })
            }),
        twcc().prop_map(RtcpPacket::Twcc),
        (any::<u32>(), vec(ccfb_block(), 0..4), any::<u32>()).prop_map(|(s, b, ts)| {
            RtcpPacket::Ccfb(Ccfb {
                sender_ssrc: s,
                blocks: List::Owned(b),
                report_timestamp: ts,
            })
        }),
        fb.prop_map(|(s, m)| RtcpPacket::Pli(Pli {
            sender_ssrc: s,
            media_ssrc: m
        })),
        (fb, vec((0u16..0x2000, 0u16..0x2000, 0u8..64), 0..5)).prop_map(|((s, m), i)| {
            RtcpPacket::Sli(Sli {
                sender_ssrc: s,
                media_ssrc: m,
                items: List::Owned(
                    i.into_iter()
                        .map(|(first, number, picture_id)| SliItem {
                            first,
                            number,
                            picture_id,
                        })
                        .collect(),
                ),
            })
        }),
        (fb, 0u8..128, 0usize..4)
            .prop_flat_map(|((s, m), pt, n)| (
                Just((s, m, pt)),
                vec(any::<u8>(), 4 * n + 2),
                0..=(8 * (4 * n + 2)) as u8
            ))
            .prop_filter("padding bits fit", |(_, b, pb)| usize::from(*pb)
                <= b.len() * 8)
            .prop_map(|((s, m, pt), b, pb)| RtcpPacket::Rpsi(Rpsi {
                sender_ssrc: s,
                media_ssrc: m,
                padding_bits: pb,
                payload_type: pt,
                bits: Cow::Owned(b)
            })),
        (fb, vec((any::<u32>(), any::<u8>()), 0..5)).prop_map(|((s, m), e)| RtcpPacket::Fir(Fir {
            sender_ssrc: s,
            media_ssrc: m,
            entries: List::Owned(
                e.into_iter()
                    .map(|(ssrc, sequence_number)| FirEntry {
                        ssrc,
                        sequence_number
                    })
                    .collect()
            )
        })),
        (fb, 0u8..64, 0u32..0x40000, vec(any::<u32>(), 0..10)).prop_map(
            |((s, m), exp, mantissa, ssrcs)| RtcpPacket::Remb(Remb {
                sender_ssrc: s,
                media_ssrc: m,
                exp,
                mantissa,
                ssrcs: List::Owned(ssrcs)
            })
        ),
        (fb, words(4))
            .prop_filter("not REMB", |(_, d)| !d.starts_with(b"REMB"))
            .prop_map(|((s, m), d)| RtcpPacket::Afb(Afb {
                sender_ssrc: s,
                media_ssrc: m,
                data: Cow::Owned(d)
            })),
        (0u8..32, any::<u32>(), vec(xr_block(), 0..5)).prop_map(|(reserved, ssrc, b)| {
            RtcpPacket::Xr(Xr {
                reserved,
                ssrc,
                blocks: List::Owned(b),
            })
        }),
        (0u8..32, prop_oneof![0u8..=199, 208u8..=255], words(5)).prop_map(|(count, pt, body)| {
            RtcpPacket::Raw(RawPacket {
                count,
                packet_type: pt,
                padding: false,
                body: Cow::Owned(body),
            })
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_typed_rtcp_packet_round_trips(packets in vec(packet(), 1..4)) {
        let mut buf = Vec::new();
        write_compound(&packets, &mut buf).unwrap();
        let parsed: Vec<RtcpPacket<'_>> = Compound::new(&buf).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(&parsed, &packets);
        let mut again = Vec::new();
        write_compound(&parsed, &mut again).unwrap();
        prop_assert_eq!(&again, &buf);
        // An owned copy outlives the buffer and still equals the packets.
        let owned: Vec<RtcpPacket<'static>> = parsed.into_iter().map(RtcpPacket::into_owned).collect();
        drop(buf);
        prop_assert_eq!(owned, packets);
    }

    #[test]
    fn padded_rtcp_packets_round_trip(p in packet(), pad in 1u8..=3) {
        // Padding in whole words: 4 * pad octets, the last being the count.
        let n = 4 * pad;
        let mut padding = vec![0; usize::from(n)];
        padding[usize::from(n) - 1] = n;
        let wrapped = RtcpPacket::Padded(Padded { packet: Box::new(p.clone()), padding: Cow::Owned(padding) });
        let mut buf = Vec::new();
        wrapped.write_to(&mut buf).unwrap();
        let parsed = RtcpPacket::parse(&buf).unwrap();
        match &p {
            RtcpPacket::Raw(r) => {
                // Raw packets keep their padding inside the body.
                let RtcpPacket::Raw(back) = &parsed else { panic!("{parsed:?}") };
                prop_assert!(back.padding);
                prop_assert_eq!(&back.body[..r.body.len()], &r.body[..]);
            }
            _ => prop_assert_eq!(&parsed, &wrapped),
        }
        let mut again = Vec::new();
        parsed.write_to(&mut again).unwrap();
        prop_assert_eq!(again, buf);
    }

    #[test]
    fn twcc_arrival_times_survive_to_250_us(
        base in any::<u16>(),
        rt in -1000i32..1000,
        arr in vec(proptest::option::of(0i64..8_000_000), 1..300),
    ) {
        let arrivals: Vec<Option<i64>> = arr.iter().map(|a| a.map(|a| a + i64::from(rt) * 64_000)).collect();
        let t = Twcc::from_arrivals(1, 2, base, rt, 0, &arrivals).unwrap();
        let got: Vec<TwccPacket> = t.packets().collect();
        prop_assert_eq!(got.len(), arrivals.len());
        for (i, (p, a)) in got.iter().zip(&arrivals).enumerate() {
            prop_assert_eq!(p.sequence_number, base.wrapping_add(i as u16));
            match (a, p.arrival_us) {
                (None, None) => {}
                (Some(a), Some(b)) => prop_assert!((a - b).abs() <= 125, "{} vs {}", a, b),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn nack_lost_list_round_trips(start in any::<u16>(), gaps in vec(1u16..40, 0..60)) {
        let mut lost = vec![start];
        for g in gaps {
            let next = lost.last().unwrap().wrapping_add(g);
            lost.push(next);
        }
        let n = Nack::from_lost(1, 2, &lost);
        prop_assert_eq!(n.lost().collect::<Vec<_>>(), lost);
    }

    #[test]
    fn rtp_with_arbitrary_extensions_round_trips(
        pt in 0u8..128,
        seq in any::<u16>(),
        ts in any::<u32>(),
        ssrc in any::<u32>(),
        marker in any::<bool>(),
        csrcs in vec(any::<u32>(), 0..16),
        els in vec((1u8..=255, bytes(40)), 0..8),
        form in prop_oneof![Just(ExtensionForm::Auto), Just(ExtensionForm::OneByte), Just(ExtensionForm::TwoByte)],
        payload in bytes(300),
        pad in 0u8..8,
    ) {
        let elements: Vec<ExtensionElement<'_>> = els.iter().map(|(id, d)| ExtensionElement { id: *id, data: d }).collect();
        let fits_one = elements.iter().all(|e| e.id <= 14 && (1..=16).contains(&e.data.len()));
        let b = RtpPacketBuilder::new(pt, seq, ts, ssrc)
            .with_marker(marker)
            .with_csrcs(&csrcs).unwrap()
            .with_extensions(form, &elements)
            .with_payload(&payload)
            .with_padding(if pad == 0 { Padding::None } else { Padding::Zeros(pad) });
        let mut buf = Vec::new();
        match b.write_to(&mut buf) {
            Err(_) => {
                prop_assert!(form == ExtensionForm::OneByte && !fits_one);
                return Ok(());
            }
            Ok(n) => prop_assert_eq!(n, buf.len()),
        }
        let p = RtpPacket::parse(&buf).unwrap();
        prop_assert_eq!((p.payload_type(), p.sequence_number(), p.timestamp(), p.ssrc(), p.marker()), (pt, seq, ts, ssrc, marker));
        prop_assert_eq!(p.csrcs().collect::<Vec<_>>(), csrcs);
        prop_assert_eq!(p.payload(), &payload[..]);
        prop_assert_eq!(p.padding().len(), usize::from(pad));
        let two = form == ExtensionForm::TwoByte || (form == ExtensionForm::Auto && !fits_one);
        prop_assert_eq!(p.extension_profile(), Some(if two { 0x1000 } else { 0xbede }));
        let back: Vec<ExtensionElement<'_>> = p.extensions().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(back, elements);
        let mut again = Vec::new();
        p.to_builder().write_to(&mut again).unwrap();
        prop_assert_eq!(again, buf);
    }

    #[test]
    fn any_parsable_rtp_is_written_back_byte_for_byte(data in bytes(200)) {
        if let Ok(p) = RtpPacket::parse(&data) {
            let mut out = Vec::new();
            p.to_builder().write_to(&mut out).unwrap();
            prop_assert_eq!(out, data);
        }
    }

    #[test]
    fn any_parsable_rtcp_is_written_back_byte_for_byte(data in bytes(200)) {
        let mut data = data;
        if let Some(b) = data.first_mut() {
            *b = 0x80 | (*b & 0x3f);
        }
        let parsed: Result<Vec<RtcpPacket<'_>>, _> = Compound::new(&data).collect();
        if let Ok(packets) = parsed {
            let mut out = Vec::new();
            write_compound(&packets, &mut out).unwrap();
            prop_assert_eq!(out, data);
        }
    }
}

/// The typed oracle of in-place SSRC rewriting: the same packet, rebuilt as values, with
/// every SSRC field that `RtcpPacketMut::rewrite_ssrcs` visits passed through `f` (XR keeps
/// its blocks, whose SSRCs are not visited).
fn map_ssrcs(p: &RtcpPacket<'_>, f: &impl Fn(u32) -> u32) -> RtcpPacket<'static> {
    let p = p.clone().into_owned();
    match p {
        RtcpPacket::Sr(mut x) => {
            x.ssrc = f(x.ssrc);
            x.reports = List::Owned(
                x.reports
                    .iter()
                    .map(|mut r| {
                        r.ssrc = f(r.ssrc);
                        r
                    })
                    .collect(),
            );
            RtcpPacket::Sr(x)
        }
        RtcpPacket::Rr(mut x) => {
            x.ssrc = f(x.ssrc);
            x.reports = List::Owned(
                x.reports
                    .iter()
                    .map(|mut r| {
                        r.ssrc = f(r.ssrc);
                        r
                    })
                    .collect(),
            );
            RtcpPacket::Rr(x)
        }
        RtcpPacket::Sdes(mut x) => {
            x.chunks = List::Owned(
                x.chunks
                    .iter()
                    .map(|mut c| {
                        c.ssrc = f(c.ssrc);
                        c
                    })
                    .collect(),
            );
            RtcpPacket::Sdes(x)
        }
        RtcpPacket::Bye(mut x) => {
            x.sources = List::Owned(x.sources.iter().map(f).collect());
            RtcpPacket::Bye(x)
        }
        RtcpPacket::App(mut x) => {
            x.ssrc = f(x.ssrc);
            RtcpPacket::App(x)
        }
        RtcpPacket::Xr(mut x) => {
            x.ssrc = f(x.ssrc);
            RtcpPacket::Xr(x)
        }
        RtcpPacket::Nack(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Nack(x)
        }
        RtcpPacket::Twcc(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Twcc(x)
        }
        RtcpPacket::Pli(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Pli(x)
        }
        RtcpPacket::Sli(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Sli(x)
        }
        RtcpPacket::Rpsi(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Rpsi(x)
        }
        RtcpPacket::Afb(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            RtcpPacket::Afb(x)
        }
        RtcpPacket::Tmmbr(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            x.items = List::Owned(
                x.items
                    .iter()
                    .map(|mut i| {
                        i.ssrc = f(i.ssrc);
                        i
                    })
                    .collect(),
            );
            RtcpPacket::Tmmbr(x)
        }
        RtcpPacket::Tmmbn(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            x.items = List::Owned(
                x.items
                    .iter()
                    .map(|mut i| {
                        i.ssrc = f(i.ssrc);
                        i
                    })
                    .collect(),
            );
            RtcpPacket::Tmmbn(x)
        }
        RtcpPacket::Fir(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            x.entries = List::Owned(
                x.entries
                    .iter()
                    .map(|mut e| {
                        e.ssrc = f(e.ssrc);
                        e
                    })
                    .collect(),
            );
            RtcpPacket::Fir(x)
        }
        RtcpPacket::Remb(mut x) => {
            (x.sender_ssrc, x.media_ssrc) = (f(x.sender_ssrc), f(x.media_ssrc));
            x.ssrcs = List::Owned(x.ssrcs.iter().map(f).collect());
            RtcpPacket::Remb(x)
        }
        RtcpPacket::Ccfb(mut x) => {
            x.sender_ssrc = f(x.sender_ssrc);
            x.blocks = List::Owned(
                x.blocks
                    .iter()
                    .map(|mut b| {
                        b.ssrc = f(b.ssrc);
                        b
                    })
                    .collect(),
            );
            RtcpPacket::Ccfb(x)
        }
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Rewriting every SSRC field in place gives the bytes the writer gives for the packets
    /// rebuilt with the new SSRCs, and nothing else changes.
    #[test]
    fn rtcp_ssrcs_rewritten_in_place_match_the_rebuilt_packets(
        packets in vec(packet(), 1..4),
        key in any::<u32>(),
    ) {
        let mut buf = Vec::new();
        write_compound(&packets, &mut buf).unwrap();
        let len = buf.len();
        for p in CompoundMut::new(&mut buf) {
            p.unwrap().rewrite_ssrcs(|_, v| Some(v ^ key));
        }
        let expected: Vec<RtcpPacket<'static>> =
            packets.iter().map(|p| map_ssrcs(p, &|v| v ^ key)).collect();
        let mut want = Vec::new();
        write_compound(&expected, &mut want).unwrap();
        prop_assert_eq!(buf.len(), len);
        prop_assert_eq!(&buf, &want);
        // Rewriting back restores the input: the visit touches SSRCs only.
        for p in CompoundMut::new(&mut buf) {
            p.unwrap().rewrite_ssrcs(|_, v| Some(v ^ key));
        }
        let mut orig = Vec::new();
        write_compound(&packets, &mut orig).unwrap();
        prop_assert_eq!(&buf, &orig);
    }

    /// Any bytes: `CompoundMut` hands out exactly the packets `Compound` parses, and a
    /// rewrite that keeps every value leaves the bytes unchanged.
    #[test]
    fn compound_mut_agrees_with_compound_on_any_bytes(data in bytes(200)) {
        let mut buf = data.clone();
        let reads: Vec<bool> = Compound::new(&data).map(|r| r.is_ok()).collect();
        let writes: Vec<bool> = CompoundMut::new(&mut buf)
            .map(|r| r.map(|mut p| p.rewrite_ssrcs(|_, v| Some(v))).is_ok())
            .collect();
        prop_assert_eq!(reads, writes);
        prop_assert_eq!(buf, data);
    }
}

#[test]
fn rtcp_setters_name_the_fields() {
    let packets = [
        RtcpPacket::Rr(ReceiverReport {
            ssrc: 1,
            reports: List::Owned(vec![ReportBlock {
                ssrc: 2,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        RtcpPacket::Pli(Pli {
            sender_ssrc: 3,
            media_ssrc: 4,
        }),
        RtcpPacket::Sdes(Sdes::cname(5, b"x")),
    ];
    let mut buf = Vec::new();
    write_compound(&packets, &mut buf).unwrap();
    let mut it = CompoundMut::new(&mut buf);
    let mut rr = it.next().unwrap().unwrap();
    assert!(rr.set_sender_ssrc(10) && rr.set_report_block_ssrc(0, 20));
    assert!(!rr.set_report_block_ssrc(1, 21) && !rr.set_media_ssrc(1));
    let mut pli = it.next().unwrap().unwrap();
    assert!(pli.set_sender_ssrc(30) && pli.set_media_ssrc(40));
    let mut sdes = it.next().unwrap().unwrap();
    assert!(
        !sdes.set_sender_ssrc(1),
        "SDES has chunks, not a sender field"
    );
    let mut fields = Vec::new();
    sdes.rewrite_ssrcs(|f, v| {
        fields.push((f, v));
        Some(50)
    });
    assert_eq!(fields, [(SsrcField::SdesChunk(0), 5)]);
    assert!(it.next().is_none());
    let parsed: Vec<RtcpPacket<'_>> = Compound::new(&buf).collect::<Result<_, _>>().unwrap();
    assert_eq!(parsed[0].sender_ssrc(), Some(10));
    let RtcpPacket::Rr(rr) = &parsed[0] else {
        panic!()
    };
    assert_eq!(rr.reports.iter().next().unwrap().ssrc, 20);
    assert_eq!(
        (parsed[1].sender_ssrc(), parsed[1].media_ssrc()),
        (Some(30), Some(40))
    );
    assert_eq!(parsed[2].sender_ssrc(), Some(50));
}
