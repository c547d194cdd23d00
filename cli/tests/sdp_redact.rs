//! `sdp-inspect --redact` on every corpus SDP: no credential, fingerprint, CNAME or non-placeholder
//! address survives, the line count is kept, and the result still passes `--check`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_sdps() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/sdp");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus/sdp")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "corpus/sdp has {} files", files.len());
    files
}

/// The values `--redact` must hide: ufrag, pwd, fingerprint bytes, CNAMEs and candidate addresses.
fn secrets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        for prefix in ["a=ice-ufrag:", "a=ice-pwd:"] {
            if let Some(v) = line.strip_prefix(prefix) {
                out.push(v.to_owned());
            }
        }
        if let Some(v) = line.strip_prefix("a=fingerprint:") {
            out.push(v.split(' ').nth(1).expect("fingerprint bytes").to_owned());
        }
        if let Some((_, cname)) = line.split_once(" cname:") {
            out.push(cname.to_owned());
        }
        if let Some(v) = line.strip_prefix("a=candidate:") {
            let addr = v.split(' ').nth(4).expect("candidate address");
            out.push(format!(" {addr} "));
        }
    }
    out
}

fn sdp_inspect(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sdp-inspect"))
        .args(args)
        .output()
        .expect("run sdp-inspect");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

#[test]
fn redacted_corpus_hides_secrets_and_still_checks_clean() {
    let tmp = std::env::temp_dir().join(format!("sdp-redact-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    for file in corpus_sdps() {
        let original = std::fs::read_to_string(&file).expect("read");
        let (code, redacted) = sdp_inspect(&["--redact", file.to_str().expect("path")]);
        assert_eq!(code, 0, "{}", file.display());
        assert_eq!(
            redacted.lines().count(),
            original.lines().count(),
            "{}",
            file.display()
        );
        for s in secrets(&original) {
            // 0.0.0.0 and the like are placeholders, kept on purpose.
            if s.trim() == "0.0.0.0" {
                continue;
            }
            assert!(!redacted.contains(&s), "{}: {s:?} survived", file.display());
        }
        let out = tmp.join(file.file_name().expect("name"));
        std::fs::write(&out, &redacted).expect("write");
        let (code, diagnostics) = sdp_inspect(&["--check", out.to_str().expect("path")]);
        assert_eq!((code, diagnostics.as_str()), (0, ""), "{}", file.display());
    }
    std::fs::remove_dir_all(&tmp).expect("clean up");
}

#[test]
fn redaction_is_stable_across_runs_and_shared_values() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/sdp/chromium-call-offer.sdp");
    let path = file.to_str().expect("path");
    let (_, a) = sdp_inspect(&["--redact", path]);
    let (_, b) = sdp_inspect(&["--redact", path]);
    assert_eq!(a, b);
    // Both BUNDLEd sections share one ufrag, so both get the same mask.
    let ufrags: Vec<&str> = a
        .lines()
        .filter(|l| l.starts_with("a=ice-ufrag:"))
        .collect();
    assert!(ufrags.len() >= 2);
    assert!(
        ufrags.iter().all(|u| u.trim_end() == "a=ice-ufrag:uf01"),
        "{ufrags:?}"
    );
}

#[test]
fn answer_alone_runs_the_offer_answer_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/sdp");
    let offer = dir.join("chromium-call-offer.sdp");
    let answer = dir.join("chromium-call-answer.sdp");
    let (code, out) = sdp_inspect(&[
        offer.to_str().expect("path"),
        "--answer",
        answer.to_str().expect("path"),
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    // An answer that is not an answer to this offer (two sections against three) is flagged.
    let other = dir.join("chromium-datachannel-offer.sdp");
    let (code, out) = sdp_inspect(&[
        offer.to_str().expect("path"),
        "--answer",
        other.to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error"), "{out}");
}
