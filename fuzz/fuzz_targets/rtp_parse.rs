//! `RtpPacket::parse` and every accessor of a parsed packet on arbitrary bytes. Errors name a
//! byte inside the input (a truncation also says how much is missing); a parsed packet's
//! parts add up to the input and its extension elements lie inside the extension.
//! Parsing allocates no more than a small multiple of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::{RtpError, RtpPacket};

/// A parse error points at or before `within` (the end of the structure read); a truncation
/// needs more than what is there.
fn check_error(e: &RtpError, data: &[u8], within: usize) {
    let offset = e.offset().expect("a parse error names its offset");
    assert!(offset <= within, "offset {offset} past {within}: {e}");
    if let RtpError::Truncated {
        needed, available, ..
    } = *e
    {
        assert!(needed > available, "{e}");
        assert!(offset + available <= data.len(), "{e}");
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
    let _ = rtp_codec::demux::classify(data);
    let p = match RtpPacket::parse(data) {
        Ok(p) => p,
        Err(e) => return check_error(&e, data, data.len()),
    };
    let _ = (
        p.marker(),
        p.payload_type(),
        p.sequence_number(),
        p.timestamp(),
        p.ssrc(),
    );
    assert_eq!(p.csrcs().count(), usize::from(p.csrc_count()));
    assert_eq!(
        p.header_len() + p.payload().len() + p.padding().len(),
        data.len()
    );
    for e in p.extensions() {
        match e {
            Ok(e) => assert!(e.data.len() <= p.header_len()),
            Err(e) => {
                check_error(&e, data, p.header_len());
                break;
            }
        }
    }
    rewrite(data, &p);
}

/// The mutable view accepts what the read view accepts, and its setters change only the
/// fields they name.
fn rewrite(data: &[u8], p: &RtpPacket<'_>) {
    let mut buf = data.to_vec();
    let mut m = rtp_codec::RtpPacketMut::parse(&mut buf).expect("parses as the read view does");
    m.set_ssrc(!p.ssrc());
    m.set_sequence_number(!p.sequence_number());
    m.set_timestamp(!p.timestamp());
    m.set_marker(!p.marker());
    m.set_payload_type(!p.payload_type());
    let first = p.extensions().next().and_then(Result::ok);
    if let Some(e) = first {
        let flipped: Vec<u8> = e.data.iter().map(|b| !b).collect();
        m.set_extension(e.id, &flipped)
            .expect("an existing element of that length");
    }
    let v = m.as_packet();
    assert_eq!(
        (
            v.ssrc(),
            v.sequence_number(),
            v.timestamp(),
            v.marker(),
            v.payload_type()
        ),
        (
            !p.ssrc(),
            !p.sequence_number(),
            !p.timestamp(),
            !p.marker(),
            !p.payload_type() & 0x7f
        )
    );
    assert_eq!(
        (v.header_len(), v.payload(), v.padding()),
        (p.header_len(), p.payload(), p.padding())
    );
}
