//! First-byte demultiplexing of one UDP port shared by several protocols ([RFC 7983] as
//! updated by [RFC 9443]), and RTP/RTCP separation under rtcp-mux ([RFC 5761 §4]).
//!
//! | first byte | protocol |
//! |---|---|
//! | 0–3 | STUN |
//! | 16–19 | ZRTP |
//! | 20–63 | DTLS |
//! | 64–79 | TURN ChannelData |
//! | 80–127 | QUIC (short header) |
//! | 128–191 | RTP or RTCP: RTCP when the second byte (the RTCP packet type) is 192–223 |
//! | 192–255 | QUIC (long header) |
//!
//! RFC 9443 §3 gives 64–79 to TURN channels when they are in use and to QUIC otherwise;
//! [`classify`] reports ChannelData there. [`classify_with`] takes the channel range in use:
//! none (all of 64–127 is QUIC), RFC 8656's 0x4000–0x4FFF (the default), or RFC 5766's
//! 0x4000–0x7FFF, which servers such as coturn still allocate (first byte 64–127).
//!
//! [RFC 7983]: https://www.rfc-editor.org/rfc/rfc7983
//! [RFC 9443]: https://www.rfc-editor.org/rfc/rfc9443
//! [RFC 5761 §4]: https://www.rfc-editor.org/rfc/rfc5761#section-4

/// What a datagram's first bytes say it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PacketKind {
    /// STUN (first byte 0–3).
    Stun,
    /// ZRTP (16–19).
    Zrtp,
    /// DTLS (20–63).
    Dtls,
    /// TURN ChannelData (64–79).
    TurnChannel,
    /// QUIC (80–127 unless RFC 5766 channels are in use, 192–255; 64–79 without TURN
    /// channels).
    Quic,
    /// RTP (128–191, second byte outside 192–223).
    Rtp,
    /// RTCP (128–191, second byte 192–223).
    Rtcp,
    /// Empty, or a first byte no rule covers (4–15), or a 1-byte RTP/RTCP candidate.
    Unknown,
}

/// Which TURN channel numbers may appear on the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TurnChannels {
    /// No TURN channels: first bytes 64–127 are QUIC.
    None,
    /// RFC 8656 §12: channel numbers 0x4000–0x4FFF (first byte 64–79).
    #[default]
    Rfc8656,
    /// RFC 5766 §11: channel numbers 0x4000–0x7FFF (first byte 64–127).
    Rfc5766,
}

/// Classifies a datagram by its first bytes, with RFC 8656 TURN channels.
#[must_use]
pub fn classify(datagram: &[u8]) -> PacketKind {
    classify_with(datagram, TurnChannels::Rfc8656)
}

/// Classifies a datagram by its first bytes, with the given TURN channel range.
#[must_use]
pub fn classify_with(datagram: &[u8], channels: TurnChannels) -> PacketKind {
    let Some(&b) = datagram.first() else {
        return PacketKind::Unknown;
    };
    match b {
        0..=3 => PacketKind::Stun,
        16..=19 => PacketKind::Zrtp,
        20..=63 => PacketKind::Dtls,
        64..=79 if channels != TurnChannels::None => PacketKind::TurnChannel,
        80..=127 if channels == TurnChannels::Rfc5766 => PacketKind::TurnChannel,
        64..=127 => PacketKind::Quic,
        128..=191 => match datagram.get(1) {
            // RFC 5761 §4: RTCP packet types 192–223 map onto RTP payload types 64–95 with
            // the marker bit set, which rtcp-mux therefore avoids for RTP.
            Some(192..=223) => PacketKind::Rtcp,
            Some(_) => PacketKind::Rtp,
            None => PacketKind::Unknown,
        },
        192..=255 => PacketKind::Quic,
        _ => PacketKind::Unknown,
    }
}
