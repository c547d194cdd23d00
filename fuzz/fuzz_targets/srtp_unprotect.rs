//! SRTP/SRTCP unprotect on arbitrary bytes under a context built from the first bytes
//! (profile, MKI length, master key and salt): no panic, a plaintext length within the
//! packet, and whatever protects unprotects back to itself (RTP and RTCP).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtp_codec::srtp::{Config, Context, ALL_PROFILES};

fuzz_target!(|data: &[u8]| {
    let Some((&[choice, mki_len], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let profile = ALL_PROFILES[usize::from(choice) % ALL_PROFILES.len()];
    let mki = vec![0xa5; usize::from(mki_len % 5)];
    let (key_len, salt_len) = (profile.master_key_len(), profile.master_salt_len());
    let Some((material, packet)) = rest.split_at_checked(key_len + salt_len) else {
        return;
    };
    let (key, salt) = material.split_at(key_len);
    let config = Config::default().with_mki(&mki).with_replay_window(64);
    let context = || Context::with_config(profile, key, salt, &config).expect("valid setup");

    // Unprotect the bytes as they are, as SRTP and as SRTCP, twice (the second time with
    // whatever state the first left).
    let mut rx = context();
    for _ in 0..2 {
        let mut buf = packet.to_vec();
        if let Ok(n) = rx.unprotect_rtp(&mut buf) {
            assert!(n <= packet.len());
        } else {
            assert_eq!(buf, packet, "a failed unprotect leaves the buffer");
        }
        let mut buf = packet.to_vec();
        if let Ok(n) = rx.unprotect_rtcp(&mut buf) {
            assert!(n <= packet.len());
        } else {
            assert_eq!(buf, packet, "a failed unprotect leaves the buffer");
        }
    }

    // Protect the bytes as RTP and as RTCP where they have the header for it; a fresh
    // receiver gets them back.
    let mut tx = context();
    let mut rx = context();
    let mut buf = packet.to_vec();
    if tx.protect_rtp(&mut buf).is_ok() {
        assert_eq!(buf.len(), packet.len() + tx.rtp_overhead());
        let n = rx.unprotect_rtp(&mut buf).expect("protected RTP unprotects");
        assert_eq!(&buf[..n], packet);
    }
    let mut buf = packet.to_vec();
    if tx.protect_rtcp(&mut buf).is_ok() {
        assert_eq!(buf.len(), packet.len() + tx.rtcp_overhead());
        let n = rx.unprotect_rtcp(&mut buf).expect("protected RTCP unprotects");
        assert_eq!(&buf[..n], packet);
    }
});
