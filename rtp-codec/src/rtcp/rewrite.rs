//! In-place rewriting of RTCP SSRCs, as an SFU does when it forwards reports and feedback
//! between legs whose SSRCs it has mapped: [`CompoundMut`] walks the packets of a buffer
//! and each [`RtcpPacketMut`] rewrites its SSRC fields with no copy.

use super::{fmt, header, packet_type, RtcpPacket};
use crate::error::RtpError;

/// An SSRC field of an RTCP packet, as [`RtcpPacketMut::rewrite_ssrcs`] visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SsrcField {
    /// The SSRC of the sender of SR, RR, APP, XR and feedback ([RFC 4585 §6.1]).
    ///
    /// [RFC 4585 §6.1]: https://www.rfc-editor.org/rfc/rfc4585#section-6.1
    Sender,
    /// The SSRC of the media source of a feedback packet (RFC 4585 §6.1; 0 and unused in
    /// FIR, TMMBR, TMMBN and REMB).
    MediaSource,
    /// The SSRC of the n-th report block of SR or RR ([RFC 3550 §6.4.1]).
    ///
    /// [RFC 3550 §6.4.1]: https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1
    ReportBlock(usize),
    /// The SSRC of the n-th FCI entry of FIR, TMMBR or TMMBN ([RFC 5104 §4.2, §4.3.1]).
    ///
    /// [RFC 5104 §4.2, §4.3.1]: https://www.rfc-editor.org/rfc/rfc5104#section-4.2
    FciEntry(usize),
    /// The n-th SSRC that REMB applies to (draft-alvestrand-rmcat-remb §2.2).
    Remb(usize),
    /// The SSRC of the n-th SDES chunk ([RFC 3550 §6.5]).
    ///
    /// [RFC 3550 §6.5]: https://www.rfc-editor.org/rfc/rfc3550#section-6.5
    SdesChunk(usize),
    /// The n-th source leaving in BYE ([RFC 3550 §6.6]).
    ///
    /// [RFC 3550 §6.6]: https://www.rfc-editor.org/rfc/rfc3550#section-6.6
    Bye(usize),
    /// The SSRC of the n-th report block of RFC 8888 congestion control feedback.
    CcfbBlock(usize),
}

/// The packets of an RTCP compound (or reduced-size) packet in a caller's buffer, each as
/// an [`RtcpPacketMut`]. Each packet is validated as [`super::Compound`] validates it before
/// it is handed out, with the same outcome: a packet whose body is invalid is an error and
/// the walk goes on; a bad header ends it.
#[derive(Debug)]
pub struct CompoundMut<'a> {
    rest: &'a mut [u8],
    offset: usize,
}

impl<'a> CompoundMut<'a> {
    /// Walks the packets of `data`.
    #[must_use]
    #[inline]
    pub fn new(data: &'a mut [u8]) -> Self {
        Self {
            rest: data,
            offset: 0,
        }
    }
}

impl<'a> Iterator for CompoundMut<'a> {
    type Item = Result<RtcpPacketMut<'a>, RtpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        // As `Compound`: a bad header ends the walk; a packet whose body does not parse is
        // an error and the walk goes on after it (its length was valid).
        let h = match header(self.rest, 0) {
            Ok(h) => h,
            Err(e) => {
                self.rest = &mut [];
                return Some(Err(e.shifted(self.offset)));
            }
        };
        let rest = core::mem::take(&mut self.rest);
        let (packet, after) = rest.split_at_mut(h.len);
        self.rest = after;
        let off = self.offset;
        self.offset += h.len;
        // The typed parser checks every length the rewriting relies on.
        if let Err(e) = RtcpPacket::parse(packet) {
            return Some(Err(e.shifted(off)));
        }
        Some(Ok(RtcpPacketMut {
            data: packet,
            body_end: h.body_end,
        }))
    }
}

/// One validated RTCP packet whose SSRC fields can be rewritten in place.
#[derive(Debug)]
pub struct RtcpPacketMut<'a> {
    data: &'a mut [u8],
    /// End of the body (padding excluded), from the packet start.
    body_end: usize,
}

impl RtcpPacketMut<'_> {
    /// Validates `data` as exactly one RTCP packet ([`RtcpPacket::parse`]).
    ///
    /// # Errors
    /// As [`RtcpPacket::parse`].
    pub fn parse(data: &mut [u8]) -> Result<RtcpPacketMut<'_>, RtpError> {
        RtcpPacket::parse(data)?;
        let h = header(data, 0)?;
        Ok(RtcpPacketMut {
            data,
            body_end: h.body_end,
        })
    }

    /// The packet type (PT field).
    #[must_use]
    pub fn packet_type(&self) -> u8 {
        self.data.get(1).copied().unwrap_or(0)
    }

    /// The 5-bit count / FMT field.
    #[must_use]
    pub fn count(&self) -> u8 {
        self.data.first().map_or(0, |b| b & 0x1f)
    }

    /// The packet's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.data
    }

    /// A read view of the packet as it now is ([`RtcpPacket::sender_ssrc`] and the rest).
    ///
    /// # Errors
    /// None in practice: the packet was validated and rewriting SSRCs keeps it valid.
    pub fn as_packet(&self) -> Result<RtcpPacket<'_>, RtpError> {
        RtcpPacket::parse(self.data)
    }

    /// Calls `f` with every SSRC field of the packet and its value, in wire order, and
    /// writes back what `f` returns (`None` keeps the field). SDES chunk, BYE, FIR, TMMBR,
    /// TMMBN, REMB and CCFB SSRCs are fields too; SSRCs inside XR blocks are not visited.
    pub fn rewrite_ssrcs(&mut self, mut f: impl FnMut(SsrcField, u32) -> Option<u32>) {
        visit(self.data, self.body_end, &mut |field, b| {
            let old = u32::from_be_bytes(*b);
            if let Some(new) = f(field, old) {
                *b = new.to_be_bytes();
            }
            true
        });
    }

    fn set(&mut self, want: SsrcField, v: u32) -> bool {
        let mut done = false;
        visit(self.data, self.body_end, &mut |field, b| {
            if field == want {
                *b = v.to_be_bytes();
                done = true;
            }
            !done
        });
        done
    }

    /// Sets the sender SSRC; `false` when the packet has none (SDES, BYE, unknown types).
    pub fn set_sender_ssrc(&mut self, ssrc: u32) -> bool {
        self.set(SsrcField::Sender, ssrc)
    }

    /// Sets the media source SSRC of a feedback packet; `false` when the packet has none.
    pub fn set_media_ssrc(&mut self, ssrc: u32) -> bool {
        self.set(SsrcField::MediaSource, ssrc)
    }

    /// Sets the SSRC of report block `index` of SR or RR; `false` when there is no such
    /// block.
    pub fn set_report_block_ssrc(&mut self, index: usize, ssrc: u32) -> bool {
        self.set(SsrcField::ReportBlock(index), ssrc)
    }
}

/// Calls `f` with each SSRC field of the validated packet `data` (body up to `body_end`),
/// in wire order, until `f` returns `false`. The offsets depend only on the header and on
/// length fields, never on an SSRC, so rewriting a field does not move the next one.
fn visit(data: &mut [u8], body_end: usize, f: &mut dyn FnMut(SsrcField, &mut [u8; 4]) -> bool) {
    use packet_type::*;
    let hit = |data: &mut [u8],
               at: usize,
               field: SsrcField,
               f: &mut dyn FnMut(SsrcField, &mut [u8; 4]) -> bool|
     -> bool {
        if at + 4 > body_end {
            return false;
        }
        match data
            .get_mut(at..at + 4)
            .and_then(|b| <&mut [u8; 4]>::try_from(b).ok())
        {
            Some(b) => f(field, b),
            None => false,
        }
    };
    let byte = |data: &[u8], at: usize| data.get(at).copied().unwrap_or(0);
    let (pt, fmt_or_count) = (byte(data, 1), byte(data, 0) & 0x1f);
    let count = usize::from(fmt_or_count);
    let list = |data: &mut [u8],
                start: usize,
                stride: usize,
                n: usize,
                field: fn(usize) -> SsrcField,
                f: &mut dyn FnMut(SsrcField, &mut [u8; 4]) -> bool|
     -> bool { (0..n).all(|i| hit(data, start + stride * i, field(i), f)) };
    match pt {
        SR => {
            let _ = hit(data, 4, SsrcField::Sender, f)
                && list(data, 28, 24, count, SsrcField::ReportBlock, f);
        }
        RR => {
            let _ = hit(data, 4, SsrcField::Sender, f)
                && list(data, 8, 24, count, SsrcField::ReportBlock, f);
        }
        SDES => {
            // RFC 3550 §6.5: each chunk is an SSRC, items (type, length, text) up to a null
            // item, then zero padding to the next 32-bit boundary.
            let mut pos = 4;
            for i in 0..count {
                if !hit(data, pos, SsrcField::SdesChunk(i), f) {
                    return;
                }
                pos += 4;
                while pos < body_end && byte(data, pos) != 0 {
                    pos += 2 + usize::from(byte(data, pos + 1));
                }
                pos = (pos + 1).next_multiple_of(4);
            }
        }
        BYE => {
            let _ = list(data, 4, 4, count, SsrcField::Bye, f);
        }
        APP | XR => {
            let _ = hit(data, 4, SsrcField::Sender, f);
        }
        RTPFB if fmt_or_count == fmt::CCFB => {
            // RFC 8888 §3.1: report blocks (SSRC, begin_seq, num_reports, 16-bit metrics
            // padded to 32 bits), then the 4-byte report timestamp.
            if !hit(data, 4, SsrcField::Sender, f) {
                return;
            }
            let (mut pos, mut i) = (8, 0);
            while pos + 12 <= body_end {
                if !hit(data, pos, SsrcField::CcfbBlock(i), f) {
                    return;
                }
                let n = usize::from(u16::from_be_bytes([
                    byte(data, pos + 6),
                    byte(data, pos + 7),
                ]));
                pos += 8 + (2 * n).div_ceil(4) * 4;
                i += 1;
            }
        }
        RTPFB | PSFB => {
            if !(hit(data, 4, SsrcField::Sender, f) && hit(data, 8, SsrcField::MediaSource, f)) {
                return;
            }
            match (pt, fmt_or_count) {
                (PSFB, fmt::FIR) | (RTPFB, fmt::TMMBR | fmt::TMMBN) => {
                    let _ = list(
                        data,
                        12,
                        8,
                        body_end.saturating_sub(12) / 8,
                        SsrcField::FciEntry,
                        f,
                    );
                }
                (PSFB, fmt::AFB) if data.get(12..16) == Some(b"REMB") => {
                    let n = usize::from(byte(data, 16));
                    let _ = list(data, 20, 4, n, SsrcField::Remb, f);
                }
                _ => {}
            }
        }
        _ => {}
    }
}
