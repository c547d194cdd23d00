//! Transport-wide CC: expand a parsed feedback packet to arrival times, rebuild it from
//! them, and expand again: the same packets and arrival times come out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::rtcp::{RtcpPacket, Twcc, TwccPacket};

fuzz_target!(|data: &[u8]| {
    // Let the fuzzer write the FCI only: a fixed header makes every input a TWCC packet.
    let mut pkt = vec![0x8f, 205, 0, 0];
    pkt.extend_from_slice(data);
    while pkt.len() % 4 != 0 {
        pkt.push(0);
    }
    let words = (pkt.len() / 4 - 1) as u16;
    if pkt.len() / 4 - 1 > usize::from(u16::MAX) {
        return;
    }
    pkt[2..4].copy_from_slice(&words.to_be_bytes());
    let Ok(RtcpPacket::Twcc(t)) = RtcpPacket::parse(&pkt) else {
        return;
    };
    let packets: Vec<TwccPacket> = t.packets().collect();
    assert_eq!(packets.len(), usize::from(t.status_count));
    let arrivals: Vec<Option<i64>> = packets.iter().map(|p| p.arrival_us).collect();
    let rebuilt = Twcc::from_arrivals(
        t.sender_ssrc,
        t.media_ssrc,
        t.base_sequence,
        t.reference_time,
        t.feedback_count,
        &arrivals,
    )
    .expect("arrival times from a valid packet are encodable");
    let mut out = Vec::new();
    RtcpPacket::Twcc(rebuilt)
        .write_to(&mut out)
        .expect("writable");
    let Ok(RtcpPacket::Twcc(again)) = RtcpPacket::parse(&out) else {
        panic!("rebuilt packet does not parse")
    };
    let again: Vec<TwccPacket> = again.packets().collect();
    let key = |p: &TwccPacket| (p.sequence_number, p.arrival_us);
    assert_eq!(
        again.iter().map(key).collect::<Vec<_>>(),
        packets.iter().map(key).collect::<Vec<_>>()
    );
});
