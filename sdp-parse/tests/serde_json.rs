//! With the `serde` feature: the parsed form serialises, and the owned form
//! deserialises back to an equal value that writes the same bytes.
#![cfg(feature = "serde")]

use sdp_parse::SessionDescription;

#[test]
fn corpus_round_trips_through_json() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/sdp");
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let sdp = SessionDescription::parse(&text).unwrap();
        let json = serde_json::to_string(&sdp).unwrap();
        let back: SessionDescription<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sdp.clone().into_owned(), "{}", path.display());
        assert_eq!(back.to_string(), text, "{}", path.display());
    }
}

#[test]
fn json_shape_names_attributes() {
    let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-mux\r\n";
    let sdp = SessionDescription::parse(text).unwrap();
    let v = serde_json::to_value(&sdp).unwrap();
    let lines = &v["media"][0]["lines"];
    assert_eq!(lines[0]["attribute"]["name"], "rtpmap");
    assert_eq!(lines[0]["attribute"]["value"]["clock_rate"], 48000);
    assert_eq!(lines[1]["attribute"]["name"], "rtcp-mux");
    assert_eq!(v["media"][0]["media_line"]["port"], 9);
    assert_eq!(v["line_ending"], "crlf");
}

/// A missing or malformed `o=` and a missing `s=` (lenient parsing) are
/// `null` or the value's text in JSON, and read back the same.
#[test]
fn header_variants_round_trip_through_json() {
    for text in [
        "v=0\r\ns=x\r\nt=0 0\r\n",
        "v=0\r\no=- 1001 1 IN\r\ns=x\r\nt=0 0\r\n",
        "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n",
    ] {
        let sdp = SessionDescription::parse_lenient(text).unwrap().description;
        let json = serde_json::to_value(&sdp).unwrap();
        let back: SessionDescription<String> = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, sdp.clone().into_owned(), "{text:?}");
        assert_eq!(back.to_string(), text);
        match &sdp.origin {
            sdp_parse::OriginLine::Missing => assert!(json["origin"].is_null()),
            sdp_parse::OriginLine::Malformed(v) => assert_eq!(json["origin"], *v),
            sdp_parse::OriginLine::Parsed(o) => {
                assert_eq!(json["origin"]["unicast_address"], o.unicast_address);
            }
        }
        assert_eq!(json["session_name"].as_str(), sdp.session_name);
    }
}
