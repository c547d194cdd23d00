//! DTLS-SRTP keys from a capture and a key log: the handshakes of each DTLS association
//! are followed in clear (epoch 0: ClientHello and ServerHello), and once the key log holds
//! the handshake's secret, the SRTP master keys and salts are exported (RFC 5764 §4.2).
//!
//! * DTLS 1.2: the exporter of RFC 5705 §4 with the TLS 1.2 PRF (RFC 5246 §5), keyed by the
//!   master secret of the `CLIENT_RANDOM` line; the PRF hash is the cipher suite's (SHA-384
//!   for the `_SHA384` suites, SHA-256 otherwise). The profile is the one the ServerHello's
//!   `use_srtp` extension selected.
//! * DTLS 1.3: the exporter of RFC 8446 §7.5 keyed by the `EXPORTER_SECRET` line, with
//!   the `dtls13` label prefix of RFC 9147 §5.9. `use_srtp` is then in the encrypted
//!   EncryptedExtensions, so keys are exported for every profile the ClientHello offered and
//!   the key ring keeps the one that authenticates.
//!
//! Handshake messages split over several records are reassembled (RFC 6347 §4.2.3), up to
//! [`MAX_HELLO`] bytes; a HelloRetryRequest (RFC 8446 §4.1.3) is not taken for the
//! ServerHello.

use std::collections::HashMap;
use std::net::SocketAddr;

use hmac::{Hmac, Mac};
use rtp_codec::srtp::Profile;
use sha2::{Sha256, Sha384};

use super::keylog::KeyLog;

/// The largest ClientHello or ServerHello reassembled; longer ones are not followed.
pub const MAX_HELLO: usize = 1 << 16;
/// The most DTLS associations followed at once; later ones are not (bounded memory).
pub const MAX_ASSOCIATIONS: usize = 4096;

/// The label of the DTLS-SRTP exporter (RFC 5764 §4.2).
const LABEL: &[u8] = b"EXTRACTOR-dtls_srtp";
/// ServerHello.random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3).
const HELLO_RETRY_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];
/// `supported_versions` value of DTLS 1.3 (RFC 9147 §5.3).
const DTLS13: u16 = 0xfefc;

/// The SRTP master keys of one DTLS association under one profile.
#[derive(Clone, PartialEq, Eq)]
pub struct SrtpKeys {
    /// The profile they are for.
    pub profile: Profile,
    /// `client_write_SRTP_master_key || client_write_SRTP_master_salt`.
    pub client: Vec<u8>,
    /// `server_write_SRTP_master_key || server_write_SRTP_master_salt`.
    pub server: Vec<u8>,
}

impl std::fmt::Debug for SrtpKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrtpKeys")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// What a finished pair of hellos gives: who is the DTLS client, and the keys.
#[derive(Debug, Clone)]
pub struct Association {
    /// The DTLS client's address (it sent the ClientHello).
    pub client: SocketAddr,
    /// The DTLS server's address.
    pub server: SocketAddr,
    /// `"DTLS 1.2"` or `"DTLS 1.3"`.
    pub version: &'static str,
    /// The keys: one profile for DTLS 1.2, one per offered profile for DTLS 1.3.
    pub keys: Vec<SrtpKeys>,
}

/// The handshake of one association so far.
#[derive(Debug, Default)]
struct Handshake {
    client: Option<SocketAddr>,
    server: Option<SocketAddr>,
    client_random: Option<[u8; 32]>,
    offered: Vec<u16>,
    server_random: Option<[u8; 32]>,
    cipher_suite: u16,
    selected: Option<u16>,
    dtls13: bool,
    /// Fragments of the hello being reassembled: (message type, total length, pieces).
    pieces: Vec<(u8, usize, usize, Vec<u8>)>,
    /// Keys were exported (for this pair of randoms).
    exported: bool,
}

/// Follows the DTLS handshakes of a capture.
#[derive(Debug, Default)]
pub struct Handshakes {
    by_pair: HashMap<(SocketAddr, SocketAddr), Handshake>,
}

fn pair(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Handshakes {
    /// Reads the plaintext DTLS records of a datagram from `src` to `dst`, and returns the
    /// association when this datagram completed a pair of hellos whose secret `log` holds.
    pub fn observe(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        data: &[u8],
        log: &KeyLog,
    ) -> Option<Association> {
        let key = pair(src, dst);
        if !self.by_pair.contains_key(&key) && self.by_pair.len() >= MAX_ASSOCIATIONS {
            return None;
        }
        let h = self.by_pair.entry(key).or_default();
        for msg in handshake_messages(data, &mut h.pieces) {
            match msg.0 {
                1 => {
                    if let Some(ch) = parse_hello(&msg.1, true) {
                        if h.client_random != Some(ch.random) {
                            // A new handshake on this pair (or its first ClientHello).
                            *h = Handshake::default();
                        }
                        h.client = Some(src);
                        h.client_random = Some(ch.random);
                        h.offered = ch.profiles;
                    }
                }
                2 => {
                    if let Some(sh) = parse_hello(&msg.1, false) {
                        if sh.random == HELLO_RETRY_RANDOM {
                            continue;
                        }
                        if h.server_random == Some(sh.random) {
                            // A retransmitted flight (RFC 6347 §4.2.4).
                            continue;
                        }
                        h.server = Some(src);
                        h.server_random = Some(sh.random);
                        h.cipher_suite = sh.cipher_suite;
                        h.selected = sh.profiles.first().copied();
                        h.dtls13 = sh.dtls13;
                        h.exported = false;
                    }
                }
                _ => {}
            }
        }
        h.export(log)
    }

    /// Tries again, for every association whose keys were missing, with a key log that
    /// has grown (secrets embedded later in a pcapng).
    pub fn retry(&mut self, log: &KeyLog) -> Vec<Association> {
        self.by_pair
            .values_mut()
            .filter_map(|h| h.export(log))
            .collect()
    }
}

impl Handshake {
    /// The association's keys, once both hellos were seen and `log` holds the secret;
    /// `None` before that and after the keys were handed out once.
    fn export(&mut self, log: &KeyLog) -> Option<Association> {
        if self.exported {
            return None;
        }
        let (client, server) = (self.client?, self.server?);
        let (cr, sr) = (self.client_random?, self.server_random?);
        let keys: Vec<SrtpKeys> = if self.dtls13 {
            let secret = log.exporter_secret(&cr)?;
            self.offered
                .iter()
                .filter_map(|&id| Profile::from_dtls_id(id))
                .filter_map(|p| export_dtls13(p, self.cipher_suite, secret))
                .collect()
        } else {
            let secret = log.master_secret(&cr)?;
            let profile = Profile::from_dtls_id(self.selected?)?;
            vec![export_dtls12(profile, self.cipher_suite, secret, &cr, &sr)?]
        };
        if keys.is_empty() {
            return None;
        }
        self.exported = true;
        Some(Association {
            client,
            server,
            version: if self.dtls13 { "DTLS 1.3" } else { "DTLS 1.2" },
            keys,
        })
    }
}

/// One parsed hello.
#[derive(Debug)]
struct Hello {
    random: [u8; 32],
    cipher_suite: u16,
    /// `use_srtp` profiles: offered (ClientHello) or selected (ServerHello).
    profiles: Vec<u16>,
    /// `supported_versions` names DTLS 1.3 (ServerHello).
    dtls13: bool,
}

/// A reader over a byte slice that fails (with `None`) instead of panicking.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u24(&mut self) -> Option<usize> {
        self.take(3)
            .map(|b| usize::from(b[0]) << 16 | usize::from(b[1]) << 8 | usize::from(b[2]))
    }
    fn vec8(&mut self) -> Option<&'a [u8]> {
        let n = self.u8()?;
        self.take(usize::from(n))
    }
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(usize::from(n))
    }
}

/// The ClientHello (RFC 6347 §4.2.1: with a cookie) or ServerHello body.
fn parse_hello(body: &[u8], client: bool) -> Option<Hello> {
    let mut r = Reader(body);
    r.take(2)?; // (legacy_)version
    let random: [u8; 32] = r.take(32)?.try_into().ok()?;
    r.vec8()?; // session id
    let mut cipher_suite = 0;
    if client {
        r.vec8()?; // cookie
        r.vec16()?; // cipher suites
        r.vec8()?; // compression methods
    } else {
        cipher_suite = r.u16()?;
        r.u8()?; // compression method
    }
    let mut profiles = Vec::new();
    let mut dtls13 = false;
    if let Some(exts) = r.vec16() {
        let mut e = Reader(exts);
        while let (Some(ty), Some(data)) = (e.u16(), e.vec16()) {
            let mut d = Reader(data);
            match ty {
                // use_srtp (RFC 5764 §4.1.1): profiles, then an MKI.
                14 => {
                    if let Some(list) = d.vec16() {
                        profiles = list
                            .chunks_exact(2)
                            .map(|p| u16::from_be_bytes([p[0], p[1]]))
                            .collect();
                    }
                }
                // supported_versions (RFC 8446 §4.2.1): one version in a ServerHello.
                43 if !client => dtls13 = d.u16() == Some(DTLS13),
                _ => {}
            }
        }
    }
    Some(Hello {
        random,
        cipher_suite,
        profiles,
        dtls13,
    })
}

/// The complete epoch-0 handshake messages of a datagram's plaintext records, as
/// (message type, body), with fragments reassembled across datagrams in `pieces`.
fn handshake_messages(
    data: &[u8],
    pieces: &mut Vec<(u8, usize, usize, Vec<u8>)>,
) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut records = Reader(data);
    while !records.0.is_empty() {
        // DTLSPlaintext (RFC 6347 §4.1): type, version, epoch, 48-bit sequence, length.
        let Some(header) = records.take(13) else {
            break;
        };
        let Some(fragment) =
            records.take(usize::from(u16::from_be_bytes([header[11], header[12]])))
        else {
            break;
        };
        let epoch = u16::from_be_bytes([header[3], header[4]]);
        if header[0] != 22 || header[1] != 0xfe || epoch != 0 {
            // Not a clear handshake record (a unified DTLS 1.3 header starts with 0x2X and
            // ends the plaintext part of the datagram).
            if header[0] & 0xe0 == 0x20 {
                break;
            }
            continue;
        }
        let mut msgs = Reader(fragment);
        // Handshake (RFC 6347 §4.2.2): type, length, message_seq, fragment offset, length.
        while let (Some(ty), Some(len), Some(_seq), Some(off), Some(flen)) =
            (msgs.u8(), msgs.u24(), msgs.u16(), msgs.u24(), msgs.u24())
        {
            let Some(body) = msgs.take(flen) else {
                break;
            };
            if !matches!(ty, 1 | 2) || len > MAX_HELLO || off + flen > len {
                continue;
            }
            if off == 0 && flen == len {
                out.push((ty, body.to_vec()));
                continue;
            }
            reassemble(pieces, ty, len, off, body, &mut out);
        }
    }
    out
}

/// Adds a fragment; a message whose bytes are all there is moved to `out`.
fn reassemble(
    pieces: &mut Vec<(u8, usize, usize, Vec<u8>)>,
    ty: u8,
    len: usize,
    off: usize,
    body: &[u8],
    out: &mut Vec<(u8, Vec<u8>)>,
) {
    // At most a few hundred fragments of one hello are kept.
    if pieces.len() >= 256 {
        pieces.clear();
    }
    pieces.push((ty, len, off, body.to_vec()));
    let mut mine: Vec<&(u8, usize, usize, Vec<u8>)> =
        pieces.iter().filter(|p| p.0 == ty && p.1 == len).collect();
    mine.sort_by_key(|p| p.2);
    let mut covered = 0;
    for p in &mine {
        if p.2 > covered {
            return;
        }
        covered = covered.max(p.2 + p.3.len());
    }
    if covered < len {
        return;
    }
    let mut msg = vec![0u8; len];
    for p in &mine {
        msg[p.2..p.2 + p.3.len()].copy_from_slice(&p.3);
    }
    pieces.retain(|p| !(p.0 == ty && p.1 == len));
    out.push((ty, msg));
}

/// Whether a TLS 1.2 cipher suite's PRF is SHA-384 (RFC 5289, RFC 5288, RFC 5487).
fn prf_sha384(suite: u16) -> bool {
    matches!(
        suite,
        0x009d
            | 0x009f
            | 0x00a1
            | 0x00a3
            | 0x00a5
            | 0x00a7
            | 0x00a9
            | 0x00ab
            | 0x00ad
            | 0x00af
            | 0x00b1
            | 0x00b3
            | 0x00b5
            | 0x00b7
            | 0x00b9
            | 0xc024
            | 0xc026
            | 0xc028
            | 0xc02a
            | 0xc02c
            | 0xc02e
            | 0xc030
            | 0xc032
            | 0xc0ad
            | 0xc0af
            | 0x1302
    )
}

/// P_hash of RFC 5246 §5, `out.len()` bytes.
fn p_hash<M: Mac + hmac::digest::KeyInit + Clone>(secret: &[u8], seed: &[&[u8]], out: &mut [u8]) {
    let Ok(mac) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
        return;
    };
    // A(1) = HMAC(secret, seed); each block is HMAC(secret, A(i) || seed).
    let mut a = {
        let mut m = mac.clone();
        for s in seed {
            m.update(s);
        }
        m.finalize().into_bytes()
    };
    let mut done = 0;
    while done < out.len() {
        let mut m = mac.clone();
        m.update(&a);
        for s in seed {
            m.update(s);
        }
        let block = m.finalize().into_bytes();
        let n = (out.len() - done).min(block.len());
        out[done..done + n].copy_from_slice(&block[..n]);
        done += n;
        let mut m = mac.clone();
        m.update(&a);
        a = m.finalize().into_bytes();
    }
}

/// The TLS 1.2 PRF (RFC 5246 §5): `P_hash(secret, label || seed)`.
#[must_use]
pub fn tls12_prf(sha384: bool, secret: &[u8], label: &[u8], seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    if sha384 {
        p_hash::<Hmac<Sha384>>(secret, &[label, seed], &mut out);
    } else {
        p_hash::<Hmac<Sha256>>(secret, &[label, seed], &mut out);
    }
    out
}

/// HKDF-Expand-Label (RFC 8446 §7.1) with DTLS 1.3's `dtls13` prefix (RFC 9147 §5.9).
fn expand_label(
    sha384: bool,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    len: usize,
) -> Option<Vec<u8>> {
    let prefix = b"dtls13";
    let mut info = Vec::with_capacity(4 + prefix.len() + label.len() + context.len());
    info.extend_from_slice(&u16::try_from(len).ok()?.to_be_bytes());
    info.push(u8::try_from(prefix.len() + label.len()).ok()?);
    info.extend_from_slice(prefix);
    info.extend_from_slice(label);
    info.push(u8::try_from(context.len()).ok()?);
    info.extend_from_slice(context);
    let mut out = vec![0u8; len];
    if sha384 {
        hkdf::Hkdf::<Sha384>::from_prk(secret)
            .ok()?
            .expand(&info, &mut out)
            .ok()?;
    } else {
        hkdf::Hkdf::<Sha256>::from_prk(secret)
            .ok()?
            .expand(&info, &mut out)
            .ok()?;
    }
    Some(out)
}

/// The (D)TLS 1.3 exporter (RFC 8446 §7.5) with an empty context:
/// `HKDF-Expand-Label(Derive-Secret(secret, label, ""), "exporter", Hash(""), len)`.
#[must_use]
pub fn dtls13_exporter(
    sha384: bool,
    exporter_secret: &[u8],
    label: &[u8],
    len: usize,
) -> Option<Vec<u8>> {
    use sha2::Digest;
    let empty_hash: Vec<u8> = if sha384 {
        Sha384::digest([]).to_vec()
    } else {
        Sha256::digest([]).to_vec()
    };
    let derived = expand_label(
        sha384,
        exporter_secret,
        label,
        &empty_hash,
        empty_hash.len(),
    )?;
    expand_label(sha384, &derived, b"exporter", &empty_hash, len)
}

/// Splits exporter output into the two sides' `key || salt` (RFC 5764 §4.2: client key,
/// server key, client salt, server salt).
fn split(profile: Profile, material: &[u8]) -> Option<SrtpKeys> {
    let (k, s) = (profile.master_key_len(), profile.master_salt_len());
    if material.len() != 2 * (k + s) {
        return None;
    }
    let (ck, rest) = material.split_at(k);
    let (sk, rest) = rest.split_at(k);
    let (cs, ss) = rest.split_at(s);
    Some(SrtpKeys {
        profile,
        client: [ck, cs].concat(),
        server: [sk, ss].concat(),
    })
}

/// Exports the SRTP keys of `profile` from a DTLS 1.2 master secret.
#[must_use]
pub fn export_dtls12(
    profile: Profile,
    cipher_suite: u16,
    master_secret: &[u8],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Option<SrtpKeys> {
    let len = 2 * (profile.master_key_len() + profile.master_salt_len());
    let seed = [&client_random[..], &server_random[..]].concat();
    let material = tls12_prf(prf_sha384(cipher_suite), master_secret, LABEL, &seed, len);
    split(profile, &material)
}

/// Exports the SRTP keys of `profile` from a DTLS 1.3 exporter master secret.
#[must_use]
pub fn export_dtls13(
    profile: Profile,
    cipher_suite: u16,
    exporter_secret: &[u8],
) -> Option<SrtpKeys> {
    let len = 2 * (profile.master_key_len() + profile.master_salt_len());
    let sha384 = cipher_suite == 0x1302 || exporter_secret.len() == 48;
    split(
        profile,
        &dtls13_exporter(sha384, exporter_secret, LABEL, len)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // From `cli/tests/data/dtls_srtp_vectors.py` (Python hmac/hashlib, independent).
    const PRF_SHA256_60: &str = "8e013c52671eacea39eaee207db790a56373aff2f0ac19779577bf709f3b332666e8401f9ec1843016a2d6a869f5734a9e09d87736de2d152a026b9a";
    const PRF_SHA384_56: &str = "f13e1b7acdb26286ff1c15c4395fa66dfb6fe15ea4641e065867d4ca44c365455746cdfb77309d8b4fbbf7885e9c2aa69669cbabc3223045";
    const EXPORTER13_SHA256_60: &str = "eb8b7bc6476536f59509c76535c731b1e20e3081d2a8e0165d129870e254a371341d47fed0a26bfd4b9a84967514696866115940ba7016013ca0320a";
    const EXPORTER13_SHA384_88: &str = "f9de68f0e2ad66d45babcd9758053782d101dbe6cd3b6c0494762ced04f2bb24fa89099af3a06b37ffcb743e827005cf1b453fb392b9553e61a99c22799548caa4c83f82da3165bcac813605726ee08f41a595b0ffbcc306";

    fn range(a: u8, b: u8) -> Vec<u8> {
        (a..b).collect()
    }

    #[test]
    fn prf_and_exporter_match_the_reference_script() {
        let seed = [range(0, 32), range(32, 64)].concat();
        let master = range(0, 48);
        assert_eq!(
            hex::encode(tls12_prf(false, &master, LABEL, &seed, 60)),
            PRF_SHA256_60
        );
        assert_eq!(
            hex::encode(tls12_prf(true, &master, LABEL, &seed, 56)),
            PRF_SHA384_56
        );
        assert_eq!(
            hex::encode(dtls13_exporter(false, &range(0, 32), LABEL, 60).unwrap()),
            EXPORTER13_SHA256_60
        );
        assert_eq!(
            hex::encode(dtls13_exporter(true, &range(0, 48), LABEL, 88).unwrap()),
            EXPORTER13_SHA384_88
        );
    }

    /// RFC 5764 §4.2: client key, server key, client salt, server salt.
    #[test]
    fn exporter_output_splits_in_rfc5764_order() {
        let (cr, sr): ([u8; 32], [u8; 32]) = (
            range(0, 32).try_into().unwrap(),
            range(32, 64).try_into().unwrap(),
        );
        let k = export_dtls12(
            Profile::AesCm128HmacSha1_80,
            0xc02b,
            &range(0, 48),
            &cr,
            &sr,
        )
        .unwrap();
        let m = hex::decode(PRF_SHA256_60).unwrap();
        assert_eq!(k.client, [&m[0..16], &m[32..46]].concat());
        assert_eq!(k.server, [&m[16..32], &m[46..60]].concat());
        // A _SHA384 suite uses P_SHA384.
        let k = export_dtls12(Profile::AeadAes128Gcm, 0xc02c, &range(0, 48), &cr, &sr).unwrap();
        let m = hex::decode(PRF_SHA384_56).unwrap();
        assert_eq!(k.client, [&m[0..16], &m[32..44]].concat());
        assert_eq!(k.server, [&m[16..32], &m[44..56]].concat());
    }

    /// A DTLS 1.2 record holding one handshake message, split into `parts` fragments.
    fn records(ty: u8, body: &[u8], parts: usize) -> Vec<Vec<u8>> {
        let step = body.len().div_ceil(parts);
        body.chunks(step)
            .enumerate()
            .map(|(i, chunk)| {
                let off = i * step;
                let mut hs = vec![ty];
                hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
                hs.extend_from_slice(&[0, 0]);
                hs.extend_from_slice(&(off as u32).to_be_bytes()[1..]);
                hs.extend_from_slice(&(chunk.len() as u32).to_be_bytes()[1..]);
                hs.extend_from_slice(chunk);
                let mut r = vec![22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, i as u8];
                r.extend_from_slice(&(hs.len() as u16).to_be_bytes());
                r.extend_from_slice(&hs);
                r
            })
            .collect()
    }

    fn client_hello(random: &[u8]) -> Vec<u8> {
        let mut b = vec![0xfe, 0xfd];
        b.extend_from_slice(random);
        b.extend_from_slice(&[0, 0]); // session id, cookie
        b.extend_from_slice(&[0, 2, 0xc0, 0x2b, 1, 0]); // suites, compression
                                                        // use_srtp offering 0x0007, 0x0001; a padding extension after it.
        let ext = [0, 14, 0, 7, 0, 4, 0, 7, 0, 1, 0, 0, 21, 0, 2, 0, 0];
        b.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        b.extend_from_slice(&ext);
        b
    }

    fn server_hello(random: &[u8], profile: u16, dtls13: bool) -> Vec<u8> {
        let mut b = vec![0xfe, 0xfd];
        b.extend_from_slice(random);
        b.push(0);
        b.extend_from_slice(&[0xc0, 0x2b, 0]);
        let mut ext = vec![0, 14, 0, 5, 0, 2];
        ext.extend_from_slice(&profile.to_be_bytes());
        ext.push(0);
        if dtls13 {
            ext.extend_from_slice(&[0, 43, 0, 2, 0xfe, 0xfc]);
        }
        b.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        b.extend_from_slice(&ext);
        b
    }

    #[test]
    fn fragmented_hellos_and_a_key_log_give_the_association() {
        let (c, s): (SocketAddr, SocketAddr) = (
            "10.0.0.1:5000".parse().unwrap(),
            "10.0.0.2:6000".parse().unwrap(),
        );
        let (cr, sr) = (range(0, 32), range(32, 64));
        let mut log = KeyLog::new();
        let w = log.add_text(&format!(
            "CLIENT_RANDOM {} {}\n",
            hex::encode(&cr),
            hex::encode(range(0, 48))
        ));
        assert!(w.is_empty());
        let mut h = Handshakes::default();
        // The ClientHello in three fragments, in two datagrams, out of order.
        let frags = records(1, &client_hello(&cr), 3);
        assert!(h
            .observe(c, s, &[frags[2].clone(), frags[0].clone()].concat(), &log)
            .is_none());
        assert!(h.observe(c, s, &frags[1], &log).is_none());
        let a = h
            .observe(
                s,
                c,
                &records(2, &server_hello(&sr, 0x0001, false), 1)[0],
                &log,
            )
            .unwrap();
        assert_eq!((a.client, a.server, a.version), (c, s, "DTLS 1.2"));
        let want = export_dtls12(
            Profile::AesCm128HmacSha1_80,
            0xc02b,
            &range(0, 48),
            &cr[..].try_into().unwrap(),
            &sr[..].try_into().unwrap(),
        )
        .unwrap();
        assert_eq!(a.keys, [want]);
        // Handed out once.
        assert!(h
            .observe(
                s,
                c,
                &records(2, &server_hello(&sr, 0x0001, false), 1)[0],
                &log
            )
            .is_none());
    }

    #[test]
    fn dtls13_exports_every_offered_profile_and_skips_hello_retry() {
        let (c, s): (SocketAddr, SocketAddr) =
            ("[::1]:5000".parse().unwrap(), "[::1]:6000".parse().unwrap());
        let (cr, sr) = (range(0, 32), range(32, 64));
        let mut log = KeyLog::new();
        log.add_text(&format!(
            "EXPORTER_SECRET {} {}\n",
            hex::encode(&cr),
            hex::encode(range(0, 32))
        ));
        let mut h = Handshakes::default();
        assert!(h
            .observe(c, s, &records(1, &client_hello(&cr), 1)[0], &log)
            .is_none());
        assert!(h
            .observe(
                s,
                c,
                &records(2, &server_hello(&HELLO_RETRY_RANDOM, 0x0007, true), 1)[0],
                &log
            )
            .is_none());
        let a = h
            .observe(
                s,
                c,
                &records(2, &server_hello(&sr, 0x0007, true), 1)[0],
                &log,
            )
            .unwrap();
        assert_eq!(a.version, "DTLS 1.3");
        let profiles: Vec<Profile> = a.keys.iter().map(|k| k.profile).collect();
        assert_eq!(
            profiles,
            [Profile::AeadAes128Gcm, Profile::AesCm128HmacSha1_80]
        );
        let m = hex::decode(EXPORTER13_SHA256_60).unwrap();
        assert_eq!(a.keys[1].client, [&m[0..16], &m[32..46]].concat());
    }

    #[test]
    fn garbage_is_no_handshake() {
        let log = KeyLog::new();
        let mut h = Handshakes::default();
        let a: SocketAddr = "1.2.3.4:5".parse().unwrap();
        for data in [
            &[][..],
            &[22],
            &[22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
            &[0x2f; 40],
        ] {
            assert!(h.observe(a, a, data, &log).is_none());
        }
    }
}
