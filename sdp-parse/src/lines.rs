//! The non-attribute lines of RFC 8866 §5: `o=`, `c=`, `b=`, `t=`, `m=` and the
//! free-text ones, plus [`Line`], one line of a session or media section.

use alloc::format;
use core::fmt::{self, Write};

use crate::attribute::Attribute;
use crate::error::{ErrorKind, Fail, PResult};
use crate::text::{digits, field, no_more, number, own, token_list, u16_num, write_u64, Str};

/// How the lines of a description end.
///
/// RFC 8866 §5 mandates `CRLF` but asks parsers to accept a bare `LF`. The
/// parser records the ending of the first line and the writer uses it for
/// every line, so both styles round-trip byte for byte. A description that
/// mixes both gets a [`ErrorKind::MixedLineEndings`] warning and is written back
/// with the first line's ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum LineEnding {
    /// `\r\n`, as RFC 8866 §5 requires.
    #[default]
    CrLf,
    /// A bare `\n`.
    Lf,
}

impl LineEnding {
    /// The ending's bytes.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CrLf => "\r\n",
            Self::Lf => "\n",
        }
    }
}

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>`
/// (RFC 8866 §5.2). `sess-id` and `sess-version` are kept as digit strings:
/// they may exceed 64 bits and the RFC does not forbid leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Origin<'a> {
    /// User's login on the originating host, or `-`.
    pub username: Str<'a>,
    /// Numeric session identifier.
    pub session_id: Str<'a>,
    /// Numeric session version.
    pub session_version: Str<'a>,
    /// Network type (`IN`).
    pub net_type: Str<'a>,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: Str<'a>,
    /// Unicast address of the originating host.
    pub unicast_address: Str<'a>,
}

impl<'a> Origin<'a> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let username = field(&mut r, v, "origin username")?;
        let session_id = field(&mut r, v, "origin sess-id")?;
        digits(session_id, "origin sess-id")?;
        let session_version = field(&mut r, v, "origin sess-version")?;
        digits(session_version, "origin sess-version")?;
        let net_type = field(&mut r, v, "origin nettype")?;
        let addr_type = field(&mut r, v, "origin addrtype")?;
        let unicast_address = field(&mut r, v, "origin unicast-address")?;
        no_more(r, "origin unicast-address")?;
        Ok(Self {
            username: username.into(),
            session_id: session_id.into(),
            session_version: session_version.into(),
            net_type: net_type.into(),
            addr_type: addr_type.into(),
            unicast_address: unicast_address.into(),
        })
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.username)?;
        w.write_char(' ')?;
        w.write_str(&self.session_id)?;
        w.write_char(' ')?;
        w.write_str(&self.session_version)?;
        w.write_char(' ')?;
        w.write_str(&self.net_type)?;
        w.write_char(' ')?;
        w.write_str(&self.addr_type)?;
        w.write_char(' ')?;
        w.write_str(&self.unicast_address)
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Origin<'static> {
        Origin {
            username: own(self.username),
            session_id: own(self.session_id),
            session_version: own(self.session_version),
            net_type: own(self.net_type),
            addr_type: own(self.addr_type),
            unicast_address: own(self.unicast_address),
        }
    }
}

/// `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Connection<'a> {
    /// Network type (`IN`).
    pub net_type: Str<'a>,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: Str<'a>,
    /// Address, with `/ttl` and `/count` suffixes for multicast, kept as written.
    pub address: Str<'a>,
}

impl<'a> Connection<'a> {
    /// `names`: the field names used in messages (nettype, addrtype, address).
    pub(crate) fn parse(v: &'a str, names: [&'static str; 3]) -> PResult<'a, Self> {
        let mut r = Some(v);
        let net_type = field(&mut r, v, names[0])?;
        let addr_type = field(&mut r, v, names[1])?;
        let address = field(&mut r, v, names[2])?;
        no_more(r, "connection-address")?;
        Ok(Self {
            net_type: net_type.into(),
            addr_type: addr_type.into(),
            address: address.into(),
        })
    }

    /// The address without a multicast `/ttl` or `/count` suffix.
    #[must_use]
    pub fn host(&self) -> &str {
        self.address.split('/').next().unwrap_or("")
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.net_type)?;
        w.write_char(' ')?;
        w.write_str(&self.addr_type)?;
        w.write_char(' ')?;
        w.write_str(&self.address)
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Connection<'static> {
        Connection {
            net_type: own(self.net_type),
            addr_type: own(self.addr_type),
            address: own(self.address),
        }
    }
}

/// `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8, RFC 3556 `RS`/`RR`, RFC 3890 `TIAS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bandwidth<'a> {
    /// Bandwidth type as written (`AS`, `CT`, `TIAS`, `RR`, `RS` or another token).
    pub bw_type: Str<'a>,
    /// The value: kbit/s for `AS`/`CT`, bit/s for `TIAS`, `RR`, `RS`.
    pub bandwidth: u64,
}

/// The bandwidth types with a defined meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BandwidthType {
    /// `AS`: application-specific maximum, kbit/s (RFC 8866 §5.8).
    As,
    /// `CT`: conference total, kbit/s (RFC 8866 §5.8).
    Ct,
    /// `TIAS`: transport-independent application-specific maximum, bit/s (RFC 3890).
    Tias,
    /// `RR`: RTCP bandwidth for receivers, bit/s (RFC 3556).
    Rr,
    /// `RS`: RTCP bandwidth for senders, bit/s (RFC 3556).
    Rs,
    /// Any other type (kept as written).
    Other,
}

impl<'a> Bandwidth<'a> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let Some((t, n)) = v.split_once(':') else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                v,
                format!("bandwidth \"{v}\" is not of the form <bwtype>:<bandwidth>"),
            ));
        };
        crate::text::token(t, "bandwidth type")?;
        let bandwidth = number(n, "bandwidth value", u64::MAX)?;
        Ok(Self {
            bw_type: t.into(),
            bandwidth,
        })
    }

    /// The typed bandwidth type.
    #[must_use]
    pub fn kind(&self) -> BandwidthType {
        match &*self.bw_type {
            "AS" => BandwidthType::As,
            "CT" => BandwidthType::Ct,
            "TIAS" => BandwidthType::Tias,
            "RR" => BandwidthType::Rr,
            "RS" => BandwidthType::Rs,
            _ => BandwidthType::Other,
        }
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.bw_type)?;
        w.write_char(':')?;
        write_u64(w, self.bandwidth)
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Bandwidth<'static> {
        Bandwidth {
            bw_type: own(self.bw_type),
            bandwidth: self.bandwidth,
        }
    }
}

/// `t=<start-time> <stop-time>` (RFC 8866 §5.9), NTP seconds; `0 0` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Timing {
    /// Start time (NTP seconds), 0 for unbounded.
    pub start: u64,
    /// Stop time (NTP seconds), 0 for unbounded.
    pub stop: u64,
}

impl Timing {
    pub(crate) fn parse(v: &str) -> PResult<'_, Self> {
        let mut r = Some(v);
        let start = number(
            field(&mut r, v, "timing start-time")?,
            "timing start-time",
            u64::MAX,
        )?;
        let stop = number(
            field(&mut r, v, "timing stop-time")?,
            "timing stop-time",
            u64::MAX,
        )?;
        no_more(r, "timing stop-time")?;
        Ok(Self { start, stop })
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        write_u64(w, self.start)?;
        w.write_char(' ')?;
        write_u64(w, self.stop)
    }
}

/// `m=<media> <port>[/<number of ports>] <proto> <fmt> ...` (RFC 8866 §5.14).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MediaLine<'a> {
    /// Media type as written (`audio`, `video`, `application`, or another token).
    pub media: Str<'a>,
    /// Transport port; 0 marks a rejected or bundle-only section (RFC 8843 §6).
    pub port: u16,
    /// The optional `/<number of ports>`.
    pub port_count: Option<u16>,
    /// Transport protocol (`UDP/TLS/RTP/SAVPF`, `RTP/AVP`, `UDP/DTLS/SCTP`, ...).
    pub proto: Str<'a>,
    /// The media formats, space-separated as written (payload types for RTP).
    pub formats: Str<'a>,
}

/// The media types of RFC 8866 §5.14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `audio`
    Audio,
    /// `video`
    Video,
    /// `text`
    Text,
    /// `application`
    Application,
    /// `message`
    Message,
    /// `image`
    Image,
    /// Any other media type.
    Other,
}

impl<'a> MediaLine<'a> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let media = field(&mut r, v, "media type")?;
        crate::text::token(media, "media type")?;
        let port_s = field(&mut r, v, "media port")?;
        let (port, port_count) = match crate::text::split_at_byte(port_s, b'/') {
            (p, Some(n)) => (
                u16_num(p, "media port")?,
                Some(u16_num(n, "media number of ports")?),
            ),
            (_, None) => (u16_num(port_s, "media port")?, None),
        };
        let proto = field(&mut r, v, "media proto")?;
        let Some(formats) = r else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                crate::text::end(v),
                "missing media format list".into(),
            ));
        };
        token_list(formats, "media format")?;
        Ok(Self {
            media: media.into(),
            port,
            port_count,
            proto: proto.into(),
            formats: formats.into(),
        })
    }

    /// An `m=` line that ends after its proto (`m=video 0 RTP/AVP`), with an
    /// empty format list; `None` for any other shape. RFC 8866 §5.14 asks for
    /// at least one format, even in a rejected section (RFC 3264 §6), but
    /// some SIP stacks reject a stream this way; lenient parsing keeps the
    /// section instead of stopping.
    pub(crate) fn parse_without_formats(v: &'a str) -> Option<Self> {
        let mut r = Some(v);
        let media = field(&mut r, v, "media type").ok()?;
        crate::text::token(media, "media type").ok()?;
        let port_s = field(&mut r, v, "media port").ok()?;
        let (port, port_count) = match crate::text::split_at_byte(port_s, b'/') {
            (p, Some(n)) => (
                u16_num(p, "media port").ok()?,
                Some(u16_num(n, "media number of ports").ok()?),
            ),
            (_, None) => (u16_num(port_s, "media port").ok()?, None),
        };
        let proto = field(&mut r, v, "media proto").ok()?;
        r.is_none().then(|| Self {
            media: media.into(),
            port,
            port_count,
            proto: proto.into(),
            formats: "".into(),
        })
    }

    /// The typed media kind.
    #[must_use]
    pub fn kind(&self) -> MediaKind {
        match &*self.media {
            "audio" => MediaKind::Audio,
            "video" => MediaKind::Video,
            "text" => MediaKind::Text,
            "application" => MediaKind::Application,
            "message" => MediaKind::Message,
            "image" => MediaKind::Image,
            _ => MediaKind::Other,
        }
    }

    /// The formats in order.
    pub fn formats(&self) -> impl Iterator<Item = &str> + '_ {
        // Empty only for a line without formats (lenient parsing).
        self.formats.split(' ').filter(|f| !f.is_empty())
    }

    /// The formats that are RTP payload types (0–127), in order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.formats()
            .filter_map(|f| f.parse::<u8>().ok().filter(|p| *p <= 127))
    }

    /// Whether the protocol carries RTP (`RTP/AVP`, `UDP/TLS/RTP/SAVPF`, ...).
    #[must_use]
    pub fn is_rtp(&self) -> bool {
        self.proto.split('/').any(|p| p == "RTP")
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.media)?;
        w.write_char(' ')?;
        write_u64(w, u64::from(self.port))?;
        if let Some(n) = self.port_count {
            w.write_char('/')?;
            write_u64(w, u64::from(n))?;
        }
        w.write_char(' ')?;
        w.write_str(&self.proto)?;
        if !self.formats.is_empty() {
            w.write_char(' ')?;
            w.write_str(&self.formats)?;
        }
        Ok(())
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> MediaLine<'static> {
        MediaLine {
            media: own(self.media),
            port: self.port,
            port_count: self.port_count,
            proto: own(self.proto),
            formats: own(self.formats),
        }
    }
}

/// One line of a session or media section after the mandatory ones, in
/// input order (which is what makes the writer lossless).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Line<'a> {
    /// `i=` session or media title (RFC 8866 §5.4).
    Information(Str<'a>),
    /// `u=` URI (RFC 8866 §5.5).
    Uri(Str<'a>),
    /// `e=` email address (RFC 8866 §5.6).
    Email(Str<'a>),
    /// `p=` phone number (RFC 8866 §5.6).
    Phone(Str<'a>),
    /// `c=` connection data (RFC 8866 §5.7).
    Connection(Connection<'a>),
    /// `b=` bandwidth (RFC 8866 §5.8).
    Bandwidth(Bandwidth<'a>),
    /// `t=` timing (RFC 8866 §5.9).
    Timing(Timing),
    /// `r=` repeat times, kept as written (RFC 8866 §5.10).
    Repeat(Str<'a>),
    /// `z=` time zone adjustments, kept as written (RFC 8866 §5.11).
    TimeZones(Str<'a>),
    /// `k=` encryption key (obsolete, RFC 8866 §5.12), kept as written.
    Key(Str<'a>),
    /// `a=` attribute (RFC 8866 §5.13).
    Attribute(Attribute<'a>),
    /// A line with a type letter RFC 8866 does not define, kept as written.
    Unknown {
        /// The type character.
        kind: char,
        /// Everything after `=`.
        value: Str<'a>,
    },
    /// A line that lenient parsing could not parse, kept verbatim (without
    /// its line ending).
    Malformed(Str<'a>),
}

impl Line<'_> {
    /// Writes the line without its line ending.
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Information(s) => prefixed(w, "i=", s),
            Self::Uri(s) => prefixed(w, "u=", s),
            Self::Email(s) => prefixed(w, "e=", s),
            Self::Phone(s) => prefixed(w, "p=", s),
            Self::Connection(c) => {
                w.write_str("c=")?;
                c.write(w)
            }
            Self::Bandwidth(b) => {
                w.write_str("b=")?;
                b.write(w)
            }
            Self::Timing(t) => {
                w.write_str("t=")?;
                t.write(w)
            }
            Self::Repeat(s) => prefixed(w, "r=", s),
            Self::TimeZones(s) => prefixed(w, "z=", s),
            Self::Key(s) => prefixed(w, "k=", s),
            Self::Attribute(a) => a.write_line(w),
            Self::Unknown { kind, value } => {
                w.write_char(*kind)?;
                w.write_char('=')?;
                w.write_str(value)
            }
            Self::Malformed(s) => w.write_str(s),
        }
    }

    /// A `'static` copy.
    #[must_use]
    pub fn into_owned(self) -> Line<'static> {
        match self {
            Self::Information(s) => Line::Information(own(s)),
            Self::Uri(s) => Line::Uri(own(s)),
            Self::Email(s) => Line::Email(own(s)),
            Self::Phone(s) => Line::Phone(own(s)),
            Self::Connection(c) => Line::Connection(c.into_owned()),
            Self::Bandwidth(b) => Line::Bandwidth(b.into_owned()),
            Self::Timing(t) => Line::Timing(t),
            Self::Repeat(s) => Line::Repeat(own(s)),
            Self::TimeZones(s) => Line::TimeZones(own(s)),
            Self::Key(s) => Line::Key(own(s)),
            Self::Attribute(a) => Line::Attribute(a.into_owned()),
            Self::Unknown { kind, value } => Line::Unknown {
                kind,
                value: own(value),
            },
            Self::Malformed(s) => Line::Malformed(own(s)),
        }
    }
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

#[inline]
fn prefixed<W: Write + ?Sized>(w: &mut W, p: &str, s: &str) -> fmt::Result {
    w.write_str(p)?;
    w.write_str(s)
}

#[cfg(test)]
mod tests {
    use super::Line;
    use core::mem::size_of;

    /// Lines are moved into the section vectors one by one: a line that
    /// stays within 88 bytes is copied inline rather than through `memcpy`.
    /// The largest variants are `a=rtcp` and `a=crypto` (80 bytes); a
    /// candidate is one string with field positions.
    #[test]
    fn line_stays_small() {
        assert!(size_of::<Line<'_>>() <= 88, "{}", size_of::<Line<'_>>());
        assert!(
            size_of::<crate::Candidate<'_>>() <= 80,
            "{}",
            size_of::<crate::Candidate<'_>>()
        );
    }
}
