//! Candidates: types, priorities ([RFC 8445 §5.1.2]) with [RFC 8421] local preferences,
//! and the `a=candidate` value of [RFC 8839 §5.1].
//!
//! [RFC 8445 §5.1.2]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2
//! [RFC 8421]: https://www.rfc-editor.org/rfc/rfc8421
//! [RFC 8839 §5.1]: https://www.rfc-editor.org/rfc/rfc8839#section-5.1

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::error::CandidateParseError;

/// The type of a candidate ([RFC 8445 §5.1.1]).
///
/// [RFC 8445 §5.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CandidateKind {
    /// An address of a local interface.
    Host,
    /// An address learnt from a connectivity check ([RFC 8445 §7.2.5.3.1], §7.3.1.3).
    ///
    /// [RFC 8445 §7.2.5.3.1]: https://www.rfc-editor.org/rfc/rfc8445#section-7.2.5.3.1
    PeerReflexive,
    /// The address a NAT maps a host candidate to, learnt from a STUN server.
    ServerReflexive,
    /// An address on a TURN server.
    Relayed,
}

impl CandidateKind {
    /// The recommended type preference ([RFC 8445 §5.1.2.2]): 126 for host, 110 for
    /// peer-reflexive, 100 for server-reflexive and 0 for relayed candidates.
    ///
    /// [RFC 8445 §5.1.2.2]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2.2
    #[must_use]
    pub const fn type_preference(self) -> u32 {
        match self {
            Self::Host => 126,
            Self::PeerReflexive => 110,
            Self::ServerReflexive => 100,
            Self::Relayed => 0,
        }
    }

    /// The `typ` token of the `a=candidate` attribute.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::PeerReflexive => "prflx",
            Self::ServerReflexive => "srflx",
            Self::Relayed => "relay",
        }
    }
}

impl fmt::Display for CandidateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The transport protocol of a candidate: the workspace's one transport type. The agent
/// pairs UDP candidates only; TCP candidates ([RFC 6544]) are parsed and ignored.
///
/// [RFC 6544]: https://www.rfc-editor.org/rfc/rfc6544
pub use stun_turn_codec::Transport;

/// A candidate priority ([RFC 8445 §5.1.2.1]):
/// `2^24 * type preference + 2^8 * local preference + (256 - component)`.
///
/// [RFC 8445 §5.1.2.1]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2.1
#[must_use]
pub const fn candidate_priority(kind: CandidateKind, local_preference: u16, component: u16) -> u32 {
    let component = if component == 0 || component > 256 {
        256
    } else {
        component as u32
    };
    (kind.type_preference() << 24) + ((local_preference as u32) << 8) + (256 - component)
}

/// The local preference of the `index`-th host address of its family, ordered per
/// [RFC 8421 §4]: IPv6 and IPv4 addresses alternate (IPv6 first) so that a dual-stack
/// host tries both families early, and addresses with a low [RFC 6724] precedence
/// (loopback, link-local, IPv4-mapped, 6to4, Teredo, ULA) come after the others of
/// their family.
///
/// [RFC 8421 §4]: https://www.rfc-editor.org/rfc/rfc8421#section-4
/// [RFC 6724]: https://www.rfc-editor.org/rfc/rfc6724#section-2.1
#[must_use]
pub fn local_preference(ip: IpAddr, index: usize) -> u16 {
    let rank = (index.min(4000) as u32) * 2 + u32::from(ip.is_ipv4());
    let penalty = if low_precedence(ip) { 8192 } else { 0 };
    (65535u32 - penalty - rank * 2) as u16
}

fn low_precedence(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_loopback()
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || s[0] == 0x2002 // 6to4
                || (s[0] == 0x2001 && s[1] == 0) // Teredo
                || v6.to_ipv4_mapped().is_some()
        }
    }
}

/// A local or remote candidate.
///
/// A remote candidate whose connection address is an mDNS name (`*.local`, [RFC 8839
/// §5.1] with the mDNS technique of draft-ietf-mmusic-mdns-ice-candidates) has an
/// unspecified address and the name in [`hostname`](Self::hostname) until the caller
/// resolves it with [`IceAgent::resolve_mdns`](crate::IceAgent::resolve_mdns).
///
/// [RFC 8839 §5.1]: https://www.rfc-editor.org/rfc/rfc8839#section-5.1
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub(crate) foundation: String,
    pub(crate) component: u16,
    pub(crate) transport: Transport,
    pub(crate) priority: u32,
    pub(crate) address: SocketAddr,
    pub(crate) kind: CandidateKind,
    pub(crate) related: Option<SocketAddr>,
    pub(crate) base: SocketAddr,
    pub(crate) hostname: Option<String>,
    /// RFC 6544 `tcptype` of a TCP candidate, kept to write it back.
    pub(crate) tcptype: Option<String>,
}

impl Candidate {
    /// A UDP candidate for component 1 with the given fields; the base is the address
    /// itself (set by the agent for local server-reflexive and peer-reflexive candidates).
    #[must_use]
    pub fn new(kind: CandidateKind, address: SocketAddr, priority: u32, foundation: &str) -> Self {
        Self {
            foundation: foundation.to_owned(),
            component: 1,
            transport: Transport::Udp,
            priority,
            address,
            kind,
            related: None,
            base: address,
            hostname: None,
            tcptype: None,
        }
    }

    /// The candidate with a related address (`raddr`/`rport`).
    #[must_use]
    pub fn with_related(mut self, related: SocketAddr) -> Self {
        self.related = Some(related);
        self
    }

    /// The foundation ([RFC 8445 §5.1.1.3]).
    ///
    /// [RFC 8445 §5.1.1.3]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.3
    #[must_use]
    pub fn foundation(&self) -> &str {
        &self.foundation
    }

    /// The component ID (1 for RTP, or for everything with RTCP multiplexing).
    #[must_use]
    pub fn component(&self) -> u16 {
        self.component
    }

    /// The transport protocol.
    #[must_use]
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The priority ([RFC 8445 §5.1.2]).
    ///
    /// [RFC 8445 §5.1.2]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2
    #[must_use]
    pub fn priority(&self) -> u32 {
        self.priority
    }

    /// The transport address.
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The candidate type.
    #[must_use]
    pub fn kind(&self) -> CandidateKind {
        self.kind
    }

    /// The related address (`raddr`/`rport`), if any.
    #[must_use]
    pub fn related_address(&self) -> Option<SocketAddr> {
        self.related
    }

    /// The base ([RFC 8445 §5.1.1.1]): the local address the agent sends from for this
    /// candidate. Equal to the address for host, relayed and remote candidates.
    ///
    /// [RFC 8445 §5.1.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.1
    #[must_use]
    pub fn base(&self) -> SocketAddr {
        self.base
    }

    /// The mDNS host name of a remote candidate that is not resolved yet.
    #[must_use]
    pub fn hostname(&self) -> Option<&str> {
        self.hostname.as_deref()
    }

    /// Parses the value of an `a=candidate` attribute ([RFC 8839 §5.1]), with or without
    /// the leading `candidate:`.
    ///
    /// ```
    /// use ice_agent::{Candidate, CandidateKind};
    /// let c = Candidate::parse("candidate:1 1 UDP 2130706431 10.0.0.1 5000 typ host").unwrap();
    /// assert_eq!(c.kind(), CandidateKind::Host);
    /// assert_eq!(c.address(), "10.0.0.1:5000".parse().unwrap());
    /// assert_eq!(c.to_string(), "1 1 udp 2130706431 10.0.0.1 5000 typ host");
    /// ```
    ///
    /// [RFC 8839 §5.1]: https://www.rfc-editor.org/rfc/rfc8839#section-5.1
    pub fn parse(value: &str) -> Result<Self, CandidateParseError> {
        let base_offset = value.len() - value.trim_start().len();
        let trimmed = value.trim();
        let (body, prefix_len) = match trimmed.strip_prefix("candidate:") {
            Some(rest) => (rest, base_offset + "candidate:".len()),
            None => (trimmed, base_offset),
        };
        let mut fields = Fields {
            rest: body,
            offset: prefix_len,
        };
        let (at, foundation) = fields.next_required("foundation")?;
        if foundation.is_empty()
            || foundation.len() > 32
            || !foundation
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        {
            return Err(CandidateParseError::Invalid {
                field: "foundation",
                column: at,
            });
        }
        let (at, component) = fields.next_required("component")?;
        let component: u16 = component
            .parse()
            .ok()
            .filter(|c| (1..=256).contains(c))
            .ok_or(CandidateParseError::Invalid {
                field: "component",
                column: at,
            })?;
        let (at, transport) = fields.next_required("transport")?;
        let transport: Transport = transport
            .parse()
            .map_err(|_| CandidateParseError::Invalid {
                field: "transport",
                column: at,
            })?;
        let (at, priority) = fields.next_required("priority")?;
        let priority: u32 =
            priority
                .parse()
                .ok()
                .filter(|p| *p != 0)
                .ok_or(CandidateParseError::Invalid {
                    field: "priority",
                    column: at,
                })?;
        let (addr_at, addr) = fields.next_required("connection-address")?;
        let (at, port) = fields.next_required("port")?;
        let port: u16 = port.parse().map_err(|_| CandidateParseError::Invalid {
            field: "port",
            column: at,
        })?;
        let (ip, hostname) = match addr.parse::<IpAddr>() {
            Ok(ip) => (ip, None),
            Err(_) => {
                let valid = !addr.is_empty()
                    && addr.len() <= 253
                    && addr
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
                if !valid {
                    return Err(CandidateParseError::Invalid {
                        field: "connection-address",
                        column: addr_at,
                    });
                }
                (IpAddr::V4(Ipv4Addr::UNSPECIFIED), Some(addr.to_owned()))
            }
        };
        let (at, typ) = fields.next_required("typ")?;
        if typ != "typ" {
            return Err(CandidateParseError::Invalid {
                field: "typ",
                column: at,
            });
        }
        let (at, kind) = fields.next_required("candidate-type")?;
        let kind = match kind {
            "host" => CandidateKind::Host,
            "srflx" => CandidateKind::ServerReflexive,
            "prflx" => CandidateKind::PeerReflexive,
            "relay" => CandidateKind::Relayed,
            _ => {
                return Err(CandidateParseError::Invalid {
                    field: "candidate-type",
                    column: at,
                })
            }
        };
        let mut raddr: Option<IpAddr> = None;
        let mut rport: Option<u16> = None;
        let mut tcptype: Option<String> = None;
        // Extension attributes come in name/value pairs; only raddr/rport are used.
        while let Some((at, name)) = fields.next() {
            let (vat, val) = fields.next_required("extension value")?;
            match name {
                "raddr" => {
                    raddr = Some(val.parse().map_err(|_| CandidateParseError::Invalid {
                        field: "raddr",
                        column: vat,
                    })?);
                }
                "rport" => {
                    rport = Some(val.parse().map_err(|_| CandidateParseError::Invalid {
                        field: "rport",
                        column: vat,
                    })?);
                }
                "tcptype" if transport == Transport::Tcp && tcptype.is_none() => {
                    if !val.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        return Err(CandidateParseError::Invalid {
                            field: "tcptype",
                            column: vat,
                        });
                    }
                    tcptype = Some(val.to_owned());
                }
                _ => {
                    let _ = at;
                }
            }
        }
        let address = SocketAddr::new(ip, port);
        Ok(Self {
            foundation: foundation.to_owned(),
            component,
            transport,
            priority,
            address,
            kind,
            related: raddr.map(|ip| SocketAddr::new(ip, rport.unwrap_or(0))),
            base: address,
            hostname,
            tcptype,
        })
    }
}

struct Fields<'a> {
    rest: &'a str,
    offset: usize,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let trimmed = self.rest.trim_start_matches(' ');
        self.offset += self.rest.len() - trimmed.len();
        if trimmed.is_empty() {
            self.rest = trimmed;
            return None;
        }
        let end = trimmed.find(' ').unwrap_or(trimmed.len());
        let at = self.offset;
        self.rest = &trimmed[end..];
        self.offset += end;
        Some((at + 1, &trimmed[..end]))
    }

    fn next_required(
        &mut self,
        field: &'static str,
    ) -> Result<(usize, &'a str), CandidateParseError> {
        let column = self.offset + 1;
        self.next()
            .ok_or(CandidateParseError::Missing { field, column })
    }
}

impl fmt::Display for Candidate {
    /// Writes the `a=candidate` value without the `candidate:` prefix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} ",
            self.foundation, self.component, self.transport, self.priority
        )?;
        match &self.hostname {
            Some(name) => write!(f, "{name}")?,
            None => write!(f, "{}", self.address.ip())?,
        }
        write!(f, " {} typ {}", self.address.port(), self.kind)?;
        if let Some(r) = self.related {
            write!(f, " raddr {} rport {}", r.ip(), r.port())?;
        }
        if let (Transport::Tcp, Some(t)) = (self.transport, &self.tcptype) {
            write!(f, " tcptype {t}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_formula_rfc_8445() {
        // 2^24 * 126 + 2^8 * 65535 + 255 = 2130706431, the classic host priority.
        assert_eq!(
            candidate_priority(CandidateKind::Host, 65535, 1),
            2_130_706_431
        );
        assert_eq!(candidate_priority(CandidateKind::Relayed, 0, 1), 255);
        assert_eq!(
            candidate_priority(CandidateKind::ServerReflexive, 10, 2),
            (100 << 24) + (10 << 8) + 254
        );
    }

    #[test]
    fn rfc_8421_interleaves_families() {
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        let order = [
            local_preference(v6, 0),
            local_preference(v4, 0),
            local_preference(v6, 1),
            local_preference(v4, 1),
        ];
        assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
        let ll: IpAddr = "fe80::1".parse().unwrap();
        assert!(local_preference(ll, 0) < local_preference(v4, 3));
    }

    #[test]
    fn parse_and_display_round_trip() {
        let s = "842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 10.0.0.2 rport 5000 generation 0";
        let c = Candidate::parse(s).unwrap();
        assert_eq!(c.kind(), CandidateKind::ServerReflexive);
        assert_eq!(c.priority(), 1_677_729_535);
        assert_eq!(c.related_address(), Some("10.0.0.2:5000".parse().unwrap()));
        let again = Candidate::parse(&c.to_string()).unwrap();
        assert_eq!(again, c);
        let v6 = Candidate::parse("a 1 UDP 5 ::1 9 typ host").unwrap();
        assert_eq!(v6.address(), "[::1]:9".parse().unwrap());
    }

    #[test]
    fn tcp_candidates_keep_their_tcptype() {
        let s = "1734767474 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0";
        let c = Candidate::parse(s).unwrap();
        assert_eq!(c.transport(), Transport::Tcp);
        assert_eq!(
            c.to_string(),
            "1734767474 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active"
        );
    }

    #[test]
    fn mdns_candidate_keeps_hostname() {
        let c =
            Candidate::parse("1 1 udp 2122260223 3f2a1c2e-9f1b-4c8e.local 54400 typ host").unwrap();
        assert_eq!(c.hostname(), Some("3f2a1c2e-9f1b-4c8e.local"));
        assert!(c.to_string().contains("3f2a1c2e-9f1b-4c8e.local 54400"));
    }

    #[test]
    fn errors_name_field_and_column() {
        assert_eq!(
            Candidate::parse("1 1 udp 100 10.0.0.1 port typ host"),
            Err(CandidateParseError::Invalid {
                field: "port",
                column: 22
            })
        );
        assert_eq!(
            Candidate::parse("candidate:1 1 udp 100"),
            Err(CandidateParseError::Missing {
                field: "connection-address",
                column: 22
            })
        );
        assert!(matches!(
            Candidate::parse("1 1 udp 100 1.2.3.4 5 typ bogus"),
            Err(CandidateParseError::Invalid {
                field: "candidate-type",
                ..
            })
        ));
        assert!(Candidate::parse("1 1 udp 100 bad_host! 5 typ host").is_err());
    }
}
