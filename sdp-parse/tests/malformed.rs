//! Malformed inputs: each gives the exact error kind and line:column in strict
//! mode; in lenient mode the same finding is a warning, the line is kept
//! verbatim and the description still writes back byte for byte.

use sdp_parse::{ErrorKind, Line, Mode, SessionDescription, Severity};

const HEAD: &str =
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

/// `(line 6 of a media section, kind, column, text the message must contain)`.
const MEDIA_LINE_CASES: &[(&str, ErrorKind, usize, &str)] = &[
    (
        "a=rtpmap:111 opus/9000x/2",
        ErrorKind::InvalidNumber,
        19,
        "rtpmap clock rate \"9000x\" is not a number",
    ),
    (
        "a=rtpmap:128 opus/48000/2",
        ErrorKind::OutOfRange,
        10,
        "rtpmap payload type 128 is out of range",
    ),
    (
        "a=rtpmap:096 opus/48000/2",
        ErrorKind::InvalidNumber,
        10,
        "leading zero",
    ),
    (
        "a=rtpmap:111",
        ErrorKind::MissingField,
        13,
        "missing rtpmap encoding name",
    ),
    (
        "a=rtpmap:111 opus",
        ErrorKind::MissingField,
        18,
        "missing rtpmap clock rate",
    ),
    (
        "a=rtpmap",
        ErrorKind::MissingField,
        9,
        "rtpmap needs a value",
    ),
    (
        "a=fmtp:111",
        ErrorKind::MissingField,
        11,
        "missing fmtp parameters",
    ),
    (
        "a=rtcp-fb:111 trr-int abc",
        ErrorKind::InvalidNumber,
        23,
        "trr-int interval \"abc\"",
    ),
    (
        "a=rtcp-fb:111 ccm",
        ErrorKind::MissingField,
        18,
        "ccm parameter",
    ),
    (
        "a=extmap:1/sideways urn:x",
        ErrorKind::InvalidValue,
        12,
        "extmap direction \"sideways\"",
    ),
    (
        "a=extmap:1",
        ErrorKind::MissingField,
        11,
        "missing extmap URI",
    ),
    (
        "a=ssrc:abc cname:x",
        ErrorKind::InvalidNumber,
        8,
        "ssrc id \"abc\"",
    ),
    (
        "a=ssrc-group:FID 1 x",
        ErrorKind::InvalidNumber,
        20,
        "ssrc-group SSRC \"x\"",
    ),
    (
        "a=candidate:1 0 udp 1 192.0.2.1 9 typ host",
        ErrorKind::OutOfRange,
        15,
        "component-id 0",
    ),
    (
        "a=candidate:1 1 udp 1 192.0.2.1 9 type host",
        ErrorKind::InvalidValue,
        35,
        "expected \"typ\"",
    ),
    (
        "a=candidate:1 1 udp 1 192.0.2.1 9 typ host generation",
        ErrorKind::MissingField,
        54,
        "value of candidate extension \"generation\"",
    ),
    (
        "a=candidate:1 1 udp 99999999999 192.0.2.1 9 typ host",
        ErrorKind::OutOfRange,
        21,
        "candidate priority",
    ),
    (
        "a=candidate:1 1 udp 1 192.0.2.1 9 typ host raddr",
        ErrorKind::MissingField,
        49,
        "value of candidate extension \"raddr\"",
    ),
    (
        "a=fingerprint:sha-256 AB:CD:E",
        ErrorKind::InvalidValue,
        29,
        "fingerprint byte \"E\"",
    ),
    (
        "a=fingerprint:sha-256",
        ErrorKind::MissingField,
        22,
        "missing fingerprint value",
    ),
    (
        "a=setup:server",
        ErrorKind::InvalidValue,
        9,
        "setup role \"server\"",
    ),
    (
        "a=rtcp-mux:1",
        ErrorKind::TrailingData,
        12,
        "rtcp-mux takes no value",
    ),
    (
        "a=simulcast:send q;h recv",
        ErrorKind::MissingField,
        26,
        "missing simulcast stream list",
    ),
    (
        "a=simulcast:send q send h",
        ErrorKind::InvalidValue,
        13,
        "simulcast lists both \"send\"",
    ),
    (
        "a=simulcast:send q;h!",
        ErrorKind::InvalidValue,
        20,
        "simulcast rid \"h!\"",
    ),
    (
        "a=rid:q sideways",
        ErrorKind::InvalidValue,
        9,
        "rid direction \"sideways\"",
    ),
    (
        "a=rid:q send pt",
        ErrorKind::MissingField,
        16,
        "pt restriction",
    ),
    (
        "a=sctp-port:70000",
        ErrorKind::OutOfRange,
        13,
        "sctp-port 70000",
    ),
    ("a=ptime:2o", ErrorKind::InvalidNumber, 9, "ptime \"2o\""),
    (
        "a=group:BUNDLE 0  1",
        ErrorKind::InvalidValue,
        18,
        "empty group identification-tag",
    ),
    (
        "a=msid:a b c",
        ErrorKind::TrailingData,
        12,
        "unexpected text \"c\"",
    ),
    ("a=mid:", ErrorKind::MissingField, 7, "mid value is empty"),
    (
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80",
        ErrorKind::MissingField,
        35,
        "missing crypto key-params",
    ),
    (
        "a=rtcp:abc",
        ErrorKind::InvalidNumber,
        8,
        "rtcp port \"abc\"",
    ),
    (
        "a=rtcp:9 IN IP4",
        ErrorKind::MissingField,
        16,
        "missing rtcp connection-address",
    ),
    (
        "a=sendrecv ",
        ErrorKind::TrailingWhitespace,
        11,
        "whitespace at the end of the line",
    ),
    (
        "c=IN IP4",
        ErrorKind::MissingField,
        9,
        "missing connection connection-address",
    ),
    (
        "b=AS",
        ErrorKind::MissingField,
        3,
        "not of the form <bwtype>:<bandwidth>",
    ),
    (
        "b=AS:x",
        ErrorKind::InvalidNumber,
        6,
        "bandwidth value \"x\"",
    ),
    (
        "t=0 0",
        ErrorKind::LineOrder,
        1,
        "\"t=\" line is not allowed in a media section",
    ),
    (
        "hello",
        ErrorKind::LineSyntax,
        1,
        "not of the form <type>=<value>",
    ),
    ("", ErrorKind::LineSyntax, 1, "empty line"),
];

#[test]
fn media_line_table() {
    for &(bad, kind, column, needle) in MEDIA_LINE_CASES {
        let text = format!("{HEAD}{bad}\r\na=mid:0\r\n");
        let e = SessionDescription::parse(&text).expect_err(bad);
        assert_eq!(
            (e.kind, e.line, e.column),
            (kind, 6, column),
            "{bad:?}: {e}"
        );
        assert_eq!(e.severity, Severity::Error);
        assert!(
            e.message.contains(needle),
            "{bad:?}: message {:?} lacks {needle:?}",
            e.message
        );
        assert_eq!(
            &text[e.span.start - (column - 1)..][..bad.len()],
            bad,
            "{bad:?}: span is on the line"
        );
        assert!(
            e.to_string()
                .starts_with(&format!("line 6, column {column}: ")),
            "{e}"
        );

        let p = SessionDescription::parse_lenient(&text).unwrap_or_else(|e| panic!("{bad:?}: {e}"));
        assert_eq!(p.warnings.len(), 1, "{bad:?}: {:?}", p.warnings);
        let w = &p.warnings[0];
        assert_eq!(
            (w.kind, w.line, w.column, w.severity),
            (kind, 6, column, Severity::Warning),
            "{bad:?}"
        );
        let m = &p.description.media[0];
        let kept_raw = m.lines[0] == Line::Malformed(bad);
        // An out-of-place line parses but is reported, as does one with
        // trailing whitespace (read without it); a malformed one is kept raw.
        assert!(
            kept_raw || kind == ErrorKind::LineOrder || kind == ErrorKind::TrailingWhitespace,
            "{bad:?}: {:?}",
            m.lines[0]
        );
        assert_eq!(m.mid(), Some("0"), "{bad:?}: lenient parsing went on");
        assert_eq!(p.description.to_string(), text, "{bad:?}: lossless");
    }
}

/// Errors that stop lenient parsing too: `(input, kind, line, column)`.
const FATAL_CASES: &[(&str, ErrorKind, usize, usize)] = &[
    ("", ErrorKind::Empty, 1, 1),
    ("v=1\r\n", ErrorKind::InvalidValue, 1, 3),
    ("o=- 1 2 IN IP4 127.0.0.1\r\n", ErrorKind::MissingLine, 1, 1),
    // A lone CR is a cut-short empty line: nothing holds v=.
    ("\r", ErrorKind::MissingLine, 1, 2),
    ("\n", ErrorKind::MissingLine, 1, 1),
    (
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio x RTP/AVP 0\r\n",
        ErrorKind::InvalidNumber,
        5,
        9,
    ),
    // (An m= line without formats is kept leniently: tests/real_world_constructs.rs.)
    (
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9\r\n",
        ErrorKind::MissingField,
        5,
        10,
    ),
];

#[test]
fn fatal_table() {
    for &(text, kind, line, column) in FATAL_CASES {
        for mode in [Mode::Strict, Mode::Lenient] {
            let e = SessionDescription::parse_with(text, mode).expect_err(text);
            assert_eq!(
                (e.kind, e.line, e.column),
                (kind, line, column),
                "{text:?} {mode:?}: {e}"
            );
        }
    }
}

/// A missing or malformed `o=` or `s=` line (RFC 8866 §5.2, §5.3): an error
/// in strict mode; lenient parsing warns at the same place and goes on, as
/// RTSP cameras need, keeping the text so that it writes back the same.
/// `(input, kind, line, column)`.
const HEADER_CASES: &[(&str, ErrorKind, usize, usize)] = &[
    ("v=0\r\ns=-\r\nt=0 0\r\n", ErrorKind::MissingLine, 2, 1),
    (
        "v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n",
        ErrorKind::MissingField,
        2,
        15,
    ),
    (
        "v=0\r\no=- x 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",
        ErrorKind::InvalidNumber,
        2,
        5,
    ),
    (
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n",
        ErrorKind::MissingLine,
        3,
        1,
    ),
    (
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n",
        ErrorKind::MissingLine,
        3,
        1,
    ),
    ("v=0\r\n", ErrorKind::MissingLine, 2, 1),
    // A missing line after an unterminated one is reported at that line's end.
    ("v=0", ErrorKind::MissingLine, 1, 4),
    (
        "v=0\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n",
        ErrorKind::MissingLine,
        2,
        1,
    ),
];

#[test]
fn header_table() {
    for &(text, kind, line, column) in HEADER_CASES {
        let e = SessionDescription::parse(text).expect_err(text);
        assert_eq!(
            (e.kind, e.line, e.column),
            (kind, line, column),
            "{text:?}: {e}"
        );
        let p = SessionDescription::parse_lenient(text).expect(text);
        let w = &p.warnings[0];
        assert_eq!(
            (w.kind, w.line, w.column, w.severity),
            (kind, line, column, Severity::Warning),
            "{text:?}: {w}"
        );
        assert_eq!(p.description.to_string(), text, "{text:?}");
    }
}

/// Session-level findings: `(session lines after s=, kind, line, column)`.
const SESSION_CASES: &[(&str, ErrorKind, usize, usize)] = &[
    // RFC 8866 §5: `c=` comes before `t=` and `a=`.
    (
        "t=0 0\r\na=ice-lite\r\nc=IN IP4 192.0.2.1\r\n",
        ErrorKind::LineOrder,
        6,
        1,
    ),
    ("t=0 0\r\ni=late\r\n", ErrorKind::LineOrder, 5, 1),
    ("r=7d 1h 0 25h\r\nt=0 0\r\n", ErrorKind::LineOrder, 4, 1),
    ("i=a\r\ni=b\r\nt=0 0\r\n", ErrorKind::LineOrder, 5, 1),
    ("a=ice-lite\r\n", ErrorKind::MissingLine, 5, 1),
    // No `t=` before the first `m=` line, which ends the session section.
    (
        "a=ice-lite\r\nm=audio 9 RTP/AVP 0\r\nt=0 0\r\n",
        ErrorKind::MissingLine,
        5,
        1,
    ),
    ("t=0\r\n", ErrorKind::MissingField, 4, 4),
];

#[test]
fn session_table() {
    for &(lines, kind, line, column) in SESSION_CASES {
        let text = format!("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n{lines}");
        let e = SessionDescription::parse(&text).expect_err(lines);
        assert_eq!(
            (e.kind, e.line, e.column),
            (kind, line, column),
            "{lines:?}: {e}"
        );
        let p = SessionDescription::parse_lenient(&text).unwrap();
        assert!(
            p.warnings
                .iter()
                .any(|w| (w.kind, w.line, w.column) == (kind, line, column)),
            "{lines:?}: {:?}",
            p.warnings
        );
        assert_eq!(p.description.to_string(), text, "{lines:?}: lossless");
    }
}

#[test]
fn empty_session_name_is_an_error_strictly_and_a_warning_leniently() {
    let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\r\nt=0 0\r\n";
    let e = SessionDescription::parse(text).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::EmptySessionName, 3, 3)
    );
    let p = SessionDescription::parse_lenient(text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.description.to_string(), text);
}

#[test]
fn invalid_utf8_is_located() {
    let bytes = b"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=caf\xe9\r\nt=0 0\r\n";
    let e = SessionDescription::parse_bytes(bytes, Mode::Strict).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column, e.span),
        (ErrorKind::InvalidUtf8, 3, 6, 36..37)
    );
}

#[test]
fn unknown_line_type_is_kept_with_a_warning() {
    let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\ny=why not\r\nm=audio 9 RTP/AVP 0\r\nx=media level\r\n";
    for mode in [Mode::Strict, Mode::Lenient] {
        let p = SessionDescription::parse_with(text, mode).unwrap();
        let w: Vec<_> = p
            .warnings
            .iter()
            .map(|w| (w.kind, w.line, w.column))
            .collect();
        assert_eq!(
            w,
            [
                (ErrorKind::UnknownLineType, 5, 1),
                (ErrorKind::UnknownLineType, 7, 1)
            ]
        );
        assert_eq!(
            p.description.lines[1],
            Line::Unknown {
                kind: 'y',
                value: "why not"
            }
        );
        assert_eq!(p.description.to_string(), text);
    }
}

#[test]
fn bare_lf_and_missing_final_newline_round_trip() {
    let lf = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=sendonly\n";
    let p = SessionDescription::parse_with(lf, Mode::Strict).unwrap();
    assert!(p.warnings.is_empty());
    assert_eq!(p.description.line_ending, sdp_parse::LineEnding::Lf);
    assert_eq!(p.description.to_string(), lf);

    let unterminated = lf.trim_end_matches('\n');
    let sdp = SessionDescription::parse(unterminated).unwrap();
    assert!(!sdp.final_line_ending);
    assert_eq!(sdp.to_string(), unterminated);

    // Mixed endings: a warning, and the writer uses the first line's ending.
    let mixed = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\ns=-\r\nt=0 0\r\n";
    let p = SessionDescription::parse_with(mixed, Mode::Strict).unwrap();
    let w: Vec<_> = p.warnings.iter().map(|w| (w.kind, w.line)).collect();
    assert_eq!(w, [(ErrorKind::MixedLineEndings, 2)]);
    assert_eq!(p.description.to_string(), mixed.replace("1\n", "1\r\n"));
}

#[test]
fn twenty_digit_numbers_up_to_u64_max() {
    let ok = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nb=AS:18446744073709551615\r\nt=0 0\r\n";
    let sdp = SessionDescription::parse(ok).unwrap();
    assert_eq!(sdp.bandwidths().next().unwrap().bandwidth, u64::MAX);
    let over = ok.replace("18446744073709551615", "18446744073709551616");
    let e = SessionDescription::parse(&over).unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::OutOfRange, 4, 6));
}

#[test]
fn lone_cr_at_the_end_ends_the_last_line() {
    let cut = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r";
    let p = SessionDescription::parse_with(cut, Mode::Strict).unwrap();
    let w: Vec<_> = p
        .warnings
        .iter()
        .map(|w| (w.kind, w.line, w.column))
        .collect();
    assert_eq!(w, [(ErrorKind::MixedLineEndings, 6, 21)]);
    let sdp = p.description;
    assert_eq!(sdp.media[0].rtpmaps().next().unwrap().clock_rate, 8000);
    assert!(sdp.final_line_ending);
    assert_eq!(sdp.to_string(), format!("{cut}\n"));
}

#[test]
fn extra_cr_before_crlf_is_not_part_of_the_value() {
    // A value never ends with a CR (RFC 8866 §9); kept, it would come back as a CRLF
    // from an LF writer and change the value on the next parse.
    let doubled = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\r\n";
    let p = SessionDescription::parse_with(doubled, Mode::Strict).unwrap();
    let w: Vec<_> = p
        .warnings
        .iter()
        .map(|w| (w.kind, w.line, w.column, w.span.start))
        .collect();
    assert_eq!(
        w,
        [
            (ErrorKind::MixedLineEndings, 3, 4, 34),
            (ErrorKind::MixedLineEndings, 6, 21, 85)
        ]
    );
    let sdp = p.description;
    assert_eq!(sdp.session_name, Some("-"));
    assert_eq!(sdp.media[0].rtpmaps().next().unwrap().clock_rate, 8000);
    let written = sdp.to_string();
    assert_eq!(written, doubled.replace("\r\r\n", "\r\n"));

    // In an LF description the extra CR would have made a CRLF of the LF.
    let lf = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=tool:x\r\r\n";
    let first = SessionDescription::parse_lenient(lf).unwrap();
    let written = first.description.to_string();
    assert_eq!(written, lf.replace("\r\r\n", "\n"));
    let second = SessionDescription::parse_lenient(&written).unwrap();
    assert_eq!(second.description, first.description);
    assert!(second.warnings.is_empty());

    // The same at the very end of the input.
    let cut = lf.replace("\r\r\n", "\r\r");
    let first = SessionDescription::parse_lenient(&cut).unwrap();
    assert_eq!(first.description.to_string(), written);
}

/// RFC 8866 §6.10: `a=charset` names the character set of the text fields.
#[test]
fn non_utf8_input_is_read_through_its_declared_charset() {
    let latin1: &[u8] = b"v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=Sesi\xf3n\r\ni=\xe9t\xe9\r\nt=0 0\r\na=charset:ISO-8859-1\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000 \xe9\r\n";
    for mode in [Mode::Strict, Mode::Lenient] {
        let r = SessionDescription::parse_bytes(latin1, mode);
        if mode == Mode::Strict {
            // The clock rate is no number: a strict error, placed in the input's bytes.
            let e = r.unwrap_err();
            assert_eq!(
                (e.kind, e.line, e.column),
                (ErrorKind::InvalidNumber, 8, 17)
            );
            assert_eq!(&latin1[e.span.clone()], b"8000 \xe9");
            continue;
        }
        let p = r.unwrap();
        assert_eq!(p.description.session_name.as_deref(), Some("Sesión"));
        let w: Vec<_> = p
            .warnings
            .iter()
            .map(|w| (w.kind, w.line, w.column, w.span.clone()))
            .collect();
        assert_eq!(w.len(), 1, "{:?}", p.warnings);
        assert_eq!((w[0].0, w[0].1, w[0].2), (ErrorKind::InvalidNumber, 8, 17));
        assert_eq!(&latin1[w[0].3.clone()], b"8000 \xe9");
        // Written as UTF-8, which reads back to the same description.
        let written = p.description.to_string();
        assert!(written.contains("s=Sesión\r\ni=été\r\n"), "{written}");
        let again = SessionDescription::parse_lenient(&written).unwrap();
        assert_eq!(again.description.into_owned(), p.description.into_owned());
    }

    // Undeclared: a strict error at the bad byte; lenient reads U+FFFD and warns there.
    let undeclared: &[u8] = b"v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=caf\xe9\r\nt=0 0\r\n";
    let e = SessionDescription::parse_bytes(undeclared, Mode::Strict).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column, e.span),
        (ErrorKind::InvalidUtf8, 3, 6, 36..37)
    );
    let p = SessionDescription::parse_bytes(undeclared, Mode::Lenient).unwrap();
    assert_eq!(p.description.session_name.as_deref(), Some("caf\u{fffd}"));
    let w: Vec<_> = p
        .warnings
        .iter()
        .map(|w| (w.kind, w.severity, w.line, w.column, w.span.clone()))
        .collect();
    assert_eq!(
        w,
        [(ErrorKind::InvalidUtf8, Severity::Warning, 3, 6, 36..37)]
    );
}
