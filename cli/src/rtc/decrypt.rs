//! `rtc-inspect decrypt`: the capture written back as pcapng with every SRTP and SRTCP
//! datagram whose key is known replaced by its plaintext RTP or RTCP packet (tag, MKI and
//! SRTCP index removed), and the IP and UDP lengths and checksums fixed to match. Every
//! other frame, and every timestamp, is written unchanged and in order, so frame N of the
//! output is frame N of the input; tshark and Wireshark's RTP player then read the output as
//! a plaintext call.
//!
//! Frames are streamed one at a time (constant memory); media inside TURN ChannelData, a
//! tunnel or a TCP stream, and frames cut by the snapshot length, are written unchanged and
//! counted.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use etherparse::{Ipv4HeaderSlice, UdpHeader};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::DataLink;
use rtp_codec::demux::{classify, PacketKind};
use stun_turn_codec::Transport;

use super::capture::{self, CaptureError, Keep, Warning};
use super::decode::Session;
use super::keyring::Verdict;
use super::net;

/// What `decrypt` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Frames read and written.
    pub frames: u64,
    /// SRTP packets replaced by their plaintext.
    pub rtp: u64,
    /// SRTCP packets replaced by their plaintext.
    pub rtcp: u64,
    /// SRTP/SRTCP packets left as they were, by verdict.
    pub left: HashMap<&'static str, u64>,
    /// Frames with media that cannot be rewritten in place (TCP, truncated).
    pub not_rewritable: u64,
    /// The input ended in a damaged record (everything before it was written).
    pub damaged: bool,
}

impl Report {
    /// One line for stderr.
    #[must_use]
    pub fn summary(&self) -> String {
        let mut left: Vec<String> = self.left.iter().map(|(k, v)| format!("{v} {k}")).collect();
        left.sort();
        format!(
            "decrypt: {} frames written, {} SRTP and {} SRTCP packets decrypted{}{}",
            self.frames,
            self.rtp,
            self.rtcp,
            if left.is_empty() {
                String::new()
            } else {
                format!(", left encrypted: {}", left.join(", "))
            },
            if self.not_rewritable > 0 {
                format!(
                    ", {} media frames not rewritable (TCP, tunnelled or truncated)",
                    self.not_rewritable
                )
            } else {
                String::new()
            }
        )
    }
}

/// Why decrypting stopped.
#[derive(Debug)]
pub enum DecryptError {
    /// Reading the input failed.
    Capture(CaptureError),
    /// Writing the output failed.
    Write(String),
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Capture(e) => write!(f, "{e}"),
            Self::Write(e) => write!(f, "writing the output: {e}"),
        }
    }
}

impl std::error::Error for DecryptError {}

/// The frame with the UDP payload at `payload` replaced by `plain`, and the lengths and
/// checksums of the IP header at offset `ip` and of UDP fixed; `None` when they do not fit.
fn rewrite(
    data: &[u8],
    ip: usize,
    payload: std::ops::Range<usize>,
    plain: &[u8],
) -> Option<Vec<u8>> {
    let udp = payload.start.checked_sub(8)?;
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(data.get(..payload.start)?);
    out.extend_from_slice(plain);
    out.extend_from_slice(data.get(payload.end..)?);
    let udp_len = u16::try_from(8 + plain.len()).ok()?;
    out.get_mut(udp + 4..udp + 6)?
        .copy_from_slice(&udp_len.to_be_bytes());
    let (src_port, dst_port) = {
        let h = out.get(udp..udp + 4)?;
        (
            u16::from_be_bytes([h[0], h[1]]),
            u16::from_be_bytes([h[2], h[3]]),
        )
    };
    let old_checksum = u16::from_be_bytes([*out.get(udp + 6)?, *out.get(udp + 7)?]);
    let header = UdpHeader {
        source_port: src_port,
        destination_port: dst_port,
        length: udp_len,
        checksum: 0,
    };
    let shrink =
        i64::try_from(payload.end - payload.start).ok()? - i64::try_from(plain.len()).ok()?;
    let checksum = if out.get(ip)? >> 4 == 4 {
        let mut h = Ipv4HeaderSlice::from_slice(out.get(ip..)?)
            .ok()?
            .to_header();
        h.total_len = u16::try_from(i64::from(h.total_len) - shrink).ok()?;
        h.header_checksum = h.calc_header_checksum();
        let mut bytes = Vec::with_capacity(h.header_len());
        h.write(&mut bytes).ok()?;
        out.get_mut(ip..ip + bytes.len())?.copy_from_slice(&bytes);
        // RFC 768: a zero checksum means none was computed; keep it that way.
        if old_checksum == 0 {
            0
        } else {
            header
                .calc_checksum_ipv4_raw(h.source, h.destination, plain)
                .ok()?
        }
    } else {
        // IPv6: the payload length counts extension headers and payload alike.
        let len = u16::from_be_bytes([*out.get(ip + 4)?, *out.get(ip + 5)?]);
        let new_len = u16::try_from(i64::from(len) - shrink).ok()?;
        out.get_mut(ip + 4..ip + 6)?
            .copy_from_slice(&new_len.to_be_bytes());
        let src: [u8; 16] = out.get(ip + 8..ip + 24)?.try_into().ok()?;
        let dst: [u8; 16] = out.get(ip + 24..ip + 40)?.try_into().ok()?;
        header.calc_checksum_ipv6_raw(src, dst, plain).ok()?
    };
    out.get_mut(udp + 6..udp + 8)?
        .copy_from_slice(&checksum.to_be_bytes());
    Some(out)
}

/// Decrypts `input` into `output`.
///
/// # Errors
/// The input cannot be read from the start, or the output cannot be written.
pub fn run(
    input: &Path,
    output: &Path,
    keys: &mut Session,
    on_warning: &mut dyn FnMut(Warning),
) -> Result<Report, DecryptError> {
    let file = File::create(output)
        .map_err(|e| DecryptError::Write(format!("{}: {e}", output.display())))?;
    let mut writer =
        PcapNgWriter::new(BufWriter::new(file)).map_err(|e| DecryptError::Write(e.to_string()))?;
    let mut interfaces: Vec<DataLink> = Vec::new();
    let mut report = Report::default();
    let mut write_error: Option<String> = None;
    let result = capture::read_file(
        input,
        &mut |f| {
            report.frames += 1;
            let mut data = std::borrow::Cow::Borrowed(f.data);
            if let Ok(seg) = net::segment(f.link, f.data) {
                let kind = classify(seg.payload);
                match kind {
                    PacketKind::Dtls => {
                        let _ = keys.srtp.observe_dtls(seg.src, seg.dst, seg.payload);
                    }
                    PacketKind::Rtp | PacketKind::Rtcp if seg.transport == Transport::Udp => {
                        if seg.truncated || seg.tunneled {
                            report.not_rewritable += 1;
                        } else {
                            let rtcp = kind == PacketKind::Rtcp;
                            let o = keys.srtp.unprotect(seg.src, seg.dst, rtcp, seg.payload);
                            let start = (seg.payload.as_ptr() as usize)
                                .wrapping_sub(f.data.as_ptr() as usize);
                            let ip = (seg.ip_header.as_ptr() as usize)
                                .wrapping_sub(f.data.as_ptr() as usize);
                            let range = start..start + seg.payload.len();
                            match (o.verdict, o.plain) {
                                (Verdict::Ok, Some(plain)) => {
                                    match rewrite(f.data, ip, range, plain) {
                                        Some(new) => {
                                            data = std::borrow::Cow::Owned(new);
                                            if rtcp {
                                                report.rtcp += 1;
                                            } else {
                                                report.rtp += 1;
                                            }
                                        }
                                        None => report.not_rewritable += 1,
                                    }
                                }
                                (v, _) => *report.left.entry(v.name()).or_default() += 1,
                            }
                        }
                    }
                    PacketKind::Rtp | PacketKind::Rtcp => report.not_rewritable += 1,
                    _ => {}
                }
            }
            let iface = match interfaces.iter().position(|l| *l == f.link) {
                Some(i) => i,
                None => {
                    let idb = InterfaceDescriptionBlock {
                        linktype: f.link,
                        snaplen: 0,
                        // Nanosecond timestamps, as pcap-file writes them.
                        options: vec![InterfaceDescriptionOption::IfTsResol(9)],
                    };
                    if let Err(e) = writer.write_pcapng_block(idb) {
                        write_error = Some(e.to_string());
                        return Keep::Break(());
                    }
                    interfaces.push(f.link);
                    interfaces.len() - 1
                }
            };
            let grown = data.len().saturating_sub(f.data.len()) as u32;
            let shrunk = f.data.len().saturating_sub(data.len()) as u32;
            let epb = EnhancedPacketBlock {
                interface_id: iface as u32,
                timestamp: f.time,
                original_len: f.original_len.saturating_add(grown).saturating_sub(shrunk),
                data,
                options: vec![],
            };
            if let Err(e) = writer.write_pcapng_block(epb) {
                write_error = Some(e.to_string());
                return Keep::Break(());
            }
            Keep::Continue(())
        },
        on_warning,
    );
    if let Some(e) = write_error {
        return Err(DecryptError::Write(e));
    }
    match result {
        Ok(_) => {}
        Err(e @ CaptureError::Record { .. }) => {
            on_warning(Warning {
                frame: report.frames + 1,
                message: e.to_string(),
            });
            report.damaged = true;
        }
        Err(e) => return Err(DecryptError::Capture(e)),
    }
    writer
        .into_inner()
        .flush()
        .map_err(|e| DecryptError::Write(e.to_string()))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{NetSlice, PacketBuilder, SlicedPacket, TransportSlice};

    fn frame(v6: bool, payload: &[u8]) -> Vec<u8> {
        let b = PacketBuilder::ethernet2([1; 6], [2; 6]);
        let b = if v6 {
            b.ipv6(
                [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
                64,
            )
        } else {
            b.ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64)
        };
        let b = b.udp(5000, 6000);
        let mut out = Vec::new();
        b.write(&mut out, payload).unwrap();
        out
    }

    /// The rewritten frame equals the frame a packet builder makes for the plaintext:
    /// lengths and checksums included.
    #[test]
    fn rewritten_frames_equal_frames_built_for_the_plaintext() {
        for v6 in [false, true] {
            let protected = vec![0x80u8; 60];
            let plain = vec![0x80u8; 46];
            let f = frame(v6, &protected);
            let seg = SlicedPacket::from_ethernet(&f).unwrap();
            let Some(TransportSlice::Udp(u)) = seg.transport else {
                panic!()
            };
            let start = u.payload().as_ptr() as usize - f.as_ptr() as usize;
            let ip = 14;
            let got = rewrite(&f, ip, start..start + protected.len(), &plain).unwrap();
            assert_eq!(got, frame(v6, &plain), "v6={v6}");
            let s = SlicedPacket::from_ethernet(&got).unwrap();
            assert!(matches!(
                s.net,
                Some(NetSlice::Ipv4(_)) | Some(NetSlice::Ipv6(_))
            ));
        }
    }
}
