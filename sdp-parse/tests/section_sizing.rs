//! Each section's line vector is sized exactly (from one count of the lines,
//! with what a section does not use given back when the next `m=` line closes
//! it), for any number of sections and when `m=` appears inside a line.

use sdp_parse::{Line, SessionDescription};

/// A description with `sections` media sections; section `i` has `i % 4 + 1`
/// attribute lines, one of which holds `m=` in its value.
fn description(sections: usize, ending: &str) -> String {
    let mut s = format!("v=0{ending}o=- 1 2 IN IP4 127.0.0.1{ending}s=m=x{ending}t=0 0{ending}");
    s += &format!("a=tool:m=1{ending}");
    for i in 0..sections {
        s += &format!("m=audio {} RTP/AVP 0{ending}", 1000 + i);
        s += &format!("a=fmtp:0 m=1;xm=2{ending}");
        for j in 0..i % 4 {
            s += &format!("a=x-{j}:m=a m={j}{ending}");
        }
    }
    s
}

#[test]
fn sections_are_split_at_m_lines_only() {
    for ending in ["\r\n", "\n"] {
        for sections in [0, 1, 2, 15, 16, 17, 40] {
            let text = description(sections, ending);
            let sdp = SessionDescription::parse(&text).unwrap();
            assert_eq!(sdp.media.len(), sections, "{sections} {ending:?}");
            // The sections are pushed as found: the vector grows as usual.
            assert!(sdp.media.capacity() <= sections.max(4) * 2);
            assert_eq!(sdp.lines.len(), 2, "t= and a=tool");
            assert_eq!(sdp.lines.capacity(), 2, "session vector is exact");
            for (i, m) in sdp.media.iter().enumerate() {
                assert_eq!(m.media_line.port, 1000 + i as u16);
                assert_eq!(m.lines.len(), i % 4 + 1, "section {i} of {sections}");
                assert_eq!(m.lines.capacity(), m.lines.len(), "section {i} is exact");
                assert!(matches!(m.lines[0], Line::Attribute(_)));
            }
            assert_eq!(sdp.to_string(), text, "round trip");
        }
    }
}

#[test]
fn unterminated_last_line_is_counted() {
    let mut text = description(18, "\r\n");
    text.truncate(text.len() - 2);
    let sdp = SessionDescription::parse(&text).unwrap();
    let last = sdp.media.last().unwrap();
    assert_eq!(last.lines.len(), 18 % 4);
    assert_eq!(last.lines.capacity(), last.lines.len());
    assert_eq!(sdp.to_string(), text);
}

/// Sections longer than the room a section starts with (and a session part
/// before them that is longer too) grow their vectors and keep every line.
#[test]
fn long_sections_grow() {
    for ending in ["\r\n", "\n"] {
        let mut text =
            format!("v=0{ending}o=- 1 2 IN IP4 127.0.0.1{ending}s=-{ending}t=0 0{ending}");
        for i in 0..300 {
            text += &format!("a=x-session-{i}{ending}");
        }
        for (port, lines) in [(1000, 1000), (1001, 3), (1002, 257)] {
            text += &format!("m=video {port} RTP/AVP 96{ending}");
            for i in 0..lines {
                text += &format!(
                    "a=rtcp-fb:96 nack{}{ending}",
                    if i % 2 == 0 { " pli" } else { "" }
                );
            }
        }
        let sdp = SessionDescription::parse(&text).unwrap();
        assert_eq!(sdp.lines.len(), 301, "{ending:?}");
        let sizes: Vec<_> = sdp.media.iter().map(|m| m.lines.len()).collect();
        assert_eq!(sizes, [1000, 3, 257], "{ending:?}");
        assert!(sdp.media[0]
            .lines
            .iter()
            .all(|l| matches!(l, Line::Attribute(sdp_parse::Attribute::RtcpFb(_)))));
        assert_eq!(sdp.to_string(), text, "round trip");
    }
}
