//! Terminal rendering: colours (only on a terminal, never with `NO_COLOR`)
//! and `FILE:LINE:COL` diagnostics with the source line and a caret.

use std::io::{self, Write};

use sdp_parse::Severity;

use super::Report;

/// Whether to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emit ANSI colour codes.
    pub color: bool,
}

impl Style {
    /// Colour when writing to a terminal and `NO_COLOR` is unset or empty
    /// (<https://no-color.org>).
    #[must_use]
    pub fn detect(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: is_terminal && !no_color,
        }
    }

    /// No colour.
    #[must_use]
    pub const fn plain() -> Self {
        Self { color: false }
    }

    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    pub(super) fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }

    pub(super) fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }

    pub(super) fn cyan(self, s: &str) -> String {
        self.paint("36", s)
    }

    pub(super) fn green(self, s: &str) -> String {
        self.paint("32", s)
    }

    fn severity(self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        }
    }
}

/// `FILE:LINE:COL: severity: message [rule, RFC]` on one line.
pub(super) fn one_line(
    out: &mut dyn Write,
    style: Style,
    file: &str,
    r: &Report,
) -> io::Result<()> {
    writeln!(
        out,
        "{}: {}: {} {}",
        style.bold(&format!("{file}:{}:{}", r.line, r.column)),
        style.severity(r.severity),
        r.message,
        style.dim(&format!("[{}, {}]", r.rule, r.rfc)),
    )
}

/// The lines of one input, split once so that each diagnostic finds its line in O(1).
#[derive(Debug)]
pub(super) struct SourceLines<'a>(Vec<&'a str>);

impl<'a> SourceLines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self(text.split('\n').collect())
    }

    fn line(&self, number: usize) -> Option<&'a str> {
        let src = *self.0.get(number.checked_sub(1)?)?;
        Some(src.strip_suffix('\r').unwrap_or(src))
    }
}

/// How much of a long source line is echoed around the column (bytes each side).
const CONTEXT: usize = 60;

/// [`one_line`] followed by the source line and a caret under the span. A line longer than
/// `2 * CONTEXT` bytes is cut to a window around the column, marked with `...`, so that a
/// hostile input cannot make the output quadratic in its size.
pub(super) fn report(
    out: &mut dyn Write,
    style: Style,
    file: &str,
    lines: &SourceLines<'_>,
    r: &Report,
) -> io::Result<()> {
    one_line(out, style, file, r)?;
    let Some(src) = lines.line(r.line) else {
        return Ok(());
    };
    let col = r.column.max(1).min(src.len() + 1);
    let (mut start, mut end) = (0, src.len());
    if src.len() > 2 * CONTEXT {
        start = (col - 1).saturating_sub(CONTEXT);
        end = (col - 1 + CONTEXT).min(src.len());
        while !src.is_char_boundary(start) {
            start -= 1;
        }
        while !src.is_char_boundary(end) {
            end += 1;
        }
    }
    let before = if start > 0 { "..." } else { "" };
    let after = if end < src.len() { "..." } else { "" };
    let num = r.line.to_string();
    let pad = " ".repeat(num.len());
    writeln!(
        out,
        " {} {} {before}{}{after}",
        style.cyan(&num),
        style.cyan("|"),
        &src[start..end]
    )?;
    let offset = before.len() + (col - 1 - start);
    let width = r.len.min(end.saturating_sub(col - 1)).max(1);
    let caret = format!("{}{}", " ".repeat(offset), "^".repeat(width));
    let caret = match r.severity {
        Severity::Error => style.paint("1;31", &caret),
        Severity::Warning => style.paint("1;33", &caret),
    };
    writeln!(out, " {pad} {} {caret}", style.cyan("|"))
}
