//! The STUN message view [`Message`] and its header types.
//!
//! [`Message::parse`] validates the header and every attribute TLV once; afterwards no
//! accessor can panic or read out of bounds, and the raw attribute iterator is infallible.

use core::fmt;
use core::net::SocketAddr;

use crate::attribute::{
    decode_address, pad4, Attribute, AttributeType, ErrorCode, PasswordAlgorithm,
    PasswordAlgorithms, RawAttribute, UnknownAttributes,
};
use crate::error::StunError;

/// The magic cookie, 0x2112A442 (RFC 8489 §5).
pub const MAGIC_COOKIE: u32 = 0x2112_A442;

/// Length of the STUN header (RFC 8489 §5).
pub const HEADER_LEN: usize = 20;

/// Byte layout of the header (RFC 8489 §5).
mod field {
    use core::ops::Range;
    pub(crate) const TYPE: Range<usize> = 0..2;
    pub(crate) const LENGTH: Range<usize> = 2..4;
    pub(crate) const COOKIE: Range<usize> = 4..8;
    pub(crate) const TRANSACTION_ID: Range<usize> = 8..20;
}

/// The class of a message (RFC 8489 §5): the C1 and C0 bits of the message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Class {
    /// 0b00.
    Request,
    /// 0b01.
    Indication,
    /// 0b10.
    SuccessResponse,
    /// 0b11.
    ErrorResponse,
}

impl Class {
    const fn bits(self) -> u16 {
        match self {
            Self::Request => 0,
            Self::Indication => 1,
            Self::SuccessResponse => 2,
            Self::ErrorResponse => 3,
        }
    }

    const fn from_bits(b: u16) -> Self {
        match b & 3 {
            0 => Self::Request,
            1 => Self::Indication,
            2 => Self::SuccessResponse,
            _ => Self::ErrorResponse,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Request => "request",
            Self::Indication => "indication",
            Self::SuccessResponse => "success response",
            Self::ErrorResponse => "error response",
        })
    }
}

/// A 12-bit STUN method (RFC 8489 §5, IANA "STUN Methods").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Method(u16);

impl Method {
    /// Binding (RFC 8489).
    pub const BINDING: Self = Self(0x001);
    /// Allocate (RFC 8656).
    pub const ALLOCATE: Self = Self(0x003);
    /// Refresh (RFC 8656).
    pub const REFRESH: Self = Self(0x004);
    /// Send (RFC 8656).
    pub const SEND: Self = Self(0x006);
    /// Data (RFC 8656).
    pub const DATA: Self = Self(0x007);
    /// CreatePermission (RFC 8656).
    pub const CREATE_PERMISSION: Self = Self(0x008);
    /// ChannelBind (RFC 8656).
    pub const CHANNEL_BIND: Self = Self(0x009);
    /// Connect (RFC 6062).
    pub const CONNECT: Self = Self(0x00A);
    /// ConnectionBind (RFC 6062).
    pub const CONNECTION_BIND: Self = Self(0x00B);
    /// ConnectionAttempt (RFC 6062).
    pub const CONNECTION_ATTEMPT: Self = Self(0x00C);

    /// A method from its 12-bit number.
    ///
    /// # Errors
    ///
    /// `None` when `value` does not fit in 12 bits.
    #[must_use]
    pub const fn new(value: u16) -> Option<Self> {
        if value <= 0xFFF {
            Some(Self(value))
        } else {
            None
        }
    }

    /// The 12-bit number.
    #[must_use]
    pub const fn value(self) -> u16 {
        self.0
    }

    /// The registered name, if known.
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x001 => "Binding",
            0x003 => "Allocate",
            0x004 => "Refresh",
            0x006 => "Send",
            0x007 => "Data",
            0x008 => "CreatePermission",
            0x009 => "ChannelBind",
            0x00A => "Connect",
            0x00B => "ConnectionBind",
            0x00C => "ConnectionAttempt",
            0x200 => "GOOG-PING",
            _ => return None,
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{:#05x}", self.0),
        }
    }
}

/// The 16-bit message type: class and method interleaved (RFC 8489 §5, figure 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageType {
    /// The class.
    pub class: Class,
    /// The method.
    pub method: Method,
}

impl MessageType {
    /// A message type.
    #[must_use]
    pub const fn new(class: Class, method: Method) -> Self {
        Self { class, method }
    }

    /// The wire value: `M11..M7 C1 M6..M4 C0 M3..M0`.
    #[must_use]
    pub const fn to_u16(self) -> u16 {
        let m = self.method.0;
        let c = self.class.bits();
        (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
    }

    /// From the wire value (the two leading bits are ignored).
    #[must_use]
    pub const fn from_u16(v: u16) -> Self {
        let method = (v & 0x000F) | ((v >> 1) & 0x0070) | ((v >> 2) & 0x0F80);
        let class = ((v >> 4) & 1) | ((v >> 7) & 2);
        Self {
            class: Class::from_bits(class),
            method: Method(method),
        }
    }
}

/// The 96-bit transaction ID (RFC 8489 §5). Generate it from a cryptographically random
/// source of the caller's choice.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TransactionId(pub [u8; 12]);

impl fmt::Debug for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TransactionId({self})")
    }
}

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Cheap probe for demultiplexing (RFC 7983 §7, RFC 8489 §5): true if `buf` starts with
/// something shaped like a STUN header — two zero leading bits, the magic cookie, a
/// length that is a multiple of 4 and fits in `buf`. Does not look at attributes.
#[must_use]
#[inline]
pub fn is_stun(buf: &[u8]) -> bool {
    buf.len() >= HEADER_LEN && buf[0] & 0xC0 == 0 && buf[4..8] == MAGIC_COOKIE.to_be_bytes() && {
        let len = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
        len % 4 == 0 && HEADER_LEN + len <= buf.len()
    }
}

/// A checked view of one STUN message over borrowed bytes (RFC 8489 §5, §14).
///
/// Invariants established by [`Message::parse`]: the header is valid, the view covers exactly
/// `20 + length` bytes, every attribute (with its padding) lies inside the message, the
/// integrity and fingerprint attributes have their fixed lengths, and FINGERPRINT, if
/// present, is last.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    data: &'a [u8],
    /// Offset of the first MESSAGE-INTEGRITY header, 0 if none.
    integrity: u32,
    /// Offset of the first MESSAGE-INTEGRITY-SHA256 header, 0 if none.
    integrity_sha256: u32,
    /// Offset of the FINGERPRINT header, 0 if none.
    fingerprint: u32,
    /// Offset after which ordinary attributes are ignored (RFC 8489 §14.5): the first
    /// integrity attribute, or the end of the message.
    authenticated_end: u32,
    /// Offsets / 4 of the first occurrence (before any integrity attribute) of the
    /// attributes on the ICE hot path, see [`hot_slot`]; 0 if absent.
    hot: [u16; HOT_SLOTS],
}

const HOT_SLOTS: usize = 6;
const HOT_USE_CANDIDATE: usize = 4;

/// The slot of an attribute type whose offset `parse` records, so that the ICE getters do
/// not scan the message.
#[inline]
const fn hot_slot(t: u16) -> Option<usize> {
    match t {
        0x0006 => Some(0), // USERNAME
        0x0024 => Some(1), // PRIORITY
        0x802A => Some(2), // ICE-CONTROLLING
        0x8029 => Some(3), // ICE-CONTROLLED
        0x0025 => Some(4), // USE-CANDIDATE
        0x0020 => Some(5), // XOR-MAPPED-ADDRESS
        _ => None,
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Message");
        d.field("class", &self.class())
            .field("method", &self.method())
            .field("transaction_id", &self.transaction_id());
        d.field("attributes", &DebugAttrs { msg: *self });
        d.finish()
    }
}

struct DebugAttrs<'a> {
    msg: Message<'a>,
}

impl fmt::Debug for DebugAttrs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tid = self.msg.transaction_id();
        f.debug_list()
            .entries(self.msg.attributes().map(|r| Attribute::decode(r, &tid)))
            .finish()
    }
}

impl<'a> Message<'a> {
    /// Validates `buf` as a STUN message and returns the view. Bytes after `20 + length`
    /// are not part of the message and are ignored (use [`Message::len`]).
    ///
    /// # Errors
    ///
    /// A [`StunError`] naming the offending offset: truncated header or body, leading bits,
    /// magic cookie, unaligned length, an attribute overrunning the message, an integrity
    /// or fingerprint attribute of the wrong length, FINGERPRINT not last.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self, StunError> {
        if buf.len() < HEADER_LEN {
            return Err(StunError::Truncated {
                offset: 0,
                expected: HEADER_LEN,
                actual: buf.len(),
            });
        }
        // "The most significant 2 bits of every STUN message MUST be zeroes."
        if buf[0] & 0xC0 != 0 {
            return Err(StunError::LeadingBits { byte: buf[0] });
        }
        let c = &buf[field::COOKIE];
        let cookie = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        if cookie != MAGIC_COOKIE {
            return Err(StunError::MagicCookie { found: cookie });
        }
        let l = &buf[field::LENGTH];
        let length = u16::from_be_bytes([l[0], l[1]]);
        // "Since all STUN attributes are padded to a multiple of 4 bytes, the last 2 bits of
        // this field are always zero."
        if length % 4 != 0 {
            return Err(StunError::UnalignedLength { length });
        }
        let total = HEADER_LEN + usize::from(length);
        if buf.len() < total {
            return Err(StunError::Truncated {
                offset: HEADER_LEN,
                expected: usize::from(length),
                actual: buf.len() - HEADER_LEN,
            });
        }
        let data = &buf[..total];
        let mut integrity = 0u32;
        let mut integrity_sha256 = 0u32;
        let mut fingerprint = 0u32;
        let mut authenticated_end = total as u32;
        let mut hot = [0u16; HOT_SLOTS];
        let mut pos = HEADER_LEN;
        while let Some(h) = data.get(pos..pos + 4) {
            let t = u16::from_be_bytes([h[0], h[1]]);
            let len = u16::from_be_bytes([h[2], h[3]]);
            let available = total - pos - 4;
            let padded = pad4(usize::from(len));
            // "The value in the length field MUST contain the length of the Value part of the
            // attribute, prior to padding" and every attribute lies inside the message.
            if padded > available {
                return Err(StunError::AttributeOverrun {
                    offset: pos,
                    attr_type: AttributeType(t),
                    length: len,
                    available,
                });
            }
            let wrong_length = || StunError::AttributeLength {
                attr_type: AttributeType(t),
                offset: pos,
                length: len,
            };
            match t {
                0x0008 => {
                    if len != 20 {
                        return Err(wrong_length());
                    }
                    if integrity == 0 {
                        integrity = pos as u32;
                        if integrity_sha256 == 0 {
                            authenticated_end = pos as u32;
                        }
                    }
                }
                0x001C => {
                    // "The MESSAGE-INTEGRITY-SHA256 attribute contains an HMAC-SHA256 ... at
                    // least 16 bytes ... up to 32 bytes ... a multiple of 4".
                    if !(16..=32).contains(&len) || len % 4 != 0 {
                        return Err(wrong_length());
                    }
                    if integrity_sha256 == 0 {
                        integrity_sha256 = pos as u32;
                        if integrity == 0 {
                            authenticated_end = pos as u32;
                        }
                    }
                }
                0x8028 => {
                    if len != 4 {
                        return Err(wrong_length());
                    }
                    // "When present, the FINGERPRINT attribute MUST be the last attribute in
                    // the message."
                    if pos + 8 != total {
                        return Err(StunError::FingerprintNotLast { offset: pos });
                    }
                    fingerprint = pos as u32;
                    if integrity == 0 && integrity_sha256 == 0 {
                        authenticated_end = pos as u32;
                    }
                }
                _ => {
                    if let Some(slot) = hot_slot(t) {
                        if hot[slot] == 0 && integrity == 0 && integrity_sha256 == 0 {
                            // `pos` < 65556 and a multiple of 4: pos / 4 fits in u16.
                            hot[slot] = (pos / 4) as u16;
                        }
                    }
                }
            }
            pos += 4 + padded;
        }
        Ok(Self {
            data,
            integrity,
            integrity_sha256,
            fingerprint,
            authenticated_end,
            hot,
        })
    }

    /// The message bytes (exactly `20 + length`).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Total length in bytes, header included.
    #[must_use]
    #[allow(clippy::len_without_is_empty)]
    pub const fn len(&self) -> usize {
        self.data.len()
    }

    /// The message type.
    #[must_use]
    pub fn message_type(&self) -> MessageType {
        let t = &self.data[field::TYPE];
        MessageType::from_u16(u16::from_be_bytes([t[0], t[1]]))
    }

    /// The class.
    #[must_use]
    pub fn class(&self) -> Class {
        self.message_type().class
    }

    /// The method.
    #[must_use]
    pub fn method(&self) -> Method {
        self.message_type().method
    }

    /// The transaction ID.
    #[must_use]
    pub fn transaction_id(&self) -> TransactionId {
        let mut t = [0u8; 12];
        t.copy_from_slice(&self.data[field::TRANSACTION_ID]);
        TransactionId(t)
    }

    /// All attributes in wire order, including those after MESSAGE-INTEGRITY.
    #[must_use]
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes {
            data: self.data,
            pos: HEADER_LEN,
        }
    }

    /// All attributes decoded, in wire order.
    pub fn typed_attributes(&self) -> impl Iterator<Item = Result<Attribute<'a>, StunError>> + 'a {
        let tid = self.transaction_id();
        self.attributes().map(move |r| Attribute::decode(r, &tid))
    }

    /// The first attribute of type `t` that counts: attributes after MESSAGE-INTEGRITY(-SHA256)
    /// are ignored, as RFC 8489 §14.5 requires ("agents MUST ignore all other attributes that
    /// follow MESSAGE-INTEGRITY"); use the dedicated getters for the integrity attributes and
    /// FINGERPRINT.
    #[must_use]
    #[inline]
    pub fn get(&self, t: AttributeType) -> Option<RawAttribute<'a>> {
        if let Some(slot) = hot_slot(t.0) {
            let pos = usize::from(self.hot[slot]) * 4;
            if pos == 0 {
                return None;
            }
            let len = usize::from(u16::from_be_bytes([self.data[pos + 2], self.data[pos + 3]]));
            return Some(RawAttribute {
                attr_type: t,
                value: &self.data[pos + 4..pos + 4 + len],
                offset: pos,
            });
        }
        let end = self.authenticated_end as usize;
        let mut pos = HEADER_LEN;
        while pos < end {
            let at = u16::from_be_bytes([self.data[pos], self.data[pos + 1]]);
            let len = usize::from(u16::from_be_bytes([self.data[pos + 2], self.data[pos + 3]]));
            if at == t.0 {
                return Some(RawAttribute {
                    attr_type: t,
                    value: &self.data[pos + 4..pos + 4 + len],
                    offset: pos,
                });
            }
            pos += 4 + pad4(len);
        }
        None
    }

    /// Every attribute of type `t` before the integrity attributes (e.g. the several
    /// XOR-PEER-ADDRESS of a CreatePermission, RFC 8656 §9).
    pub fn get_all(&self, t: AttributeType) -> impl Iterator<Item = RawAttribute<'a>> + 'a {
        let end = self.authenticated_end as usize;
        self.attributes()
            .filter(move |r| r.attr_type == t && r.offset < end)
    }

    /// The first attribute of type `t`, decoded.
    ///
    /// # Errors
    ///
    /// The attribute is present but its value is invalid.
    pub fn get_typed(&self, t: AttributeType) -> Result<Option<Attribute<'a>>, StunError> {
        match self.get(t) {
            Some(raw) => Attribute::decode(raw, &self.transaction_id()).map(Some),
            None => Ok(None),
        }
    }

    /// Comprehension-required attributes (type < 0x8000) this codec does not know, which a
    /// server must answer with a 420 error listing them in UNKNOWN-ATTRIBUTES
    /// (RFC 8489 §6.3.1.1).
    pub fn unknown_comprehension_required(&self) -> impl Iterator<Item = AttributeType> + 'a {
        self.attributes()
            .map(|r| r.attr_type)
            .filter(|t| t.is_comprehension_required() && !t.is_typed())
    }

    /// Offset of the MESSAGE-INTEGRITY attribute, if present.
    #[must_use]
    pub fn message_integrity_offset(&self) -> Option<usize> {
        (self.integrity != 0).then_some(self.integrity as usize)
    }

    /// Offset of the MESSAGE-INTEGRITY-SHA256 attribute, if present.
    #[must_use]
    pub fn message_integrity_sha256_offset(&self) -> Option<usize> {
        (self.integrity_sha256 != 0).then_some(self.integrity_sha256 as usize)
    }

    /// Offset of the FINGERPRINT attribute, if present.
    #[must_use]
    pub fn fingerprint_offset(&self) -> Option<usize> {
        (self.fingerprint != 0).then_some(self.fingerprint as usize)
    }

    /// The MESSAGE-INTEGRITY HMAC-SHA1 value, if present.
    #[must_use]
    pub fn message_integrity(&self) -> Option<&'a [u8; 20]> {
        let at = self.message_integrity_offset()? + 4;
        self.data[at..at + 20].try_into().ok()
    }

    /// The MESSAGE-INTEGRITY-SHA256 value (16–32 bytes), if present.
    #[must_use]
    pub fn message_integrity_sha256(&self) -> Option<&'a [u8]> {
        let at = self.message_integrity_sha256_offset()?;
        let len = usize::from(u16::from_be_bytes([self.data[at + 2], self.data[at + 3]]));
        Some(&self.data[at + 4..at + 4 + len])
    }

    /// The FINGERPRINT value, if present.
    #[must_use]
    pub fn fingerprint(&self) -> Option<u32> {
        let at = self.fingerprint_offset()? + 4;
        Some(u32::from_be_bytes([
            self.data[at],
            self.data[at + 1],
            self.data[at + 2],
            self.data[at + 3],
        ]))
    }

    fn decode_at(&self, t: AttributeType) -> Result<Option<Attribute<'a>>, StunError> {
        self.get_typed(t)
    }
}

macro_rules! getters {
    ($($(#[$m:meta])* $name:ident -> $ty:ty, $attr:ident, $variant:ident;)*) => {
        impl<'a> Message<'a> {
            $(
                $(#[$m])*
                ///
                /// # Errors
                ///
                /// The attribute is present but its value is invalid.
                pub fn $name(&self) -> Result<Option<$ty>, StunError> {
                    match self.decode_at(AttributeType::$attr)? {
                        Some(Attribute::$variant(v)) => Ok(Some(v)),
                        _ => Ok(None),
                    }
                }
            )*
        }
    };
}

getters! {
    /// USERHASH (RFC 8489 §14.4).
    userhash -> &'a [u8; 32], USERHASH, UserHash;
    /// ERROR-CODE (RFC 8489 §14.8).
    error_code -> ErrorCode<'a>, ERROR_CODE, ErrorCode;
    /// PASSWORD-ALGORITHMS (RFC 8489 §14.11).
    password_algorithms -> PasswordAlgorithms<'a>, PASSWORD_ALGORITHMS, PasswordAlgorithms;
    /// PASSWORD-ALGORITHM (RFC 8489 §14.12).
    password_algorithm -> PasswordAlgorithm<'a>, PASSWORD_ALGORITHM, PasswordAlgorithm;
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13).
    unknown_attributes -> UnknownAttributes<'a>, UNKNOWN_ATTRIBUTES, UnknownAttributes;
    /// ALTERNATE-SERVER (RFC 8489 §14.15).
    alternate_server -> SocketAddr, ALTERNATE_SERVER, AlternateServer;
    /// ALTERNATE-DOMAIN (RFC 8489 §14.16).
    alternate_domain -> &'a str, ALTERNATE_DOMAIN, AlternateDomain;
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    mapped_address -> SocketAddr, MAPPED_ADDRESS, MappedAddress;
    /// CHANNEL-NUMBER (RFC 8656 §18.1).
    channel_number -> u16, CHANNEL_NUMBER, ChannelNumber;
    /// The first XOR-PEER-ADDRESS (RFC 8656 §18.3).
    xor_peer_address -> SocketAddr, XOR_PEER_ADDRESS, XorPeerAddress;
    /// DATA (RFC 8656 §18.4).
    data -> &'a [u8], DATA, Data;
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.5).
    xor_relayed_address -> SocketAddr, XOR_RELAYED_ADDRESS, XorRelayedAddress;
    /// REQUESTED-TRANSPORT protocol number (RFC 8656 §18.8).
    requested_transport -> u8, REQUESTED_TRANSPORT, RequestedTransport;
    /// RESERVATION-TOKEN (RFC 8656 §18.10).
    reservation_token -> u64, RESERVATION_TOKEN, ReservationToken;
    /// CONNECTION-ID (RFC 6062 §6.2.1).
    connection_id -> u32, CONNECTION_ID, ConnectionId;
    /// RESPONSE-ORIGIN (RFC 5780 §7.3).
    response_origin -> SocketAddr, RESPONSE_ORIGIN, ResponseOrigin;
    /// OTHER-ADDRESS (RFC 5780 §7.4).
    other_address -> SocketAddr, OTHER_ADDRESS, OtherAddress;
}

/// Fast paths for the attributes on the ICE and TURN hot paths: read straight from the
/// value with the same checks (and errors) as [`Attribute::decode`].
macro_rules! fixed_getters {
    ($($(#[$m:meta])* $name:ident -> $ty:ty, $attr:ident;)*) => {
        impl Message<'_> {
            $(
                $(#[$m])*
                ///
                /// # Errors
                ///
                /// The attribute is present with a length other than its fixed size.
                #[inline]
                pub fn $name(&self) -> Result<Option<$ty>, StunError> {
                    const N: usize = core::mem::size_of::<$ty>();
                    match self.get(AttributeType::$attr) {
                        None => Ok(None),
                        Some(raw) => match <[u8; N]>::try_from(raw.value) {
                            Ok(b) => Ok(Some(<$ty>::from_be_bytes(b))),
                            Err(_) => Err(StunError::AttributeLength {
                                attr_type: raw.attr_type,
                                offset: raw.offset,
                                length: raw.value.len() as u16,
                            }),
                        },
                    }
                }
            )*
        }
    };
}

fixed_getters! {
    /// PRIORITY (RFC 8445 §7.1.1).
    priority -> u32, PRIORITY;
    /// ICE-CONTROLLED tie-breaker (RFC 8445 §7.1.3).
    ice_controlled -> u64, ICE_CONTROLLED;
    /// ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3).
    ice_controlling -> u64, ICE_CONTROLLING;
    /// LIFETIME in seconds (RFC 8656 §18.2).
    lifetime -> u32, LIFETIME;
}

macro_rules! text_getters {
    ($($(#[$m:meta])* $name:ident, $attr:ident, $max:expr;)*) => {
        impl<'a> Message<'a> {
            $(
                $(#[$m])*
                ///
                /// # Errors
                ///
                /// The value is not UTF-8 or is longer than the RFC allows.
                #[inline]
                pub fn $name(&self) -> Result<Option<&'a str>, StunError> {
                    match self.get(AttributeType::$attr) {
                        None => Ok(None),
                        Some(raw) => text_value(raw, $max).map(Some),
                    }
                }
            )*
        }
    };
}

text_getters! {
    /// USERNAME (RFC 8489 §14.3).
    username, USERNAME, crate::attribute::MAX_USERNAME;
    /// REALM (RFC 8489 §14.9).
    realm, REALM, crate::attribute::MAX_TEXT;
    /// NONCE (RFC 8489 §14.10).
    nonce, NONCE, crate::attribute::MAX_TEXT;
    /// SOFTWARE (RFC 8489 §14.14).
    software, SOFTWARE, crate::attribute::MAX_TEXT;
}

#[inline]
fn text_value(raw: RawAttribute<'_>, max: usize) -> Result<&str, StunError> {
    let invalid = |reason| StunError::InvalidAttribute {
        attr_type: raw.attr_type,
        offset: raw.offset,
        reason,
    };
    if raw.value.len() > max {
        return Err(invalid("text longer than the RFC allows"));
    }
    core::str::from_utf8(raw.value).map_err(|_| invalid("not UTF-8"))
}

impl Message<'_> {
    /// USE-CANDIDATE is present (RFC 8445 §7.1.2).
    #[must_use]
    pub fn use_candidate(&self) -> bool {
        // Recorded by `parse` (first occurrence before any integrity attribute).
        self.hot[HOT_USE_CANDIDATE] != 0
    }

    /// DONT-FRAGMENT is present (RFC 8656 §18.9).
    #[must_use]
    pub fn dont_fragment(&self) -> bool {
        self.get(AttributeType::DONT_FRAGMENT).is_some()
    }

    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2), falling back to the legacy codepoint 0x8020.
    ///
    /// # Errors
    ///
    /// The attribute is present but its value is invalid.
    pub fn xor_mapped_address(&self) -> Result<Option<SocketAddr>, StunError> {
        let raw = match self.get(AttributeType::XOR_MAPPED_ADDRESS) {
            Some(r) => r,
            None => match self.get(AttributeType::XOR_MAPPED_ADDRESS_LEGACY) {
                Some(r) => r,
                None => return Ok(None),
            },
        };
        let tid = self.transaction_id();
        decode_address(raw.value, Some(&tid))
            .map(Some)
            .map_err(|e| e.at(raw.attr_type, raw.offset, raw.value.len()))
    }
}

/// Iterator over the raw attributes of a [`Message`], in wire order. Infallible: the
/// message was validated by [`Message::parse`].
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = RawAttribute<'a>;

    #[inline]
    fn next(&mut self) -> Option<RawAttribute<'a>> {
        let d = self.data;
        let pos = self.pos;
        let hdr = d.get(pos..pos + 4)?;
        let t = u16::from_be_bytes([hdr[0], hdr[1]]);
        let len = usize::from(u16::from_be_bytes([hdr[2], hdr[3]]));
        let value = d.get(pos + 4..pos + 4 + len)?;
        self.pos = pos + 4 + pad4(len);
        Some(RawAttribute {
            attr_type: AttributeType(t),
            value,
            offset: pos,
        })
    }
}

impl core::iter::FusedIterator for Attributes<'_> {}
