//! Statistics algorithms on constructed streams (RFC 3550 A.1, A.3, A.8, §6.4.1 RTT), NTP
//! conversions, and the first-byte demultiplexer's table.

use rtp_codec::demux::{classify, classify_with, PacketKind, TurnChannels};
use rtp_codec::rtcp::SenderReport;
use rtp_codec::stats::{
    compact_ntp, ntp_from_duration, ntp_to_duration, round_trip_time, ClockMapping, PacketOutcome,
    SrReceipt, StreamConfig, StreamStats,
};
use std::time::Duration;

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

#[test]
fn probation_needs_two_sequential_packets() {
    let mut s = StreamStats::new(StreamConfig::with_clock_rate(8000));
    assert_eq!(s.update(ms(0), 100, 0, false, 0), PacketOutcome::Probation);
    // Not sequential: probation starts over from 500.
    assert_eq!(
        s.update(ms(20), 500, 160, false, 0),
        PacketOutcome::Probation
    );
    assert_eq!(
        s.update(ms(40), 501, 320, false, 0),
        PacketOutcome::Valid {
            extended_seq: 501,
            duplicate: false,
            reordered: false
        }
    );
    let r = s.report();
    assert_eq!(
        (r.packets, r.received, r.expected, r.lost, r.base_seq),
        (3, 1, 1, 0, 501)
    );
}

#[test]
fn sequence_wrap_extends_and_loss_duplicates_reordering_are_counted() {
    let mut s = StreamStats::new(StreamConfig {
        min_sequential: 0,
        ..StreamConfig::default()
    });
    let mut t = 0;
    let mut feed = |seq: u16| {
        t += 20;
        s.update(ms(t), seq, u32::from(seq) * 160, false, 0)
    };
    for seq in [65533u16, 65534, 65535, 1, 0, 2, 2, 4] {
        feed(seq);
    }
    let r = s.report();
    // 65533..=65540 (extended): expected 8; 3 is missing but the duplicate of 2 is counted as
    // received (A.3), so received 8 and lost 0.
    assert_eq!((r.base_seq, r.max_extended_seq), (65533, 65536 + 4));
    assert_eq!((r.expected, r.received, r.lost), (8, 8, 0));
    assert_eq!((r.duplicates, r.reordered), (1, 1));
}

#[test]
fn a_large_jump_restarts_the_source_only_when_confirmed() {
    let mut s = StreamStats::new(StreamConfig {
        min_sequential: 0,
        ..StreamConfig::default()
    });
    s.update(ms(0), 10, 0, false, 0);
    s.update(ms(20), 11, 160, false, 0);
    assert_eq!(s.update(ms(40), 30000, 320, false, 0), PacketOutcome::Jump);
    assert_eq!(s.report().max_extended_seq, 11);
    // RFC 3550 A.1: "Two sequential packets -- assume that the other side restarted".
    assert_eq!(
        s.update(ms(60), 30001, 480, false, 0),
        PacketOutcome::Valid {
            extended_seq: 30001,
            duplicate: false,
            reordered: false
        }
    );
    let r = s.report();
    assert_eq!((r.base_seq, r.received, r.expected), (30001, 1, 1));
}

#[test]
fn report_block_fraction_lost_is_per_interval() {
    let mut s = StreamStats::new(StreamConfig {
        min_sequential: 0,
        ..StreamConfig::with_clock_rate(8000)
    });
    for seq in 0..100u16 {
        if seq % 4 != 3 {
            s.update(ms(u64::from(seq) * 20), seq, u32::from(seq) * 160, false, 0);
        }
    }
    // Expected 99 (0..=98), received 75: lost 24; fraction = 24 * 256 / 99.
    let b = s.report_block(0xabc, 0x1234_0000, 0x8000);
    assert_eq!(
        (b.ssrc, b.cumulative_lost, b.highest_sequence),
        (0xabc, 24, 98)
    );
    assert_eq!(b.fraction_lost, (24 * 256 / 99) as u8);
    assert_eq!((b.last_sr, b.delay_since_last_sr), (0x1234_0000, 0x8000));
    // Next interval: 99 (skipped above) is its only loss out of 99..=109.
    for seq in 100..110u16 {
        s.update(ms(u64::from(seq) * 20), seq, u32::from(seq) * 160, false, 0);
    }
    let b = s.report_block(0xabc, 0, 0);
    assert_eq!(
        (b.fraction_lost, b.cumulative_lost, b.highest_sequence),
        ((256 / 11) as u8, 25, 109)
    );
    // An interval with nothing new reports no loss.
    assert_eq!(s.report_block(0xabc, 0, 0).fraction_lost, 0);
    assert_eq!(b.jitter, 0, "perfectly paced stream");
}

#[test]
fn a8_jitter_of_alternating_delay() {
    // Packets every 20 ms with timestamps every 160 ticks at 8 kHz, arrivals alternately 0
    // and 5 ms late: |D| = 5 ms = 40 ticks from the second packet on.
    let mut s = StreamStats::new(StreamConfig {
        min_sequential: 0,
        ..StreamConfig::with_clock_rate(8000)
    });
    let mut j = 0.0f64;
    for i in 0..50u64 {
        let late = if i % 2 == 1 { 5 } else { 0 };
        s.update(ms(20 * i + late), i as u16, (160 * i) as u32, false, 0);
        if i > 0 {
            j += (40.0 - j) / 16.0;
        }
    }
    assert!((s.jitter() - j).abs() < 1e-6, "{} vs {j}", s.jitter());
    let r = s.report();
    assert!((r.max_jitter_ms - j / 8.0).abs() < 1e-6, "{r:?}");
    assert!(
        (r.max_delta_ms - 25.0).abs() < 1e-9 && (r.min_delta_ms.unwrap() - 15.0).abs() < 1e-9,
        "{r:?}"
    );
}

#[test]
fn rtt_from_lsr_and_dlsr() {
    // RFC 3550 §6.4.1 example: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
    // DLSR = 0x0005:4000 (5.250 s): RTT = 6.125 s.
    let rtt = round_trip_time(0xb710_8000, 0xb705_2000, 0x0005_4000).unwrap();
    assert_eq!(rtt, Duration::from_millis(6125));
    assert_eq!(round_trip_time(0xb710_8000, 0, 0x0005_4000), None);
    assert_eq!(round_trip_time(0x0000_0001, 0x0000_0002, 0), None);
    let receipt = SrReceipt {
        last_sr: 0xb705_2000,
        received_at: ms(1000),
    };
    assert_eq!(receipt.lsr_dlsr(ms(6250)), (0xb705_2000, 0x0005_4000));
}

#[test]
fn ntp_and_rtp_map_through_a_sender_report() {
    let sr = SenderReport {
        ntp_timestamp: ntp_from_duration(Duration::new(3_900_000_000, 500_000_000)),
        rtp_timestamp: 1000,
        ..Default::default()
    };
    let m = ClockMapping::from_sr(&sr, 90_000);
    // One second later in RTP time is one second later in NTP time.
    assert_eq!(
        ntp_to_duration(m.rtp_to_ntp(91_000)),
        Duration::new(3_900_000_001, 500_000_000)
    );
    assert_eq!(
        m.ntp_to_rtp(ntp_from_duration(Duration::new(3_900_000_002, 500_000_000))),
        181_000
    );
    // Timestamps before the SR and across the 32-bit wrap.
    assert_eq!(
        ntp_to_duration(m.rtp_to_ntp(1000u32.wrapping_sub(45_000))),
        Duration::new(3_900_000_000, 0)
    );
    assert_eq!(compact_ntp(0x0001_2345_6789_0000), 0x2345_6789);
}

#[test]
fn first_byte_table() {
    let cases: &[(&[u8], PacketKind)] = &[
        (&[], PacketKind::Unknown),
        (&[0x00, 0x01], PacketKind::Stun),
        (&[0x03], PacketKind::Stun),
        (&[0x04], PacketKind::Unknown),
        (&[0x0f], PacketKind::Unknown),
        (&[0x10], PacketKind::Zrtp),
        (&[0x13], PacketKind::Zrtp),
        (&[0x14], PacketKind::Dtls),
        (&[0x16, 0xfe, 0xfd], PacketKind::Dtls),
        (&[0x3f], PacketKind::Dtls),
        (&[0x40, 0x00], PacketKind::TurnChannel),
        (&[0x4f], PacketKind::TurnChannel),
        (&[0x50], PacketKind::Quic),
        (&[0x7f], PacketKind::Quic),
        (&[0x80], PacketKind::Unknown),
        (&[0x80, 0x60], PacketKind::Rtp),
        (&[0x80, 0xe0], PacketKind::Rtp),
        (&[0x80, 191], PacketKind::Rtp),
        (&[0x80, 192], PacketKind::Rtcp),
        (&[0x81, 200], PacketKind::Rtcp),
        (&[0x8f, 206], PacketKind::Rtcp),
        (&[0x80, 223], PacketKind::Rtcp),
        (&[0x80, 224], PacketKind::Rtp),
        (&[0xbf, 200], PacketKind::Rtcp),
        (&[0xc0], PacketKind::Quic),
        (&[0xff], PacketKind::Quic),
    ];
    for (bytes, kind) in cases {
        assert_eq!(classify(bytes), *kind, "{bytes:02x?}");
    }
    assert_eq!(classify_with(&[0x40], TurnChannels::None), PacketKind::Quic);
    assert_eq!(
        classify_with(&[0x5d], TurnChannels::Rfc5766),
        PacketKind::TurnChannel
    );
    assert_eq!(
        classify_with(&[0x7f], TurnChannels::Rfc5766),
        PacketKind::TurnChannel
    );
    assert_eq!(
        classify_with(&[0x80, 0x60], TurnChannels::None),
        PacketKind::Rtp
    );
}
