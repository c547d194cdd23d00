//! Agreement with Wireshark: every capture of `corpus/pcap/` is read by `rtc-inspect`'s
//! library and each frame's decoded fields are compared with what tshark 4.0 decoded
//! (`corpus/oracle/NAME.packets.jsonl`), and each RTP stream's statistics with
//! `tshark -q -z rtp,streams` (`corpus/oracle/NAME.rtp-streams.txt`). Any difference fails.
//!
//! Where the two are allowed to differ, because tshark is wrong or blind, the rule is
//! checked instead of skipped:
//!
//! * tshark 4.0 does not know DTLS 1.3 (RFC 9147): it shows the encrypted records of the
//!   Chromium call as `data`. Their first byte is `001CSLEE` (RFC 9147 §4, unified header),
//!   which RFC 7983 §7 puts in the DTLS range 20–63; we decode them as DTLS ciphertext
//!   records, and the test asserts exactly that.
//! * SRTCP (RFC 3711 §3.4) encrypts everything after the first 8 bytes; tshark decodes the
//!   ciphertext as if it were plain. Only the packet type and sender SSRC of the first
//!   packet are compared there.
//! * Relayed peer traffic in the TURN capture is random bytes that tshark shows as `data`:
//!   we must report it as `unknown` too.
//! * coturn's test client binds TURN channel 0x7356, from RFC 5766's range 0x4000–0x7FFF.
//!   RFC 8656 §12 narrowed channels to 0x4000–0x4FFF so that RFC 7983 (as updated by
//!   RFC 9443) can give first bytes 80–127 to QUIC. We follow the RFCs by default and
//!   read 0x5000–0x7FFF as ChannelData only once a ChannelBind for that number was seen,
//!   which is how these frames agree with tshark's `stun.channel`.
//! * tshark needs "Decode As" rules to see RTP/RTCP at all (`oracle/tshark-args.txt`); we
//!   need none, so a frame tshark decodes must be decoded identically by us, without hints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use webrtc_inspect::rtc::decode::{self, Session};
use webrtc_inspect::rtc::records;
use webrtc_inspect::rtc::streams::{CodecMap, StreamSummary, Streams};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus"))
}

/// Our decoding of every frame: frame number → (src, dst, JSON).
fn ours(capture: &Path, passwords: &[&str]) -> BTreeMap<u64, Vec<(String, String, Value)>> {
    let mut keys = Session::new();
    for p in passwords {
        keys.add_password(p).unwrap();
    }
    let mut out: BTreeMap<u64, Vec<(String, String, Value)>> = BTreeMap::new();
    let mut warnings = Vec::new();
    records::for_each(
        capture,
        &mut |r| {
            let d = decode::decode(r.payload, r.transport, &mut keys);
            out.entry(r.frame).or_default().push((
                r.src.to_string(),
                r.dst.to_string(),
                Value::Object(d.json),
            ));
        },
        &mut |w| warnings.push(w),
    )
    .unwrap();
    assert!(warnings.is_empty(), "{}: {warnings:?}", capture.display());
    out
}

/// A tshark field as a list of strings.
fn list(o: &Value, k: &str) -> Vec<String> {
    o.get(k)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn one(o: &Value, k: &str) -> Option<String> {
    list(o, k).into_iter().next()
}

fn num(s: &str) -> u64 {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s.parse().unwrap(),
    }
}

/// Compares one frame; pushes every difference to `diffs`.
fn compare(name: &str, o: &Value, our: &[(String, String, Value)], diffs: &mut Vec<String>) {
    let frame = o["frame.number"].as_str().unwrap();
    let mut diff = |what: &str, theirs: String, ours: String| {
        if theirs != ours {
            diffs.push(format!(
                "{name} frame {frame}: {what}: tshark {theirs}, ours {ours}"
            ));
        }
    };
    let [(src, dst, j)] = our else {
        diffs.push(format!("{name} frame {frame}: {} records", our.len()));
        return;
    };
    let s = |k: &str| o[k].as_str().unwrap_or_default().to_owned();
    diff(
        "src",
        format!("{}:{}", s("ip.src"), s("udp.srcport")),
        src.clone(),
    );
    diff(
        "dst",
        format!("{}:{}", s("ip.dst"), s("udp.dstport")),
        dst.clone(),
    );
    let protocols = s("frame.protocols");
    let kind = j["kind"].as_str().unwrap_or_default().to_owned();
    let srtcp = name.starts_with("chromium");
    if let Some(ch) = one(o, "stun.channel") {
        diff("kind", "channel-data".into(), kind);
        diff("channel", num(&ch).to_string(), j["channel"].to_string());
        diff(
            "length",
            one(o, "stun.length").unwrap_or_default(),
            j["length"].to_string(),
        );
    } else if protocols.ends_with(":stun") {
        diff("kind", "stun".into(), kind);
        let ty = one(o, "stun.type")
            .map(|t| num(&t).to_string())
            .unwrap_or_default();
        diff("type", ty, j["message_type"].to_string());
        diff(
            "id",
            one(o, "stun.id").unwrap_or_default(),
            j["transaction_id"].as_str().unwrap_or_default().into(),
        );
        let attrs = j["attributes"].as_array().cloned().unwrap_or_default();
        let types: Vec<u64> = list(o, "stun.att.type").iter().map(|t| num(t)).collect();
        let our_types: Vec<u64> = attrs.iter().map(|a| a["type"].as_u64().unwrap()).collect();
        diff(
            "attribute types",
            format!("{types:?}"),
            format!("{our_types:?}"),
        );
        let value_of = |t: u64| -> Vec<Value> {
            attrs
                .iter()
                .filter(|a| a["type"] == t)
                .map(|a| a["value"].clone())
                .collect()
        };
        let strings = |t: u64| -> Vec<String> {
            value_of(t)
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect()
        };
        for (field, t) in [
            ("stun.att.username", 0x0006),
            ("stun.att.realm", 0x0014),
            ("stun.att.nonce", 0x0015),
            ("stun.att.software", 0x8022),
        ] {
            diff(
                field,
                format!("{:?}", list(o, field)),
                format!("{:?}", strings(t)),
            );
        }
        let numbers =
            |t: u64| -> Vec<String> { value_of(t).iter().map(Value::to_string).collect() };
        diff(
            "stun.att.priority",
            format!("{:?}", list(o, "stun.att.priority")),
            format!("{:?}", numbers(0x0024)),
        );
        diff(
            "stun.att.lifetime",
            format!("{:?}", list(o, "stun.att.lifetime")),
            format!("{:?}", numbers(0x000d)),
        );
        let channels: Vec<String> = list(o, "stun.att.channelnum")
            .iter()
            .map(|c| num(c).to_string())
            .collect();
        diff(
            "stun.att.channelnum",
            format!("{channels:?}"),
            format!("{:?}", numbers(0x000c)),
        );
        let hmac: Vec<String> = value_of(0x0008)
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        diff(
            "stun.att.hmac",
            format!("{:?}", list(o, "stun.att.hmac")),
            format!("{hmac:?}"),
        );
        // Every address attribute, in order: tshark lists family/ip/port per attribute.
        let addresses: Vec<String> = attrs
            .iter()
            .filter(|a| {
                matches!(
                    a["type"].as_u64(),
                    Some(0x0001 | 0x0020 | 0x0012 | 0x0016 | 0x802b | 0x802c | 0x8020)
                )
            })
            .map(|a| a["value"].as_str().unwrap_or_default().to_owned())
            .collect();
        let theirs: Vec<String> = list(o, "stun.att.ipv4")
            .iter()
            .zip(list(o, "stun.att.port"))
            .map(|(ip, port)| format!("{ip}:{port}"))
            .collect();
        diff("addresses", format!("{theirs:?}"), format!("{addresses:?}"));
        if let Some(code) = one(o, "stun.att.error") {
            let class = num(&one(o, "stun.att.error.class").unwrap());
            let reason = one(o, "stun.att.error.reason").unwrap_or_default();
            let ours = value_of(0x0009).first().cloned().unwrap_or(Value::Null);
            diff(
                "error code",
                (class * 100 + num(&code)).to_string(),
                ours["code"].to_string(),
            );
            diff(
                "error reason",
                reason,
                ours["reason"].as_str().unwrap_or_default().into(),
            );
        }
        let fp = match one(o, "stun.att.crc32.status").as_deref() {
            Some("1") => "ok",
            Some(_) => "failed",
            None => "absent",
        };
        diff(
            "fingerprint",
            fp.into(),
            j["fingerprint"].as_str().unwrap_or_default().into(),
        );
    } else if protocols.ends_with(":rtp") {
        diff("kind", "rtp".into(), kind);
        for (field, ours) in [
            ("rtp.seq", j["seq"].to_string()),
            ("rtp.timestamp", j["timestamp"].to_string()),
            ("rtp.p_type", j["payload_type"].to_string()),
            ("rtp.marker", u8::from(j["marker"] == true).to_string()),
            (
                "rtp.cc",
                j["csrcs"].as_array().map_or(0, Vec::len).to_string(),
            ),
            (
                "rtp.ssrc",
                format!("{:#010x}", j["ssrc"].as_u64().unwrap_or(0)),
            ),
        ] {
            diff(field, one(o, field).unwrap_or_default(), ours);
        }
        if let Some(p) = one(o, "rtp.ext.profile") {
            diff(
                "rtp.ext.profile",
                num(&p).to_string(),
                j["extension_profile"].to_string(),
            );
        }
        let ext = j["extensions"].as_array().cloned().unwrap_or_default();
        let ids: Vec<String> = ext.iter().map(|e| e["id"].to_string()).collect();
        let data: Vec<String> = ext
            .iter()
            .map(|e| e["data"].as_str().unwrap_or_default().to_owned())
            .collect();
        diff(
            "rtp.ext.rfc5285.id",
            format!("{:?}", list(o, "rtp.ext.rfc5285.id")),
            format!("{ids:?}"),
        );
        diff(
            "rtp.ext.rfc5285.data",
            format!("{:?}", list(o, "rtp.ext.rfc5285.data")),
            format!("{data:?}"),
        );
        if let Some(c) = one(o, "rtp.padding.count") {
            diff("rtp.padding.count", c, j["padding_len"].to_string());
        }
    } else if protocols.ends_with(":rtcp") {
        diff("kind", "rtcp".into(), kind);
        let packets = j["packets"].as_array().cloned().unwrap_or_default();
        let first = packets.first().cloned().unwrap_or(Value::Null);
        let pt = match first["type"].as_str() {
            Some("sr") => "200".to_owned(),
            Some("rr") => "201".to_owned(),
            Some("twcc" | "nack" | "tmmbr" | "tmmbn" | "ccfb") => "205".to_owned(),
            Some("pli" | "fir" | "remb" | "sli" | "rpsi" | "afb") => "206".to_owned(),
            Some(other) => other.to_owned(),
            None => first["type"].to_string(),
        };
        if srtcp {
            // Encrypted bodies: the clear header must be all we claim to know.
            diff(
                "header only",
                "true".into(),
                first["header_only"].to_string(),
            );
        }
        diff("rtcp.pt", one(o, "rtcp.pt").unwrap_or_default(), pt);
        let sender = first["ssrc"]
            .as_u64()
            .or_else(|| first["sender_ssrc"].as_u64())
            .unwrap_or(0);
        diff(
            "rtcp.senderssrc",
            one(o, "rtcp.senderssrc").unwrap_or_default(),
            format!("{sender:#010x}"),
        );
        if !srtcp {
            let pts: Vec<String> = list(o, "rtcp.pt");
            diff(
                "rtcp packets",
                pts.len().to_string(),
                packets.len().to_string(),
            );
            let ntp = first["ntp_timestamp"].as_u64().unwrap_or(0);
            for (field, ours) in [
                ("rtcp.timestamp.ntp.msw", (ntp >> 32).to_string()),
                ("rtcp.timestamp.ntp.lsw", (ntp & 0xffff_ffff).to_string()),
                ("rtcp.timestamp.rtp", first["rtp_timestamp"].to_string()),
                ("rtcp.sender.packetcount", first["packet_count"].to_string()),
                ("rtcp.sender.octetcount", first["octet_count"].to_string()),
            ] {
                diff(field, one(o, field).unwrap_or_default(), ours);
            }
        }
    } else if protocols.ends_with(":dtls") {
        diff("kind", "dtls".into(), kind);
        let records = j["records"].as_array().cloned().unwrap_or_default();
        let field = |k: &str| -> Vec<String> {
            records
                .iter()
                .map(|r| match &r[k] {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect()
        };
        for (theirs, ours) in [
            ("dtls.record.content_type", "content_type"),
            ("dtls.record.version", "version"),
            ("dtls.record.epoch", "epoch"),
            ("dtls.record.sequence_number", "sequence_number"),
            ("dtls.record.length", "length"),
        ] {
            diff(
                theirs,
                format!("{:?}", list(o, theirs)),
                format!("{:?}", field(ours)),
            );
        }
        let hs: Vec<String> = records
            .iter()
            .filter_map(|r| r.get("handshake_type"))
            .map(Value::to_string)
            .collect();
        diff(
            "dtls.handshake.type",
            format!("{:?}", list(o, "dtls.handshake.type")),
            format!("{hs:?}"),
        );
    } else if protocols.ends_with(":data") {
        if name.starts_with("chromium") {
            // DTLS 1.3 records tshark 4.0 cannot read: unified headers, RFC 9147 §4.
            diff("kind (DTLS 1.3, RFC 9147 §4)", "dtls".into(), kind);
            let all_unified = j["records"].as_array().is_some_and(|r| {
                !r.is_empty() && r.iter().all(|r| r["content_type"] == "ciphertext")
            });
            diff("unified headers", "true".into(), all_unified.to_string());
        } else {
            diff("kind", "unknown".into(), kind);
        }
    } else {
        diffs.push(format!(
            "{name} frame {frame}: protocols {protocols} not compared"
        ));
    }
}

fn passwords(name: &str) -> &'static [&'static str] {
    if name.starts_with("coturn-turn") {
        &["test"]
    } else {
        &[]
    }
}

#[test]
fn every_frame_agrees_with_tshark() {
    let dir = corpus();
    let mut compared = 0;
    let mut diffs = Vec::new();
    let mut captures: Vec<PathBuf> = std::fs::read_dir(dir.join("pcap"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    captures.sort();
    assert_eq!(captures.len(), 5);
    for path in captures {
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let ours = ours(&path, passwords(&name));
        let oracle =
            std::fs::read_to_string(dir.join(format!("oracle/{name}.packets.jsonl"))).unwrap();
        let lines: Vec<Value> = oracle
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), ours.len(), "{name}: frames with a UDP payload");
        for o in &lines {
            let n: u64 = o["frame.number"].as_str().unwrap().parse().unwrap();
            compare(
                &name,
                o,
                ours.get(&n).map_or(&[][..], Vec::as_slice),
                &mut diffs,
            );
            compared += 1;
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_eq!(compared, 377 + 2 + 76 + 232 + 411);
}

/// One row of `tshark -q -z rtp,streams`.
#[derive(Debug)]
struct Row {
    src: String,
    dst: String,
    ssrc: u32,
    packets: u64,
    lost: i64,
    min_delta: f64,
    mean_delta: f64,
    max_delta: f64,
    mean_jitter: f64,
    max_jitter: f64,
}

fn rows(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let mut t: Vec<&str> = line.split_whitespace().collect();
        let Some(i) = t.iter().position(|w| w.starts_with("0x")) else {
            continue;
        };
        if t.last() == Some(&"X") {
            t.pop();
        }
        // start end src sport dst dport ssrc payload... pkts lost (pct) min mean max minj meanj maxj
        let n = t.len();
        out.push(Row {
            src: format!("{}:{}", t[2], t[3]),
            dst: format!("{}:{}", t[4], t[5]),
            ssrc: u32::from_str_radix(&t[i][2..], 16).unwrap(),
            packets: t[n - 9].parse().unwrap(),
            lost: t[n - 8].parse().unwrap(),
            min_delta: t[n - 6].parse().unwrap(),
            mean_delta: t[n - 5].parse().unwrap(),
            max_delta: t[n - 4].parse().unwrap(),
            mean_jitter: t[n - 2].parse().unwrap(),
            max_jitter: t[n - 1].parse().unwrap(),
        });
    }
    out
}

fn streams_of(path: &Path) -> Vec<StreamSummary> {
    // tshark knows only RFC 3551's static payload types: no SDP here either.
    let mut s = Streams::new(CodecMap::new(), None);
    records::for_each(path, &mut |r| s.add(r), &mut |w| panic!("{w:?}")).unwrap();
    s.finish()
}

/// Within tshark's printed precision (3 decimals).
fn close(ours: f64, printed: f64) -> bool {
    (ours - printed).abs() <= 0.0005 + 1e-9
}

#[test]
fn every_stream_agrees_with_tshark_rtp_streams() {
    let dir = corpus();
    let mut checked = 0;
    for (capture, oracle) in [
        (
            "pcap/chromium-call.pcapng",
            "oracle/chromium-call.rtp-streams.txt",
        ),
        (
            "pcap/ffmpeg-h264-pcma.pcapng",
            "oracle/ffmpeg-h264-pcma.rtp-streams.txt",
        ),
        (
            "pcap/ffmpeg-vp8-opus.pcap",
            "oracle/ffmpeg-vp8-opus.rtp-streams.txt",
        ),
        (
            "impaired/impaired-rtp.pcap",
            "impaired/impaired-rtp.rtp-streams.txt",
        ),
    ] {
        let ours = streams_of(&dir.join(capture));
        let theirs = rows(&dir.join(oracle));
        assert_eq!(ours.len(), theirs.len(), "{capture}: streams");
        for row in &theirs {
            let s = ours
                .iter()
                .find(|s| s.ssrc == row.ssrc && s.src == row.src && s.dst == row.dst)
                .unwrap_or_else(|| panic!("{capture}: no stream {row:?}"));
            let ctx = format!("{capture}: ours {s:?}\ntshark {row:?}");
            assert_eq!(s.packets, row.packets, "{ctx}");
            assert_eq!(s.lost, row.lost, "{ctx}");
            assert!(close(s.min_delta_ms, row.min_delta), "min delta {ctx}");
            assert!(close(s.mean_delta_ms, row.mean_delta), "mean delta {ctx}");
            assert!(close(s.max_delta_ms, row.max_delta), "max delta {ctx}");
            assert!(
                close(s.mean_jitter_ms, row.mean_jitter),
                "mean jitter {ctx}"
            );
            assert!(close(s.max_jitter_ms, row.max_jitter), "max jitter {ctx}");
            checked += 1;
        }
    }
    assert_eq!(checked, 3 + 2 + 2 + 3);
}

/// Damaged captures never panic, and every record before the damage is still delivered:
/// random bytes of the corpus pcap are overwritten (deterministic generator) and the file
/// read and decoded.
#[test]
fn damaged_captures_deliver_every_record_before_the_damage() {
    let original = std::fs::read(corpus().join("pcap/ffmpeg-vp8-opus.pcap")).unwrap();
    // Record boundaries of the intact file (24-byte header, 16-byte record headers).
    let mut starts = Vec::new();
    let mut off = 24;
    while off + 16 <= original.len() {
        starts.push(off);
        let incl = u32::from_le_bytes(original[off + 8..off + 12].try_into().unwrap()) as usize;
        off += 16 + incl;
    }
    assert_eq!(starts.len(), 411);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let dir = std::env::temp_dir().join(format!("rtc-inspect-damage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("damaged.pcap");
    for _ in 0..150 {
        let mut bytes = original.clone();
        let at = 24 + (next() as usize) % (bytes.len() - 24);
        for b in &mut bytes[at..(at + 4).min(original.len())] {
            *b = next() as u8;
        }
        std::fs::write(&path, &bytes).unwrap();
        let mut frames = 0u64;
        let mut keys = Session::new();
        let _ = records::for_each(
            &path,
            &mut |r| {
                frames = frames.max(r.frame);
                let d = decode::decode(r.payload, r.transport, &mut keys);
                assert!(d.json.contains_key("kind"));
            },
            &mut |_| {},
        );
        let intact_before = starts.iter().filter(|&&s| s + 16 <= at).count() as u64;
        // Records wholly before the damaged bytes all carry a UDP datagram.
        assert!(
            frames + 1 >= intact_before,
            "damage at {at}: read {frames} of {intact_before} intact records"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
