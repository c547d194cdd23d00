//! From a captured frame to the UDP datagram or TCP segment it carries (link layers:
//! Ethernet with any number of VLAN tags and PPPoE sessions, Linux cooked capture v1 and v2,
//! NFLOG, BSD loopback/NULL, raw IP), through VXLAN, GTP-U and IP-in-IP tunnels.

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};
use pcap_file::DataLink;

use stun_turn_codec::Transport;

/// TCP header fields the stream reassembly needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpInfo {
    /// Sequence number of the first payload byte.
    pub seq: u32,
    /// SYN flag.
    pub syn: bool,
    /// FIN flag.
    pub fin: bool,
    /// RST flag.
    pub rst: bool,
}

impl TcpInfo {
    fn of(t: &etherparse::TcpSlice<'_>) -> Self {
        Self {
            seq: t.sequence_number(),
            syn: t.syn(),
            fin: t.fin(),
            rst: t.rst(),
        }
    }
}

/// A transport payload found in a frame.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// Source address and port.
    pub src: SocketAddr,
    /// Destination address and port.
    pub dst: SocketAddr,
    /// UDP or TCP.
    pub transport: Transport,
    /// TCP fields (TCP only).
    pub tcp: Option<TcpInfo>,
    /// The payload bytes that were captured.
    pub payload: &'a [u8],
    /// The fixed header of the IP packet that carried the payload (the innermost, in a
    /// tunnel), so that a writer can fix its length fields; empty for reassembled payloads.
    pub ip_header: &'a [u8],
    /// The payload came out of a tunnel (VXLAN, GTP-U, IP-in-IP): outer headers count it too.
    pub tunneled: bool,
    /// The payload was cut by the snapshot length.
    pub truncated: bool,
    /// The payload's length on the wire, when the headers say it.
    pub wire_len: Option<usize>,
}

/// Why a frame yields no segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not IP, or IP but neither UDP nor TCP: counted by what it is, not warned about one by
    /// one.
    NotUdpOrTcp(&'static str),
    /// Worth a warning.
    Problem(String),
    /// A fragment of a UDP or TCP datagram (RFC 791 §3.2, RFC 8200 §4.5), for reassembly.
    Fragment(Fragment),
}

/// One IP fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Identification (16 bits in IPv4, 32 in IPv6).
    pub id: u32,
    /// The protocol of the reassembled payload (6 TCP, 17 UDP).
    pub protocol: u8,
    /// Offset of `data` in the reassembled payload, bytes.
    pub offset: usize,
    /// More fragments follow (the MF / M flag).
    pub more: bool,
    /// The fragment's data.
    pub data: Vec<u8>,
}

/// Finds the UDP or TCP payload in a frame of link type `link`.
///
/// # Errors
///
/// [`Skip`] says why nothing usable is there.
pub fn segment(link: DataLink, data: &[u8]) -> Result<Segment<'_>, Skip> {
    segment_in(link, data, 0)
}

/// Tunnels looked into at most, one inside the other.
const MAX_TUNNEL_DEPTH: u8 = 4;

/// [`segment`] at tunnel depth `depth`: the payload of IP-in-IP (RFC 2003, RFC 4213), VXLAN
/// (RFC 7348, UDP port 4789) and GTP-U (3GPP TS 29.281, UDP port 2152) is the inner packet's.
fn segment_in(link: DataLink, data: &[u8], depth: u8) -> Result<Segment<'_>, Skip> {
    let short = || Skip::Problem(format!("frame of {} bytes is too short", data.len()));
    let sliced = match link {
        DataLink::ETHERNET => {
            let (ty, payload) = ethernet_payload(data)?;
            let sliced = LaxSlicedPacket::from_ether_type(EtherType(ty), payload);
            if sliced.net.is_none() && matches!(ty, 0x0800 | 0x86dd) {
                if let Some((e, _)) = &sliced.stop_err {
                    return Err(Skip::Problem(format!("ethernet: {e}")));
                }
            }
            sliced
        }
        DataLink::NFLOG => from_ip(nflog_payload(data)?)?,
        // BSD loopback: a 4-byte address family (host order for NULL, network order for
        // LOOP), then the IP packet; the IP version nibble tells v4 from v6.
        DataLink::NULL | DataLink::LOOP => from_ip(data.get(4..).ok_or_else(short)?)?,
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => from_ip(data)?,
        // Linux cooked v1: 16-byte header, protocol type in bytes 14..16.
        DataLink::LINUX_SLL => {
            let proto = u16::from_be_bytes([
                *data.get(14).ok_or_else(short)?,
                *data.get(15).ok_or_else(short)?,
            ]);
            LaxSlicedPacket::from_ether_type(EtherType(proto), &data[16..])
        }
        // Linux cooked v2: 20-byte header, protocol type in bytes 0..2.
        DataLink::LINUX_SLL2 => {
            if data.len() < 20 {
                return Err(short());
            }
            let proto = u16::from_be_bytes([data[0], data[1]]);
            LaxSlicedPacket::from_ether_type(EtherType(proto), &data[20..])
        }
        other => {
            return Err(Skip::Problem(format!(
                "link type {other:?} is not supported"
            )));
        }
    };
    let Some(net) = &sliced.net else {
        return match &sliced.stop_err {
            Some((e, _)) if sliced.link.is_some() || sliced.vlan.is_some() => {
                Err(Skip::Problem(format!("{e}")))
            }
            _ => Err(Skip::NotUdpOrTcp("not IP (ARP, LLDP, STP, ...)")),
        };
    };
    // Where the IP header is, as a slice of `data` (the parsed header borrows the parser).
    let header_of = |h: &[u8]| -> &[u8] {
        let start = (h.as_ptr() as usize).wrapping_sub(data.as_ptr() as usize);
        data.get(start..start + h.len()).unwrap_or_default()
    };
    let ip_header = match net {
        LaxNetSlice::Ipv4(ip) => header_of(ip.header().slice()),
        LaxNetSlice::Ipv6(ip) => header_of(ip.header().slice()),
    };
    let (src, dst, payload, frag) = match net {
        LaxNetSlice::Ipv4(ip) => {
            let h = ip.header();
            let frag = (
                u32::from(h.identification()),
                usize::from(h.fragments_offset().value()) * 8,
                h.more_fragments(),
            );
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                ip.payload(),
                Some(frag),
            )
        }
        LaxNetSlice::Ipv6(ip) => {
            let frag = ip.extensions().clone().into_iter().find_map(|e| match e {
                // RFC 8200 §4.5: offset (13 bits, in 8-octet units), 2 reserved bits, M. Read
                // from the bytes: etherparse 0.16's accessors take other bits for both.
                etherparse::Ipv6ExtensionSlice::Fragment(f) => {
                    let b = f.slice();
                    let word = u16::from_be_bytes([b[2], b[3]]);
                    Some((
                        f.identification(),
                        usize::from(word >> 3) * 8,
                        word & 1 != 0,
                    ))
                }
                _ => None,
            });
            (
                IpAddr::V6(ip.header().source_addr()),
                IpAddr::V6(ip.header().destination_addr()),
                ip.payload(),
                frag,
            )
        }
    };
    // IPv4 (4) or IPv6 (41) inside IP.
    if matches!(payload.ip_number.0, 4 | 41) && !payload.fragmented && depth < MAX_TUNNEL_DEPTH {
        return segment_in(DataLink::RAW, payload.payload, depth + 1);
    }
    let is_transport = matches!(payload.ip_number.0, 6 | 17);
    if payload.fragmented && is_transport {
        let Some((id, offset, more)) = frag else {
            return Err(Skip::Problem(
                "IP fragment without a fragment header".into(),
            ));
        };
        return Err(Skip::Fragment(Fragment {
            src,
            dst,
            id,
            protocol: payload.ip_number.0,
            offset,
            more,
            data: payload.payload.to_vec(),
        }));
    }
    match &sliced.transport {
        Some(TransportSlice::Udp(u)) => {
            let p = u.payload();
            if depth < MAX_TUNNEL_DEPTH {
                if let Some((link, inner)) = tunnel(u.source_port(), u.destination_port(), p) {
                    return segment_in(link, inner, depth + 1);
                }
            }
            let wire = usize::from(u.length()).saturating_sub(8);
            Ok(Segment {
                src: SocketAddr::new(src, u.source_port()),
                dst: SocketAddr::new(dst, u.destination_port()),
                transport: Transport::Udp,
                tcp: None,
                payload: p,
                ip_header,
                tunneled: depth > 0,
                truncated: wire > p.len() || payload.incomplete,
                wire_len: Some(wire),
            })
        }
        Some(TransportSlice::Tcp(t)) => Ok(Segment {
            src: SocketAddr::new(src, t.source_port()),
            dst: SocketAddr::new(dst, t.destination_port()),
            transport: Transport::Tcp,
            tcp: Some(TcpInfo::of(t)),
            payload: t.payload(),
            ip_header,
            tunneled: depth > 0,
            truncated: payload.incomplete,
            wire_len: None,
        }),
        _ if is_transport => Err(Skip::Problem(match &sliced.stop_err {
            Some((e, _)) => format!("{e}"),
            None => "transport header cut short".into(),
        })),
        _ => Err(Skip::NotUdpOrTcp(ip_protocol_name(payload.ip_number.0))),
    }
}

/// The UDP datagram or TCP segment of a reassembled IP payload; `None` when its header is
/// cut short.
#[must_use]
pub fn reassembled(w: &super::defrag::Whole) -> Option<Segment<'_>> {
    match w.protocol {
        17 => {
            let u = etherparse::UdpSlice::from_slice_lax(&w.data).ok()?;
            Some(Segment {
                src: SocketAddr::new(w.src, u.source_port()),
                dst: SocketAddr::new(w.dst, u.destination_port()),
                transport: Transport::Udp,
                tcp: None,
                payload: u.payload(),
                ip_header: &[],
                tunneled: false,
                truncated: false,
                wire_len: Some(u.payload().len()),
            })
        }
        6 => {
            let t = etherparse::TcpSlice::from_slice(&w.data).ok()?;
            Some(Segment {
                src: SocketAddr::new(w.src, t.source_port()),
                dst: SocketAddr::new(w.dst, t.destination_port()),
                transport: Transport::Tcp,
                tcp: Some(TcpInfo::of(&t)),
                payload: t.payload(),
                ip_header: &[],
                tunneled: false,
                truncated: false,
                wire_len: None,
            })
        }
        _ => None,
    }
}

/// What an IP packet that is neither UDP nor TCP carries, for the count of frames not
/// reported.
fn ip_protocol_name(n: u8) -> &'static str {
    match n {
        1 => "ICMP",
        2 => "IGMP",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        58 => "ICMPv6",
        89 => "OSPF",
        103 => "PIM",
        112 => "VRRP",
        132 => "SCTP",
        _ => "another IP protocol",
    }
}

/// The inner frame of a UDP tunnel: VXLAN (RFC 7348 §5: flags with the I bit, 24 reserved
/// bits, VNI, reserved; an Ethernet frame follows) on port 4789, or a GTP-U G-PDU
/// (3GPP TS 29.281 §5: version 1, protocol type GTP, message type 255; an IP packet
/// follows the header, its optional fields and extension headers) on port 2152.
fn tunnel(src: u16, dst: u16, p: &[u8]) -> Option<(DataLink, &[u8])> {
    if dst == 4789 {
        let (h, inner) = (p.get(..8)?, p.get(8..)?);
        return (h[0] & 0x08 != 0).then_some((DataLink::ETHERNET, inner));
    }
    if dst == 2152 || src == 2152 {
        let h = p.get(..8)?;
        if h[0] >> 5 != 1 || h[0] & 0x10 == 0 || h[1] != 0xff {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
        let body = p.get(8..8 + len)?;
        if h[0] & 0x07 == 0 {
            return Some((DataLink::RAW, body));
        }
        // Sequence number, N-PDU number, next extension header type.
        let mut next = *body.get(3)?;
        let mut at = 4;
        while next != 0 {
            // Each extension header: length in 4-octet units, content, next type last.
            let units = usize::from(*body.get(at)?);
            if units == 0 {
                return None;
            }
            at += 4 * units;
            next = *body.get(at - 1)?;
        }
        return Some((DataLink::RAW, body.get(at..)?));
    }
    None
}

/// Most VLAN tags followed in one frame.
const MAX_VLAN_TAGS: usize = 16;

/// The EtherType and payload of an Ethernet II frame, past any number of VLAN tags
/// (IEEE 802.1Q `0x8100`, 802.1ad `0x88a8`, and the pre-standard QinQ types `0x9100`,
/// `0x9200`, `0x9300`) and a PPPoE session header (RFC 2516 §4.4, with PPP's protocol
/// field: IPv4 `0x0021`, IPv6 `0x0057`, RFC 1661 §2).
fn ethernet_payload(data: &[u8]) -> Result<(u16, &[u8]), Skip> {
    let short = || {
        Skip::Problem(format!(
            "ethernet frame of {} bytes is cut short",
            data.len()
        ))
    };
    let be16 = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
    let mut ty = be16(data.get(12..14).ok_or_else(short)?);
    let mut rest = &data[14..];
    for tags in 0.. {
        match ty {
            0x8100 | 0x88a8 | 0x9100 | 0x9200 | 0x9300 => {
                if tags == MAX_VLAN_TAGS {
                    return Err(Skip::Problem(format!(
                        "more than {MAX_VLAN_TAGS} VLAN tags"
                    )));
                }
                let tag = rest.get(..4).ok_or_else(short)?;
                ty = be16(&tag[2..]);
                rest = &rest[4..];
            }
            0x8864 => {
                // PPPoE session: version/type 0x11, code 0, session id, length, then PPP.
                let h = rest.get(..8).ok_or_else(short)?;
                if h[0] != 0x11 || h[1] != 0 {
                    return Err(Skip::Problem(format!(
                        "PPPoE session header with version/type {:#04x} and code {:#04x}",
                        h[0], h[1]
                    )));
                }
                let len = usize::from(be16(&h[4..])).saturating_sub(2);
                let ip = match be16(&h[6..]) {
                    0x0021 => 0x0800,
                    0x0057 => 0x86dd,
                    _ => return Err(Skip::NotUdpOrTcp("PPPoE without IP (PPP control)")),
                };
                let body = &rest[8..];
                return Ok((ip, &body[..len.min(body.len())]));
            }
            _ => break,
        }
    }
    Ok((ty, rest))
}

/// The packet of an NFLOG frame (Linux `nfnetlink_log`, link type 239): a 4-byte header
/// (address family, version 0, resource id), then TLVs whose length and type are in host
/// byte order, each padded to 4 bytes; `NFULA_PAYLOAD` (type 9) holds the IP packet.
fn nflog_payload(data: &[u8]) -> Result<&[u8], Skip> {
    let header = data
        .get(..4)
        .ok_or_else(|| Skip::Problem("NFLOG frame shorter than its header".into()))?;
    if header[1] != 0 {
        return Err(Skip::Problem(format!(
            "NFLOG version {} (not 0)",
            header[1]
        )));
    }
    // Host byte order: the order in which the first TLV's length fits the frame.
    for little in [true, false] {
        let mut rest = &data[4..];
        while let Some(tlv) = rest.get(..4) {
            let (len, ty) = if little {
                (
                    u16::from_le_bytes([tlv[0], tlv[1]]),
                    u16::from_le_bytes([tlv[2], tlv[3]]),
                )
            } else {
                (
                    u16::from_be_bytes([tlv[0], tlv[1]]),
                    u16::from_be_bytes([tlv[2], tlv[3]]),
                )
            };
            let len = usize::from(len);
            if len < 4 || len > rest.len() {
                break;
            }
            if ty & 0x7fff == 9 {
                return Ok(&rest[4..len]);
            }
            rest = &rest[len.next_multiple_of(4).min(rest.len())..];
        }
    }
    Err(Skip::NotUdpOrTcp("NFLOG without a packet"))
}

fn from_ip(data: &[u8]) -> Result<LaxSlicedPacket<'_>, Skip> {
    LaxSlicedPacket::from_ip(data).map_err(|e| Skip::Problem(format!("ip: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An IPv4/UDP packet 127.0.0.1:1000 -> 127.0.0.1:2000 with `payload`.
    fn ipv4_udp(payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        etherparse::PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
            .udp(1000, 2000)
            .write(&mut out, payload)
            .unwrap();
        out
    }

    #[test]
    fn every_link_type_reaches_the_udp_payload() {
        let ip = ipv4_udp(b"hello");
        let mut eth = vec![0u8; 12];
        eth.extend_from_slice(&[0x08, 0x00]);
        eth.extend_from_slice(&ip);
        let mut vlan = vec![0u8; 12];
        vlan.extend_from_slice(&[0x81, 0x00, 0x00, 0x05, 0x08, 0x00]);
        vlan.extend_from_slice(&ip);
        let mut null = 2u32.to_le_bytes().to_vec();
        null.extend_from_slice(&ip);
        let mut sll = vec![0u8; 14];
        sll.extend_from_slice(&[0x08, 0x00]);
        sll.extend_from_slice(&ip);
        let mut sll2 = vec![0x08, 0x00];
        sll2.extend_from_slice(&[0u8; 18]);
        sll2.extend_from_slice(&ip);
        for (link, frame) in [
            (DataLink::ETHERNET, &eth),
            (DataLink::ETHERNET, &vlan),
            (DataLink::NULL, &null),
            (DataLink::RAW, &ip),
            (DataLink::LINUX_SLL, &sll),
            (DataLink::LINUX_SLL2, &sll2),
        ] {
            let s = segment(link, frame).unwrap();
            assert_eq!(s.payload, b"hello", "{link:?}");
            assert_eq!(s.src.port(), 1000);
            assert_eq!(s.dst.to_string(), "127.0.0.1:2000");
            assert!(!s.truncated);
        }
    }

    #[test]
    fn a_snaplen_cut_datagram_is_flagged_with_its_wire_length() {
        let ip = ipv4_udp(&[0x80; 100]);
        let s = segment(DataLink::RAW, &ip[..60]).unwrap();
        assert_eq!(s.payload.len(), 60 - 28);
        assert!(s.truncated);
        assert_eq!(s.wire_len, Some(100));
    }

    #[test]
    fn garbage_is_a_problem_not_a_panic() {
        assert!(matches!(
            segment(DataLink::ETHERNET, &[1, 2, 3]),
            Err(Skip::Problem(_))
        ));
        assert!(matches!(
            segment(DataLink::LINUX_SLL, &[0; 10]),
            Err(Skip::Problem(_))
        ));
    }
}
