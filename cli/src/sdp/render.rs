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

/// [`one_line`] followed by the source line and a caret under the span.
pub(super) fn report(
    out: &mut dyn Write,
    style: Style,
    file: &str,
    text: &str,
    r: &Report,
) -> io::Result<()> {
    one_line(out, style, file, r)?;
    let Some(src) = text.split('\n').nth(r.line.saturating_sub(1)) else {
        return Ok(());
    };
    let src = src.strip_suffix('\r').unwrap_or(src);
    let num = r.line.to_string();
    let pad = " ".repeat(num.len());
    writeln!(out, " {} {} {src}", style.cyan(&num), style.cyan("|"))?;
    let col = r.column.max(1);
    let avail = src.len().saturating_sub(col - 1);
    let width = r.len.min(avail).max(1);
    let caret = format!("{}{}", " ".repeat(col - 1), "^".repeat(width));
    let caret = match r.severity {
        Severity::Error => style.paint("1;31", &caret),
        Severity::Warning => style.paint("1;33", &caret),
    };
    writeln!(out, " {pad} {} {caret}", style.cyan("|"))
}
