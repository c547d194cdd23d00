//! Specific values of every real SDP in `corpus/sdp/`: ICE ufrag, media
//! sections (kind, port, mid, formats), the first codecs of each section and
//! the SSRCs, plus per-file details (simulcast, candidates, groups, DTLS).

use sdp_parse::{
    Attribute, CandidateType, Direction, FeedbackType, HashFunction, MediaKind, RidDirection,
    SessionDescription, Setup,
};

fn read(name: &str) -> String {
    let path = format!("{}/../corpus/sdp/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

struct Section {
    kind: &'static str,
    port: u16,
    mid: Option<&'static str>,
    formats: usize,
    first_codecs: &'static [&'static str],
    ssrcs: &'static [u32],
}

const fn s(
    kind: &'static str,
    port: u16,
    mid: Option<&'static str>,
    formats: usize,
    first_codecs: &'static [&'static str],
    ssrcs: &'static [u32],
) -> Section {
    Section {
        kind,
        port,
        mid,
        formats,
        first_codecs,
        ssrcs,
    }
}

const CHROME_A: &[&str] = &["opus/48000/2", "red/48000/2", "G722/8000"];
const CHROME_V: &[&str] = &["VP8/90000", "rtx/90000", "H264/90000"];
const AIORTC_A: &[&str] = &["opus/48000/2", "G722/8000", "PCMU/8000"];

#[allow(clippy::type_complexity)]
fn table() -> Vec<(&'static str, Option<&'static str>, Vec<Section>)> {
    vec![
        (
            "aiortc-av-data-answer.sdp",
            Some("lAcF"),
            vec![
                s("audio", 9, Some("0"), 4, AIORTC_A, &[2690918622]),
                s("video", 9, Some("1"), 6, CHROME_V, &[36042247, 3694620417]),
                s("application", 9, Some("2"), 1, &[], &[]),
            ],
        ),
        (
            "aiortc-av-data-offer.sdp",
            Some("XVFF"),
            vec![
                s("audio", 9, Some("0"), 4, AIORTC_A, &[503201496]),
                s(
                    "video",
                    9,
                    Some("1"),
                    6,
                    CHROME_V,
                    &[3984207262, 2027345026],
                ),
                s("application", 9, Some("2"), 1, &[], &[]),
            ],
        ),
        (
            "chromium-av-answer.sdp",
            Some("5Qi3"),
            vec![
                s("audio", 9, Some("0"), 8, CHROME_A, &[2866155780]),
                s(
                    "video",
                    9,
                    Some("1"),
                    23,
                    CHROME_V,
                    &[1526426609, 3983029687],
                ),
            ],
        ),
        (
            "chromium-av-offer-gathered.sdp",
            Some("PHmR"),
            vec![
                s("audio", 46697, Some("0"), 8, CHROME_A, &[1101343220]),
                s(
                    "video",
                    59277,
                    Some("1"),
                    23,
                    CHROME_V,
                    &[2762112311, 368824039],
                ),
            ],
        ),
        (
            "chromium-av-offer.sdp",
            Some("PHmR"),
            vec![
                s("audio", 9, Some("0"), 8, CHROME_A, &[1101343220]),
                s(
                    "video",
                    9,
                    Some("1"),
                    23,
                    CHROME_V,
                    &[2762112311, 368824039],
                ),
            ],
        ),
        (
            "chromium-call-answer.sdp",
            Some("x/6c"),
            vec![
                s("audio", 51704, Some("0"), 8, CHROME_A, &[]),
                s("video", 9, Some("1"), 23, CHROME_V, &[]),
                s("application", 9, Some("2"), 1, &[], &[]),
            ],
        ),
        (
            "chromium-call-offer.sdp",
            Some("PoJW"),
            vec![
                s("audio", 43537, Some("0"), 8, CHROME_A, &[3380447415]),
                s(
                    "video",
                    9,
                    Some("1"),
                    23,
                    CHROME_V,
                    &[680858504, 1209867109],
                ),
                s("application", 9, Some("2"), 1, &[], &[]),
            ],
        ),
        (
            "chromium-datachannel-offer.sdp",
            Some("kmuI"),
            vec![s("application", 9, Some("0"), 1, &[], &[])],
        ),
        (
            "chromium-simulcast-offer.sdp",
            Some("wDB5"),
            vec![
                s("video", 9, Some("0"), 23, CHROME_V, &[]),
                s("audio", 9, Some("1"), 8, CHROME_A, &[1325142954]),
            ],
        ),
        (
            "ffmpeg-h264-pcma.sdp",
            None,
            vec![
                s("video", 5010, None, 1, &["H264/90000"], &[]),
                // PCMA is the static payload type 8 (RFC 3551): no rtpmap line.
                s("audio", 5012, None, 1, &["PCMA/8000/1"], &[]),
            ],
        ),
        (
            "ffmpeg-vp8-opus.sdp",
            None,
            vec![
                s("video", 5004, None, 1, &["VP8/90000"], &[]),
                s("audio", 5006, None, 1, &["opus/48000/2"], &[]),
            ],
        ),
        (
            "gst-webrtcbin-av-data-offer.sdp",
            Some("7o8oyPVO0dlSeb5ii1P32KjrTkYyPnO1"),
            vec![
                s("video", 9, Some("video0"), 1, &["VP8/90000"], &[345757484]),
                s(
                    "audio",
                    0,
                    Some("audio1"),
                    1,
                    &["OPUS/48000/2"],
                    &[1224776844],
                ),
                s("application", 0, Some("application2"), 1, &[], &[]),
            ],
        ),
        (
            "janus-streaming-offer.sdp",
            Some("V5CL"),
            vec![
                s("audio", 9, Some("a"), 1, &["opus/48000/2"], &[4135615406]),
                s(
                    "video",
                    9,
                    Some("v"),
                    2,
                    &["VP8/90000", "rtx/90000"],
                    &[1275264818, 4143487575],
                ),
            ],
        ),
    ]
}

#[test]
fn every_corpus_file_has_the_expected_sections() {
    let t = table();
    assert_eq!(t.len(), 13, "one row per corpus file");
    for (file, ufrag, sections) in t {
        let text = read(file);
        let sdp = SessionDescription::parse(&text).unwrap();
        let first_ufrag = sdp.media.iter().find_map(|m| m.ice_ufrag());
        assert_eq!(first_ufrag, ufrag, "{file}: ice-ufrag");
        assert_eq!(sdp.media.len(), sections.len(), "{file}: m-sections");
        for (i, (m, want)) in sdp.media.iter().zip(&sections).enumerate() {
            let at = format!("{file} m-section {i}");
            assert_eq!(m.media_line.media, want.kind, "{at}");
            assert_eq!(m.media_line.port, want.port, "{at}");
            assert_eq!(m.mid(), want.mid, "{at}");
            assert_eq!(m.media_line.formats().count(), want.formats, "{at}");
            let codecs: Vec<String> = m
                .codecs()
                .iter()
                .take(want.first_codecs.len())
                .map(|c| match c.channels() {
                    Some(ch) => format!("{}/{}/{ch}", c.name().unwrap(), c.clock_rate().unwrap()),
                    None => format!("{}/{}", c.name().unwrap(), c.clock_rate().unwrap()),
                })
                .collect();
            assert_eq!(codecs, want.first_codecs, "{at}");
            assert_eq!(m.ssrc_ids(), want.ssrcs, "{at}");
        }
    }
}

#[test]
fn chromium_offer_details() {
    let text = read("chromium-av-offer.sdp");
    let sdp = SessionDescription::parse(&text).unwrap();
    assert_eq!(sdp.origin.parsed().unwrap().session_id, "47134330607897894");
    let bundle: Vec<_> = sdp.bundle_groups().flat_map(|g| g.mids()).collect();
    assert_eq!(bundle, ["0", "1"]);
    assert!(sdp.extmap_allow_mixed());
    let ms = sdp.msid_semantic().unwrap();
    assert!(ms.space_after_colon);
    assert_eq!(
        ms.ids().collect::<Vec<_>>(),
        ["7d44cc5e-c8ee-4db5-985e-0f1ed4235ca4"]
    );

    let audio = &sdp.media[0];
    assert_eq!(audio.ice_pwd(), Some("9W1SO6VGJ2TIPIUY1A44T/i4"));
    assert_eq!(audio.setup(), Some(&Setup::ActPass));
    assert_eq!(audio.direction_attribute(), Some(Direction::SendRecv));
    let fp = audio.fingerprints().next().unwrap();
    assert_eq!(fp.hash(), Some(HashFunction::Sha256));
    assert_eq!(&fp.to_bytes()[..3], [0xDD, 0x73, 0x46]);
    let opus = audio.fmtp(111).unwrap().opus();
    assert_eq!((opus.minptime, opus.useinbandfec), (Some(10), Some(true)));
    assert_eq!(
        audio
            .fmtp(63)
            .unwrap()
            .red_payload_types()
            .collect::<Vec<_>>(),
        [111, 111]
    );
    let ext: Vec<_> = audio.extmaps().map(|e| e.id).collect();
    assert_eq!(ext, [1, 2, 3, 4]);
    assert_eq!(audio.ssrc_cname(1101343220), Some("z6rTFONmu+SE8lbp"));
    assert!(audio
        .attributes()
        .any(|a| matches!(a, Attribute::RtcpXr(x) if *x == "rcvr-rtt=all")));

    let video = &sdp.media[1];
    let codecs = video.codecs();
    assert_eq!(codecs.len(), 23);
    let rtx: Vec<_> = codecs
        .iter()
        .filter(|c| c.is_rtx())
        .map(|c| (c.payload_type, c.rtx_apt().unwrap()))
        .collect();
    assert_eq!(
        rtx,
        [
            (97, 96),
            (103, 102),
            (107, 104),
            (109, 108),
            (115, 114),
            (117, 116),
            (40, 39),
            (46, 45),
            (99, 98),
            (101, 100),
            (119, 118)
        ]
    );
    let vp8 = &codecs[0];
    let fb: Vec<_> = vp8.feedback.iter().map(|f| f.feedback.clone()).collect();
    assert_eq!(
        fb,
        [
            FeedbackType::GoogRemb,
            FeedbackType::TransportCc,
            FeedbackType::Ccm,
            FeedbackType::Nack,
            FeedbackType::Nack
        ]
    );
    let group = video.ssrc_groups().next().unwrap();
    assert_eq!(
        (group.semantics, group.ssrcs().collect::<Vec<_>>()),
        ("FID", vec![2762112311, 368824039])
    );
    assert_eq!(video.extmaps().count(), 11);
}

#[test]
fn simulcast_offer_rids() {
    let text = read("chromium-simulcast-offer.sdp");
    let sdp = SessionDescription::parse(&text).unwrap();
    let video = &sdp.media[0];
    let rids: Vec<_> = video.rids().map(|r| (r.id, r.direction)).collect();
    assert_eq!(
        rids,
        [
            ("q", RidDirection::Send),
            ("h", RidDirection::Send),
            ("f", RidDirection::Send)
        ]
    );
    let sim = video.simulcast().unwrap();
    assert!(sim.recv().is_none());
    let send: Vec<_> = sim
        .send()
        .unwrap()
        .rids()
        .map(|r| (r.id, r.paused))
        .collect();
    assert_eq!(send, [("q", false), ("h", false), ("f", false)]);
    assert_eq!(video.direction_attribute(), Some(Direction::SendOnly));
    let ext: Vec<_> = video
        .extmaps()
        .filter(|e| e.uri.contains("rtp-stream-id"))
        .map(|e| e.id)
        .collect();
    assert_eq!(ext, [10, 11]);
}

#[test]
fn gathered_offer_and_call_candidates() {
    let text = read("chromium-av-offer-gathered.sdp");
    let sdp = SessionDescription::parse(&text).unwrap();
    let cands: Vec<_> = sdp.media.iter().flat_map(|m| m.candidates()).collect();
    assert_eq!(cands.len(), 2);
    let udp = &cands[0];
    assert_eq!(
        (udp.foundation(), udp.component(), udp.transport()),
        ("4259533758", 1, "udp")
    );
    assert_eq!(
        (udp.priority(), udp.address(), udp.port()),
        (2122260223, "127.0.0.1", 46697)
    );
    assert_eq!(udp.candidate_type(), CandidateType::Host);
    let ext: Vec<_> = udp.extensions().collect();
    assert_eq!(
        ext,
        [
            ("generation", "0"),
            ("network-id", "1"),
            ("network-cost", "50")
        ]
    );
    assert_eq!(cands[1].port(), 59277);

    let text = read("chromium-call-offer.sdp");
    let sdp = SessionDescription::parse(&text).unwrap();
    let tcp = sdp
        .media
        .iter()
        .flat_map(|m| m.candidates())
        .find(|c| c.transport() == "tcp")
        .unwrap();
    assert_eq!(
        (tcp.tcptype(), tcp.port(), tcp.priority()),
        (Some("active"), 9, 1518280447)
    );
    assert_eq!(tcp.extension("network-cost"), Some("50"));
}

#[test]
fn janus_gst_aiortc_and_datachannel_details() {
    let janus = read("janus-streaming-offer.sdp");
    let sdp = SessionDescription::parse(&janus).unwrap();
    assert_eq!(sdp.fingerprints().count(), 1, "session-level fingerprint");
    assert_eq!(
        sdp.media[1]
            .ssrc_groups()
            .next()
            .unwrap()
            .ssrcs()
            .collect::<Vec<_>>(),
        [1275264818, 4143487575]
    );
    let c = sdp.media[0].candidates().next().unwrap();
    assert_eq!((c.address(), c.port()), ("127.0.0.2", 20075));
    assert!(sdp.media.iter().all(|m| m.end_of_candidates()));

    let gst = read("gst-webrtcbin-av-data-offer.sdp");
    let sdp = SessionDescription::parse(&gst).unwrap();
    let flags: Vec<_> = sdp
        .media
        .iter()
        .map(|m| (m.bundle_only(), m.is_rejected(), m.rtcp_mux_only()))
        .collect();
    assert_eq!(
        flags,
        [
            (false, false, true),
            (true, false, true),
            (true, false, false)
        ]
    );
    assert_eq!(sdp.media[2].sctp_port(), Some(&5000));
    assert_eq!(
        sdp.media[1].fmtp(111).unwrap().opus().sprop_maxcapturerate,
        Some(48000)
    );
    assert_eq!(
        sdp.media[0].attributes().find_map(|a| match a {
            Attribute::Framerate(f) => Some(&**f),
            _ => None,
        }),
        Some("15")
    );

    let aiortc = read("aiortc-av-data-offer.sdp");
    let sdp = SessionDescription::parse(&aiortc).unwrap();
    let hashes: Vec<_> = sdp.media[0]
        .fingerprints()
        .map(|f| (f.hash().unwrap(), f.to_bytes().len()))
        .collect();
    assert_eq!(
        hashes,
        [
            (HashFunction::Sha256, 32),
            (HashFunction::Sha384, 48),
            (HashFunction::Sha512, 64)
        ]
    );
    assert!(!sdp.msid_semantic().unwrap().space_after_colon);
    assert_eq!(sdp.media[2].max_message_size(), Some(&262144));

    let dc = read("chromium-datachannel-offer.sdp");
    let sdp = SessionDescription::parse(&dc).unwrap();
    let m = &sdp.media[0];
    assert_eq!(m.media_line.kind(), MediaKind::Application);
    assert_eq!(
        (m.media_line.proto, m.media_line.formats),
        ("UDP/DTLS/SCTP", "webrtc-datachannel")
    );
    assert_eq!(
        (m.sctp_port(), m.max_message_size()),
        (Some(&5000), Some(&262144))
    );
    assert_eq!(sdp.msid_semantic().unwrap().ids().count(), 0);
}

#[test]
fn ffmpeg_bandwidth_and_tool() {
    let text = read("ffmpeg-h264-pcma.sdp");
    let sdp = SessionDescription::parse(&text).unwrap();
    assert_eq!(sdp.session_name, Some("No Name"));
    assert!(
        matches!(sdp.attribute("tool"), Some(Attribute::Other { value: Some(v), .. }) if *v == "libavformat LIBAVFORMAT_VERSION")
    );
    let bw: Vec<_> = sdp
        .media
        .iter()
        .map(|m| m.bandwidths().next().unwrap().bandwidth)
        .collect();
    assert_eq!(bw, [200, 64]);
    assert_eq!(
        sdp.media[0].fmtp(96).unwrap().h264().packetization_mode,
        Some(1)
    );
    assert_eq!(
        sdp.media[0].connections().next().unwrap().host(),
        "127.0.0.1"
    );
}
