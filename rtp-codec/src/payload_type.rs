//! The static RTP payload types of [RFC 3551 §6]: the one table of the workspace, used for
//! codec names when an SDP has no `a=rtpmap` and for clock rates in receive statistics.
//!
//! # Payload type 19
//!
//! RFC 3551 §6 marks 19 "reserved"; RFC 1890, which it obsoleted, assigned it to comfort
//! noise before CN moved to 13 ([RFC 3389]). Senders from that time still use it, and
//! Wireshark's RTP statistics give it CN's 8000 Hz clock. So [`assignment`] follows RFC 3551
//! (19 has no assignment: an SDP that uses it without `a=rtpmap` names no codec), while
//! [`clock_rate`] gives 8000 Hz for 19, so that jitter over such a stream is computed as
//! tshark computes it instead of not at all. The entry is in [`STATIC_PAYLOAD_TYPES`] with
//! [`StaticPayloadType::reserved`] set.
//!
//! [RFC 3551 §6]: https://www.rfc-editor.org/rfc/rfc3551#section-6
//! [RFC 3389]: https://www.rfc-editor.org/rfc/rfc3389

/// What a static payload type carries (the "A/V" column of RFC 3551 Tables 4 and 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum MediaKind {
    /// Audio.
    Audio,
    /// Video.
    Video,
    /// Audio and video (MP2T).
    AudioVideo,
}

/// One static payload type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StaticPayloadType {
    /// The payload type number.
    pub payload_type: u8,
    /// The encoding name, as `a=rtpmap` writes it.
    pub encoding_name: &'static str,
    /// Audio, video or both.
    pub media: MediaKind,
    /// The RTP clock rate in Hz.
    pub clock_rate: u32,
    /// The number of audio channels, where RFC 3551 gives one (`None` for video and MPA).
    pub channels: Option<u16>,
    /// Reserved by RFC 3551 §6 but assigned by RFC 1890 (only PT 19, comfort noise).
    pub reserved: bool,
}

const fn audio(pt: u8, name: &'static str, rate: u32, ch: Option<u16>) -> StaticPayloadType {
    StaticPayloadType {
        payload_type: pt,
        encoding_name: name,
        media: MediaKind::Audio,
        clock_rate: rate,
        channels: ch,
        reserved: false,
    }
}

const fn video(pt: u8, name: &'static str, media: MediaKind) -> StaticPayloadType {
    StaticPayloadType {
        payload_type: pt,
        encoding_name: name,
        media,
        clock_rate: 90_000,
        channels: None,
        reserved: false,
    }
}

/// RFC 3551 Tables 4 and 5, in payload type order, with RFC 1890's PT 19 marked reserved.
pub const STATIC_PAYLOAD_TYPES: [StaticPayloadType; 25] = [
    audio(0, "PCMU", 8000, Some(1)),
    audio(3, "GSM", 8000, Some(1)),
    audio(4, "G723", 8000, Some(1)),
    audio(5, "DVI4", 8000, Some(1)),
    audio(6, "DVI4", 16000, Some(1)),
    audio(7, "LPC", 8000, Some(1)),
    audio(8, "PCMA", 8000, Some(1)),
    audio(9, "G722", 8000, Some(1)),
    audio(10, "L16", 44100, Some(2)),
    audio(11, "L16", 44100, Some(1)),
    audio(12, "QCELP", 8000, Some(1)),
    audio(13, "CN", 8000, Some(1)),
    audio(14, "MPA", 90_000, None),
    audio(15, "G728", 8000, Some(1)),
    audio(16, "DVI4", 11025, Some(1)),
    audio(17, "DVI4", 22050, Some(1)),
    audio(18, "G729", 8000, Some(1)),
    StaticPayloadType {
        reserved: true,
        ..audio(19, "CN", 8000, Some(1))
    },
    video(25, "CelB", MediaKind::Video),
    video(26, "JPEG", MediaKind::Video),
    video(28, "nv", MediaKind::Video),
    video(31, "H261", MediaKind::Video),
    video(32, "MPV", MediaKind::Video),
    video(33, "MP2T", MediaKind::AudioVideo),
    video(34, "H263", MediaKind::Video),
];

fn entry(payload_type: u8) -> Option<&'static StaticPayloadType> {
    STATIC_PAYLOAD_TYPES
        .iter()
        .find(|e| e.payload_type == payload_type)
}

/// The RFC 3551 §6 assignment of `payload_type`; `None` for dynamic (96–127), unassigned
/// and reserved numbers (19 included, see the [module docs](self)).
#[must_use]
pub fn assignment(payload_type: u8) -> Option<&'static StaticPayloadType> {
    entry(payload_type).filter(|e| !e.reserved)
}

/// The clock rate of a static payload type, for receive statistics: RFC 3551's, and
/// 8000 Hz for RFC 1890's comfort noise on 19 (see the [module docs](self)).
#[must_use]
pub fn clock_rate(payload_type: u8) -> Option<u32> {
    entry(payload_type).map(|e| e.clock_rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(STATIC_PAYLOAD_TYPES
            .windows(2)
            .all(|w| w[0].payload_type < w[1].payload_type));
    }

    #[test]
    fn rfc3551_rows_and_pt19() {
        let pcmu = assignment(0).unwrap();
        assert_eq!(
            (pcmu.encoding_name, pcmu.clock_rate, pcmu.channels),
            ("PCMU", 8000, Some(1))
        );
        let l16 = assignment(10).unwrap();
        assert_eq!((l16.clock_rate, l16.channels), (44100, Some(2)));
        assert_eq!(assignment(33).unwrap().media, MediaKind::AudioVideo);
        assert_eq!(assignment(34).unwrap().encoding_name, "H263");
        // Reserved (RFC 3551 §6) but clocked at 8000 Hz as RFC 1890's CN.
        assert_eq!(assignment(19), None);
        assert_eq!(clock_rate(19), Some(8000));
        for unassigned in [1, 2, 20, 24, 27, 29, 30, 35, 72, 96, 127] {
            assert_eq!(clock_rate(unassigned), None, "{unassigned}");
        }
    }
}
