//! Zero-copy SDP parser and lossless writer for WebRTC.
//!
//! Covers the SDP grammar of [RFC 8866] and the attributes WebRTC uses: ICE
//! ([RFC 8839]), DTLS ([RFC 8842]), BUNDLE ([RFC 8843]), RID ([RFC 8851]), simulcast
//! ([RFC 8853]), header extensions ([RFC 8285]), RTCP feedback ([RFC 4585]) and more,
//! plus JSEP ([RFC 9429]) and offer/answer checks.
//!
//! [RFC 8866]: https://www.rfc-editor.org/rfc/rfc8866
//! [RFC 8839]: https://www.rfc-editor.org/rfc/rfc8839
//! [RFC 8842]: https://www.rfc-editor.org/rfc/rfc8842
//! [RFC 8843]: https://www.rfc-editor.org/rfc/rfc8843
//! [RFC 8851]: https://www.rfc-editor.org/rfc/rfc8851
//! [RFC 8853]: https://www.rfc-editor.org/rfc/rfc8853
//! [RFC 8285]: https://www.rfc-editor.org/rfc/rfc8285
//! [RFC 4585]: https://www.rfc-editor.org/rfc/rfc4585
//! [RFC 9429]: https://www.rfc-editor.org/rfc/rfc9429
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;
