//! Zero-copy STUN and TURN codec.
//!
//! Reads and writes STUN messages ([RFC 8489]) with the ICE attributes of [RFC 8445] and
//! the TURN attributes and ChannelData framing of [RFC 8656], verifying MESSAGE-INTEGRITY,
//! MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in place over the received bytes.
//!
//! [RFC 8489]: https://www.rfc-editor.org/rfc/rfc8489
//! [RFC 8445]: https://www.rfc-editor.org/rfc/rfc8445
//! [RFC 8656]: https://www.rfc-editor.org/rfc/rfc8656
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;
