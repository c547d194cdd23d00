//! The `rtcp` subcommand: every RTCP packet of a capture, decoded.

use std::fmt::Write as _;

use rtp_codec::demux::{classify, PacketKind};
use serde_json::{Map, Value};

use super::decode::Record;

/// The packets of an RTCP datagram as `{"packets": [...]}` (plus `"error"` when the
/// compound stops at a malformed packet), or `None` when the datagram is not RTCP. The
/// fields are those of the `rtcp` record of `packets --json` (the same builder).
#[must_use]
pub fn decode(data: &[u8]) -> Option<Map<String, Value>> {
    if classify(data) != PacketKind::Rtcp {
        return None;
    }
    Some(fields(super::decode::rtcp_record(data)))
}

/// Like [`decode`] for a record of a capture, with SRTCP decrypted by the session's key
/// ring when keys were given (`srtp`, `srtp_key`, `srtp_error` as in `packets --json`);
/// DTLS records on the way feed the ring.
pub fn decode_keyed(
    r: &super::records::Record<'_>,
    keys: &mut super::decode::Session,
) -> Option<Map<String, Value>> {
    if !keys.srtp.is_configured() {
        return decode(r.payload);
    }
    let kind = classify(r.payload);
    if !matches!(kind, PacketKind::Dtls | PacketKind::Rtcp) {
        return None;
    }
    let record = super::decode::record_flow(r.payload, r.transport, r.src, r.dst, keys);
    (kind == PacketKind::Rtcp).then(|| fields(record))
}

/// The `rtcp` subcommand's object of a record: the RTCP record's fields without `kind`; for
/// a datagram that is no RTCP after all, no packets and the error.
fn fields(record: Record) -> Map<String, Value> {
    let mut m = match serde_json::to_value(&record) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    m.remove("kind");
    if let Record::Unknown(u) = &record {
        m.remove("bytes");
        m.remove("demux");
        if let Some(e) = &u.error {
            m.insert("error".into(), e.trim_start_matches("rtcp: ").into());
        }
        m.insert("packets".into(), Value::Array(Vec::new()));
    }
    m
}

/// Whether the datagram was reported by its clear header only.
fn header_only(m: &Map<String, Value>) -> bool {
    matches!(m.get("packets"), Some(Value::Array(ps))
        if ps.iter().any(|p| p.get("header_only") == Some(&Value::Bool(true))))
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn render_object(out: &mut String, o: &Map<String, Value>, indent: usize) {
    let pad = " ".repeat(indent);
    let mut line = String::new();
    let mut nested = Vec::new();
    // The packet type first, then the fields in name order.
    if let Some(t) = o.get("type") {
        let _ = write!(line, " {}", scalar(t));
    }
    for (k, v) in o.iter().filter(|(k, _)| *k != "type") {
        match v {
            Value::Array(a) if a.iter().any(Value::is_object) => nested.push((k, a)),
            Value::Array(a) => {
                let items: Vec<String> = a.iter().map(scalar).collect();
                let _ = write!(line, " {k}=[{}]", items.join(","));
            }
            Value::Object(inner) => {
                let _ = write!(line, " {k}={}", Value::Object(inner.clone()));
            }
            Value::Number(n) if k.ends_with("ssrc") => {
                let _ = write!(line, " {k}={:#010x}", n.as_u64().unwrap_or(0));
            }
            other => {
                let _ = write!(line, " {k}={}", scalar(other));
            }
        }
    }
    let _ = writeln!(out, "{pad}-{line}");
    for (k, a) in nested {
        let _ = writeln!(out, "{pad}  {k}:");
        for item in a {
            match item {
                Value::Object(io) => render_object(out, io, indent + 4),
                other => {
                    let _ = writeln!(out, "{pad}    - {}", scalar(other));
                }
            }
        }
    }
}

/// Text form of [`decode`]'s output: one line per packet, nested lists indented.
#[must_use]
pub fn render_text(m: &Map<String, Value>) -> String {
    let mut out = String::new();
    if let Some(Value::Array(ps)) = m.get("packets") {
        for p in ps {
            if let Value::Object(o) = p {
                render_object(&mut out, o, 2);
            }
        }
    }
    if let Some(e) = m.get("error") {
        if m.contains_key("read_as_plain") || header_only(m) {
            // Most often SRTCP: only the first 8 bytes are in clear (RFC 3711 §3.4).
            let _ = writeln!(
                out,
                "  ! body after the first 8 bytes is not plain RTCP (encrypted SRTCP?): {}",
                scalar(e)
            );
        } else {
            let _ = writeln!(out, "  ! {}", scalar(e));
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_report_then_pli() {
        // SR (no blocks) + PLI.
        let mut d = vec![0x80, 200, 0, 6, 0, 0, 0, 1];
        d.extend_from_slice(&[0; 20]);
        d.extend_from_slice(&[0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
        let m = decode(&d).unwrap();
        let ps = m["packets"].as_array().unwrap();
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0]["type"], "sr");
        assert_eq!(ps[0]["ssrc"], 1);
        assert_eq!(ps[1]["type"], "pli");
        let text = render_text(&m);
        assert!(text.starts_with("  - sr "), "{text}");
        assert!(
            text.contains("- pli media_ssrc=0x00000002 sender_ssrc=0x00000001"),
            "{text}"
        );
        assert!(decode(&[0x80, 96, 0, 1]).is_none());
        // REMB (exp 2, mantissa 1000 → 4000 bit/s) + generic NACK (PID 100, BLP 0b101).
        let mut d = vec![0x8f, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0];
        d.extend_from_slice(b"REMB");
        d.extend_from_slice(&[1, 0x08, 0x03, 0xe8, 0, 0, 0, 5]);
        d.extend_from_slice(&[0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 100, 0, 5]);
        let m = decode(&d).unwrap();
        let ps = m["packets"].as_array().unwrap();
        assert_eq!(ps[0]["type"], "remb");
        assert_eq!(ps[0]["bitrate"], 4000);
        assert_eq!(ps[1]["type"], "nack");
        assert_eq!(ps[1]["lost"], serde_json::json!([100, 101, 103]));
    }

    #[test]
    fn encrypted_body_is_reported_by_its_clear_header() {
        // SRTCP as Chromium sends it: a transport-cc header (P set), then ciphertext whose
        // last byte is no valid padding count.
        let mut d = vec![0xaf, 205, 0, 6, 0xfa, 0x17, 0xfa, 0x17];
        d.extend((0u8..20).map(|i| i.wrapping_mul(0x31) ^ 7));
        *d.last_mut().unwrap() = 200;
        let m = decode(&d).unwrap();
        let ps = m["packets"].as_array().unwrap();
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0]["header_only"], true);
        assert_eq!(ps[0]["ssrc"], 0xfa17_fa17_u32);
        let text = render_text(&m);
        assert!(
            text.contains("! body after the first 8 bytes is not plain RTCP (encrypted SRTCP?): "),
            "{text}"
        );
    }
}
