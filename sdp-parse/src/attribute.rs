//! `a=` attributes (RFC 8866 §5.13, §6) and the WebRTC ones, typed.
//!
//! Each attribute the toolkit knows is parsed into a value that borrows the
//! input; everything else is an [`Attribute::Other`] with its name and raw
//! value. Parsing is strict about the grammar (single spaces, canonical
//! numbers), so every accepted text maps to exactly one value and writing it
//! gives back the same bytes. Lists (fmtp parameters, group mids, candidate
//! extensions, simulcast streams...) are validated once and kept as the
//! written text; accessors iterate over them without allocating.

use alloc::format;
use core::fmt::{self, Write};

use crate::error::{ErrorKind, Fail, PResult};
use crate::ice::{Candidate, Fingerprint};
use crate::rtp::{
    Extmap, Fmtp, Group, Msid, MsidSemantic, Rid, Rtcp, RtcpFb, Rtpmap, Simulcast, Ssrc, SsrcGroup,
};
use crate::text::{decimal, number, token, token_list, u16_num, u32_num, write_u64, Text};

/// Media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Direction {
    /// `a=sendrecv` (the default when none is given).
    #[default]
    SendRecv,
    /// `a=sendonly`
    SendOnly,
    /// `a=recvonly`
    RecvOnly,
    /// `a=inactive`
    Inactive,
}

impl Direction {
    /// The attribute name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SendRecv => "sendrecv",
            Self::SendOnly => "sendonly",
            Self::RecvOnly => "recvonly",
            Self::Inactive => "inactive",
        }
    }

    /// Parses a direction name.
    #[must_use]
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "sendrecv" => Self::SendRecv,
            "sendonly" => Self::SendOnly,
            "recvonly" => Self::RecvOnly,
            "inactive" => Self::Inactive,
            _ => return None,
        })
    }

    /// The direction seen from the other side (RFC 3264 §6.1): `sendonly`
    /// becomes `recvonly` and vice versa.
    #[must_use]
    pub const fn reversed(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            d => d,
        }
    }

    /// Whether this side sends.
    #[must_use]
    pub const fn sends(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// Whether this side receives.
    #[must_use]
    pub const fn receives(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a=setup` (RFC 4145 §4, RFC 8842 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Setup {
    /// `active`: this side opens the connection (DTLS client).
    Active,
    /// `passive`: this side accepts it (DTLS server).
    Passive,
    /// `actpass`: either; what an offer must say (RFC 8842 §5.2).
    ActPass,
    /// `holdconn`: no connection for now.
    HoldConn,
}

impl Setup {
    /// The value as written.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Passive => "passive",
            Self::ActPass => "actpass",
            Self::HoldConn => "holdconn",
        }
    }
}

/// `a=connection` (RFC 4145 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ConnectionMode {
    /// `new`
    New,
    /// `existing`
    Existing,
}

/// `a=sctpmap:<number> <app> [<streams>]` (draft-ietf-mmusic-sctp-sdp-05, still
/// sent by older stacks).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Sctpmap<S: Text> {
    /// SCTP port (the format in the m-line).
    pub number: u16,
    /// Application, e.g. `webrtc-datachannel`.
    pub app: S,
    /// Maximum number of streams.
    pub streams: Option<u32>,
}

/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]` (RFC 4568 §9.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Crypto<S: Text> {
    /// Tag, 1–999999999.
    pub tag: u32,
    /// Crypto suite, e.g. `AES_CM_128_HMAC_SHA1_80`.
    pub suite: S,
    /// Key parameters (`inline:<key||salt>[|lifetime][|MKI:length]`, `;`-separated).
    pub key_params: S,
    /// Session parameters, space-separated as written.
    pub session_params: Option<S>,
}

impl<S: Text> Crypto<S> {
    /// The key parameters in order.
    pub fn key_params(&self) -> impl Iterator<Item = &str> + '_ {
        self.key_params.split(';')
    }
}

/// One typed `a=` attribute.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "kebab-case", tag = "name", content = "value")
)]
#[allow(missing_docs)] // Each variant is the attribute of the same name.
pub enum Attribute<S: Text> {
    /// `a=rtpmap` (RFC 8866 §6.6).
    Rtpmap(Rtpmap<S>),
    /// `a=fmtp` (RFC 8866 §6.15).
    Fmtp(Fmtp<S>),
    /// `a=rtcp-fb` (RFC 4585 §4.2, RFC 5104 §7, RFC 8888).
    RtcpFb(RtcpFb<S>),
    /// `a=rtcp` (RFC 3605).
    Rtcp(Rtcp<S>),
    /// `a=rtcp-mux` (RFC 5761 §5.1.1).
    RtcpMux,
    /// `a=rtcp-mux-only` (RFC 8858).
    RtcpMuxOnly,
    /// `a=rtcp-rsize` (RFC 5506).
    RtcpRsize,
    /// `a=rtcp-xr` (RFC 3611 §5.1), kept as written.
    RtcpXr(S),
    /// `a=extmap` (RFC 8285 §8).
    Extmap(Extmap<S>),
    /// `a=extmap-allow-mixed` (RFC 8285 §6).
    ExtmapAllowMixed,
    /// `a=ssrc` (RFC 5576 §4.1).
    Ssrc(Ssrc<S>),
    /// `a=ssrc-group` (RFC 5576 §4.2).
    SsrcGroup(SsrcGroup<S>),
    /// `a=msid` (RFC 8830 §2).
    Msid(Msid<S>),
    /// `a=msid-semantic` (draft-ietf-mmusic-msid, still sent by browsers).
    MsidSemantic(MsidSemantic<S>),
    /// `a=group` (RFC 5888 §5; BUNDLE RFC 8843, LS, FID, ...).
    Group(Group<S>),
    /// `a=mid` (RFC 5888 §4).
    Mid(S),
    /// `a=bundle-only` (RFC 8843 §6).
    BundleOnly,
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    IceUfrag(S),
    /// `a=ice-pwd` (RFC 8839 §5.4).
    IcePwd(S),
    /// `a=ice-options` (RFC 8839 §5.6), space-separated as written.
    IceOptions(S),
    /// `a=ice-lite` (RFC 8839 §5.3).
    IceLite,
    /// `a=ice-mismatch` (RFC 8839 §5.3).
    IceMismatch,
    /// `a=candidate` (RFC 8839 §5.1).
    Candidate(Candidate<S>),
    /// `a=remote-candidates` (RFC 8839 §5.2), kept as written.
    RemoteCandidates(S),
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    EndOfCandidates,
    /// `a=fingerprint` (RFC 8122 §5).
    Fingerprint(Fingerprint<S>),
    /// `a=setup` (RFC 4145 §4).
    Setup(Setup),
    /// `a=connection` (RFC 4145 §5).
    Connection(ConnectionMode),
    /// `a=tls-id` (RFC 8842 §4).
    TlsId(S),
    /// `a=identity` (RFC 8827 §5), kept as written.
    Identity(S),
    /// `a=sctp-port` (RFC 8841 §5).
    SctpPort(u16),
    /// `a=max-message-size` (RFC 8841 §6).
    MaxMessageSize(u64),
    /// `a=sctpmap` (pre-RFC 8841 drafts).
    Sctpmap(Sctpmap<S>),
    /// `a=rid` (RFC 8851 §10).
    Rid(Rid<S>),
    /// `a=simulcast` (RFC 8853 §5.1).
    Simulcast(Simulcast<S>),
    /// `a=sendrecv`, `a=sendonly`, `a=recvonly`, `a=inactive`.
    Direction(Direction),
    /// `a=ptime` in milliseconds, possibly fractional, as written (RFC 8866 §6.4).
    Ptime(S),
    /// `a=maxptime` in milliseconds (RFC 8866 §6.5).
    Maxptime(u32),
    /// `a=framerate`, possibly fractional, as written (RFC 8866 §6.13).
    Framerate(S),
    /// `a=crypto` (RFC 4568).
    Crypto(Crypto<S>),
    /// `a=label` (RFC 4574).
    Label(S),
    /// `a=content` (RFC 4796), comma-separated as written.
    Content(S),
    /// `a=imageattr` (RFC 6236), kept as written.
    Imageattr(S),
    /// Any other attribute, kept as written.
    Other {
        /// The attribute name.
        name: S,
        /// The value after `:`, if there is a colon.
        value: Option<S>,
    },
}

/// Where [`Attribute::parse_with`] puts the attribute it parsed: inlined
/// into each kind's branch, so that each kind is stored straight from its
/// parts.
pub(crate) trait Put<'a> {
    /// What the parse returns.
    type Out;
    /// Stores `a`.
    fn put(self, a: Attribute<&'a str>) -> Self::Out;
}

/// Returns the attribute itself.
struct Value;

impl<'a> Put<'a> for Value {
    type Out = Attribute<&'a str>;
    #[inline(always)]
    fn put(self, a: Attribute<&'a str>) -> Attribute<&'a str> {
        a
    }
}

/// A flag attribute (`a=<name>`), which takes no value. Inlined, so that the
/// attribute does not go through a call.
#[inline(always)]
fn flag<'a>(
    a: Attribute<&'a str>,
    name: &str,
    value: Option<&'a str>,
) -> PResult<'a, Attribute<&'a str>> {
    match value {
        None => Ok(a),
        Some(v) => Err(flag_error(name, v)),
    }
}

#[cold]
#[inline(never)]
fn flag_error<'a>(name: &str, v: &'a str) -> Fail<'a> {
    Fail::new(
        ErrorKind::TrailingData,
        v,
        format!("{name} takes no value, found \"{v}\""),
    )
}

#[inline(always)]
fn need<'a>(value: Option<&'a str>, whole: &'a str, name: &str) -> PResult<'a, &'a str> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(need_error(value, whole, name)),
    }
}

#[cold]
#[inline(never)]
fn need_error<'a>(value: Option<&'a str>, whole: &'a str, name: &str) -> Fail<'a> {
    match value {
        Some(v) => Fail::new(ErrorKind::MissingField, v, format!("{name} value is empty")),
        None => Fail::new(
            ErrorKind::MissingField,
            crate::text::end(whole),
            format!("{name} needs a value (\"a={name}:<value>\")"),
        ),
    }
}

impl<'a> Attribute<&'a str> {
    /// Parses the text after `a=`.
    #[inline(always)]
    pub(crate) fn parse(s: &'a str) -> PResult<'a, Self> {
        Self::parse_with(s, Value)
    }

    /// Parses the text after `a=` and hands the attribute to `put`, which each
    /// kind calls with its own variant: a caller that stores the attribute
    /// (the parser's fast path pushes it onto the section's lines) writes
    /// each kind straight into place, instead of all kinds meeting in one
    /// value that is assembled on the stack and copied.
    #[inline(always)]
    pub(crate) fn parse_with<P: Put<'a>>(s: &'a str, put: P) -> PResult<'a, P::Out> {
        let (name, value) = match crate::text::find_byte(s.as_bytes(), b':') {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        Ok(match name {
            "rtcp-fb" => put.put(Self::RtcpFb(RtcpFb::parse(need(value, s, name)?)?)),
            "rtpmap" => put.put(Self::Rtpmap(Rtpmap::parse(need(value, s, name)?)?)),
            "fmtp" => put.put(Self::Fmtp(Fmtp::parse(need(value, s, name)?)?)),
            "rtcp" => put.put(Self::Rtcp(Rtcp::parse(need(value, s, name)?)?)),
            "rtcp-mux" => put.put(flag(Self::RtcpMux, name, value)?),
            "rtcp-mux-only" => put.put(flag(Self::RtcpMuxOnly, name, value)?),
            "rtcp-rsize" => put.put(flag(Self::RtcpRsize, name, value)?),
            "rtcp-xr" => put.put(Self::RtcpXr(need(value, s, name)?)),
            "extmap" => put.put(Self::Extmap(Extmap::parse(need(value, s, name)?)?)),
            "extmap-allow-mixed" => put.put(flag(Self::ExtmapAllowMixed, name, value)?),
            "ssrc" => put.put(Self::Ssrc(Ssrc::parse(need(value, s, name)?)?)),
            "ssrc-group" => put.put(Self::SsrcGroup(SsrcGroup::parse(need(value, s, name)?)?)),
            "msid" => put.put(Self::Msid(Msid::parse(need(value, s, name)?)?)),
            "msid-semantic" => put.put(Self::MsidSemantic(MsidSemantic::parse(need(
                value, s, name,
            )?)?)),
            "group" => put.put(Self::Group(Group::parse(need(value, s, name)?)?)),
            "mid" => put.put(Self::Mid(need(value, s, name)?)),
            "bundle-only" => put.put(flag(Self::BundleOnly, name, value)?),
            "ice-ufrag" => put.put(Self::IceUfrag(need(value, s, name)?)),
            "ice-pwd" => put.put(Self::IcePwd(need(value, s, name)?)),
            "ice-options" => {
                let v = need(value, s, name)?;
                token_list(v, "ice-options option")?;
                put.put(Self::IceOptions(v))
            }
            "ice-lite" => put.put(flag(Self::IceLite, name, value)?),
            "ice-mismatch" => put.put(flag(Self::IceMismatch, name, value)?),
            "candidate" => put.put(Self::Candidate(Candidate::parse(need(value, s, name)?)?)),
            "remote-candidates" => put.put(Self::RemoteCandidates(need(value, s, name)?)),
            "end-of-candidates" => put.put(flag(Self::EndOfCandidates, name, value)?),
            "fingerprint" => put.put(Self::Fingerprint(Fingerprint::parse(need(
                value, s, name,
            )?)?)),
            "setup" => {
                let v = need(value, s, name)?;
                put.put(Self::Setup(match v {
                    "active" => Setup::Active,
                    "passive" => Setup::Passive,
                    "actpass" => Setup::ActPass,
                    "holdconn" => Setup::HoldConn,
                    _ => {
                        return Err(Fail::new(
                            ErrorKind::InvalidValue,
                            v,
                            format!(
                            "setup role \"{v}\" is not one of active, passive, actpass, holdconn"
                        ),
                        ))
                    }
                }))
            }
            "connection" => {
                let v = need(value, s, name)?;
                put.put(Self::Connection(match v {
                    "new" => ConnectionMode::New,
                    "existing" => ConnectionMode::Existing,
                    _ => {
                        return Err(Fail::new(
                            ErrorKind::InvalidValue,
                            v,
                            format!("connection value \"{v}\" is not new or existing"),
                        ))
                    }
                }))
            }
            "tls-id" => put.put(Self::TlsId(need(value, s, name)?)),
            "identity" => put.put(Self::Identity(need(value, s, name)?)),
            "sctp-port" => put.put(Self::SctpPort(u16_num(need(value, s, name)?, "sctp-port")?)),
            "max-message-size" => put.put(Self::MaxMessageSize(number(
                need(value, s, name)?,
                "max-message-size",
                u64::MAX,
            )?)),
            "sctpmap" => {
                let v = need(value, s, name)?;
                let mut r = Some(v);
                let number = u16_num(
                    crate::text::field(&mut r, v, "sctpmap number")?,
                    "sctpmap number",
                )?;
                let app = crate::text::field(&mut r, v, "sctpmap app")?;
                let streams = match r {
                    Some(n) => Some(u32_num(n, "sctpmap streams")?),
                    None => None,
                };
                put.put(Self::Sctpmap(Sctpmap {
                    number,
                    app,
                    streams,
                }))
            }
            "rid" => put.put(Self::Rid(Rid::parse(need(value, s, name)?)?)),
            "simulcast" => put.put(Self::Simulcast(Simulcast::parse(need(value, s, name)?)?)),
            "sendrecv" => put.put(flag(Self::Direction(Direction::SendRecv), name, value)?),
            "sendonly" => put.put(flag(Self::Direction(Direction::SendOnly), name, value)?),
            "recvonly" => put.put(flag(Self::Direction(Direction::RecvOnly), name, value)?),
            "inactive" => put.put(flag(Self::Direction(Direction::Inactive), name, value)?),
            "ptime" => {
                let v = need(value, s, name)?;
                decimal(v, "ptime")?;
                put.put(Self::Ptime(v))
            }
            "maxptime" => put.put(Self::Maxptime(u32_num(need(value, s, name)?, "maxptime")?)),
            "framerate" => {
                let v = need(value, s, name)?;
                decimal(v, "framerate")?;
                put.put(Self::Framerate(v))
            }
            "crypto" => {
                let v = need(value, s, name)?;
                let mut r = Some(v);
                let tag = crate::text::field(&mut r, v, "crypto tag")?;
                let tag = number(tag, "crypto tag", 999_999_999)? as u32;
                let suite = crate::text::field(&mut r, v, "crypto suite")?;
                let key_params = crate::text::field(&mut r, v, "crypto key-params")?;
                if let Some(sp) = r {
                    token_list(sp, "crypto session parameter")?;
                }
                put.put(Self::Crypto(Crypto {
                    tag,
                    suite,
                    key_params,
                    session_params: r,
                }))
            }
            "label" => put.put(Self::Label(need(value, s, name)?)),
            "content" => put.put(Self::Content(need(value, s, name)?)),
            "imageattr" => put.put(Self::Imageattr(need(value, s, name)?)),
            _ => {
                token(name, "attribute name")?;
                put.put(Self::Other { name, value })
            }
        })
    }
}

impl<S: Text> Attribute<S> {
    /// The attribute name (the text between `a=` and `:`).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Rtpmap(_) => "rtpmap",
            Self::Fmtp(_) => "fmtp",
            Self::RtcpFb(_) => "rtcp-fb",
            Self::Rtcp(_) => "rtcp",
            Self::RtcpMux => "rtcp-mux",
            Self::RtcpMuxOnly => "rtcp-mux-only",
            Self::RtcpRsize => "rtcp-rsize",
            Self::RtcpXr(_) => "rtcp-xr",
            Self::Extmap(_) => "extmap",
            Self::ExtmapAllowMixed => "extmap-allow-mixed",
            Self::Ssrc(_) => "ssrc",
            Self::SsrcGroup(_) => "ssrc-group",
            Self::Msid(_) => "msid",
            Self::MsidSemantic(_) => "msid-semantic",
            Self::Group(_) => "group",
            Self::Mid(_) => "mid",
            Self::BundleOnly => "bundle-only",
            Self::IceUfrag(_) => "ice-ufrag",
            Self::IcePwd(_) => "ice-pwd",
            Self::IceOptions(_) => "ice-options",
            Self::IceLite => "ice-lite",
            Self::IceMismatch => "ice-mismatch",
            Self::Candidate(_) => "candidate",
            Self::RemoteCandidates(_) => "remote-candidates",
            Self::EndOfCandidates => "end-of-candidates",
            Self::Fingerprint(_) => "fingerprint",
            Self::Setup(_) => "setup",
            Self::Connection(_) => "connection",
            Self::TlsId(_) => "tls-id",
            Self::Identity(_) => "identity",
            Self::SctpPort(_) => "sctp-port",
            Self::MaxMessageSize(_) => "max-message-size",
            Self::Sctpmap(_) => "sctpmap",
            Self::Rid(_) => "rid",
            Self::Simulcast(_) => "simulcast",
            Self::Direction(d) => d.as_str(),
            Self::Ptime(_) => "ptime",
            Self::Maxptime(_) => "maxptime",
            Self::Framerate(_) => "framerate",
            Self::Crypto(_) => "crypto",
            Self::Label(_) => "label",
            Self::Content(_) => "content",
            Self::Imageattr(_) => "imageattr",
            Self::Other { name, .. } => name,
        }
    }

    /// `a=<name>:` (or the whole `a=<flag>` line) for the typed attributes,
    /// `None` for [`Attribute::Other`]: lets the writer copy one static piece.
    fn line_prefix(&self) -> Option<&'static str> {
        Some(match self {
            Self::Rtpmap(_) => "a=rtpmap:",
            Self::Fmtp(_) => "a=fmtp:",
            Self::RtcpFb(_) => "a=rtcp-fb:",
            Self::Rtcp(_) => "a=rtcp:",
            Self::RtcpMux => "a=rtcp-mux",
            Self::RtcpMuxOnly => "a=rtcp-mux-only",
            Self::RtcpRsize => "a=rtcp-rsize",
            Self::RtcpXr(_) => "a=rtcp-xr:",
            Self::Extmap(_) => "a=extmap:",
            Self::ExtmapAllowMixed => "a=extmap-allow-mixed",
            Self::Ssrc(_) => "a=ssrc:",
            Self::SsrcGroup(_) => "a=ssrc-group:",
            Self::Msid(_) => "a=msid:",
            Self::MsidSemantic(_) => "a=msid-semantic:",
            Self::Group(_) => "a=group:",
            Self::Mid(_) => "a=mid:",
            Self::BundleOnly => "a=bundle-only",
            Self::IceUfrag(_) => "a=ice-ufrag:",
            Self::IcePwd(_) => "a=ice-pwd:",
            Self::IceOptions(_) => "a=ice-options:",
            Self::IceLite => "a=ice-lite",
            Self::IceMismatch => "a=ice-mismatch",
            Self::Candidate(_) => "a=candidate:",
            Self::RemoteCandidates(_) => "a=remote-candidates:",
            Self::EndOfCandidates => "a=end-of-candidates",
            Self::Fingerprint(_) => "a=fingerprint:",
            Self::Setup(_) => "a=setup:",
            Self::Connection(_) => "a=connection:",
            Self::TlsId(_) => "a=tls-id:",
            Self::Identity(_) => "a=identity:",
            Self::SctpPort(_) => "a=sctp-port:",
            Self::MaxMessageSize(_) => "a=max-message-size:",
            Self::Sctpmap(_) => "a=sctpmap:",
            Self::Rid(_) => "a=rid:",
            Self::Simulcast(_) => "a=simulcast:",
            Self::Direction(Direction::SendRecv) => "a=sendrecv",
            Self::Direction(Direction::SendOnly) => "a=sendonly",
            Self::Direction(Direction::RecvOnly) => "a=recvonly",
            Self::Direction(Direction::Inactive) => "a=inactive",
            Self::Ptime(_) => "a=ptime:",
            Self::Maxptime(_) => "a=maxptime:",
            Self::Framerate(_) => "a=framerate:",
            Self::Crypto(_) => "a=crypto:",
            Self::Label(_) => "a=label:",
            Self::Content(_) => "a=content:",
            Self::Imageattr(_) => "a=imageattr:",
            Self::Other { .. } => return None,
        })
    }

    /// Writes the whole line without its ending (`a=...`).
    pub(crate) fn write_line<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self.line_prefix() {
            Some(prefix) => {
                w.write_str(prefix)?;
                self.write_value(w)
            }
            None => {
                w.write_str("a=")?;
                self.write(w)
            }
        }
    }

    /// Writes `name[:value]` (without `a=` and the line ending).
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        w.write_str(self.name())?;
        match self {
            Self::RtcpMux
            | Self::RtcpMuxOnly
            | Self::RtcpRsize
            | Self::ExtmapAllowMixed
            | Self::BundleOnly
            | Self::IceLite
            | Self::IceMismatch
            | Self::EndOfCandidates
            | Self::Direction(_) => Ok(()),
            Self::Other { value, .. } => match value {
                Some(v) => {
                    w.write_char(':')?;
                    w.write_str(v)
                }
                None => Ok(()),
            },
            _ => {
                w.write_char(':')?;
                self.write_value(w)
            }
        }
    }

    fn write_value<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Rtpmap(x) => x.write(w),
            Self::Fmtp(x) => x.write(w),
            Self::RtcpFb(x) => x.write(w),
            Self::Rtcp(x) => x.write(w),
            Self::Extmap(x) => x.write(w),
            Self::Ssrc(x) => x.write(w),
            Self::SsrcGroup(x) => x.write(w),
            Self::Msid(x) => x.write(w),
            Self::MsidSemantic(x) => x.write(w),
            Self::Group(x) => x.write(w),
            Self::Candidate(x) => x.write(w),
            Self::Fingerprint(x) => x.write(w),
            Self::Rid(x) => x.write(w),
            Self::Simulcast(x) => x.write(w),
            Self::RtcpXr(s)
            | Self::Mid(s)
            | Self::IceUfrag(s)
            | Self::IcePwd(s)
            | Self::IceOptions(s)
            | Self::RemoteCandidates(s)
            | Self::TlsId(s)
            | Self::Identity(s)
            | Self::Ptime(s)
            | Self::Framerate(s)
            | Self::Label(s)
            | Self::Content(s)
            | Self::Imageattr(s) => w.write_str(s),
            Self::Setup(s) => w.write_str(s.as_str()),
            Self::Connection(c) => w.write_str(match c {
                ConnectionMode::New => "new",
                ConnectionMode::Existing => "existing",
            }),
            Self::SctpPort(p) => write_u64(w, u64::from(*p)),
            Self::MaxMessageSize(n) => write_u64(w, *n),
            Self::Maxptime(n) => write_u64(w, u64::from(*n)),
            Self::Sctpmap(m) => {
                write_u64(w, u64::from(m.number))?;
                w.write_char(' ')?;
                w.write_str(&m.app)?;
                if let Some(n) = m.streams {
                    w.write_char(' ')?;
                    write_u64(w, u64::from(n))?;
                }
                Ok(())
            }
            Self::Crypto(c) => {
                write_u64(w, u64::from(c.tag))?;
                w.write_char(' ')?;
                w.write_str(&c.suite)?;
                w.write_char(' ')?;
                w.write_str(&c.key_params)?;
                if let Some(p) = &c.session_params {
                    w.write_char(' ')?;
                    w.write_str(p)?;
                }
                Ok(())
            }
            Self::RtcpMux
            | Self::RtcpMuxOnly
            | Self::RtcpRsize
            | Self::ExtmapAllowMixed
            | Self::BundleOnly
            | Self::IceLite
            | Self::IceMismatch
            | Self::EndOfCandidates
            | Self::Direction(_)
            | Self::Other { .. } => Ok(()),
        }
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> Attribute<T> {
        match self {
            Self::Rtpmap(x) => Attribute::Rtpmap(x.map_text(f)),
            Self::Fmtp(x) => Attribute::Fmtp(x.map_text(f)),
            Self::RtcpFb(x) => Attribute::RtcpFb(x.map_text(f)),
            Self::Rtcp(x) => Attribute::Rtcp(x.map_text(f)),
            Self::RtcpMux => Attribute::RtcpMux,
            Self::RtcpMuxOnly => Attribute::RtcpMuxOnly,
            Self::RtcpRsize => Attribute::RtcpRsize,
            Self::RtcpXr(s) => Attribute::RtcpXr(f(s)),
            Self::Extmap(x) => Attribute::Extmap(x.map_text(f)),
            Self::ExtmapAllowMixed => Attribute::ExtmapAllowMixed,
            Self::Ssrc(x) => Attribute::Ssrc(x.map_text(f)),
            Self::SsrcGroup(x) => Attribute::SsrcGroup(x.map_text(f)),
            Self::Msid(x) => Attribute::Msid(x.map_text(f)),
            Self::MsidSemantic(x) => Attribute::MsidSemantic(x.map_text(f)),
            Self::Group(x) => Attribute::Group(x.map_text(f)),
            Self::Mid(s) => Attribute::Mid(f(s)),
            Self::BundleOnly => Attribute::BundleOnly,
            Self::IceUfrag(s) => Attribute::IceUfrag(f(s)),
            Self::IcePwd(s) => Attribute::IcePwd(f(s)),
            Self::IceOptions(s) => Attribute::IceOptions(f(s)),
            Self::IceLite => Attribute::IceLite,
            Self::IceMismatch => Attribute::IceMismatch,
            Self::Candidate(x) => Attribute::Candidate(x.map_text(f)),
            Self::RemoteCandidates(s) => Attribute::RemoteCandidates(f(s)),
            Self::EndOfCandidates => Attribute::EndOfCandidates,
            Self::Fingerprint(x) => Attribute::Fingerprint(x.map_text(f)),
            Self::Setup(s) => Attribute::Setup(s),
            Self::Connection(c) => Attribute::Connection(c),
            Self::TlsId(s) => Attribute::TlsId(f(s)),
            Self::Identity(s) => Attribute::Identity(f(s)),
            Self::SctpPort(p) => Attribute::SctpPort(p),
            Self::MaxMessageSize(n) => Attribute::MaxMessageSize(n),
            Self::Sctpmap(m) => Attribute::Sctpmap(Sctpmap {
                number: m.number,
                app: f(m.app),
                streams: m.streams,
            }),
            Self::Rid(x) => Attribute::Rid(x.map_text(f)),
            Self::Simulcast(x) => Attribute::Simulcast(x.map_text(f)),
            Self::Direction(d) => Attribute::Direction(d),
            Self::Ptime(s) => Attribute::Ptime(f(s)),
            Self::Maxptime(n) => Attribute::Maxptime(n),
            Self::Framerate(s) => Attribute::Framerate(f(s)),
            Self::Crypto(c) => Attribute::Crypto(Crypto {
                tag: c.tag,
                suite: f(c.suite),
                key_params: f(c.key_params),
                session_params: c.session_params.map(&mut *f),
            }),
            Self::Label(s) => Attribute::Label(f(s)),
            Self::Content(s) => Attribute::Content(f(s)),
            Self::Imageattr(s) => Attribute::Imageattr(f(s)),
            Self::Other { name, value } => Attribute::Other {
                name: f(name),
                value: value.map(&mut *f),
            },
        }
    }
}

impl<S: Text> fmt::Display for Attribute<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}
