//! RTP congestion control feedback (RTPFB FMT 11, [RFC 8888 §3.1]).
//!
//! [RFC 8888 §3.1]: https://www.rfc-editor.org/rfc/rfc8888#section-3.1

use crate::error::{need, RtpError};
use crate::list::{be16, be32, take, List, WireItem};
use alloc::vec::Vec;

/// One metric block: the fate of one packet (RFC 8888 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CcfbMetric {
    /// R: the packet was received.
    pub received: bool,
    /// The ECN bits the packet arrived with (2 bits).
    pub ecn: u8,
    /// Arrival time offset (13 bits): how long before the report timestamp the packet
    /// arrived, in 1/1024 seconds (0x1FFF: at least that long; 0x1FFE: over-range).
    pub arrival_time_offset: u16,
}

impl WireItem<'_> for CcfbMetric {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 2)?;
        let w = be16(b, 0);
        Some(Self {
            received: w & 0x8000 != 0,
            ecn: ((w >> 13) & 3) as u8,
            arrival_time_offset: w & 0x1fff,
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        2
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        let w = (u16::from(self.received) << 15)
            | (u16::from(self.ecn & 3) << 13)
            | (self.arrival_time_offset & 0x1fff);
        out.extend_from_slice(&w.to_be_bytes());
    }
}

/// The reports for one RTP stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CcfbBlock<'a> {
    /// The stream reported on.
    pub ssrc: u32,
    /// Sequence number of the first metric block.
    pub begin_sequence: u16,
    /// One metric per packet `begin_sequence`, `begin_sequence + 1`, …
    pub metrics: List<'a, CcfbMetric>,
}

impl<'a> WireItem<'a> for CcfbBlock<'a> {
    #[inline]
    fn read(buf: &mut &'a [u8]) -> Option<Self> {
        let h = take(buf, 8)?;
        let n = usize::from(be16(h, 6));
        let m = take(buf, 2 * n)?;
        if n % 2 == 1 {
            take(buf, 2)?;
        }
        Some(Self {
            ssrc: be32(h, 0),
            begin_sequence: be16(h, 4),
            metrics: List::Wire { bytes: m, count: n },
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        8 + (2 * self.metrics.len()).div_ceil(4) * 4
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(&self.begin_sequence.to_be_bytes());
        out.extend_from_slice(&(self.metrics.len() as u16).to_be_bytes());
        self.metrics.write(out);
        if self.metrics.len() % 2 == 1 {
            out.extend_from_slice(&[0, 0]);
        }
    }
}

/// Congestion control feedback (RFC 8888).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ccfb<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// Per-stream report blocks.
    pub blocks: List<'a, CcfbBlock<'a>>,
    /// Report timestamp: the middle 32 bits of the NTP time the report was generated.
    pub report_timestamp: u32,
}

impl<'a> Ccfb<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        need(body, 0, 8, "ccfb")?;
        let mut pos = 4;
        let mut count = 0;
        while body.len() - pos > 4 {
            need(body, pos, 8, "ccfb report block")?;
            let n = usize::from(be16(body, pos + 6));
            let len = 8 + (2 * n).div_ceil(4) * 4;
            need(body, pos, len, "ccfb report block")?;
            if n % 2 == 1 && body[pos + len - 2..pos + len] != [0, 0] {
                // RFC 8888 §3.1: "...padded to a multiple of 32 bits with 16 zero bits".
                return Err(RtpError::Invalid {
                    what: "ccfb metric padding",
                    offset: pos + len - 2,
                });
            }
            pos += len;
            count += 1;
        }
        need(body, pos, 4, "ccfb report timestamp")?;
        Ok(Self {
            sender_ssrc: be32(body, 0),
            blocks: List::Wire {
                bytes: &body[4..pos],
                count,
            },
            report_timestamp: be32(body, pos),
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        for b in self.blocks.iter() {
            if b.metrics.len() > usize::from(u16::MAX) {
                return Err(RtpError::Unencodable {
                    what: "ccfb block with more than 65535 reports",
                });
            }
        }
        out.extend_from_slice(&self.sender_ssrc.to_be_bytes());
        self.blocks.write(out);
        out.extend_from_slice(&self.report_timestamp.to_be_bytes());
        Ok(())
    }
}
