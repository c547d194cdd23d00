//! The few STUN messages ICE needs, read and written with `stun-codec`.

use std::net::SocketAddr;

use stun_turn_codec::{
    ChannelData, IntegrityKey, LongTermAlgorithm, LongTermKey, Message, MessageBuilder, Method,
    PasswordPrep, TransactionId,
};

pub(crate) use stun_turn_codec::{is_channel_data, is_stun};

/// The class of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Request,
    Indication,
    Success,
    Error,
}

/// A precomputed short-term credential key ([RFC 8489 §9.1.1]).
///
/// [RFC 8489 §9.1.1]: https://www.rfc-editor.org/rfc/rfc8489#section-9.1.1
#[derive(Debug, Clone)]
pub(crate) struct StunKey(IntegrityKey);

impl StunKey {
    pub(crate) fn new(password: &str) -> Self {
        // ICE passwords are ice-chars, for which OpaqueString is the identity; fall back
        // to the raw bytes should preparation ever refuse one.
        Self(
            IntegrityKey::short_term(password)
                .unwrap_or_else(|_| IntegrityKey::new(password.as_bytes())),
        )
    }

    /// A long-term credential key ([RFC 8489 §9.2.2]): `MD5(username:realm:password)`.
    ///
    /// [RFC 8489 §9.2.2]: https://www.rfc-editor.org/rfc/rfc8489#section-9.2.2
    pub(crate) fn long_term(username: &str, realm: &str, password: &str) -> Option<Self> {
        let md5 = |prep| LongTermKey::new(username, realm, password, LongTermAlgorithm::Md5, prep);
        let k = md5(PasswordPrep::OpaqueString)
            .or_else(|_| md5(PasswordPrep::None))
            .ok()?;
        Some(Self(IntegrityKey::new(k.as_bytes())))
    }
}

/// A received STUN message with the attributes ICE reads decoded once.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    msg: Message<'a>,
    class: Class,
}

impl<'a> Parsed<'a> {
    /// Parses `data`; `None` for malformed messages or a wrong FINGERPRINT.
    pub(crate) fn parse(data: &'a [u8]) -> Option<Self> {
        let msg = Message::parse(data).ok()?;
        if msg.fingerprint_offset().is_some() && msg.verify_fingerprint().is_err() {
            return None;
        }
        let class = match msg.class() {
            stun_turn_codec::Class::Request => Class::Request,
            stun_turn_codec::Class::Indication => Class::Indication,
            stun_turn_codec::Class::SuccessResponse => Class::Success,
            stun_turn_codec::Class::ErrorResponse => Class::Error,
        };
        Some(Self { msg, class })
    }

    pub(crate) fn class(&self) -> Class {
        self.class
    }

    pub(crate) fn is_binding(&self) -> bool {
        self.msg.method() == Method::BINDING
    }

    pub(crate) fn method(&self) -> Method {
        self.msg.method()
    }

    pub(crate) fn has_integrity(&self) -> bool {
        self.msg.message_integrity_offset().is_some()
            || self.msg.message_integrity_sha256_offset().is_some()
    }

    pub(crate) fn realm(&self) -> Option<&'a str> {
        self.msg.realm().ok().flatten()
    }

    pub(crate) fn nonce(&self) -> Option<&'a str> {
        self.msg.nonce().ok().flatten()
    }

    pub(crate) fn lifetime(&self) -> Option<u32> {
        self.msg.lifetime().ok().flatten()
    }

    pub(crate) fn xor_relayed_address(&self) -> Option<SocketAddr> {
        self.msg.xor_relayed_address().ok().flatten()
    }

    pub(crate) fn xor_peer_address(&self) -> Option<SocketAddr> {
        self.msg.xor_peer_address().ok().flatten()
    }

    pub(crate) fn channel_number(&self) -> Option<u16> {
        self.msg.channel_number().ok().flatten()
    }

    pub(crate) fn requested_transport(&self) -> Option<u8> {
        self.msg.requested_transport().ok().flatten()
    }

    pub(crate) fn data(&self) -> Option<&'a [u8]> {
        self.msg.data().ok().flatten()
    }

    pub(crate) fn transaction_id(&self) -> [u8; 12] {
        self.msg.transaction_id().0
    }

    pub(crate) fn username(&self) -> Option<&'a str> {
        self.msg.username().ok().flatten()
    }

    pub(crate) fn priority(&self) -> Option<u32> {
        self.msg.priority().ok().flatten()
    }

    pub(crate) fn use_candidate(&self) -> bool {
        self.msg.use_candidate()
    }

    pub(crate) fn ice_controlling(&self) -> Option<u64> {
        self.msg.ice_controlling().ok().flatten()
    }

    pub(crate) fn ice_controlled(&self) -> Option<u64> {
        self.msg.ice_controlled().ok().flatten()
    }

    pub(crate) fn xor_mapped_address(&self) -> Option<SocketAddr> {
        self.msg.xor_mapped_address().ok().flatten()
    }

    pub(crate) fn error_code(&self) -> Option<u16> {
        self.msg.error_code().ok().flatten().map(|e| e.code)
    }

    /// MESSAGE-INTEGRITY (or -SHA256) verifies with `key`.
    pub(crate) fn verify(&self, key: &StunKey) -> bool {
        self.msg.verify_integrity(&key.0).is_ok()
    }
}

/// The ICE attributes of a connectivity check ([RFC 8445 §7.1]).
///
/// [RFC 8445 §7.1]: https://www.rfc-editor.org/rfc/rfc8445#section-7.1
#[derive(Debug)]
pub(crate) struct RequestAttrs<'a> {
    pub(crate) username: &'a str,
    pub(crate) priority: u32,
    pub(crate) controlling: Option<u64>,
    pub(crate) controlled: Option<u64>,
    pub(crate) use_candidate: bool,
}

/// A Binding request: a connectivity check when `attrs` is given, a plain request to a
/// STUN server otherwise. Ends with MESSAGE-INTEGRITY (when keyed) and FINGERPRINT.
pub(crate) fn write_binding_request(
    out: &mut Vec<u8>,
    id: [u8; 12],
    attrs: Option<&RequestAttrs<'_>>,
    key: Option<&StunKey>,
) {
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::Request,
        Method::BINDING,
        TransactionId(id),
    );
    if let Some(a) = attrs {
        b.username(a.username).priority(a.priority);
        if let Some(t) = a.controlling {
            b.ice_controlling(t);
        }
        if let Some(t) = a.controlled {
            b.ice_controlled(t);
        }
        if a.use_candidate {
            b.use_candidate();
        }
    }
    if let Some(k) = key {
        b.message_integrity(&k.0);
    }
    b.fingerprint();
    // Writing into a Vec cannot run out of room, and every value written fits.
    let _ = b.finish();
}

/// A Binding success response with XOR-MAPPED-ADDRESS ([RFC 8445 §7.3.1.2]).
///
/// [RFC 8445 §7.3.1.2]: https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.2
pub(crate) fn write_binding_success(
    out: &mut Vec<u8>,
    id: [u8; 12],
    mapped: SocketAddr,
    key: Option<&StunKey>,
) {
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::SuccessResponse,
        Method::BINDING,
        TransactionId(id),
    );
    b.xor_mapped_address(mapped);
    if let Some(k) = key {
        b.message_integrity(&k.0);
    }
    b.fingerprint();
    let _ = b.finish();
}

/// A Binding error response (400, 487).
pub(crate) fn write_binding_error(
    out: &mut Vec<u8>,
    id: [u8; 12],
    code: u16,
    reason: &str,
    key: Option<&StunKey>,
) {
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::ErrorResponse,
        Method::BINDING,
        TransactionId(id),
    );
    b.error_code(code, reason);
    if let Some(k) = key {
        b.message_integrity(&k.0);
    }
    b.fingerprint();
    let _ = b.finish();
}

/// A Binding indication, the keepalive of [RFC 8445 §11].
///
/// [RFC 8445 §11]: https://www.rfc-editor.org/rfc/rfc8445#section-11
pub(crate) fn write_binding_indication(out: &mut Vec<u8>, id: [u8; 12]) {
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::Indication,
        Method::BINDING,
        TransactionId(id),
    );
    b.fingerprint();
    let _ = b.finish();
}

/// What a TURN request carries besides authentication ([RFC 8656]).
///
/// [RFC 8656]: https://www.rfc-editor.org/rfc/rfc8656
#[derive(Debug, Clone, Copy)]
pub(crate) enum TurnRequest {
    /// Allocate with REQUESTED-TRANSPORT UDP and LIFETIME (§7.1).
    Allocate { lifetime: u32 },
    /// Refresh with LIFETIME (§7.4); 0 deletes the allocation.
    Refresh { lifetime: u32 },
    /// CreatePermission for one peer (§9.1).
    CreatePermission { peer: SocketAddr },
    /// ChannelBind (§11.1).
    ChannelBind { peer: SocketAddr, channel: u16 },
}

/// Long-term authentication of a TURN request (§9.2.3): USERNAME, REALM, NONCE and
/// MESSAGE-INTEGRITY.
#[derive(Debug)]
pub(crate) struct TurnAuth<'a> {
    pub(crate) username: &'a str,
    pub(crate) realm: &'a str,
    pub(crate) nonce: &'a str,
    pub(crate) key: &'a StunKey,
}

pub(crate) fn write_turn_request(
    out: &mut Vec<u8>,
    id: [u8; 12],
    req: TurnRequest,
    auth: Option<&TurnAuth<'_>>,
) {
    let method = match req {
        TurnRequest::Allocate { .. } => Method::ALLOCATE,
        TurnRequest::Refresh { .. } => Method::REFRESH,
        TurnRequest::CreatePermission { .. } => Method::CREATE_PERMISSION,
        TurnRequest::ChannelBind { .. } => Method::CHANNEL_BIND,
    };
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::Request,
        method,
        TransactionId(id),
    );
    match req {
        TurnRequest::Allocate { lifetime } => {
            // 17 = UDP (RFC 8656 §18.8).
            b.requested_transport(17).lifetime(lifetime);
        }
        TurnRequest::Refresh { lifetime } => {
            b.lifetime(lifetime);
        }
        TurnRequest::CreatePermission { peer } => {
            b.xor_peer_address(peer);
        }
        TurnRequest::ChannelBind { peer, channel } => {
            b.channel_number(channel).xor_peer_address(peer);
        }
    }
    if let Some(a) = auth {
        b.username(a.username)
            .realm(a.realm)
            .nonce(a.nonce)
            .message_integrity(&a.key.0);
    }
    b.fingerprint();
    let _ = b.finish();
}

/// A Send indication (RFC 8656 §10.1) carrying `data` to `peer`.
pub(crate) fn write_send_indication(
    out: &mut Vec<u8>,
    id: [u8; 12],
    peer: SocketAddr,
    data: &[u8],
) {
    write_peer_indication(out, Method::SEND, id, peer, data);
}

/// A Data indication (RFC 8656 §10.2), as a TURN server sends it.
pub(crate) fn write_data_indication(
    out: &mut Vec<u8>,
    id: [u8; 12],
    peer: SocketAddr,
    data: &[u8],
) {
    write_peer_indication(out, Method::DATA, id, peer, data);
}

/// Send and Data indications share one layout: XOR-PEER-ADDRESS and DATA (RFC 8656 §10).
fn write_peer_indication(
    out: &mut Vec<u8>,
    method: Method,
    id: [u8; 12],
    peer: SocketAddr,
    data: &[u8],
) {
    let mut b = MessageBuilder::new(
        &mut *out,
        stun_turn_codec::Class::Indication,
        method,
        TransactionId(id),
    );
    b.xor_peer_address(peer).data(data);
    let _ = b.finish();
}

/// A ChannelData message (RFC 8656 §12.4) on UDP.
pub(crate) fn write_channel_data(out: &mut Vec<u8>, channel: u16, data: &[u8]) -> bool {
    ChannelData::write(&mut *out, channel, data, stun_turn_codec::Transport::Udp).is_ok()
}

/// Parses a ChannelData message: (channel, data).
pub(crate) fn parse_channel_data(buf: &[u8]) -> Option<(u16, &[u8])> {
    let cd = ChannelData::parse(buf, stun_turn_codec::Transport::Udp).ok()?;
    Some((cd.channel(), cd.data()))
}

/// A response to a TURN request, as a TURN server writes it.
#[derive(Debug)]
pub(crate) enum TurnResponse<'a> {
    /// 401 with REALM and NONCE.
    Unauthorized { realm: &'a str, nonce: &'a str },
    /// Allocate success.
    Allocated {
        relayed: SocketAddr,
        mapped: SocketAddr,
        lifetime: u32,
    },
    /// Refresh success.
    Refreshed { lifetime: u32 },
    /// CreatePermission / ChannelBind success.
    Ok,
    /// Another error.
    Error { code: u16 },
}

pub(crate) fn write_turn_response(
    out: &mut Vec<u8>,
    id: [u8; 12],
    method: Method,
    resp: &TurnResponse<'_>,
    key: Option<&StunKey>,
) {
    let class = match resp {
        TurnResponse::Unauthorized { .. } | TurnResponse::Error { .. } => {
            stun_turn_codec::Class::ErrorResponse
        }
        _ => stun_turn_codec::Class::SuccessResponse,
    };
    let mut b = MessageBuilder::new(&mut *out, class, method, TransactionId(id));
    match resp {
        TurnResponse::Unauthorized { realm, nonce } => {
            b.error_code(401, "Unauthorized").realm(realm).nonce(nonce);
        }
        TurnResponse::Allocated {
            relayed,
            mapped,
            lifetime,
        } => {
            b.attribute(&stun_turn_codec::Attribute::XorRelayedAddress(*relayed))
                .xor_mapped_address(*mapped)
                .lifetime(*lifetime);
        }
        TurnResponse::Refreshed { lifetime } => {
            b.lifetime(*lifetime);
        }
        TurnResponse::Ok => {}
        TurnResponse::Error { code } => {
            b.error_code(*code, "Error");
        }
    }
    if let (Some(k), false) = (key, matches!(resp, TurnResponse::Unauthorized { .. })) {
        b.message_integrity(&k.0);
    }
    b.fingerprint();
    let _ = b.finish();
}
