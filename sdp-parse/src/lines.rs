//! The non-attribute lines of RFC 8866 §5: `o=`, `c=`, `b=`, `t=`, `m=` and the
//! free-text ones, plus [`Line`], one line of a session or media section.

use alloc::format;
use core::fmt::{self, Write};

use crate::attribute::Attribute;
use crate::error::{ErrorKind, Fail, PResult};
use crate::text::{digits, field, no_more, number, token_list, u16_num, write_u64, Text};

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
pub struct Origin<S: Text> {
    /// User's login on the originating host, or `-`.
    pub username: S,
    /// Numeric session identifier.
    pub session_id: S,
    /// Numeric session version.
    pub session_version: S,
    /// Network type (`IN`).
    pub net_type: S,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: S,
    /// Unicast address of the originating host.
    pub unicast_address: S,
}

impl<'a> Origin<&'a str> {
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
            username,
            session_id,
            session_version,
            net_type,
            addr_type,
            unicast_address,
        })
    }
}

impl<S: Text> Origin<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Origin<T> {
        Origin {
            username: f(self.username),
            session_id: f(self.session_id),
            session_version: f(self.session_version),
            net_type: f(self.net_type),
            addr_type: f(self.addr_type),
            unicast_address: f(self.unicast_address),
        }
    }
}

/// The `o=` line as parsing found it. RFC 8866 §5.2 requires it, second;
/// strict parsing gives only [`OriginLine::Parsed`], lenient parsing keeps
/// going without it (with a warning), as RTSP cameras need.
///
/// In JSON (`serde`) the origin's object, the malformed value's string, or
/// `null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum OriginLine<S: Text> {
    /// A well-formed `o=` line.
    Parsed(Origin<S>),
    /// An `o=` line whose value does not parse, kept as written after `o=`
    /// (Uniview cameras write `o=- 1001 1 IN `).
    Malformed(S),
    /// No `o=` line (some RTSP servers go from `v=` to `s=`).
    Missing,
}

impl<S: Text> OriginLine<S> {
    /// The origin, when the line is there and well formed.
    #[must_use]
    pub fn parsed(&self) -> Option<&Origin<S>> {
        match self {
            Self::Parsed(o) => Some(o),
            _ => None,
        }
    }

    /// Writes `o=` and the value, or nothing when the line is missing.
    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Parsed(o) => {
                w.write_str("o=")?;
                o.write(w)
            }
            Self::Malformed(v) => prefixed(w, "o=", v),
            Self::Missing => Ok(()),
        }
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> OriginLine<T> {
        match self {
            Self::Parsed(o) => OriginLine::Parsed(o.map_text(f)),
            Self::Malformed(v) => OriginLine::Malformed(f(v)),
            Self::Missing => OriginLine::Missing,
        }
    }
}

/// `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Connection<S: Text> {
    /// Network type (`IN`).
    pub net_type: S,
    /// Address type (`IP4`, `IP6`).
    pub addr_type: S,
    /// Address, with `/ttl` and `/count` suffixes for multicast, kept as written.
    pub address: S,
}

impl<'a> Connection<&'a str> {
    /// `names`: the field names used in messages (nettype, addrtype, address).
    pub(crate) fn parse(v: &'a str, names: [&'static str; 3]) -> PResult<'a, Self> {
        let mut r = Some(v);
        let net_type = field(&mut r, v, names[0])?;
        let addr_type = field(&mut r, v, names[1])?;
        let address = field(&mut r, v, names[2])?;
        no_more(r, "connection-address")?;
        Ok(Self {
            net_type,
            addr_type,
            address,
        })
    }
}

impl<S: Text> Connection<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Connection<T> {
        Connection {
            net_type: f(self.net_type),
            addr_type: f(self.addr_type),
            address: f(self.address),
        }
    }
}

/// `b=<bwtype>:<bandwidth>` (RFC 8866 §5.8, RFC 3556 `RS`/`RR`, RFC 3890 `TIAS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bandwidth<S: Text> {
    /// Bandwidth type as written (`AS`, `CT`, `TIAS`, `RR`, `RS` or another token).
    pub bw_type: S,
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

impl<'a> Bandwidth<&'a str> {
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
            bw_type: t,
            bandwidth,
        })
    }
}

impl<S: Text> Bandwidth<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Bandwidth<T> {
        Bandwidth {
            bw_type: f(self.bw_type),
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
pub struct MediaLine<S: Text> {
    /// Media type as written (`audio`, `video`, `application`, or another token).
    pub media: S,
    /// Transport port; 0 marks a rejected or bundle-only section (RFC 8843 §6).
    pub port: u16,
    /// The optional `/<number of ports>`.
    pub port_count: Option<u16>,
    /// Transport protocol (`UDP/TLS/RTP/SAVPF`, `RTP/AVP`, `UDP/DTLS/SCTP`, ...).
    pub proto: S,
    /// The media formats, space-separated as written (payload types for RTP).
    pub formats: S,
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

/// An `m=` port field: `<port>` or `<port>/<number of ports>`.
fn ports(s: &str) -> PResult<'_, (u16, Option<u16>)> {
    match crate::text::split_at_byte(s, b'/') {
        (p, Some(n)) => Ok((
            u16_num(p, "media port")?,
            Some(u16_num(n, "media number of ports")?),
        )),
        (_, None) => Ok((u16_num(s, "media port")?, None)),
    }
}

impl<'a> MediaLine<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let media = field(&mut r, v, "media type")?;
        crate::text::token(media, "media type")?;
        let (port, port_count) = ports(field(&mut r, v, "media port")?)?;
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
            media,
            port,
            port_count,
            proto,
            formats,
        })
    }

    /// An `m=` line that lenient parsing keeps although it does not parse:
    /// single-space-separated fields whose port is a number, with a media
    /// type that is not a token (TP-LINK cameras write
    /// `m=application/TP-LINK 0 RTP/AVP smart/1/90000`), or no formats at all
    /// (`m=video 0 RTP/AVP`: RFC 8866 §5.14 asks for at least one, even in a
    /// rejected section, RFC 3264 §6, but some SIP stacks reject a stream
    /// this way). `None` for any other shape, which stops lenient parsing
    /// too: without single spaces the line could not be written back as is.
    pub(crate) fn parse_loose(v: &'a str) -> Option<Self> {
        let mut r = Some(v);
        let media = field(&mut r, v, "media type").ok()?;
        let (port, port_count) = ports(field(&mut r, v, "media port").ok()?).ok()?;
        let proto = field(&mut r, v, "media proto").ok()?;
        let formats = match r {
            Some(f) => token_list(f, "media format").ok().map(|()| f)?,
            None => "",
        };
        Some(Self {
            media,
            port,
            port_count,
            proto,
            formats,
        })
    }
}

impl<S: Text> MediaLine<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> MediaLine<T> {
        MediaLine {
            media: f(self.media),
            port: self.port,
            port_count: self.port_count,
            proto: f(self.proto),
            formats: f(self.formats),
        }
    }
}

/// One line of a session or media section after the mandatory ones, in
/// input order (which is what makes the writer lossless).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Line<S: Text> {
    /// `i=` session or media title (RFC 8866 §5.4).
    Information(S),
    /// `u=` URI (RFC 8866 §5.5).
    Uri(S),
    /// `e=` email address (RFC 8866 §5.6).
    Email(S),
    /// `p=` phone number (RFC 8866 §5.6).
    Phone(S),
    /// `c=` connection data (RFC 8866 §5.7).
    Connection(Connection<S>),
    /// `b=` bandwidth (RFC 8866 §5.8).
    Bandwidth(Bandwidth<S>),
    /// `t=` timing (RFC 8866 §5.9).
    Timing(Timing),
    /// `r=` repeat times, kept as written (RFC 8866 §5.10).
    Repeat(S),
    /// `z=` time zone adjustments, kept as written (RFC 8866 §5.11).
    TimeZones(S),
    /// `k=` encryption key (obsolete, RFC 8866 §5.12), kept as written.
    Key(S),
    /// `a=` attribute (RFC 8866 §5.13).
    Attribute(Attribute<S>),
    /// A line with a type letter RFC 8866 does not define, kept as written.
    Unknown {
        /// The type character.
        kind: char,
        /// Everything after `=`.
        value: S,
    },
    /// A line that lenient parsing could not parse, kept verbatim (without
    /// its line ending).
    Malformed(S),
}

impl<S: Text> Line<S> {
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

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Line<T> {
        match self {
            Self::Information(s) => Line::Information(f(s)),
            Self::Uri(s) => Line::Uri(f(s)),
            Self::Email(s) => Line::Email(f(s)),
            Self::Phone(s) => Line::Phone(f(s)),
            Self::Connection(c) => Line::Connection(c.map_text(f)),
            Self::Bandwidth(b) => Line::Bandwidth(b.map_text(f)),
            Self::Timing(t) => Line::Timing(t),
            Self::Repeat(s) => Line::Repeat(f(s)),
            Self::TimeZones(s) => Line::TimeZones(f(s)),
            Self::Key(s) => Line::Key(f(s)),
            Self::Attribute(a) => Line::Attribute(a.map_text(f)),
            Self::Unknown { kind, value } => Line::Unknown {
                kind,
                value: f(value),
            },
            Self::Malformed(s) => Line::Malformed(f(s)),
        }
    }
}

impl<S: Text> fmt::Display for Line<S> {
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

    /// Lines are written into the section vectors one by one: a smaller
    /// line is fewer stores. The largest variant is a candidate (72 bytes:
    /// one string with field positions); `a=rtcp` and `a=crypto` are 56.
    #[test]
    fn line_stays_small() {
        assert!(size_of::<Line<&str>>() <= 72, "{}", size_of::<Line<&str>>());
        assert!(
            size_of::<crate::Candidate<&str>>() <= 72,
            "{}",
            size_of::<crate::Candidate<&str>>()
        );
    }
}
