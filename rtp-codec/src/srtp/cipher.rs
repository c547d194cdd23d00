//! The per-packet transforms: AES counter mode (RFC 3711 §4.1.1) with HMAC-SHA1 (§4.2.1),
//! the NULL cipher (§4.1.3) with HMAC-SHA1, and AES-GCM (RFC 7714).
//!
//! A [`Transform`] holds the session keys of one of SRTP or SRTCP, already expanded (AES
//! round keys, the HMAC inner and outer pads), so a packet costs no key schedule and no
//! allocation.

use super::kdf::{self, Label};
use super::profile::{CipherKind, Profile};
use aes::cipher::{InnerIvInit, KeyInit, StreamCipher};
use aes::{Aes128, Aes256};
use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// Length of the HMAC-SHA1 output before truncation.
const SHA1_LEN: usize = 20;
/// Length of the AES-GCM tag of both GCM profiles (RFC 7714 §14.2).
pub(crate) const GCM_TAG_LEN: usize = 16;

/// The AES key of a counter-mode transform.
// One per context and never moved per packet: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum CmKey {
    Aes128(Aes128),
    Aes256(Aes256),
}

/// The AES-GCM key.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum GcmKey {
    Aes128(Aes128Gcm),
    Aes256(Aes256Gcm),
}

/// The cipher half of a transform.
#[derive(Clone)]
enum Cipher {
    /// AES-CM with the 14-byte session salt.
    Cm(CmKey, [u8; 14]),
    /// AES-GCM with the 12-byte session salt.
    Gcm(GcmKey, [u8; 12]),
    Null,
}

/// The session keys of SRTP or of SRTCP under one profile.
#[derive(Clone)]
pub(crate) struct Transform {
    cipher: Cipher,
    /// HMAC-SHA1 keyed with the session authentication key (not for GCM).
    mac: Option<Hmac<Sha1>>,
    /// Authentication tag length in bytes.
    tag_len: usize,
}

impl Transform {
    /// Derives the SRTP (`rtcp == false`) or SRTCP session keys from master key and salt
    /// (RFC 3711 §4.3, labels 0-2 or 3-5). The lengths are checked by the caller.
    pub(crate) fn derive(
        profile: Profile,
        master_key: &[u8],
        master_salt: &[u8],
        rtcp: bool,
    ) -> Self {
        let (enc, auth, salt) = if rtcp {
            (
                Label::RtcpEncryption,
                Label::RtcpAuthentication,
                Label::RtcpSalt,
            )
        } else {
            (
                Label::RtpEncryption,
                Label::RtpAuthentication,
                Label::RtpSalt,
            )
        };
        let mut key = [0u8; 32];
        let key = &mut key[..profile.session_key_len()];
        kdf::derive(master_key, master_salt, enc, key);
        let mut session_salt = [0u8; 14];
        let session_salt = &mut session_salt[..profile.session_salt_len()];
        kdf::derive(master_key, master_salt, salt, session_salt);
        let mut auth_key = [0u8; SHA1_LEN];
        let auth_key = &mut auth_key[..profile.session_auth_key_len()];
        kdf::derive(master_key, master_salt, auth, auth_key);
        let tag_len = if rtcp {
            profile.rtcp_tag_len()
        } else {
            profile.rtp_tag_len()
        };
        let t = Self::from_session_keys(profile.cipher(), key, session_salt, auth_key, tag_len);
        key.fill(0);
        auth_key.fill(0);
        t
    }

    /// A transform from session keys (the RFC 7714 test vectors give those, not master keys).
    pub(crate) fn from_session_keys(
        kind: CipherKind,
        key: &[u8],
        salt: &[u8],
        auth_key: &[u8],
        tag_len: usize,
    ) -> Self {
        let cipher = match kind {
            CipherKind::AesCm(n) => {
                let k = if n == 16 {
                    CmKey::Aes128(Aes128::new(key.into()))
                } else {
                    CmKey::Aes256(Aes256::new(key.into()))
                };
                let mut s = [0u8; 14];
                s.copy_from_slice(salt);
                Cipher::Cm(k, s)
            }
            CipherKind::AesGcm(n) => {
                let k = if n == 16 {
                    GcmKey::Aes128(Aes128Gcm::new(key.into()))
                } else {
                    GcmKey::Aes256(Aes256Gcm::new(key.into()))
                };
                let mut s = [0u8; 12];
                s.copy_from_slice(salt);
                Cipher::Gcm(k, s)
            }
            CipherKind::Null => Cipher::Null,
        };
        let mac = (!matches!(kind, CipherKind::AesGcm(_))).then(|| {
            <Hmac<Sha1> as Mac>::new_from_slice(auth_key).expect("HMAC takes keys of any length")
        });
        Self {
            cipher,
            mac,
            tag_len,
        }
    }

    /// Authentication tag length in bytes.
    /// Shortens the HMAC tag (checked by the caller: 4 up to the profile's length).
    pub(crate) fn set_tag_len(&mut self, n: usize) {
        self.tag_len = n;
    }

    pub(crate) fn tag_len(&self) -> usize {
        self.tag_len
    }

    /// Whether this transform is AES-GCM.
    pub(crate) fn is_aead(&self) -> bool {
        matches!(self.cipher, Cipher::Gcm(..))
    }

    /// Whether this transform encrypts (not the NULL cipher).
    pub(crate) fn encrypts(&self) -> bool {
        !matches!(self.cipher, Cipher::Null)
    }

    /// XORs `data` with the AES-CM keystream for `ssrc` and `index` (the 48-bit SRTP packet
    /// index or the 31-bit SRTCP index). RFC 3711 §4.1.1:
    /// `IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16)`. The NULL cipher leaves `data`.
    pub(crate) fn apply_cm(&self, ssrc: u32, index: u64, data: &mut [u8]) {
        let Cipher::Cm(key, salt) = &self.cipher else {
            return;
        };
        let mut iv = [0u8; 16];
        iv[..14].copy_from_slice(salt);
        for (b, s) in iv[4..8].iter_mut().zip(ssrc.to_be_bytes()) {
            *b ^= s;
        }
        for (b, s) in iv[8..14].iter_mut().zip(&index.to_be_bytes()[2..]) {
            *b ^= s;
        }
        apply_cm_iv(key, &iv, data);
    }

    /// The HMAC-SHA1 tag (RFC 3711 §4.2.1) of `parts` concatenated, truncated to its
    /// left-most tag length bytes (RFC 3711 §4.2).
    fn hmac(&self, parts: &[&[u8]]) -> [u8; SHA1_LEN] {
        let mut mac = self.mac.clone().expect("HMAC transform");
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    /// Writes the tag over `parts` into `tag` (`tag_len` bytes).
    pub(crate) fn sign(&self, parts: &[&[u8]], tag: &mut [u8]) {
        let full = self.hmac(parts);
        tag.copy_from_slice(&full[..self.tag_len]);
    }

    /// Whether `tag` is the tag over `parts`, compared in constant time.
    pub(crate) fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        let full = self.hmac(parts);
        bool::from(full[..self.tag_len].ct_eq(tag))
    }

    /// The GCM IV: RFC 7714 §8.1 (SRTP: `00 00 || SSRC || ROC || SEQ`) and §9.1 (SRTCP:
    /// `00 00 || SSRC || 00 00 || 0 || SRTCP index`) are both `00 00 || SSRC || index` with
    /// the index in the last 6 octets, XORed with the session salt.
    fn gcm_nonce(salt: &[u8; 12], ssrc: u32, index: u64) -> [u8; 12] {
        let mut iv = [0u8; 12];
        iv[2..6].copy_from_slice(&ssrc.to_be_bytes());
        iv[6..].copy_from_slice(&index.to_be_bytes()[2..]);
        for (b, s) in iv.iter_mut().zip(salt) {
            *b ^= s;
        }
        iv
    }

    /// AES-GCM encryption of `data` in place with `aad`, returning the tag.
    pub(crate) fn seal(
        &self,
        ssrc: u32,
        index: u64,
        aad: &[u8],
        data: &mut [u8],
    ) -> [u8; GCM_TAG_LEN] {
        let Cipher::Gcm(key, salt) = &self.cipher else {
            unreachable!("seal on a GCM transform only")
        };
        let nonce = Self::gcm_nonce(salt, ssrc, index);
        let tag = match key {
            GcmKey::Aes128(k) => k.encrypt_in_place_detached((&nonce).into(), aad, data),
            GcmKey::Aes256(k) => k.encrypt_in_place_detached((&nonce).into(), aad, data),
        }
        .expect("SRTP packets are far below the GCM length limit");
        tag.into()
    }

    /// AES-GCM decryption of `data` in place with `aad` and `tag`. On a tag mismatch `data`
    /// is left encrypted (the tag is checked before decryption) and `false` returned.
    pub(crate) fn open(
        &self,
        ssrc: u32,
        index: u64,
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> bool {
        let Cipher::Gcm(key, salt) = &self.cipher else {
            unreachable!("open on a GCM transform only")
        };
        let nonce = Self::gcm_nonce(salt, ssrc, index);
        match key {
            GcmKey::Aes128(k) => {
                k.decrypt_in_place_detached((&nonce).into(), aad, data, tag.into())
            }
            GcmKey::Aes256(k) => {
                k.decrypt_in_place_detached((&nonce).into(), aad, data, tag.into())
            }
        }
        .is_ok()
    }
}

fn apply_cm_iv(key: &CmKey, iv: &[u8; 16], data: &mut [u8]) {
    // The counter is the low 16 bits of the IV (RFC 3711 §4.1.1); a 128-bit counter gives the
    // same keystream for the at most 2^16 blocks of a packet.
    match key {
        CmKey::Aes128(k) => {
            let core = ctr::CtrCore::<&Aes128, ctr::flavors::Ctr128BE>::inner_iv_init(k, iv.into());
            ctr::Ctr128BE::<&Aes128>::from_core(core).apply_keystream(data);
        }
        CmKey::Aes256(k) => {
            let core = ctr::CtrCore::<&Aes256, ctr::flavors::Ctr128BE>::inner_iv_init(k, iv.into());
            ctr::Ctr128BE::<&Aes256>::from_core(core).apply_keystream(data);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srtp::tests::hex;

    /// RFC 3711 Appendix B.2: the AES-CM keystream for session key 2B7E...3C, session salt
    /// F0F1...FD, SSRC 0 and index 0: blocks 0, 1, 2 and 0xFEFF, 0xFF00, 0xFF01.
    #[test]
    fn rfc3711_b2_keystream() {
        let t = Transform::from_session_keys(
            CipherKind::AesCm(16),
            &hex("2B7E151628AED2A6ABF7158809CF4F3C"),
            &hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
            &[0; 20],
            10,
        );
        let mut ks = alloc::vec![0u8; 0xFF02 * 16];
        t.apply_cm(0, 0, &mut ks);
        assert_eq!(
            ks[..48],
            hex("E03EAD0935C95E80E166B16DD92B4EB4\
                 D23513162B02D0F72A43A2FE4A5F97AB\
                 41E95B3BB0A2E8DD477901E4FCA894C0")
        );
        assert_eq!(
            ks[0xFEFF * 16..],
            hex("EC8CDF7398607CB0F2D21675EA9EA1E4\
                 362B7C3C6773516318A077D7FC5073AE\
                 6A2CC3787889374FBEB4C81B17BA6C44")
        );
    }

    /// RFC 6188 §7.1: the AES-256-CM keystream for session key 57f8...4a98 with the B.2 salt,
    /// SSRC and index: blocks 0, 1, 2 and 0xFEFF, 0xFF00, 0xFF01.
    #[test]
    fn rfc6188_7_1_keystream() {
        let t = Transform::from_session_keys(
            CipherKind::AesCm(32),
            &hex("57f82fe3613fd170a85ec93c40b1f0922ec4cb0dc025b58272147cc438944a98"),
            &hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"),
            &[0; 20],
            10,
        );
        let mut ks = alloc::vec![0u8; 0xFF02 * 16];
        t.apply_cm(0, 0, &mut ks);
        assert_eq!(
            ks[..48],
            hex("92bdd28a93c3f52511c677d08b5515a4\
                 9da71b2378a854f67050756ded165bac\
                 63c4868b7096d88421b563b8c94c9a31")
        );
        assert_eq!(
            ks[0xFEFF * 16..],
            hex("cea518c90fd91ced9cbb18c078a54711\
                 3dbc4814f4da5f00a08772b63c6a046d\
                 6eb246913062a16891433e97dd01a57f")
        );
    }

    /// RFC 7714 §16.1 and §17.1 IVs, through the GCM nonce layout.
    #[test]
    fn rfc7714_ivs() {
        let salt: [u8; 12] = hex("517569642070726f2071756f").try_into().unwrap();
        assert_eq!(
            Transform::gcm_nonce(&salt, 0x5501_a0b2, 0xf17b)[..],
            hex("51753c6580c2726f20718414")
        );
        assert_eq!(
            Transform::gcm_nonce(&salt, 0x4d61_7273, 0x5d4)[..],
            hex("517524055203726f207170bb")
        );
    }
}
