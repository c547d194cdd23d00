//! TURN ChannelData parsing for both transports and both channel ranges, written back and
//! compared; and the TURN stream framer. A refused frame names an offset inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stun_turn_codec::{next_turn_frame, ChannelData, FrameStatus, StunError, Transport};

fn check_error(e: &StunError, len: usize) {
    match *e {
        StunError::Truncated {
            offset,
            expected,
            actual,
        } => assert!(expected > actual && offset + actual <= len, "{e}"),
        // The channel number is the first two bytes.
        StunError::ChannelNumber(n) => assert!(len >= 2 && !(0x4000..=0x4fff).contains(&n)),
        _ => panic!("unexpected ChannelData error {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    for transport in [Transport::Udp, Transport::Tcp] {
        let parsed = ChannelData::parse(data, transport);
        if let Err(e) = &parsed {
            check_error(e, data.len());
        }
        if let Ok(cd) = parsed {
            assert!((0x4000..=0x4fff).contains(&cd.channel()));
            let mut out = Vec::new();
            let n = ChannelData::write(&mut out, cd.channel(), cd.data(), transport).unwrap();
            assert_eq!(n, cd.wire_len());
            assert_eq!(&out[..4 + cd.data().len()], &data[..4 + cd.data().len()]);
        }
        if let Err(e) = ChannelData::parse_rfc5766(data, transport) {
            check_error(&e, data.len());
        }
    }
    // Walk the input as a TURN stream until it ends, errs or needs more.
    let mut rest = data;
    while let Ok(FrameStatus::Complete { len, .. }) = next_turn_frame(rest) {
        assert!(len > 0 && len <= rest.len());
        rest = &rest[len..];
    }
});
