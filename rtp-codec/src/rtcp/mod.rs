//! RTCP ([RFC 3550 §6]): compound and reduced-size ([RFC 5506]) packets, typed packets and
//! their writers.
//!
//! [`Compound`] walks the packets of a datagram. Each header (version, length, padding) is
//! validated before the packet is handed to its typed parser, so that no accessor of a parsed
//! packet can panic. Lists inside packets ([`List`]) stay on the wire until iterated, so parsing
//! copies nothing. Unknown packet types and feedback formats come back as [`RawPacket`] and
//! are written back unchanged; [`RtcpPacket::write_to`] of any parsed packet reproduces its
//! bytes.
//!
//! [RFC 3550 §6]: https://www.rfc-editor.org/rfc/rfc3550#section-6
//! [RFC 5506]: https://www.rfc-editor.org/rfc/rfc5506

mod ccfb;
mod feedback;
mod owned;
mod report;
mod rewrite;
mod twcc;
mod xr;

pub use ccfb::{Ccfb, CcfbBlock, CcfbMetric};
pub use feedback::{
    Afb, Fir, FirEntry, Nack, NackLost, NackPair, Pli, Remb, Rpsi, Sli, SliItem, TmmbItem, Tmmbn,
    Tmmbr,
};
pub use report::{
    App, Bye, RawPacket, ReceiverReport, ReportBlock, Sdes, SdesChunk, SdesItem, SenderReport,
};
pub use rewrite::{CompoundMut, RtcpPacketMut, SsrcField};
pub use twcc::{
    Twcc, TwccChunk, TwccPacket, TwccPackets, TwccStatus, DELTA_TICK_US, REFERENCE_TIME_UNIT_US,
};
pub use xr::{DlrrItem, Xr, XrBlock};

use crate::error::{need, RtpError};
use crate::list::be16;
pub use crate::list::{List, ListIter};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// RTCP packet type numbers (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2).
pub mod packet_type {
    /// Sender report.
    pub const SR: u8 = 200;
    /// Receiver report.
    pub const RR: u8 = 201;
    /// Source description.
    pub const SDES: u8 = 202;
    /// Goodbye.
    pub const BYE: u8 = 203;
    /// Application-defined.
    pub const APP: u8 = 204;
    /// Transport-layer feedback (RFC 4585).
    pub const RTPFB: u8 = 205;
    /// Payload-specific feedback (RFC 4585).
    pub const PSFB: u8 = 206;
    /// Extended report (RFC 3611).
    pub const XR: u8 = 207;
}

/// Feedback message types: the FMT field of RTPFB (PT 205) and PSFB (PT 206) packets
/// ([RFC 4585 §6.1], [RFC 5104 §4], [RFC 8888 §3.1]; 15 is the application layer for PSFB
/// and, by draft-holmer-rmcat-transport-wide-cc-extensions, TWCC for RTPFB).
///
/// [RFC 4585 §6.1]: https://www.rfc-editor.org/rfc/rfc4585#section-6.1
/// [RFC 5104 §4]: https://www.rfc-editor.org/rfc/rfc5104#section-4
/// [RFC 8888 §3.1]: https://www.rfc-editor.org/rfc/rfc8888#section-3.1
pub mod fmt {
    /// RTPFB: generic NACK.
    pub const NACK: u8 = 1;
    /// RTPFB: temporary maximum media stream bit rate request.
    pub const TMMBR: u8 = 3;
    /// RTPFB: temporary maximum media stream bit rate notification.
    pub const TMMBN: u8 = 4;
    /// RTPFB: congestion control feedback (RFC 8888).
    pub const CCFB: u8 = 11;
    /// RTPFB: transport-wide congestion control feedback.
    pub const TWCC: u8 = 15;
    /// PSFB: picture loss indication.
    pub const PLI: u8 = 1;
    /// PSFB: slice loss indication.
    pub const SLI: u8 = 2;
    /// PSFB: reference picture selection indication.
    pub const RPSI: u8 = 3;
    /// PSFB: full intra request.
    pub const FIR: u8 = 4;
    /// PSFB: application layer feedback (REMB among others).
    pub const AFB: u8 = 15;
}

/// The short name of a packet type and count/FMT field (`"sr"`, `"nack"`, `"pli"`, …) as
/// [`RtcpPacket::name`] gives it, from the header alone, e.g. for the clear header of an
/// SRTCP packet. PSFB FMT 15 is `"afb"` (REMB is told apart by its body). `None` for other
/// types and formats.
#[must_use]
pub const fn packet_name(packet_type: u8, count: u8) -> Option<&'static str> {
    use packet_type::*;
    Some(match (packet_type, count) {
        (SR, _) => "sr",
        (RR, _) => "rr",
        (SDES, _) => "sdes",
        (BYE, _) => "bye",
        (APP, _) => "app",
        (RTPFB, fmt::NACK) => "nack",
        (RTPFB, fmt::TMMBR) => "tmmbr",
        (RTPFB, fmt::TMMBN) => "tmmbn",
        (RTPFB, fmt::CCFB) => "ccfb",
        (RTPFB, fmt::TWCC) => "twcc",
        (PSFB, fmt::PLI) => "pli",
        (PSFB, fmt::SLI) => "sli",
        (PSFB, fmt::RPSI) => "rpsi",
        (PSFB, fmt::FIR) => "fir",
        (PSFB, fmt::AFB) => "afb",
        (XR, _) => "xr",
        _ => return None,
    })
}

/// One RTCP packet of a compound packet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RtcpPacket<'a> {
    /// Sender report (PT 200).
    Sr(SenderReport<'a>),
    /// Receiver report (PT 201).
    Rr(ReceiverReport<'a>),
    /// Source description (PT 202).
    Sdes(Sdes<'a>),
    /// Goodbye (PT 203).
    Bye(Bye<'a>),
    /// Application-defined (PT 204).
    App(App<'a>),
    /// Generic NACK (PT 205, FMT 1, RFC 4585 §6.2.1).
    Nack(Nack<'a>),
    /// Temporary maximum media stream bit rate request (PT 205, FMT 3, RFC 5104 §4.2.1).
    Tmmbr(Tmmbr<'a>),
    /// Temporary maximum media stream bit rate notification (PT 205, FMT 4, RFC 5104 §4.2.2).
    Tmmbn(Tmmbn<'a>),
    /// Transport-wide congestion control feedback (PT 205, FMT 15).
    Twcc(Twcc<'a>),
    /// Congestion control feedback (PT 205, FMT 11, RFC 8888).
    Ccfb(Ccfb<'a>),
    /// Picture loss indication (PT 206, FMT 1, RFC 4585 §6.3.1).
    Pli(Pli),
    /// Slice loss indication (PT 206, FMT 2, RFC 4585 §6.3.2).
    Sli(Sli<'a>),
    /// Reference picture selection indication (PT 206, FMT 3, RFC 4585 §6.3.3).
    Rpsi(Rpsi<'a>),
    /// Full intra request (PT 206, FMT 4, RFC 5104 §4.3.1).
    Fir(Fir<'a>),
    /// Receiver estimated maximum bitrate (PT 206, FMT 15, draft-alvestrand-rmcat-remb).
    Remb(Remb<'a>),
    /// Other application-layer feedback (PT 206, FMT 15, RFC 4585 §6.4).
    Afb(Afb<'a>),
    /// Extended report (PT 207, RFC 3611).
    Xr(Xr<'a>),
    /// A typed packet whose `P` bit was set: the packet and its padding octets.
    Padded(Padded<'a>),
    /// Any other packet type or feedback format, kept as it was.
    Raw(RawPacket<'a>),
}

/// A typed packet that carried RTCP padding (RFC 3550 §6.4.1 `P` bit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Padded<'a> {
    /// The packet without its padding.
    pub packet: Box<RtcpPacket<'a>>,
    /// The padding octets, the count octet (last) included.
    pub padding: Cow<'a, [u8]>,
}

impl<'a> RtcpPacket<'a> {
    /// Parses one packet from its fixed header fields and body (the bytes after the 4-byte
    /// header, padding removed). Errors carry offsets relative to the body start.
    #[inline]
    fn parse_body(count: u8, pt: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        use packet_type::*;
        // Each arm hands the typed parser's result straight on (`map`), rather than
        // unwrapping it with `?` and wrapping it again, which costs a copy of the packet.
        match (pt, count) {
            (SR, _) => SenderReport::parse(count, body).map(Self::Sr),
            (RR, _) => ReceiverReport::parse(count, body).map(Self::Rr),
            (SDES, _) => Sdes::parse(count, body).map(Self::Sdes),
            (BYE, _) => Bye::parse(count, body).map(Self::Bye),
            (APP, _) => App::parse(count, body).map(Self::App),
            (RTPFB, fmt::NACK) => Nack::parse(body).map(Self::Nack),
            (RTPFB, fmt::TMMBR) => Tmmbr::parse(body).map(Self::Tmmbr),
            (RTPFB, fmt::TMMBN) => Tmmbn::parse(body).map(Self::Tmmbn),
            (RTPFB, fmt::CCFB) => Ccfb::parse(body).map(Self::Ccfb),
            (RTPFB, fmt::TWCC) => Twcc::parse(body).map(Self::Twcc),
            (PSFB, fmt::PLI) => Pli::parse(body).map(Self::Pli),
            (PSFB, fmt::SLI) => Sli::parse(body).map(Self::Sli),
            (PSFB, fmt::RPSI) => Rpsi::parse(body).map(Self::Rpsi),
            (PSFB, fmt::FIR) => Fir::parse(body).map(Self::Fir),
            (PSFB, fmt::AFB) => {
                if body.len() >= 12 && &body[8..12] == b"REMB" {
                    Remb::parse(body).map(Self::Remb)
                } else {
                    Afb::parse(body).map(Self::Afb)
                }
            }
            (XR, _) => Xr::parse(count, body).map(Self::Xr),
            _ => Ok(Self::Raw(RawPacket {
                count,
                packet_type: pt,
                padding: false,
                body: Cow::Borrowed(body),
            })),
        }
    }

    /// Parses exactly one RTCP packet occupying all of `data`.
    ///
    /// # Errors
    /// As [`Compound`], plus [`RtpError::TrailingBytes`] when `data` holds more than one packet.
    #[inline]
    pub fn parse(data: &'a [u8]) -> Result<Self, RtpError> {
        let h = header(data, 0)?;
        if h.len != data.len() {
            return Err(RtpError::TrailingBytes {
                what: "rtcp packet",
                offset: h.len,
                extra: data.len() - h.len,
            });
        }
        parse_at(data, 0, h)
    }

    /// The packet type (PT field).
    #[must_use]
    #[inline]
    pub fn packet_type(&self) -> u8 {
        use packet_type::*;
        match self {
            Self::Sr(_) => SR,
            Self::Rr(_) => RR,
            Self::Sdes(_) => SDES,
            Self::Bye(_) => BYE,
            Self::App(_) => APP,
            Self::Nack(_) | Self::Tmmbr(_) | Self::Tmmbn(_) | Self::Twcc(_) | Self::Ccfb(_) => {
                RTPFB
            }
            Self::Pli(_)
            | Self::Sli(_)
            | Self::Rpsi(_)
            | Self::Fir(_)
            | Self::Remb(_)
            | Self::Afb(_) => PSFB,
            Self::Xr(_) => XR,
            Self::Padded(p) => p.packet.packet_type(),
            Self::Raw(r) => r.packet_type,
        }
    }

    /// The short name used in JSON output (`"sr"`, `"nack"`, …), `None` for raw packets.
    #[must_use]
    #[inline]
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Self::Sr(_) => "sr",
            Self::Rr(_) => "rr",
            Self::Sdes(_) => "sdes",
            Self::Bye(_) => "bye",
            Self::App(_) => "app",
            Self::Nack(_) => "nack",
            Self::Tmmbr(_) => "tmmbr",
            Self::Tmmbn(_) => "tmmbn",
            Self::Twcc(_) => "twcc",
            Self::Ccfb(_) => "ccfb",
            Self::Pli(_) => "pli",
            Self::Sli(_) => "sli",
            Self::Rpsi(_) => "rpsi",
            Self::Fir(_) => "fir",
            Self::Remb(_) => "remb",
            Self::Afb(_) => "afb",
            Self::Xr(_) => "xr",
            Self::Padded(p) => return p.packet.name(),
            Self::Raw(_) => return None,
        })
    }

    /// The SSRC of the packet's sender: the reporter of SR, RR and XR, the sender of
    /// feedback (RFC 4585 §6.1 "SSRC of packet sender") and APP, the first chunk of SDES,
    /// the first source of BYE. `None` for SDES and BYE without sources and for raw packets,
    /// whose layout is unknown.
    #[must_use]
    #[inline]
    pub fn sender_ssrc(&self) -> Option<u32> {
        Some(match self {
            Self::Sr(p) => p.ssrc,
            Self::Rr(p) => p.ssrc,
            Self::Sdes(p) => return p.chunks.iter().next().map(|c| c.ssrc),
            Self::Bye(p) => return p.sources.iter().next(),
            Self::App(p) => p.ssrc,
            Self::Nack(p) => p.sender_ssrc,
            Self::Tmmbr(p) => p.sender_ssrc,
            Self::Tmmbn(p) => p.sender_ssrc,
            Self::Twcc(p) => p.sender_ssrc,
            Self::Ccfb(p) => p.sender_ssrc,
            Self::Pli(p) => p.sender_ssrc,
            Self::Sli(p) => p.sender_ssrc,
            Self::Rpsi(p) => p.sender_ssrc,
            Self::Fir(p) => p.sender_ssrc,
            Self::Remb(p) => p.sender_ssrc,
            Self::Afb(p) => p.sender_ssrc,
            Self::Xr(p) => p.ssrc,
            Self::Padded(p) => return p.packet.sender_ssrc(),
            Self::Raw(_) => return None,
        })
    }

    /// The "SSRC of media source" of a feedback packet (RFC 4585 §6.1), `None` for other
    /// packets. For FIR, TMMBR/TMMBN and REMB the field is unused (RFC 5104 §4.2, §4.3.1:
    /// set to 0) and the sources are in the FCI entries.
    #[must_use]
    #[inline]
    pub fn media_ssrc(&self) -> Option<u32> {
        Some(match self {
            Self::Nack(p) => p.media_ssrc,
            Self::Tmmbr(p) => p.media_ssrc,
            Self::Tmmbn(p) => p.media_ssrc,
            Self::Twcc(p) => p.media_ssrc,
            Self::Ccfb(_) => return None,
            Self::Pli(p) => p.media_ssrc,
            Self::Sli(p) => p.media_ssrc,
            Self::Rpsi(p) => p.media_ssrc,
            Self::Fir(p) => p.media_ssrc,
            Self::Remb(p) => p.media_ssrc,
            Self::Afb(p) => p.media_ssrc,
            Self::Padded(p) => return p.packet.media_ssrc(),
            _ => return None,
        })
    }

    /// Appends the body and returns the 5-bit count/FMT field.
    #[inline]
    fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        match self {
            Self::Sr(p) => p.write_body(out),
            Self::Rr(p) => p.write_body(out),
            Self::Sdes(p) => p.write_body(out),
            Self::Bye(p) => p.write_body(out),
            Self::App(p) => p.write_body(out),
            Self::Nack(p) => p.write_body(out).map(|()| fmt::NACK),
            Self::Tmmbr(p) => p.write_body(out).map(|()| fmt::TMMBR),
            Self::Tmmbn(p) => p.write_body(out).map(|()| fmt::TMMBN),
            Self::Ccfb(p) => p.write_body(out).map(|()| fmt::CCFB),
            Self::Twcc(p) => p.write_body(out).map(|()| fmt::TWCC),
            Self::Pli(p) => p.write_body(out).map(|()| fmt::PLI),
            Self::Sli(p) => p.write_body(out).map(|()| fmt::SLI),
            Self::Rpsi(p) => p.write_body(out).map(|()| fmt::RPSI),
            Self::Fir(p) => p.write_body(out).map(|()| fmt::FIR),
            Self::Remb(p) => p.write_body(out).map(|()| fmt::AFB),
            Self::Afb(p) => p.write_body(out).map(|()| fmt::AFB),
            Self::Xr(p) => p.write_body(out),
            Self::Padded(_) => Err(RtpError::Unencodable {
                what: "nested padded packet",
            }),
            Self::Raw(r) => {
                out.extend_from_slice(&r.body);
                Ok(r.count)
            }
        }
    }

    /// Appends the packet (header included) to `out` and returns its length.
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] when a count does not fit its 5-bit field, a value does not
    /// fit its field, or the packet would not be a whole number of 32-bit words.
    #[inline]
    pub fn write_to(&self, out: &mut Vec<u8>) -> Result<usize, RtpError> {
        let start = out.len();
        let r = self.write_inner(out);
        if r.is_err() {
            out.truncate(start);
        }
        r
    }

    #[inline]
    fn write_inner(&self, out: &mut Vec<u8>) -> Result<usize, RtpError> {
        let start = out.len();
        out.extend_from_slice(&[0; 4]);
        let (inner, padding): (&Self, &[u8]) = match self {
            Self::Padded(p) => {
                match p.padding.last() {
                    Some(&c) if usize::from(c) == p.padding.len() => {}
                    _ => {
                        return Err(RtpError::Unencodable {
                            what: "rtcp padding count",
                        })
                    }
                }
                (&p.packet, &p.padding)
            }
            other => (other, &[]),
        };
        let count = inner.write_body(out)?;
        out.extend_from_slice(padding);
        let len = out.len() - start;
        if count > 31 {
            return Err(RtpError::Unencodable {
                what: "rtcp count field above 31",
            });
        }
        if len % 4 != 0 || len / 4 - 1 > usize::from(u16::MAX) {
            return Err(RtpError::Unencodable {
                what: "rtcp packet length",
            });
        }
        let p_bit = !padding.is_empty() || matches!(inner, Self::Raw(r) if r.padding);
        out[start] = 0x80 | (u8::from(p_bit) << 5) | count;
        out[start + 1] = inner.packet_type();
        out[start + 2..start + 4].copy_from_slice(&((len / 4 - 1) as u16).to_be_bytes());
        Ok(len)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RtcpPacket<'_> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        #[serde(untagged)]
        enum Ty {
            Name(&'static str),
            Number(u8),
        }
        #[derive(serde::Serialize)]
        struct Tagged<'x, T: serde::Serialize> {
            #[serde(rename = "type")]
            ty: Ty,
            #[serde(flatten)]
            inner: &'x T,
            #[serde(skip_serializing_if = "Option::is_none")]
            padding_len: Option<usize>,
        }
        fn tag<S: serde::Serializer, T: serde::Serialize>(
            s: S,
            ty: Ty,
            inner: &T,
            padding_len: Option<usize>,
        ) -> Result<S::Ok, S::Error> {
            serde::Serialize::serialize(
                &Tagged {
                    ty,
                    inner,
                    padding_len,
                },
                s,
            )
        }
        let (packet, pad) = match self {
            Self::Padded(p) => (&*p.packet, Some(p.padding.len())),
            other => (other, None),
        };
        let name = packet
            .name()
            .map_or(Ty::Number(packet.packet_type()), Ty::Name);
        match packet {
            Self::Sr(p) => tag(s, name, p, pad),
            Self::Rr(p) => tag(s, name, p, pad),
            Self::Sdes(p) => tag(s, name, p, pad),
            Self::Bye(p) => tag(s, name, p, pad),
            Self::App(p) => tag(s, name, p, pad),
            Self::Nack(p) => tag(s, name, p, pad),
            Self::Tmmbr(p) => tag(s, name, p, pad),
            Self::Tmmbn(p) => tag(s, name, p, pad),
            Self::Twcc(p) => tag(s, name, p, pad),
            Self::Ccfb(p) => tag(s, name, p, pad),
            Self::Pli(p) => tag(s, name, p, pad),
            Self::Sli(p) => tag(s, name, p, pad),
            Self::Rpsi(p) => tag(s, name, p, pad),
            Self::Fir(p) => tag(s, name, p, pad),
            Self::Remb(p) => tag(s, name, p, pad),
            Self::Afb(p) => tag(s, name, p, pad),
            Self::Xr(p) => tag(s, name, p, pad),
            Self::Raw(p) => tag(s, name, p, pad),
            // Only reachable for a hand-built padded packet inside a padded packet.
            Self::Padded(p) => tag(s, Ty::Name("padded"), &p.padding.len(), pad),
        }
    }
}

/// The validated header of the packet at some offset.
#[derive(Clone, Copy)]
struct Header {
    count: u8,
    pt: u8,
    /// Total length (header included).
    len: usize,
    /// End of the body, relative to the packet start (padding excluded).
    body_end: usize,
    padded: bool,
}

/// Validates the header at `off`: version, length within `data`, padding count.
#[inline]
fn header(data: &[u8], off: usize) -> Result<Header, RtpError> {
    need(data, off, 4, "rtcp header")?;
    let b0 = data[off];
    let version = b0 >> 6;
    if version != 2 {
        return Err(RtpError::BadVersion {
            offset: off,
            version,
        });
    }
    let len = 4 * (usize::from(be16(data, off + 2)) + 1);
    need(data, off, len, "rtcp packet")?;
    let padded = b0 & 0x20 != 0;
    let mut body_end = len;
    if padded {
        // RFC 3550 §6.4.1: "The last octet of the padding is a count of how many padding
        // octets should be ignored, including itself (it will be a multiple of four)."
        let c = data[off + len - 1];
        if c == 0 || usize::from(c) > len - 4 {
            return Err(RtpError::BadPadding {
                offset: off + len - 1,
                count: c,
            });
        }
        body_end -= usize::from(c);
    }
    Ok(Header {
        count: b0 & 0x1f,
        pt: data[off + 1],
        len,
        body_end,
        padded,
    })
}

/// Parses the packet whose header `h` was validated at `off`. Errors carry offsets from the
/// start of `data`.
#[inline]
fn parse_at(data: &[u8], off: usize, h: Header) -> Result<RtcpPacket<'_>, RtpError> {
    let pkt = &data[off..off + h.len];
    if h.padded {
        // A type and format with a typed parser (the ones `packet_name` names).
        if packet_name(h.pt, h.count).is_none() {
            let body = Cow::Borrowed(&pkt[4..]);
            return Ok(RtcpPacket::Raw(RawPacket {
                count: h.count,
                packet_type: h.pt,
                padding: true,
                body,
            }));
        }
        return match RtcpPacket::parse_body(h.count, h.pt, &pkt[4..h.body_end]) {
            Ok(p) => Ok(RtcpPacket::Padded(Padded {
                packet: Box::new(p),
                padding: Cow::Borrowed(&pkt[h.body_end..]),
            })),
            Err(e) => Err(e.shifted(off + 4)),
        };
    }
    RtcpPacket::parse_body(h.count, h.pt, &pkt[4..]).map_err(|e| e.shifted(off + 4))
}

/// Iterator over the packets of a compound (RFC 3550 §6.1) or reduced-size (RFC 5506)
/// RTCP packet.
///
/// Yields each packet in order. A header error (bad version, truncated header or length,
/// bad padding count) yields the error and ends the iteration, since the rest cannot be
/// framed; an error inside a well-framed packet's body yields the error and continues with
/// the next packet. Errors carry offsets from the start of the datagram.
#[derive(Debug, Clone)]
pub struct Compound<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Compound<'a> {
    /// Iterates the packets of `data`.
    #[must_use]
    #[inline]
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// Checks the RFC 3550 Appendix A.2 validity rules for a full compound packet: every
    /// header is valid and the lengths add up to the datagram, the first packet is an SR or
    /// RR, and only the last packet has the padding bit. (RFC 5506 reduced-size packets
    /// relax the first rule; use [`Compound`] directly for them.)
    ///
    /// # Errors
    /// The first header error, or [`RtpError::Invalid`] naming the packet that breaks a rule.
    #[inline]
    pub fn check_rfc3550(data: &[u8]) -> Result<(), RtpError> {
        let mut off = 0;
        let mut first = true;
        while off < data.len() {
            let len = header(data, off)?.len;
            if first && !matches!(data[off + 1], packet_type::SR | packet_type::RR) {
                return Err(RtpError::Invalid {
                    what: "first packet type (not sr or rr)",
                    offset: off + 1,
                });
            }
            if data[off] & 0x20 != 0 && off + len != data.len() {
                return Err(RtpError::Invalid {
                    what: "padding bit before the last packet",
                    offset: off,
                });
            }
            first = false;
            off += len;
        }
        if first {
            return Err(RtpError::Truncated {
                what: "rtcp header",
                offset: 0,
                needed: 4,
                available: 0,
            });
        }
        Ok(())
    }
}

impl<'a> Iterator for Compound<'a> {
    type Item = Result<RtcpPacket<'a>, RtpError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let off = self.pos;
        match header(self.data, off) {
            Ok(h) => {
                self.pos += h.len;
                Some(parse_at(self.data, off, h))
            }
            Err(e) => {
                self.pos = self.data.len();
                Some(Err(e))
            }
        }
    }
}

/// Writes packets one after another into a compound packet.
///
/// # Errors
/// As [`RtcpPacket::write_to`]; `out` is left as it was on error.
pub fn write_compound(packets: &[RtcpPacket<'_>], out: &mut Vec<u8>) -> Result<usize, RtpError> {
    let start = out.len();
    for p in packets {
        if let Err(e) = p.write_to(out) {
            out.truncate(start);
            return Err(e);
        }
    }
    Ok(out.len() - start)
}

/// Reads the 8-byte common feedback header (RFC 4585 §6.1): sender and media SSRC.
#[inline(always)]
fn fb_header(body: &[u8]) -> Result<(u32, u32), RtpError> {
    need(body, 0, 8, "feedback header")?;
    Ok((crate::list::be32(body, 0), crate::list::be32(body, 4)))
}

/// Fails with [`RtpError::TrailingBytes`] if `body` extends past `end`.
fn no_trailing(body: &[u8], end: usize, what: &'static str) -> Result<(), RtpError> {
    if body.len() > end {
        Err(RtpError::TrailingBytes {
            what,
            offset: end,
            extra: body.len() - end,
        })
    } else {
        Ok(())
    }
}
