//! Errors of the RTP/RTCP codec.
//!
//! Parse errors name the byte offset (from the start of the buffer handed to the parser)
//! where the problem was found. Writer errors say which value cannot be encoded.

/// An error found while parsing or writing RTP/RTCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RtpError {
    /// The input ends before a structure does.
    #[error("{what} truncated at byte {offset}: need {needed} bytes, {available} available")]
    Truncated {
        /// The structure being read.
        what: &'static str,
        /// Byte offset where the structure starts.
        offset: usize,
        /// Bytes it needs from `offset`.
        needed: usize,
        /// Bytes available from `offset`.
        available: usize,
    },
    /// The version field is not 2 (RFC 3550 §5.1, §6.4.1).
    #[error("unsupported version {version} at byte {offset}")]
    BadVersion {
        /// Byte offset of the header.
        offset: usize,
        /// The version found.
        version: u8,
    },
    /// The padding count (last byte) is zero or larger than the room the packet leaves for it
    /// (RFC 3550 §5.1: "the last octet of the padding contains a count of how many padding
    /// octets should be ignored, including itself").
    #[error("invalid padding count {count} at byte {offset}")]
    BadPadding {
        /// Byte offset of the padding count octet.
        offset: usize,
        /// The count found.
        count: u8,
    },
    /// A field holds a value the format forbids.
    #[error("invalid {what} at byte {offset}")]
    Invalid {
        /// The field.
        what: &'static str,
        /// Byte offset of the field.
        offset: usize,
    },
    /// A structure leaves bytes it does not account for.
    #[error("{what} has {extra} unexplained trailing bytes at byte {offset}")]
    TrailingBytes {
        /// The structure.
        what: &'static str,
        /// Byte offset of the first unexplained byte.
        offset: usize,
        /// How many bytes are left over.
        extra: usize,
    },
    /// A value given to a writer cannot be encoded.
    #[error("{what} cannot be encoded")]
    Unencodable {
        /// What is out of range.
        what: &'static str,
    },
    /// The caller's output buffer is too small.
    #[error("output buffer too small: need {needed} bytes, {available} available")]
    BufferTooSmall {
        /// Bytes the output needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl RtpError {
    /// The byte offset the error refers to, for parse errors.
    #[must_use]
    pub fn offset(&self) -> Option<usize> {
        match *self {
            Self::Truncated { offset, .. }
            | Self::BadVersion { offset, .. }
            | Self::BadPadding { offset, .. }
            | Self::Invalid { offset, .. }
            | Self::TrailingBytes { offset, .. } => Some(offset),
            Self::Unencodable { .. } | Self::BufferTooSmall { .. } => None,
        }
    }

    /// The same error with its offset moved by `base` (used when a structure is parsed
    /// from a sub-slice).
    #[must_use]
    pub(crate) fn shifted(self, base: usize) -> Self {
        match self {
            Self::Truncated {
                what,
                offset,
                needed,
                available,
            } => Self::Truncated {
                what,
                offset: offset + base,
                needed,
                available,
            },
            Self::BadVersion { offset, version } => Self::BadVersion {
                offset: offset + base,
                version,
            },
            Self::BadPadding { offset, count } => Self::BadPadding {
                offset: offset + base,
                count,
            },
            Self::Invalid { what, offset } => Self::Invalid {
                what,
                offset: offset + base,
            },
            Self::TrailingBytes {
                what,
                offset,
                extra,
            } => Self::TrailingBytes {
                what,
                offset: offset + base,
                extra,
            },
            other => other,
        }
    }
}

/// Check that `buf[offset..]` holds at least `needed` bytes.
#[inline(always)]
pub(crate) fn need(
    buf: &[u8],
    offset: usize,
    needed: usize,
    what: &'static str,
) -> Result<(), RtpError> {
    if buf.len().saturating_sub(offset) < needed {
        return Err(truncated(buf, offset, needed, what));
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn truncated(buf: &[u8], offset: usize, needed: usize, what: &'static str) -> RtpError {
    RtpError::Truncated {
        what,
        offset,
        needed,
        available: buf.len().saturating_sub(offset),
    }
}
