//! Transport-wide congestion control feedback (RTPFB FMT 15,
//! [draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1]).
//!
//! [draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1]:
//!     https://datatracker.ietf.org/doc/html/draft-holmer-rmcat-transport-wide-cc-extensions-01#section-3.1

use super::fb_header;
use crate::error::{need, RtpError};
use crate::list::{be16, be24};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// Microseconds per reference-time unit (64 ms).
pub const REFERENCE_TIME_UNIT_US: i64 = 64_000;
/// Microseconds per receive-delta tick (250 µs).
pub const DELTA_TICK_US: i64 = 250;

/// Status of one packet (draft §3.1.1 "Packet Status Symbols").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TwccStatus {
    /// 00: packet not received.
    NotReceived,
    /// 01: received, one-byte (unsigned) delta.
    SmallDelta,
    /// 10: received, two-byte (signed) delta.
    LargeDelta,
}

impl TwccStatus {
    #[inline]
    fn from_bits(b: u16) -> Option<Self> {
        match b {
            0 => Some(Self::NotReceived),
            1 => Some(Self::SmallDelta),
            2 => Some(Self::LargeDelta),
            _ => None,
        }
    }
    #[inline]
    fn bits(self) -> u16 {
        match self {
            Self::NotReceived => 0,
            Self::SmallDelta => 1,
            Self::LargeDelta => 2,
        }
    }
    #[inline]
    fn delta_len(self) -> usize {
        match self {
            Self::NotReceived => 0,
            Self::SmallDelta => 1,
            Self::LargeDelta => 2,
        }
    }
}

/// A packet status chunk (draft §3.1.3, §3.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TwccChunk {
    /// Run length chunk: `run` packets with the same status.
    RunLength {
        /// The status (two bits).
        status: u8,
        /// Run length (13 bits).
        run: u16,
    },
    /// Status vector chunk with 14 one-bit symbols (0 not received, 1 small delta).
    OneBit {
        /// The 14 symbols, first in the most significant bit.
        symbols: u16,
    },
    /// Status vector chunk with 7 two-bit symbols.
    TwoBit {
        /// The 7 symbols, first in the most significant bits.
        symbols: u16,
    },
}

impl TwccChunk {
    #[inline]
    fn from_u16(w: u16) -> Self {
        if w & 0x8000 == 0 {
            Self::RunLength {
                status: ((w >> 13) & 3) as u8,
                run: w & 0x1fff,
            }
        } else if w & 0x4000 == 0 {
            Self::OneBit {
                symbols: w & 0x3fff,
            }
        } else {
            Self::TwoBit {
                symbols: w & 0x3fff,
            }
        }
    }

    /// Number of packets the chunk can describe.
    #[inline]
    fn capacity(self) -> usize {
        match self {
            Self::RunLength { run, .. } => usize::from(run),
            Self::OneBit { .. } => 14,
            Self::TwoBit { .. } => 7,
        }
    }

    /// Raw status bits of symbol `i`.
    #[inline]
    fn symbol(self, i: usize) -> u16 {
        match self {
            Self::RunLength { status, .. } => u16::from(status),
            Self::OneBit { symbols } => (symbols >> (13 - i)) & 1,
            Self::TwoBit { symbols } => (symbols >> (12 - 2 * i)) & 3,
        }
    }
}

/// One packet described by a [`Twcc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TwccPacket {
    /// Transport-wide sequence number.
    pub sequence_number: u16,
    /// Reception status.
    pub status: TwccStatus,
    /// Receive delta in 250 µs ticks, for received packets.
    pub delta: Option<i16>,
    /// Arrival time in µs on the receiver's clock (`reference_time * 64 ms` plus the deltas so
    /// far), for received packets.
    pub arrival_us: Option<i64>,
}

/// Transport-wide congestion control feedback.
///
/// The chunks and receive deltas are kept as they were on the wire; [`Twcc::packets`] expands
/// them into one entry per sequence number, and [`Twcc::from_arrivals`] builds them from
/// arrival times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twcc<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
    /// Transport-wide sequence number of the first packet described.
    pub base_sequence: u16,
    /// Number of packets described.
    pub status_count: u16,
    /// Reference time in multiples of 64 ms (signed 24-bit).
    pub reference_time: i32,
    /// Feedback packet count.
    pub feedback_count: u8,
    /// Packet status chunks, 2 bytes each.
    pub chunks: Cow<'a, [u8]>,
    /// Receive deltas, 1 or 2 bytes each.
    pub deltas: Cow<'a, [u8]>,
    /// Zero octets after the deltas inside the FCI (0–3) that align it to 32 bits when the
    /// packet does not use RTCP padding for that.
    pub fci_padding: u8,
}

#[cfg(feature = "serde")]
impl serde::Serialize for Twcc<'_> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let chunks: Vec<TwccChunk> = self.status_chunks().collect();
        let packets: Vec<TwccPacket> = self.packets().collect();
        let mut st = s.serialize_struct("Twcc", 8)?;
        st.serialize_field("sender_ssrc", &self.sender_ssrc)?;
        st.serialize_field("media_ssrc", &self.media_ssrc)?;
        st.serialize_field("base_sequence", &self.base_sequence)?;
        st.serialize_field("status_count", &self.status_count)?;
        st.serialize_field("reference_time", &self.reference_time)?;
        st.serialize_field("feedback_count", &self.feedback_count)?;
        st.serialize_field("chunks", &chunks)?;
        st.serialize_field("packets", &packets)?;
        st.end()
    }
}

impl<'a> Twcc<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        need(body, 8, 8, "twcc fci header")?;
        let base_sequence = be16(body, 8);
        let status_count = be16(body, 10);
        let reference_time = ((be24(body, 12) << 8) as i32) >> 8;
        let feedback_count = body[15];
        let mut pos = 16;
        let mut left = usize::from(status_count);
        let mut delta_len = 0;
        while left > 0 {
            need(body, pos, 2, "twcc packet status chunk")?;
            let chunk = TwccChunk::from_u16(be16(body, pos));
            let n = chunk.capacity().min(left);
            if n == 0 {
                return Err(RtpError::Invalid {
                    what: "twcc run length 0",
                    offset: pos,
                });
            }
            for i in 0..n {
                match TwccStatus::from_bits(chunk.symbol(i)) {
                    Some(s) => delta_len += s.delta_len(),
                    None => {
                        return Err(RtpError::Invalid {
                            what: "twcc reserved status symbol",
                            offset: pos,
                        })
                    }
                }
            }
            left -= n;
            pos += 2;
        }
        let chunks = &body[16..pos];
        need(body, pos, delta_len, "twcc receive deltas")?;
        let deltas = &body[pos..pos + delta_len];
        pos += delta_len;
        let rest = &body[pos..];
        if rest.len() > 3 || rest.iter().any(|&b| b != 0) {
            return Err(RtpError::TrailingBytes {
                what: "twcc feedback",
                offset: pos,
                extra: rest.len(),
            });
        }
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            base_sequence,
            status_count,
            reference_time,
            feedback_count,
            chunks: Cow::Borrowed(chunks),
            deltas: Cow::Borrowed(deltas),
            fci_padding: rest.len() as u8,
        })
    }

    /// The packet status chunks.
    #[inline]
    pub fn status_chunks(&self) -> impl Iterator<Item = TwccChunk> + '_ {
        self.chunks
            .chunks_exact(2)
            .map(|c| TwccChunk::from_u16(u16::from_be_bytes([c[0], c[1]])))
    }

    /// One entry per described packet, in sequence order, with receive deltas and arrival
    /// times.
    #[must_use]
    #[inline]
    pub fn packets(&self) -> TwccPackets<'_> {
        TwccPackets {
            twcc: self,
            chunk: 0,
            symbol: 0,
            done: 0,
            delta_pos: 0,
            time_us: i64::from(self.reference_time) * REFERENCE_TIME_UNIT_US,
        }
    }

    /// Builds feedback for packets `base_sequence`, `base_sequence + 1`, … whose arrival times
    /// (µs, on the clock of `reference_time * 64 ms`) are `arrivals` (`None`: not received).
    ///
    /// Deltas are rounded to 250 µs ticks without accumulating rounding error; each uses one
    /// byte when it fits 0..=255 ticks and two (signed) bytes otherwise. Chunks are chosen
    /// greedily: run length for runs of at least 14 equal statuses (or 7 when two-bit symbols
    /// would be needed), else a one-bit vector when the next 14 statuses allow, else a two-bit
    /// vector.
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] for more than 65535 packets, a reference time outside 24 bits,
    /// or a delta outside the signed 16-bit range of ticks.
    #[inline]
    pub fn from_arrivals(
        sender_ssrc: u32,
        media_ssrc: u32,
        base_sequence: u16,
        reference_time: i32,
        feedback_count: u8,
        arrivals: &[Option<i64>],
    ) -> Result<Twcc<'static>, RtpError> {
        if arrivals.len() > usize::from(u16::MAX) {
            return Err(RtpError::Unencodable {
                what: "twcc status count above 65535",
            });
        }
        if !(-0x80_0000..0x80_0000).contains(&reference_time) {
            return Err(RtpError::Unencodable {
                what: "twcc reference time outside 24 bits",
            });
        }
        let mut statuses = Vec::with_capacity(arrivals.len());
        let mut deltas = Vec::new();
        let mut last_tick = i64::from(reference_time) * (REFERENCE_TIME_UNIT_US / DELTA_TICK_US);
        for a in arrivals {
            match *a {
                None => statuses.push(TwccStatus::NotReceived),
                Some(t) => {
                    let tick = t.div_euclid(DELTA_TICK_US)
                        + i64::from(t.rem_euclid(DELTA_TICK_US) * 2 >= DELTA_TICK_US);
                    let d = tick - last_tick;
                    last_tick = tick;
                    if (0..=255).contains(&d) {
                        statuses.push(TwccStatus::SmallDelta);
                        deltas.push(d as u8);
                    } else if (i64::from(i16::MIN)..=i64::from(i16::MAX)).contains(&d) {
                        statuses.push(TwccStatus::LargeDelta);
                        deltas.extend_from_slice(&(d as i16).to_be_bytes());
                    } else {
                        return Err(RtpError::Unencodable {
                            what: "twcc receive delta outside 16 bits",
                        });
                    }
                }
            }
        }
        let chunks = encode_chunks(&statuses);
        let used = 8 + chunks.len() + deltas.len();
        Ok(Twcc {
            sender_ssrc,
            media_ssrc,
            base_sequence,
            status_count: arrivals.len() as u16,
            reference_time,
            feedback_count,
            chunks: Cow::Owned(chunks),
            deltas: Cow::Owned(deltas),
            fci_padding: ((4 - used % 4) % 4) as u8,
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        if !(-0x80_0000..0x80_0000).contains(&self.reference_time) || self.chunks.len() % 2 != 0 {
            return Err(RtpError::Unencodable {
                what: "twcc reference time or chunks",
            });
        }
        out.extend_from_slice(&self.sender_ssrc.to_be_bytes());
        out.extend_from_slice(&self.media_ssrc.to_be_bytes());
        out.extend_from_slice(&self.base_sequence.to_be_bytes());
        out.extend_from_slice(&self.status_count.to_be_bytes());
        out.extend_from_slice(&(self.reference_time as u32).to_be_bytes()[1..]);
        out.push(self.feedback_count);
        out.extend_from_slice(&self.chunks);
        out.extend_from_slice(&self.deltas);
        out.extend(core::iter::repeat_n(0, usize::from(self.fci_padding)));
        Ok(())
    }
}

fn encode_chunks(s: &[TwccStatus]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let run = s[i..]
            .iter()
            .take(0x1fff)
            .take_while(|&&x| x == s[i])
            .count();
        let window14 = &s[i..s.len().min(i + 14)];
        let one_bit_ok = window14.iter().all(|&x| x != TwccStatus::LargeDelta);
        let w = if run >= 14 || (run >= 7 && !one_bit_ok) || (run == s.len() - i && run > 7) {
            i += run;
            (s[i - run].bits() << 13) | run as u16
        } else if one_bit_ok {
            let mut w = 0x8000u16;
            for (k, x) in window14.iter().enumerate() {
                w |= x.bits() << (13 - k);
            }
            i += window14.len();
            w
        } else {
            let window7 = &s[i..s.len().min(i + 7)];
            let mut w = 0xc000u16;
            for (k, x) in window7.iter().enumerate() {
                w |= x.bits() << (12 - 2 * k);
            }
            i += window7.len();
            w
        };
        out.extend_from_slice(&w.to_be_bytes());
    }
    out
}

/// Iterator of [`Twcc::packets`].
#[derive(Debug, Clone)]
pub struct TwccPackets<'t> {
    twcc: &'t Twcc<'t>,
    chunk: usize,
    symbol: usize,
    done: usize,
    delta_pos: usize,
    time_us: i64,
}

impl Iterator for TwccPackets<'_> {
    type Item = TwccPacket;

    #[inline]
    fn next(&mut self) -> Option<TwccPacket> {
        let t = self.twcc;
        if self.done >= usize::from(t.status_count) {
            return None;
        }
        let raw = t.chunks.get(2 * self.chunk..2 * self.chunk + 2)?;
        let chunk = TwccChunk::from_u16(u16::from_be_bytes([raw[0], raw[1]]));
        let status = TwccStatus::from_bits(chunk.symbol(self.symbol))?;
        let delta = match status {
            TwccStatus::NotReceived => None,
            TwccStatus::SmallDelta => Some(i16::from(*t.deltas.get(self.delta_pos)?)),
            TwccStatus::LargeDelta => {
                let b = t.deltas.get(self.delta_pos..self.delta_pos + 2)?;
                Some(i16::from_be_bytes([b[0], b[1]]))
            }
        };
        self.delta_pos += status.delta_len();
        let arrival_us = delta.map(|d| {
            self.time_us += i64::from(d) * DELTA_TICK_US;
            self.time_us
        });
        let seq = t.base_sequence.wrapping_add(self.done as u16);
        self.done += 1;
        self.symbol += 1;
        if self.symbol >= chunk.capacity() {
            self.symbol = 0;
            self.chunk += 1;
        }
        Some(TwccPacket {
            sequence_number: seq,
            status,
            delta,
            arrival_us,
        })
    }
}
