//! The ICE agent state machine ([RFC 8445]).
//!
//! [RFC 8445]: https://www.rfc-editor.org/rfc/rfc8445

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::candidate::{candidate_priority, local_preference, Candidate, CandidateKind, Transport};
use crate::config::IceConfig;
use crate::error::IceError;
use crate::stun::{self, Class, RequestAttrs, StunKey};

mod turn;
use turn::{AllocState, Allocation, TurnOp};

/// The role of an agent ([RFC 8445 §6.1.1]).
///
/// [RFC 8445 §6.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.1
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IceRole {
    /// The agent that nominates the selected pair.
    Controlling,
    /// The agent that follows the controlling agent's nomination.
    Controlled,
}

/// The connection state, with the meanings of the W3C `RTCIceConnectionState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// Gathering or waiting for remote candidates; no check has been made.
    New,
    /// Remote candidates are known and checks are running; no pair works yet.
    Checking,
    /// A working pair exists; checks or gathering may still be going on.
    Connected,
    /// A pair is selected, gathering has finished on both sides and no check is pending.
    Completed,
    /// Every pair failed after both sides ended their candidates, or consent was lost
    /// ([RFC 7675 §5.1]).
    ///
    /// [RFC 7675 §5.1]: https://www.rfc-editor.org/rfc/rfc7675#section-5.1
    Failed,
    /// The selected pair has not been confirmed for a while; it may come back.
    Disconnected,
    /// The agent was closed.
    Closed,
}

/// The state of a candidate pair ([RFC 8445 §6.1.2.6]).
///
/// [RFC 8445 §6.1.2.6]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.6
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PairState {
    /// Not checked yet; waits for a pair of its foundation to be unfrozen.
    Frozen,
    /// Will be checked when the pacer gets to it.
    Waiting,
    /// A check is in flight.
    InProgress,
    /// A check succeeded.
    Succeeded,
    /// A check failed or timed out.
    Failed,
}

/// ICE credentials ([RFC 8445 §5.3], [RFC 8839 §5.4]).
///
/// [RFC 8445 §5.3]: https://www.rfc-editor.org/rfc/rfc8445#section-5.3
/// [RFC 8839 §5.4]: https://www.rfc-editor.org/rfc/rfc8839#section-5.4
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The username fragment (`ice-ufrag`).
    pub ufrag: String,
    /// The password (`ice-pwd`).
    pub pwd: String,
}

impl Credentials {
    /// Credentials after checking them against [RFC 8839 §5.4]: a ufrag of 4 to 256 and a
    /// password of 22 to 256 ice-chars (`ALPHA / DIGIT / "+" / "/"`).
    ///
    /// [RFC 8839 §5.4]: https://www.rfc-editor.org/rfc/rfc8839#section-5.4
    pub fn new(ufrag: &str, pwd: &str) -> Result<Self, IceError> {
        let ice_chars = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        };
        if !(4..=256).contains(&ufrag.len())
            || !(22..=256).contains(&pwd.len())
            || !ice_chars(ufrag)
            || !ice_chars(pwd)
        {
            return Err(IceError::InvalidCredentials);
        }
        Ok(Self {
            ufrag: ufrag.to_owned(),
            pwd: pwd.to_owned(),
        })
    }

    fn random(rng: &mut ChaCha20Rng) -> Self {
        const CHARS: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut pick = |n: usize| -> String {
            (0..n)
                .map(|_| CHARS[(rng.next_u32() & 63) as usize] as char)
                .collect()
        };
        // 8 ufrag characters (48 bits) and 24 password characters (144 bits) exceed the
        // 24 and 128 bits of randomness RFC 8445 §5.3 asks for.
        let ufrag = pick(8);
        let pwd = pick(24);
        Self { ufrag, pwd }
    }
}

/// A datagram received on one of the agent's candidates.
#[derive(Debug, Clone, Copy)]
pub struct Receive<'a> {
    /// Where it came from.
    pub source: SocketAddr,
    /// The local address it arrived on (the base of a local candidate).
    pub destination: SocketAddr,
    /// Its bytes.
    pub data: &'a [u8],
}

/// What [`IceAgent::handle_receive`] made of a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received<'a> {
    /// STUN or TURN traffic for the agent, consumed (including messages silently dropped
    /// for bad integrity or an unknown transaction).
    Consumed,
    /// Application data from `peer`: the datagram itself, or its payload when it came
    /// through a TURN relay (ChannelData or a Data indication).
    Data {
        /// The remote transport address that sent it.
        peer: SocketAddr,
        /// The payload.
        data: &'a [u8],
    },
}

/// A datagram the agent wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// The local address to send from (the base of a local candidate).
    pub source: SocketAddr,
    /// Where to send it.
    pub destination: SocketAddr,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// Where a datagram written by [`IceAgent::send_data_into`] goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The local address to send from (the base of a local candidate).
    pub source: SocketAddr,
    /// Where to send it (the remote candidate, or the TURN server).
    pub destination: SocketAddr,
}

/// Something the caller should know about; see [`IceAgent::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IceEvent {
    /// A local candidate the agent found (server-reflexive or relayed); signal it to the
    /// peer (trickle, [RFC 8838]).
    ///
    /// [RFC 8838]: https://www.rfc-editor.org/rfc/rfc8838
    LocalCandidate(Candidate),
    /// Gathering finished after [`IceAgent::end_of_local_candidates`]: signal
    /// end-of-candidates to the peer.
    GatheringComplete,
    /// The connection state changed.
    ConnectionStateChange(ConnectionState),
    /// A pair was selected (nominated); application data goes from `local.base()` to
    /// `remote.address()`.
    SelectedPair {
        /// The local candidate of the selected pair.
        local: Candidate,
        /// The remote candidate of the selected pair.
        remote: Candidate,
    },
    /// The role changed after a role conflict ([RFC 8445 §7.3.1.1]).
    ///
    /// [RFC 8445 §7.3.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.1
    RoleChange(IceRole),
    /// Consent to send on the selected pair expired ([RFC 7675 §5.1]): stop sending.
    ///
    /// [RFC 7675 §5.1]: https://www.rfc-editor.org/rfc/rfc7675#section-5.1
    ConsentLost,
    /// A remote candidate names an mDNS host; resolve it and call
    /// [`IceAgent::resolve_mdns`].
    ResolveMdns {
        /// The `.local` name to resolve.
        hostname: String,
    },
}

/// A read-only view of a candidate pair, from [`IceAgent::pairs`].
#[derive(Debug, Clone, Copy)]
pub struct CandidatePair<'a> {
    /// The local candidate.
    pub local: &'a Candidate,
    /// The remote candidate.
    pub remote: &'a Candidate,
    /// The pair priority ([RFC 8445 §6.1.2.3]).
    ///
    /// [RFC 8445 §6.1.2.3]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.3
    pub priority: u64,
    /// The check state.
    pub state: PairState,
    /// Whether the pair is in the valid list.
    pub valid: bool,
    /// Whether the pair is nominated.
    pub nominated: bool,
}

/// Pair priority ([RFC 8445 §6.1.2.3]): `2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)`, where `G`
/// is the controlling agent's candidate priority and `D` the controlled agent's.
///
/// [RFC 8445 §6.1.2.3]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.3
#[must_use]
pub fn pair_priority(controlling: u32, controlled: u32) -> u64 {
    let (g, d) = (u64::from(controlling), u64::from(controlled));
    (g.min(d) << 32) + 2 * g.max(d) + u64::from(g > d)
}

#[derive(Debug, Clone)]
struct Pair {
    id: u32,
    local: usize,
    remote: usize,
    priority: u64,
    state: PairState,
    valid: bool,
    nominated: bool,
    /// Controlled side: USE-CANDIDATE arrived before this pair succeeded.
    nominate_on_success: bool,
    /// Controlling side: the next check on this pair carries USE-CANDIDATE.
    use_candidate: bool,
    /// The valid pair a success on this pair produced ([RFC 8445 §7.2.5.3.2]).
    valid_pair: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyRef {
    None,
    Remote,
    Turn(usize),
}

#[derive(Debug, Clone, Copy)]
enum TxKind {
    Check {
        pair: u32,
        use_candidate: bool,
        controlling: bool,
        priority: u32,
    },
    Gather {
        index: usize,
    },
    Turn {
        alloc: usize,
        op: TurnOp,
    },
}

#[derive(Debug)]
struct Transaction {
    id: [u8; 12],
    kind: TxKind,
    key: KeyRef,
    source: SocketAddr,
    destination: SocketAddr,
    request: Vec<u8>,
    rto: Duration,
    requests: u32,
    max_requests: u32,
    next_at: Instant,
    /// Cancelled transactions ([RFC 8445 §7.3.1.4]) no longer retransmit and do not fail
    /// their pair on timeout, but still accept a response.
    cancelled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GatherState {
    Pending,
    InFlight,
    Done,
}

#[derive(Debug, Clone)]
struct Gather {
    base: SocketAddr,
    server: SocketAddr,
    state: GatherState,
}

#[derive(Debug, Clone)]
struct Selected {
    pair: Option<u32>,
    /// The pair's candidates, boxed: only queries need them; checks use the copies below.
    candidates: Box<(Candidate, Candidate)>,
    local_base: SocketAddr,
    remote_addr: SocketAddr,
    local_priority: u32,
    /// USERNAME for checks on this pair (`remote ufrag:local ufrag`).
    username: Username,
    key: StunKey,
    /// Consent: when the next check goes out (full agents only).
    next_check: Option<Instant>,
    /// The consent check in flight, kept here rather than among the transactions so that
    /// a consent round touches only the selected pair's state.
    consent: Option<ConsentTx>,
    /// Consent expires at this instant unless refreshed ([RFC 7675 §5.1]).
    expires: Instant,
    /// The last time the peer proved it is there (a response, or for a lite agent a
    /// request).
    last_seen: Instant,
    keepalive_at: Option<Instant>,
}

/// A consent check in flight on the selected pair (RFC 7675 §5.1); its request is written
/// again from the pair's state for a retransmission rather than kept.
#[derive(Debug, Clone, Copy)]
struct ConsentTx {
    id: [u8; 12],
    requests: u32,
    next_at: Instant,
}

/// The USERNAME of checks on the selected pair, inline when it fits (the common case:
/// ufrags of 4 to 32 characters), so that a consent check does not chase a heap pointer.
#[derive(Debug, Clone)]
enum Username {
    Inline { len: u8, bytes: [u8; 62] },
    Heap(Box<str>),
}

impl Username {
    fn new(remote_ufrag: &str, local_ufrag: &str) -> Self {
        let len = remote_ufrag.len() + 1 + local_ufrag.len();
        if len > 62 {
            return Self::Heap(format!("{remote_ufrag}:{local_ufrag}").into_boxed_str());
        }
        let mut bytes = [0u8; 62];
        let r = remote_ufrag.len();
        bytes[..r].copy_from_slice(remote_ufrag.as_bytes());
        bytes[r] = b':';
        bytes[r + 1..len].copy_from_slice(local_ufrag.as_bytes());
        Self::Inline {
            len: len as u8,
            bytes,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Built from two `str`s and an ASCII colon, so always UTF-8.
            Self::Inline { len, bytes } => {
                core::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Self::Heap(s) => s,
        }
    }
}

/// A ufrag kept inline for the per-check comparison, so that answering a check does not
/// chase a heap pointer (ufrags longer than the buffer fall back to the `String`).
#[derive(Debug, Clone, Copy, Default)]
struct InlineUfrag {
    len: u8,
    bytes: [u8; 23],
}

impl InlineUfrag {
    fn new(s: &str) -> Self {
        let mut u = Self::default();
        if s.len() <= u.bytes.len() {
            u.len = s.len() as u8;
            u.bytes[..s.len()].copy_from_slice(s.as_bytes());
        } else {
            u.len = u8::MAX;
        }
        u
    }

    /// Whether `candidate` equals the ufrag, `full` being its `String` form.
    fn matches(&self, candidate: &str, full: &str) -> bool {
        if self.len == u8::MAX {
            return candidate == full;
        }
        candidate.as_bytes() == &self.bytes[..usize::from(self.len)]
    }
}

#[derive(Debug, Clone)]
struct EarlyCheck {
    source: SocketAddr,
    destination: SocketAddr,
    priority: u32,
    use_candidate: bool,
}

/// A sans-IO ICE agent for one data stream with one component.
///
/// # Driving the agent
///
/// The caller owns the sockets and the clock:
///
/// 1. feed every received STUN datagram to [`handle_receive`](Self::handle_receive);
/// 2. after any call, drain [`poll_transmit`](Self::poll_transmit) until `None` and send
///    each datagram, and drain [`poll_event`](Self::poll_event) until `None`;
/// 3. call [`handle_timeout`](Self::handle_timeout) when the instant from
///    [`poll_timeout`](Self::poll_timeout) is reached (it may already be in the past right
///    after a signalling call: call it at once then), and drain again.
///
/// Signalling calls ([`add_remote_candidate`](Self::add_remote_candidate),
/// [`set_remote_credentials`](Self::set_remote_credentials), ...) take no time; work they
/// make possible happens on the next `handle_timeout`.
#[derive(Debug)]
pub struct IceAgent {
    config: IceConfig,
    rng: ChaCha20Rng,
    role: IceRole,
    tie_breaker: u64,
    local_creds: Credentials,
    local_ufrag: InlineUfrag,
    local_key: StunKey,
    remote_creds: Option<Credentials>,
    remote_ufrag: InlineUfrag,
    /// Boxed: needed while checking, not for consent (keeps the agent's hot fields close).
    remote_key: Option<Box<StunKey>>,
    remote_lite: bool,
    /// The peer's proposed Ta (`a=ice-pacing`), if it signalled one.
    remote_ta: Option<Duration>,
    /// The Ta in force: the larger of ours and the peer's (50 ms when it proposed none).
    ta: Duration,
    local: Vec<Candidate>,
    host_counts: [usize; 2],
    foundations: Vec<(CandidateKind, IpAddr, Option<IpAddr>)>,
    local_ended: bool,
    gathering_complete_sent: bool,
    gathers: Vec<Gather>,
    allocations: Vec<Allocation>,
    remote: Vec<Candidate>,
    unresolved: Vec<Candidate>,
    remote_ended: bool,
    prflx_count: u32,
    pairs: Vec<Pair>,
    next_pair_id: u32,
    triggered: VecDeque<u32>,
    transactions: Vec<Transaction>,
    early_checks: Vec<EarlyCheck>,
    selected: Option<Selected>,
    /// After a restart the old selected pair stays in use until a new pair is selected.
    restarting: bool,
    /// During a restart: the previous local ufrag and key, still answering checks on the
    /// old selected pair.
    old_local: Option<Box<(String, StunKey)>>,
    nominating: Option<u32>,
    first_valid_at: Option<Instant>,
    /// When the last paced transaction slot was used; the next one is `ta` later.
    last_paced: Option<Instant>,
    state: ConnectionState,
    failed: bool,
    disconnected: bool,
    closed: bool,
    events: VecDeque<IceEvent>,
    /// The oldest pending datagram, kept inline (the common case is one at a time);
    /// later ones queue behind it in `transmits`.
    transmit_head: Option<Transmit>,
    transmits: VecDeque<Transmit>,
    now: Instant,
}

const MAX_EARLY_CHECKS: usize = 16;
/// The largest Ta `a=ice-pacing` can express (10 digits of milliseconds, RFC 8839 §5.5).
const MAX_TA: Duration = Duration::from_millis(9_999_999_999);
const MAX_REMOTE_CANDIDATES: usize = 256;
const MAX_LOCAL_CANDIDATES: usize = 64;
/// Consent checks retransmit a few times (500 ms, 1 s, 2 s), so that one lost datagram
/// costs half a second rather than a whole consent interval.
const CONSENT_MAX_REQUESTS: u32 = 4;

impl IceAgent {
    /// A new agent with random credentials and tie-breaker drawn from `seed`.
    ///
    /// Everything random the agent does (credentials, tie-breaker, transaction IDs,
    /// consent intervals) comes from a ChaCha20 generator seeded with `seed`, so a run is
    /// replayable: seed it from a cryptographic source in production (the credentials
    /// must be unguessable, [RFC 8445 §5.3]).
    ///
    /// [RFC 8445 §5.3]: https://www.rfc-editor.org/rfc/rfc8445#section-5.3
    #[must_use]
    pub fn new(config: IceConfig, role: IceRole, seed: [u8; 32], now: Instant) -> Self {
        let mut config = config;
        // Zero timers would make the agent spin; clamp them to something positive.
        let min = Duration::from_millis(1);
        config.ta = config.ta.clamp(IceConfig::MIN_TA, MAX_TA);
        config.initial_rto = config.initial_rto.max(min);
        config.max_requests = config.max_requests.clamp(1, 16);
        config.last_request_wait_factor = config.last_request_wait_factor.max(1);
        config.consent_interval = config.consent_interval.max(Duration::from_millis(10));
        config.keepalive_interval = config.keepalive_interval.max(Duration::from_millis(10));
        config.max_pairs = config.max_pairs.clamp(1, 1000);
        // No remote proposal yet: the peer counts as proposing the default (§14.2).
        let ta = config.ta.max(IceConfig::DEFAULT_TA);
        let mut rng = ChaCha20Rng::from_seed(seed);
        let local_creds = Credentials::random(&mut rng);
        let local_key = StunKey::new(&local_creds.pwd);
        let tie_breaker = rng.next_u64();
        let role = if config.lite {
            IceRole::Controlled
        } else {
            role
        };
        Self {
            config,
            rng,
            role,
            tie_breaker,
            local_ufrag: InlineUfrag::new(&local_creds.ufrag),
            local_creds,
            local_key,
            remote_creds: None,
            remote_ufrag: InlineUfrag::default(),
            remote_key: None,
            remote_lite: false,
            remote_ta: None,
            ta,
            local: Vec::new(),
            host_counts: [0; 2],
            foundations: Vec::new(),
            local_ended: false,
            gathering_complete_sent: false,
            gathers: Vec::new(),
            allocations: Vec::new(),
            remote: Vec::new(),
            unresolved: Vec::new(),
            remote_ended: false,
            prflx_count: 0,
            pairs: Vec::new(),
            next_pair_id: 0,
            triggered: VecDeque::new(),
            transactions: Vec::new(),
            early_checks: Vec::new(),
            selected: None,
            restarting: false,
            old_local: None,
            nominating: None,
            first_valid_at: None,
            last_paced: None,
            state: ConnectionState::New,
            failed: false,
            disconnected: false,
            closed: false,
            events: VecDeque::new(),
            transmit_head: None,
            transmits: VecDeque::new(),
            now,
        }
    }

    // ----------------------------------------------------------------------------------
    // Signalling side.

    /// The local credentials to signal.
    #[must_use]
    pub fn local_credentials(&self) -> &Credentials {
        &self.local_creds
    }

    /// Replaces the local credentials (for example with values from an existing offer).
    pub fn set_local_credentials(&mut self, creds: Credentials) -> Result<(), IceError> {
        let creds = Credentials::new(&creds.ufrag, &creds.pwd)?;
        self.local_key = StunKey::new(&creds.pwd);
        self.local_ufrag = InlineUfrag::new(&creds.ufrag);
        self.local_creds = creds;
        Ok(())
    }

    /// Sets the peer's credentials. Checks start once these and remote candidates are
    /// known; checks that arrived earlier are answered and replayed now ([RFC 8838 §11]).
    ///
    /// [RFC 8838 §11]: https://www.rfc-editor.org/rfc/rfc8838#section-11
    pub fn set_remote_credentials(&mut self, creds: Credentials) -> Result<(), IceError> {
        let creds = Credentials::new(&creds.ufrag, &creds.pwd)?;
        self.remote_key = Some(Box::new(StunKey::new(&creds.pwd)));
        self.remote_ufrag = InlineUfrag::new(&creds.ufrag);
        self.remote_creds = Some(creds);
        let early = core::mem::take(&mut self.early_checks);
        for e in early {
            self.process_check(e.source, e.destination, e.priority, e.use_candidate);
        }
        self.update_state();
        Ok(())
    }

    /// Declares the peer an ice-lite agent ([RFC 8445 §6.1.1]): a full agent facing it is
    /// always controlling.
    ///
    /// [RFC 8445 §6.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-6.1.1
    pub fn set_remote_lite(&mut self, lite: bool) {
        self.remote_lite = lite;
        if lite && !self.config.lite && self.role != IceRole::Controlling {
            self.set_role(IceRole::Controlling);
        }
    }

    /// Records the peer's proposed pacing interval: the `a=ice-pacing` value of its
    /// description ([RFC 8839 §5.5], parse it with
    /// [`parse_ice_pacing`](crate::parse_ice_pacing)), or `None` when it carried none.
    ///
    /// Both agents pace with the larger of the two proposals, and an agent that proposed
    /// nothing counts as the 50 ms default ([RFC 8445 §14.2]). Until this is called (and
    /// again after [`restart`](Self::restart), which forgets the peer's description) the
    /// peer counts as having proposed nothing, so the agent paces at
    /// max([`local_pacing`](Self::local_pacing), 50 ms). A change takes effect at once:
    /// the next paced transaction goes out one new `Ta` after the previous one. A
    /// proposal above 9,999,999,999 ms (the largest `a=ice-pacing` value) counts as that.
    ///
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    pub fn set_remote_pacing(&mut self, ta: Option<Duration>) {
        self.remote_ta = ta;
        self.update_ta();
    }

    /// The peer's proposed pacing interval as last set by
    /// [`set_remote_pacing`](Self::set_remote_pacing).
    #[must_use]
    pub fn remote_pacing(&self) -> Option<Duration> {
        self.remote_ta
    }

    /// This agent's pacing proposal ([`IceConfig::ta`], at least 5 ms): signal it to the
    /// peer as `a=ice-pacing` ([RFC 8839 §5.5]).
    ///
    /// [RFC 8839 §5.5]: https://www.rfc-editor.org/rfc/rfc8839#section-5.5
    #[must_use]
    pub fn local_pacing(&self) -> Duration {
        self.config.ta
    }

    /// The pacing interval `Ta` in force ([RFC 8445 §14.2]): the larger of
    /// [`local_pacing`](Self::local_pacing) and the peer's proposal, 50 ms for a peer that
    /// proposed none.
    ///
    /// [RFC 8445 §14.2]: https://www.rfc-editor.org/rfc/rfc8445#section-14.2
    #[must_use]
    pub fn ta(&self) -> Duration {
        self.ta
    }

    fn update_ta(&mut self) {
        let remote = self.remote_ta.unwrap_or(IceConfig::DEFAULT_TA);
        // Capped at the largest value `a=ice-pacing` can carry, so that timer arithmetic
        // on a proposal such as `Duration::MAX` cannot overflow.
        self.ta = self.config.ta.max(remote).clamp(IceConfig::MIN_TA, MAX_TA);
    }

    /// The current role.
    #[must_use]
    pub fn role(&self) -> IceRole {
        self.role
    }

    /// The tie-breaker used in role conflicts ([RFC 8445 §7.3.1.1]).
    ///
    /// [RFC 8445 §7.3.1.1]: https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.1
    #[must_use]
    pub fn tie_breaker(&self) -> u64 {
        self.tie_breaker
    }

    /// Sets the tie-breaker (for tests of role conflicts).
    pub fn set_tie_breaker(&mut self, tie_breaker: u64) {
        self.tie_breaker = tie_breaker;
    }

    /// Adds a host candidate for a local address the caller has a socket on; returns it
    /// for signalling. Its priority follows [RFC 8445 §5.1.2] with the [RFC 8421] local
    /// preference of the address; server-reflexive gathering starts for it when STUN
    /// servers are configured.
    ///
    /// [RFC 8445 §5.1.2]: https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2
    /// [RFC 8421]: https://www.rfc-editor.org/rfc/rfc8421
    pub fn add_host_candidate(&mut self, address: SocketAddr) -> Result<Candidate, IceError> {
        if self.local_ended {
            return Err(IceError::CandidatesEnded);
        }
        let ip = address.ip();
        if ip.is_unspecified() || ip.is_multicast() || address.port() == 0 {
            return Err(IceError::UnusableAddress(address));
        }
        if self
            .local
            .iter()
            .any(|c| c.address == address && c.base == address)
        {
            return Err(IceError::Redundant(address));
        }
        if self.local.len() >= MAX_LOCAL_CANDIDATES {
            return Err(IceError::Redundant(address));
        }
        let family = usize::from(ip.is_ipv4());
        let index = self.host_counts[family];
        self.host_counts[family] += 1;
        let priority = candidate_priority(CandidateKind::Host, local_preference(ip, index), 1);
        let foundation = self.foundation(CandidateKind::Host, ip, None);
        let cand = Candidate::new(CandidateKind::Host, address, priority, &foundation);
        self.local.push(cand.clone());
        let li = self.local.len() - 1;
        for ri in 0..self.remote.len() {
            self.add_pair(li, ri);
        }
        if !self.config.lite && !self.config.relay_only {
            for (i, server) in self.config.stun_servers.iter().enumerate() {
                if server.is_ipv4() == address.is_ipv4() && i < 8 {
                    self.gathers.push(Gather {
                        base: address,
                        server: *server,
                        state: GatherState::Pending,
                    });
                }
            }
        }
        if !self.config.lite {
            for (i, server) in self.config.turn_servers.iter().enumerate() {
                if server.address.is_ipv4() == address.is_ipv4() && i < 8 {
                    self.allocations
                        .push(Allocation::new(address, server.clone()));
                }
            }
        }
        Ok(cand)
    }

    /// The local candidates gathered so far.
    pub fn local_candidates(&self) -> impl Iterator<Item = &Candidate> + '_ {
        self.local.iter().filter(|c| {
            c.kind != CandidateKind::PeerReflexive
                && (!self.config.relay_only || c.kind == CandidateKind::Relayed)
        })
    }

    /// Says no more host candidates will be added; [`IceEvent::GatheringComplete`] follows
    /// when server-reflexive gathering has finished too.
    pub fn end_of_local_candidates(&mut self) {
        self.local_ended = true;
        self.check_gathering_complete();
        self.update_state();
    }

    /// Adds a remote candidate (trickled or from the session description). Candidates
    /// with an mDNS name raise [`IceEvent::ResolveMdns`] and are paired once resolved.
    pub fn add_remote_candidate(&mut self, candidate: Candidate) -> Result<(), IceError> {
        if candidate.transport != Transport::Udp {
            return Err(IceError::UnsupportedTransport(candidate.address));
        }
        if candidate.component != 1 {
            return Err(IceError::UnsupportedComponent(candidate.component));
        }
        if let Some(name) = &candidate.hostname {
            if self.unresolved.len() < MAX_REMOTE_CANDIDATES {
                self.events.push_back(IceEvent::ResolveMdns {
                    hostname: name.clone(),
                });
                self.unresolved.push(candidate);
            }
            return Ok(());
        }
        self.insert_remote(candidate);
        self.update_state();
        Ok(())
    }

    /// Resolves an mDNS name raised by [`IceEvent::ResolveMdns`]; the candidates that
    /// carry it are paired now.
    pub fn resolve_mdns(&mut self, hostname: &str, ip: IpAddr) {
        let mut i = 0;
        while i < self.unresolved.len() {
            if self.unresolved[i].hostname.as_deref() == Some(hostname) {
                let mut c = self.unresolved.swap_remove(i);
                c.address.set_ip(ip);
                c.base = c.address;
                c.hostname = None;
                self.insert_remote(c);
            } else {
                i += 1;
            }
        }
        self.update_state();
    }

    /// The peer signalled end-of-candidates ([RFC 8838 §13]).
    ///
    /// [RFC 8838 §13]: https://www.rfc-editor.org/rfc/rfc8838#section-13
    pub fn end_of_remote_candidates(&mut self) {
        self.remote_ended = true;
        self.update_state();
    }

    /// Restarts ICE ([RFC 8445 §9]): new local credentials, remote credentials, pacing and
    /// candidates forgotten, a new check list. The selected pair stays in use (with
    /// consent) until the restarted checks select a new one. Host candidates are kept;
    /// server-reflexive gathering runs again. Signal the new credentials and candidates.
    ///
    /// [RFC 8445 §9]: https://www.rfc-editor.org/rfc/rfc8445#section-9
    pub fn restart(&mut self) {
        if self.selected.is_some() && self.old_local.is_none() {
            self.old_local = Some(Box::new((
                self.local_creds.ufrag.clone(),
                self.local_key.clone(),
            )));
        }
        self.local_creds = Credentials::random(&mut self.rng);
        self.local_ufrag = InlineUfrag::new(&self.local_creds.ufrag);
        self.local_key = StunKey::new(&self.local_creds.pwd);
        self.remote_creds = None;
        self.remote_key = None;
        // The peer's new description may propose another Ta (RFC 8445 §14.2).
        self.remote_ta = None;
        self.update_ta();
        self.remote.clear();
        self.unresolved.clear();
        self.remote_ended = false;
        self.pairs.clear();
        self.triggered.clear();
        self.early_checks.clear();
        // The consent check in flight lives with the selected pair, which stays.
        self.transactions.clear();
        // Host and relayed candidates survive (allocations are kept); reflexive ones are
        // learnt again.
        self.local
            .retain(|c| matches!(c.kind, CandidateKind::Host | CandidateKind::Relayed));
        self.gathers.clear();
        let hosts: Vec<SocketAddr> = self.local.iter().map(|c| c.address).collect();
        if !self.config.lite {
            for base in hosts {
                for server in self.config.stun_servers.iter().take(8) {
                    if server.is_ipv4() == base.is_ipv4() {
                        self.gathers.push(Gather {
                            base,
                            server: *server,
                            state: GatherState::Pending,
                        });
                    }
                }
            }
        }
        self.gathering_complete_sent = false;
        self.nominating = None;
        self.first_valid_at = None;
        self.failed = false;
        if let Some(sel) = &mut self.selected {
            sel.pair = None;
            self.restarting = true;
        }
        self.check_gathering_complete();
        self.update_state();
    }

    /// Closes the agent: nothing more is sent and the state becomes `Closed`.
    pub fn close(&mut self) {
        self.closed = true;
        self.selected = None;
        self.pairs.clear();
        self.triggered.clear();
        self.transactions.clear();
        self.gathers.clear();
        self.allocations.clear();
        self.transmit_head = None;
        self.transmits.clear();
        self.update_state();
    }

    // ----------------------------------------------------------------------------------
    // Queries.

    /// The connection state.
    #[must_use]
    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// The selected pair as (local candidate, remote candidate): send application data
    /// from `local.base()` to `remote.address()`. `None` before selection and after
    /// consent is lost.
    #[must_use]
    pub fn selected_pair(&self) -> Option<(&Candidate, &Candidate)> {
        self.selected
            .as_ref()
            .map(|s| (&s.candidates.0, &s.candidates.1))
    }

    /// The candidate pairs of the check list, highest priority first.
    #[must_use]
    pub fn pairs(&self) -> Vec<CandidatePair<'_>> {
        let mut v: Vec<CandidatePair<'_>> = self
            .pairs
            .iter()
            .map(|p| CandidatePair {
                local: &self.local[p.local],
                remote: &self.remote[p.remote],
                priority: p.priority,
                state: p.state,
                valid: p.valid,
                nominated: p.nominated,
            })
            .collect();
        v.sort_by_key(|p| core::cmp::Reverse(p.priority));
        v
    }

    /// The remote candidates known (signalled and peer-reflexive).
    pub fn remote_candidates(&self) -> impl Iterator<Item = &Candidate> + '_ {
        self.remote.iter()
    }

    // ----------------------------------------------------------------------------------
    // Sans-IO driving.

    /// The next datagram to send, if any. Drain until `None` after every call.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        match self.transmit_head.take() {
            Some(t) => Some(t),
            None => self.transmits.pop_front(),
        }
    }

    /// The next event, if any. Drain until `None` after every call.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<IceEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next; `None` when the
    /// agent waits for input only. Right after [`handle_timeout`](Self::handle_timeout)
    /// it is never earlier than the `now` passed there.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.closed {
            return None;
        }
        let mut t: Option<Instant> = None;
        let mut at = |i: Instant| {
            t = Some(t.map_or(i, |x| x.min(i)));
        };
        for tx in &self.transactions {
            at(tx.next_at);
        }
        for a in &self.allocations {
            if let Some(n) = a.next_timer() {
                at(n);
            }
        }
        if self.has_paced_work() {
            at(self.next_paced().max(self.now));
        }
        if let Some(d) = self.nomination_deadline() {
            at(d);
        }
        if let Some(sel) = &self.selected {
            if let Some(n) = sel.next_check {
                at(n);
            }
            if let Some(tx) = sel.consent {
                at(tx.next_at);
            }
            if let Some(k) = sel.keepalive_at {
                at(k);
            }
            if self.consent_enforced() {
                at(sel.expires);
                if !self.disconnected {
                    at(sel.last_seen + self.config.disconnected_timeout);
                }
            }
        }
        t
    }

    /// Advances timers: retransmissions, paced checks and gathering, nomination,
    /// consent freshness and keepalives.
    pub fn handle_timeout(&mut self, now: Instant) {
        if now > self.now {
            self.now = now;
        }
        if self.closed {
            return;
        }
        let now = self.now;
        self.process_retransmits(now);
        self.process_turn_timers(now);
        self.process_consent(now);
        self.maybe_nominate(now);
        if now >= self.next_paced() && self.has_paced_work() {
            // Whether or not a transaction went out, the next slot is one Ta away.
            let _ = self.send_paced(now);
            self.last_paced = Some(now);
        }
        self.check_gathering_complete();
        self.update_state();
    }

    /// Handles a received datagram: STUN for the agent (checks, responses), TURN traffic
    /// from a relay (whose payload is processed or returned as application data), or
    /// application data, which is handed back. Malformed or unauthenticated STUN is
    /// silently dropped.
    pub fn handle_receive<'a>(&mut self, now: Instant, receive: Receive<'a>) -> Received<'a> {
        if now > self.now {
            self.now = now;
        }
        if self.closed {
            return Received::Consumed;
        }
        if let Some((ai, peer, payload)) =
            self.turn_unwrap(receive.source, receive.destination, receive.data)
        {
            let r = self.receive_relayed(now, ai, peer, payload);
            self.check_gathering_complete();
            self.update_state();
            return r;
        }
        if !stun::is_stun(receive.data) {
            return Received::Data {
                peer: receive.source,
                data: receive.data,
            };
        }
        self.handle_stun(now, receive);
        self.check_gathering_complete();
        self.update_state();
        Received::Consumed
    }

    fn handle_stun(&mut self, _now: Instant, receive: Receive<'_>) {
        let Some(msg) = stun::Parsed::parse(receive.data) else {
            return;
        };
        match msg.class() {
            Class::Request if msg.is_binding() => self.handle_request(receive, &msg),
            Class::Success | Class::Error => self.handle_response(receive, &msg),
            _ => {}
        }
    }

    /// Application data for the selected pair, ready to send: addressed from the local
    /// base to the remote candidate, or wrapped for the TURN server (ChannelData once the
    /// channel is bound, a Send indication before) when the local candidate is relayed.
    /// `None` without a selected pair (or after consent was lost: RFC 7675 forbids
    /// sending then), and while a relayed route waits for its TURN permission (the data is
    /// held and leaves through [`poll_transmit`](Self::poll_transmit) once it is
    /// installed). Allocates the datagram; [`send_data_into`](Self::send_data_into)
    /// reuses the caller's buffer instead.
    pub fn send_data(&mut self, data: &[u8]) -> Option<Transmit> {
        let mut out = Vec::new();
        let route = self.send_data_into(data, &mut out)?;
        Some(Transmit {
            source: route.source,
            destination: route.destination,
            data: out,
        })
    }

    /// [`send_data`](Self::send_data) for the media path: clears `out`, writes the
    /// datagram to send into it (the data itself, or its ChannelData / Send indication
    /// wrapping) and says where it goes. With a reused buffer nothing is allocated per
    /// datagram.
    pub fn send_data_into(&mut self, data: &[u8], out: &mut Vec<u8>) -> Option<Route> {
        let sel = self.selected.as_ref()?;
        let (source, destination) = (sel.local_base, sel.remote_addr);
        out.clear();
        let Some(ai) = self.relaying(source) else {
            out.extend_from_slice(data);
            return Some(Route {
                source,
                destination,
            });
        };
        if self.relay_wrap(ai, destination, data, out) {
            let a = &self.allocations[ai];
            return Some(Route {
                source: a.base,
                destination: a.server.address,
            });
        }
        self.relay_hold(ai, destination, data.to_vec());
        None
    }

    // ----------------------------------------------------------------------------------
    // Candidates and pairs.

    fn foundation(&mut self, kind: CandidateKind, base: IpAddr, server: Option<IpAddr>) -> String {
        // RFC 8445 §5.1.1.3: same type, base IP, server and transport => same foundation.
        let idx = match self
            .foundations
            .iter()
            .position(|f| *f == (kind, base, server))
        {
            Some(i) => i,
            None => {
                self.foundations.push((kind, base, server));
                self.foundations.len() - 1
            }
        };
        (idx + 1).to_string()
    }

    fn insert_remote(&mut self, candidate: Candidate) {
        if let Some(ri) = self
            .remote
            .iter()
            .position(|r| r.address == candidate.address)
        {
            // RFC 8445 §7.3.1.3: a signalled candidate replaces the peer-reflexive one
            // learnt for the same address, keeping the pairs' states.
            let r = &mut self.remote[ri];
            if r.kind == CandidateKind::PeerReflexive
                && candidate.kind != CandidateKind::PeerReflexive
            {
                r.kind = candidate.kind;
                r.priority = candidate.priority;
                r.foundation = candidate.foundation;
                r.related = candidate.related;
                self.recompute_priorities();
            }
            return;
        }
        if self.remote.len() >= MAX_REMOTE_CANDIDATES {
            return;
        }
        self.remote.push(candidate);
        let ri = self.remote.len() - 1;
        if self.selected.is_some() && !self.restarting {
            // Checks are over (RFC 8445 §8.1.2): new candidates are kept, not paired.
            return;
        }
        for li in 0..self.local.len() {
            self.add_pair(li, ri);
        }
    }

    /// Local candidates that take part in checks: host and relayed ones, or only relayed
    /// ones under a relay-only policy.
    fn pairable(&self, kind: CandidateKind) -> bool {
        match kind {
            CandidateKind::Relayed => true,
            CandidateKind::Host => !self.config.relay_only,
            _ => false,
        }
    }

    fn compute_pair_priority(&self, local: usize, remote: usize) -> u64 {
        let (l, r) = (self.local[local].priority, self.remote[remote].priority);
        match self.role {
            IceRole::Controlling => pair_priority(l, r),
            IceRole::Controlled => pair_priority(r, l),
        }
    }

    fn recompute_priorities(&mut self) {
        for i in 0..self.pairs.len() {
            let p = self.compute_pair_priority(self.pairs[i].local, self.pairs[i].remote);
            self.pairs[i].priority = p;
        }
    }

    fn same_foundation(&self, a: &Pair, b: &Pair) -> bool {
        self.local[a.local].foundation == self.local[b.local].foundation
            && self.remote[a.remote].foundation == self.remote[b.remote].foundation
    }

    /// Forms the pair (local, remote) if it is allowed and not redundant
    /// ([RFC 8445 §6.1.2.2], §6.1.2.4); returns its id.
    fn add_pair(&mut self, li: usize, ri: usize) -> Option<u32> {
        let (l, r) = (&self.local[li], &self.remote[ri]);
        // Server-reflexive candidates are replaced by their base (§6.1.2.4), which is
        // paired already; peer-reflexive local candidates are not paired (§7.2.5.3.1).
        if !self.pairable(l.kind) {
            return None;
        }
        if l.address.is_ipv4() != r.address.is_ipv4() {
            return None;
        }
        let lb = l.base;
        let ra = r.address;
        if self
            .pairs
            .iter()
            .any(|p| self.local[p.local].base == lb && self.remote[p.remote].address == ra)
        {
            return None;
        }
        Some(self.push_pair(li, ri, PairState::Frozen))
    }

    fn push_pair(&mut self, li: usize, ri: usize, state: PairState) -> u32 {
        let id = self.next_pair_id;
        self.next_pair_id = self.next_pair_id.wrapping_add(1);
        let mut pair = Pair {
            id,
            local: li,
            remote: ri,
            priority: self.compute_pair_priority(li, ri),
            state,
            valid: false,
            nominated: false,
            nominate_on_success: false,
            use_candidate: false,
            valid_pair: None,
        };
        if state == PairState::Frozen {
            // RFC 8838 §10 / RFC 8445 §6.1.2.6: a new pair is Waiting unless a pair of the
            // same foundation is already Waiting or In-Progress.
            let busy = self.pairs.iter().any(|p| {
                matches!(p.state, PairState::Waiting | PairState::InProgress)
                    && self.same_foundation(p, &pair)
            });
            if !busy {
                pair.state = PairState::Waiting;
            }
        }
        self.pairs.push(pair);
        self.enforce_pair_cap();
        id
    }

    /// RFC 8445 §6.1.2.5: limit the check list, dropping the lowest-priority pairs (never
    /// one that is valid or has a check in flight).
    fn enforce_pair_cap(&mut self) {
        while self.pairs.len() > self.config.max_pairs {
            let victim = self
                .pairs
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.valid && p.state != PairState::InProgress && !p.nominated)
                .min_by_key(|(_, p)| p.priority)
                .map(|(i, _)| i);
            let Some(i) = victim else { break };
            let id = self.pairs[i].id;
            self.pairs.swap_remove(i);
            self.triggered.retain(|t| *t != id);
        }
    }

    fn pair_index(&self, id: u32) -> Option<usize> {
        self.pairs.iter().position(|p| p.id == id)
    }

    fn find_pair(&self, base: SocketAddr, remote: SocketAddr) -> Option<usize> {
        self.pairs.iter().position(|p| {
            self.local[p.local].base == base && self.remote[p.remote].address == remote
        })
    }

    fn set_role(&mut self, role: IceRole) {
        if self.role == role {
            return;
        }
        self.role = role;
        self.nominating = None;
        for p in &mut self.pairs {
            p.use_candidate = false;
        }
        self.recompute_priorities();
        self.events.push_back(IceEvent::RoleChange(role));
    }

    fn checks_running(&self) -> bool {
        !self.closed
            && !self.config.lite
            && self.remote_key.is_some()
            && (self.selected.is_none() || self.restarting)
    }

    // ----------------------------------------------------------------------------------
    // Pacing.

    fn frozen_unfreezable(&self) -> bool {
        self.pairs.iter().any(|p| {
            p.state == PairState::Frozen
                && !self.pairs.iter().any(|q| {
                    matches!(q.state, PairState::Waiting | PairState::InProgress)
                        && self.same_foundation(p, q)
                })
        })
    }

    /// When the next paced transaction may start: one `Ta` after the previous one.
    fn next_paced(&self) -> Instant {
        match self.last_paced {
            Some(t) => t + self.ta,
            None => self.now,
        }
    }

    fn has_paced_work(&self) -> bool {
        if self.closed {
            return false;
        }
        if self.gathers.iter().any(|g| g.state == GatherState::Pending)
            || self
                .allocations
                .iter()
                .any(|a| a.state == AllocState::Start)
        {
            return true;
        }
        self.checks_running()
            && (!self.triggered.is_empty()
                || self.pairs.iter().any(|p| p.state == PairState::Waiting)
                || self.frozen_unfreezable())
    }

    /// Sends one new transaction (RFC 8445 §6.1.4.2): a gathering request, a triggered
    /// check, the highest-priority Waiting pair, or unfreezes one pair per foundation.
    fn send_paced(&mut self, now: Instant) -> bool {
        if let Some(gi) = self
            .gathers
            .iter()
            .position(|g| g.state == GatherState::Pending)
        {
            self.send_gather(now, gi);
            return true;
        }
        if let Some(ai) = self
            .allocations
            .iter()
            .position(|a| a.state == AllocState::Start)
        {
            self.send_allocate(now, ai);
            return true;
        }
        if !self.checks_running() {
            return false;
        }
        while let Some(id) = self.triggered.pop_front() {
            if let Some(i) = self.pair_index(id) {
                self.send_check(now, i);
                return true;
            }
        }
        if !self.pairs.iter().any(|p| p.state == PairState::Waiting) {
            // §6.1.4.2 step 2: for each foundation with nothing Waiting or In-Progress,
            // the highest-priority Frozen pair becomes Waiting.
            let mut order: Vec<usize> = (0..self.pairs.len()).collect();
            order.sort_by(|a, b| self.pairs[*b].priority.cmp(&self.pairs[*a].priority));
            for i in order {
                if self.pairs[i].state != PairState::Frozen {
                    continue;
                }
                let busy = self.pairs.iter().any(|q| {
                    matches!(q.state, PairState::Waiting | PairState::InProgress)
                        && self.same_foundation(&self.pairs[i], q)
                });
                if !busy {
                    self.pairs[i].state = PairState::Waiting;
                }
            }
        }
        let best = self
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.state == PairState::Waiting)
            .max_by_key(|(_, p)| p.priority)
            .map(|(i, _)| i);
        match best {
            Some(i) => {
                self.send_check(now, i);
                true
            }
            None => false,
        }
    }

    fn new_txid(&mut self) -> [u8; 12] {
        let mut id = [0u8; 12];
        self.rng.fill_bytes(&mut id);
        id
    }

    fn send_gather(&mut self, now: Instant, gi: usize) {
        let id = self.new_txid();
        let mut buf = Vec::with_capacity(32);
        stun::write_binding_request(&mut buf, id, None, None);
        let g = &mut self.gathers[gi];
        g.state = GatherState::InFlight;
        let (source, destination) = (g.base, g.server);
        self.start_transaction(
            now,
            id,
            TxKind::Gather { index: gi },
            KeyRef::None,
            source,
            destination,
            buf,
            self.config.initial_rto,
            self.config.max_requests,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn start_transaction(
        &mut self,
        now: Instant,
        id: [u8; 12],
        kind: TxKind,
        key: KeyRef,
        source: SocketAddr,
        destination: SocketAddr,
        request: Vec<u8>,
        rto: Duration,
        max_requests: u32,
    ) {
        self.emit(source, destination, request.clone());
        let next_at = now
            + self
                .config
                .retransmit_wait(rto, 1)
                .min(if max_requests <= 1 {
                    rto.saturating_mul(self.config.last_request_wait_factor)
                } else {
                    rto
                });
        self.transactions.push(Transaction {
            id,
            kind,
            key,
            source,
            destination,
            request,
            rto,
            requests: 1,
            max_requests,
            next_at,
            cancelled: false,
        });
    }

    /// The PRIORITY a check carries: the local candidate's priority with the
    /// peer-reflexive type preference (RFC 8445 §7.1.1).
    fn check_priority(&self, li: usize) -> u32 {
        let local_pref = ((self.local[li].priority >> 8) & 0xffff) as u16;
        candidate_priority(CandidateKind::PeerReflexive, local_pref, 1)
    }

    fn send_check(&mut self, now: Instant, i: usize) {
        let (Some(remote), Some(_)) = (&self.remote_creds, &self.remote_key) else {
            return;
        };
        let username = format!("{}:{}", remote.ufrag, self.local_creds.ufrag);
        let pair = &self.pairs[i];
        let (li, ri, pid) = (pair.local, pair.remote, pair.id);
        let use_candidate = pair.use_candidate && self.role == IceRole::Controlling;
        let priority = self.check_priority(li);
        let controlling = self.role == IceRole::Controlling;
        let attrs = RequestAttrs {
            username: &username,
            priority,
            controlling: controlling.then_some(self.tie_breaker),
            controlled: (!controlling).then_some(self.tie_breaker),
            use_candidate,
        };
        let id = self.new_txid();
        let mut buf = Vec::with_capacity(96);
        stun::write_binding_request(&mut buf, id, Some(&attrs), self.remote_key.as_deref());
        // Any older transaction on this pair stops retransmitting (§7.3.1.4).
        for t in &mut self.transactions {
            if matches!(t.kind, TxKind::Check { pair, .. } if pair == pid) {
                t.cancelled = true;
            }
        }
        // RFC 8445 §14.3: RTO = MAX(500 ms, Ta * (Num-Waiting + Num-In-Progress)).
        let busy = self
            .pairs
            .iter()
            .filter(|p| matches!(p.state, PairState::Waiting | PairState::InProgress))
            .count() as u32;
        let rto = self.config.initial_rto.max(self.ta().saturating_mul(busy));
        self.pairs[i].state = PairState::InProgress;
        let (source, destination) = (self.local[li].base, self.remote[ri].address);
        self.start_transaction(
            now,
            id,
            TxKind::Check {
                pair: pid,
                use_candidate,
                controlling,
                priority,
            },
            KeyRef::Remote,
            source,
            destination,
            buf,
            rto,
            self.config.max_requests,
        );
    }

    fn process_retransmits(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.transactions.len() {
            let t = &mut self.transactions[i];
            if t.next_at > now {
                i += 1;
                continue;
            }
            if !t.cancelled && t.requests < t.max_requests {
                t.requests += 1;
                let wait = if t.requests >= t.max_requests {
                    t.rto.saturating_mul(self.config.last_request_wait_factor)
                } else {
                    t.rto.saturating_mul(1 << (t.requests - 1).min(16))
                };
                t.next_at = now + wait;
                let (source, destination, data) = (t.source, t.destination, t.request.clone());
                self.emit(source, destination, data);
                i += 1;
                continue;
            }
            let t = self.transactions.swap_remove(i);
            if t.cancelled {
                continue;
            }
            match t.kind {
                TxKind::Check { pair, .. } => {
                    if let Some(pi) = self.pair_index(pair) {
                        if self.pairs[pi].state == PairState::InProgress {
                            self.pairs[pi].state = PairState::Failed;
                        }
                    }
                    if self.nominating == Some(pair) {
                        self.nominating = None;
                        if let Some(pi) = self.pair_index(pair) {
                            self.pairs[pi].use_candidate = false;
                            // The nominated check failed: the pair no longer works.
                            self.pairs[pi].valid = false;
                        }
                    }
                }
                TxKind::Gather { index } => {
                    if let Some(g) = self.gathers.get_mut(index) {
                        g.state = GatherState::Done;
                    }
                }
                TxKind::Turn { alloc, op } => self.turn_timeout(alloc, op),
            }
        }
    }

    // ----------------------------------------------------------------------------------
    // Nomination.

    fn best_valid(&self) -> Option<usize> {
        self.pairs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.valid)
            .max_by_key(|(_, p)| p.priority)
            .map(|(i, _)| i)
    }

    fn nomination_deadline(&self) -> Option<Instant> {
        if self.role != IceRole::Controlling
            || self.config.lite
            || self.nominating.is_some()
            || !self.checks_running()
        {
            return None;
        }
        let best = self.pairs[self.best_valid()?].priority;
        if !self.pending_higher(best) {
            return Some(self.now);
        }
        self.first_valid_at
            .map(|t| t + self.config.nomination_delay)
    }

    fn pending_higher(&self, priority: u64) -> bool {
        self.pairs.iter().any(|p| {
            p.priority > priority
                && matches!(
                    p.state,
                    PairState::Frozen | PairState::Waiting | PairState::InProgress
                )
        })
    }

    /// Regular nomination (RFC 8445 §8.1.1): once the best valid pair has no pending pair
    /// of higher priority left (or after `nomination_delay`), repeat its check with
    /// USE-CANDIDATE.
    fn maybe_nominate(&mut self, now: Instant) {
        let Some(deadline) = self.nomination_deadline() else {
            return;
        };
        let Some(bi) = self.best_valid() else { return };
        let best = self.pairs[bi].priority;
        if self.pending_higher(best) && now < deadline {
            return;
        }
        let id = self.pairs[bi].id;
        self.pairs[bi].use_candidate = true;
        self.pairs[bi].state = PairState::Waiting;
        self.nominating = Some(id);
        self.triggered.retain(|t| *t != id);
        self.triggered.push_front(id);
    }

    fn select(&mut self, now: Instant, pi: usize) {
        if (self.selected.is_some() && !self.restarting) || self.failed {
            // The selected pair never moves without a restart or a failure, and after a
            // failure only a restart selects again.
            return;
        }
        let Some(creds) = &self.remote_creds else {
            return;
        };
        let Some(key) = self.remote_key.as_deref().cloned() else {
            return;
        };
        let username = Username::new(&creds.ufrag, &self.local_creds.ufrag);
        let full = !self.config.lite;
        let next_check =
            (full && self.config.consent_freshness).then(|| now + self.consent_interval());
        let p = &mut self.pairs[pi];
        p.nominated = true;
        let local = self.local[p.local].clone();
        let remote = self.remote[p.remote].clone();
        let keepalive_at =
            (full && !self.config.consent_freshness).then(|| now + self.config.keepalive_interval);
        self.selected = Some(Selected {
            pair: Some(p.id),
            local_base: local.base,
            remote_addr: remote.address,
            local_priority: local.priority,
            candidates: Box::new((local.clone(), remote.clone())),
            username,
            key,
            next_check,
            consent: None,
            expires: now + self.config.consent_timeout,
            last_seen: now,
            keepalive_at,
        });
        self.restarting = false;
        self.old_local = None;
        self.disconnected = false;
        self.nominating = None;
        // RFC 8445 §8.1.2: checks stop once the pair is nominated: Waiting and Frozen
        // pairs are removed and In-Progress retransmissions cease.
        self.triggered.clear();
        for p in &mut self.pairs {
            if matches!(
                p.state,
                PairState::Waiting | PairState::Frozen | PairState::InProgress
            ) {
                p.state = PairState::Failed;
            }
        }
        for t in &mut self.transactions {
            if matches!(t.kind, TxKind::Check { .. }) {
                t.cancelled = true;
            }
        }
        if local.kind == CandidateKind::Relayed {
            self.bind_channel_for(local.address, remote.address);
        }
        self.events
            .push_back(IceEvent::SelectedPair { local, remote });
    }

    fn consent_interval(&mut self) -> Duration {
        // RFC 7675 §5.1: uniformly random in [0.8, 1.2] times the base interval.
        let base = self.config.consent_interval.as_micros() as u64;
        let lo = base * 4 / 5;
        let span = base * 2 / 5;
        let r = if span == 0 {
            0
        } else {
            self.rng.next_u64() % (span + 1)
        };
        Duration::from_micros(lo + r)
    }

    fn consent_enforced(&self) -> bool {
        self.config.consent_freshness || self.config.lite
    }

    fn process_consent(&mut self, now: Instant) {
        let enforced = self.consent_enforced();
        let Some(sel) = &self.selected else { return };
        if enforced && now >= sel.expires {
            // RFC 7675 §5.1: consent expired: stop sending on the pair.
            self.selected = None;
            self.failed = true;
            self.restarting = false;
            self.old_local = None;
            self.events.push_back(IceEvent::ConsentLost);
            return;
        }
        if enforced && !self.disconnected && now >= sel.last_seen + self.config.disconnected_timeout
        {
            self.disconnected = true;
        }
        if let Some(tx) = sel.consent {
            if now >= tx.next_at {
                self.consent_retransmit(now, tx);
            }
        }
        let Some(sel) = &self.selected else { return };
        if sel.next_check.is_some_and(|n| now >= n) {
            let interval = self.consent_interval();
            let id = self.new_txid();
            // One consent transaction at a time: an unanswered older one is abandoned.
            let rto = self.config.initial_rto;
            let max = CONSENT_MAX_REQUESTS.min(self.config.max_requests);
            let next_at = now
                + if max <= 1 {
                    rto.saturating_mul(self.config.last_request_wait_factor)
                } else {
                    rto
                };
            self.send_consent_request(id);
            if let Some(sel) = &mut self.selected {
                sel.consent = Some(ConsentTx {
                    id,
                    requests: 1,
                    next_at,
                });
                sel.next_check = Some(now + interval);
            }
        }
        let Some(sel) = &mut self.selected else {
            return;
        };
        if let Some(k) = sel.keepalive_at {
            if now >= k {
                // RFC 8445 §11: a Binding indication keeps NAT bindings alive.
                let mut id = [0u8; 12];
                self.rng.fill_bytes(&mut id);
                let mut buf = Vec::with_capacity(28);
                stun::write_binding_indication(&mut buf, id);
                sel.keepalive_at = Some(now + self.config.keepalive_interval);
                let (source, destination) = (sel.local_base, sel.remote_addr);
                self.emit(source, destination, buf);
            }
        }
    }

    /// Writes and sends a consent check on the selected pair ([RFC 7675 §5.1]).
    ///
    /// [RFC 7675 §5.1]: https://www.rfc-editor.org/rfc/rfc7675#section-5.1
    fn send_consent_request(&mut self, id: [u8; 12]) {
        let Some(sel) = &self.selected else { return };
        let controlling = self.role == IceRole::Controlling;
        let attrs = RequestAttrs {
            username: sel.username.as_str(),
            priority: candidate_priority(
                CandidateKind::PeerReflexive,
                ((sel.local_priority >> 8) & 0xffff) as u16,
                1,
            ),
            controlling: controlling.then_some(self.tie_breaker),
            controlled: (!controlling).then_some(self.tie_breaker),
            use_candidate: controlling && self.config.consent_use_candidate,
        };
        let mut buf = Vec::with_capacity(96);
        stun::write_binding_request(&mut buf, id, Some(&attrs), Some(&sel.key));
        let (source, destination) = (sel.local_base, sel.remote_addr);
        self.emit(source, destination, buf);
    }

    /// The consent check's retransmission timer fired: send it again (RFC 8489 §6.2.1
    /// schedule, [`CONSENT_MAX_REQUESTS`] requests) or give it up.
    fn consent_retransmit(&mut self, now: Instant, tx: ConsentTx) {
        let max = CONSENT_MAX_REQUESTS.min(self.config.max_requests);
        if tx.requests >= max {
            if let Some(sel) = &mut self.selected {
                sel.consent = None;
            }
            return;
        }
        let requests = tx.requests + 1;
        let rto = self.config.initial_rto;
        let wait = if requests >= max {
            rto.saturating_mul(self.config.last_request_wait_factor)
        } else {
            rto.saturating_mul(1 << (requests - 1).min(16))
        };
        self.send_consent_request(tx.id);
        if let Some(sel) = &mut self.selected {
            sel.consent = Some(ConsentTx {
                id: tx.id,
                requests,
                next_at: now + wait,
            });
        }
    }

    /// A response to the consent check in flight, if `id` is its transaction.
    /// Returns whether the response was the consent check's (handled or dropped).
    fn consent_response(&mut self, rx: Receive<'_>, msg: &stun::Parsed<'_>, id: [u8; 12]) -> bool {
        let Some(sel) = &self.selected else {
            return false;
        };
        if sel.consent.is_none_or(|tx| tx.id != id) {
            return false;
        }
        if !msg.verify(&sel.key) {
            // Bad integrity: silently discarded (RFC 8445 §7.2.5.1, RFC 8489 §9.1.3).
            return true;
        }
        let on_pair = rx.source == sel.remote_addr && rx.destination == sel.local_base;
        if let Some(sel) = &mut self.selected {
            sel.consent = None;
        }
        if msg.class() == Class::Success && on_pair {
            self.refresh_consent(self.now);
        }
        true
    }

    fn refresh_consent(&mut self, now: Instant) {
        if let Some(sel) = &mut self.selected {
            sel.expires = now + self.config.consent_timeout;
            sel.last_seen = now;
            self.disconnected = false;
        }
    }

    // ----------------------------------------------------------------------------------
    // Incoming requests (RFC 8445 §7.3).

    fn handle_request(&mut self, rx: Receive<'_>, msg: &stun::Parsed<'_>) {
        // The request must reach one of our bases (the selected pair's, most often).
        let on_selected = self
            .selected
            .as_ref()
            .is_some_and(|s| s.local_base == rx.destination);
        if !on_selected
            && !self
                .local
                .iter()
                .any(|c| c.base == rx.destination && self.pairable(c.kind))
        {
            return;
        }
        // USERNAME must be "our ufrag:their ufrag" and the integrity must verify with our
        // password; otherwise the request is dropped without an answer.
        let Some(username) = msg.username() else {
            return;
        };
        let Some((ours, theirs)) = username.split_once(':') else {
            return;
        };
        if self.restarting && self.restarting_old_pair(rx) {
            // RFC 8445 §9: media (and its consent) stays on the old pair until the restart
            // selects a new one, so checks with the old credentials are still answered.
            if let Some((old_ufrag, old_key)) = self.old_local.as_deref() {
                if ours == old_ufrag && msg.verify(old_key) {
                    let key = old_key.clone();
                    let mut buf = Vec::with_capacity(64);
                    stun::write_binding_success(
                        &mut buf,
                        msg.transaction_id(),
                        rx.source,
                        Some(&key),
                    );
                    self.emit(rx.destination, rx.source, buf);
                    if self.config.lite {
                        self.refresh_consent(self.now);
                    }
                    return;
                }
            }
        }
        if !self.local_ufrag.matches(ours, &self.local_creds.ufrag) {
            return;
        }
        if !msg.verify(&self.local_key) {
            return;
        }
        if let Some(remote) = &self.remote_creds {
            if !self.remote_ufrag.matches(theirs, &remote.ufrag) && !self.restarting_old_pair(rx) {
                return;
            }
        }
        let Some(priority) = msg.priority() else {
            self.send_error(rx, msg.transaction_id(), 400, "missing PRIORITY");
            return;
        };
        // RFC 8445 §7.3.1.1: role conflicts.
        match (self.role, msg.ice_controlling(), msg.ice_controlled()) {
            (IceRole::Controlling, Some(theirs), _) => {
                if self.tie_breaker >= theirs {
                    self.send_error(rx, msg.transaction_id(), 487, "Role Conflict");
                    return;
                }
                self.set_role(IceRole::Controlled);
            }
            (IceRole::Controlled, _, Some(theirs)) => {
                if self.tie_breaker >= theirs && !self.config.lite {
                    self.set_role(IceRole::Controlling);
                } else {
                    self.send_error(rx, msg.transaction_id(), 487, "Role Conflict");
                    return;
                }
            }
            _ => {}
        }
        // A successful response with XOR-MAPPED-ADDRESS, from where the request arrived.
        let mut buf = Vec::with_capacity(64);
        stun::write_binding_success(
            &mut buf,
            msg.transaction_id(),
            rx.source,
            Some(&self.local_key),
        );
        self.emit(rx.destination, rx.source, buf);
        let use_candidate = msg.use_candidate();
        if self.remote_creds.is_none() {
            // RFC 8838 §11: credentials not signalled yet; replay the check later.
            if self.early_checks.len() < MAX_EARLY_CHECKS {
                self.early_checks.push(EarlyCheck {
                    source: rx.source,
                    destination: rx.destination,
                    priority,
                    use_candidate,
                });
            }
            return;
        }
        self.process_check(rx.source, rx.destination, priority, use_candidate);
    }

    fn restarting_old_pair(&self, rx: Receive<'_>) -> bool {
        self.selected
            .as_ref()
            .is_some_and(|s| s.local_base == rx.destination && s.remote_addr == rx.source)
    }

    fn send_error(&mut self, rx: Receive<'_>, id: [u8; 12], code: u16, reason: &str) {
        let mut buf = Vec::with_capacity(64);
        stun::write_binding_error(&mut buf, id, code, reason, Some(&self.local_key));
        self.emit(rx.destination, rx.source, buf);
    }

    /// The part of request handling after the response: peer-reflexive learning
    /// (§7.3.1.3), triggered checks (§7.3.1.4) and nomination (§7.3.1.5).
    fn process_check(
        &mut self,
        source: SocketAddr,
        destination: SocketAddr,
        priority: u32,
        use_candidate: bool,
    ) {
        let now = self.now;
        // On the selected pair: a lite agent takes the request as proof of life.
        if let Some(sel) = &self.selected {
            if sel.local_base == destination && sel.remote_addr == source && self.config.lite {
                self.refresh_consent(now);
            }
            if !self.restarting {
                return;
            }
        }
        let Some(li) = self
            .local
            .iter()
            .position(|c| c.base == destination && self.pairable(c.kind))
        else {
            return;
        };
        let ri = match self.remote.iter().position(|r| r.address == source) {
            Some(ri) => ri,
            None => {
                if self.remote.len() >= MAX_REMOTE_CANDIDATES {
                    return;
                }
                // RFC 8445 §7.3.1.3: a peer-reflexive remote candidate.
                self.prflx_count += 1;
                let foundation = format!("prflx{}", self.prflx_count);
                self.remote.push(Candidate::new(
                    CandidateKind::PeerReflexive,
                    source,
                    priority,
                    &foundation,
                ));
                self.remote.len() - 1
            }
        };
        let pi = match self.find_pair(destination, source) {
            Some(pi) => pi,
            None => {
                if self.local[li].address.is_ipv4() != source.is_ipv4() {
                    return;
                }
                let id = self.push_pair(li, ri, PairState::Waiting);
                match self.pair_index(id) {
                    Some(pi) => pi,
                    None => return,
                }
            }
        };
        if self.config.lite {
            // RFC 8445 §7.3.1.5 (lite): the pair is valid as soon as a check arrives, and
            // nominated with USE-CANDIDATE.
            let p = &mut self.pairs[pi];
            p.state = PairState::Succeeded;
            p.valid = true;
            if self.first_valid_at.is_none() {
                self.first_valid_at = Some(now);
            }
            if use_candidate {
                self.select(now, pi);
            }
            return;
        }
        let id = self.pairs[pi].id;
        match self.pairs[pi].state {
            PairState::Succeeded => {}
            PairState::InProgress => {
                for t in &mut self.transactions {
                    if matches!(t.kind, TxKind::Check { pair, .. } if pair == id) {
                        t.cancelled = true;
                    }
                }
                self.pairs[pi].state = PairState::Waiting;
                if !self.triggered.contains(&id) {
                    self.triggered.push_back(id);
                }
            }
            PairState::Waiting | PairState::Frozen | PairState::Failed => {
                self.pairs[pi].state = PairState::Waiting;
                if !self.triggered.contains(&id) {
                    self.triggered.push_back(id);
                }
            }
        }
        if use_candidate && self.role == IceRole::Controlled {
            let target = if self.pairs[pi].state == PairState::Succeeded {
                self.pairs[pi]
                    .valid_pair
                    .and_then(|v| self.pair_index(v))
                    .or(Some(pi))
            } else {
                None
            };
            match target {
                Some(vi) if self.pairs[vi].valid => self.select(now, vi),
                _ => self.pairs[pi].nominate_on_success = true,
            }
        }
    }

    // ----------------------------------------------------------------------------------
    // Incoming responses (RFC 8445 §7.2.5).

    fn handle_response(&mut self, rx: Receive<'_>, msg: &stun::Parsed<'_>) {
        let id = msg.transaction_id();
        if self.consent_response(rx, msg, id) {
            return;
        }
        let Some(ti) = self.transactions.iter().position(|t| t.id == id) else {
            return;
        };
        let key = match self.transactions[ti].key {
            KeyRef::None => None,
            KeyRef::Remote => self.remote_key.as_deref(),
            KeyRef::Turn(ai) => {
                // Long-term credentials (RFC 8489 §9.2.4): success responses must verify
                // with the key; the 401/438 that give realm and nonce carry none.
                let key = self.allocations.get(ai).and_then(|a| a.key());
                let rejected = match (key, msg.class()) {
                    (Some(k), _) if msg.has_integrity() => !msg.verify(k),
                    (Some(_), Class::Success) => true,
                    _ => false,
                };
                if rejected {
                    return;
                }
                None
            }
        };
        if let Some(key) = key {
            if !msg.verify(key) {
                // Bad integrity: silently discarded (RFC 8445 §7.2.5.1, RFC 8489 §9.1.3).
                return;
            }
        } else if matches!(self.transactions[ti].key, KeyRef::Remote) {
            return;
        }
        let t = self.transactions.swap_remove(ti);
        match t.kind {
            TxKind::Gather { index } => self.gather_response(index, msg),
            TxKind::Turn { alloc, op } => self.turn_response(alloc, op, msg),
            TxKind::Check {
                pair,
                use_candidate,
                controlling,
                priority,
            } => self.check_response(rx, msg, &t, pair, use_candidate, controlling, priority),
        }
    }

    fn gather_response(&mut self, index: usize, msg: &stun::Parsed<'_>) {
        let Some(g) = self.gathers.get_mut(index) else {
            return;
        };
        g.state = GatherState::Done;
        let (base, server) = (g.base, g.server);
        if msg.class() != Class::Success {
            return;
        }
        let Some(mapped) = msg.xor_mapped_address() else {
            return;
        };
        self.add_server_reflexive(base, server, mapped);
    }

    fn add_server_reflexive(&mut self, base: SocketAddr, server: SocketAddr, mapped: SocketAddr) {
        // RFC 8445 §5.1.3: a candidate equal to its base (no NAT), or to one gathered
        // already from the same base, is redundant.
        if mapped == base
            || self
                .local
                .iter()
                .any(|c| c.address == mapped && c.base == base)
        {
            return;
        }
        if self.local.len() >= MAX_LOCAL_CANDIDATES {
            return;
        }
        let Some(host) = self.local.iter().find(|c| c.address == base) else {
            return;
        };
        let local_pref = ((host.priority >> 8) & 0xffff) as u16;
        let priority = candidate_priority(CandidateKind::ServerReflexive, local_pref, 1);
        let foundation =
            self.foundation(CandidateKind::ServerReflexive, base.ip(), Some(server.ip()));
        let mut c = Candidate::new(
            CandidateKind::ServerReflexive,
            mapped,
            priority,
            &foundation,
        )
        .with_related(base);
        c.base = base;
        self.local.push(c.clone());
        self.events.push_back(IceEvent::LocalCandidate(c));
    }

    #[allow(clippy::too_many_arguments)]
    fn check_response(
        &mut self,
        rx: Receive<'_>,
        msg: &stun::Parsed<'_>,
        t: &Transaction,
        pair: u32,
        use_candidate: bool,
        controlling: bool,
        priority: u32,
    ) {
        let now = self.now;
        let Some(pi) = self.pair_index(pair) else {
            return;
        };
        if msg.class() == Class::Error {
            if msg.error_code() == Some(487) {
                // RFC 8445 §7.2.5.1: switch role if the request's role is still ours, and
                // retry the pair.
                let ours = self.role == IceRole::Controlling;
                if controlling == ours {
                    self.set_role(if ours {
                        IceRole::Controlled
                    } else {
                        IceRole::Controlling
                    });
                }
                self.pairs[pi].state = PairState::Waiting;
                if !self.triggered.contains(&pair) {
                    self.triggered.push_back(pair);
                }
            } else {
                self.pairs[pi].state = PairState::Failed;
            }
            return;
        }
        // RFC 8445 §7.2.5.2.1: the response must come from where the request went, to
        // where it came from.
        if rx.source != t.destination || rx.destination != t.source {
            self.pairs[pi].state = PairState::Failed;
            return;
        }
        let Some(mapped) = msg.xor_mapped_address() else {
            return;
        };
        self.pairs[pi].state = PairState::Succeeded;
        let base = self.local[self.pairs[pi].local].base;
        let ri = self.pairs[pi].remote;
        // §7.2.5.3.1: the mapped address may be a new peer-reflexive local candidate.
        let li = match self
            .local
            .iter()
            .position(|c| c.address == mapped && c.base == base)
        {
            Some(li) => li,
            None => {
                if self.local.len() >= MAX_LOCAL_CANDIDATES {
                    return;
                }
                let foundation = self.foundation(CandidateKind::PeerReflexive, base.ip(), None);
                let mut c =
                    Candidate::new(CandidateKind::PeerReflexive, mapped, priority, &foundation);
                c.base = base;
                self.local.push(c);
                self.local.len() - 1
            }
        };
        // §7.2.5.3.2: the valid pair is (mapped candidate, remote).
        let vi = if li == self.pairs[pi].local {
            pi
        } else {
            match self
                .pairs
                .iter()
                .position(|p| p.local == li && p.remote == ri)
            {
                Some(vi) => vi,
                None => {
                    let id = self.push_pair(li, ri, PairState::Succeeded);
                    match self.pair_index(id) {
                        Some(vi) => vi,
                        None => return,
                    }
                }
            }
        };
        // push_pair may have reordered the list; look the checked pair up again.
        let Some(pi) = self.pair_index(pair) else {
            return;
        };
        self.pairs[vi].valid = true;
        self.pairs[vi].state = PairState::Succeeded;
        let valid_id = self.pairs[vi].id;
        self.pairs[pi].valid_pair = Some(valid_id);
        if self.first_valid_at.is_none() {
            self.first_valid_at = Some(now);
        }
        // §7.2.5.3.3: unfreeze the pairs of the same foundation.
        for i in 0..self.pairs.len() {
            if self.pairs[i].state == PairState::Frozen
                && self.same_foundation(&self.pairs[i], &self.pairs[pi])
            {
                self.pairs[i].state = PairState::Waiting;
            }
        }
        if self
            .selected
            .as_ref()
            .is_some_and(|s| s.local_base == t.source && s.remote_addr == t.destination)
        {
            self.refresh_consent(now);
        }
        // §7.2.5.3.4 / §8.1.1: nomination.
        let nominate = (use_candidate && controlling && self.role == IceRole::Controlling)
            || (self.pairs[pi].nominate_on_success && self.role == IceRole::Controlled);
        if nominate {
            self.select(now, vi);
        }
    }

    // ----------------------------------------------------------------------------------
    // States.

    /// Queues a datagram for [`poll_transmit`](Self::poll_transmit), in order.
    fn push_transmit(&mut self, t: Transmit) {
        if self.transmit_head.is_none() && self.transmits.is_empty() {
            self.transmit_head = Some(t);
        } else {
            self.transmits.push_back(t);
        }
    }

    fn check_gathering_complete(&mut self) {
        if self.local_ended
            && !self.gathering_complete_sent
            && self.gathers.iter().all(|g| g.state == GatherState::Done)
            && self.allocations.iter().all(Allocation::done)
        {
            self.gathering_complete_sent = true;
            self.events.push_back(IceEvent::GatheringComplete);
        }
    }

    fn all_failed(&self) -> bool {
        self.remote_key.is_some()
            && self.remote_ended
            && self.gathering_complete_sent
            && self.unresolved.is_empty()
            && self.triggered.is_empty()
            && self
                .pairs
                .iter()
                .all(|p| p.state == PairState::Failed && !p.valid)
            && !self.config.lite
    }

    fn update_state(&mut self) {
        // Steady state after completion: only a failure, a disconnection, a restart or
        // close leaves it, and those are flags (no need to look at the pairs).
        if self.state == ConnectionState::Completed
            && self.selected.is_some()
            && !(self.restarting || self.disconnected || self.failed || self.closed)
        {
            return;
        }
        let state = if self.closed {
            ConnectionState::Closed
        } else if self.failed {
            ConnectionState::Failed
        } else if self.selected.is_some()
            || (!self.config.lite && self.pairs.iter().any(|p| p.valid))
        {
            if self.disconnected {
                ConnectionState::Disconnected
            } else if self.selected.is_some()
                && !self.restarting
                && self.remote_ended
                && self.gathering_complete_sent
                && !self
                    .pairs
                    .iter()
                    .any(|p| matches!(p.state, PairState::Waiting | PairState::InProgress))
            {
                ConnectionState::Completed
            } else {
                ConnectionState::Connected
            }
        } else if self.all_failed() {
            self.failed = true;
            ConnectionState::Failed
        } else if self.remote_key.is_some() && (!self.pairs.is_empty() || !self.remote.is_empty()) {
            ConnectionState::Checking
        } else {
            ConnectionState::New
        };
        if state != self.state {
            self.state = state;
            self.events
                .push_back(IceEvent::ConnectionStateChange(state));
        }
    }
}
