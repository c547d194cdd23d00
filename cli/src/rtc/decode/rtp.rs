//! RTP and RTCP packets as records.

use rtp_codec::rtcp::{Compound, RtcpPacket};
use rtp_codec::RtpPacket;
use serde_json::{json, Value};

use super::record::{ExtensionRecord, Record, RtcpRecord, RtpRecord};
use super::session::Session;

pub(super) fn rtp(p: &RtpPacket<'_>, session: &Session) -> Record {
    // Elements whose id an SDP mapped get the URI and, for known URIs, the value.
    let extensions = p
        .extensions()
        .filter_map(Result::ok)
        .map(|e| {
            let uri = session.extmap.get(&e.id);
            ExtensionRecord {
                id: e.id,
                data: hex::encode(e.data),
                uri: uri.cloned(),
                value: uri.and_then(|u| super::super::hdrext::decode(u, e.data)),
            }
        })
        .collect();
    Record::Rtp(RtpRecord {
        ssrc: p.ssrc(),
        seq: p.sequence_number(),
        timestamp: p.timestamp(),
        payload_type: p.payload_type(),
        marker: p.marker(),
        csrcs: p.csrcs().collect(),
        extension_profile: p.extension_profile(),
        extensions,
        header_len: p.header_len(),
        payload_len: p.payload().len(),
        padding_len: p.padding().len(),
        extension_error: p.extensions().find_map(Result::err).map(|e| e.to_string()),
        srtp: None,
    })
}

pub(super) fn rtcp(data: &[u8]) -> Record {
    let mut packets = Vec::new();
    let mut names = Vec::new();
    let mut error = None;
    let mut read_as_plain = None;
    for p in Compound::new(data) {
        match p {
            Ok(p) => {
                names.push(match p.name() {
                    Some(n) => format!("{n}(ssrc={:#010x})", rtcp_ssrc(&p)),
                    None => format!("pt{}", p.packet_type()),
                });
                packets.push(rtcp_json(&p));
            }
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    // A compound that does not parse to its end is SRTCP (encrypted after the first 8
    // bytes, RFC 3711 §3.4) or damaged: what parsed before the error may be ciphertext
    // read as fields, so only the clear header is reported as the packet, and the rest is
    // kept apart.
    // The clear header of SRTCP still has a length that fits the datagram (RFC 3711 §3.4
    // appends index and tag after it); one that claims more is no RTCP at all.
    let first_fits = data.len() >= 4
        && 4 * (usize::from(u16::from_be_bytes([data[2], data[3]])) + 1) <= data.len();
    if error.is_some() && !first_fits {
        return super::unknown(
            data,
            rtp_codec::demux::PacketKind::Rtcp,
            error.map(|e| format!("rtcp: {e}")),
        );
    }
    if error.is_some() && rtcp_header_only(data).is_some() {
        let attempt = std::mem::take(&mut packets);
        names.clear();
        if !attempt.is_empty() {
            read_as_plain = Some(attempt);
        }
    }
    if packets.is_empty() {
        match rtcp_header_only(data) {
            Some(h) => {
                names.push(format!(
                    "{}(ssrc={:#010x}, body unreadable)",
                    h["type"]
                        .as_str()
                        .map_or_else(|| h["type"].to_string(), str::to_owned),
                    h["ssrc"].as_u64().unwrap_or(0)
                ));
                packets.push(h);
            }
            None => {
                return super::unknown(
                    data,
                    rtp_codec::demux::PacketKind::Rtcp,
                    error.map(|e| format!("rtcp: {e}")),
                );
            }
        }
    }
    Record::Rtcp(RtcpRecord {
        packets,
        read_as_plain,
        error,
        srtp: None,
        names,
    })
}

/// One RTCP packet as JSON: `rtp_codec`'s form (`{"type": "sr" | ... | <number>,
/// ...fields}`), with a generic NACK's lost sequence numbers expanded (`lost`, RFC 4585
/// §6.2.1) and REMB's bit rate computed from mantissa and exponent (`bitrate`, bit/s).
#[must_use]
pub fn rtcp_json(p: &RtcpPacket<'_>) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    let inner = match p {
        RtcpPacket::Padded(x) => &*x.packet,
        other => other,
    };
    if let Value::Object(o) = &mut v {
        match inner {
            RtcpPacket::Nack(n) => {
                o.insert("lost".into(), n.lost().collect::<Vec<u16>>().into());
            }
            RtcpPacket::Remb(r) => {
                o.insert("bitrate".into(), r.bitrate().into());
            }
            _ => {}
        }
    }
    v
}

/// The clear part of a first RTCP packet whose body does not parse: SRTCP encrypts all but
/// the first 8 bytes (RFC 3711 §3.4), which still give the type and the sender's SSRC.
/// `None` unless those 8 bytes look like an RTCP header (version 2, type 192–223).
#[must_use]
pub fn rtcp_header_only(data: &[u8]) -> Option<Value> {
    let h = data.get(..8)?;
    if h[0] >> 6 != 2 || !(192..=223).contains(&h[1]) {
        return None;
    }
    let count = h[0] & 0x1f;
    let ty = rtp_codec::rtcp::packet_name(h[1], count).map_or(Value::from(h[1]), Value::from);
    Some(json!({
        "type": ty,
        "packet_type": h[1],
        "count": count,
        "length_words": u16::from_be_bytes([h[2], h[3]]),
        "ssrc": u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        "header_only": true,
    }))
}

/// The first SSRC of an RTCP packet ([`RtcpPacket::sender_ssrc`]), 0 if none.
#[must_use]
pub fn rtcp_ssrc(p: &RtcpPacket<'_>) -> u32 {
    p.sender_ssrc().unwrap_or(0)
}
