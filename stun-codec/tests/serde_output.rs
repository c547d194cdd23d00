//! JSON output of decoded messages (feature `serde`): attribute names as the RFCs spell them.

use serde_json::{json, Value};
use stun_turn_codec::{ChannelData, Message, Transport};

fn vector(name: &str) -> Vec<u8> {
    let path = format!("{}/../corpus/stun/{name}.hex", env!("CARGO_MANIFEST_DIR"));
    hex::decode(std::fs::read_to_string(path).unwrap().trim()).unwrap()
}

#[test]
fn ipv4_response_as_json() {
    let bytes = vector("SAMPLE_IPV4_RESPONSE");
    let msg = Message::parse(&bytes).unwrap();
    let v: Value = serde_json::to_value(msg).unwrap();
    assert_eq!(
        v,
        json!({
            "class": "success-response",
            "method": "Binding",
            "transaction_id": "b7e7a701bc34d686fa87dfae",
            "length": 60,
            "attributes": [
                {"name": "SOFTWARE", "type": 0x8022, "value": "test vector"},
                {"name": "XOR-MAPPED-ADDRESS", "type": 0x0020, "value": "192.0.2.1:32853"},
                {"name": "MESSAGE-INTEGRITY", "type": 0x0008, "value": "2b91f599fd9e90c38c7489f92af9ba53f06be7d7"},
                {"name": "FINGERPRINT", "type": 0x8028, "value": "0xc07d4c96"}
            ]
        })
    );
}

#[test]
fn ice_request_flags_and_numbers() {
    let bytes = vector("SAMPLE_REQUEST");
    let v: Value = serde_json::to_value(Message::parse(&bytes).unwrap()).unwrap();
    let attrs = v["attributes"].as_array().unwrap();
    assert_eq!(
        attrs[1],
        json!({"name": "PRIORITY", "type": 0x24, "value": 0x6e00_01ff_u32})
    );
    assert_eq!(
        attrs[2],
        json!({"name": "ICE-CONTROLLED", "type": 0x8029, "value": 0x932f_f9b1_5126_3b36_u64})
    );
    assert_eq!(
        attrs[3],
        json!({"name": "USERNAME", "type": 6, "value": "evtj:h6vY"})
    );
}

#[test]
fn invalid_and_unknown_attributes_stay_visible() {
    // An XOR-MAPPED-ADDRESS with family 3 and an unknown 0x7001 attribute.
    let mut m = vec![0x00, 0x01, 0x00, 0x10, 0x21, 0x12, 0xa4, 0x42];
    m.extend([9u8; 12]);
    m.extend([0x00, 0x20, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00]);
    m.extend([0x70, 0x01, 0x00, 0x02, 0xab, 0xcd, 0x00, 0x00]);
    let v: Value = serde_json::to_value(Message::parse(&m).unwrap()).unwrap();
    let attrs = v["attributes"].as_array().unwrap();
    assert_eq!(attrs[0]["name"], "XOR-MAPPED-ADDRESS");
    assert_eq!(attrs[0]["value"], "00030000");
    assert!(attrs[0]["error"]
        .as_str()
        .unwrap()
        .contains("unknown address family"));
    assert_eq!(
        attrs[1],
        json!({"name": "0x7001", "type": 0x7001, "value": "abcd"})
    );
}

#[test]
fn channel_data_as_json() {
    let cd = ChannelData::parse(&[0x40, 0x00, 0x00, 0x02, 0xde, 0xad], Transport::Udp).unwrap();
    assert_eq!(
        serde_json::to_value(cd).unwrap(),
        json!({"channel": 0x4000, "length": 2, "data": "dead"})
    );
}
