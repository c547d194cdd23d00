//! STUN attribute types and the typed [`Attribute`] enum.
//!
//! Every attribute of RFC 8489 (STUN), RFC 8445 (ICE), RFC 8656 (TURN), RFC 6062 (TURN TCP)
//! and RFC 5780 (NAT behaviour discovery) decodes into a variant of [`Attribute`]; any other
//! type stays [`Attribute::Unknown`] with its raw value and is written back unchanged.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::error::StunError;
use crate::message::{TransactionId, MAGIC_COOKIE};

/// A STUN attribute type (RFC 8489 §14, IANA "STUN Attributes" registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttributeType(pub u16);

macro_rules! attribute_types {
    ($($(#[$m:meta])* $konst:ident = $value:literal, $name:literal;)*) => {
        impl AttributeType {
            $($(#[$m])* pub const $konst: Self = Self($value);)*

            /// The registered name (as the RFCs spell it), if this codec knows the type.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($name),)*
                    _ => None,
                }
            }
        }
    };
}

attribute_types! {
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    MAPPED_ADDRESS = 0x0001, "MAPPED-ADDRESS";
    /// CHANGE-REQUEST (RFC 5780 §7.2).
    CHANGE_REQUEST = 0x0003, "CHANGE-REQUEST";
    /// USERNAME (RFC 8489 §14.3).
    USERNAME = 0x0006, "USERNAME";
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5).
    MESSAGE_INTEGRITY = 0x0008, "MESSAGE-INTEGRITY";
    /// ERROR-CODE (RFC 8489 §14.8).
    ERROR_CODE = 0x0009, "ERROR-CODE";
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).
    UNKNOWN_ATTRIBUTES = 0x000A, "UNKNOWN-ATTRIBUTES";
    /// CHANNEL-NUMBER (RFC 8656 §18.1).
    CHANNEL_NUMBER = 0x000C, "CHANNEL-NUMBER";
    /// LIFETIME (RFC 8656 §18.2).
    LIFETIME = 0x000D, "LIFETIME";
    /// XOR-PEER-ADDRESS (RFC 8656 §18.3).
    XOR_PEER_ADDRESS = 0x0012, "XOR-PEER-ADDRESS";
    /// DATA (RFC 8656 §18.4).
    DATA = 0x0013, "DATA";
    /// REALM (RFC 8489 §14.9).
    REALM = 0x0014, "REALM";
    /// NONCE (RFC 8489 §14.10).
    NONCE = 0x0015, "NONCE";
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.5).
    XOR_RELAYED_ADDRESS = 0x0016, "XOR-RELAYED-ADDRESS";
    /// REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6).
    REQUESTED_ADDRESS_FAMILY = 0x0017, "REQUESTED-ADDRESS-FAMILY";
    /// EVEN-PORT (RFC 8656 §18.7).
    EVEN_PORT = 0x0018, "EVEN-PORT";
    /// REQUESTED-TRANSPORT (RFC 8656 §18.8).
    REQUESTED_TRANSPORT = 0x0019, "REQUESTED-TRANSPORT";
    /// DONT-FRAGMENT (RFC 8656 §18.9).
    DONT_FRAGMENT = 0x001A, "DONT-FRAGMENT";
    /// ACCESS-TOKEN (RFC 7635 §6.2).
    ACCESS_TOKEN = 0x001B, "ACCESS-TOKEN";
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6).
    MESSAGE_INTEGRITY_SHA256 = 0x001C, "MESSAGE-INTEGRITY-SHA256";
    /// PASSWORD-ALGORITHM (RFC 8489 §14.12).
    PASSWORD_ALGORITHM = 0x001D, "PASSWORD-ALGORITHM";
    /// USERHASH (RFC 8489 §14.4).
    USERHASH = 0x001E, "USERHASH";
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    XOR_MAPPED_ADDRESS = 0x0020, "XOR-MAPPED-ADDRESS";
    /// RESERVATION-TOKEN (RFC 8656 §18.10).
    RESERVATION_TOKEN = 0x0022, "RESERVATION-TOKEN";
    /// PRIORITY (RFC 8445 §16.1).
    PRIORITY = 0x0024, "PRIORITY";
    /// USE-CANDIDATE (RFC 8445 §16.1).
    USE_CANDIDATE = 0x0025, "USE-CANDIDATE";
    /// PADDING (RFC 5780 §7.6).
    PADDING = 0x0026, "PADDING";
    /// RESPONSE-PORT (RFC 5780 §7.5).
    RESPONSE_PORT = 0x0027, "RESPONSE-PORT";
    /// CONNECTION-ID (RFC 6062 §6.2.1).
    CONNECTION_ID = 0x002A, "CONNECTION-ID";
    /// ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11).
    ADDITIONAL_ADDRESS_FAMILY = 0x8000, "ADDITIONAL-ADDRESS-FAMILY";
    /// ADDRESS-ERROR-CODE (RFC 8656 §18.12).
    ADDRESS_ERROR_CODE = 0x8001, "ADDRESS-ERROR-CODE";
    /// PASSWORD-ALGORITHMS (RFC 8489 §14.11).
    PASSWORD_ALGORITHMS = 0x8002, "PASSWORD-ALGORITHMS";
    /// ALTERNATE-DOMAIN (RFC 8489 §14.16).
    ALTERNATE_DOMAIN = 0x8003, "ALTERNATE-DOMAIN";
    /// ICMP (RFC 8656 §18.13).
    ICMP = 0x8004, "ICMP";
    /// XOR-MAPPED-ADDRESS at its pre-RFC 5389 codepoint 0x8020 (draft-ietf-behave-rfc3489bis-02), still sent by old stacks.
    XOR_MAPPED_ADDRESS_LEGACY = 0x8020, "XOR-MAPPED-ADDRESS-LEGACY";
    /// SOFTWARE (RFC 8489 §14.14).
    SOFTWARE = 0x8022, "SOFTWARE";
    /// ALTERNATE-SERVER (RFC 8489 §14.15).
    ALTERNATE_SERVER = 0x8023, "ALTERNATE-SERVER";
    /// CACHE-TIMEOUT (RFC 5780 §7.7).
    CACHE_TIMEOUT = 0x8027, "CACHE-TIMEOUT";
    /// FINGERPRINT (RFC 8489 §14.7).
    FINGERPRINT = 0x8028, "FINGERPRINT";
    /// ICE-CONTROLLED (RFC 8445 §16.1).
    ICE_CONTROLLED = 0x8029, "ICE-CONTROLLED";
    /// ICE-CONTROLLING (RFC 8445 §16.1).
    ICE_CONTROLLING = 0x802A, "ICE-CONTROLLING";
    /// RESPONSE-ORIGIN (RFC 5780 §7.3).
    RESPONSE_ORIGIN = 0x802B, "RESPONSE-ORIGIN";
    /// OTHER-ADDRESS (RFC 5780 §7.4).
    OTHER_ADDRESS = 0x802C, "OTHER-ADDRESS";
    /// GOOG-NETWORK-INFO (Chromium, not standardised).
    GOOG_NETWORK_INFO = 0xC057, "GOOG-NETWORK-INFO";
}

impl AttributeType {
    /// Comprehension-required types are 0x0000–0x7FFF: an agent that does not understand one
    /// must fail the transaction (RFC 8489 §14, §15 "420 Unknown Attribute").
    #[must_use]
    pub const fn is_comprehension_required(self) -> bool {
        self.0 < 0x8000
    }

    /// Whether [`Attribute::decode`] decodes this type into a typed variant (as opposed to
    /// [`Attribute::Unknown`]).
    #[must_use]
    pub const fn is_typed(self) -> bool {
        // GOOG-NETWORK-INFO has a name but no typed form.
        self.name().is_some() && self.0 != Self::GOOG_NETWORK_INFO.0
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name}"),
            None => write!(f, "{:#06x}", self.0),
        }
    }
}

/// An attribute as it appears on the wire: its type, its value (without padding) and the
/// offset of its header from the start of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttribute<'a> {
    /// The attribute type.
    pub attr_type: AttributeType,
    /// The value, without padding.
    pub value: &'a [u8],
    /// Offset of the attribute header from the start of the message.
    pub offset: usize,
}

/// Address family of the address attributes and of REQUESTED-ADDRESS-FAMILY (RFC 8489 §14.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum AddressFamily {
    /// IPv4, 0x01.
    #[cfg_attr(feature = "serde", serde(rename = "IPv4"))]
    V4,
    /// IPv6, 0x02.
    #[cfg_attr(feature = "serde", serde(rename = "IPv6"))]
    V6,
}

impl AddressFamily {
    /// The wire value.
    #[must_use]
    pub const fn to_u8(self) -> u8 {
        match self {
            Self::V4 => 1,
            Self::V6 => 2,
        }
    }

    /// From the wire value.
    #[must_use]
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            1 => Some(Self::V4),
            2 => Some(Self::V6),
            _ => None,
        }
    }
}

/// ERROR-CODE (RFC 8489 §14.8): a code 300–699 and a UTF-8 reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ErrorCode<'a> {
    /// The code, `class * 100 + number`.
    pub code: u16,
    /// The reason phrase.
    pub reason: &'a str,
}

impl ErrorCode<'_> {
    /// The hundreds digit, 3–6.
    #[must_use]
    pub const fn class(&self) -> u8 {
        (self.code / 100) as u8
    }

    /// The code modulo 100.
    #[must_use]
    pub const fn number(&self) -> u8 {
        (self.code % 100) as u8
    }
}

/// Well-known error codes (RFC 8489 §14.8, RFC 8656 §19, RFC 8445 §7.3.1.1).
pub mod error_code {
    /// 300 Try Alternate.
    pub const TRY_ALTERNATE: u16 = 300;
    /// 400 Bad Request.
    pub const BAD_REQUEST: u16 = 400;
    /// 401 Unauthenticated.
    pub const UNAUTHENTICATED: u16 = 401;
    /// 403 Forbidden.
    pub const FORBIDDEN: u16 = 403;
    /// 420 Unknown Attribute.
    pub const UNKNOWN_ATTRIBUTE: u16 = 420;
    /// 437 Allocation Mismatch.
    pub const ALLOCATION_MISMATCH: u16 = 437;
    /// 438 Stale Nonce.
    pub const STALE_NONCE: u16 = 438;
    /// 440 Address Family not Supported.
    pub const ADDRESS_FAMILY_NOT_SUPPORTED: u16 = 440;
    /// 441 Wrong Credentials.
    pub const WRONG_CREDENTIALS: u16 = 441;
    /// 442 Unsupported Transport Protocol.
    pub const UNSUPPORTED_TRANSPORT_PROTOCOL: u16 = 442;
    /// 443 Peer Address Family Mismatch.
    pub const PEER_ADDRESS_FAMILY_MISMATCH: u16 = 443;
    /// 486 Allocation Quota Reached.
    pub const ALLOCATION_QUOTA_REACHED: u16 = 486;
    /// 487 Role Conflict.
    pub const ROLE_CONFLICT: u16 = 487;
    /// 500 Server Error.
    pub const SERVER_ERROR: u16 = 500;
    /// 508 Insufficient Capacity.
    pub const INSUFFICIENT_CAPACITY: u16 = 508;
}

/// A password algorithm number (RFC 8489 §18.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PasswordAlgorithmId(pub u16);

impl PasswordAlgorithmId {
    /// MD5 (0x0001), the RFC 5389 long-term key.
    pub const MD5: Self = Self(1);
    /// SHA-256 (0x0002).
    pub const SHA256: Self = Self(2);
}

/// One PASSWORD-ALGORITHM entry: algorithm number and parameters (RFC 8489 §14.11, §14.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordAlgorithm<'a> {
    /// The algorithm.
    pub algorithm: PasswordAlgorithmId,
    /// Its parameters (empty for MD5 and SHA-256).
    pub parameters: &'a [u8],
}

/// PASSWORD-ALGORITHMS value (RFC 8489 §14.11), validated: iterate its entries with
/// [`PasswordAlgorithms::iter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordAlgorithms<'a>(&'a [u8]);

impl<'a> PasswordAlgorithms<'a> {
    /// Checks the value: a sequence of (algorithm u16, length u16, parameters padded to 4).
    fn parse(value: &'a [u8]) -> Option<Self> {
        let mut rest = value;
        while !rest.is_empty() {
            if rest.len() < 4 {
                return None;
            }
            let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
            let padded = 4 + pad4(len);
            if rest.len() < padded {
                return None;
            }
            rest = &rest[padded..];
        }
        Some(Self(value))
    }

    /// The raw value.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = PasswordAlgorithm<'a>> + Clone + 'a {
        let mut rest = self.0;
        core::iter::from_fn(move || {
            if rest.len() < 4 {
                return None;
            }
            let algorithm = PasswordAlgorithmId(u16::from_be_bytes([rest[0], rest[1]]));
            let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
            let parameters = rest.get(4..4 + len)?;
            rest = rest.get(4 + pad4(len)..).unwrap_or(&[]);
            Some(PasswordAlgorithm {
                algorithm,
                parameters,
            })
        })
    }
}

/// UNKNOWN-ATTRIBUTES value (RFC 8489 §14.9): a list of 16-bit attribute types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownAttributes<'a>(&'a [u8]);

impl<'a> UnknownAttributes<'a> {
    /// The attribute types in order.
    pub fn iter(&self) -> impl Iterator<Item = AttributeType> + Clone + 'a {
        self.0
            .chunks_exact(2)
            .map(|c| AttributeType(u16::from_be_bytes([c[0], c[1]])))
    }

    /// The raw value (an even number of bytes).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

/// ADDRESS-ERROR-CODE (RFC 8656 §18.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AddressErrorCode<'a> {
    /// The family the error is about.
    pub family: AddressFamily,
    /// The code (`class * 100 + number`).
    pub code: u16,
    /// The reason phrase.
    pub reason: &'a str,
}

/// ICMP (RFC 8656 §18.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Icmp {
    /// ICMP type.
    pub icmp_type: u8,
    /// ICMP code.
    pub code: u8,
    /// Error data (e.g. the MTU for "fragmentation needed").
    pub data: u32,
}

/// A decoded attribute. Values borrow from the message.
///
/// [`Attribute::decode`] applies the rules of each attribute's definition (lengths, address
/// families, UTF-8 and the RFC's length limits for text, ERROR-CODE classes); the writer in
/// [`crate::MessageBuilder`] encodes every variant back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    MappedAddress(SocketAddr),
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    XorMappedAddress(SocketAddr),
    /// XOR-MAPPED-ADDRESS at the legacy codepoint 0x8020.
    XorMappedAddressLegacy(SocketAddr),
    /// USERNAME (RFC 8489 §14.3).
    Username(&'a str),
    /// USERHASH (RFC 8489 §14.4): 32 bytes.
    UserHash(&'a [u8; 32]),
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5): the 20-byte HMAC-SHA1.
    MessageIntegrity(&'a [u8; 20]),
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): 16 to 32 bytes, a multiple of 4.
    MessageIntegritySha256(&'a [u8]),
    /// FINGERPRINT (RFC 8489 §14.7).
    Fingerprint(u32),
    /// ERROR-CODE (RFC 8489 §14.8).
    ErrorCode(ErrorCode<'a>),
    /// REALM (RFC 8489 §14.9).
    Realm(&'a str),
    /// NONCE (RFC 8489 §14.10).
    Nonce(&'a str),
    /// PASSWORD-ALGORITHMS (RFC 8489 §14.11).
    PasswordAlgorithms(PasswordAlgorithms<'a>),
    /// PASSWORD-ALGORITHM (RFC 8489 §14.12).
    PasswordAlgorithm(PasswordAlgorithm<'a>),
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13).
    UnknownAttributes(UnknownAttributes<'a>),
    /// SOFTWARE (RFC 8489 §14.14).
    Software(&'a str),
    /// ALTERNATE-SERVER (RFC 8489 §14.15).
    AlternateServer(SocketAddr),
    /// ALTERNATE-DOMAIN (RFC 8489 §14.16).
    AlternateDomain(&'a str),
    /// PRIORITY (RFC 8445 §7.1.1).
    Priority(u32),
    /// USE-CANDIDATE (RFC 8445 §7.1.2).
    UseCandidate,
    /// ICE-CONTROLLED tie-breaker (RFC 8445 §7.1.3).
    IceControlled(u64),
    /// ICE-CONTROLLING tie-breaker (RFC 8445 §7.1.3).
    IceControlling(u64),
    /// CHANNEL-NUMBER (RFC 8656 §18.1).
    ChannelNumber(u16),
    /// LIFETIME in seconds (RFC 8656 §18.2).
    Lifetime(u32),
    /// XOR-PEER-ADDRESS (RFC 8656 §18.3).
    XorPeerAddress(SocketAddr),
    /// DATA (RFC 8656 §18.4).
    Data(&'a [u8]),
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.5).
    XorRelayedAddress(SocketAddr),
    /// REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6).
    RequestedAddressFamily(AddressFamily),
    /// EVEN-PORT (RFC 8656 §18.7): the R bit (reserve the next port too).
    EvenPort(bool),
    /// REQUESTED-TRANSPORT (RFC 8656 §18.8): an IP protocol number (17 = UDP).
    RequestedTransport(u8),
    /// DONT-FRAGMENT (RFC 8656 §18.9).
    DontFragment,
    /// RESERVATION-TOKEN (RFC 8656 §18.10).
    ReservationToken(u64),
    /// ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11).
    AdditionalAddressFamily(AddressFamily),
    /// ADDRESS-ERROR-CODE (RFC 8656 §18.12).
    AddressErrorCode(AddressErrorCode<'a>),
    /// ICMP (RFC 8656 §18.13).
    Icmp(Icmp),
    /// CONNECTION-ID (RFC 6062 §6.2.1).
    ConnectionId(u32),
    /// CHANGE-REQUEST (RFC 5780 §7.2).
    ChangeRequest {
        /// Ask the server to answer from its other IP address.
        change_ip: bool,
        /// Ask the server to answer from its other port.
        change_port: bool,
    },
    /// RESPONSE-ORIGIN (RFC 5780 §7.3).
    ResponseOrigin(SocketAddr),
    /// OTHER-ADDRESS (RFC 5780 §7.4).
    OtherAddress(SocketAddr),
    /// RESPONSE-PORT (RFC 5780 §7.5).
    ResponsePort(u16),
    /// PADDING (RFC 5780 §7.6).
    Padding(&'a [u8]),
    /// CACHE-TIMEOUT in seconds (RFC 5780 §7.7).
    CacheTimeout(u32),
    /// ACCESS-TOKEN (RFC 7635 §6.2), kept as its raw value.
    AccessToken(&'a [u8]),
    /// Any other attribute, kept raw.
    Unknown {
        /// The attribute type.
        attr_type: AttributeType,
        /// The value, without padding.
        value: &'a [u8],
    },
}

/// Rounds up to a multiple of 4.
#[inline]
pub(crate) const fn pad4(len: usize) -> usize {
    (len + 3) & !3
}

fn read_u16(v: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([v[at], v[at + 1]])
}

fn read_u32(v: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([v[at], v[at + 1], v[at + 2], v[at + 3]])
}

fn read_u64(v: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&v[at..at + 8]);
    u64::from_be_bytes(b)
}

/// Maximum byte lengths of the text attributes (RFC 8489 §14.3, §14.8–§14.10, §14.14).
pub(crate) const MAX_USERNAME: usize = 508;
pub(crate) const MAX_TEXT: usize = 763;

impl<'a> Attribute<'a> {
    /// Decodes a raw attribute. `transaction_id` unmasks the XOR address attributes.
    ///
    /// # Errors
    ///
    /// [`StunError::AttributeLength`] or [`StunError::InvalidAttribute`] (with the offset
    /// of `raw`) when the value breaks its definition.
    pub fn decode(
        raw: RawAttribute<'a>,
        transaction_id: &TransactionId,
    ) -> Result<Self, StunError> {
        let v = raw.value;
        let t = raw.attr_type;
        let len_err = || StunError::AttributeLength {
            attr_type: t,
            offset: raw.offset,
            length: v.len() as u16,
        };
        let invalid = |reason: &'static str| StunError::InvalidAttribute {
            attr_type: t,
            offset: raw.offset,
            reason,
        };
        let exact = |n: usize| if v.len() == n { Ok(()) } else { Err(len_err()) };
        let text = |max: usize| -> Result<&'a str, StunError> {
            if v.len() > max {
                return Err(invalid("text longer than the RFC allows"));
            }
            core::str::from_utf8(v).map_err(|_| invalid("not UTF-8"))
        };
        let addr = || decode_address(v, None).map_err(|e| e.at(t, raw.offset, v.len()));
        let xaddr =
            || decode_address(v, Some(transaction_id)).map_err(|e| e.at(t, raw.offset, v.len()));
        Ok(match t {
            AttributeType::MAPPED_ADDRESS => Self::MappedAddress(addr()?),
            AttributeType::XOR_MAPPED_ADDRESS => Self::XorMappedAddress(xaddr()?),
            AttributeType::XOR_MAPPED_ADDRESS_LEGACY => Self::XorMappedAddressLegacy(xaddr()?),
            AttributeType::USERNAME => Self::Username(text(MAX_USERNAME)?),
            AttributeType::USERHASH => Self::UserHash(v.try_into().map_err(|_| len_err())?),
            AttributeType::MESSAGE_INTEGRITY => {
                Self::MessageIntegrity(v.try_into().map_err(|_| len_err())?)
            }
            AttributeType::MESSAGE_INTEGRITY_SHA256 => {
                if !(16..=32).contains(&v.len()) || v.len() % 4 != 0 {
                    return Err(len_err());
                }
                Self::MessageIntegritySha256(v)
            }
            AttributeType::FINGERPRINT => {
                exact(4)?;
                Self::Fingerprint(read_u32(v, 0))
            }
            AttributeType::ERROR_CODE => {
                let (code, reason) = decode_error_code(v).map_err(invalid)?;
                Self::ErrorCode(ErrorCode { code, reason })
            }
            AttributeType::REALM => Self::Realm(text(MAX_TEXT)?),
            AttributeType::NONCE => Self::Nonce(text(MAX_TEXT)?),
            AttributeType::PASSWORD_ALGORITHMS => Self::PasswordAlgorithms(
                PasswordAlgorithms::parse(v).ok_or_else(|| invalid("entry overruns the value"))?,
            ),
            AttributeType::PASSWORD_ALGORITHM => {
                if v.len() < 4 {
                    return Err(len_err());
                }
                let plen = usize::from(read_u16(v, 2));
                if v.len() != 4 + plen {
                    return Err(invalid("parameter length does not match the attribute"));
                }
                Self::PasswordAlgorithm(PasswordAlgorithm {
                    algorithm: PasswordAlgorithmId(read_u16(v, 0)),
                    parameters: &v[4..],
                })
            }
            AttributeType::UNKNOWN_ATTRIBUTES => {
                if v.len() % 2 != 0 {
                    return Err(len_err());
                }
                Self::UnknownAttributes(UnknownAttributes(v))
            }
            AttributeType::SOFTWARE => Self::Software(text(MAX_TEXT)?),
            AttributeType::ALTERNATE_SERVER => Self::AlternateServer(addr()?),
            AttributeType::ALTERNATE_DOMAIN => Self::AlternateDomain(text(255)?),
            AttributeType::PRIORITY => {
                exact(4)?;
                Self::Priority(read_u32(v, 0))
            }
            AttributeType::USE_CANDIDATE => {
                exact(0)?;
                Self::UseCandidate
            }
            AttributeType::ICE_CONTROLLED => {
                exact(8)?;
                Self::IceControlled(read_u64(v, 0))
            }
            AttributeType::ICE_CONTROLLING => {
                exact(8)?;
                Self::IceControlling(read_u64(v, 0))
            }
            AttributeType::CHANNEL_NUMBER => {
                exact(4)?;
                Self::ChannelNumber(read_u16(v, 0))
            }
            AttributeType::LIFETIME => {
                exact(4)?;
                Self::Lifetime(read_u32(v, 0))
            }
            AttributeType::XOR_PEER_ADDRESS => Self::XorPeerAddress(xaddr()?),
            AttributeType::DATA => Self::Data(v),
            AttributeType::XOR_RELAYED_ADDRESS => Self::XorRelayedAddress(xaddr()?),
            AttributeType::REQUESTED_ADDRESS_FAMILY => {
                exact(4)?;
                Self::RequestedAddressFamily(
                    AddressFamily::from_u8(v[0])
                        .ok_or_else(|| invalid("unknown address family"))?,
                )
            }
            AttributeType::EVEN_PORT => {
                exact(1)?;
                Self::EvenPort(v[0] & 0x80 != 0)
            }
            AttributeType::REQUESTED_TRANSPORT => {
                exact(4)?;
                Self::RequestedTransport(v[0])
            }
            AttributeType::DONT_FRAGMENT => {
                exact(0)?;
                Self::DontFragment
            }
            AttributeType::RESERVATION_TOKEN => {
                exact(8)?;
                Self::ReservationToken(read_u64(v, 0))
            }
            AttributeType::ADDITIONAL_ADDRESS_FAMILY => {
                exact(4)?;
                Self::AdditionalAddressFamily(
                    AddressFamily::from_u8(v[0])
                        .ok_or_else(|| invalid("unknown address family"))?,
                )
            }
            AttributeType::ADDRESS_ERROR_CODE => {
                if v.len() < 4 {
                    return Err(len_err());
                }
                let family = AddressFamily::from_u8(v[0])
                    .ok_or_else(|| invalid("unknown address family"))?;
                let (code, reason) = decode_error_code(v).map_err(invalid)?;
                Self::AddressErrorCode(AddressErrorCode {
                    family,
                    code,
                    reason,
                })
            }
            AttributeType::ICMP => {
                exact(8)?;
                Self::Icmp(Icmp {
                    icmp_type: v[2],
                    code: v[3],
                    data: read_u32(v, 4),
                })
            }
            AttributeType::CONNECTION_ID => {
                exact(4)?;
                Self::ConnectionId(read_u32(v, 0))
            }
            AttributeType::CHANGE_REQUEST => {
                exact(4)?;
                Self::ChangeRequest {
                    change_ip: v[3] & 0x04 != 0,
                    change_port: v[3] & 0x02 != 0,
                }
            }
            AttributeType::RESPONSE_ORIGIN => Self::ResponseOrigin(addr()?),
            AttributeType::OTHER_ADDRESS => Self::OtherAddress(addr()?),
            AttributeType::RESPONSE_PORT => {
                exact(4)?;
                Self::ResponsePort(read_u16(v, 0))
            }
            AttributeType::PADDING => Self::Padding(v),
            AttributeType::CACHE_TIMEOUT => {
                exact(4)?;
                Self::CacheTimeout(read_u32(v, 0))
            }
            AttributeType::ACCESS_TOKEN => Self::AccessToken(v),
            _ => Self::Unknown {
                attr_type: t,
                value: v,
            },
        })
    }

    /// The attribute type this value is written with.
    #[must_use]
    pub const fn attr_type(&self) -> AttributeType {
        match self {
            Self::MappedAddress(_) => AttributeType::MAPPED_ADDRESS,
            Self::XorMappedAddress(_) => AttributeType::XOR_MAPPED_ADDRESS,
            Self::XorMappedAddressLegacy(_) => AttributeType::XOR_MAPPED_ADDRESS_LEGACY,
            Self::Username(_) => AttributeType::USERNAME,
            Self::UserHash(_) => AttributeType::USERHASH,
            Self::MessageIntegrity(_) => AttributeType::MESSAGE_INTEGRITY,
            Self::MessageIntegritySha256(_) => AttributeType::MESSAGE_INTEGRITY_SHA256,
            Self::Fingerprint(_) => AttributeType::FINGERPRINT,
            Self::ErrorCode(_) => AttributeType::ERROR_CODE,
            Self::Realm(_) => AttributeType::REALM,
            Self::Nonce(_) => AttributeType::NONCE,
            Self::PasswordAlgorithms(_) => AttributeType::PASSWORD_ALGORITHMS,
            Self::PasswordAlgorithm(_) => AttributeType::PASSWORD_ALGORITHM,
            Self::UnknownAttributes(_) => AttributeType::UNKNOWN_ATTRIBUTES,
            Self::Software(_) => AttributeType::SOFTWARE,
            Self::AlternateServer(_) => AttributeType::ALTERNATE_SERVER,
            Self::AlternateDomain(_) => AttributeType::ALTERNATE_DOMAIN,
            Self::Priority(_) => AttributeType::PRIORITY,
            Self::UseCandidate => AttributeType::USE_CANDIDATE,
            Self::IceControlled(_) => AttributeType::ICE_CONTROLLED,
            Self::IceControlling(_) => AttributeType::ICE_CONTROLLING,
            Self::ChannelNumber(_) => AttributeType::CHANNEL_NUMBER,
            Self::Lifetime(_) => AttributeType::LIFETIME,
            Self::XorPeerAddress(_) => AttributeType::XOR_PEER_ADDRESS,
            Self::Data(_) => AttributeType::DATA,
            Self::XorRelayedAddress(_) => AttributeType::XOR_RELAYED_ADDRESS,
            Self::RequestedAddressFamily(_) => AttributeType::REQUESTED_ADDRESS_FAMILY,
            Self::EvenPort(_) => AttributeType::EVEN_PORT,
            Self::RequestedTransport(_) => AttributeType::REQUESTED_TRANSPORT,
            Self::DontFragment => AttributeType::DONT_FRAGMENT,
            Self::ReservationToken(_) => AttributeType::RESERVATION_TOKEN,
            Self::AdditionalAddressFamily(_) => AttributeType::ADDITIONAL_ADDRESS_FAMILY,
            Self::AddressErrorCode(_) => AttributeType::ADDRESS_ERROR_CODE,
            Self::Icmp(_) => AttributeType::ICMP,
            Self::ConnectionId(_) => AttributeType::CONNECTION_ID,
            Self::ChangeRequest { .. } => AttributeType::CHANGE_REQUEST,
            Self::ResponseOrigin(_) => AttributeType::RESPONSE_ORIGIN,
            Self::OtherAddress(_) => AttributeType::OTHER_ADDRESS,
            Self::ResponsePort(_) => AttributeType::RESPONSE_PORT,
            Self::Padding(_) => AttributeType::PADDING,
            Self::CacheTimeout(_) => AttributeType::CACHE_TIMEOUT,
            Self::AccessToken(_) => AttributeType::ACCESS_TOKEN,
            Self::Unknown { attr_type, .. } => *attr_type,
        }
    }

    /// Length of the encoded value, without padding.
    #[must_use]
    pub fn value_len(&self) -> usize {
        match self {
            Self::MappedAddress(a)
            | Self::XorMappedAddress(a)
            | Self::XorMappedAddressLegacy(a)
            | Self::AlternateServer(a)
            | Self::XorPeerAddress(a)
            | Self::XorRelayedAddress(a)
            | Self::ResponseOrigin(a)
            | Self::OtherAddress(a) => address_len(a),
            Self::Username(s)
            | Self::Realm(s)
            | Self::Nonce(s)
            | Self::Software(s)
            | Self::AlternateDomain(s) => s.len(),
            Self::UserHash(_) => 32,
            Self::MessageIntegrity(_) => 20,
            Self::MessageIntegritySha256(v)
            | Self::Data(v)
            | Self::Padding(v)
            | Self::AccessToken(v)
            | Self::Unknown { value: v, .. } => v.len(),
            Self::PasswordAlgorithms(p) => p.0.len(),
            Self::UnknownAttributes(u) => u.0.len(),
            Self::PasswordAlgorithm(p) => 4 + p.parameters.len(),
            Self::ErrorCode(e) => 4 + e.reason.len(),
            Self::AddressErrorCode(e) => 4 + e.reason.len(),
            Self::UseCandidate | Self::DontFragment => 0,
            Self::EvenPort(_) => 1,
            Self::Fingerprint(_)
            | Self::Priority(_)
            | Self::ChannelNumber(_)
            | Self::Lifetime(_)
            | Self::RequestedAddressFamily(_)
            | Self::RequestedTransport(_)
            | Self::AdditionalAddressFamily(_)
            | Self::ConnectionId(_)
            | Self::ChangeRequest { .. }
            | Self::ResponsePort(_)
            | Self::CacheTimeout(_) => 4,
            Self::IceControlled(_)
            | Self::IceControlling(_)
            | Self::ReservationToken(_)
            | Self::Icmp(_) => 8,
        }
    }

    /// Writes the value (without header or padding) through `out`, in one or more pieces.
    /// `transaction_id` masks the XOR address attributes.
    pub fn encode_value(&self, transaction_id: &TransactionId, out: &mut impl FnMut(&[u8])) {
        let mut scratch = [0u8; 20];
        let fixed: &[u8] = match self {
            Self::MappedAddress(a)
            | Self::AlternateServer(a)
            | Self::ResponseOrigin(a)
            | Self::OtherAddress(a) => {
                let n = encode_address(a, None, &mut scratch);
                &scratch[..n]
            }
            Self::XorMappedAddress(a)
            | Self::XorMappedAddressLegacy(a)
            | Self::XorPeerAddress(a)
            | Self::XorRelayedAddress(a) => {
                let n = encode_address(a, Some(transaction_id), &mut scratch);
                &scratch[..n]
            }
            Self::Username(s)
            | Self::Realm(s)
            | Self::Nonce(s)
            | Self::Software(s)
            | Self::AlternateDomain(s) => s.as_bytes(),
            Self::UserHash(h) => &h[..],
            Self::MessageIntegrity(h) => &h[..],
            Self::MessageIntegritySha256(v)
            | Self::Data(v)
            | Self::Padding(v)
            | Self::AccessToken(v)
            | Self::Unknown { value: v, .. } => v,
            Self::PasswordAlgorithms(p) => p.0,
            Self::UnknownAttributes(u) => u.0,
            Self::PasswordAlgorithm(p) => {
                scratch[..2].copy_from_slice(&p.algorithm.0.to_be_bytes());
                scratch[2..4].copy_from_slice(&(p.parameters.len() as u16).to_be_bytes());
                out(&scratch[..4]);
                p.parameters
            }
            Self::ErrorCode(e) => {
                scratch[2] = (e.code / 100) as u8 & 0x07;
                scratch[3] = (e.code % 100) as u8;
                out(&scratch[..4]);
                e.reason.as_bytes()
            }
            Self::AddressErrorCode(e) => {
                scratch[0] = e.family.to_u8();
                scratch[2] = (e.code / 100) as u8 & 0x07;
                scratch[3] = (e.code % 100) as u8;
                out(&scratch[..4]);
                e.reason.as_bytes()
            }
            Self::UseCandidate | Self::DontFragment => &[],
            Self::EvenPort(r) => {
                scratch[0] = if *r { 0x80 } else { 0 };
                &scratch[..1]
            }
            Self::Fingerprint(x)
            | Self::Priority(x)
            | Self::Lifetime(x)
            | Self::ConnectionId(x)
            | Self::CacheTimeout(x) => {
                scratch[..4].copy_from_slice(&x.to_be_bytes());
                &scratch[..4]
            }
            Self::ChannelNumber(x) | Self::ResponsePort(x) => {
                scratch[..2].copy_from_slice(&x.to_be_bytes());
                &scratch[..4]
            }
            Self::RequestedAddressFamily(f) | Self::AdditionalAddressFamily(f) => {
                scratch[0] = f.to_u8();
                &scratch[..4]
            }
            Self::RequestedTransport(p) => {
                scratch[0] = *p;
                &scratch[..4]
            }
            Self::ChangeRequest {
                change_ip,
                change_port,
            } => {
                scratch[3] = (u8::from(*change_ip) << 2) | (u8::from(*change_port) << 1);
                &scratch[..4]
            }
            Self::IceControlled(x) | Self::IceControlling(x) | Self::ReservationToken(x) => {
                scratch[..8].copy_from_slice(&x.to_be_bytes());
                &scratch[..8]
            }
            Self::Icmp(i) => {
                scratch[2] = i.icmp_type;
                scratch[3] = i.code;
                scratch[4..8].copy_from_slice(&i.data.to_be_bytes());
                &scratch[..8]
            }
        };
        if !fixed.is_empty() {
            out(fixed);
        }
    }
}

/// Why an address value was rejected (mapped to [`StunError`] with its position).
#[derive(Debug, Clone, Copy)]
pub(crate) enum AddressError {
    Length,
    Family,
}

impl AddressError {
    pub(crate) fn at(self, attr_type: AttributeType, offset: usize, len: usize) -> StunError {
        match self {
            Self::Length => StunError::AttributeLength {
                attr_type,
                offset,
                length: len as u16,
            },
            Self::Family => StunError::InvalidAttribute {
                attr_type,
                offset,
                reason: "unknown address family",
            },
        }
    }
}

/// Decodes a (XOR-)MAPPED-ADDRESS style value (RFC 8489 §14.1, §14.2).
pub(crate) fn decode_address(
    v: &[u8],
    xor: Option<&TransactionId>,
) -> Result<SocketAddr, AddressError> {
    if v.len() < 4 {
        return Err(AddressError::Length);
    }
    let mut port = read_u16(v, 2);
    if xor.is_some() {
        // "X-Port is computed by XOR'ing the mapped port with the most significant 16 bits of the magic cookie."
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    match v[1] {
        0x01 => {
            if v.len() != 8 {
                return Err(AddressError::Length);
            }
            let mut ip = read_u32(v, 4);
            if xor.is_some() {
                ip ^= MAGIC_COOKIE;
            }
            Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(ip)), port))
        }
        0x02 => {
            if v.len() != 20 {
                return Err(AddressError::Length);
            }
            let mut ip = [0u8; 16];
            ip.copy_from_slice(&v[4..20]);
            if let Some(tid) = xor {
                // "... XOR'ing the mapped IP address with the concatenation of the magic cookie and the 96-bit transaction ID."
                let mut mask = [0u8; 16];
                mask[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
                mask[4..].copy_from_slice(&tid.0);
                for (b, m) in ip.iter_mut().zip(mask) {
                    *b ^= m;
                }
            }
            Ok(SocketAddr::new(IpAddr::V6(Ipv6Addr::from(ip)), port))
        }
        _ => Err(AddressError::Family),
    }
}

fn address_len(a: &SocketAddr) -> usize {
    match a {
        SocketAddr::V4(_) => 8,
        SocketAddr::V6(_) => 20,
    }
}

/// Encodes an address value into `out` (at least 20 bytes), returning its length.
pub(crate) fn encode_address(
    a: &SocketAddr,
    xor: Option<&TransactionId>,
    out: &mut [u8; 20],
) -> usize {
    let mut port = a.port();
    if xor.is_some() {
        port ^= (MAGIC_COOKIE >> 16) as u16;
    }
    out[0] = 0;
    out[2..4].copy_from_slice(&port.to_be_bytes());
    match a.ip() {
        IpAddr::V4(ip) => {
            out[1] = 1;
            let mut x = u32::from(ip);
            if xor.is_some() {
                x ^= MAGIC_COOKIE;
            }
            out[4..8].copy_from_slice(&x.to_be_bytes());
            8
        }
        IpAddr::V6(ip) => {
            out[1] = 2;
            let mut o = ip.octets();
            if let Some(tid) = xor {
                let mut mask = [0u8; 16];
                mask[..4].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
                mask[4..].copy_from_slice(&tid.0);
                for (b, m) in o.iter_mut().zip(mask) {
                    *b ^= m;
                }
            }
            out[4..20].copy_from_slice(&o);
            20
        }
    }
}

/// ERROR-CODE layout shared with ADDRESS-ERROR-CODE: 21 reserved bits, class (3 bits),
/// number (8 bits), reason phrase (RFC 8489 §14.8).
fn decode_error_code(v: &[u8]) -> Result<(u16, &str), &'static str> {
    if v.len() < 4 {
        return Err("shorter than 4 bytes");
    }
    if v.len() - 4 > MAX_TEXT {
        return Err("reason phrase longer than the RFC allows");
    }
    let class = u16::from(v[2] & 0x07);
    let number = u16::from(v[3]);
    // "The Class represents the hundreds digit of the error code. The value MUST be between 3 and 6."
    if !(3..=6).contains(&class) {
        return Err("error class outside 3..=6");
    }
    // "The Number represents the binary encoding of the error code modulo 100, and its value MUST be between 0 and 99."
    if number > 99 {
        return Err("error number above 99");
    }
    let reason = core::str::from_utf8(&v[4..]).map_err(|_| "reason phrase is not UTF-8")?;
    Ok((class * 100 + number, reason))
}
