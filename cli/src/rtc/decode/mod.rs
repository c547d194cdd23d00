//! One datagram (or one framed TCP message), fully decoded into a typed [`Record`], which
//! gives both the JSON contract of `rtc-inspect` and the one-line text summary.
//!
//! The kind comes from the RFC 7983 first-byte demultiplexer (`rtp_codec::demux`), never
//! from port numbers. A datagram the demultiplexer assigns to a protocol but that does not
//! parse as that protocol is reported as `unknown`, with the parse error.
//!
//! By concern: [`session`] holds what decoding learns along a capture (STUN keys, TURN
//! channels, extension ids, the SRTP key ring); `stun`, `rtp` and `dtls` turn packets into
//! records; [`record`] defines them.

mod dtls;
pub mod record;
mod rtp;
pub mod session;
mod stun;

use std::net::{Ipv4Addr, SocketAddr};

use rtp_codec::demux::{classify, PacketKind};
use rtp_codec::RtpPacket;
use serde_json::{Map, Value};
use stun_turn_codec::{ChannelData, Message, Transport};

use super::keyring::Verdict;
pub use record::{
    ChannelDataRecord, DtlsRecord, DtlsRecordHeader, ExtensionRecord, Record, RtcpRecord,
    RtpRecord, SrtpFields, StunRecord, UnknownRecord,
};
pub use rtp::{rtcp_header_only, rtcp_json, rtcp_ssrc};
pub use session::{fingerprint, Check, Session};

/// The `kind` of a decoded packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// STUN (RFC 8489).
    Stun,
    /// RTP (RFC 3550).
    Rtp,
    /// RTCP (RFC 3550).
    Rtcp,
    /// DTLS records (RFC 6347, RFC 9147).
    Dtls,
    /// TURN ChannelData (RFC 8656 §12.4).
    ChannelData,
    /// Anything else.
    Unknown,
}

impl Kind {
    /// The JSON name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Stun => "stun",
            Self::Rtp => "rtp",
            Self::Rtcp => "rtcp",
            Self::Dtls => "dtls",
            Self::ChannelData => "channel-data",
            Self::Unknown => "unknown",
        }
    }
}

/// A decoded packet: its record, and the JSON and text made from it.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Its kind.
    pub kind: Kind,
    /// The typed record.
    pub record: Record,
    /// The JSON object (without frame/time/address fields): the record serialised.
    pub json: Map<String, Value>,
    /// A one-line human summary, made from the record.
    pub summary: String,
}

impl From<Record> for Decoded {
    fn from(record: Record) -> Self {
        let kind = match &record {
            Record::Stun(_) => Kind::Stun,
            Record::Rtp(_) => Kind::Rtp,
            Record::Rtcp(_) => Kind::Rtcp,
            Record::Dtls(_) => Kind::Dtls,
            Record::ChannelData(_) => Kind::ChannelData,
            Record::Unknown(_) => Kind::Unknown,
        };
        let json = match serde_json::to_value(&record) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        Self {
            kind,
            summary: record.summary(),
            json,
            record,
        }
    }
}

/// Decodes `data` that arrived over `transport` (which decides ChannelData padding rules)
/// with no addresses known: SRTP keys that name no flow (SDES) still apply.
pub fn decode(data: &[u8], transport: Transport, keys: &mut Session) -> Decoded {
    let none = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
    decode_flow(data, transport, none, none, keys)
}

/// Decodes `data` sent from `src` to `dst`: DTLS handshakes feed the SRTP key ring, and
/// SRTP/SRTCP is authenticated and decrypted with its keys (`srtp` in the JSON).
pub fn decode_flow(
    data: &[u8],
    transport: Transport,
    src: SocketAddr,
    dst: SocketAddr,
    keys: &mut Session,
) -> Decoded {
    Decoded::from(record_flow(data, transport, src, dst, keys))
}

/// The record [`decode_flow`] serialises, for callers that need the typed values only.
pub fn record_flow(
    data: &[u8],
    transport: Transport,
    src: SocketAddr,
    dst: SocketAddr,
    keys: &mut Session,
) -> Record {
    record(data, transport, (src, dst), keys, 0)
}

/// The record of an RTCP datagram, decoded without keys.
#[must_use]
pub fn rtcp_record(data: &[u8]) -> Record {
    rtp::rtcp(data)
}

/// RTP or RTCP through the key ring: the plaintext when a key authenticates it, else the
/// protected packet's clear header, each with its verdict.
fn protected(
    data: &[u8],
    rtcp: bool,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
) -> Record {
    let o = keys.srtp.unprotect(flow.0, flow.1, rtcp, data);
    let (verdict, key, detail) = (o.verdict, o.key.map(str::to_owned), o.detail);
    let plain = o.plain.map(<[u8]>::to_vec);
    let bytes = plain.as_deref().unwrap_or(data);
    let mut r = if rtcp {
        rtp::rtcp(bytes)
    } else {
        match RtpPacket::parse(bytes) {
            Ok(p) => rtp::rtp(&p, keys),
            Err(e) => unknown(bytes, PacketKind::Rtp, Some(format!("rtp: {e}"))),
        }
    };
    let ok = verdict == Verdict::Ok;
    if let Some(slot) = r.srtp_mut() {
        *slot = Some(SrtpFields {
            srtp: verdict.name(),
            srtp_key: key,
            srtp_error: detail.clone().filter(|_| !ok),
            srtp_note: detail.filter(|_| ok),
        });
    }
    r
}

fn unknown(data: &[u8], demux: PacketKind, error: Option<String>) -> Record {
    Record::Unknown(UnknownRecord {
        bytes: data.len(),
        demux: demux_name(demux),
        error,
        srtp: None,
    })
}

fn demux_name(k: PacketKind) -> &'static str {
    match k {
        PacketKind::Stun => "stun",
        PacketKind::Zrtp => "zrtp",
        PacketKind::Dtls => "dtls",
        PacketKind::TurnChannel => "channel-data",
        PacketKind::Quic => "quic",
        PacketKind::Rtp => "rtp",
        PacketKind::Rtcp => "rtcp",
        _ => "unknown",
    }
}

/// The record of `data`; `depth` 1 for a packet inside ChannelData or a Send/Data
/// indication (which is not looked into further).
fn record(
    data: &[u8],
    transport: Transport,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
) -> Record {
    let demux = classify(data);
    if let Some(name) = well_known(flow) {
        if !matches!(demux, PacketKind::Stun) {
            return Record::Unknown(UnknownRecord {
                bytes: data.len(),
                demux: demux_name(demux),
                error: Some(format!("{name} (by its well-known port), not media")),
                srtp: None,
            });
        }
    }
    match demux {
        PacketKind::Stun => match Message::parse(data) {
            Ok(m) => {
                keys.note_channel(&m);
                stun::stun(&m, flow, keys, depth)
            }
            Err(e) => unknown(data, demux, Some(format!("stun: {e}"))),
        },
        PacketKind::Quic
            if data.len() >= 4
                && (0x50..=0x7f).contains(&data[0])
                && (keys.channel_bound(u16::from_be_bytes([data[0], data[1]]))
                    || (keys.rfc5766_channels() && rfc5766_length_fits(data))) =>
        {
            channel(data, transport, flow, keys, depth, demux)
        }
        PacketKind::TurnChannel => channel(data, transport, flow, keys, depth, demux),
        PacketKind::Rtp => match RtpPacket::parse(data) {
            Ok(_) if keys.srtp.is_configured() => protected(data, false, flow, keys),
            Ok(p) => rtp::rtp(&p, keys),
            Err(e) => unknown(data, demux, Some(format!("rtp: {e}"))),
        },
        PacketKind::Rtcp if keys.srtp.is_configured() => protected(data, true, flow, keys),
        PacketKind::Rtcp => rtp::rtcp(data),
        PacketKind::Dtls if data[0] & 0xe0 == 0x20 && !keys.is_dtls_flow(flow.0, flow.1) && depth == 0 && flow.0.port() != 0 => {
            unknown(
                data,
                demux,
                Some("dtls: a unified header (first byte 0x20-0x3F, RFC 9147 §4) on a flow with no DTLS handshake".into()),
            )
        }
        PacketKind::Dtls => {
            if data[0] & 0xe0 != 0x20 {
                keys.note_dtls_flow(flow.0, flow.1);
            }
            let note = keys.srtp.observe_dtls(flow.0, flow.1, data);
            match dtls::dtls(data) {
                Ok(records) => Record::Dtls(DtlsRecord {
                    records,
                    srtp_keys: note,
                }),
                Err(e) => unknown(data, demux, Some(format!("dtls: {e}"))),
            }
        }
        other => unknown(data, other, None),
    }
}

/// The protocol of a well-known non-media port on either side of `flow`, whose datagrams'
/// first bytes would otherwise be read as RTP, RTCP, DTLS or ChannelData (a DNS query's
/// flags byte is often 0x01 0x00, its id anything).
pub(crate) fn well_known(flow: (SocketAddr, SocketAddr)) -> Option<&'static str> {
    let name = |p: u16| {
        Some(match p {
            53 => "DNS",
            67 | 68 => "DHCP",
            123 => "NTP",
            137 => "NetBIOS name service",
            138 => "NetBIOS datagram service",
            161 | 162 => "SNMP",
            514 => "syslog",
            546 | 547 => "DHCPv6",
            1900 => "SSDP",
            5060 | 5061 => "SIP",
            5353 => "mDNS",
            5355 => "LLMNR",
            _ => return None,
        })
    };
    name(flow.0.port()).or_else(|| name(flow.1.port()))
}

/// Whether a ChannelData length field accounts for the datagram exactly (with at most the
/// stream padding of RFC 8656 §12.5).
fn rfc5766_length_fits(data: &[u8]) -> bool {
    let len = usize::from(u16::from_be_bytes([data[2], data[3]]));
    let total = 4 + len;
    data.len() == total || data.len() == (total + 3) & !3
}

fn channel(
    data: &[u8],
    transport: Transport,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
    demux: PacketKind,
) -> Record {
    // RFC 5766 allowed channels up to 0x7FFF; captures of older peers use them.
    match ChannelData::parse_rfc5766(data, transport) {
        Ok(cd) => Record::ChannelData(ChannelDataRecord {
            channel: cd.channel(),
            length: cd.data().len(),
            inner: (depth == 0)
                .then(|| Box::new(record(cd.data(), transport, flow, keys, depth + 1))),
        }),
        Err(e) => unknown(data, demux, Some(format!("channel-data: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5769 §2.1 sample request (short-term, password "VOkJxbRl1RmTxUk/WvJxBt").
    const SAMPLE_REQUEST: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../corpus/stun/SAMPLE_REQUEST.hex"
    ));

    #[test]
    fn stun_integrity_outcomes() {
        let bytes = hex::decode(SAMPLE_REQUEST.trim()).unwrap();
        let mut none = Session::new();
        let d = decode(&bytes, Transport::Udp, &mut none);
        assert_eq!(d.kind, Kind::Stun);
        assert_eq!(d.json["integrity"], "unverified");
        assert_eq!(d.json["fingerprint"], "ok");
        assert_eq!(d.json["transaction_id"], "b7e7a701bc34d686fa87dfae");
        let mut good = Session::new();
        good.add_password("VOkJxbRl1RmTxUk/WvJxBt").unwrap();
        assert_eq!(
            decode(&bytes, Transport::Udp, &mut good).json["integrity"],
            "ok"
        );
        let mut bad = Session::new();
        bad.add_password("wrong").unwrap();
        assert_eq!(
            decode(&bytes, Transport::Udp, &mut bad).json["integrity"],
            "failed"
        );
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            decode(&flipped, Transport::Udp, &mut good).json["fingerprint"],
            "failed"
        );
    }

    /// Random datagrams in every first-byte range decode to some kind without panicking,
    /// and the JSON names the kind reported.
    #[test]
    fn random_datagrams_never_panic() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut keys = Session::new();
        keys.add_password("pw").unwrap();
        keys.add_ice("ufrag", "ice-password").unwrap();
        let mut kinds = std::collections::HashSet::new();
        for i in 0..20_000u32 {
            let len = (next() % 96) as usize;
            let mut d: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if let Some(b) = d.first_mut() {
                *b = (i % 256) as u8;
            }
            // Make some STUN headers plausible so that attribute parsing is reached.
            if d.len() >= 20 && d[0] < 4 && i % 3 == 0 {
                d[4..8].copy_from_slice(&0x2112_a442u32.to_be_bytes());
                let body = ((d.len() - 20) & !3) as u16;
                d[2..4].copy_from_slice(&body.to_be_bytes());
                d.truncate(20 + usize::from(body));
            }
            let out = decode(&d, Transport::Udp, &mut keys);
            assert_eq!(out.json["kind"], out.kind.name());
            kinds.insert(out.kind);
        }
        assert!(kinds.contains(&Kind::Unknown) && kinds.contains(&Kind::Rtp));
    }

    #[test]
    fn dtls_plaintext_and_unified_headers() {
        let mut d = vec![22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 1, 0];
        d.extend_from_slice(&[0x2c, 0x00, 0x07, 0x00, 0x03, 9, 9, 9]);
        let out = decode(&d, Transport::Udp, &mut Session::new());
        assert_eq!(out.kind, Kind::Dtls);
        let r = out.json["records"].as_array().unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0]["content_type_name"], "handshake");
        assert_eq!(r[0]["sequence_number"], 1);
        assert_eq!(r[0]["handshake_type"], 1);
        assert_eq!(r[1]["sequence_number_bits"], 7);
        assert_eq!(r[1]["epoch_bits"], 0);
        assert_eq!(r[1]["length"], 3);
        d.pop();
        let bad = decode(&d, Transport::Udp, &mut Session::new());
        assert_eq!(bad.kind, Kind::Unknown);
        assert_eq!(bad.json["demux"], "dtls");
    }

    #[test]
    fn channel_data_carries_a_decoded_packet() {
        let mut d = vec![0x40, 0x01, 0x00, 12];
        d.extend_from_slice(&[0x80, 0x60, 0, 5, 0, 0, 0, 9, 0, 0, 0, 7]);
        let out = decode(&d, Transport::Udp, &mut Session::new());
        assert_eq!(out.kind, Kind::ChannelData);
        assert_eq!(out.json["channel"], 0x4001);
        assert_eq!(out.json["inner"]["kind"], "rtp");
        assert_eq!(out.json["inner"]["seq"], 5);
        assert_eq!(out.json["inner"]["ssrc"], 7);
    }
}
