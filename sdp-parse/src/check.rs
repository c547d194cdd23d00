//! JSEP ([RFC 9429]) and WebRTC consistency checks of one description, and
//! offer/answer compatibility checks ([RFC 3264]) of an answer against its
//! offer.
//!
//! Each [`Finding`] has a severity, a stable rule id (kebab-case, e.g.
//! `bundle-mid-exists`), the RFC section the rule comes from, a message and a
//! [`Location`] in the checked description (for offer/answer findings, in the
//! answer). Locations are computed from the parsed value, whose lines map one
//! to one to the input lines (lenient parsing keeps even malformed lines), so
//! they point at the input.
//!
//! ```
//! use sdp_parse::{check, SessionDescription};
//!
//! let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
//!             a=group:BUNDLE 0 1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n";
//! let sdp = SessionDescription::parse(text)?;
//! let findings = check::check(&sdp, check::Role::Offer);
//! assert_eq!(findings[0].rule, "bundle-mid-exists");
//! assert_eq!((findings[0].location.line, findings[0].location.column), (5, 18));
//! # Ok::<(), sdp_parse::Diagnostic>(())
//! ```
//!
//! [RFC 9429]: https://www.rfc-editor.org/rfc/rfc9429
//! [RFC 3264]: https://www.rfc-editor.org/rfc/rfc3264

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use crate::attribute::{Attribute, Direction, Setup};
use crate::error::Severity;
use crate::ice::HashFunction;
use crate::lines::{Line, OriginLine};
use crate::rtp::RidDirection;
use crate::session::{MediaDescription, SessionDescription};
use crate::text::Text;

/// Whether the checked description is an offer or an answer (for the
/// `a=setup` rules of RFC 8842 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// An offer: `a=setup:actpass` expected.
    Offer,
    /// An answer: `a=setup:active` or `passive` expected.
    Answer,
    /// Unknown: the role-specific `setup` rules are skipped.
    Unknown,
}

impl Role {
    /// Guesses the role from `a=setup`: `actpass` means offer, `active` or
    /// `passive` answer; otherwise unknown.
    #[must_use]
    pub fn detect<S: Text>(sdp: &SessionDescription<S>) -> Self {
        let mut roles = sdp
            .media
            .iter()
            .filter_map(MediaDescription::setup)
            .chain(sdp.setup());
        match roles.next() {
            Some(Setup::ActPass) => Self::Offer,
            Some(Setup::Active | Setup::Passive) => Self::Answer,
            _ => Self::Unknown,
        }
    }
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Location {
    /// Index of the media section, `None` at session level.
    pub media: Option<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte range in the written description (the input, for parsed text).
    pub span: Range<usize>,
}

/// One finding of a check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Finding {
    /// Error (the description does not work as is) or warning.
    pub severity: Severity,
    /// Stable rule id.
    pub rule: &'static str,
    /// The RFC section the rule comes from, e.g. `RFC 8843 §7.2`.
    pub rfc: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub location: Location,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {} [{}, {}]",
            self.location.line,
            self.location.column,
            self.severity,
            self.message,
            self.rule,
            self.rfc
        )
    }
}

/// Which line of a description: the `m=` line of a section or one of the
/// lines of a section (`None` = session level).
#[derive(Debug, Clone, Copy)]
enum At {
    MLine(usize),
    Line(Option<usize>, usize),
    End,
}

/// Line numbers, offsets and texts of a description's lines.
struct Index {
    /// (line number, offset, text) for v, o, s, then session lines, then each m-line and its lines.
    lines: Vec<(usize, usize, String)>,
    session_start: usize,
    media_start: Vec<usize>,
    total: usize,
}

impl Index {
    fn new<S: Text>(sdp: &SessionDescription<S>) -> Self {
        // The lines as the writer writes them, which for a parsed
        // description are the input's (missing header lines, trailing
        // whitespace and all).
        let text = sdp.to_sdp_string();
        let eol = sdp.line_ending.as_str();
        let mut lines = Vec::new();
        let mut offset = 0;
        for (i, line) in text.split_terminator(eol).enumerate() {
            lines.push((i + 1, offset, String::from(line)));
            offset += line.len() + eol.len();
        }
        let session_start = 1
            + usize::from(!matches!(sdp.origin, OriginLine::Missing))
            + usize::from(sdp.session_name.is_some());
        let mut media_start = Vec::with_capacity(sdp.media.len());
        let mut at = session_start + sdp.lines.len();
        for m in &sdp.media {
            media_start.push(at);
            at += 1 + m.lines.len();
        }
        Self {
            lines,
            session_start,
            media_start,
            total: text.len(),
        }
    }

    /// Location of `needle` within the line `at` (column 1 when not found).
    fn locate(&self, at: At, needle: Option<&str>) -> Location {
        let (media, idx) = match at {
            At::MLine(m) => (Some(m), self.media_start.get(m).copied()),
            At::Line(None, i) => (None, Some(self.session_start + i)),
            At::Line(Some(m), i) => (Some(m), self.media_start.get(m).map(|s| s + 1 + i)),
            At::End => (None, None),
        };
        let Some((line, offset, text)) = idx.and_then(|i| self.lines.get(i)) else {
            return Location {
                media,
                line: self.lines.len() + 1,
                column: 1,
                span: self.total..self.total,
            };
        };
        let (col, len) = match needle.and_then(|n| find_token(text, n).map(|p| (p, n.len()))) {
            Some((p, l)) => (p, l),
            None => (0, text.len()),
        };
        Location {
            media,
            line: *line,
            column: col + 1,
            span: offset + col..offset + col + len,
        }
    }
}

/// Finds `needle` in `text` as a whole token (bounded by start/end, space,
/// ':', '/', ';', ',', '=' or '~').
fn find_token(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_sep = |c: Option<u8>| c.is_none_or(|c| b" :/;,=~".contains(&c));
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = text[from..].find(needle) {
        let s = from + p;
        let e = s + needle.len();
        if is_sep(s.checked_sub(1).map(|i| b[i])) && is_sep(b.get(e).copied()) {
            return Some(s);
        }
        // On to the next character boundary (the needle may start with a multi-byte one).
        from = s + needle.chars().next().map_or(1, char::len_utf8);
    }
    text.find(needle)
}

struct Out<'i> {
    index: &'i Index,
    findings: Vec<Finding>,
}

impl Out<'_> {
    fn push(
        &mut self,
        severity: Severity,
        rule: &'static str,
        rfc: &'static str,
        at: At,
        needle: Option<&str>,
        message: String,
    ) {
        let location = self.index.locate(at, needle);
        self.findings.push(Finding {
            severity,
            rule,
            rfc,
            message,
            location,
        });
    }

    fn error(
        &mut self,
        rule: &'static str,
        rfc: &'static str,
        at: At,
        needle: Option<&str>,
        message: String,
    ) {
        self.push(Severity::Error, rule, rfc, at, needle, message);
    }

    fn warning(
        &mut self,
        rule: &'static str,
        rfc: &'static str,
        at: At,
        needle: Option<&str>,
        message: String,
    ) {
        self.push(Severity::Warning, rule, rfc, at, needle, message);
    }
}

/// Index of the first line of section `m` (None = session) holding an
/// attribute that matches `f`.
fn find_line<S: Text>(
    lines: &[Line<S>],
    mut f: impl FnMut(&Attribute<S>) -> bool,
) -> Option<usize> {
    lines
        .iter()
        .position(|l| matches!(l, Line::Attribute(a) if f(a)))
}

/// Whether ICE applies to section `m`, so that RFC 8839 §5.4 requires its
/// `a=ice-ufrag` and `a=ice-pwd`: the section or the session carries an ICE
/// attribute (RFC 8839 §5), or the proto is one JSEP uses, always with ICE
/// (RFC 9429 §5.1.2: `UDP/TLS/RTP/SAVPF`, `UDP/DTLS/SCTP`, `TCP/DTLS/SCTP`).
/// A SIP DTLS-SRTP section (RFC 5763 §5, `UDP/TLS/RTP/SAVP`) with no ICE
/// attribute does not use ICE.
fn uses_ice<S: Text>(sdp: &SessionDescription<S>, m: &MediaDescription<S>) -> bool {
    let p = &*m.media_line.proto;
    let jsep = [
        "UDP/TLS/RTP/SAVPF",
        "TCP/TLS/RTP/SAVPF",
        "UDP/DTLS/SCTP",
        "TCP/DTLS/SCTP",
    ]
    .iter()
    .any(|j| p.eq_ignore_ascii_case(j));
    let is_ice = |a: &Attribute<S>| {
        matches!(
            a,
            Attribute::IceUfrag(_)
                | Attribute::IcePwd(_)
                | Attribute::IceOptions(_)
                | Attribute::IceLite
                | Attribute::IceMismatch
                | Attribute::Candidate(_)
                | Attribute::RemoteCandidates(_)
                | Attribute::EndOfCandidates
        )
    };
    jsep || m.attributes().any(is_ice) || sdp.attributes().any(is_ice)
}

fn uses_dtls<S: Text>(m: &MediaDescription<S>) -> bool {
    m.media_line
        .proto
        .split('/')
        .any(|p| p == "TLS" || p == "DTLS")
}

fn is_ice_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// Checks one description against the JSEP/WebRTC rules. Findings are in
/// line order.
#[must_use]
pub fn check<S: Text>(sdp: &SessionDescription<S>, role: Role) -> Vec<Finding> {
    let index = Index::new(sdp);
    let mut out = Out {
        index: &index,
        findings: Vec::new(),
    };
    check_bundle(sdp, &mut out);
    check_transport(sdp, role, &mut out);
    for (mi, m) in sdp.media.iter().enumerate() {
        check_rtp(sdp, mi, m, &mut out);
    }
    let mut f = out.findings;
    f.sort_by_key(|f| (f.location.line, f.location.column));
    f
}

fn check_bundle<S: Text>(sdp: &SessionDescription<S>, out: &mut Out<'_>) {
    // RFC 5888 §4: mids are unique.
    let mids: Vec<Option<&str>> = sdp.media.iter().map(MediaDescription::mid).collect();
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for (i, m) in mids.iter().enumerate() {
        if let Some(mid) = m {
            if !known.insert(mid) {
                let li = find_line(&sdp.media[i].lines, |a| matches!(a, Attribute::Mid(_)));
                out.error(
                    "mid-unique",
                    "RFC 5888 §4",
                    At::Line(Some(i), li.unwrap_or(0)),
                    Some(mid),
                    format!("mid \"{mid}\" is used by an earlier m-section"),
                );
            }
        }
    }
    let mut bundled: BTreeSet<&str> = BTreeSet::new();
    let mut any_bundle = false;
    for (li, l) in sdp.lines.iter().enumerate() {
        let Line::Attribute(Attribute::Group(g)) = l else {
            continue;
        };
        if g.is_bundle() {
            any_bundle = true;
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for mid in g.mids() {
            if !known.contains(mid) {
                out.error(
                    if g.is_bundle() {
                        "bundle-mid-exists"
                    } else {
                        "group-mid-exists"
                    },
                    "RFC 5888 §5",
                    At::Line(None, li),
                    Some(mid),
                    format!(
                        "{} group names mid \"{mid}\" but no m-section has it",
                        &*g.semantics
                    ),
                );
            }
            if seen.contains(&mid) {
                out.error(
                    "group-mid-unique",
                    "RFC 5888 §5",
                    At::Line(None, li),
                    Some(mid),
                    format!("mid \"{mid}\" appears twice in the {} group", &*g.semantics),
                );
            } else if g.is_bundle() && bundled.contains(&mid) {
                out.error(
                    "bundle-mid-unique",
                    "RFC 8843 §7.1",
                    At::Line(None, li),
                    Some(mid),
                    format!("mid \"{mid}\" is in more than one BUNDLE group"),
                );
            }
            seen.insert(mid);
            if g.is_bundle() {
                bundled.insert(mid);
            }
        }
    }
    if any_bundle {
        for (i, m) in sdp.media.iter().enumerate() {
            if m.mid().is_none() {
                out.error(
                    "mid-required",
                    "RFC 9429 §5.2.1",
                    At::MLine(i),
                    None,
                    format!("m-section {i} has no a=mid although the description uses BUNDLE"),
                );
            }
        }
    }
}

/// What the members of each BUNDLE group carry between them (RFC 8843 §7:
/// transport attributes may sit in one member only). `None` for a section in
/// no BUNDLE group.
#[derive(Default, Clone, Copy)]
struct GroupTransport {
    ufrag: bool,
    pwd: bool,
    fingerprint: bool,
    setup: bool,
}

fn group_transports<S: Text>(sdp: &SessionDescription<S>) -> Vec<Option<GroupTransport>> {
    let by_mid: BTreeMap<&str, usize> = sdp
        .media
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.mid().map(|mid| (mid, i)))
        .collect();
    let mut group_of: Vec<Option<usize>> = alloc::vec![None; sdp.media.len()];
    let mut groups: Vec<GroupTransport> = Vec::new();
    for g in sdp.bundle_groups() {
        let gi = groups.len();
        let mut t = GroupTransport::default();
        for mid in g.mids() {
            if let Some(&i) = by_mid.get(mid) {
                if group_of[i].is_none() {
                    group_of[i] = Some(gi);
                    let m = &sdp.media[i];
                    t.ufrag |= m.ice_ufrag().is_some();
                    t.pwd |= m.ice_pwd().is_some();
                    t.fingerprint |= m.fingerprints().next().is_some();
                    t.setup |= m.setup().is_some();
                }
            }
        }
        groups.push(t);
    }
    group_of.iter().map(|g| g.map(|g| groups[g])).collect()
}

fn check_transport<S: Text>(sdp: &SessionDescription<S>, role: Role, out: &mut Out<'_>) {
    // Session-level ICE credentials and fingerprints apply to every section.
    let groups = group_transports(sdp);
    for (i, m) in sdp.media.iter().enumerate() {
        if m.is_rejected() {
            continue;
        }
        let group = groups[i].unwrap_or_default();
        if uses_ice(sdp, m) {
            if m.ice_ufrag().is_none() && sdp.ice_ufrag().is_none() && !group.ufrag {
                out.error(
                    "ice-ufrag-present",
                    "RFC 8839 §5.4",
                    At::MLine(i),
                    None,
                    format!("m-section {i} has no a=ice-ufrag (nor its session or BUNDLE group)"),
                );
            }
            if m.ice_pwd().is_none() && sdp.ice_pwd().is_none() && !group.pwd {
                out.error(
                    "ice-pwd-present",
                    "RFC 8839 §5.4",
                    At::MLine(i),
                    None,
                    format!("m-section {i} has no a=ice-pwd (nor its session or BUNDLE group)"),
                );
            }
        }
        if uses_dtls(m) {
            if m.fingerprints().next().is_none()
                && sdp.fingerprints().next().is_none()
                && !group.fingerprint
            {
                out.error(
                    "fingerprint-present",
                    "RFC 8842 §5",
                    At::MLine(i),
                    None,
                    format!("m-section {i} uses DTLS but has no a=fingerprint"),
                );
            }
            if m.setup().is_none() && sdp.setup().is_none() && !group.setup {
                out.error(
                    "setup-present",
                    "RFC 8842 §5",
                    At::MLine(i),
                    None,
                    format!("m-section {i} uses DTLS but has no a=setup"),
                );
            }
        }
    }
    let sections = core::iter::once((None, &sdp.lines)).chain(
        sdp.media
            .iter()
            .enumerate()
            .map(|(i, m)| (Some(i), &m.lines)),
    );
    for (mi, lines) in sections {
        for (li, l) in lines.iter().enumerate() {
            let Line::Attribute(a) = l else { continue };
            let at = At::Line(mi, li);
            match a {
                // RFC 8839 §5.4: ice-ufrag = 4*256ice-char.
                Attribute::IceUfrag(u)
                    if u.len() < 4 || u.len() > 256 || !u.bytes().all(is_ice_char) =>
                {
                    out.error(
                        "ice-ufrag-syntax",
                        "RFC 8839 §5.4",
                        at,
                        Some(u),
                        format!("ice-ufrag \"{u}\" must be 4 to 256 letters, digits, '+' or '/'"),
                    );
                }
                // RFC 8839 §5.4: ice-pwd = 22*256ice-char.
                Attribute::IcePwd(p)
                    if p.len() < 22 || p.len() > 256 || !p.bytes().all(is_ice_char) =>
                {
                    out.error("ice-pwd-syntax", "RFC 8839 §5.4", at, Some(p), format!("ice-pwd must be 22 to 256 letters, digits, '+' or '/' (has {} characters)", p.len()));
                }
                Attribute::Fingerprint(f) => match f.hash() {
                    None => out.error(
                        "fingerprint-hash",
                        "RFC 8122 §5",
                        at,
                        Some(&f.hash_function),
                        format!(
                            "unknown fingerprint hash function \"{}\"",
                            &*f.hash_function
                        ),
                    ),
                    Some(h) => {
                        let n = f.bytes().count();
                        if n != h.digest_len() {
                            out.error(
                                "fingerprint-length",
                                "RFC 8122 §5",
                                at,
                                Some(&f.fingerprint),
                                format!(
                                    "{} fingerprint has {n} bytes, expected {}",
                                    &*f.hash_function,
                                    h.digest_len()
                                ),
                            );
                        }
                        if matches!(h, HashFunction::Md2 | HashFunction::Md5) {
                            out.warning(
                                "fingerprint-hash",
                                "RFC 8122 §5",
                                at,
                                Some(&f.hash_function),
                                format!(
                                    "fingerprint hash function {} is deprecated",
                                    f.hash_function
                                ),
                            );
                        }
                    }
                },
                Attribute::Setup(s) => match (role, s) {
                    (Role::Offer, Setup::ActPass)
                    | (Role::Answer, Setup::Active | Setup::Passive)
                    | (Role::Unknown, _) => {}
                    (Role::Offer, s) => out.error(
                        "setup-offer",
                        "RFC 8842 §5.2",
                        at,
                        Some(s.as_str()),
                        format!("an offer must use a=setup:actpass, not {}", s.as_str()),
                    ),
                    (Role::Answer, s) => out.error(
                        "setup-answer",
                        "RFC 8842 §5.3",
                        at,
                        Some(s.as_str()),
                        format!(
                            "an answer must use a=setup:active or passive, not {}",
                            s.as_str()
                        ),
                    ),
                },
                _ => {}
            }
        }
    }
}

fn check_rtp<S: Text>(
    sdp: &SessionDescription<S>,
    mi: usize,
    m: &MediaDescription<S>,
    out: &mut Out<'_>,
) {
    let formats: BTreeSet<&str> = m.media_line.formats().collect();
    let mut pts = [false; 128];
    for pt in m.media_line.payload_types() {
        pts[usize::from(pt)] = true;
    }
    let mut rtx = [false; 128];
    for r in m.rtpmaps() {
        if r.encoding_name.eq_ignore_ascii_case("rtx") {
            rtx[usize::from(r.payload_type)] = true;
        }
    }
    // RFC 8866 §5.14: each format is listed once.
    let mut seen_formats: BTreeSet<&str> = BTreeSet::new();
    let rtp = m.media_line.is_rtp();
    for f in m.media_line.formats() {
        // RFC 8866 §5.14: "If the <proto> sub-field is "RTP/AVP" or "RTP/SAVP"
        // the <fmt> sub-fields contain RTP payload type numbers" (0-127, RFC 3550 §5.1).
        if rtp
            && !(f.bytes().all(|c| c.is_ascii_digit()) && f.parse::<u8>().is_ok_and(|p| p <= 127))
        {
            out.error(
                "fmt-payload-type",
                "RFC 8866 §5.14",
                At::MLine(mi),
                Some(f),
                format!("format \"{f}\" of an RTP m-line is not a payload type number (0 to 127)"),
            );
        }
        if !seen_formats.insert(f) {
            out.error(
                "duplicate-payload-type",
                "RFC 8866 §5.14",
                At::MLine(mi),
                Some(f),
                format!("format {f} is listed twice in the m-line"),
            );
        }
    }
    let listed = |pt: u8| pts.get(usize::from(pt)).copied().unwrap_or(false);
    let mut rtpmap_pts = [false; 128];
    let allow_mixed = sdp.extmap_allow_mixed() || m.extmap_allow_mixed();
    let max_ext = if allow_mixed { 255 } else { 14 };
    let mut ext_ids: BTreeSet<u16> = BTreeSet::new();
    let ssrcs: BTreeSet<u32> = m.ssrcs().map(|s| s.ssrc).collect();
    let rids: BTreeMap<&str, RidDirection> = m.rids().map(|r| (&*r.id, r.direction)).collect();
    let mut has_mux = m.rtcp_mux();
    for (li, l) in m.lines.iter().enumerate() {
        let Line::Attribute(a) = l else { continue };
        let at = At::Line(Some(mi), li);
        match a {
            Attribute::Rtpmap(r) => {
                let pt = r.payload_type;
                if !listed(pt) {
                    out.error(
                        "payload-type-in-mline",
                        "RFC 8866 §6.6",
                        at,
                        Some(&pt.to_string()),
                        format!("rtpmap for payload type {pt}, which the m-line does not list"),
                    );
                }
                if rtpmap_pts[usize::from(pt)] {
                    out.error(
                        "duplicate-payload-type",
                        "RFC 8866 §6.6",
                        at,
                        Some(&pt.to_string()),
                        format!("second rtpmap for payload type {pt}"),
                    );
                }
                rtpmap_pts[usize::from(pt)] = true;
            }
            Attribute::Fmtp(f) => {
                if m.media_line.is_rtp() && !formats.contains(&&*f.format) {
                    out.error(
                        "payload-type-in-mline",
                        "RFC 8866 §6.15",
                        at,
                        Some(&f.format),
                        format!(
                            "fmtp for format {}, which the m-line does not list",
                            f.format
                        ),
                    );
                }
                let is_rtx = f.payload_type().is_some_and(|p| rtx[usize::from(p)]);
                if is_rtx {
                    match f.apt() {
                        Some(apt) if listed(apt) => {}
                        Some(apt) => out.error(
                            "rtx-apt",
                            "RFC 4588 §8.6",
                            at,
                            Some(&apt.to_string()),
                            format!("RTX apt={apt} names a payload type the m-line does not list"),
                        ),
                        None => out.error(
                            "rtx-apt",
                            "RFC 4588 §8.6",
                            at,
                            None,
                            format!("RTX payload type {} has no apt parameter", f.format),
                        ),
                    }
                }
            }
            Attribute::RtcpFb(f) => {
                if let Some(pt) = f.payload_type {
                    if !listed(pt) {
                        out.error(
                            "payload-type-in-mline",
                            "RFC 4585 §4.2",
                            at,
                            Some(&pt.to_string()),
                            format!(
                                "rtcp-fb for payload type {pt}, which the m-line does not list"
                            ),
                        );
                    }
                }
            }
            Attribute::Extmap(e) => {
                let id = e.id;
                if id == 0 || id > max_ext {
                    let why = if allow_mixed {
                        "1 to 255"
                    } else {
                        "1 to 14 (1 to 255 needs a=extmap-allow-mixed)"
                    };
                    out.error(
                        "extmap-id-range",
                        "RFC 8285 §5",
                        at,
                        Some(&id.to_string()),
                        format!("extmap id {id} is out of range: {why}"),
                    );
                }
                if !ext_ids.insert(id) {
                    out.error(
                        "extmap-id-unique",
                        "RFC 8285 §5",
                        at,
                        Some(&id.to_string()),
                        format!("extmap id {id} is used twice in this m-section"),
                    );
                }
            }
            Attribute::SsrcGroup(g) => {
                for s in g.ssrcs() {
                    if !ssrcs.contains(&s) {
                        out.error(
                            "ssrc-group-members",
                            "RFC 5576 §4.2",
                            at,
                            Some(&s.to_string()),
                            format!("ssrc-group {} member {s} has no a=ssrc line", g.semantics),
                        );
                    }
                }
            }
            Attribute::Rid(r) => {
                for pt in r.payload_types() {
                    if !formats.contains(&pt) {
                        out.error("rid-payload-type", "RFC 8851 §4", at, Some(pt), format!("rid {} restricts to payload type {pt}, which the m-line does not list", r.id));
                    }
                }
            }
            Attribute::Simulcast(s) => {
                for list in core::iter::once(&s.first).chain(s.second.as_ref()) {
                    for rid in list.rids() {
                        match rids.get(rid.id).map(|d| ((), d)) {
                            None => out.error(
                                "simulcast-rid-declared",
                                "RFC 8853 §5.1",
                                at,
                                Some(rid.id),
                                format!(
                                    "simulcast names rid \"{}\" but no a=rid declares it",
                                    rid.id
                                ),
                            ),
                            Some((_, d)) if *d != list.direction => out.error(
                                "simulcast-rid-direction",
                                "RFC 8853 §5.1",
                                at,
                                Some(rid.id),
                                format!(
                                    "rid \"{}\" is declared {} but listed under simulcast {}",
                                    rid.id,
                                    d.as_str(),
                                    list.direction.as_str()
                                ),
                            ),
                            Some(_) => {}
                        }
                    }
                }
            }
            Attribute::RtcpMux => has_mux = true,
            Attribute::RtcpMuxOnly if !has_mux && !m.rtcp_mux() => {
                out.error(
                    "rtcp-mux-only",
                    "RFC 8858 §3",
                    at,
                    None,
                    "a=rtcp-mux-only without a=rtcp-mux".into(),
                );
            }
            _ => {}
        }
    }
    if m.simulcast().is_some() || !rids.is_empty() {
        let in_simulcast: BTreeSet<&str> = m
            .simulcast()
            .into_iter()
            .flat_map(|s| core::iter::once(&s.first).chain(s.second.as_ref()))
            .flat_map(|l| l.rids().map(|r| r.id))
            .collect();
        for (li, l) in m.lines.iter().enumerate() {
            if let Line::Attribute(Attribute::Rid(r)) = l {
                if m.simulcast().is_some() && !in_simulcast.contains(&*r.id) {
                    out.warning(
                        "rid-unused",
                        "RFC 8853 §5.1",
                        At::Line(Some(mi), li),
                        Some(&r.id),
                        format!("rid \"{}\" is declared but not used by a=simulcast", r.id),
                    );
                }
            }
        }
    }
}

/// Checks an answer against its offer (RFC 3264 §6, RFC 8843 §7.3, RFC 8842
/// §5.3) and the answer on its own ([`check`] with [`Role::Answer`]).
/// Locations are in the answer.
#[must_use]
pub fn check_answer<S: Text>(
    offer: &SessionDescription<S>,
    answer: &SessionDescription<S>,
) -> Vec<Finding> {
    let index = Index::new(answer);
    let mut out = Out {
        index: &index,
        findings: Vec::new(),
    };
    if offer.media.len() != answer.media.len() {
        let at = if answer.media.len() > offer.media.len() {
            At::MLine(offer.media.len())
        } else {
            At::End
        };
        out.error(
            "oa-mline-count",
            "RFC 3264 §6",
            at,
            None,
            format!(
                "the answer has {} m-sections, the offer {}",
                answer.media.len(),
                offer.media.len()
            ),
        );
    }
    let o_dir = offer.direction_attribute().unwrap_or_default();
    let a_dir = answer.direction_attribute().unwrap_or_default();
    let answer_has_mids = answer.media.iter().any(|m| m.mid().is_some());
    for (i, (o, a)) in offer.media.iter().zip(&answer.media).enumerate() {
        if o.media_line.media != a.media_line.media {
            out.error(
                "oa-mline-kind",
                "RFC 3264 §6",
                At::MLine(i),
                Some(&a.media_line.media),
                format!(
                    "m-section {i} is {} in the answer but {} in the offer",
                    a.media_line.media, o.media_line.media
                ),
            );
            continue;
        }
        if o.media_line.proto != a.media_line.proto {
            out.error(
                "oa-mline-proto",
                "RFC 3264 §6",
                At::MLine(i),
                Some(&a.media_line.proto),
                format!(
                    "m-section {i} uses {} in the answer but {} in the offer",
                    a.media_line.proto, o.media_line.proto
                ),
            );
        }
        // RFC 5888 §9.1: an answerer that does not implement grouping ignores
        // the offered mids, so an answer without any mid (a plain SIP
        // answer) is fine; one that writes mids must echo the offer's.
        if o.mid() != a.mid() && (a.mid().is_some() || answer_has_mids) {
            let li = find_line(&a.lines, |x| matches!(x, Attribute::Mid(_)));
            let at = li.map_or(At::MLine(i), |li| At::Line(Some(i), li));
            let show =
                |m: Option<&str>| m.map_or_else(|| "no mid".into(), |m| format!("mid \"{m}\""));
            out.error(
                "oa-mid-match",
                "RFC 5888 §9.1",
                at,
                a.mid(),
                format!(
                    "m-section {i} has {} in the answer but {} in the offer",
                    show(a.mid()),
                    show(o.mid())
                ),
            );
        }
        if o.is_rejected() {
            if a.media_line.port != 0 {
                out.error("oa-rejected-port", "RFC 3264 §6", At::MLine(i), Some(&a.media_line.port.to_string()), format!("m-section {i} is rejected in the offer (port 0) so the answer must use port 0"));
            }
            continue;
        }
        if a.media_line.port == 0 && !a.bundle_only() {
            continue; // rejected by the answerer
        }
        // Codecs: a subset of the offer's, same clock rates (RFC 3264 §6.1).
        if a.media_line.is_rtp() {
            let oc = o.codecs();
            for c in a.codecs() {
                let name = c.name().unwrap_or("?");
                let same_pt = oc.iter().find(|x| x.payload_type == c.payload_type);
                let same_name = oc.iter().find(|x| {
                    x.name().is_some_and(|n| n.eq_ignore_ascii_case(name))
                        && x.clock_rate() == c.clock_rate()
                });
                let li = find_line(
                    &a.lines,
                    |x| matches!(x, Attribute::Rtpmap(r) if r.payload_type == c.payload_type),
                );
                let at = li.map_or(At::MLine(i), |li| At::Line(Some(i), li));
                let pt = c.payload_type.to_string();
                match (same_pt, same_name) {
                    (Some(x), _) if x.name().is_some_and(|n| n.eq_ignore_ascii_case(name)) => {
                        if x.clock_rate() != c.clock_rate() {
                            out.error("oa-codec-clock-rate", "RFC 3264 §6.1", at, Some(&pt), format!("payload type {pt} ({name}) has clock rate {:?} in the answer but {:?} in the offer", c.clock_rate(), x.clock_rate()));
                        }
                    }
                    (_, Some(x)) => out.warning(
                        "oa-codec-payload-type",
                        "RFC 3264 §6.1",
                        at,
                        Some(&pt),
                        format!(
                            "{name} is payload type {pt} in the answer but {} in the offer",
                            x.payload_type
                        ),
                    ),
                    (_, None) => out.error(
                        "oa-codec-subset",
                        "RFC 3264 §6.1",
                        at,
                        Some(&pt),
                        format!(
                            "payload type {pt} ({name}/{}) is not offered in m-section {i}",
                            c.clock_rate().unwrap_or(0)
                        ),
                    ),
                }
            }
        }
        // Directions (RFC 3264 §6.1).
        let od = o.direction_or(o_dir);
        let ad = a.direction_or(a_dir);
        let ok = match od {
            Direction::SendRecv => true,
            Direction::SendOnly => matches!(ad, Direction::RecvOnly | Direction::Inactive),
            Direction::RecvOnly => matches!(ad, Direction::SendOnly | Direction::Inactive),
            Direction::Inactive => ad == Direction::Inactive,
        };
        if !ok {
            let li = find_line(&a.lines, |x| matches!(x, Attribute::Direction(_)));
            let at = li.map_or(At::MLine(i), |li| At::Line(Some(i), li));
            out.error(
                "oa-direction",
                "RFC 3264 §6.1",
                at,
                Some(ad.as_str()),
                format!("answer direction {ad} is not compatible with offered {od}"),
            );
        }
        // DTLS roles (RFC 8842 §5.3, RFC 4145 §4.1).
        let os = o.setup().or(offer.setup()).copied();
        let as_ = a.setup().or(answer.setup()).copied();
        let bad = match (os, as_) {
            (Some(Setup::ActPass), Some(Setup::Active | Setup::Passive)) => None,
            (Some(Setup::Active), Some(Setup::Passive))
            | (Some(Setup::Passive), Some(Setup::Active)) => None,
            (Some(o), Some(a)) => Some(format!(
                "answer a=setup:{} does not complement offered a=setup:{}",
                a.as_str(),
                o.as_str()
            )),
            _ => None,
        };
        if let Some(msg) = bad {
            let li = find_line(&a.lines, |x| matches!(x, Attribute::Setup(_)));
            let at = li.map_or(At::MLine(i), |li| At::Line(Some(i), li));
            out.error(
                "oa-setup-roles",
                "RFC 8842 §5.3",
                at,
                as_.map(Setup::as_str),
                msg,
            );
        }
    }
    // BUNDLE: the answer's groups are subsets of the offer's (RFC 8843 §7.3).
    let offered: Vec<&str> = offer.bundle_groups().flat_map(|g| g.mids()).collect();
    for (li, l) in answer.lines.iter().enumerate() {
        let Line::Attribute(Attribute::Group(g)) = l else {
            continue;
        };
        if !g.is_bundle() {
            continue;
        }
        for mid in g.mids() {
            if !offered.contains(&mid) {
                out.error(
                    "oa-bundle-subset",
                    "RFC 8843 §7.3",
                    At::Line(None, li),
                    Some(mid),
                    format!(
                        "answer BUNDLE group has mid \"{mid}\", which no offered BUNDLE group has"
                    ),
                );
            }
        }
    }
    let mut f = out.findings;
    f.extend(check(answer, Role::Answer));
    f.sort_by_key(|f| (f.location.line, f.location.column));
    f
}

#[cfg(test)]
mod tests {
    use super::find_token;

    #[test]
    fn token_search_steps_over_multi_byte_characters() {
        // The first match is inside a word; the search goes on from the next character.
        assert_eq!(find_token("xé é", "é"), Some(4));
        assert_eq!(find_token("\u{fffd}\u{fffd} \u{fffd}", "\u{fffd}"), Some(7));
        assert_eq!(find_token("a=mid:0", "0"), Some(6));
        // No token boundary anywhere: the first occurrence.
        assert_eq!(find_token("xéx", "é"), Some(1));
    }
}
