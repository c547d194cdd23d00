//! Zero-copy RTP and RTCP codec.
//!
//! RTP packets with [RFC 8285] header extensions, RTCP compound and reduced-size packets
//! ([RFC 3550], [RFC 5506]) with feedback ([RFC 4585], [RFC 5104], [RFC 8888], transport-wide
//! CC, REMB) and extended reports ([RFC 3611]), the [RFC 7983] first-byte demultiplexer,
//! and RFC 3550 receive statistics.
//!
//! [RFC 3550]: https://www.rfc-editor.org/rfc/rfc3550
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
