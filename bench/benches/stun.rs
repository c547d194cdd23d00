//! STUN codec speed against the peer crates, on the reference ICE connectivity-check request
//! of `corpus/stun/README.md` (USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE,
//! MESSAGE-INTEGRITY, FINGERPRINT; 92 bytes).
//!
//! Three groups, each with every crate in the same run:
//! - `stun_decode`: parse with the crate's own checks (ours: all header and TLV checks, then
//!   the four ICE attributes read through the typed getters);
//! - `stun_decode_verify`: parse + verify MESSAGE-INTEGRITY + verify FINGERPRINT (str0m's `is`
//!   has no FINGERPRINT check, so it does less work here);
//! - `stun_encode`: write the request with MESSAGE-INTEGRITY and FINGERPRINT into a reused
//!   buffer.
//!
//! Keys are prepared once outside the loop wherever the crate allows it. Times are the
//! benchmark thread's CPU time (see `bench::ThreadCpuTime`), so that other processes on the
//! machine do not skew the ratios.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-bench cargo bench -p bench --bench stun`
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

const PASSWORD: &str = "VOkJxbRl1RmTxUk/WvJxBt";
const USERNAME: &str = "9uB6:YxTT";
const PRIORITY: u32 = 0x6e00_01ff;
const TIE_BREAKER: u64 = 0x932f_f9b1_5126_3b36;
const TID: [u8; 12] = [
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
];

/// The reference request, built from its hex in `corpus/stun/README.md`.
fn reference() -> Vec<u8> {
    let hex = "000100482112a442b7e7a701bc34d686fa87dfae00060009397542363a59785454000000002400046e0001ff802a0008932ff9b151263b360025000000080014e82c1ae068fc0a2e3f58671d7761f66494d017b980280004b913b24c";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

mod ours {
    use super::*;
    use stun_turn_codec::{Class, IntegrityKey, Message, MessageBuilder, Method, TransactionId};

    pub(crate) fn key() -> IntegrityKey {
        IntegrityKey::short_term(PASSWORD).unwrap()
    }

    pub(crate) fn decode(buf: &[u8]) -> (Option<&str>, Option<u32>, Option<u64>, bool) {
        let m = Message::parse(buf).unwrap();
        (
            m.username().unwrap(),
            m.priority().unwrap(),
            m.ice_controlling().unwrap(),
            m.use_candidate(),
        )
    }

    pub(crate) fn decode_verify(buf: &[u8], key: &IntegrityKey) -> bool {
        let m = Message::parse(buf).unwrap();
        m.verify_integrity(key).is_ok() && m.verify_fingerprint().is_ok()
    }

    pub(crate) fn encode(out: &mut Vec<u8>, key: &IntegrityKey) -> usize {
        out.clear();
        MessageBuilder::new(out, Class::Request, Method::BINDING, TransactionId(TID))
            .username(USERNAME)
            .priority(PRIORITY)
            .ice_controlling(TIE_BREAKER)
            .use_candidate()
            .message_integrity(key)
            .fingerprint()
            .finish()
            .unwrap()
    }
}

mod str0m_is {
    use super::*;
    use is::stun::{StunMessage, TransId};
    use is::{DefaultSha1HmacProvider, Sha1HmacProvider};

    fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 20] {
        DefaultSha1HmacProvider.sha1_hmac(key, parts)
    }

    pub(crate) fn decode(buf: &[u8]) -> (Option<&str>, Option<u32>, Option<u64>, bool) {
        let m = StunMessage::parse(buf).unwrap();
        (
            m.username(),
            m.prio(),
            m.ice_controlling(),
            m.use_candidate(),
        )
    }

    pub(crate) fn decode_verify(buf: &[u8]) -> bool {
        let m = StunMessage::parse(buf).unwrap();
        m.verify(PASSWORD.as_bytes(), hmac)
    }

    pub(crate) fn encode(out: &mut [u8], tid: TransId) -> usize {
        StunMessage::binding_request(USERNAME, tid, true, TIE_BREAKER, PRIORITY, true)
            .to_bytes(Some(PASSWORD.as_bytes()), out, hmac)
            .unwrap()
    }
}

mod stun_types_peer {
    use super::*;
    use stun_types::attribute::{AttributeType, RawAttribute, Username};
    use stun_types::message::{
        IntegrityAlgorithm, IntegrityKey, Message, MessageClass, MessageIntegrityCredentials,
        MessageType, MessageWriteMutSlice, ShortTermCredentials, TransactionId, BINDING,
    };
    use stun_types::prelude::*;

    pub(crate) fn key() -> IntegrityKey {
        MessageIntegrityCredentials::ShortTerm(ShortTermCredentials::new(PASSWORD.to_owned()))
            .make_key(IntegrityAlgorithm::Sha1)
    }

    pub(crate) fn decode(buf: &[u8]) -> usize {
        let m = Message::from_bytes(buf).unwrap();
        m.as_bytes().len()
    }

    pub(crate) fn decode_verify(buf: &[u8], key: &IntegrityKey) -> bool {
        let m = Message::from_bytes(buf).unwrap();
        m.validate_integrity_with_key(key).is_ok()
    }

    pub(crate) fn encode(out: &mut [u8], key: &IntegrityKey, user: &Username) -> usize {
        let tid: TransactionId = u128::from_be_bytes({
            let mut b = [0u8; 16];
            b[4..].copy_from_slice(&TID);
            b
        })
        .into();
        let mut m = Message::builder(
            MessageType::from_class_method(MessageClass::Request, BINDING),
            tid,
            MessageWriteMutSlice::new(out),
        );
        let prio = PRIORITY.to_be_bytes();
        let tie = TIE_BREAKER.to_be_bytes();
        m.add_attribute(user).unwrap();
        m.add_attribute(&RawAttribute::new(AttributeType::new(0x0024), &prio))
            .unwrap();
        m.add_attribute(&RawAttribute::new(AttributeType::new(0x802a), &tie))
            .unwrap();
        m.add_attribute(&RawAttribute::new(AttributeType::new(0x0025), &[]))
            .unwrap();
        m.add_message_integrity_with_key(key, IntegrityAlgorithm::Sha1)
            .unwrap();
        m.add_fingerprint().unwrap();
        m.finish()
    }

    pub(crate) fn username() -> Username {
        Username::new(USERNAME).unwrap()
    }
}

mod webrtc_stun {
    use super::*;
    use stun::agent::TransactionId;
    use stun::attributes::{
        ATTR_ICE_CONTROLLING, ATTR_PRIORITY, ATTR_USERNAME, ATTR_USE_CANDIDATE,
    };
    use stun::fingerprint::FINGERPRINT;
    use stun::integrity::MessageIntegrity;
    use stun::message::{Message, Setter, BINDING_REQUEST};

    pub(crate) fn decode(m: &mut Message, buf: &[u8]) -> usize {
        m.raw.clear();
        m.raw.extend_from_slice(buf);
        m.decode().unwrap();
        m.attributes.0.len()
    }

    pub(crate) fn decode_verify(m: &mut Message, buf: &[u8], mi: &MessageIntegrity) -> bool {
        m.raw.clear();
        m.raw.extend_from_slice(buf);
        m.decode().unwrap();
        mi.check(m).is_ok() && FINGERPRINT.check(m).is_ok()
    }

    pub(crate) fn encode(m: &mut Message, mi: &MessageIntegrity) -> usize {
        m.reset();
        m.set_type(BINDING_REQUEST);
        m.transaction_id = TransactionId(TID);
        m.write_header();
        m.add(ATTR_USERNAME, USERNAME.as_bytes());
        m.add(ATTR_PRIORITY, &PRIORITY.to_be_bytes());
        m.add(ATTR_ICE_CONTROLLING, &TIE_BREAKER.to_be_bytes());
        m.add(ATTR_USE_CANDIDATE, &[]);
        mi.add_to(m).unwrap();
        FINGERPRINT.add_to(m).unwrap();
        m.raw.len()
    }

    pub(crate) fn integrity() -> MessageIntegrity {
        MessageIntegrity::new_short_term_integrity(PASSWORD.to_owned())
    }
}

mod rtc_stun_peer {
    use super::*;
    use rtc_stun::attributes::{
        ATTR_ICE_CONTROLLING, ATTR_PRIORITY, ATTR_USERNAME, ATTR_USE_CANDIDATE,
    };
    use rtc_stun::crypto::RTCCrypto;
    use rtc_stun::fingerprint::FINGERPRINT;
    use rtc_stun::integrity::MessageIntegrity;
    use rtc_stun::message::{Message, Setter, TransactionId, BINDING_REQUEST};

    pub(crate) fn decode(m: &mut Message, buf: &[u8]) -> usize {
        m.raw.clear();
        m.raw.extend_from_slice(buf);
        m.decode().unwrap();
        m.attributes.0.len()
    }

    pub(crate) fn decode_verify(m: &mut Message, buf: &[u8], crypto: &dyn RTCCrypto) -> bool {
        m.raw.clear();
        m.raw.extend_from_slice(buf);
        m.decode().unwrap();
        MessageIntegrity::check(m, PASSWORD.as_bytes(), crypto).is_ok()
            && FINGERPRINT.check(m).is_ok()
    }

    pub(crate) fn encode(m: &mut Message, mi: &MessageIntegrity<'_>) -> usize {
        m.reset();
        m.set_type(BINDING_REQUEST);
        m.transaction_id = TransactionId(TID);
        m.write_header();
        m.add(ATTR_USERNAME, USERNAME.as_bytes());
        m.add(ATTR_PRIORITY, &PRIORITY.to_be_bytes());
        m.add(ATTR_ICE_CONTROLLING, &TIE_BREAKER.to_be_bytes());
        m.add(ATTR_USE_CANDIDATE, &[]);
        mi.add_to(m).unwrap();
        FINGERPRINT.add_to(m).unwrap();
        m.raw.len()
    }
}

mod stun_rs_peer {
    use super::*;
    use stun_rs::attributes::ice::{IceControlling, Priority, UseCandidate};
    use stun_rs::attributes::stun::{Fingerprint, MessageIntegrity, UserName};
    use stun_rs::methods::BINDING;
    use stun_rs::{
        DecoderContextBuilder, HMACKey, MessageClass, MessageDecoder, MessageDecoderBuilder,
        MessageEncoder, MessageEncoderBuilder, StunMessageBuilder, TransactionId,
    };

    pub(crate) fn decoder() -> MessageDecoder {
        MessageDecoderBuilder::default().build()
    }

    pub(crate) fn verifying_decoder() -> MessageDecoder {
        let key = HMACKey::new_short_term(PASSWORD).unwrap();
        MessageDecoderBuilder::default()
            .with_context(
                DecoderContextBuilder::default()
                    .with_key(key)
                    .with_validation()
                    .build(),
            )
            .build()
    }

    pub(crate) fn decode(d: &MessageDecoder, buf: &[u8]) -> usize {
        let (m, n) = d.decode(buf).unwrap();
        m.attributes().len() + n
    }

    pub(crate) fn decode_verify(d: &MessageDecoder, buf: &[u8]) -> bool {
        d.decode(buf).is_ok()
    }

    pub(crate) fn encoder() -> MessageEncoder {
        MessageEncoderBuilder::default().build()
    }

    pub(crate) fn encode(e: &MessageEncoder, out: &mut [u8], key: &HMACKey) -> usize {
        let msg = StunMessageBuilder::new(BINDING, MessageClass::Request)
            .with_transaction_id(TransactionId::from(TID))
            .with_attribute(UserName::new(USERNAME).unwrap())
            .with_attribute(Priority::from(PRIORITY))
            .with_attribute(IceControlling::from(TIE_BREAKER))
            .with_attribute(UseCandidate::default())
            .with_attribute(MessageIntegrity::new(key.clone()))
            .with_attribute(Fingerprint::default())
            .build();
        e.encode(out, &msg).unwrap()
    }

    pub(crate) fn key() -> HMACKey {
        HMACKey::new_short_term(PASSWORD).unwrap()
    }
}

fn check_peers_agree(req: &[u8]) {
    // Every crate must accept the reference request and verify it, or the comparison is moot.
    assert!(ours::decode_verify(req, &ours::key()));
    assert!(str0m_is::decode_verify(req));
    assert!(stun_types_peer::decode_verify(req, &stun_types_peer::key()));
    let mut m = stun::message::Message::new();
    assert!(webrtc_stun::decode_verify(
        &mut m,
        req,
        &webrtc_stun::integrity()
    ));
    let provider = rtc_stun::crypto::default_provider().unwrap();
    let mut m = rtc_stun::message::Message::new();
    assert!(rtc_stun_peer::decode_verify(&mut m, req, provider.crypto()));
    assert!(stun_rs_peer::decode_verify(
        &stun_rs_peer::verifying_decoder(),
        req
    ));
    // Our encoder reproduces the reference bytes exactly.
    let mut out = Vec::new();
    ours::encode(&mut out, &ours::key());
    assert_eq!(out, req);
}

fn benches(c: &mut Criterion<bench::ThreadCpuTime>) {
    let req = reference();
    check_peers_agree(&req);

    let key = ours::key();
    let st_key = stun_types_peer::key();
    let wr_mi = webrtc_stun::integrity();
    let provider = rtc_stun::crypto::default_provider().unwrap();
    let rtc_mi = rtc_stun::integrity::MessageIntegrity::new_short_term_integrity_with_provider(
        PASSWORD.to_owned(),
        provider.crypto(),
    );
    let srs_dec = stun_rs_peer::decoder();
    let srs_vdec = stun_rs_peer::verifying_decoder();
    let srs_enc = stun_rs_peer::encoder();
    let srs_key = stun_rs_peer::key();

    let mut g = c.benchmark_group("stun_decode");
    g.bench_function("stun-turn-codec", |b| {
        b.iter(|| ours::decode(black_box(&req)));
    });
    g.bench_function("is (str0m)", |b| {
        b.iter(|| str0m_is::decode(black_box(&req)));
    });
    g.bench_function("stun-types", |b| {
        b.iter(|| stun_types_peer::decode(black_box(&req)));
    });
    let mut m = stun::message::Message::new();
    g.bench_function("stun (webrtc-rs)", |b| {
        b.iter(|| webrtc_stun::decode(&mut m, black_box(&req)));
    });
    let mut rm = rtc_stun::message::Message::new();
    g.bench_function("rtc-stun", |b| {
        b.iter(|| rtc_stun_peer::decode(&mut rm, black_box(&req)));
    });
    g.bench_function("stun-rs", |b| {
        b.iter(|| stun_rs_peer::decode(&srs_dec, black_box(&req)));
    });
    g.finish();

    let mut g = c.benchmark_group("stun_decode_verify");
    g.bench_function("stun-turn-codec", |b| {
        b.iter(|| ours::decode_verify(black_box(&req), &key));
    });
    g.bench_function("is (str0m)", |b| {
        b.iter(|| str0m_is::decode_verify(black_box(&req)));
    });
    g.bench_function("stun-types", |b| {
        b.iter(|| stun_types_peer::decode_verify(black_box(&req), &st_key));
    });
    g.bench_function("stun (webrtc-rs)", |b| {
        b.iter(|| webrtc_stun::decode_verify(&mut m, black_box(&req), &wr_mi));
    });
    g.bench_function("rtc-stun", |b| {
        b.iter(|| rtc_stun_peer::decode_verify(&mut rm, black_box(&req), provider.crypto()));
    });
    g.bench_function("stun-rs", |b| {
        b.iter(|| stun_rs_peer::decode_verify(&srs_vdec, black_box(&req)));
    });
    g.finish();

    let mut g = c.benchmark_group("stun_encode");
    let mut out = Vec::with_capacity(256);
    g.bench_function("stun-turn-codec", |b| {
        b.iter(|| ours::encode(&mut out, black_box(&key)));
    });
    let mut arr = [0u8; 256];
    let tid = is::stun::TransId::new();
    g.bench_function("is (str0m)", |b| {
        b.iter(|| str0m_is::encode(&mut arr, black_box(tid)));
    });
    let user = stun_types_peer::username();
    g.bench_function("stun-types", |b| {
        b.iter(|| stun_types_peer::encode(&mut arr, black_box(&st_key), &user));
    });
    g.bench_function("stun (webrtc-rs)", |b| {
        b.iter(|| webrtc_stun::encode(&mut m, black_box(&wr_mi)));
    });
    g.bench_function("rtc-stun", |b| {
        b.iter(|| rtc_stun_peer::encode(&mut rm, black_box(&rtc_mi)));
    });
    g.bench_function("stun-rs", |b| {
        b.iter(|| stun_rs_peer::encode(&srs_enc, &mut arr, black_box(&srs_key)));
    });
    g.finish();
}

criterion_group! {
    name = stun;
    config = bench::criterion();
    targets = benches
}
criterion_main!(stun);
