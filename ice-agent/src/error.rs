//! Errors of the agent's signalling API.

use core::time::Duration;
use std::net::SocketAddr;

/// An `a=candidate` value that could not be parsed: which field, and where (1-based
/// column in the value as given).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CandidateParseError {
    /// A required field is missing.
    #[error("missing {field} at column {column}")]
    Missing {
        /// The field's name in RFC 8839's grammar.
        field: &'static str,
        /// 1-based column where the field was expected.
        column: usize,
    },
    /// A field does not match its grammar.
    #[error("invalid {field} at column {column}")]
    Invalid {
        /// The field's name in RFC 8839's grammar.
        field: &'static str,
        /// 1-based column where the field starts.
        column: usize,
    },
}

/// A signalling call the agent refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IceError {
    /// The candidate's transport is not UDP; it is kept out of the check list.
    #[error("unsupported transport for candidate {0}")]
    UnsupportedTransport(SocketAddr),
    /// The candidate's component is not 1 (the agent runs one component, as WebRTC does
    /// with RTCP multiplexing).
    #[error("unsupported component {0}")]
    UnsupportedComponent(u16),
    /// A local candidate with this address (and base) exists already ([RFC 8445 §5.1.3]).
    ///
    /// [RFC 8445 §5.1.3]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.3
    #[error("redundant candidate {0}")]
    Redundant(SocketAddr),
    /// Local candidates cannot be added after end-of-candidates (until a restart).
    #[error("local candidates already ended")]
    CandidatesEnded,
    /// ICE credentials violate RFC 8839 §5.4 (ufrag 4-256 and password 22-256 ice-chars).
    #[error("invalid ice credentials")]
    InvalidCredentials,
    /// The address is not usable as a host candidate (unspecified or multicast).
    #[error("unusable host address {0}")]
    UnusableAddress(SocketAddr),
    /// A proposed pacing interval `Ta` below the 5 ms floor of [RFC 8445 §14.2].
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    #[error("pacing interval {0:?} is below the 5 ms minimum of RFC 8445 section 14.2")]
    PacingBelowMinimum(Duration),
    /// An `a=ice-pacing` value that is not 1 to 10 digits ([RFC 8839 §5.5]).
    ///
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    #[error("invalid ice-pacing value at column {column}")]
    InvalidPacing {
        /// 1-based column of the first offending character (one past the end when the
        /// value is empty or too long).
        column: usize,
    },
    /// An ice-lite agent cannot be controlling nor gather server-reflexive candidates.
    #[error("not allowed in ice-lite mode")]
    Lite,
}
