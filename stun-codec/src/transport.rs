//! The transport protocol under STUN, TURN and ICE: one type for the codec, the ICE agent's
//! candidates and the capture reader.

use core::fmt;
use core::str::FromStr;

/// The transport a STUN message, a ChannelData message or an ICE candidate travels over.
///
/// UDP (and DTLS over UDP) carries one message per datagram; TCP (and TLS over TCP) is a
/// byte stream, over which STUN and ChannelData messages are framed by their own lengths and
/// ChannelData is padded to a multiple of 4 bytes ([RFC 8656 §12.5]). ICE-TCP candidates
/// ([RFC 6544]) and `REQUESTED-TRANSPORT` name the same two.
///
/// [RFC 8656 §12.5]: https://www.rfc-editor.org/rfc/rfc8656#section-12.5
/// [RFC 6544]: https://www.rfc-editor.org/rfc/rfc6544
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transport {
    /// UDP, or DTLS over UDP: datagrams.
    Udp,
    /// TCP, or TLS over TCP: a byte stream.
    Tcp,
}

impl Transport {
    /// `"udp"` or `"tcp"`, as SDP candidates ([RFC 8839 §5.1]) and TURN URIs write them.
    ///
    /// [RFC 8839 §5.1]: https://www.rfc-editor.org/rfc/rfc8839#section-5.1
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Udp => "udp",
            Self::Tcp => "tcp",
        }
    }

    /// Whether messages are framed in a byte stream (TCP) rather than sent one per datagram.
    #[must_use]
    pub const fn is_stream(self) -> bool {
        matches!(self, Self::Tcp)
    }

    /// The IANA protocol number (17 for UDP, 6 for TCP), as carried by
    /// `REQUESTED-TRANSPORT` ([RFC 8656 §18.7]).
    ///
    /// [RFC 8656 §18.7]: https://www.rfc-editor.org/rfc/rfc8656#section-18.7
    #[must_use]
    pub const fn protocol_number(self) -> u8 {
        match self {
            Self::Udp => 17,
            Self::Tcp => 6,
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of [`Transport::from_str`]: neither `udp` nor `tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown transport (expected udp or tcp)")]
#[non_exhaustive]
pub struct TransportParseError;

impl FromStr for Transport {
    type Err = TransportParseError;

    /// `udp` or `tcp`, case-insensitive ([RFC 8839 §5.1]: "transport ... is
    /// case-insensitive").
    ///
    /// [RFC 8839 §5.1]: https://www.rfc-editor.org/rfc/rfc8839#section-5.1
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("udp") {
            Ok(Self::Udp)
        } else if s.eq_ignore_ascii_case("tcp") {
            Ok(Self::Tcp)
        } else {
            Err(TransportParseError)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!("UDP".parse(), Ok(Transport::Udp));
        assert_eq!("tCp".parse(), Ok(Transport::Tcp));
        assert_eq!("sctp".parse::<Transport>(), Err(TransportParseError));
        assert_eq!(Transport::Tcp.to_string(), "tcp");
        assert_eq!(Transport::Udp.protocol_number(), 17);
        assert_eq!(Transport::Tcp.protocol_number(), 6);
        assert!(Transport::Tcp.is_stream() && !Transport::Udp.is_stream());
    }
}
