//! The scenarios of `benches/srtp.rs`, shared with `examples/srtp_instructions.rs` (which
//! counts the instructions of [`Bench::run_chunk`] under callgrind).
//!
//! Every implementation processes the same packets in chunks. [`Bench::prepare`] (not
//! measured) makes a chunk's input packets and, for unprotecting, a fresh receiving context;
//! [`Bench::run_chunk`] (measured) protects or unprotects each packet of the chunk once.
//!
//! * Protect: the sending context lives for the whole run; RTP packets get increasing
//!   sequence numbers (wrapping, so the ROC moves every 65,536 packets), SRTCP packets the
//!   index each implementation counts itself. libsrtp refuses to protect an index twice, and
//!   no sender should, so no implementation does.
//! * Unprotect: every receiver refuses a replay (the window is 128 packets for all three), so
//!   each chunk starts with a fresh receiving context that has already taken one packet
//!   (so creating the SSRC's state is not measured either), then takes the chunk's
//!   packets, each with the next index, once. All three get the same protected bytes.
//!
//! In-place APIs (rtp-codec, libsrtp) get their input in a buffer with room for the trailer;
//! rtc-srtp takes `&[u8]` and returns a new `BytesMut`, which it allocates and the loop
//! drops, as a caller of that API does.

#![allow(dead_code)] // each user calls a subset

use bytes::BytesMut;
use libsrtp_shim::{Direction, Session};
use rtc_srtp::context::Context as RtcContext;
use rtc_srtp::option::{srtcp_replay_protection, srtp_replay_protection};
use rtc_srtp::protection_profile::ProtectionProfile;
use rtp_codec::rtcp::{List, ReceiverReport, ReportBlock, RtcpPacket, Sdes};
use rtp_codec::srtp::{Context, Profile};
use rtp_codec::{ExtensionElement, ExtensionForm, RtpPacketBuilder};

pub(crate) const SSRC: u32 = 0xdead_beef;
/// Sequence number of the first RTP packet.
pub(crate) const FIRST_SEQ: u16 = 4242;
/// Replay window of every receiver (libsrtp's and our default).
pub(crate) const WINDOW: usize = 128;
pub(crate) const PAYLOAD: [u8; 1200] = [0x5a; 1200];
/// Room for any packet plus trailer, so that no protect reallocates.
const CAPACITY: usize = 1500;

/// The SRTP profiles compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Suite {
    AesCm128HmacSha1_80,
    AeadAes128Gcm,
}

impl Suite {
    pub(crate) const ALL: [Self; 2] = [Self::AesCm128HmacSha1_80, Self::AeadAes128Gcm];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::AesCm128HmacSha1_80 => "aes_cm_128_hmac_sha1_80",
            Self::AeadAes128Gcm => "aead_aes_128_gcm",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    fn ours(self) -> Profile {
        match self {
            Self::AesCm128HmacSha1_80 => Profile::AesCm128HmacSha1_80,
            Self::AeadAes128Gcm => Profile::AeadAes128Gcm,
        }
    }

    fn rtc(self) -> ProtectionProfile {
        match self {
            Self::AesCm128HmacSha1_80 => ProtectionProfile::Aes128CmHmacSha1_80,
            Self::AeadAes128Gcm => ProtectionProfile::AeadAes128Gcm,
        }
    }

    fn libsrtp(self) -> libsrtp_shim::Profile {
        match self {
            Self::AesCm128HmacSha1_80 => libsrtp_shim::Profile::AesCm128HmacSha1_80,
            Self::AeadAes128Gcm => libsrtp_shim::Profile::AeadAes128Gcm,
        }
    }

    fn key(self) -> Vec<u8> {
        (0..16).map(|i| 0x10 + i).collect()
    }

    fn salt(self) -> Vec<u8> {
        (0..self.ours().master_salt_len() as u8)
            .map(|i| 0xa0 + i)
            .collect()
    }
}

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    ProtectRtp,
    UnprotectRtp,
    ProtectRtcp,
    UnprotectRtcp,
}

impl Op {
    pub(crate) const ALL: [Self; 4] = [
        Self::ProtectRtp,
        Self::UnprotectRtp,
        Self::ProtectRtcp,
        Self::UnprotectRtcp,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::ProtectRtp => "protect_rtp",
            Self::UnprotectRtp => "unprotect_rtp",
            Self::ProtectRtcp => "protect_rtcp",
            Self::UnprotectRtcp => "unprotect_rtcp",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    fn rtcp(self) -> bool {
        matches!(self, Self::ProtectRtcp | Self::UnprotectRtcp)
    }

    fn protects(self) -> bool {
        matches!(self, Self::ProtectRtp | Self::ProtectRtcp)
    }

    /// Packets per chunk: about 300 KB of RTP (within L2), 100 KB of RTCP, and long enough
    /// that reading the thread's CPU clock twice per chunk is far below 1 % of it.
    pub(crate) fn chunk(self) -> usize {
        if self.rtcp() {
            1024
        } else {
            256
        }
    }
}

/// The implementations compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peer {
    Ours,
    Rtc,
    Libsrtp,
}

impl Peer {
    pub(crate) const ALL: [Self; 3] = [Self::Ours, Self::Rtc, Self::Libsrtp];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Ours => "rtp-codec",
            Self::Rtc => "rtc-srtp",
            Self::Libsrtp => "libsrtp",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// An RTP packet of 1200 payload bytes with a one-byte header extension (abs-send-time and
/// transport-wide sequence number, as WebRTC sends): 1224 bytes.
pub(crate) fn rtp_plain(seq: u16) -> Vec<u8> {
    let elements = [
        ExtensionElement {
            id: 1,
            data: &[0x12, 0x34, 0x56],
        },
        ExtensionElement {
            id: 2,
            data: &[0x00, 0x2a],
        },
    ];
    let mut out = Vec::with_capacity(CAPACITY);
    RtpPacketBuilder::new(96, seq, 90_000, SSRC)
        .with_marker(true)
        .with_extensions(ExtensionForm::OneByte, &elements)
        .with_payload(&PAYLOAD)
        .write_to(&mut out)
        .unwrap();
    assert_eq!(out.len(), 1224);
    out
}

/// A compound RTCP packet of 100 bytes: a receiver report with one report block and an SDES
/// with a 56-byte CNAME.
pub(crate) fn rtcp_plain() -> Vec<u8> {
    let block = ReportBlock {
        ssrc: 0x1234_5678,
        fraction_lost: 3,
        cumulative_lost: 17,
        highest_sequence: 70_000,
        jitter: 33,
        last_sr: 0x1234_5678,
        delay_since_last_sr: 6554,
    };
    let cname = [b'c'; 56];
    let packets = [
        RtcpPacket::Rr(ReceiverReport {
            ssrc: SSRC,
            reports: List::Owned(vec![block]),
            ..Default::default()
        }),
        RtcpPacket::Sdes(Sdes::cname(SSRC, &cname)),
    ];
    let mut out = Vec::with_capacity(CAPACITY);
    rtp_codec::rtcp::write_compound(&packets, &mut out).unwrap();
    assert_eq!(out.len(), 100);
    out
}

/// One implementation's context.
enum Imp {
    Ours(Box<Context>),
    Rtc(Box<RtcContext>),
    Libsrtp(Session),
}

impl Imp {
    fn new(peer: Peer, suite: Suite, direction: Direction) -> Self {
        let (key, salt) = (suite.key(), suite.salt());
        match peer {
            Peer::Ours => Self::Ours(Box::new(Context::new(suite.ours(), &key, &salt).unwrap())),
            Peer::Rtc => {
                let provider = rtc_srtp::crypto::default_provider().unwrap();
                Self::Rtc(Box::new(
                    RtcContext::new(
                        &key,
                        &salt,
                        suite.rtc(),
                        Some(srtp_replay_protection(WINDOW)),
                        Some(srtcp_replay_protection(WINDOW)),
                        provider.crypto(),
                    )
                    .unwrap(),
                ))
            }
            Peer::Libsrtp => {
                let key_and_salt = [key, salt].concat();
                Self::Libsrtp(
                    Session::new(suite.libsrtp(), direction, &key_and_salt, WINDOW as u32).unwrap(),
                )
            }
        }
    }

    /// Protects `packet` (in place, or for rtc-srtp into the returned buffer).
    fn protect(&mut self, rtcp: bool, packet: &mut Vec<u8>) -> Option<BytesMut> {
        match (self, rtcp) {
            (Self::Ours(c), false) => c.protect_rtp(packet).unwrap(),
            (Self::Ours(c), true) => c.protect_rtcp(packet).unwrap(),
            (Self::Rtc(c), false) => return Some(c.encrypt_rtp(packet).unwrap()),
            (Self::Rtc(c), true) => return Some(c.encrypt_rtcp(packet).unwrap()),
            (Self::Libsrtp(s), false) => s.protect_rtp(packet).unwrap(),
            (Self::Libsrtp(s), true) => s.protect_rtcp(packet).unwrap(),
        }
        None
    }

    /// The plaintext of `packet`.
    fn unprotect(&mut self, rtcp: bool, packet: &[u8]) -> Vec<u8> {
        let mut buf = packet.to_vec();
        let n = match (self, rtcp) {
            (Self::Ours(c), false) => c.unprotect_rtp(&mut buf).unwrap(),
            (Self::Ours(c), true) => c.unprotect_rtcp(&mut buf).unwrap(),
            (Self::Rtc(c), false) => return c.decrypt_rtp(packet).unwrap().to_vec(),
            (Self::Rtc(c), true) => return c.decrypt_rtcp(packet).unwrap().to_vec(),
            (Self::Libsrtp(s), false) => s.unprotect_rtp(&mut buf).unwrap(),
            (Self::Libsrtp(s), true) => s.unprotect_rtcp(&mut buf).unwrap(),
        };
        buf.truncate(n);
        buf
    }
}

/// A sending context of `peer`. Ours starts its SRTCP index at 1, as libsrtp and rtc-srtp do.
fn sender(peer: Peer, suite: Suite) -> Imp {
    let mut imp = Imp::new(peer, suite, Direction::Outbound);
    if let Imp::Ours(c) = &mut imp {
        c.set_srtcp_index(SSRC, 1).unwrap();
    }
    imp
}

/// Checks, before anything is timed, that the three implementations protect the same
/// packets to the same bytes and that each unprotects them to the plaintext.
pub(crate) fn check(suite: Suite) {
    for rtcp in [false, true] {
        let mut senders: Vec<Imp> = Peer::ALL.iter().map(|&p| sender(p, suite)).collect();
        let mut receivers: Vec<Imp> = Peer::ALL
            .iter()
            .map(|&p| Imp::new(p, suite, Direction::Inbound))
            .collect();
        for k in 0..3u16 {
            let plain = if rtcp {
                rtcp_plain()
            } else {
                rtp_plain(FIRST_SEQ + k)
            };
            let mut outputs = Vec::new();
            for s in &mut senders {
                let mut p = plain.clone();
                let out = s.protect(rtcp, &mut p).map_or(p, |b| b.to_vec());
                outputs.push(out);
            }
            for (peer, out) in Peer::ALL.iter().zip(&outputs) {
                assert_eq!(
                    out,
                    &outputs[0],
                    "{} {} packet {k} differs from rtp-codec's",
                    suite.name(),
                    peer.name(),
                );
            }
            for (peer, r) in Peer::ALL.iter().zip(&mut receivers) {
                assert_eq!(
                    r.unprotect(rtcp, &outputs[0]),
                    plain,
                    "{} {} unprotect of packet {k}",
                    suite.name(),
                    peer.name(),
                );
            }
        }
    }
}

/// The state of one scenario of one implementation.
pub(crate) struct Bench {
    op: Op,
    suite: Suite,
    peer: Peer,
    imp: Imp,
    /// For unprotecting: `chunk + 1` protected packets with consecutive indices.
    pool: Vec<Vec<u8>>,
    /// The chunk's input packets.
    work: Vec<Vec<u8>>,
    /// Sequence number of the next RTP packet to protect.
    next_seq: u16,
    /// The RTP or RTCP plaintext.
    plain: Vec<u8>,
}

impl Bench {
    pub(crate) fn new(op: Op, suite: Suite, peer: Peer) -> Self {
        let chunk = op.chunk();
        let plain = if op.rtcp() {
            rtcp_plain()
        } else {
            rtp_plain(FIRST_SEQ)
        };
        let mut pool = Vec::new();
        let imp = if op.protects() {
            sender(peer, suite)
        } else {
            // Protected by rtp-codec; `check` shows the others produce the same bytes.
            let mut tx = sender(Peer::Ours, suite);
            for k in 0..=chunk {
                let mut p = if op.rtcp() {
                    plain.clone()
                } else {
                    rtp_plain(FIRST_SEQ.wrapping_add(k as u16))
                };
                tx.protect(op.rtcp(), &mut p);
                pool.push(p);
            }
            Imp::new(peer, suite, Direction::Inbound)
        };
        Self {
            op,
            suite,
            peer,
            imp,
            pool,
            work: (0..chunk).map(|_| Vec::with_capacity(CAPACITY)).collect(),
            next_seq: FIRST_SEQ,
            plain,
        }
    }

    /// Packets per chunk.
    pub(crate) fn chunk(&self) -> usize {
        self.op.chunk()
    }

    /// Not measured: fills the first `count` input packets (at most a chunk) and, for
    /// unprotecting, replaces the receiving context by a fresh one that has taken the
    /// pool's first packet.
    pub(crate) fn prepare(&mut self, count: usize) {
        assert!(count <= self.chunk());
        if self.op.protects() {
            for w in &mut self.work[..count] {
                w.clear();
                w.extend_from_slice(&self.plain);
                if !self.op.rtcp() {
                    w[2..4].copy_from_slice(&self.next_seq.to_be_bytes());
                    self.next_seq = self.next_seq.wrapping_add(1);
                }
            }
        } else {
            self.imp = Imp::new(self.peer, self.suite, Direction::Inbound);
            let first = self.imp.unprotect(self.op.rtcp(), &self.pool[0]);
            assert_eq!(first.len(), self.plain.len());
            for (w, p) in self.work[..count].iter_mut().zip(&self.pool[1..]) {
                w.clear();
                w.extend_from_slice(p);
            }
        }
    }

    /// Measured: protects or unprotects the first `count` input packets, each once. Returns
    /// the sum of the output lengths.
    #[inline(never)]
    pub(crate) fn run_chunk(&mut self, count: usize) -> usize {
        let work = &mut self.work[..count];
        let mut acc = 0;
        match (&mut self.imp, self.op) {
            (Imp::Ours(c), Op::ProtectRtp) => {
                for p in work {
                    c.protect_rtp(p).unwrap();
                    acc += p.len();
                }
            }
            (Imp::Ours(c), Op::ProtectRtcp) => {
                for p in work {
                    c.protect_rtcp(p).unwrap();
                    acc += p.len();
                }
            }
            (Imp::Ours(c), Op::UnprotectRtp) => {
                for p in work {
                    acc += c.unprotect_rtp(p).unwrap();
                }
            }
            (Imp::Ours(c), Op::UnprotectRtcp) => {
                for p in work {
                    acc += c.unprotect_rtcp(p).unwrap();
                }
            }
            (Imp::Libsrtp(s), Op::ProtectRtp) => {
                for p in work {
                    s.protect_rtp(p).unwrap();
                    acc += p.len();
                }
            }
            (Imp::Libsrtp(s), Op::ProtectRtcp) => {
                for p in work {
                    s.protect_rtcp(p).unwrap();
                    acc += p.len();
                }
            }
            (Imp::Libsrtp(s), Op::UnprotectRtp) => {
                for p in work {
                    acc += s.unprotect_rtp(p).unwrap();
                }
            }
            (Imp::Libsrtp(s), Op::UnprotectRtcp) => {
                for p in work {
                    acc += s.unprotect_rtcp(p).unwrap();
                }
            }
            (Imp::Rtc(c), Op::ProtectRtp) => {
                for p in work {
                    acc += c.encrypt_rtp(p).unwrap().len();
                }
            }
            (Imp::Rtc(c), Op::ProtectRtcp) => {
                for p in work {
                    acc += c.encrypt_rtcp(p).unwrap().len();
                }
            }
            (Imp::Rtc(c), Op::UnprotectRtp) => {
                for p in work {
                    acc += c.decrypt_rtp(p).unwrap().len();
                }
            }
            (Imp::Rtc(c), Op::UnprotectRtcp) => {
                for p in work {
                    acc += c.decrypt_rtcp(p).unwrap().len();
                }
            }
        }
        acc
    }
}
