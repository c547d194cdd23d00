//! Constructs that deployed producers emit, each in a minimal description:
//! how lenient and strict parsing treat them, the typed values read from
//! them, and that writing gives back the input bytes.

use sdp_parse::{Direction, ErrorKind, FeedbackType, Line, Mode, SessionDescription, Severity};

fn crlf(lines: &[&str]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s
}

/// RFC 8866 §9 has no trailing whitespace after `v=0`, the origin address or
/// the `m=` formats; SIP phones end every line with a space. Lenient parsing
/// reads each value without it (instead of stopping at `v=`), warns once per
/// line, and writes the spaces back.
#[test]
fn trailing_spaces_on_mandatory_lines_are_read_without_them() {
    let text = crlf(&[
        "v=0 ",
        "o=- 20046 20046 IN IP4 192.0.2.66 ",
        "s=SDP data ",
        "c=IN IP4 192.0.2.66 ",
        "t=0 0 ",
        "m=audio 11796 RTP/AVP 0 101 ",
        "a=rtpmap:101 telephone-event/8000 ",
        "a=fmtp:101 0-15 ",
        "a=sendonly\t",
    ]);
    let e = SessionDescription::parse(&text).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column, e.span),
        (ErrorKind::TrailingWhitespace, 1, 4, 3..4)
    );

    let p = SessionDescription::parse_with(&text, Mode::Lenient).unwrap();
    let found: Vec<_> = p
        .warnings
        .iter()
        .map(|w| (w.kind, w.severity, w.line, w.column))
        .collect();
    let tw = |line, column| {
        (
            ErrorKind::TrailingWhitespace,
            Severity::Warning,
            line,
            column,
        )
    };
    // `s=` is text and `a=fmtp` parameters a byte-string: a trailing space is
    // part of their value (RFC 8866 §9), so those lines get no warning.
    assert_eq!(
        found,
        [
            tw(1, 4),
            tw(2, 34),
            tw(4, 20),
            tw(5, 6),
            tw(6, 28),
            tw(7, 34),
            tw(9, 11)
        ]
    );
    let d = &p.description;
    assert_eq!(d.origin.parsed().unwrap().unicast_address, "192.0.2.66");
    assert_eq!(d.session_name, Some("SDP data "));
    let m = &d.media[0];
    assert_eq!(m.media_line.payload_types().collect::<Vec<_>>(), [0, 101]);
    assert_eq!(m.direction_or(Direction::SendRecv), Direction::SendOnly);
    let codecs = m.codecs();
    assert_eq!(codecs[1].name(), Some("telephone-event"));
    assert_eq!(codecs[1].clock_rate(), Some(8000));
    let events: Vec<_> = codecs[1].fmtp.unwrap().telephone_events().collect();
    assert_eq!(events, [(0, 15)]);
    assert_eq!(
        d.trailing_whitespace
            .iter()
            .map(|&(i, ws)| (i, ws))
            .collect::<Vec<_>>(),
        [
            (0, " "),
            (1, " "),
            (3, " "),
            (4, " "),
            (5, " "),
            (6, " "),
            (8, "\t")
        ]
    );
    assert_eq!(d.to_string(), text, "lossless");
    // The last line's whitespace comes back without a final line ending too.
    let unterminated = text.trim_end_matches("\r\n");
    let p = SessionDescription::parse_with(unterminated, Mode::Lenient).unwrap();
    assert_eq!(p.description.to_string(), unterminated);
}

/// pion and mediasoup write `a=rtcp-fb:96 nack ` (RFC 4585 §4.2 has no
/// trailing space). The feedback used to become a malformed line and vanish
/// from the codec; now it is read as `nack` with no parameter.
#[test]
fn rtcp_fb_with_a_trailing_space_keeps_its_feedback() {
    let text = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 96",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 goog-remb ",
        "a=rtcp-fb:96 nack ",
        "a=rtcp-fb:96 nack pli",
    ]);
    let p = SessionDescription::parse_lenient(&text).unwrap();
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert_eq!(
        (p.warnings[1].kind, p.warnings[1].line, p.warnings[1].column),
        (ErrorKind::TrailingWhitespace, 8, 18)
    );
    let m = &p.description.media[0];
    assert!(!m.lines.iter().any(|l| matches!(l, Line::Malformed(_))));
    let fb: Vec<_> = m.codecs()[0]
        .feedback
        .iter()
        .map(|f| (f.feedback.clone(), f.params))
        .collect();
    assert_eq!(
        fb,
        [
            (FeedbackType::GoogRemb, None),
            (FeedbackType::Nack, None),
            (FeedbackType::Nack, Some("pli")),
        ]
    );
    assert_eq!(p.description.to_string(), text);
}

/// An attribute whose value is a byte-string (RFC 8866 §9) may end in a
/// space: strict parsing accepts it and keeps the space in the value.
#[test]
fn byte_string_attribute_values_keep_their_trailing_space() {
    let text = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 192.0.2.1",
        "s=-",
        "t=0 0",
        "a=tool:libavformat ",
        "m=audio 5004 RTP/AVP 0",
        "a=ssrc:1 cname:a ",
    ]);
    let p = SessionDescription::parse_with(&text, Mode::Strict).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert!(p.description.trailing_whitespace.is_empty());
    assert_eq!(
        p.description.media[0].ssrcs().next().unwrap().value,
        Some("a ")
    );
    assert_eq!(p.description.to_string(), text);
}

/// An `s=` with nothing after it (RFC 3264 §10, RFC 8839 §4.1 examples) has its
/// own kind, so that tools can rank it below grammar errors.
#[test]
fn empty_session_name_has_its_own_kind() {
    let text = crlf(&["v=0", "o=alice 1 1 IN IP4 192.0.2.1", "s=", "t=0 0"]);
    let p = SessionDescription::parse_lenient(&text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(
        (p.warnings[0].kind, p.warnings[0].line, p.warnings[0].column),
        (ErrorKind::EmptySessionName, 3, 3)
    );
}

/// Typed values of constructs Firefox, Chromium and Safari write.
#[test]
fn browser_attribute_values() {
    let text = crlf(&[
        "v=0",
        "o=mozilla...THIS_IS_SDPARTA-99.0 1 0 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 126",
        "c=IN IP4 0.0.0.0",
        "a=extmap:3/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level",
        "a=extmap:13/sendrecv urn:ietf:params:rtp-hdrext:encrypt urn:ietf:params:rtp-hdrext:toffset",
        "a=fmtp:126 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1",
        "a=rtpmap:126 H264/90000",
        "a=rtcp-fb:* nack pli",
        "a=rid:a send max-width=1280;max-height=720",
        "a=rid:b send",
        "a=rid:c send",
        "a=simulcast:send a;b;~c",
        "a=candidate:1 1 UDP 1686052863 203.0.113.7 54609 typ srflx raddr 0.0.0.0 rport 0",
        "a=candidate:2 1 TCP 2105524479 0c1f.local 9 typ host tcptype active",
        "a=candidate:3 1 udp 2122187007 2001:db8::5 49222 typ host",
    ]);
    let p = SessionDescription::parse_with(&text, Mode::Strict).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let m = &p.description.media[0];
    let ext: Vec<_> = m
        .extmaps()
        .map(|e| (e.id, e.direction, e.uri, e.attributes))
        .collect();
    assert_eq!(
        ext,
        [
            (
                3,
                Some(Direction::RecvOnly),
                "urn:ietf:params:rtp-hdrext:csrc-audio-level",
                None
            ),
            (
                13,
                Some(Direction::SendRecv),
                "urn:ietf:params:rtp-hdrext:encrypt",
                Some("urn:ietf:params:rtp-hdrext:toffset")
            ),
        ]
    );
    let c = &m.codecs()[0];
    let h = c.fmtp.unwrap().h264();
    let plid = h.profile_level_id.unwrap();
    assert_eq!(
        (plid.profile_idc, plid.profile_iop, plid.level_idc),
        (0x42, 0xe0, 0x1f)
    );
    assert_eq!(
        (h.packetization_mode, h.level_asymmetry_allowed),
        (Some(1), Some(true))
    );
    assert_eq!(c.feedback.len(), 1);
    assert_eq!(c.feedback[0].payload_type, None);
    assert_eq!(c.feedback[0].params, Some("pli"));
    let rid_a = m.rids().next().unwrap();
    assert_eq!(
        rid_a.params().collect::<Vec<_>>(),
        [("max-width", Some("1280")), ("max-height", Some("720"))]
    );
    let sim = m.simulcast().unwrap();
    let streams: Vec<Vec<(String, bool)>> = sim
        .first
        .streams()
        .map(|alts| alts.map(|r| (r.id.to_owned(), r.paused)).collect())
        .collect();
    assert_eq!(
        streams,
        [
            vec![("a".to_owned(), false)],
            vec![("b".to_owned(), false)],
            vec![("c".to_owned(), true)]
        ]
    );
    let cands: Vec<_> = m.candidates().collect();
    assert_eq!(
        (cands[0].raddr(), cands[0].rport()),
        (Some("0.0.0.0"), Some(0))
    );
    assert_eq!(
        (cands[1].address(), cands[1].tcptype()),
        ("0c1f.local", Some("active"))
    );
    assert_eq!(
        (cands[2].address(), cands[2].port()),
        ("2001:db8::5", 49222)
    );
    assert_eq!(p.description.to_string(), text);
}

/// The simulcast drafts' syntax (`a=simulcast: send rid=hi;lo`) is not RFC
/// 8853's; the error says so instead of "missing simulcast direction", and
/// lenient parsing keeps the line as written.
#[test]
fn draft_simulcast_syntax_is_named() {
    let text = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "m=video 9 UDP/TLS/RTP/SAVPF 120",
        "a=rid:hi send",
        "a=rid:lo send",
        "a=simulcast: send rid=hi;lo",
    ]);
    let e = SessionDescription::parse(&text).unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::InvalidValue, 8, 13));
    assert!(e.message.contains("pre-RFC 8853 draft syntax"), "{e}");
    let p = SessionDescription::parse_lenient(&text).unwrap();
    assert_eq!(
        p.description.media[0].lines[2],
        Line::Malformed("a=simulcast: send rid=hi;lo")
    );
    assert_eq!(p.description.to_string(), text);
}

/// A rejected stream written without formats (`m=video 0 RTP/AVP`; RFC 8866
/// §5.14 and RFC 3264 §6 want at least one) is a strict error; lenient
/// parsing keeps the section with no formats and writes the line back as it
/// was, instead of stopping at it.
#[test]
fn media_line_without_formats_is_kept_leniently() {
    let text = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 192.0.2.1",
        "s=-",
        "c=IN IP4 192.0.2.1",
        "t=0 0",
        "m=audio 5000 RTP/AVP 0",
        "m=video 0 RTP/AVP",
        "a=inactive",
    ]);
    let e = SessionDescription::parse(&text).unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::MissingField, 7, 18));
    let p = SessionDescription::parse_lenient(&text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(
        (p.warnings[0].kind, p.warnings[0].line),
        (ErrorKind::MissingField, 7)
    );
    let m = &p.description.media[1];
    assert_eq!(
        (m.media_line.media, m.media_line.port, m.media_line.proto),
        ("video", 0, "RTP/AVP")
    );
    assert_eq!(m.media_line.formats().count(), 0);
    assert_eq!(m.direction_or(Direction::SendRecv), Direction::Inactive);
    assert_eq!(p.description.to_string(), text);
    // Any other broken m= line still stops lenient parsing.
    let broken = text.replace("m=video 0 RTP/AVP", "m=video x RTP/AVP");
    let e = SessionDescription::parse_lenient(&broken).unwrap_err();
    assert_eq!((e.kind, e.line), (ErrorKind::InvalidNumber, 7));
}

/// pion writes `a=msid-semantic:WMS*`: the semantic is `WMS` and the
/// stream list the wildcard, with the grammar's space left out
/// (draft-ietf-mmusic-msid `msid-list = " *"`); it is written back as it was.
#[test]
fn msid_semantic_with_the_wildcard_attached() {
    let text = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=msid-semantic:WMS*",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "a=rtpmap:111 opus/48000/2",
    ]);
    let p = SessionDescription::parse_with(&text, Mode::Strict).unwrap();
    let ms = p.description.msid_semantic().unwrap();
    assert_eq!(ms.semantic, "WMS");
    assert_eq!(ms.ids().collect::<Vec<_>>(), ["*"]);
    assert!(ms.wildcard_attached);
    assert_eq!(p.description.to_string(), text);
    // Chromium's form for comparison: a space after the colon, none after WMS.
    let chromium = text.replace("a=msid-semantic:WMS*", "a=msid-semantic: WMS");
    let p = SessionDescription::parse(&chromium).unwrap();
    let ms = p.msid_semantic().unwrap();
    assert_eq!((ms.semantic, ms.ids().count()), ("WMS", 0));
    assert_eq!(p.to_string(), chromium);
}

/// SDES-SRTP as SIP servers offer it (RFC 4568 §9.1: tag, suite, key
/// parameters with lifetime and MKI, session parameters), next to
/// `a=rtcp:<port> IN IP4 <addr>` (RFC 3605), telephone-event and ptime, on a
/// plain `RTP/SAVP` section with no ICE or DTLS: parsed strictly and checked
/// clean.
#[test]
fn sdes_srtp_sip_offer() {
    let text = crlf(&[
        "v=0",
        "o=- 1612345678 1612345679 IN IP4 198.51.100.20",
        "s=-",
        "c=IN IP4 198.51.100.20",
        "t=0 0",
        "m=audio 24530 RTP/SAVP 0 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=maxptime:40",
        "a=sendrecv",
        "a=rtcp:24531 IN IP4 198.51.100.21",
        "a=crypto:0 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31|1:1 UNENCRYPTED_SRTCP KDR=1",
    ]);
    let p = SessionDescription::parse_with(&text, Mode::Strict).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let m = &p.description.media[0];
    let crypto: Vec<_> = m
        .attributes()
        .filter_map(|a| match a {
            sdp_parse::Attribute::Crypto(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(crypto.len(), 1);
    let c = crypto[0];
    assert_eq!((c.tag, c.suite), (0, "AES_CM_128_HMAC_SHA1_80"));
    assert_eq!(
        c.key_params().collect::<Vec<_>>(),
        ["inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31|1:1"]
    );
    assert_eq!(c.session_params, Some("UNENCRYPTED_SRTCP KDR=1"));
    let rtcp = m.rtcp().unwrap();
    assert_eq!(rtcp.port, 24531);
    assert_eq!(
        rtcp.connection.as_ref().map(|c| c.host().to_owned()),
        Some("198.51.100.21".to_owned())
    );
    assert_eq!(
        m.codecs()[1]
            .fmtp
            .unwrap()
            .telephone_events()
            .collect::<Vec<_>>(),
        [(0, 16)]
    );
    let f = sdp_parse::check::check(&p.description, sdp_parse::check::Role::Offer);
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(p.description.to_string(), text);
}

/// RTSP cameras leave out or cut short the lines RFC 8866 §5 requires after
/// `v=`: no `o=` (the "macro-video" RTSP server, scottlamb/retina#52), an
/// `o=` cut off after `IN ` (Uniview IPC cameras, bluenviron/gortsplib#618),
/// no `s=`. Strict parsing stops there; lenient parsing warns, keeps what
/// there is, reads the rest, and writes the input back.
#[test]
fn camera_descriptions_without_a_full_header() {
    use sdp_parse::OriginLine;

    let no_origin = crlf(&[
        "v=0",
        "s=streamed by the macro-video rtsp server",
        "t=0 0",
        "a=control:*",
        "a=range:npt=0-",
        "c=IN IP4 0.0.0.0",
        "m=video 0 RTP/AVP 96",
        "b=AS:500",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 profile-level-id=TeAo;packetization-mode=1",
        "a=control:track1",
    ]);
    let e = SessionDescription::parse(&no_origin).unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::MissingLine, 2, 1));
    let p = SessionDescription::parse_lenient(&no_origin).unwrap();
    let d = &p.description;
    assert_eq!(d.origin, OriginLine::Missing);
    assert_eq!(
        d.session_name,
        Some("streamed by the macro-video rtsp server")
    );
    assert_eq!(d.media[0].codecs()[0].name(), Some("H264"));
    assert_eq!(
        d.media[0].fmtp(96).unwrap().h264().packetization_mode,
        Some(1)
    );
    assert_eq!(
        p.warnings
            .iter()
            .map(|w| (w.kind, w.line))
            .collect::<Vec<_>>(),
        // (c= after a= is out of RFC order too.)
        [(ErrorKind::MissingLine, 2), (ErrorKind::LineOrder, 6)]
    );
    assert_eq!(d.to_string(), no_origin);

    let cut_origin = crlf(&[
        "v=0",
        "o=- 1001 1 IN ",
        "s=Media Server",
        "t=0 0",
        "m=video 0 RTP/AVP 96",
        "a=rtpmap:96 H264/90000",
    ]);
    let e = SessionDescription::parse(&cut_origin).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::TrailingWhitespace, 2, 14)
    );
    let p = SessionDescription::parse_lenient(&cut_origin).unwrap();
    assert_eq!(p.description.origin, OriginLine::Malformed("- 1001 1 IN"));
    assert_eq!(p.description.origin.parsed(), None);
    assert_eq!(p.description.session_name, Some("Media Server"));
    assert_eq!(
        p.warnings
            .iter()
            .map(|w| (w.kind, w.line, w.column))
            .collect::<Vec<_>>(),
        [
            (ErrorKind::TrailingWhitespace, 2, 14),
            (ErrorKind::MissingField, 2, 14)
        ]
    );
    assert_eq!(p.description.to_string(), cut_origin);
    assert_eq!(p.description.clone().into_owned().to_string(), cut_origin);

    let no_name = crlf(&[
        "v=0",
        "o=- 1 1 IN IP4 192.0.2.1",
        "t=0 0",
        "m=audio 0 RTP/AVP 0",
    ]);
    let p = SessionDescription::parse_lenient(&no_name).unwrap();
    assert_eq!(p.description.session_name, None);
    assert_eq!(
        p.description.origin.parsed().map(|o| o.unicast_address),
        Some("192.0.2.1")
    );
    assert_eq!(
        (p.warnings[0].kind, p.warnings[0].line),
        (ErrorKind::MissingLine, 3)
    );
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert_eq!(p.description.to_string(), no_name);
}

/// TP-LINK cameras write an `o=` line with one field too many and describe a
/// vendor stream with an `m=` line whose media type is not a token (its
/// format `smart/1/90000` is not a payload type either; androidx/media#1472,
/// pixelbender/go-sdp#5); VCP/GeoVision cameras cut `o=` and `c=` short
/// after `IN` and send no `t=` (AlexxIT/go2rtc#1663). Strict parsing stops at
/// the first; lenient parsing keeps every section, warns where strict
/// parsing stops, reads the codecs, and writes the input back.
#[test]
fn camera_descriptions_with_vendor_media_and_cut_lines() {
    let tp_link = crlf(&[
        "v=0",
        "o=- 14665860 31787219 1 IN IP4 192.168.1.100",
        "s=Session streamed by \"TP-LINK RTSP Server\"",
        "t=0 0",
        "m=video 0 RTP/AVP 96",
        "c=IN IP4 0.0.0.0",
        "b=AS:4096",
        "a=range:npt=0-",
        "a=control:track1",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 packetization-mode=1; profile-level-id=640016",
        "m=audio 0 RTP/AVP 8",
        "a=rtpmap:8 PCMA/8000",
        "a=control:track2",
        "m=application/TP-LINK 0 RTP/AVP smart/1/90000",
        "a=rtpmap:95 TP-LINK/90000",
        "a=control:track3",
    ]);
    let e = SessionDescription::parse(&tp_link).unwrap_err();
    // (Its `o=` has one field too many.)
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::TrailingData, 2, 32));
    let p = SessionDescription::parse_lenient(&tp_link).unwrap();
    let d = &p.description;
    assert_eq!(
        d.origin,
        sdp_parse::OriginLine::Malformed("- 14665860 31787219 1 IN IP4 192.168.1.100")
    );
    assert_eq!(d.media.len(), 3);
    let vendor = &d.media[2].media_line;
    assert_eq!(
        (vendor.media, vendor.port, vendor.proto, vendor.formats),
        ("application/TP-LINK", 0, "RTP/AVP", "smart/1/90000")
    );
    assert_eq!(vendor.kind(), sdp_parse::MediaKind::Other);
    assert_eq!(d.media[2].rtpmap(95).unwrap().encoding_name, "TP-LINK");
    assert_eq!(d.media[1].codecs()[0].name(), Some("PCMA"));
    assert_eq!(
        p.warnings
            .iter()
            .map(|w| (w.kind, w.line, w.column))
            .collect::<Vec<_>>(),
        [
            (ErrorKind::TrailingData, 2, 32),
            (ErrorKind::InvalidValue, 15, 3)
        ]
    );
    assert_eq!(d.to_string(), tp_link);

    let vcp = crlf(&[
        "v=0",
        "o=- 1001 1 IN",
        "s=VCP IPC Realtime stream",
        "m=video 0 RTP/AVP 105",
        "c=IN",
        "a=control:rtsp://192.168.0.60/media/video1/video",
        "a=rtpmap:105 H264/90000",
        "a=recvonly",
        "m=application 0 RTP/AVP 107",
        "c=IN",
        "a=rtpmap:107 vnd.onvif.metadata/90000",
        "a=fmtp:107 DecoderTag=h3c-v3 RTCP=0",
        "a=recvonly",
    ]);
    let p = SessionDescription::parse_lenient(&vcp).unwrap();
    let d = &p.description;
    assert_eq!(d.origin, sdp_parse::OriginLine::Malformed("- 1001 1 IN"));
    assert_eq!(d.media[0].codecs()[0].name(), Some("H264"));
    assert_eq!(d.media[1].codecs()[0].name(), Some("vnd.onvif.metadata"));
    assert_eq!(
        d.media[1].direction_or(Direction::SendRecv),
        Direction::RecvOnly
    );
    assert!(matches!(d.media[0].lines[0], Line::Malformed("c=IN")));
    let kinds: Vec<_> = p.warnings.iter().map(|w| (w.kind, w.line)).collect();
    assert_eq!(
        kinds,
        [
            (ErrorKind::MissingField, 2),
            // No `t=` in the session section, which ends at the first `m=`.
            (ErrorKind::MissingLine, 4),
            (ErrorKind::MissingField, 5),
            (ErrorKind::MissingField, 10),
        ]
    );
    assert_eq!(d.to_string(), vcp);
}
