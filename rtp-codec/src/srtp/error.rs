//! Errors of SRTP/SRTCP protection.
//!
//! The variants separate what a peer or the network did (a forged, replayed, old or
//! truncated packet: drop it and go on) from what the caller did (wrong key length, a bad
//! configuration, more SSRCs than configured, an exhausted index: fix the setup or rekey).

/// An error from building an SRTP context or protecting/unprotecting a packet.
///
/// On any error the packet buffer is left as it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrtpError {
    /// The packet is shorter than its header, trailer and tag need.
    #[error("packet too short: need {needed} bytes, {available} available")]
    TooShort {
        /// Bytes the packet needs at least.
        needed: usize,
        /// Bytes it has.
        available: usize,
    },
    /// A header field holds a value SRTP cannot process (the RTP/RTCP version is not 2).
    #[error("invalid {what}")]
    Invalid {
        /// The field.
        what: &'static str,
    },
    /// The authentication tag does not match (RFC 3711 §3.3, RFC 7714 §8 and §9): the packet
    /// was forged, corrupted, or protected with other keys or another rollover counter.
    #[error("authentication failed")]
    AuthenticationFailed,
    /// The packet index was already received (RFC 3711 §3.3.2).
    #[error("packet index {index} replayed")]
    Replayed {
        /// The SRTP packet index (ROC·2^16 + SEQ) or SRTCP index.
        index: u64,
    },
    /// The packet index lies behind the replay window, so a replay cannot be ruled out
    /// (RFC 3711 §3.3.2).
    #[error("packet index {index} is behind the replay window")]
    TooOld {
        /// The SRTP packet index or SRTCP index.
        index: u64,
    },
    /// The MKI of the packet is not the context's (RFC 3711 §3.1: the MKI identifies the
    /// master key; this context holds one key).
    #[error("unknown master key identifier")]
    BadMki,
    /// A packet of a new SSRC arrived when the context already tracks the configured maximum
    /// number of SSRCs.
    #[error("too many SSRCs: at most {max} per context")]
    TooManySsrcs {
        /// The configured maximum.
        max: usize,
    },
    /// The packet index space is used up: 2^48 SRTP packets or 2^31 SRTCP packets under one
    /// key (RFC 3711 §3.3.1: "Re-keying ... MUST be triggered, before this amount of
    /// traffic"; §9.2 for SRTCP).
    #[error("packet index exhausted: rekey")]
    IndexExhausted,
    /// A master key or salt of the wrong length for the profile.
    #[error("{what} must be {expected} bytes, got {actual}")]
    KeyLength {
        /// "master key" or "master salt".
        what: &'static str,
        /// The profile's length.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A configuration value out of range.
    #[error("invalid configuration: {what}")]
    Config {
        /// What is out of range.
        what: &'static str,
    },
}
