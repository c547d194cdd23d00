//! `sdp-inspect`: summarise, check and rewrite SDP files.
//!
//! The binary in `src/bin/sdp-inspect.rs` only calls [`main`]; everything it
//! does lives here so that it can be tested.

mod redact;
mod render;
mod summary;

pub use redact::redact;

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sdp_parse::check::{self, Finding, Role};
use sdp_parse::{Diagnostic, ErrorKind, SessionDescription, Severity};
use serde_json::{json, Value};

/// The strings of a description read from bytes: borrowed when they are
/// UTF-8, owned when they were decoded (`SessionDescription::parse_bytes`).
pub(crate) type Sdp<'a> = std::borrow::Cow<'a, str>;

pub use render::Style;

const EXAMPLES: &str = "\
Examples:
  sdp-inspect offer.sdp                      summary: sections, codecs, ICE, DTLS, BUNDLE, SSRCs
  sdp-inspect --check offer.sdp              FILE:LINE:COL diagnostics; exit 1 on errors
  sdp-inspect --check offer.sdp --answer answer.sdp
                                             also check the answer against the offer
  sdp-inspect --json offer.sdp | jq '.media[0].codecs'
  sdp-inspect --redact offer.sdp             mask IPs, ufrag/pwd, fingerprints, CNAMEs, keys
  pbpaste | sdp-inspect -                    read standard input

Exit status: 0 clean, 1 errors found (with --strict, warnings too), 2 usage or I/O error.
Colour is used on a terminal unless NO_COLOR is set.";

/// Command-line arguments of `sdp-inspect`.
#[derive(Debug, Parser)]
#[command(
    name = "sdp-inspect",
    version,
    about = "Summarise, check and rewrite SDP (RFC 8866) session descriptions",
    after_help = EXAMPLES
)]
pub struct Args {
    /// SDP file to read, or `-` for standard input.
    pub file: PathBuf,
    /// Write the description back through the lossless writer.
    #[arg(long, conflicts_with_all = ["json", "check", "redact"])]
    pub print: bool,
    /// Print the description with addresses, ICE credentials, fingerprints, CNAMEs and SDES
    /// keys masked (stably: equal values get equal masks), for pasting into bug reports.
    #[arg(long, conflicts_with_all = ["json", "check"])]
    pub redact: bool,
    /// Print the parsed description and its diagnostics as JSON.
    #[arg(long, conflicts_with = "check")]
    pub json: bool,
    /// Check the grammar and the JSEP/WebRTC rules; print FILE:LINE:COL diagnostics.
    #[arg(long)]
    pub check: bool,
    /// With --check: fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// The answer to FILE (the offer): runs the offer/answer checks (implies --check).
    #[arg(long, value_name = "ANSWER", conflicts_with_all = ["json", "print", "redact"])]
    pub answer: Option<PathBuf>,
}

/// Runs `sdp-inspect` with the process arguments.
#[must_use]
pub fn main() -> ExitCode {
    let args = Args::parse();
    let style = Style::detect(io::stdout().is_terminal());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(&args, style, &mut out) {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`sdp-inspect f.sdp | head`): stop quietly, as Unix tools do.
        Err(Failure::OutputClosed) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            let _ = out.flush();
            eprintln!("sdp-inspect: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Why a run stopped before producing its output.
#[derive(Debug)]
pub enum Failure {
    /// Unreadable input or another usage problem (exit status 2).
    Usage(String),
    /// Standard output was closed by its reader.
    OutputClosed,
}

fn output_error(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::OutputClosed
    } else {
        Failure::Usage(format!("cannot write output: {e}"))
    }
}

struct Input {
    name: String,
    /// The bytes as read (parsed as they are, so invalid UTF-8 is reported).
    bytes: Vec<u8>,
    /// The text for showing source lines.
    text: String,
}

fn read_input(path: &PathBuf) -> Result<Input, Failure> {
    let mut bytes = Vec::new();
    let name = if path.as_os_str() == "-" {
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
        String::from("<stdin>")
    } else {
        bytes = std::fs::read(path)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
        path.display().to_string()
    };
    // Invalid UTF-8 is reported by the parser, at its position; the text is
    // only for showing source lines.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(Input { name, bytes, text })
}

/// A diagnostic to print: a parse diagnostic or a check finding.
struct Report {
    severity: Severity,
    line: usize,
    column: usize,
    len: usize,
    message: String,
    rule: String,
    rfc: &'static str,
}

fn parse_rule(kind: ErrorKind) -> String {
    let s = format!("{kind:?}");
    let mut out = String::from("sdp-");
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn from_diagnostic(d: &Diagnostic, src: &[u8]) -> Report {
    // Grammar violations are errors in a check even when lenient parsing went on.
    let severity = match d.kind {
        ErrorKind::UnknownLineType
        | ErrorKind::MixedLineEndings
        | ErrorKind::TrailingWhitespace
        | ErrorKind::EmptySessionName => Severity::Warning,
        _ => Severity::Error,
    };
    Report {
        severity,
        line: d.line,
        column: d.column,
        len: d.span.len(),
        message: d.message.clone(),
        rule: parse_rule(d.kind),
        rfc: grammar_rfc(d.kind, src, d.span.start),
    }
}

/// Where the grammar a diagnostic enforces is written: the line type's section of
/// RFC 8866, or the RFC that defines the attribute on the line holding byte `at`.
fn grammar_rfc(kind: ErrorKind, src: &[u8], at: usize) -> &'static str {
    match kind {
        ErrorKind::LineOrder
        | ErrorKind::MissingLine
        | ErrorKind::UnknownLineType
        | ErrorKind::MixedLineEndings
        | ErrorKind::Empty => return "RFC 8866 §5",
        ErrorKind::EmptySessionName => return "RFC 8866 §5.3",
        ErrorKind::TrailingWhitespace => return "RFC 8866 §9",
        ErrorKind::InvalidUtf8 => return "RFC 8866 §6.10",
        _ => {}
    }
    let at = at.min(src.len());
    let start = src[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = &src[start..];
    let line = &line[..line
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(line.len())];
    match line {
        [b'a', b'=', name @ ..] => {
            let name = &name[..name.iter().position(|&b| b == b':').unwrap_or(name.len())];
            attribute_rfc(name)
        }
        [b'v', b'=', ..] => "RFC 8866 §5.1",
        [b'o', b'=', ..] => "RFC 8866 §5.2",
        [b's', b'=', ..] => "RFC 8866 §5.3",
        [b'c', b'=', ..] => "RFC 8866 §5.7",
        [b'b', b'=', ..] => "RFC 8866 §5.8",
        [b't', b'=', ..] => "RFC 8866 §5.9",
        [b'r', b'=', ..] => "RFC 8866 §5.10",
        [b'z', b'=', ..] => "RFC 8866 §5.11",
        [b'm', b'=', ..] => "RFC 8866 §5.14",
        _ => "RFC 8866 §9",
    }
}

/// The RFC section that defines attribute `name` (the same citations as sdp-parse's
/// documentation); RFC 8866 §5.13 for one it does not know.
fn attribute_rfc(name: &[u8]) -> &'static str {
    match name {
        b"rtpmap" => "RFC 8866 §6.6",
        b"fmtp" => "RFC 8866 §6.15",
        b"ptime" => "RFC 8866 §6.4",
        b"maxptime" => "RFC 8866 §6.5",
        b"framerate" => "RFC 8866 §6.13",
        b"sendrecv" | b"sendonly" | b"recvonly" | b"inactive" => "RFC 8866 §6.7",
        b"rtcp-fb" => "RFC 4585 §4.2",
        b"rtcp" => "RFC 3605 §2.1",
        b"rtcp-mux" => "RFC 5761 §5.1.1",
        b"rtcp-mux-only" => "RFC 8858 §3",
        b"rtcp-rsize" => "RFC 5506 §5",
        b"rtcp-xr" => "RFC 3611 §5.1",
        b"extmap" => "RFC 8285 §8",
        b"extmap-allow-mixed" => "RFC 8285 §6",
        b"ssrc" => "RFC 5576 §4.1",
        b"ssrc-group" => "RFC 5576 §4.2",
        b"msid" => "RFC 8830 §2",
        b"group" => "RFC 5888 §5",
        b"mid" => "RFC 5888 §4",
        b"bundle-only" => "RFC 8843 §6",
        b"candidate" => "RFC 8839 §5.1",
        b"remote-candidates" => "RFC 8839 §5.2",
        b"ice-lite" | b"ice-mismatch" => "RFC 8839 §5.3",
        b"ice-ufrag" | b"ice-pwd" => "RFC 8839 §5.4",
        b"ice-pacing" => "RFC 8839 §5.5",
        b"ice-options" => "RFC 8839 §5.6",
        b"end-of-candidates" => "RFC 8840 §8.2",
        b"fingerprint" => "RFC 8122 §5",
        b"setup" => "RFC 4145 §4",
        b"connection" => "RFC 4145 §5",
        b"tls-id" => "RFC 8842 §4",
        b"identity" => "RFC 8827 §5",
        b"sctp-port" => "RFC 8841 §5",
        b"max-message-size" => "RFC 8841 §6",
        b"rid" => "RFC 8851 §10",
        b"simulcast" => "RFC 8853 §5.1",
        b"crypto" => "RFC 4568 §9.1",
        _ => "RFC 8866 §5.13",
    }
}

fn from_finding(f: &Finding) -> Report {
    Report {
        severity: f.severity,
        line: f.location.line,
        column: f.location.column,
        len: f.location.span.len(),
        message: f.message.clone(),
        rule: f.rule.to_owned(),
        rfc: f.rfc,
    }
}

/// Runs one invocation, writing to `out`; returns the exit status.
///
/// # Errors
/// [`Failure::Usage`] when an input cannot be read.
pub fn run(args: &Args, style: Style, out: &mut dyn Write) -> Result<u8, Failure> {
    let input = read_input(&args.file)?;
    let answer = match &args.answer {
        Some(p) => Some(read_input(p)?),
        None => None,
    };
    let io = |e: io::Error| output_error(&e);
    if args.redact {
        out.write_all(redact(&input.text).as_bytes()).map_err(io)?;
        return Ok(0);
    }
    if args.check || args.answer.is_some() || args.strict {
        return check_mode(args, &input, answer.as_ref(), style, out).map_err(io);
    }
    let parsed = match SessionDescription::parse_bytes(&input.bytes, sdp_parse::Mode::Lenient) {
        Ok(p) => p,
        Err(e) if args.json => {
            // Still JSON, so `| jq` works: no description, one diagnostic.
            let v = json!({ "media": [], "diagnostics": [diagnostic_json(&e, &input.bytes)] });
            serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| output_error(&e.into()))?;
            writeln!(out).map_err(io)?;
            return Ok(1);
        }
        Err(e) => {
            let r = from_diagnostic(&e, &input.bytes);
            let lines = render::SourceLines::new(&input.text);
            render::report(out, style, &input.name, &lines, &r).map_err(io)?;
            return Ok(1);
        }
    };
    if args.print {
        let mut bytes = Vec::with_capacity(input.text.len());
        parsed.description.write_to(&mut bytes);
        out.write_all(&bytes).map_err(io)?;
        for w in &parsed.warnings {
            eprintln!(
                "{}:{}:{}: warning: {}",
                input.name, w.line, w.column, w.message
            );
        }
        return Ok(0);
    }
    let sdp = &parsed.description;
    let role = Role::detect(sdp);
    let findings = check::check(sdp, role);
    if args.json {
        let v = json_view(sdp, &input.bytes, &parsed.warnings, &findings, role);
        serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| output_error(&e.into()))?;
        writeln!(out).map_err(io)?;
        return Ok(0);
    }
    summary::write(out, style, &input.name, input.text.len(), sdp, role).map_err(io)?;
    let reports: Vec<Report> = parsed
        .warnings
        .iter()
        .map(|d| from_diagnostic(d, &input.bytes))
        .chain(findings.iter().map(from_finding))
        .collect();
    if !reports.is_empty() {
        writeln!(
            out,
            "\n{} (run with --check for details):",
            style.bold("diagnostics")
        )
        .map_err(io)?;
        for r in &reports {
            render::one_line(out, style, &input.name, r).map_err(io)?;
        }
    }
    Ok(0)
}

fn check_mode(
    args: &Args,
    input: &Input,
    answer: Option<&Input>,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let offer_lines = render::SourceLines::new(&input.text);
    let answer_lines = answer.map(|a| render::SourceLines::new(&a.text));
    let mut emit = |out: &mut dyn Write,
                    name: &str,
                    lines: &render::SourceLines<'_>,
                    r: &Report|
     -> io::Result<()> {
        match r.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
        render::report(out, style, name, lines, r)
    };
    let offer = SessionDescription::parse_bytes(&input.bytes, sdp_parse::Mode::Lenient);
    let answer_parsed = answer.map(|a| {
        (
            a,
            SessionDescription::parse_bytes(&a.bytes, sdp_parse::Mode::Lenient),
        )
    });
    let role = if answer.is_some() {
        Some(Role::Offer)
    } else {
        None
    };
    match &offer {
        Err(e) => emit(
            out,
            &input.name,
            &offer_lines,
            &from_diagnostic(e, &input.bytes),
        )?,
        Ok(p) => {
            for w in &p.warnings {
                emit(
                    out,
                    &input.name,
                    &offer_lines,
                    &from_diagnostic(w, &input.bytes),
                )?;
            }
            let role = role.unwrap_or_else(|| Role::detect(&p.description));
            for f in check::check(&p.description, role) {
                emit(out, &input.name, &offer_lines, &from_finding(&f))?;
            }
        }
    }
    if let (Some((a, parsed)), Some(lines)) = (&answer_parsed, &answer_lines) {
        match parsed {
            Err(e) => emit(out, &a.name, lines, &from_diagnostic(e, &a.bytes))?,
            Ok(p) => {
                for w in &p.warnings {
                    emit(out, &a.name, lines, &from_diagnostic(w, &a.bytes))?;
                }
                let findings = match &offer {
                    Ok(o) => check::check_answer(&o.description, &p.description),
                    Err(_) => check::check(&p.description, Role::Answer),
                };
                for f in findings {
                    emit(out, &a.name, lines, &from_finding(&f))?;
                }
            }
        }
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(u8::from(failed))
}

fn diagnostic_json(d: &Diagnostic, src: &[u8]) -> Value {
    let r = from_diagnostic(d, src);
    json!({
        "severity": r.severity,
        "line": d.line,
        "column": d.column,
        "span": [d.span.start, d.span.end],
        "rule": r.rule,
        "rfc": r.rfc,
        "message": d.message,
    })
}

fn json_view(
    sdp: &SessionDescription<Sdp<'_>>,
    src: &[u8],
    warnings: &[Diagnostic],
    findings: &[Finding],
    role: Role,
) -> Value {
    let mut v = serde_json::to_value(sdp).unwrap_or(Value::Null);
    if let Some(media) = v.get_mut("media").and_then(Value::as_array_mut) {
        let session_dir = sdp.direction_attribute().unwrap_or_default();
        for (m, obj) in sdp.media.iter().zip(media.iter_mut()) {
            let codecs: Vec<Value> = m
                .codecs()
                .iter()
                .map(|c| {
                    json!({
                        "payload_type": c.payload_type,
                        "name": c.name(),
                        "clock_rate": c.clock_rate(),
                        "channels": c.channels(),
                        "fmtp": c.fmtp.map(|f| &*f.params),
                        "rtcp_fb": c.feedback.iter().map(|f| match &f.params {
                            Some(p) => format!("{} {p}", f.feedback.as_str()),
                            None => f.feedback.as_str().to_owned(),
                        }).collect::<Vec<_>>(),
                        "rtx_apt": if c.is_rtx() { c.rtx_apt() } else { None },
                    })
                })
                .collect();
            if let Value::Object(o) = obj {
                o.insert("mid".into(), json!(m.mid()));
                o.insert("kind".into(), json!(&*m.media_line.media));
                o.insert(
                    "direction".into(),
                    json!(m.direction_or(session_dir).as_str()),
                );
                o.insert("codecs".into(), Value::Array(codecs));
                o.insert("ssrcs".into(), json!(m.ssrc_ids()));
            }
        }
    }
    if let Value::Object(o) = &mut v {
        o.insert(
            "role".into(),
            json!(match role {
                Role::Offer => "offer",
                Role::Answer => "answer",
                Role::Unknown => "unknown",
            }),
        );
        let diags: Vec<Value> = warnings
            .iter()
            .map(|d| diagnostic_json(d, src))
            .chain(findings.iter().map(|f| {
                json!({
                    "severity": f.severity,
                    "line": f.location.line,
                    "column": f.location.column,
                    "span": [f.location.span.start, f.location.span.end],
                    "rule": f.rule,
                    "rfc": f.rfc,
                    "message": f.message,
                })
            }))
            .collect();
        o.insert("diagnostics".into(), Value::Array(diags));
    }
    v
}
