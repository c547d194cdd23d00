//! Password preparation (SASLprep, OpaqueString) and long-term keys chosen by
//! PASSWORD-ALGORITHM (RFC 8489 §9.2, §14.12).

use stun_turn_codec::attribute::{Attribute, PasswordAlgorithm, PasswordAlgorithmId};
use stun_turn_codec::{
    prepare, Class, IntegrityKey, LongTermAlgorithm, LongTermKey, Message, MessageBuilder, Method,
    PasswordPrep, StunError, TransactionId,
};

#[test]
fn saslprep_and_opaque_string_differ_where_the_rfcs_do() {
    // RFC 4013 maps U+00AD (soft hyphen) to nothing and applies NFKC.
    assert_eq!(
        prepare("The\u{00AD}M\u{00AA}tr\u{2168}", PasswordPrep::SaslPrep).unwrap(),
        "TheMatrIX"
    );
    // RFC 8265 OpaqueString: non-ASCII spaces become U+0020, NFC (not NFKC) is applied.
    assert_eq!(
        prepare("a\u{00A0}b", PasswordPrep::OpaqueString).unwrap(),
        "a b"
    );
    assert_eq!(
        prepare("\u{2168}", PasswordPrep::OpaqueString).unwrap(),
        "\u{2168}"
    );
    assert_eq!(
        prepare("e\u{0301}", PasswordPrep::OpaqueString).unwrap(),
        "\u{00E9}"
    );
    // Control characters are refused by both.
    assert!(matches!(
        prepare("a\u{0007}", PasswordPrep::OpaqueString),
        Err(StunError::Preparation(_))
    ));
    assert!(matches!(
        prepare("a\u{0007}", PasswordPrep::SaslPrep),
        Err(StunError::Preparation(_))
    ));
    assert_eq!(
        prepare("a\u{0007}", PasswordPrep::None).unwrap(),
        "a\u{0007}"
    );
}

#[test]
fn long_term_sha256_key_selected_by_password_algorithm() {
    let user = "alice";
    let realm = "example.org";
    let key = IntegrityKey::long_term(
        user,
        realm,
        "s3cret",
        LongTermAlgorithm::Sha256,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    let lt = LongTermKey::new(
        user,
        realm,
        "s3cret",
        LongTermAlgorithm::Sha256,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    assert_eq!(lt.as_bytes().len(), 32);
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::Request,
        Method::ALLOCATE,
        TransactionId([4; 12]),
    )
    .username(user)
    .realm(realm)
    .nonce("obMatJos2AAACnonce")
    .attribute(&Attribute::PasswordAlgorithm(PasswordAlgorithm {
        algorithm: PasswordAlgorithmId::SHA256,
        parameters: &[],
    }))
    .requested_transport(17)
    .message_integrity_sha256(&key)
    .fingerprint()
    .finish()
    .unwrap();
    let msg = Message::parse(&buf).unwrap();
    let derived = msg
        .long_term_key("s3cret", PasswordPrep::OpaqueString)
        .unwrap()
        .unwrap();
    msg.verify_integrity(&derived).unwrap();
    msg.verify_fingerprint().unwrap();
    // The MD5 key of the same credentials does not verify it.
    let md5 = IntegrityKey::long_term(
        user,
        realm,
        "s3cret",
        LongTermAlgorithm::Md5,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    assert!(msg.verify_integrity(&md5).is_err());
    // Without USERNAME there is no key to derive.
    let mut anon = Vec::new();
    MessageBuilder::new(
        &mut anon,
        Class::Request,
        Method::BINDING,
        TransactionId([5; 12]),
    )
    .finish()
    .unwrap();
    assert!(Message::parse(&anon)
        .unwrap()
        .long_term_key("x", PasswordPrep::None)
        .unwrap()
        .is_none());
}

#[test]
fn truncated_sha256_tag_verifies_and_wrong_key_fails() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut buf = Vec::new();
    MessageBuilder::new(
        &mut buf,
        Class::Request,
        Method::BINDING,
        TransactionId([6; 12]),
    )
    .username("a:b")
    .message_integrity(&key)
    .message_integrity_sha256_truncated(&key, 16)
    .fingerprint()
    .finish()
    .unwrap();
    let msg = Message::parse(&buf).unwrap();
    assert_eq!(msg.message_integrity_sha256().map(<[u8]>::len), Some(16));
    msg.verify_message_integrity(&key).unwrap();
    msg.verify_message_integrity_sha256(&key).unwrap();
    let other = IntegrityKey::short_term("pW").unwrap();
    assert!(msg.verify_message_integrity(&other).is_err());
    assert!(msg.verify_message_integrity_sha256(&other).is_err());
}

/// FINGERPRINT after MESSAGE-INTEGRITY covers the finished header length and the HMAC,
/// wherever the message starts in the buffer and whether MESSAGE-INTEGRITY-SHA256 sits
/// between them (RFC 8489 §14.7).
#[test]
fn fingerprint_after_integrity_matches_the_finished_message() {
    let key = IntegrityKey::short_term("VOkJxbRl1RmTxUk/WvJxBt").unwrap();
    for (preceding, with_sha256) in [(0, false), (3, false), (0, true), (7, true)] {
        let mut buf = vec![0xaa; preceding];
        let mut b = MessageBuilder::new(
            &mut buf,
            Class::Request,
            Method::BINDING,
            TransactionId([9; 12]),
        );
        b.username("9uB6:YxTT")
            .priority(0x6e00_01ff)
            .message_integrity(&key);
        if with_sha256 {
            b.message_integrity_sha256(&key);
        }
        let len = b.fingerprint().finish().unwrap();
        let msg = Message::parse(&buf[preceding..]).unwrap();
        assert_eq!(msg.as_bytes().len(), len);
        msg.verify_fingerprint().unwrap();
        msg.verify_message_integrity(&key).unwrap();
        // A one-bit change anywhere before FINGERPRINT is caught.
        let mut flipped = buf[preceding..].to_vec();
        flipped[len - 9] ^= 1;
        let flipped = Message::parse(&flipped).unwrap();
        assert!(flipped.verify_fingerprint().is_err());
    }
}
