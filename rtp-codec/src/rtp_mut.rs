//! In-place rewriting of RTP packets, as an SFU does when it forwards a stream: new SSRC,
//! sequence number, timestamp, marker, payload type and header-extension values, written
//! into the received buffer with no copy.

use crate::error::RtpError;
use crate::rtp::{RtpPacket, FIXED_HEADER_LEN};

/// A checked, mutable view of an RTP packet in a caller's buffer.
///
/// [`RtpPacketMut::parse`] validates the packet exactly as [`RtpPacket::parse`] does, once;
/// the setters then write fixed-offset fields or overwrite an existing RFC 8285 element of
/// the same length, so that no setter can change the packet's layout or panic.
#[derive(Debug)]
pub struct RtpPacketMut<'a> {
    data: &'a mut [u8],
    /// Offset and length of the header extension data (after its 4-byte header); `0..0`
    /// without `X`.
    ext: core::ops::Range<usize>,
    /// The extension's "defined by profile" field.
    profile: u16,
    /// Offset and length of the payload (padding excluded).
    payload: core::ops::Range<usize>,
}

/// Offset of `part` inside `whole` (both from the same parse of the same buffer).
fn offset_in(whole: &[u8], part: &[u8]) -> usize {
    // Address arithmetic only: `part` is a sub-slice of `whole`, as the parser returned it.
    (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize)
}

impl<'a> RtpPacketMut<'a> {
    /// Validates `data` as an RTP packet ([`RtpPacket::parse`]) and returns a view that can
    /// rewrite it.
    ///
    /// # Errors
    /// As [`RtpPacket::parse`].
    #[inline]
    pub fn parse(data: &'a mut [u8]) -> Result<Self, RtpError> {
        let (ext, profile, payload) = {
            let p = RtpPacket::parse(data)?;
            let whole = p.as_bytes();
            let ext = match p.extension_data() {
                Some(e) => {
                    let at = offset_in(whole, e);
                    at..at + e.len()
                }
                None => 0..0,
            };
            let at = offset_in(whole, p.payload());
            (
                ext,
                p.extension_profile().unwrap_or(0),
                at..at + p.payload().len(),
            )
        };
        Ok(Self {
            data,
            ext,
            profile,
            payload,
        })
    }

    /// A read view of the packet as it now is.
    #[must_use]
    #[inline]
    pub fn as_packet(&self) -> RtpPacket<'_> {
        // The layout was validated by `parse` and no setter changes it.
        match RtpPacket::parse(self.data) {
            Ok(p) => p,
            Err(_) => unreachable_layout(),
        }
    }

    /// The whole packet.
    #[must_use]
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        self.data
    }

    fn fixed(&mut self) -> &mut [u8; FIXED_HEADER_LEN] {
        match self.data.first_chunk_mut::<FIXED_HEADER_LEN>() {
            Some(f) => f,
            None => unreachable_layout(),
        }
    }

    /// Sets the marker bit.
    #[inline]
    pub fn set_marker(&mut self, marker: bool) {
        let f = self.fixed();
        f[1] = (f[1] & 0x7f) | (u8::from(marker) << 7);
    }

    /// Sets the payload type (7 bits; the high bit of `payload_type` is ignored).
    #[inline]
    pub fn set_payload_type(&mut self, payload_type: u8) {
        let f = self.fixed();
        f[1] = (f[1] & 0x80) | (payload_type & 0x7f);
    }

    /// Sets the sequence number.
    #[inline]
    pub fn set_sequence_number(&mut self, seq: u16) {
        self.fixed()[2..4].copy_from_slice(&seq.to_be_bytes());
    }

    /// Sets the RTP timestamp.
    #[inline]
    pub fn set_timestamp(&mut self, timestamp: u32) {
        self.fixed()[4..8].copy_from_slice(&timestamp.to_be_bytes());
    }

    /// Sets the synchronisation source.
    #[inline]
    pub fn set_ssrc(&mut self, ssrc: u32) {
        self.fixed()[8..12].copy_from_slice(&ssrc.to_be_bytes());
    }

    /// The data of the first RFC 8285 element with `id`, to overwrite in place (its length
    /// is the element's). `None` when the packet has no such element, or its extension is
    /// in neither RFC 8285 form, or an element before it is malformed.
    #[must_use]
    pub fn extension_mut(&mut self, id: u8) -> Option<&mut [u8]> {
        let range = {
            let data = self.data.get(self.ext.clone())?;
            let elements = crate::rtp::Extensions::new(self.profile, data, self.ext.start);
            let mut found = None;
            for e in elements {
                let e = e.ok()?;
                if e.id == id {
                    let at = self.ext.start + offset_in(data, e.data);
                    found = Some(at..at + e.data.len());
                    break;
                }
            }
            found?
        };
        self.data.get_mut(range)
    }

    /// Overwrites the value of the existing RFC 8285 element `id` with `value`, which must
    /// have the element's length (an SFU rewrites values such as `sdes:mid`, abs-send-time
    /// or the transport-wide sequence number; adding or resizing an element changes the
    /// layout and needs [`crate::RtpPacketBuilder`]).
    ///
    /// # Errors
    /// [`RtpError::Unencodable`] when there is no such element or its length differs.
    pub fn set_extension(&mut self, id: u8, value: &[u8]) -> Result<(), RtpError> {
        match self.extension_mut(id) {
            Some(d) if d.len() == value.len() => {
                d.copy_from_slice(value);
                Ok(())
            }
            _ => Err(RtpError::Unencodable {
                what: "header extension element (no element with that id and length)",
            }),
        }
    }

    /// The payload (padding excluded), to rewrite in place.
    #[must_use]
    #[inline]
    pub fn payload_mut(&mut self) -> &mut [u8] {
        let range = self.payload.clone();
        match self.data.get_mut(range) {
            Some(p) => p,
            None => unreachable_layout(),
        }
    }
}

/// `parse` validated the layout that every accessor relies on and no setter changes it.
#[cold]
#[inline(never)]
fn unreachable_layout() -> ! {
    unreachable!("RtpPacketMut layout was validated by parse and is never changed")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtp::{ExtensionElement, ExtensionForm, RtpPacketBuilder};
    use alloc::vec::Vec;

    fn sample(form: ExtensionForm) -> Vec<u8> {
        let elements = [
            ExtensionElement {
                id: 1,
                data: &[0xaa],
            },
            ExtensionElement {
                id: 3,
                data: &[0x01, 0x02],
            },
        ];
        let mut buf = Vec::new();
        RtpPacketBuilder::new(96, 1000, 90_000, 0x1111_1111)
            .with_extensions(form, &elements)
            .with_payload(b"payload")
            .write_to(&mut buf)
            .unwrap();
        buf
    }

    #[test]
    fn rewrites_fields_and_elements_in_place() {
        for form in [ExtensionForm::OneByte, ExtensionForm::TwoByte] {
            let mut buf = sample(form);
            let before = buf.clone();
            let mut p = RtpPacketMut::parse(&mut buf).unwrap();
            p.set_ssrc(0xdead_beef);
            p.set_sequence_number(65535);
            p.set_timestamp(7);
            p.set_marker(true);
            p.set_payload_type(111);
            p.set_extension(3, &[0x0a, 0x0b]).unwrap();
            assert!(p.set_extension(3, &[1]).is_err(), "length differs");
            assert!(p.set_extension(2, &[1]).is_err(), "no such element");
            p.payload_mut()[0] = b'P';
            let v = p.as_packet();
            assert_eq!(
                (
                    v.ssrc(),
                    v.sequence_number(),
                    v.timestamp(),
                    v.marker(),
                    v.payload_type()
                ),
                (0xdead_beef, 65535, 7, true, 111)
            );
            let ext: Vec<_> = v.extensions().map(Result::unwrap).collect();
            assert_eq!(ext[0].data, [0xaa]);
            assert_eq!(ext[1].data, [0x0a, 0x0b]);
            assert_eq!(v.payload(), b"Payload");
            assert_eq!(buf.len(), before.len());
            // Setting the fields back gives the original bytes: nothing else was touched.
            let mut p = RtpPacketMut::parse(&mut buf).unwrap();
            p.set_ssrc(0x1111_1111);
            p.set_sequence_number(1000);
            p.set_timestamp(90_000);
            p.set_marker(false);
            p.set_payload_type(96);
            p.set_extension(3, &[0x01, 0x02]).unwrap();
            p.payload_mut()[0] = b'p';
            assert_eq!(buf, before);
        }
    }

    #[test]
    fn rejects_what_parse_rejects() {
        let mut short = [0x80u8, 0, 0];
        assert!(matches!(
            RtpPacketMut::parse(&mut short),
            Err(RtpError::Truncated { .. })
        ));
        let mut v1 = [0x40u8; 12];
        assert!(matches!(
            RtpPacketMut::parse(&mut v1),
            Err(RtpError::BadVersion { .. })
        ));
    }
}
