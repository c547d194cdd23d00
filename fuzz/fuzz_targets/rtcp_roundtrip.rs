//! Every packet the RTCP iterator accepts is written back byte for byte, and the written
//! bytes parse to the same packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::rtcp::{Compound, RtcpPacket};

fuzz_target!(|data: &[u8]| {
    let mut framed = 0;
    for p in Compound::new(data) {
        let Ok(p) = p else { return };
        let mut out = Vec::new();
        let n = p.write_to(&mut out).expect("a parsed packet is writable");
        assert_eq!(&out[..], &data[framed..framed + n]);
        assert_eq!(RtcpPacket::parse(&out).expect("written packet parses"), p);
        framed += n;
    }
});
