//! Reading the captures of `corpus/` and their tshark oracles.
#![allow(dead_code, unreachable_pub)]

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::DataLink;
use std::fs::File;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The corpus directory.
pub fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))
}

/// One captured frame; `udp` is set for UDP datagrams.
#[derive(Debug, Clone)]
pub struct Frame {
    /// 1-based frame number, as tshark counts.
    pub number: usize,
    /// Capture timestamp.
    pub time: Duration,
    /// Source, destination and payload of a UDP datagram.
    pub udp: Option<(IpAddr, u16, IpAddr, u16, Vec<u8>)>,
}

fn decode(link: DataLink, data: &[u8]) -> Option<(IpAddr, u16, IpAddr, u16, Vec<u8>)> {
    let sliced = match link {
        DataLink::ETHERNET => SlicedPacket::from_ethernet(data).ok()?,
        DataLink::NULL | DataLink::LOOP => SlicedPacket::from_ip(data.get(4..)?).ok()?,
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => SlicedPacket::from_ip(data).ok()?,
        DataLink::LINUX_SLL => SlicedPacket::from_linux_sll(data).ok()?,
        other => panic!("unsupported link type {other:?}"),
    };
    let (src, dst) = match sliced.net? {
        NetSlice::Ipv4(ip) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
        ),
        NetSlice::Ipv6(ip) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
        ),
    };
    match sliced.transport? {
        TransportSlice::Udp(u) => Some((
            src,
            u.source_port(),
            dst,
            u.destination_port(),
            u.payload().to_vec(),
        )),
        _ => None,
    }
}

/// Every frame of a pcap or pcapng file.
pub fn read_capture(path: &Path) -> Vec<Frame> {
    let mut frames = Vec::new();
    let is_ng = path.extension().is_some_and(|e| e == "pcapng");
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if is_ng {
        let mut r = PcapNgReader::new(file).expect("pcapng header");
        let mut links: Vec<(DataLink, u32)> = Vec::new();
        while let Some(block) = r.next_block() {
            match block.expect("pcapng block") {
                Block::InterfaceDescription(idb) => {
                    let resol = idb
                        .options
                        .iter()
                        .find_map(|o| match o {
                            InterfaceDescriptionOption::IfTsResol(r) => Some(*r),
                            _ => None,
                        })
                        .unwrap_or(6);
                    assert!(resol & 0x80 == 0, "binary timestamp resolution not handled");
                    links.push((idb.linktype, u32::from(resol)));
                }
                Block::EnhancedPacket(epb) => {
                    let (link, resol) = links[epb.interface_id as usize];
                    // pcap-file hands back the raw 64-bit count as nanoseconds; scale it by
                    // the interface's if_tsresol (default 10^-6).
                    let raw = epb.timestamp.as_nanos();
                    let nanos = if resol <= 9 {
                        raw * 10u128.pow(9 - resol)
                    } else {
                        raw / 10u128.pow(resol - 9)
                    };
                    let time = Duration::from_nanos(nanos as u64);
                    frames.push(Frame {
                        number: frames.len() + 1,
                        time,
                        udp: decode(link, &epb.data),
                    });
                }
                _ => {}
            }
        }
    } else {
        let mut r = PcapReader::new(file).expect("pcap header");
        let link = r.header().datalink;
        while let Some(p) = r.next_packet() {
            let p = p.expect("pcap packet");
            frames.push(Frame {
                number: frames.len() + 1,
                time: p.timestamp,
                udp: decode(link, &p.data),
            });
        }
    }
    frames
}

/// One row of `tshark -q -z rtp,streams`.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRow {
    pub src_port: u16,
    pub dst_port: u16,
    pub ssrc: u32,
    pub payload: String,
    pub packets: u64,
    pub lost: i64,
    pub min_delta: f64,
    pub mean_delta: f64,
    pub max_delta: f64,
    pub min_jitter: f64,
    pub mean_jitter: f64,
    pub max_jitter: f64,
}

/// Parses an `rtp,streams` table.
pub fn read_streams(path: &Path) -> Vec<StreamRow> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut t: Vec<&str> = line.split_whitespace().collect();
        if t.len() < 17 || !t[6].starts_with("0x") {
            continue;
        }
        if t.last() == Some(&"X") {
            t.pop();
        }
        let n = t.len();
        let f = |i: usize| t[i].parse::<f64>().unwrap();
        rows.push(StreamRow {
            src_port: t[3].parse().unwrap(),
            dst_port: t[5].parse().unwrap(),
            ssrc: u32::from_str_radix(&t[6][2..], 16).unwrap(),
            payload: t[7..n - 9].join(" "),
            packets: t[n - 9].parse().unwrap(),
            lost: t[n - 8].parse().unwrap(),
            min_delta: f(n - 6),
            mean_delta: f(n - 5),
            max_delta: f(n - 4),
            min_jitter: f(n - 3),
            mean_jitter: f(n - 2),
            max_jitter: f(n - 1),
        });
    }
    rows
}

/// The UDP ports tshark was told to decode as RTP (`-d udp.port==N,rtp`) for a capture.
pub fn rtp_ports(args_file: &Path, capture: &str) -> Vec<u16> {
    let text = std::fs::read_to_string(args_file).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{capture}:")))
        .unwrap_or("");
    let line = line.replace("udp.port==", " udp.port==");
    line.split_whitespace()
        .filter_map(|w| {
            w.strip_prefix("udp.port==")?
                .strip_suffix(",rtp")?
                .parse()
                .ok()
        })
        .collect()
}
