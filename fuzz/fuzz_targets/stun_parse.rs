//! `Message::parse` and everything reachable from a parsed message: the raw and typed
//! attribute iterators, every getter, integrity and fingerprint verification, and the
//! stream framers. Nothing may panic; a parsed message must also pass `is_stun`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stun_codec::{
    is_stun, next_rfc4571_frame, next_turn_frame, IntegrityKey, Message, PasswordPrep,
};

fuzz_target!(|data: &[u8]| {
    let _ = next_turn_frame(data);
    let _ = next_rfc4571_frame(data);
    let Ok(msg) = Message::parse(data) else {
        return;
    };
    assert!(is_stun(data));
    assert!(msg.len() <= data.len());
    let _ = (msg.class(), msg.method(), msg.transaction_id());
    let mut end = 20;
    for raw in msg.attributes() {
        assert_eq!(raw.offset, end);
        end = raw.offset + 4 + ((raw.value.len() + 3) & !3);
    }
    assert_eq!(end, msg.len());
    for a in msg.typed_attributes() {
        let _ = a;
    }
    let _ = msg.username();
    let _ = msg.userhash();
    let _ = msg.priority();
    let _ = msg.ice_controlled();
    let _ = msg.ice_controlling();
    let _ = msg.use_candidate();
    let _ = msg.xor_mapped_address();
    let _ = msg.mapped_address();
    let _ = msg.error_code();
    let _ = msg.realm();
    let _ = msg.nonce();
    let _ = msg.software();
    let _ = msg
        .password_algorithms()
        .map(|p| p.map(|p| p.iter().count()));
    let _ = msg.password_algorithm();
    let _ = msg
        .unknown_attributes()
        .map(|u| u.map(|u| u.iter().count()));
    let _ = msg.lifetime();
    let _ = msg.xor_peer_address();
    let _ = msg.xor_relayed_address();
    let _ = msg.channel_number();
    let _ = msg.data();
    let _ = msg.unknown_comprehension_required().count();
    let key = IntegrityKey::new(b"fuzz");
    let _ = msg.verify_integrity(&key);
    let _ = msg.verify_message_integrity(&key);
    let _ = msg.verify_message_integrity_sha256(&key);
    let _ = msg.verify_fingerprint();
    let _ = msg.long_term_key("pw", PasswordPrep::OpaqueString);
});
