//! RTP: the RFC 8285 example extensions, the element rules (padding, id 15, overruns), the
//! writer's form choice, and a table of malformed packets with the exact error and offset.

use rtp_codec::{ExtensionElement, ExtensionForm, Padding, RtpError, RtpPacket, RtpPacketBuilder};

/// A 12-byte header: V=2, given first byte flags OR-ed in, PT 96, seq 0x1234, ts 0xDEADBEEF,
/// SSRC 0x11223344.
fn header(flags: u8) -> Vec<u8> {
    vec![
        0x80 | flags,
        0x60,
        0x12,
        0x34,
        0xde,
        0xad,
        0xbe,
        0xef,
        0x11,
        0x22,
        0x33,
        0x44,
    ]
}

fn elements(p: &RtpPacket<'_>) -> Vec<(u8, Vec<u8>)> {
    p.extensions()
        .map(|e| e.map(|e| (e.id, e.data.to_vec())))
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn rfc8285_one_byte_example_with_padding_between_elements() {
    // RFC 8285 §4.2, the figure after "An example header extension, with three extension
    // elements, some padding, and including the required overall header extension padding".
    let mut b = header(0x10);
    b.extend_from_slice(&[0xbe, 0xde, 0x00, 0x03]);
    b.extend_from_slice(&[
        0x10, 0xaa, 0x21, 0xbb, 0xbb, 0x00, 0x00, 0x33, 0xcc, 0xcc, 0xcc, 0xcc,
    ]);
    b.extend_from_slice(b"payload");
    let p = RtpPacket::parse(&b).unwrap();
    assert_eq!(p.extension_profile(), Some(0xbede));
    assert_eq!(
        elements(&p),
        [(1, vec![0xaa]), (2, vec![0xbb, 0xbb]), (3, vec![0xcc; 4])]
    );
    assert_eq!(p.payload(), b"payload");
    let mut out = Vec::new();
    p.to_builder().write_to(&mut out).unwrap();
    assert_eq!(out, b, "raw extension keeps the inter-element padding");
}

#[test]
fn rfc8285_two_byte_example_with_zero_length_element() {
    // RFC 8285 §4.3: "An example header extension, with three extension elements, some
    // padding, and including the required overall header extension padding" (0x100, appbits).
    let mut b = header(0x10);
    b.extend_from_slice(&[0x10, 0x0f, 0x00, 0x03]);
    b.extend_from_slice(&[
        0x01, 0x00, 0x02, 0x01, 0xbb, 0x00, 0x03, 0x04, 0xcc, 0xcc, 0xcc, 0xcc,
    ]);
    let p = RtpPacket::parse(&b).unwrap();
    assert_eq!(p.extension_profile(), Some(0x100f));
    assert_eq!(
        elements(&p),
        [(1, vec![]), (2, vec![0xbb]), (3, vec![0xcc; 4])]
    );
    assert_eq!(p.payload(), b"");
}

#[test]
fn one_byte_id_15_stops_parsing() {
    // RFC 8285 §4.2: "If the ID value 15 is encountered ... processing of the entire
    // extension should terminate at that point".
    let mut b = header(0x10);
    b.extend_from_slice(&[
        0xbe, 0xde, 0x00, 0x02, 0x10, 0x01, 0xf3, 0x20, 0x02, 0x00, 0x00, 0x00,
    ]);
    let p = RtpPacket::parse(&b).unwrap();
    assert_eq!(elements(&p), [(1, vec![0x01])]);
}

#[test]
fn element_overrunning_the_extension_is_an_error_at_its_offset() {
    let mut b = header(0x10);
    // Element id 2 claims 4 data bytes; only 2 remain in the 1-word extension.
    b.extend_from_slice(&[0xbe, 0xde, 0x00, 0x01, 0x10, 0x01, 0x23, 0x00]);
    let p = RtpPacket::parse(&b).unwrap();
    let items: Vec<_> = p.extensions().collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0],
        Ok(ExtensionElement {
            id: 1,
            data: &[0x01]
        })
    );
    assert_eq!(
        items[1],
        Err(RtpError::Truncated {
            what: "header extension element",
            offset: 18,
            needed: 5,
            available: 2
        })
    );
}

#[test]
fn one_byte_id_0_with_a_length_is_malformed() {
    let mut b = header(0x10);
    b.extend_from_slice(&[0xbe, 0xde, 0x00, 0x01, 0x10, 0x01, 0x00, 0x02]);
    let p = RtpPacket::parse(&b).unwrap();
    let items: Vec<_> = p.extensions().collect();
    assert_eq!(
        items,
        [
            Ok(ExtensionElement { id: 1, data: &[1] }),
            Err(RtpError::Invalid {
                what: "header extension element id 0",
                offset: 19
            })
        ]
    );
}

#[test]
fn non_rfc8285_profile_has_no_elements_but_keeps_its_data() {
    let mut b = header(0x10);
    b.extend_from_slice(&[0xab, 0xcd, 0x00, 0x01, 1, 2, 3, 4]);
    let p = RtpPacket::parse(&b).unwrap();
    assert_eq!(p.extensions().count(), 0);
    assert_eq!(p.extension_data(), Some(&[1u8, 2, 3, 4][..]));
}

#[test]
fn writer_picks_one_byte_form_when_every_element_fits() {
    let els = [
        ExtensionElement {
            id: 14,
            data: &[7; 16],
        },
        ExtensionElement { id: 1, data: &[1] },
    ];
    let mut out = Vec::new();
    RtpPacketBuilder::new(96, 1, 2, 3)
        .with_extensions(ExtensionForm::Auto, &els)
        .write_to(&mut out)
        .unwrap();
    let p = RtpPacket::parse(&out).unwrap();
    assert_eq!(p.extension_profile(), Some(0xbede));
    // 17 + 2 bytes of elements, zero-padded to 20.
    assert_eq!(p.extension_data().unwrap().len(), 20);
    assert_eq!(elements(&p), [(14, vec![7; 16]), (1, vec![1])]);
}

#[test]
fn writer_switches_to_two_byte_form_for_id_above_14_empty_or_long_data() {
    for (id, len) in [(15u8, 1usize), (200, 3), (1, 0), (1, 17), (3, 255)] {
        let data = vec![0x5a; len];
        let els = [
            ExtensionElement { id: 2, data: &[9] },
            ExtensionElement { id, data: &data },
        ];
        let mut out = Vec::new();
        RtpPacketBuilder::new(96, 1, 2, 3)
            .with_extensions(ExtensionForm::Auto, &els)
            .write_to(&mut out)
            .unwrap();
        let p = RtpPacket::parse(&out).unwrap();
        assert_eq!(p.extension_profile(), Some(0x1000), "id {id} len {len}");
        assert_eq!(elements(&p), [(2, vec![9]), (id, data.clone())]);
    }
}

#[test]
fn forced_forms_are_honoured_or_refused() {
    let els = [ExtensionElement { id: 1, data: &[1] }];
    let mut out = Vec::new();
    RtpPacketBuilder::new(96, 1, 2, 3)
        .with_extensions(ExtensionForm::TwoByte, &els)
        .write_to(&mut out)
        .unwrap();
    assert_eq!(
        RtpPacket::parse(&out).unwrap().extension_profile(),
        Some(0x1000)
    );
    let big = [ExtensionElement {
        id: 1,
        data: &[0; 17],
    }];
    let r = RtpPacketBuilder::new(96, 1, 2, 3)
        .with_extensions(ExtensionForm::OneByte, &big)
        .write_to(&mut Vec::new());
    assert_eq!(
        r,
        Err(RtpError::Unencodable {
            what: "one-byte header extension element"
        })
    );
    let zero = [ExtensionElement { id: 0, data: &[1] }];
    let r = RtpPacketBuilder::new(96, 1, 2, 3)
        .with_extensions(ExtensionForm::Auto, &zero)
        .write_to(&mut Vec::new());
    assert_eq!(
        r,
        Err(RtpError::Unencodable {
            what: "two-byte header extension element"
        })
    );
}

#[test]
fn builder_writes_csrcs_marker_and_padding() {
    let mut out = Vec::new();
    let n = RtpPacketBuilder::new(8, 65535, 160, 0xcafe)
        .with_marker(true)
        .with_csrcs(&[1, 2])
        .unwrap()
        .with_payload(&[0xd5; 160])
        .with_padding(Padding::Zeros(4))
        .write_to(&mut out)
        .unwrap();
    assert_eq!(n, 12 + 8 + 160 + 4);
    assert_eq!(&out[..2], &[0xa2, 0x88]);
    assert_eq!(&out[out.len() - 4..], &[0, 0, 0, 4]);
    let p = RtpPacket::parse(&out).unwrap();
    assert_eq!(p.csrcs().collect::<Vec<_>>(), [1, 2]);
    assert!(p.marker() && p.has_padding());
    assert_eq!(
        (p.payload().len(), p.padding().len(), p.sequence_number()),
        (160, 4, 65535)
    );
    assert_eq!(
        RtpPacketBuilder::new(128, 0, 0, 0).write_to(&mut out),
        Err(RtpError::Unencodable {
            what: "payload type above 127"
        })
    );
    assert_eq!(
        RtpPacketBuilder::new(0, 0, 0, 0)
            .with_payload(&[1; 8])
            .write_into(&mut [0; 19]),
        Err(RtpError::BufferTooSmall {
            needed: 20,
            available: 19
        })
    );
    assert!(RtpPacketBuilder::new(0, 0, 0, 0)
        .with_csrcs(&[0; 16])
        .is_err());
}

#[test]
fn malformed_packets_fail_with_exact_error_and_offset() {
    let with = |flags: u8, tail: &[u8]| {
        let mut b = header(flags);
        b.extend_from_slice(tail);
        b
    };
    let cases: Vec<(Vec<u8>, RtpError)> = vec![
        (
            vec![],
            RtpError::Truncated {
                what: "rtp header",
                offset: 0,
                needed: 12,
                available: 0,
            },
        ),
        (
            header(0)[..11].to_vec(),
            RtpError::Truncated {
                what: "rtp header",
                offset: 0,
                needed: 12,
                available: 11,
            },
        ),
        (
            {
                let mut b = header(0);
                b[0] = 0x40;
                b
            },
            RtpError::BadVersion {
                offset: 0,
                version: 1,
            },
        ),
        (
            {
                let mut b = header(0);
                b[0] = 0x00;
                b
            },
            RtpError::BadVersion {
                offset: 0,
                version: 0,
            },
        ),
        (
            with(0x02, &[0; 4]),
            RtpError::Truncated {
                what: "rtp csrc list",
                offset: 12,
                needed: 8,
                available: 4,
            },
        ),
        (
            with(0x10, &[]),
            RtpError::Truncated {
                what: "rtp header extension",
                offset: 12,
                needed: 4,
                available: 0,
            },
        ),
        (
            with(0x10, &[0xbe, 0xde, 0, 2, 0, 0, 0, 0]),
            RtpError::Truncated {
                what: "rtp header extension",
                offset: 12,
                needed: 12,
                available: 8,
            },
        ),
        (
            with(0x11, &[0, 0, 0, 0, 0xbe, 0xde, 0, 1]),
            RtpError::Truncated {
                what: "rtp header extension",
                offset: 16,
                needed: 8,
                available: 4,
            },
        ),
        (
            with(0x20, &[1, 2, 0]),
            RtpError::BadPadding {
                offset: 14,
                count: 0,
            },
        ),
        (
            with(0x20, &[1, 2, 4]),
            RtpError::BadPadding {
                offset: 14,
                count: 4,
            },
        ),
        (
            header(0x20),
            RtpError::BadPadding {
                offset: 11,
                count: 0x44,
            },
        ),
        (
            with(0x30, &[0xbe, 0xde, 0, 0, 5]),
            RtpError::BadPadding {
                offset: 16,
                count: 5,
            },
        ),
    ];
    for (bytes, err) in cases {
        let got = RtpPacket::parse(&bytes);
        assert_eq!(got, Err(err), "{bytes:02x?}");
        assert_eq!(got.unwrap_err().offset(), err.offset());
    }
}

#[test]
fn padding_may_fill_everything_after_the_header() {
    let b = with_padding_only();
    let p = RtpPacket::parse(&b).unwrap();
    assert_eq!((p.payload().len(), p.padding().len()), (0, 4));
}

fn with_padding_only() -> Vec<u8> {
    let mut b = header(0x20);
    b.extend_from_slice(&[0, 0, 0, 4]);
    b
}

/// The RFC 8285 element rules written out byte by byte, as the reference for the iterator:
/// zero octets are padding; in the one-byte form id 15 ends the elements and id 0 with a
/// length is malformed; an element that overruns the data is truncated. `base` is the offset
/// of `data` in the packet.
fn reference_elements(
    two_byte: bool,
    data: &[u8],
    base: usize,
) -> Vec<Result<(u8, Vec<u8>), RtpError>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let b = data[pos];
        if b == 0 {
            pos += 1;
            continue;
        }
        let (id, hdr, len) = if two_byte {
            if pos + 1 >= data.len() {
                out.push(Err(RtpError::Truncated {
                    what: "header extension element",
                    offset: base + pos,
                    needed: 2,
                    available: data.len() - pos,
                }));
                break;
            }
            (b, 2, usize::from(data[pos + 1]))
        } else {
            match b >> 4 {
                15 => break,
                0 => {
                    out.push(Err(RtpError::Invalid {
                        what: "header extension element id 0",
                        offset: base + pos,
                    }));
                    break;
                }
                id => (id, 1, usize::from(b & 0x0f) + 1),
            }
        };
        if pos + hdr + len > data.len() {
            out.push(Err(RtpError::Truncated {
                what: "header extension element",
                offset: base + pos,
                needed: hdr + len,
                available: data.len() - pos,
            }));
            break;
        }
        out.push(Ok((id, data[pos + hdr..pos + hdr + len].to_vec())));
        pos += hdr + len;
    }
    out
}

#[test]
fn element_iterator_agrees_with_the_rules_on_every_short_extension() {
    // Every extension of up to 7 bytes over octets that exercise padding (0), short and long
    // one-byte headers, id 15, id 0 with a length and two-byte lengths, in both forms.
    const OCTETS: [u8; 6] = [0x00, 0x01, 0x10, 0x12, 0xf0, 0xab];
    let mut checked = 0;
    for len in 0..=7u32 {
        for mut n in 0..6usize.pow(len) {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    let o = OCTETS[n % 6];
                    n /= 6;
                    o
                })
                .collect();
            for (profile, two_byte) in [(0xbede, false), (0x1000, true), (0x100f, true)] {
                let got: Vec<_> = rtp_codec::Extensions::new(profile, &data, 100)
                    .map(|e| e.map(|e| (e.id, e.data.to_vec())))
                    .collect();
                assert_eq!(
                    got,
                    reference_elements(two_byte, &data, 100),
                    "profile {profile:#x} data {data:02x?}"
                );
                checked += 1;
            }
            // Any other profile has no elements.
            assert_eq!(rtp_codec::Extensions::new(0x1234, &data, 100).count(), 0);
        }
    }
    assert_eq!(checked, 3 * (0..=7).map(|l| 6usize.pow(l)).sum::<usize>());
}

proptest::proptest! {
    /// Extensions of up to 64 octets, mostly zeros (padding runs of every length before,
    /// between and after elements, whole zero words at the end) and short one-byte
    /// headers: the iterator, which counts the zeros that end the data up front, agrees
    /// with the rules in both forms.
    #[test]
    fn element_iterator_agrees_with_the_rules_on_mostly_zero_extensions(
        data in proptest::collection::vec(
            proptest::prop_oneof![4 => proptest::strategy::Just(0u8), 2 => 0x10u8..0x13, 1 => proptest::arbitrary::any::<u8>()],
            0..64,
        ),
        base in 0usize..100,
    ) {
        for (profile, two_byte) in [(0xbede, false), (0x1000, true)] {
            let got: Vec<_> = rtp_codec::Extensions::new(profile, &data, base)
                .map(|e| e.map(|e| (e.id, e.data.to_vec())))
                .collect();
            proptest::prop_assert_eq!(got, reference_elements(two_byte, &data, base));
        }
    }
}

#[test]
fn trailing_padding_and_elements_ending_in_zeros() {
    // Elements whose data ends in zero octets next to the padding, and padding of every
    // length up to the 32-bit boundary, in a parsed packet.
    for (ext, want) in [
        (&[0x11, 0xaa, 0x00, 0x00][..], vec![(1, vec![0xaa, 0x00])]),
        (&[0x10, 0x00, 0x00, 0x00][..], vec![(1, vec![0x00])]),
        (
            &[0x12, 0x00, 0x00, 0x00][..],
            vec![(1, vec![0x00, 0x00, 0x00])],
        ),
        (
            &[0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00][..],
            vec![(1, vec![0x00])],
        ),
        (
            &[0x00, 0x00, 0x10, 0x05, 0x00, 0x00, 0x00, 0x00][..],
            vec![(1, vec![0x05])],
        ),
        (&[0x00, 0x00, 0x00, 0x00][..], vec![]),
        (
            &[0x10, 0x01, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00][..],
            vec![(1, vec![0x01]), (2, vec![0x02])],
        ),
    ] {
        let mut b = header(0x10);
        b.extend_from_slice(&[0xbe, 0xde, 0x00, (ext.len() / 4) as u8]);
        b.extend_from_slice(ext);
        b.extend_from_slice(&[0x77; 3]);
        let p = RtpPacket::parse(&b).unwrap();
        assert_eq!(elements(&p), want, "{ext:02x?}");
        assert_eq!(p.payload(), &[0x77; 3]);
    }
}

/// RFC 3550 §5.1 header checks written out in wire order, as the reference for `parse`:
/// the error for `data`, or the header length and padding length.
fn reference_header(data: &[u8]) -> Result<(usize, usize), RtpError> {
    let truncated = |what, offset: usize, needed| RtpError::Truncated {
        what,
        offset,
        needed,
        available: data.len().saturating_sub(offset),
    };
    if data.len() < 12 {
        return Err(truncated("rtp header", 0, 12));
    }
    if data[0] >> 6 != 2 {
        return Err(RtpError::BadVersion {
            offset: 0,
            version: data[0] >> 6,
        });
    }
    let mut end = 12 + 4 * usize::from(data[0] & 0x0f);
    if data.len() < end {
        return Err(truncated("rtp csrc list", 12, end - 12));
    }
    if data[0] & 0x10 != 0 {
        if data.len() < end + 4 {
            return Err(truncated("rtp header extension", end, 4));
        }
        let words = usize::from(u16::from_be_bytes([data[end + 2], data[end + 3]]));
        if data.len() < end + 4 + 4 * words {
            return Err(truncated("rtp header extension", end, 4 + 4 * words));
        }
        end += 4 + 4 * words;
    }
    let mut padding = 0;
    if data[0] & 0x20 != 0 {
        let count = data[data.len() - 1];
        if count == 0 || usize::from(count) > data.len() - end {
            return Err(RtpError::BadPadding {
                offset: data.len() - 1,
                count,
            });
        }
        padding = usize::from(count);
    }
    Ok((end, padding))
}

#[test]
fn parse_agrees_with_the_header_rules_for_every_first_octet_and_length() {
    // Every first octet (version, P, X, CC) with buffers of 0 to 96 bytes whose extension
    // length field and last octet (padding count) take small and large values.
    for b0 in 0..=255u8 {
        for len in 0..=96usize {
            for (words, last) in [(0u8, 0u8), (1, 1), (2, 4), (3, 17), (0xff, 0xff)] {
                let mut data = vec![0x5au8; len];
                if let Some(x) = data.first_mut() {
                    *x = b0;
                }
                // The extension length field (low byte) wherever the CSRC count puts it.
                let ext = 12 + 4 * usize::from(b0 & 0x0f);
                if ext + 3 < len {
                    data[ext + 2] = 0;
                    data[ext + 3] = words;
                }
                if let Some(x) = data.last_mut().filter(|_| len > 1) {
                    *x = last;
                }
                let want = reference_header(&data);
                let got = RtpPacket::parse(&data);
                match (&got, &want) {
                    (Ok(p), Ok((header_len, padding))) => {
                        assert_eq!(p.header_len(), *header_len, "{data:02x?}");
                        assert_eq!(p.padding().len(), *padding, "{data:02x?}");
                        assert_eq!(p.payload().len(), len - header_len - padding);
                    }
                    _ => assert_eq!(got.map(|_| ()), want.map(|_| ()), "{data:02x?}"),
                }
            }
        }
    }
}
