//! Every STUN message and ChannelData frame in the captures of `corpus/pcap/` decodes with
//! the fields tshark lists in `corpus/oracle/*.packets.jsonl`; integrity verifies with the
//! capture's credentials (coturn's long-term `test`/`test`, Chromium's ice-pwd from its SDPs).

use std::collections::HashMap;
use std::net::SocketAddr;

use serde_json::Value;
use stun_turn_codec::attribute::{Attribute, AttributeType};
use stun_turn_codec::{
    is_stun, ChannelData, Class, IntegrityKey, LongTermAlgorithm, Message, PasswordPrep, Transport,
};

fn corpus(rel: &str) -> String {
    format!("{}/../corpus/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// UDP payloads of every frame in order (frame number = index + 1), with ports.
struct Udp {
    src_port: u16,
    dst_port: u16,
    payload: Vec<u8>,
}

fn udp_frames(name: &str) -> Vec<Option<Udp>> {
    let path = corpus(&format!("pcap/{name}"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut raw: Vec<Vec<u8>> = Vec::new();
    if name.ends_with(".pcapng") {
        let mut r = pcap_file::pcapng::PcapNgReader::new(file).unwrap();
        while let Some(block) = r.next_block() {
            match block.unwrap() {
                pcap_file::pcapng::Block::EnhancedPacket(p) => raw.push(p.data.into_owned()),
                pcap_file::pcapng::Block::SimplePacket(p) => raw.push(p.data.into_owned()),
                _ => {}
            }
        }
    } else {
        let mut r = pcap_file::pcap::PcapReader::new(file).unwrap();
        while let Some(p) = r.next_packet() {
            raw.push(p.unwrap().data.into_owned());
        }
    }
    raw.iter()
        .map(|d| {
            let sliced = etherparse::SlicedPacket::from_ethernet(d).ok()?;
            match sliced.transport? {
                etherparse::TransportSlice::Udp(u) => Some(Udp {
                    src_port: u.source_port(),
                    dst_port: u.destination_port(),
                    payload: u.payload().to_vec(),
                }),
                _ => None,
            }
        })
        .collect()
}

fn oracle(name: &str) -> Vec<Value> {
    let path = corpus(&format!("oracle/{name}.packets.jsonl"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn strs(o: &Value, key: &str) -> Vec<String> {
    match o.get(key) {
        Some(Value::Array(a)) => a.iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Checks one STUN message against its oracle line; returns the number of fields compared.
fn check_stun(frame: u64, msg: &Message<'_>, o: &Value) -> usize {
    let ctx = format!("frame {frame}");
    let mut n = 0;
    let mut eq = |what: &str, ours: Vec<String>, theirs: Vec<String>| {
        assert_eq!(ours, theirs, "{ctx}: {what}");
        n += 1;
    };
    let t = u16::from_be_bytes([msg.as_bytes()[0], msg.as_bytes()[1]]);
    eq("stun.type", vec![format!("{t:#06x}")], strs(o, "stun.type"));
    eq(
        "stun.type.method",
        vec![format!("{:#06x}", msg.method().value())],
        strs(o, "stun.type.method"),
    );
    let class = match msg.class() {
        Class::Request => "0x0000",
        Class::Indication => "0x0001",
        Class::SuccessResponse => "0x0010",
        Class::ErrorResponse => "0x0011",
    };
    eq(
        "stun.type.class",
        vec![class.into()],
        strs(o, "stun.type.class"),
    );
    eq(
        "stun.length",
        vec![(msg.len() - 20).to_string()],
        strs(o, "stun.length"),
    );
    eq(
        "stun.id",
        vec![msg.transaction_id().to_string()],
        strs(o, "stun.id"),
    );
    let attrs: Vec<_> = msg.attributes().collect();
    eq(
        "stun.att.type",
        attrs
            .iter()
            .map(|a| format!("{:#06x}", a.attr_type.0))
            .collect(),
        strs(o, "stun.att.type"),
    );
    eq(
        "stun.att.length",
        attrs.iter().map(|a| a.value.len().to_string()).collect(),
        strs(o, "stun.att.length"),
    );

    // Decoded values, collected in wire order per tshark field.
    let tid = msg.transaction_id();
    let mut f: HashMap<&str, Vec<String>> = HashMap::new();
    let mut push = |k: &'static str, v: String| f.entry(k).or_default().push(v);
    for raw in &attrs {
        let a = Attribute::decode(*raw, &tid).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let mut addr = |sa: &SocketAddr, xor: bool| {
            push(
                "stun.att.family",
                if sa.is_ipv4() { "0x01" } else { "0x02" }.into(),
            );
            push("stun.att.ipv4", sa.ip().to_string());
            push("stun.att.port", sa.port().to_string());
            if xor {
                let mut v = [0u8; 4];
                v.copy_from_slice(&raw.value[4..8]);
                push("stun.att.ipv4-xord", stun_hex(&v));
                push("stun.att.port-xord", stun_hex(&raw.value[2..4]));
            }
        };
        match a {
            Attribute::XorMappedAddress(sa)
            | Attribute::XorPeerAddress(sa)
            | Attribute::XorRelayedAddress(sa) => addr(&sa, true),
            Attribute::MappedAddress(sa)
            | Attribute::ResponseOrigin(sa)
            | Attribute::OtherAddress(sa) => {
                addr(&sa, false);
            }
            Attribute::Username(s) => push("stun.att.username", s.into()),
            Attribute::Realm(s) => push("stun.att.realm", s.into()),
            Attribute::Nonce(s) => push("stun.att.nonce", s.into()),
            Attribute::Software(s) => push("stun.att.software", s.into()),
            Attribute::ErrorCode(e) => {
                push("stun.att.error.class", e.class().to_string());
                push("stun.att.error", e.number().to_string());
                push("stun.att.error.reason", e.reason.into());
            }
            Attribute::Lifetime(l) => push("stun.att.lifetime", l.to_string()),
            Attribute::RequestedTransport(p) => push("stun.att.transp", format!("{p:#04x}")),
            Attribute::RequestedAddressFamily(fam) => {
                push("stun.att.family", format!("{:#04x}", fam.to_u8()));
            }
            Attribute::Priority(p) => push("stun.att.priority", p.to_string()),
            Attribute::IceControlled(t) | Attribute::IceControlling(t) => {
                push("stun.att.tie-breaker", format!("{t:016x}"));
            }
            Attribute::MessageIntegrity(h) => push("stun.att.hmac", stun_hex(h)),
            Attribute::Fingerprint(c) => push("stun.att.crc32", format!("{c:#010x}")),
            Attribute::ChannelNumber(c) => push("stun.att.channelnum", format!("{c:#06x}")),
            _ => {}
        }
    }
    // Compare every tshark field we map, both ways: a field only one side has fails too.
    const MAPPED: [&str; 18] = [
        "stun.att.family",
        "stun.att.ipv4",
        "stun.att.port",
        "stun.att.ipv4-xord",
        "stun.att.port-xord",
        "stun.att.username",
        "stun.att.realm",
        "stun.att.nonce",
        "stun.att.software",
        "stun.att.error.class",
        "stun.att.error",
        "stun.att.error.reason",
        "stun.att.lifetime",
        "stun.att.transp",
        "stun.att.priority",
        "stun.att.tie-breaker",
        "stun.att.hmac",
        "stun.att.crc32",
    ];
    for k in f.keys() {
        assert!(
            MAPPED.contains(k) || *k == "stun.att.channelnum",
            "{k} not compared"
        );
    }
    for k in MAPPED.iter().chain(&["stun.att.channelnum"]) {
        let mut ours = f.get(k).cloned().unwrap_or_default();
        let mut theirs = strs(o, k);
        if *k == "stun.att.family" {
            // tshark emits REQUESTED-ADDRESS-FAMILY's family in its own order; compare as
            // multisets.
            ours.sort();
            theirs.sort();
        }
        assert_eq!(ours, theirs, "{ctx}: {k}");
        n += 1;
    }
    if strs(o, "stun.att.crc32.status") == ["1"] {
        msg.verify_fingerprint()
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        n += 1;
    }
    n
}

fn stun_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Walks a capture: every frame tshark calls STUN is STUN to us (and vice versa), every
/// ChannelData frame decodes with tshark's channel and length. Returns the STUN messages'
/// (frame, bytes).
fn walk(name: &str, oracle_name: &str) -> (Vec<(u64, Vec<u8>)>, usize) {
    let frames = udp_frames(name);
    let lines = oracle(oracle_name);
    assert_eq!(frames.len(), lines.len(), "{name}: frame count");
    let mut stun = Vec::new();
    let mut channel_data = 0;
    let mut fields = 0;
    for (i, (udp, o)) in frames.iter().zip(&lines).enumerate() {
        let frame = (i + 1) as u64;
        assert_eq!(o["frame.number"].as_str().unwrap(), frame.to_string());
        let Some(udp) = udp else { continue };
        assert_eq!(o["udp.srcport"].as_str().unwrap(), udp.src_port.to_string());
        assert_eq!(o["udp.dstport"].as_str().unwrap(), udp.dst_port.to_string());
        let protos = o["frame.protocols"].as_str().unwrap();
        let tshark_stun = protos.ends_with(":stun");
        let tshark_cd = o.get("stun.channel").is_some();
        assert_eq!(
            is_stun(&udp.payload),
            tshark_stun,
            "{name} frame {frame}: is_stun"
        );
        if tshark_stun {
            let msg = Message::parse(&udp.payload).unwrap_or_else(|e| panic!("frame {frame}: {e}"));
            assert_eq!(msg.len(), udp.payload.len());
            fields += check_stun(frame, &msg, o);
            stun.push((frame, udp.payload.clone()));
        } else if tshark_cd {
            let cd = ChannelData::parse_rfc5766(&udp.payload, Transport::Udp)
                .unwrap_or_else(|e| panic!("frame {frame}: {e}"));
            assert_eq!(format!("{:#06x}", cd.channel()), strs(o, "stun.channel")[0]);
            assert_eq!(cd.data().len().to_string(), strs(o, "stun.length")[0]);
            channel_data += 1;
        }
    }
    assert!(fields > 0);
    (stun, channel_data)
}

#[test]
fn coturn_stun_binding() {
    let (stun, cd) = walk("coturn-stun-binding.pcap", "coturn-stun-binding");
    assert_eq!((stun.len(), cd), (2, 0));
    let resp = Message::parse(&stun[1].1).unwrap();
    assert_eq!(resp.class(), Class::SuccessResponse);
    assert_eq!(
        resp.xor_mapped_address().unwrap(),
        Some("127.0.0.1:35753".parse().unwrap())
    );
    assert_eq!(
        resp.mapped_address().unwrap(),
        Some("127.0.0.1:35753".parse().unwrap())
    );
    assert_eq!(
        resp.response_origin().unwrap(),
        Some("127.0.0.1:3478".parse().unwrap())
    );
    assert_eq!(resp.software().unwrap(), Some("Coturn-4.6.1 'Gorst'"));
}

#[test]
fn coturn_turn_udp_channel() {
    let (stun, cd) = walk("coturn-turn-udp-channel.pcapng", "coturn-turn-udp-channel");
    assert_eq!(stun.len(), 44);
    assert_eq!(cd, 16);
    let key = IntegrityKey::long_term(
        "test",
        "example.org",
        "test",
        LongTermAlgorithm::Md5,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    let mut verified = 0;
    let mut unauthenticated_401 = 0;
    for (frame, bytes) in &stun {
        let msg = Message::parse(bytes).unwrap();
        if msg.message_integrity().is_some() {
            msg.verify_integrity(&key)
                .unwrap_or_else(|e| panic!("frame {frame}: {e}"));
            // A request's own USERNAME/REALM give the same key.
            if let Some(k) = msg
                .long_term_key("test", PasswordPrep::OpaqueString)
                .unwrap()
            {
                msg.verify_integrity(&k).unwrap();
            }
            verified += 1;
        } else {
            // Unauthenticated: the first Allocate (no USERNAME), Send/Data indications
            // (RFC 8656 §11: indications carry no integrity), and the 401 challenge.
            match msg.class() {
                Class::Request => assert_eq!(msg.username().unwrap(), None, "frame {frame}"),
                Class::Indication => {}
                Class::ErrorResponse => {
                    assert_eq!(
                        msg.error_code().unwrap().map(|e| e.code),
                        Some(401),
                        "frame {frame}"
                    );
                    assert!(msg.nonce().unwrap().is_some() && msg.realm().unwrap().is_some());
                    unauthenticated_401 += 1;
                }
                Class::SuccessResponse => {
                    panic!("frame {frame}: success response without integrity")
                }
            }
        }
    }
    assert!(verified >= 30, "{verified}");
    assert!(unauthenticated_401 >= 1);
    // The wrong password fails on every authenticated message.
    let wrong = IntegrityKey::long_term(
        "test",
        "example.org",
        "tesT",
        LongTermAlgorithm::Md5,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    for (_, bytes) in &stun {
        let msg = Message::parse(bytes).unwrap();
        if msg.message_integrity().is_some() {
            assert!(msg.verify_integrity(&wrong).is_err());
        }
    }
    // A ChannelBind request: CHANNEL-NUMBER and XOR-PEER-ADDRESS.
    let bind = stun
        .iter()
        .map(|(_, b)| Message::parse(b).unwrap())
        .find(|m| {
            m.method() == stun_turn_codec::Method::CHANNEL_BIND && m.class() == Class::Request
        })
        .unwrap();
    assert!(bind.channel_number().unwrap().is_some());
    assert!(bind.xor_peer_address().unwrap().is_some());
    assert_eq!(
        bind.get(AttributeType::CHANNEL_NUMBER)
            .map(|r| r.value.len()),
        Some(4)
    );
}

fn ice_pwd(sdp: &str) -> (String, String) {
    let text = std::fs::read_to_string(corpus(&format!("sdp/{sdp}"))).unwrap();
    let find = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{sdp}: no {key}"))
    };
    (find("a=ice-ufrag:"), find("a=ice-pwd:"))
}

#[test]
fn chromium_call_checks_verify_with_ice_pwd() {
    let (stun, cd) = walk("chromium-call.pcapng", "chromium-call");
    assert_eq!((stun.len(), cd), (20, 0));
    let (offer_ufrag, offer_pwd) = ice_pwd("chromium-call-offer.sdp");
    let (answer_ufrag, answer_pwd) = ice_pwd("chromium-call-answer.sdp");
    // (key of the side with this ufrag, key of the other side)
    let key_for = |ufrag: &str| {
        let offer = IntegrityKey::short_term(&offer_pwd).unwrap();
        let answer = IntegrityKey::short_term(&answer_pwd).unwrap();
        if ufrag == offer_ufrag {
            (offer, answer)
        } else {
            assert_eq!(ufrag, answer_ufrag);
            (answer, offer)
        }
    };
    // Requests: USERNAME is "receiver-ufrag:sender-ufrag", and the receiver's pwd keys the
    // HMAC (RFC 8445 §7.2.2); its response uses the same key.
    let mut request_receiver = HashMap::new();
    let mut checked = (0, 0);
    for (frame, bytes) in &stun {
        let msg = Message::parse(bytes).unwrap();
        let receiver = match msg.class() {
            Class::Request => {
                let user = msg.username().unwrap().expect("checks carry USERNAME");
                let receiver = user.split(':').next().unwrap().to_owned();
                request_receiver.insert(msg.transaction_id(), receiver.clone());
                checked.0 += 1;
                receiver
            }
            _ => {
                checked.1 += 1;
                request_receiver[&msg.transaction_id()].clone()
            }
        };
        let (key, other) = key_for(&receiver);
        msg.verify_integrity(&key)
            .unwrap_or_else(|e| panic!("frame {frame}: {e}"));
        msg.verify_fingerprint().unwrap();
        assert!(
            msg.verify_integrity(&other).is_err(),
            "frame {frame}: other pwd verified"
        );
    }
    assert_eq!(checked.0 + checked.1, 20);
    assert!(checked.0 > 0 && checked.1 > 0);
}
