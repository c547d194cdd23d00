//! RTP feedback (RFC 4585 §6.2, RFC 5104 §4.2) and payload-specific feedback (RFC 4585 §6.3,
//! RFC 5104 §4.3, REMB).

use super::{fb_header, no_trailing};
use crate::error::{need, RtpError};
use crate::list::{be16, be32, take, List, WireItem};
use alloc::borrow::Cow;
use alloc::vec::Vec;

fn write_fb(out: &mut Vec<u8>, sender: u32, media: u32) {
    out.extend_from_slice(&sender.to_be_bytes());
    out.extend_from_slice(&media.to_be_bytes());
}

/// FCI whose items are `size` bytes each.
fn fixed_fci<'a, T>(
    body: &'a [u8],
    size: usize,
    what: &'static str,
) -> Result<List<'a, T>, RtpError> {
    let fci = &body[8..];
    if fci.len() % size != 0 {
        let whole = fci.len() / size * size;
        return Err(RtpError::Truncated {
            what,
            offset: 8 + whole,
            needed: size,
            available: fci.len() - whole,
        });
    }
    Ok(List::Wire {
        bytes: fci,
        count: fci.len() / size,
    })
}

/// One generic NACK FCI entry: a packet ID and a bitmask of the 16 following (RFC 4585
/// §6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NackPair {
    /// Packet ID: a lost sequence number.
    pub pid: u16,
    /// Bitmask of following lost packets: bit `i` (LSB = 0) means `pid + i + 1` was lost.
    pub blp: u16,
}

impl NackPair {
    /// The lost sequence numbers this entry names.
    #[inline]
    #[must_use]
    pub fn lost(self) -> NackLost {
        NackLost {
            pid: self.pid,
            bits: (u32::from(self.blp) << 1) | 1,
        }
    }
}

/// The lost sequence numbers of one [`NackPair`].
#[derive(Debug, Clone, Copy)]
pub struct NackLost {
    pid: u16,
    /// Bit `i` set: `pid + i` lost (bit 0 is the PID itself).
    bits: u32,
}

impl Iterator for NackLost {
    type Item = u16;

    #[inline]
    fn next(&mut self) -> Option<u16> {
        if self.bits == 0 {
            return None;
        }
        let i = self.bits.trailing_zeros();
        self.bits &= self.bits - 1;
        Some(self.pid.wrapping_add(i as u16))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.bits.count_ones() as usize;
        (n, Some(n))
    }
}

impl WireItem<'_> for NackPair {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 4)?;
        Some(Self {
            pid: be16(b, 0),
            blp: be16(b, 2),
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        4
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.pid.to_be_bytes());
        out.extend_from_slice(&self.blp.to_be_bytes());
    }
}

/// Generic NACK (RTPFB FMT 1, RFC 4585 §6.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Nack<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
    /// FCI entries.
    pub pairs: List<'a, NackPair>,
}

impl<'a> Nack<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            pairs: fixed_fci(body, 4, "nack fci")?,
        })
    }

    /// A NACK naming `lost` sequence numbers, packed into as few PID/BLP entries as a single
    /// pass allows (each entry covers its PID and the 16 numbers after it, with wrap-around).
    #[must_use]
    #[inline]
    pub fn from_lost(sender_ssrc: u32, media_ssrc: u32, lost: &[u16]) -> Self {
        let mut pairs: Vec<NackPair> = Vec::new();
        for &s in lost {
            if let Some(last) = pairs.last_mut() {
                let d = s.wrapping_sub(last.pid);
                if d == 0 {
                    continue;
                }
                if (1..=16).contains(&d) {
                    last.blp |= 1 << (d - 1);
                    continue;
                }
            }
            pairs.push(NackPair { pid: s, blp: 0 });
        }
        Self {
            sender_ssrc,
            media_ssrc,
            pairs: List::Owned(pairs),
        }
    }

    /// Every lost sequence number, in FCI order.
    #[inline]
    pub fn lost(&self) -> impl Iterator<Item = u16> + '_ {
        self.pairs.iter().flat_map(NackPair::lost)
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        self.pairs.write(out);
        Ok(())
    }
}

/// One TMMBR/TMMBN FCI entry (RFC 5104 §4.2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TmmbItem {
    /// The media sender the entry is about.
    pub ssrc: u32,
    /// Bit-rate exponent (6 bits).
    pub exp: u8,
    /// Bit-rate mantissa (17 bits).
    pub mantissa: u32,
    /// Measured per-packet overhead in bytes (9 bits).
    pub overhead: u16,
}

impl TmmbItem {
    /// The maximum total media bit rate, `mantissa * 2^exp` bits per second.
    #[must_use]
    #[inline]
    pub fn bitrate(&self) -> u64 {
        u64::from(self.mantissa)
            .checked_shl(u32::from(self.exp))
            .unwrap_or(u64::MAX)
    }

    /// An entry for `bitrate` bits per second, rounded down to what 17 mantissa bits carry.
    #[must_use]
    #[inline]
    pub fn from_bitrate(ssrc: u32, bitrate: u64, overhead: u16) -> Self {
        let (exp, mantissa) = split_exp(bitrate, 17);
        Self {
            ssrc,
            exp,
            mantissa: mantissa as u32,
            overhead: overhead & 0x1ff,
        }
    }
}

/// Splits `v` into `(exp, mantissa)` with a mantissa of at most `bits` bits.
fn split_exp(v: u64, bits: u32) -> (u8, u64) {
    let mut exp = 0u8;
    let mut m = v;
    while m >= 1 << bits {
        m >>= 1;
        exp += 1;
    }
    (exp, m)
}

impl WireItem<'_> for TmmbItem {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 8)?;
        let w = be32(b, 4);
        Some(Self {
            ssrc: be32(b, 0),
            exp: (w >> 26) as u8,
            mantissa: (w >> 9) & 0x1ffff,
            overhead: (w & 0x1ff) as u16,
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        8
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        let w = (u32::from(self.exp & 0x3f) << 26)
            | ((self.mantissa & 0x1ffff) << 9)
            | u32::from(self.overhead & 0x1ff);
        out.extend_from_slice(&w.to_be_bytes());
    }
}

macro_rules! tmmb {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $name<'a> {
            /// SSRC of the packet sender.
            pub sender_ssrc: u32,
            /// SSRC of the media source (RFC 5104: "not used", set to 0).
            pub media_ssrc: u32,
            /// FCI entries.
            pub items: List<'a, TmmbItem>,
        }

        impl<'a> $name<'a> {
            pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
                let (sender_ssrc, media_ssrc) = fb_header(body)?;
                Ok(Self {
                    sender_ssrc,
                    media_ssrc,
                    items: fixed_fci(body, 8, "tmmb fci")?,
                })
            }

            pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
                if self
                    .items
                    .iter()
                    .any(|i| i.exp > 63 || i.mantissa > 0x1ffff || i.overhead > 0x1ff)
                {
                    return Err(RtpError::Unencodable {
                        what: "tmmb entry field",
                    });
                }
                write_fb(out, self.sender_ssrc, self.media_ssrc);
                self.items.write(out);
                Ok(())
            }
        }
    };
}

tmmb!(
    Tmmbr,
    "Temporary maximum media stream bit rate request (RTPFB FMT 3, RFC 5104 §4.2.1)."
);
tmmb!(
    Tmmbn,
    "Temporary maximum media stream bit rate notification (RTPFB FMT 4, RFC 5104 §4.2.2)."
);

/// Picture loss indication (PSFB FMT 1, RFC 4585 §6.3.1): no FCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Pli {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
}

impl Pli {
    #[inline(always)]
    pub(super) fn parse(body: &[u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        // RFC 4585 §6.3.1: "PLI does not require parameters. Therefore, the length field MUST
        // be 2".
        no_trailing(body, 8, "pli")?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        Ok(())
    }
}

/// One SLI entry (RFC 4585 §6.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SliItem {
    /// First lost macroblock (13 bits).
    pub first: u16,
    /// Number of lost macroblocks (13 bits).
    pub number: u16,
    /// The six least significant bits of the picture ID.
    pub picture_id: u8,
}

impl WireItem<'_> for SliItem {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let w = u32::read(buf)?;
        Some(Self {
            first: (w >> 19) as u16,
            number: ((w >> 6) & 0x1fff) as u16,
            picture_id: (w & 0x3f) as u8,
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        4
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        let w = (u32::from(self.first & 0x1fff) << 19)
            | (u32::from(self.number & 0x1fff) << 6)
            | u32::from(self.picture_id & 0x3f);
        out.extend_from_slice(&w.to_be_bytes());
    }
}

/// Slice loss indication (PSFB FMT 2, RFC 4585 §6.3.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sli<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
    /// FCI entries.
    pub items: List<'a, SliItem>,
}

impl<'a> Sli<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            items: fixed_fci(body, 4, "sli fci")?,
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        if self
            .items
            .iter()
            .any(|i| i.first > 0x1fff || i.number > 0x1fff || i.picture_id > 0x3f)
        {
            return Err(RtpError::Unencodable {
                what: "sli entry field",
            });
        }
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        self.items.write(out);
        Ok(())
    }
}

/// Reference picture selection indication (PSFB FMT 3, RFC 4585 §6.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Rpsi<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
    /// PB: the number of unused bits at the end of `bits`.
    pub padding_bits: u8,
    /// The RTP payload type of the bit string (7 bits).
    pub payload_type: u8,
    /// The native RPSI bit string, its padding bits included (FCI bytes after the first two).
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub bits: Cow<'a, [u8]>,
}

impl<'a> Rpsi<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        need(body, 8, 2, "rpsi fci")?;
        let padding_bits = body[8];
        let bits = &body[10..];
        if usize::from(padding_bits) > bits.len() * 8 {
            return Err(RtpError::Invalid {
                what: "rpsi padding bit count",
                offset: 8,
            });
        }
        if body[9] & 0x80 != 0 {
            return Err(RtpError::Invalid {
                what: "rpsi reserved bit",
                offset: 9,
            });
        }
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            padding_bits,
            payload_type: body[9],
            bits: Cow::Borrowed(bits),
        })
    }

    /// Number of meaningful bits in the bit string.
    #[must_use]
    #[inline]
    pub fn bit_len(&self) -> usize {
        (self.bits.len() * 8).saturating_sub(usize::from(self.padding_bits))
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        if self.payload_type > 127 || usize::from(self.padding_bits) > self.bits.len() * 8 {
            return Err(RtpError::Unencodable {
                what: "rpsi payload type or padding bits",
            });
        }
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        out.push(self.padding_bits);
        out.push(self.payload_type);
        out.extend_from_slice(&self.bits);
        Ok(())
    }
}

/// One FIR entry (RFC 5104 §4.3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirEntry {
    /// The media sender asked for a decoder refresh point.
    pub ssrc: u32,
    /// Command sequence number.
    pub sequence_number: u8,
}

impl WireItem<'_> for FirEntry {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 8)?;
        Some(Self {
            ssrc: be32(b, 0),
            sequence_number: b[4],
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        8
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(&[self.sequence_number, 0, 0, 0]);
    }
}

/// Full intra request (PSFB FMT 4, RFC 5104 §4.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Fir<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source (RFC 5104: "not used", set to 0).
    pub media_ssrc: u32,
    /// FCI entries.
    pub entries: List<'a, FirEntry>,
}

impl<'a> Fir<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            entries: fixed_fci(body, 8, "fir fci")?,
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        self.entries.write(out);
        Ok(())
    }
}

/// Receiver estimated maximum bitrate (PSFB FMT 15 with the `REMB` identifier,
/// draft-alvestrand-rmcat-remb-03 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Remb<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source (always 0 in REMB).
    pub media_ssrc: u32,
    /// Bit-rate exponent (6 bits).
    pub exp: u8,
    /// Bit-rate mantissa (18 bits).
    pub mantissa: u32,
    /// The SSRCs the estimate applies to (at most 255).
    pub ssrcs: List<'a, u32>,
}

impl<'a> Remb<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        need(body, 8, 8, "remb fci")?;
        let n = usize::from(body[12]);
        need(body, 16, 4 * n, "remb ssrcs")?;
        no_trailing(body, 16 + 4 * n, "remb")?;
        let w = be32(body, 12);
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            exp: ((w >> 18) & 0x3f) as u8,
            mantissa: w & 0x3ffff,
            ssrcs: List::Wire {
                bytes: &body[16..16 + 4 * n],
                count: n,
            },
        })
    }

    /// A REMB of `bitrate` bits per second (rounded down to what 18 mantissa bits carry).
    #[must_use]
    #[inline]
    pub fn new(sender_ssrc: u32, bitrate: u64, ssrcs: Vec<u32>) -> Self {
        let (exp, m) = split_exp(bitrate, 18);
        Self {
            sender_ssrc,
            media_ssrc: 0,
            exp,
            mantissa: m as u32,
            ssrcs: List::Owned(ssrcs),
        }
    }

    /// The estimate, `mantissa * 2^exp` bits per second.
    #[must_use]
    #[inline]
    pub fn bitrate(&self) -> u64 {
        u64::from(self.mantissa)
            .checked_shl(u32::from(self.exp))
            .unwrap_or(u64::MAX)
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        if self.ssrcs.len() > 255 || self.exp > 63 || self.mantissa > 0x3ffff {
            return Err(RtpError::Unencodable { what: "remb field" });
        }
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        out.extend_from_slice(b"REMB");
        let w = ((self.ssrcs.len() as u32) << 24) | (u32::from(self.exp) << 18) | self.mantissa;
        out.extend_from_slice(&w.to_be_bytes());
        self.ssrcs.write(out);
        Ok(())
    }
}

/// Application-layer feedback other than REMB (PSFB FMT 15, RFC 4585 §6.4), kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Afb<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source.
    pub media_ssrc: u32,
    /// The application message.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub data: Cow<'a, [u8]>,
}

impl<'a> Afb<'a> {
    #[inline(always)]
    pub(super) fn parse(body: &'a [u8]) -> Result<Self, RtpError> {
        let (sender_ssrc, media_ssrc) = fb_header(body)?;
        Ok(Self {
            sender_ssrc,
            media_ssrc,
            data: Cow::Borrowed(&body[8..]),
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<(), RtpError> {
        write_fb(out, self.sender_ssrc, self.media_ssrc);
        out.extend_from_slice(&self.data);
        Ok(())
    }
}
