//! [`SessionDescription`] and [`MediaDescription`]: the parsed form, its
//! accessors and its lossless writer.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use crate::attribute::{Attribute, Direction, Setup};
use crate::error::Diagnostic;
use crate::ice::{Candidate, Fingerprint};
use crate::lines::{Bandwidth, Connection, Line, LineEnding, MediaLine, OriginLine, Timing};
use crate::parser::{self, Mode, Parsed};
use crate::rtp::{Extmap, Fmtp, Group, Msid, Rid, RtcpFb, Rtpmap, Simulcast, Ssrc, SsrcGroup};
use crate::text::{Text, VecWriter};
use rtp_codec::payload_type::assignment;

/// A parsed session description (RFC 8866 §5).
///
/// `v=0`, `o=` and `s=` are fields; every other session-level line is in
/// [`lines`](Self::lines) in input order, and each `m=` section is a
/// [`MediaDescription`]. Writing it ([`fmt::Display`], [`Self::write_to`])
/// gives back the parsed bytes. Its strings are of type `S` ([`Text`]):
/// `&str` borrowed from the input when parsed, `String` from
/// [`Self::into_owned`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SessionDescription<S: Text> {
    /// `o=` (RFC 8866 §5.2): [`OriginLine::Parsed`] unless lenient parsing
    /// found it missing or malformed.
    pub origin: OriginLine<S>,
    /// `s=` (RFC 8866 §5.3): `None` only when lenient parsing found none.
    pub session_name: Option<S>,
    /// The session-level lines after `s=`, in order.
    pub lines: Vec<Line<S>>,
    /// The media sections, in order.
    pub media: Vec<MediaDescription<S>>,
    /// Line ending used when writing (that of the input's first line).
    pub line_ending: LineEnding,
    /// Whether the last line ends with a line ending (RFC 8866 requires it).
    pub final_line_ending: bool,
    /// Spaces and tabs that lenient parsing found at the end of lines and
    /// left out of their values ([`crate::ErrorKind::TrailingWhitespace`]):
    /// `(line index, whitespace)` in line order, index 0 being `v=`. The
    /// writer puts them back, so the output stays byte-identical.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub trailing_whitespace: Vec<(usize, S)>,
}

/// One media section: its `m=` line and the lines that follow it (RFC 8866 §5.14).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MediaDescription<S: Text> {
    /// The `m=` line.
    pub media_line: MediaLine<S>,
    /// The lines after it, in order.
    pub lines: Vec<Line<S>>,
}

/// A codec of an RTP media section: a payload type of the `m=` line with its
/// `rtpmap`, `fmtp` and `rtcp-fb` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec<'s, S: Text> {
    /// The payload type.
    pub payload_type: u8,
    /// Its `a=rtpmap`, if any.
    pub rtpmap: Option<&'s Rtpmap<S>>,
    /// Its `a=fmtp`, if any.
    pub fmtp: Option<&'s Fmtp<S>>,
    /// Its `a=rtcp-fb` lines, then those for `*`.
    pub feedback: Vec<&'s RtcpFb<S>>,
}

impl<S: Text> Codec<'_, S> {
    /// Encoding name: the rtpmap's, or the RFC 3551 §6 static assignment.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        match self.rtpmap {
            Some(r) => Some(&r.encoding_name),
            None => assignment(self.payload_type).map(|s| s.encoding_name),
        }
    }

    /// Clock rate: the rtpmap's, or the RFC 3551 §6 static assignment.
    #[must_use]
    pub fn clock_rate(&self) -> Option<u32> {
        match self.rtpmap {
            Some(r) => Some(r.clock_rate),
            None => assignment(self.payload_type).map(|s| s.clock_rate),
        }
    }

    /// Channel count (audio), if given.
    #[must_use]
    pub fn channels(&self) -> Option<u16> {
        match self.rtpmap {
            Some(r) => r.channels(),
            None => assignment(self.payload_type).and_then(|s| s.channels),
        }
    }

    /// Whether this is an RTX codec (RFC 4588).
    #[must_use]
    pub fn is_rtx(&self) -> bool {
        self.name().is_some_and(|n| n.eq_ignore_ascii_case("rtx"))
    }

    /// For RTX, the associated payload type (`apt`, RFC 4588 §8.6).
    #[must_use]
    pub fn rtx_apt(&self) -> Option<u8> {
        self.fmtp.and_then(|f| f.apt())
    }
}

macro_rules! attr_iter {
    ($(#[$m:meta])* $name:ident, $variant:ident, $ty:ty) => {
        $(#[$m])*
        pub fn $name(&self) -> impl Iterator<Item = &$ty> + '_ {
            self.attributes().filter_map(|a| match a {
                Attribute::$variant(x) => Some(x),
                _ => None,
            })
        }
    };
}

macro_rules! attr_first {
    ($(#[$m:meta])* $name:ident, $variant:ident, $ty:ty) => {
        $(#[$m])*
        #[must_use]
        pub fn $name(&self) -> Option<&$ty> {
            self.attributes().find_map(|a| match a {
                Attribute::$variant(x) => Some(x),
                _ => None,
            })
        }
    };
}

macro_rules! attr_str {
    ($(#[$m:meta])* $name:ident, $variant:ident) => {
        $(#[$m])*
        #[must_use]
        pub fn $name(&self) -> Option<&str> {
            self.attributes().find_map(|a| match a {
                Attribute::$variant(x) => Some(&**x),
                _ => None,
            })
        }
    };
}

macro_rules! attr_flag {
    ($(#[$m:meta])* $name:ident, $variant:ident) => {
        $(#[$m])*
        #[must_use]
        pub fn $name(&self) -> bool {
            self.attributes().any(|a| matches!(a, Attribute::$variant))
        }
    };
}

/// Accessors common to session and media level.
macro_rules! common_accessors {
    () => {
        /// The attributes of this section, in order.
        pub fn attributes(&self) -> impl Iterator<Item = &Attribute<S>> + '_ {
            self.lines.iter().filter_map(|l| match l {
                Line::Attribute(a) => Some(a),
                _ => None,
            })
        }

        /// The first attribute named `name`.
        #[must_use]
        pub fn attribute(&self, name: &str) -> Option<&Attribute<S>> {
            self.attributes().find(|a| a.name() == name)
        }

        /// The `c=` lines of this section.
        pub fn connections(&self) -> impl Iterator<Item = &Connection<S>> + '_ {
            self.lines.iter().filter_map(|l| match l {
                Line::Connection(c) => Some(c),
                _ => None,
            })
        }

        /// The `b=` lines of this section.
        pub fn bandwidths(&self) -> impl Iterator<Item = &Bandwidth<S>> + '_ {
            self.lines.iter().filter_map(|l| match l {
                Line::Bandwidth(b) => Some(b),
                _ => None,
            })
        }

        attr_str!(
            /// `a=ice-ufrag` of this section.
            ice_ufrag, IceUfrag
        );
        attr_str!(
            /// `a=ice-pwd` of this section.
            ice_pwd, IcePwd
        );
        attr_str!(
            /// `a=ice-options` of this section.
            ice_options, IceOptions
        );
        attr_first!(
            /// `a=setup` of this section.
            setup, Setup, Setup
        );
        attr_iter!(
            /// `a=fingerprint` lines of this section.
            fingerprints, Fingerprint, Fingerprint<S>
        );
        attr_iter!(
            /// `a=extmap` lines of this section.
            extmaps, Extmap, Extmap<S>
        );
        attr_iter!(
            /// `a=group` lines of this section.
            groups, Group, Group<S>
        );
        attr_flag!(
            /// Whether `a=ice-lite` is present.
            ice_lite, IceLite
        );
        attr_flag!(
            /// Whether `a=extmap-allow-mixed` is present.
            extmap_allow_mixed, ExtmapAllowMixed
        );

        /// The media direction attribute of this section, if any.
        #[must_use]
        pub fn direction_attribute(&self) -> Option<Direction> {
            self.attributes().find_map(|a| match a {
                Attribute::Direction(d) => Some(*d),
                _ => None,
            })
        }
    };
}

impl<'a> SessionDescription<&'a str> {
    /// Parses strictly: the first grammar error is returned.
    ///
    /// # Errors
    /// The first [`Diagnostic`] (line, column, span, message).
    pub fn parse(input: &'a str) -> Result<Self, Diagnostic> {
        parser::parse(input, Mode::Strict).map(|p| p.description)
    }

    /// Parses leniently: malformed lines are kept raw and reported as warnings.
    ///
    /// # Errors
    /// Only when there is no description to return: missing or malformed
    /// `v=`, `o=`, `s=` or `m=` lines.
    pub fn parse_lenient(input: &'a str) -> Result<Parsed<&'a str>, Diagnostic> {
        parser::parse(input, Mode::Lenient)
    }

    /// Parses in the given mode, returning the warnings too.
    ///
    /// # Errors
    /// See [`Self::parse`] and [`Self::parse_lenient`].
    pub fn parse_with(input: &'a str, mode: Mode) -> Result<Parsed<&'a str>, Diagnostic> {
        parser::parse(input, mode)
    }

    /// Parses bytes. UTF-8 input is borrowed (`Cow::Borrowed`; parsing a
    /// `&str` from [`core::str::from_utf8`] with [`Self::parse_with`] saves
    /// the pass that wraps each string). Other input (RFC 8866 §6.10) is read
    /// through a UTF-8 copy, so the description owns its strings
    /// (`Cow::Owned`) and writes UTF-8: as ISO-8859-1 when a session-level
    /// `a=charset` declares it, otherwise, in lenient mode, with U+FFFD for
    /// each invalid sequence and an [`crate::ErrorKind::InvalidUtf8`]
    /// warning. Diagnostics point into `input`.
    ///
    /// # Errors
    /// In strict mode, [`crate::ErrorKind::InvalidUtf8`] at the first bad byte unless
    /// ISO-8859-1 is declared; the errors of [`Self::parse_with`].
    pub fn parse_bytes(input: &'a [u8], mode: Mode) -> Result<Parsed<Cow<'a, str>>, Diagnostic> {
        Ok(match parser::utf8(input) {
            Ok(text) => {
                let p = parser::parse(text, mode)?;
                Parsed {
                    description: p.description.map_text(&mut Cow::Borrowed),
                    warnings: p.warnings,
                }
            }
            Err(invalid) => {
                let p = crate::charset::parse_non_utf8(input, invalid, mode)?;
                Parsed {
                    description: p.description.map_text(&mut Cow::Owned),
                    warnings: p.warnings,
                }
            }
        })
    }
}

impl<S: Text> SessionDescription<S> {
    /// Writes the description into `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        // Writing into a Vec cannot fail.
        let _ = self.write(&mut VecWriter(out));
    }

    /// Writes the description into any [`fmt::Write`].
    ///
    /// # Errors
    /// Only those of `w`.
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        let eol = self.line_ending.as_str();
        // Index of the line being written, and the trailing whitespace still
        // to put back (sorted by line index).
        let mut index = 0usize;
        let mut trailing = self.trailing_whitespace.iter().peekable();
        let mut nl = |w: &mut W| -> fmt::Result {
            if index > 0 {
                if let Some((_, ws)) = trailing.next_if(|(i, _)| *i == index - 1) {
                    w.write_str(ws)?;
                }
                w.write_str(eol)?;
            }
            index += 1;
            Ok(())
        };
        nl(w)?;
        w.write_str("v=0")?;
        if !matches!(self.origin, OriginLine::Missing) {
            nl(w)?;
            self.origin.write(w)?;
        }
        if let Some(name) = &self.session_name {
            nl(w)?;
            w.write_str("s=")?;
            w.write_str(name)?;
        }
        for l in &self.lines {
            nl(w)?;
            l.write(w)?;
        }
        for m in &self.media {
            nl(w)?;
            w.write_str("m=")?;
            m.media_line.write(w)?;
            for l in &m.lines {
                nl(w)?;
                l.write(w)?;
            }
        }
        // The last line's own trailing whitespace.
        if let Some((i, ws)) = self.trailing_whitespace.last() {
            if *i + 1 == index {
                w.write_str(ws)?;
            }
        }
        if self.final_line_ending {
            w.write_str(eol)?;
        }
        Ok(())
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> SessionDescription<T> {
        SessionDescription {
            origin: self.origin.map_text(f),
            session_name: self.session_name.map(&mut *f),
            lines: self.lines.into_iter().map(|x| x.map_text(f)).collect(),
            media: self.media.into_iter().map(|x| x.map_text(f)).collect(),
            line_ending: self.line_ending,
            final_line_ending: self.final_line_ending,
            trailing_whitespace: self
                .trailing_whitespace
                .into_iter()
                .map(|(i, ws)| (i, f(ws)))
                .collect(),
        }
    }

    common_accessors!();

    /// The `t=` lines.
    pub fn timings(&self) -> impl Iterator<Item = &Timing> + '_ {
        self.lines.iter().filter_map(|l| match l {
            Line::Timing(t) => Some(t),
            _ => None,
        })
    }

    /// The BUNDLE groups (RFC 8843).
    pub fn bundle_groups(&self) -> impl Iterator<Item = &Group<S>> + '_ {
        self.groups().filter(|g| g.is_bundle())
    }

    /// The media section with `a=mid:<mid>`.
    #[must_use]
    pub fn media_by_mid(&self, mid: &str) -> Option<&MediaDescription<S>> {
        self.media.iter().find(|m| m.mid() == Some(mid))
    }

    /// `a=msid-semantic`, if present.
    #[must_use]
    pub fn msid_semantic(&self) -> Option<&crate::rtp::MsidSemantic<S>> {
        self.attributes().find_map(|a| match a {
            Attribute::MsidSemantic(x) => Some(x),
            _ => None,
        })
    }
}

impl<S: Text> fmt::Display for SessionDescription<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

impl<S: Text> MediaDescription<S> {
    common_accessors!();

    attr_first!(
        /// `a=mid` (RFC 5888 §4).
        mid_attribute, Mid, S
    );
    attr_iter!(
        /// `a=rtpmap` lines.
        rtpmaps, Rtpmap, Rtpmap<S>
    );
    attr_iter!(
        /// `a=fmtp` lines.
        fmtps, Fmtp, Fmtp<S>
    );
    attr_iter!(
        /// `a=rtcp-fb` lines.
        rtcp_fbs, RtcpFb, RtcpFb<S>
    );
    attr_iter!(
        /// `a=ssrc` lines.
        ssrcs, Ssrc, Ssrc<S>
    );
    attr_iter!(
        /// `a=ssrc-group` lines.
        ssrc_groups, SsrcGroup, SsrcGroup<S>
    );
    attr_iter!(
        /// `a=msid` lines.
        msids, Msid, Msid<S>
    );
    attr_iter!(
        /// `a=rid` lines.
        rids, Rid, Rid<S>
    );
    attr_iter!(
        /// `a=candidate` lines.
        candidates, Candidate, Candidate<S>
    );
    attr_first!(
        /// `a=simulcast`.
        simulcast, Simulcast, Simulcast<S>
    );
    attr_first!(
        /// `a=rtcp` (RFC 3605).
        rtcp, Rtcp, crate::rtp::Rtcp<S>
    );
    attr_first!(
        /// `a=sctp-port` (RFC 8841).
        sctp_port, SctpPort, u16
    );
    attr_first!(
        /// `a=max-message-size` (RFC 8841).
        max_message_size, MaxMessageSize, u64
    );
    attr_flag!(
        /// Whether `a=rtcp-mux` is present.
        rtcp_mux, RtcpMux
    );
    attr_flag!(
        /// Whether `a=rtcp-mux-only` is present.
        rtcp_mux_only, RtcpMuxOnly
    );
    attr_flag!(
        /// Whether `a=rtcp-rsize` is present.
        rtcp_rsize, RtcpRsize
    );
    attr_flag!(
        /// Whether `a=bundle-only` is present.
        bundle_only, BundleOnly
    );
    attr_flag!(
        /// Whether `a=end-of-candidates` is present.
        end_of_candidates, EndOfCandidates
    );

    /// The mid, if any.
    #[must_use]
    pub fn mid(&self) -> Option<&str> {
        self.mid_attribute().map(|m| &**m)
    }

    /// The direction: this section's attribute, else `default` (pass the
    /// session-level one, or [`Direction::SendRecv`], RFC 8866 §6.7).
    #[must_use]
    pub fn direction_or(&self, default: Direction) -> Direction {
        self.direction_attribute().unwrap_or(default)
    }

    /// Whether the section is rejected: port 0 without `a=bundle-only`
    /// (RFC 3264 §6, RFC 8843 §6).
    #[must_use]
    pub fn is_rejected(&self) -> bool {
        self.media_line.port == 0 && !self.bundle_only()
    }

    /// The rtpmap for payload type `pt`.
    #[must_use]
    pub fn rtpmap(&self, pt: u8) -> Option<&Rtpmap<S>> {
        self.rtpmaps().find(|r| r.payload_type == pt)
    }

    /// The fmtp for payload type `pt`.
    #[must_use]
    pub fn fmtp(&self, pt: u8) -> Option<&Fmtp<S>> {
        self.fmtps().find(|f| f.payload_type() == Some(pt))
    }

    /// The codecs in `m=` line order (each payload type once), with their
    /// attributes. Linear in the number of lines.
    #[must_use]
    pub fn codecs(&self) -> Vec<Codec<'_, S>> {
        let mut rtpmaps: [Option<&Rtpmap<S>>; 128] = [None; 128];
        let mut fmtps: [Option<&Fmtp<S>>; 128] = [None; 128];
        let mut feedback: Vec<Vec<&RtcpFb<S>>> = Vec::new();
        feedback.resize_with(128, Vec::new);
        let mut wildcard: Vec<&RtcpFb<S>> = Vec::new();
        for a in self.attributes() {
            match a {
                Attribute::Rtpmap(r) => {
                    let slot = &mut rtpmaps[usize::from(r.payload_type)];
                    slot.get_or_insert(r);
                }
                Attribute::Fmtp(f) => {
                    if let Some(pt) = f.payload_type() {
                        fmtps[usize::from(pt)].get_or_insert(f);
                    }
                }
                Attribute::RtcpFb(f) => match f.payload_type {
                    Some(pt) => feedback[usize::from(pt)].push(f),
                    None => wildcard.push(f),
                },
                _ => {}
            }
        }
        let mut seen = [false; 128];
        let mut out = Vec::new();
        for pt in self.media_line.payload_types() {
            let i = usize::from(pt);
            if core::mem::replace(&mut seen[i], true) {
                continue;
            }
            let mut fb = core::mem::take(&mut feedback[i]);
            fb.extend(wildcard.iter().copied());
            out.push(Codec {
                payload_type: pt,
                rtpmap: rtpmaps[i],
                fmtp: fmtps[i],
                feedback: fb,
            });
        }
        out
    }

    /// The distinct SSRCs of `a=ssrc` lines, in order of first appearance.
    #[must_use]
    pub fn ssrc_ids(&self) -> Vec<u32> {
        let mut seen = alloc::collections::BTreeSet::new();
        self.ssrcs()
            .map(|s| s.ssrc)
            .filter(|s| seen.insert(*s))
            .collect()
    }

    /// The `cname` of SSRC `ssrc`.
    #[must_use]
    pub fn ssrc_cname(&self, ssrc: u32) -> Option<&str> {
        self.ssrcs()
            .find(|s| s.ssrc == ssrc && &*s.attribute == "cname")
            .and_then(|s| s.value.as_deref())
    }

    /// The same value with each string converted by `f`, which is to keep
    /// its text (`String::from`, `Cow::Borrowed`, `Arc::from`): only how it
    /// is held changes.
    #[must_use]
    pub fn map_text<T: Text>(self, f: &mut impl FnMut(S) -> T) -> MediaDescription<T> {
        MediaDescription {
            media_line: self.media_line.map_text(f),
            lines: self.lines.into_iter().map(|x| x.map_text(f)).collect(),
        }
    }
}

impl<S: Text> SessionDescription<S> {
    /// The description written into a new string.
    #[must_use]
    pub fn to_sdp_string(&self) -> String {
        let mut s = String::with_capacity(1024);
        let _ = self.write(&mut s);
        s
    }
}
