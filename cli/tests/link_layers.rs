//! Link layers and files that captures from the wild have: stacked VLAN tags, PPPoE
//! sessions, NFLOG, VXLAN, GTP-U and IP-in-IP tunnels, a frame check sequence announced in the pcap header, gzip-compressed
//! files. Each capture is made here with `pcap-file`; `rtc-inspect packets` must find the
//! same UDP datagrams in every form, and tshark (an independent dissector) must agree on
//! the addresses and ports of each frame.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

use pcap_file::DataLink;
use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_rtc-inspect");

/// An IPv4 (or IPv6) packet carrying one RTP packet over UDP, distinct per `i`.
fn ip_udp(i: u16, v6: bool) -> Vec<u8> {
    let mut rtp = vec![0x80, 96];
    rtp.extend_from_slice(&i.to_be_bytes());
    rtp.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0x12, 0x34]);
    rtp.extend_from_slice(b"payload");
    let b = if v6 {
        etherparse::PacketBuilder::ipv6(
            [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
            64,
        )
    } else {
        etherparse::PacketBuilder::ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64)
    };
    let mut out = Vec::new();
    b.udp(5000 + i, 6000).write(&mut out, &rtp).unwrap();
    out
}

fn ethernet(ethertype: u16, tags: &[(u16, u16)], payload: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
    for (tpid, vid) in tags {
        f.extend_from_slice(&tpid.to_be_bytes());
        f.extend_from_slice(&vid.to_be_bytes());
    }
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn pppoe(ip: &[u8], v6: bool) -> Vec<u8> {
    let mut p = vec![0x11, 0x00, 0x12, 0x34];
    p.extend_from_slice(&((ip.len() + 2) as u16).to_be_bytes());
    p.extend_from_slice(if v6 { &[0x00, 0x57] } else { &[0x00, 0x21] });
    p.extend_from_slice(ip);
    p
}

/// An NFLOG frame (little-endian TLVs, as x86 hosts write them): a prefix TLV, then the
/// payload TLV.
fn nflog(ip: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 7];
    let prefix = b"rtc\0";
    f.extend_from_slice(&((4 + prefix.len()) as u16).to_le_bytes());
    f.extend_from_slice(&10u16.to_le_bytes());
    f.extend_from_slice(prefix);
    f.extend_from_slice(&((4 + ip.len()) as u16).to_le_bytes());
    f.extend_from_slice(&9u16.to_le_bytes());
    f.extend_from_slice(ip);
    while f.len() % 4 != 0 {
        f.push(0);
    }
    f
}

fn write_pcap(name: &str, link: DataLink, frames: &[Vec<u8>]) -> PathBuf {
    common::write_pcap(&format!("link-{name}"), link, frames)
}

/// `(frame, src, dst, kind)` of every record `rtc-inspect packets --json` reports.
fn packets(path: &PathBuf) -> Vec<(u64, String, String, String)> {
    let o = Command::new(BIN)
        .arg("packets")
        .arg(path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "warnings: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap().to_owned();
            (v["frame"].as_u64().unwrap(), s("src"), s("dst"), s("kind"))
        })
        .collect()
}

/// An outer IPv4/UDP packet to `port` carrying `payload` (a tunnel's).
fn outer_udp(port: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    etherparse::PacketBuilder::ipv4([198, 51, 100, 1], [198, 51, 100, 2], 64)
        .udp(40000, port)
        .write(&mut out, payload)
        .unwrap();
    out
}

/// An outer IPv4 header with protocol `proto` (4: IPv4, 41: IPv6) around `inner`.
fn ip_in_ip(proto: u8, inner: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    etherparse::PacketBuilder::ipv4([198, 51, 100, 1], [198, 51, 100, 2], 64)
        .write(&mut out, etherparse::IpNumber(proto), inner)
        .unwrap();
    out
}

fn vxlan(inner_frame: &[u8]) -> Vec<u8> {
    let mut p = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
    p.extend_from_slice(inner_frame);
    ethernet(0x0800, &[], &outer_udp(4789, &p))
}

/// A GTP-U G-PDU, with a PDU session container extension header when `ext`.
fn gtpu(ip: &[u8], ext: bool) -> Vec<u8> {
    let mut body = Vec::new();
    if ext {
        // Sequence 0, N-PDU 0, next type 0x85; one 4-octet extension ending the chain.
        body.extend_from_slice(&[0, 0, 0, 0x85, 1, 0x00, 0x09, 0]);
    }
    body.extend_from_slice(ip);
    let mut p = vec![if ext { 0x34 } else { 0x30 }, 0xff];
    p.extend_from_slice(&(body.len() as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, 7]);
    p.extend_from_slice(&body);
    ethernet(0x0800, &[], &outer_udp(2152, &p))
}

fn frames() -> Vec<(&'static str, DataLink, Vec<Vec<u8>>)> {
    let ip4: Vec<Vec<u8>> = (0..4).map(|i| ip_udp(i, false)).collect();
    let ip6: Vec<Vec<u8>> = (0..4).map(|i| ip_udp(i, true)).collect();
    // Even frames carry IPv4, odd ones IPv6, where the layer takes both.
    let mixed = |f: &dyn Fn(&[u8], bool) -> Vec<u8>| -> Vec<Vec<u8>> {
        (0..4)
            .map(|i| {
                if i % 2 == 0 {
                    f(&ip4[i], false)
                } else {
                    f(&ip6[i], true)
                }
            })
            .collect()
    };
    let vlan3 = [(0x88a8, 10), (0x8100, 20), (0x8100, 30)];
    vec![
        (
            "vlan3",
            DataLink::ETHERNET,
            ip4.iter().map(|ip| ethernet(0x0800, &vlan3, ip)).collect(),
        ),
        (
            "pppoe",
            DataLink::ETHERNET,
            mixed(&|ip, v6| {
                ethernet(
                    0x8864,
                    if v6 { &[(0x8100, 7)] } else { &[] },
                    &pppoe(ip, v6),
                )
            }),
        ),
        (
            "nflog",
            DataLink::NFLOG,
            ip4.iter().map(|ip| nflog(ip)).collect(),
        ),
        (
            "vxlan",
            DataLink::ETHERNET,
            ip4.iter()
                .map(|ip| vxlan(&ethernet(0x0800, &[(0x8100, 3)], ip)))
                .collect(),
        ),
        ("gtpu", DataLink::ETHERNET, mixed(&|ip, v6| gtpu(ip, v6))),
        (
            "ipip",
            DataLink::ETHERNET,
            mixed(&|ip, v6| ethernet(0x0800, &[], &ip_in_ip(if v6 { 41 } else { 4 }, ip))),
        ),
    ]
}

#[test]
fn every_link_layer_and_tunnel_reaches_the_inner_datagram() {
    for (name, link, fs) in frames() {
        let path = write_pcap(name, link, &fs);
        let got = packets(&path);
        assert_eq!(got.len(), fs.len(), "{name}: {got:?}");
        for (i, (frame, src, dst, kind)) in got.iter().enumerate() {
            assert_eq!(*frame, i as u64 + 1, "{name}");
            assert_eq!(kind, "rtp", "{name}");
            // The inner datagram's source: 192.0.2.1 or 2001:db8::1, port 5000 + i.
            let want = if src.starts_with('[') {
                "[2001:db8::1]"
            } else {
                "192.0.2.1"
            };
            assert_eq!(*src, format!("{want}:{}", 5000 + i), "{name}");
            assert!(dst.ends_with(":6000"), "{name}: {dst}");
        }
        let _ = std::fs::remove_file(path);
    }
}

/// The pcap header's link-type field may announce a frame check sequence at the end of
/// every packet (bit 26 and the FCS length in 16-bit units in the top 4 bits): the
/// datagrams are the same as without it.
#[test]
fn fcs_announced_in_the_link_type_is_stripped() {
    let plain: Vec<Vec<u8>> = (0..3)
        .map(|i| ethernet(0x0800, &[], &ip_udp(i, false)))
        .collect();
    let with_fcs: Vec<Vec<u8>> = plain
        .iter()
        .map(|f| [&f[..], &[0xde, 0xad, 0xbe, 0xef]].concat())
        .collect();
    let a = write_pcap("nofcs", DataLink::ETHERNET, &plain);
    let b = write_pcap("fcs", DataLink::Unknown(0x2400_0001), &with_fcs);
    let (pa, pb) = (packets(&a), packets(&b));
    assert_eq!(pa.len(), 3);
    assert_eq!(pa, pb);
    // The UDP payload length is unchanged too (the FCS is not read as data).
    let o = Command::new(BIN)
        .arg("packets")
        .arg(&b)
        .arg("--json")
        .output()
        .unwrap();
    let first: Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["bytes"], 19);
    let _ = (std::fs::remove_file(a), std::fs::remove_file(b));
}

/// A gzip-compressed capture reads as the capture itself.
#[test]
fn gzip_compressed_captures_are_read() {
    for name in ["ffmpeg-vp8-opus.pcap", "chromium-call.pcapng"] {
        let src = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/pcap")).join(name);
        let gz =
            std::env::temp_dir().join(format!("rtc-inspect-gz-{}-{name}.gz", std::process::id()));
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(&std::fs::read(&src).unwrap()).unwrap();
        enc.finish().unwrap();
        for sub in ["packets", "streams"] {
            let run = |p: &PathBuf| {
                Command::new(BIN)
                    .arg(sub)
                    .arg(p)
                    .arg("--json")
                    .output()
                    .unwrap()
            };
            let (a, b) = (run(&src), run(&gz));
            assert!(
                b.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&b.stderr)
            );
            assert!(!a.stdout.is_empty());
            assert_eq!(a.stdout, b.stdout, "{name} {sub}");
        }
        let _ = std::fs::remove_file(gz);
    }
}

/// tshark finds the same IP addresses and UDP ports in every frame of the VLAN, PPPoE and
/// NFLOG captures.
#[test]
#[ignore = "needs tshark (bash .ci/run installs it)"]
fn tshark_agrees_on_every_frame() {
    for (name, link, fs) in frames() {
        let path = write_pcap(&format!("tshark-{name}"), link, &fs);
        let fields = [
            "frame.number",
            "ip.src",
            "ipv6.src",
            "udp.srcport",
            "ip.dst",
            "ipv6.dst",
            "udp.dstport",
        ];
        // The last occurrence of each field: the innermost packet's.
        let theirs: Vec<(u64, String, String)> =
            common::tshark_fields(&path, &["-E", "occurrence=l"], &fields)
                .into_iter()
                .map(|f| {
                    // In these captures an IPv6 packet is always the innermost.
                    let ip = |v4: &str, v6: &str| {
                        if v6.is_empty() {
                            v4.to_owned()
                        } else {
                            format!("[{v6}]")
                        }
                    };
                    (
                        f[0].parse().unwrap(),
                        format!("{}:{}", ip(&f[1], &f[2]), f[3]),
                        format!("{}:{}", ip(&f[4], &f[5]), f[6]),
                    )
                })
                .collect();
        let ours: Vec<(u64, String, String)> = packets(&path)
            .into_iter()
            .map(|(n, s, d, _)| (n, s, d))
            .collect();
        assert_eq!(ours, theirs, "{name}");
        let _ = std::fs::remove_file(path);
    }
}

/// Frames that carry no UDP or TCP (ARP, ICMP) are counted in one warning by what they
/// carry, instead of being dropped without a word.
#[test]
fn frames_not_reported_are_counted_in_one_warning() {
    let arp = ethernet(
        0x0806,
        &[],
        &[
            0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2,
        ],
    );
    let mut icmp = Vec::new();
    etherparse::PacketBuilder::ethernet2([2; 6], [4; 6])
        .ipv4([192, 0, 2, 1], [192, 0, 2, 2], 64)
        .icmpv4_echo_request(1, 1)
        .write(&mut icmp, b"ping")
        .unwrap();
    let udp = ethernet(0x0800, &[], &ip_udp(0, false));
    let frames = vec![
        arp.clone(),
        udp.clone(),
        icmp.clone(),
        arp,
        udp,
        icmp.clone(),
        icmp,
    ];
    let path = write_pcap("notreported", DataLink::ETHERNET, &frames);
    let o = Command::new(BIN)
        .arg("packets")
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 2);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.ends_with("5 frames carry no UDP or TCP and are not reported: 3 ICMP, 2 not IP (ARP, LLDP, STP, ...)\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_file(path);
}

/// A UDP datagram of `len` payload bytes from port `port`, as IPv4 (or IPv6) fragments of at
/// most 1000 payload bytes each, in order.
fn fragments(port: u16, len: usize, v6: bool, id: u16) -> Vec<Vec<u8>> {
    let mut udp = Vec::new();
    let mut rtp = vec![0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0x12, 0x34];
    rtp.resize(len, 0x5a);
    etherparse::UdpHeader::without_ipv4_checksum(port, 6000, rtp.len())
        .unwrap()
        .write(&mut udp)
        .unwrap();
    udp.extend_from_slice(&rtp);
    udp.chunks(1000)
        .enumerate()
        .map(|(i, chunk)| {
            let (offset, more) = (i * 1000, (i + 1) * 1000 < udp.len());
            let mut ip = Vec::new();
            if v6 {
                let mut h = etherparse::Ipv6Header {
                    payload_length: (8 + chunk.len()) as u16,
                    next_header: etherparse::IpNumber(44),
                    hop_limit: 64,
                    source: [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                    destination: [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
                    ..Default::default()
                };
                h.flow_label = Default::default();
                h.write(&mut ip).unwrap();
                ip.extend_from_slice(&[17, 0]);
                ip.extend_from_slice(&(((offset / 8) << 3) as u16 | u16::from(more)).to_be_bytes());
                ip.extend_from_slice(&u32::from(id).to_be_bytes());
            } else {
                let mut h = etherparse::Ipv4Header::new(
                    chunk.len() as u16,
                    64,
                    etherparse::IpNumber::UDP,
                    [192, 0, 2, 1],
                    [192, 0, 2, 2],
                )
                .unwrap();
                h.identification = id;
                h.dont_fragment = false;
                h.more_fragments = more;
                h.fragment_offset = etherparse::IpFragOffset::try_new((offset / 8) as u16).unwrap();
                h.header_checksum = h.calc_header_checksum();
                h.write(&mut ip).unwrap();
            }
            ip.extend_from_slice(chunk);
            ethernet(if v6 { 0x86dd } else { 0x0800 }, &[], &ip)
        })
        .collect()
}

/// A datagram with three IPv4 fragments out of order, a whole datagram between them, and
/// two IPv6 fragments; each reassembled one is reported at the frame that completed it,
/// whole, as tshark (which reassembles too) reports it.
fn fragmented_capture() -> (PathBuf, usize) {
    let a = fragments(5100, 2400, false, 77);
    let b = fragments(5101, 1500, true, 78);
    let frames = vec![
        a[1].clone(),
        a[0].clone(),
        ethernet(0x0800, &[], &ip_udp(3, false)),
        b[0].clone(),
        a[2].clone(),
        b[1].clone(),
    ];
    (
        write_pcap("frags", DataLink::ETHERNET, &frames),
        frames.len(),
    )
}

#[test]
fn ip_fragments_are_reassembled() {
    let (path, _) = fragmented_capture();
    let o = Command::new(BIN)
        .arg("packets")
        .arg(&path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got: Vec<(u64, String, u64)> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["frame"].as_u64().unwrap(),
                v["src"].as_str().unwrap().to_owned(),
                v["bytes"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (3, "192.0.2.1:5003".to_owned(), 19),
            (5, "192.0.2.1:5100".to_owned(), 2400),
            (6, "[2001:db8::1]:5101".to_owned(), 1500),
        ]
    );
    let _ = std::fs::remove_file(path);
}

#[test]
#[ignore = "needs tshark (bash .ci/run installs it)"]
fn tshark_reassembles_the_same_datagrams() {
    let (path, _) = fragmented_capture();
    let rows = common::tshark_fields(
        &path,
        &["-E", "occurrence=l"],
        &["frame.number", "udp.srcport", "udp.length"],
    );
    let theirs: Vec<(u64, u16, usize)> = rows
        .into_iter()
        .filter(|f| !f[1].is_empty())
        .map(|f| {
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse::<usize>().unwrap() - 8,
            )
        })
        .collect();
    assert_eq!(theirs, [(3, 5003, 19), (5, 5100, 2400), (6, 5101, 1500)]);
    let _ = std::fs::remove_file(path);
}
