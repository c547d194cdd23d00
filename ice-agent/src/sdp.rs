//! Conversions to and from `sdp-parse`'s `a=candidate` values (feature `sdp`).
//!
//! ```
//! use ice_agent::{Candidate, CandidateKind};
//! let line = sdp_parse::Candidate::parse_str("candidate:1 1 udp 2122260223 192.0.2.7 5000 typ host generation 0").unwrap();
//! let c = Candidate::try_from(&line).unwrap();
//! assert_eq!(c.kind(), CandidateKind::Host);
//! assert_eq!(c.to_sdp().to_string(), "1 1 udp 2122260223 192.0.2.7 5000 typ host");
//! ```

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::candidate::{Candidate, CandidateKind, Transport};
use crate::error::CandidateParseError;

impl TryFrom<&sdp_parse::Candidate<'_>> for Candidate {
    type Error = CandidateParseError;

    /// Converts a parsed `a=candidate` value; an mDNS name is kept as the
    /// [`hostname`](Candidate::hostname) to resolve.
    fn try_from(c: &sdp_parse::Candidate<'_>) -> Result<Self, Self::Error> {
        let invalid = |field| CandidateParseError::Invalid { field, column: 0 };
        let transport = if c.transport.eq_ignore_ascii_case("udp") {
            Transport::Udp
        } else if c.transport.eq_ignore_ascii_case("tcp") {
            Transport::Tcp
        } else {
            return Err(invalid("transport"));
        };
        let kind = match c.candidate_type() {
            sdp_parse::CandidateType::Host => CandidateKind::Host,
            sdp_parse::CandidateType::Srflx => CandidateKind::ServerReflexive,
            sdp_parse::CandidateType::Prflx => CandidateKind::PeerReflexive,
            sdp_parse::CandidateType::Relay => CandidateKind::Relayed,
            sdp_parse::CandidateType::Other => return Err(invalid("candidate-type")),
        };
        if c.priority == 0 {
            return Err(invalid("priority"));
        }
        let (ip, hostname) = match c.address.parse::<IpAddr>() {
            Ok(ip) => (ip, None),
            Err(_) if c.address.ends_with(".local") => (
                IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                Some(c.address.to_string()),
            ),
            Err(_) => return Err(invalid("connection-address")),
        };
        let related = match &c.raddr {
            Some(a) => Some(SocketAddr::new(
                a.parse().map_err(|_| invalid("raddr"))?,
                c.rport.unwrap_or(0),
            )),
            None => None,
        };
        let address = SocketAddr::new(ip, c.port);
        Ok(Self {
            foundation: c.foundation.to_string(),
            component: c.component,
            transport,
            priority: c.priority,
            address,
            kind,
            related,
            base: address,
            hostname,
        })
    }
}

impl Candidate {
    /// The candidate as an `sdp-parse` `a=candidate` value.
    #[must_use]
    pub fn to_sdp(&self) -> sdp_parse::Candidate<'static> {
        let address = match &self.hostname {
            Some(h) => h.clone(),
            None => self.address.ip().to_string(),
        };
        sdp_parse::Candidate {
            foundation: Cow::Owned(self.foundation.clone()),
            component: self.component,
            transport: Cow::Borrowed(match self.transport {
                Transport::Udp => "udp",
                Transport::Tcp => "tcp",
            }),
            priority: self.priority,
            address: Cow::Owned(address),
            port: self.address.port(),
            typ: Cow::Borrowed(self.kind.as_str()),
            raddr: self.related.map(|r| Cow::Owned(r.ip().to_string())),
            rport: self.related.map(|r| r.port()),
            extensions: (self.transport == Transport::Tcp)
                .then_some(Cow::Borrowed("tcptype passive")),
        }
    }
}
