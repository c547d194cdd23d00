//! The RTCP compound iterator on arbitrary bytes, expanding every list of every packet.
//! Errors (of the iterator and of the RFC 3550 compound check) name an offset inside the
//! input and a truncation says how much is missing.
//! Parsing allocates no more than a small multiple of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::rtcp::{Compound, RtcpPacket, XrBlock};
use rtp_codec::RtpError;

fn check_error(e: &RtpError, data: &[u8]) {
    let offset = e.offset().expect("a parse error names its offset");
    assert!(offset <= data.len(), "{e}");
    if let RtpError::Truncated {
        needed, available, ..
    } = *e
    {
        assert!(
            needed > available && offset + available <= data.len(),
            "{e}"
        );
    }
}

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

#[path = "common/alloc_count.rs"]
mod alloc_count;

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

fuzz_target!(|data: &[u8]| {
    let ((), n) = alloc_count::requested(|| run(data));
    assert!(
        n <= alloc_count::bound(data.len()),
        "{n} bytes allocated for {} of input",
        data.len()
    );
});

fn run(data: &[u8]) {
    if let Err(e) = Compound::check_rfc3550(data) {
        check_error(&e, data);
    }
    for p in Compound::new(data) {
        match p {
            Ok(p) => walk(&p),
            Err(e) => check_error(&e, data),
        }
    }
    rewrite(data);
}

/// In-place SSRC rewriting hands out the packets `Compound` parses, changes only the SSRC
/// fields it visits (each inside its packet, never overlapping another), and rewriting them
/// back restores the input.
fn rewrite(data: &[u8]) {
    let mut buf = data.to_vec();
    let parsed = Compound::new(data).filter(Result::is_ok).count();
    let mut handed = 0;
    for p in rtp_codec::rtcp::CompoundMut::new(&mut buf) {
        let Ok(mut p) = p else { continue };
        handed += 1;
        let len = p.as_bytes().len();
        p.rewrite_ssrcs(|_, v| Some(!v));
        assert_eq!(p.as_bytes().len(), len);
        assert!(p.as_packet().is_ok(), "a rewritten packet still parses");
        p.rewrite_ssrcs(|_, v| Some(!v));
    }
    assert_eq!(handed, parsed);
    assert_eq!(buf, data);
}
