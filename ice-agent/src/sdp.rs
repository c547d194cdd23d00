//! Conversions to and from `sdp-parse`'s `a=candidate` and `a=ice-pacing` values (feature
//! `sdp`).
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

use crate::agent::IceAgent;
use crate::candidate::Candidate;
use crate::config::parse_ice_pacing;
use crate::error::{CandidateParseError, IceError};

impl<S: sdp_parse::Text> TryFrom<&sdp_parse::Candidate<S>> for Candidate {
    type Error = CandidateParseError;

    /// Converts a parsed `a=candidate` value; an mDNS name is kept as the
    /// [`hostname`](Candidate::hostname) to resolve. Error columns refer to the value as
    /// `sdp-parse` writes it.
    fn try_from(c: &sdp_parse::Candidate<S>) -> Result<Self, Self::Error> {
        Self::parse(&c.to_string())
    }
}

impl Candidate {
    /// The candidate as an `sdp-parse` `a=candidate` value; `None` only if `sdp-parse`
    /// refuses the rendering, which it does not for candidates this crate makes or
    /// accepts.
    #[must_use]
    pub fn to_sdp(&self) -> Option<sdp_parse::Candidate<String>> {
        sdp_parse::Candidate::parse_str(&self.to_string())
            .ok()
            .map(sdp_parse::Candidate::into_owned)
    }
}

/// The `a=ice-pacing` attribute name ([RFC 8839 §5.5]).
///
/// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
const ICE_PACING: &str = "ice-pacing";

impl IceAgent {
    /// This agent's pacing proposal ([`local_pacing`](Self::local_pacing)) as a
    /// session-level `a=ice-pacing:<ms>` attribute ([RFC 8839 §5.5]).
    ///
    /// ```
    /// # use std::time::Instant;
    /// use ice_agent::{IceAgent, IceConfig, IceRole};
    /// let agent = IceAgent::new(IceConfig::default(), IceRole::Controlling, [0; 32], Instant::now());
    /// assert_eq!(agent.pacing_to_sdp().to_string(), "ice-pacing:15");
    /// ```
    ///
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    #[must_use]
    pub fn pacing_to_sdp(&self) -> sdp_parse::Attribute<String> {
        sdp_parse::Attribute::Other {
            name: ICE_PACING.into(),
            value: Some(self.local_pacing().as_millis().to_string()),
        }
    }

    /// Reads the peer's pacing proposal from the session-level `a=ice-pacing` of its
    /// description ([RFC 8839 §5.5]) and passes it to
    /// [`set_remote_pacing`](Self::set_remote_pacing); a description without the
    /// attribute proposes nothing (the peer counts as 50 ms). A malformed value is
    /// refused with [`IceError::InvalidPacing`] and changes nothing.
    ///
    /// ```
    /// # use std::time::{Duration, Instant};
    /// use ice_agent::{IceAgent, IceConfig, IceRole};
    /// let sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-pacing:40\r\n";
    /// let sdp = sdp_parse::SessionDescription::parse(sdp).unwrap();
    /// let mut agent = IceAgent::new(IceConfig::default(), IceRole::Controlling, [0; 32], Instant::now());
    /// agent.set_remote_pacing_from_sdp(&sdp).unwrap();
    /// assert_eq!(agent.ta(), Duration::from_millis(40));
    /// ```
    ///
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    pub fn set_remote_pacing_from_sdp<S: sdp_parse::Text>(
        &mut self,
        sdp: &sdp_parse::SessionDescription<S>,
    ) -> Result<(), IceError> {
        // Through the attribute's text, whatever variant `sdp-parse` keeps it in.
        let pacing = match sdp.attribute(ICE_PACING) {
            Some(a) => {
                let text = a.to_string();
                let value = text[ICE_PACING.len()..].strip_prefix(':').unwrap_or("");
                Some(parse_ice_pacing(value)?)
            }
            None => None,
        };
        self.set_remote_pacing(pacing);
        Ok(())
    }
}
