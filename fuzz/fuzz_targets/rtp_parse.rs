//! `RtpPacket::parse` and every accessor of a parsed packet on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::RtpPacket;

fuzz_target!(|data: &[u8]| {
    let _ = rtp_codec::demux::classify(data);
    if let Ok(p) = RtpPacket::parse(data) {
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
            if e.is_err() {
                break;
            }
        }
    }
});
