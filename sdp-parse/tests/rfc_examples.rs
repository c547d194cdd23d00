//! The examples of RFC 8866 §5 and RFC 8843 §18.1 (BUNDLE), and JSEP offer and
//! answer A1 in the shape of RFC 9429 §7.1 (RFC 8829 §7.1): audio and video,
//! BUNDLE and LS groups, RTX, `tls-id`, ICE candidates (addresses, ufrags and
//! keys are illustrative). Each parses strictly without warnings, has the
//! values the example describes, and writes back to the same bytes.
//!
//! The RFCs fold long lines for display; here they are unfolded. RFC 8843
//! renders `s=` with its single space lost, so its examples say `s= ` as
//! RFC 8866 §5.3 requires.

use sdp_parse::{
    BandwidthType, CandidateType, Direction, HashFunction, Line, MediaKind, Mode,
    SessionDescription, Setup,
};

fn crlf(lines: &[&str]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s
}

fn parse_clean(text: &str) -> SessionDescription<'_> {
    let p = SessionDescription::parse_with(text, Mode::Strict).expect("parses strictly");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(
        p.description.to_string(),
        text,
        "writes back the same bytes"
    );
    p.description
}

/// RFC 8866 §5, the example session description.
#[test]
fn rfc8866_section5_example() {
    let text = crlf(&[
        "v=0",
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
        "s=Call to John Smith",
        "i=SDP Offer #1",
        "u=http://www.jdoe.example.com/home.html",
        "e=Jane Doe <jane@jdoe.example.com>",
        "p=+1 617 555-6011",
        "c=IN IP4 198.51.100.1",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0",
        "m=audio 49180 RTP/AVP 0",
        "m=video 51372 RTP/AVP 99",
        "c=IN IP6 2001:db8::2",
        "a=rtpmap:99 h263-1998/90000",
    ]);
    let sdp = parse_clean(&text);
    assert_eq!(sdp.origin.username, "jdoe");
    assert_eq!(sdp.origin.session_id, "3724394400");
    assert_eq!(sdp.origin.session_version, "3724394405");
    assert_eq!(sdp.origin.unicast_address, "198.51.100.1");
    assert_eq!(sdp.session_name, "Call to John Smith");
    assert_eq!(sdp.lines[0], Line::Information("SDP Offer #1".into()));
    assert_eq!(
        sdp.lines[1],
        Line::Uri("http://www.jdoe.example.com/home.html".into())
    );
    assert_eq!(
        sdp.lines[2],
        Line::Email("Jane Doe <jane@jdoe.example.com>".into())
    );
    assert_eq!(sdp.lines[3], Line::Phone("+1 617 555-6011".into()));
    let c: Vec<_> = sdp.connections().collect();
    assert_eq!(
        (c.len(), &*c[0].addr_type, c[0].host()),
        (1, "IP4", "198.51.100.1")
    );
    let t: Vec<_> = sdp.timings().collect();
    assert_eq!((t.len(), t[0].start, t[0].stop), (1, 0, 0));

    assert_eq!(sdp.media.len(), 3);
    let ports: Vec<u16> = sdp.media.iter().map(|m| m.media_line.port).collect();
    assert_eq!(ports, [49170, 49180, 51372]);
    let audio = &sdp.media[0];
    assert_eq!(audio.media_line.kind(), MediaKind::Audio);
    assert_eq!(audio.media_line.proto, "RTP/AVP");
    let codecs = audio.codecs();
    assert_eq!(codecs.len(), 1);
    assert_eq!(
        (codecs[0].name(), codecs[0].clock_rate()),
        (Some("PCMU"), Some(8000))
    );
    assert!(codecs[0].rtpmap.is_none(), "PT 0 is static (RFC 3551)");

    let video = &sdp.media[2];
    assert_eq!(video.media_line.kind(), MediaKind::Video);
    assert_eq!(video.connections().next().unwrap().address, "2001:db8::2");
    let r = video.rtpmap(99).unwrap();
    assert_eq!(
        (
            &*r.encoding_name,
            r.clock_rate,
            r.encoding_params.as_deref()
        ),
        ("h263-1998", 90000, None)
    );
    assert_eq!(video.direction_or(Direction::SendRecv), Direction::SendRecv);
}

const FP: &str = "sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2";

fn jsep_offer_a1() -> String {
    let fp = format!("a=fingerprint:{FP}");
    crlf(&[
        "v=0",
        "o=- 4962303333179871722 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=ice-options:trickle ice2",
        "a=group:BUNDLE a1 v1",
        "a=group:LS a1 v1",
        "m=audio 10100 UDP/TLS/RTP/SAVPF 96 0 8 97 98",
        "c=IN IP4 203.0.113.100",
        "a=mid:a1",
        "a=sendrecv",
        "a=rtpmap:96 opus/48000/2",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:97 telephone-event/8000",
        "a=rtpmap:98 telephone-event/48000",
        "a=fmtp:97 0-15",
        "a=fmtp:98 0-15",
        "a=maxptime:120",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=msid:47017fee-b6c1-4162-929c-a25110252400 f83006c5-a0ff-4e0a-9ed9-d3e6747be7d9",
        "a=ice-ufrag:ETEn",
        "a=ice-pwd:OtSK0WpNtpUjkY4+86js7ZQl",
        &fp,
        "a=setup:actpass",
        "a=tls-id:91bbf309c0990a6bec11e38ba2933cee",
        "a=rtcp:10101 IN IP4 203.0.113.100",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=candidate:1 1 udp 2113929471 203.0.113.100 10100 typ host",
        "a=candidate:1 2 udp 2113929470 203.0.113.100 10101 typ host",
        "a=end-of-candidates",
        "m=video 10102 UDP/TLS/RTP/SAVPF 100 101 102 103 104",
        "c=IN IP4 203.0.113.100",
        "a=mid:v1",
        "a=sendrecv",
        "a=rtpmap:100 VP8/90000",
        "a=rtpmap:101 H264/90000",
        "a=fmtp:101 packetization-mode=1;profile-level-id=42e01f",
        "a=rtpmap:102 rtx/90000",
        "a=fmtp:102 apt=100",
        "a=rtpmap:103 rtx/90000",
        "a=fmtp:103 apt=101",
        "a=rtpmap:104 flexfec/90000",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=rtcp-fb:100 ccm fir",
        "a=rtcp-fb:100 nack",
        "a=rtcp-fb:100 nack pli",
        "a=msid:47017fee-b6c1-4162-929c-a25110252400 f30bdb4a-5db8-49b5-bcdc-e0c9a23172e0",
        "a=ice-ufrag:BGKk",
        "a=ice-pwd:mqyWsAjvtKwTGnvhPztQ9mIf",
        &fp,
        "a=setup:actpass",
        "a=tls-id:91bbf309c0990a6bec11e38ba2933cee",
        "a=rtcp:10103 IN IP4 203.0.113.100",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=candidate:1 1 udp 2113929471 203.0.113.100 10102 typ host",
        "a=candidate:1 2 udp 2113929470 203.0.113.100 10103 typ host",
        "a=end-of-candidates",
    ])
}

/// JSEP offer A1 (RFC 9429 §7.1): audio and video, BUNDLE and LS groups.
#[test]
fn jsep_offer_a1_values() {
    let text = jsep_offer_a1();
    let sdp = parse_clean(&text);
    let groups: Vec<_> = sdp
        .groups()
        .map(|g| (&*g.semantics, g.mids().collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        groups,
        [("BUNDLE", vec!["a1", "v1"]), ("LS", vec!["a1", "v1"])]
    );
    assert_eq!(sdp.ice_options().map(|o| &**o), Some("trickle ice2"));

    let a = sdp.media_by_mid("a1").unwrap();
    assert_eq!(a.ice_ufrag().map(|u| &**u), Some("ETEn"));
    assert_eq!(a.setup(), Some(&Setup::ActPass));
    let fp = a.fingerprints().next().unwrap();
    assert_eq!(fp.hash(), Some(HashFunction::Sha256));
    let bytes = fp.to_bytes();
    assert_eq!((bytes.len(), bytes[0], bytes[31]), (32, 0x19, 0xA2));
    let names: Vec<_> = a
        .codecs()
        .iter()
        .map(|c| {
            (
                c.payload_type,
                c.name().unwrap().to_owned(),
                c.clock_rate().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (96, "opus".to_owned(), 48000),
            (0, "PCMU".to_owned(), 8000),
            (8, "PCMA".to_owned(), 8000),
            (97, "telephone-event".to_owned(), 8000),
            (98, "telephone-event".to_owned(), 48000),
        ]
    );
    assert_eq!(
        a.fmtp(97).unwrap().telephone_events().collect::<Vec<_>>(),
        [(0, 15)]
    );
    let rtcp = a.rtcp().unwrap();
    assert_eq!(
        (rtcp.port, rtcp.connection.as_ref().map(|c| &*c.address)),
        (10101, Some("203.0.113.100"))
    );
    let cands: Vec<_> = a.candidates().collect();
    assert_eq!(cands.len(), 2);
    assert_eq!(
        (cands[1].component, cands[1].priority, cands[1].port),
        (2, 2113929470, 10101)
    );
    assert_eq!(cands[0].candidate_type(), CandidateType::Host);
    assert!(a.end_of_candidates() && a.rtcp_mux() && a.rtcp_rsize());

    let v = sdp.media_by_mid("v1").unwrap();
    let codecs = v.codecs();
    let rtx: Vec<_> = codecs
        .iter()
        .filter(|c| c.is_rtx())
        .map(|c| (c.payload_type, c.rtx_apt()))
        .collect();
    assert_eq!(rtx, [(102, Some(100)), (103, Some(101))]);
    let h264 = v.fmtp(101).unwrap().h264();
    assert_eq!(h264.packetization_mode, Some(1));
    assert_eq!(
        h264.profile_level_id.map(|p| (p.profile_idc, p.level_idc)),
        Some((0x42, 0x1f))
    );
    let vp8 = codecs.iter().find(|c| c.payload_type == 100).unwrap();
    let fb: Vec<_> = vp8
        .feedback
        .iter()
        .map(|f| (f.feedback.as_str(), f.params.as_deref()))
        .collect();
    assert_eq!(
        fb,
        [("ccm", Some("fir")), ("nack", None), ("nack", Some("pli"))]
    );
    let msid = v.msids().next().unwrap();
    assert_eq!(
        msid.track_id.as_deref(),
        Some("f30bdb4a-5db8-49b5-bcdc-e0c9a23172e0")
    );
}

/// JSEP answer A1 (RFC 9429 §7.1): bundled, so the video section carries no ICE lines.
#[test]
fn jsep_answer_a1_values() {
    let fp = "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08";
    let text = crlf(&[
        "v=0",
        "o=- 6729291447651054566 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE a1 v1",
        "a=group:LS a1 v1",
        "m=audio 20000 UDP/TLS/RTP/SAVPF 96 0 8 97 98",
        "c=IN IP4 198.51.100.1",
        "a=mid:a1",
        "a=sendrecv",
        "a=rtpmap:96 opus/48000/2",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:97 telephone-event/8000",
        "a=rtpmap:98 telephone-event/48000",
        "a=fmtp:97 0-15",
        "a=fmtp:98 0-15",
        "a=maxptime:120",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=msid:PI39StLS8W7ZbQl1sJsWUXkr3Zf12fJUvzQ1 PI39StLS8W7ZbQl1sJsWUXkr3Zf12fJUvzQ1a0",
        "a=ice-ufrag:6sFv",
        "a=ice-pwd:cOTZKZNVlO9RSGsEGM63JXT2",
        fp,
        "a=setup:active",
        "a=tls-id:eec3392ab83e11ceb6a0990c903fbb19",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=candidate:1 1 udp 2113929471 198.51.100.1 20000 typ host",
        "a=end-of-candidates",
        "m=video 20000 UDP/TLS/RTP/SAVPF 100 101 102 103",
        "c=IN IP4 198.51.100.1",
        "a=mid:v1",
        "a=sendrecv",
        "a=rtpmap:100 VP8/90000",
        "a=rtpmap:101 H264/90000",
        "a=fmtp:101 packetization-mode=1;profile-level-id=42e01f",
        "a=rtpmap:102 rtx/90000",
        "a=fmtp:102 apt=100",
        "a=rtpmap:103 rtx/90000",
        "a=fmtp:103 apt=101",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=rtcp-fb:100 ccm fir",
        "a=rtcp-fb:100 nack",
        "a=rtcp-fb:100 nack pli",
        "a=msid:PI39StLS8W7ZbQl1sJsWUXkr3Zf12fJUvzQ1 PI39StLS8W7ZbQl1sJsWUXkr3Zf12fJUvzQ1v0",
    ]);
    let sdp = parse_clean(&text);
    assert_eq!(sdp.media.len(), 2);
    assert_eq!(sdp.media[0].setup(), Some(&Setup::Active));
    assert_eq!(sdp.media[0].ice_pwd().map(|p| p.len()), Some(24));
    assert!(sdp.media[1].ice_ufrag().is_none());
    assert_eq!(
        sdp.media[1].media_line.payload_types().collect::<Vec<_>>(),
        [100, 101, 102, 103]
    );
}

/// RFC 8829 §7.1's answer A1 writes `a=rtcp 20001 ...` without the colon (an
/// erratum). Strict parsing points at it; lenient parsing keeps it raw.
#[test]
fn jsep_rfc8829_rtcp_erratum_is_located() {
    let text = crlf(&[
        "v=0",
        "o=- 6729291447651054566 1 IN IP4 0.0.0.0",
        "s=-",
        "t=0 0",
        "m=video 20000 UDP/TLS/RTP/SAVPF 100",
        "c=IN IP4 192.0.2.2",
        "a=rtcp 20001 IN IP4 192.0.2.2",
        "a=mid:v1",
    ]);
    let e = SessionDescription::parse(&text).unwrap_err();
    assert_eq!((e.line, e.column), (7, 3));
    assert!(e.message.contains("attribute name"), "{}", e.message);
    let p = SessionDescription::parse_lenient(&text).unwrap();
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(
        p.description.media[0].lines[1],
        Line::Malformed("a=rtcp 20001 IN IP4 192.0.2.2".into())
    );
    assert_eq!(p.description.media[0].mid(), Some("v1"));
    assert_eq!(p.description.to_string(), text);
}

/// RFC 8843 §18.1: initial BUNDLE offer and answer.
#[test]
fn rfc8843_bundle_offer_and_answer() {
    let offer = crlf(&[
        "v=0",
        "o=alice 2890844526 2890844526 IN IP6 2001:db8::3",
        "s= ",
        "c=IN IP6 2001:db8::3",
        "t=0 0",
        "a=group:BUNDLE foo bar",
        "m=audio 10000 RTP/AVP 0 8 97",
        "b=AS:200",
        "a=mid:foo",
        "a=rtcp-mux",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:97 iLBC/8000",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "m=video 10002 RTP/AVP 31 32",
        "b=AS:1000",
        "a=mid:bar",
        "a=rtcp-mux",
        "a=rtpmap:31 H261/90000",
        "a=rtpmap:32 MPV/90000",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
    ]);
    let answer = crlf(&[
        "v=0",
        "o=bob 2808844564 2808844564 IN IP6 2001:db8::1",
        "s= ",
        "c=IN IP6 2001:db8::1",
        "t=0 0",
        "a=group:BUNDLE foo bar",
        "m=audio 20000 RTP/AVP 0",
        "b=AS:200",
        "a=mid:foo",
        "a=rtcp-mux",
        "a=rtpmap:0 PCMU/8000",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "m=video 20000 RTP/AVP 32",
        "b=AS:1000",
        "a=mid:bar",
        "a=rtpmap:32 MPV/90000",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
    ]);
    let o = parse_clean(&offer);
    let a = parse_clean(&answer);
    assert_eq!(o.session_name, " ");
    let bundle: Vec<_> = o.bundle_groups().next().unwrap().mids().collect();
    assert_eq!(bundle, ["foo", "bar"]);
    let bw: Vec<_> = o
        .media
        .iter()
        .map(|m| {
            let b = m.bandwidths().next().unwrap();
            (b.kind(), b.bandwidth)
        })
        .collect();
    assert_eq!(bw, [(BandwidthType::As, 200), (BandwidthType::As, 1000)]);
    let ext = o.media[0].extmaps().next().unwrap();
    assert_eq!(
        (ext.id, &*ext.uri),
        (1, "urn:ietf:params:rtp-hdrext:sdes:mid")
    );
    // The answerer bundles both on one port.
    assert_eq!(
        a.media
            .iter()
            .map(|m| m.media_line.port)
            .collect::<Vec<_>>(),
        [20000, 20000]
    );
    assert_eq!(a.media[1].codecs()[0].name(), Some("MPV"));
}
