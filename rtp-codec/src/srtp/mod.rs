//! SRTP and SRTCP ([RFC 3711]) with the AES-256 counter-mode suites ([RFC 6188]) and AES-GCM
//! ([RFC 7714]), sans-IO and in place on the caller's buffer.
//!
//! A [`Context`] holds the session keys derived from one master key and salt under one
//! [`Profile`] ([RFC 3711 §4.3], key derivation rate 0) and the state of each SSRC: the
//! rollover counter with the [RFC 3711 §3.3.1] index estimate, the [RFC 3711 §3.3.2] replay
//! lists for SRTP and SRTCP, the 31-bit SRTCP index with its E flag, and an optional MKI.
//!
//! * Protecting encrypts a `Vec<u8>` in place and appends the trailer; with the capacity
//!   reserved ([`Context::rtp_overhead`], [`Context::rtcp_overhead`]) nothing allocates.
//! * Unprotecting decrypts a `&mut [u8]` in place and returns the plaintext length. The tag
//!   is checked (in constant time) before anything is decrypted, and the ROC and replay lists
//!   move only after it passed; on error the buffer and the state are unchanged.
//! * Per-SSRC state is bounded ([`Config::max_ssrcs`]): a new SSRC beyond it is
//!   [`SrtpError::TooManySsrcs`], and a receiver makes state for a new SSRC only once one of
//!   its packets authenticated.
//! * Primitives are RustCrypto's (`aes`, `ctr`, `aes-gcm`, `hmac`, `sha1`, `subtle`), which pick
//!   AES-NI/CLMUL at run time.
//!
//! ```
//! use rtp_codec::srtp::{Context, Profile};
//!
//! // DTLS-SRTP negotiated profile 0x0007; the keys come from the exporter (RFC 5764 §4.2).
//! let profile = Profile::from_dtls_id(0x0007).unwrap();
//! let (key, salt) = (vec![1u8; profile.master_key_len()], vec![2u8; profile.master_salt_len()]);
//! let mut tx = Context::new(profile, &key, &salt)?;
//! let mut rx = Context::new(profile, &key, &salt)?;
//!
//! // An RTCP receiver report: header, sender SSRC, no report blocks.
//! let rr = [0x80, 201, 0, 1, 0, 0, 0, 42];
//! let mut packet = rr.to_vec();
//! tx.protect_rtcp(&mut packet)?;
//! assert_eq!(packet.len(), rr.len() + tx.rtcp_overhead());
//! assert_eq!(packet[..8], rr); // the header and sender SSRC stay in the clear
//! let n = rx.unprotect_rtcp(&mut packet)?;
//! assert_eq!(packet[..n], rr);
//! # Ok::<(), rtp_codec::srtp::SrtpError>(())
//! ```
//!
//! Not implemented: key derivation rates other than 0, AES-F8, header extension encryption
//! (RFC 6904, RFC 9335) and the double encryption of RFC 8723.
//!
//! [RFC 3711]: https://www.rfc-editor.org/rfc/rfc3711
//! [RFC 6188]: https://www.rfc-editor.org/rfc/rfc6188
//! [RFC 7714]: https://www.rfc-editor.org/rfc/rfc7714
//! [RFC 3711 §4.3]: https://www.rfc-editor.org/rfc/rfc3711#section-4.3
//! [RFC 3711 §3.3.1]: https://www.rfc-editor.org/rfc/rfc3711#section-3.3.1
//! [RFC 3711 §3.3.2]: https://www.rfc-editor.org/rfc/rfc3711#section-3.3.2

mod cipher;
mod context;
mod error;
mod kdf;
mod profile;
mod replay;

pub use context::{Config, Context, MAX_MKI_LEN};
pub use error::SrtpError;
pub use profile::{Profile, ALL_PROFILES};
pub use replay::{MAX_REPLAY_WINDOW, MIN_REPLAY_WINDOW};

#[cfg(test)]
mod tests;
