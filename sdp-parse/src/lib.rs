//! Zero-copy SDP parser and lossless writer for WebRTC.
//!
//! Covers the SDP grammar of [RFC 8866] and the attributes WebRTC uses: ICE
//! ([RFC 8839]), DTLS ([RFC 8842]), BUNDLE ([RFC 8843]), RID ([RFC 8851]), simulcast
//! ([RFC 8853]), header extensions ([RFC 8285]), RTCP feedback ([RFC 4585]) and more,
//! plus JSEP ([RFC 9429]) and offer/answer checks in [`check`].
//!
//! ```
//! use sdp_parse::{Attribute, SessionDescription};
//!
//! let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
//!             m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n\
//!             a=rtpmap:111 opus/48000/2\r\n";
//! let sdp = SessionDescription::parse(text)?;
//! let audio = &sdp.media[0];
//! assert_eq!(audio.mid(), Some("0"));
//! let codecs = audio.codecs();
//! assert_eq!(codecs[0].name(), Some("opus"));
//! assert_eq!(codecs[0].channels(), Some(2));
//! // Writing gives back the same bytes.
//! assert_eq!(sdp.to_string(), text);
//! # Ok::<(), sdp_parse::Diagnostic>(())
//! ```
//!
//! # Borrowing, owning, writing
//!
//! Every type that holds strings takes their type as a parameter `S`
//! ([`Text`]). A parsed description borrows every string from the input
//! (`SessionDescription<&str>`): it costs no copy to make and nothing to drop
//! beyond its vectors. [`SessionDescription::into_owned`] gives the same
//! description with `String`s (`SessionDescription<String>`), which outlives
//! the input, can be deserialized, and is what to build a description from
//! when its strings are computed. [`SessionDescription::map_text`] moves to
//! any other string type (`Cow<str>`, `Arc<str>`, ...). Writing, the
//! accessors and the [`check`] rules work on any `S`. Parsing allocates only
//! the vectors of lines and of media sections. Lists inside attributes (fmtp
//! parameters, group mids, candidate extensions, simulcast streams) are
//! validated once and kept as written; accessors iterate over them.
//!
//! The writer is lossless: each line is kept in input order and typed values
//! map one-to-one to their text (single spaces, canonical numbers), so
//! writing a parsed description gives back the input bytes. Lines end with the
//! first input line's ending (`CRLF`, or a bare `LF` when the input uses
//! that); a missing final line ending is kept missing.
//!
//! # Strict and lenient
//!
//! [`SessionDescription::parse`] stops at the first error;
//! [`SessionDescription::parse_lenient`] keeps malformed lines verbatim
//! ([`Line::Malformed`]) and reports each as a warning; it goes on without
//! a missing `o=` or `s=` line and keeps an `o=` line it cannot read as
//! written ([`OriginLine`]), as RTSP cameras need. Every [`Diagnostic`]
//! carries line, column, byte span and a message naming the field:
//! `line 14, column 22: rtpmap clock rate "9000x" is not a number`.
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

pub mod attribute;
mod charset;
pub mod check;
pub mod error;
pub mod fmtp;
pub mod ice;
pub mod lines;
mod parser;
pub mod rtp;
pub mod session;
mod text;

pub use attribute::{Attribute, ConnectionMode, Crypto, Direction, Sctpmap, Setup};
pub use error::{Diagnostic, ErrorKind, Severity};
pub use ice::{Candidate, CandidateType, Fingerprint, HashFunction};
pub use lines::{
    Bandwidth, BandwidthType, Connection, Line, LineEnding, MediaKind, MediaLine, Origin,
    OriginLine, Timing,
};
pub use parser::{Mode, Parsed};
pub use rtp::{
    Extmap, FeedbackType, Fmtp, FmtpParam, Group, Msid, MsidSemantic, Rid, RidDirection, Rtcp,
    RtcpFb, Rtpmap, Simulcast, SimulcastList, SimulcastRid, Ssrc, SsrcGroup,
};
pub use session::{Codec, MediaDescription, SessionDescription};
pub use text::Text;

/// `into_owned` for each type that holds strings: the value with `String`s,
/// which outlives the input.
macro_rules! into_owned {
    ($($t:ident),*) => {$(
        impl<S: Text> $t<S> {
            /// The same value with owned strings.
            #[must_use]
            pub fn into_owned(self) -> $t<alloc::string::String> {
                self.map_text(&mut |s| alloc::string::String::from(&*s))
            }
        }
    )*};
}

into_owned!(
    Attribute,
    Candidate,
    Fingerprint,
    Origin,
    OriginLine,
    Connection,
    Bandwidth,
    MediaLine,
    Line,
    Rtpmap,
    Fmtp,
    RtcpFb,
    Rtcp,
    Extmap,
    Ssrc,
    SsrcGroup,
    Msid,
    MsidSemantic,
    Group,
    Rid,
    Simulcast,
    SessionDescription,
    MediaDescription
);
