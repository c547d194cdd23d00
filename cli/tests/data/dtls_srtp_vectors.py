#!/usr/bin/env python3
"""Independent reference values for the DTLS-SRTP key export of rtc-inspect
(cli/src/rtc/dtls_srtp.rs tests), computed with Python's hmac and hashlib only:

- the TLS 1.2 PRF of RFC 5246 §5 (P_SHA256, P_SHA384) with the RFC 5764 §4.2 label
  EXTRACTOR-dtls_srtp and seed client_random || server_random;
- the (D)TLS 1.3 exporter of RFC 8446 §7.5 with RFC 9147's "dtls13" label prefix.

Inputs are fixed byte ranges; run it to print the values the tests hold."""
import hashlib
import hmac


def p_hash(h, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, h).digest()
        out += hmac.new(secret, a + seed, h).digest()
    return out[:n]


def hkdf_expand(h, prk, info, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), h).digest()
        out += t
        i += 1
    return out[:n]


def expand_label(h, secret, label, context, n):
    full = b"dtls13" + label
    info = n.to_bytes(2, "big") + bytes([len(full)]) + full + bytes([len(context)]) + context
    return hkdf_expand(h, secret, info, n)


def exporter(h, secret, label, n):
    empty = h(b"").digest()
    derived = expand_label(h, secret, label, empty, len(empty))
    return expand_label(h, derived, b"exporter", empty, n)


LABEL = b"EXTRACTOR-dtls_srtp"
master = bytes(range(48))
client_random = bytes(range(32))
server_random = bytes(range(32, 64))
print("prf_sha256_60", p_hash(hashlib.sha256, master, LABEL + client_random + server_random, 60).hex())
print("prf_sha384_56", p_hash(hashlib.sha384, master, LABEL + client_random + server_random, 56).hex())
print("exporter13_sha256_60", exporter(hashlib.sha256, bytes(range(32)), LABEL, 60).hex())
print("exporter13_sha384_88", exporter(hashlib.sha384, bytes(range(48)), LABEL, 88).hex())
