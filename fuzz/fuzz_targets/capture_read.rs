//! `rtc-inspect`'s capture pipeline on arbitrary bytes: the pcap/pcapng reader, link and
//! IP/UDP/TCP parsing, TCP reassembly and framing, then every analysis a record goes
//! through (per-datagram decode, RTP streams, RTCP, ICE). The same bytes are also decoded
//! as one UDP datagram and as one TCP-framed message.
#![no_main]

use webrtc_inspect::rtc::decode::{decode, Session};
use webrtc_inspect::rtc::ice::Ice;
use stun_turn_codec::Transport;
use webrtc_inspect::rtc::records;
use webrtc_inspect::rtc::streams::{CodecMap, Streams};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let mut keys = Session::new();
    let _ = keys.add_ice("ufrag", "passwordpasswordpassword");
    let mut streams = Streams::new(CodecMap::new(), Some(Duration::from_millis(500)));
    let mut ice = Ice::new(Session::new());
    let mut last_frame = 0u64;
    let result = records::for_each_in(
        data,
        &mut |r| {
            // Records come in frame order and carry what the frame carried.
            assert!(r.frame >= last_frame, "frame numbers go backwards");
            last_frame = r.frame;
            let d = decode(r.payload, r.transport, &mut keys);
            assert!(!d.summary.is_empty());
            let _ = webrtc_inspect::rtc::rtcp::decode(r.payload);
            streams.add(r);
            ice.add(r);
        },
        &mut |w| assert!(!w.message.is_empty()),
    );
    if let Ok(totals) = result {
        assert!(totals.frames >= last_frame);
    }
    let _ = webrtc_inspect::rtc::streams::render_text(&streams.finish());
    let _ = webrtc_inspect::rtc::ice::render_text(&ice.finish());

    for transport in [Transport::Udp, Transport::Tcp] {
        let d = decode(data, transport, &mut keys);
        assert!(!d.summary.is_empty());
    }
});
