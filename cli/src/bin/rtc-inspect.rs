//! `rtc-inspect`: decode STUN, TURN, RTP, RTCP and DTLS from pcap/pcapng captures and hex.
#![forbid(unsafe_code)]

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde_json::{json, Map, Value};
use stun_turn_codec::Transport;
use webrtc_inspect::rtc::capture::Warning;
use webrtc_inspect::rtc::decode::{self, Session};
use webrtc_inspect::rtc::ice::{self, Ice};
use webrtc_inspect::rtc::records::{self, Record};
use webrtc_inspect::rtc::streams::{self, CodecMap, Streams};
use webrtc_inspect::rtc::{plot, rtcp};

const EXAMPLES: &str = "\
Examples:
  rtc-inspect decode 000100002112a442b7e7a701bc34d686fa87dfae --json
  rtc-inspect packets call.pcapng --json
  rtc-inspect streams call.pcapng --sdp offer.sdp --sdp answer.sdp --interval 1s
  rtc-inspect rtcp call.pcapng
  rtc-inspect ice call.pcapng --sdp offer.sdp --sdp answer.sdp --json
  rtc-inspect packets call.pcapng --keylog call.keylog --json
  rtc-inspect decrypt call.pcapng -o plain.pcapng --keylog call.keylog

Keys (every subcommand that reads a capture): --keylog FILE (NSS key log of the DTLS
handshakes), --sdp FILE (its a=crypto lines), --srtp-key ADDR:PORT=PROFILE:BASE64.

Exit status: 0 when everything was read; 1 when the capture ends in a damaged record
(everything before it is reported); 2 on usage errors and unreadable input.";

/// Inspect WebRTC traffic: STUN/TURN, RTP/RTCP and DTLS in pcap/pcapng captures or hex.
///
/// Every UDP datagram (and every message framed out of a TCP stream, RFC 4571 or RFC 8656
/// §12.5) is classified by its first bytes (RFC 7983), without port hints. Data goes to
/// stdout; warnings about damaged frames go to stderr.
#[derive(Debug, Parser)]
#[command(name = "rtc-inspect", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode one packet given in hex (STUN, ChannelData, RTP, RTCP, DTLS).
    #[command(after_help = "Example:\n  rtc-inspect decode \
        000100002112a442b7e7a701bc34d686fa87dfae --password VOkJxbRl1RmTxUk/WvJxBt --json")]
    Decode {
        /// The packet in hex (spaces, colons and a leading 0x are ignored).
        hex: String,
        #[command(flatten)]
        keys: KeyArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One line per packet: frame, time, 5-tuple, kind and key fields.
    #[command(
        after_help = "Example:\n  rtc-inspect packets call.pcapng --json | jq 'select(.kind==\"stun\")'"
    )]
    Packets {
        /// A pcap or pcapng file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Per-RTP-stream statistics (as `tshark -q -z rtp,streams`, plus more).
    #[command(
        after_help = "Example:\n  rtc-inspect streams call.pcapng --sdp offer.sdp --interval 1s --plot streams.svg"
    )]
    Streams {
        /// A pcap or pcapng file (`-` for standard input).
        file: PathBuf,
        /// SDP files mapping payload types to codecs and clock rates. Repeatable.
        #[arg(long = "sdp")]
        sdps: Vec<PathBuf>,
        /// Also print a time series with this step (e.g. `1s`, `500ms`).
        #[arg(long, value_parser = parse_duration)]
        interval: Option<Duration>,
        /// Draw jitter, bit rate and loss over time per stream into an SVG file.
        #[arg(long)]
        plot: Option<PathBuf>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        srtp: SrtpArgs,
    },
    /// Every RTCP packet, decoded (SRTCP decrypted with the key options).
    #[command(after_help = "Example:\n  rtc-inspect rtcp call.pcapng --keylog call.keylog --json")]
    Rtcp {
        /// A pcap or pcapng file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Write the capture back with every SRTP/SRTCP packet whose key is known replaced by
    /// its plaintext RTP/RTCP (IP and UDP lengths and checksums fixed); every other frame
    /// and every timestamp unchanged, so frame N of the output is frame N of the input.
    #[command(
        after_help = "Example:\n  rtc-inspect decrypt call.pcapng -o plain.pcapng --keylog call.keylog\n  \
        tshark -r plain.pcapng -d udp.port==5000,rtp"
    )]
    Decrypt {
        /// A pcap or pcapng file (`-` for standard input).
        file: PathBuf,
        /// The pcapng file to write.
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// ICE checks: STUN transactions, integrity, candidate pairs, nomination.
    #[command(
        after_help = "Examples:\n  rtc-inspect ice call.pcapng --sdp offer.sdp --sdp answer.sdp\n  \
        rtc-inspect ice call.pcapng --ice-pwd asd88fgpdd777uzjYhagZg --json"
    )]
    Ice {
        /// A pcap or pcapng file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        keys: KeyArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
struct KeyArgs {
    /// SDP offer/answer: their ice-ufrag/ice-pwd key the connectivity checks (the HMAC key
    /// is the ice-pwd of the side receiving the request), and their a=extmap lines name and
    /// decode RTP header extensions. Repeatable.
    #[arg(long = "sdp")]
    sdps: Vec<PathBuf>,
    /// An ICE password to verify checks with. Repeatable.
    #[arg(long = "ice-pwd")]
    ice_pwds: Vec<String>,
    /// A STUN/TURN password (short-term, or long-term with the message's USERNAME and
    /// REALM). Repeatable.
    #[arg(long = "password")]
    passwords: Vec<String>,
    /// A TURN password (long-term credential, RFC 8656 §5): verifies Allocate, Refresh,
    /// CreatePermission and ChannelBind and their responses. Without one they are
    /// `unverified`: ICE passwords never key TURN messages. Repeatable.
    #[arg(long = "turn-password")]
    turn_passwords: Vec<String>,
    /// The TURN user the `--turn-password`s are for (any user when absent).
    #[arg(long = "turn-user")]
    turn_user: Option<String>,
    #[command(flatten)]
    srtp: SrtpArgs,
}

/// SRTP keys; `--sdp` files add their SDES `a=crypto` keys.
#[derive(Debug, Clone, clap::Args)]
struct SrtpArgs {
    /// An NSS key log (SSLKEYLOGFILE) with the DTLS secrets of the capture's handshakes:
    /// `CLIENT_RANDOM` (DTLS 1.2), `EXPORTER_SECRET` (DTLS 1.3). Repeatable.
    #[arg(long = "keylog")]
    keylogs: Vec<PathBuf>,
    /// A raw SRTP master key for packets from or to an address:
    /// `ADDR:PORT=PROFILE:BASE64(master key || salt)`, PROFILE as in SDES
    /// (`AES_CM_128_HMAC_SHA1_80`, `AEAD_AES_128_GCM`, ...). Repeatable.
    #[arg(long = "srtp-key")]
    srtp_keys: Vec<String>,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s
        .find(|c: char| c.is_ascii_alphabetic())
        .map_or((s, "s"), |i| (&s[..i], &s[i..]));
    let v: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 1s or 500ms"))?;
    let secs = match unit {
        "s" => v,
        "ms" => v / 1000.0,
        "us" => v / 1e6,
        "m" | "min" => v * 60.0,
        _ => return Err(format!("unknown unit `{unit}` (use s, ms, us or min)")),
    };
    if !(secs.is_finite() && secs > 0.0) {
        return Err(format!("`{s}` is not a positive duration"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A usage or input error: exit status 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(Fatal(msg)) => {
            eprintln!("rtc-inspect: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read_sdp(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

/// Parses an SDP leniently: malformed lines are warnings on stderr (the rest still gives
/// keys, codecs and extension ids); only an unusable description is an error.
fn parse_sdp<'a>(
    path: &Path,
    text: &'a str,
) -> Result<sdp_parse::SessionDescription<&'a str>, Fatal> {
    let parsed = sdp_parse::SessionDescription::parse_lenient(text)
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    for w in &parsed.warnings {
        eprintln!("rtc-inspect: {}: {w}", path.display());
    }
    Ok(parsed.description)
}

/// Loads the SRTP keys of `args` and the SDES keys of `sdps` into `keys`.
fn add_srtp_keys(keys: &mut Session, args: &SrtpArgs, sdps: &[PathBuf]) -> Result<(), Fatal> {
    for path in &args.keylogs {
        let text =
            std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        for w in keys.srtp.add_keylog(&text) {
            eprintln!("rtc-inspect: {}: {w}", path.display());
        }
    }
    for spec in &args.srtp_keys {
        keys.srtp
            .add_raw(spec)
            .map_err(|e| Fatal(format!("--srtp-key: {e}")))?;
    }
    for path in sdps {
        let text = read_sdp(path)?;
        let sdp = parse_sdp(path, &text)?;
        let name = path.display().to_string();
        let session = sdp.attributes();
        let media = sdp.media.iter().flat_map(|m| m.attributes());
        for a in session.chain(media) {
            if let sdp_parse::Attribute::Crypto(c) = a {
                keys.srtp
                    .add_sdes(c.suite, c.key_params, &name)
                    .map_err(|e| Fatal(format!("{name}: a=crypto:{}: {e}", c.tag)))?;
            }
        }
    }
    Ok(())
}

fn session_from(args: &KeyArgs) -> Result<Session, Fatal> {
    let mut keys = Session::new();
    add_srtp_keys(&mut keys, &args.srtp, &args.sdps)?;
    for p in &args.passwords {
        keys.add_password(p)
            .map_err(|e| Fatal(format!("password: {e}")))?;
    }
    for p in &args.turn_passwords {
        keys.add_turn_credentials(args.turn_user.as_deref(), p);
    }
    for p in &args.ice_pwds {
        keys.add_short_term(p)
            .map_err(|e| Fatal(format!("ice-pwd: {e}")))?;
    }
    for path in &args.sdps {
        let text = read_sdp(path)?;
        let sdp = parse_sdp(path, &text)?;
        keys.add_sdp(&sdp)
            .map_err(|e| Fatal(format!("{}: ice-pwd: {e}", path.display())))?;
    }
    Ok(keys)
}

/// Adds the TLS key logs embedded in the capture (pcapng Decryption Secrets Blocks), as if
/// given with `--keylog`.
fn add_embedded_secrets(keys: &mut Session, path: &Path) -> Result<(), Fatal> {
    let logs = webrtc_inspect::rtc::capture::tls_key_logs(path)
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    for log in logs {
        for w in keys.srtp.add_keylog(&log) {
            eprintln!("rtc-inspect: {}: embedded key log: {w}", path.display());
        }
    }
    Ok(())
}

/// A warning on stderr: `FILE: frame N: message`, or `FILE: message` for the whole file.
fn print_warning(name: &str, w: &Warning) {
    if w.frame == 0 {
        eprintln!("rtc-inspect: {name}: {}", w.message);
    } else {
        eprintln!("rtc-inspect: {name}: frame {}: {}", w.frame, w.message);
    }
}

/// Runs a pass over a capture, printing warnings to stderr. Returns exit code 1 when the
/// file ended in a damaged record (the frames before it were processed).
fn pass(path: &Path, on_record: &mut dyn FnMut(&Record<'_>)) -> Result<ExitCode, Fatal> {
    let name = path.display().to_string();
    let mut on_warning = |w: Warning| {
        print_warning(&name, &w);
    };
    match records::for_each(path, on_record, &mut on_warning) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e @ webrtc_inspect::rtc::capture::CaptureError::Record { .. }) => {
            eprintln!("rtc-inspect: {name}: {e}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(Fatal(format!("{name}: {e}"))),
    }
}

fn base_json(r: &Record<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("frame".into(), r.frame.into());
    m.insert("time".into(), json!(round9(r.time.as_secs_f64())));
    m.insert(
        "epoch".into(),
        format!("{}.{:09}", r.epoch.as_secs(), r.epoch.subsec_nanos()).into(),
    );
    m.insert("transport".into(), r.transport.as_str().into());
    m.insert("src".into(), r.src.to_string().into());
    m.insert("dst".into(), r.dst.to_string().into());
    m.insert("bytes".into(), r.payload.len().into());
    if r.truncated {
        m.insert("truncated".into(), true.into());
    }
    m
}

fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

fn out_err(e: &io::Error) -> Fatal {
    Fatal(format!("writing output: {e}"))
}

fn run(cli: Cli) -> Result<ExitCode, Fatal> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut io_error: Option<io::Error> = None;
    let code = match cli.command {
        Command::Decode { hex, keys, json } => {
            let cleaned: String = hex
                .trim()
                .trim_start_matches("0x")
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect();
            let bytes = ::hex::decode(&cleaned).map_err(|e| Fatal(format!("bad hex: {e}")))?;
            let mut keys = session_from(&keys)?;
            keys.assume_rfc5766_channels();
            let d = decode::decode(&bytes, Transport::Udp, &mut keys);
            if json {
                writeln!(out, "{}", Value::Object(d.json)).map_err(|e| out_err(&e))?;
            } else {
                writeln!(out, "{}", d.summary).map_err(|e| out_err(&e))?;
                let pretty =
                    serde_json::to_string_pretty(&Value::Object(d.json)).unwrap_or_default();
                writeln!(out, "{pretty}").map_err(|e| out_err(&e))?;
            }
            ExitCode::SUCCESS
        }
        Command::Packets { file, keys, json } => {
            let mut keys = session_from(&keys)?;
            add_embedded_secrets(&mut keys, &file)?;
            let code = pass(&file, &mut |r| {
                if io_error.is_some() {
                    return;
                }
                let d = decode::decode_flow(r.payload, r.transport, r.src, r.dst, &mut keys);
                let res = if json {
                    let mut m = base_json(r);
                    m.extend(d.json);
                    writeln!(out, "{}", Value::Object(m))
                } else {
                    writeln!(
                        out,
                        "{:>6} {:>12.6} {} {} -> {} {}",
                        r.frame,
                        r.time.as_secs_f64(),
                        r.transport.as_str(),
                        r.src,
                        r.dst,
                        d.summary
                    )
                };
                if let Err(e) = res {
                    io_error = Some(e);
                }
            })?;
            code
        }
        Command::Streams {
            file,
            sdps,
            interval,
            plot: plot_path,
            json,
            srtp,
        } => {
            let mut codecs = CodecMap::new();
            for path in &sdps {
                let text = read_sdp(path)?;
                let sdp = parse_sdp(path, &text)?;
                codecs.add_sdp(&sdp);
            }
            let mut keys = Session::new();
            add_srtp_keys(&mut keys, &srtp, &sdps)?;
            add_embedded_secrets(&mut keys, &file)?;
            let series = interval.or(plot_path.as_ref().map(|_| Duration::from_secs(1)));
            let mut s = Streams::new(codecs, series);
            let code = pass(&file, &mut |r| {
                s.add(r);
                if keys.srtp.is_configured() {
                    // Only the verdict is needed: the statistics read the clear header.
                    let record =
                        decode::record_flow(r.payload, r.transport, r.src, r.dst, &mut keys);
                    if let Some(v) = record.srtp_verdict() {
                        s.add_srtp_verdict(r, v);
                    }
                }
            })?;
            let (mut summaries, unvalidated) = s.finish_counting();
            if unvalidated > 0 {
                eprintln!(
                    "rtc-inspect: {}: {unvalidated} SSRC(s) not reported: no two packets in \
                     sequence (RFC 3550 §A.1 probation), so not an RTP stream",
                    file.display()
                );
            }
            if let Some(p) = &plot_path {
                std::fs::write(p, plot::svg(&summaries))
                    .map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
            }
            if interval.is_none() {
                for s in &mut summaries {
                    s.intervals.clear();
                }
            }
            if json {
                let text = serde_json::to_string_pretty(&summaries).unwrap_or_default();
                writeln!(out, "{text}").map_err(|e| out_err(&e))?;
            } else {
                write!(out, "{}", streams::render_text(&summaries)).map_err(|e| out_err(&e))?;
            }
            code
        }
        Command::Rtcp { file, keys, json } => {
            let mut keys = session_from(&keys)?;
            add_embedded_secrets(&mut keys, &file)?;
            let code = pass(&file, &mut |r| {
                if io_error.is_some() {
                    return;
                }
                let decoded = rtcp::decode_keyed(r, &mut keys);
                if let Some(v) = decoded {
                    let res = if json {
                        let mut m = base_json(r);
                        m.extend(v);
                        writeln!(out, "{}", Value::Object(m))
                    } else {
                        let verdict = v
                            .get("srtp")
                            .and_then(Value::as_str)
                            .map(|s| format!(" [srtcp {s}]"))
                            .unwrap_or_default();
                        writeln!(
                            out,
                            "{:>6} {:>12.6} {} -> {}{verdict}\n{}",
                            r.frame,
                            r.time.as_secs_f64(),
                            r.src,
                            r.dst,
                            rtcp::render_text(&v)
                        )
                    };
                    if let Err(e) = res {
                        io_error = Some(e);
                    }
                }
            })?;
            code
        }
        Command::Decrypt { file, output, keys } => {
            let mut keys = session_from(&keys)?;
            add_embedded_secrets(&mut keys, &file)?;
            if !keys.srtp.is_configured() {
                return Err(Fatal(
                    "decrypt needs keys: --keylog, --srtp-key, an --sdp with a=crypto, or a pcapng \
                     with embedded secrets"
                        .into(),
                ));
            }
            let name = file.display().to_string();
            let report = webrtc_inspect::rtc::decrypt::run(&file, &output, &mut keys, &mut |w| {
                print_warning(&name, &w);
            })
            .map_err(|e| Fatal(format!("{name}: {e}")))?;
            eprintln!("rtc-inspect: {}", report.summary());
            if report.damaged {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Ice { file, keys, json } => {
            let mut keys = session_from(&keys)?;
            add_embedded_secrets(&mut keys, &file)?;
            let mut ice = Ice::new(keys);
            let code = pass(&file, &mut |r| ice.add(r))?;
            let report = ice.finish();
            if json {
                let text = serde_json::to_string_pretty(&report).unwrap_or_default();
                writeln!(out, "{text}").map_err(|e| out_err(&e))?;
            } else {
                write!(out, "{}", ice::render_text(&report)).map_err(|e| out_err(&e))?;
            }
            code
        }
    };
    if let Some(e) = io_error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok(code);
        }
        return Err(out_err(&e));
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(out_err(&e)),
        _ => Ok(code),
    }
}
