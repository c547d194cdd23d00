//! What decoding knows and learns along a capture: STUN keys (passwords, ICE credentials,
//! the key of each request), the TURN channels bound, the SDPs' extension ids and
//! candidates, and the SRTP key ring.

use std::collections::HashMap;
use std::net::SocketAddr;

use stun_turn_codec::{
    Class, IntegrityKey, LongTermAlgorithm, Message, Method, PasswordPrep, StunError, TransactionId,
};

use super::super::keyring::KeyRing;

/// Outcome of a MESSAGE-INTEGRITY or FINGERPRINT check, as the JSON contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// Verified.
    Ok,
    /// Present but wrong (for integrity: with every key that applied).
    Failed,
    /// The attribute is not in the message.
    Absent,
    /// Integrity only: present, but no key for it is known.
    Unverified,
}

impl Check {
    /// `"ok"`, `"failed"`, `"absent"` or `"unverified"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Failed => "failed",
            Self::Absent => "absent",
            Self::Unverified => "unverified",
        }
    }
}

/// What decoding knows and learns along a capture: the keys for checking
/// MESSAGE-INTEGRITY, the TURN channels bound, and the RTP header extension ids of the SDPs.
///
/// * Passwords given on the command line are tried as short-term keys (RFC 8489 §9.1) and,
///   for messages carrying USERNAME and REALM, as long-term keys (§9.2).
/// * ICE credentials (ufrag → ice-pwd) key a request by its USERNAME `RFRAG:LFRAG`: the
///   HMAC key is the password of the agent that receives the request, whose ufrag comes
///   first (RFC 8445 §7.2.2, §7.3).
/// * A response is keyed like its request (RFC 8489 §9.1.3, §9.2.3): the key that verified
///   a request, or the long-term credentials its USERNAME/REALM named, is remembered by
///   transaction id.
#[derive(Debug, Default)]
pub struct Session {
    passwords: Vec<String>,
    /// TURN long-term credentials (`--turn-user`, `--turn-password`): the password, and the
    /// user it is for (any user when `None`).
    turn: Vec<(Option<String>, String)>,
    short_term: Vec<IntegrityKey>,
    ice: HashMap<String, IntegrityKey>,
    by_transaction: HashMap<TransactionId, IntegrityKey>,
    long_term_names: HashMap<TransactionId, (String, String)>,
    channels: std::collections::HashSet<u16>,
    pub(super) extmap: HashMap<u8, String>,
    rfc5766_channels: bool,
    candidates: HashMap<SocketAddr, String>,
    /// SRTP keys (key logs, SDES, raw keys) and which flow each decrypts.
    pub srtp: KeyRing,
    /// Flows (address pairs, either order) that carried a DTLS plaintext record: only on
    /// them is a first byte of 0x20–0x3F a DTLS 1.3 unified header (RFC 9147 §4 needs an
    /// epoch the handshake established).
    dtls_flows: std::collections::HashSet<(SocketAddr, SocketAddr)>,
}

/// The password preparations tried, in order.
const PREPS: [PasswordPrep; 2] = [PasswordPrep::OpaqueString, PasswordPrep::SaslPrep];

/// Upper bound on remembered transactions, so that memory stays bounded on long captures.
const MAX_REMEMBERED: usize = 100_000;

impl Session {
    /// No keys: every integrity attribute is `unverified`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds TURN long-term credentials (RFC 8656 §5 requires the long-term mechanism of
    /// RFC 8489 §9.2 for TURN): the password keys Allocate, Refresh, CreatePermission,
    /// ChannelBind and the RFC 6062 methods, with the realm and nonce the messages carry,
    /// for `user` only when given.
    pub fn add_turn_credentials(&mut self, user: Option<&str>, password: &str) {
        self.turn
            .push((user.map(str::to_owned), password.to_owned()));
    }

    /// Adds a password, tried as a short-term key and as a long-term password, prepared
    /// with OpaqueString (RFC 8265, as RFC 8489 requires) and with SASLprep (RFC 4013, as
    /// RFC 5389 peers and the RFC 5769 vectors use).
    ///
    /// # Errors
    ///
    /// The password fails both preparations.
    pub fn add_password(&mut self, password: &str) -> Result<(), StunError> {
        self.add_short_term(password)?;
        self.passwords.push(password.to_owned());
        Ok(())
    }

    /// Adds an ICE password (`--ice-pwd`): a short-term key only (RFC 8445 §7.2.2), never
    /// a long-term password, so that it cannot fail TURN messages.
    ///
    /// # Errors
    ///
    /// The password fails both preparations.
    pub fn add_short_term(&mut self, password: &str) -> Result<(), StunError> {
        let mut prepared: Vec<String> = Vec::new();
        let mut error = None;
        for prep in PREPS {
            match stun_turn_codec::prepare(password, prep) {
                Ok(p) if !prepared.iter().any(|q| q == p.as_ref()) => prepared.push(p.into_owned()),
                Ok(_) => {}
                Err(e) => error = Some(e),
            }
        }
        if prepared.is_empty() {
            return Err(error.unwrap_or(StunError::Preparation("empty password")));
        }
        for p in &prepared {
            self.short_term.push(IntegrityKey::new(p.as_bytes()));
        }
        Ok(())
    }

    /// Adds an ICE agent's credentials (`a=ice-ufrag`, `a=ice-pwd`).
    ///
    /// # Errors
    ///
    /// The password fails preparation.
    pub fn add_ice(&mut self, ufrag: &str, pwd: &str) -> Result<(), StunError> {
        self.ice
            .insert(ufrag.to_owned(), IntegrityKey::short_term(pwd)?);
        Ok(())
    }

    /// Maps an RTP header extension id to its URI (`a=extmap`); the first mapping of an id
    /// wins, as BUNDLE requires one mapping per id (RFC 8843 §9.2).
    pub fn add_extmap(&mut self, id: u8, uri: &str) {
        self.extmap.entry(id).or_insert_with(|| uri.to_owned());
    }

    /// Adds the ICE credentials and header extension ids of an SDP, session and media
    /// level.
    ///
    /// # Errors
    ///
    /// An ice-pwd fails preparation.
    pub fn add_sdp(&mut self, sdp: &sdp_parse::SessionDescription<&str>) -> Result<(), StunError> {
        let mut creds = vec![(
            sdp.ice_ufrag().map(|s| s.to_string()),
            sdp.ice_pwd().map(|s| s.to_string()),
        )];
        for m in &sdp.media {
            creds.push((
                m.ice_ufrag().map(|s| s.to_string()),
                m.ice_pwd().map(|s| s.to_string()),
            ));
            for c in m.candidates() {
                if let Ok(ip) = c.address().parse::<std::net::IpAddr>() {
                    self.candidates
                        .entry(SocketAddr::new(ip, c.port()))
                        .or_insert_with(|| format!("{} {}", c.typ(), c.transport().to_lowercase()));
                }
            }
            for e in m.extmaps() {
                if let Ok(id) = u8::try_from(e.id) {
                    self.add_extmap(id, e.uri);
                }
            }
        }
        for (u, p) in creds {
            if let (Some(u), Some(p)) = (u, p) {
                self.add_ice(&u, &p)?;
            }
        }
        Ok(())
    }

    /// Reads a datagram starting 0x50–0x7F as RFC 5766 ChannelData without having seen its
    /// ChannelBind, when its length field matches the datagram exactly (for a single
    /// packet given out of context; a capture learns bound channels instead).
    pub fn assume_rfc5766_channels(&mut self) {
        self.rfc5766_channels = true;
    }

    /// Notes that the flow between `a` and `b` carries DTLS.
    pub(super) fn note_dtls_flow(&mut self, a: SocketAddr, b: SocketAddr) {
        if self.dtls_flows.len() >= MAX_REMEMBERED {
            self.dtls_flows.clear();
        }
        self.dtls_flows.insert(if a <= b { (a, b) } else { (b, a) });
    }

    /// Whether the flow between `a` and `b` carried a DTLS plaintext record.
    #[must_use]
    pub fn is_dtls_flow(&self, a: SocketAddr, b: SocketAddr) -> bool {
        self.dtls_flows
            .contains(&if a <= b { (a, b) } else { (b, a) })
    }

    /// Whether ChannelData numbers of RFC 5766 (up to 0x7FFF) are taken without a binding.
    #[must_use]
    pub fn rfc5766_channels(&self) -> bool {
        self.rfc5766_channels
    }

    /// The type and transport of the SDP candidate at `addr` (`"host udp"`, `"relay udp"`,
    /// ...), if an SDP announced one.
    #[must_use]
    pub fn candidate(&self, addr: &SocketAddr) -> Option<&str> {
        self.candidates.get(addr).map(String::as_str)
    }

    /// Notes the channel number of a ChannelBind request.
    pub(super) fn note_channel(&mut self, m: &Message<'_>) {
        if m.method() == Method::CHANNEL_BIND && m.class() == Class::Request {
            if let Ok(Some(ch)) = m.channel_number() {
                self.channels.insert(ch);
            }
        }
    }

    /// Whether a ChannelBind for `channel` was seen. RFC 5766 TURN servers and clients
    /// bind channels 0x5000-0x7FFF, whose first byte RFC 7983 (as updated by RFC 9443)
    /// gives to QUIC; a datagram there is taken for ChannelData only when its channel was
    /// bound.
    #[must_use]
    pub fn channel_bound(&self, channel: u16) -> bool {
        self.channels.contains(&channel)
    }

    /// Whether any key is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.short_term.is_empty() && self.ice.is_empty()
    }

    fn remember(&mut self, tid: TransactionId, key: IntegrityKey) {
        if self.by_transaction.len() >= MAX_REMEMBERED {
            self.by_transaction.clear();
        }
        self.by_transaction.insert(tid, key);
    }

    /// Checks the integrity of `m` with every key that applies to it.
    pub fn check(&mut self, m: &Message<'_>) -> (Check, Option<&'static str>) {
        if m.message_integrity_offset().is_none() && m.message_integrity_sha256_offset().is_none() {
            return (Check::Absent, None);
        }
        let tid = m.transaction_id();
        let is_response = matches!(m.class(), Class::SuccessResponse | Class::ErrorResponse);
        // TURN's methods use the long-term mechanism only (RFC 8656 §5): ICE passwords and
        // short-term keys never apply to them, so without TURN credentials they are
        // unverified, not failed.
        let turn = is_turn_method(m.method());
        let mut tried = false;
        let mut found: Option<(IntegrityKey, &'static str)> = None;
        let mut attempt = |key: &IntegrityKey, how: &'static str, found: &mut Option<_>| {
            tried = true;
            if found.is_none() && m.verify_integrity(key).is_ok() {
                *found = Some((key.clone(), how));
            }
        };
        if is_response {
            if let Some(k) = self.by_transaction.get(&tid) {
                attempt(k, "request's key", &mut found);
            }
        }
        if let (false, Ok(Some(user))) = (turn, m.username()) {
            if let Some(k) = user.split(':').next().and_then(|u| self.ice.get(u)) {
                attempt(k, "ice-pwd", &mut found);
            }
        }
        let names = match (m.username(), m.realm()) {
            (Ok(Some(u)), Ok(Some(r))) => {
                if self.long_term_names.len() >= MAX_REMEMBERED {
                    self.long_term_names.clear();
                }
                self.long_term_names
                    .insert(tid, (u.to_owned(), r.to_owned()));
                Some((u.to_owned(), r.to_owned()))
            }
            _ if is_response => self.long_term_names.get(&tid).cloned(),
            _ => None,
        };
        let own_names = matches!((m.username(), m.realm()), (Ok(Some(_)), Ok(Some(_))));
        let user = names.as_ref().map(|(u, _)| u.as_str());
        let turn_passwords = self
            .turn
            .iter()
            .filter(|(u, _)| u.is_none() || u.as_deref() == user)
            .map(|(_, p)| p);
        for pw in self.passwords.iter().chain(turn_passwords) {
            for prep in PREPS {
                let key = if own_names {
                    // The message's own USERNAME, REALM and PASSWORD-ALGORITHM (§9.2.4).
                    m.long_term_key(pw, prep).ok().flatten()
                } else if let Some((u, r)) = &names {
                    IntegrityKey::long_term(u, r, pw, LongTermAlgorithm::Md5, prep).ok()
                } else {
                    None
                };
                if let Some(k) = key {
                    attempt(&k, "long-term", &mut found);
                }
            }
        }
        for k in self.short_term.iter().filter(|_| !turn) {
            attempt(k, "short-term", &mut found);
        }
        if !turn && found.is_none() && self.ice.len() > 1 && m.class() != Class::Request {
            // Indications and responses whose request was not seen: any ICE password.
            for k in self.ice.values() {
                attempt(k, "ice-pwd", &mut found);
            }
        }
        match found {
            Some((key, how)) => {
                if m.class() == Class::Request {
                    self.remember(tid, key);
                }
                (Check::Ok, Some(how))
            }
            None if tried => (Check::Failed, None),
            None => (Check::Unverified, None),
        }
    }
}

/// Whether `method` is one of TURN's (RFC 8656 §17, RFC 6062 §6.1).
fn is_turn_method(method: Method) -> bool {
    [
        Method::ALLOCATE,
        Method::REFRESH,
        Method::CREATE_PERMISSION,
        Method::CHANNEL_BIND,
        Method::CONNECT,
        Method::CONNECTION_BIND,
        Method::CONNECTION_ATTEMPT,
    ]
    .contains(&method)
}

/// The FINGERPRINT outcome of `m`.
#[must_use]
pub fn fingerprint(m: &Message<'_>) -> Check {
    match m.verify_fingerprint() {
        Ok(()) => Check::Ok,
        Err(StunError::FingerprintMissing) => Check::Absent,
        Err(_) => Check::Failed,
    }
}
