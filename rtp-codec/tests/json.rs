//! The JSON forms (`serde` feature) that `rtc-inspect decode --json` prints.
#![cfg(feature = "serde")]

use rtp_codec::rtcp::{Compound, Nack, RtcpPacket, Sdes, SenderReport, Twcc};
use rtp_codec::{ExtensionElement, ExtensionForm, RtpPacket, RtpPacketBuilder};
use serde_json::{json, Value};

#[test]
fn rtp_packet_json_has_the_header_and_decoded_elements() {
    let els = [
        ExtensionElement {
            id: 1,
            data: &[0x30],
        },
        ExtensionElement {
            id: 3,
            data: &[0x12, 0x34],
        },
    ];
    let mut buf = Vec::new();
    RtpPacketBuilder::new(111, 7, 960, 0x1234_5678)
        .with_marker(true)
        .with_extensions(ExtensionForm::Auto, &els)
        .with_payload(b"opus")
        .write_to(&mut buf)
        .unwrap();
    let v = serde_json::to_value(RtpPacket::parse(&buf).unwrap()).unwrap();
    assert_eq!(v["ssrc"], 0x1234_5678);
    assert_eq!(
        (v["seq"].clone(), v["timestamp"].clone()),
        (json!(7), json!(960))
    );
    assert_eq!(
        (v["payload_type"].clone(), v["marker"].clone()),
        (json!(111), json!(true))
    );
    assert_eq!(v["extension_profile"], 0xbede);
    assert_eq!(
        v["extensions"],
        json!([{"id": 1, "data": "30"}, {"id": 3, "data": "1234"}])
    );
    assert_eq!(v["payload_len"], 4);
}

#[test]
fn rtcp_packets_json_carry_their_type_name_or_number() {
    let twcc = Twcc::from_arrivals(1, 2, 10, 0, 0, &[Some(250), None]).unwrap();
    let packets = [
        RtcpPacket::Sr(SenderReport {
            ssrc: 9,
            ntp_timestamp: 1 << 32,
            ..Default::default()
        }),
        RtcpPacket::Sdes(Sdes::cname(9, b"me@host")),
        RtcpPacket::Nack(Nack::from_lost(9, 2, &[5, 7])),
        RtcpPacket::Twcc(twcc),
    ];
    let mut buf = Vec::new();
    rtp_codec::rtcp::write_compound(&packets, &mut buf).unwrap();
    buf.extend_from_slice(&[0x80, 210, 0, 1, 0xde, 0xad, 0xbe, 0xef]);
    let parsed: Vec<RtcpPacket<'_>> = Compound::new(&buf).collect::<Result<_, _>>().unwrap();
    let v: Vec<Value> = parsed
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    assert_eq!(
        v.iter().map(|p| p["type"].clone()).collect::<Vec<_>>(),
        [
            json!("sr"),
            json!("sdes"),
            json!("nack"),
            json!("twcc"),
            json!(210)
        ]
    );
    assert_eq!(v[0]["ssrc"], 9);
    assert_eq!(
        v[1]["chunks"][0]["items"][0],
        json!({"kind": 1, "value": "me@host"})
    );
    assert_eq!(v[2]["pairs"], json!([{"pid": 5, "blp": 2}]));
    assert_eq!(v[3]["packets"][0]["arrival_us"], 250);
    assert_eq!(v[3]["packets"][1]["status"], "not_received");
    assert_eq!(v[4]["body"], "deadbeef");
}
