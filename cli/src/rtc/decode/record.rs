//! One typed record per packet kind: the JSON contract of `packets --json` and `decode
//! --json` is these types' `Serialize` (so a field's name is checked by the compiler), and
//! the one-line text summary is made from the same values.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

/// A decoded packet, tagged by `kind`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Record {
    /// STUN (RFC 8489).
    Stun(StunRecord),
    /// RTP (RFC 3550).
    Rtp(RtpRecord),
    /// RTCP (RFC 3550).
    Rtcp(RtcpRecord),
    /// DTLS records (RFC 6347, RFC 9147).
    Dtls(DtlsRecord),
    /// TURN ChannelData (RFC 8656 §12.4).
    ChannelData(ChannelDataRecord),
    /// Anything else.
    Unknown(UnknownRecord),
}

/// The SRTP verdict of an RTP or RTCP packet (present only when keys were given).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SrtpFields {
    /// `ok`, `auth-failed`, `replayed`, `too-old`, `no-key`, `malformed`.
    pub srtp: &'static str,
    /// Where the key that decided came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srtp_key: Option<String>,
    /// For failures: what was tried and why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srtp_error: Option<String>,
    /// For packets that decrypted: what was odd about them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srtp_note: Option<String>,
}

/// A STUN message.
#[derive(Debug, Clone, Serialize)]
pub struct StunRecord {
    /// The message as `stun-turn-codec` serialises it: `class`, `method`,
    /// `transaction_id`, `length`, `attributes`.
    #[serde(flatten)]
    pub message: Map<String, Value>,
    /// The 16-bit message type.
    pub message_type: u16,
    /// MESSAGE-INTEGRITY(-SHA256): `ok`, `failed`, `absent`, `unverified`.
    pub integrity: &'static str,
    /// Which key verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity_key: Option<&'static str>,
    /// FINGERPRINT: `ok`, `failed`, `absent`.
    pub fingerprint: &'static str,
    /// The decoded DATA of a Send or Data indication (RFC 8656 §11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<Box<Record>>,
    /// Method, class, transaction id, attribute names, error and mapped address, as the
    /// summary starts.
    #[serde(skip)]
    pub head: String,
}

/// One RFC 8285 header extension element.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExtensionRecord {
    /// The element id.
    pub id: u8,
    /// The element data, hex.
    pub data: String,
    /// The URI an SDP's `a=extmap` gave the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// The decoded value, for the URIs of [`super::super::hdrext`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// An RTP packet (the plaintext's header when SRTP decrypted it).
#[derive(Debug, Clone, Serialize)]
pub struct RtpRecord {
    /// Synchronisation source.
    pub ssrc: u32,
    /// Sequence number.
    pub seq: u16,
    /// RTP timestamp.
    pub timestamp: u32,
    /// Payload type.
    pub payload_type: u8,
    /// Marker bit.
    pub marker: bool,
    /// Contributing sources.
    pub csrcs: Vec<u32>,
    /// The header extension's "defined by profile", if `X` is set.
    pub extension_profile: Option<u16>,
    /// The RFC 8285 elements.
    pub extensions: Vec<ExtensionRecord>,
    /// Header length (fixed part, CSRCs, extension).
    pub header_len: usize,
    /// Payload length (padding and SRTP trailer excluded once decrypted).
    pub payload_len: usize,
    /// Padding length.
    pub padding_len: usize,
    /// Why the extension stopped parsing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_error: Option<String>,
    /// SRTP verdict.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub srtp: Option<SrtpFields>,
}

/// An RTCP compound packet.
#[derive(Debug, Clone, Serialize)]
pub struct RtcpRecord {
    /// Each packet as `rtp-codec` serialises it (`type` and its fields), NACKs with `lost`
    /// and REMB with `bitrate`; for a compound whose body does not parse (SRTCP without
    /// its key), the clear header only (`header_only: true`).
    pub packets: Vec<Value>,
    /// What parsed of a body that did not parse to its end (likely ciphertext).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as_plain: Option<Vec<Value>>,
    /// Why the compound stopped parsing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// SRTP verdict.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub srtp: Option<SrtpFields>,
    /// One name per packet for the summary (`sr(ssrc=0x...)`).
    #[serde(skip)]
    pub names: Vec<String>,
}

/// One DTLS record header.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum DtlsRecordHeader {
    /// A DTLSPlaintext / DTLSCiphertext header with its full fields (RFC 6347 §4.1).
    Full {
        /// Content type (20–26).
        content_type: u8,
        /// Its name.
        content_type_name: &'static str,
        /// The version, `0xfefd` style.
        version: String,
        /// Epoch.
        epoch: u16,
        /// 48-bit sequence number.
        sequence_number: u64,
        /// Length of the fragment.
        length: usize,
        /// In epoch 0, the handshake message type.
        #[serde(skip_serializing_if = "Option::is_none")]
        handshake_type: Option<u8>,
    },
    /// A DTLS 1.3 unified header (RFC 9147 §4).
    Unified {
        /// Always `"ciphertext"`.
        content_type: &'static str,
        /// The two low bits of the epoch.
        epoch_bits: u8,
        /// The low bits of the sequence number (absent with a connection id).
        #[serde(skip_serializing_if = "Option::is_none")]
        sequence_number_bits: Option<u32>,
        /// The record's length (absent with a connection id).
        #[serde(skip_serializing_if = "Option::is_none")]
        length: Option<usize>,
        /// A connection id is present (its length is not on the wire: reading stops).
        #[serde(skip_serializing_if = "Option::is_none")]
        connection_id: Option<bool>,
    },
}

/// The DTLS records of a datagram.
#[derive(Debug, Clone, Serialize)]
pub struct DtlsRecord {
    /// The records in order.
    pub records: Vec<DtlsRecordHeader>,
    /// The SRTP keys this datagram's handshake made known, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srtp_keys: Option<String>,
}

/// A TURN ChannelData message.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelDataRecord {
    /// Channel number.
    pub channel: u16,
    /// Application data length.
    pub length: usize,
    /// The decoded application data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner: Option<Box<Record>>,
}

/// A datagram of no known kind, or one that did not parse as what its first byte said.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownRecord {
    /// Its length.
    pub bytes: usize,
    /// What the first byte said (`stun`, `rtp`, `dtls`, …, `unknown`).
    pub demux: &'static str,
    /// Why that protocol did not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// SRTP verdict (a decrypted packet that does not parse as RTP).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub srtp: Option<SrtpFields>,
}

fn srtp_suffix(out: &mut String, srtp: Option<&SrtpFields>) {
    if let Some(s) = srtp {
        let _ = write!(out, " [srtp {}]", s.srtp);
    }
}

impl Record {
    /// The one-line text summary.
    #[must_use]
    pub fn summary(&self) -> String {
        let mut out = String::new();
        match self {
            Self::Stun(r) => {
                out.push_str(&r.head);
                let _ = write!(
                    out,
                    " integrity={} fingerprint={}",
                    r.integrity, r.fingerprint
                );
                if let Some(i) = &r.inner {
                    let _ = write!(out, " data: {}", i.summary());
                }
            }
            Self::Rtp(r) => {
                let _ = write!(
                    out,
                    "rtp ssrc={:#010x} pt={} seq={} ts={}{}",
                    r.ssrc,
                    r.payload_type,
                    r.seq,
                    r.timestamp,
                    if r.marker { " marker" } else { "" }
                );
                srtp_suffix(&mut out, r.srtp.as_ref());
            }
            Self::Rtcp(r) => {
                let _ = write!(out, "rtcp {}", r.names.join(" "));
                if let Some(e) = &r.error {
                    // SRTCP: only the first packet's first 8 bytes are in clear (RFC 3711 §3.4).
                    let _ = write!(out, " (then: {e})");
                }
                srtp_suffix(&mut out, r.srtp.as_ref());
            }
            Self::Dtls(r) => {
                let names: Vec<String> = r
                    .records
                    .iter()
                    .map(|h| match h {
                        DtlsRecordHeader::Full {
                            content_type_name,
                            epoch,
                            length,
                            ..
                        } => format!("{content_type_name}(epoch {epoch}, {length} bytes)"),
                        DtlsRecordHeader::Unified {
                            connection_id: Some(true),
                            ..
                        } => "ciphertext(cid)".to_owned(),
                        DtlsRecordHeader::Unified {
                            epoch_bits, length, ..
                        } => format!(
                            "ciphertext(epoch&3={epoch_bits}, {} bytes)",
                            length.unwrap_or(0)
                        ),
                    })
                    .collect();
                let _ = write!(out, "dtls {}", names.join(" "));
                if let Some(k) = &r.srtp_keys {
                    let _ = write!(out, " [{k}]");
                }
            }
            Self::ChannelData(r) => {
                let _ = write!(out, "channel-data {:#06x} {} bytes", r.channel, r.length);
                if let Some(i) = &r.inner {
                    let _ = write!(out, ": {}", i.summary());
                }
            }
            Self::Unknown(r) => {
                let _ = write!(out, "unknown {} bytes", r.bytes);
                if r.demux != "unknown" {
                    let _ = write!(out, " (first byte says {})", r.demux);
                }
                if let Some(e) = &r.error {
                    let _ = write!(out, ": {e}");
                }
                srtp_suffix(&mut out, r.srtp.as_ref());
            }
        }
        out
    }

    /// The SRTP verdict (`"ok"`, `"auth-failed"`, …) of an RTP, RTCP or unknown record that
    /// went through the key ring.
    #[must_use]
    pub fn srtp_verdict(&self) -> Option<&'static str> {
        match self {
            Self::Rtp(RtpRecord { srtp, .. })
            | Self::Rtcp(RtcpRecord { srtp, .. })
            | Self::Unknown(UnknownRecord { srtp, .. }) => srtp.as_ref().map(|s| s.srtp),
            _ => None,
        }
    }

    /// The record's SRTP verdict fields, for the kinds that have them.
    pub(crate) fn srtp_mut(&mut self) -> Option<&mut Option<SrtpFields>> {
        match self {
            Self::Rtp(r) => Some(&mut r.srtp),
            Self::Rtcp(r) => Some(&mut r.srtp),
            Self::Unknown(r) => Some(&mut r.srtp),
            _ => None,
        }
    }
}
