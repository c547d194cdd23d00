//! Descriptions that are not UTF-8.
//!
//! RFC 8866 §6.10: `a=charset` at session level names the character set of the
//! `s=`, `i=` and text attribute values; without it they are UTF-8. Old SIP phones
//! and RTSP cameras write ISO-8859-1 names (`s=Sesi\xf3n`). Such input is read
//! through a UTF-8 copy, so the description owns its strings and writes UTF-8; the
//! positions of diagnostics are mapped back to the input's bytes.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Diagnostic, Severity};
use crate::parser::{self, Mode, Parsed};

/// Parses `input`, which is not valid UTF-8 (`invalid` says where): decoded as ISO-8859-1 when a session-level
/// `a=charset` declares it (in either mode), otherwise, in lenient mode only, with each
/// invalid sequence read as U+FFFD and an [`crate::ErrorKind::InvalidUtf8`] warning.
pub(crate) fn parse_non_utf8(
    input: &[u8],
    invalid: Diagnostic,
    mode: Mode,
) -> Result<Parsed<String>, Diagnostic> {
    let latin1 = declares_latin1(input);
    if !latin1 && mode == Mode::Strict {
        return Err(invalid);
    }
    let copy = if latin1 {
        Copy::latin1(input)
    } else {
        Copy::lossy(input)
    };
    let parsed = parser::parse(&copy.text, mode).map_err(|d| copy.relocate(d, input))?;
    let mut warnings: Vec<Diagnostic> = parsed
        .warnings
        .into_iter()
        .map(|d| copy.relocate(d, input))
        .collect();
    if !latin1 {
        let at = warnings.partition_point(|w| w.span.start <= invalid.span.start);
        warnings.insert(
            at,
            Diagnostic {
                severity: Severity::Warning,
                message: String::from(
                    "invalid UTF-8 and no a=charset:ISO-8859-1 (RFC 8866 §6.10): read as U+FFFD; writing gives UTF-8",
                ),
                ..invalid
            },
        );
    }
    Ok(Parsed {
        description: parsed.description.into_owned(),
        warnings,
    })
}

/// Whether a session-level `a=charset` (before the first `m=`) names ISO-8859-1 under one
/// of its IANA names.
fn declares_latin1(input: &[u8]) -> bool {
    for line in input.split(|&b| b == b'\n') {
        if line.starts_with(b"m=") {
            return false;
        }
        let Some(value) = line.strip_prefix(b"a=charset:") else {
            continue;
        };
        let value = value.trim_ascii();
        return [
            &b"ISO-8859-1"[..],
            b"ISO_8859-1",
            b"ISO8859-1",
            b"latin1",
            b"l1",
            b"IBM819",
            b"CP819",
            b"csISOLatin1",
        ]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(value));
    }
    false
}

/// A UTF-8 copy of the input, with where its characters grew.
struct Copy {
    text: String,
    /// For each character written with more bytes than it had in the input:
    /// `(start in text, end in text, start in input, end in input)`, in order.
    grown: Vec<(usize, usize, usize, usize)>,
}

impl Copy {
    /// ISO-8859-1: every byte is the code point of the same value.
    fn latin1(input: &[u8]) -> Self {
        let mut c = Self {
            text: String::with_capacity(input.len() + input.len() / 8),
            grown: Vec::new(),
        };
        for (i, &b) in input.iter().enumerate() {
            let start = c.text.len();
            c.text.push(char::from(b));
            if b >= 0x80 {
                c.grown.push((start, c.text.len(), i, i + 1));
            }
        }
        c
    }

    /// UTF-8 with each invalid sequence as U+FFFD.
    fn lossy(input: &[u8]) -> Self {
        let mut c = Self {
            text: String::with_capacity(input.len() + 8),
            grown: Vec::new(),
        };
        let mut at = 0;
        for chunk in input.utf8_chunks() {
            c.text.push_str(chunk.valid());
            at += chunk.valid().len();
            let bad = chunk.invalid().len();
            if bad > 0 {
                let start = c.text.len();
                c.text.push(char::REPLACEMENT_CHARACTER);
                c.grown.push((start, c.text.len(), at, at + bad));
                at += bad;
            }
        }
        c
    }

    /// The input offset of `offset` in the copy (a position inside a character that grew
    /// maps to that character's start).
    fn input_offset(&self, offset: usize) -> usize {
        let done = self.grown.partition_point(|g| g.1 <= offset);
        if let Some(&(start, _, in_start, _)) = self.grown.get(done) {
            if start < offset {
                return in_start;
            }
        }
        match done.checked_sub(1).map(|i| self.grown[i]) {
            Some((_, end, _, in_end)) => offset - end + in_end,
            None => offset,
        }
    }

    /// `d` with its span and column in terms of `input` (lines are the same in both).
    fn relocate(&self, mut d: Diagnostic, input: &[u8]) -> Diagnostic {
        let start = self.input_offset(d.span.start).min(input.len());
        let end = self.input_offset(d.span.end).clamp(start, input.len());
        let line_start = input[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        d.span = start..end;
        d.column = start - line_start + 1;
        d
    }
}

#[cfg(test)]
mod tests {
    use super::Copy;

    #[test]
    fn offsets_map_back_across_grown_characters() {
        let input = b"s=Sesi\xf3n\r\ni=\xe9t\xe9\r\n";
        let c = Copy::latin1(input);
        assert_eq!(c.text, "s=Sesión\r\ni=été\r\n");
        // 'n' after ó: text offset 8, input offset 7.
        assert_eq!(c.input_offset(8), 7);
        // Inside ó (its second byte) maps to its start.
        assert_eq!(c.input_offset(7), 6);
        assert_eq!(c.input_offset(c.text.len()), input.len());
        let c = Copy::lossy(b"s=a\xff\xfeb");
        assert_eq!(c.text, "s=a\u{fffd}\u{fffd}b");
        assert_eq!(c.input_offset(c.text.len() - 1), 5);
    }
}
