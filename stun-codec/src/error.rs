//! Errors of the STUN codec.

use crate::attribute::AttributeType;

/// What went wrong while reading, verifying or writing a STUN message or ChannelData frame.
///
/// Reading errors carry the byte offset of the offending field, counted from the first byte
/// of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StunError {
    /// The input is shorter than the structure it claims to hold.
    #[error("truncated at offset {offset}: need {expected} bytes, have {actual}")]
    Truncated {
        /// Offset where the missing part starts.
        offset: usize,
        /// Bytes needed from `offset` on.
        expected: usize,
        /// Bytes available from `offset` on.
        actual: usize,
    },
    /// The two most significant bits of a STUN message must be zero (RFC 8489 §5).
    #[error("first byte {byte:#04x} at offset 0 has its two leading bits set")]
    LeadingBits {
        /// The first byte of the input.
        byte: u8,
    },
    /// The magic cookie at offset 4 is not 0x2112A442 (RFC 8489 §5).
    #[error("magic cookie at offset 4 is {found:#010x}, expected 0x2112a442")]
    MagicCookie {
        /// The value found.
        found: u32,
    },
    /// The message length at offset 2 is not a multiple of 4 (RFC 8489 §5).
    #[error("message length {length} at offset 2 is not a multiple of 4")]
    UnalignedLength {
        /// The length field.
        length: u16,
    },
    /// An attribute (with its padding) extends past the end of the message (RFC 8489 §14).
    #[error("attribute {attr_type} at offset {offset} with length {length} overruns the message ({available} bytes left)")]
    AttributeOverrun {
        /// Offset of the attribute header.
        offset: usize,
        /// Attribute type.
        attr_type: AttributeType,
        /// The attribute's length field.
        length: u16,
        /// Bytes left after the attribute header.
        available: usize,
    },
    /// FINGERPRINT must be the last attribute (RFC 8489 §14.7).
    #[error("FINGERPRINT at offset {offset} is not the last attribute")]
    FingerprintNotLast {
        /// Offset of the FINGERPRINT attribute.
        offset: usize,
    },
    /// An attribute has a length its type does not allow.
    #[error("attribute {attr_type} at offset {offset} has invalid length {length}")]
    AttributeLength {
        /// Attribute type.
        attr_type: AttributeType,
        /// Offset of the attribute header.
        offset: usize,
        /// The length field.
        length: u16,
    },
    /// An attribute's value breaks a rule of its definition.
    #[error("attribute {attr_type} at offset {offset}: {reason}")]
    InvalidAttribute {
        /// Attribute type.
        attr_type: AttributeType,
        /// Offset of the attribute header.
        offset: usize,
        /// The rule that was broken.
        reason: &'static str,
    },
    /// The message carries no integrity attribute of the kind asked for.
    #[error("message has no {0} attribute")]
    IntegrityMissing(&'static str),
    /// The integrity attribute at `offset` does not match the message and key.
    #[error("{kind} at offset {offset} does not match")]
    IntegrityMismatch {
        /// `MESSAGE-INTEGRITY` or `MESSAGE-INTEGRITY-SHA256`.
        kind: &'static str,
        /// Offset of the attribute header.
        offset: usize,
    },
    /// The message has no FINGERPRINT attribute.
    #[error("message has no FINGERPRINT attribute")]
    FingerprintMissing,
    /// FINGERPRINT does not match the CRC-32 of the message (RFC 8489 §14.7).
    #[error("FINGERPRINT at offset {offset} is {found:#010x}, computed {computed:#010x}")]
    FingerprintMismatch {
        /// Offset of the attribute header.
        offset: usize,
        /// The value in the message.
        found: u32,
        /// The value computed over the message.
        computed: u32,
    },
    /// The output buffer is too small.
    #[error("output buffer too small: need {needed} bytes, capacity {capacity}")]
    BufferTooSmall {
        /// Bytes the write needed in total.
        needed: usize,
        /// Capacity of the buffer.
        capacity: usize,
    },
    /// A value is too long for its 16-bit length field.
    #[error("{what} of {length} bytes exceeds the 16-bit length field")]
    TooLong {
        /// What was too long.
        what: &'static str,
        /// Its length.
        length: usize,
    },
    /// The builder was used out of order (e.g. an attribute after FINGERPRINT).
    #[error("builder misuse: {0}")]
    BuilderMisuse(&'static str),
    /// A password, username or realm could not be prepared (SASLprep / OpaqueString).
    #[error("string preparation failed: {0}")]
    Preparation(&'static str),
    /// A ChannelData channel number outside 0x4000..=0x4FFF (RFC 8656 §12).
    #[error("channel number {0:#06x} is outside 0x4000..=0x4fff")]
    ChannelNumber(u16),
    /// The input is neither STUN nor ChannelData (first byte of a stream frame).
    #[error("first byte {byte:#04x} at offset {offset} starts neither STUN nor ChannelData")]
    UnknownFrame {
        /// Offset of the frame in the stream.
        offset: usize,
        /// The first byte.
        byte: u8,
    },
}
