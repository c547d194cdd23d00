//! Errors and warnings of the SDP parser.
//!
//! Every [`Diagnostic`] says *where*: 1-based line and column (columns count
//! bytes, SDP being ASCII in practice), the byte span in the input, and a
//! message that names the field and what was expected, e.g.
//! `line 14, column 22: rtpmap clock rate "9000x" is not a number`.
//! The library only returns positions; rendering a snippet is left to callers
//! (the `sdp-inspect` CLI prints the source line and a caret).

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use core::ops::Range;

/// What went wrong, independent of where.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ErrorKind {
    /// The input is not valid UTF-8.
    InvalidUtf8,
    /// The input is empty.
    Empty,
    /// A line is not of the form `<type>=<value>` (RFC 8866 §5).
    LineSyntax,
    /// A line type letter this parser does not know (kept raw).
    UnknownLineType,
    /// A line appears where RFC 8866 §5 does not allow it (order or repetition).
    LineOrder,
    /// A mandatory line (`v=`, `o=`, `s=`, `t=`) is missing.
    MissingLine,
    /// A mandatory field of a line or attribute is missing.
    MissingField,
    /// A field that must be a decimal number is not one.
    InvalidNumber,
    /// A number is outside the range its field allows.
    OutOfRange,
    /// A field has a value outside its grammar.
    InvalidValue,
    /// A value follows a field that takes none, or extra fields follow the last one.
    TrailingData,
    /// Lines end differently (`CRLF` vs bare `LF`) within one description.
    MixedLineEndings,
    /// Spaces or tabs end a line whose grammar has none there (RFC 8866 §9
    /// has no trailing whitespace). SIP phones and pion emit them, so lenient
    /// parsing reads the value without them and the writer puts them back.
    TrailingWhitespace,
    /// `s=` is empty. RFC 8866 §5.3 forbids it (`s=-` or `s= ` instead), yet
    /// the examples of RFC 3264 §10, RFC 8839 and RFC 8843 and older SIP
    /// stacks write it, so it is told apart from other invalid values.
    EmptySessionName,
}

/// Whether a diagnostic stops strict parsing or is a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// The description is still usable; lenient parsing kept going.
    Warning,
    /// The description violates the grammar; strict parsing stopped here.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// A parse error or warning with its location in the input: the error type of strict parsing
/// (severity error) and each warning of lenient parsing. One type serves both because a
/// warning of lenient parsing is exactly the error strict parsing stops at; it is the
/// crate's error type, as `StunError`, `RtpError` and `IceError` are theirs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[error("line {line}, column {column}: {message}")]
pub struct Diagnostic {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Error (strict parsing stops) or warning (lenient parsing went on).
    pub severity: Severity,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column (in bytes) of the offending text.
    pub column: usize,
    /// Byte range of the offending text in the input.
    pub span: Range<usize>,
    /// Human-readable message naming the field and what was expected.
    pub message: String,
}

/// An error found while parsing one line, before it is given a position.
///
/// Boxed so that the parsers' `Result`s stay small on the success path (the
/// box is only allocated when there is an error).
#[derive(Debug)]
pub(crate) struct Fail<'a>(pub(crate) Box<FailInner<'a>>);

#[derive(Debug)]
pub(crate) struct FailInner<'a> {
    pub(crate) kind: ErrorKind,
    /// The offending text: always a sub-slice of the parser's input, so that
    /// its position can be computed from its address.
    pub(crate) at: &'a str,
    pub(crate) message: String,
}

pub(crate) type PResult<'a, T> = Result<T, Fail<'a>>;

impl<'a> Fail<'a> {
    #[cold]
    pub(crate) fn new(kind: ErrorKind, at: &'a str, message: String) -> Self {
        Self(Box::new(FailInner { kind, at, message }))
    }
}
