//! ICE connectivity checks rebuilt from a capture: STUN transactions (request ↔ response,
//! RTT, retransmissions, errors), integrity verified with known passwords, and the
//! candidate pairs that were checked and nominated (RFC 8445 §7), including checks carried
//! through a TURN relay in Send/Data indications and ChannelData (RFC 8656 §11, §12).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use rtp_codec::demux::{classify, PacketKind};
use serde::Serialize;
use stun_turn_codec::{ChannelData, Class, Message, Method};

use super::decode::{fingerprint, Session};
use super::records::Record;

/// How a STUN message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// Directly in a UDP datagram or TCP frame.
    Direct,
    /// In the DATA of a TURN Send indication (client → relay).
    SendIndication,
    /// In the DATA of a TURN Data indication (relay → client).
    DataIndication,
    /// In a TURN ChannelData message.
    ChannelData,
}

/// One STUN message as listed by `ice`.
#[derive(Debug, Clone, Serialize)]
pub struct StunEntry {
    /// Frame number.
    pub frame: u64,
    /// Seconds since the first frame.
    pub time: f64,
    /// Sender as seen by the ICE agents (the peer address for relayed messages).
    pub src: String,
    /// Receiver as seen by the ICE agents.
    pub dst: String,
    /// How it travelled.
    pub via: Via,
    /// STUN class.
    pub class: Class,
    /// STUN method.
    pub method: Method,
    /// Transaction id, hex.
    pub transaction_id: String,
    /// MESSAGE-INTEGRITY outcome.
    pub integrity: &'static str,
    /// FINGERPRINT outcome.
    pub fingerprint: &'static str,
    /// USERNAME, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// USE-CANDIDATE present.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub use_candidate: bool,
    /// ERROR-CODE, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A request and what answered it.
#[derive(Debug, Clone, Serialize)]
pub struct Transaction {
    /// Transaction id, hex.
    pub transaction_id: String,
    /// Method.
    pub method: Method,
    /// Frame of the first request.
    pub frame: u64,
    /// Requester.
    pub src: String,
    /// Responder.
    pub dst: String,
    /// How the request travelled.
    pub via: Via,
    /// Copies of the request after the first (RFC 8489 §6.2.1 retransmissions).
    pub retransmissions: u32,
    /// Frame of the first response.
    pub response_frame: Option<u64>,
    /// `"success"`, `"error"` or `"none"`.
    pub outcome: &'static str,
    /// ERROR-CODE of an error response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// From the last request sent to the first response, ms.
    pub rtt_ms: Option<f64>,
    /// USE-CANDIDATE in the request.
    pub use_candidate: bool,
    /// Integrity of the request.
    pub request_integrity: &'static str,
    /// Integrity of the response.
    pub response_integrity: Option<&'static str>,
    #[serde(skip)]
    last_time: Duration,
}

/// A candidate pair (RFC 8445 §6.1.2), from the checks seen on it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Pair {
    /// The checking side's address.
    pub local: String,
    /// The checked side's address.
    pub remote: String,
    /// Binding requests sent (retransmissions included).
    pub requests: u32,
    /// Success responses.
    pub successes: u32,
    /// Error responses.
    pub errors: u32,
    /// A request carried USE-CANDIDATE.
    pub use_candidate: bool,
    /// A USE-CANDIDATE request succeeded: the pair is nominated (RFC 8445 §8.1.1).
    pub nominated: bool,
    /// Whether checks were relayed through TURN.
    pub relayed: bool,
    /// The SDP candidate at `local` (`"host udp"`, ...), when an SDP announced it; an
    /// address no SDP announced is a peer-reflexive candidate (RFC 8445 §7.2.5.3.1) or
    /// one trickled outside the SDPs given.
    pub local_candidate: Option<String>,
    /// The SDP candidate at `remote`.
    pub remote_candidate: Option<String>,
}

/// The result of `ice`.
#[derive(Debug, Clone, Serialize)]
pub struct IceReport {
    /// Every STUN message, in capture order.
    pub messages: Vec<StunEntry>,
    /// Every transaction, by first request.
    pub transactions: Vec<Transaction>,
    /// Every candidate pair checked with Binding requests carrying USERNAME.
    pub pairs: Vec<Pair>,
    /// The nominated pair, `{"local", "remote"}` (the last one, after an ICE restart).
    pub nominated: Option<NominatedPair>,
}

/// A nominated pair.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NominatedPair {
    /// The controlling side's address.
    pub local: String,
    /// The controlled side's address.
    pub remote: String,
}

/// Builds an [`IceReport`] record by record.
#[derive(Debug, Default)]
pub struct Ice {
    keys: Session,
    messages: Vec<StunEntry>,
    transactions: Vec<Transaction>,
    by_tid: HashMap<[u8; 12], usize>,
    pairs: BTreeMap<(String, String), Pair>,
    /// (client, server, channel) → peer, from ChannelBind requests.
    channels: HashMap<(SocketAddr, SocketAddr, u16), SocketAddr>,
    pending_bind: HashMap<[u8; 12], (u16, SocketAddr)>,
    /// (client, server) → relayed address, from Allocate success responses.
    relays: HashMap<(SocketAddr, SocketAddr), SocketAddr>,
    nominated: Option<NominatedPair>,
}

impl Ice {
    /// A collector that verifies integrity with `keys`.
    #[must_use]
    pub fn new(keys: Session) -> Self {
        Self {
            keys,
            ..Self::default()
        }
    }

    /// Accounts for one record.
    pub fn add(&mut self, r: &Record<'_>) {
        let t = r.time;
        match classify(r.payload) {
            PacketKind::Stun => {
                let Ok(m) = Message::parse(r.payload) else {
                    return;
                };
                self.turn_bookkeeping(&m, r.src, r.dst);
                // TURN Send/Data indications carry the peers' datagrams.
                if m.class() == Class::Indication
                    && (m.method() == Method::SEND || m.method() == Method::DATA)
                {
                    if let (Ok(Some(peer)), Ok(Some(data))) = (m.xor_peer_address(), m.data()) {
                        if let Ok(inner) = Message::parse(data) {
                            let relay = self.relay_of(r.src, r.dst);
                            let (src, dst, via) = if m.method() == Method::SEND {
                                (relay, peer, Via::SendIndication)
                            } else {
                                (peer, relay, Via::DataIndication)
                            };
                            self.message(&inner, r.frame, t, src, dst, via);
                            return;
                        }
                    }
                }
                self.message(&m, r.frame, t, r.src, r.dst, Via::Direct);
            }
            PacketKind::TurnChannel => {
                let Ok(cd) = ChannelData::parse_rfc5766(r.payload, r.transport) else {
                    return;
                };
                let Ok(inner) = Message::parse(cd.data()) else {
                    return;
                };
                // Client → server: the client's relay sends to the peer bound to the
                // channel; server → client: the peer sends to the relay.
                if let Some(&peer) = self.channels.get(&(r.src, r.dst, cd.channel())) {
                    let relay = self.relay_of(r.src, r.dst);
                    self.message(&inner, r.frame, t, relay, peer, Via::ChannelData);
                } else if let Some(&peer) = self.channels.get(&(r.dst, r.src, cd.channel())) {
                    let relay = self.relay_of(r.dst, r.src);
                    self.message(&inner, r.frame, t, peer, relay, Via::ChannelData);
                } else {
                    self.message(&inner, r.frame, t, r.src, r.dst, Via::ChannelData);
                }
            }
            _ => {}
        }
    }

    fn relay_of(&self, client: SocketAddr, server: SocketAddr) -> SocketAddr {
        self.relays
            .get(&(client, server))
            .or_else(|| self.relays.get(&(server, client)))
            .copied()
            .unwrap_or(client)
    }

    fn turn_bookkeeping(&mut self, m: &Message<'_>, src: SocketAddr, dst: SocketAddr) {
        let tid = m.transaction_id().0;
        match (m.method(), m.class()) {
            (Method::CHANNEL_BIND, Class::Request) => {
                if let (Ok(Some(ch)), Ok(Some(peer))) = (m.channel_number(), m.xor_peer_address()) {
                    self.pending_bind.insert(tid, (ch, peer));
                }
            }
            (Method::CHANNEL_BIND, Class::SuccessResponse) => {
                if let Some((ch, peer)) = self.pending_bind.remove(&tid) {
                    self.channels.insert((dst, src, ch), peer);
                }
            }
            (Method::ALLOCATE, Class::SuccessResponse) => {
                if let Ok(Some(relayed)) = m.xor_relayed_address() {
                    self.relays.insert((dst, src), relayed);
                }
            }
            _ => {}
        }
    }

    fn message(
        &mut self,
        m: &Message<'_>,
        frame: u64,
        t: Duration,
        src: SocketAddr,
        dst: SocketAddr,
        via: Via,
    ) {
        let (integrity, _) = self.keys.check(m);
        let tid = m.transaction_id().0;
        let error = m
            .error_code()
            .ok()
            .flatten()
            .map(|e| format!("{} {}", e.code, e.reason));
        let entry = StunEntry {
            frame,
            time: t.as_secs_f64(),
            src: src.to_string(),
            dst: dst.to_string(),
            via,
            class: m.class(),
            method: m.method(),
            transaction_id: hex::encode(tid),
            integrity: integrity.name(),
            fingerprint: fingerprint(m).name(),
            username: m.username().ok().flatten().map(str::to_owned),
            use_candidate: m.use_candidate(),
            error: error.clone(),
        };
        // Connectivity checks are Binding requests with USERNAME (RFC 8445 §7.2.2); a
        // Binding without one is a plain STUN query (e.g. to a STUN server for a
        // server-reflexive address) and makes no candidate pair.
        let is_binding = m.method() == Method::BINDING;
        let is_check = is_binding && entry.username.is_some();
        match m.class() {
            Class::Request => {
                if let Some(&i) = self.by_tid.get(&tid) {
                    let tr = &mut self.transactions[i];
                    tr.retransmissions += 1;
                    tr.last_time = t;
                } else {
                    self.by_tid.insert(tid, self.transactions.len());
                    self.transactions.push(Transaction {
                        transaction_id: entry.transaction_id.clone(),
                        method: m.method(),
                        frame,
                        src: entry.src.clone(),
                        dst: entry.dst.clone(),
                        via,
                        retransmissions: 0,
                        response_frame: None,
                        outcome: "none",
                        error: None,
                        rtt_ms: None,
                        use_candidate: m.use_candidate(),
                        request_integrity: integrity.name(),
                        response_integrity: None,
                        last_time: t,
                    });
                }
                if is_check {
                    let p = self.pair(&entry.src, &entry.dst, via);
                    p.requests += 1;
                    p.use_candidate |= m.use_candidate();
                }
            }
            Class::SuccessResponse | Class::ErrorResponse => {
                if let Some(&i) = self.by_tid.get(&tid) {
                    let tr = &mut self.transactions[i];
                    if tr.response_frame.is_none() {
                        tr.response_frame = Some(frame);
                        tr.rtt_ms = Some(t.saturating_sub(tr.last_time).as_secs_f64() * 1000.0);
                        tr.response_integrity = Some(integrity.name());
                        let success = m.class() == Class::SuccessResponse;
                        tr.outcome = if success { "success" } else { "error" };
                        tr.error.clone_from(&error);
                        let key = (tr.src.clone(), tr.dst.clone());
                        if tr.method == Method::BINDING && self.pairs.contains_key(&key) {
                            let (src, dst, uc, via) =
                                (tr.src.clone(), tr.dst.clone(), tr.use_candidate, tr.via);
                            let p = self.pair(&src, &dst, via);
                            if success {
                                p.successes += 1;
                                if uc {
                                    p.nominated = true;
                                    self.nominated = Some(NominatedPair {
                                        local: src,
                                        remote: dst,
                                    });
                                }
                            } else {
                                p.errors += 1;
                            }
                        }
                    }
                }
            }
            Class::Indication => {}
        }
        self.messages.push(entry);
    }

    fn pair(&mut self, local: &str, remote: &str, via: Via) -> &mut Pair {
        let p = self
            .pairs
            .entry((local.to_owned(), remote.to_owned()))
            .or_insert_with(|| Pair {
                local: local.to_owned(),
                remote: remote.to_owned(),
                requests: 0,
                successes: 0,
                errors: 0,
                use_candidate: false,
                nominated: false,
                relayed: false,
                local_candidate: None,
                remote_candidate: None,
            });
        p.relayed |= via != Via::Direct;
        p
    }

    /// The report.
    #[must_use]
    pub fn finish(self) -> IceReport {
        let keys = &self.keys;
        let annotate = |mut p: Pair| {
            let cand = |a: &str| {
                a.parse::<SocketAddr>()
                    .ok()
                    .and_then(|a| keys.candidate(&a).map(str::to_owned))
            };
            p.local_candidate = cand(&p.local);
            p.remote_candidate = cand(&p.remote);
            p
        };
        IceReport {
            pairs: self.pairs.into_values().map(annotate).collect(),
            messages: self.messages,
            transactions: self.transactions,
            nominated: self.nominated,
        }
    }
}

/// The text form of a report.
#[must_use]
pub fn render_text(r: &IceReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "STUN transactions ({}):", r.transactions.len());
    for t in &r.transactions {
        let rtt = t
            .rtt_ms
            .map_or_else(|| "-".to_owned(), |v| format!("{v:.3} ms"));
        let _ = writeln!(
            out,
            "  frame {:>6} {} {} -> {} {}{}: {}{} rtt {} retx {} integrity {}/{}",
            t.frame,
            t.method,
            t.src,
            t.dst,
            t.transaction_id,
            if t.use_candidate {
                " USE-CANDIDATE"
            } else {
                ""
            },
            t.outcome,
            t.error
                .as_ref()
                .map_or_else(String::new, |e| format!(" ({e})")),
            rtt,
            t.retransmissions,
            t.request_integrity,
            t.response_integrity.unwrap_or("-"),
        );
    }
    let _ = writeln!(out, "Candidate pairs ({}):", r.pairs.len());
    for p in &r.pairs {
        let typ = |c: &Option<String>| c.as_ref().map_or_else(String::new, |c| format!(" ({c})"));
        let _ = writeln!(
            out,
            "  {}{} -> {}{}: {} requests, {} successes, {} errors{}{}{}",
            p.local,
            typ(&p.local_candidate),
            p.remote,
            typ(&p.remote_candidate),
            p.requests,
            p.successes,
            p.errors,
            if p.use_candidate {
                ", USE-CANDIDATE"
            } else {
                ""
            },
            if p.relayed { ", relayed" } else { "" },
            if p.nominated { ", NOMINATED" } else { "" },
        );
    }
    match &r.nominated {
        Some(n) => {
            let _ = writeln!(out, "Nominated: {} -> {}", n.local, n.remote);
        }
        None => {
            let _ = writeln!(out, "Nominated: none");
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &r.messages {
        *counts.entry(m.integrity).or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(
        out,
        "Integrity of {} STUN messages: {}",
        r.messages.len(),
        summary.join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtc::decode::Session;
    use stun_turn_codec::{Attribute, IntegrityKey, MessageBuilder, TransactionId, Transport};

    const PEER_PWD: &str = "peer-password-0123456789";

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn msg(
        class: Class,
        method: Method,
        tid: u8,
        f: impl FnOnce(&mut MessageBuilder<&mut Vec<u8>>),
    ) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut b = MessageBuilder::new(&mut buf, class, method, TransactionId([tid; 12]));
        f(&mut b);
        b.finish().unwrap();
        buf
    }

    fn check(class: Class, tid: u8, use_candidate: bool) -> Vec<u8> {
        let key = IntegrityKey::short_term(PEER_PWD).unwrap();
        msg(class, Method::BINDING, tid, |b| {
            if class == Class::Request {
                b.username("pfrag:cfrag").priority(1);
                if use_candidate {
                    b.use_candidate();
                }
            }
            b.message_integrity(&key).fingerprint();
        })
    }

    fn record<'a>(frame: u64, src: SocketAddr, dst: SocketAddr, payload: &'a [u8]) -> Record<'a> {
        Record {
            frame,
            epoch: Duration::from_millis(frame),
            time: Duration::from_millis(frame),
            src,
            dst,
            transport: Transport::Udp,
            payload,
            truncated: false,
        }
    }

    /// A retransmitted request is one transaction; its RTT runs from the last copy, and an
    /// error response counts against the pair.
    #[test]
    fn retransmissions_and_errors() {
        let (a, b) = (addr("192.0.2.1:1000"), addr("192.0.2.2:2000"));
        let req = check(Class::Request, 20, false);
        let err = msg(Class::ErrorResponse, Method::BINDING, 20, |m| {
            m.error_code(487, "Role Conflict");
        });
        let mut ice = Ice::new(Session::new());
        ice.add(&record(100, a, b, &req));
        ice.add(&record(600, a, b, &req));
        ice.add(&record(1600, a, b, &req));
        ice.add(&record(1625, b, a, &err));
        let r = ice.finish();
        assert_eq!(r.transactions.len(), 1);
        let t = &r.transactions[0];
        assert_eq!(t.retransmissions, 2);
        assert_eq!(t.outcome, "error");
        assert_eq!(t.error.as_deref(), Some("487 Role Conflict"));
        assert_eq!(t.rtt_ms, Some(25.0));
        assert_eq!(t.request_integrity, "unverified");
        assert_eq!(t.response_integrity, Some("absent"));
        assert_eq!(
            (r.pairs[0].requests, r.pairs[0].errors, r.pairs[0].successes),
            (3, 1, 0)
        );
        assert_eq!(r.nominated, None);
    }

    /// ICE checks relayed through TURN, in Send/Data indications and in ChannelData, are
    /// attributed to the relayed-address ↔ peer pair and verified with the peer's ice-pwd.
    #[test]
    fn checks_through_a_turn_relay() {
        let (client, server) = (addr("10.0.0.1:5000"), addr("10.0.0.9:3478"));
        let (relay, peer) = (addr("10.0.0.9:50000"), addr("10.0.0.2:6000"));
        let alloc = msg(Class::SuccessResponse, Method::ALLOCATE, 1, |b| {
            b.attribute(&Attribute::XorRelayedAddress(relay));
        });
        let send = msg(Class::Indication, Method::SEND, 2, |b| {
            b.xor_peer_address(peer)
                .data(&check(Class::Request, 10, true));
        });
        let data = msg(Class::Indication, Method::DATA, 3, |b| {
            b.xor_peer_address(peer)
                .data(&check(Class::SuccessResponse, 10, false));
        });
        let bind = msg(Class::Request, Method::CHANNEL_BIND, 4, |b| {
            b.channel_number(0x4001).xor_peer_address(peer);
        });
        let bound = msg(Class::SuccessResponse, Method::CHANNEL_BIND, 4, |_| {});
        let mut cd_req = Vec::new();
        ChannelData::write(
            &mut cd_req,
            0x4001,
            &check(Class::Request, 11, false),
            Transport::Udp,
        )
        .unwrap();
        let mut cd_resp = Vec::new();
        ChannelData::write(
            &mut cd_resp,
            0x4001,
            &check(Class::SuccessResponse, 11, false),
            Transport::Udp,
        )
        .unwrap();

        let mut keys = Session::new();
        keys.add_ice("pfrag", PEER_PWD).unwrap();
        let mut ice = Ice::new(keys);
        for (i, (src, dst, p)) in [
            (server, client, &alloc),
            (client, server, &send),
            (server, client, &data),
            (client, server, &bind),
            (server, client, &bound),
            (client, server, &cd_req),
            (server, client, &cd_resp),
        ]
        .into_iter()
        .enumerate()
        {
            ice.add(&record(i as u64 + 1, src, dst, p));
        }
        let r = ice.finish();
        let relayed: Vec<&StunEntry> = r
            .messages
            .iter()
            .filter(|m| m.method == Method::BINDING)
            .collect();
        assert_eq!(relayed.len(), 4);
        assert_eq!(
            relayed.iter().map(|m| m.via).collect::<Vec<_>>(),
            [
                Via::SendIndication,
                Via::DataIndication,
                Via::ChannelData,
                Via::ChannelData
            ]
        );
        assert!(relayed
            .iter()
            .all(|m| m.integrity == "ok" && m.fingerprint == "ok"));
        assert_eq!(
            (relayed[0].src.as_str(), relayed[0].dst.as_str()),
            ("10.0.0.9:50000", "10.0.0.2:6000")
        );
        assert_eq!(
            (relayed[3].src.as_str(), relayed[3].dst.as_str()),
            ("10.0.0.2:6000", "10.0.0.9:50000")
        );
        assert_eq!(
            r.pairs,
            [Pair {
                local: relay.to_string(),
                remote: peer.to_string(),
                requests: 2,
                successes: 2,
                errors: 0,
                use_candidate: true,
                nominated: true,
                relayed: true,
                local_candidate: None,
                remote_candidate: None,
            }]
        );
        assert_eq!(
            r.nominated,
            Some(NominatedPair {
                local: relay.to_string(),
                remote: peer.to_string()
            })
        );
        let binding: Vec<&Transaction> = r
            .transactions
            .iter()
            .filter(|t| t.method == Method::BINDING)
            .collect();
        assert_eq!(binding.len(), 2);
        assert!(binding
            .iter()
            .all(|t| t.outcome == "success" && t.rtt_ms == Some(1.0)));
    }
}
