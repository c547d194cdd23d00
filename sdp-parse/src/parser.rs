//! The line-oriented parser (RFC 8866 §5, §9).
//!
//! Lines are split by hand (`memchr` for `\n`), each line's type letter is
//! dispatched with a `match`, and typed values are parsed from borrowed slices,
//! so parsing allocates only the vectors of lines and media sections.
//!
//! Runs of `a=` lines that parse cleanly and end with the first line's ending
//! take a fast path in a small loop of its own: the most frequent ones
//! (`a=rtcp-fb`, `a=rtpmap`, `a=fmtp`, `a=extmap`, `a=ssrc`) in their common
//! form are parsed straight from the rest of the input up to their line
//! ending, without searching for the ending first; other attributes are parsed
//! as usual. Anything else (another ending, stray CRs, a value that does not
//! parse, trailing whitespace) takes the general path, which words the errors
//! and warnings.
//!
//! Strict mode ([`Mode::Strict`]) returns the first error. Lenient mode
//! ([`Mode::Lenient`]) turns errors into warnings where it can, keeping an
//! unparseable line verbatim as [`Line::Malformed`] so that the writer still
//! reproduces it; only a missing or malformed `v=`, `o=`, `s=` or `m=` line
//! stops it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::attribute::Attribute;
use crate::error::{Diagnostic, ErrorKind, Fail, Severity};
use crate::lines::{
    Bandwidth, Connection, Line, LineEnding, MediaLine, Origin, OriginLine, Timing,
};
use crate::rtp::{Extmap, Fmtp, RtcpFb, Rtpmap, Ssrc};
use crate::session::{MediaDescription, SessionDescription};
use crate::text::Text;

/// How strictly to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Stop at the first grammar error (RFC 8866 as written).
    #[default]
    Strict,
    /// Keep going: malformed lines are kept raw and reported as warnings.
    Lenient,
}

/// The outcome of [`SessionDescription::parse_with`]: the description and the
/// warnings collected on the way (lenient mode; in strict mode only
/// non-fatal findings such as unknown line types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<S: Text> {
    /// The parsed description.
    pub description: SessionDescription<S>,
    /// Warnings, in input order.
    pub warnings: Vec<Diagnostic>,
}

/// Gives a [`Fail`] its position. `at` is a slice of `input` unless a bug says
/// otherwise, in which case the position falls back to the line start.
pub(crate) fn locate(
    input: &str,
    line_start: usize,
    line: usize,
    f: Fail<'_>,
    severity: Severity,
) -> Diagnostic {
    let f = *f.0;
    let base = input.as_ptr() as usize;
    let at = f.at.as_ptr() as usize;
    let offset = if at >= base && at + f.at.len() <= base + input.len() {
        at - base
    } else {
        line_start
    };
    Diagnostic {
        kind: f.kind,
        severity,
        line,
        column: offset.saturating_sub(line_start) + 1,
        span: offset..offset + f.at.len(),
        message: f.message,
    }
}

/// Rank of a line type in RFC 8866 §5's order, per section.
fn session_rank(c: u8) -> u8 {
    match c {
        b'i' => 1,
        b'u' => 2,
        b'e' => 3,
        b'p' => 4,
        b'c' => 5,
        b'b' => 6,
        b't' => 7,
        b'r' => 8,
        b'z' => 9,
        b'k' => 10,
        b'a' => 11,
        _ => 0,
    }
}

fn media_rank(c: u8) -> u8 {
    match c {
        b'i' => 1,
        b'c' => 2,
        b'b' => 3,
        b'k' => 4,
        b'a' => 5,
        _ => 0,
    }
}

struct Parser<'a> {
    input: &'a str,
    mode: Mode,
    warnings: Vec<Diagnostic>,
    line_no: usize,
    line_start: usize,
}

impl<'a> Parser<'a> {
    /// Reports `f`: an error in strict mode (returned), a warning in lenient mode.
    fn report(&mut self, f: Fail<'a>) -> Result<(), Diagnostic> {
        match self.mode {
            Mode::Strict => Err(self.diag(f, Severity::Error)),
            Mode::Lenient => {
                let d = self.diag(f, Severity::Warning);
                self.warnings.push(d);
                Ok(())
            }
        }
    }

    fn warn(&mut self, f: Fail<'a>) {
        let d = self.diag(f, Severity::Warning);
        self.warnings.push(d);
    }

    fn diag(&self, f: Fail<'a>, severity: Severity) -> Diagnostic {
        locate(self.input, self.line_start, self.line_no, f, severity)
    }

    fn fatal(&self, f: Fail<'a>) -> Diagnostic {
        self.diag(f, Severity::Error)
    }
}

/// One physical line.
struct RawLine<'a> {
    text: &'a str,
    start: usize,
    ending: Option<LineEnding>,
    /// CRs between the text and its CRLF (`\r\r\n`): no value may end with a CR
    /// (RFC 8866 §9), and one that did would turn into a CRLF on an LF writer.
    stray_cr: bool,
}

struct Lines<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(input: &'a str) -> Self {
        Self { input, pos: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = RawLine<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<RawLine<'a>> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        match crate::text::find_byte(&bytes[start..], b'\n') {
            Some(nl) => {
                let nl = start + nl;
                self.pos = nl + 1;
                let (end, ending) = if nl > start && bytes[nl - 1] == b'\r' {
                    (nl - 1, LineEnding::CrLf)
                } else {
                    (nl, LineEnding::Lf)
                };
                let (end, stray_cr) = strip_cr(bytes, start, end);
                Some(RawLine {
                    text: &self.input[start..end],
                    start,
                    ending: Some(ending),
                    stray_cr,
                })
            }
            None => {
                self.pos = bytes.len();
                // (A last CR was cut off the input already: see `parse`.)
                let (end, stray_cr) = strip_cr(bytes, start, bytes.len());
                Some(RawLine {
                    text: &self.input[start..end],
                    start,
                    ending: None,
                    stray_cr,
                })
            }
        }
    }
}

/// `end` moved back over CRs that end the line's text, and whether there were any.
#[inline]
fn strip_cr(bytes: &[u8], start: usize, end: usize) -> (usize, bool) {
    if end > start && bytes[end - 1] == b'\r' {
        let mut e = end - 1;
        while e > start && bytes[e - 1] == b'\r' {
            e -= 1;
        }
        (e, true)
    } else {
        (end, false)
    }
}

fn expect_line<'a>(
    p: &mut Parser<'a>,
    lines: &mut Lines<'a>,
    kind: u8,
    name: &str,
) -> Result<(&'a str, Option<LineEnding>), Diagnostic> {
    let Some(l) = lines.next() else {
        // The missing line would start after the last line's ending, or at the
        // end of an unterminated last line (or of a lone CR).
        if lines.input.ends_with('\n') {
            p.line_no += 1;
            p.line_start = lines.input.len();
        } else {
            p.line_no = p.line_no.max(1);
        }
        return Err(p.fatal(Fail::new(
            ErrorKind::MissingLine,
            crate::text::end(p.input),
            format!("missing \"{}=\" ({name}) line", kind as char),
        )));
    };
    p.line_no += 1;
    p.line_start = l.start;
    let b = l.text.as_bytes();
    if b.len() < 2 || b[0] != kind || b[1] != b'=' {
        return Err(p.fatal(Fail::new(
            ErrorKind::MissingLine,
            l.text,
            format!(
                "expected the \"{}=\" ({name}) line here (RFC 8866 §5 order v, o, s)",
                kind as char
            ),
        )));
    }
    if l.stray_cr {
        p.warn(stray_cr(l.text));
    }
    Ok((&l.text[2..], l.ending))
}

/// No `t=` line in the session section (RFC 8866 §5.9), which ends at `at`:
/// the first `m=` line, or the end of the input.
#[cold]
fn missing_timing(at: &str) -> Fail<'_> {
    Fail::new(
        ErrorKind::MissingLine,
        at,
        "missing \"t=\" (timing) line in the session section (RFC 8866 §5.9)".into(),
    )
}

/// The next line when it is the `kind=` line the header needs there (RFC
/// 8866 §5 order v, o, s). In lenient mode a missing one is a warning and
/// `None`, and the line that is there is left for the lines after the header.
fn header_line<'a>(
    p: &mut Parser<'a>,
    lines: &mut Lines<'a>,
    kind: u8,
    name: &str,
) -> Result<Option<(&'a str, Option<LineEnding>)>, Diagnostic> {
    let (pos, line_no, line_start) = (lines.pos, p.line_no, p.line_start);
    match expect_line(p, lines, kind, name) {
        Ok(l) => Ok(Some(l)),
        Err(d) if p.mode == Mode::Lenient => {
            p.warnings.push(Diagnostic {
                severity: Severity::Warning,
                ..d
            });
            lines.pos = pos;
            p.line_no = line_no;
            p.line_start = line_start;
            Ok(None)
        }
        Err(d) => Err(d),
    }
}

pub(crate) fn parse<'a>(input: &'a str, mode: Mode) -> Result<Parsed<&'a str>, Diagnostic> {
    let mut p = Parser {
        input,
        mode,
        warnings: Vec::new(),
        line_no: 0,
        line_start: 0,
    };
    if input.is_empty() {
        p.line_no = 1;
        return Err(p.fatal(Fail::new(
            ErrorKind::Empty,
            input,
            "empty session description (expected \"v=0\")".into(),
        )));
    }
    // A CR at the very end is a CRLF cut short: the last line ends there, so
    // the CR never becomes part of its value. Like any other differing line
    // ending it gets a warning and is written back as the first line's ending.
    let cut_cr = input.ends_with('\r');
    let mut lines = Lines::new(if cut_cr {
        &input[..input.len() - 1]
    } else {
        input
    });

    // v=, o=, s= (RFC 8866 §5.1-5.3), in this order.
    let mut trailing_whitespace: Vec<(usize, &'a str)> = Vec::new();
    let (v, ending) = expect_line(&mut p, &mut lines, b'v', "protocol version")?;
    let v = trim_trailing(&mut p, &mut trailing_whitespace, v)?;
    if v != "0" {
        return Err(p.fatal(Fail::new(
            ErrorKind::InvalidValue,
            v,
            format!("protocol version \"{v}\" is not 0 (RFC 8866 §5.1)"),
        )));
    }
    let line_ending = ending.unwrap_or_default();
    let mut final_line_ending = ending.is_some();
    let mut check_ending = |p: &mut Parser<'a>, e: Option<LineEnding>, text: &'a str| {
        final_line_ending = e.is_some();
        if let Some(e) = e {
            if e != line_ending {
                p.warn(mixed_endings(e, line_ending, text));
            }
        }
    };

    // Lenient parsing goes on without a missing `o=` or `s=` line, and keeps
    // an `o=` line it cannot read as written: RTSP cameras send both.
    let origin = match header_line(&mut p, &mut lines, b'o', "origin")? {
        None => OriginLine::Missing,
        Some((o, e)) => {
            check_ending(&mut p, e, o);
            let o = trim_trailing(&mut p, &mut trailing_whitespace, o)?;
            match Origin::parse(o) {
                Ok(origin) => OriginLine::Parsed(origin),
                Err(f) => {
                    p.report(f)?;
                    OriginLine::Malformed(o)
                }
            }
        }
    };
    let session_name = match header_line(&mut p, &mut lines, b's', "session name")? {
        None => None,
        Some((s, e)) => {
            check_ending(&mut p, e, s);
            if s.is_empty() {
                p.report(Fail::new(
                    ErrorKind::EmptySessionName,
                    s,
                    "session name is empty (use \"s=-\" or \"s= \", RFC 8866 §5.3)".into(),
                ))?;
            }
            Some(s)
        }
    };

    // Capacities from one vectorised count of the lines, so that the vectors
    // do not grow (moving parsed lines around costs more than counting them):
    // each section's vector starts with room for every line left, up to
    // `SECTION_ROOM`, and gives back what it did not use when the next `m=`
    // line closes it, which shrinks the allocation in place. (A longer
    // section grows its vector as usual.)
    let rest_start = lines.pos;
    let bytes = input.as_bytes();
    let total = count_lines(&bytes[rest_start..]);
    let first_line = p.line_no;
    // The lines of the section being parsed; moved into its place when the
    // next `m=` line (or the end) closes the section.
    let mut cur: Vec<Line<&'a str>> = Vec::with_capacity(total.min(SECTION_ROOM));
    let mut session_lines: Vec<Line<&'a str>> = Vec::new();
    let mut cur_media: Option<MediaLine<&'a str>> = None;
    // `a=` is last in both section orders: its rank in the current section.
    let mut attribute_rank = 11;
    let mut media: Vec<MediaDescription<&'a str>> = Vec::new();
    let mut rank = 0u8;
    let mut seen_t = false;
    let mut once_seen = 0u32; // bit per line type letter seen, for once-only lines

    loop {
        // The most frequent attribute lines in their common form, parsed up
        // to their line ending without searching for it first.
        let (pos, taken) = common_attributes(lines.input, lines.pos, line_ending, &mut cur);
        if taken > 0 {
            p.line_no += taken;
            lines.pos = pos;
            rank = attribute_rank;
        }
        let Some(mut l) = lines.next() else {
            break;
        };
        p.line_no += 1;
        p.line_start = l.start;
        if l.ending != Some(line_ending) || l.stray_cr {
            // Only the last line can lack an ending.
            final_line_ending = l.ending.is_some();
            if l.stray_cr {
                p.warn(stray_cr(l.text));
            } else if let Some(e) = l.ending {
                p.warn(mixed_endings(e, line_ending, l.text));
            }
        }

        // Fast path: `a=` is last in both section orders (RFC 8866 §5), so it
        // can never be out of order and may repeat.
        if let [b'a', b'=', ..] = l.text.as_bytes() {
            let value = &l.text[2..];
            rank = attribute_rank;
            let line = match Attribute::parse(value) {
                Ok(a) => Line::Attribute(a),
                Err(f) => {
                    match attribute_without_trailing(&mut p, &mut trailing_whitespace, value)? {
                        Some(a) => Line::Attribute(a),
                        None => {
                            p.report(f)?;
                            Line::Malformed(l.text)
                        }
                    }
                }
            };
            cur.push(line);
            continue;
        }

        if matches!(l.text.as_bytes(), [b'c' | b'b' | b't' | b'm', b'=', ..]) {
            l.text = trim_trailing(&mut p, &mut trailing_whitespace, l.text)?;
        }
        let b = l.text.as_bytes();
        if b.len() < 2 || b[1] != b'=' {
            p.report(Fail::new(
                ErrorKind::LineSyntax,
                l.text,
                if b.is_empty() {
                    "empty line (RFC 8866 §5 allows none)".into()
                } else {
                    format!("line \"{}\" is not of the form <type>=<value>", l.text)
                },
            ))?;
            cur.push(Line::Malformed(l.text));
            continue;
        }
        let kind = b[0];
        let value = &l.text[2..];

        if kind == b'm' {
            if cur_media.is_none() && !seen_t {
                // The session section ends here without the `t=` it needs.
                p.report(missing_timing(&l.text[..0]))?;
                seen_t = true;
            }
            let m = match MediaLine::parse(value) {
                Ok(m) => m,
                Err(f) => match MediaLine::parse_loose(value) {
                    Some(m) => {
                        p.report(f)?;
                        m
                    }
                    None => return Err(p.fatal(f)),
                },
            };
            // Give back first, so that the next section may take that room.
            cur.shrink_to_fit();
            let left = total.saturating_sub(p.line_no - first_line);
            let room = left.min(SECTION_ROOM);
            let lines = core::mem::replace(&mut cur, Vec::with_capacity(room));
            match cur_media.replace(m) {
                Some(prev) => media.push(MediaDescription {
                    media_line: prev,
                    lines,
                }),
                None => session_lines = lines,
            }
            attribute_rank = 5;
            rank = 0;
            once_seen = 0;
            continue;
        }

        // Order and repetition (RFC 8866 §5).
        let in_media = cur_media.is_some();
        let r = if in_media {
            media_rank(kind)
        } else {
            session_rank(kind)
        };
        if r == 0 {
            let known = matches!(
                kind,
                b'v' | b'o' | b's' | b'u' | b'e' | b'p' | b't' | b'r' | b'z'
            );
            if known || !kind.is_ascii_lowercase() {
                let what = if in_media {
                    "a media section"
                } else {
                    "the session section"
                };
                p.report(Fail::new(
                    ErrorKind::LineOrder,
                    &l.text[..1],
                    format!("\"{}=\" line is not allowed in {what} here", kind as char),
                ))?;
            } else {
                p.warn(Fail::new(
                    ErrorKind::UnknownLineType,
                    &l.text[..1],
                    format!("unknown line type \"{}=\" (kept as written)", kind as char),
                ));
            }
        } else {
            let t_cycle = !in_media && kind == b't' && rank == 8;
            if r < rank && !t_cycle {
                p.report(Fail::new(
                    ErrorKind::LineOrder,
                    &l.text[..1],
                    format!("\"{}=\" line is out of order (RFC 8866 §5)", kind as char),
                ))?;
            } else if !in_media && kind == b'r' && rank < 7 {
                p.report(Fail::new(
                    ErrorKind::LineOrder,
                    &l.text[..1],
                    "\"r=\" line must follow a \"t=\" line (RFC 8866 §5.10)".into(),
                ))?;
            }
            let once = match kind {
                b'i' | b'k' => true,
                b'u' | b'c' | b'z' => !in_media,
                _ => false,
            };
            let bit = 1u32 << (kind - b'a');
            if once && once_seen & bit != 0 {
                p.report(Fail::new(
                    ErrorKind::LineOrder,
                    &l.text[..1],
                    format!("more than one \"{}=\" line in this section", kind as char),
                ))?;
            }
            once_seen |= bit;
            rank = rank.max(r);
            if kind == b't' {
                rank = 7;
            }
        }

        let parsed: Result<Line<&'a str>, Fail<'a>> = match kind {
            b'c' => Connection::parse(
                value,
                [
                    "connection nettype",
                    "connection addrtype",
                    "connection connection-address",
                ],
            )
            .map(Line::Connection),
            b'b' => Bandwidth::parse(value).map(Line::Bandwidth),
            b't' => {
                seen_t |= !in_media;
                Timing::parse(value).map(Line::Timing)
            }
            b'i' => Ok(Line::Information(value)),
            b'u' => Ok(Line::Uri(value)),
            b'e' => Ok(Line::Email(value)),
            b'p' => Ok(Line::Phone(value)),
            b'r' => Ok(Line::Repeat(value)),
            b'z' => Ok(Line::TimeZones(value)),
            b'k' => Ok(Line::Key(value)),
            _ => match l.text.chars().next() {
                Some(kind) => Ok(Line::Unknown { kind, value }),
                None => Ok(Line::Malformed(l.text)),
            },
        };
        let line = match parsed {
            Ok(line) => line,
            Err(f) => {
                p.report(f)?;
                Line::Malformed(l.text)
            }
        };
        cur.push(line);
    }
    match cur_media {
        Some(m) => media.push(MediaDescription {
            media_line: m,
            lines: cur,
        }),
        None => session_lines = cur,
    }

    if cut_cr {
        final_line_ending = true;
        p.warn(cut_crlf(input, line_ending));
    }

    if !seen_t {
        p.line_no += 1;
        p.line_start = input.len();
        p.report(missing_timing(crate::text::end(input)))?;
    }

    Ok(Parsed {
        description: SessionDescription {
            origin,
            session_name,
            lines: session_lines,
            media,
            line_ending,
            final_line_ending,
            trailing_whitespace,
        },
        warnings: p.warnings,
    })
}

/// Parses the lines from `pos` on with [`common_attribute`] while it takes
/// them: the position after the last one taken and how many it took. Out of
/// line, so that the tight loop over runs of such lines (a codec's `rtpmap`,
/// `rtcp-fb` and `fmtp` lines) keeps its state in registers.
#[inline(never)]
fn common_attributes<'a>(
    input: &'a str,
    mut pos: usize,
    ending: LineEnding,
    out: &mut Vec<Line<&'a str>>,
) -> (usize, usize) {
    let mut taken = 0;
    while let Some(len) = input
        .get(pos..)
        .and_then(|rest| common_attribute(rest, ending, out))
    {
        pos += len;
        taken += 1;
    }
    (pos, taken)
}

/// An `a=rtcp-fb`, `a=rtpmap`, `a=fmtp`, `a=extmap` or `a=ssrc` line at the start of
/// `rest` in the common form its fast path takes (or any other `a=` line that
/// parses, see [`other_attribute`]), ending with the first line's ending: the line and
/// its length with the ending. `None` for anything else, which the general
/// path parses (and words the errors and warnings of).
#[inline]
fn common_attribute<'a>(
    rest: &'a str,
    ending: LineEnding,
    out: &mut Vec<Line<&'a str>>,
) -> Option<usize> {
    let b = rest.as_bytes();
    if b.starts_with(b"a=rtcp-fb:") {
        let (pt, feedback, params, n) = RtcpFb::parse_prefix(rest.get(10..)?)?;
        let len = ending_after(b, 10 + n, ending)?;
        push_rtcp_fb(out, pt, feedback, params)?;
        Some(len)
    } else if b.starts_with(b"a=rtpmap:") {
        let (pt, name, clock, params, n) = Rtpmap::parse_prefix(rest.get(9..)?)?;
        let len = ending_after(b, 9 + n, ending)?;
        push_rtpmap(out, pt, name, clock, params)?;
        Some(len)
    } else if b.starts_with(b"a=fmtp:") {
        // `<format> <parameters>`: a token, one space, and the rest of the
        // line as written.
        let f = b.get(7..)?;
        let n = crate::text::token_len(f);
        if n == 0 || f.get(n) != Some(&b' ') {
            return None;
        }
        let params = 7 + n + 1;
        let nl = params + crate::text::find_byte(b.get(params..)?, b'\n')?;
        let (end, len) = value_end(b, nl, ending)?;
        push_fmtp(out, rest.get(7..7 + n)?, rest.get(params..end)?)?;
        Some(len)
    } else if b.starts_with(b"a=extmap:") {
        // `<id> <URI>` without direction or extension attributes.
        let e = b.get(9..)?;
        let (id, n) = crate::text::leading_number(e, 5)?;
        if e.get(n) != Some(&b' ') {
            return None;
        }
        let id = u16::try_from(id).ok()?;
        let uri = 9 + n + 1;
        let stop = uri + crate::text::find_byte2(b.get(uri..)?, b' ', b'\n')?;
        if b[stop] != b'\n' {
            return None;
        }
        let (end, len) = value_end(b, stop, ending)?;
        if end == uri {
            return None;
        }
        push_extmap(out, id, rest.get(uri..end)?)?;
        Some(len)
    } else if b.starts_with(b"a=ssrc:") {
        // `<ssrc> <attribute>[:<value>]`.
        let d = b.get(7..)?;
        let (ssrc, n) = crate::text::leading_number(d, 10)?;
        if d.get(n) != Some(&b' ') {
            return None;
        }
        let ssrc = u32::try_from(ssrc).ok()?;
        let name = 7 + n + 1;
        let m = crate::text::token_len(b.get(name..)?);
        if m == 0 {
            return None;
        }
        let colon = name + m;
        let (value, len) = if *b.get(colon)? == b':' {
            let nl = colon + 1 + crate::text::find_byte(b.get(colon + 1..)?, b'\n')?;
            let (end, len) = value_end(b, nl, ending)?;
            (Some(rest.get(colon + 1..end)?), len)
        } else {
            (None, ending_after(b, colon, ending)?)
        };
        push_ssrc(out, ssrc, rest.get(name..colon)?, value)?;
        Some(len)
    } else if b.starts_with(b"a=") {
        other_attribute(rest, ending, out)
    } else {
        None
    }
}

/// The length of the line whose value ends at `end`, when the first line's
/// ending follows right there.
#[inline(always)]
fn ending_after(b: &[u8], end: usize, ending: LineEnding) -> Option<usize> {
    match (b.get(end), ending) {
        (Some(b'\n'), LineEnding::Lf) => Some(end + 1),
        (Some(b'\r'), LineEnding::CrLf) if b.get(end + 1) == Some(&b'\n') => Some(end + 2),
        _ => None,
    }
}

// The fast path's pushes: out of line, with the value's parts in registers.
// Built where several attribute kinds meet, a value would be assembled on the
// stack field by field and copied into the vector in wider loads that wait
// for those stores; here each value is written straight into its place. The
// vectors are sized from a count of the lines, so they have room, and saying
// so drops the call that would grow them (around which the value would be
// kept on the stack again): without room they take nothing and the general
// path takes the line.

/// Whether `out` has room for one more line.
#[inline(always)]
fn room(out: &Vec<Line<&str>>) -> Option<()> {
    (out.len() < out.capacity()).then_some(())
}

#[inline(never)]
fn push_rtcp_fb<'a>(
    out: &mut Vec<Line<&'a str>>,
    pt: u8,
    feedback: crate::rtp::KnownFeedback,
    params: Option<&'a str>,
) -> Option<()> {
    room(out)?;
    out.push(Line::Attribute(Attribute::RtcpFb(RtcpFb::from_parts(
        pt, feedback, params,
    ))));
    Some(())
}

#[inline(never)]
fn push_rtpmap<'a>(
    out: &mut Vec<Line<&'a str>>,
    pt: u8,
    name: &'a str,
    clock: u32,
    params: Option<&'a str>,
) -> Option<()> {
    room(out)?;
    out.push(Line::Attribute(Attribute::Rtpmap(Rtpmap::from_parts(
        pt, name, clock, params,
    ))));
    Some(())
}

#[inline(never)]
fn push_fmtp<'a>(out: &mut Vec<Line<&'a str>>, format: &'a str, params: &'a str) -> Option<()> {
    room(out)?;
    out.push(Line::Attribute(Attribute::Fmtp(Fmtp { format, params })));
    Some(())
}

#[inline(never)]
fn push_extmap<'a>(out: &mut Vec<Line<&'a str>>, id: u16, uri: &'a str) -> Option<()> {
    room(out)?;
    out.push(Line::Attribute(Attribute::Extmap(Extmap {
        id,
        direction: None,
        uri,
        attributes: None,
    })));
    Some(())
}

#[inline(never)]
fn push_ssrc<'a>(
    out: &mut Vec<Line<&'a str>>,
    ssrc: u32,
    attribute: &'a str,
    value: Option<&'a str>,
) -> Option<()> {
    room(out)?;
    out.push(Line::Attribute(Attribute::Ssrc(Ssrc {
        ssrc,
        attribute,
        value,
    })));
    Some(())
}

/// Any other `a=` line at the start of `rest` that parses as it is and ends
/// with the first line's ending; the general path handles (and reports) the
/// rest.
#[inline(never)]
fn other_attribute<'a>(
    rest: &'a str,
    ending: LineEnding,
    out: &mut Vec<Line<&'a str>>,
) -> Option<usize> {
    let b = rest.as_bytes();
    let nl = crate::text::find_byte(b, b'\n')?;
    let (end, len) = value_end(b, nl, ending)?;
    let value = rest.get(2..end)?;
    // A placeholder first, which the parse overwrites in place (see `Fill`).
    room(out)?;
    out.push(Line::Malformed(""));
    let slot = out.last_mut()?;
    if Attribute::parse_with(value, Fill(slot)).is_err() {
        out.pop();
        return None;
    }
    Some(len)
}

/// Writes an attribute over the placeholder line pushed for it, from each
/// kind's own branch of the parse.
struct Fill<'v, 'a>(&'v mut Line<&'a str>);

impl<'a> crate::attribute::Put<'a> for Fill<'_, 'a> {
    type Out = ();
    #[inline(always)]
    fn put(self, a: Attribute<&'a str>) {
        // A parsed line has nothing to drop: the placeholder is overwritten.
        *self.0 = Line::Attribute(a);
    }
}

/// For the `\n` at `nl` ending a line whose value starts before it: where the
/// value ends and the length of the line with its ending, when the ending is
/// the first line's and no stray CR comes before it.
#[inline]
fn value_end(b: &[u8], nl: usize, ending: LineEnding) -> Option<(usize, usize)> {
    let cr = nl > 0 && b[nl - 1] == b'\r';
    let end = match (ending, cr) {
        (LineEnding::CrLf, true) => nl - 1,
        (LineEnding::Lf, false) => nl,
        _ => return None,
    };
    // A CR before the ending (`\r\r\n`) is not part of the value: the
    // general path strips it and warns.
    if end > 0 && b[end - 1] == b'\r' {
        return None;
    }
    Some((end, nl + 1))
}

/// Strips the spaces and tabs that end `text` (a line or a line's value),
/// recording them under the current line for the writer.
///
/// RFC 8866 §9's grammar has no whitespace at the end of `v=`, `o=`, `c=`,
/// `b=`, `t=`, `m=` or of a typed `a=` value, but SIP phones (`v=0 ` on every
/// line), pion and mediasoup (`a=rtcp-fb:96 nack `) emit it. Strict parsing
/// reports it; lenient parsing warns and reads the value without it, so the
/// line keeps its typed value instead of becoming [`Line::Malformed`] (or, for
/// `v=`, `o=` and `m=`, stopping the parse).
#[inline]
fn trim_trailing<'a>(
    p: &mut Parser<'a>,
    found: &mut Vec<(usize, &'a str)>,
    text: &'a str,
) -> Result<&'a str, Diagnostic> {
    if !text.ends_with([' ', '\t']) {
        return Ok(text);
    }
    trim_trailing_cold(p, found, text)
}

#[cold]
#[inline(never)]
fn trim_trailing_cold<'a>(
    p: &mut Parser<'a>,
    found: &mut Vec<(usize, &'a str)>,
    text: &'a str,
) -> Result<&'a str, Diagnostic> {
    let trimmed = text.trim_end_matches([' ', '\t']);
    let ws = &text[trimmed.len()..];
    p.report(Fail::new(
        ErrorKind::TrailingWhitespace,
        ws,
        "whitespace at the end of the line (RFC 8866 §9 allows none here)".into(),
    ))?;
    found.push((p.line_no - 1, ws));
    Ok(trimmed)
}

/// An attribute value that its grammar rejects only because of whitespace at
/// its end: the attribute without it ([`trim_trailing`] records and reports
/// the whitespace). `None` when the value does not end in whitespace or is
/// malformed without it too, so that the caller reports the first error.
///
/// Values whose grammar allows trailing spaces (RFC 8866 §9 `byte-string`:
/// unknown attributes, `a=ssrc` attribute values, `a=tool`) parse before
/// this is tried, so they get no warning.
#[cold]
#[inline(never)]
fn attribute_without_trailing<'a>(
    p: &mut Parser<'a>,
    found: &mut Vec<(usize, &'a str)>,
    value: &'a str,
) -> Result<Option<Attribute<&'a str>>, Diagnostic> {
    let trimmed = value.trim_end_matches([' ', '\t']);
    if trimmed.len() == value.len() {
        return Ok(None);
    }
    match Attribute::parse(trimmed) {
        Ok(a) => {
            trim_trailing(p, found, value)?;
            Ok(Some(a))
        }
        Err(_) => Ok(None),
    }
}

/// The warning for a line that ends differently from the first one.
#[cold]
#[inline(never)]
fn mixed_endings(e: LineEnding, first: LineEnding, text: &str) -> Fail<'_> {
    Fail::new(
        ErrorKind::MixedLineEndings,
        crate::text::end(text),
        format!(
            "line ends with {} but the first line with {}; writing uses the first",
            ending_name(e),
            ending_name(first)
        ),
    )
}

/// The warning for CRs before a line's CRLF (`\r\r\n`) or a CR that ends the input.
#[cold]
#[inline(never)]
fn stray_cr(text: &str) -> Fail<'_> {
    Fail::new(
        ErrorKind::MixedLineEndings,
        crate::text::end(text),
        "line ends with more than one CR: the extra CR is not part of the value (RFC 8866 §9); writing uses the first line's ending".into(),
    )
}

/// The warning for a CR at the very end of the input (a CRLF cut short).
#[cold]
#[inline(never)]
fn cut_crlf(input: &str, first: LineEnding) -> Fail<'_> {
    Fail::new(
        ErrorKind::MixedLineEndings,
        &input[input.len() - 1..],
        format!(
            "the last line ends with a bare CR (a CRLF cut short) but the first line with {}; writing uses the first",
            ending_name(first)
        ),
    )
}

/// The most lines a section's vector has room for from the start: more than
/// a WebRTC section has, little enough (22 KiB) that descriptions with many
/// sections do not ask the allocator for room for all their lines again and
/// again.
const SECTION_ROOM: usize = 256;

/// Number of lines in `b` (newlines, plus an unterminated last line), by
/// `bytecount`, which counts a vector register of bytes in a few
/// instructions (`memchr`'s count takes about twice as many).
fn count_lines(b: &[u8]) -> usize {
    bytecount::count(b, b'\n') + usize::from(b.last().is_some_and(|&c| c != b'\n'))
}

fn ending_name(e: LineEnding) -> &'static str {
    match e {
        LineEnding::CrLf => "CRLF",
        LineEnding::Lf => "a bare LF",
    }
}

/// Decodes bytes as UTF-8, reporting the first invalid byte by line and column.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, Diagnostic> {
    core::str::from_utf8(bytes).map_err(|e| {
        let off = e.valid_up_to();
        let before = &bytes[..off];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Diagnostic {
            kind: ErrorKind::InvalidUtf8,
            severity: Severity::Error,
            line,
            column: off - line_start + 1,
            span: off..off + e.error_len().unwrap_or(bytes.len() - off),
            message: String::from("invalid UTF-8"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::common_attribute;
    use crate::attribute::Attribute;
    use crate::lines::{Line, LineEnding};
    use alloc::format;
    use alloc::vec::Vec;

    /// The line-bounded fast path takes exactly what the general path parses
    /// to the same value, and only when the line ends with the first line's
    /// ending right after the value.
    #[test]
    fn common_attribute_matches_general_path() {
        let values = [
            "rtcp-fb:96 nack",
            "rtcp-fb:96 nack pli",
            "rtcp-fb:127 goog-remb",
            "rtcp-fb:111 transport-cc",
            "rtcp-fb:96 ccm fir",
            "rtcp-fb:96 ack rpsi",
            "rtcp-fb:96 ccm",
            "rtcp-fb:96 goog-remb x",
            "rtcp-fb:96 nack pli x",
            "rtcp-fb:96 nack ",
            "rtcp-fb:96 nackx",
            "rtcp-fb:* nack",
            "rtcp-fb:128 nack",
            "rtcp-fb:96 trr-int 100",
            "rtpmap:111 opus/48000/2",
            "rtpmap:0 PCMU/8000",
            "rtpmap:96 VP8/90000 ",
            "rtpmap:96 VP8/90000/",
            "rtpmap:96 opus/48000/2/3",
            "rtpmap:96 VP8/090000",
            "rtpmap:96 VP8/4294967296",
            "rtpmap:96 VP8/12345678901",
            "rtpmap:96 VP8",
            "rtpmap:96 H264/90000/x-y",
            "rtpmap:96 V P8/90000",
            "rtpmap:01 x/1",
            "fmtp:111 minptime=10;useinbandfec=1",
            "fmtp:97 apt=96",
            "fmtp:97 ",
            "fmtp:97",
            "fmtp:9 7 x",
            "fmtp:* x",
            "extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "extmap:14 urn:ietf:params:rtp-hdrext:toffset",
            "extmap:65535 x",
            "extmap:65536 x",
            "extmap:01 x",
            "extmap:0 x",
            "extmap:1/sendonly x",
            "extmap:1 x attr",
            "extmap:1 x ",
            "extmap:1 ",
            "extmap:1",
            "ssrc:1101343220 cname:z6rTFONmu+SE8lbp",
            "ssrc:4294967295 msid:a b",
            "ssrc:1 x:",
            "ssrc:1 x: ",
            "ssrc:1 x",
            "ssrc:4294967296 x",
            "ssrc:01 x",
            "ssrc:1 x y",
            "ssrc:1  x",
            "ssrc:1 :x",
            "ssrc:1",
            "ssrc:1 ",
            "mid:0",
            "sendrecv",
            "sendrecv:x",
            "setup:actpass",
            "setup:bogus",
            "fingerprint:sha-256 AB:CD",
            "candidate:1 1 udp 2122260223 192.0.2.1 9 typ host",
            "x-foo",
            "x-foo:bar baz ",
            "ice-ufrag:",
            "",
        ];
        let own = ["rtcp-fb:", "rtpmap:", "fmtp:", "extmap:", "ssrc:"];
        let mut taken = [0; 5];
        for v in values {
            for (first, ending) in [
                (LineEnding::CrLf, "\r\n"),
                (LineEnding::Lf, "\n"),
                (LineEnding::CrLf, "\n"),
                (LineEnding::Lf, "\r\n"),
                (LineEnding::CrLf, "\r"),
                (LineEnding::CrLf, "\r\r\n"),
                (LineEnding::Lf, "\r\r\n"),
                (LineEnding::CrLf, ""),
            ] {
                let text = format!("a={v}{ending}a=mid:1\r\n");
                // The first line as the general path splits it.
                let nl = text.find('\n').unwrap();
                let end = text[..nl].trim_end_matches('\r').len();
                let general = Attribute::parse(&text[2..end]).ok().map(Line::Attribute);
                // Without room in the vector the five take nothing (the
                // general path grows it).
                if own.iter().any(|n| v.starts_with(n)) {
                    let mut full = Vec::new();
                    assert_eq!(common_attribute(&text, first, &mut full), None, "{v:?}");
                }
                let mut out = Vec::with_capacity(1);
                let fast = common_attribute(&text, first, &mut out);
                // A line is pushed exactly when the fast path takes it.
                assert_eq!(out.len(), usize::from(fast.is_some()), "{v:?} {ending:?}");
                let fast = fast.map(|len| (out.pop(), len));
                // With the first line's ending right after the value, the
                // fast path takes every attribute that parses, except the
                // uncommon forms of the five it parses itself.
                if ending == first.as_str() && general.is_some() && fast.is_none() {
                    assert!(own.iter().any(|n| v.starts_with(n)), "{v:?}");
                }
                if let Some((line, len)) = fast {
                    assert_eq!(line, general, "{v:?} {ending:?}");
                    assert_eq!(&text[end..=nl], first.as_str(), "{v:?} {ending:?}");
                    assert_eq!(len, nl + 1, "{v:?} {ending:?}");
                    if let Some(i) = own.iter().position(|n| v.starts_with(n)) {
                        taken[i] += 1;
                    }
                }
            }
        }
        // Each of the five takes its common forms.
        assert!(taken.iter().all(|&n| n > 0), "{taken:?}");
    }

    /// The general path's reading of the first line of `text`: the
    /// attribute (if it parses) and where the next line starts.
    fn general(text: &str) -> (Option<Line<&str>>, usize) {
        let nl = text.find('\n').unwrap_or(text.len());
        let end = text[..nl].trim_end_matches('\r').len();
        let line = text[..end]
            .strip_prefix("a=")
            .and_then(|v| Attribute::parse(v).ok())
            .map(Line::Attribute);
        (line, nl + 1)
    }

    proptest::proptest! {
        /// Whatever the fast path takes, the general path reads the same way.
        #[test]
        fn common_attribute_agrees_on_random_lines(
            seed in proptest::sample::select(&[
                "a=rtcp-fb:96 nack pli",
                "a=rtcp-fb:127 goog-remb",
                "a=rtcp-fb:96 ccm fir",
                "a=rtpmap:111 opus/48000/2",
                "a=rtpmap:96 VP8/90000",
                "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset",
                "a=ssrc:1101343220 cname:z6rTFONmu+SE8lbp",
                "a=ssrc:1 x",
                "a=rtcp:9",
                "a=mid:0",
                "a=setup:actpass",
                "a=x-foo:bar",
            ][..]),
            cut in 0usize..48,
            tail in "([0-9a-z/:* \\r\\n~=;.-]{0,4})?",
            crlf in proptest::bool::ANY,
        ) {
            let value = format!("{}{tail}", &seed[..cut.min(seed.len())]);
            let first = if crlf { LineEnding::CrLf } else { LineEnding::Lf };
            let text = format!("{value}\r\na=mid:1\n");
            let mut out = Vec::with_capacity(1);
            if let Some(len) = common_attribute(&text, first, &mut out) {
                let (line, next) = general(&text);
                proptest::prop_assert_eq!(out.pop(), line);
                proptest::prop_assert_eq!(len, next);
                let ending = &text[text[..len - 1].trim_end_matches('\r').len()..len];
                proptest::prop_assert_eq!(ending, first.as_str());
            } else {
                proptest::prop_assert!(out.is_empty());
            }
        }
    }
}
