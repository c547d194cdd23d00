//! The `check` module: every corpus SDP and offer/answer pair is clean, and
//! each rule fires on a description that breaks it, at the right place.

use sdp_parse::check::{self, Finding, Role};
use sdp_parse::{SessionDescription, Severity};

fn read(name: &str) -> String {
    let path = format!("{}/../corpus/sdp/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn show(f: &[Finding]) -> String {
    f.iter().map(|f| format!("{f}\n")).collect()
}

#[test]
fn corpus_descriptions_are_clean() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/sdp");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let sdp = SessionDescription::parse(&text).unwrap();
        let role = Role::detect(&sdp);
        let f = check::check(&sdp, role);
        assert!(f.is_empty(), "{}:\n{}", path.display(), show(&f));
        n += 1;
    }
    assert_eq!(n, 13);
}

#[test]
fn corpus_offer_answer_pairs_are_compatible() {
    for (o, a) in [
        ("chromium-av-offer.sdp", "chromium-av-answer.sdp"),
        ("chromium-call-offer.sdp", "chromium-call-answer.sdp"),
        ("aiortc-av-data-offer.sdp", "aiortc-av-data-answer.sdp"),
    ] {
        let (ot, at) = (read(o), read(a));
        let offer = SessionDescription::parse(&ot).unwrap();
        let answer = SessionDescription::parse(&at).unwrap();
        assert_eq!(Role::detect(&offer), Role::Offer, "{o}");
        assert_eq!(Role::detect(&answer), Role::Answer, "{a}");
        let f = check::check_answer(&offer, &answer);
        assert!(f.is_empty(), "{o} / {a}:\n{}", show(&f));
    }
}

const FP: &str = "DD:73:46:AE:DE:3B:9C:F3:46:88:90:47:F5:7F:7A:3D:1A:C2:EA:06:23:69:63:93:85:9C:5A:43:FF:81:26:DD";

fn offer() -> String {
    [
        "v=0",
        "o=- 1 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "c=IN IP4 0.0.0.0",
        "a=mid:0",
        "a=ice-ufrag:PHmR",
        "a=ice-pwd:9W1SO6VGJ2TIPIUY1A44T/i4",
        &format!("a=fingerprint:sha-256 {FP}"),
        "a=setup:actpass",
        "a=rtcp-mux",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10",
        "a=rtcp-fb:111 transport-cc",
        "a=ssrc:1 cname:x",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "c=IN IP4 0.0.0.0",
        "a=mid:1",
        "a=sendonly",
        "a=rtcp-mux",
        "a=rtpmap:96 VP8/90000",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96",
        "a=rid:q send",
        "a=rid:h send",
        "a=simulcast:send q;h",
        "a=ssrc-group:FID 2 3",
        "a=ssrc:2 cname:x",
        "a=ssrc:3 cname:x",
        "",
    ]
    .join("\r\n")
}

fn answer() -> String {
    offer()
        .replace("a=setup:actpass", "a=setup:active")
        .replace("a=sendonly", "a=recvonly")
        .replace("a=rid:q send", "a=rid:q recv")
        .replace("a=rid:h send", "a=rid:h recv")
        .replace("a=simulcast:send", "a=simulcast:recv")
}

fn replaced(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "{from:?} not in the base");
    base.replacen(from, to, 1)
}

fn assert_finds(f: &[Finding], rule: &str, line: usize, column: usize, context: &str) {
    assert!(
        f.iter()
            .any(|f| (f.rule, f.location.line, f.location.column) == (rule, line, column)),
        "{context}: expected {rule} at {line}:{column}, got:\n{}",
        show(f)
    );
}

#[test]
fn base_offer_and_answer_are_clean() {
    let (o, a) = (offer(), answer());
    let offer = SessionDescription::parse(&o).unwrap();
    let answer = SessionDescription::parse(&a).unwrap();
    assert_eq!(check::check(&offer, Role::Offer), []);
    assert_eq!(check::check_answer(&offer, &answer), []);
}

/// `(replace, with, role, rule, line, column)` on the base offer.
const OFFER_CASES: &[(&str, &str, Role, &str, usize, usize)] = &[
    (
        "a=group:BUNDLE 0 1",
        "a=group:BUNDLE 0 1 2",
        Role::Offer,
        "bundle-mid-exists",
        5,
        20,
    ),
    (
        "a=group:BUNDLE 0 1",
        "a=group:BUNDLE 0 1 0",
        Role::Offer,
        "group-mid-unique",
        5,
        16,
    ),
    (
        "a=group:BUNDLE 0 1",
        "a=group:BUNDLE 0\r\na=group:BUNDLE 1 0",
        Role::Offer,
        "bundle-mid-unique",
        6,
        18,
    ),
    ("a=mid:1", "a=mid:0", Role::Offer, "mid-unique", 21, 7),
    ("a=mid:1\r\n", "", Role::Offer, "mid-required", 19, 1),
    (
        "a=ice-ufrag:PHmR",
        "a=ice-ufrag:PH",
        Role::Offer,
        "ice-ufrag-syntax",
        9,
        13,
    ),
    (
        "a=ice-ufrag:PHmR",
        "a=ice-ufrag:PH-R",
        Role::Offer,
        "ice-ufrag-syntax",
        9,
        13,
    ),
    (
        "a=ice-pwd:9W1SO6VGJ2TIPIUY1A44T/i4",
        "a=ice-pwd:short",
        Role::Offer,
        "ice-pwd-syntax",
        10,
        11,
    ),
    (
        "a=ice-ufrag:PHmR\r\n",
        "",
        Role::Offer,
        "ice-ufrag-present",
        6,
        1,
    ),
    (
        "a=ice-pwd:9W1SO6VGJ2TIPIUY1A44T/i4\r\n",
        "",
        Role::Offer,
        "ice-pwd-present",
        6,
        1,
    ),
    (
        "a=fingerprint:sha-256",
        "a=fingerprint:sha-999",
        Role::Offer,
        "fingerprint-hash",
        11,
        15,
    ),
    (
        ":26:DD\r\n",
        ":26\r\n",
        Role::Offer,
        "fingerprint-length",
        11,
        23,
    ),
    (
        "a=fingerprint:sha-256",
        "a=fingerprint:sha-1",
        Role::Offer,
        "fingerprint-length",
        11,
        21,
    ),
    (
        "a=setup:actpass\r\n",
        "",
        Role::Offer,
        "setup-present",
        6,
        1,
    ),
    (
        "a=setup:actpass",
        "a=setup:active",
        Role::Offer,
        "setup-offer",
        12,
        9,
    ),
    (
        "a=setup:actpass",
        "a=setup:actpass",
        Role::Answer,
        "setup-answer",
        12,
        9,
    ),
    (
        "a=rtcp-fb:111 transport-cc",
        "a=rtcp-fb:112 transport-cc",
        Role::Offer,
        "payload-type-in-mline",
        17,
        11,
    ),
    (
        "a=rtpmap:97 rtx/90000",
        "a=rtpmap:98 rtx/90000",
        Role::Offer,
        "payload-type-in-mline",
        25,
        10,
    ),
    (
        "a=fmtp:111 minptime=10",
        "a=fmtp:110 minptime=10",
        Role::Offer,
        "payload-type-in-mline",
        16,
        8,
    ),
    (
        "a=fmtp:97 apt=96",
        "a=fmtp:97 apt=98",
        Role::Offer,
        "rtx-apt",
        26,
        15,
    ),
    (
        "a=fmtp:97 apt=96",
        "a=fmtp:97 rtx-time=3000",
        Role::Offer,
        "rtx-apt",
        26,
        1,
    ),
    (
        "SAVPF 96 97",
        "SAVPF 96 97 x7",
        Role::Offer,
        "fmt-payload-type",
        19,
        35,
    ),
    (
        "SAVPF 96 97",
        "SAVPF 96 97 128",
        Role::Offer,
        "fmt-payload-type",
        19,
        35,
    ),
    (
        "SAVPF 96 97",
        "SAVPF 96 97 96",
        Role::Offer,
        "duplicate-payload-type",
        19,
        29,
    ),
    (
        "a=rtpmap:97 rtx/90000",
        "a=rtpmap:96 rtx/90000",
        Role::Offer,
        "duplicate-payload-type",
        25,
        10,
    ),
    (
        "a=ssrc-group:FID 2 3",
        "a=ssrc-group:FID 2 4",
        Role::Offer,
        "ssrc-group-members",
        30,
        20,
    ),
    (
        "a=simulcast:send q;h",
        "a=simulcast:send q;x",
        Role::Offer,
        "simulcast-rid-declared",
        29,
        20,
    ),
    (
        "a=simulcast:send q;h",
        "a=simulcast:send q;x",
        Role::Offer,
        "rid-unused",
        28,
        7,
    ),
    (
        "a=rid:h send",
        "a=rid:h recv",
        Role::Offer,
        "simulcast-rid-direction",
        29,
        20,
    ),
    (
        "a=rid:q send",
        "a=rid:q send pt=98",
        Role::Offer,
        "rid-payload-type",
        27,
        17,
    ),
    (
        "a=extmap:1 urn",
        "a=extmap:15 urn",
        Role::Offer,
        "extmap-id-range",
        14,
        10,
    ),
    (
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:1 urn:a\r\na=extmap:1 urn:b",
        Role::Offer,
        "extmap-id-unique",
        15,
        10,
    ),
    (
        "a=rtcp-mux\r\na=rtpmap:96",
        "a=rtcp-mux-only\r\na=rtpmap:96",
        Role::Offer,
        "rtcp-mux-only",
        23,
        1,
    ),
];

#[test]
fn offer_rules_fire_where_broken() {
    for &(from, to, role, rule, line, column) in OFFER_CASES {
        let text = replaced(&offer(), from, to);
        let sdp = SessionDescription::parse(&text).unwrap_or_else(|e| panic!("{to:?}: {e}"));
        let f = check::check(&sdp, role);
        assert_finds(&f, rule, line, column, to);
        let hit = f.iter().find(|f| f.rule == rule).unwrap();
        assert!(hit.rfc.starts_with("RFC "), "{hit}");
        let expected = if rule == "rid-unused" {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert_eq!(hit.severity, expected, "{hit}");
        // The span points at the text the location names.
        let col_text = &text[hit.location.span.clone()];
        let line_text = text.split("\r\n").nth(line - 1).unwrap();
        assert_eq!(
            &line_text[column - 1..][..col_text.len()],
            col_text,
            "{hit}"
        );
    }
}

#[test]
fn extmap_up_to_255_with_allow_mixed() {
    let text = replaced(&offer(), "a=extmap:1 urn", "a=extmap:200 urn");
    let sdp = SessionDescription::parse(&text).unwrap();
    assert_finds(
        &check::check(&sdp, Role::Offer),
        "extmap-id-range",
        14,
        10,
        "no allow-mixed",
    );
    let text = replaced(&text, "t=0 0\r\n", "t=0 0\r\na=extmap-allow-mixed\r\n");
    let sdp = SessionDescription::parse(&text).unwrap();
    assert_eq!(check::check(&sdp, Role::Offer), []);
}

/// `(offer replace, with, answer replace, with, rule, answer line, column)`.
const ANSWER_CASES: &[(&str, &str, &str, &str, &str, usize, usize)] = &[
    (
        "",
        "",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "m=audio 9 UDP/TLS/RTP/SAVPF 96 97",
        "oa-mline-kind",
        19,
        3,
    ),
    (
        "",
        "",
        "m=video 9 UDP/TLS/RTP/SAVPF",
        "m=video 9 RTP/SAVPF",
        "oa-mline-proto",
        19,
        11,
    ),
    ("", "", "a=mid:1", "a=mid:x", "oa-mid-match", 21, 7),
    (
        "",
        "",
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:111 G7221/16000",
        "oa-codec-subset",
        15,
        10,
    ),
    (
        "",
        "",
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:111 opus/24000/2",
        "oa-codec-clock-rate",
        15,
        10,
    ),
    (
        "",
        "",
        "SAVPF 111\r\n",
        "SAVPF 110\r\n",
        "oa-codec-payload-type",
        15,
        10,
    ),
    ("", "", "a=recvonly", "a=sendonly", "oa-direction", 22, 3),
    ("", "", "a=recvonly", "a=sendrecv", "oa-direction", 22, 3),
    (
        "a=setup:actpass",
        "a=setup:active",
        "",
        "",
        "oa-setup-roles",
        12,
        9,
    ),
    (
        "a=group:BUNDLE 0 1",
        "a=group:BUNDLE 0",
        "",
        "",
        "oa-bundle-subset",
        5,
        18,
    ),
    (
        "m=video 9 ",
        "m=video 0 ",
        "",
        "",
        "oa-rejected-port",
        19,
        9,
    ),
];

#[test]
fn answer_rules_fire_where_broken() {
    for &(of, ot, af, at, rule, line, column) in ANSWER_CASES {
        let o = if of.is_empty() {
            offer()
        } else {
            replaced(&offer(), of, ot)
        };
        let mut a = if af.is_empty() {
            answer()
        } else {
            replaced(&answer(), af, at)
        };
        if rule == "oa-codec-payload-type" {
            a = a
                .replace("a=rtpmap:111", "a=rtpmap:110")
                .replace("a=fmtp:111", "a=fmtp:110")
                .replace("a=rtcp-fb:111", "a=rtcp-fb:110");
        }
        let offer = SessionDescription::parse(&o).unwrap();
        let answer = SessionDescription::parse(&a).unwrap();
        let f = check::check_answer(&offer, &answer);
        assert_finds(&f, rule, line, column, rule);
    }
}

#[test]
fn answer_with_fewer_sections_is_reported_at_its_end() {
    let a = answer();
    let cut = &a[..a.find("m=video").unwrap()];
    let offer_text = offer();
    let offer = SessionDescription::parse(&offer_text).unwrap();
    let answer = SessionDescription::parse(cut).unwrap();
    let f = check::check_answer(&offer, &answer);
    assert_finds(&f, "oa-mline-count", 19, 1, "fewer sections");
    let count = f.iter().find(|f| f.rule == "oa-mline-count").unwrap();
    assert!(
        count.message.contains("1 m-sections, the offer 2"),
        "{count}"
    );
}

/// A SIP DTLS-SRTP offer (RFC 5763 §5: `UDP/TLS/RTP/SAVP`, no ICE attribute)
/// does not use ICE, so it needs no `a=ice-ufrag`/`a=ice-pwd`; the same
/// section with a candidate does, and a JSEP proto always does.
#[test]
fn ice_credentials_are_required_only_where_ice_is_used() {
    let sip = |proto: &str, extra: &str| {
        let mut s = format!(
            "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n\
             m=audio 5000 {proto} 0\r\na=rtpmap:0 PCMU/8000\r\na=setup:actpass\r\n\
             a=fingerprint:sha-256 {FP}\r\n"
        );
        s.push_str(extra);
        s
    };
    let rules = |text: &str| {
        let sdp = SessionDescription::parse(text).unwrap();
        check::check(&sdp, Role::Offer)
            .into_iter()
            .map(|f| (f.rule, f.location.line))
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&sip("UDP/TLS/RTP/SAVP", "")), []);
    assert_eq!(
        rules(&sip(
            "UDP/TLS/RTP/SAVP",
            "a=candidate:1 1 udp 2130706431 192.0.2.5 5000 typ host\r\n"
        )),
        [("ice-ufrag-present", 6), ("ice-pwd-present", 6)]
    );
    assert_eq!(
        rules(&sip("UDP/TLS/RTP/SAVPF", "")),
        [("ice-ufrag-present", 6), ("ice-pwd-present", 6)]
    );
}

/// RFC 5888 §9.1: an answerer that does not implement grouping ignores the
/// offered mids, so a SIP answer with no mid anywhere is clean; an answer
/// that has mids must echo the offer's in every section.
#[test]
fn answers_without_any_mid_are_not_mid_mismatches() {
    let offer_text = "v=0\r\no=alice 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n\
                      m=audio 49170 RTP/AVP 0 8\r\na=mid:a\r\nm=video 51372 RTP/AVP 31\r\na=mid:v\r\n";
    let answer_text =
        "v=0\r\no=bob 2 2 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\n\
                       m=audio 49174 RTP/AVP 8\r\nm=video 0 RTP/AVP 31\r\n";
    let offer = SessionDescription::parse(offer_text).unwrap();
    let answer = SessionDescription::parse(answer_text).unwrap();
    assert_eq!(check::check_answer(&offer, &answer), []);

    let partial = answer_text.replace("RTP/AVP 8\r\n", "RTP/AVP 8\r\na=mid:a\r\n");
    let answer = SessionDescription::parse(&partial).unwrap();
    let f = check::check_answer(&offer, &answer);
    let found: Vec<_> = f
        .iter()
        .map(|f| (f.rule, f.location.line, f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "oa-mid-match",
            8,
            "m-section 1 has no mid in the answer but mid \"v\" in the offer"
        )]
    );
}

/// Spans point into the input also after lines that ended in whitespace
/// (kept by lenient parsing, written back after their line) and when the
/// input has no `o=` line.
#[test]
fn spans_count_trailing_whitespace_and_missing_lines() {
    for header in [
        "v=0 \r\no=- 1 2 IN IP4 127.0.0.1\r\ns=- \r\n",
        "v=0\r\ns=x\r\n",
    ] {
        let text = format!(
            "{header}t=0 0 \r\na=group:BUNDLE 0 7\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0 \r\na=mid:0\r\n"
        );
        let sdp = SessionDescription::parse_lenient(&text)
            .unwrap()
            .description;
        let f = check::check(&sdp, Role::Offer);
        let hit = f
            .iter()
            .find(|f| f.rule == "bundle-mid-exists")
            .unwrap_or_else(|| panic!("{}", show(&f)));
        assert_eq!(&text[hit.location.span.clone()], "7", "{header:?}");
        let line = text.lines().nth(hit.location.line - 1).unwrap();
        assert_eq!(line, "a=group:BUNDLE 0 7");
    }
}
