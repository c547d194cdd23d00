//! Values of the RTP header extensions WebRTC negotiates (`a=extmap`, RFC 8285), decoded
//! from an element's bytes once its URI is known.

use serde_json::{json, Value};

/// Decodes the data of an element whose `a=extmap` URI is `uri`; `None` for URIs not
/// known here or data of the wrong size.
#[must_use]
pub fn decode(uri: &str, data: &[u8]) -> Option<Value> {
    let be = |n: usize| -> Option<u64> {
        let b = data.get(..n)?;
        Some(b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x)))
    };
    Some(match uri {
        // RFC 6464 §3: V flag, then the level in -dBov.
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level" => {
            let b = *data.first()?;
            json!({"voice_activity": b & 0x80 != 0, "level_dbov": -i32::from(b & 0x7f)})
        }
        // RFC 6465 §3: one level per CSRC.
        "urn:ietf:params:rtp-hdrext:csrc-audio-level" => {
            let levels: Vec<i32> = data.iter().map(|b| -i32::from(b & 0x7f)).collect();
            json!({"levels_dbov": levels})
        }
        // draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: 16-bit sequence number.
        "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01" => {
            json!({"transport_sequence_number": be(2)?})
        }
        // abs-send-time: 24-bit 6.18 fixed-point seconds.
        "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time" => {
            let v = be(3)?;
            json!({"abs_send_time_s": v as f64 / f64::from(1u32 << 18), "raw": v})
        }
        // abs-capture-time: 64-bit NTP timestamp, then an optional estimated clock offset.
        "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time" => {
            let ntp = be(8)?;
            json!({"capture_ntp": ntp, "capture_time_s": ntp as f64 / 4_294_967_296.0})
        }
        // RFC 5450 §2: 24-bit signed transmission offset in RTP timestamp units.
        "urn:ietf:params:rtp-hdrext:toffset" => {
            let v = be(3)? as i32;
            json!({"transmission_offset": (v << 8) >> 8})
        }
        // RFC 8843 §15.2 (mid), RFC 8852 §3.1/§3.2 (rtp-stream-id, repaired-rtp-stream-id).
        "urn:ietf:params:rtp-hdrext:sdes:mid"
        | "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
        | "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id" => {
            json!({"text": std::str::from_utf8(data).ok()?})
        }
        // 3GPP TS 26.114 §7.4.5: C (camera), F (flip), R1 R0 (rotation).
        "urn:3gpp:video-orientation" => {
            let b = *data.first()?;
            json!({
                "camera_back": b & 0x08 != 0,
                "flip": b & 0x04 != 0,
                "rotation_degrees": u32::from(b & 0x03) * 90,
            })
        }
        // playout-delay: two 12-bit values in units of 10 ms.
        "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay" => {
            let v = be(3)?;
            json!({"min_ms": (v >> 12) * 10, "max_ms": (v & 0xfff) * 10})
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_extensions() {
        let level = decode("urn:ietf:params:rtp-hdrext:ssrc-audio-level", &[0x9f]).unwrap();
        assert_eq!(level, json!({"voice_activity": true, "level_dbov": -31}));
        let twcc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
        assert_eq!(
            decode(twcc, &[0x01, 0x02]).unwrap()["transport_sequence_number"],
            258
        );
        let ast = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
        assert_eq!(
            decode(ast, &[0x04, 0x00, 0x00]).unwrap()["abs_send_time_s"],
            1.0
        );
        let toff = decode("urn:ietf:params:rtp-hdrext:toffset", &[0xff, 0xff, 0xfe]).unwrap();
        assert_eq!(toff["transmission_offset"], -2);
        let mid = decode("urn:ietf:params:rtp-hdrext:sdes:mid", b"0").unwrap();
        assert_eq!(mid["text"], "0");
        let cvo = decode("urn:3gpp:video-orientation", &[0x0b]).unwrap();
        assert_eq!(
            cvo,
            json!({"camera_back": true, "flip": false, "rotation_degrees": 270})
        );
        let pd = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
        assert_eq!(
            decode(pd, &[0x00, 0x10, 0x0a]).unwrap(),
            json!({"min_ms": 10, "max_ms": 100})
        );
        assert_eq!(decode(twcc, &[0x01]), None);
        assert_eq!(decode("urn:example:unknown", &[1]), None);
    }
}
