//! SR, RR, SDES, BYE and APP packets (RFC 3550 §6.4–§6.7), and raw packets.

use super::no_trailing;
use crate::error::{need, RtpError};
use crate::list::{be24, be32, be64, take, List, WireItem};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// A reception report block (RFC 3550 §6.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReportBlock {
    /// The source this block reports on.
    pub ssrc: u32,
    /// Fraction of packets lost since the previous report, in 1/256 units.
    pub fraction_lost: u8,
    /// Cumulative number of packets lost (signed 24-bit; the writer clamps as RFC 3550 §A.3
    /// says: "clamp at 0x7fffff for positive loss or 0x800000 for negative loss").
    pub cumulative_lost: i32,
    /// Extended highest sequence number received.
    pub highest_sequence: u32,
    /// Interarrival jitter, in timestamp units.
    pub jitter: u32,
    /// Last SR timestamp (middle 32 bits of its NTP timestamp).
    pub last_sr: u32,
    /// Delay since last SR, in 1/65536 seconds.
    pub delay_since_last_sr: u32,
}

impl WireItem<'_> for ReportBlock {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 24)?;
        let lost = be24(b, 5);
        Some(Self {
            ssrc: be32(b, 0),
            fraction_lost: b[4],
            cumulative_lost: ((lost << 8) as i32) >> 8,
            highest_sequence: be32(b, 8),
            jitter: be32(b, 12),
            last_sr: be32(b, 16),
            delay_since_last_sr: be32(b, 20),
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        24
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.push(self.fraction_lost);
        let lost = self.cumulative_lost.clamp(-0x80_0000, 0x7f_ffff) as u32;
        out.extend_from_slice(&lost.to_be_bytes()[1..]);
        out.extend_from_slice(&self.highest_sequence.to_be_bytes());
        out.extend_from_slice(&self.jitter.to_be_bytes());
        out.extend_from_slice(&self.last_sr.to_be_bytes());
        out.extend_from_slice(&self.delay_since_last_sr.to_be_bytes());
    }
}

#[inline(always)]
fn blocks<'a>(
    count: u8,
    body: &'a [u8],
    at: usize,
) -> Result<(List<'a, ReportBlock>, usize), RtpError> {
    let n = usize::from(count);
    need(body, at, 24 * n, "report blocks")?;
    Ok((
        List::Wire {
            bytes: &body[at..at + 24 * n],
            count: n,
        },
        at + 24 * n,
    ))
}

fn count5(n: usize, what: &'static str) -> Result<u8, RtpError> {
    if n > 31 {
        Err(RtpError::Unencodable { what })
    } else {
        Ok(n as u8)
    }
}

/// Sender report (RFC 3550 §6.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SenderReport<'a> {
    /// SSRC of the sender.
    pub ssrc: u32,
    /// NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low 32).
    pub ntp_timestamp: u64,
    /// RTP timestamp corresponding to `ntp_timestamp`.
    pub rtp_timestamp: u32,
    /// Sender's packet count.
    pub packet_count: u32,
    /// Sender's octet count.
    pub octet_count: u32,
    /// Reception report blocks (at most 31).
    pub reports: List<'a, ReportBlock>,
    /// Profile-specific extension (RFC 3550 §6.4.1), kept as it was.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub profile_extension: Cow<'a, [u8]>,
}

impl<'a> SenderReport<'a> {
    #[inline(always)]
    pub(super) fn parse(count: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        need(body, 0, 24, "sender info")?;
        let (reports, end) = blocks(count, body, 24)?;
        Ok(Self {
            ssrc: be32(body, 0),
            ntp_timestamp: be64(body, 4),
            rtp_timestamp: be32(body, 12),
            packet_count: be32(body, 16),
            octet_count: be32(body, 20),
            reports,
            profile_extension: Cow::Borrowed(&body[end..]),
        })
    }

    /// The middle 32 bits of the NTP timestamp, as echoed in report blocks' LSR.
    #[must_use]
    #[inline]
    pub fn compact_ntp(&self) -> u32 {
        (self.ntp_timestamp >> 16) as u32
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        let c = count5(self.reports.len(), "more than 31 report blocks")?;
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(&self.ntp_timestamp.to_be_bytes());
        out.extend_from_slice(&self.rtp_timestamp.to_be_bytes());
        out.extend_from_slice(&self.packet_count.to_be_bytes());
        out.extend_from_slice(&self.octet_count.to_be_bytes());
        self.reports.write(out);
        out.extend_from_slice(&self.profile_extension);
        Ok(c)
    }
}

/// Receiver report (RFC 3550 §6.4.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReceiverReport<'a> {
    /// SSRC of the packet sender.
    pub ssrc: u32,
    /// Reception report blocks (at most 31).
    pub reports: List<'a, ReportBlock>,
    /// Profile-specific extension, kept as it was.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub profile_extension: Cow<'a, [u8]>,
}

impl<'a> ReceiverReport<'a> {
    #[inline(always)]
    pub(super) fn parse(count: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        need(body, 0, 4, "receiver report ssrc")?;
        let (reports, end) = blocks(count, body, 4)?;
        Ok(Self {
            ssrc: be32(body, 0),
            reports,
            profile_extension: Cow::Borrowed(&body[end..]),
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        let c = count5(self.reports.len(), "more than 31 report blocks")?;
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        self.reports.write(out);
        out.extend_from_slice(&self.profile_extension);
        Ok(c)
    }
}

/// One SDES item (RFC 3550 §6.5): type and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SdesItem<'a> {
    /// Item type (1 CNAME … 8 PRIV; see the associated constants). Never 0 (the end marker).
    pub kind: u8,
    /// The value (for PRIV: prefix length, prefix and value string, as on the wire).
    #[cfg_attr(feature = "serde", serde(serialize_with = "text_or_hex"))]
    pub value: Cow<'a, [u8]>,
}

#[cfg(feature = "serde")]
#[allow(clippy::ptr_arg)]
fn text_or_hex<S: serde::Serializer>(v: &Cow<'_, [u8]>, s: S) -> Result<S::Ok, S::Error> {
    match core::str::from_utf8(v) {
        Ok(t) => s.serialize_str(t),
        Err(_) => crate::list::hex_bytes::serialize(v, s),
    }
}

impl<'a> SdesItem<'a> {
    /// Canonical end-point identifier.
    pub const CNAME: u8 = 1;
    /// User name.
    pub const NAME: u8 = 2;
    /// Electronic mail address.
    pub const EMAIL: u8 = 3;
    /// Phone number.
    pub const PHONE: u8 = 4;
    /// Geographic user location.
    pub const LOC: u8 = 5;
    /// Application or tool name.
    pub const TOOL: u8 = 6;
    /// Notice/status.
    pub const NOTE: u8 = 7;
    /// Private extension.
    pub const PRIV: u8 = 8;

    /// An item of `kind` with `value`.
    #[must_use]
    #[inline]
    pub fn new(kind: u8, value: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            kind,
            value: value.into(),
        }
    }

    /// For a PRIV item (RFC 3550 §6.5.8): the prefix and the value string.
    #[must_use]
    #[inline]
    pub fn private(&self) -> Option<(&[u8], &[u8])> {
        if self.kind != Self::PRIV {
            return None;
        }
        let (&n, rest) = self.value.split_first()?;
        let n = usize::from(n);
        (rest.len() >= n).then(|| rest.split_at(n))
    }
}

impl<'a> WireItem<'a> for SdesItem<'a> {
    #[inline]
    fn read(buf: &mut &'a [u8]) -> Option<Self> {
        let h = take(buf, 2)?;
        let v = take(buf, usize::from(h[1]))?;
        Some(Self {
            kind: h[0],
            value: Cow::Borrowed(v),
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        2 + self.value.len()
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.push(self.kind);
        out.push(self.value.len() as u8);
        out.extend_from_slice(&self.value);
    }
}

/// One SDES chunk: a source and its items (RFC 3550 §6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SdesChunk<'a> {
    /// The source described.
    pub ssrc: u32,
    /// Its items.
    pub items: List<'a, SdesItem<'a>>,
}

impl SdesChunk<'_> {
    /// Chunk length on the wire: SSRC, items, then "one or more null octets" padding to the
    /// next 32-bit boundary (RFC 3550 §6.5).
    #[inline]
    fn padded_len(&self) -> usize {
        (4 + self.items.wire_len() + 1).div_ceil(4) * 4
    }
}

impl<'a> WireItem<'a> for SdesChunk<'a> {
    #[inline]
    fn read(buf: &mut &'a [u8]) -> Option<Self> {
        let start = *buf;
        let ssrc = u32::read(buf)?;
        let items_start = *buf;
        let mut n = 0;
        loop {
            let &t = buf.first()?;
            if t == 0 {
                break;
            }
            SdesItem::read(buf)?;
            n += 1;
        }
        let items_len = items_start.len() - buf.len();
        let consumed = start.len() - buf.len();
        take(buf, (consumed + 1).div_ceil(4) * 4 - consumed)?;
        Some(Self {
            ssrc,
            items: List::Wire {
                bytes: &items_start[..items_len],
                count: n,
            },
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        self.padded_len()
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        self.items.write(out);
        out.resize(start + self.padded_len(), 0);
    }
}

/// Source description packet (RFC 3550 §6.5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sdes<'a> {
    /// The chunks (at most 31).
    pub chunks: List<'a, SdesChunk<'a>>,
}

impl<'a> Sdes<'a> {
    #[inline(always)]
    pub(super) fn parse(count: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        let mut pos = 0;
        for _ in 0..count {
            let chunk = pos;
            need(body, pos, 4, "sdes chunk")?;
            pos += 4;
            loop {
                need(body, pos, 1, "sdes item")?;
                if body[pos] == 0 {
                    // RFC 3550 §6.5: "The list of items in each chunk MUST be terminated by one
                    // or more null octets ... additional null octets MUST be included if
                    // needed to pad until the next 32-bit boundary."
                    let end = (pos + 1 - chunk).div_ceil(4) * 4 + chunk;
                    need(body, pos, end - pos, "sdes chunk padding")?;
                    if let Some(i) = body[pos..end].iter().position(|&b| b != 0) {
                        return Err(RtpError::Invalid {
                            what: "sdes chunk padding",
                            offset: pos + i,
                        });
                    }
                    pos = end;
                    break;
                }
                need(body, pos, 2, "sdes item")?;
                let len = usize::from(body[pos + 1]);
                need(body, pos, 2 + len, "sdes item")?;
                pos += 2 + len;
            }
        }
        no_trailing(body, pos, "sdes packet")?;
        Ok(Self {
            chunks: List::Wire {
                bytes: body,
                count: usize::from(count),
            },
        })
    }

    /// A packet with one chunk holding one CNAME item.
    #[must_use]
    #[inline]
    pub fn cname(ssrc: u32, cname: &'a [u8]) -> Self {
        let items = alloc::vec![SdesItem::new(SdesItem::CNAME, cname)];
        Self {
            chunks: List::Owned(alloc::vec![SdesChunk {
                ssrc,
                items: List::Owned(items)
            }]),
        }
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        let c = count5(self.chunks.len(), "more than 31 sdes chunks")?;
        for ch in self.chunks.iter() {
            for it in ch.items.iter() {
                if it.kind == 0 || it.value.len() > 255 {
                    return Err(RtpError::Unencodable {
                        what: "sdes item (type 0 or value over 255 bytes)",
                    });
                }
            }
            ch.write(out);
        }
        Ok(c)
    }
}

/// Goodbye packet (RFC 3550 §6.6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bye<'a> {
    /// The sources leaving (at most 31).
    pub sources: List<'a, u32>,
    /// Reason for leaving, if given.
    #[cfg_attr(feature = "serde", serde(serialize_with = "opt_text"))]
    pub reason: Option<Cow<'a, [u8]>>,
}

#[cfg(feature = "serde")]
fn opt_text<S: serde::Serializer>(v: &Option<Cow<'_, [u8]>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => text_or_hex(v, s),
        None => s.serialize_none(),
    }
}

impl<'a> Bye<'a> {
    #[inline(always)]
    pub(super) fn parse(count: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        let n = usize::from(count);
        need(body, 0, 4 * n, "bye sources")?;
        let sources = List::Wire {
            bytes: &body[..4 * n],
            count: n,
        };
        let mut pos = 4 * n;
        let mut reason = None;
        if pos < body.len() {
            let len = usize::from(body[pos]);
            need(body, pos, 1 + len, "bye reason")?;
            reason = Some(Cow::Borrowed(&body[pos + 1..pos + 1 + len]));
            // RFC 3550 §6.6: the reason is "padded to a 32-bit boundary" with null octets.
            let end = (pos + 1 + len).div_ceil(4) * 4;
            need(
                body,
                pos + 1 + len,
                end - (pos + 1 + len),
                "bye reason padding",
            )?;
            if let Some(i) = body[pos + 1 + len..end].iter().position(|&b| b != 0) {
                return Err(RtpError::Invalid {
                    what: "bye reason padding",
                    offset: pos + 1 + len + i,
                });
            }
            pos = end;
        }
        no_trailing(body, pos, "bye packet")?;
        Ok(Self { sources, reason })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        let c = count5(self.sources.len(), "more than 31 bye sources")?;
        self.sources.write(out);
        if let Some(r) = &self.reason {
            if r.len() > 255 {
                return Err(RtpError::Unencodable {
                    what: "bye reason over 255 bytes",
                });
            }
            let start = out.len();
            out.push(r.len() as u8);
            out.extend_from_slice(r);
            out.resize(start + (1 + r.len()).div_ceil(4) * 4, 0);
        }
        Ok(c)
    }
}

/// Application-defined packet (RFC 3550 §6.7).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct App<'a> {
    /// Subtype (5 bits).
    pub subtype: u8,
    /// SSRC/CSRC of the sender.
    pub ssrc: u32,
    /// Four ASCII characters naming the application.
    #[cfg_attr(feature = "serde", serde(serialize_with = "name4"))]
    pub name: [u8; 4],
    /// Application-dependent data.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub data: Cow<'a, [u8]>,
}

#[cfg(feature = "serde")]
fn name4<S: serde::Serializer>(v: &[u8; 4], s: S) -> Result<S::Ok, S::Error> {
    match core::str::from_utf8(v) {
        Ok(t) => s.serialize_str(t),
        Err(_) => crate::list::hex_bytes::serialize(v, s),
    }
}

impl<'a> App<'a> {
    #[inline(always)]
    pub(super) fn parse(count: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        need(body, 0, 8, "app header")?;
        Ok(Self {
            subtype: count,
            ssrc: be32(body, 0),
            name: [body[4], body[5], body[6], body[7]],
            data: Cow::Borrowed(&body[8..]),
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        let c = count5(usize::from(self.subtype), "app subtype above 31")?;
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(&self.name);
        out.extend_from_slice(&self.data);
        Ok(c)
    }
}

/// A packet kept as it was: an unknown type or feedback format.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawPacket<'a> {
    /// The 5-bit count / FMT field.
    pub count: u8,
    /// The packet type.
    pub packet_type: u8,
    /// Whether the `P` bit was set (the padding is then at the end of `body`).
    pub padding: bool,
    /// Everything after the 4-byte header.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub body: Cow<'a, [u8]>,
}
