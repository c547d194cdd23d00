//! RFC 5769 test vectors (and the RFC 8489 B.1 SHA-256/USERHASH variant): decode with every
//! field asserted, verify integrity and fingerprint, re-encode bit-exactly, flip every bit.

use std::net::SocketAddr;

use stun_turn_codec::attribute::{Attribute, AttributeType};
use stun_turn_codec::{
    userhash, Class, IntegrityKey, LongTermAlgorithm, LongTermKey, Message, MessageBuilder, Method,
    PasswordPrep, StunError, TransactionId,
};

fn vector(name: &str) -> Vec<u8> {
    let path = format!("{}/../corpus/stun/{name}.hex", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    hex::decode(text.trim()).expect("hex")
}

const PASSWORD: &str = "VOkJxbRl1RmTxUk/WvJxBt";
const TID: [u8; 12] = [
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
];
const TID_LT: [u8; 12] = [
    0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e,
];

/// Re-encodes every attribute of `msg` from its decoded value, reproducing the integrity and
/// fingerprint values as decoded, with `padding` as the padding byte.
fn reencode(msg: &Message<'_>, padding: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut b = MessageBuilder::with_type(&mut out, msg.message_type(), msg.transaction_id());
    b.padding_byte(padding);
    for a in msg.typed_attributes() {
        b.attribute(&a.expect("attribute decodes"));
    }
    let n = b.finish().expect("re-encode");
    assert_eq!(n, out.len());
    out
}

/// Every single-bit flip makes parsing or verification fail.
fn assert_bit_flips_fail(bytes: &[u8], check: impl Fn(&Message<'_>) -> Result<(), StunError>) {
    let mut copy = bytes.to_vec();
    for i in 0..bytes.len() * 8 {
        copy[i / 8] ^= 1 << (i % 8);
        let ok = Message::parse(&copy).and_then(|m| check(&m)).is_ok();
        assert!(!ok, "flipping bit {i} (byte {}) still verifies", i / 8);
        copy[i / 8] ^= 1 << (i % 8);
    }
    assert!(check(&Message::parse(&copy).unwrap()).is_ok());
}

#[test]
fn sample_request_2_1() {
    let bytes = vector("SAMPLE_REQUEST");
    assert_eq!(bytes.len(), 108);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.class(), Class::Request);
    assert_eq!(msg.method(), Method::BINDING);
    assert_eq!(msg.transaction_id(), TransactionId(TID));
    assert_eq!(msg.software().unwrap(), Some("STUN test client"));
    assert_eq!(msg.priority().unwrap(), Some(0x6e00_01ff));
    assert_eq!(msg.ice_controlled().unwrap(), Some(0x932f_f9b1_5126_3b36));
    assert_eq!(msg.ice_controlling().unwrap(), None);
    assert!(!msg.use_candidate());
    assert_eq!(msg.username().unwrap(), Some("evtj:h6vY"));
    assert_eq!(
        msg.message_integrity().map(hex::encode).as_deref(),
        Some("9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2")
    );
    assert_eq!(msg.fingerprint(), Some(0xe57a_3bcf));
    let types: Vec<u16> = msg.attributes().map(|a| a.attr_type.0).collect();
    assert_eq!(types, [0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028]);
    let offsets: Vec<usize> = msg.attributes().map(|a| a.offset).collect();
    assert_eq!(offsets, [20, 40, 48, 60, 76, 100]);

    let key = IntegrityKey::short_term(PASSWORD).unwrap();
    msg.verify_message_integrity(&key).unwrap();
    msg.verify_integrity(&key).unwrap();
    msg.verify_fingerprint().unwrap();
    let wrong = IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBu").unwrap();
    assert!(matches!(
        msg.verify_integrity(&wrong),
        Err(StunError::IntegrityMismatch { offset: 76, .. })
    ));

    // §2.1 pads USERNAME with spaces: the writer reproduces it when told so.
    assert_eq!(reencode(&msg, b' '), bytes);
    assert_ne!(reencode(&msg, 0), bytes);

    // And the builder computes the same MESSAGE-INTEGRITY and FINGERPRINT itself.
    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        TransactionId(TID),
    )
    .padding_byte(b' ')
    .software("STUN test client")
    .priority(0x6e00_01ff)
    .ice_controlled(0x932f_f9b1_5126_3b36)
    .username("evtj:h6vY")
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(out, bytes);

    assert_bit_flips_fail(&bytes, |m| {
        m.verify_integrity(&key)?;
        m.verify_fingerprint()
    });
}

fn check_response(name: &str, len: usize, addr: &str, mi: &str, fp: u32) {
    let bytes = vector(name);
    assert_eq!(bytes.len(), len);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.class(), Class::SuccessResponse);
    assert_eq!(msg.method(), Method::BINDING);
    assert_eq!(msg.transaction_id(), TransactionId(TID));
    assert_eq!(msg.software().unwrap(), Some("test vector"));
    let expected: SocketAddr = addr.parse().unwrap();
    assert_eq!(msg.xor_mapped_address().unwrap(), Some(expected));
    assert_eq!(
        msg.message_integrity().map(hex::encode).as_deref(),
        Some(mi)
    );
    assert_eq!(msg.fingerprint(), Some(fp));
    let types: Vec<u16> = msg.attributes().map(|a| a.attr_type.0).collect();
    assert_eq!(types, [0x8022, 0x0020, 0x0008, 0x8028]);
    let key = IntegrityKey::short_term(PASSWORD).unwrap();
    msg.verify_integrity(&key).unwrap();
    msg.verify_fingerprint().unwrap();
    assert_eq!(reencode(&msg, b' '), bytes);

    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::SuccessResponse,
        Method::BINDING,
        TransactionId(TID),
    )
    .padding_byte(b' ')
    .software("test vector")
    .xor_mapped_address(expected)
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(out, bytes);
    assert_bit_flips_fail(&bytes, |m| {
        m.verify_integrity(&key)?;
        m.verify_fingerprint()
    });
}

#[test]
fn sample_ipv4_response_2_2() {
    check_response(
        "SAMPLE_IPV4_RESPONSE",
        80,
        "192.0.2.1:32853",
        "2b91f599fd9e90c38c7489f92af9ba53f06be7d7",
        0xc07d_4c96,
    );
}

#[test]
fn sample_ipv6_response_2_3() {
    check_response(
        "SAMPLE_IPV6_RESPONSE",
        92,
        "[2001:db8:1234:5678:11:2233:4455:6677]:32853",
        "a382954e4be67bf11784c97c8292c275bfe3ed41",
        0xc8fb_0b4c,
    );
}

const USERNAME_LT: &str = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}";
const PASSWORD_LT_RAW: &str = "The\u{00AD}M\u{00AA}tr\u{2168}";

#[test]
fn sample_long_term_request_2_4() {
    let bytes = vector("SAMPLE_REQUEST_LONG_TERM_AUTH");
    assert_eq!(bytes.len(), 116);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.class(), Class::Request);
    assert_eq!(msg.method(), Method::BINDING);
    assert_eq!(msg.transaction_id(), TransactionId(TID_LT));
    assert_eq!(msg.username().unwrap(), Some(USERNAME_LT));
    assert_eq!(msg.username().unwrap().map(str::len), Some(18));
    assert_eq!(msg.nonce().unwrap(), Some("f//499k954d6OL34oL9FSTvy64sA"));
    assert_eq!(msg.realm().unwrap(), Some("example.org"));
    assert_eq!(
        msg.message_integrity().map(hex::encode).as_deref(),
        Some("f67024656dd64a3e02b8e0712e85c9a28ca89666")
    );
    assert_eq!(msg.fingerprint(), None);
    assert!(matches!(
        msg.verify_fingerprint(),
        Err(StunError::FingerprintMissing)
    ));

    // The key comes from the un-prepared password: SASLprep maps U+00AD to nothing and
    // NFKC turns U+00AA into "a" and U+2168 into "IX".
    let lt = LongTermKey::new(
        msg.username().unwrap().unwrap(),
        msg.realm().unwrap().unwrap(),
        PASSWORD_LT_RAW,
        LongTermAlgorithm::Md5,
        PasswordPrep::SaslPrep,
    )
    .unwrap();
    assert_eq!(
        hex::encode(lt.as_bytes()),
        "e8ca7ad59d5eb0518e312911d2dab2a9"
    );
    let key = IntegrityKey::new(lt.as_bytes());
    msg.verify_integrity(&key).unwrap();
    // Without preparation the raw password gives another key, and verification fails.
    let raw = IntegrityKey::long_term(
        USERNAME_LT,
        "example.org",
        PASSWORD_LT_RAW,
        LongTermAlgorithm::Md5,
        PasswordPrep::None,
    )
    .unwrap();
    assert!(msg.verify_integrity(&raw).is_err());
    // OpaqueString (RFC 8265) disallows U+00AD, so it rejects this password outright.
    assert!(matches!(
        LongTermKey::new(
            USERNAME_LT,
            "example.org",
            PASSWORD_LT_RAW,
            LongTermAlgorithm::Md5,
            PasswordPrep::OpaqueString
        ),
        Err(StunError::Preparation(_))
    ));

    assert_eq!(reencode(&msg, 0), bytes);
    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        TransactionId(TID_LT),
    )
    .username(USERNAME_LT)
    .nonce("f//499k954d6OL34oL9FSTvy64sA")
    .realm("example.org")
    .message_integrity(&key)
    .finish()
    .unwrap();
    assert_eq!(out, bytes);
    assert_bit_flips_fail(&bytes, |m| m.verify_integrity(&key));
}

#[test]
fn sha256_userhash_vector_b_1() {
    let bytes = vector("SAMPLE_REQUEST_LONG_TERM_AUTH_SHA256");
    assert_eq!(bytes.len(), 156);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(msg.class(), Class::Request);
    assert_eq!(msg.method(), Method::BINDING);
    assert_eq!(msg.transaction_id(), TransactionId(TID_LT));
    let expected_hash = userhash(USERNAME_LT, "example.org", PasswordPrep::OpaqueString).unwrap();
    assert_eq!(
        hex::encode(expected_hash),
        "4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704"
    );
    assert_eq!(msg.userhash().unwrap(), Some(&expected_hash));
    assert_eq!(msg.username().unwrap(), None);
    assert_eq!(
        msg.nonce().unwrap(),
        Some("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
    );
    assert_eq!(msg.realm().unwrap(), Some("example.org"));
    assert_eq!(msg.password_algorithm().unwrap(), None);
    assert_eq!(
        msg.message_integrity_sha256().map(hex::encode).as_deref(),
        Some("fd8c273860d2e18ebca4c89b6973befa7ee8ecc69e9642db326fab65a0b955ba")
    );
    assert_eq!(msg.message_integrity(), None);
    let types: Vec<AttributeType> = msg.attributes().map(|a| a.attr_type).collect();
    assert_eq!(
        types,
        [
            AttributeType::USERHASH,
            AttributeType::NONCE,
            AttributeType::REALM,
            AttributeType::MESSAGE_INTEGRITY_SHA256
        ]
    );

    // No PASSWORD-ALGORITHM: the MD5 long-term key, from the un-prepared password.
    let key = IntegrityKey::long_term(
        USERNAME_LT,
        "example.org",
        PASSWORD_LT_RAW,
        LongTermAlgorithm::Md5,
        PasswordPrep::SaslPrep,
    )
    .unwrap();
    msg.verify_message_integrity_sha256(&key).unwrap();
    msg.verify_integrity(&key).unwrap();
    assert!(matches!(
        msg.verify_message_integrity(&key),
        Err(StunError::IntegrityMissing("MESSAGE-INTEGRITY"))
    ));
    let sha_key = IntegrityKey::long_term(
        USERNAME_LT,
        "example.org",
        PASSWORD_LT_RAW,
        LongTermAlgorithm::Sha256,
        PasswordPrep::SaslPrep,
    )
    .unwrap();
    assert!(msg.verify_integrity(&sha_key).is_err());

    assert_eq!(reencode(&msg, 0), bytes);
    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        TransactionId(TID_LT),
    )
    .attribute(&Attribute::UserHash(&expected_hash))
    .nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
    .realm("example.org")
    .message_integrity_sha256(&key)
    .finish()
    .unwrap();
    assert_eq!(out, bytes);
    assert_bit_flips_fail(&bytes, |m| m.verify_integrity(&key));
}

/// The benchmark's reference connectivity check (corpus/stun/README.md).
#[test]
fn reference_ice_check() {
    let bytes = hex::decode("000100482112a442b7e7a701bc34d686fa87dfae00060009397542363a59785454000000002400046e0001ff802a0008932ff9b151263b360025000000080014e82c1ae068fc0a2e3f58671d7761f66494d017b980280004b913b24c").unwrap();
    let key = IntegrityKey::short_term(PASSWORD).unwrap();
    let mut out = Vec::new();
    MessageBuilder::new(
        &mut out,
        Class::Request,
        Method::BINDING,
        TransactionId(TID),
    )
    .username("9uB6:YxTT")
    .priority(0x6e00_01ff)
    .ice_controlling(0x932f_f9b1_5126_3b36)
    .use_candidate()
    .message_integrity(&key)
    .fingerprint()
    .finish()
    .unwrap();
    assert_eq!(out, bytes);
    let msg = Message::parse(&bytes).unwrap();
    assert!(msg.use_candidate());
    msg.verify_integrity(&key).unwrap();
    msg.verify_fingerprint().unwrap();
}
