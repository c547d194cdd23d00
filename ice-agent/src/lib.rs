//! A sans-IO ICE agent.
//!
//! Implements Interactive Connectivity Establishment ([RFC 8445]) with trickle ICE
//! ([RFC 8838]), consent freshness ([RFC 7675]), ice-lite and ICE restart. The agent owns
//! no socket, clock, thread or global randomness: the caller feeds it datagrams and time
//! and drains what it wants to send.
//!
//! [RFC 8445]: https://www.rfc-editor.org/rfc/rfc8445
//! [RFC 8838]: https://www.rfc-editor.org/rfc/rfc8838
//! [RFC 7675]: https://www.rfc-editor.org/rfc/rfc7675
#![forbid(unsafe_code)]
