//! RTP-related attributes: `rtpmap`, `fmtp`, `rtcp-fb`, `rtcp`, `extmap`,
//! `ssrc`, `ssrc-group`, `msid`, `msid-semantic`, `group`, `rid`, `simulcast`.

use alloc::format;
use core::fmt::{self, Write};

use crate::attribute::Direction;
use crate::error::{ErrorKind, Fail, PResult};
use crate::text::{
    end, field, no_more, split_at_byte, split_sp, token, token_list, u16_num, u32_num, u8_num,
    write_u64, Text,
};

/// Whether `b` is a list of SSRCs (canonical 32-bit numbers) separated by
/// single spaces.
fn ssrc_list(b: &[u8]) -> bool {
    let mut i = 0;
    loop {
        match crate::text::leading_number(&b[i..], 10) {
            Some((v, n)) if v <= u64::from(u32::MAX) => i += n,
            _ => return false,
        }
        match b.get(i) {
            None => return true,
            Some(b' ') => i += 1,
            Some(_) => return false,
        }
    }
}

fn write_opt<W: Write + ?Sized, S: Text>(w: &mut W, sep: char, s: &Option<S>) -> fmt::Result {
    if let Some(s) = s {
        w.write_char(sep)?;
        w.write_str(s)?;
    }
    Ok(())
}

/// `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`
/// (RFC 8866 §6.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rtpmap<S: Text> {
    /// RTP payload type, 0–127.
    pub payload_type: u8,
    /// Encoding name as written (`opus`, `VP8`, `H264`, `rtx`...); compare
    /// case-insensitively (RFC 4855 §3).
    pub encoding_name: S,
    /// RTP clock rate in Hz.
    pub clock_rate: u32,
    /// Encoding parameters: the channel count for audio.
    pub encoding_params: Option<S>,
}

impl<'a> Rtpmap<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        // Well-formed values in one pass; anything else takes the general
        // path, which accepts exactly the same values and words the errors.
        if let Some(m) = Self::parse_common(v) {
            return Ok(m);
        }
        Self::parse_general(v)
    }

    #[inline]
    fn parse_common(v: &'a str) -> Option<Self> {
        let (pt, name, clock, params, n) = Self::parse_prefix(v)?;
        (n == v.len()).then(|| Self::from_parts(pt, name, clock, params))
    }

    /// The value from the parts [`Self::parse_prefix`] returns.
    #[inline(always)]
    pub(crate) fn from_parts(pt: u8, name: &'a str, clock: u32, params: Option<&'a str>) -> Self {
        Self {
            payload_type: pt,
            encoding_name: name,
            clock_rate: clock,
            encoding_params: params,
        }
    }

    /// The common form at the start of `v`, which may go on past the value
    /// (the rest of the input): payload type, encoding name, clock rate,
    /// encoding parameters, and the length of its text, which ends at the
    /// first byte the common form cannot continue with. As plain parts, which
    /// the parser's fast path passes on in registers.
    #[inline]
    #[allow(clippy::type_complexity)]
    pub(crate) fn parse_prefix(v: &'a str) -> Option<(u8, &'a str, u32, Option<&'a str>, usize)> {
        let b = v.as_bytes();
        let (pt, i) = leading_payload_type(b)?;
        // Encoding name: a token ('/' is not a token character).
        let name_start = i + 1;
        let rest = &b[name_start..];
        let n = crate::text::token_len(rest);
        if n == 0 || rest.get(n) != Some(&b'/') {
            return None;
        }
        // Clock rate: 1 to 10 digits without a leading zero, fitting in 32 bits.
        let digits = &rest[n + 1..];
        let (clock, k) = crate::text::leading_number(digits, 10)?;
        if clock > u64::from(u32::MAX) {
            return None;
        }
        let mut end = name_start + n + 1 + k;
        let encoding_params = match digits.get(k) {
            Some(b'/') => {
                let m = crate::text::token_len(&digits[k + 1..]);
                if m == 0 {
                    return None;
                }
                end += 1 + m;
                Some(v.get(end - m..end)?)
            }
            _ => None,
        };
        Some((
            pt,
            v.get(name_start..name_start + n)?,
            clock as u32,
            encoding_params,
            end,
        ))
    }

    fn parse_general(v: &'a str) -> PResult<'a, Self> {
        let (pt, rest) = split_sp(v);
        let payload_type = u8_num(pt, "rtpmap payload type", 127)?;
        let Some(rest) = rest else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                end(v),
                "missing rtpmap encoding name (expected \"<pt> <name>/<clock rate>\")".into(),
            ));
        };
        let (name, after) = split_at_byte(rest, b'/');
        token(name, "rtpmap encoding name")?;
        let (clock, params) = match after {
            Some(a) => {
                let (c, p) = split_at_byte(a, b'/');
                (Some(c), p)
            }
            None => (None, None),
        };
        let Some(clock) = clock else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                end(rest),
                format!(
                    "missing rtpmap clock rate after \"{name}\" (expected \"{name}/<clock rate>\")"
                ),
            ));
        };
        let clock_rate = u32_num(clock, "rtpmap clock rate")?;
        let encoding_params = match params {
            Some(p) => {
                token(p, "rtpmap encoding parameters")?;
                Some(p)
            }
            None => None,
        };
        Ok(Self {
            payload_type,
            encoding_name: name,
            clock_rate,
            encoding_params,
        })
    }
}

impl<S: Text> Rtpmap<S> {
    /// The channel count (encoding parameters of an audio codec), 1 if absent.
    #[must_use]
    pub fn channels(&self) -> Option<u16> {
        match &self.encoding_params {
            Some(p) => p.parse().ok(),
            None => None,
        }
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        write_u64(w, u64::from(self.payload_type))?;
        w.write_char(' ')?;
        w.write_str(&self.encoding_name)?;
        w.write_char('/')?;
        write_u64(w, u64::from(self.clock_rate))?;
        write_opt(w, '/', &self.encoding_params)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Rtpmap<T> {
        Rtpmap {
            payload_type: self.payload_type,
            encoding_name: f(self.encoding_name),
            clock_rate: self.clock_rate,
            encoding_params: self.encoding_params.map(&mut *f),
        }
    }
}

/// `a=fmtp:<format> <format specific parameters>` (RFC 8866 §6.15).
///
/// The parameters are kept as written; [`Fmtp::params`] iterates over them as
/// `key=value` pairs in order, and the codec helpers in [`crate::fmtp`] read
/// typed values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fmtp<S: Text> {
    /// The format (an RTP payload type for RTP media).
    pub format: S,
    /// The parameters as written.
    pub params: S,
}

/// One `key[=value]` entry of an `a=fmtp` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FmtpParam<'s> {
    /// Text before `=` (the whole entry if there is none, e.g. RED's `111/111`).
    pub key: &'s str,
    /// Text after `=`.
    pub value: Option<&'s str>,
}

impl<'a> Fmtp<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (format, rest) = split_sp(v);
        token(format, "fmtp format")?;
        let Some(params) = rest else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                end(v),
                format!("missing fmtp parameters after format {format}"),
            ));
        };
        Ok(Self { format, params })
    }
}

impl<S: Text> Fmtp<S> {
    /// The payload type, when the format is one.
    #[must_use]
    pub fn payload_type(&self) -> Option<u8> {
        self.format.parse().ok().filter(|p| *p <= 127)
    }

    /// The `;`-separated parameters in order (spaces after `;` skipped).
    pub fn params(&self) -> impl Iterator<Item = FmtpParam<'_>> + '_ {
        self.params
            .split(';')
            .map(|p| p.trim_start_matches(' '))
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => FmtpParam {
                    key: k.trim_end_matches(' '),
                    value: Some(v.trim_matches(' ')),
                },
                None => FmtpParam {
                    key: p.trim_end_matches(' '),
                    value: None,
                },
            })
    }

    /// The value of parameter `key` (case-insensitive, RFC 4855 §3).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params()
            .find(|p| p.key.eq_ignore_ascii_case(key))
            .and_then(|p| p.value)
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.format)?;
        w.write_char(' ')?;
        w.write_str(&self.params)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Fmtp<T> {
        Fmtp {
            format: f(self.format),
            params: f(self.params),
        }
    }
}

/// The feedback type of an `a=rtcp-fb` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum FeedbackType<S: Text> {
    /// `ack` (RFC 4585 §4.2).
    Ack,
    /// `nack`, with parameter `pli`, `sli`, `rpsi` or none (RFC 4585 §4.2).
    Nack,
    /// `trr-int <ms>` (RFC 4585 §4.2).
    TrrInt,
    /// `ccm` codec control (`fir`, `tmmbr`, ... RFC 5104 §7).
    Ccm,
    /// `goog-remb` (draft-alvestrand-rmcat-remb).
    GoogRemb,
    /// `transport-cc` (draft-holmer-rmcat-transport-wide-cc-extensions).
    TransportCc,
    /// Any other feedback id, as written.
    Other(S),
}

/// The feedback types of the fast path's common form, a plain byte where
/// [`FeedbackType`] is a word-sized enum with a string in it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KnownFeedback {
    Ack,
    Nack,
    Ccm,
    GoogRemb,
    TransportCc,
}

impl From<KnownFeedback> for FeedbackType<&str> {
    #[inline]
    fn from(k: KnownFeedback) -> Self {
        match k {
            KnownFeedback::Ack => Self::Ack,
            KnownFeedback::Nack => Self::Nack,
            KnownFeedback::Ccm => Self::Ccm,
            KnownFeedback::GoogRemb => Self::GoogRemb,
            KnownFeedback::TransportCc => Self::TransportCc,
        }
    }
}

impl<S: Text> FeedbackType<S> {
    /// The feedback id as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Ack => "ack",
            Self::Nack => "nack",
            Self::TrrInt => "trr-int",
            Self::Ccm => "ccm",
            Self::GoogRemb => "goog-remb",
            Self::TransportCc => "transport-cc",
            Self::Other(s) => s,
        }
    }
}

/// `a=rtcp-fb:<pt or *> <type> [<params>]` (RFC 4585 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RtcpFb<S: Text> {
    /// The payload type, `None` for `*` (all formats).
    pub payload_type: Option<u8>,
    /// The feedback type.
    pub feedback: FeedbackType<S>,
    /// Parameters after the type (`pli`, `fir`, the trr-int value...), as written.
    pub params: Option<S>,
}

impl<'a> RtcpFb<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        // Common case in one pass: `<pt> <known type>[ <token>]`; anything
        // else takes the general path, which also words the errors.
        if let Some(fb) = Self::parse_common(v) {
            return Ok(fb);
        }
        Self::parse_general(v)
    }

    #[inline]
    fn parse_common(v: &'a str) -> Option<Self> {
        let (pt, feedback, params, n) = Self::parse_prefix(v)?;
        (n == v.len()).then(|| Self::from_parts(pt, feedback, params))
    }

    /// The value from the parts [`Self::parse_prefix`] returns.
    #[inline(always)]
    pub(crate) fn from_parts(pt: u8, feedback: KnownFeedback, params: Option<&'a str>) -> Self {
        Self {
            payload_type: Some(pt),
            feedback: feedback.into(),
            params,
        }
    }

    /// The common form at the start of `v`, which may go on past the value
    /// (the rest of the input): payload type, feedback type, parameter, and
    /// the length of its text, which ends at the first byte the common form
    /// cannot continue with. As plain parts, which the parser's fast path
    /// passes on in registers.
    #[inline]
    pub(crate) fn parse_prefix(v: &'a str) -> Option<(u8, KnownFeedback, Option<&'a str>, usize)> {
        let b = v.as_bytes();
        let (pt, i) = leading_payload_type(b)?;
        let t = &b[i + 1..];
        // The known ids by their first bytes; whether a parameter may or
        // must follow is checked below.
        let (feedback, n) = if t.starts_with(b"nack") {
            (KnownFeedback::Nack, 4)
        } else if t.starts_with(b"goog-remb") {
            (KnownFeedback::GoogRemb, 9)
        } else if t.starts_with(b"transport-cc") {
            (KnownFeedback::TransportCc, 12)
        } else if t.starts_with(b"ccm") {
            (KnownFeedback::Ccm, 3)
        } else if t.starts_with(b"ack") {
            (KnownFeedback::Ack, 3)
        } else {
            return None;
        };
        let mut end = i + 1 + n;
        let params = match t.get(n) {
            Some(b' ')
                if matches!(
                    feedback,
                    KnownFeedback::Nack | KnownFeedback::Ccm | KnownFeedback::Ack
                ) =>
            {
                let m = crate::text::token_len(&t[n + 1..]);
                if m == 0 {
                    return None;
                }
                end += 1 + m;
                Some(v.get(end - m..end)?)
            }
            _ if matches!(feedback, KnownFeedback::Ccm) => return None,
            _ => None,
        };
        Some((pt, feedback, params, end))
    }

    fn parse_general(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let pt = field(&mut r, v, "rtcp-fb payload type")?;
        let payload_type = if pt == "*" {
            None
        } else {
            Some(u8_num(pt, "rtcp-fb payload type", 127)?)
        };
        let ty = field(&mut r, v, "rtcp-fb feedback type")?;
        token(ty, "rtcp-fb feedback type")?;
        let feedback = match ty {
            "ack" => FeedbackType::Ack,
            "nack" => FeedbackType::Nack,
            "trr-int" => FeedbackType::TrrInt,
            "ccm" => FeedbackType::Ccm,
            "goog-remb" => FeedbackType::GoogRemb,
            "transport-cc" => FeedbackType::TransportCc,
            o => FeedbackType::Other(o),
        };
        if let Some(p) = r {
            token_list(p, "rtcp-fb parameter")?;
        }
        match (&feedback, r) {
            (FeedbackType::TrrInt, Some(p)) => {
                u32_num(p, "rtcp-fb trr-int interval")?;
            }
            (FeedbackType::TrrInt, None) => {
                return Err(Fail::new(
                    ErrorKind::MissingField,
                    end(v),
                    "missing rtcp-fb trr-int interval".into(),
                ))
            }
            (FeedbackType::Ccm, None) => {
                return Err(Fail::new(
                    ErrorKind::MissingField,
                    end(v),
                    "missing rtcp-fb ccm parameter (fir, tmmbr, tstr, vbcm)".into(),
                ))
            }
            _ => {}
        }
        Ok(Self {
            payload_type,
            feedback,
            params: r,
        })
    }
}

impl<S: Text> RtcpFb<S> {
    /// The `trr-int` interval in milliseconds.
    #[must_use]
    pub fn trr_int(&self) -> Option<u32> {
        match (&self.feedback, &self.params) {
            (FeedbackType::TrrInt, Some(p)) => p.parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self.payload_type {
            Some(p) => write_u64(w, u64::from(p))?,
            None => w.write_char('*')?,
        }
        w.write_char(' ')?;
        w.write_str(self.feedback.as_str())?;
        write_opt(w, ' ', &self.params)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> RtcpFb<T> {
        RtcpFb {
            payload_type: self.payload_type,
            feedback: match self.feedback {
                FeedbackType::Ack => FeedbackType::Ack,
                FeedbackType::Nack => FeedbackType::Nack,
                FeedbackType::TrrInt => FeedbackType::TrrInt,
                FeedbackType::Ccm => FeedbackType::Ccm,
                FeedbackType::GoogRemb => FeedbackType::GoogRemb,
                FeedbackType::TransportCc => FeedbackType::TransportCc,
                FeedbackType::Other(s) => FeedbackType::Other(f(s)),
            },
            params: self.params.map(&mut *f),
        }
    }
}

/// `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]` (RFC 3605 §2.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rtcp<S: Text> {
    /// RTCP port.
    pub port: u16,
    /// Optional address.
    pub connection: Option<crate::lines::Connection<S>>,
}

impl<'a> Rtcp<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (port, rest) = split_sp(v);
        let port = u16_num(port, "rtcp port")?;
        let connection = match rest {
            Some(r) => Some(crate::lines::Connection::parse(
                r,
                ["rtcp nettype", "rtcp addrtype", "rtcp connection-address"],
            )?),
            None => None,
        };
        Ok(Self { port, connection })
    }
}

impl<S: Text> Rtcp<S> {
    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        write_u64(w, u64::from(self.port))?;
        if let Some(c) = &self.connection {
            w.write_char(' ')?;
            c.write(w)?;
        }
        Ok(())
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Rtcp<T> {
        Rtcp {
            port: self.port,
            connection: self.connection.map(|x| x.map_text(f)),
        }
    }
}

/// `a=extmap:<id>[/<direction>] <URI> [<extension attributes>]` (RFC 8285 §8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Extmap<S: Text> {
    /// Local identifier: 1–14 for one-byte headers, up to 255 with two-byte
    /// headers (`a=extmap-allow-mixed`); range checks are in [`crate::check`].
    pub id: u16,
    /// Optional direction.
    pub direction: Option<Direction>,
    /// Extension URI.
    pub uri: S,
    /// Extension attributes after the URI, as written.
    pub attributes: Option<S>,
}

impl<'a> Extmap<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let idd = field(&mut r, v, "extmap id")?;
        let (id, direction) = match split_at_byte(idd, b'/') {
            (id, Some(d)) => {
                let Some(dir) = Direction::from_name(d) else {
                    return Err(Fail::new(
                        ErrorKind::InvalidValue,
                        d,
                        format!("extmap direction \"{d}\" is not sendrecv, sendonly, recvonly or inactive"),
                    ));
                };
                (id, Some(dir))
            }
            (_, None) => (idd, None),
        };
        let id = u16_num(id, "extmap id")?;
        let uri = field(&mut r, v, "extmap URI")?;
        Ok(Self {
            id,
            direction,
            uri,
            attributes: r,
        })
    }
}

impl<S: Text> Extmap<S> {
    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        write_u64(w, u64::from(self.id))?;
        if let Some(d) = self.direction {
            w.write_char('/')?;
            w.write_str(d.as_str())?;
        }
        w.write_char(' ')?;
        w.write_str(&self.uri)?;
        write_opt(w, ' ', &self.attributes)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Extmap<T> {
        Extmap {
            id: self.id,
            direction: self.direction,
            uri: f(self.uri),
            attributes: self.attributes.map(&mut *f),
        }
    }
}

/// `a=ssrc:<ssrc-id> <attribute>[:<value>]` (RFC 5576 §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ssrc<S: Text> {
    /// The SSRC.
    pub ssrc: u32,
    /// Source attribute name (`cname`, `msid`, ...).
    pub attribute: S,
    /// Source attribute value, if any.
    pub value: Option<S>,
}

impl<'a> Ssrc<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (id, rest) = split_sp(v);
        let ssrc = u32_num(id, "ssrc id")?;
        let Some(rest) = rest else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                end(v),
                "missing ssrc attribute (expected \"<ssrc> <attribute>[:<value>]\")".into(),
            ));
        };
        let (attribute, value) = split_at_byte(rest, b':');
        token(attribute, "ssrc attribute")?;
        Ok(Self {
            ssrc,
            attribute,
            value,
        })
    }
}

impl<S: Text> Ssrc<S> {
    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        write_u64(w, u64::from(self.ssrc))?;
        w.write_char(' ')?;
        w.write_str(&self.attribute)?;
        write_opt(w, ':', &self.value)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Ssrc<T> {
        Ssrc {
            ssrc: self.ssrc,
            attribute: f(self.attribute),
            value: self.value.map(&mut *f),
        }
    }
}

/// `a=ssrc-group:<semantics> <ssrc-id> ...` (RFC 5576 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SsrcGroup<S: Text> {
    /// Semantics (`FID`, `FEC`, `SIM`, ...).
    pub semantics: S,
    /// The SSRCs, space-separated as written (validated).
    pub ssrcs: S,
}

impl<'a> SsrcGroup<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (sem, rest) = split_sp(v);
        token(sem, "ssrc-group semantics")?;
        let Some(rest) = rest else {
            return Err(Fail::new(
                ErrorKind::MissingField,
                end(v),
                format!("missing SSRCs in ssrc-group {sem}"),
            ));
        };
        if !ssrc_list(rest.as_bytes()) {
            // One by one, to word the error.
            for s in rest.split(' ') {
                u32_num(s, "ssrc-group SSRC")?;
            }
        }
        Ok(Self {
            semantics: sem,
            ssrcs: rest,
        })
    }
}

impl<S: Text> SsrcGroup<S> {
    /// The SSRCs in order.
    pub fn ssrcs(&self) -> impl Iterator<Item = u32> + '_ {
        self.ssrcs.split(' ').filter_map(|s| s.parse().ok())
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.semantics)?;
        w.write_char(' ')?;
        w.write_str(&self.ssrcs)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> SsrcGroup<T> {
        SsrcGroup {
            semantics: f(self.semantics),
            ssrcs: f(self.ssrcs),
        }
    }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830 §2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Msid<S: Text> {
    /// MediaStream id (`-` for none).
    pub stream_id: S,
    /// Track id ("appdata").
    pub track_id: Option<S>,
}

impl<'a> Msid<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let stream_id = field(&mut r, v, "msid stream id")?;
        let track_id = match r {
            Some(_) => Some(field(&mut r, v, "msid track id")?),
            None => None,
        };
        no_more(r, "msid track id")?;
        Ok(Self {
            stream_id,
            track_id,
        })
    }
}

impl<S: Text> Msid<S> {
    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.stream_id)?;
        write_opt(w, ' ', &self.track_id)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Msid<T> {
        Msid {
            stream_id: f(self.stream_id),
            track_id: self.track_id.map(&mut *f),
        }
    }
}

/// `a=msid-semantic:[ ]<semantic> [<ids>]` (draft-ietf-mmusic-msid; browsers
/// still send `a=msid-semantic: WMS <stream ids>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MsidSemantic<S: Text> {
    /// Whether a space follows the colon (Chromium writes one).
    pub space_after_colon: bool,
    /// The semantic (`WMS`).
    pub semantic: S,
    /// The identifiers after the semantic (`*` or stream ids), as written.
    pub ids: Option<S>,
    /// Whether the `*` wildcard follows the semantic without a space
    /// (`a=msid-semantic:WMS*`, as pion writes it); `ids` is then `*`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub wildcard_attached: bool,
}

impl<'a> MsidSemantic<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (space_after_colon, s) = match v.strip_prefix(' ') {
            Some(s) => (true, s),
            None => (false, v),
        };
        let (sem, ids) = split_sp(s);
        token(sem, "msid-semantic semantic")?;
        // `WMS*` (pion): the semantic `WMS` and the wildcard, with the space
        // of the grammar (`msid-list = " *"`) left out.
        if let (Some(name), None) = (sem.strip_suffix('*'), ids) {
            if !name.is_empty() {
                return Ok(Self {
                    space_after_colon,
                    semantic: name,
                    ids: Some(sem[name.len()..].into()),
                    wildcard_attached: true,
                });
            }
        }
        Ok(Self {
            space_after_colon,
            semantic: sem,
            ids,
            wildcard_attached: false,
        })
    }
}

impl<S: Text> MsidSemantic<S> {
    /// The stream ids in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.ids
            .as_deref()
            .unwrap_or("")
            .split(' ')
            .filter(|s| !s.is_empty())
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        if self.space_after_colon {
            w.write_char(' ')?;
        }
        w.write_str(&self.semantic)?;
        match &self.ids {
            Some(ids) if self.wildcard_attached => w.write_str(ids),
            _ => write_opt(w, ' ', &self.ids),
        }
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> MsidSemantic<T> {
        MsidSemantic {
            space_after_colon: self.space_after_colon,
            semantic: f(self.semantic),
            ids: self.ids.map(&mut *f),
            wildcard_attached: self.wildcard_attached,
        }
    }
}

/// `a=group:<semantics>[ <identification-tag>]*` (RFC 5888 §5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Group<S: Text> {
    /// Semantics (`BUNDLE`, `LS`, `FID`, ...).
    pub semantics: S,
    /// The mids, space-separated as written (validated); `None` for an empty group.
    pub mids: Option<S>,
}

impl<'a> Group<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let (sem, mids) = split_sp(v);
        token(sem, "group semantics")?;
        if let Some(m) = mids {
            token_list(m, "group identification-tag")?;
        }
        Ok(Self {
            semantics: sem,
            mids,
        })
    }
}

impl<S: Text> Group<S> {
    /// Whether this is a BUNDLE group (RFC 8843).
    #[must_use]
    pub fn is_bundle(&self) -> bool {
        &*self.semantics == "BUNDLE"
    }

    /// The mids in order.
    pub fn mids(&self) -> impl Iterator<Item = &str> + '_ {
        self.mids.as_deref().into_iter().flat_map(|m| m.split(' '))
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.semantics)?;
        write_opt(w, ' ', &self.mids)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Group<T> {
        Group {
            semantics: f(self.semantics),
            mids: self.mids.map(&mut *f),
        }
    }
}

/// Direction of a RID or a simulcast stream list (RFC 8851 §10, RFC 8853 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum RidDirection {
    /// `send`
    Send,
    /// `recv`
    Recv,
}

impl RidDirection {
    /// The keyword.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Recv => "recv",
        }
    }

    fn parse<'a>(s: &'a str, what: &str) -> PResult<'a, Self> {
        match s {
            "send" => Ok(Self::Send),
            "recv" => Ok(Self::Recv),
            _ => Err(Fail::new(
                ErrorKind::InvalidValue,
                s,
                format!("{what} direction \"{s}\" is not send or recv"),
            )),
        }
    }
}

fn rid_id<'a>(s: &'a str, what: &str) -> PResult<'a, ()> {
    if s.is_empty() {
        return Err(Fail::new(
            ErrorKind::MissingField,
            s,
            format!("missing {what}"),
        ));
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        return Err(Fail::new(
            ErrorKind::InvalidValue,
            s,
            format!("{what} \"{s}\" may only contain letters, digits, '-' and '_'"),
        ));
    }
    Ok(())
}

/// `a=rid:<rid-id> <send|recv> [pt=<fmt>,...;<restriction>=<value>;...]` (RFC 8851 §10).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rid<S: Text> {
    /// The RID.
    pub id: S,
    /// Direction.
    pub direction: RidDirection,
    /// Payload-type list and restrictions, as written.
    pub restrictions: Option<S>,
}

impl<'a> Rid<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        let mut r = Some(v);
        let id = field(&mut r, v, "rid id")?;
        rid_id(id, "rid id")?;
        let dir = field(&mut r, v, "rid direction")?;
        let direction = RidDirection::parse(dir, "rid")?;
        if let Some(list) = r {
            for p in list.split(';') {
                let (k, val) = match p.split_once('=') {
                    Some((k, val)) => (k, Some(val)),
                    None => (p, None),
                };
                token(k, "rid restriction name")?;
                if k == "pt" {
                    let Some(val) = val else {
                        return Err(Fail::new(
                            ErrorKind::MissingField,
                            end(p),
                            "rid pt restriction needs a payload type list".into(),
                        ));
                    };
                    for f in val.split(',') {
                        token(f, "rid payload type")?;
                    }
                }
            }
        }
        Ok(Self {
            id,
            direction,
            restrictions: r,
        })
    }
}

impl<S: Text> Rid<S> {
    /// The restrictions as `(name, value)` in order, `pt` included.
    pub fn params(&self) -> impl Iterator<Item = (&str, Option<&str>)> + '_ {
        self.restrictions
            .as_deref()
            .into_iter()
            .flat_map(|r| r.split(';'))
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (p, None),
            })
    }

    /// The payload types of the `pt=` restriction.
    pub fn payload_types(&self) -> impl Iterator<Item = &str> + '_ {
        self.params()
            .filter(|(k, _)| *k == "pt")
            .flat_map(|(_, v)| v.unwrap_or("").split(','))
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(&self.id)?;
        w.write_char(' ')?;
        w.write_str(self.direction.as_str())?;
        write_opt(w, ' ', &self.restrictions)
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Rid<T> {
        Rid {
            id: f(self.id),
            direction: self.direction,
            restrictions: self.restrictions.map(&mut *f),
        }
    }
}

/// One direction of an `a=simulcast` line: `send q;h;f` or `recv a,b;c`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SimulcastList<S: Text> {
    /// Direction.
    pub direction: RidDirection,
    /// Streams separated by `;`, alternatives by `,`, `~` marking paused, as written.
    pub streams: S,
}

/// One RID of a simulcast stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SimulcastRid<'s> {
    /// The RID.
    pub id: &'s str,
    /// Whether it was marked paused with `~`.
    pub paused: bool,
}

impl<S: Text> SimulcastList<S> {
    /// The streams in order, each an iterator over its alternative RIDs.
    pub fn streams(&self) -> impl Iterator<Item = impl Iterator<Item = SimulcastRid<'_>>> + '_ {
        self.streams.split(';').map(|s| {
            s.split(',').map(|r| match r.strip_prefix('~') {
                Some(id) => SimulcastRid { id, paused: true },
                None => SimulcastRid {
                    id: r,
                    paused: false,
                },
            })
        })
    }

    /// Every RID of every stream and alternative, in order.
    pub fn rids(&self) -> impl Iterator<Item = SimulcastRid<'_>> + '_ {
        self.streams().flatten()
    }
}

/// `a=simulcast:<send|recv> <streams> [<recv|send> <streams>]` (RFC 8853 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Simulcast<S: Text> {
    /// The first list.
    pub first: SimulcastList<S>,
    /// The optional second list (opposite direction).
    pub second: Option<SimulcastList<S>>,
}

/// The error for the syntax of the simulcast drafts before RFC 8853
/// (`a=simulcast: send rid=hi;mid;lo`, which older Firefox releases wrote):
/// RFC 8853 §5.1 has no space after the colon and no `rid=` prefix.
#[cold]
fn draft_simulcast(v: &str) -> Fail<'_> {
    Fail::new(
        ErrorKind::InvalidValue,
        v,
        "simulcast in the pre-RFC 8853 draft syntax (\"a=simulcast: send rid=a;b\"); \
         RFC 8853 §5.1 writes \"a=simulcast:send a;b\""
            .into(),
    )
}

impl<'a> Simulcast<&'a str> {
    pub(crate) fn parse(v: &'a str) -> PResult<'a, Self> {
        if v.starts_with(' ') || v.contains(" rid=") {
            return Err(draft_simulcast(v));
        }
        let mut r = Some(v);
        let first = Self::list(&mut r, v)?;
        let second = match r {
            Some(_) => {
                let s = Self::list(&mut r, v)?;
                if s.direction == first.direction {
                    return Err(Fail::new(
                        ErrorKind::InvalidValue,
                        v,
                        format!("simulcast lists both \"{}\"", s.direction.as_str()),
                    ));
                }
                Some(s)
            }
            None => None,
        };
        no_more(r, "simulcast stream list")?;
        Ok(Self { first, second })
    }

    fn list(r: &mut Option<&'a str>, v: &'a str) -> PResult<'a, SimulcastList<&'a str>> {
        let dir = field(r, v, "simulcast direction")?;
        let direction = RidDirection::parse(dir, "simulcast")?;
        let streams = field(r, v, "simulcast stream list")?;
        for alt in streams.split([';', ',']) {
            rid_id(alt.strip_prefix('~').unwrap_or(alt), "simulcast rid")?;
        }
        Ok(SimulcastList { direction, streams })
    }
}

impl<S: Text> Simulcast<S> {
    /// The `send` list.
    #[must_use]
    pub fn send(&self) -> Option<&SimulcastList<S>> {
        self.lists().find(|l| l.direction == RidDirection::Send)
    }

    /// The `recv` list.
    #[must_use]
    pub fn recv(&self) -> Option<&SimulcastList<S>> {
        self.lists().find(|l| l.direction == RidDirection::Recv)
    }

    fn lists(&self) -> impl Iterator<Item = &SimulcastList<S>> {
        core::iter::once(&self.first).chain(self.second.as_ref())
    }

    pub(crate) fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        for (i, l) in self.lists().enumerate() {
            if i > 0 {
                w.write_char(' ')?;
            }
            w.write_str(l.direction.as_str())?;
            w.write_char(' ')?;
            w.write_str(&l.streams)?;
        }
        Ok(())
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Simulcast<T> {
        let mut o = |l: SimulcastList<S>| SimulcastList {
            direction: l.direction,
            streams: f(l.streams),
        };
        Simulcast {
            first: o(self.first),
            second: self.second.map(o),
        }
    }
}

/// The fast paths' payload type: 1 to 3 digits without a leading zero, at most 127, then a
/// space. Returns the value and the index of that space; `None` sends the caller to its
/// general path, which words the error.
#[inline]
fn leading_payload_type(b: &[u8]) -> Option<(u8, usize)> {
    let (pt, i) = crate::text::leading_number(b, 3)?;
    if pt > 127 || b.get(i) != Some(&b' ') {
        return None;
    }
    Some((pt as u8, i))
}

#[cfg(test)]
mod tests {
    use super::{ssrc_list, RtcpFb, Rtpmap};

    /// The one-pass SSRC list check accepts exactly the lists whose every
    /// space-separated item is a 32-bit number.
    #[test]
    fn ssrc_list_matches_items() {
        let cases = [
            "1",
            "0",
            "1 2",
            "4294967295 1",
            "4294967296",
            "01",
            "1  2",
            "1 ",
            " 1",
            "",
            "1 x",
            "12345678901",
            "1 2 3 4",
            "1\t2",
            "99999999999999999999",
        ];
        for c in cases {
            let items = c.split(' ').all(|t| crate::text::u32_num(t, "x").is_ok());
            assert_eq!(ssrc_list(c.as_bytes()), items, "{c:?}");
        }
    }

    /// The one-pass path agrees with the general one wherever it answers.
    #[test]
    fn rtcp_fb_common_path_matches_general() {
        let cases = [
            "96 nack",
            "96 nack pli",
            "0 nack sli",
            "127 goog-remb",
            "111 transport-cc",
            "96 ccm fir",
            "96 ccm tmmbr",
            "96 ack rpsi",
            "96 ack",
            "128 nack",
            "096 nack",
            "96 goog-remb x",
            "96 transport-cc y",
            "96 ccm",
            "96 trr-int 100",
            "* nack",
            "96 nack  pli",
            "96 nack pli ",
            "96  nack",
            "96 x-custom a b",
            "9a nack",
            "96",
        ];
        let mut answered = 0;
        for v in cases {
            let general = RtcpFb::parse_general(v).ok();
            if let Some(common) = RtcpFb::parse_common(v) {
                answered += 1;
                assert_eq!(Some(common), general, "{v:?}");
            }
        }
        assert_eq!(answered, 9, "the common path takes the common forms");
    }

    /// The one-pass rtpmap path accepts exactly what the general one accepts,
    /// with the same values.
    #[test]
    fn rtpmap_common_path_matches_general() {
        let cases = [
            ("111 opus/48000/2", true),
            ("0 PCMU/8000", true),
            ("127 x/90000", true),
            ("96 VP8/4294967295", true),
            ("96 H264/90000/x-y", true),
            ("128 x/1", false),
            ("01 x/1", false),
            ("1270 x/1", false),
            ("96 VP8/090000", false),
            ("96 VP8/0", true),
            ("96 VP8/4294967296", false),
            ("96 VP8/12345678901", false),
            ("96 opus/48000/", false),
            ("96 opus/48000/2/3", false),
            ("96 /90000", false),
            ("96 VP8", false),
            ("96 VP8/", false),
            ("96  VP8/90000", false),
            ("96 VP8/90000 ", false),
            ("96 V P8/90000", false),
            ("96 VP8/9x", false),
            ("96", false),
            ("", false),
        ];
        for (v, ok) in cases {
            let general = Rtpmap::parse_general(v).ok();
            assert_eq!(general.is_some(), ok, "{v:?}");
            let common = Rtpmap::parse_common(v);
            assert_eq!(
                common.is_some(),
                ok,
                "{v:?}: the common path takes every valid form"
            );
            assert_eq!(common, general, "{v:?}");
            assert_eq!(Rtpmap::parse(v).ok(), general, "{v:?}");
        }
    }
}
