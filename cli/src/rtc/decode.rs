//! One datagram (or one framed TCP message), fully decoded into the JSON contract of
//! `rtc-inspect` and a one-line text summary.
//!
//! The kind comes from the RFC 7983 first-byte demultiplexer (`rtp_codec::demux`), never
//! from port numbers. A datagram the demultiplexer assigns to a protocol but that does not
//! parse as that protocol is reported as `unknown`, with the parse error.

use std::collections::HashMap;
use std::fmt::Write as _;

use rtp_codec::demux::{classify, PacketKind};
use rtp_codec::rtcp::{Compound, RtcpPacket};
use rtp_codec::RtpPacket;
use serde_json::{json, Map, Value};
use std::net::{Ipv4Addr, SocketAddr};

use super::keyring::{KeyRing, Verdict};
use stun_turn_codec::{
    ChannelData, Class, IntegrityKey, LongTermAlgorithm, Message, PasswordPrep, StunError,
    TransactionId, Transport,
};

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

/// Outcome of a MESSAGE-INTEGRITY or FINGERPRINT check, as the JSON contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// Verified.
    Ok,
    /// Present but wrong (for integrity: with every key that applied).
    Failed,
    /// The attribute is not in the message.
    Absent,
    /// Integrity only: present, but no key for it is known.
    Unverified,
}

impl Check {
    /// `"ok"`, `"failed"`, `"absent"` or `"unverified"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Failed => "failed",
            Self::Absent => "absent",
            Self::Unverified => "unverified",
        }
    }
}

/// What decoding knows and learns along a capture: the keys for checking
/// MESSAGE-INTEGRITY, the TURN channels bound, and the RTP header extension ids of the SDPs.
///
/// * Passwords given on the command line are tried as short-term keys (RFC 8489 §9.1) and,
///   for messages carrying USERNAME and REALM, as long-term keys (§9.2).
/// * ICE credentials (ufrag → ice-pwd) key a request by its USERNAME `RFRAG:LFRAG`: the
///   HMAC key is the password of the agent that receives the request, whose ufrag comes
///   first (RFC 8445 §7.2.2, §7.3).
/// * A response is keyed like its request (RFC 8489 §9.1.3, §9.2.3): the key that verified
///   a request, or the long-term credentials its USERNAME/REALM named, is remembered by
///   transaction id.
#[derive(Debug, Default)]
pub struct Session {
    passwords: Vec<String>,
    short_term: Vec<IntegrityKey>,
    ice: HashMap<String, IntegrityKey>,
    by_transaction: HashMap<TransactionId, IntegrityKey>,
    long_term_names: HashMap<TransactionId, (String, String)>,
    channels: std::collections::HashSet<u16>,
    extmap: HashMap<u8, String>,
    rfc5766_channels: bool,
    candidates: HashMap<SocketAddr, String>,
    /// SRTP keys (key logs, SDES, raw keys) and which flow each decrypts.
    pub srtp: KeyRing,
}

/// The password preparations tried, in order.
const PREPS: [PasswordPrep; 2] = [PasswordPrep::OpaqueString, PasswordPrep::SaslPrep];

/// Upper bound on remembered transactions, so that memory stays bounded on long captures.
const MAX_REMEMBERED: usize = 100_000;

impl Session {
    /// No keys: every integrity attribute is `unverified`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a password, tried as a short-term key and as a long-term password, prepared
    /// with OpaqueString (RFC 8265, as RFC 8489 requires) and with SASLprep (RFC 4013, as
    /// RFC 5389 peers and the RFC 5769 vectors use).
    ///
    /// # Errors
    ///
    /// The password fails both preparations.
    pub fn add_password(&mut self, password: &str) -> Result<(), StunError> {
        let mut prepared: Vec<String> = Vec::new();
        let mut error = None;
        for prep in PREPS {
            match stun_turn_codec::prepare(password, prep) {
                Ok(p) if !prepared.iter().any(|q| q == p.as_ref()) => prepared.push(p.into_owned()),
                Ok(_) => {}
                Err(e) => error = Some(e),
            }
        }
        if prepared.is_empty() {
            return Err(error.unwrap_or(StunError::Preparation("empty password")));
        }
        for p in &prepared {
            self.short_term.push(IntegrityKey::new(p.as_bytes()));
        }
        self.passwords.push(password.to_owned());
        Ok(())
    }

    /// Adds an ICE agent's credentials (`a=ice-ufrag`, `a=ice-pwd`).
    ///
    /// # Errors
    ///
    /// The password fails preparation.
    pub fn add_ice(&mut self, ufrag: &str, pwd: &str) -> Result<(), StunError> {
        self.ice
            .insert(ufrag.to_owned(), IntegrityKey::short_term(pwd)?);
        Ok(())
    }

    /// Maps an RTP header extension id to its URI (`a=extmap`); the first mapping of an id
    /// wins, as BUNDLE requires one mapping per id (RFC 8843 §9.2).
    pub fn add_extmap(&mut self, id: u8, uri: &str) {
        self.extmap.entry(id).or_insert_with(|| uri.to_owned());
    }

    /// Adds the ICE credentials and header extension ids of an SDP, session and media
    /// level.
    ///
    /// # Errors
    ///
    /// An ice-pwd fails preparation.
    pub fn add_sdp(&mut self, sdp: &sdp_parse::SessionDescription<&str>) -> Result<(), StunError> {
        let mut creds = vec![(
            sdp.ice_ufrag().map(|s| s.to_string()),
            sdp.ice_pwd().map(|s| s.to_string()),
        )];
        for m in &sdp.media {
            creds.push((
                m.ice_ufrag().map(|s| s.to_string()),
                m.ice_pwd().map(|s| s.to_string()),
            ));
            for c in m.candidates() {
                if let Ok(ip) = c.address().parse::<std::net::IpAddr>() {
                    self.candidates
                        .entry(SocketAddr::new(ip, c.port()))
                        .or_insert_with(|| format!("{} {}", c.typ(), c.transport().to_lowercase()));
                }
            }
            for e in m.extmaps() {
                if let Ok(id) = u8::try_from(e.id) {
                    self.add_extmap(id, e.uri);
                }
            }
        }
        for (u, p) in creds {
            if let (Some(u), Some(p)) = (u, p) {
                self.add_ice(&u, &p)?;
            }
        }
        Ok(())
    }

    /// Reads a datagram starting 0x50–0x7F as RFC 5766 ChannelData without having seen its
    /// ChannelBind, when its length field matches the datagram exactly (for a single
    /// packet given out of context; a capture learns bound channels instead).
    pub fn assume_rfc5766_channels(&mut self) {
        self.rfc5766_channels = true;
    }

    /// The type and transport of the SDP candidate at `addr` (`"host udp"`, `"relay udp"`,
    /// ...), if an SDP announced one.
    #[must_use]
    pub fn candidate(&self, addr: &SocketAddr) -> Option<&str> {
        self.candidates.get(addr).map(String::as_str)
    }

    /// Notes the channel number of a ChannelBind request.
    fn note_channel(&mut self, m: &Message<'_>) {
        if m.method() == stun_turn_codec::Method::CHANNEL_BIND && m.class() == Class::Request {
            if let Ok(Some(ch)) = m.channel_number() {
                self.channels.insert(ch);
            }
        }
    }

    /// Whether a ChannelBind for `channel` was seen. RFC 5766 TURN servers and clients
    /// bind channels 0x5000-0x7FFF, whose first byte RFC 7983 (as updated by RFC 9443)
    /// gives to QUIC; a datagram there is taken for ChannelData only when its channel was
    /// bound.
    #[must_use]
    pub fn channel_bound(&self, channel: u16) -> bool {
        self.channels.contains(&channel)
    }

    /// Whether any key is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.short_term.is_empty() && self.ice.is_empty()
    }

    fn remember(&mut self, tid: TransactionId, key: IntegrityKey) {
        if self.by_transaction.len() >= MAX_REMEMBERED {
            self.by_transaction.clear();
        }
        self.by_transaction.insert(tid, key);
    }

    /// Checks the integrity of `m` with every key that applies to it.
    pub fn check(&mut self, m: &Message<'_>) -> (Check, Option<&'static str>) {
        if m.message_integrity_offset().is_none() && m.message_integrity_sha256_offset().is_none() {
            return (Check::Absent, None);
        }
        let tid = m.transaction_id();
        let is_response = matches!(m.class(), Class::SuccessResponse | Class::ErrorResponse);
        let mut tried = false;
        let mut found: Option<(IntegrityKey, &'static str)> = None;
        let mut attempt = |key: &IntegrityKey, how: &'static str, found: &mut Option<_>| {
            tried = true;
            if found.is_none() && m.verify_integrity(key).is_ok() {
                *found = Some((key.clone(), how));
            }
        };
        if is_response {
            if let Some(k) = self.by_transaction.get(&tid) {
                attempt(k, "request's key", &mut found);
            }
        }
        if let Ok(Some(user)) = m.username() {
            if let Some(k) = user.split(':').next().and_then(|u| self.ice.get(u)) {
                attempt(k, "ice-pwd", &mut found);
            }
        }
        let names = match (m.username(), m.realm()) {
            (Ok(Some(u)), Ok(Some(r))) => {
                if self.long_term_names.len() >= MAX_REMEMBERED {
                    self.long_term_names.clear();
                }
                self.long_term_names
                    .insert(tid, (u.to_owned(), r.to_owned()));
                Some((u.to_owned(), r.to_owned()))
            }
            _ if is_response => self.long_term_names.get(&tid).cloned(),
            _ => None,
        };
        let own_names = matches!((m.username(), m.realm()), (Ok(Some(_)), Ok(Some(_))));
        for pw in &self.passwords {
            for prep in PREPS {
                let key = if own_names {
                    // The message's own USERNAME, REALM and PASSWORD-ALGORITHM (§9.2.4).
                    m.long_term_key(pw, prep).ok().flatten()
                } else if let Some((u, r)) = &names {
                    IntegrityKey::long_term(u, r, pw, LongTermAlgorithm::Md5, prep).ok()
                } else {
                    None
                };
                if let Some(k) = key {
                    attempt(&k, "long-term", &mut found);
                }
            }
        }
        for k in &self.short_term {
            attempt(k, "short-term", &mut found);
        }
        if found.is_none() && self.ice.len() > 1 && m.class() != Class::Request {
            // Indications and responses whose request was not seen: any ICE password.
            for k in self.ice.values() {
                attempt(k, "ice-pwd", &mut found);
            }
        }
        match found {
            Some((key, how)) => {
                if m.class() == Class::Request {
                    self.remember(tid, key);
                }
                (Check::Ok, Some(how))
            }
            None if tried => (Check::Failed, None),
            None => (Check::Unverified, None),
        }
    }
}

/// The FINGERPRINT outcome of `m`.
#[must_use]
pub fn fingerprint(m: &Message<'_>) -> Check {
    match m.verify_fingerprint() {
        Ok(()) => Check::Ok,
        Err(StunError::FingerprintMissing) => Check::Absent,
        Err(_) => Check::Failed,
    }
}

/// A decoded packet.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Its kind.
    pub kind: Kind,
    /// The JSON object (without frame/time/address fields).
    pub json: Map<String, Value>,
    /// A one-line human summary.
    pub summary: String,
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
    decode_depth(data, transport, (src, dst), keys, 0)
}

/// Adds the SRTP verdict of a packet to its JSON and summary.
fn add_srtp(d: &mut Decoded, verdict: Verdict, key: Option<String>, detail: Option<String>) {
    d.json.insert("srtp".into(), verdict.name().into());
    if let Some(k) = key {
        d.json.insert("srtp_key".into(), k.into());
    }
    let _ = write!(d.summary, " [srtp {}]", verdict.name());
    if let Some(e) = detail {
        let field = if verdict == Verdict::Ok {
            "srtp_note"
        } else {
            "srtp_error"
        };
        d.json.insert(field.into(), e.into());
    }
}

/// RTP or RTCP through the key ring: the plaintext when a key authenticates it, else the
/// protected packet's clear header, each with its verdict.
fn protected(
    data: &[u8],
    rtcp: bool,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
) -> Decoded {
    let o = keys.srtp.unprotect(flow.0, flow.1, rtcp, data);
    let (verdict, key, detail) = (o.verdict, o.key.map(str::to_owned), o.detail);
    let plain = o.plain.map(<[u8]>::to_vec);
    let bytes = plain.as_deref().unwrap_or(data);
    let mut d = if rtcp {
        rtcp_decoded(bytes)
    } else {
        match RtpPacket::parse(bytes) {
            Ok(p) => rtp(&p, keys),
            Err(e) => unknown(bytes, PacketKind::Rtp, Some(format!("rtp: {e}"))),
        }
    };
    add_srtp(&mut d, verdict, key, detail);
    d
}

fn unknown(data: &[u8], demux: PacketKind, error: Option<String>) -> Decoded {
    let mut json = Map::new();
    json.insert("kind".into(), "unknown".into());
    json.insert("bytes".into(), data.len().into());
    let demux_name = demux_name(demux);
    json.insert("demux".into(), demux_name.into());
    let mut summary = format!("unknown {} bytes", data.len());
    if demux != PacketKind::Unknown {
        let _ = write!(summary, " (first byte says {demux_name})");
    }
    if let Some(e) = error {
        let _ = write!(summary, ": {e}");
        json.insert("error".into(), e.into());
    }
    Decoded {
        kind: Kind::Unknown,
        json,
        summary,
    }
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

fn decode_depth(
    data: &[u8],
    transport: Transport,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
) -> Decoded {
    let demux = classify(data);
    match demux {
        PacketKind::Stun => match Message::parse(data) {
            Ok(m) => {
                keys.note_channel(&m);
                stun(&m, flow, keys, depth)
            }
            Err(e) => unknown(data, demux, Some(format!("stun: {e}"))),
        },
        PacketKind::Quic
            if data.len() >= 4
                && (0x50..=0x7f).contains(&data[0])
                && (keys.channel_bound(u16::from_be_bytes([data[0], data[1]]))
                    || (keys.rfc5766_channels && rfc5766_length_fits(data))) =>
        {
            decode_channel(data, transport, flow, keys, depth, demux)
        }
        PacketKind::TurnChannel => decode_channel(data, transport, flow, keys, depth, demux),
        PacketKind::Rtp => match RtpPacket::parse(data) {
            Ok(_) if keys.srtp.is_configured() => protected(data, false, flow, keys),
            Ok(p) => rtp(&p, keys),
            Err(e) => unknown(data, demux, Some(format!("rtp: {e}"))),
        },
        PacketKind::Rtcp if keys.srtp.is_configured() => protected(data, true, flow, keys),
        PacketKind::Rtcp => rtcp_decoded(data),
        PacketKind::Dtls => {
            let note = keys.srtp.observe_dtls(flow.0, flow.1, data);
            match dtls(data) {
                Ok(mut d) => {
                    if let Some(n) = note {
                        let _ = write!(d.summary, " [{n}]");
                        d.json.insert("srtp_keys".into(), n.into());
                    }
                    d
                }
                Err(e) => unknown(data, demux, Some(format!("dtls: {e}"))),
            }
        }
        other => unknown(data, other, None),
    }
}

/// Whether a ChannelData length field accounts for the datagram exactly (with at most the
/// stream padding of RFC 8656 §12.5).
fn rfc5766_length_fits(data: &[u8]) -> bool {
    let len = usize::from(u16::from_be_bytes([data[2], data[3]]));
    let total = 4 + len;
    data.len() == total || data.len() == (total + 3) & !3
}

fn decode_channel(
    data: &[u8],
    transport: Transport,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
    demux: PacketKind,
) -> Decoded {
    // RFC 5766 allowed channels up to 0x7FFF; captures of older peers use them.
    match ChannelData::parse_rfc5766(data, transport) {
        Ok(cd) => channel_data(&cd, transport, flow, keys, depth),
        Err(e) => unknown(data, demux, Some(format!("channel-data: {e}"))),
    }
}

fn stun(m: &Message<'_>, flow: (SocketAddr, SocketAddr), keys: &mut Session, depth: u8) -> Decoded {
    let mut json = Map::new();
    json.insert("kind".into(), "stun".into());
    if let Ok(Value::Object(o)) = serde_json::to_value(m) {
        json.extend(o);
    }
    json.insert("message_type".into(), m.message_type().to_u16().into());
    let (integrity, how) = keys.check(m);
    let fp = fingerprint(m);
    json.insert("integrity".into(), integrity.name().into());
    if let Some(how) = how {
        json.insert("integrity_key".into(), how.into());
    }
    json.insert("fingerprint".into(), fp.name().into());
    let mut summary = format!(
        "stun {} {} tid={}",
        m.method(),
        m.class(),
        hex::encode(m.transaction_id().0)
    );
    let names: Vec<String> = m.attributes().map(|a| a.attr_type.to_string()).collect();
    if !names.is_empty() {
        let _ = write!(summary, " [{}]", names.join(","));
    }
    if let Ok(Some(e)) = m.error_code() {
        let _ = write!(summary, " error={} {}", e.code, e.reason);
    }
    if let Ok(Some(a)) = m.xor_mapped_address() {
        let _ = write!(summary, " mapped={a}");
    }
    let _ = write!(
        summary,
        " integrity={} fingerprint={}",
        integrity.name(),
        fp.name()
    );
    // TURN Send/Data indications carry a datagram of the peer session (RFC 8656 §11).
    if depth == 0 {
        if let Ok(Some(d)) = m.data() {
            let inner = decode_depth(d, Transport::Udp, flow, keys, depth + 1);
            let _ = write!(summary, " data: {}", inner.summary);
            json.insert("inner".into(), Value::Object(inner.json));
        }
    }
    Decoded {
        kind: Kind::Stun,
        json,
        summary,
    }
}

fn channel_data(
    cd: &ChannelData<'_>,
    transport: Transport,
    flow: (SocketAddr, SocketAddr),
    keys: &mut Session,
    depth: u8,
) -> Decoded {
    let mut json = Map::new();
    json.insert("kind".into(), "channel-data".into());
    json.insert("channel".into(), cd.channel().into());
    json.insert("length".into(), cd.data().len().into());
    let mut summary = format!(
        "channel-data {:#06x} {} bytes",
        cd.channel(),
        cd.data().len()
    );
    if depth == 0 {
        let inner = decode_depth(cd.data(), transport, flow, keys, depth + 1);
        let _ = write!(summary, ": {}", inner.summary);
        json.insert("inner".into(), Value::Object(inner.json));
    }
    Decoded {
        kind: Kind::ChannelData,
        json,
        summary,
    }
}

fn rtp(p: &RtpPacket<'_>, session: &Session) -> Decoded {
    let mut json = Map::new();
    json.insert("kind".into(), "rtp".into());
    if let Ok(Value::Object(o)) = serde_json::to_value(p) {
        json.extend(o);
    }
    // Elements whose id an SDP mapped get the URI and, for known URIs, the value.
    if !session.extmap.is_empty() {
        let elements: Vec<Value> = p
            .extensions()
            .filter_map(Result::ok)
            .map(|e| {
                let mut v = json!({"id": e.id, "data": hex::encode(e.data)});
                if let Some(uri) = session.extmap.get(&e.id) {
                    v["uri"] = uri.as_str().into();
                    if let Some(value) = super::hdrext::decode(uri, e.data) {
                        v["value"] = value;
                    }
                }
                v
            })
            .collect();
        json.insert("extensions".into(), Value::Array(elements));
    }
    if let Some(Err(e)) = p.extensions().find(Result::is_err) {
        json.insert("extension_error".into(), e.to_string().into());
    }
    let summary = format!(
        "rtp ssrc={:#010x} pt={} seq={} ts={}{}",
        p.ssrc(),
        p.payload_type(),
        p.sequence_number(),
        p.timestamp(),
        if p.marker() { " marker" } else { "" }
    );
    Decoded {
        kind: Kind::Rtp,
        json,
        summary,
    }
}

fn rtcp_decoded(data: &[u8]) -> Decoded {
    let mut packets = Vec::new();
    let mut names = Vec::new();
    let mut error = None;
    let mut plain_attempt = None;
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
    if error.is_some() && rtcp_header_only(data).is_some() {
        let attempt = std::mem::take(&mut packets);
        names.clear();
        if !attempt.is_empty() {
            plain_attempt = Some(Value::Array(attempt));
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
                return unknown(data, PacketKind::Rtcp, error.map(|e| format!("rtcp: {e}")));
            }
        }
    }
    let mut json = Map::new();
    json.insert("kind".into(), "rtcp".into());
    json.insert("packets".into(), Value::Array(packets));
    if let Some(a) = plain_attempt {
        json.insert("read_as_plain".into(), a);
    }
    let mut summary = format!("rtcp {}", names.join(" "));
    if let Some(e) = error {
        // SRTCP: only the first packet's first 8 bytes are in clear (RFC 3711 §3.4).
        let _ = write!(summary, " (then: {e})");
        json.insert("error".into(), e.into());
    }
    Decoded {
        kind: Kind::Rtcp,
        json,
        summary,
    }
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

fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        24 => "heartbeat",
        25 => "tls12_cid",
        26 => "ack",
        _ => "unknown",
    }
}

/// Walks the DTLS records of a datagram: DTLSPlaintext/DTLSCiphertext headers of RFC 6347
/// §4.1 (13 bytes), and DTLS 1.3 unified headers (RFC 9147 §4: first byte `001CSLEE`).
fn dtls(data: &[u8]) -> Result<Decoded, String> {
    let mut records = Vec::new();
    let mut names = Vec::new();
    let mut off = 0;
    while off < data.len() {
        let b = data[off];
        if b & 0xe0 == 0x20 {
            // Unified header: C (connection id), S (16-bit sequence), L (length present),
            // EE (low epoch bits). A connection id's length is not on the wire: we cannot
            // skip it, so stop there.
            let c = b & 0x10 != 0;
            let s16 = b & 0x08 != 0;
            let l = b & 0x04 != 0;
            let epoch = b & 0x03;
            if c {
                records.push(json!({"content_type": "ciphertext", "epoch_bits": epoch, "connection_id": true}));
                names.push("ciphertext(cid)".to_owned());
                break;
            }
            let seq_len = if s16 { 2 } else { 1 };
            let hdr = 1 + seq_len + if l { 2 } else { 0 };
            let h = data
                .get(off..off + hdr)
                .ok_or_else(|| format!("unified header at offset {off} cut short"))?;
            let seq = if s16 {
                u32::from(u16::from_be_bytes([h[1], h[2]]))
            } else {
                u32::from(h[1])
            };
            let len = if l {
                usize::from(u16::from_be_bytes([h[1 + seq_len], h[2 + seq_len]]))
            } else {
                data.len() - off - hdr
            };
            if off + hdr + len > data.len() {
                return Err(format!(
                    "record at offset {off} of {len} bytes overruns the datagram"
                ));
            }
            records.push(json!({
                "content_type": "ciphertext",
                "epoch_bits": epoch,
                "sequence_number_bits": seq,
                "length": len,
            }));
            names.push(format!("ciphertext(epoch&3={epoch}, {len} bytes)"));
            off += hdr + len;
        } else if (20..=26).contains(&b) {
            let h = data
                .get(off..off + 13)
                .ok_or_else(|| format!("record header at offset {off} cut short"))?;
            let version = u16::from_be_bytes([h[1], h[2]]);
            if h[1] != 0xfe {
                return Err(format!(
                    "record at offset {off} has version {version:#06x}, not DTLS"
                ));
            }
            let epoch = u16::from_be_bytes([h[3], h[4]]);
            let seq = u64::from_be_bytes([0, 0, h[5], h[6], h[7], h[8], h[9], h[10]]);
            let len = usize::from(u16::from_be_bytes([h[11], h[12]]));
            if off + 13 + len > data.len() {
                return Err(format!(
                    "record at offset {off} of {len} bytes overruns the datagram"
                ));
            }
            let mut r = json!({
                "content_type": h[0],
                "content_type_name": content_type_name(h[0]),
                "version": format!("{version:#06x}"),
                "epoch": epoch,
                "sequence_number": seq,
                "length": len,
            });
            // The handshake type is in clear in epoch 0 (RFC 6347 §4.2.2).
            if h[0] == 22 && epoch == 0 {
                if let Some(&ht) = data.get(off + 13) {
                    r["handshake_type"] = ht.into();
                }
            }
            names.push(format!(
                "{}(epoch {epoch}, {len} bytes)",
                content_type_name(h[0])
            ));
            records.push(r);
            off += 13 + len;
        } else {
            return Err(format!(
                "byte {b:#04x} at offset {off} starts no DTLS record"
            ));
        }
    }
    let mut json = Map::new();
    json.insert("kind".into(), "dtls".into());
    json.insert("records".into(), Value::Array(records));
    Ok(Decoded {
        kind: Kind::Dtls,
        json,
        summary: format!("dtls {}", names.join(" ")),
    })
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
