//! Conversions to and from `sdp-parse`'s `a=candidate` values (feature `sdp`).
//!
//! Both directions go through the attribute's text, which both crates read and write per
//! RFC 8839 §5.1, so the conversion does not depend on how `sdp-parse` lays out its
//! fields.
//!
//! ```
//! use ice_agent::{Candidate, CandidateKind};
//! let line = sdp_parse::Candidate::parse_str("candidate:1 1 udp 2122260223 192.0.2.7 5000 typ host generation 0").unwrap();
//! let c = Candidate::try_from(&line).unwrap();
//! assert_eq!(c.kind(), CandidateKind::Host);
//! assert_eq!(c.to_sdp().unwrap().to_string(), "1 1 udp 2122260223 192.0.2.7 5000 typ host");
//! ```

use crate::candidate::Candidate;
use crate::error::CandidateParseError;

impl TryFrom<&sdp_parse::Candidate<'_>> for Candidate {
    type Error = CandidateParseError;

    /// Converts a parsed `a=candidate` value; an mDNS name is kept as the
    /// [`hostname`](Candidate::hostname) to resolve. Error columns refer to the value as
    /// `sdp-parse` writes it.
    fn try_from(c: &sdp_parse::Candidate<'_>) -> Result<Self, Self::Error> {
        Self::parse(&c.to_string())
    }
}

impl Candidate {
    /// The candidate as an `sdp-parse` `a=candidate` value; `None` only if `sdp-parse`
    /// refuses the rendering, which it does not for candidates this crate makes or
    /// accepts.
    #[must_use]
    pub fn to_sdp(&self) -> Option<sdp_parse::Candidate<'static>> {
        sdp_parse::Candidate::parse_str(&self.to_string())
            .ok()
            .map(sdp_parse::Candidate::into_owned)
    }
}
