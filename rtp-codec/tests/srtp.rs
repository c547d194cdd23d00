//! SRTP/SRTCP behaviour through the public API: round trips of arbitrary packets under every
//! profile (proptest), tampering and truncation, MKI, the SSRC bound, the replay window, the
//! rollover counter, index exhaustion and configuration errors.
#![cfg(feature = "srtp")]

use proptest::collection::vec;
use proptest::prelude::*;
use rtp_codec::srtp::{Config, Context, Profile, SrtpError, ALL_PROFILES};
use rtp_codec::{ExtensionElement, ExtensionForm, Padding, RtpPacketBuilder};

fn keys(profile: Profile, seed: u8) -> (Vec<u8>, Vec<u8>) {
    let key = (0..profile.master_key_len())
        .map(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
        .collect();
    let salt = (0..profile.master_salt_len())
        .map(|i| seed ^ (0x5a + i as u8))
        .collect();
    (key, salt)
}

/// A sender and a receiver context on the same keys.
fn pair(profile: Profile, config: &Config) -> (Context, Context) {
    let (key, salt) = keys(profile, 1);
    (
        Context::with_config(profile, &key, &salt, config).unwrap(),
        Context::with_config(profile, &key, &salt, config).unwrap(),
    )
}

fn rtp(seq: u16, ssrc: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    RtpPacketBuilder::new(111, seq, 12345, ssrc)
        .with_payload(payload)
        .write_to(&mut out)
        .unwrap();
    out
}

fn protected(ctx: &mut Context, plain: &[u8]) -> Vec<u8> {
    let mut b = plain.to_vec();
    ctx.protect_rtp(&mut b).unwrap();
    b
}

fn protected_rtcp(ctx: &mut Context, plain: &[u8]) -> Vec<u8> {
    let mut b = plain.to_vec();
    ctx.protect_rtcp(&mut b).unwrap();
    b
}

fn unprotect(ctx: &mut Context, packet: &[u8]) -> Result<Vec<u8>, SrtpError> {
    let mut b = packet.to_vec();
    let n = ctx.unprotect_rtp(&mut b)?;
    b.truncate(n);
    Ok(b)
}

fn unprotect_rtcp(ctx: &mut Context, packet: &[u8]) -> Result<Vec<u8>, SrtpError> {
    let mut b = packet.to_vec();
    let n = ctx.unprotect_rtcp(&mut b)?;
    b.truncate(n);
    Ok(b)
}

const RR: [u8; 32] = [
    0x81, 201, 0, 7, 0, 0, 0, 9, 0, 0, 0, 10, 1, 0, 0, 2, 0, 0, 0x12, 0x34, 0, 0, 0, 5, 0, 0, 0, 0,
    0, 0, 0, 0,
];

fn arb_profile() -> impl Strategy<Value = Profile> {
    (0..ALL_PROFILES.len()).prop_map(|i| ALL_PROFILES[i])
}

/// An RTP packet with random CSRCs, RFC 8285 elements (in the one- or two-byte form),
/// padding, payload and sequence number.
fn arb_rtp() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u16>(),
        any::<u32>(),
        vec(any::<u32>(), 0..=15),
        vec((1u8..=14, vec(any::<u8>(), 1..=16)), 0..4),
        any::<bool>(),
        0u8..=8,
        vec(any::<u8>(), 0..300),
    )
        .prop_map(|(seq, ssrc, csrcs, elements, two_byte, padding, payload)| {
            let elements: Vec<ExtensionElement<'_>> = elements
                .iter()
                .map(|(id, data)| ExtensionElement { id: *id, data })
                .collect();
            let form = if two_byte {
                ExtensionForm::TwoByte
            } else {
                ExtensionForm::Auto
            };
            let mut b = RtpPacketBuilder::new(96, seq, 7, ssrc)
                .with_csrcs(&csrcs)
                .unwrap()
                .with_payload(&payload);
            if !elements.is_empty() {
                b = b.with_extensions(form, &elements);
            }
            if padding > 0 {
                b = b.with_padding(Padding::Zeros(padding));
            }
            let mut out = Vec::new();
            b.write_to(&mut out).unwrap();
            out
        })
}

fn arb_config() -> impl Strategy<Value = Config> {
    (vec(any::<u8>(), 0..5), 64usize..=1024)
        .prop_map(|(mki, window)| Config::default().with_mki(&mki).with_replay_window(window))
}

proptest! {
    /// `unprotect(protect(p)) == p` for RTP under every profile, key and configuration, and
    /// the protected packet is the plaintext's length plus MKI and tag, its header unchanged.
    #[test]
    fn rtp_round_trip(profile in arb_profile(), seed in any::<u8>(), config in arb_config(), plain in arb_rtp()) {
        let (key, salt) = keys(profile, seed);
        let mut tx = Context::with_config(profile, &key, &salt, &config).unwrap();
        let mut rx = Context::with_config(profile, &key, &salt, &config).unwrap();
        let p = protected(&mut tx, &plain);
        prop_assert_eq!(p.len(), plain.len() + config.mki.len() + profile.rtp_tag_len());
        let header = rtp_codec::RtpPacket::parse(&plain).unwrap().header_len();
        prop_assert_eq!(&p[..header], &plain[..header]);
        if profile.encrypts() && plain.len() - header >= 4 {
            prop_assert_ne!(&p[header..plain.len()], &plain[header..]);
        }
        prop_assert_eq!(unprotect(&mut rx, &p)?, plain);
    }

    /// `unprotect_rtcp(protect_rtcp(p)) == p` under every profile.
    #[test]
    fn rtcp_round_trip(profile in arb_profile(), config in arb_config(), ssrc in any::<u32>(), body in vec(any::<[u8; 4]>(), 0..40)) {
        let mut plain = vec![0x80, 200, 0, body.len() as u8 + 1];
        plain.extend_from_slice(&ssrc.to_be_bytes());
        plain.extend(body.concat());
        let (mut tx, mut rx) = pair(profile, &config);
        let p = protected_rtcp(&mut tx, &plain);
        prop_assert_eq!(p.len(), plain.len() + tx.rtcp_overhead());
        prop_assert_eq!(unprotect_rtcp(&mut rx, &p)?, plain);
    }

    /// A stream of packets with sequence numbers that advance by random steps (across
    /// rollovers), each delivered once and some out of order, all unprotect; the receiver's
    /// ROC follows the sender's.
    #[test]
    fn sequences_across_rollovers(profile in arb_profile(), start in any::<u16>(), steps in vec(prop_oneof![1u16..130, 1u16..30000], 1..60), swap in vec(any::<bool>(), 60)) {
        let (mut tx, mut rx) = pair(profile, &Config::default());
        let mut seq = start;
        let mut packets = Vec::new();
        let mut step_before = Vec::new();
        let mut last_step = 0;
        for step in steps {
            let plain = rtp(seq, 77, &seq.to_be_bytes());
            packets.push((protected(&mut tx, &plain), plain));
            step_before.push(last_step);
            seq = seq.wrapping_add(step);
            last_step = step;
        }
        // Swap neighbours less than the 128-packet window apart (further is `TooOld`); a swap
        // never moves a packet by more than one place. The first packet stays first: the
        // receiver takes its ROC as 0 (RFC 3711 §3.3.1), which a packet sent after the
        // sender's rollover would contradict.
        let mut i = 2;
        while i < packets.len() {
            if swap[i] && step_before[i] < 128 {
                packets.swap(i - 1, i);
                i += 1;
            }
            i += 1;
        }
        for (p, plain) in &packets {
            prop_assert_eq!(&unprotect(&mut rx, p)?, plain);
        }
        prop_assert_eq!(rx.roc(77), tx.roc(77));
    }
}

fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// libsrtp's AES-256 reference packet (`srtp_validate_aes_256`, with the RFC 6188 §7.2 master
/// key and salt): the only pylibsrtp-less profile with a published whole-packet answer.
#[test]
fn aes_256_cm_reference_packet() {
    let key = unhex("f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6");
    let salt = unhex("3b04803de51ee7c96423ab5b78d2");
    let plain = unhex("800f1234 decafbad cafebabe abababab abababab abababab abababab");
    let want = unhex(
        "800f1234 decafbad cafebabe f1d9de17 ff251ff1 aa007774 b0b4b40d a08d9d9a 5b3a55d8 873b",
    );
    let mut tx = Context::new(Profile::Aes256CmHmacSha1_80, &key, &salt).unwrap();
    assert_eq!(protected(&mut tx, &plain), want);
    let mut rx = Context::new(Profile::Aes256CmHmacSha1_80, &key, &salt).unwrap();
    assert_eq!(unprotect(&mut rx, &want), Ok(plain));
}

/// Flipping any bit of a protected packet fails authentication (or, in the bytes that give
/// the header's length and version, the header check), and the failures leave no trace: the
/// untouched packet unprotects afterwards.
#[test]
fn tampering_fails_authentication() {
    for profile in ALL_PROFILES {
        let (mut tx, mut rx) = pair(profile, &Config::default());
        let plain = rtp(1000, 5, b"a payload of some length");
        let p = protected(&mut tx, &plain);
        for i in 0..p.len() {
            for bit in 0..8 {
                let mut t = p.clone();
                t[i] ^= 1 << bit;
                let r = rx.unprotect_rtp(&mut t);
                match (i, r) {
                    (_, Err(SrtpError::AuthenticationFailed)) => {}
                    (0, Err(SrtpError::Invalid { .. } | SrtpError::TooShort { .. })) => {}
                    (_, r) => panic!("{profile}: bit {bit} of byte {i}: {r:?}"),
                }
            }
        }
        assert_eq!(unprotect(&mut rx, &p), Ok(plain), "{profile}");

        let p = protected_rtcp(&mut tx, &RR);
        for i in 0..p.len() {
            for bit in 0..8 {
                let mut t = p.clone();
                t[i] ^= 1 << bit;
                let r = rx.unprotect_rtcp(&mut t);
                match (i, r) {
                    (_, Err(SrtpError::AuthenticationFailed)) => {}
                    (0, Err(SrtpError::Invalid { .. })) if bit >= 6 => {}
                    (_, r) => panic!("{profile}: SRTCP bit {bit} of byte {i}: {r:?}"),
                }
            }
        }
        assert_eq!(unprotect_rtcp(&mut rx, &p), Ok(RR.to_vec()), "{profile}");
    }
}

/// Every truncation of a protected packet fails: too short for header, MKI and tag gives
/// `TooShort`, longer ones fail authentication; none panics.
#[test]
fn truncation_is_too_short_or_unauthentic() {
    let config = Config::default().with_mki(&[9, 9]);
    for profile in ALL_PROFILES {
        let (mut tx, mut rx) = pair(profile, &config);
        let p = protected(&mut tx, &rtp(1, 5, &[0xab; 30]));
        let min = 12 + 2 + profile.rtp_tag_len();
        for len in 0..p.len() {
            let r = rx.unprotect_rtp(&mut p[..len].to_vec());
            if len < min {
                assert!(
                    matches!(r, Err(SrtpError::TooShort { .. })),
                    "{profile} {len}: {r:?}"
                );
            } else {
                assert!(
                    matches!(r, Err(SrtpError::AuthenticationFailed | SrtpError::BadMki)),
                    "{profile} {len}: {r:?}"
                );
            }
        }
        let p = protected_rtcp(&mut tx, &RR);
        let min = 8 + 4 + 2 + profile.rtcp_tag_len();
        for len in 0..p.len() {
            let r = rx.unprotect_rtcp(&mut p[..len].to_vec());
            if len < min {
                assert!(
                    matches!(r, Err(SrtpError::TooShort { .. })),
                    "{profile} {len}: {r:?}"
                );
            } else {
                assert!(
                    matches!(r, Err(SrtpError::AuthenticationFailed | SrtpError::BadMki)),
                    "{profile} {len}: {r:?}"
                );
            }
        }
    }
}

#[test]
fn mki_is_written_and_checked() {
    let config = Config::default().with_mki(&[0xde, 0xad, 0xbe, 0xef]);
    for profile in ALL_PROFILES {
        let (mut tx, mut rx) = pair(profile, &config);
        let plain = rtp(1, 5, b"payload");
        let p = protected(&mut tx, &plain);
        // RFC 3711 §3.1: MKI then tag; RFC 7714 (as libsrtp): tag then MKI.
        let at = if profile.is_aead() {
            p.len() - 4
        } else {
            p.len() - 4 - profile.rtp_tag_len()
        };
        assert_eq!(p[at..at + 4], [0xde, 0xad, 0xbe, 0xef], "{profile}");
        let mut bad = p.clone();
        bad[at + 3] ^= 1;
        assert_eq!(
            rx.unprotect_rtp(&mut bad),
            Err(SrtpError::BadMki),
            "{profile}"
        );
        assert_eq!(unprotect(&mut rx, &p), Ok(plain), "{profile}");

        let p = protected_rtcp(&mut tx, &RR);
        let at = if profile.is_aead() {
            p.len() - 4
        } else {
            p.len() - 4 - profile.rtcp_tag_len()
        };
        assert_eq!(p[at..at + 4], [0xde, 0xad, 0xbe, 0xef], "{profile}");
        let mut bad = p.clone();
        bad[at] ^= 0x80;
        assert_eq!(
            rx.unprotect_rtcp(&mut bad),
            Err(SrtpError::BadMki),
            "{profile}"
        );
        assert_eq!(unprotect_rtcp(&mut rx, &p), Ok(RR.to_vec()), "{profile}");
    }
}

/// SRTCP tags are 80 bits under the `_32` profiles (RFC 5764 §4.1.2); the NULL profiles send
/// the payload in the clear with E = 0.
#[test]
fn tag_lengths_and_null_cipher() {
    for profile in ALL_PROFILES {
        let (mut tx, _) = pair(profile, &Config::default());
        let plain = rtp(1, 5, b"clear or not");
        let p = protected(&mut tx, &plain);
        assert_eq!(p.len() - plain.len(), profile.rtp_tag_len(), "{profile}");
        let r = protected_rtcp(&mut tx, &RR);
        let trailer = if profile.is_aead() {
            &r[r.len() - 4..]
        } else {
            &r[r.len() - 14..r.len() - 10]
        };
        assert_eq!(r.len() - RR.len(), 4 + profile.rtcp_tag_len(), "{profile}");
        if profile.encrypts() {
            assert_ne!(p[12..plain.len()], plain[12..], "{profile}");
            assert_eq!(trailer, [0x80, 0, 0, 0], "{profile}: E = 1, index 0");
        } else {
            assert_eq!(p[..plain.len()], plain[..], "{profile}");
            assert_eq!(r[..RR.len()], RR, "{profile}");
            assert_eq!(trailer, [0, 0, 0, 0], "{profile}: E = 0, index 0");
        }
    }
    assert_eq!(Profile::AesCm128HmacSha1_32.rtcp_tag_len(), 10);
    assert_eq!(Profile::Aes256CmHmacSha1_32.rtp_tag_len(), 4);
}

#[test]
fn replays_and_the_window_edge() {
    let (mut tx, mut rx) = pair(
        Profile::AesCm128HmacSha1_80,
        &Config::default().with_replay_window(64),
    );
    let packets: Vec<Vec<u8>> = (0..=100u16)
        .map(|s| protected(&mut tx, &rtp(s, 5, b"x")))
        .collect();
    assert!(unprotect(&mut rx, &packets[100]).is_ok());
    assert_eq!(
        unprotect(&mut rx, &packets[100]),
        Err(SrtpError::Replayed { index: 100 })
    );
    // 100 - 63 is the oldest the 64-packet window holds.
    assert_eq!(
        unprotect(&mut rx, &packets[36]),
        Err(SrtpError::TooOld { index: 36 })
    );
    assert!(unprotect(&mut rx, &packets[37]).is_ok());
    assert_eq!(
        unprotect(&mut rx, &packets[37]),
        Err(SrtpError::Replayed { index: 37 })
    );

    let r = protected_rtcp(&mut tx, &RR);
    assert!(unprotect_rtcp(&mut rx, &r).is_ok());
    assert_eq!(
        unprotect_rtcp(&mut rx, &r),
        Err(SrtpError::Replayed { index: 0 })
    );
}

/// A forged packet that would move the ROC changes nothing (RFC 3711 §3.3.1: the ROC is
/// updated only after authentication).
#[test]
fn roc_moves_only_after_authentication() {
    let (mut tx, mut rx) = pair(Profile::AeadAes128Gcm, &Config::default());
    let a = protected(&mut tx, &rtp(65500, 5, b"a"));
    assert!(unprotect(&mut rx, &a).is_ok());
    assert_eq!(rx.roc(5), Some(0));
    // SEQ 10 after 65500 is taken as ROC 1: forged, it must not move the ROC.
    let mut forged = rtp(10, 5, b"forged");
    forged.extend_from_slice(&[0; 16]);
    assert_eq!(
        rx.unprotect_rtp(&mut forged),
        Err(SrtpError::AuthenticationFailed)
    );
    assert_eq!(rx.roc(5), Some(0));
    let b = protected(&mut tx, &rtp(65501, 5, b"b"));
    assert!(unprotect(&mut rx, &b).is_ok());
    let c = protected(&mut tx, &rtp(10, 5, b"c"));
    assert_eq!(tx.roc(5), Some(1));
    assert!(unprotect(&mut rx, &c).is_ok());
    assert_eq!(rx.roc(5), Some(1));
}

/// A receiver that joins late learns the ROC out of band (RFC 3711 §3.3.1).
#[test]
fn set_roc_for_a_late_joiner() {
    let (mut tx, mut rx) = pair(Profile::AesCm128HmacSha1_80, &Config::default());
    tx.set_roc(5, 7).unwrap();
    let p = protected(&mut tx, &rtp(300, 5, b"late"));
    assert_eq!(tx.roc(5), Some(7));
    assert_eq!(
        unprotect(&mut rx.clone(), &p),
        Err(SrtpError::AuthenticationFailed)
    );
    rx.set_roc(5, 7).unwrap();
    assert_eq!(unprotect(&mut rx, &p), Ok(rtp(300, 5, b"late")));
}

#[test]
fn ssrc_bound() {
    let (mut tx, mut rx) = pair(
        Profile::AesCm128HmacSha1_80,
        &Config::default().with_max_ssrcs(2),
    );
    let a = protected(&mut tx, &rtp(1, 1, b"a"));
    let b = protected(&mut tx, &rtp(1, 2, b"b"));
    let mut c = rtp(1, 3, b"c");
    assert_eq!(
        tx.protect_rtp(&mut c),
        Err(SrtpError::TooManySsrcs { max: 2 })
    );
    assert_eq!(c, rtp(1, 3, b"c"), "unchanged on error");

    // Forged packets of new SSRCs take no slot.
    for ssrc in 100..200 {
        let mut forged = rtp(1, ssrc, b"forged");
        forged.extend_from_slice(&[0; 10]);
        assert_eq!(
            rx.unprotect_rtp(&mut forged),
            Err(SrtpError::AuthenticationFailed)
        );
    }
    assert!(unprotect(&mut rx, &a).is_ok());
    assert!(unprotect(&mut rx, &b).is_ok());
    let (mut other_tx, _) = pair(Profile::AesCm128HmacSha1_80, &Config::default());
    let c = protected(&mut other_tx, &rtp(1, 3, b"c"));
    assert_eq!(
        unprotect(&mut rx, &c),
        Err(SrtpError::TooManySsrcs { max: 2 })
    );
    // SRTCP shares the table.
    let mut rr = RR;
    rr[4..8].copy_from_slice(&3u32.to_be_bytes());
    assert_eq!(
        tx.protect_rtcp(&mut rr.to_vec()),
        Err(SrtpError::TooManySsrcs { max: 2 })
    );
}

#[test]
fn index_exhaustion() {
    let (mut tx, _) = pair(Profile::AesCm128HmacSha1_80, &Config::default());
    tx.set_roc(5, u32::MAX).unwrap();
    let _ = protected(&mut tx, &rtp(65535, 5, b"last"));
    assert_eq!(
        tx.protect_rtp(&mut rtp(0, 5, b"one more")),
        Err(SrtpError::IndexExhausted)
    );
    tx.set_srtcp_index(9, 0x7fff_ffff).unwrap();
    let last = protected_rtcp(&mut tx, &RR);
    assert_eq!(
        last[last.len() - 14..last.len() - 10],
        [0xff, 0xff, 0xff, 0xff]
    );
    assert_eq!(
        tx.protect_rtcp(&mut RR.to_vec()),
        Err(SrtpError::IndexExhausted)
    );
    assert_eq!(
        tx.set_srtcp_index(9, 0x8000_0000),
        Err(SrtpError::Config {
            what: "SRTCP index exceeds 31 bits"
        })
    );
}

#[test]
fn setup_errors() {
    let p = Profile::AeadAes256Gcm;
    assert_eq!(
        Context::new(p, &[0; 16], &[0; 12]).unwrap_err(),
        SrtpError::KeyLength {
            what: "master key",
            expected: 32,
            actual: 16
        }
    );
    assert_eq!(
        Context::new(p, &[0; 32], &[0; 14]).unwrap_err(),
        SrtpError::KeyLength {
            what: "master salt",
            expected: 12,
            actual: 14
        }
    );
    for config in [
        Config::default().with_replay_window(63),
        Config::default().with_replay_window(32769),
        Config::default().with_max_ssrcs(0),
        Config::default().with_mki(&[0; 129]),
    ] {
        assert!(matches!(
            Context::with_config(p, &[0; 32], &[0; 12], &config),
            Err(SrtpError::Config { .. })
        ));
    }
    let mut ctx = Context::new(p, &[0; 32], &[0; 12]).unwrap();
    assert_eq!(
        ctx.protect_rtp(&mut vec![0x80; 11]),
        Err(SrtpError::TooShort {
            needed: 12,
            available: 11
        })
    );
    assert_eq!(
        ctx.protect_rtp(&mut vec![0x40; 12]),
        Err(SrtpError::Invalid {
            what: "RTP version"
        })
    );
    assert_eq!(
        ctx.unprotect_rtcp(&mut [0x80; 20]),
        Err(SrtpError::TooShort {
            needed: 28,
            available: 20
        })
    );
    assert!(format!("{ctx:?}").starts_with("Context { profile: AeadAes256Gcm"));
}

/// Protecting into a buffer with the overhead reserved, and unprotecting, allocate nothing
/// once the SSRC is known: checked by capacity, since the allocator is process-wide.
#[test]
fn reserved_capacity_is_enough() {
    for profile in ALL_PROFILES {
        let (mut tx, _) = pair(profile, &Config::default().with_mki(&[1, 2]));
        let plain = rtp(1, 5, &[7; 100]);
        let mut b = Vec::with_capacity(plain.len() + tx.rtp_overhead());
        b.extend_from_slice(&plain);
        let cap = b.capacity();
        tx.protect_rtp(&mut b).unwrap();
        assert_eq!((b.capacity(), b.len()), (cap, cap), "{profile}");
        let mut r = Vec::with_capacity(RR.len() + tx.rtcp_overhead());
        r.extend_from_slice(&RR);
        let cap = r.capacity();
        tx.protect_rtcp(&mut r).unwrap();
        assert_eq!((r.capacity(), r.len()), (cap, cap), "{profile}");
    }
}

/// A sender that cuts the SRTCP tag to 32 bits under a `_32` profile (ffmpeg's SDES SRTP
/// does): a standard receiver refuses it, one configured for the short tag reads it.
#[test]
fn short_srtcp_tag_is_refused_unless_configured() {
    let short = Config::default().with_srtcp_tag_len(4);
    let (mut tx, mut rx_short) = pair(Profile::AesCm128HmacSha1_32, &short);
    let (_, mut rx) = pair(Profile::AesCm128HmacSha1_32, &Config::default());
    let p = protected_rtcp(&mut tx, &RR);
    assert_eq!(p.len(), RR.len() + 4 + 4, "E||index and a 4-byte tag");
    assert_eq!(
        unprotect_rtcp(&mut rx, &p),
        Err(SrtpError::AuthenticationFailed)
    );
    assert_eq!(unprotect_rtcp(&mut rx_short, &p).unwrap(), RR);
    for bad in [Profile::AeadAes128Gcm, Profile::AesCm128HmacSha1_80] {
        let (key, salt) = keys(bad, 1);
        let n = if bad.is_aead() { 4 } else { 11 };
        assert!(matches!(
            Context::with_config(bad, &key, &salt, &Config::default().with_srtcp_tag_len(n)),
            Err(SrtpError::Config { .. })
        ));
    }
}
