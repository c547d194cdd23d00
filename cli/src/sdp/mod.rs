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

fn from_diagnostic(d: &Diagnostic) -> Report {
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
        rfc: "RFC 8866 §9",
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
            let v = json!({ "media": [], "diagnostics": [diagnostic_json(&e)] });
            serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| output_error(&e.into()))?;
            writeln!(out).map_err(io)?;
            return Ok(1);
        }
        Err(e) => {
            let r = from_diagnostic(&e);
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
        let v = json_view(sdp, &parsed.warnings, &findings, role);
        serde_json::to_writer_pretty(&mut *out, &v).map_err(|e| output_error(&e.into()))?;
        writeln!(out).map_err(io)?;
        return Ok(0);
    }
    summary::write(out, style, &input.name, input.text.len(), sdp, role).map_err(io)?;
    let reports: Vec<Report> = parsed
        .warnings
        .iter()
        .map(from_diagnostic)
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
        Err(e) => emit(out, &input.name, &offer_lines, &from_diagnostic(e))?,
        Ok(p) => {
            for w in &p.warnings {
                emit(out, &input.name, &offer_lines, &from_diagnostic(w))?;
            }
            let role = role.unwrap_or_else(|| Role::detect(&p.description));
            for f in check::check(&p.description, role) {
                emit(out, &input.name, &offer_lines, &from_finding(&f))?;
            }
        }
    }
    if let (Some((a, parsed)), Some(lines)) = (&answer_parsed, &answer_lines) {
        match parsed {
            Err(e) => emit(out, &a.name, lines, &from_diagnostic(e))?,
            Ok(p) => {
                for w in &p.warnings {
                    emit(out, &a.name, lines, &from_diagnostic(w))?;
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

fn diagnostic_json(d: &Diagnostic) -> Value {
    let r = from_diagnostic(d);
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
    sdp: &SessionDescription<'_>,
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
            .map(diagnostic_json)
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
