//! Header and TLV checks of `Message::parse`, attribute value checks, and the RFC 8489 §14.5
//! rule that attributes after MESSAGE-INTEGRITY are ignored.

use stun_turn_codec::attribute::AttributeType;
use stun_turn_codec::{
    is_stun, Class, IntegrityKey, Message, MessageBuilder, Method, StunError, TransactionId,
};

fn header(len: u16) -> Vec<u8> {
    let mut v = vec![0x00, 0x01];
    v.extend(len.to_be_bytes());
    v.extend([0x21, 0x12, 0xa4, 0x42]);
    v.extend([7u8; 12]);
    v
}

fn with_attrs(attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (t, v) in attrs {
        body.extend(t.to_be_bytes());
        body.extend((v.len() as u16).to_be_bytes());
        body.extend(*v);
        body.resize(body.len() + (4 - v.len() % 4) % 4, 0);
    }
    let mut m = header(body.len() as u16);
    m.extend(body);
    m
}

#[test]
fn header_checks_name_the_problem() {
    assert_eq!(
        Message::parse(&header(0)[..19]),
        Err(StunError::Truncated {
            offset: 0,
            expected: 20,
            actual: 19
        })
    );
    let mut m = header(0);
    m[0] = 0x40;
    assert_eq!(
        Message::parse(&m),
        Err(StunError::LeadingBits { byte: 0x40 })
    );
    assert!(!is_stun(&m));
    let mut m = header(0);
    m[7] = 0x43;
    assert_eq!(
        Message::parse(&m),
        Err(StunError::MagicCookie { found: 0x2112_a443 })
    );
    assert!(!is_stun(&m));
    let mut m = header(2);
    m.extend([0, 0]);
    assert_eq!(
        Message::parse(&m),
        Err(StunError::UnalignedLength { length: 2 })
    );
    assert!(!is_stun(&m));
    let m = header(8);
    assert_eq!(
        Message::parse(&m),
        Err(StunError::Truncated {
            offset: 20,
            expected: 8,
            actual: 0
        })
    );
    assert!(!is_stun(&m));
    // Trailing bytes after the message are not part of it.
    let mut m = header(0);
    m.extend([1, 2, 3, 4]);
    let msg = Message::parse(&m).unwrap();
    assert_eq!(msg.len(), 20);
    assert!(is_stun(&m));
}

#[test]
fn attribute_overrun_and_padding_outside_message() {
    // USERNAME claims 9 bytes in a message with 4 bytes after the attribute header.
    let mut m = header(8);
    m.extend([0x00, 0x06, 0x00, 0x09]);
    m.extend(b"abcd");
    assert_eq!(
        Message::parse(&m),
        Err(StunError::AttributeOverrun {
            offset: 20,
            attr_type: AttributeType::USERNAME,
            length: 9,
            available: 4
        })
    );
    // The same attribute with length 13 overruns by its padding.
    let mut m = header(16);
    m.extend([0x00, 0x06, 0x00, 0x0d]);
    m.extend([b'a'; 12]);
    assert_eq!(
        Message::parse(&m),
        Err(StunError::AttributeOverrun {
            offset: 20,
            attr_type: AttributeType::USERNAME,
            length: 13,
            available: 12
        })
    );
}

#[test]
fn fingerprint_must_be_last_and_fixed_lengths_checked() {
    let m = with_attrs(&[(0x8028, &[0, 0, 0, 0]), (0x8022, b"late")]);
    assert_eq!(
        Message::parse(&m),
        Err(StunError::FingerprintNotLast { offset: 20 })
    );
    let m = with_attrs(&[(0x0008, &[0; 16])]);
    assert_eq!(
        Message::parse(&m),
        Err(StunError::AttributeLength {
            attr_type: AttributeType::MESSAGE_INTEGRITY,
            offset: 20,
            length: 16
        })
    );
    let m = with_attrs(&[(0x001c, &[0; 20][..18])]);
    assert!(matches!(
        Message::parse(&m),
        Err(StunError::AttributeLength { length: 18, .. })
    ));
    let m = with_attrs(&[(0x8028, &[0; 8])]);
    assert!(matches!(
        Message::parse(&m),
        Err(StunError::AttributeLength { length: 8, .. })
    ));
}

#[test]
fn typed_values_are_checked_with_offsets() {
    let m = with_attrs(&[(0x8022, b"ok"), (0x0020, &[0, 3, 0, 0, 0, 0, 0, 0])]);
    let msg = Message::parse(&m).unwrap();
    assert_eq!(
        msg.xor_mapped_address(),
        Err(StunError::InvalidAttribute {
            attr_type: AttributeType::XOR_MAPPED_ADDRESS,
            offset: 28,
            reason: "unknown address family"
        })
    );
    let m = with_attrs(&[(0x0020, &[0, 1, 0, 0, 0, 0])]);
    assert!(matches!(
        Message::parse(&m).unwrap().xor_mapped_address(),
        Err(StunError::AttributeLength { length: 6, .. })
    ));
    let m = with_attrs(&[(0x0009, &[0, 0, 2, 1])]);
    assert_eq!(
        Message::parse(&m).unwrap().error_code(),
        Err(StunError::InvalidAttribute {
            attr_type: AttributeType::ERROR_CODE,
            offset: 20,
            reason: "error class outside 3..=6"
        })
    );
    let m = with_attrs(&[(0x0006, &[0xff, 0xfe])]);
    assert!(matches!(
        Message::parse(&m).unwrap().username(),
        Err(StunError::InvalidAttribute {
            reason: "not UTF-8",
            ..
        })
    ));
    let long = vec![b'a'; 509];
    let m = with_attrs(&[(0x0006, &long)]);
    assert!(Message::parse(&m).unwrap().username().is_err());
    let m = with_attrs(&[(0x0024, &[0, 0, 1])]);
    assert!(matches!(
        Message::parse(&m).unwrap().priority(),
        Err(StunError::AttributeLength { length: 3, .. })
    ));
    let m = with_attrs(&[(0x0025, &[0])]);
    // USE-CANDIDATE with a value is malformed for the typed decoder, but present.
    let msg = Message::parse(&m).unwrap();
    assert!(msg.get_typed(AttributeType::USE_CANDIDATE).is_err());
}

#[test]
fn attributes_after_message_integrity_are_ignored() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut v = Vec::new();
    MessageBuilder::new(
        &mut v,
        Class::Request,
        Method::BINDING,
        TransactionId([3; 12]),
    )
    .priority(1)
    .message_integrity(&key)
    .finish()
    .unwrap();
    // Append a PRIORITY and a USERNAME after MESSAGE-INTEGRITY by hand.
    let extra = [
        0x00, 0x24, 0x00, 0x04, 0, 0, 0, 2, 0x00, 0x06, 0x00, 0x04, b'e', b'v', b'i', b'l',
    ];
    v.extend(extra);
    let len = (v.len() - 20) as u16;
    v[2..4].copy_from_slice(&len.to_be_bytes());
    let msg = Message::parse(&v).unwrap();
    assert_eq!(msg.priority().unwrap(), Some(1));
    assert_eq!(msg.username().unwrap(), None);
    assert_eq!(msg.attributes().count(), 4);
    // Integrity still verifies: it covers the message only up to MESSAGE-INTEGRITY.
    msg.verify_integrity(&key).unwrap();
}

#[test]
fn unknown_comprehension_required_lists_only_unknown_low_types() {
    let m = with_attrs(&[
        (0x0006, b"u:v"),
        (0x7000, b"x"),
        (0xc057, &[0, 1, 0, 50]),
        (0x0042, b""),
    ]);
    let msg = Message::parse(&m).unwrap();
    let unknown: Vec<_> = msg.unknown_comprehension_required().collect();
    assert_eq!(unknown, [AttributeType(0x7000), AttributeType(0x0042)]);
}

#[test]
fn builder_answers_420_with_unknown_attributes() {
    use stun_turn_codec::attribute::Attribute;
    let m = with_attrs(&[(0x7000, b"x"), (0x0042, b"")]);
    let req = Message::parse(&m).unwrap();
    let types: Vec<u8> = req
        .unknown_comprehension_required()
        .flat_map(|t| t.0.to_be_bytes())
        .collect();
    let mut out = Vec::new();
    let raw = stun_turn_codec::RawAttribute {
        attr_type: AttributeType::UNKNOWN_ATTRIBUTES,
        value: &types,
        offset: 0,
    };
    let ua = Attribute::decode(raw, &req.transaction_id()).unwrap();
    MessageBuilder::new(
        &mut out,
        Class::ErrorResponse,
        Method::BINDING,
        req.transaction_id(),
    )
    .error_code(420, "Unknown Attribute")
    .attribute(&ua)
    .finish()
    .unwrap();
    let resp = Message::parse(&out).unwrap();
    assert_eq!(
        resp.error_code()
            .unwrap()
            .map(|e| (e.code, e.class(), e.number())),
        Some((420, 4, 20))
    );
    let listed: Vec<_> = resp.unknown_attributes().unwrap().unwrap().iter().collect();
    assert_eq!(listed, [AttributeType(0x7000), AttributeType(0x0042)]);
}
