//! The few STUN messages ICE needs, read and written with `stun-codec`.

use std::net::SocketAddr;

use stun_codec::{IntegrityKey, Message, MessageBuilder, Method, TransactionId};

pub(crate) use stun_codec::is_stun;

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
            stun_codec::Class::Request => Class::Request,
            stun_codec::Class::Indication => Class::Indication,
            stun_codec::Class::SuccessResponse => Class::Success,
            stun_codec::Class::ErrorResponse => Class::Error,
        };
        Some(Self { msg, class })
    }

    pub(crate) fn class(&self) -> Class {
        self.class
    }

    pub(crate) fn is_binding(&self) -> bool {
        self.msg.method() == Method::BINDING
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
        stun_codec::Class::Request,
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
        stun_codec::Class::SuccessResponse,
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
        stun_codec::Class::ErrorResponse,
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
        stun_codec::Class::Indication,
        Method::BINDING,
        TransactionId(id),
    );
    b.fingerprint();
    let _ = b.finish();
}
