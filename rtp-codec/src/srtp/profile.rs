//! SRTP protection profiles: the cipher, key lengths and tag lengths one crypto context uses.
//!
//! Names and numbers come from the two ways profiles are negotiated: the IANA "DTLS-SRTP
//! Protection Profiles" registry ([RFC 5764 §4.1.2], [RFC 7714 §14.2]) and the SDES crypto
//! suite names of `a=crypto` ([RFC 4568 §6.2], [RFC 6188 §6], [RFC 7714 §14.1]).
//!
//! [RFC 5764 §4.1.2]: https://www.rfc-editor.org/rfc/rfc5764#section-4.1.2
//! [RFC 7714 §14.2]: https://www.rfc-editor.org/rfc/rfc7714#section-14.2
//! [RFC 4568 §6.2]: https://www.rfc-editor.org/rfc/rfc4568#section-6.2
//! [RFC 6188 §6]: https://www.rfc-editor.org/rfc/rfc6188#section-6
//! [RFC 7714 §14.1]: https://www.rfc-editor.org/rfc/rfc7714#section-14.1

use core::fmt;

/// An SRTP protection profile (crypto suite).
///
/// | profile | DTLS-SRTP id | master key | master salt | SRTP tag | SRTCP tag |
/// |---|---|---|---|---|---|
/// | [`AesCm128HmacSha1_80`](Self::AesCm128HmacSha1_80) | `0x0001` | 16 | 14 | 10 | 10 |
/// | [`AesCm128HmacSha1_32`](Self::AesCm128HmacSha1_32) | `0x0002` | 16 | 14 | 4 | 10 |
/// | [`NullHmacSha1_80`](Self::NullHmacSha1_80) | `0x0005` | 16 | 14 | 10 | 10 |
/// | [`NullHmacSha1_32`](Self::NullHmacSha1_32) | `0x0006` | 16 | 14 | 4 | 10 |
/// | [`AeadAes128Gcm`](Self::AeadAes128Gcm) | `0x0007` | 16 | 12 | 16 | 16 |
/// | [`AeadAes256Gcm`](Self::AeadAes256Gcm) | `0x0008` | 32 | 12 | 16 | 16 |
/// | [`Aes256CmHmacSha1_80`](Self::Aes256CmHmacSha1_80) | none (SDES only) | 32 | 14 | 10 | 10 |
/// | [`Aes256CmHmacSha1_32`](Self::Aes256CmHmacSha1_32) | none (SDES only) | 32 | 14 | 4 | 10 |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 3711 §5, the mandatory suite).
    AesCm128HmacSha1_80,
    /// AES-128 counter mode, HMAC-SHA1 with a 32-bit SRTP tag. SRTCP keeps the 80-bit tag
    /// (RFC 5764 §4.1.2 lists `auth_tag_length: 32` and `SRTCP_auth_tag_length: 80`).
    AesCm128HmacSha1_32,
    /// AES-256 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 6188).
    Aes256CmHmacSha1_80,
    /// AES-256 counter mode, HMAC-SHA1 with a 32-bit SRTP tag, 80-bit SRTCP tag (RFC 6188 §6).
    Aes256CmHmacSha1_32,
    /// AES-128-GCM with a 16-octet tag (RFC 7714 §14.2).
    AeadAes128Gcm,
    /// AES-256-GCM with a 16-octet tag (RFC 7714 §14.2).
    AeadAes256Gcm,
    /// No encryption, HMAC-SHA1 with an 80-bit tag (RFC 5764 §4.1.2).
    NullHmacSha1_80,
    /// No encryption, HMAC-SHA1 with a 32-bit SRTP tag and an 80-bit SRTCP tag
    /// (RFC 5764 §4.1.2).
    NullHmacSha1_32,
}

/// What a profile encrypts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CipherKind {
    /// AES counter mode (RFC 3711 §4.1.1) with a key of this many bytes, HMAC-SHA1.
    AesCm(usize),
    /// AES-GCM (RFC 7714) with a key of this many bytes.
    AesGcm(usize),
    /// The NULL cipher (RFC 3711 §4.1.3), HMAC-SHA1.
    Null,
}

/// Every profile, in the order of the table above.
pub const ALL_PROFILES: [Profile; 8] = [
    Profile::AesCm128HmacSha1_80,
    Profile::AesCm128HmacSha1_32,
    Profile::NullHmacSha1_80,
    Profile::NullHmacSha1_32,
    Profile::AeadAes128Gcm,
    Profile::AeadAes256Gcm,
    Profile::Aes256CmHmacSha1_80,
    Profile::Aes256CmHmacSha1_32,
];

impl Profile {
    /// The profile of a DTLS-SRTP protection profile id (the `use_srtp` extension,
    /// RFC 5764 §4.1.2, RFC 7714 §14.2), `None` for ids this crate does not implement.
    #[must_use]
    pub fn from_dtls_id(id: u16) -> Option<Self> {
        ALL_PROFILES.into_iter().find(|p| p.dtls_id() == Some(id))
    }

    /// The DTLS-SRTP protection profile id. The AES-256-CM suites have none: RFC 6188
    /// registers them for SDES only.
    #[must_use]
    pub fn dtls_id(self) -> Option<u16> {
        match self {
            Self::AesCm128HmacSha1_80 => Some(0x0001),
            Self::AesCm128HmacSha1_32 => Some(0x0002),
            Self::NullHmacSha1_80 => Some(0x0005),
            Self::NullHmacSha1_32 => Some(0x0006),
            Self::AeadAes128Gcm => Some(0x0007),
            Self::AeadAes256Gcm => Some(0x0008),
            Self::Aes256CmHmacSha1_80 | Self::Aes256CmHmacSha1_32 => None,
        }
    }

    /// The profile of an SDES crypto suite name (`a=crypto:1 AES_CM_128_HMAC_SHA1_80 ...`),
    /// compared exactly as registered (RFC 4568 §6.2 names are case-sensitive tokens).
    #[must_use]
    pub fn from_sdes_name(name: &str) -> Option<Self> {
        ALL_PROFILES
            .into_iter()
            .find(|p| p.sdes_name() == Some(name))
    }

    /// The SDES crypto suite name. The NULL profiles have none: the IANA "SRTP Crypto Suite
    /// Registrations" registry lists no NULL cipher suite.
    #[must_use]
    pub fn sdes_name(self) -> Option<&'static str> {
        match self {
            Self::AesCm128HmacSha1_80 => Some("AES_CM_128_HMAC_SHA1_80"),
            Self::AesCm128HmacSha1_32 => Some("AES_CM_128_HMAC_SHA1_32"),
            Self::Aes256CmHmacSha1_80 => Some("AES_256_CM_HMAC_SHA1_80"),
            Self::Aes256CmHmacSha1_32 => Some("AES_256_CM_HMAC_SHA1_32"),
            Self::AeadAes128Gcm => Some("AEAD_AES_128_GCM"),
            Self::AeadAes256Gcm => Some("AEAD_AES_256_GCM"),
            Self::NullHmacSha1_80 | Self::NullHmacSha1_32 => None,
        }
    }

    /// The DTLS-SRTP registry name (`SRTP_AES128_CM_HMAC_SHA1_80`, ...), or for the SDES-only
    /// AES-256-CM suites their SDES name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::AesCm128HmacSha1_80 => "SRTP_AES128_CM_HMAC_SHA1_80",
            Self::AesCm128HmacSha1_32 => "SRTP_AES128_CM_HMAC_SHA1_32",
            Self::NullHmacSha1_80 => "SRTP_NULL_HMAC_SHA1_80",
            Self::NullHmacSha1_32 => "SRTP_NULL_HMAC_SHA1_32",
            Self::AeadAes128Gcm => "SRTP_AEAD_AES_128_GCM",
            Self::AeadAes256Gcm => "SRTP_AEAD_AES_256_GCM",
            Self::Aes256CmHmacSha1_80 => "AES_256_CM_HMAC_SHA1_80",
            Self::Aes256CmHmacSha1_32 => "AES_256_CM_HMAC_SHA1_32",
        }
    }

    pub(crate) fn cipher(self) -> CipherKind {
        match self {
            Self::AesCm128HmacSha1_80 | Self::AesCm128HmacSha1_32 => CipherKind::AesCm(16),
            Self::Aes256CmHmacSha1_80 | Self::Aes256CmHmacSha1_32 => CipherKind::AesCm(32),
            Self::AeadAes128Gcm => CipherKind::AesGcm(16),
            Self::AeadAes256Gcm => CipherKind::AesGcm(32),
            Self::NullHmacSha1_80 | Self::NullHmacSha1_32 => CipherKind::Null,
        }
    }

    /// Whether the profile is an AEAD (RFC 7714): one tag from the cipher, no HMAC.
    #[must_use]
    pub fn is_aead(self) -> bool {
        matches!(self.cipher(), CipherKind::AesGcm(_))
    }

    /// Whether the profile encrypts (everything but the NULL profiles).
    #[must_use]
    pub fn encrypts(self) -> bool {
        self.cipher() != CipherKind::Null
    }

    /// Master key length in bytes. RFC 5764 §4.1.2 gives the NULL profiles a
    /// `cipher_key_length` of 0, but their authentication key is still derived with the
    /// AES-128 PRF of RFC 3711 §4.3.3, so they take a 128-bit master key and a 112-bit master
    /// salt, as libsrtp does.
    #[must_use]
    pub fn master_key_len(self) -> usize {
        match self.cipher() {
            CipherKind::AesCm(n) | CipherKind::AesGcm(n) => n,
            CipherKind::Null => 16,
        }
    }

    /// Master salt length in bytes: 112 bits for counter mode (RFC 3711 §8.2), 96 bits for GCM
    /// (RFC 7714 §14.2 `cipher_salt_length`).
    #[must_use]
    pub fn master_salt_len(self) -> usize {
        if self.is_aead() {
            12
        } else {
            14
        }
    }

    /// Session salt length in bytes (the same as the master salt's for every profile).
    #[must_use]
    pub fn session_salt_len(self) -> usize {
        self.master_salt_len()
    }

    /// Session encryption key length in bytes (0 for the NULL cipher).
    #[must_use]
    pub fn session_key_len(self) -> usize {
        match self.cipher() {
            CipherKind::AesCm(n) | CipherKind::AesGcm(n) => n,
            CipherKind::Null => 0,
        }
    }

    /// Session authentication key length in bytes: 160 bits for HMAC-SHA1 (RFC 3711 §8.2), 0
    /// for AEAD profiles, which authenticate with the cipher.
    #[must_use]
    pub fn session_auth_key_len(self) -> usize {
        if self.is_aead() {
            0
        } else {
            20
        }
    }

    /// Length in bytes of the SRTP authentication tag.
    #[must_use]
    pub fn rtp_tag_len(self) -> usize {
        match self {
            Self::AesCm128HmacSha1_32 | Self::Aes256CmHmacSha1_32 | Self::NullHmacSha1_32 => 4,
            Self::AeadAes128Gcm | Self::AeadAes256Gcm => 16,
            Self::AesCm128HmacSha1_80 | Self::Aes256CmHmacSha1_80 | Self::NullHmacSha1_80 => 10,
        }
    }

    /// Length in bytes of the SRTCP authentication tag: 80 bits under every HMAC-SHA1 profile,
    /// `_32` included (RFC 5764 §4.1.2, RFC 6188 §6), 16 bytes under GCM.
    #[must_use]
    pub fn rtcp_tag_len(self) -> usize {
        if self.is_aead() {
            16
        } else {
            10
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtls_ids_round_trip() {
        for (id, p) in [
            (0x0001, Profile::AesCm128HmacSha1_80),
            (0x0002, Profile::AesCm128HmacSha1_32),
            (0x0005, Profile::NullHmacSha1_80),
            (0x0006, Profile::NullHmacSha1_32),
            (0x0007, Profile::AeadAes128Gcm),
            (0x0008, Profile::AeadAes256Gcm),
        ] {
            assert_eq!(Profile::from_dtls_id(id), Some(p));
            assert_eq!(p.dtls_id(), Some(id));
        }
        for id in [0x0000, 0x0003, 0x0004, 0x0009, 0xffff] {
            assert_eq!(Profile::from_dtls_id(id), None);
        }
    }

    #[test]
    fn sdes_names_round_trip() {
        for (name, p) in [
            ("AES_CM_128_HMAC_SHA1_80", Profile::AesCm128HmacSha1_80),
            ("AES_CM_128_HMAC_SHA1_32", Profile::AesCm128HmacSha1_32),
            ("AES_256_CM_HMAC_SHA1_80", Profile::Aes256CmHmacSha1_80),
            ("AES_256_CM_HMAC_SHA1_32", Profile::Aes256CmHmacSha1_32),
            ("AEAD_AES_128_GCM", Profile::AeadAes128Gcm),
            ("AEAD_AES_256_GCM", Profile::AeadAes256Gcm),
        ] {
            assert_eq!(Profile::from_sdes_name(name), Some(p));
            assert_eq!(p.sdes_name(), Some(name));
        }
        for name in [
            "aes_cm_128_hmac_sha1_80",
            "F8_128_HMAC_SHA1_80",
            "NULL_HMAC_SHA1_80",
            "",
        ] {
            assert_eq!(Profile::from_sdes_name(name), None);
        }
    }

    #[test]
    fn lengths() {
        let table: [(Profile, usize, usize, usize, usize); 8] = [
            (Profile::AesCm128HmacSha1_80, 16, 14, 10, 10),
            (Profile::AesCm128HmacSha1_32, 16, 14, 4, 10),
            (Profile::NullHmacSha1_80, 16, 14, 10, 10),
            (Profile::NullHmacSha1_32, 16, 14, 4, 10),
            (Profile::AeadAes128Gcm, 16, 12, 16, 16),
            (Profile::AeadAes256Gcm, 32, 12, 16, 16),
            (Profile::Aes256CmHmacSha1_80, 32, 14, 10, 10),
            (Profile::Aes256CmHmacSha1_32, 32, 14, 4, 10),
        ];
        for (p, key, salt, rtp_tag, rtcp_tag) in table {
            assert_eq!(
                (
                    p.master_key_len(),
                    p.master_salt_len(),
                    p.rtp_tag_len(),
                    p.rtcp_tag_len()
                ),
                (key, salt, rtp_tag, rtcp_tag),
                "{p}"
            );
        }
        assert_eq!(Profile::NullHmacSha1_80.session_key_len(), 0);
        assert_eq!(Profile::AeadAes128Gcm.session_auth_key_len(), 0);
        assert_eq!(Profile::Aes256CmHmacSha1_80.session_auth_key_len(), 20);
    }
}
