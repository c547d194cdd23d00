//! SRTP/SRTCP against libsrtp (through PyPI's `pylibsrtp`), both ways, for every profile
//! pylibsrtp offers: our protected packets equal libsrtp's byte for byte, libsrtp unprotects
//! ours and we unprotect libsrtp's, across a sequence number rollover delivered out of order,
//! and each side refuses the other's replays.
//!
//! Runs `tests/srtp_libsrtp.py` with the Python in `SRTP_PYTHON` (default
//! `/opt/srtp-venv/bin/python`); ignored unless asked for with `--ignored`.
#![cfg(feature = "srtp")]

use rtp_codec::srtp::{Context, Profile, SrtpError};
use rtp_codec::{ExtensionElement, ExtensionForm, Padding, RtpPacketBuilder};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn python() -> String {
    std::env::var("SRTP_PYTHON").unwrap_or_else(|_| "/opt/srtp-venv/bin/python".into())
}

fn run_script(request: &Value) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/srtp_libsrtp.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python()));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "srtp_libsrtp.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// libsrtp's results for `ops`, run in order through one outbound and one inbound session.
fn libsrtp(profile: &str, key: &[u8], ops: &[(&str, &[u8])]) -> Vec<Result<Vec<u8>, String>> {
    let ops: Vec<Value> = ops
        .iter()
        .map(|(op, data)| json!({"op": op, "data": hex(data)}))
        .collect();
    let reply = run_script(&json!({"profile": profile, "key": hex(key), "ops": ops}));
    reply
        .as_array()
        .unwrap()
        .iter()
        .map(|r| match (r.get("ok"), r.get("error")) {
            (Some(ok), _) => Ok(unhex(ok.as_str().unwrap())),
            (_, Some(e)) => Err(e.as_str().unwrap().to_owned()),
            _ => panic!("bad reply {r}"),
        })
        .collect()
}

const SSRC: u32 = 0xcafe_0001;

/// RTP packets with sequence numbers 65530..=65535, 0..=5: the sender's ROC goes 0 -> 1.
/// Some carry CSRCs, a header extension and padding.
fn rtp_packets() -> Vec<Vec<u8>> {
    let seqs = (65530..=65535).chain(0..=5);
    seqs.enumerate()
        .map(|(i, seq)| {
            let payload: Vec<u8> = (0..(20 + 37 * i)).map(|j| (i * 7 + j) as u8).collect();
            let ext = [ExtensionElement {
                id: 3,
                data: &[1, 2, 3],
            }];
            let mut b = RtpPacketBuilder::new(96, seq, 1000 + 960 * i as u32, SSRC)
                .with_marker(i % 4 == 0)
                .with_payload(&payload);
            if i % 3 == 1 {
                b = b.with_csrcs(&[0x1111, 0x2222]).unwrap();
            }
            if i % 2 == 1 {
                b = b.with_extensions(ExtensionForm::Auto, &ext);
            }
            if i % 5 == 2 {
                b = b.with_padding(Padding::Zeros(4));
            }
            let mut out = Vec::new();
            b.write_to(&mut out).unwrap();
            out
        })
        .collect()
}

/// RTCP packets of SSRC 0xcafe0002: an SR, a compound SR + SDES, an RR with a report block.
fn rtcp_packets() -> Vec<Vec<u8>> {
    let sr = |len: u8| {
        let mut p = vec![0x80, 200, 0, 6, 0xca, 0xfe, 0x00, 0x02];
        p.extend_from_slice(&[0x11; 20]);
        p[3] = len;
        p
    };
    let mut compound = sr(6);
    compound.extend_from_slice(&[
        0x81, 202, 0, 3, 0xca, 0xfe, 0x00, 0x02, 1, 4, b'u', b's', b'e', b'r', 0, 0,
    ]);
    let mut rr = vec![0x81, 201, 0, 7, 0xca, 0xfe, 0x00, 0x02];
    rr.extend_from_slice(&[0x42; 24]);
    vec![sr(6), compound, rr]
}

/// Delivery order: packet 6 (SEQ 0, ROC 1) before packet 5 (SEQ 65535, ROC 0), and 9 before 8.
const ORDER: [usize; 12] = [0, 1, 2, 3, 4, 6, 5, 7, 9, 8, 10, 11];

fn is_replay(e: &str) -> bool {
    e.starts_with("replay check failed")
}

fn interop(profile: Profile, name: &str) {
    let key: Vec<u8> = (0..profile.master_key_len())
        .map(|i| 0x30 + i as u8)
        .collect();
    let salt: Vec<u8> = (0..profile.master_salt_len())
        .map(|i| 0xa0 + i as u8)
        .collect();
    let master = [key.clone(), salt.clone()].concat();
    let plain = rtp_packets();
    let plain_rtcp = rtcp_packets();

    // Ours protect.
    let mut tx = Context::new(profile, &key, &salt).unwrap();
    // libsrtp sends its first SRTCP packet with index 1 (RFC 3711 §3.4 says 0).
    tx.set_srtcp_index(0xcafe_0002, 1).unwrap();
    let ours: Vec<Vec<u8>> = plain
        .iter()
        .map(|p| {
            let mut b = p.clone();
            tx.protect_rtp(&mut b).unwrap();
            b
        })
        .collect();
    assert_eq!(tx.roc(SSRC), Some(1));
    let ours_rtcp: Vec<Vec<u8>> = plain_rtcp
        .iter()
        .map(|p| {
            let mut b = p.clone();
            tx.protect_rtcp(&mut b).unwrap();
            b
        })
        .collect();

    // libsrtp: protect the same packets, unprotect ours out of order, then replays of ours,
    // then a new packet of ours (SEQ 6) with a flipped bit.
    let mut tampered = Vec::new();
    RtpPacketBuilder::new(96, 6, 99, SSRC)
        .with_payload(&[0x55; 40])
        .write_to(&mut tampered)
        .unwrap();
    tx.protect_rtp(&mut tampered).unwrap();
    tampered[20] ^= 0x01;
    let mut ops: Vec<(&str, &[u8])> = Vec::new();
    ops.extend(plain.iter().map(|p| ("protect", &p[..])));
    ops.extend(plain_rtcp.iter().map(|p| ("protect_rtcp", &p[..])));
    ops.extend(ORDER.iter().map(|&i| ("unprotect", &ours[i][..])));
    ops.extend([1, 0, 2].map(|i| ("unprotect_rtcp", &ours_rtcp[i][..])));
    ops.push(("unprotect", &ours[5])); // replay across the rollover
    ops.push(("unprotect", &ours[11])); // replay of the newest
    ops.push(("unprotect_rtcp", &ours_rtcp[1]));
    ops.push(("unprotect", &tampered));
    let results = libsrtp(name, &master, &ops);
    let mut results = results.into_iter();
    let mut next = || results.next().unwrap();

    // Byte-for-byte equal ciphertext.
    let mut theirs = Vec::new();
    for (i, ours) in ours.iter().enumerate() {
        let t = next().unwrap_or_else(|e| panic!("{name}: libsrtp protect {i}: {e}"));
        assert_eq!(
            hex(&t),
            hex(ours),
            "{name}: SRTP packet {i} differs from libsrtp's"
        );
        theirs.push(t);
    }
    let mut theirs_rtcp = Vec::new();
    for (i, ours) in ours_rtcp.iter().enumerate() {
        let t = next().unwrap_or_else(|e| panic!("{name}: libsrtp protect_rtcp {i}: {e}"));
        assert_eq!(
            hex(&t),
            hex(ours),
            "{name}: SRTCP packet {i} differs from libsrtp's"
        );
        theirs_rtcp.push(t);
    }
    // libsrtp unprotects ours.
    for &i in &ORDER {
        let got = next().unwrap_or_else(|e| panic!("{name}: libsrtp unprotect {i}: {e}"));
        assert_eq!(got, plain[i], "{name}: libsrtp's plaintext of packet {i}");
    }
    for i in [1, 0, 2] {
        let got = next().unwrap_or_else(|e| panic!("{name}: libsrtp unprotect_rtcp {i}: {e}"));
        assert_eq!(
            got, plain_rtcp[i],
            "{name}: libsrtp's plaintext of RTCP {i}"
        );
    }
    for what in ["SRTP replay across rollover", "SRTP replay", "SRTCP replay"] {
        let r = next();
        assert!(
            matches!(&r, Err(e) if is_replay(e)),
            "{name}: libsrtp accepted our {what}: {r:?}"
        );
    }
    assert_eq!(next(), Err("authentication failure".to_owned()), "{name}");

    // Ours unprotect libsrtp's, in the same order.
    let mut rx = Context::new(profile, &key, &salt).unwrap();
    for &i in &ORDER {
        let mut b = theirs[i].clone();
        let n = rx
            .unprotect_rtp(&mut b)
            .unwrap_or_else(|e| panic!("{name}: unprotect libsrtp's packet {i}: {e}"));
        assert_eq!(b[..n], plain[i][..], "{name}: packet {i}");
    }
    assert_eq!(rx.roc(SSRC), Some(1));
    for i in [1, 0, 2] {
        let mut b = theirs_rtcp[i].clone();
        let n = rx
            .unprotect_rtcp(&mut b)
            .unwrap_or_else(|e| panic!("{name}: unprotect libsrtp's RTCP {i}: {e}"));
        assert_eq!(b[..n], plain_rtcp[i][..], "{name}: RTCP {i}");
    }
    let mut b = theirs[5].clone();
    assert_eq!(
        rx.unprotect_rtp(&mut b),
        Err(SrtpError::Replayed { index: 65535 }),
        "{name}"
    );
    let mut b = theirs[11].clone();
    assert_eq!(
        rx.unprotect_rtp(&mut b),
        Err(SrtpError::Replayed { index: 0x1_0005 }),
        "{name}"
    );
    let mut b = theirs_rtcp[1].clone();
    assert_eq!(
        rx.unprotect_rtcp(&mut b),
        Err(SrtpError::Replayed { index: 2 }),
        "{name}"
    );
}

/// The profiles pylibsrtp offers, with our names for them.
const PROFILES: [(Profile, &str); 4] = [
    (Profile::AesCm128HmacSha1_80, "AES128_CM_SHA1_80"),
    (Profile::AesCm128HmacSha1_32, "AES128_CM_SHA1_32"),
    (Profile::AeadAes128Gcm, "AEAD_AES_128_GCM"),
    (Profile::AeadAes256Gcm, "AEAD_AES_256_GCM"),
];

#[test]
#[ignore = "needs pylibsrtp (bash .ci/run installs it)"]
fn every_pylibsrtp_profile_is_covered() {
    let offered = run_script(&json!({"profiles": true}));
    let mut ours: Vec<&str> = PROFILES.iter().map(|(_, n)| *n).collect();
    ours.sort_unstable();
    assert_eq!(offered, json!(ours));
}

#[test]
#[ignore = "needs pylibsrtp (bash .ci/run installs it)"]
fn aes_cm_128_hmac_sha1_80() {
    interop(PROFILES[0].0, PROFILES[0].1);
}

#[test]
#[ignore = "needs pylibsrtp (bash .ci/run installs it)"]
fn aes_cm_128_hmac_sha1_32() {
    interop(PROFILES[1].0, PROFILES[1].1);
}

#[test]
#[ignore = "needs pylibsrtp (bash .ci/run installs it)"]
fn aead_aes_128_gcm() {
    interop(PROFILES[2].0, PROFILES[2].1);
}

#[test]
#[ignore = "needs pylibsrtp (bash .ci/run installs it)"]
fn aead_aes_256_gcm() {
    interop(PROFILES[3].0, PROFILES[3].1);
}
