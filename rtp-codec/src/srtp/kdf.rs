//! Session key derivation (RFC 3711 §4.3) with a key derivation rate of 0.
//!
//! Each session key is AES in counter mode, keyed with the master key, run over zeros from
//! the IV `(key_id XOR master_salt) · 2^16`, where `key_id = label || r` and
//! `r = index DIV key_derivation_rate`, which RFC 3711 §4.3.1 defines as 0 when the rate is 0.
//! `key_id` is 56 bits and right-aligned with the 112-bit master salt, so the label lands in
//! octet 7 of the salt. The AES-256 profiles run AES-256 (RFC 6188 §5.2); the GCM profiles
//! keep the RFC 3711 PRF (RFC 7714) with their 96-bit master salt zero-extended to 112
//! bits on the right, as libsrtp does (the libsrtp interop test checks it).
//!
//! [RFC 3711 §4.3]: https://www.rfc-editor.org/rfc/rfc3711#section-4.3

use aes::cipher::{KeyIvInit, StreamCipher};
use aes::{Aes128, Aes256};

/// RFC 3711 §4.3.2 labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Label {
    RtpEncryption = 0x00,
    RtpAuthentication = 0x01,
    RtpSalt = 0x02,
    RtcpEncryption = 0x03,
    RtcpAuthentication = 0x04,
    RtcpSalt = 0x05,
}

/// Fills `out` with the PRF output for `label`: `out.len()` bytes of the AES-CM keystream
/// keyed with `master_key` (16 or 32 bytes) from the IV built of `master_salt` (at most 14
/// bytes, zero-extended on the right to 14).
pub(crate) fn derive(master_key: &[u8], master_salt: &[u8], label: Label, out: &mut [u8]) {
    debug_assert!(master_salt.len() <= 14);
    let mut iv = [0u8; 16];
    iv[..master_salt.len()].copy_from_slice(master_salt);
    iv[7] ^= label as u8;
    out.fill(0);
    match master_key.len() {
        16 => ctr::Ctr128BE::<Aes128>::new(master_key.into(), (&iv).into()).apply_keystream(out),
        32 => ctr::Ctr128BE::<Aes256>::new(master_key.into(), (&iv).into()).apply_keystream(out),
        n => unreachable!("master key length {n} checked by the caller"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srtp::tests::hex;

    /// RFC 3711 Appendix B.3: the AES-128 key derivation test vectors. The RFC derives a
    /// longer authentication key than the 160 bits SRTP uses, so all its bytes are checked.
    #[test]
    fn rfc3711_b3() {
        let key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        let salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        let mut enc = [0u8; 16];
        derive(&key, &salt, Label::RtpEncryption, &mut enc);
        assert_eq!(enc[..], hex("C61E7A93744F39EE10734AFE3FF7A087"));
        let mut s = [0u8; 14];
        derive(&key, &salt, Label::RtpSalt, &mut s);
        assert_eq!(s[..], hex("30CBBC08863D8C85D49DB34A9AE1"));
        let mut auth = [0u8; 94];
        derive(&key, &salt, Label::RtpAuthentication, &mut auth);
        assert_eq!(
            auth[..],
            hex(
                "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE\
                 E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25\
                 6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"
            )
        );
    }

    /// RFC 6188 §7.2: the AES-256 key derivation test vectors.
    #[test]
    fn rfc6188_aes256() {
        let key = hex("F0F04914B513F2763A1B1FA130F10E2998F6F6E43E4309D1E622A0E332B9F1B6");
        let salt = hex("3B04803DE51EE7C96423AB5B78D2");
        let mut enc = [0u8; 32];
        derive(&key, &salt, Label::RtpEncryption, &mut enc);
        assert_eq!(
            enc[..],
            hex("5BA1064E30EC51613CAD926C5A28EF731EC7FB397F70A960653CAF06554CD8C4")
        );
        let mut s = [0u8; 14];
        derive(&key, &salt, Label::RtpSalt, &mut s);
        assert_eq!(s[..], hex("FA31791685CA444A9E07C6C64E93"));
        let mut auth = [0u8; 20];
        derive(&key, &salt, Label::RtpAuthentication, &mut auth);
        assert_eq!(auth[..], hex("FD9C32D39ED5FBB5A9DC96B30818454D1313DC05"));
    }

    /// The SRTCP labels select other keystreams than the SRTP ones.
    #[test]
    fn labels_differ() {
        let key = [7u8; 16];
        let salt = [9u8; 14];
        let mut outs = [[0u8; 16]; 6];
        for (i, label) in [
            Label::RtpEncryption,
            Label::RtpAuthentication,
            Label::RtpSalt,
            Label::RtcpEncryption,
            Label::RtcpAuthentication,
            Label::RtcpSalt,
        ]
        .into_iter()
        .enumerate()
        {
            derive(&key, &salt, label, &mut outs[i]);
        }
        for i in 0..6 {
            for j in i + 1..6 {
                assert_ne!(outs[i], outs[j]);
            }
        }
    }
}
