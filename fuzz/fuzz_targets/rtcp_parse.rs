//! The RTCP compound iterator on arbitrary bytes, expanding every list of every packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::rtcp::{Compound, RtcpPacket, XrBlock};

fn walk(p: &RtcpPacket<'_>) {
    match p {
        RtcpPacket::Sr(sr) => assert_eq!(sr.reports.iter().count(), sr.reports.len()),
        RtcpPacket::Rr(rr) => assert_eq!(rr.reports.iter().count(), rr.reports.len()),
        RtcpPacket::Sdes(s) => {
            for c in s.chunks.iter() {
                assert_eq!(c.items.iter().count(), c.items.len());
            }
        }
        RtcpPacket::Bye(b) => assert_eq!(b.sources.iter().count(), b.sources.len()),
        RtcpPacket::Nack(n) => assert!(n.lost().count() >= n.pairs.len()),
        RtcpPacket::Twcc(t) => assert_eq!(t.packets().count(), usize::from(t.status_count)),
        RtcpPacket::Ccfb(c) => {
            for b in c.blocks.iter() {
                assert_eq!(b.metrics.iter().count(), b.metrics.len());
            }
        }
        RtcpPacket::Xr(x) => {
            for b in x.blocks.iter() {
                if let XrBlock::Dlrr { items } = b {
                    assert_eq!(items.iter().count(), items.len());
                }
            }
        }
        RtcpPacket::Padded(p) => walk(&p.packet),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = Compound::check_rfc3550(data);
    for p in Compound::new(data) {
        match p {
            Ok(p) => walk(&p),
            Err(e) => assert!(e.offset().is_some_and(|o| o <= data.len())),
        }
    }
});
