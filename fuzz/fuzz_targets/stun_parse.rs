//! `Message::parse` and everything reachable from a parsed message: the raw and typed
//! attribute iterators, every getter, integrity and fingerprint verification, and the
//! stream framers. Nothing may panic; a parsed message must also pass `is_stun`. Every error
//! names an offset inside the bytes it read (a truncation or overrun also says by how much),
//! and a framer that wants more asks for more than it has.
//! Parsing allocates no more than a small multiple of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stun_turn_codec::{
    is_stun, next_rfc4571_frame, next_turn_frame, FrameStatus, IntegrityKey, Message, PasswordPrep,
    StunError,
};

/// A reading error points inside the `len` bytes that were read.
fn check_error(e: &StunError, len: usize) {
    match *e {
        StunError::Truncated {
            offset,
            expected,
            actual,
        } => assert!(expected > actual && offset + actual <= len, "{e}"),
        StunError::AttributeOverrun {
            offset,
            length,
            available,
            ..
        } => assert!(
            offset + 4 + available <= len && (usize::from(length) + 3) & !3 > available,
            "{e}"
        ),
        StunError::FingerprintNotLast { offset }
        | StunError::AttributeLength { offset, .. }
        | StunError::InvalidAttribute { offset, .. }
        | StunError::IntegrityMismatch { offset, .. }
        | StunError::FingerprintMismatch { offset, .. } => assert!(offset + 4 <= len, "{e}"),
        _ => {}
    }
}

fn check_frame<T>(status: Result<FrameStatus<T>, StunError>, data: &[u8]) {
    match status {
        Ok(FrameStatus::Complete { len, .. }) => assert!(len > 0 && len <= data.len()),
        Ok(FrameStatus::NeedMore { needed }) => assert!(needed > data.len()),
        Err(e) => check_error(&e, data.len()),
    }
}

#[path = "common/alloc_count.rs"]
mod alloc_count;

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

fuzz_target!(|data: &[u8]| {
    let ((), n) = alloc_count::requested(|| run(data));
    assert!(
        n <= alloc_count::bound(data.len()),
        "{n} bytes allocated for {} of input",
        data.len()
    );
});

fn run(data: &[u8]) {
    check_frame(next_turn_frame(data), data);
    check_frame(next_rfc4571_frame(data), data);
    let msg = match Message::parse(data) {
        Ok(msg) => msg,
        Err(e) => return check_error(&e, data.len()),
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
        if let Err(e) = a {
            check_error(&e, msg.len());
        }
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
}
