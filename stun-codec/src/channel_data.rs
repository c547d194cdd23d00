//! TURN ChannelData messages (RFC 8656 §12.4).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Channel Number        |            Length             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! /                       Application Data                        /
//! +-------------------------------+-------------------------------+
//! ```
//!
//! Over UDP the data need not be padded; over TCP and TLS-over-TCP "the ChannelData message
//! MUST be padded to a multiple of four bytes" (§12.5), and the padding is not counted in
//! Length.

use crate::attribute::pad4;
use crate::builder::WriteBuf;
use crate::error::StunError;
use crate::transport::Transport;

/// Length of the ChannelData header.
pub const CHANNEL_DATA_HEADER_LEN: usize = 4;

/// The valid channel numbers, 0x4000 through 0x4FFF (RFC 8656 §12).
pub const CHANNEL_NUMBERS: core::ops::RangeInclusive<u16> = 0x4000..=0x4FFF;

/// The channel numbers of RFC 5766 §11, 0x4000 through 0x7FFF, which RFC 8656 narrowed;
/// older clients and servers (coturn's tools among them) still use the upper part.
pub const CHANNEL_NUMBERS_RFC5766: core::ops::RangeInclusive<u16> = 0x4000..=0x7FFF;

/// Byte layout (RFC 8656 §12.4).
mod field {
    use core::ops::Range;
    pub(crate) const CHANNEL: Range<usize> = 0..2;
    pub(crate) const LENGTH: Range<usize> = 2..4;
}

/// A checked view of a ChannelData message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelData<'a> {
    channel: u16,
    data: &'a [u8],
    len: usize,
}

impl<'a> ChannelData<'a> {
    /// Parses a ChannelData message at the start of `buf`.
    ///
    /// With [`Transport::Udp`], `buf` must hold at least the header and `Length` bytes;
    /// any rest (padding or not) is ignored. With [`Transport::Tcp`], `buf` must also hold
    /// the padding, and [`ChannelData::wire_len`] includes it.
    ///
    /// # Errors
    ///
    /// [`StunError::Truncated`] or [`StunError::ChannelNumber`] (numbers outside
    /// 0x4000..=0x4FFF, RFC 8656 §12: "the ChannelData message ... MUST be discarded").
    pub fn parse(buf: &'a [u8], transport: Transport) -> Result<Self, StunError> {
        Self::parse_in(buf, transport, CHANNEL_NUMBERS)
    }

    /// Like [`ChannelData::parse`] but accepting the RFC 5766 channel numbers
    /// 0x4000..=0x7FFF, for captures and peers that predate RFC 8656.
    ///
    /// # Errors
    ///
    /// As [`ChannelData::parse`].
    pub fn parse_rfc5766(buf: &'a [u8], transport: Transport) -> Result<Self, StunError> {
        Self::parse_in(buf, transport, CHANNEL_NUMBERS_RFC5766)
    }

    fn parse_in(
        buf: &'a [u8],
        transport: Transport,
        numbers: core::ops::RangeInclusive<u16>,
    ) -> Result<Self, StunError> {
        if buf.len() < CHANNEL_DATA_HEADER_LEN {
            return Err(StunError::Truncated {
                offset: 0,
                expected: CHANNEL_DATA_HEADER_LEN,
                actual: buf.len(),
            });
        }
        let c = &buf[field::CHANNEL];
        let channel = u16::from_be_bytes([c[0], c[1]]);
        if !numbers.contains(&channel) {
            return Err(StunError::ChannelNumber(channel));
        }
        let l = &buf[field::LENGTH];
        let length = usize::from(u16::from_be_bytes([l[0], l[1]]));
        let wire = match transport {
            Transport::Udp => length,
            Transport::Tcp => pad4(length),
        };
        if buf.len() < CHANNEL_DATA_HEADER_LEN + wire {
            return Err(StunError::Truncated {
                offset: CHANNEL_DATA_HEADER_LEN,
                expected: wire,
                actual: buf.len() - CHANNEL_DATA_HEADER_LEN,
            });
        }
        Ok(Self {
            channel,
            data: &buf[CHANNEL_DATA_HEADER_LEN..CHANNEL_DATA_HEADER_LEN + length],
            len: CHANNEL_DATA_HEADER_LEN + wire,
        })
    }

    /// The channel number.
    #[must_use]
    pub const fn channel(&self) -> u16 {
        self.channel
    }

    /// The application data, without padding.
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Bytes the message occupies: header + data (+ padding on a stream).
    #[must_use]
    pub const fn wire_len(&self) -> usize {
        self.len
    }

    /// Writes a ChannelData message to `buf` and returns its length (padding included).
    ///
    /// # Errors
    ///
    /// [`StunError::ChannelNumber`], [`StunError::TooLong`] (data over 65535 bytes) or
    /// [`StunError::BufferTooSmall`].
    pub fn write<B: WriteBuf>(
        mut buf: B,
        channel: u16,
        data: &[u8],
        transport: Transport,
    ) -> Result<usize, StunError> {
        if !CHANNEL_NUMBERS.contains(&channel) {
            return Err(StunError::ChannelNumber(channel));
        }
        let length = u16::try_from(data.len()).map_err(|_| StunError::TooLong {
            what: "ChannelData application data",
            length: data.len(),
        })?;
        let pad = match transport {
            Transport::Udp => 0,
            Transport::Tcp => pad4(data.len()) - data.len(),
        };
        let mut header = [0u8; CHANNEL_DATA_HEADER_LEN];
        header[field::CHANNEL].copy_from_slice(&channel.to_be_bytes());
        header[field::LENGTH].copy_from_slice(&length.to_be_bytes());
        let total = CHANNEL_DATA_HEADER_LEN + data.len() + pad;
        let start = buf.written();
        if buf.capacity_hint().saturating_sub(start) < total {
            return Err(StunError::BufferTooSmall {
                needed: start + total,
                capacity: buf.capacity_hint(),
            });
        }
        let ok = buf.put(&header) && buf.put(data) && buf.put_fill(0, pad);
        if ok {
            Ok(total)
        } else {
            Err(StunError::BufferTooSmall {
                needed: start + total,
                capacity: buf.capacity_hint(),
            })
        }
    }
}

/// Cheap probe: the first byte is 0x40–0x4F, the ChannelData range of RFC 7983 (64–79).
/// (RFC 5766 channels 0x5000–0x7FFF are not matched; test with
/// [`ChannelData::parse_rfc5766`] where they must be accepted.)
#[must_use]
#[inline]
pub fn is_channel_data(buf: &[u8]) -> bool {
    buf.len() >= CHANNEL_DATA_HEADER_LEN && (0x40..=0x4F).contains(&buf[0])
}
