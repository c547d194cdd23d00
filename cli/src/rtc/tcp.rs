//! In-order reassembly of TCP streams and their message framing: STUN and ChannelData
//! back to back (TURN over TCP, RFC 8656 §12.5) or 16-bit length-prefixed packets
//! (RFC 4571, as ICE-TCP uses per RFC 6544 §3.1).
//!
//! Memory is bounded per direction: at most one maximal message plus a window of
//! out-of-order segments is buffered; beyond that the direction is abandoned with a warning.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;

use stun_turn_codec::{next_rfc4571_frame, next_turn_frame, FrameStatus, TurnFrame, MAGIC_COOKIE};

use super::net::TcpInfo;

/// Largest out-of-order data kept per direction.
const MAX_OUT_OF_ORDER: usize = 1 << 20;
/// Largest message either framing can carry (RFC 4571: 16-bit length; STUN: 16-bit length
/// plus header; ChannelData: 16-bit length plus header and padding).
const MAX_MESSAGE: usize = 65_535 + 20 + 4;
/// Most directions tracked at once.
const MAX_FLOWS: usize = 65_536;

/// How a TCP direction frames its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// STUN and ChannelData back to back (RFC 8656 §12.5).
    Turn,
    /// RFC 4571 length prefix.
    Rfc4571,
}

impl Framing {
    /// Recognises the framing from a stream's first 8 bytes.
    #[must_use]
    pub fn detect(first: &[u8]) -> Option<Self> {
        if first.len() < 8 {
            return None;
        }
        let cookie = MAGIC_COOKIE.to_be_bytes();
        if first[0] < 0x40 && first[4..8] == cookie {
            return Some(Self::Turn);
        }
        // A ChannelData header (channel 0x4000-0x4fff) unless the bytes read better as an
        // RFC 4571 length followed by RTP/RTCP (version 2) or STUN (cookie at offset 6).
        let rfc4571_like = first[2] & 0xc0 == 0x80 || first[6..8] == cookie[..2];
        if (0x40..=0x4f).contains(&first[0]) && !rfc4571_like {
            return Some(Self::Turn);
        }
        Some(Self::Rfc4571)
    }
}

#[derive(Debug, Default)]
struct Direction {
    next_seq: Option<u32>,
    buf: Vec<u8>,
    out_of_order: BTreeMap<u32, Vec<u8>>,
    held: usize,
    framing: Option<Framing>,
    dead: bool,
}

/// Reassembles every TCP direction of a capture.
#[derive(Debug, Default)]
pub struct Reassembler {
    flows: HashMap<(SocketAddr, SocketAddr), Direction>,
}

/// Sequence-number comparison modulo 2^32 (RFC 9293 §3.4).
fn before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

impl Reassembler {
    /// An empty reassembler.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one segment; calls `on_message` with each complete message (and its framing)
    /// and returns a warning when the direction had to be abandoned.
    pub fn push(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        tcp: TcpInfo,
        payload: &[u8],
        on_message: &mut dyn FnMut(&[u8], Framing),
    ) -> Option<String> {
        let key = (src, dst);
        if tcp.rst || (tcp.fin && payload.is_empty()) {
            self.flows.remove(&key);
            return None;
        }
        if !self.flows.contains_key(&key) && self.flows.len() >= MAX_FLOWS {
            return Some("too many TCP streams; this one is not reassembled".into());
        }
        let d = self.flows.entry(key).or_default();
        if d.dead {
            return None;
        }
        let seq = if tcp.syn {
            d.next_seq = Some(tcp.seq.wrapping_add(1));
            tcp.seq.wrapping_add(1)
        } else {
            tcp.seq
        };
        if payload.is_empty() {
            return None;
        }
        let next = *d.next_seq.get_or_insert(seq);
        if before(next, seq) {
            // A gap: hold the segment until the missing bytes arrive.
            d.held += payload.len();
            if d.held > MAX_OUT_OF_ORDER {
                d.dead = true;
                d.buf = Vec::new();
                d.out_of_order.clear();
                return Some(format!(
                    "TCP {src} -> {dst}: more than {MAX_OUT_OF_ORDER} bytes after a gap at sequence {next}; stream abandoned"
                ));
            }
            d.out_of_order
                .entry(seq)
                .or_insert_with(|| payload.to_vec());
            return None;
        }
        append(d, seq, payload);
        // Drain held segments that now fit.
        while let Some((&s, _)) = d.out_of_order.iter().next() {
            let n = d.next_seq.unwrap_or(s);
            if before(n, s) {
                break;
            }
            let seg = d.out_of_order.remove(&s).unwrap_or_default();
            d.held -= seg.len();
            append(d, s, &seg);
        }
        frame(d, src, dst, on_message)
    }
}

/// Appends the part of a segment starting at `seq` that is new.
fn append(d: &mut Direction, seq: u32, payload: &[u8]) {
    let next = d.next_seq.unwrap_or(seq);
    let skip = next.wrapping_sub(seq) as usize;
    if skip >= payload.len() {
        return; // a retransmission of bytes already seen
    }
    d.buf.extend_from_slice(&payload[skip..]);
    d.next_seq = Some(seq.wrapping_add(payload.len() as u32));
}

fn frame(
    d: &mut Direction,
    src: SocketAddr,
    dst: SocketAddr,
    on_message: &mut dyn FnMut(&[u8], Framing),
) -> Option<String> {
    let framing = match d.framing {
        Some(f) => f,
        None => match Framing::detect(&d.buf) {
            Some(f) => {
                d.framing = Some(f);
                f
            }
            None => return None,
        },
    };
    let mut off = 0;
    let mut warning = None;
    while off < d.buf.len() {
        let rest = &d.buf[off..];
        let status = match framing {
            Framing::Turn => next_turn_frame(rest).map(|s| match s {
                FrameStatus::Complete { len, frame } => {
                    let _: TurnFrame<'_> = frame;
                    FrameStatus::Complete { frame: (), len }
                }
                FrameStatus::NeedMore { needed } => FrameStatus::NeedMore { needed },
            }),
            Framing::Rfc4571 => next_rfc4571_frame(rest).map(|s| match s {
                FrameStatus::Complete { len, .. } => FrameStatus::Complete { frame: (), len },
                FrameStatus::NeedMore { needed } => FrameStatus::NeedMore { needed },
            }),
        };
        match status {
            Ok(FrameStatus::Complete { len, .. }) => {
                let msg = match framing {
                    Framing::Turn => &rest[..len],
                    Framing::Rfc4571 => &rest[2..len],
                };
                on_message(msg, framing);
                off += len;
            }
            Ok(FrameStatus::NeedMore { needed }) => {
                if needed > MAX_MESSAGE {
                    warning = Some(format!(
                        "TCP {src} -> {dst}: message of {needed} bytes is too large; stream abandoned"
                    ));
                    d.dead = true;
                }
                break;
            }
            Err(e) => {
                warning = Some(format!(
                    "TCP {src} -> {dst}: {e}; the stream cannot be resynchronised"
                ));
                d.dead = true;
                break;
            }
        }
    }
    if d.dead {
        d.buf = Vec::new();
        d.out_of_order.clear();
    } else {
        d.buf.drain(..off);
    }
    warning
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(seq: u32, syn: bool) -> TcpInfo {
        TcpInfo {
            seq,
            syn,
            fin: false,
            rst: false,
        }
    }

    #[test]
    fn rfc4571_frames_are_reassembled_in_order_across_reordered_segments() {
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        // Two frames: [80 01 00 07 ...12 bytes RTP] twice, split awkwardly.
        let rtp = [0x80, 0x60, 0, 7, 0, 0, 0, 1, 0, 0, 0, 2];
        let mut stream = Vec::new();
        for _ in 0..2 {
            stream.extend_from_slice(&(rtp.len() as u16).to_be_bytes());
            stream.extend_from_slice(&rtp);
        }
        let mut r = Reassembler::new();
        let mut got: Vec<(Vec<u8>, Framing)> = Vec::new();
        let mut cb = |m: &[u8], f: Framing| got.push((m.to_vec(), f));
        assert_eq!(r.push(a, b, tcp(99, true), &[], &mut cb), None);
        // Second half first, then a retransmitted overlap, then the first half.
        assert_eq!(r.push(a, b, tcp(110, false), &stream[10..], &mut cb), None);
        assert_eq!(r.push(a, b, tcp(100, false), &stream[..5], &mut cb), None);
        assert_eq!(r.push(a, b, tcp(100, false), &stream[..10], &mut cb), None);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|(m, f)| m == &rtp && *f == Framing::Rfc4571));
    }

    #[test]
    fn framing_detection() {
        let stun = [0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        assert_eq!(Framing::detect(&stun), Some(Framing::Turn));
        let cd = [0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4];
        assert_eq!(Framing::detect(&cd), Some(Framing::Turn));
        let framed_stun = [0, 20, 0, 1, 0, 0, 0x21, 0x12];
        assert_eq!(Framing::detect(&framed_stun), Some(Framing::Rfc4571));
        let framed_rtp = [0x40, 0x00, 0x80, 0x60, 0, 0, 0, 0];
        assert_eq!(Framing::detect(&framed_rtp), Some(Framing::Rfc4571));
        assert_eq!(Framing::detect(&stun[..7]), None);
    }
}
