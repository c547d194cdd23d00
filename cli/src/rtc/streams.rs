//! Per-RTP-stream statistics, keyed as Wireshark's `rtp,streams` keys them: source and
//! destination address and port, and SSRC.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use rtp_codec::demux::{classify, PacketKind};
use rtp_codec::payload_type;
use rtp_codec::stats::{StreamConfig, StreamReport, StreamStats};
use rtp_codec::RtpPacket;
use serde::Serialize;

use super::records::Record;

/// What an SDP says about a payload type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    /// Encoding name (`opus`, `VP8`, ...).
    pub name: String,
    /// RTP clock rate in Hz.
    pub clock_rate: u32,
}

/// Payload type → codec, from SDPs (`a=rtpmap`) and RFC 3551's static types.
#[derive(Debug, Clone, Default)]
pub struct CodecMap {
    map: HashMap<u8, Codec>,
}

impl CodecMap {
    /// An empty map (static payload types only).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every `a=rtpmap` of an SDP (first mapping of a payload type wins).
    pub fn add_sdp(&mut self, sdp: &sdp_parse::SessionDescription<&str>) {
        for m in &sdp.media {
            for c in m.codecs() {
                if let (Some(name), Some(rate)) = (c.name(), c.clock_rate()) {
                    self.map.entry(c.payload_type).or_insert(Codec {
                        name: name.to_owned(),
                        clock_rate: rate,
                    });
                }
            }
        }
    }

    /// The codec of `pt`: from an SDP, else the static assignment of RFC 3551 §6.
    #[must_use]
    pub fn get(&self, pt: u8) -> Option<Codec> {
        if let Some(c) = self.map.get(&pt) {
            return Some(c.clone());
        }
        let a = payload_type::assignment(pt)?;
        Some(Codec {
            name: a.encoding_name.to_owned(),
            clock_rate: a.clock_rate,
        })
    }
}

/// Stream key: (source, destination, SSRC).
pub type StreamKey = (SocketAddr, SocketAddr, u32);

/// One point of a stream's time series.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IntervalPoint {
    /// Start of the interval, seconds since the first frame.
    pub start: f64,
    /// Packets in the interval.
    pub packets: u64,
    /// Packets lost in the interval (expected minus received; negative with duplicates).
    pub lost: i64,
    /// Jitter at the end of the interval, ms (RFC 3550 A.8).
    pub jitter_ms: f64,
    /// Payload bit rate in the interval, bit/s.
    pub bitrate: f64,
}

#[derive(Debug)]
struct Stream {
    key: StreamKey,
    payload_types: Vec<u8>,
    stats: StreamStats,
    start: Duration,
    end: Duration,
    bytes: u64,
    srtp: SrtpCounts,
    // Time series.
    series: Vec<IntervalPoint>,
    bucket: Option<u64>,
    bucket_packets: u64,
    bucket_bytes: u64,
    bucket_report: (u64, i64),
}

/// Statistics of every RTP stream of a capture.
#[derive(Debug)]
pub struct Streams {
    codecs: CodecMap,
    interval: Option<Duration>,
    index: HashMap<StreamKey, usize>,
    streams: Vec<Stream>,
}

/// The summary of one stream (the JSON contract of `streams --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StreamSummary {
    /// SSRC.
    pub ssrc: u32,
    /// Payload type of the first packet.
    pub payload_type: u8,
    /// Every payload type seen, in order of appearance.
    pub payload_types: Vec<u8>,
    /// Codec name, when an SDP or RFC 3551 names the payload type.
    pub codec: Option<String>,
    /// Clock rate used for jitter, Hz.
    pub clock_rate: Option<u32>,
    /// `"IP:PORT"` of the sender.
    pub src: String,
    /// `"IP:PORT"` of the receiver.
    pub dst: String,
    /// First packet, seconds since the first frame.
    pub start: f64,
    /// Last packet, seconds since the first frame.
    pub end: f64,
    /// Packets received (duplicates included).
    pub packets: u64,
    /// Expected minus received (RFC 3550 A.3).
    pub lost: i64,
    /// Duplicated packets.
    pub duplicates: u64,
    /// Packets that arrived after a later one.
    pub reordered: u64,
    /// Smallest arrival delta, ms (-1 when none, as Wireshark prints it).
    pub min_delta_ms: f64,
    /// Mean arrival delta, ms.
    pub mean_delta_ms: f64,
    /// Largest arrival delta, ms.
    pub max_delta_ms: f64,
    /// Largest jitter, ms.
    pub max_jitter_ms: f64,
    /// Mean jitter, ms.
    pub mean_jitter_ms: f64,
    /// RTP payload bit rate over the stream's duration, bit/s (UDP payload bytes).
    pub bitrate: f64,
    /// SRTP verdicts of the stream's packets (with key options).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub srtp: Option<SrtpCounts>,
    /// Time series (with `--interval`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<IntervalPoint>,
}

/// How many of a stream's packets got each SRTP verdict.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct SrtpCounts {
    /// Authenticated and decrypted.
    pub ok: u64,
    /// No key authenticated them.
    pub auth_failed: u64,
    /// Replays and packets behind the replay window.
    pub replayed: u64,
    /// No key applied, or malformed.
    pub no_key: u64,
}

impl Streams {
    /// A collector; `interval` enables the time series.
    #[must_use]
    pub fn new(codecs: CodecMap, interval: Option<Duration>) -> Self {
        Self {
            codecs,
            interval: interval.filter(|d| !d.is_zero()),
            index: HashMap::new(),
            streams: Vec::new(),
        }
    }

    /// Accounts for a record if it is RTP.
    pub fn add(&mut self, r: &Record<'_>) {
        if classify(r.payload) != PacketKind::Rtp
            || super::decode::well_known((r.src, r.dst)).is_some()
        {
            return;
        }
        // The fixed header is all the statistics need, so a packet whose extension or
        // padding was cut by the snapshot length still counts, as it does for Wireshark.
        let (ssrc, seq, ts, marker, pt) = match RtpPacket::parse(r.payload) {
            Ok(p) => (
                p.ssrc(),
                p.sequence_number(),
                p.timestamp(),
                p.marker(),
                p.payload_type(),
            ),
            Err(_) if r.truncated && r.payload.len() >= 12 => {
                let b = r.payload;
                (
                    u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
                    u16::from_be_bytes([b[2], b[3]]),
                    u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
                    b[1] & 0x80 != 0,
                    b[1] & 0x7f,
                )
            }
            Err(_) => return,
        };
        let key = (r.src, r.dst, ssrc);
        let idx = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let clock_rate = self.codecs.get(pt).map(|c| c.clock_rate);
                self.streams.push(Stream {
                    key,
                    payload_types: vec![pt],
                    stats: StreamStats::new(StreamConfig {
                        clock_rate,
                        ..StreamConfig::default()
                    }),
                    start: r.time,
                    end: r.time,
                    bytes: 0,
                    srtp: SrtpCounts::default(),
                    series: Vec::new(),
                    bucket: None,
                    bucket_packets: 0,
                    bucket_bytes: 0,
                    bucket_report: (0, 0),
                });
                self.index.insert(key, self.streams.len() - 1);
                self.streams.len() - 1
            }
        };
        let s = &mut self.streams[idx];
        if !s.payload_types.contains(&pt) {
            s.payload_types.push(pt);
        }
        if let Some(iv) = self.interval {
            let b = (r.time.as_nanos() / iv.as_nanos().max(1)) as u64;
            if s.bucket != Some(b) {
                if s.bucket.is_some() {
                    close_bucket(s, iv);
                }
                s.bucket = Some(b);
            }
            s.bucket_packets += 1;
            s.bucket_bytes += r.payload.len() as u64;
        }
        s.stats.update(r.time, seq, ts, marker, pt);
        s.end = r.time;
        s.bytes += r.payload.len() as u64;
    }

    /// Counts an SRTP verdict (`"ok"`, `"auth-failed"`, …) for the stream of an RTP record.
    pub fn add_srtp_verdict(&mut self, r: &Record<'_>, verdict: &str) {
        let Ok(p) = RtpPacket::parse(r.payload) else {
            return;
        };
        if let Some(&i) = self.index.get(&(r.src, r.dst, p.ssrc())) {
            let c = &mut self.streams[i].srtp;
            match verdict {
                "ok" => c.ok += 1,
                "auth-failed" => c.auth_failed += 1,
                "replayed" | "too-old" => c.replayed += 1,
                _ => c.no_key += 1,
            }
        }
    }

    /// The summaries, ordered by first packet.
    #[must_use]
    pub fn finish(self) -> Vec<StreamSummary> {
        self.finish_counting().0
    }

    /// [`Streams::finish`], and how many SSRCs were left out because no packet of theirs
    /// passed RFC 3550 §A.1's probation (two packets in sequence): a lone datagram whose
    /// first byte looks like RTP is no stream.
    #[must_use]
    pub fn finish_counting(mut self) -> (Vec<StreamSummary>, usize) {
        let before = self.streams.len();
        self.streams.retain(|s| s.stats.report().received > 0);
        let dropped = before - self.streams.len();
        (self.finish_validated(), dropped)
    }

    fn finish_validated(mut self) -> Vec<StreamSummary> {
        if let Some(iv) = self.interval {
            for s in &mut self.streams {
                if s.bucket.is_some() {
                    close_bucket(s, iv);
                }
            }
        }
        let mut out: Vec<StreamSummary> = self
            .streams
            .into_iter()
            .map(|s| {
                let r: StreamReport = s.stats.report();
                let pt = s.payload_types[0];
                let codec = self.codecs.get(pt);
                // Capture times may go backwards (merged or multi-interface captures).
                let secs = s.end.saturating_sub(s.start).as_secs_f64();
                StreamSummary {
                    ssrc: s.key.2,
                    payload_type: pt,
                    payload_types: s.payload_types,
                    codec: codec.as_ref().map(|c| c.name.clone()),
                    clock_rate: s.stats.config().clock_rate,
                    src: s.key.0.to_string(),
                    dst: s.key.1.to_string(),
                    start: s.start.as_secs_f64(),
                    end: s.end.as_secs_f64(),
                    packets: r.packets,
                    lost: r.lost,
                    duplicates: r.duplicates,
                    reordered: r.reordered,
                    min_delta_ms: r.min_delta_ms.unwrap_or(-1.0),
                    mean_delta_ms: r.mean_delta_ms,
                    max_delta_ms: r.max_delta_ms,
                    max_jitter_ms: r.max_jitter_ms,
                    mean_jitter_ms: r.mean_jitter_ms,
                    bitrate: if secs > 0.0 {
                        s.bytes as f64 * 8.0 / secs
                    } else {
                        0.0
                    },
                    srtp: (s.srtp != SrtpCounts::default()).then_some(s.srtp),
                    intervals: s.series,
                }
            })
            .collect();
        out.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.ssrc.cmp(&b.ssrc)));
        out
    }
}

/// Start of interval number `bucket`. Exact for any bucket number (a microsecond interval
/// passes 2^32 buckets after 72 minutes); saturates where a `Duration` would overflow.
fn bucket_start(iv: Duration, bucket: u64) -> Duration {
    let nanos = iv.as_nanos().saturating_mul(u128::from(bucket));
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    Duration::new(secs, (nanos % 1_000_000_000) as u32)
}

fn close_bucket(s: &mut Stream, iv: Duration) {
    let r = s.stats.report();
    let (prev_expected, prev_lost) = s.bucket_report;
    let _ = prev_expected;
    let rate = s.stats.config().clock_rate.unwrap_or(0);
    s.series.push(IntervalPoint {
        start: bucket_start(iv, s.bucket.unwrap_or(0)).as_secs_f64(),
        packets: s.bucket_packets,
        lost: r.lost - prev_lost,
        jitter_ms: if rate > 0 {
            r.jitter * 1000.0 / f64::from(rate)
        } else {
            0.0
        },
        bitrate: s.bucket_bytes as f64 * 8.0 / iv.as_secs_f64(),
    });
    s.bucket_report = (r.expected, r.lost);
    s.bucket_packets = 0;
    s.bucket_bytes = 0;
}

/// The text table: one row per stream, Wireshark's columns plus duplicates, reordering,
/// codec and bit rate.
#[must_use]
pub fn render_text(streams: &[StreamSummary]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>10} {:>10} {:>21} {:>21} {:>10} {:>12} {:>7} {:>11} {:>5} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "start", "end", "source", "destination", "ssrc", "payload", "pkts", "lost", "dup", "reord",
        "mean_d_ms", "max_d_ms", "mean_j_ms", "max_j_ms", "kbit/s"
    );
    for s in streams {
        let expected = s.packets as i64 + s.lost;
        let pct = if expected > 0 {
            s.lost as f64 * 100.0 / expected as f64
        } else {
            0.0
        };
        let pts: Vec<String> = s.payload_types.iter().map(u8::to_string).collect();
        let payload = match &s.codec {
            Some(c) => format!("{}/{}", pts.join(","), c),
            None => pts.join(","),
        };
        let _ = writeln!(
            out,
            "{:>10.6} {:>10.6} {:>21} {:>21} {:#010x} {:>12} {:>7} {:>11} {:>5} {:>5} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>9.1}",
            s.start,
            s.end,
            s.src,
            s.dst,
            s.ssrc,
            payload,
            s.packets,
            format!("{} ({pct:.1}%)", s.lost),
            s.duplicates,
            s.reordered,
            s.mean_delta_ms,
            s.max_delta_ms,
            s.mean_jitter_ms,
            s.max_jitter_ms,
            s.bitrate / 1000.0,
        );
        for p in &s.intervals {
            let _ = writeln!(
                out,
                "{:>10.3}   {:>7} pkts {:>5} lost  jitter {:>8.3} ms  {:>9.1} kbit/s",
                p.start,
                p.packets,
                p.lost,
                p.jitter_ms,
                p.bitrate / 1000.0
            );
        }
    }
    out
}
