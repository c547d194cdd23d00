//! Known-answer tests of whole packets: RFC 7714 §16 and §17 (GCM, from session keys), and
//! context behaviour that needs the crate's internals.

use super::cipher::Transform;
use super::profile::CipherKind;
use super::*;
use alloc::vec::Vec;

/// Bytes from hex digits, whitespace ignored.
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => panic!("not hex: {b}"),
        })
        .collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits");
    digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect()
}

const KEY_128: &str = "000102030405060708090a0b0c0d0e0f";
const KEY_256: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/// "Quid pro quo".
const SALT: &str = "517569642070726f2071756f";
/// RFC 7714 §16: SSRC 0x5501a0b2, SEQ 0xf17b, "Gallia est omnis divisa in partes tres".
const RTP: &str = "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973
                   20646976 69736120 696e2070 61727465 73207472 6573";
/// RFC 7714 §17: SSRC "Mars", SRTCP index 0x5d4.
const RTCP: &str = "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930
                    4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef";
const MARS: u32 = 0x4d61_7273;

/// A context whose SRTP and SRTCP transforms both use the given session key and salt, as
/// the RFC 7714 vectors do.
fn gcm(profile: Profile) -> Context {
    let (kind, key) = match profile {
        Profile::AeadAes128Gcm => (CipherKind::AesGcm(16), hex(KEY_128)),
        _ => (CipherKind::AesGcm(32), hex(KEY_256)),
    };
    let t = Transform::from_session_keys(kind, &key, &hex(SALT), &[], 16);
    Context::from_transforms(profile, t.clone(), t, &Config::default())
}

fn protect(ctx: &mut Context, plain: &[u8]) -> Vec<u8> {
    let mut buf = plain.to_vec();
    ctx.protect_rtp(&mut buf).unwrap();
    buf
}

fn check_rtp(profile: Profile, protected: &str) {
    let plain = hex(RTP);
    let want = hex(protected);
    assert_eq!(
        protect(&mut gcm(profile), &plain),
        want,
        "{profile} protect"
    );
    let mut rx = gcm(profile);
    let mut buf = want.clone();
    let n = rx.unprotect_rtp(&mut buf).unwrap();
    assert_eq!(buf[..n], plain[..], "{profile} unprotect");
    let mut buf = want;
    assert_eq!(
        rx.unprotect_rtp(&mut buf),
        Err(SrtpError::Replayed { index: 0xf17b })
    );
}

/// RFC 7714 §16.1.1 / §16.1.2: AEAD_AES_128_GCM SRTP encryption and decryption.
#[test]
fn rfc7714_16_1_srtp_aes_128_gcm() {
    check_rtp(
        Profile::AeadAes128Gcm,
        "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
         0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce",
    );
}

/// RFC 7714 §16.2.1 / §16.2.2: AEAD_AES_256_GCM SRTP encryption and decryption.
#[test]
fn rfc7714_16_2_srtp_aes_256_gcm() {
    check_rtp(
        Profile::AeadAes256Gcm,
        "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238
         9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13",
    );
}

fn check_rtcp(profile: Profile, protected: &str) {
    let plain = hex(RTCP);
    let want = hex(protected);
    let mut tx = gcm(profile);
    tx.set_srtcp_index(MARS, 0x5d4).unwrap();
    let mut buf = plain.clone();
    tx.protect_rtcp(&mut buf).unwrap();
    assert_eq!(buf, want, "{profile} protect");
    let mut rx = gcm(profile);
    let mut buf = want.clone();
    let n = rx.unprotect_rtcp(&mut buf).unwrap();
    assert_eq!(buf[..n], plain[..], "{profile} unprotect");
    let mut buf = want;
    assert_eq!(
        rx.unprotect_rtcp(&mut buf),
        Err(SrtpError::Replayed { index: 0x5d4 })
    );
}

/// RFC 7714 §17.1: AEAD_AES_128_GCM SRTCP encryption (E = 1), and its decryption.
#[test]
fn rfc7714_17_1_srtcp_aes_128_gcm() {
    check_rtcp(
        Profile::AeadAes128Gcm,
        "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
         c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872
         45d9eade 800005d4",
    );
}

/// RFC 7714 §17.2: AEAD_AES_256_GCM SRTCP encryption and decryption.
#[test]
fn rfc7714_17_2_srtcp_aes_256_gcm() {
    check_rtcp(
        Profile::AeadAes256Gcm,
        "81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50
         a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c
         b26ac3be 800005d4",
    );
}

/// RFC 7714 §17.3 / §17.4: SRTCP authenticated but not encrypted (E = 0); we send E = 1
/// only, so these check the receive side, and that a flipped bit fails.
#[test]
fn rfc7714_17_3_17_4_srtcp_tag_only() {
    for (profile, protected) in [
        (
            Profile::AeadAes128Gcm,
            "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
             deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790
             125f62b3 000005d4",
        ),
        (
            Profile::AeadAes256Gcm,
            "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
             deadbeef deadbeef deadbeef deadbeef deadbeef 91db4afb feee5a97 8fab4393
             ed2615fe 000005d4",
        ),
    ] {
        let wire = hex(protected);
        let mut bad = wire.clone();
        bad[20] ^= 1;
        let before = bad.clone();
        let mut rx = gcm(profile);
        assert_eq!(
            rx.unprotect_rtcp(&mut bad),
            Err(SrtpError::AuthenticationFailed)
        );
        assert_eq!(bad, before, "a failed unprotect leaves the buffer");
        let mut buf = wire;
        let n = rx.unprotect_rtcp(&mut buf).unwrap();
        assert_eq!(buf[..n], hex(RTCP)[..], "{profile}");
    }
}

/// RFC 3711 Appendix B.3's master key through a whole context: an AES_CM_128_HMAC_SHA1_80
/// packet whose keystream and tag are those of the B.3 session keys.
#[test]
fn context_uses_derived_session_keys() {
    let key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    let salt = hex("0EC675AD498AFEEBB6960B3AABE6");
    let mut ctx = Context::new(Profile::AesCm128HmacSha1_80, &key, &salt).unwrap();
    let direct = Transform::from_session_keys(
        CipherKind::AesCm(16),
        &hex("C61E7A93744F39EE10734AFE3FF7A087"),
        &hex("30CBBC08863D8C85D49DB34A9AE1"),
        &hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"),
        10,
    );
    let mut reference = Context::from_transforms(
        Profile::AesCm128HmacSha1_80,
        direct.clone(),
        direct,
        &Config::default(),
    );
    let plain = hex(RTP);
    assert_eq!(protect(&mut ctx, &plain), protect(&mut reference, &plain));
}
