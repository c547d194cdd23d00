//! Receive statistics for one RTP source ([RFC 3550 Appendix A]) and sender-report time
//! mapping.
//!
//! [`StreamStats`] follows the RFC's algorithms: A.1 sequence number validation with
//! probation and extended (cycle-counting) sequence numbers, A.3 expected/lost/fraction lost,
//! A.8 interarrival jitter. It also counts duplicates and reordered packets and keeps the
//! arrival-delta and jitter summary (maximum and mean delta, maximum and mean jitter in
//! milliseconds) the way RTP stream analysers report it, with the rules of Wireshark's
//! `rtp,streams` statistics, so that the two can be compared number for number:
//!
//! * a packet is *in time sequence* when its RTP timestamp is not before the stream's first
//!   one (within half the 32-bit range); its *delta* is its arrival time minus that of the
//!   previous in-time-sequence packet;
//! * the per-packet jitter is `J = J + (|D| - J) / 16` where `D` is the difference between the
//!   arrival spacing and the timestamp spacing to that same previous packet (RFC 3550 §6.4.1
//!   with the reference packet chosen as above), updated at in-time-sequence packets;
//! * maximum, minimum and mean take only *regular* packets: not the first, not with the marker
//!   bit, not comfort noise (PT 13 or 19) or right after it, and in time sequence; the means are Wireshark's running averages, `m = (m·(n-1) + x) / n` with `n`
//!   the number of packets before this one;
//! * jitter needs the clock rate: without one (a dynamic payload type with no SDP) jitter
//!   stays 0, exactly as Wireshark prints it.
//!
//! The A.8 jitter ([`StreamStats::jitter`], for RR blocks) uses the previous packet in arrival
//! order as the RFC says, in timestamp units; it equals the analyser's jitter (in ms) whenever
//! no packet's timestamp precedes the stream's first.
//!
//! [RFC 3550 Appendix A]: https://www.rfc-editor.org/rfc/rfc3550#appendix-A

use crate::rtcp::{ReportBlock, SenderReport};
use core::time::Duration;

const RTP_SEQ_MOD: u32 = 1 << 16;

/// Tuning of [`StreamStats`]; the defaults are RFC 3550 A.1's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamConfig {
    /// RTP clock rate in Hz, if known (needed for jitter).
    pub clock_rate: Option<u32>,
    /// MIN_SEQUENTIAL: consecutive packets needed before a source is valid (0 or 1: valid at
    /// once).
    pub min_sequential: u32,
    /// MAX_DROPOUT: largest forward jump accepted as loss.
    pub max_dropout: u32,
    /// MAX_MISORDER: largest backward jump accepted as reordering.
    pub max_misorder: u32,
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            clock_rate: None,
            min_sequential: 2,
            max_dropout: 3000,
            max_misorder: 100,
        }
    }
}

impl StreamConfig {
    /// Defaults with the given clock rate.
    #[must_use]
    pub fn with_clock_rate(clock_rate: u32) -> Self {
        Self {
            clock_rate: Some(clock_rate),
            ..Self::default()
        }
    }
}

/// What [`StreamStats::update`] made of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketOutcome {
    /// The source is still on probation (RFC 3550 A.1); the packet is not counted as
    /// received.
    Probation,
    /// A large jump in sequence number: ignored unless the next packet continues from it
    /// (then the source restarts).
    Jump,
    /// A valid packet, with its extended sequence number.
    Valid {
        /// Extended sequence number (cycles + seq).
        extended_seq: u64,
        /// The packet was already received.
        duplicate: bool,
        /// The packet arrived after a higher sequence number.
        reordered: bool,
    },
}

/// A snapshot of a stream's statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StreamReport {
    /// Every packet handed to the tracker (probation, duplicates and jumps included).
    pub packets: u64,
    /// Packets counted as received after validation (RFC 3550 A.3 `received`; includes
    /// duplicates).
    pub received: u64,
    /// Highest extended sequence number minus base plus one (A.3).
    pub expected: u64,
    /// `expected - received` (A.3; negative with duplicates).
    pub lost: i64,
    /// Duplicated packets.
    pub duplicates: u64,
    /// Packets that arrived after a higher sequence number (late).
    pub reordered: u64,
    /// First extended sequence number counted (A.1 `base_seq`).
    pub base_seq: u64,
    /// Highest extended sequence number received.
    pub max_extended_seq: u64,
    /// A.8 interarrival jitter in timestamp units (0 without a clock rate).
    pub jitter: f64,
    /// Smallest delta between regular packets, ms (`None` when no packet was regular).
    pub min_delta_ms: Option<f64>,
    /// Largest delta between regular packets, ms (0 when none).
    pub max_delta_ms: f64,
    /// Running mean delta, ms.
    pub mean_delta_ms: f64,
    /// Largest jitter at a regular packet, ms.
    pub max_jitter_ms: f64,
    /// Running mean jitter over regular packets, ms.
    pub mean_jitter_ms: f64,
}

/// Receive statistics of one RTP source.
#[derive(Debug, Clone)]
pub struct StreamStats {
    cfg: StreamConfig,
    started: bool,
    // RFC 3550 A.1 source state.
    max_seq: u16,
    cycles: u64,
    base_seq: u64,
    bad_seq: u32,
    probation: u32,
    received: u64,
    expected_prior: u64,
    received_prior: u64,
    // A.8 jitter.
    /// Arrival (s) and timestamp of the previous packet, for A.8.
    transit: Option<(f64, u32)>,
    jitter: f64,
    // Duplicate window: one bit per extended sequence number in (highest-1024, highest].
    window: [u64; 16],
    highest: Option<u64>,
    duplicates: u64,
    reordered: u64,
    // Analyser view.
    packets: u64,
    last_ext_ts: i64,
    first_ts: u32,
    ref_ts: i64,
    ref_time_ms: f64,
    prev_pt: u8,
    an_jitter_ms: f64,
    min_delta: Option<f64>,
    max_delta: f64,
    mean_delta: f64,
    max_jitter: f64,
    mean_jitter: f64,
}

impl StreamStats {
    /// A tracker for a source not seen yet.
    #[must_use]
    pub fn new(cfg: StreamConfig) -> Self {
        Self {
            cfg,
            started: false,
            max_seq: 0,
            cycles: 0,
            base_seq: 0,
            bad_seq: RTP_SEQ_MOD + 1,
            probation: 0,
            received: 0,
            expected_prior: 0,
            received_prior: 0,
            transit: None,
            jitter: 0.0,
            window: [0; 16],
            highest: None,
            duplicates: 0,
            reordered: 0,
            packets: 0,
            last_ext_ts: 0,
            first_ts: 0,
            ref_ts: 0,
            ref_time_ms: 0.0,
            prev_pt: 0,
            an_jitter_ms: 0.0,
            min_delta: None,
            max_delta: 0.0,
            mean_delta: 0.0,
            max_jitter: 0.0,
            mean_jitter: 0.0,
        }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &StreamConfig {
        &self.cfg
    }

    /// RFC 3550 A.1 `init_seq`.
    fn init_seq(&mut self, seq: u16) {
        self.base_seq = u64::from(seq);
        self.max_seq = seq;
        self.bad_seq = RTP_SEQ_MOD + 1;
        self.cycles = 0;
        self.received = 0;
        self.received_prior = 0;
        self.expected_prior = 0;
        self.window = [0; 16];
        self.highest = None;
    }

    /// RFC 3550 A.1 `update_seq`; returns whether the packet counts, and its extended number.
    fn update_seq(&mut self, seq: u16) -> Option<u64> {
        let udelta = u32::from(seq.wrapping_sub(self.max_seq));
        if self.probation > 0 {
            // "Source is not valid until MIN_SEQUENTIAL packets with sequential sequence
            // numbers have been received."
            if seq == self.max_seq.wrapping_add(1) {
                self.probation -= 1;
                self.max_seq = seq;
                if self.probation == 0 {
                    self.init_seq(seq);
                    self.received += 1;
                    return Some(u64::from(seq));
                }
            } else {
                self.probation = self.cfg.min_sequential.saturating_sub(1);
                self.max_seq = seq;
            }
            return None;
        }
        let ext;
        if udelta < self.cfg.max_dropout {
            // "in order, with permissible gap"
            if seq < self.max_seq {
                self.cycles += u64::from(RTP_SEQ_MOD);
            }
            self.max_seq = seq;
            ext = self.cycles + u64::from(seq);
        } else if udelta <= RTP_SEQ_MOD - self.cfg.max_misorder {
            // "the sequence number made a very large jump"
            if u32::from(seq) == self.bad_seq {
                // "Two sequential packets -- assume that the other side restarted without
                // telling us so just re-sync."
                self.init_seq(seq);
                ext = u64::from(seq);
            } else {
                self.bad_seq = (u32::from(seq) + 1) & (RTP_SEQ_MOD - 1);
                return None;
            }
        } else {
            // "duplicate or reordered packet"
            ext = if seq <= self.max_seq {
                self.cycles + u64::from(seq)
            } else {
                (self.cycles + u64::from(seq)).saturating_sub(u64::from(RTP_SEQ_MOD))
            };
        }
        self.received += 1;
        Some(ext)
    }

    /// Marks `ext` in the duplicate window; returns (duplicate, reordered).
    fn mark(&mut self, ext: u64) -> (bool, bool) {
        let bit = |_: &mut [u64; 16], e: u64| -> (usize, u64) {
            (((e % 1024) / 64) as usize, 1u64 << (e % 64))
        };
        let Some(high) = self.highest else {
            self.highest = Some(ext);
            let (i, m) = bit(&mut self.window, ext);
            self.window[i] |= m;
            return (false, false);
        };
        if ext > high {
            if ext - high >= 1024 {
                self.window = [0; 16];
            } else {
                for e in high + 1..ext {
                    let (i, m) = bit(&mut self.window, e);
                    self.window[i] &= !m;
                }
            }
            let (i, m) = bit(&mut self.window, ext);
            self.window[i] |= m;
            self.highest = Some(ext);
            return (false, false);
        }
        if high - ext >= 1024 {
            return (false, true);
        }
        let (i, m) = bit(&mut self.window, ext);
        if self.window[i] & m != 0 {
            return (true, false);
        }
        self.window[i] |= m;
        (false, ext < high)
    }

    /// Accounts for a packet of this source that arrived at `arrival` (any fixed epoch).
    pub fn update(
        &mut self,
        arrival: Duration,
        seq: u16,
        timestamp: u32,
        marker: bool,
        payload_type: u8,
    ) -> PacketOutcome {
        let first = !self.started;
        self.analyse(arrival, timestamp, marker, payload_type, first);
        self.packets += 1;
        let counted = if first {
            self.started = true;
            // A.1: "init_seq(s, seq); s->max_seq = seq - 1; s->probation = MIN_SEQUENTIAL;"
            self.init_seq(seq);
            if self.cfg.min_sequential > 1 {
                self.max_seq = seq.wrapping_sub(1);
                self.probation = self.cfg.min_sequential;
                self.update_seq(seq)
            } else {
                self.received = 1;
                Some(u64::from(seq))
            }
        } else {
            self.update_seq(seq)
        };
        let Some(ext) = counted else {
            return if self.probation > 0 {
                PacketOutcome::Probation
            } else {
                PacketOutcome::Jump
            };
        };
        let (duplicate, reordered) = self.mark(ext);
        self.duplicates += u64::from(duplicate);
        self.reordered += u64::from(reordered);

        // A.8: "int transit = arrival - r->ts; int d = transit - s->transit; s->transit =
        // transit; if (d < 0) d = -d; s->jitter += (1./16.) * ((double)d - s->jitter);"
        if let Some(rate) = self.cfg.clock_rate {
            if let Some((prev_arrival, prev_ts)) = self.transit {
                // Timestamps wrap at 2^32: take the nearest difference.
                let ts_diff = f64::from(timestamp.wrapping_sub(prev_ts) as i32);
                let d = (arrival.as_secs_f64() - prev_arrival) * f64::from(rate) - ts_diff;
                let d = if d < 0.0 { -d } else { d };
                self.jitter += (d - self.jitter) / 16.0;
            }
            self.transit = Some((arrival.as_secs_f64(), timestamp));
        }
        PacketOutcome::Valid {
            extended_seq: ext,
            duplicate,
            reordered,
        }
    }

    /// [`StreamStats::update`] with the fields of a parsed packet.
    pub fn update_packet(
        &mut self,
        arrival: Duration,
        packet: &crate::RtpPacket<'_>,
    ) -> PacketOutcome {
        self.update(
            arrival,
            packet.sequence_number(),
            packet.timestamp(),
            packet.marker(),
            packet.payload_type(),
        )
    }

    /// The analyser view (see the module documentation).
    fn analyse(&mut self, arrival: Duration, timestamp: u32, marker: bool, pt: u8, first: bool) {
        let now = arrival.as_secs_f64() * 1000.0;
        // Unwrap the timestamp to the value nearest the previous one.
        let ext_ts = if first {
            i64::from(timestamp)
        } else {
            let d = i64::from(timestamp.wrapping_sub(self.last_ext_ts as u32) as i32);
            self.last_ext_ts + d
        };
        self.last_ext_ts = ext_ts;
        if first {
            self.first_ts = timestamp;
            self.ref_ts = ext_ts;
            self.ref_time_ms = now;
            self.prev_pt = pt;
            return;
        }
        let is_cn = |p: u8| p == 13 || p == 19;
        // "In time sequence": the timestamp is not before the stream's first one (within
        // half the 32-bit range).
        let in_time = timestamp.wrapping_sub(self.first_ts) < 0x8000_0000;
        let follows_cn = is_cn(self.prev_pt);
        self.prev_pt = pt;
        let delta = now - self.ref_time_ms;
        let mut cur_jitter = 0.0;
        if let Some(rate) = self.cfg.clock_rate.filter(|&r| r > 0 && in_time) {
            let nominal = (ext_ts - self.ref_ts) as f64 * 1000.0 / f64::from(rate);
            let diff = now - (self.ref_time_ms + nominal);
            let diff = if diff < 0.0 { -diff } else { diff };
            cur_jitter = (15.0 * self.an_jitter_ms + diff) / 16.0;
            self.an_jitter_ms = cur_jitter;
        }
        let regular = !marker && !is_cn(pt) && in_time && !follows_cn;
        if regular {
            let n = self.packets as f64;
            self.max_delta = self.max_delta.max(delta);
            self.min_delta = Some(self.min_delta.map_or(delta, |m| m.min(delta)));
            self.mean_delta = (self.mean_delta * (n - 1.0) + delta) / n;
            if self.cfg.clock_rate.is_some_and(|r| r > 0) {
                self.max_jitter = self.max_jitter.max(self.an_jitter_ms);
                self.mean_jitter = (self.mean_jitter * (n - 1.0) + cur_jitter) / n;
            }
        }
        if in_time {
            self.ref_time_ms = now;
            self.ref_ts = ext_ts;
        }
    }

    /// RFC 3550 A.8 interarrival jitter in timestamp units.
    #[must_use]
    pub fn jitter(&self) -> f64 {
        self.jitter
    }

    /// The current statistics.
    #[must_use]
    pub fn report(&self) -> StreamReport {
        let max_ext = self.cycles + u64::from(self.max_seq);
        let valid = self.started && self.probation == 0 && self.received > 0;
        let expected = if valid {
            max_ext + 1 - self.base_seq
        } else {
            0
        };
        StreamReport {
            packets: self.packets,
            received: self.received,
            expected,
            lost: expected as i64 - self.received as i64,
            duplicates: self.duplicates,
            reordered: self.reordered,
            base_seq: self.base_seq,
            max_extended_seq: if valid { max_ext } else { 0 },
            jitter: self.jitter,
            min_delta_ms: self.min_delta,
            max_delta_ms: self.max_delta,
            mean_delta_ms: self.mean_delta,
            max_jitter_ms: self.max_jitter,
            mean_jitter_ms: self.mean_jitter,
        }
    }

    /// A reception report block for this source (RFC 3550 §6.4.1, A.3), starting a new
    /// reporting interval. `last_sr` and `delay_since_last_sr` come from the caller's record
    /// of the last SR received from the source (see [`SrReceipt`]).
    pub fn report_block(
        &mut self,
        ssrc: u32,
        last_sr: u32,
        delay_since_last_sr: u32,
    ) -> ReportBlock {
        let r = self.report();
        // A.3: "expected_interval = expected - s->expected_prior; ..."
        let expected_interval = r.expected.saturating_sub(self.expected_prior);
        self.expected_prior = r.expected;
        let received_interval = self.received - self.received_prior;
        self.received_prior = self.received;
        let lost_interval = expected_interval as i64 - received_interval as i64;
        let fraction = if expected_interval == 0 || lost_interval <= 0 {
            0
        } else {
            ((lost_interval << 8) / expected_interval as i64) as u8
        };
        ReportBlock {
            ssrc,
            fraction_lost: fraction,
            cumulative_lost: r.lost.clamp(-0x80_0000, 0x7f_ffff) as i32,
            highest_sequence: r.max_extended_seq as u32,
            jitter: self.jitter as u32,
            last_sr,
            delay_since_last_sr,
        }
    }
}

/// The NTP↔RTP mapping of a sender, from one of its sender reports (RFC 3550 §6.4.1: "the
/// same time as the NTP timestamp ... but in the same units and with the same random offset
/// as the RTP timestamps").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ClockMapping {
    /// NTP timestamp of the SR (64-bit fixed point).
    pub ntp_timestamp: u64,
    /// RTP timestamp of the SR.
    pub rtp_timestamp: u32,
    /// RTP clock rate, Hz.
    pub clock_rate: u32,
}

impl ClockMapping {
    /// The mapping an SR gives for a stream of `clock_rate` Hz.
    #[must_use]
    pub fn from_sr(sr: &SenderReport<'_>, clock_rate: u32) -> Self {
        Self {
            ntp_timestamp: sr.ntp_timestamp,
            rtp_timestamp: sr.rtp_timestamp,
            clock_rate,
        }
    }

    /// The NTP time (64-bit fixed point) of an RTP timestamp (nearest wrap of the 32-bit
    /// timestamp to the SR's).
    #[must_use]
    pub fn rtp_to_ntp(&self, rtp: u32) -> u64 {
        let ticks = i64::from(rtp.wrapping_sub(self.rtp_timestamp) as i32);
        let offset = (i128::from(ticks) << 32) / i128::from(self.clock_rate.max(1));
        (i128::from(self.ntp_timestamp) + offset) as u64
    }

    /// The RTP timestamp of an NTP time (64-bit fixed point).
    #[must_use]
    pub fn ntp_to_rtp(&self, ntp: u64) -> u32 {
        let d = i128::from(ntp) - i128::from(self.ntp_timestamp);
        let ticks = (d * i128::from(self.clock_rate)) >> 32;
        self.rtp_timestamp.wrapping_add(ticks as u32)
    }
}

/// Converts a duration since the NTP epoch (1900) to the 64-bit NTP fixed-point format.
#[must_use]
pub fn ntp_from_duration(d: Duration) -> u64 {
    (d.as_secs() << 32) | ((u64::from(d.subsec_nanos()) << 32) / 1_000_000_000)
}

/// Converts a 64-bit NTP timestamp to a duration since the NTP epoch.
#[must_use]
pub fn ntp_to_duration(ntp: u64) -> Duration {
    Duration::new(
        ntp >> 32,
        (((ntp & 0xffff_ffff) * 1_000_000_000) >> 32) as u32,
    )
}

/// The middle 32 bits of an NTP timestamp ("compact" NTP, 1/65536 s), as in LSR/DLSR.
#[must_use]
pub fn compact_ntp(ntp: u64) -> u32 {
    (ntp >> 16) as u32
}

/// What a receiver remembers about the last SR of a source, to fill LSR and DLSR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrReceipt {
    /// LSR: compact NTP timestamp of the SR.
    pub last_sr: u32,
    /// When the SR arrived (receiver's clock, any epoch).
    pub received_at: Duration,
}

impl SrReceipt {
    /// LSR and DLSR (1/65536 s) for a report sent at `now` (same clock as `received_at`).
    #[must_use]
    pub fn lsr_dlsr(&self, now: Duration) -> (u32, u32) {
        let d = now.saturating_sub(self.received_at);
        let dlsr = (d.as_nanos() * 65536 / 1_000_000_000).min(u128::from(u32::MAX)) as u32;
        (self.last_sr, dlsr)
    }
}

/// Round-trip time from a report block (RFC 3550 §6.4.1: "A - LSR - DLSR"), where `arrival`
/// is the compact NTP time the report arrived. `None` when LSR is 0 (no SR received yet)
/// or the result is negative (clock trouble).
#[must_use]
pub fn round_trip_time(arrival: u32, last_sr: u32, delay_since_last_sr: u32) -> Option<Duration> {
    if last_sr == 0 {
        return None;
    }
    let rtt = arrival
        .wrapping_sub(last_sr)
        .wrapping_sub(delay_since_last_sr);
    if rtt > 0x8000_0000 {
        return None;
    }
    Some(Duration::from_nanos(u64::from(rtt) * 1_000_000_000 / 65536))
}
