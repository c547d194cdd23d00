//! RTP packets ([RFC 3550 §5.1]) and their header extensions ([RFC 8285]).
//!
//! [`RtpPacket::parse`] checks every length once (fixed header, CSRC list, header
//! extension, padding count), so that no accessor of a parsed packet can panic.
//! [`RtpPacketBuilder`] writes packets; [`RtpPacket::to_builder`] gives a builder that
//! reproduces the parsed bytes exactly, padding and inter-element padding included.
//!
//! [RFC 3550 §5.1]: https://www.rfc-editor.org/rfc/rfc3550#section-5.1
//! [RFC 8285]: https://www.rfc-editor.org/rfc/rfc8285

use crate::error::{need, RtpError};
use crate::list::be16;
use alloc::vec::Vec;
use core::fmt;

pub use crate::rtp_mut::RtpPacketMut;

mod field {
    pub(super) const VPXCC: usize = 0;
    pub(super) const MPT: usize = 1;
    pub(super) const CSRC: usize = 12;
}

/// Length of the fixed RTP header.
pub const FIXED_HEADER_LEN: usize = 12;
/// "defined by profile" value of the RFC 8285 one-byte header form.
pub const ONE_BYTE_PROFILE: u16 = 0xBEDE;
/// "defined by profile" value of the RFC 8285 two-byte header form (the low 4 bits are
/// "appbits", RFC 8285 §4.3).
pub const TWO_BYTE_PROFILE: u16 = 0x1000;

/// A checked view of an RTP packet borrowed from a buffer.
///
/// Built by [`RtpPacket::parse`], which validates (RFC 3550 §5.1, §A.1):
/// the version is 2; the buffer holds the 12-byte fixed header, `CC` CSRCs and, when
/// `X` is set, the 4-byte extension header and its `length` 32-bit words; and when `P` is set,
/// the padding count is at least 1 and fits after the header.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    data: &'a [u8],
    /// The fixed header (the same bytes as `data[..12]`), typed so that field reads need no
    /// bounds checks.
    fixed: &'a [u8; FIXED_HEADER_LEN],
    /// "defined by profile" of the header extension (`X` set), else 0.
    profile: u16,
    /// The header extension data (`X` set), else empty.
    ext_data: &'a [u8],
    /// The payload (padding excluded).
    payload: &'a [u8],
    /// The padding octets (count octet included), empty without `P`.
    padding: &'a [u8],
}

impl<'a> RtpPacket<'a> {
    /// Parses and validates an RTP packet.
    ///
    /// # Errors
    /// [`RtpError::Truncated`] when the buffer ends inside the header, CSRC list or extension;
    /// [`RtpError::BadVersion`] when the version is not 2; [`RtpError::BadPadding`] when `P` is set
    /// and the padding count is 0 or exceeds the bytes after the header.
    #[inline(always)]
    pub fn parse(data: &'a [u8]) -> Result<Self, RtpError> {
        let Some((fixed, rest)) = data.split_first_chunk::<FIXED_HEADER_LEN>() else {
            return Err(parse_error(data));
        };
        let b0 = fixed[field::VPXCC];
        if b0 & 0xc0 != 0x80 {
            return Err(parse_error(data));
        }
        let csrc_len = 4 * usize::from(b0 & 0x0f);
        let (mut profile, mut ext_data) = (0, &rest[..0]);
        let rest = if b0 & 0x10 == 0 {
            let Some((_, rest)) = rest.split_at_checked(csrc_len) else {
                return Err(parse_error(data));
            };
            rest
        } else {
            // The CSRC list and the 4-byte extension header in one check.
            let Some((head, rest)) = rest.split_at_checked(csrc_len + 4) else {
                return Err(parse_error(data));
            };
            let Some(&[p0, p1, l0, l1]) = head.last_chunk::<4>() else {
                return Err(parse_error(data));
            };
            let words = usize::from(u16::from_be_bytes([l0, l1]));
            let Some((d, rest)) = rest.split_at_checked(4 * words) else {
                return Err(parse_error(data));
            };
            profile = u16::from_be_bytes([p0, p1]);
            ext_data = d;
            rest
        };
        // `rest` is the payload followed by the padding.
        let (mut payload, mut padding) = (rest, &rest[rest.len()..]);
        if b0 & 0x20 != 0 {
            // RFC 3550 §5.1: "The last octet of the padding contains a count of how many
            // padding octets should be ignored, including itself." The count is 1 or more
            // and fits after the header: one unsigned comparison checks both.
            let count = usize::from(data[data.len() - 1]);
            if count.wrapping_sub(1) >= rest.len() {
                return Err(parse_error(data));
            }
            (payload, padding) = rest.split_at(rest.len() - count);
        }
        Ok(Self {
            data,
            fixed,
            profile,
            ext_data,
            payload,
            padding,
        })
    }

    /// The whole packet.
    #[must_use]
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Version field (always 2 after [`RtpPacket::parse`]).
    #[must_use]
    #[inline]
    pub fn version(&self) -> u8 {
        self.fixed[field::VPXCC] >> 6
    }

    /// The `P` bit: the packet ends with padding.
    #[must_use]
    #[inline]
    pub fn has_padding(&self) -> bool {
        self.fixed[field::VPXCC] & 0x20 != 0
    }

    /// The `X` bit: a header extension follows the CSRCs.
    #[must_use]
    #[inline]
    pub fn has_extension(&self) -> bool {
        self.fixed[field::VPXCC] & 0x10 != 0
    }

    /// The marker bit.
    #[must_use]
    #[inline]
    pub fn marker(&self) -> bool {
        self.fixed[field::MPT] & 0x80 != 0
    }

    /// The payload type (7 bits).
    #[must_use]
    #[inline]
    pub fn payload_type(&self) -> u8 {
        self.fixed[field::MPT] & 0x7f
    }

    /// The sequence number.
    #[must_use]
    #[inline]
    pub fn sequence_number(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// The RTP timestamp.
    #[must_use]
    #[inline]
    pub fn timestamp(&self) -> u32 {
        u32::from_be_bytes([self.fixed[4], self.fixed[5], self.fixed[6], self.fixed[7]])
    }

    /// The synchronisation source.
    #[must_use]
    #[inline]
    pub fn ssrc(&self) -> u32 {
        u32::from_be_bytes([self.fixed[8], self.fixed[9], self.fixed[10], self.fixed[11]])
    }

    /// Number of CSRCs (the `CC` field).
    #[must_use]
    #[inline]
    pub fn csrc_count(&self) -> u8 {
        self.fixed[field::VPXCC] & 0x0f
    }

    /// The contributing sources.
    #[inline]
    pub fn csrcs(&self) -> impl ExactSizeIterator<Item = u32> + 'a {
        let n = usize::from(self.csrc_count());
        self.data[field::CSRC..field::CSRC + 4 * n]
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// The header extension's "defined by profile" field, if `X` is set.
    #[must_use]
    #[inline]
    pub fn extension_profile(&self) -> Option<u16> {
        self.has_extension().then_some(self.profile)
    }

    /// The header extension's data (after its 4-byte header), if `X` is set.
    #[must_use]
    #[inline]
    pub fn extension_data(&self) -> Option<&'a [u8]> {
        self.has_extension().then_some(self.ext_data)
    }

    /// The RFC 8285 elements of the header extension. Empty when there is no extension or its
    /// profile is neither `0xBEDE` (one-byte form) nor `0x100X` (two-byte form).
    #[must_use]
    #[inline]
    pub fn extensions(&self) -> Extensions<'a> {
        // Without `X`, `profile` is 0, which names neither form.
        let base = FIXED_HEADER_LEN + 4 * usize::from(self.csrc_count()) + 4;
        Extensions::new(self.profile, self.ext_data, base)
    }

    /// Length of the header (fixed part, CSRCs and extension).
    #[must_use]
    #[inline]
    pub fn header_len(&self) -> usize {
        self.data.len() - self.payload.len() - self.padding.len()
    }

    /// The payload, without padding.
    #[must_use]
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The padding octets, the count octet included (empty without `P`).
    #[must_use]
    #[inline]
    pub fn padding(&self) -> &'a [u8] {
        self.padding
    }

    /// A builder that writes this packet back byte for byte.
    #[must_use]
    #[inline]
    pub fn to_builder(&self) -> RtpPacketBuilder<'a> {
        let mut csrcs = Csrcs::default();
        for c in self.csrcs() {
            csrcs.push(c);
        }
        RtpPacketBuilder {
            marker: self.marker(),
            payload_type: self.payload_type(),
            sequence_number: self.sequence_number(),
            timestamp: self.timestamp(),
            ssrc: self.ssrc(),
            csrcs,
            extension: match (self.extension_profile(), self.extension_data()) {
                (Some(profile), Some(data)) => Some(Extension::Raw { profile, data }),
                _ => None,
            },
            payload: self.payload(),
            padding: if self.has_padding() {
                Padding::Raw(self.padding())
            } else {
                Padding::None
            },
        }
    }
}

/// The error [`RtpPacket::parse`] reports for `data`, found by checking the header in wire
/// order (fixed header, version, CSRC list, extension header, extension data, padding); only
/// called once the fast checks have failed.
#[cold]
#[inline(never)]
fn parse_error(data: &[u8]) -> RtpError {
    let first = || -> Result<(), RtpError> {
        need(data, 0, FIXED_HEADER_LEN, "rtp header")?;
        let b0 = data[field::VPXCC];
        let version = b0 >> 6;
        if version != 2 {
            return Err(RtpError::BadVersion { offset: 0, version });
        }
        let cc = usize::from(b0 & 0x0f);
        let mut end = field::CSRC + 4 * cc;
        need(data, field::CSRC, 4 * cc, "rtp csrc list")?;
        if b0 & 0x10 != 0 {
            need(data, end, 4, "rtp header extension")?;
            let words = usize::from(be16(data, end + 2));
            need(data, end, 4 + 4 * words, "rtp header extension")?;
            end += 4 + 4 * words;
        }
        if b0 & 0x20 != 0 {
            let count = data[data.len() - 1];
            if count == 0 || usize::from(count) > data.len() - end {
                return Err(RtpError::BadPadding {
                    offset: data.len() - 1,
                    count,
                });
            }
        }
        Ok(())
    };
    // The fast checks only fail where the ordered ones do; the fallback names the header.
    first().err().unwrap_or(RtpError::Invalid {
        what: "rtp header",
        offset: 0,
    })
}

impl fmt::Debug for RtpPacket<'_> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RtpPacket")
            .field("marker", &self.marker())
            .field("payload_type", &self.payload_type())
            .field("sequence_number", &self.sequence_number())
            .field("timestamp", &self.timestamp())
            .field("ssrc", &format_args!("{:#010x}", self.ssrc()))
            .field("csrcs", &self.csrcs().collect::<Vec<_>>())
            .field("extension_profile", &self.extension_profile())
            .field("payload_len", &self.payload().len())
            .field("padding_len", &self.padding().len())
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RtpPacket<'_> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(serde::Serialize)]
        struct Ext<'a> {
            id: u8,
            #[serde(with = "crate::list::hex_bytes")]
            data: &'a [u8],
        }
        let elements: Vec<Ext<'_>> = self
            .extensions()
            .filter_map(Result::ok)
            .map(|e| Ext {
                id: e.id,
                data: e.data,
            })
            .collect();
        let mut st = s.serialize_struct("RtpPacket", 11)?;
        st.serialize_field("ssrc", &self.ssrc())?;
        st.serialize_field("seq", &self.sequence_number())?;
        st.serialize_field("timestamp", &self.timestamp())?;
        st.serialize_field("payload_type", &self.payload_type())?;
        st.serialize_field("marker", &self.marker())?;
        st.serialize_field("csrcs", &self.csrcs().collect::<Vec<_>>())?;
        st.serialize_field("extension_profile", &self.extension_profile())?;
        st.serialize_field("extensions", &elements)?;
        st.serialize_field("header_len", &self.header_len())?;
        st.serialize_field("payload_len", &self.payload().len())?;
        st.serialize_field("padding_len", &self.padding().len())?;
        st.end()
    }
}

/// One RFC 8285 header extension element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExtensionElement<'a> {
    /// The local identifier (1–14 in the one-byte form, 1–255 in the two-byte form).
    pub id: u8,
    /// The element data.
    #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
    pub data: &'a [u8],
}

/// The wire form of RFC 8285 elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ExtensionForm {
    /// One-byte headers when every element fits (id 1–14, 1–16 data bytes), else two-byte.
    #[default]
    Auto,
    /// The one-byte header form (profile `0xBEDE`, RFC 8285 §4.2).
    OneByte,
    /// The two-byte header form (profile `0x1000`, RFC 8285 §4.3), also the form for mixing
    /// elements that the one-byte form cannot carry (RFC 8285 §4.1.1).
    TwoByte,
}

/// Iterator over the RFC 8285 elements of a header extension.
///
/// Padding octets (value 0) between elements are skipped. In the one-byte form, an element
/// with id 15 ends the iteration: RFC 8285 §4.2, "If the ID value 15 is encountered, its
/// length field should be ignored, processing of the entire extension should terminate at
/// that point, and only the extension elements present prior to the element with ID 15
/// considered." An element that overruns the extension yields [`RtpError::Truncated`] (offset
/// from the start of the packet) and ends the iteration.
///
/// The form is read from the profile on each step; the check does not change while the
/// iteration runs, so the compiler makes one element loop per form out of it. The zero octets
/// that end the data are counted once, when the iterator is made, so that a step needs one
/// comparison to know whether an element is left.
#[derive(Debug, Clone)]
pub struct Extensions<'a> {
    /// The elements not yet handed out. (A slice iterator is a pair of pointers: taking a
    /// byte is a compare and a load.)
    rest: core::slice::Iter<'a, u8>,
    /// Offset in the packet of the end of the extension data (offsets in errors are
    /// `end - rest.len()`).
    end: usize,
    /// The "defined by profile" field, which gives the form.
    profile: u16,
    /// How many zero octets end the data, counted over its last four octets (0–4): once no
    /// more than these are left, only padding is (zero octets, RFC 8285 §4.1.1), and the
    /// iteration is over. (Zero octets before them are skipped one run at a time.)
    pad: u8,
}

impl<'a> Extensions<'a> {
    /// Elements of extension `data` with the given profile; `base` is the offset of `data`
    /// in the packet (used in errors).
    #[must_use]
    #[inline]
    pub fn new(profile: u16, data: &'a [u8], base: usize) -> Self {
        let pad = match data.last_chunk::<4>() {
            // The last octet is the most significant of a little-endian word.
            Some(w) => (u32::from_le_bytes(*w).leading_zeros() / 8) as u8,
            None => data.iter().rev().take_while(|&&b| b == 0).count() as u8,
        };
        Self {
            rest: data.iter(),
            end: base + data.len(),
            profile,
            pad,
        }
    }

    /// The one-byte form (RFC 8285 §4.2): a byte with the id (1–14) in its high and the
    /// data length minus one in its low nibble.
    #[inline(always)]
    fn next_one_byte(&mut self) -> Option<Result<ExtensionElement<'a>, RtpError>> {
        let mut tail = self.rest.as_slice();
        loop {
            if tail.len() <= usize::from(self.pad) {
                self.rest = tail.iter();
                return None;
            }
            let (&b, after) = tail.split_first()?;
            let len = usize::from(b & 0x0f) + 1;
            // An element header with an id of 1–14 in one comparison: padding (0), id 0 with
            // a length and id 15 are left below, off the path of the next element.
            if b.wrapping_sub(0x10) < 0xe0 && len <= after.len() {
                let (data, rest) = after.split_at(len);
                self.rest = rest.iter();
                return Some(Ok(ExtensionElement { id: b >> 4, data }));
            }
            cold();
            if b == 0 {
                // RFC 8285 §4.1.1: padding octets (value 0) may sit between elements.
                tail = skip_padding(after);
                continue;
            }
            self.rest = [].iter();
            if b >> 4 == 15 {
                return None;
            }
            return Some(Err(element_error(
                b >> 4 == 0,
                self.end - tail.len(),
                1 + len,
                tail.len(),
            )));
        }
    }

    /// The two-byte form (RFC 8285 §4.3): an id byte and a length byte.
    #[inline(always)]
    fn next_two_byte(&mut self) -> Option<Result<ExtensionElement<'a>, RtpError>> {
        let mut tail = self.rest.as_slice();
        loop {
            if tail.len() <= usize::from(self.pad) {
                self.rest = tail.iter();
                return None;
            }
            let needed = match tail {
                [0, rest @ ..] => {
                    // RFC 8285 §4.1.1: padding octets (value 0) may sit between elements.
                    tail = rest;
                    continue;
                }
                [id, l, data @ ..] if usize::from(*l) <= data.len() => {
                    let (data, after) = data.split_at(usize::from(*l));
                    self.rest = after.iter();
                    return Some(Ok(ExtensionElement { id: *id, data }));
                }
                [_, l, ..] => 2 + usize::from(*l),
                _ => 2,
            };
            self.rest = [].iter();
            return Some(Err(element_error(
                false,
                self.end - tail.len(),
                needed,
                tail.len(),
            )));
        }
    }
}

/// Marks the path it is called on as unlikely, so that the compiler lays the other one out
/// as the straight line (a call to a `#[cold]` function, which it then inlines away).
#[inline(always)]
#[cold]
fn cold() {}

/// What follows the zero octets (padding) at the start of `tail`.
#[inline(always)]
fn skip_padding(tail: &[u8]) -> &[u8] {
    let n = tail.iter().position(|&b| b != 0).unwrap_or(tail.len());
    &tail[n..]
}

/// The error for a malformed element at `offset` with `available` bytes left in the extension.
#[inline(always)]
fn element_error(id0: bool, offset: usize, needed: usize, available: usize) -> RtpError {
    if id0 {
        // RFC 8285 §4.2: "The local identifier value 0 is reserved for padding"; padding
        // octets are zero, so an ID 0 with a length is malformed.
        RtpError::Invalid {
            what: "header extension element id 0",
            offset,
        }
    } else {
        RtpError::Truncated {
            what: "header extension element",
            offset,
            needed,
            available,
        }
    }
}

impl<'a> Iterator for Extensions<'a> {
    type Item = Result<ExtensionElement<'a>, RtpError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.profile == ONE_BYTE_PROFILE {
            self.next_one_byte()
        } else if self.profile & 0xfff0 == TWO_BYTE_PROFILE {
            self.next_two_byte()
        } else {
            None
        }
    }
}

/// Up to 15 CSRCs, stored inline so that building a packet does not allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Csrcs {
    ids: [u32; 15],
    len: u8,
}

impl Csrcs {
    /// A list from a slice (at most 15; RFC 3550 §5.1 CC is 4 bits).
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] for more than 15 CSRCs.
    #[inline]
    pub fn from_slice(ids: &[u32]) -> Result<Self, RtpError> {
        if ids.len() > 15 {
            return Err(RtpError::Unencodable {
                what: "more than 15 csrcs",
            });
        }
        let mut c = Self::default();
        c.ids[..ids.len()].copy_from_slice(ids);
        c.len = ids.len() as u8;
        Ok(c)
    }

    /// Appends one CSRC; returns `false` when the list already has 15.
    #[inline]
    pub fn push(&mut self, id: u32) -> bool {
        if self.len >= 15 {
            return false;
        }
        self.ids[usize::from(self.len)] = id;
        self.len += 1;
        true
    }

    /// The CSRCs.
    #[must_use]
    #[inline]
    pub fn as_slice(&self) -> &[u32] {
        &self.ids[..usize::from(self.len)]
    }
}

/// The header extension a [`RtpPacketBuilder`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension<'a> {
    /// Profile and data as they go on the wire; `data.len()` must be a multiple of 4.
    Raw {
        /// "defined by profile".
        profile: u16,
        /// Extension data (excluding the 4-byte extension header).
        data: &'a [u8],
    },
    /// RFC 8285 elements, written in the given form and zero-padded to 32 bits.
    Elements {
        /// Wire form.
        form: ExtensionForm,
        /// The elements, in order.
        elements: &'a [ExtensionElement<'a>],
    },
}

impl Extension<'_> {
    /// Profile and data length (excluding the 4-byte extension header).
    #[inline]
    fn layout(&self) -> Result<(u16, usize, usize), RtpError> {
        match *self {
            Self::Raw { profile, data } => {
                if data.len() % 4 != 0 || data.len() / 4 > usize::from(u16::MAX) {
                    return Err(RtpError::Unencodable {
                        what: "raw header extension length",
                    });
                }
                Ok((profile, data.len(), data.len()))
            }
            Self::Elements { form, elements } => {
                // One pass without branches per element: whether some element does not fit
                // the one-byte form (id 1–14, 1–16 data bytes) or the two-byte form (id 1–255,
                // 0–255 data bytes), and the data bytes.
                let (mut bad_one, mut bad_two, mut data) = (false, false, 0usize);
                for e in elements {
                    let n = e.data.len();
                    bad_one |= (e.id.wrapping_sub(1) >= 14) | (n.wrapping_sub(1) >= 16);
                    bad_two |= (e.id == 0) | (n > 255);
                    data += n;
                }
                let two = match form {
                    ExtensionForm::Auto => bad_one,
                    ExtensionForm::OneByte if bad_one => {
                        return Err(RtpError::Unencodable {
                            what: "one-byte header extension element",
                        });
                    }
                    ExtensionForm::OneByte => false,
                    ExtensionForm::TwoByte => true,
                };
                if two && bad_two {
                    return Err(RtpError::Unencodable {
                        what: "two-byte header extension element",
                    });
                }
                let used = data + if two { 2 } else { 1 } * elements.len();
                let padded = used.div_ceil(4) * 4;
                if padded / 4 > usize::from(u16::MAX) {
                    return Err(RtpError::Unencodable {
                        what: "header extension length",
                    });
                }
                Ok((
                    if two {
                        TWO_BYTE_PROFILE
                    } else {
                        ONE_BYTE_PROFILE
                    },
                    used,
                    padded,
                ))
            }
        }
    }

    /// Writes the extension data (`out` is exactly the padded data length); `two` selects the
    /// two-byte element form.
    #[inline]
    fn write(&self, out: &mut [u8], two: bool) {
        match *self {
            Self::Raw { data, .. } => out[..data.len()].copy_from_slice(data),
            Self::Elements { elements, .. } => {
                // The zero padding (at most 3 octets, RFC 8285 §4.1.1) lies in the last
                // 32-bit word: zero that word first, the elements then overwrite its start.
                if let Some(last) = out.last_chunk_mut::<4>() {
                    *last = [0; 4];
                }
                let mut p = 0;
                for e in elements {
                    let n = e.data.len();
                    if two {
                        out[p] = e.id;
                        out[p + 1] = n as u8;
                        p += 2;
                    } else {
                        out[p] = (e.id << 4) | (n as u8).wrapping_sub(1);
                        p += 1;
                    }
                    copy_short(&mut out[p..p + n], e.data);
                    p += n;
                }
            }
        }
    }
}

/// `dst.copy_from_slice(src)` for element data, which is mostly a few octets: a byte loop
/// for up to 4 octets (cheaper than a call to `memcpy`), `copy_from_slice` beyond.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    match (dst, src) {
        ([d0], [s0]) => *d0 = *s0,
        ([d0, d1], [s0, s1]) => [*d0, *d1] = [*s0, *s1],
        ([d0, d1, d2], [s0, s1, s2]) => [*d0, *d1, *d2] = [*s0, *s1, *s2],
        ([d0, d1, d2, d3], [s0, s1, s2, s3]) => [*d0, *d1, *d2, *d3] = [*s0, *s1, *s2, *s3],
        (dst, src) => dst.copy_from_slice(src),
    }
}

/// Padding a [`RtpPacketBuilder`] appends (RFC 3550 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Padding<'a> {
    /// No padding (`P` clear).
    #[default]
    None,
    /// `n` padding octets in total (1–255): zeros, then the count `n`.
    Zeros(u8),
    /// Padding octets as they go on the wire; the last must equal the length.
    Raw(&'a [u8]),
}

impl Padding<'_> {
    #[inline]
    fn len(&self) -> Result<usize, RtpError> {
        match *self {
            Self::None => Ok(0),
            Self::Zeros(0) => Err(RtpError::Unencodable {
                what: "zero-length padding",
            }),
            Self::Zeros(n) => Ok(usize::from(n)),
            Self::Raw(b) => match b.last() {
                Some(&c) if usize::from(c) == b.len() => Ok(b.len()),
                _ => Err(RtpError::Unencodable {
                    what: "padding whose count octet differs from its length",
                }),
            },
        }
    }
}

/// Writes an RTP packet. Every field is public; [`RtpPacketBuilder::new`] sets the required
/// ones and the `with_*` methods the rest.
///
/// Writing never allocates except to grow a caller's `Vec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacketBuilder<'a> {
    /// Marker bit.
    pub marker: bool,
    /// Payload type (0–127).
    pub payload_type: u8,
    /// Sequence number.
    pub sequence_number: u16,
    /// RTP timestamp.
    pub timestamp: u32,
    /// Synchronisation source.
    pub ssrc: u32,
    /// Contributing sources.
    pub csrcs: Csrcs,
    /// Header extension (`X` is set when present).
    pub extension: Option<Extension<'a>>,
    /// Payload.
    pub payload: &'a [u8],
    /// Padding (`P` is set unless [`Padding::None`]).
    pub padding: Padding<'a>,
}

impl<'a> RtpPacketBuilder<'a> {
    /// A packet without marker, CSRCs, extension, payload or padding.
    #[must_use]
    #[inline]
    pub fn new(payload_type: u8, sequence_number: u16, timestamp: u32, ssrc: u32) -> Self {
        Self {
            marker: false,
            payload_type,
            sequence_number,
            timestamp,
            ssrc,
            csrcs: Csrcs::default(),
            extension: None,
            payload: &[],
            padding: Padding::None,
        }
    }

    /// Sets the marker bit.
    #[must_use]
    #[inline]
    pub fn with_marker(mut self, marker: bool) -> Self {
        self.marker = marker;
        self
    }

    /// Sets the CSRCs.
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] for more than 15.
    #[inline]
    pub fn with_csrcs(mut self, csrcs: &[u32]) -> Result<Self, RtpError> {
        self.csrcs = Csrcs::from_slice(csrcs)?;
        Ok(self)
    }

    /// Sets RFC 8285 header extension elements written in `form`.
    #[must_use]
    #[inline]
    pub fn with_extensions(
        mut self,
        form: ExtensionForm,
        elements: &'a [ExtensionElement<'a>],
    ) -> Self {
        self.extension = Some(Extension::Elements { form, elements });
        self
    }

    /// Sets the payload.
    #[must_use]
    #[inline]
    pub fn with_payload(mut self, payload: &'a [u8]) -> Self {
        self.payload = payload;
        self
    }

    /// Sets the padding.
    #[must_use]
    #[inline]
    pub fn with_padding(mut self, padding: Padding<'a>) -> Self {
        self.padding = padding;
        self
    }

    /// Bytes the packet takes.
    ///
    /// # Errors
    /// As [`RtpPacketBuilder::write_into`].
    #[inline]
    pub fn buffer_len(&self) -> Result<usize, RtpError> {
        self.layout().map(|l| l.0)
    }

    /// Total length and, with an extension, its profile and padded data length.
    #[inline]
    fn layout(&self) -> Result<(usize, Option<(u16, usize)>), RtpError> {
        let ext = match &self.extension {
            Some(e) => {
                let (profile, _, padded) = e.layout()?;
                Some((profile, padded))
            }
            None => None,
        };
        let len = FIXED_HEADER_LEN
            + 4 * self.csrcs.as_slice().len()
            + ext.map_or(0, |e| 4 + e.1)
            + self.payload.len()
            + self.padding.len()?;
        Ok((len, ext))
    }

    /// Writes the packet at the start of `buf` and returns its length.
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] for a payload type above 127, extension elements the chosen
    /// form cannot carry, raw extension data that is not a multiple of 4 bytes, or invalid
    /// padding; [`RtpError::BufferTooSmall`] when `buf` is too short.
    #[inline]
    pub fn write_into(&self, buf: &mut [u8]) -> Result<usize, RtpError> {
        if self.payload_type > 127 {
            return Err(RtpError::Unencodable {
                what: "payload type above 127",
            });
        }
        let (len, ext) = self.layout()?;
        if buf.len() < len {
            return Err(RtpError::BufferTooSmall {
                needed: len,
                available: buf.len(),
            });
        }
        let out = &mut buf[..len];
        let csrcs = self.csrcs.as_slice();
        let pad = !matches!(self.padding, Padding::None);
        let [s0, s1] = self.sequence_number.to_be_bytes();
        let [t0, t1, t2, t3] = self.timestamp.to_be_bytes();
        let [i0, i1, i2, i3] = self.ssrc.to_be_bytes();
        // `len` is at least the fixed header, so this is one 12-byte store.
        if let Some(fixed) = out.first_chunk_mut::<FIXED_HEADER_LEN>() {
            *fixed = [
                0x80 | (u8::from(pad) << 5)
                    | (u8::from(self.extension.is_some()) << 4)
                    | csrcs.len() as u8,
                (u8::from(self.marker) << 7) | self.payload_type,
                s0,
                s1,
                t0,
                t1,
                t2,
                t3,
                i0,
                i1,
                i2,
                i3,
            ];
        }
        let mut p = field::CSRC;
        for c in csrcs {
            out[p..p + 4].copy_from_slice(&c.to_be_bytes());
            p += 4;
        }
        if let (Some(e), Some((profile, padded))) = (&self.extension, ext) {
            out[p..p + 2].copy_from_slice(&profile.to_be_bytes());
            out[p + 2..p + 4].copy_from_slice(&((padded / 4) as u16).to_be_bytes());
            e.write(&mut out[p + 4..p + 4 + padded], profile != ONE_BYTE_PROFILE);
            p += 4 + padded;
        }
        out[p..p + self.payload.len()].copy_from_slice(self.payload);
        p += self.payload.len();
        match self.padding {
            Padding::None => {}
            Padding::Zeros(n) => {
                out[p..len - 1].fill(0);
                out[len - 1] = n;
            }
            Padding::Raw(b) => out[p..].copy_from_slice(b),
        }
        Ok(len)
    }

    /// Appends the packet to `out` and returns its length.
    ///
    /// # Errors
    /// As [`RtpPacketBuilder::write_into`] (never [`RtpError::BufferTooSmall`]).
    #[inline]
    pub fn write_to(&self, out: &mut Vec<u8>) -> Result<usize, RtpError> {
        let len = self.buffer_len()?;
        let start = out.len();
        out.resize(start + len, 0);
        match self.write_into(&mut out[start..]) {
            Ok(n) => Ok(n),
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }
}
