//! Inputs the fuzz targets found, kept as regression tests.

use rtp_codec::rtcp::{Compound, RtcpPacket};

/// Every packet the iterator accepts writes back to its own bytes and parses to itself.
fn rtcp_roundtrip(data: &[u8]) {
    let mut framed = 0;
    for p in Compound::new(data) {
        let Ok(p) = p else { return };
        let mut out = Vec::new();
        let n = p.write_to(&mut out).unwrap();
        assert_eq!(&out[..], &data[framed..framed + n], "{p:?}");
        assert_eq!(RtcpPacket::parse(&out).unwrap(), p);
        framed += n;
    }
}

#[test]
fn app_then_padded_packets() {
    rtcp_roundtrip(&[
        0x9a, 0xcc, 0x00, 0x03, 0x9a, 0xcc, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0xce, 0x65,
        0x00, 0x9a, 0xcc, 0x00, 0x02, 0x00, 0x0a, 0xd9, 0xce, 0xff, 0xcc, 0x00, 0x03, 0x9a, 0xcf,
        0x00, 0x02, 0x00, 0x02, 0xe7, 0x00, 0x02, 0x00, 0x00, 0x00, 0xce, 0x65, 0x00, 0x9a, 0x02,
        0x61, 0xff, 0x61,
    ]);
}

#[test]
fn bye_reason_padding_cut_by_rtcp_padding_is_an_error() {
    // A BYE whose RTCP padding count leaves the reason without its 32-bit alignment.
    let data = [0xa1, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 2, b'o', b'k', 1];
    let got: Vec<_> = Compound::new(&data).collect();
    assert_eq!(
        got,
        [Err(rtp_codec::RtpError::Truncated {
            what: "bye reason padding",
            offset: 11,
            needed: 1,
            available: 0
        })]
    );
}

/// `rtcp_parse` found `CompoundMut` stopping at a packet whose body did not parse, where
/// `Compound` goes on to the next packet: both now hand out the same packets.
#[test]
fn compound_mut_goes_on_after_a_bad_body_as_compound_does() {
    let data = [
        0x9b, 0xce, 0, 0, 0x9b, 0xce, 0, 0, 0x83, 0, 0, 0, 0x9b, 0xce, 0, 0, 0x9b, 0xcf, 0, 0,
        0x83, 0, 0, 0,
    ];
    let reads: Vec<bool> = Compound::new(&data).map(|r| r.is_ok()).collect();
    let mut buf = data;
    let writes: Vec<bool> = rtp_codec::rtcp::CompoundMut::new(&mut buf)
        .map(|r| r.is_ok())
        .collect();
    assert_eq!(reads, writes);
    assert_eq!(reads, [true, true, true, true, false, true]);
    assert!(reads.contains(&false));
}
