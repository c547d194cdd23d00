//! Both binaries in pipelines: standard input as `-`, a reader that closes early, JSON that
//! stays JSON on a fatal error, and long source lines echoed as a window.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

fn corpus(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(rel)
}

fn run_with_stdin(bin: &str, args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

#[test]
fn rtc_inspect_reads_a_capture_from_stdin() {
    let bin = env!("CARGO_BIN_EXE_rtc-inspect");
    let path = corpus("pcap/ffmpeg-h264-pcma.pcapng");
    let bytes = std::fs::read(&path).expect("capture");
    let (code, from_stdin) = run_with_stdin(bin, &["streams", "-", "--json"], &bytes);
    let from_file = Command::new(bin)
        .args(["streams", path.to_str().expect("path"), "--json"])
        .output()
        .expect("run");
    assert_eq!(code, 0);
    assert_eq!(
        from_stdin,
        String::from_utf8(from_file.stdout).expect("utf-8")
    );
    let streams: serde_json::Value = serde_json::from_str(&from_stdin).expect("json");
    assert_eq!(streams.as_array().map(Vec::len), Some(2));
}

#[test]
fn sdp_inspect_stops_quietly_when_its_reader_closes() {
    // Many findings, so the output is far larger than a pipe buffer.
    let mut sdp = String::from("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    for _ in 0..5000 {
        sdp.push_str("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=setup:bogus\r\n");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_sdp-inspect"))
        .args(["--check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sdp.as_bytes())
        .expect("write");
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sdp_inspect_json_stays_json_on_a_fatal_error() {
    let (code, out) = run_with_stdin(env!("CARGO_BIN_EXE_sdp-inspect"), &["--json", "-"], b"");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["media"], serde_json::json!([]));
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert_eq!(v["diagnostics"][0]["line"], 1);
}

#[test]
fn long_source_lines_are_echoed_as_a_window_around_the_column() {
    let ssrcs: Vec<String> = (1..3000).map(|i| i.to_string()).collect();
    let sdp = format!(
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=ssrc-group:SIM {} x7\r\n",
        ssrcs.join(" ")
    );
    let (code, out) = run_with_stdin(
        env!("CARGO_BIN_EXE_sdp-inspect"),
        &["--check", "-"],
        sdp.as_bytes(),
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let column = sdp.lines().nth(5).expect("line 6").find("x7").expect("x7") + 1;
    assert!(
        lines[0].starts_with(&format!("<stdin>:6:{column}: error:")),
        "{}",
        lines[0]
    );
    let (src, caret) = (lines[1], lines[2]);
    assert!(src.len() < 200, "echoed {} bytes", src.len());
    assert!(src.starts_with(" 6 | ...") && src.ends_with(" x7"), "{src}");
    // The caret sits under the offending token.
    let at = caret.find('^').expect("caret");
    assert_eq!(&src[at..], "x7", "{src}\n{caret}");
    assert_eq!(caret.trim_end().len(), src.len(), "{src}\n{caret}");
}
