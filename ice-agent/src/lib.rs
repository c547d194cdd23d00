//! A sans-IO ICE agent.
//!
//! Implements Interactive Connectivity Establishment ([RFC 8445]) with trickle ICE
//! ([RFC 8838]), consent freshness ([RFC 7675]), ice-lite and ICE restart. The agent owns
//! no socket, clock, thread or global randomness: the caller feeds it datagrams and time
//! and drains what it wants to send.
//!
//! # The drain-until-timeout rule
//!
//! After every call into the agent (`handle_receive`, `handle_timeout` or a signalling
//! method), drain [`IceAgent::poll_transmit`] and [`IceAgent::poll_event`] until both
//! return `None`, then sleep until [`IceAgent::poll_timeout`] (or the next datagram) and
//! call [`IceAgent::handle_timeout`]. Time only moves when the caller says so, and all
//! randomness comes from the seed given to [`IceAgent::new`], so a run replays bit for bit.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use ice_agent::{IceAgent, IceConfig, IceEvent, IceRole, Receive};
//!
//! let t0 = Instant::now();
//! let mut a = IceAgent::new(IceConfig::default(), IceRole::Controlling, [1; 32], t0);
//! let mut b = IceAgent::new(IceConfig::default(), IceRole::Controlled, [2; 32], t0);
//! let ca = a.add_host_candidate("192.0.2.1:5000".parse().unwrap()).unwrap();
//! let cb = b.add_host_candidate("192.0.2.2:6000".parse().unwrap()).unwrap();
//! a.set_remote_credentials(b.local_credentials().clone()).unwrap();
//! b.set_remote_credentials(a.local_credentials().clone()).unwrap();
//! a.add_remote_candidate(cb).unwrap();
//! b.add_remote_candidate(ca).unwrap();
//!
//! // A lossless network with no delay: hand every datagram straight to the other agent.
//! let mut now = t0;
//! for _ in 0..50 {
//!     a.handle_timeout(now);
//!     b.handle_timeout(now);
//!     for _ in 0..10 {
//!         while let Some(t) = a.poll_transmit() {
//!             b.handle_receive(now, Receive { source: t.source, destination: t.destination, data: &t.data });
//!         }
//!         while let Some(t) = b.poll_transmit() {
//!             a.handle_receive(now, Receive { source: t.source, destination: t.destination, data: &t.data });
//!         }
//!     }
//!     now += Duration::from_millis(10);
//! }
//! let (local, remote) = a.selected_pair().expect("a pair is selected");
//! assert_eq!(local.address(), "192.0.2.1:5000".parse().unwrap());
//! assert_eq!(remote.address(), "192.0.2.2:6000".parse().unwrap());
//! assert_eq!(b.selected_pair().unwrap().1.address(), local.address());
//! ```
//!
//! # What is implemented
//!
//! - Candidates: host candidates from the caller, server-reflexive gathering through STUN
//!   Binding, relayed candidates from a TURN client (RFC 8656: Allocate with the 401
//!   long-term-credential exchange, Refresh, CreatePermission, ChannelBind, Send/Data
//!   indications and ChannelData; [`IceAgent::send_data`] wraps application data),
//!   peer-reflexive discovery; priorities per RFC 8445 §5.1.2 with RFC 8421 local
//!   preferences; foundations; redundant candidates eliminated; `.local` (mDNS) remote
//!   candidates surfaced for the caller to resolve; a relay-only policy.
//! - Checks: one check list (one component, as WebRTC with RTCP multiplexing) with
//!   Frozen/Waiting/In-Progress/Succeeded/Failed pairs, foundation-based unfreezing, a pair
//!   cap, Ta pacing with the RFC 8445 §14.2 negotiation (15 ms proposed, the larger of the
//!   two proposals used, 50 ms for a peer that proposes none; see [`IceConfig::ta`]), RFC 8489
//!   retransmissions, the triggered-check queue, role conflicts,
//!   short-term credentials (bad integrity silently dropped), regular nomination by the
//!   controlling agent and acceptance of aggressive nomination.
//! - After selection: consent freshness (RFC 7675), keepalives, ICE restart keeping the old
//!   pair until a new one is selected, ice-lite mode, W3C connection states.
//! - [`sim`]: a deterministic in-memory network (latency, jitter, loss, duplication,
//!   reordering, NATs, a STUN and a TURN server) to test agents under a virtual clock.
//! - Feature `sdp`: [`Candidate`] to and from `sdp-parse`'s `a=candidate` values, and the
//!   session-level `a=ice-pacing`.
//!
//! One data stream with one component (RTP and RTCP multiplexed, as WebRTC does) and UDP
//! only: TCP candidates are parsed but not paired.
//!
//! [RFC 8445]: https://www.rfc-editor.org/rfc/rfc8445
//! [RFC 8838]: https://www.rfc-editor.org/rfc/rfc8838
//! [RFC 7675]: https://www.rfc-editor.org/rfc/rfc7675
#![forbid(unsafe_code)]

mod agent;
mod candidate;
mod config;
mod error;
#[cfg(feature = "sdp")]
mod sdp;
pub mod sim;
mod stun;

pub use agent::{
    pair_priority, CandidatePair, ConnectionState, Credentials, IceAgent, IceEvent, IceRole,
    PairState, Receive, Received, Route, Transmit,
};
pub use candidate::{candidate_priority, local_preference, Candidate, CandidateKind, Transport};
pub use config::{parse_ice_pacing, IceConfig, TurnServer};
pub use error::{CandidateParseError, IceError};
