//! TURN ChannelData parsing for both transports and both channel ranges, written back and
//! compared; and the TURN stream framer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stun_codec::{next_turn_frame, ChannelData, FrameStatus, Transport};

fuzz_target!(|data: &[u8]| {
    for transport in [Transport::Datagram, Transport::Stream] {
        if let Ok(cd) = ChannelData::parse(data, transport) {
            assert!((0x4000..=0x4fff).contains(&cd.channel()));
            let mut out = Vec::new();
            let n = ChannelData::write(&mut out, cd.channel(), cd.data(), transport).unwrap();
            assert_eq!(n, cd.wire_len());
            assert_eq!(&out[..4 + cd.data().len()], &data[..4 + cd.data().len()]);
        }
        let _ = ChannelData::parse_rfc5766(data, transport);
    }
    // Walk the input as a TURN stream until it ends, errs or needs more.
    let mut rest = data;
    while let Ok(FrameStatus::Complete { len, .. }) = next_turn_frame(rest) {
        assert!(len > 0 && len <= rest.len());
        rest = &rest[len..];
    }
});
