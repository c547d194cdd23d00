//! The TURN client ([RFC 8656]) behind relayed candidates: Allocate with the 401
//! long-term-credential exchange, Refresh before expiry, CreatePermission for each peer,
//! ChannelBind for the selected pair, and Send/Data indications or ChannelData on the
//! data path.
//!
//! [RFC 8656]: https://www.rfc-editor.org/rfc/rfc8656

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use super::{IceAgent, IceEvent, KeyRef, Received, Transmit, TxKind};
use crate::candidate::{candidate_priority, Candidate, CandidateKind};
use crate::config::TurnServer;
use crate::stun::{self, Class, StunKey, TurnAuth, TurnRequest};

/// Permissions last 300 s (RFC 8656 §9); refresh a minute early.
const PERMISSION_REFRESH: Duration = Duration::from_secs(240);
/// Channel bindings last 600 s (RFC 8656 §12); refresh a minute early.
const CHANNEL_REFRESH: Duration = Duration::from_secs(540);
/// Datagrams held per allocation while a permission is being installed.
const MAX_HELD: usize = 16;
const MAX_PERMISSIONS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AllocState {
    Start,
    Allocating,
    Allocated,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TurnOp {
    Allocate,
    Refresh,
    Permission(IpAddr),
    Channel(u16),
}

#[derive(Debug, Clone)]
struct Permission {
    ip: IpAddr,
    installed: bool,
    in_flight: bool,
    refresh_at: Instant,
}

#[derive(Debug, Clone)]
struct Channel {
    peer: SocketAddr,
    number: u16,
    bound: bool,
    refresh_at: Instant,
}

#[derive(Debug, Clone)]
pub(super) struct Allocation {
    pub(super) base: SocketAddr,
    pub(super) server: TurnServer,
    pub(super) state: AllocState,
    realm: Option<String>,
    nonce: Option<String>,
    key: Option<StunKey>,
    auth_tries: u8,
    pub(super) relayed: Option<SocketAddr>,
    refresh_at: Option<Instant>,
    refresh_in_flight: bool,
    permissions: Vec<Permission>,
    channels: Vec<Channel>,
    held: Vec<(SocketAddr, Vec<u8>)>,
}

impl Allocation {
    pub(super) fn new(base: SocketAddr, server: TurnServer) -> Self {
        Self {
            base,
            server,
            state: AllocState::Start,
            realm: None,
            nonce: None,
            key: None,
            auth_tries: 0,
            relayed: None,
            refresh_at: None,
            refresh_in_flight: false,
            permissions: Vec::new(),
            channels: Vec::new(),
            held: Vec::new(),
        }
    }

    pub(super) fn done(&self) -> bool {
        matches!(self.state, AllocState::Allocated | AllocState::Failed)
    }

    pub(super) fn key(&self) -> Option<&StunKey> {
        self.key.as_ref()
    }

    pub(super) fn next_timer(&self) -> Option<Instant> {
        if self.state != AllocState::Allocated {
            return None;
        }
        let mut t = self.refresh_at.filter(|_| !self.refresh_in_flight);
        let mut at = |i: Instant| t = Some(t.map_or(i, |x: Instant| x.min(i)));
        for p in &self.permissions {
            if p.installed && !p.in_flight {
                at(p.refresh_at);
            }
        }
        for c in &self.channels {
            if c.bound {
                at(c.refresh_at);
            }
        }
        t
    }
}

impl IceAgent {
    /// Sends `data` from `source` to `destination`, through the TURN allocation when
    /// `source` is a relayed address.
    pub(super) fn emit(&mut self, source: SocketAddr, destination: SocketAddr, data: Vec<u8>) {
        let Some(ai) = self.relaying(source) else {
            self.push_transmit(Transmit {
                source,
                destination,
                data,
            });
            return;
        };
        self.relay_send(ai, destination, data);
    }

    /// Writes `data` for `peer` through allocation `ai` into `out` (appended): as
    /// ChannelData once the channel is bound (RFC 8656 §12), as a Send indication once a
    /// permission is installed (§10.1). `false`, with `out` unchanged, when neither is
    /// there yet.
    pub(super) fn relay_wrap(
        &mut self,
        ai: usize,
        peer: SocketAddr,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> bool {
        let a = &self.allocations[ai];
        if let Some(c) = a.channels.iter().find(|c| c.peer == peer && c.bound) {
            return stun::write_channel_data(out, c.number, data);
        }
        if a.permissions
            .iter()
            .any(|p| p.ip == peer.ip() && p.installed)
        {
            let id = self.new_txid();
            stun::write_send_indication(out, id, peer, data);
            return true;
        }
        false
    }

    /// The index of the allocation whose relayed address is `source`, once allocated.
    pub(super) fn relaying(&self, source: SocketAddr) -> Option<usize> {
        self.allocations
            .iter()
            .position(|a| a.relayed == Some(source) && a.state == AllocState::Allocated)
    }

    fn relay_send(&mut self, ai: usize, peer: SocketAddr, data: Vec<u8>) {
        let mut buf = Vec::with_capacity(data.len() + 40);
        if self.relay_wrap(ai, peer, &data, &mut buf) {
            let a = &self.allocations[ai];
            let (base, server) = (a.base, a.server.address);
            self.push_transmit(Transmit {
                source: base,
                destination: server,
                data: buf,
            });
            return;
        }
        self.relay_hold(ai, peer, data);
    }

    /// RFC 8656 §9: data is only relayed once a permission exists; holds `data` for `peer`
    /// meanwhile and asks for the permission if nobody has yet.
    pub(super) fn relay_hold(&mut self, ai: usize, peer: SocketAddr, data: Vec<u8>) {
        let now = self.now;
        let a = &mut self.allocations[ai];
        if a.held.len() < MAX_HELD {
            a.held.push((peer, data));
        }
        if !a.permissions.iter().any(|p| p.ip == peer.ip()) && a.permissions.len() < MAX_PERMISSIONS
        {
            a.permissions.push(Permission {
                ip: peer.ip(),
                installed: false,
                in_flight: false,
                refresh_at: now,
            });
            self.send_permission(now, ai, peer);
        }
    }

    fn turn_request(&mut self, now: Instant, ai: usize, op: TurnOp, req: TurnRequest) {
        let id = self.new_txid();
        let a = &self.allocations[ai];
        let mut buf = Vec::with_capacity(128);
        match (&a.realm, &a.nonce, &a.key) {
            (Some(realm), Some(nonce), Some(key)) => {
                let auth = TurnAuth {
                    username: &a.server.username,
                    realm,
                    nonce,
                    key,
                };
                stun::write_turn_request(&mut buf, id, req, Some(&auth));
            }
            _ => stun::write_turn_request(&mut buf, id, req, None),
        }
        let (source, destination) = (a.base, a.server.address);
        let (rto, max) = (self.config.initial_rto, self.config.max_requests);
        self.start_transaction(
            now,
            id,
            TxKind::Turn { alloc: ai, op },
            KeyRef::Turn(ai),
            source,
            destination,
            buf,
            rto,
            max,
        );
    }

    fn lifetime_secs(&self) -> u32 {
        self.config.turn_lifetime.as_secs().clamp(60, 3600) as u32
    }

    /// Sends the Allocate request of allocation `ai` (paced like gathering).
    pub(super) fn send_allocate(&mut self, now: Instant, ai: usize) {
        self.allocations[ai].state = AllocState::Allocating;
        let lifetime = self.lifetime_secs();
        self.turn_request(
            now,
            ai,
            TurnOp::Allocate,
            TurnRequest::Allocate { lifetime },
        );
    }

    fn send_permission(&mut self, now: Instant, ai: usize, peer: SocketAddr) {
        if let Some(p) = self.allocations[ai]
            .permissions
            .iter_mut()
            .find(|p| p.ip == peer.ip())
        {
            p.in_flight = true;
        }
        self.turn_request(
            now,
            ai,
            TurnOp::Permission(peer.ip()),
            TurnRequest::CreatePermission { peer },
        );
    }

    /// Binds a channel to the selected pair's remote when its local candidate is relayed
    /// (RFC 8656 §12), so application data goes as 4-byte-header ChannelData.
    pub(super) fn bind_channel_for(&mut self, relayed: SocketAddr, peer: SocketAddr) {
        let now = self.now;
        let Some(ai) = self
            .allocations
            .iter()
            .position(|a| a.relayed == Some(relayed))
        else {
            return;
        };
        let a = &mut self.allocations[ai];
        if a.channels.iter().any(|c| c.peer == peer) {
            return;
        }
        let number = 0x4000 + a.channels.len() as u16;
        if number > 0x4FFF {
            return;
        }
        a.channels.push(Channel {
            peer,
            number,
            bound: false,
            refresh_at: now,
        });
        self.turn_request(
            now,
            ai,
            TurnOp::Channel(number),
            TurnRequest::ChannelBind {
                peer,
                channel: number,
            },
        );
    }

    /// Refreshes allocations, permissions and channels that are due.
    pub(super) fn process_turn_timers(&mut self, now: Instant) {
        for ai in 0..self.allocations.len() {
            if self.allocations[ai].state != AllocState::Allocated {
                continue;
            }
            let a = &self.allocations[ai];
            if !a.refresh_in_flight && a.refresh_at.is_some_and(|t| now >= t) {
                self.allocations[ai].refresh_in_flight = true;
                let lifetime = self.lifetime_secs();
                self.turn_request(now, ai, TurnOp::Refresh, TurnRequest::Refresh { lifetime });
            }
            let due: Vec<IpAddr> = self.allocations[ai]
                .permissions
                .iter()
                .filter(|p| p.installed && !p.in_flight && now >= p.refresh_at)
                .map(|p| p.ip)
                .collect();
            for ip in due {
                self.send_permission(now, ai, SocketAddr::new(ip, 0));
            }
            let due: Vec<(SocketAddr, u16)> = self.allocations[ai]
                .channels
                .iter()
                .filter(|c| c.bound && now >= c.refresh_at)
                .map(|c| (c.peer, c.number))
                .collect();
            for (peer, number) in due {
                if let Some(c) = self.allocations[ai]
                    .channels
                    .iter_mut()
                    .find(|c| c.number == number)
                {
                    c.refresh_at = now + CHANNEL_REFRESH;
                }
                self.turn_request(
                    now,
                    ai,
                    TurnOp::Channel(number),
                    TurnRequest::ChannelBind {
                        peer,
                        channel: number,
                    },
                );
            }
        }
    }

    /// A transaction of allocation `ai` gave up.
    pub(super) fn turn_timeout(&mut self, ai: usize, op: TurnOp) {
        let Some(a) = self.allocations.get_mut(ai) else {
            return;
        };
        match op {
            TurnOp::Allocate => a.state = AllocState::Failed,
            TurnOp::Refresh => a.refresh_in_flight = false,
            TurnOp::Permission(ip) => {
                if let Some(p) = a.permissions.iter_mut().find(|p| p.ip == ip) {
                    p.in_flight = false;
                }
            }
            TurnOp::Channel(_) => {}
        }
    }

    /// Handles a response to a TURN request of allocation `ai`.
    pub(super) fn turn_response(&mut self, ai: usize, op: TurnOp, msg: &stun::Parsed<'_>) {
        let now = self.now;
        if ai >= self.allocations.len() {
            return;
        }
        if msg.class() == Class::Error {
            let code = msg.error_code();
            let a = &mut self.allocations[ai];
            // RFC 8489 §9.2.5: 401 gives realm and nonce (retry once with credentials);
            // 438 a fresh nonce.
            if (code == Some(401) || code == Some(438)) && a.auth_tries < 3 {
                if let (Some(realm), Some(nonce)) = (msg.realm(), msg.nonce()) {
                    if code == Some(401) && a.key.is_some() && a.realm.as_deref() == Some(realm) {
                        // Wrong credentials: a second 401 with a key is final.
                        a.auth_tries = 3;
                    } else {
                        a.auth_tries += 1;
                        a.key = StunKey::long_term(&a.server.username, realm, &a.server.password);
                        a.realm = Some(realm.to_owned());
                        a.nonce = Some(nonce.to_owned());
                        match op {
                            TurnOp::Allocate => {
                                let lifetime = self.lifetime_secs();
                                self.turn_request(now, ai, op, TurnRequest::Allocate { lifetime });
                            }
                            TurnOp::Refresh => {
                                let lifetime = self.lifetime_secs();
                                self.turn_request(now, ai, op, TurnRequest::Refresh { lifetime });
                            }
                            TurnOp::Permission(ip) => {
                                self.send_permission(now, ai, SocketAddr::new(ip, 0));
                            }
                            TurnOp::Channel(number) => {
                                let peer = self.allocations[ai]
                                    .channels
                                    .iter()
                                    .find(|c| c.number == number);
                                if let Some(peer) = peer.map(|c| c.peer) {
                                    self.turn_request(
                                        now,
                                        ai,
                                        op,
                                        TurnRequest::ChannelBind {
                                            peer,
                                            channel: number,
                                        },
                                    );
                                }
                            }
                        }
                        return;
                    }
                }
            }
            self.turn_timeout(ai, op);
            return;
        }
        self.allocations[ai].auth_tries = 0;
        match op {
            TurnOp::Allocate => self.allocated(ai, msg),
            TurnOp::Refresh => {
                let lifetime = msg.lifetime().unwrap_or(self.lifetime_secs());
                let a = &mut self.allocations[ai];
                a.refresh_in_flight = false;
                a.refresh_at = Some(now + refresh_delay(lifetime));
            }
            TurnOp::Permission(ip) => {
                let a = &mut self.allocations[ai];
                if let Some(p) = a.permissions.iter_mut().find(|p| p.ip == ip) {
                    p.installed = true;
                    p.in_flight = false;
                    p.refresh_at = now + PERMISSION_REFRESH;
                }
                let (ready, held): (Vec<_>, Vec<_>) = core::mem::take(&mut a.held)
                    .into_iter()
                    .partition(|(peer, _)| peer.ip() == ip);
                a.held = held;
                for (peer, data) in ready {
                    self.relay_send(ai, peer, data);
                }
            }
            TurnOp::Channel(number) => {
                let a = &mut self.allocations[ai];
                if let Some(c) = a.channels.iter_mut().find(|c| c.number == number) {
                    c.bound = true;
                    c.refresh_at = now + CHANNEL_REFRESH;
                    let ip = c.peer.ip();
                    // A channel binding installs or refreshes the permission too (§12.1).
                    match a.permissions.iter_mut().find(|p| p.ip == ip) {
                        Some(p) => {
                            p.installed = true;
                            p.refresh_at = now + PERMISSION_REFRESH;
                        }
                        None => a.permissions.push(Permission {
                            ip,
                            installed: true,
                            in_flight: false,
                            refresh_at: now + PERMISSION_REFRESH,
                        }),
                    }
                }
            }
        }
    }

    fn allocated(&mut self, ai: usize, msg: &stun::Parsed<'_>) {
        let now = self.now;
        let Some(relayed) = msg.xor_relayed_address() else {
            self.allocations[ai].state = AllocState::Failed;
            return;
        };
        let lifetime = msg.lifetime().unwrap_or(self.lifetime_secs());
        let a = &mut self.allocations[ai];
        a.state = AllocState::Allocated;
        a.relayed = Some(relayed);
        a.refresh_at = Some(now + refresh_delay(lifetime));
        let (base, server) = (a.base, a.server.address);
        if self.local.len() >= super::MAX_LOCAL_CANDIDATES {
            return;
        }
        let Some(host) = self.local.iter().find(|c| c.address == base) else {
            return;
        };
        let local_pref = ((host.priority >> 8) & 0xffff) as u16;
        let foundation = self.foundation(CandidateKind::Relayed, base.ip(), Some(server.ip()));
        let priority = candidate_priority(CandidateKind::Relayed, local_pref, 1);
        // The base of a relayed candidate is the candidate itself (RFC 8445 §5.1.1.2);
        // the related address is the mapped address the server saw.
        let mut c = Candidate::new(CandidateKind::Relayed, relayed, priority, &foundation);
        if let Some(mapped) = msg.xor_mapped_address() {
            c = c.with_related(mapped);
        }
        self.local.push(c.clone());
        self.events.push_back(IceEvent::LocalCandidate(c));
        let li = self.local.len() - 1;
        for ri in 0..self.remote.len() {
            self.add_pair(li, ri);
        }
        // The mapped address is a server-reflexive candidate too (RFC 8445 §5.1.1.2).
        if let Some(mapped) = msg.xor_mapped_address() {
            self.add_server_reflexive(base, server, mapped);
        }
    }

    /// Unwraps ChannelData and Data indications arriving from a TURN server on the
    /// allocation's base: (allocation, peer, payload).
    pub(super) fn turn_unwrap<'a>(
        &self,
        source: SocketAddr,
        destination: SocketAddr,
        data: &'a [u8],
    ) -> Option<(usize, SocketAddr, &'a [u8])> {
        let ai = self.allocations.iter().position(|a| {
            a.server.address == source && a.base == destination && a.state == AllocState::Allocated
        })?;
        if stun::is_channel_data(data) {
            let (number, payload) = stun::parse_channel_data(data)?;
            let peer = self.allocations[ai]
                .channels
                .iter()
                .find(|c| c.number == number)?
                .peer;
            return Some((ai, peer, payload));
        }
        let msg = stun::Parsed::parse(data)?;
        if msg.class() != Class::Indication || msg.method() != stun_turn_codec::Method::DATA {
            return None;
        }
        Some((ai, msg.xor_peer_address()?, msg.data()?))
    }

    /// Handles what arrived through a relay: STUN from the peer is processed as if it had
    /// arrived on the relayed address; anything else is application data.
    pub(super) fn receive_relayed<'a>(
        &mut self,
        now: Instant,
        ai: usize,
        peer: SocketAddr,
        data: &'a [u8],
    ) -> Received<'a> {
        let Some(relayed) = self.allocations[ai].relayed else {
            return Received::Consumed;
        };
        let rx = super::Receive {
            source: peer,
            destination: relayed,
            data,
        };
        if stun::is_stun(data) {
            self.handle_stun(now, rx);
            Received::Consumed
        } else {
            Received::Data { peer, data }
        }
    }
}

/// Refresh a minute before expiry, or at half the lifetime when it is short.
fn refresh_delay(lifetime: u32) -> Duration {
    let l = Duration::from_secs(u64::from(lifetime.max(1)));
    if l > Duration::from_secs(120) {
        l - Duration::from_secs(60)
    } else {
        l / 2
    }
}
