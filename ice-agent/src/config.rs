//! Agent configuration: every RFC timer as a value with the RFC default.

use core::time::Duration;
use std::net::SocketAddr;

use crate::error::IceError;

/// Configuration of an [`IceAgent`](crate::IceAgent).
///
/// `IceConfig::default()` gives the defaults of the RFCs; each field names the section it
/// comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IceConfig {
    /// This agent's proposal for the pacing interval `Ta` between new STUN transactions
    /// (checks and gathering requests), signalled to the peer as `a=ice-pacing`
    /// ([RFC 8839 §5.5], see [`IceAgent::local_pacing`](crate::IceAgent::local_pacing)).
    ///
    /// [RFC 8445 §14.2] sets a 50 ms default and lets an agent "use another value based on
    /// the characteristics of the associated data"; this crate proposes 15 ms, so that a
    /// check list of 100 pairs is worked through in 1.5 s. The agent paces with the larger
    /// of this proposal and the peer's, where a peer that proposed nothing counts as 50 ms
    /// (see [`IceAgent::set_remote_pacing`](crate::IceAgent::set_remote_pacing)): facing an
    /// implementation that does not signal `a=ice-pacing` the agent runs at 50 ms.
    ///
    /// Never below 5 ms ([`IceConfig::MIN_TA`]): [`IceConfig::with_ta`] refuses smaller
    /// values, and [`IceAgent::new`](crate::IceAgent::new) raises a smaller field value to
    /// 5 ms (and lowers one above 9,999,999,999 ms, the largest `a=ice-pacing` value). RFC 8445 §14.2 also asks that all agents of one process together start no
    /// more than one transaction per 5 ms on average; agents are sans-IO and cannot see
    /// each other, so an application running many agents keeps to that itself (for
    /// example by proposing `Ta` = 5 ms × the number of agents checking at once).
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    pub ta: Duration,
    /// Initial retransmission timeout of a STUN transaction ([RFC 8489 §6.2.1]: 500 ms for
    /// ICE checks, [RFC 8445 §14.3]).
    ///
    /// [RFC 8489 §6.2.1]: https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1
    /// [RFC 8445 §14.3]: https://www.rfc-editor.org/rfc/rfc8445#section-14.3
    pub initial_rto: Duration,
    /// How many requests a STUN transaction sends in total (`Rc`, [RFC 8489 §6.2.1]: 7).
    ///
    /// [RFC 8489 §6.2.1]: https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1
    pub max_requests: u32,
    /// After the last request, wait `Rm` times the initial RTO for a response before
    /// failing the transaction ([RFC 8489 §6.2.1]: 16).
    ///
    /// [RFC 8489 §6.2.1]: https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1
    pub last_request_wait_factor: u32,
    /// Maximum number of candidate pairs in the check list; the lowest-priority pairs are
    /// dropped beyond it ([RFC 8445 §6.1.2.5]: 100).
    ///
    /// [RFC 8445 §6.1.2.5]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.5
    pub max_pairs: usize,
    /// How long the controlling agent waits, after its first pair becomes valid, for a
    /// higher-priority pair to succeed before it nominates the best valid pair
    /// ([RFC 8445 §8.1.1] leaves the stopping criterion to the implementation). The agent
    /// nominates at once when no higher-priority pair is still pending.
    ///
    /// [RFC 8445 §8.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-8.1.1
    pub nomination_delay: Duration,
    /// Whether consent freshness ([RFC 7675]) runs on the selected pair. On by default.
    ///
    /// [RFC 7675]: https://www.rfc-editor.org/rfc/rfc7675
    pub consent_freshness: bool,
    /// Base interval between consent checks; each interval is drawn uniformly from
    /// 0.8 to 1.2 times this value ([RFC 7675 §5.1]: 5 s, so 4 to 6 s).
    ///
    /// [RFC 7675 §5.1]: https://www.rfc-editor.org/rfc/rfc7675#section-5.1
    pub consent_interval: Duration,
    /// Consent is lost when no consent check has been answered for this long
    /// ([RFC 7675 §5.1]: 30 s).
    ///
    /// [RFC 7675 §5.1]: https://www.rfc-editor.org/rfc/rfc7675#section-5.1
    pub consent_timeout: Duration,
    /// Compatibility switch: put USE-CANDIDATE on consent checks, for ice-lite servers that
    /// expect every check from the controlling agent to carry it. Off by default.
    pub consent_use_candidate: bool,
    /// The connection state becomes `Disconnected` when the selected pair has had no
    /// answered check for this long (no RFC value; long enough that a single lost consent
    /// check and its retransmissions do not flap the state).
    pub disconnected_timeout: Duration,
    /// Keepalive interval `Tr` on the selected pair when consent freshness is off
    /// ([RFC 8445 §11]: 15 s).
    ///
    /// [RFC 8445 §11]: https://www.rfc-editor.org/rfc/rfc8445#section-11
    pub keepalive_interval: Duration,
    /// Run as an ice-lite agent ([RFC 8445 §2.5]): host candidates only, no checks of its
    /// own, always controlled.
    ///
    /// [RFC 8445 §2.5]: https://www.rfc-editor.org/rfc/rfc8445#section-2.5
    pub lite: bool,
    /// STUN servers to gather server-reflexive candidates from ([RFC 8445 §5.1.1.2]).
    ///
    /// [RFC 8445 §5.1.1.2]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.2
    pub stun_servers: Vec<SocketAddr>,
    /// TURN servers to allocate relayed candidates on ([RFC 8656], UDP to the server).
    ///
    /// [RFC 8656]: https://www.rfc-editor.org/rfc/rfc8656
    pub turn_servers: Vec<TurnServer>,
    /// Lifetime asked for in TURN Allocate and Refresh requests ([RFC 8656 §7.2]: the
    /// default is 600 s); the allocation is refreshed a minute before it expires.
    ///
    /// [RFC 8656 §7.2]: https://www.rfc-editor.org/rfc/rfc8656#section-7.2
    pub turn_lifetime: Duration,
    /// Use relayed candidates only (the W3C `iceTransportPolicy: "relay"`): host
    /// candidates serve as bases for TURN allocations but are neither signalled nor
    /// checked, and no server-reflexive candidates are gathered.
    pub relay_only: bool,
}

/// A TURN server with long-term credentials ([RFC 8489 §9.2]).
///
/// [RFC 8489 §9.2]: https://www.rfc-editor.org/rfc/rfc8489#section-9.2
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnServer {
    /// The server's UDP address.
    pub address: SocketAddr,
    /// The long-term username.
    pub username: String,
    /// The long-term password.
    pub password: String,
}

impl Default for IceConfig {
    fn default() -> Self {
        Self {
            ta: Self::PROPOSED_TA,
            initial_rto: Duration::from_millis(500),
            max_requests: 7,
            last_request_wait_factor: 16,
            max_pairs: 100,
            nomination_delay: Duration::from_millis(500),
            consent_freshness: true,
            consent_interval: Duration::from_secs(5),
            consent_timeout: Duration::from_secs(30),
            consent_use_candidate: false,
            disconnected_timeout: Duration::from_secs(8),
            keepalive_interval: Duration::from_secs(15),
            lite: false,
            stun_servers: Vec::new(),
            turn_servers: Vec::new(),
            turn_lifetime: Duration::from_secs(600),
            relay_only: false,
        }
    }
}

impl IceConfig {
    /// The `Ta` this crate proposes by default: 15 ms ([RFC 8445 §14.2] allows values
    /// other than the default based on the characteristics of the data).
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    pub const PROPOSED_TA: Duration = Duration::from_millis(15);

    /// The `Ta` that counts for an agent that proposes none: 50 ms ([RFC 8445 §14.2],
    /// and the `a=ice-pacing` default of [RFC 8839 §5.5]).
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    pub const DEFAULT_TA: Duration = Duration::from_millis(50);

    /// The smallest `Ta` an agent may use: 5 ms ([RFC 8445 §14.2]).
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    pub const MIN_TA: Duration = Duration::from_millis(5);

    /// This configuration proposing `ta` as the pacing interval; a value below
    /// [`MIN_TA`](Self::MIN_TA) (5 ms, [RFC 8445 §14.2]) is refused with
    /// [`IceError::PacingBelowMinimum`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use ice_agent::{IceConfig, IceError};
    /// let c = IceConfig::default().with_ta(Duration::from_millis(20)).unwrap();
    /// assert_eq!(c.ta, Duration::from_millis(20));
    /// assert_eq!(
    ///     IceConfig::default().with_ta(Duration::from_millis(2)),
    ///     Err(IceError::PacingBelowMinimum(Duration::from_millis(2)))
    /// );
    /// ```
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    pub fn with_ta(self, ta: Duration) -> Result<Self, IceError> {
        if ta < Self::MIN_TA {
            return Err(IceError::PacingBelowMinimum(ta));
        }
        Ok(Self { ta, ..self })
    }

    /// The default configuration of an ice-lite agent.
    #[must_use]
    pub fn lite() -> Self {
        Self {
            lite: true,
            ..Self::default()
        }
    }

    /// The time a transaction with `requests` requests sent so far waits before the next
    /// step: `RTO * 2^(n-1)` between requests, `Rm * RTO` after the last one
    /// ([RFC 8489 §6.2.1]).
    ///
    /// [RFC 8489 §6.2.1]: https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1
    pub(crate) fn retransmit_wait(&self, rto: Duration, requests: u32) -> Duration {
        if requests >= self.max_requests {
            rto.saturating_mul(self.last_request_wait_factor)
        } else {
            rto.saturating_mul(1u32 << requests.saturating_sub(1).min(16))
        }
    }
}

/// Parses an `a=ice-pacing` value ([RFC 8839 §5.5]: `pacing-value = 1*10DIGIT`, in
/// milliseconds), for [`IceAgent::set_remote_pacing`](crate::IceAgent::set_remote_pacing).
///
/// ```
/// use std::time::Duration;
/// use ice_agent::{parse_ice_pacing, IceError};
/// assert_eq!(parse_ice_pacing("15"), Ok(Duration::from_millis(15)));
/// assert_eq!(parse_ice_pacing("1x"), Err(IceError::InvalidPacing { column: 2 }));
/// ```
///
/// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
pub fn parse_ice_pacing(value: &str) -> Result<Duration, IceError> {
    let mut ms: u64 = 0;
    for (i, b) in value.bytes().enumerate() {
        if !b.is_ascii_digit() {
            return Err(IceError::InvalidPacing { column: i + 1 });
        }
        if i == 10 {
            return Err(IceError::InvalidPacing { column: 11 });
        }
        ms = ms * 10 + u64::from(b - b'0');
    }
    if value.is_empty() {
        return Err(IceError::InvalidPacing { column: 1 });
    }
    Ok(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_8489_retransmission_schedule() {
        // RFC 8489 §6.2.1: with RTO 500 ms and Rc 7, requests go out at 0, 500, 1500, 3500,
        // 7500, 15500 and 31500 ms, and the transaction fails at 39500 ms.
        let c = IceConfig::default();
        let rto = c.initial_rto;
        let mut t = Duration::ZERO;
        let mut sent_at = vec![t];
        for n in 1..=c.max_requests {
            t += c.retransmit_wait(rto, n);
            sent_at.push(t);
        }
        let ms: Vec<u128> = sent_at.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 500, 1500, 3500, 7500, 15500, 31500, 39500]);
    }

    #[test]
    fn ice_pacing_values() {
        assert_eq!(parse_ice_pacing("0"), Ok(Duration::ZERO));
        assert_eq!(parse_ice_pacing("50"), Ok(Duration::from_millis(50)));
        assert_eq!(
            parse_ice_pacing("9999999999"),
            Ok(Duration::from_millis(9_999_999_999))
        );
        assert_eq!(
            parse_ice_pacing("12345678901"),
            Err(IceError::InvalidPacing { column: 11 })
        );
        assert_eq!(
            parse_ice_pacing(""),
            Err(IceError::InvalidPacing { column: 1 })
        );
        assert_eq!(
            parse_ice_pacing(" 5"),
            Err(IceError::InvalidPacing { column: 1 })
        );
        assert_eq!(
            parse_ice_pacing("-5"),
            Err(IceError::InvalidPacing { column: 1 })
        );
    }

    #[test]
    fn ta_floor() {
        let c = IceConfig::default();
        assert_eq!(c.ta, IceConfig::PROPOSED_TA);
        assert!(c.clone().with_ta(IceConfig::MIN_TA).is_ok());
        assert_eq!(
            c.with_ta(Duration::from_micros(4999)),
            Err(IceError::PacingBelowMinimum(Duration::from_micros(4999)))
        );
    }
}
