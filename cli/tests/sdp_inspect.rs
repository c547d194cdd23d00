//! `sdp-inspect` end to end: the built binary on the corpus and on broken
//! inputs, asserting output content and exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sdp-inspect");

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/sdp")).join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("sdp-inspect runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// A file in the temp dir, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str, text: &str) -> Self {
        let p = std::env::temp_dir().join(format!("sdp-inspect-{}-{name}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        Self(p)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn summary_of_the_readme_example() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/chromium-av-offer.sdp"
    );
    let o = run(&[path]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    for needle in [
        "offer, 2 media sections, 5395 bytes, CRLF line endings",
        "group BUNDLE 0 1",
        "[0] audio  mid 0  sendrecv  port 9  UDP/TLS/RTP/SAVPF  (BUNDLE tag)",
        "[1] video  mid 1  sendrecv  port 9  UDP/TLS/RTP/SAVPF  (bundled)",
        "ufrag PHmR  pwd 9W1SO6VGJ2TIPIUY1A44T/i4  options trickle",
        "DTLS setup  actpass",
        "fingerprint sha-256 DD:73:46:AE",
        "111  opus              48000  2  minptime=10;useinbandfec=1",
        "97 -> 96 VP8",
        "SSRC        1101343220  cname z6rTFONmu+SE8lbp",
        "ssrc-group  FID 2762112311 368824039",
        "4 urn:ietf:params:rtp-hdrext:sdes:mid",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in:\n{s}");
    }
    assert!(!s.contains('\x1b'), "no colour when not on a terminal");
    assert!(
        !s.contains("diagnostics"),
        "a clean offer has no diagnostics"
    );
}

#[test]
fn summary_shows_simulcast_candidates_and_sctp() {
    let s = stdout(&run(&[corpus("chromium-simulcast-offer.sdp")
        .to_str()
        .unwrap()]));
    assert!(s.contains("rid         q send; h send; f send"), "{s}");
    assert!(s.contains("simulcast   send q;h;f"), "{s}");
    let s = stdout(&run(&[corpus("chromium-call-offer.sdp").to_str().unwrap()]));
    assert!(s.contains("host tcp 127.0.0.1:9 prio 1518280447"), "{s}");
    assert!(
        s.contains("(tcptype active generation 0 network-id 1 network-cost 50)"),
        "{s}"
    );
    assert!(
        s.contains("SCTP        port 5000  max-message-size 262144"),
        "{s}"
    );
}

#[test]
fn print_writes_every_corpus_file_back_unchanged() {
    for e in std::fs::read_dir(corpus("")).unwrap() {
        let p = e.unwrap().path();
        let o = run(&["--print", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", p.display());
        assert_eq!(o.stdout, std::fs::read(&p).unwrap(), "{}", p.display());
    }
}

#[test]
fn json_has_media_array_and_diagnostics() {
    let o = run(&[
        "--json",
        corpus("janus-streaming-offer.sdp").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let media = v["media"].as_array().unwrap();
    assert_eq!(media.len(), 2);
    assert_eq!(media[0]["mid"], "a");
    assert_eq!(media[0]["direction"], "sendonly");
    assert_eq!(media[1]["codecs"][1]["name"], "rtx");
    assert_eq!(media[1]["codecs"][1]["rtx_apt"], 100);
    assert_eq!(
        media[1]["ssrcs"],
        serde_json::json!([1275264818u32, 4143487575u32])
    );
    assert_eq!(media[0]["media_line"]["proto"], "UDP/TLS/RTP/SAVPF");
    assert_eq!(v["role"], "offer");
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

#[test]
fn json_reports_diagnostics() {
    let t = Temp::new("json-diag.sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 111\r\na=rtpmap:111 opus/9000x/2\r\n");
    let o = run(&["--json", t.path()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(19))
    );
    assert_eq!(d["rule"], "sdp-invalid-number");
    assert_eq!(d["severity"], "error");
}

#[test]
fn check_is_silent_on_clean_files() {
    for e in std::fs::read_dir(corpus("")).unwrap() {
        let p = e.unwrap().path();
        let o = run(&["--check", "--strict", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", p.display(), stdout(&o));
        assert!(o.stdout.is_empty(), "{}", p.display());
    }
}

#[test]
fn check_reports_file_line_column_with_a_caret() {
    let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 111\r\na=rtpmap:111 opus/9000x/2\r\n";
    let t = Temp::new("bad-clock.sdp", text);
    let o = run(&["--check", t.path()]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    let want = format!(
        "{}:6:19: error: rtpmap clock rate \"9000x\" is not a number [sdp-invalid-number, RFC 8866 §6.6]\n 6 | a=rtpmap:111 opus/9000x/2\n   |                   ^^^^^\n",
        t.path()
    );
    assert!(s.contains(&want), "{s}");
}

/// A grammar error cites the section that defines what the line got wrong.
#[test]
fn grammar_errors_cite_the_defining_rfc() {
    let head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n";
    for (body, want) in [
        ("c=IN IP4\r\nt=0 0\r\n", "RFC 8866 §5.7]"),
        (
            "t=0 0\r\nm=audio 9 RTP/AVP 0\r\na=setup:maybe\r\n",
            "RFC 4145 §4]",
        ),
        (
            "t=0 0\r\nm=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp x 192.0.2.1 9 typ host\r\n",
            "RFC 8839 §5.1]",
        ),
        (
            "t=0 0\r\nm=audio 9 RTP/AVP 0\r\na=fingerprint:sha-256\r\n",
            "RFC 8122 §5]",
        ),
        (
            "t=0 0\r\nm=audio 9 RTP/AVP 0\r\na=extmap:x urn:a\r\n",
            "RFC 8285 §8]",
        ),
        ("t=x 0\r\n", "RFC 8866 §5.9]"),
        ("a=ice-lite\r\n", "RFC 8866 §5]"),
    ] {
        let t = Temp::new("cite.sdp", &format!("{head}{body}"));
        let o = run(&["--check", t.path()]);
        assert_eq!(o.status.code(), Some(1), "{body:?}");
        let s = stdout(&o);
        assert!(s.contains(want), "{body:?}: {s}");
    }
}

#[test]
fn check_rules_and_strict_warnings() {
    // An unknown line type is only a warning: exit 0, but 1 with --strict.
    let t = Temp::new(
        "warn.sdp",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\ny=1\r\n",
    );
    let o = run(&["--check", t.path()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains(":5:1: warning: unknown line type \"y=\""),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        run(&["--check", "--strict", t.path()]).status.code(),
        Some(1)
    );

    // A JSEP rule: BUNDLE names a mid that does not exist.
    let t = Temp::new("bundle.sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n");
    let o = run(&["--check", t.path()]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    assert!(s.contains(":5:18: error: BUNDLE group names mid \"1\" but no m-section has it [bundle-mid-exists, RFC 5888 §5]"), "{s}");
    assert!(
        s.contains(" 5 | a=group:BUNDLE 0 1\n   |                  ^\n"),
        "{s}"
    );
}

#[test]
fn check_offer_against_answer() {
    let offer = corpus("chromium-av-offer.sdp");
    let answer = corpus("chromium-av-answer.sdp");
    let o = run(&[
        "--check",
        offer.to_str().unwrap(),
        "--answer",
        answer.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(o.stdout.is_empty());

    // Answer sendonly to a sendrecv offer is fine; recvonly offered, sendrecv answered is not.
    let text = std::fs::read_to_string(&offer)
        .unwrap()
        .replacen("a=sendrecv", "a=recvonly", 1);
    let t = Temp::new("recvonly-offer.sdp", &text);
    let o = run(&["--check", t.path(), "--answer", answer.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    assert!(s.contains("error: answer direction sendrecv is not compatible with offered recvonly [oa-direction, RFC 3264 §6.1]"), "{s}");
    assert!(
        s.starts_with(answer.to_str().unwrap()),
        "located in the answer: {s}"
    );
}

#[test]
fn stdin_usage_and_io_errors() {
    let mut child = Command::new(BIN)
        .args(["--print", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = std::fs::read(corpus("ffmpeg-vp8-opus.sdp")).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!((o.status.code(), o.stdout), (Some(0), text));

    let o = run(&["/nonexistent/offer.sdp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read /nonexistent/offer.sdp"));
    assert_eq!(run(&["--bogus"]).status.code(), Some(2));
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(
        run(&["--strict", "x.sdp"]).status.code(),
        Some(2),
        "--strict needs --check"
    );

    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("sdp-inspect --check offer.sdp --answer answer.sdp"));
}

#[test]
fn fatal_parse_error_exits_1_with_location() {
    let t = Temp::new(
        "fatal.sdp",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n",
    );
    for args in [vec![t.path()], vec!["--check", t.path()]] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stdout(&o).contains(":5:9: error: media port \"x\" is not a number"),
            "{}",
            stdout(&o)
        );
    }
}

#[test]
fn invalid_utf8_is_located() {
    let p = std::env::temp_dir().join(format!("sdp-inspect-{}-latin1.sdp", std::process::id()));
    std::fs::write(
        &p,
        b"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=caf\xe9\r\nt=0 0\r\n",
    )
    .unwrap();
    let o = run(&["--check", p.to_str().unwrap()]);
    let _ = std::fs::remove_file(&p);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            ":3:6: error: invalid UTF-8 and no a=charset:ISO-8859-1 (RFC 8866 §6.10): read as U+FFFD; writing gives UTF-8 [sdp-invalid-utf8, RFC 8866 §6.10]"
        ),
        "{}",
        stdout(&o)
    );
}

/// Colour on a terminal, none with NO_COLOR: runs the binary under `script`
/// (util-linux) to give it a pseudo-terminal.
#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    assert!(
        Command::new("script").arg("--version").output().is_ok(),
        "needs `script` (util-linux's bsdutils, on every Debian system)"
    );
    let t = Temp::new(
        "colour.sdp",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\ny=1\r\n",
    );
    let under_tty = |no_color: bool| {
        let env = if no_color {
            "env NO_COLOR=1"
        } else {
            "env -u NO_COLOR"
        };
        let o = Command::new("script")
            .args([
                "-q",
                "-e",
                "-c",
                &format!("{env} {BIN} --check {}", t.path()),
                "/dev/null",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let coloured = under_tty(false);
    assert!(
        coloured.contains("\x1b[1;33mwarning\x1b[0m"),
        "{coloured:?}"
    );
    let plain = under_tty(true);
    assert!(
        plain.contains(":5:1: warning: unknown line type"),
        "{plain:?}"
    );
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

/// A SIP phone's offer with a space ending every line and an empty `s=`:
/// `--check` warns (exit 0) instead of failing, the summary has the typed
/// values, and `--print` gives back the bytes.
#[test]
fn check_warns_on_trailing_spaces_and_an_empty_session_name() {
    let text = "v=0 \r\no=- 20046 20046 IN IP4 192.0.2.66 \r\ns=\r\nc=IN IP4 192.0.2.66 \r\nt=0 0 \r\nm=audio 11796 RTP/AVP 0 101 \r\na=rtpmap:101 telephone-event/8000 \r\na=sendonly \r\n";
    let f = Temp::new("sip-trailing.sdp", text);
    let o = run(&["--check", f.path()]);
    let s = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{s}");
    assert_eq!(s.matches("[sdp-trailing-whitespace,").count(), 7, "{s}");
    assert_eq!(s.matches("[sdp-empty-session-name,").count(), 1, "{s}");
    assert!(!s.contains(": error:"), "{s}");
    let o = run(&["--check", "--strict", f.path()]);
    assert_eq!(o.status.code(), Some(1));

    let o = run(&[f.path()]);
    let s = stdout(&o);
    assert!(s.contains("[0] audio"), "{s}");
    assert!(s.contains("sendonly"), "{s}");
    assert!(s.contains("telephone-event"), "{s}");

    let o = run(&["--print", f.path()]);
    assert_eq!(stdout(&o), text);
}

/// IPv6 candidate addresses are shown in brackets so the port stands apart.
#[test]
fn ipv6_candidates_are_bracketed_in_the_summary() {
    let text = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP6 ::\r\na=rtpmap:111 opus/48000/2\r\na=candidate:1 1 udp 1686052607 2001:db8::99 50002 typ srflx raddr :: rport 0\r\na=candidate:2 1 udp 2122262783 192.0.2.1 50003 typ host\r\n";
    let f = Temp::new("ipv6-cand.sdp", text);
    let s = stdout(&run(&[f.path()]));
    assert!(
        s.contains("srflx udp [2001:db8::99]:50002 prio 1686052607"),
        "{s}"
    );
    assert!(s.contains(" raddr [::]:0"), "{s}");
    assert!(s.contains("host udp 192.0.2.1:50003 prio"), "{s}");
}

/// The pre-RFC 8841 data channel form (`DTLS/SCTP 5000` with `a=sctpmap`) is
/// summarised on the SCTP line like `a=sctp-port`.
#[test]
fn sctpmap_is_summarised_on_the_sctp_line() {
    let text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 DTLS/SCTP 5000\r\nc=IN IP4 0.0.0.0\r\na=mid:data\r\na=sctpmap:5000 webrtc-datachannel 1024\r\n";
    let f = Temp::new("sctpmap.sdp", text);
    let s = stdout(&run(&[f.path()]));
    assert!(
        s.contains("SCTP        sctpmap port 5000 webrtc-datachannel streams 1024\n"),
        "{s}"
    );
    assert!(!s.contains("a=sctpmap"), "{s}");
}
