//! The examples of RFC 8866 §5, RFC 8843 §18.1 (BUNDLE) and RFC 9429 §7
//! (JSEP: offer/answer A1 and B2, in `tests/data/`, and the trickled
//! candidates of B1). Each parses strictly without warnings, has the values
//! the example describes, writes back to the same bytes, and passes the
//! checks (offers and answers against each other).
//!
//! The RFCs fold long lines for display; here they are unfolded. RFC 8843
//! renders `s=` with its single space lost, so its examples say `s= ` as
//! RFC 8866 §5.3 requires.

use sdp_parse::check::{self, Role};
use sdp_parse::{
    BandwidthType, CandidateType, Direction, HashFunction, Line, MediaKind, Mode,
    SessionDescription, Setup,
};

fn crlf(lines: &[&str]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s
}

fn parse_clean(text: &str) -> SessionDescription<&str> {
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
    let origin = sdp.origin.parsed().unwrap();
    assert_eq!(origin.username, "jdoe");
    assert_eq!(origin.session_id, "3724394400");
    assert_eq!(origin.session_version, "3724394405");
    assert_eq!(origin.unicast_address, "198.51.100.1");
    assert_eq!(sdp.session_name, Some("Call to John Smith"));
    assert_eq!(sdp.lines[0], Line::Information("SDP Offer #1"));
    assert_eq!(
        sdp.lines[1],
        Line::Uri("http://www.jdoe.example.com/home.html")
    );
    assert_eq!(
        sdp.lines[2],
        Line::Email("Jane Doe <jane@jdoe.example.com>")
    );
    assert_eq!(sdp.lines[3], Line::Phone("+1 617 555-6011"));
    let c: Vec<_> = sdp.connections().collect();
    assert_eq!(
        (c.len(), c[0].addr_type, c[0].host()),
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
        (r.encoding_name, r.clock_rate, r.encoding_params),
        ("h263-1998", 90000, None)
    );
    assert_eq!(video.direction_or(Direction::SendRecv), Direction::SendRecv);
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// RFC 9429 §7.1: offer and answer A1 (audio and video, BUNDLE and LS groups).
#[test]
fn jsep_a1_offer_and_answer() {
    let (ot, at) = (
        fixture("rfc9429-offer-a1.sdp"),
        fixture("rfc9429-answer-a1.sdp"),
    );
    let offer = parse_clean(&ot);
    let answer = parse_clean(&at);
    let groups: Vec<_> = offer
        .groups()
        .map(|g| (g.semantics, g.mids().collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        groups,
        [("BUNDLE", vec!["a1", "v1"]), ("LS", vec!["a1", "v1"])]
    );
    assert_eq!(offer.ice_options(), Some("trickle ice2"));

    let a = offer.media_by_mid("a1").unwrap();
    assert_eq!(a.ice_ufrag(), Some("ETEn"));
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
        (rtcp.port, rtcp.connection.as_ref().map(|c| c.address)),
        (10101, Some("203.0.113.100"))
    );
    let cands: Vec<_> = a.candidates().collect();
    assert_eq!(cands.len(), 2);
    assert_eq!(
        (cands[1].component(), cands[1].priority(), cands[1].port()),
        (2, 2113929470, 10101)
    );
    assert_eq!(cands[0].candidate_type(), CandidateType::Host);
    assert!(a.end_of_candidates() && a.rtcp_mux() && a.rtcp_rsize());
    assert!(a.attributes().any(
        |x| matches!(x, sdp_parse::Attribute::TlsId(t) if *t == "91bbf309c0990a6bec11e38ba2933cee")
    ));

    let v = offer.media_by_mid("v1").unwrap();
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
    let fb: Vec<_> = codecs[0]
        .feedback
        .iter()
        .map(|f| (f.feedback.as_str(), f.params))
        .collect();
    assert_eq!(
        fb,
        [("ccm", Some("fir")), ("nack", None), ("nack", Some("pli"))]
    );
    let msid = v.msids().next().unwrap();
    assert_eq!(
        (msid.stream_id, msid.track_id),
        ("47017fee-b6c1-4162-929c-a25110252400", None)
    );

    // The answer: bundled, so the video section carries no ICE or DTLS lines.
    assert_eq!(answer.media[0].setup(), Some(&Setup::Active));
    assert!(
        answer.media[1].ice_ufrag().is_none() && answer.media[1].fingerprints().next().is_none()
    );
    assert_eq!(
        answer
            .media
            .iter()
            .map(|m| m.media_line.port)
            .collect::<Vec<_>>(),
        [10200, 10200]
    );

    assert_eq!(check::check(&offer, Role::Offer), []);
    assert_eq!(check::check_answer(&offer, &answer), []);
}

/// RFC 9429 §7.2: offer and answer B2 (audio, data, two videos with simulcast
/// and FEC; the answer receives video only and limits its resolution).
#[test]
fn jsep_b2_offer_and_answer() {
    let (ot, at) = (
        fixture("rfc9429-offer-b2.sdp"),
        fixture("rfc9429-answer-b2.sdp"),
    );
    let offer = parse_clean(&ot);
    let answer = parse_clean(&at);
    assert_eq!(
        offer
            .bundle_groups()
            .next()
            .unwrap()
            .mids()
            .collect::<Vec<_>>(),
        ["a1", "d1", "v1", "v2"]
    );
    let a1 = &offer.media[0];
    assert!(a1.rtcp_mux_only());
    let relay = a1
        .candidates()
        .find(|c| c.candidate_type() == CandidateType::Relay)
        .unwrap();
    assert_eq!(
        (relay.priority(), relay.raddr(), relay.rport()),
        (255, Some("198.51.100.200"), Some(11200))
    );
    let d1 = &offer.media[1];
    assert_eq!(
        (d1.sctp_port(), d1.max_message_size()),
        (Some(&5000), Some(&65536))
    );
    let v1 = &offer.media[2];
    let sim: Vec<_> = v1
        .simulcast()
        .unwrap()
        .send()
        .unwrap()
        .rids()
        .map(|r| r.id)
        .collect();
    assert_eq!(sim, ["1", "2", "3"]);
    assert_eq!(v1.rids().count(), 3);
    assert_eq!(v1.codecs().last().unwrap().name(), Some("flexfec"));

    let v2 = &answer.media[3];
    assert_eq!(v2.direction_attribute(), Some(Direction::RecvOnly));
    assert!(v2.attributes().any(|x| matches!(x, sdp_parse::Attribute::Imageattr(i) if *i == "100 recv [x=[48:1920],y=[48:1080],q=1.0]")));
    assert_eq!(answer.media[0].setup(), Some(&Setup::Passive));

    assert_eq!(check::check(&offer, Role::Offer), []);
    assert_eq!(check::check_answer(&offer, &answer), []);
}

/// RFC 9429 §7.2: the trickled candidates of offer B1, as `RTCIceCandidate.candidate` strings.
#[test]
fn jsep_b1_trickled_candidates() {
    let host = sdp_parse::Candidate::parse_str(
        "candidate:1 1 udp 2113929471 203.0.113.100 10100 typ host",
    )
    .unwrap();
    assert_eq!(
        (host.priority(), host.address(), host.port()),
        (2113929471, "203.0.113.100", 10100)
    );
    let srflx = sdp_parse::Candidate::parse_str(
        "candidate:1 1 udp 1845494015 198.51.100.100 11100 typ srflx raddr 203.0.113.100 rport 10100",
    )
    .unwrap();
    assert_eq!(srflx.candidate_type(), CandidateType::Srflx);
    assert_eq!(
        (srflx.raddr(), srflx.rport()),
        (Some("203.0.113.100"), Some(10100))
    );
    assert_eq!(
        srflx.to_string(),
        "1 1 udp 1845494015 198.51.100.100 11100 typ srflx raddr 203.0.113.100 rport 10100"
    );
    let e =
        sdp_parse::Candidate::parse_str("candidate:1 1 udp 255 192.0.2.100 12100 typ").unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (sdp_parse::ErrorKind::MissingField, 1, 44)
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
        Line::Malformed("a=rtcp 20001 IN IP4 192.0.2.2")
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
    assert_eq!(o.session_name, Some(" "));
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
        (ext.id, ext.uri),
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
