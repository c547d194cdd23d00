//! Framing STUN and ChannelData on byte streams.
//!
//! - TURN over TCP/TLS (RFC 8656 §12.5): STUN messages and ChannelData messages follow each
//!   other on the stream, each self-delimiting (STUN by its header length, ChannelData by
//!   its Length rounded up to 4). [`next_turn_frame`] tells them apart by the first byte
//!   (STUN has its two leading bits zero, 0x00–0x3F; ChannelData starts 0x40–0x7F, the RFC 5766
//!   channel range that RFC 8656 narrowed to 0x40–0x4F).
//! - ICE-TCP (RFC 6544 §3.1) carries STUN and media with the RFC 4571 framing: a 16-bit
//!   length before each packet. [`next_rfc4571_frame`] reads it and [`write_rfc4571`]
//!   writes it.
//!
//! Incomplete input is not an error: the functions return [`FrameStatus::NeedMore`] with
//! the number of bytes the frame needs in total, so the caller reads more and retries.

use crate::builder::WriteBuf;
use crate::channel_data::{ChannelData, CHANNEL_DATA_HEADER_LEN};
use crate::error::StunError;
use crate::message::{Message, HEADER_LEN};
use crate::transport::Transport;

/// Result of looking for a frame at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameStatus<T> {
    /// A whole frame is present; `len` bytes of the buffer belong to it.
    Complete {
        /// The frame.
        frame: T,
        /// Bytes to consume.
        len: usize,
    },
    /// The frame is incomplete: the buffer must hold at least `needed` bytes to decide.
    NeedMore {
        /// Total bytes needed from the start of the buffer.
        needed: usize,
    },
}

/// One message of a TURN stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnFrame<'a> {
    /// A STUN message.
    Stun(Message<'a>),
    /// A ChannelData message (padding consumed).
    ChannelData(ChannelData<'a>),
}

/// Reads the next STUN or ChannelData message at the start of `buf` (RFC 8656 §12.5).
///
/// # Errors
///
/// [`StunError::UnknownFrame`] when the first byte starts neither; any error of
/// [`Message::parse`] or [`ChannelData::parse`] for a complete but malformed frame. After an
/// error the stream cannot be resynchronised and should be closed.
pub fn next_turn_frame(buf: &[u8]) -> Result<FrameStatus<TurnFrame<'_>>, StunError> {
    let Some(&first) = buf.first() else {
        return Ok(FrameStatus::NeedMore { needed: 1 });
    };
    match first {
        0x00..=0x3F => {
            if buf.len() < HEADER_LEN {
                return Ok(FrameStatus::NeedMore { needed: HEADER_LEN });
            }
            let total = HEADER_LEN + usize::from(u16::from_be_bytes([buf[2], buf[3]]));
            if buf.len() < total {
                // Check what can be checked early, so garbage is not waited on.
                Message::parse(&buf[..HEADER_LEN])
                    .map(|_| ())
                    .or_else(|e| match e {
                        StunError::Truncated { .. } => Ok(()),
                        e => Err(e),
                    })?;
                return Ok(FrameStatus::NeedMore { needed: total });
            }
            let msg = Message::parse(&buf[..total])?;
            Ok(FrameStatus::Complete {
                frame: TurnFrame::Stun(msg),
                len: total,
            })
        }
        // RFC 5766 channels reach 0x7FFF; on a TURN stream nothing else starts 0x40–0x7F.
        0x40..=0x7F => {
            if buf.len() < CHANNEL_DATA_HEADER_LEN {
                return Ok(FrameStatus::NeedMore {
                    needed: CHANNEL_DATA_HEADER_LEN,
                });
            }
            let len = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
            let total = CHANNEL_DATA_HEADER_LEN + ((len + 3) & !3);
            if buf.len() < total {
                return Ok(FrameStatus::NeedMore { needed: total });
            }
            let cd = ChannelData::parse_rfc5766(&buf[..total], Transport::Tcp)?;
            Ok(FrameStatus::Complete {
                frame: TurnFrame::ChannelData(cd),
                len: total,
            })
        }
        byte => Err(StunError::UnknownFrame { offset: 0, byte }),
    }
}

/// Reads one RFC 4571 frame (16-bit length, then the packet) at the start of `buf`, as ICE-TCP
/// uses (RFC 6544 §3.1). The packet is returned raw: demultiplex it with
/// [`crate::is_stun`].
///
/// # Errors
///
/// None today; the `Result` leaves room for limits.
pub fn next_rfc4571_frame(buf: &[u8]) -> Result<FrameStatus<&[u8]>, StunError> {
    if buf.len() < 2 {
        return Ok(FrameStatus::NeedMore { needed: 2 });
    }
    let total = 2 + usize::from(u16::from_be_bytes([buf[0], buf[1]]));
    if buf.len() < total {
        return Ok(FrameStatus::NeedMore { needed: total });
    }
    Ok(FrameStatus::Complete {
        frame: &buf[2..total],
        len: total,
    })
}

/// Writes `packet` with its RFC 4571 length prefix; returns the bytes written.
///
/// # Errors
///
/// [`StunError::TooLong`] for packets over 65535 bytes, [`StunError::BufferTooSmall`].
pub fn write_rfc4571<B: WriteBuf>(mut buf: B, packet: &[u8]) -> Result<usize, StunError> {
    let len = u16::try_from(packet.len()).map_err(|_| StunError::TooLong {
        what: "RFC 4571 packet",
        length: packet.len(),
    })?;
    let start = buf.written();
    if buf.capacity_hint().saturating_sub(start) < 2 + packet.len() {
        return Err(StunError::BufferTooSmall {
            needed: start + 2 + packet.len(),
            capacity: buf.capacity_hint(),
        });
    }
    if buf.put(&len.to_be_bytes()) && buf.put(packet) {
        Ok(2 + packet.len())
    } else {
        Err(StunError::BufferTooSmall {
            needed: start + 2 + packet.len(),
            capacity: buf.capacity_hint(),
        })
    }
}
