#!/opt/corpus-srtp-venv/bin/python
"""Decrypts the SRTP and SRTCP in a capture with libsrtp and writes what it got.

  oracle.py NAME.pcapng --keylog NAME.keylog      DTLS-SRTP (keys from an NSS key log)
  oracle.py NAME.pcapng --sdes NAME.sdp           SDES (keys from the SDP's a=crypto lines)

Writes NAME.plain.tsv (one line per SRTP/SRTCP datagram) and NAME.keys.txt (how the keys were
found and the keys per direction). Needs tshark (only to list the frames and their UDP
payloads, numbered as tshark numbers them) and, in a venv, PyPI `cryptography` (the TLS 1.2
PRF) and `pylibsrtp` (libsrtp 2 does the decryption). Nothing here comes from the software
under test.

DTLS-SRTP: the DTLS records of each 5-tuple are parsed here: the ClientHello's random and
sender (that side is the DTLS client), the ServerHello's random, cipher suite and use_srtp
protection profile. The master secret is the key log's CLIENT_RANDOM line for that client
random; the keying material is the RFC 5705 exporter with label "EXTRACTOR-dtls_srtp" and no
context, i.e. the TLS 1.2 PRF (RFC 5246 §5, P_SHA256, or P_SHA384 for a *_SHA384 suite) over
master_secret, label || client_random || server_random, 2*(key+salt) bytes, split as
RFC 5764 §4.2 says: client key, server key, client salt, server salt. The client's datagrams
use the client write key and salt, the server's the server ones.

SDES: each m= section's a=crypto inline key (base64 of master key || master salt) protects
what is sent to its port (RTP) and port+1 (RTCP).

Demultiplexing follows RFC 7983: first byte 20-63 DTLS, 128-191 RTP or RTCP (RTCP when the
second byte is 192-223), 0-3 STUN (ignored).

NAME.plain.tsv columns: frame, kind (srtp/srtcp), status, SSRC (of the protected header,
hex), plaintext length, plaintext: full hex for the first 200 decrypted datagrams,
sha256:<hex> after that, "-" when not decrypted. Status is libsrtp's verdict: ok,
auth-failed, replay, or error:<libsrtp's words>; except ok-own-4-byte-tag: SRTCP of an
AES_CM_128_HMAC_SHA1_32 SDES stream that libsrtp refuses (its profile for that suite tags
SRTCP with 80 bits, as RFC 5764 §4.1.2 does) and whose 4-byte tag verifies with this
script's own RFC 3711 SRTCP code (AES-CM and HMAC-SHA1 from `cryptography`), which then
decrypts it. ffmpeg cuts the SRTCP tag to 32 bits for that suite.
"""
import argparse
import base64
import hashlib
import hmac
import re
import subprocess
import sys

import pylibsrtp
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pylibsrtp import Policy, Session

FULL_HEX = 200

# RFC 5764 §4.1.2 / RFC 7714 §14.2: id -> (name, libsrtp profile, key length, salt length)
PROFILES = {
    0x0001: ("SRTP_AES128_CM_HMAC_SHA1_80", Policy.SRTP_PROFILE_AES128_CM_SHA1_80, 16, 14),
    0x0002: ("SRTP_AES128_CM_HMAC_SHA1_32", Policy.SRTP_PROFILE_AES128_CM_SHA1_32, 16, 14),
    0x0007: ("SRTP_AEAD_AES_128_GCM", Policy.SRTP_PROFILE_AEAD_AES_128_GCM, 16, 12),
    0x0008: ("SRTP_AEAD_AES_256_GCM", Policy.SRTP_PROFILE_AEAD_AES_256_GCM, 32, 12),
}
SDES_SUITES = {
    "AES_CM_128_HMAC_SHA1_80": 0x0001,
    "AES_CM_128_HMAC_SHA1_32": 0x0002,
    "AEAD_AES_128_GCM": 0x0007,
    "AEAD_AES_256_GCM": 0x0008,
}
# TLS 1.2 suites whose PRF hash is SHA-384 (the rest that WebRTC stacks use are SHA-256)
SHA384_SUITES = {0x009D, 0x009F, 0x00A7, 0xC024, 0xC028, 0xC02C, 0xC030, 0xC032}


def frames(pcap: str):
    """(frame number, src, sport, dst, dport, payload bytes) for every UDP frame."""
    out = subprocess.run(
        ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=\t",
         "-e", "frame.number", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst",
         "-e", "udp.dstport", "-e", "udp.payload", "udp"],
        check=True, capture_output=True, text=True, timeout=120).stdout
    for line in out.splitlines():
        num, src, sport, dst, dport, payload = line.split("\t")
        yield int(num), src, int(sport), dst, int(dport), bytes.fromhex(payload)


def p_hash(alg: str, secret: bytes, seed: bytes, n: int) -> bytes:
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, alg).digest()
        out += hmac.new(secret, a + seed, alg).digest()
    return out[:n]


def tls12_prf(alg: str, secret: bytes, label: bytes, seed: bytes, n: int) -> bytes:
    return p_hash(alg, secret, label + seed, n)


def aes_cm(key: bytes, iv: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def srtcp_short_tag(master: bytes, packet: bytes, tag_len: int):
    """RFC 3711 SRTCP (AES-CM, HMAC-SHA1, key derivation rate 0) with a TAG_LEN-byte tag,
    done here with `cryptography`: for SRTCP that libsrtp refuses because its sender cut the
    tag shorter than the 80 bits libsrtp gives SRTCP. Returns the plaintext or None."""
    key, salt = master[:16], master[16:30]

    def derive(label: int, n: int) -> bytes:
        x = bytearray(salt)
        x[7] ^= label  # key_id = label || index DIV kdr (0), right-aligned under the salt
        return aes_cm(key, bytes(x) + b"\0\0", bytes(n))

    if len(packet) < 8 + 4 + tag_len:
        return None
    body, tag = packet[:-tag_len], packet[-tag_len:]
    if not hmac.compare_digest(hmac.new(derive(4, 20), body, "sha1").digest()[:tag_len], tag):
        return None
    e_index = int.from_bytes(body[-4:], "big")
    index, clear = e_index & 0x7FFFFFFF, body[:-4]
    if not e_index >> 31:
        return clear
    ssrc = int.from_bytes(clear[4:8], "big")
    iv = (int.from_bytes(derive(5, 14), "big") << 16) ^ (ssrc << 64) ^ (index << 16)
    return clear[:8] + aes_cm(derive(3, 16), iv.to_bytes(16, "big"), clear[8:])


def dtls_handshakes(payload: bytes):
    """Yield (msg_type, body) of the plaintext (epoch 0) handshake messages in a datagram.
    Fragments are not expected on loopback; a fragmented message is skipped."""
    i = 0
    while i + 13 <= len(payload):
        ctype, epoch, length = payload[i], int.from_bytes(payload[i + 3:i + 5], "big"), \
            int.from_bytes(payload[i + 11:i + 13], "big")
        rec = payload[i + 13:i + 13 + length]
        i += 13 + length
        if ctype != 22 or epoch != 0:
            continue
        j = 0
        while j + 12 <= len(rec):
            mtype = rec[j]
            mlen = int.from_bytes(rec[j + 1:j + 4], "big")
            foff = int.from_bytes(rec[j + 6:j + 9], "big")
            flen = int.from_bytes(rec[j + 9:j + 12], "big")
            body = rec[j + 12:j + 12 + flen]
            j += 12 + flen
            if foff == 0 and flen == mlen:
                yield mtype, body


def parse_hello(mtype: int, b: bytes) -> dict:
    h = {"version": b[0:2].hex(), "random": b[2:34]}
    k = 34
    k += 1 + b[k]  # session_id
    if mtype == 1:
        k += 1 + b[k]  # cookie
        k += 2 + int.from_bytes(b[k:k + 2], "big")  # cipher suites
        k += 1 + b[k]  # compression methods
    else:
        h["suite"] = int.from_bytes(b[k:k + 2], "big")
        k += 3
    h["extensions"] = {}
    if k + 2 <= len(b):
        end = k + 2 + int.from_bytes(b[k:k + 2], "big")
        k += 2
        while k + 4 <= end:
            et, el = int.from_bytes(b[k:k + 2], "big"), int.from_bytes(b[k + 2:k + 4], "big")
            h["extensions"][et] = b[k + 4:k + 4 + el]
            k += 4 + el
    return h


def tshark_hellos(pcap: str) -> dict:
    """{frame: {"random": hex, "profile": int}} of the hellos as tshark decodes them: a second
    reading of the handshake, to compare with the one here."""
    out = subprocess.run(
        ["tshark", "-n", "-r", pcap, "-Y", "dtls.handshake.type == 1 || dtls.handshake.type == 2",
         "-T", "fields", "-E", "separator=\t", "-e", "frame.number", "-e", "dtls.handshake.random",
         "-e", "dtls.use_srtp.protection_profile"],
        check=True, capture_output=True, text=True, timeout=120).stdout
    seen = {}
    for line in out.splitlines():
        num, rnd, prof = (line.split("\t") + ["", ""])[:3]
        seen[int(num)] = {"random": rnd.split(",")[0].replace(":", ""),
                          "profile": int(prof.split(",")[-1], 0) if prof else None}
    return seen


def read_keylog(path: str) -> dict:
    secrets = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 3 and p[0] == "CLIENT_RANDOM":
                secrets[bytes.fromhex(p[1])] = bytes.fromhex(p[2])
    return secrets


def policy(profile: int, key_and_salt: bytes) -> Session:
    pol = Policy(key=key_and_salt, ssrc_type=Policy.SSRC_ANY_INBOUND,
                 srtp_profile=PROFILES[profile][1])
    pol.window_size = 1024
    return Session(pol)


def classify(payload: bytes):
    if not payload:
        return None
    b0 = payload[0]
    if 20 <= b0 <= 63:
        return "dtls"
    if 128 <= b0 <= 191 and len(payload) >= 2:
        return "srtcp" if 192 <= payload[1] <= 223 else "srtp"
    if b0 <= 3:
        return "stun"
    return None


def dtls_keys(pcap: str, keylog: str, notes: list):
    """Return {(src, sport, dst, dport): (profile, key||salt)} for each direction."""
    secrets = read_keylog(keylog)
    hellos = {}  # unordered 5-tuple -> {"client": (addr), "ch": ..., "sh": ...}
    for num, src, sport, dst, dport, data in frames(pcap):
        if classify(data) != "dtls":
            continue
        pair = frozenset([(src, sport), (dst, dport)])
        for mtype, body in dtls_handshakes(data):
            if mtype == 1:
                hs = hellos.setdefault(pair, {})
                hs.update(client=(src, sport), server=(dst, dport), ch=parse_hello(1, body),
                          ch_frame=num)
            elif mtype == 2 and pair in hellos:
                hellos[pair].update(sh=parse_hello(2, body), sh_frame=num)
    seen = tshark_hellos(pcap)
    keys = {}
    for pair, hs in hellos.items():
        if "sh" not in hs:
            notes.append(f"no ServerHello for {sorted(pair)}")
            continue
        ch, sh = hs["ch"], hs["sh"]
        cr, sr = ch["random"], sh["random"]
        use_srtp = sh["extensions"].get(14)
        if use_srtp is None:
            notes.append(f"ServerHello (frame {hs['sh_frame']}) has no use_srtp extension")
            continue
        plen = int.from_bytes(use_srtp[0:2], "big")
        prof = int.from_bytes(use_srtp[2:4], "big")
        mki = use_srtp[3 + plen:3 + plen + use_srtp[2 + plen]]
        name, _, klen, slen = PROFILES[prof]
        ver = sh["version"] + {"fefd": " (DTLS 1.2)", "feff": " (DTLS 1.0)"}.get(sh["version"], "")
        if 43 in sh["extensions"]:
            ver += f" (supported_versions {sh['extensions'][43].hex()}: DTLS 1.3, not handled)"
        alg = "sha384" if sh["suite"] in SHA384_SUITES else "sha256"
        notes += [
            f"DTLS client {hs['client'][0]}:{hs['client'][1]} (ClientHello frame {hs['ch_frame']})",
            f"DTLS server {hs['server'][0]}:{hs['server'][1]} (ServerHello frame {hs['sh_frame']})",
            f"ServerHello version {ver}, cipher suite 0x{sh['suite']:04x}, "
            f"extended_master_secret {'yes' if 23 in sh['extensions'] else 'no'}",
            f"use_srtp profile 0x{prof:04x} {name}, MKI {mki.hex() or '(none)'}",
            f"client_random {cr.hex()}",
            f"server_random {sr.hex()}",
        ]
        agree = (seen.get(hs["ch_frame"], {}).get("random") == cr.hex()
                 and seen.get(hs["sh_frame"], {}).get("random") == sr.hex()
                 and seen.get(hs["sh_frame"], {}).get("profile") == prof)
        notes.append("tshark's dissection of the two hellos gives the same randoms and "
                     f"profile: {'yes' if agree else 'NO'}")
        ms = secrets.get(cr)
        if ms is None:
            notes.append("no CLIENT_RANDOM line in the key log for this client random")
            continue
        n = 2 * (klen + slen)
        km = tls12_prf(alg, ms, b"EXTRACTOR-dtls_srtp", cr + sr, n)
        ck, sk = km[0:klen], km[klen:2 * klen]
        cs, ss = km[2 * klen:2 * klen + slen], km[2 * klen + slen:]
        notes += [
            f"master_secret {ms.hex()}",
            f"exporter EXTRACTOR-dtls_srtp ({alg} PRF, {n} bytes) {km.hex()}",
            f"client_write_key {ck.hex()}", f"server_write_key {sk.hex()}",
            f"client_write_salt {cs.hex()}", f"server_write_salt {ss.hex()}",
            f"{hs['client'][0]}:{hs['client'][1]} -> {hs['server'][0]}:{hs['server'][1]} "
            f"uses client_write_key||client_write_salt",
            f"{hs['server'][0]}:{hs['server'][1]} -> {hs['client'][0]}:{hs['client'][1]} "
            f"uses server_write_key||server_write_salt",
        ]
        keys[hs["client"] + hs["server"]] = (prof, ck + cs)
        keys[hs["server"] + hs["client"]] = (prof, sk + ss)
    return keys


def sdes_keys(sdp_path: str, notes: list):
    """Return {dport: (profile, key||salt)} from the SDP's a=crypto lines."""
    keys, port = {}, None
    with open(sdp_path, newline="") as f:
        for line in f.read().splitlines():
            if line.startswith("m="):
                port = int(line.split()[1])
            m = re.match(r"a=crypto:(\d+) (\S+) inline:([A-Za-z0-9+/=]+)", line)
            if m and port is not None:
                prof = SDES_SUITES[m.group(2)]
                ks = base64.b64decode(m.group(3))
                _, _, klen, slen = PROFILES[prof]
                keys[port] = keys[port + 1] = (prof, ks[:klen + slen])
                notes += [f"m= port {port}: a=crypto tag {m.group(1)} {m.group(2)} "
                          f"(profile 0x{prof:04x} {PROFILES[prof][0]})",
                          f"  master key {ks[:klen].hex()} master salt "
                          f"{ks[klen:klen + slen].hex()}; datagrams to ports {port} (RTP) "
                          f"and {port + 1} (RTCP)"]
    return keys


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pcap")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--keylog")
    g.add_argument("--sdes")
    args = ap.parse_args()
    base = re.sub(r"\.pcapng?$", "", args.pcap)
    notes = [f"capture {args.pcap.split('/')[-1]}",
             f"pylibsrtp {pylibsrtp.__version__} (libsrtp 2)"]
    if args.keylog:
        keys = dtls_keys(args.pcap, args.keylog, notes)
        lookup = lambda s, sp, d, dp: keys.get((s, sp, d, dp))
    else:
        keys = sdes_keys(args.sdes, notes)
        lookup = lambda s, sp, d, dp: keys.get(dp)
    sessions, streams, selfcheck = {}, {}, {True: 0, False: 0}
    rows, counts, shown = [], {}, 0
    for num, src, sport, dst, dport, data in frames(args.pcap):
        kind = classify(data)
        if kind not in ("srtp", "srtcp"):
            continue
        k = lookup(src, sport, dst, dport)
        if k is None:
            continue
        # one receiving session per direction (DTLS) or per m= section (SDES)
        skey = (src, sport, dst, dport) if args.keylog else dport - dport % 2
        if skey not in sessions:
            sessions[skey] = policy(*k)
        sess = sessions[skey]
        ssrc = data[8:12].hex() if kind == "srtp" else data[4:8].hex()
        try:
            plain = sess.unprotect(data) if kind == "srtp" else sess.unprotect_rtcp(data)
            status = "ok"
        except pylibsrtp.Error as e:
            msg = str(e)
            status = ("auth-failed" if "authentication" in msg else
                      "replay" if "replay" in msg else "error:" + msg.replace(" ", "_"))
            plain = None
            if kind == "srtcp" and k[0] == 0x0002:
                plain = srtcp_short_tag(k[1], data, 4)
                if plain is not None:
                    status = "ok-own-4-byte-tag"
        counts[(kind, status)] = counts.get((kind, status), 0) + 1
        pt = data[1] & 0x7F if kind == "srtp" else data[1]
        st = streams.setdefault((f"{src}:{sport} -> {dst}:{dport}", kind, ssrc, pt), [0, 0])
        st[0 if status.startswith("ok") else 1] += 1
        if plain is not None and status == "ok" and kind == "srtcp" and k[0] in (1, 2):
            # the same code on SRTCP that libsrtp accepted (80-bit tag) must give its plaintext
            selfcheck[srtcp_short_tag(k[1], data, 10) == plain] += 1
        if plain is None:
            rows.append(f"{num}\t{kind}\t{status}\t{ssrc}\t-\t-")
        else:
            shown += 1
            text = plain.hex() if shown <= FULL_HEX else \
                "sha256:" + hashlib.sha256(plain).hexdigest()
            rows.append(f"{num}\t{kind}\t{status}\t{ssrc}\t{len(plain)}\t{text}")
    with open(base + ".plain.tsv", "w") as f:
        f.write("# frame\tkind\tstatus\tssrc\tlength\tplaintext (hex for the first "
                f"{FULL_HEX} decrypted, then sha256)\n")
        f.write("".join(r + "\n" for r in rows))
    for (direction, kind, ssrc, pt), (good, bad) in sorted(streams.items()):
        notes.append(f"stream {direction} {kind} ssrc {ssrc} "
                     f"{'PT' if kind == 'srtp' else 'first packet type'} {pt}: "
                     f"{good} decrypted, {bad} not")
    if any(st == "ok-own-4-byte-tag" for (_, st) in counts):
        notes.append("SRTCP with a 4-byte tag: libsrtp, which gives this profile's SRTCP an "
                     "80-bit tag, refused it (error:unable_to_perform_"
                     "desired_validation); ok-own-4-byte-tag lines "
                     "were verified and decrypted by srtcp_short_tag() in oracle.py")
        notes.append(f"srtcp_short_tag() with a 10-byte tag on the SRTCP libsrtp accepted: "
                     f"{selfcheck[True]} same plaintext as libsrtp, {selfcheck[False]} different")
    notes.append("decrypted: " + ", ".join(f"{k} {s} {n}" for (k, s), n in sorted(counts.items())))
    with open(base + ".keys.txt", "w") as f:
        f.write("".join(n + "\n" for n in notes))
    print(notes[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
