//! Extended reports (PT 207, [RFC 3611]): RRTR and DLRR typed, other blocks raw.
//!
//! [RFC 3611]: https://www.rfc-editor.org/rfc/rfc3611

use crate::error::{need, RtpError};
use crate::list::{be16, be32, be64, take, List, WireItem};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// One DLRR sub-block (RFC 3611 §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DlrrItem {
    /// The receiver the sub-block is about.
    pub ssrc: u32,
    /// Last RR: middle 32 bits of the receiver's last RRTR NTP timestamp.
    pub last_rr: u32,
    /// Delay since last RR, in 1/65536 seconds.
    pub delay_since_last_rr: u32,
}

impl WireItem<'_> for DlrrItem {
    #[inline]
    fn read(buf: &mut &[u8]) -> Option<Self> {
        let b = take(buf, 12)?;
        Some(Self {
            ssrc: be32(b, 0),
            last_rr: be32(b, 4),
            delay_since_last_rr: be32(b, 8),
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        12
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(&self.last_rr.to_be_bytes());
        out.extend_from_slice(&self.delay_since_last_rr.to_be_bytes());
    }
}

/// One XR report block.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "block", rename_all = "snake_case"))]
pub enum XrBlock<'a> {
    /// Receiver reference time report (BT 4, RFC 3611 §4.4).
    Rrtr {
        /// NTP timestamp.
        ntp_timestamp: u64,
    },
    /// DLRR report (BT 5, RFC 3611 §4.5).
    Dlrr {
        /// Sub-blocks.
        items: List<'a, DlrrItem>,
    },
    /// Any other block (or an RRTR/DLRR with non-zero reserved bits or a wrong length), kept
    /// as it was.
    Other {
        /// Block type.
        block_type: u8,
        /// Type-specific byte.
        type_specific: u8,
        /// Block contents after the 4-byte block header.
        #[cfg_attr(feature = "serde", serde(with = "crate::list::hex_bytes"))]
        data: Cow<'a, [u8]>,
    },
}

impl<'a> WireItem<'a> for XrBlock<'a> {
    #[inline]
    fn read(buf: &mut &'a [u8]) -> Option<Self> {
        let h = take(buf, 4)?;
        let words = usize::from(be16(h, 2));
        let d = take(buf, 4 * words)?;
        Some(match (h[0], h[1], words) {
            (4, 0, 2) => Self::Rrtr {
                ntp_timestamp: be64(d, 0),
            },
            (5, 0, w) if w % 3 == 0 => Self::Dlrr {
                items: List::Wire {
                    bytes: d,
                    count: w / 3,
                },
            },
            _ => Self::Other {
                block_type: h[0],
                type_specific: h[1],
                data: Cow::Borrowed(d),
            },
        })
    }
    #[inline]
    fn wire_len(&self) -> usize {
        4 + match self {
            Self::Rrtr { .. } => 8,
            Self::Dlrr { items } => 12 * items.len(),
            Self::Other { data, .. } => data.len(),
        }
    }
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        let words = ((self.wire_len() - 4) / 4) as u16;
        match self {
            Self::Rrtr { ntp_timestamp } => {
                out.extend_from_slice(&[4, 0]);
                out.extend_from_slice(&words.to_be_bytes());
                out.extend_from_slice(&ntp_timestamp.to_be_bytes());
            }
            Self::Dlrr { items } => {
                out.extend_from_slice(&[5, 0]);
                out.extend_from_slice(&words.to_be_bytes());
                items.write(out);
            }
            Self::Other {
                block_type,
                type_specific,
                data,
            } => {
                out.extend_from_slice(&[*block_type, *type_specific]);
                out.extend_from_slice(&words.to_be_bytes());
                out.extend_from_slice(data);
            }
        }
    }
}

/// Extended report packet (RFC 3611 §2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Xr<'a> {
    /// The 5 bits after `P` in the header, reserved by RFC 3611 (kept as received).
    pub reserved: u8,
    /// SSRC of the packet sender.
    pub ssrc: u32,
    /// Report blocks.
    pub blocks: List<'a, XrBlock<'a>>,
}

impl<'a> Xr<'a> {
    #[inline(always)]
    pub(super) fn parse(reserved: u8, body: &'a [u8]) -> Result<Self, RtpError> {
        need(body, 0, 4, "xr ssrc")?;
        let mut pos = 4;
        let mut count = 0;
        while pos < body.len() {
            need(body, pos, 4, "xr block header")?;
            let len = 4 + 4 * usize::from(be16(body, pos + 2));
            need(body, pos, len, "xr block")?;
            pos += len;
            count += 1;
        }
        Ok(Self {
            reserved,
            ssrc: be32(body, 0),
            blocks: List::Wire {
                bytes: &body[4..],
                count,
            },
        })
    }

    #[inline]
    pub(super) fn write_body(&self, out: &mut Vec<u8>) -> Result<u8, RtpError> {
        for b in self.blocks.iter() {
            let ok = match &b {
                XrBlock::Other { data, .. } => {
                    data.len() % 4 == 0 && data.len() / 4 <= usize::from(u16::MAX)
                }
                XrBlock::Dlrr { items } => items.len() * 3 <= usize::from(u16::MAX),
                XrBlock::Rrtr { .. } => true,
            };
            if !ok {
                return Err(RtpError::Unencodable {
                    what: "xr block length",
                });
            }
        }
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        self.blocks.write(out);
        Ok(self.reserved)
    }
}
