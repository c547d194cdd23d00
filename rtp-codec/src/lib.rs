//! Zero-copy RTP and RTCP codec.
//!
//! RTP packets with [RFC 8285] header extensions ([`rtp`]), RTCP compound and reduced-size
//! packets ([RFC 3550], [RFC 5506]) with feedback ([RFC 4585], [RFC 5104], [RFC 8888],
//! transport-wide CC, REMB) and extended reports ([RFC 3611]) ([`rtcp`]), the [RFC 7983]
//! first-byte demultiplexer ([`demux`]), and RFC 3550 receive statistics ([`stats`]); with
//! the `srtp` feature, SRTP/SRTCP protection ([RFC 3711], [RFC 7714]) in `srtp`.
//!
//! # Guarantees
//!
//! Parsers take `&[u8]` and return views that borrow it: [`RtpPacket::parse`] and the
//! [`rtcp::Compound`] iterator validate every length once, so accessors never panic and
//! nothing is copied. Hostile input yields an [`RtpError`] that names the byte offset; it never
//! panics, loops or allocates more than a small multiple of its size. Writers append to a
//! caller's `Vec<u8>` (or fill a `&mut [u8]`) and reproduce parsed input byte for byte:
//! padding, inter-element header extension padding, unknown RTCP packet types and unknown
//! XR blocks included.
//!
//! # Example: emit, then parse
//!
//! ```
//! use rtp_codec::rtcp::{self, Compound, Nack, RtcpPacket, Sdes, SenderReport};
//! use rtp_codec::{demux, ExtensionElement, ExtensionForm, RtpPacket, RtpPacketBuilder};
//!
//! // An RTP packet with two RFC 8285 elements, written in the one-byte form.
//! let elements = [
//!     ExtensionElement { id: 1, data: &[0x30] },
//!     ExtensionElement { id: 3, data: &[0x12, 0x34] },
//! ];
//! let mut buf = Vec::new();
//! RtpPacketBuilder::new(111, 7, 960, 0x1234_5678)
//!     .with_marker(true)
//!     .with_extensions(ExtensionForm::Auto, &elements)
//!     .with_payload(b"opus")
//!     .write_to(&mut buf)?;
//! assert_eq!(demux::classify(&buf), demux::PacketKind::Rtp);
//!
//! let rtp = RtpPacket::parse(&buf)?;
//! assert_eq!((rtp.sequence_number(), rtp.ssrc(), rtp.payload()), (7, 0x1234_5678, &b"opus"[..]));
//! assert_eq!(rtp.extension_profile(), Some(0xBEDE));
//! let ids: Vec<u8> = rtp.extensions().map(|e| e.map(|e| e.id)).collect::<Result<_, _>>()?;
//! assert_eq!(ids, [1, 3]);
//! // The view's builder writes the same bytes back.
//! let mut again = Vec::new();
//! rtp.to_builder().write_to(&mut again)?;
//! assert_eq!(again, buf);
//!
//! // A compound RTCP packet: SR, SDES CNAME and a generic NACK.
//! let packets = [
//!     RtcpPacket::Sr(SenderReport { ssrc: 1, ntp_timestamp: 1 << 32, rtp_timestamp: 90_000, ..Default::default() }),
//!     RtcpPacket::Sdes(Sdes::cname(1, b"user@host")),
//!     RtcpPacket::Nack(Nack::from_lost(1, 0x1234_5678, &[100, 102, 117, 300])),
//! ];
//! let mut buf = Vec::new();
//! rtcp::write_compound(&packets, &mut buf)?;
//! assert_eq!(demux::classify(&buf), demux::PacketKind::Rtcp);
//! Compound::check_rfc3550(&buf)?;
//!
//! let parsed: Vec<RtcpPacket<'_>> = Compound::new(&buf).collect::<Result<_, _>>()?;
//! assert_eq!(parsed, packets);
//! let RtcpPacket::Nack(nack) = &parsed[2] else { unreachable!() };
//! assert_eq!(nack.lost().collect::<Vec<_>>(), [100, 102, 117, 300]);
//! # Ok::<(), rtp_codec::RtpError>(())
//! ```
//!
//! # Features
//!
//! * `std` (default): `std::error::Error` for [`RtpError`]. Without it the crate is `no_std` +
//!   `alloc`.
//! * `serde`: `Serialize` for the decoded forms (RTP view, every RTCP packet, statistics).
//! * `srtp`: the `srtp` module, SRTP/SRTCP protection (RFC 3711, RFC 6188, RFC 7714) over
//!   RustCrypto's `aes`, `ctr`, `aes-gcm`, `hmac` and `sha1`; `no_std` like the rest.
//!
//! [RFC 3550]: https://www.rfc-editor.org/rfc/rfc3550
//! [RFC 3711]: https://www.rfc-editor.org/rfc/rfc3711
//! [RFC 7714]: https://www.rfc-editor.org/rfc/rfc7714
//! [RFC 8285]: https://www.rfc-editor.org/rfc/rfc8285
//! [RFC 5506]: https://www.rfc-editor.org/rfc/rfc5506
//! [RFC 4585]: https://www.rfc-editor.org/rfc/rfc4585
//! [RFC 5104]: https://www.rfc-editor.org/rfc/rfc5104
//! [RFC 8888]: https://www.rfc-editor.org/rfc/rfc8888
//! [RFC 3611]: https://www.rfc-editor.org/rfc/rfc3611
//! [RFC 7983]: https://www.rfc-editor.org/rfc/rfc7983
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod demux;
mod error;
mod list;
pub mod payload_type;
pub mod rtcp;
pub mod rtp;
mod rtp_mut;
#[cfg(feature = "srtp")]
pub mod srtp;
pub mod stats;

pub use error::RtpError;
pub use rtp::{
    Csrcs, Extension, ExtensionElement, ExtensionForm, Extensions, Padding, RtpPacket,
    RtpPacketBuilder, RtpPacketMut,
};
