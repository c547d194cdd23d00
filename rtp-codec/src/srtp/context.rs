//! The SRTP/SRTCP cryptographic context (RFC 3711 §3.2): session keys of one master key and
//! the per-SSRC state (rollover counter, replay lists, SRTCP index).

use super::cipher::{Transform, GCM_TAG_LEN};
use super::replay::{estimate_index, ReplayWindow, MAX_REPLAY_WINDOW, MIN_REPLAY_WINDOW};
use super::{Profile, SrtpError};
use alloc::vec::Vec;
use core::fmt;

/// Longest MKI accepted (libsrtp's limit).
pub const MAX_MKI_LEN: usize = 128;
/// Largest SRTCP index: it is 31 bits (RFC 3711 §3.4).
const MAX_SRTCP_INDEX: u32 = 0x7fff_ffff;
/// The E flag of the SRTCP trailer: the packet is encrypted (RFC 3711 §3.4).
const E_FLAG: u32 = 0x8000_0000;
/// RTCP header plus sender SSRC, which SRTCP leaves unencrypted (RFC 3711 §3.4).
const RTCP_CLEAR_LEN: usize = 8;

/// Settings of a [`Context`] beyond its profile and keys.
///
/// ```
/// use rtp_codec::srtp::Config;
/// let config = Config::default().with_replay_window(256).with_max_ssrcs(16).with_mki(&[0, 1]);
/// assert_eq!((config.replay_window, config.max_ssrcs, &config.mki[..]), (256, 16, &[0, 1][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Replay window size in packets, for SRTP and SRTCP alike: 64 to 32768, default 128
    /// (RFC 3711 §3.3.2: "SRTP-WINDOW-SIZE ... MUST be at least 64"; libsrtp's default is
    /// 128).
    pub replay_window: usize,
    /// How many SSRCs the context tracks at most, default 64. A packet of a new SSRC beyond it
    /// is refused ([`SrtpError::TooManySsrcs`]) rather than allocated for.
    pub max_ssrcs: usize,
    /// The master key identifier written into and required on every packet (RFC 3711 §3.1),
    /// empty (the default) for none. At most [`MAX_MKI_LEN`] bytes.
    pub mki: Vec<u8>,
    /// An SRTCP tag shorter than the profile's, for senders that deviate from the RFC:
    /// under the `_32` profiles RFC 5764 §4.1.2 (and RFC 4568 §6.2 for SDES) keeps SRTCP's
    /// tag at 80 bits, yet some senders (ffmpeg's SRTP muxer) cut it to 32 as for SRTP.
    /// `None` (the default) is the profile's length; AEAD profiles take no other.
    pub srtcp_tag_len: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            replay_window: 128,
            max_ssrcs: 64,
            mki: Vec::new(),
            srtcp_tag_len: None,
        }
    }
}

impl Config {
    /// Sets the replay window size.
    #[must_use]
    pub fn with_replay_window(mut self, packets: usize) -> Self {
        self.replay_window = packets;
        self
    }

    /// Sets the maximum number of SSRCs.
    #[must_use]
    pub fn with_max_ssrcs(mut self, max: usize) -> Self {
        self.max_ssrcs = max;
        self
    }

    /// Sets the MKI.
    #[must_use]
    pub fn with_mki(mut self, mki: &[u8]) -> Self {
        self.mki = mki.to_vec();
        self
    }

    /// Sets a shorter SRTCP tag (see [`Config::srtcp_tag_len`]).
    #[must_use]
    pub fn with_srtcp_tag_len(mut self, bytes: usize) -> Self {
        self.srtcp_tag_len = Some(bytes);
        self
    }

    fn check(&self) -> Result<(), SrtpError> {
        if !(MIN_REPLAY_WINDOW..=MAX_REPLAY_WINDOW).contains(&self.replay_window) {
            return Err(SrtpError::Config {
                what: "replay window must be 64 to 32768 packets",
            });
        }
        if self.max_ssrcs == 0 {
            return Err(SrtpError::Config {
                what: "max_ssrcs must be at least 1",
            });
        }
        if self.mki.len() > MAX_MKI_LEN {
            return Err(SrtpError::Config {
                what: "MKI longer than 128 bytes",
            });
        }
        Ok(())
    }
}

/// The state of one SSRC.
#[derive(Debug, Clone)]
struct Stream {
    ssrc: u32,
    /// ROC assumed for the first SRTP packet each way (RFC 3711 §3.3.1: a receiver joining
    /// late learns it out of band; 0 otherwise).
    initial_roc: u32,
    /// Highest SRTP index protected.
    tx_top: Option<u64>,
    /// Replay list of SRTP indices authenticated; its top is the receiver's `ROC · 2^16 + s_l`.
    rx: ReplayWindow,
    /// Next SRTCP index to send.
    tx_rtcp_index: u32,
    /// Replay list of SRTCP indices authenticated.
    rx_rtcp: ReplayWindow,
}

impl Stream {
    fn new(ssrc: u32, window: usize) -> Self {
        Self {
            ssrc,
            initial_roc: 0,
            tx_top: None,
            rx: ReplayWindow::new(window),
            tx_rtcp_index: 0,
            rx_rtcp: ReplayWindow::new(window),
        }
    }
}

/// An SRTP/SRTCP crypto context: the session keys derived from one master key and salt under
/// one [`Profile`], and the state of each SSRC protected or unprotected with them.
///
/// A context serves one direction of one key: the sender protects with a context made from
/// its write key, the receiver unprotects with one made from the same key. Protect and
/// unprotect keep separate per-SSRC state (sent index, replay lists), so one context can also
/// do both, as a loopback test does; SRTP peers never share a key that way (RFC 5764 §4.2
/// gives each side its own write key).
///
/// Buffers: [`protect_rtp`](Self::protect_rtp) and [`protect_rtcp`](Self::protect_rtcp)
/// encrypt a `Vec<u8>` in place and append the trailer (SRTCP index, MKI, tag); reserve
/// [`rtp_overhead`](Self::rtp_overhead) / [`rtcp_overhead`](Self::rtcp_overhead) bytes and they
/// do not allocate. [`unprotect_rtp`](Self::unprotect_rtp) and
/// [`unprotect_rtcp`](Self::unprotect_rtcp) decrypt a `&mut [u8]` in place and return the
/// length of the plaintext at its start. On error the buffer is unchanged, and so is the
/// state: the rollover counter and the replay lists move only after a packet authenticated
/// (RFC 3711 §3.3.1: "After the packet has been processed and authenticated ..., the receiver
/// MUST use v to conditionally update its s_l and ROC"; §3.3.2: "After the packet has been
/// authenticated ..., the replay list SHALL be updated").
///
/// ```
/// use rtp_codec::srtp::{Context, Profile, SrtpError};
/// use rtp_codec::RtpPacketBuilder;
///
/// let (key, salt) = ([7u8; 16], [9u8; 14]);
/// let mut tx = Context::new(Profile::AesCm128HmacSha1_80, &key, &salt)?;
/// let mut rx = Context::new(Profile::AesCm128HmacSha1_80, &key, &salt)?;
///
/// let mut packet = Vec::new();
/// RtpPacketBuilder::new(96, 1, 3000, 0x1234).with_payload(b"hello").write_to(&mut packet).unwrap();
/// let plain = packet.clone();
/// tx.protect_rtp(&mut packet)?;
/// assert_eq!(packet.len(), plain.len() + 10);
///
/// let protected = packet.clone();
/// let n = rx.unprotect_rtp(&mut packet)?;
/// assert_eq!(packet[..n], plain[..]);
/// // The same packet again is a replay (RFC 3711 §3.3.2).
/// let mut again = protected.clone();
/// assert!(matches!(rx.unprotect_rtp(&mut again), Err(SrtpError::Replayed { .. })));
/// # Ok::<(), rtp_codec::srtp::SrtpError>(())
/// ```
#[derive(Clone)]
pub struct Context {
    profile: Profile,
    rtp: Transform,
    rtcp: Transform,
    mki: Vec<u8>,
    replay_window: usize,
    max_ssrcs: usize,
    /// Sorted by SSRC.
    streams: Vec<Stream>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The keys stay out of logs.
        f.debug_struct("Context")
            .field("profile", &self.profile)
            .field("mki", &self.mki)
            .field("replay_window", &self.replay_window)
            .field("ssrcs", &self.streams.len())
            .finish_non_exhaustive()
    }
}

impl Context {
    /// A context with the default [`Config`] (no MKI, a 128-packet replay window, at most 64
    /// SSRCs).
    ///
    /// # Errors
    /// [`SrtpError::KeyLength`] when the master key or salt does not have the profile's
    /// length.
    pub fn new(profile: Profile, master_key: &[u8], master_salt: &[u8]) -> Result<Self, SrtpError> {
        Self::with_config(profile, master_key, master_salt, &Config::default())
    }

    /// A context with `config`. Derives the six session keys (RFC 3711 §4.3, key derivation
    /// rate 0) once.
    ///
    /// # Errors
    /// [`SrtpError::KeyLength`] for a master key or salt of the wrong length,
    /// [`SrtpError::Config`] for a replay window, SSRC bound or MKI out of range.
    pub fn with_config(
        profile: Profile,
        master_key: &[u8],
        master_salt: &[u8],
        config: &Config,
    ) -> Result<Self, SrtpError> {
        for (what, expected, actual) in [
            ("master key", profile.master_key_len(), master_key.len()),
            ("master salt", profile.master_salt_len(), master_salt.len()),
        ] {
            if expected != actual {
                return Err(SrtpError::KeyLength {
                    what,
                    expected,
                    actual,
                });
            }
        }
        config.check()?;
        let mut rtcp = Transform::derive(profile, master_key, master_salt, true);
        if let Some(n) = config.srtcp_tag_len {
            if profile.is_aead() || !(4..=profile.rtcp_tag_len()).contains(&n) {
                return Err(SrtpError::Config {
                    what: "srtcp_tag_len must be 4 up to the profile's tag length, and not AEAD",
                });
            }
            rtcp.set_tag_len(n);
        }
        Ok(Self::from_transforms(
            profile,
            Transform::derive(profile, master_key, master_salt, false),
            rtcp,
            config,
        ))
    }

    pub(crate) fn from_transforms(
        profile: Profile,
        rtp: Transform,
        rtcp: Transform,
        config: &Config,
    ) -> Self {
        Self {
            profile,
            rtp,
            rtcp,
            mki: config.mki.clone(),
            replay_window: config.replay_window,
            max_ssrcs: config.max_ssrcs,
            streams: Vec::new(),
        }
    }

    /// The profile.
    #[must_use]
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Bytes [`protect_rtp`](Self::protect_rtp) appends: MKI and tag.
    #[must_use]
    pub fn rtp_overhead(&self) -> usize {
        self.mki.len() + self.rtp.tag_len()
    }

    /// Bytes [`protect_rtcp`](Self::protect_rtcp) appends: SRTCP index, MKI and tag.
    #[must_use]
    pub fn rtcp_overhead(&self) -> usize {
        4 + self.mki.len() + self.rtcp.tag_len()
    }

    /// The rollover counter of `ssrc`: that of the highest SRTP index protected or
    /// authenticated, or the one set with [`set_roc`](Self::set_roc) before any packet.
    /// `None` for an SSRC the context has no state for.
    #[must_use]
    pub fn roc(&self, ssrc: u32) -> Option<u32> {
        let s = &self.streams[self.find(ssrc).ok()?];
        let top = s.tx_top.max(s.rx.top());
        Some(top.map_or(s.initial_roc, |t| (t >> 16) as u32))
    }

    /// Sets the rollover counter for `ssrc`, for a receiver that joins a stream late and
    /// learns the ROC out of band (RFC 3711 §3.3.1). The SSRC's SRTP state starts over: the
    /// next packet each way gets the index `roc · 2^16 + SEQ`, and its replay list is emptied.
    ///
    /// # Errors
    /// [`SrtpError::TooManySsrcs`] when `ssrc` is new and the context is full.
    pub fn set_roc(&mut self, ssrc: u32, roc: u32) -> Result<(), SrtpError> {
        let i = self.find_or_insert(ssrc)?;
        let s = &mut self.streams[i];
        s.initial_roc = roc;
        s.tx_top = None;
        s.rx = ReplayWindow::new(self.replay_window);
        Ok(())
    }

    /// Sets the SRTCP index the next SRTCP packet of `ssrc` is sent with (RFC 3711 §3.4: it
    /// starts at 0; libsrtp starts at 1).
    ///
    /// # Errors
    /// [`SrtpError::Config`] when `index` exceeds 31 bits, [`SrtpError::TooManySsrcs`] when
    /// `ssrc` is new and the context is full.
    pub fn set_srtcp_index(&mut self, ssrc: u32, index: u32) -> Result<(), SrtpError> {
        if index > MAX_SRTCP_INDEX {
            return Err(SrtpError::Config {
                what: "SRTCP index exceeds 31 bits",
            });
        }
        let i = self.find_or_insert(ssrc)?;
        self.streams[i].tx_rtcp_index = index;
        Ok(())
    }

    fn find(&self, ssrc: u32) -> Result<usize, usize> {
        self.streams.binary_search_by_key(&ssrc, |s| s.ssrc)
    }

    fn find_or_insert(&mut self, ssrc: u32) -> Result<usize, SrtpError> {
        match self.find(ssrc) {
            Ok(i) => Ok(i),
            Err(i) => {
                self.room()?;
                self.streams
                    .insert(i, Stream::new(ssrc, self.replay_window));
                Ok(i)
            }
        }
    }

    fn room(&self) -> Result<(), SrtpError> {
        if self.streams.len() >= self.max_ssrcs {
            return Err(SrtpError::TooManySsrcs {
                max: self.max_ssrcs,
            });
        }
        Ok(())
    }

    /// The stream of a packet being unprotected: its position if known, else (after checking
    /// there is room) where it would go; state for a new SSRC is made only once a packet of
    /// it authenticated, so forged packets cannot fill the table.
    fn rx_stream(&self, ssrc: u32) -> Result<Result<usize, usize>, SrtpError> {
        let found = self.find(ssrc);
        if found.is_err() {
            self.room()?;
        }
        Ok(found)
    }

    fn rx_stream_commit(&mut self, found: Result<usize, usize>, ssrc: u32) -> &mut Stream {
        let i = match found {
            Ok(i) => i,
            Err(i) => {
                self.streams
                    .insert(i, Stream::new(ssrc, self.replay_window));
                i
            }
        };
        &mut self.streams[i]
    }

    /// Protects an RTP packet in place (RFC 3711 §3.3, RFC 7714 §8): encrypts the payload
    /// (everything after the header, CSRCs and header extension; padding included) and
    /// appends the MKI and the tag. For GCM the tag follows the ciphertext and the MKI comes
    /// last (as libsrtp writes it).
    ///
    /// The packet index is estimated from the sequence number as on receipt (RFC 3711
    /// §3.3.1), so a sender's ROC increments when its sequence number wraps. Protecting the
    /// same SSRC and sequence number twice is not refused (a retransmission of the same
    /// plaintext gives the same bytes), but two different payloads under one index reuse
    /// the keystream (RFC 3711 §9.1): send retransmissions on their own SSRC (RFC 4588).
    ///
    /// # Errors
    /// [`SrtpError::TooShort`] / [`SrtpError::Invalid`] for a packet without a complete RTP
    /// header of version 2, [`SrtpError::TooManySsrcs`], [`SrtpError::IndexExhausted`] when
    /// the ROC would pass 2^32 - 1.
    pub fn protect_rtp(&mut self, packet: &mut Vec<u8>) -> Result<(), SrtpError> {
        let hdr = rtp_header_len(packet)?;
        let (seq, ssrc) = rtp_seq_ssrc(packet);
        let i = self.find_or_insert(ssrc)?;
        let s = &mut self.streams[i];
        let index = match s.tx_top {
            None => (u64::from(s.initial_roc) << 16) | u64::from(seq),
            Some(top) => estimate_index(top, seq)?,
        };
        s.tx_top = s.tx_top.max(Some(index));
        packet.reserve(self.rtp_overhead());
        if self.rtp.is_aead() {
            // RFC 7714 §8: the AAD is the header, CSRCs and extension; the plaintext the rest.
            let (header, payload) = packet.split_at_mut(hdr);
            let tag = self.rtp.seal(ssrc, index, header, payload);
            packet.extend_from_slice(&tag);
            packet.extend_from_slice(&self.mki);
        } else {
            self.rtp.apply_cm(ssrc, index, &mut packet[hdr..]);
            // RFC 3711 §4.2: "M = Authenticated Portion || ROC"; the MKI is not authenticated.
            let roc = ((index >> 16) as u32).to_be_bytes();
            let mut tag = [0u8; 10];
            let tag = &mut tag[..self.rtp.tag_len()];
            self.rtp.sign(&[packet, &roc], tag);
            packet.extend_from_slice(&self.mki);
            packet.extend_from_slice(tag);
        }
        Ok(())
    }

    /// Unprotects an SRTP packet in place (RFC 3711 §3.3, RFC 7714 §8): estimates the index,
    /// checks the replay list, the MKI and the tag, decrypts, and then (only then) moves the
    /// ROC and the replay list. Returns the length of the RTP packet now at the start of
    /// `packet`.
    ///
    /// # Errors
    /// [`SrtpError::TooShort`] when the packet cannot hold its header, MKI and tag,
    /// [`SrtpError::Invalid`] for an RTP version other than 2, [`SrtpError::BadMki`],
    /// [`SrtpError::Replayed`], [`SrtpError::TooOld`], [`SrtpError::AuthenticationFailed`],
    /// [`SrtpError::TooManySsrcs`] for an SSRC beyond the bound.
    pub fn unprotect_rtp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let len = packet.len();
        let tag_len = self.rtp.tag_len();
        let trailer = tag_len + self.mki.len();
        let hdr = rtp_header_len(packet)?;
        if len < hdr + trailer {
            return Err(SrtpError::TooShort {
                needed: hdr + trailer,
                available: len,
            });
        }
        let (seq, ssrc) = rtp_seq_ssrc(packet);
        let aead = self.rtp.is_aead();
        // CM: payload || MKI || tag. GCM: ciphertext || tag || MKI.
        let mki_at = if aead {
            len - self.mki.len()
        } else {
            len - trailer
        };
        if packet[mki_at..mki_at + self.mki.len()] != self.mki[..] {
            return Err(SrtpError::BadMki);
        }
        let found = self.rx_stream(ssrc)?;
        let index = match found {
            Ok(i) => {
                let s = &self.streams[i];
                match s.rx.top() {
                    Some(top) => estimate_index(top, seq)?,
                    None => (u64::from(s.initial_roc) << 16) | u64::from(seq),
                }
            }
            Err(_) => u64::from(seq),
        };
        if let Ok(i) = found {
            self.streams[i].rx.check(index)?;
        }
        let end = len - trailer;
        if aead {
            let (header, rest) = packet.split_at_mut(hdr);
            let (ciphertext, tag) = rest[..end + tag_len - hdr].split_at_mut(end - hdr);
            if !self.rtp.open(ssrc, index, header, ciphertext, tag) {
                return Err(SrtpError::AuthenticationFailed);
            }
        } else {
            let roc = ((index >> 16) as u32).to_be_bytes();
            if !self
                .rtp
                .verify(&[&packet[..end], &roc], &packet[len - tag_len..])
            {
                return Err(SrtpError::AuthenticationFailed);
            }
            self.rtp.apply_cm(ssrc, index, &mut packet[hdr..end]);
        }
        self.rx_stream_commit(found, ssrc).rx.accept(index);
        Ok(end)
    }

    /// Protects a (compound) RTCP packet in place (RFC 3711 §3.4, RFC 7714 §9): encrypts all
    /// but the first 8 bytes (header and sender SSRC) and appends `E || SRTCP index`, the MKI
    /// and the tag (for GCM: tag, `E || index`, MKI). The NULL profiles send `E = 0`, as
    /// libsrtp does.
    ///
    /// # Errors
    /// [`SrtpError::TooShort`] for fewer than 8 bytes, [`SrtpError::Invalid`] for a version
    /// other than 2, [`SrtpError::TooManySsrcs`], [`SrtpError::IndexExhausted`] after 2^31
    /// packets of one SSRC.
    pub fn protect_rtcp(&mut self, packet: &mut Vec<u8>) -> Result<(), SrtpError> {
        let ssrc = rtcp_ssrc(packet)?;
        let i = self.find_or_insert(ssrc)?;
        let s = &mut self.streams[i];
        let index = s.tx_rtcp_index;
        if index > MAX_SRTCP_INDEX {
            return Err(SrtpError::IndexExhausted);
        }
        s.tx_rtcp_index = index + 1;
        packet.reserve(self.rtcp_overhead());
        if self.rtcp.is_aead() {
            let trailer = (E_FLAG | index).to_be_bytes();
            // RFC 7714 §9: AAD = header and sender SSRC || E flag and SRTCP index.
            let mut aad = [0u8; RTCP_CLEAR_LEN + 4];
            aad[..RTCP_CLEAR_LEN].copy_from_slice(&packet[..RTCP_CLEAR_LEN]);
            aad[RTCP_CLEAR_LEN..].copy_from_slice(&trailer);
            let tag = self
                .rtcp
                .seal(ssrc, u64::from(index), &aad, &mut packet[RTCP_CLEAR_LEN..]);
            packet.extend_from_slice(&tag);
            packet.extend_from_slice(&trailer);
            packet.extend_from_slice(&self.mki);
        } else {
            let e = if self.rtcp.encrypts() { E_FLAG } else { 0 };
            self.rtcp
                .apply_cm(ssrc, u64::from(index), &mut packet[RTCP_CLEAR_LEN..]);
            packet.extend_from_slice(&(e | index).to_be_bytes());
            // RFC 3711 §3.4: the authenticated portion includes `E || SRTCP index`.
            let mut tag = [0u8; 10];
            let tag = &mut tag[..self.rtcp.tag_len()];
            self.rtcp.sign(&[packet], tag);
            packet.extend_from_slice(&self.mki);
            packet.extend_from_slice(tag);
        }
        Ok(())
    }

    /// Unprotects an SRTCP packet in place (RFC 3711 §3.4, RFC 7714 §9), encrypted (`E = 1`)
    /// or only authenticated (`E = 0`). Returns the length of the RTCP packet now at the
    /// start of `packet`.
    ///
    /// # Errors
    /// As [`unprotect_rtp`](Self::unprotect_rtp), with the SRTCP index in
    /// [`SrtpError::Replayed`] and [`SrtpError::TooOld`].
    pub fn unprotect_rtcp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let len = packet.len();
        let tag_len = self.rtcp.tag_len();
        let mki_len = self.mki.len();
        let needed = RTCP_CLEAR_LEN + 4 + mki_len + tag_len;
        if len < needed {
            return Err(SrtpError::TooShort {
                needed,
                available: len,
            });
        }
        let ssrc = rtcp_ssrc(packet)?;
        let aead = self.rtcp.is_aead();
        // CM: RTCP || E+index || MKI || tag. GCM: RTCP || tag || E+index || MKI.
        let (trailer_at, mki_at) = if aead {
            (len - mki_len - 4, len - mki_len)
        } else {
            (len - tag_len - mki_len - 4, len - tag_len - mki_len)
        };
        if packet[mki_at..mki_at + mki_len] != self.mki[..] {
            return Err(SrtpError::BadMki);
        }
        let trailer: [u8; 4] = packet[trailer_at..trailer_at + 4]
            .try_into()
            .expect("4 bytes");
        let word = u32::from_be_bytes(trailer);
        let (encrypted, index) = (word & E_FLAG != 0, word & MAX_SRTCP_INDEX);
        let found = self.rx_stream(ssrc)?;
        if let Ok(i) = found {
            self.streams[i].rx_rtcp.check(u64::from(index))?;
        }
        let end = if aead {
            let tag_at = trailer_at - tag_len;
            let mut tag = [0u8; GCM_TAG_LEN];
            tag.copy_from_slice(&packet[tag_at..trailer_at]);
            let ok = if encrypted {
                let mut aad = [0u8; RTCP_CLEAR_LEN + 4];
                aad[..RTCP_CLEAR_LEN].copy_from_slice(&packet[..RTCP_CLEAR_LEN]);
                aad[RTCP_CLEAR_LEN..].copy_from_slice(&trailer);
                self.rtcp.open(
                    ssrc,
                    u64::from(index),
                    &aad,
                    &mut packet[RTCP_CLEAR_LEN..tag_at],
                    &tag,
                )
            } else {
                // RFC 7714 §9, E = 0: the AAD is the whole RTCP packet || E || index, the
                // plaintext empty. Move the trailer next to the packet to make the AAD one
                // slice, then put the tag's first bytes back.
                packet.copy_within(trailer_at..trailer_at + 4, tag_at);
                let ok =
                    self.rtcp
                        .open(ssrc, u64::from(index), &packet[..tag_at + 4], &mut [], &tag);
                packet[tag_at..tag_at + 4].copy_from_slice(&tag[..4]);
                ok
            };
            if !ok {
                return Err(SrtpError::AuthenticationFailed);
            }
            tag_at
        } else {
            if !self
                .rtcp
                .verify(&[&packet[..trailer_at + 4]], &packet[len - tag_len..])
            {
                return Err(SrtpError::AuthenticationFailed);
            }
            if encrypted {
                self.rtcp.apply_cm(
                    ssrc,
                    u64::from(index),
                    &mut packet[RTCP_CLEAR_LEN..trailer_at],
                );
            }
            trailer_at
        };
        self.rx_stream_commit(found, ssrc)
            .rx_rtcp
            .accept(u64::from(index));
        Ok(end)
    }
}

/// Length of the RTP header with CSRCs and header extension (RFC 3550 §5.1, §5.3.1).
fn rtp_header_len(packet: &[u8]) -> Result<usize, SrtpError> {
    let too_short = |needed| SrtpError::TooShort {
        needed,
        available: packet.len(),
    };
    let Some(&b0) = packet.first() else {
        return Err(too_short(12));
    };
    if packet.len() < 12 {
        return Err(too_short(12));
    }
    if b0 >> 6 != 2 {
        return Err(SrtpError::Invalid {
            what: "RTP version",
        });
    }
    let mut len = 12 + 4 * usize::from(b0 & 0x0f);
    if b0 & 0x10 != 0 {
        let Some(ext) = packet.get(len..len + 4) else {
            return Err(too_short(len + 4));
        };
        len += 4 + 4 * usize::from(u16::from_be_bytes([ext[2], ext[3]]));
    }
    if packet.len() < len {
        return Err(too_short(len));
    }
    Ok(len)
}

fn rtp_seq_ssrc(packet: &[u8]) -> (u16, u32) {
    (
        u16::from_be_bytes([packet[2], packet[3]]),
        u32::from_be_bytes([packet[8], packet[9], packet[10], packet[11]]),
    )
}

/// The sender SSRC of an RTCP packet (RFC 3550 §6.4), checking the version.
fn rtcp_ssrc(packet: &[u8]) -> Result<u32, SrtpError> {
    let Some(head) = packet.first_chunk::<RTCP_CLEAR_LEN>() else {
        return Err(SrtpError::TooShort {
            needed: RTCP_CLEAR_LEN,
            available: packet.len(),
        });
    };
    if head[0] >> 6 != 2 {
        return Err(SrtpError::Invalid {
            what: "RTCP version",
        });
    }
    Ok(u32::from_be_bytes([head[4], head[5], head[6], head[7]]))
}
