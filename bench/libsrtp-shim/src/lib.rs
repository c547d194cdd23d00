//! The system libsrtp 2 (Cisco's C library, here Debian's `libsrtp2-dev`) behind a small safe
//! API, as a peer in the SRTP benchmark of `bench`.
//!
//! It is a crate of its own because the FFI needs `unsafe`, which the workspace lints forbid
//! (and `bench` keeps `#![forbid(unsafe_code)]`); here `unsafe_code` is "deny" and only the
//! private module `ffi` allows it. `src/shim.c` builds the `srtp_policy_t`, so no struct layout of
//! libsrtp is copied into Rust.

use std::fmt;

/// The SRTP profiles the benchmark compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `AES_CM_128_HMAC_SHA1_80` (`srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80`).
    AesCm128HmacSha1_80,
    /// `AEAD_AES_128_GCM` (`srtp_crypto_policy_set_aes_gcm_128_16_auth`).
    AeadAes128Gcm,
}

impl Profile {
    fn id(self) -> i32 {
        match self {
            Self::AesCm128HmacSha1_80 => 1,
            Self::AeadAes128Gcm => 7,
        }
    }

    /// Length of master key || master salt.
    #[must_use]
    pub fn key_and_salt_len(self) -> usize {
        match self {
            Self::AesCm128HmacSha1_80 => 30,
            Self::AeadAes128Gcm => 28,
        }
    }
}

/// Which packets a session takes: sent ones (`ssrc_any_outbound`) or received ones
/// (`ssrc_any_inbound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Protects.
    Outbound,
    /// Unprotects.
    Inbound,
}

/// A libsrtp error status (`srtp_err_status_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub i32);

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            1 => "fail",
            2 => "bad_param",
            3 => "alloc_fail",
            7 => "auth_fail",
            9 => "replay_fail",
            10 => "replay_old",
            _ => "other",
        };
        write!(f, "libsrtp error {} ({name})", self.0)
    }
}

impl std::error::Error for Status {}

/// One libsrtp session (`srtp_t`) with one policy for any SSRC of one direction.
pub struct Session {
    raw: ffi::Raw,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

impl Session {
    /// A session for `profile` keyed with `key_and_salt` (master key || master salt), with a
    /// replay window of `window` packets (libsrtp's default is 128).
    ///
    /// # Errors
    /// libsrtp's status when `srtp_init` or `srtp_create` fails.
    ///
    /// # Panics
    /// When `key_and_salt` does not have the profile's length.
    pub fn new(
        profile: Profile,
        direction: Direction,
        key_and_salt: &[u8],
        window: u32,
    ) -> Result<Self, Status> {
        assert_eq!(key_and_salt.len(), profile.key_and_salt_len());
        let raw = ffi::create(
            profile.id(),
            direction == Direction::Inbound,
            key_and_salt,
            window,
        )?;
        Ok(Self { raw })
    }

    /// `srtp_protect` in place: encrypts and appends the tag.
    ///
    /// # Errors
    /// libsrtp's status (for example `replay_fail` for an index protected before).
    pub fn protect_rtp(&mut self, packet: &mut Vec<u8>) -> Result<(), Status> {
        ffi::protect(&mut self.raw, packet, false)
    }

    /// `srtp_protect_rtcp` in place: encrypts and appends `E || index` and the tag.
    ///
    /// # Errors
    /// libsrtp's status.
    pub fn protect_rtcp(&mut self, packet: &mut Vec<u8>) -> Result<(), Status> {
        ffi::protect(&mut self.raw, packet, true)
    }

    /// `srtp_unprotect` in place; returns the length of the RTP packet.
    ///
    /// # Errors
    /// libsrtp's status (`auth_fail`, `replay_fail`, `replay_old`, ...).
    pub fn unprotect_rtp(&mut self, packet: &mut [u8]) -> Result<usize, Status> {
        ffi::unprotect(&mut self.raw, packet, false)
    }

    /// `srtp_unprotect_rtcp` in place; returns the length of the RTCP packet.
    ///
    /// # Errors
    /// libsrtp's status.
    pub fn unprotect_rtcp(&mut self, packet: &mut [u8]) -> Result<usize, Status> {
        ffi::unprotect(&mut self.raw, packet, true)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        ffi::dealloc(&mut self.raw);
    }
}

/// The calls into libsrtp; the only `unsafe` code of the crate.
#[allow(unsafe_code)]
mod ffi {
    use super::Status;
    use std::ffi::{c_int, c_uchar, c_ulong, c_void};
    use std::ptr::NonNull;
    use std::sync::Once;

    /// An `srtp_t`, owned.
    pub(super) struct Raw(NonNull<c_void>);

    extern "C" {
        fn srtp_init() -> c_int;
        fn srtp_dealloc(session: *mut c_void) -> c_int;
        fn srtp_protect(session: *mut c_void, packet: *mut c_void, len: *mut c_int) -> c_int;
        fn srtp_unprotect(session: *mut c_void, packet: *mut c_void, len: *mut c_int) -> c_int;
        fn srtp_protect_rtcp(session: *mut c_void, packet: *mut c_void, len: *mut c_int) -> c_int;
        fn srtp_unprotect_rtcp(session: *mut c_void, packet: *mut c_void, len: *mut c_int)
            -> c_int;
        // src/shim.c
        fn webrtc_wire_srtp_create(
            session: *mut *mut c_void,
            profile: c_int,
            inbound: c_int,
            key: *const c_uchar,
            window_size: c_ulong,
        ) -> c_int;
        fn webrtc_wire_srtp_max_trailer_len() -> c_ulong;
    }

    fn check(status: c_int) -> Result<(), Status> {
        if status == 0 {
            Ok(())
        } else {
            Err(Status(status))
        }
    }

    pub(super) fn create(
        profile: c_int,
        inbound: bool,
        key: &[u8],
        window: u32,
    ) -> Result<Raw, Status> {
        static INIT: Once = Once::new();
        let mut init = 0;
        // SAFETY: srtp_init takes no arguments; `Once` runs it once per process.
        INIT.call_once(|| init = unsafe { srtp_init() });
        check(init)?;
        let mut session = std::ptr::null_mut();
        // SAFETY: `session` is a valid out pointer; `key` holds the profile's key and salt
        // (checked by the caller) and libsrtp copies it before returning.
        let status = unsafe {
            webrtc_wire_srtp_create(
                &mut session,
                profile,
                c_int::from(inbound),
                key.as_ptr(),
                c_ulong::from(window),
            )
        };
        check(status)?;
        NonNull::new(session).map(Raw).ok_or(Status(1))
    }

    pub(super) fn dealloc(raw: &mut Raw) {
        // SAFETY: `raw` came from srtp_create and is deallocated once, by `Session::drop`.
        unsafe { srtp_dealloc(raw.0.as_ptr()) };
    }

    pub(super) fn protect(raw: &mut Raw, packet: &mut Vec<u8>, rtcp: bool) -> Result<(), Status> {
        // SAFETY: a constant of the library.
        let trailer = unsafe { webrtc_wire_srtp_max_trailer_len() } as usize + 4;
        packet.reserve(trailer);
        let mut len = c_int::try_from(packet.len()).map_err(|_| Status(2))?;
        let f = if rtcp {
            srtp_protect_rtcp
        } else {
            srtp_protect
        };
        // SAFETY: the buffer holds `len` initialised bytes and room for the longest trailer
        // libsrtp writes after them (SRTP_MAX_TRAILER_LEN, + 4 for SRTCP).
        let status = unsafe { f(raw.0.as_ptr(), packet.as_mut_ptr().cast(), &mut len) };
        check(status)?;
        let len = usize::try_from(len).map_err(|_| Status(1))?;
        assert!(len >= packet.len() && len <= packet.len() + trailer);
        // SAFETY: libsrtp wrote the bytes up to `len`, which is within the capacity.
        unsafe { packet.set_len(len) };
        Ok(())
    }

    pub(super) fn unprotect(raw: &mut Raw, packet: &mut [u8], rtcp: bool) -> Result<usize, Status> {
        let mut len = c_int::try_from(packet.len()).map_err(|_| Status(2))?;
        let f = if rtcp {
            srtp_unprotect_rtcp
        } else {
            srtp_unprotect
        };
        // SAFETY: the buffer holds `len` bytes; libsrtp only shortens the packet in place.
        let status = unsafe { f(raw.0.as_ptr(), packet.as_mut_ptr().cast(), &mut len) };
        check(status)?;
        let len = usize::try_from(len).map_err(|_| Status(1))?;
        assert!(len <= packet.len());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_both_profiles() {
        for profile in [Profile::AesCm128HmacSha1_80, Profile::AeadAes128Gcm] {
            let key = vec![7u8; profile.key_and_salt_len()];
            let mut tx = Session::new(profile, Direction::Outbound, &key, 128).unwrap();
            let mut rx = Session::new(profile, Direction::Inbound, &key, 128).unwrap();
            let rtp = [
                0x80, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0x12, 0x34, b'h', b'e', b'l', b'l', b'o',
            ];
            let mut p = rtp.to_vec();
            tx.protect_rtp(&mut p).unwrap();
            assert!(p.len() > rtp.len());
            let mut again = p.clone();
            let n = rx.unprotect_rtp(&mut p).unwrap();
            assert_eq!(p[..n], rtp);
            assert_eq!(rx.unprotect_rtp(&mut again), Err(Status(9)));
            let rr = [0x80, 201, 0, 1, 0, 0, 0, 42];
            let mut p = rr.to_vec();
            tx.protect_rtcp(&mut p).unwrap();
            let n = rx.unprotect_rtcp(&mut p).unwrap();
            assert_eq!(p[..n], rr);
        }
    }
}
