//! The SRTP key ring of `rtc-inspect`: every key the user has (a key log with the DTLS
//! handshakes of the capture, SDES `a=crypto` lines, raw keys from server logs), and which
//! key decrypts which direction of which flow.
//!
//! Keys are matched by trial authentication: a packet is unprotected with the key already
//! bound to its direction (source → destination), else with each key that applies to it,
//! and the first that authenticates is bound. A failed trial leaves a key's state unchanged
//! (`rtp_codec::srtp`), so trying costs nothing but time. Every packet gets a [`Verdict`];
//! one that fails says which keys were tried.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;

use base64::Engine as _;
use rtp_codec::srtp::{Config, Context, Profile, SrtpError};

use super::dtls_srtp::{Association, Handshakes};
use super::keylog::KeyLog;

/// Bound directions remembered at most (bounded memory on long captures).
const MAX_BOUND: usize = 100_000;
/// Keys held at most (a key log with many handshakes gives two per association).
const MAX_KEYS: usize = 8192;

/// What became of one SRTP or SRTCP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Authenticated and decrypted.
    Ok,
    /// No key authenticates it (every key that applies was tried).
    AuthFailed,
    /// Its index was already received with this key (RFC 3711 §3.3.2).
    Replayed,
    /// Its index is behind the replay window.
    TooOld,
    /// No key applies to this flow.
    NoKey,
    /// Too short for its profile's trailer, or not an RTP/RTCP header.
    Malformed,
}

impl Verdict {
    /// The JSON name: `"ok"`, `"auth-failed"`, `"replayed"`, `"too-old"`, `"no-key"`,
    /// `"malformed"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::AuthFailed => "auth-failed",
            Self::Replayed => "replayed",
            Self::TooOld => "too-old",
            Self::NoKey => "no-key",
            Self::Malformed => "malformed",
        }
    }
}

/// The result of [`KeyRing::unprotect`].
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The verdict.
    pub verdict: Verdict,
    /// Where the key that decided came from (for `Ok`, `Replayed`, `TooOld`).
    pub key: Option<&'a str>,
    /// For failures: what was tried and why it failed.
    pub detail: Option<String>,
    /// For `Ok`: the plaintext RTP or RTCP packet.
    pub plain: Option<&'a [u8]>,
}

/// Which packets a key may decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applies {
    /// Packets from the first address to the second (a DTLS side's write key).
    Direction(SocketAddr, SocketAddr),
    /// Packets from or to the address (`--srtp-key ADDR:PORT=...`).
    Address(SocketAddr),
    /// Any packet (SDES keys, whose SDP does not say which 5-tuple they are sent on).
    Any,
}

#[derive(Debug)]
struct Key {
    origin: String,
    ctx: Context,
    applies: Applies,
    /// Under the `_32` profiles, a context that reads SRTCP with a 32-bit tag: tried when
    /// the standard 80-bit tag fails, to tell such a sender apart from a wrong key.
    short_rtcp: Option<Context>,
}

/// Keys and their bindings.
#[derive(Debug, Default)]
pub struct KeyRing {
    keylog: KeyLog,
    handshakes: Handshakes,
    keys: Vec<Key>,
    bound: HashMap<(SocketAddr, SocketAddr), usize>,
    scratch: Vec<u8>,
    configured: bool,
}

/// A key given by the user that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

fn context(profile: Profile, key_salt: &[u8], mki: &[u8]) -> Result<Context, SrtpError> {
    context_with(profile, key_salt, mki, None)
}

fn context_with(
    profile: Profile,
    key_salt: &[u8],
    mki: &[u8],
    srtcp_tag: Option<usize>,
) -> Result<Context, SrtpError> {
    let k = profile.master_key_len();
    let (key, salt) = key_salt.split_at(k.min(key_salt.len()));
    // A wide replay window and room for the SSRCs of a large conference: the inspector
    // should not call reordered packets replays.
    let mut config = Config::default()
        .with_replay_window(4096)
        .with_max_ssrcs(1024)
        .with_mki(mki);
    if let Some(n) = srtcp_tag {
        config = config.with_srtcp_tag_len(n);
    }
    Context::with_config(profile, key, salt, &config)
}

/// The 32-bit-SRTCP-tag twin of a `_32` profile's context.
fn short_rtcp(profile: Profile, key_salt: &[u8], mki: &[u8]) -> Option<Context> {
    (profile.rtp_tag_len() == 4 && profile.rtcp_tag_len() > 4)
        .then(|| context_with(profile, key_salt, mki, Some(4)).ok())
        .flatten()
}

/// Decodes base64 key material and checks its length against the profile.
fn key_material(profile: Profile, b64: &str) -> Result<Vec<u8>, KeyError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| KeyError(format!("key is not base64: {e}")))?;
    let want = profile.master_key_len() + profile.master_salt_len();
    if bytes.len() != want {
        return Err(KeyError(format!(
            "{profile} needs {want} bytes of master key || salt, the key has {}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

impl KeyRing {
    /// An empty ring: every SRTP packet is `no-key`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether any key source was given: without one, packets get no verdict at all.
    #[must_use]
    pub fn is_configured(&self) -> bool {
        self.configured
    }

    /// Adds the lines of an NSS key log; returns a warning per line not used. Keys for
    /// handshakes already seen are exported now.
    pub fn add_keylog(&mut self, text: &str) -> Vec<String> {
        self.configured = true;
        let warnings = self
            .keylog
            .add_text(text)
            .into_iter()
            .map(|w| format!("line {}: {}", w.line, w.message))
            .collect();
        for a in self.handshakes.retry(&self.keylog) {
            self.add_association(&a);
        }
        warnings
    }

    /// Adds the keys of an SDES `a=crypto` attribute (RFC 4568 §6.1: the key its SDP's
    /// author sends with).
    ///
    /// # Errors
    /// An unknown suite, a key that is not base64 of the suite's length, a bad MKI.
    pub fn add_sdes(
        &mut self,
        suite: &str,
        key_params: &str,
        origin: &str,
    ) -> Result<(), KeyError> {
        self.configured = true;
        let profile = Profile::from_sdes_name(suite)
            .ok_or_else(|| KeyError(format!("unknown SRTP crypto-suite `{suite}`")))?;
        // RFC 4568 §9.1: "inline:" key-salt ["|" lifetime] ["|" MKI ":" length]; several
        // key-params may be separated by ";" (the first one is used here).
        let first = key_params.split(';').next().unwrap_or_default();
        let inline = first
            .strip_prefix("inline:")
            .ok_or_else(|| KeyError(format!("key-params `{first}` is not inline:")))?;
        let mut parts = inline.split('|');
        let material = key_material(profile, parts.next().unwrap_or_default())?;
        let mut mki = Vec::new();
        for p in parts {
            if let Some((value, len)) = p.split_once(':') {
                let value: u64 = value
                    .parse()
                    .map_err(|_| KeyError(format!("MKI value `{value}` is not a number")))?;
                let len: usize = len
                    .parse()
                    .ok()
                    .filter(|l| (1..=8).contains(l))
                    .ok_or_else(|| KeyError(format!("MKI length `{len}` is not 1 to 8")))?;
                mki = value.to_be_bytes()[8 - len..].to_vec();
            }
        }
        let ctx = context(profile, &material, &mki).map_err(|e| KeyError(e.to_string()))?;
        self.push(Key {
            origin: format!("{origin} a=crypto {suite}"),
            ctx,
            applies: Applies::Any,
            short_rtcp: short_rtcp(profile, &material, &mki),
        });
        Ok(())
    }

    /// Adds a raw key, `ADDR:PORT=PROFILE:BASE64` (master key || salt), for packets from
    /// or to that address.
    ///
    /// # Errors
    /// A value not of that form, an unknown profile, a key of the wrong length.
    pub fn add_raw(&mut self, spec: &str) -> Result<(), KeyError> {
        self.configured = true;
        let (addr, rest) = spec
            .split_once('=')
            .ok_or_else(|| KeyError(format!("`{spec}` is not ADDR:PORT=PROFILE:BASE64")))?;
        let addr: SocketAddr = addr
            .parse()
            .map_err(|_| KeyError(format!("`{addr}` is not an address and port")))?;
        let (name, b64) = rest
            .split_once(':')
            .ok_or_else(|| KeyError(format!("`{rest}` is not PROFILE:BASE64")))?;
        let profile = Profile::from_sdes_name(name)
            .or_else(|| profile_by_name(name))
            .ok_or_else(|| KeyError(format!("unknown SRTP profile `{name}`")))?;
        let material = key_material(profile, b64)?;
        let ctx = context(profile, &material, &[]).map_err(|e| KeyError(e.to_string()))?;
        self.push(Key {
            origin: format!("--srtp-key {addr} {profile}"),
            ctx,
            applies: Applies::Address(addr),
            short_rtcp: short_rtcp(profile, &material, &[]),
        });
        Ok(())
    }

    fn push(&mut self, key: Key) {
        if self.keys.len() < MAX_KEYS {
            self.keys.push(key);
        }
    }

    fn add_association(&mut self, a: &Association) {
        for k in &a.keys {
            for (from, to, material, side) in [
                (a.client, a.server, &k.client, "client"),
                (a.server, a.client, &k.server, "server"),
            ] {
                if let Ok(ctx) = context(k.profile, material, &[]) {
                    self.push(Key {
                        origin: format!("key log, {} {side} write key ({})", a.version, k.profile),
                        ctx,
                        applies: Applies::Direction(from, to),
                        short_rtcp: short_rtcp(k.profile, material, &[]),
                    });
                }
            }
        }
    }

    /// Follows a DTLS datagram's handshake; returns a note when it made keys.
    pub fn observe_dtls(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        data: &[u8],
    ) -> Option<String> {
        let a = self.handshakes.observe(src, dst, data, &self.keylog)?;
        let note = format!(
            "{} keys for {} (client) and {} (server): {}",
            a.version,
            a.client,
            a.server,
            a.keys
                .iter()
                .map(|k| k.profile.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.add_association(&a);
        Some(note)
    }

    fn applies(&self, i: usize, src: SocketAddr, dst: SocketAddr) -> bool {
        match self.keys[i].applies {
            Applies::Direction(a, b) => a == src && b == dst,
            Applies::Address(a) => a == src || a == dst,
            Applies::Any => true,
        }
    }

    /// Unprotects an SRTP (`rtcp` false) or SRTCP packet sent from `src` to `dst`.
    pub fn unprotect(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        rtcp: bool,
        data: &[u8],
    ) -> Outcome<'_> {
        let bound = self.bound.get(&(src, dst)).copied();
        let mut order: Vec<usize> = bound.into_iter().collect();
        order.extend(
            (0..self.keys.len()).filter(|&i| Some(i) != bound && self.applies(i, src, dst)),
        );
        if order.is_empty() {
            return Outcome {
                verdict: Verdict::NoKey,
                key: None,
                detail: Some("no key applies to this flow".to_owned()),
                plain: None,
            };
        }
        let mut tried = String::new();
        for i in order {
            self.scratch.clear();
            self.scratch.extend_from_slice(data);
            let ctx = &mut self.keys[i].ctx;
            let r = if rtcp {
                ctx.unprotect_rtcp(&mut self.scratch)
            } else {
                ctx.unprotect_rtp(&mut self.scratch)
            };
            match r {
                Ok(n) => {
                    if bound != Some(i) {
                        if self.bound.len() >= MAX_BOUND {
                            self.bound.clear();
                        }
                        self.bound.insert((src, dst), i);
                    }
                    return Outcome {
                        verdict: Verdict::Ok,
                        key: Some(&self.keys[i].origin),
                        detail: None,
                        plain: self.scratch.get(..n),
                    };
                }
                // The replay list is checked before the tag: only the key already bound to
                // this direction is trusted to say so.
                Err(e @ (SrtpError::Replayed { .. } | SrtpError::TooOld { .. }))
                    if bound == Some(i) =>
                {
                    let verdict = if matches!(e, SrtpError::Replayed { .. }) {
                        Verdict::Replayed
                    } else {
                        Verdict::TooOld
                    };
                    return Outcome {
                        verdict,
                        key: Some(&self.keys[i].origin),
                        detail: Some(e.to_string()),
                        plain: None,
                    };
                }
                Err(e @ (SrtpError::TooShort { .. } | SrtpError::Invalid { .. })) => {
                    return Outcome {
                        verdict: Verdict::Malformed,
                        key: None,
                        detail: Some(format!("{}: {e}", self.keys[i].origin)),
                        plain: None,
                    };
                }
                Err(e) => {
                    if !tried.is_empty() {
                        tried.push_str("; ");
                    }
                    let _ = write!(tried, "{}: {e}", self.keys[i].origin);
                }
            }
        }
        if rtcp {
            let applicable: Vec<usize> = (0..self.keys.len())
                .filter(|&i| self.applies(i, src, dst))
                .collect();
            for i in applicable {
                let Some(ctx) = self.keys[i].short_rtcp.as_mut() else {
                    continue;
                };
                self.scratch.clear();
                self.scratch.extend_from_slice(data);
                if let Ok(n) = ctx.unprotect_rtcp(&mut self.scratch) {
                    return Outcome {
                        verdict: Verdict::Ok,
                        key: Some(&self.keys[i].origin),
                        detail: Some(
                            "the sender cut the SRTCP tag to 32 bits; RFC 5764 §4.1.2 and \
                             RFC 4568 §6.2 keep it at 80 under the _32 profiles"
                                .to_owned(),
                        ),
                        plain: self.scratch.get(..n),
                    };
                }
            }
        }
        Outcome {
            verdict: Verdict::AuthFailed,
            key: None,
            detail: Some(format!("tried {tried}")),
            plain: None,
        }
    }
}

/// A profile by its DTLS-SRTP name (`SRTP_AES128_CM_HMAC_SHA1_80`, RFC 5764 §4.1.2; RFC
/// 7714 §14.2) or this crate's name of it.
fn profile_by_name(name: &str) -> Option<Profile> {
    rtp_codec::srtp::ALL_PROFILES
        .into_iter()
        .find(|p| p.name().eq_ignore_ascii_case(name) || p.to_string().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use rtp_codec::RtpPacketBuilder;

    fn packet(seq: u16) -> Vec<u8> {
        let mut p = Vec::new();
        RtpPacketBuilder::new(96, seq, 1000, 0xabcd)
            .with_payload(b"media")
            .write_to(&mut p)
            .unwrap();
        p
    }

    fn protect(key: &[u8], seq: u16) -> Vec<u8> {
        let mut tx = Context::new(Profile::AesCm128HmacSha1_80, &key[..16], &key[16..]).unwrap();
        let mut p = packet(seq);
        tx.protect_rtp(&mut p).unwrap();
        p
    }

    #[test]
    fn verdicts_bind_keys_by_trial_and_name_what_was_tried() {
        let (a, b): (SocketAddr, SocketAddr) =
            ("10.0.0.1:1".parse().unwrap(), "10.0.0.2:2".parse().unwrap());
        let good = [7u8; 30];
        let bad = [8u8; 30];
        let mut ring = KeyRing::new();
        assert!(!ring.is_configured());
        ring.add_sdes(
            "AES_CM_128_HMAC_SHA1_80",
            &format!("inline:{}", STANDARD.encode(bad)),
            "offer.sdp",
        )
        .unwrap();
        // Only the wrong key: auth-failed, naming it.
        let o = ring.unprotect(a, b, false, &protect(&good, 1));
        assert_eq!(o.verdict, Verdict::AuthFailed);
        assert!(o
            .detail
            .unwrap()
            .contains("offer.sdp a=crypto AES_CM_128_HMAC_SHA1_80"));
        ring.add_raw(&format!(
            "{b}=AES_CM_128_HMAC_SHA1_80:{}",
            STANDARD.encode(good)
        ))
        .unwrap();
        let o = ring.unprotect(a, b, false, &protect(&good, 2));
        assert_eq!(o.verdict, Verdict::Ok);
        assert_eq!(o.plain.unwrap(), &packet(2)[..]);
        assert!(o.key.unwrap().starts_with("--srtp-key 10.0.0.2:2"));
        // Bound now: the same packet again is a replay.
        let o = ring.unprotect(a, b, false, &protect(&good, 2));
        assert_eq!(o.verdict, Verdict::Replayed);
        // The raw key names 10.0.0.2:2; another flow has only the SDES key.
        let c: SocketAddr = "10.0.0.3:3".parse().unwrap();
        assert_eq!(
            ring.unprotect(a, c, false, &protect(&good, 3)).verdict,
            Verdict::AuthFailed
        );
        // A packet too short for the tag.
        assert_eq!(
            ring.unprotect(a, b, false, &packet(9)[..14]).verdict,
            Verdict::Malformed
        );
    }

    #[test]
    fn no_key_applies_without_keys_for_the_flow() {
        let mut ring = KeyRing::new();
        ring.add_keylog("");
        assert!(ring.is_configured());
        let a: SocketAddr = "10.0.0.1:1".parse().unwrap();
        assert_eq!(
            ring.unprotect(a, a, false, &packet(1)).verdict,
            Verdict::NoKey
        );
    }

    #[test]
    fn bad_keys_are_errors_that_say_why() {
        let mut ring = KeyRing::new();
        let e = ring
            .add_sdes("AES_CM_128_HMAC_SHA1_80", "inline:AAAA", "x")
            .unwrap_err();
        assert!(e.0.contains("needs 30 bytes"), "{e}");
        let e = ring
            .add_sdes("F8_128_HMAC_SHA1_80", "inline:AAAA", "x")
            .unwrap_err();
        assert!(e.0.contains("unknown SRTP crypto-suite"), "{e}");
        let e = ring.add_raw("nonsense").unwrap_err();
        assert!(e.0.contains("ADDR:PORT=PROFILE:BASE64"), "{e}");
        let key = STANDARD.encode([1u8; 28]);
        ring.add_raw(&format!("127.0.0.1:9=SRTP_AEAD_AES_128_GCM:{key}"))
            .unwrap();
        // MKI 1 of 4 bytes.
        let key = STANDARD.encode([1u8; 30]);
        ring.add_sdes(
            "AES_CM_128_HMAC_SHA1_32",
            &format!("inline:{key}|2^20|1:4"),
            "x",
        )
        .unwrap();
    }
}
