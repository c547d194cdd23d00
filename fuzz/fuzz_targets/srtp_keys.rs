//! The SRTP key ring of `rtc-inspect` on hostile input: an arbitrary key log, then
//! arbitrary datagrams between two addresses, each fed to the DTLS handshake follower or
//! unprotected as SRTP/SRTCP. No panic; a verdict for every packet; a decrypted packet is
//! shorter than the protected one by at least the smallest trailer (4-byte tag).
//!
//! Input: a key log (up to the first 0xff byte), then records of
//! `[flags, len_hi, len_lo, bytes...]` (flags bit 0: direction, bit 1: DTLS, bit 2: RTCP).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::net::SocketAddr;
use webrtc_inspect::rtc::keyring::{KeyRing, Verdict};

fuzz_target!(|data: &[u8]| {
    let (log, mut rest) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mut ring = KeyRing::new();
    let _ = ring.add_keylog(&String::from_utf8_lossy(log));
    // A known key too, so that trial decryption runs on every packet.
    let _ = ring.add_raw("127.0.0.1:2=AES_CM_128_HMAC_SHA1_32:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd");
    let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
    let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
    while let [flags, hi, lo, tail @ ..] = rest {
        let n = (usize::from(*hi) << 8 | usize::from(*lo)).min(tail.len());
        let (packet, after) = tail.split_at(n);
        rest = after;
        let (src, dst) = if flags & 1 == 0 { (a, b) } else { (b, a) };
        if flags & 2 != 0 {
            let _ = ring.observe_dtls(src, dst, packet);
        } else {
            let o = ring.unprotect(src, dst, flags & 4 != 0, packet);
            if o.verdict == Verdict::Ok {
                let plain = o.plain.expect("an ok verdict has plaintext");
                assert!(plain.len() + 4 <= packet.len());
            } else {
                assert!(o.plain.is_none());
            }
        }
    }
});
